//! `--json` output in the sf CLI's envelope, so pipelines that already parse `sf … --json` parse
//! sfperms the same way: `{"status": N, "result": …, "warnings": […]}` when the command ran
//! (status 1 when it found differences), `{"status": N, "name": …, "message": …, "exitCode": N,
//! "warnings": […]}` when it could not.

use serde::Serialize;
use serde_json::Value;

use super::exit::ERROR;

#[derive(Serialize)]
struct Ran<'a, T: Serialize> {
    status: u8,
    result: &'a T,
    warnings: &'a [String],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Failed<'a> {
    status: u8,
    name: &'static str,
    message: &'a str,
    exit_code: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a Value>,
    warnings: &'a [String],
}

/// Prints the result of a command that ran; `status` is its exit code (0, or 1 for differences).
pub fn print_result<T: Serialize>(status: u8, result: &T, warnings: &[String]) -> anyhow::Result<u8> {
    outln!("{}", serde_json::to_string_pretty(&Ran { status, result, warnings })?);
    Ok(status)
}

/// What kind of problem stopped a command: the envelope's `name`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The command line: an unknown flag, a missing value (clap's errors).
    Usage,
    /// An unknown feature, option value, object access, or a combination the vendor rules out.
    Selection,
    /// An integration file of the catalog (`--catalog DIR`).
    Catalog,
    /// A metadata file that cannot be read (malformed XML, a zip escaping its folder, …).
    Metadata,
    /// sfdx-project.json.
    SfdxProject,
    /// sfperms.toml.
    ProjectFile,
    /// The PermissionDependency export given with `--dependencies`.
    DependencyExport,
    /// A file that cannot be written.
    Output,
    /// `--fields`: the org's field list cannot be read.
    FieldList,
    /// Any other input error.
    Input,
}

impl ErrorKind {
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Usage => "UsageError",
            ErrorKind::Selection => "SelectionError",
            ErrorKind::Catalog => "CatalogError",
            ErrorKind::Metadata => "MetadataError",
            ErrorKind::SfdxProject => "SfdxProjectError",
            ErrorKind::ProjectFile => "ProjectFileError",
            ErrorKind::DependencyExport => "DependencyExportError",
            ErrorKind::FieldList => "FieldListError",
            ErrorKind::Output => "OutputError",
            ErrorKind::Input => "InputError",
        }
    }

    /// The kind of the first library error in the chain (the outermost that sfperms knows).
    pub fn of(err: &anyhow::Error) -> ErrorKind {
        use sfperms::catalog::CatalogErrors;
        use sfperms::metadata::read::ParseError;
        use sfperms::platform::dependency_export::ExportError;
        use sfperms::project::ProjectError;
        use sfperms::project::config::ProjectFileError;
        use sfperms::project::format::FormatError;
        use sfperms::project::output::OutputError;
        use sfperms::project::source::SourceError;
        for cause in err.chain() {
            let kind = if cause.is::<super::refusals::Refusal>() {
                ErrorKind::Selection
            } else if cause.is::<CatalogErrors>() {
                ErrorKind::Catalog
            } else if cause.is::<ProjectFileError>() {
                ErrorKind::ProjectFile
            } else if cause.is::<SourceError>() || cause.is::<ParseError>() || cause.is::<FormatError>() {
                ErrorKind::Metadata
            } else if cause.is::<ProjectError>() {
                ErrorKind::SfdxProject
            } else if cause.is::<sfperms::platform::field_export::FieldListError>() {
                ErrorKind::FieldList
            } else if cause.is::<ExportError>() {
                ErrorKind::DependencyExport
            } else if cause.is::<OutputError>() || cause.is::<sfperms::disk::DiskError>() {
                ErrorKind::Output
            } else if cause.is::<clap::Error>() {
                ErrorKind::Usage
            } else {
                continue;
            };
            return kind;
        }
        ErrorKind::Input
    }
}

/// Prints an error that stopped a command (exit 2). `data`: what the command found before it
/// stopped, when that helps (the files `fmt` could and could not read).
pub fn print_error(kind: ErrorKind, message: &str, data: Option<&Value>) {
    let failed = Failed { status: ERROR, name: kind.name(), message, exit_code: ERROR, data, warnings: &[] };
    match serde_json::to_string_pretty(&failed) {
        // Nothing more can be said if stdout is closed: the exit code still tells.
        Ok(text) => {
            use std::io::Write as _;
            let _ = writeln!(std::io::stdout().lock(), "{text}");
        }
        // Serialising strings and a Value cannot fail; if it ever does, say so on stderr.
        Err(e) => eprintln!("error: {message} (and the JSON envelope failed: {e})"),
    }
}

/// Whether the command line asks for JSON: `--json`, or `diff --format json`. Read from the raw
/// arguments so that errors before or during parsing are JSON too.
pub fn requested(argv: &[std::ffi::OsString]) -> bool {
    let args: Vec<std::borrow::Cow<'_, str>> = argv.iter().map(|a| a.to_string_lossy()).collect();
    args.iter().any(|a| a == "--json" || a == "--format=json")
        || args.windows(2).any(|w| w[0] == "--format" && w[1] == "json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_asked_for_by_flag_or_format() {
        let argv = |s: &str| s.split(' ').map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert!(requested(&argv("sfperms list --json")));
        assert!(requested(&argv("sfperms diff --for x --format json")));
        assert!(requested(&argv("sfperms diff --for x --format=json")));
        assert!(!requested(&argv("sfperms diff --for x --format markdown")));
    }

    #[test]
    fn the_envelope_keeps_the_sf_order() {
        let text =
            serde_json::to_string(&Ran { status: 1, result: &serde_json::json!({"a": 1}), warnings: &[] }).unwrap();
        assert_eq!(text, r#"{"status":1,"result":{"a":1},"warnings":[]}"#);
        let failed = Failed { status: 2, name: "UsageError", message: "m", exit_code: 2, data: None, warnings: &[] };
        assert_eq!(
            serde_json::to_string(&failed).unwrap(),
            r#"{"status":2,"name":"UsageError","message":"m","exitCode":2,"warnings":[]}"#
        );
    }
}
