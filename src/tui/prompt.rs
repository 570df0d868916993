//! The input line at the bottom of the screen: the `:` prompt, the note and
//! amend editors, type-to-search and the extend line. Its text and cursor,
//! the edits keys make to it, and its drawing, scrolled sideways so the
//! cursor is always on the screen, however long the line.

use std::cell::Cell;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use unicode_normalization::char::is_combining_mark;

use super::columns::{self, graphemes, width};
use super::theme::Theme;
use crate::domain::{SeatId, SpeechKind};
use crate::text::MAX_MARKS_PER_CHAR;

/// What a search for a name is for, once a candidate is picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Add(SpeechKind),
    Floor,
    Seat(Option<SeatId>),
    Wait,
    Unwait,
    Present,
    Absent,
}

impl Purpose {
    pub fn question(self) -> &'static str {
        match self {
            Purpose::Add(SpeechKind::Statement) => "Inscribe",
            Purpose::Add(SpeechKind::Reply) => "Right of reply for",
            Purpose::Add(SpeechKind::Order) => "Point of order by",
            Purpose::Floor => "Give the floor to",
            Purpose::Seat(_) => "Seat",
            Purpose::Wait => "Waitlist",
            Purpose::Unwait => "Take off the waitlist",
            Purpose::Present => "Record present",
            Purpose::Absent => "Record absent",
        }
    }
}

/// What the line is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    /// The `:` prompt: the whole command language.
    Command,
    /// Type-to-search over the roster and the Member States.
    Search(Purpose),
    Note,
    Amend(u32),
    /// How long to extend the speaker holding the floor.
    Extend,
}

/// A change to the line's text or cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Edit {
    Insert(char),
    Left,
    Right,
    Home,
    End,
    /// Deletes the character before the cursor.
    Backspace,
    /// Deletes the character at the cursor.
    Delete,
    Clear,
}

/// The line being typed at the bottom of the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub text: String,
    /// Cursor position in chars.
    pub cursor: usize,
    /// Why the last Enter was refused; the text is kept for correction.
    pub error: Option<String>,
    /// Sent to the journal, waiting for its answer.
    pub sending: bool,
    /// Candidates (search) or completions (prompt), best first.
    pub choices: Vec<String>,
    pub chosen: usize,
    /// The first grapheme shown when the line is wider than the screen. Kept
    /// from frame to frame, so the cursor moves within what is shown and the
    /// text moves only when the cursor would leave it; set by drawing, which
    /// alone knows the width.
    first_shown: Cell<usize>,
}

impl Prompt {
    pub fn new(kind: PromptKind, text: &str) -> Prompt {
        Prompt {
            kind,
            text: text.to_string(),
            cursor: text.chars().count(),
            error: None,
            sending: false,
            choices: Vec::new(),
            chosen: 0,
            first_shown: Cell::new(0),
        }
    }

    pub fn label(&self) -> String {
        match &self.kind {
            PromptKind::Command => ":".into(),
            PromptKind::Search(p) => format!("{}: ", p.question()),
            PromptKind::Note => "Note: ".into(),
            PromptKind::Amend(n) => format!("Amend note {n}: "),
            PromptKind::Extend => "Extend by: ".into(),
        }
    }

    /// The text replaced, the cursor at its end (a completion).
    pub fn set_text(&mut self, text: String) {
        self.cursor = text.chars().count();
        self.text = text;
    }

    /// The next choice (`forward`) or the one before, round the end.
    pub fn choose(&mut self, forward: bool) {
        let n = self.choices.len().max(1);
        self.chosen = if forward {
            (self.chosen + 1) % n
        } else {
            (self.chosen + n - 1) % n
        };
    }

