//! Two documents compared entry by entry, as keyed sets: an entry is identified by its element
//! name and its key (`objectPermissions` + `Account`, `layoutAssignments` + layout and record
//! type; a single value such as `label` by its name alone), and compared field by field. Order,
//! formatting and comments are not meaning (the schema's order is fixed, so `fmt` restores it),
//! and `True`/`true`/`1` are the same boolean. This is the one comparison: `diff` classifies its
//! result against a plan, `gen --check` summarises it.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::metadata::entries::{Entries, Entry};
use crate::metadata::{Content, Document, Node, canonical};

/// Where an entry sits: its element name and its key (empty for a single value).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct EntryId {
    pub group: String,
    pub key: String,
}

impl EntryId {
    /// The id of an entry read (`Entries`).
    pub fn of(entry: Entry) -> EntryId {
        EntryId { group: entry.group().to_string(), key: entry.key().to_string() }
    }
}

impl std::fmt::Display for EntryId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.key.is_empty() { write!(f, "{}", self.group) } else { write!(f, "{} {}", self.group, self.key) }
    }
}

/// An entry's fields: child name (nested ones as `a/b`) → value; a single value has one field `""`.
pub type Fields = BTreeMap<String, String>;

/// The entries of a document by id.
pub fn entries(doc: &Document) -> BTreeMap<EntryId, &Node> {
    ids(doc).into_iter().zip(&doc.children).collect()
}

/// The id of each top-level element, in document order.
pub fn ids(doc: &Document) -> Vec<EntryId> {
    let mut out = Vec::with_capacity(doc.children.len());
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for node in &doc.children {
        let key = match canonical::entry_key(node) {
            (Some(key), Some(then)) => format!("{key} / {then}"),
            (Some(key), None) => key.to_string(),
            _ => {
                // Unkeyed: a single value by its name, repeated ones by position (#2, #3, …).
                let n = seen.entry(node.name.as_str()).or_default();
                *n += 1;
                if *n == 1 { String::new() } else { format!("#{n}") }
            }
        };
        out.push(EntryId { group: node.name.clone(), key });
    }
    out
}

fn flatten(node: &Node, prefix: &str, out: &mut Fields) {
    match &node.content {
        Content::Text(text) => {
            let slot = out.entry(prefix.to_string()).or_default();
            if !slot.is_empty() {
                slot.push_str(", ");
            }
            slot.push_str(text);
        }
        Content::Children(children) => {
            for child in children {
                let path = if prefix.is_empty() { child.name.clone() } else { format!("{prefix}/{}", child.name) };
                flatten(child, &path, out);
            }
        }
    }
}

/// The fields of an entry.
pub fn fields(node: &Node) -> Fields {
    let mut out = Fields::new();
    flatten(node, "", &mut out);
    out
}

/// A boolean as the schema reads it (`true`, `false`, `1`, `0`, any case), else `None`.
pub fn boolean(value: &str) -> Option<bool> {
    // Almost every value is written as Salesforce writes it.
    match value {
        "true" => return Some(true),
        "false" => return Some(false),
        _ => {}
    }
    let v = value.trim();
    if v.eq_ignore_ascii_case("true") || v == "1" {
        Some(true)
    } else if v.eq_ignore_ascii_case("false") || v == "0" {
        Some(false)
    } else {
        None
    }
}

/// Whether two values mean the same.
pub fn same_value(a: &str, b: &str) -> bool {
    a == b || matches!((boolean(a), boolean(b)), (Some(x), Some(y)) if x == y)
}

/// One field that differs: its value on each side (`None`: absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldDiff {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// How one entry differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "change")]
pub enum EntryDiff {
    Added,
    Removed,
    Changed { fields: Vec<FieldDiff> },
}

/// Every entry that differs between `old` and `new`, in id order.
pub fn compare(old: &Document, new: &Document) -> Vec<(EntryId, EntryDiff)> {
    let (old, new) = (Entries::of_document(old), Entries::of_document(new));
    differing(&old, &new)
        .map(|(a, b, d)| {
            let entry = a.map_or_else(|| new.get(b.expect("one side")), |a| old.get(a));
            (EntryId::of(entry), d)
        })
        .collect()
}

/// Every entry that differs between two entry lists (`Entries`), in id order: each with its
/// index on the old side and the new.
pub fn differing<'e>(
    old: &'e Entries,
    new: &'e Entries,
) -> impl Iterator<Item = (Option<usize>, Option<usize>, EntryDiff)> + 'e {
    side_by_side(old, new)
        .filter_map(|(a, b)| entry_diff(a.map(|a| old.get(a)), b.map(|b| new.get(b))).map(|d| (a, b, d)))
}

