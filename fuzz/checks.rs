//! The invariants the fuzz targets assert, shared by `fuzz/fuzz_targets/*.rs` and
//! `tests/fuzz.rs` (which replays the committed crash inputs and runs the same checks as
//! property tests). Each `check_*` takes the raw fuzz input and panics when an invariant
//! breaks; input that a loader rejects is fine, a panic never is.
//!
//! Only the public API of `newsgraph` is used, and `newsgraph::fuzzing` for the one entry
//! points that are not public (a JSONL reader over bytes in memory, the compiled cache's
//! entity table).

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use newsgraph::export::csv::{write_edges, write_nodes, CsvFlavor};
use newsgraph::export::graphml::write_graphml;
use newsgraph::input::DocumentError;
use newsgraph::text::Normalized;
use newsgraph::{
    skipped_patterns, DataFiles, Document, EdgeData, EdgeKey, Extraction, GazetteerBuilder,
    GraphPart, KnowledgeGraph, NodeData, Pipeline, Predicates, RowError, RuleSet,
};

/// Skeleton characters per input whose original slice is normalized again (the check is
/// linear per character; the cap keeps long inputs fast).
const RENORMALIZE_CHARS: usize = 256;

/// The text of fuzz input: invalid UTF-8 is replaced, so that every input tests something.
pub fn text_of(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

// ---------------------------------------------------------------------------------------
// normalize

/// Normalization and its offset map: every skeleton character maps to a non-empty original
/// span on character boundaries, monotonically; the skeleton has no separators; reusing a
/// `Normalized` gives the same result as a new one; normalizing again changes nothing.
pub fn check_normalize(data: &[u8]) {
    let text = text_of(data);
    let n = Normalized::new(&text);
    let skeleton = n.skeleton();
    assert!(
        !skeleton
            .chars()
            .any(|c| c.is_whitespace() || c == '\u{200C}' || c == '\u{0640}'),
        "separator or tatweel in skeleton {skeleton:?}"
    );
    let starts: Vec<usize> = skeleton
        .char_indices()
        .map(|(i, _)| i)
        .chain([skeleton.len()])
        .collect();
    let mut last = 0..0;
    for (k, pair) in starts.windows(2).enumerate() {
        let r = n.original_range(pair[0]..pair[1]);
        assert!(
            r.start < r.end && r.end <= text.len(),
            "span {r:?} of {text:?}"
        );
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        assert!(
            r.start >= last.start && r.end >= last.end,
            "mapping not monotonic: {last:?} then {r:?}"
        );
        assert_eq!(n.original_start(pair[0]), r.start);
        let _ = n.gap_before(pair[0]);
        if k < RENORMALIZE_CHARS {
            let again = Normalized::new(&text[r.clone()]);
            assert!(
                again.skeleton().contains(&skeleton[pair[0]..pair[1]]),
                "{:?} normalizes to {:?}, not containing {:?}",
                &text[r.clone()],
                again.skeleton(),
                &skeleton[pair[0]..pair[1]]
            );
        }
        last = r;
    }
    let _ = n.gap_before(skeleton.len());
    if !skeleton.is_empty() {
        let whole = n.original_range(0..skeleton.len());
        assert!(whole.start <= whole.end && whole.end <= text.len());
    }
    // Reuse gives the same value as a fresh one.
    let mut reused = Normalized::new("ﻻ İstanbul بين\u{200C}المللي ۱۲۳\n");
    reused.reset(&text);
    assert_eq!(reused.skeleton(), skeleton);
    assert_eq!(reused.to_spaced(), n.to_spaced());
    for pair in starts.windows(2) {
        assert_eq!(
            reused.original_range(pair[0]..pair[1]),
            n.original_range(pair[0]..pair[1])
        );
    }
    // Folding is idempotent: the skeleton is already what matching sees.
    assert_eq!(
        newsgraph::text::skeleton(skeleton),
        skeleton,
        "skeleton of {text:?} is not a fixed point"
    );
}

// ---------------------------------------------------------------------------------------
// extract (matching and selection)

/// The embedded pipeline, built once per process.
pub fn embedded_pipeline() -> &'static Pipeline {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    PIPELINE.get_or_init(|| Pipeline::embedded().expect("embedded pipeline"))
}

