//! The writer against real retrieves: every file of the carestone org comes back byte for byte
//! through read → canonical order → template, and permission sets holding only what sfperms
//! generates come back byte for byte from the PermissionSet emitter itself.

use std::collections::BTreeMap;
use std::path::PathBuf;

use sfperms::access::{FieldAccess, Item, ObjectAccess};
use sfperms::emit::{self, FileMeta};
use sfperms::metadata::OutputKind;
use sfperms::metadata::read::parse;
use sfperms::solver::Plan;

use crate::common::{assert_files_schema_valid, carestone, carestone_files, fixtures, public_corpus};

fn files(folder: &str) -> Vec<PathBuf> {
    let dir = carestone().join("force-app/main/default").join(folder);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
}

#[test]
fn every_carestone_file_renders_byte_for_byte() {
    let files = carestone_files();
    assert!(files.len() > 50, "the carestone retrieve is missing: {} files", files.len());
    let differ: Vec<String> = files
        .iter()
        .filter(|path| {
            let text = std::fs::read_to_string(path).unwrap();
            let doc = parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            emit::render(&doc) != text
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(differ.is_empty(), "{} do not round-trip:\n{}", differ.len(), differ.join("\n"));
}

/// The public corpus's manifest names every file in the folder, and only those: the tests that
/// count on it read the manifest.
#[test]
fn the_public_corpus_is_what_its_manifest_lists() {
    let dir = fixtures().join("corpus/public");
    let mut on_disk: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file() && e.file_name() != "MANIFEST.tsv")
        .map(walkdir::DirEntry::into_path)
        .collect();
    on_disk.sort();
    assert_eq!(on_disk, public_corpus());
}

/// The grants of a retrieved permission set, if it holds nothing sfperms would not write.
fn as_plan(doc: &sfperms::metadata::Document) -> Option<(Plan, FileMeta)> {
    let mut grants = BTreeMap::new();
    let mut label = None;
    let mut description = None;
    for node in &doc.children {
        match node.name.as_str() {
            "label" => label = node.text().map(str::to_string),
            "description" => description = node.text().map(str::to_string),
            "hasActivationRequired" if node.text() == Some("false") => {}
            "userPermissions" if node.child_text("enabled") == Some("true") => {
                grants.insert(Item::UserPermission(node.child_text("name")?.to_string()), vec![]);
            }
            "classAccesses" if node.child_text("enabled") == Some("true") => {
                grants.insert(Item::ApexClass(node.child_text("apexClass")?.to_string()), vec![]);
            }
            "fieldPermissions" => {
                let field = node.child_text("field")?.to_string();
                match (node.child_text("readable")?, node.child_text("editable")?) {
                    ("true", "true") => grants.insert(Item::Field(field, FieldAccess::Edit), vec![]),
                    ("true", "false") => grants.insert(Item::Field(field, FieldAccess::Read), vec![]),
                    _ => return None,
                };
            }
            "objectPermissions" if node.children().len() == 7 => {
                let object = node.child_text("object")?.to_string();
                for access in ObjectAccess::ALL {
                    if node.child_text(access.element()) == Some("true") {
                        grants.insert(Item::Object(object.clone(), access), vec![]);
                    }
                }
            }
            _ => return None,
        }
    }
    let plan = Plan::of_grants("corpus", OutputKind::PermissionSet, grants);
    Some((plan, FileMeta { name: String::new(), label: label?, description: description? }))
}

#[test]
fn the_permission_set_emitter_reproduces_retrieved_files() {
    let mut compared = Vec::new();
    for path in files("permissionsets") {
        let text = std::fs::read_to_string(&path).unwrap();
        let Some((plan, meta)) = as_plan(&parse(&text).unwrap()) else { continue };
        let emitted = emit::render(&emit::permission_set(&plan, &meta));
        assert!(emitted == text, "{}: the emitter writes different bytes:\n{emitted}", path.display());
        compared.push(path.file_name().unwrap().to_string_lossy().into_owned());
    }
    // API_Only_User, TeamProQ_Integration, sf_devops_InitializeEnvironments, … hold only what sfperms generates.
    assert!(compared.len() >= 6, "only {compared:?} were comparable");
    assert!(compared.iter().any(|f| f == "API_Only_User.permissionset-meta.xml"));
}

#[test]
fn carestone_permission_sets_are_schema_valid() {
    // The schema check itself is trustworthy: a real retrieve passes it.
    let sets: Vec<(String, PathBuf)> =
        files("permissionsets").into_iter().take(5).map(|p| (p.display().to_string(), p)).collect();
    assert_files_schema_valid(&sets);
}
