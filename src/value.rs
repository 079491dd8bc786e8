//! Cell values: numbers (with units and signs), placeholders, blanks, and the
//! things that only look like numbers (digit runs with lost separators).

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::template::ValueKind;

/// A number as published: integers stay integers in the JSON.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Num {
    pub v: f64,
    pub int: bool,
}

impl Serialize for Num {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.int {
            s.serialize_i64(self.v as i64)
        } else {
            s.serialize_f64(self.v)
        }
    }
}

/// What one cell (or one token of running text) holds.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    Empty,
    /// `/`, `-`, `—`, `无`: the source says "nothing here".
    Placeholder,
    Number {
        num: Num,
        unit: Option<String>,
        /// Sign written as a word (`减4`) or thousands separators removed.
        rewritten: bool,
    },
    /// Digits that cannot be one number (`0000000`, `00`): cell separators
    /// were lost.
    Run,
    /// Looks numeric but is not a number (`1 2`, `12件件`).
    Bad,
    /// Page furniture (`- 4 -`, `第3页`): not table content.
    Furniture,
    /// The last figure of a file that stops abruptly (no closing tag, no
    /// final line break): it may be cut short (`2556` → `25`).
    Cut,
    /// Not a value at all.
    Text,
}

/// Dash-like characters that, alone or repeated, mean "nothing here".
const PLACEHOLDER_CHARS: [char; 8] = ['-', '/', '\\', '—', '–', '~', '_', '－'];

fn is_placeholder(t: &str) -> bool {
    matches!(t, "无" | "空" | "暂无") || t.chars().all(|c| PLACEHOLDER_CHARS.contains(&c))
}

/// A number as published, in parts: `[sign] digits[,ddd…] [.digits] [unit]`.
/// Hand-parsed: this runs on every piece of every report, where a regex with
/// captures was a tenth of the parse time.
struct Parts<'a> {
    sign: &'a str,
    int: &'a str,
    frac: &'a str,
    unit: Option<&'a str>,
}

/// Units of money a figure or a header may carry, longest first.
pub const MONEY_UNITS: [&str; 2] = ["万元", "元"];
/// Counter words after a count: the tables' own (件 cases, 条 items) first,
/// then others seen after figures, longest first where one ends another.
const COUNTERS: [&str; 7] = ["件", "条", "个", "项", "人次", "次", "家"];
/// How many of [`COUNTERS`] the tables count in.
const TABLE_COUNTERS: usize = 2;

/// Every unit written after a figure or stated by a header, longest first.
fn units() -> impl Iterator<Item = &'static str> {
    MONEY_UNITS.into_iter().chain(COUNTERS)
}

/// A character of any unit ([`units`]).
fn is_unit_char(c: char) -> bool {
    // Asked of every character of a text with digits that is no number.
    static CHARS: LazyLock<Vec<char>> = LazyLock::new(|| units().flat_map(str::chars).collect());
    CHARS.contains(&c)
}

/// A character of a unit the tables' figures are written with (money, 件,
/// 条): what may close a row's figures in running text before the next label.
pub fn is_table_unit_char(c: char) -> bool {
    // Asked of every character the tokeniser trims: the characters are
    // gathered once, and ASCII (digits, most of what is asked) never is one.
    static CHARS: LazyLock<Vec<char>> = LazyLock::new(|| {
        MONEY_UNITS
            .iter()
            .chain(&COUNTERS[..TABLE_COUNTERS])
            .flat_map(|u| u.chars())
            .collect()
    });
    !c.is_ascii() && CHARS.contains(&c)
}

/// `v` in decimal digits, as `format!("{v}")` writes it, without the
/// formatting machinery: the digit-run search and the review pages write
/// thousands of integers.
pub fn decimal(mut v: u64, buf: &mut [u8; 20]) -> &str {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[at..]).unwrap_or_default()
}

/// `v` in decimal at the end of `out`, as `write!` puts it: one digit (most
/// cells) as a character, without [`decimal`]'s buffer and its copy.
pub fn push_decimal(out: &mut String, v: u64) {
    match u8::try_from(v) {
        Ok(d @ 0..=9) => out.push(char::from(b'0' + d)),
        _ => out.push_str(decimal(v, &mut [0; 20])),
    }
}

