//! One way out for every command's result: the command builds a typed report (`Report`), and
//! `print` writes it in the format the run asked for — text (coloured as `--color` says),
//! Markdown, a patch, or the sf-style JSON envelope (`envelope`). The switch between formats is
//! here, once; each report only says how it reads in each.

use anyhow::{Result, bail};
use serde_json::Value;

use super::envelope::{self, ErrorKind};
use super::exit::{ERROR, SUCCESS};
use super::style::Style;

/// How a command's result is written on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For people on a terminal (coloured when `Style` says so).
    Text,
    /// A pull-request comment.
    Markdown,
    /// One JSON document in the sf CLI's envelope (`--json`).
    Json,
    /// A unified diff `git apply` accepts.
    Patch,
}

/// Input that failed while the command still reported the rest (files that could not be read):
/// with `--json` the error envelope, the report as its `data`; the exit code is 2.
#[derive(Debug, Clone)]
pub struct Failure {
    pub kind: ErrorKind,
    pub message: String,
}

/// A command's typed result, and how it reads in each format.
pub trait Report {
    /// The exit code when nothing failed: 0, or 1 when the command found differences.
    fn status(&self) -> u8 {
        SUCCESS
    }

    /// The warnings the JSON envelope lists (on a terminal the command prints them on stderr).
    fn warnings(&self) -> Vec<String> {
        Vec::new()
    }

    /// Input that failed although the rest was reported.
    fn failure(&self) -> Option<Failure> {
        None
    }

    /// The `result` of the JSON envelope (its `data` when `failure` is set).
    fn json(&self) -> Result<Value>;

    /// The report for people, in `format` (never `Json`); `style` colours text.
    fn human(&self, format: Format, style: Style) -> Result<String>;

    /// Writes `human`'s report on `out`; a long report may write it as it is made instead.
    fn write_human(&self, format: Format, style: Style, out: &mut dyn std::io::Write) -> Result<()> {
        out.write_all(self.human(format, style)?.as_bytes())?;
        Ok(())
    }
}

/// Writes `report` on stdout in `format` and gives the exit code.
pub fn print(report: &impl Report, format: Format) -> Result<u8> {
    let failure = report.failure();
    if format == Format::Json {
        let result = report.json()?;
        return match failure {
            Some(failure) => {
                envelope::print_error(failure.kind, &failure.message, Some(&result));
                Ok(ERROR)
            }
            None => envelope::print_result(report.status(), &result, &report.warnings()),
        };
    }
    // A pipe holds 64 KB: fewer, fuller writes wake its reader less often.
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    report.write_human(format, Style::stdout(), &mut out)?;
    std::io::Write::flush(&mut out)?;
    Ok(if failure.is_some() { ERROR } else { report.status() })
}

/// Writes `items` on `out` in order, each formatted into memory by `write`, a chunk at a time on
/// every core: a full comparison of a large profile is tens of thousands of entries, and
/// formatting them costs more than writing them. Memory holds one chunk per core.
pub fn write_in_order<T: Sync>(
    out: &mut dyn std::io::Write,
    items: &[T],
    write: impl Fn(&T, &mut Vec<u8>) -> std::io::Result<()> + Sync,
) -> std::io::Result<()> {
    const CHUNK: usize = 1024;
    let cores = std::thread::available_parallelism().map_or(1, usize::from).min(8);
    let format = |chunk: &[T], buffer: &mut Vec<u8>| chunk.iter().try_for_each(|item| write(item, buffer));
    let mut buffers: Vec<Vec<u8>> = vec![Vec::new(); cores];
    for round in items.chunks(CHUNK * cores) {
        std::thread::scope(|scope| {
            let mut chunks = round.chunks(CHUNK).zip(buffers.iter_mut());
            let Some((first, buffer)) = chunks.next() else { return Ok(()) };
            let others: Vec<_> = chunks.map(|(chunk, buffer)| scope.spawn(move || format(chunk, buffer))).collect();
            format(first, buffer)?;
            others.into_iter().try_for_each(|other| other.join().expect("formatting does not panic"))
        })?;
        for buffer in &mut buffers {
            out.write_all(buffer)?;
            buffer.clear();
        }
    }
    Ok(())
}

/// The error for a format a report does not have (clap offers each command only its own).
pub fn unsupported(format: Format) -> Result<String> {
    bail!("this command has no {format:?} output (please report this)")
}

/// A result that is one text for people and one JSON value (a completion script, a man page, a
/// file written).
pub struct Page {
    pub json: Value,
    pub text: String,
}

impl Report for Page {
    fn json(&self) -> Result<Value> {
        Ok(self.json.clone())
    }

    fn human(&self, _: Format, _: Style) -> Result<String> {
        Ok(self.text.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::write_in_order;

    /// Many chunks, over several rounds, of items of different lengths: the same bytes as
    /// formatting them one after another.
    #[test]
    fn items_are_written_in_order_whatever_the_chunks() {
        let items: Vec<usize> = (0..10_000).collect();
        let write = |n: &usize, out: &mut Vec<u8>| {
            use std::io::Write;
            writeln!(out, "{n}{}", "-".repeat(n % 7))
        };
        for count in [0, 1, 1023, 1024, 1025, 5000, 10_000] {
            let mut expected = Vec::new();
            for n in &items[..count] {
                write(n, &mut expected).unwrap();
            }
            let mut out = Vec::new();
            write_in_order(&mut out, &items[..count], write).unwrap();
            assert_eq!(out, expected, "{count} items");
        }
    }

    /// An error from formatting any chunk is the call's.
    #[test]
    fn an_error_in_any_chunk_is_returned() {
        let items: Vec<usize> = (0..5000).collect();
        let failing = |n: &usize, _: &mut Vec<u8>| {
            if *n == 3000 { Err(std::io::Error::other("item 3000")) } else { Ok(()) }
        };
        let error = write_in_order(&mut Vec::new(), &items, failing).unwrap_err();
        assert_eq!(error.to_string(), "item 3000");
    }
}
