//! What the test modules share.

pub mod faults;
pub mod harness;
pub mod journal_common;
pub mod pty;

use std::env;
use std::process::Command;

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
