//! What the board page shows, as JSON for the browser to render: the same
//! facts the TUI's board reads from the state (the floor and its heading,
//! the language's name, who comes next, the suspension in words, the
//! projected end), figured once per journal event for every page. The
//! countdown is not figured here: the page runs it from these instants.

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use crate::domain::clock::{project, schedule};
use crate::domain::state::Floor;
use crate::domain::{Meeting, State};

/// How many speakers the board says come next, as the TUI's board does and
/// two more: a browser screen has the room.
const NEXT: usize = 5;

#[derive(Serialize)]
pub struct Facts<'a> {
    /// The last journal event these facts include (the SSE event's id).
    pub seq: u64,
    /// The instant every figure below is for, in milliseconds since the epoch.
    pub at_ms: i64,
    pub meeting: MeetingFacts<'a>,
    /// `scheduled`, `open` or `adjourned`.
    pub phase: &'static str,
    pub rehearsal: bool,
    pub segment: &'a str,
    pub list_closed: bool,
    /// Within this many seconds of the limit the countdown says WARNING.
    pub warn_before: u32,
    /// Why nobody holds the floor, in words, when nobody does.
    pub no_floor: Option<String>,
    pub floor: Option<FloorFacts>,
    /// Speakers set aside by points of order, innermost last.
    pub interrupted: Vec<FloorFacts>,
    pub next: Vec<NextFacts<'a>>,
    /// How many are listed in the segment, those shown in `next` included.
    pub listed: usize,
    /// `SUSPENDED since 16:05 (consultations)`, while suspended.
    pub suspended: Option<String>,
    pub clock: ClockFacts,
}

#[derive(Serialize)]
pub struct MeetingFacts<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub venue: &'a str,
    pub room: &'a str,
    pub timezone: &'a str,
}

#[derive(Serialize)]
pub struct FloorFacts {
    /// `Egypt, on behalf of the Arab Group`.
    pub heading: String,
    pub representative: String,
    pub title: String,
    /// `statement`, `reply` or `order`, and in words.
    pub kind: crate::domain::SpeechKind,
    pub kind_label: &'static str,
    /// `French`, when the language is known.
    pub language: Option<String>,
    /// Seconds at `at_ms`: spoken (pauses left out), allowed, left.
    pub elapsed: i64,
    pub limit: u32,
    pub remaining: i64,
    pub paused: bool,
    /// Paused by the meeting's suspension: the board says SUSPENDED.
    pub held: bool,
}

#[derive(Serialize)]
pub struct NextFacts<'a> {
    pub position: usize,
    pub heading: String,
    pub representative: &'a str,
    pub kind: crate::domain::SpeechKind,
    pub kind_label: &'static str,
    pub language: Option<&'a str>,
    pub limit: u32,
    pub passed: bool,
}

/// The projection, and how fast it moves: the page moves it on by `drift`
/// seconds a second until the next message (1 while the floor's holder is
/// over the limit, paused, or nobody holds the floor; 0 otherwise).
#[derive(Serialize, Clone, Copy, PartialEq, Eq, Debug)]
pub struct ClockFacts {
    /// The venue's offset from UTC at `at_ms`, in seconds.
    pub offset_secs: i32,
    pub scheduled_start_ms: i64,
    pub scheduled_end_ms: i64,
    pub projected_end_ms: i64,
    pub drift: i64,
}

/// The board's facts at `now`, whole seconds as `state --json` has them.
pub fn of(state: &State, now: Timestamp) -> Facts<'_> {
    let now = Timestamp::from_second(now.as_second()).unwrap_or(now);
    let m = &state.meeting;
    let segment = state.segment();
    let queue = &segment.queue;
    Facts {
        seq: state.seq,
        at_ms: now.as_millisecond(),
        meeting: MeetingFacts {
            id: m.id.as_str(),
            title: m.title.as_str(),
            venue: m.venue.as_str(),
            room: m.room.as_str(),
            timezone: &m.timezone,
        },
        phase: state.phase.label(),
        rehearsal: schedule(m, now).rehearsal,
        segment: state.segment_def().title.as_str(),
        list_closed: segment.closed,
        warn_before: m.warn_before,
        no_floor: state.floor().is_none().then(|| no_floor(state, now)),
        floor: state.floor().map(|f| floor(f, now)),
        interrupted: segment.interrupted.iter().map(|f| floor(f, now)).collect(),
        next: queue.iter().take(NEXT).enumerate().map(next).collect(),
        listed: queue.len(),
        suspended: suspended(state),
        clock: clock(state, now),
    }
}

