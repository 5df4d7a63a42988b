//! The vocabulary shared by the catalog, the platform rules and the solver: what one grant is
//! (`Item`) and the access words admins type (`read,create,edit…`). Parsing only; no policy.

use std::fmt;
use std::str::FromStr;

/// One object permission flag, in the words of `--object NAME:ACCESS` and of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ObjectAccess {
    Read,
    Create,
    Edit,
    Delete,
    ViewAll,
    ModifyAll,
}

impl ObjectAccess {
    pub const ALL: [ObjectAccess; 6] = [
        ObjectAccess::Read,
        ObjectAccess::Create,
        ObjectAccess::Edit,
        ObjectAccess::Delete,
        ObjectAccess::ViewAll,
        ObjectAccess::ModifyAll,
    ];

    pub fn word(self) -> &'static str {
        match self {
            ObjectAccess::Read => "read",
            ObjectAccess::Create => "create",
            ObjectAccess::Edit => "edit",
            ObjectAccess::Delete => "delete",
            ObjectAccess::ViewAll => "view-all",
            ObjectAccess::ModifyAll => "modify-all",
        }
    }

    /// The objectPermissions child element that carries this flag.
    pub const fn element(self) -> &'static str {
        match self {
            ObjectAccess::Read => "allowRead",
            ObjectAccess::Create => "allowCreate",
            ObjectAccess::Edit => "allowEdit",
            ObjectAccess::Delete => "allowDelete",
            ObjectAccess::ViewAll => "viewAllRecords",
            ObjectAccess::ModifyAll => "modifyAllRecords",
        }
    }

    /// The Setup label, as admins and Salesforce's own dependency errors say it.
    pub fn label(self) -> &'static str {
        match self {
            ObjectAccess::Read => "Read",
            ObjectAccess::Create => "Create",
            ObjectAccess::Edit => "Edit",
            ObjectAccess::Delete => "Delete",
            ObjectAccess::ViewAll => "View All",
            ObjectAccess::ModifyAll => "Modify All",
        }
    }

    pub fn words() -> Vec<&'static str> {
        Self::ALL.iter().map(|a| a.word()).collect()
    }
}

impl FromStr for ObjectAccess {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|a| a.word() == s.trim())
            .ok_or_else(|| format!("`{s}` is not an object access word"))
    }
}

/// Parses `read,create,edit` (the CLI's and the catalog's spelling).
pub(crate) fn parse_object_access_list(s: &str) -> Result<Vec<ObjectAccess>, String> {
    if s.trim().is_empty() {
        return Err("no access given".into());
    }
    let words: Vec<&str> = s.split(',').map(str::trim).collect();
    if words.iter().any(|w| w.is_empty()) {
        return Err(format!("`{s}` has an empty access word (two commas in a row, or one at an end)"));
    }
    words.into_iter().map(ObjectAccess::from_str).collect()
}

/// Field-level security: read, or edit (which implies read).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FieldAccess {
    Read,
    Edit,
}

impl FieldAccess {
    pub fn word(self) -> &'static str {
        match self {
            FieldAccess::Read => "read",
            FieldAccess::Edit => "edit",
        }
    }
}

impl FromStr for FieldAccess {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "read" => Ok(FieldAccess::Read),
            "edit" => Ok(FieldAccess::Edit),
            other => Err(format!("`{other}` is not a field access word")),
        }
    }
}

/// One grantable unit: what a requirement asks for and what the emitted file holds, entry by entry.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Item {
    UserPermission(String),
    Object(String, ObjectAccess),
    Field(String, FieldAccess),
    ApexClass(String),
    ExternalCredentialPrincipal(String),
    /// Read access to a custom metadata type's records (`customMetadataTypeAccesses`).
    CustomMetadataType(String),
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Item::UserPermission(name) => write!(f, "{name}"),
            Item::Object(object, access) => write!(f, "{} {object}", access.label()),
            Item::Field(field, FieldAccess::Read) => write!(f, "Read {field}"),
            Item::Field(field, FieldAccess::Edit) => write!(f, "Edit {field}"),
            Item::ApexClass(class) => write!(f, "Apex class {class}"),
            Item::ExternalCredentialPrincipal(p) => write!(f, "principal {p}"),
            Item::CustomMetadataType(t) => write!(f, "custom metadata type {t}"),
        }
    }
}

impl Item {
    /// A stable machine-readable form for JSON output: `kind`, `name`, `access`.
    pub fn kind(&self) -> &'static str {
        match self {
            Item::UserPermission(_) => "user-permission",
            Item::Object(..) => "object",
            Item::Field(..) => "field",
            Item::ApexClass(_) => "apex-class",
            Item::ExternalCredentialPrincipal(_) => "external-credential-principal",
            Item::CustomMetadataType(_) => "custom-metadata-type",
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Item::UserPermission(n)
            | Item::Object(n, _)
            | Item::Field(n, _)
            | Item::ApexClass(n)
            | Item::ExternalCredentialPrincipal(n)
            | Item::CustomMetadataType(n) => n,
        }
    }

    pub fn access_word(&self) -> Option<&'static str> {
        match self {
            Item::Object(_, a) => Some(a.word()),
            Item::Field(_, a) => Some(a.word()),
            _ => None,
        }
    }
}
