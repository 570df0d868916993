//! File permissions, through the binary and as an unprivileged user: the
//! tests run as root, which ignores file modes, so gavel is run as `nobody`
//! (uid and gid 65534) on folders prepared by root. Where that is impossible
//! (not root, or no such user), each test says why and passes without
//! checking anything.
//!
//! What is proven: a journal its officer cannot write refuses every command,
//! says that permission was denied, and changes nothing; reading needs no
//! write access at all (`state`, `tail`, `verify`, `run --read-only` and
//! `board` on a folder that is read-only to them); and what an officer's
//! gavel creates is 0640 in a 0750 folder owned by that officer, whatever
//! their umask, the TUI and a torn tail's keep-aside file included.

use std::fs;
use std::io::Write;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::support::{GAVEL, SEED_ID, SEED_TEXT};

const NOBODY: u32 = 65534;
const NOW: &str = "2017-09-20T15:31:00-04:00";
const SECOND: Duration = Duration::from_secs(1);

/// A folder every user can reach, holding a copy of the binary (the build's
/// own folder may sit under one that `nobody` cannot enter), the seed
/// meeting file and the log folder.
struct Place {
    dir: tempfile::TempDir,
    gavel: PathBuf,
    meeting: PathBuf,
    logs: PathBuf,
}

impl Place {
    /// `None`, having said why, when gavel cannot be run as `nobody` here.
    fn new() -> Option<Place> {
        // SAFETY: geteuid only reads the process's credentials.
        if unsafe { libc::geteuid() } != 0 {
            eprintln!("skipped: not root, so gavel cannot be run as another user");
            return None;
        }
        let dir = tempfile::tempdir().expect("a temp dir");
        chmod(dir.path(), 0o755);
        let gavel = dir.path().join("gavel");
        if fs::hard_link(GAVEL, &gavel).is_err() {
            fs::copy(GAVEL, &gavel).expect("a copy of the binary");
        }
        chmod(&gavel, 0o755);
        let meeting = dir.path().join("mali.toml");
        fs::write(&meeting, SEED_TEXT).expect("the meeting file");
        chmod(&meeting, 0o644);
        let logs = dir.path().join("logs");
        let place = Place {
            dir,
            gavel,
            meeting,
            logs,
        };
        match place.command(Some(NOBODY)).arg("--version").output() {
            Ok(out) if out.status.success() => Some(place),
            Ok(out) => {
                eprintln!("skipped: gavel does not run as nobody here: {out:?}");
                None
            }
            Err(e) => {
                eprintln!("skipped: cannot start a process as nobody here: {e}");
                None
            }
        }
    }

    fn m(&self) -> &str {
        self.meeting.to_str().expect("a UTF-8 path")
    }

    fn meeting_dir(&self) -> PathBuf {
        self.logs.join(SEED_ID)
    }

    fn journal(&self) -> PathBuf {
        self.meeting_dir().join("journal.jsonl")
    }

    fn session_log(&self) -> PathBuf {
        self.meeting_dir().join("session.log")
    }

