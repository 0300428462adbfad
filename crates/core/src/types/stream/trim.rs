//! XTRIM and XADD's MAXLEN/MINID: drop the oldest entries, whole nodes at
//! a time and then (unless approximate) entry by entry inside the node
//! where the limit falls, exactly where Redis stops.

use super::id::StreamId;
use super::Stream;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trim {
    None,
    MaxLen(u64),
    MinId(StreamId),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrimArgs {
    pub trim: Trim,
    /// `~`: only whole nodes go.
    pub approx: bool,
    /// At most this many entries go (0: no limit).
    pub limit: u64,
}

impl Stream {
    /// Trims the stream; returns how many entries were deleted.
    pub fn trim(&mut self, args: &TrimArgs) -> u64 {
        if args.trim == Trim::None {
            return 0;
        }
        let mut deleted = 0u64;
        let mut cursor = StreamId::MIN;
        while let Some((&master, node)) = self.nodes().range(cursor..).next() {
            if let Trim::MaxLen(max) = args.trim {
                if self.len() <= max {
                    break;
                }
            }
            let entries = node.live as u64;
            if args.limit != 0 && deleted + entries > args.limit {
                break;
            }
            let remove_node = match args.trim {
                Trim::MaxLen(max) => self.len() - entries >= max,
                Trim::MinId(min) => {
                    let last = node.offsets(master).last().map(|&a| node.entry_at(master, a).id);
                    last.is_some_and(|last| last < min)
                }
                Trim::None => unreachable!("checked above"),
            };
            if remove_node {
                self.nodes_mut().remove(&master);
                self.length -= entries;
                deleted += entries;
                cursor = master;
                continue;
            }
            if args.approx {
                break;
            }
            let offsets = node.offsets(master);
            let mut length = self.len();
            let node = self.nodes_mut().get_mut(&master).expect("seen above");
            for at in offsets {
                let e = node.entry_at(master, at);
                let stop = match args.trim {
                    Trim::MaxLen(max) => length <= max,
                    Trim::MinId(min) => e.id >= min,
                    Trim::None => true,
                };
                if stop {
                    break;
                }
                if !e.is_deleted() {
                    node.mark_deleted(at);
                    length -= 1;
                    deleted += 1;
                }
            }
            self.length = length;
            break;
        }
        if self.length == 0 {
            self.first_id = StreamId::MIN;
        } else if deleted > 0 {
            self.refresh_first_id();
        }
        deleted
    }
}
