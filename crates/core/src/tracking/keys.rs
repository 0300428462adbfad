//! The keys of a command as client-side caching remembers them (Redis's
//! `getKeysFromCommand`): the declared positions, and for the read-only
//! commands whose keys move, their `numkeys` form.

use crate::command::spec::{flags, CommandSpec};
use crate::resp::parser::parse_i64;

/// Indexes in `args` (command name at 0) that hold keys.
pub fn command_keys(spec: &CommandSpec, args: &[&[u8]]) -> Vec<usize> {
    if spec.keys.first > 0 {
        return spec.keys.key_indexes(args.len()).collect();
    }
    if !spec.has(flags::MOVABLE_KEYS) {
        return Vec::new();
    }
    match spec.name {
        // name numkeys key [key ...] …
        "sintercard" | "zunion" | "zinter" | "zdiff" | "zintercard" => numkeys_at(args, 1),
        "sort_ro" => (args.len() > 1).then_some(1).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// The keys after a `numkeys` argument at `at`; none if it is not a usable count.
fn numkeys_at(args: &[&[u8]], at: usize) -> Vec<usize> {
    let Some(n) = args.get(at).and_then(|a| parse_i64(a)) else { return Vec::new() };
    let first = at + 1;
    if n <= 0 || first + n as usize > args.len() {
        return Vec::new();
    }
    (first..first + n as usize).collect()
}
