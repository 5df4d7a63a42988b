//! Golden output for every integration variant: the XML `gen` writes and the reasons `explain`
//! gives, reviewed like code (`snapshots/*.snap`). Every XML is also validated against the schema
//! and must come back unchanged through `fmt`-style canonicalisation. The variants are listed per
//! integration in `profiles/tests/ID.toml` (see `variants.rs`); every variant is checked even when
//! an earlier one fails.

use crate::common::{assert_schema_valid, ok, snapshot_settings};
use crate::variants::{self, Variant};

fn run(command: &str, args: &[&str]) -> String {
    let argv: Vec<&str> = std::iter::once(command).chain(args.iter().copied()).collect();
    ok(&argv)
}

#[test]
fn gen_xml_for_every_variant() {
    let settings = snapshot_settings();
    variants::each(
        &variants::all(),
        |v| v.name.clone(),
        |v: &Variant| {
            let xml = run("gen", &v.args());
            assert_schema_valid(&xml, &v.name);
            settings.bind(|| insta::assert_snapshot!(format!("gen@{}", v.name), xml));
        },
    );
}

#[test]
fn explain_for_every_variant() {
    let settings = snapshot_settings();
    // --new-profile shapes only the file, not the reasons.
    let with_reasons: Vec<Variant> =
        variants::all().into_iter().filter(|v| !v.args.iter().any(|a| a == "--new-profile")).collect();
    variants::each(
        &with_reasons,
        |v| v.name.clone(),
        |v: &Variant| {
            let text = run("explain", &v.args());
            settings.bind(|| insta::assert_snapshot!(format!("explain@{}", v.name), text));
        },
    );
}

/// The Markdown a reviewer pastes into a pull request, for the variants marked `markdown = true`.
#[test]
fn explain_markdown() {
    let settings = snapshot_settings();
    let marked: Vec<Variant> = variants::all().into_iter().filter(|v| v.markdown).collect();
    assert!(!marked.is_empty(), "some variant is marked markdown = true");
    variants::each(
        &marked,
        |v| v.name.clone(),
        |v: &Variant| {
            let mut argv = v.args();
            argv.extend(["--format", "markdown"]);
            let text = run("explain", &argv);
            settings.bind(|| insta::assert_snapshot!(format!("explain-markdown@{}", v.name), text));
        },
    );
}

#[test]
fn output_is_deterministic() {
    variants::each(
        &variants::all(),
        |v| v.name.clone(),
        |v: &Variant| {
            assert_eq!(run("gen", &v.args()), run("gen", &v.args()), "{}", v.name);
        },
    );
}
