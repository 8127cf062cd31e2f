/*!
Evaluation against hand annotations: precision, recall and F1 of a [`Pipeline`] per entity
type and per predicate, every missed and spurious item with its sentence, and a regression
baseline (issue #4).

# Gold formats

[`load_gold`] reads a file or a folder (recursively). Each folder is a **gold set**, named by
its path under the given folder (`tests/gold/seed` → `seed`); files directly in the given
folder form a set named after it, and a single file given alone a set named after its stem.

- **JSON** (`.json`, the format of `tests/gold/`, see `tests/gold/GUIDELINES.md`): `doc`,
  `text_file`, `lang`, `published`, `entities` (`key`, `type`, `name_en`, `surfaces`, `level`,
  `why`) and `relations` (`subject`, `predicate`, `object`, `role`, `symmetric`, `level`,
  `line`, `why`); see [`gold`]. The text is not in the gold: it is the input document with the
  same id (the `.txt` file stem), or, with [`Gold::documents_from_text_files`], `text_file`
  read relative to a root folder.
- **BRAT standoff** (`.ann` beside its `.txt`): `T` entities (a newsgraph type or a `--map`
  label, character offsets, discontinuous spans `0 5;7 11`) and `R` relations; every item is
  `must`. See [`brat`].
- **CoNLL/IOB** (`.conll`, `.iob`, `.bio`): `token TAG` a line, blank lines between sentences,
  tags mapped to newsgraph types by the `--map`; entity-only, span-based. See [`conll`].

# Units and metrics (JSON and BRAT)

- **Entity units** are `(document, surface, type)`. Gold: every surface of every entity (two
  entities sharing a surface and type are one unit). Predicted: every distinct
  `(document, mention text, type)` of the pipeline's mentions. Surfaces compare exactly as
  written, character for character (the gold copies them from the text, Arabic letter forms
  and ZWNJ included). Nested mentions (China inside Communist Party of China) and `coref`
  mentions (pronouns, titles, short forms resolved to a name) count when they match a gold
  unit and are never spurious: the guidelines do not require nested mentions and do not
  annotate pronouns or titles, while the short forms they resolve («روحانی») are gold
  surfaces. A predicted type the gold does not annotate (a BRAT or CoNLL file without that
  label) is neither right nor wrong.
- **Relation units** are `(document, subject, predicate, object)`, unordered for symmetric
  predicates. A gold entity key stands for the node ids the pipeline gave (as entity or as
  candidate of an ambiguous alias) to mentions whose text is one of its surfaces with its
  type, plus `country:KEY` for a country and `type:KEY` otherwise (gold keys follow the
  gazetteer's ids). Predicted: the distinct asserted, not negated relations other than
  `part_of` (planned and hypothetical events are not relations; `part_of` comes from the
  gazetteer). A prediction matches a gold relation with the same predicate whose subject and
  object stand for its subject and object (either way round when symmetric). The role of a
  `holds_office` relation is not part of its identity: matched relations with a gold role are
  counted in [`Report::roles`] and each disagreement listed in [`Report::role_mismatches`].
- Gold and predicted units are paired by one maximum matching per document, `must` items
  first. Two views of it make two tables: **must** scores against the `must` items only (a
  prediction paired with a `should` item is left out: neither a true nor a false positive),
  **all** against `must` and `should` items.
- Each table has one row per entity type (or gold label) or predicate and a micro-averaged
  `total`: tp, fp, fn, P = tp/(tp+fp), R = tp/(tp+fn), F1 = 2tp/(2tp+fp+fn) (0 when a
  denominator is 0). Rows without any item are left out.

# Using it

```no_run
use std::path::{Path, PathBuf};
use newsgraph::eval::{self, TypeMap};
use newsgraph::Pipeline;

let pipeline = Pipeline::embedded()?;
let gold = eval::load_gold(Path::new("tests/gold"), &TypeMap::new())?;
let docs = eval::load_documents(&[PathBuf::from("tests/corpus")], &gold)?;
let evaluation = eval::evaluate_gold(&pipeline, &gold, &docs);
print!("{evaluation}"); // tables, then every missed and spurious item with its sentence
std::fs::write("eval.json", evaluation.to_json())?;

let baseline = eval::Baseline::read(Path::new("tests/eval/baseline.json"))?;
for drop in eval::check_baseline(&evaluation, &baseline) {
    eprintln!("dropped: {drop}");
}
# Ok::<(), Box<dyn std::error::Error>>(())
```
*/