/// The clock's part alone, for the heartbeat: the projection moves with
/// time (a speaker past the limit pushes it on), and each heartbeat carries
/// it afresh.
pub fn clock(state: &State, now: Timestamp) -> ClockFacts {
    let here = project(state, now);
    // How the projection moves is read off the projection itself, a second
    // on, rather than told again here: one rule, the domain's.
    let later = now
        .saturating_add(SignedDuration::from_secs(1))
        .unwrap_or(now);
    let moved = later_end(state, later).as_second() - here.projected_end.as_second();
    ClockFacts {
        offset_secs: state.meeting.tz.to_offset(now).seconds(),
        scheduled_start_ms: here.schedule.start.as_millisecond(),
        scheduled_end_ms: here.schedule.end.as_millisecond(),
        projected_end_ms: here.projected_end.as_millisecond(),
        drift: moved.clamp(0, 1),
    }
}

fn later_end(state: &State, later: Timestamp) -> Timestamp {
    project(state, later).projected_end
}

fn floor(f: &Floor, now: Timestamp) -> FloorFacts {
    let who = &f.speech.delegate;
    FloorFacts {
        heading: f.speech.heading(),
        representative: who.representative.to_string(),
        title: who.title.to_string(),
        kind: f.speech.kind,
        kind_label: f.speech.kind.label(),
        language: f.speech.language.as_ref().map(|l| l.name().to_string()),
        elapsed: f.elapsed(now),
        limit: f.limit(),
        remaining: f.remaining(now),
        paused: f.paused_since.is_some(),
        held: f.held,
    }
}

fn next((i, listed): (usize, &crate::domain::state::Listed)) -> NextFacts<'_> {
    let speech = &listed.speech;
    NextFacts {
        position: i + 1,
        heading: speech.heading(),
        representative: speech.delegate.representative.as_str(),
        kind: speech.kind,
        kind_label: speech.kind.label(),
        language: speech.language.as_ref().map(|l| l.name()),
        limit: speech.limit,
        passed: listed.passed,
    }
}

/// As the TUI's board says it.
fn no_floor(state: &State, now: Timestamp) -> String {
    use crate::domain::Phase;
    match (state.phase, state.adjourned_at) {
        (Phase::Scheduled, _) => {
            let start = schedule(&state.meeting, now).start;
            format!("The meeting opens at {}", local(&state.meeting, start))
        }
        (Phase::Adjourned, Some(at)) => format!("Adjourned at {}", local(&state.meeting, at)),
        _ => "Nobody has the floor".to_string(),
    }
}

fn suspended(state: &State) -> Option<String> {
    let s = state.suspended()?;
    let since = format!("SUSPENDED since {}", local(&state.meeting, s.from));
    Some(if s.reason.is_empty() {
        since
    } else {
        format!("{since} ({})", s.reason)
    })
}

/// Why the board may be behind, as the page says it where it otherwise
/// says `live`: since when, in the venue's time as the page's clock shows
/// it (the TUI says `store unreachable since 12:03:10` too). Where the
/// store is stays on the server's output: a room's screen is no place for it.
pub fn journal_trouble(state: &State, since: Timestamp, unreachable: bool) -> String {
    let at = since
        .to_zoned_datetime(state.meeting.tz.clone())
        .strftime("%H:%M:%S")
        .to_string();
    if unreachable {
        format!("store unreachable since {at} — the board may be behind")
    } else {
        format!("cannot follow the journal since {at} — the board may be behind")
    }
}

fn local(meeting: &Meeting, at: Timestamp) -> String {
    at.to_zoned_datetime(meeting.tz.clone())
        .strftime("%H:%M")
        .to_string()
}
