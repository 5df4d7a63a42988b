//! Where existing metadata files come from, and reading them safely: one file, an SFDX project
//! (every `packageDirectories` entry), an mdapi or any other folder, or a retrieve zip
//! (`unpackaged/…` or flat). Files are recognised by name (`X.permissionset[-meta.xml]`,
//! `X.profile[-meta.xml]`, `X.permissionsetgroup[-meta.xml]`, `X.mutingpermissionset[-meta.xml]`) and, for the child files of a permission set the sf CLI stores
//! decomposed, by their path (`permissionsets/X/…`, see `decomposed`); folders whose name starts
//! with `.` and `node_modules` are skipped.
//!
//! Safety: symbolic links are followed only while they stay inside the folder being read (a link
//! out of it, or a loop, is an error); zip entries whose names escape their folder are refused
//! (nothing is ever extracted); a file larger than `MAX_FILE_BYTES` is refused before it is read,
//! and a zip entry is never inflated past it (zip bombs); `read` refuses the rest (non-UTF-8,
//! DOCTYPE, …). `map` reads files on every core, one file per worker at a time, so memory stays
//! near the size of the largest file times the number of cores. Nothing here writes or prints.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;

use super::sfdx::{ProjectError, SfdxProject};
pub use crate::disk::MAX_FILE_BYTES;
use crate::disk::{self, DiskError};
use crate::metadata::decomposed;
use crate::metadata::document::{Borrowed, Document};
use crate::metadata::entries::Entries;
use crate::metadata::kind::FileKind;
use crate::metadata::read::{self, Namespace};

/// What kind of place the files come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    File,
    SfdxProject,
    Folder,
    Zip,
}

/// One metadata file of a source.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// The path relative to the source's root, with `/` (a zip entry's name for a zip).
    pub relative: String,
    /// The path people see in messages: one they can open (`x.zip!/entry` inside a zip).
    pub display: String,
    /// The kind its file name says; `None` for a file named on the command line with another name.
    pub kind: Option<FileKind>,
    /// The component name its file name says (URL-decoded).
    pub name: String,
    #[serde(skip)]
    location: Location,
}

impl Entry {
    /// The file on disk, unless the entry is inside a zip.
    pub fn path(&self) -> Option<&Path> {
        match &self.location {
            Location::Path(path) => Some(path),
            Location::ZipIndex(_) => None,
        }
    }
}

#[derive(Debug, Clone)]
enum Location {
    Path(PathBuf),
    ZipIndex(usize),
}

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{path}: no such file or folder")]
    NotFound { path: String },
    #[error("{path}: cannot read it: {error}")]
    Io { path: String, error: std::io::Error },
    #[error(transparent)]
    Disk(#[from] DiskError),
    #[error("{path}:{line}: {message}")]
    Parse { path: String, line: usize, message: String },
    #[error("{path}: the root element is <{found}>, not <{expected}>: is it a {expected} file?")]
    WrongRoot { path: String, found: String, expected: String },
    #[error(
        "{path}: the root element is <{found}>; sfperms reads PermissionSet, Profile, PermissionSetGroup, MutingPermissionSet and package.xml files"
    )]
    UnknownRoot { path: String, found: String },
    #[error(
        "{path}: {size} bytes, more than the {limit} bytes sfperms reads from one metadata file; is it really a permission set or profile?"
    )]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error(
        "{path}: symbolic link to `{target}`, outside `{root}`: sfperms does not follow links out of the folder it reads"
    )]
    LinkOutside { path: String, target: String, root: String },
    #[error("{path}: symbolic link loop (back to `{ancestor}`): remove the link")]
    LinkLoop { path: String, ancestor: String },
    #[error(
        "{path}: entry `{entry}` leaves its folder (absolute, drive letter or `..` path); refusing the whole archive"
    )]
    ZipEscape { path: String, entry: String },
    #[error("{path}: entry `{entry}` is in the archive twice; refusing the whole archive")]
    ZipDuplicate { path: String, entry: String },
    #[error("{path}: `{name}` is ambiguous, {count} files have that name: {paths}; {hint}")]
    Ambiguous { path: String, name: String, count: usize, paths: String, hint: &'static str },
    #[error("{path}: not a readable zip archive: {message}")]
    Zip { path: String, message: String },
    #[error(transparent)]
    Project(#[from] ProjectError),
}

/// The metadata files found at a path.
#[derive(Debug, Clone)]
pub struct Source {
    /// The folder paths are relative to (a single file's folder; the zip for a zip).
    pub root: PathBuf,
    pub origin: Origin,
    /// Sorted by relative path.
    pub entries: Vec<Entry>,
}

fn io_error(path: &Path, error: std::io::Error) -> SourceError {
    if error.kind() == std::io::ErrorKind::NotFound {
        SourceError::NotFound { path: path.display().to_string() }
    } else {
        SourceError::Io { path: path.display().to_string(), error }
    }
}

/// A zip by its extension or its first bytes (`path` is known to be a regular file).
fn is_zip(path: &Path) -> bool {
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip")) {
        return true;
    }
    let mut magic = [0u8; 4];
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut magic)).is_ok() && magic == *b"PK\x03\x04"
}

