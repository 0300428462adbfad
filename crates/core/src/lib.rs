//! ferrokv's engine: everything a Redis-compatible server does with bytes,
//! in pure Rust with no knowledge of Node. The TypeScript server owns the
//! sockets and calls [`Engine::feed`] once per read.
//!
//! A tour:
//! - [`resp`]: the request parser (resumable, Redis's error strings) and the
//!   reply writer (RESP2 or RESP3 from the same calls).
//! - [`command`]: the command table — one [`command::CommandSpec`] per command
//!   drives dispatch, arity errors, ACL categories and COMMAND.
//! - [`commands`]: the command families (strings, keys, server …), each a
//!   module declaring its commands beside their handlers.
//! - [`keyspace`]: databases, the hash table with SCAN cursors, expiry.
//! - [`types`]: value types and their encodings.
//! - [`scripting`]: Lua 5.1 for EVAL and FUNCTION, as Redis runs it.
//! - [`engine`]: connections, the feed loop, periodic work.
//! - [`acl`]: the compiled per-connection permission check (the ACL model
//!   itself is in TypeScript).
//! - [`eviction`]: maxmemory and its policies.
//! - [`diagnostics`]: the slow log and the latency monitor.
//! - [`clock`]: the one time source, which tests freeze and advance.
//! - [`persistence`]: Redis's RDB format, SAVE/BGSAVE, loading, DUMP/RESTORE.

pub mod acl;
pub mod blocking;
pub mod client;
pub mod clock;
pub mod command;
pub mod commands;
pub mod config;
pub mod diagnostics;
pub mod engine;
pub mod eviction;
pub mod idle;
pub mod keyspace;
pub mod metrics;
pub mod notify;
pub mod pause;
pub mod persistence;
pub mod pubsub;
pub mod resp;
pub mod scripting;
#[doc(hidden)]
pub mod testing;
pub mod tracking;
pub mod transaction;
pub mod types;
pub mod util;

pub use client::ConnInfo;
pub use engine::{status, Engine, EngineOptions};
