//! The document model every stage reads: the input [`Document`], the [`Mention`]s and
//! [`Relation`]s found in it, and the one byte↔code-point index a document needs.

use std::ops::Range;
use std::sync::Arc;

use crate::gazetteer::{Entity, EntityIndex, Gazetteer};

/// The entities of one document: the gazetteer's, then those discovered in the document.
#[derive(Clone, Copy, Debug)]
pub struct Entities<'a> {
    gazetteer: &'a Gazetteer,
    local: &'a [Entity],
}

impl<'a> Entities<'a> {
    /// The view of `gazetteer` and the document's discovered entities `local`.
    pub fn new(gazetteer: &'a Gazetteer, local: &'a [Entity]) -> Entities<'a> {
        Entities { gazetteer, local }
    }

    /// The entity at `index`.
    ///
    /// # Panics
    ///
    /// When `index` belongs to another gazetteer or document.
    pub fn entity(&self, index: EntityIndex) -> &'a Entity {
        let n = self.gazetteer.len();
        match index.as_usize().checked_sub(n) {
            None => self.gazetteer.entity(index),
            Some(local) => &self.local[local],
        }
    }

    /// The gazetteer.
    pub fn gazetteer(&self) -> &'a Gazetteer {
        self.gazetteer
    }
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

    /// The year of the publication date (`2022-11-25` → 2022), when it has one.
    pub fn year(&self) -> Option<i32> {
        self.published
            .as_deref()
            .and_then(|p| p.get(..4))
            .and_then(|y| y.parse().ok())
    }
}

/// How a mention was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Via {
    /// A name or alias of a gazetteer file.
    Gazetteer,
    /// A pattern of a spaCy pattern file (`--patterns`).
    Pattern,
    /// A short form, pronoun, title or «دو طرف» resolved to an entity of the document.
    Coref,
    /// A name of a name lexicon (people, places), without curated metadata.
    Lexicon,
    /// A name the gazetteer lacks, found by a discovery pattern (`gazetteers/patterns/`).
    Discovered,
    /// A body named by a head and a country («وزارت خارجه روسیه», `gazetteers/composed/`).
    Composed,
}

impl Via {
    /// Every value, in the contract's order.
    pub const ALL: [Via; 6] = [
        Via::Gazetteer,
        Via::Pattern,
        Via::Lexicon,
        Via::Composed,
        Via::Discovered,
        Via::Coref,
    ];

    /// The contract name: `gazetteer`, `pattern`, `coref`, `lexicon`, `discovered` or
    /// `composed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Gazetteer => "gazetteer",
            Via::Pattern => "pattern",
            Via::Coref => "coref",
            Via::Lexicon => "lexicon",
            Via::Discovered => "discovered",
            Via::Composed => "composed",
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
    /// For `via: discovered`: the index of the discovery pattern that found it (see
    /// [`Gazetteer::discovery`](crate::Gazetteer::discovery)).
    pub pattern: Option<u16>,
    pub(crate) candidates: Range<u32>,
    /// A demonym that denotes its country («مقامات آمریکایی»): a mention, not a name.
    pub(crate) demonym: bool,
    /// See [`Mention::is_short_form`].
    pub(crate) short_form: bool,
}

impl Mention {
    /// The mention's text: the original slice, unchanged.
    pub fn text<'d>(&self, doc: &'d Document) -> &'d str {
        &doc.text[self.byte_start..self.byte_end]
    }

    pub(crate) fn bytes(&self) -> Range<usize> {
        self.byte_start..self.byte_end
    }

    /// Whether the mention is a demonym that denotes its country («مقامات آمریکایی»): a
    /// mention of the country, but no name (`suffixes.tsv`, `state_nouns.txt`).
    pub fn is_demonym(&self) -> bool {
        self.demonym
    }

    /// Whether this `via: coref` mention is a name: a short form or a surname alone that
    /// stands for a name earlier in the document («لاوروف» after «سرگئی لاوروف»), not a
    /// pronoun, a title or «دو طرف». Annotators tag such a name as a name.
    pub fn is_short_form(&self) -> bool {
        self.short_form
    }
}

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
    /// The office of an office predicate (`holds_office`: `President`).
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
    /// How it took place, when the rule says (`phone`: «گفت‌وگوی تلفنی»).
    pub channel: Option<Arc<str>>,
}

