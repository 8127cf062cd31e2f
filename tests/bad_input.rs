//! Bad input, as a user would meet it: one table of named cases, each running the binary in
//! a folder of its own and checking the exit status, the message (what and where), that the
//! output of every good document is complete, and that no stray file is left anywhere.
//!
//! Run one case with `BAD_INPUT_CASE=name cargo test --test bad_input`. Cases that need a
//! user without root's permissions run as `nobody` through `setpriv` when the tests run as
//! root; they print `SKIPPED: ...` when neither is possible.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;

const OUTPUT_FILES: [&str; 13] = newsgraph::corpus::OUTPUT_FILES;
/// A run that takes longer than this hangs.
const TIMEOUT: Duration = Duration::from_secs(120);

/// What to make at a path under the case's folder.
#[derive(Clone, Copy)]
enum Make {
    Text(&'static str),
    Bytes(&'static [u8]),
    Generated(fn() -> Vec<u8>),
    Dir,
    Fifo,
    Link(&'static str),
    /// Change the permissions of what is already there.
    Mode(u32),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum User {
    Root,
    /// A user without root's permissions (`nobody` when the tests run as root).
    Unprivileged,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Stdout {
    Captured,
    /// Closed before the command writes to it (`| head -1`).
    Closed,
}

struct Case {
    name: &'static str,
    make: &'static [(&'static str, Make)],
    /// Runs after `make`, before the command: an earlier run, a concurrent one.
    before: Option<fn(&Ctx)>,
    /// The command line; `{repo}` is the repository.
    args: &'static [&'static str],
    stdin: Option<&'static [u8]>,
    user: User,
    stdout: Stdout,
    code: i32,
    /// Every one of these must be in the message: the first line of stderr for exit 2, the
    /// failure lines otherwise.
    stderr: &'static [&'static str],
    /// The output folder (relative to the case's folder).
    out: &'static str,
    /// The rows `documents.jsonl` must have: `(doc, "ok")` or `(doc, part of the error)`.
    /// `None`: the command must leave the output folder exactly as it was.
    docs: Option<&'static [(&'static str, &'static str)]>,
    /// More checks, run before the common ones.
    after: Option<fn(&Ctx, &Output)>,
}

const CASE: Case = Case {
    name: "",
    make: &[],
    before: None,
    args: &[],
    stdin: None,
    user: User::Root,
    stdout: Stdout::Captured,
    code: 0,
    stderr: &[],
    out: "out",
    docs: None,
    after: None,
};

const KUBA: &str = "سفر به کوبا و چین";

fn cases() -> Vec<Case> {
    vec![
        // 1. Two runs into one folder: the second fails at once, the first completes.
        Case {
            name: "concurrent_runs_into_one_folder",
            make: &[("in/a.txt", Make::Text(KUBA))],
            before: Some(start_a_run_that_waits_for_stdin),
            args: &["extract", "in", "--out", "out", "--quiet"],
            code: 2,
            stderr: &["out: another newsgraph run is writing to this folder"],
            docs: Some(&[("s1", "ok")]),
            after: Some(finish_the_waiting_run),
            ..CASE
        },
        // 2. Links back up the tree are not followed again; a second path is not read again.
        Case {
            name: "symlink_loops_and_second_paths",
            make: &[
                ("in/a.txt", Make::Text(KUBA)),
                ("in/sub/b.txt", Make::Text("کوبا")),
                ("outside/c.txt", Make::Text("چین")),
                ("in/s1", Make::Link(".")),
                ("in/s2", Make::Link(".")),
                ("in/sub/up", Make::Link("..")),
                ("in/ext", Make::Link("../outside")),
                ("in/ext2", Make::Link("../outside")),
                ("in/sub/b2.txt", Make::Link("b.txt")),
            ],
            args: &["extract", "in", "--out", "out", "--quiet"],
            docs: Some(&[("a", "ok"), ("ext/c", "ok"), ("sub/b", "ok")]),
            ..CASE
        },
        // 3. A named pipe is reported, not opened.
        Case {
            name: "fifo_in_an_input_folder",
            make: &[("in/a.txt", Make::Text(KUBA)), ("in/b.txt", Make::Fifo)],
            args: &["extract", "in", "--out", "out", "--quiet"],
            code: 1,
            stderr: &["document b failed: in/b.txt: not a regular file (a named pipe)"],
            docs: Some(&[("a", "ok"), ("b", "not a regular file (a named pipe)")]),
            ..CASE
        },
        Case {
            name: "fifo_given_as_input",
            make: &[("in/b.jsonl", Make::Fifo)],
            args: &["extract", "in/b.jsonl", "--out", "out", "--quiet"],
            code: 1,
            stderr: &["document b failed: in/b.jsonl: not a regular file (a named pipe)"],
            docs: Some(&[("b", "not a regular file (a named pipe)")]),
            ..CASE
        },
        Case {
            name: "fifo_in_gazetteer_entities",
            make: &[
                ("in/a.txt", Make::Text(KUBA)),
                ("g/entities/x.tsv", Make::Fifo),
            ],
            args: &["extract", "in", "--out", "out", "--gazetteers", "g"],
            code: 2,
            stderr: &["g/entities/x.tsv", "not a regular file (a named pipe)"],
            ..CASE
        },
        // 4. An unreadable subfolder or file fails alone.
        Case {
            name: "unreadable_subfolder_and_file",
            make: &[
                ("in/a.txt", Make::Text(KUBA)),
                ("in/c.txt", Make::Text("کوبا")),
                ("in/c.txt", Make::Mode(0o000)),
                ("in/sub/b.txt", Make::Text("چین")),
                ("in/sub", Make::Mode(0o000)),
            ],
            args: &["extract", "in", "--out", "out", "--quiet"],
            user: User::Unprivileged,
            code: 1,
            stderr: &[
                "document c failed: in/c.txt: cannot read: Permission denied",
                "document sub failed: in/sub: cannot read folder: Permission denied",
            ],
            docs: Some(&[
                ("a", "ok"),
                ("c", "cannot read: Permission denied"),
                ("sub", "cannot read folder: Permission denied"),
            ]),
            ..CASE
        },
        // 5. The output folder inside the input folder is not read, however often.
        Case {
            name: "output_folder_inside_the_input",
            make: &[("in/a.txt", Make::Text(KUBA))],
            before: Some(|ctx| ctx.run_ok(&["extract", "in", "--out", "in/out", "--quiet"])),
            args: &["extract", "in", "--out", "in/out", "--quiet"],
            out: "in/out",
            docs: Some(&[("a", "ok")]),
            ..CASE
        },
        Case {
            name: "output_folder_given_as_input",
            make: &[("in/a.txt", Make::Text(KUBA))],
            before: Some(|ctx| ctx.run_ok(&["extract", "in", "--out", "out", "--quiet"])),
            args: &["extract", "out", "--out", "out"],
            code: 2,
            stderr: &["out: is the output folder out or output in it"],
            ..CASE
        },
        Case {
            name: "output_file_given_as_input",
            make: &[("in/a.txt", Make::Text(KUBA))],
            before: Some(|ctx| ctx.run_ok(&["extract", "in", "--out", "out", "--quiet"])),
            args: &["extract", "in", "out/mentions.jsonl", "--out", "out"],
            code: 2,
            stderr: &["out/mentions.jsonl: is the output folder out or output in it"],
            ..CASE
        },
        // A folder of the user's inside the output folder is input like any other.
        Case {
            name: "input_folder_inside_the_output_folder",
            make: &[("out/in/a.txt", Make::Text(KUBA))],
            before: Some(|ctx| ctx.run_ok(&["extract", "out/in", "--out", "out", "--quiet"])),
            args: &["extract", "out/in", "--out", "out", "--quiet"],
            docs: Some(&[("a", "ok")]),
            ..CASE
        },
        // 6. A folder where an output file belongs: nothing changes.
        Case {
            name: "folder_named_like_an_output_file",
            make: &[("in/a.txt", Make::Text(KUBA)), ("in2/b.txt", Make::Text("چین"))],
            before: Some(|ctx| {
                ctx.run_ok(&["extract", "in", "--out", "out", "--quiet"]);
                std::fs::remove_file(ctx.path("out/nodes.csv")).unwrap();
                std::fs::create_dir(ctx.path("out/nodes.csv")).unwrap();
            }),
            args: &["extract", "in2", "--out", "out"],
            code: 2,
            stderr: &["out/nodes.csv: is a folder, where the output file of that name belongs"],
            ..CASE
        },
        Case {
            name: "leftovers_of_killed_runs_are_removed",
            make: &[
                ("in/a.txt", Make::Text(KUBA)),
                ("out/.documents.jsonl.tmp", Make::Text("half")),
                ("out/.newsgraph-staging-abc123/mentions.jsonl", Make::Text("half")),
            ],
            args: &["extract", "in", "--out", "out", "--quiet"],
            docs: Some(&[("a", "ok")]),
            ..CASE
        },
        // 8. Byte order marks.
        Case {
            name: "bom_opening_a_jsonl_file",
            make: &[(
                "in/j.jsonl",
                Make::Text("\u{FEFF}{\"id\": \"j1\", \"text\": \"کوبا\"}\n{\"id\": \"j2\", \"text\": \"چین\"}\n"),
            )],
            args: &["extract", "in", "--out", "out", "--quiet"],
            docs: Some(&[("j1", "ok"), ("j2", "ok")]),
            ..CASE
        },
        Case {
            name: "bom_opening_stdin",
            stdin: Some("\u{FEFF}{\"id\": \"s1\", \"text\": \"کوبا\"}\n".as_bytes()),
            args: &["extract", "-", "--out", "out", "--quiet"],
            docs: Some(&[("s1", "ok")]),
            ..CASE
        },
        Case {
            name: "bom_opening_a_patterns_file",
            make: &[
                (
                    "p.jsonl",
                    Make::Text("\u{FEFF}{\"label\": \"ORG\", \"pattern\": \"Prensa Latina\", \"id\": \"prensa-latina\"}\n"),
                ),
                ("in/a.txt", Make::Text("according to Prensa Latina in Havana")),
            ],
            args: &["extract", "in", "--out", "out", "--patterns", "p.jsonl", "--quiet"],
            docs: Some(&[("a", "ok")]),
            after: Some(|ctx, _| {
                let mentions = ctx.read("out/mentions.jsonl");
                assert!(mentions.contains("organization:prensa-latina"), "{mentions}");
            }),
            ..CASE
        },
        Case {
            name: "bom_opening_a_gold_file",
            make: &[
                ("docs/d1.txt", Make::Text("سفر به کوبا")),
                (
                    "gold/d1.json",
                    Make::Text("\u{FEFF}{\"doc\": \"d1\", \"entities\": [{\"key\": \"CU\", \"type\": \"COUNTRY\", \"surfaces\": [\"کوبا\"], \"level\": \"must\"}], \"relations\": []}"),
                ),
            ],
            args: &["eval", "--gold", "gold", "docs", "--baseline", "none.json"],
            after: Some(|_, output| {
                let tables = String::from_utf8_lossy(&output.stdout);
                assert!(tables.contains("== gold set gold (1 document)"), "{tables}");
                assert!(has_row(&tables, "COUNTRY", &["1", "0", "0"]), "{tables}");
            }),
            ..CASE
        },
        Case {
            name: "bom_opening_a_conll_file",
            make: &[("g.conll", Make::Text("\u{FEFF}کوبا\tB-LOC\nو\tO\nچین\tB-LOC\n"))],
            args: &["eval", "--gold", "g.conll", "--map", "LOC=COUNTRY", "--baseline", "none.json"],
            after: Some(|_, output| {
                let tables = String::from_utf8_lossy(&output.stdout);
                assert!(has_row(&tables, "LOC", &["2", "2", "2"]), "{tables}");
            }),
            ..CASE
        },
        // 9. Extreme numbers.
        Case {
            name: "largest_document_limit",
            make: &[("in/a.txt", Make::Text(KUBA))],
            args: &["extract", "in", "--out", "out", "--max-document-bytes", "18446744073709551615", "--quiet"],
            docs: Some(&[("a", "ok")]),
            ..CASE
        },
        Case {
            name: "too_many_threads",
            make: &[("in/a.txt", Make::Text(KUBA))],
            args: &["extract", "in", "--out", "out", "--threads", "100000"],
            code: 2,
            stderr: &["'100000'", "--threads", "1..=1024"],
            ..CASE
        },
        // 10. A reader that goes away.
        Case {
            name: "lint_into_a_closed_pipe",
            args: &["gazetteer", "lint"],
            stdout: Stdout::Closed,
            code: 1,
            stderr: &["findings"],
            ..CASE
        },
        Case {
            name: "eval_into_a_closed_pipe",
            args: &["eval", "--gold", "{repo}/tests/gold/seed", "{repo}/tests/corpus/seed", "--baseline", "none.json"],
            stdout: Stdout::Closed,
            ..CASE
        },
        // 11. Document ids with `;` and a control character, in CSV and GraphML alike.
        Case {
            name: "ids_with_separators_and_control_characters",
            make: &[(
                "in/j.jsonl",
                Make::Text(concat!(
                    "{\"id\": \"d2;d3\", \"text\": \"Chinese President Xi Jinping met with Cuban President Miguel Díaz-Canel.\"}\n",
                    "{\"id\": \"x\\u0001y\", \"text\": \"Chinese President Xi Jinping met with Cuban President Miguel Díaz-Canel.\"}\n",
                )),
            )],
            args: &["extract", "in", "--out", "out", "--quiet"],
            docs: Some(&[("d2;d3", "ok"), ("x\u{1}y", "ok")]),
            after: Some(|ctx, _| {
                let edges = ctx.read("out/edges.csv");
                let row = edges
                    .lines()
                    .find(|l| l.contains(",met_with,"))
                    .unwrap_or_else(|| panic!("no met_with edge: {edges}"));
                assert!(row.ends_with(",d2\\;d3;x\u{FFFD}y"), "{row}");
                assert!(!edges.contains('\u{1}'));
                let graphml = ctx.read("out/graph.graphml");
                assert!(graphml.contains("d2\\;d3;x\u{FFFD}y"), "{graphml}");
            }),
            ..CASE
        },
        // 12. Gold that cannot be scored.
        Case {
            name: "gold_surface_not_in_the_text",
            make: &[
                ("docs/d1.txt", Make::Text(KUBA)),
                (
                    "gold/d1.json",
                    Make::Text("{\"doc\": \"d1\", \"entities\": [{\"key\": \"CU\", \"type\": \"COUNTRY\", \"surfaces\": [\"هاوانا\"], \"level\": \"must\"}], \"relations\": []}"),
                ),
            ],
            args: &["eval", "--gold", "gold", "docs", "--baseline", "none.json"],
            code: 2,
            stderr: &["gold/d1.json: entity 1 (CU): surface «هاوانا» does not occur in the text of d1"],
            ..CASE
        },
        // 13. One sentence of 50,000 tokens: linear, in time and in the size of the report.
        Case {
            name: "conll_sentence_of_50k_tokens",
            make: &[("g.conll", Make::Generated(long_conll_sentence))],
            args: &["eval", "--gold", "g.conll", "--map", "LOC=COUNTRY|REGION,PER=PERSON", "--baseline", "none.json"],
            after: Some(|_, output| {
                assert!(output.stdout.len() < 20 << 20, "{} bytes of report", output.stdout.len());
                let tables = String::from_utf8_lossy(&output.stdout);
                assert!(tables.contains("(1 sentences)"), "{}", &tables[..500.min(tables.len())]);
                assert!(tables.contains("not exactly right (6250)"));
            }),
            ..CASE
        },
        // 14. Equal names in different folders.
        Case {
            name: "equal_names_in_different_folders",
            make: &[
                ("in/a.txt", Make::Text(KUBA)),
                ("in/x/a.txt", Make::Text("کوبا")),
                ("in/x/a.jsonl", Make::Text("{\"text\": \"چین\"}\n")),
                ("in/x/y/a.txt", Make::Text("چین")),
            ],
            args: &["extract", "in", "--out", "out", "--quiet"],
            docs: Some(&[("a", "ok"), ("x/a:1", "ok"), ("x/a", "ok"), ("x/y/a", "ok")]),
            ..CASE
        },
        // Text that is not what it should be.
        Case {
            name: "invalid_utf8_mid_document",
            make: &[
                ("in/a.txt", Make::Text(KUBA)),
                ("in/b.txt", Make::Bytes(b"\xd9\x83\xd9\x88 \xff\xfe Cuba")),
                ("in/c.jsonl", Make::Bytes(b"{\"id\": \"j1\", \"text\": \"Cuba \xff\"}\n{\"id\": \"j2\", \"text\": \"Cuba\"}\n")),
            ],
            args: &["extract", "in", "--out", "out", "--quiet"],
            code: 1,
            stderr: &["document b failed: in/b.txt: not valid UTF-8 (first invalid byte at offset 5)"],
            docs: Some(&[
                ("a", "ok"),
                ("b", "not valid UTF-8 (first invalid byte at offset 5)"),
                ("c:1", "not valid UTF-8"),
                ("j2", "ok"),
            ]),
            ..CASE
        },
        Case {
            name: "bom_crlf_and_lone_cr_in_a_text_file",
            make: &[("in/a.txt", Make::Text("\u{FEFF}کوبا و چین\r\nچین\rکوبا\r\n"))],
            args: &["extract", "in", "--out", "out", "--quiet"],
            docs: Some(&[("a", "ok")]),
            after: Some(|ctx, _| {
                let found: Vec<String> = jsonl(&ctx.path("out/mentions.jsonl"))
                    .iter()
                    .map(|m| format!("{}:{}", m["start"], m["text"].as_str().unwrap_or("")))
                    .collect();
                assert_eq!(found, ["1:کوبا", "8:چین", "13:چین", "17:کوبا"]);
            }),
            ..CASE
        },
        Case {
            name: "nul_bytes",
            make: &[
                ("in/a.txt", Make::Text("کوبا\0چین\0")),
                ("in/b.jsonl", Make::Text("{\"id\": \"n\\u0000d\", \"text\": \"کوبا\\u0000چین\"}\n")),
            ],
            args: &["extract", "in", "--out", "out", "--quiet"],
            docs: Some(&[("a", "ok"), ("n\0d", "ok")]),
            ..CASE
        },
        Case {
            name: "empty_and_blank_files",
            make: &[
                ("in/a.txt", Make::Text(KUBA)),
                ("in/e.txt", Make::Text("")),
                ("in/w.txt", Make::Text(" \n\t\u{3000}\r\n")),
                ("in/x.jsonl", Make::Text("")),
                ("in/y.jsonl", Make::Text("\n\n  \n{\"id\": \"y\", \"text\": \" \"}\n")),
            ],
            args: &["extract", "in", "--out", "out", "--quiet"],
            code: 1,
            stderr: &["document e failed: in/e.txt: empty document"],
            docs: Some(&[
                ("a", "ok"),
                ("e", "empty document"),
                ("w", "empty document"),
                ("y", "empty document"),
            ]),
            ..CASE
        },
        Case {
            name: "one_letter_a_megabyte_long",
            make: &[
                ("in/a.txt", Make::Generated(|| vec![b'a'; 1 << 20])),
                ("in/b.txt", Make::Generated(|| "ب".repeat(1 << 19).into_bytes())),
            ],
            args: &["extract", "in", "--out", "out", "--quiet"],
            docs: Some(&[("a", "ok"), ("b", "ok")]),
            ..CASE
        },
        Case {
            name: "jsonl_with_a_malformed_line",
            make: &[(
                "in/j.jsonl",
                Make::Text("{\"id\": \"j1\", \"text\": \"کوبا\"}\n{broken\n{\"id\": \"j3\", \"text\": \"چین\"}"),
            )],
            args: &["extract", "in", "--out", "out", "--quiet"],
            code: 1,
            stderr: &["document j:2 failed: in/j.jsonl:2: invalid JSONL line: key must be a string at line 1 column 2"],
            docs: Some(&[("j1", "ok"), ("j:2", "invalid JSONL line"), ("j3", "ok")]),
            ..CASE
        },
        Case {
            name: "text_missing_null_number_or_array",
            make: &[(
                "in/j.jsonl",
                Make::Text(concat!(
                    "{\"id\": \"m1\"}\n",
                    "{\"id\": \"m2\", \"text\": null}\n",
                    "{\"id\": \"m3\", \"text\": 7}\n",
                    "{\"id\": \"m4\", \"text\": [\"کوبا\"]}\n",
                    "{\"id\": \"m5\", \"text\": \"کوبا\"}\n",
                    "\"کوبا\"\n",
                )),
            )],
            args: &["extract", "in", "--out", "out", "--quiet"],
            code: 1,
            stderr: &["document m3 failed: in/j.jsonl:3: invalid JSONL line: \"text\" must be a string"],
            docs: Some(&[
                ("m1", "invalid JSONL line: missing string \"text\""),
                ("m2", "invalid JSONL line: missing string \"text\""),
                ("m3", "invalid JSONL line: \"text\" must be a string"),
                ("m4", "invalid JSONL line: \"text\" must be a string"),
                ("m5", "ok"),
                ("j:6", "invalid JSONL line: not a JSON object"),
            ]),
            ..CASE
        },
        Case {
            name: "hundred_thousand_nested_brackets",
            make: &[(
                "in/j.jsonl",
                Make::Generated(|| {
                    let mut line = "[".repeat(100_000).into_bytes();
                    line.extend_from_slice("\n{\"id\": \"ok\", \"text\": \"کوبا\"}\n".as_bytes());
                    line
                }),
            )],
            args: &["extract", "in", "--out", "out", "--quiet"],
            code: 1,
            stderr: &["document j:1 failed: in/j.jsonl:1: invalid JSONL line: recursion limit exceeded"],
            docs: Some(&[("j:1", "recursion limit exceeded"), ("ok", "ok")]),
            ..CASE
        },
        Case {
            name: "documents_over_the_limit",
            make: &[
                ("in/a.txt", Make::Text("کوبا کوبا کوبا کوبا")),
                ("in/b.txt", Make::Text("کوبا")),
                ("in/j.jsonl", Make::Text("{\"text\": \"کوبا کوبا کوبا کوبا\"}\n{\"id\": \"j2\", \"text\": \"چین\"}\n")),
            ],
            args: &["extract", "in", "--out", "out", "--max-document-bytes", "30", "--quiet"],
            code: 1,
            stderr: &["document a failed: in/a.txt: document larger than 30 bytes"],
            docs: Some(&[
                ("a", "document larger than 30 bytes"),
                ("b", "ok"),
                ("j:1", "document larger than 30 bytes"),
                ("j2", "ok"),
            ]),
            ..CASE
        },
        Case {
            name: "dangling_symlink",
            make: &[
                ("in/a.txt", Make::Text(KUBA)),
                ("in/d.txt", Make::Link("nowhere.txt")),
                ("in/e.md", Make::Link("nowhere.md")),
            ],
            args: &["extract", "in", "--out", "out", "--quiet"],
            code: 1,
            stderr: &["document d failed: in/d.txt: cannot read: broken symbolic link"],
            docs: Some(&[("a", "ok"), ("d", "broken symbolic link (its target is missing)")]),
            ..CASE
        },
        // Unusable arguments.
        Case {
            name: "missing_input",
            args: &["extract", "no/such.txt", "--out", "out"],
            code: 2,
            stderr: &["newsgraph: no/such.txt: No such file or directory"],
            ..CASE
        },
        Case {
            name: "output_folder_is_a_file",
            make: &[("in/a.txt", Make::Text(KUBA)), ("out", Make::Text("x"))],
            args: &["extract", "in", "--out", "out"],
            code: 2,
            stderr: &["newsgraph: out: exists and is not a folder"],
            ..CASE
        },
        Case {
            name: "output_folder_is_read_only",
            make: &[
                ("in/a.txt", Make::Text(KUBA)),
                ("out", Make::Dir),
                ("out", Make::Mode(0o555)),
            ],
            args: &["extract", "in", "--out", "out"],
            user: User::Unprivileged,
            code: 2,
            stderr: &["newsgraph: out: cannot write in the output folder: Permission denied"],
            ..CASE
        },
        // Standard input that stops in the middle.
        Case {
            name: "stdin_with_a_half_line",
            stdin: Some("{\"id\": \"s1\", \"text\": \"کوبا\"}\n{\"id\": \"s2\", \"te".as_bytes()),
            args: &["extract", "-", "--out", "out", "--quiet"],
            code: 1,
            stderr: &["document stdin:2 failed: -:2: invalid JSONL line: EOF while parsing"],
            docs: Some(&[("s1", "ok"), ("stdin:2", "EOF while parsing")]),
            ..CASE
        },
        Case {
            name: "stdin_without_a_final_line_break",
            stdin: Some("{\"id\": \"s1\", \"text\": \"کوبا\"}\n{\"id\": \"s2\", \"text\": \"چین\"}".as_bytes()),
            args: &["extract", "-", "--out", "out", "--quiet"],
            docs: Some(&[("s1", "ok"), ("s2", "ok")]),
            ..CASE
        },
    ]
}

/// The folder of one case and what runs in it.
struct Ctx<'a> {
    case: &'a Case,
    dir: PathBuf,
    /// A run started by `before` that `after` finishes.
    background: Mutex<Option<Child>>,
}

