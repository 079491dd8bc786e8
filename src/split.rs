//! Digits run together (`640020470` for 64, 0, 0, 2, 0, 4, 70): every way to
//! split a row's runs into its cells is tried, and the splits that break a
//! rule of the template, or a figure the narrative states, are dropped.
//! Rows that depend on each other (column rules A1/A3) are solved together.
//! One split left: it is used, with an info flag. Several: `null` and a
//! warning listing them. None: `null` and an error.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use crate::arithmetic::{TOLERANCE, balance, row_total, same};
use crate::facts::Fact;
use crate::flags::{Code, Flag};
use crate::mapping::{Pending, PendingRow, TableData};
use crate::template::{ColKey, RowKey, Rule, TableSpec, ValueKind};
use crate::value::{MAX_DIGITS, Num, decimal, figure, push_decimal};

/// Steps of the split enumeration per row; beyond, the row is left to the
/// reader (a pathological run must not stall the batch).
const STEP_BUDGET: usize = 20_000;
/// Combinations of candidate rows tried by the cross-row search.
const SEARCH_BUDGET: usize = 1_000_000;

/// Fill what can be recovered; flags for every pending row.
pub fn recover(tables: &mut [TableData], facts: &[Fact]) -> Vec<Flag> {
    let mut flags = Vec::new();
    for t in tables.iter_mut() {
        let pending = std::mem::take(&mut t.pending);
        if !pending.is_empty() {
            solve(t, pending, facts, &mut flags);
        }
    }
    flags
}

/// The slots of one pending run: which rows (key, columns) it fills.
#[derive(Debug, Clone, Default, PartialEq)]
struct Slots {
    rows: Vec<(RowKey, usize, usize)>, // (row key, block, row index)
    kinds: Vec<ValueKind>,
    /// Column keys, slot by slot.
    columns: Vec<ColKey>,
    /// Row of each slot (index into `rows`).
    owner: Vec<usize>,
    /// The most characters the slots after each slot can hold; `None`
    /// when an amount is among them (its decimals have no bound).
    room: Vec<Option<usize>>,
    /// For the last slot of a row, the row's first slot: filling it
    /// closes the row, and its row totals are judged.
    closes: Vec<Option<usize>>,
    /// For a slot that is a row total after all its parts: the part slots
    /// of each rule that totals it, in rule order.
    forced: Vec<Vec<Vec<usize>>>,
    /// The last slot is a count that totals others of its row: the row's
    /// first slot, and whether its parts are all the row's other counts.
    tail: Option<(usize, bool)>,
}

/// The slots of one table of a template: of the row at `[block][row]`, and
/// of its wide row.
struct TableSlots {
    /// The table, by address (the templates are statics).
    spec: usize,
    rows: Vec<Vec<Slots>>,
    wide: Slots,
}

