//! Reads a metadata XML file into a `Document` with quick-xml, keeping every element, attribute,
//! value and comment (ones sfperms never writes and ones newer than it knows included), so that a
//! read and a write lose nothing. Values stay verbatim (a `False` stays `False`); only line ends
//! inside values become LF, as every XML parser reads them (XML 1.0 §2.11).
//!
//! Refuses what a retrieve never holds and a parser should not trust: bytes that are not UTF-8, a
//! DOCTYPE (and so entity definitions: only the five predefined entities and character
//! references are read), mixed text and elements, a root outside the metadata namespace. Which
//! root a file should have is the caller's business (`source`). This module does no I/O.

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::document::{Content, Document, METADATA_NS, Node};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

struct Frame {
    node: Node,
    children: Vec<Node>,
    text: String,
}

fn attrs(start: &BytesStart, line: usize) -> Result<Vec<(String, String)>, ParseError> {
    let mut out = Vec::new();
    // quick-xml's own duplicate check compares every attribute with every earlier one (quadratic);
    // `first_duplicate` sorts instead.
    for attr in start.attributes().with_checks(false) {
        let attr = attr.map_err(|e| ParseError { line, message: format!("bad attribute: {e}") })?;
        let key = String::from_utf8_lossy(attr.key.as_ref()).into_owned();
        let value = attribute_value(&attr).map_err(|message| ParseError { line, message })?.into_owned();
        out.push((key, value));
    }
    if let Some(key) = first_duplicate(out.iter().map(|(k, _)| k.as_str()).collect()) {
        return Err(ParseError { line, message: format!("the attribute `{key}` is given twice") });
    }
    Ok(out)
}

/// The value of an attribute, its entities replaced.
pub(crate) fn attribute_value<'a>(attr: &quick_xml::events::attributes::Attribute<'a>) -> Result<Cow<'a, str>, String> {
    attr.unescape_value().map_err(|e| format!("bad attribute value: {e}"))
}

/// A key that occurs twice among `keys`, in O(n log n).
pub(crate) fn first_duplicate(mut keys: Vec<&str>) -> Option<&str> {
    if keys.len() < 2 {
        return None;
    }
    keys.sort_unstable();
    keys.windows(2).find(|w| w[0] == w[1]).map(|w| w[0])
}

/// A text node's value: line ends normalised, entities replaced (borrowed when there are none).
pub(crate) fn text_value(raw: &str) -> Result<Cow<'_, str>, String> {
    let value = match normalize_line_ends(raw) {
        Cow::Borrowed(raw) => quick_xml::escape::unescape(raw),
        Cow::Owned(normalized) => quick_xml::escape::unescape(&normalized).map(|v| Cow::Owned(v.into_owned())),
    };
    value.map_err(|e| format!("bad text: {e} (only &amp; &lt; &gt; &quot; &apos; and &#…; are allowed)"))
}

/// The reader every metadata file is read with: nothing trimmed, end tags and comments checked.
pub(crate) fn xml_reader(text: &str) -> Reader<&[u8]> {
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.trim_text(false);
    config.check_end_names = true;
    config.check_comments = true;
    reader
}

/// `\r\n` and lone `\r` become `\n`, as XML 1.0 §2.11 has every parser do.
fn normalize_line_ends(raw: &str) -> Cow<'_, str> {
    if raw.contains('\r') { raw.replace("\r\n", "\n").replace('\r', "\n").into() } else { raw.into() }
}

fn line_of(text: &str, position: usize) -> usize {
    1 + text.as_bytes()[..position.min(text.len())].iter().filter(|b| **b == b'\n').count()
}

/// Whether a root outside the metadata namespace is accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Namespace {
    /// The root must be in the metadata namespace (every file a retrieve writes).
    Required,
    /// The root may also have no namespace at all: the child files of a permission set the sf CLI
    /// decomposes with `decomposePermissionSetBeta2` (`Document::in_metadata_namespace` says which).
    Optional,
}

/// Parses the bytes of a file: UTF-8 (with or without a BOM) only.
pub fn parse_bytes(bytes: &[u8]) -> Result<Document, ParseError> {
    parse_bytes_with(bytes, Namespace::Required)
}

