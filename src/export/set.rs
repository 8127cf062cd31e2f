//! The output set: the files of one run, made visible together or not at all, with one run
//! at a time per folder.
//!
//! # Design
//!
//! 1. **Lock.** The output folder itself is opened and locked (`flock`, exclusive, through
//!    `fs4`) for the whole run; a second run into the same folder fails at once with
//!    [`ExportError::Busy`]. Nothing is written for the lock: the folder holds no lock file.
//! 2. **Recovery.** Holding the lock, the run first repairs what a killed run may have left:
//!    a committed set that was not yet wholly moved into place is rolled *forward* (see 5),
//!    and staging folders of uncommitted runs are removed (rolled back).
//! 3. **Staging.** Every file of the run is written into a fresh staging folder inside the
//!    output folder, `.newsgraph-staging-<random>/`, so the final renames stay on one file
//!    system.
//! 4. **Commit point.** When every file is complete, each is synced, a `MANIFEST.json`
//!    listing the files and their lengths is written and synced into the staging folder,
//!    and the staging folder is renamed to `.newsgraph-commit/` (one atomic rename, then the
//!    output folder is synced). Before that rename the previous set is the output; from it
//!    on, the new one is.
//! 5. **Roll forward.** The files are then renamed one by one from `.newsgraph-commit/` over
//!    the top-level names (`documents.jsonl`, ...) and the emptied commit folder is removed.
//!    A kill in the middle leaves `.newsgraph-commit/` in place; the next run (or
//!    [`recover`]) finishes the renames before it does anything else, so that the folder
//!    never *stays* a mix: after any run, killed or not, and as soon as the next one has
//!    started, it holds exactly the files of the last run that reached the commit point.
//!
//! A run that fails, or is stopped before the commit point, removes its staging folder
//! (the CLI does so on SIGINT, SIGTERM and SIGHUP too); one killed outright (SIGKILL, a power
//! loss) leaves it for the next run to remove.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The prefix of a run's staging folder inside the output folder.
pub const STAGING_PREFIX: &str = ".newsgraph-staging-";
/// The folder a committed set is moved into place from.
pub const COMMIT_DIR: &str = ".newsgraph-commit";
/// The manifest of a committed set, inside [`COMMIT_DIR`].
pub const MANIFEST: &str = "MANIFEST.json";
const MANIFEST_FORMAT: &str = "newsgraph-output-set/1";

/// Why output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A file or folder operation failed.
    #[error("{}: {what}: {source}", path.display())]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// What was being done (`cannot create the output folder`).
        what: &'static str,
        /// The cause.
        source: io::Error,
    },
    /// `--out` names something that is not a folder.
    #[error("{}: exists and is not a folder", .0.display())]
    NotAFolder(PathBuf),
    /// Another run holds the lock on the output folder.
    #[error(
        "{}: another newsgraph run is writing to this folder; wait for it to finish or choose another output folder",
        .0.display()
    )]
    Busy(PathBuf),
    /// A folder stands where an output file must go.
    #[error("{}: is a folder, where the output file of that name belongs; move it away", .0.display())]
    Occupied(PathBuf),
    /// A `.newsgraph-commit` folder that is not what a run leaves.
    #[error("{}: not a committed output set ({reason}); move it away to go on", path.display())]
    BadCommit {
        /// The commit folder.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The set was abandoned (by [`AbortHandle::abort`]) before it was committed.
    #[error("the run was stopped before its output was complete")]
    Interrupted,
}

impl ExportError {
    fn io(path: &Path, what: &'static str) -> impl FnOnce(io::Error) -> ExportError {
        let path = path.to_path_buf();
        move |source| ExportError::Io { path, what, source }
    }
}

#[derive(Serialize, Deserialize)]
struct Manifest {
    format: String,
    files: Vec<ManifestFile>,
}

#[derive(Serialize, Deserialize)]
struct ManifestFile {
    name: String,
    bytes: u64,
}

#[derive(Debug, Default)]
enum Phase {
    /// No staging folder (yet).
    #[default]
    Idle,
    /// Files are being written into this staging folder.
    Staging(PathBuf),
    /// The set was committed.
    Committed,
    /// The set was abandoned.
    Aborted,
}

