//! The compiled cache as a user meets it: a second run loads what the first built and writes
//! the same bytes; a changed gazetteer or pattern file, or a damaged cache file, is never read
//! as if it were current; a cache that cannot be written costs a warning, not the run.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn newsgraph() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsgraph"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

fn extract(input: &Path, out: &Path, extra: &[&str]) -> Output {
    let out = newsgraph()
        .arg("extract")
        .arg(input)
        .arg("--out")
        .arg(out)
        .arg("-q")
        .args(extra)
        .output()
        .expect("run newsgraph");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn cache_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|x| x == "ngcache"));
    files.sort();
    files
}

fn assert_same_files(a: &Path, b: &Path) {
    for name in newsgraph::corpus::OUTPUT_FILES {
        let (x, y) = (std::fs::read(a.join(name)), std::fs::read(b.join(name)));
        assert!(
            x.as_ref().ok() == y.as_ref().ok() && x.is_ok(),
            "{name} differs"
        );
    }
}

/// A scratch folder, its cache folder, a two-document input in it, and the `--cache-dir`
/// arguments.
fn setup() -> (tempfile::TempDir, PathBuf, PathBuf, [String; 2]) {
    let work = tempfile::tempdir().expect("tempdir");
    let cache = work.path().join("cache");
    let docs = input(work.path());
    let cache_arg = ["--cache-dir".to_string(), cache.display().to_string()];
    (work, cache, docs, cache_arg)
}

fn input(dir: &Path) -> PathBuf {
    let path = dir.join("docs.jsonl");
    std::fs::write(
        &path,
        "{\"id\": \"d1\", \"text\": \"شی جین پینگ با میگل دیاز-کانل در پکن دیدار کرد.\"}\n\
         {\"id\": \"d2\", \"text\": \"Zorblax Quentin met Xi Jinping in Beijing.\"}\n",
    )
    .expect("write input");
    path
}

#[test]
fn a_second_run_loads_the_cache_and_writes_the_same_bytes() {
    let work = tempfile::tempdir().expect("tempdir");
    let cache = work.path().join("cache");
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let cache_arg = ["--cache-dir", cache.to_str().expect("UTF-8 path")];
    let (first, second, uncached) = (
        work.path().join("first"),
        work.path().join("second"),
        work.path().join("uncached"),
    );
    let built = extract(&docs, &first, &cache_arg);
    assert_eq!(stderr(&built), "");
    let files = cache_files(&cache);
    assert_eq!(files.len(), 1, "one cache file for the bundled data");
    let written = std::fs::read(&files[0]).expect("read cache");
    let loaded = extract(&docs, &second, &cache_arg);
    assert_eq!(stderr(&loaded), "");
    assert_eq!(cache_files(&cache), files, "loaded, not another file");
    assert_eq!(std::fs::read(&files[0]).expect("read cache"), written);
    extract(&docs, &uncached, &["--no-cache"]);
    assert_same_files(&first, &second);
    assert_same_files(&first, &uncached);
}

#[test]
fn a_damaged_cache_file_is_rebuilt_with_a_warning() {
    let (work, cache, docs, cache_arg) = setup();
    let cache_arg = cache_arg.each_ref().map(String::as_str);
    let reference = work.path().join("reference");
    extract(&docs, &reference, &["--no-cache"]);
    extract(&docs, &work.path().join("warm"), &cache_arg);
    let [file] = cache_files(&cache).try_into().expect("one cache file");
    let whole = std::fs::read(&file).expect("read cache");
    let mut flipped = whole.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x55;
    for (name, damaged) in [
        ("flipped", flipped),
        ("truncated", whole[..whole.len() - 100].to_vec()),
        ("header only", whole[..20].to_vec()),
        ("empty", Vec::new()),
    ] {
        std::fs::write(&file, &damaged).expect("damage the cache");
        let out = work.path().join(name.replace(' ', "-"));
        let run = extract(&docs, &out, &cache_arg);
        assert!(
            stderr(&run).contains("compiled cache not used, rebuilt"),
            "{name}: {}",
            stderr(&run)
        );
        assert_same_files(&reference, &out);
        let again = extract(&docs, &work.path().join("again"), &cache_arg);
        assert_eq!(stderr(&again), "", "{name}: the rebuilt file is whole");
    }
}

