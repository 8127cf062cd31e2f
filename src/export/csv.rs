//! `nodes.csv` and `edges.csv`: the graph as two tables, in one of three [`CsvFlavor`]s.
//!
//! Every flavor is UTF-8 without a byte order mark, `,`-separated, with `\n` line ends, and
//! quotes a field (doubling inner quotes) only when it holds a comma, a quote or a line break.
//! Rows come in the graph's order (nodes by id, edges by key), so the same graph always gives
//! the same bytes. A value that is absent (no Wikidata QID, no role, no publication date) is
//! an empty field.
//!
//! The flavors differ in their header lines and in a few values, so that each file loads
//! without a mapping step into the tool it is named after:
//!
//! | flavor | `nodes.csv` header |
//! | --- | --- |
//! | plain | `id,label,type,name_en,name_fa,mentions,documents,wikidata` |
//! | neo4j | `id:ID,label,:LABEL,name_en,name_fa,mentions:int,documents:int,wikidata` (`:LABEL` is `Person`, `Country`, ...) |
//! | gephi | `Id,Label,type,name_en,name_fa,mentions,documents,wikidata` |
//!
//! | flavor | `edges.csv` header |
//! | --- | --- |
//! | plain | `source,target,relation,directed,weight,documents,role,first_published,last_published,background,document_ids` |
//! | neo4j | `:START_ID,:END_ID,:TYPE,directed:boolean,weight:int,documents:int,role,first_published:date,last_published:date,background:boolean,document_ids:string[]` |
//! | gephi | `Source,Target,Type,Label,Weight,role,documents,first_published,last_published,background` |
//!
//! In every flavor `documents` is a count (of the documents that mention a node, or that an
//! edge was found in); the ids themselves are in `document_ids`, joined with `;`, a `;` or
//! `\` inside an id written `\;` or `\\` so that the list splits back into the ids (Neo4j's
//! importer does not undo that escape: such an id reaches it as two array elements).
//!
//! Characters that XML 1.0 cannot represent (control characters other than tab, line feed
//! and carriage return; U+FFFE, U+FFFF) are written as U+FFFD, as in `graph.graphml`, so that
//! both files hold the same values.

use std::borrow::Cow;

use crate::export::style::iso_date;
use crate::graph::{Edge, KnowledgeGraph};

/// The tool a pair of CSV files is written for.
///
/// The default is [`CsvFlavor::Plain`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum CsvFlavor {
    /// Headers named like the fields of the other output files, for scripts, pandas and
    /// spreadsheets. Booleans are `true` or `false`.
    #[default]
    Plain,
    /// Headers in the `neo4j-admin database import` format, so both files load with
    /// `neo4j-admin database import full --nodes=nodes.csv --relationships=edges.csv`.
    ///
    /// * Each node gets its entity type as label in Neo4j's style for labels, upper camel
    ///   case (`:LABEL` is `Person`, `Country`, `Organization`), and keeps its id as the `id`
    ///   property (`id:ID`); the `type` of the other flavors is that label.
    /// * `first_published:date` and `last_published:date` are Neo4j dates: an ISO calendar
    ///   date (`2022-11-25`, or the date part of `2022-11-25T08:00:00Z`); a publication date
    ///   in another form leaves the property unset (the plain flavor keeps it as given).
    /// * The relationship type (`:TYPE`) is the predicate in upper case (`met_with` becomes
    ///   `MET_WITH`), following Neo4j's naming convention for relationship types (upper case,
    ///   words joined by `_`); the predicate names are already snake case, so upper-casing
    ///   them is all it takes, and the mapping is reversible.
    /// * Neo4j relationships always have a direction. A symmetric edge is stored once, from
    ///   the smaller id to the larger one, with `directed: false`; query it without an arrow
    ///   (`(a)-[:MET_WITH]-(b)`).
    /// * `document_ids:string[]` uses `;`, the importer's default array delimiter.
    /// * An empty field leaves the property unset, which is how absent values should read.
    /// * A label or name that holds a line break is a quoted multi-line field, which the
    ///   importer accepts only with `--multiline-fields=true`.
    Neo4j,
    /// Headers for Gephi's spreadsheet import (*File → Import spreadsheet*), which recognizes
    /// `Id` and `Label` for nodes and `Source`, `Target`, `Type` (`Directed` or `Undirected`),
    /// `Label` (the predicate) and `Weight` for edges; every other column becomes an attribute.
    /// There is no `document_ids` column, since Gephi has no use for long lists of ids.
    Gephi,
}

