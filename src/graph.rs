//! The knowledge graph: one node per entity across all documents, one edge per distinct
//! (subject, predicate, object, role).
//!
//! Per-document results become a [`GraphPart`], and parts are combined with
//! [`GraphPart::merge`]. The merge is associative and commutative (sums, set unions, minimum
//! and maximum dates over ordered maps), so any partition of a corpus merged in any order gives
//! the same part, and the same bytes out: this is what lets threads on one machine, or a
//! reduce step elsewhere, build the graph. [`KnowledgeGraph::build`] turns a finished part into
//! a petgraph graph in a fixed order, adding the gazetteer's background `part_of` facts.
//!
//! For the pictures' click panels, each node keeps up to [`MENTION_SAMPLES`] of its mentions
//! and each edge up to [`EVIDENCE_SAMPLES`] of its evidence sentences, as [`Snippet`]s: the
//! first ones in document order (document id, then offset). A merge keeps the first ones of
//! the union, so the samples stay bounded and the merge stays associative and commutative.
//!
//! Documents are counted, not collected: each document's part counts 1 for every node and
//! edge it holds, and a merge sums, so a graph's memory follows the number of entities, not
//! of documents. Only the first [`DOCUMENT_IDS`] document ids (in id order) of each node and
//! edge are kept, like the samples, and the graph's document infos are pruned to the
//! documents those lists cite ([`GraphPart::retain_cited_documents`]). Two input documents
//! with one id count twice, and their id is listed once.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::graph::{DiGraph, NodeIndex};
use serde::{Deserialize, Serialize};

use crate::doc::{Document, Extraction, Relation};
use crate::gazetteer::{Entity, Gazetteer, Predicates};

/// How many mentions each node keeps as samples.
pub const MENTION_SAMPLES: usize = 5;

/// How many evidence sentences each edge keeps as samples.
pub const EVIDENCE_SAMPLES: usize = 5;

/// How many document ids each node and edge keeps (the first ones in id order): a list of
/// every document would grow with the corpus.
pub const DOCUMENT_IDS: usize = 100;

/// A document id as the graph's lists hold it: one allocation per document, shared by every
/// node and edge that lists it.
pub type DocId = std::sync::Arc<str>;

/// How many characters of the sentence a [`Snippet`] keeps on each side of its span.
const CONTEXT_CHARS: usize = 90;

/// A mention or a piece of evidence, with the words around it in its sentence.
///
/// Snippets order by document id, then position: the first ones in that order are kept.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Snippet {
    /// Document id.
    pub doc: String,
    /// Code-point span in the document (end exclusive).
    pub start: usize,
    /// See `start`.
    pub end: usize,
    /// 0-based sentence index.
    pub sentence: usize,
    /// The sentence before the span (at most about 90 characters, `…` where cut).
    pub before: String,
    /// The span itself: the mention or the evidence, exactly as written.
    pub text: String,
    /// The sentence after the span (cut like `before`).
    pub after: String,
    /// The rule that found the relation (evidence only; empty for mentions).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rule: String,
    /// The document's publication date, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// The document's language, when the input gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

impl Snippet {
    /// The snippet of the byte span `bytes` (code points `chars`) of `doc`, in the sentence
    /// `sentence` whose byte range is `sentence_bytes`.
    fn new(
        doc: &Document,
        bytes: std::ops::Range<usize>,
        chars: std::ops::Range<usize>,
        sentence: usize,
        sentence_bytes: std::ops::Range<usize>,
        rule: &str,
    ) -> Snippet {
        let text = &doc.text;
        let sentence_bytes =
            sentence_bytes.start.min(bytes.start)..sentence_bytes.end.max(bytes.end);
        let before = tail_window(&text[sentence_bytes.start..bytes.start]);
        let after = head_window(&text[bytes.end..sentence_bytes.end]);
        Snippet {
            doc: doc.id.clone(),
            start: chars.start,
            end: chars.end,
            sentence,
            before: clip_before(before),
            text: text[bytes].to_string(),
            after: clip_after(after),
            rule: rule.to_string(),
            published: doc.published.clone(),
            lang: doc.lang.clone(),
        }
    }

    /// The whole context: `before`, `text` and `after`.
    pub fn context(&self) -> String {
        format!("{}{}{}", self.before, self.text, self.after)
    }
}

/// The shortest suffix of `s` that still holds more than [`CONTEXT_CHARS`] characters other
/// than white space (or all of `s`). [`clip_before`] of it equals `clip_before(s)`: its
/// collapsed form is a suffix of the collapsed `s` longer than what is kept. Without it a
/// snippet would read its whole sentence, and a long sentence would be quadratic.
fn tail_window(s: &str) -> &str {
    let mut seen = 0;
    for (i, c) in s.char_indices().rev() {
        crate::ops::tick(1);
        if !crate::text::is_white_space(c) {
            seen += 1;
            if seen > CONTEXT_CHARS {
                return &s[i..];
            }
        }
    }
    s
}

