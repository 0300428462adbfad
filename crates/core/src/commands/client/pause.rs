//! CLIENT PAUSE and CLIENT UNPAUSE (the machinery is in [`crate::pause`]).

use crate::command::args::is;
use crate::command::errors::{CmdError, CmdResult};
use crate::engine::Ctx;
use crate::pause::{self, PauseMode};
use crate::resp::parser::parse_i64;

/// CLIENT PAUSE timeout [WRITE | ALL]
pub(super) fn pause(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if argv.len() > 4 {
        let sub = String::from_utf8_lossy(&argv[1][..argv[1].len().min(128)]).into_owned();
        let cmd = String::from_utf8_lossy(argv[0]).to_ascii_uppercase();
        return Err(CmdError::Owned(format!(
            "ERR unknown subcommand or wrong number of arguments for '{sub}'. Try {cmd} HELP."
        )));
    }
    // Redis looks at the mode before the timeout.
    let mode = match argv.get(3) {
        None => PauseMode::All,
        Some(m) if is(m, "write") => PauseMode::Write,
        Some(m) if is(m, "all") => PauseMode::All,
        Some(_) => return Err(CmdError::Static("ERR CLIENT PAUSE mode must be WRITE or ALL")),
    };
    let ms = parse_i64(argv[2]).ok_or(CmdError::Static("ERR timeout is not an integer or out of range"))?;
    if ms < 0 {
        return Err(CmdError::Static("ERR timeout is negative"));
    }
    // A zero timeout is "no deadline in the future": the pause is over at once.
    let end =
        if ms == 0 { 0 } else { ctx.now.checked_add(ms).ok_or(CmdError::Static("ERR timeout is out of range"))? };
    pause::start(ctx.server, mode, end);
    ctx.out.ok();
    Ok(())
}

/// CLIENT UNPAUSE
pub(super) fn unpause(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    pause::end(ctx.server, ctx.others);
    ctx.out.ok();
    Ok(())
}
