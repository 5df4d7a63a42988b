//! "Every vendor sentence is mapped or listed": each sentence of each seed document is cited by the
//! catalog (a requirement, feature, option, warning or rule-out), listed as `[[unmapped]]` with a
//! reason (which `explain` shows), or one of the headings and page furniture below — a short list,
//! reviewed like code. A new sentence in a document, or a quote dropped from a catalog, fails here.

use sfperms::catalog::{self, coverage};

/// Headings, navigation, bylines and other page furniture, per document: no requirement in them.
const FURNITURE: &[(&str, &[&str])] = &[
    (
        "elements",
        &[
            "We will explain who, what, why and how in this article.",
            "Article outline",
            "Prerequisites",
            "Org sync modes",
            "Permissions Required to run the Sync in Default Mode",
            "General user permissions",
            "Object specific permissions",
            "Apex class permissions",
            "Apex class permission",
            "You might also be interested in",
            "Did this answer your question?",
        ],
    ),
    (
        "external-credential",
        &[
            "Permission Concepts for User External Credentials",
            "Required Editions",
            "Available in: both Salesforce Classic (not available in all orgs) and Lightning Experience",
            "Available in: all editions",
        ],
    ),
    (
        "jetstream",
        &[
            "Required Salesforce Permissions",
            "Permissions Summary",
            "API Name",
            "Required for",
            "Reading and modifying data",
            ":::info Limited Access indicator",
            "Are these high-privilege permissions required?",
            "Required?",
            "Details",
            "Recommendations for least privilege",
        ],
    ),
    (
        "merge",
        &[
            "All Collections",
            "Best Practice Guides",
            "Ticketing",
            "SalesForce Cloud User Permissions",
            "Permissions (Easy + Granular Set ups) to integrate with our Ticketing API",
            "Yash Gogri avatar",
            "Written by Yash Gogri",
            "Updated over a week ago",
            "Permissions (easy set up)",
            "Permissions (more granular, more set up)",
            "See guide here on the differences between the Profiles vs Permissions Sets.",
            "See guide here for more on object permissions.",
            "In order to …",
            "These permissions are needed:",
            "Tips",
            "Did this answer your question?",
        ],
    ),
    (
        "planhat",
        &[
            "Skip to main content",
            "All CollectionsIntegrationsSalesforce",
            "Salesforce integration User permissions",
            "Permission requirements for the Salesforce User connecting the Salesforce integration",
            "Carly Hammond avatar",
            "Written by Carly Hammond",
            "Updated over 7 months ago",
            "Summary",
            "Who is this article for?",
            "It's for Planhat builders (e.g. CS Ops) or Salesforce admins configuring the Salesforce integration",
            "Series",
            "We have a series of articles on the Salesforce integration:",
            "Article contents",
            "This is a technical deep-dive article",
            "Read on if you'd like to learn about the Salesforce User permissions for connecting the Salesforce integration.",
            "If you'd just like an overview of the Salesforce integration, please refer to our main article.",
            "Salesforce User for connection",
            "Minimum permissions for the Salesforce integration User",
            "📌 Important to note",
            "Object permissions",
            "Field permissions",
            "This includes:",
            "Administrative permissions",
            "Did this answer your question?",
        ],
    ),
];

#[test]
fn every_sentence_of_every_seed_document_is_cited_listed_or_furniture() {
    let catalog = catalog::builtin().unwrap();
    let mut problems = Vec::new();
    for (id, integration) in &catalog.integrations {
        let document = catalog::builtin_document(&integration.document).expect("the document ships");
        let furniture = FURNITURE.iter().find(|(f, _)| f == id).map_or(&[][..], |(_, list)| *list);
        for sentence in coverage::uncited(integration, document) {
            if !furniture.contains(&sentence.text.as_str()) {
                problems.push(format!("{}:{}: {:?}", integration.document, sentence.line, sentence.text));
            }
        }
    }
    assert!(problems.is_empty(), "sentences neither cited, unmapped nor furniture:\n{}", problems.join("\n"));
}

/// The furniture list names only sentences that exist and that no quote cites (so it stays small
/// and cannot hide a sentence the catalog maps).
#[test]
fn furniture_is_only_what_the_catalog_does_not_cite() {
    let catalog = catalog::builtin().unwrap();
    let mut stale = Vec::new();
    for (id, list) in FURNITURE {
        let integration = catalog.get(id).unwrap_or_else(|| panic!("no integration {id}"));
        let document = catalog::builtin_document(&integration.document).unwrap();
        let uncited: Vec<String> = coverage::uncited(integration, document).into_iter().map(|s| s.text).collect();
        stale.extend(list.iter().filter(|entry| !uncited.iter().any(|s| s == *entry)).map(|e| format!("{id}: {e:?}")));
    }
    assert!(
        stale.is_empty(),
        "furniture the catalog cites, or that is not a sentence of the document:\n{}",
        stale.join("\n")
    );
}
