"""cells(): the rows of cells.csv, ready for pandas."""

import csv

import pandas
import pytest

import gongkai
from conftest import cli


def _csv_cells(binary, inputs, out):
    cli(binary, "batch", *inputs, "--csv", str(out), "--quiet")
    with open(out / "cells.csv", encoding="utf-8-sig", newline="") as f:
        return [tuple(r.values()) for r in csv.DictReader(f)]


def _text(s):
    """As cells.csv writes a text field: a leading ' before a formula start."""
    return "'" + s if s.startswith(("=", "+", "-", "@", "\t", "\r")) else s


def _py_cells(inputs):
    rows = []
    for p in inputs:
        for c in gongkai.cells(gongkai.parse_file(p, provenance=True)):
            value = "" if c["value"] is None else str(c["value"])
            line = "" if c["line"] is None else str(c["line"])
            source = _text(c["source"] or "")
            rows.append((c["path"], c["table"], c["block"], c["row"], c["column"], value, line, source))
    return rows


def test_cells_are_the_rows_of_cells_csv(binary, project_inputs, tmp_path):
    assert _py_cells(project_inputs) == _csv_cells(binary, project_inputs, tmp_path)


def test_cells_are_the_rows_of_cells_csv_on_the_shared_corpus(binary, shared_inputs, tmp_path):
    assert _py_cells(shared_inputs) == _csv_cells(binary, shared_inputs, tmp_path)


def test_cells_make_a_dataframe(project_inputs):
    report = gongkai.parse_file(project_inputs[0])
    df = pandas.DataFrame(gongkai.cells(report))
    assert list(df.columns) == ["path", "table", "block", "row", "column", "value", "line", "source"]
    assert len(df) > 100
    assert set(df["table"]) <= {"proactive", "requests", "reviews_and_lawsuits"}
    # Numbers stay numbers: integers as int, amounts as float.
    assert all(v is None or isinstance(v, (int, float)) for v in (c["value"] for c in gongkai.cells(report)))


def test_a_failed_item_has_no_cells(tmp_path):
    item = next(gongkai.parse_files([str(tmp_path / "gone.html")]))
    assert "error" in item and gongkai.cells(item) == []


def test_cells_rejects_tables_that_are_not_json():
    with pytest.raises((TypeError, ValueError)):
        gongkai.cells({"source": {"path": "x"}, "tables": {"t": {object()}}})


def test_the_readme_example_runs(repo, monkeypatch, capsys):
    readme = (repo / "README.md").read_text(encoding="utf-8")
    python = readme.split("\n## Python\n", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(repo)
    exec(compile(python, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert out.startswith("2019 [") and "review" in out and "upheld" in out


def test_line_and_source_need_provenance(project_inputs):
    plain = gongkai.cells(gongkai.parse_file(project_inputs[0]))
    assert all(c["line"] is None and c["source"] is None for c in plain)
    report = gongkai.parse_file(project_inputs[0], provenance=True)
    assert "provenance" in report
    sourced = [c for c in gongkai.cells(report) if c["value"] is not None]
    assert sourced and all(isinstance(c["line"], int) and c["source"] for c in sourced)
