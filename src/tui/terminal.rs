//! The terminal layer: the only place escape sequences are written. One guard
//! gives the terminal back on normal exit, on a panic (hook) and on a signal
//! (the loop ends, the guard drops): raw mode off, main screen, cursor shown.

use std::io::{self, Stdout, Write};
use std::sync::Once;

use crossterm::cursor::{Hide, Show};
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
}

pub struct Real {
    terminal: Terminal<CrosstermBackend<Stdout>>,
    _guard: Guard,
}

impl Real {
    pub fn enter() -> io::Result<Real> {
        let guard = Guard::enter()?;
        let terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
        Ok(Real {
            terminal,
            _guard: guard,
        })
    }
}

impl Screen for Real {
    type Backend = CrosstermBackend<Stdout>;

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

    fn resized(&mut self) -> io::Result<()> {
        self.terminal.autoresize()?;
        self.terminal.clear()
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
        execute!(io::stdout(), EnterAlternateScreen, Hide)?;
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
