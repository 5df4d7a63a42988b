//! The library's top-level modules form no cycle: each `crate::<module>` path in a module's code
//! (not its tests) is an edge, and the graph of edges has to stay acyclic, so that every module can
//! be read knowing only the modules below it. The map atop `docs/design.md` lists this graph, and
//! is checked against it here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The top-level module each library file belongs to, and the text of its code without its tests.
pub(crate) fn library_files() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let test_only = test_only_files(&src);
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = path.strip_prefix(&src).unwrap();
        let top = relative.components().next().unwrap().as_os_str().to_str().unwrap();
        let module = top.trim_end_matches(".rs").to_string();
        // The binary and its modules are not the library.
        if module == "main" || module == "cli" || module == "lib" || test_only.contains(path) {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        files.push((module, without_tests(&text).to_string()));
    }
    files
}

/// Files declared `#[cfg(test)] mod name;`: they are tests, whatever they use.
fn test_only_files(src: &Path) -> BTreeSet<std::path::PathBuf> {
    let mut found = BTreeSet::new();
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let Ok(text) = std::fs::read_to_string(path) else { continue };
        let dir = match path.file_name().and_then(|n| n.to_str()) {
            Some("mod.rs" | "lib.rs" | "main.rs") => path.parent().unwrap().to_path_buf(),
            _ => path.with_extension(""),
        };
        let mut lines = text.lines().map(str::trim);
        while let Some(line) = lines.next() {
            if line == "#[cfg(test)]"
                && let Some(name) = lines.next().and_then(|l| l.strip_prefix("mod ")).and_then(|l| l.strip_suffix(';'))
            {
                found.insert(dir.join(format!("{name}.rs")));
            }
        }
    }
    found
}

/// The code before a file's `#[cfg(test)] mod tests {` block (which closes every file that has one).
fn without_tests(text: &str) -> &str {
    let mut offset = 0;
    let mut lines = text.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]" && lines.peek().is_some_and(|next| next.trim_end().ends_with('{')) {
            return &text[..offset];
        }
        offset += line.len();
    }
    text
}

/// The top-level modules `code` names through `crate::` (comments skipped).
fn used_modules(code: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for line in code.lines() {
        let line = line.split("//").next().unwrap_or_default();
        for (at, _) in line.match_indices("crate::") {
            let rest = &line[at + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                // `use crate::{a::b, c};`: every top-level name in the braces.
                let mut depth = 0;
                let mut name = String::new();
                let mut expecting_name = true;
                for c in group.chars() {
                    if expecting_name && (c.is_alphanumeric() || c == '_') {
                        name.push(c);
                        continue;
                    }
                    if !name.is_empty() {
                        used.insert(std::mem::take(&mut name));
                        expecting_name = false;
                    }
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => expecting_name = true,
                        _ => {}
                    }
                }
                if !name.is_empty() {
                    used.insert(name);
                }
            } else {
                let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !name.is_empty() {
                    used.insert(name);
                }
            }
        }
    }
    used
}

/// Module → the other top-level modules it uses.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, code) in library_files() {
        let edges = graph.entry(module.clone()).or_default();
        edges.extend(used_modules(&code).into_iter().filter(|used| *used != module));
    }
    graph
}

/// A cycle of `graph`, as the modules along it (the first repeated at the end), if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        marks: &mut BTreeMap<String, Mark>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match marks.get(node) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let start = path.iter().position(|n| n == node).unwrap();
                let mut cycle = path[start..].to_vec();
                cycle.push(node.to_string());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(node.to_string(), Mark::Open);
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, marks, path) {
                return Some(cycle);
            }
        }
        path.pop();
        marks.insert(node.to_string(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    graph.keys().find_map(|node| visit(node, graph, &mut marks, &mut Vec::new()))
}

#[test]
fn top_level_modules_form_no_cycle() {
    let graph = graph();
    // The walk found the library: a sanity check that the test is looking at the code.
    assert!(graph.contains_key("solver") && graph["solver"].contains("catalog"), "{graph:?}");
    if let Some(cycle) = find_cycle(&graph) {
        panic!("module cycle: {}\nthe whole graph: {graph:#?}", cycle.join(" → "));
    }
}

/// The uses the map in `docs/design.md` lists: the code block after `<!-- module-uses -->`, one
/// `module → used used …` line per module.
fn documented_graph() -> BTreeMap<String, BTreeSet<String>> {
    let design = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/design.md")).unwrap();
    let (_, after) = design.split_once("<!-- module-uses -->").expect("docs/design.md marks its module map");
    let block = after.split("```").nth(1).expect("a code block after the marker");
    block
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let (module, used) = line.split_once('→').unwrap_or_else(|| panic!("not `module → used …`: {line}"));
            (module.trim().to_string(), used.split_whitespace().map(String::from).collect())
        })
        .collect()
}

#[test]
fn the_map_in_the_design_notes_is_the_code() {
    let (code, documented) = (graph(), documented_graph());
    for module in code.keys().chain(documented.keys()).collect::<BTreeSet<_>>() {
        assert_eq!(
            code.get(module),
            documented.get(module),
            "`{module}`: the code uses the first, docs/design.md's map says the second; update the map"
        );
    }
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let graph = |edges: &[(&str, &str)]| {
        let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (from, to) in edges {
            g.entry(from.to_string()).or_default().insert(to.to_string());
            g.entry(to.to_string()).or_default();
        }
        g
    };
    assert_eq!(find_cycle(&graph(&[("a", "b"), ("b", "c"), ("a", "c")])), None);
    assert_eq!(find_cycle(&graph(&[("a", "b"), ("b", "c"), ("c", "a")])).unwrap(), ["a", "b", "c", "a"]);
}

#[test]
fn uses_are_read_in_every_form() {
    let code = "use crate::access::Item;\nuse crate::{emit, metadata::{Document, Node}};\n// crate::commented\nlet x = crate::disk::read();";
    let expected: BTreeSet<String> = ["access", "disk", "emit", "metadata"].map(String::from).into();
    assert_eq!(used_modules(code), expected);
    assert_eq!(without_tests("fn a() {}\n#[cfg(test)]\nmod tests {\n use crate::x;\n}\n"), "fn a() {}\n");
    assert_eq!(without_tests("#[cfg(test)]\nmod helpers;\nfn b() {}\n"), "#[cfg(test)]\nmod helpers;\nfn b() {}\n");
}
