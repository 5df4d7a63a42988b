//! The one write path and the one discovery: `gen` (files, package.xml, zip) and `fmt` replace only
//! regular files they read and understood, keep mode and symbolic links inside the project, refuse
//! links out of it and special files, leave no temporary files, and find an existing file the way
//! `diff` does (sorted, hidden folders skipped, duplicates and name variants refused alike).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{gen_writing, input_error, run, stderr};

const PLANHAT: [&str; 5] = ["gen", "--for", "planhat", "--sync", "receive-only"];
const PROFILE_FILE: &str = "Planhat Integration.profile-meta.xml";
const EXISTING_PROFILE: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Profile xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <userLicense>Salesforce</userLicense>\n</Profile>\n";

/// An SFDX project with `force-app` as its package directory.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("sfdx-project.json"),
        r#"{"packageDirectories": [{"path": "force-app", "default": true}], "sourceApiVersion": "66.0"}"#,
    )
    .unwrap();
    std::fs::create_dir_all(profiles(dir.path())).unwrap();
    dir
}

fn profiles(root: &Path) -> PathBuf {
    root.join("force-app/main/default/profiles")
}

fn gen_into(dir: &Path, extra: &[&str]) -> Output {
    let mut args: Vec<&str> = PLANHAT.to_vec();
    args.extend(["--output-dir", dir.to_str().unwrap()]);
    args.extend(extra);
    run(&args)
}

/// Every file under `dir` (links not followed), relative, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.depth() > 0)
        .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
        .collect();
    out.sort();
    out
}

fn refused(output: &Output, expected: &[&str]) -> String {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(2), "expected exit 2; stderr: {err}");
    for want in expected {
        assert!(err.contains(want), "expected `{want}` in: {err}");
    }
    err
}

#[test]
fn a_package_xml_that_does_not_read_is_never_replaced() {
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("<?xml version=\"1.0\"?><Package/>".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("malformed", b"<Package xmlns=\"http://soap.sforce.com/2006/04/metadata\"><types>".to_vec(), "package.xml:1"),
        (
            "doctype",
            b"<?xml version=\"1.0\"?>\n<!DOCTYPE p []>\n<Package xmlns=\"http://soap.sforce.com/2006/04/metadata\"/>".to_vec(),
            "DOCTYPE",
        ),
        ("utf-16", utf16, "UTF-16"),
        (
            "latin-1",
            b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<Package xmlns=\"http://soap.sforce.com/2006/04/metadata\"/>".to_vec(),
            "ISO-8859-1",
        ),
    ];
    for (what, bytes, message) in cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("package.xml"), &bytes).unwrap();
        let output = gen_into(dir.path(), &["--layout", "mdapi"]);
        refused(&output, &["package.xml", message]);
        assert_eq!(std::fs::read(dir.path().join("package.xml")).unwrap(), bytes, "{what}");
        assert_eq!(listing(dir.path()), ["package.xml"], "{what}: nothing else written");
    }
}

#[test]
fn an_existing_file_of_another_kind_is_never_replaced() {
    let dir = project();
    let file = profiles(dir.path()).join(PROFILE_FILE);
    let permission_set = EXISTING_PROFILE.replace("Profile", "PermissionSet");
    std::fs::write(&file, &permission_set).unwrap();
    refused(&gen_into(dir.path(), &[]), &[PROFILE_FILE, "not <Profile>"]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), permission_set);
}

#[cfg(unix)]
#[test]
fn mode_and_links_inside_the_project_are_kept() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = project();
    let real = dir.path().join("shared").join(PROFILE_FILE);
    std::fs::create_dir_all(real.parent().unwrap()).unwrap();
    std::fs::write(&real, EXISTING_PROFILE).unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
    let link = profiles(dir.path()).join(PROFILE_FILE);
    std::os::unix::fs::symlink(&real, &link).unwrap();
    gen_writing(&PLANHAT[1..], &["--output-dir", dir.path().to_str().unwrap()]);
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link stays a link");
    let written = std::fs::read_to_string(&real).unwrap();
    assert!(written.contains("<userLicense>Salesforce</userLicense>") && written.contains("ApiEnabled"), "{written}");
    assert_eq!(std::fs::metadata(&real).unwrap().permissions().mode() & 0o777, 0o600);
    let temporaries: Vec<String> = listing(dir.path()).into_iter().filter(|p| p.ends_with(".tmp")).collect();
    assert!(temporaries.is_empty(), "{temporaries:?}");
}

