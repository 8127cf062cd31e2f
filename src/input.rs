//! Reading documents: `.txt` files, `.jsonl` files, folders and standard input, streamed one
//! document at a time so memory does not grow with the corpus.
//!
//! A document that cannot be read (invalid UTF-8, empty, too large, a broken JSONL line, a
//! duplicate id) is yielded as a [`Loaded`] with an error and its id; reading goes on with the
//! next one.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde_json::Value;

use crate::Document;

/// The default limit on one document's size in bytes (a `.txt` file or a JSONL line).
pub const DEFAULT_MAX_DOCUMENT_BYTES: usize = 64 << 20;

/// One input source, after expanding folders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A text file: one document.
    Text {
        /// The file.
        path: PathBuf,
        /// The document id: the file stem, or for a file found in a subfolder of a folder
        /// input, its path from that folder without the extension (`sub/folder/stem`).
        id: String,
    },
    /// A JSONL file: one document a line.
    Jsonl {
        /// The file.
        path: PathBuf,
        /// The id prefix of lines without an `id` (`prefix:line`), formed as for
        /// [`Source::Text`].
        id: String,
    },
    /// JSONL on standard input.
    Stdin,
    /// A `.txt` or `.jsonl` entry of a folder that cannot be read as a document (a named
    /// pipe, a socket, a device, a broken symbolic link), or a subfolder that cannot be
    /// listed: reported as a failed document, never opened.
    Unreadable {
        /// The entry.
        path: PathBuf,
        /// Its id, formed as for [`Source::Text`] (a subfolder's is its path).
        id: String,
        /// Why it cannot be read.
        error: DocumentError,
    },
}

/// Why the inputs named on the command line cannot be used at all.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// A path that does not exist or cannot be listed.
    #[error("{}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file that is neither `.txt` nor `.jsonl`.
    #[error("{}: not a .txt or .jsonl file", .0.display())]
    Unsupported(PathBuf),
    /// An input that is the output folder or one of the files a run writes there.
    #[error(
        "{}: is the output folder {} or output in it; the output folder is never read as input",
        input.display(),
        out.display()
    )]
    InsideOutput {
        /// The input as given.
        input: PathBuf,
        /// The output folder.
        out: PathBuf,
    },
}

/// Why one document could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    /// The bytes are not UTF-8.
    #[error("not valid UTF-8 (first invalid byte at offset {0})")]
    InvalidUtf8(usize),
    /// The document has no text, or only white space.
    #[error("empty document")]
    Empty,
    /// The document is larger than the limit.
    #[error("document larger than {limit} bytes")]
    TooLarge {
        /// The limit.
        limit: usize,
    },
    /// A JSONL line that is not a JSON object with a string `text`.
    #[error("invalid JSONL line: {0}")]
    InvalidJson(String),
    /// Another document already has this id.
    #[error("duplicate document id (first read from {0})")]
    DuplicateId(String),
    /// The file could not be read.
    #[error("cannot read: {0}")]
    Io(String),
    /// Not a regular file: skipped unopened, since reading a named pipe or a device may
    /// never end.
    #[error("not a regular file ({0}), skipped")]
    NotRegular(&'static str),
    /// A subfolder that cannot be listed: the documents in it are not read.
    #[error("cannot read folder: {0}")]
    UnreadableFolder(String),
}

/// A document read from an input, or the reason it could not be.
#[derive(Debug)]
pub struct Loaded {
    /// The document id (for a failed document, the best id known: the file's id, or the
    /// JSONL `id`, or `stem:line`).
    pub id: String,
    /// Where it came from: `path` or `path:line`.
    pub origin: String,
    /// The document, or why it failed.
    pub result: Result<Document, DocumentError>,
}

/// Expands command-line inputs: folders become every `.txt` and `.jsonl` file under them in
/// sorted order, `-` becomes standard input. See [`expand_except`].
pub fn expand(inputs: &[PathBuf]) -> Result<Vec<Source>, InputError> {
    expand_inner(inputs, None)
}

