//! What an admin types beyond the defaults — their own fields and objects, a licence, an API
//! version — comes out right, refused (exit 2, the reason, nothing written), or granted with a
//! warning that says it is unverified (issue 11).

use crate::common::{
    JETSTREAM_DEPLOY_WARNINGS, PLANHAT_WARNINGS, assert_schema_valid, gen_writing, input_error, ok, ok_printed,
    ok_with_stderr, run, stderr, stdout,
};

const DATA: [&str; 5] = ["gen", "--for", "jetstream", "--feature", "data"];

fn granted(extra: &[&str]) -> (String, String) {
    let args: Vec<&str> = DATA.iter().chain(extra).copied().collect();
    let output = run(&args);
    assert!(output.status.success(), "sfperms {args:?}: {}", stderr(&output));
    let xml = stdout(&output);
    assert_schema_valid(&xml, &format!("{args:?}"));
    (xml, stderr(&output))
}

fn refused(extra: &[&str]) -> String {
    let args: Vec<&str> = DATA.iter().chain(extra).copied().collect();
    input_error(&args)
}

#[test]
fn an_unknown_field_is_granted_with_an_unverified_warning_not_called_always_accessible() {
    let (xml, warnings) = granted(&["--field", "Account.NoSuchField:read"]);
    assert!(xml.contains("<field>Account.NoSuchField</field>"), "{xml}");
    assert!(warnings.contains("UNVERIFIED: Account.NoSuchField: not in sfperms' field data"), "{warnings}");
    let explain = ok(&["explain", "--for", "jetstream", "--feature", "data", "--field", "Pricebook2.Description:read"]);
    assert!(!explain.contains("always accessible"), "{explain}");
    assert!(
        explain.contains("Unverified: check before deploying\n  Pricebook2.Description: not in sfperms' field data"),
        "{explain}"
    );
}

#[test]
fn a_field_close_to_a_known_one_is_a_typo() {
    let err = refused(&["--field", "Account.AcountNumber:read"]);
    assert_eq!(
        err,
        "error: `Account.AcountNumber` is not a field sfperms knows; did you mean `Account.AccountNumber`? (a field that does not exist fails the deploy)\n"
    );
}

#[test]
fn an_address_component_is_granted_through_its_compound_field() {
    let (xml, _) = granted(&["--field", "Account.BillingStreet:edit"]);
    assert!(xml.contains("<editable>true</editable>\n        <field>Account.BillingAddress</field>"), "{xml}");
    assert!(!xml.contains("BillingStreet"), "{xml}");
    let explain = ok(&["explain", "--for", "jetstream", "--feature", "data", "--field", "account.billingstreet:edit"]);
    assert!(explain.contains("Account.BillingStreet: granted as Account.BillingAddress"), "{explain}");
}

#[test]
fn a_field_from_a_real_retrieve_is_permissionable_with_its_source() {
    // Pricebook2 fields are not in the reference org's profile; a public Admin profile grants this one.
    let (xml, warnings) = granted(&["--field", "Account.DunsNumber:read"]);
    assert!(xml.contains("<field>Account.DunsNumber</field>"), "{xml}");
    assert!(!warnings.contains("DunsNumber"), "{warnings}");
}

#[test]
fn a_field_grant_pulls_the_object_access_it_needs() {
    let (xml, _) = granted(&["--object", "Account:read", "--field", "Opportunity.Amount:edit"]);
    let opportunity = xml.split("<objectPermissions>").find(|e| e.contains("<object>Opportunity</object>")).unwrap();
    assert!(opportunity.contains("<allowEdit>true</allowEdit>") && opportunity.contains("<allowRead>true</allowRead>"));
    let explain = ok(&[
        "explain",
        "--for",
        "jetstream",
        "--feature",
        "data",
        "--object",
        "Account:read",
        "--field",
        "Opportunity.Amount:edit",
    ]);
    assert!(explain.contains("  Edit Opportunity\n      - required by Salesforce: Edit Opportunity ← Edit Opportunity.Amount ← feature data (Salesforce Help, \"Permissions for UI Elements, Records, and Fields\""), "{explain}");
}

