//! SORT and SORT_RO: the elements of a list, set or sorted set, ordered
//! numerically or lexically, by themselves or by other keys' values (`BY`),
//! optionally replaced by other keys' values (`GET`), stored as a list
//! (`STORE`). Follows Redis 7.2's `sortCommandGeneric` step by step, since
//! every corner of it shows in replies.

use std::cmp::Ordering;

use crate::command::args::{self, is};
use crate::command::errors::{self, CmdError, CmdResult};
use crate::command::spec::flags::*;
use crate::command::spec::{AclCategory, CommandSpec, Exec, KeySpec};
use crate::commands::zsets::strtod;
use crate::engine::Ctx;
use crate::notify::class;
use crate::types::list::End;
use crate::types::{List, Value};

pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "sort",
        arity: -2,
        flags: WRITE | DENYOOM | MOVABLE_KEYS,
        acl: AclCategory::Set.bit() | AclCategory::SortedSet.bit() | AclCategory::List.bit() | AclCategory::Dangerous.bit(),
        keys: KeySpec::FIRST,
        since: "1.0.0",
        summary: "Sorts the elements in a list, a set, or a sorted set, optionally storing the result.",
        complexity: "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).",
        exec: Exec::Core(sort),
        ..CommandSpec::BASE
    },
    CommandSpec {
        name: "sort_ro",
        arity: -2,
        flags: READONLY | MOVABLE_KEYS,
        acl: AclCategory::Set.bit() | AclCategory::SortedSet.bit() | AclCategory::List.bit() | AclCategory::Dangerous.bit(),
        keys: KeySpec::FIRST,
        since: "7.0.0",
        summary: "Returns the sorted elements of a list, a set, or a sorted set.",
        complexity: "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).",
        exec: Exec::Core(sort),
        ..CommandSpec::BASE
    },
];

const CANT_CONVERT: CmdError = CmdError::Static("ERR One or more scores can't be converted into double");

/// What the arguments after the key ask for.
struct Options<'a> {
    desc: bool,
    alpha: bool,
    limit: Option<(i64, i64)>,
    store: Option<&'a [u8]>,
    by: Option<&'a [u8]>,
    /// `BY` with a pattern holding no `*`: keep the native order.
    dont_sort: bool,
    get: Vec<&'a [u8]>,
}

