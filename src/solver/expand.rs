//! From the catalog's requirements to concrete needs for this selection: conditions evaluated,
//! placeholders filled, the admin's objects and fields expanded, and every object and field passed through
//! the platform rules (Task edit → EditTask, Account.Name → always accessible, …).

use crate::access::{FieldAccess, Item, ObjectAccess};
use crate::catalog::{Condition, Conflict, Integration, PackagePermissionSet, Quote, Template};
use crate::platform::field_export::{FieldList, Listed};
use crate::platform::fields::{self, FieldRule};
use crate::platform::needs::{PlatformAdvice, PlatformNeed};
use crate::platform::objects::{self, ObjectKind, Outcome};

use super::plan::{Chosen, Context, Note, NoteKind, NoteText, Reason};
use super::selection::{Asked, Given, Resolved, SelectionError};
use super::warning::Warning;

/// One requirement as it applies here: all of one alternative must be granted.
#[derive(Debug, Clone)]
pub(crate) struct Need {
    pub quote: Quote,
    pub context: Context,
    pub alternatives: Vec<Alternative>,
}

#[derive(Debug, Clone, Default)]
pub struct Alternative {
    /// How the vendor's alternative reads, for `explain` (`ModifyMetadata`).
    pub label: Vec<String>,
    pub items: Vec<(Item, Reason)>,
    pub notes: Vec<Note>,
    pub warnings: Vec<Warning>,
}

/// What made a condition true, in the admin's words; `None` when it does not hold.
pub fn context(condition: &Condition, resolved: &Resolved) -> Option<Context> {
    if let Some(output) = condition.output
        && output != resolved.output
    {
        return None;
    }
    let mut parts = Vec::new();
    if !condition.features.is_empty() {
        let on: Vec<&String> = condition.features.iter().filter(|f| resolved.features.contains(*f)).collect();
        if on.is_empty() {
            return None;
        }
        parts.push(Chosen::Features(on.into_iter().cloned().collect()));
    }
    for (option, values) in &condition.options {
        let value = resolved.options.get(option)?;
        if !values.contains(value) {
            return None;
        }
        parts.push(Chosen::Option { name: option.clone(), value: value.clone() });
    }
    Some(if parts.is_empty() { Context::Always } else { Context::When(parts) })
}

/// Replaces `{option}` placeholders; `Err` names every option the name needs that was not given
/// (the catalog's validation guarantees every placeholder is an option).
fn fill<'p>(pattern: &'p str, resolved: &Resolved) -> Result<String, Vec<&'p str>> {
    let mut out = String::new();
    let mut missing = Vec::new();
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        let option = &rest[start + 1..start + len];
        out.push_str(&rest[..start]);
        match resolved.options.get(option) {
            Some(value) => out.push_str(value),
            None => missing.push(option),
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    if missing.is_empty() { Ok(out) } else { Err(missing) }
}

struct Builder<'a> {
    alt: Alternative,
    reason: Reason,
    quote: &'a Quote,
    /// The org's own field list (`--fields`), which decides for the objects it covers.
    org_fields: Option<&'a FieldList>,
}