/// The shortest prefix of `s` that still holds more than [`CONTEXT_CHARS`] characters other
/// than white space (or all of `s`): [`clip_after`] of it equals `clip_after(s)`.
fn head_window(s: &str) -> &str {
    let mut seen = 0;
    for (i, c) in s.char_indices() {
        crate::ops::tick(1);
        if !crate::text::is_white_space(c) {
            seen += 1;
            if seen > CONTEXT_CHARS {
                return &s[..i + c.len_utf8()];
            }
        }
    }
    s
}

/// The last [`CONTEXT_CHARS`] characters of `s` (cut at a space when there is one), with
/// white space runs shown as one space.
fn clip_before(s: &str) -> String {
    let s = one_line(s.trim_start());
    // Where the last CONTEXT_CHARS characters start, counted from the end and sliced, not
    // collected into a second string (snippets were most of the graph stage).
    let at = match s.char_indices().rev().nth(CONTEXT_CHARS - 1) {
        // Fewer, or exactly that many.
        None | Some((0, _)) => return s,
        Some((at, _)) => at,
    };
    let cut = &s[at..];
    let cut = match cut.find(' ') {
        Some(i) if i + 1 < cut.len() => &cut[i + 1..],
        _ => cut,
    };
    let mut out = String::with_capacity('…'.len_utf8() + cut.len());
    out.push('…');
    out.push_str(cut);
    out
}

/// The first [`CONTEXT_CHARS`] characters of `s`, cut like [`clip_before`].
fn clip_after(s: &str) -> String {
    let s = one_line(s.trim_end());
    // The character after the first CONTEXT_CHARS, if there is one.
    let Some((end, _)) = s.char_indices().nth(CONTEXT_CHARS) else {
        return s;
    };
    let cut = &s[..end];
    let cut = match cut.rfind(' ') {
        Some(i) if i > 0 => &cut[..i],
        _ => cut,
    };
    let mut out = String::with_capacity(cut.len() + '…'.len_utf8());
    out.push_str(cut);
    out.push('…');
    out
}

/// Whether `s` may hold white space other than single ASCII spaces: an ASCII control
/// space, two spaces in a row, or a lead byte of a non-ASCII white space character (U+0085
/// and U+00A0 start with 0xC2, U+1680 with 0xE1, U+3000 with 0xE3, and U+2000 to U+205F
/// with 0xE2 0x80 or 0xE2 0x81, which the ZWNJ, frequent in Persian, also starts with: those
/// are looked at one by one). `false` means [`one_line`] of `s` is `s`.
fn may_need_collapsing(s: &str) -> bool {
    let bytes = s.as_bytes();
    // Chunks folded without a branch per byte, so that the compiler can vectorize them.
    let rare = bytes.chunks(32).any(|chunk| {
        chunk.iter().fold(false, |seen, &b| {
            seen | matches!(b, b'\t'..=b'\r' | 0xC2 | 0xE1 | 0xE3)
        })
    });
    if rare || s.contains("  ") {
        return true;
    }
    let mut rest = bytes;
    while let Some(at) = rest.iter().position(|&b| b == 0xE2) {
        if let [0x80 | 0x81, ..] = rest[at + 1..] {
            let c = s[s.len() - rest.len() + at..].chars().next();
            if c.is_some_and(crate::text::is_white_space) {
                return true;
            }
        }
        rest = &rest[at + 1..];
    }
    false
}

fn one_line(s: &str) -> String {
    // Most contexts have single spaces only; those are copied, not walked a character at a
    // time (the walk was half the cost of a snippet).
    if !may_need_collapsing(s) {
        crate::ops::tick(s.len());
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut in_space = false;
    crate::ops::tick(s.len());
    // Runs of other characters are copied whole, not a character at a time.
    let mut run = 0;
    for (i, c) in s.char_indices() {
        if crate::text::is_white_space(c) {
            out.push_str(&s[run..i]);
            if !in_space {
                out.push(' ');
            }
            in_space = true;
            run = i + c.len_utf8();
        } else {
            in_space = false;
        }
    }
    out.push_str(&s[run..]);
    out
}

/// Adds `snippet` to `samples`, keeping the first `limit`.
fn add_sample<T: Ord>(samples: &mut BTreeSet<T>, snippet: T, limit: usize) {
    if samples.len() >= limit && samples.last().is_some_and(|last| &snippet >= last) {
        return;
    }
    samples.insert(snippet);
    while samples.len() > limit {
        samples.pop_last();
    }
}

/// Merges `other` into `samples`, keeping the first `limit`.
fn merge_samples<T: Ord>(samples: &mut BTreeSet<T>, other: BTreeSet<T>, limit: usize) {
    if samples.len() < other.len() {
        // The result does not depend on which side is kept; walking the smaller one is cheaper.
        let mut other = other;
        std::mem::swap(samples, &mut other);
        return merge_samples(samples, other, limit);
    }
    for snippet in other {
        if samples.len() >= limit && samples.last().is_some_and(|last| &snippet >= last) {
            // `other` is sorted: nothing after this one can be kept either.
            break;
        }
        add_sample(samples, snippet, limit);
    }
}

/// What is known of one entity in a part of the corpus.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "NodeWire")]
pub struct NodeData {
    /// Display label (the Persian name, else the English one).
    pub label: String,
    /// Entity type, e.g. `PERSON`.
    #[serde(rename = "type")]
    pub entity_type: String,
    /// English name.
    pub name_en: String,
    /// Persian name.
    pub name_fa: String,
    /// Wikidata QID, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wikidata: Option<String>,
    /// Mentions counted (nested mentions included).
    pub mentions: u64,
    /// Number of documents that mention it.
    pub documents: u64,
    /// The first [`DOCUMENT_IDS`] ids of those documents, in id order.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub document_ids: BTreeSet<DocId>,
    /// The first [`MENTION_SAMPLES`] mentions, in document order.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub samples: BTreeSet<Snippet>,
    /// For an entity of a document (a composed body), which the gazetteer does not know:
    /// the ids it is part of, for the background edges.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub part_of: Vec<String>,
}

/// The identity of an edge. Symmetric predicates have `source <= target`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EdgeKey {
    /// Subject node id.
    pub source: String,
    /// Object node id.
    pub target: String,
    /// Predicate.
    pub relation: String,
    /// The role of a `holds_office` edge; empty otherwise.
    pub role: String,
}

