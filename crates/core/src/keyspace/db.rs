//! One database: keys → values, plus a second table of deadlines for the
//! keys that have one (as Redis's `expires` dict), so keys without a TTL pay
//! nothing for expiry and the active cycle only walks keys that can expire.

use std::collections::HashMap;

use super::table::Table;
use super::SmallBytes;
use crate::types::Value;
use crate::util::rng::Rng;

pub mod access;
pub mod capture;
pub mod journal;
pub mod sampling;

pub use access::Tracking;
pub use capture::Capture;
pub use journal::JournalFlag;
pub use sampling::Candidates;

pub struct Db {
    keys: Table<Value>,
    /// Unix-ms deadline of each key that has one.
    expires: Table<i64>,
    /// Where the active expiry cycle resumes its walk of `expires`.
    expire_cursor: u64,
    /// Keys removed because their deadline passed (lazily or actively).
    pub expired: u64,
    /// The command time of the latest lookup (or `set_now`): values created
    /// without a lookup of their own are stamped with it.
    now: i64,
    /// What each entry's meta bits hold (LRU clock or LFU counter).
    tracking: Tracking,
    /// For the LFU counter's probabilistic increments.
    rng: Rng,
    /// Keys that blocked clients wait on, with how many wait on each.
    waited: HashMap<Vec<u8>, u32>,
    /// Waited keys that got data since the engine last served their waiters.
    ready: Vec<Vec<u8>>,
    /// Keys that expired (and, with `record_new`, were created) since the
    /// engine last looked: it has the server this table lacks, so it turns
    /// them into keyspace events and WATCH invalidations (`take_journal`).
    journal: Vec<(KeyNote, Vec<u8>)>,
    /// Raised with every journal entry (see [`JournalFlag`]).
    journal_flag: JournalFlag,
    /// Journal key creations too (the "new" class of notifications is on).
    pub record_new: bool,
    /// CLIENT PAUSE holds expiry: keys past their deadline read as missing
    /// but stay stored until the pause ends (Redis 7.2's paused EXPIRE action).
    pub expiry_held: bool,
    /// The snapshot under way, if any: every write below copies the key
    /// first if the snapshot still needs it (see [`capture`]).
    capture: Option<Box<Capture>>,
}

/// What happened to a key on the table's own initiative.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyNote {
    Expired,
    New,
}

impl Default for Db {
    fn default() -> Self {
        Db {
            keys: Table::default(),
            expires: Table::default(),
            expire_cursor: 0,
            expired: 0,
            now: 0,
            tracking: Tracking::Lru,
            rng: Rng::default(),
            waited: HashMap::new(),
            ready: Vec::new(),
            journal: Vec::new(),
            journal_flag: JournalFlag::default(),
            record_new: false,
            expiry_held: false,
            capture: None,
        }
    }
}

/// A key taken out whole by [`Db::take`], to be put back by [`Db::put`]
/// under any name or in another database (RENAME, MOVE).
pub struct Entry {
    pub key: SmallBytes,
    pub value: Value,
    pub expire_at: Option<i64>,
    /// Access tracking bits; a renamed or moved value keeps its history, as
    /// Redis moves the same object.
    pub meta: u32,
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

    /// Tells the database the current command's time (the engine calls this
    /// before each command so a value created without a lookup is stamped right).
    #[inline]
    pub fn set_now(&mut self, now: i64) {
        self.now = now;
    }

    pub fn tracking(&self) -> Tracking {
        self.tracking
    }

    /// Switches between LRU and LFU bookkeeping (maxmemory-policy). As in
    /// Redis, existing stamps are reinterpreted, not converted: they take a
    /// while to become meaningful.
    pub fn set_tracking(&mut self, tracking: Tracking) {
        self.tracking = tracking;
    }

    /// Removes `key` if its deadline has passed; true if it has passed
    /// (while expiry is held the key is left in place, but still reads as gone).
    #[inline]
    fn expire_if_needed(&mut self, key: &[u8], now: i64) -> bool {
        if self.expires.is_empty() {
            return false;
        }
        match self.expires.get(key) {
            Some(&at) if at <= now && self.expiry_held => true,
            Some(&at) if at <= now => {
                self.preserve(key);
                self.expires.remove(key);
                self.keys.remove(key);
                self.gone(key);
                self.expired += 1;
                self.journal_note(KeyNote::Expired, key.to_vec());
                true
            }
            _ => false,
        }
    }

