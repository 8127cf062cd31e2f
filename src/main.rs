//! The `newsgraph` command line: a thin layer over the library.

use std::fmt::Display;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use newsgraph::export::csv::CsvFlavor;
use newsgraph::export::options::{Background, GraphOptions};
use newsgraph::export::suggestions::row_type_and_mentions;
use newsgraph::export::{AbortHandle, ExportError, OutputSet};
use newsgraph::input::{self, Source, DEFAULT_MAX_DOCUMENT_BYTES};
use newsgraph::{corpus, eval, partial, Pipeline};
use newsgraph::{CacheUse, CompiledCache, DataFiles, EntityType};
use newsgraph::{DumpSource, ImportEvent, ImportOptions, DEFAULT_MAX_LINE_BYTES};

/// Writes a line to standard error, never panicking (a closed stderr is not worth a crash).
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// The most worker threads `--threads` accepts.
const MAX_THREADS: u16 = 1024;
/// Test hook: milliseconds to sleep before each of the final renames of `extract`.
const PAUSE_BEFORE_RENAME: &str = "NEWSGRAPH_TEST_PAUSE_BEFORE_RENAME";

/// Finds people, parties, countries, organizations and initiatives in news text (Persian and
/// English) with gazetteers, infers the relations between them with rules, and exports the
/// knowledge graph they form.
#[derive(Parser)]
#[command(name = "newsgraph", version, about)]
struct Cli {
    /// When to colour messages: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto, global = true)]
    color: ColorWhen,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ColorWhen {
    /// On a terminal, unless the NO_COLOR environment variable is set (and not empty).
    Auto,
    /// Always, even through a pipe and whatever NO_COLOR says.
    Always,
    /// Never.
    Never,
}

impl ColorWhen {
    /// The choice given on the command line, read before clap parses it, so that clap's own
    /// help and errors follow it too.
    fn from_args() -> ColorWhen {
        let mut args = std::env::args_os().skip(1);
        let mut choice = ColorWhen::Auto;
        while let Some(arg) = args.next() {
            let arg = arg.to_string_lossy().into_owned();
            if arg == "--" {
                break;
            }
            let value = if arg == "--color" {
                args.next().map(|v| v.to_string_lossy().into_owned())
            } else {
                arg.strip_prefix("--color=").map(str::to_string)
            };
            if let Some(value) = value {
                if let Ok(parsed) = ColorWhen::from_str(&value, false) {
                    choice = parsed;
                }
            }
        }
        choice
    }

    fn clap(self) -> clap::ColorChoice {
        match self {
            // clap's auto mode already honours NO_COLOR.
            ColorWhen::Auto => clap::ColorChoice::Auto,
            ColorWhen::Always => clap::ColorChoice::Always,
            ColorWhen::Never => clap::ColorChoice::Never,
        }
    }

    /// Whether messages on standard error are coloured.
    fn stderr(self) -> bool {
        use std::io::IsTerminal;
        match self {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stderr().is_terminal()
            }
        }
    }
}

/// Messages on standard error: `newsgraph: ...`, with `warning` and `error` in colour when
/// colour is on.
#[derive(Clone, Copy)]
struct Messages {
    color: bool,
}

impl Messages {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    // Standard error that went away (`2>&-`) loses the message, never the run.
    fn error(&self, message: &str) {
        say!("{} {message}", self.paint("1;31", "newsgraph:"));
    }

    fn warning(&self, message: &str) {
        say!("newsgraph: {} {message}", self.paint("1;33", "warning:"));
    }

    fn note(&self, message: &str) {
        say!("newsgraph: {} {message}", self.paint("1;36", "note:"));
    }
}

#[derive(Subcommand)]
enum Command {
    /// Find entities and the relations between them in documents, and write the mentions,
    /// the relations and the knowledge graph (CSV, GraphML, GEXF, RDF, an interactive HTML
    /// page, an SVG picture, spaCy documents) to an output folder.
    #[command(long_about = EXTRACT_ABOUT)]
    Extract(ExtractArgs),
    /// Merge partial results (`extract --emit jsonl`) into the output folder, or into one
    /// partial (`--emit jsonl`): the reduce stage of a distributed run. Any grouping and
    /// order of the partials of a corpus gives the files of one `extract` over it.
    Merge(MergeArgs),
    /// Check and inspect gazetteers.
    #[command(subcommand)]
    Gazetteer(GazetteerCommand),
    /// Score extraction against hand annotations (gold JSON, BRAT standoff, CoNLL/IOB).
    Eval(EvalArgs),
    /// Show why each candidate match and each rule did or did not fire in one text: the
    /// normalized text, every candidate and the decisions about it, the mentions, the rules
    /// that fired and those whose trigger matched but did not fire.
    Explain(ExplainArgs),
}

