//! The discovery data (`patterns/`): word classes and the patterns written over them, which
//! the discover stage runs to find names the gazetteer lacks. First names come from the people
//! lexicon: a word that begins at least [`FIRST_NAME_MIN`] of its names.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use regex::Regex;
use serde::Deserialize;

use super::entities::read_tsv;
use super::rules::{line_of, parse_toml};
use super::{EntityType, RowError};
use crate::text::skeleton;

mod word_table;

use word_table::WordInfo;
use word_table::WordTable;
pub(crate) use word_table::{Probe, COMMON_WORD, LISTED_WORD, SURNAME, VERB_FORM};

/// The namespace of discovered names' ids, after the type's prefix (`person:discovered.x`):
/// no curated id can hold a `.`, so none collides with one.
pub const DISCOVERED: &str = "discovered.";

/// The word classes, relative to the gazetteer folder.
pub(crate) const CLASSES_FILE: &str = "patterns/classes.tsv";
/// The patterns.
pub(crate) const PATTERNS_FILE: &str = "patterns/patterns.toml";
/// Persian words (hazm's list): a word that is not one, nor a common word, is unknown.
pub(crate) const WORDS_FILE: &str = "lexicons/persian_words.txt";
/// Persian verb forms (generated from hazm's verb list): never unknown words either.
pub(crate) const VERBS_FILE: &str = "lexicons/persian_verbs.txt";
/// A first name that is also a common word («آن», «شاه», «روی») counts only when it begins
/// at least this many names of the people lexicon («محمد», «علی»).
const COMMON_FIRST_NAME_MIN: usize = 30;
/// How many names of the people lexicon a word must begin to be a first name.
const FIRST_NAME_MIN: usize = 3;
/// How many names of the people lexicon a word must end to be a surname (class `e` when it
/// is a Persian word).
const SURNAME_MIN: usize = 2;

/// The classes a data file may give a word (the others come from the text).
pub(crate) const WORD_CLASSES: &[(u8, &str)] = &[
    (b'H', "honorific"),
    (b'T', "title word"),
    (b'S', "speech verb"),
    (b'G', "organization head"),
    (b'J', "party head"),
    (b'A', "conjunction inside a name"),
    (b'M', "title naming its organization"),
    (b'R', "news source cue"),
    (b'N', "media head"),
    (b'D', "determiner or quantifier"),
    (b'V', "copula or light verb"),
    (b'E', "modifier naming a kind"),
];

/// Every letter a pattern may use.
pub(crate) const ALL_CLASSES: &str = "HTSGJAMRNDVEFfPCXKQqp.wceovLld";
/// Word sequences that are never names, relative to the gazetteer folder.
pub(crate) const NOT_NAMES_FILE: &str = "patterns/not_names.txt";
/// Inflectional endings («ها», «ان», «ی»): a word that is a known word with one of them is a
/// known word too, not an unknown one. Relative to the gazetteer folder.
pub(crate) const INFLECTIONS_FILE: &str = "patterns/inflections.txt";
/// Function words (hazm's stopwords), relative to the gazetteer folder.
pub(crate) const FUNCTION_WORDS_FILE: &str = "stopwords.txt";

/// The multiply-rotate hash of rustc (FxHash): the discover stage looks up every word of the
/// text in several of these sets, and SipHash was most of its cost. Only data files are
/// inserted, so text cannot make keys collide on purpose.
#[derive(Clone, Copy, Default)]
pub(crate) struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A set of normalized words, hashed fast.
pub(crate) type WordSet = HashSet<String, BuildHasherDefault<FxHasher>>;
type WordMap<V> = HashMap<String, V, BuildHasherDefault<FxHasher>>;

/// One discovery pattern.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct DiscoveryPattern {
    /// Its id, written with every mention it finds (`fa.title-name`).
    pub id: String,
    /// The type of what it finds.
    pub entity_type: EntityType,
    /// Written with every mention it finds (0–1).
    pub confidence: f64,
    /// Kept in the compiled cache as its source, and compiled again when loaded.
    #[serde(with = "regex_source")]
    pub(crate) regex: Regex,
}

/// The regexes of a list of patterns as one [`regex::RegexSet`], or `None` should the set
/// not compile (the patterns compiled one by one, so only a size limit could stop it); kept
/// in the compiled cache as the patterns' sources.
#[derive(Clone, Debug, Default)]
struct PatternSet(Option<regex::RegexSet>);

