//! The meeting as it stands: the planned meeting with every journal entry
//! applied in turn.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use jiff::Timestamp;

use super::command::SpeechKind;
use super::event::{Delegate, Speech};
use super::meeting::{Level, Meeting, Ordering, SeatId, Seating};
use super::undo::History;
use crate::text::Clean;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Scheduled,
    Open,
    Adjourned,
}

impl Phase {
    pub fn label(self) -> &'static str {
        match self {
            Phase::Scheduled => "scheduled",
            Phase::Open => "open",
            Phase::Adjourned => "adjourned",
        }
    }
}

/// A speech waiting on the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub speech: Speech,
    /// `None` for those inscribed in the meeting file, before the journal began.
    pub inscribed_at: Option<Timestamp>,
    pub passed: bool,
}

/// The speech being timed. Every figure comes from event timestamps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Floor {
    pub speech: Speech,
    pub started: Timestamp,
    pub paused_since: Option<Timestamp>,
    /// Seconds spent paused before `paused_since`.
    pub paused_secs: i64,
    pub extended: u32,
    /// The latest timing event of this speech: corrections may not go before it.
    pub last_change: Timestamp,
    /// Paused by a suspension of the meeting, not by an officer: reconvening
    /// resumes it.
    pub held: bool,
}

impl Floor {
    pub fn limit(&self) -> u32 {
        self.speech.limit.saturating_add(self.extended)
    }

    /// Seconds spoken by `now`, pauses excluded.
    pub fn elapsed(&self, now: Timestamp) -> i64 {
        let until = self.paused_since.unwrap_or(now);
        (secs_between(self.started, until) - self.paused_secs).max(0)
    }

    pub fn paused_total(&self, now: Timestamp) -> i64 {
        self.paused_secs
            + self
                .paused_since
                .map_or(0, |since| secs_between(since, now).max(0))
    }

    /// Seconds left before the limit; negative once past it.
    pub fn remaining(&self, now: Timestamp) -> i64 {
        i64::from(self.limit()) - self.elapsed(now)
    }
}

/// A speech that has ended, with its actual times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spoken {
    pub speech: Speech,
    pub started: Timestamp,
    pub ended: Timestamp,
    pub spoken_secs: i64,
    pub paused_secs: i64,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SegmentState {
    pub queue: Vec<Listed>,
    pub floor: Option<Floor>,
    /// Speakers set aside by points of order, innermost last.
    pub interrupted: Vec<Floor>,
    pub spoken: Vec<Spoken>,
    pub closed: bool,
    /// When the latest timing event here took effect: a correction (`at`)
    /// may not go back before it, so events keep their order.
    pub last_timing: Option<Timestamp>,
}

impl SegmentState {
    pub fn position(&self, speech: u32) -> Option<usize> {
        self.queue.iter().position(|l| l.speech.id == speech)
    }

