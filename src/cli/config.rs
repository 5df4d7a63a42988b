//! The run's configuration, built once from the parsed command line before any work is done
//! (ripgrep's `HiArgs` is the model: clap's flags in, one checked value per command out). Here
//! `--json` and `--format` become one `Format`, `--for` decides between one request and the
//! users declared in sfperms.toml (`Who`), `gen`'s output flags become one `GenOutput`, and every
//! combination of flags that cannot work or would do nothing is refused (exit 2) before a file is
//! read or written: `--check` with nothing to compare, the request's and the file's flags without
//! `--for`, `explain` without `--for`, a `--format` that `--json` overrides, `audit --top` with
//! JSON, a `--user-license` or `--group` name Salesforce would refuse. The commands run from
//! these values only.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow, bail};
use clap::ValueEnum;
use clap_complete::Shell;
use sfperms::metadata::names::check_api_name;
use sfperms::platform::licences;
use sfperms::project::config::{self, DeclaredUser};
use sfperms::project::output::Layout;

use super::args::{AuditArgs, Cli, Command, DiffArgs, FmtArgs, GenArgs, InitArgs, LayoutArg, RequestArgs, ScopeArg};
use super::render::Format;

/// One run: the command's configuration, and how its result is written.
pub struct Run {
    pub format: Format,
    pub command: RunCommand,
}

/// Each command with its checked configuration.
pub enum RunCommand {
    List,
    Show { id: String },
    Gen(Gen),
    Explain(Request),
    Fmt(FmtArgs),
    Diff(Diff),
    Audit(AuditArgs),
    Init(Init),
    Completions { shell: Shell },
    Man { command: Option<String> },
}

/// One integration's request: the admin's flags and the integration's options given as flags.
#[derive(Debug, Clone)]
pub struct Request {
    /// `--for`.
    pub integration: String,
    /// The request's other flags (`integration` above is the one to read).
    pub args: RequestArgs,
    pub options: BTreeMap<String, String>,
}

/// Whom `gen` and `diff` act for.
#[derive(Debug, Clone)]
pub enum Who {
    /// The integration given with `--for`.
    One(Box<Request>),
    /// Every user declared in sfperms.toml (no `--for`).
    Declared,
}

/// Where `gen` puts the component.
#[derive(Debug, Clone)]
pub enum GenOutput {
    /// On stdout.
    Print,
    /// Into a folder (an SFDX project or any folder), in `layout`, with group `group` holding it.
    Dir { dir: PathBuf, layout: Layout, group: Option<String> },
    /// A deployable Metadata API zip.
    Zip(PathBuf),
}

impl GenOutput {
    /// The folder written into, if any.
    pub fn dir(&self) -> Option<&Path> {
        match self {
            GenOutput::Dir { dir, .. } => Some(dir),
            _ => None,
        }
    }
}

/// `gen`, checked: for whom, and the file.
#[derive(Debug, Clone)]
pub struct Gen {
    pub who: Who,
    pub file: GenFile,
}

/// What `gen` writes for one request, and where.
#[derive(Debug, Clone)]
pub struct GenFile {
    pub name: Option<String>,
    pub label: Option<String>,
    pub api_version: Option<String>,
    /// The licence of a complete new profile (`--new-profile --user-license`), as Salesforce names it.
    pub new_profile: Option<&'static str>,
    /// `--user-license` as given: the licence of a declared user's new profile when its table
    /// names none.
    pub user_license: String,
    pub output: GenOutput,
    /// Compare with the files on disk; write nothing.
    pub check: bool,
}

/// `diff`, checked: for whom, and with what.
#[derive(Debug, Clone)]
pub struct Diff {
    pub who: Who,
    pub comparison: Comparison,
}

/// What `diff` compares one request's component with.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub against: PathBuf,
    pub name: Option<String>,
    pub label: Option<String>,
    pub scope: ScopeArg,
    /// `--scope` was typed (not the default): refused for a permission set, where it would do
    /// nothing. A declared user's comparison leaves it unset (the flag is for the profiles among them).
    pub scope_given: bool,
}

