//! The rules of decomposed permission sets, one test each: which paths are parts of which layout,
//! how a folder's layout is found, what recomposing reads and refuses (with which words), what the
//! CLI does silently (the notes), and what splitting writes and refuses.

use super::*;

const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const NS: &str = "http://soap.sforce.com/2006/04/metadata";

/// A file of the set's folder: `relative` also names it in messages.
fn file<'a>(relative: &'a str, bytes: &'a str) -> PartFile<'a> {
    PartFile { relative, display: relative, bytes: bytes.as_bytes() }
}

/// `root` in the metadata namespace holding `body`.
fn in_ns(root: &str, body: &str) -> String {
    format!("{DECL}<{root} xmlns=\"{NS}\">{body}</{root}>\n")
}

/// `root` without a namespace holding `body` (a Beta2 part).
fn bare(root: &str, body: &str) -> String {
    format!("{DECL}<{root}>{body}</{root}>\n")
}

const STUB: &str = "X.permissionset-meta.xml";

fn user_permission(name: &str) -> String {
    format!("<userPermissions><enabled>true</enabled><name>{name}</name></userPermissions>")
}

#[test]
fn the_presets_name_the_two_layouts_and_nothing_else() {
    for layout in [Decomposition::Beta, Decomposition::Beta2] {
        assert_eq!(Decomposition::from_preset(layout.preset()), Some(layout));
        assert_eq!(layout.to_string(), layout.preset());
    }
    assert_eq!(Decomposition::Beta.preset(), "decomposePermissionSetBeta");
    assert_eq!(Decomposition::Beta2.preset(), "decomposePermissionSetBeta2");
    assert_eq!(Decomposition::from_preset("decomposePermissionSetBeta3"), None);
    assert_eq!(Decomposition::from_preset(""), None);
}

#[test]
fn a_path_is_a_part_only_where_the_cli_writes_one() {
    let beta2 = Some(PartPath::Part(Decomposition::Beta2));
    let beta = Some(PartPath::Part(Decomposition::Beta));
    assert_eq!(classify("X", "X.flowAccess-meta.xml"), beta2);
    assert_eq!(classify("X", "objectSettings/A.objectSettings-meta.xml"), beta2);
    assert_eq!(classify("X", "flowAccesses/F.flowAccess-meta.xml"), beta);
    // The Beta suffix of a type whose Beta2 suffix differs is no Beta2 file, and the other way round.
    assert_eq!(classify("X", "X.customPermission-meta.xml"), None);
    assert_eq!(classify("X", "customPermissions/A.customPermissions-meta.xml"), None);
    for stray in [
        "XY.userPermission-meta.xml",
        "X.userPermission.xml",
        "X.userPermission",
        "X.unknownType-meta.xml",
        "objectSettings/.objectSettings-meta.xml",
        "objectSettings/A.objectSetting-meta.xml",
        "userPermissions/.userPermission-meta.xml",
        "userPermissions/AuserPermission-meta.xml",
        "unknownFolder/A.userPermission-meta.xml",
        "userPermissions/sub/A.userPermission-meta.xml",
        "",
    ] {
        assert_eq!(classify("X", stray), None, "{stray}");
    }
}

#[test]
fn a_part_names_its_set_from_the_folder_one_or_two_levels_up() {
    assert_eq!(part_of("permissionsets/X/X.userPermission-meta.xml"), Some(("X".into(), Decomposition::Beta2)));
    assert_eq!(
        part_of("a/permissionsets/X/userPermissions/A.userPermission-meta.xml"),
        Some(("X".into(), Decomposition::Beta))
    );
    assert_eq!(
        part_of("X%2FY/X%2FY.userPermission-meta.xml"),
        Some(("X/Y".into(), Decomposition::Beta2)),
        "the folder's name is decoded"
    );
    assert_eq!(part_of("X/userPermissions/A.userPermission-meta.xml"), Some(("X".into(), Decomposition::Beta)));
    for none in ["X.userPermission-meta.xml", "userPermissions/A.userPermission-meta.xml", "X/notes.txt", ""] {
        assert_eq!(part_of(none), None, "{none}");
    }
}

