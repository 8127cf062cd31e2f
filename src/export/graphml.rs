//! `graph.graphml`: the graph in [GraphML](http://graphml.graphdrawing.org/), valid against
//! the GraphML XML Schema, for NetworkX, igraph, Gephi, yEd and Cytoscape.
//!
//! # Symmetric edges
//!
//! GraphML allows a `directed="false"` attribute on single edges of a directed graph, and the
//! schema accepts it, but clients disagree on what to do with it: NetworkX's `read_graphml`
//! refuses the whole file ("directed=false edge found in directed graph"), and igraph's
//! `Read_GraphML` loads it but ignores the attribute. So every edge is written as a plain
//! edge of a directed graph (`edgedefault="directed"`), and symmetry is carried by the typed
//! `directed` data attribute, false for symmetric predicates, whose edges run from the smaller
//! id to the larger one as in `edges.csv`. Both libraries load that, and both hand the
//! attribute back as a boolean.
//!
//! # Attributes
//!
//! Every attribute is declared by a typed `<key>`, in this fixed order:
//!
//! | for | attr.name | attr.type |
//! | --- | --- | --- |
//! | node | `label`, `type`, `name_en`, `name_fa`, `wikidata` | string |
//! | node | `mentions`, `documents` (a count) | int |
//! | edge | `relation`, `role`, `first_published`, `last_published`, `document_ids` (joined with `;`) | string |
//! | edge | `weight`, `documents` (a count) | int |
//! | edge | `directed`, `background` | boolean |
//! | edge | `edge_id`: `source\|relation\|role\|target` | string |
//!
//! `edge_id` carries the edge's identity because GraphML's own `id` attribute must be an XML
//! name token, which `|` is not. A string attribute that is absent or empty (no Wikidata QID,
//! no role, no dates) has no `<data>` element, so NetworkX leaves it out of the attribute
//! dictionary and igraph reads it as the empty string. Numbers and booleans are always
//! written.
//!
//! Node ids are written as they are: GraphML requires them to be XML name tokens, which the
//! ids the gazetteer accepts (`country:CN`, `person:xi-jinping`) always are.

use std::borrow::Cow;
use std::io;

use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use crate::graph::{Edge, KnowledgeGraph, Node};

const GRAPHML_NS: &str = "http://graphml.graphdrawing.org/xmlns";
const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
const SCHEMA_LOCATION: &str =
    "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd";

/// One `<key>` declaration: its id, the attribute's name and its GraphML type.
struct Key {
    id: &'static str,
    name: &'static str,
    ty: &'static str,
}

const fn key(id: &'static str, name: &'static str, ty: &'static str) -> Key {
    Key { id, name, ty }
}

// The values of `node_values` and `edge_values` come in the order of these arrays; the
// lengths tie them together, the tests and tests/clients.rs check the names.
const NODE_KEYS: [Key; 7] = [
    key("node_label", "label", "string"),
    key("node_type", "type", "string"),
    key("node_name_en", "name_en", "string"),
    key("node_name_fa", "name_fa", "string"),
    key("node_wikidata", "wikidata", "string"),
    key("node_mentions", "mentions", "int"),
    key("node_documents", "documents", "int"),
];

const EDGE_KEYS: [Key; 10] = [
    key("edge_relation", "relation", "string"),
    key("edge_role", "role", "string"),
    key("edge_first_published", "first_published", "string"),
    key("edge_last_published", "last_published", "string"),
    key("edge_document_ids", "document_ids", "string"),
    key("edge_weight", "weight", "int"),
    key("edge_documents", "documents", "int"),
    key("edge_directed", "directed", "boolean"),
    key("edge_background", "background", "boolean"),
    key("edge_edge_id", "edge_id", "string"),
];

/// Appends the whole GraphML document for `graph` to `out`.
///
/// The output is UTF-8, indented by two spaces, with nodes in id order and edges in key
/// order: the same graph always gives the same bytes. Text is escaped so that an XML parser
/// returns exactly the original strings (`& < > " '`, line breaks and carriage returns
/// included); the only change is that characters XML 1.0 cannot represent at all (control
/// characters other than tab, line feed and carriage return, U+FFFE, U+FFFF) become U+FFFD.
pub fn write_graphml(graph: &KnowledgeGraph, out: &mut Vec<u8>) {
    let mut writer = Writer::new_with_indent(&mut *out, b' ', 2);
    write_document(&mut writer, graph).expect("writing XML into memory cannot fail");
    out.push(b'\n');
}

