//! One database: keys → values, plus a second table of deadlines for the
//! keys that have one (as Redis's `expires` dict), so keys without a TTL pay
//! nothing for expiry and the active cycle only walks keys that can expire.

use super::table::Table;
use super::SmallBytes;
use crate::types::Value;

#[derive(Default)]
pub struct Db {
    keys: Table<Value>,
    /// Unix-ms deadline of each key that has one.
    expires: Table<i64>,
    /// Where the active expiry cycle resumes its walk of `expires`.
    expire_cursor: u64,
    /// Keys removed because their deadline passed (lazily or actively).
    pub expired: u64,
}

impl Db {
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn expires_len(&self) -> usize {
        self.expires.len()
    }

    /// Removes `key` if its deadline has passed; true if it did.
    #[inline]
    fn expire_if_needed(&mut self, key: &[u8], now: i64) -> bool {
        if self.expires.is_empty() {
            return false;
        }
        match self.expires.get(key) {
            Some(&at) if at <= now => {
                self.expires.remove(key);
                self.keys.remove(key);
                self.expired += 1;
                true
            }
            _ => false,
        }
    }

    /// The live value of `key`; an expired key is deleted on the way.
    #[inline]
    pub fn get(&mut self, key: &[u8], now: i64) -> Option<&Value> {
        self.expire_if_needed(key, now);
        self.keys.get(key)
    }

    #[inline]
    pub fn get_mut(&mut self, key: &[u8], now: i64) -> Option<&mut Value> {
        self.expire_if_needed(key, now);
        self.keys.get_mut(key)
    }

    pub fn exists(&mut self, key: &[u8], now: i64) -> bool {
        self.get(key, now).is_some()
    }

    /// Stores `value` and drops any deadline (Redis's `setKey`).
    #[inline]
    pub fn set(&mut self, key: &[u8], value: Value) -> Option<Value> {
        if !self.expires.is_empty() {
            self.expires.remove(key);
        }
        self.keys.insert(key, value)
    }

    /// Stores `value`, keeping the key's deadline (SET KEEPTTL, in-place updates).
    pub fn set_keep_ttl(&mut self, key: &[u8], value: Value) -> Option<Value> {
        self.keys.insert(key, value)
    }

    /// Deletes `key` and its deadline. Does not check expiry: callers that
    /// care ask `get` first.
    pub fn remove(&mut self, key: &[u8]) -> Option<Value> {
        let v = self.keys.remove(key)?;
        if !self.expires.is_empty() {
            self.expires.remove(key);
        }
        Some(v)
    }

    /// Takes the key out whole (owned key, value, deadline): RENAME and MOVE.
    pub fn take(&mut self, key: &[u8]) -> Option<(SmallBytes, Value, Option<i64>)> {
        let (k, v) = self.keys.remove_entry(key)?;
        let at = if self.expires.is_empty() { None } else { self.expires.remove(key) };
        Some((k, v, at))
    }

    /// Puts back what `take` returned, under any name.
    pub fn put(&mut self, key: SmallBytes, value: Value, expire_at: Option<i64>) {
        if let Some(at) = expire_at {
            self.expires.insert(&key, at);
        } else if !self.expires.is_empty() {
            self.expires.remove(&key);
        }
        self.keys.insert_owned(key, value);
    }

    pub fn expire_at(&self, key: &[u8]) -> Option<i64> {
        if self.expires.is_empty() {
            return None;
        }
        self.expires.get(key).copied()
    }

    /// Sets the deadline of an existing key.
    pub fn set_expire(&mut self, key: &[u8], at: i64) {
        debug_assert!(self.keys.contains(key));
        self.expires.insert(key, at);
    }

    /// Drops the deadline; true if there was one.
    pub fn persist(&mut self, key: &[u8]) -> bool {
        self.expires.remove(key).is_some()
    }

    pub fn clear(&mut self) {
        self.keys.clear();
        self.expires.clear();
        self.expire_cursor = 0;
    }

    pub fn keys(&self) -> &Table<Value> {
        &self.keys
    }

    /// One SCAN step over the keys (expired ones are skipped by the caller).
    pub fn scan(&self, cursor: u64, visit: impl FnMut(&SmallBytes, &Value)) -> u64 {
        self.keys.scan(cursor, visit)
    }

    pub fn random_key(&self, seed: u64) -> Option<&SmallBytes> {
        self.keys.random(seed).map(|(k, _)| k)
    }

    /// Redis's active expiry: walk the deadlines in small steps, deleting
    /// what has passed, and keep going while more than 10% of what was
    /// looked at had expired and `out_of_time` says there is time left.
    /// Returns how many keys it removed.
    pub fn active_expire(&mut self, now: i64, mut out_of_time: impl FnMut() -> bool) -> u64 {
        const SAMPLE: usize = 20;
        let mut removed = 0;
        let mut dead: Vec<SmallBytes> = Vec::new();
        loop {
            if self.expires.is_empty() {
                self.expire_cursor = 0;
                return removed;
            }
            let mut seen = 0;
            let mut cursor = self.expire_cursor;
            // A scan step visits at least one bucket; a few steps make a sample.
            loop {
                cursor = self.expires.scan(cursor, |k, &at| {
                    seen += 1;
                    if at <= now {
                        dead.push(k.clone());
                    }
                });
                if cursor == 0 || seen >= SAMPLE {
                    break;
                }
            }
            self.expire_cursor = cursor;
            let n = dead.len();
            for k in dead.drain(..) {
                self.expires.remove(&k);
                self.keys.remove(&k);
            }
            removed += n as u64;
            self.expired += n as u64;
            if seen == 0 || n * 10 <= seen || cursor == 0 || out_of_time() {
                return removed;
            }
        }
    }

    /// Bytes held by this database (tables plus values' own heap).
    pub fn memory_bytes(&self) -> usize {
        let values: usize = self.keys.iter().map(|(k, v)| k.heap_size() + v.heap_size()).sum();
        self.keys.overhead_bytes() + self.expires.overhead_bytes() + values
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::StrValue;

    fn s(v: &str) -> Value {
        Value::Str(StrValue::from_bytes(v.as_bytes()))
    }

    #[test]
    fn lazy_expiry_on_access() {
        let mut db = Db::default();
        db.set(b"k", s("v"));
        db.set_expire(b"k", 1000);
        assert!(db.get(b"k", 999).is_some());
        assert!(db.get(b"k", 1000).is_none());
        assert_eq!(db.len(), 0);
        assert_eq!(db.expires_len(), 0);
        assert_eq!(db.expired, 1);
    }

    #[test]
    fn set_clears_deadline_and_keep_ttl_keeps_it() {
        let mut db = Db::default();
        db.set(b"k", s("v"));
        db.set_expire(b"k", 1000);
        db.set_keep_ttl(b"k", s("w"));
        assert_eq!(db.expire_at(b"k"), Some(1000));
        db.set(b"k", s("x"));
        assert_eq!(db.expire_at(b"k"), None);
    }

    #[test]
    fn active_cycle_removes_unread_keys() {
        let mut db = Db::default();
        for i in 0..1000 {
            let k = format!("k{i}");
            db.set(k.as_bytes(), s("v"));
            if i % 2 == 0 {
                db.set_expire(k.as_bytes(), 50);
            }
        }
        let mut total = 0;
        for _ in 0..100 {
            total += db.active_expire(100, || false);
        }
        assert_eq!(total, 500);
        assert_eq!(db.len(), 500);
        assert_eq!(db.expires_len(), 0);
    }
}
