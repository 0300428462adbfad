//! Geohashes as Redis computes them: a longitude/latitude pair becomes two
//! fixed-point offsets of `step` bits each, interleaved (longitude on the odd
//! bits, latitude on the even ones). At the full 26 steps the 52-bit result
//! is the sorted-set score of a geo member, so every neighbourhood of a point
//! is a contiguous score range.
//!
//! The latitude range is the one Web Mercator can project (±85.05112878°),
//! not ±90°: that is why GEOHASH re-encodes against the standard ranges
//! before printing base32.

/// Bits per coordinate in a stored score (26 × 2 = 52 bits, exact in an f64).
pub const STEP_MAX: u8 = 26;
pub const LAT_MIN: f64 = -85.05112878;
pub const LAT_MAX: f64 = 85.05112878;
pub const LONG_MIN: f64 = -180.0;
pub const LONG_MAX: f64 = 180.0;

/// A hash of `step` bits per coordinate. Zero bits at step zero is Redis's
/// "no hash" (a neighbour dropped from a search).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct HashBits {
    pub bits: u64,
    pub step: u8,
}

impl HashBits {
    pub fn is_zero(&self) -> bool {
        self.bits == 0 && self.step == 0
    }

    /// The 52-bit score prefix this hash covers: its bits moved to the top
    /// of a 52-bit number.
    pub fn align52(&self) -> u64 {
        self.bits << (52 - 2 * self.step as u32)
    }
}

/// A coordinate interval.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Range {
    pub min: f64,
    pub max: f64,
}

/// The cell a hash names.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Area {
    pub hash: HashBits,
    pub longitude: Range,
    pub latitude: Range,
}

/// The eight cells around one, at the same step.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Neighbours {
    pub north: HashBits,
    pub east: HashBits,
    pub west: HashBits,
    pub south: HashBits,
    pub north_east: HashBits,
    pub south_east: HashBits,
    pub north_west: HashBits,
    pub south_west: HashBits,
}

/// The ranges every stored score is encoded against.
pub const WGS84_LONG: Range = Range { min: LONG_MIN, max: LONG_MAX };
pub const WGS84_LAT: Range = Range { min: LAT_MIN, max: LAT_MAX };

/// Spreads the 32 bits of `v` over the even bits of a u64.
fn spread(v: u32) -> u64 {
    let mut x = v as u64;
    x = (x | (x << 16)) & 0x0000_FFFF_0000_FFFF;
    x = (x | (x << 8)) & 0x00FF_00FF_00FF_00FF;
    x = (x | (x << 4)) & 0x0F0F_0F0F_0F0F_0F0F;
    x = (x | (x << 2)) & 0x3333_3333_3333_3333;
    x = (x | (x << 1)) & 0x5555_5555_5555_5555;
    x
}

/// Gathers the even bits of `v` into a u32 (the inverse of [`spread`]).
fn gather(v: u64) -> u32 {
    let mut x = v & 0x5555_5555_5555_5555;
    x = (x | (x >> 1)) & 0x3333_3333_3333_3333;
    x = (x | (x >> 2)) & 0x0F0F_0F0F_0F0F_0F0F;
    x = (x | (x >> 4)) & 0x00FF_00FF_00FF_00FF;
    x = (x | (x >> 8)) & 0x0000_FFFF_0000_FFFF;
    x = (x | (x >> 16)) & 0x0000_0000_FFFF_FFFF;
    x as u32
}

/// Latitude bits on the even positions, longitude bits on the odd ones.
pub fn interleave(lat_bits: u32, long_bits: u32) -> u64 {
    spread(lat_bits) | (spread(long_bits) << 1)
}

/// (latitude bits, longitude bits) of an interleaved hash.
pub fn deinterleave(bits: u64) -> (u32, u32) {
    (gather(bits), gather(bits >> 1))
}

/// Encodes a point at `step` bits per coordinate against the given ranges;
/// None for an invalid step or a point outside the Mercator limits or the
/// ranges.
pub fn encode(long_range: Range, lat_range: Range, longitude: f64, latitude: f64, step: u8) -> Option<HashBits> {
    if step == 0 || step > 32 || long_range.min == long_range.max || lat_range.min == lat_range.max {
        return None;
    }
    if !(LONG_MIN..=LONG_MAX).contains(&longitude) || !(LAT_MIN..=LAT_MAX).contains(&latitude) {
        return None;
    }
    if latitude < lat_range.min || latitude > lat_range.max || longitude < long_range.min || longitude > long_range.max
    {
        return None;
    }
    let scale = (1u64 << step) as f64;
    let lat_offset = (latitude - lat_range.min) / (lat_range.max - lat_range.min) * scale;
    let long_offset = (longitude - long_range.min) / (long_range.max - long_range.min) * scale;
    // C converts the offsets to uint32_t: truncation; 2^32 (a point on the
    // top edge at step 32) wraps to 0 there, as `as u64 as u32` does here.
    Some(HashBits { bits: interleave(lat_offset as u64 as u32, long_offset as u64 as u32), step })
}

