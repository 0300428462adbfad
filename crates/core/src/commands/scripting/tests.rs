//! Scripting commands through the real feed path, with Redis 7.2's replies.

use crate::testing::TestConn;

const LIB: &str = "#!lua name=mylib\nredis.register_function('echo', function(keys, args) return args[1] end)\nredis.register_function{function_name='ro', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}}";

#[test]
fn script_load_exists_flush() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["SCRIPT", "LOAD", "return 1"]), "$40\r\ne0e1f9fabfc9d4800c877a703b823ac0578ff8db\r\n");
    assert_eq!(c.cmd(&["EVALSHA", "E0E1F9FABFC9D4800C877A703B823AC0578FF8DB", "0"]), ":1\r\n");
    assert_eq!(c.cmd(&["SCRIPT", "EXISTS", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "x"]), "*2\r\n:1\r\n:0\r\n");
    assert_eq!(c.cmd(&["SCRIPT", "FLUSH", "BAD"]), "-ERR SCRIPT FLUSH only support SYNC|ASYNC option\r\n");
    assert_eq!(c.cmd(&["SCRIPT", "FLUSH", "ASYNC"]), "+OK\r\n");
    assert_eq!(
        c.cmd(&["EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0"]),
        "-NOSCRIPT No matching script. Please use EVAL.\r\n"
    );
    assert_eq!(c.cmd(&["SCRIPT", "KILL"]), "-NOTBUSY No scripts in execution right now.\r\n");
    assert_eq!(c.cmd(&["EVAL", "return 1", "2", "a"]), "-ERR Number of keys can't be greater than number of args\r\n");
    assert_eq!(c.cmd(&["EVAL", "return 1", "-1"]), "-ERR Number of keys can't be negative\r\n");
}

#[test]
fn read_only_scripts_refuse_writes() {
    let mut c = TestConn::new();
    let out = c.cmd(&["EVAL_RO", "return redis.call('set','x','1')", "0"]);
    assert!(out.starts_with("-ERR Write commands are not allowed from read-only scripts. script: "), "{out}");
    let out = c.cmd(&["EVAL", "#!lua flags=no-writes\nreturn redis.call('set','x','1')", "0"]);
    assert!(out.starts_with("-ERR Write commands are not allowed from read-only scripts. script: "), "{out}");
    assert!(out.ends_with("on @user_script:2.\r\n"), "{out}");
    assert_eq!(
        c.cmd(&["EVAL_RO", "#!lua\nreturn 1", "0"]),
        "-ERR Can not execute a script with write flag using *_ro command.\r\n"
    );
    assert_eq!(
        c.cmd(&["EVAL", "#!lua flags=bogus\nreturn 1", "0"]),
        "-ERR Unexpected flag in script shebang: bogus\r\n"
    );
    assert_eq!(c.cmd(&["EVAL", "#!python\nreturn 1", "0"]), "-ERR Unexpected engine in script shebang: #!python\r\n");
}

#[test]
fn functions_load_call_list_delete() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["FUNCTION", "LOAD", LIB]), "$5\r\nmylib\r\n");
    assert_eq!(c.cmd(&["FUNCTION", "LOAD", LIB]), "-ERR Library 'mylib' already exists\r\n");
    assert_eq!(c.cmd(&["FUNCTION", "LOAD", "REPLACE", LIB]), "$5\r\nmylib\r\n");
    assert_eq!(c.cmd(&["FCALL", "echo", "0", "hi"]), "$2\r\nhi\r\n");
    c.cmd(&["SET", "k", "v"]);
    assert_eq!(c.cmd(&["FCALL_RO", "ro", "1", "k"]), "$1\r\nv\r\n");
    assert_eq!(
        c.cmd(&["FCALL_RO", "echo", "0", "x"]),
        "-ERR Can not execute a script with write flag using *_ro command.\r\n"
    );
    assert_eq!(c.cmd(&["FCALL", "nope", "0"]), "-ERR Function not found\r\n");
    assert_eq!(c.cmd(&["FCALL", "echo", "x"]), "-ERR Bad number of keys provided\r\n");
    let list = c.cmd(&["FUNCTION", "LIST"]);
    assert!(list.contains("$5\r\nmylib\r\n$6\r\nengine\r\n$3\r\nLUA\r\n"), "{list}");
    assert!(list.contains("$5\r\nflags\r\n*1\r\n+no-writes\r\n"), "{list}");
    assert_eq!(
        c.cmd(&["FUNCTION", "LOAD", "#!lua name=bad\nredis.call('set','x','1')"]),
        "-ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'call'\r\n"
    );
    assert_eq!(c.cmd(&["FUNCTION", "LOAD", "#!lua name=empty\nlocal x = 1"]), "-ERR No functions registered\r\n");
    assert_eq!(c.cmd(&["FUNCTION", "LOAD", "return 1"]), "-ERR Missing library metadata\r\n");
    assert_eq!(c.cmd(&["FUNCTION", "DELETE", "mylib"]), "+OK\r\n");
    assert_eq!(c.cmd(&["FUNCTION", "DELETE", "mylib"]), "-ERR Library not found\r\n");
    assert_eq!(c.cmd(&["FCALL", "echo", "0"]), "-ERR Function not found\r\n");
}

