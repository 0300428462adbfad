//! The ACL container's declarations. Every subcommand runs on the host
//! (ts/acl/commands.ts), which owns the users and the log.

use crate::command::spec::flags::*;
use crate::command::spec::{CommandSpec, Exec, Group};

const ACL: CommandSpec = CommandSpec { group: Group::Server, since: "6.0.0", exec: Exec::Host, ..CommandSpec::BASE };
const ADMIN_SUB: u32 = ADMIN | NOSCRIPT | LOADING | STALE;

const SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "acl|cat",
        arity: -2,
        flags: NOSCRIPT | LOADING | STALE,
        summary: "Lists the ACL categories, or the commands inside a category.",
        complexity: "O(1) since the categories and commands are a fixed set.",
        ..ACL
    },
    CommandSpec {
        name: "acl|deluser",
        arity: -3,
        flags: ADMIN_SUB,
        summary: "Deletes ACL users, and terminates their connections.",
        complexity: "O(1) amortized time considering the typical user.",
        ..ACL
    },
    CommandSpec {
        name: "acl|dryrun",
        arity: -4,
        flags: ADMIN_SUB,
        since: "7.0.0",
        summary: "Simulates the execution of a command by a user, without executing the command.",
        complexity: "O(1).",
        ..ACL
    },
    CommandSpec {
        name: "acl|genpass",
        arity: -2,
        flags: NOSCRIPT | LOADING | STALE,
        summary: "Generates a pseudorandom, secure password that can be used to identify ACL users.",
        ..ACL
    },
    CommandSpec {
        name: "acl|getuser",
        arity: 3,
        flags: ADMIN_SUB,
        summary: "Lists the ACL rules of a user.",
        complexity: "O(N). Where N is the number of password, command and pattern rules that the user has.",
        ..ACL
    },
    CommandSpec {
        name: "acl|help",
        arity: 2,
        flags: LOADING | STALE,
        summary: "Returns helpful text about the different subcommands.",
        ..ACL
    },
    CommandSpec {
        name: "acl|list",
        arity: 2,
        flags: ADMIN_SUB,
        summary: "Dumps the effective rules in ACL file format.",
        complexity: "O(N). Where N is the number of configured users.",
        ..ACL
    },
    CommandSpec {
        name: "acl|load",
        arity: 2,
        flags: ADMIN_SUB,
        summary: "Reloads the rules from the configured ACL file.",
        complexity: "O(N). Where N is the number of configured users.",
        ..ACL
    },
    CommandSpec {
        name: "acl|log",
        arity: -2,
        flags: ADMIN_SUB,
        summary: "Lists recent security events generated due to ACL rules.",
        complexity: "O(N) with N being the number of entries shown.",
        ..ACL
    },
    CommandSpec {
        name: "acl|save",
        arity: 2,
        flags: ADMIN_SUB,
        summary: "Saves the effective ACL rules in the configured ACL file.",
        complexity: "O(N). Where N is the number of configured users.",
        ..ACL
    },
    CommandSpec {
        name: "acl|setuser",
        arity: -3,
        flags: ADMIN_SUB,
        summary: "Creates and modifies an ACL user and its rules.",
        complexity: "O(N). Where N is the number of rules provided.",
        ..ACL
    },
    CommandSpec {
        name: "acl|users",
        arity: 2,
        flags: ADMIN_SUB,
        summary: "Lists all ACL users.",
        complexity: "O(N). Where N is the number of configured users.",
        ..ACL
    },
    CommandSpec {
        name: "acl|whoami",
        arity: 2,
        flags: NOSCRIPT | LOADING | STALE,
        summary: "Returns the authenticated username of the current connection.",
        ..ACL
    },
];

pub const COMMANDS: &[CommandSpec] = &[CommandSpec {
    name: "acl",
    arity: -2,
    summary: "A container for Access List Control commands.",
    complexity: "Depends on subcommand.",
    exec: Exec::Container,
    subcommands: SUBCOMMANDS,
    ..ACL
}];
