"""parse_file, parse_bytes and parse_files against the command line."""

import json
import os
import threading

import pytest

import gongkai
from conftest import cli


def _same_as_cli(binary, paths):
    for p in paths:
        assert gongkai.parse_file(p) == json.loads(cli(binary, "parse", p)), p


def test_parse_file_equals_the_cli_on_the_project_corpus(binary, project_inputs):
    _same_as_cli(binary, project_inputs)


def test_parse_file_equals_the_cli_on_the_shared_corpus(binary, shared_inputs):
    _same_as_cli(binary, shared_inputs)


def test_parse_file_keeps_the_path_string_as_given(binary, repo, project_inputs, monkeypatch):
    rel = os.path.relpath(project_inputs[0], repo)
    monkeypatch.chdir(repo)
    got = gongkai.parse_file(rel)
    assert got["source"]["path"] == rel
    assert got == json.loads(cli(binary, "parse", rel))


def test_parse_file_takes_a_pathlike(project_inputs):
    from pathlib import Path

    p = project_inputs[0]
    assert gongkai.parse_file(Path(p)) == gongkai.parse_file(p)


def test_parse_bytes_equals_parse_file(project_inputs):
    for p in project_inputs[:8]:
        with open(p, "rb") as f:
            data = f.read()
        assert gongkai.parse_bytes(data, p) == gongkai.parse_file(p)
        assert gongkai.parse_bytes(data)["source"]["path"] == "-"


@pytest.mark.parametrize(
    "content, why",
    [(None, "cannot read"), (b"", "empty file"), (b" \n\t", "empty file"), (b"GIF89a\0\0\1", "binary data")],
)
def test_read_error_is_an_oserror_naming_the_file(tmp_path, content, why):
    path = tmp_path / "report.html"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(gongkai.ReadError) as e:
        gongkai.parse_file(str(path))
    assert isinstance(e.value, OSError)
    assert e.value.filename == str(path)
    assert str(e.value).startswith(f"{path}: {why}")
    assert (e.value.errno is not None) == (content is None)


def test_parse_bytes_raises_read_error_for_no_text():
    with pytest.raises(gongkai.ReadError):
        gongkai.parse_bytes(b"\x89PNG\r\n\x1a\n\0\0\0", "x.png")
    with pytest.raises(TypeError):
        gongkai.parse_bytes("text is not bytes")


def test_parse_files_keeps_input_order_with_two_jobs(project_inputs, tmp_path):
    paths = list(reversed(project_inputs))
    missing = str(tmp_path / "missing.txt")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    paths[3:3] = [missing, str(empty)]
    got = list(gongkai.parse_files(paths, jobs=2))
    assert [r["source"]["path"] for r in got] == paths
    assert got[3] == {"source": {"path": missing}, "error": got[3]["error"]}
    assert got[3]["error"].startswith("cannot read")
    assert got[4] == {"source": {"path": str(empty)}, "error": "empty file"}
    for path, report in zip(paths, got):
        if "error" not in report:
            assert report == gongkai.parse_file(path)


def test_parse_files_is_lazy_over_an_endless_input(project_inputs):
    def endless():
        while True:
            yield from project_inputs

    it = gongkai.parse_files(endless(), jobs=2)
    first = [next(it) for _ in range(len(project_inputs) + 3)]
    assert [r["source"]["path"] for r in first[-3:]] == project_inputs[:3]


def test_parse_files_rejects_what_is_no_list_of_paths(project_inputs):
    with pytest.raises(TypeError):
        gongkai.parse_files(project_inputs[0])
    with pytest.raises(ValueError):
        gongkai.parse_files(project_inputs, jobs=0)
    it = gongkai.parse_files([project_inputs[0], 42, project_inputs[1]], jobs=2)
    assert next(it)["source"]["path"] == project_inputs[0]
    with pytest.raises(TypeError):
        next(it)
    assert next(it)["source"]["path"] == project_inputs[1]


def test_parse_files_from_several_python_threads(project_inputs):
    results = {}

    def run(k):
        results[k] = [r["source"]["path"] for r in gongkai.parse_files(project_inputs, jobs=2)]

    threads = [threading.Thread(target=run, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(v == project_inputs for v in results.values())


def test_version_is_the_crate_version(binary):
    assert cli(binary, "--version").split() == ["gongkai", gongkai.__version__]


def test_batch_reads_the_batch_extensions():
    assert gongkai.DEFAULT_EXTENSIONS == ("html", "htm", "shtml", "txt")
    assert gongkai.batch_reads("a/b.HTML") and gongkai.batch_reads("file:/x/report.txt")
    assert not gongkai.batch_reads("a/truth.json") and not gongkai.batch_reads("a/SOURCE")


def test_stubs_declare_every_function_of_the_module(repo):
    import ast
    import inspect

    import gongkai._native as native

    stub = ast.parse((repo / "python" / "gongkai" / "_native.pyi").read_text(encoding="utf-8"))
    declared = {n.name for n in stub.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    public = {n for n, v in vars(native).items() if not n.startswith("_") and callable(v)}
    assert declared == public
    for name in declared & {n for n, v in vars(native).items() if inspect.isbuiltin(v)}:
        params = next(n for n in stub.body if getattr(n, "name", None) == name).args
        stub_names = [a.arg for a in params.args + params.kwonlyargs]
        assert stub_names == list(inspect.signature(getattr(native, name)).parameters), name
    installed = os.path.dirname(gongkai.__file__)
    assert {"py.typed", "_native.pyi"} <= set(os.listdir(installed)), "the wheel carries the stubs"


def test_the_speed_script_runs(repo, binary):
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, str(repo / "examples" / "bench_parse_files.py"), str(repo / "corpus"),
         "--repeat", "1", "--runs", "1", "--bin", binary],
        check=True, capture_output=True, text=True,
    ).stdout
    assert "parse_files / batch:" in out
