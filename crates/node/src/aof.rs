//! AOF calls: the startup load (in slices), the per-turn flush (and, under
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
    /// With `appendonly yes`, starts loading the AOF (if any): a thread
    /// reads and checks every file, then `aofLoadStep` replays them slice by
    /// slice; clients get `-LOADING` meanwhile. Throws the reason the
    /// startup must stop.
    #[napi]
    pub fn aof_load_begin(&mut self) -> napi::Result<()> {
        if self.engine.server.persistence.aof.wanted {
            ferrokv_core::persistence::aof::load::begin(&mut self.engine).map_err(napi::Error::from_reason)?;
        }
        Ok(())
    }

    /// Goes on with the AOF being loaded: `"reading"` while a thread still
    /// reads and checks the files (poll again later), `"replaying"` after
    /// one slice of commands (go on after a turn of the event loop),
    /// `"done"`. Throws the reason the startup must stop.
    #[napi]
    pub fn aof_load_step(&mut self) -> napi::Result<String> {
        use ferrokv_core::persistence::aof::load::{step, Progress};
        let state = match step(&mut self.engine).map_err(napi::Error::from_reason)? {
            Progress::Reading => "reading",
            Progress::More => "replaying",
            Progress::Done { .. } => "done",
        };
        Ok(state.to_string())
    }

    /// Opens the AOF for appending once loaded, creating it when missing.
    /// Returns the error that must stop the startup, if any.
    #[napi]
    pub fn aof_open(&mut self) -> Option<String> {
        let now = self.engine.server.clock.now_ms();
        ferrokv_core::persistence::aof::open_at_startup(&mut self.engine.server, now).err()
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
