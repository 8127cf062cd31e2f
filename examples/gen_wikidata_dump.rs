//! Writes a synthetic Wikidata JSON dump, for benchmarking `newsgraph gazetteer
//! import-wikidata` (throughput and peak memory) without the real 100 GB file.
//!
//! ```text
//! cargo run --release --example gen_wikidata_dump -- ENTITIES OUT.json
//! ```
//!
//! The layout is the real one: a `[` line, one entity a line ending in `,`, a `]` line. The
//! entities look like Wikidata's (labels, descriptions and aliases in a dozen languages,
//! statements with qualifiers and references, sitelinks), about 2.5 KB a line, and mix like a
//! slice of it: 200 countries first, then 30 % people (P27, P39 with start and end times,
//! P102), 5 % cities, 2 % organizations, 0.1 % parties, 0.2 % offices (P1001 a country),
//! and the rest of no listed class (scholarly articles, taxa). Same arguments, same bytes.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write};

/// A small deterministic generator (xorshift64*), so the dump needs no random crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const LATIN: &[&str] = &[
    "ka", "ro", "mi", "sa", "le", "na", "to", "ri", "ve", "lo", "ma", "den", "han", "sur", "bel",
    "tor", "vin", "gal", "mor", "est",
];
const PERSIAN: &[&str] = &[
    "کا", "رو", "می", "سا", "لی", "نا", "تو", "ری", "وی", "لو", "ما", "دن", "هان", "سور", "بل",
    "تور", "وین", "گال", "مور", "است",
];
const LANGS: &[&str] = &[
    "de", "fr", "es", "it", "nl", "pl", "ru", "ar", "tr", "ja", "zh", "pt",
];

fn word(rng: &mut Rng, syllables: &[&str], capital: bool) -> String {
    let n = 2 + rng.below(2);
    let mut w: String = (0..n).map(|_| rng.pick(syllables)).collect();
    if capital {
        let mut chars = w.chars();
        if let Some(first) = chars.next() {
            w = first.to_uppercase().chain(chars).collect();
        }
    }
    w
}

fn name(rng: &mut Rng, words: usize) -> (String, String) {
    let mut en = Vec::new();
    let mut fa = Vec::new();
    for _ in 0..words {
        en.push(word(rng, LATIN, true));
        fa.push(word(rng, PERSIAN, false));
    }
    (en.join(" "), fa.join(" "))
}

fn item_value(qid: u64) -> String {
    format!(
        r#"{{"value":{{"entity-type":"item","numeric-id":{qid},"id":"Q{qid}"}},"type":"wikibase-entityid"}}"#
    )
}

fn time_snak(property: &str, year: u64) -> String {
    format!(
        r#"{{"snaktype":"value","property":"{property}","hash":"0f3a","datavalue":{{"value":{{"time":"+{year}-01-20T00:00:00Z","timezone":0,"before":0,"after":0,"precision":11,"calendarmodel":"http://www.wikidata.org/entity/Q1985727"}},"type":"time"}},"datatype":"time"}}"#
    )
}

fn statement(
    out: &mut String,
    rng: &mut Rng,
    property: &str,
    value: &str,
    datatype: &str,
    qualifiers: &str,
) {
    let _ = write!(
        out,
        r#"{{"mainsnak":{{"snaktype":"value","property":"{property}","hash":"{:016x}","datavalue":{value},"datatype":"{datatype}"}},"type":"statement","qualifiers":{{{qualifiers}}},"id":"Q$-{:016x}","rank":"normal","references":[{{"hash":"{:016x}","snaks":{{"P143":[{{"snaktype":"value","property":"P143","datavalue":{},"datatype":"wikibase-item"}}]}},"snaks-order":["P143"]}}]}}"#,
        rng.next(),
        rng.next(),
        rng.next(),
        item_value(328)
    );
}

