//! Per-connection state. It lives in the core, keyed by the handle the host
//! got from `connect`, so no command needs a call back into JavaScript.

use crate::blocking::BlockedState;
use crate::resp::parser::ParseState;
use crate::resp::writer::Protocol;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ReplyMode {
    #[default]
    On,
    Off,
    /// Suppress the reply of the next command only.
    Skip,
    /// Set by CLIENT REPLY SKIP: becomes `Skip` after the current command.
    SkipNext,
}

/// What the host tells the core about a new connection.
#[derive(Clone, Debug, Default)]
pub struct ConnInfo {
    pub addr: String,
    pub laddr: String,
    pub fd: i64,
}

pub struct Client {
    /// CLIENT ID: unique and increasing for the engine's life.
    pub id: u64,
    pub handle: u32,
    pub info: ConnInfo,
    pub db: usize,
    pub proto: Protocol,
    pub name: Option<Vec<u8>>,
    pub lib_name: Option<Vec<u8>>,
    pub lib_ver: Option<Vec<u8>>,
    pub authenticated: bool,
    pub user: String,
    /// The user's compiled permissions, checked before every command.
    pub acl: std::sync::Arc<crate::acl::User>,
    pub created_ms: i64,
    pub last_interaction_ms: i64,
    /// Full name of the last command run ("client|list").
    pub last_cmd: &'static str,
    pub reply_mode: ReplyMode,
    pub no_evict: bool,
    pub no_touch: bool,
    /// QUIT, a protocol error or CLIENT KILL: close once the output is written.
    pub close_after_reply: bool,
    pub(crate) query: Vec<u8>,
    pub(crate) parse: ParseState,
    /// A host-side command waiting for the host (see `Engine::take_host_command`).
    pub(crate) host_command: Option<Vec<Vec<u8>>>,
    /// Set while the client waits on keys (BLPOP …); its input is buffered.
    pub blocked: Option<BlockedState>,
    /// Held by CLIENT PAUSE: its current command waits in `query` (see [`crate::pause`]).
    pub postponed: bool,
    /// The engine is re-running this client's blocked command.
    pub(crate) reprocessing: bool,
    /// Set by a re-run that found nothing again: the client keeps waiting.
    pub(crate) still_blocked: bool,
    /// Its channel, pattern and shard-channel subscriptions.
    pub subs: crate::pubsub::ClientSubs,
    /// Bytes the host holds unsent for this socket, as it last reported
    /// (CLIENT LIST's omem); the host owns the output buffer.
    pub unsent: u64,
    /// MONITOR: every command the server runs is echoed to it.
    pub monitor: bool,
    /// MULTI state and queued commands.
    pub tx: crate::transaction::Transaction,
    /// CLIENT TRACKING settings.
    pub tracking: crate::tracking::ClientTracking,
    /// Where the arguments of the command read from the client's input
    /// (while it runs) are: a script started by that very command — not
    /// one queued in a transaction — may be paused.
    pub(crate) input_command: usize,
}

impl Client {
    pub fn new(id: u64, handle: u32, info: ConnInfo, now_ms: i64, authenticated: bool) -> Self {
        Client {
            id,
            handle,
            info,
            db: 0,
            proto: Protocol::Resp2,
            name: None,
            lib_name: None,
            lib_ver: None,
            authenticated,
            user: "default".into(),
            acl: std::sync::Arc::new(crate::acl::User::default_user()),
            created_ms: now_ms,
            last_interaction_ms: now_ms,
            last_cmd: "NULL",
            reply_mode: ReplyMode::On,
            no_evict: false,
            no_touch: false,
            close_after_reply: false,
            query: Vec::new(),
            parse: ParseState::default(),
            host_command: None,
            blocked: None,
            postponed: false,
            reprocessing: false,
            still_blocked: false,
            subs: Default::default(),
            unsent: 0,
            monitor: false,
            tx: Default::default(),
            tracking: Default::default(),
            input_command: 0,
        }
    }

    /// Redis's CLIENT_PUBSUB flag: subscribed to anything.
    pub fn in_pubsub(&self) -> bool {
        self.subs.total() > 0
    }

    pub fn query_len(&self) -> usize {
        self.query.len()
    }
}
