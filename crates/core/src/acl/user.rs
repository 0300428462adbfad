//! A user as the core checks it: compiled by the host's ACL model (ts/acl)
//! from the user's rules into sets and flags the per-command check reads
//! without parsing anything.

use foldhash::{HashMap, HashSet};

use super::keys::{flags as key_flags, KeyRef};
use super::sha256;
use crate::util::glob::glob_match;

/// A key pattern with the access it grants (`~p` both, `%R~p`, `%W~p`).
#[derive(Clone, Debug, Default)]
pub struct KeyPattern {
    pub pattern: Vec<u8>,
    pub read: bool,
    pub write: bool,
}

/// One set of permissions: the root one, or a `(…)` selector.
#[derive(Clone, Debug, Default)]
pub struct Selector {
    /// `+@all` with nothing taken away since: every command, present or future.
    pub all_commands: bool,
    /// Full names allowed ("get", "config|get").
    pub commands: HashSet<String>,
    /// `+select|0`-style rules: a command otherwise denied, allowed with these
    /// first arguments (lower case).
    pub first_args: HashMap<String, Vec<Vec<u8>>>,
    pub all_keys: bool,
    pub keys: Vec<KeyPattern>,
    pub all_channels: bool,
    pub channels: Vec<Vec<u8>>,
}

/// Why a selector refused a command; ordered as Redis ranks them when it
/// picks the error to report (a later key or channel beats a command).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Denied {
    Command,
    Key,
    Channel,
}

/// A channel argument of a pub/sub command.
#[derive(Clone, Copy, Debug)]
pub struct ChannelRef {
    pub pos: usize,
    /// PSUBSCRIBE's argument: a pattern, granted only by an identical one.
    pub pattern: bool,
}

impl Selector {
    /// Redis's `ACLSelectorCheckCmd`: `Err` carries the reason and the index
    /// of the offending argument (0 for the command itself).
    pub fn check(
        &self,
        name: &str,
        no_auth: bool,
        argv: &[&[u8]],
        keys: &mut dyn FnMut() -> Vec<KeyRef>,
        channels: &[ChannelRef],
    ) -> Result<(), (Denied, usize)> {
        if !self.all_commands && !no_auth && !self.commands.contains(name) && !self.first_arg_allows(name, argv) {
            return Err((Denied::Command, 0));
        }
        if !self.all_keys {
            for key in keys() {
                if !self.key_allowed(argv[key.pos], key.flags) {
                    return Err((Denied::Key, key.pos));
                }
            }
        }
        if !self.all_channels {
            for ch in channels {
                if !self.channel_allowed(argv[ch.pos], ch.pattern) {
                    return Err((Denied::Channel, ch.pos));
                }
            }
        }
        Ok(())
    }

    fn first_arg_allows(&self, name: &str, argv: &[&[u8]]) -> bool {
        // A subcommand's first argument is the one after the subcommand.
        let at = if name.contains('|') { 2 } else { 1 };
        match (self.first_args.get(name), argv.get(at)) {
            (Some(allowed), Some(arg)) => allowed.iter().any(|a| a.eq_ignore_ascii_case(arg)),
            _ => false,
        }
    }

    /// Redis's `ACLSelectorCheckKey`: a key read needs a pattern with read
    /// access, a write one with write access; a key the command neither
    /// reads nor writes (EXISTS, OBJECT …) any matching pattern.
    pub fn key_allowed(&self, key: &[u8], spec_flags: u16) -> bool {
        if self.all_keys {
            return true;
        }
        let need_read = spec_flags & key_flags::ACCESS != 0;
        let need_write = spec_flags & key_flags::WRITES != 0;
        self.keys
            .iter()
            .any(|p| (p.read || !need_read) && (p.write || !need_write) && glob_match(&p.pattern, key, false))
    }

    /// Redis's `ACLCheckChannelAgainstList`.
    pub fn channel_allowed(&self, channel: &[u8], is_pattern: bool) -> bool {
        self.all_channels
            || self.channels.iter().any(|p| if is_pattern { p == channel } else { glob_match(p, channel, false) })
    }
}

/// A user: flags, password hashes and selectors (the root one first).
#[derive(Clone, Debug)]
pub struct User {
    pub name: String,
    pub enabled: bool,
    pub nopass: bool,
    pub passwords: Vec<[u8; 32]>,
    pub selectors: Vec<Selector>,
    /// The root selector allows every command, key and channel: the check
    /// is skipped entirely (the default user's `+@all ~* &*`).
    pub unrestricted: bool,
}

impl User {
    pub fn new(name: String, enabled: bool, nopass: bool, passwords: Vec<[u8; 32]>, selectors: Vec<Selector>) -> Self {
        let unrestricted = selectors.first().is_some_and(|s| s.all_commands && s.all_keys && s.all_channels);
        User { name, enabled, nopass, passwords, selectors, unrestricted }
    }

    /// Redis's built-in default user: `on nopass ~* &* +@all`.
    pub fn default_user() -> Self {
        let root = Selector { all_commands: true, all_keys: true, all_channels: true, ..Selector::default() };
        User::new("default".into(), true, true, Vec::new(), vec![root])
    }

    /// Redis's `ACLCheckUserCredentials` once the user is found.
    pub fn accepts(&self, password: &[u8]) -> bool {
        if !self.enabled {
            return false;
        }
        if self.nopass {
            return true;
        }
        let hashed = sha256::digest(password);
        // Compare every byte of every hash, as Redis does, so timing tells nothing.
        self.passwords.iter().fold(false, |ok, h| ok | (h.iter().zip(&hashed).fold(0u8, |d, (a, b)| d | (a ^ b)) == 0))
    }

    /// Whether any selector lets the user use `channel` (for the host's
    /// "kill subscribers that lost access" after a change).
    pub fn may_use_channel(&self, channel: &[u8], is_pattern: bool) -> bool {
        self.selectors.iter().any(|s| s.channel_allowed(channel, is_pattern))
    }
}

/// Parses a 64-character lower-case hex hash, as `#<hash>` rules carry them.
pub fn parse_hash(hex: &str) -> Option<[u8; 32]> {
    if hex.len() != 64 || !hex.bytes().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)) {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}
