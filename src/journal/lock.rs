//! Waiting for a file's exclusive lock without waiting blind: a process that
//! holds it may be stopped (Ctrl-Z, SIGSTOP) or hung, and then an officer
//! must be told who holds it, and `gavel do` must give up after a while.
//!
//! `flock` has no timeout, and polling it would make every writer wait a
//! poll period after each release. So the lock is tried once, and when it
//! is held, a helper thread blocks in `flock` on a duplicate of the same
//! descriptor (the lock belongs to the open file, so the helper's lock is
//! ours) while this thread watches the clock and says how long it has waited.
//! The helper is kept for the next wait: under contention, starting a thread
//! for each would cost more than the wait.

use std::fmt;
use std::fs::{File, TryLockError};
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock, mpsc};
use std::time::{Duration, Instant};

/// How long a writer waits for the journal's lock, and who hears about it.
#[derive(Clone, Default)]
pub struct LockWait {
    /// `None`: until it comes (or `watch` gives up).
    pub limit: Option<Duration>,
    /// Told every tenth of a second while waiting; returning false gives up
    /// (the officer quit).
    pub watch: Option<Watch>,
}

/// Told about a wait under way; false gives up.
pub type Watch = Arc<dyn Fn(&Waiting) -> bool + Send + Sync>;

impl fmt::Debug for LockWait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LockWait")
            .field("limit", &self.limit)
            .field("watch", &self.watch.is_some())
            .finish()
    }
}

impl LockWait {
    pub fn at_most(limit: Duration) -> LockWait {
        LockWait {
            limit: Some(limit),
            watch: None,
        }
    }
}

/// A wait under way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub waited: Duration,
    /// Who holds the lock, where that can be known.
    pub holder: Option<Holder>,
}

impl fmt::Display for Waiting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "waiting for the journal's lock ({} s)",
            self.waited.as_secs()
        )?;
        if let Some(holder) = &self.holder {
            write!(f, ": held by {holder}")?;
        }
        Ok(())
    }
}

/// The process holding a lock, as `/proc` tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub pid: u32,
    /// Its command line, sanitised (it comes from another user's process).
    pub command: String,
    pub user: String,
    /// Stopped by Ctrl-Z or SIGSTOP (or a debugger): it will not let go by itself.
    pub stopped: bool,
    /// Gone, though the lock it took is held still: by a process it started,
    /// which inherited the open file.
    pub ended: bool,
}

impl fmt::Display for Holder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ended {
            return write!(
                f,
                "process {}, which has ended; a process it started holds it still",
                self.pid
            );
        }
        write!(
            f,
            "process {} ({}) of user {}",
            self.pid, self.command, self.user
        )?;
        if self.stopped {
            write!(
                f,
                ", which is stopped (Ctrl-Z or SIGSTOP): `fg` in its terminal or \
                 `kill -CONT {}` lets it go on",
                self.pid
            )?;
        }
        Ok(())
    }
}

/// How far the helper thread got with the lock it was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Helper {
    Idle,
    Waiting,
    Got,
    Failed(i32),
    /// The waiter gave up: the helper lets go of the lock if it gets it.
    Abandoned,
}

type Shared = Arc<(Mutex<Helper>, Condvar)>;

/// Takes one open file's exclusive lock as its [`LockWait`] says: at once
/// when it is free; otherwise through a helper thread, started the first
/// time and kept, that blocks in `flock` on a duplicate of the descriptor.
#[derive(Debug, Default)]
pub struct Locker {
    pub wait: LockWait,
    helper: OnceLock<(mpsc::Sender<()>, Shared)>,
    /// A wait was given up: the helper may still be blocked in `flock` on
    /// this descriptor, and would let go of a lock taken later, so this
    /// locker takes none again.
    gave_up: AtomicBool,
}

impl Locker {
    pub fn new(wait: LockWait) -> Locker {
        Locker {
            wait,
            ..Locker::default()
        }
    }

    /// On giving up, the error says who holds the lock: `TimedOut` when the
    /// limit passed, `Interrupted` when the watch gave up.
    pub fn lock(&self, file: &File) -> io::Result<()> {
        if self.gave_up.load(Ordering::Relaxed) {
            return Err(io::Error::other(
                "an earlier wait for its lock was given up; restart gavel",
            ));
        }
        match file.try_lock() {
            Ok(()) => return Ok(()),
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(e)) => return Err(e),
        }
        if self.wait.limit == Some(Duration::ZERO) {
            return Err(given_up(file, Duration::ZERO, io::ErrorKind::TimedOut));
        }
        let shared = self.ask(file)?;
        let locked = watch(file, &self.wait, &shared);
        if locked.is_err() && *state(&shared) == Helper::Abandoned {
            self.gave_up.store(true, Ordering::Relaxed);
        }
        locked
    }

    /// Asks the helper (started now if need be) to take the lock.
    fn ask(&self, file: &File) -> io::Result<Shared> {
        let (asks, shared) = match self.helper.get() {
            Some(helper) => helper,
            None => {
                let helper = start_helper(file.try_clone()?)?;
                self.helper.get_or_init(|| helper)
            }
        };
        *state(shared) = Helper::Waiting;
        asks.send(())
            .map_err(|_| io::Error::other("the lock's helper thread has stopped"))?;
        Ok(Arc::clone(shared))
    }
}

fn state(shared: &Shared) -> std::sync::MutexGuard<'_, Helper> {
    shared.0.lock().unwrap_or_else(|e| e.into_inner())
}

