//! `sfperms show ID`: an integration's features and options, with descriptions, defaults, the
//! vendor sentences they come from and what each grants (unverified ones flagged), the
//! combinations the document rules out, and what its "System Administrator" shortcut would grant.

use std::fmt::Write as _;

use anyhow::Result;
use serde_json::json;
use sfperms::catalog::{Catalog, Integration, OptionKind, Template};
use sfperms::platform::permissions;

use super::render::{self, Format, Report};
use super::request;
use super::style::Style;

/// One integration, as `show` reports it.
struct Shown<'a>(&'a Integration);

pub fn run(catalog: &Catalog, id: &str, format: Format) -> Result<u8> {
    render::print(&Shown(request::integration(catalog, id)?), format)
}

impl Report for Shown<'_> {
    fn json(&self) -> Result<serde_json::Value> {
        let integration = self.0;
        let options: Vec<_> = integration
            .options
            .iter()
            .map(|o| {
                json!({
                    "name": o.name, "description": o.description, "kind": o.kind, "default": o.default,
                    "required": o.required, "value-descriptions": o.value_descriptions, "source": o.source,
                    "unverified": o.unverified,
                })
            })
            .collect();
        let features: Vec<_> = integration
            .features
            .iter()
            .map(|f| json!({ "name": f.name, "description": f.description, "implies": f.implies, "aliases": f.aliases, "source": f.source }))
            .collect();
        Ok(json!({
            "id": integration.id, "name": integration.name, "summary": integration.summary,
            "document": integration.document, "title": integration.title, "vendor-url": integration.vendor_url,
            "sources": integration.sources,
            "package-permission-sets": integration.package_permission_sets,
            "conflicts": integration.conflicts,
            "output": integration.output, "output-source": integration.output_source,
            "admin-shortcut": integration.admin_shortcut.as_ref().map(|s| json!({
                "source": s.source, "user-permissions": s.user_permissions, "note": s.note })),
            "connects-through-api": integration.connects_through_api,
            "connected-app": integration.connected_app, "integration-licence": integration.integration_licence,
            "options": options, "features": features,
            "requirements": integration.requirements.iter().map(|r| json!({
                "features": r.condition.features, "when": r.condition.options,
                "grants-one-of": r.alternatives.iter().map(|alt| alt.iter().map(template_text).collect::<Vec<_>>()).collect::<Vec<_>>(),
                "source": r.source, "unverified": r.unverified, "note": r.note,
            })).collect::<Vec<_>>(),
            "rule-outs": integration.rule_outs.iter().map(|r| json!({
                "when": r.options, "message": r.message, "source": r.source,
            })).collect::<Vec<_>>(),
        }))
    }

    fn human(&self, _: Format, _: Style) -> Result<String> {
        let integration = self.0;
        let mut out = String::new();
        let _ = writeln!(out, "{} — {}", integration.id, integration.name);
        let _ = writeln!(out, "{}", integration.summary);
        let _ = writeln!(out);
        for (index, source) in integration.sources.iter().enumerate() {
            let heading = if index == 0 { "Source document" } else { "Also cites" };
            let _ = writeln!(out, "{heading}: {} ({})", source.title, source.file);
            if let Some(url) = &source.address {
                let _ = writeln!(out, "  {url}");
            }
            if let Some(read) = &source.read {
                let _ = writeln!(out, "  read {read}; the file keeps only the sentences quoted");
            }
        }
        let _ = writeln!(out, "Writes: a {} by default", integration.output.word());
        if let Some(quote) = &integration.output_source {
            let _ = writeln!(out, "  \"{quote}\"");
        }
        for line in connection_lines(integration) {
            let _ = writeln!(out, "{line}");
        }
        if let Some(shortcut) = &integration.admin_shortcut {
            let _ = writeln!(out);
            let _ = writeln!(out, "The page's shortcut: \"{}\"", shortcut.source);
            let _ = writeln!(out, "  would grant instead: {}", shortcut.note);
            let _ = writeln!(out, "  among them: {}", shortcut.user_permissions.join(", "));
        }
        let _ = writeln!(out);
        if integration.options.is_empty() {
            let _ = writeln!(out, "Options: none");
        } else {
            let _ = writeln!(out, "Options:");
        }
        for option in &integration.options {
            let values = option.kind.value_hint();
            let status = match (&option.default, option.required) {
                (Some(d), _) => format!(" (default: {d})"),
                (None, true) => " (required)".into(),
                (None, false) => " (optional)".into(),
            };
            let _ = writeln!(out, "  --{} {values}{status}", option.name);
            let _ = writeln!(out, "      {}", option.description);
            // In the order the values are listed, not alphabetically.
            let order: Vec<&String> = match &option.kind {
                OptionKind::Choice(values) => values.iter().collect(),
                _ => option.value_descriptions.keys().collect(),
            };
            for value in order {
                if let Some(description) = option.value_descriptions.get(value) {
                    let _ = writeln!(out, "      {value}: {description}");
                }
            }
            if let Some(quote) = &option.source {
                let _ = writeln!(out, "      source: \"{quote}\"");
            }
            if let Some(why) = &option.unverified {
                let _ = writeln!(out, "      UNVERIFIED: {why}");
            }
        }
        let _ = writeln!(out);
        if integration.features.is_empty() {
            let _ = writeln!(out, "Features: none (every use needs the same access)");
        } else {
            let _ = writeln!(out, "Features (--feature NAME, repeatable, or --feature all):");
        }
        for feature in &integration.features {
            let _ = writeln!(out, "  {}", feature.name);
            let _ = writeln!(out, "      {}", feature.description);
            if !feature.aliases.is_empty() {
                let _ = writeln!(out, "      also: {}", feature.aliases.join(", "));
            }
            if !feature.implies.is_empty() {
                let _ = writeln!(out, "      turns on: {}", feature.implies.join(", "));
            }
            if let Some(quote) = &feature.source {
                let _ = writeln!(out, "      source: \"{quote}\"");
            }
            for line in grant_lines(integration, Some(&feature.name)) {
                let _ = writeln!(out, "      {line}");
            }
        }
        let always = grant_lines(integration, None);
        if !always.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(out, "Granted whatever the features (by option where noted):");
            for line in always {
                let _ = writeln!(out, "  {line}");
            }
        }
        if !integration.package_permission_sets.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(out, "The vendor's own permission sets, to assign as well (sfperms does not write them):");
            for set in &integration.package_permission_sets {
                let note = set.note.as_ref().map(|n| format!(": {n}")).unwrap_or_default();
                let _ = writeln!(out, "  {}{note}", set.name);
                let _ = writeln!(out, "      source: \"{}\"", set.source);
            }
        }
        if !integration.conflicts.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(out, "Where the vendor's documents disagree:");
            super::explain::conflict_lines(&mut out, &integration.conflicts, "  ", "      ");
        }
        if !integration.rule_outs.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(out, "Ruled out (an input error):");
            for rule in &integration.rule_outs {
                let _ = writeln!(out, "  {}: {}", condition_text(&rule.options), rule.message);
                let _ = writeln!(out, "      source: \"{}\"", rule.source);
            }
        }
        Ok(out)
    }
}

