//! Word segmentation of the original text.

use std::ops::Range;

/// Whether `c` belongs to a word of the original text: letters, digits, combining marks,
/// ZWNJ and tatweel (which stand inside Persian words).
#[inline]
pub fn is_word_part(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(c, '\u{200C}' | '\u{0640}')
        || unicode_normalization::char::is_combining_mark(c)
}

/// The byte ranges of the words of `text`, in order: maximal runs of [`is_word_part`]
/// characters that contain at least one letter or digit.
pub fn words(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || loop {
        let (start, c) = chars.next()?;
        if !is_word_part(c) {
            continue;
        }
        let mut end = start + c.len_utf8();
        let mut has_alnum = c.is_alphanumeric();
        while let Some(&(j, d)) = chars.peek() {
            if !is_word_part(d) {
                break;
            }
            has_alnum |= d.is_alphanumeric();
            end = j + d.len_utf8();
            chars.next();
        }
        if has_alnum {
            return Some(start..end);
        }
    })
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
    ];

    #[test]
    fn word_table() {
        for (name, text, expected) in CASES {
            let got: Vec<&str> = words(text).map(|r| &text[r]).collect();
            assert_eq!(&got, expected, "case {name:?}");
        }
    }
}
