//! sfperms turns an integration vendor's Salesforce permission requirements into the least
//! privilege that still works, as deployable metadata.
//!
//! The pipeline reads one way:
//! `catalog` (integration files) + `solver::Selection` (the admin's options)
//! → `solver` (requirements, the cheapest alternatives, closure under dependencies, reasons)
//! → `solver::Plan` (grants with reasons, mapped and omitted items, warnings)
//! → `emit` (PermissionSet / Profile / package.xml through the templates)
//! → `project::output` (where the files go, through `disk`'s one write path);
//! and, for existing files, `project::source` + `metadata::read` → `project::format` (canonical
//! form) or `diff` (against a plan) → renderers in the binary. No module uses one above it (the
//! map atop `docs/design.md`; `module_graph` tests there is no cycle).
//!
//! The library never prints and never exits; the binary (`src/main.rs`, `src/cli/`) does.
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
