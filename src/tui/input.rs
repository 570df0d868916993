//! Where input is read: crossterm's events become gavel's own, and nothing
//! past this file sees a crossterm type.

use crossterm::event::{Event, EventStream, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use futures_util::{Stream, StreamExt};

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

/// The terminal's events as `Input`s. A read error ends the stream after
/// saying so: crossterm would otherwise report it again and again at full CPU.
pub fn terminal() -> impl Stream<Item = Input> + Unpin {
    let mut failed = false;
    EventStream::new()
        .flat_map(|event| {
            futures_util::stream::iter(match event {
                Ok(event) => from_event(event),
                Err(e) => vec![Input::Lost(e.to_string())],
            })
        })
        .take_while(move |input| {
            let go_on = !failed;
            failed |= matches!(input, Input::Lost(_));
            async move { go_on }
        })
        .boxed()
}

fn from_event(event: Event) -> Vec<Input> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            // Esc and a key typed quickly after it, or sent together over a slow
            // link, arrive as one Alt-key: they were two keys.
            let alt = key.modifiers.contains(KeyModifiers::ALT);
            let key = from_key(key).map(Input::Key);
            match (alt, key) {
                (true, Some(key)) => vec![Input::Key(Key::Esc), key],
                (false, Some(key)) => vec![key],
                (_, None) => Vec::new(),
            }
        }
        Event::Resize(..) => vec![Input::Resize],
        Event::Paste(text) => vec![Input::Paste(text)],
        _ => Vec::new(),
    }
}

fn from_key(key: KeyEvent) -> Option<Key> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char(c) if ctrl => Key::Ctrl(c.to_ascii_lowercase()),
        KeyCode::Char(c) => Key::Char(c),
        KeyCode::Enter => Key::Enter,
        KeyCode::Esc => Key::Esc,
        KeyCode::Tab if key.modifiers.contains(KeyModifiers::SHIFT) => Key::BackTab,
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
