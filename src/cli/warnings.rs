//! The words of the solver's typed warnings, flag names included: the library says what is wrong
//! and which input would settle it; the CLI says which flag that is. On stderr the warnings about
//! the admin's input print as `warning:` lines and the unverified object rules (objects whose
//! access follows other records) as one `note:` block after them (`stderr_text`); `--json` lists
//! every warning alike (`texts`).

use sfperms::platform::{connected_apps, permissions};
use sfperms::solver::{NoteText, Plan, Warning};

/// The warning as printed (`warning: …` on stderr, the `warnings` of `--json`): an unverified one
/// starts with `UNVERIFIED: `.
pub fn text(warning: &Warning) -> String {
    if warning.unverified() { format!("UNVERIFIED: {}", body(warning)) } else { body(warning) }
}

/// Every warning of `plan`, as printed.
pub fn texts(plan: &Plan) -> Vec<String> {
    plan.warnings.iter().map(text).collect()
}

/// Whether `warning` only reports an unverified rule about an object that takes no object
/// permission (its access follows other records): nothing is wrong with the admin's input, so on
/// stderr it joins the grouped note rather than a `warning:` line.
fn follows_other_records(warning: &Warning) -> bool {
    matches!(warning, Warning::UnverifiedObjectRule { .. })
}

/// What `gen` prints on stderr for `plan`: each warning about the input as a `warning: …` line,
/// then the unverified object rules as one `note:` block, one object per indented line. `who`
/// (`the `planhat` user (sfperms.toml:2)`) starts each warning and the note when several users'
/// warnings print together. `(warnings, note)`: either may be empty.
pub fn stderr_text(plan: &Plan, who: Option<&str>) -> (String, String) {
    let prefix = who.map(|w| format!("{w}: ")).unwrap_or_default();
    let (objects, others): (Vec<&Warning>, Vec<&Warning>) =
        plan.warnings.iter().partition(|w| follows_other_records(w));
    let mut warnings = String::new();
    for warning in others {
        warnings.push_str(&format!("warning: {prefix}{}\n", text(warning)));
    }
    let mut note = String::new();
    if !objects.is_empty() {
        note.push_str(&format!(
            "note: {prefix}no object permission for these objects, as access to them follows other records (UNVERIFIED: no primary source found for these rules; `sfperms explain` shows each):\n"
        ));
        for warning in objects {
            if let Warning::UnverifiedObjectRule { object, explanation } = warning {
                note.push_str(&format!("  {}\n", object_rule(object, explanation)));
            }
        }
    }
    (warnings, note)
}

/// `ContentNote: enhanced notes are files: …`: an object and the rule its access follows.
fn object_rule(object: &str, explanation: &str) -> String {
    format!("{object}: {explanation}")
}

/// What a note says, as printed (`explain`, the notes' `message` in `--json`).
pub fn note_text(message: &NoteText) -> String {
    match message {
        NoteText::Words(words) => words.clone(),
        NoteText::GiveOptions(options) => format!("not granted: give {} to grant it", flags(options)),
    }
}

/// `--a and --b`: integration options as the flags that give them.
fn flags(options: &[String]) -> String {
    options.iter().map(|o| super::flags::option_name(o)).collect::<Vec<_>>().join(" and ")
}

/// The warning without the `UNVERIFIED: ` mark (`explain` lists those under their own heading).
pub fn body(warning: &Warning) -> String {
    match warning {
        Warning::UnverifiedDefault { option, default, why } => {
            format!("{} (the default): {why}", super::flags::option(option, default))
        }
        Warning::NeedsOption { subject, options } => {
            format!("{subject}: {}", note_text(&NoteText::GiveOptions(options.clone())))
        }
        Warning::MetadataTypeReadOnly { subject, why } => format!("{subject}: granted as read access: {why}"),
        Warning::UnverifiedObjectRule { object, explanation } => {
            format!("{} (no primary source found)", object_rule(object, explanation))
        }
        Warning::NotGranted { subject, why } => format!("not granted: {subject}: {why}"),
        Warning::UnknownStandardObject { object, known } => format!(
            "`{object}` is not among {known}: check that it exists in your org (and takes object permissions) before deploying"
        ),
        Warning::UnverifiedFieldRule { field, why, source } => {
            format!("{field}: left out of fieldPermissions as {why}; {source}")
        }
        Warning::UnknownField { field } => format!(
            "{field}: not in sfperms' field data (real retrieves and the reference org), so granted as asked; check that the field exists in your org and is not required before deploying, or pass your org's field list with --fields"
        ),
        Warning::OrgFieldListMeaning => format!(
            "--fields: {}; a field it lists as not permissionable is left out of fieldPermissions",
            sfperms::platform::field_export::MEANING
        ),
        Warning::FieldReadNotEdit { field, why } => format!("{field}: granted read, not edit: {why}"),
        Warning::UnverifiedRequirement { why } => why.clone(),
        Warning::Catalog { message } => message.clone(),
        Warning::LicenceBound { item, requires, licence } => format!(
            "{item} also requires {requires} in orgs with {licence}; not granted, since elsewhere it fails the deploy. If your org has it, pass the org's own PermissionDependency export with --dependencies"
        ),
        Warning::PrincipalNotInProfile { principal } => format!(
            "not in the file: {principal}: Profile metadata has no externalCredentialPrincipalAccesses (Metadata API v66 schema): enable the principal on the profile in Setup, or generate a permission set (--as permission-set)"
        ),
        Warning::UnknownUserPermission { name, from } => format!(
            "`{name}` is not in sfperms' list of user permissions (a v64.0 describe and real retrieves){}: check that your org has it before deploying",
            if from.is_empty() {
                String::new()
            } else {
                format!("; it comes from {}", from.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "))
            }
        ),
        Warning::NothingGranted { integration, features } => format!(
            "nothing granted: every requirement of `{integration}` belongs to a feature; add --feature NAME ({}) or --feature all",
            features.join(", ")
        ),
        Warning::ConnectedApp => format!(
            "connected app: since September 2025 an uninstalled app is blocked: {}; this file cannot hold that (see `sfperms explain`)",
            connected_apps::INSTALL_AND_PRE_AUTHORIZE
        ),
        Warning::PlatformNeedNotGranted { advice, quote } => {
            let name = advice.user_permission();
            let label = permissions::label(name).map(|l| format!(" ({l})")).unwrap_or_default();
            format!(
                "{} takes {name}{label} (source: {}); the vendor's page implies it (\"{quote}\") without asking for it, so sfperms does not grant it: add --user-permission {name} if this user will do that",
                advice.doing(),
                advice.source()
            )
        }
        Warning::IntegrationLicenceUnknown { vendor } => format!(
            "{vendor}'s document does not say whether it works with the Salesforce Integration user licence: check with the vendor"
        ),
        Warning::IntegrationLicenceAllows { licence, permissions } => format!(
            "whether the {licence} permission set licence allows {}: no stored Salesforce source lists what it allows; a deploy or assignment fails where it does not",
            permissions.join(", ")
        ),
    }
}
