//! The CLIENT container: a connection looking at itself and at the others
//! (ID, SETNAME, LIST, KILL, REPLY …), with Redis 7.2's replies.

mod list;
mod pause;
#[cfg(test)]
mod tests;
mod tracking;

use crate::client::{Client, ReplyMode};
use crate::command::args::{self, is};
use crate::command::errors::{self, CmdError, CmdResult};
use crate::command::spec::flags::*;
use crate::command::spec::{AclCategory, CommandSpec, Exec, Group};
use crate::commands::connection::validate_client_name;
use crate::commands::server::reply_help;
use crate::engine::{self, Ctx};
use crate::resp::parser::parse_i64;
use crate::resp::writer::Reply;

pub use list::{client_info_line, ClientType};

const SUB: CommandSpec = CommandSpec {
    group: Group::Connection,
    acl: AclCategory::Connection.bit(),
    flags: NOSCRIPT | LOADING | STALE,
    ..CommandSpec::BASE
};

const SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "client|caching",
        arity: 3,
        since: "6.0.0",
        summary: "Instructs the server whether to track the keys in the next request.",
        exec: Exec::Core(tracking::caching),
        ..SUB
    },
    CommandSpec {
        name: "client|getname",
        arity: 2,
        since: "2.6.9",
        summary: "Returns the name of the connection.",
        exec: Exec::Core(getname),
        ..SUB
    },
    CommandSpec {
        name: "client|getredir",
        arity: 2,
        since: "6.0.0",
        summary: "Returns the client ID to which the connection's tracking notifications are redirected.",
        exec: Exec::Core(tracking::getredir),
        ..SUB
    },
    CommandSpec {
        name: "client|help",
        arity: 2,
        flags: LOADING | STALE,
        since: "5.0.0",
        summary: "Returns helpful text about the different subcommands.",
        exec: Exec::Core(help),
        ..SUB
    },
    CommandSpec {
        name: "client|id",
        arity: 2,
        since: "5.0.0",
        summary: "Returns the unique client ID of the connection.",
        exec: Exec::Core(id),
        ..SUB
    },
    CommandSpec {
        name: "client|info",
        arity: 2,
        since: "6.2.0",
        summary: "Returns information about the connection.",
        exec: Exec::Core(info),
        ..SUB
    },
    CommandSpec {
        name: "client|kill",
        arity: -3,
        flags: ADMIN | NOSCRIPT | LOADING | STALE,
        since: "2.4.0",
        summary: "Terminates open connections.",
        complexity: "O(N) where N is the number of client connections",
        exec: Exec::Core(kill),
        ..SUB
    },
    CommandSpec {
        name: "client|list",
        arity: -2,
        flags: ADMIN | NOSCRIPT | LOADING | STALE,
        since: "2.4.0",
        summary: "Lists open connections.",
        complexity: "O(N) where N is the number of client connections",
        exec: Exec::Core(list),
        ..SUB
    },
    CommandSpec {
        name: "client|no-evict",
        arity: 3,
        flags: ADMIN | NOSCRIPT | LOADING | STALE,
        since: "7.0.0",
        summary: "Sets the client eviction mode of the connection.",
        exec: Exec::Core(no_evict),
        ..SUB
    },
    CommandSpec {
        name: "client|pause",
        arity: -3,
        flags: ADMIN | NOSCRIPT | LOADING | STALE,
        since: "3.0.0",
        summary: "Suspends commands processing.",
        exec: Exec::Core(pause::pause),
        ..SUB
    },
    CommandSpec {
        name: "client|unblock",
        arity: -3,
        flags: ADMIN | NOSCRIPT | LOADING | STALE,
        since: "5.0.0",
        summary: "Unblocks a client blocked by a blocking command from a different connection.",
        complexity: "O(log N) where N is the number of client connections",
        exec: Exec::Core(unblock),
        ..SUB
    },
    CommandSpec {
        name: "client|no-touch",
        arity: 3,
        since: "7.2.0",
        summary: "Controls whether commands sent by the client affect the LRU/LFU of accessed keys.",
        exec: Exec::Core(no_touch),
        ..SUB
    },
    CommandSpec {
        name: "client|unpause",
        arity: 2,
        flags: ADMIN | NOSCRIPT | LOADING | STALE,
        since: "6.2.0",
        summary: "Resumes processing commands from paused clients.",
        complexity: "O(N) Where N is the number of paused clients",
        exec: Exec::Core(pause::unpause),
        ..SUB
    },
    CommandSpec {
        name: "client|reply",
        arity: 3,
        since: "3.2.0",
        summary: "Instructs the server whether to reply to commands.",
        exec: Exec::Core(reply),
        ..SUB
    },
    CommandSpec {
        name: "client|setinfo",
        arity: 4,
        since: "7.2.0",
        summary: "Sets information specific to the client or connection.",
        exec: Exec::Core(setinfo),
        ..SUB
    },
    CommandSpec {
        name: "client|setname",
        arity: 3,
        since: "2.6.9",
        summary: "Sets the connection name.",
        exec: Exec::Core(setname),
        ..SUB
    },
    CommandSpec {
        name: "client|tracking",
        arity: -3,
        since: "6.0.0",
        summary: "Controls server-assisted client-side caching for the connection.",
        complexity: "O(1). Some options may introduce additional complexity.",
        exec: Exec::Core(tracking::tracking),
        ..SUB
    },
    CommandSpec {
        name: "client|trackinginfo",
        arity: 2,
        since: "6.2.0",
        summary: "Returns information about server-assisted client-side caching for the connection.",
        exec: Exec::Core(tracking::trackinginfo),
        ..SUB
    },
];

