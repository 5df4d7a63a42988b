//! Whether a catalog accounts for its whole vendor document: the document is cut into sentences
//! (lines, table cells, then sentence ends), and each sentence must be cited by some quote of the
//! integration (a requirement, a feature, an option, an `[[unmapped]]` note…). What is left is
//! returned for a person to map, list as unmapped, or, for headings and page furniture, ignore.
//! An excerpt keeps only what the catalog quotes, so each of its lines must be cited whole.

use super::document::SourceDocument;
use super::model::Integration;

/// One sentence of a vendor document, with the line it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub line: usize,
    pub text: String,
}

/// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS: [&str; 3] = ["e.g.", "i.e.", "etc."];

/// The sentences of `document`: every line, cut at `|` in table rows and at sentence ends; list
/// bullets and table rules dropped, white space folded.
pub fn sentences(document: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    for (index, line) in document.lines().enumerate() {
        let cells: Vec<&str> = if line.contains('|') { line.split('|').collect() } else { vec![line] };
        for cell in cells {
            let cell = cell.trim().trim_start_matches(['•', '-', '*']).trim();
            for sentence in split_sentences(cell) {
                let text = fold(&sentence);
                if text.chars().filter(|c| c.is_alphanumeric()).count() >= 2 {
                    out.push(Sentence { line: index + 1, text });
                }
            }
        }
    }
    out
}

fn split_sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        current.push(c);
        let ends = matches!(c, '.' | '?' | '!')
            && chars.get(i + 1).is_some_and(|n| n.is_whitespace())
            && chars.get(i + 2).is_some_and(|n| n.is_uppercase() || matches!(n, '"' | '“' | '('));
        if ends && !ABBREVIATIONS.iter().any(|a| current.ends_with(a)) {
            out.push(std::mem::take(&mut current));
        }
    }
    out.push(current);
    out
}

fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_word(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

/// Where `needle` occurs in `haystack` without cutting a word in two.
fn occurrences(haystack: &str, needle: &str) -> Vec<std::ops::Range<usize>> {
    haystack
        .match_indices(needle)
        .map(|(start, _)| start..start + needle.len())
        .filter(|r| {
            let before = haystack[..r.start].chars().next_back();
            let after = haystack[r.end..].chars().next();
            let cuts_start = is_word(before) && is_word(needle.chars().next());
            let cuts_end = is_word(after) && is_word(needle.chars().next_back());
            !cuts_start && !cuts_end
        })
        .collect()
}

/// Share of `sentence`'s letters and digits that `quotes` cite. A quote counts when it contains the
/// whole sentence, or where it occurs inside the sentence, in both cases on word boundaries.
pub(crate) fn cited_share(sentence: &str, quotes: &[String]) -> f64 {
    if quotes.iter().any(|q| !occurrences(q, sentence).is_empty()) {
        return 1.0;
    }
    let chars: Vec<(usize, char)> = sentence.char_indices().collect();
    let mut covered = vec![false; sentence.len()];
    for quote in quotes.iter().filter(|q| !q.is_empty()) {
        for range in occurrences(sentence, quote) {
            covered[range].iter_mut().for_each(|c| *c = true);
        }
    }
    let letters: Vec<bool> = chars.iter().filter(|(_, c)| c.is_alphanumeric()).map(|(i, _)| covered[*i]).collect();
    if letters.is_empty() {
        return 1.0;
    }
    letters.iter().filter(|c| **c).count() as f64 / letters.len() as f64
}

/// The least share of a sentence that must be cited for it to count as accounted for: a quote may
/// leave out a connective clause ("- so this is …"), never the sentence's substance.
pub(crate) const MIN_CITED_SHARE: f64 = 0.75;

/// The sentences of `document` that no quote of `integration` accounts for: for a full text, each
/// sentence cited to at least `MIN_CITED_SHARE`; for an excerpt, each line cited whole.
pub fn uncited(integration: &Integration, document: &SourceDocument) -> Vec<Sentence> {
    let quotes: Vec<String> =
        integration.quotes().into_iter().flat_map(|q| q.0.iter()).map(|part| fold(part)).collect();
    if document.is_excerpt() {
        return document
            .body
            .lines()
            .enumerate()
            .map(|(index, line)| Sentence { line: document.body_line + index, text: fold(line) })
            .filter(|s| cited_share(&s.text, &quotes) < 1.0)
            .collect();
    }
    sentences(&document.body).into_iter().filter(|s| cited_share(&s.text, &quotes) < MIN_CITED_SHARE).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_lines_cells_and_sentences() {
        let doc = "Intro line. Second one, e.g. This stays.\n| Role | Access Level |\n|---|---|\n  • A bullet\n";
        let texts: Vec<String> = sentences(doc).into_iter().map(|s| s.text).collect();
        assert_eq!(texts, ["Intro line.", "Second one, e.g. This stays.", "Role", "Access Level", "A bullet"]);
    }

    #[test]
    fn a_quote_counts_on_word_boundaries_only() {
        let quotes = vec!["Account".to_string()];
        assert_eq!(cited_share("Access Accounts", &quotes), 0.0);
        assert!(cited_share("Account", &quotes) == 1.0);
        let quotes = vec!["PermissionsApiEnabled".to_string()];
        assert_eq!(cited_share("Permission", &quotes), 0.0);
        let quotes = vec!["Read/edit permissions for all fields".to_string()];
        let share = cited_share("Read/edit permissions for all fields syncing via the integration", &quotes);
        assert!(share > 0.5 && share < 0.75, "{share}");
    }

    #[test]
    fn every_line_of_an_excerpt_must_be_cited_whole() {
        let excerpt = "address: https://example.com/p\ntitle: P\nread: 2026-11-26\n\nGrant API Enabled.\nAccounts: Read, Write\nKept but unused.\n";
        let documents = std::collections::BTreeMap::from([("p.txt".to_string(), excerpt.to_string())]);
        let text = "id = \"t\"\nname = \"T\"\nsummary = \"s\"\ndocument = \"p.txt\"\ndefault-name = \"T\"\ndefault-label = \"T\"\n[[require]]\nsource = [\"Grant API Enabled.\", \"Accounts: Read\"]\nuser-permissions = [\"ApiEnabled\"]\n";
        let integration = crate::catalog::parse_integration(text, &documents).unwrap();
        let document = SourceDocument::parse("p.txt", excerpt).unwrap();
        let uncited: Vec<(usize, String)> =
            uncited(&integration, &document).into_iter().map(|s| (s.line, s.text)).collect();
        // A line cited in part is not enough; line numbers are the file's.
        assert_eq!(uncited, [(6, "Accounts: Read, Write".to_string()), (7, "Kept but unused.".to_string())]);
    }

    #[test]
    fn a_sentence_inside_a_longer_quote_is_cited() {
        let quotes = vec!["One. Two three.".to_string()];
        assert_eq!(cited_share("Two three.", &quotes), 1.0);
    }
}
