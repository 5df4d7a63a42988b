//! From parsed flags to the library's inputs: the catalog, the integration, the selection and the
//! dependency table (built in, or the org's export given with `--dependencies`). Unknown names
//! become errors listing what exists.

use std::path::Path;

use anyhow::{Context, Result, bail};
use sfperms::catalog::{self, Catalog, Integration};
use sfperms::emit::{ComponentError, Naming};
use sfperms::metadata::OutputKind;
use sfperms::platform::dependencies::DependencyTable;
use sfperms::platform::{dependency_export, field_export};
use sfperms::solver::{self, FieldRequest, ObjectRequest, Plan, Selection};

use super::args::CatalogNeed;
use super::config::Request;
use super::refusals::Refusal;

/// The part of the catalog a command needs, and all of a `--catalog DIR` when one is needed.
pub fn load_catalog(need: &CatalogNeed, dir: Option<&Path>) -> Result<Catalog> {
    let builtin = match need {
        CatalogNeed::Nothing => return Ok(Catalog::default()),
        // An id that is not built in may come from DIR, or be a typo: the whole list then.
        CatalogNeed::One(id) => catalog::builtin_only(id).unwrap_or_else(catalog::builtin),
        CatalogNeed::All => catalog::builtin(),
    };
    let mut catalog = builtin.context("the built-in catalog is broken (please report this)")?;
    if let Some(dir) = dir {
        catalog::add_dir(&mut catalog, dir)?;
    }
    Ok(catalog)
}

pub fn integration<'a>(catalog: &'a Catalog, id: &str) -> Result<&'a Integration> {
    match catalog.get(id) {
        Some(integration) => Ok(integration),
        None => {
            let ids = catalog.ids();
            bail!(
                "unknown integration `{id}`{}; the catalog has: {}",
                sfperms::suggest::hint(id, ids.iter().copied()),
                ids.join(", ")
            )
        }
    }
}

/// The admin's choices for the solver (the org's field list read from `--fields`).
pub fn selection(request: &Request) -> Result<Selection> {
    let args = &request.args;
    let objects =
        args.object.iter().map(|o| ObjectRequest::parse(o)).collect::<Result<Vec<_>, _>>().map_err(Refusal)?;
    let fields = args.field.iter().map(|f| FieldRequest::parse(f)).collect::<Result<Vec<_>, _>>().map_err(Refusal)?;
    Ok(Selection {
        features: args.feature.clone(),
        options: request.options.clone(),
        objects,
        fields,
        user_permissions: args.user_permission.clone(),
        integration_user: args.integration_user,
        output: args.output_kind,
        org_fields: args.fields.as_deref().map(field_export::load).transpose()?,
    })
}

/// Solves the request: the integration and its plan.
pub fn plan<'a>(catalog: &'a Catalog, request: &Request) -> Result<(&'a Integration, Plan)> {
    let integration = integration(catalog, &request.integration)?;
    let selection = selection(request)?;
    let org_table;
    let table = match &request.args.dependencies {
        Some(path) => {
            org_table = dependency_export::load(path)?;
            &org_table
        }
        None => DependencyTable::builtin(),
    };
    let plan = solver::solve(integration, &selection, table).map_err(Refusal)?;
    Ok((integration, plan))
}

/// The admin's naming of the component, its description naming options by their flags.
pub fn naming<'a>(name: Option<&'a str>, label: Option<&'a str>, new_profile: Option<&'a str>) -> Naming<'a> {
    Naming { name, label, new_profile, option_words: super::flags::option }
}

/// A label given for a profile would do nothing: Profile metadata has no `label` element (the
/// Metadata API v66 schema in tests/fixtures), so it is refused.
pub fn refuse_label_of_profile(label: Option<&str>, output: OutputKind) -> Result<()> {
    if label.is_some() && output == OutputKind::Profile {
        bail!(
            "--label (or `label` in sfperms.toml): a profile has no label, only a name (Profile metadata has no label element), so it would do nothing: drop it, or generate a permission set with --as permission-set"
        );
    }
    Ok(())
}

/// A name or label the component cannot have, as the flag that gave it.
pub fn component_error(error: ComponentError) -> anyhow::Error {
    match error {
        ComponentError::Name(why) => anyhow::anyhow!("--name: {why}"),
        ComponentError::Label(why) => anyhow::anyhow!("--label: {why}"),
    }
}
