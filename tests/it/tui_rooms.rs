//! `gavel rooms`: its screen drawn from what the watch sees in a log folder
//! (snapshots at 80×24 and 160×48), and the real binary in a pseudo-terminal:
//! live, Enter opens a meeting read-only, quitting that comes back.

use std::path::Path;
use std::time::Duration;

use gavel::rooms::{MeetingFile, Watch, Where};
use gavel::tui::keymap::Keymap;
use gavel::tui::rooms::{Rooms, draw};
use gavel::tui::terminal::{Screen, Test};
use gavel::tui::theme::Theme;

use crate::support::pty::{self, Gavel, journal_events};
use crate::support::{SEED_FILE, at_clock, gavel, local_time};

const GA_FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/config/general-assembly-debate.toml"
);

fn run(logs: &Path, at: &str, file: &str, words: &[&str]) {
    let out = gavel(logs, &local_time(at))
        .args(["do", file, "--operator", "ana"])
        .args(words)
        .output()
        .unwrap();
    assert!(out.status.success(), "{words:?}: {out:?}");
}

/// The seed meeting with Mali over its limit; the General Assembly's
/// debate open with two listed.
fn two_meetings(logs: &Path) {
    run(logs, "15:30:00", SEED_FILE, &["open"]);
    run(logs, "15:31:00", SEED_FILE, &["next"]);
    run(logs, "15:30:00", GA_FILE, &["open"]);
    run(logs, "15:30:30", GA_FILE, &["add", "Egypt"]);
}

fn file(path: &str) -> MeetingFile {
    let loaded = gavel::config::load(Path::new(path)).unwrap();
    MeetingFile::new(loaded.meeting, &std::fs::read(path).unwrap())
}

fn drawn(rooms: &Rooms, width: u16, height: u16, now: jiff::Timestamp) -> String {
    let mut screen = Test::new(width, height);
    let keys = Keymap::default();
    screen
        .frame(&mut |frame| draw::screen(frame, rooms, now, Theme::PLAIN, &keys))
        .unwrap();
    format!("{}", screen.terminal.backend())
}

fn watched(logs: &Path, files: Vec<MeetingFile>) -> (Rooms, jiff::Timestamp) {
    let now = at_clock("15:36:00");
    let mut watch = Watch::new(vec![Where::Folder(logs.to_path_buf())], files);
    let mut rooms = Rooms::default();
    rooms.seen(watch.refresh(now), now);
    (rooms, now)
}

#[test]
fn rooms_screen_80x24_and_160x48() {
    let logs = tempfile::tempdir().unwrap();
    two_meetings(logs.path());
    let (rooms, now) = watched(logs.path(), vec![file(SEED_FILE), file(GA_FILE)]);
    let logs_shown = logs.path().display().to_string();
    let stable = |text: String| text.replace(&logs_shown, "<LOGS>");
    let small = stable(drawn(&rooms, 80, 24, now));
    // Mali has spoken 5m of 3m: the seed meeting comes first, marked.
    let first = small.lines().nth(3).unwrap();
    assert!(first.contains("! mali-ministerial-2017"), "{small}");
    assert!(first.contains("5:00/3:00 Mali"), "{small}");
    insta::assert_snapshot!("rooms_80x24", small);
    insta::assert_snapshot!("rooms_160x48", stable(drawn(&rooms, 160, 48, now)));
}

#[test]
fn a_meeting_without_its_file_is_shown_by_its_journal() {
    let logs = tempfile::tempdir().unwrap();
    two_meetings(logs.path());
    let (rooms, now) = watched(logs.path(), vec![file(SEED_FILE)]);
    let text = drawn(&rooms, 100, 30, now);
    assert!(text.contains("ga-plenary-example"), "{text}");
    assert_eq!(rooms.seen.rooms.len(), 2);
    let (_, ga) = &rooms.seen.rooms[1];
    assert_eq!(ga.phase, None);
    assert_eq!(ga.events, 2);
    assert!(ga.attention[0].contains("no meeting file"), "{ga:?}");
}

#[test]
fn too_small_says_so() {
    let logs = tempfile::tempdir().unwrap();
    let (rooms, now) = watched(logs.path(), Vec::new());
    let text = drawn(&rooms, 60, 20, now);
    assert!(text.contains("at least 80×24; this one is"), "{text}");
    assert!(
        text.contains("60×20. Make the window larger (q quits)"),
        "{text}"
    );
}

const SECOND: Duration = Duration::from_secs(1);

#[test]
fn live_rooms_follow_gavel_do_and_enter_opens_a_meeting_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path();
    run(logs, "15:30:00", SEED_FILE, &["open"]);
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/config");
    let logs_arg = logs.to_str().unwrap();
    let mut g = Gavel::start(&["rooms", logs_arg, "--meeting", config], logs, 100, 30);
    g.wait_for("mali-ministerial-2017", 3 * SECOND);
    assert!(
        g.contents().contains("ROOMS · 1 meeting"),
        "{}",
        g.contents()
    );

    // A meeting started elsewhere appears, and a change to one shows, within the next look.
    let out = pty::output(logs, &["do", GA_FILE, "--operator", "ben", "open"]);
    assert!(out.status.success(), "{out:?}");
    let out = pty::output(logs, &["do", SEED_FILE, "--operator", "ben", "next"]);
    assert!(out.status.success(), "{out:?}");
    g.wait_until("the new meeting and Mali at the floor", 3 * SECOND, |g| {
        let c = g.contents();
        c.contains("ga-plenary-example") && c.contains("/3:00 Mali")
    });

    // Enter opens the selected meeting's own screen, read-only; quitting it comes back.
    let row = g
        .rows()
        .iter()
        .position(|r| r.contains("mali-ministerial-2017"))
        .unwrap();
    let first = g
        .rows()
        .iter()
        .position(|r| r.contains("ga-plenary-example"))
        .unwrap();
    if first < row {
        g.type_keys("j");
    }
    g.type_keys("\r");
    g.wait_for("Speakers", 3 * SECOND);
    assert!(g.contents().contains("read-only"), "{}", g.contents());
    g.type_keys("q");
    g.type_keys("y");
    g.wait_for("ROOMS", 3 * SECOND);
    g.type_keys("q");
    assert!(g.wait_exit(3 * SECOND).is_some_and(|s| s.success()));
    assert_eq!(journal_events(logs), ["opened", "floor_given"]);
}
