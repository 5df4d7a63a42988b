//! What the platform allows on an object: which objects take objectPermissions at all (and what
//! grants access to the others), and which flags a standard object accepts.

use super::tables::{NON_PERMISSIONABLE_OBJECTS, STANDARD_OBJECTS};
use super::tsv::Row;
use crate::access::ObjectAccess;

/// Where `standard-object-permissions-admin-v67.tsv` comes from, for messages.
pub const STANDARD_OBJECTS_SOURCE: &str =
    "the standard objects of a real v67 System Administrator profile (Epic-ATS/NightlyBackup@75e301d2c131)";

/// How access to an object without objectPermissions is had instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Grant this user permission.
    Grant(&'static str),
    /// Grant this access on the parent object instead.
    Parent(&'static str, ObjectAccess),
    /// Nothing to grant: the platform gives it through the parent record or sharing.
    Implicit,
    /// Cannot be granted narrowly.
    Unsupported,
}

#[derive(Debug, Clone)]
pub struct Mapping {
    pub outcome: Outcome,
    pub verified: bool,
    pub explanation: &'static str,
    /// Where the row comes from; starts with `UNVERIFIED` where nothing backs it.
    pub source: &'static str,
}

/// The row of `non-permissionable-objects.tsv` as a mapping.
fn mapping(row: &Row<'static, '_>) -> Mapping {
    let outcome = match row.get("outcome") {
        "grant" => Outcome::Grant(row.get("grant")),
        "parent" => {
            let (object, access) = row.get("grant").split_once(':').expect("parent grant is OBJECT:ACCESS");
            Outcome::Parent(object, access.parse().expect("parent access word"))
        }
        "implicit" => Outcome::Implicit,
        "unsupported" => Outcome::Unsupported,
        other => panic!("non-permissionable-objects.tsv line {}: outcome {other}", row.line),
    };
    Mapping {
        outcome,
        verified: row.get("verified") == "yes",
        explanation: row.get("explanation"),
        source: row.get("source"),
    }
}

/// The rows of `object` in `non-permissionable-objects.tsv` (the name as written), in file order.
fn rows_of(object: &str) -> impl Iterator<Item = Row<'static, 'static>> {
    NON_PERMISSIONABLE_OBJECTS.all_ignore_case(object).filter(move |row| row.get("object") == object)
}

/// `Some` when `object` never takes objectPermissions: how `access` to it is had instead.
pub fn non_permissionable(object: &str, access: ObjectAccess) -> Option<Mapping> {
    let find = |word: &str| rows_of(object).find(|row| row.get("access") == word).map(|row| mapping(&row));
    find(access.word()).or_else(|| find("*"))
}

pub fn is_non_permissionable(object: &str) -> bool {
    rows_of(object).next().is_some()
}

/// The flags System Administrator holds on `object` (the name as written) in the reference org,
/// `None` when it is not one of its permissionable standard objects.
fn standard_object(object: &str) -> Option<Vec<ObjectAccess>> {
    let row = STANDARD_OBJECTS.find(object)?;
    Some(ObjectAccess::ALL.into_iter().filter(|a| row.get(a.element()) == "true").collect())
}

/// What kind of name an object API name is, by its suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    Standard,
    /// `__c`.
    Custom,
    /// `__mdt`: written as customMetadataTypeAccesses, not objectPermissions.
    CustomMetadataType,
    /// `__e`: Read and Create only.
    PlatformEvent,
    /// `__x`: an external object (Salesforce Connect).
    External,
    /// `__b`: a big object.
    BigObject,
    /// `__Share`, `__History`, `__Feed`, `__ChangeEvent`, `__Tag` (and the same rows of a standard
    /// object, `AccountShare`): they take no object permissions. Says why.
    NoObjectPermissions(&'static str),
    /// Another namespaced suffix (`__kav`, `__dlm`…): passed through as written.
    Other,
}

/// Where the "takes no object permissions" kinds come from.
pub const ASSOCIATED_OBJECTS_SOURCE: &str = "Object Reference, \"Associated Objects\" (Share, History, Feed and ChangeEvent objects belong to their parent object); none of them appears in objectPermissions of the full v67 System Administrator retrieve";

/// Suffixes of the rows that belong to another object, and how access to them is had.
const ASSOCIATED: [(&str, &str); 5] = [
    ("Share", "a sharing table: its rows come from sharing settings and rules on the parent object"),
    ("History", "a field history table: readable with the parent record"),
    ("Feed", "a Chatter feed: visible with the parent record"),
    ("ChangeEvent", "a change data capture event: delivered to subscribers who can read the parent object"),
    ("Tag", "a tag table: tags are visible with the parent record"),
];

pub fn kind(object: &str) -> ObjectKind {
    if let Some((_, suffix)) = object.rsplit_once("__") {
        if let Some((_, why)) = ASSOCIATED.iter().find(|(s, _)| suffix.eq_ignore_ascii_case(s)) {
            return ObjectKind::NoObjectPermissions(why);
        }
        return match suffix.to_ascii_lowercase().as_str() {
            "c" => ObjectKind::Custom,
            "mdt" => ObjectKind::CustomMetadataType,
            "e" => ObjectKind::PlatformEvent,
            "x" => ObjectKind::External,
            "b" => ObjectKind::BigObject,
            _ => ObjectKind::Other,
        };
    }
    if !is_known_standard(object) && !is_non_permissionable(object) {
        // `AccountShare`, `CaseHistory`: the associated rows of a known standard object.
        for (suffix, why) in ASSOCIATED {
            if let Some(parent) = object.strip_suffix(suffix)
                && is_known_standard(parent)
            {
                return ObjectKind::NoObjectPermissions(why);
            }
        }
    }
    ObjectKind::Standard
}

/// A standard object's name as Salesforce writes it (`account` → `Account`); other names as given.
pub fn true_case(object: &str) -> String {
    if object.contains("__") {
        return object.to_string();
    }
    let row = STANDARD_OBJECTS.find_ignore_case(object).or_else(|| NON_PERMISSIONABLE_OBJECTS.find_ignore_case(object));
    row.map_or_else(|| object.to_string(), |row| row.get("object").to_string())
}

/// Whether the reference org lists this standard object as permissionable.
pub fn is_known_standard(object: &str) -> bool {
    STANDARD_OBJECTS.find(object).is_some()
}

/// `Err(why)` when the platform does not take `access` on `object`.
pub fn check_flag(object: &str, access: ObjectAccess) -> Result<(), String> {
    if kind(object) == ObjectKind::PlatformEvent && !matches!(access, ObjectAccess::Read | ObjectAccess::Create) {
        return Err("platform events take only Read and Create (every platform event in a real Admin permission set has only those)".to_string());
    }
    match standard_object(object) {
        // An object Admin cannot even read there says nothing (licence-bound); one it reads but
        // without this flag does not take the flag.
        Some(held) if held.contains(&ObjectAccess::Read) && !held.contains(&access) => Err(format!(
            "System Administrator does not hold {} on {object} in {STANDARD_OBJECTS_SOURCE}: the object does not take it",
            access.label()
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activities_and_comments_map_to_user_permissions() {
        let task_edit = non_permissionable("Task", ObjectAccess::Edit).unwrap();
        assert_eq!(task_edit.outcome, Outcome::Grant("EditTask"));
        let comment = non_permissionable("CaseComment", ObjectAccess::Create).unwrap();
        assert_eq!(comment.outcome, Outcome::Grant("EditCaseComments"));
        assert_eq!(non_permissionable("Note", ObjectAccess::Edit).unwrap().outcome, Outcome::Implicit);
        assert!(non_permissionable("Account", ObjectAccess::Read).is_none());
        let line_item = non_permissionable("OpportunityLineItem", ObjectAccess::Edit).unwrap();
        assert_eq!(line_item.outcome, Outcome::Parent("Opportunity", ObjectAccess::Edit));
    }

    /// Every row of the table, as (object, access word, mapping).
    fn mappings() -> impl Iterator<Item = (&'static str, &'static str, Mapping)> {
        NON_PERMISSIONABLE_OBJECTS.rows().map(|row| (row.get("object"), row.get("access"), mapping(&row)))
    }

    #[test]
    fn an_object_and_access_word_have_one_row() {
        let mut seen = std::collections::BTreeSet::new();
        for (object, access, _) in mappings() {
            assert!(seen.insert((object, access)), "{object} {access} is listed twice");
        }
    }

    #[test]
    fn mapped_grants_are_real_permissions() {
        for (_, _, mapping) in mappings() {
            if let Outcome::Grant(name) = mapping.outcome {
                assert!(crate::platform::permissions::is_known(name), "{name}");
            }
        }
    }

    /// Every row says where it comes from; a row without a primary source says UNVERIFIED, and the
    /// user permissions and real retrieve its source names are the ones sfperms holds.
    #[test]
    fn every_mapping_names_its_source() {
        let mut labels_checked = 0;
        for (object, access, mapping) in mappings() {
            assert!(!mapping.source.trim().is_empty(), "{object} {access}: no source");
            if !mapping.verified {
                assert!(
                    mapping.source.starts_with("UNVERIFIED"),
                    "{object} {access}: unverified, says {}",
                    mapping.source
                );
            }
            if mapping.source.contains("Epic-ATS/NightlyBackup@75e301d2c131") {
                assert!(STANDARD_OBJECTS_SOURCE.contains("Epic-ATS/NightlyBackup@75e301d2c131"));
            }
            for (name, label) in labelled_permissions(mapping.source) {
                assert_eq!(crate::platform::permissions::label(name), Some(label), "{object} {access}: {name}");
                labels_checked += 1;
            }
        }
        assert!(labels_checked >= 20, "the label check found only {labels_checked} citations");
    }

    /// `labels NAME "Label"` pairs a source cites from the describe.
    fn labelled_permissions(source: &str) -> Vec<(&str, &str)> {
        let mut out = Vec::new();
        for part in source.split("labels ").skip(1).chain(source.split(" and ").skip(1)) {
            let Some((name, rest)) = part.split_once(" \"") else { continue };
            let Some((label, _)) = rest.split_once('"') else { continue };
            if name.chars().all(|c| c.is_ascii_alphanumeric()) {
                out.push((name, label));
            }
        }
        out
    }

    #[test]
    fn no_non_permissionable_object_is_in_the_admin_profile() {
        for (object, _, _) in mappings() {
            assert!(!is_known_standard(object), "{object} appears in objectPermissions after all");
        }
    }

    #[test]
    fn flags_an_object_does_not_take() {
        assert!(check_flag("Account", ObjectAccess::ModifyAll).is_ok());
        assert!(check_flag("DevopsEnvDeployment", ObjectAccess::ViewAll).is_ok());
        assert!(check_flag("Thing__e", ObjectAccess::Edit).is_err());
        assert!(check_flag("Thing__c", ObjectAccess::ModifyAll).is_ok());
    }

    #[test]
    fn names_are_classified_by_suffix_and_written_in_true_case() {
        assert_eq!(kind("Foo__c"), ObjectKind::Custom);
        assert_eq!(kind("ns__Foo__mdt"), ObjectKind::CustomMetadataType);
        assert_eq!(kind("Foo__e"), ObjectKind::PlatformEvent);
        assert_eq!(kind("Foo__x"), ObjectKind::External);
        assert_eq!(kind("Foo__b"), ObjectKind::BigObject);
        for name in
            ["Foo__Share", "Foo__History", "Foo__Feed", "Foo__ChangeEvent", "Foo__Tag", "AccountShare", "CaseHistory"]
        {
            assert!(matches!(kind(name), ObjectKind::NoObjectPermissions(_)), "{name}");
        }
        assert_eq!(kind("ApiPrtcPolicyChangeEvent"), ObjectKind::Standard, "a standard object of that name");
        assert_eq!(true_case("account"), "Account");
        assert_eq!(true_case("OPPORTUNITY"), "Opportunity");
        assert_eq!(true_case("task"), "Task");
        assert_eq!(true_case("Nope"), "Nope");
    }
}
