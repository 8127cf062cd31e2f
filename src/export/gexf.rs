//! `graph.gexf`: the graph in [GEXF 1.3](https://gexf.net/), Gephi's own format, which NetworkX
//! (`read_gexf`) reads too.
//!
//! * **Typed attributes**: every node and edge column of the CSV files is declared once, in a
//!   fixed order, as `string`, `integer` or `boolean` (`<attributes class="node">`, `<attributes
//!   class="edge">`), so Gephi's Data Laboratory can sort and filter by them.
//! * **Parallel edges stay distinct**: each edge has an `id`, `source|relation|role|target`
//!   (GEXF ids are plain strings), and a `kind`, the predicate. Gephi merges edges between the
//!   same two nodes only when they are of the same kind, and no two edges here are.
//! * **Symmetric edges** (`met_with`, `signed`, ...) have `type="mutual"`: the relation holds
//!   both ways. The graph's default is `directed`, since most predicates are directed. (An
//!   `undirected` edge in a directed graph would be exact for Gephi too, but NetworkX refuses
//!   such a file.) The `directed` attribute, false for them, is the same as in `edges.csv`.
//! * **Time**: an edge found in documents with publication dates gets `start` and `end`, the
//!   first and last of those dates, and the graph is then `mode="dynamic"` with
//!   `timeformat="date"`, so Gephi's timeline can play the graph over time. Dates that are not
//!   ISO calendar dates stay in the `first_published` and `last_published` attributes only.
//! * **Looks**: each node is coloured by entity type (`viz:color`, the colours of `graph.html`
//!   and `graph.svg`) and sized by its number of mentions (`viz:size`); edge `weight` is the
//!   number of supporting relations (0 for background edges).
//!
//! Nodes come in id order and edges in key order: the same graph always gives the same bytes.
//! Text is escaped as in `graph.graphml`, so an XML parser reads back the original strings.

use std::io::{self, Write};

use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use super::graphml::escape;
use super::style::{iso_date, type_rgb};
use crate::graph::{Edge, KnowledgeGraph, Node};

const GEXF_NS: &str = "http://gexf.net/1.3";
const VIZ_NS: &str = "http://gexf.net/1.3/viz";
const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
const SCHEMA_LOCATION: &str = "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd";

/// Node attributes: (id, title, GEXF type), in the order of [`node_values`].
const NODE_ATTRIBUTES: [(&str, &str, &str); 6] = [
    ("type", "type", "string"),
    ("name_en", "name_en", "string"),
    ("name_fa", "name_fa", "string"),
    ("wikidata", "wikidata", "string"),
    ("mentions", "mentions", "integer"),
    ("documents", "documents", "integer"),
];

/// Edge attributes, in the order of [`edge_values`].
const EDGE_ATTRIBUTES: [(&str, &str, &str); 8] = [
    ("relation", "relation", "string"),
    ("role", "role", "string"),
    ("directed", "directed", "boolean"),
    ("background", "background", "boolean"),
    ("documents", "documents", "integer"),
    ("first_published", "first_published", "string"),
    ("last_published", "last_published", "string"),
    ("document_ids", "document_ids", "string"),
];

/// The edge id of `graph.gexf` (and of `graph.graphml`'s `edge_id`): `source|relation|role|target`.
pub fn edge_id(edge: &Edge) -> String {
    let k = &edge.key;
    format!("{}|{}|{}|{}", k.source, k.relation, k.role, k.target)
}

/// Writes the whole GEXF document for `graph` to `out`.
pub fn write_gexf(graph: &KnowledgeGraph, out: &mut impl Write) -> io::Result<()> {
    let mut buffer = Vec::new();
    let mut writer = Writer::new_with_indent(&mut buffer, b' ', 2);
    write_document(&mut writer, graph)?;
    buffer.push(b'\n');
    out.write_all(&buffer)
}

