//! The clap definitions of every command and flag, and the integration options (`--sync`,
//! `--mode`, …) that the catalog adds to `gen`, `explain` and `diff` at run time.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::path::PathBuf;

use clap::builder::TypedValueParser;
use clap::parser::ValueSource;
use clap::{Arg, ArgMatches, Args, Parser, Subcommand, ValueEnum};
use sfperms::catalog::Catalog;
use sfperms::metadata::OutputKind;

use super::exit::HELP_FOOTER;
use super::render::Format;
use super::style::ColorArg;

/// Least-privilege Salesforce permissions for third-party integrations, as deployable metadata.
#[derive(Debug, Parser)]
#[command(name = "sfperms", version, max_term_width = 100, after_long_help = HELP_FOOTER)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Print one JSON document instead of text
    #[arg(long, global = true, display_order = 100)]
    pub json: bool,

    /// Add (or replace, by id) integrations from the TOML files in DIR
    #[arg(long, global = true, value_name = "DIR", display_order = 101)]
    pub catalog: Option<PathBuf>,

    /// When to colour the output (auto: on a terminal, unless NO_COLOR is set)
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value = "auto", display_order = 102)]
    pub color: ColorArg,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the integrations in the catalog
    List,
    /// Show an integration's features, options and source document
    Show {
        /// The integration id (see `sfperms list`)
        id: String,
    },
    /// Generate the PermissionSet or Profile an integration needs
    #[command(after_long_help = HELP_FOOTER)]
    Gen(GenArgs),
    /// Explain every grant: the vendor sentence or dependency behind it, and what was left out
    #[command(after_long_help = HELP_FOOTER)]
    Explain(ExplainArgs),
    /// Rewrite PermissionSet and Profile files in Salesforce's canonical form, keeping their meaning
    #[command(after_long_help = HELP_FOOTER)]
    Fmt(FmtArgs),
    /// Compare retrieved metadata with what the integration needs: missing, excess, changed
    #[command(after_long_help = HELP_FOOTER)]
    Diff(DiffArgs),
    /// Rank a retrieved org's permission sets and profiles by their risky grants, and show what
    /// the declared integration users hold beyond least privilege
    #[command(after_long_help = HELP_FOOTER)]
    Audit(AuditArgs),
    /// Write a commented sfperms.toml here, declaring the user the flags describe (if any)
    Init(InitArgs),
    /// Print the shell completion script
    ///
    /// For example `sfperms completions bash > ~/.local/share/bash-completion/completions/sfperms`.
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) of sfperms, or of one command
    ///
    /// For example `sfperms man gen > sfperms-gen.1 && man ./sfperms-gen.1`.
    Man {
        /// The command whose page to print (default: sfperms itself)
        #[arg(value_name = "COMMAND")]
        command: Option<String>,
    },
}

/// What to generate: the integration and the admin's choices (shared by gen, explain and diff).
#[derive(Debug, Clone, Default, Args)]
pub struct RequestArgs {
    /// The integration id (see `sfperms list`); without it, gen and diff act on every user
    /// declared in sfperms.toml
    #[arg(long = "for", value_name = "ID")]
    pub integration: Option<String>,

    /// Turn on a feature (repeatable); `all` turns on every feature
    #[arg(long, value_name = "NAME")]
    pub feature: Vec<String>,

    /// Object access: NAME or NAME:ACCESS, ACCESS a comma list of read, create, edit, delete,
    /// view-all, modify-all (repeatable)
    #[arg(long, value_name = "NAME[:ACCESS]")]
    pub object: Vec<String>,

    /// Field access: Object.Field or Object.Field:read|edit (repeatable)
    #[arg(long, value_name = "OBJECT.FIELD[:ACCESS]")]
    pub field: Vec<String>,

    /// A user permission the catalog does not name, by its API name (repeatable); checked against
    /// sfperms' list and explained as asked for by the admin
    #[arg(long = "user-permission", value_name = "NAME")]
    pub user_permission: Vec<String>,

    /// The user holds the Salesforce Integration user licence: the permission set is tied to the
    /// "Salesforce API Integration" permission set licence (refused where the vendor rejects it)
    #[arg(long = "integration-user")]
    pub integration_user: bool,

