//! The catalog file exactly as written (serde over TOML). Unknown keys are errors with a caret;
//! nothing here is checked beyond types: `validate` turns this into the model.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// A string or a list of strings: `feature = "deploy"` or `feature = ["deploy", "debug-logs"]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub(crate) fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Integration {
    pub id: Spanned<String>,
    pub name: String,
    pub summary: String,
    /// The vendor documents' file names, in `sources/` beside the catalog file: the first is the
    /// main one; more when one page is not enough (a second page, a page that contradicts it).
    pub document: Spanned<OneOrMany>,
    /// The main document's title; an excerpt's header gives it instead.
    pub title: Option<Spanned<String>>,
    /// Where the main document is published; an excerpt's header gives it instead.
    pub vendor_url: Option<Spanned<String>>,
    /// `permission-set` (default) or `profile`.
    pub output: Option<Spanned<String>>,
    pub output_source: Option<Spanned<OneOrMany>>,
    pub default_name: Spanned<String>,
    pub default_label: String,
    pub admin_shortcut: Option<AdminShortcut>,
    /// Whether the vendor accepts the Salesforce Integration user licence.
    pub integration_licence: Option<IntegrationLicence>,
    /// The integration authorizes through an OAuth connected app.
    pub connected_app: Option<ConnectedApp>,
    /// The integration works through Salesforce's API: API Enabled is a platform requirement.
    #[serde(default)]
    pub connects_through_api: bool,
    #[serde(default)]
    pub option: Vec<OptionDef>,
    #[serde(default)]
    pub feature: Vec<Feature>,
    #[serde(default)]
    pub require: Vec<Requirement>,
    #[serde(default)]
    pub unmapped: Vec<Unmapped>,
    #[serde(default)]
    pub warning: Vec<Warning>,
    #[serde(default)]
    pub rule_out: Vec<RuleOut>,
    #[serde(default)]
    pub package_permission_set: Vec<PackagePermissionSet>,
    #[serde(default)]
    pub conflict: Vec<Conflict>,
    /// Salesforce needs the vendor's words imply but do not ask for (`deploys-apex`, …).
    #[serde(default)]
    pub platform_need: Vec<PlatformNeed>,
}

/// A Salesforce need the vendor's page implies without asking for it: said as a warning with the
/// permission it takes, never granted in silence.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct PlatformNeed {
    /// `deploys-apex` or `reads-debug-logs`.
    pub need: Spanned<String>,
    /// The vendor's words that imply it.
    pub source: Spanned<OneOrMany>,
    pub feature: Option<Spanned<OneOrMany>>,
    #[serde(default)]
    pub when: BTreeMap<String, Spanned<OneOrMany>>,
}

/// A permission set of the vendor's managed package that the page tells admins to assign: named by
/// `explain`, never written by sfperms.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PackagePermissionSet {
    pub name: Spanned<String>,
    pub source: Spanned<OneOrMany>,
    pub note: Option<String>,
    pub feature: Option<Spanned<OneOrMany>>,
    #[serde(default)]
    pub when: BTreeMap<String, Spanned<OneOrMany>>,
}

/// Two (or more) statements of the vendor's documents that disagree, and which one sfperms follows.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Conflict {
    pub subject: Spanned<String>,
    pub sides: Vec<ConflictSide>,
    /// Which side is followed (the documented minimum) and why.
    pub resolution: String,
    pub feature: Option<Spanned<OneOrMany>>,
    #[serde(default)]
    pub when: BTreeMap<String, Spanned<OneOrMany>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConflictSide {
    pub source: Spanned<OneOrMany>,
    /// What this statement asks for, in a few words.
    pub says: String,
}

/// What the page's "just use System Administrator" shortcut would grant instead.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AdminShortcut {
    pub source: Spanned<OneOrMany>,
    pub user_permissions: Vec<Spanned<String>>,
    pub note: String,
}

/// `[integration-licence]`: what the vendor's document says of the Salesforce Integration user
/// licence.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct IntegrationLicence {
    pub accepts: bool,
    pub source: Spanned<OneOrMany>,
    pub note: Option<String>,
}

