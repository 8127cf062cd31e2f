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

/// What an attached suffix after an alias means.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SuffixRule {
    /// The suffix in normalized (skeleton) form.
    pub text: String,
    /// Which alias endings it applies after.
    pub after: VowelCondition,
    /// Whether the word is still a mention of the alias's entity.
    pub mention: bool,
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
}

impl Morphology {
    /// Whether the attached `tail` (skeleton text up to the next word boundary) after an
    /// alias ending in `last` keeps the word a mention. Unlisted tails do not, and neither
    /// does a tail that makes the whole `word` a common word.
    pub fn keeps_mention(&self, last: char, tail: &str, word: &str) -> bool {
        self.suffixes
            .iter()
            .find(|s| s.text == tail && s.after.holds_after(last))
            .is_some_and(|s| s.mention)
            && !self.common_words.contains(word)
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
                "yes" => true,
                "no" => false,
                other => return Err(format!("mention {other:?} is not yes or no")),
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
