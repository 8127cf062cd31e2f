//! Embeds the default gazetteers and rules (`gazetteers/`) into the binary, so that the tool
//! works from any folder without flags.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Every file under `dir` whose extension is one of `extensions`.
fn collect(dir: &Path, extensions: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, extensions, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| extensions.contains(&e))
        {
            out.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets this"));
    let data = root.join("gazetteers");
    println!("cargo:rerun-if-changed={}", data.display());
    let mut files = Vec::new();
    collect(&data, &["tsv", "toml", "jsonl", "txt"], &mut files);
    files.sort();
    let mut src = String::from("pub(crate) static EMBEDDED: &[(&str, &str)] = &[\n");
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let rel = file.strip_prefix(&data).expect("under data dir");
        let rel = rel.to_string_lossy().replace('\\', "/");
        writeln!(
            src,
            "    ({rel:?}, include_str!({:?})),",
            file.display().to_string()
        )
        .unwrap();
    }
    src.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets this")).join("embedded.rs");
    std::fs::write(out, src).expect("write embedded.rs");
    write_char_tables();
    write_build_id(&root);
}

/// A hash of everything the binary is built from (sources, manifest, lock file, this script):
/// the compiled cache is keyed by it, so a cache written by another build of newsgraph, whose
/// tables may have another layout or meaning, is never read.
fn write_build_id(root: &Path) {
    let mut files = Vec::new();
    println!("cargo:rerun-if-changed={}", root.join("src").display());
    collect(&root.join("src"), &["rs"], &mut files);
    for name in ["Cargo.toml", "Cargo.lock", "build.rs"] {
        files.push(root.join(name));
    }
    files.sort();
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let rel = file.strip_prefix(root).expect("under the manifest dir");
        let bytes = std::fs::read(file).unwrap_or_default();
        for part in [rel.to_string_lossy().as_bytes(), &bytes] {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
    }
    let id = format!(
        "pub(crate) const BUILD_ID: &str = \"{}-{:032x}\";\n",
        std::env::var("CARGO_PKG_VERSION").expect("cargo sets this"),
        hasher.digest128()
    );
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets this")).join("build_id.rs");
    std::fs::write(out, id).expect("write build_id.rs");
}

/// Character-class tables for the Arabic block (U+0600–U+06FF), the hot path of Persian
/// text: one array lookup instead of a binary search in the Unicode tables per character.
/// Computed here from the standard library's own classification, so they cannot disagree.
fn write_char_tables() {
    let mut src = String::from("/// `char::is_alphanumeric` of U+0600 + i.\n");
    src.push_str("pub(crate) const ARABIC_ALPHANUMERIC: [bool; 256] = [");
    for i in 0..256u32 {
        let c = char::from_u32(0x0600 + i).expect("the Arabic block is all scalar values");
        write!(src, "{},", c.is_alphanumeric()).unwrap();
    }
    src.push_str("];\n");
    src.push_str("/// `unicode_normalization::char::is_combining_mark` of U+0600 + i.\n");
    src.push_str("pub(crate) const ARABIC_COMBINING: [bool; 256] = [");
    for i in 0..256u32 {
        let c = char::from_u32(0x0600 + i).expect("the Arabic block is all scalar values");
        write!(
            src,
            "{},",
            unicode_normalization::char::is_combining_mark(c)
        )
        .unwrap();
    }
    src.push_str("];\n");
    let out =
        PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets this")).join("char_tables.rs");
    std::fs::write(out, src).expect("write char_tables.rs");
}
