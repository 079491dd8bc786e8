#!/usr/bin/env python3
"""Parse an archive of reports on Spark.

    python examples/spark_parse.py INPUT_DIR OUT_DIR [--master URL]

Reads every report below INPUT_DIR (the files ``gongkai batch`` reads:
``gongkai.batch_reads``) with ``binaryFiles``, parses each partition
with ``gongkai.parse_bytes`` on the executors, and writes

- ``OUT_DIR/reports.parquet``: one row per input (path, agency, year,
  template, malformed, errors, warnings, infos, problem, json);
- ``OUT_DIR/cells.parquet``: the rows of ``cells.csv`` (path, table, block,
  row, column, value, line, source).

Spark does the scheduling, the retries and the output; each executor needs
the gongkai wheel installed in its Python (see the README, "Spark"). With a
``local[...]`` master the workers use this very Python.
"""

import argparse
import os
import sys

from pyspark import StorageLevel
from pyspark.sql import SparkSession
from pyspark.sql.types import (
    BooleanType,
    DoubleType,
    IntegerType,
    StringType,
    StructField,
    StructType,
)

REPORTS = StructType(
    [
        StructField("path", StringType(), False),
        StructField("agency", StringType(), True),
        StructField("year", IntegerType(), True),
        StructField("template", StringType(), True),
        StructField("malformed", BooleanType(), True),
        StructField("errors", IntegerType(), True),
        StructField("warnings", IntegerType(), True),
        StructField("infos", IntegerType(), True),
        # Why no report came out (empty, binary, unreadable); null when parsed.
        StructField("problem", StringType(), True),
        # The report JSON (the dict of `gongkai.parse_bytes`, serialised).
        StructField("json", StringType(), True),
    ]
)

CELLS = StructType(
    [
        StructField("path", StringType(), False),
        StructField("table", StringType(), False),
        StructField("block", StringType(), False),
        StructField("row", StringType(), False),
        StructField("column", StringType(), False),
        StructField("value", DoubleType(), True),
        StructField("line", IntegerType(), True),
        StructField("source", StringType(), True),
    ]
)


def parse_partition(records):
    """(path, bytes) pairs → (report row, cell rows), on an executor."""
    import json

    import gongkai

    for path, data in records:
        if not gongkai.batch_reads(path):  # the files `gongkai batch` reads
            continue
        try:
            report = gongkai.parse_bytes(bytes(data), path, provenance=True)
        except gongkai.ReadError as e:
            yield (path, None, None, None, None, None, None, None, e.strerror, None), []
            continue
        count = {"error": 0, "warning": 0, "info": 0}
        for flag in report["flags"]:
            count[flag["severity"]] += 1
        # The cells take their line and source from the provenance; the
        # stored JSON is `gongkai parse`'s, without it.
        cells = [
            (c["path"], c["table"], c["block"], c["row"], c["column"], _float(c["value"]), c["line"], c["source"])
            for c in gongkai.cells(report)
        ]
        del report["provenance"]
        meta = report["meta"]
        row = (
            path,
            meta["agency"],
            meta["year"],
            meta["template"],
            count["error"] > 0,  # malformed: an error flag (output.md)
            count["error"],
            count["warning"],
            count["info"],
            None,
            json.dumps(report, ensure_ascii=False, separators=(",", ":")),
        )
        yield row, cells


def _float(value):
    return None if value is None else float(value)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input_dir", help="folder of reports, walked recursively (any Hadoop URI)")
    ap.add_argument("out_dir", help="where reports.parquet and cells.parquet go")
    ap.add_argument("--master", default="local[2]", help="Spark master (default: local[2])")
    ap.add_argument("--partitions", type=int, help="minimum input partitions")
    args = ap.parse_args(argv)

    if args.master.startswith("local"):
        # The local workers run this interpreter, where gongkai is installed,
        # and talk to the driver over the loopback interface only.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    spark = (
        SparkSession.builder.master(args.master)
        .appName("gongkai")
        .config("spark.hadoop.mapreduce.input.fileinputformat.input.dir.recursive", "true")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("WARN")
    try:
        files = spark.sparkContext.binaryFiles(args.input_dir, args.partitions)
        parsed = files.mapPartitions(parse_partition).persist(StorageLevel.MEMORY_AND_DISK)
        reports = spark.createDataFrame(parsed.map(lambda rc: rc[0]), REPORTS)
        cells = spark.createDataFrame(parsed.flatMap(lambda rc: rc[1]), CELLS)
        reports.write.mode("overwrite").parquet(args.out_dir.rstrip("/") + "/reports.parquet")
        cells.write.mode("overwrite").parquet(args.out_dir.rstrip("/") + "/cells.parquet")
        parsed.unpersist()
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
