//! Golden output for every integration variant: the XML `gen` writes and the reasons `explain`
//! gives, reviewed like code (`snapshots/*.snap`). Every XML is also validated against the schema
//! and must come back unchanged through `fmt`-style canonicalisation.

use crate::common::{assert_schema_valid, ok, snapshot_settings};

/// (snapshot name, arguments after `gen`/`explain`): every option and feature that changes output.
pub const VARIANTS: &[(&str, &[&str])] = &[
    ("planhat-receive-only", &["--for", "planhat", "--sync", "receive-only"]),
    ("planhat-two-way", &["--for", "planhat", "--sync", "two-way"]),
    (
        "planhat-receive-only-chatter",
        &["--for", "planhat", "--sync", "receive-only", "--feature", "chatter-case-comments"],
    ),
    ("planhat-two-way-all", &["--for", "planhat", "--sync", "two-way", "--feature", "all"]),
    (
        "planhat-two-way-custom",
        &[
            "--for",
            "planhat",
            "--sync",
            "two-way",
            "--subscription-object",
            "Subscription__c",
            "--account-filter-field",
            "Planhat_Sync__c",
            "--contact-filter-field",
            "Planhat_Sync__c",
            "--object",
            "OpportunityLineItem",
            "--object",
            "Order:read",
            "--field",
            "Account.Industry",
            "--field",
            "Account.Health__c:read",
        ],
    ),
    ("planhat-receive-only-permission-set", &["--for", "planhat", "--sync", "receive-only", "--as", "permission-set"]),
    (
        "planhat-new-profile",
        &["--for", "planhat", "--sync", "receive-only", "--new-profile", "--user-license", "Salesforce Integration"],
    ),
    ("jetstream", &["--for", "jetstream"]),
    (
        "jetstream-data",
        &[
            "--for",
            "jetstream",
            "--feature",
            "data",
            "--object",
            "Account",
            "--object",
            "Contact:read,create,edit,delete",
            "--field",
            "Contact.Email:edit",
            "--field",
            "Account.Industry",
        ],
    ),
    ("jetstream-hard-delete", &["--for", "jetstream", "--feature", "hard-delete"]),
    ("jetstream-deploy", &["--for", "jetstream", "--feature", "deploy"]),
    ("jetstream-create-objects", &["--for", "jetstream", "--feature", "create-objects"]),
    ("jetstream-record-types-picklists", &["--for", "jetstream", "--feature", "record-types-picklists"]),
    ("jetstream-manage-permissions", &["--for", "jetstream", "--feature", "manage-permissions"]),
    ("jetstream-manage-permissions-save", &["--for", "jetstream", "--feature", "manage-permissions-save"]),
    ("jetstream-automation-control", &["--for", "jetstream", "--feature", "automation-control"]),
    ("jetstream-apex-triggers", &["--for", "jetstream", "--feature", "apex-triggers"]),
    ("jetstream-debug-logs", &["--for", "jetstream", "--feature", "debug-logs"]),
    ("jetstream-anonymous-apex", &["--for", "jetstream", "--feature", "anonymous-apex"]),
    ("jetstream-metadata-browser", &["--for", "jetstream", "--feature", "metadata-browser"]),
    ("jetstream-formula-evaluator", &["--for", "jetstream", "--feature", "formula-evaluator"]),
    ("jetstream-user-management", &["--for", "jetstream", "--feature", "user-management"]),
    ("jetstream-all", &["--for", "jetstream", "--feature", "all", "--object", "Account:read,edit"]),
    ("jetstream-as-profile", &["--for", "jetstream", "--feature", "deploy", "--as", "profile"]),
];

fn with(command: &str, args: &[&str]) -> Vec<String> {
    std::iter::once(command).chain(args.iter().copied()).map(str::to_string).collect()
}

fn run(command: &str, args: &[&str]) -> String {
    let argv = with(command, args);
    ok(&argv.iter().map(String::as_str).collect::<Vec<_>>())
}

#[test]
fn gen_xml_for_every_variant() {
    let settings = snapshot_settings();
    for (name, args) in VARIANTS {
        let xml = run("gen", args);
        assert_schema_valid(&xml, name);
        settings.bind(|| insta::assert_snapshot!(format!("gen@{name}"), xml));
    }
}

#[test]
fn explain_for_every_variant() {
    let settings = snapshot_settings();
    // --new-profile shapes only the file, not the reasons.
    for (name, args) in VARIANTS.iter().filter(|(_, args)| !args.contains(&"--new-profile")) {
        let text = run("explain", args);
        settings.bind(|| insta::assert_snapshot!(format!("explain@{name}"), text));
    }
}

#[test]
fn output_is_deterministic() {
    for (name, args) in VARIANTS {
        assert_eq!(run("gen", args), run("gen", args), "{name}");
    }
}
