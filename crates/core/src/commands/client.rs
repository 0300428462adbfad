//! PLACEHOLDER: the client family is being written.

use crate::command::CommandSpec;

pub const COMMANDS: &[CommandSpec] = &[];