impl Ctx<'_> {
    fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    fn command(&self, args: &[&str]) -> Command {
        let repo = env!("CARGO_MANIFEST_DIR");
        let args: Vec<String> = args.iter().map(|a| a.replace("{repo}", repo)).collect();
        let bin = env!("CARGO_BIN_EXE_newsgraph");
        let mut cmd = match self.case.user {
            User::Unprivileged if is_root() => {
                let mut cmd = Command::new("setpriv");
                cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", bin]);
                // Another user, without root's home and its compiled cache.
                for var in ["HOME", "XDG_CACHE_HOME", "NEWSGRAPH_CACHE_DIR"] {
                    cmd.env_remove(var);
                }
                cmd
            }
            _ => Command::new(bin),
        };
        cmd.args(args).current_dir(&self.dir);
        cmd
    }

    fn run_ok(&self, args: &[&str]) {
        let output = self.command(args).output().unwrap();
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    }
}

const WAITING_RUN_INPUT: &str = "{\"id\": \"s1\", \"text\": \"کوبا\"}\n";

fn start_a_run_that_waits_for_stdin(ctx: &Ctx) {
    let child = ctx
        .command(&["extract", "-", "--out", "out", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    *ctx.background.lock().unwrap() = Some(child);
    // It holds the folder once its staging folder is there.
    let deadline = Instant::now() + Duration::from_secs(30);
    while !hidden_entries(&ctx.path("out"))
        .iter()
        .any(|n| n.starts_with(".newsgraph-staging-"))
    {
        assert!(Instant::now() < deadline, "the first run did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn finish_the_waiting_run(ctx: &Ctx, _: &Output) {
    let mut child = ctx.background.lock().unwrap().take().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(WAITING_RUN_INPUT.as_bytes()).unwrap();
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "first run: {}", stderr(&output));
}

/// 50,000 tokens without a blank line; every «شی جین پینگ» is one of our PERSON mentions
/// against a gold PER «شی»: 6,250 spurious mentions, each reported with its sentence.
fn long_conll_sentence() -> Vec<u8> {
    let block = [
        ("شی", "B-PER"),
        ("جین", "O"),
        ("پینگ", "O"),
        ("کتاب", "O"),
        ("کوبا", "B-LOC"),
        ("خانه", "O"),
        ("Cuba", "B-LOC"),
        ("the", "O"),
    ];
    let mut out = String::new();
    for i in 0..50_000 {
        let (w, t) = block[i % block.len()];
        out.push_str(&format!("{w}\t{t}\n"));
    }
    out.into_bytes()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Whether the binary runs as `nobody` (setpriv exists, and `nobody` may reach the binary).
fn can_drop_root() -> bool {
    Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .args([env!("CARGO_BIN_EXE_newsgraph"), "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{}: {e}: {l}", path.display())))
        .collect()
}

/// Whether a table of `eval` has a row `name` whose first figures are `figures`.
fn has_row(tables: &str, name: &str, figures: &[&str]) -> bool {
    tables.lines().any(|l| {
        let cells: Vec<&str> = l.split_whitespace().collect();
        cells.first() == Some(&name) && cells.get(1..=figures.len()) == Some(figures)
    })
}

fn hidden_entries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default()
}

/// Every path under `dir` with its content (files), `<dir>`, or `-> target` (links).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .flatten()
    {
        let t = entry.file_type();
        let value = if t.is_symlink() {
            format!("-> {:?}", std::fs::read_link(entry.path()).ok())
        } else if t.is_dir() {
            "<dir>".to_string()
        } else if t.is_file() {
            let bytes = std::fs::read(entry.path()).unwrap_or_default();
            format!("{} bytes {:x}", bytes.len(), fnv(&bytes))
        } else {
            "<special>".to_string()
        };
        out.insert(entry.path().to_path_buf(), value);
    }
    out
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100000001b3)
    })
}

