//! One line of `gavel rooms`: a meeting as a meeting-services desk watches
//! it among many, and how much it needs attention now.

use jiff::Timestamp;
use serde::Serialize;

use crate::domain::Entry;
use crate::domain::state::State;

/// A meeting in the rooms overview. Without its meeting file only what
/// the journal says alone is known: how many events, the last and by whom.
#[derive(Debug, Clone, Serialize)]
pub struct Room {
    pub meeting: String,
    /// Where its journal is: the file, or the server and the meeting.
    pub store: String,
    pub title: Option<String>,
    pub room: Option<String>,
    pub phase: Option<&'static str>,
    /// Suspended now (the phase stays `open`).
    pub suspended: bool,
    pub segment: Option<String>,
    pub floor: Option<RoomFloor>,
    /// Speakers waiting on the list.
    pub listed: Option<usize>,
    pub scheduled_end: Option<Timestamp>,
    pub projected_end: Option<Timestamp>,
    /// Seconds the projected end is past the scheduled one; negative: under.
    pub over_by: Option<i64>,
    pub events: u64,
    pub last_action: Option<RoomAction>,
    /// `files` or `pg`: what tells two rooms of one meeting id apart on a narrow screen.
    #[serde(skip)]
    pub kind: &'static str,
    /// The venue's, for times of day; none known without the meeting file.
    #[serde(skip)]
    pub time_zone: Option<jiff::tz::TimeZone>,
    /// Why it needs attention, first first; empty when it needs none.
    pub attention: Vec<String>,
    /// Its place in the sort: lower needs attention sooner.
    #[serde(skip)]
    pub rank: (u8, u8, i64),
}

#[derive(Debug, Clone, Serialize)]
pub struct RoomFloor {
    pub delegation: String,
    pub representative: String,
    /// Seconds spoken, pauses excluded.
    pub elapsed: i64,
    pub limit: u32,
    pub paused: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoomAction {
    pub seq: u64,
    pub at: Timestamp,
    pub by: String,
    pub event: &'static str,
}

impl RoomAction {
    fn of(entry: &Entry) -> RoomAction {
        RoomAction {
            seq: entry.seq,
            at: entry.at,
            by: entry.by.as_str().to_string(),
            event: entry.event.name(),
        }
    }
}

impl Room {
    /// It cannot be read, or its store cannot be reached: what is shown is
    /// as last seen, which needs attention before anything else.
    pub fn unreadable(&mut self, why: String) {
        self.attention.insert(0, why);
        self.rank = (0, 0, 0);
    }
}

/// A meeting replayed with its meeting file, at `now`.
pub fn of_state(state: &State, store: String, now: Timestamp) -> Room {
    let status = super::of(state, now);
    let floor = status.floor.as_ref().map(|f| RoomFloor {
        delegation: f.who.delegation.to_string(),
        representative: f.who.representative.to_string(),
        elapsed: f.elapsed,
        limit: f.limit,
        paused: f.paused,
    });
    let live = status.opened_at.is_some() && status.adjourned_at.is_none();
    let mut attention = Vec::new();
    if let Some(f) = floor
        .as_ref()
        .filter(|f| live && f.elapsed > i64::from(f.limit))
    {
        attention.push(format!(
            "{} is {} over the limit",
            f.delegation,
            crate::domain::format::duration(f.elapsed - i64::from(f.limit))
        ));
    }
    // Adjourned, what counts is when it ended, not a projection from now.
    let scheduled_end = status.clock.scheduled_end;
    let (projected_end, over_by) = match status.adjourned_at {
        Some(at) => (at, at.duration_since(scheduled_end).as_secs()),
        None => (status.clock.projected_end, status.clock.over_by),
    };
    if live && over_by > 0 {
        attention.push(format!(
            "projected to end {} late",
            crate::domain::format::duration(over_by)
        ));
    }
    if let Some(s) = &status.suspended {
        attention.push(format!("suspended ({})", s.reason));
    }
    // Who is over the limit first, then how late, then a suspension.
    let over_limit = floor
        .as_ref()
        .is_some_and(|f| live && f.elapsed > i64::from(f.limit));
    let rank = match live {
        true if over_limit => (0, 1, -over_by.max(0)),
        true if over_by > 0 => (0, 2, -over_by),
        true if status.suspended.is_some() => (0, 3, 0),
        true => (1, 0, -over_by),
        false if status.adjourned_at.is_none() => (2, 0, 0),
        false => (3, 0, 0),
    };
    Room {
        meeting: status.meeting.id.to_string(),
        store,
        title: Some(status.meeting.title.to_string()),
        room: Some(status.meeting.room.to_string()),
        phase: Some(status.phase),
        suspended: status.suspended.is_some(),
        segment: Some(status.segment.title.to_string()),
        floor,
        listed: Some(status.clock.listed),
        scheduled_end: Some(scheduled_end),
        projected_end: Some(projected_end),
        over_by: Some(over_by),
        events: state.seq,
        last_action: state.last_action.as_ref().map(|a| RoomAction {
            seq: a.seq,
            at: a.at,
            by: a.by.as_str().to_string(),
            event: a.event,
        }),
        kind: "",
        time_zone: Some(state.meeting.tz.clone()),
        attention,
        rank,
    }
}

/// A meeting known only by its journal: no meeting file was given for it.
pub fn of_journal(meeting: &str, store: String, events: u64, last: Option<&Entry>) -> Room {
    Room {
        meeting: meeting.to_string(),
        store,
        title: None,
        room: None,
        phase: None,
        suspended: false,
        segment: None,
        floor: None,
        listed: None,
        scheduled_end: None,
        projected_end: None,
        over_by: None,
        events,
        last_action: last.map(RoomAction::of),
        kind: "",
        time_zone: None,
        attention: vec![
            "no meeting file given (--meeting FILE) nor kept in its store: only its journal is shown"
                .into(),
        ],
        rank: (4, 0, 0),
    }
}

/// Most in need of attention first; then by meeting id and store, so the
/// order is stable.
pub fn order(a: &Room, b: &Room) -> std::cmp::Ordering {
    a.rank
        .cmp(&b.rank)
        .then_with(|| a.meeting.cmp(&b.meeting))
        .then_with(|| a.store.cmp(&b.store))
}
