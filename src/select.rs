//! The select stage: which occurrences of the scan are words of the text, and which of
//! overlapping ones stand.
//!
//! 1. **Checks.** An occurrence survives only if it starts on a word boundary, ends on a word
//!    boundary or before an attached suffix that keeps it a mention (`suffixes.tsv`: the
//!    ezafe in «آمریکای لاتین», the copula in «کوباست»; not the demonym in «چینی»), and
//!    every separator it spans is one its phrase allows: where the phrase has a space or
//!    ZWNJ, or at the edge of a separable affix (`affixes.tsv`), or next to punctuation.
//!    Checking before choosing avoids the classic bug where the leftmost-longest match
//!    «ایران ایر» in «ایران ایرتور» fails its boundary check and hides the valid «ایران».
//! 2. **Overlap.** The longest surviving span wins; shorter spans inside it are kept as
//!    nested, unless they name the same target («میگل دیاز-کانل» inside «میگل دیاز-کانل
//!    برمودز» says nothing new); spans that cross a winner are dropped. A span naming several
//!    targets keeps all of them, best first. Spans of short forms only (`short` column) never
//!    win over a name; whether one names anything is the resolve stage's decision.
//!
//! Entity hits and rule-phrase hits are selected apart: a rule phrase may overlap a name
//! («رئیس جمهوری» and «جمهوری خلق چین»).

use std::ops::Range;

use crate::gazetteer::{AliasKind, Morphology, Origin, SuffixMention};
use crate::scan::{Automaton, Group, Hit};
use crate::text::{is_word_char, Gap, Normalized};
use crate::trace::{CandidateNote, Decision, PhraseNote, Trace};

/// A selected span, in skeleton coordinates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Selected {
    /// Skeleton byte span.
    pub(crate) span: Range<usize>,
    /// Every target the span names, best first, as a range of the selection's pool.
    pub(crate) candidates: Range<u32>,
    /// The best origin of the phrases that named it.
    pub(crate) origin: Origin,
    /// Only short forms name it: the resolve stage keeps it after a full name.
    pub(crate) short: bool,
    /// Inside a longer span.
    pub(crate) nested: bool,
    /// A demonym after a state noun («آمریکایی» after «مقامات»): the span is the word up to
    /// a ZWNJ, a mention of the alias's country only (the resolve stage checks the type).
    pub(crate) demonym: bool,
}

/// What selection produced for one group: spans sorted by start (longer first), and the pool
/// their candidate ranges point into.
#[derive(Clone, Debug, Default)]
pub(crate) struct Selection {
    pub(crate) spans: Vec<Selected>,
    pub(crate) pool: Vec<u32>,
}

impl Selection {
    /// The targets of `span`, best first.
    pub(crate) fn targets(&self, span: &Selected) -> &[u32] {
        &self.pool[span.candidates.start as usize..span.candidates.end as usize]
    }

    fn clear(&mut self) {
        self.spans.clear();
        self.pool.clear();
    }
}

/// A rule phrase found in a document: its original byte span and every meaning it has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PhraseHit {
    /// Original byte span.
    pub(crate) span: Range<usize>,
    /// Indexes into the lexicon's words, as a range of [`PhraseHits::pool`].
    meanings: Range<u32>,
}

/// The rule phrases of a document, in text order (phrases nested in a longer one left out).
#[derive(Clone, Debug, Default)]
pub(crate) struct PhraseHits {
    pub(crate) hits: Vec<PhraseHit>,
    pool: Vec<u32>,
}

impl PhraseHits {
    /// The lexicon indexes of `hit`'s meanings.
    pub(crate) fn meanings(&self, hit: &PhraseHit) -> impl Iterator<Item = usize> + '_ {
        self.pool[hit.meanings.start as usize..hit.meanings.end as usize]
            .iter()
            .map(|&w| w as usize)
    }
}

/// Buffers reused across documents so selection allocates nothing per hit.
#[derive(Debug, Default)]
pub(crate) struct SelectScratch {
    candidates: Vec<Hit>,
    /// The candidates with their sort key (see [`order_key`]).
    keyed: Vec<(u128, Hit)>,
    spans: Vec<(u32, u32, u32, u32)>,
    /// The (start, end) spans of the demonyms kept, sorted.
    demonyms: Vec<(u32, u32)>,
    winners: Winners,
    phrases: Selection,
}