impl<'a> Options<'a> {
    /// `full_key_access`: the user may read every key (BY and GET name other keys).
    fn parse(argv: &[&'a [u8]], read_only: bool, full_key_access: bool) -> Result<Self, CmdError> {
        let mut o = Options {
            desc: false,
            alpha: false,
            limit: None,
            store: None,
            by: None,
            dont_sort: false,
            get: Vec::new(),
        };
        let mut j = 2;
        while j < argv.len() {
            let left = argv.len() - j - 1;
            let a = argv[j];
            if is(a, "asc") {
                o.desc = false;
            } else if is(a, "desc") {
                o.desc = true;
            } else if is(a, "alpha") {
                o.alpha = true;
            } else if is(a, "limit") && left >= 2 {
                o.limit = Some((args::int(argv[j + 1])?, args::int(argv[j + 2])?));
                j += 2;
            } else if !read_only && is(a, "store") && left >= 1 {
                o.store = Some(argv[j + 1]);
                j += 1;
            } else if is(a, "by") && left >= 1 {
                o.by = Some(argv[j + 1]);
                o.dont_sort = !argv[j + 1].contains(&b'*');
                if !o.dont_sort && !full_key_access {
                    return Err(CmdError::Static("ERR BY option of SORT denied due to insufficient ACL permissions."));
                }
                j += 1;
            } else if is(a, "get") && left >= 1 {
                if !full_key_access {
                    return Err(CmdError::Static("ERR GET option of SORT denied due to insufficient ACL permissions."));
                }
                o.get.push(argv[j + 1]);
                j += 1;
            } else {
                return Err(errors::SYNTAX);
            }
            j += 1;
        }
        Ok(o)
    }
}

/// One element to sort and what it sorts by.
struct Item {
    elem: Vec<u8>,
    score: f64,
    /// The `BY` value under ALPHA; None sorts first.
    by: Option<Vec<u8>>,
}

/// SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]]
///   [ASC | DESC] [ALPHA] [STORE destination]
/// SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]]
///   [ASC | DESC] [ALPHA]
fn sort(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let full_key_access = crate::acl::full_read_access(ctx.server, ctx.client, ctx.spec, argv);
    let mut o = Options::parse(argv, ctx.spec.name == "sort_ro", full_key_access)?;
    let (len, is_set, native_order) = match ctx.read(argv[1]) {
        None => (0, false, false),
        Some(Value::List(l)) => (l.len(), false, true),
        Some(Value::Set(s)) => (s.len(), true, false),
        Some(Value::ZSet(z)) => (z.len(), false, true),
        Some(_) => return Err(errors::WRONGTYPE),
    };
    // A set has no order of its own: when nothing is sorted but the result
    // is stored, Redis sorts it lexically so replicas agree.
    if o.dont_sort && is_set && o.store.is_some() {
        o.dont_sort = false;
        o.alpha = true;
        o.by = None;
    }
    let (start, end) = limits(o.limit, len as i64);

    // Lists and sorted sets keep their own order when nothing is sorted:
    // then only the LIMIT range is loaded, walked from the DESC end.
    let mut items = if o.dont_sort && native_order {
        let (start, end) = (start, end);
        let wanted = if end >= start { (end - start + 1) as usize } else { 0 };
        load_range(ctx, argv[1], start.max(0) as usize, wanted, o.desc)
    } else {
        load_all(ctx, argv[1])
    };
    let (start, end) = if o.dont_sort && native_order { (0, items.len() as i64 - 1) } else { (start, end) };

    if !o.dont_sort {
        let mut unconvertible = false;
        for item in &mut items {
            let by = match o.by {
                Some(pattern) => match lookup_by_pattern(ctx, pattern, &item.elem) {
                    Some(v) => v,
                    None => continue,
                },
                None => item.elem.clone(),
            };
            if o.alpha {
                if o.by.is_some() {
                    item.by = Some(by);
                }
            } else {
                match sort_score(&by) {
                    Some(score) => item.score = score,
                    None => unconvertible = true,
                }
            }
        }
        if unconvertible {
            return Err(CANT_CONVERT);
        }
        let (alpha, by_pattern, desc) = (o.alpha, o.by.is_some(), o.desc);
        items.sort_by(|a, b| {
            let cmp = compare(a, b, alpha, by_pattern);
            if desc {
                cmp.reverse()
            } else {
                cmp
            }
        });
    }

    let picked: &[Item] = if end >= start { &items[start as usize..=end as usize] } else { &[] };
    let outputs = picked.len() * o.get.len().max(1);
    match o.store {
        None => {
            ctx.out.array_len(outputs);
            for item in picked {
                if o.get.is_empty() {
                    ctx.out.bulk(&item.elem);
                }
                for pattern in &o.get {
                    match lookup_by_pattern(ctx, pattern, &item.elem) {
                        Some(v) => ctx.out.bulk(&v),
                        None => ctx.out.null(),
                    }
                }
            }
        }
        Some(dst) => {
            let mut values: Vec<Vec<u8>> = Vec::with_capacity(outputs);
            for item in picked {
                if o.get.is_empty() {
                    values.push(item.elem.clone());
                }
                for pattern in &o.get {
                    // A missing GET value is stored as an empty string.
                    values.push(lookup_by_pattern(ctx, pattern, &item.elem).unwrap_or_default());
                }
            }
            store(ctx, dst, values);
            ctx.out.int(outputs as i64);
        }
    }
    Ok(())
}

/// LIMIT's (start, end) over `len` elements, clamped as Redis clamps them
/// (an empty range comes out as end < start).
fn limits(limit: Option<(i64, i64)>, len: i64) -> (i64, i64) {
    let (offset, count) = limit.unwrap_or((0, -1));
    let mut start = offset.max(0);
    let mut end = if count < 0 { len - 1 } else { start.saturating_add(count) - 1 };
    if start >= len {
        start = len - 1;
        end = len - 2;
    }
    if end >= len {
        end = len - 1;
    }
    (start, end)
}

fn item(elem: Vec<u8>) -> Item {
    Item { elem, score: 0.0, by: None }
}

/// Every element of the list, set or sorted set at `key`.
fn load_all(ctx: &mut Ctx, key: &[u8]) -> Vec<Item> {
    let now = ctx.now;
    match ctx.db().peek(key, now) {
        Some(Value::List(l)) => l.iter().map(|e| item(e.to_vec())).collect(),
        Some(Value::Set(s)) => s.iter().map(|m| item(m.to_vec())).collect(),
        Some(Value::ZSet(z)) => z.iter().map(|(m, _)| item(m.to_vec())).collect(),
        _ => Vec::new(),
    }
}

/// `count` elements of a list or sorted set from position `start`, counted
/// from the tail when `desc`.
fn load_range(ctx: &mut Ctx, key: &[u8], start: usize, count: usize, desc: bool) -> Vec<Item> {
    let now = ctx.now;
    match ctx.db().peek(key, now) {
        Some(Value::List(l)) if desc => {
            let first = l.len().saturating_sub(start + 1);
            l.iter_back_from(first).take(count).map(|e| item(e.to_vec())).collect()
        }
        Some(Value::List(l)) => l.iter_from(start).take(count).map(|e| item(e.to_vec())).collect(),
        Some(Value::ZSet(z)) => {
            let first = if desc { z.len().saturating_sub(start + 1) } else { start };
            z.iter_from(first, desc).take(count).map(|(m, _)| item(m.to_vec())).collect()
        }
        _ => Vec::new(),
    }
}

/// Redis's `sortCompare`: numeric by score, ties broken byte-wise so the
/// result is deterministic; ALPHA compares the elements, or their `BY`
/// values with missing ones first.
fn compare(a: &Item, b: &Item, alpha: bool, by_pattern: bool) -> Ordering {
    if !alpha {
        return a.score.partial_cmp(&b.score).unwrap_or(Ordering::Equal).then_with(|| a.elem.cmp(&b.elem));
    }
    if by_pattern {
        match (&a.by, &b.by) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(x), Some(y)) => x.cmp(y),
        }
    } else {
        a.elem.cmp(&b.elem)
    }
}

