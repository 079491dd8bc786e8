//! The report JSON as a JSON Schema (draft 2020-12), for consumers in other
//! languages. The output types derive theirs; `tables` is built here from
//! the template data, so editing a template edits the schema with it.
//! `gongkai schema` prints it; `schema/report.schema.json` is its copy in
//! the repository, and a test fails when the two differ.

use std::borrow::Cow;

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::{Map, Value, json};

use crate::flags::Code;
use crate::report::{Report, SCHEMA_VERSION};
use crate::template::{Block, Column, RowKind, T2019, T2021, TableSpec, Template, ValueKind};
use crate::value::Num;

/// Templates whose tables a report of each `meta.template` holds. A report
/// whose template could not be told is mapped on the 2021 rows (see
/// `report::parse_bytes`); a legacy one has no contract tables.
const TABLES_OF: [(&str, Option<&Template>); 4] = [
    ("2019", Some(&T2019)),
    ("2021", Some(&T2021)),
    ("unknown", Some(&T2021)),
    ("legacy", None),
];

/// The templates, each with its tables in `$defs`.
const TEMPLATES: [&Template; 2] = [&T2019, &T2021];

/// The schema of the JSON that `gongkai parse` prints for one report.
pub fn report_schema() -> Schema {
    // The JSON as written: a field skipped when empty is not required.
    let mut schema = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<Report>();
    let defs = schema
        .ensure_object()
        .entry("$defs")
        .or_insert_with(|| json!({}));
    if let Value::Object(defs) = defs {
        for t in TEMPLATES {
            defs.insert(tables_def(t), tables_of(t));
        }
    }
    // Which tables a report holds follows from its template.
    let conditions: Vec<Value> = TABLES_OF
        .iter()
        .map(|(name, tpl)| {
            let tables = match tpl {
                Some(t) => json!({ "$ref": format!("#/$defs/{}", tables_def(t)) }),
                None => json!({ "maxProperties": 0 }),
            };
            json!({
                "if": {
                    "required": ["meta"],
                    "properties": {
                        "meta": {
                            "required": ["template"],
                            "properties": { "template": { "const": name } }
                        }
                    }
                },
                "then": { "properties": { "tables": tables } }
            })
        })
        .collect();
    schema.insert("allOf".into(), Value::Array(conditions));
    // A reader of this schema reads this version only.
    if let Some(Value::Object(version)) = schema.pointer_mut("/properties/schema_version") {
        version.insert("const".into(), SCHEMA_VERSION.into());
    }
    schema
}

fn tables_def(t: &Template) -> String {
    format!("tables_{}", t.id.as_str())
}

/// `Report.tables`: the tables of either template (the `allOf` at the top
/// says which one).
pub fn tables(_: &mut SchemaGenerator) -> Schema {
    let refs: Vec<Value> = TEMPLATES
        .iter()
        .map(|t| json!({ "$ref": format!("#/$defs/{}", tables_def(t)) }))
        .collect();
    json_schema!({
        "description": "The statistical tables found, keyed by table, on the report's template (absent: not found, with a flag)",
        "anyOf": refs
    })
}

/// `Report.extra_rows`: rows a table holds that its template does not, as
/// lists keyed by table path (`proactive.item_1`).
pub fn extra_rows(generator: &mut SchemaGenerator) -> Schema {
    let row = generator.subschema_for::<crate::mapping::ExtraRow>();
    json_schema!({
        "type": "object",
        "additionalProperties": { "type": "array", "items": row }
    })
}

/// `Report.provenance` (only with `--provenance`): `tables`' shape, table
/// → (block →) row → column, each value with its origin.
pub fn provenance(_: &mut SchemaGenerator) -> Schema {
    let origin = json!({
        "type": "object",
        "description": "Where a value was read: the 1-based line and the byte range [start, end) in the decoded text (for HTML, the decoded page source), the text of the cell as read; for a value cut from a digit run, the run and `split`, its parts joined by |",
        "properties": {
            "line": { "type": "integer", "minimum": 1 },
            "start": { "type": "integer", "minimum": 0 },
            "end": { "type": "integer", "minimum": 0 },
            "text": { "type": "string" },
            "split": { "type": "string" }
        },
        "required": ["line", "start", "end", "text"],
        "additionalProperties": false
    });
    let map = |v: Value| json!({ "type": "object", "additionalProperties": v });
    let flat = map(map(origin.clone()));
    let nested = map(map(map(origin)));
    json_schema!({
        "description": "Where each value of `tables` was read, in the same shape; values whose place is not known are absent",
        "type": "object",
        "additionalProperties": { "anyOf": [flat, nested] }
    })
}

