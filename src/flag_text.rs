//! Only the binary spells sfperms' flags: library code carries option identities (an option's
//! name, `solver::Asked`, …) and `cli/` words them as `--object Account:edit`. This test reads
//! the library's code (as `module_graph` does) for a flag of the commands that take options.

use crate::catalog::RESERVED_OPTION_NAMES;
use crate::module_graph::library_files;

/// Library code that still words an error with a flag, and why it is left.
const LEFT: [&str; 2] = [
    // project::output: the advice when two output files share a name; the error is SourceError's.
    "write with --output-dir into one folder",
    // project::format: the advice when `fmt` is given a zip; the error is FormatError's.
    "use `fmt --check`",
];

/// Whether `code` (one line, comments cut) spells `--NAME` for one of `flags`, or builds a flag
/// from a name (`"--{name}"`).
fn spells_a_flag(code: &str, flags: &[&str]) -> bool {
    // The sf CLI's own flags (`sf data query --json`) are not sfperms'.
    if code.contains("sf data query") || code.contains("sf project") || LEFT.iter().any(|l| code.contains(l)) {
        return false;
    }
    code.match_indices("--").any(|(at, _)| {
        let rest = &code[at + 2..];
        let word: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
        rest.starts_with('{') || flags.contains(&word.as_str())
    })
}

#[test]
fn library_code_spells_no_flag_of_sfperms() {
    let mut found = Vec::new();
    for (module, code) in library_files() {
        for line in code.lines() {
            let code = line.split("//").next().unwrap_or_default();
            if spells_a_flag(code, RESERVED_OPTION_NAMES) {
                found.push(format!("{module}: {}", line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "library code spells a flag; give the CLI the identity instead:\n{}", found.join("\n"));
}

#[test]
fn every_text_left_is_still_there() {
    let code: Vec<String> = library_files().into_iter().map(|(_, code)| code).collect();
    for left in LEFT {
        assert!(code.iter().any(|c| c.contains(left)), "`{left}` is gone: take it off LEFT");
    }
}

#[test]
fn a_flag_is_found_and_the_sf_cli_is_not() {
    let flags = ["object", "json"];
    assert!(spells_a_flag(r#"format!("--object {x}")"#, &flags));
    assert!(spells_a_flag(r#"format!("--{name} {value}")"#, &flags));
    assert!(!spells_a_flag(r#""run `sf data query --json`""#, &flags));
    assert!(!spells_a_flag(r#"x -= 1; "-->""#, &flags));
}