/// The slots of a pending row. They depend on the template's table and
/// row only, so those of both templates are built once, not four vectors
/// anew for every pending row of every report; a table of no template
/// (none in the crate) gets its own.
fn slots(spec: &'static TableSpec, row: PendingRow) -> Cow<'static, Slots> {
    static ALL: LazyLock<Vec<TableSlots>> = LazyLock::new(|| {
        [&crate::template::T2019, &crate::template::T2021]
            .iter()
            .flat_map(|t| t.tables.iter())
            .map(|spec| TableSlots {
                spec: std::ptr::from_ref(*spec) as usize,
                rows: (spec.blocks.iter().enumerate())
                    .map(|(bi, b)| {
                        let row = |ri| build_slots(spec, Some((bi, ri)));
                        (0..b.rows.len()).map(row).collect()
                    })
                    .collect(),
                wide: build_slots(spec, None),
            })
            .collect()
    });
    // A labelled row is found by key (row keys are unique in a table).
    let own = match row {
        PendingRow::Row { block, key } => match spec.blocks.get(block).and_then(|b| b.row(key)) {
            Some(ri) => Some((block, ri)),
            None => return Cow::Owned(Slots::default()),
        },
        PendingRow::Wide => None,
    };
    let table = ALL
        .iter()
        .find(|t| t.spec == std::ptr::from_ref(spec) as usize);
    let built = table.and_then(|t| match own {
        Some((bi, ri)) => t.rows.get(bi)?.get(ri),
        None => Some(&t.wide),
    });
    match built {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(build_slots(spec, own)),
    }
}

/// The slots of row `ri` of block `bi` (`own`), or of the wide row: every
/// row of the table.
fn build_slots(spec: &TableSpec, own: Option<(usize, usize)>) -> Slots {
    let mut s = Slots::default();
    let mut add = |bi: usize, b: &crate::template::Block, ri: usize| {
        let Some(r) = b.rows.get(ri) else { return };
        s.rows.push((r.key, bi, ri));
        for c in b.columns {
            s.kinds.push(c.kind);
            s.columns.push(c.key);
            s.owner.push(s.rows.len() - 1);
        }
    };
    match own {
        Some((bi, ri)) => {
            if let Some(b) = spec.blocks.get(bi) {
                add(bi, b, ri);
            }
        }
        None => {
            for (bi, b) in spec.blocks.iter().enumerate() {
                (0..b.rows.len()).for_each(|ri| add(bi, b, ri));
            }
        }
    }
    let n = s.kinds.len();
    s.room = vec![Some(0); n];
    for k in (0..n.saturating_sub(1)).rev() {
        s.room[k] = s.room[k + 1].and_then(|r| Some(r + longest(s.kinds[k + 1])?));
    }
    s.closes = (0..n)
        .map(|k| {
            let (start, last) = row_of(&s, k);
            last.then_some(start)
        })
        .collect();
    s.forced = (0..n).map(|k| totals_forced(&s, spec, k)).collect();
    s.tail = tail_of(&s, spec);
    s
}

/// A row's candidate splits, in one buffer (`width` values each) rather
/// than a vector per split: most rows have one, built where it is read.
#[derive(Debug, Default, Clone, PartialEq)]
struct Cands {
    width: usize,
    count: usize,
    vals: Vec<Num>,
}

impl Cands {
    fn new(width: usize) -> Cands {
        Cands {
            width,
            count: 0,
            vals: Vec::new(),
        }
    }

    /// The one split `vals` is.
    fn one(vals: Vec<Num>) -> Cands {
        Cands {
            width: vals.len(),
            count: 1,
            vals,
        }
    }

    fn len(&self) -> usize {
        self.count
    }

    fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Split `i`.
    fn get(&self, i: usize) -> Option<&[Num]> {
        (i < self.count).then(|| &self.vals[i * self.width..(i + 1) * self.width])
    }

    fn iter(&self) -> impl Iterator<Item = &[Num]> {
        (0..self.count).filter_map(|i| self.get(i))
    }

    /// Add a split of `width` values.
    fn push(&mut self, split: &[Num]) {
        self.vals.extend_from_slice(split);
        self.count += 1;
    }

    /// Keep the splits `keep` says, in order.
    fn retain(&mut self, mut keep: impl FnMut(usize, &[Num]) -> bool) {
        let w = self.width;
        let mut kept = 0;
        for i in 0..self.count {
            let at = i * w..(i + 1) * w;
            if keep(i, &self.vals[at.clone()]) {
                self.vals.copy_within(at, kept * w);
                kept += 1;
            }
        }
        self.vals.truncate(kept * w);
        self.count = kept;
    }
}

struct Row {
    pending: Pending,
    slots: Cow<'static, Slots>,
    cands: Cands,
    /// The table's row totals narrowed the candidates (every row of a
    /// table that has one).
    row_totals: bool,
    /// What else narrowed them, for the message (most rows: nothing, and
    /// no vector).
    why: Vec<&'static str>,
}

/// Every pending row of one table: its candidates by the row totals, then
/// the facts, then the column totals across rows; each row's outcome.
fn solve(t: &mut TableData, pending: Vec<Pending>, facts: &[Fact], flags: &mut Vec<Flag>) {
    let spec = t.spec;
    // Sized first, and each row then worked on in place: a row is a few
    // hundred bytes, and moving it cost more than its arithmetic.
    let mut rows: Vec<Row> = Vec::with_capacity(pending.len());
    for p in pending {
        if rows.iter().any(|r| r.pending.row == p.row) {
            continue; // printed twice: the mapper kept the first
        }
        let slots = slots(spec, p.row);
        let Some(cands) = enumerate(&p.runs, &slots, spec) else {
            let runs = p.runs.join(" ");
            let msg = format!("too many ways to split {runs}");
            flags.push(flag(spec, p.row, Code::CELLS_RUN_TOGETHER, msg, runs));
            continue;
        };
        let row_totals = spec
            .rules
            .iter()
            .any(|r| matches!(r, Rule::RowTotal { .. }));
        let mut row = Row {
            pending: p,
            slots,
            cands,
            row_totals,
            why: Vec::new(),
        };
        narrow_by_facts(&mut row, spec, facts);
        rows.push(row);
    }
    cross_rows(t, &mut rows);
    for row in &mut rows {
        outcome(t, row, flags);
    }
}

/// One split left: its values, with an info flag; several: a warning
/// listing them; none: an error.
fn outcome(t: &mut TableData, row: &mut Row, flags: &mut Vec<Flag>) {
    let (spec, p) = (t.spec, row.pending.row);
    // The runs' provenance is kept only where they were read with ranges
    // (see below); otherwise one run, most rows, is moved, not copied.
    let provenance = row.pending.spans.iter().any(Option::is_some);
    let runs = match row.pending.runs.as_mut_slice() {
        [one] if !provenance => std::mem::take(one),
        all => all.join(" "),
    };
    match row.cands.len() {
        0 => {
            let n = row.slots.kinds.len();
            let msg = format!("no split of {runs} into {n} cells fits the rules");
            flags.push(flag(spec, p, Code::CELLS_RUN_TOGETHER, msg, runs));
        }
        1 => {
            // The one split is the whole buffer.
            let vals = std::mem::take(&mut row.cands.vals);
            // A row's slots are consecutive (see [`slots`]).
            let mut at = 0;
            for (i, &(_, bi, ri)) in row.slots.rows.iter().enumerate() {
                let n = row.slots.owner[at..]
                    .iter()
                    .take_while(|&&o| o == i)
                    .count();
                let mine = vals.get(at..at + n).unwrap_or_default();
                at += n;
                if let Some(slot) = t.rows.get_mut(bi).and_then(|b| b.get_mut(ri)) {
                    *slot = Some(mine.iter().copied().map(Some).collect());
                }
            }
            // `{runs} read as {split}: the only split[ that fits {why}]`,
            // written piece by piece (formatting cost more than the search).
            let mut msg = String::with_capacity(2 * runs.len() + 64);
            msg.push_str(&runs);
            msg.push_str(" read as ");
            show_into(&mut msg, &vals);
            msg.push_str(": the only split");
            let totals = row.row_totals.then_some("the row totals");
            for (i, why) in totals.iter().chain(&row.why).enumerate() {
                msg.push_str(if i == 0 { " that fits " } else { " and " });
                msg.push_str(why);
            }
            // The runs, their ranges and the split move to its provenance;
            // runs read without ranges (provenance not asked for) place no
            // value, so they are not kept.
            if provenance {
                let runs_read = std::mem::take(&mut row.pending.runs);
                let spans = std::mem::take(&mut row.pending.spans);
                place_origins(t, &row.slots, (runs_read, spans), vals);
            }
            flags.push(flag(spec, p, Code::SPLIT_RECOVERED, msg, runs));
        }
        n => {
            // `{n} splits of {runs} fit: {four splits}[ and {n - 4} more]`,
            // written piece by piece as above.
            let mut msg = String::with_capacity(5 * runs.len() + 48);
            push_decimal(&mut msg, n as u64);
            msg.push_str(" splits of ");
            msg.push_str(&runs);
            msg.push_str(" fit: ");
            for (i, c) in row.cands.iter().take(4).enumerate() {
                if i > 0 {
                    msg.push_str("; ");
                }
                show_into(&mut msg, c);
            }
            if n > 4 {
                msg.push_str(" and ");
                push_decimal(&mut msg, (n - 4) as u64);
                msg.push_str(" more");
            }
            flags.push(flag(spec, p, Code::SPLIT_AMBIGUOUS, msg, runs));
        }
    }
}

/// A pending row's runs and where each was read.
type Read = (Vec<String>, Vec<Option<crate::provenance::Span>>);

/// Where each value of a recovered row was read: part `k` of the row's
/// runs, spelled out only if provenance is asked for.
fn place_origins(t: &mut TableData, slots: &Slots, read: Read, vals: Vec<Num>) {
    let split = t.splits.len();
    t.splits.push(crate::provenance::SplitRow {
        runs: read.0,
        spans: read.1,
        values: vals,
    });
    t.origins.reserve(slots.owner.len());
    // A row's slots are consecutive: the column restarts with each row.
    let mut column = 0;
    for (part, &o) in slots.owner.iter().enumerate() {
        if part > 0 && slots.owner[part - 1] != o {
            column = 0;
        }
        let Some(&(_, block, ri)) = slots.rows.get(o) else {
            continue;
        };
        t.origins.push(crate::provenance::Placed {
            block,
            row: ri,
            column,
            origin: crate::provenance::Origin::Split { split, part },
        });
        column += 1;
    }
}

/// The flag of a pending row; `runs` is its runs joined by spaces, the
/// evidence.
fn flag(spec: &TableSpec, p: PendingRow, code: Code, msg: String, runs: String) -> Flag {
    let f = Flag::new(code, msg).table(spec.key).evidence(runs);
    match p {
        PendingRow::Wide => f,
        PendingRow::Row { block, key } => f.row(crate::mapping::row_path(spec, block, key)),
    }
}

/// Values as a split is spelled in messages and provenance: `64|0|0|2`.
/// Integers are written by hand: the formatting machinery cost more than
/// the search on short rows.
pub(crate) fn show(vals: &[Num]) -> String {
    let mut out = String::with_capacity(vals.len() * 4);
    show_into(&mut out, vals);
    out
}

/// [`show`], written at the end of `out`.
fn show_into(out: &mut String, vals: &[Num]) {
    use std::fmt::Write as _;
    for (i, n) in vals.iter().enumerate() {
        if i > 0 {
            out.push('|');
        }
        if n.int {
            let v = n.v as i64;
            if v < 0 {
                out.push('-');
            }
            push_decimal(out, v.unsigned_abs());
        } else {
            let _ = write!(out, "{}", n.v);
        }
    }
}

/// Every split of `runs` (in order, each run into one or more consecutive
/// parts) into the slots, keeping only those that satisfy the table's row
/// totals. `None` past the step budget.
fn enumerate(runs: &[String], s: &Slots, spec: &TableSpec) -> Option<Cands> {
    let n = s.kinds.len();
    if runs.len() > n || runs.iter().map(String::len).sum::<usize>() < n {
        return Some(Cands::new(n));
    }
    if s.tail == Some((0, true)) {
        return by_total(runs, n - 1, s);
    }
    let mut w = Walk::new(runs, s, spec, Tail::new(runs, s));
    let ok = w.walk(0, 0, &mut Vec::with_capacity(n));
    ok.then_some(w.out)
}

/// A row whose last cell totals all the others (section 三): for each
/// length the total may have (a suffix of the last run), split the rest into
/// parts that add up to exactly that total. A fixed target bounds every
/// branch from both sides, where the general walk can only bound by the
/// largest total any length would give. The total's lengths are read
/// only when a digit each does not settle the row (most rows do).
fn by_total(runs: &[String], parts: usize, s: &Slots) -> Option<Cands> {
    match digit_each(runs, parts) {
        Some(only) => Some(only),
        None => search_total(runs, parts, &Tail::new(runs, s)?),
    }
}

/// [`by_total`] when the runs are as many digits as the row has cells
/// (most rows of a table printed without spaces): each cell is one digit,
/// the only split there is, and it fits when the last digit is the sum of
/// the others. `None` when the runs are not that.
fn digit_each(runs: &[String], parts: usize) -> Option<Cands> {
    let chars: usize = runs.iter().map(String::len).sum();
    if chars != parts + 1 {
        return None;
    }
    // Read in one pass, run by run, into a vector sized once.
    let mut split: Vec<Num> = Vec::with_capacity(chars);
    for r in runs {
        for b in r.bytes() {
            if !b.is_ascii_digit() {
                return None;
            }
            split.push(Num {
                v: f64::from(b - b'0'),
                int: true,
            });
        }
    }
    let sum: f64 = split[..parts].iter().map(|n| n.v).sum();
    Some(if same(sum, split[parts].v) {
        Cands::one(split)
    } else {
        Cands::new(chars)
    })
}

/// [`by_total`]'s search over the lengths of the total.
fn search_total(runs: &[String], parts: usize, tail: &Tail) -> Option<Cands> {
    let last = runs.last()?;
    let mut out = Cands::new(parts + 1);
    let mut steps = 0usize;
    // The runs before the last, then what the total leaves of the last.
    let mut rest: Vec<&str> = Vec::with_capacity(runs.len());
    rest.extend(runs[..runs.len() - 1].iter().map(String::as_str));
    let before = rest.len();
    let mut cur = Vec::with_capacity(parts + 1);
    for (i, t) in tail.values.iter().enumerate() {
        let Some(t) = *t else { continue };
        let head = &last[..last.len() - (i + 1)];
        rest.truncate(before);
        if !head.is_empty() {
            rest.push(head);
        }
        // Counts have at most MAX_DIGITS digits, and none exceeds the total.
        let chars: usize = rest.iter().map(|r| r.len()).sum();
        if rest.is_empty() || chars > parts * (i + 1).min(MAX_DIGITS) {
            continue;
        }
        let mut goal = Goal {
            runs: &rest,
            parts,
            target: t,
            out: &mut out,
            steps: &mut steps,
        };
        // The walk leaves `cur` as it found it (empty).
        if !goal.split(0, 0, 0.0, &mut cur) {
            return None;
        }
    }
    Some(out)
}

/// `parts` counts cut from `runs` adding up to `target`.
struct Goal<'a> {
    runs: &'a [&'a str],
    parts: usize,
    target: f64,
    out: &'a mut Cands,
    steps: &'a mut usize,
}

