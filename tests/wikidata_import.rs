//! `newsgraph gazetteer import-wikidata` as users run it, on real dump lines
//! (`tests/data/wikidata-first50.json`, the first 50 lines of `latest-all.json`).

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use newsgraph::{DataFiles, Gazetteer};
use newsgraph::{Document, Pipeline};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/wikidata-first50.json"
);

fn newsgraph() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsgraph"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

fn import(dump: &Path, out: &Path, extra: &[&str]) -> Output {
    newsgraph()
        .args(["gazetteer", "import-wikidata"])
        .arg(dump)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .expect("run newsgraph")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Rows by id, each as column name to cell.
fn rows(tsv: &str) -> HashMap<String, HashMap<String, String>> {
    let mut lines = tsv.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    lines
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            assert_eq!(cells.len(), header.len(), "{line}");
            let row: HashMap<String, String> = header
                .iter()
                .zip(&cells)
                .map(|(h, c)| (h.to_string(), c.to_string()))
                .collect();
            (cells[0].to_string(), row)
        })
        .collect()
}

fn fixture_copy(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::copy(FIXTURE, &path).unwrap();
    path
}

#[test]
fn george_washington_from_real_dump_lines() {
    let dir = tempfile::tempdir().unwrap();
    let dump = fixture_copy(dir.path(), "latest-all.json");
    let out = dir.path().join("wikidata.tsv");
    let run = import(&dump, &out, &[]);
    assert!(run.status.success(), "{}", stderr(&run));
    let err = stderr(&run);
    assert!(err.contains("50 lines, 49 items"), "{err}");
    let tsv = std::fs::read_to_string(&out).unwrap();
    let rows = rows(&tsv);
    let gw = &rows["person:george-washington-q23"];
    assert_eq!(gw["type"], "PERSON");
    assert_eq!(gw["name_en"], "George Washington");
    assert_eq!(gw["name_fa"], "جورج واشنگتن");
    assert_eq!(gw["wikidata"], "Q23");
    // P27 Q30 is country:US of the bundled gazetteer.
    assert_eq!(gw["country"], "US");
    // His party (P102 Q42189) and offices (P39 Q11696, President of the United States) are
    // items outside these 50 lines: they are kept as QIDs in the note.
    assert!(gw["note"].contains("P102=Q42189"), "{gw:?}");
    assert!(gw["note"].contains("P39=Q11696[1789..1797]"), "{gw:?}");
    assert_eq!(gw["short"], "Washington");
    // Countries of the dump are the bundled gazetteer's own: not written again.
    assert!(!rows.keys().any(|id| id.starts_with("country:")), "{tsv}");
    assert_eq!(rows["city:rome-q220"]["part_of"], "country:IT");
    // Berlin is a curated city (entities/cities.tsv, no QID): matched by type and name.
    assert!(!rows.contains_key("city:berlin-q64"), "{tsv}");
    // Piñera is a bundled row without a QID: matched by type and name, not written again.
    assert!(!rows.contains_key("person:sebastian-pinera-q306"), "{tsv}");
    assert!(
        err.contains("11 already in the gazetteer (3 by name)"),
        "{err}"
    );

    // The file loads through the real gazetteer loader with the bundled gazetteer, and its
    // people are found in text.
    let mut files = DataFiles::embedded();
    files.insert("entities/wikidata.tsv", tsv.clone());
    Gazetteer::from_files(&files).expect("loads");
    let pipeline = Pipeline::from_files(&files, &[]).expect("loads");
    let doc = Document::new("d", "جورج واشنگتن و سباستین پینیرا در رم.");
    let extraction = pipeline.extract(&doc);
    let found: Vec<(&str, &str)> = extraction
        .mentions
        .iter()
        .map(|m| (m.text(&doc), pipeline.entity(&extraction, m).id.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("جورج واشنگتن", "person:george-washington-q23"),
            ("سباستین پینیرا", "person:sebastian-pinera"),
            ("رم", "city:rome-q220"),
        ]
    );

    // Compressed copies give the same file, and so does standard input.
    let bytes = std::fs::read(FIXTURE).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&bytes).unwrap();
    let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
    bz.write_all(&bytes).unwrap();
    for (name, data) in [
        ("latest-all.json.gz", gz.finish().unwrap()),
        ("latest-all.json.bz2", bz.finish().unwrap()),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, data).unwrap();
        let out2 = dir.path().join(format!("{name}.tsv"));
        let run = import(&path, &out2, &["--quiet"]);
        assert!(run.status.success(), "{name}: {}", stderr(&run));
        assert!(stderr(&run).is_empty(), "{}", stderr(&run));
        assert_eq!(std::fs::read_to_string(&out2).unwrap(), tsv, "{name}");
    }
    let out3 = dir.path().join("stdin.tsv");
    let mut child = newsgraph()
        .args(["gazetteer", "import-wikidata", "-", "--quiet", "--out"])
        .arg(&out3)
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&bytes).unwrap();
    let run = child.wait_with_output().unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(std::fs::read_to_string(&out3).unwrap(), tsv);
}

#[test]
fn bad_lines_are_named_and_skipped_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(FIXTURE).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Line 3 (Belgium) loses its end; line 4 becomes garbage.
    lines[2].truncate(1000);
    lines[3] = "not json,".to_string();
    let dump = dir.path().join("broken.json");
    std::fs::write(&dump, lines.join("\n")).unwrap();
    let out = dir.path().join("wikidata.tsv");
    let run = import(&dump, &out, &[]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    let err = stderr(&run);
    let name = dump.display().to_string();
    assert!(
        err.contains(&format!("{name}:3: truncated entity")),
        "{err}"
    );
    assert!(
        err.contains(&format!("{name}:4: invalid entity JSON at column")),
        "{err}"
    );
    assert!(err.contains("2 bad lines"), "{err}");
    // Everything else is written.
    let rows = rows(&std::fs::read_to_string(&out).unwrap());
    assert!(rows.contains_key("person:george-washington-q23"));
}

#[test]
fn unusable_arguments_exit_2_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("wikidata.tsv");

    let run = import(&dir.path().join("missing.json"), &out, &[]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(stderr(&run).contains("missing.json"), "{}", stderr(&run));

    // A bad mapping row names its file and line.
    let gazetteers = dir.path().join("gazetteers");
    std::fs::create_dir_all(gazetteers.join("wikidata")).unwrap();
    std::fs::write(
        gazetteers.join("wikidata/types.tsv"),
        "qid\ttype\tlabel\nQ5\tPERSON\thuman\nQ7278\tPARTIES\tpolitical party\n",
    )
    .unwrap();
    let dump = fixture_copy(dir.path(), "latest-all.json");
    let run = import(&dump, &out, &["--gazetteers", gazetteers.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).contains("wikidata/types.tsv:3: unknown type \"PARTIES\""),
        "{}",
        stderr(&run)
    );
    assert!(!out.exists());
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(left.len(), 2, "{left:?}"); // gazetteers/ and latest-all.json

    // A folder of its own: only people, no countries to refer to.
    std::fs::write(
        gazetteers.join("wikidata/types.tsv"),
        "qid\ttype\tlabel\nQ5\tPERSON\thuman\n",
    )
    .unwrap();
    let run = import(&dump, &out, &["--gazetteers", gazetteers.to_str().unwrap()]);
    assert!(run.status.success(), "{}", stderr(&run));
    let rows = rows(&std::fs::read_to_string(&out).unwrap());
    assert_eq!(rows.len(), 4);
    assert_eq!(rows["person:george-washington-q23"]["country"], "");
}
