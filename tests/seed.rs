//! The founding article and the dev corpus, through the library API: every `must` entity of
//! the seed gold is found with exact offsets, and no country is found inside another word.

use std::path::Path;

use newsgraph::text::{is_word_part, Normalized};
use newsgraph::Gazetteer;
use newsgraph::{Document, Pipeline};
use serde_json::Value;

fn read(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

fn seed() -> (Document, Value) {
    let gold: Value = serde_json::from_str(&read(
        "tests/gold/seed/cri-fa-2022-11-25-xi-diaz-canel.json",
    ))
    .unwrap();
    let text = read(gold["text_file"].as_str().unwrap());
    (Document::new(gold["doc"].as_str().unwrap(), text), gold)
}

#[test]
fn every_must_entity_of_the_seed_is_found() {
    let pipeline = Pipeline::embedded().unwrap();
    let (doc, gold) = seed();
    let extraction = pipeline.extract(&doc);
    let found: Vec<(&str, &str)> = extraction
        .mentions
        .iter()
        .map(|m| {
            (
                m.text(&doc),
                pipeline.entity(&extraction, m).entity_type.as_str(),
            )
        })
        .collect();
    let mut missing = Vec::new();
    for entity in gold["entities"].as_array().unwrap() {
        if entity["level"] != "must" {
            continue;
        }
        let ty = entity["type"].as_str().unwrap();
        for surface in entity["surfaces"].as_array().unwrap() {
            let surface = surface.as_str().unwrap();
            if !found.contains(&(surface, ty)) {
                missing.push(format!("{} {surface:?} ({ty})", entity["key"]));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "missing must entities: {missing:#?}\nfound: {found:#?}"
    );
}

#[test]
fn seed_mentions_are_exact_slices() {
    let pipeline = Pipeline::embedded().unwrap();
    let (doc, _) = seed();
    let extraction = pipeline.extract(&doc);
    assert!(extraction.mentions.len() > 20);
    for m in &extraction.mentions {
        let by_chars: String = doc
            .text
            .chars()
            .skip(m.start)
            .take(m.end - m.start)
            .collect();
        assert_eq!(by_chars, m.text(&doc));
        assert_eq!(&doc.text[m.byte_start..m.byte_end], m.text(&doc));
    }
}

/// The rest of the word around a mention must be empty or a suffix that `suffixes.tsv` says
/// keeps the mention (the copula in «کوباست»); a demonym's mention is its word up to a ZWNJ
/// («همتای پاکستانی‌اش»), so after one a ZWNJ may follow.
fn check_whole_words(pipeline: &Pipeline, gazetteer: &Gazetteer, doc: &Document) -> Vec<String> {
    let clitics: Vec<String> = gazetteer
        .morphology()
        .suffixes
        .iter()
        .filter(|s| s.mention == newsgraph::SuffixMention::Yes)
        .map(|s| s.text.clone())
        .collect();
    let mut bad = Vec::new();
    let extraction = pipeline.extract(doc);
    for m in &extraction.mentions {
        if pipeline.entity(&extraction, m).entity_type.as_str() != "COUNTRY" {
            continue;
        }
        let before = doc.text[..m.byte_start].chars().next_back();
        let rest = &doc.text[m.byte_end..];
        if m.is_demonym() && rest.starts_with('\u{200C}') {
            continue;
        }
        let after: String = rest.chars().take_while(|&c| is_word_part(c)).collect();
        let after = Normalized::new(&after).skeleton().to_string();
        let inside_before = before.is_some_and(|c| c.is_alphanumeric());
        if inside_before || !(after.is_empty() || clitics.contains(&after)) {
            bad.push(format!(
                "{}: {:?} at {} followed by {after:?}",
                doc.id,
                m.text(doc),
                m.start
            ));
        }
    }
    bad
}

#[test]
fn no_country_inside_another_word() {
    let pipeline = Pipeline::embedded().unwrap();
    let (seed, _) = seed();
    let mut docs = vec![seed];
    let dev = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/dev");
    let mut paths: Vec<_> = std::fs::read_dir(dev)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for path in paths
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
    {
        let text = std::fs::read_to_string(&path).unwrap();
        docs.push(Document::new(
            path.file_stem().unwrap().to_string_lossy(),
            text,
        ));
    }
    assert_eq!(docs.len(), 56, "the seed and the 55 dev articles");
    let bad: Vec<String> = docs
        .iter()
        .flat_map(|d| check_whole_words(&pipeline, pipeline.gazetteer(), d))
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn arabic_letter_forms_match_like_persian_ones() {
    let pipeline = Pipeline::embedded().unwrap();
    let (doc, _) = seed();
    let arabic: String = doc
        .text
        .chars()
        .map(|c| match c {
            'ی' => 'ي',
            'ک' => 'ك',
            c => c,
        })
        .collect();
    let arabic = Document::new("arabic", arabic);
    let ids = |d: &Document| -> Vec<(usize, usize, String)> {
        let extraction = pipeline.extract(d);
        extraction
            .mentions
            .iter()
            .map(|m| (m.start, m.end, pipeline.entity(&extraction, m).id.clone()))
            .collect()
    };
    assert_eq!(ids(&doc), ids(&arabic));
}

/// Gold keys of the seed and the node ids the gazetteer gives them.
const SEED_IDS: &[(&str, &str)] = &[
    ("xi-jinping", "person:xi-jinping"),
    ("miguel-diaz-canel", "person:miguel-diaz-canel"),
    ("CN", "country:CN"),
    ("CU", "country:CU"),
    ("communist-party-of-china", "party:communist-party-of-china"),
    ("communist-party-of-cuba", "party:communist-party-of-cuba"),
    ("one-china-principle", "principle:one-china-principle"),
    (
        "belt-and-road-initiative",
        "initiative:belt-and-road-initiative",
    ),
    (
        "global-development-initiative",
        "initiative:global-development-initiative",
    ),
    (
        "global-security-initiative",
        "initiative:global-security-initiative",
    ),
];

fn relation_key(
    subject: &str,
    predicate: &str,
    object: &str,
    symmetric: bool,
) -> (String, String, String) {
    let (s, o) = if symmetric && object < subject {
        (object, subject)
    } else {
        (subject, object)
    };
    (s.to_string(), predicate.to_string(), o.to_string())
}

#[test]
fn seed_relations_match_the_gold() {
    let pipeline = Pipeline::embedded().unwrap();
    let (doc, gold) = seed();
    let g = pipeline.gazetteer();
    let found: Vec<(String, String, String)> = pipeline
        .extract(&doc)
        .relations
        .iter()
        .filter(|r| !r.negated && r.modality.as_str() == "asserted")
        .map(|r| {
            relation_key(
                &g.entity(r.subject).id,
                &r.predicate,
                &g.entity(r.object).id,
                r.symmetric,
            )
        })
        .collect();
    let id = |key: &str| {
        SEED_IDS
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, id)| *id)
            .unwrap_or_else(|| panic!("no id for {key}"))
    };
    let mut missing_must = Vec::new();
    let mut should_found = 0;
    let mut gold_keys = Vec::new();
    for r in gold["relations"].as_array().unwrap() {
        let symmetric = r["symmetric"].as_bool().unwrap_or(false);
        let key = relation_key(
            id(r["subject"].as_str().unwrap()),
            r["predicate"].as_str().unwrap(),
            id(r["object"].as_str().unwrap()),
            symmetric,
        );
        let hit = found.contains(&key);
        match r["level"].as_str().unwrap() {
            "must" if !hit => missing_must.push(key.clone()),
            "should" if hit => should_found += 1,
            _ => {}
        }
        gold_keys.push(key);
    }
    assert!(
        missing_must.is_empty(),
        "missing must relations: {missing_must:#?}"
    );
    assert!(
        should_found >= 4,
        "only {should_found} of 5 should relations"
    );
    let spurious: Vec<_> = found.iter().filter(|k| !gold_keys.contains(k)).collect();
    assert!(
        spurious.is_empty(),
        "relations the gold does not list: {spurious:#?}"
    );
}
