//! Reads the embedded tab-separated data tables (`src/platform/data/`, `src/metadata/data/`): `#`
//! comment lines, one header line, then rows, a cell found by its column's name. The files are
//! compiled in, so a malformed row is a bug the unit tests catch; cells borrow from the text.

pub struct Row<'a, 'h> {
    pub line: usize,
    cells: Vec<&'a str>,
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
}

/// Calls `each` for every data row of `text`.
pub fn for_each_row<'a>(text: &'a str, mut each: impl FnMut(Row<'a, '_>)) {
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty());
    let Some((_, header_line)) = lines.next() else {
        return;
    };
    let header: Vec<&str> = header_line.split('\t').collect();
    for (index, line) in lines {
        let cells = line.split('\t').collect();
        each(Row { line: index + 1, cells, header: &header });
    }
}
