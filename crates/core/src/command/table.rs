//! Name → spec lookup, built once per engine from every family's declarations.

use foldhash::HashMap;

use super::args::lower;
use super::spec::{CommandSpec, Exec};

pub struct CommandTable {
    by_name: HashMap<&'static [u8], &'static CommandSpec>,
    /// The same commands keyed by [`packed_name`], for names that fit in
    /// one: every lookup of a command as typed goes through here, and
    /// lower-casing, hashing and comparing one word is several times
    /// cheaper than doing it byte by byte (names over 15 bytes use `by_name`).
    by_packed: HashMap<u128, &'static CommandSpec>,
}

/// Longest name that [`packed_name`] takes.
const PACKED_MAX: usize = 15;

/// A name of up to [`PACKED_MAX`] bytes, lower-cased, as one number: its
/// bytes, zero-padded, with its length in the last byte (so "get" and
/// "get\0" differ). Built from whole-word loads rather than a byte copy:
/// this runs once per command.
#[inline]
fn packed_name(name: &[u8]) -> Option<u128> {
    let typed = typed_name(name)?;
    let low = lower_ascii(typed as u64) as u128;
    // The length byte is below 'A', so lower-casing leaves it alone.
    let high = lower_ascii((typed >> 64) as u64) as u128;
    Some(low | (high << 64))
}

/// The last command name looked up, as typed, and what it named.
///
/// A pipeline usually repeats one command (a bulk load, a benchmark, a
/// queue consumer), so the engine's loop asks this first: comparing the
/// name as typed, packed into one word, with the previous one is much
/// cheaper than lower-casing it and probing the table. A miss costs one
/// extra comparison.
#[derive(Default)]
pub struct RecentCommand {
    last: Option<(u128, &'static CommandSpec)>,
}

impl RecentCommand {
    /// [`CommandTable::get`], through the one remembered name.
    #[inline]
    pub fn get(&mut self, table: &CommandTable, name: &[u8]) -> Option<&'static CommandSpec> {
        let typed = typed_name(name);
        if let (Some(typed), Some((last, spec))) = (typed, self.last) {
            if typed == last {
                return Some(spec);
            }
        }
        let spec = table.get(name)?;
        if let Some(typed) = typed {
            self.last = Some((typed, spec));
        }
        Some(spec)
    }
}

/// A name of up to [`PACKED_MAX`] bytes as one number, case kept: its
/// bytes, zero-padded, with its length in the last byte.
#[inline]
fn typed_name(name: &[u8]) -> Option<u128> {
    let len = name.len();
    if len > PACKED_MAX {
        return None;
    }
    let (low, high) = if len > 8 { (&name[..8], &name[8..]) } else { (name, &[][..]) };
    Some(load_le(low) as u128 | ((load_le(high) as u128) << 64) | ((len as u128) << (8 * PACKED_MAX)))
}

/// Up to 8 bytes as a little-endian word, zero-padded, in at most two
/// loads (overlapping when the length is not a power of two).
#[inline]
fn load_le(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    match n {
        0 => 0,
        1 => bytes[0] as u64,
        2..=3 => {
            let first = u16::from_le_bytes([bytes[0], bytes[1]]) as u64;
            let last = u16::from_le_bytes([bytes[n - 2], bytes[n - 1]]) as u64;
            first | last << (8 * (n - 2))
        }
        4..=7 => {
            let first = u32::from_le_bytes(bytes[..4].try_into().expect("four bytes")) as u64;
            let last = u32::from_le_bytes(bytes[n - 4..].try_into().expect("four bytes")) as u64;
            first | last << (8 * (n - 4))
        }
        _ => u64::from_le_bytes(bytes[..8].try_into().expect("eight bytes")),
    }
}

/// ASCII lower-casing of eight bytes at once; other bytes are unchanged.
#[inline]
fn lower_ascii(word: u64) -> u64 {
    const ONES: u64 = u64::MAX / 0xff;
    // Per byte, on its low 7 bits (no carry can cross into the next byte):
    // the high bit says "at least 'A'", resp. "past 'Z'".
    let low7 = word & (ONES * 0x7f);
    let from_a = low7 + ONES * (0x80 - b'A' as u64);
    let past_z = low7 + ONES * (0x80 - b'Z' as u64 - 1);
    // Upper-case ASCII letters: in range, and the byte's own high bit clear.
    let upper = from_a & !past_z & !word & (ONES * 0x80);
    word | (upper >> 2)
}

