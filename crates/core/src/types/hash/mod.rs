//! Hashes, in Redis's two encodings:
//!
//! - `listpack` while the hash is small (at most `hash-max-listpack-entries`
//!   fields, none of its strings longer than `hash-max-listpack-value`): all
//!   pairs packed in one exact-size buffer, in insertion order (see
//!   [`listpack`]), so HGETALL replies in the order Redis does.
//! - `hashtable` beyond: the keyspace's own [`Table`] keyed by field, with
//!   the value in the entry (56 bytes a field, no allocation for strings of
//!   up to 22 bytes), a resize-safe SCAN cursor and O(1) random picks.
//!
//! As in Redis a hash never goes back from `hashtable` to `listpack`.

use std::fmt;

use crate::config::EncodingLimits;
use crate::keyspace::{SmallBytes, Table};

mod listpack;

use listpack::Listpack;

/// Redis's `LISTPACK_MAX_SAFETY_SIZE`: a listpack never grows past 1 GB.
const LISTPACK_MAX_BYTES: usize = 1 << 30;

/// When a hash leaves the `listpack` encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub max_entries: usize,
    pub max_value: usize,
}

impl From<&EncodingLimits> for Limits {
    fn from(e: &EncodingLimits) -> Self {
        Limits { max_entries: e.hash_max_listpack_entries, max_value: e.hash_max_listpack_value }
    }
}

/// A hash value.
#[derive(Clone, Default)]
pub struct Hash {
    repr: Repr,
}

#[derive(Clone)]
enum Repr {
    Listpack(Listpack),
    /// Boxed so a hash stays at 16 bytes and fits in a keyspace entry
    /// unboxed (see [`Listpack`]).
    Hashtable(Box<Table<SmallBytes>>),
}

impl Default for Repr {
    fn default() -> Self {
        Repr::Listpack(Listpack::default())
    }
}

