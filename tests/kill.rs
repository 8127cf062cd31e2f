//! Runs killed at random points (SIGKILL and SIGTERM), over and over, into one output folder:
//! each time the folder must hold exactly the complete files of the previous run or of the
//! killed one (compared with known-good outputs of both), and no temporary file once the
//! next run has started (after SIGTERM: at once).
//!
//! The input is the bundled corpus repeated into a JSONL file, `NEWSGRAPH_KILL_TEST_MB`
//! megabytes (default 3; the 100 works, slowly, in a debug build). Some runs sleep
//! between their final renames (`NEWSGRAPH_TEST_PAUSE_BEFORE_RENAME`) and are killed inside
//! that window. `NEWSGRAPH_KILL_TEST_SEED` repeats a sequence of delays.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use newsgraph::corpus::OUTPUT_FILES;

/// Milliseconds a run of the rename-window iterations sleeps before each final rename.
const PAUSE_MS: u64 = 30;

fn newsgraph(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsgraph"));
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

/// A small deterministic generator (xorshift64*), seeded from the clock unless given.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545F4914F6CDD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// The input: every bundled document, repeated into JSONL lines until `bytes`, then `extra`.
fn write_input(path: &Path, bytes: usize, extra: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut texts = Vec::new();
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "txt") {
            texts.push(std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let (mut written, mut n) = (0, 0);
    while written < bytes {
        for text in &texts {
            let line = serde_json::json!({"id": format!("d{n}"), "text": text}).to_string();
            writeln!(out, "{line}").unwrap();
            written += line.len() + 1;
            n += 1;
        }
    }
    writeln!(out, "{}", serde_json::json!({"id": "extra", "text": extra})).unwrap();
    out.flush().unwrap();
}

/// Each output file's length and hash: one run's set.
type Set = BTreeMap<String, (u64, u64)>;

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100000001b3)
    })
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The set the folder holds; fails unless it holds exactly the output files and `allowed`
/// hidden entries.
fn read_set(dir: &Path, allowed: &[String]) -> Result<Set, String> {
    let mut expected: Vec<String> = OUTPUT_FILES.iter().map(|s| s.to_string()).collect();
    expected.extend(allowed.iter().cloned());
    expected.sort();
    let names = entries(dir);
    if names != expected {
        return Err(format!("the folder holds {names:?}"));
    }
    Ok(OUTPUT_FILES
        .iter()
        .map(|name| {
            let bytes = std::fs::read(dir.join(name)).unwrap();
            (name.to_string(), (bytes.len() as u64, fnv(&bytes)))
        })
        .collect())
}

