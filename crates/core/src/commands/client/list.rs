//! One CLIENT LIST / CLIENT INFO line, in Redis 7.2's field order.

use std::fmt::Write;

use crate::client::Client;
use crate::resp::writer::Protocol;

/// CLIENT LIST TYPE / CLIENT KILL TYPE classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientType {
    Normal,
    Replica,
    PubSub,
    Master,
}

impl ClientType {
    pub fn parse(name: &[u8]) -> Option<ClientType> {
        let is = |s: &str| name.eq_ignore_ascii_case(s.as_bytes());
        if is("normal") {
            Some(ClientType::Normal)
        } else if is("slave") || is("replica") {
            Some(ClientType::Replica)
        } else if is("pubsub") {
            Some(ClientType::PubSub)
        } else if is("master") {
            Some(ClientType::Master)
        } else {
            None
        }
    }

    /// A subscribed connection is a pub/sub one (Redis's `getClientType`);
    /// a MONITOR is a normal one.
    pub fn of(c: &Client) -> ClientType {
        if c.in_pubsub() {
            ClientType::PubSub
        } else {
            ClientType::Normal
        }
    }
}

/// Redis's reply buffer: 16 KiB, allocated with the client.
const REPLY_BUF: usize = 16 * 1024;
/// The size of one node of Redis's reply list.
const REPLY_NODE: usize = 16 * 1024;
/// What Redis's query buffer holds for a client reading a command (PROTO_IOBUF_LEN plus sds slack).
const QUERY_BUF: usize = 20_474;
/// The client structure itself, roughly Redis's `sizeof(client)` plus bookkeeping.
const CLIENT_STRUCT: usize = 768;

/// The fields of one client, without the trailing newline. `current` is the
/// argv of the command being run when `c` is the connection running it.
pub fn client_info_line(c: &Client, now_ms: i64, current: Option<&[&[u8]]>) -> String {
    let (qbuf, qbuf_free, argv_mem, argc) = match current {
        Some(argv) => {
            let qbuf: usize =
                1 + digits(argv.len()) + 2 + argv.iter().map(|a| 1 + digits(a.len()) + 2 + a.len() + 2).sum::<usize>();
            let argv_mem: usize = argv.iter().map(|a| a.len()).sum();
            (qbuf, QUERY_BUF.saturating_sub(qbuf), argv_mem, argv.len())
        }
        None => {
            let q = c.query_len();
            (q, if q == 0 { 0 } else { QUERY_BUF.max(q) - q }, 0, 0)
        }
    };
    // The host holds unsent output; Redis keeps it in 16 KiB reply nodes.
    let omem = c.unsent as usize;
    let oll = omem.div_ceil(REPLY_NODE);
    let multi_mem = c.tx.queue_memory();
    let tot_mem = CLIENT_STRUCT + REPLY_BUF + qbuf + qbuf_free + argv_mem + 8 * argc + omem + multi_mem;
    let mut flags = String::new();
    // Redis's order: O (monitor) P (subscribed) x (MULTI) b (blocked) t R B (tracking) … c U … e T.
    if c.monitor {
        flags.push('O');
    }
    if c.in_pubsub() {
        flags.push('P');
    }
    if c.tx.in_multi() {
        flags.push('x');
    }
    if c.blocked.is_some() || c.postponed {
        flags.push('b');
    }
    if c.tracking.on {
        flags.push('t');
        if c.tracking.broken_redirect {
            flags.push('R');
        }
        if c.tracking.bcast {
            flags.push('B');
        }
    }
    if c.close_after_reply {
        flags.push('c');
    }
    // The host reports unix-socket peers as "<path>:0", as Redis does.
    if c.info.addr.starts_with('/') {
        flags.push('U');
    }
    if c.no_evict {
        flags.push('e');
    }
    if c.no_touch {
        flags.push('T');
    }
    if flags.is_empty() {
        flags.push('N');
    }
    let mut s = String::with_capacity(320);
    let _ = write!(
        s,
        "id={} addr={} laddr={} fd={} name={} age={} idle={} flags={} db={} sub={} psub={} ssub={} multi={} \
         qbuf={} qbuf-free={} argv-mem={} multi-mem={} rbs={} rbp={} obl=0 oll={} omem={} tot-mem={} events={} \
         cmd={} user={} redir={} resp={} lib-name={} lib-ver={}",
        c.id,
        c.info.addr,
        c.info.laddr,
        c.info.fd,
        text(&c.name),
        // Whole seconds between two second-resolution instants, as Redis's unixtime.
        now_ms / 1000 - c.created_ms / 1000,
        now_ms / 1000 - c.last_interaction_ms / 1000,
        flags,
        c.db,
        c.subs.channels.len(),
        c.subs.patterns.len(),
        c.subs.shard.len(),
        c.tx.queued_count(),
        qbuf,
        qbuf_free,
        argv_mem,
        multi_mem,
        REPLY_BUF,
        REPLY_BUF,
        oll,
        omem,
        tot_mem,
        if omem > 0 { "rw" } else { "r" },
        c.last_cmd,
        c.user,
        if c.tracking.on { c.tracking.redirect as i64 } else { -1 },
        if c.proto == Protocol::Resp3 { 3 } else { 2 },
        text(&c.lib_name),
        text(&c.lib_ver),
    );
    s
}

/// An optional attribute as CLIENT LIST prints it: empty when unset.
fn text(v: &Option<Vec<u8>>) -> std::borrow::Cow<'_, str> {
    v.as_deref().map(String::from_utf8_lossy).unwrap_or_default()
}

fn digits(n: usize) -> usize {
    n.checked_ilog10().unwrap_or(0) as usize + 1
}
