//! Is a file already canonical? Answered in one pass over its bytes, without a tree, without the
//! XML parser and without writing anything: the canonical text is a narrow subset of XML (one
//! declaration, markup on its own line at four spaces per level, values and attributes escaped one
//! way), so finding each `<` and `>` is enough to split it into markup and the gaps between, and
//! every piece must be the bytes the canonical writer (`fast`, the templates) writes for it. The
//! entries of each parent must already be in canonical order (`metadata::canonical`), checked as
//! each closes; only the open elements and the previous sibling's key are kept.
//!
//! The answer is one-sided: `true` only when reading the file, ordering it and writing it gives
//! back its exact bytes, and the reader would accept it (its parser's rules are restated where the
//! canonical text could meet them: comments, end names, depth, references); `false` means "not
//! proven" and stops at the first difference. Callers then read the file fully to learn whether it
//! is malformed or only out of order (`project::format::check`). Tests hold this to the writers on every
//! corpus file and on generated documents and edits of them (`tests/integration/fmt.rs`,
//! `check_properties`, `the_check_agrees_with_the_writer` below).

use std::borrow::Cow;
use std::cmp::Ordering;

use super::fast::{push_escaped, push_escaped_attr};
use crate::metadata::METADATA_NS;
use crate::metadata::canonical::{element_rank, group_keys, is_keyed_by_own_text};
use crate::metadata::read::{
    MAX_DEPTH, ascii_name_length, attribute_value, first_duplicate, forbidden_char, is_xml_name, text_value,
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

/// Whether `text` holds a byte the writer escapes, or a reference (`&`).
fn needs_escape(text: &str) -> bool {
    text.bytes().any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'' | b'\r'))
}

/// Where the next `<` at or after `at` is. Most gaps are a line break and indentation: walked
/// over directly; any other text is searched.
fn next_markup(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at;
    if bytes.get(i) == Some(&b'\n') {
        i += 1;
        while bytes.get(i) == Some(&b' ') {
            i += 1;
        }
    }
    // Values are mostly short: a plain loop first, then the vectorised search.
    let near = bytes.len().min(i + 64);
    match bytes[i.min(near)..near].iter().position(|b| *b == b'<') {
        Some(found) => Some(i + found),
        None => memchr::memchr(b'<', &bytes[near..]).map(|found| near + found),
    }
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

/// Whether the inside of a start tag (`name attr="v" …`) is what the writer writes for it, and its
/// name; `root`: the root, whose first attribute is the metadata namespace.
fn canonical_start<'a>(content: &'a str, root: bool, scratch: &mut String) -> Option<&'a str> {
    let (name, mut rest) = content.split_at(memchr::memchr(b' ', content.as_bytes()).unwrap_or(content.len()));
    if needs_escape(name) || !is_xml_name(name) {
        return None;
    }
    if rest.is_empty() {
        // No attributes: most elements.
        return (!root).then_some(name);
    }
    let mut keys = Vec::new();
    while !rest.is_empty() {
        // ` key="raw"`, nothing else between attributes.
        let (key, after) = rest.strip_prefix(' ')?.split_once("=\"")?;
        let (raw, after) = after.split_once('"')?;
        if needs_escape(key) || !is_xml_name(key) {
            return None;
        }
        let value = attribute_value(raw).ok()?;
        let first = keys.is_empty();
        if root && (first != (key == "xmlns") || first && value != METADATA_NS) {
            return None;
        }
        if !is_escaped_attr(raw, &value, scratch) {
            return None;
        }
        keys.push(key);
        rest = after;
    }
    (first_duplicate(keys).is_none()).then_some(name)
}

