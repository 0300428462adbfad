//! The keyspace's hash table: a dense vector of entries plus an open-addressing
//! index of `u32` slots (the layout of Python's dict and indexmap).
//!
//! Why this shape:
//! - Memory. An entry is key + value + hash + meta with no per-key allocation
//!   and no pointers; the index adds 4 bytes a slot. Redis pays a dictEntry,
//!   an robj and an sds header per key on top of its bucket array.
//! - O(1) `random`: entries are dense, so RANDOMKEY and eviction sampling are
//!   one modulo away from a uniform pick, with no empty buckets to skip.
//! - SCAN that survives resizes. Entries are found by their *home* slot
//!   (`hash & mask`) and linear probing keeps every entry in the unbroken run
//!   of occupied slots that starts at its home (backward-shift deletion, no
//!   tombstones). Visiting a home bucket therefore finds all of its entries,
//!   which is exactly what Redis's reverse-binary cursor needs.
//!
//! A slot holds the entry's index in its low bits; the bits above the mask,
//! which the home slot does not use, hold the same bits of the entry's hash.
//! Probing compares those bits first, so it rarely touches an entry that is
//! not the one it looks for — a tag for free, since an entry index always
//! fits under the mask (there are never more entries than slots).

use std::hash::{BuildHasher, Hasher};
use std::mem;

use super::bytes::SmallBytes;

/// An empty slot. Never a valid slot value: its index bits would be `mask`,
/// while entry indexes stay below 3/4 of the slot count.
const EMPTY: u32 = u32::MAX;

/// The smallest index once anything is stored (holds 6 entries).
const MIN_SLOTS: usize = 8;

/// Slot values are `u32`, so the index cannot have more than 2^32 slots
/// (about 3.2 billion keys at the maximum load).
const MAX_SLOTS: usize = 1 << if usize::BITS > 32 { 32 } else { usize::BITS - 1 };

/// The top bit of an entry's meta: the snapshot under way still needs the
/// entry (see [`Table::begin_capture`]). The caller's bits are the 31 below.
const PENDING: u32 = 1 << 31;

/// One key. With a 24-byte value the fields take 24 + 24 + 4 + 4 = 56 bytes:
/// `hash` and `meta` share the 8 bytes that padding would take anyway, so
/// keeping the full hash here costs nothing and spares rehashing keys when the
/// index is rebuilt.
#[derive(Clone)]
struct Entry<V> {
    key: SmallBytes,
    value: V,
    hash: u32,
    meta: u32,
}

#[derive(Clone)]
pub struct Table<V> {
    entries: Vec<Entry<V>>,
    /// A power of two of slots, or none before the first insert (an empty
    /// table allocates nothing: every engine starts 16 databases × 2 tables).
    slots: Box<[u32]>,
    /// Seeded per table, so keys chosen by a client cannot be made to collide
    /// without knowing the seed.
    hasher: foldhash::fast::RandomState,
}

impl<V> Default for Table<V> {
    fn default() -> Self {
        Table { entries: Vec::new(), slots: Box::default(), hasher: foldhash::fast::RandomState::default() }
    }
}

/// How many entries an index of `slots` slots takes before it must grow.
#[inline]
fn max_load(slots: usize) -> usize {
    slots - slots / 4
}

/// The smallest index that holds `n` entries.
fn slots_for(n: usize) -> usize {
    let mut slots = MIN_SLOTS;
    while max_load(slots) < n {
        assert!(slots < MAX_SLOTS, "keyspace table: too many keys");
        slots *= 2;
    }
    slots
}

