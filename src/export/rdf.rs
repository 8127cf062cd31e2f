//! `graph.ttl`: the graph as RDF in Turtle, written with the `oxttl` serializer (which does
//! all quoting and escaping), for rdflib, Apache Jena, Oxigraph, GraphDB and any SPARQL
//! store.
//!
//! # Names
//!
//! | prefix | namespace | for |
//! | --- | --- | --- |
//! | `node:` | `urn:newsgraph:node:` | entities: `node:country:CN`, `node:person:xi-jinping` (the node id) |
//! | `rel:` | `urn:newsgraph:relation:` | predicates: `rel:met_with`, `rel:holds_office` |
//! | `doc:` | `urn:newsgraph:document:` | input documents, by id |
//! | `edge:` | `urn:newsgraph:edge:` | one statement per edge: `edge:{source}.{relation}.{target}[.{role}]` |
//! | `ng:` | `urn:newsgraph:vocab:` | classes and properties of newsgraph |
//! | `wd:` | `http://www.wikidata.org/entity/` | Wikidata items |
//!
//! Characters outside `A-Z a-z 0-9 - _ :` (and `.` and `/` in document ids) are
//! percent-encoded; the parts of an edge's name are joined with `.`.
//!
//! # What is said
//!
//! * Each node: `a ng:Person` (the type in Neo4j style: `ng:Country`, `ng:Organization`),
//!   `rdfs:label` in Persian (`@fa`) and in English (`@en`), `ng:id` (the node id as text),
//!   `ng:mentions`, `ng:mentionedIn` (documents), `ng:wikidata` (the QID as text) and
//!   `owl:sameAs wd:Q…` when the gazetteer has a QID.
//! * Each edge: the triple itself (`node:person:xi-jinping rel:met_with
//!   node:person:miguel-diaz-canel`), stored once for a symmetric predicate (whose property is
//!   declared `owl:SymmetricProperty`), and its statement, by standard RDF reification:
//!   `edge:… a rdf:Statement; rdf:subject …; rdf:predicate …; rdf:object …` with `ng:weight`,
//!   `ng:role`, `ng:directed`, `ng:background`, `ng:document` (every document it was found in),
//!   `ng:firstPublished`/`ng:lastPublished` (`xsd:date` when they are ISO dates) and
//!   `ng:evidence`: up to five blank nodes `a ng:Evidence` with `ng:document`, `ng:sentence`,
//!   `ng:start`/`ng:end` (code points), `ng:text` (the evidence) and `ng:context` (its
//!   sentence), both tagged with the document's language, and `ng:rule`.
//! * Each document: `a ng:Article`, `dcterms:identifier`, `dcterms:date` (`xsd:date` when
//!   an ISO date, else plain text) and `dcterms:language`.
//!
//! RDF-star would attach the evidence to the triple itself, but rdflib and most stores still
//! read only RDF 1.1, so reification it is. Blank nodes are named after the edge's position,
//! and triples come in node, edge and document order: the same graph gives the same bytes.

use std::collections::BTreeSet;
use std::io::{self, Write};

use oxrdf::vocab::{rdf, rdfs, xsd};
use oxrdf::{BlankNode, Literal, NamedNode, NamedOrBlankNode, Term, TripleRef};
use oxttl::TurtleSerializer;

use super::style::iso_date;
use crate::graph::{KnowledgeGraph, Snippet};

const NODE: &str = "urn:newsgraph:node:";
const REL: &str = "urn:newsgraph:relation:";
const DOC: &str = "urn:newsgraph:document:";
const EDGE: &str = "urn:newsgraph:edge:";
const NG: &str = "urn:newsgraph:vocab:";
const WD: &str = "http://www.wikidata.org/entity/";
const OWL: &str = "http://www.w3.org/2002/07/owl#";
const DCTERMS: &str = "http://purl.org/dc/terms/";

/// The prefixes written at the top of the file.
const PREFIXES: [(&str, &str); 11] = [
    ("node", NODE),
    ("rel", REL),
    ("doc", DOC),
    ("edge", EDGE),
    ("ng", NG),
    ("wd", WD),
    ("owl", OWL),
    ("dcterms", DCTERMS),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
];

