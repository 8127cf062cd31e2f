/*!
newsgraph finds the people, parties, countries, organizations and initiatives named in news
text (Persian first, English too) with gazetteers, and reports every mention with exact
offsets into the original text.

# Overview

The primary types are:

- [`Pipeline`]: the compiled gazetteers (one Aho-Corasick automaton over every normalized
  alias). Build it once, share it across threads; it is `Send + Sync`.
- [`Document`]: one input text with its id and optional publication date and language.
- [`Extraction`]: what a pipeline found in one document: its sentences and its [`Mention`]s.
- [`Gazetteer`](gazetteer::Gazetteer): the entities, loaded and validated from the files
  under `gazetteers/` (embedded in the binary by default).

Matching never changes the text it reports: it runs on a normalized copy (see [`text`]) that
folds Arabic and Persian letter forms, diacritics, tatweel, digits, case, and the ZWNJ, space
or nothing that Persian writers put between the parts of a word; every mention maps back to
the original text in code points and bytes.

# Example

```
use newsgraph::{Document, Pipeline};

let pipeline = Pipeline::embedded()?;
// Arabic yeh and kaf, a missing ZWNJ, and a final copula: still China and Cuba.
let doc = Document::new("d1", "روابط بينالمللي چين و كوباست.");
let extraction = pipeline.extract(&doc);

let found: Vec<(&str, &str)> = extraction
    .mentions
    .iter()
    .map(|m| (m.text(&doc), pipeline.entity(m).id.as_str()))
    .collect();
assert_eq!(found, [("چين", "country:CN"), ("كوبا", "country:CU")]);

// Offsets point into the original text, in code points and in bytes.
let cuba = &extraction.mentions[1];
assert_eq!(doc.text.chars().skip(cuba.start).take(cuba.end - cuba.start).collect::<String>(), "كوبا");
assert_eq!(&doc.text[cuba.byte_start..cuba.byte_end], "كوبا");
# Ok::<(), newsgraph::Error>(())
```

Words that merely contain an alias are not mentions, and demonyms are adjectives, not the
country:

```
use newsgraph::{Document, Pipeline};

let pipeline = Pipeline::embedded()?;
let doc = Document::new("d2", "پیشبرد مدرنیزاسیون به سبک چینی");
assert!(pipeline.extract(&doc).mentions.is_empty());
# Ok::<(), newsgraph::Error>(())
```
*/

#![deny(missing_docs)]

pub mod corpus;
pub mod eval;
pub mod export;
pub mod gazetteer;
pub mod graph;
pub mod input;
pub mod matcher;
pub mod rules;
pub mod text;

#[cfg(test)]
mod tests;

use std::ops::Range;

use gazetteer::{DataFiles, Entity, EntityIndex, Gazetteer, GazetteerBuilder, GazetteerError};
use matcher::{MatchScratch, Matcher, MatcherError, SkeletonMention, Via};
use rules::RuleSet;
use text::Normalized;

/// Why a pipeline could not be built.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The gazetteer files are invalid (every bad row is listed as `file:line: reason`).
    #[error(transparent)]
    Gazetteer(#[from] GazetteerError),
    /// The alias automaton could not be built.
    #[error(transparent)]
    Matcher(#[from] MatcherError),
}

/// One input document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Document {
    /// The document id (a `.txt` file's stem, or a JSONL line's `id`).
    pub id: String,
    /// The original text, exactly as read.
    pub text: String,
    /// The publication date as given by the input, if any.
    pub published: Option<String>,
    /// The language code as given by the input, if any.
    pub lang: Option<String>,
}

impl Document {
    /// A document with no publication date or language.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Document {
        Document {
            id: id.into(),
            text: text.into(),
            published: None,
            lang: None,
        }
    }
}

