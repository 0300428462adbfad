//! DUMP/RESTORE payloads: `[type][value]` as in a file, then the RDB
//! version (2 bytes LE) and the CRC-64 of everything before (8 bytes LE).
//! Payloads carry version 10 and 7.0-readable encodings, so they restore
//! on Redis 7.0 and later; payloads of versions up to 12 are accepted.

use super::crc64;
use super::rdb::encoding::Source;
use super::rdb::types::{load_value, save_value, LoadCtx, SaveCtx, Unsupported};
use super::rdb::{MAX_READ_VERSION, WRITE_VERSION};
use crate::config::EncodingLimits;
use crate::types::Value;

const FOOTER: usize = 10;

/// Why a payload was refused, mapping to RESTORE's two error replies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayloadError {
    /// "DUMP payload version or checksum are wrong"
    VersionOrChecksum,
    /// "Bad data format"
    BadFormat,
}

pub fn dump(value: &Value, ctx: &SaveCtx) -> Result<Vec<u8>, Unsupported> {
    let mut out = Vec::new();
    save_value(&mut out, None, value, ctx)?;
    out.extend_from_slice(&WRITE_VERSION.to_le_bytes());
    let crc = crc64::crc64(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    Ok(out)
}

/// Redis's `verifyDumpPayload`: long enough, a version it reads, and a
/// matching checksum (a zero checksum is not checked when `checksum` is off).
pub fn verify(payload: &[u8], checksum: bool) -> Result<(), PayloadError> {
    if payload.len() < FOOTER {
        return Err(PayloadError::VersionOrChecksum);
    }
    let footer = &payload[payload.len() - FOOTER..];
    let version = u16::from_le_bytes([footer[0], footer[1]]);
    if version > MAX_READ_VERSION {
        return Err(PayloadError::VersionOrChecksum);
    }
    let stored = u64::from_le_bytes(footer[2..].try_into().expect("8 bytes"));
    if !checksum && stored == 0 {
        return Ok(());
    }
    if crc64::crc64(&payload[..payload.len() - 8]) != stored {
        return Err(PayloadError::VersionOrChecksum);
    }
    Ok(())
}

/// The value a verified payload holds; an empty collection or any byte
/// left over is a bad format too.
pub fn restore(payload: &[u8], limits: &EncodingLimits, checksum: bool) -> Result<Value, PayloadError> {
    verify(payload, checksum)?;
    let body = &payload[..payload.len() - FOOTER];
    let mut src = Source::new(body);
    let kind = src.u8().map_err(|_| PayloadError::BadFormat)?;
    let value = load_value(kind, &mut src, &LoadCtx { limits }).map_err(|_| PayloadError::BadFormat)?;
    match value {
        Some(v) if src.is_at_end() => Ok(v),
        _ => Err(PayloadError::BadFormat),
    }
}
