//! The solver: a pure function from an integration and the admin's selection to a `Plan`.
//! Requirements are expanded (`expand`), the least privileged alternative of each "any one of"
//! is chosen (`choose`), and the result is closed under Salesforce's dependencies (`closure`),
//! every grant keeping the reasons it is there. No I/O.

mod choose;
mod closure;
mod expand;
mod plan;
mod selection;

#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use crate::access::Item;
use crate::catalog::Integration;
use crate::metadata::OutputKind;
use crate::platform::dependencies::DependencyTable;
use crate::platform::licences;

pub use choose::cost;
pub use closure::direct_requirements;
pub use plan::{Choice, Note, NoteKind, Plan, Reason};
pub use selection::{FieldRequest, ObjectRequest, Resolved, Selection, SelectionError, resolve};

/// Computes the least-privilege grants for `selection` on `integration`.
pub fn solve(
    integration: &Integration,
    selection: &Selection,
    table: &DependencyTable,
) -> Result<Plan, SelectionError> {
    let resolved = resolve(integration, selection)?;
    let expand::Expansion { needs, mut notes, warnings: catalog_warnings, package_permission_sets, conflicts } =
        expand::needs(integration, &resolved)?;
    let chosen = choose::choose(&needs, table);

    let mut grants: BTreeMap<Item, Vec<Reason>> = BTreeMap::new();
    let mut warnings = Vec::new();
    let mut choices = Vec::new();
    for (index, (need, pick)) in needs.iter().zip(&chosen).enumerate() {
        let alternative = &need.alternatives[*pick];
        for (item, reason) in &alternative.items {
            let reasons = grants.entry(item.clone()).or_default();
            if !reasons.contains(reason) {
                reasons.push(reason.clone());
            }
        }
        notes.extend(alternative.notes.iter().cloned());
        warnings.extend(alternative.warnings.iter().cloned());
        if need.alternatives.len() > 1 {
            let costs = choose::marginal_costs(&needs, &chosen, index, table);
            let labels: Vec<String> = need.alternatives.iter().map(|a| a.label.join(" + ")).collect();
            let why = labels
                .iter()
                .zip(&costs)
                .enumerate()
                .map(|(i, (label, cost))| {
                    let mark = if i == *pick { "chosen" } else { "not chosen" };
                    format!("{label} adds privilege {cost} ({mark})")
                })
                .collect::<Vec<_>>()
                .join("; ");
            choices.push(Choice {
                quote: need.quote.clone(),
                context: need.context.clone(),
                alternatives: need.alternatives.iter().map(|a| a.label.clone()).collect(),
                chosen: *pick,
                why,
            });
        }
    }
    closure::close(&mut grants, table);
    closure::fill_chains(&mut grants);
    for bound in &table.licence_bound {
        if grants.contains_key(&bound.item) && !grants.contains_key(&bound.requires) {
            warnings.push(format!(
                "{} also requires {} in orgs with {}; not granted, since elsewhere it fails the deploy. If your org has it, pass the org's own PermissionDependency export with --dependencies",
                bound.item, bound.requires, bound.licence
            ));
        }
    }

    if resolved.output == OutputKind::Profile {
        // The v66 Metadata API schema gives Profile no externalCredentialPrincipalAccesses.
        let principals: Vec<Item> =
            grants.keys().filter(|i| matches!(i, Item::ExternalCredentialPrincipal(_))).cloned().collect();
        for principal in principals {
            grants.remove(&principal);
            let message = "Profile metadata has no externalCredentialPrincipalAccesses (Metadata API v66 schema): enable the principal on the profile in Setup, or generate a permission set (--as permission-set)".to_string();
            warnings.push(format!("not in the file: {principal}: {message}"));
            notes.push(Note { kind: NoteKind::Unsupported, subject: principal.to_string(), message, quote: None });
        }
    }
    // An org export may name permissions newer than (or licence-bound outside) the built-in list.
    for (item, reasons) in &grants {
        if let Item::UserPermission(name) = item
            && !crate::platform::permissions::is_known(name)
        {
            let from: Vec<&str> = reasons
                .iter()
                .filter_map(|r| match r {
                    Reason::Dependency { source, .. } => Some(source.as_str()),
                    _ => None,
                })
                .collect();
            warnings.push(format!(
                "`{name}` is not in sfperms' list of user permissions (a v64.0 describe and real retrieves){}: check that your org has it before deploying",
                if from.is_empty() { String::new() } else { format!("; it comes from {}", from.join(", ")) }
            ));
        }
    }
    // Platform requirements apply whatever the features: they alone are still "nothing asked for".
    let vendor_granted =
        grants.values().flatten().any(|r| matches!(r, Reason::Requirement { .. } | Reason::CommandLine { .. }));
    if !vendor_granted && resolved.features.is_empty() && !integration.features.is_empty() {
        let names: Vec<&str> = integration.features.iter().map(|f| f.name.as_str()).collect();
        warnings.push(format!(
            "nothing granted: every requirement of `{}` belongs to a feature; add --feature NAME ({}) or --feature all",
            integration.id,
            names.join(", ")
        ));
    }
    if integration.connected_app.is_some() {
        warnings.push(format!(
            "connected app: since September 2025 an uninstalled app is blocked: {}; this file cannot hold that (see `sfperms explain`)",
            crate::platform::connected_apps::INSTALL_AND_PRE_AUTHORIZE
        ));
    }
    let licence = resolved.integration_user.then(|| {
        warnings.extend(integration_user_warnings(integration, &grants));
        licences::INTEGRATION_PERMISSION_SET_LICENCE.to_string()
    });
    warnings.extend(catalog_warnings);
    let notes = merge_notes(notes);
    let mut seen = std::collections::BTreeSet::new();
    warnings.retain(|w| seen.insert(w.clone()));

    Ok(Plan {
        integration: integration.id.clone(),
        output: resolved.output,
        features: resolved.features.into_iter().collect(),
        options: resolved.options,
        grants,
        choices,
        notes,
        warnings,
        package_permission_sets,
        conflicts,
        dependencies: table.origin.clone(),
        licence,
    })
}

