//! `graph.html`: one self-contained page that shows the graph: laid out (see
//! [`layout`](super::layout)), nodes coloured by entity type and sized by mentions, edges as
//! wide as their weight, labels in Persian or English, search, filters by type, predicate,
//! weight and date, background edges off unless `--background include`, and a panel with a
//! node's mentions or an edge's evidence and documents on click.
//!
//! Everything the page needs is inside it: Cytoscape.js (`assets/cytoscape.min.js`, fetched
//! once from the npm registry by `tools/fetch_js.sh`, MIT license kept in the page), the
//! page's own script and style (`assets/graph.js`, `assets/graph.css`) and the graph as JSON.
//! It makes no network request; it opens from the output folder by double-click
//! (`file://`).
//!
//! The JSON is written with serde_json, with `<`, `>` and `&` as `\u003c`, `\u003e`,
//! `\u0026`, so no text of the graph can end the `<script>` element it sits in.

use std::io::{self, Write};

use serde::Serialize;

use super::layout::{layout, LayoutEdge};
use super::options::GraphOptions;
use super::style::TYPES;
use crate::graph::{KnowledgeGraph, Snippet};

const CYTOSCAPE: &str = include_str!("../../assets/cytoscape.min.js");
const CYTOSCAPE_LICENSE: &str = include_str!("../../assets/cytoscape.LICENSE");
const TEMPLATE: &str = include_str!("../../assets/graph.html");
const SCRIPT: &str = include_str!("../../assets/graph.js");
const STYLE: &str = include_str!("../../assets/graph.css");

/// How many document ids an edge lists in the page (the count is always exact).
pub const MAX_DOCUMENT_IDS: usize = 100;

#[derive(Serialize)]
struct Data<'a> {
    nodes: Vec<NodeOut<'a>>,
    edges: Vec<EdgeOut<'a>>,
    types: Vec<TypeOut<'a>>,
    show_background: bool,
    min_weight: u64,
}

#[derive(Serialize)]
struct TypeOut<'a> {
    id: &'a str,
    color: &'a str,
    en: &'a str,
    fa: &'a str,
}

#[derive(Serialize)]
struct NodeOut<'a> {
    id: &'a str,
    label: &'a str,
    en: &'a str,
    fa: &'a str,
    #[serde(rename = "type")]
    entity_type: &'a str,
    mentions: u64,
    documents: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    wikidata: Option<&'a str>,
    x: f64,
    y: f64,
    samples: Vec<SnippetOut<'a>>,
}

#[derive(Serialize)]
struct EdgeOut<'a> {
    id: String,
    source: &'a str,
    target: &'a str,
    relation: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    role: &'a str,
    directed: bool,
    background: bool,
    weight: u64,
    documents: u64,
    document_ids: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    first: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last: Option<&'a str>,
    evidence: Vec<SnippetOut<'a>>,
}

#[derive(Serialize)]
struct SnippetOut<'a> {
    doc: &'a str,
    sentence: usize,
    before: &'a str,
    text: &'a str,
    after: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    rule: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<&'a str>,
}

fn snippets(samples: &std::collections::BTreeSet<Snippet>) -> Vec<SnippetOut<'_>> {
    samples
        .iter()
        .map(|s| SnippetOut {
            doc: &s.doc,
            sentence: s.sentence,
            before: &s.before,
            text: &s.text,
            after: &s.after,
            rule: &s.rule,
            published: s.published.as_deref(),
        })
        .collect()
}

