//! The observer seats: counts, the seat map with the cursor seat told in words,
//! and the waitlist in order.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::{fit_line, frame_pane, put_lines, width};
use crate::domain::SeatId;
use crate::text::Clean;
use crate::tui::theme::Theme;
use crate::tui::view::{Pane, View};

/// Columns the row letter takes, with its gap.
const LABEL: usize = 2;
/// The narrowest text column worth putting beside the map.
const SIDE_TEXT: usize = 16;

#[derive(Debug, Clone, Copy)]
enum Seat<'a> {
    Free,
    Taken(&'a Clean),
    Blocked,
    /// Free, and held for this delegation at the head of the waitlist.
    Offered(&'a Clean),
}

impl Seat<'_> {
    fn glyph(self, theme: Theme) -> (&'static str, Style) {
        match self {
            Seat::Free => ("·", theme.seat_free()),
            Seat::Taken(_) => ("■", theme.seat_taken()),
            Seat::Blocked => ("×", theme.seat_blocked()),
            Seat::Offered(_) => ("○", theme.offered()),
        }
    }
}

/// What the map draws from, worked out once a frame.
struct Map<'a> {
    view: &'a View<'a>,
    offers: Vec<(SeatId, &'a Clean)>,
    rows: u16,
    per_row: u16,
    cursor: SeatId,
}

impl<'a> Map<'a> {
    fn new(view: &'a View<'a>) -> Map<'a> {
        let seating = &view.state.meeting.seating;
        let (rows, per_row) = (seating.rows.min(SeatId::MAX_ROWS), seating.seats_per_row);
        let c = view.ui.seat_cursor;
        let cursor = SeatId {
            row: c.row.min(rows.saturating_sub(1)),
            seat: c.seat.min(per_row.saturating_sub(1)),
        };
        Map {
            view,
            offers: view.state.offers(),
            rows,
            per_row,
            cursor,
        }
    }

    fn seat(&self, id: SeatId) -> Seat<'a> {
        let seats = &self.view.state.seats;
        if let Some(by) = seats.occupied.get(&id) {
            return Seat::Taken(by);
        }
        if seats.blocked.contains(&id) {
            return Seat::Blocked;
        }
        match self.offers.binary_search_by_key(&id, |(s, _)| *s) {
            Ok(i) => Seat::Offered(self.offers[i].1),
            Err(_) => Seat::Free,
        }
    }

    /// Columns a seat takes: ` ■ ` with brackets for the cursor, `■ `, or a bare `■`.
    fn cell_width(&self, w: usize) -> usize {
        let seats = usize::from(self.per_row);
        [3, 2]
            .into_iter()
            .find(|cw| LABEL + seats * cw <= w)
            .unwrap_or(1)
    }

    fn width(&self, cw: usize) -> usize {
        LABEL + usize::from(self.per_row) * cw
    }

    /// The map's rows, `height` of them at most and `w` columns wide, scrolled to the cursor.
    fn lines(&self, w: usize, height: usize) -> Vec<Line<'static>> {
        let cw = self.cell_width(w);
        let across = (w.saturating_sub(LABEL) / cw).min(usize::from(self.per_row));
        let first_seat = window(
            usize::from(self.cursor.seat),
            across,
            usize::from(self.per_row),
        );
        let down = height.min(usize::from(self.rows));
        let first_row = window(usize::from(self.cursor.row), down, usize::from(self.rows));
        let mut lines = Vec::with_capacity(down + 1);
        if cw == 3 && height > down && self.per_row < 100 {
            lines.push(self.numbers(first_seat, across));
        }
        for row in first_row..first_row + down {
            lines.push(self.row(row as u16, first_seat, across, cw));
        }
        lines
    }

    fn numbers(&self, first: usize, across: usize) -> Line<'static> {
        let numbers: String = (first..first + across)
            .map(|s| format!("{:^3}", s + 1))
            .collect();
        Line::from(Span::styled(
            format!("{:LABEL$}{numbers}", ""),
            self.view.theme.dim(),
        ))
    }

    fn row(&self, row: u16, first: usize, across: usize, cw: usize) -> Line<'static> {
        let theme = self.view.theme;
        let letter = SeatId { row, seat: 0 }.to_string();
        let mut spans = vec![Span::styled(
            format!("{:LABEL$}", &letter[..1]),
            theme.dim(),
        )];
        let focused = self.view.ui.focus == Pane::Seats;
        for seat in first..first + across {
            let id = SeatId {
                row,
                seat: seat as u16,
            };
            let (glyph, style) = self.seat(id).glyph(theme);
            let here = focused && id == self.cursor;
            let style = if here {
                style.patch(theme.selected())
            } else {
                style
            };
            let cell = match (cw, here) {
                (3, true) => format!("[{glyph}]"),
                (3, false) => format!(" {glyph} "),
                (2, _) => format!("{glyph} "),
                _ => glyph.to_string(),
            };
            spans.push(Span::styled(cell, style));
        }
        Line::from(spans)
    }

    /// `B7 — Kenya`, `D9 blocked`, `A5 free, offered to Gambia`.
    fn cursor_line(&self, w: usize) -> Line<'static> {
        let theme = self.view.theme;
        let id = self.cursor;
        let seat = self.seat(id);
        let (_, style) = seat.glyph(theme);
        let mut wordings = match seat {
            Seat::Taken(by) => vec![format!(" — {by}")],
            Seat::Blocked => vec![" blocked".to_string()],
            Seat::Offered(to) => vec![format!(" free, offered to {to}"), format!(" offered: {to}")],
            Seat::Free => vec![" free".to_string()],
        };
        let name = id.to_string();
        let fits = |what: &String| width(&name) + width(what) <= w;
        let what = match wordings.iter().position(fits) {
            Some(i) => wordings.swap_remove(i),
            None => wordings.pop().unwrap_or_default(),
        };
        fit_line(
            vec![Span::styled(name, theme.title()), Span::styled(what, style)],
            w,
        )
    }
}

