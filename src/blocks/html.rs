//! HTML: walk the DOM once (iteratively: pages can nest arbitrarily deep),
//! skip site chrome, turn block elements into paragraphs and data tables
//! into [`Table`]s. Layout tables (a table holding another table) are read
//! as flow.

use html5ever::local_name;

use super::dom::{Data, Dom, Element, Id};
use super::{Block, Cell, Origin, Spanned, Squashed, Table, squash_ws};
use crate::provenance::{HtmlLocator, Span};

/// What the page head says about the document.
#[derive(Debug, Clone, Default)]
pub struct HtmlHead {
    pub title: Option<String>,
    /// `<meta name=… content=…>` pairs, names lower-cased.
    pub metas: Vec<(String, String)>,
}

/// Nesting beyond which the page is not given to html5ever, whose tree
/// building is quadratic in depth (every start tag looks through the stack of
/// open elements: 100,000 levels took 16 s). Real reports nest a few dozen.
pub const MAX_DEPTH: usize = 1000;

/// Inline elements left open by the thousand on real pages (`<font>` in
/// every paragraph of a Word export, never closed): the parser closes them
/// with their block, so they are no nesting, and they get a bound of their
/// own. A mix of them nested for real still costs quadratic time in
/// html5ever (20,000 took 0.2 s, 160,000 took 10 s), hence the bound.
/// Inline elements (matched, not searched: [`too_deep`] asks for every
/// tag of the page).
fn is_inline(name: &[u8]) -> bool {
    matches!(
        name,
        b"font"
            | b"span"
            | b"b"
            | b"i"
            | b"u"
            | b"s"
            | b"em"
            | b"strong"
            | b"small"
            | b"big"
            | b"strike"
            | b"sub"
            | b"sup"
            | b"a"
            | b"tt"
            | b"nobr"
            | b"code"
            | b"mark"
            | b"label"
            | b"abbr"
            | b"cite"
            | b"q"
            | b"var"
            | b"kbd"
            | b"samp"
            | b"ins"
            | b"del"
    )
}

/// Elements whose end tag HTML lets authors leave out, and void elements.
fn is_uncounted(name: &[u8]) -> bool {
    matches!(
        name,
        b"p" | b"li"
            | b"td"
            | b"th"
            | b"tr"
            | b"tbody"
            | b"thead"
            | b"tfoot"
            | b"option"
            | b"dt"
            | b"dd"
            | b"colgroup"
            | b"col"
            | b"br"
            | b"img"
            | b"meta"
            | b"link"
            | b"input"
            | b"hr"
            | b"area"
            | b"base"
            | b"wbr"
            | b"source"
            | b"param"
            | b"embed"
            | b"track"
            | b"o:p"
    )
}

pub const MAX_INLINE: usize = 20_000;

/// Whether the elements of `src` nest deeper than [`MAX_DEPTH`] (or inline
/// elements stay open beyond [`MAX_INLINE`]), by a linear byte scan.
/// Elements whose end tag HTML lets authors leave out (`p`, `li`, `td`…) and
/// void elements are not counted, so sloppy pages stay HTML.
pub fn too_deep(src: &str) -> bool {
    let b = src.as_bytes();
    let (mut depth, mut inline, mut i) = (0usize, 0usize, 0usize);
    // `memchr` finds the brackets: a page is mostly text and attributes.
    // Where the next byte is the bracket (`</span><span>`, `<br>`), it is
    // taken without a search.
    let find = |from: usize, byte: u8| match b.get(from) {
        Some(&c) if c == byte => Some(from),
        _ => b
            .get(from..)
            .and_then(|r| memchr::memchr(byte, r))
            .map(|p| from + p),
    };
    while let Some(at) = find(i, b'<') {
        i = at + 1;
        let closing = b.get(i) == Some(&b'/');
        let start = i + usize::from(closing);
        let len = b.get(start..).map_or(0, |r| {
            r.iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b':')
                .count()
        });
        if len == 0 {
            continue; // `<!--`, `<?xml`, a lone `<`
        }
        // Every name the lists hold is short: a longer one is a block.
        let mut lower = [0u8; 8];
        let name = match b.get(start..start + len) {
            Some(n) if n.len() <= lower.len() => {
                let l = &mut lower[..n.len()];
                l.copy_from_slice(n);
                l.make_ascii_lowercase();
                &*l
            }
            _ => b"",
        };
        let end = find(start + len, b'>');
        let self_closing = end.is_some_and(|e| e > 0 && b.get(e - 1) == Some(&b'/'));
        i = end.map_or(b.len(), |e| e + 1);
        if self_closing || is_uncounted(name) {
            continue;
        }
        let (count, max) = if is_inline(name) {
            (&mut inline, MAX_INLINE)
        } else {
            (&mut depth, MAX_DEPTH)
        };
        if closing {
            *count = count.saturating_sub(1);
        } else {
            *count += 1;
            if *count > max {
                return true;
            }
        }
    }
    false
}