/// Fragments that make matches likely when the fuzzer's bytes select them.
const FRAGMENTS: &[&str] = &[
    "چین",
    "كوبا",
    "ایران",
    "آمریکای لاتین",
    "شی جین پینگ",
    "میگل دیاز-کانل",
    " با ",
    " دیدار کرد",
    " و ",
    "\u{200C}",
    " ",
    "\n",
    "ﻛﻮﺑﺎ",
    "ـ",
    "\u{064E}",
    "ها",
    "ی",
    "Xi Jinping",
    " met ",
    "China",
    ". ",
    "،",
    "رئیس جمهور",
    "İ",
];

/// Turns fuzz bytes into text: a byte with the high bit set picks a fragment, runs of other
/// bytes are kept as (lossy) UTF-8, so that both real matches and arbitrary text occur.
pub fn haystack_of(data: &[u8]) -> String {
    let mut out = String::new();
    let mut run: Vec<u8> = Vec::new();
    for &b in data {
        if b >= 0xE0 {
            out.push_str(&String::from_utf8_lossy(&run));
            run.clear();
            out.push_str(FRAGMENTS[(b - 0xE0) as usize % FRAGMENTS.len()]);
        } else {
            run.push(b);
        }
    }
    out.push_str(&String::from_utf8_lossy(&run));
    out
}

/// Checks the spans of an extraction of `doc`: mentions and relation evidence lie in bounds,
/// on character boundaries, with code-point offsets that match the byte offsets; sentences are
/// ordered, disjoint and in bounds, and every mention lies in its sentence.
pub fn check_extraction(doc: &Document, extraction: &Extraction) {
    let text = &doc.text;
    let mut cp_at = vec![usize::MAX; text.len() + 1];
    let mut count = 0;
    for (i, _) in text.char_indices() {
        cp_at[i] = count;
        count += 1;
    }
    cp_at[text.len()] = count;
    assert_eq!(extraction.chars, count);
    let span_ok = |what: &str, bytes: std::ops::Range<usize>, cps: std::ops::Range<usize>| {
        assert!(
            bytes.start <= bytes.end && bytes.end <= text.len(),
            "{what} bytes {bytes:?} out of bounds ({})",
            text.len()
        );
        assert!(
            text.is_char_boundary(bytes.start) && text.is_char_boundary(bytes.end),
            "{what} bytes {bytes:?} not on char boundaries in {text:?}"
        );
        assert_eq!(
            (cp_at[bytes.start], cp_at[bytes.end]),
            (cps.start, cps.end),
            "{what}: code points disagree with bytes {bytes:?}"
        );
    };
    let mut previous_end = 0;
    for s in &extraction.sentences {
        assert!(s.start >= previous_end && s.start <= s.end && s.end <= text.len());
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        previous_end = s.end;
    }
    for m in &extraction.mentions {
        span_ok("mention", m.byte_start..m.byte_end, m.start..m.end);
        assert!(m.byte_start < m.byte_end, "empty mention {m:?}");
        assert_eq!(m.text(doc), &text[m.byte_start..m.byte_end]);
        let sentence = extraction
            .sentences
            .get(m.sentence)
            .unwrap_or_else(|| panic!("mention {m:?} in no sentence"));
        // Even a name holding a sentence mark («Yahoo! Japan») lies inside its sentence: the
        // pipeline joins the sentences it crosses.
        assert!(
            sentence.start <= m.byte_start && m.byte_end <= sentence.end,
            "mention {m:?} outside its sentence {sentence:?}"
        );
        assert!(extraction.candidates(m).len() >= 1);
    }
    for w in extraction.mentions.windows(2) {
        assert!(w[0].byte_start <= w[1].byte_start, "mentions out of order");
    }
    for r in &extraction.relations {
        span_ok("relation", r.byte_start..r.byte_end, r.start..r.end);
        assert!(r.sentence < extraction.sentences.len().max(1));
    }
}

/// Matching and selection on the embedded gazetteers and rules.
pub fn check_extract(data: &[u8]) {
    let pipeline = embedded_pipeline();
    let doc = Document::new("fuzz", haystack_of(data));
    let extraction = pipeline.extract(&doc);
    check_extraction(&doc, &extraction);
    // A reused scratch gives the same result.
    let mut scratch = newsgraph::Scratch::default();
    let _ = pipeline.extract_with(&Document::new("other", "چین و کوبا"), &mut scratch);
    let again = pipeline.extract_with(&doc, &mut scratch);
    assert_eq!(again.mentions, extraction.mentions);
    assert_eq!(again.relations, extraction.relations);
    assert_eq!(again.sentences, extraction.sentences);
}

