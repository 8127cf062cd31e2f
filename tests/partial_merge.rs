//! The map and reduce stages: any partition of the corpus into partials, combined and merged
//! in any order, gives the output files of one `extract`, byte for byte.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use newsgraph::corpus::{self, Options};
use newsgraph::export::OutputSet;
use newsgraph::input::{expand, Reader, DEFAULT_MAX_DOCUMENT_BYTES};
use newsgraph::partial::{
    documents_to_rows, extract_to_partial, merge_to_output, write_partial, Merged,
};
use newsgraph::Pipeline;
use proptest::prelude::*;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn read_dir(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("output folder")
        .map(|e| {
            let e = e.expect("entry");
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(e.path()).expect("output file"))
        })
        .collect();
    files.sort();
    files
}

/// Output files by name.
type Files = Vec<(String, Vec<u8>)>;

/// The pipeline, one `extract` over the corpus (its files), and one partial line a document.
fn fixture() -> &'static (Pipeline, Files, Vec<Vec<u8>>) {
    static FIXTURE: OnceLock<(Pipeline, Files, Vec<Vec<u8>>)> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let pipeline = Pipeline::embedded().expect("bundled data");
        let sources = expand(&[corpus()]).expect("corpus");
        let out = tempfile::tempdir().expect("temp dir");
        corpus::extract_to_dir(
            &pipeline,
            Reader::new(sources.clone(), DEFAULT_MAX_DOCUMENT_BYTES),
            out.path(),
            Options::default(),
            |_| {},
        )
        .expect("extract");
        let reference = read_dir(out.path());
        let mut partial = Vec::new();
        extract_to_partial(
            &pipeline,
            Reader::new(sources, DEFAULT_MAX_DOCUMENT_BYTES),
            0,
            None,
            &mut partial,
            |_| {},
        )
        .expect("partial");
        let lines: Vec<Vec<u8>> = partial
            .split_inclusive(|&b| b == b'\n')
            .map(<[u8]>::to_vec)
            .collect();
        (pipeline, reference, lines)
    })
}

fn combine(lines: &[&[u8]]) -> Vec<u8> {
    let mut merged = Merged::default();
    merged
        .read(Path::new("group"), &lines.concat()[..])
        .expect("partial lines");
    let mut out = Vec::new();
    write_partial(merged, &mut out).expect("in memory");
    out
}

/// Shuffles `groups` (partials) by `seed`, combines them two by two when `twice`, merges
/// them, and checks the files against `reference`, one `extract`'s.
fn merged_in_any_order_is_one_extract(
    pipeline: &Pipeline,
    reference: &Files,
    mut groups: Vec<Vec<u8>>,
    seed: u64,
    twice: bool,
) -> Result<(), TestCaseError> {
    let n = groups.len();
    for i in 0..n {
        groups.swap(i, (seed as usize).wrapping_add(i * 7) % n);
    }
    // Optionally combine the combined partials again, two by two.
    if twice {
        groups = groups
            .chunks(2)
            .map(|pair| combine(&pair.iter().map(|g| &g[..]).collect::<Vec<_>>()))
            .collect();
    }
    let mut merged = Merged::default();
    for (i, group) in groups.iter().enumerate() {
        merged
            .read(Path::new(&format!("part{i}")), &group[..])
            .expect("partial");
    }
    let out = tempfile::tempdir().expect("temp dir");
    let output = OutputSet::create(out.path(), &corpus::OUTPUT_FILES).expect("output set");
    merge_to_output(pipeline, merged, output, Options::default()).expect("merge");
    let got = read_dir(out.path());
    prop_assert_eq!(got.len(), reference.len());
    for ((name, bytes), (want_name, want)) in got.iter().zip(reference) {
        prop_assert_eq!(name, want_name);
        prop_assert!(bytes == want, "{} differs from one extract", name);
    }
    Ok(())
}

