//! A meeting in progress on disk: the journal replayed into a state, the session
//! log kept beside it, and every command taken through decide → append (fsync)
//! → apply. Every front end (`gavel do`, the TUI) goes through here.

mod execute;
mod exports;
mod replay;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::domain::{Described, Entry, Inconsistent, Meeting, Refusal, State, apply_described};
use crate::journal::{
    DiskFile, JOURNAL_FILE, Journal, JournalError, JournalFile, LineFormat, LockWait, Mode, Opened,
    Recovery, SessionLog, Sink, Stopped, session_log,
};
use crate::store::{PgJournal, Place, Store};

pub use execute::Executed;
use replay::{Recent, Replay};

impl LineFormat for Entry {
    const VERSION: u8 = crate::domain::VERSION;

    fn seq(&self) -> u64 {
        self.seq
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error("{0}")]
    Journal(#[from] JournalError),
    #[error(
        "the journal does not fit this meeting file: {0}. gavel will not start, so nothing is overwritten"
    )]
    Inconsistent(#[from] Inconsistent),
    #[error("could not write the session log in {dir}: {source}")]
    SessionLog {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Refused(Refusal),
    #[error("not saved: {0}. The command was not carried out")]
    NotSaved(String),
    /// Sent to the store, which may have saved it and did not say: never
    /// "not saved", since it may be there.
    #[error("not confirmed: {0}")]
    Unconfirmed(String),
    #[error("this instance is read-only: it never writes")]
    ReadOnly,
}

impl LiveError {
    /// Whether it stopped because another process held the journal's lock
    /// longer than it was to be waited for.
    pub fn is_locked(&self) -> bool {
        let source = match self {
            LiveError::Journal(JournalError::Io { action, source, .. }) if *action == "lock" => {
                source
            }
            LiveError::SessionLog { source, .. } => source,
            _ => return false,
        };
        matches!(
            source.kind(),
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::Interrupted
        )
    }
}

/// Generic over the journal's file so that tests can put a failing or
/// forgetful one in place of the disk; everything else uses [`DiskFile`].
pub struct Live<F: JournalFile = DiskFile> {
    pub state: State,
    pub recovery: Recovery,
    pub dir: PathBuf,
    journal: Store<F>,
    log: Option<SessionLog>,
    recent: Recent,
    /// Set while an instance opened by [`Live::open_write_later`] has not
    /// written yet: the session-log lines the log lacked at start-up, for
    /// when it begins.
    unlogged: Option<Vec<(u64, String)>>,
    /// Why the session log is not being written, when it could not be
    /// opened (a planted FIFO, a hard link, a full disk): the journal goes
    /// on without it, and the log catches up from the journal at the next
    /// start that can write it.
    pub log_trouble: Option<String>,
    /// An adjourned meeting's exports found missing when it began to write,
    /// written again from the journal, or why they could not be.
    pub restored: Option<Result<Vec<PathBuf>, String>>,
    /// What the store found worth saying on opening: rows recorded with
    /// another meeting file than this one.
    pub store_notice: Option<String>,
}

impl Live {
    /// Opens `<dir>/journal.jsonl` (the meeting's own folder) and replays it,
    /// applying each line to the state as it is read; waits for the lock as
    /// long as it takes.
    pub fn open(meeting: Arc<Meeting>, dir: &Path, mode: Mode) -> Result<Live, LiveError> {
        Live::open_waiting(meeting, dir, mode, LockWait::default())
    }

    /// As [`Live::open`], waiting for the journal's lock (at start-up and at
    /// every append) as `wait` says.
    pub fn open_waiting(
        meeting: Arc<Meeting>,
        dir: &Path,
        mode: Mode,
        wait: LockWait,
    ) -> Result<Live, LiveError> {
        // The journal first: what stops an officer there is what to say.
        let path = dir.join(JOURNAL_FILE);
        let file = DiskFile::open(&path, mode)
            .map_err(JournalError::io("open", &path))?
            .waiting(wait);
        let log = open_log(dir, mode);
        let mut replay = Replay::new(
            meeting,
            log.as_ref().ok().and_then(Option::as_ref).map(logged),
        );
        let (journal, recovery) = replay_into(file, path, mode, &mut replay)?;
        let mut live = Live::finish(replay, Store::File(journal), recovery, log, dir)?;
        if mode == Mode::ReadWrite {
            live.restored = exports::restore(dir, &live.state);
        }
        Ok(live)
    }

    /// Opens the journal to write, but reads it as a read-only instance does
    /// and creates nothing (not the folder, the journal or the session log)
    /// until the first command that is carried out: a refused one leaves no
    /// trace. Until then a torn tail is only reported, not cut.
    pub fn open_write_later(
        meeting: Arc<Meeting>,
        dir: &Path,
        wait: LockWait,
    ) -> Result<Live, LiveError> {
        let path = dir.join(JOURNAL_FILE);
        let file = DiskFile::open(&path, Mode::ReadOnly)
            .map_err(JournalError::io("open", &path))?
            .waiting(wait);
        // A log that cannot be read now is described in full, and its
        // trouble told when it is written.
        let logged = session_log::last_logged(dir).ok().flatten().unwrap_or(0);
        let mut replay = Replay::new(meeting, Some(logged));
        let (journal, recovery) = replay_into(file, path, Mode::ReadOnly, &mut replay)?;
        let unlogged = std::mem::take(&mut replay.described);
        let mut live = Live::finish(replay, Store::File(journal), recovery, Ok(None), dir)?;
        live.unlogged = Some(unlogged);
        Ok(live)
    }

    /// Opens a meeting's journal in PostgreSQL and replays it; `hash` is the
    /// meeting file's, kept with every row written. The session log and the
    /// exports are kept in `dir` on this host, as for a file journal.
    /// `write_later` reads as [`Live::open_write_later`] does: nothing is
    /// created here before the first command carried out.
    pub fn open_postgres(
        meeting: Arc<Meeting>,
        place: Place,
        hash: String,
        dir: &Path,
        mode: Mode,
        write_later: bool,
    ) -> Result<Live, LiveError> {
        let (log, logged) = if write_later {
            let logged = session_log::last_logged(dir).ok().flatten().unwrap_or(0);
            (Ok(None), Some(logged))
        } else {
            if mode == Mode::ReadWrite {
                make_folder(dir);
            }
            let log = open_log(dir, mode);
            let logged = log.as_ref().ok().and_then(Option::as_ref).map(logged);
            (log, logged)
        };
        let time_zone = meeting.tz.clone();
        let mut replay = Replay::new(meeting, logged);
        let opened_mode = if write_later { Mode::ReadOnly } else { mode };
        let mut journal =
            PgJournal::open_each(place, hash, opened_mode, &mut replay).map_err(|stopped| {
                match stopped {
                    Stopped::Journal(e) => LiveError::from(e),
                    Stopped::Sink(e) => LiveError::from(e),
                }
            })?;
        journal.time_zone = time_zone;
        let unlogged = write_later.then(|| std::mem::take(&mut replay.described));
        let store_notice = journal.other_file.clone();
        let mut live = Live::finish(
            replay,
            Store::Postgres(Box::new(journal)),
            Recovery::default(),
            log,
            dir,
        )?;
        live.unlogged = unlogged;
        live.store_notice = store_notice;
        if mode == Mode::ReadWrite && !write_later {
            live.restored = exports::restore(dir, &live.state);
        }
        Ok(live)
    }
}

/// The meeting's folder, for the session log and the exports of a meeting
/// whose journal is not in it. Made as a file journal's is; when it cannot
/// be, opening the session log says why.
fn make_folder(dir: &Path) {
    use crate::files::{Access, Folder, check_folder, create_dirs};
    if let Ok(Folder::Missing) = check_folder(dir, Access::Write) {
        let _ = create_dirs(dir);
    }
}

/// The session log's last seq, for the replay to describe what it lacks.
fn logged(log: &SessionLog) -> u64 {
    log.last_seq().unwrap_or(0)
}

fn replay_into(
    file: DiskFile,
    path: PathBuf,
    mode: Mode,
    replay: &mut Replay,
) -> Result<(Journal<Entry>, Recovery), LiveError> {
    Journal::attach_each(file, path, mode, replay).map_err(|stopped| match stopped {
        Stopped::Journal(e) => LiveError::from(e),
        Stopped::Sink(e) => LiveError::from(e),
    })
}

fn open_log(dir: &Path, mode: Mode) -> Result<Option<SessionLog>, LiveError> {
    match mode {
        Mode::ReadWrite => SessionLog::open(dir)
            .map(Some)
            .map_err(|source| log_error(dir, source)),
        Mode::ReadOnly => Ok(None),
    }
}

/// The session log given the lines it lacks; when it cannot be opened or
/// written, why, and no log: the journal, which the log is made from, goes on.
fn caught_up(
    log: Result<Option<SessionLog>, LiveError>,
    missing: &[(u64, String)],
    dir: &Path,
) -> (Option<SessionLog>, Option<String>) {
    let trouble = |e: LiveError| {
        Some(format!(
            "{e}; the journal goes on, and the log catches up when gavel next starts and can write it"
        ))
    };
    match log {
        Ok(Some(mut log)) => match log.write_missing(missing) {
            Ok(()) => (Some(log), None),
            Err(source) => (None, trouble(log_error(dir, source))),
        },
        Ok(None) => (None, None),
        Err(e) => (None, trouble(e)),
    }
}

fn log_error(dir: &Path, source: std::io::Error) -> LiveError {
    LiveError::SessionLog {
        dir: dir.into(),
        source,
    }
}

impl<F: JournalFile> Live<F> {
    /// Replays a journal already opened on any file; `dir` is the meeting's
    /// folder, where the session log is kept when the journal is read-write.
    pub fn attach(
        meeting: Arc<Meeting>,
        opened: Opened<Entry, F>,
        dir: &Path,
    ) -> Result<Live<F>, LiveError> {
        let log = open_log(dir, opened.journal.mode());
        let mut replay = Replay::new(
            meeting,
            log.as_ref().ok().and_then(Option::as_ref).map(logged),
        );
        replay.expect(opened.lines.last().map_or(0, |e| e.seq));
        for entry in opened.lines {
            replay.take(entry)?;
        }
        Live::finish(
            replay,
            Store::File(opened.journal),
            opened.recovery,
            log,
            dir,
        )
    }

    /// The session log given the lines it lacks, once the journal is replayed.
    fn finish(
        replay: Replay,
        journal: Store<F>,
        recovery: Recovery,
        log: Result<Option<SessionLog>, LiveError>,
        dir: &Path,
    ) -> Result<Live<F>, LiveError> {
        let (log, log_trouble) = caught_up(log, &replay.described, dir);
        Ok(Live {
            state: replay.state,
            recovery,
            dir: dir.to_path_buf(),
            journal,
            log,
            recent: replay.recent,
            unlogged: None,
            log_trouble,
            restored: None,
            store_notice: None,
        })
    }

    /// Others' events since the last look, applied, with their session-log lines.
    pub fn poll(&mut self) -> Result<Vec<Described>, LiveError> {
        let mut seen = Vec::new();
        for entry in self.journal.poll()? {
            let described = apply_described(&mut self.state, entry)?;
            self.recent.remember(&described);
            seen.push(described);
        }
        Ok(seen)
    }

    /// The journal file's path; `None` for a journal kept in a database.
    pub fn journal_path(&self) -> Option<&Path> {
        self.journal.path()
    }

    /// Where the journal is, in words.
    pub fn store_shown(&self) -> String {
        self.journal.shown()
    }

    /// The meeting file's text, for a store that keeps it beside the events
    /// (PostgreSQL, with the next append); the file journal keeps none.
    pub fn keep_meeting_file(&mut self, text: String) {
        if let Store::Postgres(j) = &mut self.journal {
            j.keep_file(text);
        }
    }

    /// Since when the store has been out of reach, while it is.
    pub fn store_down_since(&self) -> Option<jiff::Timestamp> {
        match &self.journal {
            Store::Postgres(j) => j.down_since(),
            Store::File(_) => None,
        }
    }

    /// Where the store's appends stand, for another thread to watch (the
    /// TUI's status line, `gavel do`'s Ctrl-C); `None` for the file journal,
    /// whose waits are for its lock.
    pub fn save_progress(&self) -> Option<crate::store::progress::Progress> {
        self.journal.progress().cloned()
    }

    /// How long appends wait for the journal's lock from now on.
    pub fn wait_for_lock(&mut self, wait: LockWait) {
        self.journal.wait_for_lock(wait);
    }
}
