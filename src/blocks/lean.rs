//! The page as html5ever needs to see it for our tree: the same bytes with
//! the attributes nothing reads taken out of start tags. Word exports spend
//! most of their bytes in `style=…` and `lang=…` (three quarters of a real
//! 320 KB page), and html5ever's tokenizer pays for every byte of them; the
//! tree built from the lean page is the same in all that [`super::dom`]
//! keeps.
//!
//! Why the tree stays the same, and where this gives up (the page is then
//! parsed as it is):
//! - Only attributes html5ever's tree builder never reads, and that our
//!   tree does not keep, are removed ([`kept`] lists the others).
//! - Formatting elements (`<b>`, `<font>`, `<a>`…) keep every attribute:
//!   the parser compares their attribute lists (at most three equal ones
//!   stay on the list of active formatting elements) and clones them.
//! - Everything else is copied as it is: text, end tags, comments, the
//!   doctype, and the bodies of elements the parser may read as raw text
//!   (`<style>`, `<script>`, `<title>`, `<textarea>`…). Whether such a body
//!   is raw text depends on the parser's state (not inside `<select>` or
//!   `<svg>`), so a body must also read as whole tags when it is not; else
//!   the page is given up.
//! - A script body holding `<!--` (the parser's escaped script states) and
//!   a `<![CDATA[` section where a tag may start (foreign content) give
//!   the page up.
//! - An attribute right after a `/` (`<br/a=1>`) stays: taking it would
//!   leave `<br/>`, a self-closing tag.

use memchr::{memchr, memmem};

/// Attributes that stay: those [`super::dom`] keeps, and those html5ever's
/// tree builder reads (`type` for hidden inputs in tables, `charset`,
/// `http-equiv` and `content` on `<meta>`, `encoding` in MathML,
/// `shadowroot…` on `<template>`).
fn kept(name: &[u8]) -> bool {
    const READ: [&[u8]; 4] = [b"type", b"charset", b"http-equiv", b"encoding"];
    super::dom::KEPT
        .iter()
        .map(|k| k.as_bytes())
        .chain(READ)
        .any(|k| k.eq_ignore_ascii_case(name))
        || name
            .get(..10)
            .is_some_and(|p| p.eq_ignore_ascii_case(b"shadowroot"))
}

/// Elements on html5ever's list of active formatting elements.
fn formatting(name: &[u8]) -> bool {
    const FORMATTING: [&[u8]; 14] = [
        b"a", b"b", b"big", b"code", b"em", b"font", b"i", b"nobr", b"s", b"small", b"strike",
        b"strong", b"tt", b"u",
    ];
    FORMATTING.iter().any(|k| k.eq_ignore_ascii_case(name))
}

/// Elements whose body the parser may read as raw text, up to their end tag.
fn raw(name: &[u8]) -> bool {
    const RAW: [&[u8]; 10] = [
        b"script",
        b"style",
        b"xmp",
        b"iframe",
        b"noembed",
        b"noframes",
        b"noscript",
        b"title",
        b"textarea",
        b"plaintext",
    ];
    RAW.iter().any(|k| k.eq_ignore_ascii_case(name))
}

fn is_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// The lean page, or `None` when there is nothing to take out or the page
/// is given up (see the module's notes).
pub fn lean(src: &str) -> Option<String> {
    let b = src.as_bytes();
    let mut s = Scan {
        src,
        b,
        out: String::new(),
        copied: 0,
        strip: true,
    };
    // Where the scan stops short of the end, the rest is one token the
    // input ends inside, copied as it is.
    s.run(0, b.len())?;
    if s.out.is_empty() {
        return None;
    }
    s.out.push_str(src.get(s.copied..)?);
    Some(s.out)
}

struct Scan<'a> {
    src: &'a str,
    b: &'a [u8],
    /// The lean page up to `copied` (empty until something is taken out).
    out: String,
    copied: usize,
    /// False when only checking that a raw body reads as whole tags.
    strip: bool,
}