// ---------------------------------------------------------------------------------------
// JSONL reader

/// What a reader yields, comparable.
type Read = Vec<(String, String, Result<Document, DocumentError>)>;

fn read_jsonl(bytes: &[u8], max_bytes: usize, capacity: usize) -> Read {
    newsgraph::fuzzing::jsonl_reader(bytes.to_vec(), capacity, max_bytes)
        .map(|l| (l.id, l.origin, l.result))
        .collect()
}

/// The JSONL reader: no panic; the result does not depend on the read buffer's size; line
/// numbers increase; ids are unique among documents read; a document read is never empty;
/// writing the documents read back as JSONL and reading that again gives them back.
pub fn check_jsonl(data: &[u8]) {
    let (max_bytes, bytes) = match data.split_first() {
        Some((&b, rest)) if b < 0x80 => (usize::from(b) + 1, rest),
        _ => (newsgraph::input::DEFAULT_MAX_DOCUMENT_BYTES, data),
    };
    let read = read_jsonl(bytes, max_bytes, 1 << 16);
    for capacity in [1, 2, 7] {
        assert_eq!(
            read_jsonl(bytes, max_bytes, capacity),
            read,
            "capacity {capacity}"
        );
    }
    let mut last_line = 0;
    let mut ids = BTreeSet::new();
    for (id, origin, result) in &read {
        let line: usize = origin
            .strip_prefix("fuzz.jsonl:")
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("origin {origin:?}"));
        assert!(line > last_line, "line numbers go {last_line} then {line}");
        last_line = line;
        if let Ok(doc) = result {
            assert_eq!(&doc.id, id);
            assert!(!doc.text.trim().is_empty());
            assert!(ids.insert(id.clone()), "duplicate id {id:?} accepted");
        }
    }
    // Round trip: what was read, written back, reads the same.
    let docs: Vec<&Document> = read
        .iter()
        .filter_map(|(_, _, r)| r.as_ref().ok())
        .collect();
    let mut out = Vec::new();
    for doc in &docs {
        let line = serde_json::json!({
            "id": doc.id,
            "text": doc.text,
            "published": doc.published,
            "lang": doc.lang,
        });
        out.extend_from_slice(line.to_string().as_bytes());
        out.push(b'\n');
    }
    let max = newsgraph::input::DEFAULT_MAX_DOCUMENT_BYTES;
    let again: Vec<Document> = read_jsonl(&out, max, 1 << 16)
        .into_iter()
        .map(|(_, origin, r)| r.unwrap_or_else(|e| panic!("{origin}: {e} on reading back")))
        .collect();
    let docs: Vec<Document> = docs.into_iter().cloned().collect();
    assert_eq!(again, docs);
}

// ---------------------------------------------------------------------------------------
// Loaders

/// The number of lines of `text`, as the loaders count them (a final line without `\n`
/// counts).
fn line_count(text: &str) -> usize {
    text.lines().count().max(1)
}

fn check_errors(file: &str, text: &str, errors: &[RowError]) {
    for e in errors {
        assert!(
            e.line >= 1 && e.line <= line_count(text) + 1,
            "error line {} beyond the {} lines of {file}: {e}",
            e.line,
            line_count(text)
        );
        assert!(
            !e.reason.is_empty(),
            "empty reason for {file}:{}: {:?}",
            e.line,
            text.lines().nth(e.line.saturating_sub(1))
        );
    }
}

/// A few entities for the rule and pattern targets.
const SMALL_TSV: &str = "id\ttype\tname_en\tname_fa\taliases\tshort\tcountry
country:CN\tCOUNTRY\tChina\tچین\t\t\t
country:CU\tCOUNTRY\tCuba\tکوبا\tجمهوری کوبا\t\t
person:xi-jinping\tPERSON\tXi Jinping\tشی جین پینگ\tXi Jinping\tشی | Xi\tCN
person:miguel-diaz-canel\tPERSON\tMiguel Díaz-Canel\tمیگل دیاز-کانل برمودز\tمیگل دیاز-کانل | Díaz-Canel\t\tCU
";

/// The loader targets load every this many-th word of `common_words.txt`: the whole list
/// (10,000 words) takes most of the time of an input under the sanitizer, and 500 words from
/// all of the alphabet are enough for "alias + suffix is a common word" to occur.
const COMMON_WORDS_STEP: usize = 20;

