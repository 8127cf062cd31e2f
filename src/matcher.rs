//! The phrase matcher: one Aho-Corasick automaton over every normalized alias, and the
//! resolution of overlapping matches. Entity aliases use it, and so do the rule layer's
//! triggers, markers and titles, so that both see through spelling variation the same way.
//! A phrase names a *target* (an entity index, or a rule-lexicon entry): a plain `u32`.
//!
//! Matching runs in three steps, in this order:
//!
//! 1. **Candidates.** The automaton reports every occurrence of every alias skeleton in the
//!    document skeleton (overlapping search), so no valid match can hide behind a longer one.
//! 2. **Filtering.** A candidate survives only if it starts on a word boundary, ends on a
//!    word boundary or before an attached suffix that keeps it a mention (`suffixes.tsv`:
//!    the ezafe in «آمریکای لاتین», the copula in «کوباست»; not the demonym in «چینی»), and
//!    every separator it spans is one its alias allows: where the alias has a space or ZWNJ,
//!    or at the edge of a separable affix (`affixes.tsv`), or next to punctuation.
//!    Filtering before choosing avoids the classic bug where the leftmost-longest match
//!    «ایران ایر» in «ایران ایرتور» fails its boundary check and hides the valid «ایران».
//! 3. **Selection.** The longest surviving span wins; shorter spans inside it are kept as
//!    nested mentions, unless they name the same entity («میگل دیاز-کانل» inside
//!    «میگل دیاز-کانل برمودز» says nothing new); spans that cross a winner are dropped. A
//!    span naming several entities keeps all of them as candidates. Short forms (`short` column) are kept only after a
//!    full name of their entity earlier in the same document, as `via: coref` mentions.

use std::collections::BTreeMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::gazetteer::{AffixPosition, AliasKind, Gazetteer, Morphology, Origin};
use crate::text::{is_word_char, Gap, Normalized};

/// How a mention was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Via {
    /// A name or alias of a gazetteer file.
    Gazetteer,
    /// A pattern of a spaCy pattern file (`--patterns`).
    Pattern,
    /// A short form resolved to a full name earlier in the document.
    Coref,
}

impl Via {
    /// The contract name: `gazetteer`, `pattern` or `coref`.
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Gazetteer => "gazetteer",
            Via::Pattern => "pattern",
            Via::Coref => "coref",
        }
    }
}

/// A mention in skeleton coordinates, before mapping back to the original text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkeletonMention {
    /// Skeleton byte span.
    pub span: Range<usize>,
    /// The chosen target (the first of `candidates`).
    pub target: u32,
    /// Every target the span names, best first, as a range of the candidate pool passed to
    /// [`Matcher::find`]; longer than one only when the phrase is ambiguous.
    pub candidates: Range<u32>,
    /// How it was found.
    pub via: Via,
    /// Inside a longer mention.
    pub nested: bool,
}

/// A phrase to compile: its text as written, the target it names, its kind and origin.
#[derive(Clone, Copy, Debug)]
pub struct Phrase<'a> {
    /// The phrase as written (normalized when compiled).
    pub text: &'a str,
    /// What it names.
    pub target: u32,
    /// Short forms need their target's full name earlier in the document.
    pub kind: AliasKind,
    /// Becomes the `via` of its matches.
    pub origin: Origin,
}

/// One phrase of one target, as the automaton knows it.
#[derive(Clone, Debug)]
struct AliasEntry {
    target: u32,
    kind: AliasKind,
    origin: Origin,
    /// Offsets (relative to the match start, in skeleton bytes) where a separator may stand.
    allowed_gaps: Range<u32>,
}

/// The compiled matcher for one gazetteer.
#[derive(Clone, Debug)]
pub struct Matcher {
    automaton: AhoCorasick,
    /// For each automaton pattern, its entries.
    patterns: Vec<Range<u32>>,
    entries: Vec<AliasEntry>,
    gap_offsets: Vec<u32>,
    morphology: Morphology,
}

