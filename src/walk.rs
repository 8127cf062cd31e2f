//! Walking a folder: the one place input folders and gazetteer folders are listed, so both
//! follow the same rules (symbolic links followed once and never in a loop, entries that are
//! not regular files reported instead of read).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// A file's identity (device and inode): two paths to one file have the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct FileId(u64, u64);

impl FileId {
    #[cfg(unix)]
    pub(crate) fn of(meta: &std::fs::Metadata) -> FileId {
        use std::os::unix::fs::MetadataExt;
        FileId(meta.dev(), meta.ino())
    }

    #[cfg(not(unix))]
    fn of(_meta: &std::fs::Metadata) -> FileId {
        // Without inode numbers every entry is distinct; walkdir still breaks link loops.
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(0);
        FileId(0, NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

pub(crate) fn file_kind(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_char_device() {
            return "a character device";
        }
    }
    if t.is_dir() {
        "a folder"
    } else {
        "not a file"
    }
}

/// One entry of a folder walk.
pub(crate) enum Walked {
    /// A regular file.
    File(PathBuf),
    /// Something else that is not a folder: a named pipe, a socket, a device.
    Other { path: PathBuf, kind: &'static str },
    /// A symbolic link whose target cannot be reached.
    Broken { path: PathBuf, error: String },
    /// A subfolder that cannot be listed.
    UnreadableFolder { path: PathBuf, error: String },
}

impl Walked {
    pub(crate) fn path(&self) -> &Path {
        match self {
            Walked::File(path)
            | Walked::Other { path, .. }
            | Walked::Broken { path, .. }
            | Walked::UnreadableFolder { path, .. } => path,
        }
    }
}

/// Every entry under `root` but folders, in sorted order, following symbolic links once (see
/// `input::expand_except`) and never entering the folder `skip`. Fails only when `root` itself
/// cannot be listed.
pub(crate) fn walk(
    root: &Path,
    skip: Option<FileId>,
) -> Result<Vec<Walked>, (PathBuf, std::io::Error)> {
    std::fs::read_dir(root).map_err(|e| (root.to_path_buf(), e))?;
    // Everything reachable without following links: a link to one of these is skipped, since
    // the walk reaches the target by its own path (or is inside it: a loop).
    let mut real = HashSet::new();
    for entry in walkdir::WalkDir::new(root)
        .follow_links(false)
        .into_iter()
        .flatten()
    {
        if !entry.path_is_symlink() || entry.depth() == 0 {
            if let Ok(meta) = entry.metadata() {
                real.insert(FileId::of(&meta));
            }
        }
    }
    let mut seen = HashSet::new();
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            let Ok(meta) = entry.metadata() else {
                return true;
            };
            let id = FileId::of(&meta);
            if meta.is_dir() && Some(id) == skip {
                return false;
            }
            if entry.depth() > 0 && entry.path_is_symlink() && real.contains(&id) {
                return false;
            }
            !(meta.is_dir() || meta.is_file()) || seen.insert(id)
        });
    let mut out = Vec::new();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let t = entry.file_type();
                if t.is_dir() {
                    continue;
                }
                let path = entry.into_path();
                out.push(if t.is_file() {
                    Walked::File(path)
                } else {
                    Walked::Other {
                        path,
                        kind: file_kind(&t),
                    }
                });
            }
            Err(e) => {
                if e.loop_ancestor().is_some() {
                    continue; // a link back to a folder being walked: followed once already
                }
                let Some(path) = e.path().map(Path::to_path_buf) else {
                    continue;
                };
                let error = e
                    .io_error()
                    .map(|io| io.to_string())
                    .unwrap_or_else(|| e.to_string());
                out.push(match std::fs::metadata(&path) {
                    Ok(meta) if meta.is_dir() => Walked::UnreadableFolder { path, error },
                    Ok(_) => Walked::Broken { path, error },
                    Err(target) if target.kind() == std::io::ErrorKind::NotFound => {
                        Walked::Broken {
                            error: "broken symbolic link (its target is missing)".into(),
                            path,
                        }
                    }
                    Err(_) => Walked::Broken { path, error },
                });
            }
        }
    }
    Ok(out)
}

/// Every file under `dir`, recursively, in sorted order, with symbolic links followed once
/// (as by `input::expand_except`). On failure, the path that could not be read and why: a folder
/// that cannot be listed, or an entry that is neither a folder nor a regular file (a named
/// pipe, a socket, a device), which could not be read without hanging. A broken symbolic
/// link is listed, and fails when read.
pub fn files_under(dir: &Path) -> Result<Vec<PathBuf>, (PathBuf, std::io::Error)> {
    let mut files = Vec::new();
    for entry in walk(dir, None)? {
        match entry {
            Walked::File(path) | Walked::Broken { path, .. } => files.push(path),
            Walked::Other { path, kind } => {
                let reason = format!("not a regular file ({kind})");
                return Err((
                    path,
                    std::io::Error::new(std::io::ErrorKind::InvalidInput, reason),
                ));
            }
            Walked::UnreadableFolder { path, error } => {
                return Err((path, std::io::Error::other(error)));
            }
        }
    }
    Ok(files)
}
