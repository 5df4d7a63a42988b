//! Reads a metadata XML file into a `Document` with quick-xml, keeping every element and value
//! (ones sfperms never writes included) so that a read and a write lose nothing Salesforce keeps.
//! Refuses what a retrieve never holds and a parser should not trust: a DOCTYPE (and so entity
//! definitions), mixed text and elements, a root outside the metadata namespace.

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
    for attr in start.attributes() {
        let attr = attr.map_err(|e| ParseError { line, message: format!("bad attribute: {e}") })?;
        let key = String::from_utf8_lossy(attr.key.as_ref()).into_owned();
        let value = attr
            .unescape_value()
            .map_err(|e| ParseError { line, message: format!("bad attribute value: {e}") })?
            .into_owned();
        out.push((key, value));
    }
    Ok(out)
}

/// Parses `text` (already decoded from UTF-8; a BOM is skipped).
pub fn parse(text: &str) -> Result<Document, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.trim_text(false);
    config.check_end_names = true;
    let mut stack: Vec<Frame> = Vec::new();
    let mut doc: Option<Document> = None;
    let mut root_seen = false;
    let mut line = 1usize;
    let mut counted = 0usize;
    loop {
        let position = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX).min(text.len());
        line += text.as_bytes()[counted..position].iter().filter(|b| **b == b'\n').count();
        counted = position;
        let fail = |message: String| ParseError { line, message };
        let event = reader.read_event().map_err(|e| fail(format!("malformed XML: {e}")))?;
        match event {
            Event::DocType(_) => return Err(fail("a DOCTYPE is not allowed in metadata files".into())),
            Event::Start(ref start) | Event::Empty(ref start) if stack.is_empty() && !root_seen => {
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                let all = attrs(start, line)?;
                if !all.iter().any(|(k, v)| k == "xmlns" && v == METADATA_NS) {
                    return Err(fail(format!("the root <{name}> is not in the metadata namespace `{METADATA_NS}`")));
                }
                let root_attrs = all.into_iter().filter(|(k, _)| k != "xmlns").collect();
                root_seen = true;
                doc = Some(Document { root: name.clone(), root_attrs, children: Vec::new() });
                if matches!(event, Event::Start(_)) {
                    stack.push(Frame { node: Node::leaf(&name, ""), children: Vec::new(), text: String::new() });
                }
            }
            Event::Start(start) => {
                if stack.is_empty() {
                    return Err(fail("content after the root element".into()));
                }
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                let node = Node { name, attrs: attrs(&start, line)?, content: Content::Text(String::new()) };
                stack.push(Frame { node, children: Vec::new(), text: String::new() });
            }
            Event::Empty(start) => {
                let Some(parent) = stack.last_mut() else {
                    return Err(fail("content after the root element".into()));
                };
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                let node = Node { name, attrs: attrs(&start, line)?, content: Content::Text(String::new()) };
                parent.children.push(node);
            }
            Event::Text(t) => {
                let value = t.unescape().map_err(|e| fail(format!("bad text: {e}")))?;
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
                    Some(frame) => frame.text.push_str(&value),
                    None => return Err(fail("CDATA outside the root element".into())),
                }
            }
            Event::End(_) => {
                let frame = stack.pop().expect("quick-xml checks end tags");
                let has_text = !frame.text.trim().is_empty();
                let content = if frame.children.is_empty() {
                    Content::Text(frame.text)
                } else if has_text {
                    return Err(fail(format!("<{}> mixes text and elements", frame.node.name)));
                } else {
                    Content::Children(frame.children)
                };
                let node = Node { content, ..frame.node };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => {
                        let d = doc.as_mut().expect("root opened");
                        if let Content::Children(children) = node.content {
                            d.children = children;
                        }
                    }
                }
            }
            Event::Eof => break,
            // Comments and processing instructions are not metadata: Salesforce drops them too.
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(ParseError { line, message: "the file ends inside an element".into() });
    }
    doc.ok_or(ParseError { line, message: "no root element".into() })
}
