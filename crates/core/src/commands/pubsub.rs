//! Pub/sub: SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE SSUBSCRIBE
//! SUNSUBSCRIBE PUBLISH SPUBLISH and the PUBSUB container, with Redis 7.2's
//! replies. Subscription replies are push frames in RESP3 and arrays in
//! RESP2, where a subscribed connection may run only a few commands.

#[cfg(test)]
mod notifications;
#[cfg(test)]
mod tests;

use crate::client::Client;
use crate::command::errors::{CmdError, CmdResult};
use crate::command::spec::flags::*;
use crate::command::spec::{CommandSpec, Exec, Group, KeySpec};
use crate::commands::server::reply_help;
use crate::engine::{Ctx, Server};
use crate::pubsub::{Space, Subscriber};
use crate::resp::writer::{Protocol, Reply};

const PUBSUB_CMD: CommandSpec = CommandSpec {
    group: Group::PubSub,
    flags: PUBSUB | NOSCRIPT | LOADING | STALE,
    since: "2.0.0",
    ..CommandSpec::BASE
};

const SUB: CommandSpec = CommandSpec {
    group: Group::PubSub,
    flags: PUBSUB | LOADING | STALE,
    arity: -2,
    since: "2.8.0",
    ..CommandSpec::BASE
};

const SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "pubsub|channels",
        summary: "Returns the active channels.",
        complexity: "O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)",
        exec: Exec::Core(channels),
        ..SUB
    },
    CommandSpec {
        name: "pubsub|help",
        arity: 2,
        flags: LOADING | STALE,
        since: "6.2.0",
        summary: "Returns helpful text about the different subcommands.",
        exec: Exec::Core(help),
        ..SUB
    },
    CommandSpec {
        name: "pubsub|numpat",
        arity: 2,
        summary: "Returns a count of unique pattern subscriptions.",
        exec: Exec::Core(numpat),
        ..SUB
    },
    CommandSpec {
        name: "pubsub|numsub",
        summary: "Returns a count of subscribers to channels.",
        complexity: "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
        exec: Exec::Core(numsub),
        ..SUB
    },
    CommandSpec {
        name: "pubsub|shardchannels",
        since: "7.0.0",
        summary: "Returns the active shard channels.",
        complexity: "O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).",
        exec: Exec::Core(shardchannels),
        ..SUB
    },
    CommandSpec {
        name: "pubsub|shardnumsub",
        since: "7.0.0",
        summary: "Returns the count of subscribers of shard channels.",
        complexity: "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels",
        exec: Exec::Core(shardnumsub),
        ..SUB
    },
];

pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "subscribe",
        arity: -2,
        summary: "Listens for messages published to channels.",
        complexity: "O(N) where N is the number of channels to subscribe to.",
        exec: Exec::Core(subscribe),
        ..PUBSUB_CMD
    },
    CommandSpec {
        name: "unsubscribe",
        arity: -1,
        summary: "Stops listening to messages posted to channels.",
        complexity: "O(N) where N is the number of channels to unsubscribe.",
        exec: Exec::Core(unsubscribe),
        ..PUBSUB_CMD
    },
    CommandSpec {
        name: "psubscribe",
        arity: -2,
        summary: "Listens for messages published to channels that match one or more patterns.",
        complexity: "O(N) where N is the number of patterns to subscribe to.",
        exec: Exec::Core(psubscribe),
        ..PUBSUB_CMD
    },
    CommandSpec {
        name: "punsubscribe",
        arity: -1,
        summary: "Stops listening to messages published to channels that match one or more patterns.",
        complexity: "O(N) where N is the number of patterns to unsubscribe.",
        exec: Exec::Core(punsubscribe),
        ..PUBSUB_CMD
    },
    CommandSpec {
        name: "ssubscribe",
        arity: -2,
        keys: KeySpec::ALL,
        since: "7.0.0",
        summary: "Listens for messages published to shard channels.",
        complexity: "O(N) where N is the number of shard channels to subscribe to.",
        exec: Exec::Core(ssubscribe),
        ..PUBSUB_CMD
    },
    CommandSpec {
        name: "sunsubscribe",
        arity: -1,
        keys: KeySpec::ALL,
        since: "7.0.0",
        summary: "Stops listening to messages posted to shard channels.",
        complexity: "O(N) where N is the number of shard channels to unsubscribe.",
        exec: Exec::Core(sunsubscribe),
        ..PUBSUB_CMD
    },
    CommandSpec {
        name: "publish",
        arity: 3,
        flags: PUBSUB | LOADING | STALE | FAST | MAY_REPLICATE,
        summary: "Posts a message to a channel.",
        complexity: "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).",
        exec: Exec::Core(publish),
        ..PUBSUB_CMD
    },
    CommandSpec {
        name: "spublish",
        arity: 3,
        flags: PUBSUB | LOADING | STALE | FAST | MAY_REPLICATE,
        keys: KeySpec::FIRST,
        since: "7.0.0",
        summary: "Post a message to a shard channel",
        complexity: "O(N) where N is the number of clients subscribed to the receiving shard channel.",
        exec: Exec::Core(spublish),
        ..PUBSUB_CMD
    },
    CommandSpec {
        name: "pubsub",
        arity: -2,
        flags: 0,
        since: "2.8.0",
        summary: "A container for Pub/Sub commands.",
        complexity: "Depends on subcommand.",
        exec: Exec::Container,
        subcommands: SUBCOMMANDS,
        ..PUBSUB_CMD
    },
];

