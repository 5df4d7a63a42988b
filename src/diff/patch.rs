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
