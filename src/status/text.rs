//! `gavel state` without `--json`: the state's facts written for a person.

use jiff::Timestamp;

use super::{Who, of};
use crate::domain::state::State;

/// `gavel state` without `--json`: the same facts, for a person.
pub fn text(state: &State, now: Timestamp) -> String {
    use crate::domain::format::{clock, duration, ordinal};
    use std::fmt::Write;
    let r = of(state, now);
    let local = |t: Timestamp| {
        t.to_zoned_datetime(state.meeting.tz.clone())
            .strftime("%H:%M:%S")
            .to_string()
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — {}, {}",
        r.meeting.title, r.meeting.venue, r.meeting.room
    );
    let rehearsal = if r.rehearsal { " · REHEARSAL" } else { "" };
    let _ = writeln!(
        out,
        "{} {}–{} {}{rehearsal} · {} · segment: {}",
        r.meeting.date,
        r.meeting.start,
        r.meeting.end,
        r.meeting.timezone,
        r.phase,
        r.segment.title
    );
    match &r.floor {
        Some(f) => {
            let paused = if f.paused { " (paused)" } else { "" };
            let name = joined(f.who.delegation, f.who.representative);
            let _ = writeln!(
                out,
                "floor: {name} {} / {}{paused}",
                clock(f.elapsed),
                clock(i64::from(f.limit))
            );
        }
        None => out.push_str("floor: nobody\n"),
    }
    for f in &r.interrupted {
        let _ = writeln!(
            out,
            "  interrupted: {} at {}",
            f.who.delegation,
            clock(f.elapsed)
        );
    }
    let closed = if r.segment.list_closed {
        " (closed)"
    } else {
        ""
    };
    let _ = writeln!(out, "list{closed}: {} waiting", r.queue.len());
    for q in &r.queue {
        let passed = if q.passed { " · passed" } else { "" };
        let name = joined(q.who.delegation, q.who.representative);
        let _ = writeln!(
            out,
            "  {:>4} {name} ({}, {}){passed}",
            ordinal(q.position),
            q.who.kind_label(),
            duration(i64::from(q.limit))
        );
    }
    let _ = writeln!(out, "spoken: {}", r.spoken.len());
    for s in &r.spoken {
        let _ = writeln!(
            out,
            "  {} {} {} / {} ({})",
            local(s.started_at),
            s.who.delegation,
            clock(s.spoken),
            clock(i64::from(s.limit)),
            s.segment
        );
    }
    let seats = &r.seats;
    let _ = writeln!(
        out,
        "seats: {}/{} seated · {} waiting",
        seats.occupied.len(),
        seats.available,
        seats.waitlist.len()
    );
    for o in &seats.occupied {
        let _ = writeln!(out, "  {} {}", o.seat, o.delegation);
    }
    if !seats.waitlist.is_empty() {
        let _ = writeln!(out, "  waitlist: {}", seats.waitlist.join(", "));
    }
    let _ = writeln!(out, "notes: {}", r.notes.len());
    for n in &r.notes {
        let mark = if n.retracted {
            " (retracted)"
        } else if n.amended {
            " (amended)"
        } else {
            ""
        };
        let _ = writeln!(out, "  {} {} {}{mark}", n.id, local(n.at), n.text);
    }
    let c = &r.clock;
    let over = if c.over_by > 0 {
        format!("{} over", duration(c.over_by))
    } else {
        format!("{} under", duration(-c.over_by))
    };
    let _ = writeln!(
        out,
        "clock: now {} · projected end {} ({over}) · {} left to the scheduled end",
        local(now),
        local(c.projected_end),
        duration(c.left_to_end)
    );
    if let Some(limit) = c.limit_to_finish {
        let _ = match limit {
            0 => writeln!(out, "  the list cannot end on time, whatever the limits"),
            _ => writeln!(
                out,
                "  to end on time: {} per remaining speaker",
                duration(limit)
            ),
        };
    }
    out
}

impl Who<'_> {
    fn kind_label(&self) -> &'static str {
        self.kind.label()
    }
}

fn joined(delegation: &str, representative: &str) -> String {
    if representative.is_empty() {
        delegation.to_string()
    } else {
        format!("{delegation} — {representative}")
    }
}
