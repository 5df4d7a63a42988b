//! The three files sfperms generates, as `Document`s: a complete PermissionSet (a deploy replaces
//! it), a Profile fragment with only its own entries (a deploy overlays it), and package.xml.

use std::collections::BTreeMap;

use crate::access::{FieldAccess, Item, ObjectAccess};
use crate::metadata::{Document, Node};
use crate::solver::Plan;

/// What names and describes the generated file.
#[derive(Debug, Clone)]
pub struct FileMeta {
    /// API name (permission set) or profile name.
    pub name: String,
    pub label: String,
    pub description: String,
}

/// Salesforce caps PermissionSet and Profile descriptions at 255 characters.
const DESCRIPTION_LIMIT: usize = 255;

fn truncate(s: &str, limit: usize) -> String {
    if s.chars().count() <= limit {
        return s.to_string();
    }
    let mut out: String = s.chars().take(limit - 1).collect();
    out.push('…');
    out
}

fn bool_text(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

/// The grant entries shared by both file kinds, in any order (`render` sorts them).
fn grant_entries(plan: &Plan, doc: &mut Document) {
    let mut objects: BTreeMap<&str, Vec<ObjectAccess>> = BTreeMap::new();
    let mut fields: BTreeMap<&str, FieldAccess> = BTreeMap::new();
    for item in plan.grants.keys() {
        match item {
            Item::UserPermission(name) => doc.entry("userPermissions", &[("enabled", "true"), ("name", name)]),
            Item::Object(object, access) => objects.entry(object).or_default().push(*access),
            Item::Field(field, access) => {
                let entry = fields.entry(field).or_insert(*access);
                *entry = (*entry).max(*access);
            }
            Item::ApexClass(class) => doc.entry("classAccesses", &[("apexClass", class), ("enabled", "true")]),
            Item::CustomMetadataType(name) => {
                doc.entry("customMetadataTypeAccesses", &[("enabled", "true"), ("name", name)])
            }
            Item::ExternalCredentialPrincipal(principal) => doc.entry(
                "externalCredentialPrincipalAccesses",
                &[("enabled", "true"), ("externalCredentialPrincipal", principal)],
            ),
        }
    }
    for (object, accesses) in objects {
        let flag = |a: ObjectAccess| bool_text(accesses.contains(&a));
        // Every flag is written, false ones too: the PermissionSet schema requires them, and on a
        // profile an explicit false is what revokes (a profile deploy overlays).
        doc.entry(
            "objectPermissions",
            &[
                ("allowCreate", flag(ObjectAccess::Create)),
                ("allowDelete", flag(ObjectAccess::Delete)),
                ("allowEdit", flag(ObjectAccess::Edit)),
                ("allowRead", flag(ObjectAccess::Read)),
                ("modifyAllRecords", flag(ObjectAccess::ModifyAll)),
                ("object", object),
                ("viewAllRecords", flag(ObjectAccess::ViewAll)),
            ],
        );
    }
    for (field, access) in fields {
        doc.entry(
            "fieldPermissions",
            &[("editable", bool_text(access == FieldAccess::Edit)), ("field", field), ("readable", "true")],
        );
    }
}

/// A complete PermissionSet.
pub fn permission_set(plan: &Plan, meta: &FileMeta) -> Document {
    let mut doc = Document::new("PermissionSet");
    doc.leaf("description", truncate(&meta.description, DESCRIPTION_LIMIT));
    doc.leaf("hasActivationRequired", "false");
    doc.leaf("label", meta.label.clone());
    if let Some(licence) = &plan.licence {
        doc.leaf("license", licence.clone());
    }
    grant_entries(plan, &mut doc);
    doc
}

/// A Profile fragment: the grants only, or, for a profile to be created, also `custom`,
/// `userLicense` and the description.
pub fn profile(plan: &Plan, meta: &FileMeta, new_profile_license: Option<&str>) -> Document {
    let mut doc = Document::new("Profile");
    if let Some(license) = new_profile_license {
        doc.leaf("custom", "true");
        doc.leaf("description", truncate(&meta.description, DESCRIPTION_LIMIT));
        doc.leaf("userLicense", license);
    }
    grant_entries(plan, &mut doc);
    doc
}

/// A package.xml naming `members` (metadata type → member names) at `api_version`.
pub fn package_xml(members: &BTreeMap<&str, Vec<String>>, api_version: &str) -> Document {
    let mut doc = Document::new("Package");
    for (kind, names) in members {
        let mut children: Vec<Node> = names.iter().map(|n| Node::leaf("members", n.clone())).collect();
        children.push(Node::leaf("name", *kind));
        doc.children.push(Node::new("types", crate::metadata::Content::Children(children)));
    }
    doc.leaf("version", api_version);
    doc
}

/// A new permission set group `name` holding set `set` (label: the name with spaces for `_`).
pub fn permission_set_group(name: &str, set: &str) -> Document {
    let mut doc = Document::new("PermissionSetGroup");
    doc.leaf(
        "description",
        format!("Holds {set}, generated by sfperms; assign the group, not the set, and add other sets or a muting permission set as your org needs."),
    );
    doc.leaf("label", name.replace('_', " "));
    doc.leaf("permissionSets", set);
    doc
}

/// `group` with `set` among its `permissionSets` (appended after the others when absent;
/// everything else as it was).
pub fn group_with_member(group: &Document, set: &str) -> Document {
    let mut out = group.clone();
    let listed = out.children.iter().any(|n| n.name == "permissionSets" && n.text().map(str::trim) == Some(set));
    if !listed {
        let at = out.children.iter().rposition(|n| n.name == "permissionSets").map_or(out.children.len(), |i| i + 1);
        out.children.insert(at, Node::leaf("permissionSets", set));
    }
    out
}
