//! A seeded property test of the request parser: millions of generated
//! inputs (random bytes, valid pipelines, mutated pipelines), each parsed
//! whole, in random chunks and (for a share) one byte at a time, exactly as
//! the engine feeds a connection's reads. The properties: the parser never
//! panics, never reports a command past the bytes it was given, gives the
//! same commands and the same error however the input is split, and parses
//! a valid pipeline to exactly the commands it encodes.

use ferrokv_core::resp::parser::{ParseLimits, ParseState, Parsed};
use ferrokv_core::util::rng::Rng;

/// What a connection saw: the commands, then the protocol error (if any)
/// that closed it.
#[derive(Debug, PartialEq, Default)]
struct Outcome {
    commands: Vec<Vec<Vec<u8>>>,
    error: Option<&'static str>,
}

/// Feeds `chunks` as the engine does: parse every complete command of what
/// is buffered, keep the unparsed tail for the next read, stop at an error.
fn feed(chunks: &[&[u8]], limits: ParseLimits) -> Outcome {
    let mut state = ParseState::default();
    let mut buffered: Vec<u8> = Vec::new();
    let mut out = Outcome::default();
    for chunk in chunks {
        buffered.extend_from_slice(chunk);
        let mut pos = 0;
        while pos < buffered.len() {
            match state.parse(&buffered[pos..], limits) {
                Parsed::Command(n) => {
                    assert!(n > 0 && pos + n <= buffered.len(), "command end {n} past {} bytes", buffered.len() - pos);
                    let src: &[u8] = if state.inline { &state.scratch } else { &buffered[pos..] };
                    if !state.args.is_empty() {
                        out.commands
                            .push(state.args.iter().map(|&(a, b)| src[a as usize..b as usize].to_vec()).collect());
                    }
                    pos += n;
                }
                Parsed::Incomplete => break,
                Parsed::Error(msg) => {
                    out.error = Some(msg);
                    return out;
                }
            }
        }
        buffered.drain(..pos);
    }
    out
}

/// Bytes that matter to the protocol, so random inputs reach deep paths.
const ALPHABET: &[u8] = b"*$\r\n\r\n0123456789-+ \"'\\xabcSETGET\t\x00\xff";

fn random_bytes(rng: &mut Rng, max_len: usize) -> Vec<u8> {
    let len = (rng.next_u64() % (max_len as u64 + 1)) as usize;
    (0..len)
        .map(|_| {
            if rng.next_u64().is_multiple_of(4) {
                rng.next_u64() as u8
            } else {
                ALPHABET[(rng.next_u64() % ALPHABET.len() as u64) as usize]
            }
        })
        .collect()
}

fn random_arg(rng: &mut Rng) -> Vec<u8> {
    let len = (rng.next_u64() % 12) as usize;
    (0..len).map(|_| rng.next_u64() as u8).collect()
}

/// A valid pipeline of multibulk commands, and the commands it encodes.
fn valid_pipeline(rng: &mut Rng) -> (Vec<u8>, Vec<Vec<Vec<u8>>>) {
    let mut bytes = Vec::new();
    let mut commands = Vec::new();
    for _ in 0..1 + rng.next_u64() % 3 {
        let argc = 1 + (rng.next_u64() % 4) as usize;
        let args: Vec<Vec<u8>> = (0..argc).map(|_| random_arg(rng)).collect();
        bytes.extend_from_slice(format!("*{argc}\r\n").as_bytes());
        for a in &args {
            bytes.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
            bytes.extend_from_slice(a);
            bytes.extend_from_slice(b"\r\n");
        }
        commands.push(args);
    }
    (bytes, commands)
}

/// A valid pipeline with a few random edits: flips, insertions, deletions,
/// a truncation, or a header number replaced by a hostile one.
fn mutated(rng: &mut Rng) -> Vec<u8> {
    let (mut bytes, _) = valid_pipeline(rng);
    for _ in 0..1 + rng.next_u64() % 3 {
        if bytes.is_empty() {
            break;
        }
        let at = (rng.next_u64() % bytes.len() as u64) as usize;
        match rng.next_u64() % 6 {
            0 => bytes[at] = rng.next_u64() as u8,
            1 => bytes.insert(at, ALPHABET[(rng.next_u64() % ALPHABET.len() as u64) as usize]),
            2 => {
                bytes.remove(at);
            }
            3 => bytes.truncate(at),
            4 => {
                const HOSTILE: [&str; 6] = ["-1", "2147483648", "99999999999999999999", "0", "-0", "00"];
                let number = HOSTILE[(rng.next_u64() % HOSTILE.len() as u64) as usize];
                let tail = bytes.split_off(at);
                bytes.extend_from_slice(number.as_bytes());
                bytes.extend_from_slice(&tail);
            }
            _ => {
                let tail = bytes[at..].to_vec();
                bytes.extend_from_slice(&tail);
            }
        }
    }
    bytes
}