/// The first of `shown` consecutive places so that `at` is among them.
fn window(at: usize, shown: usize, len: usize) -> usize {
    if shown == 0 || len <= shown {
        return 0;
    }
    (at + 1).saturating_sub(shown).min(len - shown)
}

pub fn draw(frame: &mut Frame, area: Rect, view: &View) {
    let inner = frame_pane(frame, area, Pane::Seats, view);
    if inner.is_empty() || view.state.meeting.seating.capacity() == 0 {
        return;
    }
    let map = Map::new(view);
    let (w, h) = (usize::from(inner.width), usize::from(inner.height));
    let rows = usize::from(map.rows);
    let beside = w.saturating_sub(map.width(1) + 1);
    if h < rows + 3 && beside >= SIDE_TEXT {
        side_by_side(frame, inner, &map);
    } else {
        stacked(frame, inner, &map);
    }
}

/// Counts over the map, the cursor seat and the waitlist under it, a legend when there is room.
fn stacked(frame: &mut Frame, area: Rect, map: &Map) {
    let (w, h) = (usize::from(area.width), usize::from(area.height));
    let rows = usize::from(map.rows);
    // Room for blank lines between the parts, seat numbers and a legend.
    let roomy = h >= rows + 9;
    let map_room = if roomy {
        rows + 1
    } else {
        h.saturating_sub(1 + usize::from(h > rows + 1)).min(rows)
    };
    let mut lines = vec![fit_line(counts(map.view, false), w)];
    if roomy {
        lines.push(Line::default());
    }
    lines.extend(map.lines(w, map_room));
    if roomy {
        lines.push(Line::default());
    }
    if lines.len() < h {
        lines.push(map.cursor_line(w));
    }
    let legend_room = if roomy { 2 } else { 0 };
    lines.extend(waitlist(
        map.view,
        w,
        h.saturating_sub(lines.len() + legend_room),
    ));
    if roomy {
        lines.push(Line::default());
        lines.push(fit_line(legend(map.view.theme), w));
    }
    lines.truncate(h);
    put_lines(frame, area, lines);
}

/// The map on the left; counts and the cursor seat beside it, the waitlist under both.
fn side_by_side(frame: &mut Frame, area: Rect, map: &Map) {
    let (w, h) = (usize::from(area.width), usize::from(area.height));
    let map_w = map.width(1).min(w);
    let map_lines = map.lines(map_w, h);
    let down = map_lines.len();
    let text_w = w - map_w - 1;
    let mut side: Vec<Vec<Span<'static>>> = counts(map.view, true)
        .into_iter()
        .map(|s| vec![s])
        .collect();
    side.push(map.cursor_line(text_w).spans);
    let mut lines: Vec<Line<'static>> = Vec::with_capacity(h);
    for (i, mut line) in map_lines.into_iter().enumerate() {
        let gap = map_w + 1 - line.width();
        line.spans.push(Span::raw(" ".repeat(gap)));
        if let Some(text) = side.get(i) {
            line.spans.extend(fit_line(text.clone(), text_w).spans);
        }
        lines.push(line);
    }
    let below = h - down;
    let leftover: Vec<Line<'static>> = side
        .into_iter()
        .skip(down)
        .map(|s| fit_line(s, w))
        .collect();
    let after = below.saturating_sub(leftover.len());
    lines.extend(leftover);
    lines.extend(waitlist(map.view, w, after));
    lines.truncate(h);
    put_lines(frame, area, lines);
}

