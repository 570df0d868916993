//! Every file in tests/valid must load; every file in tests/invalid must yield
//! exactly the diagnostics listed in its sibling `.expected` file, in order.
//! The same holds for the meeting files shipped in config/ and for the template.

use std::fs;
use std::path::{Path, PathBuf};

use gavel::config;

/// Paths relative to the package root, which is where cargo runs integration
/// tests, so that diagnostics name files as `tests/invalid/NAME.toml`.
fn files(dir: &str, extension: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|entry| Path::new(dir).join(entry.unwrap().file_name()))
        .filter(|path| path.extension().is_some_and(|ext| ext == extension))
        .collect();
    out.sort();
    out
}

#[test]
fn valid_files_load() {
    let mut paths = files("tests/valid", "toml");
    assert!(paths.len() >= 2, "tests/valid holds too few files");
    paths.extend(files("config", "toml"));
    for path in paths {
        if let Err(diagnostics) = config::load(&path) {
            let lines: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
            panic!("{} should load, but:\n{}", path.display(), lines.join("\n"));
        }
    }
}

#[test]
fn invalid_files_report_exactly_what_is_expected() {
    let paths = files("tests/invalid", "toml");
    assert!(paths.len() >= 5, "tests/invalid holds too few files");
    let mut failures = Vec::new();
    for path in &paths {
        let expected_path = path.with_extension("expected");
        let expected = fs::read_to_string(&expected_path)
            .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
        let expected: Vec<&str> = expected.lines().filter(|line| !line.is_empty()).collect();
        let found: Vec<String> = match config::load(path) {
            Ok(_) => Vec::new(),
            Err(diagnostics) => diagnostics.iter().map(|d| d.to_string()).collect(),
        };
        if expected.is_empty() || found != expected {
            failures.push(format!(
                "{}\n--- expected\n{}\n--- found\n{}\n",
                path.display(),
                expected.join("\n"),
                found.join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_expected_file_has_its_meeting_file() {
    for expected in files("tests/invalid", "expected") {
        assert!(
            expected.with_extension("toml").exists(),
            "{} has no .toml",
            expected.display()
        );
    }
}

#[test]
fn template_loads_from_disk_like_a_user_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("meeting.toml");
    fs::write(&path, config::template()).unwrap();
    config::load(&path).unwrap_or_else(|d| panic!("{d:#?}"));
}

/// A generated meeting file as big as any could be: every seat of the
/// largest map blocked and then blocked again (100,000 entries on one
/// line), and 5,000 delegations each named twice as a speaker and once by
/// name instead of id. Every finding is still reported; checking must stay
/// linear, so the bound is far under what a scan per entry took (27 s).
#[test]
fn a_huge_meeting_file_is_checked_in_linear_time() {
    const BLOCKED: usize = 100_000;
    const ROSTER: usize = 5_000;
    let mut text = String::from(
        "[meeting]\nid = \"big\"\ntitle = \"Big\"\nvenue = \"V\"\nroom = \"R\"\n\
         date = 2017-09-20\nstart = \"15:30\"\nend = \"18:00\"\ntimezone = \"America/New_York\"\n\n",
    );
    for i in 0..ROSTER {
        text.push_str(&format!(
            "[[roster]]\nid = \"d{i}\"\ndelegation = \"Delegation {i}\"\nlevel = \"observer\"\nrole = \"participant\"\n\n"
        ));
    }
    let ids: Vec<String> = (0..ROSTER).map(|i| format!("\"d{i}\"")).collect();
    let names: Vec<String> = (0..ROSTER).map(|i| format!("\"Delegation {i}\"")).collect();
    text.push_str(&format!(
        "[[segment]]\nid = \"s\"\ntitle = \"S\"\nspeaking_limit = \"3m\"\nspeakers = [{}, {}, {}]\n\n",
        ids.join(", "),
        ids.join(", "),
        names.join(", ")
    ));
    let seats: Vec<String> = (0..BLOCKED)
        .map(|i| {
            let seat = i % (26 * 999);
            format!(
                "\"{}{}\"",
                char::from(b'A' + (seat / 999) as u8),
                seat % 999 + 1
            )
        })
        .collect();
    text.push_str(&format!(
        "[seating]\nrows = 26\nseats_per_row = 999\nblocked = [{}]\n",
        seats.join(", ")
    ));
    let started = std::time::Instant::now();
    let found = config::parse(&text, "big.toml", Path::new(".")).unwrap_err();
    let took = started.elapsed();
    eprintln!("checked {} bytes in {took:?}", text.len());
    assert_eq!(found.len(), 2 * ROSTER + (BLOCKED - 26 * 999));
    assert_eq!(
        found[ROSTER].message,
        "\"Delegation 0\" in `speakers` is not a roster id (did you mean \"d0\"?)"
    );
    assert_eq!(found[0].message, "\"d0\" is already in `speakers` (1st)");
    let last = found.last().unwrap();
    assert_eq!(last.message, "seat W100 is already blocked");
    let line_start = text[..text.len() - 1].rfind('\n').unwrap() + 1;
    let at = text.rfind("\"W100\"").unwrap();
    assert_eq!(
        (last.line, last.col),
        (text.lines().count(), at - line_start + 1)
    );
    assert!(took < std::time::Duration::from_secs(5), "took {took:?}");
}
