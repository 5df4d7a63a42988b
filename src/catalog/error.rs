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

/// Suggestions for a misspelt `wrong` among `candidates`, for "did you mean" hints.
pub fn did_you_mean<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(wrong, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// ", did you mean `x`?" or "" — to append to a message.
pub fn hint<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    did_you_mean(wrong, candidates).map(|c| format!("; did you mean `{c}`?")).unwrap_or_default()
}