/// Stops an [`OutputSet`] from another thread (a signal handler): see [`AbortHandle::abort`].
#[derive(Clone, Debug, Default)]
pub struct AbortHandle {
    phase: Arc<Mutex<Phase>>,
    requested: Arc<AtomicBool>,
}

impl AbortHandle {
    /// A handle to give to [`OutputSet::create_with_abort`].
    pub fn new() -> AbortHandle {
        AbortHandle::default()
    }

    /// A flag that, once set (by a signal handler, with `signal_hook::flag::register`),
    /// keeps the set from starting its commit: a stop asked for before the commit point
    /// wins even if [`AbortHandle::abort`] has not run yet.
    pub fn request_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.requested)
    }

    fn phase(&self) -> MutexGuard<'_, Phase> {
        self.phase
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Abandons the set: removes its staging folder, so that the output folder keeps the
    /// previous run's files, and makes every later step of the set fail. A commit in progress
    /// is waited for, and then stands.
    ///
    /// Returns false when the set had already been committed, true otherwise.
    pub fn abort(&self) -> bool {
        let mut phase = self.phase();
        match std::mem::replace(&mut *phase, Phase::Aborted) {
            Phase::Committed => {
                *phase = Phase::Committed;
                false
            }
            Phase::Staging(path) => {
                let _ = std::fs::remove_dir_all(path);
                true
            }
            Phase::Idle | Phase::Aborted => true,
        }
    }
}

struct Staged {
    name: String,
    state: FileState,
    bytes: u64,
    /// How many bytes of the file the kernel was asked to start writing back.
    written_back: u64,
}

impl Staged {
    fn path(&self, staging: Option<&Path>) -> PathBuf {
        staging.map(|s| s.join(&self.name)).unwrap_or_default()
    }

    fn write(&mut self, staging: Option<&Path>, bytes: &[u8]) -> Result<(), ExportError> {
        let FileState::Open(writer) = &mut self.state else {
            panic!("{} written after it was finished", self.name);
        };
        if let Err(source) = writer.write_all(bytes) {
            return Err(ExportError::Io {
                path: self.path(staging),
                what: "cannot write",
                source,
            });
        }
        self.bytes += bytes.len() as u64;
        let handed = self.bytes - writer.buffer().len() as u64;
        if handed - self.written_back >= WRITEBACK_BYTES {
            start_writeback(writer.get_ref(), self.written_back..handed);
            self.written_back = handed;
        }
        Ok(())
    }

    fn finish(&mut self, staging: Option<&Path>) -> Result<(), ExportError> {
        let path = self.path(staging);
        if let FileState::Open(writer) = std::mem::replace(&mut self.state, FileState::Done) {
            self.state = FileState::Syncing(Sync::start(flushed(writer, path)?));
        }
        Ok(())
    }
}

/// One file of an [`OutputSet`], borrowed on its own ([`OutputSet::sinks`]) so that another
/// thread can write it while the set's other files are written.
pub struct Sink<'a> {
    file: &'a mut Staged,
    staging: Option<&'a Path>,
}

impl Sink<'_> {
    /// The file's name in the set.
    pub fn name(&self) -> &str {
        &self.file.name
    }

    /// Appends bytes to the file ([`OutputSet::write`]).
    pub fn write(&mut self, bytes: &[u8]) -> Result<(), ExportError> {
        self.file.write(self.staging, bytes)
    }

    /// Declares the file complete ([`OutputSet::finish`]).
    pub fn finish(self) -> Result<(), ExportError> {
        self.file.finish(self.staging)
    }
}

/// Where a staged file is on its way to the commit.
enum FileState {
    /// Open for writing.
    Open(BufWriter<File>),
    /// Finished ([`OutputSet::finish`]): synced on a thread of its own while the run goes on.
    Syncing(Sync),
    /// Committed, or being committed.
    Done,
}

/// How much of a file is written between two requests to the kernel to start writing it
/// back: without them a run's whole output waits in the page cache until the commit syncs
/// it, and the commit waits for all of it at once.
const WRITEBACK_BYTES: u64 = 16 << 20;