/// Does a zip entry name leave the archive's folder? Absolute paths, drive letters (`C:`) and
/// `..` components count, with `\\` taken as a separator too (archives made on Windows).
fn zip_name_escapes(name: &str) -> bool {
    let bytes = name.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    drive || name.starts_with(['/', '\\']) || name.split(['/', '\\']).any(|part| part == "..")
}

/// What the discovery does with a package directory that does not exist: an error when reading
/// (`diff`, `fmt`), nothing found when about to write (`gen` creates it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MissingDirs {
    Refuse,
    Skip,
}

fn skipped_folder(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || name == "node_modules"
}

impl Source {
    /// The metadata files at `path`: the file itself, or those found under a folder or in a zip.
    pub fn open(path: &Path) -> Result<Source, SourceError> {
        let meta = std::fs::metadata(path).map_err(|e| io_error(path, e))?;
        if meta.is_dir() {
            return Source::open_dir(path, MissingDirs::Refuse);
        }
        disk::check_regular(path, &meta)?;
        if is_zip(path) {
            return Source::open_zip(path);
        }
        let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let (kind, name) = match FileKind::from_file_name(&file) {
            Some((kind, name)) => (Some(kind), name),
            None => (None, file.clone()),
        };
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let entry = Entry {
            relative: file,
            display: path.display().to_string(),
            kind,
            name,
            location: Location::Path(path.into()),
        };
        Ok(Source { root, origin: Origin::File, entries: vec![entry] })
    }