/// Two sorted entry lists side by side, in id order: each id with its entry's index on either
/// side. One merge of the two lists, no lookups.
pub(crate) fn side_by_side<'e>(
    old: &'e Entries,
    new: &'e Entries,
) -> impl Iterator<Item = (Option<usize>, Option<usize>)> + 'e {
    let (mut o, mut n) = (0, 0);
    std::iter::from_fn(move || {
        let id = |entries: &'e Entries, i: usize| (i < entries.len()).then(|| entries.get(i).id());
        let order = match (id(old, o), id(new, n)) {
            (None, None) => return None,
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(a), Some(b)) => a.cmp(&b),
        };
        Some(match order {
            std::cmp::Ordering::Less => {
                o += 1;
                (Some(o - 1), None)
            }
            std::cmp::Ordering::Greater => {
                n += 1;
                (None, Some(n - 1))
            }
            std::cmp::Ordering::Equal => {
                (o, n) = (o + 1, n + 1);
                (Some(o - 1), Some(n - 1))
            }
        })
    })
}

/// How an entry differs between the old side (`a`) and the new (`b`); `None` when it does not.
pub(crate) fn entry_diff(a: Option<Entry>, b: Option<Entry>) -> Option<EntryDiff> {
    match (a, b) {
        (Some(_), None) => Some(EntryDiff::Removed),
        (None, Some(_)) => Some(EntryDiff::Added),
        (Some(a), Some(b)) => {
            let fields = field_diffs(a, b);
            (!fields.is_empty() || !a.attrs().eq(b.attrs())).then_some(EntryDiff::Changed { fields })
        }
        (None, None) => None,
    }
}

/// The fields that differ between two entries (both sorted by name: one merge).
fn field_diffs(old: Entry, new: Entry) -> Vec<FieldDiff> {
    let (mut old, mut new) = (old.fields().peekable(), new.fields().peekable());
    let mut out = Vec::new();
    loop {
        let (a, b) = match (old.peek(), new.peek()) {
            (None, None) => break,
            (Some(_), None) => (old.next(), None),
            (None, Some(_)) => (None, new.next()),
            (Some(a), Some(b)) => match a.0.cmp(b.0) {
                std::cmp::Ordering::Less => (old.next(), None),
                std::cmp::Ordering::Greater => (None, new.next()),
                std::cmp::Ordering::Equal => (old.next(), new.next()),
            },
        };
        let same = matches!((a, b), (Some((_, a)), Some((_, b))) if same_value(a, b));
        if !same {
            let field = a.or(b).map_or("", |(name, _)| name).to_string();
            out.push(FieldDiff { field, old: a.map(|(_, v)| v.to_string()), new: b.map(|(_, v)| v.to_string()) });
        }
    }
    out
}

/// What each change does to the access the file gives, one line per entry and flag: `grants`
/// (a new entry, or a flag turned on), `reduces` (a flag turned off), `removes` (an entry left
/// out), `changes` (any other value).
pub fn effects(changes: &[(EntryId, EntryDiff)]) -> Vec<String> {
    let mut out = Vec::new();
    for (id, diff) in changes {
        match diff {
            EntryDiff::Added => out.push(format!("grants {id}")),
            EntryDiff::Removed => out.push(format!("removes {id}")),
            EntryDiff::Changed { fields } => {
                for f in fields {
                    let (old, new) = (f.old.as_deref().unwrap_or("(none)"), f.new.as_deref().unwrap_or("(none)"));
                    let verb = match (f.old.as_deref().and_then(boolean), f.new.as_deref().and_then(boolean)) {
                        (Some(true), Some(false) | None) => "reduces",
                        (Some(false) | None, Some(true)) => "grants",
                        _ => "changes",
                    };
                    out.push(format!("{verb} {id}: {} {old} → {new}", f.field));
                }
            }
        }
    }
    out
}

