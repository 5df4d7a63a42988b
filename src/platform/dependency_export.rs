//! Reads an org's own `PermissionDependency` export into a `DependencyTable` that replaces the
//! built-in one. The export is what the Salesforce CLI writes for
//! `sf data query --use-tooling-api --query "SELECT Permission, RequiredPermission, PermissionType,
//! RequiredPermissionType FROM PermissionDependency"`: CSV (`--result-format csv`) or JSON (`--json`,
//! or a bare Tooling API QueryResult `{"records": [...]}`).
//!
//! Each row says "enabling `Permission` requires `RequiredPermission`". The type columns hold the
//! literals `User Permission` or `Object Permission`; object rows are written `Account<read>` with
//! the verbs create, read, update, delete, viewAllRecords, modifyAllRecords (salesforce-facts.md
//! section 3). Rows sfperms cannot use (a type or verb it does not write) are counted and named in
//! the table's origin, not dropped in silence; a malformed file is an error naming file and line.
//! Reading only: what the pairs mean for a plan is the solver's business.

use std::collections::BTreeMap;
use std::path::Path;

use super::dependencies::{DependencySource, DependencyTable};
use super::permissions;
pub use super::query_export::ExportError;
use super::query_export::{Export, read_text};
use crate::access::{Item, ObjectAccess};

/// The query whose output this module reads, for messages and docs.
pub const QUERY: &str =
    "SELECT Permission, RequiredPermission, PermissionType, RequiredPermissionType FROM PermissionDependency";

const USER: &str = "User Permission";
const OBJECT: &str = "Object Permission";

/// One row as read, before it is understood.
struct Row {
    line: usize,
    permission: String,
    permission_type: String,
    required: String,
    required_type: String,
}

/// Reads `path` (CSV or JSON, told apart by its first character) into a dependency table.
pub fn load(path: &Path) -> Result<DependencyTable, ExportError> {
    let (file, text) = read_text(path, "the PermissionDependency export")?;
    parse(&file, &text)
}

/// Parses the text of an export; `file` names it in errors and in the reasons it gives.
pub fn parse(file: &str, text: &str) -> Result<DependencyTable, ExportError> {
    let rows = rows(file, text)?;
    if rows.is_empty() {
        return Err(ExportError {
            file: file.into(),
            line: 0,
            message: format!(
                "no PermissionDependency rows: run `sf data query --use-tooling-api --query \"{QUERY}\" --result-format csv` as a user with View Setup and Configuration"
            ),
        });
    }
    let mut table = DependencyTable::empty(String::new());
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    for row in &rows {
        let from = item(file, row.line, &row.permission, &row.permission_type, "Permission")?;
        let to = item(file, row.line, &row.required, &row.required_type, "RequiredPermission")?;
        match (from, to) {
            (Ok(from), Ok(to)) => {
                if from != to {
                    table.add(from, to, DependencySource::OrgExport { file: file.to_string(), line: row.line });
                }
            }
            (Err(why), _) | (_, Err(why)) => *skipped.entry(why).or_default() += 1,
        }
    }
    let skipped_text = if skipped.is_empty() {
        String::new()
    } else {
        let parts: Vec<String> = skipped.iter().map(|(why, n)| format!("{n} with {why}")).collect();
        format!("; rows skipped: {}", parts.join(", "))
    };
    table.origin = format!(
        "the org's PermissionDependency export {file} ({} rows, {} distinct pairs{skipped_text}), replacing the built-in table",
        rows.len(),
        table.len(),
    );
    Ok(table)
}

