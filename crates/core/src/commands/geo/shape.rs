//! The search side of geohashes (Redis's `geohash_helper`): distances on
//! Redis's sphere, the shape of a search, the bounding box around it, and
//! the nine cells (centre and neighbours, some dropped) whose score ranges
//! hold every candidate.

use crate::util::geohash::{self, Area, HashBits, Neighbours, Range, STEP_MAX};

/// Redis's earth radius: the quadratic mean radius of WGS-84, in meters.
pub const EARTH_RADIUS_IN_METERS: f64 = 6372797.560856;
const MERCATOR_MAX: f64 = 20037726.37;

#[inline]
fn deg_rad(deg: f64) -> f64 {
    deg * (std::f64::consts::PI / 180.0)
}

#[inline]
fn rad_deg(rad: f64) -> f64 {
    rad / (std::f64::consts::PI / 180.0)
}

/// Distance along a meridian between two latitudes.
pub fn lat_distance(lat1: f64, lat2: f64) -> f64 {
    EARTH_RADIUS_IN_METERS * (deg_rad(lat2) - deg_rad(lat1)).abs()
}

/// The haversine great-circle distance in meters.
pub fn distance(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    let v = ((deg_rad(lon2) - deg_rad(lon1)) / 2.0).sin();
    // Same longitude: the haversine reduces to the latitude difference.
    if v == 0.0 {
        return lat_distance(lat1, lat2);
    }
    let (lat1r, lat2r) = (deg_rad(lat1), deg_rad(lat2));
    let u = ((lat2r - lat1r) / 2.0).sin();
    let a = u * u + lat1r.cos() * lat2r.cos() * v * v;
    2.0 * EARTH_RADIUS_IN_METERS * a.sqrt().asin()
}

/// What a search covers.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// BYRADIUS: a radius in the unit.
    Circle { radius: f64 },
    /// BYBOX: width and height in the unit, centred on the point.
    Box { width: f64, height: f64 },
}

/// A search area: its centre, its kind, and how many meters one unit is.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    pub lon: f64,
    pub lat: f64,
    pub kind: Kind,
    pub to_meters: f64,
}

impl Shape {
    /// The distance in meters from the centre to the point if the point is
    /// inside (Redis's `geoWithinShape`).
    pub fn contains(&self, lon: f64, lat: f64) -> Option<f64> {
        match self.kind {
            Kind::Circle { radius } => {
                let d = distance(self.lon, self.lat, lon, lat);
                (d <= radius * self.to_meters).then_some(d)
            }
            Kind::Box { width, height } => {
                let (width_m, height_m) = (width * self.to_meters, height * self.to_meters);
                // The cheaper latitude test first.
                if lat_distance(lat, self.lat) > height_m / 2.0 {
                    return None;
                }
                if distance(lon, lat, self.lon, lat) > width_m / 2.0 {
                    return None;
                }
                Some(distance(self.lon, self.lat, lon, lat))
            }
        }
    }

    /// [min lon, min lat, max lon, max lat] around the shape; a parallel is
    /// shorter away from the equator, so the longitude span is taken at the
    /// edge nearer the pole.
    pub fn bounding_box(&self) -> [f64; 4] {
        let (half_height, half_width) = match self.kind {
            Kind::Circle { radius } => (radius, radius),
            Kind::Box { width, height } => (height / 2.0, width / 2.0),
        };
        let height = self.to_meters * half_height;
        let width = self.to_meters * half_width;
        let lat_delta = rad_deg(height / EARTH_RADIUS_IN_METERS);
        let long_delta_top = rad_deg(width / EARTH_RADIUS_IN_METERS / deg_rad(self.lat + lat_delta).cos());
        let long_delta_bottom = rad_deg(width / EARTH_RADIUS_IN_METERS / deg_rad(self.lat - lat_delta).cos());
        let long_delta = if self.lat < 0.0 { long_delta_bottom } else { long_delta_top };
        [self.lon - long_delta, self.lat - lat_delta, self.lon + long_delta, self.lat + lat_delta]
    }

    /// The radius (meters) that decides the cell size: a circle's radius, or
    /// the distance from a box's centre to its corner.
    fn reach_meters(&self) -> f64 {
        let r = match self.kind {
            Kind::Circle { radius } => radius,
            Kind::Box { width, height } => ((width / 2.0) * (width / 2.0) + (height / 2.0) * (height / 2.0)).sqrt(),
        };
        r * self.to_meters
    }
}

/// Bits per coordinate for cells about as large as the search: halving the
/// world until the range no longer fits, a little coarser near the poles.
pub fn estimate_steps(range_meters: f64, lat: f64) -> u8 {
    if range_meters == 0.0 {
        return STEP_MAX;
    }
    let mut range = range_meters;
    let mut step: i32 = 1;
    while range < MERCATOR_MAX {
        range *= 2.0;
        step += 1;
    }
    step -= 2;
    if !(-66.0..=66.0).contains(&lat) {
        step -= 1;
        if !(-80.0..=80.0).contains(&lat) {
            step -= 1;
        }
    }
    step.clamp(1, STEP_MAX as i32) as u8
}

