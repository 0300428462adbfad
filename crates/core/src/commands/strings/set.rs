//! SET and its variants (SETNX SETEX PSETEX, one generic function as in
//! Redis), and the commands that read a value and change it: GETEX GETDEL
//! GETSET.

use super::reply_value;
use crate::command::args::{self, is};
use crate::command::errors::{self, CmdError, CmdResult};
use crate::engine::Ctx;
use crate::notify::class;
use crate::types::{StrValue, Value};

/// How an expiry argument is read: seconds or milliseconds, relative to
/// now (EX PX) or absolute unix time (EXAT PXAT).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum TimeKind {
    Ex,
    Px,
    ExAt,
    PxAt,
}

impl TimeKind {
    fn in_seconds(self) -> bool {
        matches!(self, TimeKind::Ex | TimeKind::ExAt)
    }

    fn relative(self) -> bool {
        matches!(self, TimeKind::Ex | TimeKind::Px)
    }
}

/// The options SET and GETEX accept (`parseExtendedStringArgumentsOrReply`).
#[derive(Default)]
struct Options<'a> {
    nx: bool,
    xx: bool,
    get: bool,
    keep_ttl: bool,
    persist: bool,
    expire: Option<(TimeKind, &'a [u8])>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Parsing {
    Set,
    GetEx,
}

impl<'a> Options<'a> {
    /// Redis's rules: NX/XX exclude each other, KEEPTTL and PERSIST exclude
    /// every time option, and two different time options conflict; repeating
    /// one (`EX 1 EX 2`, `NX NX`) is allowed and the last value wins. Any
    /// conflict, unknown word or missing value is a plain syntax error.
    fn parse(opts: &[&'a [u8]], parsing: Parsing) -> Result<Self, CmdError> {
        let set = parsing == Parsing::Set;
        let mut o = Options::default();
        let mut i = 0;
        while i < opts.len() {
            let opt = opts[i];
            let next = opts.get(i + 1).copied();
            let time = [("ex", TimeKind::Ex), ("px", TimeKind::Px), ("exat", TimeKind::ExAt), ("pxat", TimeKind::PxAt)]
                .into_iter()
                .find(|(name, _)| is(opt, name))
                .map(|(_, kind)| kind);
            if set && is(opt, "nx") && !o.xx {
                o.nx = true;
            } else if set && is(opt, "xx") && !o.nx {
                o.xx = true;
            } else if set && is(opt, "get") {
                o.get = true;
            } else if set && is(opt, "keepttl") && o.expire.is_none() {
                o.keep_ttl = true;
            } else if !set && is(opt, "persist") && o.expire.is_none() {
                o.persist = true;
            } else if let (Some(kind), Some(value)) = (time, next) {
                let clash = o.keep_ttl || o.persist || o.expire.is_some_and(|(k, _)| k != kind);
                if clash {
                    return Err(errors::SYNTAX);
                }
                o.expire = Some((kind, value));
                i += 1;
            } else {
                return Err(errors::SYNTAX);
            }
            i += 1;
        }
        Ok(o)
    }
}

/// Redis's `getExpireMillisecondsOrReply`: the absolute unix-ms deadline an
/// expiry argument names. Zero, negative and overflowing values are
/// "invalid expire time" naming the command (set, setex, psetex, getex).
fn deadline(ctx: &Ctx, kind: TimeKind, raw: &[u8]) -> Result<i64, CmdError> {
    let invalid = || errors::invalid_expire(ctx.spec.name);
    let n = args::int(raw)?;
    if n <= 0 {
        return Err(invalid());
    }
    let ms = if kind.in_seconds() { n.checked_mul(1000).ok_or_else(invalid)? } else { n };
    if kind.relative() {
        ms.checked_add(ctx.now).filter(|&at| at > 0).ok_or_else(invalid)
    } else {
        Ok(ms)
    }
}

/// What a successful or refused write answers: SET's +OK / null, or SETNX's 1 / 0.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Answer {
    OkOrNull,
    OneOrZero,
}

