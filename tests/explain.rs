//! `explain` pinned on real sentences of the seed corpus (`tests/corpus/seed`): a kept match,
//! a dropped match, a rule that fired and rules whose trigger matched but did not fire, in
//! plain text and in JSON; and the command line.

use std::process::Command;

use newsgraph::{explain, Document, Pipeline};
use serde_json::{json, Value};

const SEED: &str = "tests/corpus/seed/cri-fa-2022-11-25-xi-diaz-canel.txt";

/// Seed, paragraph 2: Cuba and China, a region name, a demonym «غربی» with no state noun.
const RELATIONS: &str = "کوبا اولین کشور آمریکای لاتین و کارائیب در نیمکره غربی است که با جمهوری خلق چین روابط دیپلماتیک برقرار کرده است.";

/// Seed, paragraph 3: an invitation, a visit of China (not a meeting: China is no person).
const VISIT: &str = "میگل دیاز-کانل برمودز صمیمانه از دعوت شی جین پینگ از وی به عنوان نخستین رهبر یک کشور آمریکای لاتین و کارائیب برای دیدار از چین پس از بیستمین کنگره ملی حزب کمونیست چین تشکر کرد.";

fn explained(text: &str) -> (String, Value) {
    let pipeline = Pipeline::embedded().expect("embedded gazetteers");
    let e = explain::explain(&pipeline, &Document::new("text", text));
    let json: Value = serde_json::from_str(&e.to_json()).expect("valid JSON");
    (e.to_string(), json)
}

fn find<'a>(json: &'a Value, list: &str, pred: impl Fn(&Value) -> bool) -> &'a Value {
    json[list]
        .as_array()
        .and_then(|a| a.iter().find(|v| pred(v)))
        .unwrap_or_else(|| panic!("nothing fits in {list}: {json:#}"))
}

fn assert_has(plain: &str, block: &str) {
    assert!(plain.contains(block), "missing\n{block}\nin\n{plain}");
}

#[test]
fn the_sentences_are_the_seeds() {
    let seed = std::fs::read_to_string(SEED).expect("seed document");
    assert!(seed.contains(RELATIONS) && seed.contains(VISIT));
}

