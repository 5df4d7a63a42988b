//! The integration catalog: one TOML file per integration in `profiles/` (embedded in the binary)
//! or a `--catalog DIR`. `raw` is the file as written, `validate` checks it against the platform
//! data and the vendor document, `model` is what the solver reads.

pub mod coverage;
mod document;
mod error;
mod load;
pub(crate) mod model;
mod raw;
mod validate;

pub use document::{ExcerptHeader, SourceDocument};
pub use error::{CatalogError, CatalogErrors};
pub use load::{
    add_dir, builtin, builtin_checked, builtin_document, builtin_files, builtin_only, builtin_source,
    builtin_source_names,
};
pub use model::*;
pub use validate::{RESERVED_OPTION_NAMES, placeholders};

/// Validates one integration file against `documents` (file name → text): for tests that build
/// small catalogs of their own.
#[cfg(test)]
pub(crate) fn parse_integration(
    text: &str,
    documents: &std::collections::BTreeMap<String, String>,
) -> Result<Integration, Vec<CatalogError>> {
    let documents = documents
        .iter()
        .map(|(name, text)| (name.clone(), SourceDocument::parse(name, text).expect("a well-formed test document")))
        .collect();
    validate::integration("test.toml", text, &documents, &Default::default(), validate::Quotes::Check)
}

#[cfg(test)]
mod tests {
    /// The built-in catalog is validated here, quotes included, so that runs need not search the
    /// vendor documents again.
    #[test]
    fn the_builtin_catalog_is_valid_quotes_included() {
        let checked = super::builtin_checked().unwrap_or_else(|e| panic!("{e}"));
        let trusted = super::builtin().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(format!("{checked:?}"), format!("{trusted:?}"));
        assert!(checked.get("planhat").is_some());
        assert!(checked.get("jetstream").is_some());
    }

    /// A run for one integration reads only its file, found by id, and gets the same model.
    #[test]
    fn every_builtin_file_is_named_after_its_id() {
        let catalog = super::builtin().unwrap_or_else(|e| panic!("{e}"));
        let files = super::builtin_files();
        assert_eq!(files.len(), catalog.ids().len());
        for id in catalog.ids() {
            assert!(files.contains(&format!("{id}.toml")), "profiles/{id}.toml");
            let one = super::builtin_only(id).unwrap().unwrap();
            assert_eq!(one.ids(), [id]);
            assert_eq!(format!("{:?}", one.get(id)), format!("{:?}", catalog.get(id)));
        }
        assert!(super::builtin_only("nope").is_none());
    }
}
