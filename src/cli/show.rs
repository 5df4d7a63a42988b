//! `sfperms show ID`: an integration's features and options, with descriptions, defaults, the
//! vendor sentences they come from and what each grants (unverified ones flagged), the
//! combinations the document rules out, and what its "System Administrator" shortcut would grant.

use anyhow::Result;
use serde_json::json;
use sfperms::catalog::{Catalog, Integration, OptionKind, Template};
use sfperms::platform::permissions;

use super::request;

pub fn run(catalog: &Catalog, id: &str, as_json: bool) -> Result<u8> {
    let integration = request::integration(catalog, id)?;
    if as_json {
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
        let doc = json!({
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
        });
        return super::envelope::print_result(0, &doc, &[]);
    }
    outln!("{} — {}", integration.id, integration.name);
    outln!("{}", integration.summary);
    outln!();
    for (index, source) in integration.sources.iter().enumerate() {
        let heading = if index == 0 { "Source document" } else { "Also cites" };
        outln!("{heading}: {} ({})", source.title, source.file);
        if let Some(url) = &source.address {
            outln!("  {url}");
        }
        if let Some(read) = &source.read {
            outln!("  read {read}; the file keeps only the sentences quoted");
        }
    }
    outln!("Writes: a {} by default", integration.output.word());
    if let Some(quote) = &integration.output_source {
        outln!("  \"{quote}\"");
    }
    for line in connection_lines(integration) {
        outln!("{line}");
    }
    if let Some(shortcut) = &integration.admin_shortcut {
        outln!();
        outln!("The page's shortcut: \"{}\"", shortcut.source);
        outln!("  would grant instead: {}", shortcut.note);
        outln!("  among them: {}", shortcut.user_permissions.join(", "));
    }
    outln!();
    if integration.options.is_empty() {
        outln!("Options: none");
    } else {
        outln!("Options:");
    }
    for option in &integration.options {
        let values = option.kind.value_hint();
        let status = match (&option.default, option.required) {
            (Some(d), _) => format!(" (default: {d})"),
            (None, true) => " (required)".into(),
            (None, false) => " (optional)".into(),
        };
        outln!("  --{} {values}{status}", option.name);
        outln!("      {}", option.description);
        // In the order the values are listed, not alphabetically.
        let order: Vec<&String> = match &option.kind {
            OptionKind::Choice(values) => values.iter().collect(),
            _ => option.value_descriptions.keys().collect(),
        };
        for value in order {
            if let Some(description) = option.value_descriptions.get(value) {
                outln!("      {value}: {description}");
            }
        }
        if let Some(quote) = &option.source {
            outln!("      source: \"{quote}\"");
        }
        if let Some(why) = &option.unverified {
            outln!("      UNVERIFIED: {why}");
        }
    }
    outln!();
    if integration.features.is_empty() {
        outln!("Features: none (every use needs the same access)");
    } else {
        outln!("Features (--feature NAME, repeatable, or --feature all):");
    }
    for feature in &integration.features {
        outln!("  {}", feature.name);
        outln!("      {}", feature.description);
        if !feature.aliases.is_empty() {
            outln!("      also: {}", feature.aliases.join(", "));
        }
        if !feature.implies.is_empty() {
            outln!("      turns on: {}", feature.implies.join(", "));
        }
        if let Some(quote) = &feature.source {
            outln!("      source: \"{quote}\"");
        }
        for line in grant_lines(integration, Some(&feature.name)) {
            outln!("      {line}");
        }
    }
    let always = grant_lines(integration, None);
    if !always.is_empty() {
        outln!();
        outln!("Granted whatever the features (by option where noted):");
        for line in always {
            outln!("  {line}");
        }
    }
    if !integration.package_permission_sets.is_empty() {
        outln!();
        outln!("The vendor's own permission sets, to assign as well (sfperms does not write them):");
        for set in &integration.package_permission_sets {
            let note = set.note.as_ref().map(|n| format!(": {n}")).unwrap_or_default();
            outln!("  {}{note}", set.name);
            outln!("      source: \"{}\"", set.source);
        }
    }
    if !integration.conflicts.is_empty() {
        outln!();
        outln!("Where the vendor's documents disagree:");
        for conflict in &integration.conflicts {
            outln!("  {}", conflict.subject);
            for side in &conflict.sides {
                outln!("      \"{}\" ({}): {}", side.source, side.document, side.says);
            }
            outln!("      followed: {}", conflict.resolution);
        }
    }
    if !integration.rule_outs.is_empty() {
        outln!();
        outln!("Ruled out (an input error):");
        for rule in &integration.rule_outs {
            outln!("  {}: {}", condition_text(&rule.options), rule.message);
            outln!("      source: \"{}\"", rule.source);
        }
    }
    Ok(0)
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
    options.iter().map(|(k, v)| format!("--{k} {}", v.join("|"))).collect::<Vec<_>>().join(" ")
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
