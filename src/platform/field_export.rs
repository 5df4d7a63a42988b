//! Reads an org's own field list — `sf data query --use-tooling-api` on `EntityParticle`, with each
//! field's `IsPermissionable` flag — so that the field answer is exact for the objects it covers
//! (`--fields FILE`): a field it lists as permissionable is granted, one it lists as not is left
//! out of fieldPermissions, and one it does not list on an object it covers is a typo. Objects the
//! list does not cover keep the built-in rules.
//!
//! EntityParticle is the Tooling API's object for "each element of a field that can be presented in
//! a user interface" (Tooling API Developer Guide, "EntityParticle",
//! developer.salesforce.com/docs/platform/api-tooling/references/tooling-objects/tooling-entityparticle.html).
//! What `IsPermissionable` means — that field-level security can be set on the field — is read from
//! its name and from the describe property `permissionable`: UNVERIFIED, no stored Salesforce page
//! defines the column.

use std::collections::BTreeMap;
use std::path::Path;

use super::query_export::{Export, ExportError, read_text};

/// The query whose output this module reads, for messages and docs (`IN (…)`: the objects wanted).
pub const QUERY: &str = "SELECT EntityDefinition.QualifiedApiName, QualifiedApiName, IsPermissionable FROM EntityParticle WHERE EntityDefinition.QualifiedApiName IN ('Account', 'Contact')";

/// The UNVERIFIED note on the column's meaning, said wherever the list decides.
pub const MEANING: &str =
    "IsPermissionable is read as \"takes field-level security\": no stored Salesforce page defines the column";

const COLUMNS: [&str; 3] = ["EntityDefinition.QualifiedApiName", "QualifiedApiName", "IsPermissionable"];

/// A problem with the field list, at `file:line` (its own type, so `--json` names it
/// `FieldListError`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(transparent)]
pub struct FieldListError(#[from] pub ExportError);

/// One field of the org's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgField {
    /// `Object.Field` as the org spells it.
    pub name: String,
    pub permissionable: bool,
    /// Where it is said: `fields.csv:12`.
    pub at: String,
}

/// What the org's list says about one `Object.Field`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listed<'a> {
    /// The list does not cover the object: the built-in rules decide.
    ObjectNotCovered,
    /// The field is in the list.
    Field(&'a OrgField),
    /// The object is covered and the field is not in it; `close` is the nearest name, if any.
    Missing { close: Option<String> },
}

/// The org's field list.
#[derive(Debug, Clone, Default)]
pub struct FieldList {
    /// By lower-case object, then lower-case field.
    objects: BTreeMap<String, BTreeMap<String, OrgField>>,
    /// `the org's field list fields.csv (120 fields of 3 objects)`, for `explain`.
    pub origin: String,
}

impl FieldList {
    /// What the list says of `field` (`Object.Field`, any case).
    pub fn lookup(&self, field: &str) -> Listed<'_> {
        let Some((object, name)) = field.split_once('.') else { return Listed::ObjectNotCovered };
        let Some(fields) = self.objects.get(&object.to_ascii_lowercase()) else { return Listed::ObjectNotCovered };
        match fields.get(&name.to_ascii_lowercase()) {
            Some(found) => Listed::Field(found),
            None => {
                // Compared by the field part alone: every name shares the object's.
                let names = fields.values().filter_map(|f| f.name.split_once('.').map(|(_, n)| n));
                let close = crate::suggest::did_you_mean(name, names);
                let true_object =
                    fields.values().next().and_then(|f| f.name.split_once('.')).map_or(object, |(o, _)| o);
                Listed::Missing { close: close.map(|n| format!("{true_object}.{n}")) }
            }
        }
    }

    pub fn len(&self) -> usize {
        self.objects.values().map(BTreeMap::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }
}

/// Reads `path` (CSV or JSON) into a field list.
pub fn load(path: &Path) -> Result<FieldList, FieldListError> {
    let (file, text) = read_text(path, "the field list")?;
    parse(&file, &text)
}

/// Parses the text of a field list; `file` names it in errors and in what it decides.
pub fn parse(file: &str, text: &str) -> Result<FieldList, FieldListError> {
    Ok(parse_export(file, text)?)
}

