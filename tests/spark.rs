//! The Spark job (`scripts/spark_extract.py`) against one `extract`, byte for byte, with
//! `local[2]` and on a standalone cluster on 127.0.0.1: `scripts/test_spark.sh`.
//!
//! Needs Java and a Python that imports pyspark (`$NEWSGRAPH_PYTHON`, else `.venv/bin/python`,
//! else `python3`). Without them the test prints `SKIPPED: ...` and passes, unless
//! `NEWSGRAPH_REQUIRE_TOOLS` is set (to anything but empty or `0`), as CI does.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

fn tools_required() -> bool {
    std::env::var_os("NEWSGRAPH_REQUIRE_TOOLS").is_some_and(|v| !v.is_empty() && v != "0")
}

fn missing(message: &str) {
    assert!(
        !tools_required(),
        "NEWSGRAPH_REQUIRE_TOOLS is set and {message}"
    );
    let _ = writeln!(std::io::stderr(), "SKIPPED: {message}");
}

fn python() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Some(p) = std::env::var_os("NEWSGRAPH_PYTHON") {
        return p.into();
    }
    let venv = root.join(".venv/bin/python");
    if venv.is_file() {
        venv
    } else {
        "python3".into()
    }
}

fn works(program: &Path, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn spark_job_gives_the_bytes_of_one_extract() {
    let python = python();
    if !works(&python, &["-c", "import pyspark"]) {
        missing(&format!(
            "{} cannot import pyspark (pip install pyspark)",
            python.display()
        ));
        return;
    }
    if !works(Path::new("java"), &["-version"]) {
        missing("java not found (install openjdk-17-jre-headless)");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("bash")
        .arg(root.join("scripts/test_spark.sh"))
        .arg(env!("CARGO_BIN_EXE_newsgraph"))
        .arg(&python)
        .output()
        .expect("bash");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let _ = writeln!(std::io::stderr(), "{stdout}");
    assert!(
        out.status.success(),
        "scripts/test_spark.sh failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.matches("byte-identical").count(), 2, "{stdout}");
}
