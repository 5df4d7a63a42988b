//! Permission sets the sf CLI stores decomposed, on projects Salesforce's own library wrote
//! (`tests/fixtures/decomposed/{beta,beta2}`, made by `scripts/sdr-fixtures`): diff and gen --check
//! see the set's own file plus its child files, gen writes the layout back (files added, updated,
//! removed; a new set written decomposed; refusals touch nothing), patches apply, fmt checks every
//! child file. `scripts/sdr-check` repeats the round trips with the library itself.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sfperms::metadata::decomposed::Decomposition;
use sfperms::project::set_folder;

use crate::common::{
    CONNECTED_APP_WARNING, JETSTREAM_DEPLOY_WARNINGS, argv, assert_all_schema_valid, fixture_copy, fixtures,
    input_error, ok_with_stderr, run, stderr, stdout,
};

/// The set in the fixtures: `sfperms gen` with these flags wrote it before the library decomposed it.
pub(crate) const JETSTREAM: [&str; 10] = [
    "--for",
    "jetstream",
    "--feature",
    "deploy",
    "--feature",
    "data",
    "--object",
    "Account:read,edit",
    "--field",
    "Account.Rating:edit",
];

/// A second set, Jetstream's deploy feature alone, that the fixtures do not hold.
pub(crate) const JETSTREAM_DEPLOY_SET: [&str; 6] =
    ["--for", "jetstream", "--feature", "deploy", "--name", "Jetstream_Deploy"];

const LAYOUTS: [(&str, Decomposition); 2] = [("beta", Decomposition::Beta), ("beta2", Decomposition::Beta2)];

fn project(layout: &str) -> (tempfile::TempDir, PathBuf) {
    fixture_copy(&format!("decomposed/{layout}"))
}

fn sets(root: &Path) -> PathBuf {
    root.join("force-app/main/default/permissionsets")
}

/// Runs `sfperms command` with the fixtures' flags, then `extra` and `tail`.
fn jetstream(command: &str, extra: &[&str], tail: &[&str]) -> std::process::Output {
    run(&argv(command, &[&JETSTREAM[..], extra].concat(), tail))
}

/// What `gen` prints for the fixtures' flags plus `extra`.
fn generated(extra: &[&str]) -> String {
    ok_with_stderr(&argv("gen", &[&JETSTREAM[..], extra].concat(), &[]), JETSTREAM_DEPLOY_WARNINGS)
}

/// What `gen args…` prints.
fn plain(args: &[&str]) -> String {
    let deploys = args.windows(2).any(|w| w == ["--feature", "deploy"]);
    ok_with_stderr(&argv("gen", args, &[]), if deploys { JETSTREAM_DEPLOY_WARNINGS } else { CONNECTED_APP_WARNING })
}