/// Redis's `setGenericCommand`, shared by SET SETNX SETEX PSETEX.
fn set_generic(ctx: &mut Ctx, key: &[u8], value: &[u8], o: &Options, answer: Answer) -> CmdResult {
    let value_arg = value;
    // The deadline is checked before anything is read or written.
    let at = match o.expire {
        Some((kind, raw)) => Some(deadline(ctx, kind, raw)?),
        None => None,
    };
    // With GET the old value is the reply whatever happens next; a key of
    // another type fails the whole command.
    if o.get {
        reply_value(ctx, key)?;
    }
    // Only NX and XX need to know whether the key exists; a plain SET writes
    // in one probe.
    if o.nx || o.xx {
        let found = ctx.write(key).is_some();
        if o.nx == found {
            if !o.get {
                match answer {
                    Answer::OkOrNull => ctx.out.null(),
                    Answer::OneOrZero => ctx.out.int(0),
                }
            }
            return Ok(());
        }
    }
    let value = Value::Str(StrValue::from_bytes(value));
    if o.keep_ttl {
        if !(o.nx || o.xx) {
            ctx.write(key);
        }
        ctx.db().set_keep_ttl(key, value);
    } else {
        let (now, touch) = (ctx.now, !ctx.client.no_touch);
        ctx.db().set_unlooked(key, value, now, touch);
    }
    let db = ctx.db();
    // A deadline already past is stored as given, as Redis does: the key
    // then expires on its next access (or the next active expiry cycle).
    if let Some(at) = at {
        db.set_expire(key, at);
    }
    ctx.dirty(1);
    ctx.changed(class::STRING, "set", key);
    if let Some(at) = at {
        ctx.changed(class::GENERIC, "expire", key);
        // Any relative or second-based deadline is logged as PXAT.
        let at = at.to_string();
        ctx.propagate_as(&[b"SET", key, value_arg, b"PXAT", at.as_bytes()]);
    }
    if !o.get {
        match answer {
            Answer::OkOrNull => ctx.out.ok(),
            Answer::OneOrZero => ctx.out.int(1),
        }
    }
    Ok(())
}

/// SET key value [NX | XX] [GET] [EX seconds | PX milliseconds |
///   EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]
pub(super) fn set(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let o = Options::parse(&argv[3..], Parsing::Set)?;
    set_generic(ctx, argv[1], argv[2], &o, Answer::OkOrNull)
}

/// SETNX key value
pub(super) fn setnx(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let o = Options { nx: true, ..Options::default() };
    set_generic(ctx, argv[1], argv[2], &o, Answer::OneOrZero)
}

/// SETEX key seconds value
/// PSETEX key milliseconds value
pub(super) fn setex(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let kind = if ctx.spec.name == "psetex" { TimeKind::Px } else { TimeKind::Ex };
    let o = Options { expire: Some((kind, argv[2])), ..Options::default() };
    set_generic(ctx, argv[1], argv[3], &o, Answer::OkOrNull)
}

/// GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds |
///   PXAT unix-time-milliseconds | PERSIST]
pub(super) fn getex(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let key = argv[1];
    let o = Options::parse(&argv[2..], Parsing::GetEx)?;
    // Unlike SET, a bad deadline only matters once the key is known to hold
    // a string: on a missing key it still answers null.
    let at = o.expire.map(|(kind, raw)| deadline(ctx, kind, raw)).transpose();
    let looked_up = super::read_str(ctx, key, |s, out| match s {
        None => {
            out.null();
            Ok::<_, CmdError>(None)
        }
        Some(s) => {
            let at = at?;
            s.with_bytes(|b| out.bulk(b));
            Ok(Some(at))
        }
    })??;
    let Some(at) = looked_up else {
        return Ok(());
    };
    let now = ctx.now;
    let db = ctx.db();
    let event = match at {
        // Only EXAT/PXAT can name a moment already past (EX/PX add to now):
        // the key is deleted at once.
        Some(at) if at <= now => db.remove(key).map(|_| "del"),
        Some(at) => {
            db.set_expire(key, at);
            Some("expire")
        }
        None => (o.persist && db.persist(key)).then_some("persist"),
    };
    if let Some(event) = event {
        ctx.dirty(1);
        ctx.changed(class::GENERIC, event, key);
        match (event, at) {
            ("del", _) => ctx.propagate_as(&[b"DEL", key]),
            (_, Some(at)) => {
                let at = at.to_string();
                ctx.propagate_as(&[b"PEXPIREAT", key, at.as_bytes()]);
            }
            _ => ctx.propagate_as(&[b"PERSIST", key]),
        }
    }
    Ok(())
}

/// GETDEL key
pub(super) fn getdel(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if reply_value(ctx, argv[1])? {
        ctx.db().remove(argv[1]);
        ctx.dirty(1);
        ctx.changed(class::GENERIC, "del", argv[1]);
    }
    Ok(())
}

/// GETSET key value
pub(super) fn getset(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    reply_value(ctx, argv[1])?;
    // A plain set: any deadline the key had is dropped.
    ctx.db().set(argv[1], Value::Str(StrValue::from_bytes(argv[2])));
    ctx.dirty(1);
    ctx.changed(class::STRING, "set", argv[1]);
    Ok(())
}
