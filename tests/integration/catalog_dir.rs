//! `--catalog DIR`: the README's own example integration loads, lists and generates, so the
//! "Adding an integration" section cannot drift from the format.

use crate::common::{assert_schema_valid, input_error, ok, ok_with_stderr};

/// The ```toml block of README.md's "Adding an integration" section.
fn readme_example() -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme.split("## Adding an integration").nth(1).expect("README has the section");
    let block = section.split("```toml\n").nth(1).expect("the section has a toml block");
    block.split("```").next().unwrap().to_string()
}

#[test]
fn the_readme_example_integration_works() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sources")).unwrap();
    std::fs::write(dir.path().join("acme.toml"), readme_example()).unwrap();
    std::fs::write(
        dir.path().join("sources/acme-permissions.txt"),
        "A sentence of the document, verbatim. Then another part it rests on. …",
    )
    .unwrap();
    let catalog = dir.path().to_str().unwrap();

    let list = ok(&["--catalog", catalog, "list"]);
    assert!(list.contains("acme") && list.contains("planhat"), "{list}");

    let read = ok(&["--catalog", catalog, "gen", "--for", "acme", "--feature", "sync-cases"]);
    assert_schema_valid(&read, "acme, mode read");
    assert!(!read.contains("<name>ApiEnabled</name>"), "the requirement applies only with --mode write");

    let write = ok(&[
        "--catalog",
        catalog,
        "gen",
        "--for",
        "acme",
        "--feature",
        "sync-cases",
        "--mode",
        "write",
        "--object",
        "Order",
    ]);
    assert_schema_valid(&write, "acme, mode write");
    assert!(write.contains("<name>ApiEnabled</name>"));
    assert!(write.contains("<object>Order</object>"));
    assert!(write.contains("<field>Case.Subject</field>"));
}

/// A run reads only the catalog its command needs: a broken `--catalog DIR` does not break
/// `--version`, `--help` or `fmt`, and is still reported (whole) when an integration is asked for.
#[test]
fn a_broken_catalog_breaks_only_the_commands_that_read_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.toml"), "id = \"broken\"\nthis is not toml\n").unwrap();
    let catalog = dir.path().to_str().unwrap();
    let profile = crate::common::carestone().join("force-app/main/default/profiles/Admin.profile-meta.xml");
    assert!(ok(&["--catalog", catalog, "--version"]).starts_with("sfperms "));
    assert!(ok(&["--catalog", catalog, "--help"]).contains("Usage"));
    ok_with_stderr(
        &["--catalog", catalog, "fmt", "--check", profile.to_str().unwrap()],
        "1 files checked, 0 would change\n",
    );
    let err = input_error(&["--catalog", catalog, "gen", "--for", "planhat", "--sync", "two-way"]);
    assert!(err.contains("broken.toml"), "{err}");
}
