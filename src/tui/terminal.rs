//! The terminal layer: the only place escape sequences are written. One guard
//! gives the terminal back on normal exit, on a panic (hook) and on a signal
//! (the loop ends, the guard drops): raw mode off, main screen, cursor shown.
//! Frames are encoded by `wire`, and written whole, one write each.

pub mod wire;

use std::fs::File;
use std::io::{self, Write};
use std::os::fd::AsFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Once};

use crossterm::cursor::{Hide, Show};
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;
use crossterm::style::{Attribute, SetAttribute};
use crossterm::terminal::{
    EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode,
    enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::{Backend, TestBackend};

use wire::Wire;

const BEGIN_FRAME: &[u8] = b"\x1b[?2026h";
const END_FRAME: &[u8] = b"\x1b[?2026l";

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
    terminal: Terminal<Wire<Tty>>,
    gone: Arc<AtomicBool>,
    /// The screen is to be cleared and drawn whole, in the next frame.
    repaint: bool,
    _guard: Guard,
}

impl Real {
    pub fn enter() -> io::Result<Real> {
        let guard = Guard::enter()?;
        let gone = Arc::new(AtomicBool::new(false));
        // Its own handle on standard output, written without the standard
        // library's line buffer, which would cut a frame at every line feed.
        let out = File::from(io::stdout().as_fd().try_clone_to_owned()?);
        let tty = Tty {
            out,
            gone: gone.clone(),
            pending: Vec::new(),
            holding: false,
        };
        let terminal = Terminal::new(Wire::new(tty))?;
        Ok(Real {
            terminal,
            gone,
            repaint: false,
            _guard: guard,
        })
    }

    fn tty(&mut self) -> &mut Tty {
        self.terminal.backend_mut().writer_mut()
    }

    fn draw_held(&mut self, draw: &mut dyn FnMut(&mut ratatui::Frame)) -> io::Result<()> {
        if std::mem::take(&mut self.repaint) {
            let size = self.terminal.size()?;
            self.terminal
                .resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))?;
        }
        self.terminal.draw(|f| draw(f)).map(drop)
    }
}

/// Standard output that keeps a frame until it is whole and then writes it
/// at once: a thin link gets one burst, not a frame in pieces. Once the terminal is gone (a dropped SSH
/// connection) it takes what is written and drops it: nothing can be shown any
/// more, and the input side ends the loop. Without this, the terminal
/// library's own clean-up reports the failure on the dead terminal and panics.
pub struct Tty {
    out: File,
    gone: Arc<AtomicBool>,
    pending: Vec<u8>,
    /// Within a frame: flushes wait for its end.
    holding: bool,
}

impl Tty {
    fn send(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        if !self.gone.load(Ordering::Relaxed) && self.out.write_all(&self.pending).is_err() {
            self.gone.store(true, Ordering::Relaxed);
        }
        self.pending.clear();
    }
}

impl Write for Tty {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.gone.load(Ordering::Relaxed) {
            self.pending.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.holding {
            self.send();
        }
        Ok(())
    }
}

impl Screen for Real {
    type Backend = Wire<Tty>;

    fn terminal(&mut self) -> &mut Terminal<Self::Backend> {
        &mut self.terminal
    }

    /// A frame in which nothing changed writes nothing at all, not even the
    /// synchronized-update pair around it.
    fn frame(&mut self, draw: &mut dyn FnMut(&mut ratatui::Frame)) -> io::Result<()> {
        let tty = self.tty();
        tty.holding = true;
        let start = tty.pending.len();
        tty.pending.extend_from_slice(BEGIN_FRAME);
        let drawn = self.draw_held(draw);
        let tty = self.tty();
        if tty.pending.len() == start + BEGIN_FRAME.len() {
            tty.pending.truncate(start);
        } else {
            tty.pending.extend_from_slice(END_FRAME);
        }
        tty.holding = false;
        tty.send();
        drawn
    }

    fn bell(&mut self) -> io::Result<()> {
        let out = self.tty();
        out.write_all(b"\x07")?;
        Write::flush(out)
    }

    fn gone(&self) -> bool {
        self.gone.load(Ordering::Relaxed)
    }

    /// Redraws everything at the new size, in the next frame, so that the
    /// cleared screen is never shown on its own. `Terminal::clear` would ask
    /// the terminal where its cursor is and wait for the answer; this does not.
    fn resized(&mut self) -> io::Result<()> {
        self.terminal.backend_mut().resized();
        self.repaint = true;
        Ok(())
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
    // Frames leave their colours set for the next one: the shell gets none.
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        EndSynchronizedUpdate,
        SetAttribute(Attribute::Reset),
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
