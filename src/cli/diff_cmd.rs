//! `sfperms diff --for ID [options] --against PATH`: find the same-named PermissionSet or Profile
//! in retrieved metadata, compare it with what `gen` would write (`sfperms::diff`), and render the
//! result as text (coloured as `--color` says), JSON, Markdown (a PR comment) or a patch. Exit 0 when equal, 1 when different, 2 on error.

use std::borrow::Cow;
use std::fmt::Write as _;

use anyhow::{Result, bail};
use serde_json::json;
use sfperms::catalog::Catalog;
use sfperms::diff::muting::{self, GroupMuting};
use sfperms::diff::{self, Change, Changes, Effect, FlagChange, Scope, Status};
use sfperms::emit;
use sfperms::metadata::Document;
use sfperms::metadata::FileKind;
use sfperms::metadata::OutputKind;
use sfperms::metadata::decomposed::{self, LayoutNote};
use sfperms::metadata::entries::Entries;
use sfperms::metadata::names::encode_file_name;
use sfperms::project::set_folder::{self, ReadComponent, ReadComponentError, SetFolder};
use sfperms::project::source::{self, Entry, Origin, Source};
use sfperms::solver::Reason;

use super::args::ScopeArg;
use super::config::{Comparison, Diff, Request, Who};
use super::exit::{DIFFERENCES, SUCCESS};
use super::flags;
use super::project;
use super::reasons;
use super::render::{self, Format, Report};
use super::request;
use super::style::{Style, Tone};

/// One comparison of a file against a plan: everything a renderer needs.
pub(super) struct DiffReport {
    pub integration: String,
    pub command: String,
    pub kind: OutputKind,
    pub name: String,
    pub path: String,
    pub scope: Scope,
    pub changes: Changes,
}

/// The changes as `--json` lists them, each with its reasons worded (`reasons::json`).
fn changes_json(changes: &Changes) -> serde_json::Value {
    let listed = changes.iter().map(|change| {
        let mut value = json!(*change);
        if !change.reasons.is_empty() {
            value["reasons"] = change.reasons.iter().map(reasons::json).collect();
        }
        value
    });
    listed.collect()
}

/// What a comparison keeps beyond its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Keep {
    /// The report only: the retrieved file's tree and bytes are dropped as soon as it is compared.
    Report,
    /// Also what the patch rewrites (`PatchInput`).
    Patch,
}

impl Keep {
    pub fn for_format(format: Format) -> Keep {
        if format == Format::Patch { Keep::Patch } else { Keep::Report }
    }
}

/// What the patch rewrites: the retrieved file's tree and bytes (or its folder's files) and the
/// generated file.
struct PatchInput {
    retrieved: Document,
    files: Vec<(String, Vec<u8>)>,
    generated: Document,
}

/// One comparison, and what its patch needs when the run writes one (`Keep::Patch`).
pub(super) struct Compared {
    pub report: DiffReport,
    pub relative: String,
    pub warnings: Vec<String>,
    /// The decomposed set's folder, and what its recomposition found, when it is one.
    folder: Option<(SetFolder, Vec<LayoutNote>)>,
    patch_input: Option<PatchInput>,
    /// How many of the report's changes are to the set's own files (the first ones; the rest are
    /// what a group's muting takes away), which the patch fixes.
    set_changes: usize,
    /// How many of `warnings` come from the plan (the rest are about the files read).
    plan_warnings: usize,
}

impl Compared {
    pub fn equal(&self) -> bool {
        self.report.changes.is_equal()
    }

    pub fn exit_code(&self) -> u8 {
        if self.equal() { SUCCESS } else { DIFFERENCES }
    }

    pub fn json(&self) -> serde_json::Value {
        let o = &self.report;
        let mut doc = json!({
            "integration": o.integration,
            "command": o.command,
            "kind": o.kind,
            "name": o.name,
            "path": o.path,
            "relative": self.relative,
            "scope": o.scope,
            "equal": self.equal(),
            "counts": o.changes.counts(),
            "changes": changes_json(&o.changes),
        });
        if let Some((folder, notes)) = &self.folder {
            doc["layout"] = json!(folder.layout);
            doc["layout-notes"] = json!(notes);
        }
        doc
    }

