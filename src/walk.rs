//! Walking a folder: the one place input folders and gazetteer folders are listed, so both
//! follow the same rules.

use std::path::{Path, PathBuf};

/// Every file under `dir`, recursively, in sorted order. On failure, the path that could not
/// be read and why.
pub fn files_under(dir: &Path) -> Result<Vec<PathBuf>, (PathBuf, std::io::Error)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), (PathBuf, std::io::Error)> {
        let io = |e| (dir.to_path_buf(), e);
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let path = entry.map_err(io)?.path();
            if path.is_dir() {
                walk(&path, out)?;
            } else {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(dir, &mut files)?;
    files.sort();
    Ok(files)
}