/// The item a cell names. The outer `Err` is a malformed file; the inner `Err(why)` a row sfperms
/// cannot use (counted and reported).
fn item(file: &str, line: usize, name: &str, kind: &str, column: &str) -> Result<Result<Item, String>, ExportError> {
    let error = |message: String| ExportError { file: file.into(), line, message };
    let name = name.trim();
    if name.is_empty() {
        return Err(error(format!("{column} is empty")));
    }
    match kind.trim() {
        USER => {
            // Some tools write the PermissionSet field name (`PermissionsViewSetup`).
            let bare =
                name.strip_prefix("Permissions").filter(|n| !permissions::is_known(name) && permissions::is_known(n));
            Ok(Ok(Item::UserPermission(bare.unwrap_or(name).to_string())))
        }
        OBJECT => {
            let parsed = name
                .strip_suffix('>')
                .and_then(|n| n.split_once('<'))
                .filter(|(object, verb)| !object.is_empty() && !verb.is_empty());
            let Some((object, verb)) = parsed else {
                return Err(error(format!(
                    "{column} `{name}` is an object permission but not written `Object<verb>` (e.g. `Account<read>`)"
                )));
            };
            Ok(object_access(verb)
                .map(|access| Item::Object(object.to_string(), access))
                .ok_or_else(|| format!("object access `{verb}`, which sfperms does not write")))
        }
        "" => Err(error(format!("{column}Type is empty: expected `{USER}` or `{OBJECT}`"))),
        other => Ok(Err(format!("type `{other}`"))),
    }
}

/// The verbs of `Object<verb>` rows.
fn object_access(verb: &str) -> Option<ObjectAccess> {
    match verb.to_ascii_lowercase().as_str() {
        "read" => Some(ObjectAccess::Read),
        "create" => Some(ObjectAccess::Create),
        "update" | "edit" => Some(ObjectAccess::Edit),
        "delete" => Some(ObjectAccess::Delete),
        "viewallrecords" | "viewall" => Some(ObjectAccess::ViewAll),
        "modifyallrecords" | "modifyall" => Some(ObjectAccess::ModifyAll),
        _ => None,
    }
}

const COLUMNS: [&str; 4] = ["Permission", "PermissionType", "RequiredPermission", "RequiredPermissionType"];