pub mod baseline;
pub mod brat;
pub mod conll;
pub mod gold;
mod map;
mod report;
pub mod score;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::input::{self, InputError, Reader, DEFAULT_MAX_DOCUMENT_BYTES};
use crate::{Document, Pipeline};

pub use baseline::{check as check_baseline, update_file as update_baseline, Baseline, Drop};
pub use conll::{ConllReport, ConllSet};
pub use gold::{GoldDocument, GoldEntity, GoldFormat, GoldRelation, Level};
pub use map::{Label, TypeMap};
pub use score::{evaluate, Report, Row, Table, Tables};

/// Why gold, inputs or a baseline could not be used.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A file or folder that cannot be read.
    #[error("{}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A JSON gold or baseline file that is not valid JSON or lacks a field. The parser's
    /// message is the message (not a separate cause), so it is printed once.
    #[error("{}: {cause}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// What the parser says, with its line and column.
        cause: serde_json::Error,
    },
    /// A JSON gold file whose content breaks the format.
    #[error("{}: {reason}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong, naming the entity or relation.
        reason: String,
    },
    /// A bad line of a BRAT or CoNLL file.
    #[error("{}:{line}: {reason}", path.display())]
    Line {
        /// The file.
        path: PathBuf,
        /// The 1-based line.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// An unusable `--map`.
    #[error("--map `{spec}`: {reason}")]
    Map {
        /// The map as given.
        spec: String,
        /// What is wrong.
        reason: String,
    },
    /// A gold path with no gold file in it.
    #[error("{}: no gold files (.json, .ann, .conll, .iob, .bio)", .0.display())]
    NoGold(PathBuf),
    /// A gold file of another kind.
    #[error("{}: not a gold file (.json, .ann, .conll, .iob, .bio)", .0.display())]
    Unsupported(PathBuf),
    /// Two gold documents of one set with the same id.
    #[error("{}: gold document `{doc}` is also in {}", second.display(), first.display())]
    DuplicateDocument {
        /// The document id.
        doc: String,
        /// The first file.
        first: PathBuf,
        /// The second file.
        second: PathBuf,
    },
    /// The inputs cannot be listed.
    #[error(transparent)]
    Input(#[from] InputError),
    /// An input document that gold refers to could not be read.
    #[error("{origin}: {reason}")]
    Document {
        /// The file, or `file:line` for JSONL.
        origin: String,
        /// Why.
        reason: String,
    },
}

/// The gold documents (JSON or BRAT) of one gold set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldSet {
    /// The set name (see [`load_gold`]).
    pub name: String,
    /// Its documents, in file order.
    pub documents: Vec<GoldDocument>,
}

/// Everything a gold path holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Gold {
    /// Sets of JSON and BRAT documents, by name.
    pub sets: Vec<GoldSet>,
    /// Sets of CoNLL sentences, by name.
    pub conll: Vec<ConllSet>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Json,
    Brat,
    Conll,
}

fn kind(path: &Path) -> Option<Kind> {
    let name = path.file_name()?.to_str()?;
    if name.starts_with('.') {
        return None;
    }
    match path.extension()?.to_str()? {
        "json" => Some(Kind::Json),
        "ann" => Some(Kind::Brat),
        "conll" | "iob" | "bio" => Some(Kind::Conll),
        _ => None,
    }
}