/// A tag read up to its `>`.
struct Tag {
    name: (usize, usize),
    /// Just after the `>`.
    end: usize,
}

impl Scan<'_> {
    /// Read `b[from..to]` in the tokenizer's data state; the place where
    /// the data state resumes after the last token (`to` when the range
    /// ends between tokens), or `None` to give the page up.
    fn run(&mut self, from: usize, to: usize) -> Option<usize> {
        let b = self.b.get(..to)?;
        let mut i = from;
        while let Some(p) = memchr(b'<', b.get(i..)?) {
            let at = i + p;
            i = match b.get(at + 1) {
                Some(c) if c.is_ascii_alphabetic() => match self.start_tag(b, at + 1)? {
                    Some(next) => next,
                    None => return Some(at), // the tag runs past `to`
                },
                Some(b'/') => match b.get(at + 2) {
                    Some(c) if c.is_ascii_alphabetic() => match tag(b, at + 2, &mut |_, _| {}) {
                        Some(t) => t.end,
                        None => return Some(at),
                    },
                    Some(b'>') => at + 3,
                    Some(_) => past(b, at + 2).unwrap_or(at),
                    None => return Some(at),
                },
                Some(b'!') => declaration(b, at + 2)?.unwrap_or(at),
                Some(b'?') => past(b, at + 2).unwrap_or(at),
                _ => at + 1,
            };
            if i == at {
                return Some(at); // a comment or declaration runs past `to`
            }
        }
        Some(to)
    }

    /// A start tag whose name begins at `from`: its attributes taken out
    /// where they may be, and a raw body passed over. `Some(None)` when the
    /// tag or its body runs to the end of the range; `None` to give up.
    fn start_tag(&mut self, b: &[u8], from: usize) -> Option<Option<usize>> {
        let mut cut = Vec::new();
        let Some(t) = tag(b, from, &mut |s, e| cut.push((s, e))) else {
            return Some(None);
        };
        let name = b.get(t.name.0..t.name.1)?;
        if self.strip && !formatting(name) {
            for (s, e) in cut {
                if self.out.is_empty() {
                    self.out.reserve(self.b.len());
                }
                // Attributes start and end at ASCII bytes: char boundaries.
                self.out.push_str(self.src.get(self.copied..s)?);
                self.copied = e;
            }
        }
        if !raw(name) {
            return Some(Some(t.end));
        }
        if name.eq_ignore_ascii_case(b"plaintext") {
            return Some(None);
        }
        let Some((body_end, next)) = raw_end(b, t.end, name) else {
            return Some(None);
        };
        let body = b.get(t.end..body_end)?;
        if name.eq_ignore_ascii_case(b"script") && memmem::find(body, b"<!--").is_some() {
            return None;
        }
        if memchr(b'<', body).is_some() {
            // Read as tags, the body must end between tokens too.
            let mut check = Scan {
                src: self.src,
                b: self.b,
                out: String::new(),
                copied: 0,
                strip: false,
            };
            if check.run(t.end, body_end)? != body_end {
                return None;
            }
        }
        Some(Some(next))
    }
}

