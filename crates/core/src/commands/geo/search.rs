//! The one search behind GEOSEARCH GEOSEARCHSTORE GEORADIUS
//! GEORADIUSBYMEMBER and the _RO forms (Redis's `georadiusGeneric`):
//! arguments in Redis's order of checks, candidates gathered cell by cell in
//! Redis's order, sorted as Redis sorts them, then replied or stored.

use super::pqsort::pqsort;
use super::shape::{self, Kind, Shape};
use super::{coordinates, distance_text, parse_lon_lat, parse_unit};
use crate::command::args::{self, is};
use crate::command::errors::{self, CmdError, CmdResult};
use crate::commands::zsets::{limits, parse_score, read_zset};
use crate::engine::Ctx;
use crate::notify::class;
use crate::types::{Value, ZSet};
use crate::util::geohash;

const NOT_A_MEMBER: CmdError = CmdError::Static("ERR could not decode requested zset member");
const COUNT_NOT_POSITIVE: CmdError = CmdError::Static("ERR COUNT must be > 0");
const ANY_NEEDS_COUNT: CmdError = CmdError::Static("ERR the ANY argument requires COUNT argument");
const RADIUS_NEGATIVE: CmdError = CmdError::Static("ERR radius cannot be negative");
const BOX_NEGATIVE: CmdError = CmdError::Static("ERR height or width cannot be negative");

/// Which command runs the search.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Variant {
    /// GEORADIUS[_RO]: centre and radius are positional.
    Coords { store_allowed: bool },
    /// GEORADIUSBYMEMBER[_RO].
    Member { store_allowed: bool },
    /// GEOSEARCH / GEOSEARCHSTORE: FROM… and BY… options.
    Search { store: bool },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sort {
    None,
    Asc,
    Desc,
}

/// One point found: where it is, how far (meters, then the unit) and its score.
struct Found {
    member: Vec<u8>,
    lon: f64,
    lat: f64,
    dist: f64,
    score: f64,
}

/// Where the result goes.
struct StoreTo<'a> {
    key: &'a [u8],
    /// STOREDIST: scores are distances in the unit rather than geohashes.
    dist: bool,
}

/// A number argument read as `getDoubleFromObjectOrReply` reads it.
fn float(arg: &[u8], msg: &'static str) -> Result<f64, CmdError> {
    parse_score(arg).ok_or(CmdError::Static(msg))
}

/// `<radius> <unit>`: (radius, meters per unit).
fn radius_arg(radius: &[u8], unit: &[u8]) -> Result<(f64, f64), CmdError> {
    let r = float(radius, "ERR need numeric radius")?;
    if r < 0.0 {
        return Err(RADIUS_NEGATIVE);
    }
    Ok((r, parse_unit(unit)?))
}

/// `<width> <height> <unit>`: (width, height, meters per unit).
fn box_args(width: &[u8], height: &[u8], unit: &[u8]) -> Result<(f64, f64, f64), CmdError> {
    let w = float(width, "ERR need numeric width")?;
    let h = float(height, "ERR need numeric height")?;
    if h < 0.0 || w < 0.0 {
        return Err(BOX_NEGATIVE);
    }
    Ok((w, h, parse_unit(unit)?))
}

/// The centre of a search around a member: its decoded position.
fn member_position(z: &ZSet, member: &[u8]) -> Result<(f64, f64), CmdError> {
    z.score(member).map(geohash::decode_score).ok_or(NOT_A_MEMBER)
}

/// Everything the arguments ask for.
struct Request<'a> {
    /// None when the source key is missing (nothing was located).
    shape: Option<Shape>,
    store: Option<StoreTo<'a>>,
    withdist: bool,
    withhash: bool,
    withcoord: bool,
    sort: Sort,
    count: usize,
    any: bool,
}

