//! Permission sets the sf CLI stores decomposed (`sourceBehaviorOptions` `decomposePermissionSetBeta`
//! or `…Beta2`): which files of a set's folder are its parts, reading them back as the one set the
//! CLI recomposes, splitting a set into the files the CLI writes, and the canonical text of a part.
//! The child types and file names are data (`data/decomposed-permission-set.tsv`, from the CLI's
//! source-deploy-retrieve registry presets). This module does no I/O.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde::Serialize;

use super::document::{Content, Document, Node};
use super::kind::{FileKind, OutputKind};
use super::read::{self, Namespace};
use super::{canonical, names};
use crate::tsv;

const CHILD_TYPES: &str = include_str!("data/decomposed-permission-set.tsv");

/// The two ways the CLI decomposes a permission set (its registry presets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Decomposition {
    /// `decomposePermissionSetBeta` (strategy "folderPerType"): one file per entry, in a folder per
    /// child type, the child type as root element (`userPermissions/ApiEnabled.userPermission-meta.xml`).
    #[serde(rename = "decomposePermissionSetBeta")]
    Beta,
    /// `decomposePermissionSetBeta2` (strategy "topLevel"): one file per child type
    /// (`X.userPermission-meta.xml`), object-specific entries in `objectSettings/<Object>…`, each with
    /// a `<PermissionSet>` root without a namespace.
    #[serde(rename = "decomposePermissionSetBeta2")]
    Beta2,
}

impl Decomposition {
    /// The preset's name in `sfdx-project.json`.
    pub(crate) fn preset(self) -> &'static str {
        match self {
            Decomposition::Beta => "decomposePermissionSetBeta",
            Decomposition::Beta2 => "decomposePermissionSetBeta2",
        }
    }

    pub(crate) fn from_preset(name: &str) -> Option<Decomposition> {
        match name {
            "decomposePermissionSetBeta" => Some(Decomposition::Beta),
            "decomposePermissionSetBeta2" => Some(Decomposition::Beta2),
            _ => None,
        }
    }
}

impl std::fmt::Display for Decomposition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.preset())
    }
}

/// One child type of a decomposed set (a row of the table).
#[derive(Debug)]
struct ChildType {
    /// The element in the set (`userPermissions`); also the Beta folder name.
    group: &'static str,
    /// The Beta root element (`UserPermission`).
    type_name: &'static str,
    beta_suffix: &'static str,
    beta2_suffix: &'static str,
    /// The child naming an entry; `None`: `fullName`, else `name`.
    id: Option<&'static str>,
}

/// The Beta2 suffix of the per-object files.
const OBJECT_SETTINGS: &str = "objectSettings";

fn child_types() -> &'static [ChildType] {
    static TABLE: OnceLock<Vec<ChildType>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Vec::new();
        tsv::for_each_row(CHILD_TYPES, |row| {
            let id = row.get("id");
            table.push(ChildType {
                group: row.get("group"),
                type_name: row.get("type"),
                beta_suffix: row.get("beta-suffix"),
                beta2_suffix: row.get("beta2-suffix"),
                id: (id != "-").then_some(id),
            });
        });
        table
    })
}

fn child_type(group: &str) -> Option<&'static ChildType> {
    child_types().iter().find(|c| c.group == group)
}

/// What a file inside a decomposed set's folder is, from its path relative to that folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PartPath {
    /// `X.permissionset-meta.xml`.
    Stub,
    /// A file only the given layout writes.
    Part(Decomposition),
}

/// The root element of a set (and of a Beta2 part).
const SET_ROOT: &str = FileKind::PermissionSet.root();

/// The set's own file in its folder, from the set's file-name form: `X.permissionset-meta.xml`.
fn stub_file_name(set: &str) -> String {
    format!("{set}.{}-meta.xml", OutputKind::PermissionSet.placement().suffix)
}

