//! The one way sfperms touches files on disk: reading a regular file with a size cap (never a FIFO,
//! a device or an endless stream), and the one write path every output takes (metadata files,
//! package.xml, zips, `fmt`). A write replaces only a regular file the caller read first, keeps its
//! mode and owner, writes through a symbolic link only when the link's target stays inside the
//! folder being written (else refuses), and goes through a temporary file in the same folder and a
//! rename, so an interrupted run leaves the old file whole. Temporary files a killed run left
//! behind (`.NAME.sfperms-PID.tmp`, PID no longer running) are removed by the next write in that
//! folder. Nothing here prints.

use std::fs::{File, Metadata};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

/// The largest file sfperms reads: metadata files, package.xml, an existing zip, catalog files.
/// The largest real profiles are a few megabytes; this leaves room for an order of magnitude more
/// and refuses anything that is clearly not one.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum DiskError {
    #[error("{path}: no such file or folder")]
    NotFound { path: String },
    #[error("{path}: {error}")]
    Io { path: String, error: std::io::Error },
    #[error("{path}: {what}, not a regular file: sfperms reads and replaces regular files only")]
    NotRegular { path: String, what: &'static str },
    #[error(
        "{path}: {size} bytes or more, over the {limit} bytes sfperms reads from one file; is it really the file you meant?"
    )]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error(
        "{path}: symbolic link to `{target}`, outside `{root}`: sfperms does not write through links out of the folder it writes"
    )]
    LinkOutside { path: String, target: String, root: String },
    #[error("{path}: the folder `{ancestor}` leads outside `{root}` (a symbolic link?): sfperms writes only inside it")]
    FolderOutside { path: String, ancestor: String, root: String },
    #[error("{path}: `{blocker}` is a file, not a folder")]
    NotAFolder { path: String, blocker: String },
    #[error("{path}: cannot keep the file's owner (uid {uid}, gid {gid}): {error}; nothing written")]
    Owner { path: String, uid: u32, gid: u32, error: std::io::Error },
}

impl DiskError {
    /// The message without the leading path, for callers that name the file themselves.
    pub fn reason(&self) -> String {
        let path = match self {
            DiskError::NotFound { path }
            | DiskError::Io { path, .. }
            | DiskError::NotRegular { path, .. }
            | DiskError::TooLarge { path, .. }
            | DiskError::LinkOutside { path, .. }
            | DiskError::FolderOutside { path, .. }
            | DiskError::NotAFolder { path, .. }
            | DiskError::Owner { path, .. } => path,
        };
        let text = self.to_string();
        text.strip_prefix(&format!("{path}: ")).map_or_else(|| text.clone(), str::to_string)
    }
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

fn io(path: &Path, error: std::io::Error) -> DiskError {
    if error.kind() == std::io::ErrorKind::NotFound {
        DiskError::NotFound { path: shown(path) }
    } else {
        DiskError::Io { path: shown(path), error }
    }
}

/// What a file system entry is, in words, when it is not a regular file.
fn kind_word(meta: &Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if t.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("a device");
        }
        if t.is_socket() {
            return Some("a socket");
        }
    }
    if t.is_dir() {
        return Some("a folder");
    }
    if t.is_symlink() {
        return Some("a symbolic link");
    }
    Some("a special file")
}

/// Checks `meta` describes a regular file.
pub(crate) fn check_regular(path: &Path, meta: &Metadata) -> Result<(), DiskError> {
    match kind_word(meta) {
        Some(what) => Err(DiskError::NotRegular { path: shown(path), what }),
        None => Ok(()),
    }
}

