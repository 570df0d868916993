//! The meeting's rules, pure: no I/O, no clock reads. Time comes in as an argument.
//!
//! `decide(&State, Command, now, by)` judges a command and yields events;
//! `apply(&mut State, &Entry)` applies one journal entry, and replay applies
//! them line after line. `execute` does the whole step: decide, record the
//! events as entries, apply them.

mod apply;
pub mod attendance;
pub mod clock;
pub mod command;
mod decide;
mod describe;
pub mod event;
pub mod format;
mod import;
pub mod language;
pub mod meeting;
mod refusal;
pub mod resolve;
mod seats;
pub use seats::takes_part;
pub mod state;
pub mod states;
mod step;
// Suspension of the meeting (issue 13, item 6).
mod suspension;
pub use suspension::MAX_REASON_CHARS;
pub mod times;
mod undo;

pub use apply::{Inconsistent, apply};
pub use command::{
    At, Command, ImportRow, Inscription, Place, SeatOrDelegation, SegmentTarget, SpeechKind,
};
pub use decide::{MAX_NOTE_CHARS, decide, tags};
pub use describe::describe;
pub use event::{Delegate, Entry, Event, Speech, VERSION, and_list};
pub use language::Language;
pub use meeting::{
    Category, Level, Meeting, Ordering, Participant, Replies, Role, SeatId, Seating, SegmentDef,
};
pub use refusal::Refusal;
pub use state::{Phase, State};
pub use step::{Described, apply_described, decide_entries, execute};

#[cfg(test)]
mod tests;
