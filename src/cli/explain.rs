//! `sfperms explain`: every grant with its reasons (the vendor sentence, or the chain of
//! dependencies that pulled it in), the privilege of each risky permission, the choices among
//! alternatives, what was mapped or left out and why, unverified names, warnings, and a query that
//! verifies the connected user. Text, Markdown (for a pull request) or JSON. Rendering only: the
//! reasons come from the solver's `Plan`.

use std::fmt::Write as _;

use anyhow::Result;
use serde_json::json;
use sfperms::access::Item;
use sfperms::catalog::{Catalog, Conflict, Integration};
use sfperms::platform::connected_apps;
use sfperms::platform::permissions::{self, Risk};
use sfperms::solver::{Note, NoteKind, Plan, Warning};

use super::config::Request;
use super::render::{self, Format, Report};
use super::request;
use super::style::Style;
use super::warnings;

/// An integration's plan, as `explain` reports it.
struct Explained<'a> {
    integration: &'a Integration,
    plan: Plan,
}

pub fn run(catalog: &Catalog, request: &Request, format: Format) -> Result<u8> {
    let (integration, plan) = request::plan(catalog, request)?;
    render::print(&Explained { integration, plan }, format)
}

impl Report for Explained<'_> {
    fn warnings(&self) -> Vec<String> {
        warnings::texts(&self.plan)
    }

    fn json(&self) -> Result<serde_json::Value> {
        let (integration, plan) = (self.integration, &self.plan);
        let (unverified, other) = split_warnings(plan);
        Ok(json!({
            "integration": integration.id,
            "document": integration.document,
            "sources": integration.sources,
            "plan": super::plan_json::json(plan),
            "risky": risky(plan).iter().map(|(n, p)| json!({"name": n, "label": permissions::label(n), "risk": p.risk, "rank": p.rank, "why": p.why})).collect::<Vec<_>>(),
            "unverified": unverified.iter().map(|w| warnings::text(w)).collect::<Vec<_>>(),
            "other-warnings": other.iter().map(|w| warnings::text(w)).collect::<Vec<_>>(),
            "verification-query": plan.verification_query(),
            "admin-shortcut": integration.admin_shortcut.as_ref().map(|s| json!({"source": s.source, "user-permissions": s.user_permissions, "note": s.note})),
            "connects-through-api": integration.connects_through_api,
            "connected-app": integration.connected_app,
            "integration-licence": integration.integration_licence,
        }))
    }

    fn human(&self, format: Format, _: Style) -> Result<String> {
        match format {
            Format::Text => Ok(explanation(self.integration, &self.plan, false)),
            Format::Markdown => Ok(explanation(self.integration, &self.plan, true)),
            other => render::unsupported(other),
        }
    }
}

/// The granted user permissions rated medium or high risk, riskiest first.
fn risky(plan: &Plan) -> Vec<(&str, permissions::Privilege)> {
    let mut out: Vec<(&str, permissions::Privilege)> =
        plan.user_permissions().map(|n| (n, permissions::privilege(n))).filter(|(_, p)| p.risk != Risk::Low).collect();
    out.sort_by(|a, b| b.1.rank.cmp(&a.1.rank).then(a.0.cmp(b.0)));
    out
}

/// Warnings that flag an unverified name or rule, and the rest.
fn split_warnings(plan: &Plan) -> (Vec<&Warning>, Vec<&Warning>) {
    plan.warnings.iter().partition(|w| w.unverified())
}

fn item_title(item: &Item) -> String {
    match item {
        Item::UserPermission(name) => {
            let label = permissions::label(name).map(|l| format!(" ({l})")).unwrap_or_default();
            let p = permissions::privilege(name);
            let risk = match p.risk {
                Risk::High => format!(" [high risk, rank {}]", p.rank),
                Risk::Medium => format!(" [medium risk, rank {}]", p.rank),
                Risk::Low => String::new(),
            };
            format!("{name}{label}{risk}")
        }
        other => other.to_string(),
    }
}

