//! The chair's board: a read-only screen to be read from across the room. The
//! wall clock and the speaker's countdown in big digits, who has the floor, and
//! who comes next; plain text when the screen is too small for big digits.

use jiff::Timestamp;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

use super::{Timer, Timing, fit, fit_line, ink, local, put_lines};
use crate::domain::format::clock;
use crate::domain::state::Floor;
use crate::domain::{Phase, State};
use crate::tui::theme::Theme;

/// Rows of the big font.
const ROWS: usize = 5;
/// How many speakers the board says come next.
const NEXT: usize = 3;

/// The big font: `#` is ink. Digits are four columns wide.
fn glyph(ch: char) -> [&'static str; ROWS] {
    match ch {
        '0' => ["####", "#  #", "#  #", "#  #", "####"],
        '1' => [" ## ", "  # ", "  # ", "  # ", " ###"],
        '2' => ["####", "   #", "####", "#   ", "####"],
        '3' => ["####", "   #", " ###", "   #", "####"],
        '4' => ["#  #", "#  #", "####", "   #", "   #"],
        '5' => ["####", "#   ", "####", "   #", "####"],
        '6' => ["####", "#   ", "####", "#  #", "####"],
        '7' => ["####", "   #", "  # ", " #  ", " #  "],
        '8' => ["####", "#  #", "####", "#  #", "####"],
        '9' => ["####", "#  #", "####", "   #", "####"],
        ':' => [" ", "#", " ", "#", " "],
        '-' => ["   ", "   ", "###", "   ", "   "],
        '+' => ["   ", " # ", "###", " # ", "   "],
        _ => ["  ", "  ", "  ", "  ", "  "],
    }
}

/// Columns `text` takes in big digits, each dot `sx` columns wide.
pub(super) fn big_width(text: &str, sx: usize) -> usize {
    let glyphs: usize = text.chars().map(|c| glyph(c)[0].len()).sum();
    (glyphs + text.chars().count().saturating_sub(1)) * sx
}

