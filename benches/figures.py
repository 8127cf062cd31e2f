#!/usr/bin/env python3
"""Every throughput and scale figure of the README's Performance table, measured in one go.

    cargo build --release && cargo build --release --example bench
    python3 benches/figures.py [--only NAME,...] [--skip NAME,...] [--work DIR]

Makes its inputs from `../shared/bench/` (deterministically: the same bytes every time) in
`--work` (default: a temporary folder), runs each measurement as a whole `newsgraph`
process under `/usr/bin/time`, and prints a Markdown table: wall time, CPU time (user +
system), peak RSS and MB/s of original text (by CPU time; the machine may be shared, so CPU
time is the steadier figure). Every `extract` but the `--no-cache` rows runs with the compiled
cache of its data built first (a cache folder of the run's own), as a user's second run does.
The measurements, by name:

- `startup`: one short document, the bundled data built (`--no-cache`) and from the cache;
- `docs`: `extract` over `fars_news_1500.txt` split into documents at blank lines (JSONL), -j1;
- `onedoc`: the same file as one document;
- `line34`, `line6`: the first 3.4 / 6 MB of the file (repeated) with line breaks made spaces;
- `sent2`: 2 MB of it with line breaks and sentence marks made spaces: one sentence;
- `patterns50k`, `patterns200k`: start-up with a spaCy patterns file of 50,000 / 200,000
  patterns (half strings, half `ORTH` token lists, of first and last words of the people
  lexicon), extracting one short document, built and from the cache;
- `threads`: a 50 MB corpus (the bench documents repeated with new ids) with -j1 and -j2;
- `rss`: peak RSS for 50 MB and 500 MB of JSONL (the same documents repeated);
- `generated`: `bench --generated 10000,100000,1000000` (build time and peak memory);
- `names100k`: `benches/names100k.py` (100,000 real names against the pyahocorasick anchor).
"""

import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NEWSGRAPH = os.path.join(ROOT, "target", "release", "newsgraph")
BENCH = os.path.join(ROOT, "target", "release", "examples", "bench")
SHARED = os.path.join(ROOT, "..", "shared", "bench")
ALL = ["startup", "docs", "onedoc", "line34", "line6", "sent2", "patterns50k", "patterns200k", "threads",
       "rss", "generated", "names100k"]


def timed(cmd, out_dir=None):
    """Runs `cmd` under /usr/bin/time: (wall s, CPU s, peak RSS MiB)."""
    fmt = "%e %U %S %M"
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        subprocess.run(["/usr/bin/time", "-o", t.name, "-f", fmt, *cmd], check=True,
                       stdout=subprocess.DEVNULL)
        wall, user, system, rss = t.read().split()[-4:]
    return float(wall), float(user) + float(system), int(rss) / 1024


def split_documents(text):
    return [p for p in text.split("\n\n") if p.strip()]


def write_jsonl(path, docs, copies=1):
    total = 0
    with open(path, "w", encoding="utf-8") as out:
        n = 0
        for copy in range(copies):
            for d in docs:
                out.write(json.dumps({"id": f"{copy}-{n}", "text": d}, ensure_ascii=False) + "\n")
                total += len(d.encode("utf-8"))
                n += 1
    return total