/// What sfperms cannot confirm for a user on the Salesforce Integration licence: whether the
/// vendor accepts it (when its document does not say) and whether the permission set licence
/// allows each user permission granted (no stored Salesforce source lists what it allows).
fn integration_user_warnings(integration: &Integration, grants: &BTreeMap<Item, Vec<Reason>>) -> Vec<String> {
    let mut warnings = Vec::new();
    if integration.integration_licence.is_none() {
        warnings.push(format!(
            "UNVERIFIED: {}'s document does not say whether it works with the Salesforce Integration user licence: check with the vendor",
            integration.name
        ));
    }
    let unchecked: Vec<&str> = grants
        .keys()
        .filter_map(|i| match i {
            Item::UserPermission(name) if name != "ApiEnabled" => Some(name.as_str()),
            _ => None,
        })
        .collect();
    if !unchecked.is_empty() {
        warnings.push(format!(
            "UNVERIFIED: whether the {} permission set licence allows {}: no stored Salesforce source lists what it allows; a deploy or assignment fails where it does not",
            licences::INTEGRATION_PERMISSION_SET_LICENCE,
            unchecked.join(", ")
        ));
    }
    warnings
}

/// Notes that say the same thing about several accesses become one (`Read Note, Edit Note: …`).
fn merge_notes(notes: Vec<Note>) -> Vec<Note> {
    let mut merged: Vec<Note> = Vec::new();
    for note in notes {
        match merged.iter_mut().find(|m| m.kind == note.kind && m.message == note.message && m.quote == note.quote) {
            Some(existing) => {
                if !existing.subject.split(", ").any(|s| s == note.subject) {
                    existing.subject = format!("{}, {}", existing.subject, note.subject);
                }
            }
            None => merged.push(note),
        }
    }
    merged
}
