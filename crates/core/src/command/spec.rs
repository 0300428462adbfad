//! What one command is: the declaration that `commands/*` families write.

use super::CmdResult;
use crate::engine::Ctx;

pub type Handler = fn(&mut Ctx, &[&[u8]]) -> CmdResult;

/// Which side runs a command. Host commands (CONFIG, SHUTDOWN …) stop the
/// batch so the TypeScript server can answer them in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Core,
    Host,
}

/// How a command runs; `Core` carries its handler so a core command without
/// one does not compile.
#[derive(Clone, Copy)]
pub enum Exec {
    Core(Handler),
    Host,
    /// A container whose subcommands carry the handlers (CLIENT, CONFIG …).
    Container,
}

/// Command flags, named as COMMAND INFO prints them.
pub mod flags {
    pub const WRITE: u32 = 1 << 0;
    pub const READONLY: u32 = 1 << 1;
    pub const DENYOOM: u32 = 1 << 2;
    pub const ADMIN: u32 = 1 << 3;
    pub const PUBSUB: u32 = 1 << 4;
    pub const NOSCRIPT: u32 = 1 << 5;
    pub const BLOCKING: u32 = 1 << 6;
    pub const LOADING: u32 = 1 << 7;
    pub const STALE: u32 = 1 << 8;
    pub const SKIP_MONITOR: u32 = 1 << 9;
    pub const SKIP_SLOWLOG: u32 = 1 << 10;
    pub const FAST: u32 = 1 << 11;
    pub const NO_AUTH: u32 = 1 << 12;
    pub const MAY_REPLICATE: u32 = 1 << 13;
    pub const NO_MANDATORY_KEYS: u32 = 1 << 14;
    pub const NO_MULTI: u32 = 1 << 15;
    pub const MOVABLE_KEYS: u32 = 1 << 16;
    pub const ALLOW_BUSY: u32 = 1 << 17;
    pub const NO_ASYNC_LOADING: u32 = 1 << 18;

    pub const NAMES: [(u32, &str); 19] = [
        (WRITE, "write"),
        (READONLY, "readonly"),
        (DENYOOM, "denyoom"),
        (ADMIN, "admin"),
        (PUBSUB, "pubsub"),
        (NOSCRIPT, "noscript"),
        (BLOCKING, "blocking"),
        (LOADING, "loading"),
        (STALE, "stale"),
        (SKIP_MONITOR, "skip_monitor"),
        (SKIP_SLOWLOG, "skip_slowlog"),
        (FAST, "fast"),
        (NO_AUTH, "no_auth"),
        (MAY_REPLICATE, "may_replicate"),
        (NO_MANDATORY_KEYS, "no_mandatory_keys"),
        (NO_ASYNC_LOADING, "no_async_loading"),
        (NO_MULTI, "no_multi"),
        (MOVABLE_KEYS, "movablekeys"),
        (ALLOW_BUSY, "allow_busy"),
    ];
}

/// ACL categories (`@read`, `@string` …); a command's set is its declared
/// ones plus those implied by its flags (see [`CommandSpec::acl_categories`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum AclCategory {
    Keyspace,
    Read,
    Write,
    Set,
    SortedSet,
    List,
    Hash,
    String,
    Bitmap,
    HyperLogLog,
    Geo,
    Stream,
    PubSub,
    Admin,
    Fast,
    Slow,
    Blocking,
    Dangerous,
    Connection,
    Transaction,
    Scripting,
}

impl AclCategory {
    pub const ALL: [AclCategory; 21] = [
        Self::Keyspace,
        Self::Read,
        Self::Write,
        Self::Set,
        Self::SortedSet,
        Self::List,
        Self::Hash,
        Self::String,
        Self::Bitmap,
        Self::HyperLogLog,
        Self::Geo,
        Self::Stream,
        Self::PubSub,
        Self::Admin,
        Self::Fast,
        Self::Slow,
        Self::Blocking,
        Self::Dangerous,
        Self::Connection,
        Self::Transaction,
        Self::Scripting,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            Self::Keyspace => "keyspace",
            Self::Read => "read",
            Self::Write => "write",
            Self::Set => "set",
            Self::SortedSet => "sortedset",
            Self::List => "list",
            Self::Hash => "hash",
            Self::String => "string",
            Self::Bitmap => "bitmap",
            Self::HyperLogLog => "hyperloglog",
            Self::Geo => "geo",
            Self::Stream => "stream",
            Self::PubSub => "pubsub",
            Self::Admin => "admin",
            Self::Fast => "fast",
            Self::Slow => "slow",
            Self::Blocking => "blocking",
            Self::Dangerous => "dangerous",
            Self::Connection => "connection",
            Self::Transaction => "transaction",
            Self::Scripting => "scripting",
        }
    }

    pub const fn bit(self) -> u32 {
        1 << self as u8
    }
}

/// The command's group, as COMMAND DOCS reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Generic,
    String,
    List,
    Set,
    SortedSet,
    Hash,
    PubSub,
    Transactions,
    Connection,
    Server,
    Scripting,
    HyperLogLog,
    Cluster,
    Geo,
    Stream,
    Bitmap,
}

