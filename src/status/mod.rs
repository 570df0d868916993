//! What `gavel state` shows: the meeting's state at one instant, as the
//! stable JSON contract for other tools (`--json`, schema 1) and, in
//! `text`, the same facts for a person. Fields are only ever added; a change
//! of meaning gets a new schema number.

pub mod room;
mod text;

pub use text::text;

use jiff::Timestamp;
use serde::Serialize;

use crate::domain::clock::project;
use crate::domain::event::{Delegate, Speech};
use crate::domain::state::{Floor, State};
use crate::domain::{Category, Language, Level, Meeting, SpeechKind};
use crate::text::Clean;

pub const SCHEMA: u32 = 1;

#[derive(Serialize)]
pub struct Status<'a> {
    pub schema: u32,
    pub now: Timestamp,
    pub meeting: MeetingInfo<'a>,
    pub phase: &'static str,
    pub rehearsal: bool,
    pub opened_at: Option<Timestamp>,
    pub adjourned_at: Option<Timestamp>,
    pub segment: SegmentInfo<'a>,
    pub floor: Option<FloorInfo<'a>>,
    /// Speakers set aside by points of order, innermost last.
    pub interrupted: Vec<FloorInfo<'a>>,
    pub queue: Vec<Queued<'a>>,
    pub spoken: Vec<SpokenInfo<'a>>,
    /// Inscribed in a segment the meeting has moved on from, and not heard.
    pub not_heard: Vec<NotHeardInfo<'a>>,
    pub seats: SeatsInfo,
    /// Delegations whose attendance was recorded, in the order first recorded.
    pub attendance: Vec<AttendanceInfo<'a>>,
    pub notes: Vec<NoteInfo<'a>>,
    pub clock: ClockInfo,
    pub last_seq: u64,
    pub last_action: Option<LastActionInfo<'a>>,
    // --- Suspension of the meeting (issue 13, item 6) ---
    /// The suspension under way, or null.
    pub suspended: Option<SuspendedInfo<'a>>,
    /// Every suspension, in order, the one under way included.
    pub suspensions: Vec<SuspensionInfo<'a>>,
    // --- end of suspension ---
}

// --- attendance ---

/// One delegation's attendance as last recorded.
#[derive(Serialize)]
pub struct AttendanceInfo<'a> {
    pub delegation: &'a str,
    /// The roster id of whom the record named, or `state:<name>`.
    pub key: &'a str,
    pub representative: &'a str,
    pub present: bool,
    /// When last recorded present; null if never (regrets).
    pub since: Option<Timestamp>,
    /// When recorded absent after that; null while present.
    pub left: Option<Timestamp>,
}

impl<'a> AttendanceInfo<'a> {
    fn of(a: &'a crate::domain::attendance::Attended) -> AttendanceInfo<'a> {
        AttendanceInfo {
            delegation: a.delegation(),
            key: a.delegate.key.as_str(),
            representative: a.representative.as_str(),
            present: a.present,
            since: a.since,
            left: a.left,
        }
    }
}

// --- end attendance ---
// --- Suspension of the meeting (issue 13, item 6) ---

#[derive(Serialize)]
pub struct SuspendedInfo<'a> {
    pub since: Timestamp,
    pub reason: &'a str,
    /// Seconds so far.
    pub seconds: i64,
}

#[derive(Serialize)]
pub struct SuspensionInfo<'a> {
    pub segment: &'a str,
    pub from: Timestamp,
    /// Null while under way.
    pub to: Option<Timestamp>,
    /// Seconds it lasted, or so far.
    pub seconds: i64,
    pub reason: &'a str,
}

fn suspensions(state: &State, now: Timestamp) -> Vec<SuspensionInfo<'_>> {
    state
        .suspensions
        .iter()
        .map(|s| SuspensionInfo {
            segment: s.segment.as_str(),
            from: s.from,
            to: s.to,
            seconds: s.secs(now),
            reason: s.reason.as_str(),
        })
        .collect()
}

/// `[["13:00", "15:00"]]`, as the meeting file writes them.
fn breaks(m: &Meeting) -> Vec<[String; 2]> {
    let hh_mm = |t: jiff::civil::Time| t.strftime("%H:%M").to_string();
    m.breaks
        .iter()
        .map(|(start, end)| [hh_mm(*start), hh_mm(*end)])
        .collect()
}

// --- end of suspension ---

#[derive(Serialize)]
pub struct MeetingInfo<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub venue: &'a str,
    pub room: &'a str,
    pub date: String,
    pub start: String,
    pub end: String,
    pub timezone: &'a str,
    /// Scheduled breaks, local `HH:MM` pairs.
    pub breaks: Vec<[String; 2]>,
}

#[derive(Serialize)]
pub struct SegmentInfo<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub speaking_limit: u32,
    pub ordering: crate::domain::Ordering,
    pub list_closed: bool,
}