#[test]
fn one_partial_a_document_and_records_that_start_with_their_key() {
    let (_, _, lines) = fixture();
    let sources = expand(&[corpus()]).expect("corpus");
    assert_eq!(lines.len(), sources.len());
    for (i, line) in lines.iter().enumerate() {
        let prefix = format!("{{\"k\":\"d:{i:020}\"");
        assert!(line.starts_with(prefix.as_bytes()));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn any_partition_combined_in_any_order_gives_the_bytes_of_one_extract(
        order in Just((0..128usize).collect::<Vec<_>>()).prop_shuffle(),
        cuts in prop::collection::vec(0..128usize, 0..6),
        seed in any::<u64>(),
        twice in any::<bool>(),
    ) {
        let (pipeline, reference, lines) = fixture();
        let order: Vec<usize> = order.into_iter().filter(|&i| i < lines.len()).collect();
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % (order.len() + 1)).collect();
        cuts.extend([0, order.len()]);
        cuts.sort_unstable();
        cuts.dedup();
        // Each group of documents, in shuffled order, combined into one partial.
        let groups: Vec<Vec<u8>> = cuts
            .windows(2)
            .map(|w| {
                let group: Vec<&[u8]> = order[w[0]..w[1]].iter().map(|&i| &lines[i][..]).collect();
                combine(&group)
            })
            .collect();
        merged_in_any_order_is_one_extract(pipeline, reference, groups, seed, twice)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    /// As a Spark job runs it: contiguous slices of the input, each combined with its
    /// documents written as rows files (or kept as records), merged in any order.
    #[test]
    fn contiguous_slices_as_rows_files_give_the_bytes_of_one_extract(
        cuts in prop::collection::vec(0..128usize, 0..6),
        as_rows in prop::collection::vec(any::<bool>(), 8),
        seed in any::<u64>(),
        twice in any::<bool>(),
    ) {
        let (pipeline, reference, lines) = fixture();
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % (lines.len() + 1)).collect();
        cuts.extend([0, lines.len()]);
        cuts.sort_unstable();
        cuts.dedup();
        let work = tempfile::tempdir().expect("temp dir");
        let groups: Vec<Vec<u8>> = cuts
            .windows(2)
            .enumerate()
            .map(|(i, w)| {
                let mut merged = Merged::default();
                merged
                    .read(Path::new("slice"), &lines[w[0]..w[1]].concat()[..])
                    .expect("partial lines");
                if as_rows[i % as_rows.len()] {
                    documents_to_rows(&mut merged, &work.path().join(format!("rows{i}")))
                        .expect("rows files");
                }
                let mut out = Vec::new();
                write_partial(merged, &mut out).expect("in memory");
                out
            })
            .collect();
        merged_in_any_order_is_one_extract(pipeline, reference, groups, seed, twice)?;
    }
}

#[test]
fn rows_that_overlap_documents_or_rows_are_an_error() {
    let (_, _, lines) = fixture();
    let work = tempfile::tempdir().expect("temp dir");
    let mut rows = Merged::default();
    rows.read(Path::new("a"), &lines[0..3].concat()[..])
        .expect("slice");
    documents_to_rows(&mut rows, work.path()).expect("rows files");
    let mut partial = Vec::new();
    write_partial(rows, &mut partial).expect("in memory");
    let mut merged = Merged::default();
    merged.read(Path::new("doc"), &lines[1][..]).expect("one");
    let e = merged
        .read(Path::new("rows"), &partial[..])
        .expect_err("document 1 twice");
    assert!(e.to_string().contains("appears twice"), "{e}");
    let mut merged = Merged::default();
    merged.read(Path::new("rows"), &partial[..]).expect("rows");
    let e = merged
        .read(Path::new("again"), &partial[..])
        .expect_err("rows twice");
    assert!(e.to_string().contains("appears twice"), "{e}");
    let e = merged
        .read(Path::new("doc"), &lines[2][..])
        .expect_err("document 2 twice");
    assert!(e.to_string().contains("appears twice"), "{e}");
}

#[test]
fn a_partial_given_twice_is_an_error() {
    let (_, _, lines) = fixture();
    let mut merged = Merged::default();
    merged.read(Path::new("a"), &lines[0][..]).expect("first");
    let e = merged
        .read(Path::new("b"), &lines[0][..])
        .expect_err("twice");
    assert!(e.to_string().contains("appears twice"), "{e}");
}

