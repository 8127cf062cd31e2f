//! Throughput per stage and end to end, and the cost of large gazetteers.
//!
//! ```text
//! cargo run --release --example bench -- [--gazetteers DIR] [--patterns FILE]... [--runs N] [FILE...]
//! cargo run --release --example bench -- --generated [N,N,...]
//! ```
//!
//! The first form loads the pipeline (the bundled data, or `--gazetteers` and `--patterns` as
//! `extract` takes them), reads the corpus (`.txt` files split into documents at blank lines,
//! `.jsonl` files one document a line; default `../shared/bench/*.txt` when present, else
//! `tests/corpus`), and prints, for one thread, the seconds and MB/s of each stage (the best of
//! `--runs` runs, default 3), of the graph, and of `extract` as a whole (extraction, every
//! output file written to a temporary folder); `write` is what the whole costs beyond the
//! stages.
//!
//! The second form builds a gazetteer of N generated person names (default 10,000, 100,000
//! and 1,000,000 aliases: first and last words of the names of `gazetteers/lexicons/people.txt`,
//! combined) on top of the bundled one, each size in a process of its own, and prints the
//! build time (wall and CPU, and the CPU time of the gazetteer tables and of the rules and
//! automaton apart) and the peak memory (`VmHWM`).

use std::path::{Path, PathBuf};
use std::time::Instant;