fn make(dir: &Path, rel: &str, what: Make) {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    match what {
        Make::Text(text) => std::fs::write(&path, text).unwrap(),
        Make::Bytes(bytes) => std::fs::write(&path, bytes).unwrap(),
        Make::Generated(f) => std::fs::write(&path, f()).unwrap(),
        Make::Dir => std::fs::create_dir_all(&path).unwrap(),
        Make::Fifo => {
            let status = Command::new("mkfifo").arg(&path).status().unwrap();
            assert!(status.success(), "mkfifo {}", path.display());
        }
        Make::Link(target) => std::os::unix::fs::symlink(target, &path).unwrap(),
        Make::Mode(mode) => {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap()
        }
    }
}

fn open_up(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755));
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            open_up(&entry.path());
        }
    }
}

/// Runs `cmd` to its end, failing when it takes longer than [`TIMEOUT`] (a hang).
fn run(mut cmd: Command, stdin: Option<&[u8]>, stdout: Stdout) -> Output {
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("start newsgraph");
    if stdout == Stdout::Closed {
        drop(child.stdout.take());
    }
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        let bytes = bytes.to_vec();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        });
    }
    // Read both pipes while waiting, so that a full pipe does not stop the child.
    let out_pipe = child.stdout.take();
    let err_pipe = child.stderr.take();
    let read = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            buf
        })
    };
    let out_reader = read(out_pipe.map(|p| Box::new(p) as Box<dyn std::io::Read + Send>));
    let err_reader = read(err_pipe.map(|p| Box::new(p) as Box<dyn std::io::Read + Send>));
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("hung: still running after {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Output {
        status,
        stdout: out_reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
    }
}

