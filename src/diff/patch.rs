//! The fix as a file: the retrieved document with each change's fix applied (missing entries
//! added, excess ones deleted from a permission set or set to `false` in a profile, changed flags
//! set), written by the canonical writer, and a unified diff (`similar`) from the file's current
//! bytes to it, with `a/` `b/` paths that `git apply` accepts. A file that was not canonical is
//! also reformatted by the patch.

use std::collections::BTreeMap;

use super::compare::{self, EntryId};
use super::report::{Change, Effect, Status};
use crate::emit;
use crate::metadata::OutputKind;
use crate::metadata::{Content, Document, Node};

fn set_field(node: &mut Node, field: &str, value: &str) {
    if let Content::Children(children) = &mut node.content {
        match children.iter_mut().find(|c| c.name == field) {
            Some(child) => child.content = Content::Text(value.to_string()),
            None => children.push(Node::leaf(field, value)),
        }
    }
}

/// Every grant flag of `node` turned off (`Hidden` for a tab's visibility).
fn revoke(node: &mut Node) {
    if let Content::Children(children) = &mut node.content {
        for child in children.iter_mut() {
            let off = match (child.name.as_str(), child.text()) {
                ("visibility", Some(v)) if !v.trim().eq_ignore_ascii_case("hidden") => "Hidden",
                (_, Some(v)) if compare::boolean(v) == Some(true) && child.name != "default" => "false",
                _ => continue,
            };
            child.content = Content::Text(off.to_string());
        }
    }
}

/// `retrieved` with the fixes of `changes` applied (entries from `generated` where it has them).
pub fn fixed(retrieved: &Document, generated: &Document, changes: &[Change], kind: OutputKind) -> Document {
    let generated_entries = compare::entries(generated);
    let mut out = retrieved.clone();
    let ids: BTreeMap<EntryId, usize> =
        compare::ids(retrieved).into_iter().enumerate().map(|(i, id)| (id, i)).collect();
    let mut remove = Vec::new();
    for change in changes {
        let slot = ids.get(&change.id).copied();
        let wanted = generated_entries.get(&change.id).map(|n| (*n).clone());
        match (change.status, slot, wanted) {
            (Status::Missing | Status::NotInRetrieve, None, Some(node)) => out.children.push(node),
            (Status::Excess, Some(i), _) if kind == OutputKind::PermissionSet => remove.push(i),
            (Status::Excess, Some(i), _) => revoke(&mut out.children[i]),
            (Status::Changed, Some(i), None) => remove.push(i),
            (Status::Changed, None, Some(node)) => out.children.push(node),
            (Status::Changed, Some(i), Some(mut node)) => {
                // Keep the comments of the entry; take sfperms' values; turn off excess flags it
                // does not write (a newer flag such as viewAllFields).
                node.comments = out.children[i].comments.clone();
                for flag in change.flags.iter().filter(|f| f.effect == Effect::Excess && f.expected.is_none()) {
                    set_field(&mut node, &flag.field, "false");
                }
                out.children[i] = node;
            }
            _ => {}
        }
    }
    remove.sort_unstable();
    for i in remove.into_iter().rev() {
        out.children.remove(i);
    }
    out
}

/// A path as git writes it in a patch header: C-quoted when it holds `"`, `\`, control or
/// non-ASCII characters.
fn git_path(prefix: &str, path: &str) -> String {
    let full = format!("{prefix}{path}");
    if !full.bytes().any(|b| b == b'"' || b == b'\\' || !(0x20..0x7f).contains(&b)) {
        return full;
    }
    let mut out = String::from("\"");
    for b in full.bytes() {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\{b:03o}")),
        }
    }
    out.push('"');
    out
}

/// A unified diff from `old` to `new` for the file at `relative` (`a/`, `b/` prefixes, git header);
/// empty when they are the same.
pub fn unified(relative: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let (a, b) = (git_path("a/", relative), git_path("b/", relative));
    let diff = similar::TextDiff::from_lines(old, new);
    let body = diff.unified_diff().context_radius(3).header(&a, &b).to_string();
    format!("diff --git {a} {b}\n{body}")
}

