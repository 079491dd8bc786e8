"""Type stubs of the Rust extension module (python/src/lib.rs)."""

import os
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple, Union

__version__: str

#: File extensions ``gongkai batch`` reads inside folders.
DEFAULT_EXTENSIONS: Tuple[str, ...]

Report = Dict[str, Any]
"""One report: the JSON of ``gongkai parse`` as a dict (see
``schema/report.schema.json``), or ``{"source": {"path": p}, "error": msg}``
for a file ``parse_files`` could not read."""

Cell = Dict[str, Any]
"""One table value: path, table, block, row, column (str), value
(int, float or None), line (int or None) and source (str or None): where
the value was read, from the report's ``provenance``."""

StrPath = Union[str, "os.PathLike[str]"]

class ReportIterator(Iterator[Report]):
    def __iter__(self) -> "ReportIterator": ...
    def __next__(self) -> Report: ...

def parse_file(path: StrPath, *, provenance: bool = False) -> Report:
    """Parse one report file; equal to ``json.loads`` of ``gongkai parse PATH``
    (with ``provenance=True``, of ``gongkai parse --provenance PATH``).

    Raises ReadError when the file cannot be read, is empty or binary."""

def parse_bytes(data: bytes, path: str = "-", *, provenance: bool = False) -> Report:
    """Parse a report held in memory; ``path`` becomes ``source.path``.

    Raises ReadError when the bytes are empty or binary."""

def parse_files(
    paths: Iterable[StrPath], jobs: Optional[int] = None, *, provenance: bool = False
) -> ReportIterator:
    """Parse many files in parallel on Rust threads (``jobs``, default one per
    core) and yield one dict per path, in input order, with bounded memory."""

def batch_reads(path: StrPath) -> bool:
    """Whether ``gongkai batch`` reads this file when it finds it inside a
    folder (its extension is one of DEFAULT_EXTENSIONS)."""

def cells(report: Report) -> List[Cell]:
    """The report's table values with the columns of ``cells.csv``, so
    ``pandas.DataFrame(gongkai.cells(report))`` is the cell table; ``line``
    and ``source`` need a report parsed with ``provenance=True``."""
