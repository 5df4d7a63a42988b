//! What `diff` compares in a PermissionSet or Profile, and nothing else: each top-level entry's
//! id (its element name and key, as `diff` names it) and its fields (child name → value), read
//! straight from the parser's events with no tree and no allocation per element.
//!
//! Every text is a `Span`: a slice of the file's text by offset, or of one side buffer where an
//! entity had to be replaced or a value came in pieces. The entries hold the text they were read
//! from, so they outlive the read and borrow nothing.
//!
//! The read refuses exactly what the tree reader (`read`) refuses, with the same messages: both
//! read through `read::Events` and the same element, text and content checks, and two entries
//! with one key are found the same way (`read::twice`). A file nesting deeper than an entry's
//! fields (an element inside a field, which no PermissionSet or Profile holds) is read into the
//! tree instead and its entries taken from it (`Entries::of_document`), so the entries are always
//! the tree's. Tests hold the two to one answer on every corpus file and on generated documents.

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::{self, RandomState};
use std::hash::{BuildHasher, BuildHasherDefault};
use std::sync::atomic::{AtomicBool, Ordering};

use quick_xml::events::Event;

use super::canonical;
use super::document::{Content, Document, Node};
use super::read::{self, Attrs, CheckedNames, Events, Namespace, ParseError, Prehashed, Root};

/// A text of the entries: `len` bytes at `start` of the file's text, or of the side buffer when
/// `start` has the top bit set. Files are capped far below 2 GB (`disk::MAX_FILE_BYTES`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: u32,
    len: u32,
}

const SIDE: u32 = 1 << 31;
const EMPTY: Span = Span { start: 0, len: 0 };

/// One top-level element: its id and where its fields and attributes are.
#[derive(Debug, Clone, Copy)]
struct Slot {
    group: Span,
    key: Span,
    /// A single value (`<label>X</label>`): its one field is named `""`.
    value: bool,
    fields: (u32, u32),
    attrs: (u32, u32),
}

/// The entries of one file, sorted by id (element name, then key), each id once.
#[derive(Debug, Clone, Default)]
pub struct Entries {
    root: String,
    /// The file's text (empty for a document's entries).
    text: String,
    body: Body,
}

/// Everything but the text the spans point into.
#[derive(Debug, Clone, Default)]
struct Body {
    side: String,
    slots: Vec<Slot>,
    fields: Vec<(Span, Span)>,
    attrs: Vec<(Span, Span)>,
}

/// One entry of `Entries`.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'e> {
    entries: &'e Entries,
    slot: &'e Slot,
}

impl<'e> Entry<'e> {
    /// The element name (`objectPermissions`).
    pub fn group(&self) -> &'e str {
        self.entries.str(self.slot.group)
    }

    /// The key (`Account`; `layout / recordType` for a group with two; `#2`, `#3`… for a repeated
    /// element without one; empty for a single value).
    pub fn key(&self) -> &'e str {
        self.entries.str(self.slot.key)
    }

    /// The id: element name and key, which the entries are sorted by.
    pub fn id(&self) -> (&'e str, &'e str) {
        (self.group(), self.key())
    }

    /// The text of a single value (`label`), `None` for an entry with fields.
    pub fn text(&self) -> Option<&'e str> {
        self.slot.value.then(|| self.fields().next().map_or("", |(_, v)| v))
    }

    /// The fields by name (nested ones as `a/b`; repeated ones joined by `, `), sorted by name; a
    /// single value has one field named `""`.
    pub fn fields(&self) -> impl Iterator<Item = (&'e str, &'e str)> + 'e {
        let entries = self.entries;
        let (from, to) = self.slot.fields;
        entries.body.fields[from as usize..to as usize].iter().map(move |(n, v)| (entries.str(*n), entries.str(*v)))
    }

    /// The element's attributes, in file order.
    pub fn attrs(&self) -> impl Iterator<Item = (&'e str, &'e str)> + 'e {
        let entries = self.entries;
        let (from, to) = self.slot.attrs;
        entries.body.attrs[from as usize..to as usize].iter().map(move |(n, v)| (entries.str(*n), entries.str(*v)))
    }
}

impl Entries {
    /// The root element's name.
    pub fn root(&self) -> &str {
        &self.root
    }

    pub fn len(&self) -> usize {
        self.body.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.body.slots.is_empty()
    }

    /// The entry at `index` (in id order).
    pub fn get(&self, index: usize) -> Entry<'_> {
        Entry { entries: self, slot: &self.body.slots[index] }
    }

    /// The entries in id order.
    pub fn iter(&self) -> impl Iterator<Item = Entry<'_>> {
        self.body.slots.iter().map(move |slot| Entry { entries: self, slot })
    }

    /// The first entry whose id is `(group, key)` or after it (a binary search).
    pub fn at_or_after(&self, group: &str, key: &str) -> Option<Entry<'_>> {
        let at = self.body.slots.partition_point(|s| (self.str(s.group), self.str(s.key)) < (group, key));
        (at < self.len()).then(|| self.get(at))
    }

    #[inline]
    fn str(&self, span: Span) -> &str {
        self.body.str(&self.text, span)
    }

    /// Reads the entries of a file's bytes (UTF-8, with or without a BOM), its root's namespace
    /// checked as `namespace` says: what `read::parse_bytes_with` reads, without the tree.
    pub fn read(bytes: Vec<u8>, namespace: Namespace) -> Result<Entries, ParseError> {
        let text = match read::prepare(&bytes)?.into_text() {
            Cow::Owned(text) => text,
            // The bytes as they are, or but a BOM: the file's buffer is kept, the BOM cut off.
            Cow::Borrowed(text) => {
                let bom = bytes.len() - text.len();
                let mut bytes = bytes;
                bytes.drain(..bom);
                String::from_utf8(bytes).map_err(|_| ParseError {
                    line: 1,
                    message: "not UTF-8 (please report this: the reader checked it)".into(),
                })?
            }
        };
        match read_flat(&text, namespace)? {
            Some((root, body)) => Ok(Entries { root, text, body }),
            None => Ok(Entries::of_document(&read::parse_with(&text, namespace)?)),
        }
    }

    /// The entries of a document (what `gen` builds, a recomposed set): every text copied.
    pub fn of_document<S: AsRef<str>>(doc: &Document<S>) -> Entries {
        let mut body = Body::default();
        let mut unkeyed = Unkeyed::default();
        for node in &doc.children {
            let group = body.copy(node.name());
            let key = match canonical::entry_key(node) {
                (Some(key), Some(then)) => body.copy(&format!("{key} / {then}")),
                (Some(key), None) => body.copy(key),
                _ => unkeyed.key(&mut body, "", group),
            };
            let from = body.fields.len() as u32;
            let value = match &node.content {
                Content::Text(text) => {
                    let (name, text) = (body.copy(""), body.copy(text.as_ref()));
                    body.fields.push((name, text));
                    true
                }
                Content::Children(children) => {
                    // Nested children by an explicit stack, depth first in file order.
                    let mut pending: Vec<(String, &Node<S>)> =
                        children.iter().rev().map(|c| (c.name().to_string(), c)).collect();
                    while let Some((path, child)) = pending.pop() {
                        match &child.content {
                            Content::Text(text) => {
                                let (name, text) = (body.copy(&path), body.copy(text.as_ref()));
                                body.fields.push((name, text));
                            }
                            Content::Children(grandchildren) => {
                                pending.extend(grandchildren.iter().rev().map(|g| (format!("{path}/{}", g.name()), g)))
                            }
                        }
                    }
                    false
                }
            };
            body.close_fields("", from);
            let attrs_from = body.attrs.len() as u32;
            for (name, val) in &node.attrs {
                let pair = (body.copy(name.as_ref()), body.copy(val.as_ref()));
                body.attrs.push(pair);
            }
            let (fields, attrs) = ((from, body.fields.len() as u32), (attrs_from, body.attrs.len() as u32));
            body.slots.push(Slot { group, key, value, fields, attrs });
        }
        body.sort("");
        Entries { root: doc.root.as_ref().to_string(), text: String::new(), body }
    }
}

