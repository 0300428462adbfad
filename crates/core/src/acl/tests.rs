use super::host::DryRun;
use super::*;
use crate::testing::TestConn;

fn hash(pw: &str) -> [u8; 32] {
    sha256::digest(pw.as_bytes())
}

fn pattern(p: &str, read: bool, write: bool) -> KeyPattern {
    KeyPattern { pattern: p.as_bytes().to_vec(), read, write }
}

fn commands(names: &[&str]) -> foldhash::HashSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// A user with password "pw" and the given root selector.
fn user(name: &str, root: Selector) -> User {
    User::new(name.into(), true, false, vec![hash("pw")], vec![root])
}

fn logged_in(t: &mut TestConn, u: User) {
    let name = u.name.clone();
    t.engine.acl_install_user(u);
    assert_eq!(t.cmd(&["AUTH", &name, "pw"]), "+OK\r\n");
}

#[test]
fn default_user_is_unrestricted_and_needs_no_auth() {
    let mut t = TestConn::new();
    assert!(t.engine.client(t.handle).unwrap().acl.unrestricted);
    assert_eq!(t.cmd(&["SET", "k", "v"]), "+OK\r\n");
    assert_eq!(
        t.cmd(&["AUTH", "x"]),
        "-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n"
    );
}

#[test]
fn command_and_key_denials_use_redis_72_texts() {
    let mut t = TestConn::new();
    let root = Selector {
        commands: commands(&["get", "auth"]),
        keys: vec![pattern("foo*", true, true)],
        ..Default::default()
    };
    logged_in(&mut t, user("alice", root));
    assert_eq!(t.cmd(&["GET", "foo1"]), "$-1\r\n");
    assert_eq!(t.cmd(&["GET", "bar"]), "-NOPERM No permissions to access a key\r\n");
    assert_eq!(t.cmd(&["SET", "foo1", "v"]), "-NOPERM User alice has no permissions to run the 'set' command\r\n");
    let denials = t.engine.acl_take_denials();
    let summary: Vec<_> = denials.iter().map(|d| (d.reason, d.object.as_str(), d.username.as_str())).collect();
    assert_eq!(summary, vec![("key", "bar", "alice"), ("command", "set", "alice")]);
    let admin = t.connect();
    let info = t.cmd_on(admin, &["INFO", "stats"]);
    assert!(info.contains("acl_access_denied_cmd:1\r\nacl_access_denied_key:1\r\n"), "{info}");
    assert!(denials[1].client_info.contains("cmd=set user=alice"), "{}", denials[1].client_info);
    assert_eq!(denials[0].context, "toplevel");
}

#[test]
fn read_and_write_patterns_follow_key_specs() {
    let mut t = TestConn::new();
    let root = Selector {
        all_commands: true,
        keys: vec![pattern("r*", true, false), pattern("w*", false, true)],
        ..Default::default()
    };
    logged_in(&mut t, user("rw", root));
    assert_eq!(t.cmd(&["GET", "r1"]), "$-1\r\n");
    assert_eq!(t.cmd(&["SET", "r1", "v"]), "-NOPERM No permissions to access a key\r\n");
    // SET without GET only writes; with GET it also reads.
    assert_eq!(t.cmd(&["SET", "w1", "v"]), "+OK\r\n");
    assert_eq!(t.cmd(&["SET", "w1", "v", "GET"]), "-NOPERM No permissions to access a key\r\n");
    assert_eq!(t.cmd(&["GET", "w1"]), "-NOPERM No permissions to access a key\r\n");
    // EXISTS neither reads nor writes the value: any matching pattern will do.
    assert_eq!(t.cmd(&["EXISTS", "w1", "r1"]), ":1\r\n");
    // LPUSH inserts (write), INCR reads and writes.
    assert_eq!(t.cmd(&["LPUSH", "wl", "a"]), ":1\r\n");
    assert_eq!(t.cmd(&["INCR", "wn"]), "-NOPERM No permissions to access a key\r\n");
}