impl CommandTable {
    pub fn new() -> Self {
        let mut by_name = HashMap::default();
        let mut by_packed = HashMap::default();
        for spec in crate::commands::all() {
            let prev = by_name.insert(spec.name.as_bytes(), spec);
            assert!(prev.is_none(), "command {} declared twice", spec.name);
            if let Some(packed) = packed_name(spec.name.as_bytes()) {
                by_packed.insert(packed, spec);
            }
        }
        CommandTable { by_name, by_packed }
    }

    /// Finds a command by its name as typed (any case).
    #[inline]
    pub fn get(&self, name: &[u8]) -> Option<&'static CommandSpec> {
        if let Some(packed) = packed_name(name) {
            return self.by_packed.get(&packed).copied();
        }
        let mut buf = [0u8; 64];
        self.by_name.get(lower(name, &mut buf)?).copied()
    }

    pub fn iter(&self) -> impl Iterator<Item = &'static CommandSpec> + '_ {
        self.by_name.values().copied()
    }

    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }
}

impl Default for CommandTable {
    fn default() -> Self {
        Self::new()
    }
}

/// The subcommand of a container (CLIENT SETNAME …), by its name as typed.
pub fn subcommand(spec: &'static CommandSpec, name: &[u8]) -> Option<&'static CommandSpec> {
    let mut buf = [0u8; 64];
    let lname = lower(name, &mut buf)?;
    spec.subcommands.iter().find(|s| {
        // Subcommands are declared with their full name ("client|setname").
        let sub = s.name.rsplit('|').next().unwrap_or(s.name);
        sub.as_bytes() == lname
    })
}

pub fn is_container(spec: &CommandSpec) -> bool {
    matches!(spec.exec, Exec::Container)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_is_found_by_its_name_in_any_case() {
        let table = CommandTable::new();
        for spec in table.iter() {
            let upper = spec.name.to_ascii_uppercase();
            let mixed: String = spec
                .name
                .chars()
                .enumerate()
                .map(|(i, c)| if i % 2 == 0 { c.to_ascii_uppercase() } else { c })
                .collect();
            for typed in [spec.name, &upper, &mixed] {
                let found = table.get(typed.as_bytes()).map(|s| s.name);
                assert_eq!(found, Some(spec.name), "typed {typed:?}");
            }
        }
        // Long names take the other map.
        assert!(table.iter().any(|s| s.name.len() > PACKED_MAX));
    }

    #[test]
    fn near_names_are_not_commands() {
        let table = CommandTable::new();
        for typed in [&b"get\0"[..], b"ge", b"gett", b"\0get", b"g\xc5t", b"", b"getrange-", b"georadiusbymember_rox"] {
            assert!(table.get(typed).is_none(), "{typed:?}");
        }
        assert_eq!(table.get(b"GEORADIUSBYMEMBER_RO").map(|s| s.name), Some("georadiusbymember_ro"));
        // Bytes next to the letters in ASCII, and their high-bit twins, are not letters.
        for typed in [&b"@et"[..], b"[et", b"`et", b"{et", b"\xc7et", b"\xe7et"] {
            assert!(table.get(typed).is_none(), "{typed:?}");
        }
    }

    #[test]
    fn packing_matches_a_byte_by_byte_lower_casing() {
        for len in 0..=PACKED_MAX {
            for seed in 0..256u32 {
                let name: Vec<u8> = (0..len).map(|i| (seed as usize * 31 + i * 97) as u8).collect();
                let mut expected = [0u8; 16];
                for (e, b) in expected.iter_mut().zip(&name) {
                    *e = b.to_ascii_lowercase();
                }
                expected[PACKED_MAX] = len as u8;
                assert_eq!(packed_name(&name), Some(u128::from_le_bytes(expected)), "{name:?}");
            }
        }
        assert_eq!(packed_name(&[b'a'; PACKED_MAX + 1]), None);
    }

    #[test]
    fn the_recent_command_is_remembered_as_typed() {
        let table = CommandTable::new();
        let mut recent = RecentCommand::default();
        let names = |r: Option<&'static CommandSpec>| r.map(|s| s.name);
        assert_eq!(names(recent.get(&table, b"GET")), Some("get"));
        assert_eq!(names(recent.get(&table, b"GET")), Some("get"));
        assert_eq!(names(recent.get(&table, b"get")), Some("get"));
        assert_eq!(names(recent.get(&table, b"GETSET")), Some("getset"));
        assert_eq!(names(recent.get(&table, b"GET\0")), None);
        assert_eq!(names(recent.get(&table, b"GE")), None);
        assert_eq!(names(recent.get(&table, b"SET")), Some("set"));
        assert_eq!(names(recent.get(&table, b"GEORADIUSBYMEMBER_RO")), Some("georadiusbymember_ro"));
        assert_eq!(names(recent.get(&table, b"SET")), Some("set"));
    }
}