/// `31/38 seated · 3 waiting · 1 per delegation`; apart, one span a fact, or joined.
fn counts(view: &View, apart: bool) -> Vec<Span<'static>> {
    let theme = view.theme;
    let seating = &view.state.meeting.seating;
    let seats = &view.state.seats;
    let blocked = seats
        .blocked
        .iter()
        .filter(|s| seating.contains(**s))
        .count();
    let available = seating.capacity() - blocked;
    let facts = [
        (
            format!("{}/{available} seated", seats.occupied.len()),
            theme.title(),
        ),
        (format!("{} waiting", seats.waitlist.len()), theme.text()),
        (
            format!("{} per delegation", seating.per_delegation),
            theme.dim(),
        ),
    ];
    let mut spans = Vec::new();
    for (i, (text, style)) in facts.into_iter().enumerate() {
        if i > 0 && !apart {
            spans.push(Span::styled(" · ", theme.dim()));
        }
        spans.push(Span::styled(text, style));
    }
    spans
}

/// `Waiting: 1 Gambia · 2 State of Palestine`, over as many lines as it is given,
/// saying how many more there are when they do not all fit.
fn waitlist(view: &View, w: usize, lines: usize) -> Vec<Line<'static>> {
    let theme = view.theme;
    let list = &view.state.seats.waitlist;
    if lines == 0 || w == 0 {
        return Vec::new();
    }
    if list.is_empty() {
        return vec![fit_line(
            vec![Span::styled("Nobody waiting", theme.dim())],
            w,
        )];
    }
    let label = "Waiting:";
    let mut out: Vec<Vec<Span<'static>>> = vec![vec![Span::styled(label, theme.title())]];
    let mut used = label.len();
    for (i, name) in list.iter().enumerate() {
        let item = format!("{} {name}", i + 1);
        let item_w = width(&item);
        // On the last line, leave room to say how many did not fit.
        let reserve = |line: usize| {
            if line == lines && i + 1 < list.len() {
                more(list.len() - i - 1).len()
            } else {
                0
            }
        };
        let sep = match (used, i) {
            (0, _) => "",
            (_, 0) => " ",
            _ => " · ",
        };
        if used + sep.len() + item_w + reserve(out.len()) <= w {
            out.last_mut()
                .expect("a line")
                .extend([Span::styled(sep, theme.dim()), Span::raw(item)]);
            used += sep.len() + item_w;
            continue;
        }
        if out.len() < lines && item_w + reserve(out.len() + 1) <= w {
            out.push(vec![Span::raw(item)]);
            used = item_w;
            continue;
        }
        let rest = more(list.len() - i);
        let line = out.last_mut().expect("a line");
        if used + rest.len() <= w {
            line.push(Span::styled(rest, theme.dim()));
        } else if used == 0 {
            line.push(Span::raw(item));
        }
        break;
    }
    out.into_iter().map(|spans| fit_line(spans, w)).collect()
}

fn more(n: usize) -> String {
    format!(" +{n} more")
}

/// What each glyph of the map means, drawn as the map draws it.
fn legend(theme: Theme) -> Vec<Span<'static>> {
    let nobody = Clean::default();
    let keys = [
        (Seat::Taken(&nobody), "taken"),
        (Seat::Free, "free"),
        (Seat::Offered(&nobody), "offered"),
        (Seat::Blocked, "blocked"),
    ];
    let mut spans = Vec::new();
    for (i, (seat, word)) in keys.into_iter().enumerate() {
        let (glyph, style) = seat.glyph(theme);
        if i > 0 {
            spans.push(Span::raw("  "));
        }
        spans.push(Span::styled(glyph, style));
        spans.push(Span::styled(format!(" {word}"), theme.dim()));
    }
    spans
}
