//! Streams. Written as type 19 (Redis 7.0's form, the newest a version 10
//! file may hold); read from type 15 (Redis 5 to 6.2), 19 and 21 (Redis
//! 7.2's, which adds each consumer's active time).
//!
//! Layout: the node count, then per node its master ID as a 16-byte
//! big-endian key and its listpack; the live length; the last ID; (19+) the
//! first ID, the largest deleted ID and the entries-added counter; then the
//! consumer groups, each with its name, last delivered ID, (19+) read
//! counter, its PEL (raw ID, delivery time, delivery count) and its
//! consumers (name, seen time, (21) active time, raw IDs of their PEL).
//!
//! A node's listpack is Redis's: the master entry (live count, deleted
//! count, field count, field names, a 0 terminator), then per entry its
//! flags, ID deltas from the master ID, the field count and names unless
//! they are the master's, the values, and the number of items the entry
//! took ("lp-count"). ferrokv's nodes split where Redis's do and keep the
//! same flags, so each converts one to one.
//!
//! Reading checks what Redis's deep sanitizer checks and what ferrokv's
//! stream relies on: every listpack item's kind and count, IDs increasing
//! across nodes, the counts matching the entries, and every PEL entry owned
//! by exactly one consumer. Anything off refuses the whole value.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use super::{bad, container, Codec, LoadCtx, SaveCtx};
use crate::persistence::rdb::encoding::{put_len, put_string, Source};
use crate::persistence::rdb::listpack::{self, Entry as Item};
use crate::persistence::rdb::{kind, RdbError, RdbResult};
use crate::types::stream::{Consumer, Group, Node, Pending, Stream, StreamId, INVALID_ENTRIES_READ};
use crate::types::Value;

pub const CODEC: Codec = Codec {
    name: "stream",
    kinds: &[kind::STREAM_LISTPACKS, kind::STREAM_LISTPACKS_2, kind::STREAM_LISTPACKS_3],
    load,
};

/// Entry flags in a node's listpack.
const FLAG_DELETED: i64 = 1;
const FLAG_SAME_FIELDS: i64 = 2;
/// An ID as a radix-tree key: ms then seq, big-endian.
const RAW_ID: usize = 16;

pub fn save(out: &mut Vec<u8>, stream: &Stream, ctx: &SaveCtx) -> u8 {
    let nodes = stream.node_map();
    put_len(out, nodes.len() as u64);
    for (&master, node) in nodes {
        put_string(out, &raw_id(master), ctx.compress);
        put_string(out, &node_listpack(master, node), ctx.compress);
    }
    put_len(out, stream.len());
    put_id(out, stream.last_id);
    put_id(out, stream.first_id);
    put_id(out, stream.max_deleted_id);
    put_len(out, stream.entries_added);
    put_len(out, stream.groups.len() as u64);
    for (name, group) in &stream.groups {
        put_string(out, name, ctx.compress);
        put_id(out, group.last_id);
        // -1 ("unknown") goes out as its two's complement, as Redis writes it.
        put_len(out, group.entries_read as u64);
        put_len(out, group.pel.len() as u64);
        for (&id, pending) in &group.pel {
            out.extend_from_slice(&raw_id(id));
            out.extend_from_slice(&pending.delivery_time.to_le_bytes());
            put_len(out, pending.delivery_count);
        }
        put_len(out, group.consumers.len() as u64);
        for (name, consumer) in &group.consumers {
            put_string(out, name, ctx.compress);
            out.extend_from_slice(&consumer.seen_time.to_le_bytes());
            put_len(out, consumer.pel.len() as u64);
            for &id in &consumer.pel {
                out.extend_from_slice(&raw_id(id));
            }
        }
    }
    kind::STREAM_LISTPACKS_2
}

fn raw_id(id: StreamId) -> [u8; RAW_ID] {
    let mut key = [0u8; RAW_ID];
    key[..8].copy_from_slice(&id.ms.to_be_bytes());
    key[8..].copy_from_slice(&id.seq.to_be_bytes());
    key
}