/// The text of a page read without a DOM: every tag becomes a line break.
/// For pages [`too_deep`] to build a tree of.
pub fn strip_tags(src: &str) -> String {
    let mut out = String::with_capacity(src.len() / 2);
    let mut rest = src;
    while let Some(open) = rest.find('<') {
        out.push_str(rest.get(..open).unwrap_or_default());
        out.push('\n');
        rest = rest.get(open..).unwrap_or_default();
        rest = rest
            .find('>')
            .map_or("", |close| rest.get(close + 1..).unwrap_or_default());
    }
    out.push_str(rest);
    out.replace("&nbsp;", " ")
}

pub fn blocks(src: &str) -> (Vec<Block>, HtmlHead) {
    let (b, head) = spanned(src, false);
    (b.blocks, head)
}

/// The blocks and the page's head; with `locate`, every cell and paragraph
/// with its range in `src` where its text can be found there (a second
/// pass over the source, so only when provenance is asked for). The tree is
/// built from the lean page ([`super::lean`]), whose text is the page's.
pub fn spanned(src: &str, locate: bool) -> (Spanned, HtmlHead) {
    let lean = super::lean::lean(src);
    let doc = Dom::parse(lean.as_deref().unwrap_or(src));
    let head = read_head(&doc);
    let mut w = Walker {
        doc: &doc,
        out: Spanned::default(),
        para: Squashed::default(),
        para_span: None,
        table: Vec::new(),
        kinds: Vec::new(),
        loc: locate.then(|| HtmlLocator::new(src)),
    };
    w.walk(doc.root());
    w.flush();
    (w.out, head)
}

/// The attributes the walk reads (the tree keeps few, so each is a short
/// search).
#[derive(Default)]
struct Attrs<'a> {
    id: Option<&'a str>,
    class: Option<&'a str>,
    colspan: Option<&'a str>,
    rowspan: Option<&'a str>,
}

impl<'a> Attrs<'a> {
    fn of(el: &'a Element) -> Attrs<'a> {
        Attrs {
            id: el.attr(&local_name!("id")),
            class: el.attr(&local_name!("class")),
            colspan: el.attr(&local_name!("colspan")),
            rowspan: el.attr(&local_name!("rowspan")),
        }
    }
}

#[derive(Default)]
struct TableBuild {
    rows: Vec<Vec<Cell>>,
    cell: Option<Cell>,
    /// The open cell's text, squashed as it comes.
    text: Squashed,
}

struct Walker<'a> {
    doc: &'a Dom,
    out: Spanned,
    para: Squashed,
    para_span: Option<Span>,
    /// Open data tables, innermost last (nested data tables are rare but legal).
    table: Vec<TableBuild>,
    /// For every open `<table>`, whether it is a data table (else layout).
    kinds: Vec<bool>,
    loc: Option<HtmlLocator<'a>>,
}

