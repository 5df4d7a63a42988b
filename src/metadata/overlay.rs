//! What a profile deploy does to the profile it lands on, done to a file: the fragment's entries
//! replace the entries with the same key and the rest stay ("we designed Profile metadata
//! deployment to overlay the existing Profile settings", Metadata API guide, Profile). Used to
//! update a profile file of an SFDX project in place, and to merge package.xml members.

use super::document::{Content, Document, Node};

/// The identity of a top-level element: its name and, for keyed groups, its key and second key
/// (a profile's `layoutAssignments` for one layout differ by `recordType`).
fn identity(node: &Node) -> (&str, Option<&str>, Option<&str>) {
    let (key, second) = super::canonical::entry_key(node);
    (&node.name, key, second)
}

/// `existing` with every element of `fragment` put over it.
pub(crate) fn overlay(existing: &Document, fragment: &Document) -> Document {
    let mut out = existing.clone();
    for node in &fragment.children {
        let id = identity(node);
        let keyed = id.1.is_some() || matches!(node.content, Content::Text(_));
        match out.children.iter_mut().find(|n| keyed && identity(n) == id) {
            Some(slot) => {
                let mut new = node.clone();
                carry_over(slot, &mut new);
                *slot = new;
            }
            None => out.children.push(node.clone()),
        }
    }
    out
}

/// Keeps what a person wrote on an entry the fragment replaces: its comments and attributes, and
/// those of each of its values the fragment writes again (matched by element name, in order).
fn carry_over(old: &Node, new: &mut Node) {
    if new.comments.is_empty() {
        new.comments = old.comments.clone();
    }
    if new.attrs.is_empty() {
        new.attrs = old.attrs.clone();
    }
    if new.tail.is_empty() {
        new.tail = old.tail.clone();
    }
    if let Content::Children(children) = &mut new.content {
        let mut used = vec![false; old.children().len()];
        for child in children.iter_mut() {
            let found = old.children().iter().enumerate().find(|(i, c)| !used[*i] && c.name == child.name);
            if let Some((i, old_child)) = found {
                used[i] = true;
                if child.comments.is_empty() {
                    child.comments = old_child.comments.clone();
                }
                if child.attrs.is_empty() {
                    child.attrs = old_child.attrs.clone();
                }
            }
        }
    }
}

