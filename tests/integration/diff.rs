//! `sfperms diff` against retrieved metadata: a permission set with a hand-added Modify All Data
//! (excess) and a removed dependency, ViewRoles (missing), in every format; a profile with changed
//! flags, excess grants and sparse rows (fragment and full scope); patches that `git apply`
//! accepts and that make the diff come out equal; zip and mdapi inputs; names absent or ambiguous;
//! a profile of a megabyte compared as a small one.

use std::path::Path;
use std::process::Output;

use crate::common::{
    argv, carestone, copy_dir, gen_writing, ok_printed, run_in, sfperms, snapshot_settings, stderr, stdout,
};
use crate::fmt::make_zip;

const JETSTREAM: [&str; 4] = ["--for", "jetstream", "--feature", "deploy"];
const PERMSET: &str = "org/force-app/main/default/permissionsets/Jetstream_User.permissionset-meta.xml";
const PLANHAT: [&str; 4] = ["--for", "planhat", "--sync", "receive-only"];
const PROFILE: &str = "org/force-app/main/default/profiles/Planhat Integration.profile-meta.xml";

fn diff_in(dir: &Path, request: &[&str], extra: &[&str]) -> Output {
    let args: Vec<&str> =
        ["diff"].iter().chain(request).chain(["--against", "org"].iter()).chain(extra).copied().collect();
    run_in(dir, &args)
}

/// A copy of the carestone project, in `org/` of a temporary folder, with what `gen request…`
/// writes into it.
fn org_generated(request: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let org = dir.path().join("org");
    copy_dir(&carestone(), &org);
    let report = gen_writing(request, &["--output-dir", org.to_str().unwrap()]);
    assert!(report.starts_with("created: "), "{report}");
    dir
}

/// The carestone project with sfperms' Jetstream permission set in it, hand-edited: ViewRoles
/// (a dependency of ViewSetup) removed and Modify All Data added.
fn org_with_edited_permission_set() -> tempfile::TempDir {
    let dir = org_generated(&JETSTREAM);
    let file = dir.path().join(PERMSET);
    let text = std::fs::read_to_string(&file).unwrap();
    let user_permission = |name: &str| {
        format!(
            "    <userPermissions>\n        <enabled>true</enabled>\n        <name>{name}</name>\n    </userPermissions>\n"
        )
    };
    assert!(text.contains(&user_permission("ViewRoles")));
    let edited = text
        .replace(&user_permission("ViewRoles"), "")
        .replace(&user_permission("ViewSetup"), &(user_permission("ModifyAllData") + &user_permission("ViewSetup")));
    std::fs::write(&file, edited).unwrap();
    dir
}

fn git(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new("git").current_dir(dir).args(args).output().expect("git is installed")
}

/// Applies `patch` to the project in `dir/org` with `git apply` (checked first).
fn git_apply(dir: &Path, patch: &str) {
    let org = dir.join("org");
    assert!(git(&org, &["init", "-q", "."]).status.success());
    let file = dir.join("fix.patch");
    std::fs::write(&file, patch).unwrap();
    let check = git(&org, &["apply", "--check", "-v", file.to_str().unwrap()]);
    assert!(
        check.status.success(),
        "git apply --check refused the patch:\n{}\n{patch}",
        String::from_utf8_lossy(&check.stderr)
    );
    let apply = git(&org, &["apply", file.to_str().unwrap()]);
    assert!(apply.status.success(), "{}", String::from_utf8_lossy(&apply.stderr));
}

/// Asserts what `diff --format FORMAT` prints for the hand-edited permission set against the
/// reviewed snapshot `diff@permission-set-FORMAT`.
fn assert_permission_set_diff(format: &str) {
    let dir = org_with_edited_permission_set();
    let output = diff_in(dir.path(), &JETSTREAM, &["--format", format]);
    assert_eq!(output.status.code(), Some(1), "{format}: {}", stderr(&output));
    let out = stdout(&output);
    assert!(out.contains("ModifyAllData") && out.contains("ViewRoles"), "{format}: {out}");
    assert!(!out.contains('\u{1b}'), "colour on a pipe");
    snapshot_settings().bind(|| insta::assert_snapshot!(format!("diff@permission-set-{format}"), out));
}