/// A unified diff that creates (`old` `None`), deletes (`new` `None`) or changes the file at
/// `relative`, with the headers `git apply` reads for each.
pub fn unified_file(relative: &str, old: Option<&str>, new: Option<&str>) -> String {
    match (old, new) {
        (Some(old), Some(new)) => unified(relative, old, new),
        (None, None) => String::new(),
        (old, new) => {
            let (a, b) = (git_path("a/", relative), git_path("b/", relative));
            let (from, to, mode) = match old {
                None => ("/dev/null".to_string(), b.clone(), "new file mode 100644"),
                Some(_) => (a.clone(), "/dev/null".to_string(), "deleted file mode 100644"),
            };
            let diff = similar::TextDiff::from_lines(old.unwrap_or(""), new.unwrap_or(""));
            let body = diff.unified_diff().context_radius(3).header(&from, &to).to_string();
            format!("diff --git {a} {b}\n{mode}\n{body}")
        }
    }
}

/// The patch that applies the fixes of `changes` to a decomposed set: `old` its files (relative to
/// the set's folder, which is `folder` in the patch's paths) and `new` the files the fixed set
/// becomes; files only in `old` are deleted.
pub fn patch_files(folder: &str, old: &[(String, Vec<u8>)], new: &[(String, String)]) -> String {
    let join = |relative: &str| if folder.is_empty() { relative.to_string() } else { format!("{folder}/{relative}") };
    let mut relatives: Vec<&str> =
        old.iter().map(|(r, _)| r.as_str()).chain(new.iter().map(|(r, _)| r.as_str())).collect();
    relatives.sort_unstable();
    relatives.dedup();
    let mut out = String::new();
    for relative in relatives {
        let before = old.iter().find(|(r, _)| r == relative).map(|(_, b)| String::from_utf8_lossy(b));
        let after = new.iter().find(|(r, _)| r == relative).map(|(_, t)| t.as_str());
        out.push_str(&unified_file(&join(relative), before.as_deref(), after));
    }
    out
}