fn run_to_end(input: &Path, out: &Path) -> (Set, Duration) {
    let started = Instant::now();
    let output = newsgraph(&[
        "extract",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ])
    .output()
    .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let elapsed = started.elapsed();
    (read_set(out, &[]).unwrap(), elapsed)
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn terminate(child: &Child) {
    // SAFETY: kill(2) on the pid of a child this test started and has not reaped.
    let rc = unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    assert_eq!(rc, 0, "kill -TERM");
}

fn signal_of(status: &ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    status.signal()
}

fn staging_names(dir: &Path) -> Vec<String> {
    entries(dir)
        .into_iter()
        .filter(|n| n.starts_with(".newsgraph-staging-"))
        .collect()
}

/// Starts the next run the way a user would and checks the folder once it has started (it
/// has taken the lock, repaired the folder and made its staging folder, and waits for its
/// standard input): exactly one complete set, and nothing hidden but its own staging
/// folder. Then stops it with SIGTERM, which must leave nothing behind.
fn next_run_sees_one_set(out: &Path) -> Result<Set, String> {
    let before = staging_names(out);
    let mut child = newsgraph(&["extract", "-", "--out", out.to_str().unwrap(), "--quiet"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    let mine = std::cell::RefCell::new(String::new());
    wait_until("the next run to start", || {
        let names = staging_names(out);
        let commit = out.join(".newsgraph-commit").exists();
        match names.as_slice() {
            [one] if !before.contains(one) && !commit => {
                *mine.borrow_mut() = one.clone();
                true
            }
            _ => false,
        }
    });
    let seen = read_set(out, &[mine.borrow().clone()]);
    terminate(&child);
    let stdin = child.stdin.take();
    let output = child.wait_with_output().unwrap();
    drop(stdin);
    let status = output.status;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if status.code() != Some(143) {
        return Err(format!(
            "the next run, stopped by SIGTERM, exited with {status}"
        ));
    }
    let seen = seen?;
    let after = read_set(out, &[])?;
    if after != seen {
        return Err(format!(
            "the next run, stopped by SIGTERM, changed the output: {stderr}\n{seen:?}\n{after:?}"
        ));
    }
    Ok(seen)
}

#[test]
fn killed_runs_leave_one_complete_set() {
    let mb: usize = std::env::var("NEWSGRAPH_KILL_TEST_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let seed = std::env::var("NEWSGRAPH_KILL_TEST_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
                | 1
        });
    println!("NEWSGRAPH_KILL_TEST_SEED={seed} NEWSGRAPH_KILL_TEST_MB={mb}");
    let mut rng = Rng(seed);
    let tmp = tempfile::tempdir().unwrap();
    // Two inputs of the same size whose outputs differ (in their last document).
    let inputs: [PathBuf; 2] = [tmp.path().join("one.jsonl"), tmp.path().join("two.jsonl")];
    write_input(&inputs[0], mb << 20, "سفر به کوبا");
    write_input(&inputs[1], mb << 20, "دیدار با چین");
    let (ref0, t0) = run_to_end(&inputs[0], &tmp.path().join("ref0"));
    let (ref1, t1) = run_to_end(&inputs[1], &tmp.path().join("ref1"));
    assert_ne!(ref0, ref1);
    let refs = [ref0, ref1];
    let which = |set: &Set| refs.iter().position(|r| r == set);
    let run_time = t0.max(t1);
    println!("a complete run takes {run_time:?}");

    let out = tmp.path().join("out");
    let (first, _) = run_to_end(&inputs[0], &out);
    let mut state = which(&first).unwrap();
    let mut window_hits = 0;
    let mut committed = 0;
    const ROUNDS: usize = 16;
    for round in 0..ROUNDS {
        let target = 1 - state;
        let sigkill = round % 2 == 0;
        // Every fourth round aims at the final renames.
        let in_window = round % 4 >= 2;
        let mut cmd = newsgraph(&[
            "extract",
            inputs[target].to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ]);
        if in_window {
            cmd.env("NEWSGRAPH_TEST_PAUSE_BEFORE_RENAME", PAUSE_MS.to_string());
        }
        let mut child = cmd.spawn().unwrap();
        let delay = if in_window {
            wait_until("the commit point", || {
                out.join(".newsgraph-commit").exists()
            });
            Duration::from_millis(rng.below(PAUSE_MS * OUTPUT_FILES.len() as u64))
        } else {
            Duration::from_millis(rng.below(run_time.as_millis() as u64 * 11 / 10))
        };
        std::thread::sleep(delay);
        if sigkill {
            child.kill().unwrap();
        } else {
            terminate(&child);
        }
        let status = child.wait().unwrap();
        let how = if sigkill { "SIGKILL" } else { "SIGTERM" };
        let context = format!(
            "round {round}: {how} after {delay:?}{}, exit {status}",
            if in_window {
                " in the rename window"
            } else {
                ""
            }
        );
        let set = if sigkill {
            assert!(
                status.success() || signal_of(&status) == Some(libc::SIGKILL),
                "{context}"
            );
            if in_window && out.join(".newsgraph-commit").exists() {
                window_hits += 1;
            }
            next_run_sees_one_set(&out).unwrap_or_else(|e| panic!("{context}: {e}"))
        } else {
            // Stopped by our handler (143), by the default action before the handler was
            // installed, or finished before the signal came.
            assert!(
                status.success()
                    || status.code() == Some(143)
                    || signal_of(&status) == Some(libc::SIGTERM),
                "{context}"
            );
            // At once: one complete set and nothing else.
            read_set(&out, &[]).unwrap_or_else(|e| panic!("{context}: {e}"))
        };
        let now = which(&set).unwrap_or_else(|| panic!("{context}: a mix of two runs: {set:?}"));
        println!(
            "{context}: the folder holds run {}",
            if now == target { "new" } else { "previous" }
        );
        committed += usize::from(now == target);
        state = now;
    }
    assert!(
        window_hits > 0,
        "no SIGKILL landed between the final renames"
    );
    println!("{committed} of {ROUNDS} killed runs had passed their commit point; {window_hits} SIGKILLs between renames");
    // And a last complete run over whatever the kills left.
    let (last, _) = run_to_end(&inputs[1 - state], &out);
    assert_eq!(which(&last), Some(1 - state));
}
