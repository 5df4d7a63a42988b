//! How a grant's reasons read: one line per reason for `diff`, the grouped lines of `explain`
//! (the vendor's sentences, the shortest chain back to one, the grants that require it by source),
//! and each reason in `--json` (contexts and requests worded as flags).

use std::fmt::Write as _;

use serde_json::{Value, json};
use sfperms::access::Item;
use sfperms::platform::dependencies::DependencySource;
use sfperms::solver::{ChainLink, Chosen, Context, Reason};

use super::flags;

/// What made a requirement apply: `always`, `feature deploy, --sync two-way`, `platform
/// requirement`, `command line`.
pub(super) fn context(context: &Context) -> String {
    match context {
        Context::Always => "always".into(),
        Context::Platform => "platform requirement".into(),
        Context::CommandLine => "command line".into(),
        Context::When(parts) => {
            let words: Vec<String> = parts
                .iter()
                .map(|part| match part {
                    Chosen::Features(names) => {
                        names.iter().map(|n| format!("feature {n}")).collect::<Vec<_>>().join(", ")
                    }
                    Chosen::Option { name, value } => flags::option(name, value),
                })
                .collect();
            words.join(", ")
        }
    }
}

/// One link of a dependency chain: the grant, the context, or the flag that started it.
fn chain_link(link: &ChainLink) -> String {
    match link {
        ChainLink::Grant(name) => name.clone(),
        ChainLink::Context(c) => context(c),
        ChainLink::Asked(asked) => flags::asked(asked),
    }
}

/// A reason as `--json` lists it (`kind` first by name: requirement, command-line, platform,
/// dependency).
pub(super) fn json(reason: &Reason) -> Value {
    match reason {
        Reason::Requirement { context: c, quote, via, asked } => {
            let mut value = json!({ "kind": "requirement", "context": context(c), "quote": quote });
            if let Some(via) = via {
                value["via"] = json!(via);
            }
            if let Some(asked) = asked {
                value["flag"] = json!(flags::asked(asked));
            }
            value
        }
        Reason::CommandLine { asked } => json!({ "kind": "command-line", "flag": flags::asked(asked) }),
        Reason::Platform { need, why, source } => {
            json!({ "kind": "platform", "need": need, "why": why, "source": source })
        }
        Reason::Dependency { of, source, chain } => json!({
            "kind": "dependency", "of": of, "source": source,
            "chain": chain.iter().map(chain_link).collect::<Vec<_>>(),
        }),
    }
}

/// Where a dependency pair comes from, in words.
fn dependency_source(source: &DependencySource) -> String {
    match source {
        DependencySource::SetupTooltip => "Setup's \"requires\" tooltip, built-in table".into(),
        DependencySource::DeployError => "a quoted Salesforce deploy error, built-in table".into(),
        other => other.to_string(),
    }
}

fn requirement_text(
    when: &Context,
    quote: &impl std::fmt::Display,
    via: &Option<String>,
    asked: &Option<sfperms::solver::Asked>,
) -> String {
    let mut s = format!("{}: \"{quote}\"", context(when));
    if let Some(asked) = asked {
        let _ = write!(s, " (access from {})", flags::asked(asked));
    }
    if let Some(via) = via {
        let _ = write!(s, " — {via}");
    }
    s
}

fn platform_text(why: &str, source: &str) -> String {
    format!("platform requirement: {why} (source: {source})")
}

/// One reason on one line (diff's "why" column; explain's line for a direct reason).
pub(super) fn line(reason: &Reason) -> String {
    match reason {
        Reason::Requirement { context, quote, via, asked } => requirement_text(context, quote, via, asked),
        Reason::CommandLine { asked } => asked_line(asked),
        Reason::Platform { why, source, .. } => platform_text(why, source),
        Reason::Dependency { of, source, .. } => format!("required by {of} ({})", dependency_source(source)),
    }
}

/// `asked for with --object Account:edit`.
pub(super) fn asked_line(asked: &sfperms::solver::Asked) -> String {
    format!("asked for with {}", flags::asked(asked))
}

/// `ViewRoles ← ViewSetup ← ModifyMetadata ← feature deploy`.
fn chain_text(item: &Item, chain: &[ChainLink]) -> String {
    let words = chain.iter().map(|c| match c {
        ChainLink::Context(Context::Always) => "every use".to_string(),
        other => chain_link(other),
    });
    std::iter::once(item.to_string()).chain(words).collect::<Vec<_>>().join(" ← ")
}

/// One grant's reasons as lines. A grant the vendor asks for directly lists the sentences and
/// names what else requires it on one line; a grant only Salesforce requires shows its shortest
/// chain back to a vendor sentence, and names the other grants that require it.
pub(super) fn lines(item: &Item, reasons: &[Reason]) -> Vec<String> {
    let mut lines = Vec::new();
    let mut required_by = Vec::new();
    let direct = reasons.iter().any(|r| !matches!(r, Reason::Dependency { .. }));
    let shortest = reasons
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match r {
            Reason::Dependency { chain, .. } => Some((chain.len(), i)),
            _ => None,
        })
        .min()
        .map(|(_, i)| i);
    for (i, reason) in reasons.iter().enumerate() {
        match reason {
            Reason::Dependency { source, chain, .. } if !direct && Some(i) == shortest => {
                lines.push(format!(
                    "required by Salesforce: {} ({})",
                    chain_text(item, chain),
                    dependency_source(source)
                ));
            }
            Reason::Dependency { of, source, .. } => required_by.push((of.clone(), dependency_source(source))),
            direct_reason => lines.push(line(direct_reason)),
        }
    }
    if !required_by.is_empty() {
        lines.push(format!("also required by {}", grouped_by_source(&required_by)));
    }
    lines
}

/// `A, B (source one); C (source two)`: the grants that require one, each group with the source
/// of its rule, in the order they were first met.
fn grouped_by_source(required_by: &[(String, String)]) -> String {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for (of, source) in required_by {
        match groups.iter_mut().find(|(s, _)| s == source) {
            Some((_, names)) => names.push(of),
            None => groups.push((source, vec![of])),
        }
    }
    groups.iter().map(|(source, names)| format!("{} ({source})", names.join(", "))).collect::<Vec<_>>().join("; ")
}
