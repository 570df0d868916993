//! Where input is read: the terminal's bytes become gavel's own events, and
//! nothing past this file sees the parser's types.
//!
//! The bytes are read here rather than by crossterm's event source: that
//! source (0.29, its default mio reader) returns after the first event of a
//! read while more bytes wait in the kernel, then waits for a readiness edge
//! that never comes, so the tail of a burst (key repeat over a slow link, a
//! paste without brackets) sat unread until the next key. Its `use-dev-tty`
//! reader drains, but holds a lone Esc that ends a full 1 KiB read until the
//! next key. Here each read is followed by a look at whether more is waiting,
//! so the parser knows when a lone Esc is a key.

use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::thread::JoinHandle;

use futures_util::Stream;
use rustix::event::{PollFd, PollFlags};
use rustix::io::Errno;
use termina::Parser;
use termina::event::{KeyCode, KeyEvent, KeyEventKind, Modifiers};
use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use super::keys::Key;

/// What the loop is told by the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Key(Key),
    /// The terminal changed size: redraw.
    Resize,
    /// Text pasted (bracketed paste): text, never keys.
    Paste(String),
    /// Read failed: the terminal is gone (a dropped SSH connection).
    Lost(String),
}

/// The terminal's events as `Input`s, read on a thread of their own. The
/// stream ends at the end of input, and after a `Lost` when a read fails.
/// Dropping it stops the thread, so nothing reads the terminal once the
/// screen has given it back.
pub struct Terminal {
    inputs: UnboundedReceiver<Input>,
    resized: Signal,
    /// Closed on drop: that wakes the reading thread to stop.
    stop: Option<UnixStream>,
    thread: Option<JoinHandle<()>>,
}

/// The terminal's input: standard input when it is one, else `/dev/tty`, as
/// for the raw mode. Must be called inside the runtime (for SIGWINCH).
pub fn terminal() -> io::Result<Terminal> {
    let tty: OwnedFd = if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        std::io::stdin().as_fd().try_clone_to_owned()?
    } else {
        std::fs::File::open("/dev/tty")?.into()
    };
    let resized = signal(SignalKind::window_change())?;
    let (stop, stopped) = UnixStream::pair()?;
    let (sender, inputs) = unbounded_channel();
    let thread = std::thread::Builder::new()
        .name("input".into())
        .spawn(move || read_terminal(&tty, &stopped, &sender))?;
    Ok(Terminal {
        inputs,
        resized,
        stop: Some(stop),
        thread: Some(thread),
    })
}