#[derive(Serialize)]
pub struct Who<'a> {
    pub speech: u32,
    pub key: &'a str,
    pub delegation: &'a str,
    pub representative: &'a str,
    pub title: &'a str,
    pub level: Level,
    pub kind: SpeechKind,
    /// Who the delegation speaks as, which gave the limit: `group` for a
    /// statement on behalf of a group or a joint one. Null only in a journal
    /// written before categories, for a State not on the roster.
    pub category: Option<Category>,
    /// The group a statement is delivered on behalf of, or null.
    pub on_behalf_of: Option<&'a str>,
    /// The other delegations of a joint statement.
    pub joint: Vec<&'a str>,
    /// ISO 639 code, or null when not known.
    pub language: Option<&'a str>,
    /// `Egypt, on behalf of the Arab Group`, as the text shows it.
    #[serde(skip)]
    pub heading: String,
    #[serde(skip)]
    pub language_name: Option<&'a str>,
}

impl<'a> Who<'a> {
    fn of(speech: &'a Speech, meeting: &Meeting) -> Who<'a> {
        let Delegate {
            key,
            delegation,
            representative,
            title,
            level,
        } = &speech.delegate;
        Who {
            speech: speech.id,
            key: key.as_str(),
            delegation: delegation.as_str(),
            representative: representative.as_str(),
            title: title.as_str(),
            level: *level,
            kind: speech.kind,
            category: speech
                .category
                .or_else(|| meeting.participant(key.as_str()).map(|p| p.category)),
            on_behalf_of: Some(speech.on_behalf_of.as_str()).filter(|g| !g.is_empty()),
            joint: speech.joint.iter().map(Clean::as_str).collect(),
            language: speech.language.as_ref().map(Language::code),
            heading: speech.heading(),
            language_name: speech.language.as_ref().map(Language::name),
        }
    }
}

#[derive(Serialize)]
pub struct FloorInfo<'a> {
    #[serde(flatten)]
    pub who: Who<'a>,
    pub started_at: Timestamp,
    /// Seconds spoken, pauses excluded.
    pub elapsed: i64,
    /// Seconds allowed, extensions included.
    pub limit: u32,
    /// Seconds left; negative past the limit.
    pub remaining: i64,
    pub paused: bool,
    pub paused_secs: i64,
}

impl<'a> FloorInfo<'a> {
    fn of(f: &'a Floor, now: Timestamp, meeting: &Meeting) -> FloorInfo<'a> {
        FloorInfo {
            who: Who::of(&f.speech, meeting),
            started_at: f.started,
            elapsed: f.elapsed(now),
            limit: f.limit(),
            remaining: f.remaining(now),
            paused: f.paused_since.is_some(),
            paused_secs: f.paused_total(now),
        }
    }
}

#[derive(Serialize)]
pub struct Queued<'a> {
    /// 1-based.
    pub position: usize,
    #[serde(flatten)]
    pub who: Who<'a>,
    pub limit: u32,
    pub passed: bool,
    pub inscribed_at: Option<Timestamp>,
}

#[derive(Serialize)]
pub struct SpokenInfo<'a> {
    pub segment: &'a str,
    #[serde(flatten)]
    pub who: Who<'a>,
    pub started_at: Timestamp,
    pub ended_at: Timestamp,
    pub spoken: i64,
    pub paused: i64,
    pub limit: u32,
}

#[derive(Serialize)]
pub struct NotHeardInfo<'a> {
    pub segment: &'a str,
    #[serde(flatten)]
    pub who: Who<'a>,
    pub limit: u32,
    pub inscribed_at: Option<Timestamp>,
}

#[derive(Serialize)]
pub struct SeatsInfo {
    /// Seats in the map, blocked ones included.
    pub capacity: usize,
    pub available: usize,
    pub per_delegation: u16,
    pub blocked: Vec<String>,
    pub occupied: Vec<Occupied>,
    pub free: usize,
    pub waitlist: Vec<String>,
    /// Free seats held for the head of the waitlist.
    pub offers: Vec<Occupied>,
}

#[derive(Serialize)]
pub struct Occupied {
    pub seat: String,
    pub delegation: String,
}

#[derive(Serialize)]
pub struct NoteInfo<'a> {
    pub id: u32,
    pub text: &'a str,
    pub tags: Vec<&'a str>,
    pub segment: &'a str,
    pub speaker: Option<&'a str>,
    pub at: Timestamp,
    pub by: &'a str,
    pub amended: bool,
    pub retracted: bool,
    /// Earlier texts, oldest first.
    pub history: Vec<&'a str>,
}

#[derive(Serialize)]
pub struct ClockInfo {
    pub scheduled_start: Timestamp,
    pub scheduled_end: Timestamp,
    pub since_open: Option<i64>,
    pub left_to_end: i64,
    pub projected_end: Timestamp,
    pub over_by: i64,
    pub listed: usize,
    pub limit_to_finish: Option<i64>,
    /// Seconds spent suspended, left out of `since_open`.
    pub suspended_for: i64,
}

#[derive(Serialize)]
pub struct LastActionInfo<'a> {
    pub seq: u64,
    pub at: Timestamp,
    pub by: &'a str,
    /// The event's type, as in the journal.
    pub event: &'static str,
}