impl Goal<'_> {
    fn split(&mut self, run: usize, pos: usize, sum: f64, cur: &mut Vec<Num>) -> bool {
        let runs = self.runs;
        *self.steps += 1;
        if *self.steps > STEP_BUDGET {
            return false;
        }
        if cur.len() == self.parts {
            if run == runs.len() && same(sum, self.target) {
                cur.push(Num {
                    v: self.target,
                    int: true,
                });
                self.out.push(cur);
                cur.pop();
            }
            return true;
        }
        let Some(text) = runs.get(run) else {
            return true;
        };
        let later: usize = runs[run + 1..].iter().map(|r| r.len()).sum();
        let runs_left = runs.len() - run - 1;
        let slots_after = self.parts - cur.len() - 1;
        // Each part after this one needs a character: a longer cut could
        // only end in no split.
        let longest = text
            .len()
            .min((text.len() + later).saturating_sub(slots_after));
        for end in pos + 1..=longest {
            let last_of_run = end == text.len();
            if slots_after < runs_left || (!last_of_run && slots_after == runs_left) {
                continue;
            }
            // A leading zero spoils every longer part too.
            let Some(num) = figure(&text[pos..end], ValueKind::Count) else {
                if end > pos + 1 {
                    break;
                }
                continue;
            };
            let s = sum + num.v;
            if s > self.target + TOLERANCE {
                break; // longer parts only grow
            }
            let left = text.len() - end + later;
            if s + most_added(left, slots_after) < self.target - TOLERANCE {
                continue;
            }
            cur.push(num);
            let (nr, np) = if last_of_run {
                (run + 1, 0)
            } else {
                (run, end)
            };
            let ok = self.split(nr, np, s, cur);
            cur.pop();
            if !ok {
                return false;
            }
        }
        true
    }
}

