"""examples/spark_parse.py on Spark in local mode (local[2]): one row per
input in reports.parquet, and cells.parquet holds exactly the rows of the
command line's cells.csv for the same folder."""

import csv
import os
import shutil
import subprocess
import sys

import pytest

from conftest import cli


def _cannot_run(why):
    """Skipped on a developer's machine; under CI a missing part fails."""
    if os.environ.get("CI"):
        pytest.fail(why)
    pytest.skip(why + ": skipped", allow_module_level=True)


try:
    import pyarrow.parquet as pq
    import pyspark  # noqa: F401
except ImportError as e:
    _cannot_run(f"pyspark and pyarrow are needed ({e})")


@pytest.fixture(scope="module")
def archive(tmp_path_factory, repo):
    """The project corpus, and the shared one when it is given."""
    from pathlib import Path

    root = tmp_path_factory.mktemp("archive")
    shutil.copytree(repo / "corpus", root / "project")
    shared = os.environ.get("GONGKAI_SHARED_CORPUS")
    if shared and Path(shared).is_dir():
        shutil.copytree(shared, root / "shared")
    # A file that gives no report is a row too, with its problem.
    (root / "project" / "empty.txt").write_bytes(b"")
    return root


@pytest.fixture(scope="module")
def spark_out(archive, repo, tmp_path_factory):
    if shutil.which("java") is None:
        _cannot_run("no java on PATH: Spark cannot start")
    out = tmp_path_factory.mktemp("spark")
    subprocess.run(
        [sys.executable, str(repo / "examples" / "spark_parse.py"), str(archive), str(out), "--master", "local[2]"],
        check=True,
        timeout=600,
    )
    return out


@pytest.fixture(scope="module")
def cli_csv(binary, archive, tmp_path_factory):
    out = tmp_path_factory.mktemp("csv")
    cli(binary, "batch", str(archive), "--csv", str(out), "--quiet")

    def rows(name):
        with open(out / name, encoding="utf-8-sig", newline="") as f:
            return list(csv.DictReader(f))

    return rows("reports.csv"), rows("cells.csv")


def _local(path):
    return path[len("file:"):] if path.startswith("file:") else path


def test_one_report_row_per_input(spark_out, cli_csv):
    reports = pq.read_table(spark_out / "reports.parquet").to_pylist()
    want = {r["path"]: r for r in cli_csv[0]}
    assert len(reports) == len(want) > 30
    for r in reports:
        w = want[_local(r["path"])]
        if w["status"] == "parsed":
            assert r["problem"] is None and r["json"]
            assert (r["agency"] or "", str(r["year"] or ""), r["template"]) == (w["agency"], w["year"], w["template"])
            assert (r["errors"], r["warnings"], r["infos"]) == (int(w["errors"]), int(w["warnings"]), int(w["infos"]))
            assert r["malformed"] == (w["malformed"] == "yes")
        else:
            assert r["json"] is None and r["problem"] == w["problem"]


def test_cells_are_the_rows_of_cells_csv(spark_out, cli_csv):
    cells = pq.read_table(spark_out / "cells.parquet").to_pylist()
    assert len(cells) == len(cli_csv[1])

    def key(c, value, line, source):
        return (_local(c["path"]), c["table"], c["block"], c["row"], c["column"], value, line, source)

    def text(s):  # as cells.csv writes a text field
        return "'" + s if s.startswith(("=", "+", "-", "@", "\t", "\r")) else s

    got = sorted(key(c, c["value"], c["line"], text(c["source"] or "")) for c in cells)
    want = sorted(
        key(c, float(c["value"]) if c["value"] else None, int(c["line"]) if c["line"] else None, c["source"])
        for c in cli_csv[1]
    )
    assert got == want
