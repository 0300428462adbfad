//! GEOADD GEOPOS GEOHASH GEODIST: single points in and out.

use super::shape::distance;
use super::{coordinates, distance_text, parse_lon_lat, parse_unit};
use crate::command::args::is;
use crate::command::errors::{self, CmdResult};
use crate::commands::zsets::{self, read_zset};
use crate::engine::Ctx;
use crate::resp::writer::fmt_i64;
use crate::util::geohash;

/// GEOADD key [NX|XX] [CH] longitude latitude member [longitude latitude member ...]
///
/// As in Redis, the points become scores and the command runs as
/// `ZADD key [NX|XX] [CH] score member ...`, so replies, dirty counts and
/// keyspace events are ZADD's.
pub(super) fn geoadd(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let (mut nx, mut xx) = (false, false);
    let mut first = 2;
    while first < argv.len() {
        let opt = argv[first];
        if is(opt, "nx") {
            nx = true;
        } else if is(opt, "xx") {
            xx = true;
        } else if !is(opt, "ch") {
            break;
        }
        first += 1;
    }
    let triples = &argv[first..];
    if !triples.len().is_multiple_of(3) || (xx && nx) {
        return Err(errors::SYNTAX);
    }
    // Scores are 52-bit integers, written in decimal into buffers of their
    // own for ZADD to read back. A few points (the usual GEOADD has one)
    // stay on the stack, as the engine keeps arguments: no allocation.
    const ON_STACK: usize = 4;
    let points = triples.len() / 3;
    let mut score_stack = [([0u8; 20], 0usize); ON_STACK];
    let mut score_heap = Vec::new();
    let scores = if points <= ON_STACK {
        &mut score_stack[..points]
    } else {
        score_heap.resize(points, ([0u8; 20], 0usize));
        &mut score_heap[..]
    };
    for ((text, len), t) in scores.iter_mut().zip(triples.chunks(3)) {
        let (lon, lat) = parse_lon_lat(t[0], t[1])?;
        *len = fmt_i64(geohash::score_of(lon, lat) as i64, text).len();
    }
    let mut argv_stack: [&[u8]; 16] = [&[]; 16];
    let mut argv_heap = Vec::new();
    let zadd_argv = if first + points * 2 <= argv_stack.len() {
        &mut argv_stack[..first + points * 2]
    } else {
        argv_heap.resize(first + points * 2, &[][..]);
        &mut argv_heap[..]
    };
    zadd_argv[0] = b"zadd";
    zadd_argv[1..first].copy_from_slice(&argv[1..first]);
    for (i, ((text, len), t)) in scores.iter().zip(triples.chunks(3)).enumerate() {
        zadd_argv[first + 2 * i] = &text[text.len() - len..];
        zadd_argv[first + 2 * i + 1] = t[2];
    }
    zsets::add::zadd(ctx, zadd_argv)
}

/// GEOPOS key [member [member ...]]
pub(super) fn geopos(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let members = &argv[2..];
    read_zset(ctx, argv[1], |z, out| {
        out.array_len(members.len());
        for m in members {
            match z.as_ref().and_then(|z| z.score(m)) {
                Some(score) => {
                    let (lon, lat) = geohash::decode_score(score);
                    coordinates(out, lon, lat);
                }
                None => out.null_array(),
            }
        }
    })
}

/// GEOHASH key [member [member ...]]
pub(super) fn geohash(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let members = &argv[2..];
    read_zset(ctx, argv[1], |z, out| {
        out.array_len(members.len());
        for m in members {
            match z.as_ref().and_then(|z| z.score(m)) {
                Some(score) => {
                    let (lon, lat) = geohash::decode_score(score);
                    out.bulk(&geohash::base32(lon, lat));
                }
                None => out.null(),
            }
        }
    })
}

/// GEODIST key member1 member2 [M|KM|FT|MI]
pub(super) fn geodist(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let to_meters = match argv.len() {
        4 => 1.0,
        5 => parse_unit(argv[4])?,
        _ => return Err(errors::SYNTAX),
    };
    read_zset(ctx, argv[1], |z, out| {
        let scores = z.and_then(|z| Some((z.score(argv[2])?, z.score(argv[3])?)));
        match scores {
            Some((s1, s2)) => {
                let (lon1, lat1) = geohash::decode_score(s1);
                let (lon2, lat2) = geohash::decode_score(s2);
                out.bulk(distance_text(distance(lon1, lat1, lon2, lat2) / to_meters).as_bytes());
            }
            None => out.null(),
        }
    })
}
