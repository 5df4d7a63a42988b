//! Rules of where existing metadata files come from, stated one per test: which files a folder,
//! an SFDX project, a zip or one named file give, with which kind and name; what is refused and
//! with which words (links out, entries leaving the archive or listed twice, sizes over the cap,
//! a root element the file name does not allow). Files are made in temporary folders; zips are
//! written by the zip crate or, where the test needs a directory the crate will not write (a name
//! twice, file comments, a declared size that lies), byte by byte by `raw_zip`.

use std::io::Write as _;

use super::*;

const NS: &str = "http://soap.sforce.com/2006/04/metadata";

pub(in crate::project) fn xml(root: &str, body: &str) -> String {
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{root} xmlns=\"{NS}\">\n{body}</{root}>\n")
}

pub(in crate::project) fn set(label: &str) -> String {
    xml("PermissionSet", &format!("    <label>{label}</label>\n"))
}

/// Writes `text` at `relative` under `root`, making its folders.
pub(in crate::project) fn put(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Each entry as (relative path, kind, name).
fn listed(source: &Source) -> Vec<(&str, Option<FileKind>, &str)> {
    source.entries.iter().map(|e| (e.relative.as_str(), e.kind, e.name.as_str())).collect()
}

/// A zip written by the zip crate, one deflated file per `(name, text)`.
fn zip_of(path: &Path, files: &[(&str, &str)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, text) in files {
        zip.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

/// One stored file of a zip written byte by byte.
#[derive(Clone, Copy)]
struct Raw<'a> {
    name: &'a str,
    data: &'a [u8],
    /// The extra field of its central directory record (already in `id, size, data` form).
    extra: &'a [u8],
    /// Its file comment in the central directory.
    comment: &'a [u8],
    /// The uncompressed size the central directory states, if not the data's length.
    declared: Option<u32>,
}

fn raw(name: &str) -> Raw<'_> {
    Raw { name, data: b"", extra: b"", comment: b"", declared: None }
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A zip archive as the format describes it (APPNOTE 4.3): `prefix` (a self-extractor's stub,
/// say) first, each entry's local header and data, the central directory, the end record with
/// `comment`. Offsets count from the start of the file, as `zip -A` leaves them.
fn raw_zip(prefix: &[u8], entries: &[Raw], comment: &[u8]) -> Vec<u8> {
    fn u16le(out: &mut Vec<u8>, n: usize) {
        out.extend(u16::try_from(n).unwrap().to_le_bytes());
    }
    fn u32le(out: &mut Vec<u8>, n: u32) {
        out.extend(n.to_le_bytes());
    }
    let mut out = prefix.to_vec();
    let mut directory = Vec::new();
    for e in entries {
        let offset = u32::try_from(out.len()).unwrap();
        let size = u32::try_from(e.data.len()).unwrap();
        // version 2.0, no flags, stored, 1980-01-01 00:00
        let common = |out: &mut Vec<u8>, declared: u32| {
            out.extend([20, 0, 0, 0, 0, 0, 0, 0, 33, 0]);
            u32le(out, crc32(e.data));
            u32le(out, size);
            u32le(out, declared);
            u16le(out, e.name.len());
        };
        out.extend(b"PK\x03\x04");
        common(&mut out, size);
        u16le(&mut out, 0);
        out.extend(e.name.as_bytes());
        out.extend(e.data);
        directory.extend(b"PK\x01\x02\x14\x00");
        common(&mut directory, e.declared.unwrap_or(size));
        u16le(&mut directory, e.extra.len());
        u16le(&mut directory, e.comment.len());
        directory.extend([0; 8]);
        u32le(&mut directory, offset);
        directory.extend(e.name.as_bytes());
        directory.extend(e.extra);
        directory.extend(e.comment);
    }
    let start = u32::try_from(out.len()).unwrap();
    out.extend(&directory);
    out.extend(b"PK\x05\x06\0\0\0\0");
    u16le(&mut out, entries.len());
    u16le(&mut out, entries.len());
    u32le(&mut out, u32::try_from(directory.len()).unwrap());
    u32le(&mut out, start);
    u16le(&mut out, comment.len());
    out.extend(comment);
    out
}

fn open_bytes(dir: &Path, file: &str, bytes: &[u8]) -> (PathBuf, Result<Source, SourceError>) {
    let path = dir.join(file);
    std::fs::write(&path, bytes).unwrap();
    let opened = Source::open(&path);
    (path, opened)
}

/// A folder gives every metadata file below it that its name (or, for a decomposed set's child
/// file, its path) makes one, sorted by path, names decoded; package.xml and other files are not
/// among them.
#[test]
fn a_folder_gives_its_metadata_files_by_name_sorted_with_names_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    put(root, "profiles/Admin.profile", &xml("Profile", ""));
    put(root, "permissionsets/E%26F X.permissionset-meta.xml", &set("E&F X"));
    put(root, "permissionsetgroups/G.permissionsetgroup-meta.xml", &xml("PermissionSetGroup", ""));
    put(root, "mutingpermissionsets/M.mutingpermissionset", &xml("MutingPermissionSet", ""));
    put(root, "permissionsets/D/D.permissionset-meta.xml", &set("D"));
    put(root, "permissionsets/D/D.userPermission-meta.xml", "<PermissionSet/>");
    put(root, "package.xml", &xml("Package", ""));
    put(root, "classes/A.cls", "class A {}");
    put(root, "permissionsets/readme.md", "notes");
    let source = Source::open(root).unwrap();
    assert_eq!(source.origin, Origin::Folder);
    assert_eq!(source.root, root);
    assert_eq!(
        listed(&source),
        [
            ("mutingpermissionsets/M.mutingpermissionset", Some(FileKind::MutingPermissionSet), "M"),
            ("permissionsetgroups/G.permissionsetgroup-meta.xml", Some(FileKind::PermissionSetGroup), "G"),
            ("permissionsets/D/D.permissionset-meta.xml", Some(FileKind::PermissionSet), "D"),
            ("permissionsets/D/D.userPermission-meta.xml", Some(FileKind::PermissionSetPart), "D"),
            ("permissionsets/E%26F X.permissionset-meta.xml", Some(FileKind::PermissionSet), "E&F X"),
            ("profiles/Admin.profile", Some(FileKind::Profile), "Admin"),
        ]
    );
    let admin = &source.entries[5];
    let path = root.join("profiles/Admin.profile");
    assert_eq!((admin.display.as_str(), admin.path()), (path.to_str().unwrap(), Some(path.as_path())));
}

/// Folders whose name starts with a dot (`.sfdx`, `.git`) and `node_modules` are not searched;
/// the folder named on the command line is, whatever its name, and so are folders whose name only
/// contains those words.
#[test]
fn hidden_folders_and_node_modules_are_skipped_unless_named_themselves() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    put(root, ".sfdx/tools/A.permissionset-meta.xml", &set("A"));
    put(root, "node_modules/pkg/B.permissionset-meta.xml", &set("B"));
    put(root, "node_modules_old/C.permissionset-meta.xml", &set("C"));
    put(root, "x.sfdx/D.permissionset-meta.xml", &set("D"));
    let names = |source: &Source| source.entries.iter().map(|e| e.relative.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&Source::open(root).unwrap()),
        ["node_modules_old/C.permissionset-meta.xml", "x.sfdx/D.permissionset-meta.xml"]
    );
    assert_eq!(names(&Source::open(&root.join(".sfdx")).unwrap()), ["tools/A.permissionset-meta.xml"]);
    assert_eq!(names(&Source::open(&root.join("node_modules")).unwrap()), ["pkg/B.permissionset-meta.xml"]);
}

