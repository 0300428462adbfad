//! One file per value type: the type bytes it owns, how a value is
//! written, and how every encoding Redis has used for it is read back.
//!
//! Adding a type is one file here, one arm in [`save_value`]
//! and one row in [`CODECS`].

pub mod hash;
pub mod list;
pub mod set;
pub mod stream;
pub mod string;
pub mod zset;

use std::borrow::Cow;

use super::encoding::{put_string, Source};
use super::{kind, RdbError, RdbResult};
use crate::config::EncodingLimits;
use crate::types::Value;

/// What writing needs to know.
#[derive(Clone, Copy, Debug)]
pub struct SaveCtx {
    /// `rdbcompression`: LZF-compress long strings.
    pub compress: bool,
    /// `list-max-listpack-size`, to cut a list into quicklist nodes.
    pub list_fill: i64,
}

/// What reading needs to know: the limits that pick each value's encoding.
#[derive(Clone, Copy, Debug)]
pub struct LoadCtx<'a> {
    pub limits: &'a EncodingLimits,
}

/// How one type reads its type bytes. `load` returns `None` for an empty
/// collection, which Redis skips rather than create an empty key.
pub struct Codec {
    pub name: &'static str,
    pub kinds: &'static [u8],
    pub load: fn(u8, &mut Source, &LoadCtx) -> RdbResult<Option<Value>>,
}

pub const CODECS: &[Codec] = &[string::CODEC, list::CODEC, set::CODEC, zset::CODEC, hash::CODEC, stream::CODEC];

/// A value of a type that has no codec here yet: saving it fails loudly
/// (SAVE errors, BGSAVE reports `err`) rather than leave it out of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsupported(pub &'static str);

/// Writes `[type][key][value]` (or `[type][value]` without a key, as DUMP).
pub fn save_value(out: &mut Vec<u8>, key: Option<&[u8]>, value: &Value, ctx: &SaveCtx) -> Result<(), Unsupported> {
    let at = out.len();
    out.push(0);
    if let Some(k) = key {
        put_string(out, k, ctx.compress);
    }
    // Every type the keyspace holds gets an arm here; a type added to
    // `Value` before its codec is written falls to the last arm.
    #[allow(unreachable_patterns)]
    let kind = match value {
        Value::Str(s) => string::save(out, s, ctx),
        Value::List(l) => list::save(out, l, ctx),
        Value::Set(s) => set::save(out, s, ctx),
        Value::ZSet(z) => zset::save(out, z, ctx),
        Value::Hash(h) => hash::save(out, h, ctx),
        Value::Stream(s) => stream::save(out, s, ctx),
        other => {
            out.truncate(at);
            return Err(Unsupported(other.type_name()));
        }
    };
    out[at] = kind;
    Ok(())
}

/// Reads a value of type byte `kind` (already consumed).
pub fn load_value(kind: u8, src: &mut Source, ctx: &LoadCtx) -> RdbResult<Option<Value>> {
    if let Some(codec) = CODECS.iter().find(|c| c.kinds.contains(&kind)) {
        return (codec.load)(kind, src, ctx);
    }
    let what = match kind {
        kind::MODULE_PRE_GA | kind::MODULE_2 => "module values are not supported (no module is loaded)",
        kind::HASH_METADATA_PRE_GA | kind::HASH_LISTPACK_EX_PRE_GA | kind::HASH_METADATA | kind::HASH_LISTPACK_EX => {
            "hashes with field expiry (Redis 7.4) are not supported"
        }
        _ => return Err(RdbError::at(src.pos.saturating_sub(1), format!("unknown value type {kind}"))),
    };
    Err(RdbError::at(src.pos.saturating_sub(1), what))
}

/// Which type a type byte belongs to ("string", "list" …), if any.
pub fn type_name(kind: u8) -> Option<&'static str> {
    CODECS.iter().find(|c| c.kinds.contains(&kind)).map(|c| c.name)
}

/// A string holding an embedded container, with its offset for errors.
pub(crate) fn container<'a>(src: &mut Source<'a>) -> RdbResult<(usize, Cow<'a, [u8]>)> {
    let at = src.pos;
    Ok((at, src.string()?))
}

/// A container's own error, placed at the string that held it.
pub(crate) fn bad(at: usize, what: &str, reason: String) -> RdbError {
    RdbError::at(at, format!("corrupt {what}: {reason}"))
}
