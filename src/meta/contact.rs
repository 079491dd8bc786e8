//! The e-mail addresses of the contact line, read by hand: the pattern's
//! shape is fixed (a local part, `@`, dotted host names), and a regex
//! search of a whole preamble for it, whose first class has no literal to
//! look for, cost a tenth of the metadata's instructions. The rules here
//! are those of the pattern
//! `[A-Za-z0-9._%+\-]+[@＠][A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`
//! searched leftmost-first (the tests hold them to it).

use std::sync::LazyLock;

/// The full-width `＠`'s searcher, built once (not per report).
static WIDE_AT: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new("＠"));

/// Every address in `text`, as written but for `＠` (made `@`), adjacent
/// repeats dropped.
pub fn emails(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    // Every match holds one at sign, and none is in a match's other parts:
    // matches are found at sign by at sign, in order. Most texts hold none.
    let mut ats: Vec<(usize, usize)> = memchr::memchr_iter(b'@', b)
        .map(|i| (i, 1))
        .chain(WIDE_AT.find_iter(b).map(|i| (i, "＠".len())))
        .collect();
    ats.sort_unstable();
    let mut out: Vec<String> = Vec::new();
    let mut from = 0;
    for (at, len) in ats {
        // The local part runs back from the at sign as far as its class
        // goes (no start nearer the sign matches where the farthest fails:
        // what follows the sign is the same), not into the last match.
        let start = b.get(from..at).map_or(at, |s| {
            at - s.iter().rev().take_while(|&&c| local(c)).count()
        });
        let Some(end) = host_end(b, at + len).filter(|_| start < at) else {
            continue;
        };
        let found = text.get(start..end).unwrap_or_default().replace('＠', "@");
        if out.last() != Some(&found) {
            out.push(found);
        }
        from = end;
    }
    out
}

/// A character of the local part.
fn local(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"._%+-".contains(&c)
}

/// A character of a host name.
fn host(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-'
}

/// Where the host part that starts at `at` ends, if it matches. Its labels
/// are taken whole (a label cut short is followed by a label character, not
/// the dot every way on needs), as many as there are first; then, one
/// fewer at a time, the label after them must open with two letters, the
/// top-level name, which ends with its letters.
fn host_end(b: &[u8], at: usize) -> Option<usize> {
    let run = |from: usize| {
        from + b
            .get(from..)
            .map_or(0, |s| s.iter().take_while(|&&c| host(c)).count())
    };
    let mut end = run(at);
    if end == at {
        return None;
    }
    // The labels after the first, while each is not empty.
    let mut labels = Vec::new();
    while b.get(end) == Some(&b'.') {
        let next = run(end + 1);
        if next == end + 1 {
            break;
        }
        labels.push(end + 1);
        end = next;
    }
    labels.iter().rev().find_map(|&l| {
        let letters = b.get(l..).map_or(0, |s| {
            s.iter().take_while(|c| c.is_ascii_alphabetic()).count()
        });
        (letters >= 2).then_some(l + letters)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    /// The pattern the reading follows, searched as the regex crate does.
    fn by_regex(text: &str) -> Vec<String> {
        static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
            crate::meta::re(
                r"[A-Za-z0-9._%+\-]+[@＠][A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}",
            )
        });
        let mut out: Vec<String> = EMAIL
            .find_iter(text)
            .map(|m| m.as_str().replace('＠', "@"))
            .collect();
        out.dedup();
        out
    }

    #[test]
    fn emails_as_the_pattern_finds_them() {
        let words = [
            "a",
            "bc",
            "Zq",
            "1",
            "163",
            "-",
            ".",
            "..",
            "_",
            "%",
            "+",
            "@",
            "＠",
            "com",
            "cn",
            "x1",
            " ",
            "，",
            "中",
            ":",
            "mail.163.com",
            "gov.cn",
            "cj8588031",
        ];
        let mut rng = crate::synth::Rng::new(0x9b05_688c);
        let mut found = 0;
        for n in 0..40_000 {
            let s: String = (0..1 + n % 14).map(|_| *rng.pick(&words)).collect();
            let want = by_regex(&s);
            found += want.len();
            assert_eq!(emails(&s), want, "{s}");
        }
        assert!(found > 1_000, "{found}");
    }

    #[test]
    fn email_edges() {
        for s in [
            "电子邮箱:cj8588031@163.com。",
            "a@b.com.x@y.com",
            "a@b.c1.de",
            "a@b.cd1",
            "a@b..com",
            "a@.com",
            "@b.com",
            "x＠mail.gov.cn，y@mail.gov.cn,y@mail.gov.cn",
            "a@b.c",
            "a@b-c.d-e.fg",
        ] {
            assert_eq!(emails(s), by_regex(s), "{s}");
        }
        assert_eq!(emails("邮箱：pt＠163.com"), ["pt@163.com"]);
    }
}