/// Asks the kernel to start writing back `range` of `file`, without waiting for it: the
/// commit's sync then finds most of the file on disk already.
#[cfg(target_os = "linux")]
fn start_writeback(file: &File, range: std::ops::Range<u64>) {
    use std::os::fd::AsRawFd;
    let (Ok(offset), Ok(length)) = (
        libc::off64_t::try_from(range.start),
        libc::off64_t::try_from(range.end - range.start),
    ) else {
        return;
    };
    // SAFETY: the descriptor is open for as long as `file` is borrowed, and the call only
    // reads its arguments. A failure changes nothing: the commit syncs every file anyway.
    unsafe {
        libc::sync_file_range(
            file.as_raw_fd(),
            offset,
            length,
            libc::SYNC_FILE_RANGE_WRITE,
        );
    }
}

#[cfg(not(target_os = "linux"))]
fn start_writeback(_file: &File, _range: std::ops::Range<u64>) {}

/// The staged file called `name`.
///
/// # Panics
///
/// When `name` was not given to [`OutputSet::create`] (a programming error).
fn staged<'a>(files: &'a mut [Staged], name: &str) -> &'a mut Staged {
    files
        .iter_mut()
        .find(|f| f.name == name)
        .expect("output file declared in OutputSet::create")
}

/// The file behind `writer`, its buffer written out; `path` names it in the error.
fn flushed(writer: BufWriter<File>, path: PathBuf) -> Result<File, ExportError> {
    writer.into_inner().map_err(|e| ExportError::Io {
        path,
        what: "cannot write",
        source: e.into_error(),
    })
}

/// A file's sync, running or done.
enum Sync {
    Running(std::thread::JoinHandle<io::Result<()>>),
    Done(io::Result<()>),
}

impl Sync {
    /// Syncs `file` on a thread of its own (or here, when no thread can be started).
    fn start(file: File) -> Sync {
        let file = Arc::new(file);
        let theirs = Arc::clone(&file);
        match std::thread::Builder::new()
            .name("newsgraph-sync".into())
            .spawn(move || theirs.sync_all())
        {
            Ok(handle) => Sync::Running(handle),
            Err(_) => Sync::Done(file.sync_all()),
        }
    }

    fn wait(self) -> io::Result<()> {
        match self {
            Sync::Running(handle) => handle
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("the sync thread panicked"))),
            Sync::Done(result) => result,
        }
    }
}

/// A set of output files that become visible together, or not at all (see the [module
/// documentation](self)).
///
/// Dropping the set without committing removes its staging folder and leaves the earlier
/// output untouched.
pub struct OutputSet {
    dir: PathBuf,
    files: Vec<Staged>,
    staging: Option<tempfile::TempDir>,
    abort: AbortHandle,
    pause: Option<Duration>,
    /// The open output folder, locked while the set lives.
    lock: File,
}

impl OutputSet {
    /// Creates the folder if needed, locks it, repairs what a killed run left (see
    /// [`recover`]) and opens a staging file for each name.
    pub fn create(dir: &Path, names: &[&str]) -> Result<OutputSet, ExportError> {
        OutputSet::create_with_abort(dir, names, AbortHandle::new())
    }

