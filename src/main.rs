//! The `newsgraph` command line: a thin layer over the library.

use std::fmt::Display;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use newsgraph::export::csv::CsvFlavor;
use newsgraph::export::{AbortHandle, ExportError, OutputSet};
use newsgraph::gazetteer::{cases, lint, DataFiles};
use newsgraph::input::{self, Source, DEFAULT_MAX_DOCUMENT_BYTES};
use newsgraph::{corpus, eval, Pipeline};

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
/// English) with gazetteers, and writes every mention with exact offsets.
#[derive(Parser)]
#[command(name = "newsgraph", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract mentions from documents and write them to an output folder.
    Extract(ExtractArgs),
    /// Check and inspect gazetteers.
    #[command(subcommand)]
    Gazetteer(GazetteerCommand),
    /// Score extraction against hand annotations (gold JSON, BRAT standoff, CoNLL/IOB).
    Eval(EvalArgs),
}

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
    /// spaCy phrase patterns to add, as for `extract`.
    #[arg(long, value_name = "JSONL")]
    patterns: Vec<PathBuf>,
    /// Gold labels to newsgraph types, e.g. `PER=PERSON,LOC=COUNTRY|REGION,ORG=ORGANIZATION|PARTY`.
    #[arg(long, value_name = "LABEL=TYPE[|TYPE],...")]
    map: Option<String>,
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
}

#[derive(Args)]
struct ExtractArgs {
    /// `.txt` files (one document each, id = file stem), `.jsonl` files (one
    /// `{"id","text","published","lang"}` object a line), folders (every .txt and .jsonl
    /// under them, sorted), or `-` for JSONL on standard input.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// The output folder (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    #[command(flatten)]
    source: GazetteerSource,
    /// spaCy EntityRuler/SpanRuler phrase patterns to add (JSONL); may be repeated.
    #[arg(long, value_name = "JSONL")]
    patterns: Vec<PathBuf>,
    /// Worker threads (default: one per core; at most 1024).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=MAX_THREADS as i64))]
    threads: Option<u16>,
    /// No progress or summary on standard error (failures are still reported).
    #[arg(long)]
    quiet: bool,
    /// Documents larger than this many bytes fail instead of being read.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_DOCUMENT_BYTES)]
    max_document_bytes: usize,
    /// Header conventions of nodes.csv and edges.csv: plain, neo4j (neo4j-admin database
    /// import) or gephi (spreadsheet import).
    #[arg(long, value_name = "FLAVOR", default_value = "plain", value_parser = parse_csv_flavor)]
    csv: CsvFlavor,
}

fn parse_csv_flavor(name: &str) -> Result<CsvFlavor, String> {
    CsvFlavor::parse(name).ok_or_else(|| format!("expected one of {}", CsvFlavor::NAMES.join(", ")))
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => extract(args),
        Command::Gazetteer(GazetteerCommand::Lint(source)) => run_lint(&source),
        Command::Gazetteer(GazetteerCommand::Test(source)) => run_cases(&source),
        Command::Eval(args) => run_eval(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            say!("newsgraph: {}", message(&e));
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

fn load_pipeline(source: &GazetteerSource, patterns: &[PathBuf]) -> Result<Pipeline> {
    let files = source.files()?;
    let patterns = patterns
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
    Ok(Pipeline::from_files(&files, &patterns)?)
}

fn extract(args: ExtractArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let abort = AbortHandle::new();
    stop_on_signals(abort.clone(), args.out.clone())?;
    let pipeline = load_pipeline(&args.source, &args.patterns)?;
    let sources = input::expand_except(&args.inputs, &args.out)?;
    let known_total = sources
        .iter()
        .all(|s| matches!(s, Source::Text { .. } | Source::Unreadable { .. }))
        .then_some(sources.len());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.map_or(0, usize::from))
        .build()
        .context("cannot start worker threads")?;
    let mut output =
        OutputSet::create_with_abort(&args.out, &corpus::OUTPUT_FILES, abort).map_err(stopped)?;
    if let Some(ms) = std::env::var(PAUSE_BEFORE_RENAME)
        .ok()
        .and_then(|v| v.parse().ok())
    {
        output.pause_before_each_rename(Duration::from_millis(ms));
    }
    let progress = progress_bar(args.quiet, known_total);
    let reader = input::Reader::new(sources, args.max_document_bytes);
    let summary = pool
        .install(|| {
            let options = corpus::Options { csv: args.csv };
            corpus::extract_to_output(&pipeline, reader, output, options, |done| {
                progress.set_position(done as u64)
            })
        })
        .map_err(stopped)?;
    progress.finish_and_clear();
    for (id, reason) in &summary.failures {
        say!("newsgraph: document {id} failed: {reason}");
    }
    if !args.quiet {
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
            display(&args.out)
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

/// A bar on a terminal for runs of more than a few documents; hidden otherwise.
fn progress_bar(quiet: bool, total: Option<usize>) -> ProgressBar {
    const FEW: usize = 8;
    if quiet || total.is_some_and(|t| t <= FEW) {
        return ProgressBar::hidden();
    }
    let bar = match total {
        Some(total) => ProgressBar::new(total as u64).with_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} documents {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        ),
        None => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{spinner} {pos} documents {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        ),
    };
    bar.set_draw_target(ProgressDrawTarget::stderr());
    bar
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

fn run_lint(source: &GazetteerSource) -> Result<ExitCode> {
    let files = source.files()?;
    let findings = lint::lint(&files);
    let report: String = findings.iter().map(|f| format!("{f}\n")).collect();
    print_stdout(&report)?;
    say!("{} findings", findings.len());
    Ok(if findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn run_eval(args: &EvalArgs) -> Result<ExitCode> {
    let pipeline = load_pipeline(&args.source, &args.patterns)?;
    let map = match &args.map {
        Some(spec) => eval::TypeMap::parse(spec)?,
        None => eval::TypeMap::new(),
    };
    let gold = eval::load_gold(&args.gold, &map)?;
    let docs = eval::load_documents(&args.inputs, &gold)?;
    let evaluation = eval::evaluate_gold(&pipeline, &gold, &docs);
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

fn run_cases(source: &GazetteerSource) -> Result<ExitCode> {
    let files = source.files()?;
    let pipeline = Pipeline::from_files(&files, &[])?;
    let report = cases::run_cases(&pipeline, &files);
    print_stdout(&report)?;
    Ok(if report.is_success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
