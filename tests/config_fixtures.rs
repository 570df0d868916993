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
