//! Normalization for matching, with a map back to the original text.
//!
//! Persian news text writes the same word in many ways: Arabic or Persian letter forms
//! (ي/ی, ك/ک), with or without diacritics and tatweel, with Persian, Arabic or Latin digits,
//! and with the zero-width non-joiner (ZWNJ) written, missing, or replaced by a space
//! (بین‌المللی / بینالمللی / بین المللی). Matching must see through all of these, but every
//! span it reports must point into the text as written.
//!
//! [`Normalized`] therefore holds a *skeleton*: the folded characters with every separator
//! between words removed. What separated a character from the one before it is kept beside it
//! as a [`Gap`]. A matcher searches the skeleton, so «بین المللی» and «بینالمللی» look the same
//! to it, and then reads the gaps to decide whether a match starts and ends on word boundaries
//! and whether the separators it spans are ones the alias allows.
//!
//! Each skeleton byte also records the byte range of the original character it came from, so
//! any skeleton span maps back to an original span that starts and ends on character
//! boundaries.

use std::ops::Range;

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use super::fold::{is_line_break, letter_fold};

/// What separated a skeleton character from the character before it in the original text.
///
/// Ordered by strength: when several separators stand between two characters the strongest
/// is kept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Gap {
    /// The characters were adjacent (ignorable characters such as diacritics may have stood
    /// between them).
    #[default]
    None,
    /// A zero-width non-joiner (or zero-width space). Inside a word in Persian: it does not
    /// make a word boundary, but an alias may allow it where it allows a space.
    Zwnj,
    /// Horizontal white space of any kind and length (space, NBSP, tab, ...). A word boundary.
    Space,
    /// A line break. A word boundary that no match may span.
    Line,
}

impl Gap {
    /// True when this gap separates two words.
    #[inline]
    pub fn is_boundary(self) -> bool {
        self >= Gap::Space
    }
}

/// A normalized copy of a text: the skeleton to match on and the map back to the original.
///
/// Guarantees, for any input:
/// - `skeleton()` contains no white space, ZWNJ, diacritics or tatweel, only lower-case
///   letters where the original had cased letters, and ASCII digits for Persian and
///   Arabic-Indic digits;
/// - for every skeleton span on character boundaries, [`Normalized::original_range`] returns a
///   byte range of the original text on character boundaries, and mapping is monotonic.
#[derive(Clone, Debug, Default)]
pub struct Normalized {
    skeleton: String,
    /// For each skeleton byte, the original byte range of the character it came from.
    source: Vec<(u32, u32)>,
    /// For each skeleton byte, the gap before its character (meaningful at char starts).
    gaps: Vec<Gap>,
    /// The gap after the last skeleton character (text end counts as a boundary anyway).
    trailing_gap: Gap,
}

impl Normalized {
    /// Normalizes `text`.
    pub fn new(text: &str) -> Normalized {
        let mut n = Normalized::default();
        n.reset(text);
        n
    }

    /// Normalizes `text` into this value, reusing its buffers (no allocation once they are
    /// large enough).
    ///
    /// # Panics
    ///
    /// Never for texts below 4 GiB; longer texts are rejected by the input layer.
    pub fn reset(&mut self, text: &str) {
        self.skeleton.clear();
        self.source.clear();
        self.gaps.clear();
        self.skeleton.reserve(text.len());
        self.source.reserve(text.len());
        self.gaps.reserve(text.len());
        self.trailing_gap = fold(text, |c, span, gap| self.push_char(c, span, gap));
    }

    #[inline]
    fn push_char(&mut self, c: char, span: (u32, u32), gap: Gap) {
        self.skeleton.push(c);
        // One entry per skeleton byte; Persian letters are two.
        match c.len_utf8() {
            1 => {
                self.source.push(span);
                self.gaps.push(gap);
            }
            2 => {
                self.source.extend_from_slice(&[span, span]);
                self.gaps.extend_from_slice(&[gap, Gap::None]);
            }
            len => {
                self.source.extend(std::iter::repeat_n(span, len));
                self.gaps.push(gap);
                self.gaps.extend(std::iter::repeat_n(Gap::None, len - 1));
            }
        }
    }

    /// The folded text with separators removed: what matchers search.
    pub fn skeleton(&self) -> &str {
        &self.skeleton
    }

