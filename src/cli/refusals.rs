//! The words of the solver's selection errors, flag names included: the library says what was
//! refused and with which names and values; the CLI says which flag gave them.

use sfperms::solver::{Given, NameOf, SelectionError};

use super::flags;

/// A refused selection as the CLI prints it (`error: …`; `SelectionError` in `--json`).
#[derive(Debug)]
pub struct Refusal(pub SelectionError);

impl From<SelectionError> for Refusal {
    fn from(error: SelectionError) -> Refusal {
        Refusal(error)
    }
}

impl std::error::Error for Refusal {}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&text(&self.0))
    }
}

/// `--object TEXT` / `--field TEXT`: what the admin typed, as typed.
fn given(given: &Given) -> String {
    match given {
        Given::Object(text) => format!("--object {text}"),
        Given::Field(text) => format!("--field {text}"),
    }
}

/// The error as printed.
pub fn text(error: &SelectionError) -> String {
    match error {
        SelectionError::UnknownFeature { integration, name, hint, allowed } => {
            format!("`{integration}` has no feature `{name}`{hint}; its features are: {allowed}")
        }
        SelectionError::NoFeatures { integration } => format!("`{integration}` takes no features"),
        SelectionError::UnknownOption { integration, name, options } => {
            let allowed = if options.is_empty() {
                "; it takes no options".to_string()
            } else {
                let flags: Vec<String> = options.iter().map(|o| flags::option_name(o)).collect();
                format!("; its options are: {}", flags.join(", "))
            };
            format!("`{}` is not an option of `{integration}`{allowed}", flags::option_name(name))
        }
        SelectionError::BadOptionValue { option, value, hint, allowed } => {
            format!("`{}` is not allowed{hint}; use one of: {allowed}", flags::option(option, value))
        }
        SelectionError::MissingOption { integration, option, allowed } => {
            format!("`{integration}` needs `{}`: one of {allowed}", flags::option_name(option))
        }
        SelectionError::RuledOut { message, source_quote } => {
            format!("{message} (the vendor document: \"{source_quote}\")")
        }
        SelectionError::BadName { what, value, why } => {
            let what = match what {
                NameOf::Object => "object".to_string(),
                NameOf::Field => "field".to_string(),
                NameOf::Option(name) => flags::option_name(name),
            };
            format!("`{value}` is not a valid {what} name: {why}")
        }
        SelectionError::BadAccess { given: asked, message } => format!("{}: {message}", given(asked)),
        SelectionError::NeedsAccess { given: asked, integration, context } => {
            let flag = given(asked);
            format!(
                "{flag}: say which access, e.g. `{flag}:read` (`{integration}` has no default access for it{context})"
            )
        }
        SelectionError::UnknownUserPermission { name, hint } => format!(
            "--user-permission {name}: not a user permission sfperms knows{hint}; use an API name such as `ApiEnabled` (src/platform/data/user-permissions.tsv)"
        ),
        SelectionError::UnknownField { field, suggestion } => format!(
            "`{field}` is not a field sfperms knows; did you mean `{suggestion}`? (a field that does not exist fails the deploy)"
        ),
        SelectionError::NotInOrgFields { field, list, hint } => format!(
            "`{field}` is not in {list}, which lists the fields of its object{hint} (a field that does not exist fails the deploy)"
        ),
        SelectionError::NoObjectPermissions { object, why, source_text } => format!(
            "`{object}` takes no object permissions: it is {why} ({source_text}); grant access to its parent object instead"
        ),
        SelectionError::IntegrationLicenceRejected { integration, source_quote } => format!(
            "--integration-user: `{integration}` does not accept the Salesforce Integration user licence (the vendor document: \"{source_quote}\"); give the integration user a Salesforce licence instead"
        ),
        SelectionError::IntegrationUserProfile => "--integration-user writes a permission set: an Integration user's profile is the standard \"Minimum Access - API Only Integrations\" profile (Salesforce Help, \"Give Integration Users API Only Access\"), so grant through a permission set (--as permission-set)".to_string(),
    }
}
