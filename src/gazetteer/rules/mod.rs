//! The rule files (`rules/*.toml`, format in `gazetteers/rules/README.md`): relation rules,
//! titles, clause and coreference words, modality cues, the light-verb conjugation, and the
//! predicate table (`rules/predicates.toml`). Loading validates everything and reports every
//! problem as `file:line: reason`; the relate stage reads the result.

mod conjugate;
mod format;
mod lexicon;
mod predicates;

pub use format::{Argument, Inflection, Rule, RuleSpecs, Side, Title, Window};
pub(crate) use lexicon::{Lexicon, Word};
pub use predicates::{Predicate, Predicates};

use super::{DataError, DataFiles, RowError};

/// The loaded rules, the phrases they react to, and the predicate table.
#[derive(Clone, Debug, Default)]
pub struct RuleSet {
    specs: RuleSpecs,
    lexicon: Lexicon,
    predicates: Predicates,
    /// Skeletons of `places.before_place`, sorted.
    before_place: Vec<String>,
}

impl RuleSet {
    /// Loads `rules/predicates.toml` and every other `rules/*.toml` of `files`; fails with
    /// every problem as `file:line: reason`. A folder without a predicate table uses the
    /// built-in one (the contract's predicates).
    pub fn from_files(files: &DataFiles) -> Result<RuleSet, DataError> {
        let mut errors: Vec<RowError> = Vec::new();
        let embedded;
        let table = match files.get(predicates::PREDICATES_FILE) {
            Some(text) => text,
            None => {
                embedded = DataFiles::embedded();
                embedded
                    .get(predicates::PREDICATES_FILE)
                    .unwrap_or_default()
            }
        };
        let predicates = Predicates::parse(predicates::PREDICATES_FILE, table, &mut errors);
        let mut specs = RuleSpecs::default();
        for (name, text) in files.matching("rules/", ".toml") {
            if name != predicates::PREDICATES_FILE {
                specs.add_file(name, text, &predicates, &mut errors);
            }
        }
        // The roles tables come after the rule files' own titles, in file order.
        for (name, text) in files.matching("rules/roles.", ".tsv") {
            specs.add_roles(name, text, &mut errors);
        }
        if !errors.is_empty() {
            return Err(DataError::Invalid(errors));
        }
        Ok(RuleSet::new(specs, predicates))
    }

    /// The rule set of loaded specs and a predicate table.
    pub fn new(specs: RuleSpecs, predicates: Predicates) -> RuleSet {
        let lexicon = Lexicon::new(&specs);
        let mut before_place: Vec<String> = specs
            .places
            .before_place
            .iter()
            .map(|w| crate::text::skeleton(w))
            .collect();
        before_place.sort_unstable();
        before_place.dedup();
        RuleSet {
            specs,
            lexicon,
            predicates,
            before_place,
        }
    }

    /// The loaded rules and word lists.
    pub fn specs(&self) -> &RuleSpecs {
        &self.specs
    }

    /// The predicate table.
    pub fn predicates(&self) -> &Predicates {
        &self.predicates
    }

    /// Whether `word` (a skeleton) makes a capital after it the place, not its state.
    pub(crate) fn is_before_place(&self, word: &str) -> bool {
        self.before_place
            .binary_search_by(|w| w.as_str().cmp(word))
            .is_ok()
    }

    /// Every phrase the rules react to, with its meanings.
    pub(crate) fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }
}

/// Parses a TOML data file; a syntax or schema error goes to `errors` as `file:line: reason`.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
    errors: &mut Vec<RowError>,
) -> Option<T> {
    match toml::from_str(text) {
        Ok(spec) => Some(spec),
        Err(e) => {
            errors.push(RowError {
                file: file.to_string(),
                line: e.span().map_or(1, |s| line_of(text, s.start)),
                reason: toml_reason(text, &e),
            });
            None
        }
    }
}

/// The reason of a TOML error. toml gives no message for a character it does not expect (a
/// control character in a comment, say), only a span: name the character then.
fn toml_reason(text: &str, e: &toml::de::Error) -> String {
    if !e.message().trim().is_empty() {
        return e.message().to_string();
    }
    let found = e
        .span()
        .and_then(|s| text.get(s.start..))
        .and_then(|rest| rest.chars().next());
    match found {
        Some(c) => format!("invalid TOML: unexpected character {c:?}"),
        None => "invalid TOML".to_string(),
    }
}

/// The line of the first non-blank character at or after `byte` (toml's spans of tables may
/// start on the blank line before the header).
pub(crate) fn line_of(text: &str, byte: usize) -> usize {
    let byte = byte.min(text.len());
    let blank = text[byte..].len() - text[byte..].trim_start().len();
    text[..byte + blank].matches('\n').count() + 1
}
