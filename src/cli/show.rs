//! `sfperms show ID`: an integration's features and options, with descriptions, defaults and the
//! vendor sentences they come from.

use anyhow::Result;
use serde_json::json;
use sfperms::catalog::Catalog;

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
            "output": integration.output, "output-source": integration.output_source,
            "admin-shortcut": integration.admin_shortcut.as_ref().map(|s| json!({
                "source": s.source, "user-permissions": s.user_permissions, "note": s.note })),
            "options": options, "features": features,
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(0);
    }
    println!("{} — {}", integration.id, integration.name);
    println!("{}", integration.summary);
    println!();
    println!("Source document: {} ({})", integration.title, integration.document);
    if let Some(url) = &integration.vendor_url {
        println!("  {url}");
    }
    println!("Writes: a {} by default", integration.output.word());
    if let Some(quote) = &integration.output_source {
        println!("  \"{quote}\"");
    }
    if let Some(shortcut) = &integration.admin_shortcut {
        println!();
        println!("The page's shortcut: \"{}\"", shortcut.source);
        println!("  would grant instead: {}", shortcut.note);
    }
    println!();
    if integration.options.is_empty() {
        println!("Options: none");
    } else {
        println!("Options:");
    }
    for option in &integration.options {
        let values = option.kind.value_hint();
        let status = match (&option.default, option.required) {
            (Some(d), _) => format!(" (default: {d})"),
            (None, true) => " (required)".into(),
            (None, false) => " (optional)".into(),
        };
        println!("  --{} {values}{status}", option.name);
        println!("      {}", option.description);
        for (value, description) in &option.value_descriptions {
            println!("      {value}: {description}");
        }
        if let Some(quote) = &option.source {
            println!("      source: \"{quote}\"");
        }
        if let Some(why) = &option.unverified {
            println!("      UNVERIFIED: {why}");
        }
    }
    println!();
    if integration.features.is_empty() {
        println!("Features: none (every use needs the same access)");
    } else {
        println!("Features (--feature NAME, repeatable, or --feature all):");
    }
    for feature in &integration.features {
        println!("  {}", feature.name);
        println!("      {}", feature.description);
        if !feature.aliases.is_empty() {
            println!("      also: {}", feature.aliases.join(", "));
        }
        if !feature.implies.is_empty() {
            println!("      turns on: {}", feature.implies.join(", "));
        }
        if let Some(quote) = &feature.source {
            println!("      source: \"{quote}\"");
        }
    }
    Ok(0)
}