pub const COMMANDS: &[CommandSpec] = &[CommandSpec {
    name: "client",
    arity: -2,
    group: Group::Connection,
    since: "2.4.0",
    summary: "A container for client connection commands.",
    complexity: "Depends on subcommand.",
    exec: Exec::Container,
    subcommands: SUBCOMMANDS,
    ..CommandSpec::BASE
}];

const HELP: &[&str] = &[
    "CACHING (YES|NO)",
    "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
    "GETREDIR",
    "    Return the client ID we are redirecting to when tracking is enabled.",
    "GETNAME",
    "    Return the name of the current connection.",
    "ID",
    "    Return the ID of the current connection.",
    "INFO",
    "    Return information about the current client connection.",
    "KILL <ip:port>",
    "    Kill connection made from <ip:port>.",
    "KILL <option> <value> [<option> <value> [...]]",
    "    Kill connections. Options are:",
    "    * ADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made from the specified address",
    "    * LADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made to specified local address",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Kill connections by type.",
    "    * USER <username>",
    "      Kill connections authenticated by <username>.",
    "    * SKIPME (YES|NO)",
    "      Skip killing current connection (default: yes).",
    "LIST [options ...]",
    "    Return information about client connections. Options:",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Return clients of specified type.",
    "UNPAUSE",
    "    Stop the current client pause, resuming traffic.",
    "PAUSE <timeout> [WRITE|ALL]",
    "    Suspend all, or just write, clients for <timeout> milliseconds.",
    "REPLY (ON|OFF|SKIP)",
    "    Control the replies sent to the current connection.",
    "SETNAME <name>",
    "    Assign the name <name> to the current connection.",
    "SETINFO <option> <value>",
    "    Set client meta attr. Options are:",
    "    * LIB-NAME: the client lib name.",
    "    * LIB-VER: the client lib version.",
    "UNBLOCK <clientid> [TIMEOUT|ERROR]",
    "    Unblock the specified blocked client.",
    "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
    "         [OPTIN] [OPTOUT] [NOLOOP]",
    "    Control server assisted client side caching.",
    "TRACKINGINFO",
    "    Report tracking status for the current connection.",
    "NO-EVICT (ON|OFF)",
    "    Protect current client connection from eviction.",
    "NO-TOUCH (ON|OFF)",
    "    Will not touch LRU/LFU stats when this mode is on.",
];

/// CLIENT HELP
fn help(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    reply_help(ctx.out, argv[0], HELP);
    Ok(())
}

/// CLIENT ID
fn id(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    ctx.out.int(ctx.client.id as i64);
    Ok(())
}

/// CLIENT GETNAME
fn getname(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    match &ctx.client.name {
        Some(name) => ctx.out.bulk(name),
        None => ctx.out.null(),
    }
    Ok(())
}

/// CLIENT SETNAME connection-name
fn setname(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let name = argv[2];
    validate_client_name(name)?;
    // An empty name removes the current one.
    ctx.client.name = if name.is_empty() { None } else { Some(name.to_vec()) };
    ctx.out.ok();
    Ok(())
}

