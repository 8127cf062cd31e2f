//! CoNLL/IOB gold for entity-only scoring: `token TAG` a line (tab or space separated; with
//! more columns, the first is the token and the last the tag), a blank line between
//! sentences, `-DOCSTART-` lines between documents.
//!
//! Tags are `O` or `B-`, `I-`, `E-`, `S-` plus a label (IOB2, IOBES). An `I-` that does not
//! continue a span of the same label starts one, so IOB1 files read as intended. Labels
//! go through the `--map` (`PER=PERSON,LOC=COUNTRY|REGION`); a label it does not name and
//! that is not a newsgraph type is *unmapped*: its spans are counted, not scored.
//!
//! # Scoring
//!
//! Each sentence's text is its tokens joined by single spaces. By default the pipeline runs
//! on each sentence as a document of its own. Corpora such as PEYMA are consecutive sentences
//! of news articles, though, where a surname alone («پورعلی گفت») stands for the full name of
//! an earlier sentence, as it does in any article: with a *context* of N sentences
//! ([`evaluate_with_context`], `eval --context N`), each sentence is run after the N sentences
//! before it in its document (a file, or the part between two `-DOCSTART-` lines), one a
//! line, and only the mentions inside the sentence itself are scored, their offsets taken
//! back to the sentence. The cost is N + 1 times the corpus.
//!
//! Our mentions that count are the top-level ones found by name (any `via` but `coref`;
//! not nested, not a demonym: such corpora tag names, and «مقامات آمریکایی» names no one)
//! and, with a context, the short forms that stand for a name said before (`via: coref`, see
//! [`Mention::is_short_form`](crate::Mention::is_short_form); pronouns and titles are not
//! names: scoring them is what the context is for; without one, the figures stay those of
//! names alone, comparable with earlier runs), whose type some label of the file maps to
//! (other types are not annotated by the file and are left out). Per label:
//!
//! - **P** (exact): the share of our mentions whose span equals a gold span whose label
//!   maps to the mention's type;
//! - **P~** (overlap, lenient): the share that overlaps such a gold span;
//! - **R** (exact, for information: the gazetteers do not aim at every name): the share of
//!   gold spans that one of our mentions covers exactly with an accepted type.
//!
//! A mention is counted in the row of the gold span it matches (exactly, else by overlap),
//! otherwise in the row of the first label, in row order, that accepts its type.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::doc::Via;
use crate::gazetteer::EntityType;
use crate::{Document, Pipeline};

use super::map::{label_rank, Label, TypeMap};
use super::EvalError;

/// One gold span of a CoNLL sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConllSpan {
    /// Code-point offset of the first character in the sentence text.
    pub start: usize,
    /// Code-point offset just past the last character.
    pub end: usize,
    /// The tag's label and the types it maps to (none when unmapped).
    pub label: Label,
}

/// One sentence of a CoNLL file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConllSentence {
    /// The 1-based line of its first token.
    pub line: usize,
    /// The document it belongs to, counted from 0 over a set: a new file or a `-DOCSTART-`
    /// line starts the next one. Context never crosses documents.
    pub document: usize,
    /// The tokens joined by single spaces.
    pub text: String,
    /// The gold spans, in order.
    pub spans: Vec<ConllSpan>,
}

/// The CoNLL files of one gold set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConllSet {
    /// The set name (see [`super::load_gold`]).
    pub name: String,
    /// The files it was read from.
    pub sources: Vec<PathBuf>,
    /// Every sentence, file after file.
    pub sentences: Vec<ConllSentence>,
}

/// Reads a CoNLL file.
pub fn read(path: &Path, map: &TypeMap) -> Result<Vec<ConllSentence>, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(path, text.strip_prefix('\u{FEFF}').unwrap_or(&text), map)
}

