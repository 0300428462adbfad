//! Keyspace changes: the one call every write makes, and keyspace
//! notifications (`notify-keyspace-events`).
//!
//! Every command that changes a key calls [`Ctx::changed`] once per key and
//! event, as Redis calls `signalModifiedKey` and `notifyKeyspaceEvent` side
//! by side: the first invalidates WATCH and client-side caches, the second
//! publishes `__keyspace@N__:key` / `__keyevent@N__:event` when configured.
//! Changes the server makes on its own (expiry, eviction) go through
//! [`Server::key_changed`].

use crate::engine::{Ctx, Server};
use crate::keyspace::db::KeyNote;

/// Event classes, Redis's `NOTIFY_*` bits.
pub mod class {
    pub const KEYSPACE: u32 = 1 << 0;
    pub const KEYEVENT: u32 = 1 << 1;
    pub const GENERIC: u32 = 1 << 2;
    pub const STRING: u32 = 1 << 3;
    pub const LIST: u32 = 1 << 4;
    pub const SET: u32 = 1 << 5;
    pub const HASH: u32 = 1 << 6;
    pub const ZSET: u32 = 1 << 7;
    pub const EXPIRED: u32 = 1 << 8;
    pub const EVICTED: u32 = 1 << 9;
    pub const STREAM: u32 = 1 << 10;
    pub const KEY_MISS: u32 = 1 << 11;
    pub const MODULE: u32 = 1 << 12;
    pub const NEW: u32 = 1 << 13;
    /// What `A` stands for: every class but key-miss and new.
    pub const ALL: u32 = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;
}

/// The letters of `notify-keyspace-events`, in the order Redis prints them.
const LETTERS: [(u8, u32); 10] = [
    (b'g', class::GENERIC),
    (b'$', class::STRING),
    (b'l', class::LIST),
    (b's', class::SET),
    (b'h', class::HASH),
    (b'z', class::ZSET),
    (b'x', class::EXPIRED),
    (b'e', class::EVICTED),
    (b't', class::STREAM),
    (b'd', class::MODULE),
];

/// Parses a `notify-keyspace-events` value; `None` if a letter is unknown.
pub fn parse_flags(text: &str) -> Option<u32> {
    let mut flags = 0;
    for c in text.bytes() {
        flags |= match c {
            b'A' => class::ALL,
            b'K' => class::KEYSPACE,
            b'E' => class::KEYEVENT,
            b'm' => class::KEY_MISS,
            b'n' => class::NEW,
            _ => LETTERS.iter().find(|(l, _)| *l == c)?.1,
        };
    }
    Some(flags)
}

/// The canonical text of a flag set, as CONFIG GET shows it. Redis prints
/// `n` only beside single type letters: under `A` it is not shown.
pub fn format_flags(flags: u32) -> String {
    let mut s = String::new();
    if flags & class::ALL == class::ALL {
        s.push('A');
    } else {
        s.extend(LETTERS.iter().filter(|(_, bit)| flags & bit != 0).map(|&(l, _)| l as char));
        if flags & class::NEW != 0 {
            s.push('n');
        }
    }
    for (letter, bit) in [('K', class::KEYSPACE), ('E', class::KEYEVENT), ('m', class::KEY_MISS)] {
        if flags & bit != 0 {
            s.push(letter);
        }
    }
    s
}

impl Ctx<'_> {
    /// `key` in this client's database was changed by the running command;
    /// `event` is Redis's event name for it ("lpush", "del" …) in `class`.
    #[inline]
    pub fn changed(&mut self, class: u32, event: &str, key: &[u8]) {
        // Keys the lookups expired or the writes created come first, as
        // Redis announces them the moment they happen.
        self.server.pubsub.own.mark(self.out.buf.len());
        self.server.flush_key_journal();
        let db = self.client.db;
        self.server.key_changed(db, class, event, key);
    }

    /// `changed` for a key of another database (COPY … DB, MOVE).
    pub fn changed_in(&mut self, db: usize, class: u32, event: &str, key: &[u8]) {
        self.server.pubsub.own.mark(self.out.buf.len());
        self.server.flush_key_journal();
        self.server.key_changed(db, class, event, key);
    }

    /// Redis's `lookupKeyRead` miss: a "keymiss" event when configured.
    #[inline]
    pub fn missed(&mut self, key: &[u8]) {
        if self.server.config.notify_keyspace_events & class::KEY_MISS != 0 {
            self.server.pubsub.own.mark(self.out.buf.len());
            self.server.flush_key_journal();
            let db = self.client.db;
            self.server.notify_keyspace_event(db, class::KEY_MISS, "keymiss", key);
        }
    }
}

