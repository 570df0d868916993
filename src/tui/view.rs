//! What the screen shows beyond the meeting itself: focus, cursors, the input
//! line, notices and the journal's health. The panes draw from a [`View`]:
//! the meeting's state, this, the instant to draw for and the theme.

use jiff::Timestamp;

use crate::domain::{Command, SeatId, State};
use crate::text::Clean;

use super::theme::Theme;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Speakers,
    Seats,
    Clock,
    Notes,
}

impl Pane {
    /// In focus order; the digit keys 1–4 follow it.
    pub const ALL: [Pane; 4] = [Pane::Speakers, Pane::Seats, Pane::Clock, Pane::Notes];

    pub fn title(self) -> &'static str {
        match self {
            Pane::Speakers => "Speakers",
            Pane::Seats => "Observer seats",
            Pane::Clock => "Clock",
            Pane::Notes => "Notes",
        }
    }

    pub fn number(self) -> usize {
        Pane::ALL.iter().position(|p| *p == self).expect("listed") + 1
    }

    pub fn next(self) -> Pane {
        Pane::ALL[self.number() % 4]
    }

    pub fn previous(self) -> Pane {
        Pane::ALL[(self.number() + 2) % 4]
    }
}

/// Whether what the screen shows as done is on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Health {
    Saved,
    /// Commands sent to the journal and not yet acknowledged.
    Saving(usize),
    /// The last append failed: nothing after it was recorded.
    Failed(String),
    ReadOnly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Done,
    Refused,
    Error,
    Info,
}

/// A line for the officer: a command done, a refusal and its reason, an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub tone: Tone,
    pub text: String,
}

/// What a search for a name is for, once a candidate is picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Add(crate::domain::SpeechKind),
    Floor,
    Seat(Option<SeatId>),
    Wait,
    Unwait,
}

impl Purpose {
    pub fn question(self) -> &'static str {
        match self {
            Purpose::Add(crate::domain::SpeechKind::Statement) => "Inscribe",
            Purpose::Add(crate::domain::SpeechKind::Reply) => "Right of reply for",
            Purpose::Add(crate::domain::SpeechKind::Order) => "Point of order by",
            Purpose::Floor => "Give the floor to",
            Purpose::Seat(_) => "Seat",
            Purpose::Wait => "Waitlist",
            Purpose::Unwait => "Take off the waitlist",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputKind {
    /// The `:` prompt: the whole command language.
    Command,
    /// Type-to-search over the roster and the Member States.
    Search(Purpose),
    Note,
    Amend(u32),
    /// How long to extend the speaker holding the floor.
    Extend,
    /// A destructive action waits for `y`.
    Confirm {
        question: String,
        intent: Intent,
    },
}

/// What a confirmed question does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    Run(Command),
    Quit,
}

/// The line being typed at the bottom of the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub kind: InputKind,
    pub text: String,
    /// Cursor position in chars.
    pub cursor: usize,
    /// Why the last Enter was refused; the text is kept for correction.
    pub error: Option<String>,
    /// Sent to the journal, waiting for its answer.
    pub sending: bool,
    /// Candidates (search) or completions (prompt), best first.
    pub choices: Vec<String>,
    pub chosen: usize,
}

impl Input {
    pub fn new(kind: InputKind, text: &str) -> Input {
        Input {
            kind,
            text: text.to_string(),
            cursor: text.chars().count(),
            error: None,
            sending: false,
            choices: Vec::new(),
            chosen: 0,
        }
    }

    pub fn label(&self) -> String {
        match &self.kind {
            InputKind::Command => ":".into(),
            InputKind::Search(p) => format!("{}: ", p.question()),
            InputKind::Note => "Note: ".into(),
            InputKind::Amend(n) => format!("Amend note {n}: "),
            InputKind::Extend => "Extend by: ".into(),
            InputKind::Confirm { question, .. } => format!("{question} (y/n) "),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ui {
    pub focus: Pane,
    pub operator: Clean,
    pub read_only: bool,
    /// Index into the current segment's queue.
    pub queue_cursor: usize,
    pub seat_cursor: SeatId,
    /// The note under the cursor; `None` follows the newest.
    pub note_cursor: Option<u32>,
    pub input: Option<Input>,
    pub help: bool,
    pub notice: Option<Notice>,
    pub health: Health,
    /// Seconds this instance has waited for the journal's lock, while it waits.
    pub lock_wait: Option<u64>,
    /// The session-log line of the latest event, whoever did it.
    pub last_line: Option<String>,
    /// The draft co-chairs' summary, shown over the panes, and how far it is scrolled.
    pub summary: Option<(String, u16)>,
}

impl Ui {
    pub fn new(operator: Clean, read_only: bool) -> Ui {
        Ui {
            focus: Pane::Speakers,
            operator,
            read_only,
            queue_cursor: 0,
            seat_cursor: SeatId { row: 0, seat: 0 },
            note_cursor: None,
            input: None,
            help: false,
            notice: None,
            health: if read_only {
                Health::ReadOnly
            } else {
                Health::Saved
            },
            last_line: None,
            summary: None,
            lock_wait: None,
        }
    }
}

/// Everything a pane draws from.
pub struct View<'a> {
    pub state: &'a State,
    pub ui: &'a Ui,
    pub now: Timestamp,
    pub theme: Theme,
}
