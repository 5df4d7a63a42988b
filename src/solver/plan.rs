//! The solver's answer: every grant with its reasons, the choices made among alternatives, and
//! what was mapped, left out or cannot be verified. Emitters, `explain` and `diff` read this.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::access::Item;
use crate::catalog::{Conflict, PackagePermissionSet, Quote};
use crate::metadata::OutputKind;
use crate::platform::dependencies::DependencySource;
use crate::platform::needs::PlatformNeed;

use super::selection::Asked;
use super::warning::Warning;

/// What made a requirement apply, in the admin's terms. The CLI words it (`always`,
/// `feature deploy, --sync two-way`, `platform requirement`, `command line`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Context {
    /// The requirement holds for every use of the integration.
    Always,
    /// The features and option values chosen that the requirement's condition names.
    When(Vec<Chosen>),
    /// A Salesforce platform requirement a catalog property turns on.
    Platform,
    /// What the admin asked for outside the catalog (objects, fields, user permissions).
    CommandLine,
}

/// One part of a condition that held.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Chosen {
    /// The features named by the condition that were chosen.
    Features(Vec<String>),
    /// An integration option and its value (`sync` = `two-way`).
    Option { name: String, value: String },
}

/// One link of a dependency chain: a grant, or what asked for the first grant of the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainLink {
    Grant(String),
    /// The context of the requirement that asked for it.
    Context(Context),
    /// What the admin asked for that started the chain (an object with its access, …).
    Asked(Asked),
}

/// Why a grant is there. The CLI words it, in text and in JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// A vendor sentence asks for it.
    Requirement {
        /// What made the requirement apply: always, a feature, an option's value.
        context: Context,
        quote: Quote,
        /// How the vendor's words became this grant, when not literally (Task edit → EditTask).
        via: Option<String>,
        /// The admin's own object or field request, when it chose the access.
        asked: Option<Asked>,
    },
    /// The admin asked for it, outside any vendor requirement.
    CommandLine { asked: Asked },
    /// Salesforce needs it for the way the integration works (a catalog property such as
    /// `connects-through-api`), whether or not the vendor's page names it.
    Platform { need: PlatformNeed, why: &'static str, source: &'static str },
    /// Salesforce requires it for another grant.
    Dependency {
        of: String,
        source: DependencySource,
        /// The path from `of` back to what asked for it: `ViewSetup`, `ModifyMetadata`, the
        /// context `feature deploy` (each grant requires the one before it; the last link is the
        /// requirement's context or what the admin asked for).
        chain: Vec<ChainLink>,
    },
}

impl Reason {
    pub fn platform(need: PlatformNeed) -> Reason {
        Reason::Platform { need, why: need.why(), source: need.source() }
    }
}

/// Why an item is absent, mapped or doubtful: shown by `explain` and as warnings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoteKind {
    /// Not an object permission; a user permission grants it instead (listed in `via`).
    Mapped,
    /// Nothing to grant: the platform gives it with the parent record or sharing.
    Implicit,
    /// A required or system field: always accessible, never in fieldPermissions.
    AlwaysAccessible,
    /// Cannot be granted narrowly; left out.
    Unsupported,
    /// The vendor sentence maps to no grant (the catalog says why).
    NotMappable,
    /// Granted with less than asked (edit on a read-only field → read).
    Reduced,
    /// Not granted because an option its name needs was not given (`--principal`).
    NeedsOption,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub kind: NoteKind,
    /// What it is about: `Edit Task`, `Contact.FirstName`, or the vendor's words.
    pub subject: String,
    /// What it says; the CLI words it (`--json` prints it as text under `message`).
    #[serde(skip)]
    pub message: NoteText,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<Quote>,
}

/// What a note says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteText {
    /// The catalog's or the solver's sentence.
    Words(String),
    /// Not granted until these integration options are given (their names, not their flags).
    GiveOptions(Vec<String>),
}

/// One "any one of" requirement and what the solver chose (the CLI writes its JSON: its
/// context is worded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub quote: Quote,
    pub context: Context,
    pub alternatives: Vec<Vec<String>>,
    pub chosen: usize,
    pub why: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub integration: String,
    pub output: OutputKind,
    pub features: Vec<String>,
    pub options: BTreeMap<String, String>,
    /// Every grant with its reasons; the CLI words the reasons (`--json` lists them as `grants`).
    #[serde(skip)]
    pub grants: BTreeMap<Item, Vec<Reason>>,
    /// The CLI words their contexts (`--json` lists them as `choices`).
    #[serde(skip)]
    pub choices: Vec<Choice>,
    pub notes: Vec<Note>,
    /// What the admin should know; the CLI words them (`--json` prints them as text).
    #[serde(skip)]
    pub warnings: Vec<Warning>,
    /// The vendor's managed-package permission sets to assign beside this file (not written by sfperms).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub package_permission_sets: Vec<PackagePermissionSet>,
    /// Where the vendor's documents disagree, and which statement the grants follow.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<Conflict>,
    pub dependencies: String,
    /// The org's field list (`--fields`), when one decided the fields of the objects it lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<String>,
    /// The permission set licence the file is tied to (`--integration-user`), written as `license`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub licence: Option<String>,
}

impl Plan {
    /// A plan that holds only the given grants, with no options, choices, notes or warnings:
    /// what an existing file (or a test) grants, put in the shape the emitters and `diff` take.
    pub fn of_grants(integration: &str, output: OutputKind, grants: BTreeMap<Item, Vec<Reason>>) -> Plan {
        Plan {
            integration: integration.to_string(),
            output,
            features: vec![],
            options: BTreeMap::new(),
            grants,
            choices: vec![],
            notes: vec![],
            warnings: vec![],
            package_permission_sets: vec![],
            conflicts: vec![],
            dependencies: String::new(),
            fields: None,
            licence: None,
        }
    }

    pub fn user_permissions(&self) -> impl Iterator<Item = &str> {
        self.grants.keys().filter_map(|i| match i {
            Item::UserPermission(n) => Some(n.as_str()),
            _ => None,
        })
    }

    pub fn has(&self, item: &Item) -> bool {
        self.grants.contains_key(item)
    }

    /// A SOQL query an admin runs as the connected user: every column must come back true.
    /// (`UserPermissionAccess` holds one `Permissions<Name>` field per user permission.)
    pub fn verification_query(&self) -> Option<String> {
        let columns: Vec<String> = self.user_permissions().map(|n| format!("Permissions{n}")).collect();
        (!columns.is_empty()).then(|| format!("SELECT {} FROM UserPermissionAccess", columns.join(", ")))
    }
}
