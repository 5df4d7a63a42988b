//! A vendor document in `sources/`: either a seed document kept as the page's full text, or an
//! excerpt — a header naming the page (`address:`, `title:`, `read:`), a blank line, then only the
//! exact sentences the catalog quotes, one a line. Quotes are checked against the text after the
//! header; the header is what `show` and `explain` print about the page.

use super::error::CatalogError;

/// Where an excerpt's sentences were copied from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExcerptHeader {
    /// The page's address (`https://…`).
    pub address: String,
    /// The page's title, as the page writes it.
    pub title: String,
    /// When the page was read (`YYYY-MM-DD`).
    pub read: String,
}

/// One document of `sources/`, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceDocument {
    /// File name in `sources/`.
    pub file: String,
    /// `Some` for an excerpt, `None` for a full-text document.
    pub header: Option<ExcerptHeader>,
    /// The text quotes are checked against: the whole file, or an excerpt's lines after the header.
    pub body: String,
    /// Line of the file the body starts on (1 for a full-text document).
    pub body_line: usize,
}

/// The header keys of an excerpt, in the order they must appear.
const HEADER_KEYS: [&str; 3] = ["address", "title", "read"];

impl SourceDocument {
    /// Parses `text` (the file `file`): a file whose first line starts with `address:` is an
    /// excerpt and must carry the whole header; any other file is a full-text document.
    pub fn parse(file: &str, text: &str) -> Result<SourceDocument, CatalogError> {
        if !text.starts_with("address:") {
            return Ok(SourceDocument { file: file.to_string(), header: None, body: text.to_string(), body_line: 1 });
        }
        let error = |line: usize, message: String| CatalogError { file: file.to_string(), line, message };
        let lines: Vec<&str> = text.lines().collect();
        let mut values = Vec::new();
        for (index, key) in HEADER_KEYS.iter().enumerate() {
            let line = lines.get(index).copied().unwrap_or_default();
            let value = line.strip_prefix(key).and_then(|rest| rest.strip_prefix(':')).map(str::trim);
            match value {
                Some(v) if !v.is_empty() => values.push(v.to_string()),
                _ => {
                    return Err(error(
                        index + 1,
                        format!(
                            "an excerpt starts with the lines `address: https://…`, `title: …`, `read: YYYY-MM-DD`; line {} should be `{key}: …`",
                            index + 1
                        ),
                    ));
                }
            }
        }
        let [address, title, read]: [String; 3] = values.try_into().expect("three header values");
        if !address.starts_with("https://") && !address.starts_with("http://") {
            return Err(error(1, format!("address `{address}` is not a web address (https://…)")));
        }
        if !is_date(&read) {
            return Err(error(3, format!("read date `{read}` must be written YYYY-MM-DD")));
        }
        if lines.get(3).is_none_or(|l| !l.trim().is_empty()) {
            return Err(error(4, "the header ends with one blank line before the quoted sentences".into()));
        }
        let body_lines = &lines[4.min(lines.len())..];
        if body_lines.iter().all(|l| l.trim().is_empty()) {
            return Err(error(5, "an excerpt keeps at least one quoted sentence after its header".into()));
        }
        for (index, line) in body_lines.iter().enumerate() {
            if line.trim().is_empty() {
                return Err(error(
                    index + 5,
                    "blank line in an excerpt: keep one quoted sentence per line, nothing else".into(),
                ));
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for (index, line) in body_lines.iter().enumerate() {
            if !seen.insert(line.trim()) {
                return Err(error(index + 5, format!("the sentence `{}` is kept twice", line.trim())));
            }
        }
        Ok(SourceDocument {
            file: file.to_string(),
            header: Some(ExcerptHeader { address, title, read }),
            body: body_lines.join("\n"),
            body_line: 5,
        })
    }

    /// Whether this is an excerpt (header and quoted sentences) rather than a full text.
    pub fn is_excerpt(&self) -> bool {
        self.header.is_some()
    }
}

fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 3
        && [4, 2, 2].iter().zip(&parts).all(|(len, p)| p.len() == *len && p.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXCERPT: &str = "address: https://example.com/help\ntitle: Example help\nread: 2026-11-26\n\nGrant API Enabled.\nAccounts: Read\n";

    #[test]
    fn an_excerpt_has_a_header_and_quoted_lines() {
        let doc = SourceDocument::parse("ex.txt", EXCERPT).unwrap();
        let header = doc.header.unwrap();
        assert_eq!(header.address, "https://example.com/help");
        assert_eq!(header.title, "Example help");
        assert_eq!(header.read, "2026-11-26");
        assert_eq!(doc.body, "Grant API Enabled.\nAccounts: Read");
        assert_eq!(doc.body_line, 5);
    }

    #[test]
    fn a_file_without_the_header_is_a_full_text() {
        let doc = SourceDocument::parse("full.txt", "Title\n\nSome text.\n").unwrap();
        assert!(!doc.is_excerpt());
        assert_eq!(doc.body, "Title\n\nSome text.\n");
    }

    #[test]
    fn a_bad_header_names_its_line() {
        let bad = EXCERPT.replace("title:", "name:");
        let e = SourceDocument::parse("ex.txt", &bad).unwrap_err();
        assert_eq!((e.line, e.file.as_str()), (2, "ex.txt"));
        assert!(e.message.contains("`title: …`"), "{}", e.message);
        let e = SourceDocument::parse("ex.txt", &EXCERPT.replace("2026-11-26", "26/11/2026")).unwrap_err();
        assert_eq!(e.line, 3);
        let e = SourceDocument::parse("ex.txt", &EXCERPT.replace("\n\nGrant", "\nGrant")).unwrap_err();
        assert_eq!(e.line, 4);
        let e = SourceDocument::parse("ex.txt", &format!("{EXCERPT}\nMore.\n")).unwrap_err();
        assert_eq!(e.line, 7);
        let e = SourceDocument::parse("ex.txt", &format!("{EXCERPT}Accounts: Read\n")).unwrap_err();
        assert_eq!(e.line, 7);
        assert!(e.message.contains("twice"));
    }
}