/// Expands command-line inputs as [`expand`] does, never reading `out_dir` (the output
/// folder): a folder walk skips it, and naming it or an output file in it is an error.
///
/// Folders are walked recursively in sorted order. Symbolic links are followed, each folder
/// and file is read once (a second path to it, through a link or a hard link, is skipped, the
/// path without links preferred) and a link back to a folder being walked is not followed
/// again. Entries named `.txt` or `.jsonl` that are not regular files, and subfolders that
/// cannot be listed, become [`Source::Unreadable`] (a failed document each).
pub fn expand_except(inputs: &[PathBuf], out_dir: &Path) -> Result<Vec<Source>, InputError> {
    expand_inner(inputs, Some(out_dir))
}

fn expand_inner(inputs: &[PathBuf], out_dir: Option<&Path>) -> Result<Vec<Source>, InputError> {
    let out = out_dir.and_then(|dir| {
        let meta = std::fs::metadata(dir).ok()?;
        let canonical = std::fs::canonicalize(dir).ok()?;
        Some((dir, FileId::of(&meta), canonical))
    });
    let mut sources = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            sources.push(Source::Stdin);
            continue;
        }
        let io = |source| InputError::Io {
            path: input.clone(),
            source,
        };
        let meta = std::fs::metadata(input).map_err(io)?;
        if let Some((dir, _, out_canonical)) = &out {
            if is_output(&std::fs::canonicalize(input).map_err(io)?, out_canonical) {
                return Err(InputError::InsideOutput {
                    input: input.clone(),
                    out: dir.to_path_buf(),
                });
            }
        }
        if meta.is_dir() {
            let skip = out.as_ref().map(|(_, id, _)| *id);
            for entry in
                walk(input, skip).map_err(|(path, source)| InputError::Io { path, source })?
            {
                let id = relative_id(input, entry.path());
                match entry {
                    Walked::File(path) => {
                        if let Some(kind) = document_kind(&path) {
                            sources.push(match kind {
                                Kind::Text => Source::Text { path, id },
                                Kind::Jsonl => Source::Jsonl { path, id },
                            });
                        }
                    }
                    Walked::Other { path, kind } => {
                        if document_kind(&path).is_some() {
                            sources.push(Source::Unreadable {
                                id,
                                path,
                                error: DocumentError::NotRegular(kind),
                            });
                        }
                    }
                    Walked::Broken { path, error } => {
                        if document_kind(&path).is_some() {
                            sources.push(Source::Unreadable {
                                id,
                                path,
                                error: DocumentError::Io(error),
                            });
                        }
                    }
                    Walked::UnreadableFolder { path, error } => {
                        // A folder's id is its whole path from the input folder.
                        let id = path
                            .strip_prefix(input)
                            .unwrap_or(&path)
                            .components()
                            .map(|c| c.as_os_str().to_string_lossy())
                            .collect::<Vec<_>>()
                            .join("/");
                        sources.push(Source::Unreadable {
                            id,
                            path,
                            error: DocumentError::UnreadableFolder(error),
                        });
                    }
                }
            }
        } else {
            let kind =
                document_kind(input).ok_or_else(|| InputError::Unsupported(input.clone()))?;
            let (path, id) = (input.clone(), stem(input));
            sources.push(if !meta.is_file() {
                Source::Unreadable {
                    path,
                    id,
                    error: DocumentError::NotRegular(file_kind(&meta.file_type())),
                }
            } else {
                match kind {
                    Kind::Text => Source::Text { path, id },
                    Kind::Jsonl => Source::Jsonl { path, id },
                }
            });
        }
    }
    Ok(sources)
}

/// Whether `path` (canonical) is the output folder `out` (canonical), one of the files a run
/// writes there, or inside a run's staging or commit folder. (A folder of the user's own
/// inside the output folder is not output.)
fn is_output(path: &Path, out: &Path) -> bool {
    if path == out {
        return true;
    }
    let Ok(rel) = path.strip_prefix(out) else {
        return false;
    };
    let mut parts = rel.components();
    let first = parts.next().map(|c| c.as_os_str().to_string_lossy());
    let Some(first) = first else {
        return true;
    };
    first.starts_with(".newsgraph-")
        || (parts.next().is_none() && crate::corpus::OUTPUT_FILES.contains(&first.as_ref()))
}

enum Kind {
    Text,
    Jsonl,
}

fn document_kind(path: &Path) -> Option<Kind> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("txt") => Some(Kind::Text),
        Some("jsonl") => Some(Kind::Jsonl),
        _ => None,
    }
}

/// The id of a file found under the folder input `root`: its path from `root` without the
/// extension, with `/` between folders (`sub/folder/stem`).
fn relative_id(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut parts: Vec<String> = rel
        .parent()
        .into_iter()
        .flat_map(|p| p.components())
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.push(stem(rel));
    parts.join("/")
}