/// The top-level spans chosen so far, which do not overlap, and for each skeleton byte the
/// one that covers it: where a span stands is a look at its own bytes, not a search.
#[derive(Debug, Default)]
struct Winners {
    /// (start, end, target).
    spans: Vec<(u32, u32, u32)>,
    /// For each skeleton byte, the index in `spans` of the winner covering it, or [`FREE`].
    owner: Vec<u32>,
}

const FREE: u32 = u32::MAX;

impl Winners {
    /// Empties it for a skeleton of `len` bytes: only the bytes the last winners covered are
    /// cleared, not the whole skeleton's, twice per document.
    fn reset(&mut self, len: usize) {
        for &(s, e, _) in &self.spans {
            self.owner[s as usize..e as usize].fill(FREE);
        }
        self.spans.clear();
        if self.owner.len() < len {
            self.owner.resize(len, FREE);
        }
    }

    fn insert(&mut self, s: u32, e: u32, target: u32) {
        let index = self.spans.len() as u32;
        self.spans.push((s, e, target));
        self.owner[s as usize..e as usize].fill(index);
    }

    /// The winner that contains or crosses the span `s..e`: (start, end, target).
    fn blocking(&self, s: u32, e: u32) -> Option<(u32, u32, u32)> {
        let covering = self.owner[s as usize];
        let at = if covering != FREE {
            covering
        } else {
            // No winner covers `s`: one that crosses the span starts inside it.
            *self.owner[s as usize..e as usize]
                .iter()
                .find(|&&o| o != FREE)?
        };
        Some(self.spans[at as usize])
    }
}

/// `(start, end, a, b)` as one integer that sorts as the tuple does.
#[inline]
fn order_key(start: u32, end: u32, a: u32, b: u32) -> u128 {
    (u128::from(start) << 96) | (u128::from(end) << 64) | (u128::from(a) << 32) | u128::from(b)
}

