"""Shared fixtures: the repository, the command-line binary, the corpora.

The tests compare the Python package with the `gongkai` binary built from
the same tree (``GONGKAI_BIN``, default ``target/release/gongkai``). Cases
of the shared corpus run only when ``GONGKAI_SHARED_CORPUS`` names it; else
they are reported as skipped.
"""

import os
import subprocess
from pathlib import Path

import pytest

import gongkai

REPO = Path(__file__).resolve().parents[2]


def _inputs(root):
    return sorted(
        str(p) for p in root.rglob("input.*") if p.is_file() and gongkai.batch_reads(str(p))
    )


@pytest.fixture(scope="session")
def repo():
    return REPO


@pytest.fixture(scope="session")
def binary():
    path = Path(os.environ.get("GONGKAI_BIN", REPO / "target" / "release" / "gongkai"))
    if not path.is_file():
        pytest.fail(f"{path}: no gongkai binary (run `cargo build --release`, or set GONGKAI_BIN)")
    return str(path)


@pytest.fixture(scope="session")
def shared_corpus():
    root = os.environ.get("GONGKAI_SHARED_CORPUS")
    if not root or not Path(root).is_dir():
        pytest.skip("GONGKAI_SHARED_CORPUS is not set to the shared corpus: skipped")
    return Path(root).resolve()


@pytest.fixture(scope="session")
def project_inputs():
    found = _inputs(REPO / "corpus")
    assert len(found) >= 30, "the project corpus is in the repository"
    return found


@pytest.fixture(scope="session")
def shared_inputs(shared_corpus):
    found = _inputs(shared_corpus)
    assert found, f"{shared_corpus}: no input files"
    return found


def cli(binary, *args):
    """Run the binary; its stdout as text."""
    return subprocess.run(
        [binary, *args], check=True, capture_output=True, text=True
    ).stdout
