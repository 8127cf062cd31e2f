//! The discover stage: names the gazetteer lacks, found by their context with the declarative
//! patterns of `gazetteers/patterns/` (in the style of CoreNLP's TokensRegex).
//!
//! Each sentence becomes a *class string*, one ASCII letter per word (and per quote or
//! punctuation mark): a word of a known name is `P` (person), `C` (country), `X` (city) or `K`
//! (any other type); a word of the class table is `H` (honorific), `T` (title), `S` (speech
//! verb), `G` (organization head), `J` (party head), `A` (a conjunction that may join the
//! words of an institution's name, «و»), `M` (a title followed by its organization's name,
//! «وزیر نفت»), `R` (a news source cue, «به گزارش»), `N` (a media head, «روزنامه»), `D` (a determiner or
//! quantifier, «این», «سه»), `V` (a copula or light verb, «است», «کرد») or `E` (a modifier that names
//! a kind of team or body, not one, «ملی» in «تیم ملی»); a first name of the people lexicon is
//! `F` (`f` when it is also a common word); a capitalized Latin word `L`, another Latin word `l`, a number `d`; a Persian verb
//! form `v`; a function word («در», «که») `o`; another Persian word `c`; any other word `w`; `Q`/`q` open and close a quotation, `p` is other punctuation
//! and `.` ends a clause. Every pattern is a regular expression over that string, compiled
//! once; its group `name` marks the words of the name. No pattern is code.

use std::ops::Range;

use crate::gazetteer::{
    Discovery, EntityType, Gazetteer, Probe, COMMON_WORD, LISTED_WORD, SURNAME, VERB_FORM,
};
use crate::text::{words, Normalized};
use crate::trace::{CandidateNote, Decision, Trace};

/// A name a pattern found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Found {
    /// Original byte span of the name.
    pub(crate) span: Range<usize>,
    /// The index of the pattern.
    pub(crate) pattern: u16,
    /// The type the pattern gives.
    pub(crate) entity_type: EntityType,
    /// Byte spans of its words.
    pub(crate) words: Vec<Range<usize>>,
}

fn known_class(entity_type: EntityType) -> u8 {
    match entity_type {
        EntityType::Person => b'P',
        EntityType::Country => b'C',
        EntityType::City => b'X',
        _ => b'K',
    }
}

fn punctuation_class(c: char, in_quote: &mut bool) -> Option<u8> {
    match c {
        '«' | '“' => Some(b'Q'),
        '»' | '”' => Some(b'q'),
        '"' => {
            *in_quote = !*in_quote;
            Some(if *in_quote { b'Q' } else { b'q' })
        }
        '.' | '!' | '?' | '؟' => Some(b'.'),
        ',' | '،' | ':' | ';' | '؛' | '(' | ')' | '-' | '–' | '/' => Some(b'p'),
        _ => None,
    }
}

/// The letters of a sentence's class string with what each stands for: its word, or the mark
/// (the next character of the text that has a punctuation class), for `explain`.
fn class_letters(
    text: &str,
    sentence: &Range<usize>,
    classes: &[u8],
    word_of: &[Option<usize>],
    spans: &[Range<usize>],
) -> crate::trace::ClassLetters {
    let mut out = Vec::with_capacity(classes.len());
    let mut at = sentence.start;
    let mut in_quote = false;
    for (&class, word) in classes.iter().zip(word_of) {
        let span = match word {
            Some(i) => spans[*i].clone(),
            None => text[at..sentence.end]
                .char_indices()
                .find(|&(_, c)| punctuation_class(c, &mut in_quote).is_some())
                .map_or(at..at, |(i, c)| at + i..at + i + c.len_utf8()),
        };
        at = span.end.max(at);
        out.push((class, span));
    }
    out
}

/// The class letter of a word of no known name: `key` is its skeleton, `word` as written,
/// `probe` what [`Discovery::probe`] returned for `key`.
fn word_class(discovery: &Discovery, key: &str, word: &str, probe: Probe) -> u8 {
    let info = discovery.word_probed(key, probe);
    let common = info.has(COMMON_WORD);
    let tagged = info.tag[usize::from(common)];
    if tagged != 0 {
        tagged
    } else if key.bytes().all(|b| b.is_ascii_digit()) {
        b'd'
    } else if word.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
        if word.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
            b'L'
        } else {
            b'l'
        }
    } else if info.has(VERB_FORM) {
        b'v'
    } else if info.has(COMMON_WORD | LISTED_WORD) && info.has(SURNAME) {
        b'e'
    } else if info.has(COMMON_WORD | LISTED_WORD)
        || key.chars().count() < 2
        || discovery.is_inflected(key)
    {
        b'c'
    } else {
        b'w'
    }
}

