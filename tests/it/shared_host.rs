//! A hostile local user of the shared host, and files damaged by hand: what
//! another account can plant in or around a meeting folder (symbolic links,
//! FIFOs, devices, hard links, notes, a folder of its own), and journals
//! damaged in ways no crash explains. Through the binary, as an officer
//! meets them: nothing is read or written through what was planted, nothing
//! hangs, nothing saved is cut, and each refusal says why.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::{self, GAVEL, SEED_FILE, SEED_ID, SEED_TEXT, pty};

const NOW: &str = "2017-09-20T15:31:00-04:00";

/// A temporary folder with the seed meeting and a log folder, and a victim's
/// file that nothing gavel does may change.
struct Host {
    dir: tempfile::TempDir,
    meeting: PathBuf,
    logs: PathBuf,
    victim: PathBuf,
}

const VICTIM_TEXT: &[u8] = b"the victim's own file\n";

impl Host {
    fn new() -> Host {
        let dir = tempfile::tempdir().unwrap();
        let meeting = dir.path().join("mali.toml");
        fs::write(&meeting, SEED_TEXT).unwrap();
        let logs = dir.path().join("logs");
        let victim = dir.path().join("victim.txt");
        fs::write(&victim, VICTIM_TEXT).unwrap();
        Host {
            dir,
            meeting,
            logs,
            victim,
        }
    }

    fn m(&self) -> &str {
        self.meeting.to_str().unwrap()
    }

    fn folder(&self) -> PathBuf {
        self.logs.join(SEED_ID)
    }

    fn file(&self, name: &str) -> PathBuf {
        self.folder().join(name)
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(GAVEL);
        c.args(args)
            .current_dir(self.dir.path())
            .env("GAVEL_LOG_DIR", &self.logs)
            .env("GAVEL_NOW", NOW)
            .env("USER", "ana")
            .env("XDG_CONFIG_HOME", self.dir.path().join("config-home"))
            .env("HOME", self.dir.path())
            .env_remove("NO_COLOR")
            .stdin(Stdio::null());
        c
    }

    /// Runs gavel, failing the test if it takes more than `limit`.
    fn run_within(&self, limit: Duration, args: &[&str]) -> Output {
        let mut child = self
            .command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if started.elapsed() > limit {
                let _ = child.kill();
                panic!("gavel {args:?} still running after {limit:?}");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let out = child.wait_with_output().unwrap();
        assert_ne!(out.status.code(), Some(101), "{args:?} panicked: {out:?}");
        out
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_within(Duration::from_secs(20), args)
    }

    fn ok(&self, args: &[&str]) -> Output {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?}: {out:?}");
        out
    }

    fn do_(&self, words: &[&str]) -> Output {
        let mut args = vec!["do", self.m()];
        args.extend_from_slice(words);
        self.ok(&args)
    }

    /// A meeting with a few events on disk.
    fn begun(&self) {
        for words in [
            &["open"][..],
            &["note", "one"],
            &["note", "two"],
            &["note", "three"],
            &["note", "four"],
        ] {
            self.do_(words);
        }
    }

    /// Every entry of the meeting folder, links as links.
    fn snapshot(&self) -> Vec<(PathBuf, u32, Vec<u8>)> {
        let mut all: Vec<_> = fs::read_dir(self.folder())
            .unwrap()
            .map(|e| {
                let path = e.unwrap().path();
                let meta = fs::symlink_metadata(&path).unwrap();
                let bytes = if meta.is_file() {
                    fs::read(&path).unwrap()
                } else {
                    Vec::new()
                };
                (path, meta.mode(), bytes)
            })
            .collect();
        all.sort();
        all
    }