/// In an SFDX project only the package directories are searched, every one of them; paths are
/// relative to the project.
#[test]
fn an_sfdx_project_is_searched_in_each_package_directory_only() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    put(
        root,
        "sfdx-project.json",
        r#"{"packageDirectories": [{"path": "extra"}, {"path": "force-app", "default": true}]}"#,
    );
    put(root, "force-app/main/default/permissionsets/A.permissionset-meta.xml", &set("A"));
    put(root, "extra/profiles/P.profile-meta.xml", &xml("Profile", ""));
    put(root, "scripts/B.permissionset-meta.xml", &set("B"));
    let source = Source::open(root).unwrap();
    assert_eq!(source.origin, Origin::SfdxProject);
    assert_eq!(
        listed(&source),
        [
            ("extra/profiles/P.profile-meta.xml", Some(FileKind::Profile), "P"),
            ("force-app/main/default/permissionsets/A.permissionset-meta.xml", Some(FileKind::PermissionSet), "A"),
        ]
    );
}

/// A package directory that does not exist is an error when reading (`diff`, `fmt`) and holds
/// nothing when about to write (`gen` creates it); a package directory that is a file is an error
/// either way.
#[test]
fn a_missing_package_directory_is_refused_when_reading_and_empty_when_writing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    put(
        root,
        "sfdx-project.json",
        r#"{"packageDirectories": [{"path": "force-app", "default": true}, {"path": "gone"}]}"#,
    );
    put(root, "force-app/A.permissionset-meta.xml", &set("A"));
    let refused = Source::open_dir(root, MissingDirs::Refuse).unwrap_err();
    assert_eq!(refused.to_string(), format!("{}: no such file or folder", root.join("gone").display()));
    let skipped = Source::open_dir(root, MissingDirs::Skip).unwrap();
    assert_eq!(listed(&skipped), [("force-app/A.permissionset-meta.xml", Some(FileKind::PermissionSet), "A")]);
    put(root, "gone", "a file");
    let file = Source::open_dir(root, MissingDirs::Skip).unwrap_err();
    assert_eq!(file.to_string(), format!("{}: no such file or folder", root.join("gone").display()));
}

