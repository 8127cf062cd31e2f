//! Gazetteer test cases: real sentences that pin what the gazetteers must and must not find.
//!
//! A gazetteer folder may carry `tests/*.tsv` (embedded in the binary like the rest of
//! `gazetteers/`). Each row is one case; [`run_cases`] extracts its sentence with a
//! [`Pipeline`] and checks the expectation. `newsgraph gazetteer test` runs them.
//!
//! # Format
//!
//! UTF-8, tab-separated, a header row naming the columns (any order), lines starting with `#`
//! are comments (also before the header), blank lines are ignored:
//!
//! | column | required | meaning |
//! | --- | --- | --- |
//! | `expect` | yes | `match` or `no-match` |
//! | `entity` | yes | a node id (`country:CN`); for `no-match` also `*`, any entity |
//! | `text` | yes | the exact surface, as written in `sentence` (letter forms, ZWNJ and all) |
//! | `sentence` | yes | a real sentence that contains `text` |
//! | `note` | no | why the case exists; ignored by the tool |
//!
//! - `match`: extracting `sentence` yields a mention of `entity` whose text is exactly
//!   `text`. "Of `entity`" means the mention's entity, the one written to `mentions.jsonl`:
//!   for an ambiguous alias, the candidate chosen by context, not just any candidate. Nested
//!   mentions and `via: coref` mentions count.
//! - `no-match`: no mention of `entity` (of any entity for `*`) overlaps any occurrence of
//!   `text` in `sentence`. Occurrences are plain substrings, so «چین» inside «چینی» is one:
//!   choose `text` to cover exactly the place that must stay empty (often the whole word).
//!
//! `entity` may be the id of a discovered name (`person:discovered.<slug>`), made from the name
//! itself, or of a composed body (`organization:army-sy`), made from its head and country.
//!
//! A row with an unknown `expect`, an unknown entity id, `*` in a `match` row, or a `text`
//! that does not occur in its `sentence` is invalid: it is reported as `file:line: reason` and
//! makes the run fail, like a failing case.

use std::fmt;

use crate::gazetteer::{read_tsv, DataFiles, RowError};
use crate::{Document, Extraction, Mention, Pipeline};

/// The folder of test-case files, relative to the gazetteer folder.
pub const CASES_FOLDER: &str = "tests/";

/// What a case expects of its sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// A mention of the entity whose text is exactly the case's text.
    Match,
    /// No mention of the entity overlapping the case's text.
    NoMatch,
}

impl Expect {
    /// The name used in case files: `match` or `no-match`.
    pub fn as_str(self) -> &'static str {
        match self {
            Expect::Match => "match",
            Expect::NoMatch => "no-match",
        }
    }
}

/// One test case: a row of a `tests/*.tsv` file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    /// The file, relative to the gazetteer folder.
    pub file: String,
    /// The 1-based line.
    pub line: usize,
    /// What the case expects.
    pub expect: Expect,
    /// The node id; `None` for `*` (any entity, `no-match` only).
    pub entity: Option<String>,
    /// The exact surface that must (or must not) be found.
    pub text: String,
    /// The sentence to extract.
    pub sentence: String,
    /// The reviewer's note (may be empty).
    pub note: String,
}

impl Case {
    fn entity_label(&self) -> &str {
        self.entity.as_deref().unwrap_or("*")
    }
}

/// A case whose expectation does not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseFailure {
    /// The case.
    pub case: Case,
    /// What was found instead, for a human.
    pub reason: String,
}

impl fmt::Display for CaseFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.case;
        write!(
            f,
            "{}:{}: {} {} «{}»: {} (sentence: «{}»)",
            c.file,
            c.line,
            c.expect.as_str(),
            c.entity_label(),
            c.text,
            self.reason,
            c.sentence
        )
    }
}

/// The outcome of [`run_cases`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaseReport {
    /// The case files read, in order.
    pub files: Vec<String>,
    /// The number of valid cases run.
    pub cases: usize,
    /// How many of them passed.
    pub passed: usize,
    /// Every failing case, in file and line order.
    pub failures: Vec<CaseFailure>,
    /// Every invalid row (`file:line: reason`), in file and line order.
    pub errors: Vec<RowError>,
}

impl CaseReport {
    /// True when every case passed and no row was invalid (also when there are no cases).
    pub fn is_success(&self) -> bool {
        self.failures.is_empty() && self.errors.is_empty()
    }

