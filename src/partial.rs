//! Partial results: the map and reduce stages of a distributed run.
//!
//! `extract --emit jsonl` writes one [`Record`] a document, as one JSON line: its sequence
//! number (the input position, or the one a distributed job gives it), the exact lines it adds
//! to `documents.jsonl`, `mentions.jsonl`, `relations.jsonl` and `docs.spacy.jsonl`, its
//! failure, and its [`GraphPart`] (with `--rows DIR`, the lines go to files in DIR instead and
//! the graph to graph records; see [`extract_to_partial`]). `merge` reads any number of such
//! lines, in any order and any grouping, and either writes the output set
//! ([`merge_to_output`]) or a merged partial ([`write_partial`]): the documents (without their
//! graph) in sequence order, then one record per document info, node and edge of the merged
//! graph, in key order.
//!
//! Every line starts with its key, `k`: `d:<seq, 20 digits>` for a document, `r:<seq>` for a
//! run of documents already written as output lines ([`RowsRecord`]), `i:<doc id>`,
//! `n:<node id>` and `e:<edge key>` for the graph, so that a job can partition records by
//! key without parsing the rest. Records with the same graph key merge with
//! [`GraphPart::merge`] (associative and commutative); document records are sorted by
//! sequence number. So merging any partition of a corpus in any order gives the bytes of
//! one `extract` over the whole corpus.

use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::corpus::{self, DocumentOutput, Options, Summary};
use crate::export::{ExportError, OutputSet};
use crate::graph::{DocumentInfo, EdgeData, EdgeKey, GraphPart, NodeData};
use crate::input::{Loaded, Pending};
use crate::{Gazetteer, Pipeline, Predicates};

/// Why partials could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum PartialError {
    /// A file could not be read, or the output could not be written.
    #[error("{}: {what}: {source}", path.display())]
    Io {
        /// The file (`-` for standard input or output).
        path: PathBuf,
        /// What was being done.
        what: &'static str,
        /// The cause.
        source: io::Error,
    },
    /// A line that is not a partial record.
    #[error("{}:{line}: not a newsgraph partial record: {reason}", path.display())]
    BadLine {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// Two document records with the same sequence number: a partial given twice.
    #[error(
        "document number {seq} appears twice ({first} and {second}); was a partial given twice?"
    )]
    DuplicateDocument {
        /// The sequence number.
        seq: u64,
        /// Where it was first read (`file:line`).
        first: String,
        /// Where it was read again.
        second: String,
    },
    /// The output set could not be written.
    #[error(transparent)]
    Export(#[from] ExportError),
}

/// One document's share of every output file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRecord {
    /// Its position in the corpus: documents are written in this order.
    pub seq: u64,
    /// Its `documents.jsonl` line.
    pub documents: String,
    /// Its `mentions.jsonl` lines.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub mentions: String,
    /// Its `relations.jsonl` lines.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub relations: String,
    /// Its `docs.spacy.jsonl` lines.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub spacy: String,
    /// Number of mentions.
    #[serde(default)]
    pub mention_count: usize,
    /// Bytes of text.
    #[serde(default)]
    pub bytes: usize,
    /// Its id and why it failed, for a failed document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<(String, String)>,
    /// Its graph (absent once merged into the graph records).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graph: Option<PartLists>,
}

/// A [`GraphPart`] as JSON can hold it (edge keys are not strings): its maps as lists of
/// pairs, in key order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartLists {
    /// `GraphPart::documents`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<(String, DocumentInfo)>,
    /// `GraphPart::nodes`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nodes: Vec<(String, NodeData)>,
    /// `GraphPart::edges`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edges: Vec<(EdgeKey, EdgeData)>,
}

impl From<GraphPart> for PartLists {
    fn from(part: GraphPart) -> PartLists {
        PartLists {
            documents: part
                .documents
                .into_iter()
                .map(|(id, info)| (id.to_string(), info))
                .collect(),
            nodes: part.nodes.into_iter().collect(),
            edges: part.edges.into_iter().collect(),
        }
    }
}

