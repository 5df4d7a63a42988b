//! Metadata files as Salesforce writes them: their kinds and every name a kind goes by (`kind`),
//! the element tree (`document`), its canonical order (`canonical`), the reader (`read`), names
//! and file names (`names`), what a profile deploy does (`overlay`), and permission sets the sf
//! CLI stores decomposed (`decomposed`). Nothing here touches the file system: finding, reading
//! and writing files on disk is `project`'s.

pub mod canonical;
pub mod decomposed;
pub(crate) mod document;
pub mod entries;
pub(crate) mod kind;
pub mod names;
pub(crate) mod overlay;
pub mod read;

pub(crate) use document::METADATA_NS;
pub use document::{Content, Document, Node};
pub(crate) use kind::Placement;
pub use kind::{FileKind, OutputKind};