    /// A one-line summary: `63 cases in 3 files: 63 passed, 0 failed, 0 invalid rows`.
    pub fn summary(&self) -> String {
        format!(
            "{} cases in {} files: {} passed, {} failed, {} invalid rows",
            self.cases,
            self.files.len(),
            self.passed,
            self.failures.len(),
            self.errors.len()
        )
    }
}

/// Every invalid row and failure, one per line (`file:line: ...`), then the summary line.
impl fmt::Display for CaseReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for error in &self.errors {
            writeln!(f, "{error}")?;
        }
        for failure in &self.failures {
            writeln!(f, "{failure}")?;
        }
        write!(f, "{}", self.summary())
    }
}

/// Parses one case file. Invalid rows (bad `expect`, `*` in a `match` row, a `text` that is
/// not in its `sentence`, a missing column) are pushed to `errors` and skipped; entity ids are
/// checked by [`run_cases`], which knows the gazetteer.
pub fn parse_cases(file: &str, text: &str, errors: &mut Vec<RowError>) -> Vec<Case> {
    let mut cases = Vec::new();
    read_tsv(
        file,
        text,
        &["expect", "entity", "text", "sentence"],
        &["note"],
        errors,
        |line, columns, record| {
            let cell = |name: &str| columns.get(record, name);
            let expect = match cell("expect") {
                "match" => Expect::Match,
                "no-match" => Expect::NoMatch,
                other => {
                    return Err(format!("expect {other:?} is not match or no-match"));
                }
            };
            let entity = match cell("entity") {
                "" => return Err("empty entity".to_string()),
                "*" if expect == Expect::Match => {
                    return Err("entity * (any) is only allowed in no-match rows".to_string())
                }
                "*" => None,
                id => Some(id.to_string()),
            };
            let (text, sentence) = (cell("text"), cell("sentence"));
            if text.is_empty() {
                return Err("empty text".to_string());
            }
            if !sentence.contains(text) {
                return Err(format!(
                    "text «{text}» does not occur in the sentence (it must be copied exactly, letter forms and ZWNJ included)"
                ));
            }
            cases.push(Case {
                file: file.to_string(),
                line,
                expect,
                entity,
                text: text.to_string(),
                sentence: sentence.to_string(),
                note: cell("note").to_string(),
            });
            Ok(())
        },
    );
    cases
}

/// Runs every case of `files` (`tests/*.tsv`, in sorted order) with `pipeline`, which should
/// be built from the same files. Returns every failure and every invalid row, with counts.
pub fn run_cases(pipeline: &Pipeline, files: &DataFiles) -> CaseReport {
    let mut report = CaseReport::default();
    for (name, text) in files.matching(CASES_FOLDER, ".tsv") {
        report.files.push(name.to_string());
        for case in parse_cases(name, text, &mut report.errors) {
            if let Some(id) = &case.entity {
                // A discovered name's id is made from the name, in its own namespace; a
                // composed body's from its head and country.
                let gazetteer = pipeline.gazetteer();
                let made = id.contains(&format!(":{}", crate::gazetteer::DISCOVERED))
                    || gazetteer.composition().names_body(id);
                if !made && gazetteer.get(id).is_none() {
                    report.errors.push(RowError {
                        file: case.file.clone(),
                        line: case.line,
                        reason: format!("unknown entity id {id}"),
                    });
                    continue;
                }
            }
            report.cases += 1;
            match check(pipeline, &case) {
                Ok(()) => report.passed += 1,
                Err(reason) => report.failures.push(CaseFailure { case, reason }),
            }
        }
    }
    report
        .errors
        .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    report
}

