//! Rules of diff's entry read stated one per test, beside the property and corpus tests in
//! `entries::tests` (which compare it with the tree reader on generated and real files).

use super::*;

const NS: &str = "http://soap.sforce.com/2006/04/metadata";

fn package(members: &[&str]) -> String {
    let listed: String = members.iter().map(|m| format!("        <members>{m}</members>\n")).collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Package xmlns=\"{NS}\">\n    <types>\n{listed}        <name>ApexClass</name>\n    </types>\n    <version>62.0</version>\n</Package>\n"
    )
}

/// A member listed twice in one `types` is refused with both lines, as the tree reader refuses
/// it; members listed once each are read.
#[test]
fn a_member_listed_twice_is_refused_as_the_tree_reader_refuses_it() {
    let twice = package(&["A", "B", "A"]);
    let refused = Entries::read(twice.clone().into_bytes(), Namespace::Required).map(|e| e.len()).unwrap_err();
    assert_eq!(Err(refused.clone()), read::parse_bytes_with(twice.as_bytes(), Namespace::Required).map(|_| ()));
    assert_eq!(
        (refused.line, refused.message.starts_with("<members> for `A` appears twice, at lines 4 and 6")),
        (6, true),
        "{refused}"
    );
    let once = Entries::read(package(&["A", "B"]).into_bytes(), Namespace::Required).unwrap();
    assert_eq!(once.len(), 2);
}

/// A file with no entries is empty; one with an entry is not.
#[test]
fn a_file_without_entries_is_empty() {
    let empty = Entries::read(format!("<PermissionSet xmlns=\"{NS}\"/>").into_bytes(), Namespace::Required).unwrap();
    assert!(empty.is_empty());
    assert_eq!(empty.len(), 0);
    let one = format!("<PermissionSet xmlns=\"{NS}\"><label>L</label></PermissionSet>");
    let one = Entries::read(one.into_bytes(), Namespace::Required).unwrap();
    assert!(!one.is_empty() && one.len() == 1);
}

/// A file that starts with a byte order mark has the entries it has without one, at the same
/// lines (the mark is skipped, not kept before the declaration).
#[test]
fn a_byte_order_mark_changes_no_entry() {
    let file = package(&["A", "B"]);
    let without = Entries::read(file.clone().into_bytes(), Namespace::Required).unwrap();
    let with = Entries::read(format!("\u{feff}{file}").into_bytes(), Namespace::Required).unwrap();
    let ids = |e: &Entries| e.iter().map(|e| (e.group().to_string(), e.key().to_string())).collect::<Vec<_>>();
    assert_eq!(ids(&with), ids(&without));
    assert_eq!((with.root(), with.len()), ("Package", 2));
    let twice = format!("\u{feff}{}", package(&["A", "A"]));
    let refused = Entries::read(twice.into_bytes(), Namespace::Required).map(|e| e.len()).unwrap_err();
    assert!(refused.message.starts_with("<members> for `A` appears twice, at lines 4 and 5"), "{refused}");
}

/// A document built in code may hold two entries with one id: the entries keep the last of them.
#[test]
fn of_two_entries_with_one_id_in_a_document_the_last_is_kept() {
    let mut doc = Document::new("PermissionSet");
    doc.entry("userPermissions", &[("enabled", "true"), ("name", "ApiEnabled")]);
    doc.entry("userPermissions", &[("enabled", "false"), ("name", "ApiEnabled")]);
    let entries = Entries::of_document(&doc);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries.get(0).fields().collect::<Vec<_>>(), [("enabled", "false"), ("name", "ApiEnabled")]);
}

/// A permission set whose `objectPermissions` name the objects of `objects`, in that order.
fn objects_set(objects: &[&str]) -> String {
    let entries: String = objects
        .iter()
        .map(|o| format!("    <objectPermissions>\n        <object>{o}</object>\n    </objectPermissions>\n"))
        .collect();
    format!("<PermissionSet xmlns=\"{NS}\">\n{entries}</PermissionSet>\n")
}

/// `text` read in one piece, as `read_whole` reads it, the read's state kept.
fn read_piece(text: &str) -> Piece<'_> {
    let mut events = Events::new(text).unwrap();
    let mut piece = Piece::first(RandomState::new());
    let stop = piece.read(text, &mut events, Namespace::Required, None, &AtomicBool::new(false)).unwrap();
    assert_eq!(stop, Stop::Eof);
    piece
}

/// Keyed entries in increasing order (a file in canonical order) are each compared with the one
/// before and no map is built; the first out of order builds it, and an entry given twice is
/// found either way.
#[test]
fn entries_in_order_are_checked_for_repeats_without_a_map() {
    let in_order = objects_set(&["Account", "Case", "Contact"]);
    assert!(read_piece(&in_order).reading.keyed.map.is_none());
    let out_of_order = objects_set(&["Case", "Account", "Contact"]);
    let piece = read_piece(&out_of_order);
    let map = piece.reading.keyed.map.as_ref().expect("a map from the first entry out of order");
    assert_eq!(map.len(), 3);
    for twice in [["Account", "Case", "Case"], ["Case", "Account", "Case"]] {
        let refused = Entries::read(objects_set(&twice).into_bytes(), Namespace::Required).unwrap_err();
        assert!(refused.message.starts_with("<objectPermissions> for `Case` appears twice"), "{refused}");
    }
}

/// Two entries whose ids share a hash are not taken for one another: on a hash seen before, every
/// earlier entry is compared with the id.
#[test]
fn an_entry_whose_hash_another_has_is_not_a_repeat() {
    let text = objects_set(&["Case", "Account"]);
    let mut piece = read_piece(&text);
    let Reading { keyed, seen, .. } = &mut piece.reading;
    // As if `Zeta` hashed as `Case` (entry 0) does.
    let zeta = ("objectPermissions", "Zeta", None);
    let hash = keyed.hashes.hash_one(zeta);
    keyed.map.as_mut().expect("out of order").insert(hash, 0);
    assert_eq!(keyed.earlier(&piece.body, &text, seen, zeta), None);
    // And `Account` given again is found, whichever entry its hash points to.
    let account = ("objectPermissions", "Account", None);
    assert_eq!(keyed.earlier(&piece.body, &text, seen, account), Some(1));
    let hash = keyed.hashes.hash_one(account);
    keyed.map.as_mut().expect("out of order").insert(hash, 0);
    assert_eq!(keyed.earlier(&piece.body, &text, seen, account), Some(1));
}

/// A text is kept as a slice of the file only when it lies wholly inside it: one that begins
/// where the file's text ends (a neighbouring buffer) is copied to the side buffer.
#[test]
fn a_text_is_a_slice_of_the_file_only_when_it_lies_inside_it() {
    let buffer = "<a>x</a>tail";
    let (text, after) = buffer.split_at(8);
    let mut body = Body::default();
    let inside = body.span(text, &text[3..4]);
    assert_eq!((inside, body.str(text, inside)), (Span { start: 3, len: 1 }, "x"));
    let beyond = body.span(text, after);
    assert_eq!((beyond.start & SIDE, body.str(text, beyond)), (SIDE, "tail"));
    assert_eq!(body.side, "tail");
}
