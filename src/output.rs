//! Where generated files go and what bytes they hold: stdout, an SFDX project or folder (source
//! layout), an mdapi folder with package.xml, or a deployable zip. Existing profiles are overlaid,
//! not replaced (a profile deploy overlays); permission sets are replaced (a deploy replaces them).
//! An existing file is found by the discovery `diff` and `fmt` use, must read as what it should
//! be before it is replaced, and is written through `disk::Target`. Nothing here prints.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::catalog::OutputKind;
use crate::disk::{DiskError, Target};
use crate::emit;
use crate::metadata::source::{self, FileKind, MissingDirs, Source, SourceError};
use crate::metadata::{Document, overlay};
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

/// A file to write: where (with what is there now, read through `disk::Target`) and the bytes.
#[derive(Debug, Clone)]
pub struct FileOut {
    pub target: Target,
    pub bytes: Vec<u8>,
}

impl FileOut {
    pub fn path(&self) -> &Path {
        &self.target.path
    }

    pub fn existing(&self) -> Option<&[u8]> {
        self.target.existing.as_deref()
    }

    pub fn changes(&self) -> bool {
        self.target.changes(&self.bytes)
    }

    /// Writes the file if its bytes change (the one write path, `disk::Target::write`).
    pub fn write(&self) -> Result<(), OutputError> {
        if self.changes() {
            self.target.write(&self.bytes)?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(transparent)]
    Project(#[from] project::ProjectError),
    #[error(transparent)]
    Disk(#[from] DiskError),
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(
        "{path}: not a zip archive sfperms can read ({message}); it would be replaced: remove it or choose another path"
    )]
    NotAZip { path: String, message: String },
}

/// The bytes of `component` replacing `target`: the file there must read as the same kind (a
/// profile is overlaid on it; a permission set is replaced whole, as a deploy replaces it).
fn component_bytes(component: &Component, target: &Target) -> Result<Vec<u8>, OutputError> {
    let kind = FileKind::of_output(component.kind);
    let document = match &target.existing {
        None => component.document.clone(),
        Some(bytes) => {
            let current = source::parse_file(&target.path.display().to_string(), Some(kind), bytes)?;
            match component.kind {
                OutputKind::Profile => overlay::overlay(&current, &component.document),
                OutputKind::PermissionSet => component.document.clone(),
            }
        }
    };
    Ok(emit::render(&document).into_bytes())
}

/// The package.xml naming `component`, merged into the one at `target` (which must read as one).
fn package_bytes(component: &Component, api_version: &str, target: Option<&Target>) -> Result<Vec<u8>, OutputError> {
    let members = BTreeMap::from([(project::type_name(component.kind), vec![component.name.clone()])]);
    let fresh = emit::package_xml(&members, api_version);
    let merged = match target.and_then(|t| t.existing.as_deref().map(|b| (t, b))) {
        Some((target, bytes)) => {
            let current = source::parse_file(&target.path.display().to_string(), Some(FileKind::Package), bytes)?;
            overlay::merge_package(&current, &fresh)
        }
        None => fresh,
    };
    Ok(emit::render(&merged).into_bytes())
}

/// Where a component of this name already is under `dir` (the one discovery `diff` and `fmt`
/// use), or `None`.
fn existing_component(component: &Component, dir: &Path) -> Result<Option<PathBuf>, OutputError> {
    // `dir` may be the empty path (the current folder, paths shown relative to it).
    let probe = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    if !probe.exists() {
        return Ok(None);
    }
    let source = Source::open_dir(probe, MissingDirs::Skip)?;
    let found = source.find_one(
        FileKind::of_output(component.kind),
        &component.name,
        "remove or rename all but one, or write with --output-dir into one folder",
    )?;
    let found = found.and_then(|e| e.path()).map(|p| if probe == dir { p } else { p.strip_prefix(probe).unwrap_or(p) });
    Ok(found.map(Path::to_path_buf))
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
            let path = match existing_component(component, dir)? {
                Some(path) => path,
                None => match SfdxProject::open(dir)? {
                    Some(project) => project.default_source_path(component.kind, &component.name),
                    None => dir
                        .join(project::folder(component.kind))
                        .join(project::source_file_name(component.kind, &component.name)),
                },
            };
            let target = Target::open(&path, dir)?;
            let bytes = component_bytes(component, &target)?;
            files.push(FileOut { target, bytes });
        }
        Layout::Mdapi => {
            let path = dir
                .join(project::folder(component.kind))
                .join(project::mdapi_file_name(component.kind, &component.name));
            let target = Target::open(&path, dir)?;
            let bytes = component_bytes(component, &target)?;
            let package_target = Target::open(&dir.join("package.xml"), dir)?;
            let package = package_bytes(component, api_version, Some(&package_target))?;
            files.push(FileOut { target: package_target, bytes: package });
            files.push(FileOut { target, bytes });
        }
    }
    Ok(files)
}

/// The zip `component` becomes at `path`. A file already there is replaced only when it reads as
/// a zip archive.
pub fn zip_file(component: &Component, path: &Path, api_version: &str) -> Result<FileOut, OutputError> {
    let root = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let target = Target::open(path, root)?;
    if let Some(bytes) = &target.existing {
        zip::ZipArchive::new(std::io::Cursor::new(bytes.as_slice()))
            .map_err(|e| OutputError::NotAZip { path: path.display().to_string(), message: e.to_string() })?;
    }
    Ok(FileOut { target, bytes: zip_bytes(component, api_version)? })
}

/// A deployable mdapi zip (`package.xml` and `<folder>/<Name>.<suffix>` at its root): entries
/// sorted, timestamps fixed at 1980-01-01 and modes fixed, so the same input gives the same bytes.
pub fn zip_bytes(component: &Component, api_version: &str) -> Result<Vec<u8>, OutputError> {
    let mut entries: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    entries.insert("package.xml".into(), package_bytes(component, api_version, None)?);
    let path =
        format!("{}/{}", project::folder(component.kind), project::mdapi_file_name(component.kind, &component.name));
    entries.insert(path, emit::render(&component.document).into_bytes());
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
    Ok(buffer.into_inner())
}
