//! Exit codes, as `diff(1)` and `--check` tools use them.

use std::process::ExitCode;

/// Success; for `--check`, `fmt --check` and `diff`: no differences.
pub const SUCCESS: u8 = 0;
/// `--check`, `fmt --check` or `diff` found differences.
pub const DIFFERENCES: u8 = 1;
/// A usage or input error: unknown integration, feature, option value, bad file.
pub const ERROR: u8 = 2;

pub fn code(value: u8) -> ExitCode {
    ExitCode::from(value)
}

/// The text `--help` ends with.
pub const HELP_FOOTER: &str =
    "Exit codes: 0 success (no differences), 1 differences found (--check, fmt --check, diff), 2 usage or input error.";
