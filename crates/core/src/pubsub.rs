//! Channel, pattern and shard-channel subscriptions, and PUBLISH's delivery
//! to them. The registry lives in the core so PUBLISH (also inside MULTI and
//! scripts) and keyspace notifications count and reach receivers in one
//! place. A message is encoded once per protocol version and leaves through
//! [`crate::engine::Events`] as one batch naming every receiver, for the
//! host to write to each socket.

use foldhash::{HashMap, HashSet};

use crate::client::ReplyMode;
use crate::engine::{Events, Server};
use crate::resp::writer::{Protocol, Reply};
use crate::util::glob::glob_match;

/// A subscriber as the registry knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Subscriber {
    pub handle: u32,
    /// The protocol its pushes are encoded in.
    pub proto: Protocol,
}

/// Which of the two channel namespaces: SUBSCRIBE's or SSUBSCRIBE's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Space {
    Global,
    Shard,
}

impl Space {
    /// The words of this namespace's push frames.
    fn words(self) -> (&'static [u8], &'static [u8], &'static [u8]) {
        match self {
            Space::Global => (b"subscribe", b"unsubscribe", b"message"),
            Space::Shard => (b"ssubscribe", b"sunsubscribe", b"smessage"),
        }
    }

    pub fn subscribe_word(self) -> &'static [u8] {
        self.words().0
    }

    pub fn unsubscribe_word(self) -> &'static [u8] {
        self.words().1
    }
}

/// One client's own subscriptions (Redis's `c->pubsub_channels` and friends).
#[derive(Default, Debug)]
pub struct ClientSubs {
    pub channels: HashSet<Vec<u8>>,
    pub patterns: HashSet<Vec<u8>>,
    pub shard: HashSet<Vec<u8>>,
}

impl ClientSubs {
    /// What SUBSCRIBE/PSUBSCRIBE replies count: channels plus patterns.
    pub fn count(&self) -> usize {
        self.channels.len() + self.patterns.len()
    }

    /// Every subscription of every kind: the client is in pub/sub mode while nonzero.
    pub fn total(&self) -> usize {
        self.count() + self.shard.len()
    }

    /// What a (S)SUBSCRIBE reply counts in `space`.
    pub fn count_in(&self, space: Space) -> usize {
        match space {
            Space::Global => self.count(),
            Space::Shard => self.shard.len(),
        }
    }

    pub fn set(&mut self, space: Space) -> &mut HashSet<Vec<u8>> {
        match space {
            Space::Global => &mut self.channels,
            Space::Shard => &mut self.shard,
        }
    }
}

#[derive(Default)]
pub struct PubSub {
    /// Pushes for the client running the current command.
    pub own: OwnPushes,
    channels: HashMap<Vec<u8>, Vec<Subscriber>>,
    shard_channels: HashMap<Vec<u8>, Vec<Subscriber>>,
    /// Patterns in the order they were first subscribed.
    patterns: Vec<(Vec<u8>, Vec<Subscriber>)>,
}

fn remove_handle(subs: &mut Vec<Subscriber>, handle: u32) -> bool {
    let before = subs.len();
    subs.retain(|s| s.handle != handle);
    subs.len() != before
}

impl PubSub {
    pub fn is_empty(&self) -> bool {
        self.channels.is_empty() && self.patterns.is_empty() && self.shard_channels.is_empty()
    }

    fn space(&mut self, space: Space) -> &mut HashMap<Vec<u8>, Vec<Subscriber>> {
        match space {
            Space::Global => &mut self.channels,
            Space::Shard => &mut self.shard_channels,
        }
    }

    /// Adds `sub` to `channel`; false if it was already there.
    pub fn subscribe(&mut self, space: Space, channel: &[u8], sub: Subscriber) -> bool {
        let subs = self.space(space).entry(channel.to_vec()).or_default();
        if subs.iter().any(|s| s.handle == sub.handle) {
            return false;
        }
        subs.push(sub);
        true
    }

    /// Removes `handle` from `channel`; false if it was not subscribed.
    pub fn unsubscribe(&mut self, space: Space, channel: &[u8], handle: u32) -> bool {
        let map = self.space(space);
        let Some(subs) = map.get_mut(channel) else { return false };
        let removed = remove_handle(subs, handle);
        if subs.is_empty() {
            map.remove(channel);
        }
        removed
    }

