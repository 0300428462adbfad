//! Tests for the geo commands: exact reply bytes through the real feed path,
//! checked against redis-server 7.2.4.

mod points;
mod search;
