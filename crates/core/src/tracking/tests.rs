//! Client-side caching through the real feed path: what each connection
//! receives, byte for byte (Redis 7.2's replies, checked by hand against it).

use crate::testing::reply::int;
use crate::testing::TestConn;

fn push(key: &str) -> String {
    format!(">2\r\n$10\r\ninvalidate\r\n*1\r\n${}\r\n{key}\r\n", key.len())
}

/// The messages for the test's main connection.
fn own_events(t: &mut TestConn) -> String {
    let h = t.handle;
    events_for(t, h)
}

const FLUSHED: &str = ">2\r\n$10\r\ninvalidate\r\n_\r\n";

/// The messages the last feed produced for `handle`, concatenated.
fn events_for(t: &mut TestConn, handle: u32) -> String {
    let events = t.engine.take_events();
    let bytes: Vec<u8> = events.deliveries().into_iter().filter(|(h, _)| *h == handle).flat_map(|(_, b)| b).collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A RESP3 connection with tracking on (plus `options`), having read `k`.
fn tracking_reader(options: &[&str]) -> TestConn {
    let mut t = TestConn::new();
    t.cmd(&["HELLO", "3"]);
    let mut cmd = vec!["CLIENT", "TRACKING", "on"];
    cmd.extend_from_slice(options);
    assert_eq!(t.cmd(&cmd), "+OK\r\n");
    t.cmd(&["SET", "src", "v"]);
    assert_eq!(t.cmd(&["GET", "k"]), "_\r\n");
    t
}

#[test]
fn a_change_by_another_client_invalidates_once() {
    let mut t = tracking_reader(&[]);
    let other = t.connect();
    assert_eq!(t.cmd_on(other, &["RENAME", "src", "k"]), "+OK\r\n");
    assert_eq!(own_events(&mut t), push("k"));
    // Forgotten once sent: a second change says nothing until read again.
    t.cmd_on(other, &["SET", "src", "v"]);
    t.cmd_on(other, &["RENAME", "src", "k"]);
    assert_eq!(own_events(&mut t), "");
    assert_eq!(t.engine.server.tracking.total_keys(), 0);
}

#[test]
fn the_clients_own_change_comes_after_its_reply_unless_noloop() {
    let mut t = tracking_reader(&[]);
    assert_eq!(t.cmd(&["RENAME", "src", "k"]), format!("+OK\r\n{}", push("k")));
    let mut t = tracking_reader(&["NOLOOP"]);
    assert_eq!(t.cmd(&["RENAME", "src", "k"]), "+OK\r\n");
}

#[test]
fn inside_exec_the_invalidation_follows_the_whole_reply() {
    let mut t = tracking_reader(&[]);
    t.cmd(&["MULTI"]);
    t.cmd(&["RENAME", "src", "k"]);
    t.cmd(&["GET", "k"]);
    assert_eq!(t.cmd(&["EXEC"]), format!("*2\r\n+OK\r\n$1\r\nv\r\n{}", push("k")));
    // The GET inside EXEC remembered the key again.
    assert_eq!(t.engine.server.tracking.total_keys(), 1);
}

#[test]
fn resp2_without_redirect_gets_nothing() {
    let mut t = TestConn::new();
    t.cmd(&["CLIENT", "TRACKING", "on"]);
    t.cmd(&["SET", "src", "v"]);
    t.cmd(&["GET", "k"]);
    assert_eq!(t.cmd(&["RENAME", "src", "k"]), "+OK\r\n");
    assert_eq!(t.engine.server.tracking.total_keys(), 0);
}

#[test]
fn redirect_to_a_resp3_client() {
    let mut t = TestConn::new();
    let target = t.connect();
    t.cmd_on(target, &["HELLO", "3"]);
    let id = t.cmd_on(target, &["CLIENT", "ID"]);
    let id = id.trim_start_matches(':').trim();
    assert_eq!(t.cmd(&["CLIENT", "TRACKING", "on", "REDIRECT", id]), "+OK\r\n");
    assert_eq!(t.cmd(&["CLIENT", "GETREDIR"]), int(id.parse().unwrap()));
    t.cmd(&["SET", "src", "v"]);
    t.cmd(&["GET", "k"]);
    assert_eq!(t.cmd(&["RENAME", "src", "k"]), "+OK\r\n");
    assert_eq!(events_for(&mut t, target), push("k"));
}

#[test]
fn redirect_to_a_resp2_subscriber_is_a_pubsub_message() {
    let mut t = TestConn::new();
    let target = t.connect();
    let id = t.engine.client(target).unwrap().id.to_string();
    t.cmd(&["CLIENT", "TRACKING", "on", "REDIRECT", &id]);
    t.cmd(&["SET", "src", "v"]);
    t.cmd(&["GET", "k"]);
    // Not in Pub/Sub mode: RESP2 has nowhere to put it.
    t.cmd(&["RENAME", "src", "k"]);
    assert_eq!(events_for(&mut t, target), "");
    t.cmd_on(target, &["SUBSCRIBE", "__redis__:invalidate"]);
    t.cmd(&["GET", "k"]);
    t.cmd(&["RENAME", "k", "src"]);
    assert_eq!(events_for(&mut t, target), "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$1\r\nk\r\n");
}

#[test]
fn a_vanished_redirect_client_is_reported() {
    let mut t = TestConn::new();
    t.cmd(&["HELLO", "3"]);
    let target = t.connect();
    let id = t.engine.client(target).unwrap().id;
    t.cmd(&["CLIENT", "TRACKING", "on", "REDIRECT", &id.to_string()]);
    t.cmd(&["SET", "src", "v"]);
    t.cmd(&["GET", "k"]);
    t.engine.disconnect(target);
    assert_eq!(t.cmd(&["RENAME", "src", "k"]), format!("+OK\r\n>2\r\n$21\r\ntracking-redir-broken\r\n:{id}\r\n"));
    let info = t.cmd(&["CLIENT", "TRACKINGINFO"]);
    assert_eq!(
        info,
        format!(
            "%3\r\n$5\r\nflags\r\n~2\r\n$2\r\non\r\n$15\r\nbroken_redirect\r\n$8\r\nredirect\r\n:{id}\r\n$8\r\nprefixes\r\n*0\r\n"
        )
    );
    assert!(t.cmd(&["CLIENT", "INFO"]).contains(" flags=tR "));
}

#[test]
fn bcast_batches_the_changes_of_a_turn_per_prefix() {
    let mut t = TestConn::new();
    t.cmd(&["HELLO", "3"]);
    assert_eq!(t.cmd(&["CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "a", "PREFIX", "b"]), "+OK\r\n");
    let other = t.connect();
    t.cmd_on(other, &["MSET", "x", "1", "y", "2", "z", "3"]);
    t.engine.take_events();
    // Three renames in one read: one message per prefix, keys in byte order.
    let pipeline = b"*3\r\n$6\r\nRENAME\r\n$1\r\nx\r\n$2\r\na2\r\n*3\r\n$6\r\nRENAME\r\n$1\r\ny\r\n$2\r\nb1\r\n*3\r\n$6\r\nRENAME\r\n$1\r\nz\r\n$2\r\na1\r\n";
    t.raw_on(other, pipeline);
    assert_eq!(
        own_events(&mut t),
        ">2\r\n$10\r\ninvalidate\r\n*2\r\n$2\r\na1\r\n$2\r\na2\r\n>2\r\n$10\r\ninvalidate\r\n*1\r\n$2\r\nb1\r\n"
    );
    assert!(t.cmd(&["CLIENT", "INFO"]).contains(" flags=tB "));
    assert_eq!(t.engine.server.tracking.total_prefixes(), 2);
    // Its own changes come after its replies, at the end of the read.
    t.cmd(&["SET", "src", "v"]);
    assert_eq!(t.cmd(&["RENAME", "src", "a3"]), format!("+OK\r\n{}", push("a3")));
}

#[test]
fn bcast_noloop_leaves_out_the_clients_own_changes() {
    let mut t = TestConn::new();
    t.cmd(&["HELLO", "3"]);
    t.cmd(&["CLIENT", "TRACKING", "on", "BCAST", "NOLOOP"]);
    t.cmd(&["MSET", "x", "1", "y", "2"]);
    assert_eq!(t.cmd(&["RENAME", "x", "k1"]), "+OK\r\n");
    let other = t.connect();
    t.cmd_on(other, &["RENAME", "y", "k2"]);
    // Both names changed, in byte order.
    assert_eq!(own_events(&mut t), ">2\r\n$10\r\ninvalidate\r\n*2\r\n$2\r\nk2\r\n$1\r\ny\r\n");
}

#[test]
fn optin_and_optout_decide_with_client_caching() {
    let mut t = tracking_reader(&["OPTIN"]);
    assert_eq!(t.engine.server.tracking.total_keys(), 0, "OPTIN remembers nothing by default");
    assert_eq!(t.cmd(&["CLIENT", "CACHING", "yes"]), "+OK\r\n");
    t.cmd(&["GET", "k"]);
    assert_eq!(t.engine.server.tracking.total_keys(), 1);
    // Only for the next command.
    t.cmd(&["GET", "k2"]);
    assert_eq!(t.engine.server.tracking.total_keys(), 1);
    // A refused command uses it up too; another CLIENT subcommand does not.
    t.cmd(&["CLIENT", "CACHING", "yes"]);
    t.cmd(&["NOPE"]);
    t.cmd(&["GET", "k3"]);
    assert_eq!(t.engine.server.tracking.total_keys(), 1);
    t.cmd(&["CLIENT", "CACHING", "yes"]);
    t.cmd(&["CLIENT", "ID"]);
    t.cmd(&["GET", "k4"]);
    assert_eq!(t.engine.server.tracking.total_keys(), 2);

    let mut t = tracking_reader(&["OPTOUT"]);
    assert_eq!(t.engine.server.tracking.total_keys(), 1);
    assert_eq!(t.cmd(&["CLIENT", "CACHING", "no"]), "+OK\r\n");
    t.cmd(&["GET", "k2"]);
    assert_eq!(t.engine.server.tracking.total_keys(), 1);
}

#[test]
fn flushes_invalidate_everything() {
    let mut t = tracking_reader(&[]);
    let other = t.connect();
    t.cmd_on(other, &["FLUSHALL"]);
    assert_eq!(own_events(&mut t), FLUSHED);
    assert_eq!(t.engine.server.tracking.total_keys(), 0);
    // The flushing client itself gets it after its reply.
    assert_eq!(t.cmd(&["FLUSHDB"]), format!("+OK\r\n{FLUSHED}"));
}

#[test]
fn info_counts_tracking() {
    let mut t = tracking_reader(&[]);
    let other = t.connect();
    t.cmd_on(other, &["CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "p"]);
    t.cmd(&["MGET", "a", "b"]);
    let info = t.cmd(&["INFO"]);
    for field in [
        "tracking_clients:2\r\n",
        "tracking_total_keys:3\r\n",
        "tracking_total_items:3\r\n",
        "tracking_total_prefixes:1\r\n",
    ] {
        assert!(info.contains(field), "{field} missing");
    }
    t.cmd(&["CLIENT", "TRACKING", "off"]);
    t.engine.disconnect(other);
    let info = t.cmd(&["INFO"]);
    assert!(info.contains("tracking_clients:0\r\n") && info.contains("tracking_total_prefixes:0\r\n"));
    assert_eq!(t.cmd(&["CLIENT", "GETREDIR"]), int(-1));
}

#[test]
fn keys_of_movable_key_reads_are_remembered() {
    let mut t = tracking_reader(&[]);
    t.cmd(&["SINTERCARD", "2", "s1", "s2", "LIMIT", "1"]);
    t.cmd(&["ZUNION", "2", "z1", "z2"]);
    // k from the setup read, and four more.
    assert_eq!(t.engine.server.tracking.total_keys(), 5);
}

#[test]
fn an_exec_paused_for_the_host_keeps_its_invalidations_until_it_ends() {
    let mut t = tracking_reader(&[]);
    t.cmd(&["MULTI"]);
    t.cmd(&["RENAME", "src", "k"]);
    t.cmd(&["CONFIG", "GET", "maxmemory"]);
    t.cmd(&["GET", "k"]);
    assert_eq!(t.cmd(&["EXEC"]), "*3\r\n+OK\r\n");
    let h = t.handle;
    assert!(t.engine.take_host_command(h).is_some());
    // (The host writes CONFIG's reply here.)
    assert_eq!(String::from_utf8_lossy(&t.raw(b"")), format!("$1\r\nv\r\n{}", push("k")));
}

#[test]
fn past_tracking_table_max_keys_keys_are_invalidated_until_the_table_fits() {
    let mut t = tracking_reader(&[]);
    t.engine.server.config.set("tracking-table-max-keys", "5").unwrap();
    // "k" is tracked already; eight more make nine keys, four over the limit.
    let keys: Vec<String> = (1..=8).map(|i| format!("key{i}")).collect();
    let mut cmd = vec!["MGET"];
    cmd.extend(keys.iter().map(String::as_str));
    let out = t.cmd(&cmd);
    let reply = format!("*8\r\n{}", "_\r\n".repeat(8));
    assert!(out.starts_with(&reply), "{out}");
    // The pushes after the reply name the four keys dropped from the table.
    let pushes = &out[reply.len()..];
    assert_eq!(pushes.matches(">2\r\n$10\r\ninvalidate\r\n*1\r\n").count(), 4, "{pushes}");
    assert_eq!(t.engine.server.tracking.total_keys(), 5);
    // 0 lifts the limit.
    t.engine.server.config.set("tracking-table-max-keys", "0").unwrap();
    t.cmd(&["MGET", "a", "b", "c"]);
    assert_eq!(t.engine.server.tracking.total_keys(), 8);
}