/// `parse_bytes` with a namespace rule.
pub fn parse_bytes_with(bytes: &[u8], namespace: Namespace) -> Result<Document, ParseError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ParseError {
            line: 1,
            message: "the file is UTF-16; metadata files are UTF-8: convert it (iconv -f UTF-16 -t UTF-8)".into(),
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count();
        ParseError {
            line,
            message: format!(
                "not UTF-8 (byte {} is invalid); metadata files are UTF-8: save it as UTF-8",
                e.valid_up_to() + 1
            ),
        }
    })?;
    parse_with(text, namespace)
}

/// Parses `text` (already decoded from UTF-8; a BOM is skipped).
pub fn parse(text: &str) -> Result<Document, ParseError> {
    parse_with(text, Namespace::Required)
}

/// `parse` with a namespace rule.
pub fn parse_with(text: &str, namespace: Namespace) -> Result<Document, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = xml_reader(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut doc: Option<Document> = None;
    let mut root_closed = false;
    // Comments not yet attached to an element, and those outside the root.
    let mut pending: Vec<String> = Vec::new();
    let mut outside: Vec<String> = Vec::new();
    let mut line = 1usize;
    let mut counted = 0usize;
    loop {
        let position = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX).min(text.len());
        line += text.as_bytes()[counted..position].iter().filter(|b| **b == b'\n').count();
        counted = position;
        let fail = |message: String| ParseError { line, message };
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                let at = usize::try_from(reader.error_position()).unwrap_or(position);
                return Err(ParseError { line: line_of(text, at), message: format!("malformed XML: {e}") });
            }
        };
        match event {
            Event::DocType(_) => return Err(fail("a DOCTYPE is not allowed in metadata files: remove it".into())),
            Event::Decl(decl) => {
                if let Some(Ok(encoding)) = decl.encoding() {
                    let encoding = String::from_utf8_lossy(&encoding).into_owned();
                    if !encoding.eq_ignore_ascii_case("UTF-8") && !encoding.eq_ignore_ascii_case("UTF8") {
                        return Err(fail(format!(
                            "the XML declaration says encoding `{encoding}`; metadata files are UTF-8: convert it and declare UTF-8"
                        )));
                    }
                }
            }
            Event::Start(ref start) | Event::Empty(ref start) if stack.is_empty() => {
                if doc.is_some() {
                    return Err(fail("a second root element: a metadata file holds one".into()));
                }
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                let all = attrs(start, line)?;
                let in_namespace = all.iter().any(|(k, v)| k == "xmlns" && v == METADATA_NS);
                let no_namespace = !all.iter().any(|(k, _)| k == "xmlns");
                let accepted = in_namespace || (namespace == Namespace::Optional && no_namespace);
                if !accepted {
                    return Err(fail(format!("the root <{name}> is not in the metadata namespace `{METADATA_NS}`")));
                }
                let mut root = Document::new(&name);
                root.in_metadata_namespace = in_namespace;
                root.root_attrs = all.into_iter().filter(|(k, _)| k != "xmlns").collect();
                outside.append(&mut pending);
                doc = Some(root);
                if matches!(event, Event::Start(_)) {
                    stack.push(Frame { node: Node::leaf(&name, ""), children: Vec::new(), text: String::new() });
                } else {
                    root_closed = true;
                }
            }
            Event::Start(start) => {
                let mut node = Node::new(&String::from_utf8_lossy(start.name().as_ref()), Content::Text(String::new()));
                node.attrs = attrs(&start, line)?;
                node.comments = std::mem::take(&mut pending);
                stack.push(Frame { node, children: Vec::new(), text: String::new() });
            }
            Event::Empty(start) => {
                let mut node = Node::new(&String::from_utf8_lossy(start.name().as_ref()), Content::Text(String::new()));
                node.attrs = attrs(&start, line)?;
                node.comments = std::mem::take(&mut pending);
                stack.last_mut().expect("checked above").children.push(node);
            }
            Event::Text(t) => {
                let raw = std::str::from_utf8(&t).map_err(|_| fail("text is not UTF-8".into()))?;
                // Borrowed unless there is something to unescape: no allocation per text node.
                let value = text_value(raw).map_err(fail)?;
                match stack.last_mut() {
                    Some(frame) => frame.text.push_str(&value),
                    None if value.trim().is_empty() => {}
                    None => return Err(fail("text outside the root element".into())),
                }
            }
            Event::CData(t) => {
                let value =
                    String::from_utf8(t.into_inner().into_owned()).map_err(|_| fail("CDATA is not UTF-8".into()))?;
                match stack.last_mut() {
                    Some(frame) => frame.text.push_str(&normalize_line_ends(&value)),
                    None => return Err(fail("CDATA outside the root element".into())),
                }
            }
            Event::Comment(c) => {
                let value = String::from_utf8(c.into_inner().into_owned())
                    .map_err(|_| fail("a comment is not UTF-8".into()))?;
                if stack.is_empty() { outside.push(value) } else { pending.push(value) }
            }
            Event::End(_) => {
                let frame = stack.pop().expect("quick-xml checks end tags");
                let has_text = !frame.text.trim().is_empty();
                let mut node = frame.node;
                node.content = if frame.children.is_empty() {
                    // Comments inside a value go before the element.
                    node.comments.append(&mut pending);
                    Content::Text(frame.text)
                } else if has_text {
                    return Err(fail(format!("<{}> mixes text and elements", node.name)));
                } else {
                    node.tail = std::mem::take(&mut pending);
                    Content::Children(frame.children)
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => {
                        let d = doc.as_mut().expect("root opened");
                        d.tail = node.comments.into_iter().chain(node.tail).collect();
                        if let Content::Children(children) = node.content {
                            d.children = children;
                        }
                        root_closed = true;
                    }
                }
            }
            Event::Eof => break,
            // Processing instructions carry no metadata; Salesforce drops them too.
            Event::PI(_) => {}
        }
    }
    if !stack.is_empty() || (doc.is_some() && !root_closed) {
        return Err(ParseError { line, message: "the file ends inside an element".into() });
    }
    let mut doc = doc.ok_or(ParseError { line, message: "no root element".into() })?;
    outside.append(&mut pending);
    doc.comments = outside;
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">"#;

    #[test]
    fn keeps_comments_with_the_element_that_follows() {
        let text = format!(
            "<!-- header -->\n{HEAD}\n<!-- a -->\n<label>X</label>\n<userPermissions><!-- b --><enabled>true</enabled><name>A</name><!-- c --></userPermissions>\n<!-- end -->\n</PermissionSet>\n"
        );
        let doc = parse(&text).unwrap();
        assert_eq!(doc.comments, [" header "]);
        assert_eq!(doc.children[0].comments, [" a "]);
        assert_eq!(doc.children[1].children()[0].comments, [" b "]);
        assert_eq!(doc.children[1].tail, [" c "]);
        assert_eq!(doc.tail, [" end "]);
    }

    #[test]
    fn values_verbatim_line_ends_normalised() {
        let text = format!("{HEAD}\r\n<description>a\r\nb &apos;c&apos;</description><x>False</x></PermissionSet>");
        let doc = parse(&text).unwrap();
        assert_eq!(doc.children[0].text(), Some("a\nb 'c'"));
        assert_eq!(doc.children[1].text(), Some("False"));
    }

    #[test]
    fn refuses_what_a_retrieve_never_holds() {
        let doctype = format!("<!DOCTYPE x [<!ENTITY e \"boom\">]>\n{HEAD}<a>&e;</a></PermissionSet>");
        assert!(parse(&doctype).unwrap_err().message.contains("DOCTYPE"));
        let entity = format!("{HEAD}\n<a>&e;</a></PermissionSet>");
        assert_eq!(parse(&entity).unwrap_err().line, 3);
        let latin1 = format!("{HEAD}\n<a>caf\u{e9}</a></PermissionSet>").replace('\u{e9}', "\u{1}");
        let mut bytes = latin1.into_bytes();
        let at = bytes.iter().position(|b| *b == 1).unwrap();
        bytes[at] = 0xE9;
        let err = parse_bytes(&bytes).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("not UTF-8"), "{err}");
        let unclosed = format!("{HEAD}\n<a>x</a>\n");
        assert!(parse(&unclosed).is_err());
        let mismatched = format!("{HEAD}\n<a>x</b></PermissionSet>");
        assert_eq!(parse(&mismatched).unwrap_err().line, 3);
        let twice = format!("{HEAD}\n<a b=\"1\" c=\"2\" b=\"3\">x</a></PermissionSet>");
        assert_eq!(
            parse(&twice).unwrap_err(),
            ParseError { line: 3, message: "the attribute `b` is given twice".into() }
        );
        let two_roots = format!("{HEAD}</PermissionSet>{HEAD}</PermissionSet>");
        assert!(parse(&two_roots).unwrap_err().message.contains("second root"));
    }
}
