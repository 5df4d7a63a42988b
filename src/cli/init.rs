//! `sfperms init`: writes a commented `sfperms.toml` in the current folder (the SFDX project
//! root). Given `gen`'s flags, the file declares that user (checked first: bad flags write
//! nothing); without them, it lists the integrations and a commented example to fill in.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Result, bail};
use serde_json::json;
use sfperms::catalog::Catalog;
use sfperms::disk::Target;
use sfperms::metadata::OutputKind;
use sfperms::project::config::{self, FILE_NAME};

use super::config::{Init, Request};
use super::exit::SUCCESS;
use super::render::{self, Format, Page};
use super::request;

pub fn run(catalog: &Catalog, init: &Init, format: Format) -> Result<u8> {
    let path = Path::new(FILE_NAME);
    if path.exists() {
        bail!("{FILE_NAME} already exists here: edit it, or remove it first");
    }
    let user = match &init.user {
        Some(request) => {
            // Refuse what `gen` would refuse before writing anything.
            let (_, plan) = request::plan(catalog, request)?;
            Some(user_table(init, request, plan.output))
        }
        None => None,
    };
    let text = file_text(catalog, user.as_deref());
    // What init writes, gen must read back.
    if user.is_some()
        && let Err(problems) = config::parse(&text, catalog)
    {
        bail!("the file init would write does not read back (please report this): {problems:?}");
    }
    Target::open(path, Path::new("."))?.write(text.as_bytes())?;
    let has_sfdx = Path::new("sfdx-project.json").is_file();
    let result = json!({ "path": FILE_NAME, "users": usize::from(user.is_some()), "sfdx-project": has_sfdx });
    let status = render::print(&Page { json: result, text: String::new() }, format)?;
    if format == Format::Json {
        return Ok(status);
    }
    eprintln!("created: {FILE_NAME}");
    if !has_sfdx {
        eprintln!("note: no sfdx-project.json here; sfperms.toml belongs at the SFDX project root");
    }
    Ok(SUCCESS)
}

/// A TOML string, quoted and escaped.
fn quoted(value: &str) -> String {
    toml::Value::String(value.to_string()).to_string()
}

fn list(values: &[String]) -> String {
    let items: Vec<String> = values.iter().map(|v| quoted(v)).collect();
    format!("[{}]", items.join(", "))
}

/// The `[[user]]` table for the flags given.
fn user_table(init: &Init, request: &Request, output: OutputKind) -> String {
    let r = &request.args;
    let mut out = String::from("[[user]]\n");
    let _ = writeln!(out, "for = {}", quoted(&request.integration));
    for (key, value) in &request.options {
        let _ = writeln!(out, "{key} = {}", quoted(value));
    }
    for (key, values) in [("feature", &r.feature), ("object", &r.object), ("field", &r.field)] {
        if !values.is_empty() {
            let _ = writeln!(out, "{key} = {}", list(values));
        }
    }
    if r.output_kind.is_some() {
        let _ = writeln!(out, "as = {}", quoted(output.word()));
    }
    for (key, value) in [("name", &init.name), ("label", &init.label)] {
        if let Some(value) = value {
            let _ = writeln!(out, "{key} = {}", quoted(value));
        }
    }
    if let Some(path) = &r.dependencies {
        let _ = writeln!(out, "dependencies = {}", quoted(&path.to_string_lossy()));
    }
    out
}

fn file_text(catalog: &Catalog, user: Option<&str>) -> String {
    let mut out = String::from(
        "# sfperms.toml: the integration users of this Salesforce project, one [[user]] table each.\n\
         # Keys are `sfperms gen`'s flags without the dashes, the integration's own options included:\n\
         # `--sync two-way` is `sync = \"two-way\"`; a flag given several times is a list,\n\
         # `--feature deploy --feature debug-logs` is `feature = [\"deploy\", \"debug-logs\"]`.\n\
         # Keys: for, feature, object, field, as, name, label, api-version, new-profile, user-license,\n\
         # dependencies (a path from this folder), and the options `sfperms show ID` lists.\n\
         #\n\
         #   sfperms gen                          write every user's PermissionSet or Profile\n\
         #   sfperms gen --check                  exit 1 when the committed files drift (CI)\n\
         #   sfperms diff --against DIR|ZIP       compare them with a retrieve of the org\n\
         #   sfperms audit DIR|ZIP                rank the org's sets and profiles, and each user's excess\n\
         #\n\
         # Integrations:\n",
    );
    let width = catalog.integrations.keys().map(String::len).max().unwrap_or(0);
    for integration in catalog.integrations.values() {
        let _ = writeln!(out, "#   {:width$}  {}", integration.id, integration.summary);
    }
    out.push('\n');
    match user {
        Some(table) => out.push_str(table),
        None => out.push_str(
            "# [[user]]\n# for = \"jetstream\"\n# feature = [\"deploy\", \"debug-logs\"]\n\
             #\n# [[user]]\n# for = \"planhat\"\n# sync = \"receive-only\"\n",
        ),
    }
    out
}