/// The centre cell and the neighbours worth scanning (dropped ones are the
/// zero hash), in Redis's scan order.
pub struct SearchArea {
    pub hash: HashBits,
    pub neighbours: Neighbours,
}

impl SearchArea {
    /// Centre, N, S, E, W, NE, NW, SE, SW: the order candidates are found in.
    pub fn cells(&self) -> [HashBits; 9] {
        let n = &self.neighbours;
        [self.hash, n.north, n.south, n.east, n.west, n.north_east, n.north_west, n.south_east, n.south_west]
    }
}

fn cell(long_range: Range, lat_range: Range, hash: HashBits) -> Area {
    geohash::decode(long_range, lat_range, hash).unwrap_or_default()
}

/// Redis's `geohashCalculateAreasByShapeWGS84`.
pub fn areas(shape: &Shape) -> SearchArea {
    let [min_lon, min_lat, max_lon, max_lat] = shape.bounding_box();
    let (long_range, lat_range) = (geohash::WGS84_LONG, geohash::WGS84_LAT);
    let mut steps = estimate_steps(shape.reach_meters(), shape.lat);
    let at_step = |steps: u8| {
        let hash = geohash::encode(long_range, lat_range, shape.lon, shape.lat, steps).unwrap_or_default();
        (hash, geohash::neighbours(hash), cell(long_range, lat_range, hash))
    };
    let (mut hash, mut neighbours, mut area) = at_step(steps);

    // Near a cell edge the neighbours may not reach the bounding box: one
    // step coarser then.
    let north = cell(long_range, lat_range, neighbours.north);
    let south = cell(long_range, lat_range, neighbours.south);
    let east = cell(long_range, lat_range, neighbours.east);
    let west = cell(long_range, lat_range, neighbours.west);
    let too_small = north.latitude.max < max_lat
        || south.latitude.min > min_lat
        || east.longitude.max < max_lon
        || west.longitude.min > min_lon;
    if steps > 1 && too_small {
        steps -= 1;
        (hash, neighbours, area) = at_step(steps);
    }

    // Neighbours beyond the bounding box on a side hold nothing wanted.
    if steps >= 2 {
        let zero = HashBits::default();
        if area.latitude.min < min_lat {
            neighbours.south = zero;
            neighbours.south_west = zero;
            neighbours.south_east = zero;
        }
        if area.latitude.max > max_lat {
            neighbours.north = zero;
            neighbours.north_east = zero;
            neighbours.north_west = zero;
        }
        if area.longitude.min < min_lon {
            neighbours.west = zero;
            neighbours.south_west = zero;
            neighbours.north_west = zero;
        }
        if area.longitude.max > max_lon {
            neighbours.east = zero;
            neighbours.south_east = zero;
            neighbours.north_east = zero;
        }
    }
    SearchArea { hash, neighbours }
}

/// The score interval [min, max) holding every point of a cell.
pub fn score_range(hash: HashBits) -> (f64, f64) {
    let min = hash.align52();
    let max = HashBits { bits: hash.bits + 1, step: hash.step }.align52();
    (min as f64, max as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_on_redis_sphere() {
        // Palermo–Catania as GEODIST prints it: 166274.1516 m.
        let (lon1, lat1) = crate::util::geohash::decode_score(3479099956230698.0);
        let (lon2, lat2) = crate::util::geohash::decode_score(3479447370796909.0);
        let d = distance(lon1, lat1, lon2, lat2);
        assert_eq!(format!("{d:.4}"), "166274.1516");
        assert_eq!(distance(10.0, 10.0, 10.0, 10.0), 0.0);
        assert_eq!(distance(0.0, 0.0, 0.0, 1.0), lat_distance(0.0, 1.0));
    }

    #[test]
    fn steps_follow_radius_and_latitude() {
        assert_eq!(estimate_steps(0.0, 0.0), 26);
        assert_eq!(estimate_steps(MERCATOR_MAX * 2.0, 0.0), 1);
        let equator = estimate_steps(1000.0, 0.0);
        assert_eq!(estimate_steps(1000.0, 70.0), equator - 1);
        assert_eq!(estimate_steps(1000.0, -85.0), equator - 2);
    }

    #[test]
    fn box_contains_by_axis_distances() {
        let shape = Shape { lon: 0.0, lat: 0.0, kind: Kind::Box { width: 200.0, height: 100.0 }, to_meters: 1000.0 };
        assert!(shape.contains(0.8, 0.0).is_some());
        assert!(shape.contains(0.0, 0.5).is_none());
        assert!(shape.contains(1.0, 0.0).is_none());
    }
}
