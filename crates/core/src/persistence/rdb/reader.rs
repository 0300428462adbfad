//! Reads a whole RDB file (versions 1 to 12) into fresh databases.
//!
//! Nothing reaches the server until the whole file has been read, every
//! value validated and the checksum verified: the caller swaps the result
//! in only on success, so a corrupt file never loads partially.

use std::sync::atomic::{AtomicU64, Ordering};

use super::encoding::Source;
use super::types::{load_value, type_name, LoadCtx};
use super::{opcode, RdbError, RdbResult, MAX_READ_VERSION, MIN_READ_VERSION};
use crate::config::EncodingLimits;
use crate::keyspace::db::access::{self, Tracking};
use crate::keyspace::db::Db;
use crate::persistence::crc64;

#[derive(Clone, Debug)]
pub struct LoadOptions {
    pub databases: usize,
    pub limits: EncodingLimits,
    /// Unix ms of the load: keys whose deadline has passed are dropped.
    pub now_ms: i64,
    /// What the databases' access bits hold (IDLE/FREQ opcodes apply to it).
    pub tracking: Tracking,
    /// `rdbchecksum`: verify the trailer (a zero trailer is never checked).
    pub verify_checksum: bool,
    /// Drop keys whose deadline has passed (a master does; check-rdb does not).
    pub drop_expired: bool,
}

