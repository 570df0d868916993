//! The four panes and the board, each a pure function from a `View` to a frame area.
//!
//! Every pane fits what it writes to the width it is given, cutting with `…`,
//! and draws only the rows that show, however long the lists behind them.

mod attendance;
pub mod board;
pub mod clock;
pub mod notes;
pub mod seats;
pub mod speakers;
// Suspension of the meeting (issue 13, item 6).
pub mod suspended;

use std::borrow::Cow;

use jiff::Timestamp;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph};

use super::columns::{first_columns, graphemes, width};
use super::theme::Theme;
use super::view::{Pane, View};
use crate::domain::Meeting;
use crate::domain::state::Floor;

/// Draws the pane's border and title and returns the area inside.
fn frame_pane(frame: &mut Frame, area: Rect, pane: Pane, view: &View) -> Rect {
    let theme = view.theme;
    // A heavier border tells the focus apart without colour.
    let (style, kind) = if view.ui.focus == pane {
        (theme.focused(), BorderType::Thick)
    } else {
        (theme.unfocused(), BorderType::Plain)
    };
    let title = format!(" {} {} ", pane.number(), pane.title());
    let room = usize::from(area.width.saturating_sub(2));
    let block = Block::bordered()
        .border_type(kind)
        .border_style(style)
        .title(Span::styled(fit(&title, room).into_owned(), theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

/// Writes `lines` top down from the first row of `area`; the rest is clipped.
fn put_lines(frame: &mut Frame, area: Rect, lines: Vec<Line<'_>>) {
    if !area.is_empty() {
        frame.render_widget(Paragraph::new(lines), area);
    }
}

/// The lines that fit in `room` rows, in their order, leaving out those with the
/// highest rank first.
fn by_priority(parts: Vec<(u8, Line<'static>)>, room: usize) -> Vec<Line<'static>> {
    let mut ranks: Vec<u8> = parts.iter().map(|(rank, _)| *rank).collect();
    ranks.sort_unstable();
    let cutoff = ranks.get(room).copied().unwrap_or(u8::MAX);
    let mut kept: Vec<Line<'static>> = parts
        .into_iter()
        .filter(|(rank, _)| *rank < cutoff)
        .map(|(_, line)| line)
        .collect();
    kept.truncate(room);
    kept
}

/// `text` cut to `max` columns, ending in `…` when cut.
fn fit(text: &str, max: usize) -> Cow<'_, str> {
    if width(text) <= max {
        return Cow::Borrowed(text);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let kept = first_columns(text, max - 1).trim_end();
    Cow::Owned(format!("{kept}…"))
}

/// Spans cut to `max` columns, ending in `…` in the style of the span that was cut.
fn fit_line<'a>(spans: Vec<Span<'a>>, max: usize) -> Line<'a> {
    let total: usize = spans.iter().map(Span::width).sum();
    if total <= max {
        return Line::from(spans);
    }
    let mut out = Vec::with_capacity(spans.len());
    let mut room = max;
    for span in spans {
        let w = span.width();
        if w < room {
            room -= w;
            out.push(span);
            continue;
        }
        let cut = fit(&span.content, room).into_owned();
        if !cut.is_empty() {
            out.push(Span::styled(cut, span.style));
        }
        break;
    }
    Line::from(out)
}

/// `left` and `right` on one line of `max` columns, padded apart; `right` is
/// dropped when it leaves `left` less than `keep` columns.
fn spread<'a>(left: Vec<Span<'a>>, right: Vec<Span<'a>>, max: usize, keep: usize) -> Line<'a> {
    let right_width: usize = right.iter().map(Span::width).sum();
    if right_width + 1 + keep > max {
        return pad(fit_line(left, max), max);
    }
    let mut line = fit_line(left, max - right_width - 1);
    let gap = max - right_width - line.width();
    line.spans.push(Span::raw(" ".repeat(gap)));
    line.spans.extend(right);
    line
}

/// Padded with spaces to `max` columns, so that a row style covers the whole row.
fn pad(mut line: Line<'_>, max: usize) -> Line<'_> {
    let gap = max.saturating_sub(line.width());
    if gap > 0 {
        line.spans.push(Span::raw(" ".repeat(gap)));
    }
    line
}

/// A section heading: the label, then a rule to the edge.
fn rule<'a>(label: Vec<Span<'a>>, max: usize, theme: Theme) -> Line<'a> {
    let mut line = fit_line(label, max);
    let rest = max.saturating_sub(line.width() + 1);
    if rest > 0 {
        line.spans.push(Span::raw(" "));
        line.spans.push(Span::styled("─".repeat(rest), theme.dim()));
    }
    line
}

/// A time of day in the meeting's time zone, `strftime`-formatted.
fn local(meeting: &Meeting, at: Timestamp, format: &str) -> String {
    at.to_zoned_datetime(meeting.tz.clone())
        .strftime(format)
        .to_string()
}

/// Where a speaker stands against the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Timing {
    Ok,
    /// Within `warn_before` of the limit.
    Warning,
    Over,
}

/// The figures of a speech being timed, all from event timestamps.
#[derive(Debug, Clone, Copy)]
struct Timer {
    elapsed: i64,
    limit: i64,
    remaining: i64,
    paused: bool,
    /// Paused by a suspension of the meeting.
    held: bool,
    timing: Timing,
}

impl Timer {
    fn of(floor: &Floor, now: Timestamp, meeting: &Meeting) -> Timer {
        let remaining = floor.remaining(now);
        let timing = if remaining < 0 {
            Timing::Over
        } else if remaining <= i64::from(meeting.warn_before) {
            Timing::Warning
        } else {
            Timing::Ok
        };
        Timer {
            elapsed: floor.elapsed(now),
            limit: i64::from(floor.limit()),
            remaining,
            paused: floor.paused_since.is_some(),
            held: floor.held,
            timing,
        }
    }

    /// Why the timer stands still, in a word.
    fn stopped(&self) -> &'static str {
        if self.held { "SUSPENDED" } else { "PAUSED" }
    }

    fn style(&self, theme: Theme) -> Style {
        match self.timing {
            Timing::Ok => theme.ok(),
            Timing::Warning => theme.warn(),
            Timing::Over => theme.over(),
        }
    }
}

