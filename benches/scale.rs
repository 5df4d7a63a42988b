//! How fast `fmt --check` and `diff` read metadata, on the test corpus and on a synthetic org as
//! large as the largest real ones (default 300 profiles of about 2 MB, generated into a temporary
//! folder at bench time, never committed), next to the floor: a bare quick-xml event loop over the
//! same bytes on the same number of threads. Also the tera template writer against the fast writer
//! on one large profile, the measurement behind `emit::fast`. Numbers go to `docs/performance.md`.
//!
//! Run: `cargo bench --bench scale` (`SFPERMS_BENCH_PROFILES`, `SFPERMS_BENCH_MB` to resize).
//! The binary is timed as a child process with `/usr/bin/time` (wall time, peak RSS). Not part of
//! `cargo test` (`test = false` in Cargo.toml); timings are reported, never asserted.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use sfperms::emit;
use sfperms::metadata::Document;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// One synthetic profile of about `target` bytes, in canonical form, different per `seed`.
fn synthetic_profile(seed: usize, target: usize) -> String {
    let flag = |i: usize, salt: usize| if (i * 31 + seed * 7 + salt).is_multiple_of(3) { "true" } else { "false" };
    let mut doc = Document::new("Profile");
    for i in 0..400 {
        doc.entry("classAccesses", &[("apexClass", &format!("Class{i:04}")), ("enabled", flag(i, 1))]);
    }
    doc.leaf("custom", "true");
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
        doc.entry("tabVisibilities", &[("tab", &object), ("visibility", "DefaultOn")]);
        doc.entry("layoutAssignments", &[("layout", &format!("{object}-Layout"))]);
    }
    doc.leaf("userLicense", "Salesforce");
    for i in 0..200 {
        doc.entry("userPermissions", &[("enabled", "true"), ("name", &format!("Permission{i:03}"))]);
    }
    let mut fields = 0;
    let base = emit::render_fast(&doc).len();
    // A fieldPermissions entry is about 165 bytes.
    let wanted = target.saturating_sub(base) / 165;
    while fields < wanted {
        let field = format!("Object{:04}__c.Field{:05}__c", fields % objects, fields);
        doc.entry("fieldPermissions", &[("editable", flag(fields, 6)), ("field", &field), ("readable", "true")]);
        fields += 1;
    }
    emit::render_fast(&doc)
}

fn write_org(dir: &Path, profiles: usize, bytes: usize) -> u64 {
    let folder = dir.join("force-app/main/default/profiles");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        dir.join("sfdx-project.json"),
        r#"{"packageDirectories": [{"path": "force-app", "default": true}]}"#,
    )
    .unwrap();
    let mut total = 0;
    for i in 0..profiles {
        let text = synthetic_profile(i, bytes);
        total += text.len() as u64;
        std::fs::write(folder.join(format!("Profile {i:03}.profile-meta.xml")), text).unwrap();
    }
    total
}

fn metadata_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.contains(".profile") || n.contains(".permissionset")
        })
        .collect()
}

/// Peak resident memory of this process, after `reset_peak` (Linux: /proc/self/status VmHWM).
fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l.to_string()))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The floor: read every file and run quick-xml's event loop over it, nothing else, on as many
/// threads as sfperms uses.
fn floor(files: &[PathBuf]) -> (f64, u64) {
    reset_peak();
    let start = Instant::now();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(file) = files.get(i) else { break };
                    let bytes = std::fs::read(file).unwrap();
                    let mut reader = quick_xml::Reader::from_reader(bytes.as_slice());
                    let mut buf = Vec::new();
                    let mut events = 0u64;
                    loop {
                        match reader.read_event_into(&mut buf).unwrap() {
                            quick_xml::events::Event::Eof => break,
                            _ => events += 1,
                        }
                        buf.clear();
                    }
                    std::hint::black_box(events);
                }
            });
        }
    });
    (start.elapsed().as_secs_f64(), peak_kb())
}