/// Reads the gold at `path`: a gold file, or a folder of them, each subfolder a set (see the
/// [module documentation](self)). `map` resolves BRAT and CoNLL labels. Files of other
/// kinds in a folder (`GUIDELINES.md`, BRAT's `.txt` and `.conf`) are skipped; sets come in
/// name order.
pub fn load_gold(path: &Path, map: &TypeMap) -> Result<Gold, EvalError> {
    let meta = std::fs::metadata(path).map_err(|source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut groups: BTreeMap<String, Vec<(PathBuf, Kind)>> = BTreeMap::new();
    if meta.is_dir() {
        let files = crate::input::files_under(path)
            .map_err(|(path, source)| EvalError::Io { path, source })?;
        let root_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "gold".to_string());
        for file in files {
            let Some(k) = kind(&file) else { continue };
            let folder = file
                .parent()
                .and_then(|p| p.strip_prefix(path).ok())
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            let name = if folder.is_empty() {
                root_name.clone()
            } else {
                folder
            };
            groups.entry(name).or_default().push((file, k));
        }
        if groups.is_empty() {
            return Err(EvalError::NoGold(path.to_path_buf()));
        }
    } else {
        let k = kind(path).ok_or_else(|| EvalError::Unsupported(path.to_path_buf()))?;
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        groups.insert(stem, vec![(path.to_path_buf(), k)]);
    }
    let mut gold = Gold::default();
    for (name, files) in groups {
        let mut documents: Vec<GoldDocument> = Vec::new();
        let mut conll = ConllSet {
            name: name.clone(),
            sources: Vec::new(),
            sentences: Vec::new(),
        };
        for (file, k) in files {
            let doc = match k {
                Kind::Json => gold::read_json(&file)?,
                Kind::Brat => brat::read(&file, map)?,
                Kind::Conll => {
                    // Each file is a document of its own (or several, by `-DOCSTART-`).
                    let after = conll.sentences.last().map_or(0, |s| s.document + 1);
                    conll
                        .sentences
                        .extend(conll::read(&file, map)?.into_iter().map(|mut s| {
                            s.document += after;
                            s
                        }));
                    conll.sources.push(file);
                    continue;
                }
            };
            if let Some(first) = documents.iter().find(|d| d.doc == doc.doc) {
                return Err(EvalError::DuplicateDocument {
                    doc: doc.doc,
                    first: first.source.clone(),
                    second: file,
                });
            }
            documents.push(doc);
        }
        if !documents.is_empty() {
            gold.sets.push(GoldSet {
                name: name.clone(),
                documents,
            });
        }
        if !conll.sources.is_empty() {
            gold.conll.push(conll);
        }
    }
    Ok(gold)
}

impl Gold {
    /// The ids of the documents whose text must come from the inputs (JSON gold).
    pub fn wanted_documents(&self) -> BTreeSet<&str> {
        self.sets
            .iter()
            .flat_map(|s| &s.documents)
            .filter(|d| d.text.is_none())
            .map(|d| d.doc.as_str())
            .collect()
    }

    /// The texts of the JSON gold documents, read from their `text_file` relative to `root`
    /// (the repository root for `tests/gold/`), with the gold's `lang` and `published`.
    /// Fails on a gold document without `text_file` or a file that cannot be read.
    pub fn documents_from_text_files(&self, root: &Path) -> Result<Vec<Document>, EvalError> {
        let mut docs: Vec<Document> = Vec::new();
        for g in self.sets.iter().flat_map(|s| &s.documents) {
            if g.text.is_some() || docs.iter().any(|d| d.id == g.doc) {
                continue;
            }
            let file = g.text_file.as_ref().ok_or_else(|| EvalError::Invalid {
                path: g.source.clone(),
                reason: "no `text_file`".into(),
            })?;
            let path = root.join(file);
            let text =
                std::fs::read_to_string(&path).map_err(|source| EvalError::Io { path, source })?;
            docs.push(Document {
                id: g.doc.clone(),
                text,
                published: g.published.clone(),
                lang: g.lang.clone(),
            });
        }
        self.check_surfaces(&docs)?;
        Ok(docs)
    }

    /// Checks that every surface of every JSON gold entity occurs, exactly as written, in
    /// the text of its document (among `docs`, by id; gold documents without one are
    /// reported elsewhere). A surface that does not is a mistake of the gold file, which
    /// could never be matched: the error names the file, the entity and the surface.
    pub fn check_surfaces(&self, docs: &[Document]) -> Result<(), EvalError> {
        let by_id: HashMap<&str, &Document> = docs.iter().map(|d| (d.id.as_str(), d)).collect();
        for g in self.sets.iter().flat_map(|s| &s.documents) {
            let Some(text) = g
                .text
                .as_deref()
                .or_else(|| by_id.get(g.doc.as_str()).map(|d| d.text.as_str()))
            else {
                continue;
            };
            for (i, e) in g.entities.iter().enumerate() {
                if let Some(surface) = e.surfaces.iter().find(|s| !text.contains(s.as_str())) {
                    return Err(EvalError::Invalid {
                        path: g.source.clone(),
                        reason: format!(
                            "entity {} ({}): surface «{surface}» does not occur in the text of {}",
                            i + 1,
                            e.key,
                            g.doc
                        ),
                    });
                }
            }
        }
        Ok(())
    }
}