/// Selects among `hits` of one group (see the module documentation) into `out`; `trace`
/// records why each candidate was kept or dropped.
pub(crate) fn select(
    automaton: &Automaton,
    norm: &Normalized,
    hits: &[Hit],
    scratch: &mut SelectScratch,
    out: &mut Selection,
    mut trace: Option<&mut Trace>,
) {
    out.clear();
    let SelectScratch {
        candidates,
        keyed,
        spans,
        demonyms,
        winners,
        ..
    } = scratch;
    candidates.clear();
    keyed.clear();
    demonyms.clear();
    // (start, end, whether the word is a mention, the end of the demonym's word).
    let mut last: Option<(u32, u32, bool, Option<u32>)> = None;
    for &hit in hits {
        // The entries of one occurrence are adjacent: check its boundaries once.
        let (words, demonym_end) = match last {
            Some((s, e, ok, d)) if s == hit.start && e == hit.end => (ok, d),
            _ => {
                let (s, e) = (hit.start as usize, hit.end as usize);
                let (ok, d) = if !starts_word(norm, s) {
                    (false, None)
                } else {
                    match word_ending(automaton.morphology(), norm, s, e) {
                        Ending::Word => (true, None),
                        Ending::Demonym { end }
                            if automaton.entry(hit.entry).group == Group::Entity
                                && after_state_noun(automaton.morphology(), norm, s) =>
                        {
                            (true, Some(end as u32))
                        }
                        _ => (false, None),
                    }
                };
                last = Some((hit.start, hit.end, ok, d));
                (ok, d)
            }
        };
        let entry = automaton.entry(hit.entry);
        if words
            && separators_allowed(
                norm,
                hit.start as usize,
                hit.end as usize,
                automaton.allowed_gaps(entry),
            )
        {
            // A demonym's mention is its whole word, suffix and all.
            let hit = match demonym_end {
                Some(end) => {
                    demonyms.push((hit.start, end));
                    Hit { end, ..hit }
                }
                None => hit,
            };
            keyed.push((
                order_key(hit.start, hit.end, entry.target, entry.kind as u32),
                hit,
            ));
        } else if let Some(t) = trace.as_deref_mut() {
            t.candidates.push(dropped(automaton, norm, hit));
        }
    }
    let entry = |c: &Hit| automaton.entry(c.entry);
    // One entry per (span, target), the best kind: sort then dedup (stable, so that of
    // entries alike in all four the first found stays). The keys are computed once: looking
    // the entries up in every comparison was most of this stage.
    keyed.sort_by_key(|&(key, _)| key);
    keyed.dedup_by(|b, a| a.0 >> 32 == b.0 >> 32);
    // Within a span, best target first: names before aliases before short forms, then
    // target order. No two keys are equal now.
    for (key, hit) in keyed.iter_mut() {
        let e = entry(hit);
        *key = order_key(hit.start, hit.end, e.kind as u32, e.target);
    }
    keyed.sort_unstable_by_key(|&(key, _)| key);
    candidates.extend(keyed.iter().map(|&(_, hit)| hit));
    demonyms.sort_unstable();
    demonyms.dedup();

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
    // come after every name.
    let only_short = |&(_, _, at, _): &(u32, u32, u32, u32)| {
        entry(&candidates[at as usize]).kind == AliasKind::Short
    };
    spans.sort_by_key(|span| (only_short(span), std::cmp::Reverse(span.1 - span.0), span.0));

    winners.reset(norm.skeleton().len());
    for &(s, e, at, count) in spans.iter() {
        let group = &candidates[at as usize..(at + count) as usize];
        let short = only_short(&(s, e, at, count));
        let nested = match placement(winners, s, e) {
            Placement::Free => false,
            // A shorter name of the same target inside its longer name says nothing new.
            Placement::Inside(container)
                if !short && !group.iter().any(|c| entry(c).target == container) =>
            {
                true
            }
            Placement::Inside(_) | Placement::Crossing => {
                if let Some(t) = trace.as_deref_mut() {
                    note_blocked(norm, winners, s, e, group, automaton, t);
                }
                continue;
            }
        };
        let pool_start = out.pool.len();
        let mut origin: Option<Origin> = None;
        for c in group {
            let entry = entry(c);
            // A span with a name names only what the name names.
            if short || entry.kind != AliasKind::Short {
                out.pool.push(entry.target);
                origin = Some(origin.map_or(entry.origin, |o| o.min(entry.origin)));
            }
            if let Some(t) = trace.as_deref_mut() {
                let decision = if short {
                    Decision::ShortPending
                } else if entry.kind == AliasKind::Short {
                    Decision::ShortUnderName
                } else if nested {
                    let (ws, we, _) = winners.blocking(s, e).unwrap_or((s, e, 0));
                    Decision::KeptNested {
                        container: norm.original_range(ws as usize..we as usize),
                    }
                } else {
                    Decision::Kept
                };
                t.candidates.push(CandidateNote {
                    span: norm.original_range(s as usize..e as usize),
                    entity: entry.target,
                    decision,
                });
            }
        }
        let Some(origin) = origin else {
            continue;
        };
        if !nested && !short {
            winners.insert(s, e, out.pool[pool_start]);
        }
        out.spans.push(Selected {
            span: s as usize..e as usize,
            candidates: pool_start as u32..out.pool.len() as u32,
            origin,
            short,
            nested,
            demonym: demonyms.binary_search(&(s, e)).is_ok(),
        });
    }
    let pool = &out.pool;
    out.spans.sort_by(|a, b| {
        (
            a.span.start,
            std::cmp::Reverse(a.span.end),
            a.nested,
            pool[a.candidates.start as usize],
        )
            .cmp(&(
                b.span.start,
                std::cmp::Reverse(b.span.end),
                b.nested,
                pool[b.candidates.start as usize],
            ))
    });
}

/// Selects the rule phrases among `hits` and maps them to the original text: top-level
/// phrases only, in text order.
pub(crate) fn select_phrases(
    automaton: &Automaton,
    norm: &Normalized,
    hits: &[Hit],
    scratch: &mut SelectScratch,
    out: &mut PhraseHits,
    trace: Option<&mut Trace>,
) {
    let mut selection = std::mem::take(&mut scratch.phrases);
    // The decisions are recorded as for names, then kept as phrase notes: their targets are
    // lexicon phrases, not entities.
    let mut notes = trace.is_some().then(Trace::default);
    select(
        automaton,
        norm,
        hits,
        scratch,
        &mut selection,
        notes.as_mut(),
    );
    if let (Some(trace), Some(notes)) = (trace, notes) {
        note_dropped_phrases(notes.candidates, trace);
    }
    out.hits.clear();
    out.pool.clear();
    for s in selection.spans.iter().filter(|s| !s.nested) {
        let at = out.pool.len() as u32;
        out.pool.extend_from_slice(selection.targets(s));
        out.hits.push(PhraseHit {
            span: norm.original_range(s.span.clone()),
            meanings: at..out.pool.len() as u32,
        });
    }
    scratch.phrases = selection;
}

