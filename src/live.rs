//! A meeting in progress on disk: the journal replayed into a state, the session
//! log kept beside it, and every command taken through decide → append (fsync)
//! → apply. Every front end (`gavel do`, the TUI) goes through here.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;

use crate::domain::{
    Command, Entry, Inconsistent, Meeting, Refusal, State, apply, decide, describe, entries,
};
use crate::journal::{AppendError, Journal, JournalError, Mode, Recovery, Sequenced, SessionLog};
use crate::text::Clean;

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

/// Described session-log lines kept to fill a gap another writer left.
const RECENT_LINES: usize = 1000;

pub struct Live {
    pub state: State,
    pub recovery: Recovery,
    pub dir: PathBuf,
    journal: Journal<Entry>,
    log: Option<SessionLog>,
    recent: VecDeque<(u64, String)>,
}

/// What one command did: the events others appended meanwhile, then ours.
#[derive(Debug, Default)]
pub struct Executed {
    pub others: Vec<(Entry, String)>,
    pub ours: Vec<(Entry, String)>,
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
    /// Opens `<dir>/journal.jsonl` (the meeting's own folder) and replays it.
    pub fn open(meeting: Arc<Meeting>, dir: &Path, mode: Mode) -> Result<Live, LiveError> {
        let opened = Journal::<Entry>::open(dir, mode)?;
        let mut live = Live {
            state: State::new(meeting),
            recovery: opened.recovery,
            dir: dir.to_path_buf(),
            journal: opened.journal,
            log: None,
            recent: VecDeque::new(),
        };
        for entry in &opened.lines {
            live.fold(entry)?;
        }
        if mode == Mode::ReadWrite {
            let log = SessionLog::open(dir).map_err(|source| LiveError::SessionLog {
                dir: dir.into(),
                source,
            })?;
            live.log = Some(log);
            live.write_log()?;
        }
        Ok(live)
    }

    fn fold(&mut self, entry: &Entry) -> Result<String, Inconsistent> {
        let line = describe(&self.state, entry);
        apply(&mut self.state, entry)?;
        self.recent.push_back((entry.seq, line.clone()));
        if self.recent.len() > RECENT_LINES {
            self.recent.pop_front();
        }
        Ok(line)
    }

    /// Appends the lines the session log lacks, in seq order.
    fn write_log(&mut self) -> Result<(), LiveError> {
        let Some(log) = self.log.as_mut() else {
            return Ok(());
        };
        let have = log.last_seq().unwrap_or(0);
        let missing: Vec<String> = self
            .recent
            .iter()
            .filter(|(seq, _)| *seq > have)
            .map(|(_, l)| l.clone())
            .collect();
        log.append(&missing)
            .map_err(|source| LiveError::SessionLog {
                dir: self.dir.clone(),
                source,
            })
    }

    /// Judges `command` on the state caught up under the journal's lock, appends
    /// what it decided and syncs, and only then applies it.
    pub fn execute(
        &mut self,
        command: Command,
        by: &Clean,
        now: Timestamp,
    ) -> Result<Executed, LiveError> {
        if self.journal.mode() == Mode::ReadOnly {
            return Err(LiveError::ReadOnly);
        }
        let mut executed = Executed::default();
        let seq_before = self.state.seq;
        let result = {
            let (state, others) = (&mut self.state, &mut executed.others);
            self.journal.append(|caught_up| {
                for entry in caught_up {
                    let line = describe(state, entry);
                    apply(state, entry).map_err(Stop::Inconsistent)?;
                    others.push((entry.clone(), line));
                }
                let events = decide(state, command, now, by.as_str()).map_err(Stop::Refused)?;
                Ok(entries(state, events, now, by))
            })
        };
        for (entry, line) in &executed.others {
            self.remember(entry.seq, line);
        }
        let appended = match result {
            Ok(appended) => appended,
            Err(error) => return Err(self.failed(error, seq_before)),
        };
        for entry in appended.written {
            let line = self.fold(&entry)?;
            executed.ours.push((entry, line));
        }
        self.write_log()?;
        Ok(executed)
    }

    fn remember(&mut self, seq: u64, line: &str) {
        self.recent.push_back((seq, line.to_string()));
        if self.recent.len() > RECENT_LINES {
            self.recent.pop_front();
        }
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
            other => LiveError::NotSaved(other.to_string()),
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
}
