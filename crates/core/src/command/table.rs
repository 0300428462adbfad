//! Name → spec lookup, built once per engine from every family's declarations.

use foldhash::HashMap;

use super::args::lower;
use super::spec::{CommandSpec, Exec};

pub struct CommandTable {
    by_name: HashMap<&'static [u8], &'static CommandSpec>,
}

impl CommandTable {
    pub fn new() -> Self {
        let mut by_name = HashMap::default();
        for spec in crate::commands::all() {
            let prev = by_name.insert(spec.name.as_bytes(), spec);
            assert!(prev.is_none(), "command {} declared twice", spec.name);
        }
        CommandTable { by_name }
    }

    /// Finds a command by its name as typed (any case).
    #[inline]
    pub fn get(&self, name: &[u8]) -> Option<&'static CommandSpec> {
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
