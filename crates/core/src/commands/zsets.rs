//! PLACEHOLDER: the sorted set commands are being written.

use crate::command::CommandSpec;

pub const COMMANDS: &[CommandSpec] = &[];
