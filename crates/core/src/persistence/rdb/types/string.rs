//! Strings: type 0, the bytes in any string form (integer, LZF, plain).

use super::{Codec, LoadCtx, SaveCtx};
use crate::persistence::rdb::encoding::{put_int_string, put_string, Source};
use crate::persistence::rdb::{kind, RdbResult};
use crate::types::{StrValue, Value};

pub const CODEC: Codec = Codec { name: "string", kinds: &[kind::STRING], load };

pub fn save(out: &mut Vec<u8>, s: &StrValue, ctx: &SaveCtx) -> u8 {
    match s {
        StrValue::Int(n) => put_int_string(out, *n),
        other => other.with_bytes(|b| put_string(out, b, ctx.compress)),
    }
    kind::STRING
}

fn load(_kind: u8, src: &mut Source, _ctx: &LoadCtx) -> RdbResult<Option<Value>> {
    let bytes = src.string()?;
    // As Redis's loader, a decimal integer becomes the `int` encoding.
    Ok(Some(Value::Str(StrValue::from_bytes(&bytes))))
}
