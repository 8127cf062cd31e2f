#!/usr/bin/env python3
"""newsgraph against the pyahocorasick anchor, run alternately on the same corpus.

    cargo build --release --example bench
    python3 benches/anchor.py [--rounds N] [-- BENCH ARGS: --gazetteers DIR, FILE ...]

Writes the normalized aliases and corpus once (`bench --dump`), then runs, N times (default
3) in turn, `benches/anchor_pyahocorasick.py` and `bench --runs 1` with the same arguments,
and prints the medians: the anchor's bare scan (match and whole-word check), newsgraph's
scan + select stages (match, boundaries, suffixes, overlaps) and newsgraph's whole
extraction, all in MB/s of the original text, and newsgraph's ratio to the anchor.
"""

import os
import re
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "target", "release", "examples", "bench")


def main():
    args = sys.argv[1:]
    rounds = 3
    if args[:1] == ["--rounds"]:
        rounds, args = int(args[1]), args[2:]
    if args[:1] == ["--"]:
        args = args[1:]
    if not os.path.exists(BENCH):
        sys.exit("anchor: build the bench first: cargo build --release --example bench")
    with tempfile.TemporaryDirectory() as dump:
        subprocess.run([BENCH, "--dump", dump, *args], check=True, stdout=subprocess.DEVNULL)
        anchor, scan, whole = [], [], []
        for _ in range(rounds):
            out = subprocess.run(
                [sys.executable, os.path.join(ROOT, "benches", "anchor_pyahocorasick.py"), dump],
                check=True, capture_output=True, text=True,
            ).stdout
            anchor.append(float(re.search(r"([\d.]+) MB/s", out).group(1)))
            out = subprocess.run(
                [BENCH, "--runs", "1", *args], check=True, capture_output=True, text=True
            ).stdout
            seconds = {m[0]: float(m[1]) for m in re.findall(r"^(\w[\w ]*?) +([\d.]+) +[\d.]+$", out, re.M)}
            mb = float(re.search(r"documents, ([\d.]+) MB", out).group(1))
            scan.append(mb / (seconds["scan"] + seconds["select"]))
            whole.append(mb / seconds["end to end"])
    a, s, w = (statistics.median(x) for x in (anchor, scan, whole))
    print(f"medians of {rounds} alternating rounds, MB/s of original text:")
    print(f"  pyahocorasick scan + whole-word (CPU)  {a:8.1f}")
    print(f"  newsgraph scan + select (CPU)          {s:8.1f}   {s / a:.2f}x the anchor")
    print(f"  newsgraph end to end (CPU)             {w:8.1f}   {w / a:.2f}x the anchor")


if __name__ == "__main__":
    main()