    /// Where a statement goes: after the statements before it by the segment's order,
    /// always before the rights of reply.
    pub fn statement_slot(&self, ordering: Ordering, level: Level) -> usize {
        // After the last statement wherever it stands, so a right of reply moved
        // up by hand does not let later statements jump ahead of earlier ones.
        let after_last = self
            .queue
            .iter()
            .rposition(|l| l.speech.kind != SpeechKind::Reply)
            .map_or(0, |i| i + 1);
        match ordering {
            Ordering::Inscription => after_last,
            Ordering::Protocol => self.queue[..after_last]
                .iter()
                .position(|l| l.speech.kind != SpeechKind::Reply && l.speech.delegate.level > level)
                .unwrap_or(after_last),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Seats {
    pub occupied: BTreeMap<SeatId, Clean>,
    pub blocked: BTreeSet<SeatId>,
    pub waitlist: Vec<Clean>,
    /// Free seats held for waiting delegations, one each. An offer, once made
    /// and announced, stands until its delegation is seated or leaves the
    /// waitlist, or its seat is blocked: it never passes to someone else, so
    /// what the session log announced stays true.
    pub offers: BTreeMap<SeatId, Clean>,
}

impl Seats {
    /// The seat offered to `delegation`, if any.
    pub fn offered_to(&self, delegation: &str) -> Option<SeatId> {
        self.offers
            .iter()
            .find(|(_, d)| d.as_str() == delegation)
            .map(|(s, _)| *s)
    }

    fn is_free(&self, seating: &Seating, seat: SeatId) -> bool {
        seating.contains(seat)
            && !self.blocked.contains(&seat)
            && !self.occupied.contains_key(&seat)
    }

    /// After any change to the seats: offers whose seat is gone or whose
    /// delegation no longer waits are withdrawn, and the free seats nobody
    /// holds are offered, in reading order, to the waiting delegations that
    /// hold no offer, in waitlist order. What others hold is left as it is.
    pub(super) fn settle_offers(&mut self, seating: &Seating) {
        let offers = std::mem::take(&mut self.offers);
        self.offers = offers
            .into_iter()
            .filter(|(seat, to)| {
                self.is_free(seating, *seat) && self.waiting_position(to.as_str()).is_some()
            })
            .collect();
        if self.offers.len() >= self.waitlist.len() {
            return;
        }
        let mut unserved: Vec<&Clean> = Vec::new();
        for d in &self.waitlist {
            if self.offered_to(d.as_str()).is_none() && !unserved.contains(&d) {
                unserved.push(d);
            }
        }
        let made: Vec<(SeatId, Clean)> = seating
            .all()
            .filter(|s| self.is_free(seating, *s) && !self.offers.contains_key(s))
            .zip(unserved)
            .map(|(s, d)| (s, d.clone()))
            .collect();
        self.offers.extend(made);
    }

    pub fn held_by<'a>(&'a self, delegation: &'a str) -> impl Iterator<Item = SeatId> + 'a {
        self.occupied
            .iter()
            .filter(move |(_, d)| d.as_str() == delegation)
            .map(|(s, _)| *s)
    }

    pub fn waiting_position(&self, delegation: &str) -> Option<usize> {
        self.waitlist.iter().position(|d| d.as_str() == delegation)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteVersion {
    pub text: Clean,
    pub tags: Vec<Clean>,
    pub at: Timestamp,
    pub by: Clean,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: u32,
    pub segment: Clean,
    /// Who held the floor when it was taken.
    pub speaker: Option<Delegate>,
    pub speech: Option<u32>,
    /// Oldest first; the last is the current text.
    pub versions: Vec<NoteVersion>,
    pub retracted: Option<(Timestamp, Clean)>,
}

impl Note {
    pub fn current(&self) -> &NoteVersion {
        self.versions
            .last()
            .expect("a note has at least one version")
    }

    pub fn created_at(&self) -> Timestamp {
        self.versions[0].at
    }
}

/// A change to who holds or waits for an observer seat, as the record of
/// attendance counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeatChange {
    Seated(Clean),
    Released,
    Waitlisted(Clean),
}

#[derive(Debug, Clone, PartialEq)]
pub struct LastAction {
    pub seq: u64,
    pub at: Timestamp,
    pub by: Clean,
    /// The session log's short verb, and the event's journal name.
    pub verb: &'static str,
    pub event: &'static str,
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub meeting: Arc<Meeting>,
    /// Seq of the last event applied; 0 before any.
    pub seq: u64,
    pub phase: Phase,
    pub opened_at: Option<Timestamp>,
    pub adjourned_at: Option<Timestamp>,
    /// Index into `meeting.segments` and `segments`.
    pub current: usize,
    pub segments: Vec<SegmentState>,
    pub seats: Seats,
    pub notes: BTreeMap<u32, Note>,
    pub next_speech: u32,
    pub next_note: u32,
    pub last_action: Option<LastAction>,
    /// When the journal's first entry was recorded.
    pub began: Option<Timestamp>,
    /// The changes to the observer seats by seq, in journal order, without
    /// those undone since: the record of attendance is made from them.
    pub seat_changes: Vec<(u64, SeatChange)>,
    /// Delegations whose attendance was recorded, in the order first recorded.
    pub attendance: Vec<super::attendance::Attended>,
    /// Every suspension of the meeting, in order; the last is under way
    /// while it has no end.
    pub suspensions: Vec<Suspension>,
    /// What each operator can undo, and who last changed each part of the state.
    pub(super) undo: History,
}

// --- Suspension of the meeting (issue 13, item 6) ---

/// A suspension of the meeting, from `suspend` to `reconvene` (or adjournment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suspension {
    pub from: Timestamp,
    /// `None` while the meeting is still suspended.
    pub to: Option<Timestamp>,
    pub reason: Clean,
    /// The segment it was suspended in: the summary places it there.
    pub segment: Clean,
}

impl Suspension {
    /// Seconds it lasted, or has lasted by `now`.
    pub fn secs(&self, now: Timestamp) -> i64 {
        secs_between(self.from, self.to.unwrap_or(now)).max(0)
    }
}

impl State {
    /// The suspension under way, if the meeting is suspended.
    pub fn suspended(&self) -> Option<&Suspension> {
        self.suspensions.last().filter(|s| s.to.is_none())
    }

    /// Seconds the meeting has spent suspended by `now`: not the meeting's time.
    pub fn suspended_secs(&self, now: Timestamp) -> i64 {
        self.suspensions.iter().map(|s| s.secs(now)).sum()
    }
}

// --- end of suspension ---

impl State {
    /// The meeting before anything happened: pre-inscribed speakers listed,
    /// blocked seats blocked.
    pub fn new(meeting: Arc<Meeting>) -> State {
        let segments = meeting
            .segments
            .iter()
            .enumerate()
            .map(|(i, def)| {
                let mut segment = SegmentState::default();
                for (n, p) in def
                    .speakers
                    .iter()
                    .filter_map(|id| meeting.participant(id.as_str()))
                    .enumerate()
                {
                    let speech = Speech {
                        category: Some(p.category),
                        language: p.language.clone(),
                        ..Speech::plain(
                            preinscribed_id(i, n),
                            Delegate::from(p),
                            SpeechKind::Statement,
                            def.limit_for(p.category),
                        )
                    };
                    let at = segment.statement_slot(def.ordering, p.level);
                    segment.queue.insert(
                        at,
                        Listed {
                            speech,
                            inscribed_at: None,
                            passed: false,
                        },
                    );
                }
                segment
            })
            .collect();
        let seats = Seats {
            blocked: meeting.seating.blocked.iter().copied().collect(),
            ..Seats::default()
        };
        State {
            meeting,
            seq: 0,
            phase: Phase::Scheduled,
            opened_at: None,
            adjourned_at: None,
            current: 0,
            segments,
            seats,
            notes: BTreeMap::new(),
            next_speech: 1,
            next_note: 1,
            last_action: None,
            began: None,
            seat_changes: Vec::new(),
            attendance: Vec::new(),
            suspensions: Vec::new(),
            undo: History::default(),
        }
    }

    pub fn segment(&self) -> &SegmentState {
        &self.segments[self.current]
    }

    pub fn segment_def(&self) -> &super::meeting::SegmentDef {
        &self.meeting.segments[self.current]
    }

    pub fn floor(&self) -> Option<&Floor> {
        self.segment().floor.as_ref()
    }

    /// Speakers still listed in the segments the meeting has moved on from
    /// (and in the last one, once adjourned): inscribed, and not heard. In
    /// the order of the segments, then of each list.
    pub fn not_heard(&self) -> impl Iterator<Item = (&super::meeting::SegmentDef, &Listed)> {
        let ended = if self.phase == Phase::Adjourned {
            self.current + 1
        } else {
            self.current
        };
        self.segments[..ended]
            .iter()
            .zip(&self.meeting.segments)
            .flat_map(|(segment, def)| segment.queue.iter().map(move |listed| (def, listed)))
    }

    /// Seats that can be given now, in reading order.
    pub fn free_seats(&self) -> impl Iterator<Item = SeatId> + '_ {
        self.meeting
            .seating
            .all()
            .filter(|s| !self.seats.blocked.contains(s) && !self.seats.occupied.contains_key(s))
    }

    /// The free seats held for waiting delegations, in seat order.
    pub fn offers(&self) -> Vec<(SeatId, &Clean)> {
        self.seats.offers.iter().map(|(s, d)| (*s, d)).collect()
    }

    /// Seq of the action of `by` that `undo` would revert, if any.
    pub fn undoable(&self, by: &str) -> Option<(u64, &'static str)> {
        self.undo.last(by).map(|r| (r.seq, r.verb))
    }
}

impl From<&super::meeting::Participant> for Delegate {
    fn from(p: &super::meeting::Participant) -> Delegate {
        Delegate {
            key: p.id.clone(),
            delegation: p.delegation.clone(),
            representative: p.representative.clone(),
            title: p.title.clone(),
            level: p.level,
        }
    }
}

/// Speeches inscribed in the meeting file are numbered apart from the
/// journal's, by segment and place, so pre-inscribing someone for a later
/// segment mid-meeting does not renumber what the journal says.
pub fn preinscribed_id(segment: usize, place: usize) -> u32 {
    const FROM_FILE: u32 = 1 << 30;
    FROM_FILE + (segment as u32) * 10_000 + place as u32
}

/// The index of segment `id`, which the meeting file must define.
pub(super) fn segment_index(state: &State, id: &str) -> Result<usize, String> {
    state
        .meeting
        .segment_index(id)
        .ok_or_else(|| format!("the meeting file has no segment {id:?}"))
}

/// The segment whose list has `speech` on it.
pub(super) fn listed_in(state: &State, speech: u32) -> Result<usize, String> {
    state
        .segments
        .iter()
        .position(|s| s.position(speech).is_some())
        .ok_or_else(|| format!("speech {speech} is not on any list"))
}

pub fn secs_between(from: Timestamp, to: Timestamp) -> i64 {
    to.as_second() - from.as_second()
}
