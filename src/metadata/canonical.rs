//! Salesforce's canonical order, the one a retrieve writes: the base `fullName` first, then
//! elements in alphabetical order (the Metadata API schema's sequences are alphabetical), and the
//! entries of a repeated group sorted byte-wise by their key (`data/entry-keys.tsv`). Sorting is
//! stable, so values, and groups without a known key, keep their order.

use std::sync::OnceLock;

use super::document::{Content, Document, Node};
use crate::tsv;

const ENTRY_KEYS: &str = include_str!("data/entry-keys.tsv");

/// Elements of the schema's `Metadata` base type, which come before the type's own elements.
const BASE_ELEMENTS: [&str; 2] = ["fullName", "module"];

/// A group's key and second key (`.`: the entry's own text).
type GroupKeys = (&'static str, Option<&'static str>);

/// The groups and their keys, in the file's order. A list, not a map: about thirty names, and
/// comparing lengths first rules out almost all of them for a name (most names asked about are
/// values, `enabled`, `field`, …, not groups).
fn entry_keys() -> &'static [(&'static str, GroupKeys)] {
    static TABLE: OnceLock<Vec<(&'static str, GroupKeys)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Vec::new();
        tsv::for_each_row(ENTRY_KEYS, |row| {
            let then = Some(row.get("then")).filter(|t| *t != "-");
            table.push((row.get("group"), (row.get("key"), then)));
        });
        table
    })
}

/// The key and second key entries of group `name` are sorted by (`.`: the entry's own text).
/// Asked for every element read and ordered, so the table is searched by the name's length first
/// (most names asked about, `enabled`, `field`, …, have no group of their length or one or two).
pub(crate) fn group_keys(name: &str) -> Option<(&'static str, Option<&'static str>)> {
    static BY_LENGTH: OnceLock<Vec<Vec<(&'static str, GroupKeys)>>> = OnceLock::new();
    let by_length = BY_LENGTH.get_or_init(|| {
        let mut by_length: Vec<Vec<(&'static str, GroupKeys)>> = Vec::new();
        for &(group, keys) in entry_keys() {
            if by_length.len() <= group.len() {
                by_length.resize(group.len() + 1, Vec::new());
            }
            by_length[group.len()].push((group, keys));
        }
        by_length
    });
    by_length.get(name.len())?.iter().find(|(group, _)| *group == name).map(|(_, keys)| *keys)
}

/// Whether the entries of group `name` are sorted by their own text (key `.`, package.xml
/// `members`): the only groups whose leaves have a key.
pub(crate) fn is_keyed_by_own_text(name: &str) -> bool {
    static GROUPS: OnceLock<Vec<&'static str>> = OnceLock::new();
    let groups = GROUPS.get_or_init(|| {
        entry_keys().iter().filter(|(_, (key, then))| *key == "." || *then == Some(".")).map(|(g, _)| *g).collect()
    });
    groups.contains(&name)
}

/// Where an element goes among its siblings.
pub(crate) fn element_rank(name: &str) -> (usize, &str) {
    match BASE_ELEMENTS.iter().position(|b| *b == name) {
        Some(i) => (i, ""),
        None => (BASE_ELEMENTS.len(), name),
    }
}

/// The key an entry of a known group is identified by (`objectPermissions` → its `object`).
pub(crate) fn key_of<S: AsRef<str>>(node: &Node<S>) -> Option<&str> {
    group_keys(node.name()).and_then(|(key, _)| key_text(node, key))
}

/// The text of child `key`, or the node's own text where the key is `.` (package.xml `members`).
fn key_text<'a, S: AsRef<str>>(node: &'a Node<S>, key: &str) -> Option<&'a str> {
    if key == "." { node.text() } else { node.child_text(key) }
}

/// The key and second key an entry of a known group is sorted and identified by
/// (`layoutAssignments` → its `layout` and `recordType`); `(None, None)` for other elements.
pub(crate) fn entry_key<S: AsRef<str>>(node: &Node<S>) -> (Option<&str>, Option<&str>) {
    match group_keys(node.name()) {
        Some((key, then)) => (key_text(node, key), then.and_then(|t| key_text(node, t))),
        None => (None, None),
    }
}

/// Where a node goes among its siblings: its rank, then its keys.
type Place<'a> = ((usize, &'a str), (Option<&'a str>, Option<&'a str>));

