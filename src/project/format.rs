//! `fmt`: existing PermissionSet, Profile and package.xml files in Salesforce's canonical form,
//! without changing what they mean; the child files of a decomposed permission set each in the
//! form the sf CLI writes it (`decomposed::part_form`), none moved between files. A file is read
//! (`project::source`, `metadata::read`), put in
//! canonical order (`metadata::canonical`) and written by the canonical writer (`emit`), so
//! formatting has the one meaning generation has. Checking reads every file in parallel and keeps
//! only a yes/no per file. Rewriting reads and orders each file once, in the same pass: the
//! canonical text of a changed file is staged in a temporary file beside it, and put in place (a
//! rename) only when every file could be read (a malformed file means nothing is written). Nothing
//! here prints.

use std::path::Path;

use super::source::{self, Entry, Origin, Source, SourceError};
use crate::disk::{DiskError, Staged, Target};
use crate::emit;
use crate::metadata::FileKind;
use crate::metadata::decomposed;

/// The canonical text of a file, from its bytes (read into a tree that borrows from them).
pub fn canonical_text(entry: &Entry, bytes: &[u8]) -> Result<String, SourceError> {
    let prepared = source::prepare_entry(entry, bytes)?;
    // Only a BOM or the line ends (CRLF, CR) differ: when the text the reader reads is canonical,
    // reading, ordering and writing it gives it back (what the streaming check's answer means),
    // so it is the canonical text, with no tree built.
    if !prepared.is_verbatim(bytes) && is_canonical(entry, prepared.text().as_bytes()) {
        return Ok(prepared.text().to_string());
    }
    let doc = source::parse_prepared(entry, &prepared)?;
    // The canonical text is about the size of the file (a few bytes more per line when it was
    // indented less): allocated once, with room to spare.
    let about = bytes.len() + bytes.len() / 8;
    Ok(match entry.kind {
        Some(FileKind::PermissionSetPart) => emit::render_owned_fast_sized(decomposed::part_form(doc), about),
        _ => emit::render_owned_fast_sized(doc, about),
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
    source.map(|reader, entry| {
        let result = reader.read(entry).and_then(|bytes| {
            if is_canonical(entry, &bytes) {
                return Ok(true);
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

/// The streaming check (`emit::is_canonical`), for the files it answers for: a decomposed set's
/// child file has its own form (a Beta2 one has no namespace).
fn is_canonical(entry: &Entry, bytes: &[u8]) -> bool {
    entry.kind != Some(FileKind::PermissionSetPart)
        && emit::is_canonical(bytes, |root| source::check_root(entry, root).is_ok())
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

/// A rewrite `stage` prepared: the canonical text of each file that is not canonical, written
/// beside it (`disk::Staged`), not yet in place. Dropped without `commit`, it changes nothing.
#[derive(Debug)]
pub struct Staging {
    /// Per file that is not canonical (its index in the source): the staged write, `None` when it
    /// was canonical after all (the streaming check is one-sided), or why it cannot be written.
    writes: Vec<(usize, Result<Option<Staged>, FormatError>)>,
}

impl Staging {
    /// Puts every staged file in place, in the source's order. `Ok(true)`: the file was written;
    /// `Ok(false)`: it was canonical after all.
    pub fn commit(self) -> Vec<(usize, Result<bool, FormatError>)> {
        let commit = |write: Result<Option<Staged>, FormatError>| match write? {
            Some(staged) => staged.commit().map(|()| true).map_err(FormatError::from),
            None => Ok(false),
        };
        self.writes.into_iter().map(|(index, write)| (index, commit(write))).collect()
    }
}

/// `check` for a rewrite, in the same single pass: each file that is not canonical is read once
/// (through `disk::Target`, the one write path), ordered and written, and its canonical text
/// staged beside it. Nothing is put in place until `Staging::commit`, so a malformed file found
/// by any worker still means nothing is changed; memory stays one file per worker.
pub fn stage(source: &Source) -> Result<(Vec<FileStatus>, Staging), SourceError> {
    let root = match source.root.as_os_str().is_empty() {
        true => Path::new("."),
        false => source.root.as_path(),
    };
    let results = source.map(|reader, entry| {
        let bytes = match reader.read(entry) {
            Ok(bytes) => bytes,
            Err(e) => return (FileStatus::Error(e), None),
        };
        if is_canonical(entry, &bytes) {
            return (FileStatus::Canonical, None);
        }
        let target = match entry.path() {
            Some(path) => Target::open(path, root).map_err(FormatError::from),
            None => Err(FormatError::InZip { path: entry.display.clone() }),
        };
        let target = match target {
            Ok(target) => target,
            // Cannot be written: the file must still be read, since a malformed one stops the run.
            Err(e) => {
                return match canonical_text(entry, &bytes) {
                    Err(malformed) => (FileStatus::Error(malformed), None),
                    Ok(_) => (FileStatus::WouldChange, Some(Err(e))),
                };
            }
        };
        drop(bytes);
        let Some(existing) = target.existing.as_deref() else {
            let gone = SourceError::NotFound { path: entry.display.clone() };
            return (FileStatus::WouldChange, Some(Err(gone.into())));
        };
        let text = match canonical_text(entry, existing) {
            Ok(text) => text,
            Err(e) => return (FileStatus::Error(e), None),
        };
        if !target.changes(text.as_bytes()) {
            return (FileStatus::WouldChange, Some(Ok(None)));
        }
        (FileStatus::WouldChange, Some(target.stage(text.as_bytes()).map(Some).map_err(FormatError::from)))
    })?;
    let mut statuses = Vec::with_capacity(results.len());
    let mut writes = Vec::new();
    for (index, (status, write)) in results.into_iter().enumerate() {
        statuses.push(status);
        writes.extend(write.map(|write| (index, write)));
    }
    Ok((statuses, Staging { writes }))
}

#[cfg(test)]
#[path = "format_tests.rs"]
mod rules;