impl Body {
    #[inline]
    fn str<'x>(&'x self, text: &'x str, span: Span) -> &'x str {
        let (start, len) = (span.start as usize, span.len as usize);
        if span.start & SIDE == 0 {
            &text[start..start + len]
        } else {
            let start = start & !(SIDE as usize);
            &self.side[start..start + len]
        }
    }

    /// The entries of `next` after these, its spans into its side buffer moved to follow this
    /// one's.
    fn append(&mut self, next: Body) {
        let side = self.side.len() as u32;
        let moved = |span: Span| if span.start & SIDE == 0 { span } else { Span { start: span.start + side, ..span } };
        let (fields, attrs) = (self.fields.len() as u32, self.attrs.len() as u32);
        // Exactly: the stretches of a large file hold megabytes of spans.
        self.side.reserve_exact(next.side.len());
        self.fields.reserve_exact(next.fields.len());
        self.attrs.reserve_exact(next.attrs.len());
        self.slots.reserve_exact(next.slots.len());
        self.side.push_str(&next.side);
        self.fields.extend(next.fields.iter().map(|(n, v)| (moved(*n), moved(*v))));
        self.attrs.extend(next.attrs.iter().map(|(n, v)| (moved(*n), moved(*v))));
        self.slots.extend(next.slots.iter().map(|slot| Slot {
            group: moved(slot.group),
            key: moved(slot.key),
            value: slot.value,
            fields: (slot.fields.0 + fields, slot.fields.1 + fields),
            attrs: (slot.attrs.0 + attrs, slot.attrs.1 + attrs),
        }));
    }

    /// `piece` copied to the side buffer.
    fn copy(&mut self, piece: &str) -> Span {
        let start = self.side.len() as u32 | SIDE;
        self.side.push_str(piece);
        Span { start, len: piece.len() as u32 }
    }

    /// A text read from `text`: by offset where it is a slice of it, else copied.
    fn span(&mut self, text: &str, piece: &str) -> Span {
        let offset = (piece.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
        if offset <= text.len() && text.len() - offset >= piece.len() {
            Span { start: offset as u32, len: piece.len() as u32 }
        } else {
            self.copy(piece)
        }
    }

    /// Sorts the fields from `from` on (those of the entry just read) by name, the values of a
    /// repeated name joined by `, ` in file order (an empty first value takes no comma).
    fn close_fields(&mut self, text: &str, from: u32) {
        let from = from as usize;
        let sorted = self.fields[from..].windows(2).all(|w| self.str(text, w[0].0) < self.str(text, w[1].0));
        if sorted {
            return;
        }
        let mut tail = self.fields.split_off(from);
        tail.sort_by(|a, b| self.str(text, a.0).cmp(self.str(text, b.0)));
        for (name, value) in tail {
            match self.fields[from..].last().copied() {
                Some((last, joined)) if self.str(text, last) == self.str(text, name) => {
                    let before = self.str(text, joined).to_string();
                    let joined = if before.is_empty() {
                        value
                    } else {
                        let piece = self.str(text, value).to_string();
                        self.copy(&format!("{before}, {piece}"))
                    };
                    self.fields.last_mut().expect("matched above").1 = joined;
                }
                _ => self.fields.push((name, value)),
            }
        }
    }

    /// The id (element name, key) of the entry in `slot`.
    fn id<'x>(&'x self, text: &'x str, slot: &Slot) -> (&'x str, &'x str) {
        (self.str(text, slot.group), self.str(text, slot.key))
    }

    /// Whether the entries are sorted by id, each id once.
    fn is_sorted(&self, text: &str) -> bool {
        self.slots.windows(2).all(|w| self.id(text, &w[0]) < self.id(text, &w[1]))
    }

    /// Sorts the entries by id, keeping the last of entries with one id (only a document built in
    /// code can hold two). Files in canonical order are sorted already but for `fullName`.
    fn sort(&mut self, text: &str) {
        if self.is_sorted(text) {
            return;
        }
        let id = |s: &Slot| self.id(text, s);
        let mut slots = self.slots.clone();
        slots.sort_by(|a, b| id(a).cmp(&id(b)));
        slots.reverse();
        slots.dedup_by(|later, earlier| id(later) == id(earlier));
        slots.reverse();
        self.slots = slots;
    }
}

/// How many unkeyed elements of each name came before: the first is named by its element alone,
/// the next ones `#2`, `#3`, ….
#[derive(Default)]
struct Unkeyed {
    seen: HashMap<String, usize>,
}

impl Unkeyed {
    fn key(&mut self, body: &mut Body, text: &str, group: Span) -> Span {
        let n = self.seen.entry(body.str(text, group).to_string()).or_default();
        *n += 1;
        if *n == 1 { EMPTY } else { body.copy(&format!("#{n}")) }
    }
}

/// An element open below the root while the file is read.
struct Open<'t> {
    name: &'t str,
    start: usize,
    /// Its text so far (kept while it has no children).
    text: Cow<'t, str>,
    children: bool,
    mixed: bool,
}

impl<'t> Open<'t> {
    fn new(name: &'t str, start: usize) -> Open<'t> {
        Open { name, start, text: Cow::Borrowed(""), children: false, mixed: false }
    }

    /// A text event inside it. After a child only white space belongs (kept nowhere); CDATA
    /// after a child is text before the end tag, which makes it mixed the same way.
    fn text(&mut self, piece: Cow<'t, str>) {
        if self.children {
            self.mixed |= read::is_mixing(&piece);
        } else {
            read::push_text(&mut self.text, piece);
        }
    }

    fn check(&self) -> Result<(), String> {
        read::check_content(self.name, self.children, &self.text, self.mixed)
    }

    /// The keys the tree reader finds a duplicate of this element by, when it is a leaf
    /// (`canonical::entry_key`: only groups keyed by their own text have them).
    fn leaf_keys(&self) -> Option<(&str, Option<&str>)> {
        match canonical::group_keys(self.name)? {
            (".", then) => Some((&self.text, then.filter(|t| *t == ".").map(|_| &*self.text))),
            _ => None,
        }
    }
}

/// An entry's key and second key.
type Keys = (Span, Option<Span>);

/// An entry read: where it starts, its name, and its keys.
type Seen = (usize, Span, Option<Keys>);

/// An entry's identity for finding one given twice: name, key, second key.
type Id<'x> = (&'x str, &'x str, Option<&'x str>);