/// Checks one case; the error is what was found instead.
fn check(pipeline: &Pipeline, case: &Case) -> Result<(), String> {
    let doc = Document::new(
        format!("{}:{}", case.file, case.line),
        case.sentence.as_str(),
    );
    let extraction = pipeline.extract(&doc);
    let names = |m: &Mention| {
        case.entity
            .as_deref()
            .is_none_or(|id| pipeline.entity(&extraction, m).id == id)
    };
    let describe = |ms: &[&Mention]| -> String {
        ms.iter()
            .map(|m| describe(pipeline, &extraction, &doc, m))
            .collect::<Vec<_>>()
            .join("; ")
    };
    // Byte ranges of every occurrence of the text in the sentence (overlapping ones too).
    let occurrences: Vec<(usize, usize)> = case
        .sentence
        .char_indices()
        .filter(|(i, _)| case.sentence[*i..].starts_with(&case.text))
        .map(|(i, _)| (i, i + case.text.len()))
        .collect();
    let overlaps = |m: &Mention| {
        occurrences
            .iter()
            .any(|&(s, e)| m.byte_start < e && s < m.byte_end)
    };
    match case.expect {
        Expect::Match => {
            if extraction
                .mentions
                .iter()
                .any(|m| names(m) && m.text(&doc) == case.text)
            {
                return Ok(());
            }
            let over: Vec<&Mention> = extraction.mentions.iter().filter(|m| overlaps(m)).collect();
            if over.is_empty() {
                let all: Vec<&Mention> = extraction.mentions.iter().collect();
                return Err(if all.is_empty() {
                    "nothing found: the sentence has no mention at all".to_string()
                } else {
                    format!(
                        "nothing found over «{}»; the sentence's mentions: {}",
                        case.text,
                        describe(&all)
                    )
                });
            }
            Err(format!("found instead: {}", describe(&over)))
        }
        Expect::NoMatch => {
            let wrong: Vec<&Mention> = extraction
                .mentions
                .iter()
                .filter(|m| names(m) && overlaps(m))
                .collect();
            if wrong.is_empty() {
                Ok(())
            } else {
                Err(format!("found {}", describe(&wrong)))
            }
        }
    }
}

