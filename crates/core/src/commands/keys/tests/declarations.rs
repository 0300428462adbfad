//! The declarations of both families against COMMAND INFO from Redis.

use crate::command::spec::CommandSpec;
use crate::command::CommandTable;

/// name arity flags first last step categories — as redis-server 7.0.15
/// prints them (same in 7.2), flags and categories sorted.
const REDIS: &str = "
del -2 write 1 -1 1 keyspace,slow,write
unlink -2 fast,write 1 -1 1 fast,keyspace,write
exists -2 fast,readonly 1 -1 1 fast,keyspace,read
type 2 fast,readonly 1 1 1 fast,keyspace,read
touch -2 fast,readonly 1 -1 1 fast,keyspace,read
expire -3 fast,write 1 1 1 fast,keyspace,write
pexpire -3 fast,write 1 1 1 fast,keyspace,write
expireat -3 fast,write 1 1 1 fast,keyspace,write
pexpireat -3 fast,write 1 1 1 fast,keyspace,write
ttl 2 fast,readonly 1 1 1 fast,keyspace,read
pttl 2 fast,readonly 1 1 1 fast,keyspace,read
expiretime 2 fast,readonly 1 1 1 fast,keyspace,read
pexpiretime 2 fast,readonly 1 1 1 fast,keyspace,read
persist 2 fast,write 1 1 1 fast,keyspace,write
rename 3 write 1 2 1 keyspace,slow,write
renamenx 3 fast,write 1 2 1 fast,keyspace,write
copy -3 denyoom,write 1 2 1 keyspace,slow,write
move 3 fast,write 1 1 1 fast,keyspace,write
keys 2 readonly 0 0 0 dangerous,keyspace,read,slow
scan -2 readonly 0 0 0 keyspace,read,slow
randomkey 1 readonly 0 0 0 keyspace,read,slow
object -2 - 0 0 0 slow
object|idletime 3 readonly 2 2 1 keyspace,read,slow
object|refcount 3 readonly 2 2 1 keyspace,read,slow
object|encoding 3 readonly 2 2 1 keyspace,read,slow
object|freq 3 readonly 2 2 1 keyspace,read,slow
object|help 2 loading,stale 0 0 0 keyspace,slow
swapdb 3 fast,write 0 0 0 dangerous,fast,keyspace,write
dbsize 1 fast,readonly 0 0 0 fast,keyspace,read
flushdb -1 write 0 0 0 dangerous,keyspace,slow,write
flushall -1 write 0 0 0 dangerous,keyspace,slow,write
";

fn describe(spec: &CommandSpec) -> String {
    let mut fl: Vec<&str> = spec.flag_names().collect();
    fl.sort();
    let mut cats: Vec<&str> = spec.acl_category_names().collect();
    cats.sort();
    let fl = if fl.is_empty() { "-".to_string() } else { fl.join(",") };
    let k = spec.keys;
    format!("{} {} {fl} {} {} {} {}", spec.name, spec.arity, k.first, k.last, k.step, cats.join(","))
}

#[test]
fn declarations_match_redis() {
    let table = CommandTable::new();
    for line in REDIS.trim().lines() {
        let name = line.split(' ').next().unwrap();
        let spec = match name.split_once('|') {
            None => table.get(name.as_bytes()).unwrap(),
            Some((parent, sub)) => {
                crate::command::table::subcommand(table.get(parent.as_bytes()).unwrap(), sub.as_bytes()).unwrap()
            }
        };
        assert_eq!(describe(spec), line);
    }
}
