//! Where generated files go and what bytes they hold: stdout, an SFDX project or folder (source
//! layout), an mdapi folder with package.xml, or a deployable zip. Existing profiles are overlaid,
//! not replaced (a profile deploy overlays); permission sets are replaced (a deploy replaces them).
//! An existing file is found by the discovery `diff` and `fmt` use, must read as what it should
//! be before it is replaced, and is written through `disk::Target`. In a project whose permission
//! sets the sf CLI stores decomposed, a set becomes the files the CLI writes for it (its child
//! files added, updated and removed, through `disk::Target` too, so that the CLI recomposes
//! exactly the set). Nothing here prints.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::set_folder::{self, SetFolderError};
use super::sfdx::{ProjectError, SfdxProject};
use super::source::{self, MissingDirs, Source, SourceError};
use crate::disk::{DiskError, Target};
use crate::emit::{self, Component};
use crate::metadata::decomposed::{self, Decomposition};
use crate::metadata::names::encode_file_name;
use crate::metadata::{FileKind, OutputKind, overlay};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Source,
    Mdapi,
}

/// A file to write (or, with `remove`, to delete): where (with what is there now, read through
/// `disk::Target`) and the bytes.
#[derive(Debug, Clone)]
pub struct FileOut {
    pub target: Target,
    pub bytes: Vec<u8>,
    /// The file goes: a child file of a decomposed set whose entries the set no longer holds.
    pub remove: bool,
}

impl FileOut {
    pub fn new(target: Target, bytes: Vec<u8>) -> FileOut {
        FileOut { target, bytes, remove: false }
    }

    pub fn path(&self) -> &Path {
        &self.target.path
    }

    pub fn existing(&self) -> Option<&[u8]> {
        self.target.existing.as_deref()
    }

    pub fn changes(&self) -> bool {
        if self.remove { self.target.existing.is_some() } else { self.target.changes(&self.bytes) }
    }

