//! MULTI/EXEC/WATCH semantics through the real feed path.

use crate::notify::class;
use crate::testing::reply::{bulk, int};
use crate::testing::TestConn;

const EXECABORT: &str = "-EXECABORT Transaction discarded because of previous errors.\r\n";

#[test]
fn multi_queues_and_exec_replies_every_reply() {
    let mut t = TestConn::new();
    assert_eq!(t.cmd(&["MULTI"]), "+OK\r\n");
    assert_eq!(t.cmd(&["SET", "a", "1"]), "+QUEUED\r\n");
    assert_eq!(t.cmd(&["INCR", "a"]), "+QUEUED\r\n");
    assert_eq!(t.cmd(&["GET", "a"]), "+QUEUED\r\n");
    // Nothing ran yet.
    assert!(t.engine.server.dbs[0].keys().get(b"a").is_none());
    assert_eq!(t.cmd(&["EXEC"]), format!("*3\r\n+OK\r\n{}{}", int(2), bulk("2")));
    assert_eq!(t.cmd(&["GET", "a"]), bulk("2"));
    // An empty transaction is an empty array.
    t.cmd(&["MULTI"]);
    assert_eq!(t.cmd(&["EXEC"]), "*0\r\n");
}

#[test]
fn queueing_errors_abort_exec_and_runtime_errors_stay_in_the_array() {
    let mut t = TestConn::new();
    t.cmd(&["MULTI"]);
    assert_eq!(t.cmd(&["NOPE", "x"]), "-ERR unknown command 'NOPE', with args beginning with: 'x' \r\n");
    assert_eq!(t.cmd(&["SET", "a", "1"]), "+QUEUED\r\n");
    assert_eq!(t.cmd(&["GET"]), "-ERR wrong number of arguments for 'get' command\r\n");
    assert_eq!(t.cmd(&["EXEC"]), EXECABORT);
    assert!(t.engine.server.dbs[0].keys().get(b"a").is_none(), "nothing of an aborted transaction runs");
    assert_eq!(t.cmd(&["EXEC"]), "-ERR EXEC without MULTI\r\n");

    t.cmd(&["MULTI"]);
    t.cmd(&["SET", "k", "v"]);
    t.cmd(&["LPUSH", "k", "x"]);
    t.cmd(&["GET", "k"]);
    assert_eq!(
        t.cmd(&["EXEC"]),
        format!("*3\r\n+OK\r\n-WRONGTYPE Operation against a key holding the wrong kind of value\r\n{}", bulk("v"))
    );
}

#[test]
fn transaction_commands_out_of_place() {
    let mut t = TestConn::new();
    assert_eq!(t.cmd(&["EXEC"]), "-ERR EXEC without MULTI\r\n");
    assert_eq!(t.cmd(&["DISCARD"]), "-ERR DISCARD without MULTI\r\n");
    t.cmd(&["MULTI"]);
    // Neither a nested MULTI nor a WATCH inside MULTI dooms the transaction.
    assert_eq!(t.cmd(&["MULTI"]), "-ERR MULTI calls can not be nested\r\n");
    assert_eq!(t.cmd(&["WATCH", "x"]), "-ERR WATCH inside MULTI is not allowed\r\n");
    t.cmd(&["SET", "a", "1"]);
    assert_eq!(t.cmd(&["EXEC"]), "*1\r\n+OK\r\n");
    // A no-multi command is refused and dooms it.
    t.cmd(&["MULTI"]);
    assert_eq!(t.cmd(&["SHUTDOWN"]), "-ERR Command not allowed inside a transaction\r\n");
    assert_eq!(t.cmd(&["EXEC"]), EXECABORT);
    // DISCARD drops the queue.
    t.cmd(&["MULTI"]);
    t.cmd(&["SET", "b", "1"]);
    assert_eq!(t.cmd(&["DISCARD"]), "+OK\r\n");
    assert_eq!(t.cmd(&["EXISTS", "b"]), int(0));
}

#[test]
fn a_refused_exec_aborts_the_transaction() {
    let mut t = TestConn::new();
    assert_eq!(
        t.cmd(&["EXEC", "x"]),
        "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n"
    );
    t.cmd(&["WATCH", "k"]);
    t.cmd(&["MULTI"]);
    t.cmd(&["SET", "a", "1"]);
    assert!(t.cmd(&["EXEC", "x"]).starts_with("-EXECABORT"));
    assert_eq!(t.cmd(&["EXEC"]), "-ERR EXEC without MULTI\r\n");
    assert_eq!(t.engine.server.watches.watching_clients(), 0);
    assert_eq!(t.engine.server.stats.commands["exec"].rejected_calls, 2);
}