impl<V> Table<V> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    #[inline]
    fn hash(&self, key: &[u8]) -> u32 {
        // `write` rather than `hash_one`: a slice's `Hash` impl adds a length
        // prefix that foldhash already accounts for.
        let mut h = self.hasher.build_hasher();
        h.write(key);
        let h = h.finish();
        (h ^ (h >> 32)) as u32
    }

    #[inline]
    fn mask(&self) -> usize {
        self.slots.len().wrapping_sub(1)
    }

    /// The slot and entry index of `key`.
    #[inline]
    fn find(&self, hash: u32, key: &[u8]) -> Option<(usize, usize)> {
        if self.entries.is_empty() {
            return None;
        }
        let mask = self.mask();
        let high = !(mask as u32);
        let mut pos = hash as usize & mask;
        loop {
            let s = self.slots[pos];
            if s == EMPTY {
                return None;
            }
            if (s ^ hash) & high == 0 {
                let i = (s & !high) as usize;
                let e = &self.entries[i];
                if e.hash == hash && e.key.as_bytes() == key {
                    return Some((pos, i));
                }
            }
            pos = (pos + 1) & mask;
        }
    }

    #[inline]
    fn index_of(&self, key: &[u8]) -> Option<usize> {
        self.find(self.hash(key), key).map(|(_, i)| i)
    }

    pub fn get(&self, key: &[u8]) -> Option<&V> {
        self.index_of(key).map(|i| &self.entries[i].value)
    }

    pub fn get_mut(&mut self, key: &[u8]) -> Option<&mut V> {
        self.index_of(key).map(|i| &mut self.entries[i].value)
    }

    /// The stored key too (its heap allocation, for callers that keep it).
    pub fn get_key_value(&self, key: &[u8]) -> Option<(&SmallBytes, &V)> {
        self.index_of(key).map(|i| {
            let e = &self.entries[i];
            (&e.key, &e.value)
        })
    }

    /// The value, with its meta replaced by `touch(meta)` in the same lookup
    /// (stamping a key's LRU clock while reading it).
    #[inline]
    pub fn get_mut_touched(&mut self, key: &[u8], touch: impl FnOnce(u32) -> u32) -> Option<&mut V> {
        self.index_of(key).map(|i| {
            let e = &mut self.entries[i];
            e.meta = retouch(e.meta, touch);
            &mut e.value
        })
    }

    pub fn contains(&self, key: &[u8]) -> bool {
        self.index_of(key).is_some()
    }

    /// Inserts or replaces; returns the previous value. A replaced entry keeps
    /// its key and its meta.
    pub fn insert(&mut self, key: &[u8], value: V) -> Option<V> {
        self.upsert(key, value, 0, |meta| meta)
    }

    /// Inserts or replaces in one probe: a new entry starts with `fresh`
    /// meta, a replaced one gets `touched(old meta)` (the keyspace stamps a
    /// key's access time as it writes it).
    pub fn upsert(&mut self, key: &[u8], value: V, fresh: u32, touched: impl FnOnce(u32) -> u32) -> Option<V> {
        let hash = self.hash(key);
        if let Some((_, i)) = self.find(hash, key) {
            let e = &mut self.entries[i];
            e.meta = retouch(e.meta, touched);
            return Some(mem::replace(&mut e.value, value));
        }
        self.push(hash, SmallBytes::new(key), value, fresh);
        None
    }

    /// Inserts with an already-built key (RENAME moves keys without copying).
    pub fn insert_owned(&mut self, key: SmallBytes, value: V) -> Option<V> {
        let hash = self.hash(&key);
        if let Some((_, i)) = self.find(hash, &key) {
            return Some(mem::replace(&mut self.entries[i].value, value));
        }
        self.push(hash, key, value, 0);
        None
    }

    /// Appends a key known to be absent.
    fn push(&mut self, hash: u32, key: SmallBytes, value: V, meta: u32) {
        let len = self.entries.len();
        if len >= max_load(self.slots.len()) {
            let slots = if self.slots.is_empty() { MIN_SLOTS } else { self.slots.len() * 2 };
            self.rebuild(slots);
        }
        if len == self.entries.capacity() {
            // Entries are nearly all of the table's bytes, so they grow by half
            // rather than double: at most a third of their capacity sits idle,
            // instead of half, and growth stays amortised O(1).
            self.entries.reserve_exact((len / 2).max(4));
        }
        // A key added during a capture is not part of its snapshot.
        let meta = meta & !PENDING;
        self.entries.push(Entry { key, value, hash, meta });
        let mask = self.mask();
        let mut pos = hash as usize & mask;
        while self.slots[pos] != EMPTY {
            pos = (pos + 1) & mask;
        }
        self.slots[pos] = (hash & !(mask as u32)) | len as u32;
    }

    /// Room for `additional` more keys without growing.
    pub fn reserve(&mut self, additional: usize) {
        let want = self.entries.len().saturating_add(additional);
        if want > max_load(self.slots.len()) {
            self.rebuild(slots_for(want));
        }
        self.entries.reserve_exact(additional);
    }

    /// Replaces the index with one of `slots` slots built from the entries;
    /// the entries themselves do not move.
    fn rebuild(&mut self, slots: usize) {
        assert!(slots <= MAX_SLOTS, "keyspace table: too many keys");
        debug_assert!(slots.is_power_of_two() && max_load(slots) >= self.entries.len());
        let mut index = vec![EMPTY; slots].into_boxed_slice();
        let mask = slots - 1;
        for (i, e) in self.entries.iter().enumerate() {
            let mut pos = e.hash as usize & mask;
            while index[pos] != EMPTY {
                pos = (pos + 1) & mask;
            }
            index[pos] = (e.hash & !(mask as u32)) | i as u32;
        }
        self.slots = index;
    }

    pub fn remove(&mut self, key: &[u8]) -> Option<V> {
        self.remove_entry(key).map(|(_, v)| v)
    }

    pub fn remove_entry(&mut self, key: &[u8]) -> Option<(SmallBytes, V)> {
        let (pos, i) = self.find(self.hash(key), key)?;
        self.vacate(pos);
        let last = self.entries.len() - 1;
        if i != last {
            // swap_remove moves the last entry into `i`: repoint its slot.
            let mask = self.mask();
            let high = !(mask as u32);
            let mut p = self.entries[last].hash as usize & mask;
            while (self.slots[p] & !high) as usize != last {
                p = (p + 1) & mask;
            }
            self.slots[p] = (self.slots[p] & high) | i as u32;
        }
        let e = self.entries.swap_remove(i);
        self.shrink_if_sparse();
        Some((e.key, e.value))
    }

    /// Empties slot `hole` by backward shift: each later slot of the run whose
    /// entry may sit at the hole (its home is not between the hole and where it
    /// is) moves back, and the hole moves to where it was. Leaves no
    /// tombstones, so every run stays unbroken from each entry's home.
    fn vacate(&mut self, mut hole: usize) {
        let mask = self.mask();
        let high = !(mask as u32);
        let mut pos = hole;
        loop {
            pos = (pos + 1) & mask;
            let s = self.slots[pos];
            if s == EMPTY {
                break;
            }
            let home = self.entries[(s & !high) as usize].hash as usize & mask;
            if pos.wrapping_sub(home) & mask >= pos.wrapping_sub(hole) & mask {
                self.slots[hole] = s;
                hole = pos;
            }
        }
        self.slots[hole] = EMPTY;
    }

    /// Redis shrinks a dict once it is under 10% full; below 1/8 this index
    /// drops to a size where the keys fill about half, so it takes many more
    /// inserts or removes before it resizes again. The entries' spare
    /// capacity goes at the same time.
    fn shrink_if_sparse(&mut self) {
        let slots = self.slots.len();
        let len = self.entries.len();
        if slots > MIN_SLOTS && len < slots / 8 {
            let target = (len * 2).next_power_of_two().max(MIN_SLOTS);
            self.rebuild(target);
            self.entries.shrink_to(max_load(target));
        }
    }

    /// Drops every key and frees the table's memory.
    pub fn clear(&mut self) {
        self.entries = Vec::new();
        self.slots = Box::default();
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&SmallBytes, &V)> {
        self.entries.iter().map(|e| (&e.key, &e.value))
    }

    /// Every entry with the caller's meta bits.
    pub fn iter_with_meta(&self) -> impl ExactSizeIterator<Item = (&SmallBytes, &V, u32)> {
        self.entries.iter().map(|e| (&e.key, &e.value, e.meta & !PENDING))
    }

    pub fn iter_mut(&mut self) -> impl ExactSizeIterator<Item = (&SmallBytes, &mut V)> {
        self.entries.iter_mut().map(|e| (&e.key, &mut e.value))
    }

    /// One SCAN step: visits every entry whose home slot is `cursor & mask`
    /// and returns the next cursor (0 = done).
    ///
    /// The cursor counts with its bits reversed (Redis's `dictScan`): read
    /// back to front, a cursor is a binary fraction, and the homes visited so
    /// far are exactly the hashes whose low bits, read back to front, are
    /// below it — whatever the index size was at each step. Growing keeps
    /// that set; shrinking only truncates the fraction, which revisits some
    /// homes (duplicates) and never skips one. So a key present for the whole
    /// scan is returned at least once.
    pub fn scan(&self, cursor: u64, mut visit: impl FnMut(&SmallBytes, &V)) -> u64 {
        if self.entries.is_empty() {
            return 0;
        }
        let mask = self.mask();
        let high = !(mask as u32);
        let home = cursor as usize & mask;
        // An entry with this home may sit anywhere up to the run's end.
        let mut pos = home;
        loop {
            let s = self.slots[pos];
            if s == EMPTY {
                break;
            }
            let e = &self.entries[(s & !high) as usize];
            if e.hash as usize & mask == home {
                visit(&e.key, &e.value);
            }
            pos = (pos + 1) & mask;
        }
        next_cursor(cursor, mask)
    }

    /// A uniformly chosen entry: `seed` modulo the number of keys.
    pub fn random(&self, seed: u64) -> Option<(&SmallBytes, &V)> {
        if self.entries.is_empty() {
            return None;
        }
        let e = &self.entries[(seed % self.entries.len() as u64) as usize];
        Some((&e.key, &e.value))
    }

    /// The caller's 31 bits stored beside each entry (the keyspace keeps the
    /// LRU clock / LFU counter there, as Redis keeps them in `robj.lru`).
    /// A new key starts at 0.
    pub fn meta(&self, key: &[u8]) -> Option<u32> {
        self.index_of(key).map(|i| self.entries[i].meta & !PENDING)
    }

    pub fn set_meta(&mut self, key: &[u8], meta: u32) {
        if let Some(i) = self.index_of(key) {
            let e = &mut self.entries[i];
            e.meta = retouch(e.meta, |_| meta);
        }
    }

    /// Starts a capture: every entry is pending from now on, until
    /// [`Table::capture_at`] takes it or the table drops it; keys added
    /// meanwhile are not pending. One pass over the entries, the whole of
    /// the pause a snapshot makes (Redis's fork copies the page tables).
    /// Pending entries below a cursor that walks the entries downwards stay
    /// there however keys come and go, since `swap_remove` only ever moves
    /// the last entry down.
    pub fn begin_capture(&mut self) {
        for e in &mut self.entries {
            e.meta |= PENDING;
        }
    }

    /// Where `key` is, if it is still pending in the capture under way.
    #[inline]
    pub fn pending_index(&self, key: &[u8]) -> Option<usize> {
        self.index_of(key).filter(|&i| self.entries[i].meta & PENDING != 0)
    }

    /// Takes the entry at `index` for the capture (key, value, meta) if it
    /// was pending; `None` if the capture already has it.
    pub fn capture_at(&mut self, index: usize) -> Option<(&SmallBytes, &V, u32)> {
        let e = self.entries.get_mut(index)?;
        if e.meta & PENDING == 0 {
            return None;
        }
        e.meta &= !PENDING;
        Some((&e.key, &e.value, e.meta))
    }

    /// The entries still pending (a capture reading a table handed to it whole).
    pub fn pending(&self) -> impl Iterator<Item = (&SmallBytes, &V, u32)> {
        self.entries.iter().filter(|e| e.meta & PENDING != 0).map(|e| (&e.key, &e.value, e.meta & !PENDING))
    }

    /// Ends a capture early: no entry is pending any more.
    pub fn abandon_capture(&mut self) {
        for e in &mut self.entries {
            e.meta &= !PENDING;
        }
    }

    /// Bytes held by the table itself: the entries' capacity and the index
    /// (not what keys and values own on the heap).
    pub fn overhead_bytes(&self) -> usize {
        self.entries.capacity() * mem::size_of::<Entry<V>>() + mem::size_of_val::<[u32]>(&self.slots)
    }
}

/// `meta` with its caller's bits replaced by `touch` of them; the capture bit stays.
#[inline]
fn retouch(meta: u32, touch: impl FnOnce(u32) -> u32) -> u32 {
    (touch(meta & !PENDING) & !PENDING) | (meta & PENDING)
}

#[cfg(test)]
#[path = "table_tests.rs"]
mod tests;

/// The SCAN cursor after `cursor` over a table of `mask + 1` home buckets:
/// Redis's reverse-binary increment. Setting the bits above the mask first
/// makes the carry run out of them (and out of the u64, giving 0, after the
/// last bucket), so a walk visits every bucket once and stays complete when
/// the table grows or shrinks between calls.
pub(crate) fn next_cursor(cursor: u64, mask: usize) -> u64 {
    (cursor | !(mask as u64)).reverse_bits().wrapping_add(1).reverse_bits()
}
