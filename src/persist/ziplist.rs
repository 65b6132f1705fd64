//! Read-only codecs for the two legacy blob formats that RDB files written
//! by older Redis versions embed: ziplists (`ziplist.c`, lists, hashes and
//! zsets up to RDB 9; quicklist v1 nodes) and zipmaps (`zipmap.c`, hashes up
//! to Redis 2.4). Redis 7.0 still loads both and converts them on the fly;
//! so do we. Nothing writes them any more, so only tests build them.
//!
//! Ziplist:
//!
//! ```text
//! <zlbytes u32 LE> <zltail u32 LE> <zllen u16 LE> <entry> ... <0xFF>
//! entry = <prevlen: 1 byte < 254, or 0xFE + u32 LE> <encoding> <data>
//! encoding: 00pppppp            string, 6-bit length
//!           01pppppp qqqqqqqq   string, 14-bit length (big endian)
//!           10000000 + u32 BE   string, 32-bit length
//!           0xC0 i16 | 0xD0 i32 | 0xE0 i64 | 0xF0 i24 | 0xFE i8 (all LE)
//!           0xF1..=0xFD         immediate 0..=12
//! ```
//!
//! Zipmap:
//!
//! ```text
//! <zmlen u8> (<len> key <len> <free u8> value <free bytes>)* <0xFF>
//! len = 1 byte < 254, or 0xFE + u32 (host order, little endian in practice)
//! ```

use super::listpack::Entry;

/// Decodes and validates a ziplist: header byte count, tail offset, element
/// count (unless saturated at 65535), every entry's prevlen and bounds.
pub fn decode(zl: &[u8]) -> Result<Vec<Entry<'_>>, String> {
    const HEADER: usize = 10;
    if zl.len() < HEADER + 1 {
        return Err(format!("ziplist too short ({} bytes)", zl.len()));
    }
    let zlbytes = u32::from_le_bytes([zl[0], zl[1], zl[2], zl[3]]) as usize;
    let zltail = u32::from_le_bytes([zl[4], zl[5], zl[6], zl[7]]) as usize;
    let zllen = u16::from_le_bytes([zl[8], zl[9]]);
    if zlbytes != zl.len() {
        return Err(format!(
            "ziplist header says {} bytes, blob has {}",
            zlbytes,
            zl.len()
        ));
    }
    let end = zl.len() - 1;
    if zl[end] != 0xFF {
        return Err("ziplist does not end with 0xFF".into());
    }
    let mut out = Vec::with_capacity((zllen as usize).min(1024));
    let mut p = HEADER;
    let mut prev_size = 0usize;
    let mut last_start = HEADER;
    while p < end {
        let at = p;
        let b = &zl[..end];
        let byte = |i: usize| -> Result<u8, String> {
            b.get(i)
                .copied()
                .ok_or_else(|| format!("ziplist entry at offset {} runs past the end", at))
        };
        // prevlen
        let first = byte(p)?;
        let prevlen = if first < 254 {
            p += 1;
            first as usize
        } else if first == 254 {
            let v = u32::from_le_bytes([byte(p + 1)?, byte(p + 2)?, byte(p + 3)?, byte(p + 4)?])
                as usize;
            p += 5;
            v
        } else {
            return Err(format!("ziplist entry at offset {} has a bad prevlen", at));
        };
        if prevlen != prev_size {
            return Err(format!(
                "ziplist entry at offset {} has prevlen {}, expected {}",
                at, prevlen, prev_size
            ));
        }
        let c = byte(p)?;
        let (data_at, data_len, int): (usize, usize, Option<i64>) = match c >> 6 {
            0 => (p + 1, (c & 0x3F) as usize, None),
            1 => (
                p + 2,
                (((c & 0x3F) as usize) << 8) | byte(p + 1)? as usize,
                None,
            ),
            2 => {
                if c != 0x80 {
                    return Err(format!(
                        "ziplist entry at offset {} has bad encoding 0x{:02x}",
                        at, c
                    ));
                }
                let len =
                    u32::from_be_bytes([byte(p + 1)?, byte(p + 2)?, byte(p + 3)?, byte(p + 4)?])
                        as usize;
                (p + 5, len, None)
            }
            _ => {
                let width = match c {
                    0xC0 => 2,
                    0xD0 => 4,
                    0xE0 => 8,
                    0xF0 => 3,
                    0xFE => 1,
                    0xF1..=0xFD => 0,
                    _ => {
                        return Err(format!(
                            "ziplist entry at offset {} has bad encoding 0x{:02x}",
                            at, c
                        ))
                    }
                };
                if width == 0 {
                    (p + 1, 0, Some((c & 0x0F) as i64 - 1))
                } else {
                    let data = b.get(p + 1..p + 1 + width).ok_or_else(|| {
                        format!("ziplist entry at offset {} runs past the end", at)
                    })?;
                    let mut le = [0u8; 8];
                    le[..width].copy_from_slice(data);
                    let bits = (width * 8) as u32;
                    let v = ((u64::from_le_bytes(le) << (64 - bits)) as i64) >> (64 - bits);
                    (p + 1, width, Some(v))
                }
            }
        };
        let data_end = data_at
            .checked_add(data_len)
            .filter(|&e| e <= end)
            .ok_or_else(|| format!("ziplist entry at offset {} runs past the end", at))?;
        out.push(match int {
            Some(v) => Entry::Int(v),
            None => Entry::Str(&zl[data_at..data_end]),
        });
        prev_size = data_end - at;
        last_start = at;
        p = data_end;
    }
    if zltail != last_start {
        return Err(format!(
            "ziplist tail offset {} does not match last entry at {}",
            zltail, last_start
        ));
    }
    if zllen != u16::MAX && zllen as usize != out.len() {
        return Err(format!(
            "ziplist header counts {} entries, found {}",
            zllen,
            out.len()
        ));
    }
    Ok(out)
}