/// The morphology tables of the embedded data, for pipelines built from fuzzed entities.
fn morphology_files() -> &'static DataFiles {
    static FILES: OnceLock<DataFiles> = OnceLock::new();
    FILES.get_or_init(|| {
        let embedded = DataFiles::embedded();
        let mut files = DataFiles::default();
        for name in ["affixes.tsv", "suffixes.tsv"] {
            files.insert(name, embedded.get(name).expect("embedded morphology table"));
        }
        let common = embedded
            .get("common_words.txt")
            .expect("embedded morphology table");
        let mut first: String = common
            .lines()
            .filter(|l| !l.starts_with('#'))
            .step_by(COMMON_WORDS_STEP)
            .collect::<Vec<_>>()
            .join("\n");
        first.push('\n');
        files.insert("common_words.txt", first);
        files
    })
}

/// Extracts from a text made of the aliases of the gazetteer (and of `extra`), with the
/// spans checked.
fn extract_aliases(pipeline: &Pipeline, extra: &str) {
    let mut text = String::new();
    for entity in pipeline.gazetteer().entities().iter().take(64) {
        for alias in entity.aliases.iter().take(8) {
            text.push_str(&alias.text);
            text.push_str(" و ");
        }
    }
    let mut cut = extra.len().min(512);
    while !extra.is_char_boundary(cut) {
        cut -= 1;
    }
    text.push_str(&extra[..cut]);
    let doc = Document::new("fuzz", text);
    check_extraction(&doc, &pipeline.extract(&doc));
}

/// The entity TSV loader: no panic; errors name lines of the file; whatever it accepts
/// builds a pipeline whose matches on its own aliases keep the span invariants.
pub fn check_gazetteer_tsv(data: &[u8]) {
    let text = text_of(data);
    let mut builder = GazetteerBuilder::new();
    builder.add_files(morphology_files());
    builder.add_entities_tsv("fuzz.tsv", &text);
    let (gazetteer, errors) = builder.build_lenient();
    check_errors("fuzz.tsv", &text, &errors);
    for entity in gazetteer.entities() {
        assert!(!entity.id.is_empty());
        assert_eq!(gazetteer.get(&entity.id).map(|e| &e.id), Some(&entity.id));
    }
    if let Ok(pipeline) = Pipeline::new(gazetteer, RuleSet::default()) {
        extract_aliases(&pipeline, &text);
    }
}

/// The compiled cache's entity table, read in place: a damaged table fails to load or loads,
/// never panics, and a lookup by id never names an entity of another id.
pub fn check_entity_table(data: &[u8]) {
    newsgraph::fuzzing::entity_table(data);
}

/// The spaCy pattern loader: no panic; errors and skips name lines of the file; a skipped
/// line is not also an error; the patterns accepted build a pipeline that matches soundly.
pub fn check_spacy(data: &[u8]) {
    let text = text_of(data);
    let skipped = skipped_patterns("fuzz.jsonl", &text);
    check_errors("fuzz.jsonl", &text, &skipped);
    let mut builder = GazetteerBuilder::new();
    builder.add_files(morphology_files());
    builder.add_entities_tsv("base.tsv", SMALL_TSV);
    builder.add_spacy_patterns("fuzz.jsonl", &text);
    let (gazetteer, errors) = builder.build_lenient();
    check_errors("fuzz.jsonl", &text, &errors);
    if let Ok(pipeline) = Pipeline::new(gazetteer, RuleSet::default()) {
        extract_aliases(&pipeline, &text);
    }
}

/// Checks that every error of a loader names the fuzzed `file` (or, when the data it was
/// loaded with may now disagree with it, one of `others`), a line of its file, and a reason,
/// printed as `file:line: reason`.
fn check_errors_of(file: &str, text: &str, others: &[(&str, &str)], errors: &[RowError]) {
    for e in errors {
        assert!(
            e.to_string()
                .starts_with(&format!("{}:{}: ", e.file, e.line)),
            "{e:?} is not printed as file:line: reason"
        );
        let of_file = if e.file == file {
            text
        } else {
            others
                .iter()
                .find(|(name, _)| *name == e.file)
                .unwrap_or_else(|| panic!("error {e} names a file that was not loaded"))
                .1
        };
        check_errors(&e.file, of_file, std::slice::from_ref(e));
    }
}

