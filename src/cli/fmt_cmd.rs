//! `sfperms fmt [--check] PATH...`: put PermissionSet, Profile (and named package.xml) files in
//! Salesforce's canonical form. Lists what would change with `--check` (exit 1); otherwise
//! rewrites, but only when every file could be read (exit 2 and nothing written if one cannot).

use std::fmt::Write as _;

use anyhow::Result;
use serde_json::json;
use sfperms::project::format::{self, FileStatus};
use sfperms::project::source::Source;

use super::args::FmtArgs;
use super::envelope::ErrorKind;
use super::exit::{DIFFERENCES, ERROR, SUCCESS};
use super::render::{self, Failure, Format, Report};
use super::style::Style;

pub fn run(args: &FmtArgs, format: Format) -> Result<u8> {
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
        if format != Format::Json {
            for error in &errors {
                eprintln!("error: {error}");
            }
            eprintln!("{summary}");
        }
        let failure = Failure { kind: ErrorKind::Metadata, message: format!("{}\n{summary}", errors.join("\n")) };
        let report =
            Formatted { files: listed, written: 0, status: ERROR, failure: Some(failure), text: String::new() };
        return render::print(&report, format);
    }
    if args.check {
        let status = if changed.is_empty() { SUCCESS } else { DIFFERENCES };
        let mut text = String::new();
        for (s, i) in &changed {
            let _ = writeln!(text, "would change: {}", sources[*s].entries[*i].display);
        }
        let report = Formatted { files: listed, written: 0, status, failure: None, text };
        let status = render::print(&report, format)?;
        if format != Format::Json {
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
                    if format != Format::Json {
                        eprintln!("formatted: {display}");
                    }
                    "formatted"
                }
                Ok(false) => "canonical",
                Err(e) => {
                    if format != Format::Json {
                        eprintln!("error: {e}");
                    }
                    failures.push(e.to_string());
                    "error"
                }
            };
            listed[first_listed[s] + i]["status"] = json!(word);
        }
    }
    if format != Format::Json {
        if failures.is_empty() {
            eprintln!("{checked} files checked, {written} formatted");
        } else {
            eprintln!("{checked} files checked, {written} formatted, {} could not be written", failures.len());
        }
    }
    let failure = (!failures.is_empty()).then(|| Failure {
        kind: ErrorKind::Output,
        message: format!("{}\n{written} written, {} could not be written", failures.join("\n"), failures.len()),
    });
    render::print(&Formatted { files: listed, written, status: SUCCESS, failure, text: String::new() }, format)
}

/// What `fmt` found and did: each file's status, how many were written, what failed.
struct Formatted {
    files: Vec<serde_json::Value>,
    written: usize,
    status: u8,
    failure: Option<Failure>,
    /// `--check`'s lines on stdout.
    text: String,
}

impl Report for Formatted {
    fn status(&self) -> u8 {
        self.status
    }

    fn failure(&self) -> Option<Failure> {
        self.failure.clone()
    }

    fn json(&self) -> Result<serde_json::Value> {
        Ok(json!({ "files": self.files, "written": self.written }))
    }

    fn human(&self, _: Format, _: Style) -> Result<String> {
        Ok(self.text.clone())
    }
}