impl From<PartLists> for GraphPart {
    fn from(lists: PartLists) -> GraphPart {
        // A list that repeats a key (which no partial writer does) merges its entries.
        let mut part = GraphPart::default();
        for (id, info) in lists.documents {
            let mut one = GraphPart::default();
            one.documents.insert(id.into(), info);
            part.merge(one);
        }
        for (id, node) in lists.nodes {
            let mut one = GraphPart::default();
            one.nodes.insert(id, node);
            part.merge(one);
        }
        for (key, edge) in lists.edges {
            let mut one = GraphPart::default();
            one.edges.insert(key, edge);
            part.merge(one);
        }
        part
    }
}

/// One line of a partial.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The key records are grouped by: `d:`, `i:`, `n:` or `e:` and the identity.
    pub k: String,
    /// A document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<DocumentRecord>,
    /// A document's graph info (publication date, language).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub info: Option<(String, DocumentInfo)>,
    /// A node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<(String, NodeData)>,
    /// An edge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edge: Option<(EdgeKey, EdgeData)>,
    /// A run of documents whose output lines are in files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<RowsRecord>,
}

/// The files of [`RowsRecord::dir`]: the output files that hold one line set per document,
/// which a run of documents adds to as a block.
pub const ROW_FILES: [&str; 4] = [
    "documents.jsonl",
    "mentions.jsonl",
    "relations.jsonl",
    "docs.spacy.jsonl",
];

/// Documents `first..=last` (by sequence number) as the four [`ROW_FILES`] in `dir`, written
/// by `merge --emit jsonl --rows DIR`. A map task writes them where the final `merge` can
/// read them, so the bulk of the output (the document lines, several times the text) goes
/// from the task that made it to the output set as a file copy: no record of it crosses the
/// shuffle or the driver, and nothing decodes it again.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowsRecord {
    /// The folder holding the [`ROW_FILES`].
    pub dir: PathBuf,
    /// The sequence number of its first document.
    pub first: u64,
    /// The sequence number of its last document.
    pub last: u64,
    /// Number of documents.
    pub documents: usize,
    /// Number of mentions.
    pub mentions: usize,
    /// Bytes of text.
    pub bytes: usize,
    /// The id and reason of each failed document, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<(String, String)>,
}

impl Record {
    fn empty(k: String) -> Record {
        Record {
            k,
            doc: None,
            info: None,
            node: None,
            edge: None,
            rows: None,
        }
    }

    /// The key of the rows record whose first document is number `first`.
    pub fn rows_key(first: u64) -> String {
        format!("r:{first:020}")
    }

    /// The key of document number `seq`.
    pub fn document_key(seq: u64) -> String {
        format!("d:{seq:020}")
    }

    /// The key of an edge: `e:` and its source, target, relation and role, separated by
    /// U+001F.
    pub fn edge_key(key: &EdgeKey) -> String {
        format!(
            "e:{}\u{1f}{}\u{1f}{}\u{1f}{}",
            key.source, key.target, key.relation, key.role
        )
    }
}

fn to_line(record: &Record, out: &mut Vec<u8>) {
    // Plain data into memory: serialization cannot fail.
    serde_json::to_writer(&mut *out, record).expect("in-memory JSON serialization");
    out.push(b'\n');
}