/// A text with the phrases of the embedded rules: triggers, titles before and after names,
/// title connectors, markers.
const RULES_TEXT: &str = "رئیس جمهور چین شی جین پینگ با میگل دیاز-کانل، رئیس جمهور و \
    دبیر اول حزب کمونیست کوبا دیدار و گفتگو کرد. دو طرف توافقنامه امضا کردند. \
    Chinese President Xi Jinping met Díaz-Canel, President of Cuba, and they signed a deal. \
    China supports Cuba.";

/// The rule loader (`rules/*.toml` and `rules/predicates.toml`, with titles, markers and the
/// predicate table): no panic; errors name lines of the file; a rule set it accepts runs on
/// a text with its triggers and titles, with the span invariants kept. A fuzzed predicate
/// table is loaded with the embedded rules, which refer to it.
pub fn check_rules(data: &[u8]) {
    let (file, bytes) = match data.split_first() {
        Some((&b, rest)) if b % 4 == 0 => ("rules/predicates.toml", rest),
        Some((_, rest)) => ("rules/fuzz.toml", rest),
        None => ("rules/fuzz.toml", data),
    };
    let text = text_of(bytes);
    let mut files = DataFiles::default();
    let mut others: Vec<(&str, &str)> = Vec::new();
    if file == "rules/predicates.toml" {
        let embedded = embedded_files();
        for name in ["rules/en.toml", "rules/fa.toml"] {
            let rules = embedded.get(name).expect("embedded rules");
            files.insert(name, rules);
            others.push((name, rules));
        }
    }
    files.insert(file, text.as_str());
    match RuleSet::from_files(&files) {
        Ok(rules) => {
            let mut builder = GazetteerBuilder::new();
            builder.add_files(morphology_files());
            builder.add_entities_tsv("small.tsv", SMALL_TSV);
            let gazetteer = builder.build().expect("small gazetteer");
            if let Ok(pipeline) = Pipeline::new(gazetteer, rules) {
                let doc = Document::new("fuzz", RULES_TEXT);
                check_extraction(&doc, &pipeline.extract(&doc));
            }
        }
        Err(newsgraph::DataError::Invalid(errors)) => {
            check_errors_of(file, &text, &others, &errors)
        }
        Err(_) => {}
    }
}

/// The embedded data files, read once per process.
fn embedded_files() -> &'static DataFiles {
    static FILES: OnceLock<DataFiles> = OnceLock::new();
    FILES.get_or_init(DataFiles::embedded)
}

// ---------------------------------------------------------------------------------------
// Discovery patterns

/// A few people, so that «محمد», «علی» and «John» are first names (`F`).
const PEOPLE: &str = "محمد رضایی
محمد کریمی
محمد احمدی
علی رضایی
علی کریمی
علی احمدی
John Smith
John Doe
John Roe
";

/// A text in which the embedded discovery patterns find names.
const DISCOVERY_TEXT: &str = "آقای حسن روحانی گفت. دکتر علی فلاحی سخنگوی دولت گفت. \
    محمد جوادی، وزیر خارجه، گفت. «ژوزپ بورل» مسئول سیاست خارجی گفت. \
    Mr John Smith met President Joe Biden. Smith, spokesman for China, said.";

/// The discovery-pattern loader (`patterns/classes.tsv`, `patterns/patterns.toml`; the first
/// byte chooses which is fuzzed, the other is the embedded one): no panic; errors name lines
/// of the fuzzed file with a reason; what loads discovers names in a text (and in the input)
/// with the span invariants kept, each discovered mention naming a pattern of its type.
pub fn check_discovery(data: &[u8]) {
    let (file, other, bytes) = match data.split_first() {
        Some((&b, rest)) if b % 2 == 1 => ("patterns/classes.tsv", "patterns/patterns.toml", rest),
        Some((_, rest)) => ("patterns/patterns.toml", "patterns/classes.tsv", rest),
        None => ("patterns/patterns.toml", "patterns/classes.tsv", data),
    };
    let text = text_of(bytes);
    let embedded = embedded_files();
    let mut files = morphology_files().clone();
    files.insert(file, text.as_str());
    files.insert(other, embedded.get(other).expect("embedded discovery file"));
    files.insert("lexicons/people.txt", PEOPLE);
    // Discovered ids are romanized slugs.
    let romanize = "lexicons/romanize.tsv";
    files.insert(romanize, embedded.get(romanize).expect("embedded lexicon"));
    let mut builder = GazetteerBuilder::new();
    builder.add_files(&files);
    builder.add_entities_tsv("small.tsv", SMALL_TSV);
    let (gazetteer, errors) = builder.build_lenient();
    check_errors_of(file, &text, &[], &errors);
    let Ok(pipeline) = Pipeline::new(gazetteer, RuleSet::default()) else {
        return;
    };
    let mut cut = text.len().min(512);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let doc = Document::new("fuzz", format!("{DISCOVERY_TEXT}\n{}", &text[..cut]));
    let extraction = pipeline.extract(&doc);
    check_extraction(&doc, &extraction);
    let patterns = pipeline.gazetteer().discovery().patterns();
    for m in &extraction.mentions {
        let entity = pipeline.entity(&extraction, m);
        if let Some(p) = m.pattern {
            let pattern = patterns
                .get(usize::from(p))
                .unwrap_or_else(|| panic!("mention {m:?} names pattern {p} of {}", patterns.len()));
            assert_eq!(
                entity.entity_type, pattern.entity_type,
                "{m:?} of {}",
                pattern.id
            );
            assert!((0.0..=1.0).contains(&pattern.confidence));
        }
        assert!(!entity.id.is_empty());
    }
}

