//! Emitters: a `Plan` becomes a PermissionSet, a Profile fragment or a package.xml `Document`, and
//! `render` writes any `Document` through the templates. Ordering is `metadata::canonical`'s.

mod files;
mod render;

pub use files::{FileMeta, package_xml, permission_set, profile};
pub use render::{escape_xml, render, render_as_is};