#[test]
fn blocking_commands_do_not_block_inside_exec() {
    let mut t = TestConn::new();
    t.cmd(&["MULTI"]);
    t.cmd(&["BLPOP", "empty", "0"]);
    t.cmd(&["BLMOVE", "empty", "dst", "LEFT", "LEFT", "0"]);
    t.cmd(&["BRPOPLPUSH", "empty", "dst", "0"]);
    t.cmd(&["BZPOPMIN", "empty", "0"]);
    t.cmd(&["SET", "after", "1"]);
    assert_eq!(t.cmd(&["EXEC"]), "*5\r\n*-1\r\n$-1\r\n$-1\r\n*-1\r\n+OK\r\n");
    assert!(t.engine.client(t.handle).unwrap().blocked.is_none());
    t.cmd(&["HELLO", "3"]);
    t.cmd(&["MULTI"]);
    t.cmd(&["BLPOP", "empty", "0"]);
    t.cmd(&["BLMOVE", "empty", "dst", "LEFT", "LEFT", "0"]);
    assert_eq!(t.cmd(&["EXEC"]), "*2\r\n_\r\n_\r\n");
}

#[test]
fn a_push_inside_exec_wakes_waiters_after_exec() {
    let mut t = TestConn::new();
    let waiter = t.connect();
    assert_eq!(t.cmd_on(waiter, &["BLPOP", "l", "0"]), "");
    t.cmd(&["MULTI"]);
    t.cmd(&["LPUSH", "l", "a"]);
    t.cmd(&["LPUSH", "l", "b"]);
    assert_eq!(t.cmd(&["EXEC"]), format!("*2\r\n{}{}", int(1), int(2)));
    // The waiter is served once EXEC is over: it pops the head the whole
    // transaction left, as Redis serves it.
    let events = t.engine.take_events();
    assert_eq!(events.deliveries(), vec![(waiter, b"*2\r\n$1\r\nl\r\n$1\r\nb\r\n".to_vec())]);
    assert_eq!(t.cmd(&["LRANGE", "l", "0", "-1"]), "*1\r\n$1\r\na\r\n");
}

#[test]
fn exec_counts_its_commands_like_the_feed_loop() {
    let mut t = TestConn::new();
    t.cmd(&["MULTI"]);
    t.cmd(&["SET", "a", "1"]);
    t.cmd(&["LPUSH", "a", "x"]);
    let before = t.engine.server.stats.total_commands_processed;
    t.cmd(&["EXEC"]);
    let stats = &t.engine.server.stats;
    assert_eq!(stats.total_commands_processed, before + 3);
    assert_eq!(stats.commands["set"].calls, 1);
    assert_eq!(stats.commands["lpush"].calls, 1);
    assert_eq!(stats.commands["lpush"].failed_calls, 1);
    assert_eq!(stats.commands["exec"].calls, 1);
    assert_eq!(stats.commands["exec"].failed_calls, 0);
    assert_eq!(stats.errors["WRONGTYPE"], 1);
    // A refused command counts as rejected, an aborted EXEC as failed.
    t.cmd(&["MULTI"]);
    t.cmd(&["GET"]);
    t.cmd(&["EXEC"]);
    let stats = &t.engine.server.stats;
    assert_eq!(stats.commands["get"].rejected_calls, 1);
    assert_eq!(stats.commands["exec"].failed_calls, 1);
    assert_eq!(stats.errors["EXECABORT"], 1);
}

#[test]
fn client_list_shows_the_transaction() {
    let mut t = TestConn::new();
    t.cmd(&["MULTI"]);
    t.cmd(&["SET", "a", "1"]);
    t.cmd(&["GET", "a"]);
    let other = t.connect();
    let list = t.cmd_on(other, &["CLIENT", "LIST"]);
    let line = list.lines().find(|l| l.contains("id=1 ")).unwrap().to_string();
    assert!(line.contains(" flags=x "), "{line}");
    assert!(line.contains(" multi=2 "), "{line}");
    // Two queued commands: their argument bytes plus a pointer each, as Redis counts.
    assert!(line.contains(" multi-mem=49 "), "{line}");
    // While EXEC runs, the transaction still counts what it queued.
    t.cmd(&["CLIENT", "INFO"]);
    let exec = t.cmd(&["EXEC"]);
    assert!(exec.contains(" flags=x ") && exec.contains(" multi=3 ") && exec.contains(" multi-mem=75 "), "{exec}");
    let list = t.cmd_on(other, &["CLIENT", "LIST"]);
    let line = list.lines().find(|l| l.contains("id=1 ")).unwrap().to_string();
    assert!(line.contains(" flags=N ") && line.contains(" multi=-1 ") && line.contains(" multi-mem=0 "), "{line}");
}

