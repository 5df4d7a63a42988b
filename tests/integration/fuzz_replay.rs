//! Replays the fuzz target's corpus (`fuzz/corpus/read_write/`), its seeds and every crash case it
//! found (`fuzz/crashes/`) through the same checks (`fuzz/check.rs`), on the stable toolchain, so
//! CI keeps them; and has xmllint confirm that every output is well-formed XML. How the fuzzer is
//! run: docs/fuzzing.md.

use std::path::{Path, PathBuf};
use std::process::Command;

include!("../../fuzz/check.rs");

fn inputs(folders: &[&str]) -> Vec<PathBuf> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut files = Vec::new();
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(fuzz.join(folder)) else { continue };
        files.extend(entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_file()));
    }
    files.sort();
    files
}

#[test]
fn every_crash_case_keeps_the_properties() {
    let crashes = inputs(&["crashes"]);
    assert!(!crashes.is_empty(), "the crash cases are missing");
    for input in crashes {
        if let Err(problem) = check_round_trip(&std::fs::read(&input).unwrap()) {
            panic!("{}: {problem}", input.display());
        }
    }
}

#[test]
fn every_corpus_input_keeps_the_properties() {
    let inputs = inputs(&["corpus/read_write", "seeds", "crashes"]);
    assert!(inputs.len() >= 50, "the committed corpus is missing: {} inputs", inputs.len());
    let out = tempfile::tempdir().unwrap();
    let mut written = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        // A fuzzer running in this checkout replaces corpus files as it goes.
        let Ok(data) = std::fs::read(input) else { continue };
        if let Err(problem) = check_round_trip(&data) {
            panic!("{}: {problem}", input.display());
        }
        if let Ok(doc) = sfperms::metadata::read::parse_bytes(&data) {
            let file = out.path().join(format!("{i}.xml"));
            std::fs::write(&file, sfperms::emit::render_fast(&doc)).unwrap();
            written.push(file);
        }
    }
    assert!(!written.is_empty());
    // An independent parser: every output is well-formed (xmllint reads each file given).
    for chunk in written.chunks(500) {
        let output = Command::new("xmllint").arg("--noout").args(chunk).output().expect("xmllint is installed");
        assert!(output.status.success(), "not well-formed:\n{}", String::from_utf8_lossy(&output.stderr));
    }
}
