//! `newsgraph gazetteer import-wikidata`: entities TSV rows from a Wikidata JSON dump.
//!
//! The dump (`latest-all.json`, `.json.gz` or `.json.bz2`: a `[` line, one entity a line
//! ending in `,`, a `]` line) is streamed once, line by line. Rows refer to items that may
//! come later in the dump (a person's country, party and offices), so the import works in two
//! steps:
//!
//! 1. *Reading the dump*: each kept item becomes a draft row, written to a temporary file
//!    beside the output, with its references as QIDs; at the same time the import learns what
//!    those QIDs are: countries (ISO code from P297), parties, and offices (items of the
//!    mapping's `POSITION` classes, with the country or party they belong to, P1001 or P17).
//! 2. *Resolving*: the drafts (a few percent of the dump's size) are read back and each
//!    reference becomes a column: `country` (P27 or P17), `part_of` for cities, `offices`
//!    (P39 with P580/P582 years, P102 as `Member@party:...`); what resolves to no row goes to
//!    the `note` column as property and QID.
//!
//! Memory holds one line and the reference tables (countries, parties and offices: their
//! number, not the dump's size), so it stays flat over any number of items; the dump is read
//! once, so standard input works as well as a file.
//!
//! The base gazetteer (the embedded one, or `--gazetteers DIR`) wins: an item whose QID or id
//! it already has, or of the same type and name as one of its rows without a QID, is not
//! written, and its rows are reference targets (`country:US` for Q30), so the output loads
//! together with it.

mod dump;
mod mapping;
mod rows;

use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::{DataError, DataFiles, EntityType, Gazetteer, RowError};
use crate::export::{ExportError, OutputSet};
use dump::{Compression, Counting, Line, Lines};
use mapping::Mapping;
use rows::{Base, Class, References};

/// The mapping from P31 classes to types, relative to the gazetteer folder.
pub const TYPES_FILE: &str = "wikidata/types.tsv";

/// The default limit on one dump line (the largest Wikidata entities are a few MB).
pub const DEFAULT_MAX_LINE_BYTES: usize = 64 << 20;

/// Parses `Q` followed by digits.
pub(crate) fn parse_qid(text: &str) -> Option<u64> {
    let digits = text.strip_prefix('Q')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Where the dump is read from.
#[derive(Clone, Debug)]
pub enum DumpSource {
    /// A file, plain or compressed.
    File(PathBuf),
    /// Standard input, plain or compressed.
    Stdin,
}

impl DumpSource {
    /// The name used in messages: the path, or `-`.
    pub fn name(&self) -> String {
        match self {
            DumpSource::File(path) => path.display().to_string(),
            DumpSource::Stdin => "-".to_string(),
        }
    }
}

/// How to import.
#[derive(Clone, Debug)]
pub struct ImportOptions {
    /// Keep only items with a Persian label.
    pub require_fa: bool,
    /// A longer line is reported as bad and skipped.
    pub max_line_bytes: usize,
    /// A file of the gazetteer folder to leave out of the base (the output of an earlier
    /// import written into the folder), relative to the folder.
    pub exclude_from_base: Option<String>,
}

impl Default for ImportOptions {
    fn default() -> ImportOptions {
        ImportOptions {
            require_fa: false,
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
            exclude_from_base: None,
        }
    }
}

/// What the import reports while it runs.
#[derive(Debug)]
pub enum ImportEvent<'a> {
    /// Reading the dump starts; `total_bytes` is the file's size when known.
    Reading {
        /// The size of the dump file (compressed, as stored).
        total_bytes: Option<u64>,
    },
    /// Bytes of the dump read so far (compressed, as stored).
    Progress {
        /// Bytes read.
        bytes: u64,
    },
    /// A line that is not a readable entity, skipped.
    BadLine {
        /// 1-based line number.
        line: u64,
        /// Why.
        reason: &'a str,
    },
    /// The dump is read; the references of the draft rows are being resolved.
    Resolving {
        /// Rows to resolve.
        rows: u64,
    },
}