/// Encodes against the stored-score ranges.
pub fn encode_wgs84(longitude: f64, latitude: f64, step: u8) -> Option<HashBits> {
    encode(WGS84_LONG, WGS84_LAT, longitude, latitude, step)
}

/// The cell `hash` names within the ranges; None for the zero hash.
pub fn decode(long_range: Range, lat_range: Range, hash: HashBits) -> Option<Area> {
    if hash.is_zero() || long_range.min == long_range.max || lat_range.min == lat_range.max {
        return None;
    }
    let (ilat, ilong) = deinterleave(hash.bits);
    let cells = (1u64 << hash.step) as f64;
    let lat_scale = lat_range.max - lat_range.min;
    let long_scale = long_range.max - long_range.min;
    // `+ 1` is done in 32 bits in C's unsigned arithmetic, then widened.
    let next = |i: u32| i.wrapping_add(1) as f64;
    Some(Area {
        hash,
        latitude: Range {
            min: lat_range.min + (ilat as f64 / cells) * lat_scale,
            max: lat_range.min + (next(ilat) / cells) * lat_scale,
        },
        longitude: Range {
            min: long_range.min + (ilong as f64 / cells) * long_scale,
            max: long_range.min + (next(ilong) / cells) * long_scale,
        },
    })
}

pub fn decode_wgs84(hash: HashBits) -> Option<Area> {
    decode(WGS84_LONG, WGS84_LAT, hash)
}

/// A cell's centre, clamped to the coordinate limits: (longitude, latitude).
pub fn area_center(area: &Area) -> (f64, f64) {
    let lon = ((area.longitude.min + area.longitude.max) / 2.0).clamp(LONG_MIN, LONG_MAX);
    let lat = ((area.latitude.min + area.latitude.max) / 2.0).clamp(LAT_MIN, LAT_MAX);
    (lon, lat)
}

/// What C's `(uint64_t)` cast of a double gives on x86-64 as compilers
/// emit it (a signed truncation, with 2^63 subtracted first for large
/// values; out of range gives the "indefinite" 2^63 pattern). Scores
/// written by ZADD can be anything, and GEOPOS decodes them all.
pub fn score_to_bits(score: f64) -> u64 {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    let truncate = |v: f64| -> u64 {
        if !(-TWO_63..TWO_63).contains(&v) {
            1 << 63
        } else {
            v as i64 as u64
        }
    };
    if score < TWO_63 {
        truncate(score)
    } else {
        truncate(score - TWO_63) ^ (1 << 63)
    }
}

/// The (longitude, latitude) a stored score stands for (Redis's
/// `decodeGeohash`: the centre of its step-26 cell).
pub fn decode_score(score: f64) -> (f64, f64) {
    let hash = HashBits { bits: score_to_bits(score), step: STEP_MAX };
    let area = decode_wgs84(hash).expect("a step-26 hash is never the zero hash");
    area_center(&area)
}

/// The score GEOADD stores for a point already checked to be in range.
pub fn score_of(longitude: f64, latitude: f64) -> u64 {
    encode_wgs84(longitude, latitude, STEP_MAX).map_or(0, |h| h.align52())
}

/// GEOHASH's 11-character text: the point re-encoded against the standard
/// ±180/±90 ranges, five bits a character; the eleventh character has no
/// bits left and is always '0'.
pub fn base32(longitude: f64, latitude: f64) -> [u8; 11] {
    const ALPHABET: &[u8; 32] = b"0123456789bcdefghjkmnpqrstuvwxyz";
    let standard_long = Range { min: -180.0, max: 180.0 };
    let standard_lat = Range { min: -90.0, max: 90.0 };
    // A decoded point is always within the Mercator limits, so this encodes.
    let bits = encode(standard_long, standard_lat, longitude, latitude, STEP_MAX).map_or(0, |h| h.bits);
    let mut out = [b'0'; 11];
    for (i, c) in out.iter_mut().enumerate().take(10) {
        let idx = (bits >> (52 - (i + 1) * 5)) & 0x1f;
        *c = ALPHABET[idx as usize];
    }
    out
}

const EVEN_BITS: u64 = 0x5555_5555_5555_5555;
const ODD_BITS: u64 = 0xaaaa_aaaa_aaaa_aaaa;