impl Builder<'_> {
    /// The builder's reason, naming the admin's request when it chose the access.
    fn with_asked(&self, asked: Option<Asked>) -> Reason {
        match (&self.reason, asked) {
            (Reason::Requirement { context, quote, via, .. }, Some(asked)) => Reason::Requirement {
                context: context.clone(),
                quote: quote.clone(),
                via: via.clone(),
                asked: Some(asked),
            },
            (reason, _) => reason.clone(),
        }
    }

    fn note(&mut self, kind: NoteKind, subject: String, message: String) {
        self.note_text(kind, subject, NoteText::Words(message));
    }

    fn note_text(&mut self, kind: NoteKind, subject: String, message: NoteText) {
        self.alt.notes.push(Note { kind, subject, message, quote: Some(self.quote.clone()) });
    }

    /// Fills `pattern` (`what` says what it names: `object`, `principal`…); when an option it
    /// needs was not given, says so (a note and a warning) instead of granting nothing in silence.
    /// Warns when an option left at an unverified default is used.
    fn fill(&mut self, what: &str, pattern: &str, integration: &Integration, resolved: &Resolved) -> Option<String> {
        match fill(pattern, resolved) {
            Ok(name) => {
                for option in crate::catalog::placeholders(pattern) {
                    let Some(def) = integration.option(option) else { continue };
                    if let (Some(why), Some(default)) = (&def.unverified, &def.default)
                        && resolved.options.get(option) == Some(default)
                    {
                        self.alt.warnings.push(Warning::UnverifiedDefault {
                            option: option.to_string(),
                            default: default.clone(),
                            why: why.clone(),
                        });
                    }
                }
                Some(name)
            }
            Err(missing) => {
                let subject = format!("{what} {pattern}");
                let options: Vec<String> = missing.iter().map(|o| o.to_string()).collect();
                self.alt.warnings.push(Warning::NeedsOption { subject: subject.clone(), options: options.clone() });
                self.note_text(NoteKind::NeedsOption, subject, NoteText::GiveOptions(options));
                None
            }
        }
    }

    /// `subject` is granted as `item` instead (Edit Task → EditTask).
    fn mapped(&mut self, subject: String, item: Item, grant: String, explanation: &str, asked: Option<Asked>) {
        let mut reason = self.with_asked(asked);
        if let Reason::Requirement { via, .. } = &mut reason {
            let mapping = format!("{subject} is not an object permission: {explanation}");
            *via = Some(match via.take() {
                Some(note) => format!("{note}; {mapping}"),
                None => mapping,
            });
        }
        self.note(NoteKind::Mapped, subject, format!("granted as {grant}: {explanation}"));
        self.alt.items.push((item, reason));
    }

    fn object(&mut self, object: &str, access: ObjectAccess, asked: Option<Asked>) -> Result<(), SelectionError> {
        let object = objects::true_case(object);
        let object = object.as_str();
        let subject = format!("{} {object}", access.label());
        self.alt.label.push(subject.clone());
        match objects::kind(object) {
            ObjectKind::NoObjectPermissions(why) => {
                return Err(SelectionError::NoObjectPermissions {
                    object: object.to_string(),
                    why: why.to_string(),
                    source_text: objects::ASSOCIATED_OBJECTS_SOURCE.to_string(),
                });
            }
            ObjectKind::CustomMetadataType => {
                let reason = self.with_asked(asked);
                if access != ObjectAccess::Read {
                    let why = "custom metadata type records are read through customMetadataTypeAccesses; they take no Create, Edit or Delete (Metadata API: PermissionSetCustomMetadataTypeAccess has only `enabled`)";
                    self.alt.warnings.push(Warning::MetadataTypeReadOnly { subject: subject.clone(), why: why.into() });
                    self.note(NoteKind::Reduced, subject, format!("granted as read access: {why}"));
                }
                self.alt.items.push((Item::CustomMetadataType(object.to_string()), reason));
                return Ok(());
            }
            _ => {}
        }
        if let Some(mapping) = objects::non_permissionable(object, access) {
            if !mapping.verified {
                self.alt.warnings.push(Warning::UnverifiedObjectRule {
                    object: object.to_string(),
                    explanation: mapping.explanation.to_string(),
                });
            }
            // What explain states about the platform carries the row's source.
            let sourced = format!("{} (source: {})", mapping.explanation, mapping.source);
            match mapping.outcome {
                Outcome::Grant(permission) => {
                    let item = Item::UserPermission(permission.to_string());
                    self.mapped(subject, item, permission.to_string(), &sourced, asked);
                }
                Outcome::Parent(parent, parent_access) => {
                    let item = Item::Object(parent.to_string(), parent_access);
                    let grant = format!("{} {parent}", parent_access.label());
                    self.mapped(subject, item, grant, &sourced, asked);
                }
                Outcome::Implicit => self.note(NoteKind::Implicit, subject, sourced),
                Outcome::Unsupported => {
                    self.alt
                        .warnings
                        .push(Warning::NotGranted { subject: subject.clone(), why: mapping.explanation.to_string() });
                    self.note(NoteKind::Unsupported, subject, sourced);
                }
            }
            return Ok(());
        }
        if let Err(why) = objects::check_flag(object, access) {
            self.alt.warnings.push(Warning::NotGranted { subject: subject.clone(), why: why.clone() });
            self.note(NoteKind::Unsupported, subject, why);
            return Ok(());
        }
        if objects::kind(object) == ObjectKind::Standard && !objects::is_known_standard(object) {
            self.alt.warnings.push(Warning::UnknownStandardObject {
                object: object.to_string(),
                known: objects::STANDARD_OBJECTS_SOURCE,
            });
        }
        let reason = self.with_asked(asked);
        self.alt.items.push((Item::Object(object.to_string(), access), reason));
        Ok(())
    }

    fn field(&mut self, field: &str, access: FieldAccess, asked: Option<Asked>) -> Result<(), SelectionError> {
        let verb = if access == FieldAccess::Edit { "Edit" } else { "Read" };
        self.alt.label.push(format!("{verb} {field}"));
        let reason = self.with_asked(asked);
        if let Some(list) = self.org_fields {
            match list.lookup(field) {
                Listed::ObjectNotCovered => {}
                Listed::Missing { close } => {
                    let hint = close.map(|c| format!("; did you mean `{c}`?")).unwrap_or_default();
                    return Err(SelectionError::NotInOrgFields {
                        field: field.to_string(),
                        list: list.origin.clone(),
                        hint,
                    });
                }
                Listed::Field(found) => {
                    self.alt.warnings.push(Warning::OrgFieldListMeaning);
                    if !found.permissionable {
                        let message = format!(
                            "not a permissionable field, readable with its object: IsPermissionable is false in your org's field list ({})",
                            found.at
                        );
                        self.note(NoteKind::AlwaysAccessible, found.name.clone(), message);
                        return Ok(());
                    }
                    let admin_read_only = match fields::rule(&found.name) {
                        FieldRule::Permissionable { admin_read_only, .. } => admin_read_only,
                        _ => false,
                    };
                    self.grant_field(found.name.clone(), access, admin_read_only, reason);
                    return Ok(());
                }
            }
        }
        let (field, admin_read_only) = match fields::rule(field) {
            FieldRule::Typo { field, suggestion } => return Err(SelectionError::UnknownField { field, suggestion }),
            FieldRule::NotPermissionable { field, why, source } => {
                if source.starts_with("UNVERIFIED") {
                    self.alt.warnings.push(Warning::UnverifiedFieldRule {
                        field: field.clone(),
                        why: why.clone(),
                        source: source.to_string(),
                    });
                }
                let message = format!("not a permissionable field, readable with its object: {why} (source: {source})");
                self.note(NoteKind::AlwaysAccessible, field, message);
                return Ok(());
            }
            FieldRule::Component { component, compound } => {
                let message = format!(
                    "granted as {compound}: address and geolocation components take field-level security through their compound field (source: {})",
                    fields::COMPOUND_SOURCE
                );
                self.note(NoteKind::Mapped, component, message);
                match fields::rule(&compound) {
                    FieldRule::Permissionable { field, admin_read_only, .. } => (field, admin_read_only),
                    _ => (compound, false),
                }
            }
            FieldRule::Unknown { field } => {
                self.alt.warnings.push(Warning::UnknownField { field: field.clone() });
                (field, false)
            }
            FieldRule::Permissionable { field, admin_read_only, .. } => (field, admin_read_only),
        };
        self.grant_field(field, access, admin_read_only, reason);
        Ok(())
    }

    /// Grants `field`, read only where System Administrator holds it read-only.
    fn grant_field(&mut self, field: String, access: FieldAccess, admin_read_only: bool, reason: Reason) {
        if admin_read_only && access == FieldAccess::Edit {
            let why = "System Administrator holds it read-only in the reference v67 org, so it is computed or read-only: editable would fail the deploy";
            self.alt.warnings.push(Warning::FieldReadNotEdit { field: field.clone(), why: why.into() });
            self.note(NoteKind::Reduced, field.clone(), format!("granted read instead of edit: {why}"));
            self.alt.items.push((Item::Field(field, FieldAccess::Read), reason));
        } else {
            self.alt.items.push((Item::Field(field, access), reason));
        }
    }
}

