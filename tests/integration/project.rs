//! `sfperms.toml`: a project declaring three integration users. One `gen` writes all three;
//! `gen --check` and `diff` then exit 0; drift in one exits 1 and names it. Bad project files are
//! refused with file:line, the key and a did-you-mean, and nothing is written. `init` writes a
//! file `gen` reads.

use std::process::Output;

use crate::common::{carestone_copy, run_in, snapshot_settings, stderr, stdout};

const THREE_USERS: &str = r#"# three integration users
[[user]]
for = "planhat"
sync = "receive-only"
new-profile = true

[[user]]
for = "jetstream"
feature = ["deploy", "debug-logs"]

[[user]]
for = "elements"
mode = "managed"
name = "Elements_Sync"
"#;

const JETSTREAM: &str = "force-app/main/default/permissionsets/Jetstream_User.permissionset-meta.xml";

/// The carestone project with the three users declared.
fn project() -> tempfile::TempDir {
    let dir = carestone_copy();
    std::fs::write(dir.path().join("sfperms.toml"), THREE_USERS).unwrap();
    dir
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap()
}

#[test]
fn one_gen_writes_every_user_then_check_and_diff_agree() {
    let dir = project();
    let output = run_in(dir.path(), &["gen"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    for file in [
        "force-app/main/default/profiles/Planhat Integration.profile-meta.xml",
        JETSTREAM,
        "force-app/main/default/permissionsets/Elements_Sync.permissionset-meta.xml",
    ] {
        assert!(stderr(&output).contains(&format!("created: {file}")), "{file}: {}", stderr(&output));
        crate::common::assert_file_schema_valid(&dir.path().join(file), file);
    }
    // The users' warnings first, then each user's objects whose access follows other records as
    // one note naming the user, then what was written.
    let (warnings, note) =
        crate::common::PLANHAT_WARNINGS.split_at(crate::common::PLANHAT_WARNINGS.find("note: ").unwrap());
    let note = note.replacen("note: ", "note: the `planhat` user (sfperms.toml:3): ", 1);
    let err = stderr(&output);
    let (printed_warnings, rest) = err.split_at(err.find("note: ").expect("a note"));
    assert!(rest.starts_with(&format!("{note}created: ")), "{err}");
    assert_eq!(printed_warnings.lines().filter(|l| !l.starts_with("warning: ")).count(), 0, "{err}");
    for line in warnings.lines() {
        let line = line.replacen("warning: ", "warning: the `planhat` user (sfperms.toml:3): ", 1);
        assert!(printed_warnings.contains(&line), "{line}\n{err}");
    }
    let check = run_in(dir.path(), &["gen", "--check"]);
    assert_eq!(code(&check), 0, "{}", stdout(&check));
    assert!(stderr(&check).ends_with("3 users checked (sfperms.toml), 0 would change\n"), "{}", stderr(&check));
    let diff = run_in(dir.path(), &["diff", "--against", "."]);
    assert_eq!(code(&diff), 0, "{}", stdout(&diff));
    assert!(stdout(&diff).contains(
        "3 integration users (sfperms.toml):\n  planhat `Planhat Integration` (sfperms.toml:3): no differences\n"
    ));

    // From a sub-folder, the project file above is found.
    let sub = run_in(&dir.path().join("force-app"), &["gen", "--check", "--output-dir", ".."]);
    assert_eq!(code(&sub), 0, "{}", stderr(&sub));
}

#[test]
fn drift_in_one_user_exits_1_and_names_it() {
    let dir = project();
    assert_eq!(code(&run_in(dir.path(), &["gen"])), 0);
    let file = dir.path().join(JETSTREAM);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("<name>ViewRoles</name>", "<name>ViewAllData</name>")).unwrap();

    let check = run_in(dir.path(), &["gen", "--check"]);
    assert_eq!(code(&check), 1);
    assert_eq!(
        stdout(&check),
        format!(
            "the `jetstream` user (sfperms.toml:8):\nwould change: {JETSTREAM}\n  1 added, 1 removed, 0 changed: - userPermissions ViewAllData; + userPermissions ViewRoles\n"
        )
    );
    assert!(
        stderr(&check)
            .ends_with("3 users checked (sfperms.toml), 1 would change: the `jetstream` user (sfperms.toml:8)\n")
    );

    let json = run_in(dir.path(), &["gen", "--check", "--json"]);
    assert_eq!(code(&json), 1);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["status"], 1);
    assert_eq!(doc["result"]["project-file"], "sfperms.toml");
    let changed: Vec<bool> = doc["result"]["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["generated"]["files"][0]["changes"].as_bool().unwrap())
        .collect();
    assert_eq!(changed, [false, true, false]);
    assert!(doc["warnings"][0].as_str().unwrap().starts_with("the `planhat` user (sfperms.toml:3): "), "{doc}");

    let diff = run_in(dir.path(), &["diff", "--against", "."]);
    assert_eq!(code(&diff), 1);
    assert!(stdout(&diff).contains("  jetstream `Jetstream_User` (sfperms.toml:8): 1 missing"), "{}", stdout(&diff));

    let markdown = run_in(dir.path(), &["diff", "--against", ".", "--format", "markdown"]);
    assert_eq!(code(&markdown), 1);
    snapshot_settings().bind(|| insta::assert_snapshot!("project@diff-markdown", stdout(&markdown)));

    let json = run_in(dir.path(), &["diff", "--against", ".", "--json"]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["status"], 1);
    assert_eq!(doc["result"]["equal"], false);
    let users = doc["result"]["users"].as_array().unwrap();
    assert_eq!(users.len(), 3);
    assert_eq!(users[1]["line"], 8);
    assert_eq!(users[1]["diff"]["counts"]["excess"], 1);
    assert_eq!(users[0]["diff"]["equal"], true);
}

/// Runs `gen` on a project file of `text`; asserts exit 2 and that nothing was written.
fn refused(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sfperms.toml"), text).unwrap();
    let output = run_in(dir.path(), &["gen"]);
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert_eq!(stdout(&output), "");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "gen wrote something");
    stderr(&output)
}