/// Moves a hash one cell east (`d` > 0) or west (`d` < 0), wrapping around.
fn move_x(hash: &mut HashBits, d: i8) {
    if d == 0 {
        return;
    }
    let shift = 64 - 2 * hash.step as u32;
    let mut x = hash.bits & ODD_BITS;
    let y = hash.bits & EVEN_BITS;
    // Filling the other coordinate's bits with ones makes the carry (or
    // borrow) jump over them.
    let zz = EVEN_BITS >> shift;
    if d > 0 {
        x = x.wrapping_add(zz + 1);
    } else {
        x |= zz;
        x = x.wrapping_sub(zz + 1);
    }
    x &= ODD_BITS >> shift;
    hash.bits = x | y;
}

/// Moves a hash one cell north (`d` > 0) or south (`d` < 0), wrapping around.
fn move_y(hash: &mut HashBits, d: i8) {
    if d == 0 {
        return;
    }
    let shift = 64 - 2 * hash.step as u32;
    let x = hash.bits & ODD_BITS;
    let mut y = hash.bits & EVEN_BITS;
    let zz = ODD_BITS >> shift;
    if d > 0 {
        y = y.wrapping_add(zz + 1);
    } else {
        y |= zz;
        y = y.wrapping_sub(zz + 1);
    }
    y &= EVEN_BITS >> shift;
    hash.bits = x | y;
}

fn moved(hash: HashBits, dx: i8, dy: i8) -> HashBits {
    let mut h = hash;
    move_x(&mut h, dx);
    move_y(&mut h, dy);
    h
}

/// The eight cells around `hash`.
pub fn neighbours(hash: HashBits) -> Neighbours {
    Neighbours {
        east: moved(hash, 1, 0),
        west: moved(hash, -1, 0),
        south: moved(hash, 0, -1),
        north: moved(hash, 0, 1),
        north_west: moved(hash, -1, 1),
        north_east: moved(hash, 1, 1),
        south_east: moved(hash, 1, -1),
        south_west: moved(hash, -1, -1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interleave_round_trips() {
        for (lat, long) in [(0u32, 0u32), (1, 0), (0, 1), (0x3ff_ffff, 0x155_5555), (u32::MAX, 0x8000_0001)] {
            let bits = interleave(lat, long);
            assert_eq!(deinterleave(bits), (lat, long));
        }
        assert_eq!(interleave(1, 0), 1);
        assert_eq!(interleave(0, 1), 2);
    }

    #[test]
    fn palermo_scores_as_redis_stores_it() {
        // GEOADD Sicily 13.361389 38.115556 Palermo; ZSCORE → 3479099956230698.
        assert_eq!(score_of(13.361389, 38.115556), 3479099956230698);
        let (lon, lat) = decode_score(3479099956230698.0);
        assert_eq!(format!("{lon:.17}"), "13.36138933897018433");
        assert_eq!(format!("{lat:.17}"), "38.11555639549629859");
        assert_eq!(&base32(lon, lat), b"sqc8b49rny0");
    }

    #[test]
    fn encode_refuses_points_outside_mercator() {
        assert!(encode_wgs84(0.0, 86.0, STEP_MAX).is_none());
        assert!(encode_wgs84(180.5, 0.0, STEP_MAX).is_none());
        assert!(encode_wgs84(0.0, 0.0, 0).is_none());
        assert!(encode_wgs84(-180.0, LAT_MIN, STEP_MAX).is_some());
    }

    #[test]
    fn neighbours_wrap_and_surround() {
        let h = encode_wgs84(13.36, 38.11, 10).unwrap();
        let n = neighbours(h);
        let area = decode_wgs84(h).unwrap();
        let east = decode_wgs84(n.east).unwrap();
        let north = decode_wgs84(n.north).unwrap();
        assert_eq!(east.longitude.min, area.longitude.max);
        assert_eq!(north.latitude.min, area.latitude.max);
        assert_eq!(east.latitude, area.latitude);
        // The easternmost cell's east neighbour wraps to the westernmost.
        let edge = encode_wgs84(179.99, 0.0, 4).unwrap();
        assert_eq!(decode_wgs84(neighbours(edge).east).unwrap().longitude.min, -180.0);
    }

    #[test]
    fn x86_score_casts() {
        assert_eq!(score_to_bits(5.0), 5);
        assert_eq!(score_to_bits(-1.0), u64::MAX);
        assert_eq!(score_to_bits(f64::INFINITY), 0);
        assert_eq!(score_to_bits(f64::NEG_INFINITY), 1 << 63);
        assert_eq!(score_to_bits(1e19), 10_000_000_000_000_000_000);
    }
}
