//! What the admin asked for (`--feature`, integration options, `--object`, `--field`, `--as`),
//! checked against one integration: unknown names and values are errors that list what exists.

use std::collections::{BTreeMap, BTreeSet};

use crate::access::{FieldAccess, ObjectAccess, parse_object_access_list};
use crate::catalog::{Integration, OptionKind};
use crate::metadata::OutputKind;
use crate::platform::field_export::FieldList;
use crate::suggest::hint;

/// `--object NAME[:ACCESS]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectRequest {
    pub object: String,
    pub access: Option<Vec<ObjectAccess>>,
}

/// `--field Object.Field[:read|edit]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRequest {
    pub field: String,
    pub access: Option<FieldAccess>,
}

impl ObjectRequest {
    pub fn parse(s: &str) -> Result<ObjectRequest, SelectionError> {
        let (object, access) = match s.split_once(':') {
            Some((o, a)) => (o, Some(a)),
            None => (s, None),
        };
        check_identifier(object, NameOf::Object)?;
        let access = access
            .map(|a| {
                parse_object_access_list(a).map_err(|e| SelectionError::BadAccess {
                    given: Given::Object(s.to_string()),
                    message: format!("{e}; use a comma list of {}", ObjectAccess::words().join(", ")),
                })
            })
            .transpose()?;
        Ok(ObjectRequest { object: object.to_string(), access })
    }
}

/// `Account` or `Account:read,edit`: the request as the admin would write it.
impl std::fmt::Display for ObjectRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.object)?;
        if let Some(access) = &self.access {
            let words: Vec<&str> = access.iter().map(|a| a.word()).collect();
            write!(f, ":{}", words.join(","))?;
        }
        Ok(())
    }
}

impl FieldRequest {
    pub fn parse(s: &str) -> Result<FieldRequest, SelectionError> {
        let (field, access) = match s.rsplit_once(':') {
            Some((f, a)) => (f, Some(a)),
            None => (s, None),
        };
        let Some((object, name)) = field.split_once('.') else {
            return Err(SelectionError::BadName {
                what: NameOf::Field,
                value: field.into(),
                why: "write it `Object.Field`, e.g. `Account.Planhat_Id__c`".into(),
            });
        };
        check_identifier(object, NameOf::Object)?;
        check_identifier(name, NameOf::Field)?;
        let access = access
            .map(|a| {
                a.parse::<FieldAccess>().map_err(|e| SelectionError::BadAccess {
                    given: Given::Field(s.to_string()),
                    message: format!("{e}; use `read` or `edit`"),
                })
            })
            .transpose()?;
        Ok(FieldRequest { field: field.to_string(), access })
    }
}

/// `Account.Name` or `Account.Name:edit`: the request as the admin would write it.
impl std::fmt::Display for FieldRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.field)?;
        if let Some(access) = self.access {
            write!(f, ":{}", access.word())?;
        }
        Ok(())
    }
}

/// What the admin asked for outside the catalog's options, by the input that gave it; the CLI
/// words it as its flag (`--object Account:edit`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asked {
    /// An object request (`--object`).
    Object(ObjectRequest),
    /// A field request (`--field`).
    Field(FieldRequest),
    /// A user permission by API name (`--user-permission`).
    UserPermission(String),
}

/// An API name as metadata writes it: letters, digits, underscores (namespaces `ns__X__c`).
fn check_identifier(value: &str, what: NameOf) -> Result<(), SelectionError> {
    let ok = value.starts_with(|c: char| c.is_ascii_alphabetic())
        && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(SelectionError::BadName {
            what,
            value: value.into(),
            why: "API names start with a letter and hold only letters, digits and underscores".into(),
        })
    }
}

/// Everything the admin chose, before it is checked against the integration.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub features: Vec<String>,
    pub options: BTreeMap<String, String>,
    pub objects: Vec<ObjectRequest>,
    pub fields: Vec<FieldRequest>,
    /// `--user-permission NAME`: user permissions the admin adds by API name.
    pub user_permissions: Vec<String>,
    /// `--integration-user`: the user holds the Salesforce Integration user licence.
    pub integration_user: bool,
    pub output: Option<OutputKind>,
    /// `--fields FILE`: the org's own field list, which decides for the objects it covers.
    pub org_fields: Option<FieldList>,
}

/// A selection checked against its integration: features expanded, defaults filled in.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub features: BTreeSet<String>,
    pub options: BTreeMap<String, String>,
    pub objects: Vec<ObjectRequest>,
    pub fields: Vec<FieldRequest>,
    pub user_permissions: Vec<String>,
    pub integration_user: bool,
    pub output: OutputKind,
    pub org_fields: Option<FieldList>,
}

/// What the admin typed that an error is about; the CLI words it as the flag that gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Given {
    /// `--object TEXT`.
    Object(String),
    /// `--field TEXT`.
    Field(String),
}

/// The kind of name an error finds malformed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameOf {
    Object,
    Field,
    /// The value of the integration option of this name.
    Option(String),
}