    /// The separator before the skeleton character starting at byte `at`; at the end of the
    /// skeleton, the separator after the last character.
    #[inline]
    pub fn gap_before(&self, at: usize) -> Gap {
        self.gaps.get(at).copied().unwrap_or(self.trailing_gap)
    }

    /// The original byte range of a skeleton byte range. `range` must lie on skeleton
    /// character boundaries and be non-empty; the result lies on original character
    /// boundaries.
    #[inline]
    pub fn original_range(&self, range: Range<usize>) -> Range<usize> {
        debug_assert!(range.start < range.end && range.end <= self.skeleton.len());
        self.source[range.start].0 as usize..self.source[range.end - 1].1 as usize
    }

    /// The original byte offset at which the skeleton character at `at` starts; the original
    /// text length is not known here, so `at` must be a character start inside the skeleton.
    #[inline]
    pub fn original_start(&self, at: usize) -> usize {
        self.source[at].0 as usize
    }

    /// The skeleton of the original byte range `range` (on character boundaries): what
    /// [`skeleton`] of that slice returns, since folding looks at one character at a time,
    /// but read off this skeleton instead of folded again. `cursor` is where the previous
    /// call ended: calls for ranges in text order cost their length, not the text's.
    #[inline]
    pub fn skeleton_of(&self, range: Range<usize>, cursor: &mut usize) -> &str {
        &self.skeleton[self.skeleton_range(range, cursor)]
    }

    /// The skeleton byte range of [`Normalized::skeleton_of`].
    #[inline]
    pub fn skeleton_range(&self, range: Range<usize>, cursor: &mut usize) -> Range<usize> {
        let start = self.skeleton_index(range.start, cursor);
        let end = self.skeleton_index(range.end, cursor);
        start..end
    }

    /// The first skeleton byte whose character comes from original byte `original` or
    /// later, searched forward from `cursor` (or from the start, should `original` lie
    /// before it), which it then points at.
    #[inline]
    fn skeleton_index(&self, original: usize, cursor: &mut usize) -> usize {
        let original = original as u32;
        let mut at = (*cursor).min(self.source.len());
        if at > 0 && self.source[at - 1].0 >= original {
            at = self.source.partition_point(|s| s.0 < original);
        }
        while at < self.source.len() && self.source[at].0 < original {
            at += 1;
        }
        *cursor = at;
        at
    }

    /// A readable rendering for tests and debugging: gaps shown as one space (`Space`), a
    /// line break (`Line`) or a ZWNJ (`Zwnj`).
    pub fn to_spaced(&self) -> String {
        let mut out = String::with_capacity(self.skeleton.len() + 16);
        for (i, c) in self.skeleton.char_indices() {
            match self.gaps[i] {
                Gap::None => {}
                Gap::Zwnj => out.push('\u{200C}'),
                Gap::Space => out.push(' '),
                Gap::Line => out.push('\n'),
            }
            out.push(c);
        }
        out
    }
}

/// The skeleton of `text` (see [`Normalized::skeleton`]): how an alias, a rule phrase or a
/// marker looks to matching.
pub fn skeleton(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    skeleton_into(text, &mut out);
    out
}

/// [`skeleton`] into `out` (cleared first), reusing its buffer: for the stages that look
/// words up one by one. It builds no offset map.
pub fn skeleton_into(text: &str, out: &mut String) {
    out.clear();
    fold(text, |c, _, _| out.push(c));
}

/// Folds `text` (see [`Normalized`]): calls `keep` with each skeleton character, the original
/// byte range it came from and the separator before it, and returns the separator after the
/// last one.
#[inline]
fn fold(text: &str, mut keep: impl FnMut(char, (u32, u32), Gap)) -> Gap {
    let mut pending = Gap::None;
    let mut emit = |c: char, span: (u32, u32), pending: &mut Gap| {
        keep(c, span, *pending);
        *pending = Gap::None;
    };
    let common = &*COMMON;
    for (start, c) in text.char_indices() {
        let end = start + c.len_utf8();
        let span = (start as u32, end as u32);
        match common.get(common_index(c)) {
            Some(Common::Keep(folded)) => {
                emit(*folded, span, &mut pending);
                continue;
            }
            Some(Common::Separator(gap)) => {
                pending = pending.max(*gap);
                continue;
            }
            Some(Common::Ignore) => continue,
            Some(Common::Rules) | None => {}
        }
        let mut push = |folded: Folded, pending: &mut Gap| match folded {
            Folded::One(c) => emit(c, span, pending),
            Folded::Lower(c) => {
                for l in c.to_lowercase() {
                    emit(l, span, pending);
                }
            }
        };
        match classify(c) {
            Class::Keep(folded) => push(folded, &mut pending),
            Class::Separator(gap) => pending = pending.max(gap),
            Class::Ignore => {}
            Class::Decompose => {
                decompose_compatible(c, |d: char| {
                    if is_combining_mark(d) {
                        return;
                    }
                    match classify_simple(d) {
                        Class::Keep(folded) => push(folded, &mut pending),
                        Class::Separator(gap) => pending = pending.max(gap),
                        Class::Ignore | Class::Decompose => {}
                    }
                });
            }
        }
    }
    pending
}

