//! Semantic comparison of metadata files. `compare`: two documents as keyed sets of entries,
//! field by field (order, formatting and comments are not meaning). `report`: a retrieved file
//! against the plan for an integration (missing, excess, changed, not in the retrieve, with
//! reasons and fixes). `muting`: the needed grants a permission set group's muting permission set
//! takes away. `patch`: those fixes as a file and a unified diff. Data only: the binary
//! renders it (text, JSON, Markdown, patch). Nothing here reads files or prints.

pub mod compare;
pub mod muting;
pub mod patch;
pub(crate) mod report;

pub use compare::{EntryDiff, EntryId, FieldDiff};
pub use report::{Change, Changes, Counts, Effect, FlagChange, Scope, Status, counts, diff, is_equal};