    pub fn psubscribe(&mut self, pattern: &[u8], sub: Subscriber) -> bool {
        match self.patterns.iter_mut().find(|(p, _)| p == pattern) {
            Some((_, subs)) if subs.iter().any(|s| s.handle == sub.handle) => false,
            Some((_, subs)) => {
                subs.push(sub);
                true
            }
            None => {
                self.patterns.push((pattern.to_vec(), vec![sub]));
                true
            }
        }
    }

    pub fn punsubscribe(&mut self, pattern: &[u8], handle: u32) -> bool {
        let Some(i) = self.patterns.iter().position(|(p, _)| p == pattern) else { return false };
        let subs = &mut self.patterns[i].1;
        let removed = remove_handle(subs, handle);
        if subs.is_empty() {
            self.patterns.remove(i);
        }
        removed
    }

    /// The client's pushes are now encoded in `proto` (HELLO switched it).
    pub fn set_proto(&mut self, subs: &ClientSubs, handle: u32, proto: Protocol) {
        let mut update = |list: &mut Vec<Subscriber>| {
            for s in list.iter_mut().filter(|s| s.handle == handle) {
                s.proto = proto;
            }
        };
        for c in &subs.channels {
            self.channels.get_mut(c).map(&mut update);
        }
        for c in &subs.shard {
            self.shard_channels.get_mut(c).map(&mut update);
        }
        for (p, list) in &mut self.patterns {
            if subs.patterns.contains(p) {
                update(list);
            }
        }
    }

    /// Drops every subscription of a client, silently (disconnect, RESET).
    pub fn forget(&mut self, subs: &mut ClientSubs, handle: u32) {
        for c in subs.channels.drain() {
            self.unsubscribe(Space::Global, &c, handle);
        }
        for c in subs.shard.drain() {
            self.unsubscribe(Space::Shard, &c, handle);
        }
        for p in subs.patterns.drain() {
            self.punsubscribe(&p, handle);
        }
    }

    /// Active channels of `space` matching `pattern` (all when `None`).
    pub fn channel_names(&self, space: Space, pattern: Option<&[u8]>) -> Vec<&[u8]> {
        let map = match space {
            Space::Global => &self.channels,
            Space::Shard => &self.shard_channels,
        };
        map.keys().map(Vec::as_slice).filter(|c| pattern.is_none_or(|p| glob_match(p, c, false))).collect()
    }

    /// Subscribers of one channel (PUBSUB NUMSUB / SHARDNUMSUB).
    pub fn subscriber_count(&self, space: Space, channel: &[u8]) -> usize {
        let map = match space {
            Space::Global => &self.channels,
            Space::Shard => &self.shard_channels,
        };
        map.get(channel).map_or(0, Vec::len)
    }

    /// Channels of `space` with at least one subscriber (INFO stats).
    pub fn channel_count(&self, space: Space) -> usize {
        match space {
            Space::Global => self.channels.len(),
            Space::Shard => self.shard_channels.len(),
        }
    }

    /// Distinct patterns subscribed (PUBSUB NUMPAT).
    pub fn pattern_count(&self) -> usize {
        self.patterns.len()
    }
}

/// Encodes one push frame per protocol in use among `subs` and hands each
/// to the host as one batch naming its receivers (the running client's own
/// copy goes to its output instead, see [`OwnPushes`]).
fn fan_out(events: &mut Events, own: &mut OwnPushes, subs: &[Subscriber], frame: impl Fn(&mut Reply)) {
    for proto in [Protocol::Resp2, Protocol::Resp3] {
        let me = own.running.filter(|&me| subs.iter().any(|s| s.proto == proto && s.handle == me));
        let others = || subs.iter().filter(move |s| s.proto == proto && Some(s.handle) != me).map(|s| s.handle);
        if me.is_some() {
            let mut out = Reply { buf: Vec::new(), proto };
            frame(&mut out);
            own.pushes.push((own.at, out.buf));
        }
        if others().next().is_none() {
            continue;
        }
        // A message for the same receivers as the one before joins its
        // batch: one buffer, and later one write, per burst.
        match events.batches.last_mut() {
            Some(last) if last.targets.iter().copied().eq(others()) => {
                let mut out = Reply { buf: std::mem::take(&mut last.bytes), proto };
                frame(&mut out);
                last.bytes = out.buf;
            }
            _ => {
                let mut out = Reply { buf: Vec::new(), proto };
                frame(&mut out);
                events.send_to_many(out.buf, others().collect());
            }
        }
    }
}

