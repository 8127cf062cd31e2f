//! `graph.svg`: a picture of the graph drawn by Graphviz's `sfdp` (a force layout built for
//! large graphs), when Graphviz is installed.
//!
//! The picture leaves out background edges (unless `--background include`, then dashed)
//! and nodes without edges in it, colours nodes by entity type, makes edges as wide as their
//! weight, and carries a legend of the types and a line saying what was left out. Nodes and
//! edges have tooltips (English name and type; predicate and weight) in the SVG.
//!
//! Without Graphviz the file is a small SVG that says so, and [`write_svg`] returns
//! [`Picture::GraphvizMissing`] so the caller can tell the user.

use std::fmt::Write as _;
use std::io::{self, Read, Write};
use std::process::{Command, Stdio};

use super::style::{type_color, TYPES};
use crate::graph::KnowledgeGraph;

/// The Graphviz program that lays out and draws the picture.
pub const PROGRAM: &str = "sfdp";

/// What [`write_svg`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Picture {
    /// Graphviz drew the graph.
    Drawn,
    /// Graphviz is not installed: the file says so.
    GraphvizMissing,
    /// Graphviz failed (its message): the file says so.
    GraphvizFailed(String),
}

/// A DOT string (an HTML-like label) with `& < > "` escaped.
fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c < ' ' || c == '\u{7F}' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A DOT quoted string, shown as `text` itself (see `dot.rs`).
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push(' '),
            c if c < ' ' || c == '\u{7F}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A lighter tint of `#rrggbb` (mixed with white), for node fills that dark text reads on.
fn tint(color: &str, amount: f64) -> String {
    let channel = |i: usize| u8::from_str_radix(&color[i..i + 2], 16).unwrap_or(0x7f) as f64;
    let mix = |v: f64| (v + (255.0 - v) * amount).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(channel(1)),
        mix(channel(3)),
        mix(channel(5))
    )
}

/// The DOT source of the picture of `graph` (already filtered by the caller as the picture
/// should be): nodes without edges are left out here.
pub fn picture_dot(graph: &KnowledgeGraph, total_nodes: usize) -> String {
    let g = &graph.graph;
    let linked: Vec<bool> = g
        .node_indices()
        .map(|i| g.neighbors_undirected(i).next().is_some())
        .collect();
    let shown = linked.iter().filter(|&&l| l).count();
    let background = graph.edges().filter(|e| e.data.background).count();
    let mut s = String::new();
    s.push_str("digraph newsgraph {\n");
    // Straight edges: Graphviz's curved-spline router (2.43) gives one of two drawings of the
    // same input at random (a coordinate's last digit, on the bench corpus's graph), and the
    // picture must be the same bytes every run; the layout itself is seeded (`start`).
    s.push_str(
        "  graph [layout=sfdp, overlap=prism, overlap_scaling=2, sep=\"+6\", splines=line, \
         K=1.1, repulsiveforce=1.6, start=7, outputorder=edgesfirst, pad=0.4, \
         bgcolor=\"#ffffff\", fontname=\"Noto Sans\", fontsize=13, labelloc=b, labeljust=l];\n",
    );
    s.push_str(
        "  node [shape=box, style=\"rounded,filled\", color=\"#ffffff\", penwidth=1.2, \
         fontname=\"Noto Sans Arabic, Noto Sans, DejaVu Sans\", fontcolor=\"#1f2933\", \
         margin=\"0.08,0.03\", height=0.25];\n",
    );
    s.push_str("  edge [color=\"#7b8794a0\", arrowsize=0.6];\n");
    // The legend: entity types present, then what was left out.
    let mut present: Vec<&str> = graph
        .nodes()
        .zip(&linked)
        .filter(|(_, &l)| l)
        .map(|(n, _)| n.data.entity_type.as_str())
        .collect();
    present.sort_unstable();
    present.dedup();
    let mut legend = String::from(
        "<<TABLE BORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"2\"><TR><TD ALIGN=\"LEFT\">\
         <TABLE BORDER=\"0\" CELLSPACING=\"4\" CELLPADDING=\"3\"><TR>",
    );
    for (_, color, en, _) in TYPES.iter().filter(|t| present.contains(&t.0)) {
        let _ = write!(
            legend,
            "<TD BGCOLOR=\"{}\" COLOR=\"{color}\" BORDER=\"1\" STYLE=\"rounded\"> {} </TD>",
            tint(color, 0.55),
            html(en),
        );
    }
    let others: Vec<&&str> = present
        .iter()
        .filter(|t| !TYPES.iter().any(|k| k.0 == **t))
        .collect();
    for t in others {
        let _ = write!(
            legend,
            "<TD BORDER=\"1\"> {} </TD>",
            html(&t.to_lowercase())
        );
    }
    let mut note = format!(
        "{shown} of {total_nodes} nodes, {} edges; node colour = entity type, edge width = supporting relations",
        graph.graph.edge_count()
    );
    if background > 0 {
        let _ = write!(note, "; dashed = background (part_of, gazetteer)");
    } else {
        note.push_str("; background edges left out");
    }
    if shown < graph.graph.node_count() || shown < total_nodes {
        note.push_str("; nodes without edges left out");
    }
    let _ = write!(
        legend,
        "</TR></TABLE></TD></TR><TR><TD ALIGN=\"LEFT\"><FONT POINT-SIZE=\"11\" \
         COLOR=\"#52606d\">{}</FONT></TD></TR></TABLE>>",
        html(&note)
    );
    let _ = writeln!(s, "  label={legend};");
    for (node, &l) in graph.nodes().zip(&linked) {
        if !l {
            continue;
        }
        let d = &node.data;
        let color = type_color(&d.entity_type);
        let fontsize = (10.0 + 2.2 * (d.mentions as f64).sqrt()).min(28.0);
        let mut tooltip = if d.name_en.is_empty() {
            d.label.clone()
        } else {
            d.name_en.clone()
        };
        let _ = write!(
            tooltip,
            " ({}, {} mentions)",
            d.entity_type.to_lowercase(),
            d.mentions
        );
        let _ = writeln!(
            s,
            "  {} [label={}, fillcolor=\"{}\", color=\"{color}\", fontsize={fontsize:.1}, tooltip={}];",
            quoted(&node.id),
            quoted(&d.label),
            tint(color, 0.45),
            quoted(&tooltip),
        );
    }
    for edge in graph.edges() {
        let (k, d) = (&edge.key, &edge.data);
        let width = 0.8 + 1.2 * (d.weight.max(1) as f64).sqrt();
        let mut tooltip = k.relation.clone();
        if !k.role.is_empty() {
            let _ = write!(tooltip, " ({})", k.role);
        }
        let _ = write!(tooltip, " ×{}", d.weight);
        let _ = write!(
            s,
            "  {} -> {} [penwidth={width:.2}, tooltip={}",
            quoted(&k.source),
            quoted(&k.target),
            quoted(&tooltip)
        );
        if !d.directed {
            s.push_str(", dir=none");
        }
        if d.background {
            s.push_str(", style=dashed, color=\"#b8c2cc\", penwidth=0.8");
        }
        s.push_str("];\n");
    }
    s.push_str("}\n");
    s
}