impl Walker<'_> {
    /// Every node in document order, without a stack of its own (pages
    /// nest deep) and without going into site chrome: a skipped subtree is
    /// never visited.
    fn walk(&mut self, root: Id) {
        let doc = self.doc;
        let mut node = root;
        'down: loop {
            if self.enter(node) {
                if let Some(c) = doc.first_child(node) {
                    node = c;
                    continue;
                }
                self.leave(node);
            }
            while node != root {
                if let Some(s) = doc.next_sibling(node) {
                    node = s;
                    continue 'down;
                }
                let Some(p) = doc.parent(node) else { break };
                node = p;
                self.leave(node);
            }
            return;
        }
    }

    /// A node on the way down; false when its subtree is chrome, to be
    /// skipped (and not left either).
    fn enter(&mut self, node: Id) -> bool {
        let doc = self.doc;
        match doc.data(node) {
            Data::Text(t) => self.text(t),
            Data::Element(el) => {
                let name = el.name();
                let a = Attrs::of(el);
                if is_chrome(name, a.id, a.class) {
                    if let Some(l) = self.loc.as_mut() {
                        l.skipped();
                    }
                    return false;
                }
                if name == "table" {
                    let data = !is_layout(doc, node);
                    self.kinds.push(data);
                    if data {
                        self.flush();
                        self.table.push(TableBuild::default());
                        return true;
                    }
                }
                self.open(name, a.colspan, a.rowspan);
            }
            _ => {}
        }
        true
    }

    /// A node on the way up, once its subtree is done.
    fn leave(&mut self, node: Id) {
        if let Some(el) = self.doc.element(node) {
            let name = el.name();
            if name == "table" && self.kinds.pop() == Some(true) {
                self.close_table();
            } else {
                self.close(name);
            }
        }
    }

    fn text(&mut self, t: &str) {
        match self.table.last_mut() {
            Some(TableBuild {
                cell: Some(c),
                text,
                ..
            }) => {
                text.push(t);
                if let Some(l) = self.loc.as_mut() {
                    c.span = Span::join(c.span, l.find(t));
                }
            }
            // Whitespace between rows, or text the table holds outside
            // its cells: passed, to keep the source in step.
            Some(_) => {
                if let Some(l) = self.loc.as_mut() {
                    l.find(t);
                }
            }
            None => {
                let s = self.loc.as_mut().and_then(|l| l.find(t));
                self.para_span = Span::join(self.para_span, s);
                self.para.push(t);
            }
        }
    }

    fn open(&mut self, name: &str, colspan: Option<&str>, rowspan: Option<&str>) {
        if let Some(tb) = self.table.last_mut() {
            match name {
                "tr" => tb.rows.push(Vec::new()),
                "td" | "th" => {
                    let mut c = Cell::new(String::new(), false);
                    c.colspan = span(colspan);
                    c.rowspan = span(rowspan);
                    tb.cell = Some(c);
                    tb.text.take();
                }
                _ if breaks_line(name) && tb.cell.is_some() => tb.text.push(" "),
                _ => {}
            }
        } else if breaks_line(name) {
            self.flush();
        }
    }

    fn close(&mut self, name: &str) {
        if let Some(tb) = self.table.last_mut() {
            if matches!(name, "td" | "th") {
                if let Some(mut c) = tb.cell.take() {
                    c.text = tb.text.take();
                    if tb.rows.is_empty() {
                        tb.rows.push(Vec::new());
                    }
                    if let Some(row) = tb.rows.last_mut() {
                        row.push(c);
                    }
                }
            } else if breaks_line(name) && tb.cell.is_some() {
                tb.text.push(" ");
            }
        } else if breaks_line(name) {
            self.flush();
        }
    }

    fn close_table(&mut self) {
        if let Some(tb) = self.table.pop() {
            let rows: Vec<Vec<Cell>> = tb.rows.into_iter().filter(|r| !r.is_empty()).collect();
            let table = Table {
                origin: Origin::Html,
                rows,
            };
            // A row of two cells or a cell spanning two columns makes the
            // table wider than one: the grid is built only when neither.
            let narrow = table
                .rows
                .iter()
                .all(|r| r.len() <= 1 && r.iter().all(|c| c.colspan <= 1));
            if narrow && table.width() <= 1 {
                // A box around text: its cells are paragraphs.
                let cells = table.rows.into_iter().flatten();
                for c in cells.filter(|c| !c.text.is_empty()) {
                    self.out.blocks.push(Block::Para(c.text));
                    self.out.spans.push(c.span);
                }
            } else {
                self.out.blocks.push(Block::Table(table));
                self.out.spans.push(None);
            }
        }
    }

    fn flush(&mut self) {
        let span = self.para_span.take();
        if !self.para.is_empty() {
            self.out.blocks.push(Block::Para(self.para.take()));
            self.out.spans.push(span);
        }
    }
}

fn span(v: Option<&str>) -> u32 {
    v.and_then(|s| s.trim().parse::<u32>().ok())
        .unwrap_or(1)
        .clamp(1, 1000)
}

fn breaks_line(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "section"
            | "article"
            | "tr"
            | "td"
            | "th"
            | "blockquote"
            | "pre"
            | "dd"
            | "dt"
            | "dl"
            | "hr"
            | "center"
            | "form"
            | "main"
            | "caption"
            | "table"
            | "body"
    )
}

/// Site chrome and non-content elements whose text must not enter the report.
fn is_chrome(name: &str, id: Option<&str>, class: Option<&str>) -> bool {
    if matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "head"
            | "select"
            | "option"
            | "button"
            | "iframe"
            | "nav"
            | "footer"
            | "svg"
            | "object"
    ) {
        return true;
    }
    const WORDS: [&str; 7] = [
        "nav",
        "navbar",
        "menu",
        "footer",
        "breadcrumb",
        "crumb",
        "sidebar",
    ];
    // Split by bytes: a non-ASCII character splits as a run of bytes that
    // are not ASCII alphanumeric, leaving only empty pieces.
    [id, class].into_iter().flatten().any(|v| {
        v.as_bytes()
            .split(|c| !c.is_ascii_alphanumeric())
            .filter(|w| (3..=10).contains(&w.len()))
            .any(|w| WORDS.iter().any(|k| k.as_bytes().eq_ignore_ascii_case(w)))
    })
}

