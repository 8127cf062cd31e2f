#!/usr/bin/env python3
"""Check graph.gexf with NetworkX's read_gexf against nodes.csv and edges.csv.

    check_gexf.py DIR

The file must be GEXF 1.3 (namespace and version), every node of nodes.csv must be there with
its label and typed attributes, and every edge of edges.csv with its id as the multigraph key,
its predicate as `kind`, its weight, its attributes and, when it has ISO dates, `start` and
`end`. A symmetric edge is `mutual`, which NetworkX reads as one edge each way with the same
key. Parallel edges (several predicates between two nodes) must all be there.
"""

import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import networkx

from common import Problems, edges, nodes

GEXF_NS = "http://gexf.net/1.3"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def main(folder):
    folder = Path(folder)
    problems = Problems("check_gexf")
    path = folder / "graph.gexf"
    root = ET.parse(path).getroot()
    problems.check(root.tag == f"{{{GEXF_NS}}}gexf", f"root element is {root.tag}")
    problems.check(root.get("version") == "1.3", f"version is {root.get('version')!r}")
    graph_el = root.find(f"{{{GEXF_NS}}}graph")
    declared = {}
    for attributes in graph_el.findall(f"{{{GEXF_NS}}}attributes"):
        for a in attributes.findall(f"{{{GEXF_NS}}}attribute"):
            declared[(attributes.get("class"), a.get("title"))] = a.get("type")
    for (cls, title, ty) in [("node", "mentions", "integer"), ("node", "type", "string"),
                             ("edge", "directed", "boolean"), ("edge", "background", "boolean"),
                             ("edge", "relation", "string"), ("edge", "documents", "integer")]:
        problems.check(declared.get((cls, title)) == ty,
                       f"{cls} attribute {title} is declared {declared.get((cls, title))!r}")

    g = networkx.read_gexf(path)
    problems.check(g.is_directed() and g.is_multigraph(), "not read as a directed multigraph")
    csv_nodes = nodes(folder)
    problems.check(list(g.nodes) == [n["id"] for n in csv_nodes],
                   "nodes differ from nodes.csv (ids or order)")
    for n in csv_nodes:
        if n["id"] not in g:
            continue
        data = g.nodes[n["id"]]
        where = f"node {n['id']!r}"
        problems.check(data.get("label") == n["label"], f"{where}: label {data.get('label')!r}")
        problems.check(data.get("type") == n["type"], f"{where}: type {data.get('type')!r}")
        problems.check(data.get("mentions") == int(n["mentions"]) and
                       type(data.get("mentions")) is int, f"{where}: mentions {data.get('mentions')!r}")
        problems.check(data.get("documents") == int(n["documents"]),
                       f"{where}: documents {data.get('documents')!r}")
        for column in ("name_en", "name_fa", "wikidata"):
            problems.check(data.get(column, "") == n[column],
                           f"{where}: {column} {data.get(column)!r}, nodes.csv {n[column]!r}")
        problems.check("viz" in data and "color" in data["viz"], f"{where}: no viz:color")

    csv_edges = edges(folder)
    expected = sum(1 if e["directed"] == "true" else 2 for e in csv_edges)
    problems.check(g.number_of_edges() == expected,
                   f"{g.number_of_edges()} edges read, expected {expected} "
                   f"({len(csv_edges)} in edges.csv, symmetric ones both ways)")
    for e in csv_edges:
        where = f"edge {e['id']!r}"
        ends = [(e["source"], e["target"])]
        if e["directed"] == "false":
            ends.append((e["target"], e["source"]))
        for u, v in ends:
            data = g.get_edge_data(u, v, key=e["id"])
            if data is None:
                problems.add(f"{where}: no edge {u} -> {v} with that key")
                continue
            problems.check(data.get("relation") == e["relation"], f"{where}: relation")
            problems.check(data.get("role", "") == e["role"], f"{where}: role {data.get('role')!r}")
            problems.check(data.get("weight") == float(e["weight"]), f"{where}: weight {data.get('weight')!r}")
            problems.check(data.get("directed") is (e["directed"] == "true"), f"{where}: directed")
            problems.check(data.get("background") is (e["background"] == "true"), f"{where}: background")
            problems.check(data.get("documents") == int(e["documents"]), f"{where}: documents")
            problems.check(data.get("document_ids", "") == e["document_ids"], f"{where}: document_ids")
            if DATE.match(e["first_published"]) and DATE.match(e["last_published"]):
                problems.check(data.get("start") == e["first_published"][:10],
                               f"{where}: start {data.get('start')!r}")
                problems.check(data.get("end") == e["last_published"][:10],
                               f"{where}: end {data.get('end')!r}")
            else:
                problems.check("start" not in data, f"{where}: start without a date")
    # GEXF's kind is what keeps parallel edges apart in Gephi.
    for el in graph_el.find(f"{{{GEXF_NS}}}edges"):
        problems.check(el.get("kind") and el.get("id"), f"edge {el.get('id')!r} without kind or id")
    pairs = Counter(frozenset((e["source"], e["target"])) for e in csv_edges)
    parallel = max(pairs.values(), default=0)
    problems.check(g.graph.get("mode") in ("static", "dynamic"), "no mode")
    problems.exit(folder, f"{g.number_of_nodes()} nodes and {len(csv_edges)} edges agree with the "
                  f"CSV files in networkx {networkx.__version__} (up to {parallel} parallel edges "
                  f"between two nodes, mode {g.graph.get('mode')})")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1])
