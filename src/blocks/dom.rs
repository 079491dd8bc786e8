//! The page's tree as html5ever builds it, kept in a flat arena of our own
//! (an html5ever [`TreeSink`]) with only what the walk and the head read:
//! element names, a few attributes, and text. A general DOM (scraper's
//! `Html`) keeps every attribute of every element, ready for selectors,
//! and costs its building and its drop; this one keeps the same tree
//! shape (text merged where scraper merges it, so provenance finds the
//! same text nodes) and nothing else.

use std::borrow::Cow;
use std::cell::{Ref, RefCell};

use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, LocalName, QualName, local_name, ns};

/// A node's place in [`Dom::nodes`].
pub type Id = u32;

/// No node: the end of a sibling chain, a node with no parent.
const NONE: Id = Id::MAX;

/// The attributes the tree keeps, by local name: what the walk reads
/// (chrome by `id`/`class`, cell spans) and the head (`<meta name|property
/// content>`). Others are dropped as the element is made.
pub const KEPT: [&str; 7] = [
    "id", "class", "colspan", "rowspan", "name", "property", "content",
];

fn kept(name: &LocalName) -> bool {
    KEPT.contains(&&**name)
}

#[derive(Debug)]
pub struct Element {
    pub name: QualName,
    /// The [`kept`] attributes by local name (html5ever drops repeats).
    attrs: Vec<(LocalName, StrTendril)>,
}

impl Element {
    /// The element's local name (`table`, `td`, …), namespace aside.
    pub fn name(&self) -> &str {
        &self.name.local
    }

    /// A kept attribute's value, by local name.
    pub fn attr(&self, name: &LocalName) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| &**v)
    }
}

#[derive(Debug)]
pub enum Data {
    Document,
    /// A `<template>`'s contents.
    Fragment,
    Element(Element),
    Text(StrTendril),
    /// Comments, processing instructions, the doctype: nothing to read.
    Other,
}

#[derive(Debug)]
pub struct Node {
    parent: Id,
    first: Id,
    last: Id,
    prev: Id,
    next: Id,
    pub data: Data,
}

/// The tree: node 0 is the document.
#[derive(Debug)]
pub struct Dom {
    nodes: Vec<Node>,
    /// What [`TreeSink::elem_name`] answers for a node that is no element
    /// (html5ever never asks, but an answer costs less than a panic).
    no_name: QualName,
}

fn some(id: Id) -> Option<Id> {
    (id != NONE).then_some(id)
}

impl Dom {
    /// Parse a whole page, as a browser would.
    pub fn parse(src: &str) -> Dom {
        html5ever::parse_document(Sink(RefCell::new(Dom::new())), Default::default()).one(src)
    }

    fn new() -> Dom {
        let mut d = Dom {
            nodes: Vec::new(),
            no_name: QualName::new(None, ns!(), local_name!("")),
        };
        d.add(Data::Document);
        d
    }

    pub fn root(&self) -> Id {
        0
    }

    fn node(&self, id: Id) -> Option<&Node> {
        self.nodes.get(id as usize)
    }

    pub fn data(&self, id: Id) -> &Data {
        self.node(id).map_or(&Data::Other, |n| &n.data)
    }

    pub fn element(&self, id: Id) -> Option<&Element> {
        match self.data(id) {
            Data::Element(e) => Some(e),
            _ => None,
        }
    }

    pub fn first_child(&self, id: Id) -> Option<Id> {
        self.node(id).and_then(|n| some(n.first))
    }

    pub fn next_sibling(&self, id: Id) -> Option<Id> {
        self.node(id).and_then(|n| some(n.next))
    }

    pub fn parent(&self, id: Id) -> Option<Id> {
        self.node(id).and_then(|n| some(n.parent))
    }

