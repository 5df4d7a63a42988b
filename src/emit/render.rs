//! Writes a `Document` through the tera templates in `templates/`, with XML escaping as
//! Salesforce writes it. The templates define the canonical text; what sfperms writes at run time
//! (generated, merged and formatted files) comes from `fast`, which tests hold to the templates
//! byte for byte on every corpus file, every generated variant and arbitrary documents, and the
//! streaming check (`check`) is held to both, so "canonical" has one meaning. Parsing the
//! templates costs about a millisecond, which is why runs do not.

use std::sync::OnceLock;

use tera::{Context, Tera};

use crate::metadata::{Document, METADATA_NS, canonical};

const METADATA_TEMPLATE: &str = include_str!("../../templates/metadata.xml.tera");
const NODE_TEMPLATE: &str = include_str!("../../templates/node.xml.tera");

/// The five entities a retrieve writes in text, and a CR as `&#13;` unless a LF follows it
/// (`fast::push_escaped`).
pub(crate) fn escape_xml(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    super::fast::push_escaped(&mut out, input);
    out
}

/// The `xml_attr` filter of the templates: an attribute value, with tab, LF and CR as references.
fn xml_attr(value: &tera::Value, _: &std::collections::HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    let text = value.as_str().ok_or_else(|| tera::Error::msg("xml_attr takes a string"))?;
    let mut out = String::with_capacity(text.len());
    super::fast::push_escaped_attr(&mut out, text);
    Ok(tera::Value::String(out))
}

fn templates() -> &'static Tera {
    static TERA: OnceLock<Tera> = OnceLock::new();
    TERA.get_or_init(|| {
        let mut tera = Tera::default();
        tera.register_filter("xml_attr", xml_attr);
        tera.add_raw_templates(vec![("node.xml.tera", NODE_TEMPLATE), ("metadata.xml.tera", METADATA_TEMPLATE)])
            .expect("the built-in templates parse");
        tera.autoescape_on(vec![".xml.tera"]);
        tera.set_escape_fn(escape_xml);
        tera
    })
}

/// Renders `doc` as it stands (the caller has put it in the order it wants).
pub fn render_as_is(doc: &Document) -> String {
    let mut context = Context::new();
    context.insert("root", &doc.root);
    context.insert("namespace", if doc.in_metadata_namespace { METADATA_NS } else { "" });
    context.insert("root_attrs", &doc.root_attrs);
    context.insert("comments", &doc.comments);
    context.insert("children", &doc.children);
    context.insert("tail", &doc.tail);
    templates()
        .render("metadata.xml.tera", &context)
        .unwrap_or_else(|e| panic!("rendering the built-in template failed: {e:?}"))
}

/// Puts `doc` in canonical order and renders it.
pub fn render(doc: &Document) -> String {
    let mut doc = doc.clone();
    canonical::canonicalize(&mut doc);
    render_as_is(&doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metadata::read::parse;

    #[test]
    fn escapes_like_a_retrieve() {
        assert_eq!(escape_xml(r#"Tom's "A&B" <x>"#), "Tom&apos;s &quot;A&amp;B&quot; &lt;x&gt;");
    }

    #[test]
    fn a_retrieved_file_renders_byte_for_byte() {
        let text = include_str!(
            "../../tests/fixtures/corpus/org-carestone/force-app/main/default/permissionsets/Monitoring_Admins.permissionset-meta.xml"
        );
        assert_eq!(render(&parse(text).unwrap()), text);
    }
}
