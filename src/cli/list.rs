//! `sfperms list`: the integrations, one line each.

use anyhow::Result;
use sfperms::catalog::Catalog;

pub fn run(catalog: &Catalog, json: bool) -> Result<u8> {
    if json {
        let list: Vec<serde_json::Value> = catalog
            .integrations
            .values()
            .map(|i| serde_json::json!({ "id": i.id, "name": i.name, "summary": i.summary, "output": i.output }))
            .collect();
        return super::envelope::print_result(0, &list, &[]);
    }
    let width = catalog.integrations.keys().map(String::len).max().unwrap_or(0);
    for integration in catalog.integrations.values() {
        outln!("{:width$}  {}", integration.id, integration.summary);
    }
    Ok(0)
}
