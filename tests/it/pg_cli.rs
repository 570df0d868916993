//! The binary on a PostgreSQL meeting, as an officer types it: `store init`,
//! `do`, `state`, `tail`, `verify`, and `store copy` from files to
//! PostgreSQL and back, byte for byte.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::support::{self, GAVEL, pg};

struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn gavel(home: &Path, logs: &Path, store: Option<&str>, args: &[&str]) -> Out {
    let mut c = Command::new(GAVEL);
    c.args(args)
        .env("GAVEL_LOG_DIR", logs)
        .env("GAVEL_NOW", support::local_time("15:41:20"))
        .env("USER", "ana")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env_remove("GAVEL_STORE")
        .stdin(Stdio::null());
    if let Some(store) = store {
        c.env("GAVEL_STORE", store);
    }
    let out = c.output().unwrap();
    Out {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn ok(out: Out) -> String {
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
    out.stdout
}

#[test]
fn the_seed_meeting_runs_on_postgresql_and_copies_to_files_and_back_byte_for_byte() {
    let url = pg::database();
    let base = tempfile::tempdir().unwrap();
    let (home, a, b) = (
        base.path().join("home"),
        base.path().join("a"),
        base.path().join("b"),
    );
    let seed = support::SEED_FILE;
    let refused = gavel(&home, &a, Some(&url), &["state", seed]);
    assert_eq!(refused.code, Some(1));
    assert!(
        refused.stderr.contains("gavel store init"),
        "{}",
        refused.stderr
    );
    let init = ok(gavel(&home, &a, None, &["store", "init", &url]));
    assert!(init.contains("applied migration 1"), "{init}");
    assert!(ok(gavel(&home, &a, None, &["store", "init", &url])).contains("up to date"));

    // On files first, then copied into the store.
    for words in [
        &["open"][..],
        &["add", "chad"],
        &["next"],
        &["note", "a first note"],
    ] {
        let mut args = vec!["do", seed];
        args.extend_from_slice(words);
        ok(gavel(&home, &a, None, &args));
    }
    let copied = ok(gavel(
        &home,
        &a,
        None,
        &["store", "copy", seed, "files", &url],
    ));
    assert!(copied.starts_with("copied 4 events"), "{copied}");
    let again = gavel(&home, &a, None, &["store", "copy", seed, "files", &url]);
    assert_eq!(again.code, Some(1));
    assert!(
        again.stderr.contains("already holds events"),
        "{}",
        again.stderr
    );

    // Carried on in the store, as an officer on another host would.
    ok(gavel(&home, &b, Some(&url), &["do", seed, "next"]));
    let state = ok(gavel(&home, &b, Some(&url), &["state", seed, "--json"]));
    let state: serde_json::Value = serde_json::from_str(&state).unwrap();
    assert_eq!(state["last_seq"], 5);
    let tail = ok(gavel(&home, &b, Some(&url), &["tail", seed]));
    assert_eq!(tail.lines().count(), 5, "{tail}");
    assert!(tail.contains("a first note"), "{tail}");
    let verified = ok(gavel(&home, &b, Some(&url), &["verify", seed]));
    assert!(verified.contains("5 events, last seq 5"), "{verified}");
    assert!(verified.contains("replay: ok"), "{verified}");

    // And back to files in a third folder: the first four lines as written.
    let c = base.path().join("c");
    let back = ok(gavel(
        &home,
        &c,
        None,
        &["store", "copy", seed, &url, "files"],
    ));
    assert!(back.starts_with("copied 5 events"), "{back}");
    let journal = |dir: &Path| {
        std::fs::read_to_string(dir.join(support::SEED_ID).join("journal.jsonl")).unwrap()
    };
    let (first, returned) = (journal(&a), journal(&c));
    assert!(
        returned.starts_with(&first),
        "the copied lines are the file's, byte for byte"
    );
    assert_eq!(returned.lines().count(), 5);
    ok(gavel(&home, &c, None, &["verify", seed]));
}

#[test]
fn a_store_in_the_meeting_file_is_checked_where_it_is_written() {
    let base = tempfile::tempdir().unwrap();
    let text = support::SEED_TEXT.replacen(
        "[meeting]\n",
        "[meeting]\nstore = \"mysql://somewhere\"\n",
        1,
    );
    let file = base.path().join("m.toml");
    std::fs::write(&file, text).unwrap();
    let out = gavel(
        base.path(),
        base.path(),
        None,
        &["check", file.to_str().unwrap()],
    );
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains(":8:9:"), "{}{}", out.stdout, out.stderr);
    assert!(
        (out.stdout.clone() + &out.stderr).contains("a store is `files` or a PostgreSQL URL"),
        "{}{}",
        out.stdout,
        out.stderr
    );
}
