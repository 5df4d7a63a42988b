//! Helpers shared by the integration tests: running the binary (stdout and stderr both checked),
//! copies of the fixtures, the corpus as its manifest lists it, schema checks.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The carestone org retrieve (an SFDX project).
pub fn carestone() -> PathBuf {
    fixtures().join("corpus/org-carestone")
}

/// The permission sets and profiles of the carestone retrieve, sorted.
pub fn carestone_files() -> Vec<PathBuf> {
    let root = carestone().join("force-app/main/default");
    let mut files: Vec<PathBuf> = ["permissionsets", "profiles"]
        .iter()
        .flat_map(|folder| std::fs::read_dir(root.join(folder)).unwrap().map(|e| e.unwrap().path()))
        .collect();
    files.sort();
    files
}

/// The public corpus as `corpus/public/MANIFEST.tsv` lists it: each file's path, sorted.
pub fn public_corpus() -> Vec<PathBuf> {
    let dir = fixtures().join("corpus/public");
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    let mut files: Vec<PathBuf> =
        manifest.lines().skip(1).map(|line| dir.join(line.split('\t').next().unwrap())).collect();
    files.sort();
    files
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

/// Runs `sfperms args…` in `dir` (paths in `args` are relative to it).
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    sfperms().current_dir(dir).args(args).output().expect("the binary runs")
}

/// `command`, then `request` (`--for ID` and its options), then `tail`: one argument list.
pub fn argv<'a>(command: &'a str, request: &[&'a str], tail: &[&'a str]) -> Vec<&'a str> {
    std::iter::once(command).chain(request.iter().copied()).chain(tail.iter().copied()).collect()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// What `gen` prints on stderr for an integration that connects through a connected app (Jetstream,
/// Merge, …) when nothing else needs saying.
pub const CONNECTED_APP_WARNING: &str = "warning: connected app: since September 2025 an uninstalled app is blocked: install the app (Setup > Connected Apps OAuth Usage > Install), set its Permitted Users to \"Admin approved users are pre-authorized\", and add this permission set (or profile) to the app's Permission Sets (or Profiles); this file cannot hold that (see `sfperms explain`)\n";

/// What `gen --for jetstream --feature deploy` prints on stderr: the connected-app step, and that
/// deploying Apex takes Author Apex, which the page does not ask for.
pub const JETSTREAM_DEPLOY_WARNINGS: &str = concat!(
    "warning: connected app: since September 2025 an uninstalled app is blocked: install the app (Setup > Connected Apps OAuth Usage > Install), set its Permitted Users to \"Admin approved users are pre-authorized\", and add this permission set (or profile) to the app's Permission Sets (or Profiles); this file cannot hold that (see `sfperms explain`)\n",
    "warning: deploying Apex classes and triggers takes AuthorApex (Author Apex) (source: Salesforce Help, \"Define Apex Classes\": \"To define, edit, delete, set security, and set version settings for Apex classes: Author Apex\" (help.salesforce.com, code_define_package.htm); Metadata API Developer Guide, \"Metadata API Edit Access\": a deploying user also needs the \"Permission that enables use of the feature supported by the metadata that they want to modify\" (developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_metadata_perm.htm)); the vendor's page implies it (\"Deploy and Compare Metadata\") without asking for it, so sfperms does not grant it: add --user-permission AuthorApex if this user will do that\n",
);

/// What `gen --for planhat` prints on stderr, whatever the sync direction: the warnings about the
/// input, then the objects whose access follows other records as one note.
pub const PLANHAT_WARNINGS: &str = concat!(
    "warning: field Account.{account-filter-field}: not granted: give --account-filter-field to grant it\n",
    "warning: field Contact.{contact-filter-field}: not granted: give --contact-filter-field to grant it\n",
    "warning: connected app: since September 2025 an uninstalled app is blocked: install the app (Setup > Connected Apps OAuth Usage > Install), set its Permitted Users to \"Admin approved users are pre-authorized\", and add this permission set (or profile) to the app's Permission Sets (or Profiles); this file cannot hold that (see `sfperms explain`)\n",
    "note: no object permission for these objects, as access to them follows other records (UNVERIFIED: no primary source found for these rules; `sfperms explain` shows each):\n",
    "  ContentDocumentLink: file links follow the linked record: access to the record gives access to its links\n",
    "  ContentNote: enhanced notes are files: access follows the records they are shared with (ContentDocumentLink)\n",
    "  Note: notes follow their parent record: access to the parent record gives access to its notes\n",
    "  Profile: profiles are not an object permission; their names are readable through the API by users who can see user records\n",
);

