//! Writing a base file: an RDB snapshot (`aof-use-rdb-preamble yes`, named
//! `.base.rdb`) or, with the preamble off, commands (`.base.aof`): SELECT
//! per database, then one `RESTORE key deadline payload ABSTTL` per key.
//! RESTORE carries every type through the one RDB value encoder, so a new
//! type needs nothing here; Redis 7 loads such a file as it is.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use super::super::propagate::encode;
use crate::keyspace::db::capture::Channel;
use crate::persistence::dump;
use crate::persistence::rdb::types::SaveCtx;
use crate::persistence::rdb::writer::{DbRef, RdbWriter, SaveOptions};
use crate::persistence::snapshot::{self, Sink, Sizes};
use crate::types::Value;

/// How the base holds the data.
pub enum Form {
    Rdb(SaveOptions),
    Commands(SaveCtx),
}

impl Form {
    pub fn extension(&self) -> &'static str {
        match self {
            Form::Rdb(_) => "rdb",
            Form::Commands(_) => "aof",
        }
    }
}

/// The commands form: a SELECT whenever the database changes, then one
/// RESTORE per key.
struct CommandsWriter<W: Write> {
    out: BufWriter<W>,
    buf: Vec<u8>,
    ctx: SaveCtx,
    selected: Option<usize>,
}

impl<W: Write> Sink for CommandsWriter<W> {
    fn entry(&mut self, db: usize, key: &[u8], value: &Value, expire_at: Option<i64>, _meta: u32) -> io::Result<()> {
        if self.selected != Some(db) {
            encode(&mut self.buf, &[b"SELECT", db.to_string().as_bytes()]);
            self.selected = Some(db);
        }
        let payload = dump::dump(value, &self.ctx)
            .map_err(|u| io::Error::other(format!("cannot write {} values as commands", u.0)))?;
        match expire_at {
            Some(at) => {
                let at = at.to_string();
                encode(&mut self.buf, &[b"RESTORE", key, at.as_bytes(), &payload, b"ABSTTL"]);
            }
            None => encode(&mut self.buf, &[b"RESTORE", key, b"0", &payload]),
        }
        if self.buf.len() >= 1 << 16 {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }
}

/// Writes the base to `path` and syncs it; returns its size. `feed` hands
/// every key to the sink; `sizes` are the databases' sizes for the RDB form.
fn write_with(
    path: &Path,
    form: &Form,
    sizes: Sizes,
    feed: impl FnOnce(&mut dyn Sink) -> io::Result<()>,
) -> io::Result<u64> {
    let file = File::create(path)?;
    match form {
        Form::Rdb(opts) => {
            let mut w = RdbWriter::new(&file, opts, sizes);
            feed(&mut w)?;
            w.finish()?;
        }
        Form::Commands(ctx) => {
            let mut w = CommandsWriter {
                out: BufWriter::with_capacity(1 << 16, &file),
                buf: Vec::new(),
                ctx: *ctx,
                selected: None,
            };
            feed(&mut w)?;
            w.out.write_all(&w.buf)?;
            w.out.flush()?;
        }
    }
    file.sync_all()?;
    Ok(file.metadata()?.len())
}

/// Writes the base from the tables as they are (the server waits).
pub fn write(path: &Path, dbs: &[DbRef], form: &Form) -> io::Result<u64> {
    write_with(path, form, snapshot::sizes(dbs), |sink| snapshot::feed_tables(dbs, sink))
}

/// Writes the base from a capture, on the rewrite's thread.
pub fn write_captured(path: &Path, channel: &Channel, sizes: Sizes, form: &Form) -> io::Result<u64> {
    write_with(path, form, sizes, |sink| snapshot::drain(channel, sink, |_| true).map(|_| ()))
}

/// The form `aof-use-rdb-preamble` asks for.
pub fn form_of(server: &crate::engine::Server, now_ms: i64) -> Form {
    if server.persistence.aof.use_rdb_preamble {
        Form::Rdb(SaveOptions { aof_base: true, ..crate::persistence::save::options(server, now_ms) })
    } else {
        Form::Commands(SaveCtx {
            compress: server.persistence.compress,
            list_fill: server.config.encodings.list_max_listpack_size,
        })
    }
}