/// Parses the text of a CoNLL file; `path` names it in errors.
pub fn parse(path: &Path, text: &str, map: &TypeMap) -> Result<Vec<ConllSentence>, EvalError> {
    let mut sentences = Vec::new();
    let mut builder = Builder::default();
    // A `-DOCSTART-` before any sentence does not start a second document.
    let mut document = 0;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with("-DOCSTART-") {
            sentences.extend(builder.finish(document, map));
            if line.starts_with("-DOCSTART-") {
                if let Some(last) = sentences.last() {
                    document = last.document + 1;
                }
            }
            continue;
        }
        let err = |reason: String| EvalError::Line {
            path: path.to_path_buf(),
            line: n + 1,
            reason,
        };
        let fields: Vec<&str> = if line.contains('\t') {
            line.split('\t').map(str::trim).collect()
        } else {
            line.split_whitespace().collect()
        };
        let (token, tag) = match fields[..] {
            [token, .., tag] if !token.is_empty() && !tag.is_empty() => (token, tag),
            _ => return Err(err(format!("`{line}` is not `TOKEN TAG`"))),
        };
        let tag = Tag::parse(tag).ok_or_else(|| {
            err(format!(
                "tag `{tag}` is not O or B-, I-, E-, S- and a label"
            ))
        })?;
        builder.push(n + 1, token, tag, map);
    }
    sentences.extend(builder.finish(document, map));
    Ok(sentences)
}

