//! The rooms screen's loop: keys at once, a look at the places every
//! second on a thread of its own (a store that does not answer must not
//! hold the keys up), and a frame after each. Generic over its input, its
//! screen and its shutdown signal, so tests drive it without a terminal.

use std::future::Future;
use std::io;

use futures_util::{Stream, StreamExt};

use super::{Rooms, Step, draw};
use crate::now::WallClock;
use crate::rooms::{RoomKey, Seen, Watch};
use crate::tui::input::Input;
use crate::tui::keymap::Keymap;
use crate::tui::keys::{Action, Scope};
use crate::tui::run::until_next_second;
use crate::tui::terminal::Screen;
use crate::tui::theme::Theme;

/// Why the rooms screen ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exit {
    Quit,
    /// Enter on a meeting: its own screen is to be shown.
    View(RoomKey),
    InputEnded(Option<String>),
    Signal(&'static str),
}

pub struct RoomsLoop<'a, S: Screen> {
    pub rooms: &'a mut Rooms,
    pub screen: &'a mut S,
    pub keys: &'a Keymap,
    pub theme: Theme,
    pub clock: WallClock,
}

type Look = tokio::task::JoinHandle<(Watch, Seen)>;

impl<S: Screen> RoomsLoop<'_, S> {
    /// Runs until the officer quits or opens a meeting; gives the watch back
    /// either way, so the meetings it follows need not be read again.
    pub async fn run(
        mut self,
        watch: Watch,
        mut inputs: impl Stream<Item = Input> + Unpin,
        shutdown: impl Future<Output = &'static str>,
    ) -> io::Result<(Exit, Watch)> {
        tokio::pin!(shutdown);
        let mut look: Option<Look> = Some(self.look(watch));
        let mut idle: Option<Watch> = None;
        loop {
            self.draw()?;
            if self.screen.gone() {
                let ended = Exit::InputEnded(Some("the terminal cannot be written to".into()));
                return Ok((ended, back(look, idle).await));
            }
            let tick = tokio::time::sleep(until_next_second(&self.clock));
            tokio::select! {
                input = inputs.next() => {
                    if let Some(exit) = self.input(input)? {
                        return Ok((exit, back(look, idle).await));
                    }
                }
                done = async { look.as_mut().expect("guarded").await }, if look.is_some() => {
                    look = None;
                    let (watch, seen) = done.map_err(io::Error::other)?;
                    self.rooms.seen(seen, self.clock.now());
                    idle = Some(watch);
                }
                () = tick => {
                    if let Some(watch) = idle.take() {
                        look = Some(self.look(watch));
                    }
                }
                signal = &mut shutdown => {
                    return Ok((Exit::Signal(signal), back(look, idle).await));
                }
            }
        }
    }

    fn look(&self, mut watch: Watch) -> Look {
        let now = self.clock.now();
        tokio::task::spawn_blocking(move || {
            let seen = watch.refresh(now);
            (watch, seen)
        })
    }

    fn input(&mut self, input: Option<Input>) -> io::Result<Option<Exit>> {
        let key = match input {
            Some(Input::Key(key)) => key,
            Some(Input::Resize) => {
                self.screen.resized()?;
                return Ok(None);
            }
            Some(Input::Paste(_)) => return Ok(None),
            Some(Input::Lost(why)) => return Ok(Some(Exit::InputEnded(Some(why)))),
            None => return Ok(Some(Exit::InputEnded(None))),
        };
        let Some(action) = self.keys.action(Scope::Rooms, key) else {
            return Ok(None);
        };
        Ok(match self.rooms.act(action) {
            Step::Stay => None,
            Step::Quit => Some(Exit::Quit),
            Step::View(key) if action == Action::View => Some(Exit::View(key)),
            Step::View(_) => None,
        })
    }

    fn draw(&mut self) -> io::Result<()> {
        let now = self.clock.now();
        let (rooms, keys, theme) = (&*self.rooms, self.keys, self.theme);
        self.screen
            .frame(&mut |frame| draw::screen(frame, rooms, now, theme, keys))
    }
}

/// The watch, from the look under way or from where it waits.
async fn back(look: Option<Look>, idle: Option<Watch>) -> Watch {
    match (look, idle) {
        (_, Some(watch)) => watch,
        (Some(look), None) => match look.await {
            Ok((watch, _)) => watch,
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        },
        (None, None) => unreachable!("the watch is always either looking or idle"),
    }
}
