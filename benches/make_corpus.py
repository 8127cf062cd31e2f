#!/usr/bin/env python3
"""Writes a JSONL corpus of about MB megabytes for the memory and thread figures.

    python3 benches/make_corpus.py MB OUT.jsonl [BENCH_DIR]

It repeats the documents of BENCH_DIR/*.txt (default ../shared/bench; split at blank lines)
with distinct ids, a publication date that moves with each repetition, and a first line that
varies (the repetition number in Persian digits), so that ids, dates and texts differ while
the graph stays that of the bench corpus.
"""
import glob
import json
import os
import sys

mb, out = float(sys.argv[1]), sys.argv[2]
bench = sys.argv[3] if len(sys.argv) > 3 else os.path.join(os.path.dirname(__file__), "..", "..", "shared", "bench")
docs = []
for path in sorted(glob.glob(os.path.join(bench, "*.txt"))):
    with open(path, encoding="utf-8") as f:
        docs += [d.strip() for d in f.read().split("\n\n") if d.strip()]
fa = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
target = int(mb * 1e6)
written = 0
rep = 0
with open(out, "w", encoding="utf-8") as f:
    while written < target:
        for i, text in enumerate(docs):
            row = {
                "id": f"r{rep:04}-{i:05}",
                "text": f"شماره {str(rep).translate(fa)}\n{text}",
                "published": f"{2000 + rep % 25}-{1 + i % 12:02}-{1 + i % 28:02}",
                "lang": "fa",
            }
            line = json.dumps(row, ensure_ascii=False) + "\n"
            f.write(line)
            written += len(line.encode("utf-8"))
            if written >= target:
                break
        rep += 1
print(f"{out}: {written / 1e6:.1f} MB, {rep} repetitions of {len(docs)} documents")