/// The graph as the page's JSON, positions included.
fn data<'g>(graph: &'g KnowledgeGraph, options: &GraphOptions) -> Data<'g> {
    let edges: Vec<LayoutEdge> = graph
        .graph
        .edge_indices()
        .filter_map(|e| {
            let (a, b) = graph.graph.edge_endpoints(e)?;
            let d = &graph.graph[e].data;
            Some(LayoutEdge {
                a: a.index(),
                b: b.index(),
                weight: d.weight as f64,
                background: d.background,
            })
        })
        .collect();
    let positions = layout(graph.graph.node_count(), &edges);
    let nodes = graph
        .nodes()
        .zip(positions)
        .map(|(node, (x, y))| {
            let d = &node.data;
            NodeOut {
                id: &node.id,
                label: &d.label,
                en: &d.name_en,
                fa: &d.name_fa,
                entity_type: &d.entity_type,
                mentions: d.mentions,
                documents: d.documents,
                wikidata: d.wikidata.as_deref().filter(|w| !w.is_empty()),
                x,
                y,
                samples: snippets(&d.samples),
            }
        })
        .collect();
    let edges = graph
        .edges()
        .map(|edge| {
            let (k, d) = (&edge.key, &edge.data);
            EdgeOut {
                id: super::gexf::edge_id(edge),
                source: &k.source,
                target: &k.target,
                relation: &k.relation,
                role: &k.role,
                directed: d.directed,
                background: d.background,
                weight: d.weight,
                documents: d.documents,
                document_ids: graph
                    .edge_document_ids(edge)
                    .take(MAX_DOCUMENT_IDS)
                    .collect(),
                first: d.first_published.as_deref(),
                last: d.last_published.as_deref(),
                evidence: snippets(&d.evidence),
            }
        })
        .collect();
    Data {
        nodes,
        edges,
        types: TYPES
            .iter()
            .map(|&(id, color, en, fa)| TypeOut { id, color, en, fa })
            .collect(),
        show_background: options.show_background(),
        min_weight: options.min_weight,
    }
}

/// A writer that escapes `<`, `>` and `&` (ASCII, so never part of a longer UTF-8 sequence),
/// which makes JSON safe inside a `<script>` element.
struct ScriptSafe<'a, W: Write> {
    out: &'a mut W,
}

impl<W: Write> Write for ScriptSafe<'_, W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let mut rest = bytes;
        while let Some(i) = rest.iter().position(|b| matches!(b, b'<' | b'>' | b'&')) {
            self.out.write_all(&rest[..i])?;
            self.out.write_all(match rest[i] {
                b'<' => b"\\u003c",
                b'>' => b"\\u003e",
                _ => b"\\u0026",
            })?;
            rest = &rest[i + 1..];
        }
        self.out.write_all(rest)?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Writes the page for `graph` to `out`. `options` says whether background edges are shown
/// when the page opens.
pub fn write_html(
    graph: &KnowledgeGraph,
    options: &GraphOptions,
    out: &mut impl Write,
) -> io::Result<()> {
    let data = data(graph, options);
    // Each placeholder is replaced once, in order, so nothing inserted is searched again.
    let mut rest = TEMPLATE;
    for placeholder in [
        "{{style}}",
        "{{cytoscape_license}}",
        "{{cytoscape}}",
        "{{data}}",
        "{{script}}",
    ] {
        let Some((before, after)) = rest.split_once(placeholder) else {
            return Err(io::Error::other(format!(
                "assets/graph.html has no {placeholder}"
            )));
        };
        out.write_all(before.as_bytes())?;
        match placeholder {
            "{{style}}" => out.write_all(STYLE.as_bytes())?,
            "{{cytoscape_license}}" => {
                out.write_all(CYTOSCAPE_LICENSE.replace("--", "- -").as_bytes())?
            }
            "{{cytoscape}}" => out.write_all(CYTOSCAPE.as_bytes())?,
            // Serialized into memory first and escaped in one pass: serde_json writes a
            // few bytes at a time, and each small write through the escaping writer and
            // the file's buffer cost more than the serialization.
            "{{data}}" => {
                let json = serde_json::to_vec(&data).map_err(io::Error::other)?;
                ScriptSafe { out: &mut *out }.write_all(&json)?
            }
            _ => out.write_all(SCRIPT.as_bytes())?,
        }
        rest = after;
    }
    out.write_all(rest.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_cannot_close_the_script() {
        let mut out = Vec::new();
        ScriptSafe { out: &mut out }
            .write_all(r#"{"a":"</script><!-- & >"}"#.as_bytes())
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"a":"\u003c/script\u003e\u003c!-- \u0026 \u003e"}"#
        );
    }

    #[test]
    fn assets_are_inside_and_safe() {
        assert!(!CYTOSCAPE.contains("</script"));
        assert!(!SCRIPT.contains("</script"));
        let mut out = Vec::new();
        write_html(
            &KnowledgeGraph::default(),
            &GraphOptions::default(),
            &mut out,
        )
        .unwrap();
        let page = String::from_utf8(out).unwrap();
        assert!(page.contains("The Cytoscape Consortium"));
        for placeholder in ["{{style}}", "{{cytoscape}}", "{{data}}", "{{script}}"] {
            assert!(!page.contains(placeholder), "{placeholder} is left");
        }
        // Nothing is loaded from elsewhere.
        assert!(!page.contains("<script src") && !page.contains("<link"));
        assert!(page.contains("default-src 'none'"));
    }
}
