//! `sfperms explain`: every grant with its reasons, the choices among alternatives, what was
//! mapped or left out and why, warnings, and a query that verifies the connected user. Text,
//! Markdown (for a pull request) or JSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::Result;
use serde_json::json;
use sfperms::access::Item;
use sfperms::catalog::{Catalog, Integration};
use sfperms::platform::permissions::{self, Risk};
use sfperms::solver::{Plan, Reason};

use super::args::{ExplainArgs, ExplainFormat};
use super::request;

pub fn run(catalog: &Catalog, args: &ExplainArgs, options: BTreeMap<String, String>, as_json: bool) -> Result<u8> {
    let (integration, plan) = request::plan(catalog, &args.request, options)?;
    if as_json {
        let doc = json!({
            "integration": integration.id,
            "document": integration.document,
            "plan": plan,
            "high-risk": high_risk(&plan).iter().map(|(n, r, why)| json!({"name": n, "rank": r, "why": why})).collect::<Vec<_>>(),
            "verification-query": plan.verification_query(),
            "admin-shortcut": integration.admin_shortcut.as_ref().map(|s| json!({"source": s.source, "note": s.note})),
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(0);
    }
    let text = render(integration, &plan, matches!(args.format, ExplainFormat::Markdown));
    print!("{text}");
    Ok(0)
}

fn high_risk(plan: &Plan) -> Vec<(&str, u32, &'static str)> {
    plan.user_permissions()
        .filter_map(|n| {
            let p = permissions::privilege(n);
            (p.risk == Risk::High).then_some((n, p.rank, p.why))
        })
        .collect()
}

pub(super) fn reason_text(reason: &Reason) -> String {
    match reason {
        Reason::Requirement { context, quote, via, flag } => {
            let mut s = format!("{context}: \"{quote}\"");
            if let Some(flag) = flag {
                let _ = write!(s, " (access from {flag})");
            }
            if let Some(via) = via {
                let _ = write!(s, " — {via}");
            }
            s
        }
        Reason::CommandLine { flag } => format!("asked for with {flag}"),
        Reason::Dependency { of, source } => format!("dependency of {of} ({source})"),
    }
}

fn item_title(item: &Item) -> String {
    match item {
        Item::UserPermission(name) => match permissions::label(name) {
            Some(label) => format!("{name} ({label})"),
            None => name.clone(),
        },
        other => other.to_string(),
    }
}

/// The explanation as text, or as Markdown when `markdown`.
pub fn render(integration: &Integration, plan: &Plan, markdown: bool) -> String {
    let (h1, h2, bullet, quote_open) = if markdown { ("# ", "\n## ", "- ", "> ") } else { ("", "\n", "  ", "  ") };
    let mut out = String::new();
    let mut choices: Vec<String> = plan.options.iter().map(|(k, v)| format!("--{k} {v}")).collect();
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
    let _ = writeln!(out, "{quote_open}Dependencies: {}", plan.dependencies);

    let _ = writeln!(out, "{h2}Grants ({})", plan.grants.len());
    for (item, reasons) in &plan.grants {
        let risk = match item {
            Item::UserPermission(name) => {
                let p = permissions::privilege(name);
                match p.risk {
                    Risk::High => format!(" [high risk, rank {}]", p.rank),
                    Risk::Medium => format!(" [medium risk, rank {}]", p.rank),
                    Risk::Low => String::new(),
                }
            }
            _ => String::new(),
        };
        let _ = writeln!(out, "{bullet}{}{risk}", item_title(item));
        for reason in reasons {
            let _ = writeln!(out, "{}    - {}", if markdown { "" } else { "  " }, reason_text(reason));
        }
    }

    let risky = high_risk(plan);
    if !risky.is_empty() {
        let _ = writeln!(out, "{h2}High-risk permissions");
        for (name, rank, why) in risky {
            let _ = writeln!(out, "{bullet}{name} (rank {rank}): {why}");
        }
    }

    if !plan.choices.is_empty() {
        let _ = writeln!(out, "{h2}Choices among alternatives");
        for choice in &plan.choices {
            let _ = writeln!(out, "{bullet}{}: \"{}\"", choice.context, choice.quote);
            let _ = writeln!(out, "{}    {}", if markdown { "" } else { "  " }, choice.why);
        }
    }

    if !plan.notes.is_empty() {
        let _ = writeln!(out, "{h2}Mapped, left out, always accessible");
        for note in &plan.notes {
            let kind =
                serde_json::to_value(&note.kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
            let _ = writeln!(out, "{bullet}[{kind}] {}: {}", note.subject, note.message);
        }
    }

    if let Some(shortcut) = &integration.admin_shortcut {
        let _ = writeln!(out, "{h2}Instead of the page's shortcut");
        let _ = writeln!(out, "{bullet}\"{}\"", shortcut.source);
        let _ = writeln!(out, "{bullet}would grant: {}", shortcut.note);
    }

    if !plan.warnings.is_empty() {
        let _ = writeln!(out, "{h2}Warnings");
        for warning in &plan.warnings {
            let _ = writeln!(out, "{bullet}{warning}");
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
