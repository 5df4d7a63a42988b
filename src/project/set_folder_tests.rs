//! Rules of a decomposed permission set on disk, stated one per test: when a set's own file makes
//! it a folder (named after the set, with child files or the project's preset), which files the
//! folder lists, that the layout its files show must be the one `sfdx-project.json` asks for, and
//! what reading a component whole gives for a decomposed set and for a set kept in one file. Files
//! are made in temporary folders with `source::rules`' helpers.

use super::*;
use crate::project::source::rules::{put, set, xml};

const STUB: &str = "permissionsets/X/X.permissionset-meta.xml";

/// A Beta2 child file: one per child type, a `<PermissionSet>` root without a namespace.
fn beta2_part(permission: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PermissionSet>\n    <userPermissions>\n        <enabled>true</enabled>\n        <name>{permission}</name>\n    </userPermissions>\n</PermissionSet>\n"
    )
}

/// A Beta child file: one per entry, in a folder per child type, the child type as root.
fn beta_part(permission: &str) -> String {
    xml("UserPermission", &format!("    <enabled>true</enabled>\n    <name>{permission}</name>\n"))
}

/// Set X in the Beta layout under `root`: its own file and two `userPermissions` files, written
/// out of name order.
fn beta_set(root: &Path) {
    put(root, STUB, &set("X"));
    put(root, "permissionsets/X/userPermissions/ViewSetup.userPermission-meta.xml", &beta_part("ViewSetup"));
    put(root, "permissionsets/X/userPermissions/ApiEnabled.userPermission-meta.xml", &beta_part("ApiEnabled"));
}

/// An SFDX project at `root` whose `sfdx-project.json` names `presets`.
fn sfdx_project(root: &Path, presets: &str) {
    put(
        root,
        "sfdx-project.json",
        &format!(
            r#"{{"packageDirectories": [{{"path": "force-app", "default": true}}], "sourceBehaviorOptions": [{presets}]}}"#
        ),
    );
}

/// The `userPermissions` names of a document, in order.
fn user_permissions(document: &Document) -> Vec<&str> {
    document.children.iter().filter(|n| n.name() == "userPermissions").filter_map(|n| n.child_text("name")).collect()
}

/// The text of a document's `<label>`.
fn label(document: &Document) -> Option<&str> {
    document.children.iter().find(|n| n.name() == "label").and_then(|n| n.text())
}

/// The entry of `source` at `relative`.
fn entry<'s>(source: &'s Source, relative: &str) -> &'s Entry {
    source.entries.iter().find(|e| e.relative == relative).unwrap_or_else(|| panic!("no {relative} in {source:?}"))
}

/// A set whose file is not in a folder named after it is kept in one file, whatever the preset.
#[test]
fn a_set_outside_a_folder_of_its_name_is_kept_in_one_file() {
    let dir = tempfile::tempdir().unwrap();
    put(dir.path(), "permissionsets/X.permissionset-meta.xml", &set("X"));
    put(dir.path(), "permissionsets/Y/Y.permissionset-meta.xml", &set("Y"));
    put(dir.path(), "permissionsets/Y/Y.userPermission-meta.xml", &beta2_part("ApiEnabled"));
    let stub = dir.path().join("permissionsets/X.permissionset-meta.xml");
    assert!(locate(&stub, "X", Some(Decomposition::Beta2)).unwrap().is_none());
    let misplaced = dir.path().join("permissionsets/Y/Y.permissionset-meta.xml");
    assert!(locate(&misplaced, "X", None).unwrap().is_none(), "a folder named for another set");
}

/// The folder is named with the set's encoded file name (`%2F` for `/`, as the CLI writes it).
#[test]
fn the_folder_is_named_with_the_sets_encoded_name() {
    let dir = tempfile::tempdir().unwrap();
    put(dir.path(), "permissionsets/A%2FB/A%2FB.permissionset-meta.xml", &set("A/B"));
    let stub = dir.path().join("permissionsets/A%2FB/A%2FB.permissionset-meta.xml");
    let folder = locate(&stub, "A/B", Some(Decomposition::Beta2)).unwrap().unwrap();
    assert_eq!(
        (folder.name.as_str(), folder.files.as_slice()),
        ("A/B", ["A%2FB.permissionset-meta.xml".to_string()].as_slice())
    );
}

