//! The on-disk side: an SFDX project and its `sfdx-project.json` (`sfdx`), the `sfperms.toml`
//! project file (`config`), where existing metadata files are found and how they are read safely
//! (`source`, and a decomposed permission set's folder in `set_folder`), where generated files go
//! (`output`), and `fmt`'s rewrite of existing files (`format`). It stands above the metadata
//! reader and the writers (`metadata`, `emit`), which never touch the file system themselves; every
//! byte read or written goes through `disk`. Nothing here prints.

pub mod config;
pub mod format;
pub mod output;
pub mod set_folder;
pub(crate) mod sfdx;
pub mod source;

pub use sfdx::{ProjectError, SfdxProject};
