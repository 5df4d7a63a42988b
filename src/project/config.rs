//! `sfperms.toml`, the project file: the integration users an SFDX project declares, one
//! `[[user]]` table each, whose keys are `gen`'s flags without dashes (`for`, `feature`, `object`,
//! `field`, `as`, `name`, `label`, …) and the integration's own options (`sync`, `mode`, …). A
//! repeated flag is a list (`feature = ["deploy", "debug-logs"]`; one string is a list of one).
//! Every problem is reported with its file, line and key, with a did-you-mean, all at once.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::catalog::{Catalog, OptionKind};
use crate::metadata::OutputKind;
use crate::suggest::did_you_mean;

/// The project file's name, at the SFDX project root.
pub const FILE_NAME: &str = "sfperms.toml";

/// The keys a `[[user]]` table takes besides the integration's options, with what each holds.
pub const KEYS: [(&str, KeyKind); 11] = [
    ("for", KeyKind::One),
    ("feature", KeyKind::Many),
    ("object", KeyKind::Many),
    ("field", KeyKind::Many),
    ("as", KeyKind::One),
    ("name", KeyKind::One),
    ("label", KeyKind::One),
    ("api-version", KeyKind::One),
    ("new-profile", KeyKind::Flag),
    ("user-license", KeyKind::One),
    ("dependencies", KeyKind::One),
];

/// What a key's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// One string.
    One,
    /// A list of strings (a repeatable flag); one string is a list of one.
    Many,
    /// true or false.
    Flag,
}

/// One problem in the project file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFileProblem {
    pub line: usize,
    pub message: String,
}

/// Every problem of a project file, each with its line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ProjectFileError {
    pub file: String,
    pub problems: Vec<ProjectFileProblem>,
}

impl fmt::Display for ProjectFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.problems.len();
        if count == 1 {
            let p = &self.problems[0];
            return write!(f, "{}:{}: {}", self.file, p.line, p.message);
        }
        write!(f, "{} has {count} problems:", self.file)?;
        for p in &self.problems {
            write!(f, "\n  {}:{}: {}", self.file, p.line, p.message)?;
        }
        Ok(())
    }
}

/// An integration user as the project file declares it: `gen`'s flags, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeclaredUser {
    /// The line of its `for` key (the user's place in the file, for messages).
    pub line: usize,
    pub integration: String,
    pub features: Vec<String>,
    pub objects: Vec<String>,
    pub fields: Vec<String>,
    pub output: Option<OutputKind>,
    pub name: Option<String>,
    pub label: Option<String>,
    pub api_version: Option<String>,
    pub new_profile: bool,
    pub user_license: Option<String>,
    /// Relative to the project file's folder.
    pub dependencies: Option<PathBuf>,
    /// The integration's own options (`sync` → `two-way`).
    pub options: BTreeMap<String, String>,
}

/// A project file, read and checked.
#[derive(Debug, Clone)]
pub struct ProjectFile {
    pub path: PathBuf,
    pub users: Vec<DeclaredUser>,
}

impl ProjectFile {
    /// The folder holding the file: the SFDX project root.
    pub fn root(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }
}

