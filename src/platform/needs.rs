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
