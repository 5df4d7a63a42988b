//! `sfperms gen`: solve, emit, and print or write (source or mdapi layout, zip), or `--check`.

use std::fmt::Write as _;

use anyhow::{Result, bail};
use serde_json::json;
use sfperms::access::Item;
use sfperms::catalog::{Catalog, Integration};
use sfperms::diff::compare;
use sfperms::emit::{self, Component};
use sfperms::metadata::OutputKind;
use sfperms::metadata::read::{self, Namespace};
use sfperms::platform::{DEFAULT_API_VERSION, versions};
use sfperms::project::SfdxProject;
use sfperms::project::output::{self, FileOut};
use sfperms::solver::Plan;

use super::config::{Gen, GenFile, GenOutput, Request, Who};
use super::exit::{DIFFERENCES, SUCCESS};
use super::project;
use super::render::{self, Format, Report};
use super::request;
use super::style::Style;
use super::warnings;

/// What `gen` computes for one request, before anything is written or printed.
pub(super) struct Generated<'a> {
    pub integration: &'a Integration,
    pub plan: Plan,
    pub component: Component,
    pub api_version: String,
    pub files: Vec<FileOut>,
}

impl Generated<'_> {
    pub fn changes(&self) -> bool {
        self.files.iter().any(FileOut::changes)
    }

    /// The JSON result for this component.
    pub fn json(&self, check: bool) -> serde_json::Value {
        let listed: Vec<_> = self
            .files
            .iter()
            .map(|f| {
                json!({
                    "path": f.path(), "changes": f.changes(), "written": !check && f.changes(), "removed": f.remove,
                    "summary": f.changes().then(|| semantic_summary(f)).flatten(), "effects": effects(f),
                })
            })
            .collect();
        json!({
            "integration": self.integration.id, "kind": self.component.kind, "name": self.component.name,
            "api-version": self.api_version, "xml": emit::render_fast(&self.component.document), "files": listed,
            "plan": super::plan_json::json(&self.plan),
        })
    }
}

/// What one `gen` did: the component, and whether files were only compared (`--check`).
struct GenReport<'a> {
    generated: Generated<'a>,
    check: bool,
}

impl Report for GenReport<'_> {
    fn status(&self) -> u8 {
        if self.check && self.generated.changes() { DIFFERENCES } else { SUCCESS }
    }

    fn warnings(&self) -> Vec<String> {
        warnings::texts(&self.generated.plan)
    }

    fn json(&self) -> Result<serde_json::Value> {
        Ok(self.generated.json(self.check))
    }

    /// The XML when there are no files; with `--check`, what would change; otherwise nothing
    /// (what was written goes to stderr, `print_written`).
    fn human(&self, _: Format, _: Style) -> Result<String> {
        let files = &self.generated.files;
        Ok(if files.is_empty() {
            emit::render_fast(&self.generated.component.document)
        } else if self.check {
            check_text(files)
        } else {
            String::new()
        })
    }
}

pub fn run(catalog: &Catalog, generate: &Gen, format: Format) -> Result<u8> {
    let Who::One(request) = &generate.who else { return project::generate(catalog, generate, format) };
    let writing = &generate.file;
    let generated = prepare(catalog, writing, request)?;
    if format != Format::Json {
        let (warnings, note) = warnings::stderr_text(&generated.plan, None);
        eprint!("{warnings}{note}");
    }
    write_files(&generated.files, writing.check)?;
    let report = GenReport { generated, check: writing.check };
    let status = render::print(&report, format)?;
    if format != Format::Json && !writing.check {
        print_written(&report.generated.files);
    }
    Ok(status)
}

/// Solves `request` and computes the files to write (none when `gen` prints).
pub(super) fn prepare<'a>(catalog: &'a Catalog, writing: &GenFile, request: &Request) -> Result<Generated<'a>> {
    let (integration, plan) = request::plan(catalog, request)?;
    if writing.new_profile.is_some() && plan.output != OutputKind::Profile {
        bail!("--new-profile writes a profile: add --as profile");
    }
    request::refuse_label_of_profile(writing.label.as_deref(), plan.output)?;
    let naming = request::naming(writing.name.as_deref(), writing.label.as_deref(), writing.new_profile);
    let component = emit::component(integration, &plan, naming).map_err(request::component_error)?;
    let api_version = api_version(writing, &plan)?;
    let mut files: Vec<FileOut> = Vec::new();
    match &writing.output {
        GenOutput::Print => {}
        GenOutput::Dir { dir, layout, group } => {
            files.extend(output::files_in_dir(&component, dir, *layout, &api_version)?);
            if let Some(group) = group {
                if component.kind != OutputKind::PermissionSet {
                    bail!(
                        "--group: a permission set group holds permission sets, not profiles: drop --as profile or --group"
                    );
                }
                output::add_group(&mut files, group, &component.name, dir, *layout, &api_version)?;
            }
            if component.kind == OutputKind::Profile && writing.new_profile.is_none() {
                refuse_fragment_without_profile(&component.name, dir, &files)?;
            }
        }
        GenOutput::Zip(zip) => files.push(output::zip_file(&component, zip, &api_version)?),
    }
    Ok(Generated { integration, plan, component, api_version, files })
}

