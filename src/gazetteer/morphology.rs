//! Persian morphology tables: separable affixes (`affixes.tsv`) and attached suffixes after
//! an alias (`suffixes.tsv`).

use std::collections::HashSet;

use super::entities::read_tsv;
use super::RowError;
use crate::text::{is_vowel_letter, skeleton};

/// Where a separable affix stands in a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AffixPosition {
    /// A separator may follow it (بین‌المللی).
    Prefix,
    /// A separator may precede it (کشور‌ها).
    Suffix,
}

/// A separable affix: inside a joined alias word, a space or ZWNJ may stand at its edge.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Affix {
    /// The affix in normalized (skeleton) form.
    pub text: String,
    /// Which edge of the word it stands at.
    pub position: AffixPosition,
}

/// Which alias endings a suffix rule applies after.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum VowelCondition {
    /// The alias ends in a vowel letter (ا و ی ه).
    Vowel,
    /// The alias ends in any other letter.
    Consonant,
    /// Any alias.
    Any,
}

impl VowelCondition {
    /// Whether an alias ending in `last` satisfies the condition.
    pub fn holds_after(self, last: char) -> bool {
        match self {
            VowelCondition::Vowel => is_vowel_letter(last),
            VowelCondition::Consonant => !is_vowel_letter(last),
            VowelCondition::Any => true,
        }
    }
}

/// Whether a word made of an alias and an attached suffix is a mention (the `mention` column
/// of `suffixes.tsv`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SuffixMention {
    /// `yes`: the alias is a mention of its entity; the suffix stays outside the span
    /// («آمریکای لاتین», «کوباست»).
    Yes,
    /// `no`: the word is another word («کوباها»).
    No,
    /// `demonym`: the word, up to a ZWNJ, is a mention of the alias's country where a state
    /// noun (`state_nouns.txt`) stands right before it («مقامات آمریکایی», «همتای
    /// پاکستانی‌اش»): a demonym denotes the state only there, not in «به سبک چینی», and its
    /// plural («چینی‌ها») is mostly the people.
    Demonym,
}

/// What an attached suffix after an alias means.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SuffixRule {
    /// The suffix in normalized (skeleton) form.
    pub text: String,
    /// Which alias endings it applies after.
    pub after: VowelCondition,
    /// Whether the word is still a mention, and of what.
    pub mention: SuffixMention,
    /// A label for reviewers: ezafe, copula, demonym, ...
    pub kind: String,
}

/// The morphology tables matching consults.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Morphology {
    /// Separable affixes (`affixes.tsv`).
    pub affixes: Vec<Affix>,
    /// Attached suffixes after aliases (`suffixes.tsv`).
    pub suffixes: Vec<SuffixRule>,
    /// Frequent words (`common_words.txt`), normalized: an alias plus a suffix that forms one
    /// of them («سیا» + «ست» = «سیاست») is a different word.
    pub common_words: HashSet<String>,
    /// State nouns (`state_nouns.txt`), normalized: a demonym right after one of them (or
    /// after two words that together are one: «مقام های») denotes the state.
    pub state_nouns: HashSet<String>,
}

impl Morphology {
    /// What the attached `tail` (skeleton text up to the next word boundary) after an alias
    /// ending in `last` makes of the whole `word`: unlisted tails make another word, and so
    /// do tails that make the word a common word («سیا» + «ست»), except demonyms, which are
    /// common words themselves («آمریکایی») and are told apart by the noun before them.
    pub fn suffix_mention(&self, last: char, tail: &str, word: &str) -> SuffixMention {
        match self
            .suffixes
            .iter()
            .find(|s| s.text == tail && s.after.holds_after(last))
        {
            Some(s) if s.mention != SuffixMention::Yes || !self.common_words.contains(word) => {
                s.mention
            }
            _ => SuffixMention::No,
        }
    }

    /// Whether `words` (the skeleton of one word, or of two written apart) is a state noun.
    pub fn is_state_noun(&self, words: &str) -> bool {
        self.state_nouns.contains(words)
    }
}

pub(crate) fn parse_affixes(file: &str, text: &str, errors: &mut Vec<RowError>) -> Vec<Affix> {
    let mut out = Vec::new();
    read_tsv(
        file,
        text,
        &["affix", "position"],
        &["example", "note"],
        errors,
        |_, cols, rec| {
            let affix = skeleton(cols.get(rec, "affix"));
            let position = match cols.get(rec, "position") {
                "prefix" => AffixPosition::Prefix,
                "suffix" => AffixPosition::Suffix,
                other => return Err(format!("position {other:?} is not prefix or suffix")),
            };
            if affix.is_empty() {
                return Err("empty affix".to_string());
            }
            out.push(Affix {
                text: affix,
                position,
            });
            Ok(())
        },
    );
    out
}

pub(crate) fn parse_suffixes(
    file: &str,
    text: &str,
    errors: &mut Vec<RowError>,
) -> Vec<SuffixRule> {
    let mut out = Vec::new();
    read_tsv(
        file,
        text,
        &["suffix", "after", "mention"],
        &["kind", "example", "note"],
        errors,
        |_, cols, rec| {
            let suffix = skeleton(cols.get(rec, "suffix"));
            let after = match cols.get(rec, "after") {
                "vowel" => VowelCondition::Vowel,
                "consonant" => VowelCondition::Consonant,
                "any" => VowelCondition::Any,
                other => return Err(format!("after {other:?} is not vowel, consonant or any")),
            };
            let mention = match cols.get(rec, "mention") {
                "yes" => SuffixMention::Yes,
                "no" => SuffixMention::No,
                "demonym" => SuffixMention::Demonym,
                other => return Err(format!("mention {other:?} is not yes, no or demonym")),
            };
            if suffix.is_empty() {
                return Err("empty suffix".to_string());
            }
            out.push(SuffixRule {
                text: suffix,
                after,
                mention,
                kind: cols.get(rec, "kind").to_string(),
            });
            Ok(())
        },
    );
    out
}

/// Reads a word list: one word a line, `#` comments and blank lines ignored; words are stored
/// normalized.
pub(crate) fn parse_word_list(text: &str) -> HashSet<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(skeleton)
        .collect()
}
