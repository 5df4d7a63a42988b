//! The examples in `docs/` work: the catalog-format examples load, generate, show and explain.

use crate::common::{CONNECTED_APP_WARNING, assert_schema_valid, ok, ok_with_stderr, run, stderr};

/// The bodies of the fenced blocks of `language` in `text`, in order.
fn blocks<'a>(text: &'a str, language: &str) -> Vec<&'a str> {
    let fence = format!("\n```{language}\n");
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(&fence) {
        let body = &rest[start + fence.len()..];
        let end = body.find("```").expect("the block ends");
        out.push(&body[..end]);
        rest = &body[end + 3..];
    }
    out
}

/// The part of docs/catalog-format.md under the heading `heading` (up to the next `## `).
fn section(heading: &str) -> String {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/catalog-format.md")).unwrap();
    let start = doc.find(&format!("\n{heading}\n")).unwrap_or_else(|| panic!("the doc has `{heading}`"));
    let body = &doc[start + heading.len() + 2..];
    body[..body.find("\n## ").unwrap_or(body.len())].to_string()
}

/// Writes `files` (name → text) into a fresh catalog directory, documents under `sources/`.
fn catalog_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sources")).unwrap();
    for (name, text) in files {
        let path = if name.ends_with(".txt") { dir.path().join("sources").join(name) } else { dir.path().join(name) };
        std::fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn the_catalog_format_example_loads_and_generates() {
    let section = section("## Example");
    let dir = catalog_dir(&[
        ("example-permissions.txt", blocks(&section, "text")[0]),
        ("example.toml", blocks(&section, "toml")[0]),
    ]);
    let catalog = dir.path().to_str().unwrap();

    let xml = ok_with_stderr(
        &["--catalog", catalog, "gen", "--for", "example", "--feature", "logging"],
        &format!(
            "warning: UNVERIFIED: --log-object ex__Log__c (the default): the page names the object by its label only\n{CONNECTED_APP_WARNING}"
        ),
    );
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

#[test]
fn the_excerpt_conflict_and_package_permission_set_example_works() {
    let section = section("## Example: excerpts, a conflict and a package permission set");
    let texts = blocks(&section, "text");
    let dir = catalog_dir(&[
        ("widget-setup.txt", texts[0]),
        ("widget-faq.txt", texts[1]),
        ("widget.toml", blocks(&section, "toml")[0]),
    ]);
    let catalog = dir.path().to_str().unwrap();

    let view_all_data_needs = |permission: &str| {
        format!(
            "warning: ViewAllData also requires {permission} in orgs with Event Monitoring (Salesforce Shield); not granted, since elsewhere it fails the deploy. If your org has it, pass the org's own PermissionDependency export with --dependencies\n"
        )
    };
    let xml = ok_with_stderr(
        &["--catalog", catalog, "gen", "--for", "widget"],
        &(view_all_data_needs("ViewDataLeakageEvents") + &view_all_data_needs("ViewPlatformEvents")),
    );
    assert_schema_valid(&xml, "the widget example");
    assert!(xml.contains("<name>ViewAllData</name>") && xml.contains("<name>ApiEnabled</name>"), "{xml}");
    assert!(!xml.contains("ModifyAllData"), "the conflict's losing side is not granted: {xml}");
    assert!(!xml.contains("Widget Admin"), "the package's permission set is named, not written: {xml}");

    let show = ok(&["--catalog", catalog, "show", "widget"]);
    for expected in [
        "Source document: Connecting Salesforce to Widget (widget-setup.txt)\n  https://help.widget.example/salesforce-setup\n  read 2026-11-26",
        "Also cites: Widget FAQ (widget-faq.txt)\n  https://help.widget.example/faq",
        "  Widget Admin: installed by Widget's managed package\n      source: \"Assign the Widget Admin permission set from the managed package.\"",
        "      \"The user needs Modify All Data.\" (widget-setup.txt): Modify All Data: read and write every record",
    ] {
        assert!(show.contains(expected), "show lacks {expected:?}:\n{show}");
    }

    let explain = ok(&["--catalog", catalog, "explain", "--for", "widget"]);
    let expected = "
Where the vendor's documents disagree
  Modify All Data or View All Data
      - \"The user needs Modify All Data.\" (widget-setup.txt): Modify All Data: read and write every record
      - \"View All Data is enough for the sync to read records.\" (widget-faq.txt): View All Data: read every record
      - followed: View All Data, the documented minimum for a sync that only reads

The vendor's own permission sets: assign them too (sfperms does not write them)
  Widget Admin: installed by Widget's managed package
      - \"Assign the Widget Admin permission set from the managed package.\"
";
    assert!(explain.contains(expected), "explain lacks the conflict and the package's set:\n{explain}");
    let sources = "
  Source: Connecting Salesforce to Widget (widget-setup.txt)
    https://help.widget.example/salesforce-setup (read 2026-11-26)
  Also: Widget FAQ (widget-faq.txt)
    https://help.widget.example/faq (read 2026-11-26)
";
    assert!(explain.contains(sources), "explain lacks the pages' addresses:\n{explain}");
}

/// The widget example with `replace` applied to one file: the catalog's stderr with the temporary
/// directory written `DIR`.
fn widget_error(file: &str, from: &str, to: &str) -> String {
    let section = section("## Example: excerpts, a conflict and a package permission set");
    let texts = blocks(&section, "text");
    let mut files = [
        ("widget-setup.txt", texts[0].to_string()),
        ("widget-faq.txt", texts[1].to_string()),
        ("widget.toml", blocks(&section, "toml")[0].to_string()),
    ];
    let target = files.iter_mut().find(|(name, _)| *name == file).expect("a file of the example");
    let broken = target.1.replace(from, to);
    assert_ne!(broken, target.1, "`{from}` occurs in {file}");
    target.1 = broken;
    let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let dir = catalog_dir(&files);
    let path = dir.path().to_str().unwrap();
    let output = run(&["--catalog", path, "list"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    stderr(&output).replace(path, "DIR")
}

#[test]
fn a_broken_excerpt_or_catalog_names_the_file_and_line() {
    assert_eq!(
        widget_error("widget-faq.txt", "read: 2026-11-26", "read: 26 November"),
        "error: the catalog has 1 problem:\n  DIR/sources/widget-faq.txt:3: read date `26 November` must be written YYYY-MM-DD\n"
    );
    assert_eq!(
        widget_error("widget-setup.txt", "title: ", "name: "),
        "error: the catalog has 1 problem:\n  DIR/sources/widget-setup.txt:2: an excerpt starts with the lines `address: https://…`, `title: …`, `read: YYYY-MM-DD`; line 2 should be `title: …`\n"
    );
    let err = widget_error("widget.toml", "default-name", "title = \"Widget\"\ndefault-name");
    assert_eq!(
        err,
        "error: the catalog has 1 problem:\n  DIR/widget.toml:5: `widget-setup.txt` is an excerpt: its header gives the title and address; leave `title` and `vendor-url` out\n"
    );
    let err = widget_error(
        "widget.toml",
        "{ source = \"The user needs Modify All Data.\"",
        "{ source = \"The user needs Modify All Data now.\"",
    );
    assert!(
        err.contains(
            "widget.toml:24: quote `The user needs Modify All Data now.` does not occur in the vendor documents"
        ),
        "{err}"
    );
    let err = widget_error(
        "widget.toml",
        "    { source = \"View All Data is enough for the sync to read records.\", says = \"View All Data: read every record\" },\n",
        "",
    );
    assert!(err.contains("widget.toml:22: a conflict has at least two `sides`"), "{err}");
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
    for command in ["list", "show", "gen", "explain", "diff", "fmt", "audit", "init", "completions", "man"] {
        assert!(examples.iter().any(|(args, _)| args[0] == command), "docs/json.md has no `{command}` example");
    }
    for (args, documented) in examples {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        // init writes sfperms.toml where it runs: not in the repository.
        let scratch = tempfile::tempdir().unwrap();
        let output = if args[0] == "init" {
            crate::common::sfperms().current_dir(scratch.path()).args(&args).output().unwrap()
        } else {
            run(&args)
        };
        let printed: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
        let documented: serde_json::Value = serde_json::from_str(&documented).expect("the example is JSON");
        assert_eq!(documented["status"], printed["status"], "{args:?}");
        same_shape(&documented, &printed, &format!("{args:?}"));
    }
}