#[derive(Args)]
struct ExplainArgs {
    /// The text to explain (or `--file`).
    #[arg(
        value_name = "TEXT",
        required_unless_present = "file",
        conflicts_with = "file"
    )]
    text: Option<String>,
    /// A document to explain: a `.txt` file, or a `.jsonl` file or folder (as `extract`
    /// reads them) with `--doc` when it holds several documents.
    #[arg(long, value_name = "FILE")]
    file: Option<PathBuf>,
    /// With `--file`: the id of the document to explain.
    #[arg(long, value_name = "ID", requires = "file")]
    doc: Option<String>,
    /// The publication date of TEXT (`YYYY-MM-DD`): a title without a name is its holder
    /// in office that year.
    #[arg(long, value_name = "DATE", conflicts_with = "file")]
    published: Option<String>,
    /// Write the explanation as JSON instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    source: GazetteerSource,
    #[command(flatten)]
    patterns: PatternArgs,
}

const EXTRACT_ABOUT: &str = "\
Find entities and the relations between them in documents, and write the mentions, the \
relations and the knowledge graph to an output folder.

Entities (people, parties, countries, regions, cities, organizations, initiatives, events, \
principles, documents) are found with the gazetteers, relations (met_with, holds_office, \
visited, signed, supports, ...) with the rules. The graph has one node per entity and one \
edge per distinct (subject, relation, object, role), weighted by its supporting relations; \
background facts from the gazetteer (a country is part of a region) are flagged edges.

Files written (whole, or not at all): documents.jsonl, mentions.jsonl, relations.jsonl, \
docs.spacy.jsonl (spaCy Doc.to_json), nodes.csv, edges.csv, graph.graphml, graph.dot, \
graph.gexf (Gephi), graph.ttl (RDF Turtle), graph.html (interactive, self-contained), \
graph.svg (Graphviz).";

#[derive(Args)]
struct EvalArgs {
    /// A gold file or folder; every folder under it is a gold set (`tests/gold/dev` → `dev`).
    #[arg(long, value_name = "FILE|DIR")]
    gold: PathBuf,
    /// The documents the JSON gold annotates (.txt files or folders; matched by id). BRAT and
    /// CoNLL gold carry their own text.
    #[arg(value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    source: GazetteerSource,
    #[command(flatten)]
    patterns: PatternArgs,
    /// Gold labels to newsgraph types, e.g. `PER=PERSON,LOC=COUNTRY|REGION,ORG=ORGANIZATION|PARTY`.
    #[arg(long, value_name = "LABEL=TYPE[|TYPE],...")]
    map: Option<String>,
    /// CoNLL gold: run each sentence after the N sentences before it in its file (or
    /// `-DOCSTART-` document), as the article's preceding text, and score only the mentions
    /// of the sentence itself, short forms resolved to a name said before included. News
    /// corpora such as PEYMA are consecutive sentences of articles, where a surname alone
    /// stands for a full name said before; 0 runs each sentence alone and scores names only.
    /// Costs N + 1 times the corpus.
    #[arg(long, value_name = "N", default_value_t = 0)]
    context: usize,
    /// Also write the evaluation as JSON.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// The committed figures to compare with: any drop is reported and exits 1. Not compared
    /// when the file does not exist.
    #[arg(long, value_name = "FILE", default_value = "tests/eval/baseline.json")]
    baseline: PathBuf,
    /// Rewrite the baseline with these figures (for the sets evaluated) instead of comparing.
    #[arg(long)]
    update_baseline: bool,
}

#[derive(Args)]
struct GazetteerSource {
    /// A gazetteer folder to use instead of the built-in one (same layout as `gazetteers/`).
    #[arg(long, value_name = "DIR")]
    gazetteers: Option<PathBuf>,
}

impl GazetteerSource {
    fn files(&self) -> Result<DataFiles> {
        match &self.gazetteers {
            Some(dir) => Ok(DataFiles::from_dir(dir)?),
            None => Ok(DataFiles::embedded()),
        }
    }

    /// The files, which must hold the entities a pipeline, lint or test cases work on.
    fn files_with_entities(&self) -> Result<DataFiles> {
        let files = self.files()?;
        if let Some(dir) = &self.gazetteers {
            files.require_entities(dir)?;
        }
        Ok(files)
    }
}

#[derive(Args)]
struct PatternArgs {
    /// spaCy EntityRuler/SpanRuler patterns to add (JSONL); may be repeated. What newsgraph
    /// cannot use (a NORP label, a `*` operator, ...) is skipped with a warning.
    #[arg(long, value_name = "JSONL")]
    patterns: Vec<PathBuf>,
    /// Make every skipped pattern an error (exit 2) instead of a warning.
    #[arg(long)]
    strict_patterns: bool,
    /// The folder of the compiled cache: the gazetteer and automaton built once for these data
    /// files and this build of newsgraph, loaded by later runs instead of built again
    /// [default: $NEWSGRAPH_CACHE_DIR, else $XDG_CACHE_HOME/newsgraph, else ~/.cache/newsgraph].
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
    /// Build the gazetteer and automaton from the data files, and neither read nor write the
    /// compiled cache.
    #[arg(long, conflicts_with = "cache_dir")]
    no_cache: bool,
}