fn start_helper(file: File) -> io::Result<(mpsc::Sender<()>, Shared)> {
    let shared: Shared = Arc::new((Mutex::new(Helper::Idle), Condvar::new()));
    let (asks, asked) = mpsc::channel::<()>();
    let theirs = Arc::clone(&shared);
    std::thread::Builder::new()
        .name("journal lock".into())
        .spawn(move || {
            for () in asked {
                help(&file, &theirs);
            }
        })?;
    Ok((asks, shared))
}

/// The helper: block in `flock`, then tell the waiter, or let go again if
/// the waiter has gone.
fn help(file: &File, shared: &Shared) {
    let result = file.lock();
    let mut helper = state(shared);
    match (*helper, result) {
        (Helper::Abandoned, Ok(())) => {
            let _ = file.unlock();
        }
        (_, Ok(())) => *helper = Helper::Got,
        (_, Err(e)) => *helper = Helper::Failed(e.raw_os_error().unwrap_or(libc::EIO)),
    }
    shared.1.notify_all();
}

fn watch(file: &File, wait: &LockWait, shared: &Shared) -> io::Result<()> {
    const LOOK: Duration = Duration::from_millis(100);
    let started = Instant::now();
    let (state, changed) = &**shared;
    let lock = || state.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        let pause = wait.limit.map_or(LOOK, |limit| {
            limit.saturating_sub(started.elapsed()).min(LOOK)
        });
        let guard = changed
            .wait_timeout_while(lock(), pause, |s| *s == Helper::Waiting)
            .unwrap_or_else(|e| e.into_inner())
            .0;
        if let Some(done) = outcome(*guard) {
            return done;
        }
        drop(guard);
        // Not holding the helper's state meanwhile: the watch reads `/proc`.
        let waited = started.elapsed();
        let over = wait.limit.is_some_and(|limit| waited >= limit);
        let go_on = !over
            && wait.watch.as_ref().is_none_or(|w| {
                w(&Waiting {
                    waited,
                    holder: holder(file),
                })
            });
        if !go_on {
            let mut guard = lock();
            // The helper may have got it meanwhile; then it is ours after all.
            if let Some(done) = outcome(*guard) {
                return done;
            }
            *guard = Helper::Abandoned;
            let kind = if over {
                io::ErrorKind::TimedOut
            } else {
                io::ErrorKind::Interrupted
            };
            return Err(given_up(file, waited, kind));
        }
    }
}

fn outcome(state: Helper) -> Option<io::Result<()>> {
    match state {
        Helper::Got => Some(Ok(())),
        Helper::Failed(errno) => Some(Err(io::Error::from_raw_os_error(errno))),
        Helper::Idle | Helper::Waiting | Helper::Abandoned => None,
    }
}

fn given_up(file: &File, waited: Duration, kind: io::ErrorKind) -> io::Error {
    let who = holder(file).map_or_else(
        || "another process holds it".to_string(),
        |h| format!("it is held by {h}"),
    );
    let within = match waited.as_millis() {
        0 => "it is locked".to_string(),
        ms => format!("it was not let go within {:.1} s", ms as f64 / 1000.0),
    };
    io::Error::new(kind, format!("{within}; {who}"))
}

/// The process that holds `file`'s lock, from `/proc/locks`.
pub fn holder(file: &File) -> Option<Holder> {
    use std::os::unix::fs::MetadataExt;
    let meta = file.metadata().ok()?;
    let dev = meta.dev();
    let id = format!(
        "{:02x}:{:02x}:{}",
        libc::major(dev),
        libc::minor(dev),
        meta.ino()
    );
    let locks = std::fs::read_to_string("/proc/locks").ok()?;
    let pid = locks.lines().find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        // `1: FLOCK ADVISORY WRITE 4242 fd:01:123 0 EOF`; waiters have `->`.
        (fields.get(1) == Some(&"FLOCK") && fields.get(5) == Some(&id.as_str()))
            .then(|| fields.get(4)?.parse::<u32>().ok())
            .flatten()
    })?;
    Some(describe(pid))
}

fn describe(pid: u32) -> Holder {
    let proc = format!("/proc/{pid}");
    if !std::path::Path::new(&proc).exists() {
        return Holder {
            pid,
            command: String::new(),
            user: String::new(),
            stopped: false,
            ended: true,
        };
    }
    let command = std::fs::read(format!("{proc}/cmdline"))
        .map(|raw| {
            let words: Vec<String> = raw
                .split(|&b| b == 0)
                .filter(|w| !w.is_empty())
                .map(|w| String::from_utf8_lossy(w).into_owned())
                .collect();
            crate::text::Clean::new(&words.join(" ")).into_string()
        })
        .unwrap_or_default();
    let status = std::fs::read_to_string(format!("{proc}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(str::trim)
            .unwrap_or_default()
            .to_string()
    };
    let stopped = field("State:").starts_with('T') || field("State:").starts_with('t');
    let uid = field("Uid:")
        .split_whitespace()
        .next()
        .and_then(|u| u.parse().ok());
    Holder {
        pid,
        command: if command.is_empty() {
            "unknown command".into()
        } else {
            command
        },
        user: uid.map_or_else(|| "unknown".into(), user_name),
        stopped,
        ended: false,
    }
}

fn user_name(uid: u32) -> String {
    let mut buf = vec![0 as libc::c_char; 4096];
    // SAFETY: a zeroed passwd is a valid out-parameter.
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is valid for the call, with the buffer's real length.
    let rc = unsafe { libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut found) };
    if rc != 0 || found.is_null() || pwd.pw_name.is_null() {
        return format!("uid {uid}");
    }
    // SAFETY: getpwuid_r set pw_name to a NUL-terminated string inside `buf`.
    let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
    crate::text::Clean::new(&name.to_string_lossy()).into_string()
}