    /// [`OutputSet::create`] with a handle that can abandon the set from another thread.
    pub fn create_with_abort(
        dir: &Path,
        names: &[&str],
        abort: AbortHandle,
    ) -> Result<OutputSet, ExportError> {
        for name in names {
            assert!(
                plain_name(name) && !name.starts_with(".newsgraph-"),
                "output file names are plain names: {name}"
            );
        }
        if dir.exists() && !dir.is_dir() {
            return Err(ExportError::NotAFolder(dir.to_path_buf()));
        }
        std::fs::create_dir_all(dir)
            .map_err(ExportError::io(dir, "cannot create the output folder"))?;
        let lock = lock(dir)?;
        // Held through the repairs too: an abort waits for them, never leaves them half done.
        let mut phase = abort.phase();
        if matches!(*phase, Phase::Aborted) || abort.requested.load(Ordering::SeqCst) {
            return Err(ExportError::Interrupted);
        }
        recover_locked(dir)?;
        for name in names {
            // Output files of newsgraph before the output set (`.documents.jsonl.tmp`) that a
            // killed run left.
            remove_if_present(&dir.join(format!(".{name}.tmp")))?;
        }
        check_targets(dir, names.iter().copied())?;
        let staging = tempfile::Builder::new()
            .prefix(STAGING_PREFIX)
            .tempdir_in(dir)
            .map_err(ExportError::io(dir, "cannot write in the output folder"))?;
        *phase = Phase::Staging(staging.path().to_path_buf());
        drop(phase);
        let mut files = Vec::with_capacity(names.len());
        for name in names {
            let path = staging.path().join(name);
            let file = File::create(&path).map_err(ExportError::io(&path, "cannot create"))?;
            files.push(Staged {
                name: name.to_string(),
                state: FileState::Open(BufWriter::with_capacity(1 << 16, file)),
                bytes: 0,
                written_back: 0,
            });
        }
        Ok(OutputSet {
            dir: dir.to_path_buf(),
            files,
            staging: Some(staging),
            abort,
            pause: None,
            lock,
        })
    }

    /// A handle that abandons this set from another thread.
    pub fn abort_handle(&self) -> AbortHandle {
        self.abort.clone()
    }

    /// Test hook: sleep this long before each rename of the roll forward, so that tests can
    /// kill a run between two of them.
    #[doc(hidden)]
    pub fn pause_before_each_rename(&mut self, pause: Duration) {
        self.pause = Some(pause);
    }

    /// Appends bytes to the file called `name`.
    ///
    /// # Panics
    ///
    /// When `name` was not given to [`OutputSet::create`] (a programming error).
    pub fn write(&mut self, name: &str, bytes: &[u8]) -> Result<(), ExportError> {
        let staging = self.staging.as_ref().map(|s| s.path());
        staged(&mut self.files, name).write(staging, bytes)
    }

    /// Declares the file called `name` complete: it is flushed now and synced on a thread
    /// of its own while the run writes its other files, so that the commit does not wait
    /// for it. Writing to it afterwards is a programming error (a panic).
    ///
    /// # Panics
    ///
    /// When `name` was not given to [`OutputSet::create`].
    pub fn finish(&mut self, name: &str) -> Result<(), ExportError> {
        let staging = self.staging.as_ref().map(|s| s.path());
        staged(&mut self.files, name).finish(staging)
    }

