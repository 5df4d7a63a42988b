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

/// The bytes `push_escaped` writes as references: `& < > " '` and CR (a CR before a LF stays).
const SPECIAL_IN_TEXT: [bool; 256] = special_bytes(b"&<>\"'\r");

/// The bytes `push_escaped_attr` writes as references: those of text, and LF and tab.
const SPECIAL_IN_ATTRIBUTE: [bool; 256] = special_bytes(b"&<>\"'\r\n\t");

const fn special_bytes(bytes: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
}

fn push_escaped_with(out: &mut String, input: &str, attribute: bool) {
    let bytes = input.as_bytes();
    // Almost every value has nothing to escape: one pass that only looks (a table lookup a byte),
    // then one copy.
    let special = if attribute { &SPECIAL_IN_ATTRIBUTE } else { &SPECIAL_IN_TEXT };
    if !bytes.iter().any(|&b| special[usize::from(b)]) {
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
    // Four spaces a level: one copy from a run of spaces, for every depth the reader accepts.
    const SPACES: &str = "                                                                ";
    match SPACES.get(..depth * 4) {
        Some(indent) => out.push_str(indent),
        None => (0..depth).for_each(|_| out.push_str("    ")),
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
    write_as_is(doc, String::with_capacity(4096))
}

/// Appends `doc` as it stands to `out`.
fn write_as_is<S: AsRef<str>>(doc: &Document<S>, mut out: String) -> String {
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
pub fn render_owned_fast<S: AsRef<str>>(doc: Document<S>) -> String {
    render_owned_fast_sized(doc, 4096)
}

/// `render_owned_fast` for a document read from a file: `about` is the size its text is expected
/// to have (the file's), so that the text is allocated once, not grown and copied as it is written.
pub fn render_owned_fast_sized<S: AsRef<str>>(mut doc: Document<S>, about: usize) -> String {
    canonical::canonicalize(&mut doc);
    write_as_is(&doc, String::with_capacity(about))
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

    /// The writer that takes the document (the parts of a decomposed set, built only to be
    /// written) orders and writes it as the one that borrows it does.
    #[test]
    fn the_owned_writer_writes_what_the_borrowing_one_writes() {
        let text = r#"<?xml version="1.0" encoding="UTF-8"?>
<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">
    <userPermissions><name>ViewSetup</name><enabled>true</enabled></userPermissions>
    <label>Set &amp; more</label>
    <userPermissions><enabled>true</enabled><name>ApiEnabled</name></userPermissions>
</PermissionSet>"#;
        let doc = parse(text).unwrap();
        let borrowed = render_fast(&doc);
        assert!(borrowed.starts_with("<?xml") && borrowed.contains("<name>ApiEnabled</name>"), "{borrowed}");
        assert_eq!(render_owned_fast(doc), borrowed);
    }
}
