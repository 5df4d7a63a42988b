//! What a retrieved PermissionSet or Profile lacks and holds beyond what an integration needs:
//! `compare` (retrieved → generated) classified against the plan. A *missing* grant is one the
//! integration will fail without (with the plan's reasons); an *excess* grant is a least-privilege
//! violation; *changed* lists the flags that differ, each missing or excess. The headline
//! (`counts`) counts by that effect, whatever the entry's status.
//!
//! Two platform facts shape it (salesforce-facts §8):
//! - A profile deploy overlays: deleting an entry revokes nothing, so the fix for an excess profile
//!   grant sets it to `false`; a permission set deploy replaces the set, so there the fix deletes it.
//! - A retrieved profile is sparse: object and field rows come back only for components retrieved
//!   with it. When the profile has no rows of a kind at all, or none for an object, a generated
//!   entry there is "not in the retrieve", not missing (and does not count as a difference).
//!
//! Profiles are compared as fragments by default (only the entries sfperms generates, as a deploy
//! of the fragment would touch); `Scope::Full` also reports every other grant the profile holds.

use serde::Serialize;

use super::compare::{self, EntryDiff, EntryId, boolean};
use crate::access::{FieldAccess, Item, ObjectAccess};
use crate::metadata::OutputKind;
use crate::metadata::{Document, Node};
use crate::platform::permissions::{self, Risk};
use crate::solver::{Plan, Reason};

