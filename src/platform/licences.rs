//! User licence names a new profile may be written with (`data/user-licences.tsv`, each with its
//! source), and what sfperms knows of the Salesforce Integration licence.

use std::sync::OnceLock;

use super::tsv;

const LICENCES: &str = include_str!("data/user-licences.tsv");

/// The user licence of API-only integration users.
pub const INTEGRATION_LICENCE: &str = "Salesforce Integration";
/// The permission set licence that user licence makes available, which an Integration user's
/// permission sets are tied to (Salesforce Help, "Give Integration Users API Only Access": "The
/// Salesforce Integration user license makes the Minimum Access - API Only Integrations profile
/// and the Salesforce API Integration permission set license available for assignment").
pub const INTEGRATION_PERMISSION_SET_LICENCE: &str = "Salesforce API Integration";

fn licences() -> &'static Vec<(&'static str, &'static str)> {
    static TABLE: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut rows = Vec::new();
        tsv::for_each_row(LICENCES, |row| rows.push((row.get("licence"), row.get("source"))));
        rows
    })
}

/// Every known licence name, in the table's order.
pub fn names() -> Vec<&'static str> {
    licences().iter().map(|(name, _)| *name).collect()
}

/// The licence as Profile metadata writes it (`salesforce integration` → `Salesforce
/// Integration`), with its source; `Err` names the known ones and the closest.
pub fn check(name: &str) -> Result<(&'static str, &'static str), String> {
    if let Some((known, source)) = licences().iter().find(|(n, _)| n.eq_ignore_ascii_case(name.trim())) {
        return Ok((known, source));
    }
    let hint = crate::suggest::hint(name, names());
    Err(format!(
        "`{name}` is not a user licence sfperms knows{hint}; the known licences are: {} (src/platform/data/user-licences.tsv)",
        names().join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_names_come_back_as_metadata_writes_them() {
        assert_eq!(check("salesforce integration").unwrap().0, INTEGRATION_LICENCE);
        assert_eq!(check("Salesforce").unwrap().0, "Salesforce");
    }

    #[test]
    fn unknown_names_are_refused_with_a_did_you_mean() {
        let err = check("Salesforce Platfrom").unwrap_err();
        assert!(err.contains("did you mean `Salesforce Platform`"), "{err}");
        assert!(check("Bogus").unwrap_err().contains("the known licences are: Salesforce,"));
    }

    #[test]
    fn every_licence_has_a_source() {
        for (name, source) in licences() {
            assert!(!source.trim().is_empty(), "{name}");
        }
    }
}
