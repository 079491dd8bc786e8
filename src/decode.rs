//! Stage 1: bytes → text. Order of evidence: BOM, then a declared charset
//! (HTML `<meta>`), then statistical detection over a bounded prefix.

use std::borrow::Cow;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{BIG5, Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

/// How many bytes detection looks at: whole-file detection costs more than
/// parsing, and a report's first few KB are representative.
const DETECT_PREFIX: usize = 64 * 1024;

/// Decoded text and how it was obtained. The text borrows the bytes when
/// they are already what it would be (valid UTF-8, most reports): a copy
/// of the whole file saved.
#[derive(Debug, Clone)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    /// Canonical encoding name (`UTF-8`, `GB18030`, `Big5`, `UTF-16LE`…).
    pub encoding: &'static str,
    /// True when the encoding was guessed rather than declared by BOM or meta.
    pub guessed: bool,
    /// True when some bytes were not valid in that encoding (replaced by U+FFFD).
    pub had_errors: bool,
}

/// Decode report bytes to text; never fails (bad bytes become U+FFFD).
pub fn decode(bytes: &[u8]) -> Decoded<'_> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let body = bytes.get(bom_len..).unwrap_or_default();
        return finish(enc, body, false);
    }
    let prefix = bytes.get(..DETECT_PREFIX).unwrap_or(bytes);
    if let Some(enc) = utf16_without_bom(prefix) {
        return finish(enc, bytes, true);
    }
    if let Some(enc) = declared_charset(bytes) {
        // A declared UTF-16 without BOM is almost always a lie of the page
        // template; such bytes are ASCII-compatible here.
        if enc != UTF_16LE && enc != UTF_16BE {
            let enc = widen(enc);
            let d = finish(enc, bytes, false);
            if !d.had_errors {
                return d;
            }
            // Declared one charset, used another: fall through to detection.
        }
    }
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        // Checked once: decoding would only check it again.
        return Decoded {
            text: Cow::Borrowed(text),
            encoding: UTF_8.name(),
            guessed: false,
            had_errors: false,
        };
    }
    if mostly_utf8(prefix) {
        return finish(UTF_8, bytes, true);
    }
    // Bytes reaching here are not UTF-8, so some are above 0x7F: the 7-bit
    // ISO-2022-JP could not be the answer anyway.
    let mut det = EncodingDetector::new(Iso2022JpDetection::Deny);
    det.feed(prefix, prefix.len() == bytes.len());
    // The `.cn` hint keeps short or odd pages from being read as a European
    // or Japanese encoding, but it also reads Big5 (the traditional pages
    // of Taiwan, Hong Kong and mirror sites) as GBK, which decodes without
    // a single error into nonsense. So Big5 is taken whenever the detector
    // without a hint prefers it.
    let enc = if det.guess(None, Utf8Detection::Allow) == BIG5 {
        BIG5
    } else {
        widen(det.guess(Some(b"cn"), Utf8Detection::Allow))
    };
    finish(enc, bytes, true)
}

/// UTF-16 without a BOM, told by its zero bytes: the ASCII of a report
/// (digits, line breaks, `|`) puts a zero in every other byte, on the odd
/// side for little-endian and the even side for big-endian, while CJK code
/// units seldom hold a zero byte. Binary data has zeros on both sides,
/// and its code units are mostly not text.
pub fn utf16_without_bom(head: &[u8]) -> Option<&'static Encoding> {
    // Text of an ASCII-compatible encoding has no zero byte at all.
    memchr::memchr(0, head)?;
    let pairs = head.chunks_exact(2);
    let (mut even, mut odd) = (0usize, 0usize);
    for p in pairs.clone() {
        even += usize::from(p[0] == 0);
        odd += usize::from(p[1] == 0);
    }
    let (enc, side, other) = if odd >= even {
        (UTF_16LE, odd, even)
    } else {
        (UTF_16BE, even, odd)
    };
    // `一` (U+4E00) and its kin put zeros on the other side: a few.
    if side < 8 || side < 4 * other {
        return None;
    }
    let text = pairs
        .clone()
        .filter(|p| {
            let u = if enc == UTF_16LE {
                u16::from_le_bytes([p[0], p[1]])
            } else {
                u16::from_be_bytes([p[0], p[1]])
            };
            matches!(u, 0x09 | 0x0A | 0x0D | 0x20..=0x7E | 0xA0..=0xFF | 0x2000..=0x206F
                | 0x3000..=0x303F | 0x3400..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
        })
        .count();
    (text * 10 >= pairs.len() * 9).then_some(enc)
}

