//! LZF, the byte-oriented LZ77 format Redis uses for compressed quicklist
//! nodes and for strings in RDB files, written here from the format's
//! description.
//!
//! A stream is a sequence of chunks, each starting with a control byte:
//! - `000LLLLL`: a literal run of `L + 1` bytes (1 to 32) copied as is;
//! - `LLLooooo oooooooo`: a back-reference of `L + 2` bytes (L 1 to 6, so 3
//!   to 8) starting `o + 1` bytes before the output's end;
//! - `111ooooo LLLLLLLL oooooooo`: the same with length `L + 9` (9 to 264).
//!
//! The 13 offset bits reach 8192 bytes back. The stream carries no lengths
//! of its own: whoever stores it (a quicklist node, an RDB string) keeps
//! the uncompressed length beside it, and [`decompress`] insists on it.

/// Back-references reach at most this far.
const MAX_DISTANCE: usize = 1 << 13;
/// The shortest match worth a reference (two bytes of control for three).
const MIN_MATCH: usize = 3;
/// The longest match one reference encodes.
const MAX_MATCH: usize = 8 + 256;
/// The longest literal run one control byte announces.
const MAX_LITERAL: usize = 32;
/// One input byte expands at most this much: a 3-byte reference yields 264.
const MAX_EXPANSION: usize = MAX_MATCH / 3;

/// Compresses `input`; None when the result would take more than `limit`
/// bytes (callers pass what the compression must beat, so a hopeless
/// attempt stops early). Empty input compresses to nothing.
pub fn compress(input: &[u8], limit: usize) -> Option<Vec<u8>> {
    let n = input.len();
    let mut out = Vec::with_capacity(limit.min(n + n / MAX_LITERAL + 1));
    // Where each 3-byte hash was last seen, plus one (0: never); sized to
    // the input so small nodes do not clear a large table.
    let bits = (usize::BITS - n.max(256).leading_zeros()).min(14);
    let mut table = vec![0u32; 1 << bits];
    let hash = |i: usize| {
        let v = u32::from_le_bytes([input[i], input[i + 1], input[i + 2], 0]);
        (v.wrapping_mul(0x9E37_79B1) >> (32 - bits)) as usize
    };
    let mut literal = 0; // start of the bytes not yet written
    let mut i = 0;
    while i + MIN_MATCH <= n {
        let h = hash(i);
        let candidate = table[h] as usize;
        table[h] = i as u32 + 1;
        if candidate > 0 {
            let r = candidate - 1;
            let distance = i - r;
            if distance <= MAX_DISTANCE && input[r..r + MIN_MATCH] == input[i..i + MIN_MATCH] {
                let max = (n - i).min(MAX_MATCH);
                let mut len = MIN_MATCH;
                while len < max && input[r + len] == input[i + len] {
                    len += 1;
                }
                push_literals(&mut out, &input[literal..i]);
                push_reference(&mut out, len, distance);
                if out.len() > limit {
                    return None;
                }
                // Remember the positions the match covered, for later matches.
                for j in i + 1..(i + len).min(n - MIN_MATCH + 1) {
                    table[hash(j)] = j as u32 + 1;
                }
                i += len;
                literal = i;
                continue;
            }
        }
        i += 1;
    }
    push_literals(&mut out, &input[literal..]);
    (out.len() <= limit).then_some(out)
}

fn push_literals(out: &mut Vec<u8>, bytes: &[u8]) {
    for run in bytes.chunks(MAX_LITERAL) {
        out.push((run.len() - 1) as u8);
        out.extend_from_slice(run);
    }
}

fn push_reference(out: &mut Vec<u8>, len: usize, distance: usize) {
    debug_assert!((MIN_MATCH..=MAX_MATCH).contains(&len) && (1..=MAX_DISTANCE).contains(&distance));
    let (l, o) = (len - 2, distance - 1);
    let high = (o >> 8) as u8;
    if l < 7 {
        out.extend_from_slice(&[(l as u8) << 5 | high, o as u8]);
    } else {
        out.extend_from_slice(&[7 << 5 | high, (l - 7) as u8, o as u8]);
    }
}