/// Classifies `relative` (with `/`) inside the folder of set `set` (its file-name form).
pub(crate) fn classify(set: &str, relative: &str) -> Option<PartPath> {
    let parts: Vec<&str> = relative.split('/').collect();
    match parts.as_slice() {
        [file] => {
            if *file == stub_file_name(set) {
                return Some(PartPath::Stub);
            }
            let suffix = file.strip_prefix(set)?.strip_prefix('.')?.strip_suffix("-meta.xml")?;
            (suffix != OBJECT_SETTINGS && child_types().iter().any(|c| c.beta2_suffix == suffix))
                .then_some(PartPath::Part(Decomposition::Beta2))
        }
        [folder, file] if *folder == OBJECT_SETTINGS => {
            let stem = file.strip_suffix(".objectSettings-meta.xml")?;
            (!stem.is_empty()).then_some(PartPath::Part(Decomposition::Beta2))
        }
        [folder, file] => {
            let child = child_type(folder)?;
            let stem = file.strip_suffix("-meta.xml")?.strip_suffix(child.beta_suffix)?.strip_suffix('.')?;
            (!stem.is_empty()).then_some(PartPath::Part(Decomposition::Beta))
        }
        _ => None,
    }
}

/// The set a part file belongs to, from its path (`…/permissionsets/X/…`): `(set name, layout)`.
/// `None` for any other file, the set's own file included.
pub(crate) fn part_of(relative: &str) -> Option<(String, Decomposition)> {
    let segments: Vec<&str> = relative.split('/').collect();
    // The set folder is one or two levels above the file.
    for depth in [2usize, 3] {
        if segments.len() < depth {
            continue;
        }
        let folder = segments[segments.len() - depth];
        let inner = segments[segments.len() - depth + 1..].join("/");
        if let Some(PartPath::Part(decomposition)) = classify(folder, &inner) {
            return Some((names::decode_file_name(folder), decomposition));
        }
    }
    None
}

/// Where reading or writing a decomposed set fails.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecomposedError {
    #[error("{path}:{line}: {message}")]
    Parse { path: String, line: usize, message: String },
    #[error("{path}: the root element is <{found}>, but a {layout} part of a permission set has <{expected}>")]
    WrongRoot { path: String, found: String, expected: String, layout: Decomposition },
    #[error(
        "{folder}: holds both {} and {} files; the sf CLI reads one layout: keep the files of the one sfdx-project.json names",
        Decomposition::Beta.preset(), Decomposition::Beta2.preset()
    )]
    MixedLayouts { folder: String },
    #[error(
        "{folder}: its files are in the {found} layout, but sfdx-project.json asks for {configured}; retrieve the set again (sf project retrieve start) so the CLI rewrites it"
    )]
    LayoutMismatch { folder: String, found: Decomposition, configured: Decomposition },
    #[error(
        "{path}: not a file of a decomposed permission set (sfperms and the sf CLI would not read it); move it out of the set's folder"
    )]
    StrayFile { path: String },
    #[error("{folder}: no `{stub}`: a decomposed permission set needs its own file")]
    NoStub { folder: String, stub: String },
    #[error("cannot write `{group}` entry `{id}` as a {layout} file: {reason}; nothing written")]
    Unwritable { group: String, id: String, layout: Decomposition, reason: String },
}

/// Something the CLI does with a decomposed set that its files do not show at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum LayoutNote {
    /// Beta: the set's own file lists entries of a group that also has child files; the CLI
    /// recomposes the child files only, so these entries never deploy.
    IgnoredInStub { group: String, count: usize },
    /// Beta2: an entry is written in more than one file; the CLI recomposes it that many times.
    Repeated { group: String, key: String, times: usize },
}

impl std::fmt::Display for LayoutNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LayoutNote::IgnoredInStub { group, count } => write!(
                f,
                "{count} `{group}` entries in the set's own file are ignored by the sf CLI (the `{group}/` folder wins); move them into that folder or delete them"
            ),
            LayoutNote::Repeated { group, key, times } => write!(
                f,
                "`{group}` `{key}` is written {times} times across the set's files; the sf CLI deploys every copy: keep one"
            ),
        }
    }
}

