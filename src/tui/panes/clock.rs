//! The clock: the venue's wall clock, the scheduled window, where the meeting
//! stands, and when the list of speakers will end, written and drawn on a timeline.

use jiff::Timestamp;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::board::{big, big_width};
use super::{by_priority, fit_line, frame_pane, ink, local, put_lines, spread, width};
use crate::domain::clock::{Projection, project};
use crate::domain::format::duration;
use crate::domain::state::secs_between;
use crate::domain::{Meeting, Phase};
use crate::tui::theme::Theme;
use crate::tui::view::{Pane, View};

pub fn draw(frame: &mut Frame, area: Rect, view: &View) {
    let inner = frame_pane(frame, area, Pane::Clock, view);
    if inner.is_empty() {
        return;
    }
    let (w, h) = (usize::from(inner.width), usize::from(inner.height));
    let p = project(view.state, view.now);
    // (priority, line) in screen order: lower numbers stay longest.
    let mut parts: Vec<(u8, Line<'static>)> = Vec::with_capacity(8);
    // Hours and minutes in big digits, the seconds only in the line under
    // them: big seconds would repaint a block of the screen every second, all
    // day, down every officer's link.
    let time = local(&view.state.meeting, view.now, "%H:%M");
    let roomy = h >= 10 && w >= big_width(&time, 1);
    if roomy {
        parts.extend(
            big(&time, 1, 1, view.theme.title())
                .into_iter()
                .map(|l| (0, l)),
        );
    }
    parts.push((0, wall(view, &p, w)));
    parts.push((6, window(view, &p, w)));
    match suspended(view, w) {
        // Said before the rest, and kept the longest: nothing runs meanwhile.
        Some(line) => parts.push((1, line)),
        None => parts.push((5, standing(view, w))),
    }
    parts.push((4, since_and_left(view, &p, w)));
    parts.push((1, projected(view, &p, w)));
    if let Some(line) = to_finish(&p, view.theme, w) {
        parts.push((3, line));
    }
    parts.push((
        2,
        timeline(&view.state.meeting, &p, view.now, view.theme, w),
    ));
    put_lines(frame, inner, by_priority(parts, h));
}

/// `15:42:10 America/New_York` and `REHEARSAL` away from the meeting's date.
fn wall(view: &View, p: &Projection, w: usize) -> Line<'static> {
    let theme = view.theme;
    let meeting = &view.state.meeting;
    let time = local(meeting, view.now, "%H:%M:%S ");
    let label = if p.schedule.rehearsal {
        " REHEARSAL".len()
    } else {
        0
    };
    // The zone's IANA name when it fits, else its abbreviation (`EDT`).
    let zone = if width(&time) + meeting.timezone.len() + label <= w {
        meeting.timezone.clone()
    } else {
        local(meeting, view.now, "%Z")
    };
    let left = vec![
        Span::styled(time, theme.title()),
        Span::styled(zone, theme.dim()),
    ];
    let right = if p.schedule.rehearsal {
        vec![Span::styled("REHEARSAL", theme.warn())]
    } else {
        vec![]
    };
    spread(left, right, w, 8)
}

/// `Scheduled 15:30–18:00`, with the day of the meeting in a rehearsal.
fn window(view: &View, p: &Projection, w: usize) -> Line<'static> {
    let meeting = &view.state.meeting;
    let start = local(meeting, p.schedule.start, "%H:%M");
    let end = local(meeting, p.schedule.end, "%H:%M");
    let hours = format!("{start}–{end}");
    let wordings = if p.schedule.rehearsal {
        let day = meeting.date.strftime("%-d %b %Y").to_string();
        let short = meeting.date.strftime("%-d %b").to_string();
        vec![
            format!("Scheduled {hours} (meeting on {day})"),
            format!("Scheduled {hours} · meeting {day}"),
            format!("{hours} · meeting {short}"),
            format!("Scheduled {hours}"),
        ]
    } else {
        vec![format!("Scheduled {hours}")]
    };
    first_fit(
        wordings.into_iter().map(|t| vec![Span::raw(t)]).collect(),
        w,
    )
}