/// The nearest `sfperms.toml` in `dir` or a folder above it.
pub fn find(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().map(|d| d.join(FILE_NAME)).find(|p| p.is_file())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    user: Vec<Spanned<BTreeMap<Spanned<String>, Spanned<RawValue>>>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawValue {
    Text(String),
    List(Vec<String>),
    Flag(bool),
    /// Any other value (a number, a table): only its presence matters, for the error.
    Other(#[allow(dead_code)] toml::Value),
}

/// Reads and checks the project file at `path` against the catalog.
pub fn load(path: &Path, catalog: &Catalog) -> Result<ProjectFile, ProjectFileError> {
    let file = path.display().to_string();
    let fail = |line: usize, message: String| ProjectFileError {
        file: file.clone(),
        problems: vec![ProjectFileProblem { line, message }],
    };
    let bytes = crate::disk::read_regular(path, crate::disk::MAX_FILE_BYTES)
        .map_err(|e| fail(0, format!("cannot read it: {}", e.reason())))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        fail(0, format!("not UTF-8 (byte {} is invalid): save it as UTF-8", e.utf8_error().valid_up_to() + 1))
    })?;
    let users = parse(&text, catalog).map_err(|problems| ProjectFileError { file: file.clone(), problems })?;
    Ok(ProjectFile { path: path.to_path_buf(), users })
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Parses and checks the text of a project file.
pub fn parse(text: &str, catalog: &Catalog) -> Result<Vec<DeclaredUser>, Vec<ProjectFileProblem>> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(0, |s| line_of(text, s.start));
        let message = e.message().trim_end().replace("unknown field", "unknown table or key");
        vec![ProjectFileProblem { line, message }]
    })?;
    let mut problems = Vec::new();
    let mut users = Vec::new();
    for table in raw.user {
        // The header is the line before the table's first key (toml spans the table's contents).
        let line = line_of(text, table.span().start);
        if let Some(user) = user(text, line, table.into_inner(), catalog, &mut problems) {
            users.push(user);
        }
    }
    if users.is_empty() && problems.is_empty() {
        problems.push(ProjectFileProblem {
            line: 1,
            message: "declares no integration user: add a `[[user]]` table with `for = \"ID\"` (see `sfperms init`)"
                .into(),
        });
    }
    duplicates(&users, catalog, &mut problems);
    if problems.is_empty() { Ok(users) } else { Err(problems) }
}

fn user(
    text: &str,
    header: usize,
    table: BTreeMap<Spanned<String>, Spanned<RawValue>>,
    catalog: &Catalog,
    problems: &mut Vec<ProjectFileProblem>,
) -> Option<DeclaredUser> {
    let mut problem = |line: usize, message: String| problems.push(ProjectFileProblem { line, message });
    let Some((for_key, for_value)) = table.iter().find(|(k, _)| k.get_ref() == "for") else {
        problem(header, "this `[[user]]` has no `for` key: say which integration (`for = \"planhat\"`)".into());
        return None;
    };
    let line = line_of(text, for_key.span().start);
    let RawValue::Text(id) = for_value.get_ref() else {
        problem(line, "`for` takes one integration id, a string".into());
        return None;
    };
    let Some(integration) = catalog.get(id) else {
        let ids = catalog.ids();
        let hint = did_you_mean(id, ids.iter().copied()).map(|c| format!("; did you mean `{c}`?")).unwrap_or_default();
        problem(line, format!("`for`: unknown integration `{id}`{hint}; the catalog has: {}", ids.join(", ")));
        return None;
    };
    let mut user =
        DeclaredUser { line: line_of(text, for_key.span().start), integration: id.clone(), ..Default::default() };
    for (key, value) in &table {
        let line = line_of(text, key.span().start);
        let name = key.get_ref().as_str();
        if name == "for" {
            continue;
        }
        let kind = KEYS.iter().find(|(k, _)| *k == name).map(|(_, kind)| *kind);
        let option = integration.option(name);
        let kind = match (kind, option) {
            (Some(kind), _) => kind,
            (None, Some(_)) => KeyKind::One,
            (None, None) => {
                let mut known: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
                known.extend(integration.options.iter().map(|o| o.name.as_str()));
                let hint = match did_you_mean(name, known.iter().copied()) {
                    Some(c) => format!("; did you mean `{c}`?"),
                    None => String::new(),
                };
                problem(line, format!("unknown key `{name}` for `{id}`{hint}; the keys are: {}", known.join(", ")));
                continue;
            }
        };
        let values: Vec<String> = match (kind, value.get_ref()) {
            (KeyKind::One, RawValue::Text(s)) | (KeyKind::Many, RawValue::Text(s)) => vec![s.clone()],
            (KeyKind::Many, RawValue::List(list)) => list.clone(),
            (KeyKind::Flag, RawValue::Flag(b)) => {
                user.new_profile = *b;
                continue;
            }
            (KeyKind::One, _) => {
                problem(line, format!("`{name}` takes one string"));
                continue;
            }
            (KeyKind::Many, _) => {
                problem(line, format!("`{name}` takes a string or a list of strings"));
                continue;
            }
            (KeyKind::Flag, _) => {
                problem(line, format!("`{name}` takes true or false"));
                continue;
            }
        };
        let single = || values.first().cloned().unwrap_or_default();
        match name {
            "feature" => user.features = values,
            "object" => user.objects = values,
            "field" => user.fields = values,
            "as" => match OutputKind::parse(&single()) {
                Some(kind) => user.output = Some(kind),
                None => problem(line, format!("`as = \"{}\"`: write `permission-set` or `profile`", single())),
            },
            "name" => user.name = Some(single()),
            "label" => user.label = Some(single()),
            "api-version" => user.api_version = Some(single()),
            "user-license" => user.user_license = Some(single()),
            "dependencies" => user.dependencies = Some(PathBuf::from(single())),
            _ => {
                let value = single();
                if let Some(OptionKind::Choice(allowed)) = option.map(|o| &o.kind)
                    && !allowed.contains(&value)
                {
                    let hint = match did_you_mean(&value, allowed.iter().map(String::as_str)) {
                        Some(c) => format!("; did you mean `{c}`?"),
                        None => String::new(),
                    };
                    problem(
                        line,
                        format!("`{name} = \"{value}\"` is not allowed{hint}; use one of: {}", allowed.join(", ")),
                    );
                    continue;
                }
                user.options.insert(name.to_string(), value);
            }
        }
    }
    Some(user)
}