/// Runs `sfperms args…`, asserts exit 0 and an empty stderr, returns stdout. A run that is meant to
/// warn states its stderr with `ok_with_stderr` (or takes both with `ok_printed`), so a new
/// warning fails the test that did not expect it.
pub fn ok(args: &[&str]) -> String {
    ok_with_stderr(args, "")
}

/// Runs `sfperms args…`, asserts exit 0 and that stderr is exactly `expected`, returns stdout.
pub fn ok_with_stderr(args: &[&str], expected: &str) -> String {
    let (out, err) = ok_printed(args);
    assert_eq!(err, expected, "sfperms {args:?}: stderr");
    out
}

/// Runs `sfperms args…`, asserts exit 0, returns stdout and stderr for the caller to check whole
/// (e.g. in a snapshot).
pub fn ok_printed(args: &[&str]) -> (String, String) {
    let output = run(args);
    assert!(output.status.success(), "sfperms {args:?} failed: {}", stderr(&output));
    (stdout(&output), stderr(&output))
}

/// Runs `gen request… tail…`, where `tail` makes it write files (`--output-dir D`, `--zip Z`):
/// asserts exit 0 and that stderr is the warnings `gen request…` prints when writing to stdout,
/// followed by its report of the files (`created: PATH`, `updated: PATH` and its effects, …).
/// Returns that report.
pub fn gen_writing(request: &[&str], tail: &[&str]) -> String {
    let (_, warnings) = ok_printed(&argv("gen", request, &[]));
    let (_, err) = ok_printed(&argv("gen", request, tail));
    let report = err.strip_prefix(&warnings).unwrap_or_else(|| {
        panic!("gen {request:?} {tail:?}: stderr does not start with the warnings of gen {request:?}:\n{err}")
    });
    let is_report = |line: &str| {
        line.starts_with("  ")
            || ["created: ", "updated: ", "removed: ", "unchanged: "].iter().any(|p| line.starts_with(p))
    };
    assert!(report.lines().all(is_report), "gen {request:?} {tail:?}: more than warnings and the files:\n{err}");
    report.to_string()
}

/// Runs `fmt path`, asserts exit 0, and that it reports `path` formatted exactly when it changed
/// the file (one file: `formatted: PATH`, then the count).
pub fn fmt_file(path: &str) {
    let before = std::fs::read(path).unwrap();
    let (_, err) = ok_printed(&["fmt", path]);
    let expected = if std::fs::read(path).unwrap() == before {
        "1 files checked, 0 formatted\n".to_string()
    } else {
        format!("formatted: {path}\n1 files checked, 1 formatted\n")
    };
    assert_eq!(err, expected, "fmt {path}: stderr");
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
    assert_all_schema_valid(&[(what.to_string(), xml.to_string())]);
}

pub fn assert_file_schema_valid(file: &Path, what: &str) {
    assert_files_schema_valid(&[(what.to_string(), file.to_path_buf())]);
}

/// Validates every `(what, xml)` with one xmllint run: reading the 2 MB schema costs about a
/// second of CPU, so a test with many documents checks them together. Panics naming every
/// document that is not valid, with xmllint's messages.
pub fn assert_all_schema_valid(documents: &[(String, String)]) {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<(String, PathBuf)> = documents
        .iter()
        .enumerate()
        .map(|(i, (what, xml))| {
            let file = dir.path().join(format!("{i}.xml"));
            std::fs::write(&file, xml).unwrap();
            (what.clone(), file)
        })
        .collect();
    assert_files_schema_valid(&files);
}

/// `assert_all_schema_valid` for files on disk: `(what, path)`.
pub fn assert_files_schema_valid(files: &[(String, PathBuf)]) {
    if files.is_empty() {
        return;
    }
    let schema = fixtures().join("metadata-api-v66.xsd");
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .args(files.iter().map(|(_, file)| file))
        .output()
        .expect("xmllint is installed (apt-get install libxml2-utils)");
    let messages = String::from_utf8_lossy(&output.stderr);
    let invalid: Vec<&str> = files
        .iter()
        .filter(|(_, file)| messages.contains(&format!("{} fails to validate", file.display())))
        .map(|(what, _)| what.as_str())
        .collect();
    assert!(
        output.status.success() && invalid.is_empty(),
        "not valid against the Metadata API schema: {}\n{messages}",
        invalid.join(", ")
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

/// A fresh copy of the fixture folder `tests/fixtures/{relative}`: the temporary folder (which
/// removes the copy when dropped) and the copy's root, named like the fixture's last component.
pub fn fixture_copy(relative: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join(Path::new(relative).file_name().unwrap());
    copy_dir(&fixtures().join(relative), &root);
    (dir, root)
}

/// A fresh copy of the carestone project at the root of a temporary folder.
pub fn carestone_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&carestone(), dir.path());
    dir
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
