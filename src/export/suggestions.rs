//! `suggestions.tsv`: the names the discovery patterns found, most frequent first, as rows of
//! the gazetteer's own entity format, so that a curator checks a row, fills in what they know
//! and pastes it into `gazetteers/entities/*.tsv`, where it becomes a curated entity.
//!
//! The file is itself a valid entity file: its header is the entity header, and each row's
//! `note` gives the mention and document counts and one example sentence.

use crate::gazetteer::{EntityType, DISCOVERED};
use crate::graph::{KnowledgeGraph, Node};

/// The entity-file columns the rows fill, in the entity files' order.
pub const HEADER: &str =
    "id\ttype\tname_en\tname_fa\taliases\tshort\tcountry\tpart_of\toffices\twikidata\tnote\n";

/// The curated id a discovered node suggests: its id without the discovery namespace
/// (`person:discovered.kmalvndy` → `person:kmalvndy`); `None` for any other node.
pub fn suggested_id(id: &str) -> Option<String> {
    let (prefix, rest) = id.split_once(':')?;
    let slug = rest.strip_prefix(DISCOVERED)?;
    Some(format!("{prefix}:{slug}"))
}

/// The type and mention count of a row of `suggestions.tsv` (the format [`write_suggestions`]
/// writes: the type in the second column, the note starting with the count; 0 when the note
/// does not), or `None` for a comment or the header.
pub fn row_type_and_mentions(line: &str) -> Option<(&str, u64)> {
    if line.starts_with('#') || line == HEADER.trim_end() {
        return None;
    }
    let mut cells = line.split('\t');
    let entity_type = cells.nth(1).unwrap_or_default();
    let mentions = cells
        .next_back()
        .and_then(|note| note.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    Some((entity_type, mentions))
}

/// A cell's text on one line: tabs, line breaks and runs of white space become one space.
#[cfg(test)]
fn cell(text: &str) -> String {
    let mut out = Vec::new();
    push_cell(&mut out, text);
    String::from_utf8(out).expect("words of a str")
}

/// Appends [`cell`] of `text` to `out`, word by word, without building the cell first.
fn push_cell(out: &mut Vec<u8>, text: &str) {
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        out.extend_from_slice(word.as_bytes());
    }
}

/// Writes the discovered nodes of `graph`, most mentions first (then most documents, then by
/// id), after a comment that says what the file is.
pub fn write_suggestions(graph: &KnowledgeGraph, out: &mut Vec<u8>) -> std::io::Result<()> {
    let mut found: Vec<(&Node, String)> = graph
        .graph
        .node_weights()
        .filter_map(|n| suggested_id(&n.id).map(|id| (n, id)))
        .collect();
    found.sort_by(|(a, _), (b, _)| {
        (b.data.mentions, b.data.documents, &a.id).cmp(&(a.data.mentions, a.data.documents, &b.id))
    });
    out.extend_from_slice(
        "# Names the discovery patterns found that the gazetteer lacks, most frequent first.\n\
         # Each row is a row of gazetteers/entities/*.tsv: check it, fill in what you know\n\
         # (English name, country, offices, Wikidata QID) and paste it into an entity file;\n\
         # the name is then a curated entity with the same mentions.\n"
            .as_bytes(),
    );
    out.extend_from_slice(HEADER.as_bytes());
    for (node, id) in found {
        let data = &node.data;
        // A person's last name alone names them after the full name, as it did when found.
        let name = if data.name_fa.is_empty() {
            &data.name_en
        } else {
            &data.name_fa
        };
        let words: Vec<&str> = name.split_whitespace().collect();
        let short = match (data.entity_type.as_str(), words.as_slice()) {
            (t, [.., last]) if t == EntityType::Person.as_str() && words.len() >= 2 => *last,
            _ => "",
        };
        let documents = data.documents;
        // The row is appended piece by piece (one `format!` and a joined vector per cell
        // were most of this file's cost). The note is one cell: its count has single
        // spaces and no white space at either end, and the example after it starts with
        // `;`, so the count and the example's cell joined are the cell of the whole.
        out.extend_from_slice(id.as_bytes());
        out.push(b'\t');
        out.extend_from_slice(data.entity_type.as_bytes());
        out.push(b'\t');
        push_cell(out, &data.name_en);
        out.push(b'\t');
        push_cell(out, &data.name_fa);
        out.extend_from_slice(b"\t\t");
        push_cell(out, short);
        out.extend_from_slice(b"\t\t\t\t\t");
        let mut number = itoa::Buffer::new();
        out.extend_from_slice(number.format(data.mentions).as_bytes());
        out.extend_from_slice(if data.mentions == 1 {
            b" mention in "
        } else {
            b" mentions in "
        });
        out.extend_from_slice(number.format(documents).as_bytes());
        out.extend_from_slice(if documents == 1 {
            b" document"
        } else {
            b" documents"
        });
        if let Some(example) = data.samples.iter().next() {
            let mut note = String::with_capacity(
                example.doc.len()
                    + example.before.len()
                    + example.text.len()
                    + example.after.len()
                    + 8,
            );
            note.push_str("; e.g. ");
            note.push_str(&example.doc);
            note.push_str(": ");
            note.push_str(&example.before);
            note.push('[');
            note.push_str(&example.text);
            note.push(']');
            note.push_str(&example.after);
            push_cell(out, &note);
        }
        out.push(b'\n');
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_leave_the_discovery_namespace() {
        assert_eq!(
            suggested_id("person:discovered.kmalvndy").as_deref(),
            Some("person:kmalvndy")
        );
        assert_eq!(suggested_id("person:xi-jinping"), None);
        assert_eq!(suggested_id("discovered.x"), None);
    }

    #[test]
    fn rows_read_back_their_type_and_count() {
        let row =
            "person:x\tPERSON\t\tایکس\t\t\t\t\t\t\t\t3 mentions in 2 documents; e.g. d: [ایکس]";
        assert_eq!(row_type_and_mentions(row), Some(("PERSON", 3)));
        assert_eq!(row_type_and_mentions(HEADER.trim_end()), None);
        assert_eq!(row_type_and_mentions("# a comment"), None);
        assert_eq!(
            row_type_and_mentions("person:y\tPERSON\tY"),
            Some(("PERSON", 0))
        );
    }

    #[test]
    fn cells_stay_on_one_line() {
        assert_eq!(cell("a\tb\n c  d"), "a b c d");
    }
}