use newsgraph::corpus::{extract_to_dir, Options};
use newsgraph::input::Loaded;
use newsgraph::{
    thread_cpu_seconds, CacheUse, CompiledCache, DataFiles, Document, GazetteerBuilder, GraphPart,
    Pipeline, RuleSet, Scratch, Stage, StageTimes,
};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("--generated") => generated(args.get(1).map(String::as_str)),
        Some("--generated-one") => match args.get(1).and_then(|n| n.parse().ok()) {
            Some(n) => generated_one(n, args.get(2).map(Path::new)),
            None => Err("--generated-one N [CACHE_DIR]".into()),
        },
        Some("--load-one") => match (args.get(1).and_then(|n| n.parse().ok()), args.get(2)) {
            (Some(n), Some(dir)) => load_one(n, Path::new(dir)),
            _ => Err("--load-one N CACHE_DIR".into()),
        },
        _ => corpus(&args),
    };
    if let Err(e) = result {
        eprintln!("bench: {e}");
        std::process::exit(2);
    }
}

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn corpus(args: &[String]) -> Result<()> {
    let mut gazetteers: Option<PathBuf> = None;
    let mut patterns: Vec<(String, String)> = Vec::new();
    let mut runs = 3;
    let mut dump: Option<PathBuf> = None;
    let mut files: Vec<PathBuf> = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--gazetteers" => gazetteers = it.next().map(PathBuf::from),
            "--patterns" => {
                let file = it.next().ok_or("--patterns FILE")?;
                patterns.push((file.clone(), std::fs::read_to_string(file)?));
            }
            "--dump" => dump = Some(it.next().ok_or("--dump DIR")?.into()),
            "--runs" => runs = it.next().and_then(|n| n.parse().ok()).ok_or("--runs N")?,
            // `cargo bench` passes `--bench`.
            a if a.starts_with("--") => {}
            file => files.push(file.into()),
        }
    }
    if files.is_empty() {
        files = default_corpus();
    }
    let started = Instant::now();
    let data = match &gazetteers {
        Some(dir) => DataFiles::from_dir(dir)?,
        None => DataFiles::embedded(),
    };
    let pipeline = Pipeline::from_files(&data, &patterns)?;
    let load = started.elapsed().as_secs_f64();
    let docs = read_documents(&files)?;
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let mb = bytes as f64 / 1e6;
    println!(
        "corpus: {} file(s), {} documents, {mb:.2} MB; pipeline: {} patterns, loaded in {load:.2} s",
        files.len(),
        docs.len(),
        pipeline.pattern_count()
    );
    if let Some(dir) = dump {
        return write_dump(&pipeline, &docs, &dir);
    }

    let mut best: Option<(StageTimes, f64)> = None;
    let mut mentions = 0;
    for _ in 0..runs {
        let mut times = StageTimes::default();
        let mut scratch = Scratch::default();
        let mut graph_time = 0.0;
        let mut graph = GraphPart::default();
        mentions = 0;
        for doc in &docs {
            let extraction = pipeline.extract_timed(doc, &mut scratch, &mut times);
            mentions += extraction.mentions.len();
            let t = thread_cpu_seconds();
            graph.merge(GraphPart::from_document(
                pipeline.gazetteer(),
                doc,
                &extraction,
            ));
            graph_time += thread_cpu_seconds() - t;
        }
        std::hint::black_box(&graph);
        best = Some(match best {
            None => (times, graph_time),
            Some((b, g)) => (
                StageTimes(std::array::from_fn(|i| b.0[i].min(times.0[i]))),
                g.min(graph_time),
            ),
        });
    }
    let (times, graph_time) = best.ok_or("--runs must be at least 1")?;

    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    let (mut whole, mut whole_wall) = (f64::INFINITY, f64::INFINITY);
    for _ in 0..runs {
        let out = tempfile::tempdir()?;
        let loaded = docs.iter().map(|d| Loaded {
            id: d.id.clone(),
            origin: d.id.clone(),
            result: Ok(d.clone()),
        });
        let (t, cpu) = (Instant::now(), process_cpu_seconds());
        pool.install(|| extract_to_dir(&pipeline, loaded, out.path(), Options::default(), |_| {}))?;
        whole = whole.min(process_cpu_seconds() - cpu);
        whole_wall = whole_wall.min(t.elapsed().as_secs_f64());
    }

    println!("{mentions} mentions; one thread, CPU seconds, best of {runs}:");
    println!("{:<12} {:>9} {:>9}", "stage", "seconds", "MB/s");
    let row = |name: &str, s: f64| println!("{name:<12} {s:>9.3} {:>9.1}", mb / s);
    for stage in Stage::ALL {
        row(stage.name(), times.0[stage as usize]);
    }
    row("graph", graph_time);
    let stages: f64 = times.0.iter().sum::<f64>() + graph_time;
    row("write", (whole - stages).max(1e-9));
    row("end to end", whole);
    println!(
        "(end to end: {whole_wall:.3} s of wall time, {:.1} MB/s; CPU time is this process's, \
         without Graphviz)",
        mb / whole_wall
    );
    Ok(())
}

/// The CPU time (user and system) of this process so far, in seconds.
fn process_cpu_seconds() -> f64 {
    // SAFETY: getrusage writes into the zeroed struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 * 1e-6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

/// For `benches/anchor_pyahocorasick.py`: `aliases.txt`, every alias of the gazetteer
/// normalized, once; `corpus.txt`, each document normalized, one a line; `bytes.txt`, the
/// size of the original text. Normalized text is the skeleton with a space for each word
/// boundary and for a ZWNJ (which matching lets stand for a space), so a whole-word check on
/// it is the one newsgraph makes.
fn write_dump(pipeline: &Pipeline, docs: &[Document], dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let spaced = |text: &str| {
        newsgraph::text::Normalized::new(text)
            .to_spaced()
            .replace(['\u{200C}', '\n'], " ")
    };
    let mut aliases: Vec<String> = pipeline
        .gazetteer()
        .entities()
        .iter()
        .flat_map(|e| e.aliases.iter().map(|a| spaced(&a.text)))
        .filter(|a| !a.trim().is_empty())
        .collect();
    aliases.sort_unstable();
    aliases.dedup();
    std::fs::write(dir.join("aliases.txt"), aliases.join("\n") + "\n")?;
    let mut corpus = String::new();
    for doc in docs {
        corpus.push_str(&spaced(&doc.text));
        corpus.push('\n');
    }
    std::fs::write(dir.join("corpus.txt"), corpus)?;
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    std::fs::write(dir.join("bytes.txt"), format!("{bytes}\n"))?;
    println!(
        "{} aliases and {} documents written to {}",
        aliases.len(),
        docs.len(),
        dir.display()
    );
    Ok(())
}

/// `../shared/bench/*.txt` when present, else the bundled sample corpus.
fn default_corpus() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = txt_files(&root.join("../shared/bench"));
    if !shared.is_empty() {
        return shared;
    }
    ["tests/corpus/seed", "tests/corpus/en", "tests/corpus/dev"]
        .iter()
        .flat_map(|dir| txt_files(&root.join(dir)))
        .collect()
}

