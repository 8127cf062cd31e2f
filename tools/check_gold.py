#!/usr/bin/env python3
"""Validate hand-annotated gold files (tests/gold/**.json) against the annotation rules.

Usage:  python3 tools/check_gold.py <GOLD_DIR_OR_FILE> [REPO_ROOT]

REPO_ROOT (default: the current directory) is the folder that `text_file` paths are
relative to. Standard library only. Exit status: 0 no errors, 1 errors found, 2 bad usage.

Checks (E = error, W = warning):
  E  valid JSON; required fields doc, text_file, lang, entities, relations; `doc` equals
     the file stem of the JSON file and of `text_file`; text file exists and is UTF-8
  E  entities: key, type, name_en, surfaces, level; type is a contract entity type;
     key is ISO 3166-1 alpha-2 (2 capitals) for COUNTRY, else a lowercase-hyphen slug;
     keys unique; every surface occurs verbatim in the text; a surface belongs to one entity
  E  level is must/should; every `should` item (entity or relation) has a non-empty `why`
  E  relations: subject, predicate, object, level, line; predicate is a contract predicate
     (part_of is not annotated in gold); subject/object are declared keys and differ;
     `role` present for holds_office; `symmetric: true` exactly on symmetric predicates;
     `line` is an integer within the file; no duplicate relation
  E  the evidence line contains a surface of the subject or the object (only W for a
     `should` relation or one with a `why`: it may rest on a pronoun or a title)
  W  subject/object types that differ from the contract table; unknown fields
"""
import json
import os
import re
import sys

# From the contract (CONTRACT.md, "Entity types" and "Predicates").
ENTITY_TYPES = {"PERSON", "PARTY", "COUNTRY", "REGION", "CITY", "ORGANIZATION", "INITIATIVE",
                "EVENT", "PRINCIPLE", "DOCUMENT"}
SYMMETRIC = {"met_with", "signed", "diplomatic_relations", "cooperates_with",
             "issued_joint_statement"}
DIRECTED = {"holds_office", "visited", "thanked", "invited", "congratulated", "supports",
            "adheres_to", "member_of"}
