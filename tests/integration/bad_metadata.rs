//! Bad metadata input for `fmt` (and so for every reader of existing files): exit 2, the path
//! (and line) named, and nothing written, not even the files that could be read.

use std::path::Path;

use crate::common::{carestone, input_error, run, stderr};
use crate::fmt::make_zip;

const GOOD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>Good</label>\n</PermissionSet>\n";

/// A folder with one file that `fmt` would change and one bad file; returns the changeable one's bytes.
fn folder_with(dir: &Path, bad_name: &str, bad: &[u8]) -> Vec<u8> {
    let out_of_order = GOOD.replace("<label>Good</label>", "<label>Good</label><description>d</description>");
    std::fs::write(dir.join("Changeable.permissionset-meta.xml"), &out_of_order).unwrap();
    std::fs::write(dir.join(bad_name), bad).unwrap();
    out_of_order.into_bytes()
}

fn assert_refused(bad_name: &str, bad: &[u8], expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let untouched = folder_with(dir.path(), bad_name, bad);
    let err = input_error(&["fmt", dir.path().to_str().unwrap()]);
    let path = dir.path().join(bad_name);
    assert!(err.contains(&path.display().to_string()), "{err}");
    for want in expected {
        assert!(err.contains(want), "{bad_name}: expected `{want}` in: {err}");
    }
    assert!(err.contains("nothing written"), "{err}");
    assert_eq!(std::fs::read(dir.path().join("Changeable.permissionset-meta.xml")).unwrap(), untouched);
    assert_eq!(std::fs::read(&path).unwrap(), bad);
    // The changeable file's canonical text was staged beside it while reading; none is left.
    let left: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(left.iter().all(|name| !name.ends_with(".tmp")), "{left:?}");
}

#[test]
fn malformed_xml_names_file_and_line() {
    let bad = GOOD.replace("</label>", "</labl>");
    assert_refused("Bad.permissionset-meta.xml", bad.as_bytes(), &[":3: malformed XML"]);
    let unclosed = GOOD.replace("</PermissionSet>\n", "");
    assert_refused("Cut.permissionset-meta.xml", unclosed.as_bytes(), &["Cut.permissionset-meta.xml:"]);
}

#[test]
fn doctype_and_entities_are_refused() {
    let bomb = GOOD.replace(
        "<PermissionSet",
        "<!DOCTYPE lol [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]>\n<PermissionSet",
    );
    assert_refused("Bomb.permissionset-meta.xml", bomb.as_bytes(), &[":2: a DOCTYPE is not allowed"]);
    let external = GOOD.replace("Good", "&xxe;");
    assert_refused("Xxe.permissionset-meta.xml", external.as_bytes(), &[":3: bad text"]);
}

#[test]
fn non_utf8_is_refused() {
    let mut latin1 = GOOD.replace("Good", "Caf#").into_bytes();
    let at = latin1.iter().position(|b| *b == b'#').unwrap();
    latin1[at] = 0xE9;
    assert_refused("Latin1.permissionset-meta.xml", &latin1, &[":3: not UTF-8", "save it as UTF-8"]);
    let declared = GOOD.replace("UTF-8", "ISO-8859-1");
    assert_refused("Declared.permissionset-meta.xml", declared.as_bytes(), &[":1:", "encoding `ISO-8859-1`"]);
}

#[test]
fn a_wrong_root_element_is_refused() {
    let object = GOOD.replace("PermissionSet", "CustomObject");
    assert_refused(
        "Object.permissionset-meta.xml",
        object.as_bytes(),
        &["root element is <CustomObject>, not <PermissionSet>"],
    );
    let profile_as_set = GOOD.replace("PermissionSet", "Profile");
    assert_refused("P.permissionset-meta.xml", profile_as_set.as_bytes(), &["not <PermissionSet>"]);
    let no_namespace = GOOD.replace(" xmlns=\"http://soap.sforce.com/2006/04/metadata\"", "");
    assert_refused("N.permissionset-meta.xml", no_namespace.as_bytes(), &["not in the metadata namespace"]);
}

#[test]
fn an_oversize_file_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("Huge.profile-meta.xml");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(sfperms::project::source::MAX_FILE_BYTES + 1).unwrap();
    let err = input_error(&["fmt", "--check", big.to_str().unwrap()]);
    assert!(err.contains(&big.display().to_string()), "{err}");
    assert!(err.contains("more than the 67108864 bytes"), "{err}");
}

#[test]
fn a_zip_entry_escaping_its_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("evil.zip");
    make_zip(
        &zip,
        &[
            ("unpackaged/permissionsets/Good.permissionset".into(), GOOD.as_bytes().to_vec()),
            ("../../outside.permissionset".into(), GOOD.as_bytes().to_vec()),
        ],
    );
    let err = input_error(&["fmt", "--check", zip.to_str().unwrap()]);
    assert!(err.contains("evil.zip: entry `../../outside.permissionset` leaves its folder"), "{err}");
    let garbage = dir.path().join("garbage.zip");
    std::fs::write(&garbage, "PK\u{3}\u{4} not really").unwrap();
    let err = input_error(&["fmt", "--check", garbage.to_str().unwrap()]);
    assert!(err.contains("garbage.zip: not a readable zip archive"), "{err}");
}

#[test]
fn a_bad_file_inside_a_zip_is_named_by_archive_and_entry() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("retrieve.zip");
    make_zip(&zip, &[("unpackaged/profiles/Admin.profile".into(), GOOD.replace("</label>", "").into_bytes())]);
    let err = input_error(&["fmt", "--check", zip.to_str().unwrap()]);
    assert!(err.contains("retrieve.zip!/unpackaged/profiles/Admin.profile:"), "{err}");
}

#[cfg(unix)]
#[test]
fn symlinks_do_not_lead_out_of_the_folder_and_loops_are_caught() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("Secret.permissionset-meta.xml"), GOOD).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("linked")).unwrap();
    let err = input_error(&["fmt", "--check", dir.path().to_str().unwrap()]);
    assert!(err.contains("symbolic link to"), "{err}");
    assert!(err.contains("outside"), "{err}");

    let looped = tempfile::tempdir().unwrap();
    std::fs::create_dir(looped.path().join("a")).unwrap();
    std::os::unix::fs::symlink(looped.path().join("a"), looped.path().join("a/again")).unwrap();
    let err = input_error(&["fmt", "--check", looped.path().to_str().unwrap()]);
    assert!(err.contains("symbolic link loop"), "{err}");

    // A link that stays inside is followed.
    let inside = tempfile::tempdir().unwrap();
    std::fs::create_dir(inside.path().join("real")).unwrap();
    std::fs::write(inside.path().join("real/Good.permissionset-meta.xml"), GOOD).unwrap();
    std::os::unix::fs::symlink(inside.path().join("real"), inside.path().join("alias")).unwrap();
    let output = run(&["fmt", "--check", inside.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("2 files checked"), "{}", stderr(&output));
}

#[test]
fn a_missing_path_is_named() {
    let err = input_error(&["fmt", "--check", "/no/such/retrieve"]);
    assert!(err.contains("/no/such/retrieve: no such file or folder"), "{err}");
    let err = input_error(&["fmt", "--check", carestone().join("nope.zip").to_str().unwrap()]);
    assert!(err.contains("nope.zip: no such file or folder"), "{err}");
}
