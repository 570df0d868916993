//! The seed meeting end to end on PostgreSQL, as the README's "Many rooms"
//! runs it: `gavel store init` on a database of its own, then the
//! walk-through script, `tests/walkthrough/run.sh`, with `GAVEL_STORE`. The
//! state, the session log, the summary, the JSON export and the CSV are the
//! file journal's goldens (`walkthrough.rs`), `gavel verify` passes, and
//! `gavel tail` prints the session log's lines from the store. Some 5 s in
//! a debug build: the script's 111 `gavel do`, each connecting, replaying
//! and committing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::{GAVEL, SEED_FILE, SEED_ID, gavel, local_time, pg};
use crate::walkthrough;

fn top() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The script on the test's binary and log folder, the journal in `store`.
fn script(logs: &Path, store: &str) -> Output {
    Command::new("bash")
        .arg(top().join("tests/walkthrough/run.sh"))
        .arg(GAVEL)
        .arg(logs)
        .env("GAVEL_STORE", store)
        .env_remove("GAVEL_LOG_DIR")
        .env_remove("GAVEL_NOW")
        .output()
        .unwrap()
}

fn said(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `gavel ARGS`, which must succeed, and its output.
fn ok(logs: &Path, args: &[&str]) -> String {
    let out = gavel(logs, &local_time("16:45:00"))
        .env_remove("GAVEL_STORE")
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "gavel {args:?}: {}", said(&out));
    String::from_utf8(out.stdout).unwrap()
}

/// `gavel ARGS` on the store, as `--store` says it.
fn on_store(logs: &Path, store: &str, args: &[&str]) -> String {
    ok(logs, &[args, &["--store", store]].concat())
}

#[test]
fn the_seed_meetings_walk_through_on_postgresql_gives_the_file_journals_goldens() {
    let url = pg::database();
    let base = tempfile::tempdir().unwrap();
    let logs = base.path().join("logs");
    let init = ok(&logs, &["store", "init", &url]);
    assert!(init.contains("applied migration 2"), "{init}");

    let out = script(&logs, &url);
    assert!(out.status.success(), "{}", said(&out));
    // Each command carried out printed its session-log line; then the state,
    // and where things are: the one line that says the store.
    let stdout = String::from_utf8(out.stdout).unwrap();
    let expected =
        std::fs::read_to_string(top().join("tests/walkthrough/session.log.expected")).unwrap();
    assert!(stdout.starts_with(&expected), "{stdout}");
    let meeting_dir = logs.join(SEED_ID);
    assert_eq!(
        stdout.lines().last().unwrap(),
        format!(
            "journal: in the store (GAVEL_STORE); session log and exports: {}",
            meeting_dir.display()
        )
    );
    assert!(
        !meeting_dir.join("journal.jsonl").exists(),
        "the journal is in the store, not on files"
    );

    // The state, whatever the store: nothing in it says where the journal is.
    walkthrough::check_state(&walkthrough::state(&logs, Some(&url)), false);
    walkthrough::check_session_log(&meeting_dir.join("session.log"));
    walkthrough::check_exports(&logs, Some(&url));

    // Only where the journal is differs from what verify says of a file.
    let verified = on_store(&logs, &url, &["verify", SEED_FILE]);
    assert_eq!(
        verified,
        format!(
            "meeting {SEED_ID} in {url}: 109 events, last seq 109\n\
             replay: ok, 109 events fit the meeting file\n"
        )
    );
    // The session log again, from the store alone: another host's empty folder.
    let elsewhere = base.path().join("elsewhere");
    assert_eq!(on_store(&elsewhere, &url, &["tail", SEED_FILE]), expected);
    assert_eq!(on_store(&logs, &url, &["tail", SEED_FILE]), expected);

    // Run again on the same store, the script stops before its first command.
    let again = script(&base.path().join("again"), &url);
    assert_eq!(again.status.code(), Some(1), "{}", said(&again));
    assert!(
        said(&again).contains("already holds 109 events of mali-ministerial-2017"),
        "{}",
        said(&again)
    );
    assert_eq!(on_store(&logs, &url, &["tail", SEED_FILE]), expected);
}
