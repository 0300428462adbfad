//! Script semantics through the real feed path, with Redis 7.2's replies.

use crate::testing::TestConn;

fn eval(c: &mut TestConn, script: &str, keys: &[&str], args: &[&str]) -> String {
    let numkeys = keys.len().to_string();
    let mut argv = vec!["EVAL", script, &numkeys];
    argv.extend_from_slice(keys);
    argv.extend_from_slice(args);
    c.cmd(&argv)
}

#[test]
fn values_convert_both_ways() {
    let mut c = TestConn::new();
    assert_eq!(eval(&mut c, "return 1", &[], &[]), ":1\r\n");
    assert_eq!(eval(&mut c, "return 3.99", &[], &[]), ":3\r\n");
    assert_eq!(eval(&mut c, "return -3.99", &[], &[]), ":-3\r\n");
    assert_eq!(eval(&mut c, "return 'x'", &[], &[]), "$1\r\nx\r\n");
    assert_eq!(eval(&mut c, "return {1,2,nil,3}", &[], &[]), "*2\r\n:1\r\n:2\r\n");
    assert_eq!(eval(&mut c, "return false", &[], &[]), "$-1\r\n");
    assert_eq!(eval(&mut c, "return true", &[], &[]), ":1\r\n");
    assert_eq!(eval(&mut c, "return nil", &[], &[]), "$-1\r\n");
    assert_eq!(eval(&mut c, "return {ok='fine'}", &[], &[]), "+fine\r\n");
    assert_eq!(eval(&mut c, "return {err='MY fault'}", &[], &[]), "-MY fault\r\n");
    assert_eq!(eval(&mut c, "return redis.error_reply('oops')", &[], &[]), "-ERR oops\r\n");
    assert_eq!(eval(&mut c, "return redis.error_reply('-MY oops')", &[], &[]), "-MY oops\r\n");
    assert_eq!(eval(&mut c, "return redis.status_reply('DONE')", &[], &[]), "+DONE\r\n");
    assert_eq!(
        eval(&mut c, "return {KEYS[1], ARGV[1], #KEYS, #ARGV}", &["k"], &["a", "b"]),
        "*4\r\n$1\r\nk\r\n$1\r\na\r\n:1\r\n:2\r\n"
    );
}

#[test]
fn redis_call_runs_commands_and_raises_their_errors() {
    let mut c = TestConn::new();
    assert_eq!(eval(&mut c, "return redis.call('set', KEYS[1], ARGV[1])", &["k"], &["v"]), "+OK\r\n");
    assert_eq!(eval(&mut c, "return redis.call('get', KEYS[1])", &["k"], &[]), "$1\r\nv\r\n");
    assert_eq!(eval(&mut c, "return redis.call('get', 'nokey')", &[], &[]), "$-1\r\n");
    assert_eq!(eval(&mut c, "return type(redis.call('get', 'nokey'))", &[], &[]), "$7\r\nboolean\r\n");
    assert_eq!(eval(&mut c, "return redis.call('incrby', 'n', 2.0)", &[], &[]), ":2\r\n");
    let sha = "c243b9f46db13ba8f69da41b45a77708832babed";
    assert_eq!(eval(&mut c, "return redis.call('incr','s')", &[], &[]).replace(sha, "<sha>"), ":1\r\n");
    c.cmd(&["SET", "s", "foo"]);
    assert_eq!(
        eval(&mut c, "return redis.call('incr','s')", &[], &[]),
        format!("-ERR value is not an integer or out of range script: {sha}, on @user_script:1.\r\n")
    );
    assert_eq!(
        eval(&mut c, "return redis.pcall('incr','s')", &[], &[]),
        "-ERR value is not an integer or out of range\r\n"
    );
    let out = eval(&mut c, "return redis.call('nosuch')", &[], &[]);
    assert!(out.starts_with("-ERR Unknown Redis command called from script script: "), "{out}");
    let out = eval(&mut c, "return redis.call('incr','a','b')", &[], &[]);
    assert!(out.starts_with("-ERR Wrong number of args calling Redis command from script script: "), "{out}");
    let out = eval(&mut c, "return redis.call('eval','return 1','0')", &[], &[]);
    assert!(out.starts_with("-ERR This Redis command is not allowed from script script: "), "{out}");
    let out = eval(&mut c, "return redis.call()", &[], &[]);
    assert!(out.starts_with("-ERR Please specify at least one argument for this redis lib call script: "), "{out}");
    let out = eval(&mut c, "return redis.call({})", &[], &[]);
    assert!(out.starts_with("-ERR Lua redis lib command arguments must be strings or integers script: "), "{out}");
}

