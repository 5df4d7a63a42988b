//! Reads the embedded tab-separated data tables (`src/platform/data/`, `src/metadata/data/`): `#`
//! comment lines, one header line, then rows, a cell found by its column's name. The files are
//! compiled in, so a malformed row is a bug the unit tests catch; cells borrow from the text.
//!
//! The tables looked up on every run are also sorted by the build script (`build.rs`, which
//! reads them with this same module) into [`Table`]s, so a run searches them instead of building
//! maps from the text first.

use std::cmp::Ordering;

pub struct Row<'a, 'h> {
    pub line: usize,
    cells: &'h [&'a str],
    header: &'h [&'a str],
}

impl<'a> Row<'a, '_> {
    /// The cell under `column`; panics on a missing column, which only a broken data file causes.
    pub fn get(&self, column: &str) -> &'a str {
        let index = self
            .header
            .iter()
            .position(|h| *h == column)
            .unwrap_or_else(|| panic!("data file has no column `{column}`"));
        self.cells.get(index).copied().unwrap_or("")
    }

    /// Every cell of the row, in the header's order.
    #[allow(dead_code, reason = "build.rs copies whole rows into its tables")]
    pub fn cells(&self) -> &[&'a str] {
        self.cells
    }

    /// The column names.
    #[allow(dead_code, reason = "build.rs copies whole rows into its tables")]
    pub fn header(&self) -> &[&'a str] {
        self.header
    }
}

/// Calls `each` for every data row of `text`.
pub fn for_each_row<'a>(text: &'a str, mut each: impl FnMut(Row<'a, '_>)) {
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty());
    let Some((_, header_line)) = lines.next() else {
        return;
    };
    let header: Vec<&str> = header_line.split('\t').collect();
    for (index, line) in lines {
        let cells: Vec<&str> = line.split('\t').collect();
        each(Row { line: index + 1, cells: &cells, header: &header });
    }
}

/// `a` against `b` with ASCII letters compared as lower case: the order of a [`Table`]'s keys.
pub fn cmp_ignore_case(a: &str, b: &str) -> Ordering {
    a.bytes().map(|c| c.to_ascii_lowercase()).cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// One row of a [`Table`]: its line in the file and its cells.
pub struct Record {
    pub line: usize,
    pub cells: &'static [&'static str],
}

/// A data file sorted at build time by one key column (compared by [`cmp_ignore_case`], rows of
/// equal keys in file order), searched by binary search. Written by `build.rs`, never by hand.
pub struct Table {
    pub header: &'static [&'static str],
    /// The index of the key column in `header`.
    pub key: usize,
    pub records: &'static [Record],
}

impl Table {
    fn row(&'static self, record: &'static Record) -> Row<'static, 'static> {
        Row { line: record.line, cells: record.cells, header: self.header }
    }

    fn key_of(&self, record: &Record) -> &'static str {
        record.cells.get(self.key).copied().unwrap_or("")
    }

    /// Every row, in key order.
    pub fn rows(&'static self) -> impl Iterator<Item = Row<'static, 'static>> {
        self.records.iter().map(|r| self.row(r))
    }

    /// The rows whose key equals `key` ignoring ASCII case, in file order.
    pub fn all_ignore_case(&'static self, key: &str) -> impl Iterator<Item = Row<'static, 'static>> {
        let start = self.records.partition_point(|r| cmp_ignore_case(self.key_of(r), key) == Ordering::Less);
        let end =
            start + self.records[start..].partition_point(|r| cmp_ignore_case(self.key_of(r), key) == Ordering::Equal);
        self.records[start..end].iter().map(|r| self.row(r))
    }

    /// The first row whose key equals `key` ignoring ASCII case.
    pub fn find_ignore_case(&'static self, key: &str) -> Option<Row<'static, 'static>> {
        self.all_ignore_case(key).next()
    }

    /// The first row whose key is exactly `key`.
    pub fn find(&'static self, key: &str) -> Option<Row<'static, 'static>> {
        let key_column = self.key;
        self.all_ignore_case(key).find(|row| row.cells.get(key_column) == Some(&key))
    }

    /// The rows whose key starts with `prefix` ignoring ASCII case, in key order.
    pub fn with_prefix_ignore_case(&'static self, prefix: &str) -> impl Iterator<Item = Row<'static, 'static>> {
        let start = self.records.partition_point(|r| cmp_ignore_case(self.key_of(r), prefix) == Ordering::Less);
        self.records[start..]
            .iter()
            .take_while(move |r| {
                let key = self.key_of(r);
                key.len() >= prefix.len()
                    && key.is_char_boundary(prefix.len())
                    && key[..prefix.len()].eq_ignore_ascii_case(prefix)
            })
            .map(|r| self.row(r))
    }
}
