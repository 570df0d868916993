//! One command through the journal: judged on the state caught up under the
//! journal's lock, appended and synced, written to the session log while the
//! lock still keeps every instance's lines in order, and applied.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use jiff::Timestamp;

use super::replay::Recent;
use super::{Live, LiveError, log_error};
use crate::domain::{
    Command, Described, Entry, Event, Inconsistent, Refusal, State, apply_described, decide,
    decide_entries,
};
use crate::journal::{AppendError, JournalFile, Mode, SessionLog};
use crate::text::Clean;

/// What one command did: the events others appended meanwhile, applied
/// whatever became of ours, then ours or why not.
#[derive(Debug)]
pub struct Executed {
    pub others: Vec<Described>,
    pub ours: Result<Vec<Described>, LiveError>,
    /// Done, but the session log could not be written.
    pub warning: Option<String>,
    /// Ours adjourned the meeting: the exports written beside the journal,
    /// or why they could not be.
    pub exports: Option<Result<Vec<PathBuf>, String>>,
}

impl Executed {
    /// Ours, for callers that only care about their own command.
    pub fn into_ours(self) -> Result<Vec<Described>, LiveError> {
        self.ours
    }

    fn stopped(others: Vec<Described>, error: LiveError) -> Executed {
        Executed {
            others,
            ours: Err(error),
            warning: None,
            exports: None,
        }
    }
}

/// Why our lines were not written.
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

/// Our entries once synced: applied, or why one did not fit; and why the
/// session log could not be written, if it could not.
struct Saved {
    ours: Result<Vec<Described>, Inconsistent>,
    log_failed: Option<LiveError>,
}

impl<F: JournalFile> Live<F> {
    /// Judges `command` on the state caught up under the journal's lock, appends
    /// what it decided and syncs, applies it, and writes the session log while
    /// the lock still keeps every instance's lines in order. The officer who
    /// adjourns leaves the exports beside the journal.
    pub fn execute(&mut self, command: Command, by: &Clean, now: Timestamp) -> Executed {
        let mut others = Vec::new();
        if self.unlogged.is_some()
            && let Err(e) = self.begin(&command, by, now, &mut others)
        {
            return Executed::stopped(others, e);
        }
        if self.journal.mode() == Mode::ReadOnly {
            return Executed::stopped(others, LiveError::ReadOnly);
        }
        let (ours, warning) = self.append(command, by, now, &mut others);
        let adjourned = ours.as_ref().is_ok_and(|ours| {
            ours.iter()
                .any(|d| matches!(d.entry.event, Event::Adjourned { .. }))
        });
        let exports = adjourned.then(|| super::exports::write_beside(&self.dir, &self.state));
        Executed {
            others,
            ours,
            warning,
            exports,
        }
    }

    /// The first command of an instance opened by [`Live::open_write_later`]:
    /// judged first on what was read, so that a refused command leaves no
    /// trace, and then, since it will be appended, the instance begins to
    /// write. Under the lock it is judged again, on whatever others appended
    /// meanwhile.
    fn begin(
        &mut self,
        command: &Command,
        by: &Clean,
        now: Timestamp,
        others: &mut Vec<Described>,
    ) -> Result<(), LiveError> {
        decide(&self.state, command.clone(), now, by.as_str()).map_err(LiveError::Refused)?;
        self.begin_writing(others)
    }

    /// Ours appended after others' lines caught up (into `others`), and
    /// applied; then why the session log could not be written, if it could not.
    fn append(
        &mut self,
        command: Command,
        by: &Clean,
        now: Timestamp,
        others: &mut Vec<Described>,
    ) -> (Result<Vec<Described>, LiveError>, Option<String>) {
        let seq_before = self.state.seq;
        let caught_before = others.len();
        let Live {
            state,
            journal,
            log,
            recent,
            dir,
            ..
        } = self;
        // `decide` may be asked again (a store without a lock, when another
        // officer appended first), each time with only what it has not seen;
        // it and `synced` share the state and what was caught up.
        let shared = RefCell::new((state, &mut *others));
        let appended = journal.append_then(
            |caught_up| {
                let mut held = shared.borrow_mut();
                let (state, caught) = &mut *held;
                apply_caught_up(state, caught_up, caught).map_err(Stop::Inconsistent)?;
                // Recorded times follow the journal's order: a command stamped just
                // before another instance's line took the lock after it.
                let now = state
                    .last_action
                    .as_ref()
                    .map_or(now, |last| now.max(last.at));
                decide_entries(state, command.clone(), now, by).map_err(Stop::Refused)
            },
            |entries| {
                let mut held = shared.borrow_mut();
                let (state, caught) = &mut *held;
                saved(entries, state, caught, log.as_mut(), recent, dir)
            },
        );
        for described in &others[caught_before..] {
            self.recent.remember(described);
        }
        match appended {
            Ok(appended) => {
                let saved = appended.written;
                // The journal has it, so it is done; the session log catches
                // up at the next write or start.
                let warning = saved.log_failed.map(|e| e.to_string());
                match saved.ours {
                    Ok(ours) => {
                        ours.iter().for_each(|d| self.recent.remember(d));
                        (Ok(ours), warning)
                    }
                    Err(e) => (Err(e.into()), None),
                }
            }
            Err(error) => (Err(self.failed(error, seq_before, others)), None),
        }
    }