/// One file of a set as read: its path (for messages, relative to the set folder) and bytes.
pub struct PartFile<'a> {
    pub relative: &'a str,
    pub display: &'a str,
    pub bytes: &'a [u8],
}

/// The set the CLI recomposes from a decomposed set's files, and what it does silently.
#[derive(Debug, Clone)]
pub struct Recomposed {
    pub document: Document,
    pub notes: Vec<LayoutNote>,
}

fn parse(file: &PartFile, namespace: Namespace) -> Result<Document, DecomposedError> {
    read::parse_bytes_with(file.bytes, namespace).map_err(|e| DecomposedError::Parse {
        path: file.display.to_string(),
        line: e.line,
        message: e.message,
    })
}

/// The layout a set's files are in: `None` when the folder holds only the set's own file.
pub(crate) fn layout_of<'a>(
    folder: &str,
    set: &str,
    relatives: impl IntoIterator<Item = &'a str>,
) -> Result<Option<Decomposition>, DecomposedError> {
    let mut found = BTreeSet::new();
    for relative in relatives {
        match classify(set, relative) {
            Some(PartPath::Part(d)) => {
                found.insert(d);
            }
            Some(PartPath::Stub) => {}
            None => return Err(DecomposedError::StrayFile { path: format!("{folder}/{relative}") }),
        }
    }
    match found.len() {
        0 => Ok(None),
        1 => Ok(found.into_iter().next()),
        _ => Err(DecomposedError::MixedLayouts { folder: folder.to_string() }),
    }
}

/// The set the CLI recomposes from the files of set `set` in `layout`. `folder` names the folder
/// in messages. Beta2: every file's entries, concatenated. Beta: the set's own file, where the
/// entries of each group with child files are those files' (the CLI's recomposition replaces the
/// group).
pub fn recompose(
    folder: &str,
    set: &str,
    layout: Decomposition,
    files: &[PartFile],
) -> Result<Recomposed, DecomposedError> {
    let stub_name = stub_file_name(set);
    let stub = files
        .iter()
        .find(|f| f.relative == stub_name)
        .ok_or_else(|| DecomposedError::NoStub { folder: folder.to_string(), stub: stub_name.clone() })?;
    let mut document = parse(stub, Namespace::Required)?;
    if document.root != SET_ROOT {
        return Err(DecomposedError::WrongRoot {
            path: stub.display.to_string(),
            found: document.root,
            expected: SET_ROOT.into(),
            layout,
        });
    }
    let mut notes = Vec::new();
    let parts = files.iter().filter(|f| f.relative != stub_name);
    match layout {
        Decomposition::Beta2 => {
            for file in parts {
                let part = parse(file, Namespace::Optional)?;
                if part.root != SET_ROOT {
                    return Err(DecomposedError::WrongRoot {
                        path: file.display.to_string(),
                        found: part.root,
                        expected: SET_ROOT.into(),
                        layout,
                    });
                }
                document.children.extend(part.children);
            }
            let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
            for node in &document.children {
                if let (Some(key), true) = (canonical::key_of(node), child_type(&node.name).is_some()) {
                    *seen.entry((node.name.clone(), key.to_string())).or_default() += 1;
                }
            }
            notes.extend(
                seen.into_iter().filter(|(_, times)| *times > 1).map(|((group, key), times)| LayoutNote::Repeated {
                    group,
                    key,
                    times,
                }),
            );
        }
        Decomposition::Beta => {
            let mut groups: BTreeMap<&str, Vec<Node>> = BTreeMap::new();
            for file in parts {
                let group = file.relative.split('/').next().unwrap_or_default();
                let child =
                    child_type(group).ok_or_else(|| DecomposedError::StrayFile { path: file.display.to_string() })?;
                let part = parse(file, Namespace::Optional)?;
                if part.root != child.type_name {
                    return Err(DecomposedError::WrongRoot {
                        path: file.display.to_string(),
                        found: part.root,
                        expected: child.type_name.into(),
                        layout,
                    });
                }
                let mut node = Node::new(child.group, Content::Children(part.children));
                node.comments = part.comments;
                node.tail = part.tail;
                groups.entry(child.group).or_default().push(node);
            }
            for (group, nodes) in groups {
                let before = document.children.len();
                document.children.retain(|n| n.name != group);
                let ignored = before - document.children.len();
                if ignored > 0 {
                    notes.push(LayoutNote::IgnoredInStub { group: group.to_string(), count: ignored });
                }
                document.children.extend(nodes);
            }
        }
    }
    Ok(Recomposed { document, notes })
}