// ---------------------------------------------------------------------------------------
// Export round trips

/// Cuts fuzz input into strings at U+001F (unit separator), cycling when it runs out.
struct Fields<'a> {
    parts: Vec<&'a str>,
    next: usize,
}

impl<'a> Fields<'a> {
    fn new(text: &'a str) -> Fields<'a> {
        Fields {
            parts: text.split('\u{1F}').collect(),
            next: 0,
        }
    }

    fn take(&mut self) -> &'a str {
        let s = self.parts[self.next % self.parts.len()];
        self.next += 1;
        s
    }

    fn number(&mut self) -> u64 {
        self.take()
            .bytes()
            .fold(0u64, |n, b| n.wrapping_mul(31) ^ u64::from(b))
    }

    fn optional(&mut self) -> Option<String> {
        let s = self.take();
        (!s.starts_with('-')).then(|| s.to_string())
    }
}

/// A graph of arbitrary strings: every field of every node and edge comes from the input.
pub fn graph_of(data: &[u8]) -> KnowledgeGraph {
    let text = text_of(data);
    let mut f = Fields::new(&text);
    let nodes = f.parts.len().div_ceil(8).clamp(1, 12);
    let mut part = GraphPart::default();
    let mut ids = Vec::new();
    for _ in 0..nodes {
        let id = f.take().to_string();
        let documents: BTreeSet<newsgraph::DocId> =
            (0..f.number() % 4).map(|_| f.take().into()).collect();
        let data = NodeData {
            label: f.take().into(),
            entity_type: f.take().into(),
            name_en: f.take().into(),
            name_fa: f.take().into(),
            wikidata: f.optional(),
            mentions: f.number(),
            documents: documents.len() as u64,
            document_ids: documents,
            samples: BTreeSet::new(),
            part_of: Vec::new(),
        };
        part.nodes.insert(id.clone(), data);
        ids.push(id);
    }
    let edges = f.parts.len().div_ceil(4).min(24);
    for _ in 0..edges {
        let source = &ids[f.number() as usize % ids.len()];
        let target = &ids[f.number() as usize % ids.len()];
        let key = EdgeKey {
            source: source.clone(),
            target: target.clone(),
            relation: f.take().into(),
            role: f.take().into(),
        };
        let flags = f.number();
        let documents: BTreeSet<newsgraph::DocId> =
            (0..flags % 4).map(|_| f.take().into()).collect();
        let data = EdgeData {
            directed: flags & 4 != 0,
            background: flags & 8 != 0,
            weight: f.number(),
            documents: documents.len() as u64,
            document_ids: documents,
            first_published: f.optional(),
            last_published: f.optional(),
            evidence: BTreeSet::new(),
        };
        part.edges.insert(key, data);
    }
    let gazetteer = GazetteerBuilder::new().build().expect("empty gazetteer");
    KnowledgeGraph::build(part, &gazetteer, &Predicates::default())
}

/// What the writers promise a reader gets back: the string with the characters XML 1.0
/// cannot hold (everything outside its `Char` production) replaced by U+FFFD.
pub fn printable(value: &str) -> String {
    value
        .chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' => c,
            '\u{10000}'.. => c,
            _ => '\u{FFFD}',
        })
        .collect()
}

