//! `--help` is documentation: snapshotted so every change to it is reviewed.

use crate::common::{ok, snapshot_settings};

#[test]
fn help_texts() {
    let settings = snapshot_settings();
    for (name, args) in [
        ("sfperms", &["--help"][..]),
        ("gen", &["gen", "--help"][..]),
        ("explain", &["explain", "--help"][..]),
        ("diff", &["diff", "--help"][..]),
        ("fmt", &["fmt", "--help"][..]),
    ] {
        let text = ok(args);
        settings.bind(|| insta::assert_snapshot!(format!("help@{name}"), text));
    }
}
