//! The list of speakers of the current segment: who has the floor and their
//! timer, whom points of order set aside, the queue, and those who have spoken.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::board::big;
use super::{
    Timer, Timing, by_priority, fit_line, frame_pane, ink, pad, put_lines, rule, spread, width,
};
use crate::domain::event::Speech;
use crate::domain::format::{clock, duration};
use crate::domain::state::{Floor, Listed, Spoken};
use crate::domain::{Ordering, Phase, SpeechKind};
use crate::tui::theme::Theme;
use crate::tui::view::{Pane, View};

/// From this width the spoken list gets a column of its own beside the queue.
const SIDE_BY_SIDE: u16 = 100;
/// Queue rows kept in view before the floor gives up its optional lines.
const QUEUE_MIN: usize = 3;
/// From this height the timer is also drawn in big digits.
const TALL: usize = 28;

pub fn draw(frame: &mut Frame, area: Rect, view: &View) {
    let inner = frame_pane(frame, area, Pane::Speakers, view);
    if inner.is_empty() {
        return;
    }
    let w = usize::from(inner.width);
    let h = usize::from(inner.height);
    let mut lines = vec![header(view, w)];
    let queue = &view.state.segment().queue;
    let queue_need = if queue.is_empty() {
        1
    } else {
        1 + queue.len().min(QUEUE_MIN)
    };
    let floor_room = (h - 1).saturating_sub(queue_need).max((h - 1).min(2));
    lines.extend(floor_lines(view, w, floor_room, h >= TALL));
    let used = lines.len() as u16;
    put_lines(frame, inner, lines);
    let rest = Rect {
        y: inner.y + used,
        height: inner.height - used,
        ..inner
    };
    lists(frame, rest, view);
}

/// The segment's title, and how its list stands.
fn header(view: &View, w: usize) -> Line<'static> {
    let theme = view.theme;
    let def = view.state.segment_def();
    let mut marks = Vec::new();
    if def.ordering == Ordering::Protocol {
        marks.push(Span::styled("by protocol", theme.dim()));
    }
    if view.state.segment().closed {
        if !marks.is_empty() {
            marks.push(Span::raw(" · "));
        }
        marks.push(Span::styled("list closed", theme.warn()));
    }
    let title = Span::styled(def.title.to_string(), theme.title());
    spread(vec![title], marks, w, 8)
}

/// The floor's lines in screen order, keeping the most telling ones when short of room.
fn floor_lines(view: &View, w: usize, room: usize, tall: bool) -> Vec<Line<'static>> {
    let segment = view.state.segment();
    let Some(floor) = &segment.floor else {
        return vec![nobody(view, w)].into_iter().take(room).collect();
    };
    // (priority, line): lower numbers stay longest.
    let mut parts: Vec<(u8, Line<'static>)> = vec![(0, holder(floor, view, w))];
    if let Some(detail) = detail(&floor.speech, view.theme, w) {
        parts.push((4, detail));
    }
    let timer = Timer::of(floor, view.now, &view.state.meeting);
    if tall {
        let digits = big(&clock(timer.elapsed), 2, 1, timer.style(view.theme));
        parts.extend(digits.into_iter().map(|line| (5, line)));
    }
    parts.push((1, timer_line(&timer, floor, view.theme, w)));
    parts.push((3, gauge(&timer, view.theme, w)));
    for f in &segment.interrupted {
        parts.push((2, interrupted(f, view, w)));
    }
    by_priority(parts, room)
}

fn nobody(view: &View, w: usize) -> Line<'static> {
    let why = match view.state.phase {
        Phase::Scheduled => "Nobody has the floor (meeting not open)",
        Phase::Open => "Nobody has the floor",
        Phase::Adjourned => "Nobody has the floor (adjourned)",
    };
    fit_line(vec![Span::styled(why, view.theme.dim())], w)
}

fn holder(floor: &Floor, view: &View, w: usize) -> Line<'static> {
    let theme = view.theme;
    let who = &floor.speech.delegate;
    let mut spans = vec![Span::styled(floor.speech.heading(), theme.title())];
    if !who.representative.is_empty() {
        spans.push(Span::raw(" — "));
        spans.push(Span::raw(who.representative.to_string()));
    }
    fit_line(spans, w)
}