/// One mention of an entity in a document.
///
/// `start..end` are Unicode code-point offsets into [`Document::text`] and
/// `byte_start..byte_end` the UTF-8 byte offsets of the same span (end exclusive); the span
/// starts and ends on character boundaries, and [`Mention::text`] is exactly that slice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// Code-point offset of the first character.
    pub start: usize,
    /// Code-point offset just past the last character.
    pub end: usize,
    /// Byte offset of the first character.
    pub byte_start: usize,
    /// Byte offset just past the last character.
    pub byte_end: usize,
    /// The entity (the best candidate when the alias is ambiguous).
    pub entity: EntityIndex,
    /// How it was found.
    pub via: Via,
    /// True for a mention inside a longer one (China in Communist Party of China).
    pub nested: bool,
    /// The 0-based index of the sentence it stands in.
    pub sentence: usize,
    pub(crate) candidates: Range<u32>,
}

impl Mention {
    /// The mention's text: the original slice, unchanged.
    pub fn text<'d>(&self, doc: &'d Document) -> &'d str {
        &doc.text[self.byte_start..self.byte_end]
    }
}

/// What a [`Pipeline`] found in one document.
#[derive(Clone, Debug, Default)]
pub struct Extraction {
    /// Sentence byte ranges of the original text, in order.
    pub sentences: Vec<Range<usize>>,
    /// Mentions sorted by start, a longer mention before those nested in it.
    pub mentions: Vec<Mention>,
    /// Relations found by the rules, in sentence order.
    pub relations: Vec<rules::Relation>,
    /// The number of code points in the document.
    pub chars: usize,
    pub(crate) candidate_pool: Vec<u32>,
}

impl Extraction {
    /// Every entity a mention's alias names, best first: more than one only for an ambiguous
    /// alias, which the rule layer resolves by context.
    pub fn candidates(&self, mention: &Mention) -> impl ExactSizeIterator<Item = EntityIndex> + '_ {
        self.candidate_pool[mention.candidates.start as usize..mention.candidates.end as usize]
            .iter()
            .map(|&i| EntityIndex(i))
    }
}

/// Whether a mention of type `inner` nested in a name of type `outer` is a mention in its own
/// right. An institution's name refers to the place or person it belongs to («حزب کمونیست
/// چین» names China), and an organization's name to the organization it is an organ of
/// («شورای امنیت سازمان ملل»); a person's, country's or region's name is one name («آمریکا»
/// in «آمریکای لاتین», «سودان» in «سودان جنوبی», "Israel" in "Israel Katz"), and so is a
/// party's or an event's name that contains another of its kind.
fn keeps_nested(outer: gazetteer::EntityType, inner: gazetteer::EntityType) -> bool {
    use gazetteer::EntityType::*;
    !matches!(outer, Person | Country | Region) && (outer != inner || outer == Organization)
}

/// Reusable per-thread buffers for [`Pipeline::extract_with`].
#[derive(Debug, Default)]
pub struct Scratch {
    normalized: Normalized,
    matches: MatchScratch,
    skeleton_mentions: Vec<SkeletonMention>,
    rule_matches: Vec<SkeletonMention>,
    rule_pool: Vec<u32>,
}

/// The compiled gazetteers and rules: what turns documents into extractions.
///
/// Entity aliases and rule phrases are compiled into one automaton (entity targets first,
/// rule phrases after them), so a document is scanned once.
#[derive(Clone, Debug)]
pub struct Pipeline {
    gazetteer: Gazetteer,
    matcher: Matcher,
    rules: RuleSet,
}

impl Pipeline {
    /// The pipeline of the gazetteers and rules built into the binary.
    pub fn embedded() -> Result<Pipeline, Error> {
        Pipeline::from_files(&DataFiles::embedded(), &[])
    }

    /// A pipeline for `gazetteer` and `rules`.
    pub fn new(gazetteer: Gazetteer, rules: RuleSet) -> Result<Pipeline, Error> {
        let phrases =
            Matcher::entity_phrases(&gazetteer).chain(rules.phrases(gazetteer.len() as u32));
        let matcher = Matcher::from_phrases(phrases, gazetteer.morphology())?;
        Ok(Pipeline {
            gazetteer,
            matcher,
            rules,
        })
    }

