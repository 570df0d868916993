//! What happened: the facts `decide` produces and the journal keeps, one a line.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::command::SpeechKind;
use super::language::Language;
use super::meeting::{Category, Level, SeatId};
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

/// A place on a list of speakers, from inscription to the end of the speech.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Speech {
    pub id: u32,
    pub delegate: Delegate,
    pub kind: SpeechKind,
    /// Seconds.
    pub limit: u32,
    /// Who the delegation speaks as, which gave the limit; a journal written
    /// before categories has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    /// The group a statement is delivered on behalf of, as typed: `the Arab Group`.
    #[serde(default, skip_serializing_if = "Clean::is_empty")]
    pub on_behalf_of: Clean,
    /// The other delegations of a joint statement, as resolved, in the order given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub joint: Vec<Clean>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
}

impl Speech {
    /// A statement of `delegate` with nothing but its limit said: no group,
    /// no language.
    pub fn plain(id: u32, delegate: Delegate, kind: SpeechKind, limit: u32) -> Speech {
        Speech {
            id,
            delegate,
            kind,
            limit,
            category: None,
            on_behalf_of: Clean::default(),
            joint: Vec::new(),
            language: None,
        }
    }

    /// Who speaks as the list, the board and the log name them:
    /// `Egypt, on behalf of the Arab Group`, `Sweden, with Denmark and Norway`.
    pub fn heading(&self) -> String {
        let mut heading = self.delegate.delegation.to_string();
        if !self.on_behalf_of.is_empty() {
            heading.push_str(", on behalf of ");
            heading.push_str(self.on_behalf_of.as_str());
        }
        if !self.joint.is_empty() {
            heading.push_str(", with ");
            heading.push_str(&and_list(&self.joint));
        }
        heading
    }

    /// [`Speech::heading`] and the representative: `France — H.E. Mr. Le Drian`.
    pub fn display_name(&self) -> String {
        if self.delegate.representative.is_empty() {
            self.heading()
        } else {
            format!("{} — {}", self.heading(), self.delegate.representative)
        }
    }

    /// Every delegation the speech is credited to: the speaker's, then a
    /// joint statement's others.
    pub fn credited(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.delegate.delegation.as_str())
            .chain(self.joint.iter().map(Clean::as_str))
    }
}

/// `Denmark`, `Denmark and Norway`, `Denmark, Finland and Norway`.
pub fn and_list(names: &[Clean]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(Clean::as_str).collect();
            format!("{} and {last}", init.join(", "))
        }
    }
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
    // --- attendance (present/absent) ---
    /// A delegation recorded present, or its representative changed while
    /// present. `by` names who represents it when not the roster's
    /// representative; `effective`, an earlier time given with `at`.
    Present "present" {
        delegate: Delegate,
        #[serde(default, skip_serializing_if = "Clean::is_empty")]
        by: Clean,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        effective: Option<Timestamp>,
    }
    /// A delegation recorded absent: left, or never came (regrets).
    Absent "absent" {
        delegate: Delegate,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        effective: Option<Timestamp>,
    }
    // --- end attendance ---
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

    /// When an event took effect, the timing events' and an attendance
    /// record's corrected time alike: what `verify` checks.
    pub fn takes_effect(&self) -> Option<Timestamp> {
        match self {
            Event::Present { effective, .. } | Event::Absent { effective, .. } => *effective,
            _ => self.effective(),
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
            Event::Present { .. } => "recording the delegation present",
            Event::Absent { .. } => "recording the delegation absent",
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
            Event::Present { .. } => "present",
            Event::Absent { .. } => "absent",
            Event::Undone { .. } => "undo",
            Event::Suspended { .. } => "suspend",
            Event::Reconvened { .. } => "reconvene",
        }
    }
}
