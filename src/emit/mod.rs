//! Emitters: a `Plan` becomes a PermissionSet, a Profile fragment or a package.xml `Document`;
//! `render` writes any `Document` through the templates (the definition of the canonical text),
//! `fast` writes the same bytes without the template engine (what every run writes), and `check`
//! says whether a file already is those bytes without building a tree. Ordering is
//! `metadata::canonical`'s.

mod check;
#[cfg(test)]
pub(crate) mod check_properties;
mod component;
mod fast;
mod files;
mod render;

pub use check::is_canonical;
pub use component::{Component, ComponentError, Naming, component};
pub use fast::{render_as_is_fast, render_fast, render_owned_fast, render_owned_fast_sized};
pub use files::{FileMeta, permission_set, profile};
pub(crate) use files::{group_with_member, package_xml, permission_set_group};
pub use render::{render, render_as_is};