/// (field, value) pairs borrowed from a zipmap blob.
pub type ZipmapPairs<'a> = Vec<(&'a [u8], &'a [u8])>;

/// Decodes and validates a zipmap into (field, value) pairs.
pub fn decode_zipmap(zm: &[u8]) -> Result<ZipmapPairs<'_>, String> {
    let zmlen = *zm.first().ok_or("zipmap is empty")?;
    let mut p = 1usize;
    let mut out = Vec::new();
    let read_len = |p: &mut usize| -> Result<Option<usize>, String> {
        let b = *zm.get(*p).ok_or("zipmap truncated")?;
        match b {
            255 => {
                *p += 1;
                Ok(None)
            }
            254 => {
                let s = zm.get(*p + 1..*p + 5).ok_or("zipmap truncated")?;
                *p += 5;
                Ok(Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize))
            }
            253 => Err("zipmap has bad length byte 253".into()),
            n => {
                *p += 1;
                Ok(Some(n as usize))
            }
        }
    };
    loop {
        let klen = match read_len(&mut p)? {
            None => break,
            Some(n) => n,
        };
        let key = zm
            .get(p..p.checked_add(klen).ok_or("zipmap overflow")?)
            .ok_or("zipmap truncated")?;
        p += klen;
        let vlen = read_len(&mut p)?.ok_or("zipmap ends between key and value")?;
        let free = *zm.get(p).ok_or("zipmap truncated")? as usize;
        p += 1;
        let vend = p.checked_add(vlen).ok_or("zipmap overflow")?;
        let val = zm.get(p..vend).ok_or("zipmap truncated")?;
        p = vend + free;
        out.push((key, val));
    }
    if p != zm.len() {
        return Err("zipmap has bytes after its end marker".into());
    }
    if zmlen < 254 && zmlen as usize != out.len() {
        return Err(format!(
            "zipmap header counts {} pairs, found {}",
            zmlen,
            out.len()
        ));
    }
    Ok(out)
}

