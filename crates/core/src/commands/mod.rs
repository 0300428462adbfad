//! Command families, one module each; every family declares its commands in
//! one `COMMANDS` block next to their handlers.

use crate::command::CommandSpec;

pub mod client;
pub mod connection;
pub mod databases;
pub mod hashes;
pub mod keys;
pub mod lists;
pub mod scripting;
pub mod server;
pub mod sets;
pub mod sort;
pub mod strings;
pub mod zsets;

/// The version clients see (HELLO, INFO): Redis 7.2 semantics.
pub const REDIS_VERSION: &str = "7.2.4";

/// Every family's declarations, for the command table.
pub fn all() -> impl Iterator<Item = &'static CommandSpec> {
    let families: [&'static [CommandSpec]; 12] = [
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
        scripting::COMMANDS,
    ];
    families.into_iter().flatten()
}
