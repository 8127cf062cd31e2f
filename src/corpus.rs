//! Running a pipeline over a whole corpus: streamed input, documents in parallel, output in
//! input order.
//!
//! Documents are read in batches; each batch is extracted and serialized across the thread
//! pool, then written in input order. Memory is bounded by the batch, not the corpus, and the
//! output bytes do not depend on the number of threads.

use std::path::Path;

use rayon::prelude::*;

use crate::doclists::DocLists;
use crate::export::csv::CsvFlavor;
use crate::export::jsonl::{write_line, write_mentions, write_relations, DocumentRow};
use crate::export::options::GraphOptions;
use crate::export::{ExportError, OutputSet, Sink};
use crate::graph::{GraphPart, KnowledgeGraph};
use crate::input::{Ids, Loaded, Pending, Reader};
use crate::{Gazetteer, Pipeline, Predicates, Scratch};

/// The files `extract` writes.
pub const OUTPUT_FILES: [&str; 13] = [
    "documents.jsonl",
    "mentions.jsonl",
    "relations.jsonl",
    "docs.spacy.jsonl",
    "nodes.csv",
    "edges.csv",
    "graph.graphml",
    "graph.dot",
    "graph.gexf",
    "graph.ttl",
    "graph.html",
    "graph.svg",
    "suggestions.tsv",
];

/// How `extract` writes its graph files.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// The header conventions of `nodes.csv` and `edges.csv`.
    pub csv: CsvFlavor,
    /// Which edges the graph files hold (`--background`, `--min-weight`).
    pub graph: GraphOptions,
}

/// How many documents, or how many bytes of text, make one batch.
const BATCH_DOCUMENTS: usize = 256;
const BATCH_BYTES: usize = 32 << 20;

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Documents read (processed or failed).
    pub documents: usize,
    /// Documents that failed, with their id and reason, in input order.
    pub failures: Vec<(String, String)>,
    /// Mentions written.
    pub mentions: usize,
    /// Bytes of text processed.
    pub bytes: usize,
    /// Nodes of the knowledge graph.
    pub nodes: usize,
    /// Edges of the knowledge graph (background `part_of` edges included).
    pub edges: usize,
    /// Things a user should know about the files written (a picture that could not be
    /// drawn, ...), one sentence each.
    pub notes: Vec<String>,
}

pub(crate) struct DocumentOutput {
    pub(crate) documents_line: Vec<u8>,
    pub(crate) mentions_lines: Vec<u8>,
    pub(crate) relations_lines: Vec<u8>,
    pub(crate) spacy_lines: Vec<u8>,
    pub(crate) mentions: usize,
    pub(crate) failure: Option<(String, String)>,
    pub(crate) bytes: usize,
    pub(crate) graph: GraphPart,
}

pub(crate) fn process(
    pipeline: &Pipeline,
    scratch: &mut Scratch,
    loaded: &Loaded,
) -> DocumentOutput {
    let mut out = DocumentOutput {
        documents_line: Vec::new(),
        mentions_lines: Vec::new(),
        relations_lines: Vec::new(),
        spacy_lines: Vec::new(),
        mentions: 0,
        failure: None,
        bytes: 0,
        graph: GraphPart::default(),
    };
    // A failed document gets a row too, with its reason and zero counts.
    let mut row = DocumentRow {
        doc: &loaded.id,
        status: "error",
        error: None,
        chars: 0,
        mentions: 0,
        relations: 0,
        published: None,
        lang: None,
        source: &loaded.origin,
    };
    match &loaded.result {
        Ok(doc) => {
            let extraction = pipeline.extract_with(doc, scratch);
            write_mentions(
                pipeline.gazetteer(),
                doc,
                &extraction,
                &mut out.mentions_lines,
            );
            write_relations(
                pipeline.gazetteer(),
                doc,
                &extraction,
                &mut out.relations_lines,
            );
            // Writing into memory cannot fail.
            let _ =
                crate::export::spacy::write_doc(pipeline, doc, &extraction, &mut out.spacy_lines);
            row = DocumentRow {
                doc: &doc.id,
                status: "ok",
                chars: extraction.chars,
                mentions: extraction.mentions.len(),
                relations: extraction.relations.len(),
                published: doc.published.as_deref(),
                lang: doc.lang.as_deref(),
                ..row
            };
            out.mentions = extraction.mentions.len();
            out.bytes = doc.text.len();
            out.graph = GraphPart::from_document(pipeline.gazetteer(), doc, &extraction);
        }
        Err(error) => {
            row.error = Some(error.to_string());
            out.failure = Some((loaded.id.clone(), format!("{}: {error}", loaded.origin)));
        }
    }
    write_line(&row, &mut out.documents_line);
    out
}