/// A folder holding only the set's own file is decomposed only when the project's preset says so,
/// and then in the preset's layout.
#[test]
fn a_folder_with_only_the_sets_file_follows_the_preset() {
    let dir = tempfile::tempdir().unwrap();
    put(dir.path(), STUB, &set("X"));
    let stub = dir.path().join(STUB);
    assert!(locate(&stub, "X", None).unwrap().is_none());
    for layout in [Decomposition::Beta, Decomposition::Beta2] {
        let folder = locate(&stub, "X", Some(layout)).unwrap().unwrap();
        assert_eq!(folder.layout, layout);
        assert_eq!(folder.dir, dir.path().join("permissionsets/X"));
        assert_eq!(folder.files, ["X.permissionset-meta.xml"]);
    }
}

/// Child files make a folder decomposed without a preset, in the layout their paths show; its
/// files are listed two levels deep, relative with `/`, sorted, hidden files and folders skipped.
#[test]
fn child_files_make_the_folder_decomposed_in_the_layout_they_show() {
    let dir = tempfile::tempdir().unwrap();
    beta_set(dir.path());
    put(dir.path(), "permissionsets/X/.DS_Store", "");
    put(dir.path(), "permissionsets/X/userPermissions/.editor.swp", "");
    let folder = locate(&dir.path().join(STUB), "X", None).unwrap().unwrap();
    assert_eq!(folder.layout, Decomposition::Beta);
    assert_eq!(
        folder.files,
        [
            "X.permissionset-meta.xml",
            "userPermissions/ApiEnabled.userPermission-meta.xml",
            "userPermissions/ViewSetup.userPermission-meta.xml",
        ]
    );
    let beta2 = tempfile::tempdir().unwrap();
    put(beta2.path(), STUB, &set("X"));
    put(beta2.path(), "permissionsets/X/X.userPermission-meta.xml", &beta2_part("ApiEnabled"));
    assert_eq!(locate(&beta2.path().join(STUB), "X", None).unwrap().unwrap().layout, Decomposition::Beta2);
}

/// Files in one layout where `sfdx-project.json` asks for the other are refused, naming the
/// folder, both layouts and the fix; the same layout as the preset is read.
#[test]
fn the_layout_of_the_files_must_be_the_one_the_preset_asks_for() {
    let dir = tempfile::tempdir().unwrap();
    put(dir.path(), STUB, &set("X"));
    put(dir.path(), "permissionsets/X/X.userPermission-meta.xml", &beta2_part("ApiEnabled"));
    let stub = dir.path().join(STUB);
    assert_eq!(locate(&stub, "X", Some(Decomposition::Beta2)).unwrap().unwrap().layout, Decomposition::Beta2);
    let err = locate(&stub, "X", Some(Decomposition::Beta)).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}: its files are in the decomposePermissionSetBeta2 layout, but sfdx-project.json asks for decomposePermissionSetBeta; retrieve the set again (sf project retrieve start) so the CLI rewrites it",
            dir.path().join("permissionsets/X").display()
        )
    );
}

