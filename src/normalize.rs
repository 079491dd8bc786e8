//! Label normalisation (spec §7): one canonical spelling per label so that
//! half-width brackets, spaces inside words, quotes, traditional script and
//! mirror artifacts all compare equal.

use unicode_normalization::UnicodeNormalization;

/// Traditional → simplified for the characters that occur in template labels
/// and headings (a mirror-site artifact, spec §6 #31).
const TRAD: &[(char, char)] = &[
    ('條', '条'),
    ('項', '项'),
    ('內', '内'),
    ('製', '制'),
    ('數', '数'),
    ('開', '开'),
    ('對', '对'),
    ('總', '总'),
    ('規', '规'),
    ('範', '范'),
    ('檔', '档'),
    ('處', '处'),
    ('許', '许'),
    ('罰', '罚'),
    ('強', '强'),
    ('務', '务'),
    ('減', '减'),
    ('決', '决'),
    ('費', '费'),
    ('採', '采'),
    ('購', '购'),
    ('額', '额'),
    ('請', '请'),
    ('結', '结'),
    ('轉', '转'),
    ('辦', '办'),
    ('國', '国'),
    ('險', '险'),
    ('護', '护'),
    ('權', '权'),
    ('屬', '属'),
    ('類', '类'),
    ('過', '过'),
    ('執', '执'),
    ('詢', '询'),
    ('無', '无'),
    ('機', '机'),
    ('關', '关'),
    ('沒', '没'),
    ('現', '现'),
    ('補', '补'),
    ('確', '确'),
    ('訪', '访'),
    ('舉', '举'),
    ('報', '报'),
    ('訴', '诉'),
    ('複', '复'),
    ('復', '复'),
    ('議', '议'),
    ('維', '维'),
    ('糾', '纠'),
    ('審', '审'),
    ('計', '计'),
    ('經', '经'),
    ('業', '业'),
    ('構', '构'),
    ('會', '会'),
    ('組', '组'),
    ('織', '织'),
    ('廢', '废'),
    ('發', '发'),
    ('區', '区'),
    ('應', '应'),
    ('據', '据'),
    ('單', '单'),
    ('繼', '继'),
    ('續', '续'),
    ('於', '于'),
    ('為', '为'),
    ('與', '与'),
    ('個', '个'),
    ('時', '时'),
    ('間', '间'),
    ('實', '实'),
    ('體', '体'),
    ('況', '况'),
    ('動', '动'),
    ('題', '题'),
    ('進', '进'),
    ('穩', '稳'),
    ('統', '统'),
    ('負', '负'),
    ('當', '当'),
    ('政', '政'),
    ('資', '资'),
    ('訊', '讯'),
    ('門', '门'),
    ('節', '节'),
    ('貼', '贴'),
    ('徵', '征'),
    ('獎', '奖'),
    ('給', '给'),
    ('檢', '检'),
    ('認', '认'),
    ('園', '园'),
    ('醫', '医'),
    ('療', '疗'),
    ('預', '预'),
    ('賬', '账'),
    ('戶', '户'),
    ('電', '电'),
    ('話', '话'),
    ('郵', '邮'),
    ('箱', '箱'),
    ('場', '场'),
    ('獲', '获'),
    ('簽', '签'),
    ('參', '参'),
    ('欄', '栏'),
    ('說', '说'),
    ('尚', '尚'),
    ('並', '并'),
    ('併', '并'),
    ('另', '另'),
    ('擬', '拟'),
    ('義', '义'),
    ('務', '务'),
    ('況', '况'),
    ('與', '与'),
    ('產', '产'),
];

/// `TRAD` sorted, with a bitmap of the CJK block in front: `norm` runs over
/// every character of a report, and almost none of them is traditional.
struct Simplifier {
    sorted: Vec<(char, char)>,
    /// One bit per code point from U+4E00 to U+9FFF: is it in `sorted`?
    cjk: Vec<u64>,
}

const CJK: std::ops::RangeInclusive<u32> = 0x4E00..=0x9FFF;