#[test]
fn objects_are_classified_by_kind() {
    let (xml, _) = granted(&["--object", "Settings__mdt:read"]);
    assert!(
        xml.contains(
            "<customMetadataTypeAccesses>\n        <enabled>true</enabled>\n        <name>Settings__mdt</name>"
        ),
        "{xml}"
    );
    assert!(!xml.contains("<object>Settings__mdt</object>"), "{xml}");
    for (object, why) in [
        ("Foo__Share", "a sharing table"),
        ("Foo__History", "a field history table"),
        ("Foo__Feed", "a Chatter feed"),
        ("Foo__ChangeEvent", "a change data capture event"),
        ("Foo__Tag", "a tag table"),
        ("AccountShare", "a sharing table"),
    ] {
        let err = refused(&["--object", &format!("{object}:read")]);
        assert!(err.starts_with(&format!("error: `{object}` takes no object permissions: it is {why}")), "{err}");
    }
    let (xml, warnings) = granted(&["--object", "Alert__e:read,create,edit"]);
    assert!(xml.contains("<object>Alert__e</object>") && xml.contains("<allowEdit>false</allowEdit>"), "{xml}");
    assert!(warnings.contains("not granted: Edit Alert__e: platform events take only Read and Create"), "{warnings}");
}

#[test]
fn standard_object_names_match_in_any_case_and_are_written_once_in_true_case() {
    let (xml, _) = granted(&["--object", "account:read", "--object", "Account:edit"]);
    assert_eq!(xml.matches("<object>Account</object>").count(), 1, "{xml}");
    assert!(!xml.contains("<object>account</object>"), "{xml}");
    let (_, warnings) = granted(&["--object", "Widget:read"]);
    assert!(warnings.contains("UNVERIFIED: `Widget` is not among the standard objects"), "{warnings}");
}

#[test]
fn api_versions_outside_what_sfperms_knows_are_refused() {
    let base = ["gen", "--for", "jetstream", "--feature", "deploy", "--api-version"];
    for (version, expected) in [
        ("0.0", "`0.0` is not an API version: write it like `66.0`"),
        ("1.0", "API version 1.0 does not have PermissionSet"),
        ("999.0", "API version 999.0 is newer than the newest sfperms knows (67.0"),
        ("abc", "`abc` is not an API version"),
    ] {
        let args: Vec<&str> = base.iter().copied().chain([version]).collect();
        let err = input_error(&args);
        assert!(err.starts_with(&format!("error: --api-version: {expected}")), "{err}");
    }
    let principal = [
        "gen",
        "--for",
        "external-credential",
        "--protocol",
        "basic",
        "--external-credential",
        "Ext",
        "--principal",
        "Main",
        "--api-version",
        "30.0",
    ];
    assert!(input_error(&principal).contains("does not have externalCredentialPrincipalAccesses"));

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("sfdx-project.json"),
        r#"{"packageDirectories":[{"path":"force-app","default":true}],"sourceApiVersion":"abc"}"#,
    )
    .unwrap();
    let out = dir.path().to_str().unwrap();
    let err = input_error(&["gen", "--for", "jetstream", "--feature", "deploy", "--output-dir", out]);
    assert!(err.contains("sourceApiVersion in") && err.contains("`abc` is not an API version"), "{err}");
    assert!(!dir.path().join("force-app").exists(), "nothing is written");
}