    /// The fixes as a unified diff of the retrieved file, or of a decomposed set's files (child
    /// files created and deleted as the fixed set needs).
    pub fn patch(&self) -> Result<String> {
        let Some(PatchInput { retrieved, files, generated }) = &self.patch_input else {
            bail!("the comparison was made without what its patch needs (please report this)");
        };
        let changes: Vec<Change> = self.report.changes.iter().take(self.set_changes).map(Cow::into_owned).collect();
        let changes = changes.as_slice();
        let Some((folder, _)) = &self.folder else {
            let old = String::from_utf8_lossy(&files[0].1);
            return Ok(diff::patch::patch(&self.relative, &old, retrieved, generated, changes, self.report.kind));
        };
        let fixed = diff::patch::fixed(retrieved, generated, changes, self.report.kind);
        let new: Vec<(String, String)> = decomposed::split(&fixed, &encode_file_name(&folder.name), folder.layout)?
            .into_iter()
            .map(|f| (f.relative, emit::render_owned_fast(f.document)))
            .collect();
        let folder_relative = self.relative.rsplit_once('/').map_or("", |(dir, _)| dir);
        Ok(diff::patch::patch_files(folder_relative, files, &new))
    }
}

pub fn run(catalog: &Catalog, diff: &Diff, format: Format) -> Result<u8> {
    let Who::One(request) = &diff.who else { return project::diff(catalog, &diff.comparison, format) };
    let source = Source::open(&diff.comparison.against)?;
    let compared = compare(catalog, request, &diff.comparison, &source, Keep::for_format(format))?;
    if format != Format::Json {
        // The plan's own warnings are `explain`'s to print; these are about the files read.
        for warning in compared.warnings.iter().skip(compared.plan_warnings) {
            eprintln!("warning: {warning}");
        }
        if format == Format::Patch && compared.set_changes < compared.report.changes.len() {
            eprintln!(
                "warning: the patch fixes the set's files only; un-mute what a group's muting permission set takes away by hand"
            );
        }
    }
    render::print(&compared, format)
}

impl Report for Compared {
    /// Text is written as it is made (a full comparison of a large profile is megabytes of it).
    fn write_human(&self, format: Format, style: Style, out: &mut dyn std::io::Write) -> Result<()> {
        match format {
            Format::Text => write_text(&self.report, style, out)?,
            _ => out.write_all(self.human(format, style)?.as_bytes())?,
        }
        Ok(())
    }

    fn status(&self) -> u8 {
        self.exit_code()
    }

    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    fn json(&self) -> Result<serde_json::Value> {
        Ok(Compared::json(self))
    }

    fn human(&self, format: Format, style: Style) -> Result<String> {
        match format {
            Format::Text => Ok(text(&self.report, style)),
            Format::Markdown => Ok(markdown(&self.report, "###")),
            Format::Patch => self.patch(),
            Format::Json => render::unsupported(format),
        }
    }
}

/// Compares the request's component with its namesake in `source`, keeping what `keep` says.
pub(super) fn compare(
    catalog: &Catalog,
    request: &Request,
    args: &Comparison,
    source: &Source,
    keep: Keep,
) -> Result<Compared> {
    let command = command_line(request, args);
    let (integration, plan) = request::plan(catalog, request)?;
    request::refuse_label_of_profile(args.label.as_deref(), plan.output)?;
    if args.scope_given && plan.output == OutputKind::PermissionSet {
        bail!(
            "--scope: a permission set is always compared whole (a deploy replaces the whole set), so --scope would do nothing: drop it (it chooses how a profile is compared)"
        );
    }
    let naming = request::naming(args.name.as_deref(), args.label.as_deref(), None);
    let component = emit::component(integration, &plan, naming).map_err(request::component_error)?;
    // A permission set deploy replaces the whole set, so it is always compared whole.
    let scope = match (plan.output, args.scope) {
        (OutputKind::Profile, ScopeArg::Fragment) => Scope::Fragment,
        _ => Scope::Full,
    };
    let kind = plan.output.file_kind();
    let entry = if source.origin == Origin::File {
        &source.entries[0]
    } else {
        match source.find_one(kind, &component.name, "point --against at one of them")? {
            Some(one) => one,
            None => {
                let names = source.names(kind);
                let word = plan.output.word();
                let listed = if names.is_empty() {
                    format!("it holds no {word} files")
                } else {
                    let shown: Vec<String> = names.iter().take(30).map(|n| format!("`{n}`")).collect();
                    let more = if names.len() > 30 { format!(" and {} more", names.len() - 30) } else { String::new() };
                    format!("it has {}{more}", shown.join(", "))
                };
                bail!(
                    "{}: no {word} named `{}`{}; {listed}; choose one with --name",
                    args.against.display(),
                    component.name,
                    sfperms::suggest::hint(&component.name, names.iter().copied())
                );
            }
        }
    };
    let Retrieved { entries, display, folder, notes, patch } = read_retrieved(source, entry, &component.name, keep)?;
    if entries.root() != kind.root() {
        bail!("{}: the root element is <{}>, not <{}>", entry.display, entries.root(), kind.root());
    }
    let mut changes = diff::diff(&plan, &component.document, entries, scope);
    let set_changes = changes.len();
    let mut warnings = super::warnings::texts(&plan);
    warnings.extend(notes.iter().map(ToString::to_string));
    if plan.output == OutputKind::PermissionSet && source.origin != Origin::File {
        let (muted, group_warnings) = muted_in_groups(source, &plan, &component.document, &component.name)?;
        changes.extend(muted);
        warnings.extend(group_warnings);
    }
    let report = DiffReport {
        integration: integration.id.clone(),
        command,
        kind: plan.output,
        name: component.name.clone(),
        path: display,
        scope,
        changes,
    };
    let patch_input = patch.map(|(retrieved, files)| PatchInput { retrieved, files, generated: component.document });
    Ok(Compared {
        report,
        relative: entry.relative.clone(),
        warnings,
        folder: folder.map(|folder| (folder, notes)),
        patch_input,
        set_changes,
        plan_warnings: plan.warnings.len(),
    })
}