static SIMPLIFIER: std::sync::LazyLock<Simplifier> = std::sync::LazyLock::new(|| {
    let mut sorted = TRAD.to_vec();
    sorted.sort_unstable();
    sorted.dedup_by_key(|p| p.0);
    let mut cjk = vec![0u64; (CJK.end() - CJK.start()) as usize / 64 + 1];
    for &(t, _) in &sorted {
        let c = t as u32;
        if CJK.contains(&c) {
            let i = (c - CJK.start()) as usize;
            cjk[i / 64] |= 1 << (i % 64);
        }
    }
    Simplifier { sorted, cjk }
});

fn simplify(ch: char) -> char {
    if ch.is_ascii() {
        return ch;
    }
    let s = &*SIMPLIFIER;
    let c = ch as u32;
    if CJK.contains(&c) {
        let i = (c - CJK.start()) as usize;
        if s.cjk[i / 64] & (1 << (i % 64)) == 0 {
            return ch;
        }
    }
    s.sorted
        .binary_search_by_key(&ch, |p| p.0)
        .map_or(ch, |i| s.sorted[i].1)
}

/// One character as [`norm`] folds it: full-width → half-width, traditional
/// → simplified. For matchers that keep a position map back to the source
/// (metadata); characters outside the fast NFKC set stay as they are.
pub fn fold_char(ch: char) -> char {
    simplify(width(ch))
}

/// Full-width → half-width only, script unchanged (`meta.agency_key`
/// merges no more than width).
pub fn width(ch: char) -> char {
    fast_nfkc(ch).unwrap_or(ch)
}

/// NFKC (full-width digits and brackets → ASCII). Report text is CJK
/// ideographs, ASCII and full-width punctuation, whose NFKC is known without
/// tables ([`fast_nfkc`]); only text with anything else takes the full
/// algorithm, which costs ten times more per character.
pub fn nfkc(s: &str) -> std::borrow::Cow<'_, str> {
    let mut changed = false;
    for ch in s.chars() {
        match fast_nfkc(ch) {
            Some(c) => changed |= c != ch,
            None => return std::borrow::Cow::Owned(s.nfkc().collect()),
        }
    }
    if changed {
        std::borrow::Cow::Owned(s.chars().filter_map(fast_nfkc).collect())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// The NFKC of `ch` when it is a character that neither decomposes into
/// several nor composes with a neighbour; `None` for everything else. A unit
/// test holds this against the full algorithm for every character it claims.
fn fast_nfkc(ch: char) -> Option<char> {
    match ch as u32 {
        0x00..=0x7F | 0x4E00..=0x9FFF | 0x3001..=0x3035 => Some(ch),
        0x2013 | 0x2014 | 0x2018 | 0x2019 | 0x201C | 0x201D => Some(ch),
        0x3000 => Some(' '),
        // Full-width ASCII: the <wide> forms of U+0021..U+007E.
        c @ 0xFF01..=0xFF5E => char::from_u32(c - 0xFEE0),
        _ => None,
    }
}

/// Canonical form of a label: NFKC (full-width → half-width), simplified
/// script, no whitespace, no quotes, one enumerator punctuation.
pub fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // One pass over the text as written; only text outside the fast NFKC set
    // is normalised by the full algorithm first.
    let full;
    let mut chars = s.chars();
    if s.chars().any(|c| fast_nfkc(c).is_none()) {
        full = s.nfkc().collect::<String>();
        chars = full.chars();
    }
    for ch in chars {
        let ch = fold_char(ch);
        match ch {
            c if c.is_whitespace() => {}
            '“' | '”' | '"' | '\'' | '‘' | '’' | '「' | '」' | '『' | '』' => {}
            '．' | '·' => out.push('.'),
            '【' | '〔' | '［' => out.push('('),
            '】' | '〕' | '］' => out.push(')'),
            c => out.push(c),
        }
    }
    // Mirror sites turn 文件 into 檔案 (spec §6 #31).
    if out.contains("档案") {
        out = out.replace("档案", "文件");
    }
    out
}