/// Every file under `dir`, relative, with its text.
fn files(dir: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            (relative, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

/// The set as the CLI recomposes it, rendered canonically.
fn recomposed(root: &Path, name: &str, layout: Decomposition) -> String {
    let stub = sets(root).join(name).join(format!("{name}.permissionset-meta.xml"));
    let folder = set_folder::locate(&stub, name, Some(layout)).unwrap().expect("a decomposed set");
    assert_eq!(folder.layout, layout);
    let read = set_folder::read_all(&folder).unwrap();
    let set = set_folder::recompose(&folder, &read).unwrap();
    assert!(set.notes.is_empty(), "{:?}", set.notes);
    sfperms::emit::render_fast(&set.document)
}

/// Grants ModifyAllData in a child file of `Jetstream_User` as the layout stores it, in place of
/// the user permission `replacing` (else beside the others).
fn grant_modify_all_data(root: &Path, layout: &str, replacing: Option<&str>) {
    let set = sets(root).join("Jetstream_User");
    if layout == "beta" {
        let from = set.join(format!("userPermissions/{}.userPermission-meta.xml", replacing.unwrap_or("ApiEnabled")));
        let text = std::fs::read_to_string(&from).unwrap();
        if replacing.is_some() {
            std::fs::remove_file(&from).unwrap();
        }
        let to = set.join("userPermissions/ModifyAllData.userPermission-meta.xml");
        std::fs::write(to, text.replace(replacing.unwrap_or("ApiEnabled"), "ModifyAllData")).unwrap();
        return;
    }
    let path = set.join("Jetstream_User.userPermission-meta.xml");
    let text = std::fs::read_to_string(&path).unwrap();
    let changed = match replacing {
        Some(name) => text.replace(name, "ModifyAllData"),
        None => text.replace(
            "</PermissionSet>\n",
            "    <userPermissions>\n        <enabled>true</enabled>\n        <name>ModifyAllData</name>\n    </userPermissions>\n</PermissionSet>\n",
        ),
    };
    std::fs::write(&path, changed).unwrap();
}

#[test]
fn the_library_s_projects_hold_the_plan() {
    for (layout, _) in LAYOUTS {
        let (_dir, root) = project(layout);
        let against = root.to_str().unwrap();
        let diff = jetstream("diff", &[], &["--against", against]);
        assert_eq!(diff.status.code(), Some(0), "{layout}: {}", stdout(&diff));
        assert!(stdout(&diff).contains("no differences"), "{layout}");
        let check = jetstream("gen", &[], &["--output-dir", against, "--check"]);
        assert_eq!(check.status.code(), Some(0), "{layout}: {}", stdout(&check));
    }
}

#[test]
fn the_recomposed_set_is_what_gen_writes_and_schema_valid() {
    let generated = generated(&[]);
    let mut sets = Vec::new();
    for (layout, decomposition) in LAYOUTS {
        let (_dir, root) = project(layout);
        let set = recomposed(&root, "Jetstream_User", decomposition);
        assert_eq!(set, generated, "{layout}");
        sets.push((layout.to_string(), set));
    }
    assert_all_schema_valid(&sets);
}

#[test]
fn a_grant_in_a_child_file_is_found() {
    for (layout, _) in LAYOUTS {
        let (_dir, root) = project(layout);
        grant_modify_all_data(&root, layout, None);
        let against = root.to_str().unwrap();
        let diff = jetstream("diff", &[], &["--against", against]);
        assert_eq!(diff.status.code(), Some(1), "{layout}");
        let out = stdout(&diff);
        assert!(out.contains("excess  ModifyAllData"), "{layout}: {out}");
        assert!(out.contains("0 missing (entries lacking access the integration needs) · 1 excess"), "{layout}: {out}");
        let check = jetstream("gen", &[], &["--output-dir", against, "--check"]);
        assert_eq!(check.status.code(), Some(1), "{layout}");
    }
}

#[test]
fn gen_writes_the_layout_back_and_the_set_recomposes_once() {
    for (layout, decomposition) in LAYOUTS {
        let (_dir, root) = project(layout);
        let before = files(&root);
        let against = root.to_str().unwrap();
        let written = jetstream("gen", &["--feature", "hard-delete"], &["--output-dir", against]);
        assert_eq!(written.status.code(), Some(0), "{layout}: {}", stderr(&written));
        let after = files(&root);
        // Only the Jetstream set's folder changed; no single-file set appeared.
        let changed: Vec<&String> =
            after.keys().chain(before.keys()).filter(|k| before.get(*k) != after.get(*k)).collect();
        assert!(!changed.is_empty());
        for path in &changed {
            assert!(path.starts_with("force-app/main/default/permissionsets/Jetstream_User/"), "{layout}: {path}");
        }
        assert!(!sets(&root).join("Jetstream_User.permissionset-meta.xml").exists());
        let expected = generated(&["--feature", "hard-delete"]);
        let set = recomposed(&root, "Jetstream_User", decomposition);
        assert_eq!(set, expected, "{layout}");
        assert_eq!(set.matches("<name>BulkApiHardDelete</name>").count(), 1, "{layout}");
        let check = jetstream("gen", &["--feature", "hard-delete"], &["--output-dir", against, "--check"]);
        assert_eq!(check.status.code(), Some(0), "{layout}: {}", stdout(&check));
        let fmt = run(&["fmt", "--check", against]);
        assert_eq!(fmt.status.code(), Some(0), "{layout}: {}", stdout(&fmt));
    }
}

#[test]
fn gen_names_each_file_it_adds_updates_and_removes() {
    let (_dir, root) = project("beta");
    let against = root.to_str().unwrap();
    // Without `data`: the object and field files go, the set's own file changes (description).
    let check = run(&["gen", "--for", "jetstream", "--feature", "deploy", "--output-dir", against, "--check"]);
    assert_eq!(check.status.code(), Some(1));
    let prefix = format!("{}/", sets(&root).join("Jetstream_User").display());
    let out = stdout(&check).replace(&prefix, "");
    assert_eq!(
        out,
        "would change: Jetstream_User.permissionset-meta.xml\n  0 added, 0 removed, 1 changed: ~ description ()\nwould be removed: fieldPermissions/Account.Rating.fieldPermission-meta.xml\nwould be removed: objectPermissions/Account.objectPermission-meta.xml\n"
    );
    let written = run(&["gen", "--for", "jetstream", "--feature", "deploy", "--output-dir", against]);
    assert!(written.status.success());
    let set = sets(&root).join("Jetstream_User");
    assert!(!set.join("fieldPermissions").exists(), "an emptied child-type folder is removed");
    assert!(!set.join("objectPermissions").exists());
    assert_eq!(
        recomposed(&root, "Jetstream_User", Decomposition::Beta),
        plain(&["--for", "jetstream", "--feature", "deploy"])
    );
}

#[test]
fn a_new_set_in_a_decomposed_project_is_written_decomposed() {
    for (layout, decomposition) in LAYOUTS {
        let (_dir, root) = project(layout);
        let against = root.to_str().unwrap();
        assert!(run(&argv("gen", &JETSTREAM_DEPLOY_SET, &["--output-dir", against])).status.success());
        assert!(!sets(&root).join("Jetstream_Deploy.permissionset-meta.xml").exists());
        let expected = plain(&JETSTREAM_DEPLOY_SET);
        assert_eq!(recomposed(&root, "Jetstream_Deploy", decomposition), expected, "{layout}");
        let user_permissions = match layout {
            "beta" => "userPermissions/ModifyMetadata.userPermission-meta.xml",
            _ => "Jetstream_Deploy.userPermission-meta.xml",
        };
        assert!(sets(&root).join("Jetstream_Deploy").join(user_permissions).is_file(), "{layout}");
    }
}

#[test]
fn a_single_file_set_in_a_decomposed_project_becomes_its_folder() {
    let (_dir, root) = project("beta2");
    let single = sets(&root).join("Jetstream_Deploy.permissionset-meta.xml");
    std::fs::write(&single, plain(&["--for", "jetstream", "--name", "Jetstream_Deploy"])).unwrap();
    let against = root.to_str().unwrap();
    let check = run(&argv("gen", &JETSTREAM_DEPLOY_SET, &["--output-dir", against, "--check"]));
    assert!(stdout(&check).contains("would be removed: "), "{}", stdout(&check));
    assert!(run(&argv("gen", &JETSTREAM_DEPLOY_SET, &["--output-dir", against])).status.success());
    assert!(!single.exists());
    let expected = plain(&JETSTREAM_DEPLOY_SET);
    assert_eq!(recomposed(&root, "Jetstream_Deploy", Decomposition::Beta2), expected);
}

#[test]
fn a_layout_that_cannot_be_read_faithfully_is_refused_and_nothing_is_touched() {
    // A Beta2 child file in a Beta project: the folder's files and sfdx-project.json disagree.
    let (_dir, root) = project("beta");
    let set = sets(&root).join("Jetstream_User");
    std::fs::write(
        set.join("Jetstream_User.classAccess-meta.xml"),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PermissionSet>\n    <classAccesses>\n        <apexClass>A</apexClass>\n        <enabled>true</enabled>\n    </classAccesses>\n</PermissionSet>\n",
    )
    .unwrap();
    let before = files(&root);
    let against = root.to_str().unwrap();
    let err = input_error(&argv(
        "gen",
        &[&JETSTREAM[..], &["--feature", "hard-delete"]].concat(),
        &["--output-dir", against],
    ));
    assert!(err.contains("holds both decomposePermissionSetBeta and decomposePermissionSetBeta2 files"), "{err}");
    assert_eq!(files(&root), before, "nothing written");
}

#[test]
fn a_stray_file_in_a_set_folder_is_refused() {
    let (_dir, root) = project("beta2");
    std::fs::write(sets(&root).join("Jetstream_User/notes.txt"), "mine").unwrap();
    let before = files(&root);
    let against = root.to_str().unwrap();
    let err = input_error(&["gen", "--for", "jetstream", "--feature", "deploy", "--output-dir", against]);
    assert!(err.contains("notes.txt: not a file of a decomposed permission set"), "{err}");
    assert_eq!(files(&root), before);
    let err = input_error(&["diff", "--for", "jetstream", "--feature", "deploy", "--against", against]);
    assert!(err.contains("notes.txt"), "{err}");
}

#[test]
fn patches_fix_the_right_files() {
    for (layout, decomposition) in LAYOUTS {
        let (_dir, root) = project(layout);
        grant_modify_all_data(&root, layout, Some("ViewRoles"));
        let against = root.to_str().unwrap();
        let patch = stdout(&jetstream("diff", &[], &["--against", against, "--format", "patch"]));
        let touched: Vec<&str> = patch.lines().filter(|l| l.starts_with("diff --git")).collect();
        match layout {
            "beta" => assert_eq!(
                touched,
                [
                    "diff --git a/force-app/main/default/permissionsets/Jetstream_User/userPermissions/ModifyAllData.userPermission-meta.xml b/force-app/main/default/permissionsets/Jetstream_User/userPermissions/ModifyAllData.userPermission-meta.xml",
                    "diff --git a/force-app/main/default/permissionsets/Jetstream_User/userPermissions/ViewRoles.userPermission-meta.xml b/force-app/main/default/permissionsets/Jetstream_User/userPermissions/ViewRoles.userPermission-meta.xml",
                ]
            ),
            _ => assert_eq!(
                touched,
                [
                    "diff --git a/force-app/main/default/permissionsets/Jetstream_User/Jetstream_User.userPermission-meta.xml b/force-app/main/default/permissionsets/Jetstream_User/Jetstream_User.userPermission-meta.xml"
                ]
            ),
        }
        let git =
            |args: &[&str]| std::process::Command::new("git").current_dir(&root).args(args).output().expect("git runs");
        assert!(git(&["init", "-q", "."]).status.success());
        std::fs::write(root.join("fix.patch"), &patch).unwrap();
        let applied = git(&["apply", "fix.patch"]);
        assert!(applied.status.success(), "{layout}: {}", String::from_utf8_lossy(&applied.stderr));
        std::fs::remove_file(root.join("fix.patch")).unwrap();
        assert_eq!(recomposed(&root, "Jetstream_User", decomposition), generated(&[]), "{layout}");
    }
}

#[test]
fn fmt_checks_every_child_file_in_the_form_the_cli_writes() {
    for (layout, _) in LAYOUTS {
        let dir = fixtures().join("decomposed").join(layout);
        let count = files(&dir.join("force-app")).len();
        let out = run(&["fmt", "--check", dir.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{layout}: {}", stdout(&out));
        assert_eq!(stderr(&out), format!("{count} files checked, 0 would change\n"), "{layout}");
    }
    // A Beta2 child file given the namespace, a Beta child file out of order: fmt restores both.
    for (layout, file, from, to) in [
        (
            "beta2",
            "Jetstream_User/Jetstream_User.userPermission-meta.xml",
            "<PermissionSet>",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">",
        ),
        (
            "beta",
            "Jetstream_User/userPermissions/ViewRoles.userPermission-meta.xml",
            "    <enabled>true</enabled>\n    <name>ViewRoles</name>\n",
            "    <name>ViewRoles</name>\n    <enabled>true</enabled>\n",
        ),
    ] {
        let (_dir, root) = project(layout);
        let path = sets(&root).join(file);
        let original = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, original.replace(from, to)).unwrap();
        let against = root.to_str().unwrap();
        let check = run(&["fmt", "--check", against]);
        assert_eq!(check.status.code(), Some(1));
        assert_eq!(stdout(&check), format!("would change: {}\n", path.display()), "{layout}");
        assert!(run(&["fmt", against]).status.success());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), original, "{layout}");
    }
}

#[test]
fn audit_sees_a_grant_in_a_child_file() {
    for (layout, _) in LAYOUTS {
        let (_dir, root) = project(layout);
        grant_modify_all_data(&root, layout, None);
        let output = run(&["audit", root.to_str().unwrap(), "--json"]);
        assert_ne!(output.status.code(), Some(2), "{layout}: {}", stderr(&output));
        let doc: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
        let files = doc["result"]["files"].as_array().unwrap();
        let set = files.iter().find(|f| f["name"] == "Jetstream_User").expect("the set is audited");
        let grants: Vec<&str> = set["grants"].as_array().unwrap().iter().filter_map(|g| g["name"].as_str()).collect();
        assert!(grants.contains(&"ModifyAllData"), "{layout}: {grants:?}");
        // One entry per set: the child files are not audited on their own.
        assert_eq!(files.iter().filter(|f| f["name"] == "Jetstream_User").count(), 1, "{layout}");
    }
}
