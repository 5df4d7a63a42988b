//! Colour: `--color auto|always|never`; with `auto`, colour only on a terminal and never when
//! NO_COLOR is set (https://no-color.org) or CLICOLOR=0 (anstream's detection).

use anstyle::{AnsiColor, Style as Ansi};
use clap::ValueEnum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorArg {
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorArg {
    /// Makes the choice the process-wide one (anstream reads it back in `Style::stdout`).
    pub fn install(self) {
        let choice = match self {
            ColorArg::Auto => anstream::ColorChoice::Auto,
            ColorArg::Always => anstream::ColorChoice::Always,
            ColorArg::Never => anstream::ColorChoice::Never,
        };
        choice.write_global();
    }

    /// The same choice for clap's own help and error text.
    pub fn for_clap(self) -> clap::ColorChoice {
        match self {
            ColorArg::Auto => clap::ColorChoice::Auto,
            ColorArg::Always => clap::ColorChoice::Always,
            ColorArg::Never => clap::ColorChoice::Never,
        }
    }
}

/// What a piece of text is, for its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Heading,
    /// Access the integration lacks.
    Missing,
    /// Access beyond least privilege.
    Excess,
    Changed,
    Faint,
    Warning,
}

impl Tone {
    fn ansi(self) -> Ansi {
        match self {
            Tone::Heading => Ansi::new().bold(),
            Tone::Missing => AnsiColor::Red.on_default(),
            Tone::Excess | Tone::Warning => AnsiColor::Yellow.on_default(),
            Tone::Changed => AnsiColor::Cyan.on_default(),
            Tone::Faint => Ansi::new().dimmed(),
        }
    }
}

/// Whether text written to a stream is coloured.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub on: bool,
}

impl Style {
    /// For text printed on stdout, after `ColorArg::install`.
    pub fn stdout() -> Style {
        Style { on: anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never }
    }

    pub fn paint(self, tone: Tone, text: &str) -> String {
        if self.on {
            let ansi = tone.ansi();
            format!("{ansi}{text}{ansi:#}")
        } else {
            text.to_string()
        }
    }
}

/// Whether a progress line may be drawn: only when stderr is a terminal (never in CI logs, nor
/// when stderr is captured).
pub fn progress_allowed() -> bool {
    use std::io::IsTerminal as _;
    std::io::stderr().is_terminal()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paints_only_when_on() {
        assert_eq!(Style { on: false }.paint(Tone::Missing, "missing"), "missing");
        assert_eq!(Style { on: true }.paint(Tone::Missing, "missing"), "\x1b[31mmissing\x1b[0m");
    }
}
