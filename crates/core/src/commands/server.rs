//! PLACEHOLDER: the server family is being written.

use crate::command::CommandSpec;

pub const COMMANDS: &[CommandSpec] = &[];