impl PatternArgs {
    fn cache(&self) -> Option<CompiledCache> {
        if self.no_cache {
            return None;
        }
        match &self.cache_dir {
            Some(dir) => Some(CompiledCache::new(dir)),
            None => CompiledCache::user_default(),
        }
    }
}

#[derive(Args)]
struct ExtractArgs {
    /// `.txt` files (one document each, id = file stem), `.jsonl` files (one
    /// `{"id","text","published","lang"}` object a line), folders (every .txt and .jsonl
    /// under them, sorted), or `-` for JSONL on standard input.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// The output folder (created if missing).
    #[arg(
        short,
        long,
        value_name = "DIR",
        required_unless_present = "emit",
        conflicts_with = "emit"
    )]
    out: Option<PathBuf>,
    /// Instead of an output folder, write one partial result a document (JSON lines) to
    /// standard output, for `newsgraph merge`: the map stage of a distributed run.
    #[arg(long, value_enum, value_name = "FORMAT")]
    emit: Option<EmitArg>,
    /// With `-`: read standard input as the lines of this JSONL file (document sources
    /// `FILE:line`, missing ids `stem:line`), as a task holding a slice of it does.
    #[arg(long, value_name = "FILE", requires = "emit")]
    stdin_name: Option<String>,
    /// With `--stdin-name`: the line number of the first line of standard input.
    #[arg(long, value_name = "N", default_value_t = 1, requires = "stdin_name")]
    first_line: usize,
    /// With `--emit`: the sequence number of the first document (its position in the whole
    /// corpus; `merge` writes documents in this order).
    #[arg(long, value_name = "N", default_value_t = 0, requires = "emit")]
    first_index: u64,
    /// With `--emit`: write the documents' output lines (documents.jsonl, mentions.jsonl,
    /// relations.jsonl, docs.spacy.jsonl) into DIR as they come, emit only their graph
    /// records, and end with one rows record pointing there; the final `merge --out` copies
    /// them. DIR must be readable where that merge runs.
    #[arg(long, value_name = "DIR", requires = "emit")]
    rows: Option<PathBuf>,
    #[command(flatten)]
    source: GazetteerSource,
    #[command(flatten)]
    patterns: PatternArgs,
    /// Worker threads (default: one per core; at most 1024).
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=MAX_THREADS as i64))]
    threads: Option<u16>,
    /// No progress, summary or notes on standard error (failures and warnings are still
    /// reported).
    #[arg(short, long)]
    quiet: bool,
    /// Documents larger than this many bytes fail instead of being read.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_DOCUMENT_BYTES)]
    max_document_bytes: usize,
    #[command(flatten)]
    graph: GraphArgs,
}

/// `--emit`: the partial formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum EmitArg {
    /// One JSON object a line (see `newsgraph merge --help`).
    Jsonl,
}

#[derive(Args)]
struct MergeArgs {
    /// Partials written by `extract --emit jsonl` or `merge --emit jsonl`: files, folders
    /// (every file under them) or `-` for standard input, in any order and grouping.
    #[arg(required = true, value_name = "PARTIAL")]
    inputs: Vec<PathBuf>,
    /// The output folder (created if missing).
    #[arg(
        short,
        long,
        value_name = "DIR",
        required_unless_present = "emit",
        conflicts_with = "emit"
    )]
    out: Option<PathBuf>,
    /// Instead of an output folder, write the merged partial to standard output (a
    /// combiner).
    #[arg(long, value_enum, value_name = "FORMAT")]
    emit: Option<EmitArg>,
    /// With `--emit`: write the documents' output lines (documents.jsonl, mentions.jsonl,
    /// relations.jsonl, docs.spacy.jsonl) into DIR and emit one rows record pointing there
    /// instead of the document records; the final `merge --out` copies them. DIR must be
    /// readable where that merge runs.
    #[arg(long, value_name = "DIR", requires = "emit")]
    rows: Option<PathBuf>,
    #[command(flatten)]
    source: GazetteerSource,
    #[command(flatten)]
    patterns: PatternArgs,
    #[command(flatten)]
    graph: GraphArgs,
    /// No summary or notes on standard error.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Args)]