impl EdgeKey {
    /// The key of an edge; `role` is empty except for `holds_office`. The caller orders the
    /// ends of a symmetric edge (smaller id first).
    pub fn new(source: &str, target: &str, relation: &str, role: &str) -> EdgeKey {
        EdgeKey {
            source: source.to_string(),
            target: target.to_string(),
            relation: relation.to_string(),
            role: role.to_string(),
        }
    }
}

/// What is known of one edge in a part of the corpus.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "EdgeWire")]
pub struct EdgeData {
    /// False for symmetric predicates.
    pub directed: bool,
    /// True for facts from the gazetteer rather than from text.
    pub background: bool,
    /// Number of supporting relations.
    pub weight: u64,
    /// Number of documents the relations were found in.
    pub documents: u64,
    /// The first [`DOCUMENT_IDS`] ids of those documents, in id order.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub document_ids: BTreeSet<DocId>,
    /// Earliest and latest publication dates of those documents, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_published: Option<String>,
    /// See `first_published`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_published: Option<String>,
    /// The first [`EVIDENCE_SAMPLES`] pieces of evidence, in document order.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub evidence: BTreeSet<Snippet>,
}

/// A `documents` field as partials hold it: a count, or (partials written before counts)
/// the list of every id.
#[derive(Deserialize)]
#[serde(untagged)]
enum Documents {
    Count(u64),
    Ids(BTreeSet<DocId>),
}

impl Default for Documents {
    fn default() -> Documents {
        Documents::Count(0)
    }
}

impl Documents {
    /// The count and the kept ids of `self` and a `document_ids` field.
    fn split(self, mut ids: BTreeSet<DocId>) -> (u64, BTreeSet<DocId>) {
        let count = match self {
            Documents::Count(n) => n,
            Documents::Ids(old) => {
                let n = old.len() as u64;
                merge_samples(&mut ids, old, DOCUMENT_IDS);
                n
            }
        };
        while ids.len() > DOCUMENT_IDS {
            ids.pop_last();
        }
        (count, ids)
    }
}

#[derive(Deserialize)]
struct NodeWire {
    label: String,
    #[serde(rename = "type")]
    entity_type: String,
    name_en: String,
    name_fa: String,
    #[serde(default)]
    wikidata: Option<String>,
    mentions: u64,
    #[serde(default)]
    documents: Documents,
    #[serde(default)]
    document_ids: BTreeSet<DocId>,
    #[serde(default)]
    samples: BTreeSet<Snippet>,
    #[serde(default)]
    part_of: Vec<String>,
}

impl From<NodeWire> for NodeData {
    fn from(w: NodeWire) -> NodeData {
        let (documents, document_ids) = w.documents.split(w.document_ids);
        NodeData {
            label: w.label,
            entity_type: w.entity_type,
            name_en: w.name_en,
            name_fa: w.name_fa,
            wikidata: w.wikidata,
            mentions: w.mentions,
            documents,
            document_ids,
            samples: w.samples,
            part_of: w.part_of,
        }
    }
}

#[derive(Deserialize)]
struct EdgeWire {
    directed: bool,
    background: bool,
    weight: u64,
    #[serde(default)]
    documents: Documents,
    #[serde(default)]
    document_ids: BTreeSet<DocId>,
    #[serde(default)]
    first_published: Option<String>,
    #[serde(default)]
    last_published: Option<String>,
    #[serde(default)]
    evidence: BTreeSet<Snippet>,
}

