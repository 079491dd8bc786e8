//! Generated series: one agency's consecutive years, written so that every
//! continuity rule of `gongkai series` holds (this year's 上年结转 is last
//! year's 结转下年度, documents in force follow from last year's), then
//! damaged on purpose: one figure that no longer follows from the year
//! before, or a second copy of a year that differs in one cell. The case
//! lists exactly the pairs the damage breaks.

use serde_json::{Map, Value, json};

use super::{Model, Options, Rng, agency, model, template, truth_tables};
use crate::template::{BlockKey, ColKey, RowKey, TableKey, TemplateId};

/// A check that must come out `differs` between two years (for
/// `duplicate`, two copies of one year; `key` empty).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Broken {
    pub check: &'static str,
    pub key: String,
    pub year_from: i32,
    pub year_to: i32,
}

/// One agency's reports, in year order (a duplicate right after its year).
#[derive(Debug, Clone)]
pub struct Case {
    pub reports: Vec<Model>,
    pub broken: Vec<Broken>,
}

/// The six applicant columns of section 三 (`total` is their sum).
const PARTS: &[ColKey] = crate::template::APPLICANT_PARTS;

struct Year {
    year: i32,
    options: Options,
    tables: Map<String, Value>,
}

/// The series of `seed`: 3 to 6 consecutive years from 2019–2022 on, up
/// to 2025, each year on its template (2019 up to 2020, 2021 after),
/// random layouts.
pub fn generate(seed: u64) -> Case {
    let mut rng = Rng::new(seed);
    let agency = agency(&mut rng);
    let first = rng.range(2019, 2022) as i32;
    let mut years: Vec<Year> = Vec::new();
    let last = (first + rng.range(3, 6) as i32).min(2026);
    for year in first..last {
        let mut options = Options::random(&mut rng);
        options.template = if year <= 2020 {
            TemplateId::Y2019
        } else {
            TemplateId::Y2021
        };
        let mut tables = truth_tables(&mut rng, template(options.template));
        if let Some(prev) = years.last() {
            carry(
                &prev.tables,
                &mut tables,
                prev.options.template,
                options.template,
            );
        }
        years.push(Year {
            year,
            options,
            tables,
        });
    }
    let mut broken = if rng.chance(70) {
        break_figure(&mut rng, &mut years)
    } else {
        Vec::new()
    };
    let mut reports = Vec::new();
    for y in years {
        let twice = rng.chance(20);
        let copy = twice.then(|| y.tables.clone());
        reports.push(model(
            &mut rng,
            y.options.clone(),
            agency.clone(),
            y.year,
            y.tables,
        ));
        if let Some(mut tables) = copy {
            let mut options = Options::random(&mut rng);
            options.template = y.options.template;
            if rng.chance(50) && change_decision(&mut rng, &mut tables) {
                broken.push(Broken {
                    check: "duplicate",
                    key: String::new(),
                    year_from: y.year,
                    year_to: y.year,
                });
            }
            reports.push(model(&mut rng, options, agency.clone(), y.year, tables));
        }
    }
    broken.sort();
    Case { reports, broken }
}

/// Write series `seed` as `dir/series-<seed>/<year>.<ext>` (a second copy
/// of a year `<year>-2.<ext>`) with `expected.json`: the agency, the years
/// and the pairs that must come out `differs`.
pub fn write_case(dir: &std::path::Path, seed: u64) -> std::io::Result<std::path::PathBuf> {
    let case = generate(seed);
    let out = dir.join(format!("series-{seed:06}"));
    std::fs::create_dir_all(&out)?;
    let mut seen = std::collections::BTreeMap::<i32, usize>::new();
    for m in &case.reports {
        let n = seen.entry(m.year).or_default();
        *n += 1;
        let copy = if *n > 1 {
            format!("-{n}")
        } else {
            String::new()
        };
        let name = format!("{}{copy}.{}", m.year, m.options.extension());
        std::fs::write(out.join(name), m.bytes())?;
    }
    let expected = json!({
        "agency": case.reports.first().map(|m| m.agency.clone()),
        "years": seen.keys().collect::<Vec<_>>(),
        "broken": case.broken.iter().map(|b| json!({
            "check": b.check, "key": b.key, "year_from": b.year_from, "year_to": b.year_to,
        })).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&expected).map_err(std::io::Error::other)?;
    text.push('\n');
    std::fs::write(out.join("expected.json"), text)?;
    Ok(out)
}

/// A cell of the truth tables by its keys.
#[derive(Debug, Clone, Copy)]
struct At(TableKey, Option<BlockKey>, RowKey, ColKey);

impl At {
    fn requests(row: RowKey, col: ColKey) -> At {
        At(TableKey::Requests, None, row, col)
    }

    fn item_1(row: RowKey, col: ColKey) -> At {
        At(TableKey::Proactive, Some(BlockKey::Item1), row, col)
    }

    /// The keys the JSON nests the cell under.
    fn path(self) -> impl Iterator<Item = &'static str> {
        let At(table, block, row, col) = self;
        std::iter::once(table.as_str())
            .chain(block.map(BlockKey::as_str))
            .chain([row.as_str(), col.as_str()])
    }

    /// The cell as `gongkai series` names it (`requests.carried_over.total`).
    fn key(self) -> String {
        self.path().collect::<Vec<_>>().join(".")
    }

    fn get(self, t: &Map<String, Value>) -> Option<i64> {
        let mut path = self.path();
        let first = t.get(path.next()?);
        path.fold(first, |v, k| v.and_then(|x| x.get(k)))
            .and_then(Value::as_i64)
    }
}