fn put_id(out: &mut Vec<u8>, id: StreamId) {
    put_len(out, id.ms);
    put_len(out, id.seq);
}

/// One node as the listpack Redis keeps for it.
fn node_listpack(master: StreamId, node: &Node) -> Vec<u8> {
    let mut lp = listpack::Builder::new();
    lp.push_int(node.live as i64);
    lp.push_int(node.deleted as i64);
    let master_fields: Vec<&[u8]> = node.master_fields().collect();
    lp.push_int(master_fields.len() as i64);
    for field in &master_fields {
        lp.push(field);
    }
    lp.push_int(0);
    for at in node.offsets(master) {
        let entry = node.entry_at(master, at);
        let same = entry.shares_master_fields();
        let mut flags = if same { FLAG_SAME_FIELDS } else { 0 };
        if entry.is_deleted() {
            flags |= FLAG_DELETED;
        }
        lp.push_int(flags);
        lp.push_int(entry.id.ms.wrapping_sub(master.ms) as i64);
        lp.push_int(entry.id.seq.wrapping_sub(master.seq) as i64);
        let nfields = entry.len();
        if !same {
            lp.push_int(nfields as i64);
        }
        for (field, value) in entry.fields() {
            if !same {
                lp.push(field);
            }
            lp.push(value);
        }
        lp.push_int(items_of_entry(same, nfields) as i64);
    }
    lp.finish()
}

/// The lp-count of an entry: flags and the two deltas, the values, and
/// unless it shares the master fields, its field count and names.
fn items_of_entry(same_fields: bool, nfields: usize) -> usize {
    if same_fields {
        3 + nfields
    } else {
        4 + 2 * nfields
    }
}

fn load(kind: u8, src: &mut Source, _ctx: &LoadCtx) -> RdbResult<Option<Value>> {
    let node_count = src.count(2 * (1 + RAW_ID))?;
    let mut nodes = BTreeMap::new();
    let mut live_seen = 0u64;
    let mut last_entry: Option<StreamId> = None;
    for _ in 0..node_count {
        let key_at = src.pos;
        let key = src.string()?;
        let master = id_of_raw(&key)
            .ok_or_else(|| RdbError::at(key_at, "stream node key entry is not the size of a stream ID"))?;
        if last_entry.is_some_and(|last| master <= last) {
            return Err(RdbError::at(key_at, "stream node keys out of order or repeated"));
        }
        let (at, lp) = container(src)?;
        let node = read_node(master, &lp, &mut last_entry).map_err(|r| bad(at, "stream listpack", r))?;
        live_seen += u64::from(node.live);
        nodes.insert(master, node);
    }

    let length_at = src.pos;
    let length = src.length()?;
    if length != live_seen {
        return Err(RdbError::at(length_at, format!("stream length {length} but its nodes hold {live_seen} entries")));
    }
    let last_at = src.pos;
    let last_id = read_id(src)?;
    if last_entry.is_some_and(|last| last > last_id) {
        return Err(RdbError::at(last_at, "stream last ID is below its last entry's"));
    }
    let mut stream = Stream::from_nodes(nodes, length);
    stream.last_id = last_id;
    let counters_at = src.pos;
    if kind == kind::STREAM_LISTPACKS {
        // Redis 5/6 kept none of these; 7.0 derives them the same way.
        stream.entries_added = length;
        stream.first_id = stream.edge_id(true).unwrap_or(StreamId::MIN);
    } else {
        stream.first_id = read_id(src)?;
        stream.max_deleted_id = read_id(src)?;
        stream.entries_added = src.length()?;
    }
    if stream.entries_added < length || stream.entries_added > i64::MAX as u64 {
        return Err(RdbError::at(counters_at, "stream entries-added counter out of range"));
    }

    let group_count = src.count(4)?;
    for _ in 0..group_count {
        let name_at = src.pos;
        let name = src.string()?.into_owned();
        let group = read_group(kind, src, &stream)?;
        if stream.groups.insert(name, group).is_some() {
            return Err(RdbError::at(name_at, "duplicated consumer group name"));
        }
    }
    Ok(Some(Value::Stream(Box::new(stream))))
}