fn claim(out: &mut String, property: &str, statements: &[String]) {
    if !out.ends_with('{') {
        out.push(',');
    }
    let _ = write!(out, r#""{property}":[{}]"#, statements.join(","));
}

fn item_statement(rng: &mut Rng, property: &str, qid: u64, qualifiers: &str) -> String {
    let mut s = String::new();
    statement(
        &mut s,
        rng,
        property,
        &item_value(qid),
        "wikibase-item",
        qualifiers,
    );
    s
}

enum Kind {
    Country(usize),
    Person,
    City,
    Organization,
    Party,
    Position,
    Other,
}

const COUNTRIES: usize = 200;
const FIRST_PARTY: u64 = 50_000_000;
const FIRST_POSITION: u64 = 60_000_000;

/// The `i`-th officially assigned ISO 3166-1 alpha-2 code.
fn iso(i: usize) -> String {
    let letters = b'A'..=b'Z';
    letters
        .clone()
        .flat_map(|a| {
            letters
                .clone()
                .map(move |b| String::from_utf8_lossy(&[a, b]).into_owned())
        })
        .filter(|code| newsgraph::is_alpha2(code))
        .nth(i)
        .unwrap_or_else(|| "ZZ".to_string())
}

fn entity(rng: &mut Rng, n: u64, kind: &Kind, blocks: u64) -> String {
    let qid = match kind {
        Kind::Country(i) => 1_000 + *i as u64,
        Kind::Party => FIRST_PARTY + n,
        Kind::Position => FIRST_POSITION + n,
        _ => 100_000 + n,
    };
    let words = match kind {
        Kind::Person => 2,
        Kind::Other => 5,
        _ => 1 + rng.below(3) as usize,
    };
    let (en, fa) = name(rng, words);
    let has_fa = !matches!(kind, Kind::Other) && rng.below(3) > 0;
    let mut line = format!(r#"{{"type":"item","id":"Q{qid}","labels":{{"#);
    let _ = write!(line, r#""en":{{"language":"en","value":"{en}"}}"#);
    if has_fa {
        let _ = write!(line, r#","fa":{{"language":"fa","value":"{fa}"}}"#);
    }
    for lang in LANGS {
        let _ = write!(line, r#","{lang}":{{"language":"{lang}","value":"{en}"}}"#);
    }
    line.push_str(r#"},"descriptions":{"#);
    for (i, lang) in LANGS.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        let _ = write!(
            line,
            r#""{lang}":{{"language":"{lang}","value":"{} {}"}}"#,
            word(rng, LATIN, false),
            word(rng, LATIN, false)
        );
    }
    line.push_str(r#"},"aliases":{"en":["#);
    let (alias_en, alias_fa) = name(rng, words + 1);
    let _ = write!(
        line,
        r#"{{"language":"en","value":"{alias_en}"}}],"fa":[{{"language":"fa","value":"{alias_fa}"}}]}},"claims":{{"#
    );
    let class = match kind {
        Kind::Country(_) => 6256,
        Kind::Person => 5,
        Kind::City => 515,
        Kind::Organization => 43229,
        Kind::Party => 7278,
        Kind::Position => 4164871,
        Kind::Other => 13442814,
    };
    let p31 = item_statement(rng, "P31", class, "");
    claim(&mut line, "P31", &[p31]);
    let country = 1_000 + rng.below(COUNTRIES as u64);
    match kind {
        Kind::Country(i) => {
            let mut s = String::new();
            statement(
                &mut s,
                rng,
                "P297",
                &format!(r#"{{"value":"{}","type":"string"}}"#, iso(*i)),
                "external-id",
                "",
            );
            claim(&mut line, "P297", &[s]);
        }
        Kind::Person => {
            let p27 = item_statement(rng, "P27", country, "");
            claim(&mut line, "P27", &[p27]);
            let mut held = Vec::new();
            for _ in 0..rng.below(3) {
                let from = 1950 + rng.below(60);
                let qualifiers = format!(
                    r#""P580":[{}],"P582":[{}]"#,
                    time_snak("P580", from),
                    time_snak("P582", from + 1 + rng.below(8))
                );
                // Offices are the entities n ≡ 371, 372 (mod 1000), parties n ≡ 370.
                let position = FIRST_POSITION + rng.below(blocks) * 1000 + 371 + rng.below(2);
                held.push(item_statement(rng, "P39", position, &qualifiers));
            }
            if !held.is_empty() {
                claim(&mut line, "P39", &held);
            }
            if rng.below(4) == 0 {
                let party = FIRST_PARTY + rng.below(blocks) * 1000 + 370;
                let p102 = item_statement(rng, "P102", party, "");
                claim(&mut line, "P102", &[p102]);
            }
            let birth = format!(
                r#"{{"value":{{"time":"+{}-03-01T00:00:00Z","timezone":0,"before":0,"after":0,"precision":11,"calendarmodel":"http://www.wikidata.org/entity/Q1985727"}},"type":"time"}}"#,
                1900 + rng.below(100)
            );
            let mut born = String::new();
            statement(&mut born, rng, "P569", &birth, "time", "");
            claim(&mut line, "P569", &[born]);
        }
        Kind::Position => {
            let p1001 = item_statement(rng, "P1001", country, "");
            claim(&mut line, "P1001", &[p1001]);
        }
        Kind::City | Kind::Organization | Kind::Party => {
            let p17 = item_statement(rng, "P17", country, "");
            claim(&mut line, "P17", &[p17]);
        }
        Kind::Other => {
            let author = 100_000 + rng.below(n + 1);
            let p50 = item_statement(rng, "P50", author, "");
            claim(&mut line, "P50", &[p50]);
        }
    }
    line.push_str(r#"},"sitelinks":{"#);
    for (i, lang) in LANGS.iter().take(1 + rng.below(6) as usize).enumerate() {
        if i > 0 {
            line.push(',');
        }
        let _ = write!(
            line,
            r#""{lang}wiki":{{"site":"{lang}wiki","title":"{en}","badges":[]}}"#
        );
    }
    line.push_str("}}");
    line
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(count), Some(path)) = (
        args.first().and_then(|n| n.parse::<u64>().ok()),
        args.get(1),
    ) else {
        eprintln!("usage: gen_wikidata_dump ENTITIES OUT.json");
        std::process::exit(2);
    };
    // Blocks of 1000 entities that hold a party and two offices.
    let blocks = (count.saturating_sub(373) / 1000 + 1).max(1);
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    out.write_all(b"[\n")?;
    let mut bytes = 2u64;
    for n in 0..count {
        let kind = if (n as usize) < COUNTRIES {
            Kind::Country(n as usize)
        } else {
            match n % 1000 {
                0..=299 => Kind::Person,
                300..=349 => Kind::City,
                350..=369 => Kind::Organization,
                370 => Kind::Party,
                371..=372 => Kind::Position,
                _ => Kind::Other,
            }
        };
        let line = entity(&mut rng, n, &kind, blocks);
        out.write_all(line.as_bytes())?;
        out.write_all(if n + 1 < count { b",\n" } else { b"\n" })?;
        bytes += line.len() as u64 + 2;
    }
    out.write_all(b"]\n")?;
    out.flush()?;
    eprintln!("{count} entities, {:.1} MB, in {path}", bytes as f64 / 1e6);
    Ok(())
}
