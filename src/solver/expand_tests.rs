//! How requirements become grants (`expand`): objects through the platform's object rules, fields
//! through the field rules and the org's field list, placeholders filled from the admin's
//! `--object`/`--field`, and what the admin asks for outside any requirement.

use crate::access::{FieldAccess, Item, ObjectAccess};
use crate::platform::dependencies::DependencyTable;

use super::tests::{integration, select};
use super::{
    Asked, FieldRequest, Given, NoteKind, NoteText, ObjectRequest, Plan, Reason, Selection, SelectionError, Warning,
    solve,
};

fn solved(body: &str, selection: &Selection) -> Result<Plan, SelectionError> {
    solve(&integration(body), selection, &DependencyTable::empty("none (a test)"))
}

/// A requirement granting `grants` (TOML keys), quoting a sentence of the test document.
fn requiring(grants: &str) -> String {
    format!("[[require]]\nsource = \"Nothing else.\"\n{grants}\n")
}

fn plan_of(grants: &str) -> Plan {
    solved(&requiring(grants), &select(&[], &[])).unwrap()
}

/// The grants a requirement or the admin asked for (not those Salesforce's rules pulled in), in
/// the plan's order.
fn direct(plan: &Plan) -> Vec<&Item> {
    plan.grants
        .iter()
        .filter(|(_, reasons)| reasons.iter().any(|r| !matches!(r, Reason::Dependency { .. })))
        .map(|(item, _)| item)
        .collect()
}

fn notes(plan: &Plan) -> Vec<(NoteKind, &str)> {
    plan.notes.iter().map(|n| (n.kind.clone(), n.subject.as_str())).collect()
}

fn object(name: &str, access: ObjectAccess) -> Item {
    Item::Object(name.into(), access)
}