impl PatternSet {
    fn new(patterns: &[DiscoveryPattern]) -> PatternSet {
        PatternSet(regex::RegexSet::new(patterns.iter().map(|p| p.regex.as_str())).ok())
    }
}

impl serde::Serialize for PatternSet {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let sources: &[String] = self.0.as_ref().map_or(&[], |set| set.patterns());
        sources.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for PatternSet {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<PatternSet, D::Error> {
        let sources = Vec::<String>::deserialize(deserializer)?;
        if sources.is_empty() {
            return Ok(PatternSet(None));
        }
        regex::RegexSet::new(sources)
            .map(|set| PatternSet(Some(set)))
            .map_err(serde::de::Error::custom)
    }
}

mod regex_source {
    use regex::Regex;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(
        regex: &Regex,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(regex.as_str())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Regex, D::Error> {
        let source = <&str>::deserialize(deserializer)?;
        Regex::new(source).map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSpec {
    #[serde(default)]
    pattern: Vec<toml::Spanned<PatternSpec>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PatternSpec {
    id: String,
    #[serde(rename = "type")]
    entity_type: String,
    confidence: f64,
    regex: String,
}

/// Word classes, first names and patterns.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Discovery {
    classes: WordMap<u8>,
    /// Normalized first names, with how many names of the people lexicon they begin.
    first_names: WordMap<usize>,
    /// Words that end at least [`SURNAME_MIN`] names of the people lexicon; the table holds
    /// them as [`SURNAME`].
    #[serde(skip)]
    surnames: WordSet,
    patterns: Vec<DiscoveryPattern>,
    /// The patterns' regexes as one set, kept with `patterns` (see [`Discovery::matching`]).
    any: PatternSet,
    pub(crate) romanizer: super::lexicons::Romanizer,
    /// Normalized Persian words: not names unless a pattern says so by other means. Read
    /// into [`Discovery::seal`]'s table, then emptied.
    #[serde(skip)]
    pub(crate) words: WordSet,
    /// Normalized Persian verb forms (into the table too).
    #[serde(skip)]
    pub(crate) verbs: WordSet,
    /// Normalized Persian function words (hazm's stopwords): class `o`, never part of a name
    /// (into the table too).
    #[serde(skip)]
    pub(crate) function_words: WordSet,
    /// Normalized word sequences that look like names to the patterns but never are
    /// («علی‌رغم»: "despite").
    pub(crate) not_names: WordSet,
    /// Normalized inflectional endings: a known word with one («کشورها», «خبرنگاران») is no
    /// unknown word.
    pub(crate) inflections: Vec<String>,
    /// The class table, function words, first names, common words, words and verbs in one
    /// table (see [`Discovery::word`]), made by [`Discovery::seal`] once every file is added,
    /// and kept in the compiled cache.
    table: WordTable,
}

impl Discovery {
    /// Makes the table of [`Discovery::word`] from the class table, the function words, the
    /// first names, `common` (the morphology's common words), the words and the verbs, and
    /// empties the word and verb sets (the table holds them). Called once every data file is
    /// added.
    pub(crate) fn seal(&mut self, common: &std::collections::HashSet<String>) {
        let words = std::mem::take(&mut self.words);
        let verbs = std::mem::take(&mut self.verbs);
        let function_words = std::mem::take(&mut self.function_words);
        let surnames = std::mem::take(&mut self.surnames);
        let count = words.len()
            + surnames.len()
            + verbs.len()
            + common.len()
            + function_words.len()
            + self.first_names.len()
            + self.classes.len();
        let info = |flags| WordInfo { tag: [0, 0], flags };
        // The tags in rising precedence (a later one replaces an earlier): a first name, a
        // function word, a word of the class table.
        let first_names: Vec<(&str, WordInfo)> = self
            .first_names
            .keys()
            .map(|word| {
                let class = |common| self.first_name_class(word, || common).unwrap_or(0);
                let tag = [class(false), class(true)];
                (word.as_str(), WordInfo { tag, flags: 0 })
            })
            .collect();
        let table = WordTable::build(
            count,
            flagged(&words, info(LISTED_WORD))
                .chain(flagged(&verbs, info(VERB_FORM)))
                .chain(common.iter().map(|w| (w.as_str(), info(COMMON_WORD))))
                .chain(flagged(&surnames, info(SURNAME)))
                .chain(first_names)
                .chain(flagged(
                    &function_words,
                    WordInfo {
                        tag: [b'o'; 2],
                        flags: 0,
                    },
                ))
                .chain(self.classes.iter().map(|(w, &class)| {
                    (
                        w.as_str(),
                        WordInfo {
                            tag: [class; 2],
                            flags: 0,
                        },
                    )
                })),
        );
        self.table = table;
    }

    /// What the data files say of a normalized word: the class they give it (a word of the
    /// class table, a function word `o`, a first name [`Discovery::first_name_class`]: `[if
    /// it is not a common word, if it is]`, 0 for none) and whether it is a common word, a
    /// verb form, a word of the word list. One lookup for all of it, which the discover stage
    /// asks of nearly every word of the text.
    #[inline]
    pub(crate) fn word(&self, skeleton: &str) -> WordInfo {
        self.table.get(skeleton)
    }

    /// Starts loading what [`Discovery::word_probed`] will read of a normalized word (see
    /// [`WordTable::probe`]).
    #[inline]
    pub(crate) fn probe(&self, skeleton: &str) -> Probe {
        self.table.probe(skeleton)
    }

    /// [`Discovery::word`], with what [`Discovery::probe`] returned for the same word.
    #[inline]
    pub(crate) fn word_probed(&self, skeleton: &str, probe: Probe) -> WordInfo {
        self.table.get_probed(skeleton, probe)
    }

    /// Whether a normalized word sequence is listed as never a name.
    pub(crate) fn is_not_name(&self, skeleton: &str) -> bool {
        self.not_names.contains(skeleton)
    }

    /// Whether a normalized word is a known word (common or of the word list) with an
    /// inflectional ending («رسانه‌ها», «اصولگرایان»), so no name.
    pub(crate) fn is_inflected(&self, skeleton: &str) -> bool {
        self.inflections.iter().any(|ending| {
            skeleton.strip_suffix(ending.as_str()).is_some_and(|stem| {
                stem.chars().count() >= 2 && self.word(stem).has(COMMON_WORD | LISTED_WORD)
            })
        })
    }

    /// Whether the word of `skeleton` may begin a person's name: a first name (`F`, `f`), a
    /// surname of the people lexicon, or a word no list holds.
    pub(crate) fn may_begin_name(&self, skeleton: &str) -> bool {
        let info = self.word(skeleton);
        info.tag[0] == b'F' || info.has(SURNAME) || (info.flags == 0 && info.tag == [0, 0])
    }

    /// The class of a normalized word that is a first name, a word that begins enough names
    /// of the people lexicon: `F`, or `f` when it is also a common word (`common`: «جوان»,
    /// «پارک», «جان»), which needs many more names and is weaker evidence of a name.
    pub(crate) fn first_name_class(
        &self,
        skeleton: &str,
        common: impl FnOnce() -> bool,
    ) -> Option<u8> {
        let n = *self.first_names.get(skeleton)?;
        match common() {
            false if n >= FIRST_NAME_MIN => Some(b'F'),
            true if n >= COMMON_FIRST_NAME_MIN => Some(b'f'),
            _ => None,
        }
    }

    /// The node id of a discovered name: its type's prefix, then `discovered.` and a
    /// romanized slug of its normalized form. A curated slug has no `.`, so the two can never
    /// collide; the same name gets the same id in every document.
    pub(crate) fn id_of(&self, entity_type: EntityType, name: &str) -> String {
        let mut slug = self.romanizer.slug(name);
        if slug.is_empty() {
            slug = "x".to_string();
        }
        format!("{}:{DISCOVERED}{slug}", entity_type.id_prefix())
    }

    /// The patterns, in file order.
    pub fn patterns(&self) -> &[DiscoveryPattern] {
        &self.patterns
    }

    /// Whether pattern `p` may match a class string: `matching` is what
    /// [`Discovery::matching_patterns`] returned for it. Asking one set which patterns match
    /// a sentence at all is one pass over it; each pattern's capture search is one pass a
    /// pattern, and is left to the patterns that match.
    #[inline]
    pub(crate) fn may_match(matching: &Option<regex::SetMatches>, p: usize) -> bool {
        matching.as_ref().is_none_or(|m| m.matched(p))
    }

    /// The patterns that match somewhere in the class string `classes`, `None` meaning any
    /// may (no set could be compiled).
    #[inline]
    pub(crate) fn matching_patterns(&self, classes: &str) -> Option<regex::SetMatches> {
        self.any.0.as_ref().map(|set| set.matches(classes))
    }

    pub(crate) fn add_classes(&mut self, file: &str, text: &str, errors: &mut Vec<RowError>) {
        read_tsv(
            file,
            text,
            &["class", "word"],
            &["note"],
            errors,
            |_, cols, rec| {
                let class = cols.get(rec, "class");
                let Some(&(letter, _)) =
                    WORD_CLASSES.iter().find(|(l, _)| class.as_bytes() == [*l])
                else {
                    let known: Vec<String> = WORD_CLASSES
                        .iter()
                        .map(|(l, what)| format!("{} ({what})", *l as char))
                        .collect();
                    return Err(format!(
                        "class {class:?} is not one of {}",
                        known.join(", ")
                    ));
                };
                let word = skeleton(cols.get(rec, "word"));
                if word.is_empty() {
                    return Err("empty word".into());
                }
                self.classes.insert(word, letter);
                Ok(())
            },
        );
    }

    pub(crate) fn add_patterns(&mut self, file: &str, text: &str, errors: &mut Vec<RowError>) {
        let Some(spec) = parse_toml::<FileSpec>(file, text, errors) else {
            return;
        };
        for entry in &spec.pattern {
            let line = line_of(text, entry.span().start);
            let p = entry.get_ref();
            let error = |reason: String| RowError {
                file: file.to_string(),
                line,
                reason: format!("pattern {:?}: {reason}", p.id),
            };
            let Some(entity_type) = EntityType::parse(&p.entity_type) else {
                errors.push(error(format!("unknown entity type {:?}", p.entity_type)));
                continue;
            };
            if !(0.0..=1.0).contains(&p.confidence) {
                errors.push(error("confidence must be between 0 and 1".into()));
                continue;
            }
            // Letters outside the class alphabet match nothing: a typo.
            let body = p.regex.replace("?P<name>", "");
            if let Some(bad) = body
                .chars()
                .filter(char::is_ascii_alphabetic)
                .find(|c| !ALL_CLASSES.contains(*c))
            {
                errors.push(error(format!("{bad:?} is not a word class")));
                continue;
            }
            let regex = match Regex::new(&p.regex) {
                Ok(regex) => regex,
                Err(e) => {
                    errors.push(error(format!("invalid regex: {e}")));
                    continue;
                }
            };
            if regex.capture_names().all(|n| n != Some("name")) {
                errors.push(error("the regex needs a group `(?P<name>...)`".into()));
                continue;
            }
            if self.patterns.iter().any(|q| q.id == p.id) {
                errors.push(error("duplicate pattern id".into()));
                continue;
            }
            self.patterns.push(DiscoveryPattern {
                id: p.id.clone(),
                entity_type,
                confidence: p.confidence,
                regex,
            });
        }
        self.any = PatternSet::new(&self.patterns);
    }

    /// The first names and surnames of a people lexicon (one name a line): the first and the
    /// last words of its names of two words or more.
    pub(crate) fn add_first_names(&mut self, people: &str) {
        let mut counts: HashMap<String, usize> = HashMap::new();
        let mut last: HashMap<String, usize> = HashMap::new();
        for line in people.lines() {
            let mut words = line.trim_start_matches('\u{FEFF}').split_whitespace();
            if let (Some(first), Some(second)) = (words.next(), words.next()) {
                *counts.entry(skeleton(first)).or_default() += 1;
                *last
                    .entry(skeleton(words.last().unwrap_or(second)))
                    .or_default() += 1;
            }
        }
        self.first_names.extend(
            counts
                .into_iter()
                .filter(|(w, n)| *n >= FIRST_NAME_MIN && w.chars().count() >= 2),
        );
        self.surnames.extend(
            last.into_iter()
                .filter(|(w, n)| *n >= SURNAME_MIN && w.chars().count() >= 2)
                .map(|(w, _)| w),
        );
    }
}

/// The words of `set`, each with `info`.
fn flagged(set: &WordSet, info: WordInfo) -> impl Iterator<Item = (&str, WordInfo)> {
    set.iter().map(move |w| (w.as_str(), info))
}