/// How the integration connects and which licence it takes: the catalog's `connects-through-api`,
/// `[connected-app]` and `[integration-licence]`, with their quotes.
fn connection_lines(integration: &Integration) -> Vec<String> {
    let mut lines = Vec::new();
    if integration.connects_through_api {
        lines.push("Connects through the API: API Enabled is granted as a platform requirement".to_string());
    }
    if let Some(app) = &integration.connected_app {
        let name = app.name.as_ref().map(|n| format!(" ({n})")).unwrap_or_default();
        lines.push(format!("Connected app: authorizes through an OAuth connected app{name}"));
        lines.push(format!("  \"{}\"", app.source));
        lines.extend(app.note.iter().map(|n| format!("  {n}")));
    }
    if let Some(licence) = &integration.integration_licence {
        let verdict = if licence.accepts { "accepted" } else { "not accepted" };
        lines.push(format!("Salesforce Integration user licence: {verdict} by the vendor"));
        lines.push(format!("  \"{}\"", licence.source));
        lines.extend(licence.note.iter().map(|n| format!("  {n}")));
    }
    lines
}

/// `--protocol custom --identity per-user`.
fn condition_text(options: &std::collections::BTreeMap<String, Vec<String>>) -> String {
    options.iter().map(|(k, v)| super::flags::option(k, &v.join("|"))).collect::<Vec<_>>().join(" ")
}

fn template_text(template: &Template) -> String {
    match template {
        Template::UserPermission(name) => match permissions::label(name) {
            Some(label) => format!("{name} ({label})"),
            None => name.clone(),
        },
        Template::Object(object, accesses) => {
            format!("{object}: {}", accesses.iter().map(|a| a.word()).collect::<Vec<_>>().join(", "))
        }
        Template::Field(field, access) => format!("{field}: {}", access.word()),
        Template::ApexClass(class) => format!("Apex class {class}"),
        Template::ExternalCredentialPrincipal(principal) => format!("principal access {principal}"),
    }
}

/// What the requirements of one feature (or, with `None`, of no feature) grant, one line each.
fn grant_lines(integration: &Integration, feature: Option<&str>) -> Vec<String> {
    let mut lines = Vec::new();
    for requirement in &integration.requirements {
        let features = &requirement.condition.features;
        let applies = match feature {
            Some(name) => features.iter().any(|f| f == name),
            None => features.is_empty(),
        };
        if !applies {
            continue;
        }
        let alternatives: Vec<String> = requirement
            .alternatives
            .iter()
            .map(|alt| alt.iter().map(template_text).collect::<Vec<_>>().join(" + "))
            .collect();
        let mut line = if alternatives.len() > 1 {
            format!("grants one of: {} (the least privileged)", alternatives.join(" | "))
        } else {
            format!("grants {}", alternatives.join(""))
        };
        if !requirement.condition.options.is_empty() {
            line.push_str(&format!(" when {}", condition_text(&requirement.condition.options)));
        }
        if requirement.unverified.is_some() {
            line.push_str(" [UNVERIFIED]");
        }
        lines.push(line);
    }
    lines
}
