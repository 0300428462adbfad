use super::*;

const NX_ERR: &str = "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n";
const GT_LT_ERR: &str = "-ERR GT and LT options at the same time are not compatible\r\n";

#[test]
fn expire_sets_a_relative_deadline_in_each_unit() {
    let mut c = TestConn::new();
    let now = c.now();
    set(&mut c, "k", "v");
    assert_eq!(c.cmd(&["expire", "k", "100"]), int(1));
    assert_eq!(c.cmd(&["pexpiretime", "k"]), int(now + 100_000));
    assert_eq!(c.cmd(&["pexpire", "k", "1500"]), int(1));
    assert_eq!(c.cmd(&["pexpiretime", "k"]), int(now + 1500));
    assert_eq!(c.cmd(&["expireat", "k", &(now / 1000 + 50).to_string()]), int(1));
    assert_eq!(c.cmd(&["pexpiretime", "k"]), int((now / 1000 + 50) * 1000));
    assert_eq!(c.cmd(&["pexpireat", "k", &(now + 777).to_string()]), int(1));
    assert_eq!(c.cmd(&["pexpiretime", "k"]), int(now + 777));
    c.advance(776);
    assert_eq!(c.cmd(&["get", "k"]), bulk("v"));
    c.advance(1);
    assert_eq!(c.cmd(&["get", "k"]), NIL);
}

#[test]
fn expire_on_a_missing_key_replies_zero() {
    let mut c = TestConn::new();
    for cmd in ["expire", "pexpire", "expireat", "pexpireat"] {
        assert_eq!(c.cmd(&[cmd, "nokey", "100"]), int(0));
    }
}

#[test]
fn a_deadline_in_the_past_deletes_the_key() {
    let mut c = TestConn::new();
    let now = c.now();
    for (cmd, when) in [
        ("expire", "0".to_string()),
        ("pexpire", "-1".into()),
        ("expireat", "1".into()),
        ("pexpireat", now.to_string()),
    ] {
        set(&mut c, "k", "v");
        let dirty = c.engine.server.stats.dirty;
        assert_eq!(c.cmd(&[cmd, "k", &when]), int(1), "{cmd} {when}");
        assert_eq!(c.cmd(&["exists", "k"]), int(0));
        assert_eq!(c.engine.server.stats.dirty, dirty + 1);
        // Deleted by the command, not expired.
        assert_eq!(c.engine.server.dbs[0].expired, 0);
    }
}

