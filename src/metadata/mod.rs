//! Metadata files as Salesforce writes them: the element tree (`document`), its canonical order
//! (`canonical`), the reader (`read`), names and file names (`names`), what a profile deploy does
//! (`overlay`), where existing files are found and how they are read safely (`source`), and
//! permission sets the sf CLI stores decomposed (`decomposed`, on disk `set_folder`).

pub mod canonical;
pub mod decomposed;
pub mod document;
pub mod names;
pub mod overlay;
pub mod read;
pub mod set_folder;
pub mod source;

pub use document::{Content, Document, METADATA_NS, Node};
