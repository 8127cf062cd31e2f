//! BRAT standoff gold: a `.ann` file beside the `.txt` it annotates (document id = the
//! file stem). Fields are separated by a tab (shown here as `⇥`):
//!
//! ```text
//! T1⇥PERSON 0 11⇥Xi Jinping
//! T2⇥LOC 20 24;30 34⇥Latin America
//! R1⇥met_with Arg1:T1 Arg2:T3
//! ```
//!
//! - `T` lines are entities: a label (a newsgraph type, or a label of the `--map`), one or
//!   more `start end` fragments separated by `;` in **character** offsets (end exclusive),
//!   and the covered text, which must equal the fragments joined with a space (white space
//!   compared loosely). Every `T` is `must`.
//! - `R` lines are relations: the predicate and two arguments (`Arg1:` the subject, `Arg2:`
//!   the object, or any two arguments in that order). The contract's symmetric predicates
//!   compare unordered.
//! - `A`, `M`, `N`, `E`, `*` and `#` lines (attributes, normalizations, events, equivalences,
//!   notes) are ignored; any other line is an error naming the file and line.

use std::path::Path;

use super::gold::{GoldDocument, GoldEntity, GoldFormat, GoldRelation, Level};
use super::map::TypeMap;
use super::EvalError;

/// Reads `ann` and the `.txt` file beside it.
pub fn read(ann: &Path, map: &TypeMap) -> Result<GoldDocument, EvalError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| EvalError::Io { path, source }
    };
    let txt = ann.with_extension("txt");
    let annotations = std::fs::read_to_string(ann).map_err(io(ann))?;
    let text = std::fs::read_to_string(&txt).map_err(io(&txt))?;
    let doc = ann
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    // A byte order mark opening the annotations is not part of the first line. (One opening
    // the text stays: BRAT counts it as a character of the text.)
    let annotations = annotations.strip_prefix('\u{FEFF}').unwrap_or(&annotations);
    let mut gold = parse(ann, annotations, &doc, &text, map)?;
    gold.text_file = Some(txt.display().to_string());
    Ok(gold)
}

/// Parses the annotations `ann` of document `doc` whose text is `text`; `path` names the
/// `.ann` file in errors.
pub fn parse(
    path: &Path,
    ann: &str,
    doc: &str,
    text: &str,
    map: &TypeMap,
) -> Result<GoldDocument, EvalError> {
    // Byte offset of every character, and of the end: BRAT offsets count characters.
    let bytes: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let chars = bytes.len() - 1;
    let mut entities: Vec<GoldEntity> = Vec::new();
    // (T id, its first byte) for relations' evidence lines.
    let mut starts: Vec<(String, usize)> = Vec::new();
    let mut pending: Vec<(usize, String, String, String)> = Vec::new();
    for (n, line) in ann.lines().enumerate() {
        let line_no = n + 1;
        let err = |reason: String| EvalError::Line {
            path: path.to_path_buf(),
            line: line_no,
            reason,
        };
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let id = fields[0];
        match id.chars().next() {
            Some('T') => {
                let [_, spec, covered] = fields[..] else {
                    return Err(err(format!(
                        "a T line has 3 tab-separated fields (id, label and offsets, text), not {}",
                        fields.len()
                    )));
                };
                let (label_name, offsets) = spec
                    .split_once(' ')
                    .ok_or_else(|| err(format!("`{spec}` is not `LABEL START END`")))?;
                let label = map.resolve(label_name).ok_or_else(|| {
                    err(format!(
                        "unknown label `{label_name}`: use a newsgraph type or give --map {label_name}=TYPE"
                    ))
                })?;
                let mut pieces = Vec::new();
                let mut first = None;
                for fragment in offsets.split(';') {
                    let (start, end) = fragment
                        .trim()
                        .split_once(' ')
                        .and_then(|(s, e)| {
                            Some((s.parse::<usize>().ok()?, e.trim().parse::<usize>().ok()?))
                        })
                        .ok_or_else(|| err(format!("`{fragment}` is not `START END`")))?;
                    if start >= end || end > chars {
                        return Err(err(format!(
                            "span {start}..{end} is empty or past the end of the text ({chars} characters)"
                        )));
                    }
                    first.get_or_insert(bytes[start]);
                    pieces.push(&text[bytes[start]..bytes[end]]);
                }
                let surface = pieces.join(" ");
                if loose(&surface) != loose(covered) {
                    return Err(err(format!(
                        "the text `{covered}` is not what the offsets cover in the .txt (`{surface}`)"
                    )));
                }
                if entities.iter().any(|e| e.key == id) {
                    return Err(err(format!("duplicate id `{id}`")));
                }
                starts.push((id.to_string(), first.unwrap_or(0)));
                entities.push(GoldEntity {
                    key: id.to_string(),
                    label,
                    name_en: None,
                    surfaces: vec![surface],
                    level: Level::Must,
                    why: None,
                });
            }
            Some('R') => {
                if !(2..=3).contains(&fields.len()) {
                    return Err(err(format!(
                        "an R line has 2 tab-separated fields (id, predicate and arguments), not {}",
                        fields.len()
                    )));
                }
                let mut words = fields[1].split_whitespace();
                let predicate = words
                    .next()
                    .ok_or_else(|| err("no predicate".into()))?
                    .to_string();
                let args: Vec<&str> = words
                    .map(|w| w.split_once(':').map_or(w, |(_, target)| target))
                    .collect();
                let [subject, object] = args[..] else {
                    return Err(err(format!(
                        "a relation has two arguments (Arg1:T1 Arg2:T2), not {}",
                        args.len()
                    )));
                };
                pending.push((line_no, predicate, subject.to_string(), object.to_string()));
            }
            Some('A' | 'M' | 'N' | 'E' | '*' | '#') => {}
            _ => return Err(err(format!("unknown annotation `{id}`"))),
        }
    }
    let mut relations = Vec::with_capacity(pending.len());
    for (line_no, predicate, subject, object) in pending {
        for arg in [&subject, &object] {
            if !entities.iter().any(|e| &e.key == arg) {
                return Err(EvalError::Line {
                    path: path.to_path_buf(),
                    line: line_no,
                    reason: format!("argument `{arg}` is not a T annotation of the file"),
                });
            }
        }
        let evidence_line = starts
            .iter()
            .find(|(id, _)| *id == subject)
            .map(|&(_, byte)| 1 + text[..byte].matches('\n').count());
        relations.push(GoldRelation {
            // The scorer knows the predicate table; BRAT relations carry no symmetry.
            symmetric: false,
            predicate,
            subject,
            object,
            role: None,
            level: Level::Must,
            line: evidence_line,
            why: None,
        });
    }
    Ok(GoldDocument {
        doc: doc.to_string(),
        text_file: None,
        lang: None,
        published: None,
        text: Some(text.to_string()),
        entities,
        relations,
        format: GoldFormat::Brat,
        source: path.to_path_buf(),
    })
}

