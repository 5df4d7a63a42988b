//! The validated catalog: every name checked, every quote found in its document, conditions and
//! placeholders resolved to types. The solver reads only this.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::access::{FieldAccess, ObjectAccess};
use crate::metadata::OutputKind;
use crate::platform::needs::PlatformAdvice;

#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub integrations: BTreeMap<String, Integration>,
}

impl Catalog {
    pub fn get(&self, id: &str) -> Option<&Integration> {
        self.integrations.get(id)
    }

    pub fn ids(&self) -> Vec<&str> {
        self.integrations.keys().map(String::as_str).collect()
    }
}

/// Verbatim sentences of the vendor document (several when one requirement rests on a list item
/// and its heading). Each was checked to occur in the document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Quote(pub Vec<String>);

impl std::fmt::Display for Quote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.join(" … "))
    }
}

#[derive(Debug, Clone)]
pub struct Integration {
    pub id: String,
    pub name: String,
    pub summary: String,
    /// The catalog file this came from (`profiles/planhat.toml`, or a `--catalog` path).
    pub origin: String,
    /// The main document's file name in `sources/`.
    pub document: String,
    /// The main document's title (from the catalog, or from an excerpt's header).
    pub title: String,
    /// Where the main document is published (from the catalog, or from an excerpt's header).
    pub vendor_url: Option<String>,
    /// Every document the integration cites, the main one first.
    pub sources: Vec<SourceInfo>,
    pub output: OutputKind,
    pub output_source: Option<Quote>,
    pub default_name: String,
    pub default_label: String,
    pub admin_shortcut: Option<AdminShortcut>,
    pub integration_licence: Option<IntegrationLicence>,
    pub connected_app: Option<ConnectedApp>,
    /// The integration works through Salesforce's API, so API Enabled is granted as a platform
    /// requirement even where the document does not name it.
    pub connects_through_api: bool,
    pub options: Vec<OptionDef>,
    pub features: Vec<Feature>,
    pub requirements: Vec<Requirement>,
    pub unmapped: Vec<Unmapped>,
    pub warnings: Vec<Warning>,
    pub rule_outs: Vec<RuleOut>,
    pub package_permission_sets: Vec<PackagePermissionSet>,
    pub conflicts: Vec<Conflict>,
    /// Salesforce needs the vendor's words imply but do not ask for.
    pub platform_needs: Vec<PlatformNeedUse>,
}

/// A `[[platform-need]]`: what the integration does (in Salesforce's terms), the vendor's words
/// that say it does so, and when.
#[derive(Debug, Clone)]
pub struct PlatformNeedUse {
    pub advice: PlatformAdvice,
    pub source: Quote,
    pub condition: Condition,
}

/// One document an integration cites: its file and, for an excerpt, the page it was copied from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceInfo {
    pub file: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// When the page was read (excerpts only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read: Option<String>,
}

/// A permission set of the vendor's managed package the page tells admins to assign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackagePermissionSet {
    pub name: String,
    pub source: Quote,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip)]
    pub condition: Condition,
}

/// Statements of the vendor's documents that disagree, and the one sfperms follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    pub subject: String,
    pub sides: Vec<ConflictSide>,
    pub resolution: String,
    #[serde(skip)]
    pub condition: Condition,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConflictSide {
    pub source: Quote,
    pub says: String,
    /// The file (in `sources/`) the quote comes from.
    pub document: String,
}

impl Integration {
    pub fn option(&self, name: &str) -> Option<&OptionDef> {
        self.options.iter().find(|o| o.name == name)
    }

    /// The source a file name refers to.
    pub fn source(&self, file: &str) -> Option<&SourceInfo> {
        self.sources.iter().find(|s| s.file == file)
    }

    pub fn feature(&self, name: &str) -> Option<&Feature> {
        self.features.iter().find(|f| f.name == name || f.aliases.iter().any(|a| a == name))
    }

    /// Every quote of the vendor document the catalog holds, wherever it is cited (requirements,
    /// features, options, unmapped sentences, warnings, rule-outs, the admin shortcut).
    pub fn quotes(&self) -> Vec<&Quote> {
        let mut quotes: Vec<&Quote> = Vec::new();
        quotes.extend(self.output_source.iter());
        quotes.extend(self.admin_shortcut.iter().map(|s| &s.source));
        quotes.extend(self.integration_licence.iter().map(|l| &l.source));
        quotes.extend(self.connected_app.iter().map(|a| &a.source));
        quotes.extend(self.options.iter().filter_map(|o| o.source.as_ref()));
        quotes.extend(self.features.iter().filter_map(|f| f.source.as_ref()));
        quotes.extend(self.requirements.iter().map(|r| &r.source));
        quotes.extend(self.requirements.iter().filter_map(|r| r.also.as_ref()));
        quotes.extend(self.unmapped.iter().map(|u| &u.source));
        quotes.extend(self.warnings.iter().filter_map(|w| w.source.as_ref()));
        quotes.extend(self.rule_outs.iter().map(|r| &r.source));
        quotes.extend(self.package_permission_sets.iter().map(|p| &p.source));
        quotes.extend(self.conflicts.iter().flat_map(|c| c.sides.iter().map(|s| &s.source)));
        quotes.extend(self.platform_needs.iter().map(|n| &n.source));
        quotes
    }

