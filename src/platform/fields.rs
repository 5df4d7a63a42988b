//! Which fields take fieldPermissions, from evidence only: a field some real retrieve or deployed
//! file grants is permissionable (with that file as the source); a required or system field never
//! is; an address or geolocation component is permissioned through its compound field; a name
//! close to a known field of its object is a typo; anything else is unknown, never assumed
//! absent. Names match case-insensitively and come back in their true case.

use super::objects;
use super::tables::{ADMIN_FIELDS, CORPUS_FIELDS, NON_PERMISSIONABLE_FIELDS, NON_PERMISSIONABLE_STANDARD_FIELDS};

/// Where `standard-field-permissions-admin-v67.tsv` comes from, for messages.
pub const ADMIN_FIELDS_SOURCE: &str =
    "fieldPermissions of a real v67 System Administrator profile (Epic-ATS/NightlyBackup@75e301d2c131)";
/// Where the required and system fields come from.
pub const NON_PERMISSIONABLE_SOURCE: &str = "absent from every fieldPermissions of two full v67 retrieves (docs/salesforce-facts.md section 4.1); Salesforce's permission-set skill names Name, OwnerId and CreatedById (forcedotcom/afv-library)";
/// Where the compound-field rule comes from.
pub const COMPOUND_SOURCE: &str = "Object Reference, \"Address Compound Fields\" (components Street, City, State, StateCode, PostalCode, Country, CountryCode, Latitude, Longitude, GeocodeAccuracy) and \"Compound Fields\" (geolocation components __Latitude__s/__Longitude__s); retrieves hold only the compound in fieldPermissions (Account.BillingAddress, Lead.Address)";

/// The parts of a standard address, as they end a component's name (longest first, so
/// `BillingCountryCode` is a CountryCode and not a Country).
const ADDRESS_COMPONENTS: [&str; 10] = [
    "GeocodeAccuracy",
    "CountryCode",
    "PostalCode",
    "StateCode",
    "Longitude",
    "Latitude",
    "Country",
    "Street",
    "State",
    "City",
];

/// What the platform data says about one `Object.Field`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldRule {
    /// Takes fieldPermissions. `admin_read_only`: System Administrator holds it read-only in the
    /// reference org, so it is a read-only (formula or system-calculated) field.
    Permissionable { field: String, admin_read_only: bool, source: String },
    /// A required or system field: never in fieldPermissions, readable with its object.
    NotPermissionable { field: String, why: String, source: &'static str },
    /// An address or geolocation component: its compound field takes the permission.
    Component { component: String, compound: String },
    /// Not a field sfperms knows, but close to one of its object: a typo that would fail the deploy.
    Typo { field: String, suggestion: String },
    /// Nothing known: a field of an org or feature the evidence does not cover.
    Unknown { field: String },
}

/// The permissionable standard field `Object.Field` (any case): its true case, whether System
/// Administrator holds it read-only, and its source. The reference profile's rows come first; the
/// corpus adds fields it lacks.
fn permissionable(qualified: &str) -> Option<(&'static str, bool, &'static str)> {
    if let Some(row) = ADMIN_FIELDS.find_ignore_case(qualified) {
        let read_only = row.get("readable") == "true" && row.get("editable") != "true";
        return Some((row.get("field"), read_only, ADMIN_FIELDS_SOURCE));
    }
    CORPUS_FIELDS.find_ignore_case(qualified).map(|row| (row.get("field"), false, row.get("source")))
}

/// The permissionable field names of `object` (true case), from both tables.
fn fields_of(object: &str) -> Vec<&'static str> {
    let prefix = format!("{object}.");
    let mut names = Vec::new();
    for table in [&ADMIN_FIELDS, &CORPUS_FIELDS] {
        for row in table.with_prefix_ignore_case(&prefix) {
            if let Some((of, name)) = row.get("field").split_once('.')
                && of == object
            {
                names.push(name);
            }
        }
    }
    names
}

/// The rule for `Object.Field` (the caller has checked the `Object.Field` shape).
pub fn rule(qualified: &str) -> FieldRule {
    let (object, name) = qualified.split_once('.').unwrap_or((qualified, ""));
    let object = objects::true_case(object);
    let qualified = format!("{object}.{name}");
    if let Some((field, admin_read_only, source)) = permissionable(&qualified) {
        return FieldRule::Permissionable { field: field.to_string(), admin_read_only, source: source.to_string() };
    }
    if let Some(row) = NON_PERMISSIONABLE_STANDARD_FIELDS.find_ignore_case(&qualified) {
        return FieldRule::NotPermissionable {
            field: row.get("field").to_string(),
            why: row.get("why").to_string(),
            source: row.get("source"),
        };
    }
    if let Some((component, compound)) = compound_of(&object, name) {
        return FieldRule::Component { component, compound };
    }
    // Contract.Name and Order.Name are optional and listed above; every other Name is not.
    if let Some(row) = NON_PERMISSIONABLE_FIELDS.find_ignore_case(name) {
        return FieldRule::NotPermissionable {
            field: format!("{object}.{}", row.get("field")),
            why: row.get("why").to_string(),
            source: NON_PERMISSIONABLE_SOURCE,
        };
    }
    if name.contains("__") {
        // Custom and managed fields: permissionable unless required, which only the org knows.
        return FieldRule::Permissionable {
            field: qualified,
            admin_read_only: false,
            source: "a custom field: permissionable unless it is required".to_string(),
        };
    }
    if let Some(suggestion) = typo_of(name, &fields_of(&object)) {
        return FieldRule::Typo { field: qualified, suggestion: format!("{object}.{suggestion}") };
    }
    FieldRule::Unknown { field: qualified }
}