/// `«text» entity-id (nested, via coref, candidates a, b) at chars 3..7`.
fn describe(pipeline: &Pipeline, extraction: &Extraction, doc: &Document, m: &Mention) -> String {
    let mut notes = Vec::new();
    if m.nested {
        notes.push("nested".to_string());
    }
    if m.via.as_str() != "gazetteer" {
        notes.push(format!("via {}", m.via.as_str()));
    }
    let candidates = extraction.candidates(m);
    if candidates.len() > 1 {
        let ids: Vec<&str> = extraction
            .candidates(m)
            .map(|c| extraction.entity(pipeline.gazetteer(), c).id.as_str())
            .collect();
        notes.push(format!("candidates {}", ids.join(", ")));
    }
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!(" ({})", notes.join(", "))
    };
    format!(
        "«{}» {}{notes} at chars {}..{}",
        m.text(doc),
        pipeline.entity(extraction, m).id,
        m.start,
        m.end
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bundled gazetteers pass every bundled case.
    #[test]
    fn embedded_cases_pass() {
        let files = DataFiles::embedded();
        let pipeline = Pipeline::from_files(&files, &[]).unwrap_or_else(|e| panic!("{e}"));
        let report = run_cases(&pipeline, &files);
        assert!(report.is_success(), "\n{report}");
        assert!(report.cases >= 60, "{}", report.summary());
    }

    const ENTITIES: &str = "id\ttype\tname_en\tname_fa\taliases\tshort\tcountry\n\
        country:CN\tCOUNTRY\tChina\tچین\t\t\t\n\
        country:CU\tCOUNTRY\tCuba\tکوبا\t\t\t\n\
        country:VN\tCOUNTRY\tVietnam\tویتنام\t\t\t\n\
        party:cpc\tPARTY\tCommunist Party of China\tحزب کمونیست چین\tحزب کمونیست\t\tCN\n\
        party:pcc\tPARTY\tCommunist Party of Cuba\tحزب کمونیست کوبا\tحزب کمونیست\t\tCU\n\
        person:xi\tPERSON\tXi Jinping\tشی جین پینگ\t\tشی\tCN\n";

    fn run(cases: &str) -> CaseReport {
        let mut files = DataFiles::default();
        files.insert("entities/t.tsv", ENTITIES);
        files.insert(
            "tests/t.tsv",
            format!("# comment\nexpect\tentity\ttext\tsentence\tnote\n{cases}"),
        );
        let pipeline = Pipeline::from_files(&files, &[]).unwrap_or_else(|e| panic!("{e}"));
        run_cases(&pipeline, &files)
    }

    /// (name, case rows, expected report lines before the summary)
    const RUNS: &[(&str, &str, &[&str])] = &[
        (
            "match",
            "match\tcountry:CN\tچين\tروابط چين و كوبا\tArabic yeh\n",
            &[],
        ),
        (
            "match resolved by context",
            "match\tparty:pcc\tحزب کمونیست\tدبیر اول حزب کمونیست و رئیس جمهور کوبا\t\n",
            &[],
        ),
        (
            "match of the wrong candidate",
            "match\tparty:cpc\tحزب کمونیست\tدبیر اول حزب کمونیست و رئیس جمهور کوبا\t\n",
            &["tests/t.tsv:3: match party:cpc «حزب کمونیست»: found instead: «حزب کمونیست» party:pcc (candidates party:pcc, party:cpc) at chars 9..20 (sentence: «دبیر اول حزب کمونیست و رئیس جمهور کوبا»)"],
        ),
        (
            "match inside a word fails",
            "match\tcountry:CN\tچین\tکالاهای چینی\t\n",
            &["tests/t.tsv:3: match country:CN «چین»: nothing found: the sentence has no mention at all (sentence: «کالاهای چینی»)"],
        ),
        (
            "match lists the sentence's mentions",
            "match\tcountry:CN\tچین\tکالاهای چینی در کوبا\t\n",
            &["tests/t.tsv:3: match country:CN «چین»: nothing found over «چین»; the sentence's mentions: «کوبا» country:CU at chars 16..20 (sentence: «کالاهای چینی در کوبا»)"],
        ),
        (
            "a coref short form matches",
            "match\tperson:xi\tشی\tشی جین پینگ گفت و شی افزود\t\n",
            &[],
        ),
        (
            "no-match",
            "no-match\tperson:xi\tشی\tاین شی ارزان است\t\nno-match\t*\tچینی\tکالاهای چینی\t\n",
            &[],
        ),
        (
            "no-match that fails",
            "no-match\tcountry:CN\tچینی\tچین و کالاهای چینی\t\nno-match\t*\tچین و\tچین و کالاهای چینی\t\n",
            &["tests/t.tsv:4: no-match * «چین و»: found «چین» country:CN at chars 0..3 (sentence: «چین و کالاهای چینی»)"],
        ),
        (
            "invalid rows",
            "maybe\tcountry:CN\tچین\tچین\t\n\
             match\t*\tچین\tچین\t\n\
             match\tcountry:XX\tچین\tچین\t\n\
             match\tcountry:CN\tچين\tچین\t\n\
             match\tcountry:CN\n",
            &[
                "tests/t.tsv:3: expect \"maybe\" is not match or no-match",
                "tests/t.tsv:4: entity * (any) is only allowed in no-match rows",
                "tests/t.tsv:5: unknown entity id country:XX",
                "tests/t.tsv:6: text «چين» does not occur in the sentence (it must be copied exactly, letter forms and ZWNJ included)",
                "tests/t.tsv:7: expected 5 tab-separated cells as in the header, found 2",
            ],
        ),
    ];

    #[test]
    fn runs() {
        for (name, cases, expected) in RUNS {
            let report = run(cases);
            let text = report.to_string();
            let lines: Vec<&str> = text.lines().collect();
            let (summary, body) = lines.split_last().unwrap_or((&"", &[]));
            assert_eq!(body, *expected, "case {name:?}");
            assert_eq!(*summary, report.summary(), "case {name:?}");
            assert_eq!(report.is_success(), expected.is_empty(), "case {name:?}");
            assert_eq!(
                report.passed + report.failures.len(),
                report.cases,
                "case {name:?}"
            );
        }
    }

    #[test]
    fn no_case_files_is_success() {
        let mut files = DataFiles::default();
        files.insert("entities/t.tsv", ENTITIES);
        let pipeline = Pipeline::from_files(&files, &[]).unwrap_or_else(|e| panic!("{e}"));
        let report = run_cases(&pipeline, &files);
        assert!(report.is_success());
        assert_eq!(
            report.summary(),
            "0 cases in 0 files: 0 passed, 0 failed, 0 invalid rows"
        );
    }

    #[test]
    fn the_no_match_failure_names_the_mention() {
        let report = run("no-match\tcountry:CN\tچینی\tچین و کالاهای چینی\t\n");
        assert!(report.is_success(), "{report}");
        let report = run("no-match\tcountry:CN\tچین\tچین و کالاهای چینی\t\n");
        assert_eq!(report.failures.len(), 1);
        assert_eq!(
            report.failures[0].reason,
            "found «چین» country:CN at chars 0..3"
        );
    }
}