    /// Whether any requirement expands `{object}` / `{field}` from the command line.
    pub(crate) fn takes_placeholder(&self, placeholder: &str) -> bool {
        self.requirements.iter().any(|r| {
            r.alternatives.iter().flatten().any(|t| match t {
                Template::Object(name, _) | Template::Field(name, _) => name == placeholder,
                _ => false,
            })
        })
    }
}

#[derive(Debug, Clone)]
pub struct AdminShortcut {
    pub source: Quote,
    pub user_permissions: Vec<String>,
    pub note: String,
}

/// Whether the vendor accepts the Salesforce Integration user licence (the licence that gives
/// the "Minimum Access - API Only Integrations" profile and the "Salesforce API Integration"
/// permission set licence), in the document's words.
#[derive(Debug, Clone, Serialize)]
pub struct IntegrationLicence {
    pub accepts: bool,
    pub source: Quote,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The integration authorizes through an OAuth connected app: the org must install the app and
/// pre-authorize the user, or let the user approve an uninstalled app.
#[derive(Debug, Clone, Serialize)]
pub struct ConnectedApp {
    pub source: Quote,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What an option's value is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "values")]
pub enum OptionKind {
    /// One of a fixed list.
    Choice(Vec<String>),
    /// An object API name (`Opportunity`, `Subscription__c`).
    Object,
    /// A field API name on an object the requirement names (`Planhat_Id__c`).
    Field,
    /// A free metadata name (an external credential, a principal).
    Name,
}

impl OptionKind {
    /// How a value is written in help and listings: `receive-only|two-way`, `OBJECT`, `FIELD`, `NAME`.
    pub fn value_hint(&self) -> String {
        match self {
            OptionKind::Choice(values) => values.join("|"),
            OptionKind::Object => "OBJECT".into(),
            OptionKind::Field => "FIELD".into(),
            OptionKind::Name => "NAME".into(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct OptionDef {
    pub name: String,
    pub description: String,
    pub kind: OptionKind,
    pub value_descriptions: BTreeMap<String, String>,
    pub default: Option<String>,
    pub required: bool,
    pub source: Option<Quote>,
    pub unverified: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Feature {
    pub name: String,
    pub description: String,
    pub source: Option<Quote>,
    pub implies: Vec<String>,
    pub aliases: Vec<String>,
}

/// When a requirement, warning or note applies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Condition {
    /// Any of these features selected (empty: always).
    pub features: Vec<String>,
    /// Every named option has one of the listed values.
    pub options: BTreeMap<String, Vec<String>>,
    /// Only for this output kind.
    pub output: Option<OutputKind>,
}

/// One grant as the catalog writes it; names may hold `{option}` placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Template {
    UserPermission(String),
    Object(String, Vec<ObjectAccess>),
    Field(String, FieldAccess),
    ApexClass(String),
    ExternalCredentialPrincipal(String),
}

#[derive(Debug, Clone)]
pub struct Requirement {
    pub source: Quote,
    pub condition: Condition,
    /// One entry: a plain requirement. Several: "any one of" (each alternative is all of its grants).
    pub alternatives: Vec<Vec<Template>>,
    /// Why a name is not confirmed by a source, when it is not.
    pub unverified: Option<String>,
    pub note: Option<String>,
    /// Further sentences stating the same requirement (cited, not shown by `explain`).
    pub also: Option<Quote>,
    /// Line of the requirement in its catalog file.
    pub line: usize,
}

#[derive(Debug, Clone)]
pub struct Unmapped {
    pub source: Quote,
    pub reason: String,
    pub condition: Condition,
}

#[derive(Debug, Clone)]
pub struct Warning {
    pub message: String,
    pub source: Option<Quote>,
    pub condition: Condition,
}

#[derive(Debug, Clone)]
pub struct RuleOut {
    pub options: BTreeMap<String, Vec<String>>,
    pub message: String,
    pub source: Quote,
}
