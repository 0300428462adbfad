//! The COMMAND family: everything here is read from the command table, so
//! a declared command shows up in COMMAND INFO/DOCS/LIST with no extra work.

use crate::command::args::is;
use crate::command::errors::{self, CmdError, CmdResult};
use crate::command::spec::{flags, AclCategory, CommandSpec};
use crate::command::table::subcommand;
use crate::engine::Ctx;
use crate::resp::writer::Reply;
use crate::util::glob::glob_match;

use super::reply_help;

/// COMMAND [subcommand [argument ...]]
///
/// The engine dispatches only `Exec::Container` commands to subcommands,
/// and a bare COMMAND must run, so the parent dispatches its own.
pub(super) fn command(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    // With a subcommand the engine dispatches to it; this is the bare form.
    let all = sorted_commands(ctx);
    ctx.out.array_len(all.len());
    for spec in all {
        command_info_reply(ctx.out, spec);
    }
    Ok(())
}

/// COMMAND COUNT
pub(super) fn count(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    ctx.out.int(ctx.server.commands.len() as i64);
    Ok(())
}

/// COMMAND INFO [command-name [command-name ...]]
pub(super) fn info(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if argv.len() == 2 {
        let all = sorted_commands(ctx);
        ctx.out.array_len(all.len());
        for spec in all {
            command_info_reply(ctx.out, spec);
        }
        return Ok(());
    }
    ctx.out.array_len(argv.len() - 2);
    for name in &argv[2..] {
        match lookup_full_name(ctx, name) {
            Some(spec) => command_info_reply(ctx.out, spec),
            None => ctx.out.null(),
        }
    }
    Ok(())
}

/// COMMAND DOCS [command-name [command-name ...]]
pub(super) fn docs(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let found: Vec<&'static CommandSpec> = if argv.len() == 2 {
        sorted_commands(ctx)
    } else {
        // Unknown names are left out of the map.
        argv[2..].iter().filter_map(|name| lookup_full_name(ctx, name)).collect()
    };
    ctx.out.map_len(found.len());
    for spec in found {
        ctx.out.bulk_str(spec.name);
        command_docs_reply(ctx.out, spec);
    }
    Ok(())
}

/// COMMAND GETKEYS command [arg [arg ...]]
pub(super) fn getkeys(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let (_, keys) = keys_of(ctx, &argv[2..])?;
    ctx.out.array_len(keys.len());
    for i in keys {
        ctx.out.bulk(argv[2 + i]);
    }
    Ok(())
}

/// COMMAND GETKEYSANDFLAGS command [arg [arg ...]]
pub(super) fn getkeysandflags(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let (spec, keys) = keys_of(ctx, &argv[2..])?;
    let key_flags = key_spec_flags(spec);
    ctx.out.array_len(keys.len());
    for i in keys {
        ctx.out.array_len(2);
        ctx.out.bulk(argv[2 + i]);
        ctx.out.set_len(key_flags.len());
        for f in key_flags {
            ctx.out.simple(f);
        }
    }
    Ok(())
}

/// The key positions (in `cmd`, the command name at 0) of a full command,
/// with Redis's errors for each way it can be wrong.
fn keys_of(ctx: &Ctx, cmd: &[&[u8]]) -> Result<(&'static CommandSpec, Vec<usize>), CmdError> {
    let mut spec = ctx.server.commands.get(cmd[0]).ok_or(CmdError::Static("ERR Invalid command specified"))?;
    if !spec.subcommands.is_empty() && cmd.len() >= 2 {
        spec = subcommand(spec, cmd[1]).ok_or(CmdError::Static("ERR Invalid command specified"))?;
    }
    if spec.keys.first <= 0 && !spec.has(flags::MOVABLE_KEYS) {
        return Err(CmdError::Static("ERR The command has no key arguments"));
    }
    if !spec.arity_ok(cmd.len()) {
        return Err(CmdError::Static("ERR Invalid number of arguments specified for command"));
    }
    let argc = cmd.len() as i64;
    let ks = spec.keys;
    let first = ks.first as i64;
    let last = if ks.last < 0 { argc + ks.last as i64 } else { ks.last as i64 };
    if first <= 0 || last >= argc || last < first {
        // Movable-key commands need their own key finder, which the table does not carry yet.
        if spec.has(flags::NO_MANDATORY_KEYS) {
            return Ok((spec, Vec::new()));
        }
        return Err(CmdError::Static("ERR Invalid arguments specified for command"));
    }
    let keys = (first..=last).step_by(ks.step.max(1) as usize).map(|i| i as usize).collect();
    Ok((spec, keys))
}

/// COMMAND LIST [FILTERBY <MODULE module-name | ACLCAT category | PATTERN pattern>]
pub(super) fn list(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    enum Filter<'a> {
        All,
        Module,
        AclCat(Option<u32>),
        Pattern(&'a [u8]),
    }
    let mut filter = Filter::All;
    let mut i = 2;
    while i < argv.len() {
        // FILTERBY must take exactly the two remaining arguments.
        if !(is(argv[i], "filterby") && argv.len() - 1 - i == 2) {
            return Err(errors::SYNTAX);
        }
        let arg = argv[i + 2];
        filter = if is(argv[i + 1], "module") {
            Filter::Module
        } else if is(argv[i + 1], "aclcat") {
            let cat = AclCategory::ALL.iter().find(|c| arg.eq_ignore_ascii_case(c.name().as_bytes()));
            Filter::AclCat(cat.map(|c| c.bit()))
        } else if is(argv[i + 1], "pattern") {
            Filter::Pattern(arg)
        } else {
            return Err(errors::SYNTAX);
        };
        i += 3;
    }
    let mut names = Vec::new();
    for spec in sorted_commands(ctx) {
        for s in std::iter::once(spec).chain(spec.subcommands) {
            let keep = match filter {
                Filter::All => true,
                // No modules: nothing belongs to one.
                Filter::Module | Filter::AclCat(None) => false,
                Filter::AclCat(Some(bit)) => s.acl_categories() & bit != 0,
                Filter::Pattern(p) => glob_match(p, s.name.as_bytes(), true),
            };
            if keep {
                names.push(s.name.as_bytes());
            }
        }
    }
    ctx.out.bulks(names.into_iter());
    Ok(())
}