impl Stream for Terminal {
    type Item = Input;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Input>> {
        if let Poll::Ready(Some(())) = self.resized.poll_recv(cx) {
            return Poll::Ready(Some(Input::Resize));
        }
        self.inputs.poll_recv(cx)
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Reads until the end of input, a read error or the stop. Every read is
/// parsed and sent at once: nothing waits in the kernel or in the parser
/// while this thread sleeps.
fn read_terminal(tty: &OwnedFd, stop: &UnixStream, inputs: &UnboundedSender<Input>) {
    let mut parser = Parser::default();
    let mut buffer = vec![0u8; 4096];
    let mut held_esc = HeldEsc::default();
    loop {
        match wait_for_bytes(tty, stop) {
            Ok(true) => {}
            Ok(false) => return,
            Err(e) => {
                let _ = inputs.send(Input::Lost(e.to_string()));
                return;
            }
        }
        let read = match rustix::io::read(tty, &mut buffer) {
            // The end of input: the stream ends, and the loop says the terminal went away.
            Ok(0) => return,
            Ok(n) => n,
            Err(Errno::INTR | Errno::AGAIN) => continue,
            Err(e) => {
                let _ = inputs.send(Input::Lost(io::Error::from(e).to_string()));
                return;
            }
        };
        // An Esc with nothing after it is the Esc key only if nothing more is
        // on its way; bytes already waiting may be the rest of its sequence.
        let more = matches!(waiting(tty), Ok(true));
        let bytes = [held_esc.take().as_slice(), &buffer[..read]].concat();
        held_esc = feed(&mut parser, &bytes, more);
        while let Some(event) = parser.pop() {
            for input in from_event(event) {
                if inputs.send(input).is_err() {
                    return;
                }
            }
        }
    }
}

/// An Esc that ended a read with more bytes on their way, kept back until
/// the byte after it is seen.
#[derive(Default)]
struct HeldEsc(bool);

impl HeldEsc {
    fn take(&mut self) -> Vec<u8> {
        if std::mem::take(&mut self.0) {
            vec![0x1b]
        } else {
            Vec::new()
        }
    }
}

/// Bytes that follow an Esc to begin a string the terminal sends only when
/// asked for one (DCS, OSC, SOS, PM, APC): gavel never asks, so there they
/// are the Esc key and then a key of their own. Given to the parser as a
/// string's start, they would swallow every key after them, Ctrl-C too.
const STRING_STARTS: &[u8] = b"P]X^_";

/// Gives `bytes` to the parser, an Esc before a string's start as the Esc
/// key alone. An Esc at the very end, with more on its way, is held back.
fn feed(parser: &mut Parser, bytes: &[u8], more: bool) -> HeldEsc {
    let mut from = 0;
    for at in memchr::memchr_iter(0x1b, bytes) {
        match bytes.get(at + 1) {
            Some(next) if STRING_STARTS.contains(next) => {
                parser.parse(&bytes[from..at], true);
                parser.parse(&[0x1b], false);
                from = at + 1;
            }
            None if more => {
                parser.parse(&bytes[from..at], true);
                return HeldEsc(true);
            }
            _ => {}
        }
    }
    parser.parse(&bytes[from..], more);
    HeldEsc(false)
}

/// Sleeps until the terminal has bytes (or has hung up, which the read then
/// tells); false once told to stop.
fn wait_for_bytes(tty: &OwnedFd, stop: &UnixStream) -> io::Result<bool> {
    loop {
        let mut fds = [
            PollFd::new(tty, PollFlags::IN),
            PollFd::new(stop, PollFlags::IN),
        ];
        match rustix::event::poll(&mut fds, None) {
            Ok(_) => {}
            Err(Errno::INTR) => continue,
            Err(e) => return Err(e.into()),
        }
        if !fds[1].revents().is_empty() {
            return Ok(false);
        }
        let tty = fds[0].revents();
        if tty.contains(PollFlags::NVAL) {
            return Err(io::Error::other("the terminal's input was closed"));
        }
        if !tty.is_empty() {
            return Ok(true);
        }
    }
}

/// Whether bytes are waiting to be read now.
fn waiting(tty: &OwnedFd) -> io::Result<bool> {
    let mut fds = [PollFd::new(tty, PollFlags::IN)];
    let zero = rustix::event::Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    Ok(rustix::event::poll(&mut fds, Some(&zero))? > 0 && fds[0].revents().contains(PollFlags::IN))
}

fn from_event(event: termina::Event) -> Vec<Input> {
    match event {
        termina::Event::Key(key) if key.kind != KeyEventKind::Release => {
            // Esc and a key typed quickly after it, or sent together over a slow
            // link, arrive as one Alt-key: they were two keys.
            let alt = key.modifiers.contains(Modifiers::ALT);
            let key = from_key(key).map(Input::Key);
            match (alt, key) {
                (true, Some(key)) => vec![Input::Key(Key::Esc), key],
                (false, Some(key)) => vec![key],
                (_, None) => Vec::new(),
            }
        }
        termina::Event::WindowResized(_) => vec![Input::Resize],
        termina::Event::Paste(text) => vec![Input::Paste(text)],
        _ => Vec::new(),
    }
}

fn from_key(key: KeyEvent) -> Option<Key> {
    let ctrl = key.modifiers.contains(Modifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char(c) if ctrl => Key::Ctrl(c.to_ascii_lowercase()),
        KeyCode::Char(c) => Key::Char(c),
        KeyCode::Enter => Key::Enter,
        KeyCode::Escape => Key::Esc,
        KeyCode::Tab if key.modifiers.contains(Modifiers::SHIFT) => Key::BackTab,
        KeyCode::Tab => Key::Tab,
        KeyCode::BackTab => Key::BackTab,
        KeyCode::Backspace => Key::Backspace,
        KeyCode::Delete => Key::Delete,
        KeyCode::Left => Key::Left,
        KeyCode::Right => Key::Right,
        KeyCode::Up => Key::Up,
        KeyCode::Down => Key::Down,
        KeyCode::Home => Key::Home,
        KeyCode::End => Key::End,
        KeyCode::PageUp => Key::PageUp,
        KeyCode::PageDown => Key::PageDown,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(bytes: &[u8], more: bool) -> Vec<Input> {
        let mut parser = Parser::default();
        feed(&mut parser, bytes, more);
        std::iter::from_fn(|| parser.pop())
            .flat_map(from_event)
            .collect()
    }

    #[test]
    fn a_lone_esc_is_a_key_unless_more_is_waiting() {
        assert_eq!(parsed(b"\x1b", false), [Input::Key(Key::Esc)]);
        assert_eq!(parsed(b"\x1b", true), []);
    }

    #[test]
    fn esc_then_a_key_together_are_two_keys() {
        assert_eq!(
            parsed(b"\x1bq", false),
            [Input::Key(Key::Esc), Input::Key(Key::Char('q'))]
        );
    }

    /// Esc then `P` (or `]`) arrives in one read over a slow link; taken for
    /// the start of a string the terminal sends, it swallowed every key after
    /// it, Ctrl-C included.
    #[test]
    fn esc_then_what_starts_a_terminal_string_is_two_keys_and_the_rest_follow() {
        for start in [b'P', b']', b'X', b'^', b'_'] {
            let bytes = [&[0x1b, start][..], b"q\x03"].concat();
            assert_eq!(
                parsed(&bytes, false),
                [
                    Input::Key(Key::Esc),
                    Input::Key(Key::Char(start as char)),
                    Input::Key(Key::Char('q')),
                    Input::Key(Key::Ctrl('c')),
                ],
                "{bytes:?}"
            );
        }
    }

    #[test]
    fn an_esc_ending_a_read_is_judged_with_the_next() {
        let mut parser = Parser::default();
        let mut held = feed(&mut parser, b"j\x1b", true);
        assert!(held.0);
        let next = [held.take().as_slice(), b"Pq"].concat();
        feed(&mut parser, &next, false);
        let keys: Vec<Input> = std::iter::from_fn(|| parser.pop())
            .flat_map(from_event)
            .collect();
        assert_eq!(
            keys,
            [
                Input::Key(Key::Char('j')),
                Input::Key(Key::Esc),
                Input::Key(Key::Char('P')),
                Input::Key(Key::Char('q')),
            ]
        );
    }

    #[test]
    fn keys_sequences_and_a_paste() {
        assert_eq!(
            parsed(b"j\r\x03\x1b[A\x1b[Z\x7f\x1b[3~", false),
            [
                Input::Key(Key::Char('j')),
                Input::Key(Key::Enter),
                Input::Key(Key::Ctrl('c')),
                Input::Key(Key::Up),
                Input::Key(Key::BackTab),
                Input::Key(Key::Backspace),
                Input::Key(Key::Delete),
            ]
        );
        assert_eq!(
            parsed(b"\x1b[200~open\rnext\x1b[201~", false),
            [Input::Paste("open\rnext".into())]
        );
    }
}
