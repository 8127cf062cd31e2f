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

use serde_json::Value;

use crate::Document;

/// The default limit on one document's size in bytes (a `.txt` file or a JSONL line).
pub const DEFAULT_MAX_DOCUMENT_BYTES: usize = 64 << 20;

/// One input source, after expanding folders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A text file: one document whose id is the file stem.
    Text(PathBuf),
    /// A JSONL file: one document a line.
    Jsonl(PathBuf),
    /// JSONL on standard input.
    Stdin,
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
}

/// A document read from an input, or the reason it could not be.
#[derive(Debug)]
pub struct Loaded {
    /// The document id (for a failed document, the best id known: the file stem, or the
    /// JSONL `id`, or `stem:line`).
    pub id: String,
    /// Where it came from: `path` or `path:line`.
    pub origin: String,
    /// The document, or why it failed.
    pub result: Result<Document, DocumentError>,
}

/// Expands command-line inputs: folders become every `.txt` and `.jsonl` file under them in
/// sorted order, `-` becomes standard input.
pub fn expand(inputs: &[PathBuf]) -> Result<Vec<Source>, InputError> {
    let mut sources = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            sources.push(Source::Stdin);
            continue;
        }
        let meta = std::fs::metadata(input).map_err(|source| InputError::Io {
            path: input.clone(),
            source,
        })?;
        if meta.is_dir() {
            let files =
                files_under(input).map_err(|(path, source)| InputError::Io { path, source })?;
            sources.extend(files.into_iter().filter_map(classify));
        } else {
            sources.push(
                classify(input.clone()).ok_or_else(|| InputError::Unsupported(input.clone()))?,
            );
        }
    }
    Ok(sources)
}

fn classify(path: PathBuf) -> Option<Source> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("txt") => Some(Source::Text(path)),
        Some("jsonl") => Some(Source::Jsonl(path)),
        _ => None,
    }
}

pub use crate::walk::files_under;

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Streams the documents of a list of sources, in order.
pub struct Reader {
    sources: std::vec::IntoIter<Source>,
    jsonl: Option<JsonlState>,
    max_bytes: usize,
    /// Where each document id was first read from.
    first_origin: HashMap<String, String>,
}

struct JsonlState {
    name: String,
    stem: String,
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
            first_origin: HashMap::new(),
        }
    }

    fn read_text_file(&self, path: &Path) -> Loaded {
        let origin = path.display().to_string();
        let id = stem(path);
        let result = (|| {
            let file = File::open(path).map_err(|e| DocumentError::Io(e.to_string()))?;
            let mut bytes = Vec::new();
            file.take(self.max_bytes as u64 + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| DocumentError::Io(e.to_string()))?;
            if bytes.len() > self.max_bytes {
                return Err(DocumentError::TooLarge {
                    limit: self.max_bytes,
                });
            }
            let text = String::from_utf8(bytes)
                .map_err(|e| DocumentError::InvalidUtf8(e.utf8_error().valid_up_to()))?;
            Ok(Document::new(id.clone(), text))
        })();
        Loaded { id, origin, result }
    }

    fn next_jsonl_line(&mut self) -> Option<Loaded> {
        let max_bytes = self.max_bytes;
        let state = self.jsonl.as_mut()?;
        loop {
            state.line += 1;
            let origin = format!("{}:{}", state.name, state.line);
            let fallback_id = format!("{}:{}", state.stem, state.line);
            let line = match read_line_limited(&mut state.reader, max_bytes) {
                Ok(None) => {
                    self.jsonl = None;
                    return None;
                }
                Ok(Some(line)) => line,
                Err(e) => {
                    // An unreadable stream ends here; report it once.
                    self.jsonl = None;
                    return Some(Loaded {
                        id: fallback_id,
                        origin,
                        result: Err(e),
                    });
                }
            };
            let line = match line {
                Ok(bytes) => bytes,
                Err(e) => {
                    return Some(Loaded {
                        id: fallback_id,
                        origin,
                        result: Err(e),
                    })
                }
            };
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let (id, result) = parse_jsonl_document(&line, fallback_id);
            return Some(Loaded { id, origin, result });
        }
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
        let mut loaded = loop {
            if let Some(loaded) = self.next_jsonl_line() {
                break loaded;
            }
            match self.sources.next()? {
                Source::Text(path) => break self.read_text_file(&path),
                Source::Jsonl(path) => match File::open(&path) {
                    Ok(file) => {
                        self.jsonl = Some(JsonlState {
                            name: path.display().to_string(),
                            stem: stem(&path),
                            reader: Box::new(BufReader::with_capacity(1 << 16, file)),
                            line: 0,
                        })
                    }
                    Err(e) => {
                        break Loaded {
                            id: stem(&path),
                            origin: path.display().to_string(),
                            result: Err(DocumentError::Io(e.to_string())),
                        }
                    }
                },
                Source::Stdin => {
                    self.jsonl = Some(JsonlState {
                        name: "-".into(),
                        stem: "stdin".into(),
                        reader: Box::new(BufReader::with_capacity(1 << 16, std::io::stdin())),
                        line: 0,
                    })
                }
            }
        };
        if let Ok(doc) = &loaded.result {
            if doc.text.trim().is_empty() {
                loaded.result = Err(DocumentError::Empty);
            }
        }
        match self.first_origin.get(&loaded.id) {
            Some(first) => loaded.result = Err(DocumentError::DuplicateId(first.clone())),
            None => {
                self.first_origin
                    .insert(loaded.id.clone(), loaded.origin.clone());
            }
        }
        Some(loaded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