    /// What a read-write start-up does, done by an instance opened with
    /// [`Live::open_write_later`] before its first append: the folder, the
    /// journal and the session log created, the end of the journal repaired
    /// (a torn tail cut off and kept aside, which `recovery` then says), the
    /// lines appended since the replay applied, and the session log given
    /// the lines it lacks.
    fn begin_writing(&mut self, others: &mut Vec<Described>) -> Result<(), LiveError> {
        self.journal.make_writable()?;
        if self.journal.path().is_none() {
            super::make_folder(&self.dir);
        }
        let log = SessionLog::open(&self.dir)
            .map(Some)
            .map_err(|e| log_error(&self.dir, e));
        let (lines, torn) = self.journal.repair()?;
        self.recovery.torn = torn;
        for entry in lines {
            let described = apply_described(&mut self.state, entry)?;
            self.recent.remember(&described);
            others.push(described);
        }
        let mut unlogged = self.unlogged.take().unwrap_or_default();
        unlogged.extend(others.iter().map(|d| (d.entry.seq, d.line.clone())));
        (self.log, self.log_trouble) = super::caught_up(log, &unlogged, &self.dir);
        self.restored = super::exports::restore(&self.dir, &self.state);
        Ok(())
    }

    /// Why ours was not written, once the lines read before the failure that
    /// `decide` never saw are applied all the same.
    fn failed(
        &mut self,
        error: AppendError<Entry, Stop>,
        seq_before: u64,
        others: &mut Vec<Described>,
    ) -> LiveError {
        let seen = self.state.seq.max(seq_before);
        for entry in error.caught_up().iter().filter(|e| e.seq > seen) {
            match apply_described(&mut self.state, entry.clone()) {
                Ok(described) => {
                    self.recent.remember(&described);
                    others.push(described);
                }
                Err(e) => return e.into(),
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
            e @ AppendError::Unconfirmed { .. } => LiveError::Unconfirmed(e.to_string()),
            other => LiveError::NotSaved(other.to_string().trim_end_matches('.').to_string()),
        }
    }
}

/// Others' lines applied, each described on the state before it, into
/// `others` as they are: those applied before one that does not fit are kept.
fn apply_caught_up(
    state: &mut State,
    caught_up: &[Entry],
    others: &mut Vec<Described>,
) -> Result<(), Inconsistent> {
    for entry in caught_up {
        others.push(apply_described(state, entry.clone())?);
    }
    Ok(())
}

/// Ours applied now that the journal has it, and the session log given every
/// line it lacks: the recent ones, others' caught up, then ours, in seq order.
fn saved(
    entries: Vec<Entry>,
    state: &mut State,
    others: &[Described],
    log: Option<&mut SessionLog>,
    recent: &Recent,
    dir: &Path,
) -> Saved {
    let mut ours = Vec::with_capacity(entries.len());
    let mut unfit = None;
    for entry in entries {
        match apply_described(state, entry) {
            Ok(described) => ours.push(described),
            Err(e) => {
                unfit = Some(e);
                break;
            }
        }
    }
    let log_failed = log.and_then(|log| {
        let lines = recent.then(others.iter().chain(&ours));
        log.write_missing(&lines)
            .err()
            .map(|source| LiveError::SessionLog {
                dir: dir.to_path_buf(),
                source,
            })
    });
    Saved {
        ours: unfit.map_or(Ok(ours), Err),
        log_failed,
    }
}