/// Split a leading enumerator (`一、`, `(一)`, `1.`, `1、`, `(1)`) off a
/// normalised label. Returns the enumerator and the rest.
pub fn split_enum(s: &str) -> (Option<&str>, &str) {
    let numeral = |c: char| "一二三四五六七八九十".contains(c) || c.is_ascii_digit();
    if let Some(rest) = s.strip_prefix('(') {
        if let Some(close) = rest.find(')') {
            let inner = rest.get(..close).unwrap_or_default();
            if !inner.is_empty() && inner.chars().count() <= 3 && inner.chars().all(numeral) {
                let end = close + 2;
                return (s.get(..end), s.get(end..).unwrap_or_default());
            }
        }
        return (None, s);
    }
    let lead: usize = s
        .chars()
        .take_while(|c| numeral(*c))
        .map(char::len_utf8)
        .sum();
    let head = s.get(..lead).unwrap_or_default();
    // `1.`–`99.` or up to three Chinese numerals; longer digit runs are data.
    let plausible = if head.chars().all(|c| c.is_ascii_digit()) {
        lead <= 2 && !head.starts_with('0')
    } else {
        head.chars().count() <= 3
    };
    if lead > 0 && plausible {
        let after = s.get(lead..).unwrap_or_default();
        if let Some(p) = after
            .chars()
            .next()
            .filter(|c| matches!(c, '、' | '.' | ','))
        {
            let end = lead + p.len_utf8();
            return (s.get(..end), s.get(end..).unwrap_or_default());
        }
    }
    (None, s)
}

/// Remove trailing bracketed notes: `规章(设区的市…)` → `规章`.
pub fn strip_notes(mut s: &str) -> &str {
    while s.ends_with(')') {
        let Some(open) = matching_open(s) else { break };
        if open == 0 {
            break;
        }
        s = s.get(..open).unwrap_or(s);
    }
    s
}

/// Byte index of the `(` matching the final `)`.
fn matching_open(s: &str) -> Option<usize> {
    let mut depth = 0i32;
    for (i, ch) in s.char_indices().rev() {
        match ch {
            ')' => depth += 1,
            '(' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_nfkc_agrees_with_the_full_algorithm() {
        let mut claimed = 0;
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            if let Some(f) = fast_nfkc(c) {
                let full: String = c.to_string().nfkc().collect();
                assert_eq!(full, f.to_string(), "U+{:04X}", c as u32);
                claimed += 1;
            }
        }
        assert!(claimed > 20_000);
        assert_eq!(nfkc("（一）１２，ａ"), "(一)12,a");
        assert_eq!(nfkc("e\u{301}"), "\u{e9}");
    }

    #[test]
    fn full_width_and_spaces() {
        assert_eq!(norm("第二十条  第（一）项"), "第二十条第(一)项");
        assert_eq!(norm("三、本年度办 理结果"), "三、本年度办理结果");
        assert_eq!(norm("3.危及“三安全一稳定”"), "3.危及三安全一稳定");
    }

    #[test]
    fn traditional_and_mirror() {
        assert_eq!(norm("規範性檔案"), "规范性文件");
        assert_eq!(norm("對外公開總數量"), "对外公开总数量");
    }

    #[test]
    fn enumerators() {
        assert_eq!(split_enum("(一)予以公开"), (Some("(一)"), "予以公开"));
        assert_eq!(
            split_enum("三、本年度办理结果"),
            (Some("三、"), "本年度办理结果")
        );
        assert_eq!(split_enum("1.属于国家秘密"), (Some("1."), "属于国家秘密"));
        assert_eq!(split_enum("规章"), (None, "规章"));
        assert_eq!(split_enum("00000002.其他"), (None, "00000002.其他"));
        assert_eq!(split_enum("(本列数据)"), (None, "(本列数据)"));
    }

    #[test]
    fn notes() {
        assert_eq!(
            strip_notes("规章(设区的市、自治州人民政府应提供相关数据)"),
            "规章"
        );
        assert_eq!(
            strip_notes("部分公开(区分处理的,只计这一情形,不计其他情形)"),
            "部分公开"
        );
        assert_eq!(strip_notes("(本列)"), "(本列)");
    }
}
