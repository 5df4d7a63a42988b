//! Permission dependencies Salesforce enforces on deploy ("Permission ViewSetup depends on
//! permission(s): ViewRoles"): the built-in table, which an org's own PermissionDependency export
//! can replace, and the object-flag implications that hold in every org.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::tsv;
use crate::access::{Item, ObjectAccess};

const BUILTIN: &str = include_str!("data/permission-dependencies.tsv");
const LICENCE_BOUND: &str = include_str!("data/licence-bound-dependencies.tsv");
const OBJECT_RULES: &str = include_str!("data/object-access-rules.tsv");

/// Where a required pair comes from. Written as the data files and `--json` have always spelled
/// it: `setup-tooltip`, `deploy-error`, `org export deps.csv:2`, or the rule's own sentence.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum DependencySource {
    /// The built-in table: Setup's "requires" tooltip.
    SetupTooltip,
    /// The built-in table: a quoted Salesforce deploy error.
    DeployError,
    /// A row of the org's own PermissionDependency export.
    OrgExport { file: String, line: usize },
    /// A rule that holds in every org, with its source (object flags, field-level security).
    Rule(&'static str),
}

impl DependencySource {
    /// The `source` column of `data/permission-dependencies.tsv`.
    fn from_column(value: &str) -> Option<DependencySource> {
        match value {
            "setup-tooltip" => Some(DependencySource::SetupTooltip),
            "deploy-error" => Some(DependencySource::DeployError),
            _ => None,
        }
    }
}

impl std::fmt::Display for DependencySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DependencySource::SetupTooltip => f.write_str("setup-tooltip"),
            DependencySource::DeployError => f.write_str("deploy-error"),
            DependencySource::OrgExport { file, line } => write!(f, "org export {file}:{line}"),
            DependencySource::Rule(text) => f.write_str(text),
        }
    }
}

impl serde::Serialize for DependencySource {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// One required pair: granting `item` requires `requires`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub requires: Item,
    pub source: DependencySource,
}

/// The dependency pairs in force for one run.
#[derive(Debug, Clone, Default)]
pub struct DependencyTable {
    edges: BTreeMap<Item, Vec<Edge>>,
    /// Where this table came from, said in `explain`.
    pub origin: String,
    /// Pairs that hold only with a licence (`data/licence-bound-dependencies.tsv`): not applied,
    /// but warned about when the left side is granted. Empty for an org's own export.
    pub licence_bound: Vec<LicenceBound>,
}

/// A dependency that holds only in orgs with `licence`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenceBound {
    pub item: Item,
    pub requires: Item,
    pub licence: String,
}

impl DependencyTable {
    /// The table shipped with sfperms (`src/platform/data/permission-dependencies.tsv`).
    pub fn builtin() -> &'static DependencyTable {
        static TABLE: OnceLock<DependencyTable> = OnceLock::new();
        TABLE.get_or_init(|| {
            let mut table = DependencyTable::empty(
                "the built-in table (Setup tooltips and quoted deploy errors; see src/platform/data/permission-dependencies.tsv)",
            );
            tsv::for_each_row(LICENCE_BOUND, |row| {
                table.licence_bound.push(LicenceBound {
                    item: Item::UserPermission(row.get("permission").to_string()),
                    requires: Item::UserPermission(row.get("requires").to_string()),
                    licence: row.get("licence").to_string(),
                });
            });
            tsv::for_each_row(BUILTIN, |row| {
                let item = Item::UserPermission(row.get("permission").to_string());
                let requires = Item::UserPermission(row.get("requires").to_string());
                let source = DependencySource::from_column(row.get("source"))
                    .unwrap_or_else(|| panic!("permission-dependencies.tsv:{}: unknown source", row.line));
                if !table.licence_bound.iter().any(|l| l.item == item && l.requires == requires) {
                    table.add(item, requires, source);
                }
            });
            table
        })
    }

    pub fn empty(origin: impl Into<String>) -> DependencyTable {
        DependencyTable { edges: BTreeMap::new(), origin: origin.into(), licence_bound: Vec::new() }
    }

    pub fn add(&mut self, item: Item, requires: Item, source: DependencySource) {
        let edges = self.edges.entry(item).or_default();
        if !edges.iter().any(|e| e.requires == requires) {
            edges.push(Edge { requires, source });
        }
    }

    /// What `item` requires directly, in the table's order.
    pub fn requirements_of(&self, item: &Item) -> &[Edge] {
        self.edges.get(item).map_or(&[], Vec::as_slice)
    }

    pub fn len(&self) -> usize {
        self.edges.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.edges.is_empty()
    }

    /// Every pair, for listing and tests.
    pub fn pairs(&self) -> impl Iterator<Item = (&Item, &Edge)> {
        self.edges.iter().flat_map(|(item, edges)| edges.iter().map(move |e| (item, e)))
    }
}

