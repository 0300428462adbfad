//! HyperLogLog values in Redis's own representation, so a value made here
//! reads the same in Redis (and back) through GET and SET, and counts agree
//! to the unit.
//!
//! A HyperLogLog is a plain string: a 16-byte header (`HYLL`, one encoding
//! byte, three zero bytes, then the last computed cardinality as 8 bytes
//! little endian whose top bit marks it stale) followed by 16384 registers,
//! either run-length coded ([`sparse`]) or packed 6 bits each ([`dense`]).
//! A new value starts sparse and turns dense when a register outgrows the
//! sparse form or the string would pass `hll-sparse-max-bytes`.
//!
//! - [`sparse`]: the ZERO / XZERO / VAL opcodes and Redis's in-place update.
//! - [`dense`]: the packed 6-bit registers.
//! - [`estimate`]: the cardinality from a register histogram (Ertl's
//!   improved estimator, as Redis 7 uses).
//! - [`selftest`]: PFSELFTEST's checks.

pub mod dense;
pub mod estimate;
pub mod selftest;
pub mod sparse;
#[cfg(test)]
mod tests;

/// Bits of the hash that pick a register.
const P: u32 = 14;
/// Bits of the hash left to count zeros in.
const Q: u32 = 64 - P;
pub const REGISTERS: usize = 1 << P;
/// The largest value a 6-bit register holds.
pub const REGISTER_MAX: u8 = 63;
pub const HEADER_LEN: usize = 16;
/// A dense value's exact length: header plus 16384 six-bit registers.
pub const DENSE_LEN: usize = HEADER_LEN + (REGISTERS * 6).div_ceil(8);
const MAGIC: &[u8; 4] = b"HYLL";
const ENCODING_BYTE: usize = 4;
const CARD: std::ops::Range<usize> = 8..16;
/// The seed Redis hashes elements with.
const HASH_SEED: u64 = 0xadc8_3b19;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Dense,
    Sparse,
}

impl Encoding {
    /// The name PFDEBUG ENCODING replies with.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Dense => "dense",
            Encoding::Sparse => "sparse",
        }
    }
}

/// The registers do not add up to 16384: the value was damaged (or forged).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Corrupt;

/// Registers merged from several HyperLogLogs, one byte each.
pub type RawRegisters = [u8; REGISTERS];

/// What Redis's `isHLLObjectOrReply` accepts: the header is there, the
/// encoding is known and a dense value has its exact length. A sparse body
/// is only checked when it is read.
pub fn encoding_of(bytes: &[u8]) -> Option<Encoding> {
    if bytes.len() < HEADER_LEN || &bytes[..4] != MAGIC {
        return None;
    }
    match bytes[ENCODING_BYTE] {
        0 if bytes.len() == DENSE_LEN => Some(Encoding::Dense),
        1 => Some(Encoding::Sparse),
        _ => None,
    }
}

/// An empty HyperLogLog as PFADD creates it: sparse, one XZERO covering
/// every register, cached cardinality 0.
pub fn new_sparse() -> Vec<u8> {
    let mut bytes = Vec::with_capacity(HEADER_LEN + 2);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&[1, 0, 0, 0]);
    bytes.extend_from_slice(&[0; 8]);
    sparse::push_zeros(&mut bytes, REGISTERS);
    bytes
}

/// The cached cardinality, unless a change since it was computed made it stale.
pub fn cached_count(bytes: &[u8]) -> Option<u64> {
    let card: [u8; 8] = bytes[CARD].try_into().expect("eight bytes");
    (card[7] & 0x80 == 0).then(|| u64::from_le_bytes(card))
}

pub fn store_count(bytes: &mut [u8], count: u64) {
    bytes[CARD].copy_from_slice(&count.to_le_bytes());
}

/// Marks the cached cardinality stale (its top bit), as every change does.
pub fn invalidate_cache(bytes: &mut [u8]) {
    bytes[CARD.end - 1] |= 0x80;
}

