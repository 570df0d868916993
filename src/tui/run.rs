//! The event loop: keys, the journal's answers and others' events, a tick on
//! each wall-clock second, and shutdown. It draws only when something visible
//! changed, never at a frame rate. Generic over its input, its screen and its
//! shutdown signal, so tests drive it without a terminal.

use std::future::Future;
use std::io;
use std::time::{Duration, Instant};

use futures_util::{FutureExt, Stream, StreamExt};
use tokio::sync::mpsc::UnboundedReceiver;

use super::app::{App, Effect};
use super::draw;
use super::input::Input;
use super::keys::{Action, Key, Scope};
use super::message::{Request, Update};
use super::terminal::Screen;
use super::worker::Worker;
use crate::now::WallClock;

/// How long a burst of inputs is taken before a frame shows how far it got:
/// well under the 50 ms in which every key is to be handled.
const BURST_FRAME: Duration = Duration::from_millis(20);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The four panes.
    Run,
    /// The chair's read-only board.
    Board,
}

/// Why the loop ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exit {
    Quit,
    /// The terminal went away: end of input or a read error.
    InputEnded(Option<String>),
    Signal(&'static str),
}

pub(crate) struct Loop<'a, S: Screen> {
    pub app: &'a mut App,
    pub screen: &'a mut S,
    pub worker: Option<&'a Worker>,
    pub updates: &'a mut UnboundedReceiver<Update>,
    pub clock: WallClock,
    pub kind: Kind,
}

impl<S: Screen> Loop<'_, S> {
    pub async fn run(
        mut self,
        mut inputs: impl Stream<Item = Input> + Unpin,
        shutdown: impl Future<Output = &'static str>,
    ) -> io::Result<Exit> {
        tokio::pin!(shutdown);
        // Every wake-up below is something visible: a key, an event, a second.
        let mut first_frame = true;
        loop {
            self.draw()?;
            // A test hook: a bug that panics mid-meeting must still give the terminal back.
            if std::mem::take(&mut first_frame) && std::env::var_os("GAVEL_TEST_PANIC").is_some() {
                panic!("forced by GAVEL_TEST_PANIC, after the first frame");
            }
            // Writes to a dead terminal fail before its input says so; either way it is over.
            if self.screen.gone() {
                return Ok(Exit::InputEnded(Some(
                    "the terminal cannot be written to".into(),
                )));
            }
            let tick = tokio::time::sleep(until_next_second(&self.clock));
            tokio::select! {
                input = inputs.next() => {
                    if let Some(exit) = self.input(input)? {
                        return Ok(exit);
                    }
                    if let Some(exit) = self.burst(&mut inputs)? {
                        return Ok(exit);
                    }
                }
                Some(update) = self.updates.recv() => {
                    let effects = self.app.update(update);
                    if let Some(exit) = self.perform(effects) {
                        return Ok(exit);
                    }
                }
                () = tick => {
                    if self.app.bell_due(self.clock.now()) {
                        self.screen.bell()?;
                    }
                }
                signal = &mut shutdown => return Ok(Exit::Signal(signal)),
            }
        }
    }

    /// One input; `Some` when it ends the loop.
    fn input(&mut self, input: Option<Input>) -> io::Result<Option<Exit>> {
        match input {
            Some(Input::Key(key)) => return Ok(self.key(key)),
            Some(Input::Resize) => self.screen.resized()?,
            Some(Input::Paste(text)) => self.app.paste(&text),
            Some(Input::Lost(why)) => return Ok(Some(Exit::InputEnded(Some(why)))),
            None => return Ok(Some(Exit::InputEnded(None))),
        }
        Ok(None)
    }

    /// The inputs that have already arrived, taken before the next frame: a
    /// burst of keys (key repeat over a slow link, a paste without brackets)
    /// costs one frame, not one each. A frame is still drawn every
    /// `BURST_FRAME`, so a long burst shows its progress.
    fn burst(
        &mut self,
        inputs: &mut (impl Stream<Item = Input> + Unpin),
    ) -> io::Result<Option<Exit>> {
        let started = Instant::now();
        while started.elapsed() < BURST_FRAME {
            let Some(input) = inputs.next().now_or_never() else {
                break;
            };
            if let Some(exit) = self.input(input)? {
                return Ok(Some(exit));
            }
        }
        Ok(None)
    }

    fn key(&mut self, key: Key) -> Option<Exit> {
        // The board only shows; on the "too small" screen nothing can be
        // seen, so nothing is done: only quitting, at once, as the screen says.
        let only_quits = match self.kind {
            Kind::Board => Some(Scope::Board),
            Kind::Run => self.too_small().then_some(Scope::TooSmall),
        };
        if let Some(scope) = only_quits {
            // A line left open when the window shrank goes on taking what
            // is typed into it, `q` included, which is likelier a letter of
            // the note than a wish to quit; only Ctrl-C quits then.
            let typing = scope == Scope::TooSmall && self.app.ui.overlay.is_some();
            if !typing || key == Key::Ctrl('c') {
                let quits = self.app.keys.action(scope, key) == Some(Action::QuitNow)
                    || key == Key::Ctrl('c');
                return quits.then_some(Exit::Quit);
            }
        }
        self.app.at(self.clock.now());
        let effects = self.app.key(key);
        self.perform(effects)
    }

    /// Carries out what the controller asked for. A command the journal's
    /// thread cannot take is answered here, and that answer may release keys
    /// the controller held, with effects of their own.
    fn perform(&mut self, effects: Vec<Effect>) -> Option<Exit> {
        let mut todo = std::collections::VecDeque::from(effects);
        while let Some(effect) = todo.pop_front() {
            let gone = || "the journal thread has stopped; restart gavel".to_string();
            let answer = match effect {
                Effect::Quit => return Some(Exit::Quit),
                Effect::Preview => {
                    let sent = self.worker.is_some_and(|w| w.send(Request::Preview));
                    (!sent).then(|| Update::Warning(gone()))
                }
                Effect::Execute(command) => {
                    let now = self.clock.now();
                    let sent = self
                        .worker
                        .is_some_and(|w| w.send(Request::Execute { command, now }));
                    (!sent).then(|| Update::Failed(gone()))
                }
            };
            if let Some(answer) = answer {
                todo.extend(self.app.update(answer));
            }
        }
        None
    }

    fn too_small(&mut self) -> bool {
        let size = self.screen.terminal().size().unwrap_or_default();
        size.width < draw::MIN_WIDTH || size.height < draw::MIN_HEIGHT
    }

    fn draw(&mut self) -> io::Result<()> {
        let now = self.clock.now();
        let (app, kind) = (&*self.app, self.kind);
        self.screen.frame(&mut |frame| match kind {
            Kind::Run => draw::screen(frame, app, now),
            Kind::Board => draw::board(frame, app, now),
        })
    }
}

/// Ticks land just after each wall-clock second, so timers turn over together
/// on every screen.
pub(crate) fn until_next_second(clock: &WallClock) -> Duration {
    let now = clock.now();
    let into = now.subsec_nanosecond().rem_euclid(1_000_000_000) as u64;
    Duration::from_nanos(1_000_000_000 - into) + Duration::from_millis(2)
}

/// SIGHUP (the SSH connection dropped), SIGTERM and SIGINT. The handlers are
/// installed here, at once, so a signal that comes before the loop first
/// waits is not lost to the default action.
pub(crate) fn signals() -> io::Result<impl Future<Output = &'static str>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut hup = signal(SignalKind::hangup())?;
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = hup.recv() => "SIGHUP",
            _ = term.recv() => "SIGTERM",
            _ = int.recv() => "SIGINT",
        }
    })
}