/// Read a tag from its name at `from` to its `>`, as html5ever's tokenizer
/// does, calling `cut(start, end)` for every attribute that may go. `None`
/// when the input ends inside the tag (the tokenizer drops it).
fn tag(b: &[u8], from: usize, cut: &mut impl FnMut(usize, usize)) -> Option<Tag> {
    let upto = |i: usize, stop: fn(u8) -> bool| {
        i + b
            .get(i..)
            .map_or(0, |r| r.iter().take_while(|&&c| !stop(c)).count())
    };
    let name_end = upto(from, |c| is_space(c) || c == b'/' || c == b'>');
    let mut i = name_end;
    loop {
        i = upto(i, |c| !is_space(c));
        match *b.get(i)? {
            b'>' => {
                return Some(Tag {
                    name: (from, name_end),
                    end: i + 1,
                });
            }
            b'/' => i += 1,
            _ => {
                let start = i;
                // A first `=` is part of the name.
                let n_end = upto(i + 1, |c| is_space(c) || matches!(c, b'/' | b'>' | b'='));
                let mut end = n_end;
                i = upto(n_end, |c| !is_space(c));
                if b.get(i) == Some(&b'=') {
                    i = upto(i + 1, |c| !is_space(c));
                    i = match *b.get(i)? {
                        q @ (b'"' | b'\'') => i + 1 + memchr(q, b.get(i + 1..)?)? + 1,
                        b'>' => i,
                        _ => upto(i, |c| is_space(c) || c == b'>'),
                    };
                    end = i;
                }
                let after_slash = start > 0 && b.get(start - 1) == Some(&b'/');
                if !after_slash && !kept(b.get(start..n_end)?) {
                    cut(start, end);
                }
            }
        }
    }
}

/// After `<!` at `from`: just past the comment, doctype or bogus comment
/// (`Some(None)` when it runs to the end), or `None` for a CDATA section,
/// which the parser reads otherwise in SVG and MathML.
fn declaration(b: &[u8], from: usize) -> Option<Option<usize>> {
    let rest = b.get(from..)?;
    if rest.starts_with(b"[CDATA[") {
        return None;
    }
    if !rest.starts_with(b"--") {
        return Some(past(b, from));
    }
    let body = from + 2;
    Some(match b.get(body..)? {
        [b'>', ..] => Some(body + 1),
        [b'-', b'>', ..] => Some(body + 2),
        r => comment_end(r).map(|e| body + e),
    })
}

/// Just past the end of a comment's body `r`: the first `--` followed by
/// `>` or `!>` (`--->` ends it too). One pass over the `--`s: searching
/// for `-->` and `--!>` each to the end would read a page of `--!>`
/// comments to its end once per comment.
fn comment_end(r: &[u8]) -> Option<usize> {
    let mut i = 0;
    loop {
        // Overlapping: in `--->` the end is the second `--`.
        let d = i + memmem::find(r.get(i..)?, b"--")?;
        match r.get(d + 2..) {
            Some([b'>', ..]) => return Some(d + 3),
            Some([b'!', b'>', ..]) => return Some(d + 4),
            _ => i = d + 1,
        }
    }
}

/// Just past the first `>` from `from`.
fn past(b: &[u8], from: usize) -> Option<usize> {
    memchr(b'>', b.get(from..)?).map(|p| from + p + 1)
}