fn id_of<'x>(body: &'x Body, text: &'x str, (_, group, keys): &Seen) -> Option<Id<'x>> {
    let (k, t) = (*keys)?;
    Some((body.str(text, *group), body.str(text, k), t.map(|t| body.str(text, t))))
}

/// Finds an entry given twice among the keyed entries read. While they come in increasing order
/// (name, key, second key), as in a file in canonical order, each is compared with the one before
/// only; the first out of order puts every one before it into a map by hash (random per run, so no
/// input can make them collide on purpose), which finds the rest.
struct Keyed {
    hashes: RandomState,
    /// Hash of the id → index (in `Reading::seen`) of the first entry with it; `None` while in
    /// order.
    map: Option<HashMap<u64, usize, BuildHasherDefault<Prehashed>>>,
    /// The index of the last keyed entry, while in order.
    last: Option<usize>,
}

impl Keyed {
    fn new(hashes: RandomState) -> Keyed {
        Keyed { hashes, map: None, last: None }
    }

    /// The index (in `seen`) of an earlier entry with `id`; the entry is the next of `seen`.
    fn earlier(&mut self, body: &Body, text: &str, seen: &[Seen], id: Id) -> Option<usize> {
        if self.map.is_none() {
            let last = self.last.and_then(|last| Some((id_of(body, text, &seen[last])?, last)));
            match last {
                Some((before, last)) if before == id => return Some(last),
                Some((before, _)) if before > id => self.map_all(body, text, seen),
                _ => {
                    self.last = Some(seen.len());
                    return None;
                }
            }
        }
        let same = |i: &usize| id_of(body, text, &seen[*i]) == Some(id);
        let map = self.map.as_mut().expect("made above");
        match map.entry(self.hashes.hash_one(id)) {
            hash_map::Entry::Vacant(slot) => {
                slot.insert(seen.len());
                None
            }
            // An entry given twice, or (by chance) another with its hash: every earlier one is
            // compared, which happens once for the error, or never in practice.
            hash_map::Entry::Occupied(_) => (0..seen.len()).find(same),
        }
    }

    /// Puts every keyed entry of `seen` into the map (they came in order: no two are the same).
    fn map_all(&mut self, body: &Body, text: &str, seen: &[Seen]) {
        let mut map: HashMap<u64, usize, BuildHasherDefault<Prehashed>> = HashMap::default();
        for (i, entry) in seen.iter().enumerate() {
            if let Some(id) = id_of(body, text, entry) {
                map.entry(self.hashes.hash_one(id)).or_insert(i);
            }
        }
        self.map = Some(map);
        self.last = None;
    }
}

/// What the read keeps of the entries read so far, beyond `Body`.
struct Reading {
    keyed: Keyed,
    /// Each entry's start, name and keys (the key spans of `keys`), for a duplicate's message.
    seen: Vec<Seen>,
    unkeyed: Unkeyed,
    /// The current entry's first field and attribute, and where each of its fields started.
    fields_from: u32,
    attrs_from: u32,
    field_starts: Vec<usize>,
}

/// Reads the entries of `text` (prepared: no BOM, line ends settled). `Ok(None)`: the file nests
/// deeper than an entry's fields, and is to be read into the tree.
///
/// A large file is read in stretches, one per core (`read_in_stretches`); where the stretches do
/// not join into exactly what one read would give, the file is read again in one piece, which
/// also gives every error as it would be without stretches.
fn read_flat(text: &str, namespace: Namespace) -> Result<Option<(String, Body)>, ParseError> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let starts = stretch_starts(text, stretch_count(text.len(), cores));
    if !starts.is_empty()
        && let Some(read) = read_in_stretches(text, namespace, &starts)
    {
        return Ok(Some(read));
    }
    read_whole(text, namespace)
}

/// Reads the entries of `text` in one piece, on this thread.
fn read_whole(text: &str, namespace: Namespace) -> Result<Option<(String, Body)>, ParseError> {
    let mut events = Events::new(text)?;
    let mut piece = Piece::first(RandomState::new());
    match piece.read(text, &mut events, namespace, None, &AtomicBool::new(false))? {
        Stop::Tree => Ok(None),
        // Read to the end (`At` needs a stretch's end; `End` is a file whose root never opened).
        Stop::Eof | Stop::End | Stop::At => match piece.root {
            // Closed: nothing but a second root, refused, could follow it at depth 0.
            Some((name, true)) => {
                piece.body.sort(text);
                Ok(Some((name.into_owned(), piece.body)))
            }
            _ => Err(events.unfinished(piece.root.is_some())),
        },
    }
}

/// Stretches are read in parallel only this long and longer (a thread costs tens of microseconds;
/// a megabyte takes milliseconds to read).
const MIN_STRETCH: usize = 256 * 1024;
const MAX_STRETCHES: usize = 8;

/// How many stretches a text of `len` bytes is read in on `cores` cores: one per core, at most
/// `MAX_STRETCHES`, none shorter than `MIN_STRETCH` (0 or 1: in one piece).
fn stretch_count(len: usize, cores: usize) -> usize {
    cores.min(MAX_STRETCHES).min(len / MIN_STRETCH)
}

/// Where stretches 2 to `count` of `text` start: after each `count`th of the file, at the first
/// line that opens an element right after a line that closes one, indented alike — how a file
/// written with indentation starts an entry (a field follows its entry's start tag or another
/// field). A start found here may still be inside a comment, a CDATA section or an entry; the
/// read finds out (`read_in_stretches`).
fn stretch_starts(text: &str, count: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let indent = |line: usize| bytes[line..].iter().take_while(|b| matches!(b, b' ' | b'\t')).count();
    let mut starts: Vec<usize> = Vec::new();
    for i in 1..count {
        // Never before the last start: a start is found on a line after `from`.
        let from = (text.len() / count * i).max(starts.last().copied().unwrap_or(0));
        let found = memchr::memchr_iter(b'\n', &bytes[from..]).map(|at| from + at + 1).find_map(|line| {
            let (before, at) = (memchr::memrchr(b'\n', &bytes[..line - 1]).map_or(0, |lf| lf + 1), line + indent(line));
            let opens = bytes.get(at) == Some(&b'<') && bytes.get(at + 1).is_some_and(u8::is_ascii_alphabetic);
            let closed = bytes[before + indent(before)..].starts_with(b"</") && indent(before) == at - line;
            (opens && closed).then_some(at)
        });
        match found {
            Some(at) => starts.push(at),
            None => break,
        }
    }
    starts
}

