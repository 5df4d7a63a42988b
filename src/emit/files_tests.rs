//! The rules of the generated files, one per test: what a permission set, a profile fragment,
//! package.xml and a permission set group hold, and how each value is spelled.

use std::collections::BTreeMap;

use super::*;
use crate::emit::render_fast;
use crate::metadata::OutputKind;

fn plan(output: OutputKind, items: &[Item]) -> Plan {
    Plan::of_grants("test", output, items.iter().map(|item| (item.clone(), Vec::new())).collect())
}

fn meta(description: &str) -> FileMeta {
    FileMeta { name: "Acme_Sync".into(), label: "Acme Sync".into(), description: description.into() }
}

fn doc(root: &str, body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{root} xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n{body}</{root}>\n"
    )
}

/// Every kind of grant, for both file kinds.
fn every_kind_of_grant(output: OutputKind) -> Plan {
    plan(
        output,
        &[
            Item::UserPermission("ApiEnabled".into()),
            Item::Object("Account".into(), ObjectAccess::Read),
            Item::Object("Account".into(), ObjectAccess::Edit),
            Item::Field("Account.Industry".into(), FieldAccess::Read),
            Item::Field("Account.Name".into(), FieldAccess::Read),
            Item::Field("Account.Name".into(), FieldAccess::Edit),
            Item::ApexClass("AcmeSync".into()),
            Item::CustomMetadataType("Acme_Setting__mdt".into()),
            Item::ExternalCredentialPrincipal("Acme-Principal".into()),
        ],
    )
}

/// The grants as both file kinds write them, in canonical (name) order, split where a file's
/// own values fall between them: each grant with `true`; an object with all six flags, the ones
/// not granted `false`; a field editable only when Edit is granted (Edit wins over Read), always
/// readable.
const CLASS_AND_TYPE: &str = "    <classAccesses>
        <apexClass>AcmeSync</apexClass>
        <enabled>true</enabled>
    </classAccesses>
    <customMetadataTypeAccesses>
        <enabled>true</enabled>
        <name>Acme_Setting__mdt</name>
    </customMetadataTypeAccesses>
";
const PRINCIPAL_AND_FIELDS: &str = "    <externalCredentialPrincipalAccesses>
        <enabled>true</enabled>
        <externalCredentialPrincipal>Acme-Principal</externalCredentialPrincipal>
    </externalCredentialPrincipalAccesses>
    <fieldPermissions>
        <editable>false</editable>
        <field>Account.Industry</field>
        <readable>true</readable>
    </fieldPermissions>
    <fieldPermissions>
        <editable>true</editable>
        <field>Account.Name</field>
        <readable>true</readable>
    </fieldPermissions>
";
const OBJECT_AND_USER: &str = "    <objectPermissions>
        <allowCreate>false</allowCreate>
        <allowDelete>false</allowDelete>
        <allowEdit>true</allowEdit>
        <allowRead>true</allowRead>
        <modifyAllRecords>false</modifyAllRecords>
        <object>Account</object>
        <viewAllRecords>false</viewAllRecords>
    </objectPermissions>
    <userPermissions>
        <enabled>true</enabled>
        <name>ApiEnabled</name>
    </userPermissions>
";

#[test]
fn a_permission_set_holds_its_description_label_licence_and_every_grant() {
    let mut plan = every_kind_of_grant(OutputKind::PermissionSet);
    plan.licence = Some("SalesforceIntegrationPsl".into());
    let body = [
        CLASS_AND_TYPE,
        "    <description>Syncs</description>\n",
        PRINCIPAL_AND_FIELDS,
        "    <hasActivationRequired>false</hasActivationRequired>\n",
        "    <label>Acme Sync</label>\n",
        "    <license>SalesforceIntegrationPsl</license>\n",
        OBJECT_AND_USER,
    ];
    assert_eq!(render_fast(&permission_set(&plan, &meta("Syncs"))), doc("PermissionSet", &body.concat()));
}