/// For glyphs drawn from solid blocks: reversing them would blank them out, so
/// the emphasis keeps only colour and weight; and a state shown on a
/// background (the high-contrast theme) draws its blocks in that colour, which
/// the text's colour on it would hide.
fn ink(style: Style) -> Style {
    let style = style.remove_modifier(Modifier::REVERSED);
    match style.bg {
        Some(bg) => Style {
            fg: Some(bg),
            bg: None,
            ..style
        },
        None => style,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitting_cuts_with_an_ellipsis() {
        assert_eq!(fit("Côte d'Ivoire", 20), "Côte d'Ivoire");
        assert_eq!(fit("Côte d'Ivoire", 6), "Côte…");
        assert_eq!(fit("Côte d'Ivoire", 1), "…");
        assert_eq!(fit("Côte d'Ivoire", 0), "");
        assert_eq!(fit("日本国", 4), "日…");
        assert_eq!(fit("🇲🇱🇫🇷🇩🇿", 4), "🇲🇱…", "a flag is cut whole");
        assert_eq!(fit("Mali 🇲🇱 x", 7), "Mali…");
    }

    #[test]
    fn lines_fit_across_spans() {
        let line = fit_line(vec![Span::raw("France "), Span::raw("Le Drian")], 10);
        assert_eq!(line.to_string(), "France Le…");
        assert_eq!(line.width(), 10);
        let line = spread(vec![Span::raw("Mali")], vec![Span::raw("3:00")], 12, 2);
        assert_eq!(line.to_string(), "Mali    3:00");
    }
}