/// Splits a `document_ids` list back into ids (`;` separates, `\;` and `\\` escape).
pub fn split_ids(list: &str) -> Vec<String> {
    let mut ids = vec![String::new()];
    let mut chars = list.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => ids.last_mut().unwrap().extend(chars.next()),
            ';' => ids.push(String::new()),
            c => ids.last_mut().unwrap().push(c),
        }
    }
    ids
}

/// One element read back from GraphML: its attributes and its `<data>` values by key.
#[derive(Debug, Default, PartialEq)]
struct Element {
    attributes: BTreeMap<String, String>,
    data: BTreeMap<String, String>,
}

/// Reads `<node>` and `<edge>` elements back with quick-xml.
fn read_graphml(xml: &[u8]) -> (Vec<Element>, Vec<Element>) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let (mut nodes, mut edges) = (Vec::new(), Vec::new());
    let mut current: Option<(bool, Element)> = None;
    let mut key: Option<String> = None;
    let mut value = String::new();
    let mut buf = Vec::new();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .expect("well-formed GraphML");
        match event {
            Event::Start(e) | Event::Empty(e) if matches!(e.name().as_ref(), b"node" | b"edge") => {
                let mut element = Element::default();
                for a in e.attributes() {
                    let a = a.expect("attribute");
                    let v = a.unescape_value().expect("attribute value").into_owned();
                    element
                        .attributes
                        .insert(String::from_utf8(a.key.as_ref().to_vec()).unwrap(), v);
                }
                current = Some((e.name().as_ref() == b"node", element));
            }
            Event::Start(e) if e.name().as_ref() == b"data" => {
                let k = e
                    .try_get_attribute("key")
                    .expect("key attribute")
                    .expect("data has a key");
                key = Some(String::from_utf8(k.value.to_vec()).unwrap());
                value.clear();
            }
            Event::Text(t) if key.is_some() => value.push_str(&t.unescape().expect("text")),
            Event::CData(t) if key.is_some() => {
                value.push_str(std::str::from_utf8(&t).expect("UTF-8 CDATA"))
            }
            Event::End(e) if e.name().as_ref() == b"data" => {
                let k = key.take().expect("data open");
                let (_, element) = current.as_mut().expect("data inside node or edge");
                assert!(
                    element.data.insert(k, value.clone()).is_none(),
                    "data twice"
                );
            }
            Event::End(e) if matches!(e.name().as_ref(), b"node" | b"edge") => {
                let (is_node, element) = current.take().expect("open element");
                if is_node { &mut nodes } else { &mut edges }.push(element);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    (nodes, edges)
}

fn put(map: &mut BTreeMap<String, String>, key: &str, value: &str) {
    if !value.is_empty() {
        map.insert(key.to_string(), printable(value));
    }
}

/// GraphML and the three CSV flavors read back with an XML and a CSV parser give the graph's
/// values (after [`printable`]).
pub fn check_export(data: &[u8]) {
    let graph = graph_of(data);
    let mut xml = Vec::new();
    write_graphml(&graph, &mut xml);
    let (nodes, edges) = read_graphml(&xml);
    let expected_nodes: Vec<Element> = graph
        .nodes()
        .map(|n| {
            let d = &n.data;
            let mut e = Element::default();
            e.attributes.insert("id".into(), printable(&n.id));
            put(&mut e.data, "node_label", &d.label);
            put(&mut e.data, "node_type", &d.entity_type);
            put(&mut e.data, "node_name_en", &d.name_en);
            put(&mut e.data, "node_name_fa", &d.name_fa);
            put(
                &mut e.data,
                "node_wikidata",
                d.wikidata.as_deref().unwrap_or(""),
            );
            put(&mut e.data, "node_mentions", &d.mentions.to_string());
            put(&mut e.data, "node_documents", &d.documents.to_string());
            e
        })
        .collect();
    assert_eq!(nodes, expected_nodes);
    let boolean = |b: bool| if b { "true" } else { "false" };
    let expected_edges: Vec<Element> = graph
        .edges()
        .map(|edge| {
            let (k, d) = (&edge.key, &edge.data);
            let mut e = Element::default();
            e.attributes.insert("source".into(), printable(&k.source));
            e.attributes.insert("target".into(), printable(&k.target));
            put(&mut e.data, "edge_relation", &k.relation);
            put(&mut e.data, "edge_role", &k.role);
            put(
                &mut e.data,
                "edge_first_published",
                d.first_published.as_deref().unwrap_or(""),
            );
            put(
                &mut e.data,
                "edge_last_published",
                d.last_published.as_deref().unwrap_or(""),
            );
            if !d.document_ids.is_empty() {
                let joined = nodes_ids_joined(&d.document_ids);
                e.data
                    .insert("edge_document_ids".into(), printable(&joined));
            }
            put(&mut e.data, "edge_weight", &d.weight.to_string());
            put(&mut e.data, "edge_documents", &d.documents.to_string());
            put(&mut e.data, "edge_directed", boolean(d.directed));
            put(&mut e.data, "edge_background", boolean(d.background));
            let id = format!("{}|{}|{}|{}", k.source, k.relation, k.role, k.target);
            put(&mut e.data, "edge_edge_id", &id);
            e
        })
        .collect();
    assert_eq!(edges, expected_edges);
    for e in &edges {
        if let Some(list) = e.data.get("edge_document_ids") {
            let n: usize = e.data["edge_documents"].parse().unwrap();
            assert_eq!(split_ids(list).len(), n, "document_ids {list:?} split");
        }
    }
    for flavor in [CsvFlavor::Plain, CsvFlavor::Neo4j, CsvFlavor::Gephi] {
        check_csv(&graph, flavor);
    }
}

/// `document_ids` as the writers join it, built from the documented escape.
fn nodes_ids_joined(ids: &BTreeSet<newsgraph::DocId>) -> String {
    ids.iter()
        .map(|id| id.replace('\\', "\\\\").replace(';', "\\;"))
        .collect::<Vec<_>>()
        .join(";")
}

fn read_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes);
    reader
        .records()
        .map(|r| r.expect("valid CSV").iter().map(str::to_string).collect())
        .collect()
}

