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

use std::borrow::Cow;

use serde::Serialize;

use super::compare::{self, EntryDiff, EntryId, boolean};
use crate::access::{FieldAccess, Item, ObjectAccess};
use crate::metadata::Document;
use crate::metadata::OutputKind;
use crate::metadata::entries::{Entries, Entry};
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

impl Counts {
    /// Counts one change of `status` with `flags`.
    fn add(&mut self, status: Status, flags: &[FlagChange]) {
        let has = |effect: Effect| flags.iter().any(|f| f.effect == effect);
        match status {
            Status::Missing => self.missing += 1,
            Status::Excess => self.excess += 1,
            Status::NotInRetrieve => self.not_in_retrieve += 1,
            Status::Changed => {
                let (missing, excess) = (has(Effect::Missing), has(Effect::Excess));
                self.missing += usize::from(missing);
                self.excess += usize::from(excess);
                self.other += usize::from(!missing && !excess);
            }
        }
    }
}

/// Counts the changes by effect (see `Counts`).
pub fn counts(changes: &[Change]) -> Counts {
    let mut c = Counts::default();
    for change in changes {
        c.add(change.status, &change.flags);
    }
    c
}

/// Whether the file holds exactly what the plan needs ("not in the retrieve" is unknown, not a
/// difference).
pub fn is_equal(changes: &[Change]) -> bool {
    changes.iter().all(|c| c.status == Status::NotInRetrieve)
}

/// One change found: an excess entry of the retrieved file, by its index (what a full comparison
/// of a large profile is made of, so it is described only when asked), or any other change.
#[derive(Debug, Clone)]
enum Found {
    Excess(u32),
    Described(Box<Change>),
}

/// The changes of one comparison, in the order they were found. The excess entries refer to the
/// retrieved file's entries, which the list holds; each is described (`Change`) when asked.
#[derive(Debug, Clone)]
pub struct Changes {
    retrieved: Entries,
    /// Whether the file is a profile (an excess grant is turned off, not deleted).
    profile: bool,
    found: Vec<Found>,
}

impl Changes {
    /// No changes, about the entries of a file of kind `output`.
    pub fn none(output: OutputKind) -> Changes {
        Changes { retrieved: Entries::default(), profile: output == OutputKind::Profile, found: Vec::new() }
    }

    pub fn len(&self) -> usize {
        self.found.len()
    }

    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }

    /// Adds changes found elsewhere (what a group's muting takes away).
    pub fn extend(&mut self, changes: impl IntoIterator<Item = Change>) {
        self.found.extend(changes.into_iter().map(|c| Found::Described(Box::new(c))));
    }

    /// The change at `index`, described.
    pub fn get(&self, index: usize) -> Cow<'_, Change> {
        match &self.found[index] {
            Found::Excess(entry) => Cow::Owned(excess(self.retrieved.get(*entry as usize), self.profile)),
            Found::Described(change) => Cow::Borrowed(change),
        }
    }

    /// The changes in order, each described as it is reached.
    pub fn iter(&self) -> impl Iterator<Item = Cow<'_, Change>> {
        (0..self.found.len()).map(|i| self.get(i))
    }

    /// The status of the change at `index`.
    pub fn status(&self, index: usize) -> Status {
        match &self.found[index] {
            Found::Excess(_) => Status::Excess,
            Found::Described(change) => change.status,
        }
    }

    /// The element name of the change at `index`.
    pub fn group(&self, index: usize) -> &str {
        match &self.found[index] {
            Found::Excess(entry) => self.retrieved.get(*entry as usize).group(),
            Found::Described(change) => &change.id.group,
        }
    }

    /// The changes counted by effect (see `Counts`).
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for found in &self.found {
            match found {
                Found::Excess(_) => c.add(Status::Excess, &[]),
                Found::Described(change) => c.add(change.status, &change.flags),
            }
        }
        c
    }

    /// Whether the file holds exactly what the plan needs (see `is_equal`).
    pub fn is_equal(&self) -> bool {
        (0..self.found.len()).all(|i| self.status(i) == Status::NotInRetrieve)
    }

    /// The indexes of the changes by element name, each group in order.
    pub fn by_group(&self) -> std::collections::BTreeMap<&str, Vec<usize>> {
        use std::collections::btree_map::Entry;
        // Runs of one group first (changes come in id order but for a group's muting), then the
        // runs into the map: one comparison a change, not a search.
        let mut runs: Vec<(&str, Vec<usize>)> = Vec::new();
        for i in 0..self.found.len() {
            let group = self.group(i);
            match runs.last_mut() {
                Some((last, indexes)) if *last == group => indexes.push(i),
                _ => runs.push((group, vec![i])),
            }
        }
        let mut groups: std::collections::BTreeMap<&str, Vec<usize>> = std::collections::BTreeMap::new();
        for (group, indexes) in runs {
            match groups.entry(group) {
                Entry::Vacant(slot) => {
                    slot.insert(indexes);
                }
                Entry::Occupied(mut slot) => slot.get_mut().extend(indexes),
            }
        }
        groups
    }
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
pub(crate) fn granting_flags<'e>(entry: Entry<'e>) -> Vec<&'e str> {
    entry.fields().filter(is_granting).map(|(f, _)| f).collect()
}