#[test]
fn a_user_licence_is_validated_with_a_did_you_mean() {
    let args = ["gen", "--for", "planhat", "--sync", "two-way", "--new-profile", "--user-license"];
    let err = input_error(&args.iter().copied().chain(["Salesforce Platfrom"]).collect::<Vec<_>>());
    assert!(err.contains("did you mean `Salesforce Platform`"), "{err}");
    input_error(&args.iter().copied().chain(["Bogus"]).collect::<Vec<_>>());
    let xml =
        ok_with_stderr(&args.iter().copied().chain(["salesforce integration"]).collect::<Vec<_>>(), PLANHAT_WARNINGS);
    assert!(xml.contains("<userLicense>Salesforce Integration</userLicense>"), "{xml}");
}

#[test]
fn merge_gets_api_enabled_as_a_platform_requirement() {
    let xml = ok_with_stderr(
        &["gen", "--for", "merge", "--feature", "cases"],
        "warning: UNVERIFIED: \"All Images\" names no object: sfperms reads it as the Image object; check that Merge's case sync needs Create/Edit/Delete on Image\n",
    );
    assert!(xml.contains("<name>ApiEnabled</name>"), "{xml}");
    let explain = ok(&["explain", "--for", "merge", "--feature", "cases"]);
    assert!(
        explain.contains(
            "  ApiEnabled (API Enabled)\n      - platform requirement: the integration works through Salesforce's API"
        ),
        "{explain}"
    );
}

#[test]
fn an_integration_user_target_ties_the_set_to_the_permission_set_licence() {
    let output = run(&["gen", "--for", "jetstream", "--feature", "deploy", "--integration-user"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let xml = stdout(&output);
    assert_schema_valid(&xml, "jetstream for an Integration user");
    assert!(xml.contains("<label>Jetstream User</label>\n    <license>Salesforce API Integration</license>"), "{xml}");
    let warnings = stderr(&output);
    assert!(warnings.contains("UNVERIFIED: Jetstream's document does not say whether it works with the Salesforce Integration user licence"), "{warnings}");
    assert!(
        warnings.contains(
            "UNVERIFIED: whether the Salesforce API Integration permission set licence allows ModifyMetadata"
        ),
        "{warnings}"
    );

    let err = input_error(&["gen", "--for", "planhat", "--sync", "two-way", "--integration-user"]);
    assert!(err.contains("--integration-user writes a permission set"), "{err}");
}

#[test]
fn a_vendor_that_rejects_the_integration_licence_is_refused_for_that_target() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sources")).unwrap();
    std::fs::write(
        dir.path().join("sources/acme.txt"),
        "Grant API Enabled. The Salesforce Integration license is not supported.",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("acme.toml"),
        "id = \"acme\"\nname = \"Acme\"\nsummary = \"s\"\ndocument = \"acme.txt\"\ntitle = \"T\"\ndefault-name = \"Acme\"\ndefault-label = \"Acme\"\n\n[integration-licence]\naccepts = false\nsource = \"The Salesforce Integration license is not supported.\"\n\n[[require]]\nsource = \"Grant API Enabled.\"\nuser-permissions = [\"ApiEnabled\"]\n",
    )
    .unwrap();
    let catalog = dir.path().to_str().unwrap();
    let err = input_error(&["--catalog", catalog, "gen", "--for", "acme", "--integration-user"]);
    assert!(err.contains("`acme` does not accept the Salesforce Integration user licence (the vendor document: \"The Salesforce Integration license is not supported.\")"), "{err}");
    let xml = ok(&["--catalog", catalog, "gen", "--for", "acme"]);
    assert!(!xml.contains("<license>"), "{xml}");
}

#[test]
fn a_user_permission_the_catalog_does_not_name_is_checked_and_explained() {
    let xml = ok_with_stderr(
        &["gen", "--for", "jetstream", "--feature", "deploy", "--user-permission", "ManageTranslation"],
        JETSTREAM_DEPLOY_WARNINGS,
    );
    assert!(xml.contains("<name>ManageTranslation</name>"), "{xml}");
    let explain = ok(&["explain", "--for", "jetstream", "--feature", "deploy", "--user-permission", "ManageSandboxes"]);
    assert!(
        explain.contains("  ManageSandboxes\n      - asked for with --user-permission ManageSandboxes"),
        "{explain}"
    );
    let err = input_error(&["gen", "--for", "jetstream", "--feature", "deploy", "--user-permission", "ApiEnabeld"]);
    assert!(
        err.contains("--user-permission ApiEnabeld: not a user permission sfperms knows; did you mean `ApiEnabled`?"),
        "{err}"
    );
}

#[test]
fn writing_over_a_file_says_what_it_grants_removes_and_reduces() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let file = format!("{out}/permissionsets/Jetstream_User.permissionset-meta.xml");
    assert_eq!(
        gen_writing(&["--for", "jetstream", "--feature", "all"], &["--output-dir", out]),
        format!("created: {file}\n")
    );
    let said = gen_writing(&["--for", "jetstream", "--feature", "deploy"], &["--output-dir", out]);
    assert!(said.starts_with(&format!("updated: {file}\n")), "{said}");
    assert!(said.contains("\n  removes userPermissions BulkApiHardDelete\n"), "{said}");
}