    fn victim_untouched(&self) {
        assert_eq!(fs::read(&self.victim).unwrap(), VICTIM_TEXT);
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn mode(path: &Path) -> u32 {
    fs::symlink_metadata(path).unwrap().mode() & 0o7777
}

fn chmod(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

fn is_root() -> bool {
    // SAFETY: geteuid only reads the process's credentials.
    unsafe { libc::geteuid() == 0 }
}

/// Asserts that `args` fail with exit 1, saying `why`, changing nothing.
fn refused_unchanged(h: &Host, args: &[&str], why: &str) {
    let before = h.snapshot();
    let out = h.run(args);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {out:?}");
    assert!(stderr(&out).contains(why), "{args:?}: {}", stderr(&out));
    assert_eq!(h.snapshot(), before, "{args:?} changed the meeting folder");
    h.victim_untouched();
}

// ---------------------------------------------------------------------------
// The unsaved-bytes note

#[test]
fn a_planted_note_in_the_old_form_cuts_nothing() {
    let h = Host::new();
    h.begun();
    fs::write(h.file("journal.unsynced"), "130\n").unwrap();
    for args in [
        vec!["do", h.m(), "note", "five"],
        vec!["state", h.m()],
        vec!["verify", h.m()],
        vec!["run", h.m()],
    ] {
        refused_unchanged(&h, &args, "journal.unsynced does not match the journal");
    }
}

/// A note as gavel writes it, naming a real line end with its hash, but
/// followed by lines that were saved (acknowledged) after it.
#[test]
fn a_note_that_would_cut_saved_lines_is_refused() {
    let h = Host::new();
    h.begun();
    let journal = fs::read(h.file("journal.jsonl")).unwrap();
    let second = journal
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(1)
        .unwrap()
        .0
        + 1;
    let (saved, rest) = journal.split_at(second);
    let first_rest = &rest[..=rest.iter().position(|&b| b == b'\n').unwrap()];
    let note = gavel::journal::UnsyncedNote::after(saved, second as u64, 2, first_rest);
    fs::write(h.file("journal.unsynced"), note.to_text("journal.jsonl")).unwrap();
    refused_unchanged(
        &h,
        &["do", h.m(), "note", "five"],
        "the failed save did not write, so it was saved since",
    );
    // One naming the middle of a line, with everything else right.
    let mid = gavel::journal::UnsyncedNote {
        offset: second as u64 - 7,
        ..note
    };
    fs::write(h.file("journal.unsynced"), mid.to_text("journal.jsonl")).unwrap();
    refused_unchanged(&h, &["state", h.m()], "is not where a line ends");
}

// ---------------------------------------------------------------------------
// Damage that no crash leaves

#[test]
fn damage_at_the_end_is_not_cut_as_a_torn_line() {
    let h = Host::new();
    h.begun();
    let good = fs::read(h.file("journal.jsonl")).unwrap();
    let text = String::from_utf8(good.clone()).unwrap();
    let mut utf16 = vec![0xff, 0xfe];
    for unit in text.encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    for (damaged, line) in [
        (utf16, 1),
        (
            [good.clone(), b"garbage one\ngarbage two\n".to_vec()].concat(),
            6,
        ),
        ([good.clone(), vec![b'\n'; 1000]].concat(), 6),
    ] {
        fs::write(h.file("journal.jsonl"), &damaged).unwrap();
        refused_unchanged(
            &h,
            &["do", h.m(), "note", "five"],
            &format!("journal line {line} is damaged"),
        );
        assert_eq!(fs::read(h.file("journal.jsonl")).unwrap(), damaged);
    }
}

// ---------------------------------------------------------------------------
// Symbolic links

#[test]
fn a_journal_or_session_log_that_is_a_link_is_never_written_through() {
    let h = Host::new();
    h.begun();
    fs::remove_file(h.file("journal.jsonl")).unwrap();
    std::os::unix::fs::symlink(&h.victim, h.file("journal.jsonl")).unwrap();
    refused_unchanged(&h, &["do", h.m(), "note", "five"], "is a symbolic link");
    refused_unchanged(&h, &["state", h.m()], "is a symbolic link");

    // A session log planted as a link is not written through either, but it
    // does not stop the meeting: the journal is what counts.
    let h = Host::new();
    h.begun();
    fs::remove_file(h.file("session.log")).unwrap();
    std::os::unix::fs::symlink(&h.victim, h.file("session.log")).unwrap();
    let out = h.do_(&["note", "five"]);
    assert!(stderr(&out).contains("is a symbolic link"), "{out:?}");
    assert!(stderr(&out).contains("the journal goes on"), "{out:?}");
    h.victim_untouched();
    let journal = fs::read_to_string(h.file("journal.jsonl")).unwrap();
    assert!(journal.contains("five"), "{journal}");
    refused_unchanged(&h, &["tail", h.m()], "is a symbolic link");
}

#[test]
fn a_note_that_is_a_link_is_not_read() {
    let h = Host::new();
    h.begun();
    fs::write(&h.victim, "10\n").unwrap();
    std::os::unix::fs::symlink(&h.victim, h.file("journal.unsynced")).unwrap();
    let before = h.snapshot();
    let out = h.run(&["do", h.m(), "note", "five"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(stderr(&out).contains("is a symbolic link"), "{out:?}");
    assert_eq!(h.snapshot(), before);
    assert_eq!(fs::read(&h.victim).unwrap(), b"10\n");
}

/// The end of a torn write is kept aside under a new name, never through a
/// link planted under the name it would take.
#[test]
fn a_torn_tail_is_never_kept_through_a_link() {
    let h = Host::new();
    h.begun();
    let mut journal = fs::read(h.file("journal.jsonl")).unwrap();
    journal.extend_from_slice(b"{\"v\":1,\"seq\":6,\"at\":\"2017");
    fs::write(h.file("journal.jsonl"), &journal).unwrap();
    let now = jiff::Timestamp::now();
    for s in 0..5 {
        let stamp = (now + jiff::SignedDuration::from_secs(s))
            .strftime("%Y%m%dT%H%M%SZ")
            .to_string();
        let planted = h.file(&format!("journal.torn-{stamp}"));
        std::os::unix::fs::symlink(&h.victim, planted).unwrap();
    }
    let out = h.do_(&["note", "five"]);
    assert!(stderr(&out).contains("kept in"), "{out:?}");
    h.victim_untouched();
    let kept: Vec<PathBuf> = fs::read_dir(h.folder())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| fs::symlink_metadata(p).unwrap().is_file())
        .filter(|p| p.to_string_lossy().contains("journal.torn-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(
        fs::read(&kept[0]).unwrap(),
        b"{\"v\":1,\"seq\":6,\"at\":\"2017"
    );
}

#[test]
fn exports_on_adjourn_replace_planted_links_and_never_write_through_them() {
    let h = Host::new();
    h.begun();
    for name in ["summary.md", "interventions.csv", "export.json"] {
        std::os::unix::fs::symlink(&h.victim, h.file(name)).unwrap();
    }
    let out = h.do_(&["adjourn"]);
    assert!(stderr(&out).contains("wrote"), "{out:?}");
    h.victim_untouched();
    for name in ["summary.md", "interventions.csv", "export.json"] {
        let meta = fs::symlink_metadata(h.file(name)).unwrap();
        assert!(meta.is_file(), "{name} is a file of its own now");
        assert_eq!(meta.mode() & 0o777, 0o640, "{name}");
        assert!(!fs::read(h.file(name)).unwrap().is_empty());
    }
}

#[test]
fn export_to_a_file_refuses_an_existing_one_or_a_link_unless_forced() {
    let h = Host::new();
    h.begun();
    let existing = h.dir.path().join("existing.md");
    fs::write(&existing, "mine\n").unwrap();
    let link = h.dir.path().join("link.md");
    std::os::unix::fs::symlink(&h.victim, &link).unwrap();
    for target in [&existing, &link] {
        let out = h.run(&["export", h.m(), "-o", target.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        assert!(stderr(&out).contains("exists already"), "{out:?}");
    }
    assert_eq!(fs::read(&existing).unwrap(), b"mine\n");
    h.victim_untouched();

    h.ok(&["export", h.m(), "-o", link.to_str().unwrap(), "--force"]);
    h.victim_untouched();
    assert!(fs::symlink_metadata(&link).unwrap().is_file());
    assert!(fs::read_to_string(&link).unwrap().contains("Mali"));
}

// ---------------------------------------------------------------------------
// The meeting folder and the folders above it

#[test]
fn a_meeting_folder_everyone_can_write_is_refused_saying_how_to_fix_it() {
    let h = Host::new();
    h.begun();
    chmod(&h.folder(), 0o777);
    for args in [vec!["do", h.m(), "note", "five"], vec!["state", h.m()]] {
        refused_unchanged(&h, &args, "can be written by every user of this host");
        let out = h.run(&args);
        assert!(stderr(&out).contains("chmod o-w"), "{out:?}");
    }
    chmod(&h.folder(), 0o750);
    chmod(&h.logs, 0o777);
    refused_unchanged(
        &h,
        &["do", h.m(), "note", "five"],
        "who could move or replace the meeting folder in it",
    );
    // With the sticky bit, as /tmp has it, no one else can rename it.
    chmod(&h.logs, 0o1777);
    h.do_(&["note", "five"]);
}

/// A folder above the meeting folder that another user owns, or that a
/// group can write without the sticky bit, would let them move the meeting
/// folder away under gavel, or swap another in.
#[test]
fn a_folder_above_that_others_can_rename_in_is_refused() {
    if !is_root() {
        eprintln!("skipped: only root can give a folder to another user");
        return;
    }
    let h = Host::new();
    fs::create_dir(&h.logs).unwrap();
    std::os::unix::fs::chown(&h.logs, Some(65534), Some(65534)).unwrap();
    let out = h.run(&["do", h.m(), "open"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(stderr(&out).contains("belongs to user 65534"), "{out:?}");
    assert!(!h.folder().exists(), "nothing was made under it");

    std::os::unix::fs::chown(&h.logs, Some(0), Some(65534)).unwrap();
    chmod(&h.logs, 0o2770);
    let out = h.run(&["do", h.m(), "open"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        stderr(&out).contains("can be written by every member of group 65534"),
        "{out:?}"
    );
    assert!(stderr(&out).contains("chmod +t"), "{out:?}");
    // As the README sets a shared folder up: setgid and sticky.
    chmod(&h.logs, 0o3770);
    h.do_(&["open"]);
}

#[test]
fn a_meeting_folder_that_is_a_link_is_refused() {
    let h = Host::new();
    h.begun();
    let elsewhere = h.dir.path().join("elsewhere");
    fs::rename(h.folder(), &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, h.folder()).unwrap();
    for args in [vec!["do", h.m(), "note", "five"], vec!["state", h.m()]] {
        let out = h.run(&args);
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        assert!(
            stderr(&out).contains("is a symbolic link, not a folder"),
            "{out:?}"
        );
    }
}

#[test]
fn a_meeting_folder_of_another_user_is_read_but_never_written() {
    if !is_root() {
        eprintln!("skipped: only root can give a folder to another user");
        return;
    }
    let h = Host::new();
    h.begun();
    std::os::unix::fs::chown(h.folder(), Some(65534), Some(65534)).unwrap();
    refused_unchanged(
        &h,
        &["do", h.m(), "note", "five"],
        "belongs to user 65534 and group 65534, neither of them yours",
    );
    h.ok(&["state", h.m()]);
}

/// Under umask 000 every folder gavel makes is 0750 and every file 0640,
/// the outputs of `init` and `export` included.
#[test]
fn what_gavel_creates_has_its_mode_whatever_the_umask() {
    let h = Host::new();
    let deep = h.dir.path().join("a/b/c");
    let mut command = h.command(&["do", h.m(), "--log-dir", deep.to_str().unwrap(), "open"]);
    // SAFETY: umask only swaps the child's own file-creation mask.
    unsafe {
        command.pre_exec(|| {
            libc::umask(0);
            Ok(())
        });
    }
    let out = command.output().unwrap();
    assert!(out.status.success(), "{out:?}");
    for dir in ["a", "a/b", "a/b/c", &format!("a/b/c/{SEED_ID}")] {
        assert_eq!(mode(&h.dir.path().join(dir)), 0o750, "{dir}");
    }
    for file in ["journal.jsonl", "session.log"] {
        assert_eq!(mode(&deep.join(SEED_ID).join(file)), 0o640, "{file}");
    }
    for args in [
        vec!["init", "new.toml"],
        vec![
            "export",
            h.m(),
            "--log-dir",
            deep.to_str().unwrap(),
            "-o",
            "out.md",
        ],
    ] {
        let mut command = h.command(&args);
        // SAFETY: as above.
        unsafe {
            command.pre_exec(|| {
                libc::umask(0);
                Ok(())
            });
        }
        let out = command.output().unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
    }
    assert_eq!(mode(&h.dir.path().join("new.toml")), 0o640);
    assert_eq!(mode(&h.dir.path().join("out.md")), 0o640);
}

/// In a folder set up for a group (setgid, group-writable), what gavel makes
/// is the group's to write: meeting folders 2770, files 0660.
#[test]
fn in_a_shared_folder_the_group_can_write_what_gavel_creates() {
    let h = Host::new();
    fs::create_dir(&h.logs).unwrap();
    chmod(&h.logs, 0o2770);
    h.do_(&["open"]);
    assert_eq!(mode(&h.folder()), 0o2770);
    assert_eq!(mode(&h.file("journal.jsonl")), 0o660);
    assert_eq!(mode(&h.file("session.log")), 0o660);
}

// ---------------------------------------------------------------------------
// What is not a regular file

fn mkfifo(path: &Path) {
    let name = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid C string; mkfifo only creates a name.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
}

const PROMPTLY: Duration = Duration::from_secs(5);

#[test]
fn a_fifo_where_a_file_should_be_is_refused_at_once() {
    let h = Host::new();
    h.begun();
    fs::remove_file(h.file("journal.jsonl")).unwrap();
    mkfifo(&h.file("journal.jsonl"));
    for args in [
        vec!["state", h.m()],
        vec!["do", h.m(), "note", "five"],
        vec!["verify", h.m()],
        vec!["tail", h.m(), "--json"],
    ] {
        let out = h.run_within(PROMPTLY, &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {out:?}");
        assert!(stderr(&out).contains("is a FIFO"), "{args:?}: {out:?}");
    }

    let h = Host::new();
    h.begun();
    fs::remove_file(h.file("session.log")).unwrap();
    mkfifo(&h.file("session.log"));
    let out = h.run_within(PROMPTLY, &["tail", h.m()]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(stderr(&out).contains("is a FIFO"), "{out:?}");

    let fifo = h.dir.path().join("fifo.toml");
    mkfifo(&fifo);
    for args in [
        vec!["check", fifo.to_str().unwrap()],
        vec!["state", fifo.to_str().unwrap()],
    ] {
        let out = h.run_within(PROMPTLY, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        assert!(
            stderr(&out).contains("not a regular file"),
            "{args:?}: {out:?}"
        );
    }
    let settings = h.dir.path().join("config-home/gavel");
    fs::create_dir_all(&settings).unwrap();
    mkfifo(&settings.join("settings.toml"));
    let out = h.run_within(PROMPTLY, &["do", h.m(), "note", "five"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(stderr(&out).contains("not a regular file"), "{out:?}");
}

/// A FIFO or a hard link planted as the session log does not stop the
/// meeting: the journal is what counts, the officer is told the log is not
/// written, and once it is removed the log catches up from the journal.
#[test]
fn a_planted_session_log_does_not_stop_the_journal() {
    let h = Host::new();
    h.begun();
    let log = h.file("session.log");
    fs::remove_file(&log).unwrap();
    mkfifo(&log);
    let out = h.run_within(PROMPTLY, &["do", h.m(), "note", "five"]);
    assert!(out.status.success(), "{out:?}");
    let why = stderr(&out);
    assert!(why.contains("is a FIFO"), "{why}");
    assert!(why.contains("the journal goes on"), "{why}");
    let state = h.ok(&["state", h.m(), "--json"]);
    assert!(String::from_utf8_lossy(&state.stdout).contains("five"));

    fs::remove_file(&log).unwrap();
    let elsewhere = h.dir.path().join("elsewhere.log");
    fs::write(&elsewhere, b"").unwrap();
    fs::hard_link(&elsewhere, &log).unwrap();
    let out = h.run_within(PROMPTLY, &["do", h.m(), "note", "six"]);
    assert!(out.status.success(), "{out:?}");
    assert!(stderr(&out).contains("hard links"), "{out:?}");
    assert_eq!(
        fs::read(&elsewhere).unwrap(),
        b"",
        "nothing written through the link"
    );

    fs::remove_file(&log).unwrap();
    h.do_(&["note", "seven"]);
    let text = fs::read_to_string(&log).unwrap();
    for note in ["one", "five", "six", "seven"] {
        assert!(text.contains(note), "{note} missing from the log: {text}");
    }
}

/// A stop between adjourning and writing the exports (a kill, a power cut)
/// leaves an adjourned meeting without them: the next instance that writes
/// writes them from the journal, and clears the drafts the stop left.
#[test]
fn exports_an_adjourning_stop_left_unwritten_are_written_on_the_next_start() {
    let h = Host::new();
    h.begun();
    h.do_(&["adjourn"]);
    let summary = fs::read(h.file("summary.md")).unwrap();
    fs::remove_file(h.file("summary.md")).unwrap();
    fs::remove_file(h.file("export.json")).unwrap();
    let mut gone = Command::new("true").spawn().unwrap();
    gone.wait().unwrap();
    let stale = h.file(&format!(".summary.md.{}.new", gone.id()));
    fs::write(&stale, b"half a summary").unwrap();
    let running = h.file(&format!(".export.json.{}.new", std::process::id()));
    fs::write(&running, b"another process's draft").unwrap();

    let out = h.do_(&["note", "after the stop"]);
    let said = stderr(&out);
    assert!(
        said.contains("adjourned but its exports were missing; wrote"),
        "{said}"
    );
    assert!(said.contains("summary.md"), "{said}");
    assert_eq!(fs::read(h.file("summary.md")).unwrap(), summary);
    assert!(h.file("export.json").is_file());
    assert!(!stale.exists(), "the stopped process's draft is cleared");
    assert!(running.exists(), "a running process's draft is its own");

    // Found whole, they are not written again.
    let out = h.do_(&["note", "later"]);
    assert!(!stderr(&out).contains("exports"), "{out:?}");
}

#[test]
fn a_journal_linked_to_a_device_or_hard_linked_is_refused() {
    let h = Host::new();
    h.begun();
    let journal = h.file("journal.jsonl");
    let saved = h.dir.path().join("saved.jsonl");
    fs::rename(&journal, &saved).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &journal).unwrap();
    for args in [vec!["state", h.m()], vec!["verify", h.m()]] {
        let out = h.run_within(PROMPTLY, &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {out:?}");
        assert!(
            stderr(&out).contains("is a symbolic link"),
            "{args:?}: {out:?}"
        );
    }
    fs::remove_file(&journal).unwrap();
    fs::hard_link(&saved, &journal).unwrap();
    let out = h.run_within(PROMPTLY, &["do", h.m(), "note", "five"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        stderr(&out).contains("has other names (hard links)"),
        "{out:?}"
    );
}

// ---------------------------------------------------------------------------
// A stopped process holding the journal's lock

/// A process holding the journal's exclusive lock, stopped as Ctrl-Z stops
/// one; let go of (and ended) when dropped.
struct StoppedHolder(std::process::Child);

impl StoppedHolder {
    fn on(journal: &Path) -> StoppedHolder {
        // Without forking, the process that takes the lock is the one stopped.
        let child = Command::new("flock")
            .args(["--exclusive", "--no-fork"])
            .arg(journal)
            .args(["sleep", "60"])
            .spawn()
            .expect("util-linux's flock");
        let pid = child.id();
        let held = Instant::now();
        // Stopped only once it holds the lock.
        while !fs::read_to_string("/proc/locks")
            .unwrap()
            .lines()
            .any(|l| l.split_whitespace().nth(4) == Some(&pid.to_string()))
        {
            assert!(
                held.elapsed() < Duration::from_secs(5),
                "flock took no lock"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        // SAFETY: kill only sends a signal to the child just started.
        unsafe { libc::kill(pid as i32, libc::SIGSTOP) };
        StoppedHolder(child)
    }

    fn pid(&self) -> u32 {
        self.0.id()
    }

    fn let_go(mut self) {
        self.end();
    }

    fn end(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for StoppedHolder {
    fn drop(&mut self) {
        self.end();
    }
}

#[test]
fn gavel_do_gives_up_on_a_stopped_lock_holder_saying_who_it_is() {
    let h = Host::new();
    h.begun();
    let holder = StoppedHolder::on(&h.file("journal.jsonl"));
    let before = h.snapshot();
    let started = Instant::now();
    let out = h.run_within(
        Duration::from_secs(10),
        &["do", h.m(), "--wait", "1s", "note", "five"],
    );
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let why = stderr(&out);
    assert!(why.contains("was not let go within 1.0 s"), "{why}");
    assert!(
        why.contains(&format!("held by process {}", holder.pid())),
        "{why}"
    );
    assert!(
        why.contains("which is stopped (Ctrl-Z or SIGSTOP)"),
        "{why}"
    );
    assert!(took < Duration::from_secs(4), "gave up after {took:?}");
    assert_eq!(h.snapshot(), before);

    holder.let_go();
    h.do_(&["note", "five"]);
}

/// The TUI draws its first frame at once, says it is waiting for the lock
/// (and for how long), keeps the officer's command, and carries it out once
/// the lock is let go.
#[test]
fn the_tui_shows_the_meeting_while_it_waits_for_the_lock() {
    let logs = tempfile::tempdir().unwrap();
    let out = pty::output(logs.path(), &["do", SEED_FILE, "open"]);
    assert!(out.status.success(), "{out:?}");
    let holder = StoppedHolder::on(&pty::journal_path(logs.path()));
    let mut g = pty::Gavel::start(&["run", SEED_FILE], logs.path(), 100, 30);
    g.wait_for("Speakers", Duration::from_secs(4));
    g.wait_for("waiting for the journal's lock (", Duration::from_secs(2));
    // Named at the first second's report; a loaded machine may be late with it.
    g.wait_for(
        &format!("held by process {}", holder.pid()),
        Duration::from_secs(4),
    );
    g.type_keys("n");
    g.wait_for(
        "waiting for the journal's lock (2 s)",
        Duration::from_secs(4),
    );
    assert_eq!(pty::journal_events(logs.path()), ["opened"]);

    holder.let_go();
    g.wait_for(" saved ", Duration::from_secs(3));
    assert_eq!(pty::journal_events(logs.path()), ["opened", "floor_given"]);
    g.type_keys("qy");
    assert!(g.wait_exit(Duration::from_secs(3)).is_some());
}

/// A running screen on an open meeting whose `n` waits, a second into it,
/// for the lock a stopped process took after the screen started.
fn next_waiting_for_the_lock() -> (tempfile::TempDir, pty::Gavel, StoppedHolder) {
    let logs = tempfile::tempdir().unwrap();
    let out = pty::output(logs.path(), &["do", SEED_FILE, "open"]);
    assert!(out.status.success(), "{out:?}");
    let mut g = pty::Gavel::start(&["run", SEED_FILE], logs.path(), 100, 30);
    g.wait_for(" saved ", Duration::from_secs(4));
    let holder = StoppedHolder::on(&pty::journal_path(logs.path()));
    g.type_keys("n");
    g.wait_for(
        "waiting for the journal's lock (1 s)",
        Duration::from_secs(3),
    );
    (logs, g, holder)
}

/// A command typed while another process holds the lock waits, says so,
/// and is saved once the lock is let go.
#[test]
fn a_command_waiting_for_the_lock_says_so_until_it_is_saved() {
    let (logs, mut g, holder) = next_waiting_for_the_lock();
    assert_eq!(pty::journal_events(logs.path()), ["opened"]);
    holder.let_go();
    g.wait_for(" saved ", Duration::from_secs(3));
    assert_eq!(pty::journal_events(logs.path()), ["opened", "floor_given"]);
    g.type_keys("qy");
    assert!(g.wait_exit(Duration::from_secs(3)).is_some());
}

/// Quitting while a command waits for the lock: the question says it may
/// not be saved, and once quit the officer is told it was not, and why,
/// instead of being left to believe it done.
#[test]
fn quitting_while_a_command_waits_for_the_lock_says_it_was_not_saved() {
    let (logs, mut g, holder) = next_waiting_for_the_lock();
    g.type_keys("q");
    g.wait_for(
        "1 command still waits for the journal and may not be saved",
        Duration::from_secs(2),
    );
    g.type_keys("y");
    let status = g.wait_exit(Duration::from_secs(3)).expect("it quits");
    assert_eq!(status.exit_code(), 1, "{}", g.flat());
    g.wait_for(
        "1 command sent before quitting was not saved",
        Duration::from_secs(1),
    );
    holder.let_go();
    assert_eq!(pty::journal_events(logs.path()), ["opened"]);
}

// ---------------------------------------------------------------------------
// Files moved or replaced under a running gavel

/// A journal replaced under a running TUI (moved aside and copied back, as
/// an editor or a restore does): its saves would go to a file no one reads.
/// It says NOT SAVED and why, and saves nothing there.
#[test]
fn a_journal_replaced_under_a_running_screen_is_not_written_blind() {
    let logs = tempfile::tempdir().unwrap();
    let out = pty::output(logs.path(), &["do", SEED_FILE, "open"]);
    assert!(out.status.success(), "{out:?}");
    let mut g = pty::Gavel::start(&["run", SEED_FILE], logs.path(), 100, 30);
    g.wait_for(" saved ", Duration::from_secs(4));
    let journal = pty::journal_path(logs.path());
    let aside = journal.with_extension("old");
    fs::rename(&journal, &aside).unwrap();
    fs::copy(&aside, &journal).unwrap();
    g.type_keys(":note after the copy\r");
    g.wait_for("NOT SAVED", Duration::from_secs(3));
    g.wait_for("is no longer the file", Duration::from_secs(1));
    assert_eq!(pty::journal_events(logs.path()), ["opened"]);
    assert_eq!(fs::read(&aside).unwrap(), fs::read(&journal).unwrap());

    // Moved away with its folder: the same.
    let folder = journal.parent().unwrap();
    fs::rename(folder, logs.path().join("moved")).unwrap();
    g.type_keys("\x1b:note after the move\r");
    g.wait_for("is no longer the file", Duration::from_secs(3));
    assert!(!folder.exists(), "no new journal was begun");
    g.type_keys("\x1bqy");
    assert!(g.wait_exit(Duration::from_secs(3)).is_some());
}

/// A session log replaced (edited and saved by hand) is written on at its
/// path, so `tail -f` goes on showing what happens.
#[test]
fn a_session_log_replaced_under_a_running_screen_is_written_on_at_its_path() {
    let logs = tempfile::tempdir().unwrap();
    let out = pty::output(logs.path(), &["do", SEED_FILE, "open"]);
    assert!(out.status.success(), "{out:?}");
    let mut g = pty::Gavel::start(&["run", SEED_FILE], logs.path(), 100, 30);
    g.wait_for(" saved ", Duration::from_secs(4));
    let log = pty::journal_path(logs.path()).with_file_name("session.log");
    let text = fs::read_to_string(&log).unwrap();
    fs::remove_file(&log).unwrap();
    fs::write(&log, &text).unwrap();
    g.type_keys(":note after the edit\r");
    g.wait_for("Note 1", Duration::from_secs(3));
    let after = fs::read_to_string(&log).unwrap();
    assert!(after.contains("after the edit"), "{after}");
    g.type_keys("qy");
    assert!(g.wait_exit(Duration::from_secs(3)).is_some());
}

// ---------------------------------------------------------------------------
// Files too large to hold

/// Runs gavel to its end and returns its exit code, its stderr and its peak
/// resident memory in kilobytes. It is reaped by `wait4`, which gives the
/// memory, rather than by `Child::wait`. A child's peak starts at the peak
/// of the process that started it, so the tests that call this run in a
/// process of their own, not beside every other test.
#[allow(clippy::zombie_processes)]
fn run_measured(h: &Host, args: &[&str]) -> (Option<i32>, String, i64) {
    use std::io::Read;
    let mut child = h
        .command(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid out-parameter; the pid is our child's.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as i32;
    // SAFETY: as above.
    assert_eq!(unsafe { libc::wait4(pid, &mut status, 0, &mut usage) }, pid);
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    (code, err, usage.ru_maxrss)
}

/// `path` made `by` bytes longer with zeros that take no disk.
fn grow_sparsely(path: &Path, by: u64) {
    let file = fs::OpenOptions::new().write(true).open(path).unwrap();
    let end = file.metadata().unwrap().len();
    file.set_len(end + by).unwrap();
}

#[test]
fn a_huge_journal_is_refused_without_being_read_whole() {
    if support::ran_in_a_child(
        module_path!(),
        "a_huge_journal_is_refused_without_being_read_whole",
    ) {
        return;
    }
    let h = Host::new();
    h.begun();
    // Sparse: 30 GB of zeros after the good lines, on no disk at all.
    grow_sparsely(&h.file("journal.jsonl"), 30 << 30);
    let started = Instant::now();
    for args in [vec!["state", h.m()], vec!["verify", h.m()]] {
        let (code, err, rss_kb) = run_measured(&h, &args);
        assert_eq!(code, Some(1), "{args:?}: {err}");
        assert!(rss_kb < 100_000, "{args:?} held {rss_kb} kB");
        if args[0] == "state" {
            assert!(err.contains("with no line break"), "{args:?}: {err}");
        }
    }
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn a_huge_session_log_is_printed_in_bounded_memory() {
    if support::ran_in_a_child(
        module_path!(),
        "a_huge_session_log_is_printed_in_bounded_memory",
    ) {
        return;
    }
    let h = Host::new();
    h.begun();
    grow_sparsely(&h.file("session.log"), 128 << 20);
    let (code, err, rss_kb) = run_measured(&h, &["tail", h.m()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(rss_kb < 100_000, "tail held {rss_kb} kB");
}