#[test]
fn the_sandbox_refuses_globals_as_redis_does() {
    let mut c = TestConn::new();
    assert_eq!(
        eval(&mut c, "x = 5", &[], &[]),
        "-ERR user_script:1: Attempt to modify a readonly table script: 818a330663e3c3e78469660421595218e5ab5c48, on @user_script:1.\r\n"
    );
    assert_eq!(
        eval(&mut c, "return foo", &[], &[]),
        "-ERR user_script:1: Script attempted to access nonexistent global variable 'foo' script: 47e30a5d10d5694f99208f9adc4fe3bf2450edbd, on @user_script:1.\r\n"
    );
    assert_eq!(
        eval(&mut c, "string.x = 1", &[], &[]),
        "-ERR user_script:1: Attempt to modify a readonly table script: c3eb0a2a15b3d4790b323c4104029c1ae425a769, on @user_script:1.\r\n"
    );
    assert_eq!(
        eval(&mut c, "rawset(_G,'x',1)", &[], &[]),
        "-ERR Attempt to modify a readonly table script: 90860ee597073785c7a12c667667abc4495e2c78, on @user_script:1.\r\n"
    );
    assert_eq!(
        eval(&mut c, "error('boom')", &[], &[]),
        "-ERR user_script:1: boom script: 82903a0434f1503e152f89c03c9acd881a0e8150, on @user_script:1.\r\n"
    );
    assert_eq!(
        eval(&mut c, "error({err='MY boom'})", &[], &[]),
        "-MY boom script: 4c2ee35ef37c857625d6ec6d812eab72377cfa97, on @user_script:1.\r\n"
    );
    assert_eq!(
        eval(&mut c, "return 1 +", &[], &[]),
        "-ERR Error compiling script (new function): user_script:1: unexpected symbol near '<eof>'\r\n"
    );
    assert_eq!(eval(&mut c, "local t = {} t.x=1 return t.x", &[], &[]), ":1\r\n");
    assert_eq!(eval(&mut c, "return {type(os), type(io), type(loadfile), type(dofile), type(print)}", &[], &[]),
        "-ERR user_script:1: Script attempted to access nonexistent global variable 'os' script: a9b7d4a1c8357d5f4d5bd4c6a2dbe0e5e8b0bd93, on @user_script:1.\r\n".replace("a9b7d4a1c8357d5f4d5bd4c6a2dbe0e5e8b0bd93", &crate::scripting::sha1::sha1_hex(b"return {type(os), type(io), type(loadfile), type(dofile), type(print)}")));
    assert_eq!(eval(&mut c, "return ('abc'):upper()", &[], &[]), "$3\r\nABC\r\n");
}

#[test]
fn math_random_follows_redis_sequence() {
    let mut c = TestConn::new();
    assert_eq!(eval(&mut c, "return {math.random(100), math.random(100)}", &[], &[]), "*2\r\n:40\r\n:85\r\n");
    assert_eq!(eval(&mut c, "return {math.random(100), math.random(100)}", &[], &[]), "*2\r\n:36\r\n:45\r\n");
}

/// Where Redis 7.2 differs from 7.0 (the differential oracle).
#[test]
fn redis_7_2_behaviours() {
    let mut c = TestConn::new();
    // Blocking commands run in scripts and answer at once.
    assert_eq!(eval(&mut c, "return redis.call('blpop', 'emptylist', 0)", &[], &[]), "$-1\r\n");
    c.cmd(&["RPUSH", "l", "a"]);
    assert_eq!(eval(&mut c, "return redis.call('blpop', 'l', 0)", &[], &[]), "*2\r\n$1\r\nl\r\n$1\r\na\r\n");
    assert_eq!(
        eval(&mut c, "return {type(setfenv), type(getfenv), type(newproxy), type(gcinfo)}", &[], &[]),
        "*4\r\n$8\r\nfunction\r\n$8\r\nfunction\r\n$8\r\nfunction\r\n$8\r\nfunction\r\n"
    );
    assert_eq!(
        eval(&mut c, "redis.set_repl()", &[], &[]),
        "-ERR redis.set_repl() requires one argument. script: e39b47fd8e0d5dc1c7155bbafcefaf48cf163f82, on @user_script:1.\r\n"
    );
    let help = c.cmd(&["SCRIPT", "HELP"]);
    assert!(help.starts_with("*17\r\n+SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"), "{help}");
    assert!(help.ends_with("+HELP\r\n+    Print this help.\r\n"), "{help}");
    let help = c.cmd(&["FUNCTION", "HELP"]);
    assert!(help.ends_with("+HELP\r\n+    Print this help.\r\n"), "{help}");
}

