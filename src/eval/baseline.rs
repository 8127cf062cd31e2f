//! The regression baseline: the headline figure of every row of every table, per gold set,
//! kept in a committed JSON file (`tests/eval/baseline.json`).
//!
//! ```json
//! {
//!   "about": "...",
//!   "sets": {
//!     "dev": {
//!       "entities.all": { "COUNTRY": 0.93, "total": 0.88 },
//!       "relations.must": { "met_with": 0.5, "total": 0.4 }
//!     }
//!   }
//! }
//! ```
//!
//! The figure is F1 for the entity and relation tables and exact precision for CoNLL sets
//! (table `conll.precision`). [`check`] reports a drop when a figure is lower than the
//! baseline by more than [`TOLERANCE`], or when a row of the baseline with a figure above 0
//! is no longer in the report. Rows and sets new in the report are additions and pass; sets
//! of the baseline that the evaluation did not run are not checked.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{EvalError, Evaluation};

/// How much lower than the baseline a figure may be: the figures are deterministic, so
/// only float noise is tolerated.
pub const TOLERANCE: f64 = 1e-9;

/// What [`Baseline::to_json`] writes in the file's `about` field.
const ABOUT: &str = "Regression baseline of `newsgraph eval`: per gold set, table and row, the F1 \
(entities.*, relations.*) or the exact precision (conll.precision) that must not drop. \
Written by `cargo run -- eval --gold tests/gold tests/corpus --update-baseline`; \
checked by tests/eval_gate.rs.";

/// Figures per gold set, table and row.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    /// set → table → row → figure.
    pub sets: BTreeMap<String, BTreeMap<String, BTreeMap<String, f64>>>,
}

impl Baseline {
    /// The figures of `evaluation`.
    pub fn from_evaluation(evaluation: &Evaluation) -> Baseline {
        let mut baseline = Baseline::default();
        baseline.update(evaluation);
        baseline
    }

    /// Replaces the sets that `evaluation` scored with its figures; other sets stay.
    pub fn update(&mut self, evaluation: &Evaluation) {
        for (set, figures) in evaluation.figures() {
            let tables = self.sets.entry(set.to_string()).or_default();
            tables.clear();
            for (table, row, value) in figures {
                tables
                    .entry(table.to_string())
                    .or_default()
                    .insert(row.to_string(), value);
            }
        }
    }

    /// Parses a baseline file's text; `path` names it in errors.
    pub fn parse(path: &Path, text: &str) -> Result<Baseline, EvalError> {
        serde_json::from_str(text).map_err(|cause| EvalError::Json {
            path: path.to_path_buf(),
            cause,
        })
    }

    /// Reads a baseline file.
    pub fn read(path: &Path) -> Result<Baseline, EvalError> {
        let text = std::fs::read_to_string(path).map_err(|source| EvalError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Baseline::parse(path, &text)
    }

    /// The file's text: pretty JSON with sorted keys and a final newline.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct File<'a> {
            about: &'a str,
            sets: &'a BTreeMap<String, BTreeMap<String, BTreeMap<String, f64>>>,
        }
        let file = File {
            about: ABOUT,
            sets: &self.sets,
        };
        // Maps of strings to finite floats always serialize.
        let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Writes the file whole or not at all (a temporary file renamed into place).
    pub fn write(&self, path: &Path) -> Result<(), EvalError> {
        let io = |source| EvalError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".tmp");
        std::fs::write(&tmp, self.to_json()).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }
}

/// One figure lower than its baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct Drop {
    /// The gold set.
    pub set: String,
    /// The table (`entities.must`, ...).
    pub table: String,
    /// The row (`COUNTRY`, `met_with`, `total`).
    pub row: String,
    /// The baseline figure.
    pub baseline: f64,
    /// The figure now, or `None` when the row is gone.
    pub now: Option<f64>,
}

impl fmt::Display for Drop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {}: {:.4} -> ",
            self.set, self.table, self.row, self.baseline
        )?;
        match self.now {
            Some(now) => write!(f, "{now:.4}"),
            None => f.write_str("row gone"),
        }
    }
}

/// Every figure of `evaluation` that dropped below `baseline` (see the module documentation),
/// in set, table and row order.
pub fn check(evaluation: &Evaluation, baseline: &Baseline) -> Vec<Drop> {
    let mut drops = Vec::new();
    for (set, figures) in evaluation.figures() {
        let Some(tables) = baseline.sets.get(set) else {
            continue;
        };
        for (table, rows) in tables {
            for (row, &before) in rows {
                let now = figures
                    .iter()
                    .find(|(t, r, _)| t == table && r == row)
                    .map(|&(_, _, v)| v);
                let dropped = match now {
                    Some(now) => now < before - TOLERANCE,
                    None => before > TOLERANCE,
                };
                if dropped {
                    drops.push(Drop {
                        set: set.to_string(),
                        table: table.clone(),
                        row: row.clone(),
                        baseline: before,
                        now,
                    });
                }
            }
        }
    }
    drops
}

