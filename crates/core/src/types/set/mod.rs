//! Sets, with Redis 7.2's three encodings and its rules for moving between
//! them:
//!
//! - `intset` ([`intset`]): while every member is an integer (Redis's
//!   `string2ll`: no sign but '-', no leading zeros) and there are at most
//!   `set-max-intset-entries` of them. Sorted ascending.
//! - `listpack` ([`pack`]): while there are at most
//!   `set-max-listpack-entries` members of at most `set-max-listpack-value`
//!   bytes each. Insertion order.
//! - `hashtable`: the keyspace's own [`Table`] with unit values — 32 bytes
//!   an entry, members up to 22 bytes inline, O(1) random picks, and the
//!   resize-safe SCAN cursor.
//!
//! A set only moves forward (intset → listpack or hashtable, listpack →
//! hashtable) as members are added; the few commands that build a new set
//! (SPOP with a large count, SINTERSTORE …) start from a compact one again,
//! as Redis does. The functions here mirror Redis's `setType*` helpers so the
//! encoding after any sequence of commands is the one Redis would report.

use std::fmt;

use crate::config::EncodingLimits;
use crate::keyspace::{SmallBytes, Table};
use crate::resp::parser::parse_i64;
use crate::resp::writer::{fmt_i64, itoa_buf};
use crate::util::rng::Rng;

pub mod intset;
pub mod pack;
mod random;
#[cfg(test)]
mod tests;

use intset::IntSet;
use pack::{Pack, PackIter};

/// Redis caps an intset at 2^30 members whatever `set-max-intset-entries` says.
const INTSET_HARD_MAX: usize = 1 << 30;

/// Redis never lets a listpack grow past 1 GB (`lpSafeToAdd`).
const LISTPACK_MAX_BYTES: usize = 1 << 30;

/// A member as commands hand it over and sets give it back: an integer
/// when it is one (intsets store nothing else), bytes otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Member<'a> {
    Int(i64),
    Bytes(&'a [u8]),
}

impl<'a> Member<'a> {
    /// Calls `f` with the member's bytes (integers formatted on the stack).
    #[inline]
    pub fn with_bytes<R>(self, f: impl FnOnce(&[u8]) -> R) -> R {
        f(self.bytes(&mut itoa_buf()))
    }

    /// The member's bytes, an integer formatted into `buf`.
    #[inline]
    pub fn bytes<'b>(self, buf: &'b mut [u8; 20]) -> &'b [u8]
    where
        'a: 'b,
    {
        match self {
            Member::Int(n) => fmt_i64(n, buf),
            Member::Bytes(b) => b,
        }
    }

    /// The member as an integer, if its text is one in Redis's strict sense.
    #[inline]
    pub fn as_int(self) -> Option<i64> {
        match self {
            Member::Int(n) => Some(n),
            Member::Bytes(b) => parse_i64(b),
        }
    }

    pub fn to_vec(self) -> Vec<u8> {
        self.with_bytes(|b| b.to_vec())
    }
}

impl<'a> From<&'a [u8]> for Member<'a> {
    fn from(b: &'a [u8]) -> Self {
        Member::Bytes(b)
    }
}

/// A member taken out of a set (SPOP).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Popped {
    Int(i64),
    Bytes(SmallBytes),
}

impl Popped {
    pub fn member(&self) -> Member<'_> {
        match self {
            Popped::Int(n) => Member::Int(*n),
            Popped::Bytes(b) => Member::Bytes(b),
        }
    }
}

/// The three encodings, by the names OBJECT ENCODING gives them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    IntSet,
    ListPack,
    HashTable,
}

impl Encoding {
    pub const fn name(self) -> &'static str {
        match self {
            Encoding::IntSet => "intset",
            Encoding::ListPack => "listpack",
            Encoding::HashTable => "hashtable",
        }
    }
}

/// A set value.
#[derive(Clone, Default)]
pub struct Set {
    enc: Enc,
}

#[derive(Clone)]
enum Enc {
    Ints(IntSet),
    Pack(Pack),
    Table(Hashed),
}

impl Default for Enc {
    fn default() -> Self {
        Enc::Ints(IntSet::default())
    }
}

/// The hashtable encoding, plus the heap bytes its members own beyond their
/// entries (members over 22 bytes), kept so MEMORY USAGE need not walk it.
#[derive(Clone, Default)]
struct Hashed {
    table: Table<()>,
    key_heap: usize,
    /// Entries the table has room for (at least): the set grows its table
    /// itself, an eighth at a time.
    room: usize,
}