    /// True if `key` has a deadline that has passed, without deleting it
    /// (KEYS reports only live keys but leaves the deleting to others).
    pub fn is_expired(&self, key: &[u8], now: i64) -> bool {
        !self.expires.is_empty() && self.expires.get(key).is_some_and(|&at| at <= now)
    }

    /// Records an access to `key` in its meta bits (LRU clock or LFU
    /// counter); nothing if the key is missing.
    pub fn touch(&mut self, key: &[u8]) {
        let coin = self.lfu_coin();
        let (tracking, now) = (self.tracking, self.now);
        self.keys.get_mut_touched(key, |meta| access::accessed(tracking, meta, now, coin));
    }

    /// The random draw of LFU's logarithmic counter; unused under LRU.
    fn lfu_coin(&mut self) -> f64 {
        match self.tracking {
            Tracking::Lru => 0.0,
            Tracking::Lfu { .. } => self.rng.next_f64(),
        }
    }

    /// Redis's `lookupKey`: expires the key lazily and, when `touch`, records
    /// the access (callers pass false for TYPE, TTL, OBJECT … and for clients
    /// under CLIENT NO-TOUCH).
    #[inline]
    pub fn lookup(&mut self, key: &[u8], now: i64, touch: bool) -> Option<&Value> {
        self.find(key, now, touch).map(|v| &*v)
    }

    /// `lookup` for a write: the value may be changed in place.
    #[inline]
    pub fn lookup_mut(&mut self, key: &[u8], now: i64, touch: bool) -> Option<&mut Value> {
        self.preserve(key);
        self.find(key, now, touch)
    }

    #[inline]
    fn find(&mut self, key: &[u8], now: i64, touch: bool) -> Option<&mut Value> {
        self.now = now;
        if self.expire_if_needed(key, now) {
            return None;
        }
        if !touch {
            return self.keys.get_mut(key);
        }
        // One probe for the value and its access bits together.
        let coin = self.lfu_coin();
        let tracking = self.tracking;
        self.keys.get_mut_touched(key, |meta| access::accessed(tracking, meta, now, coin))
    }

    /// The live value of `key`, recording the access; an expired key is
    /// deleted on the way.
    #[inline]
    pub fn get(&mut self, key: &[u8], now: i64) -> Option<&Value> {
        self.lookup(key, now, true)
    }

    #[inline]
    pub fn get_mut(&mut self, key: &[u8], now: i64) -> Option<&mut Value> {
        self.lookup_mut(key, now, true)
    }

    /// The live value of `key` without recording an access.
    #[inline]
    pub fn peek(&mut self, key: &[u8], now: i64) -> Option<&Value> {
        self.lookup(key, now, false)
    }

    pub fn exists(&mut self, key: &[u8], now: i64) -> bool {
        self.peek(key, now).is_some()
    }

    /// Stores `value` and drops any deadline (Redis's `setKey`). A new key
    /// is stamped as just created; an overwritten one keeps its history.
    #[inline]
    pub fn set(&mut self, key: &[u8], value: Value) -> Option<Value> {
        self.preserve(key);
        if !self.expires.is_empty() {
            self.expires.remove(key);
        }
        self.store(key, value)
    }

    /// Stores `value`, keeping the key's deadline (SET KEEPTTL, in-place updates).
    pub fn set_keep_ttl(&mut self, key: &[u8], value: Value) -> Option<Value> {
        self.preserve(key);
        self.store(key, value)
    }

    /// `set_keep_ttl` once the capture, if any, has the key.
    fn store(&mut self, key: &[u8], value: Value) -> Option<Value> {
        // Callers looked the key up first, which recorded the access.
        let old = self.keys.upsert(key, value, access::fresh(self.tracking, self.now), |old| old);
        if old.is_none() {
            self.created(key);
        } else {
            self.gone(key);
        }
        old
    }

    /// Stores `value` (dropping any deadline) with no lookup before it, in one
    /// probe: the write itself is recorded as the access Redis's write lookup
    /// would have made. A key whose deadline has passed expires first, so the
    /// expiry is counted as Redis counts it. Without `touch` (CLIENT NO-TOUCH)
    /// an LFU counter is kept; under LRU the new value is stamped fresh anyway,
    /// as Redis's new object is.
    pub fn set_unlooked(&mut self, key: &[u8], value: Value, now: i64, touch: bool) -> Option<Value> {
        self.now = now;
        if !self.expires.is_empty() {
            self.expire_if_needed(key, now);
        }
        self.preserve(key);
        if !self.expires.is_empty() {
            self.expires.remove(key);
        }
        let coin = self.lfu_coin();
        let tracking = self.tracking;
        let keep = !touch && matches!(tracking, Tracking::Lfu { .. });
        let old = self.keys.upsert(key, value, access::fresh(tracking, now), |old| {
            if keep {
                old
            } else {
                access::accessed(tracking, old, now, coin)
            }
        });
        if old.is_none() {
            self.created(key);
        } else {
            self.gone(key);
        }
        old
    }