/// When the last slot is a row total (section 三's 总计), it is a suffix of
/// the last run, so it can only be one of at most fifteen numbers: the
/// parts before it may not add up to more than the largest of those that
/// leaves them room. This bound is what keeps 20-digit rows fast.
struct Tail {
    /// First slot of the last row.
    start: usize,
    /// `values[l - 1]`: the last run's final `l` characters as a count.
    values: Vec<Option<f64>>,
}

/// [`Slots::tail`]: the first slot of the last row and whether the
/// total's parts are all the other counts of its row, when the last slot is
/// a count that a row total totals.
fn tail_of(s: &Slots, spec: &TableSpec) -> Option<(usize, bool)> {
    let last = s.kinds.len().checked_sub(1)?;
    let owner = s.owner[last];
    let start = s.owner.iter().position(|o| *o == owner)?;
    let col = s.columns[last];
    let parts = spec.rules.iter().find_map(|r| match r {
        Rule::RowTotal { total, parts, .. } if *total == col => Some(*parts),
        _ => None,
    })?;
    if !matches!(s.kinds[last], ValueKind::Count) {
        return None;
    }
    let row = start..last;
    let whole_row = parts.len() == row.len()
        && row
            .clone()
            .all(|i| parts.contains(&s.columns[i]) && matches!(s.kinds[i], ValueKind::Count));
    Some((start, whole_row))
}

impl Tail {
    fn new(runs: &[String], s: &Slots) -> Option<Tail> {
        let (start, _) = s.tail?;
        Some(Tail {
            start,
            values: suffix_counts(runs.last()?),
        })
    }

    /// Whether parts summing to `sum` can still be completed when `left`
    /// characters remain for `parts_left` more parts and the total: some
    /// total length `l` leaves a total `t` with `sum ≤ t` and
    /// `t ≤ sum + the most the remaining parts could add`.
    fn feasible(&self, sum: f64, left: usize, parts_left: usize) -> bool {
        let longest = left.saturating_sub(parts_left);
        // A total has one character at least, even when no text is left.
        let shortest = if parts_left == 0 { left.max(1) } else { 1 };
        (shortest..=longest.min(self.values.len())).any(|l| {
            let Some(t) = self.values.get(l - 1).copied().flatten() else {
                return false;
            };
            // The remaining parts share the `left - l` characters.
            sum <= t && t <= sum + most_added(left.saturating_sub(l), parts_left)
        })
    }
}

/// `values` of [`Tail`]: each suffix of `run` up to [`MAX_DIGITS`] long read
/// as a count. When those characters are all digits, read right to left in
/// one pass: each suffix is the one before with a digit in front, and only
/// its own leading zero spoils it (reading each suffix anew was a fifth of a
/// short row's search).
fn suffix_counts(run: &str) -> Vec<Option<f64>> {
    let n = run.len().min(MAX_DIGITS);
    let last = &run.as_bytes()[run.len() - n..];
    if !last.iter().all(u8::is_ascii_digit) {
        return (1..=n)
            .map(|l| figure(&run[run.len() - l..], ValueKind::Count).map(|n| n.v))
            .collect();
    }
    let (mut v, mut scale) = (0u64, 1u64);
    let read = |(i, &b): (usize, &u8)| {
        let d = u64::from(b - b'0');
        v += d * scale;
        scale *= 10;
        (i == 0 || d != 0).then_some(v as f64)
    };
    last.iter().rev().enumerate().map(read).collect()
}

/// The most `parts` counts can add up to when they share `chars`
/// characters, one at least each: one number of all the rest, and nines.
fn most_added(chars: usize, parts: usize) -> f64 {
    match parts {
        0 => 0.0,
        p => 10f64.powi(chars.saturating_sub(p - 1) as i32) - 1.0 + 9.0 * (p - 1) as f64,
    }
}

/// The longest text a cell of `kind` can be read from ([`figure`]): a
/// count has at most [`MAX_DIGITS`] digits, one more with a sign; an
/// amount's decimals can be any length.
fn longest(kind: ValueKind) -> Option<usize> {
    match kind {
        ValueKind::Count => Some(MAX_DIGITS),
        ValueKind::Signed => Some(MAX_DIGITS + 1),
        ValueKind::Amount { .. } => None,
    }
}

/// The general search: every split of the runs into the slots, depth first,
/// pruned by the row totals and by what the characters left can still fill.
/// What each step asks of the slots and rules (which slots a row total
/// reads, how many characters the slots after a slot can hold) is worked
/// out with the slots, by slot index ([`Slots::room`], [`Slots::closes`],
/// [`Slots::forced`]).
struct Walk<'a> {
    runs: &'a [String],
    s: &'a Slots,
    tail: Option<Tail>,
    out: Cands,
    steps: usize,
    /// Characters of the runs after each run.
    later: Vec<usize>,
    spec: &'a TableSpec,
}