/// The bytes of the regular file at `path` (links followed), refusing anything else before
/// opening it (a FIFO would block), and anything over `limit` bytes without reading past it.
pub(crate) fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, DiskError> {
    let meta = std::fs::metadata(path).map_err(|e| io(path, e))?;
    check_regular(path, &meta)?;
    if meta.len() > limit {
        return Err(DiskError::TooLarge { path: shown(path), size: meta.len(), limit });
    }
    let file = File::open(path).map_err(|e| io(path, e))?;
    // The entry could have been swapped between the check and the open.
    let opened = file.metadata().map_err(|e| io(path, e))?;
    check_regular(path, &opened)?;
    // One allocation of the size the file has (and a byte to see that it ends there).
    let expected = usize::try_from(opened.len().min(limit).saturating_add(1)).unwrap_or(0);
    read_capped(file, path, limit, expected)
}

/// Reads `reader` to its end, failing once more than `limit` bytes come; `expected`: how many
/// bytes to make room for at once.
pub(crate) fn read_capped(
    reader: impl std::io::Read,
    path: &Path,
    limit: u64,
    expected: usize,
) -> Result<Vec<u8>, DiskError> {
    let mut bytes = Vec::with_capacity(expected);
    reader.take(limit + 1).read_to_end(&mut bytes).map_err(|e| io(path, e))?;
    if bytes.len() as u64 > limit {
        return Err(DiskError::TooLarge { path: shown(path), size: bytes.len() as u64, limit });
    }
    Ok(bytes)
}

/// A file about to be written: where the bytes really go, and what is there now.
#[derive(Debug, Clone)]
pub struct Target {
    /// The path as given (what messages show).
    pub path: PathBuf,
    /// Where the bytes go: `path`, or the file a symbolic link at `path` points to.
    real: PathBuf,
    /// The bytes there now; `None` when there is no file yet.
    pub existing: Option<Vec<u8>>,
    #[cfg(unix)]
    owner: Option<(u32, u32, u32)>,
}

/// The path made absolute against the current folder (`std::path::absolute`: `.` components
/// dropped, `..` kept for the kernel to resolve, links not followed).
fn absolute(path: &Path) -> Result<PathBuf, DiskError> {
    let path = if path.as_os_str().is_empty() { Path::new(".") } else { path };
    std::path::absolute(path).map_err(|e| io(path, e))
}

/// `root` with its links resolved. Callers ask only for a root that exists: one below which an
/// existing folder or link was just found.
fn resolve_root(root: &Path) -> Result<PathBuf, DiskError> {
    root.canonicalize().map_err(|e| io(root, e))
}

/// Checks the deepest existing entry above `path`: it must be a folder (not a file, which would
/// make every write fail with a puzzling "File exists"), and, when it lies below `root`, it must
/// stay inside `root` once links are resolved. `root` itself is the user's choice and is trusted,
/// links and all. Both paths are absolute.
fn check_ancestors(path: &Path, root: &Path) -> Result<(), DiskError> {
    let mut ancestor = path.parent();
    while let Some(dir) = ancestor {
        match std::fs::metadata(dir) {
            Ok(meta) if meta.is_dir() => {
                if dir == root || !dir.starts_with(root) {
                    return Ok(());
                }
                let real = dir.canonicalize().map_err(|e| io(dir, e))?;
                if !real.starts_with(resolve_root(root)?) {
                    return Err(DiskError::FolderOutside {
                        path: shown(path),
                        ancestor: shown(dir),
                        root: shown(root),
                    });
                }
                return Ok(());
            }
            Ok(_) => return Err(DiskError::NotAFolder { path: shown(path), blocker: shown(dir) }),
            Err(e) if matches!(e.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory) => {
                ancestor = dir.parent();
            }
            Err(e) => return Err(io(dir, e)),
        }
    }
    Ok(())
}

