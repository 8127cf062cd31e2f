//! The scan stage: one Aho-Corasick automaton over every normalized alias and rule phrase,
//! and one pass of it over a document's skeleton.
//!
//! Phrases come in two [`Group`]s: entity aliases (targets are entity indexes) and rule
//! phrases (targets are indexes of the rule lexicon). They are compiled together so a
//! document is scanned once, and reported apart, as [`Hits`], so later stages never confuse
//! a trigger with a name. The pass is an overlapping search: every occurrence of every
//! phrase is reported, so no valid match can hide behind a longer invalid one. Deciding which
//! occurrences are words of the text is the select stage's job.

use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::gazetteer::{AffixPosition, AliasKind, Gazetteer, Morphology, Origin};
use crate::text::{Gap, Normalized};

/// The two kinds of phrases one automaton holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Group {
    /// Entity aliases: the target is an entity index.
    Entity,
    /// Rule phrases (triggers, markers, titles, clause words): the target is a lexicon index.
    Phrase,
}

/// A phrase to compile.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Phrase<'a> {
    /// The phrase as written (normalized when compiled).
    pub(crate) text: &'a str,
    /// Which group it belongs to.
    pub(crate) group: Group,
    /// What it names, within its group.
    pub(crate) target: u32,
    /// Short forms need their target's full name earlier in the document.
    pub(crate) kind: AliasKind,
    /// Where it came from.
    pub(crate) origin: Origin,
}

/// One phrase of one target, as the automaton knows it.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub(crate) group: Group,
    pub(crate) target: u32,
    pub(crate) kind: AliasKind,
    pub(crate) origin: Origin,
    /// Offsets (relative to the match start, in skeleton bytes) where a separator may stand.
    allowed_gaps: Range<u32>,
}

/// One occurrence of one phrase entry in a document's skeleton.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Hit {
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) entry: u32,
}

/// The occurrences of one scan, by group, each in automaton order (by end).
#[derive(Debug, Default)]
pub(crate) struct Hits {
    pub(crate) entities: Vec<Hit>,
    pub(crate) phrases: Vec<Hit>,
}

impl Hits {
    fn clear(&mut self) {
        self.entities.clear();
        self.phrases.clear();
    }
}

/// The compiled automaton.
#[derive(Clone, Debug)]
pub(crate) struct Automaton {
    automaton: AhoCorasick,
    /// For each automaton pattern, its entries.
    patterns: Vec<Range<u32>>,
    entries: Vec<Entry>,
    gap_offsets: Vec<u32>,
    morphology: Morphology,
}

