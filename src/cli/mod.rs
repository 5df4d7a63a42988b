//! The command line: clap definitions, the integration options added from the catalog, and one
//! module per command. Commands return an exit code; errors print as `error: …` (with `--json`,
//! as a JSON document on stdout) and exit 2.

mod args;
mod diff_cmd;
mod exit;
mod explain;
mod fmt_cmd;
mod gen_cmd;
mod list;
mod request;
mod show;

use std::process::ExitCode;

use anyhow::Result;
use clap::{CommandFactory, FromArgMatches};

pub use args::Cli;

pub fn main() -> ExitCode {
    match run() {
        Ok(code) => exit::code(code),
        Err(err) => {
            if std::env::args_os().any(|a| a == "--json") {
                let doc = serde_json::json!({ "error": format!("{err:#}"), "exit-code": exit::ERROR });
                println!("{doc:#}");
            } else {
                eprintln!("error: {err:#}");
            }
            exit::code(exit::ERROR)
        }
    }
}

fn run() -> Result<u8> {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // The catalog decides which integration options exist, so load what the command needs of it
    // before parsing (nothing for `--version`, `--help` or `fmt`).
    let dir = args::catalog_dir_from_argv(&argv);
    let mut need = args::catalog_need(&argv);
    let mut catalog = request::load_catalog(&need, dir.as_deref())?;
    let matches = loop {
        match args::with_integration_options(Cli::command(), &catalog).try_get_matches_from(&argv) {
            Ok(m) => break m,
            // Perhaps another integration's option: with the whole catalog the solver says so.
            Err(e) if e.kind() == clap::error::ErrorKind::UnknownArgument && need != args::CatalogNeed::All => {
                need = args::CatalogNeed::All;
                catalog = request::load_catalog(&need, dir.as_deref())?;
            }
            Err(e) => {
                let code = if e.use_stderr() { exit::ERROR } else { exit::SUCCESS };
                let _ = e.print();
                return Ok(code);
            }
        }
    };
    let cli = Cli::from_arg_matches(&matches)?;
    let options = args::integration_options(&matches, &catalog);
    match cli.command {
        args::Command::List => list::run(&catalog, cli.json),
        args::Command::Show { id } => show::run(&catalog, &id, cli.json),
        args::Command::Gen(args) => gen_cmd::run(&catalog, &args, options, cli.json),
        args::Command::Explain(explain) => explain::run(&catalog, &explain, options, cli.json),
        args::Command::Fmt(fmt) => fmt_cmd::run(&fmt, cli.json),
        args::Command::Diff(diff) => diff_cmd::run(&catalog, &diff, options, cli.json),
    }
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
    }
}
