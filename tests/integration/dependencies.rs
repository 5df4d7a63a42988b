//! `--dependencies FILE`: an org's PermissionDependency export replaces the built-in table, user
//! and object rows alike, for `gen` and `explain`.

use crate::common::{PLANHAT_WARNINGS, ok, ok_with_stderr};

const CSV: &str = "tests/fixtures/dependencies/org-export.csv";
const JSON: &str = "tests/fixtures/dependencies/org-export.json";

#[test]
fn the_org_table_replaces_the_built_in_one() {
    // Built in: CustomizeApplication needs ManageCustomPermissions; the export says ManageTranslation.
    let builtin = ok(&["gen", "--for", "merge", "--feature", "connected-apps"]);
    assert!(builtin.contains("<name>ManageCustomPermissions</name>"), "{builtin}");
    assert!(!builtin.contains("ManageTranslation"), "{builtin}");
    let org = ok(&["gen", "--for", "merge", "--feature", "connected-apps", "--dependencies", CSV]);
    assert!(org.contains("<name>ManageTranslation</name>"), "{org}");
    assert!(!org.contains("ManageCustomPermissions"), "{org}");
}

#[test]
fn object_rows_become_object_permissions() {
    let builtin = ok(&["gen", "--for", "merge", "--feature", "contacts"]);
    assert!(!builtin.contains("<object>Account</object>"), "{builtin}");
    for file in [CSV, JSON] {
        let xml = ok(&["gen", "--for", "merge", "--feature", "contacts", "--dependencies", file]);
        assert!(xml.contains("<object>Account</object>"), "{file}: {xml}");
    }
    // A user permission that requires object access: EditCaseComments → Case<update>.
    let xml =
        ok_with_stderr(&["gen", "--for", "planhat", "--sync", "two-way", "--dependencies", CSV], PLANHAT_WARNINGS);
    assert!(xml.contains("<name>EditCaseComments</name>"), "{xml}");
}

#[test]
fn explain_names_the_export_and_the_line_of_each_pair() {
    let text = ok(&["explain", "--for", "merge", "--feature", "contacts", "--dependencies", CSV]);
    assert!(text.contains("Dependencies: the org's PermissionDependency export tests/fixtures/dependencies/org-export.csv (15 rows, 14 distinct pairs; rows skipped: 1 with object access `viewAllFields`"), "{text}");
    assert!(
        text.contains("required by Salesforce: Read Account ← Read Contact ← feature contacts (org export tests/fixtures/dependencies/org-export.csv:15)"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&ok(&[
        "--json",
        "explain",
        "--for",
        "jetstream",
        "--feature",
        "deploy",
        "--dependencies",
        JSON,
    ]))
    .unwrap();
    let grants = json["result"]["plan"]["grants"].as_array().unwrap();
    let view_roles = grants.iter().find(|g| g["name"] == "ViewRoles").expect("ViewRoles granted");
    let reason = &view_roles["reasons"][0];
    assert_eq!(reason["kind"], "dependency");
    assert_eq!(reason["of"], "ViewSetup");
    assert_eq!(reason["source"], "org export tests/fixtures/dependencies/org-export.json:15");
    assert_eq!(reason["chain"], serde_json::json!(["ViewSetup", "ModifyMetadata", "feature deploy"]));
}