/// An existing profile (hand-made, as a retrieve holds it) with full access to Account and two
/// entries sfperms does not manage.
const EXISTING_PLANHAT_PROFILE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Profile xmlns="http://soap.sforce.com/2006/04/metadata">
    <custom>true</custom>
    <fieldPermissions>
        <editable>true</editable>
        <field>Account.Description</field>
        <readable>true</readable>
    </fieldPermissions>
    <objectPermissions>
        <allowCreate>true</allowCreate>
        <allowDelete>true</allowDelete>
        <allowEdit>true</allowEdit>
        <allowRead>true</allowRead>
        <modifyAllRecords>true</modifyAllRecords>
        <object>Account</object>
        <viewAllRecords>true</viewAllRecords>
    </objectPermissions>
    <userLicense>Salesforce</userLicense>
    <userPermissions>
        <enabled>true</enabled>
        <name>ModifyAllData</name>
    </userPermissions>
</Profile>
"#;

#[test]
fn a_profile_the_target_does_not_hold_is_refused_with_the_ways_out() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let err = input_error(&["gen", "--for", "planhat", "--sync", "two-way", "--output-dir", out]);
    assert_eq!(
        err,
        format!(
            "error: no profile named `Planhat Integration` in {out} (looked for {out}/profiles/Planhat Integration.profile-meta.xml): a profile is written as a fragment that updates an existing profile, and there is none to update. Retrieve the profile into the project first (sf project retrieve start --metadata \"Profile:Planhat Integration\"), name a profile the project has with --name, write a complete new profile with --new-profile --user-license LICENSE, or generate a permission set with --as permission-set; nothing written\n"
        )
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing written");
    let mdapi =
        input_error(&["gen", "--for", "planhat", "--sync", "two-way", "--output-dir", out, "--layout", "mdapi"]);
    assert!(mdapi.contains("(looked for") && mdapi.contains("profiles/Planhat Integration.profile)"), "{mdapi}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no package.xml either");

    // Each way out works: a complete new profile, or a permission set.
    let new = ["--for", "planhat", "--sync", "two-way", "--new-profile", "--user-license", "Salesforce Platform"];
    let profile = dir.path().join("profiles/Planhat Integration.profile-meta.xml");
    assert_eq!(gen_writing(&new, &["--output-dir", out]), format!("created: {}\n", profile.display()));
    let written = std::fs::read_to_string(&profile).unwrap();
    assert!(
        written.contains("<custom>true</custom>") && written.contains("<userLicense>Salesforce Platform</userLicense>")
    );
    let set = dir.path().join("permissionsets/Planhat_Integration.permissionset-meta.xml");
    let report =
        gen_writing(&["--for", "planhat", "--sync", "two-way", "--as", "permission-set"], &["--output-dir", out]);
    assert_eq!(report, format!("created: {}\n", set.display()));
    assert!(set.is_file());
}