/// Extracts every document of `documents` and writes the output files ([`OUTPUT_FILES`]) into
/// `out_dir`, as one set: the complete files of this run, or (when it fails) the earlier
/// ones; see [`crate::export::set`]. `progress` is called with the number of documents done
/// after each batch.
///
/// Runs on the current rayon thread pool (use `ThreadPool::install` to choose its size).
/// Fails only when output cannot be written (or another run is writing to `out_dir`); failed
/// documents are reported in the summary and in `documents.jsonl`.
pub fn extract_to_dir(
    pipeline: &Pipeline,
    documents: impl Iterator<Item = Loaded>,
    out_dir: &Path,
    options: Options,
    progress: impl FnMut(usize),
) -> Result<Summary, ExportError> {
    let output = OutputSet::create(out_dir, &OUTPUT_FILES)?;
    extract_to_output(pipeline, documents, output, options, progress)
}

/// [`extract_to_dir`] into an output set the caller created (with
/// [`OutputSet::create_with_abort`], say) for [`OUTPUT_FILES`].
pub fn extract_to_output(
    pipeline: &Pipeline,
    documents: impl Iterator<Item = Loaded>,
    output: OutputSet,
    options: Options,
    progress: impl FnMut(usize),
) -> Result<Summary, ExportError> {
    let mut documents = documents.map(|loaded| Pending::Ready(loaded, 0));
    extract_pending(
        pipeline,
        || documents.next(),
        None,
        output,
        options,
        progress,
    )
}

/// [`extract_to_output`] of what `reader` reads, its JSONL lines parsed on the worker threads
/// rather than on the one that reads them.
pub fn extract_reader_to_output(
    pipeline: &Pipeline,
    mut reader: Reader,
    output: OutputSet,
    options: Options,
    progress: impl FnMut(usize),
) -> Result<Summary, ExportError> {
    let ids = reader.take_ids();
    extract_pending(
        pipeline,
        || reader.next_pending(),
        Some(ids),
        output,
        options,
        progress,
    )
}

fn extract_pending(
    pipeline: &Pipeline,
    next: impl FnMut() -> Option<Pending>,
    mut ids: Option<Ids>,
    mut output: OutputSet,
    options: Options,
    mut progress: impl FnMut(usize),
) -> Result<Summary, ExportError> {
    // Building the pipeline frees about as much as it keeps (the automaton's construction
    // tables), in the arena of the thread that built it, which the workers never allocate
    // from: without this it would stay resident for the whole run.
    release_free_memory();
    let mut summary = Summary::default();
    let mut graph = GraphPart::default();
    // The graph's document ids and infos, held compactly until the graph files are written
    // (and read from here by them): they are what grows with the corpus.
    let mut lists = DocLists::default();
    process_all(
        pipeline,
        next,
        ids.as_mut(),
        BATCH_DOCUMENTS,
        Some(&mut |mut part: GraphPart| {
            lists.absorb(&mut part);
            graph.merge(part);
        }),
        &|_, out| out,
        |out| {
            output.write("documents.jsonl", &out.documents_line)?;
            output.write("mentions.jsonl", &out.mentions_lines)?;
            output.write("relations.jsonl", &out.relations_lines)?;
            output.write("docs.spacy.jsonl", &out.spacy_lines)?;
            summary.documents += 1;
            summary.mentions += out.mentions;
            summary.bytes += out.bytes;
            summary.failures.extend(out.failure);
            Ok::<(), ExportError>(())
        },
        &mut progress,
    )?;
    // The ids table is as large as the corpus: gone before the graph files are made.
    drop(ids);
    finish_document_files(&mut output)?;
    // The batches' memory sits in the worker threads' arenas, which the export does not
    // allocate from.
    release_free_memory();

    write_graph_files(
        pipeline.gazetteer(),
        pipeline.rules().predicates(),
        graph,
        Some(lists.finish()),
        &mut output,
        options,
        &mut summary,
    )?;
    output.commit()?;
    Ok(summary)
}

