//! The org audit: the risky grants of one PermissionSet or Profile, and a ranking of many by them.
//! A grant is risky when `privilege.tsv` rates its user permission medium or high (Modify All
//! Data, View All Data, Manage Users, Author Apex, Customize Application, …), or when it is an
//! object's Modify All or View All (which ignore sharing on that object). Ranks are the ones the
//! solver chooses by (`solver::cost`), so the audit and `gen` weigh privilege alike. Pure: the
//! binary reads the files and renders the result.

use serde::Serialize;

use crate::access::{Item, ObjectAccess};
use crate::diff::compare::{self, boolean};
use crate::metadata::Document;
use crate::platform::permissions::{self, Risk};
use crate::solver;

/// Why Modify All / View All on one object is risky: they ignore sharing for that object. Source:
/// Salesforce Help, "“View All” and “Modify All” Permissions Overview" ("The “View All” and
/// “Modify All” permissions ignore sharing rules and settings"),
/// https://help.salesforce.com/s/articleView?id=platform.users_profiles_view_all_mod_all.htm;
/// Modify All "lets users read, edit, and delete all of the records of that object"
/// (https://developer.salesforce.com/docs/atlas.en-us.206.0.fundamentals.meta/fundamentals/adg_securing_data_override_sharing_object_perm.htm).
const MODIFY_ALL_WHY: &str = "reads, edits and deletes every record of the object, ignoring sharing";
const VIEW_ALL_WHY: &str = "reads every record of the object, ignoring sharing";

/// One risky grant of a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RiskyGrant {
    #[serde(skip)]
    pub item: Item,
    /// `user-permission` or `object` (the item, for JSON).
    pub kind: &'static str,
    pub name: String,
    /// `modify-all` or `view-all` for an object.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access: Option<&'static str>,
    /// On the scale of `privilege.tsv` (0-100; an object's Modify All is 10, View All 6).
    pub rank: u64,
    pub risk: Risk,
    pub why: &'static str,
}

/// The risky grants of one file, riskiest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Audit {
    pub grants: Vec<RiskyGrant>,
    /// The sum of the ranks: how much the file gives away in all.
    pub score: u64,
}

impl RiskyGrant {
    fn new(item: Item, risk: Risk, why: &'static str) -> RiskyGrant {
        RiskyGrant {
            kind: item.kind(),
            name: item.name().to_string(),
            access: item.access_word(),
            rank: solver::cost(&item),
            item,
            risk,
            why,
        }
    }
}

impl Audit {
    /// The highest rank of a grant (0 when there is none).
    pub fn top(&self) -> u64 {
        self.grants.first().map_or(0, |g| g.rank)
    }
}

fn enabled(fields: &compare::Fields, flag: &str) -> bool {
    fields.get(flag).and_then(|v| boolean(v)) == Some(true)
}

/// The risky grants of a PermissionSet or Profile.
pub fn audit(doc: &Document) -> Audit {
    let mut grants = Vec::new();
    for (id, node) in compare::entries(doc) {
        let fields = compare::fields(node);
        match id.group.as_str() {
            "userPermissions" if enabled(&fields, "enabled") => {
                let p = permissions::privilege(&id.key);
                if p.risk != Risk::Low {
                    grants.push(RiskyGrant::new(Item::UserPermission(id.key.clone()), p.risk, p.why));
                }
            }
            "objectPermissions" => {
                // Modify All carries View All: name the larger one only.
                let (access, why) = if enabled(&fields, ObjectAccess::ModifyAll.element()) {
                    (ObjectAccess::ModifyAll, MODIFY_ALL_WHY)
                } else if enabled(&fields, ObjectAccess::ViewAll.element()) {
                    (ObjectAccess::ViewAll, VIEW_ALL_WHY)
                } else {
                    continue;
                };
                grants.push(RiskyGrant::new(Item::Object(id.key.clone(), access), Risk::Medium, why));
            }
            _ => {}
        }
    }
    grants.sort_by(|a, b| b.rank.cmp(&a.rank).then_with(|| a.item.cmp(&b.item)));
    let score = grants.iter().map(|g| g.rank).sum();
    Audit { grants, score }
}

/// Orders audited files riskiest first: by their riskiest grant, then by all they give away, then
/// by `key` (stable output).
pub fn rank<T>(files: &mut [T], audit: impl Fn(&T) -> &Audit, key: impl Fn(&T) -> &str) {
    files.sort_by(|a, b| {
        let (x, y) = (audit(a), audit(b));
        y.top().cmp(&x.top()).then(y.score.cmp(&x.score)).then_with(|| key(a).cmp(key(b)))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn risky_grants_are_ranked_and_low_ones_left_out() {
        let mut doc = Document::new("PermissionSet");
        doc.entry("userPermissions", &[("enabled", "true"), ("name", "ApiEnabled")]);
        doc.entry("userPermissions", &[("enabled", "true"), ("name", "ViewAllData")]);
        doc.entry("userPermissions", &[("enabled", "false"), ("name", "ModifyAllData")]);
        doc.entry("userPermissions", &[("enabled", "true"), ("name", "ViewSetup")]);
        doc.entry(
            "objectPermissions",
            &[("allowRead", "true"), ("modifyAllRecords", "true"), ("object", "Account"), ("viewAllRecords", "true")],
        );
        doc.entry("objectPermissions", &[("allowRead", "true"), ("object", "Contact"), ("viewAllRecords", "1")]);
        doc.entry("objectPermissions", &[("allowRead", "true"), ("object", "Case"), ("viewAllRecords", "false")]);
        let audit = audit(&doc);
        let listed: Vec<String> = audit.grants.iter().map(|g| format!("{} {}", g.item, g.rank)).collect();
        assert_eq!(listed.len(), 4, "{listed:?}");
        assert!(listed[0].contains("ViewAllData") && listed[0].ends_with(" 90"), "{listed:?}");
        assert!(listed[1].contains("ViewSetup") && listed[1].ends_with(" 20"), "{listed:?}");
        assert!(listed[2].contains("Account") && listed[2].ends_with(" 10"), "{listed:?}");
        assert!(listed[3].contains("Contact") && listed[3].ends_with(" 6"), "{listed:?}");
        assert_eq!(audit.score, 126);
        assert_eq!(audit.top(), 90);
    }

    #[test]
    fn files_rank_by_their_riskiest_grant_first() {
        let grant = |rank| RiskyGrant { rank, ..RiskyGrant::new(Item::UserPermission("X".into()), Risk::High, "") };
        let a = ("a", Audit { grants: vec![grant(60), grant(60)], score: 120 });
        let b = ("b", Audit { grants: vec![grant(100)], score: 100 });
        let c = ("c", Audit { grants: vec![grant(60)], score: 60 });
        let mut files = vec![c, a, b];
        rank(&mut files, |f| &f.1, |f| f.0);
        let order: Vec<&str> = files.iter().map(|f| f.0).collect();
        assert_eq!(order, ["b", "a", "c"]);
    }
}