pub use crate::walk::files_under;
use crate::walk::{file_kind, walk, FileId, Walked};

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Opens `path` for reading if it is a regular file, without blocking on a named pipe or a
/// device that was put in its place.
fn open_regular(path: &Path) -> Result<File, DocumentError> {
    let io = |e: std::io::Error| DocumentError::Io(e.to_string());
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(DocumentError::NotRegular(file_kind(&meta.file_type())));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Opening a named pipe blocks until a writer comes; O_NONBLOCK does not, and does
        // nothing to a regular file.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(DocumentError::NotRegular(file_kind(&meta.file_type())));
    }
    Ok(file)
}

/// Streams the documents of a list of sources, in order.
pub struct Reader {
    sources: std::vec::IntoIter<Source>,
    jsonl: Option<JsonlState>,
    max_bytes: usize,
    /// The ids read so far.
    ids: Ids,
    /// The file name, id stem and line offset standard input stands for.
    stdin_name: Option<(String, String, usize)>,
    /// Input bytes read so far (files and standard input), for progress.
    bytes_read: Arc<AtomicU64>,
}

/// The ids of the documents read so far, to fail a second document with one of them.
#[derive(Default)]
pub(crate) struct Ids {
    /// Where each document id was first read from, by a 128-bit hash of the id (a chance
    /// collision, about 2^-64 for a billion ids, is far below any other failure): the id
    /// and its origin string for every document would grow the memory of a run with the
    /// corpus, four times faster than this. The value is a [`FirstOrigin`] packed into 64
    /// bits ([`FirstOrigin::pack`]), or [`WIDE`] for one in `wide`: 24 bytes a document,
    /// not 32.
    first_origin: HashMap<[u64; 2], u64>,
    /// The first origins too large to pack (a line past 2^40, a source past 2^24).
    wide: HashMap<[u64; 2], FirstOrigin>,
    /// The sources named in `first_origin`, each once.
    origin_names: Vec<String>,
}

/// The packed first origin that stands for one in `Ids::wide`.
const WIDE: u64 = u64::MAX;

impl FirstOrigin {
    /// The source in the low 24 bits, the line above them; `None` when they do not fit.
    fn pack(self) -> Option<u64> {
        let packed = (self.line as u64).checked_mul(1 << 24)? | u64::from(self.name);
        (self.name < 1 << 24 && (self.line as u64) < (1 << 40) && packed != WIDE).then_some(packed)
    }

    fn unpack(packed: u64) -> FirstOrigin {
        FirstOrigin {
            name: (packed & ((1 << 24) - 1)) as u32,
            line: (packed >> 24) as usize,
        }
    }
}

/// A document as the reader hands it over: read, but a JSONL line not yet parsed, so that
/// the parsing can run on the worker threads ([`Pending::parse`]); then its id is checked
/// against the earlier ones, in input order ([`Ids::admit`]).
pub(crate) enum Pending {
    /// Read and parsed (a text file, a failure, or a document given as such), with its
    /// JSONL line (0 when it is not one).
    Ready(Loaded, usize),
    /// A JSONL line (without its line break and byte order mark, not blank).
    Line {
        /// Its bytes.
        bytes: Vec<u8>,
        /// The stream's name, for the origin (`name:line`).
        name: Arc<str>,
        /// The stem of ids for lines without one (`stem:line`).
        stem: Arc<str>,
        /// Its 1-based line number.
        line: usize,
    },
}

impl Pending {
    /// How many bytes of input it holds, for the size of a batch.
    pub(crate) fn bytes(&self) -> usize {
        match self {
            Pending::Ready(loaded, _) => loaded.result.as_ref().map_or(0, |d| d.text.len()),
            Pending::Line { bytes, .. } => bytes.len(),
        }
    }

    /// The document, and its JSONL line (0 when it is not one).
    pub(crate) fn parse(self) -> (Loaded, usize) {
        match self {
            Pending::Ready(loaded, line) => (loaded, line),
            Pending::Line {
                bytes,
                name,
                stem,
                line,
            } => {
                let origin = format!("{name}:{line}");
                let (id, result) = parse_jsonl_document(&bytes, format!("{stem}:{line}"));
                let mut loaded = Loaded { id, origin, result };
                fail_empty(&mut loaded);
                (loaded, line)
            }
        }
    }
}