fn invalid(e: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e.to_string())
}

/// `text` percent-encoded for an IRI: every byte but `A-Z a-z 0-9 - _ :` and those of
/// `keep`.
fn encode(text: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-_:".contains(&b) || keep.contains(&b) {
            out.push(b as char);
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0xF)] as char);
        }
    }
    out
}

/// The node of an IRI made by [`node_iri`], [`document_iri`] or [`relation_iri`] (or of
/// parts they encode), not checked again: every character of it is ASCII that an IRI path
/// holds (the namespace's, letters, digits, `-_:./` and `%XX`), and checking each of the
/// graph's IRIs cost a sixth of the file.
fn encoded(iri: String) -> NamedNode {
    debug_assert!(NamedNode::new(iri.as_str()).is_ok(), "{iri}");
    NamedNode::new_unchecked(iri)
}

fn iri(namespace: &str, local: &str) -> io::Result<NamedNode> {
    NamedNode::new(format!("{namespace}{local}")).map_err(invalid)
}

/// The IRI of a node id.
pub fn node_iri(id: &str) -> String {
    format!("{NODE}{}", encode(id, b"."))
}

/// The IRI of a document id.
pub fn document_iri(id: &str) -> String {
    format!("{DOC}{}", encode(id, b"./"))
}

/// The IRI of a predicate.
pub fn relation_iri(relation: &str) -> String {
    format!("{REL}{}", encode(relation, b"."))
}

/// The class of an entity type: `PERSON` → `Person`, `ORGANIZATION` → `Organization`.
pub fn class_name(entity_type: &str) -> String {
    let mut out = String::with_capacity(entity_type.len());
    for word in entity_type.split('_') {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.extend(chars.flat_map(char::to_lowercase));
        }
    }
    out
}

/// A Wikidata QID (`Q` and digits), or `None`.
fn qid(value: &str) -> Option<&str> {
    let value = value.trim();
    let digits = value.strip_prefix('Q')?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(value)
}

/// The language of a text: the document's, when the input gave a well-formed tag, else
/// Persian for text in Arabic script and English otherwise.
fn language<'a>(given: Option<&'a str>, text: &str) -> &'a str {
    if let Some(tag) = given {
        let well_formed = !tag.is_empty()
            && tag.split('-').all(|part| {
                (1..=8).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_alphanumeric())
            });
        if well_formed {
            return tag;
        }
    }
    if text
        .chars()
        .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c) || ('\u{FB50}'..='\u{FEFF}').contains(&c))
    {
        "fa"
    } else {
        "en"
    }
}

fn lang_literal(value: &str, lang: &str) -> io::Result<Literal> {
    Literal::new_language_tagged_literal(value, lang).map_err(invalid)
}

fn integer(value: impl ToString) -> Literal {
    Literal::new_typed_literal(value.to_string(), xsd::INTEGER)
}

fn boolean(value: bool) -> Literal {
    Literal::new_typed_literal(value.to_string(), xsd::BOOLEAN)
}

/// A date: `xsd:date` when ISO, a plain string otherwise.
fn date(value: &str) -> Literal {
    match iso_date(value) {
        Some(d) if d.len() == value.len() => Literal::new_typed_literal(d, xsd::DATE),
        _ => Literal::new_simple_literal(value),
    }
}

struct Out<W: Write> {
    serializer: oxttl::turtle::WriterTurtleSerializer<W>,
}

impl<W: Write> Out<W> {
    fn triple(
        &mut self,
        subject: &NamedOrBlankNode,
        predicate: &NamedNode,
        object: impl Into<Term>,
    ) -> io::Result<()> {
        let object = object.into();
        self.serializer
            .serialize_triple(TripleRef::new(subject, predicate, &object))
    }
}