#[test]
fn a_permission_set_as_text() {
    assert_permission_set_diff("text");
}

#[test]
fn a_permission_set_as_json() {
    assert_permission_set_diff("json");
}

#[test]
fn a_permission_set_as_markdown() {
    assert_permission_set_diff("markdown");
}

#[test]
fn a_permission_set_as_a_patch() {
    assert_permission_set_diff("patch");
}

#[test]
fn a_permission_set_missing_a_dependency_and_holding_modify_all_data() {
    let dir = org_with_edited_permission_set();
    let json: serde_json::Value = serde_json::from_str(&stdout(&diff_in(dir.path(), &JETSTREAM, &["--json"]))).unwrap();
    assert_eq!(json["status"], 1);
    let json = &json["result"];
    assert_eq!(json["counts"]["missing"], 1);
    assert_eq!(json["counts"]["excess"], 1);
    let changes = json["changes"].as_array().unwrap();
    let mad = changes.iter().find(|c| c["key"] == "ModifyAllData").unwrap();
    assert_eq!(mad["status"], "excess");
    assert!(mad["fix"].as_str().unwrap().starts_with("delete it"));
    let view_roles = changes.iter().find(|c| c["key"] == "ViewRoles").unwrap();
    assert_eq!(view_roles["status"], "missing");
    assert_eq!(view_roles["reasons"][0]["kind"], "dependency");
    assert_eq!(view_roles["reasons"][0]["of"], "ViewSetup");
}

#[test]
fn the_permission_set_patch_applies_and_fixes_everything() {
    let dir = org_with_edited_permission_set();
    let patch = stdout(&diff_in(dir.path(), &JETSTREAM, &["--format", "patch"]));
    git_apply(dir.path(), &patch);
    let after = diff_in(dir.path(), &JETSTREAM, &[]);
    assert_eq!(after.status.code(), Some(0), "{}", stdout(&after));
    // The file is now exactly what gen writes.
    let (generated, _) = ok_printed(&argv("gen", &JETSTREAM, &[]));
    assert_eq!(std::fs::read_to_string(dir.path().join(PERMSET)).unwrap(), generated);
}

#[test]
fn generated_files_are_equal_in_a_project_an_mdapi_folder_and_a_zip() {
    let dir = tempfile::tempdir().unwrap();
    let org = dir.path().join("org");
    let o = org.to_str().unwrap();
    let generate = |extra: &[&str]| {
        gen_writing(&PLANHAT, extra);
    };
    generate(&["--output-dir", o, "--layout", "mdapi", "--new-profile"]);
    let output = diff_in(dir.path(), &PLANHAT, &[]);
    assert_eq!(output.status.code(), Some(0), "{}{}", stdout(&output), stderr(&output));
    assert!(stdout(&output).contains("no differences"), "{}", stdout(&output));
    let zip = dir.path().join("retrieve.zip");
    generate(&["--zip", zip.to_str().unwrap()]);
    let args: Vec<&str> =
        ["diff"].iter().chain(&PLANHAT).chain(["--against", zip.to_str().unwrap()].iter()).copied().collect();
    let output = run_in(dir.path(), &args);
    assert_eq!(output.status.code(), Some(0), "{}{}", stdout(&output), stderr(&output));
    // A retrieve zip (unpackaged/…) with Modify All Data added to the profile, compared in full.
    let profile = std::fs::read_to_string(org.join("profiles/Planhat Integration.profile")).unwrap();
    let with_mad = profile.replace(
        "    <userPermissions>",
        "    <userPermissions>\n        <enabled>true</enabled>\n        <name>ModifyAllData</name>\n    </userPermissions>\n    <userPermissions>",
    );
    let retrieve = dir.path().join("unpackaged.zip");
    make_zip(&retrieve, &[("unpackaged/profiles/Planhat Integration.profile".into(), with_mad.into_bytes())]);
    let args: Vec<&str> = ["diff"]
        .iter()
        .chain(&PLANHAT)
        .chain(["--against", retrieve.to_str().unwrap(), "--scope", "full"].iter())
        .copied()
        .collect();
    let output = run_in(dir.path(), &args);
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    assert!(out.contains("excess  ModifyAllData") && out.contains("set enabled to false"), "{out}");
}