struct GraphArgs {
    /// Header conventions of nodes.csv and edges.csv.
    #[arg(long, value_enum, value_name = "FLAVOR", default_value_t = CsvArg::Plain)]
    csv: CsvArg,
    /// Background edges (the gazetteer's part_of facts, not found in text) in the graph
    /// files.
    #[arg(long, value_enum, value_name = "WHAT", default_value_t = BackgroundArg::Separate)]
    background: BackgroundArg,
    /// Leave edges found in text fewer than N times out of every graph file.
    #[arg(long, value_name = "N", default_value_t = 1)]
    min_weight: u64,
}

impl GraphArgs {
    fn options(&self) -> corpus::Options {
        corpus::Options {
            csv: self.csv.into(),
            graph: GraphOptions {
                background: self.background.into(),
                min_weight: self.min_weight,
            },
        }
    }
}

/// `--csv`, as clap shows it (the library's [`CsvFlavor`] knows nothing of clap).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum CsvArg {
    /// Headers named like the other files' fields (scripts, pandas, spreadsheets).
    Plain,
    /// neo4j-admin database import: id:ID, :LABEL (Person, Country), :TYPE (MET_WITH),
    /// typed columns.
    Neo4j,
    /// Gephi's spreadsheet import: Id, Label, Source, Target, Type, Weight.
    Gephi,
}

impl From<CsvArg> for CsvFlavor {
    fn from(arg: CsvArg) -> CsvFlavor {
        match arg {
            CsvArg::Plain => CsvFlavor::Plain,
            CsvArg::Neo4j => CsvFlavor::Neo4j,
            CsvArg::Gephi => CsvFlavor::Gephi,
        }
    }
}

/// `--background`, as clap shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum BackgroundArg {
    /// In every file, drawn in the pictures too.
    Include,
    /// In no file.
    Omit,
    /// In the data files, flagged background=true; left out of the pictures (graph.html can
    /// switch them on).
    Separate,
}

impl From<BackgroundArg> for Background {
    fn from(arg: BackgroundArg) -> Background {
        match arg {
            BackgroundArg::Include => Background::Include,
            BackgroundArg::Omit => Background::Omit,
            BackgroundArg::Separate => Background::Separate,
        }
    }
}

#[derive(Subcommand)]
enum GazetteerCommand {
    /// Report invalid rows, duplicate ids, aliases shared by different entities, aliases that
    /// are common words, spellings normalization folds anyway, missing names, and aliases
    /// shadowed by another entity's longer alias.
    Lint(GazetteerSource),
    /// Run the test cases of the gazetteer folder (`tests/*.tsv`): sentences where an alias
    /// must, or must not, be found as a given entity.
    Test(GazetteerSource),
    /// Write entities TSV rows for the items of a Wikidata JSON dump whose P31 ("instance
    /// of") is listed in `wikidata/types.tsv`; items the gazetteer already has are left out.
    ImportWikidata(ImportWikidataArgs),
    /// List the names the discovery patterns found in an output folder of `extract` or
    /// `merge` (its `suggestions.tsv`), most frequent first, as gazetteer rows ready to paste
    /// into `gazetteers/entities/*.tsv`.
    Suggest(SuggestArgs),
}

#[derive(Args)]
struct SuggestArgs {
    /// An output folder of `extract` or `merge`.
    #[arg(value_name = "OUT_DIR")]
    out_dir: PathBuf,
    /// Only names with at least this many mentions.
    #[arg(long, value_name = "N", default_value_t = 1)]
    min_mentions: u64,
    /// Only names of this type (`PERSON`, `ORGANIZATION`, ...); may be repeated.
    #[arg(long = "type", value_name = "TYPE")]
    types: Vec<String>,
}

#[derive(Args)]
struct ImportWikidataArgs {
    /// `latest-all.json`, `.json.gz` or `.json.bz2` (the compression is read from the first
    /// bytes), or `-` for standard input.
    #[arg(value_name = "DUMP")]
    dump: PathBuf,
    /// The entities TSV file to write (whole or not at all).
    #[arg(long, value_name = "FILE.tsv")]
    out: PathBuf,
    /// The gazetteer folder whose rows win and whose `wikidata/types.tsv` maps classes to
    /// types (default: the built-in one).
    #[arg(long, value_name = "DIR")]
    gazetteers: Option<PathBuf>,
    /// Keep only items that have a Persian label.
    #[arg(long)]
    require_fa: bool,
    /// A longer dump line is reported as bad and skipped.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_LINE_BYTES)]
    max_line_bytes: usize,
    /// No progress or summary on standard error (bad lines are still reported).
    #[arg(long)]
    quiet: bool,
}