    /// The metadata files under the folder `dir`: every package directory of an SFDX project, else
    /// the whole folder; sorted, skipping hidden folders and `node_modules`, refusing links out of
    /// `dir`. The one discovery `gen`, `diff` and `fmt` share.
    pub(crate) fn open_dir(dir: &Path, missing: MissingDirs) -> Result<Source, SourceError> {
        let (origin, dirs) = match SfdxProject::open(dir)? {
            Some(project) => (Origin::SfdxProject, project.package_dirs),
            None => (Origin::Folder, vec![dir.to_path_buf()]),
        };
        let root = dir.canonicalize().map_err(|e| io_error(dir, e))?;
        let mut found = std::collections::BTreeMap::new();
        for start in dirs {
            if !start.is_dir() {
                if missing == MissingDirs::Skip && !start.exists() {
                    continue;
                }
                return Err(SourceError::NotFound { path: start.display().to_string() });
            }
            let walk = walkdir::WalkDir::new(&start)
                .follow_links(true)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| e.depth() == 0 || !e.file_type().is_dir() || !skipped_folder(e.file_name()));
            for item in walk {
                let item = item.map_err(|e| {
                    let path = e.path().map(|p| p.display().to_string()).unwrap_or_default();
                    match e.loop_ancestor() {
                        Some(ancestor) => SourceError::LinkLoop { path, ancestor: ancestor.display().to_string() },
                        None => match e.into_io_error() {
                            Some(error) => SourceError::Io { path, error },
                            None => SourceError::Io { path, error: std::io::Error::other("unreadable") },
                        },
                    }
                })?;
                if item.path_is_symlink() {
                    let target = item.path().canonicalize().map_err(|e| io_error(item.path(), e))?;
                    if !target.starts_with(&root) {
                        return Err(SourceError::LinkOutside {
                            path: item.path().display().to_string(),
                            target: target.display().to_string(),
                            root: dir.display().to_string(),
                        });
                    }
                }
                if !item.file_type().is_file() {
                    continue;
                }
                let file = item.file_name().to_string_lossy();
                let relative = item
                    .path()
                    .strip_prefix(dir)
                    .unwrap_or(item.path())
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                let Some((kind, name)) = FileKind::from_file_name(&file).or_else(|| part_kind(&relative)) else {
                    continue;
                };
                if kind == FileKind::Package {
                    continue;
                }
                let entry = Entry {
                    display: item.path().display().to_string(),
                    relative: relative.clone(),
                    kind: Some(kind),
                    name,
                    location: Location::Path(item.path().to_path_buf()),
                };
                found.insert(relative, entry);
            }
        }
        Ok(Source { root: dir.to_path_buf(), origin, entries: found.into_values().collect() })
    }

    fn open_zip(path: &Path) -> Result<Source, SourceError> {
        let mut archive = open_archive(path)?;
        let directory = archive.central_directory_start();
        if let Some(entry) = duplicate_zip_entry(path, directory).map_err(|e| io_error(path, e))? {
            return Err(SourceError::ZipDuplicate { path: path.display().to_string(), entry });
        }
        let mut entries = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for index in 0..archive.len() {
            let file = archive
                .by_index_raw(index)
                .map_err(|e| SourceError::Zip { path: path.display().to_string(), message: e.to_string() })?;
            if file.enclosed_name().is_none() || zip_name_escapes(file.name()) {
                return Err(SourceError::ZipEscape {
                    path: path.display().to_string(),
                    entry: file.name().to_string(),
                });
            }
            if !seen.insert(file.name().trim_start_matches("./").to_string()) {
                return Err(SourceError::ZipDuplicate {
                    path: path.display().to_string(),
                    entry: file.name().to_string(),
                });
            }
            if file.is_dir() {
                continue;
            }
            let relative = file.name().trim_start_matches("./").to_string();
            let base = relative.rsplit('/').next().unwrap_or_default();
            let Some((kind, name)) = FileKind::from_file_name(base).or_else(|| part_kind(&relative)) else {
                continue;
            };
            if kind == FileKind::Package {
                continue;
            }
            entries.push(Entry {
                display: format!("{}!/{relative}", path.display()),
                relative,
                kind: Some(kind),
                name,
                location: Location::ZipIndex(index),
            });
        }
        entries.sort_by(|a, b| a.relative.cmp(&b.relative));
        Ok(Source { root: path.to_path_buf(), origin: Origin::Zip, entries })
    }

    /// A reader for this source (a zip is opened once per reader).
    pub fn reader(&self) -> Result<SourceReader, SourceError> {
        let archive = match self.origin {
            Origin::Zip => Some(open_archive(&self.root)?),
            _ => None,
        };
        Ok(SourceReader { archive })
    }

    /// Runs `f` on every entry, on every core, each worker with its own reader; results in entry
    /// order. A worker holds one file at a time.
    pub fn map<R, F>(&self, f: F) -> Result<Vec<R>, SourceError>
    where
        R: Send,
        F: Fn(&mut SourceReader, &Entry) -> R + Sync,
    {
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(self.entries.len()).max(1);
        let next = AtomicUsize::new(0);
        let results = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    scope.spawn(|| -> Result<Vec<(usize, R)>, SourceError> {
                        let mut reader = self.reader()?;
                        let mut out = Vec::new();
                        loop {
                            let index = next.fetch_add(1, Ordering::Relaxed);
                            let Some(entry) = self.entries.get(index) else { break };
                            out.push((index, f(&mut reader, entry)));
                        }
                        Ok(out)
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().expect("a reader thread panicked")).collect::<Vec<_>>()
        });
        let mut all = Vec::with_capacity(self.entries.len());
        for result in results {
            all.extend(result?);
        }
        all.sort_by_key(|(index, _)| *index);
        Ok(all.into_iter().map(|(_, r)| r).collect())
    }

    /// The entries of `kind` named `name` (more than one means it is ambiguous).
    pub fn find(&self, kind: FileKind, name: &str) -> Vec<&Entry> {
        self.entries.iter().filter(|e| e.kind == Some(kind) && e.name == name).collect()
    }

    /// The one entry of `kind` named `name`, if any; two or more (the same name in two folders, or
    /// an encoded and a plain file name such as `E%26F X` and `E&F X`) are an error naming them.
    pub fn find_one(&self, kind: FileKind, name: &str, hint: &'static str) -> Result<Option<&Entry>, SourceError> {
        match self.find(kind, name).as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(*one)),
            many => Err(SourceError::Ambiguous {
                path: self.root.display().to_string(),
                name: name.to_string(),
                count: many.len(),
                paths: many.iter().map(|e| e.display.as_str()).collect::<Vec<_>>().join(", "),
                hint,
            }),
        }
    }

    /// The names of every component of `kind`, for "did you mean" lists.
    pub fn names(&self, kind: FileKind) -> Vec<&str> {
        let mut names: Vec<&str> =
            self.entries.iter().filter(|e| e.kind == Some(kind)).map(|e| e.name.as_str()).collect();
        names.dedup();
        names
    }
}

