//! The set of data files (gazetteers, morphology tables, rules) the pipeline is built from.

use std::path::{Path, PathBuf};

use super::DataError;

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// The text files of a gazetteer folder, keyed by their path relative to the folder (with
/// `/` separators), in sorted order.
///
/// [`DataFiles::embedded`] gives the defaults compiled into the binary from the repository's
/// `gazetteers/` folder; [`DataFiles::from_dir`] reads a folder of the same layout.
#[derive(Clone, Debug, Default)]
pub struct DataFiles {
    files: Vec<(String, String)>,
}

impl DataFiles {
    /// Fails, naming `dir`, when these files hold no `entities/*.tsv`: a folder without an
    /// entity file is a wrong path, not an empty gazetteer (a typo in `--gazetteers` must not
    /// give a run that finds nothing and exits 0).
    pub fn require_entities(&self, dir: &Path) -> Result<(), DataError> {
        if self.matching("entities/", ".tsv").next().is_some() {
            return Ok(());
        }
        Err(DataError::Io {
            path: dir.join("entities"),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "a gazetteer folder needs at least one entities/*.tsv file",
            ),
        })
    }

    /// The gazetteers and rules built into the binary.
    pub fn embedded() -> DataFiles {
        DataFiles {
            files: EMBEDDED
                .iter()
                .map(|(name, text)| (name.to_string(), text.to_string()))
                .collect(),
        }
    }

    /// Reads every `.tsv`, `.toml`, `.jsonl` and `.txt` file under `dir`.
    ///
    /// Fails when the folder cannot be read or a file is not valid UTF-8, naming the file.
    pub fn from_dir(dir: &Path) -> Result<DataFiles, DataError> {
        let paths: Vec<PathBuf> = crate::walk::files_under(dir)
            .map_err(|(path, source)| DataError::Io { path, source })?
            .into_iter()
            .filter(|p| {
                matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("tsv" | "toml" | "jsonl" | "txt")
                )
            })
            .collect();
        let mut files = Vec::with_capacity(paths.len());
        for path in paths {
            let bytes = std::fs::read(&path).map_err(|source| DataError::Io {
                path: path.clone(),
                source,
            })?;
            let text = String::from_utf8(bytes).map_err(|e| DataError::Io {
                path: path.clone(),
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
                ),
            })?;
            let rel = path.strip_prefix(dir).unwrap_or(&path);
            let rel = rel.to_string_lossy().replace('\\', "/");
            files.push((rel, text));
        }
        Ok(DataFiles { files })
    }

    /// Adds or replaces one file (used by tests and for files given on the command line).
    pub fn insert(&mut self, name: impl Into<String>, text: impl Into<String>) {
        let name = name.into();
        let text = text.into();
        match self.files.binary_search_by(|(n, _)| n.as_str().cmp(&name)) {
            Ok(i) => self.files[i].1 = text,
            Err(i) => self.files.insert(i, (name, text)),
        }
    }

    /// Removes the file at `name`, if present.
    pub fn remove(&mut self, name: &str) {
        if let Ok(i) = self.files.binary_search_by(|(n, _)| n.as_str().cmp(name)) {
            self.files.remove(i);
        }
    }

    /// Every file, as (relative path, contents), sorted by path.
    pub(crate) fn all(&self) -> &[(String, String)] {
        &self.files
    }

    /// The text of the file at `name`, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.files
            .binary_search_by(|(n, _)| n.as_str().cmp(name))
            .ok()
            .map(|i| self.files[i].1.as_str())
    }

    /// The files whose relative path starts with `folder` and ends with `extension`, in
    /// sorted order.
    pub fn matching<'a>(
        &'a self,
        folder: &'a str,
        extension: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.files
            .iter()
            .filter(move |(n, _)| n.starts_with(folder) && n.ends_with(extension))
            .map(|(n, t)| (n.as_str(), t.as_str()))
    }
}
