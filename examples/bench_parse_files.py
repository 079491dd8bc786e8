#!/usr/bin/env python3
"""Python-side speed: ``gongkai.parse_files`` against ``gongkai batch --jsonl``
on the same files and the same number of threads.

    python examples/bench_parse_files.py [--jobs 2] [--repeat 20] DIR...

The files below the folders (those ``gongkai batch`` reads), repeated
``--repeat`` times so the runs last long enough to time, are parsed by the
binary (``batch - --jsonl /dev/null``, paths on stdin) and by
``parse_files`` (every dict built, then dropped), ``--runs`` times each,
interleaved: median and best wall time, best CPU time (user + system, which
a busy machine disturbs less); the ratios are Python / binary.

``--side-by-side`` runs the two at the same time instead (each with
``--jobs`` threads), so both meet the same load from the rest of the
machine; it prints each run's wall times.
"""

import argparse
import os
import resource
import statistics
import subprocess
import tempfile
import threading
import time

import gongkai


def files(dirs):
    out = []
    for d in dirs:
        for root, subdirs, names in os.walk(d):
            subdirs[:] = sorted(s for s in subdirs if not s.startswith("."))
            out += [
                os.path.join(root, n)
                for n in sorted(names)
                if not n.startswith(".") and gongkai.batch_reads(n)
            ]
    return out


def cpu():
    """CPU seconds (user + system) of this process and its children."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def measure(runs, *fs):
    """Median and best wall time, and best CPU time, of each function; runs
    interleaved so that a busy moment of the machine does not fall on one
    side only."""
    times = [[] for _ in fs]
    for _ in range(runs):
        for f, t in zip(fs, times):
            start, start_cpu = time.perf_counter(), cpu()
            f()
            t.append((time.perf_counter() - start, cpu() - start_cpu))
    return [
        (statistics.median(w for w, _ in t), min(w for w, _ in t), min(c for _, c in t))
        for t in times
    ]


def side_by_side(runs, binary, python):
    for _ in range(runs):
        took = {}

        def timed(name, f):
            start = time.perf_counter()
            f()
            took[name] = time.perf_counter() - start

        other = threading.Thread(target=timed, args=("batch", binary))
        other.start()
        timed("parse_files", python)
        other.join()
        print(
            f"batch {took['batch']:.3f} s, parse_files {took['parse_files']:.3f} s: "
            f"{took['parse_files'] / took['batch']:.2f}x"
        )


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--bin", default="target/release/gongkai")
    ap.add_argument("--side-by-side", action="store_true", help="run both at once")
    args = ap.parse_args()

    paths = files(args.dirs) * args.repeat
    size = sum(os.path.getsize(p) for p in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(paths) + "\n")
        listing = f.name
    try:

        def binary():
            with open(listing) as stdin:
                cmd = [args.bin, "batch", "-", "--jsonl", "/dev/null", "--jobs", str(args.jobs), "--quiet"]
                subprocess.run(cmd, stdin=stdin, check=True)

        def python():
            n = sum(1 for _ in gongkai.parse_files(paths, jobs=args.jobs))
            assert n == len(paths)

        if args.side_by_side:
            return side_by_side(args.runs, binary, python)
        t_bin, t_py = measure(args.runs, binary, python)
    finally:
        os.unlink(listing)
    print(f"{len(paths)} files, {size / 1e6:.1f} MB, {args.jobs} threads, {args.runs} runs each")
    for name, (median, wall, cpu_s) in [("gongkai batch --jsonl", t_bin), ("gongkai.parse_files", t_py)]:
        print(
            f"{name:22} median {median:7.3f} s, best {wall:7.3f} s  {len(paths) / wall:5.0f} reports/s  "
            f"{size / 1e6 / wall:5.1f} MB/s  CPU {cpu_s:6.3f} s"
        )
    ratio = [p / b for p, b in zip(t_py, t_bin)]
    print(f"parse_files / batch: {ratio[0]:.2f}x median, {ratio[1]:.2f}x best, {ratio[2]:.2f}x CPU")


if __name__ == "__main__":
    main()