#[test]
fn libraries_behave_as_redis_ones() {
    let mut c = TestConn::new();
    let eval = |c: &mut TestConn, s: &str| c.cmd(&["EVAL", s, "0"]);
    assert_eq!(eval(&mut c, "return cjson.encode({1,2,'a/b'})"), "$12\r\n[1,2,\"a\\/b\"]\r\n");
    assert_eq!(eval(&mut c, "return cjson.encode({})"), "$2\r\n{}\r\n");
    assert_eq!(eval(&mut c, "return cjson.encode({a=1.5})"), "$9\r\n{\"a\":1.5}\r\n");
    assert_eq!(
        eval(&mut c, "return {cjson.encode(1e15), cjson.encode(123456789012345), cjson.encode({[1e15]=1})}"),
        "*3\r\n$5\r\n1e+15\r\n$19\r\n1.2345678901234e+14\r\n$11\r\n{\"1e+15\":1}\r\n"
    );
    assert_eq!(eval(&mut c, "return cjson.decode('[1,2,3]')[2]"), ":2\r\n");
    assert_eq!(eval(&mut c, "return cjson.decode('{\"a\":null}').a == cjson.null and 1 or 0"), ":1\r\n");
    let out = eval(&mut c, "return cjson.decode('x')");
    assert!(
        out.starts_with("-ERR user_script:1: Expected value but found invalid token at character 1 script: "),
        "{out}"
    );
    assert_eq!(eval(&mut c, "return cmsgpack.unpack(cmsgpack.pack({1,2,{a='b'}}))[3].a"), "$1\r\nb\r\n");
    assert_eq!(eval(&mut c, "return #cmsgpack.pack(1, 300, -1, 'abc', 1.5)"), ":14\r\n");
    assert_eq!(eval(&mut c, "return {bit.band(0xff, 0x0f), bit.bor(1, 2), bit.bxor(3, 1), bit.lshift(1, 4), bit.rshift(-1, 28), bit.arshift(-16, 2), bit.bnot(0), bit.tobit(0xffffffff)}"),
        "*8\r\n:15\r\n:3\r\n:2\r\n:16\r\n:15\r\n:-4\r\n:-1\r\n:-1\r\n");
    assert_eq!(eval(&mut c, "return bit.tohex(255, 4)"), "$4\r\n00ff\r\n");
    assert_eq!(eval(&mut c, "return {struct.unpack('>I2', struct.pack('>I2', 513))}"), "*2\r\n:513\r\n:3\r\n");
    assert_eq!(eval(&mut c, "return struct.size('<i4d')"), ":12\r\n");
    assert_eq!(eval(&mut c, "return redis.sha1hex('abc')"), "$40\r\na9993e364706816aba3e25717850c26c9cd0d89d\r\n");
    assert_eq!(
        eval(&mut c, "return {redis.REDIS_VERSION, redis.REDIS_VERSION_NUM}"),
        "*2\r\n$5\r\n7.2.4\r\n:459268\r\n"
    );
}

#[test]
fn resp3_replies_under_setresp() {
    let mut c = TestConn::new();
    c.cmd(&["HELLO", "3"]);
    c.cmd(&["HSET", "h", "f", "v"]);
    assert_eq!(
        c.cmd(&["EVAL", "redis.setresp(3) return redis.call('hgetall', 'h')", "0"]),
        "%1\r\n$1\r\nf\r\n$1\r\nv\r\n"
    );
    assert_eq!(c.cmd(&["EVAL", "return {double=1.5}", "0"]), ",1.5\r\n");
    assert_eq!(c.cmd(&["EVAL", "redis.setresp(3) return false", "0"]), "#f\r\n");
    assert_eq!(c.cmd(&["EVAL", "return false", "0"]), "_\r\n");
}