impl Target {
    /// Looks at `path` before a write under `root` (the folder the command writes into): reads
    /// the regular file there (with the size cap), resolves a symbolic link whose target stays
    /// inside `root`, and refuses anything else.
    pub fn open(path: &Path, root: &Path) -> Result<Target, DiskError> {
        let path_abs = absolute(path)?;
        let root_abs = absolute(root)?;
        check_ancestors(&path_abs, &root_abs)?;
        let link = match std::fs::symlink_metadata(&path_abs) {
            Ok(meta) => Some(meta),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(io(path, e)),
        };
        let Some(link) = link else {
            return Ok(Target {
                path: path.to_path_buf(),
                real: path_abs,
                existing: None,
                #[cfg(unix)]
                owner: None,
            });
        };
        let real = if link.file_type().is_symlink() {
            let target = path_abs.canonicalize().map_err(|e| io(path, e))?;
            let canonical_root = resolve_root(&root_abs)?;
            if !target.starts_with(&canonical_root) {
                return Err(DiskError::LinkOutside { path: shown(path), target: shown(&target), root: shown(root) });
            }
            target
        } else {
            path_abs
        };
        let meta = std::fs::metadata(&real).map_err(|e| io(path, e))?;
        check_regular(path, &meta)?;
        let bytes = read_regular(&real, MAX_FILE_BYTES).map_err(|e| match e {
            DiskError::TooLarge { size, limit, .. } => DiskError::TooLarge { path: shown(path), size, limit },
            other => other,
        })?;
        #[cfg(unix)]
        let owner = {
            use std::os::unix::fs::MetadataExt as _;
            Some((meta.mode() & 0o7777, meta.uid(), meta.gid()))
        };
        Ok(Target {
            path: path.to_path_buf(),
            real,
            existing: Some(bytes),
            #[cfg(unix)]
            owner,
        })
    }

    /// Does writing `bytes` change anything?
    pub fn changes(&self, bytes: &[u8]) -> bool {
        self.existing.as_deref() != Some(bytes)
    }

    /// Writes `bytes` where `open` looked: a temporary file in the same folder with the old file's
    /// mode and owner, then a rename over it. On any failure the temporary file is removed and the
    /// old file is left as it was.
    pub fn write(&self, bytes: &[u8]) -> Result<(), DiskError> {
        self.stage(bytes)?.commit()
    }

    /// The first half of `write`: `bytes` in the temporary file beside the target (mode and owner
    /// kept, synced), to be put in place by `Staged::commit`. A `Staged` dropped uncommitted
    /// removes its temporary file, so a caller can prepare many writes and make none.
    pub fn stage(&self, bytes: &[u8]) -> Result<Staged, DiskError> {
        let dir = self.real.parent().unwrap_or(Path::new("/"));
        std::fs::create_dir_all(dir).map_err(|e| io(&self.path, e))?;
        let file_name = self.real.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        remove_stale_temporaries(dir);
        let temp = dir.join(format!(".{file_name}.{TEMP_MARK}{}.tmp", std::process::id()));
        let staged = Staged { path: self.path.clone(), real: self.real.clone(), temp: Some(temp) };
        let temp = staged.temp.as_deref().expect("just set");
        self.write_temporary(temp, bytes)?;
        Ok(staged)
    }

    /// Removes the file `open` looked at (a symbolic link itself, not the file it points to), and
    /// then its folder if that leaves it empty. Nothing to do when there was no file. A file that
    /// is gone meanwhile is not an error.
    pub fn remove(&self) -> Result<(), DiskError> {
        if self.existing.is_none() {
            return Ok(());
        }
        let path = absolute(&self.path)?;
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(io(&self.path, e)),
        }
        if let Some(dir) = path.parent()
            && std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
        {
            let _ = std::fs::remove_dir(dir);
        }
        Ok(())
    }

    fn write_temporary(&self, temp: &Path, bytes: &[u8]) -> Result<(), DiskError> {
        let fail = |e| io(&self.path, e);
        let _ = std::fs::remove_file(temp);
        let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(temp).map_err(fail)?;
        #[cfg(unix)]
        if let Some((mode, uid, gid)) = self.owner {
            use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
            let now = file.metadata().map_err(fail)?;
            if now.uid() != uid || now.gid() != gid {
                std::os::unix::fs::fchown(&file, Some(uid), Some(gid)).map_err(|error| DiskError::Owner {
                    path: shown(&self.path),
                    uid,
                    gid,
                    error,
                })?;
            }
            file.set_permissions(std::fs::Permissions::from_mode(mode)).map_err(fail)?;
        }
        file.write_all(bytes).map_err(fail)?;
        file.sync_all().map_err(fail)
    }
}