/// WATCH k, then `change` from another connection; EXEC's reply.
fn exec_after(setup: &[&[&str]], watch: &[&str], change: impl FnOnce(&mut TestConn, u32)) -> String {
    let mut t = TestConn::new();
    for cmd in setup {
        t.cmd(cmd);
    }
    let mut w = vec!["WATCH"];
    w.extend_from_slice(watch);
    assert_eq!(t.cmd(&w), "+OK\r\n");
    let other = t.connect();
    change(&mut t, other);
    t.cmd(&["MULTI"]);
    t.cmd(&["PING"]);
    t.cmd(&["EXEC"])
}

#[test]
fn any_change_to_a_watched_key_fails_exec() {
    // Untouched: EXEC runs.
    assert_eq!(exec_after(&[&["SET", "k", "v"]], &["k"], |_, _| {}), "*1\r\n+PONG\r\n");
    // The hook every write reaches.
    let r = exec_after(&[], &["k"], |t, _| t.engine.server.key_changed(0, class::STRING, "set", b"k"));
    assert_eq!(r, "*-1\r\n");
    // The same key in another database is another key.
    let r = exec_after(&[], &["k"], |t, _| t.engine.server.key_changed(1, class::STRING, "set", b"k"));
    assert_eq!(r, "*1\r\n+PONG\r\n");
    // RENAME onto it, from it, MOVE, COPY onto it.
    let r =
        exec_after(&[&["SET", "src", "v"]], &["k"], |t, o| assert_eq!(t.cmd_on(o, &["RENAME", "src", "k"]), "+OK\r\n"));
    assert_eq!(r, "*-1\r\n");
    let r = exec_after(&[&["SET", "k", "v"]], &["k"], |t, o| assert_eq!(t.cmd_on(o, &["RENAME", "k", "x"]), "+OK\r\n"));
    assert_eq!(r, "*-1\r\n");
    let r = exec_after(&[&["SET", "k", "v"]], &["k"], |t, o| assert_eq!(t.cmd_on(o, &["MOVE", "k", "1"]), int(1)));
    assert_eq!(r, "*-1\r\n");
    let r = exec_after(&[&["SET", "src", "v"]], &["k"], |t, o| assert_eq!(t.cmd_on(o, &["COPY", "src", "k"]), int(1)));
    assert_eq!(r, "*-1\r\n");
    // A change by the watching client itself counts too.
    let r = exec_after(&[&["SET", "src", "v"]], &["k"], |t, _| {
        t.cmd(&["RENAME", "src", "k"]);
    });
    assert_eq!(r, "*-1\r\n");
}

#[test]
fn a_failed_watch_replies_a_null_array_in_resp3_too() {
    let r = exec_after(&[&["HELLO", "3"], &["SET", "src", "v"]], &["k"], |t, o| {
        t.cmd_on(o, &["RENAME", "src", "k"]);
    });
    assert_eq!(r, "_\r\n");
}

