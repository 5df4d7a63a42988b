//! Reads a metadata XML file into a `Document` with quick-xml, keeping every element, attribute,
//! value and comment (ones sfperms never writes and ones newer than it knows included), so that a
//! read and a write lose nothing. Values stay verbatim (a `False` stays `False`). Line ends follow
//! what a retrieve is (docs/design.md, "Carriage returns"): a file whose line ends are all CRLF,
//! or all CR, is read as if they were LF; in any other file a CR inside a value is data and kept.
//!
//! Refuses what a retrieve never holds and a parser should not trust: bytes that are not UTF-8
//! (UTF-16 named as such, BOM or not), a DOCTYPE (and so entity definitions: only the five
//! predefined entities and character references are read), any character XML 1.0 forbids (raw or
//! as a reference such as `&#1;`), anything before the XML declaration, nesting deeper than
//! `MAX_DEPTH`, mixed text and elements, two entries with the same key (both lines named), a root
//! outside the metadata namespace. Which root a file should have is the caller's business
//! (`source`). The reader keeps its own stack: nothing recurses on the input's structure. This
//! module does no I/O.
//!
//! One reader builds both trees (`Document<S>`): an owned one (`parse`, `parse_bytes`), or one
//! that borrows every name, value and comment from the file's text (`prepare`, then
//! `Prepared::parse`), which allocates only where an entity was replaced or a value came in
//! pieces.

use std::borrow::Cow;
use std::collections::HashSet;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::canonical::entry_key;
use super::document::{Borrowed, Content, Document, METADATA_NS, Node};

/// How deep elements may nest, the root counting as 1. PermissionSet, Profile and package.xml
/// nest 3 deep (root, entry, value); the rest is room for elements newer than sfperms.
pub const MAX_DEPTH: usize = 12;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

struct Frame<'a, S> {
    node: Node<S>,
    /// Where its children begin in `Children` (while it is open they are the last ones there).
    first: usize,
    /// The element's text so far (borrowed unless it came in pieces or held an entity).
    text: Cow<'a, str>,
    /// Where the element starts (a byte offset: lines are counted only for a message).
    start: usize,
    /// The keyed entries among its children so far: the hashes of their names and keys (made on
    /// the first one).
    entries: Option<HashSet<u64, BuildHasherDefault<Prehashed>>>,
    /// Whether text other than white space came after a child.
    mixed: bool,
}

/// The children of every open element read so far, each element's after its parent's (an open
/// element's children are the last ones). One pair of vectors for the whole file: an element
/// costs no allocation while it is read, and one of its children's exact number when it closes.
struct Children<S> {
    nodes: Vec<Node<S>>,
    /// Where each child starts (a byte offset).
    starts: Vec<usize>,
}

impl<S> Children<S> {
    fn new() -> Children<S> {
        Children { nodes: Vec::new(), starts: Vec::new() }
    }

    /// The children from `first` on, taken out (their element closes): moved into a vector of
    /// their number, or, when they are all there is, the vector itself.
    fn take_from(&mut self, first: usize) -> Vec<Node<S>> {
        self.starts.truncate(first);
        match first {
            0 => std::mem::take(&mut self.nodes),
            _ => self.nodes.split_off(first),
        }
    }
}

impl<'a, S: AsRef<str>> Frame<'a, S> {
    fn new(node: Node<S>, start: usize, children: &Children<S>) -> Frame<'a, S> {
        Frame { node, first: children.nodes.len(), text: Cow::Borrowed(""), start, entries: None, mixed: false }
    }

    /// Adds a closed child that starts at `start` in `text`, refusing a second entry with the key of an
    /// earlier sibling (the same field twice, a package.xml member twice): which one Salesforce
    /// keeps is not documented, and `gen`, `diff` and `fmt` must not each pick another. Entries
    /// are found by a hash of their name and keys (random per run: no input makes them collide
    /// on purpose); nothing is copied.
    fn push_child(
        &mut self,
        children: &mut Children<S>,
        node: Node<S>,
        start: usize,
        text: &str,
        hashes: &impl BuildHasher,
    ) -> Result<(), ParseError> {
        if let (Some(key), then) = entry_key(&node) {
            let same = |other: &Node<S>| other.name() == node.name() && entry_key(other) == (Some(key), then);
            let hash = hashes.hash_one((node.name(), key, then));
            // A hash seen before: the same entry again (an error), or, rarely, two entries whose
            // hashes collide; either way every earlier sibling is compared.
            let earlier = if self.entries.get_or_insert_with(HashSet::default).insert(hash) {
                None
            } else {
                children.nodes[self.first..].iter().position(same)
            };
            if let Some(first) = earlier {
                return Err(twice(text, node.name(), (key, then), children.starts[self.first + first], start));
            }
        }
        children.nodes.push(node);
        children.starts.push(start);
        Ok(())
    }
}

