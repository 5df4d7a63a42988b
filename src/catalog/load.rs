//! Finds catalog files (built in, or a `--catalog DIR`) and the vendor documents they cite, parses
//! them, and hands them to `validate`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::document::SourceDocument;
use super::error::{CatalogError, CatalogErrors};
use super::model::Catalog;
use super::validate::{self, Quotes};

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_catalog.rs"));
}

/// The catalog shipped in the binary (`profiles/`). Its quotes are not searched for again on every
/// run: the tests do that (`builtin_checked`).
pub fn builtin() -> Result<Catalog, CatalogErrors> {
    load_builtin(0..builtin::INTEGRATIONS.len(), Quotes::Trusted)
}

/// Only the built-in integration `id` (the file `profiles/ID.toml`) and the documents it names, or
/// `None` when there is no such file: all that a run for one integration reads.
pub fn builtin_only(id: &str) -> Option<Result<Catalog, CatalogErrors>> {
    let wanted = format!("{id}.toml");
    let index = builtin::INTEGRATIONS.iter().position(|(path, _)| file_name(path) == wanted)?;
    Some(load_builtin(index..index + 1, Quotes::Trusted))
}

/// The built-in catalog with every quote checked against its vendor documents.
pub fn builtin_checked() -> Result<Catalog, CatalogErrors> {
    load_builtin(0..builtin::INTEGRATIONS.len(), Quotes::Check)
}

/// The file names of the built-in integrations (`planhat.toml`, …).
pub fn builtin_files() -> Vec<String> {
    builtin::INTEGRATIONS.iter().map(|(path, _)| file_name(path)).collect()
}

/// The built-in integrations of `range` and the built-in documents they name (a document whose
/// file name occurs nowhere in their text cannot be one of theirs: `build.rs` lists the others).
fn load_builtin(range: std::ops::Range<usize>, quotes: Quotes) -> Result<Catalog, CatalogErrors> {
    let integrations = &builtin::INTEGRATIONS[range.clone()];
    let files: Vec<(String, String)> = integrations.iter().map(|(p, t)| ((*p).to_string(), (*t).to_string())).collect();
    let mut errors = Vec::new();
    let mut named: Vec<usize> = builtin::DOCUMENTS_NAMED[range].iter().flat_map(|d| d.iter().copied()).collect();
    named.sort_unstable();
    named.dedup();
    let documents = parse_documents(named.into_iter().map(|i| builtin::DOCUMENTS[i]), &mut errors);
    let mut catalog = Catalog::default();
    add_files(&mut catalog, &files, &documents, errors, quotes)?;
    Ok(catalog)
}

/// The text of a vendor document shipped with the catalog (`profiles/sources/NAME`).
pub fn builtin_document(name: &str) -> Option<&'static str> {
    builtin::DOCUMENTS.iter().find(|(path, _)| file_name(path) == name).map(|(_, text)| *text)
}

/// A vendor document shipped with the catalog, parsed (full text or excerpt).
pub fn builtin_source(name: &str) -> Option<SourceDocument> {
    builtin_document(name).and_then(|text| SourceDocument::parse(name, text).ok())
}

/// The file names of every vendor document shipped with the catalog.
pub fn builtin_source_names() -> Vec<String> {
    builtin::DOCUMENTS.iter().map(|(path, _)| file_name(path)).collect()
}

/// The documents of a catalog by file name, and the names of those that did not parse.
#[derive(Default)]
struct Documents {
    parsed: BTreeMap<String, SourceDocument>,
    broken: BTreeSet<String>,
}

/// Parses `(path, text)` documents by file name; a malformed excerpt is an error with its path and line.
fn parse_documents<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a str)>,
    errors: &mut Vec<CatalogError>,
) -> Documents {
    let mut documents = Documents::default();
    for (path, text) in files {
        let name = file_name(path);
        match SourceDocument::parse(&name, text) {
            Ok(document) => {
                documents.parsed.insert(name, document);
            }
            Err(e) => {
                errors.push(CatalogError { file: path.to_string(), ..e });
                documents.broken.insert(name);
            }
        }
    }
    documents
}

fn file_name(path: &str) -> String {
    Path::new(path).file_name().map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

/// The largest catalog file (TOML or vendor document) read: the shipped ones are a few kilobytes.
const MAX_CATALOG_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Adds (or replaces, by id) the integrations of `dir/*.toml`; documents come from `dir/sources/`,
/// `dir` itself, or the built-in ones.
pub fn add_dir(catalog: &mut Catalog, dir: &Path) -> Result<(), CatalogErrors> {
    let fail =
        |message: String| CatalogErrors(vec![CatalogError { file: dir.display().to_string(), line: 0, message }]);
    let entries = std::fs::read_dir(dir).map_err(|e| fail(format!("cannot read the catalog directory: {e}")))?;
    let mut files = Vec::new();
    let mut texts: Vec<(String, String)> =
        builtin::DOCUMENTS.iter().map(|(p, t)| ((*p).to_string(), (*t).to_string())).collect();
    let mut paths: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    if let Ok(sources) = std::fs::read_dir(dir.join("sources")) {
        paths.extend(sources.filter_map(Result::ok).map(|e| e.path()));
    }
    paths.sort();
    for path in paths {
        let ext = path.extension().and_then(|e| e.to_str());
        if ext != Some("toml") && ext != Some("txt") {
            continue;
        }
        let bytes = crate::disk::read_regular(&path, MAX_CATALOG_FILE_BYTES).map_err(|e| fail(e.to_string()))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            fail(format!(
                "`{}`: not UTF-8 (byte {} is invalid): save it as UTF-8",
                path.display(),
                e.utf8_error().valid_up_to() + 1
            ))
        })?;
        if ext == Some("toml") {
            files.push((path.display().to_string(), text));
        } else {
            // A document of the directory replaces a built-in one of the same name.
            let name = file_name(&path.to_string_lossy());
            texts.retain(|(p, _)| file_name(p) != name);
            texts.push((path.display().to_string(), text));
        }
    }
    if files.is_empty() {
        return Err(fail("no integration files (*.toml) in the catalog directory".into()));
    }
    let mut errors = Vec::new();
    let documents = parse_documents(texts.iter().map(|(p, t)| (p.as_str(), t.as_str())), &mut errors);
    add_files(catalog, &files, &documents, errors, Quotes::Check)
}

fn add_files(
    catalog: &mut Catalog,
    files: &[(String, String)],
    documents: &Documents,
    mut errors: Vec<CatalogError>,
    quotes: Quotes,
) -> Result<(), CatalogErrors> {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (path, text) in files {
        match validate::integration(path, text, &documents.parsed, &documents.broken, quotes) {
            Ok(integration) => {
                if let Some(first) = seen.insert(integration.id.clone(), path.clone()) {
                    errors.push(CatalogError {
                        file: path.clone(),
                        line: 1,
                        message: format!("integration id `{}` is already defined in `{first}`", integration.id),
                    });
                }
                catalog.integrations.insert(integration.id.clone(), integration);
            }
            Err(mut errs) => errors.append(&mut errs),
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(CatalogErrors(errors)) }
}
