//! Is a file already canonical? Answered from the parser's events as they stream by, without a
//! tree and without writing anything: every piece of markup and every gap between two pieces must
//! be the bytes the canonical writer (`fast`, the templates) writes for it, and the entries of each
//! parent must already be in canonical order (`metadata::canonical`), checked as each closes.
//!
//! The answer is one-sided: `true` only when reading the file, ordering it and writing it gives
//! back its exact bytes, and the reader would accept it; `false` means "not proven" and stops at
//! the first difference. Callers then read the file fully to learn whether it is malformed or only
//! out of order (`project::format::check`). Tests hold this to the writers on every corpus file and on
//! generated documents (`tests/integration/fmt.rs`, `the_check_agrees_with_the_writer` below).

use std::borrow::Cow;
use std::cmp::Ordering;

use quick_xml::events::{BytesStart, Event};

use super::fast::{push_escaped, push_escaped_attr};
use crate::metadata::METADATA_NS;
use crate::metadata::canonical::{element_rank, group_keys, is_keyed_by_own_text};
use crate::metadata::read::{
    MAX_DEPTH, attribute_value, first_duplicate, forbidden_char, is_xml_name, text_value, xml_reader,
};

/// The first line of every canonical file.
const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

/// Where an element sorts among its siblings: `canonical::sort_siblings`'s key.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct SortKey<'a> {
    rank: (usize, &'a str),
    key: Option<Cow<'a, str>>,
    then: Option<Cow<'a, str>>,
}

/// An open element.
struct Frame<'a> {
    name: &'a str,
    has_children: bool,
    has_comments: bool,
    /// The group's key children, when it is a group with a key (`canonical::group_keys`), looked
    /// up when its first child opens (most elements are leaves: no lookup for them).
    keys: Option<(&'static str, Option<&'static str>)>,
    /// The text of the first child named like the key (`None` inside: that child has children).
    key: Option<Option<Cow<'a, str>>>,
    then: Option<Option<Cow<'a, str>>>,
    /// The sort key of the previous child element.
    previous: Option<SortKey<'a>>,
}

impl<'a> Frame<'a> {
    fn new(name: &'a str) -> Frame<'a> {
        Frame { name, has_children: false, has_comments: false, keys: None, key: None, then: None, previous: None }
    }

    /// Notes a closed child: its text if it is the first child named like a key.
    fn child_closed(&mut self, name: &str, text: Option<&Cow<'a, str>>) {
        let Some((key, then)) = self.keys else { return };
        if key == name && self.key.is_none() {
            self.key = Some(text.cloned());
        }
        if then == Some(name) && self.then.is_none() {
            self.then = Some(text.cloned());
        }
    }

    /// This element's sort key, once it is closed (`text`: its value, for a leaf).
    fn sort_key(self, text: Option<Cow<'a, str>>) -> SortKey<'a> {
        let own = |key: &str, child: Option<Option<Cow<'a, str>>>| {
            if key == "." { text.clone() } else { child.flatten() }
        };
        // A leaf has a key only in a group keyed by its own text (package.xml `members`).
        let keys = match text {
            Some(_) if is_keyed_by_own_text(self.name) => group_keys(self.name),
            Some(_) => None,
            None => self.keys,
        };
        let (key, then) = match keys {
            Some((key, then)) => (own(key, self.key), then.and_then(|t| own(t, self.then))),
            None => (None, None),
        };
        SortKey { rank: element_rank(self.name), key, then }
    }
}

/// Whether `gap` (the text between two pieces of markup) is a line end and `depth` indents.
fn is_line_break(gap: &str, depth: usize) -> bool {
    gap.len() == 1 + 4 * depth && gap.starts_with('\n') && gap.bytes().skip(1).all(|b| b == b' ')
}

fn needs_escape(text: &str) -> bool {
    text.bytes().any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'' | b'\r'))
}

/// Whether `raw` is the text `value` as the writer escapes it.
fn is_escaped(raw: &str, value: &str, scratch: &mut String) -> bool {
    if !needs_escape(value) {
        return raw == value;
    }
    scratch.clear();
    push_escaped(scratch, value);
    raw == scratch
}

/// Whether `raw` is the attribute value `value` as the writer escapes it (tab and LF too).
fn is_escaped_attr(raw: &str, value: &str, scratch: &mut String) -> bool {
    if !needs_escape(value) && !value.contains(['\t', '\n']) {
        return raw == value;
    }
    scratch.clear();
    push_escaped_attr(scratch, value);
    raw == scratch
}

