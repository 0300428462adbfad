//! Lists. Written as a quicklist of listpacks (type 18, Redis 7.0+), cut
//! into nodes as `list-max-listpack-size` cuts them, with elements of 1 GB
//! or more in "plain" nodes of their own. Read from every form: a linked
//! list of strings (1), one ziplist (10), a quicklist of ziplists (14) or
//! of listpacks and plain nodes (18).

use super::{bad, container, Codec, LoadCtx, SaveCtx};
use crate::persistence::rdb::encoding::{put_len, put_string, Source};
use crate::persistence::rdb::{kind, listpack, ziplist, RdbError, RdbResult};
use crate::types::list::End;
use crate::types::{List, Value};

pub const CODEC: Codec = Codec {
    name: "list",
    kinds: &[kind::LIST, kind::LIST_ZIPLIST, kind::LIST_QUICKLIST, kind::LIST_QUICKLIST_2],
    load,
};

/// Quicklist node containers.
const PLAIN: u64 = 1;
const PACKED: u64 = 2;
/// Elements this large go in a plain node (Redis's `packed_threshold`).
const PLAIN_THRESHOLD: usize = 1 << 30;
/// With a count limit, a node still stops growing at this size.
const SIZE_SAFETY_LIMIT: usize = 8192;

/// Whether a node of `bytes` bytes and `count` entries may take one more
/// element of `elem` bytes under `fill`.
fn node_has_room(fill: i64, bytes: usize, count: usize, elem: usize) -> bool {
    let new_bytes = bytes + elem + 11;
    if fill < 0 {
        let level = (-fill - 1).clamp(0, 4) as u32;
        new_bytes <= 4096 << level
    } else {
        (count as i64) < fill.max(1) && new_bytes <= SIZE_SAFETY_LIMIT
    }
}

pub fn save(out: &mut Vec<u8>, list: &List, ctx: &SaveCtx) -> u8 {
    enum Node {
        Plain(Vec<u8>),
        Packed(Vec<u8>),
    }
    let mut nodes = Vec::new();
    let mut current = listpack::Builder::new();
    for elem in list.iter() {
        if elem.len() >= PLAIN_THRESHOLD {
            if !current.is_empty() {
                nodes.push(Node::Packed(std::mem::take(&mut current).finish()));
            }
            nodes.push(Node::Plain(elem.to_vec()));
            continue;
        }
        if !current.is_empty() && !node_has_room(ctx.list_fill, current.bytes(), current.len(), elem.len()) {
            nodes.push(Node::Packed(std::mem::take(&mut current).finish()));
        }
        current.push(&elem);
    }
    if !current.is_empty() {
        nodes.push(Node::Packed(current.finish()));
    }
    put_len(out, nodes.len() as u64);
    for node in &nodes {
        match node {
            Node::Plain(bytes) => {
                put_len(out, PLAIN);
                put_string(out, bytes, ctx.compress);
            }
            Node::Packed(lp) => {
                put_len(out, PACKED);
                put_string(out, lp, ctx.compress);
            }
        }
    }
    kind::LIST_QUICKLIST_2
}

/// Appends elements as RPUSH would, switching to a quicklist when the
/// configured node size calls for it.
struct Appender<'a> {
    list: List,
    ctx: &'a LoadCtx<'a>,
}

impl Appender<'_> {
    fn push(&mut self, elem: &[u8]) {
        let limits = self.ctx.limits;
        self.list.grow_with_depth(limits.list_max_listpack_size, limits.list_compress_depth, elem.len(), 1);
        self.list.push(End::Right, elem);
    }
}

fn load(kind: u8, src: &mut Source, ctx: &LoadCtx) -> RdbResult<Option<Value>> {
    let mut app = Appender { list: List::new(), ctx };
    match kind {
        kind::LIST => {
            let n = src.count(1)?;
            for _ in 0..n {
                let elem = src.string()?;
                app.push(&elem);
            }
        }
        kind::LIST_ZIPLIST => {
            let (at, zl) = container(src)?;
            for e in ziplist::entries(&zl).map_err(|r| bad(at, "list ziplist", r))? {
                app.push(&e.bytes());
            }
        }
        kind::LIST_QUICKLIST => {
            let n = src.count(1)?;
            for _ in 0..n {
                let (at, zl) = container(src)?;
                for e in ziplist::entries(&zl).map_err(|r| bad(at, "quicklist ziplist node", r))? {
                    app.push(&e.bytes());
                }
            }
        }
        _ => {
            let n = src.count(2)?;
            for _ in 0..n {
                let at = src.pos;
                match src.length()? {
                    PLAIN => {
                        let elem = src.string()?;
                        app.push(&elem);
                    }
                    PACKED => {
                        let (at, lp) = container(src)?;
                        for e in listpack::entries(&lp).map_err(|r| bad(at, "quicklist listpack node", r))? {
                            app.push(&e.bytes());
                        }
                    }
                    other => return Err(RdbError::at(at, format!("quicklist node with unknown container {other}"))),
                }
            }
        }
    }
    Ok((!app.list.is_empty()).then(|| Value::List(Box::new(app.list))))
}