/// Runs the binary under /usr/bin/time: (exit code, wall seconds, peak RSS in kB).
fn timed(args: &[&str]) -> (i32, f64, u64) {
    let start = Instant::now();
    let output = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%e %M")
        .arg(env!("CARGO_BIN_EXE_sfperms"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("/usr/bin/time runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let last = stderr.lines().last().unwrap_or_default().to_string();
    let seconds = start.elapsed().as_secs_f64();
    let kb: u64 = last.split_whitespace().nth(1).and_then(|v| v.parse().ok()).unwrap_or(0);
    // /usr/bin/time reports its child's status as its own.
    (output.status.code().unwrap_or(-1), seconds, kb)
}

/// Best of `runs` (time), with the peak memory of that run.
fn best(runs: usize, args: &[&str]) -> (i32, f64, u64) {
    (0..runs).map(|_| timed(args)).min_by(|a, b| a.1.total_cmp(&b.1)).unwrap()
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1_000_000.0
}

fn report(what: &str, bytes: u64, seconds: f64, peak_kb: u64) {
    println!(
        "{what:<58} {:>8.1} MB {:>8.3} s {:>9.1} MB/s  peak RSS {:>7.1} MB",
        mb(bytes),
        seconds,
        mb(bytes) / seconds,
        peak_kb as f64 / 1000.0
    );
}

fn main() {
    // `cargo bench` passes `--bench`; ignore arguments.
    let profiles = env_number("SFPERMS_BENCH_PROFILES", 300);
    let megabytes = env_number("SFPERMS_BENCH_MB", 2);
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
    let carestone = corpus.join("org-carestone");
    println!("threads: {}", std::thread::available_parallelism().map_or(1, |n| n.get()));

    // The corpus (small: best of 5).
    let corpus_files = metadata_files(&corpus);
    let corpus_bytes: u64 = corpus_files.iter().map(|f| std::fs::metadata(f).unwrap().len()).sum();
    let (secs, kb) = (0..5).map(|_| floor(&corpus_files)).min_by(|a, b| a.0.total_cmp(&b.0)).unwrap();
    report(&format!("corpus ({} files): floor, quick-xml event loop", corpus_files.len()), corpus_bytes, secs, kb);
    let carestone_bytes: u64 = metadata_files(&carestone).iter().map(|f| std::fs::metadata(f).unwrap().len()).sum();
    let (code, secs, kb) = best(5, &["fmt", "--check", carestone.to_str().unwrap()]);
    assert_eq!(code, 0, "fmt --check on carestone");
    report("corpus: sfperms fmt --check org-carestone", carestone_bytes, secs, kb);
    let (code, secs, kb) = best(
        5,
        &[
            "diff",
            "--for",
            "planhat",
            "--sync",
            "two-way",
            "--against",
            carestone.to_str().unwrap(),
            "--name",
            "Partner Community User",
            "--scope",
            "full",
        ],
    );
    assert_eq!(code, 1, "diff against carestone");
    let profile =
        std::fs::metadata(carestone.join("force-app/main/default/profiles/Partner Community User.profile-meta.xml"))
            .unwrap()
            .len();
    report("corpus: sfperms diff --scope full (largest profile, 25 kB)", profile, secs, kb);

    // The synthetic org.
    let dir = tempfile::tempdir().unwrap();
    let start = Instant::now();
    let total = write_org(dir.path(), profiles, megabytes * 1_000_000);
    println!("generated {profiles} profiles, {:.1} MB, in {:.1} s", mb(total), start.elapsed().as_secs_f64());
    let files = metadata_files(dir.path());
    let largest = files.iter().map(|f| std::fs::metadata(f).unwrap().len()).max().unwrap_or(0);
    let (secs, kb) = floor(&files);
    report(&format!("synthetic ({profiles} profiles): floor, quick-xml event loop"), total, secs, kb);
    let org = dir.path().to_str().unwrap();
    let (code, secs, kb) = best(2, &["fmt", "--check", org]);
    assert_eq!(code, 0, "fmt --check on the synthetic org (it is generated canonical)");
    report("synthetic: sfperms fmt --check", total, secs, kb);
    let name = format!("Profile {:03}", profiles / 2);
    let (code, secs, kb) = best(
        3,
        &["diff", "--for", "planhat", "--sync", "two-way", "--against", org, "--name", &name, "--scope", "full"],
    );
    assert_eq!(code, 1, "the synthetic profile is not what planhat needs");
    report(&format!("synthetic: sfperms diff --scope full (one profile of {profiles})"), largest, secs, kb);

    // The writer: tera templates against the fast writer, one large profile, in process.
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let doc = sfperms::metadata::read::parse(&text).unwrap();
    let start = Instant::now();
    let parsed = sfperms::metadata::read::parse(&text).unwrap();
    let parse_secs = start.elapsed().as_secs_f64();
    std::hint::black_box(parsed);
    report("one profile: read::parse", text.len() as u64, parse_secs, peak_kb());
    let start = Instant::now();
    let fast = emit::render_fast(&doc);
    report("one profile: emit::render_fast", text.len() as u64, start.elapsed().as_secs_f64(), peak_kb());
    let start = Instant::now();
    let templated = emit::render(&doc);
    report("one profile: emit::render (tera templates)", text.len() as u64, start.elapsed().as_secs_f64(), peak_kb());
    assert!(fast == templated, "the writers disagree");
}