/// The first name the central directory of the zip at `path` lists twice. The zip crate keeps one
/// entry per name and drops the others silently, so the directory is read here, record by record
/// from `start`, where the crate read it (`ZipArchive::central_directory_start`, zip64 and data
/// before the archive included), for as long as records follow (at most `MAX_FILE_BYTES`).
fn duplicate_zip_entry(path: &Path, start: u64) -> std::io::Result<Option<String>> {
    use std::io::{Seek as _, SeekFrom};
    let mut file = std::fs::File::open(path)?;
    file.seek(SeekFrom::Start(start))?;
    let mut directory = Vec::new();
    file.take(MAX_FILE_BYTES).read_to_end(&mut directory)?;
    let mut seen = std::collections::BTreeSet::new();
    let mut at = 0;
    // A record: its signature, fixed fields to byte 46 (the name's length at 28, the extra
    // field's at 30, the comment's at 32), then the name, the extra field and the comment.
    while let Some(header) = directory.get(at..at + 46).filter(|h| h.starts_with(b"PK\x01\x02")) {
        let field = |i: usize| usize::from(u16::from_le_bytes([header[i], header[i + 1]]));
        let (name_len, extra_len, comment_len) = (field(28), field(30), field(32));
        let Some(name) = directory.get(at + 46..at + 46 + name_len) else { break };
        if !seen.insert(name) {
            return Ok(Some(String::from_utf8_lossy(name).into_owned()));
        }
        at += 46 + name_len + extra_len + comment_len;
    }
    Ok(None)
}

/// A child file of a decomposed permission set, with the set's name.
fn part_kind(relative: &str) -> Option<(FileKind, String)> {
    decomposed::part_of(relative).map(|(set, _)| (FileKind::PermissionSetPart, set))
}

fn open_archive(path: &Path) -> Result<zip::ZipArchive<std::io::BufReader<std::fs::File>>, SourceError> {
    let file = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
    zip::ZipArchive::new(std::io::BufReader::new(file))
        .map_err(|e| SourceError::Zip { path: path.display().to_string(), message: e.to_string() })
}

/// Reads the entries of one source; one per thread.
pub struct SourceReader {
    archive: Option<zip::ZipArchive<std::io::BufReader<std::fs::File>>>,
}

fn too_large(entry: &Entry, size: u64) -> SourceError {
    SourceError::TooLarge { path: entry.display.clone(), size, limit: MAX_FILE_BYTES }
}

impl SourceReader {
    /// The bytes of `entry`, refusing files over `MAX_FILE_BYTES` before reading them.
    pub fn read(&mut self, entry: &Entry) -> Result<Vec<u8>, SourceError> {
        match (&entry.location, &mut self.archive) {
            (Location::Path(path), _) => disk::read_regular(path, MAX_FILE_BYTES).map_err(|e| match e {
                DiskError::TooLarge { size, .. } => too_large(entry, size),
                DiskError::NotFound { .. } => SourceError::NotFound { path: entry.display.clone() },
                other => SourceError::Disk(other),
            }),
            (Location::ZipIndex(index), Some(archive)) => {
                let zip_error = |message: String| SourceError::Zip { path: entry.display.clone(), message };
                let file = archive.by_index(*index).map_err(|e| zip_error(e.to_string()))?;
                if file.size() > MAX_FILE_BYTES {
                    return Err(too_large(entry, file.size()));
                }
                // The declared size may lie: `read_capped` never inflates past the limit.
                let expected = usize::try_from(file.size()).unwrap_or(0);
                disk::read_capped(file, Path::new(&entry.display), MAX_FILE_BYTES, expected).map_err(|e| match e {
                    DiskError::TooLarge { size, .. } => too_large(entry, size),
                    other => zip_error(other.reason()),
                })
            }
            (Location::ZipIndex(_), None) => Err(SourceError::Zip {
                path: entry.display.clone(),
                message: "the archive is not open (please report this)".into(),
            }),
        }
    }

