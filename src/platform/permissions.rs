//! Every user permission API name (a v64.0 PermissionSet describe, and newer names from real
//! retrieves, each with its source) with its Setup label, and the
//! privilege rank sfperms uses to choose among a vendor's alternatives.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::tsv;

const USER_PERMISSIONS: &str = include_str!("data/user-permissions.tsv");
const CORPUS_PERMISSIONS: &str = include_str!("data/user-permissions-corpus.tsv");
const PRIVILEGE: &str = include_str!("data/privilege.tsv");

/// The rank of a permission the privilege table does not list.
pub const DEFAULT_RANK: u32 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Risk {
    Low,
    Medium,
    High,
}

#[derive(Debug, Clone)]
pub struct Privilege {
    pub rank: u32,
    pub risk: Risk,
    pub why: &'static str,
}

/// API name → UI label, for every user permission the platform data knows.
pub fn labels() -> &'static BTreeMap<&'static str, &'static str> {
    static LABELS: OnceLock<BTreeMap<&'static str, &'static str>> = OnceLock::new();
    LABELS.get_or_init(|| {
        let mut map = BTreeMap::new();
        // user-permissions.tsv has `# name\tlabel` as a comment, so read it by position.
        for line in USER_PERMISSIONS.lines().filter(|l| !l.starts_with('#')) {
            if let Some((name, label)) = line.split_once('\t') {
                map.insert(name, label);
            }
        }
        tsv::for_each_row(CORPUS_PERMISSIONS, |row| {
            map.entry(row.get("name")).or_insert(row.get("label"));
        });
        map
    })
}

pub fn is_known(name: &str) -> bool {
    labels().contains_key(name)
}

/// The Setup label, where a source gives one.
pub fn label(name: &str) -> Option<&'static str> {
    labels().get(name).copied().filter(|l| !l.is_empty())
}

/// Where sfperms knows a permission name from: the v64.0 describe, or the retrieve that holds it.
pub fn source(name: &str) -> Option<&'static str> {
    static TABLE: OnceLock<BTreeMap<&'static str, &'static str>> = OnceLock::new();
    let corpus = TABLE.get_or_init(|| {
        let mut map = BTreeMap::new();
        tsv::for_each_row(CORPUS_PERMISSIONS, |row| {
            map.insert(row.get("name"), row.get("source"));
        });
        map
    });
    if USER_PERMISSIONS.lines().any(|l| l.split('\t').next() == Some(name)) {
        return Some("a v64.0 PermissionSet describe (anthonyreilly/NetCoreForce@539d50fa89fd SfPermissionSet.cs)");
    }
    corpus.get(name).copied()
}

fn privileges() -> &'static BTreeMap<&'static str, Privilege> {
    static TABLE: OnceLock<BTreeMap<&'static str, Privilege>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = BTreeMap::new();
        tsv::for_each_row(PRIVILEGE, |row| {
            let risk = match row.get("risk") {
                "high" => Risk::High,
                "medium" => Risk::Medium,
                _ => Risk::Low,
            };
            let rank = row.get("rank").parse().expect("privilege.tsv: rank is a number");
            map.insert(row.get("name"), Privilege { rank, risk, why: row.get("why") });
        });
        map
    })
}

pub fn privilege(name: &str) -> Privilege {
    privileges().get(name).cloned().unwrap_or(Privilege { rank: DEFAULT_RANK, risk: Risk::Low, why: "" })
}

/// Names close to `wrong`, best first: for "did you mean" in errors. Labels count too, so
/// `ManageFlows` finds `ManageInteraction` through its label "Manage Flow".
pub fn suggestions(wrong: &str) -> Vec<&'static str> {
    let wanted = normalise(wrong);
    let mut scored: Vec<(f64, &'static str)> = labels()
        .iter()
        .map(|(name, label)| {
            let by_name = strsim::jaro_winkler(&wanted, &normalise(name));
            let by_label = strsim::jaro_winkler(&wanted, &normalise(label));
            (by_name.max(by_label), *name)
        })
        .filter(|(score, _)| *score > 0.88)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, name)| name).collect()
}

fn normalise(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_permission_from_a_retrieve_is_in_the_file_it_cites() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/corpus");
        tsv::for_each_row(CORPUS_PERMISSIONS, |row| {
            let source = row.get("source");
            let path = match source.strip_prefix("org retrieve tests/fixtures/corpus/") {
                Some(path) => format!("{root}/{path}"),
                None => {
                    let path = source.split_once(' ').expect("`repo@commit path`").1;
                    assert!(source.starts_with("Ameyzone/Agentforce_Roomie@"), "{source}");
                    format!("{root}/public/Ameyzone__Agentforce_Roomie/{path}")
                }
            };
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert!(text.contains(&format!("<name>{}</name>", row.get("name"))), "{} not in {path}", row.get("name"));
            assert!(is_known(row.get("name")) && source_of_is_known(row.get("name")));
        });
        for name in ["ManageTranslation", "ManageSandboxes", "ManageEntitlements", "CanApproveUninstalledApps"] {
            assert!(is_known(name), "{name}");
        }
    }

    fn source_of_is_known(name: &str) -> bool {
        super::source(name).is_some()
    }

    #[test]
    fn knows_the_names_vendor_pages_get_wrong() {
        assert!(is_known("ManageInteraction"));
        assert!(is_known("ManageRemoteAccess"));
        assert!(is_known("ManagePvtRptsAndDashbds"));
        assert!(is_known("ManageProfilesPermissionsets"));
        assert!(!is_known("ManageFlows"));
        assert!(!is_known("ManageFlow"));
        assert_eq!(label("ModifyMetadata"), Some("Modify Metadata Through Metadata API Functions"));
    }

    #[test]
    fn suggests_the_api_name_for_a_ui_label() {
        assert_eq!(suggestions("ManageFlows").first(), Some(&"ManageInteraction"));
        assert!(suggestions("ModifyMetaData").contains(&"ModifyMetadata"));
    }

    #[test]
    fn every_ranked_permission_exists() {
        for name in privileges().keys() {
            assert!(is_known(name), "privilege.tsv names unknown permission {name}");
        }
        assert!(privilege("ModifyAllData").rank > privilege("ModifyMetadata").rank);
    }
}
