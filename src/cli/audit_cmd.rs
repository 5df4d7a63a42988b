//! `sfperms audit PATH`: every PermissionSet and Profile of a retrieved org (SFDX project, mdapi
//! folder or retrieve zip) ranked by its risky grants (`sfperms::audit`), and, for each integration
//! user declared in sfperms.toml, the grants its file holds beyond the least privilege `gen`
//! computes (diff's comparison in full scope). Reads files only. Exit 1 when a declared user holds
//! more than its minimum, 2 when a file cannot be read (the others are still reported).

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result};
use serde::Serialize;
use serde_json::json;
use sfperms::audit::{self, Audit};
use sfperms::catalog::Catalog;
use sfperms::diff::{Change, Effect, Status};
use sfperms::emit;
use sfperms::metadata::Document;
use sfperms::metadata::FileKind;
use sfperms::platform::permissions;
use sfperms::project::config::{self, DeclaredUser, ProjectFile};
use sfperms::project::set_folder;
use sfperms::project::source::{self, Entry, Source};

use super::args::{AuditArgs, ScopeArg};
use super::config::{Comparison, Request};
use super::diff_cmd::{self, Compared, Keep};
use super::envelope;
use super::exit::{DIFFERENCES, SUCCESS};
use super::project;
use super::render::{self, Failure, Format, Report};
use super::request;
use super::style::{self, Style, Tone};

/// One audited file.
#[derive(Serialize)]
struct File {
    kind: FileKind,
    name: String,
    path: String,
    #[serde(flatten)]
    audit: Audit,
}

/// A declared user, and what its file in the retrieve holds beyond least privilege.
struct UserCheck<'a> {
    user: &'a DeclaredUser,
    kind: FileKind,
    name: String,
    /// `None`: the retrieve holds no file of that name.
    compared: Option<Compared>,
}

impl UserCheck<'_> {
    /// The entries that grant more than the user needs, the riskiest user permissions first.
    fn excess(&self) -> Vec<Cow<'_, Change>> {
        let Some(c) = &self.compared else { return Vec::new() };
        let mut excess: Vec<Cow<Change>> = c
            .report
            .changes
            .iter()
            .filter(|ch| ch.status == Status::Excess || ch.flags.iter().any(|f| f.effect == Effect::Excess))
            .collect();
        let rank = |ch: &Change| match ch.id.group.as_str() {
            "userPermissions" => permissions::privilege(&ch.id.key).rank,
            _ => 0,
        };
        excess.sort_by_key(|ch| std::cmp::Reverse(rank(ch.as_ref())));
        excess
    }
}

/// Files read before a progress line is worth drawing.
const PROGRESS_FROM: usize = 200;

pub fn run(catalog: &Catalog, args: &AuditArgs, format: Format) -> Result<u8> {
    let source = Source::open(&args.path)?;
    let (mut files, errors) = audit_files(&source)?;
    audit::rank(&mut files, |f| &f.audit, |f| f.path.as_str());

    let project = project_file_near(catalog)?;
    let mut users = Vec::new();
    if let Some(file) = &project {
        for user in &file.users {
            users.push(check_user(catalog, file, user, &args.path, &source)?);
        }
    }
    let report = Audited { args, files, project: project.as_ref(), users, errors };
    let status = render::print(&report, format)?;
    if format != Format::Json {
        for error in &report.errors {
            eprintln!("error: {error}");
        }
    }
    Ok(status)
}

/// What `audit` found: the files ranked, the declared users checked, the files it could not read.
struct Audited<'a> {
    args: &'a AuditArgs,
    files: Vec<File>,
    project: Option<&'a ProjectFile>,
    users: Vec<UserCheck<'a>>,
    errors: Vec<String>,
}

impl Report for Audited<'_> {
    fn status(&self) -> u8 {
        if self.users.iter().any(|u| !u.excess().is_empty()) { DIFFERENCES } else { SUCCESS }
    }

    fn failure(&self) -> Option<Failure> {
        (!self.errors.is_empty()).then(|| Failure {
            kind: envelope::ErrorKind::Metadata,
            message: format!("{}\n{} files could not be read", self.errors.join("\n"), self.errors.len()),
        })
    }

    fn json(&self) -> Result<serde_json::Value> {
        Ok(json!({
            "path": self.args.path,
            "files": self.files,
            "users": self.users.iter().map(|u| user_json(self.project, u)).collect::<Vec<_>>(),
            "project-file": self.project.map(|p| &p.path),
            "errors": self.errors,
        }))
    }

    fn human(&self, format: Format, style: Style) -> Result<String> {
        match format {
            Format::Text => Ok(text(self.args, &self.files, self.project, &self.users, style)),
            Format::Markdown => Ok(markdown(self.args, &self.files, self.project, &self.users)),
            other => render::unsupported(other),
        }
    }
}

