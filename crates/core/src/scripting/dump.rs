//! FUNCTION DUMP / RESTORE payloads in Redis's format, so libraries move
//! between ferrokv and Redis: each library as the RDB function opcode
//! (245) and its code as an RDB string (LZF-compressed past 20 bytes when
//! that saves space), then the RDB version (2 bytes, little-endian) and a
//! CRC-64 (Jones polynomial, little-endian) of everything before it.

use crate::persistence::crc64::crc64;
use crate::persistence::rdb::encoding::{put_string, Source};
use crate::persistence::rdb::{opcode, WRITE_VERSION};

/// The payload of FUNCTION DUMP for these library codes.
pub(crate) fn dump<'a>(codes: impl Iterator<Item = &'a [u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    for code in codes {
        out.push(opcode::FUNCTION2);
        put_string(&mut out, code, true);
    }
    // The version DUMP writes too, so Redis 7.0 restores it as well.
    out.extend_from_slice(&WRITE_VERSION.to_le_bytes());
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
    if version > crate::persistence::rdb::MAX_READ_VERSION || crc64(&payload[..payload.len() - 8]) != crc {
        return Err(PayloadError::Footer);
    }
    let mut body = Source::new(&payload[..body_end]);
    let mut codes = Vec::new();
    while !body.is_at_end() {
        match body.u8().map_err(|_| PayloadError::Other("Failed loading library payload"))? {
            opcode::FUNCTION2 => {}
            opcode::FUNCTION_PRE_GA => return Err(PayloadError::Other("Pre-GA function format not supported")),
            _ => return Err(PayloadError::Other("given type is not a function")),
        }
        let code = body.string().map_err(|_| PayloadError::Other("Failed loading library payload"))?;
        codes.push(code.into_owned());
    }
    Ok(codes)
}

#[cfg(test)]
mod tests {
    use super::*;

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
