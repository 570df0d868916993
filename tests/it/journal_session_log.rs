//! The plain session log beside the journal, and following it.

use std::fs;
use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use gavel::journal::SessionLog;
use gavel::journal::session_log::follow;
use tempfile::tempdir;

fn lines(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn last_seq_comes_from_the_last_line_and_survives_reopening() {
    let dir = tempdir().unwrap();
    let mut log = SessionLog::open(dir.path()).unwrap();
    assert_eq!(log.last_seq(), None);
    log.append(&lines(&[
        "15:42:10 #0042 floor  France — H.E. Mr. Jean-Yves Le Drian takes the floor (limit 3m)",
        "15:45:02 #0043 end    France — spoke 2m52s",
    ]))
    .unwrap();
    assert_eq!(log.last_seq(), Some(43));
    let text = fs::read_to_string(dir.path().join("session.log")).unwrap();
    assert_eq!(text.lines().count(), 2);
    assert!(text.ends_with("2m52s\n"));
    assert_eq!(SessionLog::open(dir.path()).unwrap().last_seq(), Some(43));
}

#[test]
fn a_long_last_line_is_found_across_blocks() {
    let dir = tempdir().unwrap();
    let long = format!("16:00:00 #1234 note   {}", "a".repeat(20_000));
    SessionLog::open(dir.path())
        .unwrap()
        .append(&lines(&["15:00:00 #0001 open   meeting opened", &long]))
        .unwrap();
    assert_eq!(SessionLog::open(dir.path()).unwrap().last_seq(), Some(1234));
}

#[test]
fn an_unfinished_last_line_is_cut_at_open() {
    let dir = tempdir().unwrap();
    let path = dir.path().join("session.log");
    fs::write(
        &path,
        "15:00:00 #0001 open   meeting opened\n15:00:05 #0002 fl",
    )
    .unwrap();
    let mut log = SessionLog::open(dir.path()).unwrap();
    assert_eq!(log.last_seq(), Some(1));
    log.append(&lines(&["15:00:05 #0002 floor  Mali takes the floor"]))
        .unwrap();
    let text = fs::read_to_string(&path).unwrap();
    assert_eq!(
        text,
        "15:00:00 #0001 open   meeting opened\n15:00:05 #0002 floor  Mali takes the floor\n"
    );
}

#[test]
#[cfg_attr(debug_assertions, should_panic(expected = "unsanitised"))]
fn control_characters_never_reach_the_file() {
    let dir = tempdir().unwrap();
    let mut log = SessionLog::open(dir.path()).unwrap();
    log.append(&lines(&[
        "15:00:00 #0001 note   \x1b]0;owned\x07red\x1b[31m",
    ]))
    .unwrap();
    let text = fs::read_to_string(dir.path().join("session.log")).unwrap();
    assert_eq!(text, "15:00:00 #0001 note   ]0;ownedred[31m\n");
}

/// A writer the follower thread and the test can share.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Shared {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }

    fn wait_for(&self, expected: &str) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.text() != expected {
            assert!(
                Instant::now() < deadline,
                "got {:?}, expected {expected:?}",
                self.text()
            );
            thread::sleep(Duration::from_millis(20));
        }
    }
}

fn start_following(
    path: &Path,
    from_start: bool,
) -> (Shared, Arc<AtomicBool>, thread::JoinHandle<()>) {
    let out = Shared::default();
    let stop = Arc::new(AtomicBool::new(false));
    let (path, mut sink, flag) = (path.to_owned(), out.clone(), stop.clone());
    let handle = thread::spawn(move || {
        follow(&path, from_start, &mut sink, &move || {
            flag.load(Ordering::SeqCst)
        })
        .unwrap()
    });
    (out, stop, handle)
}

fn append_raw(path: &Path, bytes: &str) {
    let mut f = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    f.write_all(bytes.as_bytes()).unwrap();
}

#[test]
fn follow_waits_for_the_file_and_prints_complete_lines_only() {
    let dir = tempdir().unwrap();
    let path = dir.path().join("session.log");
    let (out, stop, handle) = start_following(&path, true);
    thread::sleep(Duration::from_millis(300));

    append_raw(
        &path,
        "15:00:00 #0001 open   meeting opened\n15:00:05 #0002 fl",
    );
    out.wait_for("15:00:00 #0001 open   meeting opened\n");
    thread::sleep(Duration::from_millis(400));
    assert_eq!(
        out.text(),
        "15:00:00 #0001 open   meeting opened\n",
        "half a line is held back"
    );

    append_raw(&path, "oor  Mali\n");
    out.wait_for("15:00:00 #0001 open   meeting opened\n15:00:05 #0002 floor  Mali\n");
    stop.store(true, Ordering::SeqCst);
    handle.join().unwrap();
}

#[test]
fn follow_from_the_end_skips_what_was_there() {
    let dir = tempdir().unwrap();
    let path = dir.path().join("session.log");
    append_raw(&path, "15:00:00 #0001 open   meeting opened\n");
    let (out, stop, handle) = start_following(&path, false);
    thread::sleep(Duration::from_millis(400));
    append_raw(&path, "15:00:05 #0002 floor  Mali\n");
    out.wait_for("15:00:05 #0002 floor  Mali\n");
    stop.store(true, Ordering::SeqCst);
    handle.join().unwrap();
}

#[test]
fn follow_starts_again_when_the_file_is_replaced() {
    let dir = tempdir().unwrap();
    let path = dir.path().join("session.log");
    append_raw(&path, "old line\n");
    let (out, stop, handle) = start_following(&path, true);
    out.wait_for("old line\n");
    let fresh = dir.path().join("fresh");
    fs::write(&fresh, "new line\n").unwrap();
    fs::rename(&fresh, &path).unwrap();
    out.wait_for("old line\nnew line\n");
    stop.store(true, Ordering::SeqCst);
    handle.join().unwrap();
}