/// The risky grants of every PermissionSet and Profile, read on every core; the files that
/// cannot be read, as messages. A progress line on stderr for long runs on a terminal.
fn audit_files(source: &Source) -> Result<(Vec<File>, Vec<String>)> {
    let total =
        source.entries.iter().filter(|e| matches!(e.kind, Some(FileKind::PermissionSet | FileKind::Profile))).count();
    let progress = style::progress_allowed() && total >= PROGRESS_FROM;
    let done = AtomicUsize::new(0);
    let results = source.map(|reader, entry| {
        let kind = entry.kind.filter(|k| matches!(k, FileKind::PermissionSet | FileKind::Profile))?;
        let read = read_whole(source, reader, entry);
        if progress {
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if n.is_multiple_of(20) || n == total {
                eprint!("\raudit: {n}/{total} files");
            }
        }
        Some(read.map(|doc| File {
            kind,
            name: entry.name.clone(),
            path: entry.display.clone(),
            audit: audit::audit(&doc),
        }))
    })?;
    if progress {
        // Clear the progress line.
        eprint!("\r\x1b[K");
    }
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for result in results.into_iter().flatten() {
        match result {
            Ok(file) => files.push(file),
            Err(e) => errors.push(e.to_string()),
        }
    }
    Ok((files, errors))
}

/// A file's document; a decomposed permission set's own file is read with its child files, as
/// the sf CLI recomposes the set.
fn read_whole(source: &Source, reader: &mut source::SourceReader, entry: &Entry) -> Result<Document, String> {
    let read = set_folder::read_component(source, reader, entry, &entry.name).map_err(|e| e.to_string())?;
    Ok(read.document)
}

/// The project file, if the current folder or one above has one (audit works without).
fn project_file_near(catalog: &Catalog) -> Result<Option<ProjectFile>> {
    let here = std::env::current_dir().context("cannot read the current folder")?;
    if config::find(&here).is_none() {
        return Ok(None);
    }
    project::load(catalog).map(Some)
}

/// Compares a declared user's file in the retrieve with its least privilege, in full scope.
fn check_user<'a>(
    catalog: &Catalog,
    file: &ProjectFile,
    user: &'a DeclaredUser,
    path: &Path,
    source: &Source,
) -> Result<UserCheck<'a>> {
    let who = || format!("the `{}` user ({}:{})", user.integration, file.path.display(), user.line);
    let request = Request::of_user(user, file.root());
    let comparison = Comparison {
        against: path.to_path_buf(),
        name: user.name.clone(),
        label: user.label.clone(),
        scope: ScopeArg::Full,
        scope_given: false,
    };
    let (integration, plan) = request::plan(catalog, &request).with_context(who)?;
    let naming = super::request::naming(user.name.as_deref(), user.label.as_deref(), None);
    let name = emit::component(integration, &plan, naming).map_err(request::component_error).with_context(who)?.name;
    let kind = plan.output.file_kind();
    let compared = if source.find(kind, &name).is_empty() {
        None
    } else {
        Some(diff_cmd::compare(catalog, &request, &comparison, source, Keep::Report).with_context(who)?)
    };
    Ok(UserCheck { user, kind, name, compared })
}

fn user_json(project: Option<&ProjectFile>, u: &UserCheck<'_>) -> serde_json::Value {
    json!({
        "line": u.user.line,
        "flags": super::flags::declared_user(u.user),
        "project-file": project.map(|p| &p.path),
        "kind": u.kind,
        "name": u.name,
        "path": u.compared.as_ref().map(|c| &c.report.path),
        "in-retrieve": u.compared.is_some(),
        "excess": u.excess(),
    })
}

/// "1 entry", "3 entries".
fn entries(n: usize) -> String {
    if n == 1 { "1 entry".into() } else { format!("{n} entries") }
}

fn kind_title(kind: FileKind) -> &'static str {
    kind.root()
}

/// A grant on one line: `ModifyAllData  rank 100  high: edits and deletes every record…`.
fn grant_line(g: &audit::RiskyGrant) -> String {
    let risk = match g.risk {
        permissions::Risk::High => "high",
        permissions::Risk::Medium => "medium",
        permissions::Risk::Low => "low",
    };
    format!("{} (rank {}, {risk} risk): {}", g.item, g.rank, g.why)
}

