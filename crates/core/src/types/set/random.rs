//! Random draws of several members: SRANDMEMBER and SPOP with a count.
//!
//! Redis picks a strategy by how many members are wanted against how many
//! there are; the same thresholds are used here so the work done (and, for
//! SPOP, the encoding left behind) follows Redis. Which members come out is
//! random either way, and every subset of the asked size is equally likely.

use super::{Enc, Member, Set};
use crate::config::EncodingLimits;
use crate::util::rng::Rng;

/// SRANDMEMBER draws from a hashtable until it has enough distinct members
/// only while the set is at least this many times the count; otherwise it
/// walks the whole set once.
const SRANDMEMBER_SUB_STRATEGY_MUL: usize = 3;

/// SPOP takes members out one by one while what stays is more than a fifth
/// of what goes; otherwise it builds a new set of the few that stay.
const SPOP_MOVE_STRATEGY_MUL: usize = 5;

/// Knuth's selection sampling: asked once per item in order, says yes to
/// exactly `picks` of `items`, every subset equally likely.
struct Selection {
    items: u64,
    picks: u64,
}

impl Selection {
    fn new(items: usize, picks: usize) -> Self {
        Selection { items: items as u64, picks: picks as u64 }
    }

    #[inline]
    fn pick(&mut self, rng: &mut Rng) -> bool {
        if self.picks == 0 {
            return false;
        }
        let yes = rng.next_u64() % self.items < self.picks;
        self.items -= 1;
        if yes {
            self.picks -= 1;
        }
        yes
    }
}

impl Set {
    /// `count` distinct members, `0 < count < len` (SRANDMEMBER with a
    /// positive count smaller than the set).
    pub fn sample_distinct(&self, count: usize, rng: &mut Rng, mut emit: impl FnMut(Member)) {
        debug_assert!(count > 0 && count < self.len());
        match &self.enc {
            Enc::Table(h) if count * SRANDMEMBER_SUB_STRATEGY_MUL <= self.len() => {
                let mut seen: foldhash::HashSet<&[u8]> =
                    foldhash::HashSet::with_capacity_and_hasher(count, Default::default());
                while seen.len() < count {
                    let (k, _) = h.table.random(rng.next_u64()).expect("not empty");
                    if seen.insert(k.as_bytes()) {
                        emit(Member::Bytes(k));
                    }
                }
            }
            _ => {
                let mut sel = Selection::new(self.len(), count);
                self.iter().filter(|_| sel.pick(rng)).for_each(emit);
            }
        }
    }

    /// Removes `count` random members, `0 < count < len`, handing each to
    /// `emit` before it goes (SPOP with a count smaller than the set).
    pub fn pop_many(&mut self, count: usize, rng: &mut Rng, lim: &EncodingLimits, mut emit: impl FnMut(Member)) {
        let n = self.len();
        debug_assert!(count > 0 && count < n);
        let remaining = n - count;
        if remaining * SPOP_MOVE_STRATEGY_MUL > count {
            if let Enc::Table(h) = &mut self.enc {
                for _ in 0..count {
                    let pick = h.table.random(rng.next_u64()).expect("not empty").0.clone();
                    if let Some(key) = h.remove(&pick) {
                        emit(Member::Bytes(&key));
                    }
                }
            } else {
                let mut sel = Selection::new(n, count);
                let popped: Vec<bool> = self
                    .iter()
                    .map(|m| {
                        let yes = sel.pick(rng);
                        if yes {
                            emit(m);
                        }
                        yes
                    })
                    .collect();
                self.retain_indexed(|i| !popped[i]);
            }
            return;
        }
        // Most members go: the few that stay move to a fresh compact set,
        // which replaces this one (so a hashtable may become a listpack, as
        // in Redis).
        let mut kept = match self.enc {
            Enc::Ints(_) => Set::intset(),
            _ => Set::listpack(),
        };
        if let Enc::Table(h) = &mut self.enc {
            for _ in 0..remaining {
                let pick = h.table.random(rng.next_u64()).expect("not empty").0.clone();
                kept.add(Member::Bytes(&pick), lim);
                h.remove(&pick);
            }
            self.iter().for_each(emit);
        } else {
            let mut sel = Selection::new(n, remaining);
            for m in self.iter() {
                if sel.pick(rng) {
                    kept.add(m, lim);
                } else {
                    emit(m);
                }
            }
        }
        *self = kept;
    }

    /// Keeps the members at the indexes `keep` says yes to (compact encodings).
    fn retain_indexed(&mut self, keep: impl FnMut(usize) -> bool) {
        match &mut self.enc {
            Enc::Ints(s) => s.retain_indexed(keep),
            Enc::Pack(p) => p.retain_indexed(keep),
            Enc::Table(_) => unreachable!("hashtables are not walked by index"),
        }
    }
}