/// A profile as a retrieve returns it for a few objects: Account with too much, Contact without
/// read, Contact.AccountId editable, Contact.Title unreadable, Contact.Phone absent, no Case or
/// Task rows at all, and grants sfperms would never write (Lead, Account.Website, ModifyAllData).
const RETRIEVED_PROFILE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Profile xmlns="http://soap.sforce.com/2006/04/metadata">
    <custom>true</custom>
    <fieldPermissions>
        <editable>false</editable>
        <field>Account.Website</field>
        <readable>true</readable>
    </fieldPermissions>
    <fieldPermissions>
        <editable>true</editable>
        <field>Contact.AccountId</field>
        <readable>true</readable>
    </fieldPermissions>
    <fieldPermissions>
        <editable>false</editable>
        <field>Contact.Email</field>
        <readable>true</readable>
    </fieldPermissions>
    <fieldPermissions>
        <editable>false</editable>
        <field>Contact.Title</field>
        <readable>false</readable>
    </fieldPermissions>
    <layoutAssignments>
        <layout>Account-Account Layout</layout>
    </layoutAssignments>
    <objectPermissions>
        <allowCreate>false</allowCreate>
        <allowDelete>true</allowDelete>
        <allowEdit>true</allowEdit>
        <allowRead>true</allowRead>
        <modifyAllRecords>false</modifyAllRecords>
        <object>Account</object>
        <viewAllFields>true</viewAllFields>
        <viewAllRecords>false</viewAllRecords>
    </objectPermissions>
    <objectPermissions>
        <allowCreate>false</allowCreate>
        <allowDelete>false</allowDelete>
        <allowEdit>false</allowEdit>
        <allowRead>false</allowRead>
        <modifyAllRecords>false</modifyAllRecords>
        <object>Contact</object>
        <viewAllRecords>false</viewAllRecords>
    </objectPermissions>
    <objectPermissions>
        <allowCreate>false</allowCreate>
        <allowDelete>false</allowDelete>
        <allowEdit>false</allowEdit>
        <allowRead>true</allowRead>
        <modifyAllRecords>false</modifyAllRecords>
        <object>Lead</object>
        <viewAllRecords>false</viewAllRecords>
    </objectPermissions>
    <objectPermissions>
        <allowCreate>false</allowCreate>
        <allowDelete>false</allowDelete>
        <allowEdit>False</allowEdit>
        <allowRead>True</allowRead>
        <modifyAllRecords>false</modifyAllRecords>
        <object>Opportunity</object>
        <viewAllRecords>false</viewAllRecords>
    </objectPermissions>
    <userLicense>Salesforce</userLicense>
    <userPermissions>
        <enabled>true</enabled>
        <name>ApiEnabled</name>
    </userPermissions>
    <userPermissions>
        <enabled>true</enabled>
        <name>ModifyAllData</name>
    </userPermissions>
</Profile>
"#;

fn org_with_retrieved_profile() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(PROFILE);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(
        dir.path().join("org/sfdx-project.json"),
        r#"{"packageDirectories": [{"path": "force-app", "default": true}]}"#,
    )
    .unwrap();
    std::fs::write(&file, RETRIEVED_PROFILE).unwrap();
    dir
}

