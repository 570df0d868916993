//! The clock projections: the scheduled window, time since opening and to the
//! scheduled end, and when the list of speakers will finish at its limits.

use jiff::Timestamp;
use jiff::civil::Date;

use super::meeting::Meeting;
use super::state::{Phase, State, secs_between};

/// The scheduled window as instants. Away from the meeting's date it is a
/// rehearsal, and the schedule's times of day apply to today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub start: Timestamp,
    pub end: Timestamp,
    pub day: Date,
    pub rehearsal: bool,
}

pub fn schedule(meeting: &Meeting, now: Timestamp) -> Schedule {
    let today = now.to_zoned_datetime(meeting.tz.clone()).date();
    let rehearsal = today != meeting.date;
    let day = if rehearsal { today } else { meeting.date };
    let at = |time| {
        day.to_datetime(time)
            .to_zoned_datetime(meeting.tz.clone())
            .map(|z| z.timestamp())
            .unwrap_or(now)
    };
    Schedule {
        start: at(meeting.start),
        end: at(meeting.end),
        day,
        rehearsal,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Projection {
    pub schedule: Schedule,
    /// Seconds since the meeting opened (to adjournment once adjourned),
    /// its suspensions left out.
    pub since_open: Option<i64>,
    /// Seconds the meeting has spent suspended.
    pub suspended_secs: i64,
    /// Seconds left to the scheduled end; negative past it.
    pub left_to_end: i64,
    /// What the speaker holding the floor, and those they gave way to, have left.
    pub floor_left: i64,
    /// How many are still listed, in this and later segments.
    pub listed: usize,
    pub listed_secs: i64,
    pub projected_end: Timestamp,
    /// Seconds the list would run past the scheduled end; negative if it ends early.
    pub over_by: i64,
    /// When over: the limit per remaining speaker that would end on time (0 if
    /// even that cannot).
    pub limit_to_finish: Option<i64>,
}

pub fn project(state: &State, now: Timestamp) -> Projection {
    let schedule = schedule(&state.meeting, now);
    let until = state.adjourned_at.unwrap_or(now);
    let suspended_secs = state.suspended_secs(until);
    // The meeting's time stops while it is suspended.
    let since_open = state
        .opened_at
        .map(|open| (secs_between(open, until) - suspended_secs).max(0));
    let segment = state.segment();
    let floor_left: i64 = segment
        .floor
        .iter()
        .chain(&segment.interrupted)
        .map(|f| f.remaining(now).max(0))
        .sum();
    let still_listed = || {
        let open = state.phase != Phase::Adjourned;
        state.segments[state.current..]
            .iter()
            .filter(move |_| open)
            .flat_map(|s| &s.queue)
    };
    let listed = still_listed().count();
    let listed_secs: i64 = still_listed().map(|l| i64::from(l.speech.limit)).sum();
    // Before the opening the list cannot start before the scheduled start.
    let breaks = breaks(&state.meeting, &schedule);
    let from = match state.phase {
        Phase::Scheduled => now.max(schedule.start),
        // Suspended for a scheduled break, the meeting resumes when it ends.
        _ if state.suspended().is_some() => breaks
            .iter()
            .find(|(start, end)| *start <= now && now < *end)
            .map_or(now, |(_, end)| *end),
        _ => now,
    };
    let projected_end = match state.adjourned_at {
        Some(at) => at,
        None => past_breaks(from, floor_left + listed_secs, &breaks),
    };
    let over_by = secs_between(schedule.end, projected_end);
    let limit_to_finish = (over_by > 0 && listed > 0).then(|| {
        let on_break = break_secs_between(from, schedule.end, &breaks);
        let available = secs_between(from, schedule.end) - floor_left - on_break;
        (available / listed as i64).max(0)
    });
    Projection {
        schedule,
        since_open,
        suspended_secs,
        left_to_end: secs_between(now, schedule.end),
        floor_left,
        listed,
        listed_secs,
        projected_end,
        over_by,
        limit_to_finish,
    }
}

// --- Scheduled breaks (issue 13, item 6) ---

/// The meeting file's breaks on the schedule's day, as instants.
pub fn breaks(meeting: &Meeting, schedule: &Schedule) -> Vec<(Timestamp, Timestamp)> {
    let at = |time| {
        schedule
            .day
            .to_datetime(time)
            .to_zoned_datetime(meeting.tz.clone())
            .map(|z| z.timestamp())
            .ok()
    };
    meeting
        .breaks
        .iter()
        .filter_map(|(start, end)| Some((at(*start)?, at(*end)?)))
        .collect()
}

/// When `work` seconds from `from` end, stepping over the breaks that start
/// from `from` on and that the work runs into.
fn past_breaks(from: Timestamp, work: i64, breaks: &[(Timestamp, Timestamp)]) -> Timestamp {
    let mut at = from;
    let mut left = work;
    for (start, end) in breaks.iter().filter(|(start, _)| *start >= from) {
        let before = secs_between(at, *start);
        if before >= left {
            break;
        }
        left -= before.max(0);
        at = at.max(*end);
    }
    at.saturating_add(jiff::SignedDuration::from_secs(left))
        .unwrap_or(at)
}

/// Seconds of the breaks ahead of `from` that fall before `to`.
fn break_secs_between(from: Timestamp, to: Timestamp, breaks: &[(Timestamp, Timestamp)]) -> i64 {
    breaks
        .iter()
        .filter(|(start, _)| *start >= from)
        .map(|(start, end)| secs_between(*start, (*end).min(to)).max(0))
        .sum()
}

// --- end of scheduled breaks ---
