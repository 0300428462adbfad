//! PLACEHOLDER: the list commands are being written.

use crate::command::CommandSpec;

pub const COMMANDS: &[CommandSpec] = &[];
