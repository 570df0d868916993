//! The real `gavel` binary in a pseudo-terminal: what it writes is fed to a
//! terminal emulator, so tests read the screen a user would see, and the raw
//! bytes are kept to check the escape sequences themselves.

use std::io::Write;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

use crate::support::{GAVEL, SEED_ID};

pub const NOW: &str = "2017-09-20T15:29:00-04:00";

pub const BEGIN_FRAME: &[u8] = b"\x1b[?2026h";
pub const END_FRAME: &[u8] = b"\x1b[?2026l";
pub const LEAVE_ALTERNATE: &[u8] = b"\x1b[?1049l";
pub const SHOW_CURSOR: &[u8] = b"\x1b[?25h";

/// What the child has written so far.
pub struct Seen {
    pub parser: vt100::Parser,
    pub raw: Vec<u8>,
    /// The slave side is closed: every process on the terminal has gone.
    pub closed: bool,
}

pub struct Gavel {
    master: Option<Box<dyn MasterPty + Send>>,
    writer: Option<Box<dyn Write + Send>>,
    child: Box<dyn Child + Send + Sync>,
    seen: Arc<Mutex<Seen>>,
    stop: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
    pub pid: i32,
    status: Option<ExitStatus>,
}

/// The environment every gavel process in these tests gets: its own log dir
/// and config dir, so nothing of the user's leaks in or out.
pub fn env_for(log_dir: &Path) -> Vec<(&'static str, PathBuf)> {
    vec![
        ("TERM", "xterm-256color".into()),
        ("GAVEL_LOG_DIR", log_dir.into()),
        ("GAVEL_NOW", NOW.into()),
        ("XDG_CONFIG_HOME", log_dir.join("config")),
        ("XDG_DATA_HOME", log_dir.join("data")),
    ]
}

/// The terminal's answer to a cursor-position query, `ESC [ 6 n`.
pub const CURSOR_QUERY: &[u8] = b"\x1b[6n";

impl Gavel {
    /// As on a real terminal, cursor-position queries are answered.
    pub fn start(args: &[&str], log_dir: &Path, cols: u16, rows: u16) -> Gavel {
        Gavel::start_answering(args, log_dir, cols, rows, true)
    }

    pub fn start_answering(
        args: &[&str],
        log_dir: &Path,
        cols: u16,
        rows: u16,
        answers_queries: bool,
    ) -> Gavel {
        Gavel::start_with(args, log_dir, (cols, rows), answers_queries, &[])
    }