#[test]
fn expire_options_conflicts_and_unknowns() {
    let mut c = TestConn::new();
    set(&mut c, "k", "v");
    assert_eq!(c.cmd(&["expire", "k", "100", "nx", "xx"]), NX_ERR);
    assert_eq!(c.cmd(&["expire", "k", "100", "NX", "gt"]), NX_ERR);
    assert_eq!(c.cmd(&["expire", "k", "100", "nx", "lt"]), NX_ERR);
    assert_eq!(c.cmd(&["expire", "k", "100", "gt", "lt"]), GT_LT_ERR);
    assert_eq!(c.cmd(&["pexpire", "k", "100", "foo"]), "-ERR Unsupported option foo\r\n");
    // Options are checked before the number, and before the key.
    assert_eq!(c.cmd(&["expire", "nokey", "abc", "foo"]), "-ERR Unsupported option foo\r\n");
    assert_eq!(c.cmd(&["expire", "k", "abc"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(c.cmd(&["expire", "k", "1.5"]), "-ERR value is not an integer or out of range\r\n");
    // Repeating an option is allowed.
    assert_eq!(c.cmd(&["expire", "k", "100", "nx", "NX"]), int(1));
    assert_eq!(c.cmd(&["persist", "k"]), int(1));
    // XX with GT is allowed.
    assert_eq!(c.cmd(&["expire", "k", "100", "xx", "gt"]), int(0));
    assert_eq!(c.cmd(&["expire", "k"]), "-ERR wrong number of arguments for 'expire' command\r\n");
    assert_eq!(c.cmd(&["ttl", "k"]), int(-1));
}

#[test]
fn expire_overflow_is_an_invalid_expire_time() {
    let mut c = TestConn::new();
    set(&mut c, "k", "v");
    let err = |cmd: &str| format!("-ERR invalid expire time in '{cmd}' command\r\n");
    assert_eq!(c.cmd(&["expire", "k", "9223372036854775"]), err("expire"));
    assert_eq!(c.cmd(&["expire", "k", "9223372036854775807"]), err("expire"));
    assert_eq!(c.cmd(&["expire", "k", "-9223372036854776"]), err("expire"));
    assert_eq!(c.cmd(&["pexpire", "k", "9223372036854775807"]), err("pexpire"));
    assert_eq!(c.cmd(&["expireat", "k", "9223372036854776"]), err("expireat"));
    assert_eq!(c.cmd(&["ttl", "k"]), int(-1));
    // The largest representable deadlines are accepted.
    assert_eq!(c.cmd(&["expireat", "k", "9223372036854775"]), int(1));
    assert_eq!(c.cmd(&["pexpiretime", "k"]), int(9_223_372_036_854_775_000));
    assert_eq!(c.cmd(&["pexpireat", "k", "9223372036854775807"]), int(1));
    assert_eq!(c.cmd(&["pexpiretime", "k"]), int(i64::MAX));
    // Seconds round up without overflowing.
    assert_eq!(c.cmd(&["expiretime", "k"]), int(9_223_372_036_854_776));
    // A huge negative relative time is merely in the past.
    assert_eq!(c.cmd(&["expire", "k", "-9223372036854775"]), int(1));
    assert_eq!(c.cmd(&["exists", "k"]), int(0));
}

#[test]
fn nx_and_xx_look_at_whether_a_deadline_exists() {
    let mut c = TestConn::new();
    set(&mut c, "k", "v");
    assert_eq!(c.cmd(&["expire", "k", "100", "xx"]), int(0));
    assert_eq!(c.cmd(&["ttl", "k"]), int(-1));
    assert_eq!(c.cmd(&["expire", "k", "100", "nx"]), int(1));
    assert_eq!(c.cmd(&["expire", "k", "200", "nx"]), int(0));
    assert_eq!(c.cmd(&["ttl", "k"]), int(100));
    assert_eq!(c.cmd(&["expire", "k", "200", "xx"]), int(1));
    assert_eq!(c.cmd(&["ttl", "k"]), int(200));
}

#[test]
fn gt_and_lt_treat_no_deadline_as_infinite() {
    let mut c = TestConn::new();
    set(&mut c, "k", "v");
    assert_eq!(c.cmd(&["expire", "k", "100", "gt"]), int(0));
    assert_eq!(c.cmd(&["ttl", "k"]), int(-1));
    assert_eq!(c.cmd(&["expire", "k", "100", "lt"]), int(1));
    assert_eq!(c.cmd(&["ttl", "k"]), int(100));
    assert_eq!(c.cmd(&["expire", "k", "100", "gt"]), int(0));
    assert_eq!(c.cmd(&["expire", "k", "100", "lt"]), int(0));
    assert_eq!(c.cmd(&["expire", "k", "150", "lt"]), int(0));
    assert_eq!(c.cmd(&["expire", "k", "50", "lt"]), int(1));
    assert_eq!(c.cmd(&["ttl", "k"]), int(50));
    assert_eq!(c.cmd(&["expire", "k", "40", "gt"]), int(0));
    assert_eq!(c.cmd(&["expire", "k", "60", "xx", "gt"]), int(1));
    assert_eq!(c.cmd(&["ttl", "k"]), int(60));
    // A past deadline passes LT and deletes the key; it fails GT.
    assert_eq!(c.cmd(&["expire", "k", "-5", "gt"]), int(0));
    assert_eq!(c.cmd(&["expire", "k", "-5", "lt"]), int(1));
    assert_eq!(c.cmd(&["exists", "k"]), int(0));
    set(&mut c, "p", "v");
    assert_eq!(c.cmd(&["expire", "p", "-5", "gt"]), int(0));
    assert_eq!(c.cmd(&["expire", "p", "-5", "xx"]), int(0));
    assert_eq!(c.cmd(&["expire", "p", "-5", "lt"]), int(1));
    assert_eq!(c.cmd(&["exists", "p"]), int(0));
}

#[test]
fn ttl_family_reports_missing_persistent_and_remaining() {
    let mut c = TestConn::new();
    let now = c.now();
    for cmd in ["ttl", "pttl", "expiretime", "pexpiretime"] {
        assert_eq!(c.cmd(&[cmd, "nokey"]), int(-2));
    }
    set(&mut c, "k", "v");
    for cmd in ["ttl", "pttl", "expiretime", "pexpiretime"] {
        assert_eq!(c.cmd(&[cmd, "k"]), int(-1));
    }
    assert_eq!(c.cmd(&["pexpire", "k", "10400"]), int(1));
    assert_eq!(c.cmd(&["ttl", "k"]), int(10));
    assert_eq!(c.cmd(&["pttl", "k"]), int(10400));
    assert_eq!(c.cmd(&["pexpiretime", "k"]), int(now + 10400));
    // Seconds are rounded to the nearest.
    assert_eq!(c.cmd(&["expiretime", "k"]), int((now + 10400 + 500) / 1000));
    c.advance(400);
    assert_eq!(c.cmd(&["ttl", "k"]), int(10));
    c.advance(501);
    assert_eq!(c.cmd(&["ttl", "k"]), int(9));
    assert_eq!(c.cmd(&["pttl", "k"]), int(9499));
    c.advance(9000);
    assert_eq!(c.cmd(&["ttl", "k"]), int(0));
    assert_eq!(c.cmd(&["pttl", "k"]), int(499));
    c.advance(499);
    for cmd in ["ttl", "pttl", "expiretime", "pexpiretime"] {
        assert_eq!(c.cmd(&[cmd, "k"]), int(-2));
    }
}

#[test]
fn ttl_rounds_half_up() {
    let mut c = TestConn::new();
    set(&mut c, "k", "v");
    for (ms, secs) in [(1499, 1), (1500, 2), (499, 0), (500, 1)] {
        assert_eq!(c.cmd(&["pexpire", "k", &ms.to_string()]), int(1));
        assert_eq!(c.cmd(&["ttl", "k"]), int(secs), "{ms} ms");
    }
}

#[test]
fn persist_removes_the_deadline() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["persist", "nokey"]), int(0));
    set(&mut c, "k", "v");
    assert_eq!(c.cmd(&["persist", "k"]), int(0));
    assert_eq!(c.cmd(&["expire", "k", "10"]), int(1));
    let dirty = c.engine.server.stats.dirty;
    assert_eq!(c.cmd(&["persist", "k"]), int(1));
    assert_eq!(c.engine.server.stats.dirty, dirty + 1);
    assert_eq!(c.cmd(&["ttl", "k"]), int(-1));
    c.advance(20_000);
    assert_eq!(c.cmd(&["get", "k"]), bulk("v"));
    // A key already past its deadline is gone, not persisted.
    assert_eq!(c.cmd(&["pexpire", "k", "5"]), int(1));
    c.advance(5);
    assert_eq!(c.cmd(&["persist", "k"]), int(0));
    assert_eq!(c.cmd(&["exists", "k"]), int(0));
}

#[test]
fn set_clears_the_deadline() {
    let mut c = TestConn::new();
    set(&mut c, "k", "v");
    assert_eq!(c.cmd(&["expire", "k", "10"]), int(1));
    set(&mut c, "k", "w");
    assert_eq!(c.cmd(&["ttl", "k"]), int(-1));
}