/// Reads the input documents (`.txt`, `.jsonl`, folders, `-`, as for `extract`) that `gold`
/// needs, matched by id; others are skipped unread where possible. A document the gold needs
/// that cannot be read is an error; one it does not need is ignored.
///
/// A document found in a subfolder has the id `sub/folder/stem`; when no input has a gold
/// document's id itself, the input whose last id segment (`stem`) equals it stands for it
/// (the first one, in input order), so `eval --gold tests/gold tests/corpus` pairs
/// `fars_13920618001335` with `tests/corpus/dev/fars_13920618001335.txt`.
///
/// Fails, naming the gold file and the entity, when a surface of a JSON gold entity does not
/// occur in its document's text: such a gold cannot be scored.
pub fn load_documents(inputs: &[PathBuf], gold: &Gold) -> Result<Vec<Document>, EvalError> {
    let wanted = gold.wanted_documents();
    let sources = input::expand(inputs)?;
    // The documents in input order, each with whether its id matched exactly; by gold id.
    let mut docs: Vec<(Document, bool)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for loaded in Reader::new(sources, DEFAULT_MAX_DOCUMENT_BYTES) {
        let (key, exact) = match wanted.get(loaded.id.as_str()) {
            Some(key) => (*key, true),
            None => match loaded
                .id
                .rsplit_once('/')
                .and_then(|(_, stem)| wanted.get(stem))
            {
                Some(key) => (*key, false),
                None => continue,
            },
        };
        let earlier = index.get(key).copied();
        if earlier.is_some_and(|i| docs[i].1 || !exact) {
            continue; // an exact match, or an earlier stem match, stands
        }
        match loaded.result {
            Ok(mut doc) => {
                doc.id = key.to_string();
                match earlier {
                    Some(i) => docs[i] = (doc, exact),
                    None => {
                        index.insert(key.to_string(), docs.len());
                        docs.push((doc, exact));
                    }
                }
            }
            Err(e) => {
                return Err(EvalError::Document {
                    origin: loaded.origin,
                    reason: e.to_string(),
                })
            }
        }
    }
    let docs: Vec<Document> = docs.into_iter().map(|(doc, _)| doc).collect();
    gold.check_surfaces(&docs)?;
    Ok(docs)
}

/// The scores of every set of a gold path.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evaluation {
    /// One report per JSON/BRAT gold set, in name order.
    pub sets: Vec<Report>,
    /// One report per CoNLL set, in name order.
    pub conll: Vec<ConllReport>,
}

impl Evaluation {
    /// Gold documents that had no input text, as `(set, document)`.
    pub fn missing_documents(&self) -> Vec<(&str, &str)> {
        self.sets
            .iter()
            .flat_map(|r| {
                r.missing_documents
                    .iter()
                    .map(|d| (r.name.as_str(), d.as_str()))
            })
            .collect()
    }

    /// The baseline figures per set: `(table, row, figure)`, where the figure is F1 for the
    /// entity and relation tables and exact precision for CoNLL (`conll.precision`).
    pub fn figures(&self) -> BTreeMap<&str, Vec<(&str, &str, f64)>> {
        let mut out: BTreeMap<&str, Vec<(&str, &str, f64)>> = BTreeMap::new();
        for report in &self.sets {
            let figures = out.entry(report.name.as_str()).or_default();
            for (table, t) in report.tables() {
                for row in t.rows.iter().chain([&t.total]) {
                    figures.push((table, row.name.as_str(), row.f1));
                }
            }
        }
        for report in &self.conll {
            let figures = out.entry(report.name.as_str()).or_default();
            for row in report.rows.iter().chain([&report.total]) {
                figures.push(("conll.precision", row.name.as_str(), row.precision));
            }
        }
        out
    }
}

/// Scores one gold set (see [`evaluate`]); the report takes the set's name.
pub fn evaluate_set(pipeline: &Pipeline, set: &GoldSet, docs: &[Document]) -> Report {
    let mut report = evaluate(pipeline, &set.documents, docs);
    report.name = set.name.clone();
    report
}

/// How [`evaluate_gold_with`] scores.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// CoNLL sets: how many sentences before each one (in its document) it is run after, so
    /// that a surname alone meets the full name of an earlier sentence; only the sentence's
    /// own mentions are scored. 0 runs each sentence alone. See [`conll`].
    pub conll_context: usize,
}

/// Scores every set of `gold` with the default [`Options`] (see [`evaluate_gold_with`]).
pub fn evaluate_gold(pipeline: &Pipeline, gold: &Gold, docs: &[Document]) -> Evaluation {
    evaluate_gold_with(pipeline, gold, docs, Options::default())
}