/// Commands a RESP2 connection may still run while subscribed.
const ALLOWED_WHILE_SUBSCRIBED: [&str; 9] =
    ["ping", "subscribe", "ssubscribe", "unsubscribe", "sunsubscribe", "psubscribe", "punsubscribe", "quit", "reset"];

/// Redis's subscribed-context check in `processCommand`: a RESP2
/// connection with subscriptions is refused anything but the commands above.
pub fn refused_while_subscribed(client: &Client, spec: &CommandSpec) -> Option<CmdError> {
    if client.proto != Protocol::Resp2 || !client.in_pubsub() || ALLOWED_WHILE_SUBSCRIBED.contains(&spec.name) {
        return None;
    }
    Some(CmdError::Owned(format!(
        "ERR Can't execute '{}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
        spec.name
    )))
}

/// One subscription frame: [word, channel or null, count]. It is a push:
/// CLIENT REPLY OFF does not silence it.
fn confirm(ctx: &mut Ctx, word: &[u8], channel: Option<&[u8]>, count: usize) {
    let own = &mut ctx.server.pubsub.own;
    let mut silenced = Reply { buf: Vec::new(), proto: ctx.client.proto };
    let out = if own.silenced() { &mut silenced } else { &mut *ctx.out };
    out.push_len(3);
    out.bulk(word);
    match channel {
        Some(c) => out.bulk(c),
        None => out.null(),
    }
    out.int(count as i64);
    if own.silenced() {
        own.keep(silenced.buf);
    }
}

fn me(ctx: &Ctx) -> Subscriber {
    Subscriber { handle: ctx.client.handle, proto: ctx.client.proto }
}

fn subscribe_in(ctx: &mut Ctx, space: Space, argv: &[&[u8]]) {
    for &channel in &argv[1..] {
        if ctx.client.subs.set(space).insert(channel.to_vec()) {
            let sub = me(ctx);
            ctx.server.pubsub.subscribe(space, channel, sub);
        }
        let count = ctx.client.subs.count_in(space);
        confirm(ctx, space.subscribe_word(), Some(channel), count);
    }
}

fn unsubscribe_one(ctx: &mut Ctx, space: Space, channel: &[u8]) -> bool {
    let removed = ctx.client.subs.set(space).remove(channel);
    if removed {
        ctx.server.pubsub.unsubscribe(space, channel, ctx.client.handle);
    }
    let count = ctx.client.subs.count_in(space);
    confirm(ctx, space.unsubscribe_word(), Some(channel), count);
    removed
}

fn unsubscribe_in(ctx: &mut Ctx, space: Space, argv: &[&[u8]]) {
    if argv.len() > 1 {
        for &channel in &argv[1..] {
            unsubscribe_one(ctx, space, channel);
        }
        return;
    }
    let all: Vec<Vec<u8>> = ctx.client.subs.set(space).iter().cloned().collect();
    for channel in &all {
        unsubscribe_one(ctx, space, channel);
    }
    if all.is_empty() {
        let count = ctx.client.subs.count_in(space);
        confirm(ctx, space.unsubscribe_word(), None, count);
    }
}

/// SUBSCRIBE channel [channel ...]
fn subscribe(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    subscribe_in(ctx, Space::Global, argv);
    Ok(())
}

/// UNSUBSCRIBE [channel [channel ...]]
fn unsubscribe(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    unsubscribe_in(ctx, Space::Global, argv);
    Ok(())
}

/// SSUBSCRIBE shardchannel [shardchannel ...]
fn ssubscribe(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    subscribe_in(ctx, Space::Shard, argv);
    Ok(())
}

/// SUNSUBSCRIBE [shardchannel [shardchannel ...]]
fn sunsubscribe(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    unsubscribe_in(ctx, Space::Shard, argv);
    Ok(())
}

/// PSUBSCRIBE pattern [pattern ...]
fn psubscribe(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    for &pattern in &argv[1..] {
        if ctx.client.subs.patterns.insert(pattern.to_vec()) {
            let sub = me(ctx);
            ctx.server.pubsub.psubscribe(pattern, sub);
        }
        confirm(ctx, b"psubscribe", Some(pattern), ctx.client.subs.count());
    }
    Ok(())
}

