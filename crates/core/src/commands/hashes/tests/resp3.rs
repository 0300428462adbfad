//! Replies that differ under RESP3 (HELLO 3), checked against redis-server.

use super::*;

fn resp3() -> TestConn {
    let mut c = TestConn::new();
    c.cmd(&["HELLO", "3"]);
    c
}

#[test]
fn hgetall_is_a_map_and_nulls_are_resp3_nulls() {
    for hashtable in [false, true] {
        let mut c = resp3();
        if hashtable {
            config(&mut c, "hash-max-listpack-entries", "0");
        }
        assert_eq!(run(&mut c, "HSET h a 1"), int(1));
        assert_eq!(run(&mut c, "HGETALL h"), "%1\r\n$1\r\na\r\n$1\r\n1\r\n");
        assert_eq!(run(&mut c, "HGETALL nokey"), "%0\r\n");
        assert_eq!(run(&mut c, "HKEYS h"), "*1\r\n$1\r\na\r\n");
        assert_eq!(run(&mut c, "HVALS nokey"), "*0\r\n");
        assert_eq!(run(&mut c, "HGET h zz"), "_\r\n");
        assert_eq!(run(&mut c, "HMGET h a zz"), "*2\r\n$1\r\n1\r\n_\r\n");
        assert_eq!(run(&mut c, "HRANDFIELD nokey"), "_\r\n");
        assert_eq!(run(&mut c, "HEXISTS h a"), int(1));
        assert_eq!(run(&mut c, "HSCAN h 0"), "*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
        assert_eq!(run(&mut c, "HSCAN nokey 0"), "*2\r\n$1\r\n0\r\n*0\r\n");
        assert_eq!(run(&mut c, "HINCRBYFLOAT h f 1.5"), bulk("1.5"));
    }
}

#[test]
fn hrandfield_with_values_is_an_array_of_pairs() {
    for hashtable in [false, true] {
        let mut c = resp3();
        if hashtable {
            config(&mut c, "hash-max-listpack-entries", "0");
        }
        assert_eq!(run(&mut c, "HSET h a 1"), int(1));
        let pair = "*2\r\n$1\r\na\r\n$1\r\n1\r\n";
        assert_eq!(run(&mut c, "HRANDFIELD h 5 WITHVALUES"), format!("*1\r\n{pair}"));
        assert_eq!(run(&mut c, "HRANDFIELD h 1 WITHVALUES"), format!("*1\r\n{pair}"));
        assert_eq!(run(&mut c, "HRANDFIELD h -2 WITHVALUES"), format!("*2\r\n{pair}{pair}"));
        assert_eq!(run(&mut c, "HRANDFIELD h -2"), "*2\r\n$1\r\na\r\n$1\r\na\r\n");
        assert_eq!(run(&mut c, "HRANDFIELD h 0 WITHVALUES"), "*0\r\n");
        assert_eq!(run(&mut c, "HSET h b 2 c 3 d 4"), int(3));
        for line in ["HRANDFIELD h 2 WITHVALUES", "HRANDFIELD h 3 WITHVALUES"] {
            let reply = run(&mut c, line);
            let n = if line.contains(" 2 ") { 2 } else { 3 };
            let pairs = reply.strip_prefix(&format!("*{n}\r\n")).unwrap();
            assert_eq!(pairs.matches("*2\r\n").count(), n, "{reply}");
            assert_eq!(bulk_strings(pairs).len(), 2 * n, "{reply}");
        }
    }
}