/// A file named on the command line is the one entry of its source, relative to its folder; a
/// name that says no kind leaves the kind to its root element, and the name is the file name.
#[test]
fn a_named_file_is_its_own_source_whatever_its_name() {
    let dir = tempfile::tempdir().unwrap();
    put(dir.path(), "sub/Sales%2FOps.profile-meta.xml", &xml("Profile", ""));
    put(dir.path(), "sub/export.xml", &set("X"));
    let path = dir.path().join("sub/Sales%2FOps.profile-meta.xml");
    let source = Source::open(&path).unwrap();
    assert_eq!((source.origin, source.root.as_path()), (Origin::File, dir.path().join("sub").as_path()));
    assert_eq!(listed(&source), [("Sales%2FOps.profile-meta.xml", Some(FileKind::Profile), "Sales/Ops")]);
    assert_eq!(
        (source.entries[0].display.as_str(), source.entries[0].path()),
        (path.to_str().unwrap(), Some(path.as_path()))
    );
    let other = Source::open(&dir.path().join("sub/export.xml")).unwrap();
    assert_eq!(listed(&other), [("export.xml", None, "export.xml")]);
}

/// A path that does not exist is named as such, not as an I/O error.
#[test]
fn a_path_that_does_not_exist_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nothing.permissionset-meta.xml");
    let err = Source::open(&missing).unwrap_err();
    assert_eq!(err.to_string(), format!("{}: no such file or folder", missing.display()));
}

/// A zip is known by its `.zip` extension (any case) or, whatever its name, by its first bytes; a
/// file shorter than those bytes, or starting otherwise, is a metadata file.
#[test]
fn a_zip_is_known_by_its_extension_or_its_first_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let built = dir.path().join("built.zip");
    zip_of(&built, &[("profiles/P.profile", &xml("Profile", ""))]);
    let bytes = std::fs::read(&built).unwrap();
    for file in ["retrieve.ZIP", "retrieve.bin"] {
        let (_, source) = open_bytes(dir.path(), file, &bytes);
        assert_eq!(source.unwrap().origin, Origin::Zip, "{file}");
    }
    let (path, not_zip) = open_bytes(dir.path(), "fake.zip", set("A").as_bytes());
    assert_eq!(
        not_zip.unwrap_err().to_string(),
        format!("{}: not a readable zip archive: invalid Zip archive: Could not find EOCD", path.display())
    );
    for (file, text) in [("A.permissionset", set("A").as_str()), ("P.profile", "PK"), ("Q.profile", "PK\x03\x05")] {
        let (_, source) = open_bytes(dir.path(), file, text.as_bytes());
        assert_eq!(source.unwrap().origin, Origin::File, "{file}");
    }
}