    /// gavel with a known environment, as root (`None`) or as `uid`.
    fn command(&self, uid: Option<u32>) -> Command {
        let mut c = Command::new(&self.gavel);
        c.current_dir(self.dir.path())
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("TERM", "xterm-256color")
            .env("GAVEL_LOG_DIR", &self.logs)
            .env("GAVEL_NOW", NOW)
            .env("USER", if uid.is_some() { "nobody" } else { "root" })
            .env("HOME", self.dir.path().join("home"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("home/config"))
            .env("XDG_DATA_HOME", self.dir.path().join("home/data"))
            .stdin(Stdio::null());
        if let Some(uid) = uid {
            c.uid(uid).gid(uid);
        }
        c
    }

    fn run(&self, uid: Option<u32>, args: &[&str]) -> Output {
        let out = self.command(uid).args(args).output().expect("gavel runs");
        assert_ne!(
            out.status.code(),
            Some(101),
            "{args:?} panicked: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    fn root_does(&self, words: &[&str]) {
        let mut args = vec!["do", self.m(), "--operator", "ana"];
        args.extend_from_slice(words);
        let out = self.run(None, &args);
        assert!(out.status.success(), "{words:?}: {out:?}");
    }

    /// Every entry under the log folder, with its mode, owner and bytes.
    fn snapshot(&self) -> Vec<(PathBuf, u32, u32, Vec<u8>)> {
        fn walk(dir: &Path, out: &mut Vec<(PathBuf, u32, u32, Vec<u8>)>) {
            let Ok(entries) = fs::read_dir(dir) else {
                return;
            };
            for entry in entries {
                let path = entry.expect("an entry").path();
                let meta = fs::symlink_metadata(&path).expect("metadata");
                let bytes = if meta.is_file() {
                    fs::read(&path).expect("a file")
                } else {
                    Vec::new()
                };
                out.push((path.clone(), meta.mode(), meta.uid(), bytes));
                if meta.is_dir() {
                    walk(&path, out);
                }
            }
        }
        let mut all = Vec::new();
        walk(&self.logs, &mut all);
        all.sort();
        all
    }
}

fn chmod(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).expect("chmod");
}

fn chown(path: &Path, uid: u32) {
    std::os::unix::fs::chown(path, Some(uid), Some(uid)).expect("chown");
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).expect("metadata").mode() & 0o7777
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_journal_its_officer_cannot_write_refuses_commands_and_says_why() {
    let Some(p) = Place::new() else { return };
    p.root_does(&["open"]);
    p.root_does(&["next"]);
    // A folder of the officer's group, so gavel will write in it; but the
    // journal is readable by everyone and writable by root only.
    std::os::unix::fs::chown(p.meeting_dir(), None, Some(NOBODY)).expect("chgrp");
    chmod(&p.logs, 0o755);
    chmod(&p.meeting_dir(), 0o755);
    chmod(&p.journal(), 0o644);
    chmod(&p.session_log(), 0o644);
    let before = p.snapshot();

    for args in [
        vec!["do", p.m(), "note", "from nobody"],
        vec!["do", p.m(), "end"],
        vec!["run", p.m()],
    ] {
        let out = p.run(Some(NOBODY), &args);
        let why = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {out:?}");
        assert!(
            why.contains("Permission denied") && why.contains("journal"),
            "{args:?} does not say permission was denied on the journal: {why}"
        );
        assert_eq!(out.stdout, b"", "{args:?}");
        assert_eq!(p.snapshot(), before, "{args:?} changed something");
    }
    // Reading it is still allowed, and shows root's two commands only.
    let out = p.run(Some(NOBODY), &["state", p.m(), "--json"]);
    assert!(out.status.success(), "{out:?}");
    let state: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(state["last_seq"], 2);
    assert_eq!(state["floor"]["delegation"], "Mali");
}

#[test]
fn a_log_folder_its_officer_cannot_write_refuses_the_first_command_and_says_why() {
    let Some(p) = Place::new() else { return };
    fs::create_dir(&p.logs).expect("the log folder");
    chmod(&p.logs, 0o755);
    let out = p.run(Some(NOBODY), &["do", p.m(), "open"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(stderr(&out).contains("Permission denied"), "{out:?}");
    assert!(!p.meeting_dir().exists(), "a folder was made");
}

/// The modes gavel gives its files keep other users out: an officer who is
/// not in the journal's group cannot even read it, and is told so.
#[test]
fn other_users_cannot_read_a_journal_made_with_the_default_modes() {
    let Some(p) = Place::new() else { return };
    p.root_does(&["open"]);
    assert_eq!(mode(&p.meeting_dir()), 0o750);
    for args in [
        vec!["state", p.m()],
        vec!["verify", p.m()],
        vec!["tail", p.m(), "--json"],
    ] {
        let out = p.run(Some(NOBODY), &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {out:?}");
        assert!(
            stderr(&out).contains("Permission denied"),
            "{args:?}: {out:?}"
        );
    }
}

#[test]
fn reading_needs_no_write_access() {
    let Some(p) = Place::new() else { return };
    for words in [
        &["open"][..],
        &["next"],
        &["note", "Mali opens #summary"],
        &["seat", "brazil"],
    ] {
        p.root_does(words);
    }
    let as_root: Vec<Output> = [
        vec!["state", p.m()],
        vec!["state", p.m(), "--json"],
        vec!["tail", p.m()],
        vec!["tail", p.m(), "--json"],
        vec!["verify", p.m()],
    ]
    .iter()
    .map(|args| p.run(None, args))
    .collect();
    // Nobody may read, and nothing more: folders r-x, files r--.
    chmod(&p.journal(), 0o444);
    chmod(&p.session_log(), 0o444);
    chmod(&p.meeting_dir(), 0o555);
    chmod(&p.logs, 0o555);
    let before = p.snapshot();

    for (args, root) in [
        vec!["state", p.m()],
        vec!["state", p.m(), "--json"],
        vec!["tail", p.m()],
        vec!["tail", p.m(), "--json"],
        vec!["verify", p.m()],
    ]
    .iter()
    .zip(&as_root)
    {
        let out = p.run(Some(NOBODY), args);
        assert!(out.status.success(), "{args:?} as nobody: {out:?}");
        assert_eq!(out.stderr, b"", "{args:?}");
        // The path in verify's report is the same; the rest must be too.
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&root.stdout),
            "{args:?}: nobody reads otherwise than root"
        );
    }

    for (args, shows) in [
        (vec!["run", p.m(), "--read-only"], "Mali opens"),
        (vec!["board", p.m()], "H.E. Mr. Ibrahim Boubacar Keïta"),
    ] {
        let mut g = Screen::start(&p, NOBODY, None, &args);
        g.wait_for(shows, 3 * SECOND);
        if args[0] == "run" {
            g.type_keys(":note from nobody\r");
            g.wait_for("read-only", SECOND);
            g.type_keys("qy");
        } else {
            g.type_keys("q");
        }
        let code = g.wait_exit(2 * SECOND);
        assert_eq!(code, Some(0), "{args:?} as nobody:\n{}", g.contents());
    }
    assert_eq!(p.snapshot(), before, "a reader changed something");

    // A torn tail is reported and left alone: cutting it needs write access.
    chmod(&p.journal(), 0o644);
    let mut torn = fs::read(p.journal()).expect("the journal");
    torn.extend_from_slice(b"{\"v\":1,\"seq\":5,\"at\":\"2017-09");
    fs::write(p.journal(), &torn).expect("a torn journal");
    chmod(&p.journal(), 0o444);
    let before = p.snapshot();
    let out = p.run(Some(NOBODY), &["state", p.m()]);
    assert!(out.status.success(), "{out:?}");
    assert!(
        stderr(&out).contains("left as it is (read-only)"),
        "{out:?}"
    );
    assert_eq!(p.snapshot(), before);
}

#[test]
fn an_officer_s_files_are_0640_in_a_0750_folder_whatever_the_umask() {
    let Some(p) = Place::new() else { return };
    fs::create_dir(&p.logs).expect("the log folder");
    chown(&p.logs, NOBODY);

    let mut g = Screen::start(&p, NOBODY, Some(0o000), &["run", p.m()]);
    g.wait_for("Speakers", 3 * SECOND);
    g.type_keys(":open\r");
    g.wait_for("OPEN", SECOND);
    g.wait_for(" saved ", SECOND);
    g.type_keys("qy");
    assert_eq!(g.wait_exit(2 * SECOND), Some(0), "{}", g.contents());

    for (path, want) in [
        (p.meeting_dir(), 0o750),
        (p.journal(), 0o640),
        (p.session_log(), 0o640),
    ] {
        assert_eq!(mode(&path), want, "{}", path.display());
        let owner = fs::metadata(&path).expect("metadata");
        assert_eq!((owner.uid(), owner.gid()), (NOBODY, NOBODY));
    }

    // The end of a crashed write is kept aside with the journal's modes.
    let mut torn = fs::read(p.journal()).expect("the journal");
    torn.extend_from_slice(b"{\"v\":1,\"seq\":2,\"at\":\"2017-09");
    fs::write(p.journal(), &torn).expect("a torn journal");
    let mut command = p.command(Some(NOBODY));
    command.args(["do", p.m(), "note", "after the crash"]);
    // SAFETY: umask only swaps the child's own file-creation mask.
    unsafe {
        command.pre_exec(|| {
            libc::umask(0o000);
            Ok(())
        });
    }
    let out = command.output().expect("gavel runs");
    assert!(out.status.success(), "{out:?}");
    let kept: Vec<PathBuf> = fs::read_dir(p.meeting_dir())
        .expect("the folder")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.to_string_lossy().contains("journal.torn-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(mode(&kept[0]), 0o640);
    assert_eq!(fs::metadata(&kept[0]).expect("metadata").uid(), NOBODY);
}

// ---------------------------------------------------------------------------
// A terminal for a process of another user
// ---------------------------------------------------------------------------

/// gavel in a pseudo-terminal as another user, read through vt100. The pty
/// harness in `support::pty` cannot change the child's user, hence this one.
struct Screen {
    master: std::fs::File,
    child: Child,
    parser: Arc<Mutex<vt100::Parser>>,
    stop: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
}

impl Screen {
    fn start(p: &Place, uid: u32, umask: Option<libc::mode_t>, args: &[&str]) -> Screen {
        let (mut master, mut slave) = (-1, -1);
        let size = libc::winsize {
            ws_row: 30,
            ws_col: 100,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: the out-pointers are valid; the name is not asked for.
        let rc = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                &size,
            )
        };
        assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
        // SAFETY: openpty just returned both descriptors, owned by nobody else.
        let (master, slave) =
            unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
        close_on_exec(&master);
        close_on_exec(&slave);
        let mut command = p.command(Some(uid));
        command
            .args(args)
            .stdin(slave.try_clone().expect("dup"))
            .stdout(slave.try_clone().expect("dup"))
            .stderr(slave.try_clone().expect("dup"));
        // SAFETY: setsid, ioctl and umask are async-signal-safe; the child
        // becomes a session leader whose controlling terminal is the pty.
        unsafe {
            command.pre_exec(move || {
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                if let Some(mask) = umask {
                    libc::umask(mask);
                }
                Ok(())
            });
        }
        let child = command.spawn().expect("gavel starts as another user");
        // Only the child holds the slave now: its exit ends the output.
        drop(slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(30).expect("rows"),
            std::num::NonZeroU16::new(100).expect("cols"),
            0,
        )));
        let stop = Arc::new(AtomicBool::new(false));
        let reader = read_into(&master, parser.clone(), stop.clone());
        Screen {
            master: std::fs::File::from(master),
            child,
            parser,
            stop,
            reader: Some(reader),
        }
    }

