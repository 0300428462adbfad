//! What transcripts alone do not show: keyspace events, dirty counts, the
//! encoding and TTL of stored results, and the command declarations.

use super::{check, run_line};
use crate::notify::parse_flags;
use crate::pubsub::Subscriber;
use crate::resp::writer::Protocol;
use crate::testing::reply::bulk_strings;
use crate::testing::TestConn;

/// A connection whose keyevent notifications (all classes) reach a
/// pattern subscriber; `events` runs a line and returns "event key" pairs.
struct Watched {
    c: TestConn,
}

impl Watched {
    fn new() -> Self {
        let mut c = TestConn::new();
        c.engine.server.config.notify_keyspace_events = parse_flags("KEA").unwrap();
        let handle = c.connect();
        c.engine.server.pubsub.psubscribe(b"__keyevent@0__:*", Subscriber { handle, proto: Protocol::Resp2 });
        Watched { c }
    }

    fn events(&mut self, line: &str) -> (String, Vec<String>) {
        let reply = run_line(&mut self.c, line);
        let events = self
            .c
            .engine
            .take_events()
            .deliveries()
            .into_iter()
            .map(|(_, bytes)| {
                let words = bulk_strings(&String::from_utf8_lossy(&bytes));
                let event = words[2].trim_start_matches("__keyevent@0__:");
                format!("{event} {}", words[3])
            })
            .collect();
        (reply, events)
    }
}

#[test]
fn keyspace_events_are_redis_72s() {
    // Recorded from redis-server 7.2.4 with notify-keyspace-events KEA.
    let steps: &[(&str, &str, &[&str])] = &[
        ("geoadd g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania", ":2\r\n", &["zadd g"]),
        ("geoadd g 13.361389 38.115556 Palermo", ":0\r\n", &[]),
        ("geoadd g xx 13.361389 38.115556 nope", ":0\r\n", &[]),
        ("geoadd g ch 1 1 Palermo", ":1\r\n", &["zadd g"]),
        ("geoadd g 1 1 Palermo 2 2 x", ":1\r\n", &["zadd g"]),
        ("geoadd g 1 100 y", "-ERR invalid longitude,latitude pair 1.000000,100.000000\r\n", &[]),
        ("georadius g 15 37 200 km store dst", ":1\r\n", &["georadiusstore dst"]),
        ("georadius g 15 37 200 km storedist dst", ":1\r\n", &["georadiusstore dst"]),
        ("georadius g 15 37 1 km store dst", ":0\r\n", &["del dst"]),
        ("georadius g 15 37 1 km store dst", ":0\r\n", &[]),
        ("georadius nokey 15 37 1 km store g2", ":0\r\n", &[]),
        ("geosearchstore dst g fromlonlat 15 37 byradius 200 km", ":1\r\n", &["geosearchstore dst"]),
        ("geosearchstore dst g fromlonlat 15 37 byradius 1 km", ":0\r\n", &["del dst"]),
        ("geosearchstore g g fromlonlat 15 37 byradius 200 km", ":1\r\n", &["geosearchstore g"]),
        ("geosearchstore dst nokey fromlonlat 15 37 byradius 200 km", ":0\r\n", &[]),
        ("geosearchstore g nokey fromlonlat 15 37 byradius 200 km", ":0\r\n", &["del g"]),
        ("geosearch dst fromlonlat 15 37 byradius 200 km", "*0\r\n", &[]),
    ];
    let mut w = Watched::new();
    for (line, reply, events) in steps {
        let (got, got_events) = w.events(line);
        assert_eq!(&got, reply, "{line}");
        assert_eq!(got_events, *events, "{line}");
    }
}

#[test]
fn dirty_counts_follow_redis() {
    let mut c = TestConn::new();
    let dirty_after = |c: &mut TestConn, line: &str| {
        let before = c.engine.server.stats.dirty;
        run_line(c, line);
        c.engine.server.stats.dirty - before
    };
    // ZADD's count: added plus updated.
    assert_eq!(
        dirty_after(&mut c, "geoadd g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania 2.35 48.85 Paris"),
        3
    );
    assert_eq!(dirty_after(&mut c, "geoadd g 13.361389 38.115556 Palermo 15.1 37.5 Catania"), 1);
    // A stored search counts each stored member; an emptied destination one.
    assert_eq!(dirty_after(&mut c, "georadius g 10 40 2000 km store dst"), 3);
    assert_eq!(dirty_after(&mut c, "geosearchstore dst g fromlonlat 10 40 byradius 1 m"), 1);
    assert_eq!(dirty_after(&mut c, "geosearchstore dst g fromlonlat 10 40 byradius 1 m"), 0);
    assert_eq!(dirty_after(&mut c, "geosearch g fromlonlat 10 40 byradius 2000 km"), 0);
}

#[test]
fn stored_results_replace_the_destination_in_the_encoding_that_fits() {
    check(&[
        ("config set zset-max-listpack-entries 128", Some("+OK\r\n")),
        ("geoadd g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania 13.5 38 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", Some(":3\r\n")),
        ("object encoding g", Some("$8\r\nskiplist\r\n")),
        ("set dst x ex 100", Some("+OK\r\n")),
        ("georadius g 15 37 200 km store dst", Some(":3\r\n")),
        ("ttl dst", Some(":-1\r\n")),
        ("object encoding dst", Some("$8\r\nskiplist\r\n")),
        ("geosearchstore dst g fromlonlat 15 37 byradius 200 km count 2", Some(":2\r\n")),
        ("object encoding dst", Some("$8\r\nskiplist\r\n")),
        ("config set zset-max-listpack-entries 1", Some("+OK\r\n")),
        ("geosearchstore dst g fromlonlat 15 37 byradius 200 km count 2", Some(":2\r\n")),
        ("object encoding dst", Some("$8\r\nskiplist\r\n")),
        ("geosearchstore dst g fromlonlat 15 37 byradius 200 km count 1", Some(":1\r\n")),
        ("object encoding dst", Some("$8\r\nlistpack\r\n")),
        ("config set zset-max-listpack-entries 128", Some("+OK\r\n")),
        ("config set zset-max-listpack-value 10", Some("+OK\r\n")),
        ("geosearchstore dst g fromlonlat 15 37 byradius 200 km", Some(":3\r\n")),
        ("object encoding dst", Some("$8\r\nskiplist\r\n")),
        ("geosearchstore dst g fromlonlat 15 37 byradius 200 km count 2", Some(":2\r\n")),
        ("object encoding dst", Some("$8\r\nskiplist\r\n")),
        ("config set zset-max-listpack-value 64", Some("+OK\r\n")),
    ]);
}