/// The figures of an import.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Lines read.
    pub lines: u64,
    /// Items (entities of type `item`) read.
    pub items: u64,
    /// Other entities (properties, lexemes) read and skipped.
    pub other_entities: u64,
    /// Rows written, per type.
    pub kept: BTreeMap<EntityType, u64>,
    /// Items of no listed class (most of Wikidata).
    pub unmapped: u64,
    /// Items of a listed class without a usable `en` or `fa` label (or `fa` label).
    pub no_label: u64,
    /// Items the base gazetteer already has (by QID or id, or by type and name).
    pub known: u64,
    /// Of `known`, those matched by type and name to a row without a QID.
    pub known_by_name: u64,
    /// Country items without an ISO 3166-1 alpha-2 code (P297).
    pub no_country_code: u64,
    /// Country items whose code an earlier item already has.
    pub duplicate_country: u64,
    /// Office items (`POSITION` classes): read for references, never written.
    pub positions: u64,
    /// Of `positions`, those bound to a country or party (usable in `offices`).
    pub offices_known: u64,
    /// Lines that are not a readable entity.
    pub bad_lines: u64,
    /// Bytes of JSON read (decompressed).
    pub json_bytes: u64,
    /// Bytes of the dump read (compressed, as stored).
    pub file_bytes: u64,
    /// The dump's compression: `plain JSON`, `gzip` or `bzip2`.
    pub compression: &'static str,
}

impl ImportSummary {
    /// Rows written.
    pub fn rows(&self) -> u64 {
        self.kept.values().sum()
    }
}

impl fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kept: Vec<String> = self.kept.iter().map(|(t, n)| format!("{t} {n}")).collect();
        write!(
            f,
            "{} lines, {} items, {} other entities; {} rows written ({}); skipped: {} of no listed type, {} without an en/fa label, {} already in the gazetteer ({} by name), {} countries without an ISO code, {} second items of a country code; {} offices read ({} with a known country or party); {} bad lines",
            self.lines,
            self.items,
            self.other_entities,
            self.rows(),
            if kept.is_empty() { "none".to_string() } else { kept.join(", ") },
            self.unmapped,
            self.no_label,
            self.known,
            self.known_by_name,
            self.no_country_code,
            self.duplicate_country,
            self.positions,
            self.offices_known,
            self.bad_lines,
        )
    }
}

/// Why an import could not run to the end (nothing is written then).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The base gazetteer or the mapping file has invalid rows (`file:line: reason`), or a
    /// file could not be read.
    #[error("{0}")]
    Gazetteer(#[from] DataError),
    /// The gazetteer folder has no mapping file.
    #[error(
        "the gazetteer folder has no {TYPES_FILE} (the mapping from Wikidata classes to types)"
    )]
    NoMapping,
    /// The dump could not be opened.
    #[error("{name}: {source}")]
    Open {
        /// The dump's name.
        name: String,
        /// The cause.
        source: io::Error,
    },
    /// The dump's name and its first bytes disagree on the compression.
    #[error("{name}: the name says {named} but the data is {found}")]
    Compression {
        /// The dump's name.
        name: String,
        /// What the name says.
        named: &'static str,
        /// What the first bytes say.
        found: &'static str,
    },
    /// Reading (or decompressing) the dump failed: a damaged or truncated file.
    #[error("{name}:{line}: cannot read the dump: {source}")]
    Read {
        /// The dump's name.
        name: String,
        /// The line being read.
        line: u64,
        /// The cause.
        source: io::Error,
    },
    /// The output (or the draft file beside it) could not be written or read back.
    #[error("{0}")]
    Write(#[from] ExportError),
    /// The output path has no file name.
    #[error("{0}: not a file name")]
    OutputName(PathBuf),
}