/// The kind of intervention when it is not a statement, the language for
/// the interpreters, and the speaker's function.
fn detail(speech: &Speech, theme: Theme, w: usize) -> Option<Line<'static>> {
    let mut spans = Vec::new();
    if speech.kind != SpeechKind::Statement {
        spans.push(Span::styled(speech.kind.label(), theme.warn()));
    }
    if let Some(language) = &speech.language {
        if !spans.is_empty() {
            spans.push(Span::raw(" · "));
        }
        spans.push(Span::raw(format!("in {}", language.name())));
    }
    let title = &speech.delegate.title;
    if !title.is_empty() {
        if !spans.is_empty() {
            spans.push(Span::raw(" · "));
        }
        spans.push(Span::styled(title.to_string(), theme.dim()));
    }
    (!spans.is_empty()).then(|| fit_line(spans, w))
}

/// `2:41 / 3:00` and the state in words: PAUSED, WARNING, OVER +0:12.
fn timer_line(timer: &Timer, floor: &Floor, theme: Theme, w: usize) -> Line<'static> {
    let style = timer.style(theme);
    let mut left = vec![
        Span::styled(clock(timer.elapsed), style),
        Span::raw(" / "),
        Span::raw(clock(timer.limit)),
    ];
    if floor.extended > 0 {
        let extra = format!(
            " (+{} extended)",
            crate::domain::format::duration(i64::from(floor.extended))
        );
        left.push(Span::styled(extra, theme.dim()));
    }
    let mut right = Vec::new();
    if timer.paused {
        right.push(Span::styled(timer.stopped(), theme.warn()));
        right.push(Span::raw(" "));
    }
    right.push(match timer.timing {
        Timing::Over => Span::styled(format!("OVER +{}", clock(-timer.remaining)), style),
        Timing::Warning => Span::styled(format!("WARNING {} left", clock(timer.remaining)), style),
        Timing::Ok => Span::styled(format!("{} left", clock(timer.remaining)), style),
    });
    let right_width: usize = right.iter().map(Span::width).sum();
    if right_width + 12 > w {
        // Too narrow for both: the state in words matters more than the limit.
        left.truncate(1);
    }
    spread(left, right, w, 4)
}

/// Elapsed against the limit; past it, the bar shows where the limit fell.
fn gauge(timer: &Timer, theme: Theme, w: usize) -> Line<'static> {
    let style = ink(timer.style(theme));
    let (elapsed, limit) = (timer.elapsed.max(0), timer.limit.max(0));
    if timer.timing == Timing::Over {
        let at_limit = cells(w, limit, elapsed);
        return Line::from(vec![
            Span::styled("█".repeat(at_limit), style),
            Span::styled("▓".repeat(w - at_limit), style),
        ]);
    }
    let filled = if limit == 0 {
        w
    } else {
        cells(w, elapsed, limit)
    };
    Line::from(vec![
        Span::styled("█".repeat(filled), style),
        Span::styled("░".repeat(w - filled), theme.dim()),
    ])
}

/// How many of `w` cells `part` of `whole` fills.
fn cells(w: usize, part: i64, whole: i64) -> usize {
    if whole <= 0 {
        return w;
    }
    let part = part.clamp(0, whole) as u128;
    (w as u128 * part / whole as u128) as usize
}

fn interrupted(floor: &Floor, view: &View, w: usize) -> Line<'static> {
    let who = floor.speech.heading();
    let paused = if floor.paused_since.is_some() {
        " (paused)"
    } else {
        ""
    };
    let text = format!(" interrupted at {}{paused}", clock(floor.elapsed(view.now)));
    fit_line(
        vec![
            Span::styled(who, view.theme.title()),
            Span::styled(text, view.theme.warn()),
        ],
        w,
    )
}