/// The `.txt` files of `dir`, sorted (none when it cannot be read).
fn txt_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
}

/// `.txt` files split at blank lines, `.jsonl` files one `{"text": ...}` a line.
fn read_documents(files: &[PathBuf]) -> Result<Vec<Document>> {
    let mut docs = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let stem = file
            .file_stem()
            .map_or(String::new(), |s| s.to_string_lossy().into_owned());
        if file.extension().is_some_and(|e| e == "jsonl") {
            for (i, line) in text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
            {
                let value: serde_json::Value = serde_json::from_str(line)
                    .map_err(|e| format!("{}:{}: {e}", file.display(), i + 1))?;
                let body = value["text"].as_str().unwrap_or_default();
                docs.push(Document::new(format!("{stem}:{}", i + 1), body));
            }
        } else {
            for (i, part) in text
                .split("\n\n")
                .filter(|d| !d.trim().is_empty())
                .enumerate()
            {
                docs.push(Document::new(format!("{stem}:{i}"), part));
            }
        }
    }
    Ok(docs)
}

fn generated(sizes: Option<&str>) -> Result<()> {
    let sizes: Vec<usize> = sizes
        .unwrap_or("10000,100000,1000000")
        .split(',')
        .map(|n| n.trim().replace('_', "").parse())
        .collect::<std::result::Result<_, _>>()?;
    let me = std::env::current_exe()?;
    println!(
        "{:>10} {:>10} {:>10} {:>10} {:>12} {:>12} {:>10} {:>14} {:>8} {:>10} {:>8} {:>10} {:>10}",
        "aliases",
        "patterns",
        "build s",
        "CPU s",
        "gazetteer s",
        "automaton s",
        "peak MiB",
        "gazetteer MiB",
        "save s",
        "cache MiB",
        "load s",
        "load CPU s",
        "load MiB"
    );
    let cache = tempfile::tempdir()?;
    for n in sizes {
        // Processes of their own, so each peak is its own: the build (which saves the
        // compiled cache), then a load from that cache.
        let mut line = String::new();
        for mode in ["--generated-one", "--load-one"] {
            let out = std::process::Command::new(&me)
                .arg(mode)
                .arg(n.to_string())
                .arg(cache.path())
                .output()?;
            if !out.status.success() {
                return Err(String::from_utf8_lossy(&out.stderr).into_owned().into());
            }
            line.push_str(String::from_utf8_lossy(&out.stdout).trim_end());
        }
        println!("{line}");
    }
    Ok(())
}

