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
    let output = run(&["--catalog", catalog, "gen", "--for", "example", "--feature", "logging"]);
    assert!(stderr(&output).contains("UNVERIFIED: --log-object ex__Log__c (the default)"), "{}", stderr(&output));

    let output = run(&["--catalog", catalog, "gen", "--for", "example", "--direction", "write"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--direction write is not available for trial orgs"), "{}", stderr(&output));
}

/// The command lines of `console` blocks and the JSON block that follows each.
fn console_examples(text: &str) -> Vec<(Vec<String>, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("```console\n$ sfperms ") {
        let line_start = start + "```console\n$ sfperms ".len();
        let line_end = line_start + rest[line_start..].find('\n').unwrap();
        let args = shell_words(&rest[line_start..line_end]);
        let json_start = line_end + rest[line_end..].find("```json\n").expect("a JSON block follows") + 8;
        let json_end = json_start + rest[json_start..].find("```").unwrap();
        out.push((args, rest[json_start..json_end].to_string()));
        rest = &rest[json_end..];
    }
    out
}

/// Splits a command line on spaces, keeping "double-quoted" words together.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = vec![String::new()];
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => words.push(String::new()),
            c => words.last_mut().unwrap().push(c),
        }
    }
    words.retain(|w| !w.is_empty());
    words
}

/// Whether `actual` has `documented`'s shape: the same keys at every level (lists compared by
/// their first element, since the examples keep one), and the same `status`.
fn same_shape(documented: &serde_json::Value, actual: &serde_json::Value, path: &str) {
    use serde_json::Value;
    match (documented, actual) {
        (Value::Object(d), Value::Object(a)) => {
            let (dk, ak): (Vec<&String>, Vec<&String>) = (d.keys().collect(), a.keys().collect());
            assert_eq!(dk, ak, "{path}: the keys differ");
            for (key, value) in d {
                same_shape(value, &a[key], &format!("{path}.{key}"));
            }
        }
        (Value::Array(d), Value::Array(a)) => {
            assert_eq!(d.is_empty(), a.is_empty(), "{path}: one list is empty");
            if let (Some(d), Some(a)) = (d.first(), a.first()) {
                same_shape(d, a, &format!("{path}[0]"));
            }
        }
        (d, a) => {
            assert_eq!(std::mem::discriminant(d), std::mem::discriminant(a), "{path}: documented {d}, printed {a}")
        }
    }
}

#[test]
fn the_json_examples_have_the_printed_shape() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/json.md")).unwrap();
    let examples = console_examples(&doc);
    for command in ["list", "show", "gen", "explain", "diff", "fmt", "completions", "man"] {
        assert!(examples.iter().any(|(args, _)| args[0] == command), "docs/json.md has no `{command}` example");
    }
    for (args, documented) in examples {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = run(&args);
        let printed: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
        let documented: serde_json::Value = serde_json::from_str(&documented).expect("the example is JSON");
        assert_eq!(documented["status"], printed["status"], "{args:?}");
        same_shape(&documented, &printed, &format!("{args:?}"));
    }
}