/// A zip's metadata files are listed by their path in the archive (`./` dropped), folders and
/// package.xml left out, shown as `archive!/path`; each is read from the archive, in order when
/// mapped.
#[test]
fn a_retrieve_zip_lists_its_files_by_their_path_and_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("retrieve.zip");
    let profile = xml("Profile", "    <custom>false</custom>\n");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    zip.add_directory("unpackaged/profiles/", zip::write::SimpleFileOptions::default()).unwrap();
    for (name, text) in [
        ("unpackaged/profiles/Admin.profile", profile.as_str()),
        ("unpackaged/package.xml", &xml("Package", "")),
        ("./unpackaged/permissionsets/E%26F X.permissionset", &set("EF")),
        ("unpackaged/classes/A.cls", "class A {}"),
    ] {
        zip.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    let source = Source::open(&path).unwrap();
    assert_eq!((source.origin, source.root.as_path()), (Origin::Zip, path.as_path()));
    assert_eq!(
        listed(&source),
        [
            ("unpackaged/permissionsets/E%26F X.permissionset", Some(FileKind::PermissionSet), "E&F X"),
            ("unpackaged/profiles/Admin.profile", Some(FileKind::Profile), "Admin"),
        ]
    );
    let admin = &source.entries[1];
    assert_eq!(admin.display, format!("{}!/unpackaged/profiles/Admin.profile", path.display()));
    assert_eq!(admin.path(), None);
    let mut reader = source.reader().unwrap();
    assert_eq!(reader.read(admin).unwrap(), profile.as_bytes());
    assert_eq!(reader.load(admin).unwrap().root, "Profile");
    let labels = source.map(|reader, entry| reader.load(entry).map(|doc| (entry.name.clone(), doc.root))).unwrap();
    let labels: Vec<_> = labels.into_iter().map(Result::unwrap).collect();
    assert_eq!(labels, [("E&F X".to_string(), "PermissionSet".to_string()), ("Admin".into(), "Profile".into())]);
}

/// `map` runs on every entry of a folder and gives the results in the entries' order.
#[test]
fn map_gives_every_entrys_result_in_entry_order() {
    let dir = tempfile::tempdir().unwrap();
    let names: Vec<String> = (0..12).map(|i| format!("S{i:02}")).collect();
    for name in &names {
        put(dir.path(), &format!("{name}.permissionset-meta.xml"), &set(name));
    }
    let source = Source::open(dir.path()).unwrap();
    let read = source.map(|reader, entry| (entry.name.clone(), reader.read(entry).unwrap())).unwrap();
    let expected: Vec<(String, Vec<u8>)> = names.iter().map(|n| (n.clone(), set(n).into_bytes())).collect();
    assert_eq!(read, expected);
    let empty = Source::open(&dir.path().join("S00.permissionset-meta.xml")).unwrap();
    assert_eq!(empty.map(|_, entry| entry.name.clone()).unwrap(), ["S00"]);
}

/// An entry whose name leaves the archive's folder (`..`, absolute, a drive letter, with `/` or
/// `\`) refuses the whole archive, naming the entry.
#[test]
fn a_zip_entry_leaving_its_folder_refuses_the_whole_archive() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["../x.profile", "..\\..\\x.profile", "C:/x.profile", "/x.profile", "\\x.profile"] {
        let entries = [raw("profiles/A.profile"), raw(name)];
        let (path, opened) = open_bytes(dir.path(), "evil.zip", &raw_zip(b"", &entries, b""));
        assert_eq!(
            opened.unwrap_err().to_string(),
            format!(
                "{}: entry `{name}` leaves its folder (absolute, drive letter or `..` path); refusing the whole archive",
                path.display()
            )
        );
    }
}

/// A name the archive lists twice (which the zip crate would read only once), also as `./name`
/// beside `name`, refuses the whole archive, naming the entry.
#[test]
fn an_entry_listed_twice_refuses_the_whole_archive() {
    let dir = tempfile::tempdir().unwrap();
    for (entries, twice) in [
        (["profiles/A.profile", "profiles/B.profile", "profiles/A.profile"], "profiles/A.profile"),
        (["profiles/A.profile", "profiles/B.profile", "./profiles/B.profile"], "./profiles/B.profile"),
    ] {
        let entries: Vec<Raw> = entries.into_iter().map(raw).collect();
        let (path, opened) = open_bytes(dir.path(), "twice.zip", &raw_zip(b"", &entries, b""));
        assert_eq!(
            opened.unwrap_err().to_string(),
            format!("{}: entry `{twice}` is in the archive twice; refusing the whole archive", path.display())
        );
        let (_, once) = open_bytes(dir.path(), "once.zip", &raw_zip(b"", &entries[..2], b""));
        assert_eq!(once.unwrap().entries.len(), 2);
    }
}

