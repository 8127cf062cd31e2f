//! Gold labels and the `--map` that ties them to newsgraph entity types.

use crate::gazetteer::EntityType;

use super::EvalError;

/// A gold label and the newsgraph types a mention may have to match it.
///
/// For the JSON gold format and for BRAT files written with newsgraph types the label is a
/// contract type name and `types` is that one type; a mapped label (`LOC` under
/// `LOC=COUNTRY|REGION`) matches a mention of any of its types.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Label {
    /// The label as the gold writes it (`COUNTRY`, `LOC`).
    pub name: String,
    /// The types it stands for, in contract order; empty for a label the map leaves out
    /// (such a gold item is not scored).
    pub types: Vec<EntityType>,
}

impl Label {
    /// The label of a contract type: its name, standing for itself.
    pub fn of_type(t: EntityType) -> Label {
        Label {
            name: t.as_str().to_string(),
            types: vec![t],
        }
    }

    /// Whether a mention of type `t` can match an item with this label.
    pub fn accepts(&self, t: EntityType) -> bool {
        self.types.contains(&t)
    }
}

/// Where table rows go: contract types in contract order, then other labels by name.
pub(crate) fn label_rank(name: &str) -> (usize, &str) {
    match EntityType::ALL.iter().position(|t| t.as_str() == name) {
        Some(i) => (i, ""),
        None => (EntityType::ALL.len(), name),
    }
}

/// The `--map` of gold tag names to newsgraph types, e.g.
/// `PER=PERSON,LOC=COUNTRY|REGION,ORG=ORGANIZATION|PARTY`.
///
/// A label the map does not name stands for the contract type of the same name, if there is
/// one (`COUNTRY` is `COUNTRY` without a map); otherwise it is unmapped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TypeMap {
    entries: Vec<Label>,
}

impl TypeMap {
    /// The empty map: only contract type names are known labels.
    pub fn new() -> TypeMap {
        TypeMap::default()
    }

    /// Parses `LABEL=TYPE[|TYPE]...[,LABEL=...]`. Type names are the contract names, in any
    /// case; blanks around names are ignored.
    pub fn parse(spec: &str) -> Result<TypeMap, EvalError> {
        let bad = |reason: String| EvalError::Map {
            spec: spec.to_string(),
            reason,
        };
        let mut entries: Vec<Label> = Vec::new();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (label, types) = part
                .split_once('=')
                .ok_or_else(|| bad(format!("`{part}` is not LABEL=TYPE[|TYPE]")))?;
            let label = label.trim();
            if label.is_empty() {
                return Err(bad(format!("`{part}` has no label")));
            }
            if entries.iter().any(|e| e.name == label) {
                return Err(bad(format!("label `{label}` is mapped twice")));
            }
            let mut parsed = Vec::new();
            for name in types.split('|').map(str::trim) {
                let t = EntityType::parse(&name.to_uppercase()).ok_or_else(|| {
                    bad(format!(
                        "`{name}` is not an entity type (one of {})",
                        EntityType::ALL.map(EntityType::as_str).join(", ")
                    ))
                })?;
                if !parsed.contains(&t) {
                    parsed.push(t);
                }
            }
            parsed.sort();
            entries.push(Label {
                name: label.to_string(),
                types: parsed,
            });
        }
        Ok(TypeMap { entries })
    }

    /// The label `name` resolved through the map, or `None` when neither the map nor the
    /// contract knows it.
    pub fn resolve(&self, name: &str) -> Option<Label> {
        if let Some(entry) = self.entries.iter().find(|e| e.name == name) {
            return Some(entry.clone());
        }
        EntityType::parse(name).map(Label::of_type)
    }

    /// The mapped labels, in the order given.
    pub fn entries(&self) -> &[Label] {
        &self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_maps() {
        use EntityType::*;
        type Entries<'a> = &'a [(&'a str, &'a [EntityType])];
        let cases: &[(&str, Entries)] = &[
            ("", &[]),
            ("PER=PERSON", &[("PER", &[Person])]),
            (
                " PER = person , LOC=REGION|COUNTRY,ORG=ORGANIZATION|PARTY ",
                &[
                    ("PER", &[Person]),
                    ("LOC", &[Country, Region]),
                    ("ORG", &[Party, Organization]),
                ],
            ),
            ("GPE=COUNTRY|COUNTRY", &[("GPE", &[Country])]),
        ];
        for (spec, want) in cases {
            let map = TypeMap::parse(spec).unwrap_or_else(|e| panic!("{spec}: {e}"));
            let got: Vec<(&str, &[EntityType])> = map
                .entries()
                .iter()
                .map(|l| (l.name.as_str(), l.types.as_slice()))
                .collect();
            assert_eq!(&got, want, "{spec}");
        }
    }

    #[test]
    fn rejects_bad_maps() {
        for (spec, needle) in [
            ("PER", "is not LABEL=TYPE"),
            ("=PERSON", "no label"),
            ("PER=HUMAN", "`HUMAN` is not an entity type"),
            ("PER=PERSON,PER=PARTY", "mapped twice"),
            ("LOC=COUNTRY|", "`` is not an entity type"),
        ] {
            let err = TypeMap::parse(spec).expect_err(spec).to_string();
            assert!(err.contains(needle), "{spec}: {err}");
            assert!(err.contains(spec), "{spec}: {err}");
        }
    }

    #[test]
    fn resolves_mapped_contract_and_unknown_labels() {
        let map = TypeMap::parse("LOC=COUNTRY|REGION").unwrap_or_default();
        assert_eq!(
            map.resolve("LOC").map(|l| l.types),
            Some(vec![EntityType::Country, EntityType::Region])
        );
        assert_eq!(
            map.resolve("PARTY"),
            Some(Label::of_type(EntityType::Party))
        );
        assert_eq!(map.resolve("DAT"), None);
    }
}
