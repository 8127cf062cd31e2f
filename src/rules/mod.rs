//! The relation rule layer: rules loaded from `gazetteers/rules/*.toml` turn the mentions of
//! a sentence into relations ("X met with Y", "X supports Z").

use std::sync::Arc;

use crate::gazetteer::EntityIndex;

/// Whether a relation is said to have happened.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Modality {
    /// It happened or holds («دیدار کرد», «پشتیبانی می‌کند»).
    #[default]
    Asserted,
    /// It is announced for the future («دیدار خواهد کرد», «قرار است ... دیدار کند»).
    Planned,
    /// It is possible, wished or required («می‌توانند همکاری کنند»).
    Hypothetical,
}

impl Modality {
    /// `asserted`, `planned` or `hypothetical`.
    pub fn as_str(self) -> &'static str {
        match self {
            Modality::Asserted => "asserted",
            Modality::Planned => "planned",
            Modality::Hypothetical => "hypothetical",
        }
    }
}

/// One relation found in a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relation {
    /// The subject entity.
    pub subject: EntityIndex,
    /// The predicate, e.g. `met_with`.
    pub predicate: Arc<str>,
    /// The object entity.
    pub object: EntityIndex,
    /// The office of a `holds_office` relation (`President`).
    pub role: Option<String>,
    /// Whether the predicate is symmetric (`met_with`, `signed`, ...).
    pub symmetric: bool,
    /// 0-based index of the sentence.
    pub sentence: usize,
    /// Code-point span of the evidence (end exclusive).
    pub start: usize,
    /// See `start`.
    pub end: usize,
    /// Byte span of the same evidence.
    pub byte_start: usize,
    /// See `byte_start`.
    pub byte_end: usize,
    /// Id of the rule that produced it.
    pub rule: Arc<str>,
    /// True when the text denies it («دیدار نکرد»); negated relations stay out of the graph.
    pub negated: bool,
    /// Asserted, planned or hypothetical; only asserted ones are graph edges.
    pub modality: Modality,
}

mod conjugate;
mod engine;
pub mod format;
mod lexicon;

use crate::gazetteer::{DataFiles, GazetteerError, RowError};
use crate::matcher::{Phrase, SkeletonMention};
use crate::text::Normalized;

pub use format::RuleSpecs;

/// The loaded rules and the phrases they react to.
#[derive(Clone, Debug, Default)]
pub struct RuleSet {
    specs: RuleSpecs,
    lexicon: lexicon::Lexicon,
}

impl RuleSet {
    /// Loads every `rules/*.toml` of `files`; fails with every problem as `file:line: reason`.
    pub fn from_files(files: &DataFiles) -> Result<RuleSet, GazetteerError> {
        let mut specs = RuleSpecs::default();
        let mut errors: Vec<RowError> = Vec::new();
        for (name, text) in files.matching("rules/", ".toml") {
            specs.add_file(name, text, &mut errors);
        }
        if !errors.is_empty() {
            return Err(GazetteerError::Invalid(errors));
        }
        Ok(RuleSet::new(specs))
    }

    /// The rule set of loaded specs.
    pub fn new(specs: RuleSpecs) -> RuleSet {
        let lexicon = lexicon::Lexicon::new(&specs);
        RuleSet { specs, lexicon }
    }

    /// The loaded rules and word lists.
    pub fn specs(&self) -> &RuleSpecs {
        &self.specs
    }

    /// The phrases the pipeline's automaton must find for the rules, numbered from
    /// `first_target`.
    pub(crate) fn phrases(&self, first_target: u32) -> impl Iterator<Item = Phrase<'_>> + '_ {
        self.lexicon.phrases(first_target)
    }

    /// The lexicon phrases of a document, from the matches of the rules' target group.
    pub(crate) fn words(
        &self,
        norm: &Normalized,
        matches: &[SkeletonMention],
        pool: &[u32],
        first_target: u32,
    ) -> Vec<lexicon::Found> {
        self.lexicon.found(norm, matches, pool, first_target)
    }
}

#[cfg(test)]
mod tests;
