//! Salesforce platform knowledge as data with sources: user permission names and labels, the
//! dependencies Salesforce enforces on deploy, object and field rules, and privilege ranks. The
//! tables live in `src/platform/data/*.tsv` (each file's header says where it comes from); this
//! module only reads them. Policy (what to grant) is the solver's.

pub mod connected_apps;
pub mod dependencies;
pub mod dependency_export;
pub mod field_export;
pub mod fields;
pub mod licences;
pub(crate) mod needs;
pub(crate) mod objects;
pub mod permissions;
pub mod query_export;
pub mod versions;

// The one reader of the embedded tables, shared with `metadata`.
use crate::tsv;

/// The tables a run looks up, sorted by `build.rs` (see `tsv::Table`).
mod tables {
    include!(concat!(env!("OUT_DIR"), "/platform_tables.rs"));
}

/// The API version the built-in data and the bundled schema were checked against: the Metadata API
/// schema sfperms validates its output with is v66.0 (tests/fixtures/metadata-api-v66.xsd).
pub const DEFAULT_API_VERSION: &str = "66.0";
