//! Word segmentation of the original text.

use std::ops::Range;

use super::normalize::{ARABIC_ALPHANUMERIC, ARABIC_COMBINING};

const ZWNJ: char = '\u{200C}';

/// Whether `c` belongs to a word of the original text: letters, digits, combining marks,
/// ZWNJ and tatweel (which stand inside Persian words).
#[inline]
pub fn is_word_part(c: char) -> bool {
    word_class(c).0
}

/// `char::is_whitespace`, without the Unicode table for ASCII and the Arabic block (which
/// holds no white space): the graph's snippets test every character of their window.
#[inline]
pub fn is_white_space(c: char) -> bool {
    match c as u32 {
        0..=0x7F => matches!(c, ' ' | '\t'..='\r'),
        0x0600..=0x06FF => false,
        _ => c.is_whitespace(),
    }
}

/// Whether `c` is a word part ([`is_word_part`]) and whether it is a letter or digit, in
/// one lookup.
#[inline]
fn word_class(c: char) -> (bool, bool) {
    // ASCII and the Arabic block by table: the Unicode tables' binary search per character
    // was a quarter of the time on a long document.
    if c.is_ascii() {
        let alnum = c.is_ascii_alphanumeric();
        return (alnum, alnum);
    }
    if let at @ 0..=255 = (c as u32).wrapping_sub(0x0600) {
        let at = at as usize;
        let alnum = ARABIC_ALPHANUMERIC[at];
        return (alnum || ARABIC_COMBINING[at] || c == '\u{0640}', alnum);
    }
    let alnum = c.is_alphanumeric();
    let part = alnum || c == '\u{200C}' || unicode_normalization::char::is_combining_mark(c);
    (part, alnum)
}

/// The byte ranges of the words of `text`, in order: maximal runs of [`is_word_part`]
/// characters that contain at least one letter or digit.
pub fn words(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || loop {
        let (start, c) = chars.next()?;
        crate::ops::tick(1);
        let (part, mut has_alnum) = word_class(c);
        // A ZWNJ joins the parts of a word: one at its edge («، ‌عسکراولادی») is no part of it.
        if !part || c == ZWNJ {
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            let (part, alnum) = word_class(d);
            if !part {
                break;
            }
            has_alnum |= alnum;
            if d != ZWNJ {
                end = j + d.len_utf8();
            }
            chars.next();
            crate::ops::tick(1);
        }
        if has_alnum {
            return Some(start..end);
        }
    })
}

/// The last of [`words`] of `text`, found from the end: it costs the length of the last
/// word and what follows it, not of `text` (a rule looking at the word before a mention must
/// not read the whole sentence before it).
pub fn last_word(text: &str) -> Option<Range<usize>> {
    let mut chars = text.char_indices().rev().peekable();
    loop {
        let (i, c) = chars.next()?;
        crate::ops::tick(1);
        let (part, mut has_alnum) = word_class(c);
        if !part || c == ZWNJ {
            continue;
        }
        let end = i + c.len_utf8();
        let mut start = i;
        while let Some(&(j, d)) = chars.peek() {
            let (part, alnum) = word_class(d);
            if !part {
                break;
            }
            has_alnum |= alnum;
            if d != ZWNJ {
                start = j;
            }
            chars.next();
            crate::ops::tick(1);
        }
        if has_alnum {
            return Some(start..end);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASES: &[(&str, &str, &[&str])] = &[
        (
            "persian with zwnj",
            "روابط بین‌المللی چین",
            &["روابط", "بین‌المللی", "چین"],
        ),
        (
            "punctuation",
            "کوبا، چین و «کمربند و جاده»",
            &["کوبا", "چین", "و", "کمربند", "و", "جاده"],
        ),
        ("hyphen splits", "دیاز-کانل", &["دیاز", "کانل"]),
        ("diacritics inside", "مُحَمَّد", &["مُحَمَّد"]),
        ("digits", "2022/11/25", &["2022", "11", "25"]),
        (
            "english",
            "Xi met Díaz-Canel.",
            &["Xi", "met", "Díaz", "Canel"],
        ),
        ("lone zwnj is not a word", "a \u{200C} b", &["a", "b"]),
        (
            "zwnj at a word's edge",
            "ایران، \u{200C}عسکراولادی\u{200C} و",
            &["ایران", "عسکراولادی", "و"],
        ),
    ];

    #[test]
    fn tables_agree_with_unicode() {
        for c in ('\0'..='\u{2FFF}').chain(['\u{FB50}', '\u{FEFC}', '\u{1F1E8}']) {
            let slow = c.is_alphanumeric()
                || matches!(c, '\u{200C}' | '\u{0640}')
                || unicode_normalization::char::is_combining_mark(c);
            assert_eq!(is_word_part(c), slow, "{c:?}");
            assert_eq!(super::super::is_word_char(c), c.is_alphanumeric(), "{c:?}");
            assert_eq!(is_white_space(c), c.is_whitespace(), "{c:?}");
            assert_eq!(word_class(c), (slow, c.is_alphanumeric()), "{c:?}");
        }
    }

    #[test]
    fn word_table() {
        for (name, text, expected) in CASES {
            let got: Vec<&str> = words(text).map(|r| &text[r]).collect();
            assert_eq!(&got, expected, "case {name:?}");
            assert_eq!(last_word(text), words(text).last(), "case {name:?}");
        }
        for text in ["", " ", "\u{200C}", "a \u{200C}", "چین \u{0640}\u{200C} ،"] {
            assert_eq!(last_word(text), words(text).last(), "{text:?}");
        }
    }
}