fn num(t: &Map<String, Value>, at: At) -> i64 {
    at.get(t).unwrap_or(0)
}

fn set(t: &mut Map<String, Value>, at: At, value: i64) {
    let mut path = at.path();
    let first = path.next().and_then(|k| t.get_mut(k));
    if let Some(slot) = path.fold(first, |v, k| v.and_then(|x| x.get_mut(k))) {
        *slot = json!(value);
    }
}

/// `total` of a section-三 row as the sum of its parts (rule A2).
fn retotal(t: &mut Map<String, Value>, row: RowKey) {
    let sum = PARTS.iter().map(|&c| num(t, At::requests(row, c))).sum();
    set(t, At::requests(row, ColKey::Total), sum);
}

/// Make `next` follow from `prev`: 上年结转 = last 结转下年度 (new requests
/// adjusted so rule A1 still holds), and on the same template the item_1
/// documents in force or published in total.
fn carry(prev: &Map<String, Value>, next: &mut Map<String, Value>, pt: TemplateId, nt: TemplateId) {
    use RowKey::{CarriedForward, CarriedOver, NewReceived, TotalHandled};
    for &c in PARTS {
        let over = num(prev, At::requests(CarriedForward, c));
        let handled = num(next, At::requests(TotalHandled, c));
        let forward = num(next, At::requests(CarriedForward, c)).max(over - handled);
        set(next, At::requests(CarriedOver, c), over);
        set(next, At::requests(CarriedForward, c), forward);
        set(next, At::requests(NewReceived, c), handled + forward - over);
    }
    for row in [CarriedOver, CarriedForward, NewReceived] {
        retotal(next, row);
    }
    for r in [RowKey::Rules, RowKey::Normative] {
        let cell = |col| At::item_1(r, col);
        match (pt, nt) {
            (TemplateId::Y2021, TemplateId::Y2021) => {
                let base = num(prev, cell(ColKey::InForce)) + num(next, cell(ColKey::Issued));
                let repealed = num(next, cell(ColKey::Repealed)).min(base);
                set(next, cell(ColKey::Repealed), repealed);
                set(next, cell(ColKey::InForce), base - repealed);
            }
            (TemplateId::Y2019, TemplateId::Y2019) => {
                let total =
                    num(prev, cell(ColKey::TotalPublished)) + num(next, cell(ColKey::NewPublished));
                set(next, cell(ColKey::TotalPublished), total);
            }
            _ => {}
        }
    }
}

