//! The speakers pane's attendance view (`v`): who is in the room, by whom
//! represented and since when, then who left and who is recorded absent, so
//! an officer calling a speaker knows whether they are there.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{fit_line, local, put_lines, rule, spread, width};
use crate::domain::attendance::Attended;
use crate::tui::theme::Theme;
use crate::tui::view::View;

pub(super) fn draw(frame: &mut Frame, area: Rect, view: &View) {
    if area.is_empty() {
        return;
    }
    let theme = view.theme;
    let w = usize::from(area.width);
    let all = &view.state.attendance;
    if all.is_empty() {
        let spans = vec![
            Span::styled("No attendance recorded — ", theme.dim()),
            Span::styled("i", theme.key()),
            Span::styled(" to record present", theme.dim()),
        ];
        return put_lines(frame, area, vec![fit_line(spans, w)]);
    }
    // Those in the room first, then those who left, then those never present.
    let mut rows: Vec<&Attended> = all.iter().filter(|a| a.present).collect();
    rows.extend(all.iter().filter(|a| !a.present && a.since.is_some()));
    rows.extend(all.iter().filter(|a| a.sent_regrets()));
    let present = all.iter().filter(|a| a.present).count();
    let room = usize::from(area.height) - 1;
    let mut label = vec![Span::styled(format!("Present: {present}"), theme.title())];
    let left = all
        .iter()
        .filter(|a| !a.present && a.since.is_some())
        .count();
    let absent = all.len() - present - left;
    if left > 0 {
        label.push(Span::styled(format!(" · {left} left"), theme.dim()));
    }
    if absent > 0 {
        label.push(Span::styled(format!(" · {absent} absent"), theme.dim()));
    }
    if rows.len() > room {
        label.push(Span::styled(
            format!(" · {} of {} shown", room, rows.len()),
            theme.dim(),
        ));
    }
    if label.iter().map(Span::width).sum::<usize>() > w {
        label.truncate(1);
    }
    let mut lines = vec![rule(label, w, theme)];
    let col = rows
        .iter()
        .map(|a| width(a.delegation()))
        .max()
        .unwrap_or(0)
        .min(w * 2 / 5);
    lines.extend(rows.iter().take(room).map(|a| row(a, view, col, w)));
    put_lines(frame, area, lines);
}

/// ` Mali  H.E. Mr. Ibrahim Boubacar Keïta    15:25`, `left 16:25`, `absent`.
fn row(a: &Attended, view: &View, col: usize, w: usize) -> Line<'static> {
    let theme: Theme = view.theme;
    let t = |at| local(&view.state.meeting, at, "%H:%M");
    let name_style = if a.present {
        theme.title()
    } else {
        theme.dim()
    };
    let mut left = fit_line(
        vec![
            Span::raw(" "),
            Span::styled(a.delegation().to_string(), name_style),
        ],
        col + 1,
    )
    .spans;
    if !a.representative.is_empty() && w >= 40 {
        let used: usize = left.iter().map(Span::width).sum();
        left.push(Span::raw(" ".repeat(col + 2 - used)));
        left.push(Span::styled(a.representative.to_string(), theme.dim()));
    }
    let right = match (a.present, a.since, a.left) {
        (true, Some(since), _) => Span::styled(t(since), theme.ok()),
        (false, Some(_), Some(left)) => Span::styled(format!("left {}", t(left)), theme.warn()),
        _ => Span::styled("absent", theme.warn()),
    };
    spread(left, vec![right], w, 6)
}