    /// Write a permission set or a profile (default: what the integration's document asks for)
    #[arg(long = "as", value_parser = output_kind_parser(), value_name = "KIND")]
    pub output_kind: Option<OutputKind>,

    /// The org's PermissionDependency export (CSV or JSON from `sf data query --use-tooling-api
    /// --query "SELECT Permission, RequiredPermission, PermissionType, RequiredPermissionType FROM
    /// PermissionDependency"`): replaces the built-in dependency table
    #[arg(long, value_name = "FILE")]
    pub dependencies: Option<PathBuf>,

    /// The org's field list with each field's IsPermissionable (CSV or JSON from `sf data query
    /// --use-tooling-api --query "SELECT EntityDefinition.QualifiedApiName, QualifiedApiName,
    /// IsPermissionable FROM EntityParticle WHERE EntityDefinition.QualifiedApiName IN ('Account')"`):
    /// decides the fields of the objects it lists
    #[arg(long, value_name = "FILE")]
    pub fields: Option<PathBuf>,
}

/// `--as`: the library's kinds, by their words (`permission-set`, `profile`).
fn output_kind_parser() -> impl TypedValueParser<Value = OutputKind> {
    clap::builder::PossibleValuesParser::new(OutputKind::ALL.map(OutputKind::word))
        .map(|word| OutputKind::parse(&word).expect("clap accepts only the possible values"))
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LayoutArg {
    /// SFDX source format: `permissionsets/X.permissionset-meta.xml`
    Source,
    /// Metadata API format: `package.xml` and `permissionsets/X.permissionset`
    Mdapi,
}

#[derive(Debug, Args)]
pub struct GenArgs {
    #[command(flatten)]
    pub request: RequestArgs,

    /// API name of the permission set, or name of the profile
    #[arg(long, value_name = "API_NAME", help_heading = "File")]
    pub name: Option<String>,

    /// Label of the permission set (at most 80 characters)
    #[arg(long, value_name = "LABEL", help_heading = "File")]
    pub label: Option<String>,

    /// API version for package.xml (default: sourceApiVersion of the SFDX project, then 66.0)
    #[arg(long, value_name = "N.0", help_heading = "File")]
    pub api_version: Option<String>,

    /// Write a complete new profile (custom, userLicense, description) instead of a fragment
    #[arg(long, help_heading = "File")]
    pub new_profile: bool,

    /// The user licence of a new profile
    #[arg(long, value_name = "LICENSE", default_value = "Salesforce", requires = "new_profile", help_heading = "File")]
    pub user_license: String,

    /// Also write permission set group NAME holding the set (an existing group keeps its members)
    #[arg(long, value_name = "NAME", requires = "output_dir", help_heading = "File")]
    pub group: Option<String>,

    /// Write files under DIR (an SFDX project, or any folder) instead of printing
    #[arg(long, value_name = "DIR", help_heading = "Output")]
    pub output_dir: Option<PathBuf>,

    /// File layout under --output-dir
    #[arg(long, value_enum, default_value = "source", requires = "output_dir", help_heading = "Output")]
    pub layout: LayoutArg,

    /// Write a deployable Metadata API zip
    #[arg(long, value_name = "FILE", conflicts_with = "output_dir", help_heading = "Output")]
    pub zip: Option<PathBuf>,

    /// Write nothing; exit 1 if the files would change
    #[arg(long, help_heading = "Output")]
    pub check: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExplainFormat {
    Text,
    Markdown,
}

impl From<ExplainFormat> for Format {
    fn from(format: ExplainFormat) -> Format {
        match format {
            ExplainFormat::Text => Format::Text,
            ExplainFormat::Markdown => Format::Markdown,
        }
    }
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub request: RequestArgs,

    /// Output format (`--json` prints JSON)
    #[arg(long, value_enum, default_value = "text")]
    pub format: ExplainFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ScopeArg {
    /// Only the entries sfperms generates (what a deploy of the fragment touches)
    Fragment,
    /// Every grant in the profile (the rest is reported as excess)
    Full,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DiffFormat {
    /// Grouped by kind, with reasons and fixes (coloured on a terminal unless NO_COLOR is set)
    Text,
    /// One JSON document
    Json,
    /// A pull-request comment
    Markdown,
    /// A unified diff of the retrieved file that `git apply` accepts (paths relative to --against)
    Patch,
}

impl From<DiffFormat> for Format {
    fn from(format: DiffFormat) -> Format {
        match format {
            DiffFormat::Text => Format::Text,
            DiffFormat::Json => Format::Json,
            DiffFormat::Markdown => Format::Markdown,
            DiffFormat::Patch => Format::Patch,
        }
    }
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    #[command(flatten)]
    pub request: RequestArgs,

    /// The retrieved metadata: an SFDX project, an mdapi folder, a retrieve zip, or one file
    #[arg(long, value_name = "PATH")]
    pub against: PathBuf,

    /// The permission set's API name or the profile's name to look for (default: the integration's)
    #[arg(long, value_name = "API_NAME")]
    pub name: Option<String>,

    /// The label sfperms would write (a permission set's label is compared too)
    #[arg(long, value_name = "LABEL")]
    pub label: Option<String>,

    /// For profiles: compare only the entries sfperms generates, or every grant
    #[arg(long, value_enum, default_value = "fragment")]
    pub scope: ScopeArg,

    /// Output format (`--json` is `--format json`)
    #[arg(long, value_enum, default_value = "text")]
    pub format: DiffFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AuditFormat {
    Text,
    /// One JSON document (as `--json`)
    Json,
    /// A pull-request comment
    Markdown,
}

impl From<AuditFormat> for Format {
    fn from(format: AuditFormat) -> Format {
        match format {
            AuditFormat::Text => Format::Text,
            AuditFormat::Json => Format::Json,
            AuditFormat::Markdown => Format::Markdown,
        }
    }
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The retrieved org: an SFDX project, an mdapi folder or a retrieve zip
    #[arg(value_name = "PATH")]
    pub path: PathBuf,

    /// Output format (`--json` is `--format json`)
    #[arg(long, value_enum, default_value = "text")]
    pub format: AuditFormat,

    /// Risky grants listed per file (text and Markdown; JSON lists them all)
    #[arg(long, value_name = "N", default_value = "5")]
    pub top: usize,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    #[command(flatten)]
    pub request: RequestArgs,

    /// API name of the permission set, or name of the profile
    #[arg(long, value_name = "API_NAME")]
    pub name: Option<String>,

    /// Label of the permission set
    #[arg(long, value_name = "LABEL")]
    pub label: Option<String>,
}

#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Files, folders (an SFDX project: every package directory) or retrieve zips (with --check)
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,

    /// Write nothing; list the files that would change and exit 1 if there are any
    #[arg(long)]
    pub check: bool,
}

/// `--catalog DIR` as given, found before clap runs.
pub fn catalog_dir_from_argv(argv: &[OsString]) -> Option<PathBuf> {
    let mut iter = argv.iter();
    while let Some(arg) = iter.next() {
        let text = arg.to_string_lossy();
        if text == "--catalog" {
            return iter.next().map(PathBuf::from);
        }
        if let Some(dir) = text.strip_prefix("--catalog=") {
            return Some(PathBuf::from(dir));
        }
    }
    None
}

/// How much of the catalog a command line needs.
#[derive(Debug, PartialEq, Eq)]
pub enum CatalogNeed {
    /// None: `--version`, `--help`, `fmt` (a broken `--catalog DIR` does not break them).
    Nothing,
    /// The integration given with `--for`, and its options.
    One(String),
    /// Every integration: `list`, `show`, a command's `--help`, completions and man pages (which
    /// list every option).
    All,
}

/// What the command in `argv` needs from the catalog, found before clap runs (the catalog decides
/// which options clap accepts).
pub fn catalog_need(argv: &[OsString]) -> CatalogNeed {
    let mut args = argv.iter().skip(1).map(|a| a.to_string_lossy());
    let mut command = None;
    while let Some(arg) = args.next() {
        // The global options that take a value.
        if arg == "--catalog" || arg == "--color" {
            args.next();
        } else if !arg.starts_with('-') {
            command = Some(arg);
            break;
        }
    }
    let Some(command) = command else { return CatalogNeed::Nothing };
    if command == "fmt" {
        return CatalogNeed::Nothing;
    }
    // `init` lists every integration.
    if !["gen", "explain", "diff"].contains(&command.as_ref()) {
        return CatalogNeed::All;
    }
    let rest: Vec<_> = args.collect();
    if rest.iter().any(|a| a == "--help" || a == "-h") {
        return CatalogNeed::All;
    }
    let mut rest = rest.iter();
    while let Some(arg) = rest.next() {
        if arg == "--for" {
            if let Some(id) = rest.next() {
                return CatalogNeed::One(id.to_string());
            }
        } else if let Some(id) = arg.strip_prefix("--for=") {
            return CatalogNeed::One(id.to_string());
        }
    }
    CatalogNeed::All
}

/// `--color WHEN` as given, found before clap runs (clap colours its own help and errors);
/// `auto` when absent or not a known value (clap then reports the value).
pub fn color_from_argv(argv: &[OsString]) -> ColorArg {
    let mut iter = argv.iter().map(|a| a.to_string_lossy());
    let mut value = None;
    while let Some(arg) = iter.next() {
        if arg == "--color" {
            value = iter.next().map(|v| v.into_owned());
        } else if let Some(v) = arg.strip_prefix("--color=") {
            value = Some(v.to_string());
        }
    }
    value.and_then(|v| ColorArg::from_str(&v, false).ok()).unwrap_or_default()
}

/// Commands that take integration options.
const TAKES_OPTIONS: [&str; 4] = ["gen", "explain", "diff", "init"];

/// Every long flag of the commands that take integration options, global ones, `--help` and
/// `--version` included: the names an integration option may not take (the catalog's
/// `RESERVED_OPTION_NAMES` must be this set; a test holds them together).
#[cfg(test)]
pub fn own_flag_names() -> std::collections::BTreeSet<String> {
    use clap::CommandFactory as _;
    let mut command = Cli::command();
    command.build();
    let mut names: std::collections::BTreeSet<String> =
        command.get_arguments().filter_map(|a| a.get_long().map(str::to_string)).collect();
    names.insert("version".into());
    for sub in command.get_subcommands().filter(|s| TAKES_OPTIONS.contains(&s.get_name())) {
        names.extend(sub.get_arguments().filter_map(|a| a.get_long().map(str::to_string)));
    }
    names
}

/// Adds one `--NAME VALUE` flag per integration option in the catalog to the commands that take them.
pub fn with_integration_options(mut command: clap::Command, catalog: &Catalog) -> clap::Command {
    let mut by_name: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for integration in catalog.integrations.values() {
        for option in &integration.options {
            let values = option.kind.value_hint();
            let default = option.default.as_ref().map(|d| format!(", default {d}")).unwrap_or_default();
            let required = if option.required { ", required" } else { "" };
            by_name
                .entry(option.name.as_str())
                .or_default()
                .push(format!("{}: {} ({values}{default}{required})", integration.id, option.description));
        }
    }
    for sub in TAKES_OPTIONS {
        command = command.mut_subcommand(sub, |mut sub| {
            for (name, helps) in &by_name {
                sub = sub.arg(
                    Arg::new(format!("option:{name}"))
                        .long(name.to_string())
                        .value_name("VALUE")
                        .help(helps.join("; "))
                        .help_heading("Integration options"),
                );
            }
            sub
        });
    }
    command
}

/// The ids of the command's own flags given on the command line (not filled in by a default):
/// what `config` needs to refuse a flag that would do nothing.
pub fn given_flags(matches: &ArgMatches) -> BTreeSet<String> {
    let Some((_, sub)) = matches.subcommand() else { return BTreeSet::new() };
    let given = |id: &&clap::Id| sub.value_source(id.as_str()) == Some(ValueSource::CommandLine);
    sub.ids().filter(given).map(ToString::to_string).collect()
}

/// The integration options given on the command line.
pub fn integration_options(matches: &ArgMatches, catalog: &Catalog) -> BTreeMap<String, String> {
    let mut options = BTreeMap::new();
    let Some((_, sub)) = matches.subcommand() else { return options };
    for integration in catalog.integrations.values() {
        for option in &integration.options {
            let id = format!("option:{}", option.name);
            if let Ok(Some(value)) = sub.try_get_one::<String>(&id) {
                options.insert(option.name.clone(), value.clone());
            }
        }
    }
    options
}
