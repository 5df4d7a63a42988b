//! `sfperms fmt [--check] PATH...`: put PermissionSet, Profile (and named package.xml) files in
//! Salesforce's canonical form. Lists what would change with `--check` (exit 1); otherwise
//! rewrites, but only when every file could be read (exit 2 and nothing written if one cannot).

use anyhow::{Result, bail};
use serde_json::json;
use sfperms::format::{self, FileStatus};
use sfperms::metadata::source::{Layout, Source};

use super::args::FmtArgs;
use super::exit::{DIFFERENCES, ERROR, SUCCESS};

pub fn run(args: &FmtArgs, as_json: bool) -> Result<u8> {
    let sources = args.paths.iter().map(|p| Source::open(p)).collect::<Result<Vec<_>, _>>()?;
    if let Some(zip) = sources.iter().find(|s| s.layout == Layout::Zip).filter(|_| !args.check) {
        bail!(
            "{}: a zip archive: sfperms does not rewrite archives; use `fmt --check`, or unzip it first",
            zip.root.display()
        );
    }
    let mut errors = Vec::new();
    let mut changed: Vec<(usize, usize)> = Vec::new();
    let mut checked = 0usize;
    let mut listed = Vec::new();
    for (s, source) in sources.iter().enumerate() {
        for (i, status) in format::check(source)?.into_iter().enumerate() {
            checked += 1;
            let path = &source.entries[i].display;
            let word = match status {
                FileStatus::Canonical => "canonical",
                FileStatus::WouldChange => {
                    changed.push((s, i));
                    "would-change"
                }
                FileStatus::Error(e) => {
                    errors.push(e.to_string());
                    "error"
                }
            };
            listed.push(json!({ "path": path, "status": word }));
        }
    }
    for error in &errors {
        eprintln!("error: {error}");
    }
    if !errors.is_empty() {
        let message = format!("nothing written: {} of {checked} files could not be read", errors.len());
        if as_json {
            let doc = json!({
                "files": listed, "written": 0, "failed": 0,
                "error": format!("{message}: {}", errors.join("; ")), "exit-code": ERROR,
            });
            println!("{}", serde_json::to_string_pretty(&doc)?);
        } else {
            eprintln!("{message}");
        }
        return Ok(ERROR);
    }
    if args.check {
        let code = if changed.is_empty() { SUCCESS } else { DIFFERENCES };
        if as_json {
            let doc = json!({ "files": listed, "written": 0, "failed": 0, "exit-code": code });
            println!("{}", serde_json::to_string_pretty(&doc)?);
        } else {
            for (s, i) in &changed {
                println!("would change: {}", sources[*s].entries[*i].display);
            }
            eprintln!("{checked} files checked, {} would change", changed.len());
        }
        return Ok(code);
    }
    let mut written = 0usize;
    let mut failures = Vec::new();
    for (s, source) in sources.iter().enumerate() {
        let indices: Vec<usize> = changed.iter().filter(|(cs, _)| *cs == s).map(|(_, i)| *i).collect();
        for (i, result) in indices.iter().zip(format::rewrite(source, &indices)?) {
            let display = &source.entries[*i].display;
            let word = match result {
                Ok(true) => {
                    written += 1;
                    if !as_json {
                        eprintln!("formatted: {display}");
                    }
                    "formatted"
                }
                Ok(false) => "canonical",
                Err(e) => {
                    if !as_json {
                        eprintln!("error: {e}");
                    }
                    failures.push(e.to_string());
                    "error"
                }
            };
            if let Some(item) = listed.iter_mut().find(|f| f["path"] == json!(display)) {
                item["status"] = json!(word);
            }
        }
    }
    let code = if failures.is_empty() { SUCCESS } else { ERROR };
    if as_json {
        let mut doc = json!({ "files": listed, "written": written, "failed": failures.len(), "exit-code": code });
        if !failures.is_empty() {
            doc["error"] = json!(failures.join("; "));
        }
        println!("{}", serde_json::to_string_pretty(&doc)?);
    } else if failures.is_empty() {
        eprintln!("{checked} files checked, {written} formatted");
    } else {
        eprintln!("{checked} files checked, {written} formatted, {} could not be written", failures.len());
    }
    Ok(code)
}