/// The end of a raw body that starts at `from` (where its end tag
/// `</name` begins) and where the data state resumes (after that end
/// tag's `>`).
fn raw_end(b: &[u8], from: usize, name: &[u8]) -> Option<(usize, usize)> {
    let mut i = from;
    loop {
        let at = i + memchr(b'<', b.get(i..)?)?;
        let n = at + 2;
        let is_end = b.get(at + 1) == Some(&b'/')
            && b.get(n..n + name.len())
                .is_some_and(|x| x.eq_ignore_ascii_case(name))
            && b.get(n + name.len())
                .is_some_and(|&c| is_space(c) || c == b'/' || c == b'>');
        if is_end {
            let t = tag(b, n, &mut |_, _| {})?;
            return Some((at, t.end));
        }
        i = at + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comment_ends_at_its_first_end() {
        for (body, end) in [
            (&b"a-->x"[..], Some(4)),
            (b"a--->x", Some(5)),
            (b"a--!>x-->", Some(5)),
            (b"a-- >--!>", Some(9)),
            (b"a--!->", None),
            (b"a-", None),
        ] {
            assert_eq!(comment_end(body), end, "{}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn a_page_of_unusual_comment_ends_is_read_once() {
        // Each `--!>` comment once searched for `-->` to the page's end.
        let page = format!("<p style=x>一</p>{}", "<!--a--!>".repeat(200_000));
        assert_eq!(lean(&page), Some(page.replacen("style=x", "", 1)));
    }

    #[test]
    fn takes_out_only_unread_attributes() {
        let src =
            "<p class=MsoNormal style='font-size:12pt' lang=EN-US><span style=\"x\">一</span></p>";
        assert_eq!(
            lean(src).as_deref(),
            Some("<p class=MsoNormal  ><span >一</span></p>")
        );
        // Formatting elements, raw bodies and comments stay as they are.
        let kept = "<b style=x>1</b><style>p {a:1}</style><!-- <p style=x> -->";
        assert_eq!(lean(kept), None);
        assert_eq!(lean("<br/style=x>"), None);
        assert_eq!(lean("<td colspan=2 rowspan='3' id=\"a\">"), None);
    }

    #[test]
    fn gives_up_where_the_parser_could_read_otherwise() {
        // Inside `<!--<script>` the first `</script>` does not end the
        // script (and `--!>`, which ends a comment, leaves that state):
        // what follows is still its text.
        let escaped = "<script><!--<script>--!></script><p style=x></script><p style=y>";
        assert_eq!(lean(escaped), None);
        same_tree(escaped);
        let cdata = "<svg><![CDATA[ x> <p style=y> ]]></svg><p style=z>";
        assert_eq!(lean(cdata), None);
        same_tree(cdata);
        // A raw body that would not read as whole tags.
        assert_eq!(
            lean("<p style=x><style><b title='</style>'><p style=y>"),
            None
        );
    }

    /// The tree of the lean page against the tree of the page.
    fn same_tree(src: &str) {
        let whole = super::super::dom::Dom::parse(src).outline();
        let lean = lean(src);
        let thin = super::super::dom::Dom::parse(lean.as_deref().unwrap_or(src)).outline();
        assert_eq!(whole, thin, "{src:?}\n{lean:?}");
    }

    #[test]
    fn the_tree_is_the_same_on_real_and_generated_pages() {
        let mut n = 0;
        for page in crate::corpus_inputs::all().into_iter().filter(|i| i.html) {
            same_tree(&crate::decode::decode(&page.bytes).text);
            n += 1;
        }
        assert!(n > 0, "no HTML page in corpus/");
        for seed in 0..40 {
            let m = crate::synth::generate(seed);
            if m.options.format.is_html() {
                same_tree(&crate::decode::decode(&m.bytes()).text);
            }
        }
    }

    #[test]
    fn the_tree_is_the_same_on_torn_markup() {
        // Pieces of markup stuck together at random: tags cut anywhere,
        // quotes and comments left open, raw bodies in every context.
        const PIECES: [&str; 46] = [
            "<p",
            "<span",
            "<td",
            "<table>",
            "<tr>",
            "</td>",
            "</p>",
            ">",
            "/>",
            "/",
            "=",
            "\"",
            "'",
            " ",
            "\n",
            "一",
            "<",
            " style='a>b'",
            " style=\"c\"",
            " lang=EN-US",
            " class=nav",
            " colspan=2",
            " rowspan=\"3\"",
            " id=x",
            " type=hidden",
            "<!--",
            "-->",
            "--!>",
            "-",
            "<!DOCTYPE html>",
            "<?x>",
            "</",
            "<style>",
            "</style>",
            "<script>",
            "</script>",
            "<select>",
            "<svg>",
            "<math>",
            "<noscript>",
            "</noscript>",
            "<textarea>",
            "<title>",
            "<b style=x>",
            "<font color=red size=3>",
            "<input",
        ];
        let mut rng = crate::synth::Rng::new(0x2545_f491_4f6c_dd1d);
        for _ in 0..4000 {
            let n = 4 + rng.below(40);
            let src: String = (0..n).map(|_| *rng.pick(&PIECES)).collect();
            same_tree(&src);
        }
    }
}