/// `init`, checked: the user to declare, if the flags name one.
#[derive(Debug, Clone)]
pub struct Init {
    pub user: Option<Request>,
    pub name: Option<String>,
    pub label: Option<String>,
}

impl Run {
    /// Checks the command line as clap parsed it; `options` are the integration options given,
    /// `given` the ids of the command's flags given on the command line (`args::given_flags`).
    pub fn new(cli: Cli, options: BTreeMap<String, String>, given: &BTreeSet<String>) -> Result<Run> {
        // `--json` is `--format json`; another --format given with it would do nothing.
        let json = cli.json;
        let format = |asked: Format, word: String| {
            if json && given.contains("format") && asked != Format::Json {
                bail!("--format {word} and --json: --json prints JSON, so --format would do nothing; drop one of them");
            }
            Ok(if json { Format::Json } else { asked })
        };
        let plain = if json { Format::Json } else { Format::Text };
        let (format, command) = match cli.command {
            Command::List => (plain, RunCommand::List),
            Command::Show { id } => (plain, RunCommand::Show { id }),
            Command::Gen(args) => (plain, RunCommand::Gen(Gen::new(args, options)?)),
            Command::Explain(args) => {
                let format = format(args.format.into(), value_word(args.format))?;
                let mut given = args.request;
                let Some(integration) = given.integration.take() else {
                    bail!("say which integration with --for ID (`sfperms list` shows them)");
                };
                let request = Request { integration, args: given, options };
                (format, RunCommand::Explain(request))
            }
            Command::Fmt(args) => (plain, RunCommand::Fmt(args)),
            Command::Diff(args) => (
                format(args.format.into(), value_word(args.format))?,
                RunCommand::Diff(Diff::new(args, options, given)?),
            ),
            Command::Audit(args) => {
                let format = format(args.format.into(), value_word(args.format))?;
                if format == Format::Json && given.contains("top") {
                    bail!(
                        "--top shortens the lists of the text and Markdown reports; the JSON report lists every risky grant, so --top would do nothing: drop it"
                    );
                }
                (format, RunCommand::Audit(args))
            }
            Command::Init(args) => (plain, RunCommand::Init(Init::new(args, options)?)),
            Command::Completions { shell } => (plain, RunCommand::Completions { shell }),
            Command::Man { command } => (plain, RunCommand::Man { command }),
        };
        Ok(Run { format, command })
    }
}

/// A `--format` value as typed (`markdown`).
fn value_word(value: impl ValueEnum) -> String {
    value.to_possible_value().map(|v| v.get_name().to_string()).unwrap_or_default()
}