/// The error for a second entry of group `name` with the keys of an earlier sibling: the entry at
/// byte offset `start` of `text` repeats the one at `first`.
pub(crate) fn twice(
    text: &str,
    name: &str,
    (key, then): (&str, Option<&str>),
    first: usize,
    start: usize,
) -> ParseError {
    let (first, line) = (line_of(text, first), line_of(text, start));
    let then = then.map(|t| format!(" / `{t}`")).unwrap_or_default();
    ParseError {
        line,
        message: format!(
            "<{name}> for `{key}`{then} appears twice, at lines {first} and {line}: keep one (which one Salesforce would use is not documented)"
        ),
    }
}

/// A hasher for keys that are already hashes.
#[derive(Default)]
pub(crate) struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_u64(&mut self, hash: u64) {
        self.0 = hash;
    }
}

/// An element without attributes, comments or content yet.
fn element<'a, S: From<Cow<'a, str>>>(name: Cow<'a, str>) -> Node<S> {
    Node {
        name: S::from(name),
        attrs: Vec::new(),
        comments: Vec::new(),
        content: Content::Text(S::from(Cow::Borrowed(""))),
        tail: Vec::new(),
    }
}

/// Appends a piece of an element's text (a value may come in pieces around a comment or CDATA).
pub(crate) fn push_text<'a>(text: &mut Cow<'a, str>, piece: Cow<'a, str>) {
    if text.is_empty() {
        *text = piece;
    } else {
        text.to_mut().push_str(&piece);
    }
}

/// Is `c` a character XML 1.0 allows (production 2, `Char`)?
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Whether byte `b` may begin a character XML 1.0 forbids: a C0 control other than tab, LF and
/// CR, or EF (the lead byte of U+FFFE and U+FFFF, and of allowed characters too). Without
/// branches, so that a block of them is tested at once.
#[inline(always)]
fn may_begin_forbidden(b: u8) -> bool {
    (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r') | (b == 0xEF)
}

/// The first character XML 1.0 forbids in `text`, with its byte offset.
pub(crate) fn forbidden_char(text: &str) -> Option<(usize, char)> {
    // On bytes: C0 controls other than tab, LF, CR, and U+FFFE/U+FFFF (EF BF BE/BF). Blocks of 64
    // bytes are first tested without branches (the compiler vectorises it); only a block holding a
    // byte that may begin one is looked at byte by byte.
    let bytes = text.as_bytes();
    let forbidden = |i: usize| {
        let b = bytes[i];
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
            || (b == 0xEF && bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)))
    };
    const BLOCK: usize = 64;
    let at = bytes.chunks(BLOCK).enumerate().find_map(|(block, chunk)| {
        if !chunk.iter().fold(false, |any, &b| any | may_begin_forbidden(b)) {
            return None;
        }
        // Only this block: the ones before it hold no forbidden character.
        let start = block * BLOCK;
        (start..start + chunk.len()).find(|&i| forbidden(i))
    })?;
    text[at..].chars().next().map(|c| (at, c))
}

/// Is `c` a `NameStartChar` of XML 1.0 (production 4)?
fn is_name_start_char(c: char) -> bool {
    matches!(c, ':' | 'A'..='Z' | '_' | 'a'..='z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}'
        | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}'
        | '\u{10000}'..='\u{EFFFF}')
}

/// The ASCII bytes of XML 1.0 names: 2 may start one (`NameStartChar`), 1 may follow (`NameChar`).
const ASCII_NAME: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    // Every byte, so that a loop bound off by one does not compile (bytes from 128 on are 0).
    while b < table.len() {
        table[b] = match b as u8 {
            b':' | b'A'..=b'Z' | b'_' | b'a'..=b'z' => 2,
            b'-' | b'.' | b'0'..=b'9' => 1,
            _ => 0,
        };
        b += 1;
    }
    table
};

/// How many bytes at the start of `bytes` are an ASCII XML name (0: none starts there).
pub(crate) fn ascii_name_length(bytes: &[u8]) -> usize {
    match bytes.first() {
        Some(b) if ASCII_NAME[usize::from(*b)] == 2 => {
            bytes.iter().take_while(|b| ASCII_NAME[usize::from(**b)] != 0).count()
        }
        _ => 0,
    }
}

/// Is `name` an XML 1.0 `Name` (production 5)? quick-xml takes whatever stands before the first
/// space as the name (`<a="b">` has the name `a="b"`), which no writer could write back.
pub(crate) fn is_xml_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    // Almost every name: the ASCII part of the productions, by table, in one pass (a byte outside
    // ASCII is 0 in the table, and sends the name to the full productions below).
    if bytes.first().is_some_and(|b| ASCII_NAME[usize::from(*b)] == 2)
        && bytes.iter().all(|b| ASCII_NAME[usize::from(*b)] != 0)
    {
        return true;
    }
    if bytes.is_ascii() {
        return false;
    }
    let mut chars = name.chars();
    chars.next().is_some_and(is_name_start_char)
        && chars.all(|c| {
            is_name_start_char(c)
                || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
        })
}

/// `bytes`, a slice of `text` as the parser hands them out, as that slice of `text`: found by
/// address (no second UTF-8 check; `None` when they are not part of `text` or split a character).
pub(crate) fn in_file<'t>(text: &'t str, bytes: &[u8]) -> Option<&'t str> {
    let offset = (bytes.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
    text.get(offset..offset.saturating_add(bytes.len())).filter(|slice| slice.as_ptr() == bytes.as_ptr())
}