#[test]
fn first_args_subcommands_and_no_auth_commands() {
    let mut t = TestConn::new();
    let mut first_args = foldhash::HashMap::default();
    first_args.insert("select".to_string(), vec![b"0".to_vec()]);
    let root = Selector { commands: commands(&["client|id"]), first_args, all_keys: true, ..Default::default() };
    logged_in(&mut t, user("sub", root));
    assert_eq!(t.cmd(&["SELECT", "0"]), "+OK\r\n");
    assert_eq!(t.cmd(&["SELECT", "1"]), "-NOPERM User sub has no permissions to run the 'select' command\r\n");
    assert!(t.cmd(&["CLIENT", "ID"]).starts_with(':'));
    assert_eq!(
        t.cmd(&["CLIENT", "GETNAME"]),
        "-NOPERM User sub has no permissions to run the 'client|getname' command\r\n"
    );
    // AUTH, HELLO, QUIT … are never refused by the command rules.
    assert!(t.cmd(&["HELLO"]).starts_with("*14\r\n"));
}

#[test]
fn any_selector_may_allow_and_the_most_relevant_refusal_is_reported() {
    let mut t = TestConn::new();
    let selector =
        Selector { commands: commands(&["get", "set"]), keys: vec![pattern("s*", true, true)], ..Default::default() };
    let u = User::new("sel".into(), true, false, vec![hash("pw")], vec![Selector::default(), selector]);
    logged_in(&mut t, u);
    assert_eq!(t.cmd(&["SET", "s1", "v"]), "+OK\r\n");
    assert_eq!(t.cmd(&["GET", "s1"]), "$1\r\nv\r\n");
    // The root refuses the command, the selector the key: the key wins.
    assert_eq!(t.cmd(&["GET", "x"]), "-NOPERM No permissions to access a key\r\n");
    assert_eq!(t.cmd(&["DEL", "s1"]), "-NOPERM User sel has no permissions to run the 'del' command\r\n");
}

#[test]
fn channels_are_checked_for_publish_and_subscribe() {
    let root = Selector { all_commands: true, channels: vec![b"news.*".to_vec()], ..Default::default() };
    let u = user("ch", root);
    let argv: [&[u8]; 3] = [b"publish", b"news.a", b"hi"];
    let spec = crate::command::CommandTable::new();
    let state = AclState::default();
    // PUBLISH may not be in this build's table yet: check through a spec-free selector call.
    let chans = channels::channels("publish", &argv);
    assert!(u.selectors[0].check("publish", false, &argv, &mut Vec::new, &chans).is_ok());
    let argv: [&[u8]; 3] = [b"publish", b"sports", b"hi"];
    let chans = channels::channels("publish", &argv);
    assert_eq!(u.selectors[0].check("publish", false, &argv, &mut Vec::new, &chans), Err((Denied::Channel, 1)));
    // A pattern subscription needs an identical pattern, not a matching one.
    let argv: [&[u8]; 2] = [b"psubscribe", b"news.*"];
    assert!(u.selectors[0]
        .check("psubscribe", false, &argv, &mut Vec::new, &channels::channels("psubscribe", &argv))
        .is_ok());
    let argv: [&[u8]; 2] = [b"psubscribe", b"news.a*"];
    let denied =
        u.selectors[0].check("psubscribe", false, &argv, &mut Vec::new, &channels::channels("psubscribe", &argv));
    assert_eq!(denied, Err((Denied::Channel, 1)));
    if let Some(publish) = spec.get(b"publish") {
        let argv: [&[u8]; 3] = [b"publish", b"sports", b"hi"];
        assert_eq!(evaluate(&state, &u, publish, &argv), Err((Denied::Channel, 1)));
    }
}

#[test]
fn auth_and_hello_auth_check_users_and_log_failures() {
    let mut t = TestConn::new();
    t.engine.acl_install_user(user("bob", Selector { all_commands: true, all_keys: true, ..Default::default() }));
    let wrong = "-WRONGPASS invalid username-password pair or user is disabled.\r\n";
    assert_eq!(t.cmd(&["AUTH", "bob", "nope"]), wrong);
    assert_eq!(t.cmd(&["AUTH", "nobody", "pw"]), wrong);
    assert_eq!(t.cmd(&["HELLO", "3", "AUTH", "bob", "bad"]), wrong);
    let denials = t.engine.acl_take_denials();
    let summary: Vec<_> = denials.iter().map(|d| (d.reason, d.object.as_str(), d.username.as_str())).collect();
    assert_eq!(summary, vec![("auth", "AUTH", "bob"), ("auth", "AUTH", "nobody"), ("auth", "HELLO", "bob")]);
    assert!(t.cmd(&["HELLO", "3", "AUTH", "bob", "pw"]).starts_with("%7\r\n"));
    assert_eq!(t.engine.acl_whoami(t.handle).as_deref(), Some("bob"));
    assert_eq!(t.engine.client(t.handle).unwrap().user, "bob");
    // RESET goes back to the default user.
    assert_eq!(t.cmd(&["RESET"]), "+RESET\r\n");
    assert_eq!(t.engine.acl_whoami(t.handle).as_deref(), Some("default"));
}

