use super::*;

#[test]
fn zadd_and_read_back() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["zadd", "z", "1", "a", "2", "b"]), int(2));
    assert_eq!(c.cmd(&["zrange", "z", "0", "-1", "withscores"]), bulks(&["a", "1", "b", "2"]));
    assert_eq!(c.cmd(&["zscore", "z", "a"]), bulk("1"));
    assert_eq!(c.cmd(&["zscore", "z", "x"]), NIL);
    let _ = (run, err);
}