    /// Deletes `key` and its deadline. Does not check expiry: callers that
    /// care ask `get` first, or use `delete`.
    pub fn remove(&mut self, key: &[u8]) -> Option<Value> {
        self.preserve(key);
        let v = self.keys.remove(key)?;
        if !self.expires.is_empty() {
            self.expires.remove(key);
        }
        self.gone(key);
        Some(v)
    }

    /// DEL: deletes a live key; an expired one counts as expired, not deleted.
    pub fn delete(&mut self, key: &[u8], now: i64) -> bool {
        self.now = now;
        !self.expire_if_needed(key, now) && self.remove(key).is_some()
    }

    /// Takes the key out whole (owned key, value, deadline, meta): RENAME and MOVE.
    pub fn take(&mut self, key: &[u8]) -> Option<Entry> {
        self.preserve(key);
        let meta = self.keys.meta(key).unwrap_or(0);
        let (key, value) = self.keys.remove_entry(key)?;
        let expire_at = if self.expires.is_empty() { None } else { self.expires.remove(&key) };
        self.gone(&key);
        Some(Entry { key, value, expire_at, meta })
    }

    /// Puts back what `take` returned, replacing any key of that name.
    pub fn put(&mut self, entry: Entry) {
        let Entry { key, value, expire_at, meta } = entry;
        self.preserve(&key);
        if let Some(at) = expire_at {
            self.expires.insert(&key, at);
        } else if !self.expires.is_empty() {
            self.expires.remove(&key);
        }
        let name = key.clone();
        self.keys.insert_owned(key, value);
        self.keys.set_meta(&name, meta);
        self.created(&name);
    }

    /// Redis's `dbAdd` hook: a key that blocked clients wait on now exists
    /// (pushed, renamed, copied or set to another type), so the engine
    /// re-runs their commands after the current one.
    #[inline]
    fn created(&mut self, key: &[u8]) {
        if self.record_new {
            self.journal_note(KeyNote::New, key.to_vec());
        }
        if !self.waited.is_empty() {
            self.signal_ready(key);
        }
    }

    /// Redis's `signalDeletedKeyAsReady`: `key` was deleted or overwritten,
    /// which wakes the clients that must hear of it (XREADGROUP's, whose
    /// group went with the stream); the engine asks each waiter whether the
    /// key's new state concerns it.
    #[inline]
    fn gone(&mut self, key: &[u8]) {
        if !self.waited.is_empty() {
            self.signal_ready(key);
        }
    }

    fn journal_note(&mut self, note: KeyNote, key: Vec<u8>) {
        self.journal.push((note, key));
        self.journal_flag.raise();
    }

    /// Raises `flag` (the engine's) with every journal entry from now on.
    pub fn share_journal_flag(&mut self, flag: &JournalFlag) {
        self.journal_flag = flag.clone();
    }

    /// Whether keys expired or were created since the last `take_journal`.
    #[inline]
    pub fn has_journal(&self) -> bool {
        !self.journal.is_empty()
    }

    /// What expired or was created since the last call, in order.
    pub fn take_journal(&mut self) -> Vec<(KeyNote, Vec<u8>)> {
        std::mem::take(&mut self.journal)
    }

    /// Marks `key` ready for its waiters, if it has any (also for writes that
    /// add to an existing value, such as XADD).
    pub fn signal_ready(&mut self, key: &[u8]) {
        if self.waited.contains_key(key) && !self.ready.iter().any(|k| k == key) {
            self.ready.push(key.to_vec());
        }
    }

    /// Registers one more client waiting on `key`.
    pub fn add_waiter(&mut self, key: &[u8]) {
        *self.waited.entry(key.to_vec()).or_insert(0) += 1;
    }

    /// Drops one waiter of `key`.
    pub fn remove_waiter(&mut self, key: &[u8]) {
        if let Some(n) = self.waited.get_mut(key) {
            *n -= 1;
            if *n == 0 {
                self.waited.remove(key);
            }
        }
    }

    /// The keys that got data for their waiters since the last call.
    pub fn take_ready(&mut self) -> Vec<Vec<u8>> {
        std::mem::take(&mut self.ready)
    }

    /// The raw access-tracking bits of `key`.
    pub fn meta(&self, key: &[u8]) -> Option<u32> {
        self.keys.meta(key)
    }

