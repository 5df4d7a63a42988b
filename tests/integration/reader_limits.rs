//! The reader's limits, seen from every command that reads existing files (`gen` into a project,
//! `diff`, `fmt`): characters XML 1.0 forbids, anything before the declaration, deep nesting,
//! duplicate entries, UTF-16 without a BOM, the size cap: exit 2, the path and line, and nothing
//! written. Carriage returns: what a retrieve holds is kept, and `&#13;` round-trips.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{gen_writing, input_error, ok, ok_with_stderr, run, stderr};

const HEAD: &str =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Profile xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n";
const PROFILE_FILE: &str = "Planhat Integration.profile-meta.xml";

/// A profile whose third line is `body`.
fn profile(body: &str) -> String {
    format!("{HEAD}{body}\n    <userLicense>Salesforce</userLicense>\n</Profile>\n")
}

/// An SFDX project holding the Planhat profile with `bytes`; returns the project and the file.
fn project_with(bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sfdx-project.json"), r#"{"packageDirectories": [{"path": "force-app"}]}"#).unwrap();
    let folder = dir.path().join("force-app/main/default/profiles");
    std::fs::create_dir_all(&folder).unwrap();
    let file = folder.join(PROFILE_FILE);
    std::fs::write(&file, bytes).unwrap();
    (dir, file)
}

fn refused(output: &Output, expected: &[&str]) {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(2), "expected exit 2; stderr: {err}");
    for want in expected {
        assert!(err.contains(want), "expected `{want}` in: {err}");
    }
}

/// `gen`, `diff` and `fmt` all refuse the file with `expected` in the message; nothing changes.
fn refused_everywhere(bytes: &[u8], expected: &[&str]) {
    let (dir, file) = project_with(bytes);
    let root = dir.path().to_str().unwrap();
    let gen_args = ["gen", "--for", "planhat", "--sync", "receive-only", "--output-dir", root];
    let mut with_file = expected.to_vec();
    with_file.push(PROFILE_FILE);
    refused(&run(&gen_args), &with_file);
    refused(&run(&["diff", "--for", "planhat", "--sync", "receive-only", "--against", root]), &with_file);
    refused(&run(&["fmt", root]), &with_file);
    assert_eq!(std::fs::read(&file).unwrap(), bytes, "nothing written");
}

#[test]
fn characters_xml_forbids_are_refused_raw_or_as_references() {
    for bad in ["\u{0}", "\u{1}", "&#1;", "&#xFFFE;", "\u{FFFF}"] {
        let text = profile(&format!("    <description>a{bad}b</description>"));
        refused_everywhere(text.as_bytes(), &[":3:", "not allowed in XML 1.0"]);
    }
}

#[test]
fn nothing_may_come_before_the_declaration() {
    for before in ["\n", "  ", "<!-- c -->\n"] {
        let text = format!("{before}{}", profile(""));
        refused_everywhere(text.as_bytes(), &["must come first"]);
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let depth = 100_000;
    let text = profile(&format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth)));
    refused_everywhere(text.as_bytes(), &[":3:", "nest more than"]);
}

#[test]
fn duplicate_entries_name_both_lines() {
    let entry = |readable: &str| {
        format!(
            "    <fieldPermissions>\n        <editable>false</editable>\n        <field>Account.Health__c</field>\n        <readable>{readable}</readable>\n    </fieldPermissions>"
        )
    };
    let text = profile(&format!("{}\n{}", entry("true"), entry("false")));
    refused_everywhere(text.as_bytes(), &[":8:", "`Account.Health__c` appears twice, at lines 3 and 8"]);
}

#[test]
fn line_numbers_of_cr_only_files_and_utf16_without_a_bom() {
    let text = profile("    <description>&nope;</description>").replace('\n', "\r");
    refused_everywhere(text.as_bytes(), &[":3:", "bad text"]);
    let utf16: Vec<u8> = profile("").encode_utf16().flat_map(u16::to_le_bytes).collect();
    refused_everywhere(&utf16, &["UTF-16"]);
}

#[test]
fn gen_enforces_the_size_cap() {
    let (dir, file) = project_with(b"");
    let handle = std::fs::OpenOptions::new().write(true).open(&file).unwrap();
    handle.set_len(sfperms::disk::MAX_FILE_BYTES + 1).unwrap();
    let root = dir.path().to_str().unwrap();
    refused(
        &run(&["gen", "--for", "planhat", "--sync", "receive-only", "--output-dir", root]),
        &[PROFILE_FILE, "bytes"],
    );
    assert_eq!(std::fs::metadata(&file).unwrap().len(), sfperms::disk::MAX_FILE_BYTES + 1);
}

