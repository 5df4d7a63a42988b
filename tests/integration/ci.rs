//! The pipeline pieces that can run here: the pre-commit hooks' entry commands on the files their
//! `files` pattern selects, and every sfperms command of the GitHub Actions example in
//! `docs/ci.md`, run in a project made from the corpus.

use std::path::Path;
use std::process::Output;

use crate::common::{carestone, carestone_copy, retrieve_entries, sfperms, stderr};
use crate::fmt::make_zip;

fn repo_file(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(name)).unwrap()
}

/// `(id, entry, files)` of each hook in .pre-commit-hooks.yaml (a flat list of maps).
fn hooks() -> Vec<(String, String, String)> {
    let text = repo_file(".pre-commit-hooks.yaml");
    let mut hooks = Vec::new();
    for block in text.split("\n- ").skip(1) {
        let value = |key: &str| {
            block
                .lines()
                .map(|l| l.trim_start_matches("- ").trim())
                .find_map(|l| l.strip_prefix(&format!("{key}: ")))
                .unwrap_or_else(|| panic!("hook without `{key}`: {block}"))
                .to_string()
        };
        hooks.push((value("id"), value("entry"), value("files")));
    }
    hooks
}

/// Runs an entry or a documented command line (`sfperms …`) with the built binary in `dir`.
fn run_command(dir: &Path, line: &str, extra: &[&str]) -> Output {
    let words: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(words[0], "sfperms", "{line}");
    sfperms().current_dir(dir).args(&words[1..]).args(extra).output().unwrap()
}

#[test]
fn the_pre_commit_hooks_select_metadata_files_and_their_entries_run() {
    let hooks = hooks();
    assert_eq!(hooks.iter().map(|h| h.0.as_str()).collect::<Vec<_>>(), ["sfperms-fmt", "sfperms-fmt-check"]);
    let dir = tempfile::tempdir().unwrap();
    let admin = carestone().join("force-app/main/default/profiles/Admin.profile-meta.xml");
    let canonical = std::fs::read_to_string(&admin).unwrap();
    for (id, entry, files) in hooks {
        let pattern = regex::Regex::new(&files).unwrap();
        for name in ["Admin.profile-meta.xml", "X.permissionset-meta.xml", "X.permissionset", "Read Only.profile"] {
            assert!(pattern.is_match(name), "{id}: `{files}` misses {name}");
        }
        for name in ["package.xml", "X.cls-meta.xml", "X.permissionsetgroup-meta.xml", "profiles.txt"] {
            assert!(!pattern.is_match(name), "{id}: `{files}` selects {name}");
        }
        // pre-commit passes the staged files that match as arguments.
        let file = dir.path().join("Admin.profile-meta.xml");
        std::fs::write(&file, canonical.replace('\n', "\r\n")).unwrap();
        let output = run_command(dir.path(), &entry, &["Admin.profile-meta.xml"]);
        if entry.ends_with("--check") {
            assert_eq!(output.status.code(), Some(1), "{id}: {}", stderr(&output));
        } else {
            assert_eq!(output.status.code(), Some(0), "{id}: {}", stderr(&output));
            assert_eq!(std::fs::read_to_string(&file).unwrap(), canonical);
        }
    }
}

/// The sfperms command lines of the workflow, without shell redirections and `|| …`.
fn workflow_commands() -> Vec<String> {
    let doc = repo_file("docs/ci.md");
    let start = doc.find("```yaml\n").unwrap();
    let workflow = &doc[start..start + doc[start..].find("\n```\n").unwrap()];
    workflow
        .lines()
        .map(|l| l.trim().trim_start_matches("run: "))
        .filter(|l| l.starts_with("sfperms "))
        .map(|l| l.split(['>', '|']).next().unwrap().trim().to_string())
        .collect()
}

#[test]
fn the_ci_example_runs_on_a_project() {
    let commands = workflow_commands();
    assert_eq!(
        commands,
        [
            "sfperms fmt --check force-app",
            "sfperms gen --check",
            "sfperms diff --against retrieved/org.zip --format markdown",
            "sfperms audit retrieved/org.zip --format markdown",
        ]
    );
    // The carestone project, its users declared and generated, and a retrieve of it as a zip.
    let dir = carestone_copy();
    std::fs::write(dir.path().join("sfperms.toml"), "[[user]]\nfor = \"jetstream\"\nfeature = [\"deploy\"]\n").unwrap();
    assert!(sfperms().current_dir(dir.path()).arg("gen").output().unwrap().status.success());
    let entries = retrieve_entries(dir.path());
    std::fs::create_dir(dir.path().join("retrieved")).unwrap();
    make_zip(&dir.path().join("retrieved/org.zip"), &entries);

    for command in commands {
        let output = run_command(dir.path(), &command, &[]);
        assert_eq!(output.status.code(), Some(0), "{command}: {}", stderr(&output));
    }
}

/// A pipeline that reads only the start of the output (`sfperms list --json | head -1`) closes the
/// pipe early: sfperms stops quietly with exit 0 instead of panicking on the write.
#[test]
fn a_reader_that_closes_stdout_early_ends_the_run_quietly() {
    for args in [&["list", "--json"][..], &["show", "planhat"], &["gen", "--for", "planhat", "--sync", "receive-only"]]
    {
        let mut child = sfperms()
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the binary runs");
        // Closed before the child has had time to write: its first write meets a closed pipe.
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("the binary runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "sfperms {args:?} panicked: {stderr}");
        assert_eq!(output.status.code(), Some(0), "sfperms {args:?}: {stderr}");
    }
}