/// Digits of the largest integer this reads: beyond 2^53 an f64 no longer
/// holds every integer, so a longer run of digits is cells run together.
pub const MAX_DIGITS: usize = 15;

/// The unit a header states for its column: `本年收费金额（单位：元）`,
/// `采购总金额（万元）`.
pub fn stated_unit(header: &str) -> Option<&'static str> {
    // A unit is stated after `单位` or in brackets, which NFKC writes only
    // from themselves, `（`, or a character outside its fast set (`⑴`):
    // most header words hold none, and are not normalised for nothing.
    let cue = |c: char| matches!(c, '单' | '(' | '（') || !crate::normalize::nfkc_alone(c);
    if !header.chars().any(cue) {
        return None;
    }
    let t = crate::normalize::nfkc(header);
    let after = |i: usize| {
        let rest = t.get(i..)?.trim_start_matches([':', ' ']);
        units().find(|u| rest.starts_with(u))
    };
    if let Some(i) = t.find("单位") {
        return after(i + "单位".len());
    }
    t.match_indices('(')
        .filter_map(|(i, _)| {
            let u = after(i + 1)?;
            t.get(i + 1 + u.len()..)?.starts_with(')').then_some(u)
        })
        .next()
}

fn number_parts(t: &str) -> Option<Parts<'_>> {
    const SIGNS: [&str; 6] = ["减少", "增加", "减", "增", "+", "-"];
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let sign = SIGNS
        .iter()
        .find(|s| t.starts_with(**s))
        .copied()
        .unwrap_or("");
    let rest = t.get(sign.len()..)?;
    let lead = digits(rest);
    if lead == 0 {
        return None;
    }
    let mut end = lead;
    // Thousands separators: 1–3 digits, then groups of exactly three.
    if lead <= 3 {
        while rest.get(end..end + 1) == Some(",") && rest.get(end + 1..).map(digits) >= Some(3) {
            end += 4;
        }
    }
    let int = rest.get(..end)?;
    let mut tail = rest.get(end..)?;
    let mut frac = "";
    if let Some(after) = tail.strip_prefix('.') {
        let n = digits(after);
        if n > 0 {
            frac = tail.get(..n + 1)?;
            tail = tail.get(n + 1..)?;
        }
    }
    let unit = if tail.is_empty() {
        None
    } else {
        Some(units().find(|u| *u == tail)?)
    };
    Some(Parts {
        sign,
        int,
        frac,
        unit,
    })
}

static FURNITURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(?:\s*共\s*\d{1,3}\s*页)?|P\.\s*\d{1,3}|Page\s*\d{1,3}.*)$")
        .unwrap_or_else(|e| unreachable!("{e}"))
});

/// Bytes (before NFKC, so up to 3 per ASCII character) beyond which a text
/// is never a value.
const LONGEST: usize = 192;

/// Whether `trimmed` (a text trimmed) may read as anything but text
/// ([`classify`]): `false` when its normal form starts with a character
/// that no figure, sign, placeholder, page mark or run of figures and
/// units starts with. That character is the first one folded
/// ([`crate::normalize::fold_char`]) when it and the next fold alone
/// ([`crate::normalize::nfkc_alone`]: NFKC composes neither with anything);
/// otherwise it is not told here.
fn may_open_value(trimmed: &str) -> bool {
    let mut chars = trimmed.chars();
    let Some(c) = chars.next() else {
        return true;
    };
    let alone = crate::normalize::nfkc_alone;
    if !alone(c) || chars.next().is_some_and(|d| !alone(d)) {
        return true;
    }
    let f = crate::normalize::fold_char(c);
    f.is_ascii_digit()
        || matches!(f, '+' | '减' | '增' | '无' | '空' | '暂' | ',' | '.')
        || PLACEHOLDER_CHARS.contains(&f)
        || FURNITURE_STARTS.contains(&f)
        || is_unit_char(f)
}

/// Classify one cell's text.
pub fn classify(text: &str) -> CellValue {
    // No number, placeholder or page mark is this long; running text is.
    let trimmed = text.trim();
    if trimmed.len() > LONGEST {
        return CellValue::Text;
    }
    // Most figures are ASCII digits alone: no normalising, no grammar.
    if let Some(read) = digits_alone(trimmed) {
        return read.map_or(CellValue::Run, |num| CellValue::Number {
            num,
            unit: None,
            rewritten: false,
        });
    }
    // Most words with a figure in them start as no value does: they are
    // not normalised for nothing.
    if !may_open_value(trimmed) {
        return CellValue::Text;
    }
    read_normal(text, trimmed)
}

