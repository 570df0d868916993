//! A meeting in progress on disk: the journal replayed into a state, the session
//! log kept beside it, and every command taken through decide → append (fsync)
//! → apply. Every front end (`gavel do`, the TUI) goes through here.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;

use crate::domain::{
    Command, Entry, Inconsistent, Meeting, Refusal, State, apply, decide, describe, entries,
};
use crate::journal::{
    AppendError, DiskFile, JOURNAL_FILE, Journal, JournalError, JournalFile, LockWait, Mode,
    Opened, Recovery, Sequenced, SessionLog, Stopped,
};
use crate::text::Clean;

trait CloneIf: Clone {
    fn clone_if(&self, wanted: bool) -> Option<Self> {
        wanted.then(|| self.clone())
    }
}

impl CloneIf for State {}

impl Sequenced for Entry {
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

/// Described session-log lines kept to fill a gap another writer left.
const RECENT_LINES: usize = 1000;

/// Generic over the journal's file so that tests can put a failing or
/// forgetful one in place of the disk; everything else uses [`DiskFile`].
pub struct Live<F: JournalFile = DiskFile> {
    pub state: State,
    pub recovery: Recovery,
    pub dir: PathBuf,
    journal: Journal<Entry, F>,
    log: Option<SessionLog>,
    recent: VecDeque<(u64, String)>,
}

/// What one command did: the events others appended meanwhile, applied
/// whatever became of ours, then ours or why not.
#[derive(Debug)]
pub struct Executed {
    pub others: Vec<(Entry, String)>,
    pub ours: Result<Vec<(Entry, String)>, LiveError>,
    /// Done, but the session log could not be written.
    pub warning: Option<String>,
}

impl Executed {
    /// Ours, for callers that only care about their own command.
    pub fn into_ours(self) -> Result<Vec<(Entry, String)>, LiveError> {
        self.ours
    }
}

enum Stop {
    Refused(Refusal),
    Inconsistent(Inconsistent),
}

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stop::Refused(r) => r.fmt(f),
            Stop::Inconsistent(e) => e.fmt(f),
        }
    }
}

impl Live {
    /// Opens `<dir>/journal.jsonl` (the meeting's own folder) and replays it,
    /// folding each line into the state as it is read; waits for the lock
    /// as long as it takes.
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
        let log = open_log(dir, mode)?;
        let mut replay = Replay::new(meeting, log.as_ref());
        let (journal, recovery) = Journal::attach_each(file, path, mode, &mut replay).map_err(
            |stopped| match stopped {
                Stopped::Journal(e) => LiveError::from(e),
                Stopped::Sink(e) => LiveError::from(e),
            },
        )?;
        Live::finish(replay, journal, recovery, log, dir)
    }
}

/// Keeps a described line among the last [`RECENT_LINES`].
fn remember(recent: &mut VecDeque<(u64, String)>, seq: u64, line: &str) {
    recent.push_back((seq, line.to_string()));
    if recent.len() > RECENT_LINES {
        recent.pop_front();
    }
}

fn open_log(dir: &Path, mode: Mode) -> Result<Option<SessionLog>, LiveError> {
    match mode {
        Mode::ReadWrite => SessionLog::open(dir)
            .map(Some)
            .map_err(|source| log_error(dir, source)),
        Mode::ReadOnly => Ok(None),
    }
}

fn log_error(dir: &Path, source: std::io::Error) -> LiveError {
    LiveError::SessionLog {
        dir: dir.into(),
        source,
    }
}

/// The state being built from the journal, line by line.
struct Replay {
    state: State,
    /// The session log's last line; `None` when read-only, which writes no log.
    logged: Option<u64>,
    /// Describing a line costs more than applying it, so only the lines the
    /// log lacks are described, however far back (it is rebuilt from the
    /// journal), and the last few that fill a gap another writer leaves.
    described_from: u64,
    described: Vec<(u64, String)>,
    recent: VecDeque<(u64, String)>,
}

impl Replay {
    fn new(meeting: Arc<Meeting>, log: Option<&SessionLog>) -> Replay {
        Replay {
            state: State::new(meeting),
            logged: log.map(|log| log.last_seq().unwrap_or(0)),
            described_from: u64::MAX,
            described: Vec::new(),
            recent: VecDeque::new(),
        }
    }
}

impl crate::journal::Sink<Entry> for Replay {
    type Error = Inconsistent;

    fn expect(&mut self, last: u64) {
        if let Some(logged) = self.logged {
            let recent = last.saturating_sub(RECENT_LINES as u64);
            self.described_from = logged.min(recent) + 1;
        }
    }

    fn take(&mut self, entry: Entry) -> Result<(), Inconsistent> {
        if entry.seq < self.described_from {
            return apply(&mut self.state, &entry);
        }
        let line = describe(&self.state, &entry);
        apply(&mut self.state, &entry)?;
        remember(&mut self.recent, entry.seq, &line);
        self.described.push((entry.seq, line));
        Ok(())
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
        use crate::journal::Sink;
        let log = open_log(dir, opened.journal.mode())?;
        let mut replay = Replay::new(meeting, log.as_ref());
        replay.expect(opened.lines.last().map_or(0, |e| e.seq));
        for entry in opened.lines {
            replay.take(entry)?;
        }
        Live::finish(replay, opened.journal, opened.recovery, log, dir)
    }

