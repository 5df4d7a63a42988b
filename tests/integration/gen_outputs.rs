//! `gen` writing files: source layout (plain folder and SFDX project, with an existing profile
//! overlaid in place), mdapi with package.xml, the deterministic zip, and `--check`.

use std::io::Read as _;

use crate::common::{assert_file_schema_valid, carestone_copy, gen_writing, ok, ok_printed, run, stdout};

const DEPLOY: [&str; 4] = ["--for", "jetstream", "--feature", "deploy"];

#[test]
fn source_layout_in_a_plain_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let report = gen_writing(&DEPLOY, &["--output-dir", d]);
    let file = dir.path().join("permissionsets/Jetstream_User.permissionset-meta.xml");
    assert_eq!(report, format!("created: {}\n", file.display()));
    let written = std::fs::read_to_string(&file).unwrap();
    assert_eq!(written, ok_printed(&["gen", "--for", "jetstream", "--feature", "deploy"]).0);
    assert_file_schema_valid(&file, "written permission set");
    // Nothing else: no temporary files left behind.
    assert_eq!(
        walkdir::WalkDir::new(dir.path()).into_iter().filter(|e| e.as_ref().unwrap().file_type().is_file()).count(),
        1
    );
}

#[test]
fn check_reports_drift_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let args = ["gen", "--for", "jetstream", "--feature", "deploy", "--output-dir", d, "--check"];
    let output = run(&args);
    assert_eq!(output.status.code(), Some(1), "a missing file is drift");
    assert!(stdout(&output).contains("would be created"));
    assert!(!dir.path().join("permissionsets").exists(), "--check wrote something");
    let report = gen_writing(&DEPLOY, &["--output-dir", d]);
    assert_eq!(report, format!("created: {d}/permissionsets/Jetstream_User.permissionset-meta.xml\n"));
    assert_eq!(run(&args).status.code(), Some(0), "in sync after writing");
    let other = ["gen", "--for", "jetstream", "--feature", "anonymous-apex", "--output-dir", d, "--check"];
    let output = run(&other);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("would change"));
}

#[test]
fn sfdx_project_profile_is_updated_in_place_keeping_other_entries() {
    let dir = carestone_copy();
    let profile = dir.path().join("force-app/main/default/profiles/API Nutzer.profile-meta.xml");
    let before = std::fs::read_to_string(&profile).unwrap();
    let d = dir.path().to_str().unwrap();
    let report =
        gen_writing(&["--for", "planhat", "--sync", "receive-only", "--name", "API Nutzer"], &["--output-dir", d]);
    assert!(report.starts_with(&format!("updated: {}\n  ", profile.display())), "{report}");
    let after = std::fs::read_to_string(&profile).unwrap();
    assert_ne!(before, after);
    // Entries sfperms does not generate are still there, and the result is canonical and valid.
    let before_doc = sfperms::metadata::read::parse(&before).unwrap();
    let after_doc = sfperms::metadata::read::parse(&after).unwrap();
    assert!(after_doc.children.len() >= before_doc.children.len());
    assert_eq!(sfperms::emit::render(&after_doc), after);
    assert!(after.contains("<name>ApiEnabled</name>"));
    assert_file_schema_valid(&profile, "overlaid profile");
    // And running it again changes nothing.
    let check = run(&[
        "gen",
        "--for",
        "planhat",
        "--sync",
        "receive-only",
        "--name",
        "API Nutzer",
        "--output-dir",
        d,
        "--check",
    ]);
    assert_eq!(check.status.code(), Some(0));
}

#[test]
fn sfdx_project_new_file_goes_to_the_default_package_directory() {
    let dir = carestone_copy();
    let d = dir.path().to_str().unwrap();
    let report = gen_writing(&DEPLOY, &["--output-dir", d]);
    let file = dir.path().join("force-app/main/default/permissionsets/Jetstream_User.permissionset-meta.xml");
    assert_eq!(report, format!("created: {}\n", file.display()));
    assert!(file.is_file());
}

#[test]
fn mdapi_layout_writes_package_xml_with_the_project_api_version() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let report = gen_writing(
        &["--for", "planhat", "--sync", "two-way"],
        &["--new-profile", "--output-dir", d, "--layout", "mdapi", "--api-version", "64.0"],
    );
    assert_eq!(report, format!("created: {d}/package.xml\ncreated: {d}/profiles/Planhat Integration.profile\n"));
    let package = std::fs::read_to_string(dir.path().join("package.xml")).unwrap();
    assert!(package.contains("<members>Planhat Integration</members>"), "{package}");
    assert!(package.contains("<name>Profile</name>"));
    assert!(package.contains("<version>64.0</version>"));
    assert_file_schema_valid(&dir.path().join("package.xml"), "package.xml");
    assert_file_schema_valid(&dir.path().join("profiles/Planhat Integration.profile"), "mdapi profile");
}

#[test]
fn zip_is_deterministic_and_deployable_in_shape() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.zip");
    let b = dir.path().join("b.zip");
    for zip in [&a, &b] {
        let report = gen_writing(&["--for", "jetstream", "--feature", "all"], &["--zip", zip.to_str().unwrap()]);
        assert_eq!(report, format!("created: {}\n", zip.display()));
    }
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap(), "zips differ between runs");
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&a).unwrap()).unwrap();
    let names: Vec<String> = archive.file_names().map(str::to_string).collect();
    assert_eq!(names, ["package.xml", "permissionsets/Jetstream_User.permissionset"]);
    let mut xml = String::new();
    archive.by_name("permissionsets/Jetstream_User.permissionset").unwrap().read_to_string(&mut xml).unwrap();
    assert_eq!(xml, ok_printed(&["gen", "--for", "jetstream", "--feature", "all"]).0);
    let check = run(&["gen", "--for", "jetstream", "--feature", "all", "--zip", a.to_str().unwrap(), "--check"]);
    assert_eq!(check.status.code(), Some(0));
}

#[test]
fn json_output_carries_the_plan() {
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["gen", "--for", "jetstream", "--feature", "deploy", "--json"])).unwrap();
    assert_eq!(json["status"], 0);
    let json = &json["result"];
    assert_eq!(json["kind"], "permission-set");
    let grants = json["plan"]["grants"].as_array().unwrap();
    assert!(grants.iter().any(|g| g["name"] == "ModifyMetadata"));
    assert!(!grants.iter().any(|g| g["name"] == "ModifyAllData"));
}
