#!/usr/bin/env python3
"""The anchor: pyahocorasick (PyPI) over the aliases and corpus newsgraph matches.

    cargo run --release --example bench -- --dump DIR [FILE...]
    python3 benches/anchor_pyahocorasick.py DIR [--out MATCHES.jsonl]

DIR holds what `--dump` writes: `aliases.txt` (every alias, normalized as newsgraph
normalizes it, a space for each word boundary), `corpus.txt` (each document normalized the
same way, one a line) and `bytes.txt` (the size of the original text). The script builds an
automaton of the aliases, finds every occurrence in each document (overlapping), keeps those
that stand as whole words (no letter or digit right before or after: newsgraph's rule), and
writes them as JSONL (`{"doc": N, "start": S, "end": E, "alias": "..."}`, code points into
the normalized line). It prints the build time and the scan's MB/s (CPU time of the
process: the machine may be shared), counted in bytes of the original text, so that it
compares with newsgraph's figures on the same corpus.
"""

import argparse
import json
import os
import sys
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--out", default=os.devnull, help="matches as JSONL (default: none)")
    args = ap.parse_args()
    try:
        import ahocorasick
    except ImportError:
        sys.exit("anchor: pyahocorasick is missing (pip install pyahocorasick)")

    with open(os.path.join(args.dir, "aliases.txt"), encoding="utf-8") as f:
        aliases = [line.rstrip("\n") for line in f if line.strip()]
    with open(os.path.join(args.dir, "corpus.txt"), encoding="utf-8") as f:
        docs = [line.rstrip("\n") for line in f]
    with open(os.path.join(args.dir, "bytes.txt"), encoding="utf-8") as f:
        original_bytes = int(f.read().strip())

    t = time.process_time()
    automaton = ahocorasick.Automaton()
    for i, alias in enumerate(aliases):
        automaton.add_word(alias, (i, len(alias)))
    automaton.make_automaton()
    build = time.process_time() - t

    matches = 0
    t = time.process_time()
    with open(args.out, "w", encoding="utf-8") as out:
        for d, text in enumerate(docs):
            n = len(text)
            for end, (i, length) in automaton.iter(text):
                start = end - length + 1
                if start > 0 and text[start - 1].isalnum():
                    continue
                if end + 1 < n and text[end + 1].isalnum():
                    continue
                matches += 1
                out.write(
                    json.dumps(
                        {"doc": d, "start": start, "end": end + 1, "alias": aliases[i]},
                        ensure_ascii=False,
                    )
                )
                out.write("\n")
    scan = time.process_time() - t
    mb = original_bytes / 1e6
    print(
        f"pyahocorasick {ahocorasick.__version__ if hasattr(ahocorasick, '__version__') else ''}: "
        f"{len(aliases)} aliases built in {build:.2f} s; {len(docs)} documents, {mb:.2f} MB, "
        f"{matches} whole-word matches in {scan:.3f} s: {mb / scan:.1f} MB/s"
    )


if __name__ == "__main__":
    main()
