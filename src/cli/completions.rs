//! `sfperms completions SHELL` and `sfperms man`: shell completions (clap_complete) and a man page
//! (clap_mangen), both generated from the same clap definition the binary parses with, the
//! catalog's integration options included, so they cannot drift from the flags.

use anyhow::{Result, bail};
use clap_complete::Shell;
use serde_json::json;

use super::render::{self, Format, Page};

/// Prints the completion script for `shell` (with `--json`, inside the envelope).
pub fn completions(mut command: clap::Command, shell: Shell, format: Format) -> Result<u8> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "sfperms", &mut script);
    let script = String::from_utf8(script)?;
    render::print(&Page { json: json!({ "shell": shell.to_string(), "script": script }), text: script }, format)
}

/// Prints the man page in roff: sfperms(1), or `sfperms-SUB(1)` for a command (with `--json`,
/// inside the envelope).
pub fn man(command: clap::Command, sub: Option<&str>, format: Format) -> Result<u8> {
    let page_of = match sub {
        None => command,
        Some(name) => {
            let Some(found) = command.find_subcommand(name) else {
                let names: Vec<&str> = command.get_subcommands().map(clap::Command::get_name).collect();
                bail!(
                    "no command `{name}`{}; the commands are: {}",
                    sfperms::suggest::hint(name, names.iter().copied()),
                    names.join(", ")
                );
            };
            let title = format!("sfperms-{name}");
            found.clone().name(title.clone()).bin_name(title)
        }
    };
    let mut page = Vec::new();
    clap_mangen::Man::new(page_of).render(&mut page)?;
    let page = String::from_utf8(page)?;
    render::print(&Page { json: json!({ "roff": page }), text: page }, format)
}