    /// Reads and parses `entry`, checking its root element against its kind.
    pub fn load(&mut self, entry: &Entry) -> Result<Document, SourceError> {
        let bytes = self.read(entry)?;
        parse_entry(entry, &bytes)
    }
}

/// Parses the bytes of `entry`, checking its root element against its kind.
pub fn parse_entry(entry: &Entry, bytes: &[u8]) -> Result<Document, SourceError> {
    parse_file(&entry.display, entry.kind, bytes)
}

/// Parses the bytes of the file shown as `display`, checking its root element against `kind`
/// (any of the three kinds when `None`). A child file of a decomposed permission set may have no
/// namespace.
pub(crate) fn parse_file(display: &str, kind: Option<FileKind>, bytes: &[u8]) -> Result<Document, SourceError> {
    let doc = read::parse_bytes_with(bytes, namespace_of(kind)).map_err(|e| parse_error(display, e))?;
    check_root_of(display, kind, &doc.root)?;
    Ok(doc)
}

/// `parse_entry` into a tree that borrows from `prepared` (the file's bytes, `read::prepare`d by
/// `prepare_entry`): what `fmt` and `diff` read, with no allocation per name or value.
pub(crate) fn parse_prepared<'a>(entry: &Entry, prepared: &'a read::Prepared) -> Result<Borrowed<'a>, SourceError> {
    let doc = prepared.parse(namespace_of(entry.kind)).map_err(|e| parse_error(&entry.display, e))?;
    check_root_of(&entry.display, entry.kind, &doc.root)?;
    Ok(doc)
}

/// The entries `diff` compares of `entry`'s bytes, read without a tree (`Entries::read`), its
/// root element checked against its kind: what `parse_entry` refuses, it refuses alike.
pub fn read_entries(entry: &Entry, bytes: Vec<u8>) -> Result<Entries, SourceError> {
    let entries = Entries::read(bytes, namespace_of(entry.kind)).map_err(|e| parse_error(&entry.display, e))?;
    check_root_of(&entry.display, entry.kind, entries.root())?;
    Ok(entries)
}

/// The bytes of `entry` ready to be read (`read::prepare`).
pub(crate) fn prepare_entry<'a>(entry: &Entry, bytes: &'a [u8]) -> Result<read::Prepared<'a>, SourceError> {
    read::prepare(bytes).map_err(|e| parse_error(&entry.display, e))
}

/// A child file of a decomposed permission set may have no namespace.
fn namespace_of(kind: Option<FileKind>) -> Namespace {
    if kind == Some(FileKind::PermissionSetPart) { Namespace::Optional } else { Namespace::Required }
}

fn parse_error(display: &str, e: read::ParseError) -> SourceError {
    SourceError::Parse { path: display.to_string(), line: e.line, message: e.message }
}

/// Whether a file of `entry`'s name may have the root element `root`.
pub(crate) fn check_root(entry: &Entry, root: &str) -> Result<(), SourceError> {
    check_root_of(&entry.display, entry.kind, root)
}

/// Whether the file shown as `display`, of the kind its name says, may have the root `root`.
fn check_root_of(display: &str, kind: Option<FileKind>, root: &str) -> Result<(), SourceError> {
    match kind {
        Some(FileKind::PermissionSetPart) if decomposed::is_part_root(root) => Ok(()),
        Some(kind) if root != kind.root() => Err(SourceError::WrongRoot {
            path: display.to_string(),
            found: root.to_string(),
            expected: kind.root().to_string(),
        }),
        None if ![
            FileKind::PermissionSet,
            FileKind::Profile,
            FileKind::Package,
            FileKind::PermissionSetGroup,
            FileKind::MutingPermissionSet,
        ]
        .iter()
        .any(|k| k.root() == root) =>
        {
            Err(SourceError::UnknownRoot { path: display.to_string(), found: root.to_string() })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
#[path = "source_tests.rs"]
pub(super) mod rules;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zip_names_that_escape() {
        for name in ["../x.profile", "..\\..\\x.profile", "C:/x.profile", "c:x.profile", "/x", "\\x", "a/../../x"] {
            assert!(zip_name_escapes(name), "{name}");
        }
        for name in ["unpackaged/profiles/x.profile", "profiles/a..b.profile", "package.xml"] {
            assert!(!zip_name_escapes(name), "{name}");
        }
    }
}