impl Group {
    pub const fn name(self) -> &'static str {
        match self {
            Self::Generic => "generic",
            Self::String => "string",
            Self::List => "list",
            Self::Set => "set",
            Self::SortedSet => "sorted-set",
            Self::Hash => "hash",
            Self::PubSub => "pubsub",
            Self::Transactions => "transactions",
            Self::Connection => "connection",
            Self::Server => "server",
            Self::Scripting => "scripting",
            Self::HyperLogLog => "hyperloglog",
            Self::Cluster => "cluster",
            Self::Geo => "geo",
            Self::Stream => "stream",
            Self::Bitmap => "bitmap",
        }
    }
}

/// Legacy key positions (first, last, step), as COMMAND INFO reports them;
/// `last` is negative when counted from the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeySpec {
    pub first: i32,
    pub last: i32,
    pub step: i32,
}

impl KeySpec {
    pub const NONE: KeySpec = KeySpec { first: 0, last: 0, step: 0 };
    pub const FIRST: KeySpec = KeySpec { first: 1, last: 1, step: 1 };
    pub const ALL: KeySpec = KeySpec { first: 1, last: -1, step: 1 };
    pub const PAIRS: KeySpec = KeySpec { first: 1, last: -1, step: 2 };
    pub const TWO: KeySpec = KeySpec { first: 1, last: 2, step: 1 };

    /// The argument indexes holding keys in `argv` (command name at 0).
    pub fn key_indexes(&self, argc: usize) -> impl Iterator<Item = usize> {
        let first = self.first.max(0) as usize;
        let last = if self.last < 0 { argc as i64 + self.last as i64 } else { self.last as i64 };
        let step = self.step.max(1) as usize;
        let end = if first == 0 { 0 } else { (last + 1).clamp(0, argc as i64) as usize };
        (first..end.max(first)).step_by(step)
    }
}

/// One command. Families declare theirs as `const` items with
/// `..CommandSpec::BASE` for the fields they leave at their defaults.
#[derive(Clone, Copy)]
pub struct CommandSpec {
    /// Lower case, as Redis's `COMMAND` lists it.
    pub name: &'static str,
    /// Positive: exact argc (name included); negative: at least -arity.
    pub arity: i32,
    pub flags: u32,
    /// Bits of [`AclCategory`] beyond those implied by the flags.
    pub acl: u32,
    pub keys: KeySpec,
    pub group: Group,
    pub since: &'static str,
    pub summary: &'static str,
    pub complexity: &'static str,
    pub exec: Exec,
    pub subcommands: &'static [CommandSpec],
}

impl CommandSpec {
    pub const BASE: CommandSpec = CommandSpec {
        name: "",
        arity: 1,
        flags: 0,
        acl: 0,
        keys: KeySpec::NONE,
        group: Group::Generic,
        since: "1.0.0",
        summary: "",
        complexity: "O(1)",
        exec: Exec::Host,
        subcommands: &[],
    };

    pub fn side(&self) -> Side {
        match self.exec {
            Exec::Host => Side::Host,
            _ => Side::Core,
        }
    }

    pub fn has(&self, flag: u32) -> bool {
        self.flags & flag != 0
    }

    pub fn arity_ok(&self, argc: usize) -> bool {
        let a = self.arity;
        if a >= 0 {
            argc == a as usize
        } else {
            argc >= (-a) as usize
        }
    }

    /// The names of the flags set, in COMMAND INFO's order.
    pub fn flag_names(&self) -> impl Iterator<Item = &'static str> + Clone + '_ {
        flags::NAMES.iter().filter(|(bit, _)| self.has(*bit)).map(|(_, name)| *name)
    }

    /// The names of its ACL categories (declared and implicit), in COMMAND
    /// INFO's order, without the `@`.
    pub fn acl_category_names(&self) -> impl Iterator<Item = &'static str> + Clone {
        let acl = self.acl_categories();
        AclCategory::ALL.iter().filter(move |c| acl & c.bit() != 0).map(|c| c.name())
    }

    /// Declared categories plus Redis's implicit ones (`setImplicitACLCategories`).
    pub fn acl_categories(&self) -> u32 {
        use flags::*;
        let mut acl = self.acl;
        if self.has(WRITE) {
            acl |= AclCategory::Write.bit();
        }
        if self.has(READONLY) && acl & AclCategory::Scripting.bit() == 0 {
            acl |= AclCategory::Read.bit();
        }
        if self.has(ADMIN) {
            acl |= AclCategory::Admin.bit() | AclCategory::Dangerous.bit();
        }
        if self.has(PUBSUB) {
            acl |= AclCategory::PubSub.bit();
        }
        if self.has(FAST) {
            acl |= AclCategory::Fast.bit();
        }
        if self.has(BLOCKING) {
            acl |= AclCategory::Blocking.bit();
        }
        if acl & AclCategory::Fast.bit() == 0 {
            acl |= AclCategory::Slow.bit();
        }
        acl
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_indexes_follow_first_last_step() {
        let all: Vec<_> = KeySpec::ALL.key_indexes(4).collect();
        assert_eq!(all, vec![1, 2, 3]);
        let pairs: Vec<_> = KeySpec::PAIRS.key_indexes(5).collect();
        assert_eq!(pairs, vec![1, 3]);
        assert_eq!(KeySpec::NONE.key_indexes(3).count(), 0);
        let skip_last = KeySpec { first: 1, last: -2, step: 1 };
        assert_eq!(skip_last.key_indexes(4).collect::<Vec<_>>(), vec![1, 2]);
    }
}
