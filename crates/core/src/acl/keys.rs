//! Which arguments of a command are keys, and how each is used — Redis's
//! `getKeysFromCommandWithSpecs`, driven by the key-spec table in
//! [`super::keyspecs`]. The ACL check needs the access flags per key: a
//! `%R~` pattern grants keys that are read, `%W~` keys that are written.

use foldhash::HashMap;

use super::keyspecs::KEY_SPECS;
use crate::command::args::is;
use crate::resp::parser::parse_i64;

/// Key-spec flags (Redis's `CMD_KEY_*`).
pub mod flags {
    pub const RO: u16 = 1 << 0;
    pub const RW: u16 = 1 << 1;
    pub const OW: u16 = 1 << 2;
    pub const RM: u16 = 1 << 3;
    /// The command returns or uses the key's value: needs read permission.
    pub const ACCESS: u16 = 1 << 4;
    pub const UPDATE: u16 = 1 << 5;
    pub const INSERT: u16 = 1 << 6;
    pub const DELETE: u16 = 1 << 7;
    pub const NOT_KEY: u16 = 1 << 8;
    pub const INCOMPLETE: u16 = 1 << 9;
    pub const VARIABLE_FLAGS: u16 = 1 << 10;
    /// Any of these changes the key: needs write permission.
    pub const WRITES: u16 = UPDATE | INSERT | DELETE;
}

/// Where a key spec starts looking.
#[derive(Clone, Copy, Debug)]
pub enum Begin {
    Index(i32),
    /// After the keyword, searched from `start` (negative: from the end, backwards).
    Keyword(&'static str, i32),
    Unknown,
}

/// How many keys follow the start.
#[derive(Clone, Copy, Debug)]
pub enum Find {
    Range { last: i32, step: i32, limit: i32 },
    KeyNum { index: i32, first: i32, step: i32 },
    Unknown,
}

#[derive(Clone, Copy, Debug)]
pub struct KeySpecDef {
    pub flags: u16,
    pub begin: Begin,
    pub find: Find,
}

/// A key argument: its index in argv and its spec's flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyRef {
    pub pos: usize,
    pub flags: u16,
}

/// Key specs by command full name ("set", "object|encoding").
pub struct KeySpecTable {
    by_name: HashMap<&'static str, &'static [KeySpecDef]>,
}

impl Default for KeySpecTable {
    fn default() -> Self {
        KeySpecTable { by_name: KEY_SPECS.iter().copied().collect() }
    }
}

impl KeySpecTable {
    pub fn has_keys(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// The keys of `argv` for the command named `name` (its full name).
    pub fn keys(&self, name: &str, argv: &[&[u8]]) -> Vec<KeyRef> {
        match name {
            "set" => return vec![KeyRef { pos: 1, flags: set_key_flags(argv) }],
            "bitfield" => return vec![KeyRef { pos: 1, flags: bitfield_key_flags(argv) }],
            "sort" | "sort_ro" => return sort_keys(argv),
            _ => {}
        }
        let Some(specs) = self.by_name.get(name) else { return Vec::new() };
        let mut keys = Vec::new();
        for spec in specs.iter() {
            if spec.flags & flags::NOT_KEY != 0 {
                continue;
            }
            match spec_keys(spec, argv) {
                Some(found) => keys.extend(found.map(|pos| KeyRef { pos, flags: spec.flags })),
                // Redis drops every key when a spec does not fit the arguments
                // (the command itself then fails with its syntax error).
                None => return Vec::new(),
            }
        }
        keys
    }
}

/// Positions one spec finds, or `None` when the arguments do not fit it.
fn spec_keys(spec: &KeySpecDef, argv: &[&[u8]]) -> Option<impl Iterator<Item = usize>> {
    let argc = argv.len() as i64;
    let first = match spec.begin {
        Begin::Index(i) => i as i64,
        Begin::Keyword(word, start) => {
            // As Redis, the search stops before the last argument (forwards)
            // or the first one (backwards); a missing keyword means no keys.
            let found = if start >= 0 {
                (start as i64..argc - 1).find(|&i| is(argv[i as usize], word))
            } else {
                (2..=argc + start as i64).rev().find(|&i| is(argv[i as usize], word))
            };
            match found {
                Some(i) => i + 1,
                None => return Some(positions(0, -1, 1, argc)),
            }
        }
        Begin::Unknown => return None,
    };
    let (last, step) = match spec.find {
        Find::Range { last, step, limit } => {
            let last = if last >= 0 {
                first + last as i64
            } else if limit == 0 {
                argc + last as i64
            } else {
                first + ((argc - first) / limit as i64 + last as i64)
            };
            (last, step as i64)
        }
        Find::KeyNum { index, first: offset, step } => {
            let at = first + index as i64;
            if at >= argc {
                return None;
            }
            let numkeys = parse_i64(argv[at as usize]).filter(|&n| n >= 0)?;
            let start = first + offset as i64;
            return Some(positions(start, start + (numkeys - 1) * step as i64, step as i64, argc));
        }
        Find::Unknown => return None,
    };
    Some(positions(first, last, step, argc))
}

/// `first..=last` by `step`, skipping positions past the arguments (a
/// variadic command with too few arguments reports its own error).
fn positions(first: i64, last: i64, step: i64, argc: i64) -> std::vec::IntoIter<usize> {
    let mut out = Vec::new();
    let mut i = first;
    while i <= last && step > 0 {
        if i >= 1 && i < argc {
            out.push(i as usize);
        }
        i += step;
    }
    out.into_iter()
}

/// SET reads its key only with GET (Redis's `setGetKeys`).
fn set_key_flags(argv: &[&[u8]]) -> u16 {
    use flags::*;
    if argv.iter().skip(3).any(|a| is(a, "get")) {
        RW | ACCESS | UPDATE
    } else {
        OW | UPDATE
    }
}

/// BITFIELD with only GET and OVERFLOW parts is a read (`bitfieldGetKeys`).
fn bitfield_key_flags(argv: &[&[u8]]) -> u16 {
    use flags::*;
    let mut i = 2;
    let mut readonly = true;
    while i < argv.len() {
        let rest = argv.len() - i - 1;
        if is(argv[i], "get") && rest >= 2 {
            i += 3;
        } else if is(argv[i], "overflow") && rest >= 1 {
            i += 2;
        } else {
            readonly = false;
            break;
        }
    }
    if readonly {
        RO | ACCESS
    } else {
        RW | ACCESS | UPDATE
    }
}

/// SORT's key and the last STORE destination (`sortGetKeys`).
fn sort_keys(argv: &[&[u8]]) -> Vec<KeyRef> {
    use flags::*;
    let mut keys = vec![KeyRef { pos: 1, flags: RO | ACCESS }];
    let mut store = None;
    let mut i = 2;
    while i < argv.len() {
        if is(argv[i], "limit") {
            i += 2;
        } else if is(argv[i], "get") || is(argv[i], "by") {
            i += 1;
        } else if is(argv[i], "store") && i + 1 < argv.len() {
            store = Some(i + 1);
        }
        i += 1;
    }
    keys.extend(store.map(|pos| KeyRef { pos, flags: OW | UPDATE }));
    keys
}

#[cfg(test)]
mod tests {
    use super::flags::*;
    use super::*;

