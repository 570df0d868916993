//! `gavel rooms` printed once, for a person: a line for each meeting, what
//! needs attention under it, and the places that could not be read.

use super::Seen;
use crate::domain::format::{clock as timer, duration};
use crate::status::room::Room;

/// Names and reasons come from folders and stores anyone may have written:
/// each line is made printable, as the session log's are.
pub fn text(seen: &Seen) -> String {
    let mut out = String::new();
    let mut push = |line: String| {
        out.push_str(&crate::text::printable_line(&line));
        out.push('\n');
    };
    for trouble in &seen.troubles {
        push(format!("! {trouble}"));
    }
    for (_, r) in &seen.rooms {
        push(line(r));
        for why in &r.attention {
            push(format!("  ! {why}"));
        }
        push(format!("  {}", r.store));
    }
    if seen.rooms.is_empty() {
        push("no meetings there".to_string());
    }
    out
}

fn line(r: &Room) -> String {
    let phase = match r.phase {
        _ if r.suspended => "suspended",
        Some(phase) => phase,
        None => "?",
    };
    let floor = match (floor(r), r.phase) {
        (Some(floor), _) => floor,
        (None, Some(_)) => "nobody has the floor".to_string(),
        (None, None) => "floor not known".to_string(),
    };
    let listed = r.listed.map_or(String::new(), |n| format!(" · {n} listed"));
    let schedule = r
        .over_by
        .map_or(String::new(), |s| format!(" · {}", over_under(s)));
    let last = r.last_action.as_ref().map_or(String::new(), |a| {
        format!(" · last #{} {} by {}", a.seq, a.event, a.by)
    });
    let segment = r.segment.as_deref().unwrap_or("");
    let segment = if segment.is_empty() {
        String::new()
    } else {
        format!(" {segment}")
    };
    format!(
        "{} [{phase}]{segment} · {floor}{listed}{schedule}{last}",
        r.meeting
    )
}

/// `Mali 3:12/5:00`: who has the floor, for how long of how long.
pub fn floor(r: &Room) -> Option<String> {
    r.floor.as_ref().map(|f| {
        format!(
            "{} {}/{}{}",
            f.delegation,
            timer(f.elapsed),
            timer(i64::from(f.limit)),
            if f.paused { " paused" } else { "" }
        )
    })
}

/// `12m over`, `3m under`, `on time`: the projected end against the schedule.
pub fn over_under(secs: i64) -> String {
    match secs {
        0 => "on time".to_string(),
        s if s > 0 => format!("{} over", duration(s)),
        s => format!("{} under", duration(-s)),
    }
}