/// "2 added, 1 removed, 3 changed: + userPermissions ViewRoles, ~ objectPermissions Account, …",
/// or `None` when the documents mean the same.
pub fn summary(changes: &[(EntryId, EntryDiff)], limit: usize) -> Option<String> {
    if changes.is_empty() {
        return None;
    }
    let count = |f: fn(&EntryDiff) -> bool| changes.iter().filter(|(_, d)| f(d)).count();
    let added = count(|d| matches!(d, EntryDiff::Added));
    let removed = count(|d| matches!(d, EntryDiff::Removed));
    let changed = count(|d| matches!(d, EntryDiff::Changed { .. }));
    let mut listed: Vec<String> = changes
        .iter()
        .take(limit)
        .map(|(id, d)| match d {
            EntryDiff::Added => format!("+ {id}"),
            EntryDiff::Removed => format!("- {id}"),
            EntryDiff::Changed { fields } => {
                let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
                format!("~ {id} ({})", names.join(", "))
            }
        })
        .collect();
    if changes.len() > limit {
        listed.push(format!("… {} more", changes.len() - limit));
    }
    Some(format!("{added} added, {removed} removed, {changed} changed: {}", listed.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(entries: &[(&str, &[(&str, &str)])]) -> Document {
        let mut d = Document::new("PermissionSet");
        for (name, fields) in entries {
            if fields.is_empty() {
                d.leaf(name, "x");
            } else {
                d.entry(name, fields);
            }
        }
        d
    }

    #[test]
    fn order_and_boolean_spelling_are_not_changes() {
        let a = doc(&[
            ("userPermissions", &[("enabled", "true"), ("name", "A")]),
            ("userPermissions", &[("enabled", "true"), ("name", "B")]),
        ]);
        let b = doc(&[
            ("userPermissions", &[("name", "B"), ("enabled", "True")]),
            ("userPermissions", &[("enabled", "1"), ("name", "A")]),
        ]);
        assert!(compare(&a, &b).is_empty());
    }

    #[test]
    fn keyed_entries_are_added_removed_changed() {
        let a = doc(&[
            ("label", &[]),
            ("userPermissions", &[("enabled", "true"), ("name", "ModifyAllData")]),
            ("objectPermissions", &[("allowRead", "true"), ("allowEdit", "false"), ("object", "Account")]),
        ]);
        let b = doc(&[
            ("label", &[]),
            ("userPermissions", &[("enabled", "true"), ("name", "ViewRoles")]),
            ("objectPermissions", &[("allowRead", "true"), ("allowEdit", "true"), ("object", "Account")]),
        ]);
        let changes = compare(&a, &b);
        let ids: Vec<String> = changes.iter().map(|(id, _)| id.to_string()).collect();
        assert_eq!(ids, ["objectPermissions Account", "userPermissions ModifyAllData", "userPermissions ViewRoles"]);
        assert_eq!(
            changes[0].1,
            EntryDiff::Changed {
                fields: vec![FieldDiff {
                    field: "allowEdit".into(),
                    old: Some("false".into()),
                    new: Some("true".into())
                }]
            }
        );
        assert_eq!(changes[1].1, EntryDiff::Removed);
        assert_eq!(changes[2].1, EntryDiff::Added);
        let summary = summary(&changes, 2).unwrap();
        assert!(
            summary.starts_with("1 added, 1 removed, 1 changed: ~ objectPermissions Account (allowEdit)"),
            "{summary}"
        );
        assert!(summary.ends_with("… 1 more"), "{summary}");
    }

    #[test]
    fn the_merge_of_sorted_entries_is_the_comparison_of_the_maps() {
        let old = doc(&[
            ("userPermissions", &[("enabled", "true"), ("name", "B")]),
            ("label", &[]),
            ("userPermissions", &[("enabled", "true"), ("name", "A")]),
            ("objectPermissions", &[("allowRead", "true"), ("object", "Z")]),
        ]);
        let mut new = doc(&[
            ("userPermissions", &[("enabled", "false"), ("name", "A")]),
            ("objectPermissions", &[("allowRead", "true"), ("object", "Y")]),
            ("userPermissions", &[("enabled", "true"), ("name", "C")]),
        ]);
        // An id twice (only a tree built in code can hold that): the last one counts, as in a map.
        new.entry("userPermissions", &[("enabled", "true"), ("name", "A")]);
        let (old_entries, new_entries) = (Entries::of_document(&old), Entries::of_document(&new));
        let merged: Vec<(EntryId, EntryDiff)> = differing(&old_entries, &new_entries)
            .map(|(a, b, d)| (EntryId::of(a.map_or_else(|| new_entries.get(b.unwrap()), |a| old_entries.get(a))), d))
            .collect();
        let ids: Vec<String> = merged.iter().map(|(id, _)| id.to_string()).collect();
        assert_eq!(
            ids,
            ["label", "objectPermissions Y", "objectPermissions Z", "userPermissions B", "userPermissions C"]
        );
        assert_eq!(merged, compare(&old, &new));
        let keys: Vec<(&str, &str)> = old_entries.iter().map(|e| e.id()).collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
    }

    #[test]
    fn booleans_are_read_as_the_schema_reads_them() {
        for yes in ["true", "True", " TRUE ", "1", "\n1\n"] {
            assert_eq!(boolean(yes), Some(true), "{yes:?}");
        }
        for no in ["false", "FALSE", "0", " 0"] {
            assert_eq!(boolean(no), Some(false), "{no:?}");
        }
        for neither in ["", "yes", "no", "2", "truee", "10"] {
            assert_eq!(boolean(neither), None, "{neither:?}");
        }
        assert!(same_value("1", "true") && same_value("False", "0") && same_value("Read", "Read"));
        assert!(!same_value("1", "false") && !same_value("yes", "no") && !same_value("Read", "Edit"));
    }

    #[test]
    fn ids_use_both_keys_and_number_repeated_unkeyed_elements() {
        let mut d = Document::new("Profile");
        d.entry("layoutAssignments", &[("layout", "L"), ("recordType", "R")]);
        d.entry("layoutAssignments", &[("layout", "L")]);
        d.entry("loginIpRanges", &[("startAddress", "1")]);
        d.entry("loginIpRanges", &[("startAddress", "2")]);
        d.leaf("description", "x");
        d.entry("loginIpRanges", &[("startAddress", "3")]);
        let shown: Vec<String> = ids(&d).iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "layoutAssignments L / R",
                "layoutAssignments L",
                "loginIpRanges",
                "loginIpRanges #2",
                "description",
                "loginIpRanges #3"
            ]
        );
        assert_eq!(entries(&d).len(), 6);
        // Two assignments of one layout that differ by record type are two entries.
        let mut other = d.clone();
        other.children.remove(0);
        let changes = compare(&d, &other);
        assert_eq!(changes, [(EntryId { group: "layoutAssignments".into(), key: "L / R".into() }, EntryDiff::Removed)]);
    }

    #[test]
    fn fields_flatten_nested_values_and_join_repeated_ones() {
        let mut node = Node::entry("types", &[("members", "A"), ("members", "B"), ("name", "X")]);
        if let Content::Children(children) = &mut node.content {
            children.push(Node::entry("nested", &[("inner", "1")]));
        }
        let fields = fields(&node);
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(pairs, [("members", "A, B"), ("name", "X"), ("nested/inner", "1")]);
        assert_eq!(super::fields(&Node::leaf("label", "L")), Fields::from([(String::new(), "L".to_string())]));
    }

    #[test]
    fn an_attribute_alone_is_a_change_and_equal_documents_have_no_summary() {
        let a = doc(&[("userPermissions", &[("enabled", "true"), ("name", "A")])]);
        let mut b = a.clone();
        b.children[0].attrs = vec![("xsi:type".into(), "T".into())];
        assert_eq!(
            compare(&a, &b),
            [(EntryId { group: "userPermissions".into(), key: "A".into() }, EntryDiff::Changed { fields: vec![] })]
        );
        assert!(compare(&a, &a).is_empty());
        assert_eq!(summary(&[], 5), None);
        let one = compare(&a, &doc(&[]));
        assert_eq!(summary(&one, 1).as_deref(), Some("0 added, 1 removed, 0 changed: - userPermissions A"));
    }

    #[test]
    fn effects_say_what_each_change_does_to_access() {
        let old = doc(&[
            ("userPermissions", &[("enabled", "true"), ("name", "Kept")]),
            (
                "objectPermissions",
                &[("allowCreate", "false"), ("allowEdit", "true"), ("allowRead", "true"), ("object", "Account")],
            ),
            ("userPermissions", &[("enabled", "true"), ("name", "Gone")]),
        ]);
        let new = doc(&[
            ("userPermissions", &[("enabled", "true"), ("name", "Kept")]),
            (
                "objectPermissions",
                &[("allowCreate", "true"), ("allowEdit", "false"), ("object", "Account"), ("tab", "x")],
            ),
            ("userPermissions", &[("enabled", "true"), ("name", "New")]),
        ]);
        assert_eq!(
            effects(&compare(&old, &new)),
            [
                "grants objectPermissions Account: allowCreate false → true",
                "reduces objectPermissions Account: allowEdit true → false",
                "reduces objectPermissions Account: allowRead true → (none)",
                "changes objectPermissions Account: tab (none) → x",
                "removes userPermissions Gone",
                "grants userPermissions New",
            ]
        );
    }
}
