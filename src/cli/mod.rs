//! The command line: clap definitions, the integration options added from the catalog, and one
//! module per command. Commands return an exit code; errors print as `error: …` (with `--json`,
//! as the sf CLI's error envelope on stdout, `envelope`) and exit 2.

/// `println!` that returns the write error instead of panicking: stdout may be a pipe its reader
/// has closed (`sfperms list | head -1`); `main` ends such a run quietly, as ripgrep does.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)?;
    }};
}

mod args;
mod audit_cmd;
mod completions;
mod config;
mod diff_cmd;
mod envelope;
mod exit;
mod explain;
mod flags;
mod fmt_cmd;
mod gen_cmd;
mod init;
mod list;
mod plan_json;
mod project;
mod reasons;
mod refusals;
mod render;
mod request;
mod show;
mod style;
mod warnings;

use std::ffi::OsString;
use std::process::ExitCode;

use anyhow::Result;
use clap::{CommandFactory, FromArgMatches};

pub use args::Cli;
use config::RunCommand;

pub fn main() -> ExitCode {
    let argv: Vec<OsString> = std::env::args_os().collect();
    let json = envelope::requested(&argv);
    match run(&argv, json) {
        Ok(code) => exit::code(code),
        // The reader of stdout went away (`| head`): nothing left to tell anyone.
        Err(err) if closed_pipe(&err) => exit::code(exit::SUCCESS),
        Err(err) => {
            if json {
                envelope::print_error(envelope::ErrorKind::of(&err), &format!("{err:#}"), None);
            } else {
                eprintln!("error: {err:#}");
            }
            exit::code(exit::ERROR)
        }
    }
}

fn run(argv: &[OsString], json: bool) -> Result<u8> {
    // The catalog decides which integration options exist, so load what the command needs of it
    // before parsing (nothing for `--version`, `--help` or `fmt`).
    let dir = args::catalog_dir_from_argv(argv);
    let mut need = args::catalog_need(argv);
    let mut catalog = request::load_catalog(&need, dir.as_deref())?;
    let color = args::color_from_argv(argv);
    let matches = loop {
        match full_command(&catalog).color(color.for_clap()).try_get_matches_from(argv) {
            Ok(m) => break m,
            // Perhaps another integration's option: with the whole catalog the solver says so.
            Err(e) if e.kind() == clap::error::ErrorKind::UnknownArgument && need != args::CatalogNeed::All => {
                need = args::CatalogNeed::All;
                catalog = request::load_catalog(&need, dir.as_deref())?;
            }
            // --help and --version are not errors, and print as text even with --json.
            Err(e) if !e.use_stderr() => {
                let _ = e.print();
                return Ok(exit::SUCCESS);
            }
            Err(e) if json => return Err(e.into()),
            Err(e) => {
                let _ = e.print();
                return Ok(exit::ERROR);
            }
        }
    };
    let cli = Cli::from_arg_matches(&matches)?;
    cli.color.install();
    let options = args::integration_options(&matches, &catalog);
    let given = args::given_flags(&matches);
    // Every flag checked before any work; the commands run from the configuration only.
    let run = config::Run::new(cli, options, &given)?;
    let format = run.format;
    match run.command {
        RunCommand::List => list::run(&catalog, format),
        RunCommand::Show { id } => show::run(&catalog, &id, format),
        RunCommand::Gen(generate) => gen_cmd::run(&catalog, &generate, format),
        RunCommand::Explain(request) => explain::run(&catalog, &request, format),
        RunCommand::Fmt(fmt) => fmt_cmd::run(&fmt, format),
        RunCommand::Diff(diff) => diff_cmd::run(&catalog, &diff, format),
        RunCommand::Audit(audit) => audit_cmd::run(&catalog, &audit, format),
        RunCommand::Init(init) => init::run(&catalog, &init, format),
        RunCommand::Completions { shell } => completions::completions(full_command(&catalog), shell, format),
        RunCommand::Man { command } => completions::man(full_command(&catalog), command.as_deref(), format),
    }
}

/// Whether `err` comes from writing to a pipe whose reader has closed it.
fn closed_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The command line as parsed: the clap definition with the catalog's integration options.
fn full_command(catalog: &sfperms::catalog::Catalog) -> clap::Command {
    args::with_integration_options(Cli::command(), catalog)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
        let catalog = sfperms::catalog::builtin().unwrap();
        args::with_integration_options(Cli::command(), &catalog).debug_assert();
    }

    #[test]
    fn the_catalog_reserves_exactly_the_flags_of_the_commands_that_take_options() {
        let reserved: std::collections::BTreeSet<String> =
            sfperms::catalog::RESERVED_OPTION_NAMES.iter().map(|n| n.to_string()).collect();
        assert_eq!(reserved, args::own_flag_names());
    }

    fn need(line: &str) -> args::CatalogNeed {
        let argv: Vec<std::ffi::OsString> = line.split_whitespace().map(Into::into).collect();
        args::catalog_need(&argv)
    }

    #[test]
    fn a_run_loads_only_the_catalog_its_command_needs() {
        use args::CatalogNeed::{All, Nothing, One};
        assert_eq!(need("sfperms --version"), Nothing);
        assert_eq!(need("sfperms --help"), Nothing);
        assert_eq!(need("sfperms --catalog broken fmt --check ."), Nothing);
        assert_eq!(need("sfperms --json fmt x"), Nothing);
        assert_eq!(need("sfperms gen --for planhat --sync receive-only"), One("planhat".into()));
        assert_eq!(need("sfperms --catalog c diff --against x --for=merge"), One("merge".into()));
        assert_eq!(need("sfperms gen --for planhat --help"), All);
        assert_eq!(need("sfperms gen --sync receive-only"), All);
        assert_eq!(need("sfperms list"), All);
        assert_eq!(need("sfperms help gen"), All);
        assert_eq!(need("sfperms --color always list"), All);
        assert_eq!(need("sfperms --color never fmt ."), Nothing);
        assert_eq!(need("sfperms completions bash"), All);
        assert_eq!(need("sfperms init --for planhat"), All);
    }
}
