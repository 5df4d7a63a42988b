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
        eprintln!("nothing written: {} of {checked} files could not be read", errors.len());
        if as_json {
            println!("{}", serde_json::to_string_pretty(&json!({ "files": listed, "written": false }))?);
        }
        return Ok(ERROR);
    }
    if args.check {
        if as_json {
            println!("{}", serde_json::to_string_pretty(&json!({ "files": listed, "written": false }))?);
        } else {
            for (s, i) in &changed {
                println!("would change: {}", sources[*s].entries[*i].display);
            }
            eprintln!("{checked} files checked, {} would change", changed.len());
        }
        return Ok(if changed.is_empty() { SUCCESS } else { DIFFERENCES });
    }
    let mut failed = false;
    for (s, source) in sources.iter().enumerate() {
        let indices: Vec<usize> = changed.iter().filter(|(cs, _)| *cs == s).map(|(_, i)| *i).collect();
        for (i, result) in indices.iter().zip(format::rewrite(source, &indices)?) {
            match result {
                Ok(()) if !as_json => eprintln!("formatted: {}", source.entries[*i].display),
                Ok(()) => {}
                Err(e) => {
                    eprintln!("error: {e}");
                    failed = true;
                }
            }
        }
    }
    if as_json {
        println!("{}", serde_json::to_string_pretty(&json!({ "files": listed, "written": !failed }))?);
    } else {
        eprintln!("{checked} files checked, {} formatted", changed.len());
    }
    Ok(if failed { ERROR } else { SUCCESS })
}