#[cfg(unix)]
#[test]
fn links_out_of_the_project_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join(PROFILE_FILE), EXISTING_PROFILE).unwrap();
    // A file linked out.
    let dir = project();
    std::os::unix::fs::symlink(outside.path().join(PROFILE_FILE), profiles(dir.path()).join(PROFILE_FILE)).unwrap();
    refused(&gen_into(dir.path(), &[]), &[PROFILE_FILE, "outside"]);
    // A folder linked out: discovery refuses it, as diff and fmt do.
    let dir = project();
    std::fs::remove_dir(profiles(dir.path())).unwrap();
    std::os::unix::fs::symlink(outside.path(), profiles(dir.path())).unwrap();
    refused(&gen_into(dir.path(), &[]), &["profiles", "outside"]);
    // A folder linked out that holds no file of that name yet.
    std::fs::remove_file(outside.path().join(PROFILE_FILE)).unwrap();
    std::fs::write(outside.path().join("Other.txt"), "x").unwrap();
    refused(&gen_into(dir.path(), &[]), &["outside"]);
    assert_eq!(listing(outside.path()), ["Other.txt"]);
}

/// Runs the binary with a time limit, so a read that blocks fails the test instead of hanging it.
#[cfg(unix)]
fn run_limited(args: &[&str]) -> Output {
    Command::new("timeout")
        .arg("20")
        .arg(env!("CARGO_BIN_EXE_sfperms"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("timeout(1) runs")
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo runs");
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn special_files_are_refused_not_read() {
    let dir = project();
    let fifo = profiles(dir.path()).join(PROFILE_FILE);
    mkfifo(&fifo);
    let mut args = PLANHAT.to_vec();
    args.extend(["--output-dir", dir.path().to_str().unwrap()]);
    refused(&run_limited(&args), &[PROFILE_FILE, "named pipe"]);
    refused(&run_limited(&["fmt", fifo.to_str().unwrap()]), &[PROFILE_FILE, "named pipe"]);
    let zip_fifo = dir.path().join("out.zip");
    mkfifo(&zip_fifo);
    let mut args = PLANHAT.to_vec();
    args.extend(["--zip", zip_fifo.to_str().unwrap()]);
    refused(&run_limited(&args), &["out.zip", "named pipe"]);
    let mut args = PLANHAT.to_vec();
    args.extend(["--zip", "/dev/null"]);
    refused(&run_limited(&args), &["/dev/null", "a device"]);
}

#[test]
fn a_zip_path_is_checked_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let not_zip = dir.path().join("notes.zip");
    std::fs::write(&not_zip, "my notes").unwrap();
    let mut args = PLANHAT.to_vec();
    args.extend(["--zip", not_zip.to_str().unwrap()]);
    refused(&run(&args), &["notes.zip", "not a zip archive"]);
    assert_eq!(std::fs::read_to_string(&not_zip).unwrap(), "my notes");
    let under_file = not_zip.join("x.zip");
    let mut args = PLANHAT.to_vec();
    args.extend(["--zip", under_file.to_str().unwrap()]);
    let err = refused(&run(&args), &["notes.zip` is a file, not a folder"]);
    assert_eq!(err.matches("notes.zip").count(), 2, "said once: {err}");
    let both = [&PLANHAT[..], &["--zip", "a.zip", "--output-dir", "out"]].concat();
    let err = input_error(&both);
    assert!(err.contains("--output-dir") && err.contains("--zip"), "{err}");
}

#[test]
fn temporary_files_of_a_killed_run_are_removed() {
    let dir = project();
    // PID 4194304 is above Linux's largest pid_max: no such process is running.
    let stale = profiles(dir.path()).join(format!(".{PROFILE_FILE}.sfperms-4194304.tmp"));
    std::fs::write(&stale, "half a file").unwrap();
    gen_writing(&PLANHAT[1..], &["--new-profile", "--output-dir", dir.path().to_str().unwrap()]);
    if Path::new("/proc/self").exists() {
        assert!(!stale.exists(), "the stale temporary file is removed");
    }
}

#[test]
fn discovery_skips_hidden_folders_and_finds_the_real_file() {
    let dir = project();
    let backup = dir.path().join("force-app/.backup");
    std::fs::create_dir_all(&backup).unwrap();
    std::fs::write(backup.join(PROFILE_FILE), EXISTING_PROFILE).unwrap();
    let real = profiles(dir.path()).join(PROFILE_FILE);
    std::fs::write(&real, EXISTING_PROFILE).unwrap();
    let output = gen_into(dir.path(), &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(std::fs::read_to_string(backup.join(PROFILE_FILE)).unwrap(), EXISTING_PROFILE, "backup untouched");
    assert!(std::fs::read_to_string(&real).unwrap().contains("ApiEnabled"));
}

#[test]
fn two_copies_or_two_spellings_are_refused_by_gen_and_diff_alike() {
    // Two copies of one name in two folders.
    let dir = project();
    std::fs::write(profiles(dir.path()).join(PROFILE_FILE), EXISTING_PROFILE).unwrap();
    let other = dir.path().join("force-app/other/profiles");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join(PROFILE_FILE), EXISTING_PROFILE).unwrap();
    let gen_err = refused(&gen_into(dir.path(), &[]), &["`Planhat Integration` is ambiguous, 2 files"]);
    assert!(gen_err.contains("other/profiles") && gen_err.contains("default/profiles"), "{gen_err}");
    let diff =
        [&["diff", "--for", "planhat", "--sync", "receive-only", "--against"][..], &[dir.path().to_str().unwrap()]]
            .concat();
    refused(&run(&diff), &["`Planhat Integration` is ambiguous, 2 files"]);

    // A plain and an encoded spelling of one name.
    let dir = project();
    let plain = profiles(dir.path()).join("E&F Management.profile-meta.xml");
    std::fs::write(&plain, EXISTING_PROFILE).unwrap();
    let named = ["--name", "E&F Management"];
    gen_writing(&[&PLANHAT[1..], &named[..]].concat(), &["--output-dir", dir.path().to_str().unwrap()]);
    assert_eq!(listing(&profiles(dir.path())), ["E&F Management.profile-meta.xml"], "updated, not duplicated");
    assert!(std::fs::read_to_string(&plain).unwrap().contains("ApiEnabled"));
    std::fs::write(profiles(dir.path()).join("E%26F Management.profile-meta.xml"), EXISTING_PROFILE).unwrap();
    refused(
        &run(&[&PLANHAT[..], &["--output-dir", dir.path().to_str().unwrap()], &named[..]].concat()),
        &["`E&F Management` is ambiguous, 2 files"],
    );
}

#[test]
fn zip_entries_escaping_by_backslash_or_drive_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let profile = EXISTING_PROFILE.as_bytes().to_vec();
    for name in ["..\\..\\x.profile", "C:/x.profile"] {
        let zip = dir.path().join("evil.zip");
        crate::fmt::make_zip(&zip, &[(name.to_string(), profile.clone())]);
        let err = input_error(&["fmt", "--check", zip.to_str().unwrap()]);
        assert!(err.contains(&format!("entry `{name}` leaves its folder")), "{err}");
        let diff = ["diff", "--for", "planhat", "--sync", "receive-only", "--against", zip.to_str().unwrap()];
        assert!(input_error(&diff).contains("leaves its folder"));
    }
}

#[test]
fn a_zip_listing_an_entry_twice_is_refused() {
    // Written under two names of one length, then one renamed in the bytes (the zip crate will not
    // write a name twice, and would read only one of them).
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("twice.zip");
    let profile = EXISTING_PROFILE.as_bytes().to_vec();
    crate::fmt::make_zip(
        &zip,
        &[("profiles/A.profile".to_string(), profile.clone()), ("profiles/B.profile".to_string(), profile)],
    );
    let mut bytes = std::fs::read(&zip).unwrap();
    let needle = b"profiles/B.profile";
    let starts: Vec<usize> =
        (0..=bytes.len() - needle.len()).filter(|&i| &bytes[i..i + needle.len()] == needle).collect();
    assert_eq!(starts.len(), 2, "the name is in the local header and the central directory");
    for start in starts {
        bytes[start + 9] = b'A';
    }
    std::fs::write(&zip, &bytes).unwrap();
    let err = input_error(&["fmt", "--check", zip.to_str().unwrap()]);
    assert!(err.contains("twice.zip: entry `profiles/A.profile` is in the archive twice"), "{err}");
    let diff = ["diff", "--for", "planhat", "--sync", "receive-only", "--against", zip.to_str().unwrap()];
    assert!(input_error(&diff).contains("is in the archive twice"));
}
