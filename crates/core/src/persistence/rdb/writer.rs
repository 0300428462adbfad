//! Writes a whole RDB file: the `REDIS0010` header, aux fields, each
//! non-empty database (SELECTDB, RESIZEDB, then per key its deadline,
//! idle time or frequency, type, name and value), EOF and the CRC-64.

use std::io::{self, Write};

use super::encoding::{put_len, put_string};
use super::types::{save_value, SaveCtx};
use super::{opcode, WRITE_VERSION};
use crate::keyspace::db::access::{self, Tracking};
use crate::keyspace::Table;
use crate::persistence::crc64;
use crate::types::Value;

/// Buffered bytes are handed to the file past this size.
const FLUSH_AT: usize = 1 << 16;

/// What a file records besides the data.
#[derive(Clone, Debug)]
pub struct SaveOptions {
    /// `rdbcompression`.
    pub compress: bool,
    /// `rdbchecksum`: without it the trailer is eight zero bytes.
    pub checksum: bool,
    /// Save each key's idle time (LRU policies) or frequency (LFU), as Redis
    /// does under those `maxmemory-policy` values; `None` saves neither.
    pub access: Option<Tracking>,
    pub list_fill: i64,
    /// Unix ms the snapshot stands for (ctime, idle times).
    pub now_ms: i64,
    pub used_mem: u64,
    pub redis_version: &'static str,
    /// The file is the base of an AOF (`aof-use-rdb-preamble`): its
    /// `aof-base` aux field says so.
    pub aof_base: bool,
}

/// One database as the writer sees it.
pub struct DbRef<'a> {
    pub index: usize,
    pub keys: &'a Table<Value>,
    pub expires: &'a Table<i64>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SaveSummary {
    pub keys: u64,
    pub bytes: u64,
}

/// Streams into `sink`, checksumming every byte that passes.
struct Out<W: Write> {
    sink: W,
    buf: Vec<u8>,
    crc: u64,
    written: u64,
}

impl<W: Write> Out<W> {
    fn flush(&mut self) -> io::Result<()> {
        self.crc = crc64::update(self.crc, &self.buf);
        self.written += self.buf.len() as u64;
        self.sink.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }

    fn maybe_flush(&mut self) -> io::Result<()> {
        if self.buf.len() >= FLUSH_AT {
            self.flush()?;
        }
        Ok(())
    }
}

fn aux(out: &mut Vec<u8>, name: &str, value: &[u8]) {
    out.push(opcode::AUX);
    put_string(out, name.as_bytes(), false);
    put_string(out, value, false);
}

/// Writes the whole file to `sink`; `on_key` hears how many keys are
/// written so far (progress for INFO) and stops the save by returning
/// false. Returns what was written.
pub fn write<W: Write>(
    sink: W,
    dbs: &[DbRef],
    opts: &SaveOptions,
    mut on_key: impl FnMut(u64) -> bool,
) -> io::Result<SaveSummary> {
    let mut out = Out { sink, buf: Vec::with_capacity(FLUSH_AT * 2), crc: 0, written: 0 };
    out.buf.extend_from_slice(format!("REDIS{WRITE_VERSION:04}").as_bytes());
    aux(&mut out.buf, "redis-ver", opts.redis_version.as_bytes());
    aux(&mut out.buf, "redis-bits", b"64");
    aux(&mut out.buf, "ctime", (opts.now_ms / 1000).to_string().as_bytes());
    aux(&mut out.buf, "used-mem", opts.used_mem.to_string().as_bytes());
    aux(&mut out.buf, "aof-base", if opts.aof_base { b"1" } else { b"0" });
    let ctx = SaveCtx { compress: opts.compress, list_fill: opts.list_fill };
    let mut keys = 0u64;
    for db in dbs {
        if db.keys.is_empty() {
            continue;
        }
        out.buf.push(opcode::SELECTDB);
        put_len(&mut out.buf, db.index as u64);
        out.buf.push(opcode::RESIZEDB);
        put_len(&mut out.buf, db.keys.len() as u64);
        put_len(&mut out.buf, db.expires.len() as u64);
        for (key, value) in db.keys.iter() {
            if !db.expires.is_empty() {
                if let Some(at) = db.expires.get(key) {
                    out.buf.push(opcode::EXPIRETIME_MS);
                    out.buf.extend_from_slice(&at.to_le_bytes());
                }
            }
            match opts.access {
                Some(Tracking::Lru) => {
                    let meta = db.keys.meta(key).unwrap_or(0);
                    out.buf.push(opcode::IDLE);
                    put_len(&mut out.buf, access::idle_ms(meta, opts.now_ms) / 1000);
                }
                Some(Tracking::Lfu { decay_minutes, .. }) => {
                    let meta = db.keys.meta(key).unwrap_or(0);
                    out.buf.push(opcode::FREQ);
                    out.buf.push(access::lfu_count(meta, opts.now_ms, decay_minutes) as u8);
                }
                None => {}
            }
            save_value(&mut out.buf, Some(key), value, &ctx).map_err(|u| {
                io::Error::other(format!(
                    "key '{}' holds a {} value, which has no RDB encoding yet",
                    String::from_utf8_lossy(key),
                    u.0
                ))
            })?;
            keys += 1;
            if keys.is_multiple_of(1024) && !on_key(keys) {
                return Err(io::Error::new(io::ErrorKind::Interrupted, "save cancelled"));
            }
            out.maybe_flush()?;
        }
    }
    out.buf.push(opcode::EOF);
    out.flush()?;
    let crc = if opts.checksum { out.crc } else { 0 };
    out.sink.write_all(&crc.to_le_bytes())?;
    out.sink.flush()?;
    let _ = on_key(keys);
    Ok(SaveSummary { keys, bytes: out.written + 8 })
}
