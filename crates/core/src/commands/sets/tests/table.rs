//! The declarations, as COMMAND INFO and COMMAND DOCS show them.

use super::*;

#[test]
fn command_info_matches_redis() {
    let mut c = TestConn::new();
    let info = c.cmd(&["command", "info", "sintercard"]);
    assert!(info.starts_with("*1\r\n*10\r\n$10\r\nsintercard\r\n:-3\r\n*2\r\n+readonly\r\n+movablekeys\r\n:0\r\n:0\r\n:0\r\n*3\r\n+@read\r\n+@set\r\n+@slow\r\n"), "{info:?}");
    let info = c.cmd(&["command", "info", "smove"]);
    assert!(info.starts_with("*1\r\n*10\r\n$5\r\nsmove\r\n:4\r\n*2\r\n+write\r\n+fast\r\n:1\r\n:2\r\n:1\r\n*3\r\n+@write\r\n+@set\r\n+@fast\r\n"), "{info:?}");
    let info = c.cmd(&["command", "info", "sunionstore"]);
    assert!(info.starts_with("*1\r\n*10\r\n$11\r\nsunionstore\r\n:-3\r\n*2\r\n+write\r\n+denyoom\r\n:1\r\n:-1\r\n:1\r\n*3\r\n+@write\r\n+@set\r\n+@slow\r\n"), "{info:?}");
    let docs = c.cmd(&["command", "docs", "srandmember"]);
    assert!(docs.contains("$5\r\ngroup\r\n$3\r\nset\r\n"), "{docs:?}");
    assert!(docs.contains("Get one or multiple random members from a set"));
    let list = c.cmd(&["command", "list", "filterby", "aclcat", "set"]);
    // The 17 set commands, and SORT and SORT_RO, which carry @set too (as in Redis).
    assert_eq!(bulk_items(&list).len(), 19);
}
