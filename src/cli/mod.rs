//! The command line: clap definitions, the integration options added from the catalog, and one
//! module per command. Commands return an exit code; errors print as `error: …` (with `--json`,
//! as the sf CLI's error envelope on stdout, `envelope`) and exit 2.

mod args;
mod completions;
mod diff_cmd;
mod envelope;
mod exit;
mod explain;
mod fmt_cmd;
mod gen_cmd;
mod init;
mod list;
mod project;
mod request;
mod show;
mod style;

use std::ffi::OsString;
use std::process::ExitCode;

use anyhow::Result;
use clap::{CommandFactory, FromArgMatches};

pub use args::Cli;

pub fn main() -> ExitCode {
    let argv: Vec<OsString> = std::env::args_os().collect();
    let json = envelope::requested(&argv);
    match run(&argv, json) {
        Ok(code) => exit::code(code),
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
    // The catalog decides which integration options exist, so load it before parsing. A broken
    // `--catalog` is reported by the commands that use it; `fmt`, `--help` and `--version` work.
    let (catalog, catalog_error) = match request::load_catalog(args::catalog_dir_from_argv(argv).as_deref()) {
        Ok(catalog) => (catalog, None),
        Err(e) => (request::load_catalog(None)?, Some(e)),
    };
    let color = args::color_from_argv(argv);
    let command = full_command(&catalog).color(color.for_clap());
    let matches = match command.try_get_matches_from(argv) {
        Ok(m) => m,
        // --help and --version are not errors, and print as text even with --json.
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return Ok(exit::SUCCESS);
        }
        // An option of the broken catalog is unknown now: the catalog's error is the one to see.
        Err(_) if catalog_error.is_some() => return Err(catalog_error.expect("checked")),
        Err(e) if json => return Err(e.into()),
        Err(e) => {
            let _ = e.print();
            return Ok(exit::ERROR);
        }
    };
    let cli = Cli::from_arg_matches(&matches)?;
    cli.color.install();
    if let Some(error) = catalog_error
        && !matches!(cli.command, args::Command::Fmt(_))
    {
        return Err(error);
    }
    let options = args::integration_options(&matches, &catalog);
    match cli.command {
        args::Command::List => list::run(&catalog, cli.json),
        args::Command::Show { id } => show::run(&catalog, &id, cli.json),
        args::Command::Gen(args) => gen_cmd::run(&catalog, &args, options, cli.json),
        args::Command::Explain(explain) => explain::run(&catalog, &explain, options, cli.json),
        args::Command::Fmt(fmt) => fmt_cmd::run(&fmt, cli.json),
        args::Command::Diff(diff) => diff_cmd::run(&catalog, &diff, options, cli.json),
        args::Command::Init(init) => init::run(&catalog, &init, options, cli.json),
        args::Command::Completions { shell } => completions::completions(full_command(&catalog), shell, cli.json),
        args::Command::Man { command } => completions::man(full_command(&catalog), command.as_deref(), cli.json),
    }
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
}