fn main() -> ExitCode {
    let color = ColorWhen::from_args();
    let matches = Cli::command().color(color.clap()).get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let messages = Messages {
        color: cli.color.stderr(),
    };
    let result = match cli.command {
        Command::Extract(args) => match args.out.clone() {
            Some(out) => extract(args, out, messages),
            None => extract_partial(args, messages),
        },
        Command::Merge(args) => merge(args, messages),
        Command::Gazetteer(GazetteerCommand::Lint(source)) => run_lint(&source),
        Command::Gazetteer(GazetteerCommand::Test(source)) => run_cases(&source),
        Command::Gazetteer(GazetteerCommand::ImportWikidata(args)) => import_wikidata(&args),
        Command::Gazetteer(GazetteerCommand::Suggest(args)) => suggest(&args),
        Command::Eval(args) => run_eval(&args, messages),
        Command::Explain(args) => run_explain(&args, messages),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            messages.error(&message(&e));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes, each said once: a cause whose text its parent's message already
/// holds (`path: cause`) is not repeated.
fn message(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

/// Writes `text` to standard output. A reader that went away (`| head -1`) ends the output
/// quietly: the command still finishes its work and its exit status.
fn print_stdout(text: &dyn Display) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match write!(out, "{text}").and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        result => result.context("cannot write to standard output"),
    }
}

/// On SIGINT, SIGTERM or SIGHUP: abandon the output set (its staging folder is removed, the
/// output folder keeps the previous run's files; a commit in progress is finished first),
/// then exit with 128 + the signal number.
fn stop_on_signals(abort: AbortHandle, out: PathBuf) -> Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    for signal in [SIGINT, SIGTERM, SIGHUP] {
        // Set in the handler itself, so that a commit not yet begun will not begin.
        signal_hook::flag::register(signal, abort.request_flag())
            .context("cannot handle signals")?;
    }
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
        .context("cannot handle signals")?;
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let name = match signal {
                SIGINT => "SIGINT",
                SIGTERM => "SIGTERM",
                _ => "SIGHUP",
            };
            if abort.abort() {
                say!(
                    "newsgraph: stopped by {name}; {} keeps the files it had",
                    display(&out)
                );
            } else {
                say!(
                    "newsgraph: stopped by {name} after the output was written to {}",
                    display(&out)
                );
            }
            std::process::exit(128 + signal);
        }
    });
    Ok(())
}

/// The pipeline of the gazetteers and patterns. A pattern newsgraph cannot use is skipped
/// with a warning, or is an error with `--strict-patterns`. The gazetteer and automaton come
/// from the compiled cache when it has them for these files and this build.
fn load_pipeline(
    source: &GazetteerSource,
    args: &PatternArgs,
    messages: Messages,
) -> Result<Pipeline> {
    let files = source.files_with_entities()?;
    let patterns = read_patterns(args, messages)?;
    let Some(cache) = args.cache() else {
        return Ok(Pipeline::from_files(&files, &patterns)?);
    };
    let (pipeline, used) = Pipeline::from_files_cached(&files, &patterns, &cache)?;
    if let CacheUse::Built { saved, replaced } = used {
        if let Some(e) = replaced {
            messages.warning(&format!("compiled cache not used, rebuilt: {e}"));
        }
        if let Err(e) = saved {
            messages.warning(&format!(
                "cannot write the compiled cache (the run goes on without it): {e}"
            ));
        }
    }
    Ok(pipeline)
}

/// The `--patterns` files as (name, contents), after the warnings or the error about what
/// newsgraph cannot use in them.
fn read_patterns(args: &PatternArgs, messages: Messages) -> Result<Vec<(String, String)>> {
    let patterns = args
        .patterns
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read patterns {}", path.display()))?;
            let text = match text.strip_prefix('\u{FEFF}') {
                Some(rest) => rest.to_string(),
                None => text,
            };
            Ok((path.display().to_string(), text))
        })
        .collect::<Result<Vec<_>>>()?;
    let skipped: Vec<String> = patterns
        .iter()
        .flat_map(|(name, text)| newsgraph::skipped_patterns(name, text))
        .map(|skip| skip.to_string())
        .collect();
    if args.strict_patterns && !skipped.is_empty() {
        anyhow::bail!(
            "--strict-patterns: {} pattern(s) newsgraph cannot use:\n{}",
            skipped.len(),
            skipped.join("\n")
        );
    }
    for skip in &skipped {
        messages.warning(&format!("{skip} (pattern skipped)"));
    }
    Ok(patterns)
}