fn write_document(w: &mut Writer<&mut Vec<u8>>, graph: &KnowledgeGraph) -> io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.write_event(Event::Start(BytesStart::new("gexf").with_attributes([
        ("xmlns", GEXF_NS),
        ("xmlns:viz", VIZ_NS),
        ("xmlns:xsi", XSI_NS),
        ("xsi:schemaLocation", SCHEMA_LOCATION),
        ("version", "1.3"),
    ])))?;
    w.create_element("meta").write_inner_content(|w| {
        w.create_element("creator")
            .write_text_content(BytesText::new("newsgraph"))?;
        w.create_element("description")
            .write_text_content(BytesText::new(
                "Entities and relations found in news text; edge weight = supporting relations",
            ))?;
        Ok(())
    })?;
    let dynamic = graph.edges().any(|e| dates(e).is_some());
    let mut start = BytesStart::new("graph").with_attributes([("defaultedgetype", "directed")]);
    if dynamic {
        start.extend_attributes([("mode", "dynamic"), ("timeformat", "date")]);
    } else {
        start.extend_attributes([("mode", "static")]);
    }
    w.write_event(Event::Start(start))?;
    for (class, attributes) in [
        ("node", &NODE_ATTRIBUTES[..]),
        ("edge", &EDGE_ATTRIBUTES[..]),
    ] {
        w.create_element("attributes")
            .with_attributes([("class", class), ("mode", "static")])
            .write_inner_content(|w| {
                for (id, title, ty) in attributes {
                    w.create_element("attribute")
                        .with_attributes([("id", *id), ("title", *title), ("type", *ty)])
                        .write_empty()?;
                }
                Ok(())
            })?;
    }
    w.write_event(Event::Start(BytesStart::new("nodes")))?;
    for node in graph.nodes() {
        write_node(w, node)?;
    }
    w.write_event(Event::End(BytesEnd::new("nodes")))?;
    w.write_event(Event::Start(BytesStart::new("edges")))?;
    for edge in graph.edges() {
        write_edge(w, graph, edge)?;
    }
    w.write_event(Event::End(BytesEnd::new("edges")))?;
    w.write_event(Event::End(BytesEnd::new("graph")))?;
    w.write_event(Event::End(BytesEnd::new("gexf")))?;
    Ok(())
}

/// The start and end dates of an edge, when both are ISO calendar dates.
fn dates(edge: &Edge) -> Option<(&str, &str)> {
    let d = &edge.data;
    let first = iso_date(d.first_published.as_deref()?)?;
    let last = iso_date(d.last_published.as_deref()?)?;
    Some((first, last))
}

fn attr<'a>(name: &'a str, escaped: &'a str) -> Attribute<'a> {
    // The (&[u8], &[u8]) conversion takes the value as already escaped.
    Attribute::from((name.as_bytes(), escaped.as_bytes()))
}

fn write_node(w: &mut Writer<&mut Vec<u8>>, node: &Node) -> io::Result<()> {
    let d = &node.data;
    let id = escape(&node.id, true);
    let label = escape(&d.label, true);
    w.write_event(Event::Start(
        BytesStart::new("node").with_attributes([attr("id", &id), attr("label", &label)]),
    ))?;
    write_attvalues(w, &NODE_ATTRIBUTES, node_values(node))?;
    let (r, g, b) = type_rgb(&d.entity_type);
    w.create_element("viz:color")
        .with_attributes([
            ("r", r.to_string().as_str()),
            ("g", g.to_string().as_str()),
            ("b", b.to_string().as_str()),
        ])
        .write_empty()?;
    let size = 4.0 + 3.0 * (d.mentions as f64).sqrt();
    w.create_element("viz:size")
        .with_attribute(("value", format!("{size:.1}").as_str()))
        .write_empty()?;
    w.write_event(Event::End(BytesEnd::new("node")))?;
    Ok(())
}

fn write_edge(w: &mut Writer<&mut Vec<u8>>, graph: &KnowledgeGraph, edge: &Edge) -> io::Result<()> {
    let (k, d) = (&edge.key, &edge.data);
    let id = escape(&edge_id(edge), true).into_owned();
    let source = escape(&k.source, true);
    let target = escape(&k.target, true);
    let kind = escape(&k.relation, true);
    let label = if k.role.is_empty() {
        k.relation.clone()
    } else {
        format!("{} ({})", k.relation, k.role)
    };
    let label = escape(&label, true);
    let weight = d.weight.to_string();
    let mut start = BytesStart::new("edge").with_attributes([
        attr("id", &id),
        attr("source", &source),
        attr("target", &target),
        attr("type", if d.directed { "directed" } else { "mutual" }),
        attr("kind", &kind),
        attr("label", &label),
        attr("weight", &weight),
    ]);
    if let Some((first, last)) = dates(edge) {
        start.extend_attributes([("start", first), ("end", last)]);
    }
    w.write_event(Event::Start(start))?;
    write_attvalues(w, &EDGE_ATTRIBUTES, edge_values(graph, edge))?;
    w.write_event(Event::End(BytesEnd::new("edge")))?;
    Ok(())
}