    fn find(name: &str, argv: &[&str]) -> Vec<(usize, u16)> {
        let args: Vec<&[u8]> = argv.iter().map(|a| a.as_bytes()).collect();
        KeySpecTable::default().keys(name, &args).into_iter().map(|k| (k.pos, k.flags)).collect()
    }

    #[test]
    fn fixed_and_variadic_ranges() {
        assert_eq!(find("get", &["get", "k"]), vec![(1, RO | ACCESS)]);
        assert_eq!(find("mset", &["mset", "a", "1", "b", "2"]), vec![(1, OW | UPDATE), (3, OW | UPDATE)]);
        assert_eq!(find("del", &["del", "a", "b"]), vec![(1, RM | DELETE), (2, RM | DELETE)]);
        assert_eq!(find("ping", &["ping"]), vec![]);
    }

    #[test]
    fn keynum_and_two_specs() {
        let keys = find("zunionstore", &["zunionstore", "d", "2", "a", "b", "WEIGHTS", "1", "2"]);
        assert_eq!(keys, vec![(1, OW | UPDATE), (3, RO | ACCESS), (4, RO | ACCESS)]);
        assert_eq!(find("smove", &["smove", "s", "d", "m"]), vec![(1, RW | ACCESS | DELETE), (2, RW | INSERT)]);
        // A bad numkeys drops every key; the command reports the error itself.
        assert_eq!(find("zunionstore", &["zunionstore", "d", "x", "a"]), vec![]);
    }

    #[test]
    fn keyword_search_from_the_end() {
        let keys = find("xread", &["xread", "COUNT", "1", "STREAMS", "s1", "s2", "0", "0"]);
        assert_eq!(keys, vec![(4, RO | ACCESS), (5, RO | ACCESS)]);
    }

    #[test]
    fn variable_flags() {
        assert_eq!(find("set", &["set", "k", "v"]), vec![(1, OW | UPDATE)]);
        assert_eq!(find("set", &["set", "k", "v", "GET"]), vec![(1, RW | ACCESS | UPDATE)]);
        assert_eq!(find("bitfield", &["bitfield", "k", "GET", "u8", "0"]), vec![(1, RO | ACCESS)]);
        assert_eq!(find("bitfield", &["bitfield", "k", "SET", "u8", "0", "1"]), vec![(1, RW | ACCESS | UPDATE)]);
        assert_eq!(
            find("sort", &["sort", "k", "LIMIT", "0", "1", "STORE", "d"]),
            vec![(1, RO | ACCESS), (6, OW | UPDATE)]
        );
    }
}