/// Whether `c` is invisible in Persian text and dropped by normalization: tatweel, joiners,
/// direction marks and controls, the byte-order mark, the soft hyphen. (ZWNJ is not: it
/// separates the parts of a word, see [`Gap::Zwnj`].)
#[inline]
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{0640}'
            | '\u{200D}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{00AD}'
            | '\u{061C}'
    )
}

/// Whether a skeleton character is part of a word: letters and digits of any script.
/// (ZWNJ also belongs to words, which is why it is a [`Gap::Zwnj`] and not a boundary.)
#[inline]
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    match (c as u32).wrapping_sub(0x0600) {
        at @ 0..=255 => ARABIC_ALPHANUMERIC[at as usize],
        _ => c.is_alphanumeric(),
    }
}

include!(concat!(env!("OUT_DIR"), "/char_tables.rs"));

/// Persian letters that end a syllable with a written long vowel; the ezafe after them is
/// written as an attached «ی» (آمریکای لاتین), which suffix rules need to know.
#[inline]
pub fn is_vowel_letter(c: char) -> bool {
    matches!(c, 'ا' | 'و' | 'ی' | 'ه' | 'a' | 'e' | 'i' | 'o' | 'u')
}

/// What [`classify`] decides for a character that needs no decomposition and folds to one
/// character: ASCII and the Arabic block, nearly every character of Persian news, are looked
/// up in [`COMMON`] instead of going through the folding rules one by one.
#[derive(Clone, Copy)]
enum Common {
    Keep(char),
    Separator(Gap),
    Ignore,
    /// Decided by [`classify`] (no character of either block today).
    Rules,
}

/// [`Common`] for U+0000–U+007F, then U+0600–U+06FF (see [`common_index`]).
static COMMON: std::sync::LazyLock<[Common; 384]> = std::sync::LazyLock::new(|| {
    std::array::from_fn(|i| {
        let code = if i < 128 {
            i as u32
        } else {
            0x0600 + (i as u32 - 128)
        };
        let c = char::from_u32(code).unwrap_or('\0');
        match classify(c) {
            Class::Keep(Folded::One(folded)) => Common::Keep(folded),
            Class::Separator(gap) => Common::Separator(gap),
            Class::Ignore => Common::Ignore,
            Class::Keep(Folded::Lower(_)) | Class::Decompose => Common::Rules,
        }
    })
});

/// The index of `c` in [`COMMON`], or one past its end for every other character.
#[inline]
fn common_index(c: char) -> usize {
    let code = c as u32;
    if code < 0x80 {
        code as usize
    } else {
        match code.wrapping_sub(0x0600) {
            at @ 0..=255 => 128 + at as usize,
            _ => usize::MAX,
        }
    }
}

enum Folded {
    One(char),
    Lower(char),
}

enum Class {
    Keep(Folded),
    Separator(Gap),
    Ignore,
    /// Needs compatibility decomposition (presentation forms, accented Latin, ...).
    Decompose,
}

/// Classifies one original character. Common characters are decided without decomposition.
#[inline]
fn classify(c: char) -> Class {
    if c.is_ascii() {
        return classify_simple(c);
    }
    match c {
        // Arabic block: fold the letter variants, drop marks, keep the rest as is. This is the
        // hot path for Persian text and must not decompose.
        '\u{0600}'..='\u{06FF}' => classify_simple(c),
        _ if needs_decomposition(c) => Class::Decompose,
        _ => classify_simple(c),
    }
}

fn needs_decomposition(c: char) -> bool {
    // Accented Latin, Greek and Cyrillic, fullwidth forms and Arabic presentation forms are
    // the characters whose compatibility decomposition changes what we match on.
    matches!(c,
        '\u{00A0}'..='\u{052F}'
        | '\u{1E00}'..='\u{1FFF}'
        | '\u{2000}'..='\u{2BFF}'
        | '\u{FB00}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFF}'
        | '\u{FF00}'..='\u{FFEF}')
}