#[test]
fn searches_read_both_encodings_alike() {
    let queries = [
        "georadius g 0 0 20000 km withdist withhash withcoord",
        "georadius g 0.5 0 2000 km count 3 desc withdist",
        "geosearch g frommember p7 bybox 3000 1500 mi asc withdist",
        "geosearch g fromlonlat 179 80 byradius 5000 km count 2 any",
        "georadiusbymember_ro g p3 12000 km asc count 10",
    ];
    let mut transcripts = Vec::new();
    for entries in ["128", "0"] {
        let mut c = TestConn::new();
        run_line(&mut c, &format!("config set zset-max-listpack-entries {entries}"));
        for i in 0..40 {
            let (lon, lat) = (-179.5 + 9.0 * i as f64, -84.0 + 4.2 * i as f64);
            run_line(&mut c, &format!("geoadd g {lon} {lat} p{i}"));
        }
        let encoding = run_line(&mut c, "object encoding g");
        let replies: Vec<String> = queries.iter().map(|q| run_line(&mut c, q)).collect();
        assert!(replies.iter().all(|r| r.starts_with('*') && r != "*0\r\n"), "{replies:?}");
        transcripts.push((encoding, replies));
    }
    assert_eq!(transcripts[0].0, "$8\r\nlistpack\r\n");
    assert_eq!(transcripts[1].0, "$8\r\nskiplist\r\n");
    assert_eq!(transcripts[0].1, transcripts[1].1);
}

#[test]
fn declarations_match_command_info() {
    // COMMAND INFO from redis-server 7.2.4, up to the ACL categories.
    let mut c = TestConn::new();
    let want = [
        ("georadius", "*1\r\n*10\r\n$9\r\ngeoradius\r\n:-6\r\n*3\r\n+write\r\n+denyoom\r\n+movablekeys\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@write\r\n+@geo\r\n+@slow\r\n"),
        ("geosearchstore", "*1\r\n*10\r\n$14\r\ngeosearchstore\r\n:-8\r\n*2\r\n+write\r\n+denyoom\r\n:1\r\n:2\r\n:1\r\n*3\r\n+@write\r\n+@geo\r\n+@slow\r\n"),
        ("georadiusbymember_ro", "*1\r\n*10\r\n$20\r\ngeoradiusbymember_ro\r\n:-5\r\n*1\r\n+readonly\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n+@geo\r\n+@slow\r\n"),
    ];
    for (name, prefix) in want {
        let info = c.cmd(&["COMMAND", "INFO", name]);
        assert!(info.starts_with(prefix), "{name}: {info:?}");
    }
    check(&[("geoadd k", Some("-ERR wrong number of arguments for 'geoadd' command\r\n"))]);
}

#[test]
fn distances_and_coordinates_print_as_redis_72() {
    use super::super::{distance_text, human_coordinate};
    // Redis 7.2 rounds distances with llrint(d * 10^4) (ties to even after
    // the multiplication), not with printf's "%.4f" (7.0): 0.00025 is a
    // little above the tie in binary, so "%.4f" gives 0.0003.
    assert_eq!(distance_text(0.00025), "0.0002");
    assert_eq!(distance_text(0.0), "0.0000");
    assert_eq!(distance_text(0.00004), "0.0000");
    assert_eq!(distance_text(1.5), "1.5000");
    assert_eq!(distance_text(166274.15156960033), "166274.1516");
    // "%.17Lf" with trailing zeros cut; "-0" as "0".
    assert_eq!(human_coordinate(13.361389338970184), "13.36138933897018433");
    assert_eq!(human_coordinate(180.0), "180");
    assert_eq!(human_coordinate(-0.0), "0");
    assert_eq!(human_coordinate(-0.000001), "-0.000001");
    assert_eq!(human_coordinate(-0.0000000000000000001), "0");
}

/// Up to 4 points go through ZADD from the stack, more from the heap; a
/// point gets the same score either way.
#[test]
fn many_points_score_as_single_points_do() {
    let mut c = TestConn::new();
    let mut args: Vec<String> = vec!["GEOADD".into(), "many".into(), "CH".into()];
    for i in 0..7 {
        args.extend([format!("13.{i}61389"), format!("38.{i}15556"), format!("p{i}")]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert_eq!(c.cmd(&args), ":7\r\n");
    for i in 0..7 {
        let (lon, lat, member) = (format!("13.{i}61389"), format!("38.{i}15556"), format!("p{i}"));
        assert_eq!(c.cmd(&["GEOADD", "one", &lon, &lat, &member]), ":1\r\n");
        assert_eq!(c.cmd(&["ZSCORE", "many", &member]), c.cmd(&["ZSCORE", "one", &member]));
    }
    assert_eq!(c.cmd(&["GEOADD", "many", "XX", "CH", "1", "2", "p0", "3", "4", "p1", "5", "6", "p9"]), ":2\r\n");
}
