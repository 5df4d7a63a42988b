//! Golden output for every integration variant, reviewed like code (`snapshots/*.snap`): the XML
//! `gen` writes (`gen@VARIANT`), the warnings it prints for each integration's variants
//! (`gen-stderr@ID.toml`), the reasons `explain` gives (`explain@VARIANT`) and, where a variant
//! asks for it, `explain`'s Markdown. The variants are data, `profiles/tests/ID.toml` (see
//! `variants.rs`); `insta::glob!` runs each file as its own input, so a failing variant does not
//! hide the others (every mismatch is reported, `INSTA_GLOB_FILTER=jetstream.toml` runs one file).
//! Every generated XML is also schema-valid, canonical (`fmt` would leave it alone) and the same
//! on a second run.

use std::process::Output;

use sfperms::emit;
use sfperms::metadata::read::parse;

use crate::common::{argv, assert_all_schema_valid, run, snapshot_settings, stderr, stdout};
use crate::variants::{self, Variant};

/// What a run printed, for a snapshot: stdout alone when it succeeded and printed nothing on
/// stderr, else stdout followed by the exit code and stderr, which no reviewed snapshot holds.
fn printed(output: &Output) -> String {
    let (out, err) = (stdout(output), stderr(output));
    if output.status.success() && err.is_empty() {
        out
    } else {
        format!("{out}--- exit {:?}, stderr:\n{err}", output.status.code())
    }
}

/// Asserts a snapshot under its own name (`gen@VARIANT`), not suffixed with the glob's input file.
fn assert_named(name: String, value: String) {
    let mut settings = insta::Settings::clone_current();
    settings.remove_snapshot_suffix();
    settings.bind(|| insta::assert_snapshot!(name, value));
}

/// Runs `f` on the variants of every test-data file, one glob input per file.
fn each_file(mut f: impl FnMut(Vec<Variant>)) {
    snapshot_settings().bind(|| {
        insta::glob!("../../profiles/tests", "*.toml", |path| f(variants::of_file(path)));
    });
}

#[test]
fn gen_for_every_variant() {
    let mut documents = Vec::new();
    let mut problems = Vec::new();
    each_file(|variants| {
        let mut warnings = String::new();
        for v in variants {
            let args = argv("gen", &v.args(), &[]);
            let output = run(&args);
            let xml = stdout(&output);
            warnings.push_str(&format!("$ sfperms {}\n{}", args.join(" "), stderr(&output)));
            if !output.status.success() {
                warnings.push_str(&format!("--- exit {:?}\n", output.status.code()));
            }
            warnings.push('\n');
            assert_named(format!("gen@{}", v.name), xml.clone());
            if parse(&xml).map(|doc| emit::render_fast(&doc) != xml).unwrap_or(true) {
                problems.push(format!("{}: not canonical: fmt would change it", v.name));
            }
            if !emit::is_canonical(xml.as_bytes(), |_| true) {
                problems.push(format!("{}: the streaming check of fmt calls it not canonical", v.name));
            }
            if stdout(&run(&args)) != xml {
                problems.push(format!("{}: a second run writes different bytes", v.name));
            }
            documents.push((v.name, xml));
        }
        insta::assert_snapshot!("gen-stderr", warnings);
    });
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_all_schema_valid(&documents);
}

#[test]
fn explain_for_every_variant() {
    each_file(|variants| {
        // --new-profile shapes only the file, not the reasons.
        for v in variants.iter().filter(|v| !v.args.iter().any(|a| a == "--new-profile")) {
            assert_named(format!("explain@{}", v.name), printed(&run(&argv("explain", &v.args(), &[]))));
        }
    });
}

/// The Markdown a reviewer pastes into a pull request, for the variants marked `markdown = true`.
#[test]
fn explain_markdown() {
    let marked = variants::all().iter().filter(|v| v.markdown).count();
    assert!(marked > 0, "some variant is marked markdown = true");
    each_file(|variants| {
        for v in variants.iter().filter(|v| v.markdown) {
            let text = printed(&run(&argv("explain", &v.args(), &["--format", "markdown"])));
            assert_named(format!("explain-markdown@{}", v.name), text);
        }
    });
}