/// The character-level folding table, without decomposition.
fn classify_simple(c: char) -> Class {
    use Class::*;
    match c {
        c if is_line_break(c) => Separator(Gap::Line),
        '\u{200C}' | '\u{200B}' => Separator(Gap::Zwnj),
        c if is_invisible(c) => Ignore,
        c if c.is_whitespace() => Separator(Gap::Space),
        'A'..='Z' => Keep(Folded::One(c.to_ascii_lowercase())),
        c if c.is_ascii() => Keep(Folded::One(c)),
        // Arabic letter forms to their Persian equivalents.
        c if letter_fold(c).is_some() => Keep(Folded::One(letter_fold(c).map_or(c, |f| f.to))),
        '\u{06F0}'..='\u{06F9}' => Keep(Folded::One(digit(c as u32 - 0x06F0))),
        '\u{0660}'..='\u{0669}' => Keep(Folded::One(digit(c as u32 - 0x0660))),
        '٫' => Keep(Folded::One('.')),
        '٬' => Keep(Folded::One(',')),
        // The rest of the Arabic block: marks are dropped, and nothing has a case.
        '\u{0600}'..='\u{06FF}' if ARABIC_COMBINING[c as usize - 0x0600] => Ignore,
        '\u{0600}'..='\u{06FF}' => Keep(Folded::One(c)),
        // Typographic apostrophes: "People’s Republic" is "People's Republic".
        '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{FF07}' => Keep(Folded::One('\'')),
        // Dashes and hyphens of every kind to ASCII '-'.
        '\u{2010}'..='\u{2015}'
        | '\u{2212}'
        | '\u{FE58}'
        | '\u{FE63}'
        | '\u{FF0D}'
        | '\u{2E3A}'
        | '\u{2E3B}'
        | '\u{058A}'
        | '\u{05BE}' => Keep(Folded::One('-')),
        // Harakat, superscript alef, Quranic marks and any other combining mark.
        c if is_combining_mark(c) => Ignore,
        c if c.is_uppercase() => Keep(Folded::Lower(c)),
        c => Keep(Folded::One(c)),
    }
}