impl From<EdgeWire> for EdgeData {
    fn from(w: EdgeWire) -> EdgeData {
        let (documents, document_ids) = w.documents.split(w.document_ids);
        EdgeData {
            directed: w.directed,
            background: w.background,
            weight: w.weight,
            documents,
            document_ids,
            first_published: w.first_published,
            last_published: w.last_published,
            evidence: w.evidence,
        }
    }
}

/// What the graph knows of an input document.
///
/// A graph keeps one for every document its lists cite, which over a large corpus is most
/// of its memory after the lists themselves: the strings are shared (`Arc<str>`), so that a
/// date or a language, which thousands of documents have in common, is held once
/// ([`GraphPart::share_document_infos`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DocumentInfo {
    /// Publication date, as the input gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<std::sync::Arc<str>>,
    /// Language, as the input gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<std::sync::Arc<str>>,
}

/// The mergeable graph of some documents.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphPart {
    /// Nodes by id.
    pub nodes: BTreeMap<String, NodeData>,
    /// Edges by identity.
    pub edges: BTreeMap<EdgeKey, EdgeData>,
    /// The documents processed, by id (the id shared with the lists that cite it).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub documents: BTreeMap<DocId, DocumentInfo>,
}

fn node_data(entity: &Entity) -> NodeData {
    NodeData {
        label: entity.label().to_string(),
        entity_type: entity.entity_type.as_str().to_string(),
        name_en: entity.name_en.clone(),
        name_fa: entity.name_fa.clone(),
        wikidata: entity.wikidata.clone(),
        mentions: 0,
        documents: 0,
        document_ids: BTreeSet::new(),
        samples: BTreeSet::new(),
        part_of: Vec::new(),
    }
}

/// The byte range of sentence `index` of `extraction`, or the whole text when there is none.
fn sentence_bytes(doc: &Document, extraction: &Extraction, index: usize) -> std::ops::Range<usize> {
    extraction
        .sentences
        .get(index)
        .cloned()
        .unwrap_or(0..doc.text.len())
}

fn merge_date(
    slot: &mut Option<String>,
    date: &Option<String>,
    keep: fn(&String, &String) -> bool,
) {
    if let Some(date) = date {
        match slot {
            Some(current) if !keep(date, current) => {}
            _ => *slot = Some(date.clone()),
        }
    }
}

impl GraphPart {
    /// Whether a relation belongs in the graph: asserted and not negated. Planned and
    /// hypothetical relations stay in `relations.jsonl` only.
    pub fn admits(relation: &Relation) -> bool {
        relation.is_fact()
    }

    /// The part of one document.
    pub fn from_document(
        gazetteer: &Gazetteer,
        doc: &Document,
        extraction: &Extraction,
    ) -> GraphPart {
        let mut part = GraphPart::default();
        let id = DocId::from(doc.id.as_str());
        part.documents.insert(
            id.clone(),
            DocumentInfo {
                published: doc.published.as_deref().map(Into::into),
                lang: doc.lang.as_deref().map(Into::into),
            },
        );
        for m in &extraction.mentions {
            let entity = extraction.entity(gazetteer, m.entity);
            let node = part.nodes.entry(entity.id.clone()).or_insert_with(|| {
                let mut node = node_data(entity);
                if m.entity.as_usize() >= gazetteer.len() {
                    node.part_of = entity.part_of.clone();
                }
                node
            });
            node.mentions += 1;
            // Mentions come in text order, so once a node has its samples from this
            // document, later mentions cannot displace them.
            if node.samples.len() < MENTION_SAMPLES {
                let snippet = Snippet::new(
                    doc,
                    m.byte_start..m.byte_end,
                    m.start..m.end,
                    m.sentence,
                    sentence_bytes(doc, extraction, m.sentence),
                    "",
                );
                add_sample(&mut node.samples, snippet, MENTION_SAMPLES);
            }
        }
        for relation in extraction.relations.iter().filter(|r| GraphPart::admits(r)) {
            let subject = extraction.entity(gazetteer, relation.subject);
            let object = extraction.entity(gazetteer, relation.object);
            for entity in [subject, object] {
                part.nodes
                    .entry(entity.id.clone())
                    .or_insert_with(|| node_data(entity));
            }
            let (source, target) = if relation.symmetric && object.id < subject.id {
                (&object.id, &subject.id)
            } else {
                (&subject.id, &object.id)
            };
            let key = EdgeKey::new(
                source,
                target,
                &relation.predicate,
                relation.role.as_deref().unwrap_or_default(),
            );
            let edge = part.edges.entry(key).or_insert_with(|| EdgeData {
                directed: !relation.symmetric,
                ..EdgeData::default()
            });
            edge.weight += 1;
            merge_date(&mut edge.first_published, &doc.published, |a, b| a < b);
            merge_date(&mut edge.last_published, &doc.published, |a, b| a > b);
            let snippet = Snippet::new(
                doc,
                relation.byte_start..relation.byte_end,
                relation.start..relation.end,
                relation.sentence,
                sentence_bytes(doc, extraction, relation.sentence),
                &relation.rule,
            );
            add_sample(&mut edge.evidence, snippet, EVIDENCE_SAMPLES);
        }
        // One document: every node and edge of its part is in it once.
        for node in part.nodes.values_mut() {
            node.documents = 1;
            node.document_ids.insert(id.clone());
        }
        for edge in part.edges.values_mut() {
            edge.documents = 1;
            edge.document_ids.insert(id.clone());
        }
        part
    }