#[test]
fn unwatch_discard_and_exec_forget_the_watches() {
    let change = |t: &mut TestConn, _: u32| t.engine.server.key_changed(0, class::STRING, "set", b"k");
    let mut t = TestConn::new();
    t.cmd(&["WATCH", "k"]);
    assert_eq!(t.cmd(&["UNWATCH"]), "+OK\r\n");
    change(&mut t, 0);
    t.cmd(&["MULTI"]);
    assert_eq!(t.cmd(&["EXEC"]), "*0\r\n");
    // UNWATCH clears an already broken watch too.
    t.cmd(&["WATCH", "k"]);
    change(&mut t, 0);
    t.cmd(&["UNWATCH"]);
    t.cmd(&["MULTI"]);
    assert_eq!(t.cmd(&["EXEC"]), "*0\r\n");
    // DISCARD unwatches.
    t.cmd(&["WATCH", "k"]);
    t.cmd(&["MULTI"]);
    t.cmd(&["DISCARD"]);
    change(&mut t, 0);
    t.cmd(&["MULTI"]);
    assert_eq!(t.cmd(&["EXEC"]), "*0\r\n");
    // A failed EXEC unwatches.
    t.cmd(&["WATCH", "k"]);
    change(&mut t, 0);
    t.cmd(&["MULTI"]);
    assert_eq!(t.cmd(&["EXEC"]), "*-1\r\n");
    change(&mut t, 0);
    t.cmd(&["MULTI"]);
    assert_eq!(t.cmd(&["EXEC"]), "*0\r\n");
    assert_eq!(t.engine.server.watches.total_watched_keys(), 0);
    assert_eq!(t.engine.server.watches.watching_clients(), 0);
}

#[test]
fn flushes_break_watches_on_keys_that_exist() {
    let flushdb = |t: &mut TestConn, o: u32| assert_eq!(t.cmd_on(o, &["FLUSHDB"]), "+OK\r\n");
    assert_eq!(exec_after(&[&["SET", "k", "v"]], &["k"], flushdb), "*-1\r\n");
    // Nothing to delete: nothing changed.
    assert_eq!(exec_after(&[&["SET", "other", "v"]], &["k"], flushdb), "*1\r\n+PONG\r\n");
    let flushall = |t: &mut TestConn, o: u32| {
        t.cmd_on(o, &["SELECT", "5"]);
        assert_eq!(t.cmd_on(o, &["FLUSHALL"]), "+OK\r\n");
    };
    assert_eq!(exec_after(&[&["SET", "k", "v"]], &["k"], flushall), "*-1\r\n");
    // FLUSHDB of another database leaves the watch alone.
    let other_db = |t: &mut TestConn, o: u32| {
        t.cmd_on(o, &["SELECT", "5"]);
        t.cmd_on(o, &["FLUSHDB"]);
    };
    assert_eq!(exec_after(&[&["SET", "k", "v"]], &["k"], other_db), "*1\r\n+PONG\r\n");
}

#[test]
fn swapdb_breaks_watches_on_keys_on_either_side() {
    let swap = |t: &mut TestConn, o: u32| assert_eq!(t.cmd_on(o, &["SWAPDB", "0", "1"]), "+OK\r\n");
    assert_eq!(exec_after(&[&["SET", "k", "v"]], &["k"], swap), "*-1\r\n");
    let in_other = [&["SELECT", "1"][..], &["SET", "k", "v"], &["SELECT", "0"]];
    assert_eq!(exec_after(&in_other, &["k"], swap), "*-1\r\n");
    // On neither side: still valid.
    assert_eq!(exec_after(&[&["SET", "x", "v"]], &["k"], swap), "*1\r\n+PONG\r\n");
    // Swapping a database with itself changes nothing.
    let self_swap = |t: &mut TestConn, o: u32| assert_eq!(t.cmd_on(o, &["SWAPDB", "0", "0"]), "+OK\r\n");
    assert_eq!(exec_after(&[&["SET", "k", "v"]], &["k"], self_swap), "*1\r\n+PONG\r\n");
}

#[test]
fn a_watched_key_that_expires_before_exec_fails_it() {
    let mut t = TestConn::new();
    t.cmd(&["SET", "k", "v", "PX", "100"]);
    t.cmd(&["WATCH", "k"]);
    t.advance(200);
    t.cmd(&["MULTI"]);
    t.cmd(&["PING"]);
    assert_eq!(t.cmd(&["EXEC"]), "*-1\r\n");
    // Even once the expired key was reclaimed by a read.
    t.cmd(&["SET", "k", "v", "PX", "100"]);
    t.cmd(&["WATCH", "k"]);
    t.advance(200);
    assert_eq!(t.cmd(&["GET", "k"]), "$-1\r\n");
    t.cmd(&["MULTI"]);
    assert_eq!(t.cmd(&["EXEC"]), "*-1\r\n");
    // Still alive at EXEC: fine.
    t.cmd(&["SET", "k", "v", "PX", "1000"]);
    t.cmd(&["WATCH", "k"]);
    t.advance(200);
    t.cmd(&["MULTI"]);
    assert_eq!(t.cmd(&["EXEC"]), "*0\r\n");
}

