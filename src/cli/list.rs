//! `sfperms list`: the integrations, one line each.

use std::fmt::Write as _;

use anyhow::Result;
use sfperms::catalog::Catalog;

use super::render::{self, Format, Report};
use super::style::Style;

/// The catalog's integrations.
struct Listing<'a>(&'a Catalog);

impl Report for Listing<'_> {
    fn json(&self) -> Result<serde_json::Value> {
        let list = self
            .0
            .integrations
            .values()
            .map(|i| serde_json::json!({ "id": i.id, "name": i.name, "summary": i.summary, "output": i.output }));
        Ok(list.collect())
    }

    fn human(&self, _: Format, _: Style) -> Result<String> {
        let width = self.0.integrations.keys().map(String::len).max().unwrap_or(0);
        let mut out = String::new();
        for integration in self.0.integrations.values() {
            let _ = writeln!(out, "{:width$}  {}", integration.id, integration.summary);
        }
        Ok(out)
    }
}

pub fn run(catalog: &Catalog, format: Format) -> Result<u8> {
    render::print(&Listing(catalog), format)
}