/// Reads `text` in stretches beginning at 0 and at each of `starts`, one thread each, and joins
/// them. `None` when they do not join into what one read gives: a stretch did not begin between
/// two entries, one failed (the read in one piece then says why), or two stretches hold entries
/// with one key, or unkeyed entries of one name, which only one read numbers and reports right.
fn read_in_stretches(text: &str, namespace: Namespace, starts: &[usize]) -> Option<(String, Body)> {
    let hashes = RandomState::new();
    let failed = AtomicBool::new(false);
    let ends: Vec<Option<usize>> = starts.iter().map(|s| Some(*s)).chain([None]).collect();
    let read = |i: usize| -> Option<Stretch> {
        let start = if i == 0 { 0 } else { starts[i - 1] };
        let (mut piece, mut events) = match i {
            0 => (Piece::first(hashes.clone()), Events::continuing(text, 0)),
            _ => (Piece::continuing(hashes.clone()), Events::continuing(text, start)),
        };
        // Each stretch checks its own characters (`Events::new` checks the whole file's).
        let stop = match read::forbidden_char(&text[start..ends[i].unwrap_or(text.len())]) {
            Some(_) => Err(events.error(start, "a forbidden character".into())),
            None => piece.read(text, &mut events, namespace, ends[i], &failed),
        };
        let expected = if ends[i].is_some() { Stop::At } else { Stop::End };
        if stop.is_ok_and(|stop| stop == expected) {
            // What the join needs; the rest is dropped here (the entries' keys too, once in a map).
            let Piece { body, reading: Reading { keyed, mut seen, unkeyed, .. }, root, root_end, .. } = piece;
            if keyed.map.is_some() {
                seen = Vec::new();
            }
            let sorted = body.is_sorted(text);
            Some(Stretch { body, keyed, seen, unkeyed, root: root.map(|(name, _)| name), root_end, sorted })
        } else {
            failed.store(true, Ordering::Relaxed);
            None
        }
    };
    let stretches: Vec<Option<Stretch>> = std::thread::scope(|scope| {
        let others: Vec<_> = (1..=starts.len()).map(|i| scope.spawn(move || read(i))).collect();
        let first = read(0);
        std::iter::once(first).chain(others.into_iter().map(|t| t.join().ok().flatten())).collect()
    });
    let mut stretches: Vec<Stretch> = stretches.into_iter().collect::<Option<_>>()?;
    let root = stretches[0].root.clone()?;
    // The root's end tag is the one quick-xml would have matched with its start.
    if stretches.last()?.root_end != Some(root.as_bytes()) {
        return None;
    }
    // One read numbers unkeyed entries of one name.
    for (i, later) in stretches.iter().enumerate().skip(1) {
        if stretches[..i]
            .iter()
            .any(|earlier| later.unkeyed.seen.keys().any(|name| earlier.unkeyed.seen.contains_key(name)))
        {
            return None;
        }
    }
    // One read reports an entry given twice. None is when the keyed entries are in order
    // throughout; otherwise every stretch's are put into a map, and two stretches holding one hash
    // (an entry given twice, or two sharing a hash by chance) leave it to one read.
    if !keyed_in_order(text, &stretches) {
        for stretch in &mut stretches {
            if stretch.keyed.map.is_none() {
                stretch.keyed.map_all(&stretch.body, text, &stretch.seen);
            }
        }
        let hashes =
            |stretch: &Stretch| stretch.keyed.map.as_ref().map_or(Vec::new(), |map| map.keys().copied().collect());
        for (i, later) in stretches.iter().enumerate().skip(1) {
            let later = hashes(later);
            for earlier in &stretches[..i] {
                let earlier = earlier.keyed.map.as_ref().expect("mapped above");
                if later.iter().any(|hash| earlier.contains_key(hash)) {
                    return None;
                }
            }
        }
    }
    // Sorted when each stretch is, and each one's first entry follows the last one's (a file in
    // canonical order): each stretch checked its own.
    let sorted = stretches.iter().all(|s| s.sorted)
        && stretches.windows(2).all(|w| match (w[0].body.slots.last(), w[1].body.slots.first()) {
            (Some(last), Some(first)) => w[0].body.id(text, last) < w[1].body.id(text, first),
            _ => false,
        });
    let mut bodies = stretches.into_iter().map(|stretch| stretch.body);
    let mut whole = bodies.next()?;
    for body in bodies {
        whole.append(body);
    }
    if !sorted {
        whole.sort(text);
    }
    Some((root.into_owned(), whole))
}

/// Whether each stretch's keyed entries came in order, and each stretch's first after the last
/// of the stretches before.
fn keyed_in_order(text: &str, stretches: &[Stretch]) -> bool {
    let mut before: Option<Id> = None;
    for stretch in stretches {
        if stretch.keyed.map.is_some() {
            return false;
        }
        let first = stretch.seen.iter().find_map(|entry| id_of(&stretch.body, text, entry));
        let last = stretch.keyed.last.and_then(|last| id_of(&stretch.body, text, &stretch.seen[last]));
        if let (Some(first), Some(last)) = (first, last) {
            if before.is_some_and(|before| before >= first) {
                return false;
            }
            before = Some(last);
        }
    }
    true
}

/// What a stretch read, for the join.
struct Stretch<'t> {
    body: Body,
    keyed: Keyed,
    /// The entries' keys, while `keyed` holds no map.
    seen: Vec<Seen>,
    unkeyed: Unkeyed,
    /// The root's name (in the first stretch), and the root's end tag (in the last).
    root: Option<Cow<'t, str>>,
    root_end: Option<&'t [u8]>,
    /// Whether its entries are sorted by id (`Body::is_sorted`).
    sorted: bool,
}

/// How the read of a stretch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// At the end of the file.
    Eof,
    /// At the end of the file, in a stretch that did not open the root (`root_end`: the root's end
    /// tag it read, if any).
    End,
    /// At the stretch's end, between two entries.
    At,
    /// At an element inside a field: the file is read into the tree instead.
    Tree,
}

/// The read of one stretch of a file: what it found, and where it is.
struct Piece<'t> {
    body: Body,
    reading: Reading,
    /// The root (its name, and whether it is closed); in a later stretch, the root's end tag.
    root: Option<(Cow<'t, str>, bool)>,
    root_end: Option<&'t [u8]>,
    in_root: Open<'t>,
    entry: Option<Open<'t>>,
    field: Option<Open<'t>>,
    depth: usize,
    /// The last names found valid (an entry's and its fields').
    checked: CheckedNames<'t>,
}