/// The search for a name listed twice reads every record of the central directory whatever it
/// carries: names longer than 255 bytes, extra fields, file comments, a directory over 256 bytes,
/// an archive comment, a stub before the archive, over 255 entries.
#[test]
fn a_name_listed_twice_is_found_in_any_directory() {
    let dir = tempfile::tempdir().unwrap();
    let long = format!("unpackaged/permissionsets/{}.permissionset", "L".repeat(280));
    let extra = b"\xfe\xca\x04\x00abcd";
    let mut entries = vec![Raw { extra, ..raw("unpackaged/profiles/A.profile") }];
    entries.push(Raw { comment: b"made by hand", ..raw(&long) });
    entries.push(Raw { extra, comment: b"c", ..raw("unpackaged/profiles/B.profile") });
    let names: Vec<String> = (0..300).map(|i| format!("unpackaged/profiles/P{i}.profile")).collect();
    entries.extend(names.iter().map(|n| raw(n)));
    for (prefix, comment) in [(&b""[..], &b""[..]), (b"#!/bin/sh\nexit 0\n", b""), (b"", b"an archive comment")] {
        let (_, once) = open_bytes(dir.path(), "once.zip", &raw_zip(prefix, &entries, comment));
        assert_eq!(once.unwrap().entries.len(), entries.len());
        for twice in [&long, "unpackaged/profiles/B.profile", "unpackaged/profiles/P5.profile"] {
            let mut with = entries.clone();
            with.push(raw(twice));
            let (path, opened) = open_bytes(dir.path(), "twice.zip", &raw_zip(prefix, &with, comment));
            assert_eq!(
                opened.unwrap_err().to_string(),
                format!("{}: entry `{twice}` is in the archive twice; refusing the whole archive", path.display())
            );
        }
    }
}

/// The search for a name listed twice reads the directory the zip crate reads, wherever the end
/// record's other fields would put it: an archive comment ending with the end record's signature,
/// or an end record stating a directory larger than the file, hides no name listed twice.
#[test]
fn a_name_listed_twice_is_found_whatever_the_end_record_says_besides() {
    let dir = tempfile::tempdir().unwrap();
    let once = [raw("profiles/A.profile"), raw("profiles/B.profile")];
    let twice = [raw("profiles/A.profile"), raw("profiles/B.profile"), raw("profiles/A.profile")];
    let refusal = |path: &Path| {
        format!("{}: entry `profiles/A.profile` is in the archive twice; refusing the whole archive", path.display())
    };
    let signature = b"xx PK\x05\x06";
    let (_, opened) = open_bytes(dir.path(), "odd.zip", &raw_zip(b"", &once, signature));
    assert_eq!(opened.unwrap().entries.len(), 2);
    let (path, opened) = open_bytes(dir.path(), "odd.zip", &raw_zip(b"", &twice, signature));
    assert_eq!(opened.unwrap_err().to_string(), refusal(&path));
    let lying = |entries: &[Raw]| {
        let mut bytes = raw_zip(b"", entries, b"");
        let size_at = bytes.len() - 22 + 12;
        let claimed = u32::try_from(bytes.len()).unwrap();
        bytes[size_at..size_at + 4].copy_from_slice(&claimed.to_le_bytes());
        bytes
    };
    let (_, opened) = open_bytes(dir.path(), "lying.zip", &lying(&once));
    assert_eq!(opened.unwrap().entries.len(), 2);
    let (path, opened) = open_bytes(dir.path(), "lying.zip", &lying(&twice));
    assert_eq!(opened.unwrap_err().to_string(), refusal(&path));
}

/// A zip entry is refused by the size its directory declares, over `MAX_FILE_BYTES`, before it is
/// inflated; one declared at the limit is read.
#[test]
fn a_zip_entry_declared_over_the_limit_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let text = set("A");
    let limit = u32::try_from(MAX_FILE_BYTES).unwrap();
    for (declared, refused) in [(limit + 1, true), (limit, false)] {
        let entry = Raw { data: text.as_bytes(), declared: Some(declared), ..raw("A.permissionset") };
        let (path, opened) = open_bytes(dir.path(), "big.zip", &raw_zip(b"", &[entry], b""));
        let source = opened.unwrap();
        let read = source.reader().unwrap().read(&source.entries[0]);
        if refused {
            assert_eq!(
                read.unwrap_err().to_string(),
                format!(
                    "{}!/A.permissionset: {declared} bytes, more than the {MAX_FILE_BYTES} bytes sfperms reads from one metadata file; is it really a permission set or profile?",
                    path.display()
                )
            );
        } else {
            assert_eq!(read.unwrap(), text.as_bytes());
        }
    }
}

