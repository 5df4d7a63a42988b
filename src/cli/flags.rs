//! How the library's option identities read on the command line: an integration option and its
//! value (`--sync two-way`), what the admin asked for (`--object Account:edit`), a declared
//! user as the `gen` flags that describe it. The library carries the identities; only the CLI
//! spells flags.

use std::collections::BTreeMap;

use sfperms::metadata::OutputKind;
use sfperms::project::config::DeclaredUser;
use sfperms::solver::Asked;

/// `--NAME VALUE`: an integration option with its value.
pub fn option(name: &str, value: &str) -> String {
    format!("--{name} {value}")
}

/// `--NAME`: an integration option without a value.
pub fn option_name(name: &str) -> String {
    format!("--{name}")
}

/// The flag and value that asked for a grant: `--object Account:edit`, `--field Account.Name:read`,
/// `--user-permission ApiEnabled`.
pub fn asked(asked: &Asked) -> String {
    match asked {
        Asked::Object(request) => format!("--object {request}"),
        Asked::Field(request) => format!("--field {request}"),
        Asked::UserPermission(name) => format!("--user-permission {name}"),
    }
}

/// What a `gen` command line says, for reports: the request's identities, as flags.
pub struct GenFlags<'a> {
    pub integration: &'a str,
    pub options: &'a BTreeMap<String, String>,
    pub features: &'a [String],
    pub objects: &'a [String],
    pub fields: &'a [String],
    pub output: Option<OutputKind>,
    pub name: Option<&'a str>,
}

impl GenFlags<'_> {
    /// `--for planhat --sync two-way --feature … --name 'X'`.
    pub fn text(&self) -> String {
        let mut parts = vec![format!("--for {}", self.integration)];
        parts.extend(self.options.iter().map(|(k, v)| option(k, v)));
        parts.extend(self.features.iter().map(|f| format!("--feature {f}")));
        parts.extend(self.objects.iter().map(|o| format!("--object {o}")));
        parts.extend(self.fields.iter().map(|f| format!("--field {f}")));
        if let Some(kind) = self.output {
            parts.push(format!("--as {}", kind.word()));
        }
        if let Some(name) = self.name {
            parts.push(format!("--name '{name}'"));
        }
        parts.join(" ")
    }
}

/// A user declared in sfperms.toml as the `gen` flags that describe it: `--for planhat --sync
/// two-way …`.
pub fn declared_user(user: &DeclaredUser) -> String {
    GenFlags {
        integration: &user.integration,
        options: &user.options,
        features: &user.features,
        objects: &user.objects,
        fields: &user.fields,
        output: user.output,
        name: user.name.as_deref(),
    }
    .text()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_declared_user_reads_as_its_gen_flags() {
        let catalog = sfperms::catalog::builtin().unwrap();
        let text = "[[user]]\nfor = \"jetstream\"\nfeature = [\"deploy\", \"debug-logs\"]\nname = \"Jetstream_CI\"\n\n[[user]]\nfor = \"planhat\"\nsync = \"two-way\"\nobject = \"Invoice__c:read\"\nas = \"permission-set\"\n";
        let users = sfperms::project::config::parse(text, &catalog).unwrap();
        assert_eq!(
            declared_user(&users[0]),
            "--for jetstream --feature deploy --feature debug-logs --name 'Jetstream_CI'"
        );
        assert_eq!(
            declared_user(&users[1]),
            "--for planhat --sync two-way --object Invoice__c:read --as permission-set"
        );
    }

    #[test]
    fn what_the_admin_asked_for_reads_as_its_flag() {
        use sfperms::solver::{FieldRequest, ObjectRequest};
        assert_eq!(
            asked(&Asked::Object(ObjectRequest::parse("Account:read,edit").unwrap())),
            "--object Account:read,edit"
        );
        assert_eq!(asked(&Asked::Object(ObjectRequest::parse("Account").unwrap())), "--object Account");
        assert_eq!(
            asked(&Asked::Field(FieldRequest::parse("Account.Name:edit").unwrap())),
            "--field Account.Name:edit"
        );
        assert_eq!(asked(&Asked::UserPermission("ApiEnabled".into())), "--user-permission ApiEnabled");
    }
}