impl Hash {
    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Listpack(lp) => lp.len(),
            Repr::Hashtable(t) => t.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The name OBJECT ENCODING replies with.
    pub fn encoding(&self) -> &'static str {
        match &self.repr {
            Repr::Listpack(_) => "listpack",
            Repr::Hashtable(_) => "hashtable",
        }
    }

    pub fn is_listpack(&self) -> bool {
        matches!(self.repr, Repr::Listpack(_))
    }

    /// Bytes owned on the heap.
    pub fn heap_size(&self) -> usize {
        match &self.repr {
            Repr::Listpack(lp) => lp.heap_size(),
            Repr::Hashtable(t) => {
                let strings: usize = t.iter().map(|(f, v)| f.heap_size() + v.heap_size()).sum();
                std::mem::size_of::<Table<SmallBytes>>() + t.overhead_bytes() + strings
            }
        }
    }

    pub fn get(&self, field: &[u8]) -> Option<&[u8]> {
        match &self.repr {
            Repr::Listpack(lp) => lp.get(field),
            Repr::Hashtable(t) => t.get(field).map(|v| v.as_bytes()),
        }
    }

    pub fn contains(&self, field: &[u8]) -> bool {
        self.get(field).is_some()
    }

    /// Redis's `hashTypeTryConversion`, run before a command writes `args`
    /// (its fields and values, alternating): more new pairs than a listpack
    /// may hold, a string too long for one, or a listpack that would pass
    /// 1 GB, and the hash becomes a `hashtable` first (sized for the pairs).
    pub fn prepare(&mut self, args: &[&[u8]], limits: Limits) {
        let Repr::Listpack(lp) = &self.repr else {
            return;
        };
        let pairs = args.len() / 2;
        if pairs > limits.max_entries {
            self.convert(pairs);
            return;
        }
        let mut sum = 0usize;
        for a in args {
            if a.len() > limits.max_value {
                self.convert(0);
                return;
            }
            sum += a.len();
        }
        if lp.bytes() + sum > LISTPACK_MAX_BYTES {
            self.convert(0);
        }
    }

    /// Redis's `hashTypeSet`: sets `field` to `value`; true if the field is
    /// new. A string too long for a listpack (HINCRBYFLOAT's results reach
    /// this without `prepare`) or one field too many converts the hash.
    pub fn set(&mut self, field: &[u8], value: &[u8], limits: Limits) -> bool {
        self.put(field, value, limits)
    }

    /// HSET's write of many pairs (fields and values alternating): `prepare`,
    /// then each pair as `set` does, with a listpack reallocated once for all
    /// the pairs it takes. Returns how many fields are new.
    pub fn set_pairs(&mut self, pairs: &[&[u8]], limits: Limits) -> usize {
        self.prepare(pairs, limits);
        let (mut added, mut rest) = (0, pairs);
        if let Repr::Listpack(lp) = &mut self.repr {
            let (new, written) = lp.insert_pairs(pairs, limits.max_entries);
            added = new;
            rest = &pairs[written..];
        }
        // What the listpack could not take: the field that converts it, then the rest.
        added + rest.chunks(2).filter(|p| self.put(p[0], p[1], limits)).count()
    }

    /// One pair, converting the hash when the listpack cannot hold it.
    fn put(&mut self, field: &[u8], value: &[u8], limits: Limits) -> bool {
        if self.is_listpack() && (field.len() > limits.max_value || value.len() > limits.max_value) {
            self.convert(0);
        }
        match &mut self.repr {
            Repr::Listpack(lp) => {
                let added = lp.insert(field, value);
                if lp.len() > limits.max_entries {
                    self.convert(0);
                }
                added
            }
            Repr::Hashtable(t) => t.insert(field, SmallBytes::new(value)).is_none(),
        }
    }

    /// True if `field` was there.
    pub fn remove(&mut self, field: &[u8]) -> bool {
        match &mut self.repr {
            Repr::Listpack(lp) => lp.remove(field),
            Repr::Hashtable(t) => t.remove(field).is_some(),
        }
    }

    /// Every (field, value): in insertion order for a listpack, the table's
    /// order otherwise.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &[u8])> + '_ {
        let (packed, table) = match &self.repr {
            Repr::Listpack(lp) => (Some(lp.iter()), None),
            Repr::Hashtable(t) => (None, Some(t.iter().map(|(f, v)| (f.as_bytes(), v.as_bytes())))),
        };
        packed.into_iter().flatten().chain(table.into_iter().flatten())
    }

    /// A uniformly chosen pair, `seed` picking it (O(n) for a listpack, as
    /// Redis's `lpRandomPair`).
    pub fn random(&self, seed: u64) -> Option<(&[u8], &[u8])> {
        let len = self.len() as u64;
        if len == 0 {
            return None;
        }
        match &self.repr {
            Repr::Listpack(lp) => lp.iter().nth((seed % len) as usize),
            Repr::Hashtable(t) => t.random(seed).map(|(f, v)| (f.as_bytes(), v.as_bytes())),
        }
    }

    /// One HSCAN step from `cursor`, returning the next one (0 = done). A
    /// listpack is visited whole in one step, as Redis replies with all of a
    /// small hash at once; a hashtable uses the table's cursor, which never
    /// misses a field present for the whole scan, across resizes.
    pub fn scan(&self, cursor: u64, mut visit: impl FnMut(&[u8], &[u8])) -> u64 {
        match &self.repr {
            Repr::Listpack(lp) => {
                lp.iter().for_each(|(f, v)| visit(f, v));
                0
            }
            Repr::Hashtable(t) => t.scan(cursor, |f, v| visit(f, v)),
        }
    }

    /// Moves every pair into a table with room for `reserve` more.
    fn convert(&mut self, reserve: usize) {
        let Repr::Listpack(lp) = &self.repr else {
            return;
        };
        let mut table = Table::new();
        table.reserve(lp.len() + reserve);
        for (f, v) in lp.iter() {
            table.insert(f, SmallBytes::new(v));
        }
        self.repr = Repr::Hashtable(Box::new(table));
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lossy = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        write!(f, "Hash({}) ", self.encoding())?;
        f.debug_map().entries(self.iter().map(|(k, v)| (lossy(k), lossy(v)))).finish()
    }
}

#[cfg(test)]
mod tests;