impl Relation {
    /// Whether the relation is a graph edge: asserted and not negated.
    pub fn is_fact(&self) -> bool {
        !self.negated && self.modality == Modality::Asserted
    }
}

/// What a [`Pipeline`](crate::Pipeline) found in one document.
#[derive(Clone, Debug, Default)]
pub struct Extraction {
    /// Sentence byte ranges of the original text, in order.
    pub sentences: Vec<Range<usize>>,
    /// Mentions sorted by start, a longer mention before those nested in it.
    pub mentions: Vec<Mention>,
    /// Relations found by the rules, in sentence order.
    pub relations: Vec<Relation>,
    /// The number of code points in the document.
    pub chars: usize,
    /// Entities found by discovery patterns, which the gazetteer lacks: their indexes follow
    /// the gazetteer's (see [`Extraction::entity`]).
    pub discovered: Vec<Entity>,
    pub(crate) candidate_pool: Vec<u32>,
}

impl Extraction {
    /// The entity `index` names: a gazetteer entity, or one discovered in this document.
    pub fn entity<'a>(&'a self, gazetteer: &'a Gazetteer, index: EntityIndex) -> &'a Entity {
        Entities::new(gazetteer, &self.discovered).entity(index)
    }

    /// Every entity a mention's alias names, best first: more than one only for an ambiguous
    /// alias, which the resolve stage decides by context.
    pub fn candidates(&self, mention: &Mention) -> impl ExactSizeIterator<Item = EntityIndex> + '_ {
        self.candidate_pool[mention.candidates.start as usize..mention.candidates.end as usize]
            .iter()
            .map(|&i| EntityIndex(i))
    }
}

/// Code-point offsets of byte offsets of one text, built once per document.
///
/// Stages work in bytes; the output speaks code points too. Counting from the start of the
/// text for every span would make a long document quadratic, so the index keeps the
/// code-point count at every 64th byte and counts at most 63 bytes per lookup.
#[derive(Clone, Debug, Default)]
pub(crate) struct CharIndex {
    /// Code points before byte `i * STRIDE` (clamped to a char boundary before it).
    checkpoints: Vec<u32>,
}

const STRIDE: usize = 64;

impl CharIndex {
    pub(crate) fn new(text: &str) -> CharIndex {
        let mut checkpoints = Vec::with_capacity(text.len() / STRIDE + 1);
        let mut chars = 0u32;
        let bytes = text.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if i % STRIDE == 0 {
                checkpoints.push(chars);
            }
            // A UTF-8 continuation byte starts no character.
            if b & 0xC0 != 0x80 {
                chars += 1;
            }
        }
        checkpoints.push(chars);
        CharIndex { checkpoints }
    }

    /// The code points before byte offset `byte` (a char boundary) of `text`.
    pub(crate) fn chars_before(&self, text: &str, byte: usize) -> usize {
        let block = byte / STRIDE;
        let base = self.checkpoints[block.min(self.checkpoints.len() - 1)] as usize;
        let from = block * STRIDE;
        crate::ops::tick(byte - from.min(byte));
        base + text.as_bytes()[from.min(byte)..byte]
            .iter()
            .filter(|&&b| b & 0xC0 != 0x80)
            .count()
    }

    /// The code-point span of the byte span `bytes`.
    pub(crate) fn span(&self, text: &str, bytes: &Range<usize>) -> Range<usize> {
        self.chars_before(text, bytes.start)..self.chars_before(text, bytes.end)
    }

    /// The number of code points of the whole text.
    pub(crate) fn len(&self) -> usize {
        self.checkpoints.last().copied().unwrap_or(0) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_index_agrees_with_counting() {
        let text = "روابط بين‌المللي 🇨🇳 China, Díaz-Canel ".repeat(9);
        let index = CharIndex::new(&text);
        for (byte, _) in text.char_indices().chain([(text.len(), ' ')]) {
            assert_eq!(
                index.chars_before(&text, byte),
                text[..byte].chars().count()
            );
        }
        assert_eq!(index.len(), text.chars().count());
        assert_eq!(CharIndex::new("").len(), 0);
    }
}