    /// Drops the document infos that no node or edge cites any more (in its document ids or
    /// samples). A document that fell out of every list cannot come back (lists keep the first
    /// ids of a union, and later documents only add ids), unless another document has the
    /// same id: then its info is that of the documents merged after the drop.
    pub fn retain_cited_documents(&mut self) {
        let mut cited: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for node in self.nodes.values() {
            cited.extend(node.document_ids.iter().map(|id| &**id));
            cited.extend(node.samples.iter().map(|s| s.doc.as_str()));
        }
        for edge in self.edges.values() {
            cited.extend(edge.document_ids.iter().map(|id| &**id));
            cited.extend(edge.evidence.iter().map(|s| s.doc.as_str()));
        }
        if cited.len() < self.documents.len() {
            self.documents.retain(|id, _| cited.contains(&**id));
        }
    }

    /// Makes the dates and languages of this part's document infos the ones `strings`
    /// holds (adding those it lacks), so that a graph holds each once however many
    /// documents have it.
    pub fn share_document_infos(&mut self, strings: &mut std::collections::HashSet<DocId>) {
        let mut share = |slot: &mut Option<DocId>| {
            if let Some(s) = slot {
                match strings.get(s) {
                    Some(shared) => *s = shared.clone(),
                    None => {
                        strings.insert(s.clone());
                    }
                }
            }
        };
        for info in self.documents.values_mut() {
            share(&mut info.published);
            share(&mut info.lang);
        }
    }

    /// Adds `other` into `self`. Associative and commutative.
    pub fn merge(&mut self, other: GraphPart) {
        for (id, info) in other.documents {
            match self.documents.get_mut(&id) {
                // Ids are unique in a run; should two parts disagree, the smaller wins, so
                // that the merge stays commutative.
                Some(current) => {
                    if info < *current {
                        *current = info;
                    }
                }
                None => {
                    self.documents.insert(id, info);
                }
            }
        }
        for (id, data) in other.nodes {
            match self.nodes.get_mut(&id) {
                Some(node) => {
                    // A discovered name's id is shared by its spellings («علي»/«علی»): of
                    // two names for one id the smaller stands, so that the merge commutes.
                    if (&data.label, &data.name_fa, &data.name_en)
                        < (&node.label, &node.name_fa, &node.name_en)
                    {
                        node.label = data.label;
                        node.name_fa = data.name_fa;
                        node.name_en = data.name_en;
                    }
                    if node.part_of.is_empty() {
                        node.part_of = data.part_of;
                    }
                    node.mentions += data.mentions;
                    node.documents += data.documents;
                    merge_samples(&mut node.document_ids, data.document_ids, DOCUMENT_IDS);
                    merge_samples(&mut node.samples, data.samples, MENTION_SAMPLES);
                }
                None => {
                    self.nodes.insert(id, data);
                }
            }
        }
        for (key, data) in other.edges {
            match self.edges.get_mut(&key) {
                Some(edge) => {
                    edge.weight += data.weight;
                    edge.documents += data.documents;
                    merge_samples(&mut edge.document_ids, data.document_ids, DOCUMENT_IDS);
                    merge_date(&mut edge.first_published, &data.first_published, |a, b| {
                        a < b
                    });
                    merge_date(&mut edge.last_published, &data.last_published, |a, b| a > b);
                    merge_samples(&mut edge.evidence, data.evidence, EVIDENCE_SAMPLES);
                }
                None => {
                    self.edges.insert(key, data);
                }
            }
        }
    }
}

/// A node of the finished graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// Node id (`country:CN`, `person:xi-jinping`).
    pub id: String,
    /// Everything known of it.
    pub data: NodeData,
}

/// An edge of the finished graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    /// Its identity.
    pub key: EdgeKey,
    /// Everything known of it.
    pub data: EdgeData,
}

/// The finished knowledge graph: nodes sorted by id, edges sorted by (source, target,
/// relation, role); symmetric edges stored once, with `directed` false.
#[derive(Clone, Debug, Default)]
pub struct KnowledgeGraph {
    /// The petgraph graph.
    pub graph: DiGraph<Node, Edge>,
    /// The documents the graph cites (in the document ids of its nodes and edges), by id.
    pub documents: BTreeMap<DocId, DocumentInfo>,
    /// The document ids and infos of a corpus run, held outside the nodes and edges: the
    /// exports read them through [`KnowledgeGraph::node_document_ids`],
    /// [`KnowledgeGraph::edge_document_ids`] and [`KnowledgeGraph::document_infos`].
    lists: Option<std::sync::Arc<dyn DocumentLists>>,
}

