// Embeds the integration catalog (profiles/*.toml) and the vendor documents it cites
// (profiles/sources/*.txt) into the binary, so adding an integration is adding a file; and sorts
// the platform data tables a run looks up (src/platform/data/*.tsv) into static tables searched by
// binary search (`tsv::Table`), so no run builds a map from their text first.
use std::fmt::Write as _;
use std::path::Path;

// The same reader the library uses, so a table means the same here and there.
#[allow(dead_code)]
#[path = "src/tsv.rs"]
mod tsv;

/// The sorted paths of `dir/*.EXT`.
fn files(dir: &str, ext: &str) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {dir}: {e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().and_then(|x| x.to_str()) == Some(ext))
        .collect();
    files.sort();
    files
}

fn file_name(path: &Path) -> &str {
    path.file_name().unwrap().to_str().unwrap()
}

fn embed(out: &mut String, name: &str, dir: &str, files: &[std::path::PathBuf]) {
    writeln!(out, "pub const {name}: &[(&str, &str)] = &[").unwrap();
    for path in files {
        let abs = Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap()).join(path);
        let file = file_name(path);
        writeln!(out, "    ({:?}, include_str!({:?})),", format!("{dir}/{file}"), abs.display().to_string()).unwrap();
    }
    writeln!(out, "];").unwrap();
}

/// For each integration, the indices in `DOCUMENTS` of the documents whose file name occurs in its
/// text (no other document can be one it names), so a run does not search its text for each name.
fn documents_named(out: &mut String, integrations: &[std::path::PathBuf], documents: &[std::path::PathBuf]) {
    writeln!(out, "pub const DOCUMENTS_NAMED: &[&[usize]] = &[").unwrap();
    for path in integrations {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        let named: Vec<usize> = (0..documents.len()).filter(|&i| text.contains(file_name(&documents[i]))).collect();
        writeln!(out, "    &{named:?},").unwrap();
    }
    writeln!(out, "];").unwrap();
}

/// Whether a table's key names one row (a second row of the same key, in any case, stops the build).
#[derive(Clone, Copy, PartialEq)]
enum Keys {
    Unique,
    Repeated,
}

/// The platform tables a run looks up: (static name, file in src/platform/data, key column, keys).
const TABLES: &[(&str, &str, &str, Keys)] = &[
    ("ADMIN_FIELDS", "standard-field-permissions-admin-v67.tsv", "field", Keys::Unique),
    ("CORPUS_FIELDS", "standard-field-permissions-corpus.tsv", "field", Keys::Unique),
    ("NON_PERMISSIONABLE_FIELDS", "non-permissionable-fields.tsv", "field", Keys::Unique),
    ("NON_PERMISSIONABLE_STANDARD_FIELDS", "non-permissionable-standard-fields.tsv", "field", Keys::Unique),
    ("STANDARD_OBJECTS", "standard-object-permissions-admin-v67.tsv", "object", Keys::Unique),
    ("NON_PERMISSIONABLE_OBJECTS", "non-permissionable-objects.tsv", "object", Keys::Repeated),
    ("USER_PERMISSIONS", "user-permissions.tsv", "name", Keys::Unique),
    ("CORPUS_PERMISSIONS", "user-permissions-corpus.tsv", "name", Keys::Unique),
    ("PRIVILEGE", "privilege.tsv", "name", Keys::Unique),
];

fn table(out: &mut String, name: &str, file: &str, key_column: &str, keys: Keys) {
    let path = format!("src/platform/data/{file}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    let mut header: Vec<String> = Vec::new();
    // (line number, start and end of the line in the text, key, start of the key in the text)
    let mut rows: Vec<(usize, usize, usize, String, usize)> = Vec::new();
    tsv::for_each_row(&text, |row| {
        if header.is_empty() {
            header = row.header().iter().map(|h| h.to_string()).collect();
        }
        let offset = |part: &str| part.as_ptr() as usize - text.as_ptr() as usize;
        let key = row.get(key_column);
        rows.push((row.line, offset(row.text()), offset(row.text()) + row.text().len(), key.to_string(), offset(key)));
    });
    // A stable sort: rows of one key stay in file order.
    rows.sort_by(|a, b| tsv::cmp_ignore_case(&a.3, &b.3));
    if keys == Keys::Unique {
        for pair in rows.windows(2) {
            if tsv::cmp_ignore_case(&pair[0].3, &pair[1].3).is_eq() {
                panic!("{path}:{}: `{}` is already on line {}", pair[1].0, pair[1].3, pair[0].0);
            }
        }
    }
    let abs = Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap()).join(&path);
    writeln!(out, "pub static {name}: crate::tsv::Table = crate::tsv::Table {{").unwrap();
    writeln!(out, "    text: include_str!({:?}),", abs.display().to_string()).unwrap();
    writeln!(out, "    header: &{header:?},\n    records: &[").unwrap();
    for (line, start, end, key, key_start) in rows {
        let key_end = key_start + key.len();
        writeln!(out, "        crate::tsv::Record {{ line: {line}, start: {start}, end: {end}, key_start: {key_start}, key_end: {key_end} }},").unwrap();
    }
    writeln!(out, "    ],\n}};").unwrap();
}

fn main() {
    println!("cargo::rerun-if-changed=profiles");
    println!("cargo::rerun-if-changed=src/platform/data");
    println!("cargo::rerun-if-changed=src/tsv.rs");
    let out_dir = std::env::var("OUT_DIR").unwrap();
    let mut out = String::from("// @generated by build.rs: the built-in catalog.\n");
    let (integrations, documents) = (files("profiles", "toml"), files("profiles/sources", "txt"));
    embed(&mut out, "INTEGRATIONS", "profiles", &integrations);
    embed(&mut out, "DOCUMENTS", "profiles/sources", &documents);
    documents_named(&mut out, &integrations, &documents);
    std::fs::write(Path::new(&out_dir).join("builtin_catalog.rs"), out).unwrap();

    let mut out = String::from("// @generated by build.rs: the platform tables, sorted by key.\n");
    for (name, file, key, keys) in TABLES {
        table(&mut out, name, file, key, *keys);
    }
    std::fs::write(Path::new(&out_dir).join("platform_tables.rs"), out).unwrap();
}
