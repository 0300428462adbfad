//! Key specs as Redis 7.2 declares them (commands.def), for the ACL key
//! check: which arguments are keys and whether a command reads or writes
//! each. Commands not yet implemented are listed too, so ACLs work for a
//! family the day it lands.

use super::keys::flags::*;
use super::keys::{Begin, Find, KeySpecDef};

#[rustfmt::skip]
pub const KEY_SPECS: &[(&str, &[KeySpecDef])] = &[
    ("append", &[
        KeySpecDef { flags: RW | INSERT, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("bitcount", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("bitfield", &[
        KeySpecDef { flags: RW | UPDATE | ACCESS | VARIABLE_FLAGS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("bitfield_ro", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("bitop", &[
        KeySpecDef { flags: OW | UPDATE, begin: Begin::Index(2), find: Find::Range { last: 0, step: 1, limit: 0 } },
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(3), find: Find::Range { last: -1, step: 1, limit: 0 } },
    ]),
    ("bitpos", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("blmove", &[
        KeySpecDef { flags: RW | ACCESS | DELETE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
        KeySpecDef { flags: RW | INSERT, begin: Begin::Index(2), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("blmpop", &[
        KeySpecDef { flags: RW | ACCESS | DELETE, begin: Begin::Index(2), find: Find::KeyNum { index: 0, first: 1, step: 1 } },
    ]),
    ("blpop", &[
        KeySpecDef { flags: RW | ACCESS | DELETE, begin: Begin::Index(1), find: Find::Range { last: -2, step: 1, limit: 0 } },
    ]),
    ("brpop", &[
        KeySpecDef { flags: RW | ACCESS | DELETE, begin: Begin::Index(1), find: Find::Range { last: -2, step: 1, limit: 0 } },
    ]),
    ("brpoplpush", &[
        KeySpecDef { flags: RW | ACCESS | DELETE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
        KeySpecDef { flags: RW | INSERT, begin: Begin::Index(2), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("bzmpop", &[
        KeySpecDef { flags: RW | ACCESS | DELETE, begin: Begin::Index(2), find: Find::KeyNum { index: 0, first: 1, step: 1 } },
    ]),
    ("bzpopmax", &[
        KeySpecDef { flags: RW | ACCESS | DELETE, begin: Begin::Index(1), find: Find::Range { last: -2, step: 1, limit: 0 } },
    ]),
    ("bzpopmin", &[
        KeySpecDef { flags: RW | ACCESS | DELETE, begin: Begin::Index(1), find: Find::Range { last: -2, step: 1, limit: 0 } },
    ]),
    ("copy", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
        KeySpecDef { flags: OW | UPDATE, begin: Begin::Index(2), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("decr", &[
        KeySpecDef { flags: RW | ACCESS | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("decrby", &[
        KeySpecDef { flags: RW | ACCESS | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("del", &[
        KeySpecDef { flags: RM | DELETE, begin: Begin::Index(1), find: Find::Range { last: -1, step: 1, limit: 0 } },
    ]),
    ("dump", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("eval", &[
        KeySpecDef { flags: RW | ACCESS | UPDATE, begin: Begin::Index(2), find: Find::KeyNum { index: 0, first: 1, step: 1 } },
    ]),
    ("eval_ro", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(2), find: Find::KeyNum { index: 0, first: 1, step: 1 } },
    ]),
    ("evalsha", &[
        KeySpecDef { flags: RW | ACCESS | UPDATE, begin: Begin::Index(2), find: Find::KeyNum { index: 0, first: 1, step: 1 } },
    ]),
    ("evalsha_ro", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(2), find: Find::KeyNum { index: 0, first: 1, step: 1 } },
    ]),
    ("exists", &[
        KeySpecDef { flags: RO, begin: Begin::Index(1), find: Find::Range { last: -1, step: 1, limit: 0 } },
    ]),
    ("expire", &[
        KeySpecDef { flags: RW | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("expireat", &[
        KeySpecDef { flags: RW | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("expiretime", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("fcall", &[
        KeySpecDef { flags: RW | ACCESS | UPDATE, begin: Begin::Index(2), find: Find::KeyNum { index: 0, first: 1, step: 1 } },
    ]),
    ("fcall_ro", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(2), find: Find::KeyNum { index: 0, first: 1, step: 1 } },
    ]),
    ("geoadd", &[
        KeySpecDef { flags: RW | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("geodist", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("geohash", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("geopos", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("georadius", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
        KeySpecDef { flags: OW | UPDATE, begin: Begin::Keyword("STORE", 6), find: Find::Range { last: 0, step: 1, limit: 0 } },
        KeySpecDef { flags: OW | UPDATE, begin: Begin::Keyword("STOREDIST", 6), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("georadius_ro", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("georadiusbymember", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
        KeySpecDef { flags: OW | UPDATE, begin: Begin::Keyword("STORE", 5), find: Find::Range { last: 0, step: 1, limit: 0 } },
        KeySpecDef { flags: OW | UPDATE, begin: Begin::Keyword("STOREDIST", 5), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("georadiusbymember_ro", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("geosearch", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("geosearchstore", &[
        KeySpecDef { flags: OW | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(2), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("get", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("getbit", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("getdel", &[
        KeySpecDef { flags: RW | ACCESS | DELETE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("getex", &[
        KeySpecDef { flags: RW | ACCESS | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("getrange", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("getset", &[
        KeySpecDef { flags: RW | ACCESS | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("hdel", &[
        KeySpecDef { flags: RW | DELETE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("hexists", &[
        KeySpecDef { flags: RO, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("hget", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("hgetall", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("hincrby", &[
        KeySpecDef { flags: RW | ACCESS | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("hincrbyfloat", &[
        KeySpecDef { flags: RW | ACCESS | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("hkeys", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("hlen", &[
        KeySpecDef { flags: RO, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("hmget", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("hmset", &[
        KeySpecDef { flags: RW | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("hrandfield", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("hscan", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("hset", &[
        KeySpecDef { flags: RW | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("hsetnx", &[
        KeySpecDef { flags: RW | INSERT, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("hstrlen", &[
        KeySpecDef { flags: RO, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("hvals", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("incr", &[
        KeySpecDef { flags: RW | ACCESS | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("incrby", &[
        KeySpecDef { flags: RW | ACCESS | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("incrbyfloat", &[
        KeySpecDef { flags: RW | ACCESS | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("lcs", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 1, step: 1, limit: 0 } },
    ]),
    ("lindex", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("linsert", &[
        KeySpecDef { flags: RW | INSERT, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("llen", &[
        KeySpecDef { flags: RO, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("lmove", &[
        KeySpecDef { flags: RW | ACCESS | DELETE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
        KeySpecDef { flags: RW | INSERT, begin: Begin::Index(2), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("lmpop", &[
        KeySpecDef { flags: RW | ACCESS | DELETE, begin: Begin::Index(1), find: Find::KeyNum { index: 0, first: 1, step: 1 } },
    ]),
    ("lpop", &[
        KeySpecDef { flags: RW | ACCESS | DELETE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("lpos", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("lpush", &[
        KeySpecDef { flags: RW | INSERT, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("lpushx", &[
        KeySpecDef { flags: RW | INSERT, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("lrange", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("lrem", &[
        KeySpecDef { flags: RW | DELETE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("lset", &[
        KeySpecDef { flags: RW | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("ltrim", &[
        KeySpecDef { flags: RW | DELETE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("memory|usage", &[
        KeySpecDef { flags: RO, begin: Begin::Index(2), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("mget", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: -1, step: 1, limit: 0 } },
    ]),
    ("migrate", &[
        KeySpecDef { flags: RW | ACCESS | DELETE, begin: Begin::Index(3), find: Find::Range { last: 0, step: 1, limit: 0 } },
        KeySpecDef { flags: RW | ACCESS | DELETE | INCOMPLETE, begin: Begin::Keyword("KEYS", -2), find: Find::Range { last: -1, step: 1, limit: 0 } },
    ]),
    ("move", &[
        KeySpecDef { flags: RW | ACCESS | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("mset", &[
        KeySpecDef { flags: OW | UPDATE, begin: Begin::Index(1), find: Find::Range { last: -1, step: 2, limit: 0 } },
    ]),
    ("msetnx", &[
        KeySpecDef { flags: OW | INSERT, begin: Begin::Index(1), find: Find::Range { last: -1, step: 2, limit: 0 } },
    ]),
    ("object|encoding", &[
        KeySpecDef { flags: RO, begin: Begin::Index(2), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("object|freq", &[
        KeySpecDef { flags: RO, begin: Begin::Index(2), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("object|idletime", &[
        KeySpecDef { flags: RO, begin: Begin::Index(2), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("object|refcount", &[
        KeySpecDef { flags: RO, begin: Begin::Index(2), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("persist", &[
        KeySpecDef { flags: RW | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("pexpire", &[
        KeySpecDef { flags: RW | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("pexpireat", &[
        KeySpecDef { flags: RW | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("pexpiretime", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("pfadd", &[
        KeySpecDef { flags: RW | INSERT, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("pfcount", &[
        KeySpecDef { flags: RW | ACCESS, begin: Begin::Index(1), find: Find::Range { last: -1, step: 1, limit: 0 } },
    ]),
    ("pfdebug", &[
        KeySpecDef { flags: RW | ACCESS, begin: Begin::Index(2), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("pfmerge", &[
        KeySpecDef { flags: RW | ACCESS | INSERT, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(2), find: Find::Range { last: -1, step: 1, limit: 0 } },
    ]),
    ("psetex", &[
        KeySpecDef { flags: OW | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("pttl", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("rename", &[
        KeySpecDef { flags: RW | ACCESS | DELETE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
        KeySpecDef { flags: OW | UPDATE, begin: Begin::Index(2), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("renamenx", &[
        KeySpecDef { flags: RW | ACCESS | DELETE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
        KeySpecDef { flags: OW | INSERT, begin: Begin::Index(2), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("restore", &[
        KeySpecDef { flags: OW | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("restore-asking", &[
        KeySpecDef { flags: OW | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("rpop", &[
        KeySpecDef { flags: RW | ACCESS | DELETE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("rpoplpush", &[
        KeySpecDef { flags: RW | ACCESS | DELETE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
        KeySpecDef { flags: RW | INSERT, begin: Begin::Index(2), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("rpush", &[
        KeySpecDef { flags: RW | INSERT, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("rpushx", &[
        KeySpecDef { flags: RW | INSERT, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("sadd", &[
        KeySpecDef { flags: RW | INSERT, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("scard", &[
        KeySpecDef { flags: RO, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("sdiff", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: -1, step: 1, limit: 0 } },
    ]),
    ("sdiffstore", &[
        KeySpecDef { flags: OW | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(2), find: Find::Range { last: -1, step: 1, limit: 0 } },
    ]),
    ("set", &[
        KeySpecDef { flags: RW | ACCESS | UPDATE | VARIABLE_FLAGS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("setbit", &[
        KeySpecDef { flags: RW | ACCESS | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("setex", &[
        KeySpecDef { flags: OW | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("setnx", &[
        KeySpecDef { flags: OW | INSERT, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("setrange", &[
        KeySpecDef { flags: RW | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("sinter", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: -1, step: 1, limit: 0 } },
    ]),
    ("sintercard", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::KeyNum { index: 0, first: 1, step: 1 } },
    ]),
    ("sinterstore", &[
        KeySpecDef { flags: RW | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(2), find: Find::Range { last: -1, step: 1, limit: 0 } },
    ]),
    ("sismember", &[
        KeySpecDef { flags: RO, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("smembers", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("smismember", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("smove", &[
        KeySpecDef { flags: RW | ACCESS | DELETE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
        KeySpecDef { flags: RW | INSERT, begin: Begin::Index(2), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("sort", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Unknown, find: Find::Unknown },
        KeySpecDef { flags: OW | UPDATE, begin: Begin::Unknown, find: Find::Unknown },
    ]),
    ("sort_ro", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Unknown, find: Find::Unknown },
    ]),
    ("spop", &[
        KeySpecDef { flags: RW | ACCESS | DELETE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("spublish", &[
        KeySpecDef { flags: NOT_KEY, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("srandmember", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("srem", &[
        KeySpecDef { flags: RW | DELETE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("sscan", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("ssubscribe", &[
        KeySpecDef { flags: NOT_KEY, begin: Begin::Index(1), find: Find::Range { last: -1, step: 1, limit: 0 } },
    ]),
    ("strlen", &[
        KeySpecDef { flags: RO, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("substr", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("sunion", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: -1, step: 1, limit: 0 } },
    ]),
    ("sunionstore", &[
        KeySpecDef { flags: OW | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(2), find: Find::Range { last: -1, step: 1, limit: 0 } },
    ]),
    ("sunsubscribe", &[
        KeySpecDef { flags: NOT_KEY, begin: Begin::Index(1), find: Find::Range { last: -1, step: 1, limit: 0 } },
    ]),
    ("touch", &[
        KeySpecDef { flags: RO, begin: Begin::Index(1), find: Find::Range { last: -1, step: 1, limit: 0 } },
    ]),
    ("ttl", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("type", &[
        KeySpecDef { flags: RO, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("unlink", &[
        KeySpecDef { flags: RM | DELETE, begin: Begin::Index(1), find: Find::Range { last: -1, step: 1, limit: 0 } },
    ]),
    ("watch", &[
        KeySpecDef { flags: RO, begin: Begin::Index(1), find: Find::Range { last: -1, step: 1, limit: 0 } },
    ]),
    ("xack", &[
        KeySpecDef { flags: RW | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("xadd", &[
        KeySpecDef { flags: RW | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("xautoclaim", &[
        KeySpecDef { flags: RW | DELETE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("xclaim", &[
        KeySpecDef { flags: RW | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("xdel", &[
        KeySpecDef { flags: RW | DELETE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("xgroup|create", &[
        KeySpecDef { flags: RW | INSERT, begin: Begin::Index(2), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("xgroup|createconsumer", &[
        KeySpecDef { flags: RW | INSERT, begin: Begin::Index(2), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("xgroup|delconsumer", &[
        KeySpecDef { flags: RW | DELETE, begin: Begin::Index(2), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("xgroup|destroy", &[
        KeySpecDef { flags: RW | DELETE, begin: Begin::Index(2), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("xgroup|setid", &[
        KeySpecDef { flags: RW | UPDATE, begin: Begin::Index(2), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("xinfo|consumers", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(2), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("xinfo|groups", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(2), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("xinfo|stream", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(2), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("xlen", &[
        KeySpecDef { flags: RO, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("xpending", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("xrange", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("xread", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Keyword("STREAMS", 1), find: Find::Range { last: -1, step: 1, limit: 2 } },
    ]),
    ("xreadgroup", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Keyword("STREAMS", 4), find: Find::Range { last: -1, step: 1, limit: 2 } },
    ]),
    ("xrevrange", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("xsetid", &[
        KeySpecDef { flags: RW | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("xtrim", &[
        KeySpecDef { flags: RW | DELETE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("zadd", &[
        KeySpecDef { flags: RW | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("zcard", &[
        KeySpecDef { flags: RO, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("zcount", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("zdiff", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::KeyNum { index: 0, first: 1, step: 1 } },
    ]),
    ("zdiffstore", &[
        KeySpecDef { flags: OW | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(2), find: Find::KeyNum { index: 0, first: 1, step: 1 } },
    ]),
    ("zincrby", &[
        KeySpecDef { flags: RW | ACCESS | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("zinter", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::KeyNum { index: 0, first: 1, step: 1 } },
    ]),
    ("zintercard", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::KeyNum { index: 0, first: 1, step: 1 } },
    ]),
    ("zinterstore", &[
        KeySpecDef { flags: OW | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(2), find: Find::KeyNum { index: 0, first: 1, step: 1 } },
    ]),
    ("zlexcount", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("zmpop", &[
        KeySpecDef { flags: RW | ACCESS | DELETE, begin: Begin::Index(1), find: Find::KeyNum { index: 0, first: 1, step: 1 } },
    ]),
    ("zmscore", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("zpopmax", &[
        KeySpecDef { flags: RW | ACCESS | DELETE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("zpopmin", &[
        KeySpecDef { flags: RW | ACCESS | DELETE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("zrandmember", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("zrange", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("zrangebylex", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("zrangebyscore", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("zrangestore", &[
        KeySpecDef { flags: OW | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(2), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("zrank", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("zrem", &[
        KeySpecDef { flags: RW | DELETE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("zremrangebylex", &[
        KeySpecDef { flags: RW | DELETE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("zremrangebyrank", &[
        KeySpecDef { flags: RW | DELETE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("zremrangebyscore", &[
        KeySpecDef { flags: RW | DELETE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("zrevrange", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("zrevrangebylex", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("zrevrangebyscore", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("zrevrank", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("zscan", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("zscore", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
    ]),
    ("zunion", &[
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(1), find: Find::KeyNum { index: 0, first: 1, step: 1 } },
    ]),
    ("zunionstore", &[
        KeySpecDef { flags: OW | UPDATE, begin: Begin::Index(1), find: Find::Range { last: 0, step: 1, limit: 0 } },
        KeySpecDef { flags: RO | ACCESS, begin: Begin::Index(2), find: Find::KeyNum { index: 0, first: 1, step: 1 } },
    ]),
];
