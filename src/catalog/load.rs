//! Finds catalog files (built in, or a `--catalog DIR`) and the vendor documents they cite, parses
//! them, and hands them to `validate`.

use std::collections::BTreeMap;
use std::path::Path;

use super::error::{CatalogError, CatalogErrors};
use super::model::Catalog;
use super::validate::{self, Quotes};

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_catalog.rs"));
}

/// The catalog shipped in the binary (`profiles/`). Its quotes are not searched for again on every
/// run: the tests do that (`builtin_checked`).
pub fn builtin() -> Result<Catalog, CatalogErrors> {
    let mut catalog = Catalog::default();
    add_files(&mut catalog, builtin::INTEGRATIONS.iter().copied(), Quotes::Trusted)?;
    Ok(catalog)
}

/// Only the built-in integration `id` (the file `profiles/ID.toml`), or `None` when there is none:
/// all that a run for one integration reads.
pub fn builtin_only(id: &str) -> Option<Result<Catalog, CatalogErrors>> {
    let file = builtin::INTEGRATIONS.iter().copied().find(|(path, _)| file_name(path) == format!("{id}.toml"))?;
    let mut catalog = Catalog::default();
    Some(add_files(&mut catalog, [file], Quotes::Trusted).map(|()| catalog))
}

/// The built-in catalog with every quote checked against its vendor document.
pub fn builtin_checked() -> Result<Catalog, CatalogErrors> {
    let mut catalog = Catalog::default();
    add_files(&mut catalog, builtin::INTEGRATIONS.iter().copied(), Quotes::CheckIn(&builtin_documents()))?;
    Ok(catalog)
}

/// The file names of the built-in integrations (`planhat.toml`, …).
pub fn builtin_files() -> Vec<String> {
    builtin::INTEGRATIONS.iter().map(|(path, _)| file_name(path)).collect()
}

/// The text of a vendor document shipped with the catalog (`profiles/sources/NAME`).
pub fn builtin_document(name: &str) -> Option<&'static str> {
    builtin::DOCUMENTS.iter().find(|(path, _)| file_name(path) == name).map(|(_, text)| *text)
}

fn builtin_documents() -> BTreeMap<String, String> {
    builtin::DOCUMENTS.iter().map(|(path, text)| (file_name(path), (*text).to_string())).collect()
}

fn file_name(path: &str) -> String {
    Path::new(path).file_name().map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

/// Adds (or replaces, by id) the integrations of `dir/*.toml`; documents come from `dir/sources/`,
/// `dir` itself, or the built-in ones.
pub fn add_dir(catalog: &mut Catalog, dir: &Path) -> Result<(), CatalogErrors> {
    let fail =
        |message: String| CatalogErrors(vec![CatalogError { file: dir.display().to_string(), line: 0, message }]);
    let entries = std::fs::read_dir(dir).map_err(|e| fail(format!("cannot read the catalog directory: {e}")))?;
    let mut files = Vec::new();
    let mut documents = builtin_documents();
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
        let text =
            std::fs::read_to_string(&path).map_err(|e| fail(format!("cannot read `{}`: {e}", path.display())))?;
        if ext == Some("toml") {
            files.push((path.display().to_string(), text));
        } else {
            documents.insert(file_name(&path.to_string_lossy()), text);
        }
    }
    if files.is_empty() {
        return Err(fail("no integration files (*.toml) in the catalog directory".into()));
    }
    add_files(catalog, files.iter().map(|(p, t)| (p.as_str(), t.as_str())), Quotes::CheckIn(&documents))
}

fn add_files<'a>(
    catalog: &mut Catalog,
    files: impl IntoIterator<Item = (&'a str, &'a str)>,
    quotes: Quotes,
) -> Result<(), CatalogErrors> {
    let mut errors = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (path, text) in files {
        match validate::integration(path, text, quotes) {
            Ok(integration) => {
                if let Some(first) = seen.insert(integration.id.clone(), path.to_string()) {
                    errors.push(CatalogError {
                        file: path.to_string(),
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