/// Scores every set of `gold`: JSON and BRAT sets with [`evaluate_set`] (texts of JSON gold
/// from `docs`, by id), CoNLL sets with [`conll::evaluate_with_context`].
pub fn evaluate_gold_with(
    pipeline: &Pipeline,
    gold: &Gold,
    docs: &[Document],
    options: Options,
) -> Evaluation {
    // One lookup for every set, rather than a scan of `docs` per document.
    let mut by_id: HashMap<&str, &Document> = HashMap::new();
    for d in docs {
        by_id.entry(d.id.as_str()).or_insert(d);
    }
    let sets = gold
        .sets
        .iter()
        .map(|set| {
            let mine: Vec<Document> = set
                .documents
                .iter()
                .filter_map(|g| by_id.get(g.doc.as_str()).map(|d| (*d).clone()))
                .collect();
            evaluate_set(pipeline, set, &mine)
        })
        .collect();
    Evaluation {
        sets,
        conll: gold
            .conll
            .iter()
            .map(|set| conll::evaluate_with_context(pipeline, set, options.conll_context))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
    }

    const JSON: &str = r#"{"doc": "DOC", "text_file": "corpus/DOC.txt", "lang": "fa",
        "entities": [{"key": "CN", "type": "COUNTRY", "surfaces": ["چین"], "level": "must"}],
        "relations": []}"#;

    #[test]
    fn sets_are_folders() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path();
        write(root, "gold/seed/a.json", &JSON.replace("DOC", "a"));
        write(root, "gold/dev/b.json", &JSON.replace("DOC", "b"));
        write(root, "gold/dev/c.json", &JSON.replace("DOC", "c"));
        write(root, "gold/dev/GUIDELINES.md", "not gold");
        write(root, "gold/brat/x.ann", "T1\tCOUNTRY 0 3\tچین\n");
        write(root, "gold/brat/x.txt", "چین");
        write(root, "gold/top.conll", "چین B-COUNTRY\n");
        write(root, "corpus/a.txt", "چین");
        write(root, "corpus/b.txt", "چین و کوبا");
        let gold = load_gold(&root.join("gold"), &TypeMap::new()).unwrap_or_else(|e| panic!("{e}"));
        let sets: Vec<(&str, Vec<&str>)> = gold
            .sets
            .iter()
            .map(|s| {
                (
                    s.name.as_str(),
                    s.documents.iter().map(|d| d.doc.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            sets,
            [
                ("brat", vec!["x"]),
                ("dev", vec!["b", "c"]),
                ("seed", vec!["a"])
            ]
        );
        assert_eq!(gold.conll.len(), 1);
        assert_eq!(gold.conll[0].name, "gold");
        assert_eq!(
            gold.wanted_documents().into_iter().collect::<Vec<_>>(),
            ["a", "b", "c"]
        );

        // `c` has no text: listed as missing, not scored.
        let docs = load_documents(&[root.join("corpus")], &gold).unwrap_or_else(|e| panic!("{e}"));
        let pipeline = Pipeline::embedded().unwrap_or_else(|e| panic!("{e}"));
        let evaluation = evaluate_gold(&pipeline, &gold, &docs);
        assert_eq!(evaluation.missing_documents(), [("dev", "c")]);
        let dev = &evaluation.sets[1];
        assert_eq!(
            (dev.entities.all.total.tp, dev.entities.all.total.fp),
            (1, 1),
            "{evaluation}"
        );
        assert_eq!(evaluation.conll[0].total.exact, 1);
        let figures = evaluation.figures();
        assert!(figures["gold"].contains(&("conll.precision", "COUNTRY", 1.0)));

        // The same through `text_file`, where the missing file is an error naming it.
        let err = gold
            .documents_from_text_files(root)
            .expect_err("c.txt is missing");
        assert!(err.to_string().contains("c.txt"), "{err}");

        // A single file is a set named after its stem.
        let one = load_gold(&root.join("gold/dev/b.json"), &TypeMap::new())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(one.sets[0].name, "b");
    }

    #[test]
    fn bad_gold_paths() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path();
        write(root, "empty/readme.md", "");
        write(root, "dup/a.json", &JSON.replace("DOC", "a"));
        write(root, "dup/b.json", &JSON.replace("DOC", "a"));
        let cases = [
            (root.join("empty"), "no gold files"),
            (root.join("empty/readme.md"), "not a gold file"),
            (root.join("nothing"), "nothing"),
            (root.join("dup"), "gold document `a` is also in"),
        ];
        for (path, needle) in cases {
            let err = load_gold(&path, &TypeMap::new())
                .expect_err(needle)
                .to_string();
            assert!(err.contains(needle), "{needle}: {err}");
        }
    }
}