    /// Edits in place, by byte offsets: a line grown by a long paste without
    /// brackets costs the same for each key as a short one.
    pub fn edit(&mut self, edit: Edit) {
        let len = self.text.chars().count();
        let at = self.cursor.min(len);
        let text = &mut self.text;
        let byte = |text: &str, char_at: usize| {
            text.char_indices()
                .nth(char_at)
                .map_or(text.len(), |(b, _)| b)
        };
        match edit {
            // No pile of combining marks on the screen; characters that cannot
            // be shown are kept for the command (it sanitises) but never drawn.
            Edit::Insert(c)
                if is_combining_mark(c)
                    && text[..byte(text, at)]
                        .chars()
                        .rev()
                        .take_while(|c| is_combining_mark(*c))
                        .count()
                        >= MAX_MARKS_PER_CHAR => {}
            Edit::Insert(c) => {
                let b = if at == len {
                    text.len()
                } else {
                    byte(text, at)
                };
                text.insert(b, c);
                self.cursor = at + 1;
            }
            Edit::Backspace if at > 0 => {
                text.remove(byte(text, at - 1));
                self.cursor = at - 1;
            }
            Edit::Delete if at < len => {
                text.remove(byte(text, at));
            }
            Edit::Left => self.cursor = at.saturating_sub(1),
            Edit::Right => self.cursor = (at + 1).min(len),
            Edit::Home => self.cursor = 0,
            Edit::End => self.cursor = len,
            Edit::Clear => {
                text.clear();
                self.cursor = 0;
            }
            Edit::Backspace | Edit::Delete => {}
        }
    }

    /// The line in `area`, and its error or choices in a box just above it,
    /// inside `above`.
    pub fn draw(&self, frame: &mut Frame, area: Rect, above: Rect, t: Theme) {
        let area = if self.sending {
            // Said on the line itself: a box for the two milliseconds of a save would flicker.
            let waiting = " saving… Esc closes this line ";
            let [line_area, waiting_area] = Layout::horizontal([
                Constraint::Fill(1),
                Constraint::Length(waiting.chars().count() as u16),
            ])
            .areas(area);
            frame.render_widget(
                Paragraph::new(Span::styled(waiting, t.warn())),
                waiting_area,
            );
            line_area
        } else {
            area
        };
        self.draw_line(frame, area, t);
        self.draw_box(frame, above, t);
    }

    /// The label, then as much of the text as fits around the cursor: when
    /// the start is out of sight a `…` says so.
    fn draw_line(&self, frame: &mut Frame, area: Rect, t: Theme) {
        let label = self.label();
        let shown: String = self
            .text
            .chars()
            .filter(|c| !crate::text::is_unsafe(*c))
            .collect();
        let before = self
            .text
            .chars()
            .take(self.cursor)
            .filter(|c| !crate::text::is_unsafe(*c))
            .map(char::len_utf8)
            .sum::<usize>();
        let parts: Vec<(usize, usize)> = graphemes(&shown)
            .scan(0, |start, (g, w)| {
                let at = *start;
                *start += g.len();
                Some((at, w))
            })
            .collect();
        // Graphemes wholly before the cursor: a cursor between a letter and
        // its mark stands after the letter.
        let cursor = parts.iter().take_while(|(at, _)| *at < before).count();
        let room = usize::from(area.width).saturating_sub(width(&label));
        let first = window(&parts, cursor, self.first_shown.get(), room);
        self.first_shown.set(first);
        let start = parts.get(first).map_or(shown.len(), |(at, _)| *at);
        let mut spans = vec![Span::styled(label.clone(), t.key())];
        if first > 0 {
            spans.push(Span::styled("…", t.dim()));
        }
        spans.push(Span::raw(shown[start..].to_string()));
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
        let columns = width(&label)
            + usize::from(first > 0)
            + parts[first..cursor.max(first)]
                .iter()
                .map(|(_, w)| w)
                .sum::<usize>();
        // Columns, not characters: a wide or joined character moves the cursor by what it takes.
        let x = area.x + columns.min(usize::from(area.width.saturating_sub(1))) as u16;
        frame.set_cursor_position(Position::new(x, area.y));
    }

    /// The error, or the choices, in a box above the line.
    fn draw_box(&self, frame: &mut Frame, above: Rect, t: Theme) {
        let inner_width = above.width.saturating_sub(2).max(1) as usize;
        let mut lines: Vec<Line> = Vec::new();
        if let Some(error) = &self.error {
            lines.extend(
                columns::wrap(error, inner_width)
                    .into_iter()
                    .map(|l| Line::styled(l, t.error())),
            );
        }
        for (i, choice) in self.choices.iter().enumerate() {
            let style = if i == self.chosen {
                t.selected()
            } else {
                t.text()
            };
            lines.push(Line::styled(format!(" {choice} "), style));
        }
        if lines.is_empty() {
            return;
        }
        let height = (lines.len() as u16 + 2).min(above.height);
        // Room for the borders too, so the longest name is not cut.
        let width = (lines.iter().map(Line::width).max().unwrap_or(0) + 2)
            .clamp(40, above.width as usize) as u16;
        let popup = Rect {
            x: above.x,
            y: above.bottom() - height,
            width,
            height,
        };
        frame.render_widget(Clear, popup);
        let title = match self.kind {
            PromptKind::Search(_) => " ↑↓ choose · Enter pick · Esc cancel ",
            _ => " Tab next · Enter run · Esc cancel ",
        };
        frame.render_widget(
            Paragraph::new(lines).block(Block::bordered().title(title)),
            popup,
        );
    }
}

