//! How fast sfperms reads whole orgs, every figure a ratio to the floor measured in the same run: a
//! bare quick-xml event loop over the same files on one thread (no tree, nothing written). Side by
//! side: a Node formatter of the kind Node metadata tools are (`benches/node/format.js`:
//! fast-xml-parser parse, sort, rebuild, compare), installed from the npm registry into a temporary
//! folder when `npm` is there (a comparison, never a dependency). Inputs are generated at bench
//! time into temporary folders, never committed: a real-shaped org (profiles of several megabytes
//! and many smaller permission sets), and files scaled 1×, 10× and 100× in each dimension
//! (entries, line length, attributes, depth). Numbers go to `docs/performance.md`.
//!
//! Run: `cargo bench --bench scale` (`SFPERMS_BENCH_PROFILES`, `SFPERMS_BENCH_MB`,
//! `SFPERMS_BENCH_SETS`, `SFPERMS_BENCH_NODE=0` to resize or skip). Processes are timed whole
//! (wall time here, peak RSS from `/usr/bin/time`), best of several runs. Not part of `cargo test`
//! (`test = false` in Cargo.toml); timings are reported, never asserted.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use sfperms::emit;
use sfperms::metadata::{Content, Document, Node};

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// One synthetic PermissionSet or Profile of about `target` bytes, in canonical form, different
/// per `seed`: the groups and proportions of real retrieves.
fn synthetic(root: &str, seed: usize, target: usize) -> String {
    let flag = |i: usize, salt: usize| if (i * 31 + seed * 7 + salt).is_multiple_of(3) { "true" } else { "false" };
    let profile = root == "Profile";
    let mut doc = Document::new(root);
    for i in 0..400 {
        doc.entry("classAccesses", &[("apexClass", &format!("Class{i:04}")), ("enabled", flag(i, 1))]);
    }
    if profile {
        doc.leaf("custom", "true");
    } else {
        doc.leaf("hasActivationRequired", "false");
        doc.leaf("label", format!("Permission Set {seed}"));
    }
    let objects = 600;
    for i in 0..objects {
        let object = format!("Object{i:04}__c");
        doc.entry(
            "objectPermissions",
            &[
                ("allowCreate", flag(i, 2)),
                ("allowDelete", flag(i, 3)),
                ("allowEdit", flag(i, 4)),
                ("allowRead", "true"),
                ("modifyAllRecords", "false"),
                ("object", &object),
                ("viewAllRecords", flag(i, 5)),
            ],
        );
        if profile {
            doc.entry("tabVisibilities", &[("tab", &object), ("visibility", "DefaultOn")]);
            doc.entry("layoutAssignments", &[("layout", &format!("{object}-Layout"))]);
        }
    }
    if profile {
        doc.leaf("userLicense", "Salesforce");
    }
    for i in 0..200 {
        doc.entry("userPermissions", &[("enabled", "true"), ("name", &format!("Permission{i:03}"))]);
    }
    let base = emit::render_fast(&doc).len();
    // A fieldPermissions entry is about 165 bytes.
    for fields in 0..target.saturating_sub(base) / 165 {
        let field = format!("Object{:04}__c.Field{:05}__c", fields % objects, fields);
        doc.entry("fieldPermissions", &[("editable", flag(fields, 6)), ("field", &field), ("readable", "true")]);
    }
    emit::render_fast(&doc)
}

/// A real-shaped SFDX project: `profiles` profiles of about `bytes` and `sets` permission sets of
/// a twentieth of that. Returns the total size.
fn write_org(dir: &Path, profiles: usize, bytes: usize, sets: usize) -> u64 {
    std::fs::write(
        dir.join("sfdx-project.json"),
        r#"{"packageDirectories": [{"path": "force-app", "default": true}]}"#,
    )
    .unwrap();
    let base = dir.join("force-app/main/default");
    std::fs::create_dir_all(base.join("profiles")).unwrap();
    std::fs::create_dir_all(base.join("permissionsets")).unwrap();
    let mut total = 0;
    for i in 0..profiles {
        let text = synthetic("Profile", i, bytes);
        total += text.len() as u64;
        std::fs::write(base.join(format!("profiles/Profile {i:03}.profile-meta.xml")), text).unwrap();
    }
    for i in 0..sets {
        let text = synthetic("PermissionSet", i, bytes / 20);
        total += text.len() as u64;
        std::fs::write(base.join(format!("permissionsets/Set{i:03}.permissionset-meta.xml")), text).unwrap();
    }
    total
}

