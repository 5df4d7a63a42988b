//! The kinds of metadata file sfperms reads and writes, and every name a kind goes by: its root
//! element (which is also its Metadata API type name), its folder, its file suffix. These strings
//! are spelled here and nowhere else.

use serde::Serialize;

use super::names::{decode_file_name, encode_file_name};

/// The metadata files sfperms reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    PermissionSet,
    Profile,
    /// `package.xml`: read only when named on the command line.
    Package,
    /// A child file of a decomposed permission set (its name is the set's).
    PermissionSetPart,
    PermissionSetGroup,
    MutingPermissionSet,
}

/// Where a component kind's files go: its folder (the same in both layouts) and the suffix of its
/// file names (`Name.<suffix>` in the mdapi layout, `Name.<suffix>-meta.xml` in the source layout).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Placement {
    pub folder: &'static str,
    pub suffix: &'static str,
}

impl Placement {
    /// `Name.permissionset-meta.xml`: the file name in the source layout.
    pub(crate) fn source_file_name(self, name: &str) -> String {
        format!("{}-meta.xml", self.mdapi_file_name(name))
    }

    /// `Name.permissionset`: the file name in the mdapi layout (and in a zip).
    pub(crate) fn mdapi_file_name(self, name: &str) -> String {
        format!("{}.{}", encode_file_name(name), self.suffix)
    }
}

impl FileKind {
    /// The kinds that are components of their own, with a folder and a file suffix.
    pub(crate) const COMPONENTS: [FileKind; 4] =
        [FileKind::PermissionSet, FileKind::Profile, FileKind::PermissionSetGroup, FileKind::MutingPermissionSet];

    /// The root element a file of this kind has; for a component, also its Metadata API type name.
    pub const fn root(self) -> &'static str {
        match self {
            FileKind::PermissionSet => "PermissionSet",
            FileKind::Profile => "Profile",
            FileKind::Package => "Package",
            // Beta2 parts; a Beta part's root is its child type (`decomposed::is_part_root`).
            FileKind::PermissionSetPart => "PermissionSet",
            FileKind::PermissionSetGroup => "PermissionSetGroup",
            FileKind::MutingPermissionSet => "MutingPermissionSet",
        }
    }

    /// The folder and file suffix of a component kind; `None` for package.xml and the child files
    /// of a decomposed set, which are named otherwise.
    pub(crate) fn placement(self) -> Option<Placement> {
        let (folder, suffix) = match self {
            FileKind::PermissionSet => ("permissionsets", "permissionset"),
            FileKind::Profile => ("profiles", "profile"),
            FileKind::PermissionSetGroup => ("permissionsetgroups", "permissionsetgroup"),
            FileKind::MutingPermissionSet => ("mutingpermissionsets", "mutingpermissionset"),
            FileKind::Package | FileKind::PermissionSetPart => return None,
        };
        Some(Placement { folder, suffix })
    }

    /// The kind and component name a file name says: `Work%2Ecom Only User.profile-meta.xml` →
    /// (Profile, `Work.com Only User`).
    pub(crate) fn from_file_name(file: &str) -> Option<(FileKind, String)> {
        if file == "package.xml" {
            return Some((FileKind::Package, String::new()));
        }
        let stem = file.strip_suffix("-meta.xml").unwrap_or(file);
        FileKind::COMPONENTS.into_iter().find_map(|kind| {
            let suffix = kind.placement()?.suffix;
            let name = stem.strip_suffix(suffix)?.strip_suffix('.')?;
            (!name.is_empty()).then(|| (kind, decode_file_name(name)))
        })
    }
}

/// The kind of file an integration's access is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OutputKind {
    PermissionSet,
    Profile,
}

impl OutputKind {
    pub const ALL: [OutputKind; 2] = [OutputKind::PermissionSet, OutputKind::Profile];

    pub fn word(self) -> &'static str {
        match self {
            OutputKind::PermissionSet => "permission-set",
            OutputKind::Profile => "profile",
        }
    }

    pub fn parse(s: &str) -> Option<OutputKind> {
        match s {
            "permission-set" => Some(OutputKind::PermissionSet),
            "profile" => Some(OutputKind::Profile),
            _ => None,
        }
    }

    pub fn file_kind(self) -> FileKind {
        match self {
            OutputKind::PermissionSet => FileKind::PermissionSet,
            OutputKind::Profile => FileKind::Profile,
        }
    }

    /// The Metadata API type name (`PermissionSet`, `Profile`), also the root element.
    pub fn type_name(self) -> &'static str {
        self.file_kind().root()
    }

    /// The folder and file suffix (`permissionsets`, `permissionset`).
    pub(crate) fn placement(self) -> Placement {
        self.file_kind().placement().expect("both output kinds are components")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_say_kind_and_name() {
        let cases = [
            ("package.xml", Some((FileKind::Package, ""))),
            ("Work%2Ecom Only User.profile-meta.xml", Some((FileKind::Profile, "Work.com Only User"))),
            ("Planhat.permissionset", Some((FileKind::PermissionSet, "Planhat"))),
            ("G.permissionsetgroup-meta.xml", Some((FileKind::PermissionSetGroup, "G"))),
            ("M.mutingpermissionset", Some((FileKind::MutingPermissionSet, "M"))),
            (".profile-meta.xml", None),
            (".profile", None),
            ("Xprofile-meta.xml", None),
            ("X.object-meta.xml", None),
        ];
        for (file, expected) in cases {
            let expected = expected.map(|(kind, name)| (kind, name.to_string()));
            assert_eq!(FileKind::from_file_name(file), expected, "{file}");
        }
    }

    #[test]
    fn output_kinds_are_placed_components() {
        for kind in OutputKind::ALL {
            assert_eq!(kind.type_name(), kind.file_kind().root());
            let placement = kind.placement();
            assert_eq!(placement.folder, format!("{}s", placement.suffix));
            assert_eq!(OutputKind::parse(kind.word()), Some(kind));
        }
        assert_eq!(OutputKind::Profile.placement().source_file_name("A.B"), "A%2EB.profile-meta.xml");
        assert_eq!(OutputKind::PermissionSet.placement().mdapi_file_name("X"), "X.permissionset");
    }
}
