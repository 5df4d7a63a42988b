//! Closure of a set of grants under what Salesforce enforces on deploy: the dependency table
//! (org-specific), object-flag implications and field-level security (edit needs read).

use std::collections::{BTreeMap, BTreeSet};

use crate::access::{FieldAccess, Item, ObjectAccess};
use crate::platform::dependencies::{DependencySource, DependencyTable, object_implications};
use crate::platform::objects::{self, ObjectKind, Outcome};

use super::plan::{ChainLink, Context, Reason};

/// Source of the one field rule.
const FIELD_EDIT_NEEDS_READ: &str =
    "FieldPermissions: PermissionsEdit requires PermissionsRead (SOAP API developer guide, FieldPermissions)";

/// Source of the rule that a field permission needs access to its object.
const FIELD_NEEDS_OBJECT: &str = "Salesforce Help, \"Permissions for UI Elements, Records, and Fields\" (help.salesforce.com, xcloud.getstart_access.htm): to view a field, Read on its type of record; to edit a record field, Edit";

/// The object access a field permission is useless without: Read for a readable field, Edit for
/// an editable one (Edit pulls Read in turn), mapped like any object without objectPermissions
/// (a Task field's Edit is Edit Task). `None` where the object takes no object permissions.
fn object_access_for_field(field: &str, access: FieldAccess) -> Option<Item> {
    let (object, _) = field.split_once('.')?;
    let mut wanted = if access == FieldAccess::Edit { ObjectAccess::Edit } else { ObjectAccess::Read };
    if let Some(mapping) = objects::non_permissionable(object, wanted) {
        return match mapping.outcome {
            Outcome::Grant(permission) => Some(Item::UserPermission(permission.to_string())),
            Outcome::Parent(parent, parent_access) => Some(Item::Object(parent.to_string(), parent_access)),
            Outcome::Implicit | Outcome::Unsupported => None,
        };
    }
    if matches!(objects::kind(object), ObjectKind::CustomMetadataType | ObjectKind::NoObjectPermissions(_)) {
        return None;
    }
    if objects::check_flag(object, wanted).is_err() {
        wanted = ObjectAccess::Read;
    }
    Some(Item::Object(object.to_string(), wanted))
}

/// What `item` requires directly, with the source of each pair.
pub(crate) fn direct_requirements(item: &Item, table: &DependencyTable) -> Vec<(Item, DependencySource)> {
    let mut out: Vec<(Item, DependencySource)> =
        table.requirements_of(item).iter().map(|e| (e.requires.clone(), e.source.clone())).collect();
    match item {
        Item::Object(object, access) => {
            // The flag rules hold in every org; an org export may list the same pairs.
            for (implied, source) in object_implications(*access) {
                let implied = Item::Object(object.clone(), implied);
                if !out.iter().any(|(i, _)| *i == implied) {
                    out.push((implied, DependencySource::Rule(source)));
                }
            }
        }
        Item::Field(field, access) => {
            if *access == FieldAccess::Edit {
                out.push((
                    Item::Field(field.clone(), FieldAccess::Read),
                    DependencySource::Rule(FIELD_EDIT_NEEDS_READ),
                ));
            }
            if let Some(object_access) = object_access_for_field(field, *access) {
                out.push((object_access, DependencySource::Rule(FIELD_NEEDS_OBJECT)));
            }
        }
        _ => {}
    }
    out
}

