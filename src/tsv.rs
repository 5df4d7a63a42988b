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
    /// The row's line, without its line end.
    text: &'a str,
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
        cell(self.text, index)
    }

    /// The row's line, cells separated by tabs.
    #[allow(dead_code, reason = "build.rs finds where each row starts")]
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The column names.
    #[allow(dead_code, reason = "build.rs copies the header into its tables")]
    pub fn header(&self) -> &[&'a str] {
        self.header
    }
}

/// The `index`th tab-separated cell of `line` ("" past the last). A byte loop: lines are short,
/// and a run looks cells up often.
fn cell(line: &str, index: usize) -> &str {
    let mut start = 0;
    for _ in 0..index {
        match line.as_bytes()[start..].iter().position(|&b| b == b'\t') {
            Some(tab) => start += tab + 1,
            None => return "",
        }
    }
    let len = line.as_bytes()[start..].iter().position(|&b| b == b'\t').unwrap_or(line.len() - start);
    &line[start..start + len]
}

/// Calls `each` for every data row of `text`.
pub fn for_each_row<'a>(text: &'a str, mut each: impl FnMut(Row<'a, '_>)) {
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty());
    let Some((_, header_line)) = lines.next() else {
        return;
    };
    let header: Vec<&str> = header_line.split('\t').collect();
    for (index, line) in lines {
        each(Row { line: index + 1, text: line, header: &header });
    }
}

/// `a` against `b` with ASCII letters compared as lower case: the order of a [`Table`]'s keys.
pub fn cmp_ignore_case(a: &str, b: &str) -> Ordering {
    a.bytes().map(|c| c.to_ascii_lowercase()).cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// One row of a [`Table`]: its line number, and where its line and its key cell start and end in
/// the text.
pub struct Record {
    pub line: u32,
    pub start: u32,
    pub end: u32,
    pub key_start: u32,
    pub key_end: u32,
}

/// A data file whose rows `build.rs` sorted by one key column (compared by [`cmp_ignore_case`],
/// rows of equal keys in file order), searched by binary search. The rows are offsets into the
/// file's text, not string pointers, so the binary holds no relocation per cell for the loader to
/// apply at every start. Written by `build.rs`, never by hand.
pub struct Table {
    /// The whole file.
    pub text: &'static str,
    pub header: &'static [&'static str],
    pub records: &'static [Record],
}

impl Table {
    fn row(&'static self, record: &Record) -> Row<'static, 'static> {
        let text = &self.text[record.start as usize..record.end as usize];
        Row { line: record.line as usize, text, header: self.header }
    }

    fn key_of(&self, record: &Record) -> &'static str {
        &self.text[record.key_start as usize..record.key_end as usize]
    }

    /// Every row, in key order.
    pub fn rows(&'static self) -> impl Iterator<Item = Row<'static, 'static>> {
        self.records.iter().map(|r| self.row(r))
    }

    /// The index of the first record whose key is not below `key`.
    fn lower_bound(&self, key: &str) -> usize {
        self.records.partition_point(|r| cmp_ignore_case(self.key_of(r), key) == Ordering::Less)
    }

    /// The rows whose key equals `key` ignoring ASCII case, in file order.
    pub fn all_ignore_case(&'static self, key: &str) -> impl Iterator<Item = Row<'static, 'static>> {
        let start = self.lower_bound(key);
        self.records[start..].iter().take_while(move |r| self.key_of(r).eq_ignore_ascii_case(key)).map(|r| self.row(r))
    }

    /// The first row whose key equals `key` ignoring ASCII case.
    pub fn find_ignore_case(&'static self, key: &str) -> Option<Row<'static, 'static>> {
        self.all_ignore_case(key).next()
    }

    /// The first row whose key is exactly `key`.
    pub fn find(&'static self, key: &str) -> Option<Row<'static, 'static>> {
        let start = self.lower_bound(key);
        self.records[start..]
            .iter()
            .take_while(|r| self.key_of(r).eq_ignore_ascii_case(key))
            .find(|r| self.key_of(r) == key)
            .map(|r| self.row(r))
    }

    /// The rows whose key starts with `prefix` ignoring ASCII case, in key order.
    pub fn with_prefix_ignore_case(&'static self, prefix: &str) -> impl Iterator<Item = Row<'static, 'static>> {
        let start = self.lower_bound(prefix);
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
