//! The core side of ACLs. The model (rules, ACL SETUSER, the aclfile, ACL
//! LOG) lives in TypeScript (ts/acl); it compiles each user into a
//! [`User`] and installs it here, where every command is checked against
//! the connection's user before it runs:
//!
//! - [`check`] is the per-command entry: one flag test for an unrestricted
//!   user (`+@all ~* &*`), Redis's `ACLCheckAllUserCommandPerm` otherwise.
//! - [`keys`] finds key arguments and how each is used, from Redis 7.2's key
//!   specs ([`keyspecs`]); [`channels`] the channel arguments of pub/sub.
//! - AUTH and HELLO AUTH verify passwords here ([`AclState::authenticate`]).
//! - Denials (NOPERM, failed AUTH) are queued as [`Denial`]s for the host's
//!   ACL LOG, which groups them as Redis does.

pub mod channels;
pub mod commands;
pub mod host;
pub mod keys;
mod keyspecs;
pub mod sha256;
pub mod user;

#[cfg(test)]
mod tests;

use std::sync::Arc;

use foldhash::HashMap;

use crate::client::Client;
use crate::command::errors::CmdError;
use crate::command::spec::{flags, CommandSpec};
use crate::engine::Server;
pub use user::{Denied, KeyPattern, Selector, User};

/// Denials kept for the host between two drains; a flood beyond this only
/// loses the oldest raw records (ACL LOG keeps 128 entries by default).
const MAX_PENDING_DENIALS: usize = 4096;

/// One refused command or failed authentication, for ACL LOG.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Denial {
    /// "command", "key", "channel" or "auth".
    pub reason: &'static str,
    /// "toplevel", "multi" or "lua".
    pub context: &'static str,
    pub object: String,
    pub username: String,
    /// CLIENT LIST's line for the client.
    pub client_info: String,
    pub time_ms: i64,
}

/// INFO stats' `acl_access_denied_*` counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeniedCounts {
    pub auth: u64,
    pub command: u64,
    pub key: u64,
    pub channel: u64,
}

/// Users by name, and denials waiting for the host.
pub struct AclState {
    users: HashMap<String, Arc<User>>,
    default_user: Arc<User>,
    pub(crate) keys: keys::KeySpecTable,
    denials: Vec<Denial>,
    pub denied: DeniedCounts,
}

impl Default for AclState {
    fn default() -> Self {
        let default_user = Arc::new(User::default_user());
        let mut users = HashMap::default();
        users.insert("default".to_string(), default_user.clone());
        AclState {
            users,
            default_user,
            keys: keys::KeySpecTable::default(),
            denials: Vec::new(),
            denied: DeniedCounts::default(),
        }
    }
}

impl AclState {
    pub fn user(&self, name: &str) -> Option<&Arc<User>> {
        self.users.get(name)
    }

    pub fn default_user(&self) -> &Arc<User> {
        &self.default_user
    }

    /// Whether a new connection starts authenticated: the default user
    /// needs no password and is enabled.
    pub fn default_needs_no_auth(&self) -> bool {
        self.default_user.nopass && self.default_user.enabled
    }

    /// Installs (or replaces) a user compiled by the host.
    pub fn install(&mut self, user: User) -> Arc<User> {
        let user = Arc::new(user);
        if user.name == "default" {
            self.default_user = user.clone();
        }
        self.users.insert(user.name.clone(), user.clone());
        user
    }

    pub fn remove(&mut self, name: &str) -> Option<Arc<User>> {
        if name == "default" {
            return None;
        }
        self.users.remove(name)
    }

    /// Redis's `ACLCheckUserCredentials`: the user, if the pair is valid.
    pub fn authenticate(&self, username: &[u8], password: &[u8]) -> Option<Arc<User>> {
        let user = self.users.get(std::str::from_utf8(username).ok()?)?;
        user.accepts(password).then(|| user.clone())
    }

    pub fn take_denials(&mut self) -> Vec<Denial> {
        std::mem::take(&mut self.denials)
    }

    fn push_denial(&mut self, denial: Denial) {
        let counter = match denial.reason {
            "auth" => &mut self.denied.auth,
            "command" => &mut self.denied.command,
            "key" => &mut self.denied.key,
            _ => &mut self.denied.channel,
        };
        *counter += 1;
        if self.denials.len() >= MAX_PENDING_DENIALS {
            self.denials.remove(0);
        }
        self.denials.push(denial);
    }
}

/// The ACL check before a command runs. An unrestricted user (the default
/// one) costs one flag test; anyone else goes through every selector.
#[inline]
pub fn check(
    server: &mut Server,
    client: &mut Client,
    spec: &'static CommandSpec,
    argv: &[&[u8]],
    now: i64,
) -> Result<(), CmdError> {
    if client.acl.unrestricted {
        return Ok(());
    }
    check_selectors(server, client, spec, argv, now, Context::TopLevel)
        .map_err(|e| CmdError::Owned(format!("NOPERM {e}")))
}

/// Where a checked command came from, as ACL LOG's `context` names it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Context {
    TopLevel,
    /// `redis.call` from a script: the log keeps the script's command as
    /// the client's current one.
    Lua,
    /// A queued command checked again when EXEC runs it: the log keeps
    /// EXEC as the client's current command.
    Multi,
}

/// `check` for a command a script runs: the refusal (without its NOPERM
/// code, which the script's error replaces) is logged in the `lua` context.
pub fn check_in_script(
    server: &mut Server,
    client: &mut Client,
    spec: &'static CommandSpec,
    argv: &[&[u8]],
    now: i64,
) -> Result<(), String> {
    if client.acl.unrestricted {
        return Ok(());
    }
    check_selectors(server, client, spec, argv, now, Context::Lua)
}

