//! The import on crafted dump lines: references, bad lines, compression, atomic output,
//! and the output read back through the gazetteer loader.

use std::io::Write;

use serde_json::{json, Value};

use super::*;
use crate::gazetteer::GazetteerBuilder;
use crate::{Document, Pipeline};

/// An item line (without the trailing comma).
fn item(id: &str, en: Option<&str>, fa: Option<&str>, claims: Value) -> String {
    let mut labels = serde_json::Map::new();
    for (lang, label) in [("en", en), ("fa", fa), ("de", Some("Etwas"))] {
        if let Some(label) = label {
            labels.insert(lang.into(), json!({"language": lang, "value": label}));
        }
    }
    json!({"type": "item", "id": id, "labels": labels, "claims": claims, "sitelinks": {}})
        .to_string()
}

/// A statement whose value is the item `qid`, with optional start and end times.
fn statement(qid: u64, start: Option<&str>, end: Option<&str>) -> Value {
    let time = |t: &str| json!([{"snaktype": "value", "property": "P580", "datavalue": {"value": {"time": t, "timezone": 0, "before": 0, "after": 0, "precision": 11, "calendarmodel": "http://www.wikidata.org/entity/Q1985727"}, "type": "time"}, "datatype": "time"}]);
    let mut qualifiers = serde_json::Map::new();
    if let Some(t) = start {
        qualifiers.insert("P580".into(), time(t));
    }
    if let Some(t) = end {
        qualifiers.insert("P582".into(), time(t));
    }
    json!({
        "mainsnak": {"snaktype": "value", "property": "P31", "datavalue": {"value": {"entity-type": "item", "numeric-id": qid, "id": format!("Q{qid}")}, "type": "wikibase-entityid"}, "datatype": "wikibase-item"},
        "type": "statement",
        "rank": "normal",
        "qualifiers": qualifiers,
    })
}

fn is(qid: u64) -> Value {
    json!([statement(qid, None, None)])
}

fn code(iso: &str) -> Value {
    json!([{"mainsnak": {"snaktype": "value", "property": "P297", "datavalue": {"value": iso, "type": "string"}, "datatype": "external-id"}, "type": "statement", "rank": "normal"}])
}

/// A dump: `[`, the lines with commas, `]`.
fn dump(lines: &[String]) -> String {
    let mut text = String::from("[\n");
    for (i, line) in lines.iter().enumerate() {
        text.push_str(line);
        if i + 1 < lines.len() {
            text.push(',');
        }
        text.push('\n');
    }
    text.push_str("]\n");
    text
}

/// George Washington and what he refers to, with a party and an office later in the dump.
fn washington_dump() -> Vec<String> {
    vec![
        item(
            "Q30",
            Some("United States"),
            Some("ایالات متحده آمریکا"),
            json!({"P31": is(6256), "P297": code("US")}),
        ),
        item(
            "Q23",
            Some("George Washington"),
            Some("جورج واشنگتن"),
            json!({
                "P31": is(5),
                "P27": [statement(30, None, None)],
                "P39": [
                    statement(11696, Some("+1789-04-30T00:00:00Z"), Some("+1797-03-04T00:00:00Z")),
                    statement(11696, Some("+1798-07-13T00:00:00Z"), Some("+1788-12-23T00:00:00Z")),
                ],
                "P102": [statement(29468, None, None)],
            }),
        ),
        item(
            "Q11696",
            Some("President of the United States"),
            Some("رئیس‌جمهور ایالات متحده آمریکا"),
            json!({"P31": is(4164871), "P1001": is(30)}),
        ),
        item(
            "Q29468",
            Some("Federalist Party"),
            Some("حزب فدرالیست"),
            json!({"P31": is(7278), "P17": is(30)}),
        ),
    ]
}

/// Files with only the bundled mapping: no base entities, so the dump's own countries count.
fn mapping_only() -> DataFiles {
    let mut files = DataFiles::default();
    let types = DataFiles::embedded()
        .get(TYPES_FILE)
        .expect("bundled mapping")
        .to_string();
    files.insert(TYPES_FILE, types);
    files
}

struct Run {
    summary: ImportSummary,
    tsv: String,
    bad: Vec<String>,
}