fn extract(args: ExtractArgs, out: PathBuf, messages: Messages) -> Result<ExitCode> {
    let started = Instant::now();
    let abort = AbortHandle::new();
    stop_on_signals(abort.clone(), out.clone())?;
    let pipeline = load_pipeline(&args.source, &args.patterns, messages)?;
    let sources = input::expand_except(&args.inputs, &out)?;
    let known_total = sources
        .iter()
        .all(|s| matches!(s, Source::Text { .. } | Source::Unreadable { .. }))
        .then_some(sources.len());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.map_or(0, usize::from))
        .build()
        .context("cannot start worker threads")?;
    let mut output =
        OutputSet::create_with_abort(&out, &corpus::OUTPUT_FILES, abort).map_err(stopped)?;
    if let Some(ms) = std::env::var(PAUSE_BEFORE_RENAME)
        .ok()
        .and_then(|v| v.parse().ok())
    {
        output.pause_before_each_rename(Duration::from_millis(ms));
    }
    let progress = progress_bar(args.quiet, known_total, input::total_bytes(&sources));
    let reader = input::Reader::new(sources, args.max_document_bytes);
    let bytes_read = reader.bytes_read();
    let summary = pool
        .install(|| {
            let options = args.graph.options();
            corpus::extract_reader_to_output(&pipeline, reader, output, options, |done| {
                progress.set_position(bytes_read.load(std::sync::atomic::Ordering::Relaxed));
                progress.set_message(format!("{done} documents"));
            })
        })
        .map_err(stopped)?;
    progress.finish_and_clear();
    // The process ends soon: freeing the gazetteer's hundreds of thousands of small
    // allocations one by one would only cost time (2% of a run over the bench corpus).
    std::mem::forget(pipeline);
    for (id, reason) in &summary.failures {
        messages.error(&format!("document {id} failed: {reason}"));
    }
    if !args.quiet {
        for note in &summary.notes {
            messages.note(note);
        }
        let seconds = started.elapsed().as_secs_f64();
        say!(
            "{} documents ({} failed), {} mentions, graph of {} nodes and {} edges, {:.1} MB in {:.2} s; output in {}",
            summary.documents,
            summary.failures.len(),
            summary.mentions,
            summary.nodes,
            summary.edges,
            summary.bytes as f64 / 1e6,
            seconds,
            display(&out)
        );
    }
    Ok(if summary.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `extract --emit jsonl`: one partial line a document on standard output.
fn extract_partial(args: ExtractArgs, messages: Messages) -> Result<ExitCode> {
    let pipeline = load_pipeline(&args.source, &args.patterns, messages)?;
    let sources = input::expand(&args.inputs)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.map_or(0, usize::from))
        .build()
        .context("cannot start worker threads")?;
    let mut reader = input::Reader::new(sources, args.max_document_bytes);
    if let Some(name) = &args.stdin_name {
        reader = reader.stdin_as(name, args.first_line);
    }
    let summary = match pool.install(|| {
        let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout());
        partial::extract_to_partial(
            &pipeline,
            reader,
            args.first_index,
            args.rows.as_deref(),
            &mut stdout,
            |_| {},
        )
    }) {
        Ok(summary) => summary,
        // The reader went away: nothing more to say.
        Err(partial::PartialError::Io { source, .. })
            if source.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e.into()),
    };
    for (id, reason) in &summary.failures {
        messages.error(&format!("document {id} failed: {reason}"));
    }
    Ok(if summary.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `merge`: partials to the output folder, or to one merged partial.
fn merge(args: MergeArgs, messages: Messages) -> Result<ExitCode> {
    let started = Instant::now();
    let Some(out) = args.out.clone() else {
        let mut merged = partial::read_partials(&args.inputs)?;
        if let Some(dir) = &args.rows {
            partial::documents_to_rows(&mut merged, dir)?;
        }
        let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        return match partial::write_partial(merged, &mut stdout) {
            Err(partial::PartialError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::BrokenPipe =>
            {
                Ok(ExitCode::from(1))
            }
            result => result.map(|()| ExitCode::SUCCESS).map_err(Into::into),
        };
    };
    let abort = AbortHandle::new();
    stop_on_signals(abort.clone(), out.clone())?;
    // The gazetteer loads while the partials are read: a job that starts this merge before
    // its partials exist (on standard input) has it loaded by the time they come.
    let (merged, data) = std::thread::scope(|scope| {
        let loading = scope.spawn(|| load_pipeline(&args.source, &args.patterns, messages));
        let merged = partial::read_partials(&args.inputs);
        let data = loading
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("loading the gazetteers panicked")));
        (merged, data)
    });
    let merged = merged?;
    let pipeline = data?;
    let output =
        OutputSet::create_with_abort(&out, &corpus::OUTPUT_FILES, abort).map_err(stopped)?;
    let summary = match partial::merge_to_output_with(
        pipeline.gazetteer(),
        pipeline.rules().predicates(),
        merged,
        output,
        args.graph.options(),
    ) {
        Err(partial::PartialError::Export(e)) => return Err(stopped(e).into()),
        result => result?,
    };
    for (id, reason) in &summary.failures {
        messages.error(&format!("document {id} failed: {reason}"));
    }
    if !args.quiet {
        for note in &summary.notes {
            messages.note(note);
        }
        say!(
            "{} documents ({} failed), {} mentions, graph of {} nodes and {} edges, {:.1} MB merged in {:.2} s; output in {}",
            summary.documents,
            summary.failures.len(),
            summary.mentions,
            summary.nodes,
            summary.edges,
            summary.bytes as f64 / 1e6,
            started.elapsed().as_secs_f64(),
            display(&out)
        );
    }
    Ok(if summary.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// An output set refused to go on because a signal asked it to stop: the signal thread of
/// [`stop_on_signals`] is ending the process with its own message and status; wait for it.
fn stopped(e: ExportError) -> ExportError {
    if matches!(e, ExportError::Interrupted) {
        std::thread::sleep(Duration::from_secs(10));
    }
    e
}

/// A bar on a terminal for runs of more than a few documents; hidden otherwise. Its position
/// is the input bytes read; with `total_bytes` known (files, not standard input) it shows an
/// ETA. The message is the number of documents done.
fn progress_bar(quiet: bool, documents: Option<usize>, total_bytes: Option<u64>) -> ProgressBar {
    const FEW: usize = 8;
    if quiet || documents.is_some_and(|t| t <= FEW) {
        return ProgressBar::hidden();
    }
    let bar = match total_bytes {
        Some(total) => ProgressBar::new(total).with_style(
            ProgressStyle::with_template(
                "{bar:40} {msg} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} ETA {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        ),
        None => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{spinner} {msg} {binary_bytes} {binary_bytes_per_sec} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        ),
    };
    bar.set_message("0 documents");
    bar.set_draw_target(ProgressDrawTarget::stderr());
    bar
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

fn run_lint(source: &GazetteerSource) -> Result<ExitCode> {
    let files = source.files_with_entities()?;
    let findings = newsgraph::lint(&files);
    let report: String = findings.iter().map(|f| format!("{f}\n")).collect();
    print_stdout(&report)?;
    say!("{} findings", findings.len());
    Ok(if findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn run_eval(args: &EvalArgs, messages: Messages) -> Result<ExitCode> {
    let pipeline = load_pipeline(&args.source, &args.patterns, messages)?;
    let map = match &args.map {
        Some(spec) => eval::TypeMap::parse(spec)?,
        None => eval::TypeMap::new(),
    };
    let gold = eval::load_gold(&args.gold, &map)?;
    let docs = eval::load_documents(&args.inputs, &gold)?;
    let options = eval::Options {
        conll_context: args.context,
    };
    let evaluation = eval::evaluate_gold_with(&pipeline, &gold, &docs, options);
    print_stdout(&evaluation)?;
    if let Some(path) = &args.json {
        newsgraph::export::write_file(path, evaluation.to_json().as_bytes())?;
    }
    let mut ok = true;
    for (set, doc) in evaluation.missing_documents() {
        say!("newsgraph: gold document {doc} of set {set} has no input document");
        ok = false;
    }
    if args.update_baseline {
        eval::update_baseline(&args.baseline, &evaluation)?;
        say!("baseline written to {}", display(&args.baseline));
    } else if args.baseline.exists() {
        let drops = eval::check_baseline(&evaluation, &eval::Baseline::read(&args.baseline)?);
        for drop in &drops {
            say!("newsgraph: below the baseline: {drop}");
        }
        if drops.is_empty() {
            say!("no figure below the baseline {}", display(&args.baseline));
        }
        ok &= drops.is_empty();
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn run_explain(args: &ExplainArgs, messages: Messages) -> Result<ExitCode> {
    let doc = match (&args.text, &args.file) {
        (Some(text), _) => newsgraph::Document {
            published: args.published.clone(),
            ..newsgraph::Document::new("text", text.as_str())
        },
        (None, Some(file)) => explain_document(file, args.doc.as_deref())?,
        (None, None) => anyhow::bail!("give a TEXT or --file FILE"),
    };
    let pipeline = load_pipeline(&args.source, &args.patterns, messages)?;
    let explanation = newsgraph::explain::explain(&pipeline, &doc);
    if args.json {
        print_stdout(&explanation.to_json())?;
    } else {
        print_stdout(&explanation)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The document of `file` to explain: its only one, or the one with id `id`.
fn explain_document(file: &Path, id: Option<&str>) -> Result<newsgraph::Document> {
    let sources = input::expand(&[file.to_path_buf()])?;
    let mut found = None;
    for loaded in input::Reader::new(sources, DEFAULT_MAX_DOCUMENT_BYTES) {
        if id.is_some_and(|id| id != loaded.id) {
            continue;
        }
        if found.is_some() {
            anyhow::bail!(
                "{} holds more than one document: choose one with --doc ID",
                display(file)
            );
        }
        let doc = loaded
            .result
            .with_context(|| format!("document {} ({})", loaded.id, loaded.origin))?;
        if id.is_some() {
            return Ok(doc);
        }
        found = Some(doc);
    }
    found.with_context(|| match id {
        Some(id) => format!("no document {id} in {}", display(file)),
        None => format!("no document in {}", display(file)),
    })
}

fn run_cases(source: &GazetteerSource) -> Result<ExitCode> {
    let files = source.files_with_entities()?;
    let pipeline = Pipeline::from_files(&files, &[])?;
    let report = newsgraph::run_cases(&pipeline, &files);
    print_stdout(&report)?;
    Ok(if report.is_success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn suggest(args: &SuggestArgs) -> Result<ExitCode> {
    for t in &args.types {
        if EntityType::parse(t).is_none() {
            bail!(
                "--type {t}: not an entity type (known: {})",
                EntityType::ALL.map(EntityType::as_str).join(", ")
            );
        }
    }
    let path = args.out_dir.join("suggestions.tsv");
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "cannot read {} (is {} an output folder of `newsgraph extract`?)",
            path.display(),
            args.out_dir.display()
        )
    })?;
    let mut out = String::with_capacity(text.len());
    let mut shown = 0usize;
    for line in text.lines() {
        // Comments and the header are kept; rows only when they pass the filters.
        let keep = match row_type_and_mentions(line) {
            None => true,
            Some((entity_type, mentions)) => {
                let wanted = args.types.is_empty() || args.types.iter().any(|t| t == entity_type);
                let kept = wanted && mentions >= args.min_mentions;
                shown += usize::from(kept);
                kept
            }
        };
        if keep {
            out.push_str(line);
            out.push('\n');
        }
    }
    print_stdout(&out)?;
    say!("{shown} suggestions");
    Ok(ExitCode::SUCCESS)
}

fn import_wikidata(args: &ImportWikidataArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let source = GazetteerSource {
        gazetteers: args.gazetteers.clone(),
    };
    let files = source.files()?;
    let dump = if args.dump.as_os_str() == "-" {
        DumpSource::Stdin
    } else {
        DumpSource::File(args.dump.clone())
    };
    let options = ImportOptions {
        require_fa: args.require_fa,
        max_line_bytes: args.max_line_bytes,
        exclude_from_base: args
            .gazetteers
            .as_deref()
            .and_then(|dir| relative_to(&args.out, dir)),
    };
    let name = dump.name();
    let mut bar = ProgressBar::hidden();
    let quiet = args.quiet;
    let summary =
        newsgraph::import_wikidata(
            &files,
            &dump,
            &args.out,
            &options,
            &mut |event| match event {
                ImportEvent::Reading { total_bytes } => bar = import_bar(quiet, total_bytes),
                ImportEvent::Progress { bytes } => bar.set_position(bytes),
                ImportEvent::BadLine { line, reason } => {
                    bar.suspend(|| say!("{name}:{line}: {reason}"));
                }
                ImportEvent::Resolving { rows } => {
                    bar.finish_and_clear();
                    if !quiet && rows > 0 {
                        say!("resolving the references of {rows} rows");
                    }
                }
            },
        )?;
    bar.finish_and_clear();
    if !args.quiet {
        let seconds = started.elapsed().as_secs_f64();
        let mb = summary.json_bytes as f64 / 1e6;
        say!("{summary}");
        say!(
            "{:.1} MB of JSON ({}, {:.1} MB as stored) in {:.2} s: {:.1} MB/s, {:.0} items/s; output in {}",
            mb,
            summary.compression,
            summary.file_bytes as f64 / 1e6,
            seconds,
            mb / seconds,
            summary.items as f64 / seconds,
            display(&args.out)
        );
    }
    Ok(if summary.bad_lines == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// A byte bar for a file of known size, a spinner otherwise; hidden with `--quiet` or when
/// standard error is not a terminal.
fn import_bar(quiet: bool, total: Option<u64>) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = match total {
        Some(total) => ProgressBar::new(total).with_style(
            ProgressStyle::with_template(
                "{prefix} {bar:40} {bytes}/{total_bytes} {bytes_per_sec} {elapsed}, {eta} left",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        ),
        None => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{prefix} {spinner} {bytes} {bytes_per_sec} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        ),
    };
    bar.set_draw_target(ProgressDrawTarget::stderr());
    bar
}

/// `path` relative to `dir` with `/` separators, when it lies inside it (neither needs to
/// exist beyond its folder).
fn relative_to(path: &Path, dir: &Path) -> Option<String> {
    let dir = dir.canonicalize().ok()?;
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let full = parent.canonicalize().ok()?.join(path.file_name()?);
    let rel = full.strip_prefix(&dir).ok()?;
    Some(rel.to_string_lossy().replace('\\', "/"))
}