#[test]
fn bad_project_files_name_line_key_and_a_fix() {
    assert_eq!(
        refused("[[user]]\nfor = \"jetstream\"\nfeatures = [\"deploy\"]\n"),
        "error: sfperms.toml:3: unknown key `features` for `jetstream`; did you mean `feature`?; the keys are: for, feature, object, field, as, name, label, api-version, new-profile, user-license, dependencies\n"
    );
    // The message lists every id of the built-in catalog, which grows.
    let ids: Vec<String> = sfperms::catalog::builtin().unwrap().integrations.keys().cloned().collect();
    assert_eq!(
        refused("[[user]]\nfor = \"planhat\"\nsync = \"twoway\"\n\n[[user]]\nfor = \"jetstreem\"\n"),
        format!(
            "error: sfperms.toml has 2 problems:\n  sfperms.toml:3: `sync = \"twoway\"` is not allowed; did you mean `two-way`?; use one of: receive-only, two-way\n  sfperms.toml:6: `for`: unknown integration `jetstreem`; did you mean `jetstream`?; the catalog has: {}\n",
            ids.join(", ")
        )
    );
    assert_eq!(
        refused("[user]\nfor = \"planhat\"\n"),
        "error: sfperms.toml:1: invalid type: map, expected a sequence\n"
    );
    // A problem the solver finds names the user and its line.
    let err = refused("[[user]]\nfor = \"jetstream\"\nfeature = \"deploi\"\n");
    assert!(
        err.starts_with("error: the `jetstream` user (sfperms.toml:2): `jetstream` has no feature `deploi`"),
        "{err}"
    );
    // Without --for, the request's flags belong in the file.
    let dir = project();
    let output = run_in(dir.path(), &["gen", "--sync", "two-way"]);
    assert_eq!(
        stderr(&output),
        "error: --sync without --for: `sfperms gen` without --for acts for the users declared in sfperms.toml, so it would do nothing; add --for ID, or put --sync in the users' `[[user]]` tables of sfperms.toml (the keys are the flags' names without `--`)\n"
    );
    let empty = tempfile::tempdir().unwrap();
    let output = run_in(empty.path(), &["diff", "--against", "."]);
    assert!(
        stderr(&output).starts_with("error: no --for, and no sfperms.toml here or in a folder above"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn init_writes_a_file_gen_reads() {
    let dir = carestone_copy();
    let bad = run_in(dir.path(), &["init", "--for", "planhat", "--sync", "both"]);
    assert_eq!(code(&bad), 2);
    assert!(!dir.path().join("sfperms.toml").exists(), "bad flags wrote the file");

    let output = run_in(dir.path(), &["init", "--for", "jetstream", "--feature", "deploy", "--name", "Jetstream_CI"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(stderr(&output), "created: sfperms.toml\n");
    let text = std::fs::read_to_string(dir.path().join("sfperms.toml")).unwrap();
    assert!(
        text.ends_with("[[user]]\nfor = \"jetstream\"\nfeature = [\"deploy\"]\nname = \"Jetstream_CI\"\n"),
        "{text}"
    );
    assert!(
        text.lines()
            .filter(|l| !l.is_empty() && !l.starts_with("[[") && !l.contains(" = "))
            .all(|l| l.starts_with('#'))
    );

    let again = run_in(dir.path(), &["init"]);
    assert_eq!(stderr(&again), "error: sfperms.toml already exists here: edit it, or remove it first\n");

    assert_eq!(code(&run_in(dir.path(), &["gen"])), 0);
    assert!(dir.path().join("force-app/main/default/permissionsets/Jetstream_CI.permissionset-meta.xml").is_file());
    assert_eq!(code(&run_in(dir.path(), &["gen", "--check"])), 0);

    // Without flags: a commented example, which declares nobody yet.
    let fresh = tempfile::tempdir().unwrap();
    assert_eq!(code(&run_in(fresh.path(), &["init"])), 0);
    let output = run_in(fresh.path(), &["gen"]);
    assert_eq!(
        stderr(&output),
        "error: sfperms.toml:1: declares no integration user: add a `[[user]]` table with `for = \"ID\"` (see `sfperms init`)\n"
    );
}

/// Every file under `dir` with its bytes: what a refused run must leave as it was.
fn tree(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

/// Runs each command line in `dir` and asserts it is refused (exit 2) with exactly its stderr,
/// nothing on stdout, and every file of `dir` as it was.
fn assert_all_refused<S: AsRef<str>>(dir: &std::path::Path, cases: &[(&[&str], S)]) {
    let before = tree(dir);
    for (args, expected) in cases {
        let output = run_in(dir, args);
        assert_eq!(code(&output), 2, "{args:?}");
        assert_eq!(stderr(&output), expected.as_ref(), "{args:?}");
        assert_eq!(stdout(&output), "", "{args:?}");
    }
    assert!(tree(dir) == before, "a refused run changed the project");
}

#[test]
fn flags_that_would_do_nothing_without_for_are_refused_and_nothing_is_written() {
    let dir = project();
    let declared = "`sfperms gen` without --for acts for the users declared in sfperms.toml";
    let keys = "the keys are the flags' names without `--`";
    let cases: [(&[&str], String); 7] = [
        (
            &["gen", "--user-permission", "ApiEnabled"],
            format!(
                "error: --user-permission without --for: {declared}, so it would do nothing; sfperms.toml cannot hold --user-permission: add --for ID to run `sfperms gen` for that one user\n"
            ),
        ),
        (
            &["gen", "--integration-user", "--fields", "fields.csv"],
            format!(
                "error: --fields, --integration-user without --for: {declared}, so they would do nothing; sfperms.toml cannot hold --fields, --integration-user: add --for ID to run `sfperms gen` for that one user\n"
            ),
        ),
        (
            &["gen", "--new-profile"],
            format!(
                "error: --new-profile without --for: {declared}, so it would do nothing; add --for ID, or put --new-profile in the users' `[[user]]` tables of sfperms.toml ({keys})\n"
            ),
        ),
        (
            &["gen", "--name", "X", "--label", "Y", "--api-version", "60.0"],
            format!(
                "error: --name, --label, --api-version without --for: {declared}, so they would do nothing; add --for ID, or put --name, --label, --api-version in the users' `[[user]]` tables of sfperms.toml ({keys})\n"
            ),
        ),
        (
            &["gen", "--sync", "two-way", "--output-dir", "out", "--group", "G", "--user-permission", "ApiEnabled"],
            format!(
                "error: --sync, --user-permission, --group without --for: {declared}, so they would do nothing; add --for ID, or put --sync in the users' `[[user]]` tables of sfperms.toml ({keys}; sfperms.toml cannot hold --user-permission, --group)\n"
            ),
        ),
        (
            &["diff", "--against", ".", "--integration-user", "--label", "Y"],
            "error: --label, --integration-user without --for: `sfperms diff` without --for acts for the users declared in sfperms.toml, so they would do nothing; add --for ID, or put --label in the users' `[[user]]` tables of sfperms.toml (the keys are the flags' names without `--`; sfperms.toml cannot hold --integration-user)\n".to_string(),
        ),
        (
            &["init", "--object", "Account:read", "--label", "Y"],
            "error: --object, --label without --for: they describe a user; add --for ID to declare one\n".to_string(),
        ),
    ];
    assert_all_refused(dir.path(), &cases);
}

#[test]
fn a_format_or_top_that_json_would_override_is_refused() {
    let dir = project();
    let cases: [(&[&str], &str); 4] = [
        (
            &["--json", "diff", "--against", ".", "--format", "markdown"],
            "--format markdown and --json: --json prints JSON, so --format would do nothing; drop one of them",
        ),
        (
            &["explain", "--for", "planhat", "--format", "text", "--json"],
            "--format text and --json: --json prints JSON, so --format would do nothing; drop one of them",
        ),
        (
            &["audit", ".", "--json", "--top", "3"],
            "--top shortens the lists of the text and Markdown reports; the JSON report lists every risky grant, so --top would do nothing: drop it",
        ),
        (
            &["audit", ".", "--format", "json", "--top", "3"],
            "--top shortens the lists of the text and Markdown reports; the JSON report lists every risky grant, so --top would do nothing: drop it",
        ),
    ];
    for (args, message) in cases {
        let output = run_in(dir.path(), args);
        assert_eq!(code(&output), 2, "{args:?}");
        if args.contains(&"--json") || args.windows(2).any(|w| w == ["--format", "json"]) {
            // The sf CLI's error envelope, on stdout.
            let envelope: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
            assert_eq!(envelope["message"], message, "{args:?}");
            assert_eq!(stderr(&output), "", "{args:?}");
        } else {
            assert_eq!(stderr(&output), format!("error: {message}\n"), "{args:?}");
            assert_eq!(stdout(&output), "", "{args:?}");
        }
    }
    // `--json` with `--format json`, or with no --format, is one request.
    for args in [&["--json", "audit", ".", "--format", "json"][..], &["--json", "audit", "."]] {
        let output = run_in(dir.path(), args);
        assert_ne!(code(&output), 2, "{args:?}: {}", stdout(&output));
    }
}

#[test]
fn a_label_for_a_profile_or_a_scope_for_a_permission_set_is_refused() {
    let dir = project();
    let label = "error: --label (or `label` in sfperms.toml): a profile has no label, only a name (Profile metadata has no label element), so it would do nothing: drop it, or generate a permission set with --as permission-set\n";
    let scope = "error: --scope: a permission set is always compared whole (a deploy replaces the whole set), so --scope would do nothing: drop it (it chooses how a profile is compared)\n";
    let cases: [(&[&str], &str); 4] = [
        (&["gen", "--for", "planhat", "--sync", "receive-only", "--label", "Planhat", "--output-dir", "."], label),
        (&["diff", "--for", "planhat", "--sync", "receive-only", "--label", "Planhat", "--against", "."], label),
        (&["diff", "--for", "jetstream", "--feature", "deploy", "--against", ".", "--scope", "full"], scope),
        (&["diff", "--for", "jetstream", "--feature", "deploy", "--against", ".", "--scope", "fragment"], scope),
    ];
    assert_all_refused(dir.path(), &cases);
    // A label for a permission set, a scope for a profile: used, so accepted.
    let set = run_in(dir.path(), &["gen", "--for", "jetstream", "--feature", "deploy", "--label", "Jetstream CI"]);
    assert_eq!(code(&set), 0, "{}", stderr(&set));
    assert!(stdout(&set).contains("<label>Jetstream CI</label>"));
    let profile = run_in(
        dir.path(),
        &["diff", "--for", "planhat", "--sync", "receive-only", "--name", "Admin", "--against", ".", "--scope", "full"],
    );
    assert_ne!(code(&profile), 2, "{}", stderr(&profile));
}
