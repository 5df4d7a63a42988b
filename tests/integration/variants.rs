//! The per-integration test data, `profiles/tests/ID.toml` beside each catalog file: the variants
//! whose output is snapshot-tested and the page furniture the coverage test ignores. Each
//! integration's data lives in its own file, so adding an integration never edits a shared list.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

/// One file of `profiles/tests/`, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TestData {
    /// Sentences of the integration's full-text documents that are headings or page furniture.
    #[serde(default)]
    furniture: Vec<String>,
    #[serde(default)]
    variant: Vec<RawVariant>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVariant {
    name: String,
    /// Arguments after `--for ID`.
    args: Vec<String>,
    /// Also snapshot `explain --format markdown` for this variant.
    #[serde(default)]
    markdown: bool,
}

/// One snapshot-tested invocation: `gen`/`explain` with `args` (which start with `--for ID`).
#[derive(Debug, Clone)]
pub struct Variant {
    pub integration: String,
    /// The snapshot name: the integration id, or the id and a suffix (`planhat-two-way`).
    pub name: String,
    pub args: Vec<String>,
    pub markdown: bool,
}

impl Variant {
    pub fn args(&self) -> Vec<&str> {
        self.args.iter().map(String::as_str).collect()
    }
}

fn dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles/tests")
}

/// One test-data file, as written.
fn read(path: &Path) -> TestData {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The integration id a test-data file is for: its stem.
fn id_of(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

/// Every test-data file, by integration id (the file's stem).
fn load() -> BTreeMap<String, TestData> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir()).expect("profiles/tests exists") {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) == Some("toml") {
            out.insert(id_of(&path), read(&path));
        }
    }
    out
}

fn variants_of(id: &str, data: TestData) -> impl Iterator<Item = Variant> + '_ {
    data.variant.into_iter().map(move |v| {
        let args = ["--for".to_string(), id.to_string()].into_iter().chain(v.args).collect();
        Variant { integration: id.to_string(), name: v.name, args, markdown: v.markdown }
    })
}

/// The variants of one test-data file (`profiles/tests/ID.toml`), in file order.
pub fn of_file(path: &Path) -> Vec<Variant> {
    let id = id_of(path);
    variants_of(&id, read(path)).collect()
}

/// Every variant of every integration, integrations in id order, variants in file order.
pub fn all() -> Vec<Variant> {
    load().into_iter().flat_map(|(id, data)| variants_of(&id, data).collect::<Vec<_>>()).collect()
}

/// The furniture listed for integration `id` (empty when it has none).
pub fn furniture(id: &str) -> Vec<String> {
    load().remove(id).map(|d| d.furniture).unwrap_or_default()
}

/// Every integration id that has a test-data file.
pub fn ids() -> Vec<String> {
    load().into_keys().collect()
}

#[test]
fn every_integration_has_test_data_and_every_file_an_integration() {
    let catalog = sfperms::catalog::builtin().unwrap();
    let ids = ids();
    let missing: Vec<&str> = catalog.ids().into_iter().filter(|id| !ids.iter().any(|i| i == id)).collect();
    assert!(missing.is_empty(), "integrations without profiles/tests/ID.toml: {missing:?}");
    let orphans: Vec<&String> = ids.iter().filter(|id| catalog.get(id).is_none()).collect();
    assert!(orphans.is_empty(), "profiles/tests files naming no integration: {orphans:?}");
}

/// Variant names are unique snapshot names that start with their integration's id, and every
/// integration with features has a `--feature all` variant.
#[test]
fn variants_are_named_after_their_integration_and_cover_all_features() {
    let catalog = sfperms::catalog::builtin().unwrap();
    let variants = all();
    let mut problems = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for v in &variants {
        if !(v.name == v.integration || v.name.starts_with(&format!("{}-", v.integration))) {
            problems
                .push(format!("{}: the name must be `{}` or start with `{}-`", v.name, v.integration, v.integration));
        }
        if !seen.insert(v.name.clone()) {
            problems.push(format!("{}: named twice", v.name));
        }
    }
    for (id, integration) in &catalog.integrations {
        let has_all =
            variants.iter().any(|v| &v.integration == id && v.args.windows(2).any(|w| w == ["--feature", "all"]));
        if !integration.features.is_empty() && !has_all {
            problems.push(format!("{id}: no variant with `--feature all`"));
        }
        if !variants.iter().any(|v| &v.integration == id) {
            problems.push(format!("{id}: no variant"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
