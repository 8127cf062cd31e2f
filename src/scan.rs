//! The scan stage: one Aho-Corasick automaton over every normalized alias and rule phrase,
//! and one pass of it over a document's skeleton.
//!
//! Phrases come in two [`Group`]s: entity aliases (targets are entity indexes) and rule
//! phrases (targets are indexes of the rule lexicon). They are compiled together so a
//! document is scanned once, and reported apart, as [`Hits`], so later stages never confuse
//! a trigger with a name. The pass is an overlapping search: every occurrence of every
//! phrase is reported, so no valid match can hide behind a longer invalid one. Deciding which
//! occurrences are words of the text is the select stage's job.

mod double_array;

use std::ops::Range;

use daachorse::CharwiseDoubleArrayAhoCorasick;

use crate::gazetteer::{AffixPosition, AliasKind, Gazetteer, Morphology, Origin};
use crate::text::{is_word_char, Gap, Normalized};

/// The two kinds of phrases one automaton holds.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
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
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
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

/// The occurrences of one scan, by group, each in automaton order (by end, then the longest
/// first).
#[derive(Debug, Default)]
pub(crate) struct Hits {
    pub(crate) entities: Vec<Hit>,
    pub(crate) phrases: Vec<Hit>,
    /// The lexicon names' hits, before they join `entities`.
    names: Vec<Hit>,
    /// The double array's hits while they are merged with `names`.
    merging: Vec<Hit>,
}

impl Hits {
    fn clear(&mut self) {
        self.entities.clear();
        self.phrases.clear();
        self.names.clear();
    }
}

/// Where a scan looks for lexicon names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reach {
    /// At word starts: every occurrence select can keep.
    WordStarts,
    /// At every character, as the double array finds the other aliases: also the occurrences
    /// inside words, which `explain` reports as dropped.
    Everywhere,
}

/// One phrase before its entries are merged: ranges into the builder's arenas.
struct Compiled {
    skeleton: Range<u32>,
    group: Group,
    target: u32,
    kind: AliasKind,
    origin: Origin,
    gaps: Range<u32>,
}

/// The compiled automaton.
#[derive(Clone)]
pub(crate) struct Automaton {
    /// A char-wise double array: its transitions are by code point, which keeps the automaton
    /// small and fast for Persian text, and it builds a million aliases in about a second.
    automaton: CharwiseDoubleArrayAhoCorasick<u32>,
    /// For each automaton pattern, its entity entries.
    patterns: Vec<Range<u32>>,
    /// The rule phrases, looked for at word starts only.
    phrases: PhraseTrie,
    /// The names only lexicons give, looked for at word starts only (see [`NameTrie`]).
    names: NameTrie,
    /// The number of distinct skeletons, entity or phrase.
    distinct: usize,
    entries: Vec<Entry>,
    gap_offsets: Vec<u32>,
    morphology: Morphology,
}

/// The double array as the compiled cache holds it, decoded apart from the rest of the
/// automaton so that the two are decoded on two threads.
pub(crate) struct DoubleArray(CharwiseDoubleArrayAhoCorasick<u32>);

impl DoubleArray {
    /// Decodes daachorse's own serialization, which its `deserialize` checks as it reads.
    pub(crate) fn decode(bytes: &[u8]) -> Result<DoubleArray, String> {
        match CharwiseDoubleArrayAhoCorasick::deserialize(bytes) {
            Ok((automaton, [])) => Ok(DoubleArray(automaton)),
            Ok(_) => Err("bytes after the double array".to_string()),
            Err(e) => Err(e.to_string()),
        }
    }
}

/// The automaton's tables other than the double array, as the compiled cache holds them: the
/// fields of [`Automaton::to_cache`]'s tuple, in its order.
#[derive(serde::Deserialize)]
pub(crate) struct Tables(
    Vec<Range<u32>>,
    PhraseTrie,
    NameTrie,
    usize,
    Vec<Entry>,
    Vec<u32>,
    Morphology,
);