fn fmt_file(dir: &Path, text: &str) -> (PathBuf, Output) {
    let file = dir.join("Cr.permissionset-meta.xml");
    std::fs::write(&file, text).unwrap();
    let output = run(&["fmt", file.to_str().unwrap()]);
    (file, output)
}

#[test]
fn carriage_returns_follow_what_a_retrieve_holds() {
    let dir = tempfile::tempdir().unwrap();
    let head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n";
    // A line break typed in Setup: LF lines, CRLF inside the value. Already canonical.
    let retrieved =
        format!("{head}    <description>first\r\nsecond</description>\n    <label>Cr</label>\n</PermissionSet>\n");
    let file = dir.path().join("Cr.permissionset-meta.xml");
    std::fs::write(&file, &retrieved).unwrap();
    ok_with_stderr(&["fmt", "--check", file.to_str().unwrap()], "1 files checked, 0 would change\n");
    // CRLF throughout (a Windows checkout): normalised to LF, values included.
    let (file, output) = fmt_file(dir.path(), &retrieved.replace("\r\n", "\n").replace('\n', "\r\n"));
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), retrieved.replace("\r\n", "\n"));
    // `&#13;` in a value and `&#10;` in an attribute survive, and a second fmt changes nothing.
    let refs = format!(
        "{head}    <description a=\"x&#10;y\">one&#13;two</description>\n    <label>Cr</label>\n</PermissionSet>\n"
    );
    let (file, output) = fmt_file(dir.path(), &refs);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), refs);
    ok_with_stderr(&["fmt", "--check", file.to_str().unwrap()], "1 files checked, 0 would change\n");
}

#[test]
fn the_overlay_keeps_comments_and_attributes_of_the_entries_it_regenerates() {
    let text = profile(
        "    <!-- the sync user needs the API -->\n    <userPermissions>\n        <enabled>false</enabled>\n        <name>ApiEnabled</name>\n    </userPermissions>",
    );
    let (dir, file) = project_with(text.as_bytes());
    let report =
        gen_writing(&["--for", "planhat", "--sync", "receive-only"], &["--output-dir", dir.path().to_str().unwrap()]);
    assert!(report.starts_with(&format!("updated: {}\n", file.display())), "{report}");
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(
        written.contains(
            "    <!-- the sync user needs the API -->\n    <userPermissions>\n        <enabled>true</enabled>\n        <name>ApiEnabled</name>"
        ),
        "{written}"
    );
}

#[test]
fn cli_values_are_checked_at_the_boundary() {
    let jetstream = ["gen", "--for", "jetstream", "--feature", "deploy"];
    for (flag, value, expected) in [
        ("--label", "", "--label: a label may not be empty"),
        ("--label", "a\u{7}b", "--label: \"a\\u{7}b\" holds the control character U+0007"),
        ("--label", &"x".repeat(81), "longer than the 80 characters"),
        ("--name", "Two\nLines", "--name:"),
    ] {
        let err = input_error(&[&jetstream[..], &[flag, value]].concat());
        assert!(err.contains(expected), "{flag} {value:?}: {err}");
    }
    let err = input_error(&["gen", "--for", "jetstream", "--feature", "data", "--object", "Account:read,,edit"]);
    assert!(err.contains("empty access word"), "{err}");
    let err = input_error(&["gen", "--for", "planhat", "--sync", "receive-only", "--as", "profile", "--name", "A\nB"]);
    assert!(err.contains("control character U+000A"), "{err}");
}

#[test]
fn a_broken_catalog_does_not_break_fmt_or_help() {
    let catalog = tempfile::tempdir().unwrap();
    std::fs::write(catalog.path().join("broken.toml"), "this is = = not toml").unwrap();
    let dir = catalog.path().to_str().unwrap();
    let canonical =
        crate::common::carestone().join("force-app/main/default/permissionsets/API_Only_User.permissionset-meta.xml");
    ok_with_stderr(
        &["--catalog", dir, "fmt", "--check", canonical.to_str().unwrap()],
        "1 files checked, 0 would change\n",
    );
    assert!(ok(&["--catalog", dir, "--help"]).contains("Usage"));
    let err = input_error(&["--catalog", dir, "list"]);
    assert!(err.contains("broken.toml"), "{err}");
}

#[cfg(unix)]
#[test]
fn catalog_files_are_read_only_as_regular_files() {
    let catalog = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("/dev/zero", catalog.path().join("endless.toml")).unwrap();
    let err = input_error(&["--catalog", catalog.path().to_str().unwrap(), "list"]);
    assert!(err.contains("endless.toml") && err.contains("a device"), "{err}");
}