#[test]
fn a_folder_is_in_the_one_layout_its_parts_are_in() {
    assert_eq!(layout_of("f", "X", []), Ok(None));
    assert_eq!(layout_of("f", "X", [STUB]), Ok(None));
    assert_eq!(layout_of("f", "X", [STUB, "X.userPermission-meta.xml"]), Ok(Some(Decomposition::Beta2)));
    assert_eq!(layout_of("f", "X", ["userPermissions/A.userPermission-meta.xml"]), Ok(Some(Decomposition::Beta)));
    let mixed = layout_of("f", "X", ["X.userPermission-meta.xml", "userPermissions/A.userPermission-meta.xml"]);
    assert_eq!(mixed, Err(DecomposedError::MixedLayouts { folder: "f".into() }));
    assert_eq!(
        mixed.unwrap_err().to_string(),
        "f: holds both decomposePermissionSetBeta and decomposePermissionSetBeta2 files; the sf CLI reads one layout: keep the files of the one sfdx-project.json names"
    );
    let stray = layout_of("f", "X", [STUB, "notes.txt"]).unwrap_err();
    assert_eq!(
        stray.to_string(),
        "f/notes.txt: not a file of a decomposed permission set (sfperms and the sf CLI would not read it); move it out of the set's folder"
    );
}

#[test]
fn recomposing_needs_the_sets_own_file_with_a_permission_set_root_in_the_namespace() {
    let part = bare("PermissionSet", &user_permission("A"));
    let no_stub = recompose("f", "X", Decomposition::Beta2, &[file("X.userPermission-meta.xml", &part)]);
    assert_eq!(
        no_stub.unwrap_err().to_string(),
        "f: no `X.permissionset-meta.xml`: a decomposed permission set needs its own file"
    );
    let profile = in_ns("Profile", "");
    let err = recompose("f", "X", Decomposition::Beta2, &[file(STUB, &profile)]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "X.permissionset-meta.xml: the root element is <Profile>, but a decomposePermissionSetBeta2 part of a permission set has <PermissionSet>"
    );
    let without_namespace = bare("PermissionSet", "");
    let err = recompose("f", "X", Decomposition::Beta2, &[file(STUB, &without_namespace)]).unwrap_err();
    assert!(matches!(&err, DecomposedError::Parse { path, line: 2, .. } if path == STUB), "{err}");
}

#[test]
fn a_part_that_cannot_be_read_is_named_with_its_line() {
    let stub = in_ns("PermissionSet", "<label>X</label>");
    let broken = format!("{DECL}<PermissionSet>\n<a>&bad;</a></PermissionSet>");
    let err = recompose("f", "X", Decomposition::Beta2, &[file(STUB, &stub), file("X.flowAccess-meta.xml", &broken)])
        .unwrap_err();
    let DecomposedError::Parse { path, line, message } = &err else { panic!("{err}") };
    assert_eq!((path.as_str(), *line), ("X.flowAccess-meta.xml", 3));
    assert_eq!(err.to_string(), format!("X.flowAccess-meta.xml:3: {message}"));
}