/// A profile fragment updates a profile that exists (a profile deploy overlays the org's
/// profile: Metadata API Developer Guide, "Profile"); written where the project has no such
/// profile it would be a file for a profile nobody has, so `gen` stops and says what to do.
fn refuse_fragment_without_profile(name: &str, dir: &std::path::Path, files: &[FileOut]) -> Result<()> {
    let is_profile = |f: &&FileOut| !f.path().ends_with("package.xml");
    let Some(file) = files.iter().find(is_profile) else { return Ok(()) };
    if file.existing().is_some() {
        return Ok(());
    }
    bail!(
        "no profile named `{name}` in {} (looked for {}): a profile is written as a fragment that updates an existing profile, and there is none to update. Retrieve the profile into the project first (sf project retrieve start --metadata \"Profile:{name}\"), name a profile the project has with --name, write a complete new profile with --new-profile --user-license LICENSE, or generate a permission set with --as permission-set; nothing written",
        dir.display(),
        file.path().display()
    )
}

/// `gen --check`'s lines: each file that would change or be created, with what changes.
pub(super) fn check_text(files: &[FileOut]) -> String {
    let mut out = String::new();
    for file in files.iter().filter(|f| f.changes()) {
        let what = match (file.remove, file.existing().is_some()) {
            (true, _) => "would be removed",
            (false, true) => "would change",
            (false, false) => "would be created",
        };
        let _ = writeln!(out, "{what}: {}", file.path().display());
        if let Some(summary) = semantic_summary(file) {
            let _ = writeln!(out, "  {summary}");
        }
    }
    out
}

/// What `gen` did to each file, on stderr.
pub(super) fn print_written(files: &[FileOut]) {
    for file in files {
        let what = if !file.changes() {
            "unchanged"
        } else if file.remove {
            "removed"
        } else if file.existing().is_some() {
            "updated"
        } else {
            "created"
        };
        eprintln!("{what}: {}", file.path().display());
        for effect in effects(file) {
            eprintln!("  {effect}");
        }
    }
}

/// What writing over an existing metadata file does, entry by entry (nothing for a new file, a
/// zip, or a file that does not parse: `print_check` says so).
fn effects(file: &FileOut) -> Vec<String> {
    let Some(existing) = file.existing().filter(|_| file.changes()) else { return Vec::new() };
    if file.path().extension().is_some_and(|e| e.eq_ignore_ascii_case("zip")) {
        return Vec::new();
    }
    match (read::parse_bytes(existing), read::parse_bytes(&file.bytes)) {
        (Ok(old), Ok(new)) => compare::effects(&compare::compare(&old, &new)),
        _ => Vec::new(),
    }
}

/// What a change to an existing metadata file means, entry by entry (the comparison `diff` uses):
/// "2 added, 1 removed, …", or that only formatting or order changes.
fn semantic_summary(file: &FileOut) -> Option<String> {
    let existing = file.existing()?;
    if file.remove {
        return None;
    }
    if file.path().extension().is_some_and(|e| e.eq_ignore_ascii_case("zip")) {
        return None;
    }
    // The child files of a Beta2 decomposed set have no namespace.
    let new = read::parse_bytes_with(&file.bytes, Namespace::Optional).ok()?;
    match read::parse_bytes_with(existing, Namespace::Optional) {
        Ok(old) => Some(
            compare::summary(&compare::compare(&old, &new), 8)
                .unwrap_or_else(|| "same entries; only formatting or order changes (see `sfperms fmt`)".into()),
        ),
        Err(e) => Some(format!("the existing file does not parse ({e}); it would be replaced")),
    }
}

pub(super) fn write_files(files: &[FileOut], check: bool) -> Result<()> {
    if check {
        return Ok(());
    }
    for file in files {
        file.write()?;
    }
    Ok(())
}

/// `--api-version`, else the SFDX project's sourceApiVersion, else the built-in default.
fn api_version(writing: &GenFile, plan: &Plan) -> Result<String> {
    let (version, from) = if let Some(version) = &writing.api_version {
        (version.clone(), "--api-version".to_string())
    } else if let Some(dir) = writing.output.dir()
        && let Some(project) = SfdxProject::open(dir)?
        && let Some(version) = project.source_api_version
    {
        (version, format!("sourceApiVersion in {}", dir.join("sfdx-project.json").display()))
    } else {
        return Ok(DEFAULT_API_VERSION.to_string());
    };
    versions::check(&version, &elements_written(plan)).map_err(|e| anyhow::anyhow!("{from}: {e}"))?;
    Ok(version)
}

/// The metadata type and the elements the plan's file holds, as the version table names them.
fn elements_written(plan: &Plan) -> Vec<&'static str> {
    let mut elements = vec![plan.output.type_name()];
    for item in plan.grants.keys() {
        let element = match item {
            Item::UserPermission(_) => "userPermissions",
            Item::Object(..) => "objectPermissions",
            Item::Field(..) => "fieldPermissions",
            Item::ApexClass(_) => "classAccesses",
            Item::ExternalCredentialPrincipal(_) => "externalCredentialPrincipalAccesses",
            Item::CustomMetadataType(_) => "customMetadataTypeAccesses",
        };
        if !elements.contains(&element) {
            elements.push(element);
        }
    }
    if plan.licence.is_some() {
        elements.push("license");
    }
    elements
}
