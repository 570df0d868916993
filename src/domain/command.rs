//! What an officer asks for. Built by the command language parser (`crate::lang`)
//! from the `:` prompt or `gavel do`, or by a key in the TUI; judged by `decide`.

use jiff::civil::Time;

use super::language::Language;
use super::meeting::{Category, Level, SeatId};
use crate::text::Clean;

/// The kind of intervention a speaker is inscribed for.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum SpeechKind {
    #[default]
    Statement,
    Reply,
    Order,
}

impl SpeechKind {
    pub fn label(self) -> &'static str {
        match self {
            SpeechKind::Statement => "statement",
            SpeechKind::Reply => "right of reply",
            SpeechKind::Order => "point of order",
        }
    }
}

/// When a timing command took effect, if not at the moment it was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// `at -20s`: this many seconds before now.
    Ago(u32),
    /// `at 15:42:10`: that time of day, in the meeting's time zone, today.
    TimeOfDay(Time),
}

/// Where `move` puts a speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Up,
    Down,
    Top,
    Bottom,
    /// 1-based position in the list.
    Position(usize),
}

/// A seat or a delegation, as `release` accepts either.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeatOrDelegation {
    Seat(SeatId),
    Delegation(Clean),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SegmentTarget {
    Next,
    Id(Clean),
}

/// What `add` asks for: who, for what, and how they will speak. Names are
/// kept as typed, like `who`, for `decide` to resolve.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Inscription {
    pub who: Clean,
    pub kind: SpeechKind,
    pub limit: Option<u32>,
    /// `for "the Arab Group"`: a statement delivered on behalf of a group.
    pub on_behalf_of: Clean,
    /// `with Denmark, Finland`: the others of a joint statement.
    pub joint: Vec<Clean>,
    /// `in fr`; else the roster's language, if it gives one.
    pub language: Option<Language>,
    /// Who will speak, when a list received says so (`gavel import`): it
    /// chooses among the roster's people of the delegation, or names one
    /// the roster does not have. Empty: the roster's.
    pub representative: Clean,
    pub title: Clean,
    pub level: Option<Level>,
    /// The category the list gives, in place of the roster's.
    pub category: Option<Category>,
}

/// One inscription of a list received, with where it came from
/// (`speakers.csv:12`) for a refusal to name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub place: String,
    pub inscription: Inscription,
}

/// `who` is kept as typed (sanitised); `decide` resolves it against the roster and
/// the Member States, so that the answer depends on the state it is judged on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Open {
        at: Option<At>,
    },
    Adjourn {
        at: Option<At>,
    },
    Segment(SegmentTarget),
    Add(Inscription),
    Next {
        at: Option<At>,
    },
    Floor {
        who: Clean,
        at: Option<At>,
    },
    Pause {
        at: Option<At>,
    },
    Resume {
        at: Option<At>,
    },
    End {
        at: Option<At>,
    },
    /// Seconds added to the limit of the speaker holding the floor.
    Extend {
        by: u32,
    },
    Move {
        who: Clean,
        to: Place,
    },
    Remove {
        who: Clean,
    },
    /// Two listed speakers exchange places.
    Swap {
        who: Clean,
        with: Clean,
    },
    Pass {
        who: Clean,
    },
    CloseList,
    ReopenList,
    Seat {
        delegation: Clean,
        seat: Option<SeatId>,
    },
    Release(SeatOrDelegation),
    Wait {
        delegation: Clean,
    },
    Unwait {
        delegation: Clean,
    },
    Block(SeatId),
    Unblock(SeatId),
    Note {
        text: Clean,
    },
    Amend {
        note: u32,
        text: Clean,
    },
    Retract {
        note: u32,
    },
    // --- attendance ---
    /// `present <delegation> [by <representative>] [at T]`.
    Present {
        who: Clean,
        by: Option<Clean>,
        at: Option<At>,
    },
    /// `absent <delegation> [at T]`.
    Absent {
        who: Clean,
        at: Option<At>,
    },
    // --- end attendance ---
    Undo,
    /// A list of speakers received (`gavel import`): every row inscribed,
    /// each as its own event, or none if any is refused.
    Import(Vec<ImportRow>),
    // --- Suspension of the meeting (issue 13, item 6) ---
    /// The meeting stops, the floor's timer and the meeting's time with it.
    Suspend {
        reason: Clean,
        at: Option<At>,
    },
    Reconvene {
        at: Option<At>,
    },
    // --- end of suspension ---
}

impl Command {
    /// `add <who> [kind] [limit]`, with nothing else said.
    pub fn add(who: Clean, kind: SpeechKind, limit: Option<u32>) -> Command {
        Command::Add(Inscription {
            who,
            kind,
            limit,
            ..Inscription::default()
        })
    }

    /// Commands that only move time forward for a speaker or the meeting.
    pub fn at(&self) -> Option<At> {
        match self {
            Command::Open { at }
            | Command::Adjourn { at }
            | Command::Next { at }
            | Command::Floor { at, .. }
            | Command::Pause { at }
            | Command::Resume { at }
            | Command::End { at }
            | Command::Present { at, .. }
            | Command::Absent { at, .. }
            | Command::Suspend { at, .. }
            | Command::Reconvene { at } => *at,
            _ => None,
        }
    }
}
