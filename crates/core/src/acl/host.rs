//! What the host's ACL model calls on the engine: install and delete users
//! (with Redis's effects on connected clients), ACL DRYRUN, the command
//! table's categories, and the denials queued for ACL LOG.

use std::sync::Arc;

use super::{evaluate, Denial, Denied, User};
use crate::command::spec::CommandSpec;
use crate::command::table::subcommand;
use crate::engine::Engine;

/// One command as ACL rules see it.
#[derive(Clone, Debug)]
pub struct AclCommand {
    /// Full name ("get", "config|get").
    pub name: &'static str,
    /// [`crate::command::spec::AclCategory`] bits, implicit ones included.
    pub categories: u32,
    /// The parent's name for a subcommand.
    pub parent: Option<&'static str>,
    pub has_subcommands: bool,
}

/// ACL DRYRUN's outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DryRun {
    Allowed,
    /// The verbose refusal, which DRYRUN returns as a bulk string.
    Denied(String),
    /// An error reply (unknown user or command, wrong arity).
    Error(String),
}

impl Engine {
    /// Installs a user compiled by the host. Connections logged in as that
    /// user see the new permissions from their next command; subscribers
    /// whose channels the new rules no longer allow are closed, as Redis's
    /// `ACLKillPubsubClientsIfNeeded` does. Returns the handles closed.
    pub fn acl_install_user(&mut self, user: User) -> Vec<u32> {
        let user = self.server.acl.install(user);
        let mut killed = Vec::new();
        for client in self.clients_mut() {
            if client.acl.name != user.name {
                continue;
            }
            client.acl = user.clone();
            let subs = &client.subs;
            let channels = subs.channels.iter().chain(&subs.shard).map(|c| (c.as_slice(), false));
            let patterns = subs.patterns.iter().map(|p| (p.as_slice(), true));
            if channels.chain(patterns).any(|(ch, pattern)| !user.may_use_channel(ch, pattern)) {
                client.close_after_reply = true;
                killed.push(client.handle);
            }
        }
        self.server.events.closes.extend(&killed);
        killed
    }

    /// Deletes a user and closes every connection logged in as it.
    /// Returns false for an unknown user (or "default", which stays).
    pub fn acl_delete_user(&mut self, name: &str) -> bool {
        if self.server.acl.remove(name).is_none() {
            return false;
        }
        let mut closed = Vec::new();
        for client in self.clients_mut() {
            if client.acl.name == name {
                client.close_after_reply = true;
                closed.push(client.handle);
            }
        }
        self.server.events.closes.extend(closed);
        true
    }

    /// The connection's user name (ACL WHOAMI), if the handle is live.
    pub fn acl_whoami(&self, handle: u32) -> Option<String> {
        self.client(handle).map(|c| c.acl.name.clone())
    }

    pub fn acl_take_denials(&mut self) -> Vec<Denial> {
        self.server.acl.take_denials()
    }

    /// Every command and subcommand with its categories, for `+@category`
    /// rules and ACL CAT.
    pub fn acl_commands(&self) -> Vec<AclCommand> {
        let mut all = Vec::new();
        for spec in self.server.commands.iter() {
            all.push(describe(spec, None));
            for sub in spec.subcommands {
                all.push(describe(sub, Some(spec.name)));
            }
        }
        all.sort_by_key(|c| c.name);
        all
    }

    /// ACL DRYRUN username command [arg ...]
    pub fn acl_dry_run(&self, username: &[u8], argv: &[&[u8]]) -> DryRun {
        let name = String::from_utf8_lossy(username);
        let Some(user) = self.server.acl.user(&name) else {
            return DryRun::Error(format!("ERR User '{name}' not found"));
        };
        let unknown = || DryRun::Error(format!("ERR Command '{}' not found", String::from_utf8_lossy(argv[0])));
        let Some(mut spec) = self.server.commands.get(argv[0]) else { return unknown() };
        if !spec.subcommands.is_empty() && argv.len() >= 2 {
            match subcommand(spec, argv[1]) {
                Some(sub) => spec = sub,
                None => return unknown(),
            }
        }
        if !spec.arity_ok(argv.len()) {
            return DryRun::Error(format!("ERR wrong number of arguments for '{}' command", spec.name));
        }
        match evaluate(&self.server.acl, user, spec, argv) {
            Ok(()) => DryRun::Allowed,
            Err((denied, pos)) => DryRun::Denied(verbose_denial(user, spec, denied, argv[pos])),
        }
    }
}

/// Redis's `getAclErrorMessage` in its verbose form (ACL DRYRUN).
fn verbose_denial(user: &Arc<User>, spec: &CommandSpec, denied: Denied, arg: &[u8]) -> String {
    let (user, arg) = (&user.name, String::from_utf8_lossy(arg));
    match denied {
        Denied::Command => format!("User {user} has no permissions to run the '{}' command", spec.name),
        Denied::Key => format!("User {user} has no permissions to access the '{arg}' key"),
        Denied::Channel => format!("User {user} has no permissions to access the '{arg}' channel"),
    }
}

fn describe(spec: &'static CommandSpec, parent: Option<&'static str>) -> AclCommand {
    AclCommand {
        name: spec.name,
        categories: spec.acl_categories(),
        parent,
        has_subcommands: !spec.subcommands.is_empty(),
    }
}
