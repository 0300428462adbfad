//! Redis's `intset`: the members sorted ascending in one array of the
//! narrowest integer width that holds them all (16, 32 or 64 bits).
//!
//! As in Redis the width only grows: adding a member that does not fit
//! rewrites the array at the wider width, and removing it later does not
//! narrow it again. Sorting gives O(log n) membership and the ascending
//! order SMEMBERS replies in.

/// An integer width the array can be stored at.
trait Width: Copy + Ord + Into<i64> + TryFrom<i64> {}
impl Width for i16 {}
impl Width for i32 {}
impl Width for i64 {}

#[derive(Clone, Debug)]
pub enum IntSet {
    I16(Vec<i16>),
    I32(Vec<i32>),
    I64(Vec<i64>),
}

impl Default for IntSet {
    fn default() -> Self {
        IntSet::I16(Vec::new())
    }
}

/// Runs `$body` with `$v` bound to the array, whatever its width.
macro_rules! each_width {
    ($set:expr, $v:ident => $body:expr) => {
        match $set {
            IntSet::I16($v) => $body,
            IntSet::I32($v) => $body,
            IntSet::I64($v) => $body,
        }
    };
}

/// Where `x` is (Ok) or would go (Err); `None` if it cannot be stored at
/// this width, so it is not there.
#[inline]
fn search<T: Width>(v: &[T], x: i64) -> Option<Result<usize, usize>> {
    T::try_from(x).ok().map(|t| v.binary_search(&t))
}

#[inline]
fn at<T: Width>(v: &[T], i: usize) -> i64 {
    v[i].into()
}

/// `x` at a width it is known to fit.
#[inline]
fn narrow<T: Width>(x: i64) -> T {
    T::try_from(x).ok().expect("the value fits this width")
}

/// Grows by a quarter rather than doubling: an intset is small and often
/// one of very many, so idle capacity matters more than the odd realloc.
#[inline]
fn reserve_one<T>(v: &mut Vec<T>) {
    if v.len() == v.capacity() {
        v.reserve_exact((v.len() / 4).max(2));
    }
}

fn widen<T: Width, U: From<T>>(v: &[T], extra: usize) -> Vec<U> {
    let mut out = Vec::with_capacity(v.len() + extra);
    out.extend(v.iter().map(|&x| U::from(x)));
    out
}

impl IntSet {
    pub fn len(&self) -> usize {
        each_width!(self, v => v.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes per member: 2, 4 or 8.
    pub fn width(&self) -> usize {
        match self {
            IntSet::I16(_) => 2,
            IntSet::I32(_) => 4,
            IntSet::I64(_) => 8,
        }
    }

    /// The `i`th smallest member.
    #[inline]
    pub fn get(&self, i: usize) -> i64 {
        each_width!(self, v => at(v, i))
    }

    pub fn contains(&self, x: i64) -> bool {
        each_width!(self, v => matches!(search(v, x), Some(Ok(_))))
    }

    pub fn min(&self) -> Option<i64> {
        (!self.is_empty()).then(|| self.get(0))
    }

    pub fn max(&self) -> Option<i64> {
        (!self.is_empty()).then(|| self.get(self.len() - 1))
    }

    /// Adds `x`; false if it was already there.
    pub fn insert(&mut self, x: i64) -> bool {
        let pos = each_width!(self, v => search(v, x));
        match pos {
            Some(Ok(_)) => false,
            Some(Err(i)) => {
                each_width!(self, v => {
                    reserve_one(v);
                    // `search` succeeded, so `x` fits this width.
                    v.insert(i, narrow(x));
                });
                true
            }
            None => {
                self.upgrade_and_add(x);
                true
            }
        }
    }

    /// `x` needs a wider array than this one: it is smaller or larger than
    /// every member, so it goes at one end.
    fn upgrade_and_add(&mut self, x: i64) {
        let front = x < 0;
        let mut wider = if i32::try_from(x).is_ok() {
            match self {
                IntSet::I16(v) => IntSet::I32(widen(v, 1)),
                _ => unreachable!("a value that fits 32 bits needs no upgrade from 32 or 64"),
            }
        } else {
            match self {
                IntSet::I16(v) => IntSet::I64(widen(v, 1)),
                IntSet::I32(v) => IntSet::I64(widen(v, 1)),
                IntSet::I64(_) => unreachable!("every i64 fits 64 bits"),
            }
        };
        each_width!(&mut wider, v => {
            let t = narrow(x);
            if front {
                v.insert(0, t);
            } else {
                v.push(t);
            }
        });
        *self = wider;
    }

    /// Removes `x`; false if it was not there.
    pub fn remove(&mut self, x: i64) -> bool {
        each_width!(self, v => match search(v, x) {
            Some(Ok(i)) => {
                v.remove(i);
                shrink(v);
                true
            }
            _ => false,
        })
    }

    /// Keeps the members at the indexes `keep` says yes to.
    pub fn retain_indexed(&mut self, mut keep: impl FnMut(usize) -> bool) {
        each_width!(self, v => {
            let mut i = 0;
            v.retain(|_| {
                i += 1;
                keep(i - 1)
            });
            shrink(v);
        })
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = i64> + '_ {
        (0..self.len()).map(move |i| self.get(i))
    }

    pub fn heap_size(&self) -> usize {
        each_width!(self, v => v.capacity() * self.width())
    }
}

/// Gives back capacity once the array is under half full.
fn shrink<T>(v: &mut Vec<T>) {
    if v.capacity() > 8 && v.len() < v.capacity() / 2 {
        v.shrink_to(v.len() + v.len() / 4);
    }
}

#[cfg(test)]
mod tests {
    use super::IntSet;

    #[test]
    fn stays_sorted_and_widens_only_when_needed() {
        let mut s = IntSet::default();
        for x in [5, -3, 100, 7, 5] {
            s.insert(x);
        }
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![-3, 5, 7, 100]);
        assert_eq!(s.width(), 2);
        assert!(s.insert(70_000));
        assert_eq!(s.width(), 4);
        assert!(s.insert(-70_000));
        assert!(s.insert(i64::MIN));
        assert_eq!(s.width(), 8);
        assert!(s.insert(i64::MAX));
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![i64::MIN, -70_000, -3, 5, 7, 100, 70_000, i64::MAX]);
        assert!(s.contains(-70_000) && !s.contains(6));
        // Removing the wide members keeps the width, as Redis does.
        assert!(s.remove(i64::MIN) && s.remove(i64::MAX) && !s.remove(i64::MAX));
        assert_eq!(s.width(), 8);
        assert_eq!((s.min(), s.max()), (Some(-70_000), Some(70_000)));
    }

    #[test]
    fn narrow_arrays_report_wide_values_absent() {
        let mut s = IntSet::default();
        s.insert(1);
        assert!(!s.contains(1 << 40));
        assert!(!s.remove(1 << 40));
        assert!(!s.contains(i64::MIN));
        s.insert(32_767);
        s.insert(32_768);
        assert_eq!(s.width(), 4);
        s.retain_indexed(|i| i != 1);
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![1, 32_768]);
    }
}
