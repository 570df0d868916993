//! The notes, oldest first, scrolled to keep the newest (or the one under the
//! cursor) in view. Each wraps within the width; amended and retracted notes
//! say so in words as well as in style.

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::{fit_line, frame_pane, graphemes, local, pad, put_lines};
use crate::domain::state::Note;
use crate::tui::view::{Pane, View};

/// From this width, continuation lines start under the note's number.
const HANG_FROM: usize = 30;
const HANG: usize = 6;

pub fn draw(frame: &mut Frame, area: Rect, view: &View) {
    let inner = frame_pane(frame, area, Pane::Notes, view);
    if inner.is_empty() {
        return;
    }
    let (w, h) = (usize::from(inner.width), usize::from(inner.height));
    let notes = &view.state.notes;
    let Some(newest) = notes.keys().next_back().copied() else {
        let theme = view.theme;
        let here = crate::tui::keys::Scope::Pane(view.ui.focus);
        let how = match view.keys.key_for(here, crate::tui::keys::Action::NewNote) {
            Some(key) => key.label(),
            None => ":note".to_string(),
        };
        let empty = vec![
            Span::styled("No notes yet — ", theme.dim()),
            Span::styled(how, theme.key()),
            Span::styled(" to write one", theme.dim()),
        ];
        return put_lines(frame, inner, vec![fit_line(empty, w)]);
    };
    let anchor = view
        .ui
        .note_cursor
        .filter(|id| notes.contains_key(id))
        .unwrap_or(newest);
    let selected = view.ui.focus == Pane::Notes;
    let lines_of = |note: &Note| note_lines(note, view, w, selected && note.id == anchor);
    put_lines(frame, inner, visible(notes, anchor, h, lines_of));
}

/// The `h` lines around `anchor`: it and those before it, with it at the
/// bottom; those after it only when the earlier ones do not fill the pane.
fn visible(
    notes: &BTreeMap<u32, Note>,
    anchor: u32,
    h: usize,
    lines_of: impl Fn(&Note) -> Vec<Line<'static>>,
) -> Vec<Line<'static>> {
    let mut before: Vec<Vec<Line<'static>>> = Vec::new();
    let mut height = 0;
    for note in notes.range(..=anchor).rev().map(|(_, n)| n) {
        let lines = lines_of(note);
        height += lines.len();
        before.push(lines);
        if height >= h {
            break;
        }
    }
    let anchor_height = before.first().map_or(0, Vec::len);
    let mut lines: Vec<Line<'static>> = before.into_iter().rev().flatten().collect();
    if anchor_height >= h {
        // A note taller than the pane shows from its beginning.
        lines.drain(..lines.len() - anchor_height);
    } else if lines.len() > h {
        lines.drain(..lines.len() - h);
    } else {
        for note in notes.range(anchor + 1..).map(|(_, n)| n) {
            if lines.len() >= h {
                break;
            }
            lines.extend(lines_of(note));
        }
    }
    lines.truncate(h);
    lines
}

/// `15:42 #12 [France] text #tag (amended)`, wrapped to `w` columns.
fn note_lines(note: &Note, view: &View, w: usize, selected: bool) -> Vec<Line<'static>> {
    let theme = view.theme;
    let retracted = note.retracted.is_some();
    let faded = |style: Style| {
        if retracted {
            style.patch(theme.dim())
        } else {
            style
        }
    };
    let mut words: Vec<Vec<Span<'static>>> = vec![
        vec![Span::styled(
            local(&view.state.meeting, note.created_at(), "%H:%M"),
            faded(theme.dim()),
        )],
        vec![Span::styled(format!("#{}", note.id), faded(theme.dim()))],
    ];
    if let Some(speaker) = &note.speaker {
        words.push(vec![Span::styled(
            format!("[{}]", speaker.delegation),
            faded(theme.title()),
        )]);
    }
    let text_style = if retracted {
        theme.dim().add_modifier(Modifier::CROSSED_OUT)
    } else {
        theme.text()
    };
    let tag_style = if retracted { text_style } else { theme.tag() };
    words.extend(
        note.current()
            .text
            .as_str()
            .split_whitespace()
            .map(|word| text_word(word, text_style, tag_style)),
    );
    if note.versions.len() > 1 {
        words.push(vec![Span::styled("(amended)", faded(theme.dim()))]);
    }
    if retracted {
        words.push(vec![Span::styled("(retracted)", theme.dim())]);
    }
    let indent = if w >= HANG_FROM { HANG } else { 0 };
    let lines = wrap(words, w, indent);
    if !selected {
        return lines;
    }
    lines
        .into_iter()
        .map(|l| pad(l, w).style(theme.selected()))
        .collect()
}

/// A word of a note: a `#tag` is drawn as a tag, trailing punctuation is not.
fn text_word(word: &str, text: Style, tag: Style) -> Vec<Span<'static>> {
    let Some(rest) = word.strip_prefix('#') else {
        return vec![Span::styled(word.to_string(), text)];
    };
    let name = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
        .unwrap_or(rest.len());
    if name == 0 {
        return vec![Span::styled(word.to_string(), text)];
    }
    let (tagged, after) = word.split_at(name + 1);
    let mut spans = vec![Span::styled(tagged.to_string(), tag)];
    if !after.is_empty() {
        spans.push(Span::styled(after.to_string(), text));
    }
    spans
}

/// Words laid out greedily in lines of `w` columns, continuation lines indented;
/// a word wider than a line is broken where the line ends.
fn wrap(words: Vec<Vec<Span<'static>>>, w: usize, indent: usize) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = vec![Line::default()];
    for word in words {
        let word_w: usize = word.iter().map(Span::width).sum();
        let used = lines.last().map_or(0, Line::width);
        let fresh = used == 0 || used == indent && lines.len() > 1;
        if !fresh && used + 1 + word_w <= w {
            let line = lines.last_mut().expect("a line");
            line.spans.push(Span::raw(" "));
            line.spans.extend(word);
            continue;
        }
        if !fresh {
            lines.push(Line::from(" ".repeat(indent)));
        }
        for span in word {
            place(&mut lines, span, w, indent);
        }
    }
    lines
}

/// Appends `span` to the last line, breaking it over new lines where it does
/// not fit, between graphemes.
fn place(lines: &mut Vec<Line<'static>>, span: Span<'static>, w: usize, indent: usize) {
    let style = span.style;
    let mut piece = String::new();
    let mut used = lines.last().map_or(0, Line::width);
    for (g, cw) in graphemes(&span.content) {
        if used + cw > w && used > indent {
            lines
                .last_mut()
                .expect("a line")
                .spans
                .push(Span::styled(std::mem::take(&mut piece), style));
            lines.push(Line::from(" ".repeat(indent)));
            used = indent;
        }
        piece.push_str(g);
        used += cw;
    }
    if !piece.is_empty() {
        lines
            .last_mut()
            .expect("a line")
            .spans
            .push(Span::styled(piece, style));
    }
}