/// CLIENT SETINFO <LIB-NAME libname | LIB-VER libver>
fn setinfo(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let (attr, value) = (argv[2], argv[3]);
    let typed = String::from_utf8_lossy(attr);
    let slot = if is(attr, "lib-name") {
        &mut ctx.client.lib_name
    } else if is(attr, "lib-ver") {
        &mut ctx.client.lib_ver
    } else {
        return Err(CmdError::Owned(format!("ERR Unrecognized option '{typed}'")));
    };
    // CLIENT LIST splits on spaces, so the values must not contain any.
    if value.iter().any(|&c| !(b'!'..=b'~').contains(&c)) {
        return Err(CmdError::Owned(format!("ERR {typed} cannot contain spaces, newlines or special characters.")));
    }
    *slot = if value.is_empty() { None } else { Some(value.to_vec()) };
    ctx.out.ok();
    Ok(())
}

/// ON / OFF arguments shared by NO-EVICT and NO-TOUCH.
/// CLIENT UNBLOCK client-id [TIMEOUT | ERROR]
fn unblock(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let id = args::int(argv[2])?;
    let with_error = match argv.get(3) {
        None => false,
        Some(r) if is(r, "timeout") => false,
        Some(r) if is(r, "error") => true,
        Some(_) => return Err(CmdError::Static("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR")),
    };
    if argv.len() > 4 {
        return Err(errors::SYNTAX);
    }
    let target = ctx.others.iter_mut().flatten().find(|c| c.id as i64 == id && c.blocked.is_some());
    let Some(client) = target else {
        ctx.out.int(0);
        return Ok(());
    };
    if with_error {
        let mut out = Reply { buf: Vec::new(), proto: client.proto };
        out.error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
        engine::unblock(ctx.server, client, Some(out.buf));
    } else {
        engine::time_out(ctx.server, client);
    }
    ctx.out.int(1);
    Ok(())
}

fn on_off(arg: &[u8]) -> Result<bool, CmdError> {
    if is(arg, "on") {
        Ok(true)
    } else if is(arg, "off") {
        Ok(false)
    } else {
        Err(errors::SYNTAX)
    }
}

/// CLIENT NO-EVICT <ON | OFF>
fn no_evict(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    ctx.client.no_evict = on_off(argv[2])?;
    ctx.out.ok();
    Ok(())
}

/// CLIENT NO-TOUCH <ON | OFF>
fn no_touch(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    ctx.client.no_touch = on_off(argv[2])?;
    ctx.out.ok();
    Ok(())
}

/// CLIENT REPLY <ON | OFF | SKIP>
fn reply(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let mode = argv[2];
    if is(mode, "on") {
        ctx.client.reply_mode = ReplyMode::On;
        ctx.out.ok();
    } else if is(mode, "off") {
        // No reply: the engine drops this command's output in Off mode.
        ctx.client.reply_mode = ReplyMode::Off;
    } else if is(mode, "skip") {
        // SKIP inside OFF changes nothing, as in Redis.
        if ctx.client.reply_mode != ReplyMode::Off {
            ctx.client.reply_mode = ReplyMode::SkipNext;
        }
    } else {
        return Err(errors::SYNTAX);
    }
    Ok(())
}

/// CLIENT INFO
fn info(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let mut text = client_info_line(ctx.client, ctx.now, Some(argv));
    text.push('\n');
    ctx.out.verbatim(text.as_bytes());
    Ok(())
}

/// CLIENT LIST [TYPE <NORMAL | MASTER | REPLICA | PUBSUB>] [ID client-id [client-id ...]]
fn list(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let now = ctx.now;
    let mut text = String::new();
    let line = |c: &Client, current: bool, text: &mut String| {
        text.push_str(&client_info_line(c, now, current.then_some(argv)));
        text.push('\n');
    };
    if argv.len() == 4 && is(argv[2], "type") {
        let want = client_type_arg(argv[3])?;
        for (c, current) in by_id(ctx) {
            if ClientType::of(c) == want {
                line(c, current, &mut text);
            }
        }
    } else if argv.len() > 3 && is(argv[2], "id") {
        let ids = argv[3..]
            .iter()
            .map(|a| parse_i64(a).ok_or(CmdError::Static("ERR Invalid client ID")))
            .collect::<Result<Vec<_>, _>>()?;
        // In the order asked, unknown ids skipped.
        let clients = by_id(ctx);
        for want in ids {
            if let Some(&(c, current)) = clients.iter().find(|(c, _)| c.id as i64 == want) {
                line(c, current, &mut text);
            }
        }
    } else if argv.len() == 2 {
        for (c, current) in by_id(ctx) {
            line(c, current, &mut text);
        }
    } else {
        return Err(errors::SYNTAX);
    }
    ctx.out.verbatim(text.as_bytes());
    Ok(())
}