/// A write `Target::stage` prepared: the new bytes in a temporary file beside the target.
#[derive(Debug)]
pub struct Staged {
    /// The target as the caller named it (for messages).
    path: PathBuf,
    /// Where the rename goes (a link inside the folder resolved).
    real: PathBuf,
    /// The temporary file, until it is renamed.
    temp: Option<PathBuf>,
}

impl Staged {
    /// Puts the new bytes in place (a rename over the target).
    pub fn commit(mut self) -> Result<(), DiskError> {
        let temp = self.temp.take().expect("a staged write has its temporary file until it is committed");
        let result = std::fs::rename(&temp, &self.real).map_err(|e| io(&self.path, e));
        if result.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        result
    }
}

impl Drop for Staged {
    /// Not committed (a failed write, or the caller chose to write nothing): the temporary file
    /// goes and the target stays as it was.
    fn drop(&mut self) {
        if let Some(temp) = self.temp.take() {
            let _ = std::fs::remove_file(temp);
        }
    }
}

/// What marks sfperms' temporary files: `.NAME.sfperms-PID.tmp`.
const TEMP_MARK: &str = "sfperms-";

/// Removes temporary files in `dir` left by sfperms runs that are no longer running (killed
/// mid-write), once per folder and run.
fn remove_stale_temporaries(dir: &Path) {
    // Once per folder and run: listing the folder again for each file written to it would cost the
    // square of the number of files.
    static SWEPT: std::sync::Mutex<std::collections::BTreeSet<PathBuf>> =
        std::sync::Mutex::new(std::collections::BTreeSet::new());
    if !SWEPT.lock().map_or(true, |mut swept| swept.insert(dir.to_path_buf())) {
        return;
    }
    sweep_temporaries(dir, RunEnded::on_this_system());
}

/// How a sweep tells that the run which left a temporary file has ended.
#[derive(Debug, Clone, Copy)]
enum RunEnded<'a> {
    /// Its PID is neither ours nor listed in this folder of running processes (`/proc`).
    NotListedIn(&'a Path),
    /// No list of running processes: the file is older than `STALE_AGE`.
    OlderThanStaleAge,
}

/// How old a temporary file must be to count as left behind where the running processes cannot be
/// listed: no write takes a day.
const STALE_AGE: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);

impl RunEnded<'static> {
    /// `/proc` where it lists the running processes (Linux), else the age rule.
    fn on_this_system() -> Self {
        if Path::new("/proc/self").exists() {
            RunEnded::NotListedIn(Path::new("/proc"))
        } else {
            RunEnded::OlderThanStaleAge
        }
    }
}

impl RunEnded<'_> {
    /// Has the run with `pid`, whose temporary file is `age` old (`None`: unknown), ended?
    fn says(self, pid: u32, age: impl FnOnce() -> Option<std::time::Duration>) -> bool {
        match self {
            RunEnded::NotListedIn(processes) => pid != std::process::id() && !processes.join(pid.to_string()).exists(),
            RunEnded::OlderThanStaleAge => age().is_some_and(|age| age > STALE_AGE),
        }
    }
}

/// Removes the temporary files in `dir` whose run has ended by `rule`.
fn sweep_temporaries(dir: &Path, rule: RunEnded<'_>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = stale_candidate_pid(&name) else { continue };
        let age = || entry.metadata().and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok());
        if rule.says(pid, age) && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The PID in a temporary file name `.NAME.sfperms-PID.tmp`.
