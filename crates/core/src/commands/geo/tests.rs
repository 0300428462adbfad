//! Tests for the geo commands, through the real feed path: transcripts
//! recorded from redis-server (`oracle`), and what a transcript cannot show
//! (keyspace events, encodings of stored results, declarations) in
//! `behaviour`.

pub(super) use crate::testing::run_line;
use crate::testing::TestConn;

mod behaviour;
mod oracle;

/// Runs each line and compares its raw reply where one is given.
fn check(steps: &[(&str, Option<&str>)]) {
    let mut c = TestConn::new();
    for (line, want) in steps {
        let got = run_line(&mut c, line);
        if let Some(want) = want {
            assert_eq!(&got, want, "{line}");
        }
    }
}