    /// As `start_answering`, with more environment variables.
    pub fn start_with(
        args: &[&str],
        log_dir: &Path,
        (cols, rows): (u16, u16),
        answers_queries: bool,
        extra_env: &[(&str, &str)],
    ) -> Gavel {
        let pair = native_pty_system()
            .openpty(size(cols, rows))
            .expect("a pseudo-terminal");
        let mut cmd = CommandBuilder::new(GAVEL);
        cmd.args(args);
        cmd.cwd(env!("CARGO_MANIFEST_DIR"));
        cmd.env_remove("NO_COLOR");
        for (key, value) in env_for(log_dir) {
            cmd.env(key, value);
        }
        for (key, value) in extra_env {
            cmd.env(key, value);
        }
        let child = pair.slave.spawn_command(cmd).expect("gavel starts");
        // Only the child may hold the slave side: then its exit is seen as
        // the end of output, and closing the master is a real hang-up.
        drop(pair.slave);
        let master = pair.master;
        let writer = master.take_writer().expect("the pty's writer");
        let seen = Arc::new(Mutex::new(Seen {
            parser: vt100::Parser::new(nz(rows), nz(cols), 0),
            raw: Vec::new(),
            closed: false,
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let fd = master.as_raw_fd().expect("a unix pty");
        let reader = read_into(fd, seen.clone(), stop.clone(), answers_queries);
        let pid = child.process_id().expect("a running child") as i32;
        Gavel {
            master: Some(master),
            writer: Some(writer),
            child,
            seen,
            stop,
            reader: Some(reader),
            pid,
            status: None,
        }
    }

    pub fn seen(&self) -> MutexGuard<'_, Seen> {
        self.seen.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn raw_len(&self) -> usize {
        self.seen().raw.len()
    }

    pub fn raw(&self) -> Vec<u8> {
        self.seen().raw.clone()
    }

    pub fn contents(&self) -> String {
        self.seen().parser.screen().contents()
    }

    /// The screen's rows joined by spaces, so a sentence wrapped over two
    /// rows still reads as one.
    pub fn flat(&self) -> String {
        let seen = self.seen();
        let (_, cols) = seen.parser.screen().size();
        let rows: Vec<String> = seen
            .parser
            .screen()
            .rows(0, cols.get())
            .map(|r| r.trim().to_string())
            .collect();
        rows.join(" ")
    }

    pub fn rows(&self) -> Vec<String> {
        let seen = self.seen();
        let (_, cols) = seen.parser.screen().size();
        seen.parser.screen().rows(0, cols.get()).collect()
    }

    /// The status line: the row above the footer.
    pub fn status_row(&self) -> String {
        let rows = self.rows();
        rows[rows.len() - 2].clone()
    }

    /// Waits until `ok` holds for the screen, and says how long it took.
    pub fn wait_until(
        &self,
        what: &str,
        timeout: Duration,
        ok: impl Fn(&Gavel) -> bool,
    ) -> Duration {
        let start = Instant::now();
        loop {
            if ok(self) {
                return start.elapsed();
            }
            if start.elapsed() > timeout {
                panic!(
                    "not seen within {timeout:?}: {what}\n--- screen ---\n{}\n--------------",
                    self.contents()
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn wait_for(&self, text: &str, timeout: Duration) -> Duration {
        self.wait_until(&format!("{text:?} on the screen"), timeout, |g| {
            g.contents().contains(text)
        })
    }

    /// Keys as a terminal sends them: `\r` is Enter.
    pub fn type_keys(&mut self, keys: &str) {
        let writer = self.writer.as_mut().expect("the pty is still open");
        writer
            .write_all(keys.as_bytes())
            .expect("the pty takes input");
        writer.flush().expect("the pty takes input");
    }

    /// Tells the child the window changed; the emulator changes first, so
    /// what is drawn for the new size lands on a screen of that size.
    pub fn resize(&self, cols: u16, rows: u16) {
        self.seen().parser.set_size(nz(rows), nz(cols));
        self.master
            .as_ref()
            .expect("the pty is still open")
            .resize(size(cols, rows))
            .expect("the pty resizes");
    }

    pub fn signal(&self, signal: libc::c_int) {
        // The pid is our own child's, not yet reaped, so it cannot be reused.
        let rc = unsafe { libc::kill(self.pid, signal) };
        assert_eq!(rc, 0, "kill({}, {signal})", self.pid);
    }

    /// The terminal goes away, as when an SSH connection drops: every handle
    /// on the master side is closed.
    pub fn hang_up(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(reader) = self.reader.take() {
            reader.join().expect("the reader thread");
        }
        drop(self.writer.take());
        drop(self.master.take());
    }

    /// Waits for the child to end; `None` if it is still running.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let start = Instant::now();
        loop {
            if let Some(status) = &self.status {
                return Some(status.clone());
            }
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                self.status = Some(status.clone());
                return Some(status);
            }
            if start.elapsed() > timeout {
                return None;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Waits until everything the child wrote has been read.
    pub fn wait_output_closed(&self, timeout: Duration) {
        let start = Instant::now();
        while !self.seen().closed {
            assert!(
                start.elapsed() < timeout,
                "the pty's output did not end within {timeout:?}"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// The pty's local modes (`c_lflag`), read through the master side.
    pub fn local_modes(&self) -> libc::tcflag_t {
        let fd = self
            .master
            .as_ref()
            .and_then(|m| m.as_raw_fd())
            .expect("the pty is still open");
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        let rc = unsafe { libc::tcgetattr(fd, &mut t) };
        assert_eq!(rc, 0, "tcgetattr on the master");
        t.c_lflag
    }
}

impl Drop for Gavel {
    fn drop(&mut self) {
        if self.status.is_none() && self.child.try_wait().ok().flatten().is_none() {
            // A failed test must not leave a gavel running on the shared host.
            unsafe { libc::kill(self.pid, libc::SIGKILL) };
            let _ = self.child.wait();
        }
        self.stop.store(true, Ordering::SeqCst);
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
    }
}

fn size(cols: u16, rows: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("a size above zero")
}

/// Reads on a duplicate of the master's descriptor, polling so that the
/// thread can be told to stop and close it: a reader blocked in read(2)
/// would keep the master side open, and a hang-up could never be tested.
fn read_into(
    master: RawFd,
    seen: Arc<Mutex<Seen>>,
    stop: Arc<AtomicBool>,
    answers_queries: bool,
) -> JoinHandle<()> {
    let fd = dup(master);
    let answers = dup(master);
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        // Where the search for queries resumes: one may span two reads.
        let mut scanned = 0;
        while !stop.load(Ordering::SeqCst) {
            let mut poll = libc::pollfd {
                fd: fd.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            let ready = unsafe { libc::poll(&mut poll, 1, 20) };
            if ready <= 0 {
                continue;
            }
            let n = unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
            if n < 0 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
            if n <= 0 {
                // EIO: the last holder of the slave side closed it.
                seen.closed = true;
                return;
            }
            let bytes = &buf[..n as usize];
            seen.parser.process(bytes);
            seen.raw.extend_from_slice(bytes);
            let queries = find_all(&seen.raw[scanned..], CURSOR_QUERY).len();
            scanned = seen.raw.len().saturating_sub(CURSOR_QUERY.len() - 1);
            if answers_queries && queries > 0 {
                let (row, col) = seen.parser.screen().cursor_position();
                let answer = format!("\x1b[{};{}R", row + 1, col + 1).repeat(queries);
                let written = unsafe {
                    libc::write(answers.as_raw_fd(), answer.as_ptr().cast(), answer.len())
                };
                assert_eq!(written, answer.len() as isize, "answering a cursor query");
            }
        }
    })
}

/// Close-on-exec, as portable-pty makes its own: a process that another
/// test starts meanwhile must not keep this terminal open after the test
/// hangs it up.
fn dup(fd: RawFd) -> OwnedFd {
    let fd = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0) };
    assert!(fd >= 0, "dup of the pty master");
    unsafe { OwnedFd::from_raw_fd(fd) }
}

/// Where `needle` occurs in `haystack`, in order.
pub fn find_all(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !find_all(haystack, needle).is_empty()
}

/// `gavel ARGS…` run to its end, outside any terminal.
pub fn output(log_dir: &Path, args: &[&str]) -> std::process::Output {
    let mut cmd = std::process::Command::new(GAVEL);
    cmd.args(args).env_remove("NO_COLOR");
    for (key, value) in env_for(log_dir) {
        cmd.env(key, value);
    }
    cmd.output().expect("gavel runs")
}

pub fn journal_path(log_dir: &Path) -> PathBuf {
    log_dir.join(SEED_ID).join("journal.jsonl")
}

/// The journal's event types, in order.
pub fn journal_events(log_dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(journal_path(log_dir)).expect("the journal exists");
    text.lines()
        .map(|line| {
            let entry: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            entry["event"]["type"]
                .as_str()
                .expect("an event type")
                .to_string()
        })
        .collect()
}

/// utime + stime of a process, in clock ticks, and its state letter.
pub fn cpu_ticks(pid: i32) -> Option<(u64, char)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces: the fields start after its `)`.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let state = fields.first()?.chars().next()?;
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime, state))
}
