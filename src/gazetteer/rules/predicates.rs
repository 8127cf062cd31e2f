//! The predicate table (`rules/predicates.toml`): every predicate's name, symmetry, argument
//! types and the flags the engine, the evaluation and the graph read. No stage names a
//! predicate in code; each asks this table what a predicate means.

use serde::Deserialize;
use toml::Spanned;

use super::{line_of, parse_toml};
use crate::gazetteer::{EntityType, RowError};

/// The file of the table, relative to the gazetteer folder.
pub(crate) const PREDICATES_FILE: &str = "rules/predicates.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSpec {
    #[serde(default)]
    predicate: Vec<Spanned<PredicateSpec>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PredicateSpec {
    name: String,
    #[serde(default)]
    symmetric: bool,
    subject: Vec<String>,
    object: Vec<String>,
    #[serde(default)]
    office: bool,
    #[serde(default)]
    meeting: bool,
    #[serde(default)]
    background: bool,
}

/// One predicate of the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Predicate {
    /// The name written in every output (`met_with`).
    pub name: String,
    /// Subject and object are unordered.
    pub symmetric: bool,
    /// Allowed subject types.
    pub subject: Vec<EntityType>,
    /// Allowed object types.
    pub object: Vec<EntityType>,
    /// It carries a `role` (an office).
    pub office: bool,
    /// Its two people are "the two sides" of later sentences.
    pub meeting: bool,
    /// A gazetteer fact, not a fact of the text.
    pub background: bool,
}

/// The predicate table, in file order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Predicates {
    predicates: Vec<Predicate>,
}

impl Predicates {
    /// Parses the table; problems go to `errors` as `file:line: reason`.
    pub(crate) fn parse(file: &str, text: &str, errors: &mut Vec<RowError>) -> Predicates {
        let error = |line: usize, reason: String| RowError {
            file: file.to_string(),
            line,
            reason,
        };
        let Some(spec) = parse_toml::<FileSpec>(file, text, errors) else {
            return Predicates::default();
        };
        let mut table = Predicates::default();
        for entry in &spec.predicate {
            let line = line_of(text, entry.span().start);
            let p = entry.get_ref();
            let valid_name =
                !p.name.is_empty() && p.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
            if !valid_name {
                errors.push(error(
                    line,
                    format!("predicate name {:?} must be lower_snake_case", p.name),
                ));
                continue;
            }
            if table.get(&p.name).is_some() {
                errors.push(error(line, format!("duplicate predicate {}", p.name)));
                continue;
            }
            let types = |side: &str, names: &[String]| -> Result<Vec<EntityType>, String> {
                if names.is_empty() {
                    return Err(format!("{}: {side} needs at least one type", p.name));
                }
                names
                    .iter()
                    .map(|t| {
                        EntityType::parse(t)
                            .ok_or_else(|| format!("{}: {side}: unknown entity type {t:?}", p.name))
                    })
                    .collect()
            };
            match (types("subject", &p.subject), types("object", &p.object)) {
                (Ok(subject), Ok(object)) => table.predicates.push(Predicate {
                    name: p.name.clone(),
                    symmetric: p.symmetric,
                    subject,
                    object,
                    office: p.office,
                    meeting: p.meeting,
                    background: p.background,
                }),
                (Err(reason), _) | (_, Err(reason)) => errors.push(error(line, reason)),
            }
        }
        table
    }

    /// The predicate named `name`.
    pub fn get(&self, name: &str) -> Option<&Predicate> {
        self.predicates.iter().find(|p| p.name == name)
    }

    /// Every predicate, in table order.
    pub fn iter(&self) -> impl Iterator<Item = &Predicate> + '_ {
        self.predicates.iter()
    }

    /// The position of `name` in the table (reports list predicates in this order); names the
    /// table does not know come after all it knows.
    pub fn order(&self, name: &str) -> usize {
        self.predicates
            .iter()
            .position(|p| p.name == name)
            .unwrap_or(self.predicates.len())
    }

    /// Whether `name` is a symmetric predicate.
    pub fn is_symmetric(&self, name: &str) -> bool {
        self.get(name).is_some_and(|p| p.symmetric)
    }

    /// Whether `name` carries a role.
    pub fn is_office(&self, name: &str) -> bool {
        self.get(name).is_some_and(|p| p.office)
    }

    /// Whether `name` is a meeting whose two people are "the two sides".
    pub fn is_meeting(&self, name: &str) -> bool {
        self.get(name).is_some_and(|p| p.meeting)
    }

    /// Whether `name` is a background fact of the gazetteer.
    pub fn is_background(&self, name: &str) -> bool {
        self.get(name).is_some_and(|p| p.background)
    }

    /// The predicate titles produce: the first office predicate of the table.
    pub fn office(&self) -> Option<&Predicate> {
        self.predicates.iter().find(|p| p.office)
    }

    /// The predicate of the gazetteer's `part_of` column: the first background predicate.
    pub fn background(&self) -> Option<&Predicate> {
        self.predicates.iter().find(|p| p.background)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Predicates, Vec<String>) {
        let mut errors = Vec::new();
        let table = Predicates::parse("rules/predicates.toml", text, &mut errors);
        (table, errors.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn bundled_table_is_valid() {
        let files = crate::gazetteer::DataFiles::embedded();
        let text = files.get(PREDICATES_FILE).unwrap_or_default();
        let (table, errors) = parse(text);
        assert_eq!(errors, Vec::<String>::new());
        assert_eq!(table.order("met_with"), 0);
        assert!(table.is_symmetric("met_with") && table.is_meeting("met_with"));
        assert!(table.is_office("holds_office") && !table.is_symmetric("holds_office"));
        assert_eq!(table.background().map(|p| p.name.as_str()), Some("part_of"));
    }

    #[test]
    fn bad_entries_name_file_and_line() {
        let text = "[[predicate]]\nname = \"met_with\"\nsubject = [\"PERSON\"]\nobject = [\"PERSON\"]\n\n[[predicate]]\nname = \"Met\"\nsubject = [\"PERSON\"]\nobject = [\"PERSON\"]\n\n[[predicate]]\nname = \"x\"\nsubject = [\"HUMAN\"]\nobject = [\"PERSON\"]\n\n[[predicate]]\nname = \"met_with\"\nsubject = [\"PERSON\"]\nobject = []\n";
        let (table, errors) = parse(text);
        assert_eq!(
            errors,
            [
                "rules/predicates.toml:6: predicate name \"Met\" must be lower_snake_case",
                "rules/predicates.toml:11: x: subject: unknown entity type \"HUMAN\"",
                "rules/predicates.toml:16: duplicate predicate met_with",
            ]
        );
        assert_eq!(table.iter().count(), 1);
    }
}