/// Extracts the documents `next` reads, in batches of at most `batch_documents` (and
/// [`BATCH_BYTES`]), across the current rayon pool, turns each document's output into what
/// `each` takes with `render` (on the pool, given the document's 0-based number in input
/// order: serializing there keeps this thread free), and hands those to `each` in input
/// order; `progress` gets the number of documents done after each batch. The pool
/// parses each batch's JSONL lines, and then, in input order, admits them to `ids` (which
/// fails a document whose id an earlier one had). With `batch_graph`, the pool also merges
/// each batch's graph parts into one, handed to `batch_graph` after the batch's documents
/// (their own parts are then empty): the merge is associative and commutative, so the pool's
/// order of merging cannot show, and this thread merges one part a batch instead of one a
/// document.
///
/// While the pool extracts one batch, this thread hands the outputs of the previous one to
/// `each` and reads the lines of the next one, and then joins the pool: reading, writing and
/// merging the graph overlap the extraction instead of leaving the other threads idle. Three
/// batches at most are alive, and `each` sees the outputs in input order whatever the
/// threads.
#[allow(clippy::too_many_arguments)]
pub(crate) fn process_all<E, T: Send>(
    pipeline: &Pipeline,
    mut next: impl FnMut() -> Option<Pending>,
    mut ids: Option<&mut Ids>,
    batch_documents: usize,
    mut batch_graph: Option<&mut dyn FnMut(GraphPart)>,
    render: &(dyn Fn(usize, DocumentOutput) -> T + Sync),
    mut each: impl FnMut(T) -> Result<(), E>,
    progress: &mut dyn FnMut(usize),
) -> Result<(), E> {
    let mut read = |batch: &mut Vec<Pending>| {
        let mut bytes = 0;
        while batch.len() < batch_documents.max(1) && bytes < BATCH_BYTES {
            let Some(pending) = next() else {
                break;
            };
            bytes += pending.bytes();
            batch.push(pending);
        }
    };
    let mut batch: Vec<Pending> = Vec::with_capacity(batch_documents);
    let mut done_outputs: Vec<T> = Vec::new();
    let mut done_graph: Option<GraphPart> = None;
    let merge_batches = batch_graph.is_some();
    let mut done = 0;
    // The number of the first document of the batch being extracted.
    let mut first = 0;
    read(&mut batch);
    loop {
        let mut outputs: Vec<T> = Vec::new();
        let mut merged: Option<GraphPart> = None;
        let mut next_batch: Vec<Pending> = Vec::with_capacity(batch_documents);
        let reading = !batch.is_empty();
        let batch_len = batch.len();
        let handed = rayon::in_place_scope(|scope| {
            if reading {
                let batch = std::mem::take(&mut batch);
                let outputs = &mut outputs;
                let merged = &mut merged;
                let ids = ids.as_deref_mut();
                scope.spawn(move |_| {
                    let mut loaded: Vec<(Loaded, usize)> =
                        batch.into_par_iter().map(Pending::parse).collect();
                    if let Some(ids) = ids {
                        for (loaded, line) in &mut loaded {
                            ids.admit(loaded, *line);
                        }
                    }
                    let mut extracted: Vec<DocumentOutput> = loaded
                        .par_iter()
                        .map_init(Scratch::default, |scratch, (loaded, _)| {
                            process(pipeline, scratch, loaded)
                        })
                        .collect();
                    drop(loaded);
                    if merge_batches {
                        *merged = Some(
                            extracted
                                .par_iter_mut()
                                .map(|out| std::mem::take(&mut out.graph))
                                .reduce(GraphPart::default, |mut a, b| {
                                    a.merge(b);
                                    a
                                }),
                        );
                    }
                    *outputs = extracted
                        .into_par_iter()
                        .enumerate()
                        .map(|(i, out)| render(first + i, out))
                        .collect();
                });
            }
            let had = !done_outputs.is_empty();
            for out in done_outputs.drain(..) {
                done += 1;
                each(out)?;
            }
            if let (Some(part), Some(batch_graph)) = (done_graph.take(), batch_graph.as_mut()) {
                batch_graph(part);
            }
            if had {
                progress(done);
            }
            if reading {
                read(&mut next_batch);
            }
            Ok(())
        });
        handed?;
        if !reading {
            return Ok(());
        }
        done_outputs = outputs;
        done_graph = merged;
        batch = next_batch;
        first += batch_len;
    }
}