/// The text of the document a `documents.jsonl` row was read from, when the row's `source`
/// can be read back.
fn source_text(ctx: &Ctx, source: &str) -> Option<String> {
    if let Some((file, line)) = source.rsplit_once(':') {
        if let Ok(line) = line.parse::<usize>() {
            let bytes = if file == "-" {
                ctx.case.stdin?.to_vec()
            } else {
                std::fs::read(ctx.path(file)).ok()?
            };
            let line = bytes.split(|&b| b == b'\n').nth(line - 1)?;
            let line = std::str::from_utf8(line).ok()?.trim_end_matches('\r');
            let line = line.trim_start_matches('\u{FEFF}');
            let value: Value = serde_json::from_str(line).ok()?;
            return value["text"].as_str().map(str::to_string);
        }
    }
    std::fs::read_to_string(ctx.path(source)).ok()
}

/// Checks one case; returns what failed.
fn check(case: &Case, root: &Path) -> Result<(), String> {
    let dir = root.join(case.name);
    std::fs::create_dir_all(&dir).unwrap();
    let ctx = Ctx {
        case,
        dir: dir.clone(),
        background: Mutex::new(None),
    };
    for (rel, what) in case.make {
        make(&dir, rel, *what);
    }
    if case.user == User::Unprivileged && is_root() {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        let out = dir.join(case.out);
        if !out.exists() {
            std::fs::create_dir_all(&out).unwrap();
            std::os::unix::fs::chown(&out, Some(65534), Some(65534)).unwrap();
        }
    }
    if let Some(before) = case.before {
        before(&ctx);
    }
    let out_dir = dir.join(case.out);
    let before = snapshot(&out_dir);
    let output = run(ctx.command(case.args), case.stdin, case.stdout);
    let err = stderr(&output);
    let fail = |what: String| Err(format!("{what}\n--- stderr:\n{err}"));
    if output.status.code() != Some(case.code) {
        return fail(format!(
            "exit status {:?}, expected {}",
            output.status.code(),
            case.code
        ));
    }
    if err.contains("panicked") || err.contains("RUST_BACKTRACE") {
        return fail("panicked".into());
    }
    let message = if case.code == 2 {
        err.lines().next().unwrap_or("")
    } else {
        &err
    };
    for needle in case.stderr {
        if !message.contains(needle) {
            return fail(format!("the message does not say {needle:?}"));
        }
    }
    if case.code == 1 && case.args.first() == Some(&"extract") {
        // With --quiet, one line per failed document and nothing else.
        if let Some(line) = err.lines().find(|l| !l.starts_with("newsgraph: document ")) {
            return fail(format!("unexpected line {line:?}"));
        }
    }
    if let Some(after) = case.after {
        let result =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| after(&ctx, &output)));
        if let Err(e) = result {
            let text = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            return fail(format!("check failed: {text}"));
        }
    }
    match case.docs {
        None => {
            let after = snapshot(&out_dir);
            if after != before {
                return fail(format!(
                    "the output folder changed:\nbefore {before:#?}\nafter {after:#?}"
                ));
            }
        }
        Some(want) => {
            let mut names: Vec<String> = std::fs::read_dir(&out_dir)
                .map_err(|e| format!("{}: {e}", out_dir.display()))?
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            // The output files, and what the case put there itself (but leftovers of killed
            // runs, which must go).
            let mut expected: Vec<String> = OUTPUT_FILES.iter().map(|s| s.to_string()).collect();
            let prefix = format!("{}/", case.out);
            for (rel, _) in case.make {
                if let Some(first) = rel.strip_prefix(&prefix).and_then(|r| r.split('/').next()) {
                    if !first.starts_with('.') && !expected.iter().any(|e| e == first) {
                        expected.push(first.to_string());
                    }
                }
            }
            expected.sort();
            if names != expected {
                return fail(format!("the output folder holds {names:?}"));
            }
            let docs = jsonl(&out_dir.join("documents.jsonl"));
            let got: Vec<(String, String)> = docs
                .iter()
                .map(|d| {
                    let status = d["status"].as_str().unwrap_or("");
                    let what = if status == "ok" {
                        "ok"
                    } else {
                        d["error"].as_str().unwrap_or("?")
                    };
                    (
                        d["doc"].as_str().unwrap_or("?").to_string(),
                        what.to_string(),
                    )
                })
                .collect();
            let matches = got.len() == want.len()
                && got
                    .iter()
                    .zip(want)
                    .all(|((id, what), (wid, wwhat))| id == wid && what.contains(wwhat));
            if !matches {
                return fail(format!("documents.jsonl: {got:?}, expected {want:?}"));
            }
            if let Err(e) = complete(&ctx, &out_dir, &docs) {
                return fail(e);
            }
        }
    }
    // No stray file anywhere in the case's folder.
    for entry in walkdir::WalkDir::new(&dir).into_iter().flatten() {
        let name = entry.file_name().to_string_lossy();
        if name.starts_with(".newsgraph-") || name.ends_with(".tmp") {
            return fail(format!("stray {}", entry.path().display()));
        }
    }
    Ok(())
}