/// A big set is nearly all table entries, and the table on its own grows
/// them by half (up to a third of its entries idle); growing by an eighth
/// keeps at most a ninth idle. Large buffers are reallocated by remapping
/// pages, so the extra reallocations cost little.
fn growth(len: usize) -> usize {
    (len / 8).max(8)
}

impl Hashed {
    fn with_capacity(cap: usize) -> Self {
        let mut table = Table::new();
        table.reserve(cap);
        Hashed { table, key_heap: 0, room: cap }
    }

    #[inline]
    fn insert(&mut self, member: &[u8]) -> bool {
        let len = self.table.len();
        if len >= self.room && !self.table.contains(member) {
            let more = growth(len);
            self.table.reserve(more);
            self.room = len + more;
        }
        let added = self.table.insert(member, ()).is_none();
        if added {
            self.key_heap += heap_of(member);
        }
        added
    }

    #[inline]
    fn remove(&mut self, member: &[u8]) -> Option<SmallBytes> {
        let (key, ()) = self.table.remove_entry(member)?;
        self.key_heap -= key.heap_size();
        // The table gives back room when it gets sparse; ask again next time.
        self.room = self.room.min(self.table.len());
        Some(key)
    }
}

/// Heap bytes a member of this length costs as a table key.
#[inline]
fn heap_of(member: &[u8]) -> usize {
    if member.len() > crate::keyspace::bytes::INLINE_CAP {
        member.len()
    } else {
        0
    }
}

/// Decimal digits of `n`, with its sign (Redis's `sdigits10`).
fn sdigits10(n: i64) -> usize {
    fmt_i64(n, &mut itoa_buf()).len()
}

/// The members in the set's order: ascending for an intset, insertion order
/// for a listpack, the table's order for a hashtable.
pub struct Iter<'a> {
    inner: IterInner<'a>,
}

