//! What the test modules share: the seed meeting, instants on its day, the
//! binary, and this test binary run again as a child.

pub mod faults;
pub mod harness;
pub mod journal_common;
pub mod pg;
pub mod pty;
pub mod web;

use std::env;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

use gavel::domain::Meeting;
use jiff::{SignedDuration, Timestamp};

/// The real binary, as cargo built it for these tests.
pub const GAVEL: &str = env!("CARGO_BIN_EXE_gavel");

/// The seed meeting's file, as an argument to the binary.
pub const SEED_FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/config/mali-ministerial-2017.toml"
);
/// Its text, for the tests that copy it into a folder of their own.
pub const SEED_TEXT: &str = include_str!("../../../config/mali-ministerial-2017.toml");
/// The folder its journal gets under a log dir.
pub const SEED_ID: &str = "mali-ministerial-2017";

pub fn seed_path() -> &'static Path {
    Path::new(SEED_FILE)
}

pub fn seed() -> Arc<Meeting> {
    let loaded = gavel::config::load(seed_path()).expect("the seed meeting is valid");
    Arc::new(loaded.meeting)
}

/// 15:30 in New York on the meeting's day: the scheduled start.
pub fn scheduled_start() -> Timestamp {
    "2017-09-20T19:30:00Z".parse().unwrap()
}

pub fn at_secs(after_start: i64) -> Timestamp {
    scheduled_start() + SignedDuration::from_secs(after_start)
}

pub fn at_mins(after_start: i64) -> Timestamp {
    scheduled_start() + SignedDuration::from_mins(after_start)
}

/// An instant on the meeting's day as New York's clocks (EDT) show it,
/// `15:41:20`, in RFC 3339 as `GAVEL_NOW` takes it.
pub fn local_time(hms: &str) -> String {
    format!("2017-09-20T{hms}-04:00")
}

/// The same instant, as a timestamp.
pub fn at_clock(hms: &str) -> Timestamp {
    local_time(hms).parse().unwrap()
}

/// The binary with its log dir and its clock given, and nothing to read.
pub fn gavel(log_dir: &Path, now: &str) -> Command {
    let mut c = Command::new(GAVEL);
    c.env("GAVEL_LOG_DIR", log_dir)
        .env("GAVEL_NOW", now)
        .stdin(Stdio::null());
    c
}

/// The name libtest gives `function` of the module at `module_path` (a
/// `module_path!()`), as `--exact` wants it: the path without the crate.
pub fn test_name(module_path: &str, function: &str) -> String {
    let (_, module) = module_path
        .split_once("::")
        .expect("a test module below the crate root");
    format!("{module}::{function}")
}

/// This test binary run again as a child that runs only `function` of
/// `module_path`. A name that matched no test would run nothing and pass,
/// hence the full path.
pub fn rerun(module_path: &str, function: &str) -> Command {
    let mut c = Command::new(env::current_exe().unwrap());
    c.args([
        "--exact",
        &test_name(module_path, function),
        "--nocapture",
        "--test-threads=1",
        "--quiet",
    ]);
    c
}

/// Set in a child that runs one test in a process of its own.
const CHILD: &str = "GAVEL_TEST_IN_A_CHILD";

/// Runs `function` of `module_path` again in a child process of its own,
/// unless this is that child: for tests that change or measure the whole
/// process, which every other test in this binary shares. True once the
/// child ran it and it passed; then the caller has nothing more to do.
pub fn ran_in_a_child(module_path: &str, function: &str) -> bool {
    if env::var_os(CHILD).is_some() {
        return false;
    }
    let out = rerun(module_path, function)
        .env(CHILD, "1")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("running 1 test"),
        "{module_path}::{function} is no test:\n{said}"
    );
    assert!(
        out.status.success(),
        "{function}, in a child: {}\n{said}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    true
}