/// The queue, and those who have spoken: beside it when wide, under it when tall enough.
fn lists(frame: &mut Frame, area: Rect, view: &View) {
    if area.is_empty() {
        return;
    }
    if view.ui.attendance_view {
        return super::attendance::draw(frame, area, view);
    }
    let segment = view.state.segment();
    let spoken = segment.spoken.len();
    if area.width >= SIDE_BY_SIDE && spoken > 0 {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)])
                .spacing(2)
                .areas(area);
        queue(frame, left, view);
        have_spoken(frame, right, view);
        return;
    }
    let h = usize::from(area.height);
    let queue_rows = if segment.queue.is_empty() {
        1
    } else {
        1 + segment.queue.len()
    };
    let spoken_rows = if spoken == 0 { 0 } else { 1 + spoken };
    // A long queue still leaves a quarter of a tall pane to those who have spoken.
    let spoken_share = if spoken_rows == 0 || h < 6 {
        0
    } else if queue_rows + spoken_rows < h {
        // All the room left but a gap, where the running totals by delegation show.
        h - queue_rows - 1
    } else if queue_rows + spoken_rows == h {
        spoken_rows
    } else if h >= 20 {
        spoken_rows.min(h / 4).max(h.saturating_sub(queue_rows))
    } else {
        h.saturating_sub(queue_rows)
    };
    let spoken_share = if spoken_share < 2 { 0 } else { spoken_share };
    let queue_share = queue_rows.min(h - spoken_share);
    let gap = usize::from(spoken_share > 0 && queue_share + spoken_share < h);
    let rows = [queue_share, gap, spoken_share].map(|n| Constraint::Length(n as u16));
    let [top, _, bottom] = Layout::vertical(rows).areas(area);
    queue(frame, top, view);
    have_spoken(frame, bottom, view);
}

fn queue(frame: &mut Frame, area: Rect, view: &View) {
    if area.is_empty() {
        return;
    }
    let theme = view.theme;
    let w = usize::from(area.width);
    let list = &view.state.segment().queue;
    if list.is_empty() {
        // A closed list takes no statements: say so, and how to reopen it.
        let (what, key, then) = match view.state.segment().closed {
            true => ("The list is closed — ", "c", " to reopen"),
            false => ("The list is empty — ", "a", " to inscribe"),
        };
        let spans = vec![
            Span::styled(what, theme.dim()),
            Span::styled(key, theme.key()),
            Span::styled(then, theme.dim()),
        ];
        return put_lines(frame, area, vec![fit_line(spans, w)]);
    }
    let rows = usize::from(area.height) - 1;
    let cursor = view.ui.queue_cursor.min(list.len() - 1);
    let start = scroll(cursor, rows, list.len());
    let shown = &list[start..(start + rows).min(list.len())];
    // Once adjourned, those still listed were inscribed and not heard.
    let title = if view.state.phase == crate::domain::Phase::Adjourned {
        "Inscribed, not heard"
    } else {
        "List of speakers"
    };
    let mut label = vec![Span::styled(
        format!("{title}: {}", list.len()),
        theme.title(),
    )];
    if shown.len() < list.len() {
        label.push(Span::styled(
            format!(" · {}–{} shown", start + 1, start + shown.len()),
            theme.dim(),
        ));
    }
    drop_overflow(&mut label, w);
    let mut lines = vec![rule(label, w, theme)];
    let mut columns = Columns::for_rows(shown.iter().map(|l| &l.speech), list.len(), w);
    // A list in protocol order shows why it is in that order, and one whose
    // limits go by category shows why a limit is what it is.
    let def = view.state.segment_def();
    columns.levels = def.ordering == crate::domain::Ordering::Protocol;
    columns.categories = !def.limits.is_empty();
    let focused = view.ui.focus == Pane::Speakers;
    // Once any attendance is recorded, a speaker not recorded present is marked
    // `away`: an officer calling them wants to know whether they are in the room.
    let marking = !view.state.attendance.is_empty();
    for (i, listed) in shown.iter().enumerate() {
        let at = start + i;
        let away = marking
            && !crate::domain::attendance::is_present(
                view.state,
                listed.speech.delegate.delegation.as_str(),
            );
        lines.push(queue_row(
            listed,
            at,
            &columns,
            (focused && at == cursor, away),
            theme,
        ));
    }
    put_lines(frame, area, lines);
}