/// The needed grants that the muting permission set of a group holding set `name` takes away
/// (missing for that group's users), and warnings about muting sets `source` does not hold.
fn muted_in_groups(
    source: &Source,
    plan: &sfperms::solver::Plan,
    generated: &Document,
    name: &str,
) -> Result<(Vec<Change>, Vec<String>)> {
    let mut reader = source.reader()?;
    let mut groups = Vec::new();
    for entry in source.entries.iter().filter(|e| e.kind == Some(FileKind::PermissionSetGroup)) {
        let group = reader.load(entry)?;
        if muting::members(&group, "permissionSets").contains(&name) {
            groups.push((entry.name.clone(), group));
        }
    }
    let mut warnings = Vec::new();
    let mut mutings = Vec::new();
    for (group, document) in &groups {
        for muting_set in muting::members(document, "mutingPermissionSets") {
            match source.find(FileKind::MutingPermissionSet, muting_set).as_slice() {
                [one] => mutings.push((group.as_str(), muting_set, reader.load(one)?)),
                [] => warnings.push(format!(
                    "permission set group `{group}` holds `{name}` and mutes with `{muting_set}`, which {} does not hold: what it mutes is not checked",
                    source.root.display()
                )),
                many => warnings.push(format!(
                    "muting permission set `{muting_set}` of group `{group}` is in {} files; not checked",
                    many.len()
                )),
            }
        }
    }
    let views: Vec<GroupMuting> =
        mutings.iter().map(|(group, muting_set, muting)| GroupMuting { group, muting_set, muting }).collect();
    Ok((muting::muted(plan, generated, name, &views), warnings))
}

/// The retrieved component as `diff` compares it, and, for a patch, its tree and bytes.
struct Retrieved {
    entries: Entries,
    display: String,
    folder: Option<SetFolder>,
    notes: Vec<LayoutNote>,
    patch: Option<(Document, Files)>,
}

/// Files by their path relative to the component, with their bytes.
type Files = Vec<(String, Vec<u8>)>;

/// Reads the component `entry` (named `name`): one file's entries straight from its bytes (no
/// tree: `Entries::read`), unless a patch needs the tree or the set is a decomposed folder.
fn read_retrieved(source: &Source, entry: &Entry, name: &str, keep: Keep) -> Result<Retrieved> {
    let one_file = set_folder::of_entry(source, entry, name)?.is_none();
    if keep == Keep::Report && one_file {
        let bytes = source.reader()?.read(entry)?;
        let entries = source::read_entries(entry, bytes)?;
        return Ok(Retrieved { entries, display: entry.display.clone(), folder: None, notes: Vec::new(), patch: None });
    }
    let ReadComponent { document, display, folder, files, notes } = read_component(source, entry, name)?;
    let entries = Entries::of_document(&document);
    // Unless a patch is written, the files' bytes and the tree are done with once read.
    let patch = (keep == Keep::Patch).then_some((document, files));
    Ok(Retrieved { entries, display, folder, notes, patch })
}

