//! The meeting's rules, pure: no I/O, no clock reads. Time comes in as an argument.

pub mod command;
pub mod meeting;

pub use command::{At, Command, Place, SeatOrDelegation, SegmentTarget, SpeechKind};
pub use meeting::{Level, Meeting, Ordering, Participant, Role, SeatId, Seating, SegmentDef};
pub mod states;