/// Decompresses `input`, which must yield exactly `out_len` bytes; None
/// for anything else (a truncated chunk, a reference before the start, too
/// much or too little output). Safe on arbitrary input: it never panics,
/// and an `out_len` the input could not possibly produce is refused before
/// anything is allocated.
pub fn decompress(input: &[u8], out_len: usize) -> Option<Vec<u8>> {
    if out_len > input.len().saturating_mul(MAX_EXPANSION) {
        return None;
    }
    let mut out = Vec::with_capacity(out_len);
    let mut i = 0;
    while i < input.len() {
        let ctrl = input[i] as usize;
        i += 1;
        if ctrl < MAX_LITERAL {
            let run = input.get(i..i + ctrl + 1)?;
            if out.len() + run.len() > out_len {
                return None;
            }
            out.extend_from_slice(run);
            i += run.len();
            continue;
        }
        let mut len = ctrl >> 5;
        if len == 7 {
            len += *input.get(i)? as usize;
            i += 1;
        }
        let len = len + 2;
        let distance = ((ctrl & 0x1f) << 8 | *input.get(i)? as usize) + 1;
        i += 1;
        if distance > out.len() || out.len() + len > out_len {
            return None;
        }
        let start = out.len() - distance;
        if distance >= len {
            out.extend_from_within(start..start + len);
        } else {
            // The reference overlaps what it writes: a repeating pattern.
            for k in 0..len {
                out.push(out[start + k]);
            }
        }
    }
    (out.len() == out_len).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::rng::Rng;

    fn round_trip(data: &[u8]) -> usize {
        let packed = compress(data, usize::MAX).expect("no limit");
        assert_eq!(decompress(&packed, data.len()).as_deref(), Some(data), "{} bytes", data.len());
        packed.len()
    }

    fn random(rng: &mut Rng, len: usize, alphabet: u64) -> Vec<u8> {
        (0..len).map(|_| (rng.next_u64() % alphabet) as u8).collect()
    }

    #[test]
    fn round_trips_every_kind_of_input() {
        assert_eq!(round_trip(b""), 0);
        assert_eq!(round_trip(b"x"), 2);
        round_trip(b"ab");
        round_trip(b"abc");
        let mut rng = Rng::new(7);
        for len in [31, 32, 33, 100, 1000, 8191, 8192, 8193, 70_000] {
            round_trip(&random(&mut rng, len, 256));
            round_trip(&random(&mut rng, len, 3));
        }
        // One byte repeated: overlapping references of the longest length.
        assert!(round_trip(&[b'a'; 100_000]) < 100_000 / 80);
        // Repeats further back than a reference reaches.
        let block = random(&mut rng, 9000, 256);
        round_trip(&[block.as_slice(), &block, &block].concat());
        let big: Vec<u8> = (0..1_000_000).flat_map(|i| format!("element:{i}").into_bytes()).collect();
        assert!(round_trip(&big) < big.len() / 2);
    }

    #[test]
    fn writes_the_documented_chunks() {
        // A literal run, then a 6-byte reference 3 back, then a 24-byte one.
        let data = b"abcabcabcxyzabcabcabcabcabcabcabcabcabc";
        let packed = compress(data, usize::MAX).unwrap();
        assert_eq!(&packed[..4], &[2, b'a', b'b', b'c']);
        assert_eq!(&packed[4..6], &[4 << 5, 2]);
        assert_eq!(decompress(&packed, data.len()).as_deref(), Some(&data[..]));
        // Hand-written: literal "ab", then 20 bytes from 2 back (long form).
        let long = [1, b'a', b'b', 7 << 5, 20 - 9, 1];
        assert_eq!(decompress(&long, 22).unwrap(), b"ab".repeat(11));
    }

    #[test]
    fn a_limit_stops_compression() {
        let mut rng = Rng::new(3);
        let noise = random(&mut rng, 1000, 256);
        assert_eq!(compress(&noise, 999), None);
        let text = b"hello hello hello hello hello hello";
        let packed = compress(text, usize::MAX).unwrap();
        assert_eq!(compress(text, packed.len()).as_ref(), Some(&packed));
        assert_eq!(compress(text, packed.len() - 1), None);
    }

    #[test]
    fn corrupt_input_is_refused_never_a_panic() {
        // A reference before the output's start, a truncated literal or
        // reference, output longer or shorter than promised.
        assert_eq!(decompress(&[0x20, 0], 3), None);
        assert_eq!(decompress(&[5, b'a'], 6), None);
        assert_eq!(decompress(&[0, b'a', 0x20], 4), None);
        assert_eq!(decompress(&[0, b'a', 0xe0, 1], 20), None);
        assert_eq!(decompress(&[1, b'a', b'b'], 1), None);
        assert_eq!(decompress(&[1, b'a', b'b'], 3), None);
        assert_eq!(decompress(&[0, b'a'], usize::MAX), None);
        assert_eq!(decompress(&[], 0), Some(Vec::new()));

        let mut rng = Rng::new(11);
        let words: Vec<u8> = (0..2000).flat_map(|i| format!("w{} ", i % 37).into_bytes()).collect();
        let packed = compress(&words, usize::MAX).unwrap();
        for cut in 0..packed.len() {
            // A shorter stream can never give the whole output.
            assert_eq!(decompress(&packed[..cut], words.len()), None, "cut at {cut}");
        }
        for _ in 0..20_000 {
            let len = (rng.next_u64() % 64) as usize;
            let junk = random(&mut rng, len, 256);
            let want = (rng.next_u64() % 512) as usize;
            if let Some(out) = decompress(&junk, want) {
                assert_eq!(out.len(), want);
            }
            // Flipped bytes in a valid stream: refused or the right length.
            let mut bent = packed.clone();
            let at = (rng.next_u64() as usize) % bent.len();
            bent[at] ^= 1 << (rng.next_u64() % 8);
            if let Some(out) = decompress(&bent, words.len()) {
                assert_eq!(out.len(), words.len());
            }
        }
    }
}
