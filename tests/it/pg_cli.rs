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
    gavel_at("15:41:20", home, logs, store, args)
}

fn gavel_at(hms: &str, home: &Path, logs: &Path, store: Option<&str>, args: &[&str]) -> Out {
    let mut c = Command::new(GAVEL);
    c.args(args)
        .env("GAVEL_LOG_DIR", logs)
        .env("GAVEL_NOW", support::local_time(hms))
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
    // The copy keeps the meeting file too: meeting services see it in full.
    let rooms = ok(gavel(&home, &a, None, &["rooms", &url, "--json"]));
    let rooms: serde_json::Value = serde_json::from_str(&rooms).unwrap();
    assert_eq!(rooms[0]["phase"], "open", "{rooms:#}");

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

#[test]
fn rooms_shows_a_postgresql_meeting_beside_a_file_meeting_by_what_needs_attention() {
    let url = pg::database();
    let base = tempfile::tempdir().unwrap();
    let (home, logs) = (base.path().join("home"), base.path().join("logs"));
    let seed = support::SEED_FILE;
    ok(gavel(&home, &logs, None, &["store", "init", &url]));
    // On files: Mali has had the floor since 15:41:20, with a limit of 3m.
    ok(gavel(&home, &logs, None, &["do", seed, "open"]));
    ok(gavel(&home, &logs, None, &["do", seed, "next"]));
    // In the store: the same meeting, only opened.
    ok(gavel(&home, &logs, Some(&url), &["do", seed, "open"]));
    let logs_arg = logs.to_str().unwrap();
    let args = ["rooms", logs_arg, &url, "--meeting", seed, "--json"];
    let rooms: serde_json::Value =
        serde_json::from_str(&ok(gavel_at("15:46:20", &home, &logs, None, &args))).unwrap();
    let rooms = rooms.as_array().unwrap();
    assert_eq!(rooms.len(), 2, "{rooms:#?}");
    let first = &rooms[0];
    assert!(
        first["store"].as_str().unwrap().ends_with("journal.jsonl"),
        "{first:#}"
    );
    assert_eq!(first["floor"]["elapsed"], 300);
    assert_eq!(first["phase"], "open");
    assert_eq!(
        first["attention"][0], "Mali is 2m over the limit",
        "{first:#}"
    );
    assert_eq!(first["last_action"]["by"], "ana");
    let second = &rooms[1];
    assert!(
        second["store"].as_str().unwrap().contains("postgres://"),
        "{second:#}"
    );
    assert_eq!(second["floor"], serde_json::Value::Null);
    assert_eq!(second["listed"], 7);
    assert_eq!(second["events"], 1);

    // Without the meeting file: the store keeps the file each meeting's
    // events were recorded with, so its meeting is shown in full; the log
    // folder keeps none, so there only what the journal says, and last.
    let bare = ["rooms", logs_arg, &url, "--json"];
    let bare: serde_json::Value =
        serde_json::from_str(&ok(gavel_at("15:46:20", &home, &logs, None, &bare))).unwrap();
    let (in_store, on_files) = (&bare[0], &bare[1]);
    assert!(
        in_store["store"].as_str().unwrap().contains("postgres://"),
        "{bare:#}"
    );
    assert_eq!(in_store["phase"], "open", "{bare:#}");
    assert_eq!(in_store["listed"], 7);
    assert_eq!(on_files["phase"], serde_json::Value::Null, "{bare:#}");
    assert_eq!(on_files["last_action"]["event"], "floor_given");
    let text = ok(gavel_at(
        "15:46:20",
        &home,
        &logs,
        None,
        &["rooms", logs_arg, &url, "--meeting", seed],
    ));
    assert!(
        text.starts_with("mali-ministerial-2017 [open] Opening session · Mali 5:00/3:00"),
        "{text}"
    );
    assert!(text.contains("  ! Mali is 2m over the limit"), "{text}");
}

/// Meeting services must never take the connections officers write with:
/// `gavel rooms` reads a store of many meetings on one connection. And a
/// table another session holds locked does not hold it: the server ends its
/// statement within seconds, and the place is said not to answer.
#[test]
fn rooms_reads_a_store_on_one_connection_and_a_locked_table_does_not_hold_it() {
    use gavel::rooms::{Watch, Where};
    let url = pg::database();
    let base = tempfile::tempdir().unwrap();
    let (home, logs) = (base.path().join("home"), base.path().join("logs"));
    ok(gavel(&home, &logs, None, &["store", "init", &url]));
    let mut files = Vec::new();
    for id in ["room-1", "room-2", "room-3", "room-4", "room-5"] {
        let path = base.path().join(format!("{id}.toml"));
        let text =
            support::SEED_TEXT.replace("id = \"mali-ministerial-2017\"", &format!("id = \"{id}\""));
        std::fs::write(&path, text).unwrap();
        ok(gavel(
            &home,
            &logs,
            Some(&url),
            &["do", path.to_str().unwrap(), "open"],
        ));
        files.push(path);
    }
    let mut watch = Watch::new(vec![Where::Store(url.clone())], Vec::new());
    let seen = watch.refresh(jiff::Timestamp::now());
    assert_eq!(seen.rooms.len(), 5);
    assert!(
        seen.rooms.iter().all(|(_, r)| r.phase == Some("open")),
        "{seen:#?}"
    );
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let others = pg::other_backends(&mut client);
    assert_eq!(others, 1, "five meetings followed on one connection");
    drop(watch);

    let mut tx = client.transaction().unwrap();
    tx.batch_execute("LOCK TABLE gavel_events IN ACCESS EXCLUSIVE MODE")
        .unwrap();
    let started = std::time::Instant::now();
    let out = gavel(&home, &logs, None, &["rooms", &url, "--once"]);
    assert_eq!(out.code, Some(1), "{}{}", out.stdout, out.stderr);
    assert!(started.elapsed() < std::time::Duration::from_secs(15));
    assert!(out.stderr.contains("statement timeout"), "{}", out.stderr);
    tx.rollback().unwrap();
}
