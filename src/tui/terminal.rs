//! The terminal layer: the only place escape sequences are written. One guard
//! gives the terminal back on normal exit, on a panic (hook) and on a signal
//! (the loop ends, the guard drops): raw mode off, main screen, cursor shown.

use std::io::{self, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Once};

use crossterm::cursor::{Hide, Show};
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::terminal::{
    BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen,
    disable_raw_mode, enable_raw_mode,
};
use crossterm::{execute, queue};
use ratatui::Terminal;
use ratatui::backend::{Backend, CrosstermBackend, TestBackend};

/// Where frames go: the real terminal, or a test's buffer.
pub trait Screen {
    type Backend: Backend;
    fn terminal(&mut self) -> &mut Terminal<Self::Backend>;
    /// Draws one frame; the real terminal wraps it in a synchronized update so
    /// a slow link never shows half a frame.
    fn frame(&mut self, draw: &mut dyn FnMut(&mut ratatui::Frame)) -> io::Result<()>;
    fn bell(&mut self) -> io::Result<()>;
    /// After a resize: forget what is on the screen and draw it all again.
    fn resized(&mut self) -> io::Result<()>;
    /// The terminal is gone (a dropped connection): nothing more can be shown.
    fn gone(&self) -> bool {
        false
    }
}

pub struct Real {
    terminal: Terminal<CrosstermBackend<Tty>>,
    gone: Arc<AtomicBool>,
    _guard: Guard,
}

impl Real {
    pub fn enter() -> io::Result<Real> {
        let guard = Guard::enter()?;
        let gone = Arc::new(AtomicBool::new(false));
        let tty = Tty {
            out: io::stdout(),
            gone: gone.clone(),
        };
        let terminal = Terminal::new(CrosstermBackend::new(tty))?;
        Ok(Real {
            terminal,
            gone,
            _guard: guard,
        })
    }
}

/// Standard output that, once the terminal is gone (a dropped SSH connection),
/// takes what is written and drops it: nothing can be shown any more, and
/// the input side ends the loop. Without this, the terminal library's own
/// clean-up reports the failure on the dead terminal and panics.
pub struct Tty {
    out: Stdout,
    gone: Arc<AtomicBool>,
}

impl Write for Tty {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.gone.load(Ordering::Relaxed) {
            match self.out.write(buf) {
                Ok(n) => return Ok(n),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => return Err(e),
                Err(_) => self.gone.store(true, Ordering::Relaxed),
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.gone.load(Ordering::Relaxed) && self.out.flush().is_err() {
            self.gone.store(true, Ordering::Relaxed);
        }
        Ok(())
    }
}

impl Screen for Real {
    type Backend = CrosstermBackend<Tty>;

    fn terminal(&mut self) -> &mut Terminal<Self::Backend> {
        &mut self.terminal
    }

    fn frame(&mut self, draw: &mut dyn FnMut(&mut ratatui::Frame)) -> io::Result<()> {
        queue!(self.terminal.backend_mut(), BeginSynchronizedUpdate)?;
        self.terminal.draw(|f| draw(f))?;
        execute!(self.terminal.backend_mut(), EndSynchronizedUpdate)
    }

    fn bell(&mut self) -> io::Result<()> {
        let out = self.terminal.backend_mut();
        out.write_all(b"\x07")?;
        Write::flush(out)
    }

    fn gone(&self) -> bool {
        self.gone.load(Ordering::Relaxed)
    }

    /// Redraws everything at the new size. `Terminal::clear` would ask the
    /// terminal where its cursor is and wait for the answer; this does not.
    fn resized(&mut self) -> io::Result<()> {
        let size = self.terminal.size()?;
        self.terminal
            .resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
    }
}

/// A test's screen: frames land in a buffer, bells are counted.
pub struct Test {
    pub terminal: Terminal<TestBackend>,
    pub bells: usize,
    pub frames: usize,
}

impl Test {
    pub fn new(width: u16, height: u16) -> Test {
        Test {
            terminal: Terminal::new(TestBackend::new(width, height)).expect("a test backend"),
            bells: 0,
            frames: 0,
        }
    }
}

impl Screen for Test {
    type Backend = TestBackend;

    fn terminal(&mut self) -> &mut Terminal<TestBackend> {
        &mut self.terminal
    }

    fn frame(&mut self, draw: &mut dyn FnMut(&mut ratatui::Frame)) -> io::Result<()> {
        self.frames += 1;
        self.terminal
            .draw(|f| draw(f))
            .map(drop)
            .map_err(|e| io::Error::other(e.to_string()))
    }

    fn bell(&mut self) -> io::Result<()> {
        self.bells += 1;
        Ok(())
    }

    fn resized(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Raw mode and the alternate screen for as long as it lives.
struct Guard;

impl Guard {
    fn enter() -> io::Result<Guard> {
        install_panic_hook();
        enable_raw_mode()?;
        // Built before anything can fail, so a failure below still restores.
        let guard = Guard;
        // Bracketed paste: a paste is text for the input line, so an ESC or a
        // line break inside it can never be taken as keys.
        execute!(
            io::stdout(),
            EnterAlternateScreen,
            Hide,
            EnableBracketedPaste
        )?;
        Ok(guard)
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Gives the terminal back. Safe to call twice, and when the terminal is gone.
pub fn restore() {
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        EndSynchronizedUpdate,
        LeaveAlternateScreen,
        Show
    );
    let _ = disable_raw_mode();
}

fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}