#[test]
fn disabled_users_and_default_user_password() {
    let mut t = TestConn::new();
    let mut off = user("off", Selector { all_commands: true, ..Default::default() });
    off.enabled = false;
    t.engine.acl_install_user(off);
    assert!(t.cmd(&["AUTH", "off", "pw"]).starts_with("-WRONGPASS"));
    // requirepass: the default user gets a password, new connections must AUTH.
    let root = Selector { all_commands: true, all_keys: true, all_channels: true, ..Default::default() };
    t.engine.acl_install_user(User::new("default".into(), true, false, vec![hash("secret")], vec![root]));
    let other = t.connect();
    assert_eq!(t.cmd_on(other, &["GET", "k"]), "-NOAUTH Authentication required.\r\n");
    assert_eq!(t.cmd_on(other, &["AUTH", "secret"]), "+OK\r\n");
    assert_eq!(t.cmd_on(other, &["GET", "k"]), "$-1\r\n");
}

#[test]
fn changing_a_user_applies_to_its_connections_and_deleting_closes_them() {
    let mut t = TestConn::new();
    let all = Selector { all_commands: true, all_keys: true, all_channels: true, ..Default::default() };
    logged_in(&mut t, user("carol", all));
    assert_eq!(t.cmd(&["GET", "k"]), "$-1\r\n");
    t.engine.acl_install_user(user("carol", Selector { commands: commands(&["ping"]), ..Default::default() }));
    assert_eq!(t.cmd(&["GET", "k"]), "-NOPERM User carol has no permissions to run the 'get' command\r\n");
    let bystander = t.connect();
    assert!(t.engine.acl_delete_user("carol"));
    assert!(!t.engine.acl_delete_user("default"));
    let events = t.engine.take_events();
    assert_eq!(events.closes, vec![t.handle]);
    assert!(!events.closes.contains(&bystander));
}

#[test]
fn subscribers_losing_channel_access_are_closed() {
    let mut t = TestConn::new();
    let everything = Selector { all_commands: true, all_channels: true, ..Default::default() };
    logged_in(&mut t, user("sub", everything));
    t.cmd(&["SUBSCRIBE", "news.1"]);
    let narrowed = Selector { all_commands: true, channels: vec![b"news.*".to_vec()], ..Default::default() };
    assert!(t.engine.acl_install_user(user("sub", narrowed)).is_empty());
    let none = Selector { all_commands: true, ..Default::default() };
    assert_eq!(t.engine.acl_install_user(user("sub", none)), vec![t.handle]);
}

#[test]
fn dry_run_reports_verbose_refusals() {
    let mut t = TestConn::new();
    let root = Selector { commands: commands(&["get"]), keys: vec![pattern("a*", true, true)], ..Default::default() };
    t.engine.acl_install_user(user("dry", root));
    let run = |t: &TestConn, argv: &[&str]| {
        let args: Vec<&[u8]> = argv.iter().map(|a| a.as_bytes()).collect();
        t.engine.acl_dry_run(b"dry", &args)
    };
    assert_eq!(run(&t, &["get", "a1"]), DryRun::Allowed);
    assert_eq!(run(&t, &["get", "b"]), DryRun::Denied("User dry has no permissions to access the 'b' key".into()));
    assert_eq!(
        run(&t, &["set", "a", "b"]),
        DryRun::Denied("User dry has no permissions to run the 'set' command".into())
    );
    assert_eq!(run(&t, &["get"]), DryRun::Error("ERR wrong number of arguments for 'get' command".into()));
    assert_eq!(run(&t, &["nosuch"]), DryRun::Error("ERR Command 'nosuch' not found".into()));
    let args: [&[u8]; 1] = [b"get"];
    assert_eq!(t.engine.acl_dry_run(b"ghost", &args), DryRun::Error("ERR User 'ghost' not found".into()));
    assert!(t.engine.acl_commands().iter().any(|c| c.name == "client|id" && c.parent == Some("client")));
}