/// A document's id, date and language, as the exports read them.
pub type DocumentRef<'a> = (&'a str, Option<&'a str>, Option<&'a str>);

/// The document ids of a graph's nodes and edges, and the infos of the documents they cite,
/// held apart from the graph (compactly, as a corpus run keeps them): rebuilt as the nodes'
/// and edges' own sets, they would be a second copy as large as the lists themselves at the
/// end of a run, and grow with the corpus until the lists are full.
pub(crate) trait DocumentLists: std::fmt::Debug + Send + Sync {
    /// The ids listed for the node `id`, in id order.
    fn node_ids<'a>(&'a self, id: &str) -> Box<dyn Iterator<Item = &'a str> + 'a>;
    /// The ids listed for the edge `key`, in id order.
    fn edge_ids<'a>(&'a self, key: &EdgeKey) -> Box<dyn Iterator<Item = &'a str> + 'a>;
    /// The documents the lists cite that have an info, in id order.
    fn infos(&self) -> Box<dyn Iterator<Item = DocumentRef<'_>> + '_>;
}

impl KnowledgeGraph {
    /// Builds the graph of `part`, adding a background edge (the background predicate of
    /// `predicates`, `part_of`) and its target node for every node whose gazetteer entity is
    /// part of another entity.
    pub fn build(
        mut part: GraphPart,
        gazetteer: &Gazetteer,
        predicates: &Predicates,
    ) -> KnowledgeGraph {
        part.retain_cited_documents();
        let background = predicates.background().map(|p| p.name.as_str());
        let mentioned: Vec<(String, Vec<String>)> = part
            .nodes
            .iter()
            .map(|(id, node)| (id.clone(), node.part_of.clone()))
            .collect();
        for (id, own_part_of) in mentioned {
            let Some(background) = background else {
                continue;
            };
            let part_of = match gazetteer.get(&id) {
                Some(entity) => &entity.part_of,
                None => &own_part_of,
            };
            for parent_id in part_of {
                let Some(parent) = gazetteer.get(parent_id) else {
                    continue;
                };
                part.nodes
                    .entry(parent.id.clone())
                    .or_insert_with(|| node_data(parent));
                part.edges
                    .entry(EdgeKey::new(&id, &parent.id, background, ""))
                    .or_insert_with(|| EdgeData {
                        directed: true,
                        background: true,
                        ..EdgeData::default()
                    });
            }
        }
        let mut graph = DiGraph::with_capacity(part.nodes.len(), part.edges.len());
        let mut index: BTreeMap<String, NodeIndex> = BTreeMap::new();
        for (id, data) in part.nodes {
            let i = graph.add_node(Node {
                id: id.clone(),
                data,
            });
            index.insert(id, i);
        }
        for (key, data) in part.edges {
            let (Some(&s), Some(&t)) = (index.get(&key.source), index.get(&key.target)) else {
                continue;
            };
            graph.add_edge(s, t, Edge { key, data });
        }
        KnowledgeGraph {
            graph,
            documents: part.documents,
            lists: None,
        }
    }

    /// [`KnowledgeGraph::build`] of a part whose document ids and infos `lists` holds
    /// instead of its nodes and edges.
    pub(crate) fn build_with_lists(
        part: GraphPart,
        lists: std::sync::Arc<dyn DocumentLists>,
        gazetteer: &Gazetteer,
        predicates: &Predicates,
    ) -> KnowledgeGraph {
        let mut graph = KnowledgeGraph::build(part, gazetteer, predicates);
        graph.lists = Some(lists);
        graph
    }