/// Asserts what `diff ARGS` prints for the sparse retrieved profile against the reviewed snapshot
/// `diff@CASE`.
fn assert_profile_diff(case: &str, args: &[&str]) {
    let dir = org_with_retrieved_profile();
    let output = diff_in(dir.path(), &PLANHAT, args);
    assert_eq!(output.status.code(), Some(1), "{case}: {}", stderr(&output));
    snapshot_settings().bind(|| insta::assert_snapshot!(format!("diff@{case}"), stdout(&output)));
}

#[test]
fn a_sparse_profile_as_a_fragment() {
    assert_profile_diff("profile-fragment-text", &["--format", "text"]);
}

#[test]
fn a_sparse_profile_in_full() {
    assert_profile_diff("profile-full-text", &["--scope", "full"]);
}

#[test]
fn a_sparse_profile_in_full_as_markdown() {
    assert_profile_diff("profile-full-markdown", &["--scope", "full", "--format", "markdown"]);
}

#[test]
fn a_sparse_profile_in_full_as_a_patch() {
    assert_profile_diff("profile-full-patch", &["--scope", "full", "--format", "patch"]);
}

#[test]
fn a_sparse_profile_tells_missing_from_not_in_the_retrieve() {
    let dir = org_with_retrieved_profile();
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&diff_in(dir.path(), &PLANHAT, &["--scope", "full", "--json"]))).unwrap();
    let status = |group: &str, key: &str| {
        json["result"]["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["group"] == group && c["key"] == key)
            .map(|c| c["status"].as_str().unwrap().to_string())
    };
    // Sparse: no Case rows and no Task rows at all → unknown, not missing.
    assert_eq!(status("objectPermissions", "Case").as_deref(), Some("not-in-retrieve"));
    assert_eq!(status("fieldPermissions", "Task.Description").as_deref(), Some("not-in-retrieve"));
    // Contact has rows, so an absent Contact field is missing.
    assert_eq!(status("fieldPermissions", "Contact.Phone").as_deref(), Some("missing"));
    assert_eq!(status("objectPermissions", "Contact").as_deref(), Some("changed"));
    assert_eq!(status("objectPermissions", "Account").as_deref(), Some("changed"));
    assert_eq!(status("userPermissions", "ModifyAllData").as_deref(), Some("excess"));
    assert_eq!(status("objectPermissions", "Lead").as_deref(), Some("excess"));
    // `True`/`False` mean true/false.
    assert_eq!(status("objectPermissions", "Opportunity"), None);
    // Not grants: the layout, the licence.
    assert_eq!(status("layoutAssignments", "Account-Account Layout"), None);
    assert_eq!(status("userLicense", ""), None);
}