#[test]
fn a_beta2_part_is_a_permission_set_with_or_without_the_namespace() {
    let stub = in_ns("PermissionSet", "<label>X</label>");
    let bare_part = bare("PermissionSet", &user_permission("A"));
    let ns_part = in_ns("PermissionSet", &user_permission("B"));
    let files =
        [file(STUB, &stub), file("X.userPermission-meta.xml", &bare_part), file("X.flowAccess-meta.xml", &ns_part)];
    let back = recompose("f", "X", Decomposition::Beta2, &files).unwrap();
    let names: Vec<&str> = back.document.children.iter().map(|n| n.child_text("name").unwrap_or(n.name())).collect();
    assert_eq!(names, ["label", "A", "B"]);
    let wrong = bare("UserPermission", "<enabled>true</enabled><name>A</name>");
    let err =
        recompose("f", "X", Decomposition::Beta2, &[file(STUB, &stub), file("X.userPermission-meta.xml", &wrong)])
            .unwrap_err();
    assert_eq!(
        err,
        DecomposedError::WrongRoot {
            path: "X.userPermission-meta.xml".into(),
            found: "UserPermission".into(),
            expected: "PermissionSet".into(),
            layout: Decomposition::Beta2,
        }
    );
}

#[test]
fn a_beta2_entry_written_in_two_files_is_noted_with_how_often() {
    let stub = in_ns("PermissionSet", &format!("<label>X</label>{}", user_permission("A")));
    let one = bare("PermissionSet", &format!("{}{}", user_permission("A"), user_permission("B")));
    let two = bare("PermissionSet", &format!("{}<label>X</label>", user_permission("A")));
    let files = [file(STUB, &stub), file("X.userPermission-meta.xml", &one), file("X.flowAccess-meta.xml", &two)];
    let back = recompose("f", "X", Decomposition::Beta2, &files).unwrap();
    let note = LayoutNote::Repeated { group: "userPermissions".into(), key: "A".into(), times: 3 };
    assert_eq!(back.notes, std::slice::from_ref(&note), "a label given twice is no entry of a child type");
    assert_eq!(
        note.to_string(),
        "`userPermissions` `A` is written 3 times across the set's files; the sf CLI deploys every copy: keep one"
    );
}

#[test]
fn a_beta_part_has_its_child_types_root_and_lives_in_its_groups_folder() {
    let stub = in_ns("PermissionSet", "<label>X</label>");
    let part = in_ns("FlowAccess", "<enabled>true</enabled><flow>F</flow>");
    let err = recompose(
        "f",
        "X",
        Decomposition::Beta,
        &[file(STUB, &stub), file("classAccesses/F.flowAccess-meta.xml", &part)],
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "classAccesses/F.flowAccess-meta.xml: the root element is <FlowAccess>, but a decomposePermissionSetBeta part of a permission set has <ClassAccess>"
    );
    let err =
        recompose("f", "X", Decomposition::Beta, &[file(STUB, &stub), file("notes/F.flowAccess-meta.xml", &part)])
            .unwrap_err();
    assert_eq!(err, DecomposedError::StrayFile { path: "notes/F.flowAccess-meta.xml".into() });
    let commented =
        format!("{DECL}<!-- a -->\n<FlowAccess>\n<enabled>true</enabled><flow>F</flow><!-- z --></FlowAccess>\n");
    let back = recompose(
        "f",
        "X",
        Decomposition::Beta,
        &[file(STUB, &stub), file("flowAccesses/F.flowAccess-meta.xml", &commented)],
    )
    .unwrap();
    let flow = &back.document.children[1];
    assert_eq!((flow.name.as_str(), flow.child_text("flow")), ("flowAccesses", Some("F")));
    assert_eq!((flow.comments.as_slice(), flow.tail.as_slice()), (&[" a ".to_string()][..], &[" z ".to_string()][..]));
    assert!(back.notes.is_empty());
}

#[test]
fn the_stubs_entries_of_a_group_without_child_files_stay() {
    let stub = in_ns("PermissionSet", &format!("<label>X</label>{}", user_permission("A")));
    let part = in_ns("FlowAccess", "<enabled>true</enabled><flow>F</flow>");
    let files = [file(STUB, &stub), file("flowAccesses/F.flowAccess-meta.xml", &part)];
    let back = recompose("f", "X", Decomposition::Beta, &files).unwrap();
    let names: Vec<&str> = back.document.children.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["label", "userPermissions", "flowAccesses"]);
    assert!(back.notes.is_empty());
    let note = LayoutNote::IgnoredInStub { group: "userPermissions".into(), count: 2 };
    assert_eq!(
        note.to_string(),
        "2 `userPermissions` entries in the set's own file are ignored by the sf CLI (the `userPermissions/` folder wins); move them into that folder or delete them"
    );
}