fn run_bytes(
    files: &DataFiles,
    name: &str,
    bytes: &[u8],
    options: &ImportOptions,
) -> Result<Run, ImportError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let out = dir.path().join("out").join("wikidata.tsv");
    let mut bad = Vec::new();
    let mut steps = Vec::new();
    let result = import_wikidata(
        files,
        &DumpSource::File(path),
        &out,
        options,
        &mut |e| match e {
            ImportEvent::BadLine { line, reason } => bad.push(format!("{line}: {reason}")),
            ImportEvent::Reading { total_bytes } => {
                assert_eq!(total_bytes, Some(bytes.len() as u64));
                steps.push("reading".to_string());
            }
            ImportEvent::Resolving { rows } => steps.push(format!("resolving {rows}")),
            ImportEvent::Progress { .. } => {}
        },
    );
    // Whatever happened, no temporary file is left behind.
    if let Ok(entries) = std::fs::read_dir(dir.path().join("out")) {
        for entry in entries.flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            assert!(file == "wikidata.tsv", "left behind: {file}");
        }
    }
    let summary = result?;
    assert_eq!(
        steps,
        [
            "reading".to_string(),
            format!("resolving {}", summary.rows())
        ]
    );
    let tsv = std::fs::read_to_string(&out).unwrap();
    Ok(Run { summary, tsv, bad })
}

fn run(files: &DataFiles, text: &str, options: &ImportOptions) -> Run {
    run_bytes(files, "dump.json", text.as_bytes(), options).unwrap()
}

/// The cells of the row with `id`, by column name.
fn row<'t>(tsv: &'t str, id: &str) -> std::collections::HashMap<&'t str, &'t str> {
    let mut lines = tsv.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let line = lines
        .find(|l| l.split('\t').next() == Some(id))
        .unwrap_or_else(|| panic!("no row {id} in\n{tsv}"));
    let cells: Vec<&str> = line.split('\t').collect();
    assert_eq!(cells.len(), header.len(), "{line}");
    header.into_iter().zip(cells).collect()
}

fn ids(tsv: &str) -> Vec<&str> {
    tsv.lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split('\t').next().unwrap())
        .collect()
}

#[test]
fn references_resolve_to_items_anywhere_in_the_dump() {
    let r = run(
        &mapping_only(),
        &dump(&washington_dump()),
        &ImportOptions::default(),
    );
    assert_eq!(
        ids(&r.tsv),
        [
            "country:US",
            "person:george-washington-q23",
            "party:federalist-party-q29468"
        ]
    );
    let gw = row(&r.tsv, "person:george-washington-q23");
    assert_eq!(gw["type"], "PERSON");
    assert_eq!(gw["name_en"], "George Washington");
    assert_eq!(gw["name_fa"], "جورج واشنگتن");
    assert_eq!(gw["country"], "US");
    assert_eq!(gw["wikidata"], "Q23");
    assert_eq!(
        gw["offices"],
        "President@country:US[1789..1797] | Member@party:federalist-party-q29468"
    );
    // The second term's years run backwards in the dump: kept in the note, not as an office.
    assert_eq!(
        gw["note"],
        "Wikidata statements not written: P39=Q11696[1798..1788]"
    );
    let party = row(&r.tsv, "party:federalist-party-q29468");
    assert_eq!((party["type"], party["country"]), ("PARTY", "US"));
    assert_eq!(r.summary.positions, 1);
    assert_eq!(r.summary.offices_known, 1);
    assert!(r.bad.is_empty(), "{:?}", r.bad);

    // The file loads with the real loader on its own: every reference is to one of its rows.
    let mut builder = GazetteerBuilder::new();
    builder.add_entities_tsv("entities/wikidata.tsv", &r.tsv);
    let g = builder.build().expect("the output loads");
    let gw = g.get("person:george-washington-q23").unwrap();
    assert_eq!(gw.offices.len(), 2);
    assert_eq!(gw.offices[0].from, Some(1789));
    assert_eq!(gw.wikidata.as_deref(), Some("Q23"));
}

