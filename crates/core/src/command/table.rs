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
/// "get\0" differ).
#[inline]
fn packed_name(name: &[u8]) -> Option<u128> {
    if name.len() > PACKED_MAX {
        return None;
    }
    let mut bytes = [0u8; 16];
    bytes[..name.len()].copy_from_slice(name);
    for b in &mut bytes {
        *b = b.to_ascii_lowercase();
    }
    bytes[PACKED_MAX] = name.len() as u8;
    Some(u128::from_le_bytes(bytes))
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
    }
}
