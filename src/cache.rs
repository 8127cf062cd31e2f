//! The compiled cache: a built gazetteer and automaton saved to a file, so that the next run
//! over the same data loads them instead of building them again.
//!
//! A cache file is named by its key: a 128-bit hash of the binary's build (its version and a
//! hash of the sources it was compiled from, see `build.rs`) and of every data file and
//! pattern file, name and contents. Any change to either gives another key, so a stale file
//! is never read; it is only left to age out. A file is written to a temporary name and
//! renamed, so a reader never sees half of one, and it carries a checksum of its payload, so a
//! damaged file is found before anything is decoded from it and is rebuilt.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use xxhash_rust::xxh3::Xxh3;

use crate::gazetteer::{DataFiles, Gazetteer};
use crate::scan::{self, Automaton, DoubleArray};

include!(concat!(env!("OUT_DIR"), "/build_id.rs"));

/// The first bytes of every cache file; the digit is the layout of the file, raised when the
/// header or what a section holds changes (5: the automaton's tables hold the lexicon names'
/// trie). The key already differs for each build; the digit makes a file of another layout
/// fail plainly rather than in decoding.
const MAGIC: &[u8; 16] = b"newsgraph-cache5";
/// The automaton's double array and its other tables, the gazetteer's entities and its other
/// tables are four sections, each with its length and checksum: the double array is checked
/// and decoded on a thread of its own while the rest is on the calling thread.
const SECTIONS: usize = 4;
const HEADER: usize = MAGIC.len() + 16 + SECTIONS * (8 + 16);
/// Cache files kept in a folder: the most recently used ones (each gazetteer a user switches
/// between, and each build), so that the folder does not grow with every data change.
const KEEP_FILES: usize = 8;
const EXTENSION: &str = "ngcache";
/// Files being written; one older than `ABANDONED` was left by a writer that was killed.
const PARTIAL_PREFIX: &str = ".partial-";
const ABANDONED: std::time::Duration = std::time::Duration::from_secs(3600);

/// Why a cache file could not be read or written. None of these stops a run: the pipeline is
/// built from the data files instead.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// The file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not a whole cache file of this key (truncated, damaged, or not one).
    #[error("{}: {reason}", path.display())]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

/// Where compiled caches are kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompiledCache {
    dir: PathBuf,
}

/// The identity of one build of one set of data files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct CacheKey(u128);

/// What a pipeline built with a cache did with it.
#[derive(Debug)]
pub enum CacheUse {
    /// The gazetteer and automaton were loaded from this file.
    Loaded(PathBuf),
    /// They were built from the data files; `saved` says whether the cache file was written
    /// and, when a file of that key was there but could not be used, `replaced` says why.
    Built {
        /// The file written, or why it could not be.
        saved: Result<PathBuf, CacheError>,
        /// Why an existing file of the same key was not used, if there was one.
        replaced: Option<CacheError>,
    },
}

pub(crate) struct LoadedParts {
    pub(crate) gazetteer: Gazetteer,
    pub(crate) automaton: Automaton,
}

impl CompiledCache {
    /// Caches kept in `dir` (created when the first cache is written).
    pub fn new(dir: impl Into<PathBuf>) -> CompiledCache {
        CompiledCache { dir: dir.into() }
    }