#[test]
fn an_entry_is_named_by_its_id_element_else_full_name_else_name() {
    let child = |group| child_type(group).unwrap();
    let node = Node::entry("userPermissions", &[("fullName", "F"), ("name", "N")]);
    assert_eq!(entry_id(child("userPermissions"), &node).as_deref(), Some("F"));
    let node = Node::entry("userPermissions", &[("enabled", "true"), ("name", "N")]);
    assert_eq!(entry_id(child("userPermissions"), &node).as_deref(), Some("N"));
    let node = Node::entry("flowAccesses", &[("name", "N"), ("flow", "F")]);
    assert_eq!(entry_id(child("flowAccesses"), &node).as_deref(), Some("F"));
    assert_eq!(entry_id(child("flowAccesses"), &Node::entry("flowAccesses", &[("name", "N")])), None);
}

#[test]
fn an_object_specific_entry_goes_with_its_object() {
    assert_eq!(object_of("Account.Name"), "Account");
    assert_eq!(object_of("standard-Account"), "Account");
    assert_eq!(object_of("Custom__c"), "Custom__c");
    assert_eq!(object_of("ns__Obj__c.Type.Rt"), "ns__Obj__c");
}

#[test]
fn a_file_name_is_not_empty_not_a_dot_name_and_holds_no_separator_or_control() {
    assert_eq!(file_name_safe(""), Err("it has no name".to_string()));
    assert_eq!(file_name_safe("."), Err("`.` is not a file name".to_string()));
    assert_eq!(file_name_safe(".."), Err("`..` is not a file name".to_string()));
    for (id, c) in [("a/b", "'/'"), ("a\\b", "'\\\\'"), ("a\0b", "'\\0'"), ("a\nb", "'\\n'"), ("\u{7f}", "'\\u{7f}'")] {
        assert_eq!(file_name_safe(id), Err(format!("its name holds {c}, which a file name cannot")), "{id:?}");
    }
    for ok in ["a", "...", ".a", "a.b c-d_é"] {
        assert_eq!(file_name_safe(ok), Ok(()), "{ok}");
    }
}

fn set(entries: &[Node]) -> Document {
    let mut d = Document::new("PermissionSet");
    d.root_attrs.push(("xmlns:xsi".into(), "http://www.w3.org/2001/XMLSchema-instance".into()));
    d.leaf("label", "X");
    d.children.extend(entries.iter().cloned());
    d
}

#[test]
fn splitting_keeps_the_rest_of_the_set_in_its_own_file() {
    let flow = Node::entry("flowAccesses", &[("enabled", "true"), ("flow", "F")]);
    for layout in [Decomposition::Beta, Decomposition::Beta2] {
        let files = split(&set(std::slice::from_ref(&flow)), "X", layout).unwrap();
        let stub = &files.iter().find(|f| f.relative == STUB).expect("the set's own file").document;
        assert!(stub.in_metadata_namespace);
        assert_eq!(stub.root_attrs, set(&[]).root_attrs);
        assert_eq!(stub.children, [Node::leaf("label", "X")]);
        assert_eq!(files.len(), 2, "{layout}");
    }
}

