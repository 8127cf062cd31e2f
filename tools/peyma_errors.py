#!/usr/bin/env python3
"""List false negatives and false positives by class, with context, on a CoNLL corpus.

Study errors on peyma-train only (PEYMA is research-only: never copy its names into gazetteers).

    python3 tools/peyma_errors.py ../shared/ner/peyma-train.conll [--gazetteers gazetteers]
        [--bin target/release/newsgraph] [--class PER] [--kind fn|fp] [--group first|last|len]
        [--context N]

Prints per-class P/R (exact span, mapped type), then the largest groups of errors.
With --context N, each sentence is run after the N sentences before it, one a line (PEYMA is
consecutive sentences of articles), and only its own mentions are scored, as
`newsgraph eval --context N` does; a coref mention counts when it is a short form (its text is
words are a run of the words of an earlier mention of the same entity), not a pronoun or a title.
"""
import argparse, collections, json, subprocess, sys

MAP = {"PERSON": "PER", "COUNTRY": "LOC", "REGION": "LOC", "CITY": "LOC",
       "ORGANIZATION": "ORG", "PARTY": "ORG"}


def read_conll(path):
    sents, toks, tags = [], [], []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("-DOCSTART-"):
            if toks:
                sents.append((toks, tags))
            toks, tags = [], []
            continue
        parts = line.split()
        toks.append(parts[0]); tags.append(parts[-1])
    if toks:
        sents.append((toks, tags))
    out = []
    for toks, tags in sents:
        text = " ".join(toks)
        spans, pos, cur = [], 0, None
        for t, g in zip(toks, tags):
            s, e = pos, pos + len(t)
            lab = g[2:] if len(g) > 2 else None
            if g.startswith("B-") or (g.startswith("I-") and (cur is None or cur[2] != lab)):
                if cur: spans.append(tuple(cur))
                cur = [s, e, lab]
            elif g.startswith("I-"):
                cur[1] = e
            else:
                if cur: spans.append(tuple(cur))
                cur = None
            pos = e + 1
        if cur: spans.append(tuple(cur))
        out.append((text, [s for s in spans if s[2] in ("PER", "LOC", "ORG")]))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("conll")
    ap.add_argument("--gazetteers", default="gazetteers")
    ap.add_argument("--bin", default="target/release/newsgraph")
    ap.add_argument("--class", dest="cls")
    ap.add_argument("--kind", choices=["fn", "fp"])
    ap.add_argument("--group", choices=["first", "last", "len", "via", "text", "prev"], default="first")
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--examples", type=int, default=2)
    ap.add_argument("--pattern", help="precision of one pattern's mentions, grouped by --group")
    ap.add_argument("--context", type=int, default=0, help="sentences before each one to run it after")
    a = ap.parse_args()
    sents = read_conll(a.conll)
    skip = []
    lines = []
    for i, (t, _) in enumerate(sents):
        before = "".join(sents[j][0] + "\n" for j in range(max(0, i - a.context), i))
        skip.append(len(before))
        lines.append(json.dumps({"id": str(i), "text": before + t}, ensure_ascii=False) + "\n")
    inp = "".join(lines)
    cmd = [a.bin, "extract", "-", "--emit", "jsonl", "-q", "--gazetteers", a.gazetteers]
    res = subprocess.run(cmd, input=inp.encode(), capture_output=True, check=True)
    pred = collections.defaultdict(list)
    for line in res.stdout.decode().splitlines():
        row = json.loads(line)
        doc = row.get("doc")
        if not doc or "mentions" not in doc:
            continue
        seen = collections.defaultdict(list)
        for m in doc["mentions"].splitlines():
            m = json.loads(m)
            words = m["text"].split()
            short = a.context > 0 and m["via"] == "coref" and any(
                words == t[k:k + len(words)] for t in seen[m["entity"]] for k in range(len(t)))
            if m["via"] != "coref":
                seen[m["entity"]].append(words)
            if m["nested"] or m["type"] not in MAP or (m["via"] == "coref" and not short):
                continue
            i = int(m["doc"])
            if m["start"] < skip[i]:
                continue
            pred[i].append((m["start"] - skip[i], m["end"] - skip[i], MAP[m["type"]], m["via"], m.get("pattern", "")))
    stats = collections.Counter()
    errs = {"fn": collections.defaultdict(list), "fp": collections.defaultdict(list)}
    for i, (text, gold) in enumerate(sents):
        g = {(s, e): l for s, e, l in gold}
        p = {(s, e): (l, v, pat) for s, e, l, v, pat in pred[i]}
        for (s, e), l in g.items():
            stats[("gold", l)] += 1
            if p.get((s, e), (None,))[0] == l:
                stats[("tp", l)] += 1
            else:
                errs["fn"][l].append((text, s, e, p.get((s, e)), [x for x in p if x[0] < e and s < x[1]]))
        for (s, e), (l, v, pat) in p.items():
            stats[("pred", l)] += 1
            if g.get((s, e)) != l:
                ov = [(gs, ge, gl) for (gs, ge), gl in g.items() if gs < e and s < ge]
                errs["fp"][l].append((text, s, e, (l, v, pat), ov))
    if a.pattern:
        tally = collections.defaultdict(lambda: [0, 0])
        for i, (text, gold) in enumerate(sents):
            g = {(s, e): l for s, e, l in gold}
            for s, e, l, v, pat in pred[i]:
                if pat != a.pattern:
                    continue
                span = text[s:e].split()
                k = {"first": span[0], "last": span[-1], "len": str(len(span))}.get(a.group, text[s:e])
                tally[k][0 if g.get((s, e)) == l else 1] += 1
        tp = sum(t[0] for t in tally.values()); fp = sum(t[1] for t in tally.values())
        print(f"pattern {a.pattern}: {tp} right, {fp} wrong, P {tp/max(tp+fp,1):.3f}")
        for k, (t, f) in sorted(tally.items(), key=lambda kv: -sum(kv[1]))[:a.top]:
            print(f"  {t:5d} {f:5d}  {t/(t+f):.2f}  {k}")
        return
    for l in ("PER", "LOC", "ORG"):
        tp, gd, pr = stats[("tp", l)], stats[("gold", l)], stats[("pred", l)]
        print(f"{l}: gold {gd} ours {pr} tp {tp} P {tp/max(pr,1):.3f} R {tp/max(gd,1):.3f}")
    for kind in ("fn", "fp"):
        if a.kind and kind != a.kind:
            continue
        for l, items in errs[kind].items():
            if a.cls and l != a.cls:
                continue
            groups = collections.defaultdict(list)
            for it in items:
                text, s, e, info, ov = it
                span = text[s:e].split()
                if a.group == "first": k = span[0] if span else ""
                elif a.group == "last": k = span[-1] if span else ""
                elif a.group == "len": k = str(len(span))
                elif a.group == "via": k = f"{info[1]}:{info[2]}" if info else "-"
                elif a.group == "prev":
                    before = text[:s].split(); k = before[-1] if before else "^"
                else: k = text[s:e]
                groups[k].append(it)
            print(f"\n== {kind.upper()} {l}: {len(items)} in {len(groups)} groups by {a.group}")
            for k, its in sorted(groups.items(), key=lambda kv: -len(kv[1]))[:a.top]:
                print(f"  {len(its):5d}  {k}")
                for text, s, e, info, ov in its[:a.examples]:
                    ctx = text[max(0, s - 50):s] + "[[" + text[s:e] + "]]" + text[e:e + 50]
                    extra = f" ours={info}" if kind == "fn" and info else ""
                    ovs = " ov=" + ";".join((text[x[0]:x[1]] + "/" + str(x[2]) if kind == "fp" else text[x[0]:x[1]]) for x in ov) if ov else ""
                    print(f"         | {ctx}{extra}{ovs}")


if __name__ == "__main__":
    main()