fn write_document(w: &mut Writer<&mut Vec<u8>>, graph: &KnowledgeGraph) -> io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.write_event(Event::Start(BytesStart::new("graphml").with_attributes([
        ("xmlns", GRAPHML_NS),
        ("xmlns:xsi", XSI_NS),
        ("xsi:schemaLocation", SCHEMA_LOCATION),
    ])))?;
    for (domain, keys) in [("node", &NODE_KEYS[..]), ("edge", &EDGE_KEYS[..])] {
        for k in keys {
            w.create_element("key")
                .with_attributes([
                    ("id", k.id),
                    ("for", domain),
                    ("attr.name", k.name),
                    ("attr.type", k.ty),
                ])
                .write_empty()?;
        }
    }
    w.write_event(Event::Start(
        BytesStart::new("graph")
            .with_attributes([("id", "newsgraph"), ("edgedefault", "directed")]),
    ))?;
    for node in graph.nodes() {
        let id = escape(&node.id, true);
        let start = BytesStart::new("node").with_attributes([attr("id", &id)]);
        write_element(w, start, &NODE_KEYS, node_values(node))?;
    }
    for edge in graph.edges() {
        let source = escape(&edge.key.source, true);
        let target = escape(&edge.key.target, true);
        let start = BytesStart::new("edge")
            .with_attributes([attr("source", &source), attr("target", &target)]);
        write_element(w, start, &EDGE_KEYS, edge_values(graph, edge))?;
    }
    w.write_event(Event::End(BytesEnd::new("graph")))?;
    w.write_event(Event::End(BytesEnd::new("graphml")))?;
    Ok(())
}

/// Writes a `<node>` or `<edge>` with one `<data>` per present value.
fn write_element<const N: usize>(
    w: &mut Writer<&mut Vec<u8>>,
    start: BytesStart<'_>,
    keys: &[Key; N],
    values: [Option<Cow<'_, str>>; N],
) -> io::Result<()> {
    let end = start.to_end().into_owned();
    w.write_event(Event::Start(start))?;
    for (k, value) in keys.iter().zip(values) {
        let Some(value) = value else { continue };
        w.create_element("data")
            .with_attribute(("key", k.id))
            .write_text_content(BytesText::from_escaped(escape(&value, false)))?;
    }
    w.write_event(Event::End(end))?;
    Ok(())
}

fn node_values(node: &Node) -> [Option<Cow<'_, str>>; 7] {
    let d = &node.data;
    [
        text(&d.label),
        text(&d.entity_type),
        text(&d.name_en),
        text(&d.name_fa),
        d.wikidata.as_deref().and_then(text),
        Some(d.mentions.to_string().into()),
        Some(d.documents.to_string().into()),
    ]
}

fn edge_values<'a>(graph: &'a KnowledgeGraph, edge: &'a Edge) -> [Option<Cow<'a, str>>; 10] {
    let (k, d) = (&edge.key, &edge.data);
    let ids: Vec<&str> = graph.edge_document_ids(edge).collect();
    [
        text(&k.relation),
        text(&k.role),
        d.first_published.as_deref().and_then(text),
        d.last_published.as_deref().and_then(text),
        (!ids.is_empty()).then(|| crate::export::join_ids(ids).into()),
        Some(d.weight.to_string().into()),
        Some(d.documents.to_string().into()),
        Some(boolean(d.directed)),
        Some(boolean(d.background)),
        Some(format!("{}|{}|{}|{}", k.source, k.relation, k.role, k.target).into()),
    ]
}

/// A string attribute's value: `None` when empty, so that no `<data>` is written for it.
fn text(value: &str) -> Option<Cow<'_, str>> {
    (!value.is_empty()).then_some(Cow::Borrowed(value))
}

fn boolean(value: bool) -> Cow<'static, str> {
    Cow::Borrowed(if value { "true" } else { "false" })
}

fn attr<'a>(name: &'a str, escaped: &'a str) -> Attribute<'a> {
    // The (&[u8], &[u8]) conversion takes the value as already escaped.
    Attribute::from((name.as_bytes(), escaped.as_bytes()))
}

