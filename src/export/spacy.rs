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

/// A token's code-point range; its id is its index.
struct Token {
    start: usize,
    end: usize,
}

/// Appends `tokens` as spaCy's `[{"id":0,"start":0,"end":5},...]`. Written by hand, not by
/// serde: a document has a token every few characters, and this array is most of the file.
fn write_tokens(tokens: &[Token], out: &mut Vec<u8>) {
    let mut number = itoa::Buffer::new();
    out.push(b'[');
    for (id, t) in tokens.iter().enumerate() {
        if id > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"id\":");
        out.extend_from_slice(number.format(id).as_bytes());
        out.extend_from_slice(b",\"start\":");
        out.extend_from_slice(number.format(t.start).as_bytes());
        out.extend_from_slice(b",\"end\":");
        out.extend_from_slice(number.format(t.end).as_bytes());
        out.push(b'}');
    }
    out.push(b']');
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

/// Writes one JSON line for `doc` to `out`.
pub fn write_doc(
    pipeline: &Pipeline,
    doc: &Document,
    extraction: &Extraction,
    out: &mut Vec<u8>,
) -> io::Result<()> {
    let text = doc.text.as_str();
    let gazetteer = pipeline.gazetteer();
    let sentences: Vec<std::ops::Range<usize>> = extraction
        .sentences
        .iter()
        .map(|s| trim(text, s.clone()))
        .filter(|s| !s.is_empty())
        .collect();
    // Byte offsets where a token must end and another start.
    let mut cuts: Vec<usize> = Vec::new();
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

    // Tokens, in code points, and a byte → code point map of the offsets we need.
    let mut tokens: Vec<Token> = Vec::new();
    // (byte, code point) at each cut, in text order.
    let mut char_of: Vec<(usize, usize)> = Vec::with_capacity(cuts.len() + 1);
    let mut next_cut = cuts.iter().peekable();
    let mut chars = 0usize;
    let mut push = |start: usize, end: usize| {
        if end > start {
            tokens.push(Token { start, end });
        }
    };
    let mut word: Option<usize> = None; // start of the word being read
    let mut space: Option<usize> = None; // start of a white space token being read
    let mut after_token = false; // a space now would be the trailing space of a token
    for (byte, c) in text.char_indices() {
        while next_cut.peek().is_some_and(|&&cut| cut < byte) {
            next_cut.next();
        }
        let at_cut = next_cut.peek().is_some_and(|&&cut| cut == byte);
        if at_cut {
            char_of.push((byte, chars));
        }
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
        chars += 1;
    }
    char_of.push((text.len(), chars));
    if let Some(start) = word.or(space) {
        push(start, chars);
    }

    let at = |byte: usize| {
        char_of
            .binary_search_by_key(&byte, |&(b, _)| b)
            .map_or(0, |i| char_of[i].1)
    };
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
    for (i, s) in sentences.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let mut o = Object::new(out);
        o.uint("start", at(s.start));
        o.uint("end", at(s.end));
        o.end();
    }
    out.extend_from_slice(b"],\"tokens\":");
    write_tokens(&tokens, out);
    out.extend_from_slice(b",\"spans\":{\"newsgraph\":[");
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
