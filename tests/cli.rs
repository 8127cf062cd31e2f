//! The command line as users and scripts run it: exit codes, per-document failures, whole
//! output files, determinism across thread counts.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn newsgraph() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsgraph"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

fn run(args: &[&str]) -> Output {
    newsgraph().args(args).output().expect("run newsgraph")
}

fn jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn bad_documents_fail_alone() {
    let input = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    write(
        input.path(),
        "a-good.txt",
        "شی جین پینگ به کوبا رفت.".as_bytes(),
    );
    write(input.path(), "b-empty.txt", b"");
    write(input.path(), "c-blank.txt", b"  \n\t\n");
    write(input.path(), "d-latin1.txt", b"Caf\xe9 in Cuba");
    let long = "چین ".repeat(200);
    write(
        input.path(),
        "e-batch.jsonl",
        format!(
            "{{\"id\": \"j1\", \"text\": \"کوبا و چین\", \"published\": \"2022-11-25\", \"lang\": \"fa\"}}\n\
             {{\"id\": \"j2\", \"text\": \n\
             \n\
             {{\"id\": \"j3\", \"text\": \"{long}\"}}\n\
             {{\"id\": \"j4\", \"text\": \"Cuba\"}}\n"
        )
        .as_bytes(),
    );
    let output = run(&[
        "extract",
        input.path().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
        "--max-document-bytes",
        "500",
        "--quiet",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    for id in ["b-empty", "c-blank", "d-latin1", "e-batch:2", "e-batch:4"] {
        assert!(
            err.contains(&format!("document {id} failed")),
            "{id} not named in: {err}"
        );
    }
    let docs = jsonl(&out.path().join("documents.jsonl"));
    let status: Vec<(&str, &str)> = docs
        .iter()
        .map(|d| (d["doc"].as_str().unwrap(), d["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        status,
        [
            ("a-good", "ok"),
            ("b-empty", "error"),
            ("c-blank", "error"),
            ("d-latin1", "error"),
            ("j1", "ok"),
            ("e-batch:2", "error"),
            ("e-batch:4", "error"),
            ("j4", "ok"),
        ]
    );
    assert_eq!(docs[1]["error"], "empty document");
    assert_eq!(
        docs[3]["error"],
        "not valid UTF-8 (first invalid byte at offset 3)"
    );
    assert!(docs[5]["error"]
        .as_str()
        .unwrap()
        .starts_with("invalid JSONL line"));
    assert_eq!(docs[6]["error"], "document larger than 500 bytes");
    assert_eq!(docs[4]["published"], "2022-11-25");
    assert_eq!(
        docs[4]["source"].as_str().unwrap().rsplit('/').next(),
        Some("e-batch.jsonl:1")
    );
    let mentions = jsonl(&out.path().join("mentions.jsonl"));
    let docs_with_mentions: Vec<&str> = mentions
        .iter()
        .map(|m| m["doc"].as_str().unwrap())
        .collect();
    assert!(docs_with_mentions.contains(&"a-good") && docs_with_mentions.contains(&"j1"));
    assert!(docs_with_mentions.contains(&"j4"));
}

#[test]
fn same_bytes_whatever_the_thread_count() {
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    for (dir, threads) in [(&one, "1"), (&two, "2")] {
        let output = run(&[
            "extract",
            "tests/corpus",
            "--out",
            dir.path().to_str().unwrap(),
            "--threads",
            threads,
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    }
    for name in newsgraph::corpus::OUTPUT_FILES {
        let a = std::fs::read(one.path().join(name)).unwrap();
        let b = std::fs::read(two.path().join(name)).unwrap();
        assert!(a == b, "{name} differs between 1 and 2 threads");
        assert!(!a.is_empty());
    }
}

#[test]
fn duplicate_ids_fail_the_second() {
    let input = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    std::fs::create_dir(input.path().join("x")).unwrap();
    write(input.path(), "doc.txt", "چین".as_bytes());
    // Equal names in different folders are distinct (`x/doc`); an id given twice is not.
    write(&input.path().join("x"), "doc.txt", "کوبا".as_bytes());
    write(
        input.path(),
        "more.jsonl",
        "{\"id\": \"x/doc\", \"text\": \"کوبا\"}\n".as_bytes(),
    );
    let output = run(&[
        "extract",
        input.path().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let docs = jsonl(&out.path().join("documents.jsonl"));
    let rows: Vec<(&str, &str)> = docs
        .iter()
        .map(|d| (d["doc"].as_str().unwrap(), d["status"].as_str().unwrap()))
        .collect();
    // In sorted order more.jsonl comes before x/doc.txt, which fails.
    assert_eq!(rows, [("doc", "ok"), ("x/doc", "ok"), ("x/doc", "error")]);
    assert!(docs[2]["error"]
        .as_str()
        .unwrap()
        .starts_with("duplicate document id"));
}

#[test]
fn stdin_jsonl() {
    let out = tempfile::tempdir().unwrap();
    let mut child = newsgraph()
        .args([
            "extract",
            "-",
            "--out",
            out.path().to_str().unwrap(),
            "--quiet",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("{\"id\":\"s1\",\"text\":\"دیدار رؤسای جمهور چین و کوبا\"}\n".as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let mentions = jsonl(&out.path().join("mentions.jsonl"));
    let entities: Vec<&str> = mentions
        .iter()
        .map(|m| m["entity"].as_str().unwrap())
        .collect();
    assert_eq!(entities, ["country:CN", "country:CU"]);
    assert_eq!(mentions[0]["start"], 18);
    assert_eq!(mentions[0]["byte_start"], 33);
}

#[test]
fn bad_gazetteer_row_exits_2_naming_file_and_line() {
    let gazetteers = tempfile::tempdir().unwrap();
    std::fs::create_dir(gazetteers.path().join("entities")).unwrap();
    write(
        &gazetteers.path().join("entities"),
        "people.tsv",
        "id\ttype\tname_en\tname_fa\nperson:x\tHUMAN\tX\tایکس\n".as_bytes(),
    );
    let out = tempfile::tempdir().unwrap();
    let output = run(&[
        "extract",
        "tests/corpus",
        "--out",
        out.path().to_str().unwrap(),
        "--gazetteers",
        gazetteers.path().to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("entities/people.tsv:2: unknown type \"HUMAN\""),
        "{}",
        stderr(&output)
    );
    assert!(!out.path().join("mentions.jsonl").exists());
}

#[test]
fn missing_input_exits_2() {
    let out = tempfile::tempdir().unwrap();
    let output = run(&[
        "extract",
        "no/such/file.txt",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no/such/file.txt"));
}

#[test]
fn unwritable_output_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = write(dir.path(), "not-a-dir", b"x");
    let output = run(&[
        "extract",
        "tests/corpus/seed",
        "--out",
        blocker.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(std::fs::read(&blocker).unwrap(), b"x");
}

#[test]
fn earlier_output_is_replaced_whole() {
    let out = tempfile::tempdir().unwrap();
    write(out.path(), "mentions.jsonl", b"stale\n");
    let output = run(&[
        "extract",
        "tests/corpus/seed",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    let text = std::fs::read_to_string(out.path().join("mentions.jsonl")).unwrap();
    assert!(!text.contains("stale"));
    let leftovers: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn spacy_patterns_add_entities() {
    let dir = tempfile::tempdir().unwrap();
    let patterns = write(
        dir.path(),
        "patterns.jsonl",
        "{\"label\": \"ORG\", \"pattern\": \"خبرگزاری پرنسا لاتینا\", \"id\": \"prensa-latina\"}\n"
            .as_bytes(),
    );
    let input = write(
        dir.path(),
        "doc.txt",
        "به گزارش خبرگزاری پرنسا‌لاتینا از هاوانا".as_bytes(),
    );
    let out = dir.path().join("out");
    let output = run(&[
        "extract",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--patterns",
        patterns.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let mentions = jsonl(&out.join("mentions.jsonl"));
    let m = mentions
        .iter()
        .find(|m| m["entity"] == "organization:prensa-latina")
        .expect("pattern mention");
    assert_eq!(m["via"], "pattern");
    assert_eq!(m["text"], "خبرگزاری پرنسا‌لاتینا");
}

#[test]
fn lint_runs_on_the_bundled_gazetteers() {
    let output = run(&["gazetteer", "lint"]);
    // The bundled gazetteers have findings for reviewers (shadowed and ambiguous aliases):
    // exit 1, not a failure to load (exit 2).
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report = String::from_utf8_lossy(&output.stdout);
    let codes = [
        "ambiguous-alias",
        "common-word",
        "foldable-spelling",
        "missing-name",
        "shadowed-alias",
    ];
    let lines: Vec<&str> = report.lines().collect();
    for line in &lines {
        // file:line: code: message, and never a row the loader rejects.
        let mut parts = line.splitn(4, ": ");
        let place = parts.next().unwrap_or_default();
        let code = parts.next().unwrap_or_default();
        assert!(
            place
                .rsplit_once(':')
                .is_some_and(|(_, l)| l.parse::<usize>().is_ok()),
            "{line}"
        );
        assert!(codes.contains(&code), "{line}");
    }
    assert_eq!(
        stderr(&output).trim(),
        format!("{} findings", lines.len()),
        "the count on stderr is the number of findings"
    );
}

#[test]
fn csv_flavors_for_neo4j_and_gephi() {
    let first_line = |dir: &Path, name: &str| {
        std::fs::read_to_string(dir.join(name))
            .unwrap()
            .lines()
            .next()
            .unwrap_or_default()
            .to_string()
    };
    for (flavor, nodes, edges) in [
        (
            "neo4j",
            "id:ID,label,:LABEL,",
            ":START_ID,:END_ID,:TYPE,directed:boolean,weight:int,",
        ),
        (
            "gephi",
            "Id,Label,type,",
            "Source,Target,Type,Label,Weight,",
        ),
    ] {
        let out = tempfile::tempdir().unwrap();
        let output = run(&[
            "extract",
            "tests/corpus/seed",
            "--out",
            out.path().to_str().unwrap(),
            "--csv",
            flavor,
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert!(
            first_line(out.path(), "nodes.csv").starts_with(nodes),
            "{flavor}"
        );
        assert!(
            first_line(out.path(), "edges.csv").starts_with(edges),
            "{flavor}"
        );
    }
    let output = run(&[
        "extract",
        "tests/corpus/seed",
        "--out",
        "/tmp/x",
        "--csv",
        "excel",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("plain, neo4j, gephi"));
}

#[test]
fn gazetteer_test_reports_failing_cases_with_file_and_line() {
    let passing = run(&["gazetteer", "test"]);
    assert_eq!(
        passing.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&passing.stdout)
    );
    let dir = tempfile::tempdir().unwrap();
    let gazetteers = dir.path().join("gazetteers");
    std::fs::create_dir_all(gazetteers.join("entities")).unwrap();
    std::fs::create_dir_all(gazetteers.join("tests")).unwrap();
    write(
        &gazetteers.join("entities"),
        "countries.tsv",
        "id\ttype\tname_en\tname_fa\ncountry:CN\tCOUNTRY\tChina\tچین\n".as_bytes(),
    );
    write(
        &gazetteers.join("tests"),
        "cases.tsv",
        "expect\tentity\ttext\tsentence\nmatch\tcountry:CN\tچین\tسفر به چین\nmatch\tcountry:CN\tچینی\tکالای چینی\n".as_bytes(),
    );
    let failing = run(&[
        "gazetteer",
        "test",
        "--gazetteers",
        gazetteers.to_str().unwrap(),
    ]);
    assert_eq!(failing.status.code(), Some(1));
    let report = String::from_utf8_lossy(&failing.stdout);
    assert!(
        report.contains("tests/cases.tsv:3: match country:CN «چینی»"),
        "{report}"
    );
    assert!(
        report.contains("2 cases in 1 files: 1 passed, 1 failed"),
        "{report}"
    );
}

#[test]
fn eval_prints_tables_and_writes_json() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("eval.json");
    let output = run(&[
        "eval",
        "--gold",
        "tests/gold/seed",
        "tests/corpus/seed",
        "--json",
        json.to_str().unwrap(),
        "--baseline",
        "no/such/baseline.json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let tables = String::from_utf8_lossy(&output.stdout);
    assert!(tables.contains("relations.must"), "{tables}");
    let value: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert!(value.is_object());
    // A gold document without its input is reported and fails the run.
    let output = run(&[
        "eval",
        "--gold",
        "tests/gold/seed",
        "--baseline",
        "no/such/baseline.json",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("has no input document"),
        "{}",
        stderr(&output)
    );
}

fn csv_rows(path: &Path) -> Vec<csv::StringRecord> {
    csv::Reader::from_path(path)
        .unwrap()
        .records()
        .map(|r| r.unwrap())
        .collect()
}

#[test]
fn background_and_min_weight_choose_the_edges_of_every_graph_file() {
    let run_with = |args: &[&str]| {
        let out = tempfile::tempdir().unwrap();
        let mut all = vec![
            "extract",
            "tests/corpus",
            "-o",
            out.path().to_str().unwrap(),
            "-q",
        ];
        all.extend_from_slice(args);
        let output = run(&all);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        out
    };
    // The default: background edges in the data files, flagged, hidden in the page.
    let default = run_with(&[]);
    let edges = csv_rows(&default.path().join("edges.csv"));
    let background = edges.iter().filter(|r| &r[9] == "true").count();
    assert!(background > 0 && edges.iter().any(|r| &r[9] == "false"));
    let html = std::fs::read_to_string(default.path().join("graph.html")).unwrap();
    assert!(html.contains("\"show_background\":false"));

    let omit = run_with(&["--background", "omit"]);
    let omitted = csv_rows(&omit.path().join("edges.csv"));
    assert_eq!(omitted.len(), edges.len() - background);
    assert!(omitted.iter().all(|r| &r[9] == "false"));
    let gexf = std::fs::read_to_string(omit.path().join("graph.gexf")).unwrap();
    assert!(!gexf.contains("kind=\"part_of\""));
    let ttl = std::fs::read_to_string(omit.path().join("graph.ttl")).unwrap();
    assert!(!ttl.contains("rel:part_of node:"));
    // Nodes that only background edges brought in go too; mentioned ones stay.
    let nodes = csv_rows(&omit.path().join("nodes.csv"));
    assert!(nodes.iter().all(|r| &r[5] != "0" || &r[6] != "0"));

    let include = run_with(&["--background", "include"]);
    let html = std::fs::read_to_string(include.path().join("graph.html")).unwrap();
    assert!(html.contains("\"show_background\":true"));
    let svg = std::fs::read_to_string(include.path().join("graph.svg")).unwrap();
    if svg.contains("Generated by graphviz") {
        assert!(
            svg.contains("stroke-dasharray"),
            "background edges are dashed"
        );
    }

    let heavy = run_with(&["--min-weight", "2", "--background", "omit"]);
    let rows = csv_rows(&heavy.path().join("edges.csv"));
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r[4].parse::<u64>().unwrap() >= 2));
    let graphml = std::fs::read_to_string(heavy.path().join("graph.graphml")).unwrap();
    assert_eq!(graphml.matches("<edge ").count(), rows.len());
}

#[test]
fn spacy_pattern_files_as_spacy_users_write_them() {
    let dir = tempfile::tempdir().unwrap();
    let patterns = write(
        dir.path(),
        "ruler.jsonl",
        concat!(
            "{\"label\": \"GPE\", \"pattern\": \"Isfahan\"}\n",
            "{\"label\": \"NORP\", \"pattern\": \"Iranians\"}\n",
            "{\"label\": \"PERSON\", \"pattern\": [{\"LOWER\": \"wang\"}, {\"IS_PUNCT\": true, \"OP\": \"?\"}, {\"LOWER\": \"yi\"}]}\n",
            "{\"label\": \"ORG\", \"pattern\": [{\"LOWER\": \"opec\", \"OP\": \"+\"}]}\n",
        )
        .as_bytes(),
    );
    let input = write(
        dir.path(),
        "doc.txt",
        b"Wang Yi visited Isfahan, where Iranians met him.",
    );
    let out = dir.path().join("out");
    let args = |strict: bool| {
        let mut a = vec![
            "extract".to_string(),
            input.to_str().unwrap().to_string(),
            "-o".to_string(),
            out.to_str().unwrap().to_string(),
            "--patterns".to_string(),
            patterns.to_str().unwrap().to_string(),
        ];
        if strict {
            a.push("--strict-patterns".to_string());
        }
        a
    };
    let output = newsgraph().args(args(false)).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let err = stderr(&output);
    let file = patterns.display().to_string();
    assert!(err.contains(&format!("{file}:2: label NORP")), "{err}");
    assert!(
        err.contains(&format!("{file}:4: operator OP \"+\"")),
        "{err}"
    );
    assert!(err.contains("warning:"), "{err}");
    let mentions = jsonl(&out.join("mentions.jsonl"));
    let found: Vec<(&str, &str)> = mentions
        .iter()
        .map(|m| (m["entity"].as_str().unwrap(), m["type"].as_str().unwrap()))
        .collect();
    assert!(found.contains(&("city:isfahan", "CITY")), "{found:?}");
    assert!(found.contains(&("person:wang-yi", "PERSON")), "{found:?}");

    let output = newsgraph().args(args(true)).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("--strict-patterns") && err.contains(&format!("{file}:2:")),
        "{err}"
    );
}

#[test]
fn command_line_conventions() {
    let help = run(&["extract", "--help"]);
    let text = String::from_utf8_lossy(&help.stdout);
    for expected in [
        "relations",
        "knowledge graph",
        "-o, --out <DIR>",
        "-j, --threads <N>",
        "-q, --quiet",
        "- separate: In the data files",
        "--min-weight <N>",
        "--color <WHEN>",
    ] {
        assert!(
            text.contains(expected),
            "extract --help lacks {expected:?}:\n{text}"
        );
    }
    let short = run(&["extract", "-h"]);
    let text = String::from_utf8_lossy(&short.stdout);
    for expected in [
        "[possible values: include, omit, separate]",
        "[possible values: plain, neo4j, gephi]",
        "[possible values: auto, always, never]",
    ] {
        assert!(
            text.contains(expected),
            "extract -h lacks {expected:?}:\n{text}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let patterns = write(
        dir.path(),
        "p.jsonl",
        b"{\"label\": \"NORP\", \"pattern\": \"x\"}\n",
    );
    let out = dir.path().join("out");
    let with_color = |color: &str, no_color: Option<&str>| {
        let mut cmd = newsgraph();
        cmd.args(["extract", "tests/corpus/seed", "-q", "-o"])
            .arg(&out)
            .arg("--patterns")
            .arg(&patterns)
            .args(["--color", color]);
        match no_color {
            Some(v) => cmd.env("NO_COLOR", v),
            None => cmd.env_remove("NO_COLOR"),
        };
        let output = cmd.output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        stderr(&output)
    };
    assert!(
        with_color("always", Some("1")).contains("\u{1b}["),
        "--color always wins"
    );
    assert!(!with_color("never", None).contains('\u{1b}'));
    // Not a terminal, and NO_COLOR: no colour either way.
    assert!(!with_color("auto", Some("1")).contains('\u{1b}'));
    assert!(!with_color("auto", None).contains('\u{1b}'));
    let bad = run(&[
        "extract",
        "tests/corpus/seed",
        "-o",
        "/tmp/x",
        "--color",
        "sometimes",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("auto, always, never"));
}

#[test]
fn a_gazetteer_folder_without_entities_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.txt");
    std::fs::write(&input, "سفر به چین").unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    for args in [
        vec![
            "extract",
            input.to_str().unwrap(),
            "--out",
            dir.path().join("out").to_str().unwrap(),
        ],
        vec!["gazetteer", "lint"],
        vec!["gazetteer", "test"],
    ] {
        let mut args = args;
        args.extend(["--gazetteers", empty.to_str().unwrap()]);
        let output = run(&args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains("needs at least one entities/*.tsv file"),
            "{}",
            stderr(&output)
        );
    }
    assert!(!dir.path().join("out").exists());
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// (start, end, text) of every mention of `entity`.
fn spans_of(mentions: &[Value], entity: &str) -> Vec<(u64, u64, String)> {
    mentions
        .iter()
        .filter(|m| m["entity"] == entity)
        .map(|m| {
            let n = |k: &str| m[k].as_u64().unwrap();
            (
                n("start"),
                n("end"),
                m["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_pasted_suggestion_becomes_a_curated_entity_with_the_same_mentions() {
    let input = tempfile::tempdir().unwrap();
    let text = "آقای کمالوندی سخنگوی سازمان انرژی اتمی گفت: غنی‌سازی ادامه دارد. \
                سعید مرتضوی‌پور در این جلسه حضور داشت و مرتضوی‌پور افزود که کار ادامه دارد.";
    let doc = write(input.path(), "d.txt", text.as_bytes());
    let first = tempfile::tempdir().unwrap();
    let output = run(&[
        "extract",
        doc.to_str().unwrap(),
        "--out",
        first.path().to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let suggest = run(&["gazetteer", "suggest", first.path().to_str().unwrap()]);
    assert_eq!(suggest.status.code(), Some(0), "{}", stderr(&suggest));
    let listing = String::from_utf8(suggest.stdout).unwrap();
    let row = listing
        .lines()
        .find(|l| l.starts_with("person:syd-mrtzvy-pvr\t"))
        .unwrap_or_else(|| panic!("no suggestion for the name:\n{listing}"));
    assert!(row.contains("2 mentions in 1 document"), "{row}");
    let before = spans_of(
        &jsonl(&first.path().join("mentions.jsonl")),
        "person:discovered.syd-mrtzvy-pvr",
    );
    assert_eq!(before.len(), 2, "{before:?}");

    // Paste the row into a copy of the gazetteers, under the entity files' header.
    let gazetteers = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("gazetteers"),
        gazetteers.path(),
    );
    let header = listing.lines().find(|l| !l.starts_with('#')).unwrap();
    write(
        &gazetteers.path().join("entities"),
        "pasted.tsv",
        format!("{header}\n{row}\n").as_bytes(),
    );
    let second = tempfile::tempdir().unwrap();
    let output = run(&[
        "extract",
        doc.to_str().unwrap(),
        "--out",
        second.path().to_str().unwrap(),
        "--gazetteers",
        gazetteers.path().to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let mentions = jsonl(&second.path().join("mentions.jsonl"));
    assert_eq!(spans_of(&mentions, "person:syd-mrtzvy-pvr"), before);
    let vias: Vec<&str> = mentions
        .iter()
        .filter(|m| m["entity"] == "person:syd-mrtzvy-pvr")
        .map(|m| m["via"].as_str().unwrap())
        .collect();
    assert_eq!(vias, ["gazetteer", "coref"]);
    assert!(spans_of(&mentions, "person:discovered.syd-mrtzvy-pvr").is_empty());
}

#[test]
fn suggest_needs_an_output_folder() {
    let empty = tempfile::tempdir().unwrap();
    let output = run(&["gazetteer", "suggest", empty.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("suggestions.tsv"),
        "{}",
        stderr(&output)
    );
}