/// A document with no text but white space is a failure.
fn fail_empty(loaded: &mut Loaded) {
    if let Ok(doc) = &loaded.result {
        if doc.text.trim().is_empty() {
            loaded.result = Err(DocumentError::Empty);
        }
    }
}

impl Ids {
    /// Fails `loaded` when an earlier document had its id, and otherwise remembers where
    /// the id was read (`line` of the JSONL origin, 0 for a whole file). Documents must come
    /// in input order.
    pub(crate) fn admit(&mut self, loaded: &mut Loaded, line: usize) {
        let hash = id_hash(&loaded.id);
        let key = [(hash >> 64) as u64, hash as u64];
        let found = self.first_origin.get(&key).map(|&packed| match packed {
            WIDE => self.wide.get(&key).copied(),
            packed => Some(FirstOrigin::unpack(packed)),
        });
        match found {
            Some(first) => {
                let Some(first) = first else {
                    // A packed WIDE always has its entry in `wide`.
                    return;
                };
                let name = &self.origin_names[first.name as usize];
                let origin = match first.line {
                    0 => name.clone(),
                    line => format!("{name}:{line}"),
                };
                loaded.result = Err(DocumentError::DuplicateId(origin));
            }
            None => {
                // A JSONL origin is `name:line`, made in `Pending::parse`.
                let suffix = format!(":{line}");
                let name = match line {
                    0 => loaded.origin.as_str(),
                    _ => loaded
                        .origin
                        .strip_suffix(suffix.as_str())
                        .unwrap_or(&loaded.origin),
                };
                if self.origin_names.last().map(String::as_str) != Some(name) {
                    self.origin_names.push(name.to_string());
                }
                let first = FirstOrigin {
                    name: (self.origin_names.len() - 1) as u32,
                    line,
                };
                match first.pack() {
                    Some(packed) => {
                        self.first_origin.insert(key, packed);
                    }
                    None => {
                        self.first_origin.insert(key, WIDE);
                        self.wide.insert(key, first);
                    }
                }
            }
        }
    }
}

/// Where a document id was first read: a source of `Ids::origin_names`, and its JSONL line
/// (0 for a whole file).
#[derive(Clone, Copy)]
struct FirstOrigin {
    name: u32,
    line: usize,
}

/// Two independent 64-bit hashes of `id` (SipHash with fixed keys: deterministic).
fn id_hash(id: &str) -> u128 {
    use std::hash::{Hash, Hasher};
    let half = |salt: u8| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        salt.hash(&mut h);
        id.hash(&mut h);
        h.finish()
    };
    (u128::from(half(0)) << 64) | u128::from(half(1))
}

/// A `BufRead` that adds every byte consumed to a shared count.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.count.fetch_add(amount as u64, Ordering::Relaxed);
        self.inner.consume(amount);
    }
}

/// The total size of the files among `sources`, or `None` when one is standard input (or its
/// size cannot be read): what a progress bar's ETA needs.
pub fn total_bytes(sources: &[Source]) -> Option<u64> {
    sources.iter().try_fold(0u64, |sum, source| match source {
        Source::Text { path, .. } | Source::Jsonl { path, .. } => {
            Some(sum + std::fs::metadata(path).ok()?.len())
        }
        Source::Unreadable { .. } => Some(sum),
        Source::Stdin => None,
    })
}

struct JsonlState {
    name: Arc<str>,
    stem: Arc<str>,
    reader: Box<dyn BufRead + Send>,
    line: usize,
}

impl Reader {
    /// A reader of `sources` that rejects documents larger than `max_bytes`.
    pub fn new(sources: Vec<Source>, max_bytes: usize) -> Reader {
        Reader {
            sources: sources.into_iter(),
            jsonl: None,
            max_bytes,
            ids: Ids::default(),
            stdin_name: None,
            bytes_read: Arc::new(AtomicU64::new(0)),
        }
    }