/// [`classify`] of a text its first character did not tell: read on its
/// normal form.
fn read_normal(text: &str, trimmed: &str) -> CellValue {
    // NFKC, and 無, 減, 萬元, 條 of traditional pages read like their
    // simplified forms; most text is both already.
    let normal =
        (!crate::normalize::settled(trimmed)).then(|| crate::normalize::nfkc_simplified(text));
    let t = normal.as_deref().map_or(trimmed, str::trim);
    if t.is_empty() {
        return CellValue::Empty;
    }
    // Numbers and page marks have digits; placeholders are short.
    if t.len() > 6 && !has_digit(t) && !is_placeholder(t) {
        return CellValue::Text;
    }
    if t.starts_with(FURNITURE_STARTS) && FURNITURE.is_match(t) {
        return CellValue::Furniture;
    }
    if is_placeholder(t) {
        return CellValue::Placeholder;
    }
    if let Some(parts) = number_parts(t) {
        return number(t, parts);
    }
    // U+FFFD: a byte that was not valid in the encoding, among the digits
    // of this cell and no other.
    let all_numeric = || {
        t.chars().all(|c| {
            c.is_ascii_digit()
                || c.is_whitespace()
                || ".,-+/\u{fffd}".contains(c)
                || is_unit_char(c)
        })
    };
    if has_digit(t) && all_numeric() {
        return CellValue::Bad;
    }
    CellValue::Text
}

/// [`classify`] of `text`, told from `normed` (its [`crate::normalize::norm`],
/// which the tokeniser has already written) where that suffices: every
/// number is written with an ASCII digit, and folding keeps each digit,
/// blank and placeholder character, so text whose normal form is none of
/// these is text without a pass of the grammar, unless it may be a page
/// mark, whose digits may be any script's ([`FURNITURE`]'s `\d`).
pub fn classify_normed(text: &str, normed: &str) -> CellValue {
    if !has_digit(normed)
        && !normed.is_empty()
        && !is_placeholder(normed)
        && !may_be_furniture(text)
    {
        return CellValue::Text;
    }
    classify(text)
}

/// Whether [`classify`] may read `text` as page furniture: every page mark
/// starts with a dash, `第` or `P` once folded, so a text whose first
/// character (past whitespace) NFKC writes as itself alone
/// ([`crate::normalize::nfkc_alone`]) and folds to none of these is no page
/// mark.
pub fn may_be_furniture(text: &str) -> bool {
    text.trim_start().chars().next().is_some_and(|c| {
        !crate::normalize::nfkc_alone(c)
            || FURNITURE_STARTS.contains(&crate::normalize::fold_char(c))
    })
}

/// Whether `s` holds an ASCII digit. Eight bytes at a time: asked of every
/// piece of running text and every cell, most of them words without one.
pub fn has_digit(s: &str) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES << 7;
    let (words, rest) = s.as_bytes().as_chunks::<8>();
    // Per byte, without carries between bytes (each sum stays below 256):
    // bit 7 of `below` is set when its low seven bits are at most `9`, of
    // `above` when they are at least `0`, and of `!w` when bit 7 was clear.
    let digit = |w: u64| {
        let low = w & !HIGH;
        let below = ONES * (127 + u64::from(b'9') + 1) - low;
        let above = low + ONES * (127 - u64::from(b'0') + 1);
        below & above & !w & HIGH != 0
    };
    words.iter().any(|w| digit(u64::from_le_bytes(*w))) || rest.iter().any(u8::is_ascii_digit)
}

/// What a page mark ([`FURNITURE`]) starts with.
const FURNITURE_STARTS: [char; 5] = ['-', '—', '–', '第', 'P'];

