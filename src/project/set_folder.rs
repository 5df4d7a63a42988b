//! A decomposed permission set on disk: from the set's own file, its folder and layout (the files'
//! shape, checked against the project's preset), its files read (with `source`'s size limit) and
//! recomposed as the sf CLI does (`decomposed`); and a component read whole, whichever way it is
//! stored (`read_component`). Nothing here writes or prints.

use std::path::{Path, PathBuf};

use super::sfdx::{ProjectError, SfdxProject};
use super::source::{self, Entry, MAX_FILE_BYTES, Origin, Source, SourceError, SourceReader};
use crate::metadata::decomposed::{self, DecomposedError, Decomposition, LayoutNote, PartFile, Recomposed};
use crate::metadata::names::encode_file_name;
use crate::metadata::{Document, FileKind};

/// The folder of a decomposed set and the files in it.
#[derive(Debug, Clone)]
pub struct SetFolder {
    /// `…/permissionsets/<Name>`.
    pub dir: PathBuf,
    /// The set's API name.
    pub name: String,
    pub layout: Decomposition,
    /// Every file in the folder, relative to it (`/`), sorted; the set's own file among them.
    pub files: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum SetFolderError {
    #[error(transparent)]
    Decomposed(#[from] DecomposedError),
    #[error(transparent)]
    Project(#[from] ProjectError),
    #[error("{path}: cannot read it: {source}")]
    Io { path: String, source: std::io::Error },
    #[error(transparent)]
    Disk(#[from] crate::disk::DiskError),
}

fn io(path: &Path, source: std::io::Error) -> SetFolderError {
    SetFolderError::Io { path: path.display().to_string(), source }
}

/// The files under `dir` (two levels, as the CLI writes them), relative, sorted; names starting
/// with `.` are skipped (`.DS_Store`, editors' files).
fn list(dir: &Path) -> Result<Vec<String>, SetFolderError> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).max_depth(2).follow_links(false).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            io(&path, e.into_io_error().unwrap_or_else(|| std::io::Error::other("unreadable")))
        })?;
        if entry.file_name().to_string_lossy().starts_with('.') || entry.file_type().is_dir() {
            continue;
        }
        let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        out.push(relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"));
    }
    Ok(out)
}

/// The decomposed set whose own file is `stub`, or `None` for a set kept in one file. A set is
/// decomposed when its file sits in a folder named after it and that folder holds child files, or
/// the project's preset (`configured`) says so.
pub fn locate(stub: &Path, name: &str, configured: Option<Decomposition>) -> Result<Option<SetFolder>, SetFolderError> {
    let Some(dir) = stub.parent() else { return Ok(None) };
    let encoded = encode_file_name(name);
    if dir.file_name().and_then(|n| n.to_str()) != Some(encoded.as_str()) {
        return Ok(None);
    }
    let files = list(dir)?;
    let shape = decomposed::layout_of(&dir.display().to_string(), &encoded, files.iter().map(String::as_str))?;
    let layout = match (shape, configured) {
        (Some(found), Some(configured)) if found != configured => {
            return Err(DecomposedError::LayoutMismatch { folder: dir.display().to_string(), found, configured }.into());
        }
        (Some(layout), _) | (None, Some(layout)) => layout,
        (None, None) => return Ok(None),
    };
    Ok(Some(SetFolder { dir: dir.to_path_buf(), name: name.to_string(), layout, files }))
}

/// The decomposed set whose own file is `entry` of `source` (named `name`), or `None`: the entry is
/// not a PermissionSet file on disk, or the set is kept in one file. In an SFDX project its
/// `sfdx-project.json` preset applies.
pub fn of_entry(source: &Source, entry: &Entry, name: &str) -> Result<Option<SetFolder>, SetFolderError> {
    let Some(path) = entry.path().filter(|_| entry.kind == Some(FileKind::PermissionSet)) else { return Ok(None) };
    let configured = match source.origin {
        Origin::SfdxProject => SfdxProject::open(&source.root)?.and_then(|p| p.decomposition),
        _ => None,
    };
    locate(path, name, configured)
}

/// Reads a regular file, refusing one over `MAX_FILE_BYTES` (`disk::read_regular`).
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, SetFolderError> {
    Ok(crate::disk::read_regular(path, MAX_FILE_BYTES)?)
}

/// Every file of the folder with its bytes, in `files` order.
pub fn read_all(folder: &SetFolder) -> Result<Vec<(String, Vec<u8>)>, SetFolderError> {
    folder.files.iter().map(|relative| Ok((relative.clone(), read_file(&folder.dir.join(relative))?))).collect()
}

/// The set the sf CLI recomposes from the folder's files.
pub fn recompose(folder: &SetFolder, files: &[(String, Vec<u8>)]) -> Result<Recomposed, SetFolderError> {
    let displays: Vec<String> = files.iter().map(|(r, _)| folder.dir.join(r).display().to_string()).collect();
    let parts: Vec<PartFile> =
        files.iter().zip(&displays).map(|((relative, bytes), display)| PartFile { relative, display, bytes }).collect();
    Ok(decomposed::recompose(
        &folder.dir.display().to_string(),
        &encode_file_name(&folder.name),
        folder.layout,
        &parts,
    )?)
}

/// A component read whole: its one file, or a decomposed set's files recomposed as the sf CLI
/// recomposes them.
#[derive(Debug, Clone)]
pub struct ReadComponent {
    pub document: Document,
    /// What people see: the file, or the set's folder.
    pub display: String,
    /// The decomposed set's folder, if it is one.
    pub folder: Option<SetFolder>,
    /// The file's bytes, or each of the set's files (relative to its folder) with theirs.
    pub files: Vec<(String, Vec<u8>)>,
    /// What the recomposition found that the sf CLI would do unexpectedly.
    pub notes: Vec<LayoutNote>,
}

/// Why a component could not be read whole.
#[derive(Debug, thiserror::Error)]
pub enum ReadComponentError {
    #[error(transparent)]
    SetFolder(#[from] SetFolderError),
    #[error(transparent)]
    Source(#[from] SourceError),
}

/// Reads the component `entry` of `source` (named `name`) through `reader`: a permission set the
/// sf CLI stores decomposed is read with every child file, in the layout its files and the
/// project's `sfdx-project.json` say; anything else is its one file.
pub fn read_component(
    source: &Source,
    reader: &mut SourceReader,
    entry: &Entry,
    name: &str,
) -> Result<ReadComponent, ReadComponentError> {
    if let Some(folder) = of_entry(source, entry, name)? {
        let files = read_all(&folder)?;
        let recomposed = recompose(&folder, &files)?;
        return Ok(ReadComponent {
            document: recomposed.document,
            display: folder.dir.display().to_string(),
            folder: Some(folder),
            files,
            notes: recomposed.notes,
        });
    }
    let bytes = reader.read(entry)?;
    let document = source::parse_entry(entry, &bytes)?;
    Ok(ReadComponent {
        document,
        display: entry.display.clone(),
        folder: None,
        files: vec![(entry.relative.clone(), bytes)],
        notes: Vec::new(),
    })
}

#[cfg(test)]
#[path = "set_folder_tests.rs"]
mod rules;