impl Tables {
    /// Decodes what [`Automaton::to_cache`] wrote after the double array.
    pub(crate) fn decode(bytes: &[u8]) -> Result<Tables, String> {
        postcard::from_bytes(bytes).map_err(|e| format!("cannot decode the automaton: {e}"))
    }
}

impl std::fmt::Debug for Automaton {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Automaton")
            .field("states", &self.automaton.num_states())
            .field("patterns", &self.patterns.len())
            .field("lexicon names", &self.names.len())
            .field("entries", &self.entries.len())
            .finish_non_exhaustive()
    }
}

/// Why the automaton could not be built.
#[derive(Debug, thiserror::Error)]
#[error("cannot build the alias automaton: {0}")]
pub struct AutomatonError(String);

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
        // Skeletons go into one arena and gaps into another, so a million aliases cost a few
        // large allocations, not two each.
        let mut arena = String::new();
        let mut gap_arena: Vec<u32> = Vec::new();
        let mut compiled: Vec<Compiled> = Vec::new();
        let mut normalized = Normalized::default();
        for phrase in phrases {
            normalized.reset(phrase.text);
            let skeleton = normalized.skeleton();
            if skeleton.is_empty() {
                continue;
            }
            let at = arena.len() as u32;
            arena.push_str(skeleton);
            let gaps_at = gap_arena.len() as u32;
            push_allowed_gaps(&normalized, &morphology, &mut gap_arena);
            compiled.push(Compiled {
                skeleton: at..arena.len() as u32,
                group: phrase.group,
                target: phrase.target,
                kind: phrase.kind,
                origin: phrase.origin,
                gaps: gaps_at..gap_arena.len() as u32,
            });
        }
        let text = |c: &Compiled| &arena[c.skeleton.start as usize..c.skeleton.end as usize];
        compiled.sort_by(|a, b| {
            (text(a), a.group, a.target, a.kind, a.origin).cmp(&(
                text(b),
                b.group,
                b.target,
                b.kind,
                b.origin,
            ))
        });

        let mut skeletons: Vec<&str> = Vec::new();
        let mut patterns: Vec<Range<u32>> = Vec::new();
        let mut entries: Vec<Entry> = Vec::new();
        let mut gap_offsets: Vec<u32> = Vec::new();
        let mut merged: Vec<u32> = Vec::new();
        for c in &compiled {
            let skeleton = text(c);
            let gaps = &gap_arena[c.gaps.start as usize..c.gaps.end as usize];
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
                .find(|e| e.group == c.group && e.target == c.target)
            {
                merged.clear();
                merged.extend_from_slice(
                    &gap_offsets[last.allowed_gaps.start as usize..last.allowed_gaps.end as usize],
                );
                merged.extend_from_slice(gaps);
                merged.sort_unstable();
                merged.dedup();
                let at = gap_offsets.len() as u32;
                gap_offsets.extend_from_slice(&merged);
                last.allowed_gaps = at..gap_offsets.len() as u32;
                last.kind = last.kind.min(c.kind);
                last.origin = last.origin.min(c.origin);
                continue;
            }
            let at = gap_offsets.len() as u32;
            gap_offsets.extend_from_slice(gaps);
            entries.push(Entry {
                group: c.group,
                target: c.target,
                kind: c.kind,
                origin: c.origin,
                allowed_gaps: at..gap_offsets.len() as u32,
            });
            range.end = entries.len() as u32;
        }
        // Entity aliases go into the double array, matched anywhere; rule phrases into a
        // trie walked only at word starts (see `scan`), and so do the names only lexicons
        // give. A skeleton's entries are sorted by group, so each side's entries are one
        // range.
        let mut entity_skeletons: Vec<(&str, u32)> = Vec::new();
        let mut entity_patterns: Vec<Range<u32>> = Vec::new();
        let mut lexicon_names: Vec<(&str, Range<u32>)> = Vec::new();
        let mut phrases = PhraseTrie::default();
        for (skeleton, range) in skeletons.iter().zip(&patterns) {
            let split = range.start
                + entries[range.start as usize..range.end as usize]
                    .iter()
                    .take_while(|e| e.group == Group::Entity)
                    .count() as u32;
            let lexicon_only = entries[range.start as usize..split as usize]
                .iter()
                .all(|e| e.origin == Origin::Lexicon);
            if split > range.start && lexicon_only {
                lexicon_names.push((skeleton, range.start..split));
            } else if split > range.start {
                entity_skeletons.push((skeleton, entity_patterns.len() as u32));
                entity_patterns.push(range.start..split);
            }
            if range.end > split {
                phrases.insert(skeleton, split..range.end);
            }
        }
        let distinct = patterns.len();
        let names = NameTrie::new(&lexicon_names);
        drop(lexicon_names);
        // The double array's construction is the peak of a large build: what it does not
        // need goes first.
        drop((compiled, gap_arena, skeletons, patterns, merged));
        // Skeletons are sorted and distinct, as the double array wants them; the value of
        // each is its pattern number.
        let automaton = double_array::build(&entity_skeletons).map_err(AutomatonError)?;
        drop(entity_skeletons);
        Ok(Automaton {
            automaton,
            distinct,
            patterns: entity_patterns,
            phrases,
            names,
            entries,
            gap_offsets,
            morphology,
        })
    }

    /// The number of distinct normalized phrases in the automaton.
    pub(crate) fn pattern_count(&self) -> usize {
        self.distinct
    }

    /// The compiled cache's two parts of this automaton: the double array, and the other
    /// tables (postcard, as [`Tables`]).
    pub(crate) fn to_cache(&self) -> Result<(Vec<u8>, Vec<u8>), String> {
        let tables = (
            &self.patterns,
            &self.phrases,
            &self.names,
            self.distinct,
            &self.entries,
            &self.gap_offsets,
            &self.morphology,
        );
        let tables = postcard::to_stdvec(&tables).map_err(|e| e.to_string())?;
        Ok((self.automaton.serialize(), tables))
    }

    /// The automaton of the two parts [`Automaton::to_cache`] wrote.
    pub(crate) fn from_cache(tables: Tables, double_array: DoubleArray) -> Automaton {
        let Tables(patterns, phrases, names, distinct, entries, gap_offsets, morphology) = tables;
        Automaton {
            automaton: double_array.0,
            patterns,
            phrases,
            names,
            distinct,
            entries,
            gap_offsets,
            morphology,
        }
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
    /// phrase that select can keep, each entry of it in its group; with
    /// [`Reach::Everywhere`], the lexicon names inside words as well.
    pub(crate) fn scan(&self, norm: &Normalized, reach: Reach, hits: &mut Hits) {
        hits.clear();
        let skeleton = norm.skeleton();
        for m in self.automaton.find_overlapping_iter(skeleton) {
            let (start, end) = (m.start() as u32, m.end() as u32);
            for entry in self.patterns[m.value() as usize].clone() {
                hits.entities.push(Hit { start, end, entry });
            }
        }
        // Rule phrases («و», «با», «را») would match inside most words of a skeleton, which
        // has no spaces, and select keeps only those at a word start: they are looked for
        // there alone, with the test select makes (`starts_word`). So are the lexicon
        // names: tens of thousands of them in the double array made its every step a cache
        // miss, for names that select keeps only at a word start too.
        let everywhere = reach == Reach::Everywhere;
        let mut prev: Option<char> = None;
        for (at, c) in skeleton.char_indices() {
            let word_start = match prev {
                None => true,
                Some(p) => {
                    norm.gap_before(at).is_boundary() || !is_word_char(p) || !is_word_char(c)
                }
            };
            prev = Some(c);
            if word_start {
                self.phrases.find_at(skeleton, at, &mut hits.phrases);
            }
            if word_start || everywhere {
                self.names.find_at(skeleton, at, &mut hits.names);
            }
        }
        // In automaton order, by end, as the one automaton gave them.
        hits.phrases.sort_by_key(|h| h.end);
        hits.merge_names();
    }
}