fn stale_candidate_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (_, pid) = rest.rsplit_once(TEMP_MARK)?;
    pid.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names() {
        assert_eq!(stale_candidate_pid(".X.profile-meta.xml.sfperms-123.tmp"), Some(123));
        assert_eq!(stale_candidate_pid("X.profile-meta.xml"), None);
        assert_eq!(stale_candidate_pid(".X.sfperms-abc.tmp"), None);
    }

    #[cfg(unix)]
    #[test]
    fn keeps_mode_and_writes_through_a_link_inside() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.xml");
        std::fs::write(&real, "old").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
        let link = dir.path().join("link.xml");
        std::os::unix::fs::symlink("real.xml", &link).unwrap();
        let target = Target::open(&link, dir.path()).unwrap();
        assert_eq!(target.existing.as_deref(), Some(&b"old"[..]));
        target.write(b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
        assert_eq!(std::fs::metadata(&real).unwrap().permissions().mode() & 0o777, 0o600);
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().filter_map(Result::ok).collect();
        assert_eq!(left.len(), 2, "no temporary file left");
    }

    #[cfg(unix)]
    #[test]
    fn refuses_links_out_and_special_files() {
        let outside = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("x.xml"), "x").unwrap();
        std::os::unix::fs::symlink(outside.path().join("x.xml"), dir.path().join("x.xml")).unwrap();
        let err = Target::open(&dir.path().join("x.xml"), dir.path()).unwrap_err();
        assert!(matches!(err, DiskError::LinkOutside { .. }), "{err}");
        std::os::unix::fs::symlink(outside.path(), dir.path().join("linked")).unwrap();
        let err = Target::open(&dir.path().join("linked/new/y.xml"), dir.path()).unwrap_err();
        assert!(matches!(err, DiskError::FolderOutside { .. }), "{err}");
        let err = Target::open(Path::new("/dev/null"), Path::new("/")).unwrap_err();
        assert!(matches!(err, DiskError::NotRegular { .. }), "{err}");
        std::fs::write(dir.path().join("file"), "x").unwrap();
        let err = Target::open(&dir.path().join("file/y.zip"), dir.path()).unwrap_err();
        assert!(matches!(err, DiskError::NotAFolder { .. }), "{err}");
    }

    #[test]
    fn stale_temporaries_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        // PID 4194304 is above Linux's pid_max, so it cannot be running.
        let stale = dir.path().join(".a.xml.sfperms-4194304.tmp");
        std::fs::write(&stale, "half").unwrap();
        let target = Target::open(&dir.path().join("a.xml"), dir.path()).unwrap();
        target.write(b"whole").unwrap();
        if Path::new("/proc/self").exists() {
            assert!(!stale.exists());
        }
        assert_eq!(std::fs::read(dir.path().join("a.xml")).unwrap(), b"whole");
    }

    /// The largest real profiles are a few megabytes: such a file is read whole under the cap,
    /// and so is a file of exactly the cap; a file over a cap is refused, before it is read, with
    /// its size and the cap in the message.
    #[test]
    fn multi_megabyte_files_are_read_and_larger_ones_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("large.profile-meta.xml");
        std::fs::write(&path, vec![b' '; 5 << 20]).unwrap();
        assert_eq!(read_regular(&path, MAX_FILE_BYTES).unwrap().len(), 5 << 20);
        assert_eq!(read_regular(&path, 5 << 20).unwrap().len(), 5 << 20);
        let err = read_regular(&path, 1 << 20).unwrap_err();
        assert!(matches!(err, DiskError::TooLarge { size: 5242880, limit: 1048576, .. }), "{err:?}");
        assert!(err.to_string().contains("5242880 bytes or more, over the 1048576 bytes sfperms reads"), "{err}");
    }

    /// A missing file is said as such after its path; `reason` says it without the path, for
    /// callers that name the file themselves.
    #[test]
    fn a_missing_file_is_named_and_its_reason_leaves_the_path_out() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("absent.xml");
        let err = read_regular(&path, MAX_FILE_BYTES).unwrap_err();
        assert!(matches!(err, DiskError::NotFound { .. }), "{err}");
        assert_eq!(err.to_string(), format!("{}: no such file or folder", path.display()));
        assert_eq!(err.reason(), "no such file or folder");
    }

    /// A stream (a zip entry) longer than the cap is refused, never cut to the cap; one of
    /// exactly the cap is read whole.
    #[test]
    fn a_stream_over_the_cap_is_refused_not_cut() {
        let path = Path::new("in.zip/entry.xml");
        let err = read_capped(&b"<abcdef/>"[..], path, 4, 0).unwrap_err();
        assert!(matches!(err, DiskError::TooLarge { size: 5, limit: 4, .. }), "{err:?}");
        assert_eq!(read_capped(&b"<ab/>"[..], path, 5, 0).unwrap(), b"<ab/>");
    }

    /// A staged write the caller drops instead of committing leaves the file as it was and no
    /// temporary file behind.
    #[test]
    fn a_staged_write_dropped_leaves_the_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.xml");
        std::fs::write(&path, "old").unwrap();
        drop(Target::open(&path, dir.path()).unwrap().stage(b"new").unwrap());
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
    }

    /// `remove` deletes the file, and its folder once that is empty; a file gone meanwhile is
    /// not an error.
    #[test]
    fn remove_deletes_the_file_then_its_empty_folder() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("Set");
        std::fs::create_dir(&folder).unwrap();
        for name in ["a.xml", "b.xml"] {
            std::fs::write(folder.join(name), "x").unwrap();
        }
        Target::open(&folder.join("a.xml"), dir.path()).unwrap().remove().unwrap();
        assert!(!folder.join("a.xml").exists() && folder.join("b.xml").exists());
        let b = Target::open(&folder.join("b.xml"), dir.path()).unwrap();
        std::fs::remove_file(folder.join("b.xml")).unwrap();
        b.remove().unwrap();
        std::fs::write(folder.join("c.xml"), "x").unwrap();
        Target::open(&folder.join("c.xml"), dir.path()).unwrap().remove().unwrap();
        assert!(!folder.exists(), "the emptied folder goes");
    }

    /// A rewrite keeps the file's owner and group, each on its own. Giving a file away needs
    /// root: elsewhere the file is the writer's own and there is nothing to keep.
    #[cfg(unix)]
    #[test]
    fn a_rewrite_keeps_the_owner_and_the_group() {
        use std::os::unix::fs::MetadataExt as _;
        let dir = tempfile::tempdir().unwrap();
        for (name, uid, gid) in [("user.xml", Some(4242), None), ("group.xml", None, Some(4343))] {
            let path = dir.path().join(name);
            std::fs::write(&path, "old").unwrap();
            if std::os::unix::fs::chown(&path, uid, gid).is_err() {
                return;
            }
            let before = std::fs::metadata(&path).unwrap();
            Target::open(&path, dir.path()).unwrap().write(b"new").unwrap();
            let after = std::fs::metadata(&path).unwrap();
            assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()), "{name}");
            assert_eq!(std::fs::read(&path).unwrap(), b"new");
        }
    }

    /// Where a folder lists the running processes (`/proc`), a temporary file's run has ended when
    /// its PID is neither listed there nor this process's own.
    #[test]
    fn a_run_has_ended_when_its_pid_is_neither_listed_nor_ours() {
        let processes = tempfile::tempdir().unwrap();
        std::fs::create_dir(processes.path().join("77")).unwrap();
        let rule = RunEnded::NotListedIn(processes.path());
        assert!(!rule.says(77, || None), "listed: still running");
        assert!(rule.says(78, || None), "not listed: ended");
        assert!(!rule.says(std::process::id(), || None), "this run's own");
    }

    /// Where the running processes cannot be listed, a temporary file is left behind once it is
    /// more than a day old; one of unknown age is kept.
    #[test]
    fn without_a_process_list_a_temporary_file_is_stale_after_a_day() {
        let rule = RunEnded::OlderThanStaleAge;
        let hours = |h: u64| move || Some(std::time::Duration::from_secs(h * 3600));
        assert!(rule.says(1, hours(25)));
        assert!(!rule.says(1, hours(24)), "exactly a day");
        assert!(!rule.says(1, hours(2)));
        assert!(!rule.says(1, || None), "unknown age");
    }

    /// A sweep removes the temporary files of ended runs and nothing else: not a running run's,
    /// not the target, not a folder that happens to carry a temporary file's name.
    #[test]
    fn a_sweep_removes_only_the_temporary_files_of_ended_runs() {
        let processes = tempfile::tempdir().unwrap();
        std::fs::create_dir(processes.path().join("77")).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let names = [".a.xml.sfperms-77.tmp", ".a.xml.sfperms-78.tmp", ".b.xml.sfperms-79.tmp", "a.xml"];
        for name in names {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        std::fs::create_dir(dir.path().join(".c.xml.sfperms-80.tmp")).unwrap();
        sweep_temporaries(dir.path(), RunEnded::NotListedIn(processes.path()));
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".a.xml.sfperms-77.tmp", ".c.xml.sfperms-80.tmp", "a.xml"]);
    }

    /// An entry that cannot be looked at for a reason other than absence is an error naming that
    /// entry, never taken for a missing file. A name longer than the file system allows (255
    /// bytes) fails that way even for root, who passes every permission check.
    #[test]
    fn an_entry_that_cannot_be_looked_at_is_an_error_not_an_absence() {
        let dir = tempfile::tempdir().unwrap();
        let long = dir.path().join("x".repeat(300));
        let named = |err: &DiskError, entry: &Path| matches!(err, DiskError::Io { path, .. } if *path == shown(entry));
        let err = Target::open(&long, dir.path()).unwrap_err();
        assert!(named(&err, &long), "the file itself: {err:?}");
        let err = Target::open(&long.join("a.xml"), dir.path()).unwrap_err();
        assert!(named(&err, &long), "a folder above it: {err:?}");
    }

    /// A file that cannot be removed (here replaced by a folder since it was read) is an error;
    /// only a file already gone is not.
    #[test]
    fn a_file_that_cannot_be_removed_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.xml");
        std::fs::write(&path, "x").unwrap();
        let target = Target::open(&path, dir.path()).unwrap();
        std::fs::remove_file(&path).unwrap();
        std::fs::create_dir(&path).unwrap();
        let err = target.remove().unwrap_err();
        assert!(matches!(&err, DiskError::Io { path: shown_path, .. } if *shown_path == shown(&path)), "{err:?}");
        assert!(path.is_dir());
    }

    /// Writing changes a file only when the bytes differ; anything written where there is no file
    /// yet is a change.
    #[test]
    fn a_write_changes_a_file_only_when_the_bytes_differ() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.xml");
        assert!(Target::open(&path, dir.path()).unwrap().changes(b""));
        std::fs::write(&path, "same").unwrap();
        let target = Target::open(&path, dir.path()).unwrap();
        assert!(!target.changes(b"same"));
        assert!(target.changes(b"other"));
    }

    /// The folders a write needs are created, the root it writes into included
    /// (`gen --out-dir new/sub` with neither existing yet).
    #[test]
    fn a_write_creates_the_folders_it_needs_its_root_included() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("new/sub");
        let path = root.join("permissionsets/A.permissionset-meta.xml");
        Target::open(&path, &root).unwrap().write(b"x").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"x");
    }

    /// The temporary file of a run still going (PID 1 always runs) is left alone.
    #[test]
    fn a_running_processs_temporary_file_is_kept() {
        if !Path::new("/proc/1").exists() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let running = dir.path().join(".a.xml.sfperms-1.tmp");
        std::fs::write(&running, "half").unwrap();
        Target::open(&dir.path().join("a.xml"), dir.path()).unwrap().write(b"whole").unwrap();
        assert!(running.exists());
    }
}
