//! Property tests: "canonical" has one meaning. On arbitrary documents (empty elements, comments,
//! attributes, every character the writer escapes, line ends, keyed groups in any order), the fast
//! writer writes what the templates write, and the streaming check says "canonical" exactly when
//! reading, ordering and writing gives the same bytes back, for the written text, the unordered
//! text and small mutations of it.

use proptest::prelude::*;

use super::{is_canonical, render, render_as_is_fast, render_fast};
use crate::metadata::read::parse;
use crate::metadata::{Content, Document, Node};

/// What the full path says: read, order, write, compare.
fn full(text: &str) -> bool {
    parse(text).is_ok_and(|doc| render_fast(&doc) == text)
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "fullName", "label", "description", "userPermissions", "enabled", "name", "fieldPermissions",
            "field", "readable", "layoutAssignments", "layout", "recordType", "members", "types", "custom",
        ])
        .prop_map(str::to_string),
        1 => "[a-zA-Z_][a-zA-Z0-9:._-]{0,4}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-c]{0,3}",
        2 => "[ a-zA-Z&<>\"'\r\n\t.é\u{1}-]{0,8}",
    ]
}

fn comments() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(prop_oneof![Just(" c ".to_string()), "[ a-z<>&-]{0,5}"], 0..2)
}

fn attrs() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec(
        (prop::sample::select(vec!["a", "b", "xsi:nil", "x y"]).prop_map(str::to_string), text()),
        0..2,
    )
}

fn node() -> impl Strategy<Value = Node> {
    let leaf = (name(), attrs(), comments(), text()).prop_map(|(name, attrs, comments, text)| Node {
        name,
        attrs,
        comments,
        content: Content::Text(text),
        tail: Vec::new(),
    });
    leaf.prop_recursive(3, 24, 4, |inner| {
        (name(), attrs(), comments(), prop::collection::vec(inner, 0..4), comments()).prop_map(
            |(name, attrs, comments, children, tail)| Node {
                name,
                attrs,
                comments,
                content: Content::Children(children),
                tail,
            },
        )
    })
}

pub(crate) fn document() -> impl Strategy<Value = Document> {
    (
        prop::sample::select(vec!["PermissionSet", "Profile", "Package"]),
        // Without the namespace: the child files of a set decomposed with Beta2.
        prop::bool::weighted(0.9),
        prop::collection::vec((Just("xmlns:xsi".to_string()), "[a-z:/.]{0,6}"), 0..2),
        comments(),
        prop::collection::vec(node(), 0..6),
        comments(),
    )
        .prop_map(|(root, in_metadata_namespace, root_attrs, comments, children, tail)| Document {
            root: root.to_string(),
            in_metadata_namespace,
            root_attrs,
            comments,
            children,
            tail,
        })
}

fn agree(text: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!(is_canonical(text.as_bytes(), |_| true), full(text), "{}", text);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn one_meaning_of_canonical(doc in document(), at in any::<prop::sample::Index>(), insert in "[ \n\r<>&a/]{0,2}") {
        let written = render_fast(&doc);
        prop_assert_eq!(&written, &render(&doc));
        agree(&written)?;
        agree(&render_as_is_fast(&doc))?;
        // A small edit anywhere: a byte removed, or something inserted.
        let mut cut = at.index(written.len());
        while !written.is_char_boundary(cut) {
            cut -= 1;
        }
        let next = written[cut..].chars().next().map_or(0, char::len_utf8);
        agree(&format!("{}{}", &written[..cut], &written[cut + next..]))?;
        agree(&format!("{}{insert}{}", &written[..cut], &written[cut..]))?;
    }
}