impl Who {
    /// One request with `--for`; without it, the declared users, whose `[[user]]` tables hold
    /// their requests: a request flag given then would do nothing, so it is refused (`command`
    /// names the command in the message; `more` are the command's own flags that a table holds,
    /// `more_unkept` those it cannot hold).
    fn new(
        command: &str,
        mut args: RequestArgs,
        options: BTreeMap<String, String>,
        more: &[(&'static str, bool)],
        more_unkept: &[(&'static str, bool)],
    ) -> Result<Who> {
        if let Some(integration) = args.integration.take() {
            return Ok(Who::One(Box::new(Request { integration, args, options })));
        }
        let mut kept = kept_request_flags(&args, &options);
        kept.extend(given(more));
        let mut unkept = given(&unkept_request_flags(&args));
        unkept.extend(given(more_unkept));
        refuse_without_for(command, &kept, &unkept)
    }
}

/// The flags of `list` that were given.
fn given(list: &[(&'static str, bool)]) -> Vec<String> {
    list.iter().filter(|(_, used)| *used).map(|(flag, _)| flag.to_string()).collect()
}

/// The request flags given that a `[[user]]` table holds under the same names: the integration
/// options and `--feature`, `--object`, `--field`, `--as`, `--dependencies`.
fn kept_request_flags(args: &RequestArgs, options: &BTreeMap<String, String>) -> Vec<String> {
    let mut kept: Vec<String> = options.keys().map(|k| super::flags::option_name(k)).collect();
    kept.extend(given(&[
        ("--feature", !args.feature.is_empty()),
        ("--object", !args.object.is_empty()),
        ("--field", !args.field.is_empty()),
        ("--as", args.output_kind.is_some()),
        ("--dependencies", args.dependencies.is_some()),
    ]));
    kept
}

/// The request flags a `[[user]]` table cannot hold (nor `init` write), each with whether it was given.
fn unkept_request_flags(args: &RequestArgs) -> [(&'static str, bool); 3] {
    [
        ("--fields", args.fields.is_some()),
        ("--user-permission", !args.user_permission.is_empty()),
        ("--integration-user", args.integration_user),
    ]
}

/// Refuses the flags given to `gen` or `diff` without `--for`: `kept` a `[[user]]` table holds
/// under the same name, `unkept` it cannot hold; with none, the run acts for the declared users.
fn refuse_without_for(command: &str, kept: &[String], unkept: &[String]) -> Result<Who> {
    if kept.is_empty() && unkept.is_empty() {
        return Ok(Who::Declared);
    }
    let all: Vec<&str> = kept.iter().chain(unkept).map(String::as_str).collect();
    let file = config::FILE_NAME;
    let instead = match (kept.is_empty(), unkept.is_empty()) {
        (false, true) => format!(
            "add --for ID, or put {} in the users' `[[user]]` tables of {file} (the keys are the flags' names without `--`)",
            kept.join(", ")
        ),
        (true, false) => format!(
            "{file} cannot hold {}: add --for ID to run `sfperms {command}` for that one user",
            unkept.join(", ")
        ),
        (false, false) => format!(
            "add --for ID, or put {} in the users' `[[user]]` tables of {file} (the keys are the flags' names without `--`; {file} cannot hold {})",
            kept.join(", "),
            unkept.join(", ")
        ),
        (true, true) => unreachable!("returned above"),
    };
    bail!(
        "{} without --for: `sfperms {command}` without --for acts for the users declared in {file}, so {} nothing; {instead}",
        all.join(", "),
        if all.len() == 1 { "it would do" } else { "they would do" }
    )
}

impl Request {
    /// The request a declared user stands for (paths relative to the project root `root`).
    pub fn of_user(user: &DeclaredUser, root: &Path) -> Request {
        let args = RequestArgs {
            integration: None,
            feature: user.features.clone(),
            object: user.objects.clone(),
            field: user.fields.clone(),
            user_permission: Vec::new(),
            integration_user: false,
            output_kind: user.output,
            dependencies: user.dependencies.as_ref().map(|d| root.join(d)),
            fields: None,
        };
        Request { integration: user.integration.clone(), args, options: user.options.clone() }
    }
}

/// A new profile's licence, checked against the ones Salesforce has.
fn new_profile_licence(name: &str) -> Result<&'static str> {
    Ok(licences::check(name).map_err(|e| anyhow!("--user-license: {e}"))?.0)
}

impl Gen {
    fn new(args: GenArgs, options: BTreeMap<String, String>) -> Result<Gen> {
        // Without --for each user's table names its file (`--user-license` needs `--new-profile`).
        let naming = [
            ("--name", args.name.is_some()),
            ("--label", args.label.is_some()),
            ("--api-version", args.api_version.is_some()),
            ("--new-profile", args.new_profile),
        ];
        let who = Who::new("gen", args.request, options, &naming, &[("--group", args.group.is_some())])?;
        let output = match (args.output_dir, args.zip) {
            (Some(dir), _) => {
                let layout = match args.layout {
                    LayoutArg::Source => Layout::Source,
                    LayoutArg::Mdapi => Layout::Mdapi,
                };
                GenOutput::Dir { dir, layout, group: args.group }
            }
            (None, Some(zip)) => GenOutput::Zip(zip),
            (None, None) => GenOutput::Print,
        };
        let mut new_profile = None;
        match &who {
            Who::Declared if matches!(output, GenOutput::Zip(_)) => {
                bail!("--zip writes one integration user's component: add --for ID")
            }
            Who::Declared => {}
            Who::One(_) => {
                if args.check && matches!(output, GenOutput::Print) {
                    bail!("--check compares with files on disk: give --output-dir DIR or --zip FILE");
                }
                if args.new_profile {
                    new_profile = Some(new_profile_licence(&args.user_license)?);
                }
                if let GenOutput::Dir { group: Some(group), .. } = &output {
                    check_api_name(group).map_err(|e| anyhow!("--group: {e}"))?;
                }
            }
        }
        let file = GenFile {
            name: args.name,
            label: args.label,
            api_version: args.api_version,
            new_profile,
            user_license: args.user_license,
            output,
            check: args.check,
        };
        Ok(Gen { who, file })
    }
}

impl GenFile {
    /// `gen` for one declared user: its table's request and naming, written under `root` in this
    /// run's layout, compared or written as this run says.
    pub fn of_user(&self, user: &DeclaredUser, project_root: &Path, root: &Path) -> Result<(Request, GenFile)> {
        let layout = match &self.output {
            GenOutput::Dir { layout, .. } => *layout,
            _ => Layout::Source,
        };
        let new_profile = match user.new_profile {
            true => Some(new_profile_licence(user.user_license.as_deref().unwrap_or(&self.user_license))?),
            false => None,
        };
        let file = GenFile {
            name: user.name.clone(),
            label: user.label.clone(),
            api_version: user.api_version.clone(),
            new_profile,
            user_license: self.user_license.clone(),
            output: GenOutput::Dir { dir: root.to_path_buf(), layout, group: None },
            check: self.check,
        };
        Ok((Request::of_user(user, project_root), file))
    }
}

impl Diff {
    fn new(args: DiffArgs, options: BTreeMap<String, String>, given: &BTreeSet<String>) -> Result<Diff> {
        let naming = [("--name", args.name.is_some()), ("--label", args.label.is_some())];
        let who = Who::new("diff", args.request, options, &naming, &[])?;
        let comparison = Comparison {
            against: args.against,
            name: args.name,
            label: args.label,
            scope: args.scope,
            scope_given: given.contains("scope") && matches!(who, Who::One(_)),
        };
        Ok(Diff { who, comparison })
    }
}

impl Comparison {
    /// The comparison for one declared user: its table's names, this run's retrieve and scope.
    pub fn of_user(&self, user: &DeclaredUser) -> Comparison {
        Comparison {
            against: self.against.clone(),
            name: user.name.clone(),
            label: user.label.clone(),
            scope: self.scope,
            scope_given: false,
        }
    }
}

impl Init {
    fn new(args: InitArgs, options: BTreeMap<String, String>) -> Result<Init> {
        let r = &args.request;
        let unkept = given(&unkept_request_flags(r));
        if !unkept.is_empty() {
            bail!(
                "{} cannot be kept in {}: give it to `sfperms gen` on the command line",
                unkept.join(", "),
                config::FILE_NAME
            );
        }
        if r.integration.is_none() {
            let mut described = kept_request_flags(r, &options);
            described.extend(given(&[("--name", args.name.is_some()), ("--label", args.label.is_some())]));
            if !described.is_empty() {
                let they = if described.len() == 1 { "it describes" } else { "they describe" };
                bail!("{} without --for: {they} a user; add --for ID to declare one", described.join(", "));
            }
        }
        let mut given = args.request;
        let user = given.integration.take().map(|integration| Request { integration, args: given, options });
        Ok(Init { user, name: args.name, label: args.label })
    }
}
