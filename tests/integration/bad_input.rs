//! Bad input: every error exits 2, names what is wrong and says what to do instead.

use crate::common::{input_error, run, stderr};

#[test]
fn unknown_integration_suggests_the_closest() {
    let err = input_error(&["gen", "--for", "planhatt", "--sync", "two-way"]);
    assert!(err.contains("unknown integration `planhatt`"), "{err}");
    assert!(err.contains("did you mean `planhat`"), "{err}");
    assert!(err.contains("jetstream"), "{err}");
}

#[test]
fn unknown_feature_lists_the_features() {
    let err = input_error(&["gen", "--for", "jetstream", "--feature", "deploi"]);
    assert!(err.contains("no feature `deploi`"), "{err}");
    assert!(err.contains("did you mean `deploy`"), "{err}");
    assert!(err.contains("hard-delete"), "{err}");
}

#[test]
fn bad_option_value_lists_the_values() {
    let err = input_error(&["gen", "--for", "planhat", "--sync", "both"]);
    assert!(err.contains("`--sync both` is not allowed"), "{err}");
    assert!(err.contains("receive-only, two-way"), "{err}");
}

#[test]
fn missing_required_option() {
    let err = input_error(&["gen", "--for", "planhat"]);
    assert!(err.contains("needs `--sync`"), "{err}");
}

#[test]
fn option_of_another_integration() {
    let err = input_error(&["gen", "--for", "jetstream", "--sync", "two-way"]);
    assert!(err.contains("`--sync` is not an option of `jetstream`"), "{err}");
}

#[test]
fn bad_object_access_word() {
    let err = input_error(&["gen", "--for", "jetstream", "--feature", "data", "--object", "Account:write"]);
    assert!(err.contains("`write` is not an object access word"), "{err}");
    assert!(err.contains("read, create, edit, delete, view-all, modify-all"), "{err}");
}

#[test]
fn object_without_access_where_none_is_implied() {
    let err = input_error(&["gen", "--for", "jetstream", "--object", "Account"]);
    assert!(err.contains("--object Account:read"), "{err}");
}

#[test]
fn bad_permission_set_name() {
    let err = input_error(&["gen", "--for", "jetstream", "--name", "Jet Stream"]);
    assert!(err.contains("not a valid API name"), "{err}");
}

#[test]
fn check_needs_a_target() {
    let err = input_error(&["gen", "--for", "jetstream", "--check"]);
    assert!(err.contains("--output-dir"), "{err}");
}

#[test]
fn misspelt_permission_in_a_catalog_is_caught_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let toml = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/profiles/jetstream.toml")).unwrap();
    let broken = toml.replace("user-permissions = [\"BulkApiHardDelete\"]", "user-permissions = [\"ManageFlows\"]");
    assert_ne!(toml, broken);
    let line = broken.lines().position(|l| l.contains("ManageFlows")).unwrap() + 1;
    std::fs::write(dir.path().join("jetstream.toml"), broken).unwrap();
    let output = run(&["--catalog", dir.path().to_str().unwrap(), "list"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains(&format!("jetstream.toml:{line}: unknown user permission `ManageFlows`")), "{err}");
    assert!(err.contains("did you mean `ManageInteraction` (Manage Flow)"), "{err}");
}

#[test]
fn a_quote_not_in_the_vendor_document_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let toml = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/profiles/jetstream.toml")).unwrap();
    let broken =
        toml.replace("Salesforce requires the Bulk API Hard Delete", "Salesforce demands the Bulk API Hard Delete");
    std::fs::write(dir.path().join("jetstream.toml"), broken).unwrap();
    let output = run(&["--catalog", dir.path().to_str().unwrap(), "list"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("does not occur in the vendor document"), "{}", stderr(&output));
}

#[test]
fn unknown_catalog_key_is_an_error_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let toml = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/profiles/jetstream.toml")).unwrap();
    let broken = toml.replacen("default-label", "defalt-label", 1);
    std::fs::write(dir.path().join("jetstream.toml"), broken).unwrap();
    let output = run(&["--catalog", dir.path().to_str().unwrap(), "list"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("unknown field `defalt-label`"), "{}", stderr(&output));
}

#[test]
fn combinations_the_page_rules_out_are_errors_with_the_sentence() {
    let err = input_error(&["gen", "--for", "external-credential", "--protocol", "custom", "--identity", "per-user"]);
    assert!(err.contains("--protocol custom supports only --identity named-principal"), "{err}");
    assert!(
        err.contains("The Custom authentication protocol supports only the Named Principal identity type."),
        "{err}"
    );

    let err = input_error(&["explain", "--for", "external-credential", "--protocol", "none", "--identity", "per-user"]);
    assert!(err.contains("The No Authentication protocol supports only the Named Principal identity type."), "{err}");

    let err = input_error(&["gen", "--for", "external-credential", "--protocol", "oauth2", "--role", "admin"]);
    assert!(err.contains("OAuth 2.0 table lists only users making callouts"), "{err}");

    let err = input_error(&["gen", "--for", "external-credential", "--protocol", "jwt", "--role", "admin"]);
    assert!(err.contains("JWT table lists only users making callouts"), "{err}");

    let err =
        input_error(&["gen", "--for", "external-credential", "--protocol", "aws-sigv4", "--identity", "per-user"]);
    assert!(err.contains("no Per User Principal row"), "{err}");

    let err = input_error(&[
        "gen",
        "--for",
        "external-credential",
        "--protocol",
        "aws-sigv4",
        "--aws-variant",
        "sts",
        "--role",
        "admin",
    ]);
    assert!(err.contains("lists only users making callouts"), "{err}");

    let err = input_error(&["gen", "--for", "external-credential", "--protocol", "oauth2", "--aws-variant", "sts"]);
    assert!(err.contains("--aws-variant applies only to --protocol aws-sigv4"), "{err}");
}

