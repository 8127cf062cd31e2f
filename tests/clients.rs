//! The exported graph files as real clients read them: `graph.graphml` against the GraphML
//! XML Schema (xmllint) and in NetworkX and igraph, compared attribute by attribute with
//! `nodes.csv` and `edges.csv` as Python's csv module reads them
//! (`tests/clients/check_graph.py`), and `graph.dot` rendered by Graphviz.
//!
//! Each check runs on a small hand-built graph full of awkward text, and again on the
//! committed `output/` folder once it has a `graph.graphml`.
//!
//! The tools may be missing on a developer machine: a check then prints `SKIPPED: ...` and
//! passes, unless `NEWSGRAPH_REQUIRE_TOOLS` is set (to anything but empty or `0`), as CI does,
//! in which case it fails. `.ci/run` installs everything. Python is `$NEWSGRAPH_PYTHON`, else
//! `.venv/bin/python`, else `python3`; the schema is `$NEWSGRAPH_GRAPHML_XSD`, else
//! `.ci/cache/graphml/graphml.xsd`.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use newsgraph::export::csv::{write_edges, write_nodes, CsvFlavor};
use newsgraph::export::dot::write_dot;
use newsgraph::export::graphml::write_graphml;
use newsgraph::gazetteer::Gazetteer;
use newsgraph::graph::{EdgeData, EdgeKey, GraphPart, KnowledgeGraph, NodeData};

