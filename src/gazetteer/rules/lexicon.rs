//! The rule lexicon: every phrase the rules react to (triggers, markers, titles, clause words,
//! pronouns, cues). Its phrases are compiled into the pipeline's one automaton, after the
//! entity aliases, so that one pass over a document finds both and rule phrases see through
//! spelling variation exactly as entity names do.

use super::format::{Inflection, RuleSpecs};
use crate::text::skeleton;

/// What a lexicon phrase is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Word {
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
    /// A phrase in which a trigger word is no trigger.
    NotTrigger,
    /// Opens the topic of talks: no argument inside it.
    TopicOpener,
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
    /// The writer's own country («کشورمان»).
    Home,
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

/// The lexicon: every phrase with its meaning.
#[derive(Clone, Debug, Default)]
pub(crate) struct Lexicon {
    texts: Vec<String>,
    /// Every meaning, by phrase index.
    pub words: Vec<Word>,
}

impl Lexicon {
    /// The phrases of `specs`.
    pub(crate) fn new(specs: &RuleSpecs) -> Lexicon {
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
        let lists: [(&Vec<String>, Meaning); 16] = [
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
            (&specs.markers.not_triggers, |_| Word::NotTrigger),
            (&specs.clauses.topic_openers, |_| Word::TopicOpener),
            (&specs.clauses.relative, |_| Word::Relative),
            (&specs.clauses.conjunctions, |_| Word::Conjunction),
            (&specs.clauses.title_connectors, |_| Word::TitleConnector),
            (&specs.coref.pronouns, |_| Word::Pronoun),
            (&specs.coref.pairs, |_| Word::Pair),
            (&specs.coref.home, |_| Word::Home),
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

    /// The phrase texts, by phrase index (the index of [`Lexicon::words`]).
    pub(crate) fn texts(&self) -> &[String] {
        &self.texts
    }
}
