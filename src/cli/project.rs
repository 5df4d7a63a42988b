//! `gen` and `diff` without `--for`: every integration user declared in `sfperms.toml` (found in
//! the current folder or above), one after another, with one summary, one report and the highest
//! exit code. Each user's problems name the user and its line in the file.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::json;
use sfperms::catalog::Catalog;
use sfperms::project::config::{self, DeclaredUser, ProjectFile};
use sfperms::project::source::Source;

use super::config::{Comparison, Gen, Request};
use super::diff_cmd::{self, Compared, Keep};
use super::exit::{DIFFERENCES, SUCCESS};
use super::gen_cmd::{self, Generated};
use super::render::{self, Format, Report};
use super::style::Style;
use super::warnings;

/// The project file for a command run without `--for`.
pub fn load(catalog: &Catalog) -> Result<ProjectFile> {
    let here = std::env::current_dir().context("cannot read the current folder")?;
    let Some(path) = config::find(&here) else {
        bail!(
            "no --for, and no {} here or in a folder above: give --for ID, or declare the integration users with `sfperms init`",
            config::FILE_NAME
        );
    };
    // Shown relative to where the command runs, as the user typed nothing.
    let shown = path.strip_prefix(&here).map(Path::to_path_buf).unwrap_or(path);
    Ok(config::load(&shown, catalog)?)
}

/// "the `planhat` user (sfperms.toml:3)".
fn who(file: &ProjectFile, user: &DeclaredUser) -> String {
    format!("the `{}` user ({}:{})", user.integration, file.path.display(), user.line)
}

/// Every user's warnings, each prefixed with the user it is about.
fn each_users_warnings<T>(
    file: &ProjectFile,
    results: &[(&DeclaredUser, T)],
    warnings_of: impl Fn(&T) -> Vec<String>,
) -> Vec<String> {
    let prefixed = |(user, result): &(&DeclaredUser, T)| {
        let who = who(file, user);
        warnings_of(result).into_iter().map(move |w| format!("{who}: {w}"))
    };
    results.iter().flat_map(prefixed).collect()
}

/// `gen` for every declared user: writes them all (into the project, or --output-dir), or with
/// `--check` reports every user whose files would change.
pub fn generate(catalog: &Catalog, generate: &Gen, format: Format) -> Result<u8> {
    let file = load(catalog)?;
    let root: PathBuf = generate.file.output.dir().map_or_else(|| file.root().to_path_buf(), Path::to_path_buf);
    let mut generated: Vec<(&DeclaredUser, Generated<'_>)> = Vec::new();
    for user in &file.users {
        let one = generate
            .file
            .of_user(user, file.root(), &root)
            .and_then(|(request, user_file)| gen_cmd::prepare(catalog, &user_file, &request))
            .with_context(|| who(&file, user))?;
        generated.push((user, one));
    }
    // Nothing is written unless every user could be generated (above), and all are written together.
    let all_files: Vec<_> = generated.iter().flat_map(|(_, g)| g.files.iter().cloned()).collect();
    gen_cmd::write_files(&all_files, generate.file.check)?;
    let report = ProjectGen { file: &file, generated, check: generate.file.check };
    if format != Format::Json {
        // Every user's warnings, then every user's note.
        let printed: Vec<(String, String)> =
            report.generated.iter().map(|(user, g)| warnings::stderr_text(&g.plan, Some(&who(&file, user)))).collect();
        for (warnings, _) in &printed {
            eprint!("{warnings}");
        }
        for (_, note) in &printed {
            eprint!("{note}");
        }
    }
    let status = render::print(&report, format)?;
    if format == Format::Json {
        return Ok(status);
    }
    if generate.file.check {
        let drifted = report.drifted();
        let names: Vec<String> = drifted.iter().map(|(user, _)| who(&file, user)).collect();
        eprintln!(
            "{} users checked ({}), {} would change{}",
            report.generated.len(),
            file.path.display(),
            drifted.len(),
            if names.is_empty() { String::new() } else { format!(": {}", names.join(", ")) }
        );
        return Ok(status);
    }
    for (_, g) in &report.generated {
        gen_cmd::print_written(&g.files);
    }
    Ok(status)
}

/// Every declared user's generated component.
struct ProjectGen<'a> {
    file: &'a ProjectFile,
    generated: Vec<(&'a DeclaredUser, Generated<'a>)>,
    check: bool,
}

impl ProjectGen<'_> {
    /// The users whose files change (or, with `--check`, would).
    fn drifted(&self) -> Vec<&(&DeclaredUser, Generated<'_>)> {
        self.generated.iter().filter(|(_, g)| g.changes()).collect()
    }
}

