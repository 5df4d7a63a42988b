//! Metadata files as Salesforce writes them: the element tree (`document`), its canonical order
//! (`canonical`), the reader (`read`), names and file names (`names`), and where files go in an
//! SFDX project or an mdapi folder (`layout`, `package`, `zip`).

pub mod canonical;
pub mod document;
pub mod names;
pub mod overlay;
pub mod read;

pub use document::{Content, Document, METADATA_NS, Node};
