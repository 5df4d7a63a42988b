//! Solver behaviour on tiny hand-written catalogs: reasons and their chains, notes, warnings for
//! missing and unverified options, the "nothing granted" hint.

use std::collections::BTreeMap;

use crate::access::{Item, ObjectAccess};
use crate::catalog::{self, Integration};
use crate::platform::dependencies::DependencyTable;

use super::{ChainLink, Chosen, Context, NoteKind, NoteText, Reason, Selection, Warning, solve};

const DOCUMENT: &str = "Deploy needs Modify Metadata. Callers need the principal. The log object needs Read. \
    Write means Create. Nothing else.";

pub(super) fn integration(body: &str) -> Integration {
    let documents = BTreeMap::from([("doc.txt".to_string(), DOCUMENT.to_string())]);
    let text = format!(
        "id = \"t\"\nname = \"T\"\nsummary = \"s\"\ndocument = \"doc.txt\"\ntitle = \"T\"\ndefault-name = \"T\"\ndefault-label = \"T\"\n{body}"
    );
    catalog::parse_integration(&text, &documents).unwrap_or_else(|e| panic!("{e:?}"))
}

pub(super) fn select(features: &[&str], options: &[(&str, &str)]) -> Selection {
    Selection {
        features: features.iter().map(|f| f.to_string()).collect(),
        options: options.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        ..Selection::default()
    }
}

