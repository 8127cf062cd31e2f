//! `docs.spacy.jsonl`: each document as spaCy's `Doc.to_json()` would write it, one JSON
//! object a line, so that `Doc(vocab).from_json(line)` gives a spaCy `Doc` with our tokens,
//! sentences and entities:
//!
//! ```python
//! import json, spacy
//! from spacy.tokens import Doc
//! nlp = spacy.blank("xx")
//! docs = [Doc(nlp.vocab).from_json(json.loads(line)) for line in open("docs.spacy.jsonl")]
//! ```
//!
//! * `text`: the document as given.
//! * `tokens`: `{"id", "start", "end"}` in code points, as spaCy counts them. Words are runs
//!   of letters, digits, marks, ZWNJ and tatweel; every other character that is not white
//!   space is a token of its own; a token ends where a mention or a sentence starts or ends;
//!   and white space is tokenized as spaCy does (one space after a token is its trailing
//!   space, other white space is a token).
//! * `sents`: the sentences, trimmed of white space.
//! * `ents`: the top-level mentions (those inside a longer one are left out, since spaCy's
//!   entities do not overlap; a span resolved to two entities, such as «دو طرف» or "the
//!   two sides", is one entity, of the first), labelled in spaCy's scheme: `PERSON`, `GPE` (countries and
//!   cities), `LOC` (regions), `ORG` (organizations and parties), `EVENT`, `LAW`
//!   (documents); `INITIATIVE` and `PRINCIPLE`, which spaCy's scheme has no label for, keep
//!   ours.
//! * `spans["newsgraph"]`: every mention, nested ones included, with our type as `label` and
//!   the node id as `kb_id` (`country:CN`).
//! * `newsgraph`: `doc` (the document id), and `published` and `lang` when known. spaCy
//!   ignores the key. (Not `_`: spaCy 3.8's `from_json` fails on extension attributes that
//!   were not registered before.)

use std::io;

use super::json::{self, Object};
use crate::text::{is_white_space, is_word_part};
use crate::{Document, Extraction, Pipeline};

/// spaCy's (OntoNotes) label for one of our entity types.
pub fn spacy_label(entity_type: &str) -> &str {
    match entity_type {
        "PERSON" => "PERSON",
        "COUNTRY" | "CITY" => "GPE",
        "REGION" => "LOC",
        "ORGANIZATION" | "PARTY" => "ORG",
        "EVENT" => "EVENT",
        "DOCUMENT" => "LAW",
        other => other,
    }
}

/// Appends one token of spaCy's token array, `{"id":0,"start":0,"end":5}` (with a comma
/// before all but the first). Written by hand, not by serde, and assembled on the stack so
/// that it is one copy into `out`: a document has a token every few characters, and this
/// array is most of the file.
#[inline]
fn push_token(out: &mut Vec<u8>, id: usize, start: usize, end: usize) {
    // Three 20-digit numbers and the punctuation fit.
    let mut row = [0u8; 96];
    let mut n = 0;
    let mut put = |bytes: &[u8]| {
        row[n..n + bytes.len()].copy_from_slice(bytes);
        n += bytes.len();
    };
    let mut number = itoa::Buffer::new();
    put(if id == 0 { b"{\"id\":" } else { b",{\"id\":" });
    put(number.format(id).as_bytes());
    put(b",\"start\":");
    put(number.format(start).as_bytes());
    put(b",\"end\":");
    put(number.format(end).as_bytes());
    put(b"}");
    out.extend_from_slice(&row[..n]);
}

/// White space as Python's `str.split()` sees it (which spaCy's alignment uses): Unicode
/// white space and the information separators U+001C to U+001F.
#[inline]
fn is_space(c: char) -> bool {
    is_white_space(c) || ('\u{1C}'..='\u{1F}').contains(&c)
}