fn place<S: AsRef<str>>(node: &Node<S>) -> Place<'_> {
    (element_rank(node.name()), entry_key(node))
}

/// Sorts siblings by rank, then key (stable). Siblings already in order (almost every file read)
/// are found so in one pass that allocates nothing; otherwise each node's key is found once (a
/// table lookup and a scan of its children), not once per comparison.
fn sort_siblings<S: AsRef<str>>(nodes: &mut [Node<S>]) {
    let mut previous: Option<Place> = None;
    let in_order = nodes.iter().all(|node| {
        let here = place(node);
        let ordered = previous.is_none_or(|before| before <= here);
        previous = Some(here);
        ordered
    });
    if in_order {
        return;
    }
    let order: Vec<usize> = {
        let mut keyed: Vec<(usize, Place)> = nodes.iter().enumerate().map(|(i, n)| (i, place(n))).collect();
        keyed.sort_by(|a, b| a.1.cmp(&b.1));
        keyed.into_iter().map(|(i, _)| i).collect()
    };
    // Each node moves once: follow the cycles of the permutation (slot `at` takes node `order[at]`).
    let mut placed = vec![false; nodes.len()];
    for start in 0..nodes.len() {
        if placed[start] {
            continue;
        }
        let mut at = start;
        while order[at] != start {
            nodes.swap(at, order[at]);
            placed[at] = true;
            at = order[at];
        }
        placed[at] = true;
    }
}

