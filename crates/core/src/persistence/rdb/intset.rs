//! Redis's intset byte format: element width in bytes (u32 LE: 2, 4 or 8),
//! element count (u32 LE), then the elements ascending, little-endian.

/// An intset of `members` (ascending) at `width` bytes (2, 4 or 8).
pub fn encode(members: impl ExactSizeIterator<Item = i64>, width: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + members.len() * width);
    out.extend_from_slice(&(width as u32).to_le_bytes());
    out.extend_from_slice(&(members.len() as u32).to_le_bytes());
    for m in members {
        out.extend_from_slice(&m.to_le_bytes()[..width]);
    }
    out
}

/// The members, after checking the width, the size and that they are
/// strictly ascending (so unique) and each needs no wider width than given.
pub fn decode(bytes: &[u8]) -> Result<Vec<i64>, String> {
    if bytes.len() < 8 {
        return Err("intset shorter than its header".into());
    }
    let width = u32::from_le_bytes(bytes[..4].try_into().expect("4 bytes")) as usize;
    let count = u32::from_le_bytes(bytes[4..8].try_into().expect("4 bytes")) as usize;
    if !matches!(width, 2 | 4 | 8) {
        return Err(format!("intset with invalid width {width}"));
    }
    if count.checked_mul(width).and_then(|n| n.checked_add(8)) != Some(bytes.len()) {
        return Err(format!("intset of {count} × {width} bytes has {} bytes", bytes.len()));
    }
    let mut out = Vec::with_capacity(count);
    for chunk in bytes[8..].chunks_exact(width) {
        let v = match width {
            2 => i16::from_le_bytes(chunk.try_into().expect("2 bytes")) as i64,
            4 => i32::from_le_bytes(chunk.try_into().expect("4 bytes")) as i64,
            _ => i64::from_le_bytes(chunk.try_into().expect("8 bytes")),
        };
        if out.last().is_some_and(|&last| last >= v) {
            return Err("intset members not strictly ascending".into());
        }
        out.push(v);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_at_each_width() {
        for (members, width) in [(vec![-3i64, 0, 7], 2), (vec![-70000, 5, 70000], 4), (vec![i64::MIN, 0, i64::MAX], 8)]
        {
            let bytes = encode(members.iter().copied(), width);
            assert_eq!(bytes.len(), 8 + members.len() * width);
            assert_eq!(decode(&bytes).unwrap(), members);
        }
    }

    #[test]
    fn refuses_bad_intsets() {
        let good = encode([1i64, 2, 3].into_iter(), 2);
        for cut in 0..good.len() {
            assert!(decode(&good[..cut]).is_err());
        }
        assert!(decode(&encode([2i64, 1].into_iter(), 2)).is_err());
        assert!(decode(&encode([1i64, 1].into_iter(), 2)).is_err());
        let mut bad_width = good.clone();
        bad_width[0] = 3;
        assert!(decode(&bad_width).is_err());
    }
}