impl<'a> Walk<'a> {
    fn new(runs: &'a [String], s: &'a Slots, spec: &'a TableSpec, tail: Option<Tail>) -> Walk<'a> {
        let mut later = vec![0; runs.len()];
        for r in (0..runs.len().saturating_sub(1)).rev() {
            later[r] = later[r + 1] + runs[r + 1].len();
        }
        Walk {
            runs,
            s,
            spec,
            tail,
            out: Cands::new(s.kinds.len()),
            steps: 0,
            later,
        }
    }

    /// Fill the slots from `cur.len()` on with `runs[run][pos..]` and the
    /// runs after it; `false` past the step budget.
    fn walk(&mut self, run: usize, pos: usize, cur: &mut Vec<Num>) -> bool {
        let (runs, s) = (self.runs, self.s);
        self.steps += 1;
        if self.steps > STEP_BUDGET {
            return false;
        }
        let slot = cur.len();
        if run == runs.len() {
            if slot == s.kinds.len() {
                self.out.push(cur);
            }
            return true;
        }
        if slot == s.kinds.len() {
            return true;
        }
        let text = &runs[run];
        // A row total after its parts can only be their sum: one branch, not
        // fifteen (this is what keeps 20-digit rows fast).
        let mut digits = [0u8; 20];
        let forced = self.forced_total(cur, &mut digits);
        let later = self.later[run];
        for end in self.ends(run, pos, slot, forced.map(<[u8]>::len)) {
            if !text.is_char_boundary(end)
                || forced.is_some_and(|want| &text.as_bytes()[pos..end] != want)
            {
                continue;
            }
            if !self.runs_fit(run, slot, end == text.len()) {
                continue;
            }
            let left = text.len() - end + later;
            let Some(num) = figure(&text[pos..end], s.kinds[slot]) else {
                continue;
            };
            cur.push(num);
            if self.bounded(cur, left) && self.row_rules_hold(cur) {
                let (nr, np) = if end == text.len() {
                    (run + 1, 0)
                } else {
                    (run, end)
                };
                if !self.walk(nr, np, cur) {
                    cur.pop();
                    return false;
                }
            }
            cur.pop();
        }
        true
    }

    /// The ends worth trying for the cut that fills `slot` from
    /// `runs[run][pos..]`. The cuts that leave the slots after it more than
    /// they can hold, or that are longer than the slot's kind can read, or
    /// (a forced total of `forced` digits) of another length, would be
    /// refused one by one; those that leave fewer characters than slots
    /// (each needs one) would be followed to no split. Neither is visited,
    /// so the splits found, and their order, are those of the full walk.
    fn ends(&self, run: usize, pos: usize, slot: usize, forced: Option<usize>) -> Range<usize> {
        let len = self.runs[run].len();
        let chars = len + self.later[run];
        let mut lo = pos + 1;
        if let Some(r) = self.s.room[slot] {
            lo = lo.max(chars.saturating_sub(r));
        }
        let slots_after = self.s.kinds.len() - slot - 1;
        let mut hi = len.min(chars.saturating_sub(slots_after));
        if let Some(m) = longest(self.s.kinds[slot]) {
            hi = hi.min(pos + m);
        }
        if let Some(f) = forced {
            lo = lo.max(pos + f);
            hi = hi.min(pos + f);
        }
        lo..hi + 1
    }

    /// Whether the runs after a cut ending slot `slot` (the end of its run
    /// or not) can each have a slot of their own. (That the characters
    /// left fit the slots after it, [`Walk::ends`] already holds.)
    fn runs_fit(&self, run: usize, slot: usize, last_of_run: bool) -> bool {
        let runs_left = self.runs.len() - run - 1;
        let slots_after = self.s.kinds.len() - slot - 1;
        slots_after >= runs_left && (last_of_run || slots_after != runs_left)
    }

    /// The parts of the last row's total assigned so far can still be
    /// completed ([`Tail::feasible`]) with `left` characters.
    fn bounded(&self, cur: &[Num], left: usize) -> bool {
        let slot = cur.len() - 1;
        let total_slot = self.s.kinds.len() - 1;
        self.tail.as_ref().is_none_or(|t| {
            slot < t.start
                || slot >= total_slot
                || t.feasible(
                    cur[t.start..].iter().map(|n| n.v).sum(),
                    left,
                    total_slot - slot - 1,
                )
        })
    }

    /// The digits the next slot must hold when it is a row total whose
    /// parts are all assigned (the first rule whose parts sum to a whole
    /// number), written into `buf`.
    fn forced_total<'b>(&self, cur: &[Num], buf: &'b mut [u8; 20]) -> Option<&'b [u8]> {
        let sum = self.s.forced[cur.len()]
            .iter()
            .map(|parts| parts.iter().map(|&i| cur[i].v).sum::<f64>())
            .find(|sum| sum.fract() == 0.0 && *sum >= 0.0)?;
        Some(decimal((sum as i64).unsigned_abs(), buf).as_bytes())
    }

    /// Row totals whose columns are all assigned so far hold (judged when
    /// the last slot of a row has just been filled).
    fn row_rules_hold(&self, cur: &[Num]) -> bool {
        let Some(start) = self.s.closes[cur.len() - 1] else {
            return true;
        };
        let get = |col: ColKey| slot_of(self.s, start, cur.len(), col).map(|i| cur[i].v);
        self.spec.rules.iter().all(|r| match r {
            Rule::RowTotal { .. } => row_total(r, get).is_none_or(|b| b.blanks() > 0 || b.holds()),
            Rule::ColumnBalance { .. } => true,
        })
    }
}

/// The first slot of the row `slot` belongs to, and whether `slot` is
/// its last.
fn row_of(s: &Slots, slot: usize) -> (usize, bool) {
    let owner = s.owner[slot];
    let start = s.owner.iter().position(|o| *o == owner).unwrap_or(slot);
    (start, s.owner.get(slot + 1) != Some(&owner))
}

/// The slot among `start..end` that holds column `col`.
fn slot_of(s: &Slots, start: usize, end: usize, col: ColKey) -> Option<usize> {
    (start..end).find(|&i| s.columns[i] == col)
}

/// For slot `k`, the last of its row: the part slots of each row total
/// whose total is `k`'s column and whose parts all come before it.
fn totals_forced(s: &Slots, spec: &TableSpec, k: usize) -> Vec<Vec<usize>> {
    let (start, last) = row_of(s, k);
    if !last {
        return Vec::new();
    }
    spec.rules
        .iter()
        .filter_map(|r| match r {
            Rule::RowTotal { total, parts, .. } if *total == s.columns[k] => parts
                .iter()
                .map(|&p| slot_of(s, start, k, p))
                .collect::<Option<Vec<_>>>(),
            _ => None,
        })
        .collect()
}

