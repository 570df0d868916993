//! The full-screen commands: `gavel run` and `gavel board`.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use super::args::LogDir;
use super::context::{clock, found, load, meeting_dir, no_color, operator, say_found, settings};
use super::{Code, Failure, say};
use crate::config::settings::{Settings, theme_from};
use crate::journal::Mode;
use crate::live::Live;
use crate::tui::run::Exit;
pub(super) use crate::tui::run::Kind;

pub(super) fn tui(
    path: &Path,
    log_dir: &LogDir,
    op: Option<String>,
    read_only: bool,
    kind: Kind,
) -> Result<(), Failure> {
    let clock = clock()?;
    let mode = if read_only {
        Mode::ReadOnly
    } else {
        Mode::ReadWrite
    };
    // A settings file with a mistake stops gavel before the screen takes over.
    let settings = settings()?;
    let theme = theme(&settings)?;
    let loaded = load(path)?;
    let dir = meeting_dir(&loaded, log_dir)?;
    let loaded_store = load(path)?;
    let meeting = Arc::new(loaded.meeting);
    let operator = operator(op)?;
    let (live, opener) = match super::context::location(&loaded_store, log_dir) {
        crate::store::Location::Files => open_for_screen(meeting, &dir, mode)?,
        // No lock to wait for: every officer writes at once.
        crate::store::Location::Postgres(_) => {
            let how = super::context::How::Open(mode);
            (
                super::context::open_live(path, loaded_store, log_dir, how)?,
                None,
            )
        }
    };
    say_found(&live);
    let setup = crate::tui::Setup {
        operator,
        read_only,
        theme,
        keys: settings.keys,
        notice: notice(&live),
        clock,
        kind,
    };
    on_screen(live, opener, setup).map(|_| ())
}

/// A meeting already opened, on its own read-only screen: `gavel rooms`'s
/// Enter. True when the officer quit it, false when a signal or the
/// terminal's loss ended it.
pub(super) fn read_only(live: Live, settings: &Settings) -> Result<bool, Failure> {
    let setup = crate::tui::Setup {
        operator: operator(None)?,
        read_only: true,
        theme: theme(settings)?,
        keys: settings.keys.clone(),
        notice: notice(&live),
        clock: clock()?,
        kind: Kind::Run,
    };
    on_screen(live, None, setup).map(|exit| exit == Exit::Quit)
}

fn on_screen(
    live: Live,
    opener: Option<crate::tui::worker::Opener>,
    setup: crate::tui::Setup,
) -> Result<Exit, Failure> {
    let mut session = crate::tui::start(live, opener, setup);
    let exit = session.on_terminal();
    // Waits for an append under way: what was sent is on disk or not begun.
    let finished = session.finish();
    if let Some(why) = &finished.unconfirmed {
        if let Some(failure) = unsaved(&finished.unsaved) {
            say!("gavel: {}", failure.message);
        }
        return Err(Failure::new(
            Code::Failure,
            format!("1 command sent before quitting was not confirmed: {why}"),
        ));
    }
    if let Some(failure) = unsaved(&finished.unsaved) {
        return Err(failure);
    }
    match exit {
        Ok(Exit::Quit) => Ok(Exit::Quit),
        Ok(Exit::Signal(signal)) => {
            say!("gavel: {signal}: stopped; everything shown as saved is in the journal");
            Ok(Exit::Signal(signal))
        }
        Ok(Exit::InputEnded(why)) => {
            let shown = why.as_ref().map(|w| format!(" ({w})")).unwrap_or_default();
            say!(
                "gavel: the terminal went away{shown}; everything shown as saved is in the journal"
            );
            Ok(Exit::InputEnded(why))
        }
        Err(e) => Err(Failure::new(
            Code::Failure,
            format!("the terminal failed: {e}"),
        )),
    }
}

/// The theme the settings ask for. Reading the file checked every name and
/// style at its line; what is left is said naming the file all the same.
pub(super) fn theme(settings: &Settings) -> Result<crate::tui::theme::Theme, Failure> {
    theme_from(settings, no_color()).map_err(|e| {
        let file = crate::config::settings::path()
            .map(|p| format!("{}: ", p.display()))
            .unwrap_or_default();
        Failure::new(Code::Usage, format!("{file}{e}"))
    })
}

/// What the status line says at the start: what was found and mended.
fn notice(live: &Live) -> Option<String> {
    let found = found(live);
    (!found.is_empty()).then(|| found.join("; "))
}

/// Commands sent as the screen closed, answered after it stopped listening,
/// and not saved: the officer is told how many and why, not left to believe
/// them done.
fn unsaved(why: &[String]) -> Option<Failure> {
    let first = why.first()?;
    let count = match why.len() {
        1 => "1 command sent before quitting was".to_string(),
        n => format!("{n} commands sent before quitting were"),
    };
    Some(Failure::new(
        Code::Failure,
        format!("{count} not saved ({first}); the rest is in the journal"),
    ))
}

/// The journal for a screen. When another process holds its lock, the screen
/// does not wait blank: it shows the journal read-only at once, and the
/// returned opener takes the lock once it is let go.
fn open_for_screen(
    meeting: Arc<crate::domain::Meeting>,
    dir: &Path,
    mode: Mode,
) -> Result<(Live, Option<crate::tui::worker::Opener>), Failure> {
    use crate::journal::LockWait;
    if mode == Mode::ReadOnly {
        return Ok((Live::open(meeting, dir, mode)?, None));
    }
    let now = LockWait::at_most(std::time::Duration::ZERO);
    match Live::open_waiting(meeting.clone(), dir, mode, now) {
        Ok(live) => Ok((live, None)),
        Err(e) if e.is_locked() => {
            let viewer = Live::open(meeting.clone(), dir, Mode::ReadOnly)?;
            let dir = dir.to_path_buf();
            let open: crate::tui::worker::Opener =
                Box::new(move |wait| Live::open_waiting(meeting, &dir, Mode::ReadWrite, wait));
            Ok((viewer, Some(open)))
        }
        Err(e) => Err(e.into()),
    }
}