/// Why a matcher could not be built.
#[derive(Debug, thiserror::Error)]
#[error("cannot build the alias automaton: {0}")]
pub struct MatcherError(#[from] aho_corasick::BuildError);

/// A candidate that survived filtering: a skeleton span and one alias entry.
#[derive(Clone, Copy, Debug)]
struct Candidate {
    start: u32,
    end: u32,
    entry: u32,
}

/// Buffers reused across documents so matching allocates nothing per candidate.
#[derive(Debug, Default)]
pub struct MatchScratch {
    /// Every valid candidate of the last [`Matcher::scan`].
    scanned: Vec<Candidate>,
    /// The candidates of the target group being selected.
    candidates: Vec<Candidate>,
    spans: Vec<(u32, u32, u32, u32)>,
}

impl Matcher {
    /// Compiles every alias of `gazetteer` into one automaton; targets are entity indexes.
    pub fn new(gazetteer: &Gazetteer) -> Result<Matcher, MatcherError> {
        Matcher::from_phrases(Matcher::entity_phrases(gazetteer), gazetteer.morphology())
    }

    /// Every alias of `gazetteer` as a phrase whose target is its entity index.
    pub fn entity_phrases(gazetteer: &Gazetteer) -> impl Iterator<Item = Phrase<'_>> + '_ {
        gazetteer
            .entities()
            .iter()
            .enumerate()
            .flat_map(|(i, entity)| {
                entity.aliases.iter().map(move |alias| Phrase {
                    text: &alias.text,
                    target: i as u32,
                    kind: alias.kind,
                    origin: alias.origin,
                })
            })
    }

    /// Compiles any phrases into one automaton, with the separable affixes and attached
    /// suffixes of `morphology`.
    pub fn from_phrases<'a>(
        phrases: impl IntoIterator<Item = Phrase<'a>>,
        morphology: &Morphology,
    ) -> Result<Matcher, MatcherError> {
        let morphology = morphology.clone();
        // (skeleton, target, kind, origin, allowed gaps)
        let mut compiled: Vec<(String, u32, AliasKind, Origin, Vec<u32>)> = Vec::new();
        for phrase in phrases {
            let normalized = Normalized::new(phrase.text);
            let skeleton = normalized.skeleton();
            if skeleton.is_empty() {
                continue;
            }
            let gaps = allowed_gaps(&normalized, &morphology);
            compiled.push((
                skeleton.to_string(),
                phrase.target,
                phrase.kind,
                phrase.origin,
                gaps,
            ));
        }
        compiled.sort_by(|a, b| (&a.0, a.1, a.2, a.3).cmp(&(&b.0, b.1, b.2, b.3)));

        let mut skeletons: Vec<String> = Vec::new();
        let mut patterns: Vec<Range<u32>> = Vec::new();
        let mut entries: Vec<AliasEntry> = Vec::new();
        let mut gap_offsets: Vec<u32> = Vec::new();
        for (skeleton, target, kind, origin, gaps) in compiled {
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
                .find(|e| e.target == target)
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
            entries.push(AliasEntry {
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
        Ok(Matcher {
            automaton,
            patterns,
            entries,
            gap_offsets,
            morphology,
        })
    }

    /// The number of distinct normalized aliases in the automaton.
    pub fn pattern_count(&self) -> usize {
        self.patterns.len()
    }

    /// Finds the mentions of one normalized document, in skeleton coordinates, sorted by
    /// start, longer first. Appends to `out`, and their candidate entities to `pool`.
    pub fn find(
        &self,
        norm: &Normalized,
        scratch: &mut MatchScratch,
        out: &mut Vec<SkeletonMention>,
        pool: &mut Vec<u32>,
    ) {
        self.scan(norm, scratch);
        self.select(scratch, 0..u32::MAX, out, pool);
    }

    /// Runs the automaton over the document once, keeping every candidate that passes the
    /// boundary, suffix and separator checks, for any number of [`Matcher::select`] calls.
    pub fn scan(&self, norm: &Normalized, scratch: &mut MatchScratch) {
        scratch.scanned.clear();
        let skeleton = norm.skeleton();
        for m in self.automaton.find_overlapping_iter(skeleton) {
            let (start, end) = (m.start(), m.end());
            if !starts_word(norm, start) || !self.ends_word(norm, start, end) {
                continue;
            }
            let range = &self.patterns[m.pattern().as_usize()];
            for entry_index in range.clone() {
                let entry = &self.entries[entry_index as usize];
                let allowed = &self.gap_offsets
                    [entry.allowed_gaps.start as usize..entry.allowed_gaps.end as usize];
                if separators_allowed(norm, start, end, allowed) {
                    scratch.scanned.push(Candidate {
                        start: start as u32,
                        end: end as u32,
                        entry: entry_index,
                    });
                }
            }
        }
    }

    /// Whether a match ending at `end` ends its word, or is followed by an attached suffix
    /// that keeps it a mention.
    fn ends_word(&self, norm: &Normalized, start: usize, end: usize) -> bool {
        let skeleton = norm.skeleton();
        let Some(next) = skeleton[end..].chars().next() else {
            return true;
        };
        let last = skeleton[start..end].chars().next_back().unwrap_or(' ');
        if norm.gap_before(end).is_boundary() || !is_word_char(next) || !is_word_char(last) {
            return true;
        }
        // The rest of the word, up to the next boundary, is the attached suffix.
        let mut tail_end = end;
        for (offset, c) in skeleton[end..].char_indices() {
            let at = end + offset;
            if at > end && norm.gap_before(at).is_boundary() || !is_word_char(c) {
                break;
            }
            tail_end = at + c.len_utf8();
        }
        self.morphology
            .keeps_mention(last, &skeleton[end..tail_end], &skeleton[start..tail_end])
    }

    /// Chooses the mentions among the scanned candidates whose targets lie in `targets`
    /// (longest wins, nested kept, short forms after full names), in skeleton coordinates,
    /// sorted by start, longer first. Appends to `out`, and their candidate targets to `pool`.
    /// Groups of targets are selected independently: a rule phrase may overlap a name.
    pub fn select(
        &self,
        scratch: &mut MatchScratch,
        targets: Range<u32>,
        out: &mut Vec<SkeletonMention>,
        pool: &mut Vec<u32>,
    ) {
        let MatchScratch {
            scanned,
            candidates,
            spans,
        } = scratch;
        candidates.clear();
        candidates.extend(
            scanned
                .iter()
                .filter(|c| targets.contains(&self.entries[c.entry as usize].target)),
        );
        // One entry per (span, target), the best kind: sort then dedup.
        candidates.sort_by_key(|c| {
            let e = &self.entries[c.entry as usize];
            (c.start, c.end, e.target, e.kind)
        });
        candidates.dedup_by(|b, a| {
            a.start == b.start
                && a.end == b.end
                && self.entries[a.entry as usize].target == self.entries[b.entry as usize].target
        });
        // Within a span, best target first: names before aliases before short forms, then
        // target order.
        candidates.sort_by_key(|c| {
            let e = &self.entries[c.entry as usize];
            (c.start, c.end, e.kind, e.target)
        });

        // (start, end, first candidate, count)
        spans.clear();
        let mut i = 0;
        while i < candidates.len() {
            let (s, e) = (candidates[i].start, candidates[i].end);
            let mut j = i;
            while j < candidates.len() && candidates[j].start == s && candidates[j].end == e {
                j += 1;
            }
            spans.push((s, e, i as u32, (j - i) as u32));
            i = j;
        }
        // Longest first, then leftmost; spans of short forms only (sorted last by kind above)
        // wait for the full names.
        let only_short = |&(_, _, at, _): &(u32, u32, u32, u32)| {
            self.entries[candidates[at as usize].entry as usize].kind == AliasKind::Short
        };
        spans.sort_by_key(|span| (only_short(span), std::cmp::Reverse(span.1 - span.0), span.0));

        // Top-level spans: start -> (end, target).
        let mut winners: BTreeMap<u32, (u32, u32)> = BTreeMap::new();
        let first = out.len();
        for &(s, e, at, count) in spans.iter() {
            let group = &candidates[at as usize..(at + count) as usize];
            let short = only_short(&(s, e, at, count));
            let nested = match placement(&winners, s, e) {
                Placement::Free => false,
                // A shorter name of the same target inside its longer name says nothing new.
                Placement::Inside(container)
                    if !short
                        && !group
                            .iter()
                            .any(|c| self.entries[c.entry as usize].target == container) =>
                {
                    true
                }
                Placement::Inside(_) | Placement::Crossing => continue,
            };
            let pool_start = pool.len();
            let mut origin = Origin::Pattern;
            for c in group {
                let entry = &self.entries[c.entry as usize];
                let keep = if short {
                    // A short form names a target only after its full name, earlier.
                    out[first..].iter().any(|m| {
                        m.target == entry.target && m.span.start < s as usize && m.via != Via::Coref
                    })
                } else {
                    entry.kind != AliasKind::Short
                };
                if keep {
                    pool.push(entry.target);
                    origin = origin.min(entry.origin);
                }
            }
            if pool.len() == pool_start {
                continue;
            }
            if !nested {
                winners.insert(s, (e, pool[pool_start]));
            }
            out.push(SkeletonMention {
                span: s as usize..e as usize,
                target: pool[pool_start],
                candidates: pool_start as u32..pool.len() as u32,
                via: match (short, origin) {
                    (true, _) => Via::Coref,
                    (false, Origin::Gazetteer) => Via::Gazetteer,
                    (false, Origin::Pattern) => Via::Pattern,
                },
                nested,
            });
        }
        out[first..].sort_by(|a, b| {
            (
                a.span.start,
                std::cmp::Reverse(a.span.end),
                a.nested,
                a.target,
            )
                .cmp(&(
                    b.span.start,
                    std::cmp::Reverse(b.span.end),
                    b.nested,
                    b.target,
                ))
        });
    }
}

enum Placement {
    Free,
    /// Inside the winner that names this target.
    Inside(u32),
    Crossing,
}

/// Where the span `s..e` stands relative to the non-overlapping `winners`.
fn placement(winners: &BTreeMap<u32, (u32, u32)>, s: u32, e: u32) -> Placement {
    if let Some((_, &(we, target))) = winners.range(..=s).next_back() {
        if we > s {
            return if e <= we {
                Placement::Inside(target)
            } else {
                Placement::Crossing
            };
        }
    }
    match winners.range(s..e).next() {
        Some(_) => Placement::Crossing,
        None => Placement::Free,
    }
}

/// Whether a match starting at `start` starts its word.
fn starts_word(norm: &Normalized, start: usize) -> bool {
    let skeleton = norm.skeleton();
    let Some(prev) = skeleton[..start].chars().next_back() else {
        return true;
    };
    let first = skeleton[start..].chars().next().unwrap_or(' ');
    norm.gap_before(start).is_boundary() || !is_word_char(prev) || !is_word_char(first)
}

/// Whether every separator inside `start..end` stands where the alias allows one (offsets in
/// `allowed`, relative to `start`) or next to a non-word character. No match spans a line.
fn separators_allowed(norm: &Normalized, start: usize, end: usize, allowed: &[u32]) -> bool {
    let mut prev = ' ';
    for (offset, c) in norm.skeleton()[start..end].char_indices() {
        if offset > 0 {
            match norm.gap_before(start + offset) {
                Gap::None => {}
                Gap::Line => return false,
                Gap::Zwnj | Gap::Space => {
                    let beside_punctuation = !is_word_char(prev) || !is_word_char(c);
                    if !beside_punctuation && allowed.binary_search(&(offset as u32)).is_err() {
                        return false;
                    }
                }
            }
        }
        prev = c;
    }
    true
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
