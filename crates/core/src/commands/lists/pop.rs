//! The commands that take elements out: LPOP RPOP LMPOP LMOVE RPOPLPUSH.
//!
//! Their cores are reusable, for the blocking variants (BLPOP BRPOP BLMPOP
//! BLMOVE BRPOPLPUSH) to serve a client the same way once a key has data:
//!
//! - [`pop_from`] pops up to `count` elements from one end of one key.
//! - [`move_element`] pops one element from a source and pushes it onto a
//!   destination.
//!
//! Both do all of Redis's bookkeeping (the key is deleted when emptied, the
//! list may turn back into a listpack, changes are counted as dirty, the
//! destination is signalled ready) and write no reply.

use super::{compress_depth, fill, parse_end, pop_event, push_event, removed_from, write_list};
use crate::command::args;
use crate::command::errors::{self, CmdError, CmdResult};
use crate::engine::Ctx;
use crate::notify::class;
use crate::resp::writer::Reply;
use crate::types::list::End;
use crate::types::{List, Value};

const NUMKEYS: CmdError = CmdError::Static("ERR numkeys should be greater than 0");
const COUNT: CmdError = CmdError::Static("ERR count should be greater than 0");

/// Where popped elements go.
trait Sink {
    /// How many elements are about to come (possibly 0).
    fn begin(&mut self, n: usize);
    fn elem(&mut self, elem: &[u8]);
}

impl Sink for Vec<Vec<u8>> {
    fn begin(&mut self, n: usize) {
        self.reserve_exact(n);
    }

    fn elem(&mut self, elem: &[u8]) {
        self.push(elem.to_vec());
    }
}

/// The replies pops write straight into the reply buffer.
enum Shape<'k> {
    /// LPOP key: one bulk string.
    Single,
    /// LPOP key count: an array.
    Array,
    /// LMPOP: `[key, [elements]]`.
    Keyed(&'k [u8]),
}

struct ReplySink<'r, 'k> {
    out: &'r mut Reply,
    shape: Shape<'k>,
}

impl Sink for ReplySink<'_, '_> {
    fn begin(&mut self, n: usize) {
        match self.shape {
            Shape::Single => {}
            Shape::Array => self.out.array_len(n),
            Shape::Keyed(key) => {
                self.out.array_len(2);
                self.out.bulk(key);
                self.out.array_len(n);
            }
        }
    }

    fn elem(&mut self, elem: &[u8]) {
        self.out.bulk(elem);
    }
}

/// Pops up to `count` elements from the `end` of the list at `key` into
/// `sink`; how many, or None (and `sink` untouched) if there is no list.
/// With `count` 0 an existing list is left as it is and `sink` told 0.
fn pop_into(
    ctx: &mut Ctx,
    key: &[u8],
    end: End,
    count: usize,
    sink: &mut impl Sink,
) -> Result<Option<usize>, CmdError> {
    let fill = fill(ctx);
    let Some(list) = write_list(ctx, key)? else {
        return Ok(None);
    };
    if list.is_empty() && count > 0 {
        return Ok(None);
    }
    let n = count.min(list.len());
    sink.begin(n);
    if n == 0 {
        return Ok(Some(0));
    }
    list.pop_each(end, n, |e| sink.elem(e));
    let empty = list.is_empty();
    if !empty {
        list.shrink(fill);
    }
    if empty {
        ctx.db().remove(key);
    }
    ctx.dirty(n as u64);
    ctx.changed(class::LIST, pop_event(end), key);
    if empty {
        ctx.changed(class::GENERIC, "del", key);
    }
    Ok(Some(n))
}

/// Pops up to `count` elements from the `end` of the list at `key`, in the
/// order they leave (for RIGHT, the last element first). None when there
/// is no list; WRONGTYPE (and nothing changed) when `key` holds another
/// type. The key is deleted once empty, else the list may turn back into a
/// listpack; the pops count as dirty. `count` 0 returns `Some(vec![])` for
/// an existing list without touching it (LPOP key 0). Writes no reply.
///
/// BLPOP/BRPOP serve a client with `count` 1; BLMPOP with its COUNT.
#[allow(dead_code)] // until the blocking commands call it
pub(crate) fn pop_from(ctx: &mut Ctx, key: &[u8], end: End, count: usize) -> Result<Option<Vec<Vec<u8>>>, CmdError> {
    let mut elems = Vec::new();
    Ok(pop_into(ctx, key, end, count, &mut elems)?.map(|_| elems))
}

