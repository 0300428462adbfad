//! The command table: every command is declared once (`CommandSpec`) and
//! dispatch, arity errors, ACL categories and the COMMAND family all read it.

pub mod args;
pub mod docs;
pub mod errors;
pub mod spec;
pub mod table;

pub use args::Args;
pub use errors::{CmdError, CmdResult};
pub use spec::{AclCategory, CommandSpec, Exec, Group, Handler, KeySpec, Side};
pub use table::CommandTable;
