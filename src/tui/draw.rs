//! The whole screen, drawn from the app: four panes, the status line, the
//! footer or the input line, the help. Pure: a frame from a state and an instant.

use jiff::Timestamp;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::app::App;
use super::columns;
use super::keys::Scope;
use super::panes;
use super::theme::Theme;
use super::view::{Confirm, Health, Overlay, Tone, View};

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub fn screen(frame: &mut Frame, app: &App, now: Timestamp) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return too_small(frame, area, app.ui.overlay.is_some());
    }
    let view = View {
        state: &app.state,
        ui: &app.ui,
        now,
        theme: app.theme,
        keys: &app.keys,
    };
    let [main, status, bottom] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let notes_height = (main.height / 4).max(5);
    let [top, notes] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(notes_height)]).areas(main);
    let [speakers, right] =
        Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(top);
    let clock_height = (right.height / 2).clamp(8, 12);
    let [clock, seats] =
        Layout::vertical([Constraint::Length(clock_height), Constraint::Fill(1)]).areas(right);
    panes::speakers::draw(frame, speakers, &view);
    panes::clock::draw(frame, clock, &view);
    panes::seats::draw(frame, seats, &view);
    panes::notes::draw(frame, notes, &view);
    draw_status(frame, status, &view);
    match &app.ui.overlay {
        Some(Overlay::Prompt(prompt)) => prompt.draw(frame, bottom, main, app.theme),
        Some(Overlay::Confirm(confirm)) => draw_question(frame, bottom, confirm, app.theme),
        None | Some(Overlay::Help { .. } | Overlay::Summary { .. }) => {
            draw_footer(frame, bottom, &view);
            draw_refusal(frame, main, &view);
        }
    }
    match &app.ui.overlay {
        Some(Overlay::Summary { text, scroll }) => {
            draw_summary(frame, main, app.theme, text, *scroll)
        }
        Some(Overlay::Help { scroll }) => draw_help(frame, main, &view, *scroll),
        _ => {}
    }
}

/// The chair's screen: big clock, the floor, the next speakers.
pub fn board(frame: &mut Frame, app: &App, now: Timestamp) {
    let area = frame.area();
    let [board, footer] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(area);
    panes::board::draw(frame, board, &app.state, now, app.theme);
    let mut line: Vec<Span> = Vec::new();
    for (key, what) in app.keys.footer(Scope::Board) {
        line.push(Span::styled(key, app.theme.key()));
        line.push(Span::raw(format!(" {what} · ")));
    }
    line.push(Span::raw("read-only board"));
    let line = Line::from(line);
    frame.render_widget(Paragraph::new(line), footer);
}

fn too_small(frame: &mut Frame, area: Rect, something_open: bool) {
    let quits = if something_open {
        "what you type still goes to the open line; Ctrl-C quits"
    } else {
        "q quits"
    };
    let text = format!(
        "gavel needs a terminal of at least {MIN_WIDTH}×{MIN_HEIGHT}; this one is {}×{}. Make the window larger ({quits}).",
        area.width, area.height
    );
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

fn draw_status(frame: &mut Frame, area: Rect, view: &View) {
    let t = view.theme;
    let state = view.state;
    let (health, health_style) = match (&view.ui.health, view.ui.lock_wait) {
        _ if let Some(slow) = view.ui.store_wait => (format!("saving… {slow}"), t.warn()),
        (Health::Failed(_), _) => ("NOT SAVED".to_string(), t.error()),
        (Health::Unconfirmed(_), _) => ("NOT CONFIRMED".to_string(), t.error()),
        (_, Some(secs)) => (
            format!("waiting for the journal's lock ({secs} s)"),
            t.warn(),
        ),
        (Health::Saved, None) => ("saved".to_string(), t.ok()),
        (Health::Saving(n), None) => (format!("saving {n}…"), t.warn()),
        (Health::ReadOnly, None) => ("read-only".to_string(), t.dim()),
    };
    // Suspended, the status line says so where it says the phase.
    let phase = match state.suspended() {
        Some(_) => "SUSPENDED".to_string(),
        None => state.phase.label().to_uppercase(),
    };
    let mut spans = vec![
        Span::styled(format!(" {phase} "), t.title()),
        Span::raw(format!("· {} · ", state.segment_def().title)),
        Span::styled(health, health_style),
        Span::styled(format!(" · {} · ", view.ui.operator), t.dim()),
    ];
    let shown = view
        .ui
        .notice
        .as_ref()
        .filter(|m| matches!(m.tone, Tone::Done | Tone::Info));
    match (shown, &view.ui.last_line) {
        (Some(m), _) => spans.push(Span::styled(m.text.clone(), tone(t, m.tone))),
        (None, Some(line)) => spans.extend(last_action(line, view)),
        (None, None) => {}
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// `ben 15:30:00 #0001 add Brazil inscribed…`: who did it first, since the
/// line's end is the first thing cut on a narrow screen.
fn last_action(line: &str, view: &View) -> Vec<Span<'static>> {
    let by = view
        .state
        .last_action
        .as_ref()
        .map(|a| a.by.to_string())
        .unwrap_or_default();
    let text = line.strip_suffix(&format!(" · {by}")).unwrap_or(line);
    // The officer's own name is on the status line already.
    if by == view.ui.operator.as_str() {
        return vec![Span::raw(text.to_string())];
    }
    vec![
        Span::styled(format!("{by} "), view.theme.title()),
        Span::raw(text.to_string()),
    ]
}

/// A refusal, an error or what start-up found, whole: wrapped in a box above the footer, since a
/// reason cut off at the edge of the status line helps nobody. The next key
/// clears it.
fn draw_refusal(frame: &mut Frame, above: Rect, view: &View) {
    let Some(m) = view
        .ui
        .notice
        .as_ref()
        .filter(|m| matches!(m.tone, Tone::Refused | Tone::Error | Tone::Found))
    else {
        return;
    };
    let lines: Vec<Line> = columns::wrap(&m.text, above.width.saturating_sub(2).max(1) as usize)
        .into_iter()
        .map(|l| Line::styled(l, tone(view.theme, m.tone)))
        .collect();
    let height = (lines.len() as u16 + 2).min(above.height);
    let popup = Rect {
        x: above.x,
        y: above.bottom() - height,
        width: above.width,
        height,
    };
    let title = match m.tone {
        Tone::Refused => " Not done ",
        Tone::Found => " Found on opening ",
        _ => " Error ",
    };
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(title)),
        popup,
    );
}