/// Headings for the kinds of notes, in the order they are shown.
const NOTE_SECTIONS: [(NoteKind, &str); 7] = [
    (NoteKind::Mapped, "Mapped: not an object permission, granted another way"),
    (NoteKind::Implicit, "Nothing to grant: the platform gives it with the parent record"),
    (NoteKind::AlwaysAccessible, "Always accessible: never in fieldPermissions"),
    (NoteKind::Reduced, "Granted with less than asked"),
    (NoteKind::Unsupported, "Left out: cannot be granted narrowly"),
    (NoteKind::NeedsOption, "Not granted: an option is missing"),
    (NoteKind::NotMappable, "Vendor sentences that map to no grant"),
];

fn note_line(note: &Note) -> String {
    if note.kind == NoteKind::NotMappable {
        format!("\"{}\": {}", note.subject, warnings::note_text(&note.message))
    } else {
        format!("{}: {}", note.subject, warnings::note_text(&note.message))
    }
}

/// Where the vendor's documents disagree: each subject after `bullet`, each side and what was
/// followed after `sub` (shared with `show`).
pub(super) fn conflict_lines(out: &mut String, conflicts: &[Conflict], bullet: &str, sub: &str) {
    for conflict in conflicts {
        let _ = writeln!(out, "{bullet}{}", conflict.subject);
        for side in &conflict.sides {
            let _ = writeln!(out, "{sub}\"{}\" ({}): {}", side.source, side.document, side.says);
        }
        let _ = writeln!(out, "{sub}followed: {}", conflict.resolution);
    }
}