impl Hits {
    /// Puts the lexicon names' hits among the double array's, in the order one automaton
    /// holding both gave: by end, then by start (the longest first), then entry order. Two
    /// hits of one span are of one skeleton, so they never come one from each side.
    fn merge_names(&mut self) {
        if self.names.is_empty() {
            return;
        }
        self.names
            .sort_unstable_by_key(|h| (h.end, h.start, h.entry));
        std::mem::swap(&mut self.entities, &mut self.merging);
        self.entities.clear();
        self.entities.reserve(self.merging.len() + self.names.len());
        let key = |h: &Hit| (h.end, h.start);
        let (mut a, mut b) = (0, 0);
        while a < self.merging.len() && b < self.names.len() {
            if key(&self.names[b]) < key(&self.merging[a]) {
                self.entities.push(self.names[b]);
                b += 1;
            } else {
                self.entities.push(self.merging[a]);
                a += 1;
            }
        }
        self.entities.extend_from_slice(&self.merging[a..]);
        self.entities.extend_from_slice(&self.names[b..]);
    }
}

/// The names only lexicons give, as a trie walked from a word start, like the rule phrases.
/// Its nodes are records in one array, in depth-first order: a walk goes deep (a name's
/// letters, then the next word's, as the skeleton has no spaces), and down a run of nodes
/// with one child each it reads consecutive bytes, where an array per field, or nodes in
/// breadth-first order, would miss the cache at every step.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct NameTrie {
    /// Node records: the number of children `k`, the node's index in `ends` or [`NONE`],
    /// then `k` characters (sorted) and the `k` children's offsets in this array. The root
    /// is at 0; a node's first child follows it.
    nodes: Vec<u32>,
    /// The entries of the names that end at a node.
    ends: Vec<Range<u32>>,
    /// A filter asked before any walk: nearly every word start begins some name's first
    /// letters (the walk went five letters deep on average), but few begin a name's first
    /// [`PREFIX`] letters. See [`NameTrie::may_start`].
    filter: PrefixFilter,
}