def prefix(text, size):
    """The first `size` bytes of `text` repeated, cut at a character boundary."""
    data = (text * (size // max(len(text.encode("utf-8")), 1) + 1)).encode("utf-8")[:size]
    return data.decode("utf-8", errors="ignore")


def patterns(path, count):
    people = []
    with open(os.path.join(ROOT, "gazetteers", "lexicons", "people.txt"), encoding="utf-8-sig") as f:
        for line in f:
            words = line.split()
            if len(words) >= 2:
                people.append((words[0], words[-1]))
    with open(path, "w", encoding="utf-8") as out:
        for i in range(count):
            first, last = people[i % len(people)]
            last = people[(i * 7919) % len(people)][1]
            entity = f"person:pattern-{i // 2}"
            if i % 2 == 0:
                row = {"label": "PERSON", "pattern": f"{first} {last}", "id": entity}
            else:
                row = {"label": "PERSON", "pattern": [{"ORTH": first}, {"ORTH": last}], "id": entity}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", default="")
    ap.add_argument("--skip", default="")
    ap.add_argument("--work")
    args = ap.parse_args()
    chosen = [n for n in (args.only.split(",") if args.only else ALL) if n]
    chosen = [n for n in chosen if n not in args.skip.split(",")]
    unknown = set(chosen) - set(ALL)
    if unknown:
        sys.exit(f"figures: unknown measurement(s) {sorted(unknown)}; known: {ALL}")
    for exe in (NEWSGRAPH, BENCH):
        if not os.path.exists(exe):
            sys.exit("figures: build first: cargo build --release && cargo build --release --example bench")
    source = os.path.join(SHARED, "fars_news_1500.txt")
    if not os.path.exists(source):
        sys.exit(f"figures: {source} is missing")
    with open(source, encoding="utf-8") as f:
        fars = f.read()
    docs = split_documents(fars)
    work = args.work or tempfile.mkdtemp(prefix="newsgraph-figures-")
    os.makedirs(work, exist_ok=True)
    out = os.path.join(work, "out")
    rows = []
    # A compiled cache of this run's own, so that every figure but the cold start-ups is taken
    # as users see it: the cache built by an earlier run over the same data.
    os.environ["NEWSGRAPH_CACHE_DIR"] = os.path.join(work, "cache")
    tiny = os.path.join(work, "tiny.txt")
    with open(tiny, "w", encoding="utf-8") as f:
        f.write("شی جین پینگ با میگل دیاز-کانل دیدار کرد.\n")

    def warm(cmd):
        """Builds the compiled cache of the data `cmd` uses (its --patterns) on a tiny input."""
        patterns_args = [a for i, a in enumerate(cmd)
                         if a == "--patterns" or (i > 0 and cmd[i - 1] == "--patterns")]
        subprocess.run([NEWSGRAPH, "extract", tiny, "--out", os.path.join(work, "warm"), "-q",
                        *patterns_args], check=True)

    def row(what, cmd, mb, extra=""):
        if cmd[:2] == [NEWSGRAPH, "extract"] and "--no-cache" not in cmd:
            warm(cmd)
        wall, cpu, rss = timed(cmd)
        shown = " ".join("newsgraph" if c == NEWSGRAPH else os.path.basename(c) if c.startswith(work)
                         else c for c in cmd)
        rows.append((what, shown,
                     f"{wall:.2f}", f"{cpu:.2f}", f"{rss:.0f}", f"{mb / cpu:.1f}" if mb else "", extra))
        return wall, cpu, rss

    def extract(path, *more):
        return [NEWSGRAPH, "extract", path, "--out", out, "-q", *more]

    if "startup" in chosen:
        row("start-up, bundled data, built (--no-cache)", extract(tiny, "--no-cache"), 0)
        row("start-up, bundled data, compiled cache", extract(tiny), 0)
    if "docs" in chosen:
        path = os.path.join(work, "fars.jsonl")
        mb = write_jsonl(path, docs) / 1e6
        row("bench corpus, documents, -j1", extract(path, "-j", "1"), mb)
    if "onedoc" in chosen:
        path = os.path.join(work, "fars.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write(fars)
        row("bench corpus as one document", extract(path, "-j", "1"), len(fars.encode()) / 1e6)
    for name, size, marks in (("line34", 3_400_000, False), ("line6", 6_000_000, False),
                              ("sent2", 2_000_000, True)):
        if name not in chosen:
            continue
        text = prefix(fars, size).replace("\n", " ")
        if marks:
            text = re.sub(r"[.!?؟]", " ", text)
        path = os.path.join(work, f"{name}.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        what = "one sentence" if marks else "one line"
        row(f"{what} of {size / 1e6:g} MB", extract(path, "-j", "1"), len(text.encode()) / 1e6)
    for name, count in (("patterns50k", 50_000), ("patterns200k", 200_000)):
        if name in chosen:
            path = os.path.join(work, f"{name}.jsonl")
            patterns(path, count)
            row(f"start-up, {count:,} patterns, built (--no-cache)",
                extract(tiny, "--patterns", path, "--no-cache"), 0)
            row(f"start-up, {count:,} patterns, compiled cache", extract(tiny, "--patterns", path), 0)
    if "threads" in chosen or "rss" in chosen:
        copies = max(1, round(50e6 / len(fars.encode())))
        path50 = os.path.join(work, "c50.jsonl")
        mb50 = write_jsonl(path50, docs, copies) / 1e6
    if "threads" in chosen:
        _, one, _ = row(f"{mb50:.0f} MB corpus, -j1", extract(path50, "-j", "1"), mb50)
        wall1 = rows[-1][2]
        _, two, _ = row(f"{mb50:.0f} MB corpus, -j2", extract(path50, "-j", "2"), mb50)
        rows[-1] = rows[-1][:6] + (f"{float(wall1) / float(rows[-1][2]):.2f}x -j1 (wall)",)
    if "rss" in chosen:
        row(f"{mb50:.0f} MB corpus, peak RSS", extract(path50), mb50)
        path500 = os.path.join(work, "c500.jsonl")
        mb500 = write_jsonl(path500, docs, copies * 10) / 1e6
        rss50 = float(rows[-1][4])
        row(f"{mb500:.0f} MB corpus, peak RSS", extract(path500), mb500)
        rows[-1] = rows[-1][:6] + (f"{float(rows[-1][4]) / rss50:.2f}x the 50 MB RSS",)
        os.remove(path500)
    print("| what | command | wall s | CPU s | peak RSS MiB | MB/s (CPU) | note |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print("| " + " | ".join(f"`{c}`" if i == 1 else c for i, c in enumerate(r)) + " |")
    sys.stdout.flush()
    if "generated" in chosen:
        print()
        subprocess.run([BENCH, "--generated", "10000,100000,1000000"], check=True)
    if "names100k" in chosen:
        print()
        subprocess.run([sys.executable, os.path.join(ROOT, "benches", "names100k.py"), source],
                       check=True)


if __name__ == "__main__":
    main()
