//! The stream type: entries under increasing IDs, kept in nodes of packed
//! bytes (see [`node`]) indexed by each node's first ID in an ordered map,
//! as Redis keeps listpacks in a radix tree; plus the consumer groups (see
//! [`group`]) and the counters Redis 7 keeps for lag accounting.

pub mod group;
pub mod id;
pub mod node;
mod range;
#[cfg(test)]
mod tests;
mod trim;

use std::collections::BTreeMap;

pub use group::{Consumer, Group, Pending, INVALID_ENTRIES_READ};
pub use id::{ParsedId, StreamId};
pub use node::{Entry, Fields, Node};
pub use range::Range;
pub use trim::{Trim, TrimArgs};

/// `stream-node-max-bytes` and `stream-node-max-entries`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NodeLimits {
    pub max_bytes: usize,
    pub max_entries: usize,
}

impl Default for NodeLimits {
    fn default() -> Self {
        NodeLimits { max_bytes: 4096, max_entries: 100 }
    }
}

/// Why XADD could not add an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddError {
    /// The ID is not greater than the stream's last one.
    IdTooSmall,
}

/// A listpack holds at most this much element data (Redis's
/// `STREAM_LISTPACK_MAX_SIZE`).
const LISTPACK_MAX: usize = 1 << 30;

#[derive(Clone, Debug, Default)]
pub struct Stream {
    nodes: BTreeMap<StreamId, Node>,
    /// Live entries.
    length: u64,
    pub last_id: StreamId,
    /// The first live entry's ID as last recorded (0-0 when empty).
    pub first_id: StreamId,
    pub max_deleted_id: StreamId,
    /// Every entry ever added (XSETID may set it).
    pub entries_added: u64,
    /// Consumer groups by name, in name order as Redis's radix tree.
    pub groups: BTreeMap<Vec<u8>, Group>,
}

impl Stream {
    pub fn new() -> Stream {
        Stream::default()
    }