/// The rows of the export, as `sf data query` writes them (CSV or JSON).
fn rows(file: &str, text: &str) -> Result<Vec<Row>, ExportError> {
    let hint = format!("`--query \"{QUERY}\"`");
    let export = Export { file, columns: &COLUMNS, query_hint: &hint };
    let records = export.records(text)?;
    Ok(records
        .into_iter()
        .map(|r| {
            let [permission, permission_type, required, required_type]: [String; 4] =
                r.cells.try_into().expect("one cell a column");
            Row { line: r.line, permission, permission_type, required, required_type }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn up(name: &str) -> Item {
        Item::UserPermission(name.into())
    }

    fn requires(table: &DependencyTable, item: &Item) -> Vec<Item> {
        table.requirements_of(item).iter().map(|e| e.requires.clone()).collect()
    }

    const CSV: &str = "Permission,RequiredPermission,PermissionType,RequiredPermissionType\n\
        ViewSetup,ViewRoles,User Permission,User Permission\n\
        Account<update>,Account<read>,Object Permission,Object Permission\n\
        ImportPersonal,Contact<create>,User Permission,Object Permission\n\
        ViewSetup,ViewRoles,User Permission,User Permission\n";

    #[test]
    fn reads_the_csv_the_cli_writes() {
        let table = parse("deps.csv", CSV).unwrap();
        assert_eq!(requires(&table, &up("ViewSetup")), vec![up("ViewRoles")]);
        let edit = Item::Object("Account".into(), ObjectAccess::Edit);
        assert_eq!(requires(&table, &edit), vec![Item::Object("Account".into(), ObjectAccess::Read)]);
        assert_eq!(requires(&table, &up("ImportPersonal")), vec![Item::Object("Contact".into(), ObjectAccess::Create)]);
        // The duplicate row folds into one pair; the first row's line is its source.
        assert_eq!(table.len(), 3);
        assert_eq!(table.requirements_of(&up("ViewSetup"))[0].source.to_string(), "org export deps.csv:2");
        assert!(table.origin.contains("deps.csv (4 rows, 3 distinct pairs)"), "{}", table.origin);
    }

    #[test]
    fn reads_the_json_the_cli_writes() {
        let json = r#"{
  "status": 0,
  "result": {
    "records": [
      {
        "attributes": { "type": "PermissionDependency", "url": "/services/data/v66.0/tooling/sobjects/PermissionDependency/2Pdxx1" },
        "Permission": "ModifyMetadata",
        "RequiredPermission": "ViewSetup",
        "PermissionType": "User Permission",
        "RequiredPermissionType": "User Permission"
      },
      {
        "attributes": { "type": "PermissionDependency", "url": "/x]{" },
        "Permission": "Case<modifyAllRecords>",
        "RequiredPermission": "Case<viewAllRecords>",
        "PermissionType": "Object Permission",
        "RequiredPermissionType": "Object Permission"
      }
    ],
    "totalSize": 2,
    "done": true
  },
  "warnings": []
}"#;
        let table = parse("deps.json", json).unwrap();
        assert_eq!(requires(&table, &up("ModifyMetadata")), vec![up("ViewSetup")]);
        let modify_all = Item::Object("Case".into(), ObjectAccess::ModifyAll);
        assert_eq!(requires(&table, &modify_all), vec![Item::Object("Case".into(), ObjectAccess::ViewAll)]);
        // Lines point at each record's opening brace, strings with brackets notwithstanding.
        assert_eq!(table.requirements_of(&up("ModifyMetadata"))[0].source.to_string(), "org export deps.json:5");
        assert_eq!(table.requirements_of(&modify_all)[0].source.to_string(), "org export deps.json:12");
    }

    #[test]
    fn reads_a_bare_query_result_and_field_names() {
        let json = r#"{"records":[{"Permission":"PermissionsAuthorApex","PermissionType":"User Permission","RequiredPermission":"PermissionsModifyMetadata","RequiredPermissionType":"User Permission"}]}"#;
        let table = parse("q.json", json).unwrap();
        assert_eq!(requires(&table, &up("AuthorApex")), vec![up("ModifyMetadata")]);
    }

    #[test]
    fn counts_rows_it_cannot_use() {
        let csv = "Permission,PermissionType,RequiredPermission,RequiredPermissionType\n\
            Account<viewAllFields>,Object Permission,Account<read>,Object Permission\n\
            X,Custom Permission,ViewSetup,User Permission\n\
            ViewSetup,User Permission,ViewRoles,User Permission\n";
        let table = parse("d.csv", csv).unwrap();
        assert_eq!(table.len(), 1);
        assert!(table.origin.contains("1 with object access `viewAllFields`"), "{}", table.origin);
        assert!(table.origin.contains("1 with type `Custom Permission`"), "{}", table.origin);
    }

    #[test]
    fn errors_name_file_and_line() {
        let bad_object = "Permission,PermissionType,RequiredPermission,RequiredPermissionType\n\
            ViewSetup,User Permission,ViewRoles,User Permission\n\
            Account,Object Permission,Account<read>,Object Permission\n";
        let e = parse("d.csv", bad_object).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.to_string().starts_with("d.csv:3: Permission `Account` is an object permission"), "{e}");

        let e = parse("d.csv", "Permission,RequiredPermission\nA,B\n").unwrap_err();
        assert!(e.to_string().contains("d.csv:1: missing columns `PermissionType`, `RequiredPermissionType`"), "{e}");

        let e = parse("d.csv", "Permission,PermissionType,RequiredPermission,RequiredPermissionType\n").unwrap_err();
        assert!(e.to_string().contains("no PermissionDependency rows"), "{e}");

        let e = parse(
            "d.csv",
            "Permission,PermissionType,RequiredPermission,RequiredPermissionType\nA,User Permission,B\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 2, "{e}");

        let e = parse("d.json", "{\n  \"records\": [\n    {\"Permission\": 3}\n  ]\n}").unwrap_err();
        assert!(e.to_string().starts_with("d.json:3: "), "{e}");

        let e =
            parse("d.json", "{\"status\": 1, \"message\": \"sObject type 'PermissionDependency' is not supported\"}")
                .unwrap_err();
        assert!(e.to_string().contains("failed query (status 1): sObject type"), "{e}");

        let e = parse("d.json", "{\n  \"records\": [\n").unwrap_err();
        assert!(e.to_string().starts_with("d.json:3: not a JSON export"), "{e}");
    }
}