/// Bytes the parser handed out (a name, a value, a comment) as text: borrowed from the file where
/// they are part of it, else checked and copied.
fn file_text<'a>(text: &'a str, bytes: &[u8], what: &str) -> Result<Cow<'a, str>, String> {
    match in_file(text, bytes) {
        Some(slice) => Ok(Cow::Borrowed(slice)),
        None => {
            std::str::from_utf8(bytes).map(|t| Cow::Owned(t.to_string())).map_err(|_| format!("{what} is not UTF-8"))
        }
    }
}

/// An element's name, checked.
fn element_name<'a>(text: &'a str, start: &BytesStart) -> Result<Cow<'a, str>, String> {
    let name = file_text(text, start.name().as_ref(), "an element name")?;
    check_name(&name)?;
    Ok(name)
}

fn check_name(name: &str) -> Result<(), String> {
    if is_xml_name(name) {
        Ok(())
    } else {
        Err(format!("`{name}` is not an XML name (a letter first; letters, digits, `-`, `.`, `_`, `:`)"))
    }
}

fn forbidden_message(c: char) -> String {
    format!("character U+{:04X} is not allowed in XML 1.0 (raw or as a character reference): remove it", c as u32)
}

fn attrs<'a, S: From<Cow<'a, str>> + AsRef<str>>(text: &'a str, start: &BytesStart) -> Result<Vec<(S, S)>, String> {
    let mut out: Vec<(S, S)> = Vec::new();
    // Almost every element has none (the name runs to the `>`).
    if start.attributes_raw().is_empty() {
        return Ok(out);
    }
    // quick-xml's own duplicate check compares every attribute with every earlier one (quadratic);
    // `first_duplicate` sorts instead.
    for attr in start.attributes().with_checks(false) {
        let attr = attr.map_err(|e| format!("bad attribute: {e}"))?;
        let key = file_text(text, attr.key.as_ref(), "an attribute name")?;
        check_name(&key)?;
        let value = attribute(text, &attr.value)?;
        out.push((S::from(key), S::from(value)));
    }
    if let Some(key) = first_duplicate(out.iter().map(|(k, _)| k.as_ref()).collect()) {
        return Err(format!("the attribute `{key}` is given twice"));
    }
    Ok(out)
}

/// The value of an attribute, its entities replaced. XML 1.0 §3.3.3: a raw tab, CR or LF in it is
/// read as a space (CRLF as one); only references keep them. A character XML forbids is refused.
fn attribute<'a>(text: &'a str, raw: &[u8]) -> Result<Cow<'a, str>, String> {
    match file_text(text, raw, "an attribute value")? {
        Cow::Borrowed(raw) => attribute_value(raw),
        Cow::Owned(raw) => attribute_value(&raw).map(|v| Cow::Owned(v.into_owned())),
    }
}

/// The value of an attribute from its text between the quotes (`raw`), as `attribute` reads it.
pub(crate) fn attribute_value(raw: &str) -> Result<Cow<'_, str>, String> {
    let value = if raw.contains(['\t', '\n', '\r']) {
        let normalized = raw.replace("\r\n", " ").replace(['\t', '\n', '\r'], " ");
        let value = quick_xml::escape::unescape(&normalized).map(|v| Cow::Owned(v.into_owned()));
        value.map_err(|e| format!("bad attribute value: {e}"))?
    } else {
        quick_xml::escape::unescape(raw).map_err(|e| format!("bad attribute value: {e}"))?
    };
    if let Some(c) = value.chars().find(|c| !is_xml_char(*c)) {
        return Err(forbidden_message(c));
    }
    Ok(value)
}

/// A key that occurs twice among `keys`, in O(n log n).
pub(crate) fn first_duplicate(mut keys: Vec<&str>) -> Option<&str> {
    if keys.len() < 2 {
        return None;
    }
    keys.sort_unstable();
    keys.windows(2).find(|w| w[0] == w[1]).map(|w| w[0])
}

/// A text node's value, entities replaced (borrowed when there are none). Line ends were settled
/// for the whole file (`line_ends_as_lf`); a character reference to a character XML forbids
/// (`&#1;`) is refused.
pub(crate) fn text_value(raw: &str) -> Result<Cow<'_, str>, String> {
    // Almost every value has no reference: it is its own text (what `unescape` would return).
    if !has_byte(raw.as_bytes(), b'&') {
        return Ok(Cow::Borrowed(raw));
    }
    let value = quick_xml::escape::unescape(raw)
        .map_err(|e| format!("bad text: {e} (only &amp; &lt; &gt; &quot; &apos; and &#…; are allowed)"))?;
    if raw.contains("&#")
        && let Some(c) = value.chars().find(|c| !is_xml_char(*c))
    {
        return Err(forbidden_message(c));
    }
    Ok(value)
}