/// Pops `from` one end of the list at `src` and pushes the element onto
/// the `to` end of the list at `dst` (created if missing; the same key
/// rotates the list), returning the element; None when `src` holds no
/// list. WRONGTYPE, with nothing changed, when either key holds another
/// type (`src` is checked first; a missing `src` is None even when `dst`
/// has the wrong type, as in Redis). Does Redis's bookkeeping: `dst` may
/// convert to a quicklist before the push, `src` is deleted once empty or
/// may convert back to a listpack, one change is counted dirty, and `dst`
/// is signalled ready. Writes no reply.
///
/// BLMOVE and BRPOPLPUSH serve a client with it.
pub(crate) fn move_element(
    ctx: &mut Ctx,
    src: &[u8],
    dst: &[u8],
    from: End,
    to: End,
) -> Result<Option<Vec<u8>>, CmdError> {
    let (fill, depth) = (fill(ctx), compress_depth(ctx));
    match write_list(ctx, src)? {
        Some(list) if !list.is_empty() => {}
        _ => return Ok(None),
    }
    if src != dst {
        // The destination's type is checked before anything moves.
        write_list(ctx, dst)?;
    }
    let list = write_list(ctx, src)?.expect("source list looked up above");
    let elem = list.pop(from).expect("source list is not empty");
    if src == dst {
        list.grow_with_depth(fill, depth, elem.len(), 1);
        list.push(to, &elem);
        list.shrink(fill);
    } else {
        match write_list(ctx, dst)? {
            Some(target) => {
                target.grow_with_depth(fill, depth, elem.len(), 1);
                target.push(to, &elem);
            }
            None => {
                let mut target = List::new();
                target.grow_with_depth(fill, depth, elem.len(), 1);
                target.push(to, &elem);
                ctx.db().set(dst, Value::List(Box::new(target)));
            }
        }
    }
    // Redis announces the push, then the pop, then the emptied source's deletion.
    ctx.changed(class::LIST, push_event(to), dst);
    ctx.changed(class::LIST, pop_event(from), src);
    if src != dst && removed_from(ctx, src) {
        ctx.changed(class::GENERIC, "del", src);
    }
    ctx.dirty(1);
    ctx.signal_ready(dst);
    Ok(Some(elem))
}

/// Pops with the reply written as `shape`; false if there was no list (no reply written).
fn pop_reply(ctx: &mut Ctx, key: &[u8], end: End, count: usize, shape: Shape) -> Result<bool, CmdError> {
    let mut out = std::mem::take(&mut *ctx.out);
    let popped = pop_into(ctx, key, end, count, &mut ReplySink { out: &mut out, shape });
    *ctx.out = out;
    Ok(popped?.is_some())
}

fn end_of(ctx: &Ctx) -> End {
    if ctx.spec.name.starts_with('l') {
        End::Left
    } else {
        End::Right
    }
}

/// LPOP key [count]
/// RPOP key [count]
pub(super) fn pop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if argv.len() > 3 {
        return Err(errors::wrong_arity(ctx.spec.name));
    }
    let end = end_of(ctx);
    let key = argv[1];
    // Any count that is not a non-negative integer gets the same error.
    let count = match argv.get(2) {
        Some(arg) => Some(args::uint(arg, errors::MUST_BE_POSITIVE).map_err(|_| errors::MUST_BE_POSITIVE)?),
        None => None,
    };
    match count {
        None => {
            if !pop_reply(ctx, key, end, 1, Shape::Single)? {
                ctx.out.null();
            }
        }
        Some(n) => {
            let n = usize::try_from(n).unwrap_or(usize::MAX);
            if !pop_reply(ctx, key, end, n, Shape::Array)? {
                ctx.out.null_array();
            }
        }
    }
    Ok(())
}

/// The arguments LMPOP and BLMPOP share: `numkeys key [key ...] LEFT|RIGHT [COUNT count]`.
pub(super) struct MpopArgs<'a> {
    pub keys: &'a [&'a [u8]],
    pub end: End,
    pub count: usize,
}

/// Reads `numkeys key [key ...] LEFT|RIGHT [COUNT count]` (`args` starts at numkeys).
pub(super) fn parse_mpop<'a>(args: &'a [&'a [u8]]) -> Result<MpopArgs<'a>, CmdError> {
    let numkeys = args::int(args[0]).map_err(|_| NUMKEYS)?;
    if numkeys < 1 {
        return Err(NUMKEYS);
    }
    // The end follows the keys; a numkeys that runs past the arguments is a syntax error.
    let end_at = match usize::try_from(numkeys).ok().and_then(|n| n.checked_add(1)) {
        Some(i) if i < args.len() => i,
        _ => return Err(errors::SYNTAX),
    };
    let end = parse_end(args[end_at])?;
    let mut count = None;
    let mut i = end_at + 1;
    while i < args.len() {
        if count.is_none() && args::is(args[i], "count") && i + 1 < args.len() {
            let n = args::int(args[i + 1]).map_err(|_| COUNT)?;
            if n < 1 {
                return Err(COUNT);
            }
            count = Some(n as usize);
            i += 2;
        } else {
            return Err(errors::SYNTAX);
        }
    }
    Ok(MpopArgs { keys: &args[1..end_at], end, count: count.unwrap_or(1) })
}

/// Pops from the first of `keys` holding a list, replying `[key, [elements]]`;
/// false (nothing written) when none does.
pub(super) fn mpop_first(ctx: &mut Ctx, a: &MpopArgs) -> Result<bool, CmdError> {
    for key in a.keys {
        if pop_reply(ctx, key, a.end, a.count, Shape::Keyed(key))? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
pub(super) fn lmpop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let a = parse_mpop(&argv[1..])?;
    if !mpop_first(ctx, &a)? {
        ctx.out.null_array();
    }
    Ok(())
}

/// LMOVE source destination LEFT|RIGHT LEFT|RIGHT
pub(super) fn lmove(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let from = parse_end(argv[3])?;
    let to = parse_end(argv[4])?;
    reply_moved(ctx, argv[1], argv[2], from, to)
}

/// RPOPLPUSH source destination
pub(super) fn rpoplpush(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    reply_moved(ctx, argv[1], argv[2], End::Right, End::Left)
}

fn reply_moved(ctx: &mut Ctx, src: &[u8], dst: &[u8], from: End, to: End) -> CmdResult {
    match move_element(ctx, src, dst, from, to)? {
        Some(elem) => ctx.out.bulk(&elem),
        None => ctx.out.null(),
    }
    Ok(())
}
