//! Needs Salesforce itself imposes on how an integration works, whatever the vendor's page says:
//! each with the words `explain` uses and the Salesforce page it rests on.

use serde::Serialize;

/// A platform requirement a catalog property turns on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlatformNeed {
    /// `connects-through-api = true`: every call the integration makes goes through the API.
    ConnectsThroughApi,
}

impl PlatformNeed {
    /// What it is about the integration that needs the grant.
    pub fn why(self) -> &'static str {
        match self {
            PlatformNeed::ConnectsThroughApi => {
                "the integration works through Salesforce's API, and a user can call the API only with API Enabled"
            }
        }
    }

    /// The Salesforce page that says so.
    pub fn source(self) -> &'static str {
        match self {
            PlatformNeed::ConnectsThroughApi => {
                "SOAP API Developer Guide, \"Security and the API\": \"To access the API (to issue calls and receive the call results), a user must be granted the 'API Enabled' profile permission.\" (developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_concepts_security.htm)"
            }
        }
    }

    /// The user permissions it grants.
    pub fn user_permissions(self) -> &'static [&'static str] {
        match self {
            PlatformNeed::ConnectsThroughApi => &["ApiEnabled"],
        }
    }
}

/// A need Salesforce documents for something the integration does, which its vendor's page does
/// not ask for: never granted in silence, but said, with the permission it takes and the page
/// that says so (a catalog's `[[platform-need]]` names the vendor's words that imply it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlatformAdvice {
    /// `deploys-apex`: the integration deploys Apex classes or triggers (Metadata API deploy).
    DeploysApex,
    /// `reads-debug-logs`: the integration reads debug logs.
    ReadsDebugLogs,
}

impl PlatformAdvice {
    /// Every advice, by its catalog name.
    pub const ALL: [(&'static str, PlatformAdvice); 2] =
        [("deploys-apex", PlatformAdvice::DeploysApex), ("reads-debug-logs", PlatformAdvice::ReadsDebugLogs)];

    /// The advice a catalog name stands for.
    pub fn named(name: &str) -> Option<PlatformAdvice> {
        PlatformAdvice::ALL.iter().find(|(n, _)| *n == name).map(|(_, a)| *a)
    }

    /// What the integration does that needs it.
    pub fn doing(self) -> &'static str {
        match self {
            PlatformAdvice::DeploysApex => "deploying Apex classes and triggers",
            PlatformAdvice::ReadsDebugLogs => "viewing debug logs",
        }
    }

    /// The user permission Salesforce asks for.
    pub fn user_permission(self) -> &'static str {
        match self {
            PlatformAdvice::DeploysApex => "AuthorApex",
            PlatformAdvice::ReadsDebugLogs => "ViewAllData",
        }
    }

    /// The Salesforce pages that say so.
    pub fn source(self) -> &'static str {
        match self {
            PlatformAdvice::DeploysApex => {
                "Salesforce Help, \"Define Apex Classes\": \"To define, edit, delete, set security, and set version settings for Apex classes: Author Apex\" (help.salesforce.com, code_define_package.htm); Metadata API Developer Guide, \"Metadata API Edit Access\": a deploying user also needs the \"Permission that enables use of the feature supported by the metadata that they want to modify\" (developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_metadata_perm.htm)"
            }
            PlatformAdvice::ReadsDebugLogs => {
                "Salesforce Help, \"Debug Logs\": \"To view, retain, and delete debug logs: View All Data\" (help.salesforce.com, code_debug_log.htm; the text was read in a copy of the page, scribd.com/document/592306562)"
            }
        }
    }
}