    pub fn len(&self) -> u64 {
        self.length
    }

    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// Nodes in the index (XINFO's radix-tree-keys).
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    pub fn encoding(&self) -> &'static str {
        "stream"
    }

    /// The ID XADD gives an entry: `requested` as typed (`None` for `*`), or
    /// the next one after the last ID at time `now_ms`.
    pub fn next_id(&self, requested: Option<ParsedId>, now_ms: i64) -> Result<StreamId, AddError> {
        let last = self.last_id;
        let id = match requested {
            Some(ParsedId { id, seq_given: true }) => id,
            Some(ParsedId { id, seq_given: false }) if id.ms == last.ms => {
                if last.seq == u64::MAX {
                    return Err(AddError::IdTooSmall);
                }
                StreamId::new(last.ms, last.seq + 1)
            }
            Some(ParsedId { id, .. }) => id,
            None => {
                let ms = now_ms.max(0) as u64;
                if ms > last.ms {
                    StreamId::new(ms, 0)
                } else {
                    // Redis wraps to 0-0 past the last ID, which then fails the check below.
                    last.next().unwrap_or(StreamId::MIN)
                }
            }
        };
        if id <= last {
            return Err(AddError::IdTooSmall);
        }
        Ok(id)
    }

    /// Whether `pairs` (field, value, …) is too big to store.
    pub fn too_large(pairs: &[&[u8]]) -> bool {
        pairs.iter().map(|p| p.len()).sum::<usize>() > LISTPACK_MAX
    }

    /// Appends an entry; `id` must come from `next_id`.
    pub fn append(&mut self, id: StreamId, pairs: &[&[u8]], limits: NodeLimits) {
        let data_len: usize = pairs.iter().map(|p| p.len()).sum();
        let max_bytes =
            if limits.max_bytes == 0 || limits.max_bytes > LISTPACK_MAX { LISTPACK_MAX } else { limits.max_bytes };
        let tail = self.nodes.last_entry();
        let mut tail = match tail {
            Some(mut t) => {
                let node = t.get();
                let full = node.lp_bytes() + data_len >= max_bytes
                    || (limits.max_entries != 0 && (node.live + node.deleted) as usize >= limits.max_entries);
                if full {
                    t.get_mut().shrink();
                    None
                } else {
                    Some(t)
                }
            }
            None => None,
        };
        match &mut tail {
            Some(t) => {
                let master = *t.key();
                t.get_mut().push(master, id, pairs);
            }
            None => {
                let mut node = Node::new(pairs);
                node.push(id, id, pairs);
                self.nodes.insert(id, node);
            }
        }
        self.length += 1;
        self.entries_added += 1;
        self.last_id = id;
        if self.length == 1 {
            self.first_id = id;
        }
    }

    /// Entries with IDs in `start..=end`, forwards or (`rev`) backwards.
    pub fn range(&self, start: StreamId, end: StreamId, rev: bool) -> Range<'_> {
        Range::new(self, start, end, rev)
    }

    /// The entry with ID `id`, if it exists.
    pub fn get(&self, id: StreamId) -> Option<Entry<'_>> {
        self.range(id, id, false).next()
    }

    pub fn contains(&self, id: StreamId) -> bool {
        self.get(id).is_some()
    }

    /// The first or last live entry's ID.
    pub fn edge_id(&self, first: bool) -> Option<StreamId> {
        self.range(StreamId::MIN, StreamId::MAX, !first).next().map(|e| e.id)
    }

    /// Deletes one entry (XDEL); false if there was none. Does not touch
    /// `first_id` or `max_deleted_id`: the caller does, as XDEL does.
    pub fn delete(&mut self, id: StreamId) -> bool {
        let Some((&master, node)) = self.nodes.range(..=id).next_back() else { return false };
        let mut at = node.first_at();
        let mut found = None;
        while let Some(a) = at {
            let e = node.entry_at(master, a);
            if e.id == id {
                if !e.is_deleted() {
                    found = Some(a);
                }
                break;
            }
            if e.id > id {
                break;
            }
            at = node.next_at(&e);
        }
        let Some(at) = found else { return false };
        let node = self.nodes.get_mut(&master).expect("found above");
        if node.live == 1 {
            self.nodes.remove(&master);
        } else {
            node.mark_deleted(at);
        }
        self.length -= 1;
        true
    }

    /// Re-reads the first live ID after deletions (Redis's
    /// `streamGetEdgeID(first, skip tombstones)`), 0-0 when empty.
    pub fn refresh_first_id(&mut self) {
        self.first_id = if self.length == 0 { StreamId::MIN } else { self.edge_id(true).unwrap_or(StreamId::MAX) };
    }

    /// Redis's `streamRangeHasTombstones`: whether an entry was deleted
    /// between `start` and the end of the stream.
    pub fn range_has_tombstones(&self, start: StreamId) -> bool {
        if self.length == 0 || self.max_deleted_id.is_zero() || self.first_id > self.max_deleted_id {
            return false;
        }
        start <= self.max_deleted_id
    }

    /// Redis's `streamEstimateDistanceFromFirstEverEntry`: how many entries
    /// were added up to `id`, when it can be told.
    pub fn entries_up_to(&self, id: StreamId) -> Option<u64> {
        if self.entries_added == 0 {
            return Some(0);
        }
        if self.length == 0 && id <= self.last_id {
            return Some(self.entries_added);
        }
        match id.cmp(&self.last_id) {
            std::cmp::Ordering::Equal => return Some(self.entries_added),
            std::cmp::Ordering::Greater => return None,
            std::cmp::Ordering::Less => {}
        }
        if self.max_deleted_id.is_zero() || self.max_deleted_id < self.first_id {
            match id.cmp(&self.first_id) {
                std::cmp::Ordering::Less => return Some(self.entries_added - self.length),
                std::cmp::Ordering::Equal => return Some(self.entries_added - self.length + 1),
                std::cmp::Ordering::Greater => {}
            }
        }
        None
    }

    /// A group's lag as XINFO reports it (`None` shows as null).
    pub fn lag(&self, group: &Group) -> Option<i64> {
        if self.entries_added == 0 {
            return Some(0);
        }
        if group.entries_read != INVALID_ENTRIES_READ && !self.range_has_tombstones(group.last_id) {
            return Some(self.entries_added as i64 - group.entries_read);
        }
        self.entries_up_to(group.last_id).map(|read| self.entries_added as i64 - read as i64)
    }

    /// Moves a group past `id`, counting it as read as Redis 7 does when it
    /// delivers a new entry.
    pub fn advance_group(&self, group: &mut Group, id: StreamId) {
        if id <= group.last_id {
            return;
        }
        if group.entries_read != INVALID_ENTRIES_READ && !self.range_has_tombstones(id) {
            group.entries_read += 1;
        } else if self.entries_added != 0 {
            group.entries_read = self.entries_up_to(id).map_or(INVALID_ENTRIES_READ, |n| n as i64);
        }
        group.last_id = id;
    }

    /// Bytes the stream owns on the heap, roughly as an allocator counts them.
    pub fn heap_size(&self) -> usize {
        // An ordered-map slot per node: key, value and tree overhead.
        const NODE_SLOT: usize = std::mem::size_of::<StreamId>() + std::mem::size_of::<Node>() + 16;
        let nodes: usize = self.nodes.values().map(|n| n.heap_size() + NODE_SLOT).sum();
        let groups: usize = self.groups.iter().map(|(name, g)| name.len() + g.heap_size()).sum();
        nodes + groups
    }

    /// Nodes keyed by their master IDs, in order (for persistence).
    pub fn node_map(&self) -> &BTreeMap<StreamId, Node> {
        &self.nodes
    }

    /// A stream of these nodes holding `length` live entries, its other
    /// fields at their defaults (a loader fills them). The caller has
    /// checked that the nodes are ordered and `length` counts them.
    pub fn from_nodes(nodes: BTreeMap<StreamId, Node>, length: u64) -> Stream {
        Stream { nodes, length, ..Stream::default() }
    }

    /// Nodes for the trimming code.
    pub(super) fn nodes_mut(&mut self) -> &mut BTreeMap<StreamId, Node> {
        &mut self.nodes
    }

    pub(super) fn nodes(&self) -> &BTreeMap<StreamId, Node> {
        &self.nodes
    }
}

