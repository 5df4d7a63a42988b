//! Property tests of the solver's guarantees, over random integrations and dependency tables:
//! the result satisfies every requirement, is closed under the dependencies, gives every grant a
//! reason, and is minimal — no grant can be removed, and no alternative swapped for a cheaper one,
//! while every requirement stays satisfied.

use std::collections::BTreeSet;

use proptest::prelude::*;

use super::choose::{cost, total_cost};
use super::closure::{closure_set, direct_requirements};
use super::*;
use crate::access::{Item, ObjectAccess};
use crate::catalog::{Condition, Integration, Quote, Requirement, Template};
use crate::metadata::OutputKind;
use crate::platform::dependencies::DependencySource;

/// Real permission names with very different privilege ranks, so alternatives matter.
const PERMISSIONS: [&str; 12] = [
    "ApiEnabled",
    "ViewSetup",
    "ViewRoles",
    "ModifyMetadata",
    "ModifyAllData",
    "AuthorApex",
    "CustomizeApplication",
    "ManageUsers",
    "ViewAllData",
    "RunReports",
    "EditTask",
    "ManageProfilesPermissionsets",
];
const OBJECTS: [&str; 3] = ["Account", "Contact", "Widget__c"];

fn template() -> impl Strategy<Value = Template> {
    prop_oneof![
        (0..PERMISSIONS.len()).prop_map(|i| Template::UserPermission(PERMISSIONS[i].to_string())),
        (0..OBJECTS.len(), 0..ObjectAccess::ALL.len())
            .prop_map(|(o, a)| Template::Object(OBJECTS[o].to_string(), vec![ObjectAccess::ALL[a]])),
    ]
}

fn requirement() -> impl Strategy<Value = Requirement> {
    prop::collection::vec(prop::collection::vec(template(), 1..3), 1..4).prop_map(|alternatives| Requirement {
        source: Quote(vec!["a sentence".into()]),
        condition: Condition::default(),
        alternatives,
        unverified: None,
        also: None,
        note: None,
        line: 1,
    })
}

fn integration(requirements: Vec<Requirement>) -> Integration {
    Integration {
        id: "prop".into(),
        name: "Prop".into(),
        summary: String::new(),
        origin: "generated".into(),
        document: "generated".into(),
        title: "generated".into(),
        vendor_url: None,
        sources: vec![],
        output: OutputKind::PermissionSet,
        output_source: None,
        default_name: "Prop".into(),
        default_label: "Prop".into(),
        admin_shortcut: None,
        integration_licence: None,
        connected_app: None,
        connects_through_api: false,
        options: vec![],
        features: vec![],
        requirements,
        unmapped: vec![],
        warnings: vec![],
        rule_outs: vec![],
        package_permission_sets: vec![],
        conflicts: vec![],
        platform_needs: vec![],
    }
}

/// A random dependency table over the same permissions (cycles allowed: closure must cope).
fn table() -> impl Strategy<Value = DependencyTable> {
    prop::collection::vec((0..PERMISSIONS.len(), 0..PERMISSIONS.len()), 0..12).prop_map(|pairs| {
        let mut table = DependencyTable::empty("generated");
        for (a, b) in pairs {
            if a != b {
                table.add(
                    Item::UserPermission(PERMISSIONS[a].into()),
                    Item::UserPermission(PERMISSIONS[b].into()),
                    DependencySource::Rule("generated"),
                );
            }
        }
        table
    })
}

fn items_of(alternative: &[Template]) -> Vec<Item> {
    alternative
        .iter()
        .flat_map(|t| match t {
            Template::UserPermission(n) => vec![Item::UserPermission(n.clone())],
            Template::Object(o, accesses) => accesses.iter().map(|a| Item::Object(o.clone(), *a)).collect(),
            _ => unreachable!("the strategy makes only permissions and objects"),
        })
        .collect()
}

fn satisfied(requirements: &[Requirement], granted: &BTreeSet<Item>) -> bool {
    requirements.iter().all(|r| r.alternatives.iter().any(|alt| items_of(alt).iter().all(|i| granted.contains(i))))
}