/// A retrieved profile of a megabyte and more (read in stretches, its report written in chunks)
/// gives the changes of the small one plus one excess entry for each class added, in order.
#[test]
fn a_large_profile_is_compared_as_a_small_one() {
    let small = org_with_retrieved_profile();
    let large = org_with_retrieved_profile();
    let classes: String = (0..12_000)
        .map(|n| format!("    <classAccesses>\n        <apexClass>Class{n:05}</apexClass>\n        <enabled>true</enabled>\n    </classAccesses>\n"))
        .collect();
    let text = RETRIEVED_PROFILE.replacen("    <custom>", &format!("{classes}    <custom>"), 1);
    assert!(text.len() > 1_000_000, "{} bytes", text.len());
    std::fs::write(large.path().join(PROFILE), &text).unwrap();
    let changes = |dir: &Path| -> Vec<serde_json::Value> {
        let output = diff_in(dir, &PLANHAT, &["--scope", "full", "--json"]);
        let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
        json["result"]["changes"].as_array().unwrap().clone()
    };
    let (small_changes, large_changes) = (changes(small.path()), changes(large.path()));
    let (classes, rest): (Vec<_>, Vec<_>) = large_changes.into_iter().partition(|c| c["group"] == "classAccesses");
    assert_eq!(rest, small_changes);
    let keys: Vec<String> = classes.iter().map(|c| c["key"].as_str().unwrap().to_string()).collect();
    assert_eq!(keys, (0..12_000).map(|n| format!("Class{n:05}")).collect::<Vec<_>>());
    assert!(classes.iter().all(|c| c["status"] == "excess"));
    // The text report: the small one's, with the classes' group before the rest, and 12,000 more
    // excess entries counted.
    let report = |dir: &Path| stdout(&diff_in(dir, &PLANHAT, &["--scope", "full"]));
    let (small_report, large_report) = (report(small.path()), report(large.path()));
    let fix = "set enabled to false (a profile deploy overlays: deleting the entry revokes nothing)";
    let listed: String =
        (0..12_000).map(|n| format!("  excess              Class{n:05}\n                      fix: {fix}\n")).collect();
    let headline = |report: &str| report.trim_end().rsplit('\n').next().unwrap().to_string();
    // "… · N excess (entries granting more than least privilege) · …"
    let excess = |report: &str| {
        let line = headline(report);
        line.split(" excess").next().unwrap().rsplit(' ').next().unwrap().parse::<usize>().unwrap()
    };
    assert_eq!(excess(&large_report), excess(&small_report) + 12_000);
    let expected = small_report
        .replacen("\n\nfieldPermissions\n", &format!("\n\nclassAccesses\n{listed}\nfieldPermissions\n"), 1)
        .replace(&headline(&small_report), &headline(&large_report));
    assert!(large_report == expected, "the large profile's report is not the small one's with the classes");
}

#[test]
fn the_profile_patch_turns_excess_off_instead_of_deleting_it() {
    let dir = org_with_retrieved_profile();
    let patch = stdout(&diff_in(dir.path(), &PLANHAT, &["--scope", "full", "--format", "patch"]));
    git_apply(dir.path(), &patch);
    let fixed = std::fs::read_to_string(dir.path().join(PROFILE)).unwrap();
    assert!(fixed.contains("<enabled>false</enabled>\n        <name>ModifyAllData</name>"), "{fixed}");
    assert!(fixed.contains("<viewAllFields>false</viewAllFields>"), "{fixed}");
    assert!(fixed.contains("<layout>Account-Account Layout</layout>"), "the patch keeps what it does not fix");
    for scope in ["fragment", "full"] {
        let after = diff_in(dir.path(), &PLANHAT, &["--scope", scope]);
        assert_eq!(after.status.code(), Some(0), "{scope}: {}", stdout(&after));
    }
    assert_eq!(run_in(dir.path(), &["fmt", "--check", "org"]).status.code(), Some(0));
}

