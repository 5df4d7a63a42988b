//! The reader's rules, one test each, named for the rule: what is read and how (entities, CDATA,
//! line ends, the BOM, comments, empty elements, the namespace), what is refused, with which words
//! and at which line. Most go through `parse`/`prepare`, so they hold whatever the internals become.

use std::borrow::Cow;
use std::hash::{BuildHasherDefault, Hasher};

use super::*;

const DECL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;
const NS: &str = "http://soap.sforce.com/2006/04/metadata";
/// The declaration and the root's start tag, on lines 1 and 2.
const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">"#;

/// `body` inside a PermissionSet root (starting on line 2), read.
fn read(body: &str) -> Document {
    let text = format!("{HEAD}{body}</PermissionSet>\n");
    parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// `body` inside a PermissionSet root (starting on line 2), refused.
fn refused(body: &str) -> ParseError {
    let text = format!("{HEAD}{body}</PermissionSet>\n");
    parse(&text).expect_err(&text)
}

fn the_message_for(c: char) -> String {
    format!("character U+{:04X} is not allowed in XML 1.0 (raw or as a character reference): remove it", c as u32)
}

// Values and entities.

#[test]
fn the_five_predefined_entities_and_character_references_are_replaced_in_text_and_attributes() {
    let doc = read(r#"<a x="&lt;&gt;&amp;&quot;&apos;&#65;&#x42;">&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#xe9;</a>"#);
    assert_eq!(doc.children[0].text(), Some("<>&\"'ABé"));
    assert_eq!(doc.children[0].attrs, [("x".to_string(), "<>&\"'AB".to_string())]);
}

#[test]
fn an_entity_xml_does_not_predefine_is_refused_at_its_line() {
    let err = refused("\n\n<a>x &nbsp; y</a>");
    assert_eq!(err.line, 4, "{err}");
    assert!(err.message.starts_with("bad text: "), "{err}");
    assert!(err.message.ends_with("(only &amp; &lt; &gt; &quot; &apos; and &#…; are allowed)"), "{err}");
    let err = refused("\n<a x=\"&nbsp;\">v</a>");
    assert_eq!(err.line, 3, "{err}");
    assert!(err.message.starts_with("bad attribute value: "), "{err}");
}

#[test]
fn a_value_is_kept_as_written_nothing_trimmed() {
    let doc = read("<a>  False \n</a><b>\n</b><c> </c>");
    let texts: Vec<_> = doc.children.iter().map(|c| c.text()).collect();
    assert_eq!(texts, [Some("  False \n"), Some("\n"), Some(" ")]);
}

#[test]
fn cdata_is_text_joined_with_the_text_around_it_and_refused_outside_the_root() {
    let doc = read("<a>x<![CDATA[<b>&amp;]]>y</a><c><![CDATA[]]></c>");
    assert_eq!(doc.children[0].text(), Some("x<b>&amp;y"));
    assert_eq!(doc.children[1].text(), Some(""));
    let text = format!("{HEAD}</PermissionSet>\n\n<![CDATA[x]]>");
    assert_eq!(parse(&text).unwrap_err(), ParseError { line: 4, message: "CDATA outside the root element".into() });
}

#[test]
fn an_empty_element_is_an_empty_value_with_or_without_an_end_tag() {
    let doc = read("<!-- c --><a/><b></b><c x=\"1\"/><e><f/><g>1</g></e>");
    let empty = |name: &str, attrs: Vec<(String, String)>, comments: Vec<String>| Node {
        name: name.to_string(),
        attrs,
        comments,
        content: Content::Text(String::new()),
        tail: Vec::new(),
    };
    assert_eq!(doc.children[0], empty("a", vec![], vec![" c ".into()]));
    assert_eq!(doc.children[1], empty("b", vec![], vec![]));
    assert_eq!(doc.children[2], empty("c", vec![("x".into(), "1".into())], vec![]));
    assert_eq!(doc.children[3].children(), [empty("f", vec![], vec![]), Node::leaf("g", "1")]);
}

#[test]
fn an_empty_root_is_a_document_without_children() {
    let text = format!("{DECL}\n<!-- a -->\n<Package xmlns=\"{NS}\" b=\"c\"/>\n<!-- z -->\n");
    let doc = parse(&text).unwrap();
    assert_eq!(doc.root, "Package");
    assert!(doc.in_metadata_namespace && doc.children.is_empty() && doc.tail.is_empty());
    assert_eq!(doc.root_attrs, [("b".to_string(), "c".to_string())]);
    assert_eq!(doc.comments, [" a ", " z "]);
}

#[test]
fn a_processing_instruction_inside_the_root_is_dropped() {
    assert_eq!(read("<a>1</a><?pi x?><b>2</b>"), read("<a>1</a><b>2</b>"));
}

// Comments.

#[test]
fn comments_go_with_the_element_that_follows_or_to_the_end_of_their_parent() {
    let doc = read("<!-- 1 --><a>x<!-- 2 -->y<!-- 3 --></a><e><!-- 4 --><f>1</f><!-- 5 --></e><!-- 6 -->");
    assert_eq!(doc.children[0].comments, [" 1 ", " 2 ", " 3 "]);
    assert_eq!(doc.children[0].text(), Some("xy"));
    assert_eq!(doc.children[1].children()[0].comments, [" 4 "]);
    assert_eq!(doc.children[1].tail, [" 5 "]);
    assert_eq!(doc.tail, [" 6 "]);
    let text = format!("{DECL}\n<!-- before -->\n<PermissionSet xmlns=\"{NS}\"></PermissionSet>\n<!-- after -->\n");
    assert_eq!(parse(&text).unwrap().comments, [" before ", " after "]);
}

#[test]
fn a_comment_holding_two_dashes_is_refused() {
    let err = refused("\n<a>1</a><!-- a -- b -->");
    assert_eq!(err.line, 3, "{err}");
    assert!(err.message.starts_with("malformed XML: "), "{err}");
}

// Line ends and the byte order mark.

/// The text `prepare_text` makes of `text` (`text()` and `into_text()` give the same).
fn prepared(text: &str) -> String {
    let prepared = prepare_text(text);
    let seen = prepared.text().to_string();
    let kept = prepared.into_text();
    assert_eq!(kept, seen);
    // Borrowed exactly when nothing was changed but a BOM skipped.
    assert_eq!(matches!(kept, Cow::Borrowed(_)), text.trim_start_matches('\u{feff}') == seen, "{text:?}");
    seen
}

#[test]
fn crlf_throughout_or_cr_throughout_is_read_as_lf() {
    assert_eq!(prepared("a\r\nb\r\n"), "a\nb\n");
    assert_eq!(prepared("a\r\nb"), "a\nb");
    assert_eq!(prepared("\r\n\r\n"), "\n\n");
    assert_eq!(prepared("a\rb\r"), "a\nb\n");
    assert_eq!(prepared("\r"), "\n");
    // A CR that is not before a LF in a CRLF file stays (only the line ends are settled).
    assert_eq!(prepared("a\r\r\nb\r\n"), "a\r\nb\n");
    let long = "x".repeat(100) + "\r\n";
    assert_eq!(prepared(&long.repeat(3)), ("x".repeat(100) + "\n").repeat(3));
}

#[test]
fn in_a_file_with_a_lone_lf_every_cr_is_data() {
    for text in ["a\nb\r\nc", "a\r\nb\n", "a\rb\n", "\na\r\n", "a\n\r", "a\nb\nc\r\n"] {
        assert_eq!(prepared(text), text, "{text:?}");
    }
    assert_eq!(prepared("no line end"), "no line end");
    assert_eq!(prepared("\u{feff}a\r\nb"), "a\nb");
    assert_eq!(prepared("\u{feff}a\nb"), "a\nb");
    let doc = parse(&format!("{HEAD}\n<a>x\ry\r\nz</a></PermissionSet>")).unwrap();
    assert_eq!(doc.children[0].text(), Some("x\ry\r\nz"));
}

#[test]
fn the_text_is_the_files_bytes_only_when_nothing_was_skipped_or_changed() {
    let plain = format!("{HEAD}</PermissionSet>\n");
    let bytes = plain.as_bytes();
    assert!(prepare(bytes).unwrap().is_verbatim(bytes));
    let copy = bytes.to_vec();
    assert!(!prepare(bytes).unwrap().is_verbatim(&copy), "another buffer with the same bytes");
    assert!(!prepare(&bytes[..10]).unwrap().is_verbatim(bytes), "a part of the buffer");
    let bom = format!("\u{feff}{plain}");
    let prepared = prepare(bom.as_bytes()).unwrap();
    assert!(!prepared.is_verbatim(bom.as_bytes()));
    assert_eq!(prepared.text(), plain);
    let crlf = plain.replace('\n', "\r\n");
    assert!(!prepare(crlf.as_bytes()).unwrap().is_verbatim(crlf.as_bytes()));
}

#[test]
fn a_bom_is_skipped_and_the_declaration_after_it_is_first() {
    let doc = parse(&format!("\u{feff}{HEAD}<a>1</a></PermissionSet>")).unwrap();
    assert_eq!(doc, parse(&format!("{HEAD}<a>1</a></PermissionSet>")).unwrap());
    let doc = parse_bytes(format!("\u{feff}{HEAD}<a>1</a></PermissionSet>").as_bytes()).unwrap();
    assert_eq!(doc.children[0].text(), Some("1"));
}

#[test]
fn errors_count_lines_as_the_file_has_them_whatever_its_line_ends() {
    for end in ["\n", "\r\n", "\r"] {
        let text = format!("{HEAD}\n<a>1</a>\n\n<b>&x;</b></PermissionSet>").replace('\n', end);
        assert_eq!(parse(&text).unwrap_err().line, 5, "{end:?}");
    }
}

// Encodings.

#[test]
fn utf16_is_refused_with_or_without_a_bom_and_told_how_to_convert() {
    let message = "the file is UTF-16; metadata files are UTF-8: convert it (iconv -f UTF-16 -t UTF-8)";
    let text = format!("{HEAD}</PermissionSet>");
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    for bytes in [[&[0xFF, 0xFE][..], &le].concat(), [&[0xFE, 0xFF][..], &be].concat(), le, be] {
        let err = prepare(&bytes).err().expect("refused");
        assert_eq!(err, ParseError { line: 1, message: message.into() });
    }
}

#[test]
fn bytes_that_are_not_utf8_are_refused_with_their_line_and_position() {
    let err = parse_bytes(b"<?xml version=\"1.0\"?>\n<a>\n\xff</a>").unwrap_err();
    assert_eq!(
        err,
        ParseError {
            line: 3,
            message: "not UTF-8 (byte 27 is invalid); metadata files are UTF-8: save it as UTF-8".into()
        }
    );
    let err = parse_bytes(b"\xc3").unwrap_err();
    assert_eq!(err.line, 1);
    assert!(err.message.starts_with("not UTF-8 (byte 1 is invalid)"), "{err}");
}

#[test]
fn the_declaration_must_name_utf8_if_it_names_an_encoding() {
    for encoding in ["UTF-8", "utf-8", "UTF8", "utf8"] {
        let text = format!("<?xml version=\"1.0\" encoding=\"{encoding}\"?>\n<PermissionSet xmlns=\"{NS}\"/>");
        assert!(parse(&text).is_ok(), "{encoding}");
    }
    assert!(parse(&format!("<?xml version=\"1.0\"?>\n<PermissionSet xmlns=\"{NS}\"/>")).is_ok());
    assert!(parse(&format!("<PermissionSet xmlns=\"{NS}\"/>")).is_ok(), "no declaration at all");
    let text = format!("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<PermissionSet xmlns=\"{NS}\"/>");
    assert_eq!(
        parse(&text).unwrap_err(),
        ParseError {
            line: 1,
            message:
                "the XML declaration says encoding `ISO-8859-1`; metadata files are UTF-8: convert it and declare UTF-8"
                    .into()
        }
    );
}

#[test]
fn a_declaration_anywhere_but_first_is_refused_at_its_line() {
    let err = parse(&format!("\n\n{HEAD}</PermissionSet>")).unwrap_err();
    assert_eq!(
        err,
        ParseError {
            line: 3,
            message: "the XML declaration must come first in the file, before anything else (even spaces or a comment)"
                .into()
        }
    );
}

// Characters XML forbids.

#[test]
fn the_first_forbidden_character_is_found_at_any_offset_among_any_neighbours() {
    let forbidden = ['\u{0}', '\u{1}', '\u{8}', '\u{B}', '\u{C}', '\u{E}', '\u{1F}', '\u{FFFE}', '\u{FFFF}'];
    // Neighbours a block may hold: letters, the space, the three allowed controls, and characters whose UTF-8
    // starts with EF like U+FFFE's (U+F000, U+FFFD).
    let fillers = ["a", " ", "\t", "\n", "\r", "\u{F000}", "\u{FFFD}", "\t\n\r"];
    for c in forbidden {
        for filler in fillers {
            for at in [0, 1, 31, 62, 63, 64, 65, 127, 128, 191, 200] {
                let mut text = filler.repeat(at).chars().take(at).collect::<String>();
                let offset = text.len();
                text.push(c);
                text.push_str(&filler.repeat(80));
                text.push('\u{1}');
                assert_eq!(forbidden_char(&text), Some((offset, c)), "{c:?} after {at} × {filler:?}");
            }
            assert_eq!(forbidden_char(&filler.repeat(300)), None, "{filler:?}");
        }
        // A run of forbidden characters longer than a block.
        assert_eq!(forbidden_char(&c.to_string().repeat(200)), Some((0, c)));
        assert_eq!(forbidden_char(&format!("{}{}", "\u{7}".repeat(130), c)), Some((0, '\u{7}')));
    }
    assert_eq!(forbidden_char(""), None);
    // U+FFFE split across two blocks: its first byte is the last of a block.
    let text = format!("{}\u{FFFE}", "a".repeat(63));
    assert_eq!(forbidden_char(&text), Some((63, '\u{FFFE}')));
    let text = format!("{}\u{FFFF}", "a".repeat(62));
    assert_eq!(forbidden_char(&text), Some((62, '\u{FFFF}')));
}

#[test]
fn only_controls_other_than_tab_lf_cr_and_the_lead_byte_ef_send_a_block_to_the_byte_by_byte_search() {
    // A byte outside this set never begins a forbidden character (so a block without one is
    // skipped); a byte inside it costs a byte-by-byte search of its block.
    let suspects: Vec<u8> = (0..=u8::MAX).filter(|b| may_begin_forbidden(*b)).collect();
    let expected: Vec<u8> = (0x00..=0x08).chain([0x0B, 0x0C]).chain(0x0E..=0x1F).chain([0xEF]).collect();
    assert_eq!(suspects, expected);
}

#[test]
fn a_forbidden_character_is_refused_at_its_line_with_its_code_point() {
    let text = format!("{HEAD}\n<a>1</a>\n{}<b>\u{1F}</b></PermissionSet>", "x".repeat(150));
    assert_eq!(parse(&text).unwrap_err(), ParseError { line: 4, message: the_message_for('\u{1F}') });
    let text = format!("{HEAD}\n<a>&#xFFFF;</a></PermissionSet>");
    assert_eq!(parse(&text).unwrap_err(), ParseError { line: 3, message: the_message_for('\u{FFFF}') });
    let text = format!("{HEAD}\n\n<a b=\"&#x1;\">1</a></PermissionSet>");
    assert_eq!(parse(&text).unwrap_err(), ParseError { line: 4, message: the_message_for('\u{1}') });
}

#[test]
fn every_character_xml_allows_is_read_and_no_other() {
    for c in ['\t', '\n', '\r', ' ', '\u{D7FF}', '\u{E000}', '\u{FFFD}', '\u{10000}', '\u{10FFFF}'] {
        assert!(is_xml_char(c), "{c:?}");
    }
    for c in ['\u{0}', '\u{8}', '\u{B}', '\u{1F}', '\u{FFFE}', '\u{FFFF}'] {
        assert!(!is_xml_char(c), "{c:?}");
    }
}

#[test]
fn a_text_value_replaces_references_and_refuses_one_to_a_forbidden_character() {
    assert_eq!(text_value("a&#10;b&#9;c&#13;").unwrap(), "a\nb\tc\r");
    assert!(matches!(text_value("plain & simple".split('&').next().unwrap()), Ok(Cow::Borrowed("plain "))));
    assert_eq!(text_value("x&#x1;").unwrap_err(), the_message_for('\u{1}'));
    assert_eq!(text_value("&#xFFFE;").unwrap_err(), the_message_for('\u{FFFE}'));
}

#[test]
fn a_bare_ampersand_is_refused_even_alone() {
    for value in ["&", "&&", "a & b"] {
        let err = refused(&format!("\n<a>{value}</a>"));
        assert_eq!(err.line, 3, "{value}: {err}");
        assert!(err.message.starts_with("bad text: "), "{value}: {err}");
    }
}

#[test]
fn a_byte_is_found_in_short_and_long_texts_once_or_many_times() {
    for length in [0, 1, 63, 64, 65, 200] {
        let plain = "a".repeat(length);
        assert!(!has_byte(plain.as_bytes(), b'&'), "{length}");
        for at in [0, length / 2, length.saturating_sub(1)].into_iter().filter(|at| *at < length) {
            let mut one = plain.clone().into_bytes();
            one[at] = b'&';
            assert!(has_byte(&one, b'&'), "{length} at {at}");
            assert!(!has_byte(&one, b'b'), "{length}: only the byte asked for");
        }
    }
    assert!(has_byte(b"&&", b'&') && has_byte(b"&", b'&') && has_byte(&[b'&'; 100], b'&'));
    assert!(!has_byte(b"", b'&'));
}

// Attributes.

#[test]
fn raw_white_space_in_an_attribute_is_a_space_and_references_keep_theirs() {
    assert_eq!(attribute_value("a\tb\nc\rd\r\ne").unwrap(), "a b c d e");
    assert_eq!(attribute_value("&#9;&#10;&#13;").unwrap(), "\t\n\r");
    assert_eq!(attribute_value("a\n&amp;").unwrap(), "a &");
    assert!(matches!(attribute_value("as is"), Ok(Cow::Borrowed("as is"))));
    assert_eq!(attribute_value("&#x1;").unwrap_err(), the_message_for('\u{1}'));
    assert_eq!(attribute_value("\n&#xFFFE;").unwrap_err(), the_message_for('\u{FFFE}'));
    assert!(attribute_value("&bad;").unwrap_err().starts_with("bad attribute value: "));
    assert!(attribute_value("\t&bad;").unwrap_err().starts_with("bad attribute value: "));
}

#[test]
fn attributes_keep_their_order_and_one_given_twice_is_refused() {
    let doc = read("<a z=\"1\" y='2' x=\"&amp;\">v</a>");
    let attrs: Vec<(&str, &str)> = doc.children[0].attrs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(attrs, [("z", "1"), ("y", "2"), ("x", "&")]);
    assert_eq!(
        refused("\n<a x=\"1\" x=\"1\"/>"),
        ParseError { line: 3, message: "the attribute `x` is given twice".into() }
    );
}

#[test]
fn a_duplicate_is_any_key_given_twice_in_any_order() {
    assert_eq!(first_duplicate(vec![]), None);
    assert_eq!(first_duplicate(vec!["a"]), None);
    assert_eq!(first_duplicate(vec!["a", "b"]), None);
    assert_eq!(first_duplicate(vec!["a", "a"]), Some("a"));
    assert_eq!(first_duplicate(vec!["c", "a", "b"]), None);
    assert_eq!(first_duplicate(vec!["b", "a", "c", "b"]), Some("b"));
}

// Names.

#[test]
fn names_follow_xml_names_for_ascii_and_beyond() {
    for good in
        ["a", "A", "_", ":", "a-b.c_d:e9", "xsi:type", "é", "aé", "a\u{B7}", "a\u{300}", "a\u{203F}", "\u{10000}"]
    {
        assert!(is_xml_name(good), "{good:?}");
    }
    for bad in ["", "1a", "-a", ".a", "a b", "a=", "\u{B7}a", "\u{300}a", "a\u{D7}", "é=", "\u{2000}"] {
        assert!(!is_xml_name(bad), "{bad:?}");
    }
}

#[test]
fn an_ascii_name_is_measured_up_to_the_first_byte_no_name_holds() {
    assert_eq!(ascii_name_length(b"abc def"), 3);
    assert_eq!(ascii_name_length(b"a-b.c_d:e9>"), 10);
    assert_eq!(ascii_name_length(b":x/"), 2);
    assert_eq!(ascii_name_length(b"Z"), 1);
    for none in [&b""[..], b"1a", b"-a", b".", b" a", b"\xc3\xa9"] {
        assert_eq!(ascii_name_length(none), 0, "{none:?}");
    }
}

// The root and what stands around it.

#[test]
fn the_root_must_be_in_the_metadata_namespace() {
    for root in ["<PermissionSet>", "<PermissionSet xmlns=\"urn:other\">", &format!("<PermissionSet xmlns:m=\"{NS}\">")]
    {
        let text = format!("{DECL}\n{root}<a>1</a></PermissionSet>");
        let err = parse(&text).unwrap_err();
        let message = format!("the root <PermissionSet> is not in the metadata namespace `{NS}`");
        assert_eq!(err, ParseError { line: 2, message }, "{root}");
    }
}

#[test]
fn an_optional_namespace_allows_none_but_not_another() {
    let with = |root: &str| parse_with(&format!("{DECL}\n{root}<a>1</a></PermissionSet>"), Namespace::Optional);
    let none = with("<PermissionSet>").unwrap();
    assert!(!none.in_metadata_namespace);
    assert_eq!(none.children[0].text(), Some("1"));
    let other_prefix = with("<PermissionSet xmlns:xsi=\"urn:x\">").unwrap();
    assert!(!other_prefix.in_metadata_namespace);
    assert!(with(&format!("<PermissionSet xmlns=\"{NS}\">")).unwrap().in_metadata_namespace);
    assert!(with("<PermissionSet xmlns=\"urn:other\">").unwrap_err().message.contains("not in the metadata namespace"));
    let bytes = format!("{DECL}<PermissionSet/>");
    assert!(!parse_bytes_with(bytes.as_bytes(), Namespace::Optional).unwrap().in_metadata_namespace);
    assert!(parse_bytes(bytes.as_bytes()).is_err());
}

#[test]
fn the_roots_other_attributes_are_kept_in_order_without_the_default_namespace() {
    let text = format!(
        "{DECL}\n<Profile xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns=\"{NS}\" a=\"1\"></Profile>"
    );
    let doc = parse(&text).unwrap();
    assert_eq!(doc.root, "Profile");
    let attrs: Vec<(&str, &str)> = doc.root_attrs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(attrs, [("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"), ("a", "1")]);
}

#[test]
fn only_white_space_and_comments_may_stand_outside_the_root() {
    let text = format!("{DECL}\n\n  <!-- c -->\n<PermissionSet xmlns=\"{NS}\"/>\n \t\n");
    assert!(parse(&text).is_ok());
    // The line is where the text starts (here right after the root's end tag).
    let text = format!("{HEAD}</PermissionSet>\n\nx\n");
    assert_eq!(parse(&text).unwrap_err(), ParseError { line: 2, message: "text outside the root element".into() });
    let text = format!("{DECL}\nx<PermissionSet xmlns=\"{NS}\"/>");
    assert_eq!(parse(&text).unwrap_err(), ParseError { line: 1, message: "text outside the root element".into() });
    let text = format!("{HEAD}</PermissionSet>\n<PermissionSet xmlns=\"{NS}\"/>");
    let second = ParseError { line: 3, message: "a second root element: a metadata file holds one".into() };
    assert_eq!(parse(&text).unwrap_err(), second);
}

#[test]
fn a_file_without_a_root_or_that_ends_inside_one_is_refused_at_its_end() {
    let no_root = |line| ParseError { line, message: "no root element".into() };
    assert_eq!(parse("").unwrap_err(), no_root(1));
    assert_eq!(parse(&format!("{DECL}\n<!-- c -->\n")).unwrap_err(), no_root(3));
    let err = parse(&format!("{HEAD}\n<a>x</a>\n")).unwrap_err();
    assert_eq!(err, ParseError { line: 4, message: "the file ends inside an element".into() });
    let err = parse(&format!("{HEAD}\n<a>x")).unwrap_err();
    assert_eq!(err.line, 3, "{err}");
}

// Structure.

#[test]
fn an_element_holds_text_or_elements_never_both() {
    for (body, name) in
        [("\n<e>text<b>1</b></e>", "e"), ("\n<e><b>1</b>text</e>", "e"), ("\n<e><b>1</b> x <c/></e>", "e")]
    {
        let err = refused(body);
        assert_eq!(err, ParseError { line: 3, message: format!("<{name}> mixes text and elements") }, "{body}");
    }
    let doc = read("\n<e>\n  <b>1</b>\n\t<c/>  \n</e>");
    assert_eq!(doc.children[0].children().len(), 2);
    // White space as `str::trim` sees it, beyond ASCII too.
    let doc = read("<e><b>1</b>\u{2003}\u{A0}</e>");
    assert_eq!(doc.children[0].children().len(), 1);
}

#[test]
fn nesting_is_limited_to_max_depth_counting_the_root() {
    let nested = |n: usize| format!("{}{}", "\n<a>".repeat(n), "</a>".repeat(n));
    let doc = read(&nested(MAX_DEPTH - 1));
    let mut depth = 1;
    let mut node = &doc.children[0];
    while let Some(child) = node.children().first() {
        node = child;
        depth += 1;
    }
    assert_eq!(depth + 1, MAX_DEPTH);
    let err = refused(&nested(MAX_DEPTH));
    let message = format!(
        "elements nest more than {MAX_DEPTH} deep; permission sets and profiles nest 3 deep: is it a metadata file?"
    );
    assert_eq!(err, ParseError { line: 2 + MAX_DEPTH, message });
}

#[test]
fn malformed_xml_is_refused_at_the_line_of_the_fault() {
    let err = refused("\n\n<a>x</b>");
    assert_eq!(err.line, 4, "{err}");
    assert!(err.message.starts_with("malformed XML: "), "{err}");
    let err = refused("\n<a>x</a>\n<b x=1>v</b>");
    assert_eq!(err.line, 4, "{err}");
    assert!(err.message.starts_with("bad attribute: "), "{err}");
}

#[test]
fn names_that_are_not_xml_names_are_refused_with_what_a_name_is() {
    let err = refused("\n<a x&=\"1\">v</a>");
    let message = "`x&` is not an XML name (a letter first; letters, digits, `-`, `.`, `_`, `:`)";
    assert_eq!(err, ParseError { line: 3, message: message.into() });
    let err = refused("\n\n<1a/>");
    assert_eq!(err.line, 4, "{err}");
}

// Entries given twice.

#[test]
fn an_entry_given_twice_names_both_lines_and_both_keys() {
    let entry = "<layoutAssignments><layout>L</layout><recordType>R</recordType></layoutAssignments>";
    let err = refused(&format!("\n{entry}\n<label>x</label>\n\n{entry}"));
    let message = "<layoutAssignments> for `L` / `R` appears twice, at lines 3 and 6: keep one (which one Salesforce would use is not documented)";
    assert_eq!(err, ParseError { line: 6, message: message.into() });
}

#[test]
fn entries_are_told_apart_by_group_key_and_second_key() {
    let doc = read(
        "<fieldPermissions><field>A.B</field></fieldPermissions>\
         <objectPermissions><object>A.B</object></objectPermissions>\
         <fieldPermissions><field>A.C</field></fieldPermissions>\
         <layoutAssignments><layout>L</layout></layoutAssignments>\
         <layoutAssignments><layout>L</layout><recordType>R</recordType></layoutAssignments>\
         <layoutAssignments><layout>L</layout><recordType>S</recordType></layoutAssignments>\
         <label>x</label><label>x</label>",
    );
    assert_eq!(doc.children.len(), 8);
}

#[test]
fn an_entry_given_twice_below_the_root_is_refused_too() {
    let text = format!(
        "{DECL}\n<Package xmlns=\"{NS}\">\n<types>\n<members>A</members>\n<members>B</members>\n<members>A</members>\n<name>ApexClass</name>\n</types>\n</Package>\n"
    );
    let err = parse(&text).unwrap_err();
    assert_eq!(err.line, 6, "{err}");
    assert!(err.message.starts_with("<members> for `A` appears twice, at lines 4 and 6"), "{err}");
}

/// Every key hashes alike: each entry after the first is compared with its siblings one by one.
#[derive(Default)]
struct Colliding;

impl Hasher for Colliding {
    fn finish(&self) -> u64 {
        7
    }

    fn write(&mut self, _: &[u8]) {}
}

#[test]
fn duplicates_are_found_and_distinct_entries_kept_when_hashes_collide() {
    let hashes = BuildHasherDefault::<Colliding>::default();
    let text = "a\nb\nc\nd\ne\n";
    let field = |name: &str| Node::entry("fieldPermissions", &[("field", name), ("readable", "true")]);
    let mut children = Children::new();
    let mut frame = Frame::new(Node::leaf("PermissionSet", ""), 0, &children);
    frame.push_child(&mut children, field("A.X"), 2, text, &hashes).unwrap();
    frame.push_child(&mut children, field("A.Y"), 4, text, &hashes).unwrap();
    frame.push_child(&mut children, Node::leaf("label", "L"), 6, text, &hashes).unwrap();
    let err = frame.push_child(&mut children, field("A.Y"), 8, text, &hashes).unwrap_err();
    assert_eq!(err.line, 5, "{err}");
    assert!(err.message.contains("lines 3 and 5") && err.message.contains("`A.Y`"), "{err}");
    assert_eq!(children.take_from(frame.first).len(), 3);
}

#[test]
fn when_hashes_collide_entries_are_still_told_apart_by_group_key_and_second_key() {
    let hashes = BuildHasherDefault::<Colliding>::default();
    let text = "1\n2\n3\n4\n5\n6\n7\n";
    let mut children = Children::new();
    let mut frame = Frame::new(Node::leaf("PermissionSet", ""), 0, &children);
    let entries = [
        Node::entry("fieldPermissions", &[("field", "A.B")]),
        Node::entry("objectPermissions", &[("object", "A.B")]),
        Node::entry("fieldPermissions", &[("field", "A.C")]),
        Node::entry("layoutAssignments", &[("layout", "L")]),
        Node::entry("layoutAssignments", &[("layout", "L"), ("recordType", "R")]),
    ];
    for (i, entry) in entries.iter().enumerate() {
        frame.push_child(&mut children, entry.clone(), 2 * i, text, &hashes).unwrap();
    }
    let again = Node::entry("layoutAssignments", &[("layout", "L"), ("recordType", "R")]);
    let err = frame.push_child(&mut children, again, 12, text, &hashes).unwrap_err();
    assert!(err.message.contains("at lines 5 and 7"), "{err}");
    assert_eq!(children.take_from(frame.first), entries);
}

#[test]
fn a_prehashed_key_is_its_own_hash() {
    let mut hasher = Prehashed::default();
    hasher.write_u64(0x1234_5678_9abc_def0);
    assert_eq!(hasher.finish(), 0x1234_5678_9abc_def0);
    let of = |bytes: &[u8]| {
        let mut hasher = Prehashed::default();
        hasher.write(bytes);
        hasher.finish()
    };
    // Each byte goes in at the bottom; the one written eight bytes earlier comes round to meet it.
    assert_eq!(of(&[0x12, 0x34]), 0x1234);
    assert_eq!(of(&[1, 0, 0, 0, 0, 0, 0, 0, 1]), 0);
    assert_ne!(of(b"ab"), of(b"ba"));
}