/// The state at `now`, as `gavel state --json` writes it.
pub fn of(state: &State, now: Timestamp) -> Status<'_> {
    let now = Timestamp::from_second(now.as_second()).unwrap_or(now);
    let m = &state.meeting;
    let def = state.segment_def();
    let segment = state.segment();
    let projection = project(state, now);
    Status {
        schema: SCHEMA,
        now,
        meeting: MeetingInfo {
            id: m.id.as_str(),
            title: m.title.as_str(),
            venue: m.venue.as_str(),
            room: m.room.as_str(),
            date: m.date.to_string(),
            start: m.start.strftime("%H:%M").to_string(),
            end: m.end.strftime("%H:%M").to_string(),
            timezone: &m.timezone,
            breaks: breaks(m),
        },
        phase: state.phase.label(),
        rehearsal: projection.schedule.rehearsal,
        opened_at: state.opened_at,
        adjourned_at: state.adjourned_at,
        segment: SegmentInfo {
            id: def.id.as_str(),
            title: def.title.as_str(),
            speaking_limit: def.speaking_limit,
            ordering: def.ordering,
            list_closed: segment.closed,
        },
        floor: segment
            .floor
            .as_ref()
            .map(|f| FloorInfo::of(f, now, &state.meeting)),
        interrupted: segment
            .interrupted
            .iter()
            .map(|f| FloorInfo::of(f, now, &state.meeting))
            .collect(),
        queue: segment
            .queue
            .iter()
            .enumerate()
            .map(|(i, l)| Queued {
                position: i + 1,
                who: Who::of(&l.speech, &state.meeting),
                limit: l.speech.limit,
                passed: l.passed,
                inscribed_at: l.inscribed_at,
            })
            .collect(),
        spoken: spoken(state),
        not_heard: state
            .not_heard()
            .map(|(def, listed)| NotHeardInfo {
                segment: def.id.as_str(),
                who: Who::of(&listed.speech, &state.meeting),
                limit: listed.speech.limit,
                inscribed_at: listed.inscribed_at,
            })
            .collect(),
        seats: seats(state),
        attendance: state.attendance.iter().map(AttendanceInfo::of).collect(),
        notes: state.notes.values().map(note).collect(),
        clock: ClockInfo {
            scheduled_start: projection.schedule.start,
            scheduled_end: projection.schedule.end,
            since_open: projection.since_open,
            left_to_end: projection.left_to_end,
            projected_end: projection.projected_end,
            over_by: projection.over_by,
            listed: projection.listed,
            limit_to_finish: projection.limit_to_finish,
            suspended_for: projection.suspended_secs,
        },
        last_seq: state.seq,
        last_action: state.last_action.as_ref().map(|a| LastActionInfo {
            seq: a.seq,
            at: a.at,
            by: a.by.as_str(),
            event: a.event,
        }),
        suspended: state.suspended().map(|s| SuspendedInfo {
            since: s.from,
            reason: s.reason.as_str(),
            seconds: s.secs(now),
        }),
        suspensions: suspensions(state, now),
    }
}

fn spoken(state: &State) -> Vec<SpokenInfo<'_>> {
    state
        .meeting
        .segments
        .iter()
        .zip(&state.segments)
        .flat_map(|(def, s)| {
            s.spoken.iter().map(move |sp| SpokenInfo {
                segment: def.id.as_str(),
                who: Who::of(&sp.speech, &state.meeting),
                started_at: sp.started,
                ended_at: sp.ended,
                spoken: sp.spoken_secs,
                paused: sp.paused_secs,
                limit: sp.limit,
            })
        })
        .collect()
}

fn seats(state: &State) -> SeatsInfo {
    let map = &state.meeting.seating;
    let pair = |seat: &crate::domain::SeatId, d: &crate::text::Clean| Occupied {
        seat: seat.to_string(),
        delegation: d.to_string(),
    };
    SeatsInfo {
        capacity: map.capacity(),
        available: map.capacity().saturating_sub(state.seats.blocked.len()),
        per_delegation: map.per_delegation,
        blocked: state
            .seats
            .blocked
            .iter()
            .map(ToString::to_string)
            .collect(),
        occupied: state
            .seats
            .occupied
            .iter()
            .map(|(s, d)| pair(s, d))
            .collect(),
        free: state.free_seats().count(),
        waitlist: state
            .seats
            .waitlist
            .iter()
            .map(ToString::to_string)
            .collect(),
        offers: state
            .offers()
            .into_iter()
            .map(|(s, d)| pair(&s, d))
            .collect(),
    }
}

fn note(n: &crate::domain::state::Note) -> NoteInfo<'_> {
    let current = n.current();
    NoteInfo {
        id: n.id,
        text: current.text.as_str(),
        tags: current.tags.iter().map(|t| t.as_str()).collect(),
        segment: n.segment.as_str(),
        speaker: n.speaker.as_ref().map(|d| d.delegation.as_str()),
        at: n.created_at(),
        by: n.versions[0].by.as_str(),
        amended: n.versions.len() > 1,
        retracted: n.retracted.is_some(),
        history: n.versions[..n.versions.len() - 1]
            .iter()
            .map(|v| v.text.as_str())
            .collect(),
    }
}
