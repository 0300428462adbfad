//! HRANDFIELD: random fields, with Redis's rules for the count — positive
//! means distinct fields (at most the whole hash), negative means exactly
//! that many picks, repeats allowed.

use std::collections::HashSet;

use super::read_hash;
use crate::command::args::{self, is};
use crate::command::errors::{self, CmdError, CmdResult};
use crate::engine::Ctx;
use crate::resp::writer::{Protocol, Reply};
use crate::types::hash::Hash;
use crate::util::rng::Rng;

const COUNT_OUT_OF_RANGE: CmdError =
    CmdError::Static("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
/// WITHVALUES doubles the reply, so the count must stay within half the range.
const WITHVALUES_OUT_OF_RANGE: CmdError = CmdError::Static("ERR value is out of range");

/// A reply to a count in the billions cannot be built; past this many bytes
/// the connection is closed instead, as Redis closes a client whose output
/// buffer passes its limit (the check its own loop makes).
const MAX_REPLY_BYTES: usize = 1 << 30;

/// HRANDFIELD key [count [WITHVALUES]]
pub(super) fn hrandfield(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let mut rng = Rng::new(ctx.server.random());
    if argv.len() == 2 {
        return read_hash(ctx, argv[1], |h, out| match h.and_then(|h| h.random(rng.next_u64())) {
            Some((field, _)) => out.bulk(field),
            None => out.null(),
        });
    }
    // The count and the syntax are checked before the key is looked up.
    let count = args::int(argv[2])?;
    if count == i64::MIN {
        return Err(COUNT_OUT_OF_RANGE);
    }
    let with_values = match argv.get(3) {
        _ if argv.len() > 4 => return Err(errors::SYNTAX),
        Some(arg) if !is(arg, "withvalues") => return Err(errors::SYNTAX),
        Some(_) if count.unsigned_abs() > (i64::MAX / 2) as u64 => return Err(WITHVALUES_OUT_OF_RANGE),
        found => found.is_some(),
    };
    let fits = read_hash(ctx, argv[1], |h, out| match h {
        None => {
            out.array_len(0);
            true
        }
        Some(h) => {
            let mark = out.buf.len();
            let picks = Picks { with_values, pairs: with_values && out.proto == Protocol::Resp3, mark };
            let fits = picks.reply(h, count, &mut rng, out);
            if !fits {
                out.buf.truncate(mark);
            }
            fits
        }
    })?;
    if !fits {
        ctx.client.close_after_reply = true;
    }
    Ok(())
}

/// How picked fields are written.
struct Picks {
    with_values: bool,
    /// RESP3 with values: each pick is a [field, value] array.
    pairs: bool,
    /// Where the reply starts in the output buffer.
    mark: usize,
}

impl Picks {
    /// Writes the reply; false if it grew past [`MAX_REPLY_BYTES`] (the
    /// caller drops it).
    fn reply(&self, h: &Hash, count: i64, rng: &mut Rng, out: &mut Reply) -> bool {
        let size = h.len();
        let n = count.unsigned_abs();
        if n == 0 {
            out.array_len(0);
            return true;
        }
        // Repeats allowed (and a single pick): each one drawn from the whole hash.
        if count < 0 || n == 1 {
            self.header(n as usize, out);
            // A listpack is listed once rather than walked for every pick.
            let listed: Option<Vec<(&[u8], &[u8])>> = h.is_listpack().then(|| h.iter().collect());
            for _ in 0..n {
                let (f, v) = match &listed {
                    Some(pairs) => pairs[below(rng, size)],
                    None => h.random(rng.next_u64()).expect("not empty"),
                };
                self.pick(f, v, out);
                if out.buf.len() - self.mark > MAX_REPLY_BYTES {
                    return false;
                }
            }
            return true;
        }
        let n = n as usize;
        if n >= size {
            self.header(size, out);
            for (f, v) in h.iter() {
                self.pick(f, v, out);
            }
            return true;
        }
        self.header(n, out);
        if h.is_listpack() {
            // Distinct picks in the hash's order, each pair kept with the
            // chance still needed over those left (selection sampling, as
            // Redis 7.2's `lpRandomPairsUnique`).
            let mut needed = n;
            for (left, (f, v)) in (1..=size).rev().zip(h.iter()) {
                if below(rng, left) < needed {
                    self.pick(f, v, out);
                    needed -= 1;
                    if needed == 0 {
                        break;
                    }
                }
            }
        } else if n * 3 > size {
            // Many of the fields: shuffle the first `n` of a full list
            // (Redis copies the hash and removes random ones).
            let mut all: Vec<(&[u8], &[u8])> = h.iter().collect();
            for i in 0..n {
                let j = i + below(rng, size - i);
                all.swap(i, j);
                self.pick(all[i].0, all[i].1, out);
            }
        } else {
            // Few of many: draw until `n` distinct fields came up.
            let mut seen: HashSet<&[u8]> = HashSet::with_capacity(n);
            while seen.len() < n {
                let (f, v) = h.random(rng.next_u64()).expect("not empty");
                if seen.insert(f) {
                    self.pick(f, v, out);
                }
            }
        }
        true
    }

    /// The array of `n` picks: flat in RESP2 (fields and values alternating).
    fn header(&self, n: usize, out: &mut Reply) {
        out.array_len(if self.with_values && !self.pairs { n * 2 } else { n });
    }

    fn pick(&self, field: &[u8], value: &[u8], out: &mut Reply) {
        if self.pairs {
            out.array_len(2);
        }
        out.bulk(field);
        if self.with_values {
            out.bulk(value);
        }
    }
}

/// Uniform in `0..n` (the bias of a modulo is below 2^-32 for any hash size).
fn below(rng: &mut Rng, n: usize) -> usize {
    (rng.next_u64() % n as u64) as usize
}
