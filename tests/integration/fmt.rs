//! `sfperms fmt` on real files: the carestone retrieve is already canonical; every public corpus
//! file keeps its meaning and is canonical afterwards; tool-mangled copies of canonical files
//! (shuffled groups and children, CRLF, BOM, tabs, no final newline) come back byte for byte;
//! generated files are left alone; zip and mdapi inputs work. Also: the fast writer `fmt` uses
//! writes exactly what the templates write, on every corpus file.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use sfperms::emit;
use sfperms::metadata::read::parse_bytes;
use sfperms::metadata::{Content, Document, Node};

use crate::common::{
    carestone, carestone_files, copy_dir, fixtures, fmt_file, gen_writing, ok_with_stderr, public_corpus, run, stderr,
    stdout,
};

/// Every file under `dir` (sorted), package.xml and MANIFEST.tsv excluded unless `all`.
pub fn metadata_files(dir: &Path, all: bool) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.contains(".permissionset") || name.contains(".profile") || (all && name == "package.xml")
        })
        .collect();
    files.sort();
    files
}

/// An element as an order-free string: children sorted recursively. Independent of
/// `metadata::canonical`, so it can judge it.
fn unordered(node: &Node) -> String {
    let attrs: Vec<String> = node.attrs.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
    match &node.content {
        Content::Text(text) => format!("<{} {}>{text:?}", node.name, attrs.join(" ")),
        Content::Children(children) => {
            let mut inner: Vec<String> = children.iter().map(unordered).collect();
            inner.sort();
            format!("<{} {}>[{}]", node.name, attrs.join(" "), inner.join(","))
        }
    }
}

/// What a document means: its root, root attributes and the multiset of its elements.
fn meaning(doc: &Document) -> (String, Vec<(String, String)>, Vec<String>) {
    let mut elements: Vec<String> = doc.children.iter().map(unordered).collect();
    elements.sort();
    (doc.root.clone(), doc.root_attrs.clone(), elements)
}

#[test]
fn carestone_is_already_canonical() {
    let output = run(&["fmt", "--check", carestone().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}{}", stdout(&output), stderr(&output));
    assert_eq!(stdout(&output), "");
    assert_eq!(stderr(&output), format!("{} files checked, 0 would change\n", carestone_files().len()));
}

#[test]
fn every_public_file_keeps_its_meaning_and_becomes_canonical() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("corpus/public"), dir.path());
    let files = metadata_files(dir.path(), true);
    let listed: Vec<PathBuf> = public_corpus()
        .iter()
        .map(|f| dir.path().join(f.strip_prefix(fixtures().join("corpus/public")).unwrap()))
        .collect();
    assert_eq!(files, listed, "the manifest lists every metadata file");
    let mut changed = 0;
    for file in &files {
        let before = std::fs::read(file).unwrap();
        let path = file.to_str().unwrap();
        fmt_file(path);
        let after = std::fs::read(file).unwrap();
        changed += usize::from(before != after);
        let (old, new) = (parse_bytes(&before).unwrap(), parse_bytes(&after).unwrap());
        assert_eq!(meaning(&old), meaning(&new), "{path}: fmt changed what the file means");
        assert_eq!(run(&["fmt", "--check", path]).status.code(), Some(0), "{path}: not canonical after fmt");
        let again = std::fs::read(file).unwrap();
        fmt_file(path);
        assert_eq!(std::fs::read(file).unwrap(), again, "{path}: fmt is not idempotent");
        assert!(after.ends_with(b">\n") && !after.contains(&b'\r') && !after.contains(&b'\t'), "{path}");
    }
    // CRLF, tabs, missing final newlines, out-of-order groups, ` ?>` declarations: most change.
    assert!(changed >= 15, "only {changed} files changed");
}

/// A canonical file as a careless tool would write it: groups reversed and interleaved, children
/// of every entry reversed, tabs, CRLF, a BOM, a spaced XML declaration and no final newline.
fn mangle(canonical: &str) -> Vec<u8> {
    let mut doc = parse_bytes(canonical.as_bytes()).unwrap();
    doc.children.reverse();
    let half = doc.children.len() / 2;
    doc.children.rotate_left(half);
    for child in &mut doc.children {
        if let Content::Children(children) = &mut child.content {
            children.reverse();
        }
    }
    let text = emit::render_as_is(&doc)
        .replace("    ", "\t")
        .replace('\n', "\r\n")
        .replace("encoding=\"UTF-8\"?>", "encoding=\"UTF-8\" ?>");
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend_from_slice(text.trim_end().as_bytes());
    bytes
}