PREDICATES = SYMMETRIC | DIRECTED | {"part_of"}
ACTOR = {"PERSON", "COUNTRY", "ORGANIZATION", "PARTY", "REGION"}
# Expected (subject types, object types); None = any. Deviations are warnings only.
TYPE_TABLE = {
    "met_with": ({"PERSON", "COUNTRY"}, {"PERSON", "COUNTRY"}),
    "signed": (ACTOR, ACTOR),
    "holds_office": ({"PERSON"}, {"COUNTRY", "PARTY", "ORGANIZATION"}),
    "visited": ({"PERSON"}, {"COUNTRY"}),
    "diplomatic_relations": ({"COUNTRY"}, {"COUNTRY"}),
    "thanked": ({"PERSON"}, None),
    "invited": ({"PERSON"}, {"PERSON"}),
    "congratulated": ({"PERSON"}, None),
    "supports": (ACTOR, None),
    "adheres_to": (ACTOR, {"PRINCIPLE"}),
    "cooperates_with": (ACTOR, ACTOR),
    "issued_joint_statement": (ACTOR, ACTOR),
    "member_of": (ACTOR, {"ORGANIZATION", "PARTY"}),
}
LEVELS = {"must", "should"}
TOP_KEYS = {"doc", "text_file", "lang", "published", "notes", "entities", "relations"}
ENTITY_KEYS = {"key", "type", "name_en", "surfaces", "level", "why", "notes"}
RELATION_KEYS = {"subject", "predicate", "object", "role", "symmetric", "level", "line",
                 "why", "notes"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO2 = re.compile(r"^[A-Z]{2}$")


def check_file(path, root):
    errors, warnings = [], []
    E = errors.append
    W = warnings.append
    stats = {"ent": {"must": 0, "should": 0}, "rel": {"must": 0, "should": 0}}
    try:
        with open(path, encoding="utf-8") as f:
            gold = json.load(f)
    except (OSError, ValueError) as exc:
        return [f"cannot read JSON: {exc}"], [], stats
    if not isinstance(gold, dict):
        return ["top level is not an object"], [], stats

    for k in ("doc", "text_file", "lang", "entities", "relations"):
        if k not in gold:
            E(f"missing field '{k}'")
    for k in gold:
        if k not in TOP_KEYS:
            W(f"unknown top-level field '{k}'")
    doc = gold.get("doc")
    stem = os.path.splitext(os.path.basename(path))[0]
    if not isinstance(doc, str) or not doc:
        E("'doc' must be a non-empty string")
    elif doc != stem:
        E(f"'doc' is '{doc}' but the file is named '{stem}.json'")
    if not isinstance(gold.get("lang"), str) or not gold.get("lang"):
        E("'lang' must be a non-empty string")
    if "published" in gold and not isinstance(gold["published"], str):
        E("'published' must be a string")

    text, lines = None, []
    tf = gold.get("text_file")
    if not isinstance(tf, str) or not tf:
        E("'text_file' must be a non-empty string")
    elif os.path.isabs(tf):
        E(f"'text_file' must be relative to the repository root: {tf}")
    else:
        if isinstance(doc, str) and os.path.splitext(os.path.basename(tf))[0] != doc:
            E(f"text_file stem differs from doc: {tf}")
        full = os.path.join(root, tf)
        try:
            with open(full, encoding="utf-8", newline="") as f:
                text = f.read()
            lines = text.split("\n")
            if lines and lines[-1] == "":
                lines.pop()
        except (OSError, UnicodeDecodeError) as exc:
            E(f"cannot read text file {full}: {exc}")

    entities = gold.get("entities", [])
    relations = gold.get("relations", [])
    if not isinstance(entities, list):
        E("'entities' must be a list")
        entities = []
    if not isinstance(relations, list):
        E("'relations' must be a list")
        relations = []

    types, surfaces, owner = {}, {}, {}
    for i, ent in enumerate(entities):
        where = f"entity #{i + 1}"
        if not isinstance(ent, dict):
            E(f"{where}: not an object")
            continue
        key = ent.get("key")
        where = f"entity '{key}'" if isinstance(key, str) else where
        for k in ("key", "type", "name_en", "surfaces", "level"):
            if k not in ent:
                E(f"{where}: missing '{k}'")
        for k in ent:
            if k not in ENTITY_KEYS:
                W(f"{where}: unknown field '{k}'")
        typ = ent.get("type")
        if typ not in ENTITY_TYPES:
            E(f"{where}: type '{typ}' is not a contract entity type")
        if not isinstance(key, str) or not key:
            E(f"{where}: 'key' must be a non-empty string")
            continue
        if typ == "COUNTRY" and not ISO2.match(key):
            E(f"{where}: a COUNTRY key must be an ISO 3166-1 alpha-2 code")
        if typ != "COUNTRY" and not SLUG.match(key):
            E(f"{where}: key must be a lowercase-hyphen slug")
        if key in types:
            E(f"{where}: duplicate key")
        types[key] = typ
        if not isinstance(ent.get("name_en"), str) or not ent.get("name_en"):
            E(f"{where}: 'name_en' must be a non-empty string")
        level = ent.get("level")
        if level not in LEVELS:
            E(f"{where}: level '{level}' is not must/should")
        elif level == "should":
            if not isinstance(ent.get("why"), str) or not ent["why"].strip():
                E(f"{where}: a 'should' entity needs a 'why'")
        stats["ent"][level if level in LEVELS else "must"] += 1
        surfs = ent.get("surfaces")
        if not isinstance(surfs, list) or not surfs:
            E(f"{where}: 'surfaces' must be a non-empty list")
            surfs = []
        good = []
        for s in surfs:
            if not isinstance(s, str) or not s:
                E(f"{where}: empty or non-string surface {s!r}")
                continue
            if s != s.strip():
                W(f"{where}: surface has leading/trailing whitespace {s!r}")
            if s in good:
                W(f"{where}: surface listed twice {s!r}")
            if text is not None and s not in text:
                E(f"{where}: surface not in text: {s!r}")
            if s in owner and owner[s] != key:
                E(f"{where}: surface {s!r} also belongs to '{owner[s]}'")
            owner[s] = key
            good.append(s)
        surfaces[key] = good

    seen = set()
    for i, rel in enumerate(relations):
        where = f"relation #{i + 1}"
        if not isinstance(rel, dict):
            E(f"{where}: not an object")
            continue
        for k in ("subject", "predicate", "object", "level", "line"):
            if k not in rel:
                E(f"{where}: missing '{k}'")
        for k in rel:
            if k not in RELATION_KEYS:
                W(f"{where}: unknown field '{k}'")
        subj, pred, obj = rel.get("subject"), rel.get("predicate"), rel.get("object")
        where = f"relation #{i + 1} ({subj} {pred} {obj})"
        if pred not in PREDICATES:
            E(f"{where}: '{pred}' is not a contract predicate")
        elif pred == "part_of":
            E(f"{where}: part_of is not annotated in gold (GUIDELINES)")
        for role_name, k in (("subject", subj), ("object", obj)):
            if k not in types:
                E(f"{where}: {role_name} '{k}' is not a declared entity key")
        if subj is not None and subj == obj:
            E(f"{where}: subject and object are the same entity")
        level = rel.get("level")
        if level not in LEVELS:
            E(f"{where}: level '{level}' is not must/should")
        elif level == "should":
            if not isinstance(rel.get("why"), str) or not rel["why"].strip():
                E(f"{where}: a 'should' relation needs a 'why'")
        stats["rel"][level if level in LEVELS else "must"] += 1
        if pred == "holds_office":
            if not isinstance(rel.get("role"), str) or not rel["role"].strip():
                E(f"{where}: holds_office needs a 'role'")
        elif "role" in rel:
            W(f"{where}: 'role' on a predicate other than holds_office")
        if pred in SYMMETRIC and rel.get("symmetric") is not True:
            E(f"{where}: symmetric predicate needs \"symmetric\": true")
        if pred in DIRECTED and rel.get("symmetric"):
            E(f"{where}: '{pred}' is not symmetric")
        if "symmetric" in rel and not isinstance(rel["symmetric"], bool):
            E(f"{where}: 'symmetric' must be a boolean")
        if pred in TYPE_TABLE and subj in types and obj in types:
            st, ot = TYPE_TABLE[pred]
            if pred in SYMMETRIC:
                pair_ok = (st is None or (types[subj] in st and types[obj] in st))
                if not pair_ok:
                    W(f"{where}: types {types[subj]}/{types[obj]} differ from the contract table")
            else:
                if st is not None and types[subj] not in st:
                    W(f"{where}: subject type {types[subj]} differs from the contract table")
                if ot is not None and types[obj] not in ot:
                    W(f"{where}: object type {types[obj]} differs from the contract table")
        sig = ((tuple(sorted((str(subj), str(obj)))), pred) if pred in SYMMETRIC
               else (subj, pred, obj, rel.get("role")))
        if sig in seen:
            E(f"{where}: duplicate relation")
        seen.add(sig)
        line = rel.get("line")
        if not isinstance(line, int) or isinstance(line, bool):
            E(f"{where}: 'line' must be an integer")
        elif text is not None:
            if not 1 <= line <= len(lines):
                E(f"{where}: line {line} outside 1..{len(lines)}")
            else:
                evidence = lines[line - 1]
                cands = surfaces.get(subj, []) + surfaces.get(obj, [])
                if cands and not any(s in evidence for s in cands):
                    msg = f"{where}: line {line} contains no surface of subject or object"
                    explained = isinstance(rel.get("why"), str) and rel["why"].strip()
                    (W if level == "should" or explained else E)(msg)
    return errors, warnings, stats


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 2
    target = argv[1]
    root = argv[2] if len(argv) > 2 else os.getcwd()
    if os.path.isdir(target):
        files = sorted(os.path.join(d, f) for d, _, fs in os.walk(target)
                       for f in fs if f.endswith(".json"))
    elif os.path.isfile(target):
        files = [target]
    else:
        print(f"no such file or folder: {target}", file=sys.stderr)
        return 2
    if not files:
        print(f"no .json gold files under {target}", file=sys.stderr)
        return 2
    n_err = n_warn = 0
    tot = {"ent": {"must": 0, "should": 0}, "rel": {"must": 0, "should": 0}}
    for path in files:
        errors, warnings, st = check_file(path, root)
        for a in tot:
            for b in tot[a]:
                tot[a][b] += st[a][b]
        status = "ok" if not errors else f"{len(errors)} error(s)"
        print(f"{path}: {status}; entities {st['ent']['must']}+{st['ent']['should']}, "
              f"relations {st['rel']['must']}+{st['rel']['should']} (must+should)")
        for e in errors:
            print(f"  ERROR {e}")
        for w in warnings:
            print(f"  warning {w}")
        n_err += len(errors)
        n_warn += len(warnings)
    print(f"{len(files)} file(s); entities {tot['ent']['must']}+{tot['ent']['should']}, "
          f"relations {tot['rel']['must']}+{tot['rel']['should']} (must+should); "
          f"{n_err} error(s), {n_warn} warning(s)")
    return 1 if n_err else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
