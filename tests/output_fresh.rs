//! `output/` holds the committed result of the README's main command; this test fails when it
//! is out of date.

use std::path::Path;
use std::process::Command;

#[test]
fn committed_output_matches_the_main_command() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fresh = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .current_dir(root)
        .args(["extract", "tests/corpus", "--out"])
        .arg(fresh.path())
        .arg("--quiet")
        .status()
        .unwrap();
    assert!(status.success());
    let mut names: Vec<String> = std::fs::read_dir(fresh.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut stale = Vec::new();
    for name in &names {
        let committed = std::fs::read(root.join("output").join(name)).unwrap_or_default();
        let expected = std::fs::read(fresh.path().join(name)).unwrap();
        if committed != expected {
            stale.push(name.clone());
        }
    }
    assert!(
        stale.is_empty(),
        "output/ is out of date ({stale:?}); regenerate it with\n    cargo run --release -- extract tests/corpus --out output"
    );
}