#[test]
fn a_dependency_carries_its_chain_back_to_the_feature() {
    let t = integration(
        "[[feature]]\nname = \"deploy\"\ndescription = \"d\"\n\n[[require]]\nsource = \"Deploy needs Modify Metadata.\"\nfeature = \"deploy\"\nuser-permissions = [\"ModifyMetadata\"]\n",
    );
    let plan = solve(&t, &select(&["deploy"], &[]), DependencyTable::builtin()).unwrap();
    let reasons = &plan.grants[&Item::UserPermission("ViewRoles".into())];
    match &reasons[0] {
        Reason::Dependency { of, chain, .. } => {
            assert_eq!(of, "ViewSetup");
            let feature = ChainLink::Context(Context::When(vec![Chosen::Features(vec!["deploy".into()])]));
            let grant = |name: &str| ChainLink::Grant(name.into());
            assert_eq!(chain, &[grant("ViewSetup"), grant("ModifyMetadata"), feature]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_requirement_note_says_how_the_words_became_the_grant() {
    let t = integration(
        "[[require]]\nsource = \"Write means Create.\"\nobjects = { Account = \"create\" }\nnote = \"Write is Create\"\n",
    );
    let plan = solve(&t, &select(&[], &[]), DependencyTable::builtin()).unwrap();
    match &plan.grants[&Item::Object("Account".into(), ObjectAccess::Create)][0] {
        Reason::Requirement { via, .. } => assert_eq!(via.as_deref(), Some("Write is Create")),
        other => panic!("{other:?}"),
    }
}

const PRINCIPAL: &str = "[[option]]\nname = \"credential\"\nkind = \"name\"\ndescription = \"c\"\n\n[[option]]\nname = \"principal\"\nkind = \"name\"\ndescription = \"p\"\n\n[[require]]\nsource = \"Callers need the principal.\"\nexternal-credential-principals = [\"{credential}-{principal}\"]\n";

#[test]
fn a_name_whose_options_are_missing_is_reported_not_dropped() {
    let t = integration(PRINCIPAL);
    let plan = solve(&t, &select(&[], &[("principal", "P")]), DependencyTable::builtin()).unwrap();
    assert!(plan.grants.is_empty());
    let note = plan.notes.iter().find(|n| n.kind == NoteKind::NeedsOption).expect("a note");
    assert_eq!(note.subject, "principal {credential}-{principal}");
    assert_eq!(note.message, NoteText::GiveOptions(vec!["credential".into()]));
    assert_eq!(
        plan.warnings,
        [Warning::NeedsOption {
            subject: "principal {credential}-{principal}".into(),
            options: vec!["credential".into()]
        }]
    );

    let plan = solve(&t, &select(&[], &[("credential", "C"), ("principal", "P")]), DependencyTable::builtin()).unwrap();
    assert!(plan.has(&Item::ExternalCredentialPrincipal("C-P".into())));
    assert!(plan.notes.iter().all(|n| n.kind != NoteKind::NeedsOption));
}

#[test]
fn an_unverified_default_is_a_warning_until_overridden() {
    let t = integration(
        "[[option]]\nname = \"log-object\"\nkind = \"object\"\ndefault = \"Q9__Log__c\"\ndescription = \"l\"\nunverified = \"a guess\"\n\n[[require]]\nsource = \"The log object needs Read.\"\nobjects = { \"{log-object}\" = \"read\" }\n",
    );
    let plan = solve(&t, &select(&[], &[]), DependencyTable::builtin()).unwrap();
    assert!(plan.has(&Item::Object("Q9__Log__c".into(), ObjectAccess::Read)));
    let default =
        Warning::UnverifiedDefault { option: "log-object".into(), default: "Q9__Log__c".into(), why: "a guess".into() };
    assert!(plan.warnings.contains(&default) && default.unverified(), "{:?}", plan.warnings);

    let plan = solve(&t, &select(&[], &[("log-object", "Q9__Real__c")]), DependencyTable::builtin()).unwrap();
    assert!(plan.has(&Item::Object("Q9__Real__c".into(), ObjectAccess::Read)));
    assert!(plan.warnings.iter().all(|w| !w.unverified()), "{:?}", plan.warnings);
}

#[test]
fn no_feature_selected_says_nothing_was_granted() {
    let t = integration(
        "[[feature]]\nname = \"deploy\"\ndescription = \"d\"\n\n[[require]]\nsource = \"Deploy needs Modify Metadata.\"\nfeature = \"deploy\"\nuser-permissions = [\"ModifyMetadata\"]\n",
    );
    let plan = solve(&t, &select(&[], &[]), DependencyTable::builtin()).unwrap();
    assert!(plan.grants.is_empty());
    let nothing = Warning::NothingGranted { integration: "t".into(), features: vec!["deploy".into()] };
    assert_eq!(plan.warnings, [nothing]);
}

#[test]
fn also_quotes_are_checked_and_counted_as_cited() {
    let documents = BTreeMap::from([("doc.txt".to_string(), DOCUMENT.to_string())]);
    let head = "id = \"t\"\nname = \"T\"\nsummary = \"s\"\ndocument = \"doc.txt\"\ntitle = \"T\"\ndefault-name = \"T\"\ndefault-label = \"T\"\n";
    let bad = format!(
        "{head}[[require]]\nsource = \"Deploy needs Modify Metadata.\"\nuser-permissions = [\"ModifyMetadata\"]\nalso = \"Deploy wants it.\"\n"
    );
    let errors = catalog::parse_integration(&bad, &documents).unwrap_err();
    assert!(errors[0].message.contains("`Deploy wants it.` does not occur"), "{errors:?}");

    let t = integration(
        "[[require]]\nsource = \"Deploy needs Modify Metadata.\"\nuser-permissions = [\"ModifyMetadata\"]\nalso = \"Nothing else.\"\n",
    );
    let uncited: Vec<String> =
        catalog::coverage::uncited(&t, &catalog::SourceDocument::parse("doc.txt", DOCUMENT).unwrap())
            .into_iter()
            .map(|s| s.text)
            .collect();
    assert_eq!(uncited, ["Callers need the principal.", "The log object needs Read.", "Write means Create."]);
}

#[test]
fn connects_through_api_grants_api_enabled_as_a_platform_requirement() {
    let t = integration("connects-through-api = true\n");
    let plan = solve(&t, &select(&[], &[]), DependencyTable::builtin()).unwrap();
    match plan.grants[&Item::UserPermission("ApiEnabled".into())].as_slice() {
        [Reason::Platform { need, source, .. }] => {
            assert_eq!(*need, crate::platform::needs::PlatformNeed::ConnectsThroughApi);
            assert!(source.contains("Security and the API"), "{source}");
        }
        other => panic!("{other:?}"),
    }
    let without = solve(&integration(""), &select(&[], &[]), DependencyTable::builtin()).unwrap();
    assert!(without.grants.is_empty());
}

#[test]
fn connection_keys_are_parsed_and_their_quotes_checked_with_the_line() {
    let t = integration(
        "[integration-licence]\naccepts = false\nsource = \"Nothing else.\"\nnote = \"n\"\n\n[connected-app]\nname = \"App\"\nsource = [\"Callers need the principal.\"]\n",
    );
    let licence = t.integration_licence.as_ref().unwrap();
    assert!(!licence.accepts);
    assert_eq!(licence.source.0, ["Nothing else."]);
    assert_eq!(licence.note.as_deref(), Some("n"));
    let app = t.connected_app.as_ref().unwrap();
    assert_eq!(app.name.as_deref(), Some("App"));
    let document = catalog::SourceDocument::parse("doc.txt", DOCUMENT).unwrap();
    let uncited: Vec<String> = catalog::coverage::uncited(&t, &document).into_iter().map(|s| s.text).collect();
    assert_eq!(uncited, ["Deploy needs Modify Metadata.", "The log object needs Read.", "Write means Create."]);

    let documents = BTreeMap::from([("doc.txt".to_string(), DOCUMENT.to_string())]);
    let head = "id = \"t\"\nname = \"T\"\nsummary = \"s\"\ndocument = \"doc.txt\"\ntitle = \"T\"\ndefault-name = \"T\"\ndefault-label = \"T\"\n";
    let bad = format!("{head}\n[connected-app]\nsource = \"Callers want it.\"\n");
    let errors = catalog::parse_integration(&bad, &documents).unwrap_err();
    assert_eq!(
        (errors[0].line, errors[0].message.contains("`Callers want it.` does not occur")),
        (10, true),
        "{errors:?}"
    );

    let no_verdict = format!("{head}[integration-licence]\nsource = \"Nothing else.\"\n");
    let errors = catalog::parse_integration(&no_verdict, &documents).unwrap_err();
    assert!(errors[0].message.contains("missing field `accepts`"), "{errors:?}");
    assert_eq!(errors[0].line, 8, "{errors:?}");

    let typo = format!("{head}[connected-app]\nsource = \"Nothing else.\"\nlabel = \"x\"\n");
    let errors = catalog::parse_integration(&typo, &documents).unwrap_err();
    assert!(errors[0].message.contains("unknown field `label`"), "{errors:?}");
    assert_eq!(errors[0].line, 10, "{errors:?}");
}

/// No dependencies at all: a grant costs its own rank (`privilege.tsv`) and pulls nothing in.
fn no_dependencies() -> DependencyTable {
    DependencyTable::empty("none (a test)")
}

#[test]
fn a_choice_is_recorded_only_where_the_vendor_offers_alternatives_and_marks_the_one_taken() {
    let t = integration(
        "[[require]]\nsource = \"Deploy needs Modify Metadata.\"\nany-of = [{ user-permissions = [\"ModifyAllData\"] }, { user-permissions = [\"ViewSetup\"] }]\n\n[[require]]\nsource = \"Nothing else.\"\nuser-permissions = [\"ApiEnabled\"]\n",
    );
    let plan = solve(&t, &select(&[], &[]), &no_dependencies()).unwrap();
    let [choice] = plan.choices.as_slice() else { panic!("one choice: {:?}", plan.choices) };
    assert_eq!(choice.alternatives, [vec!["ModifyAllData".to_string()], vec!["ViewSetup".to_string()]]);
    assert_eq!(choice.chosen, 1, "the least privileged alternative");
    assert_eq!(choice.quote.0, ["Deploy needs Modify Metadata."]);
    assert_eq!(choice.why, "ModifyAllData adds privilege 100 (not chosen); ViewSetup adds privilege 20 (chosen)");
    assert!(plan.has(&Item::UserPermission("ViewSetup".into())));
    assert!(!plan.has(&Item::UserPermission("ModifyAllData".into())));
}

#[test]
fn a_licence_bound_dependency_is_warned_about_not_granted_unless_granted_anyway() {
    let warned = |plan: &super::Plan| -> Vec<Item> {
        plan.warnings
            .iter()
            .filter_map(|w| match w {
                Warning::LicenceBound { item, requires, licence } => {
                    assert_eq!(item, &Item::UserPermission("ViewAllData".into()));
                    assert_eq!(licence, "Event Monitoring (Salesforce Shield)");
                    Some(requires.clone())
                }
                _ => None,
            })
            .collect()
    };
    let t = integration("[[require]]\nsource = \"Nothing else.\"\nuser-permissions = [\"ViewAllData\"]\n");
    let plan = solve(&t, &select(&[], &[]), DependencyTable::builtin()).unwrap();
    assert!(!plan.has(&Item::UserPermission("ViewDataLeakageEvents".into())));
    let both =
        [Item::UserPermission("ViewDataLeakageEvents".into()), Item::UserPermission("ViewPlatformEvents".into())];
    assert_eq!(warned(&plan), both);

    let t = integration(
        "[[require]]\nsource = \"Nothing else.\"\nuser-permissions = [\"ViewAllData\", \"ViewDataLeakageEvents\"]\n",
    );
    let plan = solve(&t, &select(&[], &[]), DependencyTable::builtin()).unwrap();
    assert_eq!(warned(&plan), [Item::UserPermission("ViewPlatformEvents".into())]);
}

#[test]
fn a_permission_only_an_org_export_names_is_granted_and_warned_about_with_its_rows() {
    let mut table = DependencyTable::empty("org export deps.csv");
    let row = |line| crate::platform::dependencies::DependencySource::OrgExport { file: "deps.csv".into(), line };
    let up = |name: &str| Item::UserPermission(name.into());
    table.add(up("ApiEnabled"), up("BrandNewPermission"), row(2));
    table.add(up("ApiEnabled"), up("ViewSetup"), row(3));
    let t = integration("[[require]]\nsource = \"Nothing else.\"\nuser-permissions = [\"ApiEnabled\"]\n");
    let plan = solve(&t, &select(&[], &[]), &table).unwrap();
    assert!(plan.has(&up("BrandNewPermission")) && plan.has(&up("ViewSetup")));
    let unknown: Vec<&Warning> =
        plan.warnings.iter().filter(|w| matches!(w, Warning::UnknownUserPermission { .. })).collect();
    assert_eq!(unknown, [&Warning::UnknownUserPermission { name: "BrandNewPermission".into(), from: vec![row(2)] }]);
}

#[test]
fn a_platform_need_the_vendor_implies_is_warned_about_until_its_permission_is_granted() {
    let need = "[[platform-need]]\nneed = \"deploys-apex\"\nsource = \"Deploy needs Modify Metadata.\"\n\n";
    let t = integration(&format!(
        "{need}[[require]]\nsource = \"Nothing else.\"\nuser-permissions = [\"ModifyMetadata\"]\n"
    ));
    let plan = solve(&t, &select(&[], &[]), &no_dependencies()).unwrap();
    let advice = crate::platform::needs::PlatformAdvice::DeploysApex;
    let quote = crate::catalog::Quote(vec!["Deploy needs Modify Metadata.".into()]);
    assert_eq!(plan.warnings, [Warning::PlatformNeedNotGranted { advice, quote }]);
    assert!(!plan.has(&Item::UserPermission("AuthorApex".into())), "advice, not a grant");

    let granted = integration(&format!(
        "{need}[[require]]\nsource = \"Nothing else.\"\nuser-permissions = [\"ModifyMetadata\", \"AuthorApex\"]\n"
    ));
    let plan = solve(&granted, &select(&[], &[]), &no_dependencies()).unwrap();
    assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
}

#[test]
fn an_integration_user_is_told_what_sfperms_cannot_confirm_about_the_licence() {
    let licence = crate::platform::licences::INTEGRATION_PERMISSION_SET_LICENCE;
    let mut asked = select(&[], &[]);
    asked.integration_user = true;
    let t =
        integration("[[require]]\nsource = \"Nothing else.\"\nuser-permissions = [\"ApiEnabled\", \"ViewSetup\"]\n");
    let plan = solve(&t, &asked, &no_dependencies()).unwrap();
    assert_eq!(plan.licence.as_deref(), Some(licence));
    assert_eq!(
        plan.warnings,
        [
            Warning::IntegrationLicenceUnknown { vendor: "T".into() },
            Warning::IntegrationLicenceAllows { licence, permissions: vec!["ViewSetup".into()] },
        ],
        "API Enabled is what the licence is for; every other user permission is unconfirmed"
    );

    let only_api = integration(
        "[integration-licence]\naccepts = true\nsource = \"Nothing else.\"\n\n[[require]]\nsource = \"Nothing else.\"\nuser-permissions = [\"ApiEnabled\"]\n",
    );
    let plan = solve(&only_api, &asked, &no_dependencies()).unwrap();
    assert!(plan.warnings.is_empty(), "the vendor accepts the licence: {:?}", plan.warnings);
    let plan = solve(&only_api, &select(&[], &[]), &no_dependencies()).unwrap();
    assert_eq!(plan.licence, None);
}

#[test]
fn notes_saying_the_same_thing_from_the_same_quote_become_one_naming_each_subject_once() {
    let quote = |q: &str| Some(crate::catalog::Quote(vec![q.into()]));
    let note = |kind: NoteKind, subject: &str, message: &str, from: &str| super::Note {
        kind,
        subject: subject.into(),
        message: NoteText::Words(message.into()),
        quote: quote(from),
    };
    let merged = super::merge_notes(vec![
        note(NoteKind::Implicit, "Read Note", "follows its parent", "q1"),
        note(NoteKind::Implicit, "Edit Note", "follows its parent", "q1"),
        note(NoteKind::Implicit, "Read Note", "follows its parent", "q1"),
        note(NoteKind::Implicit, "Delete Note", "follows its parent", "q2"),
        note(NoteKind::Unsupported, "View All Note", "follows its parent", "q1"),
        note(NoteKind::Implicit, "Read Task", "follows sharing", "q1"),
    ]);
    let seen: Vec<(&str, &str)> =
        merged.iter().map(|n| (n.subject.as_str(), n.quote.as_ref().map_or("", |q| q.0[0].as_str()))).collect();
    assert_eq!(
        seen,
        [("Read Note, Edit Note", "q1"), ("Delete Note", "q2"), ("View All Note", "q1"), ("Read Task", "q1")]
    );
}

#[test]
fn a_condition_holds_when_a_named_feature_is_chosen_each_option_has_a_listed_value_and_the_output_matches() {
    let t = integration(
        "[[feature]]\nname = \"a\"\ndescription = \"a\"\n\n[[feature]]\nname = \"b\"\ndescription = \"b\"\n\n[[option]]\nname = \"sync\"\ndescription = \"s\"\nvalues = [\"one-way\", \"two-way\"]\ndefault = \"one-way\"\n\n[[require]]\nsource = \"Deploy needs Modify Metadata.\"\nfeature = [\"a\", \"b\"]\nwhen = { sync = \"two-way\" }\nuser-permissions = [\"ModifyMetadata\"]\n\n[[warning]]\nmessage = \"profiles only\"\nas = \"profile\"\n",
    );
    let modify_metadata = Item::UserPermission("ModifyMetadata".into());
    let plan = solve(&t, &select(&["b"], &[("sync", "two-way")]), &no_dependencies()).unwrap();
    match plan.grants[&modify_metadata].as_slice() {
        [Reason::Requirement { context: Context::When(parts), .. }] => assert_eq!(
            parts,
            &[Chosen::Features(vec!["b".into()]), Chosen::Option { name: "sync".into(), value: "two-way".into() }],
            "the chosen features the condition names, then the option"
        ),
        other => panic!("{other:?}"),
    }
    assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
    let one_way = solve(&t, &select(&["a", "b"], &[]), &no_dependencies()).unwrap();
    assert!(!one_way.has(&modify_metadata), "sync is one-way by default");

    let mut as_profile = select(&[], &[]);
    as_profile.output = Some(crate::metadata::OutputKind::Profile);
    let plan = solve(&t, &as_profile, &no_dependencies()).unwrap();
    assert!(plan.grants.is_empty());
    assert!(plan.warnings.contains(&Warning::Catalog { message: "profiles only".into() }), "{:?}", plan.warnings);
}

#[test]
fn the_verification_query_asks_for_every_user_permission_granted_and_nothing_else() {
    let plan_of = |grants: &str| {
        let t = integration(&format!("[[require]]\nsource = \"Nothing else.\"\n{grants}\n"));
        solve(&t, &select(&[], &[]), &no_dependencies()).unwrap()
    };
    let plan = plan_of("user-permissions = [\"ViewSetup\", \"ApiEnabled\"]\nobjects = { Account = \"read\" }");
    assert_eq!(plan.user_permissions().collect::<Vec<_>>(), ["ApiEnabled", "ViewSetup"]);
    assert_eq!(
        plan.verification_query().as_deref(),
        Some("SELECT PermissionsApiEnabled, PermissionsViewSetup FROM UserPermissionAccess")
    );
    let objects_only = plan_of("objects = { Account = \"read\" }");
    assert_eq!(objects_only.user_permissions().count(), 0);
    assert_eq!(objects_only.verification_query(), None);
}