fn metadata_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.contains(".profile") || n.contains(".permissionset")
        })
        .collect();
    files.sort();
    files
}

/// CPU time this thread has used, in seconds (Linux: /proc/thread-self/schedstat, nanoseconds).
fn thread_cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    stat.split_whitespace().next().and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0) / 1e9
}

/// Best of `runs` of `f`: (wall seconds, CPU seconds of this thread).
fn best_in_process(runs: usize, f: impl Fn()) -> (f64, f64) {
    (0..runs)
        .map(|_| {
            let (start, cpu) = (Instant::now(), thread_cpu());
            f();
            (start.elapsed().as_secs_f64(), thread_cpu() - cpu)
        })
        .fold((f64::INFINITY, f64::INFINITY), |a, b| (a.0.min(b.0), a.1.min(b.1)))
}

/// The floor: read every file and run quick-xml's event loop over it (borrowing, no tree, nothing
/// written), on one thread. Best of `runs`: (wall, CPU).
fn floor(files: &[PathBuf], runs: usize) -> (f64, f64) {
    best_in_process(runs, || {
        for file in files {
            let bytes = std::fs::read(file).unwrap();
            let mut reader = quick_xml::Reader::from_reader(bytes.as_slice());
            let mut events = 0u64;
            loop {
                match reader.read_event().unwrap() {
                    quick_xml::events::Event::Eof => break,
                    _ => events += 1,
                }
            }
            std::hint::black_box(events);
        }
    })
}

/// What one timed run of a process took.
#[derive(Clone, Copy)]
struct Run {
    code: i32,
    wall: f64,
    /// User and system CPU seconds (from /usr/bin/time: 10 ms resolution).
    cpu: f64,
    kb: u64,
}

/// Runs a program under /usr/bin/time.
fn timed(program: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let start = Instant::now();
    let output = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M %U %S")
        .arg(program)
        .args(args)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .expect("/usr/bin/time runs");
    let wall = start.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let fields: Vec<&str> = stderr.lines().last().unwrap_or_default().split_whitespace().collect();
    let number = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // /usr/bin/time reports its child's status as its own.
    Run { code: output.status.code().unwrap_or(-1), wall, cpu: number(1) + number(2), kb: number(0) as u64 }
}

/// Best of `runs` (wall time; CPU time its own best), with the peak memory of the fastest run;
/// `prepare` runs before each, untimed.
fn best(runs: usize, mut prepare: impl FnMut(), program: &Path, args: &[&str]) -> Run {
    let all: Vec<Run> = (0..runs)
        .map(|_| {
            prepare();
            timed(program, args, &[])
        })
        .collect();
    let fastest = *all.iter().min_by(|a, b| a.wall.total_cmp(&b.wall)).unwrap();
    Run { cpu: all.iter().map(|r| r.cpu).fold(f64::INFINITY, f64::min), ..fastest }
}

fn sfperms() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_sfperms"))
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1_000_000.0
}

/// One table row: what, input size, wall time and its ratio to the floor's, CPU time and its
/// ratio to the floor's, peak RSS.
fn row(what: &str, bytes: u64, (wall, cpu): (f64, f64), (floor_wall, floor_cpu): (f64, f64), kb: u64) {
    let rss = if kb == 0 { "—".to_string() } else { format!("{:.0} MB", kb as f64 / 1000.0) };
    let cpu_ratio = if cpu > 0.0 && floor_cpu > 0.0 { format!("{:.2}×", cpu / floor_cpu) } else { "—".into() };
    println!(
        "| {what} | {:.1} MB | {:.4} s | {:.2}× | {:.3} s | {cpu_ratio} | {rss} |",
        mb(bytes),
        wall,
        wall / floor_wall,
        cpu
    );
}

fn run_row(what: &str, bytes: u64, run: Run, floor: (f64, f64)) {
    row(what, bytes, (run.wall, run.cpu), floor, run.kb);
}

fn header(title: &str) {
    println!(
        "\n{title}\n\n| what | input | wall | × floor (wall) | CPU | × floor (CPU) | peak RSS |\n|---|---:|---:|---:|---:|---:|---:|"
    );
}