/// Whether `bytes` holds `byte`: short texts (most values, and the line break and indentation
/// between elements) in one pass without branches, longer ones by `memchr` (which costs more to
/// start).
fn has_byte(bytes: &[u8], byte: u8) -> bool {
    if bytes.len() <= 64 {
        bytes.iter().fold(false, |any, &b| any | (b == byte))
    } else {
        memchr::memchr(byte, bytes).is_some()
    }
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

/// How a file ends its lines: LF (CRs are then data, kept in values), or CRLF or CR throughout
/// (read as LF).
fn line_ends_as_lf(text: &str) -> Cow<'_, str> {
    // `memchr` (vectorised) rather than `str::contains`, which reads a word at a time.
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return text.into();
    }
    if has_lone_lf(text.as_bytes()) {
        text.into()
    } else if text.contains('\n') {
        without_cr_before_lf(text).into()
    } else {
        text.replace('\r', "\n").into()
    }
}

/// `text` with each CR that comes before a LF left out: the lines found by `memchr`, each copied
/// whole (`str::replace` searches for the pair one position at a time).
fn without_cr_before_lf(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(lf) = memchr::memchr(b'\n', rest.as_bytes()) {
        let (line, after) = rest.split_at(lf + 1);
        match line.strip_suffix("\r\n") {
            Some(body) => {
                out.push_str(body);
                out.push('\n');
            }
            None => out.push_str(line),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Whether a LF in `bytes` does not follow a CR. Blocks of 64 byte pairs are tested without
/// branches (the compiler vectorises it).
fn has_lone_lf(bytes: &[u8]) -> bool {
    const BLOCK: usize = 64;
    let Some((&first, _)) = bytes.split_first() else { return false };
    first == b'\n'
        || bytes[1..].chunks(BLOCK).zip(bytes.chunks(BLOCK)).any(|(next, previous)| {
            next.iter().zip(previous).fold(false, |any, (&b, &before)| any | ((b == b'\n') & (before != b'\r')))
        })
}

/// Whether `text` is white space only (as `str::trim` sees it).
fn is_white_space(text: &str) -> bool {
    text.bytes().all(|b| matches!(b, b' ' | b'\n' | b'\t' | b'\r')) || text.trim().is_empty()
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
    build(&prepare(bytes)?.text, namespace)
}

/// Parses `text` (already decoded from UTF-8; a BOM is skipped).
pub fn parse(text: &str) -> Result<Document, ParseError> {
    parse_with(text, Namespace::Required)
}

/// `parse` with a namespace rule.
pub fn parse_with(text: &str, namespace: Namespace) -> Result<Document, ParseError> {
    build(&prepare_text(text).text, namespace)
}

/// A file's text as the reader reads it: UTF-8, without a BOM, line ends settled (a copy only
/// when a CRLF or CR file had to be read as LF). The tree `parse` gives borrows from it.
pub struct Prepared<'a> {
    text: Cow<'a, str>,
}

impl<'a> Prepared<'a> {
    /// The file read into a tree that borrows from this text.
    pub fn parse(&self, namespace: Namespace) -> Result<Borrowed<'_>, ParseError> {
        build(&self.text, namespace)
    }

    /// The text the tree is read from.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text, copied only if it had to be (see `Prepared`).
    pub fn into_text(self) -> Cow<'a, str> {
        self.text
    }

    /// Whether the text is the file's bytes as they are (no BOM skipped, no line end changed).
    pub fn is_verbatim(&self, bytes: &[u8]) -> bool {
        std::ptr::eq(self.text.as_ptr(), bytes.as_ptr()) && self.text.len() == bytes.len()
    }
}

/// The bytes of a file, ready to be read: UTF-8 (with or without a BOM) only.
pub fn prepare(bytes: &[u8]) -> Result<Prepared<'_>, ParseError> {
    // UTF-16 with a BOM, or without one: `<` is then 3C 00 (little-endian) or 00 3C (big-endian).
    let utf16 = [[0xFF, 0xFE], [0xFE, 0xFF], [0x3C, 0x00], [0x00, 0x3C]].iter().any(|m| bytes.starts_with(m));
    if utf16 {
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
    Ok(prepare_text(text))
}

/// `text`, already decoded from UTF-8, ready to be read.
pub fn prepare_text(text: &str) -> Prepared<'_> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Prepared { text: line_ends_as_lf(text) }
}

/// The events of a prepared text with every check that does not depend on what is built from
/// them: the characters of the whole text, well-formed XML, the declaration first and declaring
/// UTF-8, no DOCTYPE, nesting at most `MAX_DEPTH` deep. The tree (`build`) and the entry reader
/// (`entries`) both read through it, so both refuse the same files with the same messages.
pub(crate) struct Events<'a> {
    reader: Reader<&'a [u8]>,
    text: &'a str,
    /// Where in `text` the reader started (0, or a stretch's start: `continuing`).
    offset: usize,
}

