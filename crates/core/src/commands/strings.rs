//! String commands. PLACEHOLDER: GET and plain SET only, until the family lands.

use crate::command::errors::{self, CmdResult};
use crate::command::spec::flags::*;
use crate::command::spec::{AclCategory, CommandSpec, Exec, Group, KeySpec};
use crate::engine::Ctx;
use crate::types::{StrValue, Value};

const STRING: CommandSpec =
    CommandSpec { group: Group::String, acl: AclCategory::String.bit(), keys: KeySpec::FIRST, ..CommandSpec::BASE };

pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "get",
        arity: 2,
        flags: READONLY | FAST,
        summary: "Returns the string value of a key.",
        exec: Exec::Core(get),
        ..STRING
    },
    CommandSpec {
        name: "set",
        arity: -3,
        flags: WRITE | DENYOOM,
        summary: "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.",
        exec: Exec::Core(set),
        ..STRING
    },
];

/// GET key
fn get(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let now = ctx.now;
    match ctx.server.dbs[ctx.client.db].get(argv[1], now) {
        None => ctx.out.null(),
        Some(Value::Str(s)) => s.with_bytes(|b| ctx.out.bulk(b)),
        #[allow(unreachable_patterns)]
        Some(_) => return Err(errors::WRONGTYPE),
    }
    Ok(())
}

/// SET key value
fn set(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    ctx.db().set(argv[1], Value::Str(StrValue::from_bytes(argv[2])));
    ctx.dirty(1);
    ctx.out.ok();
    Ok(())
}