#[test]
fn references_resolve_through_the_gazetteer() {
    // Without the country in the dump or the gazetteer, P27 stays a QID in the note.
    let mut lines = washington_dump();
    lines.remove(0);
    let r = run(&mapping_only(), &dump(&lines), &ImportOptions::default());
    let gw = row(&r.tsv, "person:george-washington-q23");
    assert_eq!(
        (gw["country"], gw["offices"]),
        ("", "Member@party:federalist-party-q29468")
    );
    assert_eq!(
        gw["note"],
        "Wikidata statements not written: P27=Q30 P39=Q11696[1789..1797] P39=Q11696[1798..1788]"
    );

    // With the bundled gazetteer, Q30 is its country:US: not written again, and referred to.
    let r = run(
        &DataFiles::embedded(),
        &dump(&washington_dump()),
        &ImportOptions::default(),
    );
    assert_eq!(
        ids(&r.tsv),
        [
            "person:george-washington-q23",
            "party:federalist-party-q29468"
        ]
    );
    assert_eq!(r.summary.known, 1);
    let gw = row(&r.tsv, "person:george-washington-q23");
    assert_eq!(gw["country"], "US");
    assert_eq!(
        gw["offices"],
        "President@country:US[1789..1797] | Member@party:federalist-party-q29468"
    );
}

#[test]
fn skipped_items_and_bad_lines_are_counted() {
    let lines = [
        // 2: no labels at all (an empty object written as an empty array)
        r#"{"type":"item","id":"Q2","labels":[],"claims":{"P31":[{"mainsnak":{"snaktype":"value","datavalue":{"value":{"entity-type":"item","numeric-id":5},"type":"wikibase-entityid"}},"rank":"normal"}]}}"#.to_string(),
        // 3: a label of no letter
        item("Q3", Some("🇧🇪"), None, json!({"P31": is(5)})),
        // 4: a film
        item("Q4", Some("Casablanca"), Some("کازابلانکا"), json!({"P31": is(11424)})),
        // 5: no P31
        item("Q5", Some("Something"), None, json!({})),
        // 6: a property
        r#"{"type":"property","datatype":"wikibase-item","id":"P31","labels":{"en":{"language":"en","value":"instance of"}},"claims":{}}"#.to_string(),
        // 7: malformed JSON
        r#"{"type":"item" "id":"Q7"}"#.to_string(),
        // 8: a country without an ISO code (a former state)
        item("Q8", Some("Kingdom of Great Britain"), None, json!({"P31": is(3624078)})),
        // 9: the first country with code CU, 10: a second one
        item("Q241", Some("Cuba"), Some("کوبا"), json!({"P31": is(6256), "P297": code("CU")})),
        item("Q9", Some("Republic of Cuba"), None, json!({"P31": is(3624078), "P297": code("cu")})),
        // 11: a deprecated P31 does not count
        item("Q11", Some("Not A Person"), None, json!({"P31": [{"mainsnak": statement(5, None, None)["mainsnak"], "rank": "deprecated"}]})),
        // 12: an id that is no QID
        item("X12", Some("Nobody"), None, json!({"P31": is(5)})),
        // 13: a statement of the wrong shape
        r#"{"type":"item","id":"Q13","labels":{"en":{"language":"en","value":"Odd"}},"claims":{"P31":[{"mainsnak":{"datavalue":{"value":"Q5"}}}]}}"#.to_string(),
        // 14: a person with an English label only
        item("Q14", Some("Ann Example"), None, json!({"P31": is(5)})),
    ];
    let mut text = dump(&lines);
    // 16: after the `]` line, a truncated entity (a dump cut short); 17: blank.
    text.push_str("{\"type\":\"item\",\"id\":\"Q16\",\"labels\":{\"en\":{\"lang\n\n");
    let r = run(&mapping_only(), &text, &ImportOptions::default());
    assert_eq!(ids(&r.tsv), ["country:CU", "person:ann-example-q14"]);
    let s = &r.summary;
    assert_eq!(s.lines, 17);
    assert_eq!(s.items, 10);
    assert_eq!(s.other_entities, 1);
    assert_eq!(s.no_label, 2);
    assert_eq!(s.unmapped, 3);
    assert_eq!(s.no_country_code, 1);
    assert_eq!(s.duplicate_country, 1);
    assert_eq!(s.bad_lines, 4);
    assert_eq!(
        s.kept,
        BTreeMap::from([(EntityType::Person, 1), (EntityType::Country, 1)])
    );
    assert_eq!(r.bad.len(), 4);
    assert!(
        r.bad[0].starts_with("7: invalid entity JSON at column 16: expected `,` or `}`"),
        "{:?}",
        r.bad
    );
    assert_eq!(r.bad[1], "12: item id \"X12\" is not a QID");
    assert!(
        r.bad[2].starts_with("13: invalid entity JSON at column"),
        "{:?}",
        r.bad
    );
    assert!(
        r.bad[3].starts_with("16: truncated entity: EOF while parsing"),
        "{:?}",
        r.bad
    );

    // With --require-fa the English-only person goes too.
    let options = ImportOptions {
        require_fa: true,
        ..ImportOptions::default()
    };
    let r = run(&mapping_only(), &text, &options);
    assert_eq!(ids(&r.tsv), ["country:CU"]);
    assert_eq!(r.summary.no_label, 5); // and the two English-only countries
}

