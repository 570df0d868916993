//! A command carried out on a state: judged, recorded as journal entries,
//! applied. Pure, like the rest of the domain: the time and the officer come
//! in as arguments.

use jiff::Timestamp;

use super::apply::{Inconsistent, apply};
use super::command::Command;
use super::decide::decide;
use super::describe::describe;
use super::event::{Entry, VERSION};
use super::refusal::Refusal;
use super::state::State;
use crate::text::Clean;

/// A journal entry with its session-log line, described on the state as it
/// was just before the entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Described {
    pub entry: Entry,
    pub line: String,
}

/// Judges `command` on `state` and records it as the journal entries that
/// follow `state`'s last one, stamped `now` and `by`. Nothing is applied: a
/// front end that saves the entries applies them once they are saved.
pub fn decide_entries(
    state: &State,
    command: Command,
    now: Timestamp,
    by: &Clean,
) -> Result<Vec<Entry>, Refusal> {
    let events = decide(state, command, now, by.as_str())?;
    let entries = (1..)
        .zip(events)
        .map(|(n, event)| Entry {
            v: VERSION,
            seq: state.seq + n,
            at: now,
            by: by.clone(),
            event,
        })
        .collect();
    Ok(entries)
}

/// `command` judged, recorded and applied: the whole step, for everything
/// that has no journal to save the entries in first.
pub fn execute(
    state: &mut State,
    command: Command,
    now: Timestamp,
    by: &Clean,
) -> Result<Vec<Entry>, Refusal> {
    let entries = decide_entries(state, command, now, by)?;
    for entry in &entries {
        apply(state, entry).expect("an entry fits the state it was decided on");
    }
    Ok(entries)
}

/// `entry` described on the state before it, then applied.
pub fn apply_described(state: &mut State, entry: Entry) -> Result<Described, Inconsistent> {
    let line = describe(state, &entry);
    apply(state, &entry)?;
    Ok(Described { entry, line })
}
