//! Metadata API versions: the oldest version that holds each element sfperms writes and the newest
//! version sfperms knows (`data/api-versions.tsv`, each row with its source). A version outside
//! that range is refused, for `--api-version` and an SFDX project's `sourceApiVersion` alike.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::tsv;

const VERSIONS: &str = include_str!("data/api-versions.tsv");

/// One row of the table: since which version an element exists, and why sfperms believes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Since {
    pub major: u32,
    pub source: &'static str,
}

fn table() -> &'static BTreeMap<&'static str, Since> {
    static TABLE: OnceLock<BTreeMap<&'static str, Since>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = BTreeMap::new();
        tsv::for_each_row(VERSIONS, |row| {
            let major = parse(row.get("since"))
                .unwrap_or_else(|_| panic!("api-versions.tsv line {}: bad version {}", row.line, row.get("since")));
            map.insert(row.get("element"), Since { major, source: row.get("source") });
        });
        map
    })
}

/// The newest version sfperms knows, with its source.
pub fn newest() -> Since {
    table()["newest"]
}

/// `66.0` → 66. Anything else (`66`, `66.1`, `abc`, `0.0`) is an error that says how to write it.
pub fn parse(version: &str) -> Result<u32, String> {
    let major = version
        .split_once('.')
        .filter(|(major, minor)| {
            !major.is_empty() && major.len() <= 3 && major.chars().all(|c| c.is_ascii_digit()) && *minor == "0"
        })
        .and_then(|(major, _)| major.parse::<u32>().ok())
        .filter(|major| *major > 0);
    major.ok_or_else(|| format!("`{version}` is not an API version: write it like `66.0`"))
}

/// Checks `version` against the elements a file holds (`userPermissions`, `classAccesses`…, and
/// `PermissionSet` or `Profile` itself). `Err` says which element needs a newer version, or that
/// the version is newer than sfperms knows, with the source.
pub fn check(version: &str, elements: &[&str]) -> Result<(), String> {
    let major = parse(version)?;
    let newest = newest();
    if major > newest.major {
        return Err(format!(
            "API version {version} is newer than the newest sfperms knows ({}.0; source: {}): use {}.0 or older",
            newest.major, newest.source, newest.major
        ));
    }
    for element in elements {
        let Some(since) = table().get(element) else { continue };
        if major < since.major {
            return Err(format!(
                "API version {version} does not have {element}, which this file holds: it needs {}.0 or later (source: {})",
                since.major, since.source
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_versions_say_how_to_write_one() {
        for bad in ["abc", "66", "66.1", "0.0", "1e3.0", "", "9999.0"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert_eq!(parse("66.0"), Ok(66));
    }

    #[test]
    fn versions_outside_the_known_range_are_refused() {
        assert!(check("66.0", &["PermissionSet", "userPermissions"]).is_ok());
        assert!(check("1.0", &["PermissionSet"]).unwrap_err().contains("22.0 or later"));
        let err = check("30.0", &["PermissionSet", "externalCredentialPrincipalAccesses"]).unwrap_err();
        assert!(err.contains("does not have externalCredentialPrincipalAccesses"), "{err}");
        assert!(check("999.0", &[]).unwrap_err().contains("newer than the newest sfperms knows"));
    }

    #[test]
    fn every_row_has_a_source() {
        for (element, since) in table() {
            assert!(!since.source.trim().is_empty(), "{element}");
        }
    }
}