    /// The nodes below `id` in document order (`id` itself not included),
    /// without a stack: pages nest deep.
    pub fn descendants(&self, id: Id) -> impl Iterator<Item = Id> + '_ {
        let mut at = Some(id);
        std::iter::from_fn(move || {
            let cur = at?;
            at = self.first_child(cur).or_else(|| {
                let mut n = cur;
                loop {
                    if n == id {
                        return None;
                    }
                    if let Some(s) = self.next_sibling(n) {
                        return Some(s);
                    }
                    n = self.parent(n)?;
                }
            });
            at
        })
    }

    /// The text below `id`, in document order.
    pub fn text(&self, id: Id) -> String {
        let mut out = String::new();
        for n in self.descendants(id) {
            if let Data::Text(t) = self.data(n) {
                out.push_str(t);
            }
        }
        out
    }

    /// Everything the tree holds, one node a line, indented by depth: two
    /// trees are the same when their outlines are.
    #[cfg(test)]
    pub fn outline(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let depth = |mut n: Id| {
            let mut d = 0;
            while let Some(p) = self.parent(n) {
                d += 1;
                n = p;
            }
            d
        };
        for n in self.descendants(self.root()) {
            let _ = write!(out, "{:1$}", "", depth(n));
            let _ = match self.data(n) {
                Data::Element(e) => {
                    let mut a: Vec<(&str, &str)> =
                        e.attrs.iter().map(|(k, v)| (&**k, &**v)).collect();
                    a.sort();
                    writeln!(out, "<{}:{} {a:?}>", e.name.ns, e.name.local)
                }
                Data::Text(t) => writeln!(out, "{:?}", &**t),
                d => writeln!(out, "{d:?}"),
            };
        }
        out
    }

    fn add(&mut self, data: Data) -> Id {
        let id = Id::try_from(self.nodes.len()).unwrap_or(NONE);
        self.nodes.push(Node {
            parent: NONE,
            first: NONE,
            last: NONE,
            prev: NONE,
            next: NONE,
            data,
        });
        id
    }

    fn get(&mut self, id: Id) -> Option<&mut Node> {
        self.nodes.get_mut(id as usize)
    }

    /// Set one link of node `id`, if it is one.
    fn set(&mut self, id: Id, f: impl FnOnce(&mut Node)) {
        if let Some(n) = self.get(id) {
            f(n);
        }
    }

    /// Take `id` out of its parent's children.
    fn detach(&mut self, id: Id) {
        let Some(n) = self.node(id) else { return };
        let (parent, prev, next) = (n.parent, n.prev, n.next);
        if parent == NONE {
            return;
        }
        self.set(id, |n| (n.parent, n.prev, n.next) = (NONE, NONE, NONE));
        self.set(prev, |n| n.next = next);
        self.set(next, |n| n.prev = prev);
        self.set(parent, |p| {
            if p.first == id {
                p.first = next;
            }
            if p.last == id {
                p.last = prev;
            }
        });
    }

    /// Make `child` the last child of `parent`.
    fn append_node(&mut self, parent: Id, child: Id) {
        let Some(last) = self.node(parent).map(|p| p.last) else {
            return;
        };
        if last == child || parent == child {
            return;
        }
        self.detach(child);
        self.set(child, |c| (c.parent, c.prev) = (parent, last));
        self.set(last, |l| l.next = child);
        self.set(parent, |p| {
            if p.first == NONE {
                p.first = child;
            }
            p.last = child;
        });
    }

    /// Put `new` just before `sibling`, under the same parent.
    fn insert_before(&mut self, sibling: Id, new: Id) {
        if sibling == new {
            return;
        }
        self.detach(new);
        let Some(s) = self.node(sibling) else { return };
        let (parent, prev) = (s.parent, s.prev);
        self.set(new, |n| {
            (n.parent, n.prev, n.next) = (parent, prev, sibling)
        });
        self.set(prev, |p| p.next = new);
        self.set(sibling, |s| s.prev = new);
        self.set(parent, |p| {
            if p.first == sibling {
                p.first = new;
            }
        });
    }

    /// Text joins a text node just before it (`at`), else becomes a node
    /// placed by `place`.
    fn add_text(&mut self, at: Id, text: StrTendril, place: impl FnOnce(&mut Dom, Id)) {
        if let Some(Node {
            data: Data::Text(t),
            ..
        }) = self.get(at)
        {
            t.push_tendril(&text);
            return;
        }
        let id = self.add(Data::Text(text));
        place(self, id);
    }

    fn append(&mut self, parent: Id, child: NodeOrText<Id>) {
        match child {
            NodeOrText::AppendNode(id) => self.append_node(parent, id),
            NodeOrText::AppendText(text) => {
                let last = self.node(parent).map_or(NONE, |p| p.last);
                self.add_text(last, text, |d, id| d.append_node(parent, id));
            }
        }
    }

    fn append_before_sibling(&mut self, sibling: Id, new: NodeOrText<Id>) {
        if let NodeOrText::AppendNode(id) = new {
            self.detach(id);
        }
        let Some(s) = self.node(sibling) else { return };
        if s.parent == NONE {
            return;
        }
        let prev = s.prev;
        match new {
            NodeOrText::AppendNode(id) => self.insert_before(sibling, id),
            NodeOrText::AppendText(text) => {
                self.add_text(prev, text, |d, id| d.insert_before(sibling, id));
            }
        }
    }

    /// Move every child of `from` to the end of `to`'s (text not merged
    /// across the seam, as scraper's tree does not).
    fn reparent_children(&mut self, from: Id, to: Id) {
        let Some(f) = self.node(from) else { return };
        let (first, last) = (f.first, f.last);
        if first == NONE || from == to || self.node(to).is_none() {
            return;
        }
        self.set(from, |f| (f.first, f.last) = (NONE, NONE));
        let mut c = first;
        while let Some(n) = self.get(c) {
            n.parent = to;
            c = n.next;
        }
        let old_last = self.node(to).map_or(NONE, |t| t.last);
        self.set(old_last, |l| l.next = first);
        self.set(first, |f| f.prev = old_last);
        self.set(to, |t| {
            if t.first == NONE {
                t.first = first;
            }
            t.last = last;
        });
    }
}