#[test]
fn an_object_without_object_permissions_follows_its_row_grant_parent_implicit_or_unsupported() {
    let plan = plan_of("objects = { Task = \"read,edit,view-all\", OpportunityLineItem = \"edit\" }");
    assert_eq!(direct(&plan), [&Item::UserPermission("EditTask".into()), &object("Opportunity", ObjectAccess::Edit)]);
    match plan.grants[&Item::UserPermission("EditTask".into())].as_slice() {
        [Reason::Requirement { via: Some(via), .. }] => {
            assert!(via.starts_with("Edit Task is not an object permission: creating and editing tasks"), "{via}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        notes(&plan),
        [
            (NoteKind::Mapped, "Edit OpportunityLineItem"),
            (NoteKind::Implicit, "Read Task"),
            (NoteKind::Mapped, "Edit Task"),
            (NoteKind::Unsupported, "View All Task"),
        ]
    );
    let mapped = plan.notes.iter().find(|n| n.subject == "Edit OpportunityLineItem").unwrap();
    assert!(matches!(&mapped.message, NoteText::Words(w) if w.starts_with("granted as Edit Opportunity: ")));
    assert!(
        plan.warnings.iter().any(|w| matches!(w, Warning::NotGranted { subject, .. } if subject == "View All Task")),
        "{:?}",
        plan.warnings
    );
    assert!(plan.warnings.iter().all(|w| !w.unverified()), "every row used is verified: {:?}", plan.warnings);

    let unverified = plan_of("objects = { Note = \"read\" }");
    assert!(unverified.grants.is_empty());
    assert!(
        matches!(unverified.warnings.as_slice(), [Warning::UnverifiedObjectRule { object, .. }] if object == "Note")
    );
}

#[test]
fn an_object_name_is_written_in_true_case_and_an_unknown_standard_one_is_granted_with_a_warning() {
    let plan = plan_of("objects = { account = \"read\", Widget = \"read\", Thing__c = \"read\" }");
    assert_eq!(
        direct(&plan),
        [
            &object("Account", ObjectAccess::Read),
            &object("Thing__c", ObjectAccess::Read),
            &object("Widget", ObjectAccess::Read)
        ]
    );
    let unknown: Vec<&str> = plan
        .warnings
        .iter()
        .filter_map(|w| match w {
            Warning::UnknownStandardObject { object, .. } => Some(object.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(unknown, ["Widget"], "a custom object or a known standard one is not warned about");
}

#[test]
fn a_flag_the_object_does_not_take_is_left_out_with_a_warning() {
    let plan = plan_of("objects = { Thing__e = \"read,edit\" }");
    assert_eq!(direct(&plan), [&object("Thing__e", ObjectAccess::Read)]);
    assert_eq!(notes(&plan), [(NoteKind::Unsupported, "Edit Thing__e")]);
    assert!(matches!(plan.warnings.as_slice(), [Warning::NotGranted { subject, .. }] if subject == "Edit Thing__e"));
}

#[test]
fn a_custom_metadata_type_is_read_access_only_and_an_associated_object_is_refused() {
    let plan = plan_of("objects = { Rate__mdt = \"read,edit\" }");
    assert_eq!(direct(&plan), [&Item::CustomMetadataType("Rate__mdt".into())]);
    assert_eq!(notes(&plan), [(NoteKind::Reduced, "Edit Rate__mdt")]);
    assert!(
        matches!(plan.warnings.as_slice(), [Warning::MetadataTypeReadOnly { subject, .. }] if subject == "Edit Rate__mdt")
    );
    let read_only = plan_of("objects = { Rate__mdt = \"read\" }");
    assert!(read_only.warnings.is_empty() && read_only.notes.is_empty());

    match solved(&requiring("objects = { AccountShare = \"read\" }"), &select(&[], &[])) {
        Err(SelectionError::NoObjectPermissions { object, .. }) => assert_eq!(object, "AccountShare"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn fields_follow_the_field_rules() {
    let plan = plan_of(
        "fields = { \"Account.Name\" = \"read\", \"Account.BillingCity\" = \"edit\", \"Account.NoSuchField\" = \"read\", \"Campaign.NumberOfContacts\" = \"edit\", \"Lead.LastName\" = \"read\" }",
    );
    assert_eq!(
        direct(&plan),
        [
            &Item::Field("Account.BillingAddress".into(), FieldAccess::Edit),
            &Item::Field("Account.NoSuchField".into(), FieldAccess::Read),
            &Item::Field("Campaign.NumberOfContacts".into(), FieldAccess::Read),
        ],
        "a required field is left out, a component goes to its compound, a read-only field is read"
    );
    assert_eq!(
        notes(&plan),
        [
            (NoteKind::Mapped, "Account.BillingCity"),
            (NoteKind::AlwaysAccessible, "Account.Name"),
            (NoteKind::Reduced, "Campaign.NumberOfContacts"),
            (NoteKind::AlwaysAccessible, "Lead.LastName"),
        ]
    );
    let kinds: Vec<&str> = plan
        .warnings
        .iter()
        .map(|w| match w {
            Warning::UnknownField { field } => field.as_str(),
            Warning::FieldReadNotEdit { field, .. } => field.as_str(),
            Warning::UnverifiedFieldRule { field, .. } => field.as_str(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(kinds, ["Account.NoSuchField", "Campaign.NumberOfContacts", "Lead.LastName"]);

    match solved(&requiring("fields = { \"Account.AcountNumber\" = \"read\" }"), &select(&[], &[])) {
        Err(SelectionError::UnknownField { field, suggestion }) => {
            assert_eq!((field.as_str(), suggestion.as_str()), ("Account.AcountNumber", "Account.AccountNumber"))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_orgs_field_list_decides_for_the_objects_it_lists() {
    let list = crate::platform::field_export::parse(
        "fields.csv",
        "EntityDefinition.QualifiedApiName,QualifiedApiName,IsPermissionable\nAccount,Rating,true\nAccount,Name,false\nAccount,Secret__c,false\nCampaign,NumberOfContacts,true\n",
    )
    .unwrap();
    let mut selection = select(&[], &[]);
    selection.org_fields = Some(list);
    let body = requiring(
        "fields = { \"account.rating\" = \"edit\", \"Account.Secret__c\" = \"read\", \"Contact.Email\" = \"read\", \"Campaign.NumberOfContacts\" = \"edit\" }",
    );
    let plan = solved(&body, &selection).unwrap();
    assert_eq!(
        direct(&plan),
        [
            &Item::Field("Account.Rating".into(), FieldAccess::Edit),
            &Item::Field("Campaign.NumberOfContacts".into(), FieldAccess::Read),
            &Item::Field("Contact.Email".into(), FieldAccess::Read),
        ],
        "the list's name and its verdict for Account; a field Admin holds read-only is still read; Contact is not in the list"
    );
    assert_eq!(
        notes(&plan),
        [(NoteKind::AlwaysAccessible, "Account.Secret__c"), (NoteKind::Reduced, "Campaign.NumberOfContacts")]
    );
    assert!(plan.warnings.contains(&Warning::OrgFieldListMeaning));

    match solved(&requiring("fields = { \"Account.Ratings\" = \"read\" }"), &selection) {
        Err(SelectionError::NotInOrgFields { field, hint, .. }) => {
            assert_eq!((field.as_str(), hint.as_str()), ("Account.Ratings", "; did you mean `Account.Rating`?"))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_admins_objects_and_fields_fill_the_placeholders_with_their_own_access_where_given() {
    let body = "[[require]]\nsource = \"The log object needs Read.\"\nobjects = { \"{object}\" = \"read\" }\nfields = { \"{field}\" = \"read\" }\n";
    let mut selection = select(&[], &[]);
    selection.objects = vec![ObjectRequest::parse("Account").unwrap(), ObjectRequest::parse("Contact:edit").unwrap()];
    selection.fields =
        vec![FieldRequest::parse("Account.Rating").unwrap(), FieldRequest::parse("Contact.Title:edit").unwrap()];
    let plan = solved(body, &selection).unwrap();
    let asked_of = |item: Item| match plan.grants[&item].as_slice() {
        [Reason::Requirement { asked, .. }, ..] => asked.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(asked_of(object("Account", ObjectAccess::Read)), None, "the requirement's access");
    assert_eq!(asked_of(object("Contact", ObjectAccess::Edit)), Some(Asked::Object(selection.objects[1].clone())));
    assert_eq!(asked_of(Item::Field("Account.Rating".into(), FieldAccess::Read)), None);
    assert_eq!(
        asked_of(Item::Field("Contact.Title".into(), FieldAccess::Edit)),
        Some(Asked::Field(selection.fields[1].clone()))
    );
    assert_eq!(direct(&plan).len(), 4);
}

#[test]
fn what_no_requirement_takes_is_granted_as_the_admins_own_choice_and_needs_an_access() {
    let mut selection = select(&[], &[]);
    selection.objects = vec![ObjectRequest::parse("Account:read").unwrap()];
    selection.fields = vec![FieldRequest::parse("Account.Rating:edit").unwrap()];
    selection.user_permissions = vec!["ApiEnabled".into()];
    let plan = solved("", &selection).unwrap();
    let asked: Vec<(&Item, &Asked)> = direct(&plan)
        .into_iter()
        .map(|item| match plan.grants[item].as_slice() {
            [Reason::CommandLine { asked }, ..] => (item, asked),
            other => panic!("{item}: {other:?}"),
        })
        .collect();
    assert_eq!(
        asked,
        [
            (&Item::UserPermission("ApiEnabled".into()), &Asked::UserPermission("ApiEnabled".into())),
            (&object("Account", ObjectAccess::Read), &Asked::Object(selection.objects[0].clone())),
            (&Item::Field("Account.Rating".into(), FieldAccess::Edit), &Asked::Field(selection.fields[0].clone())),
        ]
    );

    let mut no_access = select(&[], &[]);
    no_access.objects = vec![ObjectRequest::parse("Account").unwrap()];
    assert_eq!(
        solved("", &no_access).unwrap_err(),
        SelectionError::NeedsAccess {
            given: Given::Object("Account".into()),
            integration: "t".into(),
            context: String::new()
        }
    );
    let mut no_field_access = select(&[], &[]);
    no_field_access.fields = vec![FieldRequest::parse("Account.Rating").unwrap()];
    let feature_only = "[[feature]]\nname = \"f\"\ndescription = \"f\"\n\n[[require]]\nsource = \"Nothing else.\"\nfeature = \"f\"\nfields = { \"{field}\" = \"read\" }\n";
    assert_eq!(
        solved(feature_only, &no_field_access).unwrap_err(),
        SelectionError::NeedsAccess {
            given: Given::Field("Account.Rating".into()),
            integration: "t".into(),
            context: " with the features and options chosen".into()
        },
        "the integration takes {{field}}, but not with what was chosen"
    );
}

#[test]
fn catalog_notes_and_warnings_apply_under_their_conditions() {
    let body = "[[feature]]\nname = \"f\"\ndescription = \"f\"\n\n[[require]]\nsource = \"Nothing else.\"\nuser-permissions = [\"ApiEnabled\"]\n\n[[unmapped]]\nsource = \"Write means Create.\"\nreason = \"no grant says it\"\nfeature = \"f\"\n\n[[warning]]\nmessage = \"mind f\"\nfeature = \"f\"\n";
    let without = solved(body, &select(&[], &[])).unwrap();
    assert!(without.notes.is_empty() && without.warnings.is_empty(), "{:?} {:?}", without.notes, without.warnings);
    let with = solved(body, &select(&["f"], &[])).unwrap();
    assert_eq!(notes(&with), [(NoteKind::NotMappable, "Write means Create.")]);
    assert_eq!(with.notes[0].message, NoteText::Words("no grant says it".into()));
    assert_eq!(with.warnings, [Warning::Catalog { message: "mind f".into() }]);
}

#[test]
fn an_alternative_reads_as_what_it_grants() {
    let body = "[[require]]\nsource = \"Nothing else.\"\nany-of = [{ fields = { \"Account.Rating\" = \"edit\" } }, { fields = { \"Account.Rating\" = \"read\" }, objects = { Contact = \"read\" } }]\n";
    let plan = solved(body, &select(&[], &[])).unwrap();
    let [choice] = plan.choices.as_slice() else { panic!("{:?}", plan.choices) };
    let labels: Vec<Vec<&str>> = choice.alternatives.iter().map(|a| a.iter().map(String::as_str).collect()).collect();
    assert_eq!(labels, [vec!["Edit Account.Rating"], vec!["Read Contact", "Read Account.Rating"]]);
}

#[test]
fn an_admins_request_that_only_yields_a_note_keeps_the_note() {
    let mut selection = select(&[], &[]);
    selection.objects = vec![ObjectRequest::parse("Note:read").unwrap()];
    let plan = solved("", &selection).unwrap();
    assert!(plan.grants.is_empty());
    assert_eq!(notes(&plan), [(NoteKind::Implicit, "Read Note")]);
}