    fn contents(&self) -> String {
        let parser = self.parser.lock().unwrap_or_else(|e| e.into_inner());
        parser.screen().contents()
    }

    fn wait_for(&self, text: &str, timeout: Duration) {
        let start = Instant::now();
        while !self.contents().contains(text) {
            assert!(
                start.elapsed() < timeout,
                "{text:?} not seen within {timeout:?}:\n{}",
                self.contents()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn type_keys(&mut self, keys: &str) {
        self.master
            .write_all(keys.as_bytes())
            .expect("the pty takes input");
    }

    fn wait_exit(&mut self, timeout: Duration) -> Option<i32> {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status.code();
            }
            if start.elapsed() > timeout {
                return None;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            // A failed test must not leave a gavel running on the shared host.
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        self.stop.store(true, Ordering::SeqCst);
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
    }
}

/// Reads on a duplicate of the master with a short poll, so that the thread
/// can be stopped; answers cursor-position queries as a terminal does.
/// So that a process another test starts cannot hold the terminal open:
/// only the child may keep the slave side once it is started.
fn close_on_exec(fd: &OwnedFd) {
    // SAFETY: fcntl on a descriptor this process owns.
    let rc = unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC) };
    assert_eq!(rc, 0, "FD_CLOEXEC: {}", std::io::Error::last_os_error());
}

fn read_into(
    master: &OwnedFd,
    parser: Arc<Mutex<vt100::Parser>>,
    stop: Arc<AtomicBool>,
) -> JoinHandle<()> {
    let fd = master.try_clone().expect("dup of the master");
    std::thread::spawn(move || {
        let mut answers = std::fs::File::from(fd.try_clone().expect("dup of the master"));
        let mut buf = [0u8; 8192];
        while !stop.load(Ordering::SeqCst) {
            let mut poll = libc::pollfd {
                fd: fd.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd.
            if unsafe { libc::poll(&mut poll, 1, 20) } <= 0 {
                continue;
            }
            // SAFETY: reads into a buffer of that length.
            let n = unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
            if n <= 0 {
                // EIO: the child, the slave's last holder, has gone.
                return;
            }
            let bytes = &buf[..n as usize];
            let mut parser = parser.lock().unwrap_or_else(|e| e.into_inner());
            parser.process(bytes);
            let queries = bytes.windows(4).filter(|w| *w == b"\x1b[6n").count();
            if queries > 0 {
                let (row, col) = parser.screen().cursor_position();
                let answer = format!("\x1b[{};{}R", row + 1, col + 1).repeat(queries);
                let _ = answers.write_all(answer.as_bytes());
            }
        }
    })
}