impl<'t> Piece<'t> {
    /// The read of a file from its start.
    fn first(hashes: RandomState) -> Piece<'t> {
        Piece {
            body: Body::default(),
            reading: Reading {
                keyed: Keyed::new(hashes),
                seen: Vec::new(),
                unkeyed: Unkeyed::default(),
                fields_from: 0,
                attrs_from: 0,
                field_starts: Vec::new(),
            },
            root: None,
            root_end: None,
            in_root: Open::new("", 0),
            entry: None,
            field: None,
            depth: 0,
            checked: CheckedNames::default(),
        }
    }

    /// The read of a stretch that begins inside the root, between two entries: any text there
    /// comes after an entry.
    fn continuing(hashes: RandomState) -> Piece<'t> {
        let mut piece = Piece::first(hashes);
        piece.in_root.children = true;
        piece.depth = 1;
        piece
    }

    /// Reads events until the end of the file, or until the event at `until` when it comes
    /// between two entries (`Stop::At`; passing `until` otherwise ends the read as a failure).
    /// Gives up when `failed` is set by another stretch.
    fn read(
        &mut self,
        text: &'t str,
        events: &mut Events<'t>,
        namespace: Namespace,
        until: Option<usize>,
        failed: &AtomicBool,
    ) -> Result<Stop, ParseError> {
        loop {
            let (position, event) = events.next(self.depth)?;
            if let Some(until) = until.filter(|u| position >= *u) {
                let between = position == until && self.depth == 1 && self.entry.is_none();
                if !between {
                    return Err(events.error(position, "not between entries".into()));
                }
                // The root's content so far, as its end tag would check it (an entry follows).
                self.in_root.children = true;
                self.in_root.check().map_err(|message| events.error(position, message))?;
                return Ok(Stop::At);
            }
            let fail = |message: String| events.error(position, message);
            let empty = matches!(event, Event::Empty(_));
            match event {
                Event::Start(ref start) | Event::Empty(ref start) if self.depth == 0 => {
                    if self.root.is_some() || self.root_end.is_some() {
                        return Err(fail(read::SECOND_ROOT.into()));
                    }
                    let read: Root<Cow<str>> = Root::read(text, start, namespace).map_err(fail)?;
                    self.in_root.name = match read.name {
                        Cow::Borrowed(name) => name,
                        Cow::Owned(_) => return Ok(Stop::Tree),
                    };
                    self.root = Some((read.name, empty));
                    self.depth = usize::from(!empty);
                }
                Event::Start(ref start) | Event::Empty(ref start) if self.depth <= 2 => {
                    let (name, attrs): (Cow<str>, Attrs<Cow<str>>) =
                        self.checked.element_start(text, start).map_err(fail)?;
                    let Cow::Borrowed(name) = name else { return Ok(Stop::Tree) };
                    let (body, reading) = (&mut self.body, &mut self.reading);
                    let open = Open::new(name, position);
                    if self.depth == 1 {
                        if failed.load(Ordering::Relaxed) {
                            return Err(fail("another stretch failed".into()));
                        }
                        self.in_root.children = true;
                        reading.attrs_from = body.attrs.len() as u32;
                        for (k, v) in &attrs {
                            let pair = (body.span(text, k), body.span(text, v));
                            body.attrs.push(pair);
                        }
                        reading.fields_from = body.fields.len() as u32;
                        reading.field_starts.clear();
                        if empty {
                            close_entry(text, body, reading, &open)?;
                        } else {
                            self.entry = Some(open);
                            self.depth = 2;
                        }
                    } else {
                        self.entry.as_mut().expect("an entry is open").children = true;
                        if empty {
                            close_field(text, body, reading, &open)?;
                        } else {
                            self.field = Some(open);
                            self.depth = 3;
                        }
                    }
                }
                // An element inside a field: the file is read into the tree instead.
                Event::Start(_) | Event::Empty(_) => return Ok(Stop::Tree),
                Event::Text(t) => {
                    let value = read::text_event(text, &t, self.depth == 0).map_err(fail)?;
                    if let Some(open) = open_at(self.depth, &mut self.in_root, &mut self.entry, &mut self.field) {
                        open.text(value);
                    }
                }
                Event::CData(t) => {
                    let value = read::cdata_event(text, &t, self.depth == 0).map_err(fail)?;
                    if let Some(open) = open_at(self.depth, &mut self.in_root, &mut self.entry, &mut self.field) {
                        open.text(value);
                    }
                }
                Event::Comment(c) => {
                    read::comment_event(text, &c).map_err(fail)?;
                }
                Event::End(ref end) => {
                    let (body, reading) = (&mut self.body, &mut self.reading);
                    match self.depth {
                        3 => {
                            let open = self.field.take().expect("a field is open");
                            open.check().map_err(fail)?;
                            close_field(text, body, reading, &open)?;
                        }
                        2 => {
                            let open = self.entry.take().expect("an entry is open");
                            open.check().map_err(fail)?;
                            close_entry(text, body, reading, &open)?;
                        }
                        1 => {
                            self.in_root.check().map_err(fail)?;
                            match &mut self.root {
                                Some((_, closed)) => *closed = true,
                                // A later stretch: the end tag quick-xml did not match.
                                None => {
                                    self.root_end = Some(
                                        read::in_file(text, end.name().into_inner())
                                            .ok_or_else(|| fail("an end tag outside the file".into()))?
                                            .as_bytes(),
                                    )
                                }
                            }
                        }
                        _ => return Err(fail("an end tag outside the root".into())),
                    }
                    self.depth -= 1;
                }
                Event::Eof => {
                    // A later stretch's end tag, if it read one, is compared by the join.
                    return Ok(if self.root.is_none() { Stop::End } else { Stop::Eof });
                }
                // Checked by `Events`, or nothing to keep.
                Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
            }
        }
    }
}

/// The element open at `depth` (the root at 1).
fn open_at<'o, 't>(
    depth: usize,
    root: &'o mut Open<'t>,
    entry: &'o mut Option<Open<'t>>,
    field: &'o mut Option<Open<'t>>,
) -> Option<&'o mut Open<'t>> {
    match depth {
        1 => Some(root),
        2 => entry.as_mut(),
        3 => field.as_mut(),
        _ => None,
    }
}

/// A field of the open entry closed: kept, unless it repeats the key of an earlier field (only
/// groups keyed by their own text, such as `members`, have one).
fn close_field(text: &str, body: &mut Body, reading: &mut Reading, open: &Open) -> Result<(), ParseError> {
    if let Some(keys) = open.leaf_keys() {
        let from = reading.fields_from as usize;
        let earlier = body.fields[from..].iter().zip(&reading.field_starts).find(|((name, value), _)| {
            body.str(text, *name) == open.name
                && (body.str(text, *value), keys.1.map(|_| body.str(text, *value))) == keys
        });
        if let Some((_, first)) = earlier {
            return Err(read::twice(text, open.name, keys, *first, open.start));
        }
    }
    let pair = (body.span(text, open.name), body.span(text, &open.text));
    body.fields.push(pair);
    reading.field_starts.push(open.start);
    Ok(())
}