#[test]
fn read_only_runners_are_declared_as_in_7_2() {
    let mut c = TestConn::new();
    for name in ["eval_ro", "evalsha_ro", "fcall_ro"] {
        let info = c.cmd(&["COMMAND", "INFO", name]);
        assert!(
            info.contains(
                "+readonly\r\n+noscript\r\n+stale\r\n+skip_monitor\r\n+no_mandatory_keys\r\n+movablekeys\r\n"
            ),
            "{info}"
        );
        assert!(info.contains("*2\r\n+@slow\r\n+@scripting\r\n"), "{info}");
    }
}

#[test]
fn function_dump_and_restore() {
    let mut c = TestConn::new();
    let code = "#!lua name=a\nredis.register_function('fa', function() return 1 end)";
    c.cmd(&["FUNCTION", "LOAD", code]);
    let dumped = c.cmd_bytes(&[b"FUNCTION", b"DUMP"]);
    // Redis 7.0's payload for the same library, byte for byte (RDB version
    // 10, which DUMP writes too, so 7.0 and later restore it).
    let mut expected = b"\xf5@C".to_vec();
    expected.extend_from_slice(code.as_bytes());
    expected.extend_from_slice(b"\x0a\x00\x04\x0c\xd0/\xbd\xd6~]");
    let header = format!("${}\r\n", expected.len());
    assert_eq!(dumped, [header.as_bytes(), &expected, b"\r\n"].concat());
    assert_eq!(c.cmd_bytes(&[b"FUNCTION", b"RESTORE", &expected]), b"-ERR Library a already exists\r\n");
    assert_eq!(c.cmd_bytes(&[b"FUNCTION", b"RESTORE", &expected, b"REPLACE"]), b"+OK\r\n");
    assert_eq!(c.cmd(&["FUNCTION", "FLUSH"]), "+OK\r\n");
    assert_eq!(c.cmd_bytes(&[b"FUNCTION", b"RESTORE", &expected]), b"+OK\r\n");
    assert_eq!(c.cmd(&["FCALL", "fa", "0"]), ":1\r\n");
    c.cmd(&["FUNCTION", "LOAD", "#!lua name=b\nredis.register_function('fb', function() return 2 end)"]);
    assert_eq!(c.cmd_bytes(&[b"FUNCTION", b"RESTORE", &expected, b"FLUSH"]), b"+OK\r\n");
    assert_eq!(c.cmd(&["FCALL", "fb", "0"]), "-ERR Function not found\r\n");
    assert_eq!(c.cmd(&["FCALL", "fa", "0"]), ":1\r\n");
    let mut broken = expected.clone();
    broken[5] ^= 1;
    assert_eq!(
        c.cmd_bytes(&[b"FUNCTION", b"RESTORE", &broken]),
        b"-ERR DUMP payload version or checksum are wrong\r\n"
    );
    assert_eq!(
        c.cmd_bytes(&[b"FUNCTION", b"RESTORE", &expected, b"MERGE"]),
        b"-ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.\r\n"
    );
    // A failed FLUSH restore leaves the libraries as they were.
    let bad = crate::scripting::dump::dump(std::iter::once(b"#!lua name=z\nreturn 1".as_slice()));
    assert_eq!(c.cmd_bytes(&[b"FUNCTION", b"RESTORE", &bad, b"FLUSH"]), b"-ERR No functions registered\r\n");
    assert_eq!(c.cmd(&["FCALL", "fa", "0"]), ":1\r\n");
}

#[test]
fn a_push_inside_a_script_wakes_waiters_after_the_script() {
    let mut c = TestConn::new();
    let waiter = c.connect();
    assert_eq!(c.cmd_on(waiter, &["BLPOP", "l", "0"]), "");
    let script = "redis.call('lpush', KEYS[1], 'a'); return redis.call('lpush', KEYS[1], 'b')";
    assert_eq!(c.cmd(&["EVAL", script, "1", "l"]), ":2\r\n");
    // Served once the script is over, from what the whole script left.
    assert_eq!(c.engine.take_events().deliveries(), vec![(waiter, b"*2\r\n$1\r\nl\r\n$1\r\nb\r\n".to_vec())]);
    assert_eq!(c.cmd(&["LRANGE", "l", "0", "-1"]), "*1\r\n$1\r\na\r\n");
}
