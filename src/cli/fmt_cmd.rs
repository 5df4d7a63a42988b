//! `sfperms fmt [--check] PATH...`: put PermissionSet, Profile (and named package.xml) files in
//! Salesforce's canonical form. Lists what would change with `--check` (exit 1); otherwise
//! rewrites, but only when every file could be read (exit 2 and nothing written if one cannot).

use anyhow::Result;
use serde_json::json;
use sfperms::project::format::{self, FileStatus};
use sfperms::project::source::Source;

use super::args::FmtArgs;
use super::envelope;
use super::exit::{DIFFERENCES, ERROR, SUCCESS};

pub fn run(args: &FmtArgs, as_json: bool) -> Result<u8> {
    let sources = args.paths.iter().map(|p| Source::open(p)).collect::<Result<Vec<_>, _>>()?;
    if !args.check {
        sources.iter().try_for_each(format::check_rewritable)?;
    }
    let mut errors = Vec::new();
    let mut changed: Vec<(usize, usize)> = Vec::new();
    let mut checked = 0usize;
    let mut listed = Vec::new();
    // Where each source's files start in `listed`.
    let mut first_listed = Vec::new();
    // Without `--check`, each source's rewrite, staged while checking and put in place only when
    // every file could be read (dropped, it writes nothing).
    let mut stagings = Vec::new();
    for (s, source) in sources.iter().enumerate() {
        first_listed.push(listed.len());
        let statuses = if args.check {
            format::check(source)?
        } else {
            let (statuses, staging) = format::stage(source)?;
            stagings.push(staging);
            statuses
        };
        for (i, status) in statuses.into_iter().enumerate() {
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
    if !errors.is_empty() {
        let summary = format!("nothing written: {} of {checked} files could not be read", errors.len());
        if as_json {
            let message = format!("{}\n{summary}", errors.join("\n"));
            let data = json!({ "files": listed, "written": 0 });
            envelope::print_error(envelope::ErrorKind::Metadata, &message, Some(&data));
        } else {
            for error in &errors {
                eprintln!("error: {error}");
            }
            eprintln!("{summary}");
        }
        return Ok(ERROR);
    }
    if args.check {
        let status = if changed.is_empty() { SUCCESS } else { DIFFERENCES };
        if as_json {
            return envelope::print_result(status, &json!({ "files": listed, "written": 0 }), &[]);
        } else {
            for (s, i) in &changed {
                outln!("would change: {}", sources[*s].entries[*i].display);
            }
            eprintln!("{checked} files checked, {} would change", changed.len());
        }
        return Ok(status);
    }
    // `written` counts the files actually replaced; each file's status says what became of it.
    let mut written = 0usize;
    let mut failures = Vec::new();
    for (s, staging) in stagings.into_iter().enumerate() {
        for (i, result) in staging.commit() {
            let display = &sources[s].entries[i].display;
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
            listed[first_listed[s] + i]["status"] = json!(word);
        }
    }
    if as_json {
        let result = json!({ "files": listed, "written": written });
        if failures.is_empty() {
            return envelope::print_result(SUCCESS, &result, &[]);
        }
        let message = format!("{}\n{written} written, {} could not be written", failures.join("\n"), failures.len());
        envelope::print_error(envelope::ErrorKind::Output, &message, Some(&result));
    } else if failures.is_empty() {
        eprintln!("{checked} files checked, {written} formatted");
    } else {
        eprintln!("{checked} files checked, {written} formatted, {} could not be written", failures.len());
    }
    Ok(if failures.is_empty() { SUCCESS } else { ERROR })
}