/// Leaves out a heading's afterthought rather than cut it.
fn drop_overflow(label: &mut Vec<Span<'static>>, w: usize) {
    if label.len() > 1 && label.iter().map(Span::width).sum::<usize>() > w {
        label.truncate(1);
    }
}

/// The first row to show so that the cursor's row is in view, with one row after it when it can.
fn scroll(cursor: usize, rows: usize, len: usize) -> usize {
    if rows == 0 || len <= rows {
        return 0;
    }
    (cursor + 2).saturating_sub(rows).min(len - rows)
}

/// How a list row lays out its names in the width available.
struct Columns {
    w: usize,
    number: usize,
    /// Columns for the delegation when the representative gets a column of its own.
    delegation: Option<usize>,
    /// Each speaker's level of representation, for a list in protocol order.
    levels: bool,
    /// Each speaker's category, for a segment whose limits go by category.
    categories: bool,
}

impl Columns {
    fn for_rows<'a>(shown: impl Iterator<Item = &'a Speech>, len: usize, w: usize) -> Columns {
        let number = len.to_string().len();
        let widest = shown.map(|s| width(&s.heading())).max().unwrap_or(0);
        let delegation = (w >= 40).then(|| widest.min(w * 2 / 5));
        Columns {
            w,
            number,
            delegation,
            levels: false,
            categories: false,
        }
    }

    fn names(&self, speech: &Speech, theme: Theme) -> Vec<Span<'static>> {
        let who = &speech.delegate;
        let name = speech.heading();
        let Some(col) = self.delegation else {
            return vec![Span::raw(name)];
        };
        if who.representative.is_empty() {
            return vec![Span::raw(name)];
        }
        let name = fit_line(vec![Span::raw(name)], col);
        let gap = col - name.width() + 1;
        let mut spans = name.spans;
        spans.push(Span::raw(" ".repeat(gap)));
        spans.push(Span::styled(who.representative.to_string(), theme.dim()));
        spans
    }
}

/// `marks` is (selected, not recorded present).
fn queue_row(
    listed: &Listed,
    at: usize,
    columns: &Columns,
    (selected, away): (bool, bool),
    theme: Theme,
) -> Line<'static> {
    let marker = if selected { "▸" } else { " " };
    let mut left = vec![Span::raw(format!(
        "{marker}{:>n$} ",
        at + 1,
        n = columns.number
    ))];
    left.extend(columns.names(&listed.speech, theme));
    let mut right = Vec::new();
    if let Some(kind) = kind_mark(listed.speech.kind) {
        right.push(Span::styled(kind, theme.warn()));
        right.push(Span::raw(" "));
    }
    if listed.passed {
        right.push(Span::styled("passed", theme.dim()));
        right.push(Span::raw(" "));
    }
    if away {
        right.push(Span::styled("away", theme.warn()));
        right.push(Span::raw(" "));
    }
    if let Some(language) = &listed.speech.language {
        right.push(Span::styled(format!("{:<3} ", language.tag()), theme.dim()));
    }
    if columns.categories
        && let Some(category) = listed.speech.category
    {
        right.push(Span::styled(
            format!("{:<4} ", category.short()),
            theme.dim(),
        ));
    }
    if columns.levels {
        let level = listed.speech.delegate.level.short();
        right.push(Span::styled(format!("{level:<4} "), theme.dim()));
    }
    right.push(Span::raw(format!(
        "{:>5}",
        clock(i64::from(listed.speech.limit))
    )));
    let line = spread(left, right, columns.w, 6);
    if selected {
        pad(line, columns.w).style(theme.selected())
    } else {
        line
    }
}

fn kind_mark(kind: SpeechKind) -> Option<&'static str> {
    match kind {
        SpeechKind::Statement => None,
        SpeechKind::Reply => Some("reply"),
        SpeechKind::Order => Some("order"),
    }
}