    /// The session log given the lines it lacks, once the journal is replayed.
    fn finish(
        replay: Replay,
        journal: Journal<Entry, F>,
        recovery: Recovery,
        mut log: Option<SessionLog>,
        dir: &Path,
    ) -> Result<Live<F>, LiveError> {
        if let Some(log) = log.as_mut() {
            log.write_missing(&replay.described)
                .map_err(|source| log_error(dir, source))?;
        }
        Ok(Live {
            state: replay.state,
            recovery,
            dir: dir.to_path_buf(),
            journal,
            log,
            recent: replay.recent,
        })
    }

    fn fold(&mut self, entry: &Entry) -> Result<String, Inconsistent> {
        let line = describe(&self.state, entry);
        apply(&mut self.state, entry)?;
        self.remember(entry.seq, &line);
        Ok(line)
    }

    /// Judges `command` on the state caught up under the journal's lock, appends
    /// what it decided and syncs, writes the session log while the lock still
    /// keeps every instance's lines in order, and only then applies it.
    pub fn execute(&mut self, command: Command, by: &Clean, now: Timestamp) -> Executed {
        if self.journal.mode() == Mode::ReadOnly {
            return Executed {
                others: Vec::new(),
                ours: Err(LiveError::ReadOnly),
                warning: None,
            };
        }
        let seq_before = self.state.seq;
        let Live {
            state,
            journal,
            log,
            recent,
            dir,
            ..
        } = self;
        // Lines for the session log: others' caught up, then ours, in seq order.
        let others = RefCell::new(Vec::<(Entry, String)>::new());
        let ours = RefCell::new(Vec::<(Entry, String)>::new());
        let log_error = RefCell::new(None);
        let result = journal.append_then(
            |caught_up| {
                let mut others = others.borrow_mut();
                for entry in caught_up {
                    let line = describe(state, entry);
                    apply(state, entry).map_err(Stop::Inconsistent)?;
                    others.push((entry.clone(), line));
                }
                // Recorded times follow the journal's order: a command stamped just
                // before another instance's line took the lock after it.
                let now = state
                    .last_action
                    .as_ref()
                    .map_or(now, |last| now.max(last.at));
                let events = decide(state, command, now, by.as_str()).map_err(Stop::Refused)?;
                let new = entries(state, events, now, by);
                let mut scratch = state.clone_if(new.len() > 1);
                let mut ours = ours.borrow_mut();
                for entry in &new {
                    let before = scratch.as_ref().unwrap_or(state);
                    ours.push((entry.clone(), describe(before, entry)));
                    if let Some(s) = scratch.as_mut() {
                        apply(s, entry).map_err(Stop::Inconsistent)?;
                    }
                }
                Ok(new)
            },
            |_| {
                let Some(log) = log.as_mut() else { return };
                let (others, ours) = (others.borrow(), ours.borrow());
                let fresh = others
                    .iter()
                    .chain(ours.iter())
                    .map(|(e, l)| (e.seq, l.clone()));
                let lines: Vec<(u64, String)> = recent.iter().cloned().chain(fresh).collect();
                if let Err(source) = log.write_missing(&lines) {
                    *log_error.borrow_mut() = Some(LiveError::SessionLog {
                        dir: dir.clone(),
                        source,
                    });
                }
            },
        );
        let mut seen = Vec::new();
        for (entry, line) in others.into_inner() {
            self.remember(entry.seq, &line);
            seen.push((entry, line));
        }
        let ours = match result {
            Ok(_) => self.fold_ours(ours.into_inner()),
            Err(error) => Err(self.failed(error, seq_before)),
        };
        // The journal has it, so it is done; the session log catches up at the next write or start.
        let warning = log_error
            .into_inner()
            .filter(|_| ours.is_ok())
            .map(|e| e.to_string());
        Executed {
            others: seen,
            ours,
            warning,
        }
    }

    fn fold_ours(&mut self, ours: Vec<(Entry, String)>) -> Result<Vec<(Entry, String)>, LiveError> {
        for (entry, line) in &ours {
            apply(&mut self.state, entry)?;
            self.remember(entry.seq, line);
        }
        Ok(ours)
    }

    fn remember(&mut self, seq: u64, line: &str) {
        remember(&mut self.recent, seq, line);
    }

    fn failed(&mut self, error: AppendError<Entry, Stop>, seq_before: u64) -> LiveError {
        // Lines read before the failure that `decide` never saw must still be applied.
        let unseen: Vec<Entry> = error
            .caught_up()
            .iter()
            .filter(|e| e.seq > self.state.seq.max(seq_before))
            .cloned()
            .collect();
        for entry in &unseen {
            if let Err(e) = self.fold(entry) {
                return e.into();
            }
        }
        match error {
            AppendError::Refused {
                reason: Stop::Refused(r),
                ..
            } => LiveError::Refused(r),
            AppendError::Refused {
                reason: Stop::Inconsistent(e),
                ..
            } => LiveError::Inconsistent(e),
            AppendError::ReadOnly => LiveError::ReadOnly,
            other => LiveError::NotSaved(other.to_string().trim_end_matches('.').to_string()),
        }
    }

    /// Others' events since the last look, applied, with their session-log lines.
    pub fn poll(&mut self) -> Result<Vec<(Entry, String)>, LiveError> {
        let mut seen = Vec::new();
        for entry in self.journal.poll()? {
            let line = self.fold(&entry)?;
            seen.push((entry, line));
        }
        Ok(seen)
    }

    pub fn journal_path(&self) -> &Path {
        self.journal.path()
    }

    /// How long appends wait for the journal's lock from now on.
    pub fn wait_for_lock(&mut self, wait: LockWait) {
        self.journal.wait_for_lock(wait);
    }
}