/// A copy of the folder `from` at `to`, each metadata file's text changed by `change`.
fn write_copy(from: &Path, to: &Path, change: impl Fn(String) -> String) {
    let _ = std::fs::remove_dir_all(to);
    for file in walkdir::WalkDir::new(from).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()) {
        let target = to.join(file.path().strip_prefix(from).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        let text = std::fs::read_to_string(file.path()).unwrap();
        let text = if file.path().extension().is_some_and(|e| e == "xml") { change(text) } else { text };
        std::fs::write(target, text).unwrap();
    }
}

/// The same files with CRLF line ends: what `fmt` rewrites without a tree.
fn write_crlf_copy(from: &Path, to: &Path) {
    write_copy(from, to, |text| text.replace('\n', "\r\n"));
}

/// The same files out of order: each file's entries reversed (and so every group's), its line
/// ends LF. What `fmt` rewrites when a file must be read, ordered and written in full.
fn write_reordered_copy(from: &Path, to: &Path) {
    write_copy(from, to, |text| {
        let mut doc = sfperms::metadata::read::parse(&text).unwrap();
        doc.children.reverse();
        emit::render_as_is_fast(&doc)
    });
}

/// fast-xml-parser from the npm registry in `dir`, or why not.
fn install_node_formatter(dir: &Path) -> Result<PathBuf, String> {
    if std::env::var("SFPERMS_BENCH_NODE").is_ok_and(|v| v == "0") {
        return Err("SFPERMS_BENCH_NODE=0".into());
    }
    let status = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--silent", "--prefix"])
        .arg(dir)
        .arg("fast-xml-parser@5.12.1")
        .status()
        .map_err(|e| format!("npm: {e}"))?;
    if !status.success() {
        return Err(format!("npm install failed ({status})"));
    }
    Ok(dir.join("node_modules"))
}

/// A profile in one dimension scaled by `scale`, canonical: entries, line length, attributes or
/// depth. Sizes stay under the 64 MiB a file may have at 100×.
fn scaled(dimension: &str, scale: usize) -> String {
    let mut doc = Document::new("Profile");
    match dimension {
        "entries" => {
            for i in 0..2_000 * scale {
                let field = format!("Object{:04}__c.Field{i:07}__c", i % 600);
                doc.entry("fieldPermissions", &[("editable", "false"), ("field", &field), ("readable", "true")]);
            }
        }
        "line length" => {
            doc.leaf("description", "lorem ipsum & dolor ".repeat(2_500 * scale));
            doc.leaf("custom", "true");
        }
        "attributes" => {
            let mut node = Node::leaf("custom", "true");
            node.attrs = (0..1_000 * scale).map(|i| (format!("a{i}"), format!("v{i}"))).collect();
            doc.children.push(node);
        }
        _ => {
            let mut node = Node::leaf("x", "deep");
            for _ in 1..10 * scale {
                node = Node::new("x", Content::Children(vec![node]));
            }
            doc.children.push(node);
        }
    }
    emit::render_fast(&doc)
}

