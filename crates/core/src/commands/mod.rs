//! Command families, one module each; every family declares its commands in
//! one `COMMANDS` block next to their handlers.

use crate::command::CommandSpec;

pub mod bitmaps;
pub mod client;
pub mod connection;
pub mod databases;
pub mod geo;
pub mod hashes;
pub mod hyperloglog;
pub mod keys;
pub mod lists;
pub mod monitor;
pub mod persistence;
pub mod pubsub;
pub mod scripting;
pub mod server;
pub mod sets;
pub mod sort;
pub mod streams;
pub mod strings;
pub mod transactions;
pub mod zsets;

/// The version clients see (HELLO, INFO): Redis 7.2 semantics.
pub const REDIS_VERSION: &str = "7.2.4";

/// Every family's declarations, for the command table.
pub fn all() -> impl Iterator<Item = &'static CommandSpec> {
    const FAMILIES: &[&[CommandSpec]] = &[
        crate::acl::commands::COMMANDS,
        connection::COMMANDS,
        strings::COMMANDS,
        keys::COMMANDS,
        databases::COMMANDS,
        server::COMMANDS,
        client::COMMANDS,
        lists::COMMANDS,
        hashes::COMMANDS,
        sets::COMMANDS,
        zsets::COMMANDS,
        sort::COMMANDS,
        bitmaps::COMMANDS,
        hyperloglog::COMMANDS,
        geo::COMMANDS,
        streams::COMMANDS,
        pubsub::COMMANDS,
        monitor::COMMANDS,
        persistence::COMMANDS,
        transactions::COMMANDS,
        scripting::COMMANDS,
    ];
    FAMILIES.iter().flat_map(|family| family.iter())
}