/// The drops among `candidates` as phrase notes, one per span and decision.
#[cold]
fn note_dropped_phrases(candidates: Vec<CandidateNote>, trace: &mut Trace) {
    for note in candidates {
        let dropped = !matches!(
            note.decision,
            Decision::Kept | Decision::KeptNested { .. } | Decision::ShortPending
        );
        if !dropped {
            continue;
        }
        match trace
            .phrases_dropped
            .iter_mut()
            .find(|p| p.span == note.span && p.decision == note.decision)
        {
            Some(p) => p.phrases.push(note.entity),
            None => trace.phrases_dropped.push(PhraseNote {
                span: note.span,
                phrases: vec![note.entity],
                decision: note.decision,
            }),
        }
    }
}

enum Placement {
    Free,
    /// Inside the winner that names this target.
    Inside(u32),
    Crossing,
}

/// Where the span `s..e` stands relative to the non-overlapping `winners`.
fn placement(winners: &Winners, s: u32, e: u32) -> Placement {
    match winners.blocking(s, e) {
        None => Placement::Free,
        Some((ws, we, target)) if ws <= s && e <= we => Placement::Inside(target),
        Some(_) => Placement::Crossing,
    }
}

/// Records why the candidates `group` of the span `s..e` were dropped by a winner.
#[cold]
#[inline(never)]
fn note_blocked(
    norm: &Normalized,
    winners: &Winners,
    s: u32,
    e: u32,
    group: &[Hit],
    automaton: &Automaton,
    trace: &mut Trace,
) {
    let Some((ws, we, target)) = winners.blocking(s, e) else {
        return;
    };
    let winner = norm.original_range(ws as usize..we as usize);
    for c in group {
        let entity = automaton.entry(c.entry).target;
        let decision = if ws <= s && e <= we && entity == target {
            Decision::SameEntityInside {
                container: winner.clone(),
            }
        } else {
            Decision::Overlap {
                winner: winner.clone(),
                entity: target,
            }
        };
        trace.candidates.push(CandidateNote {
            span: norm.original_range(s as usize..e as usize),
            entity,
            decision,
        });
    }
}

/// Why a hit failed the checks: its start, its end (the attached suffix), or a separator.
// Out of the hot loop, so that the checks it repeats stay inlined there.
#[cold]
#[inline(never)]
fn dropped(automaton: &Automaton, norm: &Normalized, hit: Hit) -> CandidateNote {
    let (s, e) = (hit.start as usize, hit.end as usize);
    let decision = if !starts_word(norm, s) {
        Decision::StartsInsideWord
    } else {
        let suffix = || norm.original_range(e..word_end(norm, e));
        match word_ending(automaton.morphology(), norm, s, e) {
            Ending::Word => Decision::Separator,
            Ending::Demonym { .. } if automaton.entry(hit.entry).group == Group::Entity => {
                Decision::DemonymWithoutStateNoun { suffix: suffix() }
            }
            Ending::Demonym { .. } | Ending::Inside => Decision::Suffix { suffix: suffix() },
        }
    };
    CandidateNote {
        span: norm.original_range(s..e),
        entity: automaton.entry(hit.entry).target,
        decision,
    }
}

/// Whether a match starting at `start` starts its word.
#[inline(always)]
fn starts_word(norm: &Normalized, start: usize) -> bool {
    let skeleton = norm.skeleton();
    let Some(prev) = skeleton[..start].chars().next_back() else {
        return true;
    };
    let first = skeleton[start..].chars().next().unwrap_or(' ');
    if norm.gap_before(start).is_boundary() {
        return true;
    }
    if !is_word_char(first) {
        return true;
    }
    if !is_word_char(prev) {
        let at = start - prev.len_utf8();
        let before = skeleton[..at].chars().next_back();
        return !in_address(before, prev, first) || norm.gap_before(at).is_boundary();
    }
    false
}