    /// The user's cache folder: `$NEWSGRAPH_CACHE_DIR`, else `$XDG_CACHE_HOME/newsgraph`,
    /// else `~/.cache/newsgraph`; `None` when none of them is set.
    pub fn user_default() -> Option<CompiledCache> {
        let var = |name| std::env::var_os(name).filter(|v| !v.is_empty());
        let dir = var("NEWSGRAPH_CACHE_DIR")
            .map(PathBuf::from)
            .or_else(|| var("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("newsgraph")))
            .or_else(|| var("HOME").map(|h| PathBuf::from(h).join(".cache/newsgraph")))?;
        Some(CompiledCache::new(dir))
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub(crate) fn path(&self, key: CacheKey) -> PathBuf {
        self.dir.join(format!("{:032x}.{EXTENSION}", key.0))
    }

    /// The parts saved under `key`: `Ok(None)` when there is no such file.
    pub(crate) fn load(&self, key: CacheKey) -> Result<Option<LoadedParts>, CacheError> {
        let path = self.path(key);
        let file = match std::fs::File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(CacheError::Io { path, source }),
        };
        // SAFETY: cache files are written whole under a temporary name and renamed into place,
        // never changed in place, so the mapped file does not change under the map (a file
        // removed or replaced while mapped stays mapped); what is in it is checked (length and
        // checksum) before anything is decoded from it. The gazetteer keeps the map to read
        // its entities in place.
        let map =
            unsafe { memmap2::MmapOptions::new().populate().map(&file) }.map_err(|source| {
                CacheError::Io {
                    path: path.clone(),
                    source,
                }
            })?;
        let map = Arc::new(map);
        let damaged = |reason: String| CacheError::Damaged {
            path: path.clone(),
            reason,
        };
        let [double_array, automaton, entities, tables] =
            sections(&map, key).map_err(|e| damaged(e.to_string()))?;
        let entities_at = offset_in(&map, entities.bytes);
        let (automaton, gazetteer) = std::thread::scope(|scope| {
            let double_array = scope.spawn(|| {
                checked(double_array)?;
                DoubleArray::decode(double_array.bytes)
                    .map_err(|e| format!("cannot decode the double array: {e}"))
            });
            let gazetteer = checked(entities).and_then(|()| {
                checked(tables)?;
                let bytes: Arc<dyn AsRef<[u8]> + Send + Sync> = map.clone();
                Gazetteer::from_cache(bytes, entities_at, tables.bytes)
                    .map_err(|e| format!("cannot decode the gazetteer: {e}"))
            });
            let tables = checked(automaton).and_then(|()| scan::Tables::decode(automaton.bytes));
            let double_array = double_array
                .join()
                .unwrap_or_else(|_| Err("decoding the double array panicked".to_string()));
            let automaton = tables.and_then(|t| Ok(Automaton::from_cache(t, double_array?)));
            (automaton, gazetteer)
        });
        let parts = LoadedParts {
            automaton: automaton.map_err(damaged)?,
            gazetteer: gazetteer.map_err(damaged)?,
        };
        // Recently used files are the ones kept (see `prune`); setting the time needs no write
        // access, only ownership, as when the file was opened again to set it.
        let _ = file.set_modified(std::time::SystemTime::now());
        Ok(Some(parts))
    }

    /// Saves `gazetteer` and `automaton` under `key`, atomically, and removes the least
    /// recently used files beyond the few kept.
    pub(crate) fn save(
        &self,
        key: CacheKey,
        gazetteer: &Gazetteer,
        automaton: &Automaton,
    ) -> Result<PathBuf, CacheError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| CacheError::Io { path, source }
        };
        std::fs::create_dir_all(&self.dir).map_err(io(&self.dir))?;
        let (entities, tables) = gazetteer.to_cache().map_err(|e| CacheError::Damaged {
            path: self.dir.clone(),
            reason: format!("cannot encode the gazetteer: {e}"),
        })?;
        let (double_array, automaton) = automaton.to_cache().map_err(|e| CacheError::Damaged {
            path: self.dir.clone(),
            reason: format!("cannot encode the automaton: {e}"),
        })?;
        let sections = [double_array, automaton, entities, tables];
        let mut file = tempfile::Builder::new()
            .prefix(PARTIAL_PREFIX)
            .tempfile_in(&self.dir)
            .map_err(io(&self.dir))?;
        let written = file
            .write_all(&header(key, &sections))
            .and_then(|()| sections.iter().try_for_each(|s| file.write_all(s)));
        written.map_err(io(file.path()))?;
        let path = self.path(key);
        file.persist(&path).map_err(|e| CacheError::Io {
            path: path.clone(),
            source: e.error,
        })?;
        self.prune();
        Ok(path)
    }