/// `BillingStreet` on Account → (`Account.BillingStreet`, `Account.BillingAddress`) when that
/// compound is known, both in true case; `Site__Latitude__s` → `Site__c`.
fn compound_of(object: &str, name: &str) -> Option<(String, String)> {
    let lower = name.to_ascii_lowercase();
    for suffix in ["__latitude__s", "__longitude__s"] {
        if let Some(stem) = lower.strip_suffix(suffix) {
            return Some((format!("{object}.{name}"), format!("{object}.{}__c", &name[..stem.len()])));
        }
    }
    for component in ADDRESS_COMPONENTS {
        if lower.ends_with(&component.to_ascii_lowercase()) {
            let prefix = &name[..name.len() - component.len()];
            if let Some((field, _, _)) = permissionable(&format!("{object}.{prefix}Address")) {
                let true_prefix = field.split_once('.').map_or("", |(_, f)| f.trim_end_matches("Address"));
                return Some((format!("{object}.{true_prefix}{component}"), field.to_string()));
            }
        }
    }
    None
}

/// A known field name within a small edit distance of `name` (one edit for short names, two for
/// names of eight characters or more).
fn typo_of<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let limit = if name.len() >= 8 { 2 } else { 1 };
    candidates
        .iter()
        .map(|c| (strsim::osa_distance(&name.to_ascii_lowercase(), &c.to_ascii_lowercase()), *c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// Every `Object.Field` of the built-in data with its source, for tests and listings.
pub fn permissionable_fields() -> impl Iterator<Item = (&'static str, &'static str)> {
    let admin = ADMIN_FIELDS.rows().map(|row| (row.get("field"), ADMIN_FIELDS_SOURCE));
    let corpus = CORPUS_FIELDS.rows().filter(|row| ADMIN_FIELDS.find_ignore_case(row.get("field")).is_none());
    admin.chain(corpus.map(|row| (row.get("field"), row.get("source"))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_and_system_fields_are_not_permissionable() {
        for field in [
            "Account.Name",
            "Contact.Id",
            "Contact.FirstName",
            "contact.lastname",
            "Task.Subject",
            "Task.Status",
            "Task.OwnerId",
            "Case.Id",
            "Thing__c.OwnerId",
            "Pricebook2.Name",
        ] {
            assert!(matches!(rule(field), FieldRule::NotPermissionable { .. }), "{field}");
        }
    }

    #[test]
    fn the_planhat_fields_are_permissionable() {
        for field in [
            "Contact.Email",
            "Contact.Phone",
            "Contact.Title",
            "Contact.AccountId",
            "Task.Description",
            "Task.ActivityDate",
        ] {
            assert!(matches!(rule(field), FieldRule::Permissionable { admin_read_only: false, .. }), "{field}");
        }
        assert!(matches!(rule("Account.Planhat_Id__c"), FieldRule::Permissionable { .. }));
    }

    #[test]
    fn names_match_in_any_case_and_come_back_in_true_case() {
        match rule("account.accountnumber") {
            FieldRule::Permissionable { field, .. } => assert_eq!(field, "Account.AccountNumber"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn address_and_geolocation_components_map_to_their_compound() {
        let compound = |f: &str| match rule(f) {
            FieldRule::Component { compound, .. } => compound,
            other => panic!("{f}: {other:?}"),
        };
        assert_eq!(compound("Account.BillingStreet"), "Account.BillingAddress");
        assert_eq!(compound("Account.BillingCountryCode"), "Account.BillingAddress");
        assert_eq!(compound("contact.mailingcity"), "Contact.MailingAddress");
        assert_eq!(compound("Lead.PostalCode"), "Lead.Address");
        assert_eq!(compound("Site__c.Location__Latitude__s"), "Site__c.Location__c");
    }

    #[test]
    fn a_near_miss_is_a_typo_and_a_far_one_is_unknown() {
        assert_eq!(
            rule("Account.AcountNumber"),
            FieldRule::Typo { field: "Account.AcountNumber".into(), suggestion: "Account.AccountNumber".into() }
        );
        assert_eq!(rule("Account.NoSuchField"), FieldRule::Unknown { field: "Account.NoSuchField".into() });
        assert_eq!(rule("Account.PersonEmail"), FieldRule::Unknown { field: "Account.PersonEmail".into() });
        assert_eq!(rule("Incident.Impact"), FieldRule::Unknown { field: "Incident.Impact".into() });
    }

    #[test]
    fn every_corpus_row_is_granted_in_the_file_it_cites() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/corpus");
        let manifest = std::fs::read_to_string(format!("{root}/public/MANIFEST.tsv")).unwrap();
        for row in CORPUS_FIELDS.rows() {
            let source = row.get("source");
            let path = match source.strip_prefix("org retrieve tests/fixtures/corpus/") {
                Some(path) => format!("{root}/{path}"),
                None => {
                    let (repo, path) = source.split_once(' ').expect("`repo@commit path`");
                    let repo = repo.split('@').next().unwrap();
                    let line = manifest
                        .lines()
                        .find(|l| l.split('\t').nth(1) == Some(repo) && l.split('\t').nth(2) == Some(path))
                        .unwrap_or_else(|| panic!("{source} is not in MANIFEST.tsv"));
                    format!("{root}/public/{}", line.split('\t').next().unwrap())
                }
            };
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert!(
                text.contains(&format!("<field>{}</field>", row.get("field"))),
                "{} not in {path}",
                row.get("field")
            );
        }
    }
}