/// A component read whole, its errors as the library's own types (for the JSON error's name).
fn read_component(source: &Source, entry: &Entry, name: &str) -> Result<ReadComponent> {
    let mut reader = source.reader()?;
    set_folder::read_component(source, &mut reader, entry, name).map_err(|e| match e {
        ReadComponentError::SetFolder(e) => e.into(),
        ReadComponentError::Source(e) => e.into(),
    })
}

/// The `gen` command line the file is compared with.
fn command_line(request: &Request, args: &Comparison) -> String {
    let r = &request.args;
    let flags = flags::GenFlags {
        integration: &request.integration,
        options: &request.options,
        features: &r.feature,
        objects: &r.object,
        fields: &r.field,
        output: r.output_kind,
        name: args.name.as_deref(),
    };
    format!("sfperms gen {}", flags.text())
}

fn status_word(status: Status) -> &'static str {
    match status {
        Status::Missing => "missing",
        Status::Excess => "excess",
        Status::Changed => "changed",
        Status::NotInRetrieve => "not in the retrieve",
    }
}

fn value(v: Option<&String>) -> String {
    v.map_or_else(|| "absent".to_string(), |v| format!("`{v}`"))
}

fn flag_text(flag: &FlagChange) -> String {
    let effect = match flag.effect {
        Effect::Missing => " (missing)",
        Effect::Excess => " (excess)",
        Effect::Value => "",
    };
    let field = if flag.field.is_empty() { "value" } else { flag.field.as_str() };
    format!("{field}: {} → {}{effect}", value(flag.actual.as_ref()), value(flag.expected.as_ref()))
}

/// The headline, counted by effect (`diff::counts`); `strong` marks the two counts that matter
/// (Markdown's `**`).
pub(super) fn headline(changes: &Changes, strong: &str) -> String {
    let c = changes.counts();
    format!(
        "{strong}{} missing{strong} (entries lacking access the integration needs) · {strong}{} excess{strong} (entries granting more than least privilege) · {} other changes · {} not in the retrieve",
        c.missing, c.excess, c.other, c.not_in_retrieve
    )
}

fn status_tone(status: Status) -> Tone {
    match status {
        Status::Missing => Tone::Missing,
        Status::Excess => Tone::Excess,
        Status::Changed => Tone::Changed,
        Status::NotInRetrieve => Tone::Faint,
    }
}

/// The report as text; written to memory (a project's report of several comparisons).
pub(super) fn text(o: &DiffReport, style: Style) -> String {
    let mut out = Vec::new();
    write_text(o, style, &mut out).expect("writing to memory does not fail");
    String::from_utf8(out).expect("the report is UTF-8")
}

/// The report as text, written as it is made: one change at a time.
pub(super) fn write_text(o: &DiffReport, style: Style, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    writeln!(out, "{}", style.paint(Tone::Heading, &format!("{} `{}`: {}", o.kind.type_name(), o.name, o.path)))?;
    let scope = if o.kind == OutputKind::Profile {
        format!(" (scope: {})", if o.scope == Scope::Full { "full" } else { "fragment" })
    } else {
        String::new()
    };
    writeln!(out, "compared with `{}`{scope}", o.command)?;
    if o.changes.is_equal() {
        writeln!(out, "\nno differences: the file grants what the integration needs, and nothing more")?;
    }
    let width = (0..o.changes.len()).map(|i| status_word(o.changes.status(i)).len()).max().unwrap_or(0).max(7);
    let pad = " ".repeat(width + 3);
    // Each status word padded and painted once.
    let statuses = [Status::Missing, Status::Excess, Status::Changed, Status::NotInRetrieve]
        .map(|status| style.paint(status_tone(status), &format!("{:<width$}", status_word(status))));
    let painted = |status: Status| match status {
        Status::Missing => &statuses[0],
        Status::Excess => &statuses[1],
        Status::Changed => &statuses[2],
        Status::NotInRetrieve => &statuses[3],
    };
    // Each group's heading before its first change.
    let changes: Vec<(Option<&str>, usize)> = o
        .changes
        .by_group()
        .into_iter()
        .flat_map(|(group, indexes)| indexes.into_iter().enumerate().map(move |(n, i)| ((n == 0).then_some(group), i)))
        .collect();
    render::write_in_order(out, &changes, |&(heading, i), out| {
        if let Some(group) = heading {
            line(out, &["\n", &style.paint(Tone::Heading, group)])?;
        }
        let change = o.changes.get(i);
        let key = if change.id.key.is_empty() { "(value)" } else { change.id.key.as_str() };
        line(out, &["  ", painted(change.status), " ", key])?;
        for flag in &change.flags {
            line(out, &[&pad, &flag_text(flag)])?;
        }
        for reason in &change.reasons {
            line(out, &[&pad, "why: ", &reasons::line(reason)])?;
        }
        if let Some(note) = &change.note {
            line(out, &[&pad, &style.paint(Tone::Warning, note)])?;
        }
        line(out, &[&pad, "fix: ", &change.fix])
    })?;
    writeln!(out, "\n{}", headline(&o.changes, ""))
}

