//! The report behind `ferrokv check-aof [--fix] FILE`, like
//! redis-check-aof: FILE is a manifest (every file it names is checked) or
//! one AOF file. `--fix` cuts the last file back to its last complete
//! command, as redis-check-aof does after asking.

use std::path::Path;

use super::manifest::Manifest;
use super::scan::{self, Ending};
use crate::persistence::rdb::reader::{self, LoadOptions};

pub struct Report {
    pub ok: bool,
    pub truncated: bool,
    pub lines: Vec<String>,
}

fn rdb_options() -> LoadOptions {
    LoadOptions {
        databases: 4096,
        limits: crate::config::Config::default().encodings,
        now_ms: 0,
        tracking: crate::config::Config::default().tracking(),
        verify_checksum: true,
        drop_expired: false,
    }
}

/// Checks one file; with `fix`, cuts it at its last valid command.
fn check_file(path: &Path, fix: bool, lines: &mut Vec<String>) -> (bool, bool) {
    let name = path.display();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            lines.push(format!("Cannot open file {name}: {e}"));
            return (false, false);
        }
    };
    let from = if bytes.starts_with(b"REDIS") {
        lines.push(format!("The AOF {name} appears to start with an RDB preamble. Checking the RDB preamble..."));
        match reader::load(&bytes, &rdb_options(), None) {
            Ok(loaded) => {
                lines.push("RDB preamble is OK, proceeding with AOF tail...".to_string());
                loaded.consumed
            }
            Err(e) => {
                lines.push(format!("RDB preamble of AOF file is not sane ({e}), aborting."));
                return (false, false);
            }
        }
    } else {
        0
    };
    let s = scan::scan(&bytes, from);
    let diff = bytes.len() - s.valid;
    if let Ending::Corrupt { at, what } = &s.ending {
        lines.push(format!("Bad file format reading the append only file {name} at offset {at}: {what}"));
    }
    lines.push(format!("AOF analyzed: filename={name}, size={}, ok_up_to={}, diff={diff}", bytes.len(), s.valid));
    if diff == 0 {
        lines.push(format!("AOF {name} is valid"));
        return (true, false);
    }
    let truncated = s.ending == Ending::Truncated;
    if !fix {
        lines.push(format!("AOF {name} is not valid. Use the --fix option to try fixing it."));
        return (false, truncated);
    }
    let cut = std::fs::OpenOptions::new().write(true).open(path).and_then(|f| {
        f.set_len(s.valid as u64)?;
        f.sync_all()
    });
    match cut {
        Ok(()) => {
            lines.push(format!("Successfully truncated AOF {name} from {} bytes to {} bytes", bytes.len(), s.valid));
            (true, truncated)
        }
        Err(e) => {
            lines.push(format!("Failed to truncate AOF {name}: {e}"));
            (false, truncated)
        }
    }
}

pub fn check_path(path: &Path, fix: bool) -> Report {
    let mut lines = Vec::new();
    let is_manifest = path.extension().is_some_and(|e| e == "manifest");
    if !is_manifest {
        let (ok, truncated) = check_file(path, fix, &mut lines);
        return Report { ok, truncated, lines };
    }
    lines.push("Start checking Multi Part AOF".to_string());
    let manifest = match std::fs::read_to_string(path).map_err(|e| e.to_string()).and_then(|t| Manifest::parse(&t)) {
        Ok(m) => m,
        Err(e) => {
            lines.push(format!("Invalid AOF manifest file {}: {e}", path.display()));
            return Report { ok: false, truncated: false, lines };
        }
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    let files: Vec<_> = manifest.files().collect();
    let (mut ok, mut truncated) = (true, false);
    for (i, entry) in files.iter().enumerate() {
        let last = i + 1 == files.len();
        // Only the last file may be cut: an earlier one is followed by more.
        let (file_ok, file_truncated) = check_file(&dir.join(&entry.name), fix && last, &mut lines);
        ok &= file_ok;
        truncated |= file_truncated;
    }
    lines.push(if ok { "All AOF files and manifest are valid".into() } else { "AOF is not valid".into() });
    Report { ok, truncated, lines }
}