/// Per-type key counts, for check-rdb's report.
#[derive(Clone, Debug, Default)]
pub struct TypeCounts(pub Vec<(&'static str, u64)>);

impl TypeCounts {
    fn add(&mut self, name: &'static str) {
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some((_, c)) => *c += 1,
            None => self.0.push((name, 1)),
        }
    }
}

pub struct Loaded {
    pub dbs: Vec<Db>,
    pub version: u16,
    pub aux: Vec<(String, String)>,
    pub keys_loaded: u64,
    pub keys_expired: u64,
    pub keys_with_expiry: u64,
    pub types: TypeCounts,
    /// Things skipped that the operator should hear of (function libraries).
    pub warnings: Vec<String>,
    /// `None` when the file carries no checksum (older than version 5, or saved without one).
    pub checksum: Option<u64>,
    /// Bytes the file took, checksum included: where whatever follows it
    /// begins (an AOF's commands after its RDB preamble).
    pub consumed: usize,
}

/// Loads `bytes`; `progress` follows the read position (INFO's loading fields).
pub fn load(bytes: &[u8], opts: &LoadOptions, progress: Option<&AtomicU64>) -> RdbResult<Loaded> {
    let mut src = Source::new(bytes);
    let magic = src.take(9).map_err(|_| RdbError::at(0, "file too short for an RDB header"))?;
    if &magic[..5] != b"REDIS" {
        return Err(RdbError::at(0, "wrong signature trying to load DB from file"));
    }
    let version = std::str::from_utf8(&magic[5..])
        .ok()
        .and_then(|v| v.parse::<u16>().ok())
        .ok_or_else(|| RdbError::at(5, "unreadable RDB version"))?;
    if !(MIN_READ_VERSION..=MAX_READ_VERSION).contains(&version) {
        return Err(RdbError::at(5, format!("can't handle RDB format version {version}")));
    }
    let mut loaded = Loaded {
        dbs: (0..opts.databases).map(|_| new_db(opts.tracking)).collect(),
        version,
        aux: Vec::new(),
        keys_loaded: 0,
        keys_expired: 0,
        keys_with_expiry: 0,
        types: TypeCounts::default(),
        warnings: Vec::new(),
        checksum: None,
        consumed: 0,
    };
    let ctx = LoadCtx { limits: &opts.limits };
    let mut db = 0usize;
    let mut expire_at: Option<i64> = None;
    let mut idle: Option<u64> = None;
    let mut freq: Option<u8> = None;
    loop {
        let op_at = src.pos;
        let op = src.u8()?;
        match op {
            opcode::EXPIRETIME_MS => expire_at = Some(src.u64_le()? as i64),
            opcode::EXPIRETIME => expire_at = Some(src.u32_le()? as i32 as i64 * 1000),
            opcode::IDLE => idle = Some(src.length()?),
            opcode::FREQ => freq = Some(src.u8()?),
            opcode::SELECTDB => {
                let n = src.length()?;
                if n >= opts.databases as u64 {
                    return Err(RdbError::at(
                        op_at,
                        format!(
                            "the file selects DB {n}, but the server is configured for {} databases",
                            opts.databases
                        ),
                    ));
                }
                db = n as usize;
            }
            opcode::RESIZEDB => {
                // Only a hint: never reserve more than the rest of the file could hold.
                let cap = src.remaining() as u64 / 4;
                let keys = src.length()?.min(cap) as usize;
                let expires = src.length()?.min(cap) as usize;
                loaded.dbs[db].reserve(keys, expires);
            }
            opcode::SLOT_INFO => {
                src.length()?;
                src.length()?;
                src.length()?;
            }
            opcode::AUX => {
                let name = String::from_utf8_lossy(&src.string()?).into_owned();
                let value = String::from_utf8_lossy(&src.string()?).into_owned();
                loaded.aux.push((name, value));
            }
            opcode::FUNCTION2 => {
                src.string()?;
                loaded.warnings.push("skipped a function library: ferrokv has no functions".into());
            }
            opcode::FUNCTION_PRE_GA => return Err(RdbError::at(op_at, "pre-release function format not supported")),
            opcode::MODULE_AUX => {
                return Err(RdbError::at(op_at, "the file contains module AUX data, and no module is loaded"))
            }
            opcode::EOF => break,
            kind => {
                let key_at = src.pos;
                let key = src.string()?;
                let value = load_value(kind, &mut src, &ctx)?;
                let (at, i, f) = (expire_at.take(), idle.take(), freq.take());
                let Some(value) = value else { continue };
                loaded.types.add(type_name(kind).unwrap_or("unknown"));
                if opts.drop_expired && at.is_some_and(|t| t <= opts.now_ms) {
                    loaded.keys_expired += 1;
                    continue;
                }
                let meta = restored_meta(opts.tracking, opts.now_ms, i, f);
                if !loaded.dbs[db].insert_loaded(&key, value, at, meta) {
                    return Err(RdbError::at(
                        key_at,
                        format!("duplicated key '{}' in DB {db}", String::from_utf8_lossy(&key)),
                    ));
                }
                loaded.keys_with_expiry += at.is_some() as u64;
                loaded.keys_loaded += 1;
                if loaded.keys_loaded.is_multiple_of(1024) {
                    if let Some(p) = progress {
                        p.store(src.pos as u64, Ordering::Relaxed);
                    }
                }
            }
        }
    }
    let body_end = src.pos;
    if version >= 5 {
        let stored = src.u64_le().map_err(|_| RdbError::at(body_end, "file ends before its checksum"))?;
        if stored != 0 {
            loaded.checksum = Some(stored);
            if opts.verify_checksum {
                let computed = crc64::crc64(&bytes[..body_end]);
                if computed != stored {
                    return Err(RdbError::at(
                        body_end,
                        format!("wrong RDB checksum expected: ({stored:x}) got: ({computed:x})"),
                    ));
                }
            }
        }
    }
    loaded.consumed = src.pos;
    if let Some(p) = progress {
        p.store(bytes.len() as u64, Ordering::Relaxed);
    }
    Ok(loaded)
}

fn new_db(tracking: Tracking) -> Db {
    let mut db = Db::default();
    db.set_tracking(tracking);
    db
}

/// A loaded key's access bits: the file's idle time under LRU, its
/// frequency under LFU, a fresh stamp otherwise (Redis's `objectSetLRUOrLFU`).
pub fn restored_meta(tracking: Tracking, now_ms: i64, idle_secs: Option<u64>, freq: Option<u8>) -> u32 {
    let fresh = access::fresh(tracking, now_ms);
    match (tracking, idle_secs, freq) {
        (Tracking::Lfu { .. }, _, Some(f)) => (fresh & !0xff) | f as u32,
        (Tracking::Lru, Some(idle), _) => {
            let idle_ms = (idle.min(i64::MAX as u64 / 2000) * 1000) as i64;
            access::lru_clock(now_ms - idle_ms)
        }
        _ => fresh,
    }
}
