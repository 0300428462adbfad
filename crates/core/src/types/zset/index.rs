//! The member → node index of a skiplist sorted set: an open-addressing
//! table of `u32` node numbers and nothing else. The member bytes and the
//! score are read from the node, so a member is stored once (Redis shares
//! one sds between its dict and its skiplist for the same reason); a
//! `Table<f64>` here would keep a second copy of every member and cost about
//! 45 bytes more per element. Beside each slot, 8 bits of its hash spare
//! most probes a visit to a node.
//!
//! Linear probing with backward-shift deletion (no tombstones), as the
//! keyspace's `Table`; so a home bucket's entries form an unbroken run from
//! it, which is what the reverse-binary SCAN cursor needs.

use std::hash::{BuildHasher, Hasher};

const EMPTY: u32 = u32::MAX;
const MIN_SLOTS: usize = 8;

#[derive(Clone, Default)]
pub struct Index {
    slots: Box<[u32]>,
    /// The top 8 bits of each slot's member hash: a probe reads a node (a
    /// cache miss) only when they match.
    tags: Box<[u8]>,
    len: usize,
    hasher: foldhash::fast::RandomState,
}

#[inline]
fn max_load(slots: usize) -> usize {
    slots - slots / 4
}

impl Index {
    #[inline]
    pub fn hash(&self, member: &[u8]) -> u64 {
        let mut h = self.hasher.build_hasher();
        h.write(member);
        h.finish()
    }

    #[inline]
    fn tag(hash: u64) -> u8 {
        (hash >> 56) as u8
    }

    #[inline]
    fn mask(&self) -> usize {
        self.slots.len().wrapping_sub(1)
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.len
    }

    /// The node holding `member`; `member_of` reads a node's member.
    #[inline]
    pub fn find<'a>(&self, member: &[u8], member_of: impl Fn(u32) -> &'a [u8]) -> Option<u32> {
        self.find_slot(member, member_of).map(|(_, n)| n)
    }

    fn find_slot<'a>(&self, member: &[u8], member_of: impl Fn(u32) -> &'a [u8]) -> Option<(usize, u32)> {
        if self.len == 0 {
            return None;
        }
        let mask = self.mask();
        let hash = self.hash(member);
        let tag = Self::tag(hash);
        let mut pos = hash as usize & mask;
        loop {
            let s = self.slots[pos];
            if s == EMPTY {
                return None;
            }
            if self.tags[pos] == tag && member_of(s) == member {
                return Some((pos, s));
            }
            pos = (pos + 1) & mask;
        }
    }

    /// Adds `node` (whose member is absent), growing first if needed.
    pub fn insert<'a>(&mut self, node: u32, member: &[u8], member_of: impl Fn(u32) -> &'a [u8]) {
        if self.len + 1 > max_load(self.slots.len()) {
            let slots = (self.slots.len() * 2).max(MIN_SLOTS);
            self.rebuild(slots, &member_of);
        }
        let mask = self.mask();
        let hash = self.hash(member);
        let mut pos = hash as usize & mask;
        while self.slots[pos] != EMPTY {
            pos = (pos + 1) & mask;
        }
        self.slots[pos] = node;
        self.tags[pos] = Self::tag(hash);
        self.len += 1;
    }

    /// Makes room for `n` members in all without growing.
    pub fn reserve<'a>(&mut self, n: usize, member_of: impl Fn(u32) -> &'a [u8]) {
        let mut slots = MIN_SLOTS;
        while max_load(slots) < n {
            slots *= 2;
        }
        if slots > self.slots.len() {
            self.rebuild(slots, &member_of);
        }
    }

    fn rebuild<'a>(&mut self, slots: usize, member_of: &impl Fn(u32) -> &'a [u8]) {
        let old = std::mem::replace(&mut self.slots, vec![EMPTY; slots].into_boxed_slice());
        self.tags = vec![0; slots].into_boxed_slice();
        let mask = slots - 1;
        for s in old.iter().copied().filter(|&s| s != EMPTY) {
            let hash = self.hash(member_of(s));
            let mut pos = hash as usize & mask;
            while self.slots[pos] != EMPTY {
                pos = (pos + 1) & mask;
            }
            self.slots[pos] = s;
            self.tags[pos] = Self::tag(hash);
        }
    }

    /// Removes `member`; its node.
    pub fn remove<'a>(&mut self, member: &[u8], member_of: impl Fn(u32) -> &'a [u8]) -> Option<u32> {
        let (mut hole, node) = self.find_slot(member, &member_of)?;
        let mask = self.mask();
        let mut pos = hole;
        loop {
            pos = (pos + 1) & mask;
            let s = self.slots[pos];
            if s == EMPTY {
                break;
            }
            let home = self.hash(member_of(s)) as usize & mask;
            if pos.wrapping_sub(home) & mask >= pos.wrapping_sub(hole) & mask {
                self.slots[hole] = s;
                self.tags[hole] = self.tags[pos];
                hole = pos;
            }
        }
        self.slots[hole] = EMPTY;
        self.len -= 1;
        if self.slots.len() > MIN_SLOTS && self.len < self.slots.len() / 8 {
            let target = (self.len * 2).next_power_of_two().max(MIN_SLOTS);
            self.rebuild(target, &member_of);
        }
        Some(node)
    }

    /// One SCAN step: every node whose home bucket is `cursor & mask`, then
    /// the next cursor (0 when done), as `Table::scan`.
    pub fn scan<'a>(&self, cursor: u64, member_of: impl Fn(u32) -> &'a [u8], mut visit: impl FnMut(u32)) -> u64 {
        if self.len == 0 {
            return 0;
        }
        let mask = self.mask();
        let home = cursor as usize & mask;
        let mut pos = home;
        loop {
            let s = self.slots[pos];
            if s == EMPTY {
                break;
            }
            if self.hash(member_of(s)) as usize & mask == home {
                visit(s);
            }
            pos = (pos + 1) & mask;
        }
        crate::keyspace::table::next_cursor(cursor, mask)
    }

    /// Forgets every node, keeping the hasher.
    pub fn clear(&mut self) {
        self.slots = Box::default();
        self.tags = Box::default();
        self.len = 0;
    }

    pub fn heap_size(&self) -> usize {
        self.slots.len() * 5
    }
}