/// Writes `parts` and a line end: a report of tens of thousands of changes is mostly these lines,
/// and plain writes cost less than formatting them.
fn line(out: &mut dyn std::io::Write, parts: &[&str]) -> std::io::Result<()> {
    for part in parts {
        out.write_all(part.as_bytes())?;
    }
    out.write_all(b"\n")
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', "<br>")
}

/// Longer than this, the vendor's sentences go behind a `<details>` so the table stays readable.
const LONG_WHY: usize = 80;

/// The Why cell: the reasons, or, when they are long, a short summary ("feature deploy; required
/// by ModifyMetadata") that opens onto the quotes.
fn why_cell(reasons: &[Reason]) -> String {
    let full: Vec<String> = reasons.iter().map(reasons::line).collect();
    let full = cell(&full.join("\n"));
    if full.chars().count() <= LONG_WHY {
        return full;
    }
    let short: Vec<String> = reasons
        .iter()
        .map(|r| match r {
            Reason::Requirement { context, .. } => reasons::context(context),
            Reason::CommandLine { asked } => reasons::asked_line(asked),
            Reason::Platform { .. } => "platform requirement".to_string(),
            Reason::Dependency { of, .. } => format!("required by {of}"),
        })
        .collect();
    format!("<details><summary>{}</summary>{full}</details>", cell(&short.join("; ")))
}

/// The report as Markdown; `level` is its heading's (`###`), the groups' one deeper.
pub(super) fn markdown(o: &DiffReport, level: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{level} sfperms diff: {} `{}`\n", o.kind.type_name(), o.name);
    let scope = if o.kind == OutputKind::Profile {
        format!(" (scope: {})", if o.scope == Scope::Full { "full" } else { "fragment" })
    } else {
        String::new()
    };
    let _ = writeln!(out, "`{}` compared with `{}`{scope}\n", o.path, o.command);
    let _ = writeln!(out, "{}", headline(&o.changes, "**"));
    if o.changes.is_equal() {
        let _ = writeln!(out, "\nNo differences: the file grants what the integration needs, and nothing more.");
    }
    for (group, indexes) in o.changes.by_group() {
        let _ = writeln!(out, "\n{level}# {group}\n");
        let _ = writeln!(out, "| Status | Entry | Details | Why | Fix |");
        let _ = writeln!(out, "| --- | --- | --- | --- | --- |");
        for change in indexes.into_iter().map(|i| o.changes.get(i)) {
            let mut details: Vec<String> = change.flags.iter().map(flag_text).collect();
            details.extend(change.note.clone());
            let why = why_cell(&change.reasons);
            let key = if change.id.key.is_empty() { "(value)".to_string() } else { format!("`{}`", change.id.key) };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                status_word(change.status),
                cell(&key),
                cell(&details.join("\n")),
                why,
                cell(&change.fix)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> DiffReport {
        let change = Change {
            id: sfperms::diff::EntryId { group: "userPermissions".into(), key: "ModifyAllData".into() },
            status: Status::Excess,
            flags: vec![],
            reasons: vec![],
            fix: "delete it".into(),
            note: None,
        };
        DiffReport {
            integration: "jetstream".into(),
            command: "sfperms gen --for jetstream".into(),
            kind: OutputKind::PermissionSet,
            name: "Jetstream_User".into(),
            path: "x.permissionset-meta.xml".into(),
            scope: Scope::Full,
            changes: {
                let mut changes = Changes::none(OutputKind::PermissionSet);
                changes.extend([change]);
                changes
            },
        }
    }

    #[test]
    fn colour_only_when_asked() {
        let coloured = text(&report(), Style { on: true });
        assert!(coloured.contains("\x1b[33mexcess \x1b[0m ModifyAllData"), "{coloured:?}");
        assert!(!text(&report(), Style { on: false }).contains('\x1b'));
    }

    #[test]
    fn markdown_cells_cannot_break_the_table() {
        assert_eq!(cell("a|b\nc"), "a\\|b<br>c");
    }
}