#[test]
fn an_absent_or_ambiguous_name_lists_the_candidates() {
    let dir = org_with_retrieved_profile();
    let output = diff_in(dir.path(), &PLANHAT, &["--name", "Planhat Integratoin"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("no profile named `Planhat Integratoin`"), "{err}");
    assert!(err.contains("did you mean `Planhat Integration`"), "{err}");
    let output = diff_in(dir.path(), &JETSTREAM, &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("it holds no permission-set files"), "{}", stderr(&output));
    // The same profile in source and mdapi form.
    std::fs::write(
        dir.path().join("org/force-app/main/default/profiles/Planhat Integration.profile"),
        RETRIEVED_PROFILE,
    )
    .unwrap();
    let output = diff_in(dir.path(), &PLANHAT, &[]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("`Planhat Integration` is ambiguous, 2 files"), "{err}");
    assert!(
        err.contains("Planhat Integration.profile-meta.xml") && err.contains("Planhat Integration.profile,"),
        "{err}"
    );
}

#[test]
fn a_malformed_retrieved_file_is_exit_2_with_its_path_and_line() {
    let dir = org_with_retrieved_profile();
    std::fs::write(dir.path().join(PROFILE), RETRIEVED_PROFILE.replace("</custom>", "</custm>")).unwrap();
    let output = diff_in(dir.path(), &PLANHAT, &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains(&format!("{PROFILE}:3: malformed XML")), "{}", stderr(&output));
    assert!(stdout(&output).is_empty());
}

#[test]
fn gen_check_says_what_would_change_entry_by_entry() {
    let dir = org_with_edited_permission_set();
    let args: Vec<&str> =
        ["gen"].iter().chain(&JETSTREAM).chain(["--output-dir", "org", "--check"].iter()).copied().collect();
    let output = run_in(dir.path(), &args);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        format!(
            "would change: {PERMSET}\n  1 added, 1 removed, 0 changed: - userPermissions ModifyAllData; + userPermissions ViewRoles\n"
        )
    );
    // Only formatting: the same entries in another order.
    let generate: Vec<&str> = ["gen"].iter().chain(&JETSTREAM).chain(["--output-dir", "org"].iter()).copied().collect();
    assert_eq!(run_in(dir.path(), &generate).status.code(), Some(0));
    let file = dir.path().join(PERMSET);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace('\n', "\r\n")).unwrap();
    let output = run_in(dir.path(), &args);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("same entries; only formatting or order changes"), "{}", stdout(&output));
}

#[test]
fn colour_follows_the_color_flag() {
    let dir = org_with_edited_permission_set();
    // The tests set NO_COLOR and run on a pipe: no colour, unless asked for.
    assert!(!stdout(&diff_in(dir.path(), &JETSTREAM, &[])).contains('\u{1b}'));
    assert!(!stdout(&diff_in(dir.path(), &JETSTREAM, &["--color", "auto"])).contains('\u{1b}'));
    let coloured = stdout(&diff_in(dir.path(), &JETSTREAM, &["--color", "always"]));
    assert!(coloured.contains("\u{1b}[31mmissing"), "{coloured}");
    let output = sfperms()
        .current_dir(dir.path())
        .env_remove("NO_COLOR")
        .args(["diff", "--for", "jetstream", "--feature", "deploy", "--against", "org", "--color", "never"])
        .output()
        .unwrap();
    assert!(!stdout(&output).contains('\u{1b}'));
}

/// The case that asked for counting by effect: a profile whose rows exist but grant no Read
/// (as a retrieved "Minimum Access - API Only Integrations" profile does) lacks access on every
/// one of them; the headline says so instead of "0 missing · N changed".
#[test]
fn rows_without_read_count_as_missing_access() {
    let dir = org_generated(&[&PLANHAT[..], &["--new-profile"]].concat());
    let file = dir.path().join(PROFILE);
    let text = std::fs::read_to_string(&file).unwrap();
    let rows = text.matches("<allowRead>true</allowRead>").count() + text.matches("<readable>true</readable>").count();
    assert!(rows >= 10, "{rows}");
    let no_read = text
        .replace("<allowRead>true</allowRead>", "<allowRead>false</allowRead>")
        .replace("<readable>true</readable>", "<readable>false</readable>");
    std::fs::write(&file, no_read).unwrap();
    let output = diff_in(dir.path(), &PLANHAT, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).ends_with(&format!(
            "\n{rows} missing (entries lacking access the integration needs) · 0 excess (entries granting more than least privilege) · 0 other changes · 0 not in the retrieve\n"
        )),
        "{}",
        stdout(&output)
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&diff_in(dir.path(), &PLANHAT, &["--json"]))).unwrap();
    assert_eq!(json["result"]["counts"]["missing"], rows);
    let markdown = stdout(&diff_in(dir.path(), &PLANHAT, &["--format", "markdown"]));
    assert!(markdown.contains(&format!("**{rows} missing** (entries lacking access")), "{markdown}");
}