    /// The first document ids of `node` (at most [`DOCUMENT_IDS`]), in id order.
    pub fn node_document_ids<'a>(
        &'a self,
        node: &'a Node,
    ) -> Box<dyn Iterator<Item = &'a str> + 'a> {
        match &self.lists {
            Some(lists) if node.data.document_ids.is_empty() => lists.node_ids(&node.id),
            _ => Box::new(node.data.document_ids.iter().map(|id| &**id)),
        }
    }

    /// The first document ids of `edge` (at most [`DOCUMENT_IDS`]), in id order.
    pub fn edge_document_ids<'a>(
        &'a self,
        edge: &'a Edge,
    ) -> Box<dyn Iterator<Item = &'a str> + 'a> {
        match &self.lists {
            Some(lists) if edge.data.document_ids.is_empty() => lists.edge_ids(&edge.key),
            _ => Box::new(edge.data.document_ids.iter().map(|id| &**id)),
        }
    }

    /// The documents the graph cites, with their dates and languages, in id order.
    pub fn document_infos(&self) -> Box<dyn Iterator<Item = DocumentRef<'_>> + '_> {
        let own = self
            .documents
            .iter()
            .map(|(id, info)| (&**id, info.published.as_deref(), info.lang.as_deref()));
        match &self.lists {
            Some(lists) if self.documents.is_empty() => lists.infos(),
            _ => Box::new(own),
        }
    }

    /// Nodes in id order.
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.graph.node_weights()
    }

    /// Edges in key order.
    pub fn edges(&self) -> impl Iterator<Item = &Edge> {
        self.graph.edge_weights()
    }

    /// The graph without samples, evidence and document ids, for what draws it (the
    /// picture): a copy of the whole graph would double the memory at the end of a run.
    pub fn outline(&self) -> KnowledgeGraph {
        let graph = self.graph.map(
            |_, node| {
                let d = &node.data;
                Node {
                    id: node.id.clone(),
                    data: NodeData {
                        label: d.label.clone(),
                        entity_type: d.entity_type.clone(),
                        name_en: d.name_en.clone(),
                        name_fa: d.name_fa.clone(),
                        wikidata: d.wikidata.clone(),
                        mentions: d.mentions,
                        documents: d.documents,
                        document_ids: BTreeSet::new(),
                        samples: BTreeSet::new(),
                        part_of: d.part_of.clone(),
                    },
                }
            },
            |_, edge| {
                let d = &edge.data;
                Edge {
                    key: edge.key.clone(),
                    data: EdgeData {
                        directed: d.directed,
                        background: d.background,
                        weight: d.weight,
                        documents: d.documents,
                        document_ids: BTreeSet::new(),
                        first_published: d.first_published.clone(),
                        last_published: d.last_published.clone(),
                        evidence: BTreeSet::new(),
                    },
                }
            },
        );
        KnowledgeGraph {
            graph,
            documents: BTreeMap::new(),
            lists: None,
        }
    }

    /// The graph of the edges `keep` accepts, in the same order. A node stays unless it was
    /// only there as the end of edges that go: a node that was mentioned, or that an edge
    /// still reaches, is kept.
    pub fn filtered(&self, keep: impl Fn(&Edge) -> bool) -> KnowledgeGraph {
        let mut reached = vec![false; self.graph.node_count()];
        let kept: Vec<bool> = self
            .graph
            .edge_indices()
            .map(|e| {
                let keep = keep(&self.graph[e]);
                if keep {
                    if let Some((s, t)) = self.graph.edge_endpoints(e) {
                        reached[s.index()] = true;
                        reached[t.index()] = true;
                    }
                }
                keep
            })
            .collect();
        let graph = self.graph.filter_map(
            |i, node| {
                let d = &node.data;
                (reached[i.index()] || d.mentions > 0 || d.documents > 0).then(|| node.clone())
            },
            |e, edge| kept[e.index()].then(|| edge.clone()),
        );
        KnowledgeGraph {
            graph,
            documents: self.documents.clone(),
            lists: self.lists.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Pipeline;

    #[test]
    fn samples_stay_bounded_and_keep_the_first_in_document_order() {
        let pipeline = Pipeline::embedded().expect("bundled data");
        let text = "چین ".repeat(40) + ". شی جین پینگ با میگل دیاز-کانل دیدار کرد.";
        let mut parts: Vec<GraphPart> = ["d3", "d1", "d2"]
            .iter()
            .map(|id| {
                let doc = Document::new(*id, text.as_str());
                GraphPart::from_document(pipeline.gazetteer(), &doc, &pipeline.extract(&doc))
            })
            .collect();
        let mut merged = GraphPart::default();
        for part in parts.drain(..) {
            merged.merge(part);
        }
        let china = &merged.nodes["country:CN"];
        assert_eq!(china.mentions, 120);
        assert_eq!(china.samples.len(), MENTION_SAMPLES);
        let kept: Vec<(&str, usize)> = china
            .samples
            .iter()
            .map(|s| (s.doc.as_str(), s.start))
            .collect();
        assert_eq!(
            kept,
            [("d1", 0), ("d1", 4), ("d1", 8), ("d1", 12), ("d1", 16)]
        );
        assert_eq!(merged.documents.len(), 3);
        let met = merged
            .edges
            .iter()
            .find(|(k, _)| k.relation == "met_with")
            .map(|(_, e)| e)
            .expect("the meeting");
        let docs: Vec<&str> = met.evidence.iter().map(|s| s.doc.as_str()).collect();
        assert_eq!(docs, ["d1", "d2", "d3"]);
        assert!(met.evidence.iter().all(|s| s.rule.contains("met_with")));
    }

    #[test]
    fn counts_merge_and_old_id_lists_still_read() {
        let ids: Vec<String> = (0..DOCUMENT_IDS + 20).map(|i| format!("d{i:04}")).collect();
        let old = serde_json::json!({
            "label": "چین", "type": "COUNTRY", "name_en": "China", "name_fa": "چین",
            "mentions": 200, "documents": ids,
        });
        let node: NodeData = serde_json::from_value(old).expect("an old node record");
        assert_eq!(node.documents, (DOCUMENT_IDS + 20) as u64);
        assert_eq!(node.document_ids.len(), DOCUMENT_IDS);
        assert_eq!(node.document_ids.last().map(|id| &**id), Some("d0099"));
        let edge: EdgeData = serde_json::from_value(serde_json::json!({
            "directed": false, "background": false, "weight": 3, "documents": ["b", "a"],
        }))
        .expect("an old edge record");
        assert_eq!((edge.documents, edge.document_ids.len()), (2, 2));
        let back: NodeData =
            serde_json::from_str(&serde_json::to_string(&node).expect("json")).expect("new");
        assert_eq!(back, node);

        // Split anywhere, merged in any order: the same counts and the same first ids.
        let part = |range: std::ops::Range<usize>| {
            let mut p = GraphPart::default();
            for i in range {
                let mut one = GraphPart::default();
                let mut n = NodeData {
                    documents: 1,
                    ..NodeData::default()
                };
                n.document_ids.insert(DocId::from(ids[i].as_str()));
                one.nodes.insert("country:CN".into(), n);
                one.documents
                    .insert(DocId::from(ids[i].as_str()), DocumentInfo::default());
                p.merge(one);
            }
            p
        };
        let (mut a, b) = (part(60..120), part(0..60));
        a.merge(b);
        let mut c = part(0..120);
        a.retain_cited_documents();
        c.retain_cited_documents();
        assert_eq!(a, c);
        assert_eq!(c.nodes["country:CN"].documents, 120);
        assert_eq!(c.documents.len(), DOCUMENT_IDS);
    }

    #[test]
    fn contexts_are_clipped_on_one_line() {
        let long = "کلمه ".repeat(60);
        assert!(clip_before(&long).starts_with('…'));
        assert!(clip_before(&long).chars().count() <= CONTEXT_CHARS + 1);
        assert!(clip_after(&long).ends_with('…'));
        assert_eq!(one_line("a \n\t b"), "a b");
        assert_eq!(clip_before("short "), "short ");
    }

    #[test]
    fn snippets_see_the_white_space_chars_see() {
        // The reference: one character at a time, decoded.
        let reference = |s: &str| {
            let mut out = String::new();
            let mut in_space = false;
            for c in s.chars() {
                if c.is_whitespace() {
                    if !in_space {
                        out.push(' ');
                    }
                    in_space = true;
                } else {
                    out.push(c);
                    in_space = false;
                }
            }
            out
        };
        let parts = [
            "کلمه", " ", "\u{A0}", "\u{2028}", "\u{3000}", "\u{85}", "é", "😀", "\u{200C}", "a",
            "\t\n", "\u{1C}", "\u{6F0}", "\u{FEFF}",
        ];
        // Text with single spaces only, and characters that share a lead byte with white
        // space (ZWNJ, the hyphen U+2010, U+2066, U+00E9 is 0xC3): copied as it is.
        let plain = [
            "کلمه", " ", "\u{200C}", "a", "é", "\u{2010}", "\u{2066}", "😀",
        ];
        for n in [0, 1, 7, 95, 200] {
            for shift in 0..plain.len() {
                let s: String = (0..n)
                    .map(|i| plain[(i * 3 + shift) % plain.len()])
                    .collect();
                assert_eq!(one_line(&s), reference(&s), "{s:?}");
                if !s.contains("  ") {
                    assert!(!may_need_collapsing(&s), "{s:?}");
                }
            }
        }
        for n in [0, 1, 7, 95, 200] {
            for shift in 0..parts.len() {
                let s: String = (0..n)
                    .map(|i| parts[(i * 5 + shift) % parts.len()])
                    .collect();
                assert_eq!(one_line(&s), reference(&s), "{s:?}");
                assert!(may_need_collapsing(&s) || reference(&s) == s, "{s:?}");
                let non_space = |t: &str| t.chars().filter(|c| !c.is_whitespace()).count();
                let (tail, head) = (tail_window(&s), head_window(&s));
                assert!(s.ends_with(tail) && s.starts_with(head));
                if non_space(&s) > CONTEXT_CHARS {
                    assert_eq!(non_space(tail), CONTEXT_CHARS + 1, "{s:?}");
                    assert_eq!(non_space(head), CONTEXT_CHARS + 1, "{s:?}");
                    assert!(!tail.starts_with(char::is_whitespace));
                    assert!(!head.ends_with(char::is_whitespace));
                } else {
                    assert_eq!((tail, head), (s.as_str(), s.as_str()));
                }
                let chars = |t: &str| t.chars().count();
                assert!(chars(&clip_before(&s)) <= CONTEXT_CHARS + 1);
                assert!(chars(&clip_after(&s)) <= CONTEXT_CHARS + 1);
            }
        }
    }

    #[test]
    fn windows_clip_like_the_whole_sentence() {
        let words = ["کلمه", " ", "  \n ", "a", "\t", "بین‌المللی", "x  y"];
        for n in [0, 1, 5, 30, 89, 90, 91, 92, 200] {
            for shift in 0..words.len() {
                let s: String = (0..n)
                    .map(|i| words[(i * 3 + shift) % words.len()])
                    .collect();
                assert_eq!(clip_before(tail_window(&s)), clip_before(&s), "{s:?}");
                assert_eq!(clip_after(head_window(&s)), clip_after(&s), "{s:?}");
            }
        }
    }
}