    /// Writes (or removes) the file if that changes anything, through the one write path
    /// (`disk::Target::write`, `disk::Target::remove`).
    pub fn write(&self) -> Result<(), OutputError> {
        if !self.changes() {
            return Ok(());
        }
        if self.remove {
            self.target.remove()?;
        } else {
            self.target.write(&self.bytes)?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(transparent)]
    Project(#[from] ProjectError),
    #[error(transparent)]
    Disk(#[from] DiskError),
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(
        "{path}: not a zip archive sfperms can read ({message}); it would be replaced: remove it or choose another path"
    )]
    NotAZip { path: String, message: String },
    #[error(transparent)]
    SetFolder(#[from] SetFolderError),
    #[error(transparent)]
    Decomposed(#[from] decomposed::DecomposedError),
}

/// The bytes of `component` replacing `target`: the file there must read as the same kind (a
/// profile is overlaid on it; a permission set is replaced whole, as a deploy replaces it).
fn component_bytes(component: &Component, target: &Target) -> Result<Vec<u8>, OutputError> {
    let kind = component.kind.file_kind();
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
    Ok(emit::render_fast(&document).into_bytes())
}

/// The package.xml naming `component`, merged into the one at `target` (which must read as one).
fn package_bytes(component: &Component, api_version: &str, target: Option<&Target>) -> Result<Vec<u8>, OutputError> {
    let members = BTreeMap::from([(component.kind.type_name(), vec![component.name.clone()])]);
    let fresh = emit::package_xml(&members, api_version);
    let merged = match target.and_then(|t| t.existing.as_deref().map(|b| (t, b))) {
        Some((target, bytes)) => {
            let current = source::parse_file(&target.path.display().to_string(), Some(FileKind::Package), bytes)?;
            overlay::merge_package(&current, &fresh)
        }
        None => fresh,
    };
    Ok(emit::render_fast(&merged).into_bytes())
}

/// Where the file of the `kind` component `name` goes under `dir` in the source layout: where it
/// already is (found by the one discovery `diff` and `fmt` use), else the default package
/// directory's `main/default/<folder>/` in an SFDX project, else `dir/<folder>/`.
fn source_path(kind: FileKind, name: &str, dir: &Path, project: Option<&SfdxProject>) -> Result<PathBuf, OutputError> {
    if let Some(path) = existing_file(kind, name, dir)? {
        return Ok(path);
    }
    let placement = kind.placement().expect("generated files are components");
    Ok(match project {
        Some(project) => project.default_source_path(placement, name),
        None => dir.join(placement.folder).join(placement.source_file_name(name)),
    })
}

/// Where the `kind` component `name` already is under `dir`, or `None`.
fn existing_file(kind: FileKind, name: &str, dir: &Path) -> Result<Option<PathBuf>, OutputError> {
    // `dir` may be the empty path (the current folder, paths shown relative to it).
    let probe = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    if !probe.exists() {
        return Ok(None);
    }
    let source = Source::open_dir(probe, MissingDirs::Skip)?;
    let found =
        source.find_one(kind, name, "remove or rename all but one, or write with --output-dir into one folder")?;
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
            let project = SfdxProject::open(dir)?;
            let path = source_path(component.kind.file_kind(), &component.name, dir, project.as_ref())?;
            if component.kind == OutputKind::PermissionSet {
                let configured = project.as_ref().and_then(|p| p.decomposition);
                if let Some(decomposed) = decomposed_files(component, &path, dir, configured)? {
                    return Ok(decomposed);
                }
            }
            let target = Target::open(&path, dir)?;
            let bytes = component_bytes(component, &target)?;
            files.push(FileOut::new(target, bytes));
        }
        Layout::Mdapi => {
            let placement = component.kind.placement();
            let path = dir.join(placement.folder).join(placement.mdapi_file_name(&component.name));
            let target = Target::open(&path, dir)?;
            let bytes = component_bytes(component, &target)?;
            let package_target = Target::open(&dir.join("package.xml"), dir)?;
            let package = package_bytes(component, api_version, Some(&package_target))?;
            files.push(FileOut::new(package_target, package));
            files.push(FileOut::new(target, bytes));
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
    Ok(FileOut::new(target, zip_bytes(component, api_version)?))
}

/// The files of a permission set kept decomposed, or `None` when it is kept in one file. `path`:
/// where the set's own file is (or would go); `root`: the folder written into; `configured`: the project's preset. An existing
/// decomposed set is rewritten in its folder and layout; a set in a project with a preset is
/// written decomposed (a single file of it is replaced by its folder). Child files whose entries
/// the set no longer holds are removed, since the CLI would recompose them back into the set.
fn decomposed_files(
    component: &Component,
    path: &Path,
    root: &Path,
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
        files.push(FileOut::new(Target::open(&path, root)?, emit::render_owned_fast(part.document).into_bytes()));
    }
    for old in old_files {
        files.push(FileOut { target: Target::open(&old, root)?, bytes: Vec::new(), remove: true });
    }
    Ok(Some(files))
}

/// Adds permission set group `group` holding set `set` to `files` (those `files_in_dir` gives for
/// the set under `dir`): a new group file, or the existing one with the set added to its
/// `permissionSets` (every other element kept); in the mdapi layout package.xml also names the
/// group.
pub fn add_group(
    files: &mut Vec<FileOut>,
    group: &str,
    set: &str,
    dir: &Path,
    layout: Layout,
    api_version: &str,
) -> Result<(), OutputError> {
    let kind = FileKind::PermissionSetGroup;
    let placement = kind.placement().expect("a permission set group is a component");
    let path = match layout {
        Layout::Source => source_path(kind, group, dir, SfdxProject::open(dir)?.as_ref())?,
        Layout::Mdapi => dir.join(placement.folder).join(placement.mdapi_file_name(group)),
    };
    let target = Target::open(&path, dir)?;
    let document = match &target.existing {
        Some(bytes) => {
            let shown = target.path.display().to_string();
            let current = source::parse_file(&shown, Some(kind), bytes)?;
            emit::group_with_member(&current, set)
        }
        None => emit::permission_set_group(group, set),
    };
    files.push(FileOut::new(target, emit::render_fast(&document).into_bytes()));
    if layout == Layout::Mdapi {
        let members = BTreeMap::from([(kind.root(), vec![group.to_string()])]);
        let fresh = emit::package_xml(&members, api_version);
        if let Some(package) = files.iter_mut().find(|f| f.path() == dir.join("package.xml")) {
            let shown = package.path().display().to_string();
            let current = source::parse_file(&shown, Some(FileKind::Package), &package.bytes)?;
            package.bytes = emit::render_fast(&overlay::merge_package(&current, &fresh)).into_bytes();
        }
    }
    Ok(())
}

/// A deployable mdapi zip (`package.xml` and `<folder>/<Name>.<suffix>` at its root): entries
/// sorted, timestamps fixed at 1980-01-01 and modes fixed, so the same input gives the same bytes.
pub(crate) fn zip_bytes(component: &Component, api_version: &str) -> Result<Vec<u8>, OutputError> {
    let mut entries: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    entries.insert("package.xml".into(), package_bytes(component, api_version, None)?);
    let placement = component.kind.placement();
    let path = format!("{}/{}", placement.folder, placement.mdapi_file_name(&component.name));
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
    Ok(buffer.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group_file(dir: &Path, relative: &str) -> PathBuf {
        let path = dir.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, emit::render_fast(&emit::permission_set_group("G", "Other"))).unwrap();
        path
    }

    #[test]
    fn an_existing_group_is_found_where_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let existing = group_file(dir.path(), "elsewhere/permissionsetgroups/G.permissionsetgroup-meta.xml");
        let mut files = Vec::new();
        add_group(&mut files, "G", "Set", dir.path(), Layout::Source, "66.0").unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path(), existing);
        let text = String::from_utf8(files[0].bytes.clone()).unwrap();
        assert!(
            text.contains("<permissionSets>Other</permissionSets>")
                && text.contains("<permissionSets>Set</permissionSets>")
        );
    }

    #[test]
    fn a_new_group_goes_to_the_default_folder_and_two_copies_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut files = Vec::new();
        add_group(&mut files, "G", "Set", dir.path(), Layout::Source, "66.0").unwrap();
        assert_eq!(files[0].path(), dir.path().join("permissionsetgroups/G.permissionsetgroup-meta.xml"));
        group_file(dir.path(), "a/G.permissionsetgroup-meta.xml");
        group_file(dir.path(), "b/G.permissionsetgroup-meta.xml");
        let err = add_group(&mut Vec::new(), "G", "Set", dir.path(), Layout::Source, "66.0").unwrap_err();
        assert!(err.to_string().contains("ambiguous"), "{err}");
    }
}