fn text(
    args: &AuditArgs,
    files: &[File],
    project: Option<&ProjectFile>,
    users: &[UserCheck<'_>],
    style: Style,
) -> String {
    let mut out = String::new();
    let risky: Vec<&File> = files.iter().filter(|f| !f.audit.grants.is_empty()).collect();
    let _ = writeln!(
        out,
        "{}",
        style.paint(
            Tone::Heading,
            &format!(
                "Audit of {}: {} permission sets and profiles, {} with risky grants",
                args.path.display(),
                files.len(),
                risky.len()
            )
        )
    );
    let _ = writeln!(
        out,
        "Riskiest first. Ranks: privilege.tsv (0-100) for user permissions; an object's Modify All 10, View All 6."
    );
    for (i, file) in risky.iter().enumerate() {
        let a = &file.audit;
        let _ = writeln!(
            out,
            "\n{:>3}. {} `{}`: {}",
            i + 1,
            kind_title(file.kind),
            file.name,
            style.paint(Tone::Faint, &file.path)
        );
        let _ = writeln!(out, "     top rank {}, {} risky grants, score {}", a.top(), a.grants.len(), a.score);
        for g in a.grants.iter().take(args.top) {
            let tone = if g.rank >= 60 { Tone::Missing } else { Tone::Excess };
            let _ = writeln!(out, "       {}", style.paint(tone, &grant_line(g)));
        }
        if a.grants.len() > args.top {
            let _ = writeln!(out, "       … and {} more", a.grants.len() - args.top);
        }
    }
    let clean = files.len() - risky.len();
    if clean > 0 {
        let _ = writeln!(out, "\n{clean} more hold no risky grant.");
    }
    users_text(&mut out, project, users, args.top, style);
    out
}

fn users_text(out: &mut String, project: Option<&ProjectFile>, users: &[UserCheck<'_>], top: usize, style: Style) {
    let Some(project) = project else {
        let _ = writeln!(
            out,
            "\nNo {}: declare the integration users (`sfperms init`) to check their grants beyond least privilege.",
            config::FILE_NAME
        );
        return;
    };
    let _ = writeln!(
        out,
        "\n{}",
        style.paint(Tone::Heading, &format!("Declared integration users ({}):", project.path.display()))
    );
    for u in users {
        let head = format!("{} `{}` ({}:{})", u.user.integration, u.name, project.path.display(), u.user.line);
        let excess = u.excess();
        match &u.compared {
            None => {
                let _ = writeln!(out, "  {head}: no {} of that name in the retrieve", u.kind.root());
            }
            Some(_) if excess.is_empty() => {
                let _ = writeln!(out, "  {head}: nothing beyond least privilege");
            }
            Some(c) => {
                let _ = writeln!(
                    out,
                    "  {head}: {} beyond least privilege in {}",
                    style.paint(Tone::Excess, &entries(excess.len())),
                    c.report.path
                );
                for change in excess.iter().take(top) {
                    let note = change.note.as_deref().map(|n| format!(" ({n})")).unwrap_or_default();
                    let _ = writeln!(out, "      {}{note}", change.id);
                }
                if excess.len() > top {
                    let _ = writeln!(
                        out,
                        "      … and {} more (--format markdown or --json lists them all)",
                        excess.len() - top
                    );
                }
            }
        }
    }
}

fn markdown(args: &AuditArgs, files: &[File], project: Option<&ProjectFile>, users: &[UserCheck<'_>]) -> String {
    let mut out = String::new();
    let risky: Vec<&File> = files.iter().filter(|f| !f.audit.grants.is_empty()).collect();
    let _ = writeln!(out, "## sfperms audit: `{}`\n", args.path.display());
    let _ = writeln!(
        out,
        "{} permission sets and profiles, **{} with risky grants**, riskiest first (ranks: `privilege.tsv`, 0-100, for user permissions; an object's Modify All 10, View All 6).\n",
        files.len(),
        risky.len()
    );
    let _ = writeln!(out, "| # | File | Top rank | Risky grants | Score | Riskiest |");
    let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- |");
    for (i, file) in risky.iter().enumerate() {
        let a = &file.audit;
        let top: Vec<String> = a.grants.iter().take(args.top).map(|g| format!("{} ({})", g.item, g.rank)).collect();
        let more =
            if a.grants.len() > args.top { format!(", … {} more", a.grants.len() - args.top) } else { String::new() };
        let _ = writeln!(
            out,
            "| {} | {} `{}` | {} | {} | {} | {}{more} |",
            i + 1,
            kind_title(file.kind),
            file.name.replace('|', "\\|"),
            a.top(),
            a.grants.len(),
            a.score,
            top.join(", ")
        );
    }
    match project {
        None => {
            let _ = writeln!(out, "\nNo `{}`: no declared integration users to check.", config::FILE_NAME);
        }
        Some(project) => {
            let _ = writeln!(out, "\n### Declared integration users (`{}`)\n", project.path.display());
            let _ = writeln!(out, "| User | File | Beyond least privilege |");
            let _ = writeln!(out, "| --- | --- | --- |");
            for u in users {
                let excess = u.excess();
                let cell = match &u.compared {
                    None => "not in the retrieve".to_string(),
                    Some(_) if excess.is_empty() => "nothing".to_string(),
                    Some(_) => {
                        let listed: Vec<String> = excess.iter().map(|c| format!("`{}`", c.id)).collect();
                        format!(
                            "<details><summary><b>{}</b></summary>{}</details>",
                            entries(excess.len()),
                            listed.join("<br>")
                        )
                    }
                };
                let _ = writeln!(
                    out,
                    "| {} (line {}) | {} `{}` | {cell} |",
                    u.user.integration,
                    u.user.line,
                    u.kind.root(),
                    u.name
                );
            }
        }
    }
    out
}
