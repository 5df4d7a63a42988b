//! The examples in `docs/` work: the catalog-format example loads and generates.

use crate::common::{ok, run, stderr};

/// The body of the first fenced block of `language` in `text`.
fn block<'a>(text: &'a str, language: &str) -> &'a str {
    let start = text.find(&format!("```{language}\n")).expect("the block exists") + language.len() + 4;
    let end = start + text[start..].find("```").expect("the block ends");
    &text[start..end]
}

#[test]
fn the_catalog_format_example_loads_and_generates() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/catalog-format.md")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sources")).unwrap();
    std::fs::write(dir.path().join("sources/example-permissions.txt"), block(&doc, "text")).unwrap();
    std::fs::write(dir.path().join("example.toml"), block(&doc, "toml")).unwrap();
    let catalog = dir.path().to_str().unwrap();

    let xml = ok(&["--catalog", catalog, "gen", "--for", "example", "--feature", "logging"]);
    assert!(xml.contains("<name>ModifyMetadata</name>"), "{xml}");
    assert!(xml.contains("<object>ex__Log__c</object>"), "{xml}");
    let explain = ok(&["--catalog", catalog, "explain", "--for", "example"]);
    assert!(explain.contains("platform requirement: the integration works through Salesforce's API"), "{explain}");
    assert!(explain.contains("authorizes through an OAuth connected app (Example): \"Connect by authorizing the Example app as the sync user.\""), "{explain}");
    assert!(explain.contains("the vendor accepts the Salesforce Integration user licence: \"The sync user may hold a Salesforce Integration user license.\""), "{explain}");
    let show = ok(&["--catalog", catalog, "show", "example"]);
    assert!(show.contains("Connects through the API: API Enabled is granted as a platform requirement"), "{show}");
    assert!(show.contains("Salesforce Integration user licence: accepted by the vendor"), "{show}");

    let output = run(&["--catalog", catalog, "gen", "--for", "example", "--feature", "logging"]);
    assert!(stderr(&output).contains("UNVERIFIED: --log-object ex__Log__c (the default)"), "{}", stderr(&output));

    let output = run(&["--catalog", catalog, "gen", "--for", "example", "--direction", "write"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--direction write is not available for trial orgs"), "{}", stderr(&output));
}
