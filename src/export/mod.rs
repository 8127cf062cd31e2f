//! Output files: written to a temporary name in the output folder and renamed into place only
//! when everything succeeded, so a reader never sees a half-written file.

pub mod csv;
pub mod dot;
pub mod gexf;
pub mod graphml;
pub mod html;
pub mod jsonl;
pub mod layout;
pub mod options;
pub mod rdf;
pub mod spacy;
pub mod style;
pub mod svg;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Why output could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{}", path.display())]
pub struct ExportError {
    /// The file or folder concerned.
    pub path: PathBuf,
    /// The cause.
    pub source: std::io::Error,
}

/// A set of output files that become visible together, or not at all.
///
/// Each file is written to `.<name>.tmp` in the output folder; [`OutputSet::commit`] renames
/// them all into place. Dropping the set without committing removes the temporary files and
/// leaves any earlier output untouched.
pub struct OutputSet {
    dir: PathBuf,
    files: Vec<(String, PathBuf, Option<BufWriter<File>>)>,
}

impl OutputSet {
    /// Creates the folder if needed and opens a temporary file for each name.
    pub fn create(dir: &Path, names: &[&str]) -> Result<OutputSet, ExportError> {
        let err = |path: &Path| {
            let path = path.to_path_buf();
            move |source| ExportError { path, source }
        };
        std::fs::create_dir_all(dir).map_err(err(dir))?;
        let mut set = OutputSet {
            dir: dir.to_path_buf(),
            files: Vec::new(),
        };
        for name in names {
            let tmp = dir.join(format!(".{name}.tmp"));
            let file = File::create(&tmp).map_err(err(&tmp))?;
            set.files.push((
                name.to_string(),
                tmp,
                Some(BufWriter::with_capacity(1 << 16, file)),
            ));
        }
        Ok(set)
    }

    /// Appends bytes to the file called `name`.
    ///
    /// # Panics
    ///
    /// When `name` was not given to [`OutputSet::create`] (a programming error).
    pub fn write(&mut self, name: &str, bytes: &[u8]) -> Result<(), ExportError> {
        let (_, tmp, writer) = self
            .files
            .iter_mut()
            .find(|(n, _, _)| n == name)
            .expect("output file declared in OutputSet::create");
        let writer = writer.as_mut().expect("not committed yet");
        writer.write_all(bytes).map_err(|source| ExportError {
            path: tmp.clone(),
            source,
        })
    }

    /// Flushes and syncs every file, then renames each into place.
    pub fn commit(mut self) -> Result<(), ExportError> {
        for (_, tmp, writer) in &mut self.files {
            let writer = writer.take().expect("committed once");
            let file = writer.into_inner().map_err(|e| ExportError {
                path: tmp.clone(),
                source: e.into_error(),
            })?;
            file.sync_all().map_err(|source| ExportError {
                path: tmp.clone(),
                source,
            })?;
        }
        for (name, tmp, _) in &self.files {
            let target = self.dir.join(name);
            std::fs::rename(tmp, &target).map_err(|source| ExportError {
                path: target,
                source,
            })?;
        }
        self.files.clear();
        Ok(())
    }
}

impl Drop for OutputSet {
    fn drop(&mut self) {
        for (_, tmp, writer) in self.files.drain(..) {
            drop(writer);
            let _ = std::fs::remove_file(tmp);
        }
    }
}