/// The phase and the current segment.
fn standing(view: &View, w: usize) -> Line<'static> {
    let theme = view.theme;
    let state = view.state;
    let phase = match (state.phase, state.adjourned_at) {
        (Phase::Scheduled, _) => "Not open yet".to_string(),
        (Phase::Open, _) => "Open".to_string(),
        (Phase::Adjourned, Some(at)) => {
            format!("Adjourned at {}", local(&state.meeting, at, "%H:%M"))
        }
        (Phase::Adjourned, None) => "Adjourned".to_string(),
    };
    let spans = vec![
        Span::styled(phase, theme.title()),
        Span::styled(" · ", theme.dim()),
        Span::raw(state.segment_def().title.to_string()),
    ];
    fit_line(spans, w)
}

/// `SUSPENDED since 16:05 (consultations) · Opening session`, cut to fit.
fn suspended(view: &View, w: usize) -> Option<Line<'static>> {
    let theme = view.theme;
    let [long, short] = super::suspended::wordings(view.state)?;
    let segment = view.state.segment_def().title.to_string();
    let with_segment = |text: &str| {
        vec![
            Span::styled(text.to_string(), theme.warn()),
            Span::styled(" · ", theme.dim()),
            Span::raw(segment.clone()),
        ]
    };
    Some(first_fit(
        vec![
            with_segment(&long),
            vec![Span::styled(long.clone(), theme.warn())],
            with_segment(&short),
            vec![Span::styled(short, theme.warn())],
        ],
        w,
    ))
}

/// Time since the meeting opened (or until its scheduled start), and to the scheduled end.
fn since_and_left(view: &View, p: &Projection, w: usize) -> Line<'static> {
    // Once adjourned, what is left to the end no longer means anything: how long it lasted does.
    if let (Some(at), Some(secs)) = (view.state.adjourned_at, p.since_open) {
        let over = secs_between(p.schedule.end, at);
        let against = match over {
            o if o > 0 => format!(", {} over", duration(o)),
            o => format!(", {} early", duration(-o)),
        };
        return fit_line(
            vec![Span::raw(format!("Lasted {}{against}", duration(secs)))],
            w,
        );
    }
    let to_start = secs_between(view.now, p.schedule.start);
    let (long, short) = match p.since_open {
        // The meeting's time leaves suspensions out, so it is no longer the
        // time since the opening: "opened 1m ago" would be wrong.
        Some(secs) if p.suspended_secs > 0 => (
            format!(
                "Open {}, {} suspended",
                duration(secs),
                duration(p.suspended_secs)
            ),
            format!("Open {}", duration(secs)),
        ),
        Some(secs) => (
            format!("Opened {} ago", duration(secs)),
            format!("Open {}", duration(secs)),
        ),
        None if to_start >= 0 => (
            format!("Starts in {}", duration(to_start)),
            format!("Starts in {}", duration(to_start)),
        ),
        None => (
            format!("Due {} ago", duration(-to_start)),
            format!("Due {} ago", duration(-to_start)),
        ),
    };
    let (end_long, end_short) = if p.left_to_end >= 0 {
        (
            format!("{} to the end", duration(p.left_to_end)),
            format!("{} left", duration(p.left_to_end)),
        )
    } else {
        let past = duration(-p.left_to_end);
        (format!("{past} past the end"), format!("{past} past end"))
    };
    let dot = || Span::styled(" · ", view.theme.dim());
    first_fit(
        vec![
            vec![Span::raw(long), dot(), Span::raw(end_long)],
            vec![Span::raw(short), dot(), Span::raw(end_short)],
        ],
        w,
    )
}

/// `Projected end 18:12 · +12m over`, or `· 40m under`.
fn projected(view: &View, p: &Projection, w: usize) -> Line<'static> {
    let theme = view.theme;
    let labels: [&str; 3] = if view.state.phase == Phase::Adjourned {
        ["Ended ", "Ended ", ""]
    } else {
        ["Projected end ", "Ends ", ""]
    };
    let at = local(&view.state.meeting, p.projected_end, "%H:%M");
    let verdict = match p.over_by {
        over if over > 0 => Span::styled(format!("+{} over", duration(over)), theme.over()),
        0 => Span::styled("on time", theme.ok()),
        under => Span::styled(format!("{} under", duration(-under)), theme.ok()),
    };
    let variants = labels
        .iter()
        .map(|label| {
            vec![
                Span::raw(*label),
                Span::styled(at.clone(), theme.title()),
                Span::styled(" · ", theme.dim()),
                verdict.clone(),
            ]
        })
        .collect();
    first_fit(variants, w)
}