/// A small SVG that carries `message` instead of the picture.
fn placeholder(message: &str) -> String {
    let mut lines = String::new();
    for (i, line) in message.lines().enumerate() {
        let _ = writeln!(
            lines,
            "  <text x=\"16\" y=\"{}\">{}</text>",
            32 + i * 22,
            html(line)
        );
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" height=\"{}\" \
         font-family=\"sans-serif\" font-size=\"14\" fill=\"#1f2933\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"#fff8e1\" stroke=\"#e0b84c\"/>\n{lines}</svg>\n",
        32 + message.lines().count() * 22
    )
}

/// Draws `graph` (filtered for the picture; `total_nodes` is the size of the whole graph,
/// for the legend) with Graphviz's [`PROGRAM`] and writes the SVG to `out`. When Graphviz is
/// missing or fails, writes an SVG that says so and returns what happened.
pub fn write_svg(
    graph: &KnowledgeGraph,
    total_nodes: usize,
    out: &mut impl Write,
) -> io::Result<Picture> {
    let dot = picture_dot(graph, total_nodes);
    match render(&dot) {
        Ok(svg) => {
            out.write_all(&svg)?;
            Ok(Picture::Drawn)
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            out.write_all(
                placeholder(
                    "graph.svg is drawn by Graphviz (sfdp), which is not installed.\n\
                     Install it (Debian: apt-get install graphviz) and run newsgraph extract again.\n\
                     graph.html, beside this file, shows the graph without it.",
                )
                .as_bytes(),
            )?;
            Ok(Picture::GraphvizMissing)
        }
        Err(e) => {
            let message = e.to_string();
            out.write_all(
                placeholder(&format!(
                    "Graphviz (sfdp) could not draw the graph:\n{message}"
                ))
                .as_bytes(),
            )?;
            Ok(Picture::GraphvizFailed(message))
        }
    }
}

/// Runs `sfdp -Tsvg` on `dot`.
fn render(dot: &str) -> io::Result<Vec<u8>> {
    let mut child = Command::new(PROGRAM)
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| io::Error::other("no stdin"))?;
    let input = dot.as_bytes().to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let mut stderr = child
        .stderr
        .take()
        .ok_or_else(|| io::Error::other("no stderr"))?;
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let mut svg = Vec::new();
    if let Some(mut stdout) = child.stdout.take() {
        stdout.read_to_end(&mut svg)?;
    }
    let status = child.wait()?;
    let written = writer
        .join()
        .map_err(|_| io::Error::other("writing to sfdp panicked"))?;
    let messages = reader.join().unwrap_or_default();
    if !status.success() {
        return Err(io::Error::other(format!(
            "{PROGRAM} exited with {status}: {}",
            messages.trim()
        )));
    }
    written?;
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(html("a & <b> \"c\""), "a &amp; &lt;b&gt; &quot;c&quot;");
        assert_eq!(quoted("x \"y\" \\ z\n"), "\"x \\\"y\\\" \\\\ z \"");
        assert_eq!(tint("#000000", 0.5), "#808080");
    }

    #[test]
    fn placeholder_is_svg() {
        let svg = placeholder("one & two\nthree");
        assert!(svg.contains("<text x=\"16\" y=\"32\">one &amp; two</text>"));
        assert!(svg.contains("y=\"54\">three"));
    }

    #[test]
    fn empty_graph_has_a_legend_only() {
        let dot = picture_dot(&KnowledgeGraph::default(), 0);
        assert!(dot.starts_with("digraph newsgraph {"));
        assert!(dot.contains("0 of 0 nodes"));
    }
}