/// Writes `graph` as Turtle to `out`.
pub fn write_turtle(graph: &KnowledgeGraph, out: &mut impl Write) -> io::Result<()> {
    let mut serializer = TurtleSerializer::new();
    for (name, namespace) in PREFIXES {
        serializer = serializer.with_prefix(name, namespace).map_err(invalid)?;
    }
    let mut o = Out {
        serializer: serializer.for_writer(&mut *out),
    };
    let ng = |term: &str| iri(NG, term);
    let (label, a) = (rdfs::LABEL.into_owned(), rdf::TYPE.into_owned());
    let same_as = iri(OWL, "sameAs")?;
    let (p_id, p_mentions, p_in, p_wikidata) = (
        ng("id")?,
        ng("mentions")?,
        ng("mentionedIn")?,
        ng("wikidata")?,
    );

    // Predicates: symmetric ones say so.
    let symmetric: BTreeSet<&str> = graph
        .edges()
        .filter(|e| !e.data.directed)
        .map(|e| e.key.relation.as_str())
        .collect();
    let relations: BTreeSet<&str> = graph.edges().map(|e| e.key.relation.as_str()).collect();
    for relation in &relations {
        let subject: NamedOrBlankNode = encoded(relation_iri(relation)).into();
        o.triple(&subject, &a, iri(OWL, "ObjectProperty")?)?;
        if symmetric.contains(relation) {
            o.triple(&subject, &a, iri(OWL, "SymmetricProperty")?)?;
        }
        o.triple(&subject, &label, lang_literal(relation, "en")?)?;
    }

    for node in graph.nodes() {
        let d = &node.data;
        let subject: NamedOrBlankNode = encoded(node_iri(&node.id)).into();
        o.triple(&subject, &a, ng(&class_name(&d.entity_type))?)?;
        if !d.name_fa.is_empty() {
            o.triple(&subject, &label, lang_literal(&d.name_fa, "fa")?)?;
        }
        if !d.name_en.is_empty() {
            o.triple(&subject, &label, lang_literal(&d.name_en, "en")?)?;
        }
        if d.name_fa.is_empty() && d.name_en.is_empty() && !d.label.is_empty() {
            o.triple(
                &subject,
                &label,
                lang_literal(&d.label, language(None, &d.label))?,
            )?;
        }
        o.triple(&subject, &p_id, Literal::new_simple_literal(&node.id))?;
        o.triple(&subject, &p_mentions, integer(d.mentions))?;
        for doc in graph.node_document_ids(node) {
            o.triple(&subject, &p_in, encoded(document_iri(doc)))?;
        }
        if let Some(wikidata) = d.wikidata.as_deref().filter(|w| !w.is_empty()) {
            o.triple(&subject, &p_wikidata, Literal::new_simple_literal(wikidata))?;
            if let Some(q) = qid(wikidata) {
                o.triple(&subject, &same_as, iri(WD, q)?)?;
            }
        }
    }

    let statement = rdf::STATEMENT.into_owned();
    let (s_subject, s_predicate, s_object) = (
        rdf::SUBJECT.into_owned(),
        rdf::PREDICATE.into_owned(),
        rdf::OBJECT.into_owned(),
    );
    let (p_weight, p_role, p_directed, p_background, p_document) = (
        ng("weight")?,
        ng("role")?,
        ng("directed")?,
        ng("background")?,
        ng("document")?,
    );
    let (p_first, p_last, p_evidence, evidence_class) = (
        ng("firstPublished")?,
        ng("lastPublished")?,
        ng("evidence")?,
        ng("Evidence")?,
    );
    let (p_sentence, p_start, p_end, p_text, p_context, p_rule) = (
        ng("sentence")?,
        ng("start")?,
        ng("end")?,
        ng("text")?,
        ng("context")?,
        ng("rule")?,
    );
    for (index, edge) in graph.edges().enumerate() {
        let (k, d) = (&edge.key, &edge.data);
        let source = encoded(node_iri(&k.source));
        let target = encoded(node_iri(&k.target));
        let predicate = encoded(relation_iri(&k.relation));
        let source_subject: NamedOrBlankNode = source.clone().into();
        o.triple(&source_subject, &predicate, target.clone())?;
        let mut local = format!(
            "{}.{}.{}",
            encode(&k.source, b""),
            encode(&k.relation, b""),
            encode(&k.target, b"")
        );
        if !k.role.is_empty() {
            local.push('.');
            local.push_str(&encode(&k.role, b""));
        }
        let s: NamedOrBlankNode = encoded(format!("{EDGE}{local}")).into();
        o.triple(&s, &a, statement.clone())?;
        o.triple(&s, &s_subject, source)?;
        o.triple(&s, &s_predicate, predicate)?;
        o.triple(&s, &s_object, target)?;
        o.triple(&s, &p_weight, integer(d.weight))?;
        if !k.role.is_empty() {
            o.triple(&s, &p_role, lang_literal(&k.role, "en")?)?;
        }
        o.triple(&s, &p_directed, boolean(d.directed))?;
        o.triple(&s, &p_background, boolean(d.background))?;
        for doc in graph.edge_document_ids(edge) {
            o.triple(&s, &p_document, encoded(document_iri(doc)))?;
        }
        if let Some(first) = &d.first_published {
            o.triple(&s, &p_first, date(first))?;
        }
        if let Some(last) = &d.last_published {
            o.triple(&s, &p_last, date(last))?;
        }
        for (n, snippet) in d.evidence.iter().enumerate() {
            let blank: NamedOrBlankNode = BlankNode::new(format!("e{index}x{n}"))
                .map_err(invalid)?
                .into();
            o.triple(&s, &p_evidence, blank.clone())?;
            write_evidence(
                &mut o,
                &blank,
                snippet,
                [
                    &a,
                    &evidence_class,
                    &p_document,
                    &p_sentence,
                    &p_start,
                    &p_end,
                    &p_text,
                    &p_context,
                    &p_rule,
                ],
            )?;
        }
    }

    let article = ng("Article")?;
    let (identifier, date_p, language_p) = (
        iri(DCTERMS, "identifier")?,
        iri(DCTERMS, "date")?,
        iri(DCTERMS, "language")?,
    );
    for (id, published, lang) in graph.document_infos() {
        let s: NamedOrBlankNode = encoded(document_iri(id)).into();
        o.triple(&s, &a, article.clone())?;
        o.triple(&s, &identifier, Literal::new_simple_literal(id))?;
        if let Some(published) = published {
            o.triple(&s, &date_p, date(published))?;
        }
        if let Some(lang) = lang {
            o.triple(&s, &language_p, Literal::new_simple_literal(lang))?;
        }
    }
    o.serializer.finish()?;
    Ok(())
}