/// How many letters of a name the prefix filter hashes.
const PREFIX: usize = 6;

/// Bits set by the hash of each name's first [`PREFIX`] letters (`long`), or of the whole
/// name when it is shorter (`short`, with the lengths that occur in `short_lengths`). A
/// walk from a start whose letters set no bit would find nothing.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
struct PrefixFilter {
    long: Vec<u64>,
    short: Vec<u64>,
    short_lengths: u32,
}

/// One more letter into a prefix's hash (FxHash's step).
#[inline(always)]
fn hash_step(hash: u64, c: char) -> u64 {
    (hash.rotate_left(5) ^ u64::from(c)).wrapping_mul(0x517c_c1b7_2722_0a95)
}

impl PrefixFilter {
    fn new(names: &[(&str, Range<u32>)]) -> PrefixFilter {
        let (mut long, mut short) = (Vec::new(), Vec::new());
        let mut short_lengths = 0u32;
        for (skeleton, _) in names {
            let mut hash = 0u64;
            let mut len = 0;
            for c in skeleton.chars().take(PREFIX) {
                hash = hash_step(hash, c);
                len += 1;
            }
            if len == PREFIX {
                long.push(hash);
            } else {
                short.push(hash);
                short_lengths |= 1 << len;
            }
        }
        PrefixFilter {
            long: bits_of(&long),
            short: bits_of(&short),
            short_lengths,
        }
    }
}

/// A bit set of about 16 bits per hash (a few per cent of them set), a power of two long.
fn bits_of(hashes: &[u64]) -> Vec<u64> {
    let bits = (hashes.len() * 16).next_power_of_two().max(64);
    let mut set = vec![0u64; bits / 64];
    for &hash in hashes {
        set_bit(&mut set, hash);
    }
    set
}

