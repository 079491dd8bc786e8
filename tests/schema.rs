//! The JSON Schema: the checked-in copy is what `gongkai schema` prints.
//! (Every corpus output is validated against it by the Python tests,
//! python/tests/test_schema.py, with the `jsonschema` package.)

use std::process::Command;

#[test]
fn checked_in_schema_is_the_generated_one() {
    let out = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("schema")
        .output()
        .expect("binary runs");
    assert!(out.status.success());
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/report.schema.json");
    let kept = std::fs::read(file).expect("schema/report.schema.json");
    assert!(
        out.stdout == kept,
        "schema/report.schema.json differs from the types: regenerate it with \
         `cargo run --release -- schema > schema/report.schema.json`"
    );
}

#[test]
fn tables_follow_the_template_data() {
    let schema = gongkai::schema::report_schema();
    let v = schema.as_value();
    for t in [&gongkai::template::T2019, &gongkai::template::T2021] {
        let tables = &v["$defs"][format!("tables_{}", t.id.as_str())]["properties"];
        for spec in t.tables {
            let table = &tables[spec.key.as_str()]["properties"];
            for b in spec.blocks {
                let rows = if spec.nested {
                    &table[b.path()]["properties"]
                } else {
                    table
                };
                for r in b.rows {
                    let row = &rows[r.key.as_str()];
                    if r.kind == gongkai::template::RowKind::Group {
                        assert!(row.is_null(), "group row {} holds no values", r.key);
                        continue;
                    }
                    let cols: Vec<&str> = b.columns.iter().map(|c| c.key.as_str()).collect();
                    assert_eq!(row["required"], serde_json::json!(cols), "{}", r.key);
                }
            }
        }
    }
}
