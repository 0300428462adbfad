//! INFO commandstats' counters, one per command name.
//!
//! Every command bumps its counters, so finding them is on the hot path. A
//! map by name would hash the name and compare its bytes on each call; the
//! names come from the command table's `&'static str`s, so the counters are
//! found by where the name lives (address and length: two integers to hash
//! and compare) and by name only the first time an address is seen. Equal
//! names at two addresses (the compiler may or may not merge them) share one
//! slot through the by-name map.

use foldhash::HashMap;
use std::ops::Index;

use super::CommandStats;

#[derive(Default, Debug)]
pub struct CommandStatsTable {
    /// Counters with their command's name, in first-use order.
    slots: Vec<(&'static str, CommandStats)>,
    by_name: HashMap<&'static str, usize>,
    by_address: HashMap<(usize, usize), usize>,
}

impl CommandStatsTable {
    /// The counters of `name`, zero the first time.
    #[inline]
    pub fn entry(&mut self, name: &'static str) -> &mut CommandStats {
        let address = (name.as_ptr() as usize, name.len());
        let slot = match self.by_address.get(&address) {
            Some(&slot) => slot,
            None => self.slot_by_name(name, address),
        };
        &mut self.slots[slot].1
    }

    #[cold]
    fn slot_by_name(&mut self, name: &'static str, address: (usize, usize)) -> usize {
        let next = self.slots.len();
        let slot = *self.by_name.entry(name).or_insert(next);
        if slot == next {
            self.slots.push((name, CommandStats::default()));
        }
        self.by_address.insert(address, slot);
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
}
