//! `gavel rooms` printed once, for a person: a line for each meeting, what
//! needs attention under it, and the places that could not be read.

use super::Seen;
use crate::domain::format::{clock as timer, duration};
use crate::status::room::Room;

pub fn text(seen: &Seen) -> String {
    let mut out = String::new();
    for trouble in &seen.troubles {
        out.push_str(&format!("! {trouble}\n"));
    }
    for (_, r) in &seen.rooms {
        out.push_str(&line(r));
        for why in &r.attention {
            out.push_str(&format!("  ! {why}\n"));
        }
        out.push_str(&format!("  {}\n", r.store));
    }
    if seen.rooms.is_empty() {
        out.push_str("no meetings there\n");
    }
    out
}

fn line(r: &Room) -> String {
    let phase = r.phase.unwrap_or("?");
    let floor = floor(r).unwrap_or_else(|| "nobody has the floor".to_string());
    let listed = r.listed.map_or(String::new(), |n| format!(" · {n} listed"));
    let schedule = r
        .over_by
        .map_or(String::new(), |s| format!(" · {}", over_under(s)));
    let last = r.last_action.as_ref().map_or(String::new(), |a| {
        format!(" · last #{} {} by {}", a.seq, a.event, a.by)
    });
    let segment = r.segment.as_deref().unwrap_or("");
    format!(
        "{} [{phase}] {segment} · {floor}{listed}{schedule}{last}\n",
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