/// COMMAND HELP
pub(super) fn help(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    const HELP: &[&str] = &[
        "(no subcommand)",
        "    Return details about all Redis commands.",
        "COUNT",
        "    Return the total number of commands in this Redis server.",
        "LIST",
        "    Return a list of all commands in this Redis server.",
        "INFO [<command-name> ...]",
        "    Return details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "DOCS [<command-name> ...]",
        "    Return documentation details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "GETKEYS <full-command>",
        "    Return the keys from a full Redis command.",
        "GETKEYSANDFLAGS <full-command>",
        "    Return the keys and the access flags from a full Redis command.",
    ];
    reply_help(ctx.out, argv[0], HELP);
    Ok(())
}

/// Redis's dict order is arbitrary; sorted output is stable for tests and diffs.
fn sorted_commands(ctx: &Ctx) -> Vec<&'static CommandSpec> {
    let mut all: Vec<_> = ctx.server.commands.iter().collect();
    all.sort_unstable_by_key(|s| s.name);
    all
}

/// A name as COMMAND INFO/DOCS take it: "get" or "client|list".
fn lookup_full_name(ctx: &Ctx, name: &[u8]) -> Option<&'static CommandSpec> {
    let mut parts = name.split(|&c| c == b'|');
    let base = ctx.server.commands.get(parts.next()?)?;
    match (parts.next(), parts.next()) {
        (None, _) => Some(base),
        (Some(sub), None) => subcommand(base, sub),
        _ => None,
    }
}

/// The access flags of the command's keys, in COMMAND INFO's terms. The
/// table carries only legacy key positions, so they follow the command's
/// own flags: writers read-and-write and update, readers read and access.
pub fn key_spec_flags(spec: &CommandSpec) -> &'static [&'static str] {
    if spec.has(flags::WRITE) {
        &["RW", "update"]
    } else if spec.has(flags::READONLY) {
        &["RO", "access"]
    } else {
        &["RO"]
    }
}

/// One command's COMMAND INFO entry: Redis 7's ten elements.
pub fn command_info_reply(out: &mut Reply, spec: &CommandSpec) {
    let ks = spec.keys;
    out.array_len(10);
    out.bulk_str(spec.name);
    out.int(spec.arity as i64);
    // may_replicate is hidden by Redis too.
    let shown = spec.flag_names().filter(|name| *name != "may_replicate");
    out.set_len(shown.clone().count());
    for name in shown {
        out.simple(name);
    }
    out.int(ks.first as i64);
    out.int(ks.last as i64);
    out.int(ks.step as i64);
    let cats = spec.acl_category_names();
    out.set_len(cats.clone().count());
    for c in cats {
        out.simple(&format!("@{c}"));
    }
    // Tips are not declared in the table yet.
    out.set_len(0);
    if ks.first > 0 {
        out.set_len(1);
        out.map_len(3);
        out.bulk_str("flags");
        let kf = key_spec_flags(spec);
        out.set_len(kf.len());
        for f in kf {
            out.simple(f);
        }
        out.bulk_str("begin_search");
        out.map_len(2);
        out.bulk_str("type");
        out.bulk_str("index");
        out.bulk_str("spec");
        out.map_len(1);
        out.bulk_str("index");
        out.int(ks.first as i64);
        out.bulk_str("find_keys");
        out.map_len(2);
        out.bulk_str("type");
        out.bulk_str("range");
        out.bulk_str("spec");
        out.map_len(3);
        out.bulk_str("lastkey");
        // Relative to the first key when counted from the front.
        out.int(if ks.last < 0 { ks.last as i64 } else { (ks.last - ks.first) as i64 });
        out.bulk_str("keystep");
        out.int(ks.step as i64);
        out.bulk_str("limit");
        out.int(0);
    } else {
        out.set_len(0);
    }
    if spec.subcommands.is_empty() {
        out.set_len(0);
    } else {
        out.array_len(spec.subcommands.len());
        for sub in spec.subcommands {
            command_info_reply(out, sub);
        }
    }
}

/// One command's COMMAND DOCS map (summary, since, group, complexity, subcommands).
fn command_docs_reply(out: &mut Reply, spec: &CommandSpec) {
    let fields = [
        ("summary", spec.summary),
        ("since", spec.since),
        ("group", spec.group.name()),
        ("complexity", spec.complexity),
    ];
    // The group is always there; the others only when declared.
    let present = fields.iter().filter(|(k, v)| *k == "group" || !v.is_empty());
    out.map_len(present.clone().count() + usize::from(!spec.subcommands.is_empty()));
    for (k, v) in present {
        out.bulk_str(k);
        out.bulk_str(v);
    }
    if !spec.subcommands.is_empty() {
        out.bulk_str("subcommands");
        out.map_len(spec.subcommands.len());
        for sub in spec.subcommands {
            out.bulk_str(sub.name);
            command_docs_reply(out, sub);
        }
    }
}
