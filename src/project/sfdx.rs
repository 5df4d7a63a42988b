//! An SFDX project on disk: its `sfdx-project.json` (package directories, the default one,
//! `sourceApiVersion`, whether permission sets are stored decomposed), and where a PermissionSet or Profile of a given name lives in it.

use std::path::{Path, PathBuf};

use crate::metadata::Placement;
use crate::metadata::decomposed::Decomposition;

#[derive(Debug, Clone)]
pub struct SfdxProject {
    pub root: PathBuf,
    /// Package directories, the default first.
    pub package_dirs: Vec<PathBuf>,
    pub source_api_version: Option<String>,
    /// How the sf CLI stores permission sets here: the last `decomposePermissionSet…` preset of
    /// `registryPresets` then `sourceBehaviorOptions` (the CLI merges them in that order, a later
    /// preset replacing the type: source-deploy-retrieve `registry/variants.js`).
    pub decomposition: Option<Decomposition>,
}

#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error("`{path}`: {message}")]
    Invalid { path: String, message: String },
    /// The file could not be read (the message names it).
    #[error("{message}")]
    Unreadable { message: String },
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawProject {
    #[serde(default)]
    package_directories: Vec<RawPackageDir>,
    source_api_version: Option<String>,
    #[serde(default)]
    registry_presets: Vec<String>,
    #[serde(default)]
    source_behavior_options: Vec<String>,
}

#[derive(serde::Deserialize)]
struct RawPackageDir {
    path: String,
    #[serde(default)]
    default: bool,
}

impl SfdxProject {
    /// The project rooted at `dir`, if `dir/sfdx-project.json` exists.
    pub fn open(dir: &Path) -> Result<Option<SfdxProject>, ProjectError> {
        let file = dir.join("sfdx-project.json");
        if !file.exists() {
            return Ok(None);
        }
        let invalid = |message: String| ProjectError::Invalid { path: file.display().to_string(), message };
        let bytes = crate::disk::read_regular(&file, crate::disk::MAX_FILE_BYTES)
            .map_err(|e| ProjectError::Unreadable { message: e.to_string() })?;
        let text = String::from_utf8(bytes).map_err(|_| invalid("not UTF-8: save it as UTF-8".into()))?;
        let raw: RawProject =
            serde_json::from_str(&text).map_err(|e| invalid(format!("not valid sfdx-project.json: {e}")))?;
        if raw.package_directories.is_empty() {
            return Err(invalid("it lists no packageDirectories".into()));
        }
        let mut dirs: Vec<&RawPackageDir> = raw.package_directories.iter().collect();
        // The default package directory first (stable for the rest).
        dirs.sort_by_key(|d| !d.default);
        for d in &dirs {
            let p = Path::new(&d.path);
            if p.is_absolute() || p.components().any(|c| matches!(c, std::path::Component::ParentDir)) {
                return Err(invalid(format!("package directory `{}` leaves the project", d.path)));
            }
        }
        let decomposition = raw
            .registry_presets
            .iter()
            .chain(&raw.source_behavior_options)
            .rev()
            .find_map(|p| Decomposition::from_preset(p));
        Ok(Some(SfdxProject {
            root: dir.to_path_buf(),
            package_dirs: dirs.iter().map(|d| dir.join(&d.path)).collect(),
            source_api_version: raw.source_api_version,
            decomposition,
        }))
    }