/// Every good document's output is complete: as many mention and relation rows as its
/// document row counts, and every mention's text is exactly its slice of the original.
fn complete(ctx: &Ctx, out_dir: &Path, docs: &[Value]) -> Result<(), String> {
    let mentions = jsonl(&out_dir.join("mentions.jsonl"));
    let relations = jsonl(&out_dir.join("relations.jsonl"));
    for d in docs.iter().filter(|d| d["status"] == "ok") {
        let id = &d["doc"];
        let mine: Vec<&Value> = mentions.iter().filter(|m| &m["doc"] == id).collect();
        if Some(mine.len() as u64) != d["mentions"].as_u64() {
            return Err(format!(
                "{id}: {} mention rows, documents.jsonl says {}",
                mine.len(),
                d["mentions"]
            ));
        }
        let rels = relations.iter().filter(|r| &r["doc"] == id).count();
        if Some(rels as u64) != d["relations"].as_u64() {
            return Err(format!(
                "{id}: {rels} relation rows, documents.jsonl says {}",
                d["relations"]
            ));
        }
        let Some(text) = d["source"].as_str().and_then(|s| source_text(ctx, s)) else {
            continue;
        };
        if Some(text.chars().count() as u64) != d["chars"].as_u64() {
            return Err(format!(
                "{id}: chars {} for a text of {}",
                d["chars"],
                text.chars().count()
            ));
        }
        for m in mine {
            let n = |k: &str| m[k].as_u64().unwrap_or(0) as usize;
            let by_bytes = text.get(n("byte_start")..n("byte_end"));
            let by_chars: String = text
                .chars()
                .skip(n("start"))
                .take(n("end") - n("start"))
                .collect();
            if by_bytes != m["text"].as_str() || Some(by_chars.as_str()) != m["text"].as_str() {
                return Err(format!("{id}: mention {m} is not its slice of the text"));
            }
        }
    }
    Ok(())
}

