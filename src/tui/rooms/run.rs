//! The rooms screen's loop: keys at once, a look at the places every
//! second on a thread of its own (a store that does not answer must not
//! hold the keys up), and a frame after each. Generic over its input, its
//! screen and its shutdown signal, so tests drive it without a terminal.

use std::future::Future;
use std::io;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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

/// A look that takes longer is said on the screen, naming the place.
const SLOW: Duration = Duration::from_secs(3);
/// How long Enter waits for a look under way to give the watch back.
const VIEW_WAIT: Duration = Duration::from_secs(2);

impl<S: Screen> RoomsLoop<'_, S> {
    /// Runs until the officer quits or opens a meeting. Opening one gives
    /// the watch back, so the meetings it follows need not be read again;
    /// quitting does not wait for a look under way (a store that does not
    /// answer must not keep the officer in), so the watch may be gone.
    pub async fn run(
        mut self,
        watch: Watch,
        mut inputs: impl Stream<Item = Input> + Unpin,
        shutdown: impl Future<Output = &'static str>,
    ) -> io::Result<(Exit, Option<Watch>)> {
        tokio::pin!(shutdown);
        let looking_at = watch.looking_at();
        let mut look: Option<(Look, Instant)> = Some((self.look(watch), Instant::now()));
        let mut idle: Option<Watch> = None;
        loop {
            self.draw()?;
            if self.screen.gone() {
                let ended = Exit::InputEnded(Some("the terminal cannot be written to".into()));
                return Ok((ended, idle));
            }
            let tick = tokio::time::sleep(until_next_second(&self.clock));
            tokio::select! {
                input = inputs.next() => match self.input(input)? {
                    Some(Exit::View(key)) => {
                        if let Some(watch) = self.watch_back(&mut look, &mut idle).await? {
                            return Ok((Exit::View(key), Some(watch)));
                        }
                    }
                    Some(exit) => return Ok((exit, idle)),
                    None => {}
                },
                // (A disabled branch's future is still made, never polled: the block is lazy.)
                done = async { (&mut look.as_mut().expect("guarded").0).await }, if look.is_some() => {
                    look = None;
                    let (watch, seen) = done.map_err(io::Error::other)?;
                    self.rooms.seen(seen, self.clock.now());
                    self.rooms.slow = None;
                    idle = Some(watch);
                }
                () = tick => {
                    if let Some(watch) = idle.take() {
                        look = Some((self.look(watch), Instant::now()));
                    } else if let Some((_, started)) = &look {
                        self.rooms.slow = slow(started.elapsed(), &looking_at);
                    }
                }
                signal = &mut shutdown => return Ok((Exit::Signal(signal), idle)),
            }
        }
    }

    /// The watch, waiting a little for a look under way; `None`, with a
    /// notice, when the look does not end in time.
    async fn watch_back(
        &mut self,
        look: &mut Option<(Look, Instant)>,
        idle: &mut Option<Watch>,
    ) -> io::Result<Option<Watch>> {
        if let Some(watch) = idle.take() {
            return Ok(Some(watch));
        }
        let Some((handle, _)) = look.as_mut() else {
            return Ok(None);
        };
        match tokio::time::timeout(VIEW_WAIT, handle).await {
            Ok(done) => {
                *look = None;
                let (watch, seen) = done.map_err(io::Error::other)?;
                self.rooms.seen(seen, self.clock.now());
                Ok(Some(watch))
            }
            Err(_) => {
                self.rooms.notice = Some(
                    "a place is not answering: the meeting opens once the rooms are up to date"
                        .into(),
                );
                Ok(None)
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

/// What the screen says of a look that takes long.
fn slow(took: Duration, looking_at: &Arc<Mutex<Option<String>>>) -> Option<String> {
    if took < SLOW {
        return None;
    }
    let place = looking_at
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
        .unwrap_or_else(|| "a place".into());
    Some(format!(
        "{place} has not answered for {} s: what is shown is as of the time above",
        took.as_secs()
    ))
}