#[test]
fn password_hashes_parse_only_in_lower_case_hex() {
    let h = sha256::hex(&hash("pw"));
    assert_eq!(user::parse_hash(&h), Some(hash("pw")));
    assert_eq!(user::parse_hash(&h.to_uppercase()), None);
    assert_eq!(user::parse_hash("abc"), None);
}

#[test]
fn sort_by_and_get_need_access_to_every_key() {
    let mut t = TestConn::new();
    let root = Selector { all_commands: true, keys: vec![pattern("l*", true, true)], ..Default::default() };
    logged_in(&mut t, user("sorter", root));
    assert_eq!(t.cmd(&["RPUSH", "l", "2", "1"]), ":2\r\n");
    assert_eq!(t.cmd(&["SORT", "l"]), "*2\r\n$1\r\n1\r\n$1\r\n2\r\n");
    // BY without `*` does not read other keys.
    assert_eq!(t.cmd(&["SORT", "l", "BY", "nosort"]), "*2\r\n$1\r\n2\r\n$1\r\n1\r\n");
    assert_eq!(
        t.cmd(&["SORT", "l", "BY", "w_*"]),
        "-ERR BY option of SORT denied due to insufficient ACL permissions.\r\n"
    );
    assert_eq!(
        t.cmd(&["SORT", "l", "GET", "#"]),
        "-ERR GET option of SORT denied due to insufficient ACL permissions.\r\n"
    );
    // A selector reading every key lifts the restriction.
    let everything = Selector { all_commands: true, keys: vec![pattern("*", true, false)], ..Default::default() };
    t.engine.acl_install_user(User::new("sorter".into(), true, false, vec![hash("pw")], vec![everything]));
    assert_eq!(t.cmd(&["SORT", "l", "GET", "#"]), "*2\r\n$1\r\n1\r\n$1\r\n2\r\n");
}

#[test]
fn every_command_with_keys_has_key_specs() {
    // A command missing from the key-spec table would skip the key check.
    let table = crate::command::CommandTable::new();
    let state = AclState::default();
    let mut missing = Vec::new();
    for spec in table.iter() {
        for s in std::iter::once(spec).chain(spec.subcommands) {
            let has_keys = s.keys.first > 0 || s.has(crate::command::spec::flags::MOVABLE_KEYS);
            if has_keys && !state.keys.has_keys(s.name) {
                missing.push(s.name);
            }
        }
    }
    assert!(missing.is_empty(), "no key specs for {missing:?}");
}

#[test]
fn scripts_run_their_commands_under_the_callers_acl() {
    let mut t = TestConn::new();
    let root = Selector { commands: commands(&["eval", "get", "auth"]), all_keys: true, ..Default::default() };
    logged_in(&mut t, user("u", root));
    let sha = "67ed14c1cb086d8c2fcf91ebe13410ba087fd0f8";
    assert_eq!(
        t.cmd(&["EVAL", "return redis.call('set','a','1')", "0"]),
        format!(
            "-ERR ACL failure in script: User u has no permissions to run the 'set' command script: {sha}, on @user_script:1.\r\n"
        )
    );
    assert_eq!(
        t.cmd(&["EVAL", "return redis.pcall('set','a','1')", "0"]),
        "-ERR ACL failure in script: User u has no permissions to run the 'set' command\r\n"
    );
    assert_eq!(t.cmd(&["EVAL", "return redis.call('get','a')", "0"]), "$-1\r\n");
    // Redis's answers as recorded from 7.2.4: nil for a refusal, 1 for a pass.
    assert_eq!(t.cmd(&["EVAL", "return redis.acl_check_cmd('set','a','1')", "0"]), "$-1\r\n");
    assert_eq!(t.cmd(&["EVAL", "return redis.acl_check_cmd('get','a')", "0"]), ":1\r\n");
    let denials = t.engine.acl_take_denials();
    let summary: Vec<_> = denials.iter().map(|d| (d.reason, d.context, d.object.as_str())).collect();
    assert_eq!(summary, vec![("command", "lua", "set"), ("command", "lua", "set")]);
    assert!(denials[0].client_info.contains("cmd=eval user=u"), "{}", denials[0].client_info);
}

