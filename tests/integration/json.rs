//! `--json` prints the sf CLI's envelope for every command: `{"status", "result", "warnings"}`
//! when the command ran, `{"status", "name", "message", "exitCode", "warnings"}` when it could
//! not; nothing else on stdout, nothing on stderr.

use serde_json::Value;

use crate::common::{carestone, run, stderr, stdout};

/// Runs `sfperms args…` and returns its exit code and the JSON document it printed; asserts that
/// stderr is empty and that the document has exactly the envelope's keys.
fn envelope(args: &[&str]) -> (i32, Value) {
    let output = run(args);
    let code = output.status.code().expect("exited");
    assert_eq!(stderr(&output), "", "sfperms {args:?} wrote to stderr");
    let doc: Value = serde_json::from_str(&stdout(&output)).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e})"));
    let keys: Vec<&str> = doc.as_object().expect("an object").keys().map(String::as_str).collect();
    assert_eq!(doc["status"], code, "{args:?}: status is the exit code");
    assert!(doc["warnings"].is_array(), "{args:?}: {doc}");
    if doc.get("result").is_some() {
        assert_eq!(keys.len(), 3, "{args:?}: {keys:?}");
    } else {
        assert_eq!(doc["exitCode"], code, "{args:?}");
        assert!(doc["name"].as_str().unwrap().ends_with("Error"), "{args:?}: {doc}");
        assert!(doc["message"].is_string(), "{args:?}: {doc}");
        let expected = if doc.get("data").is_some() { 6 } else { 5 };
        assert_eq!(keys.len(), expected, "{args:?}: {keys:?}");
    }
    (code, doc)
}

/// The printed text keeps sf's key order (status first), which pipelines reading it by eye expect.
#[test]
fn status_comes_first() {
    let text = stdout(&run(&["list", "--json"]));
    assert!(text.starts_with("{\n  \"status\": 0,\n  \"result\": ["), "{text}");
}

