//! Permission set groups: a group's users get the permissions of its sets minus those its muting
//! permission set enables ("settings enabled by MutingPermissionSet are turned off for the
//! permission set group that it's a component of": Metadata API Developer Guide,
//! MutingPermissionSet). A grant the plan needs that a group containing the set mutes is missing
//! for that group's users, whatever the set holds; this module finds those grants.

use super::compare::{self, EntryId};
use super::report::{Change, Effect, FlagChange, Status, granting_flags, reasons_for};
use crate::metadata::entries::Entries;
use crate::metadata::{Document, Node};
use crate::solver::Plan;

/// A group holding the compared set, and one of its muting permission sets.
#[derive(Debug, Clone)]
pub struct GroupMuting<'a> {
    pub group: &'a str,
    pub muting_set: &'a str,
    pub muting: &'a Document,
}

/// The names a group's `permissionSets` (or `mutingPermissionSets`) list.
pub fn members<'a>(group: &'a Document, element: &str) -> Vec<&'a str> {
    group.children.iter().filter(|n| n.name == element).filter_map(Node::text).map(str::trim).collect()
}

/// Every grant of `generated` (what `gen` writes for `plan`) that a muting set of a group holding
/// the set turns off: one missing change per entry and muting set, naming both.
pub fn muted(plan: &Plan, generated: &Document, set: &str, groups: &[GroupMuting]) -> Vec<Change> {
    let needed = Entries::of_document(generated);
    let mut out = Vec::new();
    for group in groups {
        let muting = Entries::of_document(group.muting);
        for (needed_at, muting_at) in compare::side_by_side(&needed, &muting) {
            let (Some(needed_at), Some(muting_at)) = (needed_at, muting_at) else { continue };
            let (entry, mute) = (needed.get(needed_at), muting.get(muting_at));
            let muted_flags = granting_flags(mute);
            let flags: Vec<&str> = granting_flags(entry).into_iter().filter(|f| muted_flags.contains(f)).collect();
            if flags.is_empty() {
                continue;
            }
            out.push(change(plan, &EntryId::of(entry), &flags, set, group));
        }
    }
    out
}

fn change(plan: &Plan, id: &EntryId, flags: &[&str], set: &str, group: &GroupMuting) -> Change {
    let flag_changes = flags
        .iter()
        .map(|f| FlagChange {
            field: f.to_string(),
            expected: Some("true".into()),
            actual: Some(format!("muted by {}", group.muting_set)),
            effect: Effect::Missing,
        })
        .collect();
    Change {
        id: id.clone(),
        status: Status::Missing,
        flags: flag_changes,
        reasons: reasons_for(plan, id, flags),
        fix: format!(
            "un-mute it: set {} to false in muting permission set `{}`, or assign `{set}` outside group `{}`",
            flags.join(", "),
            group.muting_set,
            group.group
        ),
        note: Some(format!(
            "muted in permission set group `{}` by muting permission set `{}`: the group's users do not get it",
            group.group, group.muting_set
        )),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::access::Item;
    use crate::metadata::OutputKind;
    use crate::metadata::read::parse;
    use crate::solver::{Asked, Reason};

    #[test]
    fn lists_members_in_file_order() {
        let group = parse(
            "<PermissionSetGroup xmlns=\"http://soap.sforce.com/2006/04/metadata\"><label>G</label><mutingPermissionSets>M</mutingPermissionSets><permissionSets>B</permissionSets><permissionSets> A </permissionSets></PermissionSetGroup>",
        )
        .unwrap();
        assert_eq!(members(&group, "permissionSets"), ["B", "A"]);
        assert_eq!(members(&group, "mutingPermissionSets"), ["M"]);
    }

    fn document(root: &str, entries: &[(&str, &[(&str, &str)])]) -> Document {
        let mut doc = Document::new(root);
        for (name, fields) in entries {
            doc.entry(name, fields);
        }
        doc
    }

    /// A grant the set needs is missing for a group's users exactly when a muting set of the group
    /// enables the same flag of the same entry: one change per entry and muting set, naming the
    /// flags muted, with the plan's reasons, the two ways out and whose users lose it. A flag the
    /// muting set leaves false, an entry the set does not grant, and a muting set that mutes
    /// nothing the set grants change nothing.
    #[test]
    fn a_grant_is_missing_for_a_groups_users_when_its_muting_set_enables_the_same_flag() {
        let asked = Asked::UserPermission("ApiEnabled".into());
        let grants = BTreeMap::from([(Item::UserPermission("ApiEnabled".into()), vec![Reason::CommandLine { asked }])]);
        let plan = Plan::of_grants("test", OutputKind::PermissionSet, grants);
        let account = [("allowEdit", "true"), ("allowRead", "true"), ("object", "Account")];
        let generated = document(
            "PermissionSet",
            &[
                ("objectPermissions", &account),
                ("userPermissions", &[("enabled", "true"), ("name", "ApiEnabled")]),
                ("userPermissions", &[("enabled", "true"), ("name", "ViewSetup")]),
            ],
        );
        let muting = document(
            "MutingPermissionSet",
            &[
                ("objectPermissions", &[("allowEdit", "true"), ("allowRead", "false"), ("object", "Account")]),
                ("objectPermissions", &[("allowRead", "true"), ("object", "Contact")]),
                ("userPermissions", &[("enabled", "true"), ("name", "ApiEnabled")]),
                ("userPermissions", &[("enabled", "false"), ("name", "ViewSetup")]),
            ],
        );
        let unrelated =
            document("MutingPermissionSet", &[("userPermissions", &[("enabled", "true"), ("name", "ModifyAllData")])]);
        let groups = [
            GroupMuting { group: "Sync_Group", muting_set: "Sync_Muted", muting: &muting },
            GroupMuting { group: "Other_Group", muting_set: "Other_Muted", muting: &unrelated },
        ];
        let found = muted(&plan, &generated, "Acme_Sync", &groups);
        let summary: Vec<(String, Vec<&str>, usize)> = found
            .iter()
            .map(|c| {
                (
                    format!("{} {}", c.id.group, c.id.key),
                    c.flags.iter().map(|f| f.field.as_str()).collect(),
                    c.reasons.len(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("objectPermissions Account".to_string(), vec!["allowEdit"], 0),
                ("userPermissions ApiEnabled".to_string(), vec!["enabled"], 1)
            ]
        );
        let api = &found[1];
        assert_eq!(api.status, Status::Missing);
        assert_eq!(
            api.flags,
            [FlagChange {
                field: "enabled".into(),
                expected: Some("true".into()),
                actual: Some("muted by Sync_Muted".into()),
                effect: Effect::Missing
            }]
        );
        assert_eq!(
            api.fix,
            "un-mute it: set enabled to false in muting permission set `Sync_Muted`, or assign `Acme_Sync` outside group `Sync_Group`"
        );
        assert_eq!(
            api.note.as_deref(),
            Some(
                "muted in permission set group `Sync_Group` by muting permission set `Sync_Muted`: the group's users do not get it"
            )
        );
        assert!(muted(&plan, &generated, "Acme_Sync", &groups[1..]).is_empty());
    }
}
