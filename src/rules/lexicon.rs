//! The rule lexicon: every phrase the rules react to (triggers, markers, titles, clause words,
//! pronouns, cues), compiled into one [`Matcher`] so that it sees through spelling variation
//! exactly as entity matching does.

use std::ops::Range;

use crate::gazetteer::{AliasKind, Morphology, Origin};
use crate::matcher::{MatchScratch, Matcher, MatcherError, Phrase, SkeletonMention};
use crate::text::Normalized;

use super::format::{Inflection, RuleSpecs};

/// What a lexicon phrase is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Word {
    /// A trigger form of rule `rule`.
    Trigger {
        /// Index of the rule.
        rule: usize,
        /// Negated form.
        negated: bool,
        /// Its inflection.
        inflection: Inflection,
    },
    /// A marker word standing before its argument; the text is normalized.
    Preposition(String),
    /// A marker word standing after its argument; the text is normalized.
    Postposition(String),
    /// A phrase in which a marker word is not a marker.
    NotMarker,
    /// Opens a relative clause.
    Relative,
    /// Opens a new clause (the colon of reported speech).
    Opener,
    /// May stand between the items of a list.
    ListJoiner,
    /// A clause conjunction.
    Conjunction,
    /// Connects the titles of one person.
    TitleConnector,
    /// A personal pronoun.
    Pronoun,
    /// A reference to the two parties of the last meeting.
    Pair,
    /// Makes a subjunctive trigger planned.
    PlannedCue,
    /// Makes a subjunctive trigger hypothetical.
    HypotheticalCue,
    /// A title: index into the title list.
    Title(usize),
    /// A phrase some rule requires: its normalized text.
    Required(String),
}

/// A lexicon phrase found in a document: original byte span and every meaning it has.
#[derive(Clone, Debug)]
pub struct Found {
    /// Original byte span.
    pub span: Range<usize>,
    /// Indexes into [`Lexicon::words`].
    pub words: Vec<usize>,
}

/// The compiled lexicon.
#[derive(Clone, Debug)]
pub struct Lexicon {
    matcher: Matcher,
    /// Every meaning, by target index.
    pub words: Vec<Word>,
}

fn skeleton(text: &str) -> String {
    Normalized::new(text).skeleton().to_string()
}

impl Lexicon {
    /// Compiles the phrases of `specs`.
    pub fn new(specs: &RuleSpecs, morphology: &Morphology) -> Result<Lexicon, MatcherError> {
        let mut entries: Vec<(String, Word)> = Vec::new();
        for (i, rule) in specs.rules.iter().enumerate() {
            for form in &rule.triggers {
                entries.push((
                    form.text.clone(),
                    Word::Trigger {
                        rule: i,
                        negated: form.negated,
                        inflection: form.inflection,
                    },
                ));
            }
            for required in &rule.requires {
                entries.push((required.clone(), Word::Required(skeleton(required))));
            }
        }
        type Meaning = fn(&str) -> Word;
        let lists: [(&Vec<String>, Meaning); 12] = [
            (&specs.clauses.list_joiners, |_| Word::ListJoiner),
            (&specs.clauses.openers, |_| Word::Opener),
            (&specs.markers.prepositions, |t| {
                Word::Preposition(skeleton(t))
            }),
            (&specs.markers.postpositions, |t| {
                Word::Postposition(skeleton(t))
            }),
            (&specs.markers.not_markers, |_| Word::NotMarker),
            (&specs.clauses.relative, |_| Word::Relative),
            (&specs.clauses.conjunctions, |_| Word::Conjunction),
            (&specs.clauses.title_connectors, |_| Word::TitleConnector),
            (&specs.coref.pronouns, |_| Word::Pronoun),
            (&specs.coref.pairs, |_| Word::Pair),
            (&specs.modality.planned, |_| Word::PlannedCue),
            (&specs.modality.hypothetical, |_| Word::HypotheticalCue),
        ];
        for (list, word) in lists {
            entries.extend(list.iter().map(|t| (t.clone(), word(t))));
        }
        for (i, title) in specs.titles.iter().enumerate() {
            entries.extend(title.phrases.iter().map(|p| (p.clone(), Word::Title(i))));
        }
        let phrases = entries.iter().enumerate().map(|(i, (text, _))| Phrase {
            text,
            target: i as u32,
            kind: AliasKind::Alias,
            origin: Origin::Gazetteer,
        });
        let matcher = Matcher::from_phrases(phrases, morphology)?;
        Ok(Lexicon {
            matcher,
            words: entries.into_iter().map(|(_, w)| w).collect(),
        })
    }

    /// Finds the lexicon phrases of a normalized document (longest match wins; phrases nested
    /// in a longer one are ignored), in text order.
    pub fn find(&self, norm: &Normalized, scratch: &mut MatchScratch) -> Vec<Found> {
        let mut found = Vec::new();
        let mut pool = Vec::new();
        self.matcher.find(norm, scratch, &mut found, &mut pool);
        found
            .into_iter()
            .filter(|m: &SkeletonMention| !m.nested)
            .map(|m| Found {
                span: norm.original_range(m.span.clone()),
                words: pool[m.candidates.start as usize..m.candidates.end as usize]
                    .iter()
                    .map(|&w| w as usize)
                    .collect(),
            })
            .collect()
    }
}