#[test]
fn overlaying_an_existing_profile_prints_every_reduction() {
    let dir = tempfile::tempdir().unwrap();
    let profiles = dir.path().join("profiles");
    std::fs::create_dir_all(&profiles).unwrap();
    let file = profiles.join("Planhat Integration.profile-meta.xml");
    std::fs::write(&file, EXISTING_PLANHAT_PROFILE).unwrap();
    let out = dir.path().to_str().unwrap();
    let planhat = ["gen", "--for", "planhat", "--sync", "receive-only", "--output-dir", out];

    let check = run(&[&planhat[..], &["--check"]].concat());
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    assert!(
        stdout(&check).contains(
            "~ objectPermissions Account (allowCreate, allowDelete, allowEdit, modifyAllRecords, viewAllRecords)"
        ),
        "{}",
        stdout(&check)
    );

    let json = run(&[&planhat[..], &["--check", "--json"]].concat());
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let listed = doc["result"]["files"][0]["effects"].as_array().unwrap();
    assert_eq!(listed.len(), 15, "{listed:?}");
    assert!(listed.contains(&"reduces objectPermissions Account: modifyAllRecords true → false".into()), "{listed:?}");

    let output = run(&planhat);
    assert!(output.status.success(), "{}", stderr(&output));
    let said = stderr(&output);
    let effects = said.split_once("updated: ").map(|(_, rest)| rest).unwrap_or_default();
    assert_eq!(
        effects,
        format!(
            "{}\n  grants fieldPermissions Contact.AccountId\n  grants fieldPermissions Contact.Email\n  grants fieldPermissions Contact.Phone\n  grants fieldPermissions Contact.Title\n  grants fieldPermissions Task.ActivityDate\n  grants fieldPermissions Task.Description\n  reduces objectPermissions Account: allowCreate true → false\n  reduces objectPermissions Account: allowDelete true → false\n  reduces objectPermissions Account: allowEdit true → false\n  reduces objectPermissions Account: modifyAllRecords true → false\n  reduces objectPermissions Account: viewAllRecords true → false\n  grants objectPermissions Case\n  grants objectPermissions Contact\n  grants objectPermissions Opportunity\n  grants userPermissions ApiEnabled\n",
            file.display()
        )
    );
    // What sfperms does not manage stays as it was: a profile deploy overlays.
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.contains("<name>ModifyAllData</name>") && written.contains("<field>Account.Description</field>"));
}