/// Parses the arguments with the source set at hand (FROMMEMBER and
/// GEORADIUSBYMEMBER read a member's position as they go, like Redis).
fn parse<'a>(argv: &[&'a [u8]], variant: Variant, src: Option<&ZSet>) -> Result<Request<'a>, CmdError> {
    let mut center: Option<(f64, f64)> = None;
    let mut kind: Option<(Kind, f64)> = None;
    let base = match variant {
        Variant::Coords { .. } => {
            center = Some(parse_lon_lat(argv[2], argv[3])?);
            let (radius, to_meters) = radius_arg(argv[4], argv[5])?;
            kind = Some((Kind::Circle { radius }, to_meters));
            6
        }
        Variant::Member { .. } => {
            // A missing key skips the member and the radius (Redis replies
            // empty without reading them).
            if let Some(z) = src {
                center = Some(member_position(z, argv[2])?);
                let (radius, to_meters) = radius_arg(argv[3], argv[4])?;
                kind = Some((Kind::Circle { radius }, to_meters));
            }
            5
        }
        Variant::Search { store } => {
            if store {
                3
            } else {
                2
            }
        }
    };
    let (store_allowed, searching, search_store) = match variant {
        Variant::Coords { store_allowed } | Variant::Member { store_allowed } => (store_allowed, false, false),
        Variant::Search { store } => (false, true, store),
    };
    let mut req = Request {
        shape: None,
        store: search_store.then_some(StoreTo { key: argv[1], dist: false }),
        withdist: false,
        withhash: false,
        withcoord: false,
        sort: Sort::None,
        count: 0,
        any: false,
    };
    let (mut frommember, mut fromlonlat, mut byradius, mut bybox) = (false, false, false, false);
    let mut i = base;
    while i < argv.len() {
        let left = argv.len() - i - 1;
        let a = argv[i];
        if is(a, "withdist") {
            req.withdist = true;
        } else if is(a, "withhash") {
            req.withhash = true;
        } else if is(a, "withcoord") {
            req.withcoord = true;
        } else if is(a, "any") {
            req.any = true;
        } else if is(a, "asc") {
            req.sort = Sort::Asc;
        } else if is(a, "desc") {
            req.sort = Sort::Desc;
        } else if is(a, "count") && left >= 1 {
            let n = args::int(argv[i + 1])?;
            if n <= 0 {
                return Err(COUNT_NOT_POSITIVE);
            }
            req.count = usize::try_from(n).unwrap_or(usize::MAX);
            i += 1;
        } else if (is(a, "store") || is(a, "storedist")) && left >= 1 && store_allowed {
            req.store = Some(StoreTo { key: argv[i + 1], dist: is(a, "storedist") });
            i += 1;
        } else if is(a, "storedist") && search_store {
            if let Some(s) = req.store.as_mut() {
                s.dist = true;
            }
        } else if is(a, "frommember") && left >= 1 && searching && !fromlonlat {
            if let Some(z) = src {
                center = Some(member_position(z, argv[i + 1])?);
            }
            frommember = true;
            i += 1;
        } else if is(a, "fromlonlat") && left >= 2 && searching && !frommember {
            center = Some(parse_lon_lat(argv[i + 1], argv[i + 2])?);
            fromlonlat = true;
            i += 2;
        } else if is(a, "byradius") && left >= 2 && searching && !bybox {
            let (radius, to_meters) = radius_arg(argv[i + 1], argv[i + 2])?;
            kind = Some((Kind::Circle { radius }, to_meters));
            byradius = true;
            i += 2;
        } else if is(a, "bybox") && left >= 3 && searching && !byradius {
            let (width, height, to_meters) = box_args(argv[i + 1], argv[i + 2], argv[i + 3])?;
            kind = Some((Kind::Box { width, height }, to_meters));
            bybox = true;
            i += 3;
        } else {
            return Err(errors::SYNTAX);
        }
        i += 1;
    }
    let name = argv[0];
    if req.store.is_some() && (req.withdist || req.withhash || req.withcoord) {
        let what = if search_store { "GEOSEARCHSTORE" } else { "STORE option in GEORADIUS" };
        return Err(CmdError::Owned(format!(
            "ERR {what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
        )));
    }
    if searching && !(frommember || fromlonlat) {
        return Err(CmdError::Owned(format!(
            "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for {}",
            String::from_utf8_lossy(name)
        )));
    }
    if searching && !(byradius || bybox) {
        return Err(CmdError::Owned(format!(
            "ERR exactly one of BYRADIUS and BYBOX can be specified for {}",
            String::from_utf8_lossy(name)
        )));
    }
    if req.any && req.count == 0 {
        return Err(ANY_NEEDS_COUNT);
    }
    if let (Some((lon, lat)), Some((kind, to_meters))) = (center, kind) {
        req.shape = Some(Shape { lon, lat, kind, to_meters });
    }
    Ok(req)
}

