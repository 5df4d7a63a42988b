//! How a user may authorize an OAuth connected app since Salesforce's 2025 restrictions, newest
//! rule first, each with the Salesforce article it comes from; and what metadata can hold of it.

/// One rule of connected-app access, with its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Rule {
    pub since: &'static str,
    pub rule: &'static str,
    pub source: &'static str,
}

/// The rules, newest first.
pub const RULES: [Rule; 2] = [
    Rule {
        since: "the week of 8 December 2025",
        rule: "\"Use Any API Client\" no longer lets a user self-authorize an uninstalled connected app",
        source: "Salesforce Help article 005228838 (published 17 November 2025, updated 24 November 2025)",
    },
    Rule {
        since: "early September 2025",
        rule: "uninstalled connected apps are blocked for most users; the new user permission \"Approve Uninstalled Connected Apps\" bypasses the block and is for highly trusted users only; installing an app needs Customize Application and either Modify All Data or Manage Connected Apps",
        source: "Salesforce Help article 005132365, \"Prepare for Connected App Usage Restrictions Change\"",
    },
];

/// The two ways an admin can let the integration user authorize the app, least risky first.
pub const INSTALL_AND_PRE_AUTHORIZE: &str = "install the app (Setup > Connected Apps OAuth Usage > Install), set its Permitted Users to \"Admin approved users are pre-authorized\", and add this permission set (or profile) to the app's Permission Sets (or Profiles)";
/// Why sfperms cannot write the pre-authorization itself.
pub const NOT_IN_THIS_FILE: &str = "neither PermissionSet nor Profile metadata holds connected-app access; the ConnectedApp's own permissionSetName and profileName do (Metadata API v66 schema), and the app belongs to the vendor: do it in Setup";
/// The risk-ranked alternative sfperms never grants on its own.
pub const APPROVE_UNINSTALLED: &str = "grant the integration user \"Approve Uninstalled Connected Apps\" (CanApproveUninstalledApps): high risk, it lets the user authorize any uninstalled app, not only this one; sfperms does not grant it";