enum IterInner<'a> {
    Ints { set: &'a IntSet, pos: usize },
    Pack(PackIter<'a>),
    Table(Box<dyn ExactSizeIterator<Item = (&'a SmallBytes, &'a ())> + 'a>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = Member<'a>;

    #[inline]
    fn next(&mut self) -> Option<Member<'a>> {
        match &mut self.inner {
            IterInner::Ints { set, pos } => {
                if *pos >= set.len() {
                    return None;
                }
                *pos += 1;
                Some(Member::Int(set.get(*pos - 1)))
            }
            IterInner::Pack(it) => it.next().map(Member::Bytes),
            IterInner::Table(it) => it.next().map(|(k, _)| Member::Bytes(k.as_bytes())),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = match &self.inner {
            IterInner::Ints { set, pos } => set.len() - pos,
            IterInner::Pack(it) => it.len(),
            IterInner::Table(it) => it.len(),
        };
        (n, Some(n))
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl Set {
    /// An empty intset (Redis's `createIntsetObject`): where SUNION and
    /// SDIFF start their result.
    pub fn intset() -> Self {
        Set { enc: Enc::Ints(IntSet::default()) }
    }

    /// An empty listpack (`createSetListpackObject`).
    pub fn listpack() -> Self {
        Set { enc: Enc::Pack(Pack::default()) }
    }

    /// An empty listpack with room for `bytes` bytes of members.
    pub fn listpack_with_capacity(bytes: usize) -> Self {
        Set { enc: Enc::Pack(Pack::with_capacity(bytes)) }
    }

    /// An empty hashtable sized for `cap` members.
    pub fn hashtable(cap: usize) -> Self {
        Set { enc: Enc::Table(Hashed::with_capacity(cap)) }
    }

    /// The set a new key gets when `first` is about to be added along with
    /// about `size_hint` members in all (Redis's `setTypeCreate`).
    pub fn create(first: &[u8], size_hint: usize, lim: &EncodingLimits) -> Self {
        if parse_i64(first).is_some() && size_hint <= lim.set_max_intset_entries {
            Set::intset()
        } else if size_hint <= lim.set_max_listpack_entries {
            Set::listpack()
        } else {
            Set::hashtable(size_hint)
        }
    }

    pub fn len(&self) -> usize {
        match &self.enc {
            Enc::Ints(s) => s.len(),
            Enc::Pack(p) => p.len(),
            Enc::Table(h) => h.table.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn kind(&self) -> Encoding {
        match &self.enc {
            Enc::Ints(_) => Encoding::IntSet,
            Enc::Pack(_) => Encoding::ListPack,
            Enc::Table(_) => Encoding::HashTable,
        }
    }

    /// The name OBJECT ENCODING replies with.
    pub fn encoding(&self) -> &'static str {
        self.kind().name()
    }

    /// Bytes owned on the heap.
    pub fn heap_size(&self) -> usize {
        match &self.enc {
            Enc::Ints(s) => s.heap_size(),
            Enc::Pack(p) => p.heap_size(),
            Enc::Table(h) => h.table.overhead_bytes() + h.key_heap,
        }
    }

    /// Bytes per member of an intset (2, 4 or 8); `None` for other encodings.
    pub fn intset_width(&self) -> Option<usize> {
        match &self.enc {
            Enc::Ints(s) => Some(s.width()),
            _ => None,
        }
    }

    pub fn iter(&self) -> Iter<'_> {
        let inner = match &self.enc {
            Enc::Ints(set) => IterInner::Ints { set, pos: 0 },
            Enc::Pack(p) => IterInner::Pack(p.iter()),
            Enc::Table(h) => IterInner::Table(Box::new(h.table.iter())),
        };
        Iter { inner }
    }

    pub fn contains(&self, m: Member) -> bool {
        match &self.enc {
            Enc::Ints(s) => m.as_int().is_some_and(|n| s.contains(n)),
            Enc::Pack(p) => m.with_bytes(|b| p.contains(b)),
            Enc::Table(h) => m.with_bytes(|b| h.table.contains(b)),
        }
    }

    /// Adds `m`, converting the encoding first when it would no longer fit
    /// (Redis's `setTypeAddAux`). True if it was not a member before.
    pub fn add(&mut self, m: Member, lim: &EncodingLimits) -> bool {
        let mut buf = itoa_buf();
        match &mut self.enc {
            Enc::Ints(s) => {
                if let Some(n) = m.as_int() {
                    if !s.insert(n) {
                        return false;
                    }
                    let len = s.len();
                    if len > lim.set_max_intset_entries.min(INTSET_HARD_MAX) {
                        self.convert_to_table(len);
                    }
                    return true;
                }
                // A non-integer ends the intset: a listpack if every member
                // (each as long as the widest) would fit one.
                let b = m.bytes(&mut buf);
                let n = s.len();
                let (widest, estimate) = match (s.min(), s.max()) {
                    (Some(lo), Some(hi)) => {
                        let w = sdigits10(lo).max(sdigits10(hi));
                        (w, n * (w + 2))
                    }
                    _ => (0, 0),
                };
                let fits = n < lim.set_max_listpack_entries
                    && b.len() <= lim.set_max_listpack_value
                    && widest <= lim.set_max_listpack_value
                    && estimate + b.len() <= LISTPACK_MAX_BYTES;
                if fits {
                    self.convert_to_listpack(n + 1);
                } else {
                    self.convert_to_table(n + 1);
                }
                self.push_absent(b);
                true
            }
            Enc::Pack(p) => {
                let b = m.bytes(&mut buf);
                if p.contains(b) {
                    return false;
                }
                if p.len() < lim.set_max_listpack_entries
                    && b.len() <= lim.set_max_listpack_value
                    && p.bytes() + b.len() <= LISTPACK_MAX_BYTES
                {
                    p.push(b);
                } else {
                    let n = p.len();
                    self.convert_to_table(n + 1);
                    self.push_absent(b);
                }
                true
            }
            Enc::Table(h) => h.insert(m.bytes(&mut buf)),
        }
    }

    /// Adds a member known to be absent to a listpack or hashtable.
    fn push_absent(&mut self, b: &[u8]) {
        match &mut self.enc {
            Enc::Pack(p) => p.push(b),
            Enc::Table(h) => {
                h.insert(b);
            }
            Enc::Ints(_) => unreachable!("strings never go into an intset"),
        }
    }

    /// Removes `m`; true if it was a member.
    pub fn remove(&mut self, m: Member) -> bool {
        match &mut self.enc {
            Enc::Ints(s) => m.as_int().is_some_and(|n| s.remove(n)),
            Enc::Pack(p) => m.with_bytes(|b| p.remove(b)),
            Enc::Table(h) => m.with_bytes(|b| h.remove(b).is_some()),
        }
    }

    /// Converts ahead of adding about `size_hint` members, when that many
    /// could not fit the current encoding (Redis's `setTypeMaybeConvert`:
    /// SADD with many arguments goes straight to a hashtable, even if most
    /// of them turn out to be members already).
    pub fn maybe_convert(&mut self, size_hint: usize, lim: &EncodingLimits) {
        let convert = match &self.enc {
            Enc::Pack(_) => size_hint > lim.set_max_listpack_entries,
            Enc::Ints(_) => size_hint > lim.set_max_intset_entries,
            Enc::Table(_) => false,
        };
        if convert {
            self.convert_to_table(size_hint);
        }
    }

    /// Turns a set whose members are all integers into an intset, if there
    /// are few enough of them (Redis's `maybeConvertToIntset`).
    pub fn maybe_convert_to_intset(&mut self, lim: &EncodingLimits) {
        if matches!(self.enc, Enc::Ints(_)) || self.len() > lim.set_max_intset_entries.min(INTSET_HARD_MAX) {
            return;
        }
        let mut ints = IntSet::default();
        for m in self.iter() {
            match m.as_int() {
                Some(n) => {
                    ints.insert(n);
                }
                None => return,
            }
        }
        self.enc = Enc::Ints(ints);
    }

    /// Returns a listpack's idle capacity (after building a result in it).
    pub fn shrink_to_fit(&mut self) {
        if let Enc::Pack(p) = &mut self.enc {
            p.shrink_to_fit();
        }
    }

    fn convert_to_table(&mut self, cap: usize) {
        let mut h = Hashed::with_capacity(cap.max(self.len()));
        for m in self.iter() {
            m.with_bytes(|b| h.insert(b));
        }
        self.enc = Enc::Table(h);
    }

    fn convert_to_listpack(&mut self, cap: usize) {
        let per_member = match &self.enc {
            Enc::Ints(s) => s.min().map_or(0, sdigits10).max(s.max().map_or(0, sdigits10)) + 1,
            _ => 2,
        };
        let mut p = Pack::with_capacity(cap * per_member);
        for m in self.iter() {
            m.with_bytes(|b| p.push(b));
        }
        self.enc = Enc::Pack(p);
    }

    /// One SSCAN step. A hashtable is walked from `cursor` with the
    /// keyspace's resize-safe cursor (one home slot per call; the caller
    /// loops); the compact encodings are small, so they give everything at
    /// once and the returned cursor is 0.
    pub fn scan(&self, cursor: u64, mut visit: impl FnMut(Member)) -> u64 {
        match &self.enc {
            Enc::Table(h) => h.table.scan(cursor, |k, _| visit(Member::Bytes(k))),
            _ => {
                self.iter().for_each(visit);
                0
            }
        }
    }

    /// A member chosen uniformly at random; `None` when empty.
    pub fn random_member(&self, rng: &mut Rng) -> Option<Member<'_>> {
        let n = self.len();
        if n == 0 {
            return None;
        }
        let pick = rng.next_u64();
        Some(match &self.enc {
            Enc::Ints(s) => Member::Int(s.get((pick % n as u64) as usize)),
            Enc::Pack(p) => Member::Bytes(p.get((pick % n as u64) as usize)),
            Enc::Table(h) => Member::Bytes(h.table.random(pick).expect("not empty").0),
        })
    }

    /// Removes and returns a member chosen uniformly at random.
    pub fn pop_random(&mut self, rng: &mut Rng) -> Option<Popped> {
        let popped = match self.random_member(rng)? {
            Member::Int(n) => Popped::Int(n),
            Member::Bytes(b) => Popped::Bytes(SmallBytes::new(b)),
        };
        match (&mut self.enc, &popped) {
            (Enc::Table(h), Popped::Bytes(b)) => {
                // Hand back the table's own key rather than the copy.
                return h.remove(b).map(Popped::Bytes);
            }
            _ => {
                self.remove(popped.member());
            }
        }
        Some(popped)
    }
}

impl fmt::Debug for Set {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let members: Vec<String> =
            self.iter().map(|m| m.with_bytes(|b| String::from_utf8_lossy(b).into_owned())).collect();
        f.debug_struct("Set").field("encoding", &self.encoding()).field("members", &members).finish()
    }
}
