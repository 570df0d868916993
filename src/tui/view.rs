//! What the screen shows beyond the meeting itself: focus, cursors, what is
//! open over the panes, notices and the journal's health. The panes draw from a [`View`]:
//! the meeting's state, this, the instant to draw for and the theme.

use jiff::Timestamp;

use crate::domain::{Command, SeatId, State};
use crate::text::Clean;

use super::prompt::Prompt;
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
    /// The store did not say whether it saved the last append.
    Unconfirmed(String),
    ReadOnly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Done,
    Refused,
    Error,
    Info,
    /// What start-up found and mended (a torn tail cut, missing exports
    /// written, a session log that cannot be written): to be read whole.
    Found,
}

/// A line for the officer: a command done, a refusal and its reason, an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub tone: Tone,
    pub text: String,
}

/// What a confirmed question does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    Run(Command),
    Quit,
}

/// A destructive action waiting for `y`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub question: String,
    pub intent: Intent,
}

impl Confirm {
    pub fn label(&self) -> String {
        format!("{} (y/n) ", self.question)
    }
}

/// What is open over the panes, taking the keys: one thing at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    /// Every key, over the panes, and how far it is scrolled where it does
    /// not fit.
    Help { scroll: u16 },
    /// The draft co-chairs' summary over the panes, and how far it is scrolled.
    Summary { text: String, scroll: u16 },
    /// The input line at the bottom.
    Prompt(Prompt),
    /// A question at the bottom.
    Confirm(Confirm),
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
    pub overlay: Option<Overlay>,
    pub notice: Option<Notice>,
    pub health: Health,
    /// Seconds this instance has waited for the journal's lock, while it waits.
    pub lock_wait: Option<u64>,
    /// The append under way that the store is slow to answer, while it is.
    pub store_wait: Option<crate::store::progress::Slow>,
    /// The session-log line of the latest event, whoever did it.
    pub last_line: Option<String>,
    /// The speakers pane shows who is present instead of the lists.
    pub attendance_view: bool,
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
            overlay: None,
            notice: None,
            health: if read_only {
                Health::ReadOnly
            } else {
                Health::Saved
            },
            last_line: None,
            lock_wait: None,
            store_wait: None,
            attendance_view: false,
        }
    }

    /// The input line, when it is what is open.
    pub fn prompt(&self) -> Option<&Prompt> {
        match &self.overlay {
            Some(Overlay::Prompt(prompt)) => Some(prompt),
            _ => None,
        }
    }

    pub fn prompt_mut(&mut self) -> Option<&mut Prompt> {
        match &mut self.overlay {
            Some(Overlay::Prompt(prompt)) => Some(prompt),
            _ => None,
        }
    }
}

/// Everything a pane draws from.
pub struct View<'a> {
    pub state: &'a State,
    pub ui: &'a Ui,
    pub now: Timestamp,
    pub theme: Theme,
    pub keys: &'a super::keymap::Keymap,
}