enum Tag<'a> {
    Outside,
    Begin(&'a str),
    Inside(&'a str),
    End(&'a str),
    Single(&'a str),
}

impl<'a> Tag<'a> {
    fn label(&self) -> Option<&'a str> {
        match *self {
            Tag::Outside => None,
            Tag::Begin(l) | Tag::Inside(l) | Tag::End(l) | Tag::Single(l) => Some(l),
        }
    }

    fn parse(tag: &'a str) -> Option<Tag<'a>> {
        if tag == "O" {
            return Some(Tag::Outside);
        }
        let (prefix, label) = tag.split_once('-')?;
        if label.is_empty() {
            return None;
        }
        Some(match prefix {
            "B" => Tag::Begin(label),
            "I" => Tag::Inside(label),
            "E" | "L" => Tag::End(label),
            "S" | "U" => Tag::Single(label),
            _ => return None,
        })
    }
}

#[derive(Default)]
struct Builder {
    line: usize,
    text: String,
    chars: usize,
    spans: Vec<ConllSpan>,
    /// The span being built: its start and label name.
    open: Option<(usize, String)>,
}

impl Builder {
    fn push(&mut self, line: usize, token: &str, tag: Tag<'_>, map: &TypeMap) {
        // A span closed by this token ends where the previous token ended.
        let previous_end = self.chars;
        if self.text.is_empty() {
            self.line = line;
        } else {
            self.text.push(' ');
            self.chars += 1;
        }
        let start = self.chars;
        self.text.push_str(token);
        self.chars += token.chars().count();
        let continues = self
            .open
            .as_ref()
            .is_some_and(|(_, open)| Some(open.as_str()) == tag.label());
        match tag {
            Tag::Outside => self.close(previous_end, map),
            Tag::Inside(_) | Tag::End(_) if continues => {}
            Tag::Begin(label) | Tag::Inside(label) | Tag::End(label) | Tag::Single(label) => {
                self.close(previous_end, map);
                self.open = Some((start, label.to_string()));
            }
        }
        if matches!(tag, Tag::End(_) | Tag::Single(_)) {
            let end = self.chars;
            self.close(end, map);
        }
    }

    /// Ends the open span, if any, at `end`.
    fn close(&mut self, end: usize, map: &TypeMap) {
        if let Some((start, name)) = self.open.take() {
            let label = map.resolve(&name).unwrap_or(Label {
                name,
                types: Vec::new(),
            });
            self.spans.push(ConllSpan { start, end, label });
        }
    }

    fn finish(&mut self, document: usize, map: &TypeMap) -> Option<ConllSentence> {
        let end = self.chars;
        self.close(end, map);
        let done = std::mem::take(self);
        (!done.text.is_empty()).then_some(ConllSentence {
            line: done.line,
            document,
            text: done.text,
            spans: done.spans,
        })
    }
}

/// One row of a CoNLL table: a gold label, or the total.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConllRow {
    /// The label, or `total`.
    pub name: String,
    /// Gold spans.
    pub gold: usize,
    /// Our mentions counted in this row.
    pub predicted: usize,
    /// Of those, the ones that equal a gold span of an accepting label.
    pub exact: usize,
    /// Of those, the ones that overlap a gold span of an accepting label.
    pub overlap: usize,
    /// Gold spans that one of our mentions covers exactly.
    pub found: usize,
    /// `exact / predicted` (0 when nothing was predicted).
    pub precision: f64,
    /// `overlap / predicted`.
    pub overlap_precision: f64,
    /// `found / gold` (0 without gold spans).
    pub recall: f64,
    /// The harmonic mean of `precision` and `recall`.
    pub f1: f64,
}

impl ConllRow {
    /// A row of these counts, with its ratios.
    pub fn new(
        name: impl Into<String>,
        gold: usize,
        predicted: usize,
        exact: usize,
        overlap: usize,
        found: usize,
    ) -> ConllRow {
        let precision = ratio(exact, predicted);
        let recall = ratio(found, gold);
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        ConllRow {
            name: name.into(),
            gold,
            predicted,
            exact,
            overlap,
            found,
            precision,
            overlap_precision: ratio(overlap, predicted),
            recall,
            f1,
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// One of our mentions that equals no gold span of an accepting label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConllMiss {
    /// The line of the sentence's first token.
    pub line: usize,
    /// The mention's text.
    pub text: String,
    /// Its type.
    #[serde(rename = "type")]
    pub entity_type: String,
    /// Its node id.
    pub entity: String,
    /// The gold span it overlaps, if any: `LABEL text`.
    pub overlaps: Option<String>,
    /// The sentence.
    pub sentence: String,
}

/// A gold label the map leaves out, and how many spans it has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Unmapped {
    /// The label.
    pub label: String,
    /// Its number of spans.
    pub spans: usize,
}

/// The scores of one CoNLL set.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConllReport {
    /// The set name.
    pub name: String,
    /// The number of sentences.
    pub sentences: usize,
    /// How many sentences before each one it was run after (see the module documentation).
    pub context: usize,
    /// One row per mapped label, in row order.
    pub rows: Vec<ConllRow>,
    /// The sums over all rows.
    pub total: ConllRow,
    /// Gold labels that are not scored.
    pub unmapped: Vec<Unmapped>,
    /// Our mentions of a type that no label of the file maps to (not scored).
    pub out_of_scope: usize,
    /// Exact precision per `via`.
    pub by_via: Vec<super::score::ViaRow>,
    /// Every mention of ours that is not exactly right, in sentence order.
    pub spurious: Vec<ConllMiss>,
}

/// Scores `pipeline` on a CoNLL set, each sentence a document of its own (see the module
/// documentation).
pub fn evaluate(pipeline: &Pipeline, set: &ConllSet) -> ConllReport {
    evaluate_with_context(pipeline, set, 0)
}

/// Scores `pipeline` on a CoNLL set, each sentence run after the `context` sentences before
/// it in its document (see the module documentation).
pub fn evaluate_with_context(pipeline: &Pipeline, set: &ConllSet, context: usize) -> ConllReport {
    let mut scope: Vec<&Label> = Vec::new();
    let mut unmapped: BTreeMap<&str, usize> = BTreeMap::new();
    for span in set.sentences.iter().flat_map(|s| &s.spans) {
        if span.label.types.is_empty() {
            *unmapped.entry(&span.label.name).or_default() += 1;
        } else if !scope.iter().any(|l| l.name == span.label.name) {
            scope.push(&span.label);
        }
    }
    scope.sort_by(|a, b| label_rank(&a.name).cmp(&label_rank(&b.name)));
    // gold, predicted, exact, overlap, found
    let mut counts = vec![[0usize; 5]; scope.len()];
    let row_of = |name: &str| scope.iter().position(|l| l.name == name);
    let mut out_of_scope = 0;
    let mut spurious = Vec::new();
    let mut by_via = super::score::ViaCounts::default();
    let mut text = String::new();
    for (i, sentence) in set.sentences.iter().enumerate() {
        // The sentences before this one in its document, one a line: a line always ends a
        // sentence, so no mention runs from one into the next.
        let first = set.sentences[..i]
            .iter()
            .rev()
            .take(context)
            .take_while(|s| s.document == sentence.document)
            .count();
        text.clear();
        for before in &set.sentences[i - first..i] {
            text.push_str(&before.text);
            text.push('\n');
        }
        let (skip_bytes, skip_chars) = (text.len(), text.chars().count());
        text.push_str(&sentence.text);
        let doc = Document::new(format!("{}:{}", set.name, i + 1), text.as_str());
        let extraction = pipeline.extract(&doc);
        let mentions: Vec<Scored> = extraction
            .mentions
            .iter()
            .filter(|m| {
                !m.nested
                    && (m.via != Via::Coref || (context > 0 && m.is_short_form()))
                    && !m.demonym
            })
            .filter(|m| m.byte_start >= skip_bytes)
            .map(|m| Scored {
                start: m.start - skip_chars,
                end: m.end - skip_chars,
                text: m.text(&doc),
                via: m.via,
                entity: pipeline.entity(&extraction, m),
            })
            .collect();
        // Every lookup below is a binary search or a hash lookup, so that one long sentence
        // (a whole corpus without blank lines) costs n log n, not n².
        let spans = Spans::new(&sentence.spans);
        let offsets = CharOffsets::new(&sentence.text);
        for m in &mentions {
            let entity = m.entity;
            let t = entity.entity_type;
            let exact = spans
                .starting_at(m.start)
                .find(|s| s.end == m.end && s.label.accepts(t));
            let overlap = exact.or_else(|| {
                spans
                    .overlapping(m.start, m.end)
                    .find(|s| s.label.accepts(t))
            });
            let row = match overlap {
                Some(span) => row_of(&span.label.name),
                None => scope.iter().position(|l| l.accepts(t)),
            };
            let Some(row) = row else {
                out_of_scope += 1;
                continue;
            };
            counts[row][1] += 1;
            counts[row][2] += usize::from(exact.is_some());
            by_via.add(m.via, exact.is_some());
            counts[row][3] += usize::from(overlap.is_some());
            if exact.is_none() {
                let any_overlap = spans.overlapping(m.start, m.end).next();
                spurious.push(ConllMiss {
                    line: sentence.line,
                    text: m.text.to_string(),
                    entity_type: t.as_str().to_string(),
                    entity: entity.id.clone(),
                    overlaps: any_overlap
                        .map(|s| format!("{} {}", s.label.name, offsets.slice(s.start, s.end))),
                    sentence: offsets.context(m.start, m.end),
                });
            }
        }
        let mut found: HashMap<(usize, usize), Vec<EntityType>> = HashMap::new();
        for m in &mentions {
            found
                .entry((m.start, m.end))
                .or_default()
                .push(m.entity.entity_type);
        }
        for span in &sentence.spans {
            let Some(row) = row_of(&span.label.name) else {
                continue;
            };
            counts[row][0] += 1;
            let found = found
                .get(&(span.start, span.end))
                .is_some_and(|types| types.iter().any(|t| span.label.accepts(*t)));
            counts[row][4] += usize::from(found);
        }
    }
    let rows: Vec<ConllRow> = scope
        .iter()
        .zip(&counts)
        .map(|(l, c)| ConllRow::new(l.name.clone(), c[0], c[1], c[2], c[3], c[4]))
        .collect();
    let sum = |k: usize| counts.iter().map(|c| c[k]).sum::<usize>();
    ConllReport {
        name: set.name.clone(),
        sentences: set.sentences.len(),
        context,
        total: ConllRow::new("total", sum(0), sum(1), sum(2), sum(3), sum(4)),
        rows,
        unmapped: unmapped
            .into_iter()
            .map(|(label, spans)| Unmapped {
                label: label.to_string(),
                spans,
            })
            .collect(),
        out_of_scope,
        by_via: by_via.rows(),
        spurious,
    }
}

/// One of our mentions that counts, with offsets in its sentence.
struct Scored<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    via: Via,
    entity: &'a crate::gazetteer::Entity,
}

/// The gold spans of one sentence, which the reader produces in text order and disjoint.
struct Spans<'a> {
    spans: Vec<&'a ConllSpan>,
}

