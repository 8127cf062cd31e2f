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

pub use set::{recover, write_file, AbortHandle, ExportError, OutputSet};

/// Whether XML 1.0 can hold `c` at all (as itself or as a character reference).
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// `value` with every character XML 1.0 cannot represent (control characters other than tab,
/// line feed and carriage return; U+FFFE, U+FFFF) replaced by U+FFFD. GraphML must do so, and
/// the CSV files do the same so that both carry the same values.
pub(crate) fn printable(value: &str) -> Cow<'_, str> {
    if value.chars().all(xml_char) {
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
    fn control_characters_become_replacement_characters() {
        assert!(matches!(printable("a\tb\nc"), Cow::Borrowed(_)));
        assert_eq!(printable("a\u{1}b\u{FFFF}"), "a\u{FFFD}b\u{FFFD}");
    }
}