/// White space of any kind as one space: BRAT writes a line break inside a span as a space.
fn loose(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::EntityType;

    const TEXT: &str = "شی جین پینگ با میگل دیاز-کانل دیدار کرد.\nچین و کوبا";

    fn parse_ann(ann: &str) -> Result<GoldDocument, EvalError> {
        let map = TypeMap::parse("PER=PERSON,LOC=COUNTRY|REGION").unwrap_or_default();
        parse(Path::new("b/d.ann"), ann, "d", TEXT, &map)
    }

    #[test]
    fn reads_entities_relations_and_discontinuous_spans() {
        let ann = "T1\tPERSON 0 11\tشی جین پینگ\n\
                   T2\tPER 15 29\tمیگل دیاز-کانل\n\
                   T3\tLOC 41 44;47 51\tچین کوبا\n\
                   R1\tmet_with Arg1:T1 Arg2:T2\t\n\
                   A1\tNegation T1\n\
                   #1\tAnnotatorNotes T1\tnote\n\
                   R2\tvisited Arg1:T2 Arg2:T3\n";
        let gold = parse_ann(ann).unwrap_or_else(|e| panic!("{e}"));
        let got: Vec<(&str, &str, &[EntityType], &str)> = gold
            .entities
            .iter()
            .map(|e| {
                (
                    e.key.as_str(),
                    e.label.name.as_str(),
                    e.label.types.as_slice(),
                    e.surfaces[0].as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("T1", "PERSON", &[EntityType::Person][..], "شی جین پینگ"),
                ("T2", "PER", &[EntityType::Person][..], "میگل دیاز-کانل"),
                (
                    "T3",
                    "LOC",
                    &[EntityType::Country, EntityType::Region][..],
                    "چین کوبا"
                ),
            ]
        );
        assert_eq!(gold.relations.len(), 2);
        // Symmetry comes from the predicate table when scoring.
        assert!(!gold.relations[0].symmetric);
        assert_eq!(
            (
                gold.relations[1].subject.as_str(),
                gold.relations[1].object.as_str()
            ),
            ("T2", "T3")
        );
        assert!(!gold.relations[1].symmetric);
        assert_eq!(gold.relations[0].line, Some(1));
        assert_eq!(gold.text.as_deref(), Some(TEXT));
    }

    #[test]
    fn bad_lines_are_errors_with_their_line_number() {
        let cases = [
            (
                "T1\tPERSON 0 11\tشی جین پینگ\nT2\tPERSON 0 5\twrong",
                2,
                "is not what the offsets cover",
            ),
            ("T1\tPERSON 0 11", 1, "3 tab-separated fields"),
            ("\nT1\tPERSON 0 x\tشی", 2, "`0 x` is not `START END`"),
            ("T1\tPERSON 5 5\t", 1, "empty or past the end"),
            ("T1\tPERSON 0 999\tx", 1, "past the end"),
            ("T1\tGPE 0 11\tشی جین پینگ", 1, "unknown label `GPE`"),
            (
                "T1\tPERSON 0 11\tشی جین پینگ\nR1\tmet_with Arg1:T1 Arg2:T9",
                2,
                "`T9` is not a T annotation",
            ),
            ("R1\tmet_with Arg1:T1", 1, "two arguments"),
            ("X1\tfoo", 1, "unknown annotation `X1`"),
            (
                "T1\tPERSON 0 11\tشی جین پینگ\nT1\tPERSON 0 11\tشی جین پینگ",
                2,
                "duplicate id",
            ),
        ];
        for (ann, line, needle) in cases {
            let err = parse_ann(ann).expect_err(needle).to_string();
            assert!(err.starts_with(&format!("b/d.ann:{line}: ")), "{err}");
            assert!(err.contains(needle), "{needle}: {err}");
        }
    }

    #[test]
    fn reads_the_text_beside_the_annotations() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let ann = dir.path().join("doc-1.ann");
        std::fs::write(&ann, "T1\tCOUNTRY 41 44\tچین\n").unwrap_or_else(|e| panic!("{e}"));
        let missing = read(&ann, &TypeMap::new())
            .expect_err("no .txt")
            .to_string();
        assert!(missing.contains("doc-1.txt"), "{missing}");
        std::fs::write(dir.path().join("doc-1.txt"), TEXT).unwrap_or_else(|e| panic!("{e}"));
        let gold = read(&ann, &TypeMap::new()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(gold.doc, "doc-1");
        assert_eq!(gold.entities[0].surfaces, ["چین"]);
    }
}
