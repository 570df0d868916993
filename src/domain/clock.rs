//! The clock projections: the scheduled window, time since opening and to the
//! scheduled end, and when the list of speakers will finish at its limits.

use jiff::Timestamp;
use jiff::civil::Date;

use super::event::Speech;
use super::meeting::Meeting;
use super::state::{Floor, Listed, Phase, State, secs_between};

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

/// The schedule a meeting runs to: that of the day it opened, else of
/// today. A meeting looked at after its day (its record read the next
/// morning) keeps its own day's schedule, and is no rehearsal for it.
pub fn schedule_of(state: &State, now: Timestamp) -> Schedule {
    schedule(&state.meeting, state.opened_at.unwrap_or(now))
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
    let schedule = schedule_of(state, now);
    let until = state.adjourned_at.unwrap_or(now);
    let suspended_secs = state.suspended_secs(until);
    // The meeting's time stops while it is suspended.
    let since_open = state
        .opened_at
        .map(|open| (secs_between(open, until) - suspended_secs).max(0));
    let runway = Runway::new(state, &schedule, now);
    let turns = runway.turns(state, now);
    let (on_floor, waiting): (Vec<&Turn>, Vec<&Turn>) = turns
        .iter()
        .partition(|t| !matches!(t.standing, Standing::Listed(_)));
    let floor_left: i64 = on_floor.iter().map(|t| t.secs).sum();
    let listed = waiting.len();
    let listed_secs: i64 = waiting.iter().map(|t| t.secs).sum();
    let projected_end = match state.adjourned_at {
        Some(at) => at,
        None => runway.end_after(floor_left + listed_secs),
    };
    let over_by = secs_between(schedule.end, projected_end);
    let limit_to_finish = (over_by > 0 && listed > 0).then(|| {
        let on_break = break_secs_between(runway.from, schedule.end, &runway.breaks);
        let available = secs_between(runway.from, schedule.end) - floor_left - on_break;
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

// --- The speakers' projected times (issue 13, item 9) ---

/// Where a speaker still to be heard stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing<'a> {
    /// Holds the floor.
    Floor(&'a Floor),
    /// Set aside by a point of order; takes the floor again when it ends.
    SetAside(&'a Floor),
    Listed(&'a Listed),
}

/// One still to be heard, in the order they will speak, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Turn<'a> {
    /// Index into the meeting's segments.
    pub segment: usize,
    pub standing: Standing<'a>,
    /// The seconds the projection gives them: a listed speaker's limit, what
    /// the floor's holder has left (none once past the limit).
    pub secs: i64,
    /// When they take the floor, at the limits; for the floor's holder, when
    /// they took it.
    pub at: Timestamp,
}

impl Turn<'_> {
    pub fn speech(&self) -> &Speech {
        match self.standing {
            Standing::Floor(f) | Standing::SetAside(f) => &f.speech,
            Standing::Listed(l) => &l.speech,
        }
    }
}

/// Every speaker still to be heard, in this segment and the later ones, with
/// the time each takes the floor: the projected end is where the last ends.
pub fn turns(state: &State, now: Timestamp) -> Vec<Turn<'_>> {
    Runway::new(state, &schedule_of(state, now), now).turns(state, now)
}

/// Where the list's time starts to run, and the breaks it steps over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Runway {
    pub from: Timestamp,
    pub breaks: Vec<(Timestamp, Timestamp)>,
}

impl Runway {
    pub fn new(state: &State, schedule: &Schedule, now: Timestamp) -> Runway {
        let breaks = breaks(&state.meeting, schedule);
        let from = match state.phase {
            // Before the opening the list cannot start before the scheduled start.
            Phase::Scheduled => now.max(schedule.start),
            // Suspended for a scheduled break, the meeting resumes when it
            // ends; suspended otherwise, as if it reconvened now.
            _ if state.suspended().is_some() => breaks
                .iter()
                .find(|(start, end)| *start <= now && now < *end)
                .map_or(now, |(_, end)| *end),
            _ => now,
        };
        Runway { from, breaks }
    }

    /// When `work` seconds from the start end, the breaks stepped over.
    pub fn end_after(&self, work: i64) -> Timestamp {
        past_breaks(self.from, work, &self.breaks)
    }

    /// When one who waits `work` seconds from the start begins: as
    /// [`Runway::end_after`], but one due as a break begins speaks after it.
    pub fn start_after(&self, work: i64) -> Timestamp {
        let at = self.end_after(work);
        self.breaks
            .iter()
            .find(|(start, end)| *start >= self.from && *start <= at && at < *end)
            .map_or(at, |(_, end)| *end)
    }

    fn turns<'s>(&self, state: &'s State, now: Timestamp) -> Vec<Turn<'s>> {
        if state.phase == Phase::Adjourned {
            return Vec::new();
        }
        let here = state.segment();
        // The holder, then those set aside, the latest first: each point of
        // order gives the floor back to the speaker it interrupted.
        let floor = here.floor.iter().map(Standing::Floor);
        let set_aside = here.interrupted.iter().rev().map(Standing::SetAside);
        let holders = floor.chain(set_aside).map(|s| (state.current, s));
        let listed = state.segments[state.current..]
            .iter()
            .enumerate()
            .flat_map(|(i, s)| {
                s.queue
                    .iter()
                    .map(move |l| (state.current + i, Standing::Listed(l)))
            });
        let mut work = 0;
        holders
            .chain(listed)
            .map(|(segment, standing)| {
                let (secs, at) = match standing {
                    Standing::Floor(f) => (f.remaining(now).max(0), f.started),
                    Standing::SetAside(f) => (f.remaining(now).max(0), self.start_after(work)),
                    Standing::Listed(l) => (i64::from(l.speech.limit), self.start_after(work)),
                };
                work += secs;
                Turn {
                    segment,
                    standing,
                    secs,
                    at,
                }
            })
            .collect()
    }
}

// --- end of the speakers' projected times ---

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
