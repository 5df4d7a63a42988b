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
    use super::*;
    use crate::metadata::read::parse;

    #[test]
    fn lists_members_in_file_order() {
        let group = parse(
            "<PermissionSetGroup xmlns=\"http://soap.sforce.com/2006/04/metadata\"><label>G</label><mutingPermissionSets>M</mutingPermissionSets><permissionSets>B</permissionSets><permissionSets> A </permissionSets></PermissionSetGroup>",
        )
        .unwrap();
        assert_eq!(members(&group, "permissionSets"), ["B", "A"]);
        assert_eq!(members(&group, "mutingPermissionSets"), ["M"]);
    }
}