#[test]
fn every_command_succeeds_in_the_envelope() {
    let (code, doc) = envelope(&["list", "--json"]);
    assert_eq!(code, 0);
    assert!(doc["result"].as_array().unwrap().iter().any(|i| i["id"] == "jetstream"));

    let (code, doc) = envelope(&["show", "planhat", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(doc["result"]["id"], "planhat");

    let (code, doc) = envelope(&["gen", "--for", "elements", "--json"]);
    assert_eq!(code, 0);
    assert!(doc["result"]["xml"].as_str().unwrap().starts_with("<?xml"));
    let warnings = doc["warnings"].as_array().unwrap();
    assert!(warnings.iter().any(|w| w.as_str().unwrap().contains("ViewAllData also requires")), "{warnings:?}");

    // JSON lists every warning alike: the objects the text groups in a note keep their own entry.
    let (code, doc) = envelope(&["gen", "--for", "planhat", "--sync", "receive-only", "--json"]);
    assert_eq!(code, 0);
    let warnings: Vec<&str> = doc["warnings"].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
    assert_eq!(warnings.len(), 7, "{warnings:?}");
    assert!(
        warnings.contains(&"UNVERIFIED: Note: notes follow their parent record: access to the parent record gives access to its notes (no primary source found)"),
        "{warnings:?}"
    );

    let (code, doc) = envelope(&["explain", "--for", "jetstream", "--feature", "deploy", "--json"]);
    assert_eq!(code, 0);
    assert!(doc["result"]["verification-query"].as_str().unwrap().contains("UserPermissionAccess"));

    let carestone = carestone();
    let profile = carestone.join("force-app/main/default/profiles/Admin.profile-meta.xml");
    let (code, doc) = envelope(&["fmt", "--check", profile.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0);
    assert_eq!(doc["result"]["files"][0]["status"], "canonical");
}

#[test]
fn differences_are_status_1_with_a_result() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let (code, doc) = envelope(&["gen", "--for", "jetstream", "--output-dir", out, "--check", "--json"]);
    assert_eq!(code, 1);
    assert_eq!(doc["result"]["files"][0]["changes"], true);
    assert_eq!(doc["result"]["files"][0]["written"], false);
}

#[test]
fn every_error_is_named() {
    let (code, doc) = envelope(&["gen", "--for", "planhatt", "--json"]);
    assert_eq!(code, 2);
    assert_eq!(doc["name"], "InputError");
    assert!(doc["message"].as_str().unwrap().contains("unknown integration `planhatt`; did you mean `planhat`?"));

    let (_, doc) = envelope(&["explain", "--for", "jetstream", "--feature", "deploi", "--json"]);
    assert_eq!(doc["name"], "SelectionError");

    let (_, doc) = envelope(&["show", "nope", "--json"]);
    assert_eq!(doc["name"], "InputError");

    let (code, doc) = envelope(&["gen", "--for", "jetstream", "--bogus", "--json"]);
    assert_eq!(code, 2);
    assert_eq!(doc["name"], "UsageError");
    assert!(doc["message"].as_str().unwrap().contains("unexpected argument '--bogus'"), "{doc}");
    assert!(!doc["message"].as_str().unwrap().contains('\u{1b}'), "no colour in JSON");

    let (_, doc) = envelope(&["diff", "--for", "jetstream", "--against", "no/such/dir", "--format", "json"]);
    assert_eq!(doc["name"], "MetadataError");

    let (_, doc) = envelope(&[
        "gen",
        "--for",
        "jetstream",
        "--dependencies",
        "tests/fixtures/dependencies/malformed.csv",
        "--json",
    ]);
    assert_eq!(doc["name"], "DependencyExportError");

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("Bad.permissionset-meta.xml");
    std::fs::write(&bad, "<?xml version=\"1.0\"?>\n<PermissionSet>\n<label>x</lab>\n").unwrap();
    let (code, doc) = envelope(&["fmt", bad.to_str().unwrap(), "--json"]);
    assert_eq!(code, 2);
    assert_eq!(doc["name"], "MetadataError");
    assert_eq!(doc["data"]["files"][0]["status"], "error");
    assert!(doc["message"].as_str().unwrap().contains("nothing written"), "{doc}");
}

#[test]
fn help_stays_text_with_json() {
    let output = run(&["gen", "--help", "--json"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).starts_with("Generate the PermissionSet"), "{}", stdout(&output));
}

#[test]
fn project_file_and_audit_errors_are_named_too() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sfperms.toml"), "[[user]]\nfor = \"jetstream\"\nfeatures = \"deploy\"\n").unwrap();
    let output = crate::common::sfperms().current_dir(dir.path()).args(["gen", "--check", "--json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr(&output), "");
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(doc["name"], "ProjectFileError");
    assert!(doc["message"].as_str().unwrap().starts_with("sfperms.toml:3: unknown key `features`"), "{doc}");

    let bad = dir.path().join("Bad.permissionset-meta.xml");
    std::fs::write(&bad, "<PermissionSet><label>x</PermissionSet>").unwrap();
    let (code, doc) = envelope(&["audit", dir.path().to_str().unwrap(), "--json"]);
    assert_eq!(code, 2);
    assert_eq!(doc["name"], "MetadataError");
    assert_eq!(doc["data"]["errors"].as_array().unwrap().len(), 1);
}

/// A note whose grant waits for an option says which flag gives it, in `--json` as in the text.
#[test]
fn a_note_waiting_for_an_option_names_its_flag() {
    let (_, doc) = envelope(&["explain", "--for", "planhat", "--sync", "two-way", "--json"]);
    let waiting: Vec<(&str, &str)> = doc["result"]["plan"]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "needs-option")
        .map(|n| (n["subject"].as_str().unwrap(), n["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        waiting,
        [
            ("field Account.{account-filter-field}", "not granted: give --account-filter-field to grant it"),
            ("field Contact.{contact-filter-field}", "not granted: give --contact-filter-field to grant it"),
        ]
    );
}