/// The explanation as text, or as Markdown when `markdown`.
fn explanation(integration: &Integration, plan: &Plan, markdown: bool) -> String {
    let (h1, h2, bullet, sub, quote_open) =
        if markdown { ("# ", "\n## ", "- ", "    - ", "> ") } else { ("", "\n", "  ", "      - ", "  ") };
    let mut out = String::new();
    let mut choices: Vec<String> = plan.options.iter().map(|(k, v)| super::flags::option(k, v)).collect();
    if !plan.features.is_empty() {
        choices.push(format!("features: {}", plan.features.join(", ")));
    }
    let _ = writeln!(
        out,
        "{h1}{} as a {}{}",
        integration.id,
        plan.output.word(),
        if choices.is_empty() { String::new() } else { format!(" ({})", choices.join("; ")) }
    );
    let _ = writeln!(out, "{quote_open}Source: {} ({})", integration.title, integration.document);
    for (index, source) in integration.sources.iter().enumerate() {
        if index > 0 {
            let _ = writeln!(out, "{quote_open}Also: {} ({})", source.title, source.file);
        }
        if let (Some(address), Some(read)) = (&source.address, &source.read) {
            let _ = writeln!(out, "{quote_open}  {address} (read {read})");
        }
    }
    if markdown {
        let _ = writeln!(out, ">");
    }
    let _ = writeln!(out, "{quote_open}Dependencies: {}", plan.dependencies);
    if let Some(fields) = &plan.fields {
        let _ = writeln!(out, "{quote_open}Fields: {fields}, for the objects it lists");
    }

    let _ = writeln!(out, "{h2}Grants ({})", plan.grants.len());
    for (item, reasons) in &plan.grants {
        let _ = writeln!(out, "{bullet}{}", item_title(item));
        for line in super::reasons::lines(item, reasons) {
            let _ = writeln!(out, "{sub}{line}");
        }
    }

    let risky = risky(plan);
    if !risky.is_empty() {
        let _ = writeln!(out, "{h2}Privilege of the risky permissions (rank 0-100)");
        for (name, p) in risky {
            let risk = if p.risk == Risk::High { "high" } else { "medium" };
            let _ = writeln!(out, "{bullet}{name}: {risk} risk, rank {}: {}", p.rank, p.why);
        }
    }

    if !plan.choices.is_empty() {
        let _ = writeln!(out, "{h2}Choices among alternatives");
        for choice in &plan.choices {
            let _ = writeln!(out, "{bullet}{}: \"{}\"", super::reasons::context(&choice.context), choice.quote);
            let _ = writeln!(out, "{sub}{}", choice.why);
        }
    }

    for (kind, heading) in NOTE_SECTIONS {
        let notes: Vec<&Note> = plan.notes.iter().filter(|n| n.kind == kind).collect();
        if notes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{h2}{heading}");
        for note in notes {
            let _ = writeln!(out, "{bullet}{}", note_line(note));
        }
    }

    if !plan.conflicts.is_empty() {
        let _ = writeln!(out, "{h2}Where the vendor's documents disagree");
        conflict_lines(&mut out, &plan.conflicts, bullet, sub);
    }

    if !plan.package_permission_sets.is_empty() {
        let _ = writeln!(out, "{h2}The vendor's own permission sets: assign them too (sfperms does not write them)");
        for set in &plan.package_permission_sets {
            let note = set.note.as_ref().map(|n| format!(": {n}")).unwrap_or_default();
            let _ = writeln!(out, "{bullet}{}{note}", set.name);
            let _ = writeln!(out, "{sub}\"{}\"", set.source);
        }
    }

    if integration.connected_app.is_some() || integration.integration_licence.is_some() || plan.licence.is_some() {
        let _ = writeln!(out, "{h2}Connection and licence");
        if let Some(licence) = &plan.licence {
            let _ = writeln!(
                out,
                "{bullet}for a user on the Salesforce Integration user licence: the permission set is tied to the \"{licence}\" permission set licence (assign that licence to the user first; Salesforce Help, \"Give Integration Users API Only Access\")"
            );
        }
        if let Some(app) = &integration.connected_app {
            let name = app.name.as_ref().map(|n| format!(" ({n})")).unwrap_or_default();
            let _ = writeln!(out, "{bullet}authorizes through an OAuth connected app{name}: \"{}\"", app.source);
            if let Some(note) = &app.note {
                let _ = writeln!(out, "{sub}{note}");
            }
            let _ = writeln!(out, "{sub}recommended: {}", connected_apps::INSTALL_AND_PRE_AUTHORIZE);
            let _ = writeln!(out, "{sub}not in this file: {}", connected_apps::NOT_IN_THIS_FILE);
            let _ = writeln!(out, "{sub}the alternative: {}", connected_apps::APPROVE_UNINSTALLED);
            for rule in connected_apps::RULES {
                let _ = writeln!(out, "{sub}since {}: {} (source: {})", rule.since, rule.rule, rule.source);
            }
        }
        if let Some(licence) = &integration.integration_licence {
            let verdict = if licence.accepts { "accepts" } else { "does not accept" };
            let _ = writeln!(
                out,
                "{bullet}the vendor {verdict} the Salesforce Integration user licence: \"{}\"",
                licence.source
            );
            if let Some(note) = &licence.note {
                let _ = writeln!(out, "{sub}{note}");
            }
        }
    }

    if let Some(shortcut) = &integration.admin_shortcut {
        let _ = writeln!(out, "{h2}Instead of the page's shortcut");
        let _ = writeln!(out, "{bullet}\"{}\"", shortcut.source);
        let _ = writeln!(out, "{bullet}would grant: {}", shortcut.note);
    }

    let (unverified, other) = split_warnings(plan);
    if !unverified.is_empty() {
        let _ = writeln!(out, "{h2}Unverified: check before deploying");
        for warning in unverified {
            let _ = writeln!(out, "{bullet}{}", warnings::body(warning));
        }
    }
    if !other.is_empty() {
        let _ = writeln!(out, "{h2}Warnings");
        for warning in other {
            let _ = writeln!(out, "{bullet}{}", warnings::text(warning));
        }
    }

    if let Some(query) = plan.verification_query() {
        let _ = writeln!(out, "{h2}Verify the connected user");
        let _ = writeln!(out, "{quote_open}Run as the integration user; every column must be true:");
        if markdown {
            let _ = writeln!(out, "\n```sql\n{query}\n```");
        } else {
            let _ = writeln!(out, "  {query}");
        }
    }
    out
}
