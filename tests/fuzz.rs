//! The fuzz targets' invariants in `cargo test`: every crash input found by `cargo fuzz` (kept
//! under `tests/fuzz_regressions/<target>/`) and every seed of the fuzz corpus
//! (`fuzz/corpus/<target>/`) replayed through the target's checks, and property tests that
//! feed the same checks generated input. The checks themselves are `fuzz/checks.rs`.

#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::Path;

use proptest::prelude::*;

/// A target's checks over one input.
type Check = fn(&[u8]);

/// Every target and its check.
const TARGETS: &[(&str, Check)] = &[
    ("normalize", checks::check_normalize),
    ("extract", checks::check_extract),
    ("jsonl_reader", checks::check_jsonl),
    ("gazetteer_tsv", checks::check_gazetteer_tsv),
    ("spacy_patterns", checks::check_spacy),
    ("rules", checks::check_rules),
    ("export_roundtrip", checks::check_export),
    ("discovery_patterns", checks::check_discovery),
    ("entity_table", checks::check_entity_table),
];

/// Runs `check` on every file of `dir` (which may not exist: no inputs yet), naming the file
/// that fails.
fn replay(dir: &Path, check: Check) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut paths: Vec<_> = entries.map(|e| e.expect("dir entry").path()).collect();
    paths.sort();
    for path in &paths {
        let data = std::fs::read(path).expect("readable input");
        if std::panic::catch_unwind(|| check(&data)).is_err() {
            panic!("{} fails its target's checks", path.display());
        }
    }
    paths.len()
}

#[test]
fn crash_inputs_stay_fixed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    for (target, check) in TARGETS {
        replay(&root.join(target), *check);
    }
}

#[test]
fn fuzz_corpus_seeds_pass() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    for (target, check) in TARGETS {
        let n = replay(&root.join(target), *check);
        assert!(n > 0, "fuzz/corpus/{target} has no seeds");
    }
}

/// Strings with the characters that matter to the checks: separators, quotes, escapes,
/// controls, Persian letters and forms.
fn nasty() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\t".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just(",".to_string()),
        Just("\"".to_string()),
        Just(";".to_string()),
        Just("\\".to_string()),
        Just("|".to_string()),
        Just("<&>'".to_string()),
        Just("\u{1}".to_string()),
        Just("\u{FFFE}".to_string()),
        Just("\u{1F}".to_string()),
        Just(" ".to_string()),
        Just("#".to_string()),
        Just("چین".to_string()),
        Just("كوبا".to_string()),
        Just("\u{200C}".to_string()),
        Just("country:CN".to_string()),
        Just("COUNTRY".to_string()),
        "[a-z]{1,6}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

fn json_string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// JSONL lines: documents with generated fields, broken JSON, blank lines, BOMs.
fn jsonl() -> impl Strategy<Value = Vec<u8>> {
    let line = prop_oneof![
        (nasty(), nasty()).prop_map(|(id, text)| format!(
            "{{\"id\": {}, \"text\": {}}}",
            json_string(&id),
            json_string(&text)
        )),
        (nasty(), nasty(), nasty()).prop_map(|(text, published, lang)| format!(
            "{{\"text\": {}, \"published\": {}, \"lang\": {}}}",
            json_string(&text),
            json_string(&published),
            json_string(&lang)
        )),
        Just("{\"id\": 3, \"text\": \"x\"}".to_string()),
        Just("{\"text\": null}".to_string()),
        Just("[1, 2]".to_string()),
        Just("\u{FEFF}{\"text\": \"bom\"}".to_string()),
        Just(String::new()),
        nasty(),
    ];
    let end = prop_oneof![Just("\n"), Just("\r\n")];
    (
        any::<u8>(),
        prop::collection::vec((line, end), 0..8),
        any::<bool>(),
    )
        .prop_map(|(limit, lines, last_newline)| {
            let mut out = vec![limit];
            let n = lines.len();
            for (i, (line, end)) in lines.into_iter().enumerate() {
                out.extend_from_slice(line.as_bytes());
                if i + 1 < n || last_newline {
                    out.extend_from_slice(end.as_bytes());
                }
            }
            out
        })
}

/// An entity TSV: the header (sometimes a wrong one), rows of generated cells.
fn tsv() -> impl Strategy<Value = String> {
    let header = prop_oneof![
        Just("id\ttype\tname_en\tname_fa\taliases\tshort\tcountry\tpart_of\toffices\twikidata"),
        Just("id\ttype\tname_en\tname_fa"),
        Just("id\tname_en\ttype"),
        Just("# comment\nid\ttype\tname_en\tname_fa\taliases"),
    ];
    let cell = prop_oneof![
        Just("country:CN".to_string()),
        Just("person:x".to_string()),
        Just("COUNTRY".to_string()),
        Just("PERSON".to_string()),
        Just("CN".to_string()),
        Just("a | b".to_string()),
        Just("President@country:CN@2013-".to_string()),
        Just("Q148".to_string()),
        Just(String::new()),
        nasty(),
    ];
    let row = prop::collection::vec(cell, 0..11).prop_map(|cells| cells.join("\t"));
    (header, prop::collection::vec(row, 0..6))
        .prop_map(|(header, rows)| format!("{header}\n{}", rows.join("\n")))
}