fn write_evidence<W: Write>(
    o: &mut Out<W>,
    blank: &NamedOrBlankNode,
    snippet: &Snippet,
    [a, class, document, sentence, start, end, text, context, rule]: [&NamedNode; 9],
) -> io::Result<()> {
    let lang = language(snippet.lang.as_deref(), &snippet.text);
    o.triple(blank, a, class.clone())?;
    o.triple(blank, document, encoded(document_iri(&snippet.doc)))?;
    o.triple(blank, sentence, integer(snippet.sentence))?;
    o.triple(blank, start, integer(snippet.start))?;
    o.triple(blank, end, integer(snippet.end))?;
    o.triple(blank, text, lang_literal(&snippet.text, lang)?)?;
    o.triple(blank, context, lang_literal(&snippet.context(), lang)?)?;
    if !snippet.rule.is_empty() {
        o.triple(blank, rule, Literal::new_simple_literal(&snippet.rule))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(class_name("PERSON"), "Person");
        assert_eq!(class_name("ORGANIZATION"), "Organization");
        assert_eq!(node_iri("country:CN"), "urn:newsgraph:node:country:CN");
        assert_eq!(
            document_iri("sub/folder/a b«"),
            "urn:newsgraph:document:sub/folder/a%20b%C2%AB"
        );
        assert_eq!(qid(" Q148 "), Some("Q148"));
        assert_eq!(qid("Q"), None);
        assert_eq!(qid("148"), None);
        assert_eq!(language(Some("fa-IR"), "x"), "fa-IR");
        assert_eq!(language(Some("not a tag"), "چین"), "fa");
        assert_eq!(language(None, "China"), "en");
    }
}