fn closed(granted: &BTreeSet<Item>, table: &DependencyTable) -> bool {
    granted.iter().all(|g| direct_requirements(g, table).iter().all(|(r, _)| granted.contains(r)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn plans_are_satisfying_closed_justified_and_minimal(
        requirements in prop::collection::vec(requirement(), 1..6),
        table in table(),
    ) {
        let integration = integration(requirements.clone());
        let plan = solve(&integration, &Selection::default(), &table).unwrap();
        let granted: BTreeSet<Item> = plan.grants.keys().cloned().collect();

        prop_assert!(satisfied(&requirements, &granted), "a requirement is not met");
        prop_assert!(closed(&granted, &table), "not closed under the dependencies");
        for (item, reasons) in &plan.grants {
            prop_assert!(!reasons.is_empty(), "{item} has no reason");
        }
        // No grant can be removed: without it the set is not closed or misses a requirement.
        for item in &granted {
            let mut smaller = granted.clone();
            smaller.remove(item);
            prop_assert!(
                !(closed(&smaller, &table) && satisfied(&requirements, &smaller)),
                "{item} could be removed"
            );
        }
        // No alternative can be swapped for one that costs less, the other choices kept.
        let chosen: Vec<Vec<Item>> = requirements
            .iter()
            .map(|r| {
                r.alternatives.iter().map(|a| items_of(a)).find(|items| items.iter().all(|i| granted.contains(i))).unwrap()
            })
            .collect();
        let total = total_cost(&granted);
        for (index, requirement) in requirements.iter().enumerate() {
            for alternative in &requirement.alternatives {
                let mut picks: Vec<Item> = chosen.iter().enumerate().filter(|(i, _)| *i != index).flat_map(|(_, c)| c.clone()).collect();
                picks.extend(items_of(alternative));
                let swapped = total_cost(&closure_set(picks.iter(), &table));
                prop_assert!(swapped >= total, "swapping in {alternative:?} costs {swapped} < {total}");
            }
        }
    }

    #[test]
    fn solving_is_deterministic(requirements in prop::collection::vec(requirement(), 1..6), table in table()) {
        let integration = integration(requirements);
        let a = solve(&integration, &Selection::default(), &table).unwrap();
        let b = solve(&integration, &Selection::default(), &table).unwrap();
        prop_assert_eq!(format!("{:?}", a.grants), format!("{:?}", b.grants));
    }
}

#[test]
fn modify_metadata_is_chosen_unless_modify_all_data_is_already_required() {
    let either = Requirement {
        source: Quote(vec!["either".into()]),
        condition: Condition::default(),
        alternatives: vec![
            vec![Template::UserPermission("ModifyMetadata".into())],
            vec![Template::UserPermission("ModifyAllData".into())],
        ],
        unverified: None,
        also: None,
        note: None,
        line: 1,
    };
    let table = DependencyTable::builtin();
    let plan = solve(&integration(vec![either.clone()]), &Selection::default(), table).unwrap();
    assert!(plan.has(&Item::UserPermission("ModifyMetadata".into())));
    assert!(!plan.has(&Item::UserPermission("ModifyAllData".into())));
    assert!(plan.has(&Item::UserPermission("ViewRoles".into())), "ModifyMetadata → ViewSetup → ViewRoles");

    // With Modify All Data already required, its closure carries Modify Metadata: no extra cost.
    let mad =
        Requirement { alternatives: vec![vec![Template::UserPermission("ModifyAllData".into())]], ..either.clone() };
    let plan = solve(&integration(vec![either, mad]), &Selection::default(), table).unwrap();
    assert!(plan.has(&Item::UserPermission("ModifyAllData".into())));
    let reasons = &plan.grants[&Item::UserPermission("ModifyMetadata".into())];
    assert!(reasons.iter().any(|r| matches!(r, Reason::Dependency { of, .. } if of == "ModifyAllData")));
}

#[test]
fn costs_rank_privilege() {
    assert!(cost(&Item::UserPermission("ModifyAllData".into())) > cost(&Item::UserPermission("ModifyMetadata".into())));
}