    /// OBJECT IDLETIME: milliseconds since the last recorded access (LRU).
    pub fn idle_ms(&self, key: &[u8], now: i64) -> Option<u64> {
        self.keys.meta(key).map(|m| access::idle_ms(m, now))
    }

    /// OBJECT FREQ: the decayed LFU counter (meaningful under LFU only).
    pub fn lfu_freq(&self, key: &[u8], now: i64) -> Option<u32> {
        let decay = match self.tracking {
            Tracking::Lfu { decay_minutes, .. } => decay_minutes,
            Tracking::Lru => 0,
        };
        self.keys.meta(key).map(|m| access::lfu_count(m, now, decay))
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
        self.preserve(key);
        self.expires.insert(key, at);
    }

    /// Drops the deadline; true if there was one.
    pub fn persist(&mut self, key: &[u8]) -> bool {
        self.preserve(key);
        self.expires.remove(key).is_some()
    }

    /// Empties the database; returns how many keys it held.
    pub fn clear(&mut self) -> usize {
        let n = self.keys.len();
        let waited_here: Vec<Vec<u8>> = self.waited.keys().filter(|k| self.keys.get(k).is_some()).cloned().collect();
        for key in waited_here {
            self.signal_ready(&key);
        }
        if let Some(capture) = &mut self.capture {
            capture.hand_over(std::mem::take(&mut self.keys), std::mem::take(&mut self.expires));
        } else {
            self.keys.clear();
            self.expires.clear();
        }
        self.expire_cursor = 0;
        n
    }

    pub fn keys(&self) -> &Table<Value> {
        &self.keys
    }

    /// The deadlines, by key (an RDB snapshot copies them with the keys).
    pub fn expires(&self) -> &Table<i64> {
        &self.expires
    }

    /// Adds a key read from an RDB file in one probe, with its deadline and
    /// access bits; false (and nothing changed but the value) if the key was
    /// already there, which makes the file corrupt.
    pub fn insert_loaded(&mut self, key: &[u8], value: Value, expire_at: Option<i64>, meta: u32) -> bool {
        if self.keys.upsert(key, value, meta, |old| old).is_some() {
            return false;
        }
        if let Some(at) = expire_at {
            self.expires.insert(key, at);
        }
        true
    }

    /// Room for `keys` more keys, `expires` of them with a deadline (an RDB
    /// file's RESIZEDB hint), so loading does not grow the tables step by step.
    pub fn reserve(&mut self, keys: usize, expires: usize) {
        self.keys.reserve(keys);
        self.expires.reserve(expires);
    }

    /// Takes `loaded`'s keys and deadlines in place of this database's own
    /// (an RDB file was loaded), keeping its waiters and access tracking.
    pub fn replace_data(&mut self, loaded: Db) {
        let keys = std::mem::replace(&mut self.keys, loaded.keys);
        let expires = std::mem::replace(&mut self.expires, loaded.expires);
        if let Some(capture) = &mut self.capture {
            capture.hand_over(keys, expires);
        }
        self.expire_cursor = 0;
    }

    /// One SCAN step over the keys (expired ones are skipped by the caller).
    pub fn scan(&self, cursor: u64, visit: impl FnMut(&SmallBytes, &Value)) -> u64 {
        self.keys.scan(cursor, visit)
    }

    pub fn random_key(&self, seed: u64) -> Option<&SmallBytes> {
        self.keys.random(seed).map(|(k, _)| k)
    }

