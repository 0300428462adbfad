//! ACL calls: the TypeScript ACL model installs compiled users, reads the
//! command table's categories, runs ACL DRYRUN and drains ACL LOG denials.

use ferrokv_core::acl::host::DryRun;
use ferrokv_core::acl::{user::parse_hash, KeyPattern, Selector, User};
use ferrokv_core::command::spec::AclCategory;
use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::NativeEngine;

#[napi(object)]
pub struct NativeAclSelector {
    pub all_commands: bool,
    /// Full names allowed ("get", "config|get").
    pub commands: Vec<String>,
    /// "command|first-arg" pairs (`+select|0`).
    pub first_args: Vec<String>,
    pub all_keys: bool,
    pub key_patterns: Vec<String>,
    pub key_read: Vec<bool>,
    pub key_write: Vec<bool>,
    pub all_channels: bool,
    pub channels: Vec<String>,
}

#[napi(object)]
pub struct NativeAclUser {
    pub name: String,
    pub enabled: bool,
    pub nopass: bool,
    /// SHA-256 hex digests.
    pub passwords: Vec<String>,
    /// The root selector first.
    pub selectors: Vec<NativeAclSelector>,
}

#[napi(object)]
pub struct NativeAclCommand {
    pub name: String,
    pub categories: Vec<String>,
    pub parent: Option<String>,
    pub has_subcommands: bool,
}

#[napi(object)]
pub struct NativeAclDenial {
    pub reason: String,
    pub context: String,
    pub object: String,
    pub username: String,
    pub client_info: String,
    pub time_ms: f64,
}

#[napi(object)]
pub struct NativeDryRun {
    /// "ok", "denied" (text is a bulk reply) or "error".
    pub kind: String,
    pub text: String,
}

fn compile_selector(s: NativeAclSelector) -> Result<Selector> {
    let mut out = Selector {
        all_commands: s.all_commands,
        commands: s.commands.into_iter().collect(),
        all_keys: s.all_keys,
        all_channels: s.all_channels,
        channels: s.channels.into_iter().map(String::into_bytes).collect(),
        ..Selector::default()
    };
    for pair in s.first_args {
        let (cmd, arg) =
            pair.split_once('|').ok_or_else(|| Error::from_reason(format!("bad first-arg rule {pair}")))?;
        out.first_args.entry(cmd.to_string()).or_default().push(arg.to_ascii_lowercase().into_bytes());
    }
    out.keys = s
        .key_patterns
        .into_iter()
        .enumerate()
        .map(|(i, p)| KeyPattern {
            pattern: p.into_bytes(),
            read: s.key_read.get(i).copied().unwrap_or(true),
            write: s.key_write.get(i).copied().unwrap_or(true),
        })
        .collect();
    Ok(out)
}

#[napi]
impl NativeEngine {
    /// Installs (or replaces) a user; returns the subscribers it closed
    /// (also queued as events).
    #[napi]
    pub fn acl_install_user(&mut self, user: NativeAclUser) -> Result<Vec<u32>> {
        let passwords = user
            .passwords
            .iter()
            .map(|h| parse_hash(h).ok_or_else(|| Error::from_reason(format!("bad password hash {h}"))))
            .collect::<Result<Vec<_>>>()?;
        let selectors = user.selectors.into_iter().map(compile_selector).collect::<Result<Vec<_>>>()?;
        Ok(self.engine.acl_install_user(User::new(user.name, user.enabled, user.nopass, passwords, selectors)))
    }

    /// Deletes a user and queues closes for its connections.
    #[napi]
    pub fn acl_delete_user(&mut self, name: String) -> bool {
        self.engine.acl_delete_user(&name)
    }

    #[napi]
    pub fn acl_whoami(&self, handle: u32) -> Option<String> {
        self.engine.acl_whoami(handle)
    }

    #[napi]
    pub fn acl_commands(&self) -> Vec<NativeAclCommand> {
        self.engine
            .acl_commands()
            .into_iter()
            .map(|c| NativeAclCommand {
                name: c.name.to_string(),
                categories: AclCategory::ALL
                    .iter()
                    .filter(|cat| c.categories & cat.bit() != 0)
                    .map(|cat| cat.name().to_string())
                    .collect(),
                parent: c.parent.map(str::to_string),
                has_subcommands: c.has_subcommands,
            })
            .collect()
    }

    /// Every ACL category, in Redis's order (ACL CAT).
    #[napi]
    pub fn acl_categories(&self) -> Vec<String> {
        AclCategory::ALL.iter().map(|c| c.name().to_string()).collect()
    }

    #[napi]
    pub fn acl_take_denials(&mut self) -> Vec<NativeAclDenial> {
        self.engine
            .acl_take_denials()
            .into_iter()
            .map(|d| NativeAclDenial {
                reason: d.reason.to_string(),
                context: d.context.to_string(),
                object: d.object,
                username: d.username,
                client_info: d.client_info,
                time_ms: d.time_ms as f64,
            })
            .collect()
    }

    #[napi]
    pub fn acl_dry_run(&self, username: Buffer, args: Vec<Buffer>) -> NativeDryRun {
        let argv: Vec<&[u8]> = args.iter().map(|a| a.as_ref()).collect();
        let (kind, text) = match self.engine.acl_dry_run(&username, &argv) {
            DryRun::Allowed => ("ok", String::new()),
            DryRun::Denied(t) => ("denied", t),
            DryRun::Error(t) => ("error", t),
        };
        NativeDryRun { kind: kind.to_string(), text }
    }
}
