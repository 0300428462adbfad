//! Redis's partial quicksort (`pqsort`, from the BSD `qsort`): sorts only
//! as much of a slice as a wanted index range needs. Used when COUNT keeps
//! fewer results than were found; its order among equal distances is
//! visible in replies, so the algorithm is followed step for step (pivot by
//! median of three, or the ninther past 40 elements; three-way partition
//! with equal keys parked at both ends; insertion sort below 7).

use std::cmp::Ordering;

/// Sorts `v` enough that indexes `lo..=hi` hold what a full sort would put
/// there (ties aside, which land as Redis's pqsort leaves them).
pub fn pqsort<T>(v: &mut [T], cmp: &impl Fn(&T, &T) -> Ordering, lo: usize, hi: usize) {
    sort_part(v, 0, v.len(), cmp, lo, hi);
}

/// True when the part `start..start + len` holds none of `lo..=hi`.
fn outside(start: usize, len: usize, lo: usize, hi: usize) -> bool {
    (lo < start && hi < start) || (lo >= start + len && hi >= start + len)
}

fn med3<T>(v: &[T], cmp: &impl Fn(&T, &T) -> Ordering, a: usize, b: usize, c: usize) -> usize {
    if cmp(&v[a], &v[b]) == Ordering::Less {
        if cmp(&v[b], &v[c]) == Ordering::Less {
            b
        } else if cmp(&v[a], &v[c]) == Ordering::Less {
            c
        } else {
            a
        }
    } else if cmp(&v[b], &v[c]) == Ordering::Greater {
        b
    } else if cmp(&v[a], &v[c]) == Ordering::Less {
        a
    } else {
        c
    }
}

/// Swaps the `n` elements from `a` with those from `b`, first to last.
fn swap_run<T>(v: &mut [T], a: usize, b: usize, n: usize) {
    for k in 0..n {
        v.swap(a + k, b + k);
    }
}

fn sort_part<T>(v: &mut [T], mut start: usize, mut n: usize, cmp: &impl Fn(&T, &T) -> Ordering, lo: usize, hi: usize) {
    loop {
        if n < 7 {
            for m in start + 1..start + n {
                let mut l = m;
                while l > start && cmp(&v[l - 1], &v[l]) == Ordering::Greater {
                    v.swap(l, l - 1);
                    l -= 1;
                }
            }
            return;
        }
        let mut pm = start + n / 2;
        if n > 7 {
            let mut pl = start;
            let mut pn = start + n - 1;
            if n > 40 {
                let d = n / 8;
                pl = med3(v, cmp, pl, pl + d, pl + 2 * d);
                pm = med3(v, cmp, pm - d, pm, pm + d);
                pn = med3(v, cmp, pn - 2 * d, pn - d, pn);
            }
            pm = med3(v, cmp, pl, pm, pn);
        }
        v.swap(start, pm);
        // [start+1, pa): equal to the pivot; [pa, pb): less; (pc, pd]:
        // greater; (pd, end): equal.
        let (mut pa, mut pb) = (start + 1, start + 1);
        let (mut pc, mut pd) = (start + n - 1, start + n - 1);
        loop {
            while pb <= pc {
                let c = cmp(&v[pb], &v[start]);
                if c == Ordering::Greater {
                    break;
                }
                if c == Ordering::Equal {
                    v.swap(pa, pb);
                    pa += 1;
                }
                pb += 1;
            }
            while pb <= pc {
                let c = cmp(&v[pc], &v[start]);
                if c == Ordering::Less {
                    break;
                }
                if c == Ordering::Equal {
                    v.swap(pc, pd);
                    pd -= 1;
                }
                pc -= 1;
            }
            if pb > pc {
                break;
            }
            v.swap(pb, pc);
            pb += 1;
            pc -= 1;
        }
        // Move the parked equal runs to the middle.
        let end = start + n;
        let r = (pa - start).min(pb - pa);
        swap_run(v, start, pb - r, r);
        let r = (pd - pc).min(end - pd - 1);
        swap_run(v, pb, end - r, r);
        let less = pb - pa;
        if less > 1 && !outside(start, less, lo, hi) {
            sort_part(v, start, less, cmp, lo, hi);
        }
        let greater = pd - pc;
        if greater <= 1 {
            return;
        }
        start = end - greater;
        n = greater;
        if outside(start, n, lo, hi) {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_the_wanted_prefix() {
        let mut seed = 7u64;
        for len in [0usize, 1, 5, 7, 8, 39, 41, 100, 333] {
            let mut v: Vec<u64> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    (seed >> 33) % 50
                })
                .collect();
            let mut want = v.clone();
            want.sort();
            let keep = len / 3;
            if keep == 0 {
                continue;
            }
            pqsort(&mut v, &|a: &u64, b: &u64| a.cmp(b), 0, keep - 1);
            assert_eq!(&v[..keep], &want[..keep], "len {len}");
        }
    }
}