fn tone(t: Theme, tone: Tone) -> Style {
    match tone {
        Tone::Done => t.ok(),
        Tone::Refused => t.warn(),
        Tone::Error => t.error(),
        Tone::Info => t.text(),
        Tone::Found => t.warn(),
    }
}

/// The focused pane's keys on the left; help and quit always on the right,
/// so they never fall off a narrow screen.
fn draw_footer(frame: &mut Frame, area: Rect, view: &View) {
    let t = view.theme;
    let (global, own): (Vec<_>, Vec<_>) = view
        .keys
        .footer(Scope::Pane(view.ui.focus))
        .into_iter()
        .partition(|(k, _)| k == "?" || k == "q");
    let spans = |items: Vec<(String, &'static str)>| -> Vec<Span<'static>> {
        let mut spans = Vec::new();
        for (key, what) in items {
            if !spans.is_empty() {
                spans.push(Span::raw("  "));
            }
            spans.push(Span::styled(key, t.key()));
            spans.push(Span::raw(format!(" {what}")));
        }
        spans
    };
    // A read-only screen offers only what it can do: look around.
    if view.ui.read_only {
        return draw_read_only_footer(frame, area, view, spans(global));
    }
    let right = Line::from(spans(global));
    let width = right.width() as u16;
    let [left_area, right_area] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(width + 1)]).areas(area);
    frame.render_widget(Paragraph::new(Line::from(spans(own))), left_area);
    frame.render_widget(Paragraph::new(right).right_aligned(), right_area);
}

fn draw_read_only_footer(frame: &mut Frame, area: Rect, view: &View, global: Vec<Span<'static>>) {
    let t = view.theme;
    let left = Line::from(vec![
        Span::styled("read-only", t.title()),
        Span::raw(" · this screen never writes · "),
        Span::styled("Tab", t.key()),
        Span::raw(" pane"),
    ]);
    let right = Line::from(global);
    let width = right.width() as u16;
    let [left_area, right_area] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(width + 1)]).areas(area);
    frame.render_widget(Paragraph::new(left), left_area);
    frame.render_widget(Paragraph::new(right).right_aligned(), right_area);
}

/// A question waiting for `y`, where the input line goes.
fn draw_question(frame: &mut Frame, area: Rect, confirm: &Confirm, t: Theme) {
    let line = Line::from(Span::styled(confirm.label(), t.key()));
    frame.render_widget(Paragraph::new(line), area);
}

/// The draft co-chairs' summary over the panes, scrolled.
fn draw_summary(frame: &mut Frame, area: Rect, t: Theme, text: &str, scroll: u16) {
    let block = Block::bordered()
        .title(" Draft summary · ↑↓ PgUp PgDn scroll · any other key closes ")
        .border_style(t.focused());
    frame.render_widget(Clear, area);
    let lines: Vec<Line> = text.lines().map(|l| Line::raw(l.to_string())).collect();
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        area,
    );
}

fn draw_help(frame: &mut Frame, area: Rect, view: &View, scroll: u16) {
    let (t, focus) = (view.theme, view.ui.focus);
    let mut lines = Vec::new();
    for (section, keys) in view.keys.help(focus) {
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(section, t.title()));
        for (keys, what) in keys {
            lines.push(Line::from(vec![
                Span::styled(format!(" {keys:<9} "), t.key()),
                Span::raw(what),
            ]));
        }
    }
    // As many columns as the lines need; the focused pane's keys come first.
    // Where even that does not hold them all, one column scrolls.
    let inner = Block::bordered().inner(area);
    let column_width = lines.iter().map(Line::width).max().unwrap_or(1) as u16 + 1;
    let fit = (inner.width / column_width.max(1)).max(1) as usize;
    let rows = inner.height.max(1) as usize;
    let scrolls = lines.len() > rows * fit;
    let title = if scrolls {
        " Keys · ↑↓ PgUp PgDn scroll · any other key closes "
    } else {
        " Keys · any key closes · every command also at the : prompt "
    };
    let block = Block::bordered().title(title).border_style(t.focused());
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    // Columns as tall as they must be to hold every line, all scrolled alike.
    let columns = lines.len().div_ceil(rows).clamp(1, fit);
    let (tall, scroll) = if scrolls {
        let tall = lines.len().div_ceil(columns);
        (tall, scroll.min((tall - rows) as u16))
    } else {
        (rows, 0)
    };
    let cols = Layout::horizontal(vec![Constraint::Length(column_width); columns]).split(inner);
    for (i, col) in cols.iter().enumerate() {
        let part: Vec<Line> = lines.iter().skip(i * tall).take(tall).cloned().collect();
        frame.render_widget(Paragraph::new(part).scroll((scroll, 0)), *col);
    }
}