fn punsubscribe_one(ctx: &mut Ctx, pattern: &[u8]) {
    if ctx.client.subs.patterns.remove(pattern) {
        ctx.server.pubsub.punsubscribe(pattern, ctx.client.handle);
    }
    confirm(ctx, b"punsubscribe", Some(pattern), ctx.client.subs.count());
}

/// PUNSUBSCRIBE [pattern [pattern ...]]
fn punsubscribe(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if argv.len() > 1 {
        for &pattern in &argv[1..] {
            punsubscribe_one(ctx, pattern);
        }
        return Ok(());
    }
    let all: Vec<Vec<u8>> = ctx.client.subs.patterns.iter().cloned().collect();
    for pattern in &all {
        punsubscribe_one(ctx, pattern);
    }
    if all.is_empty() {
        confirm(ctx, b"punsubscribe", None, ctx.client.subs.count());
    }
    Ok(())
}

/// PUBLISH channel message
fn publish(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    ctx.server.pubsub.own.mark(ctx.out.buf.len());
    let receivers = ctx.server.publish_in(Space::Global, argv[1], argv[2]);
    ctx.out.int(receivers as i64);
    Ok(())
}

/// SPUBLISH shardchannel message
fn spublish(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    ctx.server.pubsub.own.mark(ctx.out.buf.len());
    let receivers = ctx.server.publish_in(Space::Shard, argv[1], argv[2]);
    ctx.out.int(receivers as i64);
    Ok(())
}

fn syntax_error(argv: &[&[u8]]) -> CmdError {
    CmdError::Owned(format!(
        "ERR unknown subcommand or wrong number of arguments for '{}'. Try {} HELP.",
        String::from_utf8_lossy(&argv[1][..argv[1].len().min(128)]),
        String::from_utf8_lossy(argv[0]).to_ascii_uppercase()
    ))
}

fn list_channels(ctx: &mut Ctx, space: Space, argv: &[&[u8]]) -> CmdResult {
    if argv.len() > 3 {
        return Err(syntax_error(argv));
    }
    let names = ctx.server.pubsub.channel_names(space, argv.get(2).copied());
    ctx.out.array_len(names.len());
    for name in names {
        ctx.out.bulk(name);
    }
    Ok(())
}

fn count_subscribers(ctx: &mut Ctx, space: Space, argv: &[&[u8]]) {
    ctx.out.array_len((argv.len() - 2) * 2);
    for &channel in &argv[2..] {
        ctx.out.bulk(channel);
        ctx.out.int(ctx.server.pubsub.subscriber_count(space, channel) as i64);
    }
}

/// PUBSUB CHANNELS [pattern]
fn channels(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    list_channels(ctx, Space::Global, argv)
}

/// PUBSUB SHARDCHANNELS [pattern]
fn shardchannels(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    list_channels(ctx, Space::Shard, argv)
}

/// PUBSUB NUMSUB [channel [channel ...]]
fn numsub(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    count_subscribers(ctx, Space::Global, argv);
    Ok(())
}

/// PUBSUB SHARDNUMSUB [shardchannel [shardchannel ...]]
fn shardnumsub(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    count_subscribers(ctx, Space::Shard, argv);
    Ok(())
}

/// PUBSUB NUMPAT
fn numpat(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    ctx.out.int(ctx.server.pubsub.pattern_count() as i64);
    Ok(())
}

const HELP: &[&str] = &[
    "CHANNELS [<pattern>]",
    "    Return the currently active channels matching a <pattern> (default: '*').",
    "NUMPAT",
    "    Return number of subscriptions to patterns.",
    "NUMSUB [<channel> ...]",
    "    Return the number of subscribers for the specified channels, excluding",
    "    pattern subscriptions(default: no channels).",
    "SHARDCHANNELS [<pattern>]",
    "    Return the currently active shard level channels matching a <pattern> (default: '*').",
    "SHARDNUMSUB [<shardchannel> ...]",
    "    Return the number of subscribers for the specified shard level channel(s)",
];

/// PUBSUB HELP
fn help(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    reply_help(ctx.out, argv[0], HELP);
    Ok(())
}

/// RESET and disconnect: the client leaves every subscription silently.
pub fn leave_all(server: &mut Server, client: &mut Client) {
    server.pubsub.forget(&mut client.subs, client.handle);
}

/// HELLO changed the client's protocol: its pushes follow.
pub fn protocol_changed(server: &mut Server, client: &Client) {
    if client.in_pubsub() {
        server.pubsub.set_proto(&client.subs, client.handle, client.proto);
    }
}
