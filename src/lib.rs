//! sfperms turns an integration vendor's Salesforce permission requirements into the least
//! privilege that still works, as deployable metadata; and reads existing metadata to format it,
//! compare it with that least privilege, or rank its risky grants.
//!
//! # Entry points
//!
//! Generating, in the order data flows:
//!
//! 1. [`catalog::builtin`] (or [`catalog::add_dir`] for integration files of your own) gives the
//!    [`Catalog`]; [`Catalog::get`] finds an [`Integration`] by id.
//! 2. A [`Selection`] says what the admin chose: features, the integration's options, extra
//!    objects and fields, the kind of file ([`OutputKind`]).
//! 3. [`solve`] checks the selection against the integration and gives the [`Plan`]: every grant
//!    with its reasons, the choices among alternatives, notes and typed warnings
//!    ([`solver::Warning`]). It needs a [`DependencyTable`]: [`DependencyTable::builtin`], or an
//!    org's own export ([`platform::dependency_export::load`]).
//! 4. [`component`] names the plan's file and builds its [`Document`] ([`Naming`] for a name, a
//!    label or a new profile); [`render_fast`] writes the canonical XML.
//! 5. [`project::output::files_in_dir`] and [`project::output::zip_file`] say which files that
//!    makes in a folder or a zip (merged with what is there), and write them safely.
//!
//! ```ignore
//! let catalog = sfperms::catalog::builtin()?;
//! let planhat = catalog.get("planhat").expect("built in");
//! let options = [("sync".to_string(), "two-way".to_string())].into();
//! let output = Some(sfperms::OutputKind::PermissionSet);
//! let selection = sfperms::Selection { options, output, ..Default::default() };
//! let plan = sfperms::solve(planhat, &selection, sfperms::DependencyTable::builtin())?;
//! let file = sfperms::component(planhat, &plan, sfperms::Naming::default())?;
//! print!("{}", sfperms::render_fast(&file.document));
//! ```
//!
//! Reading what exists:
//!
//! - [`Source::open`] finds the metadata files of an SFDX project, an mdapi folder, a retrieve zip
//!   or one file; [`Source::reader`] and [`project::source::parse_entry`] read them into
//!   [`Document`]s, and [`metadata::read::parse_bytes`] reads bytes you already have.
//! - [`diff()`] compares a retrieved document with a plan's: a [`Change`] per entry that is
//!   missing, excess or different, with the plan's reasons.
//! - [`audit()`] rates what one document grants; [`project::format`] is `fmt`'s check and rewrite.
//!
//! The library never prints, never exits and never names a command-line flag: errors and
//! warnings are typed, and the binary (`src/main.rs`, `src/cli/`) words them. Its modules each
//! use only those below them (the map atop `docs/design.md`; a test keeps the graph acyclic).
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod access;
pub mod audit;
pub mod catalog;
pub mod diff;
pub mod disk;
pub mod emit;
#[cfg(test)]
mod flag_text;
pub mod metadata;
#[cfg(test)]
mod module_graph;
pub mod platform;
pub mod project;
pub mod solver;
pub mod suggest;
pub(crate) mod tsv;

pub use audit::{Audit, audit};
pub use catalog::{Catalog, Integration};
pub use diff::{Change, diff};
pub use emit::{Component, Naming, component, render_fast};
pub use metadata::{Document, FileKind, OutputKind};
pub use platform::dependencies::DependencyTable;
pub use project::source::Source;
pub use solver::{Plan, Selection, solve};

#[cfg(test)]
mod tests {
    /// The crate doc's example, through the names it re-exports.
    #[test]
    fn the_entry_points_generate_a_file() {
        let catalog = crate::catalog::builtin().unwrap();
        let planhat = catalog.get("planhat").expect("built in");
        let options = [("sync".to_string(), "two-way".to_string())].into();
        let output = Some(crate::OutputKind::PermissionSet);
        let selection = crate::Selection { options, output, ..Default::default() };
        let plan = crate::solve(planhat, &selection, crate::DependencyTable::builtin()).unwrap();
        let file = crate::component(planhat, &plan, crate::Naming::default()).unwrap();
        let xml = crate::render_fast(&file.document);
        assert!(xml.contains("<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">"), "{xml}");
        assert!(xml.contains("<userPermissions>"), "{xml}");
        // The description names the options in the library's own words: no flag.
        assert!(xml.contains("Least privilege for Planhat (sync two-way)."), "{xml}");
    }
}
