//! Sets. Written as an intset (type 11) while the set is one, as a plain
//! list of members (type 2) otherwise: Redis 7.0 does not read 7.2's set
//! listpacks (20), so a listpack set is written plainly too. Read from all
//! three. A member seen twice makes the file corrupt, as in Redis.

use super::{bad, container, Codec, LoadCtx, SaveCtx};
use crate::persistence::rdb::encoding::{put_int_string, put_len, put_string, Source};
use crate::persistence::rdb::{intset, kind, listpack, RdbError, RdbResult};
use crate::types::set::{Encoding, Member};
use crate::types::{Set, Value};

pub const CODEC: Codec = Codec { name: "set", kinds: &[kind::SET, kind::SET_INTSET, kind::SET_LISTPACK], load };

pub fn save(out: &mut Vec<u8>, set: &Set, ctx: &SaveCtx) -> u8 {
    if set.kind() == Encoding::IntSet {
        let width = set.intset_width().unwrap_or(8);
        let ints = set.iter().map(|m| m.as_int().expect("an intset holds integers"));
        put_string(out, &intset::encode(ints, width), ctx.compress);
        return kind::SET_INTSET;
    }
    put_len(out, set.len() as u64);
    for m in set.iter() {
        match m {
            Member::Int(n) => put_int_string(out, n),
            Member::Bytes(b) => put_string(out, b, ctx.compress),
        }
    }
    kind::SET
}

fn load(kind: u8, src: &mut Source, ctx: &LoadCtx) -> RdbResult<Option<Value>> {
    let start = src.pos;
    let lim = ctx.limits;
    let duplicate = || Err(RdbError::at(start, "duplicate set members detected"));
    let set = match kind {
        kind::SET_INTSET => {
            let (at, bytes) = container(src)?;
            let ints = intset::decode(&bytes).map_err(|r| bad(at, "intset", r))?;
            let mut set = Set::intset();
            for n in ints {
                set.add(Member::Int(n), lim);
            }
            set
        }
        kind::SET => {
            let n = src.count(1)?;
            let mut members = Vec::with_capacity(n);
            for _ in 0..n {
                members.push(src.string()?.into_owned());
            }
            let Some(first) = members.first() else { return Ok(None) };
            let mut set = Set::create(first, n, lim);
            for m in &members {
                if !set.add(Member::from(m.as_slice()), lim) {
                    return duplicate();
                }
            }
            set
        }
        _ => {
            let (at, lp) = container(src)?;
            let entries = listpack::entries(&lp).map_err(|r| bad(at, "set listpack", r))?;
            let members: Vec<Vec<u8>> = entries.into_iter().map(|e| e.into_vec()).collect();
            let Some(first) = members.first() else { return Ok(None) };
            let mut set = Set::create(first, members.len(), lim);
            for m in &members {
                if !set.add(Member::from(m.as_slice()), lim) {
                    return duplicate();
                }
            }
            set
        }
    };
    Ok((!set.is_empty()).then(|| Value::Set(Box::new(set))))
}