/// The patch that applies the fixes of `changes` to the retrieved file (`old` its bytes).
pub fn patch(
    relative: &str,
    old: &str,
    retrieved: &Document,
    generated: &Document,
    changes: &[Change],
    kind: OutputKind,
) -> String {
    let new = emit::render_owned_fast(fixed(retrieved, generated, changes, kind));
    unified(relative, old, &new)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::report::FlagChange;

    fn document(kind: OutputKind, entries: &[(&str, &[(&str, &str)])]) -> Document {
        let mut doc = Document::new(kind.type_name());
        for (name, fields) in entries {
            doc.entry(name, fields);
        }
        doc
    }

    fn change(group: &str, key: &str, status: Status, flags: Vec<FlagChange>) -> Change {
        let id = EntryId { group: group.to_string(), key: key.to_string() };
        Change { id, status, flags, reasons: Vec::new(), fix: String::new(), note: None }
    }

    fn flag(field: &str, expected: Option<&str>, effect: Effect) -> FlagChange {
        FlagChange { field: field.to_string(), expected: expected.map(str::to_string), actual: None, effect }
    }

    /// Each kind of change in a permission set: a missing entry is added from the generated file,
    /// an excess one deleted, a changed one takes the generated values (an excess flag sfperms
    /// does not write turned off, a missing one turned on) and keeps its comments; a value sfperms
    /// no longer writes is deleted, one the file lacks is added. Untouched entries stay.
    #[test]
    fn a_permission_set_is_fixed_change_by_change() {
        let kind = OutputKind::PermissionSet;
        let user = |name: &str| Node::entry("userPermissions", &[("enabled", "true"), ("name", name)]);
        let account = |edit: &str, view_all: Option<&str>, comment: &str| {
            let mut fields = vec![("allowEdit", edit), ("allowRead", "true"), ("object", "Account")];
            fields.extend(view_all.map(|v| ("viewAllFields", v)));
            let mut node = Node::entry("objectPermissions", &fields);
            node.comments = [comment].iter().filter(|c| !c.is_empty()).map(|c| c.to_string()).collect();
            node
        };
        let mut retrieved = Document::new(kind.type_name());
        retrieved.children = vec![
            Node::leaf("description", "old"),
            user("Excess"),
            user("Kept"),
            account("false", Some("true"), " reviewed "),
        ];
        let mut generated = Document::new(kind.type_name());
        generated.children = vec![Node::leaf("label", "L"), user("Kept"), user("Missing"), account("true", None, "")];
        let changes = [
            change("description", "", Status::Changed, vec![flag("", None, Effect::Value)]),
            change("userPermissions", "Excess", Status::Excess, vec![]),
            change("userPermissions", "Missing", Status::Missing, vec![]),
            change("label", "", Status::Changed, vec![flag("", Some("L"), Effect::Value)]),
            change(
                "objectPermissions",
                "Account",
                Status::Changed,
                vec![flag("allowEdit", Some("true"), Effect::Missing), flag("viewAllFields", None, Effect::Excess)],
            ),
        ];
        let expected =
            vec![user("Kept"), account("true", Some("false"), " reviewed "), user("Missing"), Node::leaf("label", "L")];
        assert_eq!(fixed(&retrieved, &generated, &changes, kind).children, expected);
    }

    /// In a profile an excess entry stays and each grant in it is turned off: a boolean that
    /// grants to `false`, a tab's visibility to `Hidden`; a record type's `default`, names,
    /// `false` flags and a tab already hidden stay as they are.
    #[test]
    fn a_profiles_excess_entry_is_revoked_in_place() {
        let kind = OutputKind::Profile;
        let retrieved = document(
            kind,
            &[
                ("objectPermissions", &[("allowCreate", "false"), ("allowRead", "true"), ("object", "Account")]),
                ("recordTypeVisibilities", &[("default", "true"), ("recordType", "Account.B2B"), ("visible", "true")]),
                ("tabVisibilities", &[("tab", "Shown"), ("visibility", "DefaultOn")]),
                ("tabVisibilities", &[("tab", "Hidden"), ("visibility", " hidden ")]),
            ],
        );
        let generated = document(kind, &[]);
        let changes = [
            change("objectPermissions", "Account", Status::Excess, vec![]),
            change("recordTypeVisibilities", "Account.B2B", Status::Excess, vec![]),
            change("tabVisibilities", "Shown", Status::Excess, vec![]),
            change("tabVisibilities", "Hidden", Status::Excess, vec![]),
        ];
        let expected = document(
            kind,
            &[
                ("objectPermissions", &[("allowCreate", "false"), ("allowRead", "false"), ("object", "Account")]),
                ("recordTypeVisibilities", &[("default", "true"), ("recordType", "Account.B2B"), ("visible", "false")]),
                ("tabVisibilities", &[("tab", "Shown"), ("visibility", "Hidden")]),
                ("tabVisibilities", &[("tab", "Hidden"), ("visibility", " hidden ")]),
            ],
        );
        assert_eq!(fixed(&retrieved, &generated, &changes, kind).children, expected.children);
    }

    /// An entry a sparse profile retrieve does not show is added, as a missing one is.
    #[test]
    fn an_entry_not_in_the_retrieve_is_added() {
        let kind = OutputKind::Profile;
        let generated = document(kind, &[("userPermissions", &[("enabled", "true"), ("name", "ApiEnabled")])]);
        let changes = [change("userPermissions", "ApiEnabled", Status::NotInRetrieve, vec![])];
        assert_eq!(fixed(&document(kind, &[]), &generated, &changes, kind).children, generated.children);
    }

    /// A changed entry takes sfperms' value for every flag sfperms writes, even where that value
    /// grants less than the file's: only an excess flag it writes nothing for is set to `false`.
    /// A tab sfperms writes `Hidden` (a profile) or `None` (a permission set) where the file shows
    /// it keeps that word; `false` is no tab visibility and would not deploy.
    #[test]
    fn a_changed_entry_keeps_sfperms_value_for_a_flag_it_writes_and_turns_off_only_the_others() {
        for (kind, group, off) in
            [(OutputKind::Profile, "tabVisibilities", "Hidden"), (OutputKind::PermissionSet, "tabSettings", "None")]
        {
            let retrieved = document(kind, &[(group, &[("tab", "standard-Case"), ("visibility", "DefaultOn")])]);
            let generated = document(kind, &[(group, &[("tab", "standard-Case"), ("visibility", off)])]);
            let visibility = FlagChange {
                field: "visibility".into(),
                expected: Some(off.into()),
                actual: Some("DefaultOn".into()),
                effect: Effect::Excess,
            };
            let changes = [change(group, "standard-Case", Status::Changed, vec![visibility])];
            assert_eq!(fixed(&retrieved, &generated, &changes, kind).children, generated.children, "{kind:?}");
        }
    }

    /// The patch is the unified diff from the file's bytes to the fixed document as the canonical
    /// writer writes it.
    #[test]
    fn the_patch_turns_the_file_into_the_fixed_document() {
        let kind = OutputKind::PermissionSet;
        let retrieved = document(kind, &[]);
        let generated = document(kind, &[("userPermissions", &[("enabled", "true"), ("name", "ApiEnabled")])]);
        let old = emit::render_fast(&retrieved);
        let changes = [change("userPermissions", "ApiEnabled", Status::Missing, vec![])];
        let patch = patch("x.permissionset-meta.xml", &old, &retrieved, &generated, &changes, kind);
        assert_eq!(patch, unified("x.permissionset-meta.xml", &old, &emit::render_fast(&generated)));
        assert!(patch.contains("+        <name>ApiEnabled</name>\n"), "{patch}");
    }

    /// A decomposed set's patch: each file in its folder, created, changed or deleted, in path
    /// order; files the same on both sides have no hunk.
    #[test]
    fn a_decomposed_sets_patch_creates_changes_and_deletes_its_files() {
        let old = [
            ("b.xml".to_string(), b"b\n".to_vec()),
            ("c.xml".to_string(), b"c\n".to_vec()),
            ("d.xml".to_string(), b"d\n".to_vec()),
        ];
        let new = [
            ("a.xml".to_string(), "a\n".to_string()),
            ("b.xml".to_string(), "b2\n".to_string()),
            ("d.xml".to_string(), "d\n".to_string()),
        ];
        let expected = [
            unified_file("Set/a.xml", None, Some("a\n")),
            unified_file("Set/b.xml", Some("b\n"), Some("b2\n")),
            unified_file("Set/c.xml", Some("c\n"), None),
        ]
        .concat();
        assert_eq!(patch_files("Set", &old, &new), expected);
        assert!(expected.contains("--- a/Set/b.xml\n+++ b/Set/b.xml\n") && expected.contains("+++ /dev/null\n"));
        assert!(patch_files("", &old[..1], &[]).starts_with("diff --git a/b.xml b/b.xml\ndeleted file"));
    }

    /// Git's C quoting: `"`, `\\`, tab and newline by their escapes, other control and non-ASCII
    /// bytes in octal; a name with none of them is left unquoted, spaces and all.
    #[test]
    fn git_quotes_each_kind_of_character_as_git_does() {
        assert_eq!(git_path("a/", "x \"q\" \\ \t\n\u{1}\u{7f}~.xml"), "\"a/x \\\"q\\\" \\\\ \\t\\n\\001\\177~.xml\"");
        assert_eq!(git_path("b/", "Plain ~name.xml"), "b/Plain ~name.xml");
    }

    /// A quote or a backslash alone is enough to quote the whole path, with no control or
    /// non-ASCII byte beside it.
    #[test]
    fn a_quote_or_a_backslash_alone_makes_git_quote_the_path() {
        assert_eq!(git_path("a/", "Say \"hi\".xml"), "\"a/Say \\\"hi\\\".xml\"");
        assert_eq!(git_path("b/", "back\\slash.xml"), "\"b/back\\\\slash.xml\"");
    }

    #[test]
    fn git_quotes_only_what_needs_it() {
        assert_eq!(git_path("a/", "profiles/API Nutzer.profile-meta.xml"), "a/profiles/API Nutzer.profile-meta.xml");
        assert_eq!(git_path("a/", "Zürich.profile"), "\"a/Z\\303\\274rich.profile\"");
    }

    #[test]
    fn unified_has_git_headers() {
        let patch = unified("x.xml", "a\nb\n", "a\nc\n");
        assert!(patch.starts_with("diff --git a/x.xml b/x.xml\n--- a/x.xml\n+++ b/x.xml\n@@"), "{patch}");
        assert!(unified("x.xml", "same\n", "same\n").is_empty());
    }

    #[test]
    fn new_and_deleted_files_have_dev_null_sides() {
        let created = unified_file("d/x.xml", None, Some("a\n"));
        assert_eq!(
            created,
            "diff --git a/d/x.xml b/d/x.xml\nnew file mode 100644\n--- /dev/null\n+++ b/d/x.xml\n@@ -0,0 +1 @@\n+a\n"
        );
        let deleted = unified_file("d/x.xml", Some("a\n"), None);
        assert_eq!(
            deleted,
            "diff --git a/d/x.xml b/d/x.xml\ndeleted file mode 100644\n--- a/d/x.xml\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n"
        );
    }
}