/// The members inside the shape, cell by cell in Redis's order (each
/// cell's score range ascending), stopping at `limit` (0: no limit).
fn gather(z: &ZSet, shape: &Shape, limit: usize) -> Vec<Found> {
    let area = shape::areas(shape);
    let cells = area.cells();
    let mut found = Vec::new();
    let mut last_scanned: Option<usize> = None;
    for (i, cell) in cells.iter().enumerate() {
        if cell.is_zero() {
            continue;
        }
        // Large searches can make adjacent neighbours the same cell.
        if last_scanned.is_some_and(|j| cells[j] == *cell) {
            continue;
        }
        if limit != 0 && found.len() >= limit {
            break;
        }
        let (min, max) = shape::score_range(*cell);
        let range = crate::types::zset::ScoreRange { min, max, minex: false, maxex: true };
        let (lo, hi) = z.score_ranks(&range);
        for (member, score) in z.iter_from(lo, false).take(hi.saturating_sub(lo)) {
            let (lon, lat) = geohash::decode_score(score);
            if let Some(dist) = shape.contains(lon, lat) {
                found.push(Found { member: member.to_vec(), lon, lat, dist, score });
            }
            if limit != 0 && found.len() >= limit {
                break;
            }
        }
        last_scanned = Some(i);
    }
    found
}

/// Orders the results by distance as Redis does: glibc's `qsort` (a
/// stable merge sort) when every result is kept, Redis's partial quicksort
/// of the first `keep` otherwise; the two place equal distances differently.
fn sort_found(found: &mut [Found], sort: Sort, keep: usize) {
    let asc = |a: &Found, b: &Found| a.dist.partial_cmp(&b.dist).unwrap_or(std::cmp::Ordering::Equal);
    match sort {
        Sort::None => {}
        Sort::Asc => sort_prefix(found, keep, &asc),
        Sort::Desc => sort_prefix(found, keep, &|a: &Found, b: &Found| asc(b, a)),
    }
}

fn sort_prefix(found: &mut [Found], keep: usize, cmp: &impl Fn(&Found, &Found) -> std::cmp::Ordering) {
    if keep < found.len() && keep > 0 {
        pqsort(found, cmp, 0, keep - 1);
    } else {
        found.sort_by(cmp);
    }
}

