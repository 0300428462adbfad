//! Channel and pattern subscriptions, and PUBLISH's delivery to them.
//! The registry lives in the core so PUBLISH (also inside MULTI and scripts)
//! and keyspace notifications count and reach receivers in one place; the
//! encoded messages leave through [`crate::engine::Events`] for the host
//! to write.

use foldhash::HashMap;

use crate::engine::Server;
use crate::resp::writer::{Protocol, Reply};
use crate::util::glob::glob_match;

/// A subscriber as the registry knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Subscriber {
    pub handle: u32,
    /// The protocol its pushes are encoded in.
    pub proto: Protocol,
}

#[derive(Default)]
pub struct PubSub {
    channels: HashMap<Vec<u8>, Vec<Subscriber>>,
    /// Patterns in the order they were first subscribed (Redis's list).
    patterns: Vec<(Vec<u8>, Vec<Subscriber>)>,
}

impl PubSub {
    pub fn is_empty(&self) -> bool {
        self.channels.is_empty() && self.patterns.is_empty()
    }

    /// Adds `sub` to `channel`; false if it was already there.
    pub fn subscribe(&mut self, channel: &[u8], sub: Subscriber) -> bool {
        let subs = self.channels.entry(channel.to_vec()).or_default();
        if subs.iter().any(|s| s.handle == sub.handle) {
            return false;
        }
        subs.push(sub);
        true
    }

    /// Removes `handle` from `channel`; false if it was not subscribed.
    pub fn unsubscribe(&mut self, channel: &[u8], handle: u32) -> bool {
        let Some(subs) = self.channels.get_mut(channel) else { return false };
        let before = subs.len();
        subs.retain(|s| s.handle != handle);
        let removed = subs.len() != before;
        if subs.is_empty() {
            self.channels.remove(channel);
        }
        removed
    }

    /// Whether `handle` holds any subscription (Redis's CLIENT_PUBSUB).
    pub fn has_subscriptions(&self, handle: u32) -> bool {
        self.channels.values().chain(self.patterns.iter().map(|(_, s)| s)).any(|s| s.iter().any(|x| x.handle == handle))
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
        let before = subs.len();
        subs.retain(|s| s.handle != handle);
        let removed = subs.len() != before;
        if subs.is_empty() {
            self.patterns.remove(i);
        }
        removed
    }
}

impl Server {
    /// Delivers `message` to `channel`'s subscribers and to every matching
    /// pattern's; returns how many deliveries were made (PUBLISH's reply).
    pub fn publish(&mut self, channel: &[u8], message: &[u8]) -> usize {
        if self.pubsub.is_empty() {
            return 0;
        }
        let mut count = 0;
        if let Some(subs) = self.pubsub.channels.get(channel) {
            for sub in subs {
                let mut out = Reply { buf: Vec::new(), proto: sub.proto };
                out.push_len(3);
                out.bulk(b"message");
                out.bulk(channel);
                out.bulk(message);
                self.events.messages.push((sub.handle, out.buf));
                count += 1;
            }
        }
        for (pattern, subs) in &self.pubsub.patterns {
            if !glob_match(pattern, channel, false) {
                continue;
            }
            for sub in subs {
                let mut out = Reply { buf: Vec::new(), proto: sub.proto };
                out.push_len(4);
                out.bulk(b"pmessage");
                out.bulk(pattern);
                out.bulk(channel);
                out.bulk(message);
                self.events.messages.push((sub.handle, out.buf));
                count += 1;
            }
        }
        count
    }
}