/// The bit of `hash` in `set` (a power of two of words): its top bits.
#[inline(always)]
fn bit_index(set: &[u64], hash: u64) -> usize {
    let bits = set.len() * 64;
    (hash >> (64 - bits.trailing_zeros())) as usize
}

fn set_bit(set: &mut [u64], hash: u64) {
    let i = bit_index(set, hash);
    set[i / 64] |= 1 << (i % 64);
}

#[inline(always)]
fn has_bit(set: &[u64], hash: u64) -> bool {
    let i = bit_index(set, hash);
    set.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
}

/// No name ends at the node.
const NONE: u32 = u32::MAX;

/// Up to this many children, a node's characters are searched one by one.
const LINEAR: usize = 8;

impl NameTrie {
    /// The trie of `names`: skeletons, sorted and distinct, with their entries.
    fn new(names: &[(&str, Range<u32>)]) -> NameTrie {
        // The rule phrases' trie of edge lists first; then its records.
        let mut lists = PhraseTrie::default();
        for (skeleton, range) in names {
            lists.insert(skeleton, range.clone());
        }
        let PhraseTrie {
            mut edges,
            entries: mut node_entries,
        } = lists;
        // With no names the trie is its root alone.
        if edges.is_empty() {
            edges.push(Vec::new());
            node_entries.push(0..0);
        }
        let mut trie = NameTrie::default();
        // Every name has entries, so an empty range is a node where none ends.
        let ends: Vec<u32> = node_entries
            .into_iter()
            .map(|range| match range.is_empty() {
                true => NONE,
                false => {
                    trie.ends.push(range);
                    trie.ends.len() as u32 - 1
                }
            })
            .collect();
        trie.filter = PrefixFilter::new(names);
        // Offsets in depth-first order, then the records.
        let mut offset = vec![0u32; edges.len()];
        let mut order: Vec<u32> = Vec::with_capacity(edges.len());
        let mut stack = vec![0u32];
        let mut at = 0usize;
        while let Some(node) = stack.pop() {
            offset[node as usize] = at as u32;
            order.push(node);
            let children = &edges[node as usize];
            at += 2 + 2 * children.len();
            stack.extend(children.iter().rev().map(|&(_, child)| child));
        }
        trie.nodes.reserve_exact(at);
        for node in order {
            let children = &edges[node as usize];
            trie.nodes.push(children.len() as u32);
            trie.nodes.push(ends[node as usize]);
            trie.nodes.extend(children.iter().map(|&(c, _)| c as u32));
            trie.nodes
                .extend(children.iter().map(|&(_, child)| offset[child as usize]));
        }
        trie
    }

    /// The number of names.
    fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether a name may start `text`: no name does when the hash of its first [`PREFIX`]
    /// letters, and of each shorter prefix as long as a short name, sets no bit.
    #[inline]
    fn may_start(&self, text: &str) -> bool {
        let filter = &self.filter;
        let mut hash = 0u64;
        for (i, c) in text.chars().take(PREFIX).enumerate() {
            hash = hash_step(hash, c);
            let len = i + 1;
            if len == PREFIX {
                return has_bit(&filter.long, hash);
            }
            if filter.short_lengths & (1 << len) != 0 && has_bit(&filter.short, hash) {
                return true;
            }
        }
        false
    }

    /// Every name that starts at byte `start` of `skeleton`, as hits, shortest first.
    #[inline]
    fn find_at(&self, skeleton: &str, start: usize, out: &mut Vec<Hit>) {
        if self.ends.is_empty() || !self.may_start(&skeleton[start..]) {
            return;
        }
        let mut node = 0usize;
        for (offset, c) in skeleton[start..].char_indices() {
            let k = self.nodes[node] as usize;
            let labels = &self.nodes[node + 2..node + 2 + k];
            let c32 = c as u32;
            let found = if k <= LINEAR {
                labels.iter().position(|&l| l == c32)
            } else {
                labels.binary_search(&c32).ok()
            };
            let Some(i) = found else {
                return;
            };
            node = self.nodes[node + 2 + k + i] as usize;
            let end = self.nodes[node + 1];
            if end != NONE {
                let end_at = (start + offset + c.len_utf8()) as u32;
                for entry in self.ends[end as usize].clone() {
                    out.push(Hit {
                        start: start as u32,
                        end: end_at,
                        entry,
                    });
                }
            }
        }
    }
}