/// `range` (bytes of `text`) without white space at either end.
fn trim(text: &str, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let slice = &text[range.clone()];
    let start = range.start + (slice.len() - slice.trim_start_matches(is_space).len());
    let end = range.end - (slice.len() - slice.trim_end_matches(is_space).len());
    start..end.max(start)
}

/// The code point at each of `bytes` (byte offsets of `text`, on character boundaries),
/// counted on from the last one when they come in order, as sentences do.
struct CodePoints<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl CodePoints<'_> {
    fn at(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            (self.byte, self.chars) = (0, 0);
        }
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

/// Writes one JSON line for `doc` to `out`.
pub fn write_doc(
    pipeline: &Pipeline,
    doc: &Document,
    extraction: &Extraction,
    out: &mut Vec<u8>,
) -> io::Result<()> {
    let text = doc.text.as_str();
    let gazetteer = pipeline.gazetteer();
    // The line is about six times the text (a token is some 30 bytes for every 5 of text):
    // reserved once rather than grown a dozen times.
    out.reserve(text.len() * 6 + 256);
    let sentences: Vec<std::ops::Range<usize>> = extraction
        .sentences
        .iter()
        .map(|s| trim(text, s.clone()))
        .filter(|s| !s.is_empty())
        .collect();
    // Byte offsets where a token must end and another start.
    let mut cuts: Vec<usize> =
        Vec::with_capacity(2 * (extraction.mentions.len() + sentences.len()));
    for m in &extraction.mentions {
        cuts.push(m.byte_start);
        cuts.push(m.byte_end);
    }
    for s in &sentences {
        cuts.push(s.start);
        cuts.push(s.end);
    }
    cuts.sort_unstable();
    cuts.dedup();

    // The keys in the order spaCy's `Doc.to_json()` writes them; by hand, like the tokens.
    out.extend_from_slice(b"{\"text\":");
    json::string(out, text);
    out.extend_from_slice(b",\"ents\":[");
    let mut last_end = 0;
    let mut first = true;
    for m in &extraction.mentions {
        if !m.nested && m.start >= last_end && m.end > m.start {
            let label = extraction.entity(gazetteer, m.entity).entity_type.as_str();
            if !first {
                out.push(b',');
            }
            first = false;
            let mut o = Object::new(out);
            o.uint("start", m.start);
            o.uint("end", m.end);
            o.str("label", spacy_label(label));
            o.end();
            last_end = m.end;
        }
    }
    out.extend_from_slice(b"],\"sents\":[");
    let mut code_points = CodePoints {
        text,
        byte: 0,
        chars: 0,
    };
    for (i, s) in sentences.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let mut o = Object::new(out);
        o.uint("start", code_points.at(s.start));
        o.uint("end", code_points.at(s.end));
        o.end();
    }
    out.extend_from_slice(b"],\"tokens\":[");
    write_tokens(text, &cuts, out);
    out.extend_from_slice(b"],\"spans\":{\"newsgraph\":[");
    for (i, m) in extraction.mentions.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let entity = extraction.entity(gazetteer, m.entity);
        let mut o = Object::new(out);
        o.uint("start", m.start);
        o.uint("end", m.end);
        o.str("label", entity.entity_type.as_str());
        o.str("kb_id", &entity.id);
        o.end();
    }
    out.extend_from_slice(b"]},\"newsgraph\":");
    let mut o = Object::new(out);
    o.str("doc", &doc.id);
    if let Some(published) = &doc.published {
        o.str("published", published);
    }
    if let Some(lang) = &doc.lang {
        o.str("lang", lang);
    }
    o.end();
    out.extend_from_slice(b"}\n");
    Ok(())
}