/// Pushes for the client whose command is running (a RESP3 subscriber
/// publishing to its own channel, or changing a key it listens to): Redis
/// writes them into that client's output where the command stands, so they
/// are kept here with that position rather than sent as events.
#[derive(Default)]
pub struct OwnPushes {
    /// The running client's handle.
    handle: u32,
    /// Its replies are silenced (CLIENT REPLY OFF/SKIP); pushes still reach
    /// it, as Redis's CLIENT_PUSHING lets them through.
    silenced: bool,
    /// The running client, while it has subscriptions.
    running: Option<u32>,
    /// Where in the output a push made now belongs.
    at: usize,
    pushes: Vec<(usize, Vec<u8>)>,
}

impl OwnPushes {
    /// A command of `client` starts; its output begins at `mark`.
    #[inline]
    pub fn begin(&mut self, client: &crate::client::Client, mark: usize) {
        self.handle = client.handle;
        self.silenced = matches!(client.reply_mode, ReplyMode::Off | ReplyMode::Skip);
        self.running = client.in_pubsub().then_some(client.handle);
        self.at = mark;
    }

    /// Whether replies are silenced for the running command.
    pub fn silenced(&self) -> bool {
        self.silenced
    }

    /// Keeps a push made while replies are silenced.
    pub fn keep(&mut self, bytes: Vec<u8>) {
        self.pushes.push((self.at, bytes));
    }

    /// What the command wrote so far ends at `len`: a push made now goes there.
    #[inline]
    pub fn mark(&mut self, len: usize) {
        if self.running.is_some() {
            self.at = len;
        }
    }

    /// The command ended: its pushes go into `out` at their positions, or
    /// straight to the client when its replies are silenced (they would be
    /// cut with the reply).
    #[inline]
    pub fn finish(&mut self, out: &mut Vec<u8>, events: &mut Events) {
        self.running = None;
        if self.silenced && !self.pushes.is_empty() {
            let bytes = self.pushes.drain(..).flat_map(|(_, b)| b).collect();
            events.send(self.handle, bytes);
            return;
        }
        // Back to front, so earlier positions stay valid; pushes at one
        // position go in reverse and so end up in the order they were made.
        for (at, bytes) in self.pushes.drain(..).rev() {
            out.splice(at..at, bytes);
        }
    }
}

impl Server {
    /// Delivers `message` to `channel`'s subscribers and to every matching
    /// pattern's; returns how many deliveries were made (PUBLISH's reply).
    pub fn publish(&mut self, channel: &[u8], message: &[u8]) -> usize {
        self.publish_in(Space::Global, channel, message)
    }

    /// PUBLISH or SPUBLISH: shard channels have no pattern subscribers.
    pub fn publish_in(&mut self, space: Space, channel: &[u8], message: &[u8]) -> usize {
        if self.pubsub.is_empty() {
            return 0;
        }
        let (_, _, word) = space.words();
        let mut count = 0;
        let PubSub { own, channels, shard_channels, patterns } = &mut self.pubsub;
        let map = match space {
            Space::Global => channels,
            Space::Shard => shard_channels,
        };
        if let Some(subs) = map.get(channel) {
            count += subs.len();
            fan_out(&mut self.events, own, subs, |out| {
                out.push_len(3);
                out.bulk(word);
                out.bulk(channel);
                out.bulk(message);
            });
        }
        if space == Space::Shard {
            return count;
        }
        for (pattern, subs) in patterns.iter() {
            if !glob_match(pattern, channel, false) {
                continue;
            }
            count += subs.len();
            fan_out(&mut self.events, own, subs, |out| {
                out.push_len(4);
                out.bulk(b"pmessage");
                out.bulk(pattern);
                out.bulk(channel);
                out.bulk(message);
            });
        }
        count
    }
}