/// `[connected-app]`: the document's words for the OAuth connected app the integration uses.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConnectedApp {
    pub source: Spanned<OneOrMany>,
    /// The app's name, when the document gives it.
    pub name: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OptionDef {
    pub name: Spanned<String>,
    pub description: String,
    /// `choice` (default when `values` is given), `object`, `field` or `name`.
    pub kind: Option<Spanned<String>>,
    pub values: Option<Vec<String>>,
    #[serde(default)]
    pub value_descriptions: BTreeMap<String, String>,
    pub default: Option<Spanned<String>>,
    #[serde(default)]
    pub required: bool,
    pub source: Option<Spanned<OneOrMany>>,
    pub unverified: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Feature {
    pub name: Spanned<String>,
    pub description: String,
    pub source: Option<Spanned<OneOrMany>>,
    #[serde(default)]
    pub implies: Vec<Spanned<String>>,
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// The grant keys a requirement (or one of its alternatives) may carry.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Grants {
    #[serde(default)]
    pub user_permissions: Vec<Spanned<String>>,
    /// Object API name (may hold `{option}` placeholders, or be `{object}`) → `read,create,…`.
    #[serde(default)]
    pub objects: BTreeMap<String, Spanned<String>>,
    /// `Object.Field` (placeholders allowed, or `{field}`) → `read` or `edit`.
    #[serde(default)]
    pub fields: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    pub apex_classes: Vec<Spanned<String>>,
    #[serde(default)]
    pub external_credential_principals: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Requirement {
    pub source: Spanned<OneOrMany>,
    pub feature: Option<Spanned<OneOrMany>>,
    #[serde(default)]
    pub when: BTreeMap<String, Spanned<OneOrMany>>,
    // The grant keys are spelled out here rather than `#[serde(flatten)]`ed from `Grants`:
    // flatten loses toml's spans and disables deny_unknown_fields.
    #[serde(default)]
    pub user_permissions: Vec<Spanned<String>>,
    #[serde(default)]
    pub objects: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    pub fields: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    pub apex_classes: Vec<Spanned<String>>,
    #[serde(default)]
    pub external_credential_principals: Vec<Spanned<String>>,
    #[serde(default)]
    pub any_of: Vec<Grants>,
    pub unverified: Option<String>,
    pub note: Option<String>,
    /// Further sentences of the document that state the same requirement (a table row, a
    /// recommendation): checked like `source` and counted as cited, not repeated by `explain`.
    pub also: Option<Spanned<OneOrMany>>,
}

impl Requirement {
    /// The requirement's own grant keys, as one `Grants`.
    pub(crate) fn take_grants(&mut self) -> Grants {
        Grants {
            user_permissions: std::mem::take(&mut self.user_permissions),
            objects: std::mem::take(&mut self.objects),
            fields: std::mem::take(&mut self.fields),
            apex_classes: std::mem::take(&mut self.apex_classes),
            external_credential_principals: std::mem::take(&mut self.external_credential_principals),
        }
    }
}

/// A vendor sentence that maps to no grant, with the reason (listed by `explain`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Unmapped {
    pub source: Spanned<OneOrMany>,
    pub reason: String,
    pub feature: Option<Spanned<OneOrMany>>,
    #[serde(default)]
    pub when: BTreeMap<String, Spanned<OneOrMany>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Warning {
    pub message: String,
    pub source: Option<Spanned<OneOrMany>>,
    pub feature: Option<Spanned<OneOrMany>>,
    #[serde(default)]
    pub when: BTreeMap<String, Spanned<OneOrMany>>,
    /// Only when the output is this kind (`permission-set` or `profile`).
    #[serde(rename = "as")]
    pub as_output: Option<Spanned<String>>,
}

/// An option combination the vendor document rules out: an input error with this explanation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleOut {
    pub when: BTreeMap<String, Spanned<OneOrMany>>,
    pub message: String,
    pub source: Spanned<OneOrMany>,
}
