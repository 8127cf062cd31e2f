//! The rule lexicon: every phrase the rules react to (triggers, markers, titles, clause words,
//! pronouns, cues). Its phrases are compiled into the pipeline's one automaton, after the
//! entity aliases, so that one pass over a document finds both and rule phrases see through
//! spelling variation exactly as entity names do.

use std::ops::Range;

use crate::gazetteer::{AliasKind, Origin};
use crate::matcher::{Phrase, SkeletonMention};
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
    /// Right after a nominal trigger, dates it in the past.
    PastCue,
    /// A title: index into the title list.
    Title(usize),
    /// A phrase rule `.0` requires.
    Required(usize),
}

/// A lexicon phrase found in a document: original byte span and every meaning it has.
#[derive(Clone, Debug)]
pub struct Found {
    /// Original byte span.
    pub span: Range<usize>,
    /// Indexes into [`Lexicon::words`].
    pub words: Vec<usize>,
}

/// The lexicon: every phrase with its meaning.
#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    texts: Vec<String>,
    /// Every meaning, by phrase index.
    pub words: Vec<Word>,
}

fn skeleton(text: &str) -> String {
    Normalized::new(text).skeleton().to_string()
}

impl Lexicon {
    /// The phrases of `specs`.
    pub fn new(specs: &RuleSpecs) -> Lexicon {
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
                entries.push((required.clone(), Word::Required(i)));
            }
        }
        type Meaning = fn(&str) -> Word;
        let lists: [(&Vec<String>, Meaning); 13] = [
            (&specs.modality.past, |_| Word::PastCue),
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
        let (texts, words) = entries.into_iter().unzip();
        Lexicon { texts, words }
    }

    /// The phrases to compile, their targets numbered from `first_target`.
    pub fn phrases(&self, first_target: u32) -> impl Iterator<Item = Phrase<'_>> + '_ {
        self.texts.iter().enumerate().map(move |(i, text)| Phrase {
            text,
            target: first_target + i as u32,
            kind: AliasKind::Alias,
            origin: Origin::Gazetteer,
        })
    }

    /// The lexicon phrases of a document from the matches of its target group (targets
    /// numbered from `first_target`); phrases nested in a longer one are ignored. In text
    /// order.
    pub fn found(
        &self,
        norm: &Normalized,
        matches: &[SkeletonMention],
        pool: &[u32],
        first_target: u32,
    ) -> Vec<Found> {
        matches
            .iter()
            .filter(|m| !m.nested)
            .map(|m| Found {
                span: norm.original_range(m.span.clone()),
                words: pool[m.candidates.start as usize..m.candidates.end as usize]
                    .iter()
                    .map(|&w| (w - first_target) as usize)
                    .collect(),
            })
            .collect()
    }
}