/// In an SFDX project the preset of `sfdx-project.json` applies to a set's entry; in a plain folder
/// none does; an entry that is not a PermissionSet file is never a set's folder.
#[test]
fn an_entry_is_a_sets_folder_only_for_a_set_with_the_projects_preset() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    sfdx_project(&project, r#""decomposePermissionSetBeta2""#);
    put(&project, "force-app/main/default/permissionsets/X/X.permissionset-meta.xml", &set("X"));
    put(&project, "force-app/main/default/profiles/P/P.profile-meta.xml", &xml("Profile", ""));
    let source = Source::open(&project).unwrap();
    let set_entry = entry(&source, "force-app/main/default/permissionsets/X/X.permissionset-meta.xml");
    let folder = of_entry(&source, set_entry, "X").unwrap().unwrap();
    assert_eq!(
        (folder.layout, folder.files.as_slice()),
        (Decomposition::Beta2, ["X.permissionset-meta.xml".to_string()].as_slice())
    );
    let profile = entry(&source, "force-app/main/default/profiles/P/P.profile-meta.xml");
    assert!(of_entry(&source, profile, "P").unwrap().is_none());

    let plain = dir.path().join("plain");
    put(&plain, "permissionsets/X/X.permissionset-meta.xml", &set("X"));
    put(&plain, "sfdx-project.json", "not read: a plain folder has no preset");
    let source = Source::open(&plain.join("permissionsets")).unwrap();
    assert!(of_entry(&source, entry(&source, "X/X.permissionset-meta.xml"), "X").unwrap().is_none());
}

/// Reading the folder gives every file with its own bytes in the folder's order; a file over
/// `MAX_FILE_BYTES` is refused before it is read, naming it.
#[test]
fn every_file_is_read_with_its_bytes_and_none_over_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    put(dir.path(), STUB, &set("X"));
    put(dir.path(), "permissionsets/X/X.userPermission-meta.xml", &beta2_part("ApiEnabled"));
    let folder = locate(&dir.path().join(STUB), "X", None).unwrap().unwrap();
    assert_eq!(
        read_all(&folder).unwrap(),
        [
            ("X.permissionset-meta.xml".to_string(), set("X").into_bytes()),
            ("X.userPermission-meta.xml".to_string(), beta2_part("ApiEnabled").into_bytes()),
        ]
    );
    let big = dir.path().join("permissionsets/X/X.userPermission-meta.xml");
    std::fs::File::options().write(true).open(&big).unwrap().set_len(MAX_FILE_BYTES + 1).unwrap();
    let err = read_all(&folder).unwrap_err();
    assert!(matches!(err, SetFolderError::Disk(crate::disk::DiskError::TooLarge { .. })), "{err:?}");
    assert!(err.to_string().starts_with(&format!("{}: ", big.display())), "{err}");
}

/// A decomposed set is read whole: the sf CLI's recomposition of all its files, shown as its
/// folder, with every file kept; a set in one file is that file, shown as its entry.
#[test]
fn a_component_is_read_whole_however_it_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    beta_set(dir.path());
    put(dir.path(), "permissionsets/Y.permissionset-meta.xml", &set("Y"));
    let source = Source::open(dir.path()).unwrap();
    let mut reader = source.reader().unwrap();

    let whole = read_component(&source, &mut reader, entry(&source, STUB), "X").unwrap();
    assert_eq!(whole.document.root, "PermissionSet");
    assert_eq!(label(&whole.document), Some("X"));
    assert_eq!(user_permissions(&whole.document), ["ApiEnabled", "ViewSetup"]);
    assert_eq!(whole.display, dir.path().join("permissionsets/X").display().to_string());
    assert_eq!(whole.folder.map(|f| f.layout), Some(Decomposition::Beta));
    assert_eq!(whole.files.len(), 3);
    assert_eq!(
        whole.files[1],
        ("userPermissions/ApiEnabled.userPermission-meta.xml".to_string(), beta_part("ApiEnabled").into_bytes())
    );
    assert!(whole.notes.is_empty(), "{:?}", whole.notes);

    let one = entry(&source, "permissionsets/Y.permissionset-meta.xml");
    let single = read_component(&source, &mut reader, one, "Y").unwrap();
    assert_eq!(label(&single.document), Some("Y"));
    assert_eq!((single.display.as_str(), single.folder.is_none()), (one.display.as_str(), true));
    assert_eq!(single.files, [(one.relative.clone(), set("Y").into_bytes())]);
}
