//! Closure of a set of grants under what Salesforce enforces on deploy: the dependency table
//! (org-specific), object-flag implications and field-level security (edit needs read).

use std::collections::{BTreeMap, BTreeSet};

use crate::access::{FieldAccess, Item};
use crate::platform::dependencies::{DependencyTable, object_implications};

use super::plan::Reason;

/// Source of the one field rule.
const FIELD_EDIT_NEEDS_READ: &str =
    "FieldPermissions: PermissionsEdit requires PermissionsRead (SOAP API developer guide, FieldPermissions)";

/// What `item` requires directly, with the source of each pair.
pub fn direct_requirements(item: &Item, table: &DependencyTable) -> Vec<(Item, String)> {
    let mut out: Vec<(Item, String)> =
        table.requirements_of(item).iter().map(|e| (e.requires.clone(), e.source.clone())).collect();
    match item {
        Item::Object(object, access) => {
            for (implied, source) in object_implications(*access) {
                out.push((Item::Object(object.clone(), implied), source.to_string()));
            }
        }
        Item::Field(field, FieldAccess::Edit) => {
            out.push((Item::Field(field.clone(), FieldAccess::Read), FIELD_EDIT_NEEDS_READ.to_string()));
        }
        _ => {}
    }
    out
}

/// The closure of `items` as a set (for costing alternatives).
pub fn closure_set<'a>(items: impl IntoIterator<Item = &'a Item>, table: &DependencyTable) -> BTreeSet<Item> {
    let mut seen: BTreeSet<Item> = BTreeSet::new();
    let mut queue: Vec<Item> = items.into_iter().cloned().collect();
    while let Some(item) = queue.pop() {
        if seen.insert(item.clone()) {
            queue.extend(direct_requirements(&item, table).into_iter().map(|(i, _)| i));
        }
    }
    seen
}

/// Adds every dependency of `grants`, each with a reason naming what pulled it in. Items are
/// visited in order, so the reasons come out the same on every run.
pub fn close(grants: &mut BTreeMap<Item, Vec<Reason>>, table: &DependencyTable) {
    let mut queue: BTreeSet<Item> = grants.keys().cloned().collect();
    let mut done: BTreeSet<Item> = BTreeSet::new();
    while let Some(item) = queue.pop_first() {
        if !done.insert(item.clone()) {
            continue;
        }
        for (required, source) in direct_requirements(&item, table) {
            let reason = Reason::Dependency { of: item.to_string(), source };
            let reasons = grants.entry(required.clone()).or_default();
            if !reasons.contains(&reason) {
                reasons.push(reason);
            }
            if !done.contains(&required) {
                queue.insert(required);
            }
        }
    }
}