impl<'a> Events<'a> {
    /// Starts reading `text` (prepared: no BOM, line ends settled), refusing a character XML
    /// forbids anywhere in it.
    pub(crate) fn new(text: &'a str) -> Result<Events<'a>, ParseError> {
        if let Some((at, c)) = forbidden_char(text) {
            return Err(ParseError { line: line_of(text, at), message: forbidden_message(c) });
        }
        Ok(Events { reader: xml_reader(text), text, offset: 0 })
    }

    /// Reads `text` from `offset` on (0, or where a start tag below the root begins): one stretch
    /// of a file read in several at once (`entries`). Unlike `new` it leaves the characters to the
    /// caller, and gives an end tag whose start it did not read (the root's, in a later stretch)
    /// for the caller to compare; the other checks are `new`'s.
    pub(crate) fn continuing(text: &'a str, offset: usize) -> Events<'a> {
        let mut reader = xml_reader(&text[offset..]);
        reader.config_mut().allow_unmatched_ends = true;
        Events { reader, text, offset }
    }

    /// The next event and the byte offset it starts at; `depth`: how many elements are open.
    #[inline]
    pub(crate) fn next(&mut self, depth: usize) -> Result<(usize, Event<'a>), ParseError> {
        let text = self.text;
        let read = usize::try_from(self.reader.buffer_position()).unwrap_or(usize::MAX);
        let position = read.saturating_add(self.offset).min(text.len());
        let fail = |message: String| ParseError { line: line_of(text, position), message };
        let event = match self.reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                let at = usize::try_from(self.reader.error_position()).map_or(position, |at| at + self.offset);
                return Err(ParseError { line: line_of(text, at), message: format!("malformed XML: {e}") });
            }
        };
        // Anything read before it (even a space) moved the position.
        if matches!(event, Event::Decl(_)) && position > 0 {
            return Err(fail(
                "the XML declaration must come first in the file, before anything else (even spaces or a comment)"
                    .into(),
            ));
        }
        if matches!(event, Event::Start(_)) && depth >= MAX_DEPTH {
            return Err(fail(format!(
                "elements nest more than {MAX_DEPTH} deep; permission sets and profiles nest 3 deep: is it a metadata file?"
            )));
        }
        match &event {
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
            _ => {}
        }
        Ok((position, event))
    }

    /// An error at byte offset `position` (its line counted now: only a message needs one).
    pub(crate) fn error(&self, position: usize, message: String) -> ParseError {
        ParseError { line: line_of(self.text, position), message }
    }

    /// The error for a file that ends inside an element, or holds none.
    pub(crate) fn unfinished(&self, root_read: bool) -> ParseError {
        let message = if root_read { "the file ends inside an element" } else { "no root element" };
        self.error(self.text.len(), message.into())
    }
}

/// The root element: its name, its attributes other than the default namespace, and whether it is
/// in the metadata namespace. A root outside it is refused (unless `namespace` allows none at
/// all).
pub(crate) struct Root<'a, S> {
    pub name: Cow<'a, str>,
    pub attrs: Vec<(S, S)>,
    pub in_metadata_namespace: bool,
}

impl<'a, S: From<Cow<'a, str>> + AsRef<str>> Root<'a, S> {
    pub(crate) fn read(text: &'a str, start: &BytesStart, namespace: Namespace) -> Result<Root<'a, S>, String> {
        let name = element_name(text, start)?;
        let all: Vec<(S, S)> = attrs(text, start)?;
        let is_namespace = |(k, _): &&(S, S)| k.as_ref() == "xmlns";
        let in_namespace = all.iter().filter(is_namespace).any(|(_, v)| v.as_ref() == METADATA_NS);
        let no_namespace = !all.iter().any(|attr| is_namespace(&attr));
        let accepted = in_namespace || (namespace == Namespace::Optional && no_namespace);
        if !accepted {
            return Err(format!("the root <{name}> is not in the metadata namespace `{METADATA_NS}`"));
        }
        let attrs = all.into_iter().filter(|(k, _)| k.as_ref() != "xmlns").collect();
        Ok(Root { name, attrs, in_metadata_namespace: in_namespace })
    }
}

/// The message for a second root element.
pub(crate) const SECOND_ROOT: &str = "a second root element: a metadata file holds one";

/// The value of a text event, entities replaced; `None` for white space between elements (which
/// is kept nowhere). `outside`: whether it stands outside the root, where only white space may.
pub(crate) fn text_event<'a>(text: &'a str, raw: &[u8], outside: bool) -> Result<Cow<'a, str>, String> {
    let raw = in_file(text, raw).ok_or_else(|| "text is not UTF-8".to_string())?;
    // Borrowed unless there is something to unescape: no allocation per text node.
    let value = text_value(raw)?;
    if outside && !is_white_space(&value) {
        return Err("text outside the root element".into());
    }
    Ok(value)
}

/// The text of a CDATA section (refused outside the root).
pub(crate) fn cdata_event<'a>(text: &'a str, raw: &[u8], outside: bool) -> Result<Cow<'a, str>, String> {
    if outside {
        return Err("CDATA outside the root element".into());
    }
    file_text(text, raw, "CDATA")
}

/// The text of a comment.
pub(crate) fn comment_event<'a>(text: &'a str, raw: &[u8]) -> Result<Cow<'a, str>, String> {
    file_text(text, raw, "a comment")
}

/// An element's attributes (name, value), in file order.
pub(crate) type Attrs<S> = Vec<(S, S)>;