/// Puts `doc` into canonical order, in place. An explicit stack of sibling lists: nothing recurses
/// on the input's structure.
pub fn canonicalize<S: AsRef<str>>(doc: &mut Document<S>) {
    let mut pending: Vec<&mut Vec<Node<S>>> = vec![&mut doc.children];
    while let Some(siblings) = pending.pop() {
        sort_siblings(siblings);
        for node in siblings {
            if let Content::Children(children) = &mut node.content {
                pending.push(children);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_groups_entries_and_children() {
        let mut doc = Document::new("PermissionSet");
        doc.entry("userPermissions", &[("name", "ViewSetup"), ("enabled", "true")]);
        doc.leaf("label", "X");
        doc.entry("userPermissions", &[("enabled", "true"), ("name", "ApiEnabled")]);
        doc.entry("objectPermissions", &[("object", "b__c"), ("allowRead", "true")]);
        doc.entry("objectPermissions", &[("object", "Contact"), ("allowRead", "true")]);
        doc.leaf("fullName", "X");
        canonicalize(&mut doc);
        let names: Vec<&str> = doc.children.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(
            names,
            ["fullName", "label", "objectPermissions", "objectPermissions", "userPermissions", "userPermissions"]
        );
        assert_eq!(doc.children[2].child_text("object"), Some("Contact"));
        assert_eq!(doc.children[4].child_text("name"), Some("ApiEnabled"));
        assert_eq!(doc.children[5].children()[0].name, "enabled");
    }

    #[test]
    fn package_members_are_sorted_before_the_type_name() {
        let mut doc = Document::new("Package");
        let types = Node::entry("types", &[("name", "Profile"), ("members", "b"), ("members", "B"), ("members", "a")]);
        doc.children.push(types);
        canonicalize(&mut doc);
        let order: Vec<&str> = doc.children[0].children().iter().filter_map(Node::text).collect();
        assert_eq!(order, ["B", "a", "b", "Profile"]);
    }

    /// The entries' (key, second key), in document order.
    fn keys(doc: &Document) -> Vec<(Option<&str>, Option<&str>)> {
        doc.children.iter().map(entry_key).collect()
    }

    #[test]
    fn layout_assignments_sort_by_layout_then_record_type_with_none_first() {
        let mut doc = Document::new("Profile");
        doc.entry("layoutAssignments", &[("layout", "Account-B"), ("recordType", "Account.Z")]);
        doc.entry("layoutAssignments", &[("layout", "Account-A"), ("recordType", "Account.Y")]);
        doc.entry("layoutAssignments", &[("layout", "Account-B"), ("recordType", "Account.X")]);
        doc.entry("layoutAssignments", &[("layout", "Account-B")]);
        canonicalize(&mut doc);
        assert_eq!(
            keys(&doc),
            [
                (Some("Account-A"), Some("Account.Y")),
                (Some("Account-B"), None),
                (Some("Account-B"), Some("Account.X")),
                (Some("Account-B"), Some("Account.Z")),
            ]
        );
    }

    #[test]
    fn the_key_table_names_each_group_s_keys() {
        let assignment = Node::entry("layoutAssignments", &[("recordType", "R"), ("layout", "L")]);
        assert_eq!(entry_key(&assignment), (Some("L"), Some("R")));
        assert_eq!(key_of(&assignment), Some("L"));
        let object = Node::entry("objectPermissions", &[("allowRead", "true"), ("object", "O")]);
        assert_eq!(entry_key(&object), (Some("O"), None));
        assert_eq!(entry_key(&Node::leaf("members", "M")), (Some("M"), None));
        assert_eq!(entry_key(&Node::leaf("label", "x")), (None, None));
        assert_eq!(key_of(&Node::leaf("label", "x")), None);
        assert_eq!(group_keys("layoutAssignments"), Some(("layout", Some("recordType"))));
        assert_eq!(group_keys("fieldPermissions"), Some(("field", None)));
        // The header row and the comment lines are not groups.
        assert_eq!(group_keys("group"), None);
        assert!(entry_keys().iter().all(|(k, _)| !k.starts_with('#')));
        // One row per group (the table is a list: a second row would be ignored).
        let groups: std::collections::BTreeSet<_> = entry_keys().iter().map(|(k, _)| k).collect();
        assert_eq!(groups.len(), entry_keys().len());
    }

    #[test]
    fn the_base_type_s_elements_come_first_in_their_own_order() {
        let mut doc = Document::new("PermissionSet");
        for name in ["label", "module", "description", "fullName", "custom"] {
            doc.leaf(name, "x");
        }
        canonicalize(&mut doc);
        let names: Vec<&str> = doc.children.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["fullName", "module", "custom", "description", "label"]);
        assert_eq!(element_rank("fullName"), (0, ""));
        assert_eq!(element_rank("module"), (1, ""));
        assert_eq!(element_rank("label"), (2, "label"));
    }

    #[test]
    fn groups_without_a_key_and_equal_keys_keep_their_order() {
        let mut doc = Document::new("Profile");
        doc.entry("loginIpRanges", &[("startAddress", "10.0.0.9"), ("endAddress", "10.0.0.9")]);
        doc.entry("loginIpRanges", &[("startAddress", "10.0.0.1"), ("endAddress", "10.0.0.1")]);
        doc.entry("classAccesses", &[("apexClass", "A"), ("enabled", "false")]);
        doc.entry("classAccesses", &[("apexClass", "A"), ("enabled", "true")]);
        canonicalize(&mut doc);
        let firsts: Vec<Option<&str>> = doc.children.iter().map(|n| n.children()[0].text()).collect();
        // Children are ordered too (endAddress < startAddress; apexClass < enabled).
        assert_eq!(firsts, [Some("A"), Some("A"), Some("10.0.0.9"), Some("10.0.0.1")]);
        assert_eq!(doc.children[0].child_text("enabled"), Some("false"));
        assert_eq!(doc.children[2].child_text("startAddress"), Some("10.0.0.9"));
    }

    #[test]
    fn nested_lists_are_ordered_at_every_depth() {
        let mut doc = Document::new("PermissionSet");
        let mut outer = Node::entry("zz", &[]);
        let inner = Node::entry("inner", &[("b", "2"), ("a", "1")]);
        outer.content = Content::Children(vec![Node::leaf("y", "1"), inner, Node::leaf("x", "1")]);
        doc.children.push(outer);
        canonicalize(&mut doc);
        let outer = &doc.children[0];
        let names: Vec<&str> = outer.children().iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["inner", "x", "y"]);
        let inner: Vec<&str> = outer.children()[0].children().iter().map(|n| n.name.as_str()).collect();
        assert_eq!(inner, ["a", "b"]);
    }

    #[test]
    fn byte_order_not_case_insensitive() {
        let mut doc = Document::new("PermissionSet");
        for field in ["Account.tc9_eau__Branch__c", "Account.Website"] {
            doc.entry("fieldPermissions", &[("field", field)]);
        }
        canonicalize(&mut doc);
        assert_eq!(doc.children[0].child_text("field"), Some("Account.Website"));
    }
}
