//! `gavel rooms` live: every meeting of a conference on one screen, most in
//! need of attention first, looked at again every second; Enter opens the
//! selected one on its own read-only screen. The controller is here, the
//! drawing in [`draw`], the loop in [`run`].

pub mod draw;
pub mod run;

use std::io;

use jiff::Timestamp;

use super::keymap::Keymap;
use super::keys::Action;
use super::theme::Theme;
use crate::now::WallClock;
use crate::rooms::{RoomKey, Seen, Watch};
use run::{Exit, RoomsLoop};

/// How far a page moves the selection.
const PAGE: usize = 10;

/// What the rooms screen shows and where its cursor is.
#[derive(Debug, Default)]
pub struct Rooms {
    pub seen: Seen,
    /// The selected meeting, by key: it stays selected as the order changes.
    pub selected: Option<RoomKey>,
    /// When the places were last looked at; `None` before the first look.
    pub looked: Option<Timestamp>,
    /// A line for the officer: why Enter did nothing, say.
    pub notice: Option<String>,
    /// A look under way that takes long, and where.
    pub slow: Option<String>,
}

/// What a key asks of the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Stay,
    Quit,
    View(RoomKey),
}

impl Rooms {
    /// A new look at the places: the selection stays on its meeting, or on
    /// its row when that meeting is gone.
    pub fn seen(&mut self, seen: Seen, at: Timestamp) {
        let row = self.index().unwrap_or(0);
        self.seen = seen;
        self.looked = Some(at);
        if self.index().is_none() {
            let last = self.seen.rooms.len().saturating_sub(1);
            self.selected = self
                .seen
                .rooms
                .get(row.min(last))
                .map(|(key, _)| key.clone());
        }
    }

    /// The selected row.
    pub fn index(&self) -> Option<usize> {
        let selected = self.selected.as_ref()?;
        self.seen.rooms.iter().position(|(key, _)| key == selected)
    }

    pub fn act(&mut self, action: Action) -> Step {
        self.notice = None;
        match action {
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-(PAGE as isize)),
            Action::PageDown => self.move_by(PAGE as isize),
            Action::Top => self.select(0),
            Action::QuitNow | Action::Quit => return Step::Quit,
            Action::View => {
                if let Some(key) = self.selected.clone() {
                    return Step::View(key);
                }
            }
            _ => {}
        }
        Step::Stay
    }

    fn move_by(&mut self, by: isize) {
        let row = self.index().unwrap_or(0) as isize + by;
        let last = self.seen.rooms.len().saturating_sub(1) as isize;
        self.select(row.clamp(0, last.max(0)) as usize);
    }

    fn select(&mut self, row: usize) {
        if let Some((key, _)) = self.seen.rooms.get(row) {
            self.selected = Some(key.clone());
        }
    }
}

/// Runs the rooms screen on the real terminal until the officer quits it
/// or opens a meeting; the watch comes back with the exit when it can. A
/// look still under way is left to end by itself in the background.
pub fn on_terminal(
    rooms: &mut Rooms,
    watch: Watch,
    keys: &Keymap,
    theme: Theme,
    clock: WallClock,
) -> io::Result<(Exit, Option<Watch>)> {
    let runtime = super::runtime()?;
    let ended = runtime.block_on(async {
        let signals = super::run::signals()?;
        let mut screen = super::terminal::Real::enter()?;
        let inputs = super::input::terminal()?;
        RoomsLoop {
            rooms,
            screen: &mut screen,
            keys,
            theme,
            clock,
        }
        .run(watch, inputs, signals)
        .await
    });
    runtime.shutdown_background();
    ended
}

#[cfg(test)]
mod tests;