/// A table that contains another table is page layout, not data. Asked of
/// each table as the walk meets it: the search stops at the first table
/// inside, and a data table's subtree holds none, so no node is searched
/// twice.
fn is_layout(doc: &Dom, table: Id) -> bool {
    doc.descendants(table)
        .any(|n| doc.element(n).is_some_and(|e| e.name() == "table"))
}

fn read_head(doc: &Dom) -> HtmlHead {
    let mut head = HtmlHead::default();
    for node in doc.descendants(doc.root()) {
        let Some(el) = doc.element(node) else {
            continue;
        };
        match el.name() {
            "title" if head.title.is_none() => {
                let t = squash_ws(&doc.text(node));
                if !t.is_empty() {
                    head.title = Some(t);
                }
            }
            "meta" => {
                let name = el
                    .attr(&local_name!("name"))
                    .or_else(|| el.attr(&local_name!("property")));
                if let (Some(n), Some(c)) = (name, el.attr(&local_name!("content"))) {
                    head.metas.push((n.to_ascii_lowercase(), squash_ws(c)));
                }
            }
            "body" => break,
            _ => {}
        }
    }
    head
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_scan_counts_real_nesting_only() {
        let deep = format!(
            "{}x{}",
            "<div>".repeat(MAX_DEPTH + 1),
            "</div>".repeat(MAX_DEPTH + 1)
        );
        assert!(too_deep(&deep));
        let shallow = "<div><span>a</span></div>".repeat(5000);
        assert!(!too_deep(&shallow));
        // Unclosed inline tags have a bound of their own.
        let fonts = "<p><font size=3>一、总体情况</p>".repeat(2000);
        assert!(!too_deep(&fonts));
        assert!(too_deep(&"<b>".repeat(MAX_INLINE + 1)));
        // Unclosed cells and paragraphs are closed by the parser, not nesting.
        let sloppy = format!("<table>{}</table>", "<tr><td>1<td>2<p>x<br>".repeat(5000));
        assert!(!too_deep(&sloppy));
        assert_eq!(strip_tags("<p>a&nbsp;b</p>c"), "\na b\nc");
    }

    #[test]
    fn cells_keep_inner_breaks_as_spaces_and_join_spans() {
        let (b, _) = blocks(
            "<p>二、主动公开</p><table><tr><td>本年新<br/>制作数量</td><td><span>26</span><span>48</span></td></tr></table>",
        );
        assert_eq!(b[0], Block::Para("二、主动公开".into()));
        let Block::Table(t) = &b[1] else {
            panic!("no table")
        };
        assert_eq!(t.rows[0][0].text, "本年新 制作数量");
        assert_eq!(t.rows[0][1].text, "2648");
    }

    #[test]
    fn layout_table_is_flow_and_chrome_is_skipped() {
        let (b, head) = blocks(
            "<html><head><title>T</title><meta name=PubDate content='2020-01-31'></head><body><div class='nav'>首页</div><script>x=1</script>\
             <table><tr><td><p>一、总体情况</p><table><tr><td>规章</td><td>1</td></tr></table></td></tr></table></body></html>",
        );
        assert_eq!(head.title.as_deref(), Some("T"));
        assert_eq!(head.metas[0], ("pubdate".into(), "2020-01-31".into()));
        assert_eq!(b[0], Block::Para("一、总体情况".into()));
        assert!(matches!(b[1], Block::Table(_)));
        assert_eq!(b.len(), 2);
    }

    #[test]
    fn one_column_table_is_text() {
        let (b, _) = blocks("<table><tr><td>一、总体情况</td></tr><tr><td>正文</td></tr></table>");
        assert_eq!(
            b,
            vec![
                Block::Para("一、总体情况".into()),
                Block::Para("正文".into())
            ]
        );
    }

    #[test]
    fn one_cell_rows_can_still_be_wide() {
        // A cell spanning two columns, or one pushed right by a cell
        // spanning rows above it: a table, though no row has two cells.
        for src in [
            "<table><tr><td colspan=2>一、总体情况</td></tr><tr><td>正文</td></tr></table>",
            "<table><tr><td rowspan=2>规章</td></tr><tr><td>1</td></tr></table>",
        ] {
            let (b, _) = blocks(src);
            assert!(matches!(b[..], [Block::Table(_)]), "{src}: {b:?}");
        }
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        // The walk is iterative; html5ever itself is slow (not unsafe) on
        // very deep trees, so the size here is kept modest.
        let src = "<div>".repeat(3_000) + "一、总体情况";
        let (b, _) = blocks(&src);
        assert!(!b.is_empty());
    }
}
