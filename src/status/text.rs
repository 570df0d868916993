//! `gavel state` without `--json`: the state's facts written for a person.

use jiff::Timestamp;

use super::{Who, of};
use crate::domain::state::State;

/// `gavel state` without `--json`: the same facts, for a person.
pub fn text(state: &State, now: Timestamp) -> String {
    use crate::domain::format::{duration, ordinal};
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
    suspension_lines(&mut out, &r, &local);
    floor_lines(&mut out, &r);
    let closed = if r.segment.list_closed {
        " (closed)"
    } else {
        ""
    };
    let _ = writeln!(out, "list{closed}: {} waiting", r.queue.len());
    for q in &r.queue {
        let passed = if q.passed { " · passed" } else { "" };
        let name = joined(&q.who.heading, q.who.representative);
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
            "  {} {} {} ({})",
            local(s.started_at),
            s.who.heading,
            of_limit(s.spoken, s.limit),
            s.segment
        );
    }
    if !r.not_heard.is_empty() {
        let _ = writeln!(out, "inscribed, not heard: {}", r.not_heard.len());
        for n in &r.not_heard {
            let name = joined(&n.who.heading, n.who.representative);
            let _ = writeln!(out, "  {name} ({})", n.segment);
        }
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
    attendance_lines(&mut out, &r, &local);
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

/// `attendance: 3 present · 1 left · 1 absent, not recorded present`, and
/// each delegation, when any attendance was recorded.
fn attendance_lines(out: &mut String, r: &super::Status<'_>, local: &dyn Fn(Timestamp) -> String) {
    use std::fmt::Write;
    if r.attendance.is_empty() {
        return;
    }
    let present = r.attendance.iter().filter(|a| a.present).count();
    let left = r
        .attendance
        .iter()
        .filter(|a| !a.present && a.since.is_some())
        .count();
    let regrets = r.attendance.len() - present - left;
    let _ = writeln!(
        out,
        "attendance: {present} present · {left} left · {regrets} absent, not recorded present"
    );
    for a in &r.attendance {
        let name = joined(a.delegation, a.representative);
        let since = a
            .since
            .map_or(String::new(), |t| format!(" since {}", local(t)));
        let what = match (a.present, a.left) {
            (true, _) => format!("present{since}"),
            (false, Some(left)) if a.since.is_some() => {
                format!("present{since}, left {}", local(left))
            }
            (false, _) => "absent".to_string(),
        };
        let _ = writeln!(out, "  {name}: {what}");
    }
}

/// The floor, a speech set aside by a point of order first: it is the
/// speech the room is in, and each point of order raised on it follows,
/// indented, the one speaking now last.
fn floor_lines(out: &mut String, r: &super::Status<'_>) {
    use std::fmt::Write;
    let Some(current) = &r.floor else {
        out.push_str("floor: nobody\n");
        return;
    };
    let speeches: Vec<&super::FloorInfo<'_>> = r.interrupted.iter().chain([current]).collect();
    for (depth, f) in speeches.iter().enumerate() {
        let name = joined(&f.who.heading, f.who.representative);
        let timed = of_limit(f.elapsed, f.limit);
        let state = if depth + 1 < speeches.len() {
            " (interrupted)"
        } else if f.paused {
            " (paused)"
        } else {
            ""
        };
        let _ = match depth {
            0 => writeln!(out, "floor: {name} {timed}{state}"),
            _ => writeln!(out, "  point of order: {name} {timed}{state}"),
        };
    }
}

/// Time spoken against its limit, as durations: `10m25s of 10m`, which no
/// one reads as times of day.
fn of_limit(spoken: i64, limit: u32) -> String {
    use crate::domain::format::duration;
    format!("{} of {}", duration(spoken), duration(i64::from(limit)))
}

impl Who<'_> {
    /// `statement`, or `statement in French` when the language is known.
    fn kind_label(&self) -> String {
        match self.language_name {
            Some(language) => format!("{} in {language}", self.kind.label()),
            None => self.kind.label().to_string(),
        }
    }
}

fn joined(delegation: &str, representative: &str) -> String {
    if representative.is_empty() {
        delegation.to_string()
    } else {
        format!("{delegation} — {representative}")
    }
}

// --- Suspension of the meeting (issue 13, item 6) ---

/// `SUSPENDED since 16:05:00 (consultations), 15m so far`, and the
/// suspensions before.
fn suspension_lines(out: &mut String, r: &super::Status, local: &dyn Fn(Timestamp) -> String) {
    use crate::domain::format::duration;
    use std::fmt::Write;
    let why = |reason: &str| {
        if reason.is_empty() {
            String::new()
        } else {
            format!(" ({reason})")
        }
    };
    if let Some(s) = &r.suspended {
        let _ = writeln!(
            out,
            "SUSPENDED since {}{}, {} so far",
            local(s.since),
            why(s.reason),
            duration(s.seconds)
        );
    }
    let done: Vec<_> = r.suspensions.iter().filter(|s| s.to.is_some()).collect();
    if done.is_empty() {
        return;
    }
    let _ = writeln!(out, "suspended: {}", done.len());
    for s in done {
        let to = s.to.map(local).unwrap_or_default();
        let _ = writeln!(
            out,
            "  {}–{} {}{}",
            local(s.from),
            to,
            duration(s.seconds),
            why(s.reason)
        );
    }
}

// --- end of suspension ---

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use jiff::{SignedDuration, Timestamp};

    use crate::domain::{Command, SpeechKind, State, execute};
    use crate::text::Clean;

    fn seed() -> State {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("config/mali-ministerial-2017.toml");
        let meeting = crate::config::load(&path).expect("the seed").meeting;
        State::new(Arc::new(meeting))
    }

    /// Times spoken read as durations against the limit, and a point of
    /// order comes after the speech it interrupted, indented.
    #[test]
    fn the_floor_reads_as_durations_with_a_point_of_order_under_its_speech() {
        let mut state = seed();
        let t0: Timestamp = "2017-09-20T19:30:00Z".parse().unwrap();
        let at = |secs: i64| t0 + SignedDuration::from_secs(secs);
        let by = Clean::new("ana");
        execute(&mut state, Command::Open { at: None }, at(0), &by).unwrap();
        execute(&mut state, Command::Next { at: None }, at(0), &by).unwrap();
        let text = super::text(&state, at(200));
        let floor = text.lines().find(|l| l.starts_with("floor: ")).unwrap();
        assert!(floor.ends_with(" 3m20s of 3m"), "{floor}");

        let order = Command::add(Clean::new("Egypt"), SpeechKind::Order, None);
        execute(&mut state, order, at(210), &by).unwrap();
        let text = super::text(&state, at(240));
        let lines: Vec<&str> = text.lines().collect();
        let at_floor = lines.iter().position(|l| l.starts_with("floor: ")).unwrap();
        assert!(
            lines[at_floor].ends_with(" 3m30s of 3m (interrupted)"),
            "{text}"
        );
        assert_eq!(
            lines[at_floor + 1],
            "  point of order: Egypt 30s of 2m",
            "{text}"
        );
    }
}