impl<'a> Spans<'a> {
    fn new(spans: &'a [ConllSpan]) -> Spans<'a> {
        let mut spans: Vec<&ConllSpan> = spans.iter().collect();
        spans.sort_by_key(|s| (s.start, s.end));
        Spans { spans }
    }

    /// The spans that start at `start`, in order.
    fn starting_at(&self, start: usize) -> impl Iterator<Item = &'a ConllSpan> + '_ {
        let first = self.spans.partition_point(|s| s.start < start);
        self.spans[first..]
            .iter()
            .take_while(move |s| s.start == start)
            .copied()
    }

    /// The spans that overlap `start..end`, in order.
    fn overlapping(&self, start: usize, end: usize) -> impl Iterator<Item = &'a ConllSpan> + '_ {
        // Disjoint spans in start order also come in end order.
        let first = self.spans.partition_point(|s| s.end <= start);
        self.spans[first..]
            .iter()
            .take_while(move |s| s.start < end)
            .filter(move |s| start < s.end)
            .copied()
    }
}

/// Byte offsets of a sentence's characters, to slice it by code points in constant time.
struct CharOffsets<'a> {
    text: &'a str,
    bytes: Vec<usize>,
}

/// A sentence longer than this many characters is shown around the mention only.
const CONTEXT_WHOLE: usize = 400;
/// How many characters either side of the mention a long sentence shows.
const CONTEXT_SIDE: usize = 120;

