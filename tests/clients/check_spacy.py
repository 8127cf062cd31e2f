#!/usr/bin/env python3
"""Load docs.spacy.jsonl with spaCy's Doc.from_json and compare it with mentions.jsonl.

    check_spacy.py DIR

Every line must load with Doc(vocab).from_json(line, validate=True); the documents must be
the ok rows of documents.jsonl, in order; each Doc's text, its entities (the top-level
mentions, labels in spaCy's scheme), its "newsgraph" span group (every mention with its node
id as kb_id) and its sentences must agree with mentions.jsonl; and Doc.to_json() must give
back the same tokens (so the tokenization is exactly what spaCy itself keeps).
"""

import json
import sys
from collections import defaultdict
from pathlib import Path

import spacy
from spacy.tokens import Doc

from common import Problems

LABELS = {"PERSON": "PERSON", "COUNTRY": "GPE", "CITY": "GPE", "REGION": "LOC",
          "ORGANIZATION": "ORG", "PARTY": "ORG", "EVENT": "EVENT", "DOCUMENT": "LAW"}


def jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main(folder):
    folder = Path(folder)
    problems = Problems("check_spacy")
    nlp = spacy.blank("xx")
    mentions = defaultdict(list)
    for m in jsonl(folder / "mentions.jsonl"):
        mentions[m["doc"]].append(m)
    ok_docs = [d["doc"] for d in jsonl(folder / "documents.jsonl") if d["status"] == "ok"]
    lines = jsonl(folder / "docs.spacy.jsonl")
    ids = [line.get("newsgraph", {}).get("doc") for line in lines]
    problems.check(ids == ok_docs, f"documents {ids[:5]}... differ from documents.jsonl's {ok_docs[:5]}...")
    entities = tokens = 0
    for line in lines:
        doc_id = line.get("newsgraph", {}).get("doc")
        try:
            doc = Doc(nlp.vocab).from_json(line, validate=True)
        except Exception as e:  # noqa: BLE001 - report whatever spaCy refuses
            problems.add(f"{doc_id}: Doc.from_json failed: {e}")
            continue
        where = f"document {doc_id!r}"
        problems.check(doc.text == line["text"], f"{where}: text changed")
        ours = mentions.get(doc_id, [])
        # spaCy's entities do not overlap: a span resolved to two entities ("the two sides")
        # is one entity, of the first.
        top, end = [], 0
        for m in ours:
            if not m["nested"] and m["start"] >= end:
                top.append((m["start"], m["end"], LABELS.get(m["type"], m["type"]), m["text"]))
                end = m["end"]
        got = [(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents]
        problems.check(got == top, f"{where}: entities {got[:4]}... differ from mentions.jsonl's {top[:4]}...")
        spans = [(s.start_char, s.end_char, s.label_, s.kb_id_) for s in doc.spans.get("newsgraph", [])]
        every = [(m["start"], m["end"], m["type"], m["entity"]) for m in ours]
        problems.check(spans == every, f"{where}: the newsgraph span group differs from mentions.jsonl")
        back = [(t["start"], t["end"]) for t in doc.to_json()["tokens"]]
        problems.check(back == [(t["start"], t["end"]) for t in line["tokens"]],
                       f"{where}: Doc.to_json() gives other tokens than the file")
        problems.check(len(list(doc.sents)) == len(line["sents"]), f"{where}: sentence count")
        entities += len(got)
        tokens += len(doc)
    problems.exit(folder, f"{len(lines)} documents, {tokens} tokens and {entities} entities load "
                  f"in spaCy {spacy.__version__} and agree with mentions.jsonl")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1])
