//! Small helpers shared by every command family.

pub mod float;
pub mod geohash;
pub mod glob;
pub mod long_double;
pub mod lzf;
pub mod rng;