/// package.xml `existing` with the members of `fragment` added to their types, and its version.
pub(crate) fn merge_package(existing: &Document, fragment: &Document) -> Document {
    let mut out = existing.clone();
    for node in &fragment.children {
        if node.name != "types" {
            out.children.retain(|n| n.name != node.name);
            out.children.push(node.clone());
            continue;
        }
        let kind = node.child_text("name");
        match out.children.iter_mut().find(|n| n.name == "types" && n.child_text("name") == kind) {
            Some(Node { content: Content::Children(children), .. }) => {
                for member in node.children().iter().filter(|c| c.name == "members") {
                    if !children.iter().any(|c| c.name == "members" && c.text() == member.text()) {
                        children.push(member.clone());
                    }
                }
            }
            _ => out.children.push(node.clone()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragment_entries_replace_their_keys_and_keep_the_rest() {
        let mut existing = Document::new("Profile");
        existing.entry("userPermissions", &[("enabled", "true"), ("name", "RunReports")]);
        existing.entry("objectPermissions", &[("allowRead", "false"), ("object", "Account")]);
        existing.leaf("userLicense", "Salesforce");
        let mut fragment = Document::new("Profile");
        fragment.entry("objectPermissions", &[("allowRead", "true"), ("object", "Account")]);
        fragment.entry("userPermissions", &[("enabled", "true"), ("name", "ApiEnabled")]);
        let merged = overlay(&existing, &fragment);
        assert_eq!(merged.children.len(), 4);
        let account = merged.children.iter().find(|n| n.child_text("object") == Some("Account")).unwrap();
        assert_eq!(account.child_text("allowRead"), Some("true"));
    }

    #[test]
    fn comments_and_attributes_on_a_replaced_entry_stay() {
        let mut existing = Document::new("Profile");
        let mut entry = Node::entry("userPermissions", &[("enabled", "false"), ("name", "ApiEnabled")]);
        entry.comments = vec![" needed by the sync ".into()];
        entry.attrs = vec![("xsi:type".into(), "X".into())];
        entry.tail = vec![" end ".into()];
        if let Content::Children(children) = &mut entry.content {
            children[0].comments = vec![" was off ".into()];
        }
        existing.children.push(entry);
        let mut fragment = Document::new("Profile");
        fragment.entry("userPermissions", &[("enabled", "true"), ("name", "ApiEnabled")]);
        let merged = overlay(&existing, &fragment);
        let node = &merged.children[0];
        assert_eq!(node.child_text("enabled"), Some("true"));
        assert_eq!(node.comments, [" needed by the sync "]);
        assert_eq!(node.attrs, [("xsi:type".to_string(), "X".to_string())]);
        assert_eq!(node.tail, [" end "]);
        assert_eq!(node.children()[0].comments, [" was off "]);
    }

    #[test]
    fn values_are_replaced_and_groups_without_a_key_are_added() {
        let mut existing = Document::new("Profile");
        existing.leaf("userLicense", "Salesforce");
        existing.entry("loginIpRanges", &[("endAddress", "10.0.0.1"), ("startAddress", "10.0.0.1")]);
        let mut fragment = Document::new("Profile");
        fragment.leaf("userLicense", "Salesforce Platform");
        fragment.entry("loginIpRanges", &[("endAddress", "10.0.0.2"), ("startAddress", "10.0.0.2")]);
        let merged = overlay(&existing, &fragment);
        let names: Vec<&str> = merged.children.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["userLicense", "loginIpRanges", "loginIpRanges"]);
        assert_eq!(merged.children[0].text(), Some("Salesforce Platform"));
    }

    #[test]
    fn layout_assignments_are_matched_by_layout_and_record_type() {
        let assignment = |record_type: &str, layout: &str| {
            let mut fields = vec![("layout", layout)];
            if !record_type.is_empty() {
                fields.push(("recordType", record_type));
            }
            Node::entry("layoutAssignments", &fields)
        };
        let mut existing = Document::new("Profile");
        existing.children.push(assignment("", "Account-Account Layout"));
        existing.children.push(assignment("Account.Partner", "Account-Account Layout"));
        let mut fragment = Document::new("Profile");
        fragment.children.push(assignment("Account.Partner", "Account-Partner Layout"));
        fragment.children.push(assignment("Account.Customer", "Account-Account Layout"));
        let merged = overlay(&existing, &fragment);
        let keys: Vec<_> = merged.children.iter().map(crate::metadata::canonical::entry_key).collect();
        assert_eq!(
            keys,
            [
                (Some("Account-Account Layout"), None),
                (Some("Account-Account Layout"), Some("Account.Partner")),
                (Some("Account-Partner Layout"), Some("Account.Partner")),
                (Some("Account-Account Layout"), Some("Account.Customer")),
            ]
        );
    }

    #[test]
    fn a_fragment_s_own_comments_win_and_repeated_values_match_in_order() {
        let mut existing = Document::new("Profile");
        let mut entry = Node::entry("types", &[("members", "A"), ("members", "B"), ("name", "X")]);
        if let Content::Children(children) = &mut entry.content {
            children[0].attrs = vec![("a".into(), "first".into())];
            children[1].attrs = vec![("a".into(), "second".into())];
        }
        entry.comments = vec![" old ".into()];
        existing.children.push(entry);
        let mut fragment = Document::new("Profile");
        let mut new = Node::entry("types", &[("members", "C"), ("members", "D"), ("name", "X")]);
        new.comments = vec![" new ".into()];
        if let Content::Children(children) = &mut new.content {
            children[1].attrs = vec![("a".into(), "mine".into())];
        }
        fragment.children.push(new);
        let merged = overlay(&existing, &fragment);
        let node = &merged.children[0];
        assert_eq!(node.comments, [" new "]);
        let attrs: Vec<&str> = node.children().iter().map(|c| c.attrs.first().map_or("", |a| a.1.as_str())).collect();
        assert_eq!(attrs, ["first", "mine", ""]);
    }

    fn package(types: &[(&str, &[&str])], version: &str) -> Document {
        let mut doc = Document::new("Package");
        for (name, members) in types {
            let mut fields: Vec<(&str, &str)> = members.iter().map(|m| ("members", *m)).collect();
            fields.push(("name", name));
            doc.entry("types", &fields);
        }
        doc.leaf("version", version);
        doc
    }

    #[test]
    fn package_members_join_their_type_once_and_the_version_is_the_fragment_s() {
        let existing = package(&[("PermissionSet", &["A", "B"]), ("Profile", &["P"])], "60.0");
        let fragment = package(&[("PermissionSet", &["B", "C"]), ("PermissionSetGroup", &["G"])], "66.0");
        let merged = merge_package(&existing, &fragment);
        let summary: Vec<(String, Vec<&str>)> = merged
            .children
            .iter()
            .map(|n| {
                let texts = n.children().iter().filter(|c| c.name == "members").filter_map(Node::text).collect();
                (format!("{}:{}", n.name, n.child_text("name").or(n.text()).unwrap_or("")), texts)
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("types:PermissionSet".to_string(), vec!["A", "B", "C"]),
                ("types:Profile".to_string(), vec!["P"]),
                ("types:PermissionSetGroup".to_string(), vec!["G"]),
                ("version:66.0".to_string(), vec![]),
            ]
        );
    }
}