fn main() {
    // Re-run as "a Rust process that does nothing", the baseline of `gen`.
    if std::env::var("SFPERMS_BENCH_NOOP").is_ok() {
        return;
    }
    // `SFPERMS_BENCH_ONLY=largest`: one profile, and only its table (the floor, diff, the reader).
    let only_largest = std::env::var("SFPERMS_BENCH_ONLY").is_ok_and(|v| v == "largest");
    let profiles = if only_largest { 1 } else { env_number("SFPERMS_BENCH_PROFILES", 20) };
    let megabytes = env_number("SFPERMS_BENCH_MB", 4);
    let sets = if only_largest { 0 } else { env_number("SFPERMS_BENCH_SETS", 57) };
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("cores: {}; load average at start: {}", num_cores(), load.trim());

    let tmp = tempfile::tempdir().unwrap();
    let org = tmp.path().join("org");
    std::fs::create_dir_all(&org).unwrap();
    let total = write_org(&org, profiles, megabytes * 1_000_000, sets);
    let files = metadata_files(&org);
    let largest = files.iter().max_by_key(|f| std::fs::metadata(f).unwrap().len()).unwrap().clone();
    let largest_bytes = std::fs::metadata(&largest).unwrap().len();
    let org_arg = org.to_str().unwrap();
    if !only_largest {
        let floor_org = floor(&files, 5);
        header(&format!(
            "Real-shaped org: {} files ({profiles} profiles of about {megabytes} MB, {sets} permission sets), {:.1} MB",
            files.len(),
            mb(total)
        ));
        row("floor: quick-xml event loop, one thread", total, floor_org, floor_org, 0);
        let check = best(5, || {}, sfperms(), &["fmt", "--check", org_arg]);
        assert_eq!(check.code, 0, "fmt --check on the org (it is generated canonical)");
        run_row("`sfperms fmt --check` (both cores)", total, check, floor_org);
        let crlf = tmp.path().join("crlf");
        let rewrite = best(3, || write_crlf_copy(&org, &crlf), sfperms(), &["fmt", crlf.to_str().unwrap()]);
        assert_eq!(rewrite.code, 0, "fmt rewrites the CRLF copy");
        run_row("`sfperms fmt` rewriting every file (a CRLF copy: line ends only)", total, rewrite, floor_org);
        assert!(
            std::fs::read(crlf.join(largest.strip_prefix(&org).unwrap())).unwrap() == std::fs::read(&largest).unwrap()
        );
        let reordered = tmp.path().join("reordered");
        let rewrite =
            best(3, || write_reordered_copy(&org, &reordered), sfperms(), &["fmt", reordered.to_str().unwrap()]);
        assert_eq!(rewrite.code, 0, "fmt rewrites the reordered copy");
        run_row("`sfperms fmt` rewriting every file (a reordered copy: read, order, write)", total, rewrite, floor_org);
        let back = std::fs::read(reordered.join(largest.strip_prefix(&org).unwrap())).unwrap();
        assert!(back == std::fs::read(&largest).unwrap());
        match install_node_formatter(&tmp.path().join("node")) {
            Ok(modules) => {
                let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/node/format.js");
                let node = (0..2)
                    .map(|_| {
                        timed(
                            Path::new("node"),
                            &[script.to_str().unwrap(), org_arg],
                            &[("NODE_PATH", modules.to_str().unwrap())],
                        )
                    })
                    .min_by(|a, b| a.wall.total_cmp(&b.wall))
                    .unwrap();
                assert_eq!(node.code, 0, "the Node formatter finds the org canonical too");
                run_row(
                    "Node formatter (fast-xml-parser 5.12.1: parse, sort, rebuild, compare)",
                    total,
                    node,
                    floor_org,
                );
                println!(
                    "\n`fmt --check` is {:.0}× faster than the Node formatter (wall; {:.0}× in CPU time).",
                    node.wall / check.wall,
                    node.cpu / check.cpu
                );
            }
            Err(why) => println!("| Node formatter | skipped: {why} | | | | | |"),
        }
    }

    // One large profile: diff, and the reader, writer and streaming check in process.
    let floor_one = floor(std::slice::from_ref(&largest), 9);
    header(&format!("The largest profile, {:.1} MB", mb(largest_bytes)));
    row("floor: quick-xml event loop, one thread", largest_bytes, floor_one, floor_one, 0);
    let own = best(5, || {}, sfperms(), &["--version"]);
    run_row("`sfperms --version` (the binary's own memory)", 0, own, floor_one);
    let largest_arg = largest.to_str().unwrap();
    let diff = ["diff", "--for", "planhat", "--sync", "two-way", "--against", largest_arg, "--scope", "full"];
    let compared = best(7, || {}, sfperms(), &diff);
    assert_eq!(compared.code, 1, "the synthetic profile is not what planhat needs");
    run_row("`sfperms diff --scope full`", largest_bytes, compared, floor_one);
    println!(
        "\npeak RSS of diff over the binary's own: {:.1}× the file",
        (compared.kb.saturating_sub(own.kb)) as f64 * 1000.0 / largest_bytes as f64
    );
    let text = std::fs::read_to_string(&largest).unwrap();
    header("In process, the same profile (no process start, no file read)");
    let timing = best_in_process(5, || assert!(emit::is_canonical(text.as_bytes(), |_| true)));
    row("`emit::is_canonical` (the streaming check)", largest_bytes, timing, floor_one, 0);
    let timing = best_in_process(5, || {
        std::hint::black_box(sfperms::metadata::read::parse(&text).unwrap());
    });
    row("`read::parse` (the owned tree)", largest_bytes, timing, floor_one, 0);
    let timing = best_in_process(5, || {
        let prepared = sfperms::metadata::read::prepare_text(&text);
        std::hint::black_box(prepared.parse(sfperms::metadata::read::Namespace::Required).unwrap());
    });
    row(
        "`read::prepare_text` + `Prepared::parse` (the tree borrowing from the text)",
        largest_bytes,
        timing,
        floor_one,
        0,
    );
    let crlf_text = text.replace('\n', "\r\n");
    let timing = best_in_process(5, || {
        let prepared = sfperms::metadata::read::prepare_text(&crlf_text);
        let mut doc = prepared.parse(sfperms::metadata::read::Namespace::Required).unwrap();
        sfperms::metadata::canonical::canonicalize(&mut doc);
        std::hint::black_box(emit::render_as_is_fast(&doc));
    });
    row(
        "the same with CRLF line ends: read, order and write (the full path of `fmt`, per file)",
        largest_bytes,
        timing,
        floor_one,
        0,
    );
    let doc = sfperms::metadata::read::parse(&text).unwrap();
    let timing = best_in_process(5, || {
        std::hint::black_box(emit::render_fast(&doc));
    });
    row("`emit::render_fast` (order and write the tree)", largest_bytes, timing, floor_one, 0);
    if only_largest {
        return;
    }

    // gen against a Rust process that does nothing.
    header("Start-up: `gen` against a Rust process that does nothing");
    let this = std::env::current_exe().unwrap();
    let noop = (0..30)
        .map(|_| timed(&this, &[], &[("SFPERMS_BENCH_NOOP", "1")]))
        .min_by(|a, b| a.wall.total_cmp(&b.wall))
        .unwrap();
    let noop_floor = (noop.wall, noop.cpu.max(0.001));
    run_row("a Rust process that does nothing (this bench, re-run)", 0, noop, noop_floor);
    let generate = ["gen", "--for", "planhat", "--sync", "receive-only"];
    let generated = best(30, || {}, sfperms(), &generate);
    assert_eq!(generated.code, 0);
    run_row("`sfperms gen --for planhat --sync receive-only`", 0, generated, noop_floor);
    run_row("`sfperms --version`", 0, best(30, || {}, sfperms(), &["--version"]), noop_floor);
    let timing = best_in_process(1, || {
        std::hint::black_box(emit::render(&Document::new("PermissionSet")));
    });
    row(
        "in process: the first `emit::render` (parses the tera templates; runs no longer do)",
        0,
        timing,
        noop_floor,
        0,
    );

    // Scaled inputs: each dimension at 1×, 10× and 100×.
    header(
        "Scaled inputs: one file each, canonical (`fmt --check`) and indented by two spaces (`fmt`: read, order, write)",
    );
    for dimension in ["entries", "line length", "attributes", "depth"] {
        for scale in [1, 10, 100] {
            let dir = tmp.path().join(format!("scaled-{}-{scale}", dimension.replace(' ', "-")));
            std::fs::create_dir_all(&dir).unwrap();
            let file = dir.join("Scaled.profile-meta.xml");
            let text = scaled(dimension, scale);
            std::fs::write(&file, &text).unwrap();
            let bytes = text.len() as u64;
            let floor_file = floor(std::slice::from_ref(&file), 5);
            let checked = best(3, || {}, sfperms(), &["fmt", "--check", file.to_str().unwrap()]);
            let refused = |run: &Run| if run.code == 0 { "" } else { " (refused)" };
            run_row(&format!("{dimension} {scale}×: `fmt --check`{}", refused(&checked)), bytes, checked, floor_file);
            let indented = dir.join("indented");
            std::fs::create_dir_all(&indented).unwrap();
            let target = indented.join("Scaled.profile-meta.xml");
            // Not canonical however its line ends are read: the full path.
            let indented_text = text.replace("    ", "  ");
            let rewritten = best(
                3,
                || std::fs::write(&target, &indented_text).unwrap(),
                sfperms(),
                &["fmt", target.to_str().unwrap()],
            );
            let what = format!("{dimension} {scale}×: `fmt`{}", refused(&rewritten));
            run_row(&what, indented_text.len() as u64, rewritten, floor_file);
        }
    }
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("\nload average at the end: {}", load.trim());
}

fn num_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