#[test]
fn salesforce_needs_the_page_forgets_are_warned_with_their_source_not_granted() {
    let output = run(&["gen", "--for", "jetstream", "--feature", "deploy", "--feature", "debug-logs"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let xml = stdout(&output);
    assert!(!xml.contains("<name>AuthorApex</name>") && !xml.contains("<name>ViewAllData</name>"), "{xml}");
    let warnings = stderr(&output);
    assert!(
        warnings.contains(
            "\nwarning: deploying Apex classes and triggers takes AuthorApex (Author Apex) (source: Salesforce Help, \"Define Apex Classes\": \"To define, edit, delete, set security, and set version settings for Apex classes: Author Apex\""
        ),
        "{warnings}"
    );
    assert!(
        warnings.contains("the vendor's page implies it (\"Deploy and Compare Metadata\") without asking for it, so sfperms does not grant it: add --user-permission AuthorApex if this user will do that\n"),
        "{warnings}"
    );
    assert!(
        warnings.contains("warning: viewing debug logs takes ViewAllData (View All Data) (source: Salesforce Help, \"Debug Logs\": \"To view, retain, and delete debug logs: View All Data\""),
        "{warnings}"
    );

    // Asked for (or granted by another feature), it is no longer news.
    let asked = run(&["gen", "--for", "jetstream", "--feature", "deploy", "--user-permission", "AuthorApex"]);
    assert!(!stderr(&asked).contains("deploying Apex"), "{}", stderr(&asked));
    let anonymous = run(&["gen", "--for", "jetstream", "--feature", "deploy", "--feature", "anonymous-apex"]);
    assert!(!stderr(&anonymous).contains("deploying Apex"), "{}", stderr(&anonymous));
    // Not for what does not deploy.
    let data = run(&["gen", "--for", "jetstream", "--feature", "data", "--object", "Account:read"]);
    assert!(!stderr(&data).contains("takes AuthorApex"), "{}", stderr(&data));

    let explain = ok(&["explain", "--for", "gearset", "--use", "metadata"]);
    assert!(
        explain.contains("\nWarnings\n") && explain.contains("  deploying Apex classes and triggers takes AuthorApex"),
        "{explain}"
    );
}

#[test]
fn a_platform_need_sfperms_does_not_know_is_a_catalog_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sources")).unwrap();
    std::fs::write(dir.path().join("sources/acme.txt"), "We deploy your Apex.").unwrap();
    std::fs::write(
        dir.path().join("acme.toml"),
        "id = \"acme\"\nname = \"Acme\"\nsummary = \"s\"\ndocument = \"acme.txt\"\ntitle = \"Acme\"\ndefault-name = \"Acme\"\ndefault-label = \"Acme\"\n\n[[platform-need]]\nneed = \"deploy-apex\"\nsource = \"We deploy your Apex.\"\n",
    )
    .unwrap();
    let err = input_error(&["--catalog", dir.path().to_str().unwrap(), "gen", "--for", "acme"]);
    assert!(
        err.contains("acme.toml:10") && err.contains("unknown platform need `deploy-apex`; did you mean `deploys-apex`?; sfperms knows: deploys-apex, reads-debug-logs"),
        "{err}"
    );
}

const ORG_FIELDS_CSV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/fields/org-fields.csv");
const ORG_FIELDS_JSON: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/fields/org-fields.json");

#[test]
fn the_orgs_field_list_makes_the_field_answer_exact() {
    let fields = ["--fields", ORG_FIELDS_CSV];
    let (xml, warnings) = granted(
        &[
            &fields[..],
            &[
                "--field",
                "Contact.Pronouns:edit",
                "--field",
                "account.industry:edit",
                "--field",
                "Account.Name:read",
                "--field",
                "Account.Legacy_Id__c:read",
                "--field",
                "Case.Subject:read",
            ],
        ]
        .concat(),
    );
    // Listed permissionable: granted in the org's spelling, with no "not in sfperms' data" doubt.
    assert!(xml.contains("<editable>true</editable>\n        <field>Contact.Pronouns</field>"), "{xml}");
    assert!(xml.contains("<field>Account.Industry</field>"), "{xml}");
    assert!(!warnings.contains("Contact.Pronouns: not in sfperms' field data"), "{warnings}");
    // Listed not permissionable: left out, even a custom field the built-in rule would grant.
    assert!(!xml.contains("<field>Account.Name</field>") && !xml.contains("Legacy_Id__c"), "{xml}");
    // An object the list does not cover keeps the built-in rules.
    assert!(xml.contains("<field>Case.Subject</field>"), "{xml}");
    assert!(
        warnings.contains("warning: UNVERIFIED: --fields: IsPermissionable is read as \"takes field-level security\": no stored Salesforce page defines the column; a field it lists as not permissionable is left out of fieldPermissions\n"),
        "{warnings}"
    );

    let explain = ok(&[
        &["explain", "--for", "jetstream", "--feature", "data"][..],
        &fields[..],
        &["--field", "Account.Legacy_Id__c:read"],
    ]
    .concat());
    assert!(
        explain.contains(&format!(
            "  Fields: the org's field list {ORG_FIELDS_CSV} (10 fields of 2 objects), for the objects it lists\n"
        )),
        "{explain}"
    );
    assert!(
        explain.contains(&format!("  Account.Legacy_Id__c: not a permissionable field, readable with its object: IsPermissionable is false in your org's field list ({ORG_FIELDS_CSV}:8)\n")),
        "{explain}"
    );

    // A field of a listed object the list does not hold is refused, with the nearest name.
    let err = refused(&["--fields", ORG_FIELDS_JSON, "--field", "Account.Industy:read"]);
    assert_eq!(
        err,
        format!(
            "error: `Account.Industy` is not in the org's field list {ORG_FIELDS_JSON} (2 fields of 1 objects), which lists the fields of its object; did you mean `Account.Industry`? (a field that does not exist fails the deploy)\n"
        )
    );
}

#[test]
fn a_field_list_that_cannot_be_read_is_exit_2_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("fields.csv");
    std::fs::write(&file, "EntityDefinition.QualifiedApiName,QualifiedApiName,IsPermissionable\nAccount,Name,maybe\n")
        .unwrap();
    let path = file.to_str().unwrap();
    let err = refused(&["--fields", path, "--field", "Account.Name:read"]);
    assert_eq!(err, format!("error: {path}:2: IsPermissionable is `maybe`: expected true or false\n"));
    let json = run(&["gen", "--for", "jetstream", "--feature", "data", "--fields", path, "--json"]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!((doc["status"].as_i64(), doc["name"].as_str()), (Some(2), Some("FieldListError")), "{doc}");
}

#[test]
fn init_refuses_the_flags_sfperms_toml_cannot_keep() {
    let dir = tempfile::tempdir().unwrap();
    let output = crate::common::sfperms()
        .current_dir(dir.path())
        .args(["init", "--for", "jetstream", "--feature", "data", "--fields", ORG_FIELDS_CSV, "--integration-user"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: --fields, --integration-user cannot be kept in sfperms.toml: give it to `sfperms gen` on the command line\n"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing written");
}

#[test]
fn fmt_check_keeps_a_line_break_typed_in_setup_and_normalises_crlf_files() {
    let dir = tempfile::tempdir().unwrap();
    let retrieved = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <description>first line\r\nsecond line</description>\n    <hasActivationRequired>false</hasActivationRequired>\n    <label>Typed In Setup</label>\n</PermissionSet>\n";
    let untouched = dir.path().join("Typed_In_Setup.permissionset-meta.xml");
    std::fs::write(&untouched, retrieved).unwrap();
    let output = run(&["fmt", "--check", untouched.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "a retrieve as Salesforce wrote it: {}", stdout(&output));

    let crlf = dir.path().join("Crlf.permissionset-meta.xml");
    std::fs::write(&crlf, retrieved.replace("\r\n", "\n").replace('\n', "\r\n")).unwrap();
    let output = run(&["fmt", "--check", crlf.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "CRLF throughout is normalised: {}", stdout(&output));
}

/// `explain` states no platform fact without its source: each mapping of an object that takes no
/// object permissions, and each "also required by" line, says where the rule comes from.
#[test]
fn explain_gives_the_source_of_each_platform_fact() {
    for request in [
        &["explain", "--for", "planhat", "--sync", "two-way"][..],
        &["explain", "--for", "gong", "--feature", "all", "--export-activities", "tasks-and-events"][..],
    ] {
        let (text, _) = ok_printed(request);
        let mut section = "";
        let mut checked = 0;
        for line in text.lines() {
            if !line.starts_with(' ') && !line.is_empty() {
                section = line;
                continue;
            }
            let mapping = ["Mapped:", "Nothing to grant:", "Left out:"].iter().any(|s| section.starts_with(s));
            if (mapping && line.starts_with("  ") && !line.starts_with("   "))
                || line.contains("is not an object permission")
            {
                assert!(line.contains(" (source: "), "{request:?}: no source in {line:?}");
                checked += 1;
            }
            if line.contains("also required by") {
                assert!(line.ends_with(')') && !line.contains("Salesforce's own rule"), "{request:?}: {line:?}");
                checked += 1;
            }
        }
        assert!(checked >= 5, "{request:?}: only {checked} platform lines found");
    }
}
