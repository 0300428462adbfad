//! EXPIRE PEXPIRE EXPIREAT PEXPIREAT, TTL PTTL EXPIRETIME PEXPIRETIME, PERSIST.

use super::{read_untouched, write};
use crate::command::args::{self, is};
use crate::command::errors::{self, CmdError, CmdResult};
use crate::engine::Ctx;
use crate::notify::class;

const NX_INCOMPATIBLE: CmdError =
    CmdError::Static("ERR NX and XX, GT or LT options at the same time are not compatible");
const GT_LT_INCOMPATIBLE: CmdError = CmdError::Static("ERR GT and LT options at the same time are not compatible");

/// EXPIRE key seconds [NX | XX | GT | LT]
pub(super) fn expire(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let now = ctx.now;
    set_deadline(ctx, argv, now, 1000)
}

/// PEXPIRE key milliseconds [NX | XX | GT | LT]
pub(super) fn pexpire(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let now = ctx.now;
    set_deadline(ctx, argv, now, 1)
}

/// EXPIREAT key unix-time-seconds [NX | XX | GT | LT]
pub(super) fn expireat(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    set_deadline(ctx, argv, 0, 1000)
}

/// PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]
pub(super) fn pexpireat(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    set_deadline(ctx, argv, 0, 1)
}

/// Which existing deadline a new one may replace.
#[derive(Default)]
struct Conditions {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
}

impl Conditions {
    fn parse(opts: &[&[u8]]) -> Result<Self, CmdError> {
        let mut c = Conditions::default();
        for opt in opts {
            let flag = match () {
                _ if is(opt, "nx") => &mut c.nx,
                _ if is(opt, "xx") => &mut c.xx,
                _ if is(opt, "gt") => &mut c.gt,
                _ if is(opt, "lt") => &mut c.lt,
                _ => return Err(CmdError::Owned(format!("ERR Unsupported option {}", String::from_utf8_lossy(opt)))),
            };
            *flag = true;
        }
        if c.nx && (c.xx || c.gt || c.lt) {
            return Err(NX_INCOMPATIBLE);
        }
        if c.gt && c.lt {
            return Err(GT_LT_INCOMPATIBLE);
        }
        Ok(c)
    }

    /// Whether `when` may replace `current`; a key without a deadline counts
    /// as expiring never, so GT never beats it and LT always does.
    fn allow(&self, current: Option<i64>, when: i64) -> bool {
        match current {
            None => !(self.xx || self.gt),
            Some(at) => !(self.nx || (self.gt && when <= at) || (self.lt && when >= at)),
        }
    }
}

/// The four EXPIRE commands: `amount` times `unit_ms` after `base` (now, or
/// 0 for the absolute forms). A deadline already passed deletes the key.
fn set_deadline(ctx: &mut Ctx, argv: &[&[u8]], base: i64, unit_ms: i64) -> CmdResult {
    let conditions = Conditions::parse(&argv[3..])?;
    let amount = args::int(argv[2])?;
    let when = amount
        .checked_mul(unit_ms)
        .and_then(|ms| ms.checked_add(base))
        .ok_or_else(|| errors::invalid_expire(ctx.spec.name))?;
    let key = argv[1];
    if write(ctx, key).is_none() {
        ctx.out.int(0);
        return Ok(());
    }
    let now = ctx.now;
    let db = ctx.db();
    if !conditions.allow(db.expire_at(key), when) {
        ctx.out.int(0);
        return Ok(());
    }
    let event = if when <= now {
        db.remove(key);
        "del"
    } else {
        db.set_expire(key, when);
        "expire"
    };
    ctx.dirty(1);
    ctx.changed(class::GENERIC, event, key);
    ctx.out.int(1);
    // Logged as the absolute deadline, or as the DEL a past one amounted to.
    if when <= now {
        ctx.propagate_as(&[b"DEL", key]);
    } else if !ctx.spec.name.eq_ignore_ascii_case("pexpireat") {
        let at = when.to_string();
        let mut logged: Vec<&[u8]> = argv.to_vec();
        logged[0] = b"PEXPIREAT";
        logged[2] = at.as_bytes();
        ctx.propagate_as(&logged);
    }
    Ok(())
}

/// TTL key
pub(super) fn ttl(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    report_deadline(ctx, argv[1], false, false)
}

/// PTTL key
pub(super) fn pttl(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    report_deadline(ctx, argv[1], true, false)
}

/// EXPIRETIME key
pub(super) fn expiretime(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    report_deadline(ctx, argv[1], false, true)
}

/// PEXPIRETIME key
pub(super) fn pexpiretime(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    report_deadline(ctx, argv[1], true, true)
}

/// The TTL family: -2 for a missing key, -1 for one without a deadline,
/// else the time left (or the deadline itself), seconds rounded to nearest.
fn report_deadline(ctx: &mut Ctx, key: &[u8], millis: bool, absolute: bool) -> CmdResult {
    if read_untouched(ctx, key).is_none() {
        ctx.out.int(-2);
        return Ok(());
    }
    let now = ctx.now;
    let reply = match ctx.db().expire_at(key) {
        None => -1,
        Some(at) => {
            let ms = if absolute { at } else { at - now }.max(0);
            // u64 so a deadline near i64::MAX rounds without overflowing.
            if millis {
                ms
            } else {
                ((ms as u64 + 500) / 1000) as i64
            }
        }
    };
    ctx.out.int(reply);
    Ok(())
}

/// PERSIST key
pub(super) fn persist(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let key = argv[1];
    let removed = write(ctx, key).is_some() && ctx.db().persist(key);
    if removed {
        ctx.dirty(1);
        ctx.changed(class::GENERIC, "persist", key);
    }
    ctx.out.int(removed as i64);
    Ok(())
}