#[test]
fn watching_an_already_expired_key_is_not_a_change() {
    let mut t = TestConn::new();
    t.engine.server.config.active_expire_enabled = false;
    t.cmd(&["SET", "k", "v", "PX", "100"]);
    t.advance(200);
    t.cmd(&["WATCH", "k"]);
    t.cmd(&["MULTI"]);
    assert_eq!(t.cmd(&["EXEC"]), "*0\r\n");
    // Its deletion is no change either, but a new value is.
    t.cmd(&["SET", "k", "v", "PX", "100"]);
    t.advance(200);
    t.cmd(&["WATCH", "k"]);
    let now = t.now();
    t.engine.server.dbs[0].delete(b"k", now);
    t.engine.server.key_changed(0, class::EXPIRED, "expired", b"k");
    t.cmd(&["SET", "k", "new"]);
    t.engine.server.key_changed(0, class::STRING, "set", b"k");
    t.cmd(&["MULTI"]);
    assert_eq!(t.cmd(&["EXEC"]), "*-1\r\n");
}

#[test]
fn reset_ends_the_transaction() {
    let mut t = TestConn::new();
    t.cmd(&["WATCH", "k"]);
    t.cmd(&["MULTI"]);
    t.cmd(&["SET", "a", "1"]);
    assert_eq!(t.cmd(&["RESET"]), "+RESET\r\n");
    assert_eq!(t.cmd(&["EXEC"]), "-ERR EXEC without MULTI\r\n");
    assert_eq!(t.cmd(&["EXISTS", "a"]), int(0));
    assert_eq!(t.engine.server.watches.watching_clients(), 0);
}

#[test]
fn a_disconnect_forgets_the_watches() {
    let mut t = TestConn::new();
    let other = t.connect();
    t.cmd_on(other, &["WATCH", "a", "b"]);
    assert_eq!(t.engine.server.watches.total_watched_keys(), 2);
    t.engine.disconnect(other);
    assert_eq!(t.engine.server.watches.total_watched_keys(), 0);
}

#[test]
fn exec_hands_commands_the_host_answers_to_the_host_in_their_turn() {
    use crate::engine::status;
    let mut t = TestConn::new();
    let waiter = t.connect();
    t.cmd_on(waiter, &["BLPOP", "l", "0"]);
    t.cmd(&["MULTI"]);
    t.cmd(&["LPUSH", "l", "a"]);
    assert_eq!(t.cmd(&["CONFIG", "GET", "maxmemory"]), "+QUEUED\r\n");
    t.cmd(&["LPUSH", "l", "b"]);
    t.cmd(&["CONFIG", "SET", "maxmemory", "0"]);
    // EXEC and a command pipelined after it.
    let h = t.handle;
    let st = t.engine.feed(h, b"*1\r\n$4\r\nEXEC\r\n*1\r\n$4\r\nPING\r\n");
    assert_eq!(st & status::HOST_COMMAND, status::HOST_COMMAND);
    assert_eq!(String::from_utf8_lossy(t.engine.output()), "*4\r\n:1\r\n");
    t.engine.clear_output();
    let cmd = t.engine.take_host_command(h).unwrap();
    assert_eq!(cmd, vec![b"CONFIG".to_vec(), b"GET".to_vec(), b"maxmemory".to_vec()]);
    // Nobody is served in the middle of the transaction.
    assert!(t.engine.take_events().deliveries().is_empty());
    // The host wrote its reply; fed again, EXEC goes on to the next one.
    let st = t.engine.feed(h, b"");
    assert_eq!(st & status::HOST_COMMAND, status::HOST_COMMAND);
    assert_eq!(String::from_utf8_lossy(t.engine.output()), ":2\r\n");
    t.engine.clear_output();
    assert_eq!(t.engine.take_host_command(h).unwrap()[1], b"SET".to_vec());
    t.engine.feed(h, b"");
    // The rest: the transaction is over, the waiter is served, PING runs.
    assert_eq!(String::from_utf8_lossy(t.engine.output()), "+PONG\r\n");
    t.engine.clear_output();
    let events = t.engine.take_events();
    assert_eq!(events.deliveries(), vec![(waiter, b"*2\r\n$1\r\nl\r\n$1\r\nb\r\n".to_vec())]);
    assert_eq!(t.cmd(&["EXEC"]), "-ERR EXEC without MULTI\r\n");
}