#[test]
fn a_profile_fragment_holds_only_its_grants_unless_the_profile_is_created() {
    let plan = every_kind_of_grant(OutputKind::Profile);
    let grants = [CLASS_AND_TYPE, PRINCIPAL_AND_FIELDS, OBJECT_AND_USER].concat();
    assert_eq!(render_fast(&profile(&plan, &meta("Syncs"), None)), doc("Profile", &grants));
    let licence_before_user = OBJECT_AND_USER
        .replace("    <userPermissions>", "    <userLicense>Salesforce</userLicense>\n    <userPermissions>");
    let created = [
        "    <classAccesses>\n        <apexClass>AcmeSync</apexClass>\n        <enabled>true</enabled>\n    </classAccesses>\n",
        "    <custom>true</custom>\n",
        "    <customMetadataTypeAccesses>\n        <enabled>true</enabled>\n        <name>Acme_Setting__mdt</name>\n    </customMetadataTypeAccesses>\n",
        "    <description>Syncs</description>\n",
        PRINCIPAL_AND_FIELDS,
        &licence_before_user,
    ];
    assert_eq!(render_fast(&profile(&plan, &meta("Syncs"), Some("Salesforce"))), doc("Profile", &created.concat()));
}

/// Salesforce takes at most 255 characters (characters, not bytes): a longer description keeps
/// its first 254 and ends with `…`; one of exactly 255 is kept whole.
#[test]
fn a_description_over_255_characters_is_cut_to_255_ending_with_an_ellipsis() {
    let description = |d: &Document| {
        d.children.iter().find(|n| n.name == "description").and_then(Node::text).expect("a description").to_string()
    };
    let plan = plan(OutputKind::PermissionSet, &[]);
    let fits = "é".repeat(255);
    assert_eq!(description(&permission_set(&plan, &meta(&fits))), fits);
    let cut = description(&permission_set(&plan, &meta(&"é".repeat(300))));
    assert_eq!(cut, format!("{}…", "é".repeat(254)));
    assert_eq!(cut.chars().count(), 255);
    assert_eq!(description(&profile(&plan, &meta(&"é".repeat(300)), Some("Salesforce"))), cut);
}

#[test]
fn package_xml_names_each_types_members_then_the_version() {
    let members = BTreeMap::from([
        ("PermissionSet", vec!["Acme_Sync".to_string()]),
        ("Profile", vec!["Admin".to_string(), "Integration".to_string()]),
    ]);
    let expected = doc(
        "Package",
        "    <types>
        <members>Acme_Sync</members>
        <name>PermissionSet</name>
    </types>
    <types>
        <members>Admin</members>
        <members>Integration</members>
        <name>Profile</name>
    </types>
    <version>67.0</version>
",
    );
    assert_eq!(render_fast(&package_xml(&members, "67.0")), expected);
}

#[test]
fn a_new_group_holds_the_set_and_is_labelled_with_its_name_spaced() {
    let expected = doc(
        "PermissionSetGroup",
        "    <description>Holds Acme_Sync, generated by sfperms; assign the group, not the set, and add other sets or a muting permission set as your org needs.</description>
    <label>Acme Sync Group</label>
    <permissionSets>Acme_Sync</permissionSets>
",
    );
    assert_eq!(render_fast(&permission_set_group("Acme_Sync_Group", "Acme_Sync")), expected);
}

/// A group that lists the set (white space around the name ignored) is left as it is; otherwise
/// the set is listed after the group's other sets, and everything else stays where it was.
#[test]
fn a_group_gets_the_set_after_its_other_sets_unless_it_lists_it() {
    let group = |sets: &[&str]| {
        let mut g = Document::new(FileKind::PermissionSetGroup.root());
        g.leaf("label", "G");
        for set in sets {
            g.leaf("permissionSets", *set);
        }
        g.leaf("status", "Updated");
        g
    };
    assert_eq!(group_with_member(&group(&["A", " Acme_Sync ", "B"]), "Acme_Sync"), group(&["A", " Acme_Sync ", "B"]));
    assert_eq!(group_with_member(&group(&["A", "B"]), "Acme_Sync"), group(&["A", "B", "Acme_Sync"]));
    // An element of another name holding the set's name is not the set.
    let mut other = group(&["A"]);
    other.leaf("mutingPermissionSets", "Acme_Sync");
    let mut expected = group(&["A", "Acme_Sync"]);
    expected.leaf("mutingPermissionSets", "Acme_Sync");
    assert_eq!(group_with_member(&other, "Acme_Sync"), expected);
    // A group with no sets gets it at the end.
    let mut bare = Document::new(FileKind::PermissionSetGroup.root());
    bare.leaf("label", "G");
    let mut with_set = bare.clone();
    with_set.leaf("permissionSets", "Acme_Sync");
    assert_eq!(group_with_member(&bare, "Acme_Sync"), with_set);
}