/// The open entry closed: its key found as the tree reader finds it (`canonical::entry_key`),
/// refused when an earlier entry has the same, and its fields sorted.
fn close_entry(text: &str, body: &mut Body, reading: &mut Reading, open: &Open) -> Result<(), ParseError> {
    let from = reading.fields_from;
    let value = !open.children;
    if value {
        let pair = (EMPTY, body.span(text, &open.text));
        body.fields.push(pair);
    }
    // The first field of that name (file order: the fields are not sorted yet).
    let child = |body: &Body, name: &str| {
        body.fields[from as usize..].iter().find(|(n, _)| body.str(text, *n) == name).map(|(_, v)| *v)
    };
    let own = |body: &Body| value.then(|| body.fields[from as usize].1);
    let keys: Option<Keys> = canonical::group_keys(open.name).and_then(|(key, then)| {
        let find = |name: &str| if name == "." { own(body) } else { child(body, name) };
        Some((find(key)?, then.and_then(find)))
    });
    let group = body.span(text, open.name);
    if let Some((key, then)) = keys {
        let (k, t) = (body.str(text, key), then.map(|t| body.str(text, t)));
        if let Some(first) = reading.keyed.earlier(body, text, &reading.seen, (open.name, k, t)) {
            return Err(read::twice(text, open.name, (k, t), reading.seen[first].0, open.start));
        }
    }
    reading.seen.push((open.start, group, keys));
    let key = match keys {
        Some((key, Some(then))) => {
            let joined = format!("{} / {}", body.str(text, key), body.str(text, then));
            body.copy(&joined)
        }
        Some((key, None)) => key,
        None => reading.unkeyed.key(body, text, group),
    };
    body.close_fields(text, from);
    let (fields, attrs) = ((from, body.fields.len() as u32), (reading.attrs_from, body.attrs.len() as u32));
    body.slots.push(Slot { group, key, value, fields, attrs });
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;
    use crate::emit::{check_properties, render_as_is_fast, render_fast};

    /// One entry as diff compares it: id, the text of a single value, fields, attributes.
    type Seen = ((String, String), Option<String>, Vec<(String, String)>, Vec<(String, String)>);

    fn seen(entries: &Entries) -> Vec<Seen> {
        entries
            .iter()
            .map(|e| {
                let pairs = |it: &mut dyn Iterator<Item = (&str, &str)>| {
                    it.map(|(n, v)| (n.to_string(), v.to_string())).collect::<Vec<_>>()
                };
                (
                    (e.group().to_string(), e.key().to_string()),
                    e.text().map(str::to_string),
                    pairs(&mut e.fields()),
                    pairs(&mut e.attrs()),
                )
            })
            .collect()
    }

    /// The entries as diff read them from the tree before this module: `ids` of each top-level
    /// element (the last of one id kept), its fields flattened into a map, its attributes.
    fn from_the_tree(doc: &Document) -> Vec<Seen> {
        let mut seen_names: BTreeMap<&str, usize> = BTreeMap::new();
        let mut by_id: BTreeMap<(String, String), Seen> = BTreeMap::new();
        for node in &doc.children {
            let key = match canonical::entry_key(node) {
                (Some(key), Some(then)) => format!("{key} / {then}"),
                (Some(key), None) => key.to_string(),
                _ => {
                    let n = seen_names.entry(node.name.as_str()).or_default();
                    *n += 1;
                    if *n == 1 { String::new() } else { format!("#{n}") }
                }
            };
            let mut fields: BTreeMap<String, String> = BTreeMap::new();
            let mut pending = vec![(String::new(), node)];
            while let Some((prefix, node)) = pending.pop() {
                match &node.content {
                    Content::Text(text) => {
                        let slot = fields.entry(prefix).or_default();
                        if !slot.is_empty() {
                            slot.push_str(", ");
                        }
                        slot.push_str(text);
                    }
                    Content::Children(children) => {
                        for child in children.iter().rev() {
                            let path =
                                if prefix.is_empty() { child.name.clone() } else { format!("{prefix}/{}", child.name) };
                            pending.push((path, child));
                        }
                    }
                }
            }
            let id = (node.name.clone(), key);
            let entry = (id.clone(), node.text().map(str::to_string), fields.into_iter().collect(), node.attrs.clone());
            by_id.insert(id, entry);
        }
        by_id.into_values().collect()
    }

    /// The entry read and the tree read of `bytes` agree: the same entries, or the same error.
    fn agree(bytes: &[u8], namespace: Namespace) -> Result<(), TestCaseError> {
        let flat = Entries::read(bytes.to_vec(), namespace);
        let tree = read::parse_bytes_with(bytes, namespace);
        match (flat, tree) {
            (Ok(flat), Ok(tree)) => {
                prop_assert_eq!(flat.root(), tree.root.as_str());
                prop_assert_eq!(seen(&flat), from_the_tree(&tree));
                prop_assert_eq!(seen(&Entries::of_document(&tree)), from_the_tree(&tree));
            }
            (Err(flat), Err(tree)) => prop_assert_eq!(flat, tree),
            (flat, tree) => prop_assert!(false, "entries {:?}, tree {:?}", flat.map(|e| seen(&e)), tree),
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// On arbitrary documents, as written, as they are, and with a small edit anywhere.
        #[test]
        fn the_entries_are_the_trees(doc in check_properties::document(), at in any::<prop::sample::Index>(), insert in "[ \n\r<>&a/]{0,2}") {
            for text in [render_fast(&doc), render_as_is_fast(&doc)] {
                for namespace in [Namespace::Required, Namespace::Optional] {
                    agree(text.as_bytes(), namespace)?;
                }
                let mut cut = at.index(text.len());
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                let next = text[cut..].chars().next().map_or(0, char::len_utf8);
                agree(format!("{}{}", &text[..cut], &text[cut + next..]).as_bytes(), Namespace::Required)?;
                agree(format!("{}{insert}{}", &text[..cut], &text[cut..]).as_bytes(), Namespace::Required)?;
                agree(text.replace('\n', "\r\n").as_bytes(), Namespace::Required)?;
            }
        }
    }

    /// Every permission set and profile of the corpus (the public one and the carestone retrieve).
    #[test]
    fn the_entries_are_the_trees_on_every_corpus_file() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
        let mut pending = vec![root];
        let mut files = 0;
        while let Some(dir) = pending.pop() {
            for item in std::fs::read_dir(&dir).unwrap() {
                let path = item.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().to_string();
                if path.is_dir() {
                    pending.push(path);
                } else if name.ends_with(".permissionset-meta.xml") || name.ends_with(".profile-meta.xml") {
                    let bytes = std::fs::read(&path).unwrap();
                    if let Err(e) = agree(&bytes, Namespace::Required) {
                        panic!("{}: {e}", path.display());
                    }
                    files += 1;
                }
            }
        }
        assert!(files > 50, "{files} files");
    }

    /// Every start tag that begins a line of `text` (where `stretch_starts` looks, and more).
    fn every_stretch_start(text: &str) -> Vec<usize> {
        let mut starts = Vec::new();
        for (line, _) in std::iter::once((0, "")).chain(text.match_indices('\n').map(|(at, lf)| (at + 1, lf))) {
            let at = line + text[line..].len() - text[line..].trim_start_matches([' ', '\t']).len();
            if text[at..].starts_with('<') && text[at + 1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
                starts.push(at);
            }
        }
        starts
    }

    /// The entries as `read_flat` gives them (`Err`: its error, `Ok(None)`: read into the tree).
    fn flat(text: &str, read: Option<(String, Body)>) -> Option<(String, Vec<Seen>)> {
        read.map(|(root, body)| (root, seen(&Entries { root: String::new(), text: text.to_string(), body })))
    }

    /// Read in stretches from `starts`, `text` gives nothing or exactly what one read gives.
    fn stretches_agree(text: &str, starts: &[usize]) -> Result<bool, TestCaseError> {
        let Some(joined) = read_in_stretches(text, Namespace::Required, starts) else { return Ok(false) };
        let whole = read_whole(text, Namespace::Required);
        prop_assert!(whole.is_ok(), "stretches from {:?} joined where one read fails: {:?}", starts, whole);
        prop_assert_eq!(flat(text, Some(joined)), flat(text, whole.unwrap()), "stretches from {:?}", starts);
        Ok(true)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Split anywhere a stretch could start (one split, or two), written, as it is, and with a
        /// small edit anywhere: the stretches join into one read's entries, or not at all.
        #[test]
        fn stretches_join_into_one_reads_entries(doc in check_properties::document(), at in any::<prop::sample::Index>(), insert in "[ \n<>&a/]{0,3}") {
            let text = render_fast(&doc);
            let cut = (0..=at.index(text.len())).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
            let edited = format!("{}{insert}{}", &text[..cut], &text[cut..]);
            for text in [text.clone(), render_as_is_fast(&doc), edited] {
                let starts = every_stretch_start(&text);
                for (i, start) in starts.iter().enumerate() {
                    stretches_agree(&text, &[*start])?;
                    if let Some(next) = starts.get(i + 1 + at.index(4)) {
                        stretches_agree(&text, &[*start, *next])?;
                    }
                }
            }
        }
    }

    /// A retrieved profile split at every line that starts a tag, once or twice: the stretches join
    /// wherever they start between two entries, and give one read's entries wherever they join.
    #[test]
    fn a_retrieved_file_is_read_in_stretches_split_anywhere_between_entries() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/corpus/org-carestone/force-app/main/default/profiles/Admin.profile-meta.xml");
        let text = std::fs::read_to_string(&path).unwrap();
        let starts = every_stretch_start(&text);
        let mut between = 0;
        // Every fifth line that starts a tag (each read costs a whole file: the mutation runs
        // rerun this test for every mutant).
        for (i, start) in starts.iter().enumerate().step_by(5) {
            let joined = stretches_agree(&text, &[*start]).unwrap();
            // An entry's tag is indented once (a field's twice).
            let entry_starts_here = text[..*start].ends_with("\n    ");
            assert_eq!(joined, entry_starts_here, "split at byte {start}");
            between += usize::from(joined);
            if let Some(later) = starts.get(i + 7) {
                stretches_agree(&text, &[*start, *later]).unwrap();
            }
        }
        assert!(between > 20, "{between} of {} starts between entries", starts.len());
        // Where the read in stretches starts them: between entries, whatever the count.
        for count in [2, 3, 5, 8, 13, 21, 34] {
            for start in stretch_starts(&text, count) {
                let previous_line = text[..start].rsplit('\n').nth(1).unwrap();
                assert!(previous_line.starts_with("    </"), "{count}: {start} after {previous_line:?}");
                assert!(stretches_agree(&text, &[start]).unwrap(), "{count}: no join at {start}");
            }
        }
    }

    #[test]
    fn entries_are_sorted_when_each_id_follows_the_one_before() {
        for (names, sorted) in [("", true), ("a", true), ("abc", true), ("acb", false), ("ba", false)] {
            let mut body = Body::default();
            for name in names.chars() {
                let (group, key) = (body.copy("classAccesses"), body.copy(&name.to_string()));
                body.slots.push(Slot { group, key, value: false, fields: (0, 0), attrs: (0, 0) });
            }
            assert_eq!(body.is_sorted(""), sorted, "{names}");
        }
    }

    /// An entry given twice is found whether the entries come in order (compared with the one
    /// before) or not (by the map the first one out of order starts), with the first one's line.
    #[test]
    fn an_entry_given_twice_is_found_in_order_or_not() {
        let class =
            |name: &str| format!("    <classAccesses>\n        <apexClass>{name}</apexClass>\n    </classAccesses>\n");
        let error = |names: &[&str]| {
            let body: String = names.iter().map(|n| class(n)).collect();
            let text = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Profile xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n{body}</Profile>\n"
            );
            read_whole(&text, Namespace::Required).err().map(|e| e.to_string())
        };
        let twice = |first: usize, then: usize| {
            Some(format!(
                "line {then}: <classAccesses> for `B` appears twice, at lines {first} and {then}: keep one (which one Salesforce would use is not documented)"
            ))
        };
        assert_eq!(error(&["A", "B", "C"]), None);
        assert_eq!(error(&["C", "A", "B"]), None);
        assert_eq!(error(&["A", "B", "B"]), twice(6, 9));
        assert_eq!(error(&["A", "B", "C", "B"]), twice(6, 12));
        assert_eq!(error(&["C", "B", "A", "B"]), twice(6, 12));
        assert_eq!(error(&["B", "C", "A", "D", "B"]), twice(3, 15));
    }

    /// A file long enough to be read in stretches: the entries one read gives, and one read's error
    /// for an entry given twice far apart.
    #[test]
    fn a_long_file_reads_as_one_read_would() {
        let class = |n: usize| {
            format!(
                "    <classAccesses>\n        <apexClass>C{n:06}</apexClass>\n        <enabled>true</enabled>\n    </classAccesses>\n"
            )
        };
        let file = |names: &mut dyn Iterator<Item = usize>| {
            let body: String = names.map(class).collect();
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Profile xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n{body}</Profile>\n"
            )
        };
        // Layout assignments at the end (in the last stretch) have two keys, joined in the side
        // buffer, which the join moves.
        let layouts: String = (0..2_000)
            .map(|n| format!("    <layoutAssignments>\n        <layout>L{n:04}</layout>\n        <recordType>R &amp; {n}</recordType>\n    </layoutAssignments>\n"))
            .collect();
        // A value with an entity in the first stretch: its side buffer is not empty.
        let long = file(&mut (0..40_000))
            .replacen("    <classAccesses>", "    <description>a &amp; b</description>\n    <classAccesses>", 1)
            .replace("</Profile>", &format!("{layouts}</Profile>"));
        assert!(long.len() > 2 * MIN_STRETCH, "{} bytes", long.len());
        let read = Entries::read(long.clone().into_bytes(), Namespace::Required).unwrap();
        assert_eq!(read.len(), 42_001);
        assert_eq!(read.get(42_000).id(), ("layoutAssignments", "L1999 / R & 1999"));
        let whole = flat(&long, read_whole(&long, Namespace::Required).unwrap());
        assert_eq!(Some(seen(&read)), whole.clone().map(|(_, seen)| seen));
        // Cut into 2 to 8 stretches, each near its share of the file and between entries, they
        // join into the same entries.
        for count in 2..=8 {
            let starts = stretch_starts(&long, count);
            assert_eq!(starts.len(), count - 1, "{count} stretches");
            for (i, start) in starts.iter().enumerate() {
                let share = long.len() / count * (i + 1);
                assert!((share..share + 200).contains(start), "{count} stretches: {start} after {share}");
                let after = |tag: &str| long[..*start].ends_with(&format!("</{tag}>\n    "));
                assert!(after("classAccesses") || after("layoutAssignments"), "{count} stretches: {start}");
            }
            assert_eq!(flat(&long, read_in_stretches(&long, Namespace::Required, &starts)), whole, "{count} stretches");
        }
        let twice = file(&mut (0..40_000).chain([7]));
        let error = Entries::read(twice.into_bytes(), Namespace::Required).unwrap_err();
        assert_eq!(
            error.to_string(),
            "line 160003: <classAccesses> for `C000007` appears twice, at lines 31 and 160003: keep one (which one Salesforce would use is not documented)"
        );
    }

    /// A stretch starts at a line that opens an element right after a line that closes one,
    /// indented alike: never at a comment, an end tag, a declaration or CDATA, nor after an
    /// entry's start tag or a comment, nor where the indentation differs.
    #[test]
    fn a_stretch_starts_where_a_line_opens_an_entry_after_one_closed() {
        let entry = |n: usize| {
            let after =
                ["    <!-- a note -->\n", "    <![CDATA[x]]>\n", "    </stray>\n", "", "  <odd/>\n", "    <?pi?>\n"];
            format!("    <e{n}>\n        <f>{n}</f>\n    </e{n}>\n{}", after[n % after.len()])
        };
        let text: String = (0..300).map(entry).collect();
        let text = format!("<R>\n{text}</R>\n");
        let mut starts_seen = 0;
        for count in 2..=40 {
            let starts = stretch_starts(&text, count);
            for start in &starts {
                let line = &text[..*start];
                let (before, indent) = line.rsplit_once('\n').expect("a line before");
                let closed = before.rsplit_once('\n').expect("two lines before").1;
                assert!(text[start + 1..].starts_with('e'), "{count} stretches: {}", &text[*start..start + 10]);
                assert_eq!(indent, "    ", "{count} stretches");
                assert!(closed.starts_with("    </"), "{count} stretches: after {closed}");
            }
            assert!(starts.windows(2).all(|w| w[0] < w[1]), "{count} stretches: {starts:?}");
            starts_seen += starts.len();
        }
        assert!(starts_seen > 300, "{starts_seen}");
    }

    /// A file is read in stretches from 512 KB: one per core, at most eight, none under 256 KB.
    #[test]
    fn a_file_is_read_in_stretches_from_512_kb_one_per_core_at_most_eight() {
        let kb = 1024;
        for (len, cores, count) in [
            (0, 2, 0),
            (100 * kb, 2, 0),
            (512 * kb - 1, 2, 1),
            (512 * kb, 2, 2),
            (4 * 1024 * kb, 2, 2),
            (4 * 1024 * kb, 1, 1),
            (768 * kb, 8, 3),
            (64 * 1024 * kb, 64, 8),
        ] {
            assert_eq!(stretch_count(len, cores), count, "{len} bytes, {cores} cores");
        }
    }

    /// The read in stretches gives up, and one read answers, when the stretches cannot be joined.
    #[test]
    fn stretches_that_cannot_be_joined_are_read_again_in_one_piece() {
        let file = |body: &str| {
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Profile xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n{body}</Profile>\n"
            )
        };
        let class = |name: &str| {
            format!(
                "    <classAccesses>\n        <apexClass>{name}</apexClass>\n        <enabled>true</enabled>\n    </classAccesses>\n"
            )
        };
        let ranges =
            |n: usize| format!("    <loginIpRanges>\n        <startAddress>{n}</startAddress>\n    </loginIpRanges>\n");
        // Each file is cut where its last line starting `    <c` or `    <l` begins (an entry's
        // start tag, but for the comment and the CDATA cases): as it is, the stretches do not join
        // and one read answers; with the defect taken out (`clean`), they join.
        let cases = [
            // The same entry on both sides: one read reports it.
            (
                file(&format!("{}{}", class("A"), class("A"))),
                file(&format!("{}{}", class("A"), class("B"))),
                "line 7: <classAccesses> for `A` appears twice, at lines 3 and 7: keep one (which one Salesforce would use is not documented)",
            ),
            // Unkeyed entries of one name on both sides: only one read numbers them.
            (file(&format!("{}{}", ranges(1), ranges(2))), file(&format!("{}{}", class("A"), ranges(2))), ""),
            // The cut is inside a comment, or inside CDATA.
            (
                file(&format!("{}<!--\n    <classAccesses>\n-->{}", class("A"), class("B"))),
                file(&format!("{}{}", class("A"), class("B"))),
                "",
            ),
            (
                file(&format!("{}    <description><![CDATA[x\n    <classAccesses>y]]></description>\n", class("A"))),
                file(&format!("{}{}", class("A"), class("B"))),
                "",
            ),
            // The cut is inside a comment that the stretch before reads past, and the stretch
            // after reads the rest as an entry: the file's stray end tags are only seen whole.
            (
                file(&format!(
                    "{}    <!--\n    </x>\n    <classAccesses><apexClass>\n    -->\n    </apexClass></classAccesses>\n",
                    class("A")
                )),
                file(&format!("{}{}", class("A"), class("B"))),
                "line 11: malformed XML: ill-formed document: expected `</Profile>`, but `</apexClass>` was found",
            ),
            // Text between entries after the cut, and before it.
            (
                file(&format!("{}{}x", class("A"), class("B"))),
                file(&format!("{}{}", class("A"), class("B"))),
                "line 11: <Profile> mixes text and elements",
            ),
            (
                file(&format!("{}x\n{}", class("A"), class("B"))),
                file(&format!("{}\n{}", class("A"), class("B"))),
                "line 12: <Profile> mixes text and elements",
            ),
            // The root's end tag is not the root's name.
            (
                file(&format!("{}{}", class("A"), class("B"))).replace("</Profile>", "</Other>"),
                file(&format!("{}{}", class("A"), class("B"))),
                "line 11: malformed XML: ill-formed document: expected `</Profile>`, but `</Other>` was found",
            ),
        ];
        let cut = |text: &str| {
            let at = text.rfind("\n    <c").max(text.rfind("\n    <l")).unwrap() + 5;
            assert!(every_stretch_start(text).contains(&at), "{text}");
            at
        };
        for (text, clean, error) in cases {
            assert!(read_in_stretches(&clean, Namespace::Required, &[cut(&clean)]).is_some(), "{clean}");
            assert_eq!(read_in_stretches(&text, Namespace::Required, &[cut(&text)]).map(|_| ()), None, "{text}");
            match read_whole(&text, Namespace::Required) {
                Err(e) => assert_eq!(e.to_string(), error, "{text}"),
                Ok(read) => assert!(error.is_empty() && read.is_some(), "{text}"),
            }
        }
    }

    #[test]
    fn texts_are_slices_of_the_file_unless_they_had_to_be_copied() {
        let text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Profile xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <description>a &amp; b</description>\n    <userPermissions>\n        <enabled>true</enabled>\n        <name>ApiEnabled</name>\n    </userPermissions>\n</Profile>\n";
        let entries = Entries::read(text.as_bytes().to_vec(), Namespace::Required).unwrap();
        assert_eq!(entries.body.side, "a & b");
        let user = entries.get(1);
        assert_eq!((user.group(), user.key(), user.text()), ("userPermissions", "ApiEnabled", None));
        assert_eq!(user.fields().collect::<Vec<_>>(), [("enabled", "true"), ("name", "ApiEnabled")]);
        assert_eq!(entries.get(0).text(), Some("a & b"));
    }
}

#[cfg(test)]
#[path = "entries_tests.rs"]
mod rules;