/// Imports the items of `dump` whose P31 is listed in `files`' [`TYPES_FILE`] into the
/// entities TSV file `out`, written whole or not at all. Items the gazetteer of `files`
/// already has are left out; the output loads together with that gazetteer.
///
/// Bad lines are reported through `events` and counted, never fatal; errors are for what
/// stops the whole run (bad mapping or gazetteer rows, an unreadable dump, output that cannot
/// be written).
pub fn import_wikidata(
    files: &DataFiles,
    dump: &DumpSource,
    out: &Path,
    options: &ImportOptions,
    events: &mut dyn FnMut(ImportEvent<'_>),
) -> Result<ImportSummary, ImportError> {
    let mapping = load_mapping(files)?;
    let mut base_files = files.clone();
    if let Some(name) = &options.exclude_from_base {
        base_files.remove(name);
    }
    let gazetteer = Gazetteer::from_files(&base_files)?;
    let base = Base::new(&gazetteer);
    let mut refs = References::from_base(&base);
    let mut summary = ImportSummary::default();

    // Both files are opened first: an unwritable output fails before hours of reading.
    let (dir, name) = split_output(out)?;
    let mut output = OutputSet::create(dir, &[name])?;
    let mut drafts = Draft::create(dir.join(format!(".{name}.draft.tmp")))?;

    let mut row = String::new();
    let mut draft_rows = 0u64;
    let scanned = scan(dump, options, events, &mut |line, events, parsed| {
        let entity = match parsed {
            Ok(entity) => entity,
            Err(reason) => {
                summary.bad_lines += 1;
                events(ImportEvent::BadLine {
                    line,
                    reason: &reason,
                });
                return Ok(());
            }
        };
        if entity.kind != "item" {
            summary.other_entities += 1;
            return Ok(());
        }
        summary.items += 1;
        let Some(qid) = parse_qid(&entity.id) else {
            summary.bad_lines += 1;
            let reason = format!("item id {:?} is not a QID", entity.id);
            events(ImportEvent::BadLine {
                line,
                reason: &reason,
            });
            return Ok(());
        };
        let class = rows::classify(&entity, qid, &mapping, &base, options.require_fa);
        refs.learn(qid, &class, &base);
        match class {
            Class::NotItem => summary.other_entities += 1,
            Class::Unmapped => summary.unmapped += 1,
            Class::NoLabel => summary.no_label += 1,
            Class::NoCountryCode => summary.no_country_code += 1,
            Class::Known { by_name, .. } => {
                summary.known += 1;
                summary.known_by_name += u64::from(by_name);
            }
            Class::Position { .. } => summary.positions += 1,
            Class::Keep(keep) => {
                if keep
                    .iso
                    .as_deref()
                    .is_some_and(|iso| !refs.owns_code(qid, iso))
                {
                    summary.duplicate_country += 1;
                    return Ok(());
                }
                row.clear();
                rows::write_draft(&keep, &entity, &mut row);
                drafts.write(row.as_bytes())?;
                draft_rows += 1;
                *summary.kept.entry(keep.entity_type).or_default() += 1;
            }
        }
        Ok(())
    })?;
    refs.finish();
    summary.lines = scanned.lines;
    summary.json_bytes = scanned.json_bytes;
    summary.file_bytes = scanned.file_bytes;
    summary.compression = scanned.compression.name();
    summary.offices_known = refs.offices() as u64;

    events(ImportEvent::Resolving { rows: draft_rows });
    output.write(
        name,
        b"# Imported from a Wikidata JSON dump (CC0) by `newsgraph gazetteer import-wikidata`.\n",
    )?;
    output.write(name, rows::HEADER.as_bytes())?;
    let mut reader = drafts.read_back()?;
    let mut draft = String::new();
    loop {
        draft.clear();
        let n = reader
            .read_line(&mut draft)
            .map_err(|source| drafts.error(source))?;
        if n == 0 {
            break;
        }
        row.clear();
        rows::finish_row(draft.trim_end_matches('\n'), &refs, &mut row)
            .map_err(|reason| drafts.error(io::Error::new(io::ErrorKind::InvalidData, reason)))?;
        output.write(name, row.as_bytes())?;
    }
    output.commit()?;
    Ok(summary)
}

/// The draft rows, in a temporary file beside the output that is removed whatever happens.
struct Draft {
    path: PathBuf,
    writer: Option<BufWriter<File>>,
}

impl Draft {
    fn create(path: PathBuf) -> Result<Draft, ImportError> {
        let file = File::create(&path).map_err(|source| ExportError::Io {
            path: path.clone(),
            what: "cannot create the draft file",
            source,
        })?;
        Ok(Draft {
            path,
            writer: Some(BufWriter::with_capacity(1 << 16, file)),
        })
    }

    fn error(&self, source: io::Error) -> ImportError {
        ExportError::Io {
            path: self.path.clone(),
            what: "cannot write the draft file",
            source,
        }
        .into()
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), ImportError> {
        match &mut self.writer {
            Some(writer) => writer.write_all(bytes).map_err(|e| self.error(e)),
            None => Ok(()),
        }
    }

    /// Flushes the drafts and opens them for reading, from the start.
    fn read_back(&mut self) -> Result<BufReader<File>, ImportError> {
        if let Some(mut writer) = self.writer.take() {
            writer.flush().map_err(|e| self.error(e))?;
        }
        let file = File::open(&self.path).map_err(|e| self.error(e))?;
        Ok(BufReader::with_capacity(1 << 16, file))
    }
}

impl Drop for Draft {
    fn drop(&mut self) {
        drop(self.writer.take());
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Parses the mapping file of `files`.
fn load_mapping(files: &DataFiles) -> Result<Mapping, ImportError> {
    let text = files.get(TYPES_FILE).ok_or(ImportError::NoMapping)?;
    let mut errors: Vec<RowError> = Vec::new();
    let mapping = Mapping::parse(TYPES_FILE, text, &mut errors);
    if errors.is_empty() {
        Ok(mapping)
    } else {
        Err(DataError::Invalid(errors).into())
    }
}

/// The invalid rows of the mapping file, if `files` has one (for lint).
pub(crate) fn mapping_errors(files: &DataFiles) -> Vec<RowError> {
    let mut errors = Vec::new();
    if let Some(text) = files.get(TYPES_FILE) {
        Mapping::parse(TYPES_FILE, text, &mut errors);
    }
    errors
}

fn split_output(out: &Path) -> Result<(&Path, &str), ImportError> {
    let name = out
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| ImportError::OutputName(out.to_path_buf()))?;
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Ok((dir, name))
}

struct Scanned {
    lines: u64,
    json_bytes: u64,
    file_bytes: u64,
    compression: Compression,
}

/// How often progress is reported, in bytes of the file.
const PROGRESS_STEP: u64 = 4 << 20;

type EventSink<'e> = dyn FnMut(ImportEvent<'_>) + 'e;

/// What [`scan`] calls for each entity line: the line number, the event sink, and the parsed
/// entity or why it is unreadable.
type EachLine<'f> = dyn FnMut(u64, &mut EventSink<'_>, Result<dump::Entity<'_>, String>) -> Result<(), ImportError>
    + 'f;

/// Streams the entity lines of `dump`, calling `each` with the line number and the parsed
/// entity or the reason it is unreadable; an error from `each` stops the scan.
fn scan(
    dump: &DumpSource,
    options: &ImportOptions,
    events: &mut EventSink<'_>,
    each: &mut EachLine<'_>,
) -> Result<Scanned, ImportError> {
    let name = dump.name();
    let counter = Arc::new(AtomicU64::new(0));
    let (reader, compression, total_bytes) = open(dump, Arc::clone(&counter))?;
    events(ImportEvent::Reading { total_bytes });
    let mut lines = Lines::new(reader, options.max_line_bytes);
    let mut json_bytes = 0u64;
    let mut reported = 0u64;
    let mut last_line = 0u64;
    loop {
        let next = lines.next_line().map_err(|source| ImportError::Read {
            name: name.clone(),
            line: last_line + 1,
            source,
        })?;
        let Some((number, line)) = next else { break };
        last_line = number;
        let bytes = counter.load(Ordering::Relaxed);
        if bytes >= reported + PROGRESS_STEP {
            reported = bytes;
            events(ImportEvent::Progress { bytes });
        }
        let text = match line {
            Line::Text(text) => text,
            Line::TooLong(len) => {
                json_bytes += len as u64 + 1;
                let reason = format!(
                    "line of {len} bytes, longer than the limit of {} bytes",
                    options.max_line_bytes
                );
                each(number, events, Err(reason))?;
                continue;
            }
        };
        json_bytes += text.len() as u64 + 1;
        let Some(json) = dump::entity_json(text) else {
            continue;
        };
        let parsed = serde_json::from_slice::<dump::Entity<'_>>(json).map_err(|e| json_reason(&e));
        each(number, events, parsed)?;
    }
    let file_bytes = counter.load(Ordering::Relaxed);
    events(ImportEvent::Progress { bytes: file_bytes });
    Ok(Scanned {
        lines: last_line,
        json_bytes,
        file_bytes,
        compression,
    })
}

/// serde_json's message without its "at line 1 column N" (there is one line), with the column.
fn json_reason(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let location = format!(" at line {} column {}", e.line(), e.column());
    let message = message.strip_suffix(&location).unwrap_or(&message);
    if e.is_eof() {
        format!("truncated entity: {message}")
    } else {
        format!("invalid entity JSON at column {}: {message}", e.column())
    }
}

type Opened = (Box<dyn BufRead + Send>, Compression, Option<u64>);

fn open(dump: &DumpSource, counter: Arc<AtomicU64>) -> Result<Opened, ImportError> {
    let name = dump.name();
    let open_error = |source| ImportError::Open {
        name: name.clone(),
        source,
    };
    let (reader, total): (Box<dyn io::Read + Send>, Option<u64>) = match dump {
        DumpSource::File(path) => {
            let file = File::open(path).map_err(open_error)?;
            let total = file.metadata().ok().map(|m| m.len());
            (Box::new(Counting::new(file, counter)), total)
        }
        DumpSource::Stdin => (Box::new(Counting::new(io::stdin(), counter)), None),
    };
    let (decoded, compression) = dump::decode(reader).map_err(open_error)?;
    if let DumpSource::File(path) = dump {
        let named = Compression::from_name(&path.to_string_lossy());
        if let Some(named) = named.filter(|&c| c != compression) {
            return Err(ImportError::Compression {
                name,
                named: named.name(),
                found: compression.name(),
            });
        }
    }
    Ok((decoded, compression, total))
}

#[cfg(test)]
mod tests;