impl Report for ProjectGen<'_> {
    fn status(&self) -> u8 {
        if self.check && !self.drifted().is_empty() { DIFFERENCES } else { SUCCESS }
    }

    fn warnings(&self) -> Vec<String> {
        each_users_warnings(self.file, &self.generated, |g| warnings::texts(&g.plan))
    }

    fn json(&self) -> Result<serde_json::Value> {
        let users: Vec<_> = self
            .generated
            .iter()
            .map(|(user, g)| json!({ "line": user.line, "flags": super::flags::declared_user(user), "generated": g.json(self.check) }))
            .collect();
        Ok(json!({ "project-file": self.file.path, "users": users }))
    }

    /// With `--check`, each user whose files would change and what would; otherwise nothing
    /// (what was written goes to stderr).
    fn human(&self, _: Format, _: Style) -> Result<String> {
        let mut out = String::new();
        if self.check {
            for (user, g) in self.drifted() {
                let _ = writeln!(out, "{}:", who(self.file, user));
                out.push_str(&gen_cmd::check_text(&g.files));
            }
        }
        Ok(out)
    }
}

/// `diff` for every declared user against the same retrieve: each user's report, then one
/// summary (text), one Markdown report for a pull request, one JSON document or one patch.
pub fn diff(catalog: &Catalog, comparison: &Comparison, format: Format) -> Result<u8> {
    let file = load(catalog)?;
    let source = Source::open(&comparison.against)?;
    let mut compared: Vec<(&DeclaredUser, Compared)> = Vec::new();
    for user in &file.users {
        let request = Request::of_user(user, file.root());
        let one = diff_cmd::compare(catalog, &request, &comparison.of_user(user), &source, Keep::for_format(format))
            .with_context(|| who(&file, user))?;
        compared.push((user, one));
    }
    render::print(&ProjectDiff { file: &file, compared }, format)
}

/// Every declared user's comparison with the same retrieve.
struct ProjectDiff<'a> {
    file: &'a ProjectFile,
    compared: Vec<(&'a DeclaredUser, Compared)>,
}

impl Report for ProjectDiff<'_> {
    fn status(&self) -> u8 {
        self.compared.iter().map(|(_, c)| c.exit_code()).max().unwrap_or(SUCCESS)
    }

    fn warnings(&self) -> Vec<String> {
        each_users_warnings(self.file, &self.compared, |c| c.warnings.clone())
    }

    fn json(&self) -> Result<serde_json::Value> {
        let users: Vec<_> = self
            .compared
            .iter()
            .map(|(user, c)| json!({ "line": user.line, "flags": super::flags::declared_user(user), "diff": c.json() }))
            .collect();
        Ok(json!({ "project-file": self.file.path, "equal": self.status() == SUCCESS, "users": users }))
    }

    fn human(&self, format: Format, style: Style) -> Result<String> {
        let mut out = String::new();
        match format {
            Format::Text => {
                for (_, c) in &self.compared {
                    let _ = writeln!(out, "{}", diff_cmd::text(&c.report, style));
                }
                out.push_str(&summary_text(self.file, &self.compared));
            }
            Format::Markdown => out = markdown(self.file, &self.compared),
            Format::Patch => {
                for (_, c) in &self.compared {
                    out.push_str(&c.patch()?);
                }
            }
            Format::Json => return render::unsupported(format),
        }
        Ok(out)
    }
}

/// One line per user: equal, or its headline.
fn summary_text(file: &ProjectFile, compared: &[(&DeclaredUser, Compared)]) -> String {
    let mut out = format!("{} integration users ({}):\n", compared.len(), file.path.display());
    for (user, c) in compared {
        let state = if c.equal() { "no differences".to_string() } else { diff_cmd::headline(&c.report.changes, "") };
        let _ = writeln!(
            out,
            "  {} `{}` ({}:{}): {state}",
            user.integration,
            c.report.name,
            file.path.display(),
            user.line
        );
    }
    out
}

/// The pull-request comment: a table of the users, then each user's report.
fn markdown(file: &ProjectFile, compared: &[(&DeclaredUser, Compared)]) -> String {
    let mut out = format!("## sfperms diff: {} integration users (`{}`)\n\n", compared.len(), file.path.display());
    out.push_str(
        "| User | File | Missing | Excess | Other | Not in the retrieve |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for (user, c) in compared {
        let n = c.report.changes.counts();
        let _ = writeln!(
            out,
            "| {} (line {}) | `{}` | {} | {} | {} | {} |",
            user.integration, user.line, c.relative, n.missing, n.excess, n.other, n.not_in_retrieve
        );
    }
    for (_, c) in compared {
        out.push('\n');
        out.push_str(&diff_cmd::markdown(&c.report, "###"));
    }
    out
}