#[inline]
fn digit(n: u32) -> char {
    char::from_digit(n, 10).unwrap_or('0')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (name, input, expected `to_spaced()` rendering)
    const CASES: &[(&str, &str, &str)] = &[
        ("arabic yeh", "علي", "علی"),
        ("alef maksura", "موسى", "موسی"),
        ("final hamza yeh", "رئيس", "رییس"),
        ("arabic kaf", "كوبا", "کوبا"),
        ("heh with yeh above", "کرهٔ شمالی", "کره شمالی"),
        ("heh goal hamza", "جامعۀ", "جامعه"),
        ("hamza above alone", "ه\u{0654}", "ه"),
        ("teh marbuta", "دولة", "دوله"),
        ("alef variants", "آمریکا أحمد إسلام", "امریکا احمد اسلام"),
        ("waw hamza", "رؤسای", "روسای"),
        ("fatha damma kasra", "مُحَمَّد", "محمد"),
        ("tanwin", "حتماً", "حتما"),
        ("superscript alef", "رحمٰن", "رحمن"),
        ("tatweel", "چـــین", "چین"),
        ("persian digits", "۱۴۰۱/۰۹/۰۴", "1401/09/04"),
        ("arabic-indic digits", "٢٠٢٢", "2022"),
        ("arabic decimal separator", "۳٫۵", "3.5"),
        ("nbsp", "چین\u{00A0}کوبا", "چین کوبا"),
        ("tab", "چین\tکوبا", "چین کوبا"),
        ("run of spaces", "چین    کوبا", "چین کوبا"),
        ("newline is a line gap", "چین\r\nکوبا", "چین\nکوبا"),
        (
            "zwnj kept as zwnj gap",
            "بین\u{200C}المللی",
            "بین\u{200C}المللی",
        ),
        (
            "zwnj next to space is a space",
            "بین \u{200C}المللی",
            "بین المللی",
        ),
        ("zero-width space as zwnj", "می\u{200B}کند", "می\u{200C}کند"),
        ("direction marks vanish", "چین\u{200F}کوبا", "چینکوبا"),
        ("en dash", "دیاز–کانل", "دیاز-کانل"),
        ("minus sign", "a\u{2212}b", "a-b"),
        ("typographic apostrophe", "People\u{2019}s", "people's"),
        ("latin case", "Xi JINPING", "xi jinping"),
        (
            "latin accents",
            "Díaz-Canel Bermúdez",
            "diaz-canel bermudez",
        ),
        ("german sharp s stays", "Straße", "straße"),
        ("dotted capital i", "İran", "iran"),
        ("fullwidth latin", "ＵＮ", "un"),
        ("arabic presentation forms", "ﻛﻮﺑﺎ", "کوبا"),
        ("lam-alef ligature", "ﻻ", "لا"),
        ("leading and trailing space", "  چین  ", " چین"),
        ("bom is ignored", "\u{FEFF}چین", "چین"),
        ("empty", "", ""),
    ];

    #[test]
    fn word_characters_agree_with_the_unicode_tables() {
        for u in 0..0x3000u32 {
            if let Some(c) = char::from_u32(u) {
                assert_eq!(is_word_char(c), c.is_alphanumeric(), "U+{u:04X}");
            }
        }
    }

    #[test]
    fn the_common_table_agrees_with_the_folding_rules() {
        for code in (0..0x80u32).chain(0x0600..0x0700) {
            let c = char::from_u32(code).unwrap();
            let text = format!("a{c}b");
            let mut by_rules = String::new();
            match classify_simple(c) {
                Class::Keep(Folded::One(f)) => by_rules.push(f),
                Class::Separator(Gap::Space) => by_rules.push(' '),
                Class::Separator(Gap::Line) => by_rules.push('\n'),
                Class::Separator(Gap::Zwnj) => by_rules.push('\u{200C}'),
                Class::Separator(Gap::None) | Class::Ignore => {}
                Class::Keep(Folded::Lower(_)) | Class::Decompose => panic!("U+{code:04X}"),
            }
            let expected = format!("a{by_rules}b");
            assert_eq!(Normalized::new(&text).to_spaced(), expected, "U+{code:04X}");
        }
    }

    #[test]
    fn folding_table() {
        for (name, input, expected) in CASES {
            let n = Normalized::new(input);
            assert_eq!(n.to_spaced(), *expected, "case {name:?}: input {input:?}");
            assert_eq!(
                skeleton(input),
                n.skeleton(),
                "case {name:?}: input {input:?}"
            );
        }
    }

    #[test]
    fn skeleton_has_no_separators() {
        let n = Normalized::new("بین  المللی\u{200C}ها\nو");
        assert_eq!(n.skeleton(), "بینالمللیهاو");
        assert_eq!(n.gap_before(0), Gap::None);
        assert_eq!(n.gap_before("بین".len()), Gap::Space);
        assert_eq!(n.gap_before("بینالمللی".len()), Gap::Zwnj);
        assert_eq!(n.gap_before("بینالمللیها".len()), Gap::Line);
    }

    #[test]
    fn maps_back_to_original_characters() {
        let text = "رئيسِ جمهور";
        let n = Normalized::new(text);
        // «رییس» in the skeleton covers «رئيسِ» minus the kasra that follows it.
        let r = n.original_range(0.."رییس".len());
        assert_eq!(&text[r], "رئيس");
        let j = "رییس".len();
        let r = n.original_range(j..n.skeleton().len());
        assert_eq!(&text[r], "جمهور");
    }

    #[test]
    fn one_original_char_may_give_several() {
        let text = "ﻻ";
        let n = Normalized::new(text);
        assert_eq!(n.skeleton(), "لا");
        assert_eq!(&text[n.original_range(0..n.skeleton().len())], "ﻻ");
    }

    #[test]
    fn skeleton_of_a_range_is_its_skeleton() {
        let text = "Xi «رئيسِ»  جمهوری‌ها ﻻ İstanbul-2 ۱۴۰۲ ى.";
        let n = Normalized::new(text);
        let mut cuts: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        cuts.dedup();
        // Every range, forward and then backward, through one cursor.
        let mut cursor = 0;
        for &a in cuts.iter().chain(cuts.iter().rev()) {
            for &b in cuts.iter().filter(|&&b| b >= a) {
                assert_eq!(
                    n.skeleton_of(a..b, &mut cursor),
                    skeleton(&text[a..b]),
                    "{a}..{b}"
                );
            }
        }
    }
}
