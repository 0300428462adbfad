//! Connection commands: PING ECHO HELLO AUTH SELECT QUIT RESET.

use crate::acl;
use crate::client::ReplyMode;
use crate::command::args::{self, is};
use crate::command::errors::{self, CmdError, CmdResult};
use crate::command::spec::flags::*;
use crate::command::spec::{AclCategory, CommandSpec, Exec, Group, KeySpec};
use crate::engine::Ctx;
use crate::resp::writer::Protocol;

const CONN: CommandSpec = CommandSpec {
    group: Group::Connection,
    acl: AclCategory::Connection.bit(),
    keys: KeySpec::NONE,
    ..CommandSpec::BASE
};

pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "ping",
        arity: -1,
        flags: FAST,
        summary: "Returns the server's liveliness response.",
        exec: Exec::Core(ping),
        ..CONN
    },
    CommandSpec {
        name: "echo",
        arity: 2,
        flags: LOADING | STALE | FAST,
        summary: "Returns the given string.",
        exec: Exec::Core(echo),
        ..CONN
    },
    CommandSpec {
        name: "hello",
        arity: -1,
        flags: NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | ALLOW_BUSY,
        since: "6.0.0",
        summary: "Handshakes with the Redis server.",
        exec: Exec::Core(hello),
        ..CONN
    },
    CommandSpec {
        name: "auth",
        arity: -2,
        flags: NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | ALLOW_BUSY,
        summary: "Authenticates the connection.",
        complexity: "O(N) where N is the number of passwords defined for the user",
        exec: Exec::Core(auth),
        ..CONN
    },
    CommandSpec {
        name: "select",
        arity: 2,
        flags: LOADING | STALE | FAST,
        summary: "Changes the selected database.",
        exec: Exec::Core(select),
        ..CONN
    },
    CommandSpec {
        name: "quit",
        arity: -1,
        flags: NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | ALLOW_BUSY,
        summary: "Closes the connection.",
        exec: Exec::Core(quit),
        ..CONN
    },
    CommandSpec {
        name: "reset",
        arity: 1,
        flags: NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | ALLOW_BUSY,
        since: "6.2.0",
        summary: "Resets the connection.",
        exec: Exec::Core(reset),
        ..CONN
    },
];

/// PING [message]
fn ping(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if ctx.client.proto == Protocol::Resp2 && ctx.client.in_pubsub() {
        // A subscribed RESP2 client reads a message-shaped reply.
        if argv.len() > 2 {
            return Err(errors::wrong_arity("ping"));
        }
        ctx.out.array_len(2);
        ctx.out.bulk(b"pong");
        ctx.out.bulk(argv.get(1).copied().unwrap_or(b""));
        return Ok(());
    }
    match argv {
        [_] => ctx.out.simple("PONG"),
        [_, msg] => ctx.out.bulk(msg),
        _ => return Err(errors::wrong_arity("ping")),
    }
    Ok(())
}

/// ECHO message
fn echo(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    ctx.out.bulk(argv[1]);
    Ok(())
}

/// Logs the client in as `user` if the password fits (Redis's
/// `checkPasswordBasedAuth`); a failure goes to ACL LOG.
fn log_in(ctx: &mut Ctx, argv: &[&[u8]], user: &[u8], pass: &[u8]) -> CmdResult {
    match ctx.server.acl.authenticate(user, pass) {
        Some(found) => {
            acl::log_in(ctx.client, found, true);
            Ok(())
        }
        None => {
            acl::log_auth_failure(ctx.server, ctx.client, argv, user, ctx.now);
            Err(errors::WRONGPASS)
        }
    }
}

/// Redis refuses names with spaces, newlines or other special characters.
pub fn validate_client_name(name: &[u8]) -> CmdResult {
    if name.iter().any(|&c| !(b'!'..=b'~').contains(&c)) {
        return Err(CmdError::Static("ERR Client names cannot contain spaces, newlines or special characters."));
    }
    Ok(())
}