/// Why a selection is refused. It carries option names and the admin's values, never flag
/// names: the CLI words it (`cli::refusals`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelectionError {
    UnknownFeature {
        integration: String,
        name: String,
        hint: String,
        allowed: String,
    },
    NoFeatures {
        integration: String,
    },
    /// `options` are the integration's option names (empty: it takes none).
    UnknownOption {
        integration: String,
        name: String,
        options: Vec<String>,
    },
    BadOptionValue {
        option: String,
        value: String,
        hint: String,
        allowed: String,
    },
    MissingOption {
        integration: String,
        option: String,
        allowed: String,
    },
    RuledOut {
        message: String,
        source_quote: String,
    },
    BadName {
        what: NameOf,
        value: String,
        why: String,
    },
    BadAccess {
        given: Given,
        message: String,
    },
    /// `given` names an object or field without an access, and the integration has no default.
    NeedsAccess {
        given: Given,
        integration: String,
        context: String,
    },
    UnknownUserPermission {
        name: String,
        hint: String,
    },
    UnknownField {
        field: String,
        suggestion: String,
    },
    NotInOrgFields {
        field: String,
        list: String,
        hint: String,
    },
    NoObjectPermissions {
        object: String,
        why: String,
        source_text: String,
    },
    /// The admin targets an Integration user and the vendor refuses that licence.
    IntegrationLicenceRejected {
        integration: String,
        source_quote: String,
    },
    /// The admin targets an Integration user and asks for a profile.
    IntegrationUserProfile,
}

fn list(values: &[String]) -> String {
    values.join(", ")
}

/// Checks `selection` against `integration` and fills in defaults and implied features.
pub(crate) fn resolve(integration: &Integration, selection: &Selection) -> Result<Resolved, SelectionError> {
    let all_features: Vec<String> = integration.features.iter().map(|f| f.name.clone()).collect();
    let mut features = BTreeSet::new();
    for name in &selection.features {
        if name == "all" {
            features.extend(all_features.iter().cloned());
            continue;
        }
        match integration.feature(name) {
            Some(f) => {
                features.insert(f.name.clone());
            }
            None if all_features.is_empty() => {
                return Err(SelectionError::NoFeatures { integration: integration.id.clone() });
            }
            None => {
                return Err(SelectionError::UnknownFeature {
                    integration: integration.id.clone(),
                    name: name.clone(),
                    hint: hint(name, all_features.iter().map(String::as_str)),
                    allowed: format!("{}, all", list(&all_features)),
                });
            }
        }
    }
    // Features that imply others (saving permissions needs viewing them) pull them in.
    let mut queue: Vec<String> = features.iter().cloned().collect();
    while let Some(name) = queue.pop() {
        if let Some(f) = integration.feature(&name) {
            for implied in &f.implies {
                if features.insert(implied.clone()) {
                    queue.push(implied.clone());
                }
            }
        }
    }

    let mut options = BTreeMap::new();
    for (name, value) in &selection.options {
        let Some(def) = integration.option(name) else {
            return Err(SelectionError::UnknownOption {
                integration: integration.id.clone(),
                name: name.clone(),
                options: integration.options.iter().map(|o| o.name.clone()).collect(),
            });
        };
        match &def.kind {
            OptionKind::Choice(values) if !values.contains(value) => {
                return Err(SelectionError::BadOptionValue {
                    option: name.clone(),
                    value: value.clone(),
                    hint: hint(value, values.iter().map(String::as_str)),
                    allowed: list(values),
                });
            }
            OptionKind::Object | OptionKind::Field => check_identifier(value, NameOf::Option(name.clone()))?,
            OptionKind::Name if value.trim().is_empty() => {
                return Err(SelectionError::BadName {
                    what: NameOf::Option(name.clone()),
                    value: value.clone(),
                    why: "it is empty".into(),
                });
            }
            _ => {}
        }
        options.insert(name.clone(), value.clone());
    }
    for def in &integration.options {
        if options.contains_key(&def.name) {
            continue;
        }
        if let Some(default) = &def.default {
            options.insert(def.name.clone(), default.clone());
        } else if def.required {
            let allowed = match &def.kind {
                OptionKind::Choice(values) => list(values),
                OptionKind::Object => "an object API name".into(),
                OptionKind::Field => "a field API name".into(),
                OptionKind::Name => "a name".into(),
            };
            return Err(SelectionError::MissingOption {
                integration: integration.id.clone(),
                option: def.name.clone(),
                allowed,
            });
        }
    }
    for rule in &integration.rule_outs {
        let matches = rule.options.iter().all(|(k, vs)| options.get(k).is_some_and(|v| vs.contains(v)));
        if matches {
            return Err(SelectionError::RuledOut {
                message: rule.message.clone(),
                source_quote: rule.source.to_string(),
            });
        }
    }
    let output = selection.output.unwrap_or(integration.output);
    if selection.integration_user {
        if let Some(licence) = integration.integration_licence.as_ref().filter(|l| !l.accepts) {
            return Err(SelectionError::IntegrationLicenceRejected {
                integration: integration.id.clone(),
                source_quote: licence.source.to_string(),
            });
        }
        if output == OutputKind::Profile {
            return Err(SelectionError::IntegrationUserProfile);
        }
    }
    for name in &selection.user_permissions {
        if !crate::platform::permissions::is_known(name) {
            let suggestions = crate::platform::permissions::suggestions(name);
            let hint = match suggestions.first() {
                Some(s) => format!("; did you mean `{s}`?"),
                None => String::new(),
            };
            return Err(SelectionError::UnknownUserPermission { name: name.clone(), hint });
        }
    }
    Ok(Resolved {
        features,
        options,
        objects: selection.objects.clone(),
        fields: selection.fields.clone(),
        user_permissions: selection.user_permissions.clone(),
        integration_user: selection.integration_user,
        output,
        org_fields: selection.org_fields.clone(),
    })
}