/// Builds a ziplist the way Redis 6 did (`ziplistPush` at the tail); only
/// tests need it, to fabricate old-format RDB files.
#[doc(hidden)]
pub fn encode_for_tests<T: AsRef<[u8]>>(elements: &[T]) -> Vec<u8> {
    let mut body = Vec::new();
    let mut prev = 0usize;
    let mut tail = 10usize;
    for e in elements {
        let e = e.as_ref();
        let start = body.len();
        tail = 10 + start;
        if prev < 254 {
            body.push(prev as u8);
        } else {
            body.push(254);
            body.extend_from_slice(&(prev as u32).to_le_bytes());
        }
        match crate::util::parse_i64(e) {
            Some(v) if (0..=12).contains(&v) => body.push(0xF1 + v as u8),
            Some(v) if i8::try_from(v).is_ok() => {
                body.push(0xFE);
                body.push(v as u8);
            }
            Some(v) if i16::try_from(v).is_ok() => {
                body.push(0xC0);
                body.extend_from_slice(&(v as i16).to_le_bytes());
            }
            Some(v) if (-8_388_608..=8_388_607).contains(&v) => {
                body.push(0xF0);
                body.extend_from_slice(&(v as i32).to_le_bytes()[..3]);
            }
            Some(v) if i32::try_from(v).is_ok() => {
                body.push(0xD0);
                body.extend_from_slice(&(v as i32).to_le_bytes());
            }
            Some(v) => {
                body.push(0xE0);
                body.extend_from_slice(&v.to_le_bytes());
            }
            None => {
                let n = e.len();
                if n < 64 {
                    body.push(n as u8);
                } else if n < 16384 {
                    body.push(0x40 | (n >> 8) as u8);
                    body.push(n as u8);
                } else {
                    body.push(0x80);
                    body.extend_from_slice(&(n as u32).to_be_bytes());
                }
                body.extend_from_slice(e);
            }
        }
        prev = body.len() - start;
    }
    let mut zl = Vec::with_capacity(body.len() + 11);
    zl.extend_from_slice(&((body.len() + 11) as u32).to_le_bytes());
    zl.extend_from_slice(&(tail as u32).to_le_bytes());
    zl.extend_from_slice(&(elements.len().min(65535) as u16).to_le_bytes());
    zl.extend_from_slice(&body);
    zl.push(0xFF);
    zl
}

/// Builds a zipmap (no free space); tests only.
#[doc(hidden)]
pub fn encode_zipmap_for_tests(pairs: &[(&[u8], &[u8])]) -> Vec<u8> {
    let mut zm = vec![pairs.len().min(254) as u8];
    let put_len = |zm: &mut Vec<u8>, n: usize| {
        if n < 254 {
            zm.push(n as u8);
        } else {
            zm.push(254);
            zm.extend_from_slice(&(n as u32).to_le_bytes());
        }
    };
    for (k, v) in pairs {
        put_len(&mut zm, k.len());
        zm.extend_from_slice(k);
        put_len(&mut zm, v.len());
        zm.push(0);
        zm.extend_from_slice(v);
    }
    zm.push(255);
    zm
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ziplist_round_trip() {
        let els: Vec<Vec<u8>> = vec![
            b"0".to_vec(),
            b"12".to_vec(),
            b"13".to_vec(),
            b"-100".to_vec(),
            b"30000".to_vec(),
            b"-8000000".to_vec(),
            b"2000000000".to_vec(),
            b"9000000000".to_vec(),
            b"hello".to_vec(),
            b"a".repeat(300),
            b"b".repeat(20000),
            b"".to_vec(),
        ];
        let zl = encode_for_tests(&els);
        let got: Vec<Vec<u8>> = decode(&zl)
            .unwrap()
            .into_iter()
            .map(|e| e.to_vec())
            .collect();
        assert_eq!(got, els);
        // Empty ziplist.
        let zl = encode_for_tests::<&[u8]>(&[]);
        assert_eq!(decode(&zl).unwrap(), vec![]);
    }

    #[test]
    fn ziplist_corruption() {
        let zl = encode_for_tests(&[&b"abc"[..], b"7", b"x".repeat(300).as_slice()]);
        for n in 0..zl.len() {
            assert!(decode(&zl[..n]).is_err());
        }
        for i in 0..zl.len() {
            for v in [0u8, 0x3F, 0x40, 0x80, 0xC0, 0xFE, 0xFF, 0xF5] {
                let mut bad = zl.clone();
                bad[i] = v;
                let _ = decode(&bad);
            }
        }
    }

    #[test]
    fn zipmap_round_trip_and_corruption() {
        let big = b"v".repeat(300);
        let pairs: Vec<(&[u8], &[u8])> = vec![(b"a", b"1"), (b"key", &big), (b"", b"")];
        let zm = encode_zipmap_for_tests(&pairs);
        assert_eq!(decode_zipmap(&zm).unwrap(), pairs);
        for n in 0..zm.len() {
            assert!(decode_zipmap(&zm[..n]).is_err());
        }
        // Free bytes after a value are skipped.
        let zm = [1u8, 1, b'k', 1, 2, b'v', 0, 0, 255];
        assert_eq!(decode_zipmap(&zm).unwrap(), vec![(&b"k"[..], &b"v"[..])]);
    }
}