/// Every connection (the current one flagged `true`) in connection order,
/// as Redis's client list keeps them. Connections already killed are gone:
/// Redis frees them at once, the host only closes them after this batch.
fn by_id<'a>(ctx: &'a Ctx) -> Vec<(&'a Client, bool)> {
    let mut all: Vec<(&Client, bool)> =
        ctx.others.iter().flatten().filter(|c| !c.close_after_reply).map(|c| (&**c, false)).collect();
    all.push((&*ctx.client, true));
    all.sort_unstable_by_key(|(c, _)| c.id);
    all
}

fn client_type_arg(arg: &[u8]) -> Result<ClientType, CmdError> {
    ClientType::parse(arg)
        .ok_or_else(|| CmdError::Owned(format!("ERR Unknown client type '{}'", String::from_utf8_lossy(arg))))
}

/// Which connections CLIENT KILL's filters select (all that are set must match).
#[derive(Default)]
struct KillFilter<'a> {
    addr: Option<&'a [u8]>,
    laddr: Option<&'a [u8]>,
    user: Option<&'a [u8]>,
    kind: Option<ClientType>,
    id: Option<u64>,
    skip_me: bool,
}

impl KillFilter<'_> {
    fn matches(&self, c: &Client) -> bool {
        self.addr.is_none_or(|a| a == c.info.addr.as_bytes())
            && self.laddr.is_none_or(|a| a == c.info.laddr.as_bytes())
            && self.user.is_none_or(|u| u == c.user.as_bytes())
            && self.kind.is_none_or(|k| k == ClientType::of(c))
            && self.id.is_none_or(|id| id == c.id)
    }
}

/// CLIENT KILL <ip:port | <[ID client-id] | [TYPE <NORMAL | MASTER | SLAVE | REPLICA | PUBSUB>] |
///   [USER username] | [ADDR ip:port] | [LADDR ip:port] | [SKIPME <YES | NO>]
///   [[ID client-id] | ...]>>
fn kill(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let old_form = argv.len() == 3;
    let filter = if old_form {
        // The old form can kill the caller itself.
        KillFilter { addr: Some(argv[2]), skip_me: false, ..Default::default() }
    } else {
        parse_kill_filter(ctx, &argv[2..])?
    };
    let mut killed = 0;
    for other in ctx.others.iter_mut().flatten() {
        // Already killed: Redis would have freed it and not see it again.
        if other.close_after_reply || !filter.matches(other) {
            continue;
        }
        other.close_after_reply = true;
        ctx.server.events.closes.push(other.handle);
        killed += 1;
    }
    let kill_me = !filter.skip_me && filter.matches(ctx.client);
    if kill_me {
        killed += 1;
    }
    if old_form {
        if killed == 0 {
            return Err(CmdError::Static("ERR No such client"));
        }
        ctx.out.ok();
    } else {
        ctx.out.int(killed);
    }
    // Flagged only after the reply is queued, so the caller still gets it.
    if kill_me {
        ctx.client.close_after_reply = true;
    }
    Ok(())
}

fn parse_kill_filter<'a>(ctx: &Ctx, opts: &[&'a [u8]]) -> Result<KillFilter<'a>, CmdError> {
    let mut f = KillFilter { skip_me: true, ..Default::default() };
    let mut i = 0;
    while i < opts.len() {
        let (opt, Some(&value)) = (opts[i], opts.get(i + 1)) else {
            return Err(errors::SYNTAX);
        };
        if is(opt, "id") {
            let id = parse_i64(value).filter(|&n| n >= 1);
            f.id = Some(id.ok_or(CmdError::Static("ERR client-id should be greater than 0"))? as u64);
        } else if is(opt, "type") {
            f.kind = Some(client_type_arg(value)?);
        } else if is(opt, "addr") {
            f.addr = Some(value);
        } else if is(opt, "laddr") {
            f.laddr = Some(value);
        } else if is(opt, "user") {
            // The host installs every ACL user in the core, connected or not.
            let known = std::str::from_utf8(value).is_ok_and(|name| ctx.server.acl.user(name).is_some());
            if !known {
                return Err(CmdError::Owned(format!("ERR No such user '{}'", String::from_utf8_lossy(value))));
            }
            f.user = Some(value);
        } else if is(opt, "skipme") {
            f.skip_me = if is(value, "yes") {
                true
            } else if is(value, "no") {
                false
            } else {
                return Err(errors::SYNTAX);
            };
        } else {
            return Err(errors::SYNTAX);
        }
        i += 2;
    }
    Ok(f)
}