    /// A handle on the number of input bytes read so far, which grows as the reader is
    /// iterated (from another thread too): for a progress bar.
    pub fn bytes_read(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.bytes_read)
    }

    /// Standard input read as lines `first_line`, `first_line + 1`, ... of the JSONL file
    /// `name` (origins `name:line`, missing ids `stem:line`, the stem formed as for a JSONL
    /// file): what a map task of a distributed job that holds a slice of that file gives
    /// `extract -`, so that its rows match those of one run over the whole file.
    pub fn stdin_as(mut self, name: &str, first_line: usize) -> Reader {
        let stem = Path::new(name)
            .file_stem()
            .map_or_else(|| name.to_string(), |s| s.to_string_lossy().into_owned());
        self.stdin_name = Some((name.to_string(), stem, first_line.saturating_sub(1)));
        self
    }

    /// A reader of one JSONL stream named `name` (lines without an id become `stem:line`).
    pub(crate) fn from_jsonl_stream(
        name: &str,
        stem: &str,
        reader: Box<dyn BufRead + Send>,
        max_bytes: usize,
    ) -> Reader {
        let mut r = Reader::new(Vec::new(), max_bytes);
        r.jsonl = Some(JsonlState {
            name: name.into(),
            stem: stem.into(),
            reader,
            line: 0,
        });
        r
    }

    fn read_text_file(&self, path: &Path, id: String) -> Loaded {
        let origin = path.display().to_string();
        let result = (|| {
            let file = open_regular(path)?;
            let mut bytes = Vec::new();
            file.take((self.max_bytes as u64).saturating_add(1))
                .read_to_end(&mut bytes)
                .map_err(|e| DocumentError::Io(e.to_string()))?;
            if bytes.len() > self.max_bytes {
                return Err(DocumentError::TooLarge {
                    limit: self.max_bytes,
                });
            }
            self.bytes_read
                .fetch_add(bytes.len() as u64, Ordering::Relaxed);
            let text = String::from_utf8(bytes)
                .map_err(|e| DocumentError::InvalidUtf8(e.utf8_error().valid_up_to()))?;
            Ok(Document::new(id.clone(), text))
        })();
        Loaded { id, origin, result }
    }

    fn next_jsonl_line(&mut self) -> Option<Pending> {
        let max_bytes = self.max_bytes;
        let state = self.jsonl.as_mut()?;
        loop {
            state.line += 1;
            let failed = |state: &JsonlState, result| {
                Pending::Ready(
                    Loaded {
                        id: format!("{}:{}", state.stem, state.line),
                        origin: format!("{}:{}", state.name, state.line),
                        result,
                    },
                    state.line,
                )
            };
            let line = match read_line_limited(&mut state.reader, max_bytes) {
                Ok(None) => {
                    self.jsonl = None;
                    return None;
                }
                Ok(Some(line)) => line,
                Err(e) => {
                    // An unreadable stream ends here; report it once.
                    let failed = failed(state, Err(e));
                    self.jsonl = None;
                    return Some(failed);
                }
            };
            let mut line = match line {
                Ok(bytes) => bytes,
                Err(e) => return Some(failed(state, Err(e))),
            };
            // A byte order mark may open the stream; it is not part of the first line.
            if state.line == 1 && line.starts_with(b"\xEF\xBB\xBF") {
                line.drain(..3);
            }
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some(Pending::Line {
                bytes: line,
                name: Arc::clone(&state.name),
                stem: Arc::clone(&state.stem),
                line: state.line,
            });
        }
    }

    /// The next document, its JSONL line not parsed yet; see [`Pending`]. The caller parses
    /// it and gives it to [`Reader::take_ids`]'s `admit` in input order.
    pub(crate) fn next_pending(&mut self) -> Option<Pending> {
        loop {
            if let Some(pending) = self.next_jsonl_line() {
                return Some(pending);
            }
            let mut loaded = match self.sources.next()? {
                Source::Text { path, id } => self.read_text_file(&path, id),
                Source::Jsonl { path, id } => match open_regular(&path) {
                    Ok(file) => {
                        self.jsonl = Some(JsonlState {
                            name: path.display().to_string().into(),
                            stem: id.into(),
                            reader: Box::new(Counting {
                                inner: BufReader::with_capacity(1 << 16, file),
                                count: Arc::clone(&self.bytes_read),
                            }),
                            line: 0,
                        });
                        continue;
                    }
                    Err(error) => Loaded {
                        id,
                        origin: path.display().to_string(),
                        result: Err(error),
                    },
                },
                Source::Unreadable { path, id, error } => Loaded {
                    id,
                    origin: path.display().to_string(),
                    result: Err(error),
                },
                Source::Stdin => {
                    let (name, stem, line) = self
                        .stdin_name
                        .clone()
                        .unwrap_or_else(|| ("-".into(), "stdin".into(), 0));
                    self.jsonl = Some(JsonlState {
                        name: name.into(),
                        stem: stem.into(),
                        reader: Box::new(Counting {
                            inner: BufReader::with_capacity(1 << 16, std::io::stdin()),
                            count: Arc::clone(&self.bytes_read),
                        }),
                        line,
                    });
                    continue;
                }
            };
            fail_empty(&mut loaded);
            return Some(Pending::Ready(loaded, 0));
        }
    }

    /// The ids read so far, which [`Reader::next_pending`]'s documents are to be admitted
    /// to from now on (the reader's own iterator then no longer sees them).
    pub(crate) fn take_ids(&mut self) -> Ids {
        std::mem::take(&mut self.ids)
    }
}