/// Appends the tokens of `text`, in code points, split at each of `cuts` (sorted byte
/// offsets), as the elements of spaCy's token array.
fn write_tokens(text: &str, cuts: &[usize], out: &mut Vec<u8>) {
    let mut id = 0;
    let mut push = |start: usize, end: usize| {
        if end > start {
            push_token(out, id, start, end);
            id += 1;
        }
    };
    let bytes = text.as_bytes();
    let mut cuts = cuts.iter().copied().peekable();
    // The first cut after the last character read one by one: the fast path below stops
    // there (it moves a character at a time, so it cannot step over it).
    let mut next_cut = usize::MAX;
    let mut chars = 0usize;
    let mut word: Option<usize> = None; // start of the word being read
    let mut space: Option<usize> = None; // start of a white space token being read
    let mut after_token = false; // a space now would be the trailing space of a token
    let mut byte = 0;
    while byte < bytes.len() {
        // Inside a word and not at a cut, a letter or digit of ASCII or of the Arabic block
        // (two bytes, lead 0xD8 to 0xDB) only continues the word: most of the text, read
        // without decoding it in general.
        if word.is_some() && byte != next_cut {
            let b = bytes[byte];
            if b.is_ascii_alphanumeric() {
                byte += 1;
                chars += 1;
                continue;
            }
            if let (0xD8..=0xDB, Some(&next)) = (b, bytes.get(byte + 1)) {
                let code = (u32::from(b & 0x1F) << 6) | u32::from(next & 0x3F);
                if char::from_u32(code).is_some_and(is_word_part) {
                    byte += 2;
                    chars += 1;
                    continue;
                }
            }
        }
        let Some(c) = text[byte..].chars().next() else {
            break;
        };
        while cuts.next_if(|&cut| cut < byte).is_some() {}
        let at_cut = cuts.next_if_eq(&byte).is_some();
        next_cut = cuts.peek().copied().unwrap_or(usize::MAX);
        if is_space(c) {
            if let Some(start) = word.take() {
                push(start, chars);
                after_token = true;
            }
            if space.is_none() {
                if c == ' ' && after_token {
                    after_token = false;
                } else {
                    space = Some(chars);
                }
            }
        } else {
            if let Some(start) = space.take() {
                push(start, chars);
            }
            after_token = false;
            if is_word_part(c) {
                match word {
                    Some(start) if at_cut => {
                        push(start, chars);
                        word = Some(chars);
                    }
                    Some(_) => {}
                    None => word = Some(chars),
                }
            } else {
                // Punctuation and symbols are tokens of one character.
                if let Some(start) = word.take() {
                    push(start, chars);
                }
                push(chars, chars + 1);
                after_token = true;
            }
        }
        byte += c.len_utf8();
        chars += 1;
    }
    if let Some(start) = word.or(space) {
        push(start, chars);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<String> {
        let pipeline = Pipeline::embedded().unwrap();
        let doc = Document::new("d", text);
        let extraction = pipeline.extract(&doc);
        let mut out = Vec::new();
        write_doc(&pipeline, &doc, &extraction, &mut out).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let chars: Vec<char> = text.chars().collect();
        value["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                let (s, e) = (
                    t["start"].as_u64().unwrap() as usize,
                    t["end"].as_u64().unwrap() as usize,
                );
                chars[s..e].iter().collect()
            })
            .collect()
    }

    #[test]
    fn tokens_as_spacy_aligns_them() {
        assert_eq!(
            tokens("  روابط بین‌المللی چین و کوباست.\n\nXi  met"),
            [
                "  ",
                "روابط",
                "بین‌المللی",
                "چین",
                "و",
                "کوبا",
                "ست",
                ".",
                "\n\n",
                "Xi",
                " ",
                "met"
            ]
        );
        assert_eq!(tokens("a, b"), ["a", ",", "b"]);
        assert_eq!(tokens(""), Vec::<String>::new());
    }

    #[test]
    fn labels() {
        assert_eq!(spacy_label("COUNTRY"), "GPE");
        assert_eq!(spacy_label("CITY"), "GPE");
        assert_eq!(spacy_label("PARTY"), "ORG");
        assert_eq!(spacy_label("INITIATIVE"), "INITIATIVE");
    }
}