/// The value of `t`, which the number grammar split into `parts`.
fn number(t: &str, parts: Parts<'_>) -> CellValue {
    let Parts {
        sign,
        int,
        frac,
        unit,
    } = parts;
    if int.len() > 1 && int.starts_with('0') {
        return CellValue::Run;
    }
    let digits = if int.contains(',') {
        Cow::Owned(int.replace(',', ""))
    } else {
        Cow::Borrowed(int)
    };
    let neg = matches!(sign, "-" | "减" | "减少");
    let parsed = match &digits {
        // The digits and the decimals as written, one after the other.
        Cow::Borrowed(_) => t[sign.len()..sign.len() + int.len() + frac.len()].parse::<f64>(),
        Cow::Owned(d) => format!("{d}{frac}").parse::<f64>(),
    };
    let Ok(mut v) = parsed else {
        return CellValue::Bad;
    };
    if neg {
        v = -v;
    }
    if frac.is_empty() && digits.len() > MAX_DIGITS {
        return CellValue::Run;
    }
    CellValue::Number {
        num: Num {
            v,
            int: frac.is_empty(),
        },
        unit: unit.map(str::to_string),
        rewritten: digits.len() != int.len() || (!sign.is_empty() && sign != "-"),
    }
}

/// `t` when it is ASCII digits alone (most figures, and every cell the
/// digit-run search tries), read without the general grammar: `None` when
/// it is not; `Some(None)` when the grammar reads it as no number (a
/// leading zero, or more than [`MAX_DIGITS`] digits: cells run together);
/// else the integer, exactly (below 2^53). A unit test holds it to the
/// grammar.
fn digits_alone(t: &str) -> Option<Option<Num>> {
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if (t.len() > 1 && t.starts_with('0')) || t.len() > MAX_DIGITS {
        return Some(None);
    }
    let v = t.bytes().fold(0u64, |v, b| v * 10 + u64::from(b - b'0'));
    Some(Some(Num {
        v: v as f64,
        int: true,
    }))
}

/// One cell cut from a run of digits, read as its column's kind: the grammar
/// of [`classify`] without what a run cannot hold (separators, units, sign
/// words), a minus only in a signed column, a point only in an amount, and
/// no leading zero or integer part beyond [`MAX_DIGITS`].
pub fn figure(t: &str, kind: ValueKind) -> Option<Num> {
    // Digits alone: the digit-run search asks for thousands of these.
    if let Some(read) = digits_alone(t) {
        return read;
    }
    let p = number_parts(t)?;
    let neg = match p.sign {
        "" => false,
        "-" if kind == ValueKind::Signed => true,
        _ => return None,
    };
    let decimal = !p.frac.is_empty();
    if p.unit.is_some()
        || p.int.contains(',')
        || p.int.len() > MAX_DIGITS
        || (p.int.len() > 1 && p.int.starts_with('0'))
        || (decimal && !matches!(kind, ValueKind::Amount { .. }))
    {
        return None;
    }
    let v: f64 = if decimal {
        // The digits and the decimals as written, one after the other (no
        // separator: refused above).
        t[p.sign.len()..p.sign.len() + p.int.len() + p.frac.len()]
            .parse()
            .ok()?
    } else {
        p.int.parse().ok()?
    };
    Some(Num {
        v: if neg { -v } else { v },
        int: !decimal,
    })
}

impl CellValue {
    pub fn is_value(&self) -> bool {
        !matches!(self, CellValue::Text | CellValue::Furniture)
    }