fn read_id(src: &mut Source) -> RdbResult<StreamId> {
    Ok(StreamId::new(src.length()?, src.length()?))
}

fn id_of_raw(raw: &[u8]) -> Option<StreamId> {
    let raw: &[u8; RAW_ID] = raw.try_into().ok()?;
    let (ms, seq) = raw.split_at(8);
    Some(StreamId::new(u64::from_be_bytes(ms.try_into().ok()?), u64::from_be_bytes(seq.try_into().ok()?)))
}

fn read_raw_id(src: &mut Source) -> RdbResult<StreamId> {
    let at = src.pos;
    id_of_raw(src.take(RAW_ID)?).ok_or_else(|| RdbError::at(at, "short stream ID"))
}

fn read_ms_time(src: &mut Source) -> RdbResult<i64> {
    Ok(src.u64_le()? as i64)
}

/// A consumer group after its name: last ID, read counter, PEL, consumers.
fn read_group(kind: u8, src: &mut Source, stream: &Stream) -> RdbResult<Group> {
    let last_id = read_id(src)?;
    let entries_read = if kind == kind::STREAM_LISTPACKS {
        stream.entries_up_to(last_id).map_or(INVALID_ENTRIES_READ, |n| n as i64)
    } else {
        let at = src.pos;
        let n = src.length()? as i64;
        if n < INVALID_ENTRIES_READ {
            return Err(RdbError::at(at, "consumer group read counter out of range"));
        }
        n
    };
    let mut group = Group::new(last_id, entries_read);

    // Owners are unknown until the consumers' lists name them.
    let pel_count = src.count(RAW_ID + 9)?;
    let mut unowned = BTreeSet::new();
    for _ in 0..pel_count {
        let at = src.pos;
        let id = read_raw_id(src)?;
        let delivery_time = read_ms_time(src)?;
        let delivery_count = src.length()?;
        let pending = Pending { consumer: Vec::new(), delivery_time, delivery_count };
        if group.pel.insert(id, pending).is_some() {
            return Err(RdbError::at(at, "duplicated global PEL entry loading stream consumer group"));
        }
        unowned.insert(id);
    }

    let consumer_count = src.count(10)?;
    for _ in 0..consumer_count {
        let name_at = src.pos;
        let name = src.string()?.into_owned();
        if group.consumers.contains_key(&name) {
            return Err(RdbError::at(name_at, "duplicate stream consumer detected"));
        }
        let seen_time = read_ms_time(src)?;
        // Before 7.2 only the seen time was kept; Redis takes it for both.
        let active_time = if kind == kind::STREAM_LISTPACKS_3 { read_ms_time(src)? } else { seen_time };
        let mut consumer = Consumer { seen_time, active_time, pel: BTreeSet::new() };
        let owned = src.count(RAW_ID)?;
        for _ in 0..owned {
            let at = src.pos;
            let id = read_raw_id(src)?;
            if !unowned.remove(&id) {
                let why = if group.pel.contains_key(&id) {
                    "stream PEL entry owned by two consumers"
                } else {
                    "consumer entry not found in group global PEL"
                };
                return Err(RdbError::at(at, why));
            }
            if let Some(pending) = group.pel.get_mut(&id) {
                pending.consumer = name.clone();
            }
            consumer.pel.insert(id);
        }
        group.consumers.insert(name, consumer);
    }
    if !unowned.is_empty() {
        return Err(RdbError::at(src.pos, "stream CG PEL entry without consumer"));
    }
    Ok(group)
}

/// Walks a node's listpack items in order, naming what each must be.
struct Items<'a> {
    items: Vec<Item<'a>>,
    next: usize,
}

impl<'a> Items<'a> {
    fn is_done(&self) -> bool {
        self.next == self.items.len()
    }