/// `text` in big digits: `ROWS * sy` lines, each dot `sx` by `sy` cells.
pub(super) fn big(text: &str, sx: usize, sy: usize, style: Style) -> Vec<Line<'static>> {
    let style = ink(style);
    let mut lines = Vec::with_capacity(ROWS * sy);
    for row in 0..ROWS {
        let mut dots = String::new();
        for (i, ch) in text.chars().enumerate() {
            if i > 0 {
                dots.push(' ');
            }
            dots.push_str(glyph(ch)[row]);
        }
        let drawn: String = dots
            .chars()
            .map(|d| if d == '#' { "█" } else { " " }.repeat(sx))
            .collect();
        for _ in 0..sy {
            lines.push(Line::from(Span::styled(drawn.clone(), style)));
        }
    }
    lines
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, now: Timestamp, theme: Theme) {
    let title = format!(" {} ", state.meeting.title);
    let block = Block::bordered()
        .border_style(theme.dim())
        .title(Span::styled(
            fit(&title, usize::from(area.width.saturating_sub(2))).into_owned(),
            theme.title(),
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.is_empty() {
        return;
    }
    let (w, h) = (usize::from(inner.width), usize::from(inner.height));
    let board = Board {
        state,
        now,
        theme,
        w,
    };
    let lines = [(2, 2), (2, 1), (1, 1)]
        .into_iter()
        .map(|(sx, sy)| board.big_lines(sx, sy))
        .find(|lines| lines.len() <= h && lines.iter().all(|l| l.width() <= w))
        .unwrap_or_else(|| board.small_lines());
    let top = (h.saturating_sub(lines.len())) / 2;
    let area = Rect {
        y: inner.y + top as u16,
        height: inner.height - top as u16,
        ..inner
    };
    put_lines(frame, area, lines.into_iter().map(Line::centered).collect());
}

struct Board<'a> {
    state: &'a State,
    now: Timestamp,
    theme: Theme,
    w: usize,
}

impl Board<'_> {
    fn floor(&self) -> Option<(&Floor, Timer)> {
        self.state
            .floor()
            .map(|f| (f, Timer::of(f, self.now, &self.state.meeting)))
    }

    /// The wall clock in hours and minutes, as in the clock pane: only the
    /// countdown, which the chair watches, repaints a block of big digits
    /// every second.
    fn big_lines(&self, sx: usize, sy: usize) -> Vec<Line<'static>> {
        let time = local(&self.state.meeting, self.now, "%H:%M");
        let mut lines = vec![self.heading()];
        lines.extend(big(&time, sx, sy, self.theme.title()));
        lines.push(Line::default());
        lines.extend(self.holder());
        if let Some((_, timer)) = self.floor() {
            lines.push(Line::default());
            lines.extend(big(
                &clock(timer.remaining),
                sx,
                sy,
                timer.style(self.theme),
            ));
            lines.push(self.standing(&timer, false));
        }
        lines.push(Line::default());
        lines.extend(self.next());
        lines
    }

    fn small_lines(&self) -> Vec<Line<'static>> {
        let time = local(&self.state.meeting, self.now, "%H:%M:%S");
        let mut lines = vec![self.heading(), Line::styled(time, self.theme.title())];
        lines.extend(self.holder());
        if let Some((_, timer)) = self.floor() {
            lines.push(self.standing(&timer, true));
        }
        lines.extend(self.next());
        lines
    }

    /// The segment, and REHEARSAL away from the meeting's date; led by
    /// SUSPENDED while the meeting is suspended.
    fn heading(&self) -> Line<'static> {
        let schedule = crate::domain::clock::schedule(&self.state.meeting, self.now);
        let mut spans = self.suspended();
        spans.push(Span::styled(
            self.state.segment_def().title.to_string(),
            self.theme.dim(),
        ));
        if schedule.rehearsal {
            spans.push(Span::raw(" · "));
            spans.push(Span::styled("REHEARSAL", self.theme.warn()));
        }
        fit_line(spans, self.w)
    }

    /// `SUSPENDED since 16:05 (consultations) · `, in words, for the heading.
    fn suspended(&self) -> Vec<Span<'static>> {
        let Some([long, short]) = super::suspended::wordings(self.state) else {
            return Vec::new();
        };
        let segment = super::width(self.state.segment_def().title.as_str());
        let text = if super::width(&long) + 3 + segment <= self.w {
            long
        } else {
            short
        };
        vec![
            Span::styled(text, self.theme.warn()),
            Span::styled(" · ", self.theme.dim()),
        ]
    }

    fn holder(&self) -> Vec<Line<'static>> {
        let theme = self.theme;
        let Some((floor, _)) = self.floor() else {
            let why = match (self.state.phase, self.state.adjourned_at) {
                (Phase::Scheduled, _) => {
                    let start = crate::domain::clock::schedule(&self.state.meeting, self.now).start;
                    format!(
                        "The meeting opens at {}",
                        local(&self.state.meeting, start, "%H:%M")
                    )
                }
                (Phase::Adjourned, Some(at)) => {
                    format!("Adjourned at {}", local(&self.state.meeting, at, "%H:%M"))
                }
                _ => "Nobody has the floor".to_string(),
            };
            return vec![fit_line(vec![Span::styled(why, theme.dim())], self.w)];
        };
        let who = &floor.speech.delegate;
        let mut lines = vec![fit_line(
            vec![Span::styled(floor.speech.heading(), theme.title())],
            self.w,
        )];
        if !who.representative.is_empty() {
            lines.push(fit_line(
                vec![Span::raw(who.representative.to_string())],
                self.w,
            ));
        }
        let mut how = Vec::new();
        if floor.speech.kind != crate::domain::SpeechKind::Statement {
            how.push(Span::styled(floor.speech.kind.label(), theme.warn()));
        }
        if let Some(language) = &floor.speech.language {
            if !how.is_empty() {
                how.push(Span::styled(" · ", theme.dim()));
            }
            how.push(Span::raw(format!("in {}", language.name())));
        }
        if !how.is_empty() {
            lines.push(fit_line(how, self.w));
        }
        for f in &self.state.segment().interrupted {
            let text = format!(
                "{} interrupted at {} (paused)",
                f.speech.heading(),
                clock(f.elapsed(self.now))
            );
            lines.push(fit_line(vec![Span::styled(text, theme.dim())], self.w));
        }
        lines
    }

    /// The countdown's state in words, PAUSED, WARNING, OVER, and the figures
    /// behind it; led by the countdown itself when it is not drawn big.
    fn standing(&self, timer: &Timer, with_countdown: bool) -> Line<'static> {
        let theme = self.theme;
        let mut words = Vec::new();
        if with_countdown {
            let left = if timer.timing == Timing::Over {
                ""
            } else {
                " left"
            };
            let countdown = format!("{}{left}", clock(timer.remaining));
            words.push(Span::styled(countdown, timer.style(theme)));
        }
        if timer.paused {
            words.push(Span::styled(timer.stopped(), theme.warn()));
        }
        match timer.timing {
            Timing::Over => {
                let over = format!("OVER +{}", clock(-timer.remaining));
                words.push(Span::styled(over, theme.over()));
            }
            Timing::Warning => words.push(Span::styled("WARNING", theme.warn())),
            Timing::Ok if words.is_empty() => words.push(Span::styled("left", theme.ok())),
            Timing::Ok => {}
        }
        let figures = format!("{} of {} spoken", clock(timer.elapsed), clock(timer.limit));
        words.push(Span::styled(figures, theme.dim()));
        let mut spans = Vec::with_capacity(words.len() * 2);
        for (i, word) in words.into_iter().enumerate() {
            if i > 0 {
                spans.push(Span::styled(" · ", theme.dim()));
            }
            spans.push(word);
        }
        fit_line(spans, self.w)
    }

    fn next(&self) -> Vec<Line<'static>> {
        let theme = self.theme;
        let queue = &self.state.segment().queue;
        if queue.is_empty() {
            return vec![fit_line(
                vec![Span::styled("Nobody else is listed", theme.dim())],
                self.w,
            )];
        }
        let mut lines = vec![Line::styled(
            format!("Next ({} listed)", queue.len()),
            theme.dim(),
        )];
        for (i, listed) in queue.iter().take(NEXT).enumerate() {
            let spans = vec![
                Span::styled(format!("{} ", i + 1), theme.dim()),
                Span::raw(listed.speech.display_name()),
            ];
            lines.push(fit_line(spans, self.w));
        }
        lines
    }
}