/// The names of `text` the patterns find, in text order, none overlapping another or a
/// `known` span (top-level mentions, sorted by start: `(byte span, type)`); `trace` records
/// the names a pattern found where an earlier pattern's name stands.
pub(crate) fn discover(
    gazetteer: &Gazetteer,
    text: &str,
    norm: &Normalized,
    sentences: &[Range<usize>],
    known: &[(Range<usize>, EntityType)],
    mut trace: Option<&mut Trace>,
) -> Vec<Found> {
    let discovery = gazetteer.discovery();
    if discovery.patterns().is_empty() {
        return Vec::new();
    }
    let skeleton = norm.skeleton();
    // Where the last skeleton lookup ended: words come in text order.
    let mut cursor = 0;
    let mut out: Vec<Found> = Vec::new();
    let mut classes: Vec<u8> = Vec::new();
    // For each letter of `classes`, the word it stands for (punctuation: none).
    let mut word_of: Vec<Option<usize>> = Vec::new();
    let mut spans: Vec<Range<usize>> = Vec::new();
    let mut next_known = 0;
    // For each word of `spans`, its skeleton's byte range.
    let mut keys: Vec<Range<usize>> = Vec::new();
    // The words of `classes` whose letter is still to be read from the word table: where
    // their letter goes, and their probe.
    let mut pending: Vec<(usize, Probe)> = Vec::new();
    let mut taken: std::collections::BTreeMap<usize, (usize, u16)> =
        std::collections::BTreeMap::new();
    for sentence in sentences {
        classes.clear();
        word_of.clear();
        spans.clear();
        keys.clear();
        pending.clear();
        let mut in_quote = false;
        let mut previous_end = sentence.start;
        for w in words(&text[sentence.clone()]) {
            let w = w.start + sentence.start..w.end + sentence.start;
            for c in text[previous_end..w.start].chars() {
                if let Some(class) = punctuation_class(c, &mut in_quote) {
                    classes.push(class);
                    word_of.push(None);
                }
            }
            previous_end = w.end;
            while next_known < known.len() && known[next_known].0.end <= w.start {
                next_known += 1;
            }
            let inside = known
                .get(next_known)
                .filter(|(k, _)| k.start < w.end && w.start < k.end);
            // The word's skeleton is a slice of the document's: folding it again was the
            // largest cost of this stage.
            let key_range = norm.skeleton_range(w.clone(), &mut cursor);
            let class = if let Some((_, entity_type)) = inside {
                known_class(*entity_type)
            } else {
                // Read once every word of the sentence is probed: the table's cache misses
                // then overlap.
                pending.push((classes.len(), discovery.probe(&skeleton[key_range.clone()])));
                0
            };
            classes.push(class);
            word_of.push(Some(spans.len()));
            spans.push(w);
            keys.push(key_range);
        }
        for &(at, probe) in &pending {
            if let Some(i) = word_of[at] {
                let (key, word) = (&skeleton[keys[i].clone()], &text[spans[i].clone()]);
                classes[at] = word_class(discovery, key, word, probe);
            }
        }
        let Ok(class_string) = std::str::from_utf8(&classes) else {
            continue;
        };
        if let Some(t) = trace.as_deref_mut() {
            t.classes
                .push(class_letters(text, sentence, &classes, &word_of, &spans));
        }
        let first_of_sentence = out.len();
        // The names taken in this sentence, start → (end, pattern): they do not overlap, so the one
        // starting last before a span's end is the only one that can overlap it (a scan of
        // all of them would make a long sentence quadratic).
        taken.clear();
        let matching = discovery.matching_patterns(class_string);
        for (p, pattern) in discovery.patterns().iter().enumerate() {
            if !Discovery::may_match(&matching, p) {
                continue;
            }
            for caps in pattern.regex.captures_iter(class_string) {
                let Some(name) = caps.name("name") else {
                    continue;
                };
                let members: Vec<usize> = (name.start()..name.end())
                    .filter_map(|i| word_of[i])
                    .collect();
                let (Some(&first), Some(&last)) = (members.first(), members.last()) else {
                    continue;
                };
                let span = spans[first].start..spans[last].end;
                // A name that begins with a listed non-name («علی رغم تلاش‌ها») is none.
                let not_a_name = members
                    .iter()
                    .any(|&m| discovery.is_not_name(&skeleton[keys[first].start..keys[m].end]));
                if not_a_name {
                    continue;
                }
                let earlier = taken
                    .range(..span.end)
                    .next_back()
                    .filter(|(_, &(end, _))| span.start < end)
                    .map(|(_, &(_, pattern))| pattern);
                if let Some(earlier) = earlier {
                    if let Some(t) = trace.as_deref_mut() {
                        for decision in [
                            Decision::Discovered { pattern: p as u16 },
                            Decision::DiscoveredOverlap { pattern: earlier },
                        ] {
                            t.candidates.push(CandidateNote {
                                span: span.clone(),
                                entity: u32::MAX,
                                decision,
                            });
                        }
                    }
                    continue;
                }
                taken.insert(span.start, (span.end, p as u16));
                out.push(Found {
                    span,
                    pattern: p as u16,
                    entity_type: pattern.entity_type,
                    words: members.iter().map(|&i| spans[i].clone()).collect(),
                });
            }
        }
        out[first_of_sentence..].sort_by_key(|f| f.span.start);
    }
    out
}
