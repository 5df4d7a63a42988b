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
    ("merge", &["--for", "merge"]),
    ("merge-connected-apps", &["--for", "merge", "--feature", "connected-apps"]),
    ("merge-oauth-apps", &["--for", "merge", "--feature", "oauth-apps"]),
    ("merge-connected-and-oauth-apps", &["--for", "merge", "--feature", "connected-apps", "--feature", "oauth-apps"]),
    ("merge-contacts", &["--for", "merge", "--feature", "contacts"]),
    ("merge-accounts", &["--for", "merge", "--feature", "accounts"]),
    ("merge-users", &["--for", "merge", "--feature", "users"]),
    ("merge-cases", &["--for", "merge", "--feature", "cases"]),
    ("merge-incidents", &["--for", "merge", "--feature", "incidents"]),
    ("merge-comments", &["--for", "merge", "--feature", "comments"]),
    ("merge-all", &["--for", "merge", "--feature", "all"]),
    ("merge-all-as-profile", &["--for", "merge", "--feature", "all", "--as", "profile"]),
    (
        "external-credential-oauth2-named-caller",
        &[
            "--for",
            "external-credential",
            "--protocol",
            "oauth2",
            "--external-credential",
            "Acme",
            "--principal",
            "Acme Principal",
        ],
    ),
    ("external-credential-oauth2-named-caller-no-names", &["--for", "external-credential", "--protocol", "oauth2"]),
    (
        "external-credential-oauth2-per-user-caller",
        &[
            "--for",
            "external-credential",
            "--protocol",
            "oauth2",
            "--identity",
            "per-user",
            "--external-credential",
            "Acme",
            "--principal",
            "PerUser",
        ],
    ),
    (
        "external-credential-aws-access-key-admin",
        &["--for", "external-credential", "--protocol", "aws-sigv4", "--role", "admin"],
    ),
    (
        "external-credential-aws-access-key-caller",
        &[
            "--for",
            "external-credential",
            "--protocol",
            "aws-sigv4",
            "--external-credential",
            "Aws",
            "--principal",
            "Main",
        ],
    ),
    (
        "external-credential-aws-sts-caller",
        &[
            "--for",
            "external-credential",
            "--protocol",
            "aws-sigv4",
            "--aws-variant",
            "sts",
            "--external-credential",
            "Aws",
            "--principal",
            "Main",
        ],
    ),
    ("external-credential-custom-admin", &["--for", "external-credential", "--protocol", "custom", "--role", "admin"]),
    (
        "external-credential-custom-caller",
        &["--for", "external-credential", "--protocol", "custom", "--external-credential", "Api", "--principal", "Key"],
    ),
    (
        "external-credential-basic-named-admin",
        &["--for", "external-credential", "--protocol", "basic", "--role", "admin"],
    ),
    (
        "external-credential-basic-named-caller",
        &[
            "--for",
            "external-credential",
            "--protocol",
            "basic",
            "--external-credential",
            "Legacy",
            "--principal",
            "Shared",
        ],
    ),
    (
        "external-credential-basic-per-user-caller",
        &[
            "--for",
            "external-credential",
            "--protocol",
            "basic",
            "--identity",
            "per-user",
            "--external-credential",
            "Legacy",
            "--principal",
            "Each",
        ],
    ),
    (
        "external-credential-jwt-named-caller",
        &["--for", "external-credential", "--protocol", "jwt", "--external-credential", "Signer", "--principal", "Org"],
    ),
    (
        "external-credential-jwt-per-user-caller",
        &[
            "--for",
            "external-credential",
            "--protocol",
            "jwt",
            "--identity",
            "per-user",
            "--external-credential",
            "Signer",
            "--principal",
            "Each",
        ],
    ),
    (
        "external-credential-none-caller",
        &[
            "--for",
            "external-credential",
            "--protocol",
            "none",
            "--external-credential",
            "Open",
            "--principal",
            "Anyone",
        ],
    ),
    (
        "external-credential-all-as-profile",
        &[
            "--for",
            "external-credential",
            "--feature",
            "all",
            "--protocol",
            "oauth2",
            "--external-credential",
            "Acme",
            "--principal",
            "Acme Principal",
            "--as",
            "profile",
        ],
    ),
    ("elements", &["--for", "elements"]),
    ("elements-managed", &["--for", "elements", "--mode", "managed"]),
    ("elements-managed-package", &["--for", "elements", "--feature", "managed-package"]),
    (
        "elements-managed-package-batch-log",
        &["--for", "elements", "--feature", "managed-package", "--batch-log-object", "Q9__BatchLog__c"],
    ),
    ("elements-all-managed", &["--for", "elements", "--feature", "all", "--mode", "managed"]),
    ("elements-all", &["--for", "elements", "--feature", "all"]),
    (
        "jetstream-org-dependencies",
        &["--for", "jetstream", "--feature", "deploy", "--dependencies", "tests/fixtures/dependencies/org-export.json"],
    ),
    (
        "merge-org-dependencies",
        &[
            "--for",
            "merge",
            "--feature",
            "comments",
            "--feature",
            "connected-apps",
            "--feature",
            "contacts",
            "--dependencies",
            "tests/fixtures/dependencies/org-export.csv",
        ],
    ),
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

/// The Markdown a reviewer pastes into a pull request, for one integration of each kind.
#[test]
fn explain_markdown() {
    let settings = snapshot_settings();
    for name in ["planhat-two-way", "jetstream-deploy", "elements-all"] {
        let (_, args) = VARIANTS.iter().find(|(n, _)| *n == name).expect("a listed variant");
        let mut argv = args.to_vec();
        argv.extend(["--format", "markdown"]);
        let text = run("explain", &argv);
        settings.bind(|| insta::assert_snapshot!(format!("explain-markdown@{name}"), text));
    }
}

#[test]
fn output_is_deterministic() {
    for (name, args) in VARIANTS {
        assert_eq!(run("gen", args), run("gen", args), "{name}");
    }
}