/// Gives the memory freed so far back to the system: memory freed in one thread's arena is
/// not reused by allocations in another's, and would otherwise add to the run's peak.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of the allocator's arenas to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The per-document files of [`OUTPUT_FILES`], complete once every document is written:
/// they sync while the graph files render.
pub(crate) fn finish_document_files(output: &mut OutputSet) -> Result<(), ExportError> {
    for name in &OUTPUT_FILES[..4] {
        output.finish(name)?;
    }
    Ok(())
}

fn render_error(name: &str, source: std::io::Error) -> ExportError {
    ExportError::Io {
        path: name.into(),
        what: "cannot render",
        source,
    }
}

/// A file of an output set as a writer.
struct SinkWriter<'s, 'a> {
    sink: &'s mut Sink<'a>,
    error: Option<ExportError>,
}

impl std::io::Write for SinkWriter<'_, '_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match self.sink.write(bytes) {
            Ok(()) => Ok(bytes.len()),
            Err(error) => {
                self.error = Some(error);
                Err(std::io::Error::other("cannot write the output set"))
            }
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Renders a file with `write` straight into `sink`, and finishes it.
fn stream(
    mut sink: Sink<'_>,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), ExportError> {
    let name = sink.name().to_string();
    let mut writer = SinkWriter {
        sink: &mut sink,
        error: None,
    };
    // Renderers write a triple or an attribute at a time: chunks, not pieces, reach the set.
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut writer);
    let rendered = write(&mut buffered).and_then(|()| std::io::Write::flush(&mut buffered));
    drop(buffered);
    match writer.error {
        Some(error) => Err(error),
        None => rendered.map_err(|source| render_error(&name, source)),
    }?;
    sink.finish()
}

/// Renders a small file into memory with `write`, then writes it into `sink` and finishes it.
fn buffer(
    mut sink: Sink<'_>,
    write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>,
) -> Result<(), ExportError> {
    let mut out = Vec::new();
    write(&mut out).map_err(|source| render_error(sink.name(), source))?;
    sink.write(&out)?;
    sink.finish()
}

