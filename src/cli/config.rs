//! The run's configuration, built once from the parsed command line before any work is done
//! (ripgrep's `HiArgs` is the model: clap's flags in, one checked value per command out). Here
//! `--json` and `--format` become one `Format`, `--for` decides between one request and the
//! users declared in sfperms.toml (`Who`), `gen`'s output flags become one `GenOutput`, and every
//! combination of flags that cannot work is refused (exit 2) before a file is read or written:
//! `--check` with nothing to compare, the request's flags without `--for`, `explain` without
//! `--for`, a `--user-license` or `--group` name Salesforce would refuse. The commands run from
//! these values only.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow, bail};
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
}

/// `init`, checked: the user to declare, if the flags name one.
#[derive(Debug, Clone)]
pub struct Init {
    pub user: Option<Request>,
    pub name: Option<String>,
    pub label: Option<String>,
}

impl Run {
    /// Checks the command line as clap parsed it; `options` are the integration options given.
    pub fn new(cli: Cli, options: BTreeMap<String, String>) -> Result<Run> {
        // `--json` wins over a command's `--format`.
        let format = |asked: Format| if cli.json { Format::Json } else { asked };
        let (format, command) = match cli.command {
            Command::List => (format(Format::Text), RunCommand::List),
            Command::Show { id } => (format(Format::Text), RunCommand::Show { id }),
            Command::Gen(args) => (format(Format::Text), RunCommand::Gen(Gen::new(args, options)?)),
            Command::Explain(args) => {
                let mut given = args.request;
                let Some(integration) = given.integration.take() else {
                    bail!("say which integration with --for ID (`sfperms list` shows them)");
                };
                let request = Request { integration, args: given, options };
                (format(args.format.into()), RunCommand::Explain(request))
            }
            Command::Fmt(args) => (format(Format::Text), RunCommand::Fmt(args)),
            Command::Diff(args) => (format(args.format.into()), RunCommand::Diff(Diff::new(args, options)?)),
            Command::Audit(args) => (format(args.format.into()), RunCommand::Audit(args)),
            Command::Init(args) => (format(Format::Text), RunCommand::Init(Init::new(args, options)?)),
            Command::Completions { shell } => (format(Format::Text), RunCommand::Completions { shell }),
            Command::Man { command } => (format(Format::Text), RunCommand::Man { command }),
        };
        Ok(Run { format, command })
    }
}

impl Who {
    /// One request with `--for`; without it, the declared users, which leaves the request's
    /// flags no integration to go to (the users' tables hold them).
    fn new(mut args: RequestArgs, options: BTreeMap<String, String>) -> Result<Who> {
        if let Some(integration) = args.integration.take() {
            return Ok(Who::One(Box::new(Request { integration, args, options })));
        }
        let mut given: Vec<String> = options.keys().map(|k| super::flags::option_name(k)).collect();
        for (flag, used) in [
            ("--feature", !args.feature.is_empty()),
            ("--object", !args.object.is_empty()),
            ("--field", !args.field.is_empty()),
            ("--as", args.output_kind.is_some()),
            ("--dependencies", args.dependencies.is_some()),
        ] {
            if used {
                given.push(flag.to_string());
            }
        }
        if !given.is_empty() {
            bail!(
                "{} without --for: add --for ID, or put them in a `[[user]]` table of {}",
                given.join(", "),
                config::FILE_NAME
            );
        }
        Ok(Who::Declared)
    }
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
        let who = Who::new(args.request, options)?;
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
    fn new(args: DiffArgs, options: BTreeMap<String, String>) -> Result<Diff> {
        let who = Who::new(args.request, options)?;
        if matches!(who, Who::Declared) && (args.name.is_some() || args.label.is_some()) {
            bail!("--name and --label without --for: put them in the users' `[[user]]` tables");
        }
        let comparison = Comparison { against: args.against, name: args.name, label: args.label, scope: args.scope };
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
        }
    }
}

impl Init {
    fn new(args: InitArgs, options: BTreeMap<String, String>) -> Result<Init> {
        let r = &args.request;
        let unkept: Vec<&str> = [
            ("--fields", r.fields.is_some()),
            ("--user-permission", !r.user_permission.is_empty()),
            ("--integration-user", r.integration_user),
        ]
        .into_iter()
        .filter_map(|(flag, given)| given.then_some(flag))
        .collect();
        if !unkept.is_empty() {
            bail!(
                "{} cannot be kept in {}: give it to `sfperms gen` on the command line",
                unkept.join(", "),
                config::FILE_NAME
            );
        }
        if r.integration.is_none() && (!options.is_empty() || !r.feature.is_empty() || args.name.is_some()) {
            bail!("options without --for: add --for ID to declare a user");
        }
        let mut given = args.request;
        let user = given.integration.take().map(|integration| Request { integration, args: given, options });
        Ok(Init { user, name: args.name, label: args.label })
    }
}