const FILES: [&str; 4] = ["nodes.csv", "edges.csv", "graph.graphml", "graph.dot"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn tools_required() -> bool {
    std::env::var_os("NEWSGRAPH_REQUIRE_TOOLS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Prints a line past the test harness's output capture, so a skip shows in `cargo test`.
fn note(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// A tool is missing: fail when tools are required, else say so and let the check pass.
fn missing(tool: &str, install: &str) {
    let message = format!("{tool} not found (install {install})");
    assert!(
        !tools_required(),
        "NEWSGRAPH_REQUIRE_TOOLS is set and {message}"
    );
    note(&format!("SKIPPED: {message}"));
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

fn run(program: &Path, args: &[&OsStr]) -> Output {
    Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("running {}: {e}", program.display()))
}

fn describe(output: &Output) -> String {
    format!(
        "{}\n--- stdout\n{}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn python() -> PathBuf {
    if let Some(python) = std::env::var_os("NEWSGRAPH_PYTHON") {
        return PathBuf::from(python);
    }
    let venv = root().join(".venv/bin/python");
    if venv.is_file() {
        return venv;
    }
    on_path("python3").unwrap_or_else(|| PathBuf::from("python3"))
}

fn graphml_schema() -> PathBuf {
    match std::env::var_os("NEWSGRAPH_GRAPHML_XSD") {
        Some(xsd) => PathBuf::from(xsd),
        None => root().join(".ci/cache/graphml/graphml.xsd"),
    }
}

/// `xmllint --schema` accepts `dir/graph.graphml`, without touching the network.
fn check_schema(dir: &Path) {
    let Some(xmllint) = on_path("xmllint") else {
        return missing(
            "xmllint",
            "libxml2-utils: apt-get install libxml2-utils, or run .ci/run",
        );
    };
    let xsd = graphml_schema();
    if !xsd.is_file() {
        return missing(
            &format!("GraphML schema {}", xsd.display()),
            "it with .ci/run, or point NEWSGRAPH_GRAPHML_XSD at a graphml.xsd",
        );
    }
    let graph = dir.join("graph.graphml");
    let output = run(
        &xmllint,
        &[
            "--noout".as_ref(),
            "--nonet".as_ref(),
            "--schema".as_ref(),
            xsd.as_os_str(),
            graph.as_os_str(),
        ],
    );
    assert!(
        output.status.success(),
        "{} is not valid GraphML: {}",
        graph.display(),
        describe(&output)
    );
}

/// NetworkX, igraph and the CSV files agree on every node, edge and attribute.
fn check_python(dir: &Path) {
    let python = python();
    let probe = Command::new(&python)
        .args(["-c", "import networkx, igraph"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        return missing(
            &format!("networkx and igraph for {}", python.display()),
            "them: python3 -m venv .venv && .venv/bin/pip install networkx python-igraph, \
             or run .ci/run, or set NEWSGRAPH_PYTHON",
        );
    }
    let script = root().join("tests/clients/check_graph.py");
    let output = run(&python, &[script.as_os_str(), dir.as_os_str()]);
    assert!(
        output.status.success(),
        "NetworkX, igraph and the CSV files disagree: {}",
        describe(&output)
    );
}

/// Graphviz renders `dir/graph.dot` to SVG; returns the SVG, or `None` when skipped.
fn check_dot(dir: &Path) -> Option<String> {
    let Some(dot) = on_path("dot") else {
        missing("dot", "graphviz: apt-get install graphviz, or run .ci/run");
        return None;
    };
    let file = dir.join("graph.dot");
    let output = run(&dot, &["-Tsvg".as_ref(), file.as_os_str()]);
    assert!(
        output.status.success(),
        "dot cannot render {}: {}",
        file.display(),
        describe(&output)
    );
    let svg = String::from_utf8(output.stdout).expect("Graphviz writes UTF-8 SVG");
    assert!(svg.contains("<svg"), "no <svg in dot's output:\n{svg}");
    Some(svg)
}

fn node(label: &str, entity_type: &str, name_en: &str, wikidata: Option<&str>) -> NodeData {
    NodeData {
        label: label.to_string(),
        entity_type: entity_type.to_string(),
        name_en: name_en.to_string(),
        name_fa: label.to_string(),
        wikidata: wikidata.map(str::to_string),
        mentions: 0,
        documents: BTreeSet::new(),
        samples: BTreeSet::new(),
    }
}

fn docs(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|id| id.to_string()).collect()
}

fn edge(
    part: &mut GraphPart,
    (source, relation, role, target): (&str, &str, &str, &str),
    data: EdgeData,
) {
    let key = EdgeKey {
        source: source.to_string(),
        target: target.to_string(),
        relation: relation.to_string(),
        role: role.to_string(),
    };
    part.edges.insert(key, data);
}

fn found(directed: bool, documents: &[&str], dates: Option<(&str, &str)>) -> EdgeData {
    EdgeData {
        directed,
        background: false,
        weight: documents.len() as u64 + 1,
        documents: docs(documents),
        first_published: dates.map(|d| d.0.to_string()),
        last_published: dates.map(|d| d.1.to_string()),
        evidence: BTreeSet::new(),
    }
}

/// Persian labels (with a ZWNJ); `& < > " '`, commas, a line break, a literal `&amp;` and a
/// backslash (which Graphviz would take for escapes) in text; symmetric edges (two between
/// the same pair); directed edges with roles; a background `part_of` edge without
/// documents; edges without dates; and a node without edges.
fn tricky_graph() -> KnowledgeGraph {
    let mut part = GraphPart::default();
    let mut add = |id: &str, mut data: NodeData, mentions: u64, documents: &[&str]| {
        data.mentions = mentions;
        data.documents = docs(documents);
        part.nodes.insert(id.to_string(), data);
    };
    add(
        "country:CN",
        node("چین", "COUNTRY", "China", Some("Q148")),
        5,
        &["cri-2022-11-25", "fars:12"],
    );
    add(
        "country:CU",
        node("کوبا", "COUNTRY", "Cuba", Some("Q241")),
        3,
        &["cri-2022-11-25"],
    );
    add(
        "person:xi-jinping",
        node("شی جین‌پینگ", "PERSON", "Xi Jinping", Some("Q15031")),
        4,
        &["cri-2022-11-25", "fars:12"],
    );
    add(
        "person:miguel-diaz-canel",
        node("میگل دیاز-کانل", "PERSON", "Miguel Díaz-Canel", None),
        2,
        &["cri-2022-11-25"],
    );
    let mut tricky = node(
        "Tom & Jerry <\"Co\">, 'Ltd'",
        "ORGANIZATION",
        "Smith, Jones & \"Partners\" &amp; co. \\N\nLtd.",
        None,
    );
    tricky.name_fa = "شرکت «تام» و جری، با مسئولیت محدود".to_string();
    add(
        "organization:tom-and-jerry",
        tricky,
        1,
        &["doc, with \"commas\""],
    );
    add(
        "region:latin-america",
        node("آمریکای لاتین", "REGION", "Latin America", Some("Q12585")),
        0,
        &[],
    );
    add(
        "principle:one-china",
        node("اصل چین واحد", "PRINCIPLE", "One-China principle", None),
        2,
        &["fars:12"],
    );

    let met = ("2022-11-25", "2022-11-26");
    edge(
        &mut part,
        ("country:CN", "met_with", "", "country:CU"),
        found(false, &["cri-2022-11-25", "fars:12"], Some(met)),
    );
    edge(
        &mut part,
        ("country:CN", "signed", "", "country:CU"),
        found(false, &["cri-2022-11-25"], None),
    );
    edge(
        &mut part,
        (
            "person:miguel-diaz-canel",
            "met_with",
            "",
            "person:xi-jinping",
        ),
        found(false, &["cri-2022-11-25"], Some(met)),
    );
    edge(
        &mut part,
        (
            "person:xi-jinping",
            "holds_office",
            "President",
            "country:CN",
        ),
        found(true, &["cri-2022-11-25", "fars:12"], Some(met)),
    );
    edge(
        &mut part,
        (
            "person:miguel-diaz-canel",
            "holds_office",
            "First Secretary, \"PCC\" & <Party> 'Cuba'",
            "country:CU",
        ),
        found(true, &["cri-2022-11-25"], None),
    );
    edge(
        &mut part,
        ("organization:tom-and-jerry", "supports", "", "country:CN"),
        found(true, &["doc, with \"commas\"", "fars:12"], None),
    );
    edge(
        &mut part,
        ("country:CU", "part_of", "", "region:latin-america"),
        EdgeData {
            directed: true,
            background: true,
            ..EdgeData::default()
        },
    );
    KnowledgeGraph::build(part, &Gazetteer::default())
}

fn render(graph: &KnowledgeGraph) -> [Vec<u8>; 4] {
    let mut files: [Vec<u8>; 4] = Default::default();
    write_nodes(graph, CsvFlavor::Plain, &mut files[0]);
    write_edges(graph, CsvFlavor::Plain, &mut files[1]);
    write_graphml(graph, &mut files[2]);
    write_dot(graph, &mut files[3]);
    files
}

/// Writes the four files of the tricky graph into a new temporary folder.
fn tricky_files() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    for (name, bytes) in FILES.iter().zip(render(&tricky_graph())) {
        std::fs::write(dir.path().join(name), bytes).expect("write a test file");
    }
    dir
}

#[test]
fn tricky_graph_files_are_deterministic() {
    assert_eq!(render(&tricky_graph()), render(&tricky_graph()));
    let graph = tricky_graph();
    assert_eq!(graph.graph.node_count(), 7);
    assert_eq!(graph.graph.edge_count(), 7);
}

#[test]
fn graphml_is_valid_against_the_graphml_schema() {
    let dir = tricky_files();
    check_schema(dir.path());
}

#[test]
fn networkx_igraph_and_csv_agree() {
    let dir = tricky_files();
    check_python(dir.path());
}

/// The lines of text in an SVG, as a viewer shows them (markup and escapes undone).
fn svg_text_lines(svg: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut lines = Vec::new();
    let mut in_text = false;
    loop {
        match reader.read_event().expect("well-formed SVG") {
            Event::Start(e) if e.name().as_ref() == b"text" => in_text = true,
            Event::End(e) if e.name().as_ref() == b"text" => in_text = false,
            Event::Text(t) if in_text => lines.push(t.unescape().expect("SVG text").into_owned()),
            Event::Eof => break,
            _ => {}
        }
    }
    lines
}

#[test]
fn graphviz_renders_the_dot_file() {
    let dir = tricky_files();
    let Some(svg) = check_dot(dir.path()) else {
        return;
    };
    // Labels come out as written: no backslash escapes, quotes or entities left over.
    let lines = svg_text_lines(&svg);
    for line in [
        "شی جین‌پینگ",
        "Xi Jinping",
        "Tom & Jerry <\"Co\">, 'Ltd'",
        "Smith, Jones & \"Partners\" &amp; co. \\N",
        "Ltd.",
        "holds_office",
        "First Secretary, \"PCC\" & <Party> 'Cuba'",
    ] {
        assert!(
            lines.iter().any(|l| l == line),
            "the SVG has no text {line:?}; it has {lines:#?}"
        );
    }
}

#[test]
fn committed_output_passes_every_client_check() {
    let output = root().join("output");
    if !output.join("graph.graphml").is_file() {
        note("note: output/graph.graphml does not exist yet; client checks of output/ skipped");
        return;
    }
    check_schema(&output);
    check_python(&output);
    if output.join("graph.dot").is_file() {
        check_dot(&output);
    } else {
        note("note: output/graph.dot does not exist; dot check of output/ skipped");
    }
}
