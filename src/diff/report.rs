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

/// Whether a flag's value grants: a true boolean, or a tab visibility other than a profile's
/// `Hidden` and a permission set's `None` (the schema's `TabVisibility` and
/// `PermissionSetTabVisibility`).
fn grants_value(field: &str, value: Option<&str>) -> bool {
    match (field, value) {
        (_, None) => false,
        ("visibility", Some(v)) => !["hidden", "none"].iter().any(|off| v.trim().eq_ignore_ascii_case(off)),
        (_, Some(v)) => boolean(v) == Some(true),
    }
}

/// The value that turns a grant flag off in a profile (the patch writes the same).
fn off_value(field: &str) -> &'static str {
    if field == "visibility" { "Hidden" } else { "false" }
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

/// Where a sparse retrieved profile has no rows to compare with (borrowed from its entries' ids).
struct Sparse<'a> {
    groups: std::collections::BTreeSet<&'a str>,
    objects: std::collections::BTreeSet<&'a str>,
}

impl<'a> Sparse<'a> {
    /// From the ids of the retrieved file's entries (`compare::sorted_entries`).
    fn of(retrieved: impl Iterator<Item = &'a EntryId>) -> Sparse<'a> {
        let mut groups = std::collections::BTreeSet::new();
        let mut objects = std::collections::BTreeSet::new();
        for id in retrieved {
            match id.group.as_str() {
                "objectPermissions" => {
                    objects.insert(id.key.as_str());
                }
                "fieldPermissions" => {
                    objects.insert(id.key.split('.').next().unwrap_or_default());
                }
                _ => {}
            }
            groups.insert(id.group.as_str());
        }
        Sparse { groups, objects }
    }

    fn not_in_retrieve(&self, id: &EntryId) -> bool {
        if !self.groups.contains(id.group.as_str()) {
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

/// "FLAG to OFF, …": the flags turned off.
fn turned_off(flags: &[String]) -> String {
    flags.iter().map(|f| format!("{f} to {}", off_value(f))).collect::<Vec<_>>().join(", ")
}

/// Compares `retrieved` with `generated` (the file `gen` writes for `plan`).
pub fn diff(plan: &Plan, generated: &Document, retrieved: &Document, scope: Scope) -> Vec<Change> {
    let profile = plan.output == OutputKind::Profile;
    let fragment = profile && scope == Scope::Fragment;
    let generated_entries = compare::sorted_entries(generated);
    let retrieved_entries = compare::sorted_entries(retrieved);
    // Each file's entries are collected once, for the comparison and for what follows it.
    let sparse = Sparse::of(retrieved_entries.iter().map(|(id, _)| id));
    let mut out = Vec::new();
    for (id, retrieved_node, generated_node) in compare::side_by_side(&retrieved_entries, &generated_entries) {
        let Some(entry_diff) = compare::entry_diff(retrieved_node, generated_node) else { continue };
        let id = id.clone();
        let change = match entry_diff {
            EntryDiff::Added => {
                let node = generated_node.expect("added: in the generated file");
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
                let node = retrieved_node.expect("removed: in the retrieved file");
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
                            turned_off(&flags)
                        )
                    } else {
                        "delete it (a permission set deploy replaces the whole set)".into()
                    };
                    let note = risk_note(&id);
                    Change { id, status: Status::Excess, flags: vec![], reasons: vec![], fix, note }
                }
            }
            EntryDiff::Changed { fields } => {
                let node = generated_node.expect("changed: in both files");
                if is_value(node) {
                    let expected = node.text().map(str::to_string);
                    let actual = retrieved_node.and_then(Node::text).map(str::to_string);
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
                            (Effect::Excess, None) => format!("{} to {}", f.field, off_value(&f.field)),
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
    use std::collections::BTreeMap;

    use super::*;
    use crate::solver::Asked;

    /// A plan for `output` granting each item for a reason told apart by `label` (a command-line
    /// request of that name).
    fn plan(output: OutputKind, grants: &[(Item, &str)]) -> Plan {
        let mut by_item: BTreeMap<Item, Vec<Reason>> = BTreeMap::new();
        for (item, label) in grants {
            let asked = Asked::UserPermission(label.to_string());
            by_item.entry(item.clone()).or_default().push(Reason::CommandLine { asked });
        }
        Plan::of_grants("test", output, by_item)
    }

    fn document(kind: OutputKind, entries: &[(&str, &[(&str, &str)])]) -> Document {
        let mut doc = Document::new(kind.type_name());
        for (name, fields) in entries {
            doc.entry(name, fields);
        }
        doc
    }

    /// The changes `diff` finds in `retrieved` against `generated`, by entry id.
    fn changes(plan: &Plan, generated: &Document, retrieved: &Document, scope: Scope) -> BTreeMap<String, Change> {
        diff(plan, generated, retrieved, scope).into_iter().map(|c| (c.id.to_string(), c)).collect()
    }

    /// The labels of `plan`'s reasons.
    fn labels(reasons: &[Reason]) -> Vec<&str> {
        reasons
            .iter()
            .map(|r| match r {
                Reason::CommandLine { asked: Asked::UserPermission(label) } => label.as_str(),
                other => panic!("not a reason of these tests: {other:?}"),
            })
            .collect()
    }

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

    /// `default` (the default app or record type) and the like are booleans that grant nothing:
    /// a different value is a value change, not missing or excess access.
    #[test]
    fn a_boolean_that_grants_nothing_is_a_value() {
        let set = OutputKind::PermissionSet;
        let generated = document(
            set,
            &[("applicationVisibilities", &[("application", "App"), ("default", "true"), ("visible", "true")])],
        );
        let retrieved = document(
            set,
            &[("applicationVisibilities", &[("application", "App"), ("default", "false"), ("visible", "true")])],
        );
        let found = changes(&plan(set, &[]), &generated, &retrieved, Scope::Full);
        let change = &found["applicationVisibilities App"];
        assert_eq!(change.status, Status::Changed);
        assert_eq!(
            change.flags,
            [FlagChange {
                field: "default".into(),
                expected: Some("true".into()),
                actual: Some("false".into()),
                effect: Effect::Value
            }]
        );
        assert_eq!(counts(&found.into_values().collect::<Vec<_>>()), Counts { other: 1, ..Counts::default() });
    }

    /// A tab's visibility grants unless it is `Hidden`: a retrieved profile showing a tab sfperms
    /// does not write holds excess access; one hiding it holds nothing.
    #[test]
    fn a_shown_tab_is_excess_and_a_hidden_one_is_nothing() {
        let profile = OutputKind::Profile;
        let generated = document(profile, &[]);
        let retrieved = document(
            profile,
            &[
                ("tabVisibilities", &[("tab", "standard-Case"), ("visibility", "DefaultOn")]),
                ("tabVisibilities", &[("tab", "standard-Lead"), ("visibility", " hidden ")]),
            ],
        );
        let found = changes(&plan(profile, &[]), &generated, &retrieved, Scope::Full);
        assert_eq!(found.keys().collect::<Vec<_>>(), ["tabVisibilities standard-Case"]);
        let case = &found["tabVisibilities standard-Case"];
        assert_eq!(case.status, Status::Excess);
        assert_eq!(
            case.fix,
            "set visibility to Hidden (a profile deploy overlays: deleting the entry revokes nothing)"
        );
    }

    /// A permission set's tab setting `None` grants nothing either; `Available` does.
    #[test]
    fn a_permission_set_tab_set_to_none_is_nothing() {
        let set = OutputKind::PermissionSet;
        let retrieved = document(
            set,
            &[
                ("tabSettings", &[("tab", "standard-Case"), ("visibility", "Available")]),
                ("tabSettings", &[("tab", "standard-Lead"), ("visibility", "None")]),
            ],
        );
        let found = changes(&plan(set, &[]), &document(set, &[]), &retrieved, Scope::Full);
        assert_eq!(found.keys().collect::<Vec<_>>(), ["tabSettings standard-Case"]);
        assert_eq!(
            found["tabSettings standard-Case"].fix,
            "delete it (a permission set deploy replaces the whole set)"
        );
    }

    /// Single values (a label, a description) are compared by their text: a different or absent
    /// one is a value change whose fix names the value.
    #[test]
    fn a_different_or_absent_value_is_a_value_change() {
        let set = OutputKind::PermissionSet;
        let mut generated = Document::new(set.type_name());
        generated.leaf("description", "What the integration needs");
        generated.leaf("label", "Jetstream User");
        let mut retrieved = Document::new(set.type_name());
        retrieved.leaf("label", "Old label");
        let found = changes(&plan(set, &[]), &generated, &retrieved, Scope::Full);
        assert_eq!(found.keys().collect::<Vec<_>>(), ["description", "label"]);
        let label = &found["label"];
        assert_eq!((label.status, label.fix.as_str()), (Status::Changed, "set it to `Jetstream User`"));
        assert_eq!(
            label.flags,
            [FlagChange {
                field: String::new(),
                expected: Some("Jetstream User".into()),
                actual: Some("Old label".into()),
                effect: Effect::Value
            }]
        );
        let description = &found["description"];
        assert_eq!(
            (description.status, description.fix.as_str()),
            (Status::Changed, "set it to `What the integration needs`")
        );
        assert_eq!(description.flags[0].actual, None);
    }

    /// A missing entry of every kind sfperms grants carries the plan's reasons for it; a missing
    /// Read on a field the plan grants Edit on carries Edit's reasons (the plan holds Edit alone).
    #[test]
    fn a_missing_grant_carries_the_plans_reasons() {
        let set = OutputKind::PermissionSet;
        let grants = [
            (Item::Field("Contact.Phone".into(), FieldAccess::Edit), "edit Phone"),
            (Item::Field("Contact.Phone".into(), FieldAccess::Read), "read Phone"),
            (Item::Field("Contact.Email".into(), FieldAccess::Edit), "edit Email"),
            (Item::ApexClass("Handler".into()), "run Handler"),
            (Item::CustomMetadataType("Setting__mdt".into()), "read Setting"),
            (Item::ExternalCredentialPrincipal("Cred-Principal".into()), "use Cred-Principal"),
        ];
        let both = [("editable", "true"), ("readable", "true")];
        let generated = document(
            set,
            &[
                ("classAccesses", &[("apexClass", "Handler"), ("enabled", "true")]),
                ("customMetadataTypeAccesses", &[("enabled", "true"), ("name", "Setting__mdt")]),
                (
                    "externalCredentialPrincipalAccesses",
                    &[("enabled", "true"), ("externalCredentialPrincipal", "Cred-Principal")],
                ),
                ("fieldPermissions", &[both[0], ("field", "Contact.Email"), both[1]]),
                ("fieldPermissions", &[both[0], ("field", "Contact.Phone"), both[1]]),
            ],
        );
        let retrieved = document(
            set,
            &[("fieldPermissions", &[("editable", "true"), ("field", "Contact.Email"), ("readable", "false")])],
        );
        let found = changes(&plan(set, &grants), &generated, &retrieved, Scope::Full);
        let reasons = |id: &str| labels(&found[id].reasons);
        assert_eq!(reasons("classAccesses Handler"), ["run Handler"]);
        assert_eq!(reasons("customMetadataTypeAccesses Setting__mdt"), ["read Setting"]);
        assert_eq!(reasons("externalCredentialPrincipalAccesses Cred-Principal"), ["use Cred-Principal"]);
        // Missing whole: Edit's reasons, then Read's.
        assert_eq!(reasons("fieldPermissions Contact.Phone"), ["edit Phone", "read Phone"]);
        // Read missing where the plan grants Edit only.
        let email = &found["fieldPermissions Contact.Email"];
        assert_eq!((email.status, email.flags[0].effect), (Status::Changed, Effect::Missing));
        assert_eq!(reasons("fieldPermissions Contact.Email"), ["edit Email"]);
    }

    /// A sparse retrieved profile: an object is in the retrieve when it has an object row or a
    /// field row; what sfperms grants on it is then missing when absent, and "not in the
    /// retrieve" only on objects with neither.
    #[test]
    fn an_object_with_either_kind_of_row_is_in_the_retrieve() {
        let profile = OutputKind::Profile;
        let read = [("allowRead", "true")];
        let generated = document(
            profile,
            &[
                ("fieldPermissions", &[("field", "Account.Name"), ("readable", "true")]),
                ("fieldPermissions", &[("field", "Case.Subject"), ("readable", "true")]),
                ("objectPermissions", &[read[0], ("object", "Case")]),
                ("objectPermissions", &[read[0], ("object", "Contact")]),
            ],
        );
        let retrieved = document(
            profile,
            &[
                ("fieldPermissions", &[("field", "Contact.Email"), ("readable", "false")]),
                ("objectPermissions", &[("allowRead", "false"), ("object", "Account")]),
            ],
        );
        let found = changes(&plan(profile, &[]), &generated, &retrieved, Scope::Full);
        let status = |id: &str| found[id].status;
        assert_eq!(status("fieldPermissions Account.Name"), Status::Missing, "Account has an object row");
        assert_eq!(status("objectPermissions Contact"), Status::Missing, "Contact has a field row");
        assert_eq!(status("fieldPermissions Case.Subject"), Status::NotInRetrieve);
        assert_eq!(status("objectPermissions Case"), Status::NotInRetrieve);
    }

    /// A tab shown another way (`DefaultOff` where sfperms writes `DefaultOn`) still grants: the
    /// difference is a value, not missing or excess access.
    #[test]
    fn a_tab_shown_another_way_is_a_value_change() {
        let profile = OutputKind::Profile;
        let tab = |visibility| {
            document(profile, &[("tabVisibilities", &[("tab", "standard-Case"), ("visibility", visibility)])])
        };
        let found = changes(&plan(profile, &[]), &tab("DefaultOn"), &tab("DefaultOff"), Scope::Full);
        let case = &found["tabVisibilities standard-Case"];
        assert_eq!(case.status, Status::Changed);
        assert_eq!(case.flags[0].effect, Effect::Value);
        assert_eq!(case.fix, "set visibility to DefaultOn");
    }

    /// The risk of a user permission is noted where the file holds it beyond the need, not where
    /// the file lacks it.
    #[test]
    fn a_risk_is_noted_on_excess_not_on_missing_access() {
        let set = OutputKind::PermissionSet;
        let permission =
            |enabled| document(set, &[("userPermissions", &[("enabled", enabled), ("name", "ModifyAllData")])]);
        assert_eq!(permissions::privilege("ModifyAllData").risk, Risk::High);
        let lacking = changes(&plan(set, &[]), &permission("true"), &permission("false"), Scope::Full);
        let lacking = &lacking["userPermissions ModifyAllData"];
        assert_eq!((lacking.flags[0].effect, &lacking.note), (Effect::Missing, &None));
        let beyond = changes(&plan(set, &[]), &permission("false"), &permission("true"), Scope::Full);
        let beyond = &beyond["userPermissions ModifyAllData"];
        assert_eq!(beyond.flags[0].effect, Effect::Excess);
        assert!(beyond.note.as_deref().is_some_and(|n| n.starts_with("high risk (rank ")), "{:?}", beyond.note);
    }

    /// An absent grant flag and one set to false mean the same: a retrieved entry without
    /// `allowCreate` where sfperms writes it `false` is no difference.
    #[test]
    fn an_absent_flag_is_the_same_as_false() {
        let set = OutputKind::PermissionSet;
        let generated = document(
            set,
            &[("objectPermissions", &[("allowCreate", "false"), ("allowRead", "true"), ("object", "Account")])],
        );
        let retrieved = document(set, &[("objectPermissions", &[("allowRead", "true"), ("object", "Account")])]);
        assert_eq!(diff(&plan(set, &[]), &generated, &retrieved, Scope::Full), []);
    }
}