    fn item(&mut self, what: &str) -> Result<&Item<'a>, String> {
        let item = self.items.get(self.next).ok_or_else(|| format!("listpack ends before {what}"))?;
        self.next += 1;
        Ok(item)
    }

    fn int(&mut self, what: &str) -> Result<i64, String> {
        match self.item(what)? {
            Item::Int(n) => Ok(*n),
            Item::Str(_) => Err(format!("{what} is not an integer")),
        }
    }

    /// A count of items still to come.
    fn count(&mut self, what: &str) -> Result<usize, String> {
        let n = self.int(what)?;
        let left = self.items.len() - self.next;
        match usize::try_from(n) {
            Ok(n) if n <= left => Ok(n),
            _ => Err(format!("{what} {n} is impossible here")),
        }
    }

    fn bytes(&mut self, what: &str) -> Result<Cow<'a, [u8]>, String> {
        Ok(match self.item(what)? {
            Item::Str(s) => Cow::Borrowed(*s),
            int => Cow::Owned(int.bytes().into_owned()),
        })
    }
}

/// One node from its listpack. `last_entry` is the greatest ID read so far
/// in the stream; every entry must come after it.
fn read_node(master: StreamId, lp: &[u8], last_entry: &mut Option<StreamId>) -> Result<Node, String> {
    let mut items = Items { items: listpack::entries(lp)?, next: 0 };
    let live = items.int("the entry count")?;
    let deleted = items.int("the deleted count")?;
    let master_count = items.count("the master field count")?;
    let master_fields: Vec<Cow<[u8]>> =
        (0..master_count).map(|_| items.bytes("a master field")).collect::<Result<_, _>>()?;
    if items.int("the master entry terminator")? != 0 {
        return Err("the master entry terminator is not 0".into());
    }
    let field_refs: Vec<&[u8]> = master_fields.iter().map(|f| f.as_ref()).collect();
    let mut node = Node::with_master_fields(&field_refs);
    while !items.is_done() {
        let flags = items.int("entry flags")?;
        if flags & !(FLAG_DELETED | FLAG_SAME_FIELDS) != 0 {
            return Err(format!("unknown entry flags {flags}"));
        }
        let ms = master.ms.wrapping_add(items.int("an ID's ms delta")? as u64);
        let seq = master.seq.wrapping_add(items.int("an ID's seq delta")? as u64);
        let id = StreamId::new(ms, seq);
        if id < master || last_entry.is_some_and(|last| id <= last) {
            return Err(format!("entry {id} out of order"));
        }
        let same = flags & FLAG_SAME_FIELDS != 0;
        let nfields = if same { master_count } else { items.count("an entry's field count")? };
        let mut pairs: Vec<Cow<[u8]>> = Vec::with_capacity(2 * nfields);
        for i in 0..nfields {
            let field = match master_fields.get(i) {
                Some(name) if same => name.clone(),
                _ => items.bytes("a field")?,
            };
            pairs.push(field);
            pairs.push(items.bytes("a value")?);
        }
        let lp_count = items.int("an entry's item count")?;
        if lp_count != items_of_entry(same, nfields) as i64 {
            return Err(format!("entry {id} claims {lp_count} items"));
        }
        let refs: Vec<&[u8]> = pairs.iter().map(|p| p.as_ref()).collect();
        if flags & FLAG_DELETED != 0 {
            node.push_deleted(master, id, &refs);
        } else {
            node.push(master, id, &refs);
        }
        *last_entry = Some(id);
    }
    if i64::from(node.live) != live || i64::from(node.deleted) != deleted {
        return Err(format!(
            "master entry counts {live} live and {deleted} deleted entries, the node holds {} and {}",
            node.live, node.deleted
        ));
    }
    if node.live == 0 {
        return Err("a node without live entries".into());
    }
    node.shrink();
    Ok(node)
}

#[cfg(test)]
#[path = "stream_tests.rs"]
mod tests;