/// Builds the pipeline of `n` generated names and prints its build time and peak memory;
/// with `cache`, also saves the compiled cache there and prints the save time and size.
fn generated_one(n: usize, cache: Option<&Path>) -> Result<()> {
    let files = generated_files(n)?;
    // What `Pipeline::from_files` does, in two timed halves: the gazetteer tables, then the
    // rules and the automaton.
    let (started, cpu) = (Instant::now(), process_cpu_seconds());
    let mut builder = GazetteerBuilder::new();
    builder.add_files(&files);
    let gazetteer = builder.build()?;
    let gazetteer_cpu = process_cpu_seconds() - cpu;
    let gazetteer_peak = peak_rss_kib();
    let rules = RuleSet::from_files(&files)?;
    let pipeline = Pipeline::new(gazetteer, rules)?;
    let build = started.elapsed().as_secs_f64();
    let build_cpu = process_cpu_seconds() - cpu;
    let peak = peak_rss_kib();
    print!(
        "{n:>10} {:>10} {build:>10.2} {build_cpu:>10.2} {gazetteer_cpu:>12.2} {:>12.2} {:>10.1} {:>14.1}",
        pipeline.pattern_count(),
        build_cpu - gazetteer_cpu,
        peak as f64 / 1024.0,
        gazetteer_peak as f64 / 1024.0
    );
    if let Some(dir) = cache {
        let started = Instant::now();
        let path = pipeline.save_cached(&files, &[], &CompiledCache::new(dir))?;
        let size = std::fs::metadata(&path)?.len();
        print!(
            " {:>8.2} {:>10.1}",
            started.elapsed().as_secs_f64(),
            size as f64 / (1 << 20) as f64
        );
    }
    println!();
    Ok(())
}

/// Loads the pipeline of `n` generated names from the compiled cache in `dir`, and prints the
/// load's wall and CPU time and the process's peak memory.
fn load_one(n: usize, dir: &Path) -> Result<()> {
    let files = generated_files(n)?;
    let (started, cpu) = (Instant::now(), process_cpu_seconds());
    let (pipeline, used) = Pipeline::from_files_cached(&files, &[], &CompiledCache::new(dir))?;
    let (load, load_cpu) = (started.elapsed().as_secs_f64(), process_cpu_seconds() - cpu);
    if !matches!(used, CacheUse::Loaded(_)) {
        return Err(format!("the cache was not used: {used:?}").into());
    }
    println!(
        " {load:>10.2} {load_cpu:>10.2} {:>10.1}",
        peak_rss_kib() as f64 / 1024.0
    );
    // Freeing a million small allocations is not part of the load.
    std::mem::forget(pipeline);
    Ok(())
}

/// The bundled files plus `n` generated person names.
fn generated_files(n: usize) -> Result<DataFiles> {
    let people = DataFiles::embedded()
        .get("lexicons/people.txt")
        .ok_or("no lexicons/people.txt")?
        .to_string();
    let mut firsts: Vec<&str> = Vec::new();
    let mut lasts: Vec<&str> = Vec::new();
    for name in people.lines() {
        let words: Vec<&str> = name
            .trim_start_matches('\u{FEFF}')
            .split_whitespace()
            .collect();
        if let [first, .., last] = words.as_slice() {
            firsts.push(first);
            lasts.push(last);
        }
    }
    firsts.sort_unstable();
    firsts.dedup();
    lasts.sort_unstable();
    lasts.dedup();
    if firsts.len() * lasts.len() < n {
        return Err(format!("only {} names can be made", firsts.len() * lasts.len()).into());
    }
    // Every (first, last) pair once, in a scrambled but fixed order: i ↦ i·k mod total with k
    // coprime to the total visits each pair once.
    let total = firsts.len() * lasts.len();
    let step = (1..)
        .map(|k| 7919 * k + 1)
        .find(|&k| gcd(k, total) == 1)
        .unwrap_or(1);
    let mut tsv = String::from("id\ttype\tname_en\tname_fa\n");
    for i in 0..n {
        let pair = (i * step) % total;
        let (f, l) = (firsts[pair / lasts.len()], lasts[pair % lasts.len()]);
        tsv.push_str(&format!("person:generated-{i}\tPERSON\t\t{f} {l}\n"));
    }
    let mut files = DataFiles::embedded();
    files.insert("entities/generated.tsv", tsv);
    Ok(files)
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// The process's peak resident set (`VmHWM` of `/proc/self/status`), in KiB.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