/// `meta.template`.
pub fn template_name(_: &mut SchemaGenerator) -> Schema {
    let names: Vec<&str> = TABLES_OF.iter().map(|(name, _)| *name).collect();
    json_schema!({ "type": "string", "enum": names })
}

/// `sections[].key` (the legacy keys hold the six of the official form).
pub fn section_key(_: &mut SchemaGenerator) -> Schema {
    let keys: Vec<&str> = crate::sections::SectionKey::ALL
        .iter()
        .map(|k| k.as_str())
        .collect();
    json_schema!({ "type": "string", "enum": keys })
}

/// `source.format`.
pub fn source_format(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "enum": ["html", "text"] })
}

fn tables_of(t: &Template) -> Value {
    let props: Map<String, Value> = t
        .tables
        .iter()
        .map(|spec| (spec.key.to_string(), table(spec)))
        .collect();
    json!({
        "description": format!("The tables of the {} template", t.id.as_str()),
        "type": "object",
        "properties": props,
        "additionalProperties": false
    })
}

/// Nested tables (section 二) key rows by block; the others by row. A row
/// or block the report lacks is absent, so none is required.
fn table(spec: &TableSpec) -> Value {
    let mut props = Map::new();
    for b in spec.blocks {
        let rows = rows(b);
        if spec.nested {
            let mut block = json!({
                "type": "object",
                "properties": rows,
                "additionalProperties": false
            });
            if let (Some(caption), Value::Object(o)) = (b.caption, &mut block) {
                o.insert("description".into(), caption.into());
            }
            props.insert(b.path().to_string(), block);
        } else {
            props.extend(rows);
        }
    }
    json!({ "type": "object", "properties": props, "additionalProperties": false })
}

/// A data row holds every column of its block, each a number or `null`.
fn rows(b: &Block) -> Map<String, Value> {
    b.rows
        .iter()
        .filter(|r| r.kind == RowKind::Data)
        .map(|r| {
            let cols: Map<String, Value> = b
                .columns
                .iter()
                .map(|c| (c.key.to_string(), cell(c)))
                .collect();
            let keys: Vec<&str> = b.columns.iter().map(|c| c.key.as_str()).collect();
            let row = json!({
                "description": r.label,
                "type": "object",
                "properties": cols,
                "required": keys,
                "additionalProperties": false
            });
            (r.key.to_string(), row)
        })
        .collect()
}

/// Any number can appear: a value outside its column's domain is kept and
/// flagged (`VALUE_OUT_OF_DOMAIN`), so the domain is described, not enforced.
fn cell(c: &Column) -> Value {
    let domain = match c.kind {
        ValueKind::Count => "a count (whole, ≥ 0)".to_string(),
        ValueKind::Signed => "a change (whole, may be negative)".to_string(),
        ValueKind::Amount { unit: Some(u) } => format!("an amount in {u}"),
        ValueKind::Amount { unit: None } => "an amount".to_string(),
    };
    json!({
        "description": format!("{}: {domain}; null when blank or unreadable", c.label),
        "type": ["number", "null"]
    })
}

impl JsonSchema for Code {
    fn schema_name() -> Cow<'static, str> {
        "Code".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        json_schema!({
            "description": "Flag code; each is documented in the README",
            "type": "string",
            "enum": codes
        })
    }
}

/// A flag's table: the string it serialises to, as before it was typed.
impl JsonSchema for crate::template::TableKey {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "TableKey".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string" })
    }
}

/// A fact's kind: the string it serialises to.
impl JsonSchema for crate::facts::FactKind {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "FactKind".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string" })
    }
}

impl JsonSchema for Num {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Num".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "number" })
    }
}