/// Two users writing the same file (same kind and name) would overwrite each other.
fn duplicates(users: &[DeclaredUser], catalog: &Catalog, problems: &mut Vec<ProjectFileProblem>) {
    let mut seen: BTreeMap<(&str, String), usize> = BTreeMap::new();
    for user in users {
        let Some(integration) = catalog.get(&user.integration) else { continue };
        let kind = user.output.unwrap_or(integration.output);
        let name = user.name.clone().unwrap_or_else(|| integration.default_name.clone());
        if let Some(first) = seen.insert((kind.word(), name.clone()), user.line) {
            problems.push(ProjectFileProblem {
                line: user.line,
                message: format!(
                    "this user writes the {} `{name}`, as the user at line {first} does: give one of them another `name`",
                    kind.word()
                ),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        crate::catalog::builtin().unwrap()
    }

    fn problems(text: &str) -> Vec<String> {
        parse(text, &catalog()).unwrap_err().into_iter().map(|p| format!("{}: {}", p.line, p.message)).collect()
    }

    #[test]
    fn reads_users_with_lists_options_and_names() {
        let text = "# three users\n[[user]]\nfor = \"planhat\"\nsync = \"two-way\"\nobject = \"Invoice__c:read\"\n\n[[user]]\nfor = \"jetstream\"\nfeature = [\"deploy\", \"debug-logs\"]\nname = \"Jetstream_CI\"\n\n[[user]]\nfor = \"elements\"\nmode = \"managed\"\nnew-profile = false\n";
        let users = parse(text, &catalog()).unwrap();
        assert_eq!(users.len(), 3);
        assert_eq!(users[0].line, 3);
        assert_eq!(users[0].options["sync"], "two-way");
        assert_eq!(users[0].objects, ["Invoice__c:read"]);
        assert_eq!(users[1].features, ["deploy", "debug-logs"]);
        assert_eq!(users[1].name.as_deref(), Some("Jetstream_CI"));
        assert_eq!(users[2].options["mode"], "managed");
    }

    #[test]
    fn every_problem_has_its_line_and_a_did_you_mean() {
        let text = "[[user]]\nfor = \"planhatt\"\n\n[[user]]\nfor = \"jetstream\"\nfeatur = \"deploy\"\nobject = 3\n\n[[user]]\nfor = \"planhat\"\nsync = \"two-ways\"\n\n[[user]]\nname = \"x\"\n";
        // The list of ids grows with the catalog: the message names every one of them.
        let catalog = catalog();
        let ids: Vec<&str> = catalog.integrations.keys().map(String::as_str).collect();
        assert!(ids.contains(&"planhat") && ids.contains(&"jetstream"));
        let unknown = format!(
            "2: `for`: unknown integration `planhatt`; did you mean `planhat`?; the catalog has: {}",
            ids.join(", ")
        );
        assert_eq!(
            problems(text),
            [
                unknown.as_str(),
                "6: unknown key `featur` for `jetstream`; did you mean `feature`?; the keys are: for, feature, object, field, as, name, label, api-version, new-profile, user-license, dependencies",
                "7: `object` takes a string or a list of strings",
                "11: `sync = \"two-ways\"` is not allowed; did you mean `two-way`?; use one of: receive-only, two-way",
                "13: this `[[user]]` has no `for` key: say which integration (`for = \"planhat\"`)",
            ]
        );
    }

    #[test]
    fn toml_errors_and_unknown_tables_have_lines() {
        assert_eq!(problems("[[users]]\nfor = \"planhat\"\n"), ["1: unknown table or key `users`, expected `user`"]);
        assert_eq!(problems("[[user]]\nfor = \"planhat\n"), ["2: invalid basic string"]);
        assert_eq!(problems("# nothing yet\n")[0].split(':').next(), Some("1"));
    }

    /// Each key of a `[[user]]` table lands in its own place: lists, single strings, the flag,
    /// the output kind, a path, and the integration's options.
    #[test]
    fn every_key_is_read_into_its_own_field() {
        let text = "[[user]]\nfor = \"planhat\"\nfeature = \"one\"\nobject = [\"Invoice__c:read\", \"Case\"]\nfield = [\"Account.Name:edit\"]\nas = \"profile\"\nname = \"Planhat Sync\"\nlabel = \"Planhat\"\napi-version = \"66.0\"\nnew-profile = true\nuser-license = \"Salesforce Integration\"\ndependencies = \"org/deps.csv\"\nsync = \"receive-only\"\n";
        let user = parse(text, &catalog()).unwrap().remove(0);
        let expected = DeclaredUser {
            line: 2,
            integration: "planhat".into(),
            features: vec!["one".into()],
            objects: vec!["Invoice__c:read".into(), "Case".into()],
            fields: vec!["Account.Name:edit".into()],
            output: Some(OutputKind::Profile),
            name: Some("Planhat Sync".into()),
            label: Some("Planhat".into()),
            api_version: Some("66.0".into()),
            new_profile: true,
            user_license: Some("Salesforce Integration".into()),
            dependencies: Some(PathBuf::from("org/deps.csv")),
            options: [("sync".to_string(), "receive-only".to_string())].into(),
        };
        assert_eq!(user, expected);
        let wrong_kind = "[[user]]\nfor = \"planhat\"\nas = \"pset\"\nnew-profile = \"yes\"\n";
        assert_eq!(
            problems(wrong_kind),
            ["3: `as = \"pset\"`: write `permission-set` or `profile`", "4: `new-profile` takes true or false"]
        );
    }

    /// One problem reads as `file:line: message`; several are counted, one per line after.
    #[test]
    fn one_problem_is_one_line_and_several_are_counted() {
        let problem = |line: usize, message: &str| ProjectFileProblem { line, message: message.into() };
        let one = ProjectFileError { file: "sfperms.toml".into(), problems: vec![problem(3, "bad")] };
        assert_eq!(one.to_string(), "sfperms.toml:3: bad");
        let two =
            ProjectFileError { file: "sfperms.toml".into(), problems: vec![problem(3, "bad"), problem(9, "worse")] };
        assert_eq!(two.to_string(), "sfperms.toml has 2 problems:\n  sfperms.toml:3: bad\n  sfperms.toml:9: worse");
    }

    /// The project file is the nearest `sfperms.toml` file in the folder or above it; a folder of
    /// that name does not count.
    #[test]
    fn the_nearest_project_file_above_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("force-app/main/default");
        std::fs::create_dir_all(&deep).unwrap();
        let outside = |found: Option<PathBuf>| found.is_none_or(|p| !p.starts_with(dir.path()));
        assert!(outside(find(&deep)));
        std::fs::create_dir(dir.path().join("force-app/main").join(FILE_NAME)).unwrap();
        assert!(outside(find(&deep)));
        std::fs::write(dir.path().join(FILE_NAME), "").unwrap();
        assert_eq!(find(&deep), Some(dir.path().join(FILE_NAME)));
        std::fs::write(deep.join(FILE_NAME), "").unwrap();
        assert_eq!(find(&deep), Some(deep.join(FILE_NAME)));
    }

    #[test]
    fn two_users_writing_one_file_are_refused() {
        let text = "[[user]]\nfor = \"jetstream\"\n\n[[user]]\nfor = \"jetstream\"\nfeature = \"deploy\"\n";
        assert_eq!(
            problems(text),
            [
                "5: this user writes the permission-set `Jetstream_User`, as the user at line 2 does: give one of them another `name`"
            ]
        );
    }
}