/// `value` escaped for element content or, with `attribute`, for a double-quoted attribute
/// value, such that a conforming parser reads back `value` itself.
///
/// quick-xml escapes the five markup characters. On top of that, a carriage return must be a
/// character reference or the parser's line-end normalization turns it into a line feed, and
/// in attribute values tabs and line feeds must be too, or attribute-value normalization
/// turns them into spaces. Characters that XML 1.0 forbids even as references are replaced.
pub(crate) fn escape(value: &str, attribute: bool) -> Cow<'_, str> {
    let value = crate::export::printable(value);
    let escaped = match value {
        Cow::Borrowed(v) => quick_xml::escape::escape(v),
        Cow::Owned(v) => Cow::Owned(quick_xml::escape::escape(v.as_str()).into_owned()),
    };
    let needs_reference = |c: char| c == '\r' || (attribute && (c == '\t' || c == '\n'));
    if !escaped.contains(needs_reference) {
        return escaped;
    }
    let mut out = String::with_capacity(escaped.len() + 8);
    for c in escaped.chars() {
        match c {
            '\r' => out.push_str("&#13;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::gazetteer::{Gazetteer, Predicates};
    use crate::graph::{EdgeData, EdgeKey, GraphPart, NodeData};

    fn node(label: &str, entity_type: &str, name_en: &str) -> NodeData {
        NodeData {
            label: label.to_string(),
            entity_type: entity_type.to_string(),
            name_en: name_en.to_string(),
            name_fa: label.to_string(),
            wikidata: None,
            mentions: 1,
            documents: 1,
            document_ids: ["d1".into()].into_iter().collect(),
            samples: BTreeSet::new(),
            part_of: Vec::new(),
        }
    }

    fn sample() -> KnowledgeGraph {
        let mut part = GraphPart::default();
        let mut cn = node("چین", "COUNTRY", "China");
        cn.wikidata = Some("Q148".to_string());
        part.nodes.insert("country:CN".to_string(), cn);
        part.nodes.insert(
            "country:CU".to_string(),
            node("کوبا", "COUNTRY", "Cuba & <Co> \"quoted\" 'single'"),
        );
        part.nodes.insert(
            "organization:odd".to_string(),
            node("a\r\nb\u{1}c", "ORGANIZATION", ""),
        );
        part.edges.insert(
            EdgeKey {
                source: "country:CN".to_string(),
                target: "country:CU".to_string(),
                relation: "met_with".to_string(),
                role: String::new(),
            },
            EdgeData {
                directed: false,
                background: false,
                weight: 2,
                documents: 2,
                document_ids: ["d1", "d2"].iter().map(|s| (*s).into()).collect(),
                first_published: Some("2022-11-25".to_string()),
                last_published: None,
                evidence: BTreeSet::new(),
            },
        );
        part.edges.insert(
            EdgeKey {
                source: "country:CU".to_string(),
                target: "country:CN".to_string(),
                relation: "part_of".to_string(),
                role: String::new(),
            },
            EdgeData {
                directed: true,
                background: true,
                weight: 0,
                documents: 0,
                document_ids: BTreeSet::new(),
                first_published: None,
                last_published: None,
                evidence: BTreeSet::new(),
            },
        );
        KnowledgeGraph::build(part, &Gazetteer::default(), &Predicates::default())
    }

    fn render(graph: &KnowledgeGraph) -> String {
        let mut out = Vec::new();
        write_graphml(graph, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn document_frame_and_keys_in_fixed_order() {
        let xml = render(&sample());
        let mut lines = xml.lines();
        assert_eq!(
            lines.next().unwrap(),
            r#"<?xml version="1.0" encoding="UTF-8"?>"#
        );
        assert_eq!(
            lines.next().unwrap(),
            r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
        );
        let keys: Vec<&str> = xml
            .lines()
            .filter(|l| l.trim_start().starts_with("<key "))
            .map(str::trim)
            .collect();
        assert_eq!(
            keys,
            [
                r#"<key id="node_label" for="node" attr.name="label" attr.type="string"/>"#,
                r#"<key id="node_type" for="node" attr.name="type" attr.type="string"/>"#,
                r#"<key id="node_name_en" for="node" attr.name="name_en" attr.type="string"/>"#,
                r#"<key id="node_name_fa" for="node" attr.name="name_fa" attr.type="string"/>"#,
                r#"<key id="node_wikidata" for="node" attr.name="wikidata" attr.type="string"/>"#,
                r#"<key id="node_mentions" for="node" attr.name="mentions" attr.type="int"/>"#,
                r#"<key id="node_documents" for="node" attr.name="documents" attr.type="int"/>"#,
                r#"<key id="edge_relation" for="edge" attr.name="relation" attr.type="string"/>"#,
                r#"<key id="edge_role" for="edge" attr.name="role" attr.type="string"/>"#,
                r#"<key id="edge_first_published" for="edge" attr.name="first_published" attr.type="string"/>"#,
                r#"<key id="edge_last_published" for="edge" attr.name="last_published" attr.type="string"/>"#,
                r#"<key id="edge_document_ids" for="edge" attr.name="document_ids" attr.type="string"/>"#,
                r#"<key id="edge_weight" for="edge" attr.name="weight" attr.type="int"/>"#,
                r#"<key id="edge_documents" for="edge" attr.name="documents" attr.type="int"/>"#,
                r#"<key id="edge_directed" for="edge" attr.name="directed" attr.type="boolean"/>"#,
                r#"<key id="edge_background" for="edge" attr.name="background" attr.type="boolean"/>"#,
                r#"<key id="edge_edge_id" for="edge" attr.name="edge_id" attr.type="string"/>"#,
            ]
        );
        assert!(xml.contains(r#"<graph id="newsgraph" edgedefault="directed">"#));
        assert!(xml.ends_with("</graph>\n</graphml>\n"));
    }

    #[test]
    fn symmetric_edges_are_plain_edges_with_a_directed_attribute() {
        let xml = render(&sample());
        assert!(!xml.contains("directed=\"false\""));
        assert!(xml.contains(
            "  <edge source=\"country:CN\" target=\"country:CU\">\n\
             \x20     <data key=\"edge_relation\">met_with</data>\n\
             \x20     <data key=\"edge_first_published\">2022-11-25</data>\n\
             \x20     <data key=\"edge_document_ids\">d1;d2</data>\n\
             \x20     <data key=\"edge_weight\">2</data>\n\
             \x20     <data key=\"edge_documents\">2</data>\n\
             \x20     <data key=\"edge_directed\">false</data>\n\
             \x20     <data key=\"edge_background\">false</data>\n\
             \x20     <data key=\"edge_edge_id\">country:CN|met_with||country:CU</data>\n\
             \x20   </edge>\n"
        ));
        assert!(xml.contains("<data key=\"edge_background\">true</data>"));
        // A background edge has no documents: no document_ids element, counts of zero.
        assert!(xml.contains(
            "<data key=\"edge_relation\">part_of</data>\n\
             \x20     <data key=\"edge_weight\">0</data>"
        ));
    }

    #[test]
    fn text_is_escaped_and_persian_kept() {
        let xml = render(&sample());
        assert!(xml.contains(
            "<data key=\"node_name_en\">Cuba &amp; &lt;Co&gt; &quot;quoted&quot; &apos;single&apos;</data>"
        ));
        assert!(xml.contains("<data key=\"node_label\">کوبا</data>"));
        // Carriage return kept as a reference, the control character replaced, the empty
        // English name left out.
        assert!(xml.contains("<data key=\"node_label\">a&#13;\nb\u{FFFD}c</data>"));
        let odd = &xml[xml.find("organization:odd").unwrap()..];
        let odd = &odd[..odd.find("</node>").unwrap()];
        assert!(!odd.contains("node_name_en"));
        assert!(!xml.contains('\u{1}'));
    }

    #[test]
    fn escape_rules() {
        assert!(matches!(escape("country:CN", true), Cow::Borrowed(_)));
        assert_eq!(escape("a\tb\nc\rd", true), "a&#9;b&#10;c&#13;d");
        assert_eq!(escape("a\tb\nc\rd", false), "a\tb\nc&#13;d");
        assert_eq!(escape("<&>\"'", false), "&lt;&amp;&gt;&quot;&apos;");
        assert_eq!(escape("\u{0}\u{FFFF}شی", false), "\u{FFFD}\u{FFFD}شی");
    }

    #[test]
    fn output_is_well_formed_and_reads_back() {
        let xml = render(&sample());
        let mut reader = quick_xml::Reader::from_str(&xml);
        let mut texts = Vec::new();
        loop {
            match reader.read_event().unwrap() {
                Event::Eof => break,
                Event::Text(t) => texts.push(t.unescape().unwrap().into_owned()),
                _ => {}
            }
        }
        assert!(texts.contains(&"Cuba & <Co> \"quoted\" 'single'".to_string()));
        assert!(texts.contains(&"a\r\nb\u{FFFD}c".to_string()));
    }

    #[test]
    fn deterministic() {
        assert_eq!(render(&sample()), render(&sample()));
    }

    #[test]
    fn empty_graph() {
        let xml = render(&KnowledgeGraph::default());
        assert!(xml.contains("<graph id=\"newsgraph\" edgedefault=\"directed\">\n  </graph>"));
    }
}
