//! Hashes. Written as a listpack (type 16) while the hash is one, as
//! field/value pairs (type 4) otherwise. Read also from a zipmap (9) or a
//! ziplist (13). A field seen twice makes the file corrupt, as in Redis.

use super::{bad, container, Codec, LoadCtx, SaveCtx};
use crate::persistence::rdb::encoding::{put_len, put_string, Source};
use crate::persistence::rdb::{kind, listpack, ziplist, RdbError, RdbResult};
use crate::types::hash::Limits;
use crate::types::{Hash, Value};

pub const CODEC: Codec =
    Codec { name: "hash", kinds: &[kind::HASH, kind::HASH_ZIPMAP, kind::HASH_ZIPLIST, kind::HASH_LISTPACK], load };

pub fn save(out: &mut Vec<u8>, hash: &Hash, ctx: &SaveCtx) -> u8 {
    if hash.is_listpack() {
        let mut lp = listpack::Builder::new();
        for (f, v) in hash.iter() {
            lp.push(f);
            lp.push(v);
        }
        put_string(out, &lp.finish(), ctx.compress);
        kind::HASH_LISTPACK
    } else {
        put_len(out, hash.len() as u64);
        for (f, v) in hash.iter() {
            put_string(out, f, ctx.compress);
            put_string(out, v, ctx.compress);
        }
        kind::HASH
    }
}

fn load(kind: u8, src: &mut Source, ctx: &LoadCtx) -> RdbResult<Option<Value>> {
    let start = src.pos;
    let flat: Vec<Vec<u8>> = match kind {
        kind::HASH => {
            let n = src.count(2)?;
            let mut v = Vec::with_capacity(n * 2);
            for _ in 0..n * 2 {
                v.push(src.string()?.into_owned());
            }
            v
        }
        kind::HASH_ZIPMAP => {
            let (at, zm) = container(src)?;
            let pairs = ziplist::zipmap_pairs(&zm).map_err(|r| bad(at, "hash zipmap", r))?;
            pairs.into_iter().flat_map(|(f, v)| [f.to_vec(), v.to_vec()]).collect()
        }
        _ => {
            let (at, packed) = container(src)?;
            let entries = if kind == kind::HASH_ZIPLIST {
                ziplist::entries(&packed).map_err(|r| bad(at, "hash ziplist", r))?
            } else {
                listpack::entries(&packed).map_err(|r| bad(at, "hash listpack", r))?
            };
            if entries.len() % 2 != 0 {
                return Err(RdbError::at(at, "hash with a field missing its value"));
            }
            entries.into_iter().map(|e| e.into_vec()).collect()
        }
    };
    if flat.is_empty() {
        return Ok(None);
    }
    let pairs: Vec<&[u8]> = flat.iter().map(Vec::as_slice).collect();
    let mut hash = Hash::default();
    let added = hash.set_pairs(&pairs, Limits::from(ctx.limits));
    if added != pairs.len() / 2 {
        return Err(RdbError::at(start, "duplicate hash fields detected"));
    }
    Ok(Some(Value::Hash(hash)))
}
