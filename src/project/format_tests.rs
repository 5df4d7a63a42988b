//! `fmt`'s rules, one per test, on files written to a temporary folder: which files are
//! canonical, the canonical text of each kind of file, what a rewrite stages and puts in place,
//! and what it refuses.

use std::io::Write;

use super::*;

const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const NS: &str = " xmlns=\"http://soap.sforce.com/2006/04/metadata\"";

/// A permission set with two user permissions, in canonical form or with the two swapped.
fn set(ordered: bool) -> String {
    let user = |name: &str| {
        format!(
            "    <userPermissions>\n        <enabled>true</enabled>\n        <name>{name}</name>\n    </userPermissions>\n"
        )
    };
    let (first, second) = if ordered { ("ApiEnabled", "ViewSetup") } else { ("ViewSetup", "ApiEnabled") };
    format!("{HEAD}<PermissionSet{NS}>\n    <label>L</label>\n{}{}</PermissionSet>\n", user(first), user(second))
}

/// A Beta2 child file of a decomposed set as the sf CLI writes it: a `PermissionSet` root with no
/// namespace.
fn part() -> String {
    format!(
        "{HEAD}<PermissionSet>\n    <userPermissions>\n        <enabled>true</enabled>\n        <name>ApiEnabled</name>\n    </userPermissions>\n</PermissionSet>\n"
    )
}