/// Whether the inside of a start tag (`name attr="v" …`) is what the writer writes for it;
/// `root`: the root, whose first attribute is the metadata namespace.
fn is_canonical_start(start: &BytesStart, content: &str, root: bool, scratch: &mut String) -> bool {
    let name = &content[..start.name().as_ref().len()];
    if needs_escape(name) || !is_xml_name(name) {
        return false;
    }
    if content.len() == name.len() {
        // No attributes: most elements.
        return !root;
    }
    let mut rest = &content[name.len()..];
    let mut keys = Vec::new();
    for (index, attr) in start.attributes().with_checks(false).enumerate() {
        let Ok(attr) = attr else { return false };
        let Ok(key) = std::str::from_utf8(attr.key.into_inner()) else { return false };
        let Ok(raw) = std::str::from_utf8(&attr.value) else { return false };
        let Ok(value) = attribute_value(&attr) else { return false };
        if root && (index == 0) != (key == "xmlns") || (index == 0 && root && value != METADATA_NS) {
            return false;
        }
        // ` key="raw"`, nothing else between attributes.
        let Some(after) = rest.strip_prefix(' ').and_then(|r| r.strip_prefix(key)).and_then(|r| r.strip_prefix("=\""))
        else {
            return false;
        };
        let Some(after) = after.strip_prefix(raw).and_then(|r| r.strip_prefix('"')) else { return false };
        if needs_escape(key) || !is_xml_name(key) || !is_escaped_attr(raw, &value, scratch) {
            return false;
        }
        rest = after;
        keys.push(key);
    }
    rest.is_empty() && (!root || !keys.is_empty()) && first_duplicate(keys).is_none()
}