/// Ticks the engine until the paused script ends; its reply to the client.
fn tick_until_reply(c: &mut TestConn) -> String {
    let handle = c.handle;
    for _ in 0..100_000 {
        if c.engine.tick() {
            let events = c.engine.take_events();
            assert!(events.resumes.contains(&handle));
            let mine: Vec<u8> =
                events.deliveries().into_iter().filter(|(h, _)| *h == handle).flat_map(|(_, m)| m).collect();
            return String::from_utf8_lossy(&mine).into_owned();
        }
    }
    panic!("the script never ended");
}

#[test]
fn a_long_script_pauses_others_get_busy_and_script_kill_stops_it() {
    let mut c = TestConn::new();
    c.engine.server.config.busy_reply_threshold_ms = 5;
    let other = c.connect();
    let body = "local i = 0\nwhile true do i = i + 1 end";
    let sha = crate::scripting::sha1::sha1_hex(body.as_bytes());
    // Past the threshold the script pauses: no reply yet.
    assert_eq!(eval(&mut c, body, &[], &[]), "");
    // Its own client's next command waits for it.
    assert_eq!(c.cmd(&["PING"]), "");
    let busy = "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n";
    assert_eq!(c.cmd_on(other, &["GET", "x"]), busy);
    assert_eq!(c.cmd_on(other, &["EVAL", "return 1", "0"]), busy);
    let stats = c.cmd_on(other, &["FUNCTION", "STATS"]);
    assert!(
        stats.starts_with(&format!(
            "*4\r\n$14\r\nrunning_script\r\n*6\r\n$4\r\nname\r\n$40\r\n{sha}\r\n$7\r\ncommand\r\n*3\r\n$4\r\nEVAL\r\n"
        )),
        "{stats}"
    );
    assert_eq!(
        c.cmd_on(other, &["FUNCTION", "KILL"]),
        "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n"
    );
    assert_eq!(c.cmd_on(other, &["SCRIPT", "KILL"]), "+OK\r\n");
    assert_eq!(
        tick_until_reply(&mut c),
        format!("-ERR Script killed by user with SCRIPT KILL... script: {sha}, on @user_script:2.\r\n")
    );
    // The client goes on with what it sent meanwhile; others are served again.
    let h = c.handle;
    assert_eq!(c.raw_on(h, b""), b"+PONG\r\n");
    assert_eq!(c.cmd_on(other, &["GET", "x"]), "$-1\r\n");
    assert_eq!(c.cmd_on(other, &["SCRIPT", "KILL"]), "-NOTBUSY No scripts in execution right now.\r\n");
}

#[test]
fn a_script_that_wrote_cannot_be_killed_and_a_finite_one_finishes_across_ticks() {
    let mut c = TestConn::new();
    c.engine.server.config.busy_reply_threshold_ms = 1;
    let other = c.connect();
    let body = "redis.call('set', 'k', 'v')\nlocal t = 0\nfor i = 1, 3000000 do t = t + i end\nreturn t";
    let out = eval(&mut c, body, &[], &[]);
    if out.is_empty() {
        assert!(c
            .cmd_on(other, &["SCRIPT", "KILL"])
            .starts_with("-UNKILLABLE Sorry the script already executed write commands"));
        assert_eq!(tick_until_reply(&mut c), ":4500001500000\r\n");
    } else {
        // A machine fast enough to finish before the hook looked at the clock.
        assert_eq!(out, ":4500001500000\r\n");
    }
    assert_eq!(c.cmd_on(other, &["GET", "k"]), "$1\r\nv\r\n");
}

#[test]
fn a_paused_function_answers_function_kill() {
    let mut c = TestConn::new();
    c.engine.server.config.busy_reply_threshold_ms = 5;
    let other = c.connect();
    c.cmd(&["FUNCTION", "LOAD", "#!lua name=spin\nredis.register_function('spin', function() while true do end end)"]);
    assert_eq!(c.cmd(&["FCALL", "spin", "0"]), "");
    assert_eq!(
        c.cmd_on(other, &["SCRIPT", "KILL"]),
        "-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\r\n"
    );
    assert_eq!(c.cmd_on(other, &["FUNCTION", "KILL"]), "+OK\r\n");
    assert_eq!(
        tick_until_reply(&mut c),
        "-ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:2.\r\n"
    );
}