/// The first grapheme to show of a line of `parts` (each its byte offset and
/// columns) in `room` columns, with the cursor before grapheme `cursor`: it
/// moves from `was` only as far as keeps the cursor on the screen (with a
/// column for the `…` that says the start is hidden), and back as far as
/// the end of the line leaves room, so no text is hidden while the line
/// could show it.
fn window(parts: &[(usize, usize)], cursor: usize, was: usize, room: usize) -> usize {
    let columns = |from: usize, to: usize| parts[from..to].iter().map(|(_, w)| w).sum::<usize>();
    let marker = |first: usize| usize::from(first > 0);
    // The cell the cursor stands in, after the text when it is at the end.
    const CURSOR: usize = 1;
    let mut first = was.min(cursor);
    // The cursor's cell is the last one at most.
    let mut to_cursor = columns(first, cursor);
    while first < cursor && to_cursor + marker(first) + CURSOR > room {
        to_cursor -= parts[first].1;
        first += 1;
    }
    // Nothing hidden on the left while there is room on the right.
    let mut to_end = columns(first, parts.len());
    while first > 0 && to_end + parts[first - 1].1 + marker(first - 1) + CURSOR <= room {
        first -= 1;
        to_end += parts[first].1;
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(edits: &[Edit]) -> Prompt {
        let mut prompt = Prompt::new(PromptKind::Command, "");
        for edit in edits {
            prompt.edit(*edit);
        }
        prompt
    }

    fn chars(s: &str) -> Vec<Edit> {
        s.chars().map(Edit::Insert).collect()
    }

    #[test]
    fn editing_moves_by_characters_not_bytes() {
        let mut edits = chars("Côte");
        edits.extend([Edit::Left, Edit::Left, Edit::Backspace, Edit::Insert('o')]);
        edits.extend([
            Edit::Home,
            Edit::Delete,
            Edit::Insert('c'),
            Edit::End,
            Edit::Insert('!'),
        ]);
        let prompt = typed(&edits);
        assert_eq!(prompt.text, "cote!");
        assert_eq!(prompt.cursor, 5);
    }

    #[test]
    fn at_most_three_combining_marks_are_kept_on_a_letter() {
        let mut edits = chars("z");
        edits.extend(std::iter::repeat_n(Edit::Insert('\u{301}'), 10));
        edits.push(Edit::Insert('a'));
        assert_eq!(typed(&edits).text, "z\u{301}\u{301}\u{301}a");
    }

    #[test]
    fn clear_empties_the_line() {
        let mut edits = chars("note hello");
        edits.push(Edit::Clear);
        let prompt = typed(&edits);
        assert_eq!((prompt.text.as_str(), prompt.cursor), ("", 0));
    }

    fn ones(n: usize) -> Vec<(usize, usize)> {
        (0..n).map(|i| (i, 1)).collect()
    }

    #[test]
    fn the_window_moves_only_when_the_cursor_would_leave_it() {
        let parts = ones(30);
        // At the end: the cursor on the last of 10 columns, `…` on the first.
        assert_eq!(window(&parts, 30, 0, 10), 22);
        // A step left: the cursor moves, the text does not.
        assert_eq!(window(&parts, 29, 22, 10), 22);
        // Past the left edge: the text follows the cursor.
        assert_eq!(window(&parts, 21, 22, 10), 21);
        // Home shows the start.
        assert_eq!(window(&parts, 0, 21, 10), 0);
        // A short line is never scrolled.
        assert_eq!(window(&ones(5), 5, 3, 10), 0);
    }

    #[test]
    fn wide_characters_count_their_columns() {
        // Ten characters two columns wide in 10 columns: the cursor at the
        // end leaves room for `…` and four of them.
        let parts: Vec<_> = (0..10).map(|i| (i * 3, 2)).collect();
        let first = window(&parts, 10, 0, 10);
        assert_eq!(first, 6);
    }
}