/// The id the CLI names an entry by (its registry uniqueIdElement, else `fullName`, else `name`).
fn entry_id(child: &ChildType, node: &Node) -> Option<String> {
    let text = match child.id {
        Some(id) => node.child_text(id),
        None => node.child_text("fullName").or_else(|| node.child_text("name")),
    };
    text.map(str::to_string)
}

/// The object an object-specific entry goes with in Beta2 (`Account.Name` → `Account`,
/// `standard-Account` → `Account`), as the CLI's transformer names `objectSettings` files.
fn object_of(id: &str) -> &str {
    let first = id.split('.').next().unwrap_or(id);
    first.strip_prefix("standard-").unwrap_or(first)
}

/// Whether the CLI can use `id` as a file name: not empty, not `.`/`..`, no path separator or
/// control character.
fn file_name_safe(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("it has no name".into());
    }
    if id == "." || id == ".." {
        return Err(format!("`{id}` is not a file name"));
    }
    if let Some(c) = id.chars().find(|c| matches!(c, '/' | '\\' | '\0') || c.is_control()) {
        return Err(format!("its name holds {c:?}, which a file name cannot"));
    }
    Ok(())
}

/// One file of a split set: its path relative to the set's folder (`/`), and its document, in the
/// form the CLI writes it (the canonical writer, `emit::render_owned_fast`, gives its text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitFile {
    pub relative: String,
    pub document: Document,
}

fn unwritable(group: &str, id: &str, layout: Decomposition, reason: impl Into<String>) -> DecomposedError {
    DecomposedError::Unwritable { group: group.into(), id: id.into(), layout, reason: reason.into() }
}

/// The files the CLI writes for permission set `set` (`document`) in `layout`, sorted by path, each
/// in the form the CLI writes it. Refuses (nothing to write) what the layout cannot hold
/// faithfully: an entry without a name or whose name is not a file name, or (Beta) two entries of
/// one name, or an entry with attributes.
pub fn split(document: &Document, set: &str, layout: Decomposition) -> Result<Vec<SplitFile>, DecomposedError> {
    let mut doc = document.clone();
    canonical::canonicalize(&mut doc);
    let mut stub = Document { children: Vec::new(), ..doc.clone() };
    // Files by relative path: their root, namespace and entries.
    let mut parts: BTreeMap<String, Document> = BTreeMap::new();
    for node in doc.children {
        let Some(child) = child_type(&node.name) else {
            stub.children.push(node);
            continue;
        };
        let id = entry_id(child, &node).ok_or_else(|| unwritable(child.group, "?", layout, "it has no name"))?;
        match layout {
            Decomposition::Beta2 => {
                let relative = if child.beta2_suffix == OBJECT_SETTINGS {
                    let object = object_of(&id);
                    file_name_safe(object).map_err(|r| unwritable(child.group, &id, layout, r))?;
                    format!("{OBJECT_SETTINGS}/{object}.{OBJECT_SETTINGS}-meta.xml")
                } else {
                    format!("{set}.{}-meta.xml", child.beta2_suffix)
                };
                let part = parts.entry(relative).or_insert_with(|| {
                    let mut d = Document::new(SET_ROOT);
                    d.in_metadata_namespace = false;
                    d
                });
                part.children.push(node);
            }
            Decomposition::Beta => {
                file_name_safe(&id).map_err(|r| unwritable(child.group, &id, layout, r))?;
                if !node.attrs.is_empty() {
                    return Err(unwritable(child.group, &id, layout, "it has attributes the child file cannot hold"));
                }
                let relative = format!("{}/{id}.{}-meta.xml", child.group, child.beta_suffix);
                if parts.contains_key(&relative) {
                    return Err(unwritable(child.group, &id, layout, "two entries have this name"));
                }
                let mut part = Document::new(child.type_name);
                part.comments = node.comments;
                part.tail = node.tail;
                part.children = match node.content {
                    Content::Children(children) => children,
                    Content::Text(_) => return Err(unwritable(child.group, &id, layout, "it holds no fields")),
                };
                parts.insert(relative, part);
            }
        }
    }
    let mut files = vec![SplitFile { relative: stub_file_name(set), document: stub }];
    files.extend(parts.into_iter().map(|(relative, part)| SplitFile { relative, document: part_form(part) }));
    files.sort_by(|a, b| a.relative.cmp(&b.relative));
    Ok(files)
}