/// The rule phrases, as a trie walked from a word start: no failure links, as a phrase is
/// only ever looked for at a word start. A few thousand phrases: plain per-node edge lists.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
struct PhraseTrie {
    /// By node (0 is the root): its edges, sorted by character.
    edges: Vec<Vec<(char, u32)>>,
    /// By node: the entries of the phrase that ends there.
    entries: Vec<Range<u32>>,
}

impl PhraseTrie {
    /// Adds a phrase. Skeletons come sorted (byte order is code point order), so the
    /// phrases under one node are added together and its edges in character order.
    fn insert(&mut self, skeleton: &str, entries: Range<u32>) {
        if self.edges.is_empty() {
            self.edges.push(Vec::new());
            self.entries.push(0..0);
        }
        let mut node = 0usize;
        for c in skeleton.chars() {
            node = match self.edges[node].last() {
                Some(&(last, child)) if last == c => child as usize,
                _ => {
                    let child = self.edges.len();
                    self.edges.push(Vec::new());
                    self.entries.push(0..0);
                    self.edges[node].push((c, child as u32));
                    child
                }
            };
        }
        self.entries[node] = entries;
    }

    /// Every phrase that starts at byte `start` of `skeleton`, as hits, shortest first.
    #[inline]
    fn find_at(&self, skeleton: &str, start: usize, out: &mut Vec<Hit>) {
        let Some(mut edges) = self.edges.first() else {
            return;
        };
        for (offset, c) in skeleton[start..].char_indices() {
            let Ok(i) = edges.binary_search_by_key(&c, |&(e, _)| e) else {
                return;
            };
            let node = edges[i].1 as usize;
            edges = &self.edges[node];
            let end = (start + offset + c.len_utf8()) as u32;
            for entry in self.entries[node].clone() {
                out.push(Hit {
                    start: start as u32,
                    end,
                    entry,
                });
            }
        }
    }
}

