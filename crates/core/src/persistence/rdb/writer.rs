//! Writes a whole RDB file: the `REDIS0010` header, aux fields, each
//! non-empty database (SELECTDB, RESIZEDB, then per key its deadline,
//! idle time or frequency, type, name and value), EOF and the CRC-64.

use std::io::{self, Write};

use super::encoding::{put_len, put_string};
use super::types::{save_value, SaveCtx};
use super::{opcode, WRITE_VERSION};
use crate::keyspace::db::access::{self, Tracking};
use crate::keyspace::{Db, Table};
use crate::persistence::crc64;
use crate::persistence::snapshot::{self, Sizes};
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

impl<'a> DbRef<'a> {
    /// Every database of `dbs`, numbered by position.
    pub fn all(dbs: &'a [Db]) -> Vec<Self> {
        dbs.iter().enumerate().map(|(index, db)| DbRef { index, keys: db.keys(), expires: db.expires() }).collect()
    }
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

/// Writes a file entry by entry: the header and aux fields when created,
/// a SELECTDB whenever the database changes (with a RESIZEDB hint the first
/// time, if the sizes are known), EOF and the checksum on `finish`. Entries
/// of different databases may come interleaved, as a capture sends them;
/// Redis's loader takes SELECTDB anywhere.
pub struct RdbWriter<W: Write> {
    out: Out<W>,
    ctx: SaveCtx,
    access: Option<Tracking>,
    now_ms: i64,
    checksum: bool,
    /// Keys and deadlines of each database when the snapshot began.
    sizes: Sizes,
    selected: Option<usize>,
    keys: u64,
}

impl<W: Write> RdbWriter<W> {
    pub fn new(sink: W, opts: &SaveOptions, sizes: Sizes) -> Self {
        let mut out = Out { sink, buf: Vec::with_capacity(FLUSH_AT * 2), crc: 0, written: 0 };
        out.buf.extend_from_slice(format!("REDIS{WRITE_VERSION:04}").as_bytes());
        aux(&mut out.buf, "redis-ver", opts.redis_version.as_bytes());
        aux(&mut out.buf, "redis-bits", b"64");
        aux(&mut out.buf, "ctime", (opts.now_ms / 1000).to_string().as_bytes());
        aux(&mut out.buf, "used-mem", opts.used_mem.to_string().as_bytes());
        aux(&mut out.buf, "aof-base", if opts.aof_base { b"1" } else { b"0" });
        RdbWriter {
            out,
            ctx: SaveCtx { compress: opts.compress, list_fill: opts.list_fill },
            access: opts.access,
            now_ms: opts.now_ms,
            checksum: opts.checksum,
            sizes,
            selected: None,
            keys: 0,
        }
    }

    fn select(&mut self, db: usize) {
        let buf = &mut self.out.buf;
        buf.push(opcode::SELECTDB);
        put_len(buf, db as u64);
        if let Some(at) = self.sizes.iter().position(|&(index, ..)| index == db) {
            // The hint, once: the loader reserves room for the whole database.
            let (_, keys, expires) = self.sizes.swap_remove(at);
            buf.push(opcode::RESIZEDB);
            put_len(buf, keys);
            put_len(buf, expires);
        }
        self.selected = Some(db);
    }

    pub fn entry(&mut self, db: usize, key: &[u8], value: &Value, expire_at: Option<i64>, meta: u32) -> io::Result<()> {
        if self.selected != Some(db) {
            self.select(db);
        }
        let buf = &mut self.out.buf;
        if let Some(at) = expire_at {
            buf.push(opcode::EXPIRETIME_MS);
            buf.extend_from_slice(&at.to_le_bytes());
        }
        match self.access {
            Some(Tracking::Lru) => {
                buf.push(opcode::IDLE);
                put_len(buf, access::idle_ms(meta, self.now_ms) / 1000);
            }
            Some(Tracking::Lfu { decay_minutes, .. }) => {
                buf.push(opcode::FREQ);
                buf.push(access::lfu_count(meta, self.now_ms, decay_minutes) as u8);
            }
            None => {}
        }
        save_value(buf, Some(key), value, &self.ctx).map_err(|u| {
            io::Error::other(format!(
                "key '{}' holds a {} value, which has no RDB encoding yet",
                String::from_utf8_lossy(key),
                u.0
            ))
        })?;
        self.keys += 1;
        self.out.maybe_flush()
    }

    /// Ends the file: EOF, the checksum, and a flush of the sink.
    pub fn finish(mut self) -> io::Result<SaveSummary> {
        self.out.buf.push(opcode::EOF);
        self.out.flush()?;
        let crc = if self.checksum { self.out.crc } else { 0 };
        self.out.sink.write_all(&crc.to_le_bytes())?;
        self.out.sink.flush()?;
        Ok(SaveSummary { keys: self.keys, bytes: self.out.written + 8 })
    }
}

/// Writes the whole file to `sink` from the tables as they are (SAVE: the
/// server waits). Returns what was written.
pub fn write<W: Write>(sink: W, dbs: &[DbRef], opts: &SaveOptions) -> io::Result<SaveSummary> {
    let mut w = RdbWriter::new(sink, opts, snapshot::sizes(dbs));
    snapshot::feed_tables(dbs, &mut w)?;
    w.finish()
}