/// Which entries of a profile are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Only the entries sfperms generates.
    Fragment,
    /// Every grant in the file.
    Full,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The integration needs it and the file does not grant it.
    Missing,
    /// The file grants it and the integration does not need it.
    Excess,
    /// Present in both, flags or values differ (see each flag's effect).
    Changed,
    /// A sparse retrieved profile holds no rows of this kind or for this object: unknown.
    NotInRetrieve,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Effect {
    Missing,
    Excess,
    /// A value that is not a grant (a label, a description, a tab's visibility…).
    Value,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlagChange {
    /// The child element (`allowEdit`); empty for a single value such as `label`.
    pub field: String,
    /// What sfperms would write (`None`: it writes nothing there).
    pub expected: Option<String>,
    /// What the file holds (`None`: absent).
    pub actual: Option<String>,
    pub effect: Effect,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    #[serde(flatten)]
    pub id: EntryId,
    pub status: Status,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<FlagChange>,
    /// Why the plan grants what is missing (the same reasons `explain` gives); the CLI words
    /// them (`--json` lists them as `reasons`, when there are any).
    #[serde(skip)]
    pub reasons: Vec<Reason>,
    /// What to do about it; the patch does exactly this.
    pub fix: String,
    /// What else a reviewer should know (the risk of an excess permission).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The headline of a comparison, counted by effect rather than by status: a changed entry whose
/// `allowRead` is missing breaks the integration just as a missing entry does. An entry with both
/// a missing and an excess flag counts in both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Counts {
    /// Entries that lack access the integration needs (missing, or changed with a missing flag).
    pub missing: usize,
    /// Entries that grant more than least privilege (excess, or changed with an excess flag).
    pub excess: usize,
    /// Entries whose only differences are values that grant nothing (a label, a description).
    pub other: usize,
    /// Entries a sparse retrieved profile cannot tell about.
    pub not_in_retrieve: usize,
}

/// Counts the changes by effect (see `Counts`).
pub fn counts(changes: &[Change]) -> Counts {
    let mut c = Counts::default();
    for change in changes {
        let has = |effect: Effect| change.flags.iter().any(|f| f.effect == effect);
        match change.status {
            Status::Missing => c.missing += 1,
            Status::Excess => c.excess += 1,
            Status::NotInRetrieve => c.not_in_retrieve += 1,
            Status::Changed => {
                let (missing, excess) = (has(Effect::Missing), has(Effect::Excess));
                c.missing += usize::from(missing);
                c.excess += usize::from(excess);
                c.other += usize::from(!missing && !excess);
            }
        }
    }
    c
}

/// Whether the file holds exactly what the plan needs ("not in the retrieve" is unknown, not a
/// difference).
pub fn is_equal(changes: &[Change]) -> bool {
    changes.iter().all(|c| c.status == Status::NotInRetrieve)
}

/// Child elements that grant access when true.
const GRANT_FLAGS: [&str; 12] = [
    ObjectAccess::Create.element(),
    ObjectAccess::Delete.element(),
    ObjectAccess::Edit.element(),
    ObjectAccess::Read.element(),
    "editable",
    "enabled",
    ObjectAccess::ModifyAll.element(),
    "readable",
    "viewAllFields",
    ObjectAccess::ViewAll.element(),
    "visible",
    "visibility",
];

fn is_grant_flag(field: &str) -> bool {
    GRANT_FLAGS.contains(&field)
}

/// Whether a flag's value grants: a true boolean, or a tab visibility other than `Hidden`.
fn grants_value(field: &str, value: Option<&str>) -> bool {
    match (field, value) {
        (_, None) => false,
        ("visibility", Some(v)) => !v.trim().eq_ignore_ascii_case("hidden"),
        (_, Some(v)) => boolean(v) == Some(true),
    }
}

/// The flags of an entry that grant something.
pub(crate) fn granting_flags(node: &Node) -> Vec<String> {
    compare::fields(node)
        .into_iter()
        .filter(|(f, v)| is_grant_flag(f) && grants_value(f, Some(v)))
        .map(|(f, _)| f)
        .collect()
}

fn is_value(node: &Node) -> bool {
    node.text().is_some()
}

/// The plan item a flag of an entry stands for.
fn item_of(id: &EntryId, field: &str) -> Option<Item> {
    let key = id.key.clone();
    match (id.group.as_str(), field) {
        ("userPermissions", "enabled") => Some(Item::UserPermission(key)),
        ("objectPermissions", flag) => {
            ObjectAccess::ALL.into_iter().find(|a| a.element() == flag).map(|a| Item::Object(key, a))
        }
        ("fieldPermissions", "readable") => Some(Item::Field(key, FieldAccess::Read)),
        ("fieldPermissions", "editable") => Some(Item::Field(key, FieldAccess::Edit)),
        ("classAccesses", "enabled") => Some(Item::ApexClass(key)),
        ("customMetadataTypeAccesses", "enabled") => Some(Item::CustomMetadataType(key)),
        ("externalCredentialPrincipalAccesses", "enabled") => Some(Item::ExternalCredentialPrincipal(key)),
        _ => None,
    }
}

pub(crate) fn reasons_for(plan: &Plan, id: &EntryId, flags: &[String]) -> Vec<Reason> {
    let mut out: Vec<Reason> = Vec::new();
    for flag in flags {
        let Some(item) = item_of(id, flag) else { continue };
        // Edit on a field carries read's reasons too (the plan may hold either).
        let fallback = match &item {
            Item::Field(f, FieldAccess::Read) => Some(Item::Field(f.clone(), FieldAccess::Edit)),
            _ => None,
        };
        let reasons = plan.grants.get(&item).or_else(|| fallback.and_then(|f| plan.grants.get(&f)));
        for reason in reasons.into_iter().flatten() {
            if !out.contains(reason) {
                out.push(reason.clone());
            }
        }
    }
    out
}

fn risk_note(id: &EntryId) -> Option<String> {
    if id.group != "userPermissions" {
        return None;
    }
    let p = permissions::privilege(&id.key);
    (p.risk == Risk::High).then(|| format!("high risk (rank {}): {}", p.rank, p.why))
}

/// Where a sparse retrieved profile has no rows to compare with.
struct Sparse {
    groups: std::collections::BTreeSet<String>,
    objects: std::collections::BTreeSet<String>,
}

impl Sparse {
    /// From the entries of the retrieved file (`compare::entries`).
    fn of(retrieved: &std::collections::BTreeMap<EntryId, &Node>) -> Sparse {
        let mut groups = std::collections::BTreeSet::new();
        let mut objects = std::collections::BTreeSet::new();
        for id in retrieved.keys() {
            match id.group.as_str() {
                "objectPermissions" => {
                    objects.insert(id.key.clone());
                }
                "fieldPermissions" => {
                    objects.insert(id.key.split('.').next().unwrap_or_default().to_string());
                }
                _ => {}
            }
            groups.insert(id.group.clone());
        }
        Sparse { groups, objects }
    }

    fn not_in_retrieve(&self, id: &EntryId) -> bool {
        if !self.groups.contains(&id.group) {
            return true;
        }
        let object = match id.group.as_str() {
            "objectPermissions" => id.key.as_str(),
            "fieldPermissions" => id.key.split('.').next().unwrap_or_default(),
            _ => return false,
        };
        !self.objects.contains(object)
    }
}

fn list(flags: &[String], value: &str) -> String {
    flags.iter().map(|f| format!("{f} to {value}")).collect::<Vec<_>>().join(", ")
}

/// Compares `retrieved` with `generated` (the file `gen` writes for `plan`).
pub fn diff(plan: &Plan, generated: &Document, retrieved: &Document, scope: Scope) -> Vec<Change> {
    let profile = plan.output == OutputKind::Profile;
    let fragment = profile && scope == Scope::Fragment;
    let generated_entries = compare::entries(generated);
    let retrieved_entries = compare::entries(retrieved);
    // Each file's entries are collected once, for the comparison and for what follows it.
    let sparse = Sparse::of(&retrieved_entries);
    let mut out = Vec::new();
    for (id, entry_diff) in compare::compare_entries(&retrieved_entries, &generated_entries) {
        let change = match entry_diff {
            EntryDiff::Added => {
                let node = generated_entries[&id];
                if is_value(node) {
                    let expected = node.text().map(str::to_string);
                    let fix = format!("set it to `{}`", expected.as_deref().unwrap_or_default());
                    let flags =
                        vec![FlagChange { field: String::new(), expected, actual: None, effect: Effect::Value }];
                    Change { id, status: Status::Changed, flags, reasons: vec![], fix, note: None }
                } else {
                    let flags = granting_flags(node);
                    if flags.is_empty() {
                        continue;
                    }
                    let reasons = reasons_for(plan, &id, &flags);
                    if profile && sparse.not_in_retrieve(&id) {
                        let fix = "retrieve the profile together with this component to compare it (the patch adds the entry)".into();
                        Change { id, status: Status::NotInRetrieve, flags: vec![], reasons, fix, note: None }
                    } else {
                        Change { id, status: Status::Missing, flags: vec![], reasons, fix: "add it".into(), note: None }
                    }
                }
            }
            EntryDiff::Removed => {
                if fragment {
                    continue;
                }
                let node = retrieved_entries[&id];
                if is_value(node) {
                    if profile {
                        continue;
                    }
                    let flags = vec![FlagChange {
                        field: String::new(),
                        expected: None,
                        actual: node.text().map(str::to_string),
                        effect: Effect::Value,
                    }];
                    Change { id, status: Status::Changed, flags, reasons: vec![], fix: "remove it".into(), note: None }
                } else {
                    let flags = granting_flags(node);
                    if flags.is_empty() {
                        continue;
                    }
                    let fix = if profile {
                        format!(
                            "set {} (a profile deploy overlays: deleting the entry revokes nothing)",
                            list(&flags, "false")
                        )
                    } else {
                        "delete it (a permission set deploy replaces the whole set)".into()
                    };
                    let note = risk_note(&id);
                    Change { id, status: Status::Excess, flags: vec![], reasons: vec![], fix, note }
                }
            }
            EntryDiff::Changed { fields } => {
                let node = generated_entries[&id];
                if is_value(node) {
                    let expected = node.text().map(str::to_string);
                    let actual = retrieved_entries[&id].text().map(str::to_string);
                    let fix = format!("set it to `{}`", expected.as_deref().unwrap_or_default());
                    let flags = vec![FlagChange { field: String::new(), expected, actual, effect: Effect::Value }];
                    Change { id, status: Status::Changed, flags, reasons: vec![], fix, note: None }
                } else {
                    let mut flags = Vec::new();
                    for f in fields {
                        let effect = if is_grant_flag(&f.field) {
                            match (grants_value(&f.field, f.new.as_deref()), grants_value(&f.field, f.old.as_deref())) {
                                (true, false) => Effect::Missing,
                                (false, true) => Effect::Excess,
                                // Absent and false mean the same; a different visibility is a value.
                                _ if f.field == "visibility" && f.new.is_some() => Effect::Value,
                                _ => continue,
                            }
                        } else if f.new.is_none() {
                            // A field sfperms does not write (a newer flag, a profile's `default`).
                            continue;
                        } else {
                            Effect::Value
                        };
                        flags.push(FlagChange { field: f.field, expected: f.new, actual: f.old, effect });
                    }
                    if flags.is_empty() {
                        continue;
                    }
                    let missing: Vec<String> =
                        flags.iter().filter(|f| f.effect == Effect::Missing).map(|f| f.field.clone()).collect();
                    let reasons = reasons_for(plan, &id, &missing);
                    let fix = flags
                        .iter()
                        .map(|f| match (&f.effect, &f.expected) {
                            (Effect::Excess, None) => format!("{} to false", f.field),
                            (_, Some(v)) => format!("{} to {v}", f.field),
                            (_, None) => format!("remove {}", f.field),
                        })
                        .collect::<Vec<_>>()
                        .join(", ");
                    let note = flags.iter().any(|f| f.effect == Effect::Excess).then(|| risk_note(&id)).flatten();
                    Change { id, status: Status::Changed, flags, reasons, fix: format!("set {fix}"), note }
                }
            }
        };
        out.push(change);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(status: Status, effects: &[Effect]) -> Change {
        let flags = effects
            .iter()
            .map(|&effect| FlagChange { field: "allowRead".into(), expected: None, actual: None, effect })
            .collect();
        Change {
            id: EntryId { group: "objectPermissions".into(), key: "Account".into() },
            status,
            flags,
            reasons: vec![],
            fix: String::new(),
            note: None,
        }
    }

    /// The case from the field: ten changed rows of a "Minimum Access - API Only Integrations"
    /// profile, each lacking Read, are ten entries of missing access, not "10 changed".
    #[test]
    fn the_headline_counts_by_effect_whatever_the_status() {
        let lacking_read: Vec<Change> = (0..10).map(|_| change(Status::Changed, &[Effect::Missing])).collect();
        assert_eq!(counts(&lacking_read), Counts { missing: 10, excess: 0, other: 0, not_in_retrieve: 0 });

        let mixed = [
            change(Status::Missing, &[]),
            change(Status::Excess, &[]),
            change(Status::Changed, &[Effect::Missing, Effect::Excess]),
            change(Status::Changed, &[Effect::Value]),
            change(Status::NotInRetrieve, &[]),
        ];
        assert_eq!(counts(&mixed), Counts { missing: 2, excess: 2, other: 1, not_in_retrieve: 1 });
    }
}
