//! The rooms screen, drawn from what the watch last saw: a line a meeting,
//! the selected one in detail, the keys. Pure: a frame from the screen's
//! state and an instant.

use jiff::Timestamp;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState, Wrap};

use super::Rooms;
use crate::domain::format::{clock as timer, duration};
use crate::rooms::table::over_under;
use crate::status::room::Room;
use crate::tui::draw::{MIN_HEIGHT, MIN_WIDTH};
use crate::tui::keymap::Keymap;
use crate::tui::keys::Scope;
use crate::tui::theme::Theme;

/// From this width on, the table has a column for the segment and one for
/// the last action, and the floor still has some 30 columns.
const WIDE: u16 = 150;
/// Lines of the selected meeting's details, borders included.
const DETAILS: u16 = 8;

pub fn screen(frame: &mut Frame, rooms: &Rooms, now: Timestamp, theme: Theme, keys: &Keymap) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = format!(
            "gavel rooms needs a terminal of at least {MIN_WIDTH}×{MIN_HEIGHT}; this one is {}×{}. Make the window larger (q quits).",
            area.width, area.height
        );
        return frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
    }
    let troubles = rooms.seen.troubles.len().min(3) as u16;
    let [head, trouble, table, details, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(troubles),
        Constraint::Fill(1),
        Constraint::Length(DETAILS),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_head(frame, head, rooms, theme);
    let lines: Vec<Line> = rooms
        .seen
        .troubles
        .iter()
        .map(|t| Line::styled(format!(" ! {t}"), theme.error()))
        .collect();
    frame.render_widget(Paragraph::new(lines), trouble);
    draw_table(frame, table, rooms, theme);
    let selected = rooms.index().map(|i| &rooms.seen.rooms[i].1);
    draw_details(frame, details, selected, now, theme);
    if let Some(notice) = rooms.notice.as_ref().or(rooms.slow.as_ref()) {
        frame.render_widget(
            Paragraph::new(Line::styled(format!(" {notice}"), theme.warn())),
            status,
        );
    }
    draw_footer(frame, footer, keys, theme);
}

fn draw_head(frame: &mut Frame, area: Rect, rooms: &Rooms, theme: Theme) {
    let all = rooms.seen.rooms.len();
    let needing = rooms
        .seen
        .rooms
        .iter()
        .filter(|(_, r)| !r.attention.is_empty())
        .count();
    let looked = match rooms.looked {
        Some(at) => format!("as of {} UTC", at.strftime("%H:%M:%S")),
        None => "looking…".to_string(),
    };
    let line = Line::from(vec![
        Span::styled(" ROOMS ", theme.title()),
        Span::raw(format!(
            "· {all} meeting{} · ",
            if all == 1 { "" } else { "s" }
        )),
        Span::styled(
            format!(
                "{needing} need{} attention",
                if needing == 1 { "s" } else { "" }
            ),
            if needing > 0 {
                theme.warn()
            } else {
                theme.ok()
            },
        ),
        Span::styled(format!(" · {looked}"), theme.dim()),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

fn draw_table(frame: &mut Frame, area: Rect, rooms: &Rooms, theme: Theme) {
    let wide = area.width >= WIDE;
    let longest = rooms
        .seen
        .rooms
        .iter()
        .map(|(_, r)| crate::tui::columns::width(&r.meeting) + r.kind.len() + 3)
        .max()
        .unwrap_or(0);
    let meeting_width = longest.clamp(7, if wide { 32 } else { 22 });
    let mut header = vec!["", "Meeting", "Phase"];
    let mut widths = vec![
        Constraint::Length(1),
        Constraint::Length(meeting_width as u16),
        Constraint::Length(9),
    ];
    if wide {
        header.push("Segment");
        widths.push(Constraint::Length(20));
    }
    header.extend(["Floor", "List", "Ends", "Schedule"]);
    widths.extend([
        Constraint::Fill(1),
        Constraint::Length(4),
        Constraint::Length(5),
        Constraint::Length(12),
    ]);
    if wide {
        header.push("Last action");
        widths.push(Constraint::Fill(1));
    }
    let twice = |r: &Room| {
        rooms
            .seen
            .rooms
            .iter()
            .filter(|(_, o)| o.meeting == r.meeting)
            .count()
            > 1
    };
    let rows = rooms.seen.rooms.iter().map(|(_, r)| {
        let name = if twice(r) {
            let kind = format!(" ({})", r.kind);
            let room = meeting_width.saturating_sub(kind.len());
            format!("{}{kind}", cut(&r.meeting, room))
        } else {
            cut(&r.meeting, meeting_width)
        };
        row(r, name, wide, theme)
    });
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.title()))
        .row_highlight_style(theme.selected())
        .block(
            Block::new()
                .borders(Borders::TOP)
                .border_style(theme.unfocused()),
        );
    let mut state = TableState::default().with_selected(rooms.index());
    frame.render_stateful_widget(table, area, &mut state);
    if rooms.seen.rooms.is_empty() && rooms.looked.is_some() {
        let [_, below] = Layout::vertical([Constraint::Length(2), Constraint::Fill(1)]).areas(area);
        frame.render_widget(
            Paragraph::new(" no meetings there yet: this screen shows them as they start"),
            below,
        );
    }
}

/// `text` in `max` columns, its cut said by an ellipsis.
fn cut(text: &str, max: usize) -> String {
    if crate::tui::columns::width(text) <= max {
        return text.to_string();
    }
    let kept = crate::tui::columns::first_columns(text, max.saturating_sub(1));
    format!("{kept}…")
}

/// One meeting's line, named `name` (with its place when another place
/// holds the same meeting).
fn row(r: &Room, name: String, wide: bool, theme: Theme) -> Row<'static> {
    let mark = if r.attention.is_empty() { " " } else { "!" };
    let phase = if r.suspended {
        "SUSPENDED".to_string()
    } else {
        r.phase.unwrap_or("?").to_string()
    };
    let over = r
        .floor
        .as_ref()
        .is_some_and(|f| f.elapsed > i64::from(f.limit));
    let floor_style = if over { theme.over() } else { Style::default() };
    let mut cells = vec![
        Cell::from(mark).style(theme.warn()),
        Cell::from(name),
        Cell::from(phase),
    ];
    if wide {
        cells.push(Cell::from(r.segment.clone().unwrap_or_default()));
    }
    cells.extend([
        Cell::from(floor_cell(r)).style(floor_style),
        Cell::from(r.listed.map_or(String::new(), |n| n.to_string())),
        Cell::from(r.projected_end.map_or(String::new(), |at| hh_mm(r, at))),
        Cell::from(r.over_by.map_or(String::new(), over_under)).style(match r.over_by {
            Some(s) if s > 0 => theme.warn(),
            _ => Style::default(),
        }),
    ]);
    if wide {
        cells.push(Cell::from(last_action(r)).style(theme.dim()));
    }
    Row::new(cells)
}