/// Whether `bytes` are exactly what reading, ordering and writing them would give; `root_ok` says
/// whether a root element name is acceptable for this file. `false` is "not proven", see above.
pub fn is_canonical(bytes: &[u8], root_ok: impl Fn(&str) -> bool) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else { return false };
    if !text.starts_with(DECLARATION) {
        return false;
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut root_seen = false;
    let mut scratch = String::new();
    let mut last_group = ("", None);
    // Where the gap before the next piece of markup starts.
    let mut at = DECLARATION.len();
    loop {
        let Some(open) = next_markup(bytes, at) else {
            // The reader refuses these anywhere in the file (`read::forbidden_char`): searched
            // last, so that a file found out of order early (to be read in full, which searches
            // again) is not searched twice.
            return root_seen && stack.is_empty() && &text[at..] == "\n" && forbidden_char(text).is_none();
        };
        // Text is judged as the gap before the next markup (or as a leaf's value at its end).
        let gap = &text[at..open];
        let depth = stack.len();
        let markup = &bytes[open + 1..];
        match markup.first() {
            Some(b'!') => {
                // Only comments: CDATA is written as text, a DOCTYPE is refused by the reader.
                if !markup.starts_with(b"!--") {
                    return false;
                }
                let Some(length) = memchr::memmem::find(&markup[3..], b"-->") else { return false };
                // As the reader's parser (quick-xml, `check_comments`): no `--` inside, no `-` last.
                let comment = &markup[3..3 + length];
                if memchr::memmem::find(comment, b"--").is_some() || comment.last() == Some(&b'-') {
                    return false;
                }
                // Inside the root: on its own line at the depth of the elements it goes with;
                // before the root: on its own line. After the root they would move before it.
                if root_seen && depth == 0 || !is_line_break(gap, depth) {
                    return false;
                }
                if let Some(parent) = stack.last_mut() {
                    parent.has_comments = true;
                }
                at = open + 4 + length + 3;
            }
            Some(b'/') => {
                // `</name>`: the end tag of the open element, nothing else.
                let Some(frame) = stack.pop() else { return false };
                let length = frame.name.len() + 1;
                if markup.get(1..length) != Some(frame.name.as_bytes()) || markup.get(length) != Some(&b'>') {
                    return false;
                }
                at = open + 2 + length;
                let value = if frame.has_children || stack.is_empty() {
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
                    if !needs_escape(gap) {
                        // No reference and nothing the writer escapes: the value is the text.
                        Some(Cow::Borrowed(gap))
                    } else {
                        let Ok(value) = text_value(gap) else { return false };
                        if !is_escaped(gap, &value, &mut scratch) {
                            return false;
                        }
                        Some(value)
                    }
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
            // The declaration comes first (checked above); processing instructions are dropped.
            Some(b'?') | None => return false,
            Some(_) => {
                if depth >= MAX_DEPTH || !is_line_break(gap, depth) {
                    return false;
                }
                // Most start tags are `<name>` with an ASCII name: no search, no attributes.
                let plain = ascii_name_length(markup);
                let (name, length) = if plain > 0 && markup.get(plain) == Some(&b'>') && depth > 0 {
                    (&text[open + 1..open + 1 + plain], plain)
                } else {
                    let Some(length) = memchr::memchr(b'>', markup) else { return false };
                    let content = &text[open + 1..open + 1 + length];
                    let Some(name) = canonical_start(content, depth == 0, &mut scratch) else { return false };
                    (name, length)
                };
                match stack.last_mut() {
                    Some(parent) => {
                        if !parent.has_children {
                            // Entries come in runs of one name: the last lookup is kept.
                            if last_group.0 != parent.name {
                                last_group = (parent.name, group_keys(parent.name));
                            }
                            parent.keys = last_group.1;
                        }
                        parent.has_children = true;
                    }
                    None if root_seen || !root_ok(name) => return false,
                    None => root_seen = true,
                }
                stack.push(Frame::new(name));
                at = open + 2 + length;
            }
        }
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
            // Comments as the reader's parser has them: `--` and a last `-` refused, `-->` ends one.
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <!---->\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <!--->x-->\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <!--a--->\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <!--a--b-->\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <!--a>b<c-->\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <!--a\n</PermissionSet>\n",
            // A `>` inside an attribute value does not end the tag for the parser.
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <a x=\"1>2\">v</a>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <a x=\"1&gt;2\">v</a>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <a x=\"1\"/>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <a>v</b>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <a>v</a\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <?pi x?>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    < a>v</a>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n   <a>x</a>\n</PermissionSet>\n",
            "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n\t<a>x</a>\n</PermissionSet>\n",
        ];
        let mut canonical = 0;
        for case in cases {
            let text = format!("{HEAD}{case}");
            assert_eq!(check(&text), full(&text), "{text}");
            canonical += usize::from(full(&text));
        }
        assert_eq!(canonical, 15, "the cases hold canonical files and near misses");
        assert!(!check(&format!("\u{feff}{HEAD}<a xmlns=\"{METADATA_NS}\">\n</a>\n")));
        assert!(!is_canonical(format!("{HEAD}<a xmlns=\"{METADATA_NS}\">\n</a>\n").as_bytes(), |r| r == "b"));
    }

    /// `check` on `entries` inside a permission set, asserted to agree with the full path.
    fn entries_canonical(entries: &[&str]) -> bool {
        let mut text = format!("{HEAD}<PermissionSet xmlns=\"{METADATA_NS}\">\n");
        for entry in entries {
            text.push_str(entry);
        }
        text.push_str("</PermissionSet>\n");
        let answer = check(&text);
        assert_eq!(answer, full(&text), "{text}");
        answer
    }

    /// An entry's key is the text of its first child named like the key (`userPermissions` →
    /// `name`), whatever comes before it or after; an entry without that child has no key and keeps
    /// its place among its siblings.
    #[test]
    fn an_entry_is_keyed_by_its_first_child_named_like_the_key() {
        let user = |children: &str| format!("    <userPermissions>\n{children}    </userPermissions>\n");
        let enabled = |value: &str| format!("        <enabled>{value}</enabled>\n");
        let name = |value: &str| format!("        <name>{value}</name>\n");
        let [no_key_true, no_key_false] = [user(&enabled("true")), user(&enabled("false"))];
        assert!(entries_canonical(&[&no_key_true, &no_key_false]));
        assert!(entries_canonical(&[&no_key_false, &no_key_true]));
        let a_then_z = user(&format!("{}{}{}", enabled("true"), name("A"), name("Z")));
        let b_then_a = user(&format!("{}{}{}", enabled("true"), name("B"), name("A")));
        assert!(entries_canonical(&[&a_then_z, &b_then_a]));
        assert!(!entries_canonical(&[&b_then_a, &a_then_z]));
    }

    /// The second key (`layoutAssignments` → `recordType`) is read the same way: an assignment
    /// without a record type comes before those of the same layout that have one, whatever the
    /// layout's name.
    #[test]
    fn an_entry_without_its_second_key_comes_first_among_equal_first_keys() {
        let assignment = |children: &str| format!("    <layoutAssignments>\n{children}    </layoutAssignments>\n");
        let layout = "        <layout>Z-Layout</layout>\n";
        let default = assignment(layout);
        let for_type = assignment(&format!("{layout}        <recordType>A.Type</recordType>\n"));
        assert!(entries_canonical(&[&default, &for_type]));
        assert!(!entries_canonical(&[&for_type, &default]));
    }

    /// Four inputs the earlier tests never gave, each answered as the full path answers it: a
    /// value longer than the plain loop's 64 bytes (found by the vectorised search), a character
    /// reference where the writer writes the character, two entries with the same key, and a tag
    /// with no name.
    #[test]
    fn long_values_references_repeated_keys_and_nameless_tags_are_judged_as_the_writer_would() {
        let long = format!("    <label>{}</label>\n", "a".repeat(100));
        assert!(entries_canonical(&[&long]));
        assert!(!entries_canonical(&["    <label>&#65;</label>\n"]));
        let user = "    <userPermissions>\n        <enabled>true</enabled>\n        <name>ApiEnabled</name>\n    </userPermissions>\n";
        assert!(entries_canonical(&[user]));
        assert!(!check(&format!("{HEAD}<PermissionSet xmlns=\"{METADATA_NS}\">\n{user}{user}</PermissionSet>\n")));
        assert!(!entries_canonical(&["    <>x</>\n"]));
    }
}
