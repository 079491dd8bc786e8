"""Read Chinese government information-disclosure annual reports
(政府信息公开工作年度报告) into checked JSON.

Each report is a dict equal to the JSON of ``gongkai parse`` (schema 1,
``schema/report.schema.json`` in the repository); what cannot be trusted is
listed in its ``flags``. The parser is the Rust library, called in process
with the GIL released.
"""

from gongkai._errors import ReadError
from gongkai._native import (
    DEFAULT_EXTENSIONS,
    ReportIterator,
    __version__,
    batch_reads,
    cells,
    parse_bytes,
    parse_file,
    parse_files,
)

__all__ = [
    "DEFAULT_EXTENSIONS",
    "ReadError",
    "ReportIterator",
    "__version__",
    "batch_reads",
    "cells",
    "parse_bytes",
    "parse_file",
    "parse_files",
]