    /// The files called `names`, each as a [`Sink`] of its own, so that they can be written
    /// at once from several threads; the set commits them with the others as always.
    ///
    /// # Panics
    ///
    /// When a name was not given to [`OutputSet::create`], or is given twice.
    pub fn sinks<const N: usize>(&mut self, names: [&str; N]) -> [Sink<'_>; N] {
        let staging = self.staging.as_ref().map(|s| s.path());
        let mut sinks: [Option<Sink<'_>>; N] = [(); N].map(|_| None);
        for file in &mut self.files {
            if let Some(i) = names.iter().position(|&n| n == file.name) {
                sinks[i] = Some(Sink { file, staging });
            }
        }
        sinks.map(|sink| sink.expect("output file declared once in OutputSet::create"))
    }

    /// Completes the set: syncs every file, passes the commit point and moves the files into
    /// place (see the [module documentation](self)).
    pub fn commit(mut self) -> Result<(), ExportError> {
        let abort = self.abort.clone();
        let mut phase = abort.phase();
        let Phase::Staging(staging) = &*phase else {
            return Err(ExportError::Interrupted);
        };
        if abort.requested.load(Ordering::SeqCst) {
            return Err(ExportError::Interrupted);
        }
        let staging = staging.clone();
        let mut manifest = Manifest {
            format: MANIFEST_FORMAT.to_string(),
            files: Vec::with_capacity(self.files.len()),
        };
        // Every file syncs at once, each on a thread of its own: the file system commits
        // them together instead of one journal commit after another.
        let mut syncs = Vec::with_capacity(self.files.len());
        for f in &mut self.files {
            let path = staging.join(&f.name);
            match std::mem::replace(&mut f.state, FileState::Done) {
                FileState::Open(writer) => {
                    let file = flushed(writer, path.clone())?;
                    syncs.push((path, Sync::start(file)));
                }
                FileState::Syncing(sync) => syncs.push((path, sync)),
                // Its `finish` failed, and said so.
                FileState::Done => {
                    return Err(ExportError::Io {
                        path,
                        what: "cannot write",
                        source: io::Error::other("the file could not be finished"),
                    })
                }
            }
            manifest.files.push(ManifestFile {
                name: f.name.clone(),
                bytes: f.bytes,
            });
        }
        for (path, sync) in syncs {
            sync.wait().map_err(ExportError::io(&path, "cannot sync"))?;
        }
        check_targets(&self.dir, manifest.files.iter().map(|f| f.name.as_str()))?;
        let manifest_path = staging.join(MANIFEST);
        let json = serde_json::to_vec_pretty(&manifest).expect("in-memory JSON serialization");
        write_synced(&manifest_path, &json)?;
        sync_dir(&staging)?;
        let commit = self.dir.join(COMMIT_DIR);
        // From here on the staging folder is the commit folder, not a temporary one.
        let staging_dir = self.staging.take().expect("staging until commit").keep();
        std::fs::rename(&staging_dir, &commit).map_err(|e| {
            let _ = std::fs::remove_dir_all(&staging_dir);
            ExportError::Io {
                path: commit.clone(),
                what: "cannot commit the output",
                source: e,
            }
        })?;
        *phase = Phase::Committed;
        self.lock
            .sync_all()
            .map_err(ExportError::io(&self.dir, "cannot sync"))?;
        roll_forward(&self.dir, self.pause)
    }
}

impl Drop for OutputSet {
    fn drop(&mut self) {
        self.files.clear();
        if let Some(staging) = self.staging.take() {
            let mut phase = self.abort.phase();
            if matches!(*phase, Phase::Staging(_)) {
                *phase = Phase::Idle;
            }
            drop(staging);
        }
    }
}

/// Repairs an output folder after a killed run: finishes moving a committed set into place,
/// removes staging folders of runs that did not commit. Takes the folder's lock (fails with
/// [`ExportError::Busy`] while a run holds it). Every run does this first; readers that want
/// the folder settled without starting a run can call it.
pub fn recover(dir: &Path) -> Result<(), ExportError> {
    let _lock = lock(dir)?;
    recover_locked(dir)
}

fn lock(dir: &Path) -> Result<File, ExportError> {
    let file = File::open(dir).map_err(ExportError::io(dir, "cannot open the output folder"))?;
    match fs4::FileExt::try_lock(&file) {
        Ok(()) => Ok(file),
        Err(fs4::TryLockError::WouldBlock) => Err(ExportError::Busy(dir.to_path_buf())),
        Err(fs4::TryLockError::Error(source)) => Err(ExportError::Io {
            path: dir.to_path_buf(),
            what: "cannot lock the output folder",
            source,
        }),
    }
}

fn recover_locked(dir: &Path) -> Result<(), ExportError> {
    let commit = dir.join(COMMIT_DIR);
    if std::fs::symlink_metadata(&commit).is_ok() {
        roll_forward(dir, None)?;
    }
    let entries =
        std::fs::read_dir(dir).map_err(ExportError::io(dir, "cannot list the output folder"))?;
    for entry in entries {
        let entry = entry.map_err(ExportError::io(dir, "cannot list the output folder"))?;
        if entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(STAGING_PREFIX))
        {
            let path = entry.path();
            let removed = if entry.file_type().is_ok_and(|t| t.is_dir()) {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
            removed.map_err(ExportError::io(&path, "cannot remove a killed run's files"))?;
        }
    }
    Ok(())
}

/// Moves the files of `.newsgraph-commit/` into place, then removes it. Idempotent: a file
/// already moved is no longer in the commit folder.
fn roll_forward(dir: &Path, pause: Option<Duration>) -> Result<(), ExportError> {
    let commit = dir.join(COMMIT_DIR);
    let bad = |reason: String| ExportError::BadCommit {
        path: commit.clone(),
        reason,
    };
    let manifest_path = commit.join(MANIFEST);
    let text = match std::fs::read(&manifest_path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            // The manifest goes last, after every file was moved: an empty folder is a roll
            // forward that was killed just before its end.
            return match std::fs::remove_dir(&commit) {
                Ok(()) => sync_dir(dir),
                Err(_) => Err(bad(format!("no {MANIFEST}"))),
            };
        }
        Err(source) => {
            return Err(ExportError::Io {
                path: manifest_path,
                what: "cannot read",
                source,
            })
        }
    };
    let manifest: Manifest =
        serde_json::from_slice(&text).map_err(|e| bad(format!("{MANIFEST}: {e}")))?;
    if manifest.format != MANIFEST_FORMAT {
        return Err(bad(format!("{MANIFEST}: format {:?}", manifest.format)));
    }
    if let Some(f) = manifest.files.iter().find(|f| !plain_name(&f.name)) {
        return Err(bad(format!("{MANIFEST}: {:?} is not a file name", f.name)));
    }
    // Check every file before moving any.
    for f in &manifest.files {
        let source = commit.join(&f.name);
        match std::fs::symlink_metadata(&source) {
            Ok(meta) if !meta.is_file() || meta.len() != f.bytes => {
                return Err(bad(format!(
                    "{} is not the file of {} bytes the manifest lists",
                    f.name, f.bytes
                )))
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(ExportError::Io {
                    path: commit.join(&f.name),
                    what: "cannot inspect",
                    source,
                })
            }
        }
    }
    for f in &manifest.files {
        let source = commit.join(&f.name);
        if std::fs::symlink_metadata(&source).is_err() {
            continue; // moved already
        }
        if let Some(pause) = pause {
            std::thread::sleep(pause);
        }
        let target = dir.join(&f.name);
        std::fs::rename(&source, &target).map_err(ExportError::io(
            &target,
            "cannot move the new file into place",
        ))?;
    }
    sync_dir(dir)?;
    std::fs::remove_file(&manifest_path)
        .map_err(ExportError::io(&manifest_path, "cannot remove"))?;
    std::fs::remove_dir(&commit).map_err(ExportError::io(&commit, "cannot remove"))?;
    sync_dir(dir)
}

