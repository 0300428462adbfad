//! DEBUG: the subcommands test suites and client libraries lean on.

use std::time::Duration;

use crate::command::args::is;
use crate::command::errors::{self, CmdError, CmdResult};
use crate::engine::Ctx;
use crate::resp::parser::parse_i64;
use crate::resp::writer::Protocol;
use crate::types::{StrValue, Value};
use crate::util::float::parse_double;

use super::reply_help;

const HELP: &[&str] = &[
    "ERROR <string>",
    "    Return a Redis protocol error with <string> as message. Useful for clients",
    "    unit tests to simulate Redis errors.",
    "LOG <message>",
    "    Write <message> to the server log.",
    "OBJECT <key>",
    "    Show low level info about `key` and associated value.",
    "POPULATE <count> [<prefix>] [<size>]",
    "    Create <count> string keys named key:<num>. If <prefix> is specified then",
    "    it is used instead of the 'key' prefix. These are not propagated to",
    "    replicas. Cluster slots are not respected so keys not belonging to the",
    "    current node can be created in cluster mode.",
    "PROTOCOL <type>",
    "    Reply with a test value of the specified type. <type> can be: string,",
    "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
    "    true, false.",
    "RELOAD [option ...]",
    "    Save the RDB on disk and reload it back to memory. Available <option> values:",
    "    * MERGE: conflicting keys will be loaded from RDB.",
    "    * NOFLUSH: the existing database will not be removed before load, but",
    "      conflicting keys will generate an exception and kill the server.",
    "    * NOSAVE: the database will be loaded from an existing RDB file.",
    "    Examples:",
    "    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
    "      the database.",
    "    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
    "      existing RDB file.",
    "    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
    "      file to the database.",
    "SET-ACTIVE-EXPIRE <0|1>",
    "    Setting it to 0 disables expiring keys in background when they are not",
    "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
    "    default.",
    "SLEEP <seconds>",
    "    Stop the server for <seconds>. Decimals allowed.",
];

const DEBUG_NOT_ALLOWED: CmdError = CmdError::Static(
    "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.",
);

/// Redis's `islocalClient`: a unix socket ("/path:0"), or a peer at
/// 127.0.0.1 or ::1. `addr` is "ip:port".
fn is_local_client(addr: &str) -> bool {
    let ip = addr.rsplit_once(':').map_or(addr, |(ip, _)| ip);
    let ip = ip.trim_start_matches('[').trim_end_matches(']');
    ip.starts_with('/') || matches!(ip, "127.0.0.1" | "::1" | "::ffff:127.0.0.1")
}

/// DEBUG subcommand [argument ...]
///
/// Refused unless `enable-debug-command` allows it, as Redis 7 does (it
/// checks right after arity, before looking at the subcommand).
pub(super) fn debug(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if !ctx.server.config.enable_debug_command.allows(is_local_client(&ctx.client.info.addr)) {
        return Err(DEBUG_NOT_ALLOWED);
    }
    let sub = argv[1];
    match argv.len() {
        2 if is(sub, "help") => reply_help(ctx.out, argv[0], HELP),
        3 if is(sub, "sleep") => sleep(ctx, argv[2]),
        3 if is(sub, "set-active-expire") => {
            ctx.server.config.active_expire_enabled = atoi(argv[2]) != 0;
            ctx.out.ok();
        }
        3..=5 if is(sub, "populate") => populate(ctx, argv)?,
        3 if is(sub, "object") => object(ctx, argv[2])?,
        3 if is(sub, "error") => {
            // The argument is the whole error line, code included.
            return Err(CmdError::Owned(String::from_utf8_lossy(argv[2]).into_owned()));
        }
        // The host owns the log; the core has nowhere to write it.
        3 if is(sub, "log") => ctx.out.ok(),
        3 if is(sub, "protocol") => protocol(ctx, argv[2])?,
        _ if is(sub, "reload") => reload(ctx, &argv[2..])?,
        _ => {
            let shown = String::from_utf8_lossy(&sub[..sub.len().min(128)]).into_owned();
            return Err(CmdError::Owned(format!(
                "ERR unknown subcommand or wrong number of arguments for '{shown}'. Try {} HELP.",
                String::from_utf8_lossy(argv[0]).to_ascii_uppercase()
            )));
        }
    }
    Ok(())
}

/// DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]
///
/// Saves, then loads the file back. Unlike Redis, which empties the
/// databases before reading, the file is read and checked first, so a
/// failed load leaves the data as it was.
fn reload(ctx: &mut Ctx, options: &[&[u8]]) -> CmdResult {
    let (mut merge, mut flush, mut save) = (false, true, true);
    for opt in options {
        if is(opt, "merge") {
            merge = true;
        } else if is(opt, "noflush") {
            flush = false;
        } else if is(opt, "nosave") {
            save = false;
        } else {
            return Err(CmdError::Static("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options."));
        }
    }
    let now = ctx.now;
    if save && crate::persistence::save::save_now(ctx.server, now).is_err() {
        return Err(CmdError::Static("ERR"));
    }
    if let Err(e) = crate::persistence::load::load_now(ctx.server, now, flush, merge) {
        ctx.server.persistence.log.push((crate::persistence::LogLevel::Warning, e));
        return Err(CmdError::Static("ERR Error trying to load the RDB dump, check server logs."));
    }
    ctx.server.persistence.log.push((crate::persistence::LogLevel::Notice, "DB reloaded by DEBUG RELOAD".into()));
    ctx.out.ok();
    Ok(())
}

/// DEBUG SLEEP seconds: blocks the whole engine, as it blocks Redis.
fn sleep(ctx: &mut Ctx, arg: &[u8]) {
    // Redis reads it with strtod: a bad number is zero seconds.
    let secs = strtod(arg);
    if let Ok(d) = Duration::try_from_secs_f64(secs) {
        std::thread::sleep(d);
    }
    ctx.out.ok();
}

/// DEBUG POPULATE count [prefix] [size]
fn populate(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let positive = |a: &[u8]| parse_i64(a).filter(|&n| n >= 0).ok_or(errors::MUST_BE_POSITIVE);
    let count = positive(argv[2])?;
    let size = if argv.len() == 5 { positive(argv[4])? as usize } else { 0 };
    let prefix: &[u8] = if argv.len() >= 4 { argv[3] } else { b"key" };
    let now = ctx.now;
    let db = ctx.db();
    let mut key = Vec::with_capacity(prefix.len() + 21);
    for j in 0..count {
        key.clear();
        key.extend_from_slice(prefix);
        key.push(b':');
        key.extend_from_slice(j.to_string().as_bytes());
        // Redis formats the name into a 128-byte buffer: longer names are cut.
        key.truncate(127);
        if db.exists(&key, now) {
            continue;
        }
        let mut value = format!("value:{j}").into_bytes();
        if size > 0 {
            // Cut or zero-padded to exactly `size` bytes.
            value.resize(size, 0);
        }
        db.set(&key, Value::Str(StrValue::from_bytes(&value)));
    }
    ctx.out.ok();
    Ok(())
}

/// DEBUG OBJECT key
fn object(ctx: &mut Ctx, key: &[u8]) -> CmdResult {
    let now = ctx.now;
    let Some(value) = ctx.db().get(key, now) else {
        return Err(errors::NO_SUCH_KEY);
    };
    let addr = value as *const Value as usize;
    let mut line = format!(
        "Value at:{addr:#x} refcount:1 encoding:{} serializedlength:{} lru:{} lru_seconds_idle:0",
        value.encoding(),
        serialized_len(value),
        (now / 1000) & ((1 << 24) - 1),
    );
    if let Value::List(list) = value {
        if list.encoding() == "quicklist" {
            let (nodes, bytes) = list.node_stats();
            let (fill, depth) = list.quicklist_settings();
            let avg = if nodes == 0 { 0.0 } else { list.len() as f64 / nodes as f64 };
            line.push_str(&format!(
                " ql_nodes:{nodes} ql_avg_node:{avg:.2} ql_listpack_max:{fill} ql_compressed:{} ql_uncompressed_size:{bytes}",
                (depth != 0) as u8
            ));
        }
    }
    ctx.out.simple(&line);
    Ok(())
}