/// The first wording that fits in `w` columns, else the last one cut.
fn first_fit(mut variants: Vec<Vec<Span<'static>>>, w: usize) -> Line<'static> {
    let fits = |spans: &Vec<Span>| spans.iter().map(Span::width).sum::<usize>() <= w;
    match variants.iter().position(fits) {
        Some(i) => Line::from(variants.swap_remove(i)),
        None => fit_line(variants.pop().unwrap_or_default(), w),
    }
}

/// When the list would overrun: the limit per remaining speaker that ends on time.
fn to_finish(p: &Projection, theme: Theme, w: usize) -> Option<Line<'static>> {
    let limit = p.limit_to_finish?;
    if limit == 0 {
        let span = Span::styled("Cannot finish on time", theme.over());
        return Some(fit_line(vec![span], w));
    }
    let each = duration(limit);
    let wordings = [
        format!("To finish on time: {each} per speaker"),
        format!("On time at {each} per speaker"),
        format!("On time at {each} each"),
    ];
    let variants = wordings
        .into_iter()
        .map(|text| vec![Span::styled(text, theme.warn())])
        .collect();
    Some(first_fit(variants, w))
}

/// `15:30 ━━━━━│────▼─── 18:00`: the scheduled window with now (`│`) and the
/// projected end (`▼`); a list that runs over goes on past the end label in `▒`.
fn timeline(
    meeting: &Meeting,
    p: &Projection,
    now: Timestamp,
    theme: Theme,
    w: usize,
) -> Line<'static> {
    let start = local(meeting, p.schedule.start, "%H:%M");
    let end = local(meeting, p.schedule.end, "%H:%M");
    let labels = width(&start) + width(&end) + 2;
    let over = p.projected_end > p.schedule.end || now > p.schedule.end;
    let bar = w.saturating_sub(labels + usize::from(over));
    if bar < 3 {
        return Line::default();
    }
    let window = secs_between(p.schedule.start, p.schedule.end).max(1);
    let last = p.projected_end.max(now).max(p.schedule.end);
    let beyond = secs_between(p.schedule.end, last);
    let main = if over {
        scaled(bar, window, window + beyond).clamp(1, bar - 1)
    } else {
        bar
    };
    let now_secs = secs_between(p.schedule.start, now);
    let end_secs = secs_between(p.schedule.start, p.projected_end);
    let mut spans = vec![Span::styled(format!("{start} "), theme.dim())];
    let (now_x, end_x) = (at(now_secs, window, main), at(end_secs, window, main));
    for x in 0..main {
        spans.push(cell(x, now_x, end_x, "━", "─", theme));
    }
    spans.push(Span::styled(format!(" {end}"), theme.dim()));
    if over {
        spans.push(Span::raw(" "));
        let rest = bar - main;
        let now_x = at(now_secs - window, beyond, rest);
        let end_x = at(end_secs - window, beyond, rest);
        for x in 0..rest {
            spans.push(cell(x, now_x, end_x, "▒", "▒", theme).patch_style(ink(theme.over())));
        }
    }
    fit_line(spans, w)
}

/// The cell that `secs` into a span of `total` falls on, drawn in `cells`:
/// -1 before the span, `cells` after it.
fn at(secs: i64, total: i64, cells: usize) -> i64 {
    if secs < 0 {
        return -1;
    }
    if secs > total {
        return cells as i64;
    }
    scaled(cells, secs, total).min(cells.saturating_sub(1)) as i64
}

fn scaled(cells: usize, part: i64, whole: i64) -> usize {
    if whole <= 0 {
        return cells;
    }
    (cells as i128 * i128::from(part.clamp(0, whole)) / i128::from(whole)) as usize
}

fn cell(
    x: usize,
    now: i64,
    end: i64,
    past: &'static str,
    ahead: &'static str,
    theme: Theme,
) -> Span<'static> {
    let x = x as i64;
    if x == end {
        Span::styled("▼", theme.title())
    } else if x == now {
        Span::styled("│", theme.title())
    } else if x < now {
        Span::styled(past, theme.text())
    } else {
        Span::styled(ahead, theme.dim())
    }
}
