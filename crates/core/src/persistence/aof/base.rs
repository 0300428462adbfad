//! Writing a base file: an RDB snapshot (`aof-use-rdb-preamble yes`, named
//! `.base.rdb`) or, with the preamble off, commands (`.base.aof`): SELECT
//! per database, then one `RESTORE key deadline payload ABSTTL` per key.
//! RESTORE carries every type through the one RDB value encoder, so a new
//! type needs nothing here; Redis 7 loads such a file as it is.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use super::super::propagate::encode;
use crate::persistence::dump;
use crate::persistence::rdb::types::SaveCtx;
use crate::persistence::rdb::writer::{self, DbRef, SaveOptions};

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

fn write_commands<W: Write>(sink: W, dbs: &[DbRef], ctx: &SaveCtx) -> io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 16, sink);
    let mut buf = Vec::new();
    for db in dbs.iter().filter(|d| !d.keys.is_empty()) {
        let index = db.index.to_string();
        encode(&mut buf, &[b"SELECT", index.as_bytes()]);
        for (key, value) in db.keys.iter() {
            let payload = dump::dump(value, ctx)
                .map_err(|u| io::Error::other(format!("cannot write {} values as commands", u.0)))?;
            match db.expires.get(key) {
                Some(at) => {
                    let at = at.to_string();
                    encode(&mut buf, &[b"RESTORE", key, at.as_bytes(), &payload, b"ABSTTL"]);
                }
                None => encode(&mut buf, &[b"RESTORE", key, b"0", &payload]),
            }
            if buf.len() >= 1 << 16 {
                out.write_all(&buf)?;
                buf.clear();
            }
        }
    }
    out.write_all(&buf)?;
    out.flush()
}

/// Writes the base to `path` and syncs it; returns its size.
pub fn write(path: &Path, dbs: &[DbRef], form: &Form) -> io::Result<u64> {
    let file = File::create(path)?;
    match form {
        Form::Rdb(opts) => {
            writer::write(&file, dbs, opts, |_| true)?;
        }
        Form::Commands(ctx) => write_commands(&file, dbs, ctx)?,
    }
    file.sync_all()?;
    Ok(file.metadata()?.len())
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