/// The bytes the value would take in an RDB file (before compression).
fn serialized_len(value: &Value) -> usize {
    match value {
        // Integers are stored in 1, 2 or 4 bytes after a type byte when they fit.
        Value::Str(StrValue::Int(n)) if i8::try_from(*n).is_ok() => 2,
        Value::Str(StrValue::Int(n)) if i16::try_from(*n).is_ok() => 3,
        Value::Str(StrValue::Int(n)) if i32::try_from(*n).is_ok() => 5,
        Value::Str(s) => {
            let len = s.len();
            let prefix = match len {
                0..=63 => 1,
                64..=16_383 => 2,
                _ if len as u64 <= u32::MAX as u64 => 5,
                _ => 9,
            };
            prefix + len
        }
        other => other.heap_size() + 1,
    }
}

/// DEBUG PROTOCOL type
fn protocol(ctx: &mut Ctx, kind: &[u8]) -> CmdResult {
    let resp3 = ctx.client.proto == Protocol::Resp3;
    let out = &mut *ctx.out;
    if is(kind, "string") {
        out.bulk_str("Hello World");
    } else if is(kind, "integer") {
        out.int(12345);
    } else if is(kind, "double") {
        // Redis's fixed sample value, not π.
        #[allow(clippy::approx_constant)]
        out.double(3.141);
    } else if is(kind, "bignum") {
        const BIG: &str = "1234567999999999999999999999999999999";
        if resp3 {
            // The writer has no big-number form yet.
            out.raw(format!("({BIG}\r\n").as_bytes());
        } else {
            out.bulk_str(BIG);
        }
    } else if is(kind, "null") {
        out.null();
    } else if is(kind, "array") {
        out.array_len(3);
        (0..3).for_each(|j| out.int(j));
    } else if is(kind, "set") {
        out.set_len(3);
        (0..3).for_each(|j| out.int(j));
    } else if is(kind, "map") {
        out.map_len(3);
        for j in 0..3 {
            out.int(j);
            out.bool(j == 1);
        }
    } else if is(kind, "attrib") {
        if resp3 {
            // The writer has no attribute form yet.
            out.raw(b"|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n");
        }
        out.bulk_str("Some real reply following the attribute");
    } else if is(kind, "push") {
        if !resp3 {
            return Err(CmdError::Static("ERR RESP2 is not supported by this command"));
        }
        out.push_len(2);
        out.bulk_str("server-cpu-usage");
        out.int(42);
        out.bulk_str("Some real reply following the push reply");
    } else if is(kind, "true") {
        out.bool(true);
    } else if is(kind, "false") {
        out.bool(false);
    } else if is(kind, "verbatim") {
        out.verbatim(b"This is a verbatim\nstring");
    } else {
        return Err(CmdError::Static(
            "ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false",
        ));
    }
    Ok(())
}

/// C's `atoi`: optional sign and leading digits, anything else is 0.
fn atoi(arg: &[u8]) -> i64 {
    let s = arg.trim_ascii_start();
    let (neg, digits) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let n = digits
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .fold(0i64, |n, &c| n.wrapping_mul(10).wrapping_add((c - b'0') as i64));
    if neg {
        -n
    } else {
        n
    }
}

/// C's `strtod`: the longest leading number, or 0.
fn strtod(arg: &[u8]) -> f64 {
    let s = arg.trim_ascii_start();
    let end = s.iter().take(64).take_while(|c| c.is_ascii_digit() || b"+-.eE".contains(c)).count();
    (1..=end).rev().find_map(|n| parse_double(&s[..n])).unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_number_prefixes() {
        assert_eq!(atoi(b"1"), 1);
        assert_eq!(atoi(b"x"), 0);
        assert_eq!(atoi(b" -12abc"), -12);
        assert_eq!(strtod(b"0.25s"), 0.25);
        assert_eq!(strtod(b"abc"), 0.0);
        assert_eq!(strtod(b"1e-3"), 0.001);
    }
}