/// Writes the graph files of [`OUTPUT_FILES`] for `graph` (whose document ids and infos
/// `lists` holds, when given) into `output`, and the graph's figures and notes into
/// `summary`.
pub(crate) fn write_graph_files(
    gazetteer: &Gazetteer,
    predicates: &Predicates,
    graph: GraphPart,
    lists: Option<DocLists>,
    output: &mut OutputSet,
    options: Options,
    summary: &mut Summary,
) -> Result<(), ExportError> {
    let graph = match lists {
        Some(lists) => KnowledgeGraph::build_with_lists(
            graph,
            std::sync::Arc::new(lists),
            gazetteer,
            predicates,
        ),
        None => KnowledgeGraph::build(graph, gazetteer, predicates),
    };
    summary.nodes = graph.graph.node_count();
    summary.edges = graph.graph.edge_count();
    let full = graph;
    let graph = options.graph.data(&full);
    let picture = options.graph.picture(&full.outline());
    let total_nodes = full.graph.node_count();
    let graph = &*graph;
    let full = &full;
    let [gexf, ttl, html, nodes, edges, graphml, dot, suggestions] = output.sinks([
        "graph.gexf",
        "graph.ttl",
        "graph.html",
        "nodes.csv",
        "edges.csv",
        "graph.graphml",
        "graph.dot",
        "suggestions.tsv",
    ]);
    // The files render at once: sfdp lays the picture out in a process of its own while
    // each of the others is a task of the pool, writing its own file of the set (the
    // largest ones streamed: a buffer of them would be a second copy of their text). Each
    // file's bytes do not depend on which runs first, or on which thread.
    let (svg, rendered) = std::thread::scope(|scope| {
        let svg = scope.spawn(|| {
            let mut out = Vec::new();
            let drawn = crate::export::svg::write_svg(&picture, total_nodes, &mut out);
            (out, drawn)
        });
        type Task<'t> = Box<dyn FnOnce() -> Result<(), ExportError> + Send + 't>;
        // This thread runs the newest task first and the others take the oldest: the two
        // largest (html, ttl) start at once, gexf follows ttl, and the small files fill in
        // behind html.
        let tasks: [Task<'_>; 8] = [
            Box::new(|| {
                stream(html, |mut out| {
                    crate::export::html::write_html(graph, &options.graph, &mut out)
                })
            }),
            Box::new(|| {
                buffer(graphml, |out| {
                    crate::export::graphml::write_graphml(graph, out);
                    Ok(())
                })
            }),
            Box::new(|| {
                buffer(suggestions, |out| {
                    crate::export::suggestions::write_suggestions(full, out)
                })
            }),
            Box::new(|| {
                buffer(nodes, |out| {
                    crate::export::csv::write_nodes(graph, options.csv, out);
                    Ok(())
                })
            }),
            Box::new(|| {
                buffer(dot, |out| {
                    crate::export::dot::write_dot(graph, out);
                    Ok(())
                })
            }),
            Box::new(|| {
                buffer(edges, |out| {
                    crate::export::csv::write_edges(graph, options.csv, out);
                    Ok(())
                })
            }),
            Box::new(|| {
                stream(gexf, |mut out| {
                    crate::export::gexf::write_gexf(graph, &mut out)
                })
            }),
            Box::new(|| {
                stream(ttl, |mut out| {
                    crate::export::rdf::write_turtle(graph, &mut out)
                })
            }),
        ];
        let mut results: [Result<(), ExportError>; 8] = std::array::from_fn(|_| Ok(()));
        rayon::scope(|s| {
            for (task, result) in tasks.into_iter().zip(&mut results) {
                s.spawn(move |_| *result = task());
            }
        });
        let svg = svg
            .join()
            .unwrap_or_else(|_| (Vec::new(), Err(std::io::Error::other("sfdp panicked"))));
        (svg, results)
    });
    // The first failure in the files' order, whichever thread met it first.
    for result in rendered {
        result?;
    }
    use crate::export::svg::Picture;
    let (svg, drawn) = svg;
    match drawn.map_err(|source| render_error("graph.svg", source))? {
        Picture::Drawn => {}
        Picture::GraphvizMissing => summary.notes.push(
            "graph.svg only says that Graphviz is missing: install graphviz (sfdp) and run \
             again for the picture"
                .to_string(),
        ),
        Picture::GraphvizFailed(message) => summary.notes.push(format!(
            "graph.svg: Graphviz could not draw the graph: {message}"
        )),
    }
    output.write("graph.svg", &svg)?;
    Ok(())
}
