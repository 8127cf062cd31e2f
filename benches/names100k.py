#!/usr/bin/env python3
"""newsgraph with a 100,000-name gazetteer against the pyahocorasick anchor over the same names.

    cargo build --release --example bench && cargo build --release
    pip install pyahocorasick
    python3 benches/names100k.py [--rounds N] [--names N] [CORPUS.txt|CORPUS.jsonl ...]

The names are real ones: every person of `gazetteers/lexicons/people.txt` and every place of
`gazetteers/lexicons/places.tsv`, filled up to `--names` (default 100,000) with new full names
made of the first token of one lexicon person and the last token of another, in a fixed
order. They are written as a spaCy patterns file (`--patterns`, the way users bring their own
names) beside the bundled gazetteers.

The corpus (default `../shared/bench/*.txt`) is split into documents at blank lines and
written as one JSONL file. Then, `--rounds` times in turn:

- the anchor: `benches/anchor_pyahocorasick.py` over `bench --dump` of the same pipeline (every
  alias newsgraph matches, the 100,000 names included, normalized as newsgraph normalizes
  them), its bare scan with the whole-word check, CPU time;
- newsgraph: `newsgraph extract CORPUS.jsonl --patterns NAMES.jsonl --out DIR -q -j1` as a
  whole process (start-up, every stage, every output file), CPU time (user + system, from
  the kernel's accounting of the child) and wall time.

It prints the medians in MB/s of original text and newsgraph's ratio to the anchor.
"""

import csv
import glob
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "target", "release", "examples", "bench")
NEWSGRAPH = os.path.join(ROOT, "target", "release", "newsgraph")


def names(limit):
    """The lexicon's people and places, then made-up full names, `limit` in all."""
    lexicons = os.path.join(ROOT, "gazetteers", "lexicons")
    people = []
    with open(os.path.join(lexicons, "people.txt"), encoding="utf-8-sig") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                people.append(line.split("\t")[0])
    places = []
    with open(os.path.join(lexicons, "places.tsv"), encoding="utf-8") as f:
        rows = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        places.extend(row["name_fa"] for row in rows if row.get("name_fa"))
    seen, out = set(), []

    def add(label, name):
        if name not in seen and len(out) < limit:
            seen.add(name)
            out.append((label, name))

    for p in people:
        add("PERSON", p)
    for p in places:
        add("GPE", p)
    full = [p.split() for p in people if len(p.split()) >= 2]
    firsts = sorted({p[0] for p in full})
    lasts = sorted({p[-1] for p in full})
    # Walk the first × last grid with a stride coprime to its width, so the made-up names mix
    # first and last names widely instead of pairing one first name with every last name.
    width, step, k = len(lasts), 7919, 0
    while len(out) < limit and k < len(firsts) * width:
        first, last = firsts[k // width], lasts[(k * step) % width]
        add("PERSON", f"{first} {last}")
        k += 1
    return out


def split_corpus(files, out_path):
    total = 0
    with open(out_path, "w", encoding="utf-8") as out:
        n = 0
        for file in files:
            with open(file, encoding="utf-8") as f:
                text = f.read()
            parts = [line for line in text.splitlines() if line.strip()] if file.endswith(
                ".jsonl") else [p for p in text.split("\n\n") if p.strip()]
            for part in parts:
                body = json.loads(part)["text"] if file.endswith(".jsonl") else part
                out.write(json.dumps({"id": str(n), "text": body}, ensure_ascii=False) + "\n")
                total += len(body.encode("utf-8"))
                n += 1
    return total, n


def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main():
    args = sys.argv[1:]
    rounds, limit = 3, 100_000
    while args[:1] and args[0] in ("--rounds", "--names"):
        if args[0] == "--rounds":
            rounds = int(args[1])
        else:
            limit = int(args[1])
        args = args[2:]
    files = args or sorted(glob.glob(os.path.join(ROOT, "..", "shared", "bench", "*.txt")))
    if not files:
        sys.exit("names100k: no corpus given and ../shared/bench/*.txt not found")
    for exe in (BENCH, NEWSGRAPH):
        if not os.path.exists(exe):
            sys.exit("names100k: build first: cargo build --release --example bench && cargo build --release")
    with tempfile.TemporaryDirectory() as tmp:
        patterns = os.path.join(tmp, "names.jsonl")
        chosen = names(limit)
        with open(patterns, "w", encoding="utf-8") as f:
            for i, (label, name) in enumerate(chosen):
                f.write(json.dumps({"label": label, "pattern": name, "id": f"{'person' if label == 'PERSON' else 'city'}:names100k-{i}"},
                                   ensure_ascii=False) + "\n")
        corpus = os.path.join(tmp, "corpus.jsonl")
        original, docs = split_corpus(files, corpus)
        mb = original / 1e6
        print(f"{len(chosen)} names; corpus: {docs} documents, {mb:.2f} MB")
        dump = os.path.join(tmp, "dump")
        subprocess.run([BENCH, "--dump", dump, "--patterns", patterns, corpus], check=True,
                       stdout=subprocess.DEVNULL)
        anchor, cpu, wall = [], [], []
        for _ in range(rounds):
            out = subprocess.run(
                [sys.executable, os.path.join(ROOT, "benches", "anchor_pyahocorasick.py"), dump],
                check=True, capture_output=True, text=True).stdout
            anchor.append(float(re.search(r"([\d.]+) MB/s", out).group(1)))
            out_dir = os.path.join(tmp, "out")
            before, t = child_cpu(), time.perf_counter()
            subprocess.run([NEWSGRAPH, "extract", corpus, "--patterns", patterns, "--out", out_dir,
                            "-q", "-j", "1"], check=True)
            wall.append(time.perf_counter() - t)
            cpu.append(child_cpu() - before)
        a = statistics.median(anchor)
        c, w = statistics.median(cpu), statistics.median(wall)
        print(f"medians of {rounds} alternating rounds, MB/s of original text:")
        print(f"  pyahocorasick bare scan + whole-word (CPU)        {a:8.1f}")
        print(f"  newsgraph extract, whole process (CPU {c:.2f} s)   {mb / c:8.1f}   {mb / c / a:.2f}x the anchor")
        print(f"  newsgraph extract, whole process (wall {w:.2f} s)  {mb / w:8.1f}   {mb / w / a:.2f}x the anchor")


if __name__ == "__main__":
    main()
