//! Every user permission API name (a v64.0 PermissionSet describe, and newer names from real
//! retrieves, each with its source) with its Setup label, and the
//! privilege rank sfperms uses to choose among a vendor's alternatives.

use super::tables::{CORPUS_PERMISSIONS, PRIVILEGE, USER_PERMISSIONS};

/// Where `user-permissions.tsv` comes from.
const DESCRIBE_SOURCE: &str =
    "a v64.0 PermissionSet describe (anthonyreilly/NetCoreForce@539d50fa89fd SfPermissionSet.cs)";

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

/// (API name, UI label) of every user permission the platform data knows: the describe's, then
/// the newer ones of the corpus (a corpus row of a name the describe has adds nothing).
pub fn labels() -> impl Iterator<Item = (&'static str, &'static str)> {
    let describe = USER_PERMISSIONS.rows().map(|row| (row.get("name"), row.get("label")));
    let corpus = CORPUS_PERMISSIONS.rows().filter(|row| USER_PERMISSIONS.find(row.get("name")).is_none());
    describe.chain(corpus.map(|row| (row.get("name"), row.get("label"))))
}

pub fn is_known(name: &str) -> bool {
    USER_PERMISSIONS.find(name).is_some() || CORPUS_PERMISSIONS.find(name).is_some()
}

/// The Setup label, where a source gives one.
pub fn label(name: &str) -> Option<&'static str> {
    let row = USER_PERMISSIONS.find(name).or_else(|| CORPUS_PERMISSIONS.find(name))?;
    Some(row.get("label")).filter(|l| !l.is_empty())
}

/// Where sfperms knows a permission name from: the v64.0 describe, or the retrieve that holds it.
pub fn source(name: &str) -> Option<&'static str> {
    if USER_PERMISSIONS.find(name).is_some() {
        return Some(DESCRIBE_SOURCE);
    }
    CORPUS_PERMISSIONS.find(name).map(|row| row.get("source"))
}

pub fn privilege(name: &str) -> Privilege {
    let Some(row) = PRIVILEGE.find(name) else {
        return Privilege { rank: DEFAULT_RANK, risk: Risk::Low, why: "" };
    };
    let risk = match row.get("risk") {
        "high" => Risk::High,
        "medium" => Risk::Medium,
        _ => Risk::Low,
    };
    let rank = row.get("rank").parse().expect("privilege.tsv: rank is a number");
    Privilege { rank, risk, why: row.get("why") }
}

/// Names close to `wrong`, best first: for "did you mean" in errors. Labels count too, so
/// `ManageFlows` finds `ManageInteraction` through its label "Manage Flow".
pub fn suggestions(wrong: &str) -> Vec<&'static str> {
    let wanted = normalise(wrong);
    let mut scored: Vec<(f64, &'static str)> = labels()
        .map(|(name, label)| {
            let by_name = strsim::jaro_winkler(&wanted, &normalise(name));
            let by_label = strsim::jaro_winkler(&wanted, &normalise(label));
            (by_name.max(by_label), name)
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
        for row in CORPUS_PERMISSIONS.rows() {
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
        }
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
        for row in PRIVILEGE.rows() {
            let name = row.get("name");
            assert!(is_known(name), "privilege.tsv names unknown permission {name}");
            assert!(row.get("rank").parse::<u32>().is_ok(), "privilege.tsv line {}: rank", row.line);
        }
        assert!(privilege("ModifyAllData").rank > privilege("ModifyMetadata").rank);
    }
}