/// The latest of those who have spoken, oldest of them first.
fn have_spoken(frame: &mut Frame, area: Rect, view: &View) {
    if area.is_empty() {
        return;
    }
    let theme = view.theme;
    let w = usize::from(area.width);
    let spoken = &view.state.segment().spoken;
    let totals = by_delegation(view);
    let rows = usize::from(area.height) - 1;
    // Rows the list does not need show the running totals by delegation.
    let total_rows = if rows > spoken.len() + 2 {
        (rows - spoken.len() - 1).min(totals.len() + 1)
    } else {
        0
    };
    let list_rows = rows - total_rows;
    let shown = &spoken[spoken.len().saturating_sub(list_rows)..];
    let segment_secs: i64 = spoken.iter().map(|s| s.spoken_secs).sum();
    let meeting_secs: i64 = view
        .state
        .segments
        .iter()
        .flat_map(|seg| &seg.spoken)
        .map(|s| s.spoken_secs)
        .sum();
    let mut label = vec![Span::styled(
        format!("Have spoken: {}", spoken.len()),
        theme.title(),
    )];
    label.push(Span::styled(
        format!(" · {} here", duration(segment_secs)),
        theme.dim(),
    ));
    if meeting_secs != segment_secs {
        label.push(Span::styled(
            format!(" · {} in all", duration(meeting_secs)),
            theme.dim(),
        ));
    }
    if shown.len() < spoken.len() {
        label.push(Span::styled(
            format!(" · last {}", shown.len()),
            theme.dim(),
        ));
    }
    drop_overflow(&mut label, w);
    let mut lines = vec![rule(label, w, theme)];
    let first = spoken.len() - shown.len();
    let columns = Columns::for_rows(shown.iter().map(|s| &s.speech), spoken.len(), w);
    for (i, s) in shown.iter().enumerate() {
        lines.push(spoken_row(s, first + i, &columns, theme));
    }
    if total_rows > 0 {
        lines.push(rule(
            vec![Span::styled("Speaking time by delegation", theme.title())],
            w,
            theme,
        ));
        for (name, secs, speeches) in totals.iter().take(total_rows - 1) {
            let right = vec![Span::raw(format!("{} · {speeches}", duration(*secs)))];
            lines.push(spread(vec![Span::raw(format!(" {name}"))], right, w, 6));
        }
    }
    put_lines(frame, area, lines);
}

/// Each delegation's speaking time over the whole meeting, most first. A
/// joint statement counts for each of its delegations.
fn by_delegation(view: &View) -> Vec<(String, i64, usize)> {
    let mut totals: std::collections::HashMap<&str, (i64, usize)> =
        std::collections::HashMap::new();
    for s in view.state.segments.iter().flat_map(|seg| &seg.spoken) {
        for delegation in s.speech.credited() {
            let entry = totals.entry(delegation).or_default();
            entry.0 += s.spoken_secs;
            entry.1 += 1;
        }
    }
    let mut totals: Vec<(String, i64, usize)> = totals
        .into_iter()
        .map(|(d, (secs, n))| (d.to_string(), secs, n))
        .collect();
    totals.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    totals
}

fn spoken_row(spoken: &Spoken, at: usize, columns: &Columns, theme: Theme) -> Line<'static> {
    let mut left = vec![Span::raw(format!(" {:>n$} ", at + 1, n = columns.number))];
    left.extend(columns.names(&spoken.speech, theme));
    let over = spoken.spoken_secs - i64::from(spoken.limit);
    let style: Style = if over > 0 { theme.over() } else { theme.ok() };
    let mut right = Vec::new();
    if let Some(kind) = kind_mark(spoken.speech.kind) {
        right.push(Span::styled(kind, theme.warn()));
        right.push(Span::raw(" "));
    }
    right.push(Span::styled(clock(spoken.spoken_secs), style));
    right.push(Span::raw(format!(" / {}", clock(i64::from(spoken.limit)))));
    if over > 0 {
        right.push(Span::styled(format!(" +{}", clock(over)), style));
    }
    spread(left, right, columns.w, 6)
}