/// Parses one JSONL line into a document; the id is the line's `id` or `fallback_id`.
fn parse_jsonl_document(
    line: &[u8],
    fallback_id: String,
) -> (String, Result<Document, DocumentError>) {
    let text = match std::str::from_utf8(line) {
        Ok(t) => t,
        Err(e) => {
            return (
                fallback_id,
                Err(DocumentError::InvalidUtf8(e.valid_up_to())),
            )
        }
    };
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return (fallback_id, Err(DocumentError::InvalidJson(e.to_string()))),
    };
    let string_field = |name: &str| -> Result<Option<String>, DocumentError> {
        match value.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) if name == "id" => Ok(Some(n.to_string())),
            Some(_) => Err(DocumentError::InvalidJson(format!(
                "\"{name}\" must be a string"
            ))),
        }
    };
    if !value.is_object() {
        return (
            fallback_id,
            Err(DocumentError::InvalidJson("not a JSON object".into())),
        );
    }
    let id = match string_field("id") {
        Ok(Some(id)) if !id.trim().is_empty() => id,
        Ok(_) => fallback_id,
        Err(e) => return (fallback_id, Err(e)),
    };
    let fields = (|| {
        let text = string_field("text")?
            .ok_or_else(|| DocumentError::InvalidJson("missing string \"text\"".into()))?;
        Ok(Document {
            id: id.clone(),
            text,
            published: string_field("published")?,
            lang: string_field("lang")?,
        })
    })();
    (id, fields)
}

/// Reads one line (without its `\n`, or `\r\n`). The outer result is a failure of the
/// stream; the inner one a line over `max_bytes` (skipped to its end).
#[allow(clippy::type_complexity)]
fn read_line_limited(
    reader: &mut dyn BufRead,
    max_bytes: usize,
) -> Result<Option<Result<Vec<u8>, DocumentError>>, DocumentError> {
    let mut line = Vec::new();
    let mut too_large = false;
    let mut any = false;
    loop {
        let buf = reader
            .fill_buf()
            .map_err(|e| DocumentError::Io(e.to_string()))?;
        if buf.is_empty() {
            break;
        }
        any = true;
        let (chunk, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..i], Some(i + 1)),
            None => (buf, None),
        };
        if !too_large {
            if line.len() + chunk.len() > max_bytes {
                too_large = true;
                line = Vec::new();
            } else {
                line.extend_from_slice(chunk);
            }
        }
        let consumed = done.unwrap_or(buf.len());
        reader.consume(consumed);
        if done.is_some() {
            break;
        }
    }
    if !any {
        return Ok(None);
    }
    if too_large {
        return Ok(Some(Err(DocumentError::TooLarge { limit: max_bytes })));
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(Some(Ok(line)))
}

impl Iterator for Reader {
    type Item = Loaded;