    /// A cell that carries something (a number, or something unreadable).
    pub fn is_filled(&self) -> bool {
        matches!(
            self,
            CellValue::Number { .. } | CellValue::Run | CellValue::Bad | CellValue::Cut
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_writes_as_format_does() {
        for v in [0, 7, 9, 10, 99, 100, 1234567, u64::MAX] {
            assert_eq!(decimal(v, &mut [0; 20]), v.to_string());
            let mut out = String::from("x");
            push_decimal(&mut out, v);
            assert_eq!(out, format!("x{v}"));
        }
    }

    fn num(t: &str) -> (f64, bool, Option<String>) {
        match classify(t) {
            CellValue::Number { num, unit, .. } => (num.v, num.int, unit),
            other => panic!("{t}: {other:?}"),
        }
    }

    #[test]
    fn text_its_first_character_tells_reads_as_text() {
        // Each character before a figure, a page mark's rest, a placeholder,
        // a unit, and marks NFKC composes with it (or not).
        let rests = [
            "",
            "1",
            "1页",
            " 4 -",
            ".3",
            "age 2",
            "无",
            "元",
            "１",
            "\u{301}1",
            "\u{302a}1",
        ];
        let mut told = 0;
        for c in (0..0x3_0000).filter_map(char::from_u32) {
            for rest in rests {
                let t = format!("{c}{rest}");
                let trimmed = t.trim();
                if trimmed.len() <= LONGEST && !may_open_value(trimmed) {
                    told += 1;
                    assert_eq!(read_normal(&t, trimmed), CellValue::Text, "{t:?}");
                }
            }
        }
        assert!(told > 100_000, "{told}");
    }

    #[test]
    fn numbers_units_signs() {
        assert_eq!(num("251000元"), (251000.0, true, Some("元".into())));
        assert_eq!(num("160.5964万元"), (160.5964, false, Some("万元".into())));
        assert_eq!(num("-8"), (-8.0, true, None));
        assert_eq!(num("减4"), (-4.0, true, None));
        assert_eq!(num("１２"), (12.0, true, None));
        assert_eq!(num("1,234"), (1234.0, true, None));
        assert_eq!(num("24252.311082"), (24252.311082, false, None));
        assert_eq!(num("增加12件"), (12.0, true, Some("件".into())));
        assert_eq!(num("12,345,678"), (12345678.0, true, None));
        for bad in [
            "12,3456", "1234,567", "12.", "12.5.1", "12元件", "--3", "1,23",
        ] {
            assert!(!matches!(classify(bad), CellValue::Number { .. }), "{bad}");
        }
    }

    #[test]
    fn digits_alone_read_as_the_grammar_reads_them() {
        // The same digits with a unit after them take the general grammar.
        for len in 1..=20 {
            for first in '0'..='9' {
                for rest in ['0', '7', '9'] {
                    let t: String = std::iter::once(first)
                        .chain(std::iter::repeat_n(rest, len - 1))
                        .collect();
                    let general = match classify(&format!("{t}件")) {
                        CellValue::Number { num, .. } => Some(num),
                        CellValue::Run => None,
                        other => panic!("{t}件: {other:?}"),
                    };
                    assert_eq!(digits_alone(&t), Some(general), "{t}");
                    let want = general.map_or(CellValue::Run, |num| CellValue::Number {
                        num,
                        unit: None,
                        rewritten: false,
                    });
                    assert_eq!(classify(&t), want, "{t}");
                }
            }
        }
        for t in ["", "12a", "1.5", "-3", "1,234", "１２"] {
            assert_eq!(digits_alone(t), None, "{t}");
        }
    }

    #[test]
    fn units_a_header_states() {
        assert_eq!(stated_unit("本年收费金额（单位：万元）"), Some("万元"));
        assert_eq!(stated_unit("本年收费金额(单位:元)"), Some("元"));
        assert_eq!(stated_unit("采购总金额（元）"), Some("元"));
        assert_eq!(stated_unit("采购总金额"), None);
        assert_eq!(stated_unit("上一年项目数量(指2019年事项数)"), None);
    }

    #[test]
    fn a_stated_unit_is_cued_by_its_characters() {
        // What `stated_unit`'s prefilter assumes: among the characters NFKC
        // writes one for one, only `单`, `(` and `（` give what it looks for.
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            let n = crate::normalize::nfkc(&c.to_string()).into_owned();
            if n.contains(['单', '(']) {
                let cued = matches!(c, '单' | '(' | '（');
                assert!(
                    cued || !crate::normalize::nfkc_alone(c),
                    "U+{:04X}",
                    c as u32
                );
            }
        }
        // Brackets written with a character outside the fast set (U+FE59,
        // U+FE5A) are still read.
        assert_eq!(stated_unit("金额\u{fe59}元\u{fe5a}"), Some("元"));
        assert_eq!(stated_unit("金额元"), None);
    }

    #[test]
    fn not_numbers() {
        assert_eq!(classify(""), CellValue::Empty);
        assert_eq!(classify(" / "), CellValue::Placeholder);
        assert_eq!(classify("—"), CellValue::Placeholder);
        assert_eq!(classify("无"), CellValue::Placeholder);
        assert_eq!(classify("0000000"), CellValue::Run);
        assert_eq!(classify("1 2"), CellValue::Bad);
        assert_eq!(classify("8\u{fffd}0"), CellValue::Bad);
        assert_eq!(classify("- 4 -"), CellValue::Furniture);
        assert_eq!(classify("规章"), CellValue::Text);
    }
}