#[test]
fn long_lines_and_crlf() {
    let long = item("Q1", Some(&"x".repeat(500)), None, json!({"P31": is(5)}));
    let text = format!(
        "[\r\n{long},\r\n{},\r\n]\r\n",
        item("Q2", Some("Ann Example"), None, json!({"P31": is(5)}))
    );
    let options = ImportOptions {
        max_line_bytes: 400,
        ..ImportOptions::default()
    };
    let r = run(&mapping_only(), &text, &options);
    assert_eq!(ids(&r.tsv), ["person:ann-example-q2"]);
    assert_eq!(r.bad.len(), 1);
    assert!(r.bad[0].starts_with("2: line of "), "{:?}", r.bad);
    assert!(
        r.bad[0].ends_with("longer than the limit of 400 bytes"),
        "{:?}",
        r.bad
    );
}

#[test]
fn gzip_and_bzip2_give_the_same_rows() {
    let text = dump(&washington_dump());
    let plain = run(&mapping_only(), &text, &ImportOptions::default());

    // Two gzip members, as `cat a.gz b.gz` makes.
    let (first, second) = text.split_at(text.len() / 2);
    let mut gz = Vec::new();
    for part in [first, second] {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(part.as_bytes()).unwrap();
        gz.extend(encoder.finish().unwrap());
    }
    let r = run_bytes(
        &mapping_only(),
        "latest-all.json.gz",
        &gz,
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(r.tsv, plain.tsv);
    assert_eq!(r.summary.compression, "gzip");
    assert_eq!(r.summary.json_bytes, text.len() as u64);

    // Two bzip2 streams, as parallel compressors (lbzip2, pbzip2) write.
    let mut bz = Vec::new();
    for part in [first, second] {
        let mut encoder = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
        encoder.write_all(part.as_bytes()).unwrap();
        bz.extend(encoder.finish().unwrap());
    }
    let r = run_bytes(
        &mapping_only(),
        "latest-all.json.bz2",
        &bz,
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(r.tsv, plain.tsv);
    assert_eq!(r.summary.compression, "bzip2");

    // The first bytes decide; a name that says otherwise is an error.
    let r = run_bytes(&mapping_only(), "dump.data", &bz, &ImportOptions::default()).unwrap();
    assert_eq!(r.tsv, plain.tsv);
    let e = run_bytes(
        &mapping_only(),
        "dump.json.gz",
        text.as_bytes(),
        &ImportOptions::default(),
    )
    .err()
    .unwrap();
    assert!(
        e.to_string()
            .ends_with("dump.json.gz: the name says gzip but the data is plain JSON"),
        "{e}"
    );
}

#[test]
fn a_damaged_archive_writes_nothing() {
    let text = dump(&washington_dump());
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(text.as_bytes()).unwrap();
    let gz = encoder.finish().unwrap();
    let cut = &gz[..gz.len() * 2 / 3];
    let e = run_bytes(
        &mapping_only(),
        "dump.json.gz",
        cut,
        &ImportOptions::default(),
    )
    .err()
    .unwrap();
    assert!(matches!(e, ImportError::Read { .. }), "{e}");
    assert!(e.to_string().contains("cannot read the dump"), "{e}");
}

#[test]
fn mapping_errors_stop_the_run() {
    let mut files = mapping_only();
    files.insert(TYPES_FILE, "qid\ttype\tlabel\nQ5\tHUMAN\thuman\n");
    let e = run_bytes(&files, "d.json", b"[\n]\n", &ImportOptions::default())
        .err()
        .unwrap();
    assert!(
        e.to_string()
            .starts_with("wikidata/types.tsv:2: unknown type \"HUMAN\""),
        "{e}"
    );
    let e = run_bytes(
        &DataFiles::default(),
        "d.json",
        b"[\n]\n",
        &ImportOptions::default(),
    )
    .err()
    .unwrap();
    assert!(matches!(e, ImportError::NoMapping), "{e}");
}

#[test]
fn an_earlier_import_in_the_folder_is_not_the_base() {
    let mut files = mapping_only();
    let first = run(&files, &dump(&washington_dump()), &ImportOptions::default());
    files.insert("entities/wikidata.tsv", first.tsv.clone());
    let again = run(&files, &dump(&washington_dump()), &ImportOptions::default());
    assert_eq!(again.summary.rows(), 0);
    assert_eq!(again.summary.known, 3);
    let options = ImportOptions {
        exclude_from_base: Some("entities/wikidata.tsv".into()),
        ..ImportOptions::default()
    };
    let again = run(&files, &dump(&washington_dump()), &options);
    assert_eq!(again.tsv, first.tsv);
}

#[test]
fn output_loads_with_the_bundled_gazetteer_and_is_found_in_text() {
    let r = run(
        &DataFiles::embedded(),
        &dump(&washington_dump()),
        &ImportOptions::default(),
    );
    let mut files = DataFiles::embedded();
    files.insert("entities/wikidata.tsv", r.tsv);
    let pipeline = Pipeline::from_files(&files, &[]).expect("bundled gazetteer + import load");
    for text in [
        "جورج واشنگتن نخستین رئیس‌جمهور آمریکا بود.",
        "George Washington was the first president.",
    ] {
        let doc = Document::new("d", text);
        let extraction = pipeline.extract(&doc);
        let found: Vec<&str> = extraction
            .mentions
            .iter()
            .map(|m| pipeline.entity(&extraction, m).id.as_str())
            .collect();
        assert!(
            found.contains(&"person:george-washington-q23"),
            "{text}: {found:?}"
        );
    }
}

#[test]
fn rows_without_a_qid_are_matched_by_type_and_name() {
    let mut files = mapping_only();
    files.insert(
        "entities/parties.tsv",
        "id\ttype\tname_en\tname_fa\nparty:federalists\tPARTY\tFederalist  party\tفدرالیست‌ها\nperson:federalist-party\tPERSON\tFederalist Party\t\n",
    );
    let r = run(&files, &dump(&washington_dump()), &ImportOptions::default());
    assert_eq!(ids(&r.tsv), ["country:US", "person:george-washington-q23"]);
    assert_eq!((r.summary.known, r.summary.known_by_name), (1, 1));
    let gw = row(&r.tsv, "person:george-washington-q23");
    assert_eq!(
        gw["offices"],
        "President@country:US[1789..1797] | Member@party:federalists"
    );
}

#[test]
fn a_country_the_gazetteer_has_without_a_qid_is_referred_to_by_its_id() {
    let mut files = mapping_only();
    files.insert(
        "entities/countries.tsv",
        "id\ttype\tname_en\tname_fa\tpart_of\ncountry:NL\tCOUNTRY\tNetherlands\tهلند\t\n",
    );
    let lines = [
        item(
            "Q9000",
            Some("Anna Example"),
            Some("آنا نمونه"),
            json!({"P31": is(5), "P27": is(55), "P39": [statement(3000, Some("+2010-10-14T00:00:00Z"), None)]}),
        ),
        item(
            "Q3000",
            Some("Prime Minister of the Netherlands"),
            None,
            json!({"P31": is(4164871), "P1001": is(55)}),
        ),
        item(
            "Q55",
            Some("Netherlands"),
            Some("هلند"),
            json!({"P31": is(6256), "P297": code("NL")}),
        ),
    ];
    let r = run(&files, &dump(&lines), &ImportOptions::default());
    assert_eq!(ids(&r.tsv), ["person:anna-example-q9000"]);
    let anna = row(&r.tsv, "person:anna-example-q9000");
    assert_eq!(anna["country"], "NL");
    assert_eq!(anna["offices"], "Prime Minister@country:NL[2010..]");
    assert_eq!(anna["note"], "");
}

#[test]
fn lint_reports_bad_mapping_rows() {
    let mut files = DataFiles::embedded();
    files.insert(
        TYPES_FILE,
        "qid\ttype\tlabel\nQ5\tPERSON\thuman\nQ5\tPERSON\thuman\n",
    );
    let findings: Vec<String> = crate::lint(&files)
        .iter()
        .filter(|f| f.file == TYPES_FILE)
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        findings,
        ["wikidata/types.tsv:3: invalid-row: Q5 is listed twice (first at line 2)"]
    );
}