/// GEORADIUS key longitude latitude radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC] [STORE key|STOREDIST key]
/// GEORADIUS_RO key longitude latitude radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC]
/// GEORADIUSBYMEMBER key member radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC] [STORE key|STOREDIST key]
/// GEORADIUSBYMEMBER_RO key member radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC]
/// GEOSEARCH key FROMMEMBER member|FROMLONLAT longitude latitude BYRADIUS radius M|KM|FT|MI|BYBOX width height M|KM|FT|MI [ASC|DESC] [COUNT count [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH]
/// GEOSEARCHSTORE destination source FROMMEMBER member|FROMLONLAT longitude latitude BYRADIUS radius M|KM|FT|MI|BYBOX width height M|KM|FT|MI [ASC|DESC] [COUNT count [ANY]] [STOREDIST]
pub(super) fn georadius(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let variant = match ctx.spec.name {
        "georadius" => Variant::Coords { store_allowed: true },
        "georadius_ro" => Variant::Coords { store_allowed: false },
        "georadiusbymember" => Variant::Member { store_allowed: true },
        "georadiusbymember_ro" => Variant::Member { store_allowed: false },
        "geosearch" => Variant::Search { store: false },
        _ => Variant::Search { store: true },
    };
    let src_key = if variant == (Variant::Search { store: true }) { argv[2] } else { argv[1] };
    // Parse and gather under one read lookup, as Redis looks the source up
    // first (a wrong type wins over every argument error).
    let outcome = read_zset(ctx, src_key, |z, _| -> Result<_, CmdError> {
        let req = parse(argv, variant, z.as_deref())?;
        let found = match (z, &req.shape) {
            (Some(z), Some(shape)) => Some(gather(z, shape, if req.any { req.count } else { 0 })),
            _ => None,
        };
        Ok((req, found))
    })?;
    let (mut req, found) = outcome?;
    let Some(mut found) = found else {
        // No source set.
        match &req.store {
            Some(store) => {
                let key = store.key;
                delete_destination(ctx, key);
                ctx.out.int(0);
            }
            None => ctx.out.array_len(0),
        }
        return Ok(());
    };
    if req.count != 0 && req.sort == Sort::None && !req.any {
        req.sort = Sort::Asc;
    }
    let keep = if req.count == 0 { found.len() } else { found.len().min(req.count) };
    sort_found(&mut found, req.sort, keep);
    found.truncate(keep);
    let to_meters = req.shape.map_or(1.0, |s| s.to_meters);
    for f in &mut found {
        f.dist /= to_meters;
    }
    match req.store {
        None => reply(ctx, &req, &found),
        Some(store) => {
            let n = found.len();
            store_found(ctx, &store, found, variant);
            ctx.out.int(n as i64);
        }
    }
    Ok(())
}

fn reply(ctx: &mut Ctx, req: &Request, found: &[Found]) {
    let extras = req.withdist as usize + req.withhash as usize + req.withcoord as usize;
    let out = &mut *ctx.out;
    out.array_len(found.len());
    for f in found {
        if extras > 0 {
            out.array_len(extras + 1);
        }
        out.bulk(&f.member);
        if req.withdist {
            out.bulk(distance_text(f.dist).as_bytes());
        }
        if req.withhash {
            out.int(f.score as i64);
        }
        if req.withcoord {
            coordinates(out, f.lon, f.lat);
        }
    }
}

/// Redis's `dbDelete` of the destination when nothing is stored.
fn delete_destination(ctx: &mut Ctx, key: &[u8]) {
    let now = ctx.now;
    if ctx.db().delete(key, now) {
        ctx.changed(class::GENERIC, "del", key);
        ctx.dirty(1);
    }
}

/// Writes the result to the destination (replacing any value and its TTL),
/// or deletes the destination when the result is empty.
fn store_found(ctx: &mut Ctx, store: &StoreTo, found: Vec<Found>, variant: Variant) {
    if found.is_empty() {
        delete_destination(ctx, store.key);
        return;
    }
    let n = found.len();
    let mut items: Vec<(Vec<u8>, f64)> =
        found.into_iter().map(|f| (f.member, if store.dist { f.dist } else { f.score })).collect();
    items.sort_by(|a, b| a.1.partial_cmp(&b.1).unwrap_or(std::cmp::Ordering::Equal).then_with(|| a.0.cmp(&b.0)));
    let z = ZSet::from_sorted(items, limits(ctx));
    ctx.db().set(store.key, Value::ZSet(Box::new(z)));
    let event = if matches!(variant, Variant::Search { .. }) { "geosearchstore" } else { "georadiusstore" };
    ctx.changed(class::ZSET, event, store.key);
    ctx.signal_ready(store.key);
    ctx.dirty(n as u64);
}
