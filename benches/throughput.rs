//! Extraction throughput on real Persian prose.
//!
//! ```text
//! cargo bench --bench throughput -- [FILE ...]
//! ```
//!
//! Each FILE is split into documents at blank lines (the layout of `../shared/bench/`); the
//! default is `../shared/bench/fars_news_1500.txt`. Reports MB/s for one thread (one reused
//! scratch, as each worker has) and for the whole rayon pool.

use std::time::Instant;

use newsgraph::{Document, Pipeline, Scratch};
use rayon::prelude::*;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let files = if args.is_empty() {
        vec![concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/bench/fars_news_1500.txt"
        )
        .to_string()]
    } else {
        args
    };
    let pipeline = Pipeline::embedded().expect("embedded gazetteers");
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            eprintln!(
                "skipping {file}: cannot read it (the benchmark corpus lives in ../shared/bench)"
            );
            continue;
        };
        let docs: Vec<Document> = text
            .split("\n\n")
            .filter(|d| !d.trim().is_empty())
            .enumerate()
            .map(|(i, d)| Document::new(i.to_string(), d))
            .collect();
        let mb = text.len() as f64 / 1e6;
        // Warm-up, then the best of three.
        let mut scratch = Scratch::default();
        let mut mentions = 0;
        for d in &docs {
            mentions += pipeline.extract_with(d, &mut scratch).mentions.len();
        }
        let best = |f: &dyn Fn() -> usize| {
            (0..3)
                .map(|_| {
                    let t = Instant::now();
                    std::hint::black_box(f());
                    t.elapsed().as_secs_f64()
                })
                .fold(f64::INFINITY, f64::min)
        };
        let one = best(&|| {
            let mut scratch = Scratch::default();
            docs.iter()
                .map(|d| pipeline.extract_with(d, &mut scratch).mentions.len())
                .sum()
        });
        let all = best(&|| {
            docs.par_iter()
                .map_init(Scratch::default, |s, d| {
                    pipeline.extract_with(d, s).mentions.len()
                })
                .sum()
        });
        println!(
            "{file}: {} documents, {mb:.1} MB, {mentions} mentions; 1 thread {:.1} MB/s; {} threads {:.1} MB/s",
            docs.len(),
            mb / one,
            rayon::current_num_threads(),
            mb / all
        );
    }
}