/// Redis's `lookupKeyByPattern`: `#` is the element itself; otherwise the
/// first `*` is replaced by the element, and a `->field` suffix reads that
/// field of a hash. Only strings (or hash fields) count; anything else is
/// missing.
fn lookup_by_pattern(ctx: &mut Ctx, pattern: &[u8], elem: &[u8]) -> Option<Vec<u8>> {
    if pattern == b"#" {
        return Some(elem.to_vec());
    }
    let star = pattern.iter().position(|&c| c == b'*')?;
    let after = &pattern[star + 1..];
    let (middle, field) = match after.windows(2).position(|w| w == b"->") {
        Some(arrow) if arrow + 2 < after.len() => (&after[..arrow], Some(&after[arrow + 2..])),
        _ => (after, None),
    };
    let mut key = Vec::with_capacity(star + elem.len() + middle.len());
    key.extend_from_slice(&pattern[..star]);
    key.extend_from_slice(elem);
    key.extend_from_slice(middle);
    match (ctx.read(&key)?, field) {
        (Value::Str(s), None) => Some(s.to_vec()),
        (Value::Hash(h), Some(f)) => h.get(f).map(<[u8]>::to_vec),
        _ => None,
    }
}

/// A score as SORT reads it: C's `strtod` must consume the whole text
/// (the empty string reads as 0) without ERANGE or NaN.
fn sort_score(text: &[u8]) -> Option<f64> {
    let (v, used, erange) = strtod(text);
    (used == text.len() && !erange && !v.is_nan()).then_some(v)
}

/// STORE: the result becomes a list at `dst` (any old value and deadline
/// replaced); an empty result deletes `dst`.
fn store(ctx: &mut Ctx, dst: &[u8], values: Vec<Vec<u8>>) {
    if values.is_empty() {
        let now = ctx.now;
        if ctx.db().delete(dst, now) {
            ctx.dirty(1);
            ctx.changed(class::GENERIC, "del", dst);
        }
        return;
    }
    let enc = ctx.server.config.encodings;
    let mut list = List::new();
    list.grow_with_depth(
        enc.list_max_listpack_size,
        enc.list_compress_depth,
        values.iter().map(Vec::len).sum(),
        values.len(),
    );
    for v in &values {
        list.push(End::Right, v);
    }
    let n = values.len() as u64;
    ctx.db().set(dst, Value::List(Box::new(list)));
    ctx.changed(class::LIST, "sortstore", dst);
    ctx.dirty(n);
}

#[cfg(test)]
mod tests;