/// A file over `MAX_FILE_BYTES` is refused by its size, named as its entry; one deleted since the
/// folder was searched is named as missing.
#[test]
fn a_file_over_the_limit_or_gone_is_refused_by_its_entry() {
    let dir = tempfile::tempdir().unwrap();
    put(dir.path(), "A.permissionset-meta.xml", &set("A"));
    put(dir.path(), "B.permissionset-meta.xml", &set("B"));
    let source = Source::open(dir.path()).unwrap();
    let big = std::fs::OpenOptions::new().write(true).open(dir.path().join("A.permissionset-meta.xml")).unwrap();
    big.set_len(MAX_FILE_BYTES + 1).unwrap();
    std::fs::remove_file(dir.path().join("B.permissionset-meta.xml")).unwrap();
    let mut reader = source.reader().unwrap();
    let [a, b] = &source.entries[..] else { panic!("two entries") };
    assert_eq!(
        reader.read(a).unwrap_err().to_string(),
        format!(
            "{}: {} bytes, more than the {MAX_FILE_BYTES} bytes sfperms reads from one metadata file; is it really a permission set or profile?",
            a.display,
            MAX_FILE_BYTES + 1
        )
    );
    assert_eq!(reader.read(b).unwrap_err().to_string(), format!("{}: no such file or folder", b.display));
}

/// A component's name found once is that entry; in two files (two folders, or an encoded and a
/// plain file name) it is an error naming both; names of another kind do not count.
#[test]
fn a_name_in_two_files_is_ambiguous_and_names_them_both() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    put(root, "a/E%26F X.permissionset-meta.xml", &set("1"));
    put(root, "b/E&F X.permissionset-meta.xml", &set("2"));
    put(root, "b/Solo.permissionset-meta.xml", &set("3"));
    put(root, "b/Solo.profile-meta.xml", &xml("Profile", ""));
    put(root, "c/Solo.profile-meta.xml", &xml("Profile", ""));
    let source = Source::open(root).unwrap();
    let set_kind = FileKind::PermissionSet;
    assert_eq!(source.find(set_kind, "E&F X").len(), 2);
    let err = source.find_one(set_kind, "E&F X", "rename one").unwrap_err();
    let shown = |relative: &str| root.join(relative).display().to_string();
    assert_eq!(
        err.to_string(),
        format!(
            "{}: `E&F X` is ambiguous, 2 files have that name: {}, {}; rename one",
            root.display(),
            shown("a/E%26F X.permissionset-meta.xml"),
            shown("b/E&F X.permissionset-meta.xml")
        )
    );
    let solo = source.find_one(set_kind, "Solo", "").unwrap().unwrap();
    assert_eq!(solo.relative, "b/Solo.permissionset-meta.xml");
    assert!(source.find_one(set_kind, "Nobody", "").unwrap().is_none());
    assert_eq!(source.find(FileKind::Profile, "E&F X").len(), 0);
    assert_eq!(source.names(set_kind), ["E&F X", "Solo"]);
    assert_eq!(source.names(FileKind::Profile), ["Solo"]);
    assert!(source.names(FileKind::MutingPermissionSet).is_empty());
}

/// Every read of a file (a tree, a borrowing tree, diff's entries, the root check alone) accepts
/// the root element its name says, and refuses another with the element found and expected.
#[test]
fn a_file_must_have_the_root_its_name_says() {
    let dir = tempfile::tempdir().unwrap();
    put(dir.path(), "A.permissionset-meta.xml", &set("A"));
    put(dir.path(), "B.permissionset-meta.xml", &xml("Profile", ""));
    let source = Source::open(dir.path()).unwrap();
    let [good, bad] = &source.entries[..] else { panic!("two entries") };
    let mut reader = source.reader().unwrap();
    let bytes = reader.read(good).unwrap();
    assert_eq!(reader.load(good).unwrap().root, "PermissionSet");
    assert_eq!(parse_entry(good, &bytes).unwrap(), read::parse_bytes(&bytes).unwrap());
    let prepared = prepare_entry(good, &bytes).unwrap();
    assert_eq!(prepared.text(), set("A"));
    assert_eq!(parse_prepared(good, &prepared).unwrap().root, "PermissionSet");
    let entries = read_entries(good, bytes.clone()).unwrap();
    assert_eq!((entries.root(), entries.len()), ("PermissionSet", 1));
    assert!(check_root(good, "PermissionSet").is_ok());
    let wrong =
        format!("{}: the root element is <Profile>, not <PermissionSet>: is it a PermissionSet file?", bad.display);
    let bad_bytes = reader.read(bad).unwrap();
    assert_eq!(reader.load(bad).unwrap_err().to_string(), wrong);
    assert_eq!(parse_entry(bad, &bad_bytes).unwrap_err().to_string(), wrong);
    let prepared = prepare_entry(bad, &bad_bytes).unwrap();
    assert_eq!(parse_prepared(bad, &prepared).unwrap_err().to_string(), wrong);
    assert_eq!(read_entries(bad, bad_bytes.clone()).unwrap_err().to_string(), wrong);
    assert_eq!(check_root(bad, "Profile").unwrap_err().to_string(), wrong);
}