/// Reads the baseline at `path` (an empty one if the file does not exist), replaces the sets
/// that `evaluation` scored, and writes it back.
pub fn update_file(path: &Path, evaluation: &Evaluation) -> Result<Baseline, EvalError> {
    let mut baseline = if path.exists() {
        Baseline::read(path)?
    } else {
        Baseline::default()
    };
    baseline.update(evaluation);
    baseline.write(path)?;
    Ok(baseline)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::score::{Report, RoleSummary, Row, Table, Tables};

    fn report(name: &str, rows: &[(&str, usize, usize, usize)]) -> Report {
        let table = Table {
            rows: rows
                .iter()
                .map(|&(n, tp, fp, fn_)| Row::new(n, tp, fp, fn_))
                .collect(),
            total: Row::new("total", 1, 0, 0),
        };
        Report {
            name: name.into(),
            documents: 1,
            missing_documents: Vec::new(),
            entities: Tables {
                must: table.clone(),
                all: table,
            },
            entities_by_via: Vec::new(),
            relations: None,
            roles: RoleSummary::default(),
            missed_entities: Vec::new(),
            spurious_entities: Vec::new(),
            missed_relations: Vec::new(),
            spurious_relations: Vec::new(),
            role_mismatches: Vec::new(),
        }
    }

    fn eval(sets: Vec<Report>) -> Evaluation {
        Evaluation {
            sets,
            conll: Vec::new(),
        }
    }

    #[test]
    fn drops_gone_rows_and_additions() {
        let before = Baseline::from_evaluation(&eval(vec![
            report(
                "dev",
                &[
                    ("COUNTRY", 2, 0, 0),
                    ("PERSON", 1, 1, 0),
                    ("EVENT", 0, 1, 0),
                ],
            ),
            report("other", &[("COUNTRY", 1, 0, 0)]),
        ]));
        // (now, drops as "table row")
        let cases: [(Evaluation, &[&str]); 4] = [
            // Same figures, and a new row and a new set: no drop.
            (
                eval(vec![
                    report(
                        "dev",
                        &[
                            ("COUNTRY", 2, 0, 0),
                            ("PERSON", 1, 1, 0),
                            ("EVENT", 0, 1, 0),
                            ("PARTY", 0, 0, 1),
                        ],
                    ),
                    report("new", &[("COUNTRY", 0, 0, 1)]),
                ]),
                &[],
            ),
            // Better figures, and a row at 0 that went away: no drop.
            (
                eval(vec![report(
                    "dev",
                    &[("COUNTRY", 2, 0, 0), ("PERSON", 2, 0, 0)],
                )]),
                &[],
            ),
            // A lower figure in both views.
            (
                eval(vec![report(
                    "dev",
                    &[("COUNTRY", 2, 1, 0), ("PERSON", 1, 1, 0)],
                )]),
                &["entities.all COUNTRY", "entities.must COUNTRY"],
            ),
            // A row with a figure that is gone.
            (
                eval(vec![report("dev", &[("COUNTRY", 2, 0, 0)])]),
                &["entities.all PERSON", "entities.must PERSON"],
            ),
        ];
        for (now, want) in cases {
            let got: Vec<String> = check(&now, &before)
                .iter()
                .map(|d| format!("{} {}", d.table, d.row))
                .collect();
            assert_eq!(got, want);
        }
    }

    #[test]
    fn round_trips_and_updates_only_the_sets_run() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("baseline.json");
        let first = update_file(
            &path,
            &eval(vec![report("a", &[("COUNTRY", 1, 2, 0)]), report("b", &[])]),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(Baseline::read(&path).ok(), Some(first.clone()));
        let second = update_file(&path, &eval(vec![report("a", &[("PERSON", 1, 0, 0)])]))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(second.sets["b"], first.sets["b"]);
        assert!(second.sets["a"]["entities.all"].contains_key("PERSON"));
        assert!(!second.sets["a"]["entities.all"].contains_key("COUNTRY"));
        assert_eq!(second.sets["a"]["entities.all"]["total"], 1.0);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(text.starts_with("{\n  \"about\""), "{text}");
        assert!(text.ends_with("}\n"));
        let bad = Baseline::parse(Path::new("b.json"), "{\"sets\": 3}").expect_err("bad");
        assert!(bad.to_string().starts_with("b.json: "), "{bad}");
    }
}