    /// Where a new component goes: the default package directory's `main/default/<folder>/`
    /// (an existing file of that name is found by `source`'s discovery first).
    pub(crate) fn default_source_path(&self, placement: Placement, name: &str) -> PathBuf {
        self.package_dirs[0].join("main").join("default").join(placement.folder).join(placement.source_file_name(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decomposition(json: &str) -> Option<Decomposition> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("sfdx-project.json"), json).unwrap();
        SfdxProject::open(dir.path()).unwrap().unwrap().decomposition
    }

    #[test]
    fn the_last_permission_set_preset_wins() {
        let dirs = r#""packageDirectories": [{"path": "force-app", "default": true}]"#;
        assert_eq!(decomposition(&format!("{{{dirs}}}")), None);
        assert_eq!(
            decomposition(&format!(
                r#"{{{dirs}, "sourceBehaviorOptions": ["decomposeCustomLabelsBeta2", "decomposePermissionSetBeta2"]}}"#
            )),
            Some(Decomposition::Beta2)
        );
        assert_eq!(
            decomposition(&format!(r#"{{{dirs}, "registryPresets": ["decomposePermissionSetBeta"]}}"#)),
            Some(Decomposition::Beta)
        );
        assert_eq!(
            decomposition(&format!(
                r#"{{{dirs}, "registryPresets": ["decomposePermissionSetBeta"], "sourceBehaviorOptions": ["decomposePermissionSetBeta2"]}}"#
            )),
            Some(Decomposition::Beta2)
        );
    }

    fn project(json: &str) -> (tempfile::TempDir, Result<Option<SfdxProject>, ProjectError>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("sfdx-project.json"), json).unwrap();
        let project = SfdxProject::open(dir.path());
        (dir, project)
    }

    /// A folder without `sfdx-project.json` is no project; one with it is, with its API version.
    #[test]
    fn a_folder_is_a_project_when_it_has_sfdx_project_json() {
        let dir = tempfile::tempdir().unwrap();
        assert!(SfdxProject::open(dir.path()).unwrap().is_none());
        let (dir, project) = project(r#"{"packageDirectories": [{"path": "force-app"}], "sourceApiVersion": "62.0"}"#);
        let project = project.unwrap().unwrap();
        assert_eq!(project.root, dir.path());
        assert_eq!(project.package_dirs, [dir.path().join("force-app")]);
        assert_eq!(project.source_api_version.as_deref(), Some("62.0"));
    }

    /// The default package directory comes first, the others in the file's order; a new
    /// component goes to its `main/default/<folder>/`, its name encoded as the CLI encodes it.
    #[test]
    fn the_default_package_directory_comes_first_and_gets_new_components() {
        let (dir, project) = project(
            r#"{"packageDirectories": [{"path": "a"}, {"path": "b"}, {"path": "c", "default": true}, {"path": "d"}]}"#,
        );
        let project = project.unwrap().unwrap();
        let dirs: Vec<PathBuf> = ["c", "a", "b", "d"].iter().map(|d| dir.path().join(d)).collect();
        assert_eq!(project.package_dirs, dirs);
        let placement = crate::metadata::kind::FileKind::PermissionSet.placement().unwrap();
        assert_eq!(
            project.default_source_path(placement, "E&F X"),
            dir.path().join("c/main/default/permissionsets/E%26F X.permissionset-meta.xml")
        );
    }

    /// A package directory that leaves the project (absolute, or with `..`) is refused, naming it;
    /// so is a project file that lists none, is not JSON, or is not UTF-8.
    #[test]
    fn a_project_file_is_refused_when_a_directory_leaves_it_or_it_cannot_be_read() {
        for (json, message) in [
            (
                r#"{"packageDirectories": [{"path": "ok"}, {"path": "../up"}]}"#,
                "package directory `../up` leaves the project",
            ),
            (
                r#"{"packageDirectories": [{"path": "a/../../up"}]}"#,
                "package directory `a/../../up` leaves the project",
            ),
            (r#"{"packageDirectories": [{"path": "/etc"}]}"#, "package directory `/etc` leaves the project"),
            (r#"{"packageDirectories": []}"#, "it lists no packageDirectories"),
            (
                r#"{"packageDirectories": [{"path": "a"}"#,
                "not valid sfdx-project.json: EOF while parsing a list at line 1 column 37",
            ),
        ] {
            let (dir, project) = project(json);
            let file = dir.path().join("sfdx-project.json");
            assert_eq!(project.unwrap_err().to_string(), format!("`{}`: {message}", file.display()), "{json}");
        }
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sfdx-project.json");
        std::fs::write(&file, b"{\"packageDirectories\": [{\"path\": \"\xff\"}]}").unwrap();
        let err = SfdxProject::open(dir.path()).unwrap_err();
        assert_eq!(err.to_string(), format!("`{}`: not UTF-8: save it as UTF-8", file.display()));
    }
}