fn check_csv(graph: &KnowledgeGraph, flavor: CsvFlavor) {
    let mut out = Vec::new();
    write_nodes(graph, flavor, &mut out);
    let rows = read_csv(&out);
    assert_eq!(
        rows.len(),
        graph.nodes().count() + 1,
        "{flavor:?} node rows"
    );
    for (row, node) in rows[1..].iter().zip(graph.nodes()) {
        let d = &node.data;
        assert_eq!(row.len(), 8);
        assert_eq!(row[0], printable(&node.id));
        assert_eq!(row[1], printable(&d.label));
        if flavor != CsvFlavor::Neo4j {
            assert_eq!(row[2], printable(&d.entity_type));
        }
        assert_eq!(row[3], printable(&d.name_en));
        assert_eq!(row[4], printable(&d.name_fa));
        assert_eq!(row[5], d.mentions.to_string());
        assert_eq!(row[6], d.documents.to_string());
        assert_eq!(row[7], printable(d.wikidata.as_deref().unwrap_or("")));
    }
    let mut out = Vec::new();
    write_edges(graph, flavor, &mut out);
    let rows = read_csv(&out);
    assert_eq!(
        rows.len(),
        graph.edges().count() + 1,
        "{flavor:?} edge rows"
    );
    for (row, edge) in rows[1..].iter().zip(graph.edges()) {
        let (k, d) = (&edge.key, &edge.data);
        assert_eq!(row[0], printable(&k.source));
        assert_eq!(row[1], printable(&k.target));
        match flavor {
            CsvFlavor::Gephi => {
                assert_eq!(row.len(), 10);
                assert_eq!(row[3], printable(&k.relation));
                assert_eq!(row[4], d.weight.to_string());
                assert_eq!(row[5], printable(&k.role));
            }
            _ => {
                assert_eq!(row.len(), 11);
                if flavor == CsvFlavor::Plain {
                    assert_eq!(row[2], printable(&k.relation));
                    assert_eq!(
                        row[7],
                        printable(d.first_published.as_deref().unwrap_or(""))
                    );
                    assert_eq!(row[8], printable(d.last_published.as_deref().unwrap_or("")));
                }
                assert_eq!(row[4], d.weight.to_string());
                assert_eq!(row[5], d.documents.to_string());
                assert_eq!(row[6], printable(&k.role));
                if !d.document_ids.is_empty() {
                    let ids: Vec<String> = d.document_ids.iter().map(|i| printable(i)).collect();
                    assert_eq!(split_ids(&row[10]), ids, "{flavor:?} document_ids");
                }
            }
        }
    }
}
