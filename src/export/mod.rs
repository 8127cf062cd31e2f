//! Output files: the set of files a run writes, made visible together ([`OutputSet`], see
//! [`set`] for the design), and the formats of each.

pub mod csv;
pub mod dot;
pub mod gexf;
pub mod graphml;
pub mod html;
mod json;
pub mod jsonl;
pub mod layout;
pub mod options;
pub mod rdf;
pub mod set;
pub mod spacy;
pub mod style;
pub mod suggestions;
pub mod svg;

use std::borrow::Cow;

pub use set::{recover, write_file, AbortHandle, ExportError, OutputSet, Sink};

/// Whether XML 1.0 can hold `c` at all (as itself or as a character reference).
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// Whether XML 1.0 can hold every character of `value`, read on its bytes (every cell of the
/// CSV and GraphML files asks, and decoding each character cost more than the rest of the
/// cell): only a control byte other than tab, line feed and carriage return, or the UTF-8 of
/// U+FFFE or U+FFFF (`EF BF BE`, `EF BF BF`), is a character [`xml_char`] refuses.
fn all_xml_chars(value: &str) -> bool {
    let bytes = value.as_bytes();
    // Most values hold neither a control byte nor 0xEF (the lead byte of U+F000..U+FFFF): a
    // test without early exit, which vectorizes, settles them.
    if !bytes
        .iter()
        .fold(false, |seen, &b| seen | (b < b' ') | (b == 0xEF))
    {
        return true;
    }
    bytes.iter().enumerate().all(|(i, &b)| {
        (b >= b' ' || matches!(b, b'\t' | b'\n' | b'\r'))
            && !(b == 0xEF
                && bytes.get(i + 1) == Some(&0xBF)
                && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)))
    })
}

/// `value` with every character XML 1.0 cannot represent (control characters other than tab,
/// line feed and carriage return; U+FFFE, U+FFFF) replaced by U+FFFD. GraphML must do so, and
/// the CSV files do the same so that both carry the same values.
pub(crate) fn printable(value: &str) -> Cow<'_, str> {
    if all_xml_chars(value) {
        Cow::Borrowed(value)
    } else {
        Cow::Owned(
            value
                .chars()
                .map(|c| if xml_char(c) { c } else { '\u{FFFD}' })
                .collect(),
        )
    }
}

/// Document ids joined with `;`, for `document_ids`. An id that holds `;` or `\` has them
/// written `\;` and `\\`, so the list splits back into the ids: split at every `;` not
/// preceded by an unescaped `\`, then replace `\;` by `;` and `\\` by `\`.
pub(crate) fn join_ids<'a>(ids: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for (i, id) in ids.into_iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        for c in id.chars() {
            if matches!(c, ';' | '\\') {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_split_back() {
        assert_eq!(join_ids(["d1", "d2"]), "d1;d2");
        assert_eq!(join_ids(["d2;d3", "a\\b", ""]), "d2\\;d3;a\\\\b;");
        assert_eq!(join_ids([]), "");
    }

    #[test]
    fn xml_characters_read_on_bytes_as_on_chars() {
        for value in [
            "",
            "plain",
            "a\tb\nc\rd",
            "a\u{1}b",
            "\u{1F}",
            "\u{7F}\u{80}\u{9F}",
            "چین\u{200C}ها",
            "\u{FFFD}\u{FFFC}\u{FFBE}\u{FFBF}",
            "x\u{FFFE}",
            "\u{FFFF}y",
            "\u{EFBF}\u{10FFFF}",
        ] {
            assert_eq!(
                all_xml_chars(value),
                value.chars().all(xml_char),
                "{value:?}"
            );
        }
    }

    #[test]
    fn control_characters_become_replacement_characters() {
        assert!(matches!(printable("a\tb\nc"), Cow::Borrowed(_)));
        assert_eq!(printable("a\u{1}b\u{FFFF}"), "a\u{FFFD}b\u{FFFD}");
    }
}