/// The skeleton offsets at which an alias allows a separator: where it has one itself, and
/// at the edges of separable affixes inside its joined words.
/// They are appended to `out`, sorted and distinct.
fn push_allowed_gaps(alias: &Normalized, morphology: &Morphology, out: &mut Vec<u32>) {
    let skeleton = alias.skeleton();
    let first = out.len();
    let gaps = out;
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
    gaps[first..].sort_unstable();
    let mut kept = first;
    for i in first..gaps.len() {
        if kept == first || gaps[kept - 1] != gaps[i] {
            gaps[kept] = gaps[i];
            kept += 1;
        }
    }
    gaps.truncate(kept);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrase(text: &str, group: Group, target: u32) -> Phrase<'_> {
        Phrase {
            text,
            group,
            target,
            kind: AliasKind::Alias,
            origin: Origin::Gazetteer,
        }
    }

    /// Rule phrases are looked for at word starts only: the scan must give what the one
    /// automaton gave (every occurrence) less what select's word-start test dropped, in the
    /// same order; entity aliases are still found anywhere.
    #[test]
    fn phrases_at_every_word_start_and_nowhere_else() {
        let rule_texts = ["و", "با", "را", "وزیر", "وزیر خارجه", "به گفته", "،", "«"];
        let entity_texts = ["زیر", "وزیر خارجه"];
        let phrases = rule_texts
            .iter()
            .enumerate()
            .map(|(i, t)| phrase(t, Group::Phrase, i as u32))
            .chain(
                entity_texts
                    .iter()
                    .enumerate()
                    .map(|(i, t)| phrase(t, Group::Entity, i as u32)),
            );
        let automaton = Automaton::new(phrases, &Morphology::default()).unwrap();
        let doc = "وزیر خارجه با وزیران و رایزنان را دید؛ به گفته‌ی او، «وزیر» آمد. وبا";
        let norm = Normalized::new(doc);
        let mut hits = Hits::default();
        automaton.scan(&norm, Reach::WordStarts, &mut hits);
        let skeleton = norm.skeleton();
        let expect = |texts: &[&str], anywhere: bool| {
            let mut out = Vec::new();
            let mut prev: Option<char> = None;
            for (start, first) in skeleton.char_indices() {
                let word_start = prev.is_none_or(|p| {
                    norm.gap_before(start).is_boundary() || !is_word_char(p) || !is_word_char(first)
                });
                prev = Some(first);
                for (target, text) in texts.iter().enumerate() {
                    let phrase = crate::text::skeleton(text);
                    if !phrase.is_empty()
                        && (anywhere || word_start)
                        && skeleton[start..].starts_with(&phrase)
                    {
                        out.push((start as u32, (start + phrase.len()) as u32, target as u32));
                    }
                }
            }
            out.sort_by_key(|&(s, e, t)| (e, s, t));
            out
        };
        let found = |hits: &[Hit]| -> Vec<(u32, u32, u32)> {
            hits.iter()
                .map(|h| (h.start, h.end, automaton.entry(h.entry).target))
                .collect()
        };
        assert_eq!(found(&hits.phrases), expect(&rule_texts, false));
        assert!(found(&hits.phrases).len() < expect(&rule_texts, true).len());
        assert_eq!(found(&hits.entities), expect(&entity_texts, true));
    }

    /// The lexicon names left out of the double array are found as it found them: every
    /// occurrence in the same order with [`Reach::Everywhere`], those at word starts
    /// otherwise, among the other aliases' hits in automaton order.
    #[test]
    fn lexicon_names_as_the_double_array_found_them() {
        let names = [
            "ژوزپ بورل",
            "بورل",
            "محمد",
            "محمدجواد ظریف",
            "جواد",
            "ظریف",
            "جواد ظریف",
            "تهران",
            "ران",
        ];
        // Even names are the lexicon's in one build; every name is curated in the other.
        let build = |lexicon: bool| {
            let phrases = names
                .iter()
                .enumerate()
                .map(move |(i, text)| Phrase {
                    text,
                    group: Group::Entity,
                    target: i as u32,
                    kind: AliasKind::Name,
                    origin: if lexicon && i % 2 == 0 {
                        Origin::Lexicon
                    } else {
                        Origin::Gazetteer
                    },
                })
                .chain(["و", "با"].iter().map(|t| phrase(t, Group::Phrase, 0)));
            Automaton::new(phrases, &Morphology::default()).unwrap()
        };
        let (split, whole) = (build(true), build(false));
        assert_eq!((split.names.len(), whole.names.len()), (5, 0));
        let doc = "ژوزپ‌بورل و محمدجواد ظریف؛ محمدجوادظریف با بورل، آقای‌بورلی ومحمد «جواد» تهرانی";
        let norm = Normalized::new(doc);
        let (mut got, mut want) = (Hits::default(), Hits::default());
        whole.scan(&norm, Reach::WordStarts, &mut want);
        split.scan(&norm, Reach::Everywhere, &mut got);
        assert_eq!(got.entities, want.entities);
        assert_eq!(got.phrases, want.phrases);
        let skeleton = norm.skeleton();
        let word_start = |at: usize| {
            skeleton[..at].chars().next_back().is_none_or(|p| {
                let c = skeleton[at..].chars().next().unwrap_or(' ');
                norm.gap_before(at).is_boundary() || !is_word_char(p) || !is_word_char(c)
            })
        };
        want.entities.retain(|h| {
            split.entry(h.entry).origin != Origin::Lexicon || word_start(h.start as usize)
        });
        assert!(want.entities.len() < got.entities.len());
        split.scan(&norm, Reach::WordStarts, &mut got);
        assert_eq!(got.entities, want.entities);
    }
}
