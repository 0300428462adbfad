//! The README's command list, rendered from the command table so it can
//! never drift from what the server declares.

use super::spec::{flags, CommandSpec, Side};
use super::CommandTable;

/// A Markdown section per command group (sorted by group name), each a
/// table of its commands sorted by name, containers followed by their
/// subcommands: command, arity, flags, summary.
pub fn markdown_command_list(table: &CommandTable) -> String {
    let mut specs: Vec<&'static CommandSpec> = table.iter().collect();
    specs.sort_unstable_by_key(|s| (s.group.name(), s.name));
    let mut out = String::from("<!-- generated from the command table by markdown_command_list — do not edit -->\n");
    let mut group = "";
    for spec in specs {
        if spec.group.name() != group {
            group = spec.group.name();
            out.push_str(&format!(
                "\n### {group}\n\n| Command | Arity | Flags | Summary |\n| --- | --- | --- | --- |\n"
            ));
        }
        row(&mut out, spec);
        for sub in spec.subcommands {
            row(&mut out, sub);
        }
    }
    out
}

fn row(out: &mut String, spec: &CommandSpec) {
    let name = spec.name.replace('|', " ").to_ascii_uppercase();
    let mut shown: Vec<&str> = flags::NAMES
        .iter()
        .filter(|(bit, _)| *bit != flags::MAY_REPLICATE && spec.has(*bit))
        .map(|(_, n)| *n)
        .collect();
    if spec.side() == Side::Host {
        // Which side answers is worth knowing when reading the list.
        shown.push("host");
    }
    let summary = spec.summary.replace('|', "\\|");
    out.push_str(&format!("| `{name}` | {} | {} | {summary} |\n", spec.arity, shown.join(", ")));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_command_grouped_and_sorted() {
        let table = CommandTable::new();
        let md = markdown_command_list(&table);
        let rows = md.lines().filter(|l| l.starts_with("| `")).count();
        let expected: usize = table.iter().map(|s| 1 + s.subcommands.len()).sum();
        assert_eq!(rows, expected);
        assert!(md.contains("\n### server\n"));
        assert!(
            md.contains("| `CLIENT KILL` | -3 | admin, noscript, loading, stale | Terminates open connections. |\n")
        );
        assert!(md.contains("| `CONFIG GET` | -3 | admin, noscript, loading, stale, host |"));
        // Groups appear in order, each once.
        let groups: Vec<&str> = md.lines().filter_map(|l| l.strip_prefix("### ")).collect();
        let mut sorted = groups.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(groups, sorted);
        // Within a group, top-level commands are sorted.
        let server: Vec<&str> = md
            .split("### server")
            .nth(1)
            .unwrap()
            .split("###")
            .next()
            .unwrap()
            .lines()
            .filter_map(|l| l.strip_prefix("| `"))
            .map(|l| l.split('`').next().unwrap())
            .filter(|n| !n.contains(' '))
            .collect();
        let mut s2 = server.clone();
        s2.sort_unstable();
        assert_eq!(server, s2);
    }
}
