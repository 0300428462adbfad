//! Geospatial commands: GEOADD GEOPOS GEOHASH GEODIST, GEOSEARCH and
//! GEOSEARCHSTORE, and the older GEORADIUS GEORADIUSBYMEMBER (with STORE
//! and STOREDIST) and their _RO forms. A geo set is a sorted set whose scores
//! are 52-bit geohashes (`util::geohash`), so these commands read and write
//! through the sorted-set family.
//!
//! - `points`: GEOADD, GEOPOS, GEOHASH, GEODIST.
//! - `search`: the one search behind GEOSEARCH* and GEORADIUS*.
//! - `shape`: distances, search shapes and the cells they cover.
//! - `pqsort`: Redis's partial sort, whose order among ties shows.
//! - this file: the declarations and the argument parsing and reply shapes
//!   the commands share.

use crate::command::errors::{self, CmdError};
use crate::command::spec::flags::*;
use crate::command::spec::{AclCategory, CommandSpec, Exec, Group, KeySpec};
use crate::commands::zsets::parse_score;
use crate::resp::writer::{Protocol, Reply};
use crate::util::geohash::{LAT_MAX, LAT_MIN, LONG_MAX, LONG_MIN};

mod points;
mod pqsort;
mod search;
mod shape;
#[cfg(test)]
mod tests;

const GEO: CommandSpec = CommandSpec {
    group: Group::Geo,
    acl: AclCategory::Geo.bit(),
    keys: KeySpec::FIRST,
    since: "3.2.0",
    ..CommandSpec::BASE
};

const RADIUS_COMPLEXITY: &str = "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.";
const SEARCH_COMPLEXITY: &str = "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape";

pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "geoadd",
        arity: -5,
        flags: WRITE | DENYOOM,
        summary: "Adds one or more members to a geospatial index. The key is created if it doesn't exist.",
        complexity: "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
        exec: Exec::Core(points::geoadd),
        ..GEO
    },
    CommandSpec {
        name: "geodist",
        arity: -4,
        flags: READONLY,
        summary: "Returns the distance between two members of a geospatial index.",
        complexity: "O(1)",
        exec: Exec::Core(points::geodist),
        ..GEO
    },
    CommandSpec {
        name: "geohash",
        arity: -2,
        flags: READONLY,
        summary: "Returns members from a geospatial index as geohash strings.",
        complexity: "O(1) for each member requested.",
        exec: Exec::Core(points::geohash),
        ..GEO
    },
    CommandSpec {
        name: "geopos",
        arity: -2,
        flags: READONLY,
        summary: "Returns the longitude and latitude of members from a geospatial index.",
        complexity: "O(1) for each member requested.",
        exec: Exec::Core(points::geopos),
        ..GEO
    },
    CommandSpec {
        name: "georadius",
        arity: -6,
        flags: WRITE | DENYOOM | MOVABLE_KEYS,
        summary:
            "Queries a geospatial index for members within a distance from a coordinate, optionally stores the result.",
        complexity: RADIUS_COMPLEXITY,
        exec: Exec::Core(search::georadius),
        ..GEO
    },
    CommandSpec {
        name: "georadius_ro",
        arity: -6,
        flags: READONLY,
        since: "3.2.10",
        summary: "Returns members from a geospatial index that are within a distance from a coordinate.",
        complexity: RADIUS_COMPLEXITY,
        exec: Exec::Core(search::georadius),
        ..GEO
    },
    CommandSpec {
        name: "georadiusbymember",
        arity: -5,
        flags: WRITE | DENYOOM | MOVABLE_KEYS,
        summary:
            "Queries a geospatial index for members within a distance from a member, optionally stores the result.",
        complexity: RADIUS_COMPLEXITY,
        exec: Exec::Core(search::georadius),
        ..GEO
    },
    CommandSpec {
        name: "georadiusbymember_ro",
        arity: -5,
        flags: READONLY,
        since: "3.2.10",
        summary: "Returns members from a geospatial index that are within a distance from a member.",
        complexity: RADIUS_COMPLEXITY,
        exec: Exec::Core(search::georadius),
        ..GEO
    },
    CommandSpec {
        name: "geosearch",
        arity: -7,
        flags: READONLY,
        since: "6.2.0",
        summary: "Queries a geospatial index for members inside an area of a box or a circle.",
        complexity: SEARCH_COMPLEXITY,
        exec: Exec::Core(search::georadius),
        ..GEO
    },
    CommandSpec {
        name: "geosearchstore",
        arity: -8,
        flags: WRITE | DENYOOM,
        keys: KeySpec::TWO,
        since: "6.2.0",
        summary:
            "Queries a geospatial index for members inside an area of a box or a circle, optionally stores the result.",
        complexity: SEARCH_COMPLEXITY,
        exec: Exec::Core(search::georadius),
        ..GEO
    },
];