    /// A pipeline for the gazetteer and rule files `files`, plus spaCy phrase patterns given
    /// as `(file name, contents)` pairs.
    pub fn from_files(files: &DataFiles, patterns: &[(String, String)]) -> Result<Pipeline, Error> {
        let mut builder = GazetteerBuilder::new();
        builder.add_files(files);
        for (name, text) in patterns {
            builder.add_spacy_patterns(name, text);
        }
        let gazetteer = builder.build()?;
        let rules = RuleSet::from_files(files)?;
        Pipeline::new(gazetteer, rules)
    }

    /// The rules the pipeline applies.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// The gazetteer the pipeline matches.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// The entity a mention names.
    pub fn entity(&self, mention: &Mention) -> &Entity {
        self.gazetteer.entity(mention.entity)
    }

    /// Extracts the mentions of `doc`.
    pub fn extract(&self, doc: &Document) -> Extraction {
        self.extract_with(doc, &mut Scratch::default())
    }

    /// Like [`Pipeline::extract`], reusing `scratch`'s buffers (one per thread).
    pub fn extract_with(&self, doc: &Document, scratch: &mut Scratch) -> Extraction {
        let text = doc.text.as_str();
        scratch.normalized.reset(text);
        scratch.skeleton_mentions.clear();
        let mut extraction = Extraction {
            sentences: text::sentences(text),
            ..Extraction::default()
        };
        // One pass of the automaton; entity names and rule phrases are then chosen apart, as
        // a rule phrase may overlap a name («رئیس جمهوری» and «جمهوری خلق چین»).
        let entities = self.gazetteer.len() as u32;
        self.matcher.scan(&scratch.normalized, &mut scratch.matches);
        self.matcher.select(
            &mut scratch.matches,
            0..entities,
            &mut scratch.skeleton_mentions,
            &mut extraction.candidate_pool,
        );
        extraction.mentions.reserve(scratch.skeleton_mentions.len());
        // Starts are increasing, so one forward walk counts code points up to each start.
        let mut counted_bytes = 0;
        let mut counted_chars = 0;
        // The type of the top-level mention the following nested ones stand in.
        let mut container = None;
        for m in &scratch.skeleton_mentions {
            let entity_type = self.gazetteer.entity(EntityIndex(m.target)).entity_type;
            if !m.nested {
                container = Some(entity_type);
            } else if !container.is_some_and(|c| keeps_nested(c, entity_type)) {
                continue;
            }
            let bytes = scratch.normalized.original_range(m.span.clone());
            counted_chars += text[counted_bytes..bytes.start].chars().count();
            counted_bytes = bytes.start;
            let start = counted_chars;
            let end = start + text[bytes.clone()].chars().count();
            let sentence = extraction
                .sentences
                .partition_point(|s| s.end <= bytes.start)
                .min(extraction.sentences.len().saturating_sub(1));
            extraction.mentions.push(Mention {
                start,
                end,
                byte_start: bytes.start,
                byte_end: bytes.end,
                entity: EntityIndex(m.target),
                via: m.via,
                nested: m.nested,
                sentence,
                candidates: m.candidates.clone(),
            });
        }
        extraction.chars = counted_chars + text[counted_bytes..].chars().count();
        scratch.rule_matches.clear();
        scratch.rule_pool.clear();
        self.matcher.select(
            &mut scratch.matches,
            entities..u32::MAX,
            &mut scratch.rule_matches,
            &mut scratch.rule_pool,
        );
        let words = self.rules.words(
            &scratch.normalized,
            &scratch.rule_matches,
            &scratch.rule_pool,
            entities,
        );
        self.rules
            .apply(&self.gazetteer, doc, words, &mut extraction);
        extraction
    }
}
