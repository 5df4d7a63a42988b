//! The canonical writer without the template engine, for every file sfperms writes: tera turns
//! the tree into JSON values and copies every subtree into each macro call, which made it the
//! bottleneck at hundreds of multi-megabyte profiles, and parsing the templates alone cost a
//! millisecond per run (numbers in `docs/performance.md`). It writes exactly what
//! `templates/*.xml.tera` write; `render_agrees_with_the_templates` below, the corpus tests in
//! `tests/integration/fmt.rs` and the property test in `check_properties` check that byte for byte.

use crate::metadata::{Content, Document, METADATA_NS, Node, canonical};

/// Appends the text value `input` to `out` with the five entities a retrieve writes (`&amp; &lt;
/// &gt; &quot; &apos;`); a CR is written as it came when a LF follows it (a line break typed in
/// Setup, as a retrieve writes it) and as `&#13;` otherwise, so that it reads back as a CR and
/// not as a line end (docs/design.md, "Carriage returns"). `render::escape_xml` is this for the
/// templates.
pub(super) fn push_escaped(out: &mut String, input: &str) {
    push_escaped_with(out, input, false);
}

/// Appends an attribute value: as `push_escaped`, and tab, LF and CR as references, which a reader
/// would otherwise turn into spaces (XML 1.0 §3.3.3).
pub(super) fn push_escaped_attr(out: &mut String, input: &str) {
    push_escaped_with(out, input, true);
}

fn push_escaped_with(out: &mut String, input: &str, attribute: bool) {
    let bytes = input.as_bytes();
    // Almost every value has nothing to escape: one pass that only looks, then one copy.
    let plain = |b: &u8| {
        !matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'' | b'\r' | b'\n' | b'\t')
            || (!attribute && matches!(b, b'\n' | b'\t'))
    };
    if bytes.iter().all(plain) {
        out.push_str(input);
        return;
    }
    let mut last = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&apos;",
            b'\r' if attribute || bytes.get(i + 1) != Some(&b'\n') => "&#13;",
            b'\n' if attribute => "&#10;",
            b'\t' if attribute => "&#9;",
            _ => continue,
        };
        out.push_str(&input[last..i]);
        out.push_str(entity);
        last = i + 1;
    }
    out.push_str(&input[last..]);
}

fn push_attrs<S: AsRef<str>>(out: &mut String, attrs: &[(S, S)]) {
    for (key, value) in attrs {
        out.push(' ');
        push_escaped(out, key.as_ref());
        out.push_str("=\"");
        push_escaped_attr(out, value.as_ref());
        out.push('"');
    }
}

fn push_comments<S: AsRef<str>>(out: &mut String, comments: &[S], depth: usize) {
    for comment in comments {
        push_indent(out, depth);
        out.push_str("<!--");
        out.push_str(comment.as_ref());
        out.push_str("-->\n");
    }
}

fn push_indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("    ");
    }
}

/// A step of the writer's own stack: open an element (and queue its children), or close one.
enum Step<'a, S> {
    Open(&'a Node<S>, usize),
    Close(&'a Node<S>, usize),
}

/// Writes `nodes` at `depth`, with an explicit stack: nothing recurses on the input's structure.
fn push_nodes<S: AsRef<str>>(out: &mut String, nodes: &[Node<S>], depth: usize) {
    let mut steps: Vec<Step<S>> = nodes.iter().rev().map(|n| Step::Open(n, depth)).collect();
    while let Some(step) = steps.pop() {
        match step {
            Step::Open(node, depth) => {
                push_comments(out, &node.comments, depth);
                push_indent(out, depth);
                out.push('<');
                push_escaped(out, node.name());
                push_attrs(out, &node.attrs);
                out.push('>');
                match &node.content {
                    // The template treats an element without children as a leaf (`{% if node.children %}`).
                    Content::Children(children) if !children.is_empty() => {
                        out.push('\n');
                        steps.push(Step::Close(node, depth));
                        steps.extend(children.iter().rev().map(|c| Step::Open(c, depth + 1)));
                    }
                    Content::Children(_) => push_end(out, node.name()),
                    Content::Text(text) => {
                        push_escaped(out, text.as_ref());
                        push_end(out, node.name());
                    }
                }
            }
            Step::Close(node, depth) => {
                push_comments(out, &node.tail, depth + 1);
                push_indent(out, depth);
                push_end(out, node.name());
            }
        }
    }
}

fn push_end(out: &mut String, name: &str) {
    out.push_str("</");
    push_escaped(out, name);
    out.push_str(">\n");
}

/// Renders `doc` as it stands, as `render::render_as_is` does.
pub fn render_as_is_fast<S: AsRef<str>>(doc: &Document<S>) -> String {
    let mut out = String::with_capacity(4096);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    push_comments(&mut out, &doc.comments, 0);
    out.push('<');
    push_escaped(&mut out, doc.root.as_ref());
    if doc.in_metadata_namespace {
        out.push_str(" xmlns=\"");
        out.push_str(METADATA_NS);
        out.push('"');
    }
    push_attrs(&mut out, &doc.root_attrs);
    out.push_str(">\n");
    push_nodes(&mut out, &doc.children, 1);
    push_comments(&mut out, &doc.tail, 1);
    out.push_str("</");
    push_escaped(&mut out, doc.root.as_ref());
    out.push_str(">\n");
    out
}

/// Puts `doc` in canonical order and renders it, as `render::render` does.
pub fn render_fast(doc: &Document) -> String {
    let mut doc = doc.clone();
    canonical::canonicalize(&mut doc);
    render_as_is_fast(&doc)
}

/// Renders a document the caller no longer needs (no copy), owned or borrowing from a file.
pub fn render_owned_fast<S: AsRef<str>>(mut doc: Document<S>) -> String {
    canonical::canonicalize(&mut doc);
    render_as_is_fast(&doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::render::render;
    use crate::metadata::read::parse;

    /// Text: the five entities, a CR kept before a LF and written as `&#13;` alone, tab and LF
    /// as they are. Attribute values: tab, LF and CR as references too.
    #[test]
    fn escapes_text_and_attribute_values() {
        let input = "Tom's \"A&B\" <x> ü\r\nb\rc\td\n";
        let mut text = String::new();
        push_escaped(&mut text, input);
        assert_eq!(text, "Tom&apos;s &quot;A&amp;B&quot; &lt;x&gt; ü\r\nb&#13;c\td\n");
        let mut attr = String::new();
        push_escaped_attr(&mut attr, input);
        assert_eq!(attr, "Tom&apos;s &quot;A&amp;B&quot; &lt;x&gt; ü&#13;&#10;b&#13;c&#9;d&#10;");
    }

    #[test]
    fn render_agrees_with_the_templates() {
        let text = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- head -->
<Profile xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
    <userPermissions><!-- why --><enabled>True</enabled><name>A&amp;B</name><!-- tail --></userPermissions>
    <description xsi:nil="true"/>
    <layoutAssignments><layout>L &apos;x&apos;</layout></layoutAssignments>
    <empty></empty>
    <spaced>
    </spaced>
    <cr a="x&#10;y&#13;&#9;z">line&#13;
next&#13;end</cr>
    <!-- end -->
</Profile>"#;
        let doc = parse(text).unwrap();
        assert_eq!(render_fast(&doc), render(&doc));
    }
}