const UNSUPPORTED_UNIT: CmdError = CmdError::Static("ERR unsupported unit provided. please use M, KM, FT, MI");

/// Redis's `extractLongLatOrReply`: two floats, then the Mercator limits.
pub(crate) fn parse_lon_lat(lon: &[u8], lat: &[u8]) -> Result<(f64, f64), CmdError> {
    let lon = parse_score(lon).ok_or(errors::NOT_FLOAT)?;
    let lat = parse_score(lat).ok_or(errors::NOT_FLOAT)?;
    if !(LONG_MIN..=LONG_MAX).contains(&lon) || !(LAT_MIN..=LAT_MAX).contains(&lat) {
        return Err(CmdError::Owned(format!(
            "ERR invalid longitude,latitude pair {},{}",
            c_fixed6(lon),
            c_fixed6(lat)
        )));
    }
    Ok((lon, lat))
}

/// C's `%f`.
fn c_fixed6(v: f64) -> String {
    if v.is_infinite() {
        return if v > 0.0 { "inf".into() } else { "-inf".into() };
    }
    format!("{v:.6}")
}

/// Meters per unit (m, km, ft, mi, any case).
pub(crate) fn parse_unit(unit: &[u8]) -> Result<f64, CmdError> {
    let unit = unit.to_ascii_lowercase();
    match unit.as_slice() {
        b"m" => Ok(1.0),
        b"km" => Ok(1000.0),
        b"ft" => Ok(0.3048),
        b"mi" => Ok(1609.34),
        _ => Err(UNSUPPORTED_UNIT),
    }
}

/// A distance as GEODIST and WITHDIST print it (Redis 7.2's
/// `fixedpoint_d2string` with 4 digits: the value times 10^4 rounded to the
/// nearest integer, ties to even), always a bulk string.
pub(crate) fn distance_text(d: f64) -> String {
    if d == 0.0 {
        return "0.0000".into();
    }
    let scaled = (d * 10000.0).round_ties_even() as i64;
    let sign = if scaled < 0 { "-" } else { "" };
    let abs = scaled.unsigned_abs();
    format!("{sign}{}.{:04}", abs / 10000, abs % 10000)
}

/// A coordinate as Redis prints one (`addReplyHumanLongDouble`): `%.17Lf`
/// with trailing zeros cut, a bulk string in RESP2 and a double in RESP3.
pub(crate) fn coordinate(out: &mut Reply, v: f64) {
    let text = human_coordinate(v);
    match out.proto {
        Protocol::Resp2 => out.bulk(text.as_bytes()),
        Protocol::Resp3 => {
            out.raw(b",");
            out.raw(text.as_bytes());
            out.raw(b"\r\n");
        }
    }
}

/// `%.17Lf` of a double (exact in a long double) without trailing zeros;
/// "-0" becomes "0".
pub(crate) fn human_coordinate(v: f64) -> String {
    let mut s = format!("{v:.17}");
    if s.contains('.') {
        let trimmed = s.trim_end_matches('0').trim_end_matches('.').len();
        s.truncate(trimmed);
    }
    if s == "-0" {
        s = "0".into();
    }
    s
}

/// A [longitude, latitude] pair.
pub(crate) fn coordinates(out: &mut Reply, lon: f64, lat: f64) {
    out.array_len(2);
    coordinate(out, lon);
    coordinate(out, lat);
}
