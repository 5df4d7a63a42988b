//! `fmt`: existing PermissionSet, Profile and package.xml files in Salesforce's canonical form,
//! without changing what they mean; the child files of a decomposed permission set each in the
//! form the sf CLI writes it (`decomposed::part_form`), none moved between files. A file is read
//! (`project::source`, `metadata::read`), put in
//! canonical order (`metadata::canonical`) and written by the canonical writer (`emit`), so
//! formatting has the one meaning generation has. Checking reads every file in parallel and keeps
//! only a yes/no per file; rewriting happens only when every file could be read (a malformed file
//! means nothing is written), one atomic write per changed file. Nothing here prints.

use std::path::Path;

use super::source::{self, Entry, Origin, Source, SourceError};
use crate::disk::{DiskError, Target};
use crate::emit;
use crate::metadata::FileKind;
use crate::metadata::decomposed;

/// The canonical text of a file, from its bytes (read into a tree that borrows from them).
pub fn canonical_text(entry: &Entry, bytes: &[u8]) -> Result<String, SourceError> {
    let prepared = source::prepare_entry(entry, bytes)?;
    let doc = source::parse_prepared(entry, &prepared)?;
    Ok(match entry.kind {
        Some(FileKind::PermissionSetPart) => emit::render_owned_fast(decomposed::part_form(doc)),
        _ => emit::render_owned_fast(doc),
    })
}

/// What `fmt` found for one file.
#[derive(Debug)]
pub enum FileStatus {
    Canonical,
    WouldChange,
    Error(SourceError),
}

/// Checks every file of `source`: is it already canonical? One result per entry, in order. The
/// streaming check (`emit::is_canonical`) answers for canonical files without building a tree; a
/// file it cannot prove canonical is read fully, to tell a malformed file from one out of order.
pub fn check(source: &Source) -> Result<Vec<FileStatus>, SourceError> {
    check_with(source, true)
}

/// `check` before `rewrite`: a file the streaming check cannot prove canonical is only read (a
/// malformed one must stop the run before anything is written), not also ordered and written:
/// `rewrite` does that once, and leaves a file that was canonical after all as it is.
pub fn check_before_rewrite(source: &Source) -> Result<Vec<FileStatus>, SourceError> {
    check_with(source, false)
}

fn check_with(source: &Source, compare: bool) -> Result<Vec<FileStatus>, SourceError> {
    source.map(|reader, entry| {
        let result = reader.read(entry).and_then(|bytes| {
            // A decomposed set's child file has its own form (a Beta2 one has no namespace).
            let streamable = entry.kind != Some(FileKind::PermissionSetPart);
            if streamable && emit::is_canonical(&bytes, |root| source::check_root(entry, root).is_ok()) {
                return Ok(true);
            }
            if !compare {
                source::parse_prepared(entry, &source::prepare_entry(entry, &bytes)?)?;
                return Ok(false);
            }
            Ok(canonical_text(entry, &bytes)?.as_bytes() == bytes)
        });
        match result {
            Ok(true) => FileStatus::Canonical,
            Ok(false) => FileStatus::WouldChange,
            Err(e) => FileStatus::Error(e),
        }
    })
}

#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(transparent)]
    Disk(#[from] DiskError),
    #[error("{path}: a zip archive: sfperms does not rewrite archives; use `fmt --check`, or unzip it first")]
    InZip { path: String },
}

/// Refuses a source `rewrite` cannot write into (a zip archive), before anything is read.
pub fn check_rewritable(source: &Source) -> Result<(), FormatError> {
    match source.origin {
        Origin::Zip => Err(FormatError::InZip { path: source.root.display().to_string() }),
        Origin::File | Origin::SfdxProject | Origin::Folder => Ok(()),
    }
}

/// Rewrites the entries of `source` at `indices` in canonical form, each through the one write
/// path (`disk::Target`). The file is read again, so nothing is held in memory between checking
/// and writing. `Ok(true)`: the file was written; `Ok(false)`: it was canonical after all.
pub fn rewrite(source: &Source, indices: &[usize]) -> Result<Vec<Result<bool, FormatError>>, SourceError> {
    let subset = Source {
        root: source.root.clone(),
        origin: source.origin,
        entries: indices.iter().filter_map(|i| source.entries.get(*i).cloned()).collect(),
    };
    subset.map(|reader, entry| {
        let Some(path) = entry.path() else {
            return Err(FormatError::InZip { path: entry.display.clone() });
        };
        let _ = reader;
        let root = match source.root.as_os_str().is_empty() {
            true => Path::new("."),
            false => source.root.as_path(),
        };
        let target = Target::open(path, root)?;
        let bytes = target.existing.as_deref().ok_or_else(|| SourceError::NotFound { path: entry.display.clone() })?;
        let text = canonical_text(entry, bytes)?;
        if !target.changes(text.as_bytes()) {
            return Ok(false);
        }
        target.write(text.as_bytes())?;
        Ok(true)
    })
}
