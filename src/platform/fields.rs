//! Which fields take fieldPermissions: required and system fields never do ("You cannot deploy to a
//! required field"); for the standard objects of the reference org the permissionable list is exact.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::{objects, tsv};

const STANDARD_FIELDS: &str = include_str!("data/standard-field-permissions-admin-v67.tsv");
const NON_PERMISSIONABLE: &str = include_str!("data/non-permissionable-fields.tsv");

/// What the platform data says about one `Object.Field`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldRule {
    /// Takes fieldPermissions. `admin_read_only`: System Administrator holds it read-only in the
    /// reference org, so it is probably a read-only (formula or system-calculated) field.
    Permissionable { admin_read_only: bool },
    /// Never takes fieldPermissions; always accessible with the object. Says why.
    AlwaysAccessible(String),
    /// A standard object whose fields the reference org does not list: assumed permissionable.
    Unverified,
}

fn standard_fields() -> &'static BTreeMap<&'static str, (bool, bool)> {
    static TABLE: OnceLock<BTreeMap<&'static str, (bool, bool)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = BTreeMap::new();
        tsv::for_each_row(STANDARD_FIELDS, |row| {
            map.insert(row.get("field"), (row.get("editable") == "true", row.get("readable") == "true"));
        });
        map
    })
}

fn system_fields() -> &'static BTreeMap<&'static str, &'static str> {
    static TABLE: OnceLock<BTreeMap<&'static str, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = BTreeMap::new();
        tsv::for_each_row(NON_PERMISSIONABLE, |row| {
            map.insert(row.get("field"), row.get("why"));
        });
        map
    })
}

fn objects_with_listed_fields() -> &'static std::collections::BTreeSet<&'static str> {
    static SET: OnceLock<std::collections::BTreeSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| standard_fields().keys().filter_map(|f| f.split_once('.').map(|(o, _)| o)).collect())
}

/// The rule for `Object.Field` (the caller has checked the `Object.Field` shape).
pub fn rule(qualified: &str) -> FieldRule {
    let (object, field) = qualified.split_once('.').unwrap_or((qualified, ""));
    if let Some((editable, readable)) = standard_fields().get(qualified) {
        return FieldRule::Permissionable { admin_read_only: *readable && !*editable };
    }
    // Contract.Name and Order.Name are optional and listed above; every other Name is not.
    if let Some(why) = system_fields().get(field) {
        return FieldRule::AlwaysAccessible((*why).to_string());
    }
    if field.contains("__") {
        // Custom and managed fields: permissionable unless required, which only the org knows.
        return FieldRule::Permissionable { admin_read_only: false };
    }
    if objects_with_listed_fields().contains(object) || objects::is_known_standard(object) {
        return FieldRule::AlwaysAccessible(format!(
            "{qualified} never appears in fieldPermissions of a full v67 retrieve: it is required or system-controlled"
        ));
    }
    FieldRule::Unverified
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_and_name_fields_are_always_accessible() {
        for field in [
            "Account.Name",
            "Contact.FirstName",
            "Contact.LastName",
            "Task.Subject",
            "Task.Status",
            "Case.Id",
            "Thing__c.OwnerId",
        ] {
            assert!(matches!(rule(field), FieldRule::AlwaysAccessible(_)), "{field}");
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
            assert_eq!(rule(field), FieldRule::Permissionable { admin_read_only: false }, "{field}");
        }
        assert!(matches!(rule("Account.Planhat_Id__c"), FieldRule::Permissionable { .. }));
        assert_eq!(rule("Incident.Impact"), FieldRule::Unverified);
    }
}
