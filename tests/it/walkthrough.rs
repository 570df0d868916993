//! The seed meeting walked through with `gavel do`, command after command at the
//! times of `tests/walkthrough/mali.txt`; then the final `state --json` is checked
//! field by field and against its golden file, `session.log` line by line.
//! `pg_walkthrough.rs` holds a PostgreSQL meeting to the same goldens.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{SEED_FILE, SEED_ID, gavel, local_time, seed_path};

fn top() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs every line of the script; `!command` must be refused with exit 3.
fn walk(logs: &Path) {
    let meeting = seed_path();
    let script = std::fs::read_to_string(top().join("tests/walkthrough/mali.txt")).unwrap();
    for line in script
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let mut words = line.split_whitespace();
        let (time, operator) = (words.next().unwrap(), words.next().unwrap());
        let mut command: Vec<&str> = words.collect();
        let expected = match command[0].strip_prefix('!') {
            Some(rest) => {
                command[0] = rest;
                3
            }
            None => 0,
        };
        let out = gavel(logs, &local_time(time))
            .arg("do")
            .arg(meeting)
            .args(["--operator", operator])
            .args(&command)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(expected),
            "{line}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// `gavel ARGS` with the journal in `store` (`--store`), or on files.
fn gavel_in(store: Option<&str>, logs: &Path, now: &str, args: &[&str]) -> std::process::Command {
    let mut c = gavel(logs, now);
    c.env_remove("GAVEL_STORE").args(args);
    if let Some(store) = store {
        c.args(["--store", store]);
    }
    c
}

/// `gavel state --json` at 16:40, once the meeting is over, as printed.
pub fn state(logs: &Path, store: Option<&str>) -> String {
    let args = ["state", "--json", SEED_FILE];
    let out = gavel_in(store, logs, &local_time("16:40:00"), &args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_seed_meeting_from_opening_to_adjournment() {
    let dir = tempfile::tempdir().unwrap();
    walk(dir.path());
    let text = state(dir.path(), None);
    let s: Value = serde_json::from_str(&text).unwrap();
    check_meeting(&s);
    check_speakers(&s);
    check_seats(&s);
    check_notes(&s);
    check_state(&text, true);
    check_session_log(&dir.path().join(SEED_ID).join("session.log"));
    check_exports(dir.path(), None);
}

/// The state, as its golden file `state.json` has it (written again with
/// `GAVEL_BLESS` when `bless`), recorded times to the second.
pub fn check_state(text: &str, bless: bool) {
    let got = whole_seconds(text);
    let path = top().join("tests/walkthrough/state.json");
    if bless && std::env::var_os("GAVEL_BLESS").is_some() {
        std::fs::write(&path, &got).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    for (n, (g, e)) in got.lines().zip(expected.lines()).enumerate() {
        assert_eq!(g, e, "state.json line {}", n + 1);
    }
    assert_eq!(got.lines().count(), expected.lines().count(), "state.json");
}

/// `text` with each instant in it cut to its second. `gavel do`'s clock
/// starts at `GAVEL_NOW` and runs on at real speed, so what a command
/// records (a note's `at`, the last action's) carries the microseconds the
/// process took to start, a little different at every run and on every
/// store; the exports and the session log show whole seconds already.
fn whole_seconds(text: &str) -> String {
    fn instants(v: &Value, found: &mut Vec<String>) {
        match v {
            Value::String(s)
                if s.parse::<jiff::Timestamp>()
                    .is_ok_and(|t| t.subsec_nanosecond() != 0) =>
            {
                found.push(s.clone())
            }
            Value::Array(items) => items.iter().for_each(|i| instants(i, found)),
            Value::Object(fields) => fields.values().for_each(|f| instants(f, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    instants(&serde_json::from_str(text).unwrap(), &mut found);
    let mut text = text.to_string();
    for instant in found {
        let t: jiff::Timestamp = instant.parse().unwrap();
        let whole = jiff::Timestamp::from_second(t.as_second()).unwrap();
        text = text.replace(&format!("\"{instant}\""), &format!("\"{whole}\""));
    }
    text
}

/// `gavel export` in each format, against the golden files beside the script.
pub fn check_exports(logs: &Path, store: Option<&str>) {
    for (format, golden) in [
        ("md", "summary.md"),
        ("csv", "interventions.csv"),
        ("json", "export.json"),
    ] {
        let args = ["export", "--format", format, SEED_FILE];
        let out = gavel_in(store, logs, &local_time("16:45:00"), &args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let got = String::from_utf8(out.stdout).unwrap();
        let path = top().join("tests/walkthrough").join(golden);
        if store.is_none() && std::env::var_os("GAVEL_BLESS").is_some() {
            std::fs::write(&path, &got).unwrap();
        }
        let expected = std::fs::read_to_string(&path).unwrap();
        for (n, (g, e)) in got.lines().zip(expected.lines()).enumerate() {
            assert_eq!(g, e, "{golden} line {}", n + 1);
        }
        assert_eq!(got.lines().count(), expected.lines().count(), "{golden}");
        // `adjourn` left the same files beside the journal.
        let beside = std::fs::read_to_string(logs.join(SEED_ID).join(golden)).unwrap();
        assert_eq!(beside, got, "{golden} written on adjourn");
    }
}

#[test]
fn an_export_of_a_meeting_in_progress_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let meeting = seed_path();
    for (time, words) in [
        ("15:30:00", "open"),
        ("15:30:05", "next"),
        ("15:33:00", "next"),
    ] {
        let out = gavel(dir.path(), &local_time(time))
            .arg("do")
            .arg(meeting)
            .arg(words)
            .output()
            .unwrap();
        assert!(out.status.success());
    }
    let export = |format: &str| {
        let out = gavel(dir.path(), &local_time("15:34:00"))
            .args(["export", "--format", format])
            .arg(meeting)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let md = export("md");
    assert!(
        md.contains("Draft of a meeting in progress") && md.contains("open since 15:30"),
        "{md}"
    );
    assert!(
        md.contains("1. Mali — H.E. Mr. Ibrahim Boubacar Keïta"),
        "{md}"
    );
    assert!(
        export("csv")
            .lines()
            .last()
            .unwrap()
            .contains("meeting in progress")
    );
    let json: Value = serde_json::from_str(&export("json")).unwrap();
    assert_eq!(
        (json["schema"].as_u64(), json["complete"].as_bool()),
        (Some(1), Some(false))
    );
    assert_eq!(
        json["interventions"].as_array().unwrap().len(),
        1,
        "only the speech that ended"
    );
}

fn check_meeting(s: &Value) {
    assert_eq!(s["schema"], 1);
    assert_eq!(s["meeting"]["id"], "mali-ministerial-2017");
    assert_eq!(s["meeting"]["room"], "Conference Room 4");
    assert_eq!(
        (s["meeting"]["start"].as_str(), s["meeting"]["end"].as_str()),
        (Some("15:30"), Some("18:00"))
    );
    assert_eq!(s["phase"], "adjourned");
    assert_eq!(s["rehearsal"], false);
    assert_eq!(
        s["opened_at"], "2017-09-20T19:30:00Z",
        "open at 15:30:00, recorded five seconds late"
    );
    assert_eq!(s["adjourned_at"], "2017-09-20T20:39:10Z");
    assert_eq!(s["segment"]["id"], "co-chaired");
    assert_eq!(s["segment"]["list_closed"], true);
    assert!(s["floor"].is_null() && s["queue"].as_array().unwrap().is_empty());
    // 69m10s open, of which 4 s suspended while the co-chairs consulted.
    assert_eq!(s["clock"]["since_open"], 69 * 60 + 10 - 4);
    assert_eq!(s["suspensions"][0]["seconds"], 4);
    assert_eq!(
        s["suspensions"][0]["reason"],
        "consultations among the co-chairs"
    );
    assert_eq!(s["last_seq"], 109);
    assert_eq!(s["last_action"]["by"], "ana");
    assert_eq!(s["last_action"]["event"], "adjourned");
}

fn check_speakers(s: &Value) {
    let spoken = &s["spoken"];
    let opening: Vec<&Value> = spoken
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["segment"] == "opening")
        .collect();
    let who: Vec<&str> = opening
        .iter()
        .map(|v| v["delegation"].as_str().unwrap())
        .collect();
    assert_eq!(
        who,
        [
            "Mali",
            "United Nations",
            "Algeria",
            "Egypt",
            "France",
            "African Union Commission",
            "European Union",
            "ECOWAS Commission"
        ],
        "the seven opening remarks, Egypt's point of order ending before the speech it interrupted"
    );
    let secs: Vec<i64> = opening
        .iter()
        .map(|v| v["spoken"].as_i64().unwrap())
        .collect();
    assert_eq!(secs, [175, 185, 200, 60, 180, 135, 240, 160]);
    assert_eq!(
        opening[2]["paused"], 30,
        "Algeria paused for thirty seconds"
    );
    assert_eq!(
        opening[4]["paused"], 65,
        "France paused by the point of order, then resumed"
    );
    assert_eq!(opening[3]["kind"], "order");
    assert_eq!(
        opening[6]["limit"], 240,
        "Mogherini's limit extended by a minute"
    );
    assert_eq!(
        opening[6]["started_at"], "2017-09-20T19:46:20Z",
        "next at -10s"
    );

    let debate: Vec<&Value> = spoken
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["segment"] == "co-chaired")
        .collect();
    let who: Vec<&str> = debate
        .iter()
        .map(|v| v["delegation"].as_str().unwrap())
        .collect();
    assert_eq!(who.len(), 16, "fifteen members and one right of reply");
    assert_eq!(who[0], "China");
    assert_eq!(
        who[14], "Egypt",
        "Egypt was absent, passed to the end of the statements"
    );
    assert_eq!(
        (who[15], debate[15]["kind"].as_str()),
        ("Sweden", Some("reply"))
    );
    assert_eq!(
        debate[3]["delegation"],
        "United Kingdom of Great Britain and Northern Ireland"
    );
    // Statements have the segment's 3 minutes; a first right of reply, 5.
    for v in debate {
        let limit = if v["kind"] == "reply" { 300 } else { 180 };
        assert_eq!(v["limit"], limit, "{v}");
    }
}

fn check_seats(s: &Value) {
    let seats = &s["seats"];
    assert_eq!(
        (seats["capacity"].as_u64(), seats["available"].as_u64()),
        (Some(40), Some(38))
    );
    assert_eq!(seats["blocked"], serde_json::json!(["D9", "D10"]));
    let occupied = seats["occupied"].as_array().unwrap();
    assert_eq!(occupied.len(), 37);
    let at = |seat: &str| {
        occupied
            .iter()
            .find(|o| o["seat"] == seat)
            .map(|o| o["delegation"].as_str().unwrap().to_string())
    };
    assert_eq!(
        at("A5").as_deref(),
        Some("Gambia"),
        "Brazil's seat went to the head of the waitlist"
    );
    assert_eq!(
        at("C6").as_deref(),
        Some("State of Palestine"),
        "Spain's seat went to the next waiting"
    );
    assert_eq!(at("B7"), None, "released, and Liberia left the waitlist");
    assert_eq!(seats["free"], 1);
    assert!(seats["waitlist"].as_array().unwrap().is_empty());
}

fn check_notes(s: &Value) {
    let notes = s["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 5, "the sixth note was undone");
    assert_eq!(notes[0]["speaker"], "United Nations");
    assert_eq!(notes[0]["tags"], serde_json::json!(["summary"]));
    assert_eq!(notes[0]["segment"], "opening");
    assert_eq!(notes[0]["by"], "chloe");
    assert_eq!(notes[2]["tags"], serde_json::json!(["action"]));
    assert_eq!(notes[3]["speaker"], "Russian Federation");
    assert_eq!(notes[4]["tags"], serde_json::json!(["decision"]));
    assert_eq!(notes[4]["amended"], true);
    assert!(
        notes[4]["text"]
            .as_str()
            .unwrap()
            .contains("Comite de suivi")
    );
    assert_eq!(notes[4]["history"].as_array().unwrap().len(), 1);
}

pub fn check_session_log(path: &Path) {
    let got = std::fs::read_to_string(path).unwrap();
    let expected =
        std::fs::read_to_string(top().join("tests/walkthrough/session.log.expected")).unwrap();
    for (n, (g, e)) in got.lines().zip(expected.lines()).enumerate() {
        assert_eq!(g, e, "session.log line {}", n + 1);
    }
    assert_eq!(got.lines().count(), expected.lines().count());
    assert!(!got.chars().any(|c| c.is_control() && c != '\n'));
}