#[test]
fn tool_mangled_files_come_back_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let originals = metadata_files(&carestone(), false);
    let mut mangled = Vec::new();
    for (i, original) in originals.iter().enumerate().filter(|(i, _)| i % 5 == 0) {
        let text = std::fs::read_to_string(original).unwrap();
        let bytes = mangle(&text);
        assert_ne!(bytes, text.as_bytes());
        let target = dir
            .path()
            .join("force-app/profiles")
            .join(format!("{i}-{}", original.file_name().unwrap().to_string_lossy()));
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, bytes).unwrap();
        mangled.push((original.clone(), target));
    }
    let d = dir.path().to_str().unwrap();
    let check = run(&["fmt", "--check", d]);
    assert_eq!(check.status.code(), Some(1));
    assert_eq!(stdout(&check).lines().count(), mangled.len(), "{}", stdout(&check));
    assert!(stdout(&check).lines().all(|l| l.starts_with("would change: ")));
    // fmt formats exactly the files --check named.
    let formatted: String = stdout(&check).lines().map(|l| l.replace("would change: ", "formatted: ") + "\n").collect();
    let n = mangled.len();
    ok_with_stderr(&["fmt", d], &format!("{formatted}{n} files checked, {n} formatted\n"));
    for (original, target) in &mangled {
        assert!(
            std::fs::read(original).unwrap() == std::fs::read(target).unwrap(),
            "{} did not come back to {}",
            target.display(),
            original.display()
        );
    }
    assert_eq!(run(&["fmt", "--check", d]).status.code(), Some(0));
}

/// A canonical file with only a BOM or other line ends (a Windows checkout) is read without a tree
/// (its text as the reader reads it is already canonical) and comes back byte for byte, as the
/// full path would write it.
#[test]
fn line_ends_and_a_bom_alone_come_back_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let originals = metadata_files(&carestone(), false);
    let variants: [fn(&str) -> Vec<u8>; 3] = [
        |t| t.replace('\n', "\r\n").into_bytes(),
        |t| t.replace('\n', "\r").into_bytes(),
        |t| format!("\u{feff}{t}").into_bytes(),
    ];
    let mut written = Vec::new();
    for (i, original) in originals.iter().enumerate().filter(|(i, _)| i % 7 == 0) {
        let text = std::fs::read_to_string(original).unwrap();
        let variant = variants[i % 3](&text);
        let full = sfperms::emit::render_fast(&parse_bytes(&variant).unwrap());
        assert!(full.as_bytes() == text.as_bytes(), "{}: the full path gives the original", original.display());
        let target = dir.path().join(format!("{i}-{}", original.file_name().unwrap().to_string_lossy()));
        std::fs::write(&target, variant).unwrap();
        written.push((original.clone(), target));
    }
    let d = dir.path().to_str().unwrap();
    assert_eq!(stdout(&run(&["fmt", "--check", d])).lines().count(), written.len());
    let n = written.len();
    assert!(run(&["fmt", d]).status.success());
    for (original, target) in &written {
        assert!(std::fs::read(original).unwrap() == std::fs::read(target).unwrap(), "{}", target.display());
    }
    assert_eq!(run(&["fmt", "--check", d]).status.code(), Some(0), "{n} files");
}