/// Whether `sep` between `before` and `after` joins the parts of an e-mail address or a
/// domain («newsroom@irna.ir», «www.irna.ir»): a name there is part of the address, not a word.
#[inline(always)]
fn in_address(before: Option<char>, sep: char, after: char) -> bool {
    matches!(sep, '@' | '.')
        && after.is_ascii_alphanumeric()
        && before.is_some_and(|b| b.is_ascii_alphanumeric())
}

/// How the word of a match ends.
enum Ending {
    /// At the match's end, or with an attached suffix that keeps the match a mention.
    Word,
    /// With a demonym suffix: the word up to skeleton offset `end` is a mention of the
    /// country after a state noun.
    Demonym { end: usize },
    /// Inside the word: another word.
    Inside,
}

/// How the word of the match `start..end` ends (see [`Ending`]).
#[inline(always)]
fn word_ending(morphology: &Morphology, norm: &Normalized, start: usize, end: usize) -> Ending {
    let skeleton = norm.skeleton();
    let Some(next) = skeleton[end..].chars().next() else {
        return Ending::Word;
    };
    let last = skeleton[start..end].chars().next_back().unwrap_or(' ');
    if norm.gap_before(end).is_boundary() || !is_word_char(last) {
        return Ending::Word;
    }
    if !is_word_char(next) {
        let at = end + next.len_utf8();
        let after = skeleton[at..].chars().next().unwrap_or(' ');
        return match !in_address(Some(last), next, after) || norm.gap_before(at).is_boundary() {
            true => Ending::Word,
            false => Ending::Inside,
        };
    }
    // The rest of the word, up to the next boundary, is the attached suffix.
    let tail_end = word_end(norm, end);
    match morphology.suffix_mention(last, &skeleton[end..tail_end], &skeleton[start..tail_end]) {
        SuffixMention::Yes => Ending::Word,
        SuffixMention::No => Ending::Inside,
        SuffixMention::Demonym => {
            // A possessive written apart («پاکستانی‌اش») is no part of the demonym: the
            // mention ends at its ZWNJ.
            let apart = skeleton[end..tail_end]
                .char_indices()
                .map(|(offset, _)| end + offset)
                .find(|&at| at > end && norm.gap_before(at) == Gap::Zwnj);
            Ending::Demonym {
                end: apart.unwrap_or(tail_end),
            }
        }
    }
}

/// Whether a state noun of `morphology` («مقامات», «همتای», «مقام های») stands right
/// before the word at skeleton offset `start`, in the same line and with no mark between.
// Out of the hot loop: only a demonym asks.
#[cold]
#[inline(never)]
fn after_state_noun(morphology: &Morphology, norm: &Normalized, start: usize) -> bool {
    if norm.gap_before(start) != Gap::Space {
        return false;
    }
    let skeleton = norm.skeleton();
    let Some(first) = word_start(norm, start) else {
        return false;
    };
    if morphology.is_state_noun(&skeleton[first..start]) {
        return true;
    }
    // Two words written apart that are one noun: «مقام های» is «مقام‌های».
    norm.gap_before(first) == Gap::Space
        && word_start(norm, first)
            .is_some_and(|second| morphology.is_state_noun(&skeleton[second..start]))
}

/// The start of the word that ends at skeleton offset `end` (a word character before it),
/// or `None` when a mark or nothing stands there.
fn word_start(norm: &Normalized, end: usize) -> Option<usize> {
    let skeleton = norm.skeleton();
    let mut start = end;
    for (at, c) in skeleton[..end].char_indices().rev() {
        if !is_word_char(c) {
            break;
        }
        start = at;
        if norm.gap_before(at).is_boundary() {
            break;
        }
    }
    (start < end).then_some(start)
}

/// The end of the word that goes on at `end` (the end of its attached suffix).
#[inline(always)]
fn word_end(norm: &Normalized, end: usize) -> usize {
    let skeleton = norm.skeleton();
    let mut tail_end = end;
    for (offset, c) in skeleton[end..].char_indices() {
        let at = end + offset;
        if at > end && norm.gap_before(at).is_boundary() || !is_word_char(c) {
            break;
        }
        tail_end = at + c.len_utf8();
    }
    tail_end
}

/// Whether every separator inside `start..end` stands where the phrase allows one (offsets in
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