const RULES_CHANGED: &str =
    "-NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. \
     This command is no longer allowed for the following reason: ";

#[test]
fn exec_checks_queued_commands_again_and_runs_the_rest() {
    let mut t = TestConn::new();
    let everything = Selector { all_commands: true, all_keys: true, all_channels: true, ..Default::default() };
    logged_in(&mut t, user("bob", everything));
    t.cmd(&["MULTI"]);
    for cmd in [&["SET", "a", "1"][..], &["GET", "b"], &["PUBLISH", "ch", "x"], &["GET", "a"], &["SET", "a", "2"]] {
        assert_eq!(t.cmd(cmd), "+QUEUED\r\n");
    }
    // Between queueing and EXEC: no SET, keys `a` only, no channels.
    let narrower = Selector {
        commands: commands(&["get", "publish", "exec", "multi", "auth"]),
        keys: vec![pattern("a", true, true)],
        ..Default::default()
    };
    t.engine.acl_install_user(user("bob", narrower));
    let reply = t.cmd(&["EXEC"]);
    let expected = format!(
        "*5\r\n{RULES_CHANGED}no permission to execute the command or subcommand\r\n\
         {RULES_CHANGED}no permission to touch the specified keys\r\n\
         {RULES_CHANGED}no permission to access one of the channels used as arguments\r\n\
         $-1\r\n\
         {RULES_CHANGED}no permission to execute the command or subcommand\r\n"
    );
    assert_eq!(reply, expected);
    assert!(t.engine.server.dbs[0].keys().get(b"a").is_none(), "the refused SETs did not run");
    let denials = t.engine.acl_take_denials();
    let summary: Vec<_> = denials.iter().map(|d| (d.reason, d.context, d.object.as_str())).collect();
    assert_eq!(
        summary,
        [("command", "multi", "set"), ("key", "multi", "b"), ("channel", "multi", "ch"), ("command", "multi", "set")]
    );
    // The log shows the client running EXEC, as Redis's does.
    assert!(denials[0].client_info.contains(" cmd=exec user=bob"), "{}", denials[0].client_info);
    let admin = t.connect();
    let stats = t.cmd_on(admin, &["INFO", "commandstats"]);
    // The last element was a refusal, after the last command EXEC ran: Redis counts EXEC failed.
    assert!(stats.contains("cmdstat_exec:calls=1,"), "{stats}");
    assert!(stats.contains("rejected_calls=0,failed_calls=1\r\n"), "{stats}");
    assert!(!stats.contains("cmdstat_set:"), "{stats}");
    assert!(t.cmd_on(admin, &["INFO", "errorstats"]).contains("errorstat_NOPERM:count=4\r\n"));
    let info = t.cmd_on(admin, &["INFO", "stats"]);
    assert!(
        info.contains("acl_access_denied_cmd:2\r\nacl_access_denied_key:1\r\nacl_access_denied_channel:1\r\n"),
        "{info}"
    );
}

#[test]
fn a_refusal_while_queueing_is_logged_in_the_multi_context() {
    let mut t = TestConn::new();
    let root = Selector { commands: commands(&["get", "multi", "exec", "auth"]), all_keys: true, ..Default::default() };
    logged_in(&mut t, user("carol", root));
    t.cmd(&["MULTI"]);
    assert_eq!(t.cmd(&["SET", "k", "v"]), "-NOPERM User carol has no permissions to run the 'set' command\r\n");
    assert_eq!(t.cmd(&["EXEC"]), "-EXECABORT Transaction discarded because of previous errors.\r\n");
    let denials = t.engine.acl_take_denials();
    assert_eq!((denials[0].context, denials[0].object.as_str()), ("multi", "set"));
    // The log shows the refused command as the current one, as at top level.
    assert!(denials[0].client_info.contains(" cmd=set user=carol"), "{}", denials[0].client_info);
    assert_eq!(t.cmd(&["SET", "k", "v"]), "-NOPERM User carol has no permissions to run the 'set' command\r\n");
    assert_eq!(t.engine.acl_take_denials()[0].context, "toplevel");
}