/// The name and attributes of an element below the root, checked.
pub(crate) fn element_start<'a, S: From<Cow<'a, str>> + AsRef<str>>(
    text: &'a str,
    start: &BytesStart,
) -> Result<(Cow<'a, str>, Attrs<S>), String> {
    Ok((element_name(text, start)?, attrs(text, start)?))
}

/// The last few element names found valid while a file is read: a file repeats a handful of
/// names (`fieldPermissions`, `editable`, `field`, …), and a name among them is not checked again.
#[derive(Default)]
pub(crate) struct CheckedNames<'a> {
    names: [&'a str; 6],
}

impl<'a> CheckedNames<'a> {
    /// `element_start`, skipping the name's check when it is among the names kept.
    pub(crate) fn element_start<S: From<Cow<'a, str>> + AsRef<str>>(
        &mut self,
        text: &'a str,
        start: &BytesStart,
    ) -> Result<(Cow<'a, str>, Attrs<S>), String> {
        // (An empty name is never taken as checked: the names start out empty.)
        if let Some(name) = in_file(text, start.name().as_ref())
            && !name.is_empty()
            && self.names.contains(&name)
        {
            return Ok((Cow::Borrowed(name), attrs(text, start)?));
        }
        let (name, attrs) = element_start(text, start)?;
        if let Cow::Borrowed(name) = name {
            self.names.rotate_right(1);
            self.names[0] = name;
        }
        Ok((name, attrs))
    }
}

/// What an element's content may be: text, or elements with only white space around them.
/// `text_before`: its text before the first child; `mixed`: whether text other than white space
/// came after a child.
pub(crate) fn check_content(name: &str, has_children: bool, text_before: &str, mixed: bool) -> Result<(), String> {
    if has_children && (mixed || !is_white_space(text_before)) {
        return Err(format!("<{name}> mixes text and elements"));
    }
    Ok(())
}

/// Whether a text between children is not white space (which makes the parent mixed).
pub(crate) fn is_mixing(value: &str) -> bool {
    !is_white_space(value)
}

