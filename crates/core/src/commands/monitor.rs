//! MONITOR: every command the server runs, echoed to the connections that
//! asked, one `+<unix>.<usec> [<db> <addr>] "cmd" "arg"…` line each, as
//! Redis's `replicationFeedMonitors` writes it. Passwords given to AUTH and
//! HELLO are shown as "(redacted)"; admin commands are not shown at all.

use crate::client::Client;
use crate::command::args::is;
use crate::command::errors::CmdResult;
use crate::command::spec::flags::*;
use crate::command::spec::{CommandSpec, Exec, Group};
use crate::engine::{Ctx, Server};

pub const COMMANDS: &[CommandSpec] = &[CommandSpec {
    name: "monitor",
    arity: 1,
    flags: ADMIN | NOSCRIPT | LOADING | STALE,
    group: Group::Server,
    summary: "Listens for all requests received by the server in real-time.",
    complexity: "",
    exec: Exec::Core(monitor),
    ..CommandSpec::BASE
}];

/// The connections in MONITOR mode, in the order they started.
#[derive(Default)]
pub struct Monitors {
    handles: Vec<u32>,
}

impl Monitors {
    pub fn is_empty(&self) -> bool {
        self.handles.is_empty()
    }

    /// A connection leaves MONITOR mode (RESET, disconnect).
    pub fn remove(&mut self, handle: u32) {
        self.handles.retain(|&h| h != handle);
    }
}

/// MONITOR
fn monitor(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    // A second MONITOR is ignored without a reply, as Redis does.
    if ctx.client.monitor {
        return Ok(());
    }
    ctx.client.monitor = true;
    ctx.server.monitors.handles.push(ctx.client.handle);
    ctx.out.ok();
    Ok(())
}

/// RESET: the connection stops monitoring.
pub fn stop(server: &mut Server, client: &mut Client) {
    if client.monitor {
        client.monitor = false;
        server.monitors.remove(client.handle);
    }
}

/// Whether `spec` is echoed to monitors once it has run.
#[inline]
pub fn shown(server: &Server, spec: &CommandSpec) -> bool {
    !server.monitors.is_empty() && !spec.has(SKIP_MONITOR) && !spec.has(ADMIN)
}

/// Which arguments of a command carry secrets (Redis redacts them).
fn redacted(args: &[&[u8]]) -> Vec<bool> {
    let mut hide = vec![false; args.len()];
    if is(args[0], "auth") && args.len() <= 3 {
        hide[1..].iter_mut().for_each(|h| *h = true);
    } else if is(args[0], "hello") {
        let mut j = 2;
        while j < args.len() {
            let more = args.len() - 1 - j;
            if is(args[j], "auth") && more >= 2 {
                hide[j + 1] = true;
                hide[j + 2] = true;
                j += 3;
            } else if is(args[j], "setname") && more >= 1 {
                j += 2;
            } else {
                break;
            }
        }
    }
    hide
}

/// Writes `arg` quoted and escaped as Redis's `sdscatrepr`.
pub fn repr(out: &mut Vec<u8>, arg: &[u8]) {
    out.push(b'"');
    for &c in arg {
        match c {
            b'\\' | b'"' => out.extend_from_slice(&[b'\\', c]),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x07 => out.extend_from_slice(b"\\a"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x20..=0x7e => out.push(c),
            _ => out.extend_from_slice(format!("\\x{c:02x}").as_bytes()),
        }
    }
    out.push(b'"');
}

/// Sends the line for `args`, just run by `client`, to every monitor.
pub fn feed(server: &mut Server, client: &Client, args: &[&[u8]]) {
    let us = server.clock.now_us();
    let mut line =
        format!("+{}.{:06} [{} ", us.div_euclid(1_000_000), us.rem_euclid(1_000_000), client.db).into_bytes();
    // A unix-socket peer is reported as "<path>:0"; Redis shows "unix:<path>".
    match client.info.addr.strip_prefix('/') {
        Some(_) => {
            let path = client.info.addr.strip_suffix(":0").unwrap_or(&client.info.addr);
            line.extend_from_slice(format!("unix:{path}").as_bytes());
        }
        None => line.extend_from_slice(client.info.addr.as_bytes()),
    }
    line.extend_from_slice(b"] ");
    let hide = redacted(args);
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            line.push(b' ');
        }
        repr(&mut line, if hide[i] { b"(redacted)" } else { arg });
    }
    line.extend_from_slice(b"\r\n");
    let targets = server.monitors.handles.clone();
    server.events.send_to_many(line, targets);
}

#[cfg(test)]
mod tests {
    use super::repr;
    use crate::testing::TestConn;

    fn escaped(arg: &[u8]) -> String {
        let mut out = Vec::new();
        repr(&mut out, arg);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn repr_escapes_as_sdscatrepr() {
        assert_eq!(escaped(b"a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(escaped(b"\n\r\t\x07\x08\x00\xff "), r#""\n\r\t\a\b\x00\xff ""#);
    }

    #[test]
    fn monitors_see_commands_with_db_and_address_and_redacted_secrets() {
        let mut t = TestConn::new();
        let watcher = t.connect();
        assert_eq!(t.cmd_on(watcher, &["MONITOR"]), "+OK\r\n");
        assert_eq!(t.cmd_on(watcher, &["MONITOR"]), "", "a second MONITOR has no reply");
        let now_us = t.engine.server.clock.now_us();
        let stamp = format!("+{}.{:06}", now_us / 1_000_000, now_us % 1_000_000);
        t.engine.take_events();
        t.cmd(&["SELECT", "2"]);
        t.cmd(&["SET", "k", "a b\n"]);
        t.cmd(&["AUTH", "secret"]);
        t.cmd(&["HELLO", "2", "AUTH", "default", "pw", "SETNAME", "x"]);
        t.cmd(&["CONFIG", "GET", "x"]);
        let lines: Vec<String> =
            t.engine.take_events().deliveries().into_iter().map(|(_, b)| String::from_utf8(b).unwrap()).collect();
        assert_eq!(
            lines,
            vec![
                format!("{stamp} [2 127.0.0.1:50000] \"SELECT\" \"2\"\r\n"),
                format!("{stamp} [2 127.0.0.1:50000] \"SET\" \"k\" \"a b\\n\"\r\n"),
                format!("{stamp} [2 127.0.0.1:50000] \"AUTH\" \"(redacted)\"\r\n"),
                format!(
                    "{stamp} [2 127.0.0.1:50000] \"HELLO\" \"2\" \"AUTH\" \"(redacted)\" \"(redacted)\" \"SETNAME\" \"x\"\r\n"
                ),
            ]
        );
        let list = t.cmd(&["CLIENT", "LIST"]);
        assert!(list.contains("flags=O "), "{list}");
        assert_eq!(t.cmd_on(watcher, &["RESET"]), "+RESET\r\n");
        t.engine.take_events();
        t.cmd(&["PING"]);
        assert!(t.engine.take_events().is_empty(), "RESET ended monitoring");
    }
}
