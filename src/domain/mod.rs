//! The meeting's rules, pure: no I/O, no clock reads. Time comes in as an argument.
//!
//! `decide(&State, Command, now, by)` judges a command and yields events;
//! `apply(&mut State, &Entry)` folds a journal entry in. Replay is a fold of `apply`.

use crate::text;

mod apply;
pub mod clock;
pub mod command;
mod decide;
mod describe;
pub mod event;
pub mod format;
pub mod meeting;
mod refusal;
pub mod resolve;
mod seats;
pub mod state;
pub mod states;
pub mod times;
mod undo;

pub use apply::{Inconsistent, apply};
pub use command::{At, Command, Place, SeatOrDelegation, SegmentTarget, SpeechKind};
pub use decide::{MAX_NOTE_CHARS, decide, tags};
pub use describe::describe;
pub use event::{Delegate, Entry, Event, Speech, VERSION};
pub use meeting::{Level, Meeting, Ordering, Participant, Role, SeatId, Seating, SegmentDef};
pub use refusal::Refusal;
pub use state::{Phase, State};

/// Wraps decided events in journal entries numbered after `state`'s last one.
pub fn entries(
    state: &State,
    events: Vec<Event>,
    at: jiff::Timestamp,
    by: &text::Clean,
) -> Vec<Entry> {
    (1..)
        .zip(events)
        .map(|(n, event)| Entry {
            v: VERSION,
            seq: state.seq + n,
            at,
            by: by.clone(),
            event,
        })
        .collect()
}

#[cfg(test)]
mod tests;