#[test]
fn kept_match_and_suffix_drop() {
    let (plain, json) = explained(RELATIONS);
    assert_has(
        &plain,
        "normalized text (as the matcher sees it):\n  کوبا اولین کشور امریکای لاتین و کاراییب در نیمکره غربی است که با جمهوری خلق چین روابط دیپلماتیک برقرار کرده است.\n",
    );
    assert_has(
        &plain,
        "  «کوبا» 0..4 country:CU (COUNTRY): kept\n    select: a whole word: kept\n",
    );
    assert_has(
        &plain,
        "  «غرب» 50..53 region:the-west (REGION): dropped\n    select: dropped: a demonym (suffix «ی») is the state only after a state noun (state_nouns.txt)\n",
    );
    assert_has(
        &plain,
        "  «آمریکا» 16..22 country:US (COUNTRY): dropped\n    select: inside the longer match «آمریکای لاتین و کارائیب» 16..39: kept as nested\n    resolve: dropped: nesting: part of a REGION name, which is one name\n",
    );
    let cuba = find(&json, "candidates", |c| c["text"] == "کوبا");
    assert_eq!(
        *cuba,
        json!({
            "start": 0, "end": 4, "byte_start": 0, "byte_end": 8, "text": "کوبا",
            "entity": {"id": "country:CU", "type": "COUNTRY"},
            "status": "kept",
            "decisions": [{"stage": "select", "decision": "kept", "text": "a whole word: kept"}],
        })
    );
    let west = find(&json, "candidates", |c| c["text"] == "غرب");
    assert_eq!(
        *west,
        json!({
            "start": 50, "end": 53, "byte_start": 91, "byte_end": 97, "text": "غرب",
            "entity": {"id": "region:the-west", "type": "REGION"},
            "status": "dropped",
            "decisions": [{
                "stage": "select", "decision": "demonym",
                "suffix": {"start": 53, "end": 54, "byte_start": 97, "byte_end": 99, "text": "ی"},
                "text": "dropped: a demonym (suffix «ی») is the state only after a state noun (state_nouns.txt)",
            }],
        })
    );
    // The final mentions are those of `extract`.
    let mentions: Vec<&str> = json["mentions"]
        .as_array()
        .map(|a| a.iter().filter_map(|m| m["text"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        mentions,
        [
            "کوبا",
            "آمریکای لاتین و کارائیب",
            "نیمکره غربی",
            "جمهوری خلق چین"
        ]
    );
}

#[test]
fn fired_rule() {
    let (plain, json) = explained(RELATIONS);
    assert_has(
        &plain,
        "rules fired (1):\n  fa.diplomatic_relations at «روابط دیپلماتیک برقرار کرده است» 80..111 (sentence 0): country:CU diplomatic_relations country:CN (subject «کوبا» 0..4, object «جمهوری خلق چین» 65..79)\n",
    );
    let fired = find(&json, "rules_fired", |r| {
        r["rule"] == "fa.diplomatic_relations"
    });
    assert_eq!(
        *fired,
        json!({
            "rule": "fa.diplomatic_relations", "sentence": 0, "status": "fired",
            "trigger": {"start": 80, "end": 111, "byte_start": 144, "byte_end": 202, "text": "روابط دیپلماتیک برقرار کرده است"},
            "subject": {"id": "country:CU", "type": "COUNTRY"},
            "subject_span": {"start": 0, "end": 4, "byte_start": 0, "byte_end": 8, "text": "کوبا"},
            "predicate": "diplomatic_relations",
            "object": {"id": "country:CN", "type": "COUNTRY"},
            "object_span": {"start": 65, "end": 79, "byte_start": 117, "byte_end": 143, "text": "جمهوری خلق چین"},
            "role": null, "negated": false, "modality": "asserted", "fact": true,
            "text": "country:CU diplomatic_relations country:CN (subject «کوبا» 0..4, object «جمهوری خلق چین» 65..79)",
        })
    );
}

#[test]
fn trigger_matched_but_rule_did_not_fire() {
    let (plain, json) = explained(VISIT);
    // «دیدار از چین» is a visit: the meeting rules find a country where they want a person.
    assert_has(
        &plain,
        "  fa.visited.nominal at «دیدار» 114..119 (sentence 0): person:miguel-diaz-canel visited country:CN (subject «میگل دیاز-کانل برمودز» 0..21, object «چین» 123..126)\n",
    );
    assert_has(
        &plain,
        "  fa.met_with.nominal at «دیدار» 114..119 (sentence 0): object of the wrong type: «چین» 123..126 is COUNTRY, the rule wants PERSON\n",
    );
    assert_has(
        &plain,
        "  fa.met_with.genitive at «دیدار» 114..119 (sentence 0): no object: «چین» 123..126 is not in the phrase of its marker (با)\n",
    );
    assert_has(
        &plain,
        "  fa.title.supreme-leader at «رهبر» 72..76 (sentence 0): a title with no body (country, party, organization...) it belongs to nearby\n",
    );
    let china =
        json!({"start": 123, "end": 126, "byte_start": 221, "byte_end": 227, "text": "چین"});
    let met = find(&json, "rules_not_fired", |r| {
        r["rule"] == "fa.met_with.nominal"
    });
    assert_eq!(
        *met,
        json!({
            "rule": "fa.met_with.nominal", "sentence": 0, "status": "not_fired",
            "trigger": {"start": 114, "end": 119, "byte_start": 205, "byte_end": 215, "text": "دیدار"},
            "reasons": [{
                "reason": "wrong_type", "slot": "object", "mention": china,
                "found": "COUNTRY", "wanted": ["PERSON"],
            }],
            "text": "object of the wrong type: «چین» 123..126 is COUNTRY, the rule wants PERSON",
        })
    );
    // The pronoun «وی» resolved to Díaz-Canel: a coref mention, the invitation's object.
    let invited = find(&json, "rules_fired", |r| r["rule"] == "fa.invited.nominal");
    assert_eq!(invited["object"]["id"], "person:miguel-diaz-canel");
    assert_eq!(invited["object_span"]["text"], "وی");
}

fn newsgraph(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run newsgraph")
}

#[test]
fn command_line() {
    let out = newsgraph(&["explain", RELATIONS]);
    assert!(out.status.success());
    let plain = String::from_utf8_lossy(&out.stdout);
    assert!(
        plain.contains("«کوبا» 0..4 country:CU (COUNTRY): kept"),
        "{plain}"
    );

    let out = newsgraph(&["explain", "--json", "--file", SEED]);
    assert!(out.status.success());
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["doc"], "cri-fa-2022-11-25-xi-diaz-canel");
    assert!(json["rules_fired"]
        .as_array()
        .is_some_and(|r| !r.is_empty()));

    // A folder holds several documents: one is chosen by id.
    let out = newsgraph(&["explain", "--file", "tests/corpus/dev"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--doc ID"));
    let out = newsgraph(&[
        "explain",
        "--file",
        "tests/corpus/dev",
        "--doc",
        "fars1500_0002",
    ]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("document fars1500_0002\n"));
    let out = newsgraph(&["explain", "--file", "tests/corpus/dev", "--doc", "nothing"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn discovery_patterns_that_fired() {
    // A dev article: «جان نگروپونته» is in no gazetteer; two patterns find it.
    let out = newsgraph(&["explain", "--file", "tests/corpus/dev/fars1500_0161.txt"]);
    assert!(out.status.success());
    assert_has(
        &String::from_utf8_lossy(&out.stdout),
        "  «جان نگروپونته» 3832..3845 person:discovered.jan-ngrvpvnth (PERSON): kept\n    discover: discovery pattern fa.name-title fired\n    discover: dropped: overlap: pattern fa.first-name found this name, or one crossing it, first\n    discover: discovery pattern fa.first-name fired\n",
    );
}

#[test]
fn rule_phrases_dropped_at_a_word_boundary() {
    // «وی» holds the conjunction «و» at its start, «برای» the marker «بر»: neither is a
    // phrase there, and explain says why.
    let (plain, json) = explained(VISIT);
    assert_has(
        &plain,
        "rule phrases dropped (3):\n  «بر» 15..17 (argument marker): dropped: attached suffix «مودز» does not keep a mention (suffixes.tsv)\n  «و» 53..54 (conjunction, list joiner, title connector): dropped: attached suffix «ی» does not keep a mention (suffixes.tsv)\n",
    );
    let and = find(&json, "phrases_dropped", |p| p["text"] == "و");
    assert_eq!(
        *and,
        json!({
            "start": 53, "end": 54, "byte_start": 95, "byte_end": 97, "text": "و",
            "meanings": ["conjunction", "list joiner", "title connector"],
            "decisions": [{
                "stage": "select", "decision": "suffix",
                "suffix": {"start": 54, "end": 55, "byte_start": 97, "byte_end": 99, "text": "ی"},
                "text": "dropped: attached suffix «ی» does not keep a mention (suffixes.tsv)",
            }],
        })
    );
}