/// Change one figure so it no longer follows from the year before (each
/// report stays consistent in itself); the pairs this breaks.
fn break_figure(rng: &mut Rng, years: &mut [Year]) -> Vec<Broken> {
    let i = rng.below(years.len());
    let shape: Vec<(i32, TemplateId)> =
        years.iter().map(|y| (y.year, y.options.template)).collect();
    // The pair (j, j + 1) when both reports are on a template the check
    // reads (`tid`, or any for carried_over).
    let pair = |j: usize, check: &'static str, key: &str, tid: Option<TemplateId>| {
        let (a, b) = (shape.get(j)?, shape.get(j + 1)?);
        tid.is_none_or(|t| a.1 == t && b.1 == t).then(|| Broken {
            check,
            key: key.to_string(),
            year_from: a.0,
            year_to: b.0,
        })
    };
    if i > 0 && rng.chance(50) {
        let Some(col) = move_carried_over(rng, &mut years[i].tables) else {
            return Vec::new();
        };
        return [col, ColKey::Total]
            .into_iter()
            .filter_map(|c| {
                let key = At::requests(RowKey::CarriedOver, c).key();
                pair(i - 1, "carried_over", &key, None)
            })
            .collect();
    }
    // A document count of item_1 changed: it breaks the pair before and the
    // pair after, where the neighbour is on the same template.
    let tid = years[i].options.template;
    let (check, col) = match tid {
        TemplateId::Y2021 => ("in_force", ColKey::InForce),
        TemplateId::Y2019 => ("total_published", ColKey::TotalPublished),
    };
    let row = *rng.pick(&[RowKey::Rules, RowKey::Normative]);
    let cell = At::item_1(row, col);
    let old = num(&years[i].tables, cell);
    let d = rng.range(1, 5);
    let new = if old >= d && rng.chance(50) {
        old - d
    } else {
        old + d
    };
    set(&mut years[i].tables, cell, new);
    let key = cell.key();
    let before = i
        .checked_sub(1)
        .and_then(|j| pair(j, check, &key, Some(tid)));
    before
        .into_iter()
        .chain(pair(i, check, &key, Some(tid)))
        .collect()
}

/// Move up to 3 requests of one column between 上年结转 and 本年新收 (rule
/// A1 still holds); the column moved, if any has requests.
fn move_carried_over(rng: &mut Rng, t: &mut Map<String, Value>) -> Option<ColKey> {
    use RowKey::{CarriedOver, NewReceived};
    let start = rng.below(PARTS.len());
    let c = (0..PARTS.len())
        .map(|k| PARTS[(start + k) % PARTS.len()])
        .find(|&c| {
            num(t, At::requests(NewReceived, c)) + num(t, At::requests(CarriedOver, c)) > 0
        })?;
    let (new, over) = (
        num(t, At::requests(NewReceived, c)),
        num(t, At::requests(CarriedOver, c)),
    );
    let d = if new > 0 {
        rng.range(1, new.min(3))
    } else {
        -rng.range(1, over.min(3))
    };
    set(t, At::requests(NewReceived, c), new - d);
    set(t, At::requests(CarriedOver, c), over + d);
    retotal(t, NewReceived);
    retotal(t, CarriedOver);
    Some(c)
}

/// Change a 处理决定数量 of section 二 (a figure no rule and no other year
/// touches) in a copy of a year's report.
fn change_decision(rng: &mut Rng, tables: &mut Map<String, Value>) -> bool {
    let (block, row) = *rng.pick(&[
        (BlockKey::Item5, RowKey::Licensing),
        (BlockKey::Item6, RowKey::Penalty),
        (BlockKey::Item6, RowKey::Enforcement),
    ]);
    let cell = At(TableKey::Proactive, Some(block), row, ColKey::Decisions);
    let Some(old) = cell.get(tables) else {
        return false;
    };
    set(tables, cell, old + rng.range(1, 9));
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_follow_each_other_and_keep_rule_a1() {
        for seed in 0..50 {
            let case = generate(seed);
            let t: Vec<(i64, &Value)> = case
                .reports
                .iter()
                .map(|m| (i64::from(m.year), &m.truth["tables"]))
                .collect();
            for w in t.windows(2).filter(|w| w[1].0 == w[0].0 + 1) {
                for c in PARTS.iter().chain([ColKey::Total].iter()) {
                    let over = &w[1].1["requests"]["carried_over"][c.as_str()];
                    let fwd = &w[0].1["requests"]["carried_forward"][c.as_str()];
                    let key = format!("requests.carried_over.{c}");
                    let broken = case
                        .broken
                        .iter()
                        .any(|b| b.key == key && i64::from(b.year_to) == w[1].0);
                    assert_eq!(over == fwd, !broken, "seed {seed}: {c}");
                }
            }
            for (_, tables) in &t {
                let q = &tables["requests"];
                for c in PARTS {
                    let v = |r: &str| q[r][c.as_str()].as_i64().unwrap_or(-1);
                    assert_eq!(
                        v("new_received") + v("carried_over"),
                        v("total_handled") + v("carried_forward"),
                        "A1, seed {seed}"
                    );
                    assert!(v("new_received") >= 0, "seed {seed}");
                }
            }
        }
    }
}