#[test]
fn bad_input() {
    let only = std::env::var("BAD_INPUT_CASE").ok();
    let root = tempfile::tempdir().unwrap();
    let unprivileged_ok = !is_root() || can_drop_root();
    let cases: Vec<Case> = cases()
        .into_iter()
        .filter(|c| only.as_deref().is_none_or(|o| o == c.name))
        .collect();
    assert!(!cases.is_empty(), "no case named {only:?}");
    let mut names: Vec<&str> = cases.iter().map(|c| c.name).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), cases.len(), "two cases with one name");
    let failures: Mutex<Vec<String>> = Mutex::new(Vec::new());
    // Two cases at a time: each runs the binary, which has threads of its own.
    let queue = Mutex::new(cases.iter());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let Some(case) = queue.lock().unwrap().next() else {
                    break;
                };
                if case.user == User::Unprivileged && !unprivileged_ok {
                    println!(
                        "SKIPPED: {}: needs a user without root's permissions (setpriv)",
                        case.name
                    );
                    continue;
                }
                let started = Instant::now();
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    check(case, root.path())
                }))
                .unwrap_or_else(|e| {
                    Err(e
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_else(|| "panicked".into()))
                });
                println!("{:>6.2} s  {}", started.elapsed().as_secs_f64(), case.name);
                if let Err(e) = result {
                    failures.lock().unwrap().push(format!("{}: {e}", case.name));
                }
            });
        }
    });
    // Give back what unprivileged cases chmod-ed away, so the folder can be removed.
    open_up(root.path());
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
