//! What happened: the facts `decide` produces and the journal keeps, one a line.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::command::SpeechKind;
use super::meeting::{Level, SeatId};
use crate::text::Clean;

mod read;

/// Declares [`Event`] from one list of its kinds, each with its journal name
/// and fields, and beside it a struct of each kind's fields alone: a line is
/// then read straight into its event once its `type` is known, instead of
/// being held whole first, as a derived internally tagged enum must.
macro_rules! events {
    ($(
        $(#[$kind_doc:meta])*
        $kind:ident $name:literal {
            $( $(#[$field_attr:meta])* $field:ident : $ty:ty ),* $(,)?
        }
    )*) => {
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(tag = "type")]
        pub enum Event {
            $(
                $(#[$kind_doc])*
                #[serde(rename = $name)]
                $kind { $( $(#[$field_attr])* $field: $ty ),* },
            )*
        }

        impl Event {
            /// The event's `type` in the journal.
            pub fn name(&self) -> &'static str {
                match self {
                    $( Event::$kind { .. } => $name, )*
                }
            }
        }

        mod fields {
            use super::*;
            $(
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                pub(super) struct $kind { $( $(#[$field_attr])* pub(super) $field: $ty ),* }
            )*
        }

        /// Every kind's journal name.
        const NAMES: &[&str] = &[$($name),*];

        /// The rest of an event's object, once its `type` has been read.
        fn read_fields<'de, A: serde::de::MapAccess<'de>>(
            name: &str,
            rest: A,
        ) -> Result<Event, A::Error> {
            let rest = serde::de::value::MapAccessDeserializer::new(rest);
            match name {
                $( $name => {
                    let f = fields::$kind::deserialize(rest)?;
                    Ok(Event::$kind { $( $field: f.$field ),* })
                } )*
                other => Err(serde::de::Error::unknown_variant(other, NAMES)),
            }
        }
    };
}

/// The journal line format's version, the `v` of every line. It belongs to
/// [`Entry`], which is that format; the journal checks lines against it.
pub const VERSION: u8 = 1;

/// One line of the journal: the envelope (`seq`, when it was recorded, by whom)
/// around the event. Timing events also carry when they took effect.
///
/// A line holding a field gavel does not write is not read: ignoring it would
/// lose what it says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub v: u8,
    pub seq: u64,
    /// When it was recorded (UTC).
    pub at: Timestamp,
    pub by: Clean,
    pub event: Event,
}

/// Who speaks: resolved when inscribed, so the journal alone tells who it was
/// even if the meeting file changes later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Delegate {
    /// Roster id, or `state:<name>` for a Member State that is not on the roster.
    pub key: Clean,
    pub delegation: Clean,
    #[serde(default, skip_serializing_if = "Clean::is_empty")]
    pub representative: Clean,
    #[serde(default, skip_serializing_if = "Clean::is_empty")]
    pub title: Clean,
    pub level: Level,
}

impl Delegate {
    /// `France — H.E. Mr. Jean-Yves Le Drian`, or just the delegation.
    pub fn display_name(&self) -> String {
        if self.representative.is_empty() {
            self.delegation.to_string()
        } else {
            format!("{} — {}", self.delegation, self.representative)
        }
    }
}

/// A place on a list of speakers, from inscription to the end of the speech.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Speech {
    pub id: u32,
    pub delegate: Delegate,
    pub kind: SpeechKind,
    /// Seconds.
    pub limit: u32,
}

events! {
    Opened "opened" {
        effective: Timestamp,
    }
    /// Ends whoever holds the floor, and whoever they interrupted.
    Adjourned "adjourned" {
        effective: Timestamp,
    }
    SegmentEntered "segment_entered" {
        segment: Clean,
    }
    /// `position` is 0-based in the segment's queue, decided by its ordering.
    Inscribed "inscribed" {
        segment: Clean,
        speech: Speech,
        position: usize,
    }
    /// `speech` leaves the queue (or is new, for a point of order, with `inscribed`)
    /// and takes the floor. The holder, if any, either ends (`next`, `floor`) or is
    /// paused and set aside until this speech ends (a point of order).
    FloorGiven "floor_given" {
        speech: u32,
        effective: Timestamp,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ends: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        interrupts: Option<u32>,
        /// A speaker given the floor without being listed first.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        inscribed: Option<Speech>,
    }
    Paused "paused" {
        speech: u32,
        effective: Timestamp,
    }
    Resumed "resumed" {
        speech: u32,
        effective: Timestamp,
    }
    /// The interrupted speaker, if any, gets the floor back, still paused.
    Ended "ended" {
        speech: u32,
        effective: Timestamp,
    }
    Extended "extended" {
        speech: u32,
        /// Seconds added to the limit.
        by: u32,
    }
    Moved "moved" {
        speech: u32,
        to: usize,
    }
    Removed "removed" {
        speech: u32,
    }
    /// Two speeches on one list exchange places.
    Swapped "swapped" {
        speech: u32,
        with: u32,
    }
    /// Absent when called: to the end of their part of the list, once.
    Passed "passed" {
        speech: u32,
        to: usize,
    }
    ListClosed "list_closed" {
        segment: Clean,
    }
    ListReopened "list_reopened" {
        segment: Clean,
    }
    Seated "seated" {
        seat: SeatId,
        delegation: Clean,
    }
    Released "released" {
        seat: SeatId,
    }
    Waitlisted "waitlisted" {
        delegation: Clean,
    }
    Unwaitlisted "unwaitlisted" {
        delegation: Clean,
    }
    Blocked "blocked" {
        seat: SeatId,
    }
    Unblocked "unblocked" {
        seat: SeatId,
    }
    Noted "noted" {
        note: u32,
        text: Clean,
        tags: Vec<Clean>,
        segment: Clean,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        speech: Option<u32>,
    }
    Amended "amended" {
        note: u32,
        text: Clean,
        tags: Vec<Clean>,
    }
    Retracted "retracted" {
        note: u32,
    }
    /// Reverts the action recorded at `seq` by the same operator.
    Undone "undone" {
        seq: u64,
    }
    // --- Suspension of the meeting (issue 13, item 6) ---
    /// The meeting stops: the speaker holding the floor, if timed, is held
    /// paused until the meeting reconvenes.
    Suspended "suspended" {
        effective: Timestamp,
        #[serde(default, skip_serializing_if = "Clean::is_empty")]
        reason: Clean,
    }
    /// The timer the suspension held runs again; one paused before stays paused.
    Reconvened "reconvened" {
        effective: Timestamp,
    }
    // --- end of suspension ---
}

impl Event {
    /// When a timing event took effect; `None` for the others.
    pub fn effective(&self) -> Option<Timestamp> {
        match self {
            Event::Opened { effective }
            | Event::Adjourned { effective }
            | Event::FloorGiven { effective, .. }
            | Event::Paused { effective, .. }
            | Event::Resumed { effective, .. }
            | Event::Ended { effective, .. }
            | Event::Suspended { effective, .. }
            | Event::Reconvened { effective } => Some(*effective),
            _ => None,
        }
    }

    /// What it did, in words, for undo's questions and refusals.
    pub fn action(&self) -> &'static str {
        match self {
            Event::FloorGiven {
                interrupts: Some(_),
                ..
            } => "the point of order",
            Event::Opened { .. } => "opening the meeting",
            Event::Adjourned { .. } => "adjourning the meeting",
            Event::SegmentEntered { .. } => "the change of segment",
            Event::Inscribed { .. } => "the inscription",
            Event::FloorGiven { .. } => "giving the floor",
            Event::Paused { .. } => "the pause",
            Event::Resumed { .. } => "resuming the speech",
            Event::Ended { .. } => "ending the speech",
            Event::Extended { .. } => "the extension",
            Event::Moved { .. } => "the move",
            Event::Removed { .. } => "the removal",
            Event::Swapped { .. } => "the exchange of places",
            Event::Passed { .. } => "passing the speaker",
            Event::ListClosed { .. } => "closing the list",
            Event::ListReopened { .. } => "reopening the list",
            Event::Seated { .. } => "seating a delegation",
            Event::Released { .. } => "releasing the seat",
            Event::Waitlisted { .. } => "waitlisting a delegation",
            Event::Unwaitlisted { .. } => "taking a delegation off the waitlist",
            Event::Blocked { .. } => "blocking the seat",
            Event::Unblocked { .. } => "unblocking the seat",
            Event::Noted { .. } => "the note",
            Event::Amended { .. } => "amending the note",
            Event::Retracted { .. } => "retracting the note",
            Event::Undone { .. } => "the undo",
            Event::Suspended { .. } => "suspending the meeting",
            Event::Reconvened { .. } => "reconvening the meeting",
        }
    }

    /// The verb of the session log: the command's word, padded to six columns
    /// as in `#0042 floor  France …`; the few seven-letter ones take one more.
    pub fn verb(&self) -> &'static str {
        match self {
            Event::Opened { .. } => "open",
            Event::Adjourned { .. } => "adjourn",
            Event::SegmentEntered { .. } => "segment",
            Event::Inscribed { .. } => "add",
            Event::FloorGiven {
                interrupts: Some(_),
                ..
            } => "order",
            Event::FloorGiven { .. } => "floor",
            Event::Paused { .. } => "pause",
            Event::Resumed { .. } => "resume",
            Event::Ended { .. } => "end",
            Event::Extended { .. } => "extend",
            Event::Moved { .. } => "move",
            Event::Removed { .. } => "remove",
            Event::Swapped { .. } => "swap",
            Event::Passed { .. } => "pass",
            Event::ListClosed { .. } => "close",
            Event::ListReopened { .. } => "reopen",
            Event::Seated { .. } => "seat",
            Event::Released { .. } => "release",
            Event::Waitlisted { .. } => "wait",
            Event::Unwaitlisted { .. } => "unwait",
            Event::Blocked { .. } => "block",
            Event::Unblocked { .. } => "unblock",
            Event::Noted { .. } => "note",
            Event::Amended { .. } => "amend",
            Event::Retracted { .. } => "retract",
            Event::Undone { .. } => "undo",
            Event::Suspended { .. } => "suspend",
            Event::Reconvened { .. } => "reconvene",
        }
    }
}