/// Keep the candidates that agree with a narrative figure about this row,
/// when some do (a narrative may be wrong; the arithmetic may not).
fn narrow_by_facts(row: &mut Row, spec: &TableSpec, facts: &[Fact]) {
    for f in facts {
        let idx: Option<Vec<usize>> = f
            .target
            .iter()
            .map(|&(table, key, col)| {
                if table != spec.key {
                    return None;
                }
                let owner = row.slots.rows.iter().position(|r| r.0 == key)?;
                (0..row.slots.columns.len())
                    .find(|&i| row.slots.owner[i] == owner && row.slots.columns[i] == col)
            })
            .collect();
        let Some(idx) = idx.filter(|i| !i.is_empty()) else {
            continue;
        };
        let agrees = |c: &[Num]| f.agrees_with(idx.iter().map(|&i| c[i].v).sum());
        let fits = row.cands.iter().filter(|c| agrees(c)).count();
        if fits > 0 && fits < row.cands.len() {
            row.cands.retain(|_, c| agrees(c));
            row.why.push("the narrative");
        }
    }
}

/// A row a column rule reads: a known (not pending) row's values, or which
/// pending row it is.
enum Src<'a> {
    Known(&'a [Option<Num>]),
    Pending(usize),
}

/// The two sides of a column rule, row by row.
type Sides<'a> = (Vec<Src<'a>>, Vec<Src<'a>>);

/// Column rules (A1, A3) across rows: search the combinations of the
/// candidate rows that take part, keep each row's candidates that appear in
/// some combination where every rule holds in every column.
fn cross_rows(t: &TableData, rows: &mut [Row]) {
    if t.spec.blocks.len() != 1 {
        return;
    }
    let width = t.spec.blocks[0].columns.len();
    let usable = usable_rules(t, rows);
    let vars: Vec<usize> = (0..rows.len())
        .filter(|&i| rows[i].cands.len() > 1)
        .filter(|&i| {
            usable.iter().any(|(l, r)| {
                l.iter()
                    .chain(r)
                    .any(|s| matches!(s, Src::Pending(j) if *j == i))
            })
        })
        .collect();
    if vars.is_empty() {
        return;
    }
    let combos = vars
        .iter()
        .try_fold(1usize, |acc, &i| acc.checked_mul(rows[i].cands.len()));
    if combos.is_none_or(|c| c > SEARCH_BUDGET) {
        return;
    }
    let seen = solutions(&usable, rows, &vars, width);
    // Keep the candidates that were part of a solution, if any was found.
    if !vars.iter().any(|&i| seen[i].iter().any(|s| *s)) {
        return;
    }
    for &i in &vars {
        if seen[i].iter().any(|s| !*s) {
            rows[i].cands.retain(|c, _| seen[i][c]);
            rows[i].why.push("the column totals");
        }
    }
}

/// The column rules whose every row is known in full, or pending with
/// candidates.
fn usable_rules<'a>(t: &'a TableData, rows: &[Row]) -> Vec<Sides<'a>> {
    // The first pending row of each key, looked up by the key's index
    // (a rule names up to a score of rows, a table has ~30 pending).
    let mut pending = [None; RowKey::ALL.len()];
    for (i, r) in rows.iter().enumerate().rev() {
        if let PendingRow::Row { key, .. } = r.pending.row {
            pending[key as usize] = Some(i);
        }
    }
    let src = |key: RowKey| -> Option<Src<'a>> {
        if let Some(i) = pending[key as usize] {
            return Some(Src::Pending(i));
        }
        t.row(key).map(|v| Src::Known(v.as_slice()))
    };
    let usable = |v: &Src| match v {
        Src::Known(vals) => vals.iter().all(Option::is_some),
        Src::Pending(i) => !rows[*i].cands.is_empty(),
    };
    t.spec
        .rules
        .iter()
        .filter_map(|rule| match rule {
            Rule::ColumnBalance { lhs, rhs, .. } => {
                let l: Vec<Src> = lhs.iter().map(|&k| src(k)).collect::<Option<_>>()?;
                let r: Vec<Src> = rhs.iter().map(|&k| src(k)).collect::<Option<_>>()?;
                (l.iter().all(usable) && r.iter().all(usable)).then_some((l, r))
            }
            Rule::RowTotal { .. } => None,
        })
        .collect()
}

/// Every combination of the variable rows' candidates: which candidates of
/// each row take part in one where every rule holds. Depth first over the
/// variable rows in order; a rule is judged as soon as the last variable
/// row it reads is chosen, so a branch that breaks it is not followed
/// (the combinations found are exactly those where every rule holds).
fn solutions(usable: &[Sides], rows: &[Row], vars: &[usize], width: usize) -> Vec<Vec<bool>> {
    // The depth at which each rule can be judged: after its last variable
    // row (0 for a rule over fixed rows only, judged before any choice).
    let depth_of = |(l, r): &Sides| {
        l.iter()
            .chain(r)
            .filter_map(|s| match s {
                Src::Pending(i) => vars.iter().position(|v| v == i).map(|d| d + 1),
                Src::Known(_) => None,
            })
            .max()
            .unwrap_or(0)
    };
    let mut at_depth: Vec<Vec<&Sides>> = vec![Vec::new(); vars.len() + 1];
    for rule in usable {
        at_depth[depth_of(rule)].push(rule);
    }
    let mut search = Combos {
        rows,
        vars,
        width,
        at_depth,
        choice: vec![0; rows.len()],
        seen: rows.iter().map(|r| vec![false; r.cands.len()]).collect(),
    };
    if search.holds(0) {
        search.choose(0);
    }
    search.seen
}

/// The state of [`solutions`]' search.
struct Combos<'a, 'r> {
    rows: &'a [Row],
    vars: &'a [usize],
    width: usize,
    /// The rules judged once the first `d` variable rows are chosen.
    at_depth: Vec<Vec<&'a Sides<'r>>>,
    choice: Vec<usize>,
    seen: Vec<Vec<bool>>,
}

impl Combos<'_, '_> {
    /// Choose the variable row at `depth` and those after it.
    fn choose(&mut self, depth: usize) {
        let Some(&i) = self.vars.get(depth) else {
            for (i, &c) in self.choice.iter().enumerate() {
                if let Some(s) = self.seen[i].get_mut(c) {
                    *s = true;
                }
            }
            return;
        };
        for c in 0..self.rows[i].cands.len() {
            self.choice[i] = c;
            if self.holds(depth + 1) {
                self.choose(depth + 1);
            }
        }
        self.choice[i] = 0;
    }

