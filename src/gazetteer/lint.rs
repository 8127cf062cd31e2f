//! `newsgraph gazetteer lint`: problems a reviewer should see before a gazetteer change lands.

use std::collections::BTreeMap;

use super::{AliasKind, DataFiles, Gazetteer, GazetteerBuilder, RowError};
use crate::text::Normalized;

/// One lint finding, located at a file and line.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// The file, relative to the gazetteer folder.
    pub file: String,
    /// The 1-based line.
    pub line: usize,
    /// A short stable code, e.g. `invalid-row`, `ambiguous-alias`.
    pub code: &'static str,
    /// What is wrong, for a human.
    pub message: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.file, self.line, self.code, self.message
        )
    }
}

/// Lints the gazetteer files: every invalid row (including duplicate ids), and every
/// normalized alias shared by different entities. Findings are sorted by file and line.
pub fn lint(files: &DataFiles) -> Vec<Finding> {
    let mut builder = GazetteerBuilder::new();
    builder.add_files(files);
    let (gazetteer, errors) = builder.build_lenient();
    let mut findings: Vec<Finding> = errors.into_iter().map(invalid_row).collect();
    findings.extend(ambiguous_aliases(&gazetteer));
    findings.sort();
    findings
}

fn invalid_row(e: RowError) -> Finding {
    let code = if e.reason.starts_with("duplicate id") {
        "duplicate-id"
    } else {
        "invalid-row"
    };
    Finding {
        file: e.file,
        line: e.line,
        code,
        message: e.reason,
    }
}

/// Aliases whose normalized forms are equal but belong to different entities. Short forms are
/// left out: they only match after their own entity's full name.
pub fn ambiguous_aliases(gazetteer: &Gazetteer) -> Vec<Finding> {
    let mut by_key: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    for (e, entity) in gazetteer.entities().iter().enumerate() {
        for (a, alias) in entity.aliases.iter().enumerate() {
            if alias.kind == AliasKind::Short {
                continue;
            }
            let key = Normalized::new(&alias.text).skeleton().to_string();
            let owners = by_key.entry(key).or_default();
            if !owners.iter().any(|&(oe, _)| oe == e) {
                owners.push((e, a));
            }
        }
    }
    let mut findings = Vec::new();
    for (key, owners) in by_key.into_iter().filter(|(_, o)| o.len() > 1) {
        let list = owners
            .iter()
            .map(|&(e, a)| {
                let entity = &gazetteer.entities()[e];
                let alias = &entity.aliases[a];
                format!(
                    "{} «{}» ({}:{})",
                    entity.id, alias.text, alias.file, alias.line
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let (e, a) = owners[0];
        let alias = &gazetteer.entities()[e].aliases[a];
        findings.push(Finding {
            file: alias.file.clone(),
            line: alias.line,
            code: "ambiguous-alias",
            message: format!(
                "normalized alias «{key}» names {} entities: {list}",
                owners.len()
            ),
        });
    }
    findings
}
