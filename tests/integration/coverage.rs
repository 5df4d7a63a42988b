//! "Every vendor sentence is mapped or listed": each sentence of each full-text seed document is
//! cited by the catalog (a requirement, feature, option, warning or rule-out), listed as
//! `[[unmapped]]` with a reason (which `explain` shows), or one of the headings and page furniture
//! listed in `profiles/tests/ID.toml` — a short list, reviewed like code. An excerpt document keeps
//! only sentences the catalog quotes, so every one of its lines must be cited whole: nothing is kept
//! that is not used. A new sentence in a document, or a quote dropped from a catalog, fails here.

use sfperms::catalog::{self, SourceDocument, coverage};

use crate::variants;

/// Every document each integration cites.
fn documents(integration: &catalog::Integration) -> Vec<SourceDocument> {
    integration
        .sources
        .iter()
        .map(|s| catalog::builtin_source(&s.file).unwrap_or_else(|| panic!("{} ships and parses", s.file)))
        .collect()
}

#[test]
fn every_sentence_of_every_full_text_document_is_cited_listed_or_furniture() {
    let catalog = catalog::builtin().unwrap();
    let mut problems = Vec::new();
    for (id, integration) in &catalog.integrations {
        let furniture = variants::furniture(id);
        for document in documents(integration).iter().filter(|d| !d.is_excerpt()) {
            for sentence in coverage::uncited(integration, document) {
                if !furniture.contains(&sentence.text) {
                    problems.push(format!("profiles/sources/{}:{}: {:?}", document.file, sentence.line, sentence.text));
                }
            }
        }
    }
    assert!(problems.is_empty(), "sentences neither cited, unmapped nor furniture:\n{}", problems.join("\n"));
}

#[test]
fn every_quote_line_of_every_excerpt_is_cited() {
    let catalog = catalog::builtin().unwrap();
    let mut problems = Vec::new();
    for integration in catalog.integrations.values() {
        for document in documents(integration).iter().filter(|d| d.is_excerpt()) {
            for line in coverage::uncited(integration, document) {
                problems.push(format!("profiles/sources/{}:{}: {:?}", document.file, line.line, line.text));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "excerpt lines no quote of the catalog cites whole (cite them, or delete them from the excerpt):\n{}",
        problems.join("\n")
    );
}

/// Every document in `profiles/sources/` is cited by some integration, and parses.
#[test]
fn every_source_document_belongs_to_an_integration() {
    let catalog = catalog::builtin().unwrap();
    let cited: Vec<&str> =
        catalog.integrations.values().flat_map(|i| i.sources.iter().map(|s| s.file.as_str())).collect();
    let unused: Vec<String> =
        catalog::builtin_source_names().into_iter().filter(|n| !cited.contains(&n.as_str())).collect();
    assert!(unused.is_empty(), "documents in profiles/sources/ no integration names: {unused:?}");
}

/// The furniture lists name only sentences of full-text documents that exist and that no quote
/// cites (so they stay small and cannot hide a sentence the catalog maps).
#[test]
fn furniture_is_only_what_the_catalog_does_not_cite() {
    let catalog = catalog::builtin().unwrap();
    let mut stale = Vec::new();
    for id in variants::ids() {
        let integration = catalog.get(&id).unwrap_or_else(|| panic!("no integration {id}"));
        let uncited: Vec<String> = documents(integration)
            .iter()
            .filter(|d| !d.is_excerpt())
            .flat_map(|d| coverage::uncited(integration, d))
            .map(|s| s.text)
            .collect();
        let furniture = variants::furniture(&id);
        stale.extend(furniture.iter().filter(|entry| !uncited.contains(entry)).map(|e| format!("{id}: {e:?}")));
    }
    assert!(
        stale.is_empty(),
        "furniture the catalog cites, or that is not a sentence of a full-text document:\n{}",
        stale.join("\n")
    );
}