    /// The rules judged at `depth` hold in every column.
    fn holds(&self, depth: usize) -> bool {
        let value = |s: &Src, c: usize| -> f64 {
            match s {
                Src::Known(v) => v.get(c).copied().flatten().map_or(0.0, |n| n.v),
                Src::Pending(i) => self.rows[*i]
                    .cands
                    .get(self.choice[*i])
                    .and_then(|x| x.get(c))
                    .map_or(0.0, |n| n.v),
            }
        };
        self.at_depth[depth].iter().all(|(l, r)| {
            (0..self.width).all(|c| {
                let cell = |s| Some(value(s, c));
                balance(l.iter().map(cell), r.iter().map(cell)).is_none_or(|b| b.holds())
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::text::blocks;
    use crate::stream::tokens;
    use crate::template::{T2019, T2021};

    fn read(text: &str, tpl: &'static crate::template::Template) -> (Vec<TableData>, Vec<Flag>) {
        let blocks = blocks(text);
        let stream = tokens(&blocks);
        let (mut t, _) = crate::mapping::map(&stream, tpl);
        let facts = crate::facts::extract(&stream.text, Some(tpl));
        let flags = recover(&mut t, &facts);
        (t, flags)
    }

    fn ints(v: Option<&Vec<Option<Num>>>) -> Vec<Option<i64>> {
        v.map(|r| r.iter().map(|n| n.map(|n| n.v as i64)).collect())
            .unwrap_or_default()
    }

    /// The suffixes read in one pass are those `figure` reads one by one:
    /// leading zeros, every length up to and past [`MAX_DIGITS`], and runs
    /// with a sign or a point, which take the general reading.
    #[test]
    fn suffix_counts_are_the_suffixes_read() {
        let mut runs: Vec<String> = ["0", "00", "10", "100", "1.5", "12-3", "-7", "9.05"]
            .map(String::from)
            .to_vec();
        for len in 1..=20 {
            for seed in 0..40u64 {
                let digit = |i: u64| char::from(b'0' + ((seed * 7 + i * i * 3 + i) % 10) as u8);
                runs.push((0..len).map(digit).collect());
            }
        }
        for run in &runs {
            let want: Vec<Option<f64>> = (1..=run.len().min(MAX_DIGITS))
                .map(|l| figure(&run[run.len() - l..], ValueKind::Count).map(|n| n.v))
                .collect();
            assert_eq!(suffix_counts(run), want, "{run}");
        }
    }

    /// Runs of as many digits as cells are split as the search over the
    /// total's lengths splits them (runs one short, or one or two longer,
    /// are left to it), whether their digits total or not.
    #[test]
    fn a_digit_each_is_the_search_total() {
        let (mut fast, mut fits) = (0, 0);
        for parts in 1..=7 {
            for len in parts..=parts + 3 {
                for seed in 0..300u64 {
                    let digit = |i: u64| b'0' + ((seed * 31 + i * i * 7 + i * seed) % 10) as u8;
                    let mut text: Vec<u8> = (0..len as u64).map(digit).collect();
                    // Every tenth row made to total: the last digit the
                    // sum of the others, when one digit holds it.
                    let sum: u32 = text[..len - 1].iter().map(|b| u32::from(b - b'0')).sum();
                    if seed % 10 == 0 && sum < 10 {
                        text[len - 1] = b'0' + sum as u8;
                    }
                    let text = String::from_utf8(text).unwrap();
                    // One run, or cut in two where the seed says.
                    let cut = (seed as usize % len).max(1);
                    let runs: Vec<String> = if seed % 3 == 0 {
                        vec![text[..cut].to_string(), text[cut..].to_string()]
                    } else {
                        vec![text.clone()]
                    };
                    let runs: Vec<String> = runs.into_iter().filter(|r| !r.is_empty()).collect();
                    let tail = Tail {
                        start: 0,
                        values: suffix_counts(runs.last().unwrap()),
                    };
                    if let Some(only) = digit_each(&runs, parts) {
                        fits += only.len();
                        assert_eq!(Some(only), search_total(&runs, parts, &tail), "{runs:?}");
                        fast += 1;
                    }
                }
            }
        }
        assert!(fast > 1000 && fits > 100, "{fast} rows, {fits} that total");
    }

    /// The slots of every row of both templates, and of each table's wide
    /// row, come from the table built once, and are those built anew.
    #[test]
    fn slots_built_once_are_those_built_anew() {
        let mut seen = 0;
        for spec in T2019.tables.into_iter().chain(T2021.tables) {
            for (bi, b) in spec.blocks.iter().enumerate() {
                for (ri, r) in b.rows.iter().enumerate() {
                    let row = PendingRow::Row {
                        block: bi,
                        key: r.key,
                    };
                    let got = slots(spec, row);
                    assert!(matches!(got, Cow::Borrowed(_)), "{:?}", r.key);
                    assert_eq!(*got, build_slots(spec, Some((bi, ri))), "{:?}", r.key);
                    seen += 1;
                }
            }
            let wide = slots(spec, PendingRow::Wide);
            assert!(matches!(wide, Cow::Borrowed(_)));
            assert_eq!(*wide, build_slots(spec, None));
        }
        assert!(seen > 50, "{seen}");
    }

    /// [`enumerate`] searches by the total ([`by_total`]) only a row whose
    /// last count totals all the counts before it ([`Slots::tail`]): on
    /// every row of both templates with a row total, and on each wide row
    /// (whose last row's total leaves the rows above it out), it finds what
    /// the general walk finds.
    #[test]
    fn the_search_by_the_total_is_the_walk() {
        let (mut wide, mut splits) = (0, 0);
        for spec in T2019.tables.into_iter().chain(T2021.tables) {
            let labelled = (spec.blocks.iter().enumerate()).flat_map(|(block, b)| {
                b.rows
                    .iter()
                    .map(move |r| PendingRow::Row { block, key: r.key })
            });
            for row in labelled.chain([PendingRow::Wide]) {
                let s = slots(spec, row);
                let Some((start, _)) = s.tail else { continue };
                wide += usize::from(start > 0);
                let n = s.kinds.len();
                for seed in 0..200u64 {
                    let digit = |i: u64| b'0' + ((seed * 31 + i * i * 7 + i * seed) % 10) as u8;
                    let len = n + seed as usize % 3;
                    let mut text: Vec<u8> = (0..len as u64).map(digit).collect();
                    // Every other row made to total where one digit holds it.
                    let sum: u32 = text[start..n - 1].iter().map(|b| u32::from(b - b'0')).sum();
                    if seed % 2 == 0 && len == n && sum < 10 {
                        text[n - 1] = b'0' + sum as u8;
                    }
                    let runs = vec![String::from_utf8(text).unwrap()];
                    let mut w = Walk::new(&runs, &s, spec, Tail::new(&runs, &s));
                    let walked = w.walk(0, 0, &mut Vec::new()).then_some(w.out);
                    let got = enumerate(&runs, &s, spec);
                    splits += got.as_ref().map_or(0, Cands::len);
                    assert_eq!(got, walked, "{row:?} {runs:?}");
                }
            }
        }
        assert!(wide > 0 && splits > 50, "{wide} wide rows, {splits} splits");
    }

    /// A split is spelled as `format!` writes its values.
    #[test]
    fn show_writes_values_as_format_does() {
        let mut vals: Vec<Num> = (-120i64..=120)
            .chain([999, 1000, 123_456_789_012_345, -123_456_789_012_345])
            .map(|v| Num {
                v: v as f64,
                int: true,
            })
            .collect();
        vals.extend([0.5, -2.25, 1e21].map(|v| Num { v, int: false }));
        let want: Vec<String> = vals
            .iter()
            .map(|n| {
                if n.int {
                    format!("{}", n.v as i64)
                } else {
                    format!("{}", n.v)
                }
            })
            .collect();
        assert_eq!(show(&vals), want.join("|"));
    }

    /// A recovered row read with ranges (provenance asked for) keeps its
    /// runs, as read, and its ranges for its values' origins; one read
    /// without them keeps nothing (it could place no value) and its run
    /// moves to the flag.
    #[test]
    fn a_row_keeps_its_runs_only_with_their_ranges() {
        let span = crate::provenance::Span { start: 3, end: 12 };
        for located in [true, false] {
            let (mut t, _) = read("一、本年新收政府信息公开申请数量", &T2021);
            t[1].pending = vec![Pending {
                row: PendingRow::Row {
                    block: 0,
                    key: RowKey::NewReceived,
                },
                runs: vec!["640020470".to_string()],
                spans: vec![located.then_some(span)],
            }];
            let flags = recover(&mut t, &[]);
            assert_eq!(
                ints(t[1].row(RowKey::NewReceived)),
                [64, 0, 0, 2, 0, 4, 70].map(Some)
            );
            assert_eq!(flags[0].evidence.as_deref(), Some("640020470"));
            if located {
                assert_eq!(t[1].splits.len(), 1);
                assert_eq!(t[1].splits[0].runs, ["640020470"]);
                assert_eq!(t[1].splits[0].spans, [Some(span)]);
                assert_eq!(t[1].origins.len(), 7);
            } else {
                assert!(t[1].splits.is_empty() && t[1].origins.is_empty());
            }
        }
    }

    #[test]
    fn a_row_total_leaves_one_split() {
        let (t, flags) = read("一、本年新收政府信息公开申请数量640020470", &T2021);
        assert_eq!(
            ints(t[1].row(RowKey::NewReceived)),
            [64, 0, 0, 2, 0, 4, 70].map(Some)
        );
        assert!(flags.iter().any(|f| f.code == Code::SPLIT_RECOVERED));
    }

    #[test]
    fn without_a_rule_several_splits_stay_null() {
        let (t, flags) = read("规章000行政规范性文件693665", &T2021);
        assert_eq!(ints(t[0].row(RowKey::Rules)), [0, 0, 0].map(Some));
        assert_eq!(ints(t[0].row(RowKey::Normative)), [None; 3]);
        let f = flags
            .iter()
            .find(|f| f.code == Code::SPLIT_AMBIGUOUS)
            .expect("ambiguous");
        assert!(f.message.starts_with("10 splits"), "{}", f.message);
    }

    #[test]
    fn the_narrative_decides() {
        let text = "本年度制发的规范性文件88件，现行有效行政规范性文件698件。\n规章000行政规范性文件8855698";
        let (t, _) = read(text, &T2021);
        assert_eq!(ints(t[0].row(RowKey::Normative)), [88, 55, 698].map(Some));
    }

    #[test]
    fn a_minus_sign_starts_a_signed_cell() {
        let (t, _) = read("第二十条第（八）项 行政事业性收费35-15", &T2019);
        assert_eq!(ints(t[0].row(RowKey::Fees)), [Some(35), Some(-15)]);
    }

    #[test]
    fn the_wide_row_splits_by_group_totals() {
        let text = "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计10203120001200000";
        let (t, _) = read(text, &T2021);
        assert_eq!(ints(t[2].row(RowKey::Review)), [1, 0, 2, 0, 3].map(Some));
        assert_eq!(
            ints(t[2].row(RowKey::LawsuitDirect)),
            [12, 0, 0, 0, 12].map(Some)
        );
    }

    /// The walk leaves out cuts that leave fewer characters than cells,
    /// so its step budget is spent on splits that can end: this row (35
    /// digits into 15 cells) ran out of steps before that, read as "too many
    /// ways" with every cell null.
    #[test]
    fn a_long_wide_row_is_read_within_the_budget() {
        let text = "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计58831052248489517406518310489251272";
        let (t, flags) = read(text, &T2021);
        assert_eq!(
            ints(t[2].row(RowKey::Review)),
            [58, 83, 105, 2, 248].map(Some)
        );
        assert_eq!(
            ints(t[2].row(RowKey::LawsuitDirect)),
            [4, 895, 17406, 5, 18310].map(Some)
        );
        assert!(flags.iter().any(|f| f.code == Code::SPLIT_RECOVERED));
    }

    #[test]
    fn a_pathological_run_is_bounded() {
        // 100 digits into 7 cells of at most 15: millions of compositions.
        let text = format!(
            "一、本年新收政府信息公开申请数量{}",
            "1234567890".repeat(10)
        );
        let (t, flags) = read(&text, &T2021);
        assert_eq!(ints(t[1].row(RowKey::NewReceived)), [None; 7]);
        assert!(flags.iter().any(|f| f.code == Code::CELLS_RUN_TOGETHER));
    }
}
