//! `documents.jsonl` and `mentions.jsonl` rows (fields as in the contract, in a fixed order).

use serde::Serialize;

use super::json::{string, Object};
use crate::{Document, Extraction, Gazetteer};

/// A row of `documents.jsonl`.
#[derive(Serialize)]
pub struct DocumentRow<'a> {
    /// Document id.
    pub doc: &'a str,
    /// `ok` or `error`.
    pub status: &'static str,
    /// Why the document failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Code points in the text (0 for a failed document).
    pub chars: usize,
    /// Mentions found.
    pub mentions: usize,
    /// Relations found.
    pub relations: usize,
    /// Publication date, when the input gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<&'a str>,
    /// Language, when the input gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<&'a str>,
    /// The file (and JSONL line) it was read from.
    pub source: &'a str,
}

/// A row of `mentions.jsonl`.
#[derive(Serialize)]
pub struct MentionRow<'a> {
    /// Document id.
    pub doc: &'a str,
    /// Code-point offsets, end exclusive.
    pub start: usize,
    /// End code-point offset.
    pub end: usize,
    /// UTF-8 byte offsets, end exclusive.
    pub byte_start: usize,
    /// End byte offset.
    pub byte_end: usize,
    /// The original slice.
    pub text: &'a str,
    /// Node id of the entity.
    pub entity: &'a str,
    /// Entity type.
    #[serde(rename = "type")]
    pub entity_type: &'static str,
    /// `gazetteer`, `pattern`, `lexicon`, `discovered` or `coref`.
    pub via: &'static str,
    /// For `via: discovered`: the id of the discovery pattern that found it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<&'a str>,
    /// For `via: discovered`: the pattern's confidence (0–1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// Inside a longer mention.
    pub nested: bool,
    /// Sentence index.
    pub sentence: usize,
    /// Every entity an ambiguous alias names (absent when it names one).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<&'a str>,
}

impl MentionRow<'_> {
    /// Appends the row as one JSON line, as serde would write it: by hand, as there is a
    /// row per mention.
    pub fn write(&self, out: &mut Vec<u8>) {
        let mut o = Object::new(out);
        o.str("doc", self.doc);
        o.uint("start", self.start);
        o.uint("end", self.end);
        o.uint("byte_start", self.byte_start);
        o.uint("byte_end", self.byte_end);
        o.str("text", self.text);
        o.str("entity", self.entity);
        o.str("type", self.entity_type);
        o.str("via", self.via);
        if let Some(pattern) = self.pattern {
            o.str("pattern", pattern);
        }
        if let Some(confidence) = self.confidence {
            o.float("confidence", confidence);
        }
        o.bool("nested", self.nested);
        o.uint("sentence", self.sentence);
        if !self.candidates.is_empty() {
            let out = o.key("candidates");
            out.push(b'[');
            for (i, c) in self.candidates.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                string(out, c);
            }
            out.push(b']');
        }
        o.end();
        out.push(b'\n');
    }
}

/// Appends one JSON line per mention of `extraction` to `out`.
pub fn write_mentions(
    gazetteer: &Gazetteer,
    doc: &Document,
    extraction: &Extraction,
    out: &mut Vec<u8>,
) {
    let patterns = gazetteer.discovery().patterns();
    for m in &extraction.mentions {
        let entity = extraction.entity(gazetteer, m.entity);
        let candidates = extraction.candidates(m);
        let pattern = m.pattern.and_then(|p| patterns.get(usize::from(p)));
        let row = MentionRow {
            doc: &doc.id,
            start: m.start,
            end: m.end,
            byte_start: m.byte_start,
            byte_end: m.byte_end,
            text: m.text(doc),
            entity: &entity.id,
            entity_type: entity.entity_type.as_str(),
            via: m.via.as_str(),
            pattern: pattern.map(|p| p.id.as_str()),
            confidence: pattern.map(|p| p.confidence),
            nested: m.nested,
            sentence: m.sentence,
            candidates: if candidates.len() > 1 {
                candidates
                    .map(|c| extraction.entity(gazetteer, c).id.as_str())
                    .collect()
            } else {
                Vec::new()
            },
        };
        row.write(out);
    }
}

/// Appends `row` as one JSON line.
pub fn write_line(row: &impl Serialize, out: &mut Vec<u8>) {
    // Serializing plain structs of strings and numbers into memory cannot fail.
    serde_json::to_writer(&mut *out, row).expect("in-memory JSON serialization");
    out.push(b'\n');
}

/// A row of `relations.jsonl`.
#[derive(Serialize)]
pub struct RelationRow<'a> {
    /// Document id.
    pub doc: &'a str,
    /// Subject node id.
    pub subject: &'a str,
    /// Predicate.
    pub predicate: &'a str,
    /// Object node id.
    pub object: &'a str,
    /// The office of a `holds_office` relation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<&'a str>,
    /// Sentence index.
    pub sentence: usize,
    /// Code-point span of the evidence, end exclusive.
    pub start: usize,
    /// End of the evidence.
    pub end: usize,
    /// The evidence text.
    pub evidence: &'a str,
    /// Id of the rule that fired.
    pub rule: &'a str,
    /// Whether the text denies it.
    pub negated: bool,
    /// `asserted`, `planned` or `hypothetical`.
    pub modality: &'static str,
    /// Whether the predicate is symmetric.
    pub symmetric: bool,
    /// How it took place (`phone`), when a rule says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<&'a str>,
}

/// Appends one JSON line per relation of `extraction` to `out`.
pub fn write_relations(
    gazetteer: &Gazetteer,
    doc: &Document,
    extraction: &Extraction,
    out: &mut Vec<u8>,
) {
    let g = gazetteer;
    for r in &extraction.relations {
        let row = RelationRow {
            doc: &doc.id,
            subject: &extraction.entity(g, r.subject).id,
            predicate: &r.predicate,
            object: &extraction.entity(g, r.object).id,
            role: r.role.as_deref(),
            sentence: r.sentence,
            start: r.start,
            end: r.end,
            evidence: &doc.text[r.byte_start..r.byte_end],
            rule: &r.rule,
            negated: r.negated,
            modality: r.modality.as_str(),
            symmetric: r.symmetric,
            channel: r.channel.as_deref(),
        };
        write_line(&row, out);
    }
}
