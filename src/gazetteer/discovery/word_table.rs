//! Everything the data files say about a single normalized word, in one table: the discover
//! stage classifies nearly every word of the text, and asking five hash sets of 10,000 to
//! 194,000 strings each (the class table, function words, first names, common words, hazm's
//! words and verbs) cost it a cache miss or more per set. Here one hash of the word finds one
//! 16-byte slot holding all of it, and the word's bytes are compared once, in one arena.

use serde::{Deserialize, Serialize};

/// The word is a common word (`common_words.txt`).
pub(crate) const COMMON_WORD: u8 = 1;
/// The word is a Persian verb form (`lexicons/persian_verbs.txt`).
pub(crate) const VERB_FORM: u8 = 2;
/// The word is in hazm's word list (`lexicons/persian_words.txt`).
pub(crate) const LISTED_WORD: u8 = 4;
/// The word ends several names of the people lexicon: a surname («نجفی», «رشیدی»).
pub(crate) const SURNAME: u8 = 8;

/// What the table knows of a word; all zero for a word it does not hold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct WordInfo {
    /// The class letter the data give the word when it is not a common word, and when it is
    /// (they differ only for first names: `F` / `f`); 0 for none.
    pub(crate) tag: [u8; 2],
    /// [`COMMON_WORD`], [`VERB_FORM`], [`LISTED_WORD`], [`SURNAME`].
    pub(crate) flags: u8,
}

impl WordInfo {
    /// Whether any of `flags` is set.
    #[inline]
    pub(crate) fn has(self, flags: u8) -> bool {
        self.flags & flags != 0
    }
}

/// One slot of the open-addressed table: the word's place in the arena and what is known of
/// it. `check` (the hash's high half, never 0) is 0 in an empty slot, and lets a lookup skip
/// the arena for all but the slot that holds its word.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize)]
#[repr(C)]
struct Slot {
    check: u32,
    start: u32,
    len: u32,
    tag: [u8; 2],
    flags: u8,
    _pad: u8,
}

/// An open-addressed (linear probing) table of normalized words, a power of two of slots
/// at most about half full, with the words' bytes in one arena.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct WordTable {
    slots: Vec<Slot>,
    arena: String,
    /// The longest word: a longer one is in no list, and costs no hash.
    longest: usize,
}

#[inline]
fn hash(word: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(word.as_bytes())
}

/// A word's hash, from [`WordTable::probe`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Probe(u64);

#[inline]
fn prefetch<T>(at: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint; it never faults and changes no memory, and `at` is a
    // valid reference anyway.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
            (at as *const T).cast(),
        );
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = at;
}

#[inline]
fn check_of(hash: u64) -> u32 {
    (hash >> 32) as u32 | 1
}

impl WordTable {
    /// A table of `words`, each with what is known of it; a word given twice has the union
    /// of its flags and the tag of its last entry with one. `count` bounds the number of
    /// distinct words (it sizes the table).
    pub(crate) fn build<'a>(
        count: usize,
        words: impl IntoIterator<Item = (&'a str, WordInfo)>,
    ) -> WordTable {
        let capacity = (count.max(1) * 2).next_power_of_two();
        let mut table = WordTable {
            slots: vec![Slot::default(); capacity],
            arena: String::new(),
            longest: 0,
        };
        for (word, info) in words {
            let Ok(len) = u32::try_from(word.len()) else {
                continue;
            };
            let at = table.find_slot(word);
            let slot = &mut table.slots[at];
            if slot.check == 0 {
                let Ok(start) = u32::try_from(table.arena.len()) else {
                    continue;
                };
                table.arena.push_str(word);
                *slot = Slot {
                    check: check_of(hash(word)),
                    start,
                    len,
                    ..Slot::default()
                };
                table.longest = table.longest.max(word.len());
            }
            slot.flags |= info.flags;
            if info.tag != [0, 0] {
                slot.tag = info.tag;
            }
        }
        table
    }

    /// The slot holding `word`, or the empty slot where it would go.
    #[inline]
    fn find_slot(&self, word: &str) -> usize {
        self.find_slot_hashed(word, hash(word))
    }

    #[inline]
    fn find_slot_hashed(&self, word: &str, h: u64) -> usize {
        let check = check_of(h);
        let mask = self.slots.len() - 1;
        let mut at = h as usize & mask;
        loop {
            let slot = &self.slots[at];
            if slot.check == 0
                || (slot.check == check
                    && self
                        .arena
                        .as_bytes()
                        .get(slot.start as usize..(slot.start + slot.len) as usize)
                        == Some(word.as_bytes()))
            {
                return at;
            }
            at = (at + 1) & mask;
        }
    }

    /// What is known of `word` (a skeleton).
    #[inline]
    pub(crate) fn get(&self, word: &str) -> WordInfo {
        self.get_probed(word, Probe(hash(word)))
    }

    /// Starts loading the slot of `word` into the cache and returns its hash, for
    /// [`WordTable::get_probed`]: a lookup is one cache miss in a table of megabytes, and
    /// the discover stage probes every word of a sentence before it reads any, so that the
    /// misses overlap instead of following one another.
    #[inline]
    pub(crate) fn probe(&self, word: &str) -> Probe {
        let h = hash(word);
        if !self.slots.is_empty() {
            let slot = &self.slots[h as usize & (self.slots.len() - 1)];
            prefetch(slot);
        }
        Probe(h)
    }

    /// [`WordTable::get`], with the hash [`WordTable::probe`] gave for this very word.
    #[inline]
    pub(crate) fn get_probed(&self, word: &str, probe: Probe) -> WordInfo {
        if self.slots.is_empty() || word.len() > self.longest {
            return WordInfo::default();
        }
        let slot = &self.slots[self.find_slot_hashed(word, probe.0)];
        WordInfo {
            tag: slot.tag,
            flags: slot.flags,
        }
    }

    /// The number of words held.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.slots.iter().filter(|s| s.check != 0).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_exactly_what_it_holds() {
        let words: Vec<String> = (0..5000).map(|i| format!("w{i}")).collect();
        let table = WordTable::build(
            words.len() + 1,
            words
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    let flags = [COMMON_WORD, VERB_FORM, LISTED_WORD][i % 3];
                    (w.as_str(), WordInfo { tag: [0, 0], flags })
                })
                .chain([(
                    "w7",
                    WordInfo {
                        tag: [b'F', b'f'],
                        flags: 0,
                    },
                )]),
        );
        assert_eq!(table.len(), 5000);
        for (i, w) in words.iter().enumerate() {
            assert_eq!(
                table.get(w).flags,
                [COMMON_WORD, VERB_FORM, LISTED_WORD][i % 3],
                "{w}"
            );
        }
        assert_eq!(table.get("w7").tag, [b'F', b'f']);
        assert_eq!(table.get("w7").flags, VERB_FORM);
        for absent in ["", "w", "w5000", "x1", "w12345678"] {
            assert_eq!(table.get(absent), WordInfo::default(), "{absent}");
        }
        assert_eq!(WordTable::default().get("w1"), WordInfo::default());
    }
}