/// Files `gen` writes into a folder pass `fmt --check` (every variant's XML is checked canonical
/// in `snapshots.rs`).
#[test]
fn generated_files_are_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    gen_writing(&["--for", "planhat", "--sync", "two-way", "--feature", "all"], &["--new-profile", "--output-dir", d]);
    gen_writing(&["--for", "jetstream", "--feature", "all"], &["--output-dir", d, "--layout", "mdapi"]);
    let output = run(&["fmt", "--check", d]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn the_writers_and_the_streaming_check_agree_on_every_corpus_file() {
    let files = metadata_files(&fixtures().join("corpus"), true);
    // The carestone retrieve's package.xml (in `manifest/`) is read too.
    assert_eq!(files.len(), public_corpus().len() + carestone_files().len() + 1);
    let mut problems = Vec::new();
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let doc = parse_bytes(&bytes).unwrap();
        let canonical = emit::render_fast(&doc);
        let unordered = emit::render_as_is_fast(&doc);
        let mut check = |ok: bool, what: &str| {
            if !ok {
                problems.push(format!("{}: {what}", file.display()));
            }
        };
        check(canonical == emit::render(&doc), "the two writers disagree");
        check(unordered == emit::render_as_is(&doc), "the two writers disagree on the file as it stands");
        // The streaming check: the same verdict as writing, on the file, its canonical form and
        // its unordered form.
        check(
            emit::is_canonical(&bytes, |_| true) == (canonical.as_bytes() == bytes),
            "the check is wrong on the file",
        );
        check(emit::is_canonical(canonical.as_bytes(), |_| true), "the check rejects the canonical form");
        check(
            emit::is_canonical(unordered.as_bytes(), |_| true) == (unordered == canonical),
            "the check is wrong on the unordered form",
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A zip of `files` (entry name, bytes).
pub fn make_zip(path: &Path, files: &[(String, Vec<u8>)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in files {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn zips_and_mdapi_folders_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let admin = std::fs::read(carestone().join("force-app/main/default/profiles/Admin.profile-meta.xml")).unwrap();
    let api =
        std::fs::read(carestone().join("force-app/main/default/permissionsets/API_Only_User.permissionset-meta.xml"))
            .unwrap();
    let mangled = mangle(&String::from_utf8(api.clone()).unwrap());
    for (zip_name, prefix) in [("retrieve.zip", "unpackaged/"), ("flat.zip", "")] {
        let zip = dir.path().join(zip_name);
        make_zip(
            &zip,
            &[
                (format!("{prefix}package.xml"), b"<Package/>".to_vec()),
                (format!("{prefix}profiles/Admin.profile"), admin.clone()),
                (format!("{prefix}permissionsets/API_Only_User.permissionset"), api.clone()),
            ],
        );
        let z = zip.to_str().unwrap();
        let output = run(&["fmt", "--check", z]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert!(stderr(&output).contains("2 files checked"), "{}", stderr(&output));
        let bad = dir.path().join(format!("mangled-{zip_name}"));
        make_zip(&bad, &[(format!("{prefix}permissionsets/API_Only_User.permissionset"), mangled.clone())]);
        let output = run(&["fmt", "--check", bad.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(1));
        assert_eq!(
            stdout(&output),
            format!("would change: {}!/{prefix}permissionsets/API_Only_User.permissionset\n", bad.display())
        );
        // Archives are checked, never rewritten.
        let output = run(&["fmt", bad.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(2));
        assert!(stderr(&output).contains("does not rewrite archives"), "{}", stderr(&output));
    }
    let mdapi = dir.path().join("mdapi");
    std::fs::create_dir_all(mdapi.join("permissionsets")).unwrap();
    std::fs::write(mdapi.join("package.xml"), "not even XML").unwrap();
    std::fs::write(mdapi.join("permissionsets/API_Only_User.permissionset"), &mangled).unwrap();
    let m = mdapi.to_str().unwrap();
    assert_eq!(run(&["fmt", "--check", m]).status.code(), Some(1));
    ok_with_stderr(
        &["fmt", m],
        &format!("formatted: {m}/permissionsets/API_Only_User.permissionset\n1 files checked, 1 formatted\n"),
    );
    assert_eq!(std::fs::read(mdapi.join("permissionsets/API_Only_User.permissionset")).unwrap(), api);
    assert_eq!(std::fs::read_to_string(mdapi.join("package.xml")).unwrap(), "not even XML", "package.xml is not ours");
}

#[test]
fn an_sfdx_project_is_read_in_every_package_directory() {
    let dir = tempfile::tempdir().unwrap();
    let api =
        std::fs::read(carestone().join("force-app/main/default/permissionsets/API_Only_User.permissionset-meta.xml"))
            .unwrap();
    let mangled = mangle(&String::from_utf8(api.clone()).unwrap());
    std::fs::write(
        dir.path().join("sfdx-project.json"),
        r#"{"packageDirectories": [{"path": "app-a", "default": true}, {"path": "app-b"}]}"#,
    )
    .unwrap();
    for package in ["app-a", "app-b", "not-a-package"] {
        let folder = dir.path().join(package).join("main/default/permissionsets");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("X.permissionset-meta.xml"), &mangled).unwrap();
    }
    let output = run(&["fmt", "--check", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let listed = stdout(&output);
    assert!(listed.contains("app-a/main") && listed.contains("app-b/main"), "{listed}");
    assert!(!listed.contains("not-a-package"), "{listed}");
}

#[test]
fn comments_and_unknown_elements_survive() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("X.permissionset-meta.xml");
    let text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- owned by the integrations team -->\n<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n<zzNewerThanSfperms><deep><x>1</x></deep></zzNewerThanSfperms>\n<!-- why: the nightly sync -->\n<userPermissions><name>ApiEnabled</name><enabled>True</enabled></userPermissions>\n<description xsi:nil=\"true\"/>\n<label>X &amp; Y</label>\n</PermissionSet>";
    std::fs::write(&file, text).unwrap();
    fmt_file(file.to_str().unwrap());
    let expected = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<!-- owned by the integrations team -->
<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">
    <description xsi:nil=\"true\"></description>
    <label>X &amp; Y</label>
    <!-- why: the nightly sync -->
    <userPermissions>
        <enabled>True</enabled>
        <name>ApiEnabled</name>
    </userPermissions>
    <zzNewerThanSfperms>
        <deep>
            <x>1</x>
        </deep>
    </zzNewerThanSfperms>
</PermissionSet>
";
    assert_eq!(std::fs::read_to_string(&file).unwrap(), expected);
}
