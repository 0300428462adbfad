//! FUNCTION DUMP / RESTORE payloads in Redis's format, so libraries move
//! between ferrokv and Redis: each library as the RDB function opcode
//! (245) and its code as an RDB string (LZF-compressed past 20 bytes when
//! that saves space), then the RDB version (2 bytes, little-endian) and a
//! CRC-64 (Jones polynomial, little-endian) of everything before it.

use crate::util::lzf;

const OPCODE_FUNCTION: u8 = 245;
const OPCODE_FUNCTION_PRE_GA: u8 = 244;
pub(crate) const RDB_VERSION: u16 = 11;

/// Redis's CRC-64 (Jones, reflected, no final xor).
pub fn crc64(data: &[u8]) -> u64 {
    const POLY: u64 = 0x95AC_9329_AC4B_C9B5;
    let mut crc = 0u64;
    for &byte in data {
        crc ^= byte as u64;
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ POLY } else { crc >> 1 };
        }
    }
    crc
}

fn save_len(out: &mut Vec<u8>, len: usize) {
    if len < 1 << 6 {
        out.push(len as u8);
    } else if len < 1 << 14 {
        out.push(0x40 | (len >> 8) as u8);
        out.push(len as u8);
    } else if len <= u32::MAX as usize {
        out.push(0x80);
        out.extend_from_slice(&(len as u32).to_be_bytes());
    } else {
        out.push(0x81);
        out.extend_from_slice(&(len as u64).to_be_bytes());
    }
}

fn save_string(out: &mut Vec<u8>, s: &[u8]) {
    if s.len() > 20 {
        if let Some(packed) = lzf::compress(s, s.len() - 4) {
            if !packed.is_empty() {
                out.push(0xC3);
                save_len(out, packed.len());
                save_len(out, s.len());
                out.extend_from_slice(&packed);
                return;
            }
        }
    }
    save_len(out, s.len());
    out.extend_from_slice(s);
}

/// The payload of FUNCTION DUMP for these library codes.
pub(crate) fn dump<'a>(codes: impl Iterator<Item = &'a [u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    for code in codes {
        out.push(OPCODE_FUNCTION);
        save_string(&mut out, code);
    }
    out.extend_from_slice(&RDB_VERSION.to_le_bytes());
    let crc = crc64(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// Why a payload was refused, worded as Redis words it (without `ERR`).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum PayloadError {
    /// Bad version or checksum.
    Footer,
    Other(&'static str),
}

/// The library codes in a FUNCTION RESTORE payload.
pub(crate) fn parse(payload: &[u8]) -> Result<Vec<Vec<u8>>, PayloadError> {
    if payload.len() < 10 {
        return Err(PayloadError::Footer);
    }
    let body_end = payload.len() - 10;
    let version = u16::from_le_bytes([payload[body_end], payload[body_end + 1]]);
    let crc = u64::from_le_bytes(payload[body_end + 2..].try_into().expect("8 bytes"));
    if version > RDB_VERSION || crc64(&payload[..payload.len() - 8]) != crc {
        return Err(PayloadError::Footer);
    }
    let mut pos = 0;
    let mut codes = Vec::new();
    while pos < body_end {
        let opcode = payload[pos];
        pos += 1;
        match opcode {
            OPCODE_FUNCTION => {}
            OPCODE_FUNCTION_PRE_GA => return Err(PayloadError::Other("Pre-GA function format not supported")),
            _ => return Err(PayloadError::Other("given type is not a function")),
        }
        let code =
            load_string(&payload[..body_end], &mut pos).ok_or(PayloadError::Other("Failed loading library payload"))?;
        codes.push(code);
    }
    Ok(codes)
}

/// An RDB length; `Err(tag)` for a special string encoding.
fn load_len(data: &[u8], pos: &mut usize) -> Option<Result<usize, u8>> {
    let first = *data.get(*pos)?;
    *pos += 1;
    Some(match first >> 6 {
        0 => Ok((first & 0x3f) as usize),
        1 => {
            let second = *data.get(*pos)?;
            *pos += 1;
            Ok((((first & 0x3f) as usize) << 8) | second as usize)
        }
        2 => {
            let width = match first {
                0x80 => 4,
                0x81 => 8,
                _ => return None,
            };
            let bytes = data.get(*pos..*pos + width)?;
            *pos += width;
            Ok(bytes.iter().fold(0usize, |acc, &b| (acc << 8) | b as usize))
        }
        _ => Err(first & 0x3f),
    })
}

fn load_string(data: &[u8], pos: &mut usize) -> Option<Vec<u8>> {
    match load_len(data, pos)? {
        Ok(len) => {
            let s = data.get(*pos..*pos + len)?.to_vec();
            *pos += len;
            Some(s)
        }
        Err(encoding) => {
            let int_bytes = |width: usize, pos: &mut usize| -> Option<i64> {
                let b = data.get(*pos..*pos + width)?;
                *pos += width;
                Some(match width {
                    1 => b[0] as i8 as i64,
                    2 => i16::from_le_bytes([b[0], b[1]]) as i64,
                    _ => i32::from_le_bytes([b[0], b[1], b[2], b[3]]) as i64,
                })
            };
            match encoding {
                0 => int_bytes(1, pos).map(|n| n.to_string().into_bytes()),
                1 => int_bytes(2, pos).map(|n| n.to_string().into_bytes()),
                2 => int_bytes(4, pos).map(|n| n.to_string().into_bytes()),
                3 => {
                    let packed_len = load_len(data, pos)?.ok()?;
                    let len = load_len(data, pos)?.ok()?;
                    let packed = data.get(*pos..*pos + packed_len)?;
                    *pos += packed_len;
                    lzf::decompress(packed, len)
                }
                _ => None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc64_is_redis_jones() {
        assert_eq!(crc64(b"123456789"), 0xe9c6_d914_c4b8_d9ca);
    }

    #[test]
    fn payloads_round_trip_and_are_checked() {
        let long = b"#!lua name=long\n".iter().chain([b'x'; 300].iter()).copied().collect::<Vec<u8>>();
        let codes: Vec<&[u8]> = vec![b"#!lua name=a\nreturn 1", &long];
        let payload = dump(codes.iter().copied());
        assert_eq!(parse(&payload).unwrap(), codes.iter().map(|c| c.to_vec()).collect::<Vec<_>>());
        let mut broken = payload.clone();
        broken[3] ^= 1;
        assert_eq!(parse(&broken), Err(PayloadError::Footer));
        assert_eq!(parse(b"short"), Err(PayloadError::Footer));
        let empty = dump(std::iter::empty());
        assert_eq!(empty.len(), 10);
        assert_eq!(parse(&empty).unwrap(), Vec::<Vec<u8>>::new());
    }
}