fn utf8(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A document's output as the map stage writes it, made on the pool: its line (its record,
/// or with `--rows` its graph records), the figures of the summary, and with `--rows` the
/// output without its graph, for the row files.
struct Rendered {
    seq: u64,
    summary: (usize, usize, Option<(String, String)>),
    rows: Option<DocumentOutput>,
    line: Vec<u8>,
}

fn document_record(seq: u64, out: DocumentOutput) -> Record {
    let mut record = Record::empty(Record::document_key(seq));
    record.doc = Some(DocumentRecord {
        seq,
        documents: utf8(out.documents_line),
        mentions: utf8(out.mentions_lines),
        relations: utf8(out.relations_lines),
        spacy: utf8(out.spacy_lines),
        mention_count: out.mentions,
        bytes: out.bytes,
        failure: out.failure,
        graph: Some(out.graph.into()),
    });
    record
}

/// The map stage: extracts `documents` and writes their partial to `out`, flushed after each
/// document, numbering them from `first_seq`. Documents are extracted a few at a time
/// (sixteen per thread: with two, each batch's wait for its slowest document left a thread
/// idle), so memory is bounded by the largest documents, not the input. The pool serializes
/// the records too; this thread only writes them, in input order.
///
/// Without `rows`, each document is one record holding its output lines and its graph. With
/// `rows`, its output lines go to the [`ROW_FILES`] of that folder instead, its graph goes out
/// as graph records (`i:`, `n:`, `e:`), and one rows record for the whole run ends the
/// partial: a combiner then reads only the graph, not several times the text in JSON strings.
pub fn extract_to_partial(
    pipeline: &Pipeline,
    documents: impl Iterator<Item = Loaded>,
    first_seq: u64,
    rows: Option<&Path>,
    out: &mut dyn Write,
    mut progress: impl FnMut(usize),
) -> Result<Summary, PartialError> {
    let mut summary = Summary::default();
    let mut line = Vec::new();
    let mut rows_files: Option<RowsWriter> = None;
    let batch = rayon::current_num_threads() * 16;
    let write = |out: &mut dyn Write, line: &[u8]| {
        out.write_all(line)
            .and_then(|()| out.flush())
            .map_err(io_error(Path::new(STDOUT), CANNOT_WRITE))
    };
    let mut documents = documents.map(|loaded| Pending::Ready(loaded, 0));
    // Serializing a record is as much work as a quarter of the extraction: on the pool.
    let render = |i: usize, mut doc: DocumentOutput| {
        let seq = first_seq + i as u64;
        let mut line = Vec::new();
        let summary = (doc.mentions, doc.bytes, doc.failure.clone());
        if rows.is_none() {
            to_line(&document_record(seq, doc), &mut line);
            return Rendered {
                seq,
                summary,
                rows: None,
                line,
            };
        }
        let written = graph_records(std::mem::take(&mut doc.graph), |record| {
            to_line(record, &mut line);
            Ok::<(), std::convert::Infallible>(())
        });
        match written {
            Ok(()) => {}
            Err(never) => match never {},
        }
        Rendered {
            seq,
            summary,
            rows: Some(doc),
            line,
        }
    };
    corpus::process_all(
        pipeline,
        || documents.next(),
        None,
        batch,
        None,
        &render,
        |rendered: Rendered| {
            let (mentions, bytes, failure) = rendered.summary;
            summary.documents += 1;
            summary.mentions += mentions;
            summary.bytes += bytes;
            summary.failures.extend(failure);
            if let (Some(dir), Some(mut doc)) = (rows, rendered.rows) {
                let files = match &mut rows_files {
                    Some(files) => files,
                    None => rows_files.insert(RowsWriter::create(dir, rendered.seq)?),
                };
                files.push(
                    rendered.seq,
                    [
                        &doc.documents_line,
                        &doc.mentions_lines,
                        &doc.relations_lines,
                        &doc.spacy_lines,
                    ],
                    doc.mentions,
                    doc.bytes,
                    doc.failure.take(),
                )?;
            }
            write(out, &rendered.line)
        },
        &mut progress,
    )?;
    if let Some(files) = rows_files {
        let rows = files.finish()?;
        let mut record = Record::empty(Record::rows_key(rows.first));
        record.rows = Some(rows);
        line.clear();
        to_line(&record, &mut line);
        write(out, &line)?;
    }
    Ok(summary)
}

/// Hands the records of `graph` to `put`: its document infos, nodes and edges, in key order.
fn graph_records<E>(
    graph: GraphPart,
    mut put: impl FnMut(&Record) -> Result<(), E>,
) -> Result<(), E> {
    for (id, info) in graph.documents {
        let mut record = Record::empty(format!("i:{id}"));
        record.info = Some((id.to_string(), info));
        put(&record)?;
    }
    for (id, node) in graph.nodes {
        let mut record = Record::empty(format!("n:{id}"));
        record.node = Some((id, node));
        put(&record)?;
    }
    for (key, edge) in graph.edges {
        let mut record = Record::empty(Record::edge_key(&key));
        record.edge = Some((key, edge));
        put(&record)?;
    }
    Ok(())
}

/// The [`ROW_FILES`] of a rows folder, written a document at a time in sequence order, and
/// the record that will point at them.
struct RowsWriter {
    files: Vec<(io::BufWriter<std::fs::File>, PathBuf)>,
    record: RowsRecord,
}

impl RowsWriter {
    /// Creates `dir` (if missing) and its files, for a run that starts at document `first`.
    fn create(dir: &Path, first: u64) -> Result<RowsWriter, PartialError> {
        std::fs::create_dir_all(dir).map_err(io_error(dir, "cannot create the rows folder"))?;
        let mut files = Vec::with_capacity(ROW_FILES.len());
        for name in ROW_FILES {
            let path = dir.join(name);
            let file = std::fs::File::create(&path).map_err(io_error(&path, "cannot create"))?;
            files.push((io::BufWriter::with_capacity(1 << 16, file), path));
        }
        let record = RowsRecord {
            dir: dir.into(),
            first,
            last: first,
            ..RowsRecord::default()
        };
        Ok(RowsWriter { files, record })
    }

    /// Appends document `seq`'s lines of the four files, and counts it.
    fn push(
        &mut self,
        seq: u64,
        lines: [&[u8]; 4],
        mentions: usize,
        bytes: usize,
        failure: Option<(String, String)>,
    ) -> Result<(), PartialError> {
        for ((file, path), text) in self.files.iter_mut().zip(lines) {
            file.write_all(text)
                .map_err(io_error(path, "cannot write"))?;
        }
        let record = &mut self.record;
        record.last = seq;
        record.documents += 1;
        record.mentions += mentions;
        record.bytes += bytes;
        record.failures.extend(failure);
        Ok(())
    }

    /// Closes the files and gives the record. Closing is enough: the final merge reads the
    /// files after the job, and a lost executor's task runs again into a folder of its own.
    fn finish(self) -> Result<RowsRecord, PartialError> {
        for (file, path) in self.files {
            file.into_inner()
                .map_err(|e| e.into_error())
                .map_err(io_error(&path, "cannot write"))?;
        }
        Ok(self.record)
    }
}

/// An I/O error at `path`, for `map_err`: the path is copied only when there is an error.
fn io_error<'a>(path: &'a Path, what: &'static str) -> impl FnOnce(io::Error) -> PartialError + 'a {
    move |source| PartialError::Io {
        path: path.to_path_buf(),
        what,
        source,
    }
}

/// How partials written to standard output name it in errors.
const STDOUT: &str = "-";
const CANNOT_WRITE: &str = "cannot write the partial";

/// Partials read into memory: documents by sequence number, and the merged graph.
#[derive(Debug, Default)]
pub struct Merged {
    /// Documents (without their graph) by sequence number, with where each was read.
    pub documents: BTreeMap<u64, (DocumentRecord, String)>,
    /// Runs of documents in files, by their first sequence number, with where each was read.
    pub rows: BTreeMap<u64, (RowsRecord, String)>,
    /// The merged graph.
    pub graph: GraphPart,
}

impl Merged {
    /// Adds one record read at `origin` (`file:line`).
    pub fn add(&mut self, record: Record, origin: String) -> Result<(), PartialError> {
        if let Some(mut doc) = record.doc {
            if let Some(graph) = doc.graph.take() {
                self.graph.merge(graph.into());
            }
            let earlier = self.documents.get(&doc.seq).map(|(_, at)| at).or_else(|| {
                self.rows
                    .range(..=doc.seq)
                    .next_back()
                    .filter(|(_, (rows, _))| rows.last >= doc.seq)
                    .map(|(_, (_, at))| at)
            });
            if let Some(first) = earlier {
                return Err(PartialError::DuplicateDocument {
                    seq: doc.seq,
                    first: first.clone(),
                    second: origin,
                });
            }
            self.documents.insert(doc.seq, (doc, origin.clone()));
        }
        if let Some(rows) = record.rows {
            // A run overlaps an earlier one when that one starts at or before its end and
            // ends at or after its start; a document inside it was read twice.
            let earlier = self
                .rows
                .range(..=rows.last)
                .next_back()
                .filter(|(_, (other, _))| other.last >= rows.first)
                .map(|(_, (other, at))| (other.first.max(rows.first), at))
                .or_else(|| {
                    self.documents
                        .range(rows.first..=rows.last)
                        .next()
                        .map(|(seq, (_, at))| (*seq, at))
                });
            if let Some((seq, first)) = earlier {
                return Err(PartialError::DuplicateDocument {
                    seq,
                    first: first.clone(),
                    second: origin,
                });
            }
            self.rows.insert(rows.first, (rows, origin));
        }
        let mut part = GraphPart::default();
        if let Some((id, info)) = record.info {
            part.documents.insert(id.into(), info);
        }
        if let Some((id, node)) = record.node {
            part.nodes.insert(id, node);
        }
        if let Some((key, edge)) = record.edge {
            part.edges.insert(key, edge);
        }
        self.graph.merge(part);
        Ok(())
    }

    /// Reads every record of `reader` (named `path` in messages).
    pub fn read(&mut self, path: &Path, reader: impl BufRead) -> Result<(), PartialError> {
        for (i, line) in reader.lines().enumerate() {
            let line = line.map_err(io_error(path, "cannot read"))?;
            if line.trim().is_empty() {
                continue;
            }
            let record: Record =
                serde_json::from_str(&line).map_err(|e| PartialError::BadLine {
                    path: path.to_path_buf(),
                    line: i + 1,
                    reason: e.to_string(),
                })?;
            self.add(record, format!("{}:{}", path.display(), i + 1))?;
        }
        Ok(())
    }
}

/// Reads the partials `inputs`: files, folders (every file under them, in sorted order) or
/// `-` for standard input.
pub fn read_partials(inputs: &[PathBuf]) -> Result<Merged, PartialError> {
    let mut merged = Merged::default();
    for input in inputs {
        if input.as_os_str() == "-" {
            merged.read(input, io::stdin().lock())?;
            continue;
        }
        let files: Vec<PathBuf> = if input.is_dir() {
            let mut files: Vec<PathBuf> = walkdir::WalkDir::new(input)
                .follow_links(true)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .collect();
            files.sort();
            files
        } else {
            vec![input.clone()]
        };
        for file in files {
            let opened = std::fs::File::open(&file).map_err(io_error(&file, "cannot open"))?;
            merged.read(&file, io::BufReader::with_capacity(1 << 16, opened))?;
        }
    }
    Ok(merged)
}

/// Writes `merged` as one partial: documents in sequence order, then the graph's document
/// infos, nodes and edges in key order.
pub fn write_partial(merged: Merged, out: &mut dyn Write) -> Result<(), PartialError> {
    let fail = |source| io_error(Path::new(STDOUT), CANNOT_WRITE)(source);
    let mut line = Vec::new();
    let mut put = |record: &Record, out: &mut dyn Write| {
        line.clear();
        to_line(record, &mut line);
        out.write_all(&line)
    };
    for (_, (doc, _)) in merged.documents {
        let mut record = Record::empty(Record::document_key(doc.seq));
        record.doc = Some(doc);
        put(&record, out).map_err(fail)?;
    }
    for (_, (rows, _)) in merged.rows {
        let mut record = Record::empty(Record::rows_key(rows.first));
        record.rows = Some(rows);
        put(&record, out).map_err(fail)?;
    }
    let mut graph = merged.graph;
    graph.retain_cited_documents();
    graph_records(graph, |record| put(record, out)).map_err(fail)?;
    out.flush().map_err(fail)
}

/// Moves the documents of `merged` into the [`ROW_FILES`] of `dir` (created if missing), in
/// sequence order, and puts one [`RowsRecord`] in their place: what a map task's combiner
/// does with `--rows DIR`. Nothing is written when there are no documents.
pub fn documents_to_rows(merged: &mut Merged, dir: &Path) -> Result<(), PartialError> {
    let documents = std::mem::take(&mut merged.documents);
    let Some(&first) = documents.keys().next() else {
        return Ok(());
    };
    let mut files = RowsWriter::create(dir, first)?;
    for (seq, (doc, _)) in documents {
        let lines =
            [&doc.documents, &doc.mentions, &doc.relations, &doc.spacy].map(|s| s.as_bytes());
        files.push(seq, lines, doc.mention_count, doc.bytes, doc.failure)?;
    }
    merged.rows.insert(first, (files.finish()?, String::new()));
    Ok(())
}

/// Appends the [`ROW_FILES`] of `rows` to the output set, a block at a time.
fn copy_rows(rows: &RowsRecord, output: &mut OutputSet) -> Result<(), PartialError> {
    let mut buffer = vec![0; 1 << 20];
    for name in ROW_FILES {
        let path = rows.dir.join(name);
        let mut file = std::fs::File::open(&path).map_err(io_error(&path, "cannot open"))?;
        loop {
            let n =
                io::Read::read(&mut file, &mut buffer).map_err(io_error(&path, "cannot read"))?;
            if n == 0 {
                break;
            }
            output.write(name, &buffer[..n])?;
        }
    }
    Ok(())
}

/// The reduce stage: writes every output file of [`crate::corpus::OUTPUT_FILES`] for
/// `merged` into `output` and commits it, with the same bytes as one `extract` over the
/// documents the partials came from.
pub fn merge_to_output(
    pipeline: &Pipeline,
    merged: Merged,
    output: OutputSet,
    options: Options,
) -> Result<Summary, PartialError> {
    merge_to_output_with(
        pipeline.gazetteer(),
        pipeline.rules().predicates(),
        merged,
        output,
        options,
    )
}

/// [`merge_to_output`] with the gazetteer and predicates alone: writing the output set needs
/// no automaton, which is most of a pipeline's start-up time.
pub fn merge_to_output_with(
    gazetteer: &Gazetteer,
    predicates: &Predicates,
    merged: Merged,
    mut output: OutputSet,
    options: Options,
) -> Result<Summary, PartialError> {
    let mut summary = Summary::default();
    let mut rows = merged.rows.into_values().peekable();
    let mut documents = merged.documents.into_values().peekable();
    loop {
        // Documents and runs never overlap (see `Merged::add`): the lower start goes first.
        let take_rows = match (rows.peek(), documents.peek()) {
            (None, None) => break,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some((r, _)), Some((d, _))) => r.first < d.seq,
        };
        if take_rows {
            let Some((run, _)) = rows.next() else { break };
            copy_rows(&run, &mut output)?;
            summary.documents += run.documents;
            summary.mentions += run.mentions;
            summary.bytes += run.bytes;
            summary.failures.extend(run.failures);
            continue;
        }
        let Some((doc, _)) = documents.next() else {
            break;
        };
        output.write("documents.jsonl", doc.documents.as_bytes())?;
        output.write("mentions.jsonl", doc.mentions.as_bytes())?;
        output.write("relations.jsonl", doc.relations.as_bytes())?;
        output.write("docs.spacy.jsonl", doc.spacy.as_bytes())?;
        summary.documents += 1;
        summary.mentions += doc.mention_count;
        summary.bytes += doc.bytes;
        summary.failures.extend(doc.failure);
    }
    corpus::finish_document_files(&mut output)?;
    corpus::write_graph_files(
        gazetteer,
        predicates,
        merged.graph,
        None,
        &mut output,
        options,
        &mut summary,
    )?;
    output.commit()?;
    Ok(summary)
}
