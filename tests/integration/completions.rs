//! `sfperms completions SHELL` and `sfperms man` generate from the clap definition: every shell's
//! script names the commands and the catalog's integration options; bash accepts its script; the
//! man page lists every command and renders with groff where groff is installed.

use std::process::Command;

use crate::common::{ok, run};

#[test]
fn completions_for_every_shell_name_commands_and_integration_options() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = ok(&["completions", shell]);
        for word in ["gen", "explain", "diff", "fmt", "feature", "sync", "against"] {
            assert!(script.contains(word), "{shell}: no `{word}` in the script");
        }
    }
    assert_eq!(run(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn bash_accepts_its_script() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sfperms.bash");
    std::fs::write(&file, ok(&["completions", "bash"])).unwrap();
    let check = Command::new("bash").arg("-n").arg(&file).output().expect("bash runs");
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    // Sourcing it registers the completion function.
    let source = Command::new("bash")
        .arg("-c")
        .arg(format!("source '{}' && complete -p sfperms", file.display()))
        .output()
        .expect("bash runs");
    assert!(String::from_utf8_lossy(&source.stdout).contains("_sfperms"), "{source:?}");
}

#[test]
fn the_man_page_lists_every_command() {
    let page = ok(&["man"]);
    assert!(page.contains(".TH sfperms 1"), "{page}");
    for command in ["list", "show", "gen", "explain", "fmt", "diff", "audit", "init", "completions", "man"] {
        assert!(page.contains(&format!("sfperms\\-{command}(1)")), "no `{command}` in the man page");
    }
    assert_renders(&page);
    let gen_page = ok(&["man", "gen"]);
    assert!(gen_page.contains(".TH sfperms-gen 1"), "{gen_page}");
    assert!(gen_page.contains("\\-\\-sync"), "the catalog's options are on gen's page");
    assert_renders(&gen_page);
    let output = run(&["man", "explian"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no command `explian`; did you mean `explain`?"));
}

/// groff is not everywhere; where it is, the page renders without warnings.
fn assert_renders(page: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("page.1");
    std::fs::write(&file, page).unwrap();
    if let Ok(output) = Command::new("groff").args(["-man", "-Tutf8", "-ww", "-z"]).arg(&file).output() {
        assert!(output.status.success() && output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
    }
}