/// `3:12/5:00 Mali`: the times first, so a narrow column cuts the name.
fn floor_cell(r: &Room) -> String {
    r.floor.as_ref().map_or("—".to_string(), |f| {
        format!(
            "{}/{}{} {}",
            timer(f.elapsed),
            timer(i64::from(f.limit)),
            if f.paused { " paused" } else { "" },
            f.delegation
        )
    })
}

/// `next by amina at 15:42:10`.
fn last_action(r: &Room) -> String {
    r.last_action.as_ref().map_or(String::new(), |a| {
        format!("{} by {} at {}", a.event, a.by, local(r, a.at, "%H:%M:%S"))
    })
}

fn hh_mm(r: &Room, at: Timestamp) -> String {
    local(r, at, "%H:%M")
}

/// A time of day in the meeting's venue, or in UTC when it is not known.
fn local(r: &Room, at: Timestamp, format: &str) -> String {
    match &r.time_zone {
        Some(tz) => at
            .to_zoned_datetime(tz.clone())
            .strftime(format)
            .to_string(),
        None => format!("{} UTC", at.strftime(format)),
    }
}

fn draw_details(frame: &mut Frame, area: Rect, room: Option<&Room>, now: Timestamp, theme: Theme) {
    let Some(r) = room else {
        let block = Block::bordered().border_style(theme.unfocused());
        return frame.render_widget(block, area);
    };
    let title = match (&r.title, &r.room) {
        (Some(title), Some(room)) => format!(" {title} · {room} "),
        _ => format!(" {} ", r.meeting),
    };
    let mut lines = vec![];
    for why in &r.attention {
        lines.push(Line::styled(format!("! {why}"), theme.warn()));
    }
    if let Some(f) = &r.floor {
        let who = match f.representative.as_str() {
            "" => f.delegation.clone(),
            person => format!("{} ({person})", f.delegation),
        };
        lines.push(Line::raw(format!(
            "Floor: {who}, {} of {}{}",
            timer(f.elapsed),
            timer(i64::from(f.limit)),
            if f.paused { ", paused" } else { "" }
        )));
    }
    if let (Some(end), Some(projected)) = (r.scheduled_end, r.projected_end) {
        let schedule = r.over_by.map_or(String::new(), over_under);
        let (end, projected) = (hh_mm(r, end), hh_mm(r, projected));
        lines.push(Line::raw(match r.phase {
            Some("adjourned") => {
                format!("Scheduled to end {end}; adjourned at {projected} ({schedule})")
            }
            _ => format!(
                "Scheduled to end {end}; the list ends {projected} ({schedule}); {} listed",
                r.listed.unwrap_or(0)
            ),
        }));
    }
    if let Some(a) = &r.last_action {
        let ago = now.duration_since(a.at).as_secs().max(0);
        lines.push(Line::styled(
            format!(
                "Last: #{} {} by {} at {} ({} ago) · {} events",
                a.seq,
                a.event,
                a.by,
                local(r, a.at, "%H:%M:%S"),
                duration(ago),
                r.events
            ),
            theme.dim(),
        ));
    }
    lines.push(Line::styled(r.store.clone(), theme.dim()));
    let block = Block::bordered()
        .title(Span::styled(title, theme.title()))
        .border_style(theme.focused());
    frame.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: true }),
        area,
    );
}

fn draw_footer(frame: &mut Frame, area: Rect, keys: &Keymap, theme: Theme) {
    let mut line: Vec<Span> = Vec::new();
    let up = keys.key_for(Scope::Rooms, crate::tui::keys::Action::Up);
    let down = keys.key_for(Scope::Rooms, crate::tui::keys::Action::Down);
    if let (Some(up), Some(down)) = (up, down) {
        line.push(Span::styled(
            format!("{}{}", up.label(), down.label()),
            theme.key(),
        ));
        line.push(Span::raw(" select · "));
    }
    for (key, what) in keys.footer(Scope::Rooms) {
        line.push(Span::styled(key, theme.key()));
        line.push(Span::raw(format!(" {what} · ")));
    }
    line.push(Span::styled(
        "read-only · looked at every second",
        theme.dim(),
    ));
    frame.render_widget(Paragraph::new(Line::from(line)), area);
}
