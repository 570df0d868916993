//! The full-screen terminal interface: `gavel run` and `gavel board`.
//!
//! [`start`] wires a screen: the controller ([`app`]) on a copy of the
//! meeting's state, the journal's own thread ([`worker`]) and the channel of
//! [`message`]s between them; the [`run`] loop then carries keys, answers and
//! ticks between them and the screen.

pub mod app;
pub mod columns;
pub mod complete;
pub mod draw;
pub mod input;
pub mod keymap;
pub mod keys;
pub mod message;
pub mod panes;
pub mod prompt;
pub mod rooms;
pub mod run;
pub mod search;
pub mod terminal;
pub mod theme;
pub mod view;
pub mod worker;

use std::future::Future;
use std::io;

use futures_util::Stream;
use tokio::sync::mpsc::UnboundedReceiver;

use crate::journal::JournalFile;
use crate::live::Live;
use crate::now::WallClock;
use crate::store::progress::{Slow, Step};
use crate::text::Clean;

use app::App;
use input::Input;
use message::Update;
use run::{Exit, Kind, Loop};
use terminal::Screen;
use theme::Theme;
use view::{Notice, Tone, Ui};
use worker::{Opener, Worker};

/// What a screen starts with, besides its journal.
pub struct Setup {
    pub operator: Clean,
    pub read_only: bool,
    pub theme: Theme,
    /// The key table in force, the officer's own keys in place.
    pub keys: keymap::Keymap,
    /// Said on the status line at the start (a torn tail cut on opening).
    pub notice: Option<String>,
    pub clock: WallClock,
    pub kind: Kind,
}

/// A screen wired to its journal, ready to run.
pub struct Session {
    pub app: App,
    worker: Worker,
    updates: UnboundedReceiver<Update>,
    clock: WallClock,
    kind: Kind,
}

/// The controller on `live`'s state and the journal's thread on `live`.
/// With an `opener`, `live` is a read-only view shown while another process
/// holds the journal's lock: the screen says it waits, and the thread opens
/// the journal for writing once the lock is let go.
pub fn start<F: JournalFile + Send + 'static>(
    live: Live<F>,
    opener: Option<Opener>,
    setup: Setup,
) -> Session {
    let mut ui = Ui::new(setup.operator.clone(), setup.read_only);
    ui.notice = setup.notice.map(|text| Notice {
        tone: Tone::Found,
        text,
    });
    let mut app = App::new(live.state.clone(), ui, setup.theme);
    app.keys = std::sync::Arc::new(setup.keys);
    let (sender, updates) = tokio::sync::mpsc::unbounded_channel();
    let worker = match opener {
        None => Worker::start(live, setup.operator, sender),
        Some(open) => {
            app.update(Update::Waiting {
                secs: 0,
                holder: None,
            });
            Worker::start_opening(live, open, setup.operator, sender)
        }
    };
    Session {
        app,
        worker,
        updates,
        clock: setup.clock,
        kind: setup.kind,
    }
}

impl Session {
    /// Runs on the real terminal until it ends. Start-up errors come before
    /// the screen is taken over, so they read plainly.
    pub fn on_terminal(&mut self) -> io::Result<Exit> {
        runtime()?.block_on(async {
            let signals = run::signals()?;
            let mut screen = terminal::Real::enter()?;
            let inputs = input::terminal()?;
            self.run_loop(&mut screen, inputs, signals).await
        })
    }

    /// Runs on `screen`, fed `inputs`, until they end, the officer quits or
    /// `shutdown` comes.
    pub fn run<S: Screen>(
        &mut self,
        screen: &mut S,
        inputs: impl Stream<Item = Input> + Unpin,
        shutdown: impl Future<Output = &'static str>,
    ) -> io::Result<Exit> {
        runtime()?.block_on(self.run_loop(screen, inputs, shutdown))
    }

    async fn run_loop<S: Screen>(
        &mut self,
        screen: &mut S,
        inputs: impl Stream<Item = Input> + Unpin,
        shutdown: impl Future<Output = &'static str>,
    ) -> io::Result<Exit> {
        Loop {
            app: &mut self.app,
            screen,
            worker: Some(&self.worker),
            updates: &mut self.updates,
            clock: self.clock,
            kind: self.kind,
        }
        .run(inputs, shutdown)
        .await
    }

    /// Waits for an append under way, so what was sent is on disk or not
    /// begun, and gives back the controller with the commands the screen
    /// sent but the journal did not save after the loop stopped listening:
    /// the officer never saw those answers, so they are said now.
    pub fn finish(mut self) -> Finished {
        let stuck = self.worker.stop();
        let mut unsaved = Vec::new();
        let mut unconfirmed = None;
        while let Ok(update) = self.updates.try_recv() {
            match update {
                Update::Done(ours) => self.app.update(Update::Done(ours)),
                Update::Refused(why) | Update::Failed(why) => {
                    unsaved.push(why);
                    Vec::new()
                }
                Update::Unconfirmed(why) => {
                    let why = why.strip_prefix("not confirmed: ").unwrap_or(&why);
                    unconfirmed = Some(why.to_string());
                    Vec::new()
                }
                _ => Vec::new(),
            };
        }
        if let Some(slow) = stuck {
            // The first command not answered is the one the store holds up;
            // those behind it never reached the store.
            let answered = unsaved.len() + usize::from(unconfirmed.is_some());
            let behind = self.app.unanswered().saturating_sub(answered + 1);
            match slow.step {
                Step::Committing => unconfirmed = Some(left_to_the_store(&slow)),
                Step::Writing => unsaved.push(format!("gavel quit while {slow}")),
            }
            unsaved.extend((0..behind).map(|_| "gavel quit before it reached the store".into()));
        }
        Finished {
            app: self.app,
            unsaved,
            unconfirmed,
        }
    }
}

/// What is said of a command whose `COMMIT` gavel quit without an answer to.
fn left_to_the_store(slow: &Slow) -> String {
    format!(
        "the store had not confirmed it after {} s (its synchronous standby may be down) when \
         gavel quit: it may yet be saved, since the primary keeps what it has written and counts \
         it once the standby confirms (unless the primary is lost first); before typing it \
         again, look with `gavel state` once the store answers",
        slow.waited.as_secs()
    )
}

/// A screen's end: its controller, why each command it sent last was not
/// saved, oldest first, and what is known of one the store did not confirm.
pub struct Finished {
    pub app: App,
    pub unsaved: Vec<String>,
    pub unconfirmed: Option<String>,
}

pub(crate) fn runtime() -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}