fn parse_export(file: &str, text: &str) -> Result<FieldList, ExportError> {
    let hint = format!("`sf data query --use-tooling-api --query \"{QUERY}\"`");
    let export = Export { file, columns: &COLUMNS, query_hint: &hint };
    let records = export.records(text)?;
    if records.is_empty() {
        return Err(ExportError {
            file: file.into(),
            line: 0,
            message: format!("no EntityParticle rows: run {hint} --result-format csv, naming your objects"),
        });
    }
    let mut list = FieldList::default();
    for record in &records {
        let error = |message: String| ExportError { file: file.into(), line: record.line, message };
        let (object, field, flag) = (record.cells[0].trim(), record.cells[1].trim(), record.cells[2].trim());
        if object.is_empty() || field.is_empty() {
            return Err(error("an empty object or field name".into()));
        }
        let permissionable = match flag.to_ascii_lowercase().as_str() {
            "true" => true,
            "false" => false,
            other => return Err(error(format!("IsPermissionable is `{other}`: expected true or false"))),
        };
        let entry =
            OrgField { name: format!("{object}.{field}"), permissionable, at: format!("{file}:{}", record.line) };
        let fields = list.objects.entry(object.to_ascii_lowercase()).or_default();
        if let Some(first) = fields.get(&field.to_ascii_lowercase()) {
            if first.permissionable != permissionable {
                return Err(error(format!(
                    "{object}.{field} is listed twice, permissionable and not (first at {})",
                    first.at
                )));
            }
            continue;
        }
        fields.insert(field.to_ascii_lowercase(), entry);
    }
    list.origin = format!("the org's field list {file} ({} fields of {} objects)", list.len(), list.objects.len());
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = include_str!("../../tests/fixtures/fields/org-fields.csv");
    const JSON: &str = include_str!("../../tests/fixtures/fields/org-fields.json");

    fn error(text: &str) -> String {
        parse("f.csv", text).unwrap_err().to_string()
    }

    #[test]
    fn a_csv_export_decides_the_objects_it_lists() {
        let list = parse("org-fields.csv", CSV).unwrap();
        assert_eq!(list.origin, "the org's field list org-fields.csv (10 fields of 2 objects)");
        match list.lookup("account.industry") {
            Listed::Field(f) => {
                assert_eq!(
                    (f.name.as_str(), f.permissionable, f.at.as_str()),
                    ("Account.Industry", true, "org-fields.csv:4")
                )
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(list.lookup("Account.Name"), Listed::Field(OrgField { permissionable: false, .. })));
        assert_eq!(list.lookup("Account.Industy"), Listed::Missing { close: Some("Account.Industry".into()) });
        assert_eq!(list.lookup("Account.Zzz"), Listed::Missing { close: None });
        assert_eq!(list.lookup("Case.Subject"), Listed::ObjectNotCovered);
    }

    #[test]
    fn a_json_export_reads_the_nested_object_name_and_booleans() {
        let list = parse("org-fields.json", JSON).unwrap();
        assert_eq!(list.len(), 2);
        match list.lookup("Account.Name") {
            Listed::Field(f) => assert_eq!((f.permissionable, f.at.as_str()), (false, "org-fields.json:5")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_malformed_list_is_an_error_at_its_line() {
        assert_eq!(
            error("EntityDefinition.QualifiedApiName,QualifiedApiName\nAccount,Name\n"),
            format!(
                "f.csv:1: missing column `IsPermissionable`: export with `sf data query --use-tooling-api --query \"{QUERY}\"`"
            )
        );
        assert_eq!(
            error("EntityDefinition.QualifiedApiName,QualifiedApiName,IsPermissionable\nAccount,Name,yes\n"),
            "f.csv:2: IsPermissionable is `yes`: expected true or false"
        );
        assert_eq!(
            error(
                "EntityDefinition.QualifiedApiName,QualifiedApiName,IsPermissionable\nAccount,Name,true\naccount,NAME,false\n"
            ),
            "f.csv:3: account.NAME is listed twice, permissionable and not (first at f.csv:2)"
        );
        assert!(
            error("EntityDefinition.QualifiedApiName,QualifiedApiName,IsPermissionable\n")
                .contains("no EntityParticle rows")
        );
        assert!(
            error("{\"status\": 1, \"message\": \"sObject type 'EntityParticle' is not supported\"}")
                .contains("failed query (status 1)")
        );
    }
}