impl CsvFlavor {
    /// The names [`CsvFlavor::parse`] accepts, in the order of the variants.
    pub const NAMES: [&'static str; 3] = ["plain", "neo4j", "gephi"];

    /// The flavor called `name` (`plain`, `neo4j` or `gephi`, lower case), or `None`.
    pub fn parse(name: &str) -> Option<CsvFlavor> {
        match name {
            "plain" => Some(CsvFlavor::Plain),
            "neo4j" => Some(CsvFlavor::Neo4j),
            "gephi" => Some(CsvFlavor::Gephi),
            _ => None,
        }
    }

    /// The name of this flavor, as [`CsvFlavor::parse`] accepts it.
    pub fn as_str(self) -> &'static str {
        match self {
            CsvFlavor::Plain => "plain",
            CsvFlavor::Neo4j => "neo4j",
            CsvFlavor::Gephi => "gephi",
        }
    }

    fn node_header(self) -> [&'static str; 8] {
        match self {
            CsvFlavor::Plain => [
                "id",
                "label",
                "type",
                "name_en",
                "name_fa",
                "mentions",
                "documents",
                "wikidata",
            ],
            CsvFlavor::Neo4j => [
                "id:ID",
                "label",
                ":LABEL",
                "name_en",
                "name_fa",
                "mentions:int",
                "documents:int",
                "wikidata",
            ],
            CsvFlavor::Gephi => [
                "Id",
                "Label",
                "type",
                "name_en",
                "name_fa",
                "mentions",
                "documents",
                "wikidata",
            ],
        }
    }
}

/// A node label in Neo4j's usual style: `PERSON` → `Person`, `ORGANIZATION` → `Organization`.
pub fn neo4j_label(entity_type: &str) -> String {
    crate::export::rdf::class_name(entity_type)
}

/// Appends `nodes.csv` (a header line, then one line per node in id order) to `out`.
///
/// The columns hold the same values in every flavor but for neo4j's `:LABEL`; the headers
/// differ (see the [module documentation](self)).
pub fn write_nodes(graph: &KnowledgeGraph, flavor: CsvFlavor, out: &mut Vec<u8>) {
    let mut wtr = writer(out);
    write_row(&mut wtr, &flavor.node_header());
    for node in graph.nodes() {
        let d = &node.data;
        let mentions = d.mentions.to_string();
        let documents = d.documents.to_string();
        let neo4j_label = neo4j_label(&d.entity_type);
        let row: [&str; 8] = [
            &node.id,
            &d.label,
            if flavor == CsvFlavor::Neo4j {
                &neo4j_label
            } else {
                &d.entity_type
            },
            &d.name_en,
            &d.name_fa,
            &mentions,
            &documents,
            d.wikidata.as_deref().unwrap_or(""),
        ];
        write_row(&mut wtr, &row);
    }
    finish(wtr);
}

