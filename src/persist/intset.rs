//! Intset blobs (`intset.c`): the compact encoding of sets made only of
//! integers, embedded in RDB files as a string (`RDB_TYPE_SET_INTSET`).
//!
//! ```text
//! <encoding u32 LE: 2, 4 or 8> <length u32 LE> <length values, LE, ascending>
//! ```
//!
//! The width is the smallest that holds every member. Values are unique and
//! strictly ascending; [`decode`] insists on it, as Redis's deep integrity
//! check does, because lookups binary-search the array.

/// Encodes a set of integers (sorted and deduplicated here).
pub fn encode(values: &[i64]) -> Vec<u8> {
    let mut v = values.to_vec();
    v.sort_unstable();
    v.dedup();
    let width: usize = if v.iter().all(|&x| i16::try_from(x).is_ok()) {
        2
    } else if v.iter().all(|&x| i32::try_from(x).is_ok()) {
        4
    } else {
        8
    };
    let mut out = Vec::with_capacity(8 + width * v.len());
    out.extend_from_slice(&(width as u32).to_le_bytes());
    out.extend_from_slice(&(v.len() as u32).to_le_bytes());
    for x in v {
        out.extend_from_slice(&x.to_le_bytes()[..width]);
    }
    out
}

/// Decodes and validates an intset blob.
pub fn decode(b: &[u8]) -> Result<Vec<i64>, String> {
    if b.len() < 8 {
        return Err(format!("intset too short ({} bytes)", b.len()));
    }
    let width = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
    if !matches!(width, 2 | 4 | 8) {
        return Err(format!("intset has bad encoding {}", width));
    }
    let count = u32::from_le_bytes([b[4], b[5], b[6], b[7]]) as usize;
    if count == 0 {
        return Err("intset is empty".into());
    }
    if (b.len() - 8) / width != count || !(b.len() - 8).is_multiple_of(width) {
        return Err(format!(
            "intset of {} {}-byte values does not fit {} bytes",
            count,
            width,
            b.len()
        ));
    }
    let mut out = Vec::with_capacity(count);
    for chunk in b[8..].chunks_exact(width) {
        let v = match width {
            2 => i16::from_le_bytes([chunk[0], chunk[1]]) as i64,
            4 => i32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]) as i64,
            _ => i64::from_le_bytes([
                chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7],
            ]),
        };
        if let Some(&prev) = out.last() {
            if v <= prev {
                return Err("intset values not strictly ascending".into());
            }
        }
        out.push(v);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_and_order() {
        let b = encode(&[3, 1, 2, 2]);
        assert_eq!(b, vec![2, 0, 0, 0, 3, 0, 0, 0, 1, 0, 2, 0, 3, 0]);
        assert_eq!(decode(&b).unwrap(), vec![1, 2, 3]);
        let b = encode(&[-40000, 5]);
        assert_eq!(&b[..4], &[4, 0, 0, 0]);
        assert_eq!(decode(&b).unwrap(), vec![-40000, 5]);
        let b = encode(&[i64::MIN, i64::MAX]);
        assert_eq!(&b[..4], &[8, 0, 0, 0]);
        assert_eq!(decode(&b).unwrap(), vec![i64::MIN, i64::MAX]);
    }

    #[test]
    fn corrupt() {
        assert!(decode(&[]).is_err());
        assert!(decode(&[3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0]).is_err());
        assert!(decode(&[2, 0, 0, 0, 0, 0, 0, 0]).is_err());
        assert!(decode(&[2, 0, 0, 0, 2, 0, 0, 0, 1, 0]).is_err());
        assert!(decode(&[2, 0, 0, 0, 2, 0, 0, 0, 2, 0, 1, 0]).is_err());
        assert!(decode(&[2, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 1, 0]).is_err());
    }
}
