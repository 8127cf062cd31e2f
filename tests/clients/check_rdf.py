#!/usr/bin/env python3
"""Check graph.ttl with rdflib against nodes.csv and edges.csv, with SPARQL.

    check_rdf.py DIR [QID]

rdflib parses the Turtle file; then SPARQL queries must find every node of nodes.csv (its id,
class, Persian and English labels with their language tags, owl:sameAs to Wikidata for every
QID), every edge of edges.csv as a triple and as a reified rdf:Statement with its weight,
role and flags, and evidence for every edge found in text. With QID, the last line printed
is a JSON list of the English labels of those the entity met (rel:met_with either way),
for the caller to check.
"""

import json
import sys
from pathlib import Path

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from common import Problems, edges, nodes

NODE = "urn:newsgraph:node:"
REL = "urn:newsgraph:relation:"
NG = rdflib.Namespace("urn:newsgraph:vocab:")
WD = "http://www.wikidata.org/entity/"
PREFIXES = f"""
PREFIX ng: <{NG}>
PREFIX rel: <{REL}>
PREFIX wd: <{WD}>
PREFIX owl: <{OWL}>
PREFIX rdf: <{RDF}>
PREFIX rdfs: <{RDFS}>
"""


def class_name(entity_type):
    return "".join(w[:1] + w[1:].lower() for w in entity_type.split("_"))


def main(folder, qid=None):
    folder = Path(folder)
    problems = Problems("check_rdf")
    g = rdflib.Graph()
    g.parse(folder / "graph.ttl", format="turtle")

    found = {}
    for row in g.query(PREFIXES + """
        SELECT ?n ?id ?class WHERE { ?n ng:id ?id ; a ?class . }"""):
        found[str(row.id)] = (row.n, str(row["class"]))
    csv_nodes = nodes(folder)
    problems.check(len(found) == len(csv_nodes),
                   f"{len(found)} nodes with ng:id, {len(csv_nodes)} in nodes.csv")
    same_as = 0
    for n in csv_nodes:
        where = f"node {n['id']!r}"
        if n["id"] not in found:
            problems.add(f"{where}: not in graph.ttl")
            continue
        iri, cls = found[n["id"]]
        problems.check(cls == str(NG[class_name(n["type"])]), f"{where}: class {cls}")
        labels = {(str(l), l.language) for l in g.objects(iri, RDFS.label)}
        for column, lang in (("name_fa", "fa"), ("name_en", "en")):
            if n[column]:
                problems.check((n[column], lang) in labels,
                               f"{where}: no rdfs:label {n[column]!r}@{lang}; has {labels}")
        problems.check((iri, NG.mentions, Literal(int(n["mentions"]))) in g, f"{where}: mentions")
        wikidata = n["wikidata"]
        targets = list(g.objects(iri, OWL.sameAs))
        if wikidata.startswith("Q") and wikidata[1:].isdigit():
            same_as += 1
            problems.check(targets == [URIRef(WD + wikidata)],
                           f"{where}: owl:sameAs {targets}, expected wd:{wikidata}")
        else:
            problems.check(not targets, f"{where}: owl:sameAs without a QID")

    statements = {}
    for row in g.query(PREFIXES + """
        SELECT ?st ?s ?p ?o ?w ?role ?directed ?background (COUNT(?ev) AS ?evidence) WHERE {
            ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                ng:weight ?w ; ng:directed ?directed ; ng:background ?background .
            OPTIONAL { ?st ng:role ?role }
            OPTIONAL { ?st ng:evidence ?ev . ?ev ng:text ?text ; ng:document ?doc }
        } GROUP BY ?st ?s ?p ?o ?w ?role ?directed ?background"""):
        key = (str(row.s)[len(NODE):], str(row.p)[len(REL):], str(row.role or ""),
               str(row.o)[len(NODE):])
        statements[key] = row
    csv_edges = edges(folder)
    problems.check(len(statements) == len(csv_edges),
                   f"{len(statements)} statements, {len(csv_edges)} edges in edges.csv")
    for e in csv_edges:
        where = f"edge {e['id']!r}"
        key = (e["source"], e["relation"], e["role"], e["target"])
        row = statements.get(key)
        if row is None:
            problems.add(f"{where}: no rdf:Statement")
            continue
        problems.check((URIRef(NODE + e["source"]), URIRef(REL + e["relation"]),
                        URIRef(NODE + e["target"])) in g, f"{where}: the triple itself is missing")
        problems.check(row.w.toPython() == int(e["weight"]), f"{where}: weight {row.w}")
        problems.check(row.directed.toPython() is (e["directed"] == "true"), f"{where}: directed")
        problems.check(row.background.toPython() is (e["background"] == "true"),
                       f"{where}: background")
        if e["background"] == "false":
            problems.check(int(row.evidence) >= 1, f"{where}: no evidence")
        if e["directed"] == "false":
            problems.check((URIRef(REL + e["relation"]), RDF.type, OWL.SymmetricProperty) in g,
                           f"{where}: rel:{e['relation']} is not an owl:SymmetricProperty")

    met = []
    if qid:
        for row in g.query(PREFIXES + f"""
            SELECT DISTINCT ?name WHERE {{
                ?x owl:sameAs wd:{qid} .
                {{ ?x rel:met_with ?other }} UNION {{ ?other rel:met_with ?x }}
                ?other rdfs:label ?name . FILTER(lang(?name) = "en")
            }} ORDER BY ?name"""):
            met.append(str(row.name))
    problems.exit(folder, f"{len(csv_nodes)} nodes ({same_as} owl:sameAs Wikidata) and "
                  f"{len(csv_edges)} edges agree with the CSV files in rdflib {rdflib.__version__}"
                  f" ({len(g)} triples)" + (f"\n{json.dumps(met, ensure_ascii=False)}" if qid else ""))


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(*sys.argv[1:])