/// The closure of `items` as a set (for costing alternatives).
pub(crate) fn closure_set<'a>(items: impl IntoIterator<Item = &'a Item>, table: &DependencyTable) -> BTreeSet<Item> {
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
pub(crate) fn close(grants: &mut BTreeMap<Item, Vec<Reason>>, table: &DependencyTable) {
    let mut queue: BTreeSet<Item> = grants.keys().cloned().collect();
    let mut done: BTreeSet<Item> = BTreeSet::new();
    while let Some(item) = queue.pop_first() {
        if !done.insert(item.clone()) {
            continue;
        }
        for (required, source) in direct_requirements(&item, table) {
            let reason = Reason::Dependency { of: item.to_string(), source, chain: Vec::new() };
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

/// Fills in the `chain` of every dependency reason: the shortest path from the grant that
/// required it back to a grant a requirement (or the command line) asked for.
pub(crate) fn fill_chains(grants: &mut BTreeMap<Item, Vec<Reason>>) {
    let by_name: BTreeMap<String, &Item> = grants.keys().map(|i| (i.to_string(), i)).collect();
    let origin = |item: &Item| -> Option<ChainLink> {
        grants.get(item)?.iter().find_map(|r| match r {
            Reason::Requirement { context, .. } => Some(ChainLink::Context(context.clone())),
            Reason::CommandLine { asked } => Some(ChainLink::Asked(asked.clone())),
            Reason::Platform { .. } => Some(ChainLink::Context(Context::Platform)),
            Reason::Dependency { .. } => None,
        })
    };
    // Breadth first from each `of`, so the chain is the shortest one (ties: the first reason).
    let chain_from = |start: &str| -> Vec<ChainLink> {
        let mut paths: Vec<Vec<String>> = vec![vec![start.to_string()]];
        let mut seen: BTreeSet<String> = BTreeSet::from([start.to_string()]);
        while !paths.is_empty() {
            let mut next = Vec::new();
            for path in paths {
                let last = path.last().expect("paths are never empty");
                let Some(item) = by_name.get(last) else { continue };
                if let Some(link) = origin(item) {
                    let mut done: Vec<ChainLink> = path.iter().cloned().map(ChainLink::Grant).collect();
                    done.push(link);
                    return done;
                }
                for reason in grants.get(*item).into_iter().flatten() {
                    if let Reason::Dependency { of, .. } = reason
                        && seen.insert(of.clone())
                    {
                        let mut longer = path.clone();
                        longer.push(of.clone());
                        next.push(longer);
                    }
                }
            }
            paths = next;
        }
        vec![ChainLink::Grant(start.to_string())]
    };
    let chains: Vec<(Item, usize, Vec<ChainLink>)> = grants
        .iter()
        .flat_map(|(item, reasons)| {
            reasons.iter().enumerate().filter_map(move |(i, r)| match r {
                Reason::Dependency { of, .. } => Some((item.clone(), i, of.clone())),
                _ => None,
            })
        })
        .map(|(item, i, of)| (item, i, chain_from(&of)))
        .collect();
    for (item, index, chain) in chains {
        if let Some(Reason::Dependency { chain: slot, .. }) = grants.get_mut(&item).and_then(|r| r.get_mut(index)) {
            *slot = chain;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(access: ObjectAccess) -> Item {
        Item::Object("Account".into(), access)
    }

    fn rating(access: FieldAccess) -> Item {
        Item::Field("Account.Rating".into(), access)
    }

    /// What `item` requires by the rules alone (an empty dependency table).
    fn required(item: &Item) -> Vec<Item> {
        direct_requirements(item, &DependencyTable::empty("none")).into_iter().map(|(i, _)| i).collect()
    }

    #[test]
    fn a_field_needs_its_object_and_an_editable_field_needs_read() {
        assert_eq!(required(&rating(FieldAccess::Edit)), [rating(FieldAccess::Read), account(ObjectAccess::Edit)]);
        assert_eq!(required(&rating(FieldAccess::Read)), [account(ObjectAccess::Read)]);
    }

    #[test]
    fn object_flags_pull_in_the_flags_they_imply() {
        assert_eq!(required(&account(ObjectAccess::Edit)), [account(ObjectAccess::Read)]);
        assert!(required(&account(ObjectAccess::Read)).is_empty());
        let all = closure_set([&account(ObjectAccess::ModifyAll)], &DependencyTable::empty("none"));
        let expected: BTreeSet<Item> = [
            ObjectAccess::Read,
            ObjectAccess::Edit,
            ObjectAccess::Delete,
            ObjectAccess::ViewAll,
            ObjectAccess::ModifyAll,
        ]
        .into_iter()
        .map(account)
        .collect();
        assert_eq!(all, expected);
    }
}
