//! The state built from the journal as start-up reads it, line by line, and
//! the session-log lines kept on the way.

use std::collections::VecDeque;
use std::sync::Arc;

use crate::domain::{Described, Entry, Inconsistent, Meeting, State, apply, apply_described};
use crate::journal::Sink;

/// Described session-log lines kept to fill a gap another writer left.
const RECENT_LINES: usize = 1000;

/// The session-log lines of the last [`RECENT_LINES`] entries, by seq.
#[derive(Debug, Default)]
pub(super) struct Recent(VecDeque<(u64, String)>);

impl Recent {
    pub(super) fn remember(&mut self, described: &Described) {
        self.0
            .push_back((described.entry.seq, described.line.clone()));
        if self.0.len() > RECENT_LINES {
            self.0.pop_front();
        }
    }

    /// These lines, then `fresh`, for the session log to take what it lacks.
    pub(super) fn then<'a>(
        &self,
        fresh: impl Iterator<Item = &'a Described>,
    ) -> Vec<(u64, String)> {
        let fresh = fresh.map(|d| (d.entry.seq, d.line.clone()));
        self.0.iter().cloned().chain(fresh).collect()
    }
}

/// The state being built from the journal, line by line.
pub(super) struct Replay {
    pub state: State,
    /// The session log's last line; `None` when read-only, which writes no log.
    logged: Option<u64>,
    /// Describing a line costs more than applying it, so only the lines the
    /// log lacks are described, however far back (it is rebuilt from the
    /// journal), and the last few that fill a gap another writer leaves.
    described_from: u64,
    pub described: Vec<(u64, String)>,
    pub recent: Recent,
}

impl Replay {
    /// `logged` is the session log's last seq, 0 when it has none; `None`
    /// when nothing is to be logged.
    pub(super) fn new(meeting: Arc<Meeting>, logged: Option<u64>) -> Replay {
        Replay {
            state: State::new(meeting),
            logged,
            described_from: u64::MAX,
            described: Vec::new(),
            recent: Recent::default(),
        }
    }
}

impl Sink<Entry> for Replay {
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
        let described = apply_described(&mut self.state, entry)?;
        self.recent.remember(&described);
        self.described.push((described.entry.seq, described.line));
        Ok(())
    }
}
