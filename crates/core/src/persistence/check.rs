//! `ferrokv check-rdb FILE`: reads a file as the server would and says
//! what is in it or what is wrong, like redis-check-rdb.

use super::rdb::reader::{self, LoadOptions};
use crate::config::EncodingLimits;
use crate::keyspace::db::Tracking;

/// The report's lines, and whether the file is sound.
pub struct Report {
    pub ok: bool,
    pub lines: Vec<String>,
}

/// Checks `bytes` (the file `name`); keys are counted whatever their
/// deadline, and any number of databases is accepted.
pub fn check(name: &str, bytes: &[u8]) -> Report {
    let mut lines = vec![format!("[offset 0] Checking RDB file {name}")];
    let opts = LoadOptions {
        databases: 4096,
        limits: EncodingLimits::default(),
        now_ms: 0,
        tracking: Tracking::Lru,
        verify_checksum: true,
        drop_expired: false,
    };
    if bytes.len() >= 9 && bytes.starts_with(b"REDIS") {
        lines.push(format!("[offset 0] RDB version {}", String::from_utf8_lossy(&bytes[5..9])));
    }
    match reader::load(bytes, &opts, None) {
        Ok(loaded) => {
            for (k, v) in &loaded.aux {
                lines.push(format!("[offset 0] AUX FIELD {k} = '{v}'"));
            }
            for w in &loaded.warnings {
                lines.push(format!("[offset 0] warning: {w}"));
            }
            for (i, db) in loaded.dbs.iter().enumerate().filter(|(_, db)| !db.is_empty()) {
                lines.push(format!("[offset 0] DB {i}: {} keys ({} with an expire)", db.len(), db.expires_len()));
            }
            lines.push(format!("[offset {}] Checksum OK", bytes.len()));
            lines.push(format!("[offset {}] \\o/ RDB looks OK! \\o/", bytes.len()));
            lines.push(format!("[info] {} keys read", loaded.keys_loaded));
            lines.push(format!("[info] {} expires", loaded.keys_with_expiry));
            for (name, n) in &loaded.types.0 {
                lines.push(format!("[info] {n} {name} keys"));
            }
            if loaded.checksum.is_none() && loaded.version >= 5 {
                lines.push("[info] the file was saved without a checksum: none verified".into());
            }
            Report { ok: true, lines }
        }
        Err(e) => {
            lines.push("--- RDB ERROR DETECTED ---".into());
            lines.push(format!("[offset {}] {}", e.offset, e.reason));
            Report { ok: false, lines }
        }
    }
}