/// UTF-8 with a few broken bytes (a damaged download) rather than another
/// encoding: at least fifty well-formed multi-byte characters per invalid
/// sequence. GBK text is almost never well-formed UTF-8 by chance, and
/// guessing GB18030 here would turn the whole page into mojibake.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut good, mut bad) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        good += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        bad += usize::from(!chunk.invalid().is_empty());
    }
    good >= 50 * bad.max(1)
}

/// GBK and GB2312 pages routinely contain GB18030-only characters; decoding
/// with the superset loses nothing.
fn widen(enc: &'static Encoding) -> &'static Encoding {
    if enc.name() == "GBK" { GB18030 } else { enc }
}

fn finish<'a>(enc: &'static Encoding, body: &'a [u8], guessed: bool) -> Decoded<'a> {
    let (text, had_errors) = enc.decode_without_bom_handling(body);
    Decoded {
        text,
        // The contract spells it `GB18030`; encoding_rs says `gb18030`.
        encoding: if enc == GB18030 {
            "GB18030"
        } else {
            enc.name()
        },
        guessed,
        had_errors,
    }
}

/// Find `charset=` in the first 4 KB of an HTML page.
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes.get(..4096).unwrap_or(bytes);
    let pos = find_ignore_case(head, b"charset")?;
    let rest = head.get(pos + 7..)?;
    let rest = skip_while(rest, |b| b == b' ' || b == b'=' || b == b'"' || b == b'\'');
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_'))
        .unwrap_or(rest.len());
    Encoding::for_label(rest.get(..end)?)
}

/// `needle` must be lower-case ASCII. Only where its first letter stands
/// (found with `memchr`) is the rest compared.
fn find_ignore_case(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let &first = needle.first()?;
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), hay).find(|&i| {
        hay.get(i..i + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
    })
}

fn skip_while(s: &[u8], f: impl Fn(u8) -> bool) -> &[u8] {
    let n = s.iter().take_while(|b| f(**b)).count();
    s.get(n..).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_a_broken_byte_stays_utf8() {
        let mut bytes = "一、总体情况。本机关全年主动公开政府信息。"
            .repeat(10)
            .into_bytes();
        bytes[30] = 0xFF;
        let d = decode(&bytes);
        assert_eq!((d.encoding, d.had_errors, d.guessed), ("UTF-8", true, true));
        let gbk = encoding_rs::GB18030
            .encode(&"一、总体情况。本机关全年主动公开政府信息。".repeat(10))
            .0
            .into_owned();
        assert_eq!(decode(&gbk).encoding, "GB18030");
    }

    #[test]
    fn utf8_with_bom() {
        let d = decode("\u{feff}一、总体情况".as_bytes());
        assert_eq!(d.text, "一、总体情况");
        assert_eq!(d.encoding, "UTF-8");
    }

    #[test]
    fn gb18030_detected() {
        let (bytes, _, _) =
            GB18030.encode("二、主动公开政府信息情况。本年度新收政府信息公开申请数量为零。");
        let d = decode(&bytes);
        assert_eq!(d.encoding, "GB18030");
        assert!(d.text.starts_with("二、主动公开"));
        assert!(d.guessed);
    }

    #[test]
    fn declared_meta_wins() {
        let (body, _, _) =
            GB18030.encode("<html><head><meta charset=\"gbk\"></head><body>总体情况</body></html>");
        let d = decode(&body);
        assert!(d.text.contains("总体情况"));
        assert!(!d.guessed);
    }

    #[test]
    fn utf16_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "三、收到".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&bytes);
        assert_eq!(d.text, "三、收到");
        assert_eq!(d.encoding, "UTF-16LE");
    }

    #[test]
    fn garbage_never_panics() {
        let d = decode(&[0xFF, 0x00, 0x81, 0x30, 0xFE]);
        assert!(!d.text.is_empty());
    }
}
