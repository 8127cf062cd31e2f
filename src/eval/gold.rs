//! Gold documents: the hand annotations of one document, read from the JSON gold format of
//! `tests/gold/` (see `tests/gold/GUIDELINES.md`) or from BRAT standoff ([`super::brat`]).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::gazetteer::EntityType;

use super::map::Label;
use super::EvalError;

/// How firmly the guidelines require an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// A good gazetteer-and-rules pipeline finds it: named in full, in one sentence.
    Must,
    /// It needs context: a bare surname, a pronoun, reasoning across sentences.
    Should,
}

impl Level {
    /// `must` or `should`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Must => "must",
            Level::Should => "should",
        }
    }

    fn parse(s: &str) -> Option<Level> {
        match s {
            "must" => Some(Level::Must),
            "should" => Some(Level::Should),
            _ => None,
        }
    }
}

/// The file format a gold document was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GoldFormat {
    /// The JSON format of `tests/gold/`: every contract type and predicate is annotated.
    Json,
    /// BRAT standoff: only the labels that occur in the set are annotated.
    Brat,
}

/// One annotated entity of a gold document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldEntity {
    /// The entity's key: ISO alpha-2 for countries, a slug otherwise (JSON); the `T` id (BRAT).
    pub key: String,
    /// Its label and the newsgraph types that match it.
    pub label: Label,
    /// The English name (JSON only).
    pub name_en: Option<String>,
    /// Every form the text uses for it, character for character.
    pub surfaces: Vec<String>,
    /// How firmly it is required.
    pub level: Level,
    /// Why it is only `should` (JSON only).
    pub why: Option<String>,
}

/// One annotated relation of a gold document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldRelation {
    /// The subject's entity key.
    pub subject: String,
    /// The predicate (`met_with`).
    pub predicate: String,
    /// The object's entity key.
    pub object: String,
    /// The office of a `holds_office` relation (`President`).
    pub role: Option<String>,
    /// Whether subject and object compare as an unordered pair.
    pub symmetric: bool,
    /// How firmly it is required.
    pub level: Level,
    /// The 1-based line of the text that holds the evidence (for BRAT: the line of the
    /// subject's first character).
    pub line: Option<usize>,
    /// Why it is only `should` (JSON only).
    pub why: Option<String>,
}

/// The hand annotations of one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldDocument {
    /// The document id: the `.txt` file stem, matched against input document ids.
    pub doc: String,
    /// The text file the annotations refer to (JSON: as written, relative to the repository
    /// root; BRAT: the `.txt` beside the `.ann`).
    pub text_file: Option<String>,
    /// The language code, if given.
    pub lang: Option<String>,
    /// The publication date, if given.
    pub published: Option<String>,
    /// The text itself when the gold carries it (BRAT); JSON gold takes it from the inputs.
    pub text: Option<String>,
    /// The annotated entities.
    pub entities: Vec<GoldEntity>,
    /// The annotated relations.
    pub relations: Vec<GoldRelation>,
    /// The format it was read from.
    pub format: GoldFormat,
    /// The gold file it was read from.
    pub source: PathBuf,
}

impl GoldDocument {
    /// The entity with key `key`, if declared.
    pub fn entity(&self, key: &str) -> Option<&GoldEntity> {
        self.entities.iter().find(|e| e.key == key)
    }
}

#[derive(Deserialize)]
struct RawDocument {
    doc: String,
    text_file: Option<String>,
    lang: Option<String>,
    published: Option<String>,
    entities: Vec<RawEntity>,
    relations: Vec<RawRelation>,
}

#[derive(Deserialize)]
struct RawEntity {
    key: String,
    #[serde(rename = "type")]
    entity_type: String,
    name_en: Option<String>,
    surfaces: Vec<String>,
    level: String,
    why: Option<String>,
}

#[derive(Deserialize)]
struct RawRelation {
    subject: String,
    predicate: String,
    object: String,
    role: Option<String>,
    #[serde(default)]
    symmetric: bool,
    level: String,
    line: Option<usize>,
    why: Option<String>,
}

/// Reads one JSON gold file.
pub fn read_json(path: &Path) -> Result<GoldDocument, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse_json(path, text.strip_prefix('\u{FEFF}').unwrap_or(&text))
}