/// Appends `edges.csv` (a header line, then one line per edge in key order) to `out`.
///
/// Symmetric edges appear once, with the smaller id as source, and are marked as such in
/// each flavor's way: `directed` false (plain, neo4j) or `Type` `Undirected` (gephi).
pub fn write_edges(graph: &KnowledgeGraph, flavor: CsvFlavor, out: &mut Vec<u8>) {
    let mut wtr = writer(out);
    match flavor {
        CsvFlavor::Plain => {
            write_row(
                &mut wtr,
                &[
                    "source",
                    "target",
                    "relation",
                    "directed",
                    "weight",
                    "documents",
                    "role",
                    "first_published",
                    "last_published",
                    "background",
                    "document_ids",
                ],
            );
            for edge in graph.edges() {
                write_row(&mut wtr, &common_edge_row(graph, edge, &edge.key.relation));
            }
        }
        CsvFlavor::Neo4j => {
            write_row(
                &mut wtr,
                &[
                    ":START_ID",
                    ":END_ID",
                    ":TYPE",
                    "directed:boolean",
                    "weight:int",
                    "documents:int",
                    "role",
                    "first_published:date",
                    "last_published:date",
                    "background:boolean",
                    "document_ids:string[]",
                ],
            );
            for edge in graph.edges() {
                let rel_type = edge.key.relation.to_uppercase();
                let mut row = common_edge_row(graph, edge, &rel_type);
                for field in &mut row[7..9] {
                    *field = iso_date(field).unwrap_or_default().to_string();
                }
                write_row(&mut wtr, &row);
            }
        }
        CsvFlavor::Gephi => {
            write_row(
                &mut wtr,
                &[
                    "Source",
                    "Target",
                    "Type",
                    "Label",
                    "Weight",
                    "role",
                    "documents",
                    "first_published",
                    "last_published",
                    "background",
                ],
            );
            for edge in graph.edges() {
                let (k, d) = (&edge.key, &edge.data);
                let weight = d.weight.to_string();
                let documents = d.documents.to_string();
                let row: [&str; 10] = [
                    &k.source,
                    &k.target,
                    if d.directed { "Directed" } else { "Undirected" },
                    &k.relation,
                    &weight,
                    &k.role,
                    &documents,
                    d.first_published.as_deref().unwrap_or(""),
                    d.last_published.as_deref().unwrap_or(""),
                    bool_str(d.background),
                ];
                write_row(&mut wtr, &row);
            }
        }
    }
    finish(wtr);
}

/// The row shared by the plain and neo4j flavors, which differ only in how the relation is
/// spelled.
fn common_edge_row(graph: &KnowledgeGraph, edge: &Edge, relation: &str) -> Vec<String> {
    let (k, d) = (&edge.key, &edge.data);
    let ids = graph.edge_document_ids(edge);
    vec![
        k.source.clone(),
        k.target.clone(),
        relation.to_string(),
        bool_str(d.directed).to_string(),
        d.weight.to_string(),
        d.documents.to_string(),
        k.role.clone(),
        d.first_published.clone().unwrap_or_default(),
        d.last_published.clone().unwrap_or_default(),
        bool_str(d.background).to_string(),
        crate::export::join_ids(ids),
    ]
}

fn bool_str(value: bool) -> &'static str {
    if value {
        "true"
    } else {
        "false"
    }
}

fn writer(out: &mut Vec<u8>) -> ::csv::Writer<&mut Vec<u8>> {
    // The csv crate's default line end is already `\n`; spelled out because the module
    // documentation promises it.
    ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(out)
}

fn write_row<T: AsRef<str>>(wtr: &mut ::csv::Writer<&mut Vec<u8>>, row: &[T]) {
    // Writing into memory cannot fail, and every row of a file has the header's length.
    wtr.write_record(
        row.iter()
            .map(|field| match crate::export::printable(field.as_ref()) {
                Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
                Cow::Owned(s) => Cow::Owned(s.into_bytes()),
            }),
    )
    .expect("in-memory CSV row of the header's length");
}