/// Runs the binary with the words of `command`, then `paths`: its exit status and standard
/// output.
fn newsgraph(command: &str, paths: &[&Path]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .args(command.split_whitespace())
        .args(paths)
        .output()
        .expect("newsgraph runs");
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    (out.status.code(), stdout)
}

/// Writes `partial` to `NAME.jsonl` in `dir` and merges it into the folder `NAME`: the
/// merge's exit status and the files it wrote.
fn merge_into_folder(dir: &Path, name: &str, partial: &str) -> (Option<i32>, Files) {
    let file = dir.join(format!("{name}.jsonl"));
    std::fs::write(&file, partial).expect("partial");
    let out = dir.join(name);
    let (status, _) = newsgraph("merge -q --out", &[&out, &file]);
    (status, read_dir(&out))
}

#[test]
fn cli_map_and_reduce_with_a_bad_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        "{\"id\":\"a\",\"text\":\"شی جین پینگ با میگل دیاز-کانل دیدار کرد.\"}\nnot json\n{\"text\":\"چین و کوبا\"}\n",
    )
    .expect("input");
    let input = input.as_path();
    let reference = dir.path().join("reference");
    let (status, _) = newsgraph("extract -q --out", &[&reference, input]);
    assert_eq!(status, Some(1), "a bad line fails its document");
    let reference = read_dir(&reference);
    let (status, text) = newsgraph("extract --emit jsonl", &[input]);
    assert_eq!(status, Some(1));
    assert_eq!(
        text.lines().count(),
        3,
        "one line a document, the bad one too"
    );
    assert!(text
        .lines()
        .nth(1)
        .is_some_and(|l| l.contains("\\\"status\\\":\\\"error\\\"")));
    assert_eq!(
        merge_into_folder(dir.path(), "merged", &text),
        (Some(1), reference.clone())
    );
    let file = dir.path().join("p.jsonl");
    std::fs::write(&file, &text).expect("partial");
    // The combiner of a Spark task: document lines to a rows folder, one rows record.
    let rows = dir.path().join("rows");
    let (status, combined) = newsgraph("merge --emit jsonl --rows", &[&rows, &file]);
    assert_eq!(status, Some(0));
    assert!(!combined.contains("\"k\":\"d:"), "{combined}");
    assert_eq!(combined.matches("\"k\":\"r:").count(), 1, "{combined}");
    assert_eq!(
        merge_into_folder(dir.path(), "from-rows", &combined),
        (Some(1), reference.clone()),
        "the failed document still counts"
    );
    // The map stage writing the rows folder itself: graph records a document, one rows
    // record at the end, and the same output set once combined and merged.
    let rows = dir.path().join("extract-rows");
    let (status, mapped) = newsgraph("extract --emit jsonl --rows", &[&rows, input]);
    assert_eq!(status, Some(1), "a bad line fails its document");
    assert!(!mapped.contains("\"k\":\"d:"), "{mapped}");
    assert_eq!(mapped.matches("\"k\":\"r:").count(), 1, "{mapped}");
    assert!(mapped
        .lines()
        .last()
        .is_some_and(|l| l.starts_with("{\"k\":\"r:")));
    assert!(mapped
        .lines()
        .any(|l| l.starts_with("{\"k\":\"n:country:CN\"")));
    let file = dir.path().join("mapped.jsonl");
    std::fs::write(&file, &mapped).expect("partial");
    let (status, combined) = newsgraph("merge --emit jsonl", &[&file]);
    assert_eq!(status, Some(0));
    assert_eq!(
        merge_into_folder(dir.path(), "from-extract-rows", &combined),
        (Some(1), reference),
        "the failed document still counts"
    );
    // No documents: no rows folder and no rows record.
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "").expect("empty input");
    let none = dir.path().join("no-rows");
    let (status, mapped) = newsgraph("extract --emit jsonl --rows", &[&none, &empty]);
    assert_eq!(status, Some(0));
    assert!(mapped.is_empty());
    assert!(!none.exists());
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"k\":\"d:1\",\"doc\":7}\n").expect("bad partial");
    let out = Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .args(["merge", "--emit", "jsonl"])
        .arg(&bad)
        .output()
        .expect("merge");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("bad.jsonl:1: not a newsgraph partial record"));
}
