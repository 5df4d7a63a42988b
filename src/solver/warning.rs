//! What the solver could not settle and the admin should know: typed, so that the CLI renders the
//! words (and the flag names) and tells an unverified rule from the rest by a property, not by a
//! prefix of the text.

use crate::access::Item;
use crate::catalog::Quote;
use crate::platform::dependencies::DependencySource;
use crate::platform::needs::PlatformAdvice;

/// One warning of a plan: its kind and the data the sentence needs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Warning {
    /// An integration option was left at its default, which the catalog marks unverified.
    UnverifiedDefault { option: String, default: String, why: String },
    /// A grant whose name needs options that were not given.
    NeedsOption { subject: String, options: Vec<String> },
    /// A custom metadata type asked for with more than read: read is all it takes.
    MetadataTypeReadOnly { subject: String, why: String },
    /// An object that takes no objectPermissions, mapped by a rule that has no primary source.
    UnverifiedObjectRule { object: String, explanation: String },
    /// Asked for, but cannot be granted narrowly (the reason says why).
    NotGranted { subject: String, why: String },
    /// A standard object name that is not in the known list.
    UnknownStandardObject { object: String, known: &'static str },
    /// A field left out of fieldPermissions by a rule without a primary source.
    UnverifiedFieldRule { field: String, why: String, source: String },
    /// A field sfperms' data does not know, granted as asked.
    UnknownField { field: String },
    /// The org's field list decided a field: what its `IsPermissionable` column means is read
    /// from its name, not from a Salesforce page.
    OrgFieldListMeaning,
    /// Edit asked on a field that is read-only: granted read.
    FieldReadNotEdit { field: String, why: String },
    /// The catalog marks the requirement's mapping unverified.
    UnverifiedRequirement { why: String },
    /// A `[[warning]]` of the catalog, in the catalog's words.
    Catalog { message: String },
    /// A dependency that holds only with a licence the org may have: not granted.
    LicenceBound { item: Item, requires: Item, licence: String },
    /// An external credential principal, which Profile metadata cannot hold: left out of the file.
    PrincipalNotInProfile { principal: Item },
    /// A user permission (from an org export or the command line) sfperms does not know.
    UnknownUserPermission { name: String, from: Vec<DependencySource> },
    /// Every requirement belongs to a feature and none was chosen.
    NothingGranted { integration: String, features: Vec<String> },
    /// The integration authorizes through a connected app, which this file cannot install.
    ConnectedApp,
    /// The vendor's document does not say whether it accepts the Salesforce Integration licence.
    IntegrationLicenceUnknown { vendor: String },
    /// Salesforce asks for a permission for something the vendor's words say the integration does
    /// (`quote`), which the page does not ask for: not granted.
    PlatformNeedNotGranted { advice: PlatformAdvice, quote: Quote },
    /// Whether the Integration permission set licence allows these user permissions.
    IntegrationLicenceAllows { licence: &'static str, permissions: Vec<String> },
}

impl Warning {
    /// Whether the warning flags a name or a rule sfperms has no source for.
    pub fn unverified(&self) -> bool {
        matches!(
            self,
            Warning::UnverifiedDefault { .. }
                | Warning::UnverifiedObjectRule { .. }
                | Warning::UnknownStandardObject { .. }
                | Warning::UnverifiedFieldRule { .. }
                | Warning::UnknownField { .. }
                | Warning::OrgFieldListMeaning
                | Warning::UnverifiedRequirement { .. }
                | Warning::IntegrationLicenceUnknown { .. }
                | Warning::IntegrationLicenceAllows { .. }
        )
    }
}