#[test]
fn a_beta2_part_is_a_permission_set_without_the_namespace_and_a_beta_part_is_in_it() {
    let flow = Node::entry("flowAccesses", &[("enabled", "true"), ("flow", "F")]);
    // Sorted by path: the part's name comes before the set's own file's.
    let beta2 = split(&set(std::slice::from_ref(&flow)), "X", Decomposition::Beta2).unwrap();
    assert_eq!([beta2[0].relative.as_str(), &beta2[1].relative], ["X.flowAccess-meta.xml", STUB]);
    assert_eq!((beta2[0].document.root.as_str(), beta2[0].document.in_metadata_namespace), ("PermissionSet", false));
    let beta = split(&set(&[flow]), "X", Decomposition::Beta).unwrap();
    assert_eq!(beta[1].relative, "flowAccesses/F.flowAccess-meta.xml");
    assert_eq!((beta[1].document.root.as_str(), beta[1].document.in_metadata_namespace), ("FlowAccess", true));
    assert!(is_part_root("PermissionSet") && is_part_root("FlowAccess") && is_part_root("UserPermission"));
    assert!(!is_part_root("Profile") && !is_part_root("flowAccesses"));
}

#[test]
fn a_beta_part_takes_its_entrys_comments() {
    let mut flow = Node::entry("flowAccesses", &[("enabled", "true"), ("flow", "F")]);
    flow.comments = vec![" before ".into()];
    flow.tail = vec![" after ".into()];
    let files = split(&set(&[flow]), "X", Decomposition::Beta).unwrap();
    assert_eq!(files[1].document.comments, [" before "]);
    assert_eq!(files[1].document.tail, [" after "]);
}

#[test]
fn beta2_puts_object_specific_entries_in_one_file_per_object() {
    let entries = [
        Node::entry("tabSettings", &[("tab", "standard-Contact"), ("visibility", "Visible")]),
        Node::entry("fieldPermissions", &[("field", "Contact.Email"), ("readable", "true")]),
        Node::entry("objectPermissions", &[("allowRead", "true"), ("object", "Case")]),
    ];
    let files = split(&set(&entries), "X", Decomposition::Beta2).unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f.relative.as_str()).collect();
    assert_eq!(
        paths,
        [STUB, "objectSettings/Case.objectSettings-meta.xml", "objectSettings/Contact.objectSettings-meta.xml"]
    );
    let contact: Vec<&str> = files[2].document.children.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(contact, ["fieldPermissions", "tabSettings"]);
}

#[test]
fn splitting_refuses_what_the_layout_cannot_hold_and_says_why() {
    let unwritable = |entries: &[Node], layout| split(&set(entries), "X", layout).unwrap_err().to_string();
    let nameless = Node::entry("flowAccesses", &[("enabled", "true")]);
    assert_eq!(
        unwritable(std::slice::from_ref(&nameless), Decomposition::Beta2),
        "cannot write `flowAccesses` entry `?` as a decomposePermissionSetBeta2 file: it has no name; nothing written"
    );
    let odd_object = Node::entry("fieldPermissions", &[("field", "a/b.Name"), ("readable", "true")]);
    assert_eq!(
        unwritable(&[odd_object], Decomposition::Beta2),
        "cannot write `fieldPermissions` entry `a/b.Name` as a decomposePermissionSetBeta2 file: its name holds '/', which a file name cannot; nothing written"
    );
    let twice = Node::entry("flowAccesses", &[("enabled", "true"), ("flow", "F")]);
    let other = Node::entry("flowAccesses", &[("enabled", "false"), ("flow", "F")]);
    assert_eq!(
        unwritable(&[twice.clone(), other.clone()], Decomposition::Beta),
        "cannot write `flowAccesses` entry `F` as a decomposePermissionSetBeta file: two entries have this name; nothing written"
    );
    assert!(split(&set(&[twice.clone(), other]), "X", Decomposition::Beta2).is_ok(), "one file holds both");
    let mut attributed = twice;
    attributed.attrs.push(("a".into(), "1".into()));
    assert_eq!(
        unwritable(&[attributed], Decomposition::Beta),
        "cannot write `flowAccesses` entry `F` as a decomposePermissionSetBeta file: it has attributes the child file cannot hold; nothing written"
    );
}