/// A folder standing at an output file's name would make the final rename fail after the
/// commit point: refuse it before.
fn check_targets<'a>(
    dir: &Path,
    names: impl IntoIterator<Item = &'a str>,
) -> Result<(), ExportError> {
    for name in names {
        let target = dir.join(name);
        match std::fs::symlink_metadata(&target) {
            Ok(meta) if meta.is_dir() => return Err(ExportError::Occupied(target)),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(ExportError::Io {
                    path: target,
                    what: "cannot inspect",
                    source,
                })
            }
        }
    }
    Ok(())
}

fn plain_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', '\0'])
        && Path::new(name).file_name() == Some(std::ffi::OsStr::new(name))
}

fn remove_if_present(path: &Path) -> Result<(), ExportError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(ExportError::Io {
            path: path.to_path_buf(),
            what: "cannot remove a killed run's file",
            source,
        }),
    }
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    let mut file = File::create(path).map_err(ExportError::io(path, "cannot create"))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(ExportError::io(path, "cannot write"))
}

fn sync_dir(dir: &Path) -> Result<(), ExportError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(ExportError::io(dir, "cannot sync"))
}

/// Writes one whole file through a temporary file beside it, renamed over `path` when
/// complete: a reader never sees half of it. (For single files such as `eval --json`; a run's
/// output folder is an [`OutputSet`].)
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(ExportError::io(dir, "cannot write in the folder"))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(ExportError::io(tmp.path(), "cannot write"))?;
    tmp.persist(path).map_err(|e| ExportError::Io {
        path: path.to_path_buf(),
        what: "cannot write",
        source: e.error,
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn write_set(dir: &Path, a: &str, b: &str) {
        let mut set = OutputSet::create(dir, &["a.txt", "b.txt"]).unwrap();
        set.write("a.txt", a.as_bytes()).unwrap();
        set.write("b.txt", b.as_bytes()).unwrap();
        set.commit().unwrap();
    }

    #[test]
    fn commit_replaces_the_set_and_leaves_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        write_set(dir.path(), "1", "one");
        write_set(dir.path(), "2", "two");
        assert_eq!(names(dir.path()), ["a.txt", "b.txt"]);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("b.txt")).unwrap(),
            "two"
        );
    }

    #[test]
    fn a_second_set_in_the_same_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let first = OutputSet::create(dir.path(), &["a.txt"]).unwrap();
        let second = OutputSet::create(dir.path(), &["a.txt"]);
        assert!(matches!(second, Err(ExportError::Busy(_))));
        drop(first);
        assert_eq!(names(dir.path()), Vec::<String>::new());
        assert!(OutputSet::create(dir.path(), &["a.txt"]).is_ok());
    }

    #[test]
    fn a_killed_roll_forward_is_finished_by_the_next_run() {
        let dir = tempfile::tempdir().unwrap();
        write_set(dir.path(), "1", "one");
        // What a kill after the commit point and the first rename leaves.
        let commit = dir.path().join(COMMIT_DIR);
        std::fs::create_dir(&commit).unwrap();
        std::fs::write(dir.path().join("a.txt"), "2").unwrap();
        std::fs::write(commit.join("b.txt"), "two").unwrap();
        let manifest = r#"{"format": "newsgraph-output-set/1", "files": [
            {"name": "a.txt", "bytes": 1}, {"name": "b.txt", "bytes": 3}]}"#;
        std::fs::write(commit.join(MANIFEST), manifest).unwrap();
        // And a staging folder of a run killed before its commit point.
        std::fs::create_dir(dir.path().join(format!("{STAGING_PREFIX}x"))).unwrap();
        recover(dir.path()).unwrap();
        assert_eq!(names(dir.path()), ["a.txt", "b.txt"]);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("b.txt")).unwrap(),
            "two"
        );
    }

    #[test]
    fn a_broken_commit_folder_is_not_guessed_at() {
        let dir = tempfile::tempdir().unwrap();
        let commit = dir.path().join(COMMIT_DIR);
        std::fs::create_dir(&commit).unwrap();
        std::fs::write(commit.join("a.txt"), "x").unwrap();
        let err = recover(dir.path()).unwrap_err().to_string();
        assert!(err.contains("not a committed output set"), "{err}");
        std::fs::write(
            commit.join(MANIFEST),
            r#"{"format": "newsgraph-output-set/1", "files": [{"name": "a.txt", "bytes": 5}]}"#,
        )
        .unwrap();
        let err = recover(dir.path()).unwrap_err().to_string();
        assert!(err.contains("a.txt is not the file of 5 bytes"), "{err}");
    }

    #[test]
    fn abort_removes_the_staging_folder() {
        let dir = tempfile::tempdir().unwrap();
        write_set(dir.path(), "1", "one");
        let mut set = OutputSet::create(dir.path(), &["a.txt", "b.txt"]).unwrap();
        set.write("a.txt", b"2").unwrap();
        assert!(set.abort_handle().abort());
        assert!(matches!(set.commit(), Err(ExportError::Interrupted)));
        assert_eq!(names(dir.path()), ["a.txt", "b.txt"]);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.txt")).unwrap(),
            "1"
        );
    }

    #[test]
    fn a_folder_at_an_output_name_fails_before_anything_changes() {
        let dir = tempfile::tempdir().unwrap();
        write_set(dir.path(), "1", "one");
        std::fs::remove_file(dir.path().join("b.txt")).unwrap();
        std::fs::create_dir(dir.path().join("b.txt")).unwrap();
        let err = OutputSet::create(dir.path(), &["a.txt", "b.txt"])
            .err()
            .unwrap();
        assert!(matches!(err, ExportError::Occupied(_)), "{err}");
        assert_eq!(names(dir.path()), ["a.txt", "b.txt"]);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.txt")).unwrap(),
            "1"
        );
    }
}