#[test]
fn coroutines_made_by_a_script_are_never_paused_by_it() {
    let mut c = TestConn::new();
    c.engine.server.config.busy_reply_threshold_ms = 1;
    let body = "local co = coroutine.create(function() local t = 0 for i = 1, 2000000 do t = t + 1 end return t end)\nlocal ok, v = coroutine.resume(co)\nreturn {tostring(ok), v}";
    let mut out = eval(&mut c, body, &[], &[]);
    if out.is_empty() {
        out = tick_until_reply(&mut c);
    }
    assert_eq!(out, "*2\r\n$4\r\ntrue\r\n:2000000\r\n");
}

/// INFO memory's field `name`, as a number.
fn info_memory(c: &mut TestConn, name: &str) -> usize {
    let info = c.cmd(&["INFO", "memory"]);
    let prefix = format!("{name}:");
    let line = info.split("\r\n").find(|l| l.starts_with(&prefix)).unwrap_or_else(|| panic!("no {name} in {info}"));
    line[prefix.len()..].parse().unwrap()
}

#[test]
fn info_memory_counts_the_engines_scripts_and_functions() {
    let mut c = TestConn::new();
    assert_eq!(info_memory(&mut c, "used_memory_lua"), 0, "no engine before the first script");
    assert_eq!(info_memory(&mut c, "number_of_cached_scripts"), 0);
    eval(&mut c, "return 1", &[], &[]);
    c.cmd(&["SCRIPT", "LOAD", "return 2"]);
    assert_eq!(info_memory(&mut c, "number_of_cached_scripts"), 2);
    assert!(info_memory(&mut c, "used_memory_lua") > 10_000, "the EVAL engine's heap is measured");
    assert_eq!(info_memory(&mut c, "used_memory_scripts_eval"), 2 * 40 + "return 1".len() + "return 2".len());
    let lib = "#!lua name=mylib\nredis.register_function('f1', function() return 1 end)\nredis.register_function('f2', function() return 2 end)";
    assert_eq!(c.cmd(&["FUNCTION", "LOAD", lib]), "$5\r\nmylib\r\n");
    assert_eq!(info_memory(&mut c, "number_of_libraries"), 1);
    assert_eq!(info_memory(&mut c, "number_of_functions"), 2);
    assert!(info_memory(&mut c, "used_memory_vm_functions") > 10_000);
    assert_eq!(
        info_memory(&mut c, "used_memory_vm_total"),
        info_memory(&mut c, "used_memory_lua") + info_memory(&mut c, "used_memory_vm_functions")
    );
    c.cmd(&["SCRIPT", "FLUSH"]);
    assert_eq!(info_memory(&mut c, "number_of_cached_scripts"), 0);
    assert_eq!(info_memory(&mut c, "used_memory_lua"), 0);
}

#[test]
fn keys_and_argv_hold_exactly_this_calls_items_whatever_earlier_scripts_did() {
    let mut c = TestConn::new();
    let list = "return {#KEYS, #ARGV, KEYS[1], KEYS[2], ARGV[1], ARGV[2], tostring(KEYS.extra), tostring(ARGV.extra)}";
    assert_eq!(eval(&mut c, list, &["k1", "k2"], &["a1", "a2"]), eval_reply(&["2", "2", "k1", "k2", "a1", "a2"]));
    // Fewer items than the last call: nothing of the longer list is left.
    // (The table reply ends at the first nil: KEYS[2].)
    assert_eq!(eval(&mut c, "return {#KEYS, #ARGV, KEYS[2], ARGV[2]}", &["x"], &["y"]), "*2\r\n:1\r\n:1\r\n");
    // A script that writes into the tables does not leak into the next one.
    eval(&mut c, "KEYS.extra = 'kept?'; ARGV.extra = 'kept?'; KEYS[7] = 'seven'; ARGV[1] = 'changed'", &["x"], &["y"]);
    assert_eq!(eval(&mut c, list, &["k1", "k2"], &["a1", "a2"]), eval_reply(&["2", "2", "k1", "k2", "a1", "a2"]));
    assert_eq!(eval(&mut c, "return {#KEYS, #ARGV, tostring(KEYS[7])}", &[], &[]), "*3\r\n:0\r\n:0\r\n$3\r\nnil\r\n");
    assert_eq!(eval(&mut c, "return ARGV[1]", &["k"], &["fresh"]), "$5\r\nfresh\r\n");
}

/// The reply of `list` above: two counts, four items, and two "nil"s.
fn eval_reply(parts: &[&str]) -> String {
    let mut reply = format!("*8\r\n:{}\r\n:{}\r\n", parts[0], parts[1]);
    for item in &parts[2..] {
        reply.push_str(&format!("${}\r\n{item}\r\n", item.len()));
    }
    reply + "$3\r\nnil\r\n$3\r\nnil\r\n"
}
