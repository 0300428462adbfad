//! AOF calls: the startup load, the per-turn flush (and, under
//! `appendfsync always`, the one sync the turn's replies wait for), the
//! shutdown flush, and `ferrokv check-aof`.

use napi_derive::napi;

use crate::NativeEngine;

#[napi(object)]
pub struct AofCheckReport {
    pub ok: bool,
    /// The file ends in a torn command that `--fix` would cut.
    pub truncated: bool,
    pub lines: Vec<String>,
}

#[napi]
impl NativeEngine {
    /// With `appendonly yes`: loads the AOF (if any) and opens it for
    /// appending, creating it when missing. Returns the error that must stop
    /// the startup, if any; `loaded` tells whether an AOF was found.
    #[napi]
    pub fn aof_startup(&mut self) -> Option<String> {
        use ferrokv_core::persistence::aof;
        if self.engine.server.persistence.aof.wanted {
            if let Err(e) = aof::load::load(&mut self.engine) {
                return Some(e);
            }
        }
        let now = self.engine.server.clock.now_ms();
        aof::open_at_startup(&mut self.engine.server, now).err()
    }

    /// Whether AOF is wanted (`appendonly yes`): startup loads it instead of the RDB file.
    #[napi]
    pub fn aof_wanted(&self) -> bool {
        self.engine.server.persistence.aof.wanted
    }

    /// Writes this turn's commands (and with `always` fdatasyncs them once).
    /// Returns the error, if writing failed.
    #[napi]
    pub fn aof_flush(&mut self) -> Option<String> {
        self.engine.server.persistence.aof.flush().err()
    }

    /// Before exiting: writes and syncs everything, stops a rewrite.
    #[napi]
    pub fn aof_shutdown(&mut self) -> Option<String> {
        ferrokv_core::persistence::aof::shutdown(&mut self.engine.server).err()
    }
}

/// `ferrokv check-aof [--fix] FILE`: a manifest or a single AOF file.
#[napi]
pub fn check_aof(path: String, fix: bool) -> AofCheckReport {
    let report = ferrokv_core::persistence::aof::check::check_path(std::path::Path::new(&path), fix);
    AofCheckReport { ok: report.ok, truncated: report.truncated, lines: report.lines }
}
