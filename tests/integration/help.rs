//! `--help` is documentation: snapshotted so every change to it is reviewed. One test per help
//! text, so a changed text does not hide a change in another.

use crate::common::{ok, snapshot_settings};

/// Asserts what `sfperms ARGS` prints against the reviewed snapshot `help@NAME`.
fn assert_help(name: &str, args: &[&str]) {
    let text = ok(args);
    snapshot_settings().bind(|| insta::assert_snapshot!(format!("help@{name}"), text));
}

#[test]
fn help_of_sfperms() {
    assert_help("sfperms", &["--help"]);
}

#[test]
fn help_of_gen() {
    assert_help("gen", &["gen", "--help"]);
}

#[test]
fn help_of_explain() {
    assert_help("explain", &["explain", "--help"]);
}

#[test]
fn help_of_diff() {
    assert_help("diff", &["diff", "--help"]);
}

#[test]
fn help_of_fmt() {
    assert_help("fmt", &["fmt", "--help"]);
}