/// What applies to one selection: the needs, the catalog's notes (unmapped sentences) and warnings.
pub(crate) struct Expansion {
    pub needs: Vec<Need>,
    pub notes: Vec<Note>,
    pub warnings: Vec<Warning>,
    /// The vendor's own permission sets the page asks to assign (named, not written).
    pub package_permission_sets: Vec<PackagePermissionSet>,
    /// Statements of the vendor's documents that disagree, with the one followed.
    pub conflicts: Vec<Conflict>,
    /// Salesforce needs the vendor's words imply, with those words.
    pub advice: Vec<(PlatformAdvice, Quote)>,
}

/// The requirements of `integration` that apply to `resolved`, expanded.
pub fn needs(integration: &Integration, resolved: &Resolved) -> Result<Expansion, SelectionError> {
    let org_fields = resolved.org_fields.as_ref();
    let mut needs = Vec::new();
    let mut object_used = vec![false; resolved.objects.len()];
    let mut field_used = vec![false; resolved.fields.len()];
    for requirement in &integration.requirements {
        let Some(context) = context(&requirement.condition, resolved) else { continue };
        let mut alternatives = Vec::new();
        for templates in &requirement.alternatives {
            let reason = Reason::Requirement {
                context: context.clone(),
                quote: requirement.source.clone(),
                via: requirement.note.clone(),
                asked: None,
            };
            let mut b = Builder { alt: Alternative::default(), reason, quote: &requirement.source, org_fields };
            if let Some(why) = &requirement.unverified {
                b.alt.warnings.push(Warning::UnverifiedRequirement { why: why.clone() });
            }
            for template in templates {
                match template {
                    Template::UserPermission(name) => {
                        b.alt.label.push(name.clone());
                        b.alt.items.push((Item::UserPermission(name.clone()), b.reason.clone()));
                    }
                    Template::Object(pattern, accesses) if pattern == "{object}" => {
                        for (i, request) in resolved.objects.iter().enumerate() {
                            object_used[i] = true;
                            let chosen = request.access.as_ref().unwrap_or(accesses);
                            let asked = request.access.as_ref().map(|_| Asked::Object(request.clone()));
                            for access in chosen {
                                b.object(&request.object, *access, asked.clone())?;
                            }
                        }
                    }
                    Template::Object(pattern, accesses) => {
                        if let Some(object) = b.fill("object", pattern, integration, resolved) {
                            for access in accesses {
                                b.object(&object, *access, None)?;
                            }
                        }
                    }
                    Template::Field(pattern, access) if pattern == "{field}" => {
                        for (i, request) in resolved.fields.iter().enumerate() {
                            field_used[i] = true;
                            let asked = request.access.map(|_| Asked::Field(request.clone()));
                            b.field(&request.field, request.access.unwrap_or(*access), asked)?;
                        }
                    }
                    Template::Field(pattern, access) => {
                        if let Some(field) = b.fill("field", pattern, integration, resolved) {
                            b.field(&field, *access, None)?;
                        }
                    }
                    Template::ApexClass(pattern) => {
                        if let Some(class) = b.fill("Apex class", pattern, integration, resolved) {
                            b.alt.label.push(format!("Apex class {class}"));
                            b.alt.items.push((Item::ApexClass(class), b.reason.clone()));
                        }
                    }
                    Template::ExternalCredentialPrincipal(pattern) => {
                        if let Some(principal) = b.fill("principal", pattern, integration, resolved) {
                            b.alt.label.push(format!("principal {principal}"));
                            b.alt.items.push((Item::ExternalCredentialPrincipal(principal), b.reason.clone()));
                        }
                    }
                }
            }
            alternatives.push(b.alt);
        }
        needs.push(Need { quote: requirement.source.clone(), context, alternatives });
    }

    for need in platform_needs(integration) {
        let mut alt = Alternative::default();
        for name in need.user_permissions() {
            alt.label.push(name.to_string());
            alt.items.push((Item::UserPermission(name.to_string()), Reason::platform(need)));
        }
        let quote = Quote(vec![format!("(platform requirement: {})", need.why())]);
        needs.push(Need { quote, context: Context::Platform, alternatives: vec![alt] });
    }

    // `--object`/`--field` that no requirement took: granted as the admin's own choice.
    let command_line = Quote(vec!["(asked for on the command line)".into()]);
    let mut extra = Alternative::default();
    for (request, used) in resolved.objects.iter().zip(&object_used) {
        if *used {
            continue;
        }
        let Some(accesses) = &request.access else {
            return Err(needs_access(integration, Given::Object(request.object.clone())));
        };
        let mut b = Builder {
            alt: std::mem::take(&mut extra),
            reason: Reason::CommandLine { asked: Asked::Object(request.clone()) },
            quote: &command_line,
            org_fields,
        };
        for access in accesses {
            b.object(&request.object, *access, None)?;
        }
        extra = b.alt;
    }
    for (request, used) in resolved.fields.iter().zip(&field_used) {
        if *used {
            continue;
        }
        let Some(access) = request.access else {
            return Err(needs_access(integration, Given::Field(request.field.clone())));
        };
        let mut b = Builder {
            alt: std::mem::take(&mut extra),
            reason: Reason::CommandLine { asked: Asked::Field(request.clone()) },
            quote: &command_line,
            org_fields,
        };
        b.field(&request.field, access, None)?;
        extra = b.alt;
    }
    for name in &resolved.user_permissions {
        let reason = Reason::CommandLine { asked: Asked::UserPermission(name.clone()) };
        extra.label.push(name.clone());
        extra.items.push((Item::UserPermission(name.clone()), reason));
    }
    if !extra.items.is_empty() || !extra.notes.is_empty() {
        needs.push(Need { quote: command_line, context: Context::CommandLine, alternatives: vec![extra] });
    }

    let mut notes = Vec::new();
    for unmapped in &integration.unmapped {
        if context(&unmapped.condition, resolved).is_some() {
            notes.push(Note {
                kind: NoteKind::NotMappable,
                subject: unmapped.source.to_string(),
                message: NoteText::Words(unmapped.reason.clone()),
                quote: Some(unmapped.source.clone()),
            });
        }
    }
    let warnings = integration
        .warnings
        .iter()
        .filter(|w| context(&w.condition, resolved).is_some())
        .map(|w| Warning::Catalog { message: w.message.clone() })
        .collect();
    let package_permission_sets = integration
        .package_permission_sets
        .iter()
        .filter(|p| context(&p.condition, resolved).is_some())
        .cloned()
        .collect();
    let conflicts =
        integration.conflicts.iter().filter(|k| context(&k.condition, resolved).is_some()).cloned().collect();
    let advice = integration
        .platform_needs
        .iter()
        .filter(|n| context(&n.condition, resolved).is_some())
        .map(|n| (n.advice, n.source.clone()))
        .collect();
    Ok(Expansion { needs, notes, warnings, package_permission_sets, conflicts, advice })
}

/// The platform requirements the integration's catalog properties turn on.
fn platform_needs(integration: &Integration) -> Vec<PlatformNeed> {
    let mut out = Vec::new();
    if integration.connects_through_api {
        out.push(PlatformNeed::ConnectsThroughApi);
    }
    out
}

fn needs_access(integration: &Integration, given: Given) -> SelectionError {
    let context = if integration.takes_placeholder("{object}") || integration.takes_placeholder("{field}") {
        " with the features and options chosen".to_string()
    } else {
        String::new()
    };
    SelectionError::NeedsAccess { given, integration: integration.id.clone(), context }
}
