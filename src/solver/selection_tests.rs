//! What the admin may ask for, checked against one integration before anything is solved: the
//! `--object`/`--field` syntax, features (with `all` and implied ones), option values, defaults and
//! required options, ruled-out combinations, the Integration user licence and unknown user
//! permissions.

use crate::access::{FieldAccess, ObjectAccess};
use crate::catalog::Integration;
use crate::metadata::OutputKind;

use super::tests::{integration, select};
use super::{FieldRequest, Given, NameOf, ObjectRequest, SelectionError, resolve};

/// Features that imply one another, a required choice, options with defaults, and a ruled-out pair.
const CATALOG: &str = "[[feature]]
name = \"read\"
description = \"r\"

[[feature]]
name = \"write\"
description = \"w\"
implies = [\"read\"]

[[feature]]
name = \"admin\"
description = \"a\"
implies = [\"write\"]

[[feature]]
name = \"logs\"
description = \"l\"

[[option]]
name = \"sync\"
description = \"s\"
values = [\"one-way\", \"two-way\"]
required = true

[[option]]
name = \"mode\"
description = \"m\"
values = [\"plain\", \"fancy\"]
default = \"plain\"

[[option]]
name = \"log-object\"
kind = \"object\"
default = \"Log__c\"
description = \"l\"

[[option]]
name = \"log-field\"
kind = \"field\"
description = \"f\"

[[option]]
name = \"principal\"
kind = \"name\"
description = \"p\"

[[rule-out]]
when = { sync = \"one-way\", mode = \"fancy\" }
message = \"fancy needs two-way\"
source = \"Nothing else.\"

[[require]]
source = \"The log object needs Read.\"
feature = [\"read\", \"write\", \"admin\", \"logs\"]
objects = { \"{log-object}\" = \"read\" }
";

fn catalog() -> Integration {
    integration(CATALOG)
}

fn two_way(features: &[&str]) -> super::Selection {
    select(features, &[("sync", "two-way")])
}

#[test]
fn an_object_request_is_a_name_and_an_optional_comma_list_of_accesses() {
    let plain = ObjectRequest::parse("Account").unwrap();
    assert_eq!((plain.object.as_str(), plain.access.clone()), ("Account", None));
    assert_eq!(plain.to_string(), "Account");
    let with = ObjectRequest::parse("ns__Thing__c:read,edit").unwrap();
    assert_eq!(with.object, "ns__Thing__c");
    assert_eq!(with.access, Some(vec![ObjectAccess::Read, ObjectAccess::Edit]));
    assert_eq!(with.to_string(), "ns__Thing__c:read,edit");

    for bad in ["1Account", "_Account", "Acc-ount", "Account Team", ""] {
        match ObjectRequest::parse(bad) {
            Err(SelectionError::BadName { what: NameOf::Object, value, .. }) => assert_eq!(value, bad),
            other => panic!("{bad}: {other:?}"),
        }
    }
    match ObjectRequest::parse("Account:read,write") {
        Err(SelectionError::BadAccess { given, message }) => {
            assert_eq!(given, Given::Object("Account:read,write".into()));
            assert!(
                message.ends_with(&format!("use a comma list of {}", ObjectAccess::words().join(", "))),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_field_request_is_object_dot_field_and_an_optional_read_or_edit() {
    let plain = FieldRequest::parse("Account.Rating").unwrap();
    assert_eq!((plain.field.as_str(), plain.access), ("Account.Rating", None));
    assert_eq!(plain.to_string(), "Account.Rating");
    let edit = FieldRequest::parse("Account.Planhat_Id__c:edit").unwrap();
    assert_eq!((edit.field.as_str(), edit.access), ("Account.Planhat_Id__c", Some(FieldAccess::Edit)));
    assert_eq!(edit.to_string(), "Account.Planhat_Id__c:edit");
    assert_eq!(FieldRequest::parse("Account.Rating:read").unwrap().access, Some(FieldAccess::Read));

    match FieldRequest::parse("Rating") {
        Err(SelectionError::BadName { what: NameOf::Field, value, why }) => {
            assert_eq!(value, "Rating");
            assert!(why.contains("Object.Field"), "{why}");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        FieldRequest::parse("9Account.Rating"),
        Err(SelectionError::BadName { what: NameOf::Object, .. })
    ));
    assert!(matches!(FieldRequest::parse("Account.Rat-ing"), Err(SelectionError::BadName { what: NameOf::Field, .. })));
    match FieldRequest::parse("Account.Rating:write") {
        Err(SelectionError::BadAccess { given, .. }) => assert_eq!(given, Given::Field("Account.Rating:write".into())),
        other => panic!("{other:?}"),
    }
}

#[test]
fn features_are_checked_all_means_every_one_and_implied_ones_follow() {
    let t = catalog();
    let features =
        |asked: &[&str]| -> Vec<String> { resolve(&t, &two_way(asked)).unwrap().features.into_iter().collect() };
    assert_eq!(features(&[]), Vec::<String>::new());
    assert_eq!(features(&["logs"]), ["logs"]);
    assert_eq!(features(&["admin"]), ["admin", "read", "write"], "implied, and what they imply");
    assert_eq!(features(&["all"]), ["admin", "logs", "read", "write"]);

    match resolve(&t, &two_way(&["wrote"])) {
        Err(SelectionError::UnknownFeature { integration, name, hint, allowed }) => {
            assert_eq!((integration.as_str(), name.as_str()), ("t", "wrote"));
            assert!(hint.contains("write"), "{hint}");
            assert_eq!(allowed, "read, write, admin, logs, all");
        }
        other => panic!("{other:?}"),
    }
    let featureless = integration("");
    assert_eq!(
        resolve(&featureless, &select(&["read"], &[])).unwrap_err(),
        SelectionError::NoFeatures { integration: "t".into() }
    );
    assert!(resolve(&featureless, &select(&["all"], &[])).unwrap().features.is_empty());
}

#[test]
fn option_values_are_checked_by_kind_and_defaults_fill_in() {
    let t = catalog();
    let resolved = resolve(&t, &two_way(&[])).unwrap();
    let options: Vec<(&str, &str)> = resolved.options.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(options, [("log-object", "Log__c"), ("mode", "plain"), ("sync", "two-way")], "no default, no value");

    let given = resolve(&t, &select(&[], &[("sync", "one-way"), ("log-object", "Other__c")])).unwrap();
    assert_eq!(given.options["log-object"], "Other__c");
    assert_eq!(given.options["sync"], "one-way");

    match resolve(&t, &select(&[], &[("sync", "both-ways")])) {
        Err(SelectionError::BadOptionValue { option, value, allowed, .. }) => {
            assert_eq!((option.as_str(), value.as_str(), allowed.as_str()), ("sync", "both-ways", "one-way, two-way"));
        }
        other => panic!("{other:?}"),
    }
    match resolve(&t, &select(&[], &[("sync", "two-way"), ("colour", "red")])) {
        Err(SelectionError::UnknownOption { name, options, .. }) => {
            assert_eq!(name, "colour");
            assert_eq!(options, ["sync", "mode", "log-object", "log-field", "principal"]);
        }
        other => panic!("{other:?}"),
    }
    for (option, value) in [("log-object", "Log c"), ("log-field", "1Field")] {
        match resolve(&t, &select(&[], &[("sync", "two-way"), (option, value)])) {
            Err(SelectionError::BadName { what: NameOf::Option(name), value: bad, .. }) => {
                assert_eq!((name.as_str(), bad.as_str()), (option, value));
            }
            other => panic!("{option}: {other:?}"),
        }
    }
    assert!(resolve(&t, &select(&[], &[("sync", "two-way"), ("log-field", "Rating__c")])).is_ok());
    assert!(resolve(&t, &select(&[], &[("sync", "two-way"), ("principal", "Any name, spaces too")])).is_ok());
    match resolve(&t, &select(&[], &[("sync", "two-way"), ("principal", "  ")])) {
        Err(SelectionError::BadName { what: NameOf::Option(name), why, .. }) => {
            assert_eq!((name.as_str(), why.as_str()), ("principal", "it is empty"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_required_option_without_a_value_is_refused_saying_what_it_takes() {
    let t = catalog();
    assert_eq!(
        resolve(&t, &select(&[], &[])).unwrap_err(),
        SelectionError::MissingOption {
            integration: "t".into(),
            option: "sync".into(),
            allowed: "one-way, two-way".into()
        }
    );
    for (kind, allowed) in [("object", "an object API name"), ("field", "a field API name"), ("name", "a name")] {
        let t = integration(&format!(
            "[[option]]\nname = \"it\"\nkind = \"{kind}\"\nrequired = true\ndescription = \"d\"\n"
        ));
        match resolve(&t, &select(&[], &[])) {
            Err(SelectionError::MissingOption { option, allowed: said, .. }) => {
                assert_eq!((option.as_str(), said.as_str()), ("it", allowed));
            }
            other => panic!("{kind}: {other:?}"),
        }
    }
}

#[test]
fn a_ruled_out_combination_is_refused_only_when_every_value_matches() {
    let t = catalog();
    match resolve(&t, &select(&[], &[("sync", "one-way"), ("mode", "fancy")])) {
        Err(SelectionError::RuledOut { message, source_quote }) => {
            assert_eq!((message.as_str(), source_quote.as_str()), ("fancy needs two-way", "Nothing else."));
        }
        other => panic!("{other:?}"),
    }
    assert!(resolve(&t, &select(&[], &[("sync", "two-way"), ("mode", "fancy")])).is_ok());
    assert!(resolve(&t, &select(&[], &[("sync", "one-way"), ("mode", "plain")])).is_ok());
}

#[test]
fn the_output_kind_is_the_admins_choice_else_the_catalogs() {
    let t = catalog();
    assert_eq!(resolve(&t, &two_way(&[])).unwrap().output, OutputKind::PermissionSet);
    let mut as_profile = two_way(&[]);
    as_profile.output = Some(OutputKind::Profile);
    assert_eq!(resolve(&t, &as_profile).unwrap().output, OutputKind::Profile);
    let profile_first = integration("output = \"profile\"\n");
    assert_eq!(resolve(&profile_first, &select(&[], &[])).unwrap().output, OutputKind::Profile);
}

#[test]
fn an_integration_user_is_refused_where_the_vendor_refuses_the_licence_or_a_profile_is_asked() {
    let mut asked = select(&[], &[]);
    asked.integration_user = true;
    let refuses = integration("[integration-licence]\naccepts = false\nsource = \"Nothing else.\"\n");
    assert_eq!(
        resolve(&refuses, &asked).unwrap_err(),
        SelectionError::IntegrationLicenceRejected { integration: "t".into(), source_quote: "Nothing else.".into() }
    );
    let accepts = integration("[integration-licence]\naccepts = true\nsource = \"Nothing else.\"\n");
    assert!(resolve(&accepts, &asked).unwrap().integration_user);
    assert!(resolve(&integration(""), &asked).is_ok(), "a vendor that does not say is warned about, not refused");
    asked.output = Some(OutputKind::Profile);
    assert_eq!(resolve(&accepts, &asked).unwrap_err(), SelectionError::IntegrationUserProfile);
    // Without --integration-user, neither applies.
    assert!(resolve(&refuses, &select(&[], &[])).is_ok());
}

#[test]
fn a_user_permission_must_be_one_sfperms_knows_with_a_did_you_mean() {
    let t = integration("");
    let mut asked = select(&[], &[]);
    asked.user_permissions = vec!["ApiEnabled".into(), "ModifyMetaData".into()];
    assert_eq!(
        resolve(&t, &asked).unwrap_err(),
        SelectionError::UnknownUserPermission {
            name: "ModifyMetaData".into(),
            hint: "; did you mean `ModifyMetadata`?".into()
        }
    );
    asked.user_permissions = vec!["ApiEnabled".into(), "Zzzzqqq".into()];
    assert_eq!(
        resolve(&t, &asked).unwrap_err(),
        SelectionError::UnknownUserPermission { name: "Zzzzqqq".into(), hint: String::new() }
    );
    asked.user_permissions = vec!["ApiEnabled".into()];
    assert_eq!(resolve(&t, &asked).unwrap().user_permissions, ["ApiEnabled"]);
}
