//! `graph.dot`: the graph in Graphviz's DOT language, for a quick look
//! (`dot -Tsvg graph.dot > graph.svg`).
//!
//! Each node is a box labelled with its label (the Persian name, else the English one) and,
//! on a second line, its English name when that differs. Each edge is labelled with its
//! predicate and, on a second line, its role. Symmetric edges have no arrowhead
//! (`dir=none`) and background facts from the gazetteer are dashed. The DOT file is a
//! `digraph` whatever the edges, because DOT, unlike GraphML, cannot mix edge kinds in one
//! graph except through `dir`.

use crate::graph::KnowledgeGraph;

/// Appends a Graphviz `digraph` of `graph` to `out`.
///
/// Nodes come in id order and edges in key order, one statement a line: the same graph
/// always gives the same bytes. Every id and label is a double-quoted string, escaped so
/// that Graphviz shows the original text: quotes and backslashes (which would otherwise
/// start label escapes such as `\N`) are backslash-escaped, `&` is written `&amp;` (Graphviz
/// decodes HTML entities in labels), line breaks become `\n`, and other control characters,
/// which would make Graphviz's SVG output invalid XML, become U+FFFD.
pub fn write_dot(graph: &KnowledgeGraph, out: &mut Vec<u8>) {
    let mut s = String::new();
    s.push_str("digraph newsgraph {\n");
    s.push_str("  node [shape=box];\n");
    for node in graph.nodes() {
        let d = &node.data;
        let mut label = d.label.clone();
        if !d.name_en.is_empty() && d.name_en != d.label {
            if !label.is_empty() {
                label.push('\n');
            }
            label.push_str(&d.name_en);
        }
        s.push_str("  ");
        push_id(&mut s, &node.id);
        s.push_str(" [label=");
        push_label(&mut s, &label);
        s.push_str("];\n");
    }
    for edge in graph.edges() {
        let (k, d) = (&edge.key, &edge.data);
        let mut label = k.relation.clone();
        if !k.role.is_empty() {
            label.push('\n');
            label.push_str(&k.role);
        }
        s.push_str("  ");
        push_id(&mut s, &k.source);
        s.push_str(" -> ");
        push_id(&mut s, &k.target);
        s.push_str(" [label=");
        push_label(&mut s, &label);
        if !d.directed {
            s.push_str(", dir=none");
        }
        if d.background {
            s.push_str(", style=dashed");
        }
        s.push_str("];\n");
    }
    s.push_str("}\n");
    out.extend_from_slice(s.as_bytes());
}

/// Appends `id` as a DOT quoted string. In a quoted string the DOT lexer treats only `\"`
/// (and a backslash before a line break) specially, so doubling backslashes keeps ids
/// distinct and keeps a final backslash from swallowing the closing quote.
fn push_id(s: &mut String, id: &str) {
    s.push('"');
    for c in id.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            c => s.push(sanitize(c)),
        }
    }
    s.push('"');
}

/// Appends `label` as a DOT quoted string that Graphviz renders as `label` itself.
fn push_label(s: &mut String, label: &str) {
    s.push('"');
    let mut chars = label.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '&' => s.push_str("&amp;"),
            '\n' => s.push_str("\\n"),
            '\r' => {
                // One line break for `\r\n` as for `\n`.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                s.push_str("\\n");
            }
            c => s.push(sanitize(c)),
        }
    }
    s.push('"');
}

fn sanitize(c: char) -> char {
    if (c < ' ' && c != '\t') || c == '\u{7F}' || c == '\u{FFFE}' || c == '\u{FFFF}' {
        '\u{FFFD}'
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::gazetteer::{Gazetteer, Predicates};
    use crate::graph::{EdgeData, EdgeKey, GraphPart, NodeData};

    fn node(label: &str, name_en: &str) -> NodeData {
        NodeData {
            label: label.to_string(),
            entity_type: "COUNTRY".to_string(),
            name_en: name_en.to_string(),
            name_fa: label.to_string(),
            wikidata: None,
            mentions: 1,
            documents: 0,
            document_ids: BTreeSet::new(),
            samples: BTreeSet::new(),
            part_of: Vec::new(),
        }
    }

    fn edge(directed: bool, background: bool) -> EdgeData {
        EdgeData {
            directed,
            background,
            ..EdgeData::default()
        }
    }

    fn render(part: GraphPart) -> String {
        let mut out = Vec::new();
        write_dot(
            &KnowledgeGraph::build(part, &Gazetteer::default(), &Predicates::default()),
            &mut out,
        );
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn whole_file() {
        let mut part = GraphPart::default();
        part.nodes
            .insert("country:CN".to_string(), node("چین", "China"));
        part.nodes
            .insert("country:CU".to_string(), node("کوبا", "Cuba"));
        part.nodes.insert(
            "person:xi-jinping".to_string(),
            node("شی جین‌پینگ", "Xi Jinping"),
        );
        part.nodes
            .insert("region:asia".to_string(), node("Asia", "Asia"));
        part.edges.insert(
            EdgeKey::new("country:CN", "country:CU", "met_with", ""),
            edge(false, false),
        );
        part.edges.insert(
            EdgeKey::new("country:CN", "region:asia", "part_of", ""),
            edge(true, true),
        );
        part.edges.insert(
            EdgeKey::new(
                "person:xi-jinping",
                "country:CN",
                "holds_office",
                "President",
            ),
            edge(true, false),
        );
        assert_eq!(
            render(part),
            "digraph newsgraph {\n  \
             node [shape=box];\n  \
             \"country:CN\" [label=\"چین\\nChina\"];\n  \
             \"country:CU\" [label=\"کوبا\\nCuba\"];\n  \
             \"person:xi-jinping\" [label=\"شی جین‌پینگ\\nXi Jinping\"];\n  \
             \"region:asia\" [label=\"Asia\"];\n  \
             \"country:CN\" -> \"country:CU\" [label=\"met_with\", dir=none];\n  \
             \"country:CN\" -> \"region:asia\" [label=\"part_of\", style=dashed];\n  \
             \"person:xi-jinping\" -> \"country:CN\" [label=\"holds_office\\nPresident\"];\n\
             }\n"
        );
    }

    #[test]
    fn labels_are_escaped() {
        let mut s = String::new();
        push_label(&mut s, "A & \"B\" <c> 'd' \\N\r\nx\ny\u{1}");
        assert_eq!(s, "\"A &amp; \\\"B\\\" <c> 'd' \\\\N\\nx\\ny\u{FFFD}\"");
        let mut s = String::new();
        push_id(&mut s, "odd\\\"id\\");
        assert_eq!(s, "\"odd\\\\\\\"id\\\\\"");
    }

    #[test]
    fn node_label_without_english_name() {
        let mut part = GraphPart::default();
        part.nodes
            .insert("country:IR".to_string(), node("ایران", ""));
        assert!(render(part).contains("\"country:IR\" [label=\"ایران\"];"));
    }
}
