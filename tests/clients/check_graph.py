#!/usr/bin/env python3
"""Check that graph.graphml, nodes.csv and edges.csv in a folder describe the same graph.

    check_graph.py DIR

graph.graphml is read twice, with networkx.read_graphml and igraph.Graph.Read_GraphML, and
the CSV files with Python's csv module. The three must agree on the nodes (same ids, same
order), the edges (same identities, same endpoints, same order) and every attribute's value
and type: strings are str, ints are int, booleans are bool. igraph keeps every numeric
attribute as a float, so there an int must be a float with an integral value.

An absent string (no <data> element, an empty CSV field) reads as None in NetworkX and as ""
in igraph; both count as absent. Ints and booleans must always be present.

Exit status: 0 when everything agrees; 1 with one line per disagreement on stderr otherwise.
"""

import csv
import io
import math
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import igraph
import networkx

GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"

# The attributes newsgraph's contract promises, with their GraphML types. More are allowed,
# as long as the CSV files have them too.
REQUIRED = {
    "node": {
        "label": "string",
        "type": "string",
        "name_en": "string",
        "name_fa": "string",
        "wikidata": "string",
        "mentions": "int",
        "documents": "int",
    },
    "edge": {
        "relation": "string",
        "role": "string",
        "first_published": "string",
        "last_published": "string",
        "document_ids": "string",
        "weight": "int",
        "documents": "int",
        "directed": "boolean",
        "background": "boolean",
        "edge_id": "string",
    },
}

# Columns of the CSV files that are not GraphML data attributes: the node id and the edge's
# endpoints are GraphML's own id, source and target.
CSV_STRUCTURE = {"node": {"id"}, "edge": {"source", "target"}}

# edge_id is in GraphML only; the CSV files spell the identity out in four columns.
GRAPHML_ONLY = {"node": set(), "edge": {"edge_id"}}

PYTHON_TYPES = {"string": str, "int": int, "long": int, "boolean": bool}

MAX_ERRORS = 60


class Problems:
    def __init__(self):
        self.lines = []

    def add(self, message):
        self.lines.append(message)

    def __bool__(self):
        return bool(self.lines)

    def report(self, folder):
        shown = self.lines[:MAX_ERRORS]
        for line in shown:
            print(f"check_graph: {folder}: {line}", file=sys.stderr)
        if len(self.lines) > len(shown):
            print(
                f"check_graph: {folder}: ... and {len(self.lines) - len(shown)} more",
                file=sys.stderr,
            )


def declared_keys(path, problems):
    """{"node": {name: type}, "edge": {name: type}} from the <key> elements."""
    keys = {"node": {}, "edge": {}}
    root = ET.parse(path).getroot()
    for key in root.iter(GRAPHML_NS + "key"):
        domain = key.get("for")
        name = key.get("attr.name")
        kind = key.get("attr.type")
        if domain not in keys:
            problems.add(f"graph.graphml: key {key.get('id')!r} is for {domain!r}")
            continue
        if kind not in PYTHON_TYPES:
            problems.add(f"graph.graphml: {domain} attribute {name!r} has type {kind!r}")
            continue
        if name in keys[domain]:
            problems.add(f"graph.graphml: {domain} attribute {name!r} declared twice")
        keys[domain][name] = kind
    for domain, required in REQUIRED.items():
        for name, kind in required.items():
            got = keys[domain].get(name)
            if got is None:
                problems.add(f"graph.graphml: no <key> for {domain} attribute {name!r}")
            elif got != kind:
                problems.add(
                    f"graph.graphml: {domain} attribute {name!r} is {got!r}, expected {kind!r}"
                )
    return keys


def edge_identity(source, relation, role, target):
    return f"{source}|{relation}|{role or ''}|{target}"


def from_csv_field(text, kind):
    """The typed value of a CSV field, None for an absent string; raises ValueError."""
    if kind == "string":
        return text if text != "" else None
    if kind in ("int", "long"):
        if not text.isdigit():
            raise ValueError(f"{text!r} is not a non-negative integer")
        return int(text)
    if kind == "boolean":
        if text not in ("true", "false"):
            raise ValueError(f"{text!r} is not true or false")
        return text == "true"
    raise ValueError(f"unknown type {kind!r}")


def read_csv(path, domain, keys, problems):
    """[(identity, endpoints, {name: value})] in file order."""
    rows = []
    with open(path, newline="", encoding="utf-8") as f:
        raw = f.read()
    if raw.startswith("\ufeff"):
        problems.add(f"{path.name}: starts with a byte order mark")
        raw = raw[1:]
    reader = csv.DictReader(io.StringIO(raw, newline=""))
    columns = set(reader.fieldnames or [])
    expected = (set(keys[domain]) - GRAPHML_ONLY[domain]) | CSV_STRUCTURE[domain]
    for missing in sorted(expected - columns):
        problems.add(f"{path.name}: no column {missing!r} (graph.graphml has it)")
    for extra in sorted(columns - expected):
        problems.add(f"{path.name}: column {extra!r} has no <key> in graph.graphml")
    for line, row in enumerate(reader, start=2):
        if None in row or any(v is None for v in row.values()):
            problems.add(f"{path.name}:{line}: wrong number of fields")
            continue
        values = {}
        for name, kind in keys[domain].items():
            if name in GRAPHML_ONLY[domain] or name not in row:
                continue
            try:
                values[name] = from_csv_field(row[name], kind)
            except ValueError as e:
                problems.add(f"{path.name}:{line}: {name}: {e}")
        if domain == "node":
            rows.append((row.get("id", ""), None, values))
        else:
            identity = edge_identity(
                row.get("source"), row.get("relation"), row.get("role"), row.get("target")
            )
            if "edge_id" in keys["edge"]:
                values["edge_id"] = identity
            rows.append((identity, (row.get("source"), row.get("target")), values))
    return rows


