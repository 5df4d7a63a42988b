//! Catalog errors: every problem found in every file, each with its file, line and what to do.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        } else {
            write!(f, "{}: {}", self.file, self.message)
        }
    }
}

/// All the problems of one load, reported together (ripgrep reports every bad flag, not the first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogErrors(pub Vec<CatalogError>);

impl fmt::Display for CatalogErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.len();
        writeln!(f, "the catalog has {count} problem{}:", if count == 1 { "" } else { "s" })?;
        for (i, error) in self.0.iter().enumerate() {
            if i + 1 < count {
                writeln!(f, "  {error}")?;
            } else {
                write!(f, "  {error}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for CatalogErrors {}