/// A part in the form the CLI writes it, for the canonical writer (Beta2: `<PermissionSet>`
/// without a namespace, its entries in canonical order; Beta: the child type's fields in
/// alphabetical order, in the namespace).
pub(crate) fn part_form<S: AsRef<str>>(mut part: Document<S>) -> Document<S> {
    part.in_metadata_namespace = part.root.as_ref() != SET_ROOT;
    part
}

/// The roots a part file may have: `PermissionSet` (Beta2) or a child type (Beta).
pub(crate) fn is_part_root(root: &str) -> bool {
    root == SET_ROOT || child_types().iter().any(|c| c.type_name == root)
}

#[cfg(test)]
#[path = "decomposed_tests.rs"]
mod rules;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_the_files_of_both_layouts() {
        assert_eq!(classify("X", "X.permissionset-meta.xml"), Some(PartPath::Stub));
        assert_eq!(classify("X", "X.userPermission-meta.xml"), Some(PartPath::Part(Decomposition::Beta2)));
        assert_eq!(classify("X", "X.customPermissions-meta.xml"), Some(PartPath::Part(Decomposition::Beta2)));
        assert_eq!(
            classify("X", "objectSettings/Account.objectSettings-meta.xml"),
            Some(PartPath::Part(Decomposition::Beta2))
        );
        assert_eq!(
            classify("X", "fieldPermissions/Account.Name.fieldPermission-meta.xml"),
            Some(PartPath::Part(Decomposition::Beta))
        );
        assert_eq!(
            classify("X", "customPermissions/A.customPermission-meta.xml"),
            Some(PartPath::Part(Decomposition::Beta))
        );
        assert_eq!(classify("X", "X.objectSettings-meta.xml"), None);
        assert_eq!(classify("X", "Y.userPermission-meta.xml"), None);
        assert_eq!(classify("X", "userPermissions/A.classAccess-meta.xml"), None);
        assert_eq!(classify("X", "notes.txt"), None);
        assert_eq!(
            part_of("force-app/main/default/permissionsets/X/objectSettings/Account.objectSettings-meta.xml"),
            Some(("X".into(), Decomposition::Beta2))
        );
        assert_eq!(part_of("permissionsets/X/X.permissionset-meta.xml"), None);
    }

    /// The text of each file, as the writer writes it.
    fn texts(files: &[SplitFile]) -> Vec<String> {
        files.iter().map(|f| crate::emit::render_fast(&f.document)).collect()
    }

    fn set() -> Document {
        let mut d = Document::new("PermissionSet");
        d.leaf("label", "X");
        d.entry("userPermissions", &[("enabled", "true"), ("name", "ViewSetup")]);
        d.entry("userPermissions", &[("enabled", "true"), ("name", "ApiEnabled")]);
        d.entry("fieldPermissions", &[("editable", "true"), ("field", "Account.Rating"), ("readable", "true")]);
        d.entry("objectPermissions", &[("allowRead", "true"), ("object", "Account")]);
        d.entry("tabSettings", &[("tab", "standard-Account"), ("visibility", "Visible")]);
        d
    }

    #[test]
    fn beta2_files_group_by_type_and_object() {
        let files = split(&set(), "X", Decomposition::Beta2).unwrap();
        let paths: Vec<&str> = files.iter().map(|f| f.relative.as_str()).collect();
        assert_eq!(
            paths,
            ["X.permissionset-meta.xml", "X.userPermission-meta.xml", "objectSettings/Account.objectSettings-meta.xml"]
        );
        let texts = texts(&files);
        assert!(texts[1].starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PermissionSet>\n"));
        assert!(texts[1].find("ApiEnabled").unwrap() < texts[1].find("ViewSetup").unwrap());
        assert!(texts[0].contains("<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">"));
    }

    #[test]
    fn beta_files_one_per_entry() {
        let files = split(&set(), "X", Decomposition::Beta).unwrap();
        let paths: Vec<&str> = files.iter().map(|f| f.relative.as_str()).collect();
        assert_eq!(
            paths,
            [
                "X.permissionset-meta.xml",
                "fieldPermissions/Account.Rating.fieldPermission-meta.xml",
                "objectPermissions/Account.objectPermission-meta.xml",
                "tabSettings/standard-Account.tabSetting-meta.xml",
                "userPermissions/ApiEnabled.userPermission-meta.xml",
                "userPermissions/ViewSetup.userPermission-meta.xml",
            ]
        );
        assert!(
            texts(&files)[5]
                .contains("<UserPermission xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <enabled>")
        );
    }

    #[test]
    fn split_then_recompose_is_the_set() {
        for layout in [Decomposition::Beta, Decomposition::Beta2] {
            let files = split(&set(), "X", layout).unwrap();
            let texts = texts(&files);
            let parts: Vec<PartFile> = files
                .iter()
                .zip(&texts)
                .map(|(f, text)| PartFile { relative: &f.relative, display: &f.relative, bytes: text.as_bytes() })
                .collect();
            let back = recompose("X", "X", layout, &parts).unwrap();
            assert!(back.notes.is_empty());
            assert_eq!(crate::emit::render_fast(&back.document), crate::emit::render_fast(&set()), "{layout}");
        }
    }

    #[test]
    fn refuses_names_that_are_not_file_names() {
        let mut d = set();
        d.entry("classAccesses", &[("apexClass", "a/b"), ("enabled", "true")]);
        let err = split(&d, "X", Decomposition::Beta).unwrap_err();
        assert!(err.to_string().contains("classAccesses` entry `a/b`"), "{err}");
        assert!(split(&d, "X", Decomposition::Beta2).is_ok());
    }

    #[test]
    fn beta_ignores_stub_entries_of_a_decomposed_group() {
        let mut stub = set();
        stub.children.retain(|n| n.name == "label" || n.name == "userPermissions");
        let stub_text = crate::emit::render_fast(&stub);
        let part = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<UserPermission xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <enabled>true</enabled>\n    <name>ModifyAllData</name>\n</UserPermission>\n";
        let files = [
            PartFile {
                relative: "X.permissionset-meta.xml",
                display: "X.permissionset-meta.xml",
                bytes: stub_text.as_bytes(),
            },
            PartFile {
                relative: "userPermissions/ModifyAllData.userPermission-meta.xml",
                display: "m",
                bytes: part.as_bytes(),
            },
        ];
        let back = recompose("X", "X", Decomposition::Beta, &files).unwrap();
        let names: Vec<&str> = back.document.children.iter().filter_map(|n| n.child_text("name")).collect();
        assert_eq!(names, ["ModifyAllData"]);
        assert_eq!(back.notes, [LayoutNote::IgnoredInStub { group: "userPermissions".into(), count: 2 }]);
    }
}