/// Whether a field of an entry (name, value) is a flag that grants something.
fn is_granting((field, value): &(&str, &str)) -> bool {
    is_grant_flag(field) && grants_value(field, Some(value))
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

pub(crate) fn reasons_for(plan: &Plan, id: &EntryId, flags: &[&str]) -> Vec<Reason> {
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

/// Whether a sparse retrieved profile has no rows to compare `id` with: none of its kind, or, for
/// object and field rows, none for its object (neither an object row nor a field row). Binary
/// searches of the retrieved entries (sorted by id).
fn not_in_retrieve(retrieved: &Entries, id: &EntryId) -> bool {
    let holds = |group: &str, key: &str| retrieved.at_or_after(group, key).is_some_and(|e| e.id() == (group, key));
    let group_held = retrieved.at_or_after(&id.group, "").is_some_and(|e| e.group() == id.group);
    if !group_held {
        return true;
    }
    let object = match id.group.as_str() {
        "objectPermissions" => id.key.as_str(),
        "fieldPermissions" => id.key.split('.').next().unwrap_or_default(),
        _ => return false,
    };
    // A field row names its object before the first `.` (a row without one is the object's).
    let field_of = |e: Entry| e.group() == "fieldPermissions" && e.key().starts_with(&format!("{object}."));
    let has_field = !object.contains('.')
        && (holds("fieldPermissions", object)
            || retrieved.at_or_after("fieldPermissions", &format!("{object}.")).is_some_and(field_of));
    !(holds("objectPermissions", object) || has_field)
}

/// "set FLAG to OFF, … (why)": the fix of an excess profile entry, built in one string (a full
/// comparison of a large profile describes tens of thousands).
fn turn_off(flags: &[&str]) -> String {
    const WHY: &str = " (a profile deploy overlays: deleting the entry revokes nothing)";
    let mut fix = String::with_capacity(4 + flags.iter().map(|f| f.len() + 12).sum::<usize>() + WHY.len());
    fix.push_str("set ");
    for (i, flag) in flags.iter().enumerate() {
        if i > 0 {
            fix.push_str(", ");
        }
        fix.push_str(flag);
        fix.push_str(" to ");
        fix.push_str(off_value(flag));
    }
    fix.push_str(WHY);
    fix
}

/// An entry the retrieved file grants beyond the plan, described.
fn excess(entry: Entry, profile: bool) -> Change {
    let id = EntryId::of(entry);
    let fix = if profile {
        turn_off(&granting_flags(entry))
    } else {
        "delete it (a permission set deploy replaces the whole set)".into()
    };
    let note = risk_note(&id);
    Change { id, status: Status::Excess, flags: vec![], reasons: vec![], fix, note }
}

/// Compares the entries of a retrieved file with `generated` (the file `gen` writes for `plan`).
pub fn diff(plan: &Plan, generated: &Document, retrieved: Entries, scope: Scope) -> Changes {
    let profile = plan.output == OutputKind::Profile;
    let fragment = profile && scope == Scope::Fragment;
    let generated = Entries::of_document(generated);
    let mut found = Vec::new();
    for (retrieved_at, generated_at, entry_diff) in compare::differing(&retrieved, &generated) {
        let retrieved_entry = retrieved_at.map(|i| retrieved.get(i));
        let generated_entry = generated_at.map(|i| generated.get(i));
        // Described changes only: an excess entry is described when asked.
        let id_of = || EntryId::of(retrieved_entry.or(generated_entry).expect("on one side at least"));
        let change = match entry_diff {
            EntryDiff::Added => {
                let id = id_of();
                let entry = generated_entry.expect("added: in the generated file");
                if let Some(text) = entry.text() {
                    let expected = Some(text.to_string());
                    let fix = format!("set it to `{text}`");
                    let flags =
                        vec![FlagChange { field: String::new(), expected, actual: None, effect: Effect::Value }];
                    Change { id, status: Status::Changed, flags, reasons: vec![], fix, note: None }
                } else {
                    let flags = granting_flags(entry);
                    if flags.is_empty() {
                        continue;
                    }
                    let reasons = reasons_for(plan, &id, &flags);
                    if profile && not_in_retrieve(&retrieved, &id) {
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
                let entry = retrieved_entry.expect("removed: in the retrieved file");
                if let Some(text) = entry.text() {
                    if profile {
                        continue;
                    }
                    let id = id_of();
                    let flags = vec![FlagChange {
                        field: String::new(),
                        expected: None,
                        actual: Some(text.to_string()),
                        effect: Effect::Value,
                    }];
                    Change { id, status: Status::Changed, flags, reasons: vec![], fix: "remove it".into(), note: None }
                } else {
                    if !entry.fields().any(|field| is_granting(&field)) {
                        continue;
                    }
                    found.push(Found::Excess(retrieved_at.expect("removed: in the retrieved file") as u32));
                    continue;
                }
            }
            EntryDiff::Changed { fields } => {
                let id = id_of();
                let entry = generated_entry.expect("changed: in both files");
                if let Some(text) = entry.text() {
                    let expected = Some(text.to_string());
                    let actual = retrieved_entry.and_then(|e| e.text()).map(str::to_string);
                    let fix = format!("set it to `{text}`");
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
                    let missing: Vec<&str> =
                        flags.iter().filter(|f| f.effect == Effect::Missing).map(|f| f.field.as_str()).collect();
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
        found.push(Found::Described(Box::new(change)));
    }
    Changes { retrieved, profile, found }
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

    /// Each group's changes in the order found, a group met again later (a group's muting, added
    /// after the file's changes) included.
    #[test]
    fn changes_are_grouped_by_element_name_in_order() {
        let change = |group: &str, key: &str| Change {
            id: EntryId { group: group.into(), key: key.into() },
            status: Status::Missing,
            flags: vec![],
            reasons: vec![],
            fix: "add it".into(),
            note: None,
        };
        let mut changes = Changes::none(OutputKind::PermissionSet);
        changes.extend([change("b", "1"), change("b", "2"), change("a", "1"), change("b", "3"), change("c", "1")]);
        let groups: Vec<(&str, Vec<usize>)> = changes.by_group().into_iter().collect();
        assert_eq!(groups, [("a", vec![2]), ("b", vec![0, 1, 3]), ("c", vec![4])]);
    }

    /// The changes `diff` finds in `retrieved` against `generated`, by entry id.
    fn changes(plan: &Plan, generated: &Document, retrieved: &Document, scope: Scope) -> BTreeMap<String, Change> {
        let found = diff(plan, generated, Entries::of_document(retrieved), scope);
        found.iter().map(|c| (c.id.to_string(), c.into_owned())).collect()
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
        assert!(diff(&plan(set, &[]), &generated, Entries::of_document(&retrieved), Scope::Full).is_empty());
    }
}
