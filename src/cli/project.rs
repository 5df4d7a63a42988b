//! `gen` and `diff` without `--for`: every integration user declared in `sfperms.toml` (found in
//! the current folder or above), one after another, with one summary, one report and the highest
//! exit code. Each user's problems name the user and its line in the file.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::json;
use sfperms::catalog::Catalog;
use sfperms::diff;
use sfperms::project::config::{self, DeclaredUser, ProjectFile};
use sfperms::project::source::Source;

use super::args::{DiffArgs, GenArgs, RequestArgs};
use super::diff_cmd::{self, Compared};
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

/// Without `--for`, the request's flags have no integration to go to: they belong in the file.
fn refuse_request_flags(args: &RequestArgs, options: &BTreeMap<String, String>) -> Result<()> {
    let mut given: Vec<String> = options.keys().map(|k| format!("--{k}")).collect();
    for (flag, used) in [
        ("--feature", !args.feature.is_empty()),
        ("--object", !args.object.is_empty()),
        ("--field", !args.field.is_empty()),
        ("--as", args.output_kind.is_some()),
        ("--dependencies", args.dependencies.is_some()),
    ] {
        if used {
            given.push(flag.to_string());
        }
    }
    if !given.is_empty() {
        bail!(
            "{} without --for: add --for ID, or put them in a `[[user]]` table of {}",
            given.join(", "),
            config::FILE_NAME
        );
    }
    Ok(())
}

/// The request a declared user stands for (paths relative to the project root).
pub(super) fn request(user: &DeclaredUser, root: &Path) -> RequestArgs {
    RequestArgs {
        integration: Some(user.integration.clone()),
        feature: user.features.clone(),
        object: user.objects.clone(),
        field: user.fields.clone(),
        user_permission: Vec::new(),
        integration_user: false,
        output_kind: user.output,
        dependencies: user.dependencies.as_ref().map(|d| root.join(d)),
        fields: None,
    }
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
pub fn generate(catalog: &Catalog, args: &GenArgs, options: BTreeMap<String, String>, format: Format) -> Result<u8> {
    refuse_request_flags(&args.request, &options)?;
    if args.zip.is_some() {
        bail!("--zip writes one integration user's component: add --for ID");
    }
    let file = load(catalog)?;
    let root: PathBuf = args.output_dir.clone().unwrap_or_else(|| file.root().to_path_buf());
    let mut generated: Vec<(&DeclaredUser, Generated<'_>)> = Vec::new();
    for user in &file.users {
        let user_args = GenArgs {
            request: request(user, file.root()),
            name: user.name.clone(),
            label: user.label.clone(),
            api_version: user.api_version.clone(),
            new_profile: user.new_profile,
            user_license: user.user_license.clone().unwrap_or_else(|| args.user_license.clone()),
            output_dir: Some(root.clone()),
            layout: args.layout,
            zip: None,
            check: args.check,
            group: None,
        };
        let one = gen_cmd::prepare(catalog, &user_args, user.options.clone()).with_context(|| who(&file, user))?;
        generated.push((user, one));
    }
    // Nothing is written unless every user could be generated (above), and all are written together.
    let all_files: Vec<_> = generated.iter().flat_map(|(_, g)| g.files.iter().cloned()).collect();
    gen_cmd::write_files(&all_files, args.check)?;
    let report = ProjectGen { file: &file, generated, check: args.check };
    if format != Format::Json {
        for warning in &report.warnings() {
            eprintln!("warning: {warning}");
        }
    }
    let status = render::print(&report, format)?;
    if format == Format::Json {
        return Ok(status);
    }
    if args.check {
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
pub fn diff(catalog: &Catalog, args: &DiffArgs, options: BTreeMap<String, String>, format: Format) -> Result<u8> {
    refuse_request_flags(&args.request, &options)?;
    if args.name.is_some() || args.label.is_some() {
        bail!("--name and --label without --for: put them in the users' `[[user]]` tables");
    }
    let file = load(catalog)?;
    let source = Source::open(&args.against)?;
    let mut compared: Vec<(&DeclaredUser, Compared)> = Vec::new();
    for user in &file.users {
        let user_args = DiffArgs {
            request: request(user, file.root()),
            against: args.against.clone(),
            name: user.name.clone(),
            label: user.label.clone(),
            scope: args.scope,
            format: args.format,
        };
        let one =
            diff_cmd::compare(catalog, &user_args, user.options.clone(), &source).with_context(|| who(&file, user))?;
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
        let n = diff::counts(&c.report.changes);
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