#[test]
fn changed_data_or_patterns_are_never_served_from_the_cache() {
    let (work, cache, docs, cache_arg) = setup();
    let cache_arg = cache_arg.each_ref().map(String::as_str);
    let mentions = |out: &Path| std::fs::read_to_string(out.join("mentions.jsonl")).expect("read");
    let gazetteers = work.path().join("gazetteers");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("gazetteers"),
        &gazetteers,
    );
    let gaz_arg = ["--gazetteers", gazetteers.to_str().expect("UTF-8 path")];
    let before = work.path().join("before");
    extract(&docs, &before, &[&cache_arg[..], &gaz_arg[..]].concat());
    assert!(!mentions(&before).contains("person:zorblax-quentin"));
    // A new row in a gazetteer file: a new key, and the new entity is found.
    let people = gazetteers.join("entities/people.tsv");
    let mut tsv = std::fs::read_to_string(&people).expect("read people.tsv");
    tsv.push_str("person:zorblax-quentin\tPERSON\tZorblax Quentin");
    tsv.push_str(&"\t".repeat(8));
    tsv.push('\n');
    std::fs::write(&people, tsv).expect("write people.tsv");
    let after = work.path().join("after");
    extract(&docs, &after, &[&cache_arg[..], &gaz_arg[..]].concat());
    assert!(mentions(&after).contains("person:zorblax-quentin"));
    assert_eq!(cache_files(&cache).len(), 2);
    // A pattern file is part of the key too, by name and contents.
    let patterns = work.path().join("patterns.jsonl");
    std::fs::write(
        &patterns,
        "{\"label\": \"PERSON\", \"pattern\": \"Quentin\", \"id\": \"person:quentin\"}\n",
    )
    .expect("write patterns");
    let pat_arg = ["--patterns", patterns.to_str().expect("UTF-8 path")];
    let with = work.path().join("with-patterns");
    extract(&docs, &with, &[&cache_arg[..], &pat_arg[..]].concat());
    std::fs::write(
        &patterns,
        "{\"label\": \"PERSON\", \"pattern\": \"Zorblax\", \"id\": \"person:zorblax\"}\n",
    )
    .expect("rewrite patterns");
    let changed = work.path().join("changed-patterns");
    extract(&docs, &changed, &[&cache_arg[..], &pat_arg[..]].concat());
    assert!(mentions(&with).contains("person:quentin"));
    assert!(!mentions(&changed).contains("person:quentin"));
    assert!(mentions(&changed).contains("person:zorblax"));
    assert_eq!(cache_files(&cache).len(), 4);
}

#[test]
fn a_cache_that_cannot_be_written_costs_a_warning_not_the_run() {
    let work = tempfile::tempdir().expect("tempdir");
    let docs = input(work.path());
    // A file where the folder should be: the folder cannot be made.
    let blocked = work.path().join("not-a-folder");
    std::fs::write(&blocked, "").expect("write file");
    let out = work.path().join("out");
    let run = extract(
        &docs,
        &out,
        &["--cache-dir", blocked.to_str().expect("UTF-8 path")],
    );
    assert!(
        stderr(&run).contains("cannot write the compiled cache"),
        "{}",
        stderr(&run)
    );
    let reference = work.path().join("reference");
    extract(&docs, &reference, &["--no-cache"]);
    assert_same_files(&reference, &out);
}

#[test]
fn no_cache_neither_reads_nor_writes() {
    let (work, cache, docs, _) = setup();
    let out = newsgraph()
        .env("NEWSGRAPH_CACHE_DIR", &cache)
        .args(["extract", "--no-cache", "-q", "--out"])
        .arg(work.path().join("out"))
        .arg(&docs)
        .output()
        .expect("run newsgraph");
    assert!(out.status.success());
    assert!(!cache.exists());
    // And the variable alone names the folder.
    let out = newsgraph()
        .env("NEWSGRAPH_CACHE_DIR", &cache)
        .args(["extract", "-q", "--out"])
        .arg(work.path().join("out2"))
        .arg(&docs)
        .output()
        .expect("run newsgraph");
    assert!(out.status.success());
    assert_eq!(cache_files(&cache).len(), 1);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

#[test]
fn a_loaded_gazetteer_holds_every_entity_it_was_built_with() {
    let work = tempfile::tempdir().expect("tempdir");
    let cache = newsgraph::CompiledCache::new(work.path());
    let files = newsgraph::DataFiles::embedded();
    let (built, _) = newsgraph::Pipeline::from_files_cached(&files, &[], &cache).expect("build");
    let (loaded, used) = newsgraph::Pipeline::from_files_cached(&files, &[], &cache).expect("load");
    assert!(matches!(used, newsgraph::CacheUse::Loaded(_)), "{used:?}");
    let (b, l) = (built.gazetteer(), loaded.gazetteer());
    assert_eq!(b.len(), l.len());
    // Looked up one by one (each decoded on first use), then all at once.
    for entity in b.entities() {
        let index = b.index_of(&entity.id);
        assert_eq!(l.index_of(&entity.id), index, "{}", entity.id);
        assert_eq!(index.map(|i| l.entity(i)), Some(entity));
    }
    assert_eq!(l.entities(), b.entities());
    assert_eq!(l.index_of("person:nobody-at-all"), None);
    assert_eq!(l.country("CN"), b.country("CN"));
    assert!(l.country("CN").is_some());
}