/// Redis's MurmurHash64A (MurmurHash2, 64-bit), reading words little endian.
pub fn murmur64a(data: &[u8], seed: u64) -> u64 {
    const M: u64 = 0xc6a4_a793_5bd1_e995;
    const R: u32 = 47;
    let mut h = seed ^ (data.len() as u64).wrapping_mul(M);
    let words = data.chunks_exact(8);
    let tail = words.remainder();
    for word in words {
        let mut k = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h ^= k;
        h = h.wrapping_mul(M);
    }
    if !tail.is_empty() {
        for (i, &b) in tail.iter().enumerate() {
            h ^= (b as u64) << (8 * i);
        }
        h = h.wrapping_mul(M);
    }
    h ^= h >> R;
    h = h.wrapping_mul(M);
    h ^= h >> R;
    h
}

/// The register an element falls in, and the value it offers: one more
/// than the number of zeros above the index bits (at most Q + 1).
pub fn register_for(element: &[u8]) -> (usize, u8) {
    let hash = murmur64a(element, HASH_SEED);
    let index = (hash as usize) & (REGISTERS - 1);
    let rest = (hash >> P) | (1 << Q);
    (index, rest.trailing_zeros() as u8 + 1)
}

/// Raises register `index` to `value` if it is lower; true if it changed.
/// A sparse value turns dense when it must (`sparse_max_bytes` is
/// `hll-sparse-max-bytes`).
pub fn raise(hll: &mut Vec<u8>, index: usize, value: u8, sparse_max_bytes: usize) -> Result<bool, Corrupt> {
    match hll[ENCODING_BYTE] {
        0 => Ok(dense::raise(&mut hll[HEADER_LEN..], index, value)),
        _ => match sparse::raise(hll, index, value, sparse_max_bytes)? {
            sparse::Raised::Unchanged => Ok(false),
            sparse::Raised::Updated => Ok(true),
            sparse::Raised::NeedsDense => {
                to_dense(hll)?;
                Ok(dense::raise(&mut hll[HEADER_LEN..], index, value))
            }
        },
    }
}

/// Adds one element (PFADD's step); true if a register changed.
pub fn add(hll: &mut Vec<u8>, element: &[u8], sparse_max_bytes: usize) -> Result<bool, Corrupt> {
    let (index, value) = register_for(element);
    raise(hll, index, value, sparse_max_bytes)
}

pub fn encoding(hll: &[u8]) -> Encoding {
    if hll[ENCODING_BYTE] == 0 {
        Encoding::Dense
    } else {
        Encoding::Sparse
    }
}

/// Rewrites a sparse value as dense, keeping the header (and its cached
/// cardinality); false if it already was dense.
pub fn to_dense(hll: &mut Vec<u8>) -> Result<bool, Corrupt> {
    if encoding(hll) == Encoding::Dense {
        return Ok(false);
    }
    let mut out = vec![0u8; DENSE_LEN];
    out[..HEADER_LEN].copy_from_slice(&hll[..HEADER_LEN]);
    out[ENCODING_BYTE] = 0;
    let registers = &mut out[HEADER_LEN..];
    sparse::for_each_run(&hll[HEADER_LEN..], |first, len, value| {
        for i in first..first + len {
            dense::set(registers, i, value);
        }
    })?;
    *hll = out;
    Ok(true)
}

/// The estimated cardinality of one value (read from its registers, not
/// from the cache).
pub fn count(hll: &[u8]) -> Result<u64, Corrupt> {
    let mut histogram = [0u32; 64];
    match encoding(hll) {
        Encoding::Dense => dense::histogram(&hll[HEADER_LEN..], &mut histogram),
        Encoding::Sparse => sparse::histogram(&hll[HEADER_LEN..], &mut histogram)?,
    }
    Ok(estimate::cardinality(&histogram))
}

/// The estimated cardinality of merged registers.
pub fn count_raw(registers: &RawRegisters) -> u64 {
    let mut histogram = [0u32; 64];
    for &r in registers.iter() {
        histogram[r as usize & 63] += 1;
    }
    estimate::cardinality(&histogram)
}

/// `max[i] = max(max[i], register i of hll)` for every register.
pub fn merge_into(max: &mut RawRegisters, hll: &[u8]) -> Result<(), Corrupt> {
    match encoding(hll) {
        Encoding::Dense => {
            let registers = &hll[HEADER_LEN..];
            for (i, m) in max.iter_mut().enumerate() {
                *m = (*m).max(dense::get(registers, i));
            }
            Ok(())
        }
        Encoding::Sparse => sparse::for_each_run(&hll[HEADER_LEN..], |first, len, value| {
            for m in &mut max[first..first + len] {
                *m = (*m).max(value);
            }
        }),
    }
}