fn random_chunks<'a>(rng: &mut Rng, input: &'a [u8]) -> Vec<&'a [u8]> {
    let mut chunks = Vec::new();
    let mut rest = input;
    while !rest.is_empty() {
        let n = 1 + (rng.next_u64() % rest.len() as u64) as usize;
        let (head, tail) = rest.split_at(n);
        chunks.push(head);
        rest = tail;
    }
    chunks
}

fn limits(rng: &mut Rng) -> ParseLimits {
    ParseLimits {
        max_bulk_len: if rng.next_u64().is_multiple_of(4) { 4 } else { 512 * 1024 * 1024 },
        unauthenticated: rng.next_u64().is_multiple_of(8),
    }
}

/// Runs `count` generated inputs from `seed`; returns how many parses ran.
fn run(seed: u64, count: usize) -> usize {
    let mut rng = Rng::new(seed);
    let mut parses = 0;
    for i in 0..count {
        let limits = limits(&mut rng);
        let (input, expected) = match i % 3 {
            0 => (random_bytes(&mut rng, 48), None),
            1 => (mutated(&mut rng), None),
            _ => {
                let (bytes, commands) = valid_pipeline(&mut rng);
                (bytes, Some(commands))
            }
        };
        let whole = feed(&[&input], limits);
        let chunked = feed(&random_chunks(&mut rng, &input), limits);
        assert_eq!(whole, chunked, "seed {seed} input {i}: {:?}", String::from_utf8_lossy(&input));
        parses += 2;
        if i.is_multiple_of(16) {
            let bytes: Vec<&[u8]> = input.chunks(1).collect();
            assert_eq!(whole, feed(&bytes, limits), "seed {seed} input {i}, byte by byte");
            parses += 1;
        }
        if let Some(commands) = expected {
            if limits.max_bulk_len > 64 && !limits.unauthenticated {
                assert_eq!(whole, Outcome { commands, error: None }, "seed {seed} input {i}");
            }
        }
    }
    parses
}

#[test]
fn parser_survives_millions_of_generated_inputs() {
    const INPUTS_PER_THREAD: usize = 1_500_000;
    let parses: usize = std::thread::scope(|s| {
        let workers: Vec<_> =
            [0x00f0_0d01_u64, 0x00f0_0d02].map(|seed| s.spawn(move || run(seed, INPUTS_PER_THREAD))).into();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    assert!(parses >= 6_000_000, "{parses}");
}

#[test]
fn hostile_headers_are_refused_not_trusted() {
    let wide = ParseLimits { max_bulk_len: 512 * 1024 * 1024, unauthenticated: false };
    // A huge count allocates nothing up front and waits for data.
    assert_eq!(feed(&[b"*2147483647\r\n$1\r\na\r\n"], wide), Outcome::default());
    let cases: [(&[u8], &str); 6] = [
        (b"*2147483648\r\n", "Protocol error: invalid multibulk length"),
        (b"*x\r\n", "Protocol error: invalid multibulk length"),
        (b"*1\r\n$-1\r\n", "Protocol error: invalid bulk length"),
        (b"*1\r\n$536870913\r\n", "Protocol error: invalid bulk length"),
        (b"*1\r\nfoo\r\n", "Protocol error: expected '$', got 'f'"),
        (b"SET \"a b\r\n", "Protocol error: unbalanced quotes in request"),
    ];
    for (input, error) in cases {
        assert_eq!(feed(&[input], wide).error, Some(error), "{:?}", String::from_utf8_lossy(input));
    }
    let long_inline = vec![b'a'; 64 * 1024 + 1];
    assert_eq!(feed(&[&long_inline], wide).error, Some("Protocol error: too big inline request"));
}
