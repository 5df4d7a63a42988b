//! Where generated files go and what bytes they hold: stdout, an SFDX project or folder (source
//! layout), an mdapi folder with package.xml, or a deployable zip. Existing profiles are overlaid,
//! not replaced (a profile deploy overlays); permission sets are replaced (a deploy replaces them).
//! In a project whose permission sets the sf CLI stores decomposed, a set becomes the files the CLI
//! writes for it (its child files added, updated and removed so that the CLI recomposes exactly
//! the set). Writes are atomic. Nothing here prints.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::catalog::OutputKind;
use crate::emit;
use crate::metadata::decomposed::{self, Decomposition};
use crate::metadata::names::encode_file_name;
use crate::metadata::set_folder::{self, SetFolderError};
use crate::metadata::{Document, overlay, read};
use crate::project::{self, SfdxProject};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Source,
    Mdapi,
}

/// One generated component.
#[derive(Debug, Clone)]
pub struct Component {
    pub kind: OutputKind,
    pub name: String,
    pub document: Document,
}

/// A file to write (or, with `remove`, to delete), with what is there now.
#[derive(Debug, Clone)]
pub struct FileOut {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    pub existing: Option<Vec<u8>>,
    /// The file goes: a child file of a decomposed set whose entries the set no longer holds.
    pub remove: bool,
}

impl FileOut {
    pub fn new(path: PathBuf, bytes: Vec<u8>, existing: Option<Vec<u8>>) -> FileOut {
        FileOut { path, bytes, existing, remove: false }
    }

