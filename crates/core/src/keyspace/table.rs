//! The keyspace's hash table. PLACEHOLDER over std's HashMap while the real
//! index table is written; its API is the contract.

use std::collections::HashMap;

use super::bytes::SmallBytes;

pub struct Table<V> {
    map: HashMap<SmallBytes, V>,
    meta: HashMap<SmallBytes, u32>,
}

impl<V> Default for Table<V> {
    fn default() -> Self {
        Table { map: HashMap::new(), meta: HashMap::new() }
    }
}

impl<V> Table<V> {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn len(&self) -> usize {
        self.map.len()
    }
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
    pub fn get(&self, key: &[u8]) -> Option<&V> {
        self.map.get(key)
    }
    pub fn get_mut(&mut self, key: &[u8]) -> Option<&mut V> {
        self.map.get_mut(key)
    }
    pub fn contains(&self, key: &[u8]) -> bool {
        self.map.contains_key(key)
    }
    /// Inserts or replaces; returns the previous value.
    pub fn insert(&mut self, key: &[u8], value: V) -> Option<V> {
        self.map.insert(SmallBytes::new(key), value)
    }
    /// Inserts with an already-built key (RENAME moves keys without copying).
    pub fn insert_owned(&mut self, key: SmallBytes, value: V) -> Option<V> {
        self.map.insert(key, value)
    }
    pub fn remove(&mut self, key: &[u8]) -> Option<V> {
        self.map.remove(key)
    }
    pub fn remove_entry(&mut self, key: &[u8]) -> Option<(SmallBytes, V)> {
        self.map.remove_entry(key)
    }
    pub fn clear(&mut self) {
        self.map.clear()
    }
    pub fn iter(&self) -> impl Iterator<Item = (&SmallBytes, &V)> {
        self.map.iter()
    }
    /// One SCAN step: visits some entries and returns the next cursor (0 = done).
    pub fn scan(&self, _cursor: u64, mut visit: impl FnMut(&SmallBytes, &V)) -> u64 {
        for (k, v) in &self.map {
            visit(k, v);
        }
        0
    }
    /// A pseudo-random entry chosen from `seed`.
    pub fn random(&self, seed: u64) -> Option<(&SmallBytes, &V)> {
        if self.map.is_empty() {
            return None;
        }
        self.map.iter().nth(seed as usize % self.map.len())
    }
    /// The caller's 32 bits stored beside each entry (the keyspace keeps the
    /// LRU clock / LFU counter there, as Redis keeps them in `robj.lru`).
    pub fn meta(&self, key: &[u8]) -> Option<u32> {
        self.meta.get(key).copied()
    }
    pub fn set_meta(&mut self, key: &[u8], meta: u32) {
        if self.map.contains_key(key) {
            self.meta.insert(SmallBytes::new(key), meta);
        }
    }
    /// Bytes held by the table itself (slots and entries, not values' heap).
    pub fn overhead_bytes(&self) -> usize {
        self.map.capacity() * (std::mem::size_of::<(SmallBytes, V)>() + 1)
    }
}
