//! Redis's RDB format, both ways.
//!
//! - [`encoding`]: the primitives every part shares: lengths, strings (with
//!   their integer and LZF forms) and doubles.
//! - [`listpack`], [`ziplist`], [`intset`]: the compact containers Redis
//!   embeds in a file as strings, validated entry by entry when read.
//! - [`types`]: one file per value type (its type bytes, how it is written
//!   and how every encoding Redis ever wrote for it is read back). A new
//!   type plugs in there and nowhere else.
//! - [`writer`]: a whole file (header, aux fields, databases, checksum).
//! - [`reader`]: a whole file back into databases, refusing anything corrupt
//!   before the server sees a single key.
//!
//! Files are written as version 10, the newest that Redis 7.0 reads, with
//! encodings that 7.0, 7.2 and Valkey 8 all load; versions 9 to 12 are read.

pub mod encoding;
pub mod intset;
pub mod listpack;
pub mod reader;
pub mod types;
pub mod writer;
pub mod ziplist;

use std::fmt;

/// The version ferrokv writes (files and DUMP payloads).
pub const WRITE_VERSION: u16 = 10;
/// The newest version read (Redis 7.4's; its new hash types are refused by type).
pub const MAX_READ_VERSION: u16 = 12;
/// The oldest version read.
pub const MIN_READ_VERSION: u16 = 1;

/// Opcodes that may stand where a value's type byte would.
pub mod opcode {
    pub const SLOT_INFO: u8 = 244;
    pub const FUNCTION2: u8 = 245;
    pub const FUNCTION_PRE_GA: u8 = 246;
    pub const MODULE_AUX: u8 = 247;
    pub const IDLE: u8 = 248;
    pub const FREQ: u8 = 249;
    pub const AUX: u8 = 250;
    pub const RESIZEDB: u8 = 251;
    pub const EXPIRETIME_MS: u8 = 252;
    pub const EXPIRETIME: u8 = 253;
    pub const SELECTDB: u8 = 254;
    pub const EOF: u8 = 255;
}

/// Value type bytes (Redis's `RDB_TYPE_*`).
pub mod kind {
    pub const STRING: u8 = 0;
    pub const LIST: u8 = 1;
    pub const SET: u8 = 2;
    pub const ZSET: u8 = 3;
    pub const HASH: u8 = 4;
    pub const ZSET_2: u8 = 5;
    pub const MODULE_PRE_GA: u8 = 6;
    pub const MODULE_2: u8 = 7;
    pub const HASH_ZIPMAP: u8 = 9;
    pub const LIST_ZIPLIST: u8 = 10;
    pub const SET_INTSET: u8 = 11;
    pub const ZSET_ZIPLIST: u8 = 12;
    pub const HASH_ZIPLIST: u8 = 13;
    pub const LIST_QUICKLIST: u8 = 14;
    pub const STREAM_LISTPACKS: u8 = 15;
    pub const HASH_LISTPACK: u8 = 16;
    pub const ZSET_LISTPACK: u8 = 17;
    pub const LIST_QUICKLIST_2: u8 = 18;
    pub const STREAM_LISTPACKS_2: u8 = 19;
    pub const SET_LISTPACK: u8 = 20;
    pub const STREAM_LISTPACKS_3: u8 = 21;
    pub const HASH_METADATA_PRE_GA: u8 = 22;
    pub const HASH_LISTPACK_EX_PRE_GA: u8 = 23;
    pub const HASH_METADATA: u8 = 24;
    pub const HASH_LISTPACK_EX: u8 = 25;
}

/// What is wrong with a file or payload, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RdbError {
    /// Byte offset in the file (or payload) where reading failed.
    pub offset: u64,
    pub reason: String,
}

impl RdbError {
    pub fn at(offset: usize, reason: impl Into<String>) -> Self {
        RdbError { offset: offset as u64, reason: reason.into() }
    }
}

impl fmt::Display for RdbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at offset {})", self.reason, self.offset)
    }
}

impl std::error::Error for RdbError {}

pub type RdbResult<T> = Result<T, RdbError>;