/// spaCy pattern lines: labels, ids, string and token patterns, generated words.
fn spacy() -> impl Strategy<Value = String> {
    let label = prop_oneof![
        Just("ORG"),
        Just("GPE"),
        Just("PERSON"),
        Just("LOC"),
        Just("NORP"),
        Just("EVENT"),
        Just("LAW"),
        Just("COUNTRY"),
        Just("X"),
    ];
    let token = prop_oneof![
        nasty().prop_map(|w| format!("{{\"LOWER\": {}}}", json_string(&w))),
        nasty().prop_map(|w| format!("{{\"ORTH\": {}, \"OP\": \"?\"}}", json_string(&w))),
        (nasty(), nasty()).prop_map(|(a, b)| format!(
            "{{\"TEXT\": {{\"IN\": [{}, {}]}}, \"OP\": \"{{1,3}}\"}}",
            json_string(&a),
            json_string(&b)
        )),
        Just("{\"IS_PUNCT\": true, \"OP\": \"?\"}".to_string()),
        Just("{\"LEMMA\": \"x\"}".to_string()),
        Just("{}".to_string()),
    ];
    let pattern = prop_oneof![
        nasty().prop_map(|p| json_string(&p)),
        prop::collection::vec(token, 0..5).prop_map(|t| format!("[{}]", t.join(", "))),
    ];
    let id = prop_oneof![
        Just(String::new()),
        Just(", \"id\": \"country:CN\"".to_string()),
        nasty().prop_map(|i| format!(", \"id\": {}", json_string(&i))),
    ];
    let line = prop_oneof![
        (label, pattern, id)
            .prop_map(|(l, p, i)| format!("{{\"label\": \"{l}\", \"pattern\": {p}{i}}}")),
        nasty(),
    ];
    prop::collection::vec(line, 0..6).prop_map(|lines| lines.join("\n"))
}

/// A real rule file with a range of lines replaced by generated text.
fn rules() -> impl Strategy<Value = Vec<u8>> {
    let files = [
        (0u8, include_str!("../gazetteers/rules/predicates.toml")),
        (1u8, include_str!("../gazetteers/rules/en.toml")),
        (1u8, include_str!("../gazetteers/rules/fa.toml")),
    ];
    (0..files.len(), any::<usize>(), 0..4usize, nasty()).prop_map(
        move |(which, at, len, replacement)| {
            let (selector, text) = files[which];
            let mut lines: Vec<&str> = text.lines().collect();
            let at = at % (lines.len() + 1);
            let end = (at + len).min(lines.len());
            lines.splice(at..end, [replacement.as_str()]);
            let mut out = vec![selector];
            out.extend_from_slice(lines.join("\n").as_bytes());
            out
        },
    )
}

/// A discovery file (the pattern file or the class table, as the first byte says) with a
/// range of lines replaced by generated text or by a generated pattern.
fn discovery() -> impl Strategy<Value = Vec<u8>> {
    let files = [
        (0u8, include_str!("../gazetteers/patterns/patterns.toml")),
        (1u8, include_str!("../gazetteers/patterns/classes.tsv")),
    ];
    let regex = prop_oneof![
        Just("(?P<name>w*)".to_string()),
        Just("(?P<name>)".to_string()),
        Just("H(?P<name>F|w)?".to_string()),
        Just("(?P<name>.+)".to_string()),
        Just("(?P<name>[HTSGJFPCXKQqp.wcvLld]{1,4})".to_string()),
        Just("(".to_string()),
        nasty(),
    ];
    let replacement = prop_oneof![
        nasty(),
        (regex, nasty()).prop_map(|(regex, id)| format!(
            "[[pattern]]\nid = {}\ntype = \"PERSON\"\nconfidence = 0.5\nregex = {}",
            json_string(&id),
            json_string(&regex)
        )),
        (
            prop_oneof![Just("H"), Just("T"), Just("S"), Just("Z"), Just("")],
            nasty()
        )
            .prop_map(|(class, word)| format!("{class}\t{word}")),
    ];
    (0..files.len(), any::<usize>(), 0..4usize, replacement).prop_map(
        move |(which, at, len, replacement)| {
            let (selector, text) = files[which];
            let mut lines: Vec<&str> = text.lines().collect();
            let at = at % (lines.len() + 1);
            let end = (at + len).min(lines.len());
            lines.splice(at..end, [replacement.as_str()]);
            let mut out = vec![selector];
            out.extend_from_slice(lines.join("\n").as_bytes());
            out
        },
    )
}

/// Graph fields separated by U+001F, as the export target reads them.
fn graph_fields() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(nasty(), 1..40).prop_map(|fields| fields.join("\u{1F}").into_bytes())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn normalization_reuses_and_is_idempotent(text in "\\PC{0,40}") {
        checks::check_normalize(text.as_bytes());
    }

    #[test]
    fn jsonl_reader_round_trips(data in jsonl()) {
        checks::check_jsonl(&data);
    }

    #[test]
    fn entity_table_edits_never_panic(data in prop::collection::vec(any::<u8>(), 0..64)) {
        checks::check_entity_table(&data);
    }

    #[test]
    fn entity_tsv_loader_is_total(text in tsv()) {
        checks::check_gazetteer_tsv(text.as_bytes());
    }

    #[test]
    fn spacy_pattern_loader_is_total(text in spacy()) {
        checks::check_spacy(text.as_bytes());
    }

    #[test]
    fn rule_loader_is_total(data in rules()) {
        checks::check_rules(&data);
    }

    #[test]
    fn discovery_pattern_loader_is_total(data in discovery()) {
        checks::check_discovery(&data);
    }

    #[test]
    fn graphml_and_csv_read_back_equal(data in graph_fields()) {
        checks::check_export(&data);
    }
}