/// Why the automaton could not be built.
#[derive(Debug, thiserror::Error)]
#[error("cannot build the alias automaton: {0}")]
pub struct AutomatonError(#[from] aho_corasick::BuildError);

/// Every alias of `gazetteer` as an entity phrase whose target is its entity index.
pub(crate) fn entity_phrases(gazetteer: &Gazetteer) -> impl Iterator<Item = Phrase<'_>> + '_ {
    gazetteer
        .entities()
        .iter()
        .enumerate()
        .flat_map(|(i, entity)| {
            entity.aliases.iter().map(move |alias| Phrase {
                text: &alias.text,
                group: Group::Entity,
                target: i as u32,
                kind: alias.kind,
                origin: alias.origin,
            })
        })
}

impl Automaton {
    /// Compiles `phrases` into one automaton, with the separable affixes and attached
    /// suffixes of `morphology`.
    pub(crate) fn new<'a>(
        phrases: impl IntoIterator<Item = Phrase<'a>>,
        morphology: &Morphology,
    ) -> Result<Automaton, AutomatonError> {
        let morphology = morphology.clone();
        // (skeleton, group, target, kind, origin, allowed gaps)
        let mut compiled: Vec<(String, Group, u32, AliasKind, Origin, Vec<u32>)> = Vec::new();
        for phrase in phrases {
            let normalized = Normalized::new(phrase.text);
            let skeleton = normalized.skeleton();
            if skeleton.is_empty() {
                continue;
            }
            let gaps = allowed_gaps(&normalized, &morphology);
            compiled.push((
                skeleton.to_string(),
                phrase.group,
                phrase.target,
                phrase.kind,
                phrase.origin,
                gaps,
            ));
        }
        compiled.sort_by(|a, b| (&a.0, a.1, a.2, a.3, a.4).cmp(&(&b.0, b.1, b.2, b.3, b.4)));

        let mut skeletons: Vec<String> = Vec::new();
        let mut patterns: Vec<Range<u32>> = Vec::new();
        let mut entries: Vec<Entry> = Vec::new();
        let mut gap_offsets: Vec<u32> = Vec::new();
        for (skeleton, group, target, kind, origin, gaps) in compiled {
            if skeletons.last() != Some(&skeleton) {
                skeletons.push(skeleton);
                let at = entries.len() as u32;
                patterns.push(at..at);
            }
            let range = patterns.last_mut().expect("pushed above");
            // Several aliases of one target with the same skeleton («پرو» and «پر و») merge:
            // the best kind, and every separator either allows.
            if let Some(last) = entries[range.start as usize..]
                .iter_mut()
                .find(|e| e.group == group && e.target == target)
            {
                let mut merged: Vec<u32> = gap_offsets
                    [last.allowed_gaps.start as usize..last.allowed_gaps.end as usize]
                    .to_vec();
                merged.extend(gaps);
                merged.sort_unstable();
                merged.dedup();
                let at = gap_offsets.len() as u32;
                gap_offsets.extend(merged);
                last.allowed_gaps = at..gap_offsets.len() as u32;
                last.kind = last.kind.min(kind);
                last.origin = last.origin.min(origin);
                continue;
            }
            let at = gap_offsets.len() as u32;
            gap_offsets.extend(gaps);
            entries.push(Entry {
                group,
                target,
                kind,
                origin,
                allowed_gaps: at..gap_offsets.len() as u32,
            });
            range.end = entries.len() as u32;
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&skeletons)?;
        Ok(Automaton {
            automaton,
            patterns,
            entries,
            gap_offsets,
            morphology,
        })
    }

    /// The number of distinct normalized phrases in the automaton.
    pub(crate) fn pattern_count(&self) -> usize {
        self.patterns.len()
    }

    /// The entry of a hit.
    #[inline]
    pub(crate) fn entry(&self, index: u32) -> &Entry {
        &self.entries[index as usize]
    }

    /// The skeleton offsets where `entry`'s phrase allows a separator.
    #[inline]
    pub(crate) fn allowed_gaps(&self, entry: &Entry) -> &[u32] {
        &self.gap_offsets[entry.allowed_gaps.start as usize..entry.allowed_gaps.end as usize]
    }

    /// The morphology tables the phrases were compiled with.
    pub(crate) fn morphology(&self) -> &Morphology {
        &self.morphology
    }

    /// Runs the automaton over the document's skeleton once: every occurrence of every
    /// phrase, each entry of it in its group.
    pub(crate) fn scan(&self, norm: &Normalized, hits: &mut Hits) {
        hits.clear();
        for m in self.automaton.find_overlapping_iter(norm.skeleton()) {
            let (start, end) = (m.start() as u32, m.end() as u32);
            for entry in self.patterns[m.pattern().as_usize()].clone() {
                let hit = Hit { start, end, entry };
                match self.entries[entry as usize].group {
                    Group::Entity => hits.entities.push(hit),
                    Group::Phrase => hits.phrases.push(hit),
                }
            }
        }
    }
}

/// The skeleton offsets at which an alias allows a separator: where it has one itself, and
/// at the edges of separable affixes inside its joined words.
fn allowed_gaps(alias: &Normalized, morphology: &Morphology) -> Vec<u32> {
    let skeleton = alias.skeleton();
    let mut gaps = Vec::new();
    let mut word_start = 0;
    let mut chars = skeleton.char_indices().peekable();
    while let Some((offset, _)) = chars.next() {
        if offset > 0 && alias.gap_before(offset) != Gap::None {
            gaps.push(offset as u32);
        }
        let word_ends = match chars.peek() {
            None => true,
            Some(&(next, _)) => alias.gap_before(next) != Gap::None,
        };
        if word_ends {
            let word_end = chars.peek().map_or(skeleton.len(), |&(n, _)| n);
            let word = &skeleton[word_start..word_end];
            for affix in &morphology.affixes {
                if word.len() <= affix.text.len() {
                    continue;
                }
                let at = match affix.position {
                    AffixPosition::Prefix if word.starts_with(&affix.text) => {
                        word_start + affix.text.len()
                    }
                    AffixPosition::Suffix if word.ends_with(&affix.text) => {
                        word_end - affix.text.len()
                    }
                    _ => continue,
                };
                gaps.push(at as u32);
            }
            word_start = word_end;
        }
    }
    gaps.sort_unstable();
    gaps.dedup();
    gaps
}