/// The sink html5ever builds into.
struct Sink(RefCell<Dom>);

impl TreeSink for Sink {
    type Handle = Id;
    type Output = Dom;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Dom {
        self.0.into_inner()
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> Id {
        0
    }

    fn elem_name<'a>(&'a self, target: &'a Id) -> Ref<'a, QualName> {
        Ref::map(self.0.borrow(), |d| match d.data(*target) {
            Data::Element(e) => &e.name,
            _ => &d.no_name,
        })
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, _: ElementFlags) -> Id {
        let template = name.local == local_name!("template") && name.ns == ns!(html);
        let attrs = attrs
            .into_iter()
            .filter(|a| kept(&a.name.local))
            .map(|a| (a.name.local, a.value))
            .collect();
        let mut d = self.0.borrow_mut();
        let id = d.add(Data::Element(Element { name, attrs }));
        if template {
            let f = d.add(Data::Fragment);
            d.append_node(id, f);
        }
        id
    }

    fn create_comment(&self, _text: StrTendril) -> Id {
        self.0.borrow_mut().add(Data::Other)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Id {
        self.0.borrow_mut().add(Data::Other)
    }

    fn append(&self, parent: &Id, child: NodeOrText<Id>) {
        self.0.borrow_mut().append(*parent, child);
    }

    fn append_based_on_parent_node(&self, element: &Id, prev: &Id, child: NodeOrText<Id>) {
        let has_parent = self.0.borrow().parent(*element).is_some();
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {
        let mut d = self.0.borrow_mut();
        let id = d.add(Data::Other);
        d.append_node(0, id);
    }

    fn get_template_contents(&self, target: &Id) -> Id {
        self.0.borrow().first_child(*target).unwrap_or(*target)
    }

    fn same_node(&self, x: &Id, y: &Id) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &Id, new: NodeOrText<Id>) {
        self.0.borrow_mut().append_before_sibling(*sibling, new);
    }

    fn add_attrs_if_missing(&self, target: &Id, attrs: Vec<Attribute>) {
        let mut d = self.0.borrow_mut();
        if let Some(Node {
            data: Data::Element(e),
            ..
        }) = d.get(*target)
        {
            for a in attrs.into_iter().filter(|a| kept(&a.name.local)) {
                if !e.attrs.iter().any(|(n, _)| *n == a.name.local) {
                    e.attrs.push((a.name.local, a.value));
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &Id) {
        self.0.borrow_mut().detach(*target);
    }

    fn reparent_children(&self, node: &Id, new_parent: &Id) {
        self.0.borrow_mut().reparent_children(*node, *new_parent);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// scraper's tree in [`Dom::outline`]'s form (only the attributes we
    /// keep), to hold ours to it.
    fn scraper_outline(src: &str) -> String {
        use scraper::Node as N;
        use std::fmt::Write as _;
        let html = scraper::Html::parse_document(src);
        let mut out = String::new();
        for n in html.tree.root().descendants().skip(1) {
            let depth = n.ancestors().count();
            let _ = write!(out, "{:1$}", "", depth);
            let _ = match n.value() {
                N::Element(e) => {
                    let mut a: Vec<(&str, &str)> =
                        e.attrs().filter(|(k, _)| KEPT.contains(k)).collect();
                    a.sort();
                    writeln!(out, "<{}:{} {a:?}>", e.name.ns, e.name.local)
                }
                N::Text(t) => writeln!(out, "{:?}", &*t.text),
                N::Fragment => writeln!(out, "Fragment"),
                _ => writeln!(out, "Other"),
            };
        }
        out
    }

    #[test]
    fn the_tree_is_scrapers() {
        // Misnested formatting (adoption agency), text fostered out of a
        // table, a template, a second <body> adding attributes, comments
        // and a doctype, text merged across a dropped tag.
        let pages = [
            "<!DOCTYPE html><p>1<b>2<i>3</b>4</i>5</p>",
            "<table><tr>x<td>1</td>y</tr><input type=hidden>z</table>",
            "<template><td>1</td></template><body id=a><body class=b><!-- c -->2</b>66",
            "<p><font size=3><font size=3><font size=3><font size=3>x</p><p>y",
            "<table><td colspan=2 rowspan=3 style=x>1<table><td>2</table></table>",
            "<head><meta name=PubDate content='2020'><title>T</title></head>\r\n<svg><p>q",
        ];
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let files = walkdir::WalkDir::new(root)
            .into_iter()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
            .map(|e| {
                crate::decode::decode(&std::fs::read(e.path()).unwrap_or_default())
                    .text
                    .into_owned()
            });
        for src in pages.map(String::from).into_iter().chain(files) {
            assert_eq!(
                Dom::parse(&src).outline(),
                scraper_outline(&src),
                "{src:.200}"
            );
        }
    }
}
