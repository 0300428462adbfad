//! INFO commandstats' counters, one per command name.
//!
//! Every command bumps its counters, so finding them is on the hot path. A
//! map by name would hash the name and compare its bytes on each call. The
//! names come from the command table's `&'static str`s, so a small
//! direct-mapped cache finds the slot by where the name lives (address and
//! length: no hashing, two integer compares); the by-name map is only asked
//! when the cache line holds another name. Equal names at two addresses (the
//! compiler may or may not merge them) share one slot through that map.

use foldhash::HashMap;
use std::ops::Index;

use super::CommandStats;

/// Lines of the address cache: a power of two, comfortably more than the
/// commands a workload uses at once.
const CACHE_LINES: usize = 64;

/// A cached name's address and length, and its slot.
type CacheLine = Option<(usize, usize, usize)>;

#[derive(Debug)]
pub struct CommandStatsTable {
    /// Counters with their command's name, in first-use order.
    slots: Vec<(&'static str, CommandStats)>,
    by_name: HashMap<&'static str, usize>,
    by_address: [CacheLine; CACHE_LINES],
}

impl Default for CommandStatsTable {
    fn default() -> Self {
        CommandStatsTable { slots: Vec::new(), by_name: HashMap::default(), by_address: [None; CACHE_LINES] }
    }
}

impl CommandStatsTable {
    /// The counters of `name`, zero the first time.
    #[inline]
    pub fn entry(&mut self, name: &'static str) -> &mut CommandStats {
        let (address, len) = (name.as_ptr() as usize, name.len());
        let line = (address ^ (address >> 6) ^ len) % CACHE_LINES;
        let slot = match self.by_address[line] {
            Some((a, l, slot)) if a == address && l == len => slot,
            _ => {
                let slot = self.slot_by_name(name);
                self.by_address[line] = Some((address, len, slot));
                slot
            }
        };
        &mut self.slots[slot].1
    }

    #[cold]
    fn slot_by_name(&mut self, name: &'static str) -> usize {
        let next = self.slots.len();
        let slot = *self.by_name.entry(name).or_insert(next);
        if slot == next {
            self.slots.push((name, CommandStats::default()));
        }
        slot
    }

    pub fn get(&self, name: &str) -> Option<&CommandStats> {
        self.by_name.get(name).map(|&slot| &self.slots[slot].1)
    }

    pub fn values(&self) -> impl Iterator<Item = &CommandStats> {
        self.slots.iter().map(|(_, stats)| stats)
    }

    /// Every command counted so far, with its counters, in no set order.
    pub fn iter(&self) -> impl Iterator<Item = (&&'static str, &CommandStats)> {
        self.slots.iter().map(|(name, stats)| (name, stats))
    }
}

impl Index<&str> for CommandStatsTable {
    type Output = CommandStats;

    fn index(&self, name: &str) -> &CommandStats {
        self.get(name).unwrap_or_else(|| panic!("no commandstats for {name}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_names_at_different_addresses_share_counters() {
        let mut t = CommandStatsTable::default();
        let leaked: &'static str = Box::leak(String::from("get").into_boxed_str());
        t.entry("get").calls += 1;
        t.entry(leaked).calls += 2;
        t.entry("set").failed_calls += 1;
        // A name that starts where another does but is shorter is another command.
        let prefix: &'static str = &leaked[..2];
        t.entry(prefix).calls += 5;
        assert_eq!(t["get"].calls, 3);
        assert_eq!(t["set"].failed_calls, 1);
        assert_eq!(t["ge"].calls, 5);
        assert_eq!(t.iter().count(), 3);
        assert!(t.get("del").is_none());
    }

    #[test]
    fn names_sharing_a_cache_line_keep_their_own_counters() {
        let mut t = CommandStatsTable::default();
        let names: Vec<&'static str> =
            (0..CACHE_LINES * 4).map(|i| &*Box::leak(format!("cmd{i}").into_boxed_str())).collect();
        for round in 1..=3 {
            for (i, name) in names.iter().enumerate() {
                t.entry(name).calls += i as u64;
            }
            for (i, name) in names.iter().enumerate() {
                assert_eq!(t[*name].calls, i as u64 * round);
            }
        }
    }
}
