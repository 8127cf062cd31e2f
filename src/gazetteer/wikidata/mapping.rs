//! `wikidata/types.tsv`: which P31 ("instance of") classes the import keeps, as which type.

use std::collections::HashMap;

use super::super::entities::read_tsv;
use super::super::{EntityType, RowError};
use super::parse_qid;

/// What an item of a listed class becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An entity row of this type.
    Entity(EntityType),
    /// An office (`President of the United States`): never written, remembered so that P39
    /// "position held" can become an `offices` item.
    Position,
}

/// The parsed mapping: class QID to its row (priority: the row index) and kind.
#[derive(Clone, Debug, Default)]
pub(crate) struct Mapping {
    by_class: HashMap<u64, (usize, Kind)>,
}

impl Mapping {
    /// Parses the mapping file; every invalid row is pushed to `errors`.
    pub(crate) fn parse(file: &str, text: &str, errors: &mut Vec<RowError>) -> Mapping {
        let mut by_class: HashMap<u64, (usize, Kind)> = HashMap::new();
        let mut first_line: HashMap<u64, usize> = HashMap::new();
        read_tsv(
            file,
            text,
            &["qid", "type"],
            &["label", "note"],
            errors,
            |line, columns, record| {
                let qid_text = columns.get(record, "qid");
                let qid = parse_qid(qid_text).ok_or_else(|| {
                    format!("qid {qid_text:?} is not a QID (Q followed by digits)")
                })?;
                let type_name = columns.get(record, "type");
                let kind = match type_name {
                    "POSITION" => Kind::Position,
                    name => Kind::Entity(EntityType::parse(name).ok_or_else(|| {
                        format!(
                            "unknown type {name:?} (known: {}, POSITION)",
                            EntityType::ALL.map(EntityType::as_str).join(", ")
                        )
                    })?),
                };
                if let Some(first) = first_line.get(&qid) {
                    return Err(format!(
                        "{qid_text} is listed twice (first at line {first})"
                    ));
                }
                first_line.insert(qid, line);
                let priority = by_class.len();
                by_class.insert(qid, (priority, kind));
                Ok(())
            },
        );
        Mapping { by_class }
    }

    /// The kind of an item with these P31 values: that of the listed class nearest the top of
    /// the file, or `None` when no value is listed.
    pub(crate) fn classify(&self, classes: impl IntoIterator<Item = u64>) -> Option<Kind> {
        classes
            .into_iter()
            .filter_map(|c| self.by_class.get(&c))
            .min_by_key(|(priority, _)| *priority)
            .map(|(_, kind)| *kind)
    }

    /// How many classes are listed.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.by_class.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priority_is_file_order() {
        let mut errors = Vec::new();
        let m = Mapping::parse(
            "wikidata/types.tsv",
            "qid\ttype\tlabel\nQ7278\tPARTY\tparty\nQ43229\tORGANIZATION\torg\nQ4164871\tPOSITION\tposition\n",
            &mut errors,
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(m.len(), 3);
        assert_eq!(
            m.classify([43229, 7278]),
            Some(Kind::Entity(EntityType::Party))
        );
        assert_eq!(
            m.classify([1, 43229]),
            Some(Kind::Entity(EntityType::Organization))
        );
        assert_eq!(m.classify([4164871]), Some(Kind::Position));
        assert_eq!(m.classify([1, 2]), None);
    }

    #[test]
    fn bad_rows_name_file_and_line() {
        let mut errors = Vec::new();
        Mapping::parse(
            "wikidata/types.tsv",
            "# comment\nqid\ttype\tlabel\nQ5\tPERSON\thuman\nX5\tPERSON\tbad qid\nQ6\tPEOPLE\tbad type\nQ5\tPERSON\tagain\nQ7\tPERSON\n",
            &mut errors,
        );
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "wikidata/types.tsv:4: qid \"X5\" is not a QID (Q followed by digits)",
                "wikidata/types.tsv:5: unknown type \"PEOPLE\" (known: PERSON, PARTY, COUNTRY, REGION, CITY, ORGANIZATION, INITIATIVE, EVENT, PRINCIPLE, DOCUMENT, POSITION)",
                "wikidata/types.tsv:6: Q5 is listed twice (first at line 3)",
                "wikidata/types.tsv:7: expected 3 tab-separated cells as in the header, found 2",
            ]
        );
    }

    #[test]
    fn bundled_mapping_is_valid() {
        let files = crate::gazetteer::DataFiles::embedded();
        let text = files
            .get(super::super::TYPES_FILE)
            .expect("bundled mapping");
        let mut errors = Vec::new();
        let m = Mapping::parse(super::super::TYPES_FILE, text, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(m.classify([5]), Some(Kind::Entity(EntityType::Person)));
        assert_eq!(m.classify([6256]), Some(Kind::Entity(EntityType::Country)));
        assert_eq!(
            m.classify([3624078]),
            Some(Kind::Entity(EntityType::Country))
        );
        assert_eq!(m.classify([7278]), Some(Kind::Entity(EntityType::Party)));
        assert_eq!(
            m.classify([43229]),
            Some(Kind::Entity(EntityType::Organization))
        );
        assert_eq!(m.classify([515]), Some(Kind::Entity(EntityType::City)));
        assert_eq!(m.classify([1549591]), Some(Kind::Entity(EntityType::City)));
    }
}