/// A file of no known kind may have the root of any kind sfperms reads; any other root is refused
/// with the list of what it reads.
#[test]
fn a_file_of_no_known_kind_may_have_any_root_sfperms_reads() {
    for root in ["PermissionSet", "Profile", "Package", "PermissionSetGroup", "MutingPermissionSet"] {
        let doc = parse_file("export.xml", None, xml(root, "").as_bytes()).unwrap();
        assert_eq!(doc.root, root);
    }
    let err = parse_file("export.xml", None, xml("CustomObject", "").as_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "export.xml: the root element is <CustomObject>; sfperms reads PermissionSet, Profile, PermissionSetGroup, MutingPermissionSet and package.xml files"
    );
}

/// A decomposed set's child file may have a `<PermissionSet>` root without a namespace (Beta2) or
/// its child type's root (Beta); any other root is refused. A whole set needs the namespace.
#[test]
fn a_child_file_has_a_set_or_child_type_root_and_may_lack_the_namespace() {
    let part = Some(FileKind::PermissionSetPart);
    let beta2 = "<PermissionSet>\n    <userPermissions>\n        <enabled>true</enabled>\n        <name>ApiEnabled</name>\n    </userPermissions>\n</PermissionSet>\n";
    let doc = parse_file("X.userPermission-meta.xml", part, beta2.as_bytes()).unwrap();
    assert_eq!((doc.root.as_str(), doc.in_metadata_namespace), ("PermissionSet", false));
    let beta = xml("UserPermission", "    <enabled>true</enabled>\n    <name>ApiEnabled</name>\n");
    assert_eq!(parse_file("ApiEnabled.userPermission-meta.xml", part, beta.as_bytes()).unwrap().root, "UserPermission");
    let err = parse_file("X.userPermission-meta.xml", part, xml("Profile", "").as_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "X.userPermission-meta.xml: the root element is <Profile>, not <PermissionSet>: is it a PermissionSet file?"
    );
    let whole = parse_file("X.permissionset-meta.xml", Some(FileKind::PermissionSet), beta2.as_bytes());
    assert!(matches!(whole, Err(SourceError::Parse { line: 1, .. })), "{whole:?}");
}

/// A symbolic link is followed while it stays inside the folder being read; a link out of it is
/// refused, naming the link, its target and the folder; a link back to an ancestor is a loop.
#[cfg(unix)]
#[test]
fn links_are_followed_only_inside_the_folder_read() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("project");
    put(&root, "shared/A.permissionset-meta.xml", &set("A"));
    symlink(root.join("shared"), root.join("linked")).unwrap();
    let found = Source::open(&root).unwrap();
    assert_eq!(
        listed(&found),
        [
            ("linked/A.permissionset-meta.xml", Some(FileKind::PermissionSet), "A"),
            ("shared/A.permissionset-meta.xml", Some(FileKind::PermissionSet), "A"),
        ]
    );
    put(dir.path(), "outside/B.permissionset-meta.xml", &set("B"));
    let outside = dir.path().join("outside").canonicalize().unwrap();
    symlink(&outside, root.join("out")).unwrap();
    assert_eq!(
        Source::open(&root).unwrap_err().to_string(),
        format!(
            "{}: symbolic link to `{}`, outside `{}`: sfperms does not follow links out of the folder it reads",
            root.join("out").display(),
            outside.display(),
            root.display()
        )
    );
    std::fs::remove_file(root.join("out")).unwrap();
    symlink(&root, root.join("shared/again")).unwrap();
    let err = Source::open(&root).unwrap_err().to_string();
    assert!(err.contains("symbolic link loop (back to `"), "{err}");
}