/// Reads `text` (prepared: no BOM, line ends settled) into a tree holding its text as `S`.
fn build<'a, S: From<Cow<'a, str>> + AsRef<str>>(
    text: &'a str,
    namespace: Namespace,
) -> Result<Document<S>, ParseError> {
    let mut events = Events::new(text)?;
    let mut checked = CheckedNames::default();
    let mut stack: Vec<Frame<'a, S>> = Vec::new();
    let mut children: Children<S> = Children::new();
    let hashes = RandomState::new();
    let mut doc: Option<Document<S>> = None;
    // Comments not yet attached to an element, and those outside the root.
    let mut pending: Vec<S> = Vec::new();
    let mut outside: Vec<S> = Vec::new();
    loop {
        let (position, event) = events.next(stack.len())?;
        let fail = |message: String| events.error(position, message);
        match event {
            Event::Start(ref start) | Event::Empty(ref start) if stack.is_empty() => {
                if doc.is_some() {
                    return Err(fail(SECOND_ROOT.into()));
                }
                let root: Root<S> = Root::read(text, start, namespace).map_err(fail)?;
                outside.append(&mut pending);
                doc = Some(Document {
                    root: S::from(root.name.clone()),
                    in_metadata_namespace: root.in_metadata_namespace,
                    root_attrs: root.attrs,
                    comments: Vec::new(),
                    children: Vec::new(),
                    tail: Vec::new(),
                });
                // An empty root (`<Package …/>`) is closed already.
                if matches!(event, Event::Start(_)) {
                    stack.push(Frame::new(element(root.name), position, &children));
                }
            }
            Event::Start(start) => {
                let (name, attrs) = checked.element_start(text, &start).map_err(fail)?;
                let mut node = element(name);
                node.attrs = attrs;
                node.comments = std::mem::take(&mut pending);
                stack.push(Frame::new(node, position, &children));
            }
            Event::Empty(start) => {
                let (name, attrs) = checked.element_start(text, &start).map_err(fail)?;
                let mut node = element(name);
                node.attrs = attrs;
                node.comments = std::mem::take(&mut pending);
                stack.last_mut().expect("checked above").push_child(&mut children, node, position, text, &hashes)?;
            }
            Event::Text(t) => {
                let value = text_event(text, &t, stack.is_empty()).map_err(fail)?;
                match stack.last_mut() {
                    // Between children: only white space belongs there (kept nowhere). Almost always
                    // a line break and indentation, tested without decoding characters first.
                    Some(frame) if children.nodes.len() > frame.first => frame.mixed |= is_mixing(&value),
                    Some(frame) => push_text(&mut frame.text, value),
                    None => {}
                }
            }
            Event::CData(t) => {
                let value = cdata_event(text, &t, stack.is_empty()).map_err(fail)?;
                if let Some(frame) = stack.last_mut() {
                    push_text(&mut frame.text, value);
                }
            }
            Event::Comment(c) => {
                let value = S::from(comment_event(text, &c).map_err(fail)?);
                if stack.is_empty() { outside.push(value) } else { pending.push(value) }
            }
            Event::End(_) => {
                let frame = stack.pop().expect("quick-xml checks end tags");
                let (start, first) = (frame.start, frame.first);
                let has_children = children.nodes.len() > first;
                let mut node = frame.node;
                check_content(node.name(), has_children, &frame.text, frame.mixed).map_err(fail)?;
                node.content = if !has_children {
                    // Comments inside a value go before the element.
                    node.comments.append(&mut pending);
                    Content::Text(S::from(frame.text))
                } else {
                    node.tail = std::mem::take(&mut pending);
                    Content::Children(children.take_from(first))
                };
                match stack.last_mut() {
                    Some(parent) => parent.push_child(&mut children, node, start, text, &hashes)?,
                    None => {
                        let d = doc.as_mut().expect("root opened");
                        d.tail = node.comments.into_iter().chain(node.tail).collect();
                        if let Content::Children(children) = node.content {
                            d.children = children;
                        }
                    }
                }
            }
            Event::Eof => break,
            // The declaration was checked by `Events`; processing instructions carry no metadata
            // (Salesforce drops them too).
            Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    // The root is open exactly while the stack is not empty.
    if !stack.is_empty() || doc.is_none() {
        return Err(events.unfinished(doc.is_some()));
    }
    let mut doc = doc.expect("checked above");
    outside.append(&mut pending);
    doc.comments = outside;
    Ok(doc)
}

#[cfg(test)]
#[path = "read_tests.rs"]
mod rules;

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">"#;

    #[test]
    fn keeps_comments_with_the_element_that_follows() {
        let text = format!(
            "{HEAD}\n<!-- a -->\n<label>X</label>\n<userPermissions><!-- b --><enabled>true</enabled><name>A</name><!-- c --></userPermissions>\n<!-- end -->\n</PermissionSet>\n"
        );
        let text = text.replacen("\n<PermissionSet", "\n<!-- header -->\n<PermissionSet", 1);
        let doc = parse(&text).unwrap();
        assert_eq!(doc.comments, [" header "]);
        assert_eq!(doc.children[0].comments, [" a "]);
        assert_eq!(doc.children[1].children()[0].comments, [" b "]);
        assert_eq!(doc.children[1].tail, [" c "]);
        assert_eq!(doc.tail, [" end "]);
    }

    #[test]
    fn the_borrowing_tree_is_the_owned_tree_and_copies_only_what_it_must() {
        let text = format!(
            "\u{feff}{HEAD}\n<!-- c -->\n<label a=\"x\" b=\"1&amp;2\">L &amp; M</label>\n<userPermissions><enabled>true</enabled><name>A</name></userPermissions>\n<description>one<!-- in -->two</description></PermissionSet>\n"
        );
        for text in [text.clone(), text.replace('\n', "\r\n"), text.replace('\n', "\r")] {
            let prepared = prepare(text.as_bytes()).unwrap();
            let borrowed = prepared.parse(Namespace::Required).unwrap();
            assert_eq!(borrowed.clone().into_owned(), parse(&text).unwrap());
            let is_borrowed = |c: &Cow<str>| matches!(c, Cow::Borrowed(_));
            let label = &borrowed.children[0];
            assert!(is_borrowed(&label.name) && is_borrowed(&label.attrs[0].1) && is_borrowed(&borrowed.root));
            // Replaced entities and a value in two pieces are the only copies.
            assert!(!is_borrowed(&label.attrs[1].1) && label.attrs[1].1 == "1&2");
            assert_eq!(label.content, Content::Text(Cow::Owned("L & M".into())));
            let user = &borrowed.children[1].children()[1];
            assert!(matches!(user.content, Content::Text(Cow::Borrowed("A"))));
            assert_eq!(borrowed.children[2].text(), Some("onetwo"));
            assert_eq!(borrowed.children[0].comments, [" c "]);
        }
        let bad = format!("{HEAD}\n<a>x</a>\n<a>&#1;</a></PermissionSet>");
        assert_eq!(prepare(bad.as_bytes()).unwrap().parse(Namespace::Required).unwrap_err(), parse(&bad).unwrap_err());
    }

    #[test]
    fn values_verbatim_line_ends_normalised() {
        // CRLF throughout: read as LF.
        let text = format!("{HEAD}\n<description>a\nb &apos;c&apos;</description><x>False</x></PermissionSet>")
            .replace('\n', "\r\n");
        let doc = parse(&text).unwrap();
        assert_eq!(doc.children[0].text(), Some("a\nb 'c'"));
        assert_eq!(doc.children[1].text(), Some("False"));
        // LF lines with a CR inside a value (a line break typed in Setup): the CR is kept.
        let text = format!("{HEAD}\n<description>a\r\nb&#13;c</description></PermissionSet>\n");
        assert_eq!(parse(&text).unwrap().children[0].text(), Some("a\r\nb\rc"));
        // CR-only lines: read as LF, and errors name the right line.
        let text = format!("{HEAD}\n<description>a\nb</description>\n<x>&bad;</x></PermissionSet>").replace('\n', "\r");
        assert_eq!(parse(&text).unwrap_err().line, 5);
        // Raw white space in an attribute is a space; references keep it.
        let text = format!("{HEAD}<a x=\"1\r\n2\t3&#10;4\">v</a></PermissionSet>");
        assert_eq!(parse(&text).unwrap().children[0].attrs[0].1, "1 2 3\n4");
    }

    #[test]
    fn a_lone_line_feed_is_found_anywhere_also_across_blocks() {
        for at in [0, 1, 62, 63, 64, 65, 127, 128, 200] {
            let mut crlf = "ab\r\n".repeat(60).into_bytes();
            crlf.truncate(at.max(1));
            let mut text = crlf.clone();
            text.push(b'\r');
            text.push(b'\n');
            assert!(!has_lone_lf(&text), "{at}");
            let mut lone = crlf;
            lone.push(b'\n');
            let ends_with_cr = lone.len() >= 2 && lone[lone.len() - 2] == b'\r';
            assert_eq!(has_lone_lf(&lone), !ends_with_cr, "{at}");
        }
        assert!(has_lone_lf(b"\n"));
        assert!(!has_lone_lf(b""));
    }

    #[test]
    fn refuses_characters_xml_forbids() {
        for bad in ["\u{0}", "\u{1}", "\u{1b}", "&#1;", "&#0;", "&#xFFFE;", "&#xffff;", "\u{fffe}", "&#xD800;"] {
            let text = format!("{HEAD}\n<label>a{bad}b</label></PermissionSet>");
            let err = parse(&text).unwrap_err();
            assert_eq!(err.line, 3, "{bad:?}: {err}");
            let text = format!("{HEAD}\n<label x=\"{bad}\">a</label></PermissionSet>");
            assert!(parse(&text).is_err(), "{bad:?} in an attribute");
        }
        assert!(parse(&format!("{HEAD}<label>tab\there &#x10FFFF; &#xE000;</label></PermissionSet>")).is_ok());
    }

    #[test]
    fn the_declaration_comes_first() {
        for before in [" ", "\n", "<!-- c -->", "<?pi x?>"] {
            let err = parse(&format!("{before}{HEAD}</PermissionSet>")).unwrap_err();
            assert!(err.message.contains("must come first"), "{before:?}: {err}");
        }
        assert!(parse(&format!("\u{feff}{HEAD}</PermissionSet>")).is_ok());
        let second = format!("{HEAD}<?xml version=\"1.0\"?></PermissionSet>");
        assert!(parse(&second).unwrap_err().message.contains("must come first"));
    }

    #[test]
    fn depth_is_limited_without_recursion() {
        let deep = |n: usize| format!("{HEAD}{}{}</PermissionSet>", "<a>".repeat(n), "</a>".repeat(n));
        assert!(parse(&deep(MAX_DEPTH - 1)).is_ok());
        let err = parse(&deep(MAX_DEPTH)).unwrap_err();
        assert!(err.message.contains("nest more than"), "{err}");
        assert!(parse(&deep(200_000)).is_err());
    }

    #[test]
    fn duplicate_entries_name_both_lines() {
        let text = format!(
            "{HEAD}\n<fieldPermissions><field>A.B</field><readable>true</readable></fieldPermissions>\n<label>x</label>\n<fieldPermissions>\n<field>A.B</field><readable>false</readable></fieldPermissions></PermissionSet>"
        );
        let err = parse(&text).unwrap_err();
        assert_eq!(err.line, 5, "{err}");
        assert!(err.message.contains("lines 3 and 5") && err.message.contains("`A.B`"), "{err}");
        let layouts = format!(
            "{HEAD}<layoutAssignments><layout>L</layout></layoutAssignments><layoutAssignments><layout>L</layout><recordType>R</recordType></layoutAssignments></PermissionSet>"
        );
        assert!(parse(&layouts).is_ok(), "a second key tells them apart");
    }

    #[test]
    fn names_must_be_xml_names() {
        for bad in ["<a=\"b\"/>", "<a=\"b\">x</a=\"b\">", "<a x&=\"1\">v</a>", "<1a>v</1a>"] {
            let err = parse(&format!("{HEAD}\n{bad}</PermissionSet>")).unwrap_err();
            assert_eq!(err.line, 3, "{bad}: {err}");
        }
        assert!(parse(&format!("{HEAD}<xsi:a-b.c_d\u{e9}>v</xsi:a-b.c_d\u{e9}></PermissionSet>")).is_ok());
    }

    #[test]
    fn utf16_without_a_bom_is_named() {
        let bytes: Vec<u8> = format!("{HEAD}</PermissionSet>").encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert!(parse_bytes(&bytes).unwrap_err().message.contains("UTF-16"));
        let bytes: Vec<u8> = format!("{HEAD}</PermissionSet>").encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert!(parse_bytes(&bytes).unwrap_err().message.contains("UTF-16"));
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
        let root = HEAD.split_once('\n').unwrap().1;
        let two_roots = format!("{HEAD}</PermissionSet>{root}</PermissionSet>");
        assert!(parse(&two_roots).unwrap_err().message.contains("second root"));
    }
}