fn finish(mut wtr: ::csv::Writer<&mut Vec<u8>>) {
    wtr.flush().expect("flushing CSV into memory");
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::gazetteer::{Gazetteer, Predicates};
    use crate::graph::{EdgeData, EdgeKey, GraphPart, NodeData};

    fn node(label: &str, entity_type: &str, name_en: &str, name_fa: &str) -> NodeData {
        NodeData {
            label: label.to_string(),
            entity_type: entity_type.to_string(),
            name_en: name_en.to_string(),
            name_fa: name_fa.to_string(),
            wikidata: None,
            mentions: 0,
            documents: 0,
            document_ids: BTreeSet::new(),
            samples: BTreeSet::new(),
            part_of: Vec::new(),
        }
    }

    fn docs(ids: &[&str]) -> BTreeSet<crate::graph::DocId> {
        ids.iter().map(|s| (*s).into()).collect()
    }

    /// A small graph: a symmetric edge with dates, a directed edge with a role that needs
    /// quoting and no dates, a background edge, and a node with a comma, a quote and a line
    /// break in its names.
    fn sample() -> KnowledgeGraph {
        let mut part = GraphPart::default();
        let mut cn = node("چین", "COUNTRY", "China", "چین");
        cn.wikidata = Some("Q148".to_string());
        cn.mentions = 3;
        cn.document_ids = docs(&["d1", "d2"]);
        cn.documents = cn.document_ids.len() as u64;
        part.nodes.insert("country:CN".to_string(), cn);
        let mut cu = node("کوبا", "COUNTRY", "Cuba", "کوبا");
        cu.mentions = 1;
        cu.document_ids = docs(&["d1"]);
        cu.documents = cu.document_ids.len() as u64;
        part.nodes.insert("country:CU".to_string(), cu);
        let mut xi = node(
            "شی \"جین‌پینگ\"",
            "PERSON",
            "Xi, Jinping\nthe \"chairman\"",
            "شی جین‌پینگ",
        );
        xi.mentions = 2;
        xi.document_ids = docs(&["d2"]);
        xi.documents = xi.document_ids.len() as u64;
        part.nodes.insert("person:xi-jinping".to_string(), xi);
        part.nodes.insert(
            "region:east-asia".to_string(),
            node("شرق آسیا", "REGION", "East Asia", "شرق آسیا"),
        );
        part.edges.insert(
            EdgeKey::new("country:CN", "country:CU", "met_with", ""),
            EdgeData {
                directed: false,
                background: false,
                weight: 2,
                documents: docs(&["d1", "d2"]).len() as u64,
                document_ids: docs(&["d1", "d2"]),
                first_published: Some("2022-11-25".to_string()),
                last_published: Some("2022-11-26".to_string()),
                evidence: BTreeSet::new(),
            },
        );
        part.edges.insert(
            EdgeKey::new("country:CN", "region:east-asia", "part_of", ""),
            EdgeData {
                directed: true,
                background: true,
                ..EdgeData::default()
            },
        );
        part.edges.insert(
            EdgeKey::new(
                "person:xi-jinping",
                "country:CN",
                "holds_office",
                "President, \"Head\" of State",
            ),
            EdgeData {
                directed: true,
                background: false,
                weight: 1,
                documents: docs(&["d2"]).len() as u64,
                document_ids: docs(&["d2"]),
                first_published: None,
                last_published: None,
                evidence: BTreeSet::new(),
            },
        );
        KnowledgeGraph::build(part, &Gazetteer::default(), &Predicates::default())
    }

    fn nodes(flavor: CsvFlavor) -> String {
        let mut out = Vec::new();
        write_nodes(&sample(), flavor, &mut out);
        String::from_utf8(out).unwrap()
    }

    fn edges(flavor: CsvFlavor) -> String {
        let mut out = Vec::new();
        write_edges(&sample(), flavor, &mut out);
        String::from_utf8(out).unwrap()
    }

    fn first_line(text: &str) -> &str {
        text.split('\n').next().unwrap()
    }

    #[test]
    fn parse_names() {
        for name in CsvFlavor::NAMES {
            assert_eq!(CsvFlavor::parse(name).unwrap().as_str(), name);
        }
        assert_eq!(CsvFlavor::parse("Neo4j"), None);
        assert_eq!(CsvFlavor::parse(""), None);
        assert_eq!(CsvFlavor::default(), CsvFlavor::Plain);
    }

    #[test]
    fn plain_headers() {
        assert_eq!(
            first_line(&nodes(CsvFlavor::Plain)),
            "id,label,type,name_en,name_fa,mentions,documents,wikidata"
        );
        assert_eq!(
            first_line(&edges(CsvFlavor::Plain)),
            "source,target,relation,directed,weight,documents,role,first_published,\
             last_published,background,document_ids"
        );
    }

    #[test]
    fn neo4j_headers() {
        assert_eq!(
            first_line(&nodes(CsvFlavor::Neo4j)),
            "id:ID,label,:LABEL,name_en,name_fa,mentions:int,documents:int,wikidata"
        );
        assert_eq!(
            first_line(&edges(CsvFlavor::Neo4j)),
            ":START_ID,:END_ID,:TYPE,directed:boolean,weight:int,documents:int,role,\
             first_published:date,last_published:date,background:boolean,document_ids:string[]"
        );
    }

    #[test]
    fn gephi_headers() {
        assert_eq!(
            first_line(&nodes(CsvFlavor::Gephi)),
            "Id,Label,type,name_en,name_fa,mentions,documents,wikidata"
        );
        assert_eq!(
            first_line(&edges(CsvFlavor::Gephi)),
            "Source,Target,Type,Label,Weight,role,documents,first_published,last_published,\
             background"
        );
    }

    #[test]
    fn plain_rows_quote_commas_quotes_and_line_breaks() {
        assert_eq!(
            nodes(CsvFlavor::Plain),
            "id,label,type,name_en,name_fa,mentions,documents,wikidata\n\
             country:CN,چین,COUNTRY,China,چین,3,2,Q148\n\
             country:CU,کوبا,COUNTRY,Cuba,کوبا,1,1,\n\
             person:xi-jinping,\"شی \"\"جین‌پینگ\"\"\",PERSON,\
             \"Xi, Jinping\nthe \"\"chairman\"\"\",شی جین‌پینگ,2,1,\n\
             region:east-asia,شرق آسیا,REGION,East Asia,شرق آسیا,0,0,\n"
        );
        assert_eq!(
            edges(CsvFlavor::Plain),
            "source,target,relation,directed,weight,documents,role,first_published,\
             last_published,background,document_ids\n\
             country:CN,country:CU,met_with,false,2,2,,2022-11-25,2022-11-26,false,d1;d2\n\
             country:CN,region:east-asia,part_of,true,0,0,,,,true,\n\
             person:xi-jinping,country:CN,holds_office,true,1,1,\
             \"President, \"\"Head\"\" of State\",,,false,d2\n"
        );
    }

    #[test]
    fn neo4j_rows_upper_case_the_relationship_type() {
        let text = edges(CsvFlavor::Neo4j);
        let rows: Vec<&str> = text.lines().skip(1).collect();
        assert_eq!(
            rows[0],
            "country:CN,country:CU,MET_WITH,false,2,2,,2022-11-25,2022-11-26,false,d1;d2"
        );
        assert!(rows[1].starts_with("country:CN,region:east-asia,PART_OF,true,0,0,"));
        // The node rows are the plain ones under another header, with Neo4j-style labels.
        let plain = nodes(CsvFlavor::Plain);
        let neo4j = nodes(CsvFlavor::Neo4j);
        assert_eq!(
            plain
                .split_once('\n')
                .unwrap()
                .1
                .replace(",COUNTRY,", ",Country,")
                .replace(",PERSON,", ",Person,")
                .replace(",REGION,", ",Region,"),
            neo4j.split_once('\n').unwrap().1
        );
        assert_eq!(neo4j_label("ORGANIZATION"), "Organization");
    }

    #[test]
    fn gephi_rows_name_the_edge_type() {
        assert_eq!(
            edges(CsvFlavor::Gephi),
            "Source,Target,Type,Label,Weight,role,documents,first_published,last_published,\
             background\n\
             country:CN,country:CU,Undirected,met_with,2,,2,2022-11-25,2022-11-26,false\n\
             country:CN,region:east-asia,Directed,part_of,0,,0,,,true\n\
             person:xi-jinping,country:CN,Directed,holds_office,1,\
             \"President, \"\"Head\"\" of State\",1,,,false\n"
        );
    }

    #[test]
    fn rows_read_back_with_the_csv_crate() {
        let text = nodes(CsvFlavor::Plain);
        let mut rdr = ::csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<::csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 4);
        assert_eq!(&rows[2][1], "شی \"جین‌پینگ\"");
        assert_eq!(&rows[2][3], "Xi, Jinping\nthe \"chairman\"");
        assert!(!text.as_bytes().starts_with(b"\xEF\xBB\xBF"));
        assert!(!text.contains('\r'));
    }

    #[test]
    fn empty_graph_is_just_the_header() {
        let graph = KnowledgeGraph::default();
        let mut out = Vec::new();
        write_edges(&graph, CsvFlavor::Gephi, &mut out);
        assert_eq!(
            out,
            b"Source,Target,Type,Label,Weight,role,documents,first_published,last_published,\
              background\n"
        );
    }
}
