//! Helpers shared by the integration tests: running the binary, temporary folders, schema checks.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The carestone org retrieve (an SFDX project).
pub fn carestone() -> PathBuf {
    fixtures().join("corpus/org-carestone")
}

pub fn sfperms() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sfperms"));
    // clap wraps help to COLUMNS: fixed, so help snapshots do not depend on the terminal.
    command.env("NO_COLOR", "1").env("COLUMNS", "100").current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

/// Runs `sfperms args…` and returns its output.
pub fn run(args: &[&str]) -> Output {
    sfperms().args(args).output().expect("the binary runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// Runs `sfperms args…`, asserts exit 0, returns stdout.
pub fn ok(args: &[&str]) -> String {
    let output = run(args);
    assert!(output.status.success(), "sfperms {args:?} failed: {}", stderr(&output));
    stdout(&output)
}

/// Runs `sfperms args…`, asserts exit 2, returns stderr.
pub fn input_error(args: &[&str]) -> String {
    let output = run(args);
    assert_eq!(output.status.code(), Some(2), "sfperms {args:?}: expected exit 2; stderr: {}", stderr(&output));
    assert!(output.stdout.is_empty(), "sfperms {args:?} printed to stdout on error");
    stderr(&output)
}

/// Validates `xml` against Salesforce's Metadata API schema (v66) with xmllint; panics with
/// xmllint's message when it is not valid. xmllint is required: CI installs libxml2-utils.
pub fn assert_schema_valid(xml: &str, what: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file.xml");
    std::fs::write(&file, xml).unwrap();
    assert_file_schema_valid(&file, what);
}

pub fn assert_file_schema_valid(file: &Path, what: &str) {
    let schema = fixtures().join("metadata-api-v66.xsd");
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(file)
        .output()
        .expect("xmllint is installed (apt-get install libxml2-utils)");
    assert!(
        output.status.success(),
        "{what} is not valid against the Metadata API schema:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// insta settings that keep snapshots in the top-level `snapshots/` folder.
pub fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings
}

/// Copies the folder `from` into `to` (tests work on copies of the fixtures).
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The permission sets and profiles of an SFDX project's `force-app/main/default`, as the
/// entries of a retrieve zip (`unpackaged/permissionsets/X.permissionset`, …), sorted.
pub fn retrieve_entries(project: &Path) -> Vec<(String, Vec<u8>)> {
    let root = project.join("force-app/main/default");
    let mut entries = Vec::new();
    for folder in ["permissionsets", "profiles"] {
        for entry in std::fs::read_dir(root.join(folder)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().replace("-meta.xml", "");
            entries.push((format!("unpackaged/{folder}/{name}"), std::fs::read(&path).unwrap()));
        }
    }
    entries.sort();
    entries
}