def check_value(where, name, kind, value, problems, numbers_as_floats=False):
    """The value normalized for comparison (None for an absent string), after type checks."""
    want = PYTHON_TYPES[kind]
    if kind == "string":
        if value is None or value == "":
            return None
        if type(value) is not str:
            problems.add(f"{where}: {name} is {type(value).__name__} {value!r}, expected str")
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        problems.add(f"{where}: {name} is missing")
        return None
    if want is int and numbers_as_floats and type(value) is float:
        if not value.is_integer():
            problems.add(f"{where}: {name} is {value!r}, expected an integer")
        return int(value)
    if type(value) is not want:
        problems.add(
            f"{where}: {name} is {type(value).__name__} {value!r}, expected {want.__name__}"
        )
    return value


def read_networkx(path, keys, problems):
    g = networkx.read_graphml(path)
    if not g.is_directed():
        problems.add("networkx: graph is not directed")
    nodes = []
    for node_id, data in g.nodes(data=True):
        where = f"networkx node {node_id!r}"
        values = {
            name: check_value(where, name, kind, data.get(name), problems)
            for name, kind in keys["node"].items()
        }
        for name in sorted(set(data) - set(keys["node"])):
            problems.add(f"{where}: undeclared attribute {name!r}")
        nodes.append((node_id, None, values))
    edges = []
    for source, target, data in g.edges(data=True):
        where = f"networkx edge {source!r} -> {target!r} {data.get('edge_id')!r}"
        values = {
            name: check_value(where, name, kind, data.get(name), problems)
            for name, kind in keys["edge"].items()
        }
        for name in sorted(set(data) - set(keys["edge"])):
            problems.add(f"{where}: undeclared attribute {name!r}")
        edges.append((values.get("edge_id"), (source, target), values))
    # networkx lists a multigraph's edges grouped by source node, not in file order.
    return nodes, edges


def read_igraph(path, keys, problems):
    g = igraph.Graph.Read_GraphML(str(path))
    if not g.is_directed():
        problems.add("igraph: graph is not directed")
    ids = g.vs["id"] if "id" in g.vs.attributes() else [str(v.index) for v in g.vs]
    nodes = []
    for vertex in g.vs:
        data = vertex.attributes()
        where = f"igraph node {ids[vertex.index]!r}"
        values = {
            name: check_value(where, name, kind, data.get(name), problems, True)
            for name, kind in keys["node"].items()
        }
        nodes.append((ids[vertex.index], None, values))
    edges = []
    for edge in g.es:
        data = edge.attributes()
        source, target = ids[edge.source], ids[edge.target]
        where = f"igraph edge {source!r} -> {target!r} {data.get('edge_id')!r}"
        values = {
            name: check_value(where, name, kind, data.get(name), problems, True)
            for name, kind in keys["edge"].items()
        }
        edges.append((values.get("edge_id"), (source, target), values))
    return nodes, edges


def compare(what, reference, other, other_name, problems, ordered=True):
    """Compare [(identity, endpoints, values)] lists from the CSV files and a library."""
    ref_ids = [r[0] for r in reference]
    other_ids = [o[0] for o in other]
    if len(reference) != len(other):
        problems.add(f"{what}: {len(reference)} in the CSV files, {len(other)} in {other_name}")
    if len(set(ref_ids)) != len(ref_ids):
        problems.add(f"{what}: duplicate identities in the CSV files")
    for missing in sorted(set(ref_ids) - set(other_ids), key=str):
        problems.add(f"{what} {missing!r}: in the CSV files, not in {other_name}")
    for extra in sorted(set(other_ids) - set(ref_ids), key=str):
        problems.add(f"{what} {extra!r}: in {other_name}, not in the CSV files")
    if ordered and ref_ids != other_ids and set(ref_ids) == set(other_ids):
        problems.add(f"{what}: {other_name} has them in another order than the CSV files")
    by_id = {o[0]: o for o in other}
    for identity, endpoints, values in reference:
        found = by_id.get(identity)
        if found is None:
            continue
        if endpoints is not None and found[1] != endpoints:
            problems.add(
                f"{what} {identity!r}: endpoints {endpoints} in the CSV files, "
                f"{found[1]} in {other_name}"
            )
        for name, value in values.items():
            theirs = found[2].get(name)
            if theirs != value or type(theirs) is not type(value):
                problems.add(
                    f"{what} {identity!r}: {name} is {value!r} in the CSV files, "
                    f"{theirs!r} in {other_name}"
                )


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    folder = Path(argv[1])
    problems = Problems()
    graphml = folder / "graph.graphml"
    keys = declared_keys(graphml, problems)
    csv_nodes = read_csv(folder / "nodes.csv", "node", keys, problems)
    csv_edges = read_csv(folder / "edges.csv", "edge", keys, problems)
    nx_nodes, nx_edges = read_networkx(graphml, keys, problems)
    ig_nodes, ig_edges = read_igraph(graphml, keys, problems)
    compare("node", csv_nodes, nx_nodes, "networkx", problems)
    compare("node", csv_nodes, ig_nodes, "igraph", problems)
    compare("edge", csv_edges, nx_edges, "networkx", problems, ordered=False)
    compare("edge", csv_edges, ig_edges, "igraph", problems)
    if problems:
        problems.report(folder)
        return 1
    print(
        f"check_graph: {folder}: {len(csv_nodes)} nodes and {len(csv_edges)} edges agree "
        f"in networkx {networkx.__version__}, igraph {igraph.__version__} and the CSV files"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
