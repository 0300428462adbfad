//! The `timeout` directive: which clients the host should close for being
//! idle. The host owns the sockets and the directive; the core knows when a
//! client last did something and whether it is waiting on purpose.

use crate::client::Client;

/// Redis's `clientsCronHandleTimeout` rule: a client idle for more than
/// `max_idle_secs` whole seconds is closed, unless waiting is what it asked
/// for: blocked on keys (BLPOP …) or by CLIENT PAUSE, subscribed, or in MONITOR. Seconds are
/// compared as Redis compares its cached unix time, after truncating both
/// instants.
pub fn idle_past(client: &Client, now_ms: i64, max_idle_secs: i64) -> bool {
    if max_idle_secs <= 0 || client.blocked.is_some() || client.postponed || client.in_pubsub() || client.monitor {
        return false;
    }
    now_ms / 1000 - client.last_interaction_ms / 1000 > max_idle_secs
}

#[cfg(test)]
mod tests {
    use crate::testing::TestConn;

    #[test]
    fn idle_client_times_out_only_past_whole_seconds() {
        let mut t = TestConn::new();
        // Start on a second boundary so the truncation is predictable.
        let into_second = t.now() % 1000;
        t.advance(1000 - into_second);
        t.cmd(&["PING"]);
        t.advance(2999);
        assert!(t.engine.idle_clients(2).is_empty(), "2.999s idle is not more than 2s");
        t.advance(1);
        assert_eq!(t.engine.idle_clients(2), vec![t.handle]);
        assert!(t.engine.idle_clients(0).is_empty(), "timeout 0 never closes");
    }

    #[test]
    fn subscribers_and_monitors_are_never_idle() {
        let mut t = TestConn::new();
        let monitor = t.connect();
        t.cmd(&["SUBSCRIBE", "news"]);
        t.cmd_on(monitor, &["MONITOR"]);
        t.advance(10_000);
        assert!(t.engine.idle_clients(1).is_empty());
        t.cmd(&["UNSUBSCRIBE"]);
        t.advance(2_000);
        assert_eq!(t.engine.idle_clients(1), vec![t.handle]);
    }

    #[test]
    fn a_command_resets_the_idle_time() {
        let mut t = TestConn::new();
        t.advance(5000);
        assert_eq!(t.engine.idle_clients(1), vec![t.handle]);
        t.cmd(&["GET", "k"]);
        assert!(t.engine.idle_clients(1).is_empty());
    }

    #[test]
    fn blocked_clients_are_exempt_until_served() {
        let mut t = TestConn::new();
        let waiter = t.connect();
        assert_eq!(t.cmd_on(waiter, &["BLPOP", "q", "0"]), "");
        t.advance(10_000);
        assert_eq!(t.engine.idle_clients(5), vec![t.handle]);
        t.cmd(&["RPUSH", "q", "x"]);
        t.engine.take_events();
        assert!(t.engine.idle_clients(5).is_empty(), "both clients just interacted");
        t.advance(10_000);
        let mut idle = t.engine.idle_clients(5);
        idle.sort_unstable();
        assert_eq!(idle, vec![t.handle, waiter]);
    }
}