impl Stream {
    /// What Redis's radix tree would count as its nodes for this stream's
    /// node keys (XINFO's radix-tree-nodes): the tree kept compressed, each
    /// 16-byte big-endian key ending in a node of its own.
    pub fn radix_tree_nodes(&self) -> usize {
        let keys: Vec<[u8; 16]> = self
            .nodes
            .keys()
            .map(|id| {
                let mut k = [0u8; 16];
                k[..8].copy_from_slice(&id.ms.to_be_bytes());
                k[8..].copy_from_slice(&id.seq.to_be_bytes());
                k
            })
            .collect();
        if keys.is_empty() {
            return 1;
        }
        radix_nodes(&keys, 0)
    }
}

/// Nodes of a compressed radix tree over sorted, distinct, equal-length keys
/// below depth `depth`: a shared run is one compressed node, a fork one
/// branching node, and every key ends in a leaf.
fn radix_nodes(keys: &[[u8; 16]], depth: usize) -> usize {
    if depth == 16 {
        return 1;
    }
    let (first, last) = (&keys[0], &keys[keys.len() - 1]);
    let shared = (depth..16).take_while(|&i| first[i] == last[i]).count();
    if shared > 0 {
        return 1 + radix_nodes(keys, depth + shared);
    }
    let mut total = 1;
    let mut start = 0;
    while start < keys.len() {
        let byte = keys[start][depth];
        let end = start + keys[start..].iter().take_while(|k| k[depth] == byte).count();
        total += radix_nodes(&keys[start..end], depth + 1);
        start = end;
    }
    total
}