impl<'a> CharOffsets<'a> {
    fn new(text: &'a str) -> CharOffsets<'a> {
        let bytes = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        CharOffsets { text, bytes }
    }

    fn chars(&self) -> usize {
        self.bytes.len() - 1
    }

    fn slice(&self, start: usize, end: usize) -> &'a str {
        let at = |i: usize| self.bytes[i.min(self.chars())];
        &self.text[at(start)..at(end.max(start))]
    }

    /// The sentence, or for a long one the text around `start..end`, cut ends marked `…`.
    fn context(&self, start: usize, end: usize) -> String {
        let n = self.chars();
        if n <= CONTEXT_WHOLE {
            return self.text.to_string();
        }
        let from = start.saturating_sub(CONTEXT_SIDE);
        let to = end.saturating_add(CONTEXT_SIDE).min(n);
        let mut out = String::new();
        if from > 0 {
            out.push('…');
        }
        out.push_str(self.slice(from, to));
        if to < n {
            out.push('…');
        }
        out
    }
}

#[cfg(test)]
fn slice(text: &str, span: &ConllSpan) -> String {
    CharOffsets::new(text)
        .slice(span.start, span.end)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(s: &ConllSentence) -> Vec<(String, &str)> {
        s.spans
            .iter()
            .map(|sp| (slice(&s.text, sp), sp.label.name.as_str()))
            .collect()
    }

    #[test]
    fn builds_sentences_and_spans() {
        // (file, sentences as (first line, text, [(span text, label)]))
        type Want<'a> = &'a [(usize, &'a str, &'a [(&'a str, &'a str)])];
        type Parsed<'a> = (usize, &'a str, Vec<(String, &'a str)>);
        let cases: &[(&str, Want)] = &[
            (
                "شی\tB-PER\nجین\tI-PER\nپینگ\tI-PER\nبه\tO\nکوبا\tB-LOC\nرفت\tO\n",
                &[(
                    1,
                    "شی جین پینگ به کوبا رفت",
                    &[("شی جین پینگ", "PER"), ("کوبا", "LOC")],
                )],
            ),
            // Space separated, two sentences, CRLF, a DOCSTART line, extra columns.
            (
                "-DOCSTART- O\r\n\r\nXi NNP B-PER\r\nmet O\r\n\r\n\r\nCuba NNP B-LOC\r\n",
                &[
                    (3, "Xi met", &[("Xi", "PER")]),
                    (7, "Cuba", &[("Cuba", "LOC")]),
                ],
            ),
            // I- without B- starts a span; B- after I- of the same label starts another;
            // I- of another label starts another; a span runs to the sentence end.
            (
                "a I-LOC\nb I-LOC\nc B-LOC\nd I-ORG\ne I-ORG",
                &[(
                    1,
                    "a b c d e",
                    &[("a b", "LOC"), ("c", "LOC"), ("d e", "ORG")],
                )],
            ),
            // IOBES.
            (
                "a S-PER\nb B-ORG\nc E-ORG\nd O",
                &[(1, "a b c d", &[("a", "PER"), ("b c", "ORG")])],
            ),
        ];
        let map = TypeMap::parse("PER=PERSON,LOC=COUNTRY|REGION").unwrap_or_default();
        for (text, want) in cases {
            let got = parse(Path::new("x.conll"), text, &map).unwrap_or_else(|e| panic!("{e}"));
            let got: Vec<Parsed> = got
                .iter()
                .map(|s| (s.line, s.text.as_str(), spans(s)))
                .collect();
            let want: Vec<Parsed> = want
                .iter()
                .map(|(l, t, s)| (*l, *t, s.iter().map(|(a, b)| (a.to_string(), *b)).collect()))
                .collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn docstart_lines_start_documents() {
        // A leading `-DOCSTART-` and repeated ones start no empty document.
        let text = "-DOCSTART- O\n\na O\n\nb O\n-DOCSTART- O\n\n-DOCSTART- O\nc O\n\nd O\n";
        let got = parse(Path::new("x"), text, &TypeMap::new()).unwrap_or_else(|e| panic!("{e}"));
        let documents: Vec<(&str, usize)> =
            got.iter().map(|s| (s.text.as_str(), s.document)).collect();
        assert_eq!(documents, [("a", 0), ("b", 0), ("c", 1), ("d", 1)]);
    }

    #[test]
    fn labels_go_through_the_map() {
        let map = TypeMap::parse("LOC=COUNTRY|REGION,ORG=ORGANIZATION|PARTY").unwrap_or_default();
        let got = parse(
            Path::new("x"),
            "a B-LOC\nb B-ORG\nc B-DAT\nd B-PERSON",
            &map,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let types: Vec<(&str, &[EntityType])> = got[0]
            .spans
            .iter()
            .map(|s| (s.label.name.as_str(), s.label.types.as_slice()))
            .collect();
        use EntityType::*;
        assert_eq!(
            types,
            [
                ("LOC", &[Country, Region][..]),
                ("ORG", &[Party, Organization][..]),
                ("DAT", &[][..]),
                ("PERSON", &[Person][..]),
            ]
        );
    }

    #[test]
    fn bad_lines_name_their_line() {
        for (text, line, needle) in [
            ("a O\nb\n", 2, "is not `TOKEN TAG`"),
            ("a O\n\nb X-PER", 3, "tag `X-PER`"),
            ("a B-", 1, "tag `B-`"),
            ("a\t", 1, "is not `TOKEN TAG`"),
        ] {
            let err = parse(Path::new("g.conll"), text, &TypeMap::new())
                .expect_err(needle)
                .to_string();
            assert!(err.starts_with(&format!("g.conll:{line}: ")), "{err}");
            assert!(err.contains(needle), "{needle}: {err}");
        }
    }

    #[test]
    fn scores_exact_overlap_and_scope() {
        let pipeline = Pipeline::embedded().unwrap_or_else(|e| panic!("{e}"));
        let map = TypeMap::parse("PER=PERSON,LOC=COUNTRY|REGION,ORG=ORGANIZATION|PARTY")
            .unwrap_or_default();
        // چین: exact LOC. کوبا: tagged PER, so a wrong type. «حزب کمونیست چین»: our PARTY
        // mention overlaps the gold ORG «حزب کمونیست» only. DAT is unmapped.
        let text =
            "چین B-LOC\nو O\nکوبا B-PER\nو O\nحزب B-ORG\nکمونیست I-ORG\nچین O\nدر O\n۱۹۴۷ B-DAT\n";
        let set = ConllSet {
            name: "t".into(),
            sources: Vec::new(),
            sentences: parse(Path::new("t"), text, &map).unwrap_or_else(|e| panic!("{e}")),
        };
        let report = evaluate(&pipeline, &set);
        let rows: Vec<(&str, [usize; 5])> = report
            .rows
            .iter()
            .map(|r| {
                (
                    r.name.as_str(),
                    [r.gold, r.predicted, r.exact, r.overlap, r.found],
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("LOC", [1, 2, 1, 1, 1]),
                ("ORG", [1, 1, 0, 1, 0]),
                ("PER", [1, 0, 0, 0, 0]),
            ]
        );
        assert_eq!(report.total.precision, 1.0 / 3.0);
        assert_eq!(report.total.overlap_precision, 2.0 / 3.0);
        assert_eq!(
            report.unmapped,
            [Unmapped {
                label: "DAT".into(),
                spans: 1
            }]
        );
        let spurious: Vec<(&str, Option<&str>)> = report
            .spurious
            .iter()
            .map(|m| (m.text.as_str(), m.overlaps.as_deref()))
            .collect();
        assert_eq!(
            spurious,
            [
                ("کوبا", Some("PER کوبا")),
                ("حزب کمونیست چین", Some("ORG حزب کمونیست"))
            ]
        );
    }
}