/// Redis's check of each queued command when EXEC runs it: the user's
/// rules may have changed since the command was queued. A refusal is
/// logged in the `multi` context and becomes that command's element of
/// EXEC's reply, with Redis's text for the kind of refusal.
pub fn check_at_exec(
    server: &mut Server,
    client: &mut Client,
    spec: &'static CommandSpec,
    argv: &[&[u8]],
    now: i64,
) -> Result<(), CmdError> {
    if client.acl.unrestricted {
        return Ok(());
    }
    let Err((denied, _)) = evaluate(&server.acl, &client.acl, spec, argv) else { return Ok(()) };
    // Logs the denial (and counts it) the way a top-level refusal is logged.
    let _ = check_selectors(server, client, spec, argv, now, Context::Multi);
    let reason = match denied {
        Denied::Command => "no permission to execute the command or subcommand",
        Denied::Key => "no permission to touch the specified keys",
        Denied::Channel => "no permission to access one of the channels used as arguments",
    };
    Err(CmdError::Owned(format!(
        "NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. \
         This command is no longer allowed for the following reason: {reason}"
    )))
}

#[cold]
fn check_selectors(
    server: &mut Server,
    client: &mut Client,
    spec: &'static CommandSpec,
    argv: &[&[u8]],
    now: i64,
    context: Context,
) -> Result<(), String> {
    let (denied, pos) = match evaluate(&server.acl, &client.acl, spec, argv) {
        Ok(()) => return Ok(()),
        Err(e) => e,
    };
    let (reason, object, text) = match denied {
        Denied::Command => (
            "command",
            spec.name.to_string(),
            format!("User {} has no permissions to run the '{}' command", client.acl.name, spec.name),
        ),
        Denied::Key => ("key", lossy(argv[pos]), "No permissions to access a key".to_string()),
        Denied::Channel => ("channel", lossy(argv[pos]), "No permissions to access a channel".to_string()),
    };
    let client_info = match context {
        // The log shows the refused command as the client's current one.
        Context::TopLevel => {
            let last = std::mem::replace(&mut client.last_cmd, spec.name);
            let info = crate::commands::client::client_info_line(client, now, Some(argv));
            client.last_cmd = last;
            info
        }
        // From a script or EXEC, the client is still running EVAL/FCALL or EXEC.
        Context::Lua | Context::Multi => crate::commands::client::client_info_line(client, now, None),
    };
    // Redis logs a refusal while queueing inside MULTI in the `multi` context too.
    let context = match context {
        Context::Lua => "lua",
        Context::TopLevel if !client.tx.in_multi() => "toplevel",
        Context::TopLevel | Context::Multi => "multi",
    };
    let username = client.acl.name.clone();
    server.acl.push_denial(Denial { reason, context, object, username, client_info, time_ms: now });
    Err(text)
}

/// Redis's `ACLCheckAllUserCommandPerm`: allowed if any selector allows;
/// otherwise the most relevant refusal (channel over key over command, the
/// later argument on a tie).
pub fn evaluate(state: &AclState, user: &User, spec: &CommandSpec, argv: &[&[u8]]) -> Result<(), (Denied, usize)> {
    if user.unrestricted {
        return Ok(());
    }
    let no_auth = spec.has(flags::NO_AUTH);
    let mut cached_keys: Option<Vec<keys::KeyRef>> = None;
    let channel_args = channels::channels(spec.name, argv);
    let mut worst = (Denied::Command, 0);
    for selector in &user.selectors {
        let mut keys = || cached_keys.get_or_insert_with(|| state.keys.keys(spec.name, argv)).clone();
        match selector.check(spec.name, no_auth, argv, &mut keys, &channel_args) {
            Ok(()) => return Ok(()),
            Err(e) if e.0 > worst.0 || (e.0 == worst.0 && e.1 > worst.1) => worst = e,
            Err(_) => {}
        }
    }
    Err(worst)
}

/// Redis's `ACLUserCheckCmdWithUnrestrictedKeyAccess` for reads: some
/// selector allows the command and may read every key (`~*`, or a `*`
/// pattern with read access). SORT's BY and GET need it.
pub fn full_read_access(server: &Server, client: &Client, spec: &CommandSpec, argv: &[&[u8]]) -> bool {
    let user = &client.acl;
    if user.unrestricted {
        return true;
    }
    let channel_args = channels::channels(spec.name, argv);
    let no_auth = spec.has(flags::NO_AUTH);
    user.selectors.iter().any(|s| {
        let reads_everything = s.all_keys || s.keys.iter().any(|p| p.read && p.pattern == b"*");
        let mut keys = || server.acl.keys.keys(spec.name, argv);
        reads_everything && s.check(spec.name, no_auth, argv, &mut keys, &channel_args).is_ok()
    })
}

/// Records a failed AUTH (or HELLO AUTH) for ACL LOG: the object is the
/// command as typed, the username the one tried.
pub fn log_auth_failure(server: &mut Server, client: &Client, argv: &[&[u8]], username: &[u8], now: i64) {
    let client_info = crate::commands::client::client_info_line(client, now, Some(argv));
    server.acl.push_denial(Denial {
        reason: "auth",
        context: "toplevel",
        object: lossy(argv[0]),
        username: lossy(username),
        client_info,
        time_ms: now,
    });
}

/// Puts the client under `user` (AUTH, HELLO AUTH, RESET).
pub fn log_in(client: &mut Client, user: Arc<User>, authenticated: bool) {
    client.user = user.name.clone();
    client.acl = user;
    client.authenticated = authenticated;
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}