#[test]
fn unknown_values_of_the_new_integrations_list_the_allowed_ones() {
    let err = input_error(&["gen", "--for", "external-credential", "--protocol", "oauth"]);
    assert!(err.contains("`--protocol oauth` is not allowed"), "{err}");
    assert!(err.contains("oauth2, aws-sigv4, custom, basic, jwt, none"), "{err}");

    let err = input_error(&["gen", "--for", "external-credential"]);
    assert!(err.contains("needs `--protocol`"), "{err}");

    let err = input_error(&["gen", "--for", "external-credential", "--protocol", "basic", "--identity", "per-person"]);
    assert!(err.contains("named-principal, per-user"), "{err}");

    let err = input_error(&["gen", "--for", "elements", "--mode", "manged"]);
    assert!(err.contains("did you mean `managed`"), "{err}");

    let err =
        input_error(&["gen", "--for", "elements", "--feature", "managed-package", "--batch-log-object", "Batch Log"]);
    assert!(err.contains("`Batch Log` is not a valid --batch-log-object name"), "{err}");

    let err = input_error(&["gen", "--for", "merge", "--feature", "incident"]);
    assert!(err.contains("did you mean `incidents`"), "{err}");
    assert!(
        err.contains("connected-apps, oauth-apps, contacts, accounts, users, cases, incidents, comments, all"),
        "{err}"
    );

    let err = input_error(&["gen", "--for", "merge", "--mode", "managed"]);
    assert!(err.contains("`--mode` is not an option of `merge`"), "{err}");
}

#[test]
fn a_bad_dependency_export_names_file_and_line() {
    let err =
        input_error(&["gen", "--for", "jetstream", "--dependencies", "tests/fixtures/dependencies/malformed.csv"]);
    assert!(
        err.contains("tests/fixtures/dependencies/malformed.csv:3: Permission `Account` is an object permission"),
        "{err}"
    );
    let err = input_error(&["explain", "--for", "jetstream", "--dependencies", "tests/fixtures/dependencies/none.csv"]);
    assert!(err.contains("none.csv: cannot read the PermissionDependency export"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deps.json");
    std::fs::write(&path, "{\"status\": 1, \"name\": \"INVALID_TYPE\", \"message\": \"sObject type 'PermissionDependency' is not supported.\"}").unwrap();
    let err = input_error(&["gen", "--for", "jetstream", "--dependencies", path.to_str().unwrap()]);
    assert!(err.contains("failed query (status 1)"), "{err}");
}

/// The solver names options and the admin's values; the CLI words them as the flags typed. Each
/// refusal is checked whole.
#[test]
fn each_refusal_names_the_flag_that_was_typed() {
    let cases: [(&[&str], &str); 7] = [
        (
            &["gen", "--for", "jetstream", "--sync", "two-way"],
            "`--sync` is not an option of `jetstream`; it takes no options",
        ),
        (
            &["gen", "--for", "planhat", "--sync", "two-way", "--mode", "x"],
            "`--mode` is not an option of `planhat`; its options are: --sync, --subscription-object, --account-filter-field, --contact-filter-field",
        ),
        (
            &["gen", "--for", "jetstream", "--object", "Account"],
            "--object Account: say which access, e.g. `--object Account:read` (`jetstream` has no default access for it with the features and options chosen)",
        ),
        (
            &["gen", "--for", "jetstream", "--field", "Account.Name"],
            "--field Account.Name: say which access, e.g. `--field Account.Name:read` (`jetstream` has no default access for it with the features and options chosen)",
        ),
        (
            &["gen", "--for", "jetstream", "--object", "Account:bogus"],
            "--object Account:bogus: `bogus` is not an object access word; use a comma list of read, create, edit, delete, view-all, modify-all",
        ),
        (
            &["gen", "--for", "jetstream", "--field", "Account.Name:write"],
            "--field Account.Name:write: `write` is not a field access word; use `read` or `edit`",
        ),
        (
            &["gen", "--for", "elements", "--feature", "managed-package", "--batch-log-object", "1x"],
            "`1x` is not a valid --batch-log-object name: API names start with a letter and hold only letters, digits and underscores",
        ),
    ];
    for (args, message) in cases {
        assert_eq!(input_error(args), format!("error: {message}\n"), "sfperms {args:?}");
    }
}