    /// RANDOMKEY: a random live key, the first pick drawn from `seed`. A pick
    /// whose deadline has passed is deleted and another drawn, so the loop
    /// ends at the latest when the database is empty.
    pub fn random_live_key(&mut self, now: i64, seed: u64) -> Option<SmallBytes> {
        self.now = now;
        let mut seed = seed;
        // With expiry held nothing is deleted, so a table of expired keys would
        // never empty: after this many expired picks one is returned anyway.
        let mut tries_while_held = 100;
        loop {
            let key = self.random_key(seed)?.clone();
            if !self.expire_if_needed(&key, now) {
                return Some(key);
            }
            if self.expiry_held {
                tries_while_held -= 1;
                if tries_while_held == 0 {
                    return Some(key);
                }
            }
            seed = self.rng.next_u64();
        }
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
                self.preserve(&k);
                self.expires.remove(&k);
                self.keys.remove(&k);
                self.gone(&k);
                self.journal_note(KeyNote::Expired, k.to_vec());
            }
            removed += n as u64;
            self.expired += n as u64;
            if seen == 0 || n * 10 <= seen || cursor == 0 || out_of_time() {
                return removed;
            }
        }
    }

    /// Copies `key` for the capture under way before a write changes it.
    #[inline]
    fn preserve(&mut self, key: &[u8]) {
        if let Some(capture) = &mut self.capture {
            capture.preserve(&mut self.keys, &self.expires, key);
        }
    }

    /// Starts capturing this database, as database `index`, into `channel`.
    pub fn begin_capture(&mut self, index: usize, channel: std::sync::Arc<capture::Channel>) {
        self.capture = Some(Box::new(Capture::new(index, &mut self.keys, channel)));
    }

    pub fn is_capturing(&self) -> bool {
        self.capture.is_some()
    }

    /// Moves the capture's walk on by up to `*budget` keys; once the walk
    /// is over the capture ends here and this returns true.
    pub fn capture_step(&mut self, budget: &mut usize) -> bool {
        let Some(capture) = &mut self.capture else { return true };
        if capture.step(&mut self.keys, &self.expires, budget) {
            self.capture = None;
            return true;
        }
        false
    }

    /// Sends what the capture has batched.
    pub fn flush_capture(&mut self) {
        if let Some(capture) = &mut self.capture {
            capture.flush();
        }
    }

    /// Stops a capture before its end (the save failed or was cancelled).
    pub fn abandon_capture(&mut self) {
        if self.capture.take().is_some() {
            self.keys.abandon_capture();
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

    #[test]
    fn lookups_stamp_access_unless_told_not_to() {
        let mut db = Db::default();
        db.set_now(10_000);
        db.set(b"k", s("v"));
        assert_eq!(db.idle_ms(b"k", 15_000), Some(5_000));
        assert!(db.peek(b"k", 15_000).is_some());
        assert!(db.lookup(b"k", 15_000, false).is_some());
        assert_eq!(db.idle_ms(b"k", 15_000), Some(5_000));
        assert!(db.get(b"k", 15_000).is_some());
        assert_eq!(db.idle_ms(b"k", 15_000), Some(0));
        // Overwriting keeps the history (Redis's dbSetValue); a new key starts fresh.
        db.set_now(20_000);
        db.set(b"k", s("w"));
        assert_eq!(db.idle_ms(b"k", 20_000), Some(5_000));
        db.remove(b"k");
        db.set(b"k", s("x"));
        assert_eq!(db.idle_ms(b"k", 20_000), Some(0));
        assert_eq!(db.idle_ms(b"missing", 20_000), None);
    }

    #[test]
    fn take_and_put_carry_deadline_and_meta() {
        let mut db = Db::default();
        db.set_now(1_000);
        db.set(b"a", s("v"));
        db.set_expire(b"a", 99_000);
        let mut e = db.take(b"a").unwrap();
        assert_eq!((e.expire_at, e.meta), (Some(99_000), 1));
        assert_eq!((db.len(), db.expires_len()), (0, 0));
        e.key = SmallBytes::new(b"b");
        let mut other = Db::default();
        other.set_now(50_000);
        other.put(e);
        assert_eq!(other.expire_at(b"b"), Some(99_000));
        assert_eq!(other.idle_ms(b"b", 50_000), Some(49_000));
    }

    #[test]
    fn delete_and_is_expired() {
        let mut db = Db::default();
        db.set(b"a", s("v"));
        db.set(b"b", s("v"));
        db.set_expire(b"b", 100);
        assert!(!db.is_expired(b"a", 100));
        assert!(db.is_expired(b"b", 100));
        assert!(!db.is_expired(b"b", 99));
        assert_eq!(db.len(), 2);
        assert!(!db.delete(b"b", 100));
        assert_eq!(db.expired, 1);
        assert!(db.delete(b"a", 100));
        assert!(!db.delete(b"a", 100));
        assert!(db.is_empty());
    }

    #[test]
    fn random_live_key_reclaims_expired_picks() {
        let mut db = Db::default();
        assert!(db.random_live_key(0, 7).is_none());
        for i in 0..50 {
            let k = format!("dead{i}");
            db.set(k.as_bytes(), s("v"));
            db.set_expire(k.as_bytes(), 10);
        }
        assert!(db.random_live_key(10, 7).is_none());
        assert!(db.is_empty());
        db.set(b"live", s("v"));
        db.set(b"dead", s("v"));
        db.set_expire(b"dead", 10);
        for seed in 0..10 {
            assert_eq!(db.random_live_key(10, seed).as_deref(), Some(&b"live"[..]));
        }
        assert_eq!(db.clear(), 1);
    }
}