    /// Removes all but the most recently used cache files, and what a killed writer left
    /// behind. Best effort: another process may be doing the same.
    fn prune(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let now = std::time::SystemTime::now();
        let mut files: Vec<(std::time::SystemTime, PathBuf)> = Vec::new();
        for entry in entries.flatten() {
            let path = entry.path();
            let Some(modified) = entry.metadata().ok().and_then(|m| m.modified().ok()) else {
                continue;
            };
            let name = entry.file_name();
            if path.extension().is_some_and(|x| x == EXTENSION) {
                files.push((modified, path));
            } else if name.to_string_lossy().starts_with(PARTIAL_PREFIX)
                && now
                    .duration_since(modified)
                    .is_ok_and(|age| age > ABANDONED)
            {
                let _ = std::fs::remove_file(path);
            }
        }
        files.sort_by(|a, b| b.cmp(a));
        for (_, path) in files.iter().skip(KEEP_FILES) {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The key of `files` and `patterns` for this build.
pub(crate) fn key(files: &DataFiles, patterns: &[(String, String)]) -> CacheKey {
    key_for_build(BUILD_ID, files, patterns)
}

fn key_for_build(build: &str, files: &DataFiles, patterns: &[(String, String)]) -> CacheKey {
    let mut hasher = Xxh3::new();
    let mut part = |bytes: &[u8]| {
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    part(build.as_bytes());
    for (group, list) in [("data", files.all()), ("patterns", patterns)] {
        part(group.as_bytes());
        part(&(list.len() as u64).to_le_bytes());
        for (name, text) in list {
            part(name.as_bytes());
            part(text.as_bytes());
        }
    }
    CacheKey(hasher.digest128())
}

fn header(key: CacheKey, sections: &[Vec<u8>; SECTIONS]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&key.0.to_le_bytes());
    for section in sections {
        out.extend_from_slice(&(section.len() as u64).to_le_bytes());
        out.extend_from_slice(&xxhash_rust::xxh3::xxh3_128(section).to_le_bytes());
    }
    out
}

/// The sections of a cache file of `key`, once its header and lengths agree. Each section is
/// checked against its checksum on the thread that decodes it.
fn sections(bytes: &[u8], key: CacheKey) -> Result<[Section<'_>; SECTIONS], &'static str> {
    let (head, mut rest) = bytes
        .split_at_checked(HEADER)
        .ok_or("shorter than a cache header")?;
    let (magic, mut fields) = head.split_at(MAGIC.len());
    if magic != MAGIC {
        return Err("not a newsgraph cache file of this layout");
    }
    let mut take = |n: usize| {
        let (field, tail) = fields.split_at(n);
        fields = tail;
        field
    };
    let u128_of = |b: &[u8]| u128::from_le_bytes(b.try_into().expect("16 bytes"));
    if u128_of(take(16)) != key.0 {
        return Err("written for other data or another build");
    }
    let mut out = [Section::default(); SECTIONS];
    for section in &mut out {
        let len = u64::from_le_bytes(take(8).try_into().expect("8 bytes"));
        let checksum = u128_of(take(16));
        let len = usize::try_from(len).map_err(|_| "a section longer than memory")?;
        let (bytes, tail) = rest.split_at_checked(len).ok_or("truncated")?;
        rest = tail;
        *section = Section { bytes, checksum };
    }
    if !rest.is_empty() {
        return Err("bytes after the last section");
    }
    Ok(out)
}

#[derive(Clone, Copy, Default)]
struct Section<'a> {
    bytes: &'a [u8],
    checksum: u128,
}

/// Where `part`, a slice of `whole`, lies in it.
fn offset_in(whole: &[u8], part: &[u8]) -> std::ops::Range<usize> {
    let start = (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize);
    start..start + part.len()
}

fn checked(section: Section<'_>) -> Result<(), String> {
    if xxhash_rust::xxh3::xxh3_128(section.bytes) != section.checksum {
        return Err("checksum mismatch".to_string());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_changes_with_the_build_a_file_name_or_contents() {
        let mut files = DataFiles::default();
        files.insert("entities/a.tsv", "x");
        let base = key_for_build("b1", &files, &[]);
        assert_eq!(base, key_for_build("b1", &files, &[]));
        assert_ne!(base, key_for_build("b2", &files, &[]));
        let mut other = files.clone();
        other.insert("entities/a.tsv", "y");
        assert_ne!(base, key_for_build("b1", &other, &[]));
        let mut renamed = DataFiles::default();
        renamed.insert("entities/b.tsv", "x");
        assert_ne!(base, key_for_build("b1", &renamed, &[]));
        let patterns = [("p.jsonl".to_string(), "x".to_string())];
        assert_ne!(base, key_for_build("b1", &files, &patterns));
        // A file moved between the two lists is another key, too.
        assert_ne!(
            key_for_build("b1", &DataFiles::default(), &patterns),
            key_for_build(
                "b1",
                &{
                    let mut f = DataFiles::default();
                    f.insert("p.jsonl", "x");
                    f
                },
                &[]
            )
        );
    }

    #[test]
    fn sections_are_read_only_when_the_header_agrees() {
        let key = CacheKey(7);
        let parts = [
            b"double array".to_vec(),
            b"automaton".to_vec(),
            b"entities".to_vec(),
            b"tables".to_vec(),
        ];
        let mut file = header(key, &parts);
        for part in &parts {
            file.extend_from_slice(part);
        }
        let [d, a, e, g] = sections(&file, key).expect("whole");
        assert_eq!(
            [d.bytes, a.bytes, e.bytes, g.bytes],
            [&b"double array"[..], b"automaton", b"entities", b"tables"]
        );
        assert!(sections(&file, CacheKey(8)).is_err());
        assert!(sections(&file[..file.len() - 1], key).is_err());
        assert!(sections(&file[..10], key).is_err());
        let mut extended = file.clone();
        extended.push(0);
        assert!(sections(&extended, key).is_err());
        let mut flipped = file.clone();
        *flipped.last_mut().expect("payload") ^= 1;
        let [_, _, _, g] = sections(&flipped, key).expect("lengths agree");
        assert_eq!(checked(g).err().as_deref(), Some("checksum mismatch"));
    }
}