    pub fn changes(&self) -> bool {
        if self.remove { self.existing.is_some() } else { self.existing.as_deref() != Some(self.bytes.as_slice()) }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("`{path}`: {message}")]
    Read { path: String, message: String },
    #[error(transparent)]
    Project(#[from] project::ProjectError),
    #[error("`{path}`: cannot write: {source}")]
    Write { path: String, source: std::io::Error },
    #[error(transparent)]
    SetFolder(#[from] SetFolderError),
    #[error(transparent)]
    Decomposed(#[from] decomposed::DecomposedError),
}

fn read_existing(path: &Path) -> Result<Option<Vec<u8>>, OutputError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(OutputError::Read { path: path.display().to_string(), message: e.to_string() }),
    }
}

/// The bytes of `component` at `path`: a profile is overlaid on the file already there.
fn component_bytes(component: &Component, existing: Option<&[u8]>, path: &Path) -> Result<Vec<u8>, OutputError> {
    let document = match (component.kind, existing) {
        (OutputKind::Profile, Some(bytes)) => {
            let text = std::str::from_utf8(bytes)
                .map_err(|_| OutputError::Read { path: path.display().to_string(), message: "not UTF-8".into() })?;
            let current = read::parse(text)
                .map_err(|e| OutputError::Read { path: path.display().to_string(), message: e.to_string() })?;
            if current.root != "Profile" {
                return Err(OutputError::Read {
                    path: path.display().to_string(),
                    message: format!("the root is <{}>, not <Profile>", current.root),
                });
            }
            overlay::overlay(&current, &component.document)
        }
        _ => component.document.clone(),
    };
    Ok(emit::render_fast(&document).into_bytes())
}

/// The package.xml naming `component`, merged into an existing one.
fn package_bytes(component: &Component, api_version: &str, existing: Option<&[u8]>) -> Vec<u8> {
    let members = BTreeMap::from([(project::type_name(component.kind), vec![component.name.clone()])]);
    let fresh = emit::package_xml(&members, api_version);
    let merged = existing
        .and_then(|b| std::str::from_utf8(b).ok())
        .and_then(|t| read::parse(t).ok())
        .filter(|d| d.root == "Package")
        .map_or(fresh.clone(), |d| overlay::merge_package(&d, &fresh));
    emit::render_fast(&merged).into_bytes()
}

/// The files `component` becomes under `dir` in `layout`.
pub fn files_in_dir(
    component: &Component,
    dir: &Path,
    layout: Layout,
    api_version: &str,
) -> Result<Vec<FileOut>, OutputError> {
    let mut files = Vec::new();
    match layout {
        Layout::Source => {
            let project = SfdxProject::open(dir)?;
            let path = match &project {
                Some(project) => project.source_path(component.kind, &component.name),
                None => dir
                    .join(project::folder(component.kind))
                    .join(project::source_file_name(component.kind, &component.name)),
            };
            if component.kind == OutputKind::PermissionSet {
                let configured = project.as_ref().and_then(|p| p.decomposition);
                if let Some(decomposed) = decomposed_files(component, &path, configured)? {
                    return Ok(decomposed);
                }
            }
            let existing = read_existing(&path)?;
            let bytes = component_bytes(component, existing.as_deref(), &path)?;
            files.push(FileOut::new(path, bytes, existing));
        }
        Layout::Mdapi => {
            let path = dir
                .join(project::folder(component.kind))
                .join(project::mdapi_file_name(component.kind, &component.name));
            let existing = read_existing(&path)?;
            let bytes = component_bytes(component, existing.as_deref(), &path)?;
            let package_path = dir.join("package.xml");
            let package_existing = read_existing(&package_path)?;
            let package = package_bytes(component, api_version, package_existing.as_deref());
            files.push(FileOut::new(package_path, package, package_existing));
            files.push(FileOut::new(path, bytes, existing));
        }
    }
    Ok(files)
}

/// The files of a permission set kept decomposed, or `None` when it is kept in one file. `path`:
/// where the set's own file is (or would go); `configured`: the project's preset. An existing
/// decomposed set is rewritten in its folder and layout; a set in a project with a preset is
/// written decomposed (a single file of it is replaced by its folder). Child files whose entries
/// the set no longer holds are removed, since the CLI would recompose them back into the set.
fn decomposed_files(
    component: &Component,
    path: &Path,
    configured: Option<Decomposition>,
) -> Result<Option<Vec<FileOut>>, OutputError> {
    let encoded = encode_file_name(&component.name);
    let existing_folder = if path.is_file() { set_folder::locate(path, &component.name, configured)? } else { None };
    let (dir, layout, mut old_files): (PathBuf, Decomposition, Vec<PathBuf>) = match (existing_folder, configured) {
        (Some(folder), _) => {
            let old = folder.files.iter().map(|r| folder.dir.join(r)).collect();
            (folder.dir, folder.layout, old)
        }
        (None, Some(layout)) => {
            let parent = path.parent().unwrap_or(Path::new("."));
            let in_own_folder = parent.file_name().and_then(|n| n.to_str()) == Some(encoded.as_str());
            let dir = if in_own_folder { parent.to_path_buf() } else { parent.join(&encoded) };
            let old = if path.is_file() { vec![path.to_path_buf()] } else { Vec::new() };
            (dir, layout, old)
        }
        (None, None) => return Ok(None),
    };
    let mut files = Vec::new();
    for part in decomposed::split(&component.document, &encoded, layout)? {
        let path = dir.join(&part.relative);
        old_files.retain(|old| *old != path);
        let existing = read_existing(&path)?;
        files.push(FileOut::new(path, part.text.into_bytes(), existing));
    }
    for old in old_files {
        let existing = read_existing(&old)?;
        files.push(FileOut { path: old, bytes: Vec::new(), existing, remove: true });
    }
    Ok(Some(files))
}

/// A deployable mdapi zip (`package.xml` and `<folder>/<Name>.<suffix>` at its root): entries
/// sorted, timestamps fixed at 1980-01-01 and modes fixed, so the same input gives the same bytes.
pub fn zip_bytes(component: &Component, api_version: &str) -> Vec<u8> {
    let mut entries: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    entries.insert("package.xml".into(), package_bytes(component, api_version, None));
    let path =
        format!("{}/{}", project::folder(component.kind), project::mdapi_file_name(component.kind, &component.name));
    entries.insert(path, emit::render_fast(&component.document).into_bytes());
    let mut buffer = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buffer);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644);
        for (name, bytes) in entries {
            zip.start_file(name, options).expect("writing to memory");
            zip.write_all(&bytes).expect("writing to memory");
        }
        zip.finish().expect("writing to memory");
    }
    buffer.into_inner()
}

/// Removes the file at `path` (a child file of a decomposed set), and then its folder if that
/// leaves it empty (a Beta child-type folder); the CLI never reads an empty folder.
pub fn remove_file(path: &Path) -> Result<(), OutputError> {
    let fail = |source: std::io::Error| OutputError::Write { path: path.display().to_string(), source };
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(fail(e)),
    }
    if let Some(dir) = path.parent()
        && std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
    {
        let _ = std::fs::remove_dir(dir);
    }
    Ok(())
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so an
/// interrupted run leaves the old file whole.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let fail = |source: std::io::Error| OutputError::Write { path: path.display().to_string(), source };
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(fail)?;
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = dir.join(format!(".{file_name}.sfperms-{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.map_err(fail)
}
