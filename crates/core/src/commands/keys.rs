//! PLACEHOLDER: the keys family is being written.

use crate::command::CommandSpec;

pub const COMMANDS: &[CommandSpec] = &[];