/// Flags on the same object that `access` implies, with the source of each rule.
pub fn object_implications(access: ObjectAccess) -> Vec<(ObjectAccess, &'static str)> {
    static RULES: OnceLock<Vec<(ObjectAccess, ObjectAccess, &'static str)>> = OnceLock::new();
    let rules = RULES.get_or_init(|| {
        let mut rules = Vec::new();
        tsv::for_each_row(OBJECT_RULES, |row| {
            let from = row.get("access").parse().expect("object-access-rules.tsv: access");
            let to = row.get("implies").parse().expect("object-access-rules.tsv: implies");
            rules.push((from, to, row.get("source")));
        });
        rules
    });
    rules.iter().filter(|(from, _, _)| *from == access).map(|(_, to, source)| (*to, *source)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::permissions;

    fn up(name: &str) -> Item {
        Item::UserPermission(name.into())
    }

    #[test]
    fn builtin_table_has_the_documented_pairs() {
        let table = DependencyTable::builtin();
        let requires =
            |p: &str| -> Vec<Item> { table.requirements_of(&up(p)).iter().map(|e| e.requires.clone()).collect() };
        assert!(requires("ViewSetup").contains(&up("ViewRoles")));
        assert!(requires("ModifyMetadata").contains(&up("ViewSetup")));
        assert!(requires("AuthorApex").contains(&up("ModifyMetadata")));
        assert_eq!(requires("ManageUsers").len(), 15);
    }

    #[test]
    fn licence_bound_pairs_are_held_back() {
        let table = DependencyTable::builtin();
        let requires: Vec<&Item> = table.requirements_of(&up("ViewAllData")).iter().map(|e| &e.requires).collect();
        assert!(requires.contains(&&up("ViewEventLogFiles")));
        assert!(!requires.contains(&&up("ViewDataLeakageEvents")));
        assert_eq!(table.licence_bound.len(), 2);
        // Every held-back pair is a pair of the table itself.
        tsv::for_each_row(LICENCE_BOUND, |row| {
            let mut found = false;
            tsv::for_each_row(BUILTIN, |b| {
                found |= b.get("permission") == row.get("permission") && b.get("requires") == row.get("requires");
            });
            assert!(found, "line {}", row.line);
        });
    }

    #[test]
    fn builtin_names_marked_known_exist() {
        tsv::for_each_row(BUILTIN, |row| {
            if row.get("known_v64") == "yes" {
                assert!(permissions::is_known(row.get("permission")), "line {}", row.line);
                assert!(permissions::is_known(row.get("requires")), "line {}", row.line);
            }
        });
    }

    #[test]
    fn modify_all_implies_every_other_flag() {
        let implied: Vec<ObjectAccess> =
            object_implications(ObjectAccess::ModifyAll).into_iter().map(|(a, _)| a).collect();
        assert_eq!(implied.len(), 4);
        assert!(object_implications(ObjectAccess::Create).iter().all(|(a, _)| *a == ObjectAccess::Read));
    }
}