impl Server {
    /// Turns what the databases noted on their own (keys expired lazily or
    /// actively, keys created) into "expired" and "new" events; an expired
    /// key also invalidates WATCH and client caches, as any change does.
    pub fn flush_key_journal(&mut self) {
        // Runs after every command: one flag instead of every database's journal.
        if !self.journal_flag.take() {
            return;
        }
        for db in 0..self.dbs.len() {
            if !self.dbs[db].has_journal() {
                continue;
            }
            for (note, key) in self.dbs[db].take_journal() {
                match note {
                    KeyNote::Expired => self.key_changed(db, class::EXPIRED, "expired", &key),
                    KeyNote::New => self.notify_keyspace_event(db, class::NEW, "new", &key),
                }
            }
        }
    }

    /// Journal key creations only while the "new" class is enabled.
    pub fn prepare_key_journal(&mut self, db: usize) {
        let on = self.config.notify_keyspace_events & class::NEW != 0;
        if self.dbs[db].record_new != on {
            // Every database, as COPY and MOVE create keys in others.
            self.dbs.iter_mut().for_each(|d| d.record_new = on);
        }
    }

    /// A key changed: invalidates what depends on it and publishes the event.
    pub fn key_changed(&mut self, db: usize, class: u32, event: &str, key: &[u8]) {
        crate::persistence::propagate::note_removed(self, db, class, key);
        self.signal_modified(db, key);
        self.notify_keyspace_event(db, class, event, key);
    }

    /// Redis's `notifyKeyspaceEvent`: publishes the event on the keyspace
    /// and keyevent channels the configuration enables.
    pub fn notify_keyspace_event(&mut self, db: usize, class: u32, event: &str, key: &[u8]) {
        let flags = self.config.notify_keyspace_events;
        if flags & class == 0 {
            return;
        }
        if flags & class::KEYSPACE != 0 {
            let mut channel = format!("__keyspace@{db}__:").into_bytes();
            channel.extend_from_slice(key);
            self.publish(&channel, event.as_bytes());
        }
        if flags & class::KEYEVENT != 0 {
            let channel = format!("__keyevent@{db}__:{event}").into_bytes();
            self.publish(&channel, key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_round_trip_in_redis_order() {
        assert_eq!(parse_flags("").unwrap(), 0);
        assert_eq!(format_flags(parse_flags("KEA").unwrap()), "AKE");
        assert_eq!(format_flags(parse_flags("Elg").unwrap()), "glE");
        assert_eq!(format_flags(parse_flags("nmKx$").unwrap()), "$xnKm");
        assert_eq!(format_flags(parse_flags("g$lshzxetdKn").unwrap()), "AK");
        assert!(parse_flags("Kq").is_none());
    }

    /// The journal of every database is read after a command, not only the
    /// client's: MOVE creates in another one, and a key expires where it lives.
    #[test]
    fn journaled_keys_of_any_database_become_events() {
        use crate::testing::TestConn;
        let mut t = TestConn::new();
        t.engine.server.config.notify_keyspace_events = parse_flags("KEAn").unwrap();
        let sub = t.connect();
        t.cmd_on(sub, &["SUBSCRIBE", "__keyevent@9__:new", "__keyevent@9__:expired"]);
        t.engine.take_events();
        t.cmd(&["SET", "k", "v"]);
        t.cmd(&["MOVE", "k", "9"]);
        t.cmd(&["SELECT", "9"]);
        t.cmd(&["PEXPIRE", "k", "5"]);
        t.advance(10);
        t.cmd(&["SELECT", "0"]);
        assert_eq!(t.cmd(&["EXISTS", "k"]), ":0\r\n");
        t.cmd(&["SELECT", "9"]);
        assert_eq!(t.cmd(&["EXISTS", "k"]), ":0\r\n");
        let got: Vec<_> =
            t.engine.take_events().deliveries().into_iter().map(|(h, m)| (h, String::from_utf8(m).unwrap())).collect();
        let msg = |event: &str| {
            format!("*3\r\n$7\r\nmessage\r\n${}\r\n__keyevent@9__:{event}\r\n$1\r\nk\r\n", 15 + event.len())
        };
        assert_eq!(got, vec![(sub, msg("new")), (sub, msg("expired"))]);
    }
}
