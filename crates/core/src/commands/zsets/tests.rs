//! Tests for the sorted set commands: exact reply bytes through the real
//! feed path. Replies and error strings were checked against redis-server
//! 7.0.15; where 7.2 differs (ZRANK WITHSCORE) a comment says so.

use crate::testing::reply::{bulk, bulks, int};
use crate::testing::{run_line, TestConn};

mod basic;
mod blocking;
mod numbers;
mod oracle;

fn err(msg: &str) -> String {
    format!("-{msg}\r\n")
}
