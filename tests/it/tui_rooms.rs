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
    g.wait_until("the meeting's own screen, read-only", 3 * SECOND, |g| {
        let c = g.contents();
        c.contains("Speakers") && c.contains("read-only")
    });
    g.type_keys("q");
    g.type_keys("y");
    g.wait_for("ROOMS", 3 * SECOND);
    g.type_keys("q");
    assert!(g.wait_exit(3 * SECOND).is_some_and(|s| s.success()));
    assert_eq!(journal_events(logs), ["opened", "floor_given"]);
}

/// The meetings' ids in the order shown.
fn order(rooms: &Rooms) -> Vec<&str> {
    rooms
        .seen
        .rooms
        .iter()
        .map(|(k, _)| k.meeting.as_str())
        .collect()
}

/// The seed meeting file under another id, for a log folder of many rooms.
fn seed_as(dir: &Path, id: &str) -> String {
    let text = crate::support::SEED_TEXT
        .replace("id = \"mali-ministerial-2017\"", &format!("id = \"{id}\""));
    assert_ne!(text, crate::support::SEED_TEXT, "the seed's id line moved");
    let path = dir.join(format!("{id}.toml"));
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn one_damaged_journal_is_said_on_its_own_line_and_the_others_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let (logs, files) = (dir.path().join("logs"), dir.path().join("files"));
    std::fs::create_dir_all(&files).unwrap();
    let mut given = Vec::new();
    for id in ["room-a", "room-b", "room-c"] {
        let file = seed_as(&files, id);
        run(&logs, "15:30:00", &file, &["open"]);
        given.push(self::file(&file));
    }
    // Room b's speaker is over the limit: it needs attention first.
    run(&logs, "15:31:00", &seed_as(&files, "room-b"), &["next"]);
    let journal = logs.join("room-c/journal.jsonl");
    let mut bytes = std::fs::read(&journal).unwrap();
    bytes.extend_from_slice(b"{not json}\n");
    std::fs::write(&journal, bytes).unwrap();
    // A folder named to move the cursor and retitle the terminal is no meeting's.
    let hostile = logs.join("zz\u{1b}[3A\u{1b}]0;PWNED\u{7}");
    std::fs::create_dir_all(&hostile).unwrap();
    std::fs::write(hostile.join("journal.jsonl"), b"").unwrap();

    let (rooms, _) = watched(&logs, given);
    assert!(rooms.seen.troubles.is_empty(), "{:?}", rooms.seen.troubles);
    let order = order(&rooms);
    assert_eq!(order, ["room-c", "room-b", "room-a"]);
    let (_, c) = &rooms.seen.rooms[0];
    assert!(c.attention[0].starts_with("cannot be read: "), "{c:?}");
    assert!(c.attention[0].contains("damaged"), "{c:?}");
    let (_, b) = &rooms.seen.rooms[1];
    assert_eq!(b.attention, ["Mali is 2m over the limit"]);
    let (_, a) = &rooms.seen.rooms[2];
    assert!(a.attention.is_empty(), "{a:?}");

    let out = gavel(&logs, &local_time("15:36:00"))
        .args(["rooms", logs.to_str().unwrap(), "--meeting"])
        .arg(&files)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "one bad meeting is no failure of the place: {out:?}"
    );
    assert!(
        !text.contains('\u{1b}') && !text.contains("PWNED"),
        "{text}"
    );
    assert!(text.starts_with("room-c [?] · floor not known"), "{text}");
}

#[test]
fn a_speaker_over_the_limit_comes_before_a_late_meeting_before_a_suspended_one() {
    let dir = tempfile::tempdir().unwrap();
    let (logs, files) = (dir.path().join("logs"), dir.path().join("files"));
    std::fs::create_dir_all(&files).unwrap();
    let ids = ["a-suspended", "b-late", "c-over"];
    let mut given = Vec::new();
    for id in ids {
        let file = seed_as(&files, id);
        run(&logs, "15:30:00", &file, &["open"]);
        given.push(self::file(&file));
    }
    run(
        &logs,
        "15:31:00",
        &seed_as(&files, "a-suspended"),
        &["suspend", "consultations"],
    );
    run(&logs, "15:31:00", &seed_as(&files, "c-over"), &["next"]);
    // Three more speakers given an hour each cannot end by 18:00.
    let late = seed_as(&files, "b-late");
    for who in ["Egypt", "Kenya", "Ghana"] {
        run(&logs, "15:31:00", &late, &["add", who, "limit", "1h"]);
    }
    let (rooms, _) = watched(&logs, given);
    let order = order(&rooms);
    assert_eq!(
        order,
        ["c-over", "b-late", "a-suspended"],
        "{:#?}",
        rooms.seen.rooms
    );
}

#[test]
fn a_journal_replaced_whole_is_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path();
    run(logs, "15:30:00", SEED_FILE, &["open"]);
    let now = at_clock("15:36:00");
    let mut watch = Watch::new(
        vec![Where::Folder(logs.to_path_buf())],
        vec![file(SEED_FILE)],
    );
    assert_eq!(watch.refresh(now).rooms[0].1.events, 1);
    // Restored from a copy: another file under the same name, and the next
    // event written there only.
    let journal = logs.join(crate::support::SEED_ID).join("journal.jsonl");
    let copy = logs.join("copy.jsonl");
    std::fs::copy(&journal, &copy).unwrap();
    std::fs::rename(&copy, &journal).unwrap();
    run(logs, "15:31:00", SEED_FILE, &["next"]);
    let once = watch.refresh(now);
    let again = watch.refresh(now);
    let (_, room) = &again.rooms[0];
    assert_eq!(
        room.events, 2,
        "first look: {:?}; then: {room:?}",
        once.rooms[0].1.attention
    );
    assert!(room.attention[0].contains("over the limit"), "{room:?}");
}