/// Parses the text of a JSON gold file; `path` names it in errors.
///
/// Unknown fields (`notes`) are allowed. Errors: invalid JSON or a missing field (with
/// serde's line and column), an unknown entity type or level, an entity without surfaces, a
/// duplicate key, a relation whose subject or object is not a declared key, a line of 0.
pub fn parse_json(path: &Path, text: &str) -> Result<GoldDocument, EvalError> {
    let raw: RawDocument = serde_json::from_str(text).map_err(|cause| EvalError::Json {
        path: path.to_path_buf(),
        cause,
    })?;
    let invalid = |reason: String| EvalError::Invalid {
        path: path.to_path_buf(),
        reason,
    };
    if raw.doc.trim().is_empty() {
        return Err(invalid("`doc` is empty".into()));
    }
    let level = |what: &str, s: &str| {
        Level::parse(s).ok_or_else(|| invalid(format!("{what}: level `{s}` is not must or should")))
    };
    let mut keys = HashSet::new();
    let mut entities = Vec::with_capacity(raw.entities.len());
    for (i, e) in raw.entities.into_iter().enumerate() {
        let what = format!("entity {} ({})", i + 1, e.key);
        let t = EntityType::parse(&e.entity_type)
            .ok_or_else(|| invalid(format!("{what}: unknown type `{}`", e.entity_type)))?;
        if e.surfaces.is_empty() || e.surfaces.iter().any(|s| s.trim().is_empty()) {
            return Err(invalid(format!("{what}: no surfaces, or an empty one")));
        }
        if !keys.insert(e.key.clone()) {
            return Err(invalid(format!("{what}: duplicate key")));
        }
        entities.push(GoldEntity {
            level: level(&what, &e.level)?,
            key: e.key,
            label: Label::of_type(t),
            name_en: e.name_en,
            surfaces: e.surfaces,
            why: e.why,
        });
    }
    let mut relations = Vec::with_capacity(raw.relations.len());
    for (i, r) in raw.relations.into_iter().enumerate() {
        let what = format!(
            "relation {} ({} {} {})",
            i + 1,
            r.subject,
            r.predicate,
            r.object
        );
        for key in [&r.subject, &r.object] {
            if !keys.contains(key) {
                return Err(invalid(format!(
                    "{what}: `{key}` is not a declared entity key"
                )));
            }
        }
        if r.line == Some(0) {
            return Err(invalid(format!("{what}: lines are 1-based")));
        }
        relations.push(GoldRelation {
            level: level(&what, &r.level)?,
            symmetric: r.symmetric,
            subject: r.subject,
            predicate: r.predicate,
            object: r.object,
            role: r.role,
            line: r.line,
            why: r.why,
        });
    }
    Ok(GoldDocument {
        doc: raw.doc,
        text_file: raw.text_file,
        lang: raw.lang,
        published: raw.published,
        text: None,
        entities,
        relations,
        format: GoldFormat::Json,
        source: path.to_path_buf(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{
      "doc": "d1", "text_file": "tests/corpus/d1.txt", "lang": "fa", "notes": "free text",
      "entities": [
        {"key": "CU", "type": "COUNTRY", "name_en": "Cuba", "surfaces": ["کوبا"], "level": "must"},
        {"key": "x", "type": "PERSON", "name_en": "X", "surfaces": ["ایکس", "ا. ایکس"], "level": "should", "why": "short"}
      ],
      "relations": [
        {"subject": "x", "predicate": "met_with", "object": "CU", "level": "must", "line": 2},
        {"subject": "x", "predicate": "holds_office", "object": "CU", "role": "President", "level": "should", "line": 1, "why": "w"}
      ]
    }"#;

    #[test]
    fn reads_the_json_format() {
        let gold = parse_json(Path::new("d1.json"), GOOD).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(gold.doc, "d1");
        assert_eq!(gold.text_file.as_deref(), Some("tests/corpus/d1.txt"));
        assert_eq!(gold.entities.len(), 2);
        assert_eq!(gold.entities[0].label, Label::of_type(EntityType::Country));
        assert_eq!(gold.entities[1].level, Level::Should);
        assert_eq!(gold.entities[1].surfaces, ["ایکس", "ا. ایکس"]);
        // `symmetric` left out of the file is read as written; the scorer applies the
        // predicate table (score.rs tests symmetric matching).
        assert!(!gold.relations[0].symmetric);
        assert!(!gold.relations[1].symmetric);
        assert_eq!(gold.relations[1].role.as_deref(), Some("President"));
        assert_eq!(gold.relations[0].line, Some(2));
    }

    #[test]
    fn bad_files_name_the_file_and_the_problem() {
        let cases = [
            (
                GOOD.replace("\"COUNTRY\"", "\"NATION\""),
                "entity 1 (CU): unknown type `NATION`",
            ),
            (
                GOOD.replace("\"must\", \"line\": 2", "\"may\", \"line\": 2"),
                "level `may`",
            ),
            (
                GOOD.replace(
                    "\"object\": \"CU\", \"level\": \"must\"",
                    "\"object\": \"XX\", \"level\": \"must\"",
                ),
                "`XX` is not a declared entity key",
            ),
            (GOOD.replace("[\"کوبا\"]", "[]"), "no surfaces"),
            (
                GOOD.replace("\"key\": \"x\"", "\"key\": \"CU\""),
                "duplicate key",
            ),
            (GOOD.replace("\"line\": 2", "\"line\": 0"), "1-based"),
            (GOOD.replace("\"doc\": \"d1\",", ""), "missing field `doc`"),
            ("{".to_string(), "EOF"),
        ];
        for (text, needle) in cases {
            let err = parse_json(Path::new("gold/d1.json"), &text)
                .expect_err(needle)
                .to_string();
            assert!(err.starts_with("gold/d1.json"), "{err}");
            assert!(err.contains(needle), "{needle}: {err}");
        }
    }
}