    fn next(&mut self) -> Option<Loaded> {
        let (mut loaded, line) = self.next_pending()?.parse();
        self.ids.admit(&mut loaded, line);
        Some(loaded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_read_counts_every_input_byte_for_progress() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let jsonl = dir.path().join("a.jsonl");
        let lines = "{\"text\": \"یک\"}\n\n{\"text\": \"دو\"}\n";
        std::fs::write(&jsonl, lines).expect("write");
        let txt = dir.path().join("b.txt");
        std::fs::write(&txt, "سه").expect("write");
        let sources = expand(&[dir.path().to_path_buf()]).expect("sources");
        assert_eq!(
            total_bytes(&sources),
            Some((lines.len() + "سه".len()) as u64)
        );
        let reader = Reader::new(sources, DEFAULT_MAX_DOCUMENT_BYTES);
        let read = reader.bytes_read();
        assert_eq!(reader.count(), 3);
        assert_eq!(
            read.load(Ordering::Relaxed),
            (lines.len() + "سه".len()) as u64
        );
        assert_eq!(total_bytes(&[Source::Stdin]), None);
    }

    fn read_jsonl(text: &str, max: usize) -> Vec<(String, Result<Document, DocumentError>)> {
        let mut out = Vec::new();
        let mut reader: &[u8] = text.as_bytes();
        let mut n = 0;
        while let Some(line) = read_line_limited(&mut reader, max).unwrap() {
            n += 1;
            let line = match line {
                Ok(l) => l,
                Err(e) => {
                    out.push((format!("x:{n}"), Err(e)));
                    continue;
                }
            };
            out.push(parse_jsonl_document(&line, format!("x:{n}")));
        }
        out
    }

    #[test]
    fn jsonl_lines() {
        let text = "{\"id\":\"a\",\"text\":\"چین\",\"published\":\"2022-11-25\",\"lang\":\"fa\"}\n\
                    {\"text\":\"no id\"}\r\n\
                    {broken\n\
                    {\"id\":\"b\"}\n\
                    [1,2]\n\
                    {\"id\":7,\"text\":\"numeric id\"}";
        let got = read_jsonl(text, 1000);
        assert_eq!(got.len(), 6);
        let a = got[0].1.as_ref().unwrap();
        assert_eq!(
            (
                a.id.as_str(),
                a.text.as_str(),
                a.published.as_deref(),
                a.lang.as_deref()
            ),
            ("a", "چین", Some("2022-11-25"), Some("fa"))
        );
        assert_eq!(got[1].1.as_ref().unwrap().id, "x:2");
        assert_eq!(got[1].1.as_ref().unwrap().text, "no id");
        assert!(matches!(got[2].1, Err(DocumentError::InvalidJson(_))));
        assert_eq!(got[3].0, "b");
        assert!(matches!(got[3].1, Err(DocumentError::InvalidJson(_))));
        assert!(matches!(got[4].1, Err(DocumentError::InvalidJson(_))));
        assert_eq!(got[5].0, "7");
    }

    #[test]
    fn first_origins_pack_or_stay_wide() {
        for (name, line) in [(0, 0), (3, 17), ((1 << 24) - 1, (1 << 40) - 2)] {
            let first = FirstOrigin { name, line };
            let packed = first.pack().expect("fits");
            let back = FirstOrigin::unpack(packed);
            assert_eq!((back.name, back.line), (name, line));
        }
        for (name, line) in [(1 << 24, 1), (0, 1 << 40), (u32::MAX, usize::MAX)] {
            assert!(FirstOrigin { name, line }.pack().is_none());
        }
        // A wide origin still names the first document.
        let mut ids = Ids::default();
        let loaded = |origin: &str| Loaded {
            id: "same".into(),
            origin: origin.into(),
            result: Ok(Document::new("same", "x")),
        };
        let mut first = loaded(&format!("a.jsonl:{}", 1u64 << 41));
        ids.admit(&mut first, 1 << 41);
        assert!(first.result.is_ok());
        let mut second = loaded("b.jsonl:2");
        ids.admit(&mut second, 2);
        assert_eq!(
            second.result,
            Err(DocumentError::DuplicateId(format!(
                "a.jsonl:{}",
                1u64 << 41
            )))
        );
    }

    #[test]
    fn huge_line_fails_alone() {
        let long = "x".repeat(100);
        let text = format!("{{\"text\":\"{long}\"}}\n{{\"text\":\"ok\"}}\n");
        let got = read_jsonl(&text, 50);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].1, Err(DocumentError::TooLarge { limit: 50 }));
        assert_eq!(got[1].1.as_ref().unwrap().text, "ok");
    }

    #[test]
    fn invalid_utf8_line() {
        let mut reader: &[u8] = b"{\"text\":\"\xff\"}\n";
        let line = read_line_limited(&mut reader, 100)
            .unwrap()
            .unwrap()
            .unwrap();
        let (_, r) = parse_jsonl_document(&line, "x:1".into());
        assert_eq!(r, Err(DocumentError::InvalidUtf8(9)));
    }
}