/// HELLO [protover [AUTH username password] [SETNAME clientname]]
fn hello(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let mut proto = None;
    let mut i = 1;
    if argv.len() >= 2 {
        let ver = args::int(argv[1])
            .map_err(|_| CmdError::Static("ERR Protocol version is not an integer or out of range"))?;
        if !(2..=3).contains(&ver) {
            return Err(errors::NOPROTO);
        }
        proto = Some(if ver == 3 { Protocol::Resp3 } else { Protocol::Resp2 });
        i = 2;
    }
    let mut auth = None;
    let mut setname = None;
    while i < argv.len() {
        let more = argv.len() - i - 1;
        if is(argv[i], "auth") && more >= 2 {
            auth = Some((argv[i + 1], argv[i + 2]));
            i += 3;
        } else if is(argv[i], "setname") && more >= 1 {
            setname = Some(argv[i + 1]);
            i += 2;
        } else {
            return Err(CmdError::Owned(format!(
                "ERR Syntax error in HELLO option '{}'",
                String::from_utf8_lossy(argv[i])
            )));
        }
    }
    if let Some((user, pass)) = auth {
        log_in(ctx, argv, user, pass)?;
    }
    if !ctx.client.authenticated {
        return Err(CmdError::Static(
            "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time",
        ));
    }
    if let Some(name) = setname {
        validate_client_name(name)?;
        ctx.client.name = if name.is_empty() { None } else { Some(name.to_vec()) };
    }
    if let Some(p) = proto {
        ctx.client.proto = p;
        ctx.out.proto = p;
        super::pubsub::protocol_changed(ctx.server, ctx.client);
    }
    let out = &mut *ctx.out;
    out.map_len(7);
    out.bulk_str("server");
    out.bulk_str("redis");
    out.bulk_str("version");
    out.bulk_str(super::REDIS_VERSION);
    out.bulk_str("proto");
    out.int(if ctx.client.proto == Protocol::Resp3 { 3 } else { 2 });
    out.bulk_str("id");
    out.int(ctx.client.id as i64);
    out.bulk_str("mode");
    out.bulk_str("standalone");
    out.bulk_str("role");
    out.bulk_str("master");
    out.bulk_str("modules");
    out.array_len(0);
    Ok(())
}

/// AUTH [username] password
fn auth(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let (user, pass): (&[u8], &[u8]) = match argv {
        [_, pass] => {
            if ctx.server.acl.default_user().nopass {
                return Err(CmdError::Static(
                    "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?",
                ));
            }
            (b"default", pass)
        }
        [_, user, pass] => (user, pass),
        _ => return Err(errors::SYNTAX),
    };
    log_in(ctx, argv, user, pass)?;
    ctx.out.ok();
    Ok(())
}

/// SELECT index
fn select(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let idx = super::databases::db_index(argv[1], None)?;
    ctx.client.db = super::databases::selectable(ctx, idx)?;
    ctx.out.ok();
    Ok(())
}

/// QUIT
fn quit(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    ctx.out.ok();
    ctx.client.close_after_reply = true;
    Ok(())
}

/// RESET
fn reset(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    super::pubsub::leave_all(ctx.server, ctx.client);
    super::monitor::stop(ctx.server, ctx.client);
    crate::commands::transactions::discard_transaction(ctx);
    ctx.server.tracking.disable(ctx.client);
    let c = &mut *ctx.client;
    c.db = 0;
    c.proto = Protocol::Resp2;
    ctx.out.proto = Protocol::Resp2;
    c.name = None;
    c.reply_mode = ReplyMode::On;
    c.no_evict = false;
    c.no_touch = false;
    let default = ctx.server.acl.default_user().clone();
    let authenticated = ctx.server.acl.default_needs_no_auth();
    acl::log_in(c, default, authenticated);
    ctx.out.simple("RESET");
    Ok(())
}