fn write_attvalues(
    w: &mut Writer<&mut Vec<u8>>,
    attributes: &[(&str, &str, &str)],
    values: Vec<Option<String>>,
) -> io::Result<()> {
    if values.iter().all(Option::is_none) {
        return Ok(());
    }
    w.write_event(Event::Start(BytesStart::new("attvalues")))?;
    for ((id, _, _), value) in attributes.iter().zip(values) {
        let Some(value) = value else { continue };
        let value = escape(&value, true);
        w.write_event(Event::Empty(
            BytesStart::new("attvalue").with_attributes([attr("for", id), attr("value", &value)]),
        ))?;
    }
    w.write_event(Event::End(BytesEnd::new("attvalues")))?;
    Ok(())
}

/// A string value, or `None` when empty (no `<attvalue>` then).
fn text(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_string())
}

fn node_values(node: &Node) -> Vec<Option<String>> {
    let d = &node.data;
    vec![
        text(&d.entity_type),
        text(&d.name_en),
        text(&d.name_fa),
        d.wikidata.as_deref().and_then(text),
        Some(d.mentions.to_string()),
        Some(d.documents.to_string()),
    ]
}

fn edge_values(graph: &KnowledgeGraph, edge: &Edge) -> Vec<Option<String>> {
    let (k, d) = (&edge.key, &edge.data);
    let ids: Vec<&str> = graph.edge_document_ids(edge).collect();
    vec![
        text(&k.relation),
        text(&k.role),
        Some(d.directed.to_string()),
        Some(d.background.to_string()),
        Some(d.documents.to_string()),
        d.first_published.as_deref().and_then(text),
        d.last_published.as_deref().and_then(text),
        text(&ids.join(";")),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::{Gazetteer, Predicates};
    use crate::graph::{EdgeData, EdgeKey, GraphPart, NodeData};

    fn sample() -> KnowledgeGraph {
        let mut part = GraphPart::default();
        for (id, label, ty) in [
            ("country:CN", "چین", "COUNTRY"),
            ("person:xi-jinping", "شی جین‌پینگ", "PERSON"),
            ("person:miguel-diaz-canel", "میگل دیاز-کانل", "PERSON"),
        ] {
            part.nodes.insert(
                id.to_string(),
                NodeData {
                    label: label.to_string(),
                    entity_type: ty.to_string(),
                    mentions: 4,
                    documents: 1,
                    document_ids: ["d1".into()].into(),
                    ..NodeData::default()
                },
            );
        }
        for relation in ["met_with", "signed"] {
            part.edges.insert(
                EdgeKey::new(
                    "person:miguel-diaz-canel",
                    "person:xi-jinping",
                    relation,
                    "",
                ),
                EdgeData {
                    weight: 2,
                    documents: 1,
                    document_ids: ["d1".into()].into(),
                    first_published: Some("2022-11-25".to_string()),
                    last_published: Some("2022-11-26T10:00:00Z".to_string()),
                    ..EdgeData::default()
                },
            );
        }
        part.edges.insert(
            EdgeKey::new(
                "person:xi-jinping",
                "country:CN",
                "holds_office",
                "President & \"Chair\"",
            ),
            EdgeData {
                directed: true,
                weight: 1,
                first_published: Some("1403/09/05".to_string()),
                last_published: Some("1403/09/05".to_string()),
                ..EdgeData::default()
            },
        );
        KnowledgeGraph::build(part, &Gazetteer::default(), &Predicates::default())
    }

    fn render() -> String {
        let mut out = Vec::new();
        write_gexf(&sample(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn parallel_edges_have_ids_kinds_and_dates() {
        let text = render();
        assert!(text.contains(
            "<edge id=\"person:miguel-diaz-canel|met_with||person:xi-jinping\" \
             source=\"person:miguel-diaz-canel\" target=\"person:xi-jinping\" type=\"mutual\" \
             kind=\"met_with\" label=\"met_with\" weight=\"2\" start=\"2022-11-25\" end=\"2022-11-26\">"
        ));
        assert!(text.contains("kind=\"signed\""));
        // Not calendar dates: no start or end, the text kept as an attribute.
        assert!(text
            .contains("label=\"holds_office (President &amp; &quot;Chair&quot;)\" weight=\"1\">"));
        assert!(text.contains("<attvalue for=\"first_published\" value=\"1403/09/05\"/>"));
        assert!(text.contains("mode=\"dynamic\" timeformat=\"date\""));
        assert!(text.contains("<viz:color r=\"78\" g=\"121\" b=\"167\"/>"));
    }

    #[test]
    fn deterministic_and_well_formed() {
        let text = render();
        assert_eq!(text, render());
        let mut reader = quick_xml::Reader::from_str(&text);
        let mut elements = 0;
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Eof => break,
                Event::Start(_) | Event::Empty(_) => elements += 1,
                _ => {}
            }
        }
        assert!(elements > 20);
    }
}