/// Whether `bytes` are exactly what reading, ordering and writing them would give; `root_ok` says
/// whether a root element name is acceptable for this file. `false` is "not proven", see above.
pub fn is_canonical(bytes: &[u8], root_ok: impl Fn(&str) -> bool) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else { return false };
    // The reader refuses these anywhere in the file (`read::forbidden_char`).
    if !text.starts_with(DECLARATION) || forbidden_char(text).is_some() {
        return false;
    }
    let mut reader = xml_reader(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root_seen = false;
    // The end of the last piece of markup: the text since then is the gap before the next one.
    let mut last_end = 0usize;
    let mut scratch = String::new();
    let position = |reader: &quick_xml::Reader<&[u8]>| usize::try_from(reader.buffer_position()).ok();
    loop {
        let Some(start) = position(&reader) else { return false };
        let Ok(event) = reader.read_event() else { return false };
        let Some(end) = position(&reader) else { return false };
        let (Some(gap), Some(span)) = (text.get(last_end..start), text.get(start..end)) else { return false };
        let depth = stack.len();
        match event {
            // Text is judged as the gap before the next markup (or as a leaf's value at its end).
            Event::Text(_) => continue,
            Event::Decl(_) => {
                if start != 0 || span != DECLARATION {
                    return false;
                }
            }
            Event::Comment(_) => {
                // Inside the root: on its own line at the depth of the elements it goes with;
                // before the root: on its own line. After the root they would move before it.
                if root_seen && depth == 0 || !is_line_break(gap, depth) {
                    return false;
                }
                if let Some(parent) = stack.last_mut() {
                    parent.has_comments = true;
                }
            }
            Event::Start(ref element) => {
                if depth >= MAX_DEPTH {
                    return false;
                }
                let content = &span[1..span.len() - 1];
                if !is_line_break(gap, depth) || !is_canonical_start(element, content, depth == 0, &mut scratch) {
                    return false;
                }
                let name = &content[..element.name().as_ref().len()];
                match stack.last_mut() {
                    Some(parent) => {
                        if !parent.has_children {
                            parent.keys = group_keys(parent.name);
                        }
                        parent.has_children = true;
                    }
                    None if root_seen || !root_ok(name) => return false,
                    None => root_seen = true,
                }
                stack.push(Frame::new(name));
            }
            Event::End(_) => {
                let Some(frame) = stack.pop() else { return false };
                if span.len() != frame.name.len() + 3 {
                    return false;
                }
                let is_root = stack.is_empty();
                let value = if frame.has_children || is_root {
                    // The root is written with its line break even when it has no children.
                    if !is_line_break(gap, depth - 1) {
                        return false;
                    }
                    None
                } else {
                    // A leaf: comments inside it would move before it.
                    if frame.has_comments {
                        return false;
                    }
                    let Ok(value) = text_value(gap) else { return false };
                    if !is_escaped(gap, &value, &mut scratch) {
                        return false;
                    }
                    Some(value)
                };
                if let Some(parent) = stack.last_mut() {
                    parent.child_closed(frame.name, value.as_ref());
                    let key = frame.sort_key(value);
                    // Out of order, or a second entry with the same key (which the reader refuses):
                    // not proven canonical. Entries without a key keep their order (the sort is stable).
                    if let Some(previous) = &parent.previous {
                        match previous.cmp(&key) {
                            Ordering::Less => {}
                            Ordering::Equal if key.key.is_none() => {}
                            _ => return false,
                        }
                    }
                    parent.previous = Some(key);
                }
            }
            Event::Eof => return root_seen && stack.is_empty() && gap == "\n",
            // Written differently (`<a></a>`, text), or not at all (DOCTYPE, processing instructions).
            Event::Empty(_) | Event::CData(_) | Event::DocType(_) | Event::PI(_) => return false,
        }
        last_end = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::render_fast;
    use crate::metadata::read::parse;

    /// What the full path says: read, order, write, compare.
    fn full(text: &str) -> bool {
        parse(text).is_ok_and(|doc| render_fast(&doc) == text)
    }

    fn check(text: &str) -> bool {
        is_canonical(text.as_bytes(), |_| true)
    }

    const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

    #[test]
    fn the_check_agrees_with_the_writer() {
        let cases = [
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>A &amp; B</label>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>A & B</label>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>it's</label>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>it&apos;s</label>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label/>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label></label>\n</PermissionSet>\n",
            // A CR before a LF in a value is kept as a retrieve writes it; a lone one is written `&#13;`.
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>a\r\nb</label>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>a&#13;b</label>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>a\rb</label>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label a=\"x&#10;y\">b</label>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label a=\"x\ny\">b</label>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>a&#1;b</label>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>a\u{1}b</label>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <a=b>x</a=b>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label >x</label >\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>x</label>\n</PermissionSet>",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>x</label>\n</PermissionSet>\n\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>x</label>\n</PermissionSet>\n<!-- after -->\n",
            "<!-- before -->\n<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <!-- tail -->\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\" xmlns:xsi=\"x\">\n    <a x=\"1\" y=\"&quot;\">v</a>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\" xmlns:xsi=\"x\">\n    <a x='1'>v</a>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <a x=\"1\" x=\"2\">v</a>\n</PermissionSet>\n",
            "<PermissionSet xmlns:xsi=\"x\" xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://example.com\">\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <userPermissions>\n        <enabled>true</enabled>\n        <name>B</name>\n    </userPermissions>\n    <userPermissions>\n        <enabled>true</enabled>\n        <name>A</name>\n    </userPermissions>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <userPermissions>\n        <enabled>true</enabled>\n        <name>A</name>\n    </userPermissions>\n    <userPermissions>\n        <enabled>true</enabled>\n        <name>B</name>\n    </userPermissions>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>x</label>\n    <fullName>x</fullName>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <a>\n        <!-- c -->\n        <b>x</b>\n        <!-- t -->\n    </a>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <a>\n        <!-- c -->\n    </a>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <a><!-- c -->x</a>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <a>\n        <b>x</b>\n    y</a>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <a><![CDATA[x]]></a>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <a>&e;</a>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n   <a>x</a>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n\t<a>x</a>\n</PermissionSet>\n",
        ];
        let mut canonical = 0;
        for case in cases {
            let text = format!("{HEAD}{case}");
            assert_eq!(check(&text), full(&text), "{text}");
            canonical += usize::from(full(&text));
        }
        assert_eq!(canonical, 11, "the cases hold canonical files and near misses");
        assert!(!check(&format!("\u{feff}{HEAD}<a xmlns=\"{METADATA_NS}\">\n</a>\n")));
        assert!(!is_canonical(format!("{HEAD}<a xmlns=\"{METADATA_NS}\">\n</a>\n").as_bytes(), |r| r == "b"));
    }
}