/// A folder holding `files` (relative path, bytes), opened as `fmt` opens it.
fn folder(files: &[(&str, &[u8])]) -> (tempfile::TempDir, Source) {
    let dir = tempfile::tempdir().unwrap();
    for (relative, bytes) in files {
        let path = dir.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let source = Source::open(dir.path()).unwrap();
    (dir, source)
}

fn statuses(found: &[FileStatus]) -> Vec<String> {
    found
        .iter()
        .map(|s| match s {
            FileStatus::Canonical => "canonical".to_string(),
            FileStatus::WouldChange => "would change".to_string(),
            FileStatus::Error(e) => format!("error: {e}"),
        })
        .collect()
}

fn text_of(source: &Source, relative: &str) -> Result<String, SourceError> {
    let entry = source.entries.iter().find(|e| e.relative == relative).expect("the file is found");
    canonical_text(entry, &std::fs::read(entry.path().unwrap()).unwrap())
}

/// One status per file, in the source's order: canonical, would change, or why it cannot be read.
#[test]
fn each_file_is_canonical_would_change_or_cannot_be_read_in_order() {
    let (_dir, source) = folder(&[
        ("a.permissionset-meta.xml", set(true).as_bytes()),
        ("b.permissionset-meta.xml", set(false).as_bytes()),
        ("c.permissionset-meta.xml", format!("{HEAD}<PermissionSet{NS}>\n").as_bytes()),
    ]);
    let found = statuses(&check(&source).unwrap());
    assert_eq!(found[..2], ["canonical", "would change"]);
    assert!(found[2].starts_with("error: ") && found[2].contains("c.permissionset-meta.xml"), "{found:?}");
    assert_eq!(found.len(), 3);
}

/// The canonical text of a file is its entries in canonical order as the canonical writer writes
/// them, with LF line ends and no BOM, whatever the file had; a canonical file gives itself back.
#[test]
fn the_canonical_text_is_ordered_with_lf_line_ends_and_no_bom() {
    let crlf = |text: &str| text.replace('\n', "\r\n");
    let bom = |text: &str| format!("\u{feff}{text}");
    let (_dir, source) = folder(&[
        ("canonical.permissionset-meta.xml", set(true).as_bytes()),
        ("crlf.permissionset-meta.xml", crlf(&set(true)).as_bytes()),
        ("crlf-unordered.permissionset-meta.xml", crlf(&set(false)).as_bytes()),
        ("bom-unordered.permissionset-meta.xml", bom(&set(false)).as_bytes()),
        ("unordered.permissionset-meta.xml", set(false).as_bytes()),
    ]);
    for entry in &source.entries {
        assert_eq!(text_of(&source, &entry.relative).unwrap(), set(true), "{}", entry.relative);
    }
}

/// A decomposed set's child file takes the form the sf CLI writes (a Beta2 file has no
/// namespace): `fmt` does not add one, removes one given, and a file in that form is canonical.
#[test]
fn a_decomposed_sets_child_file_takes_the_form_the_cli_writes() {
    let stub = format!("{HEAD}<PermissionSet{NS}>\n    <label>X</label>\n</PermissionSet>\n");
    let with_namespace = part().replace("<PermissionSet>", &format!("<PermissionSet{NS}>"));
    let (_dir, source) = folder(&[
        ("permissionsets/X/X.permissionset-meta.xml", stub.as_bytes()),
        ("permissionsets/X/X.userPermission-meta.xml", part().as_bytes()),
        ("permissionsets/Y/Y.permissionset-meta.xml", stub.replace(">X<", ">Y<").as_bytes()),
        ("permissionsets/Y/Y.userPermission-meta.xml", with_namespace.as_bytes()),
    ]);
    for set in ["X", "Y"] {
        let relative = format!("permissionsets/{set}/{set}.userPermission-meta.xml");
        let entry = source.entries.iter().find(|e| e.relative == relative).expect("the child file");
        assert_eq!(entry.kind, Some(FileKind::PermissionSetPart));
        assert_eq!(text_of(&source, &relative).unwrap(), part(), "{set}");
    }
    assert_eq!(statuses(&check(&source).unwrap()), ["canonical", "canonical", "canonical", "would change"]);
}

/// The canonical text is allocated once, at about the file's size: the buffer reserved up front
/// (an eighth more than the file, for a file indented less than the writer indents) holds it
/// without growing, and is no larger. Memory for `fmt` stays one file's size per worker.
#[test]
fn the_canonical_text_is_allocated_once_at_about_the_files_size() {
    // Two-space indents: the canonical text (four spaces) is longer than the file, by less than
    // an eighth.
    let two_spaces: String = set(false)
        .lines()
        .map(|line| {
            let indent = line.len() - line.trim_start().len();
            format!("{}{}\n", " ".repeat(indent / 2), line.trim_start())
        })
        .collect();
    let (_dir, source) = folder(&[("a.permissionset-meta.xml", two_spaces.as_bytes())]);
    let text = text_of(&source, "a.permissionset-meta.xml").unwrap();
    assert_eq!(text, set(true));
    let file = two_spaces.len();
    assert!(text.len() > file && text.len() <= file + file / 8, "{} for a file of {file}", text.len());
    assert!(
        text.capacity() <= file + file / 8,
        "capacity {} for a file of {file}: grown or over-reserved",
        text.capacity()
    );
}

/// The streaming check answers for the files whose canonical form the writer defines (a
/// canonical set: yes, one out of order: no), and never for a decomposed set's child file, whose
/// form is the CLI's (it is read fully instead).
#[test]
fn the_streaming_check_answers_for_whole_files_and_not_for_child_files() {
    let (_dir, source) = folder(&[
        ("a.permissionset-meta.xml", set(true).as_bytes()),
        ("b.permissionset-meta.xml", set(false).as_bytes()),
        ("permissionsets/X/X.userPermission-meta.xml", part().as_bytes()),
    ]);
    let answers: Vec<(&str, bool)> = source
        .entries
        .iter()
        .map(|e| (e.relative.as_str(), is_canonical(e, &std::fs::read(e.path().unwrap()).unwrap())))
        .collect();
    assert_eq!(
        answers,
        [
            ("a.permissionset-meta.xml", true),
            ("b.permissionset-meta.xml", false),
            ("permissionsets/X/X.userPermission-meta.xml", false)
        ]
    );
    // With the namespace the CLI leaves out of a Beta2 file, the streaming check would say yes.
    let with_namespace = part().replace("<PermissionSet>", &format!("<PermissionSet{NS}>"));
    let (_dir, whole) = folder(&[("p.permissionset-meta.xml", with_namespace.as_bytes())]);
    assert!(is_canonical(&whole.entries[0], with_namespace.as_bytes()));
}

/// A rewrite stages only the files that are not canonical and puts them in place on `commit`,
/// saying which were written; a file the streaming check could not prove canonical but that is
/// (a child file) is reported as canonical after all and left alone; nothing is written before
/// `commit`.
#[test]
fn a_rewrite_writes_only_the_files_that_change_and_only_on_commit() {
    let (dir, source) = folder(&[
        ("a.permissionset-meta.xml", set(true).as_bytes()),
        ("b.permissionset-meta.xml", set(false).as_bytes()),
        ("permissionsets/X/X.userPermission-meta.xml", part().as_bytes()),
    ]);
    let (found, staging) = stage(&source).unwrap();
    assert_eq!(statuses(&found), ["canonical", "would change", "would change"]);
    let b = dir.path().join("b.permissionset-meta.xml");
    assert_eq!(std::fs::read_to_string(&b).unwrap(), set(false), "nothing written before commit");
    let committed: Vec<(usize, bool)> = staging.commit().into_iter().map(|(i, r)| (i, r.unwrap())).collect();
    assert_eq!(committed, [(1, true), (2, false)]);
    assert_eq!(std::fs::read_to_string(&b).unwrap(), set(true));
    assert_eq!(std::fs::read_to_string(dir.path().join("a.permissionset-meta.xml")).unwrap(), set(true));
    let part_path = dir.path().join("permissionsets/X/X.userPermission-meta.xml");
    assert_eq!(std::fs::read_to_string(part_path).unwrap(), part());
}

/// A zip archive is refused before anything is read, with what to do instead.
#[test]
fn a_zip_is_refused_for_a_rewrite_and_a_folder_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("retrieve.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    zip.start_file("a.permissionset-meta.xml", zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all(set(false).as_bytes()).unwrap();
    zip.finish().unwrap();
    let refused = check_rewritable(&Source::open(&zip_path).unwrap()).unwrap_err();
    assert_eq!(
        refused.to_string(),
        format!(
            "{}: a zip archive: sfperms does not rewrite archives; use `fmt --check`, or unzip it first",
            zip_path.display()
        )
    );
    assert!(check_rewritable(&Source::open(dir.path()).unwrap()).is_ok());
}
