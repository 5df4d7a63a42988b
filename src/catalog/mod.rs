//! The integration catalog: one TOML file per integration in `profiles/` (embedded in the binary)
//! or a `--catalog DIR`. `raw` is the file as written, `validate` checks it against the platform
//! data and the vendor document, `model` is what the solver reads.

pub mod coverage;
mod document;
mod error;
mod load;
pub mod model;
mod raw;
mod validate;

pub use document::{ExcerptHeader, SourceDocument};
pub use error::{CatalogError, CatalogErrors, did_you_mean, hint};
pub use load::{add_dir, builtin, builtin_document, builtin_source, builtin_source_names};
pub use model::*;
pub use validate::placeholders;

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
    validate::integration("test.toml", text, &documents, &Default::default())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_builtin_catalog_loads() {
        let catalog = super::builtin().unwrap_or_else(|e| panic!("{e}"));
        assert!(catalog.get("planhat").is_some());
        assert!(catalog.get("jetstream").is_some());
    }
}
