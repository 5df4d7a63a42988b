//! The solver: a pure function from an integration and the admin's selection to a `Plan`.
//! Requirements are expanded (`expand`), the least privileged alternative of each "any one of"
//! is chosen (`choose`), and the result is closed under Salesforce's dependencies (`closure`),
//! every grant keeping the reasons it is there. No I/O.

mod choose;
mod closure;
mod expand;
mod plan;
mod selection;
mod warning;

#[cfg(test)]
mod expand_tests;
#[cfg(test)]
mod properties;
#[cfg(test)]
mod selection_tests;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use crate::access::Item;
use crate::catalog::Integration;
use crate::metadata::OutputKind;
use crate::platform::dependencies::DependencyTable;
use crate::platform::licences;

pub(crate) use choose::cost;
pub use plan::{ChainLink, Choice, Chosen, Context, Note, NoteKind, NoteText, Plan, Reason};
pub(crate) use selection::resolve;
pub use selection::{Asked, FieldRequest, Given, NameOf, ObjectRequest, Selection, SelectionError};
pub use warning::Warning;

/// Why a principal is left out of a profile (the note; the warning adds what to do).
const PRINCIPAL_NOT_IN_PROFILE: &str = "Profile metadata has no externalCredentialPrincipalAccesses (Metadata API v66 schema): enable the principal on the profile in Setup, or generate a permission set";

/// Computes the least-privilege grants for `selection` on `integration`.
pub fn solve(
    integration: &Integration,
    selection: &Selection,
    table: &DependencyTable,
) -> Result<Plan, SelectionError> {
    let resolved = resolve(integration, selection)?;
    let expand::Expansion { needs, mut notes, warnings: catalog_warnings, package_permission_sets, conflicts, advice } =
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
            warnings.push(Warning::LicenceBound {
                item: bound.item.clone(),
                requires: bound.requires.clone(),
                licence: bound.licence.clone(),
            });
        }
    }

    if resolved.output == OutputKind::Profile {
        // The v66 Metadata API schema gives Profile no externalCredentialPrincipalAccesses.
        let principals: Vec<Item> =
            grants.keys().filter(|i| matches!(i, Item::ExternalCredentialPrincipal(_))).cloned().collect();
        for principal in principals {
            grants.remove(&principal);
            let message = NoteText::Words(PRINCIPAL_NOT_IN_PROFILE.to_string());
            notes.push(Note { kind: NoteKind::Unsupported, subject: principal.to_string(), message, quote: None });
            warnings.push(Warning::PrincipalNotInProfile { principal });
        }
    }
    // An org export may name permissions newer than (or licence-bound outside) the built-in list.
    for (item, reasons) in &grants {
        if let Item::UserPermission(name) = item
            && !crate::platform::permissions::is_known(name)
        {
            let from = reasons
                .iter()
                .filter_map(|r| match r {
                    Reason::Dependency { source, .. } => Some(source.clone()),
                    _ => None,
                })
                .collect();
            warnings.push(Warning::UnknownUserPermission { name: name.clone(), from });
        }
    }
    // Platform requirements apply whatever the features: they alone are still "nothing asked for".
    let vendor_granted =
        grants.values().flatten().any(|r| matches!(r, Reason::Requirement { .. } | Reason::CommandLine { .. }));
    if !vendor_granted && resolved.features.is_empty() && !integration.features.is_empty() {
        warnings.push(Warning::NothingGranted {
            integration: integration.id.clone(),
            features: integration.features.iter().map(|f| f.name.clone()).collect(),
        });
    }
    if integration.connected_app.is_some() {
        warnings.push(Warning::ConnectedApp);
    }
    let licence = resolved.integration_user.then(|| {
        warnings.extend(integration_user_warnings(integration, &grants));
        licences::INTEGRATION_PERMISSION_SET_LICENCE.to_string()
    });
    warnings.extend(catalog_warnings);
    for (advice, quote) in advice {
        if !grants.contains_key(&Item::UserPermission(advice.user_permission().to_string())) {
            warnings.push(Warning::PlatformNeedNotGranted { advice, quote });
        }
    }
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
        fields: resolved.org_fields.as_ref().map(|list| list.origin.clone()),
        licence,
    })
}

/// What sfperms cannot confirm for a user on the Salesforce Integration licence: whether the
/// vendor accepts it (when its document does not say) and whether the permission set licence
/// allows each user permission granted (no stored Salesforce source lists what it allows).
fn integration_user_warnings(integration: &Integration, grants: &BTreeMap<Item, Vec<Reason>>) -> Vec<Warning> {
    let mut warnings = Vec::new();
    if integration.integration_licence.is_none() {
        warnings.push(Warning::IntegrationLicenceUnknown { vendor: integration.name.clone() });
    }
    let unchecked: Vec<String> = grants
        .keys()
        .filter_map(|i| match i {
            Item::UserPermission(name) if name != "ApiEnabled" => Some(name.clone()),
            _ => None,
        })
        .collect();
    if !unchecked.is_empty() {
        warnings.push(Warning::IntegrationLicenceAllows {
            licence: licences::INTEGRATION_PERMISSION_SET_LICENCE,
            permissions: unchecked,
        });
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
