//! Undo, as a new event: every action keeps what the parts of the state it
//! changes looked like before it, so that `undo` can put them back. An
//! officer undoes their own actions, newest first, and an undo is refused once
//! another officer has changed one of those parts since.

use std::collections::{HashMap, VecDeque};

use jiff::Timestamp;
use rustc_hash::FxHashMap;

use super::event::{Entry, Event};
use super::state::{
    Floor, Listed, Note, Phase, Seats, SegmentState, State, Suspension, listed_in, segment_index,
};
use crate::text::Clean;

/// How many of an operator's own actions can be undone, newest first.
const UNDO_DEPTH: usize = 50;

/// The parts of the state one action can touch; undo is refused once someone
/// else has touched the same part since.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Area {
    Meeting,
    Segment(usize),
    Seats,
    Note(u32),
    Attendance,
}

impl Area {
    pub fn label(self) -> &'static str {
        match self {
            Area::Meeting => "the meeting's phase",
            Area::Segment(_) => "the list of speakers or the floor",
            Area::Seats => "the observer seats",
            Area::Note(_) => "that note",
            Area::Attendance => "the attendance",
        }
    }
}

/// What every operator can undo, and who last changed each area.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct History {
    /// Keyed by operator. A journal edited by hand chooses the operators, and
    /// could choose names that collide under a fast hash, so this map keeps
    /// the standard one.
    stacks: HashMap<Clean, VecDeque<UndoRecord>>,
    /// Who last changed each area, and in which event. It is looked up at
    /// every event of a replay, so it uses a fast hash: its keys are the
    /// meeting file's segments and notes numbered in order, which no journal
    /// can choose.
    touched: FxHashMap<Area, (u64, Clean)>,
}

impl History {
    /// The action of `by` that `undo` would revert next.
    pub(super) fn last(&self, by: &str) -> Option<&UndoRecord> {
        self.stacks.get(by).and_then(|stack| stack.back())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct UndoRecord {
    pub seq: u64,
    pub verb: &'static str,
    pub areas: Vec<Area>,
    saved: Vec<Saved>,
    /// Who had last changed each area before this action. Undo puts it back,
    /// so that the action before this one can be undone next.
    touched_before: Vec<Option<(u64, Clean)>>,
}

impl UndoRecord {
    /// The observer seats as undoing this action puts them back, if it
    /// changed them.
    pub(super) fn seats(&self) -> Option<&Seats> {
        self.saved.iter().find_map(|saved| match saved {
            Saved::Seats(seats) => Some(seats),
            _ => None,
        })
    }
}

/// What an area looked like before an action, to put back on undo.
#[derive(Debug, Clone, PartialEq)]
enum Saved {
    Meeting {
        phase: Phase,
        opened_at: Option<Timestamp>,
        adjourned_at: Option<Timestamp>,
        current: usize,
        suspensions: Vec<Suspension>,
    },
    Segment(usize, Box<SavedSegment>),
    /// A segment kept as the way to take the action back, with the length its
    /// spoken list had before. A copy of a segment costs more than the action
    /// itself, so no copy is made while only this officer changes the segment:
    /// their own later actions are undone first, and that leaves the segment
    /// as this action left it, so taking this action back gives the segment
    /// as it was. Just before another officer changes the segment, the copy is
    /// made after all (see `keep_for_others`).
    SegmentBack(usize, usize, Back),
    Seats(Seats),
    Note(u32, Option<Note>),
    Attendance(Vec<super::attendance::Attended>),
}

/// A segment as it was. The spoken list only grows, so its length is enough
/// to put it back.
#[derive(Debug, Clone, PartialEq)]
struct SavedSegment {
    queue: Vec<Listed>,
    floor: Option<Floor>,
    interrupted: Vec<Floor>,
    spoken_len: usize,
    closed: bool,
    last_timing: Option<Timestamp>,
}

/// How to take one action on a segment back, from the segment right after it.
#[derive(Debug, Clone, PartialEq)]
enum Back {
    /// Inscribed at this position.
    Inserted(usize),
    /// Moved or passed from `from` to `to`; `passed` as it was.
    Relisted {
        from: usize,
        to: usize,
        passed: bool,
    },
    /// Two places exchanged, the one and the other: exchanged back.
    Swapped(usize, usize),
    /// The floor's timer as it was: a pause, a resumption, an extension.
    Timer(Timer, Option<Timestamp>),
    /// The floor given: the speech came off the list (at, inscribed_at,
    /// passed) or was new, and the holder either ended or was set aside.
    FloorGiven {
        listed: Option<(usize, Option<Timestamp>, bool)>,
        holder: Option<Holder>,
        last_timing: Option<Timestamp>,
    },
    /// The speech that ended, and when the timer of whoever it interrupted,
    /// and who came back, last changed before that.
    Ended {
        ended: Box<Floor>,
        back: Option<Timestamp>,
        last_timing: Option<Timestamp>,
    },
    Closed(bool),
}

/// A floor's timer apart from who speaks and since when.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Timer {
    paused_since: Option<Timestamp>,
    paused_secs: i64,
    extended: u32,
    last_change: Timestamp,
}

/// Who held the floor before it was given. One who ended is kept whole: the
/// spoken list keeps less than a floor, and an undo past others' changes may
/// have cut that list.
#[derive(Debug, Clone, PartialEq)]
enum Holder {
    Ended(Box<Floor>),
    SetAside {
        paused_since: Option<Timestamp>,
        last_change: Timestamp,
    },
}

/// How an action's undo keeps a segment as it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Keep {
    Lazily,
    /// A whole copy at once, as it used to: what the lazy way must equal.
    #[cfg(test)]
    Copies,
}

/// What an entry's undo needs, taken before the entry changes the state.
pub(super) struct Before {
    areas: Vec<Area>,
    saved: Vec<Saved>,
    touched_before: Vec<Option<(u64, Clean)>>,
}

/// Keeps what `entry` is about to change, before it changes it.
pub(super) fn before(state: &mut State, entry: &Entry, keep: Keep) -> Result<Before, String> {
    let areas = areas(state, entry)?;
    for area in &areas {
        if let Area::Segment(i) = area {
            keep_for_others(state, *i, entry.by.as_str());
        }
    }
    let saved = if undoing(entry) {
        Vec::new()
    } else {
        areas
            .iter()
            .map(|a| keep_area(state, *a, &entry.event, keep))
            .collect()
    };
    let touched_before = areas
        .iter()
        .map(|a| state.undo.touched.get(a).cloned())
        .collect();
    Ok(Before {
        areas,
        saved,
        touched_before,
    })
}

/// Once `entry` has changed the state, it is the last change of its areas,
/// and its officer can undo it. An undo is not itself undone.
pub(super) fn after(state: &mut State, entry: &Entry, before: Before) {
    if undoing(entry) {
        return;
    }
    let history = &mut state.undo;
    for area in &before.areas {
        history.touched.insert(*area, (entry.seq, entry.by.clone()));
    }
    let stack = history.stacks.entry(entry.by.clone()).or_default();
    stack.push_back(UndoRecord {
        seq: entry.seq,
        verb: entry.event.action(),
        areas: before.areas,
        saved: before.saved,
        touched_before: before.touched_before,
    });
    if stack.len() > UNDO_DEPTH {
        stack.pop_front();
    }
}

fn undoing(entry: &Entry) -> bool {
    matches!(entry.event, Event::Undone { .. })
}

/// The parts of the state an event touches.
fn areas(state: &State, entry: &Entry) -> Result<Vec<Area>, String> {
    let current = Area::Segment(state.current);
    Ok(match &entry.event {
        Event::Opened { .. }
        | Event::Adjourned { .. }
        | Event::Suspended { .. }
        | Event::Reconvened { .. } => vec![Area::Meeting, current],
        // The segment entered counts too: once someone has spoken there, moving
        // back by undo would strand them.
        Event::SegmentEntered { segment } => {
            vec![
                Area::Meeting,
                current,
                Area::Segment(segment_index(state, segment.as_str())?),
            ]
        }
        Event::Inscribed { segment, .. }
        | Event::ListClosed { segment }
        | Event::ListReopened { segment } => {
            vec![Area::Segment(segment_index(state, segment.as_str())?)]
        }
        Event::FloorGiven { .. }
        | Event::Paused { .. }
        | Event::Resumed { .. }
        | Event::Ended { .. }
        | Event::Extended { .. } => vec![current],
        Event::Moved { speech, .. }
        | Event::Removed { speech }
        | Event::Passed { speech, .. }
        | Event::Swapped { speech, .. } => {
            vec![Area::Segment(listed_in(state, *speech)?)]
        }
        Event::Seated { .. }
        | Event::Released { .. }
        | Event::Waitlisted { .. }
        | Event::Unwaitlisted { .. }
        | Event::Blocked { .. }
        | Event::Unblocked { .. } => vec![Area::Seats],
        Event::Noted { note, .. } | Event::Amended { note, .. } | Event::Retracted { note } => {
            vec![Area::Note(*note)]
        }
        Event::Present { .. } | Event::Absent { .. } => vec![Area::Attendance],
        Event::Undone { seq } => record(state, entry.by.as_str(), *seq)?.areas.clone(),
    })
}

/// The action `seq` of `by`, which must be the last one `by` can undo.
pub(super) fn record<'a>(state: &'a State, by: &str, seq: u64) -> Result<&'a UndoRecord, String> {
    state
        .undo
        .last(by)
        .filter(|r| r.seq == seq)
        .ok_or_else(|| format!("#{seq} is not the last action of {by} that can be undone"))
}

/// The first area of `record` that another action has changed since, with
/// that action's seq and officer.
pub(super) fn changed_since<'a>(
    state: &'a State,
    record: &UndoRecord,
) -> Option<(Area, u64, &'a Clean)> {
    record.areas.iter().find_map(|area| {
        state
            .undo
            .touched
            .get(area)
            .filter(|(last, _)| *last != record.seq)
            .map(|(last, who)| (*area, *last, who))
    })
}

/// What `area` looks like before `event`: the way to take the event back for
/// the events that change a segment often, a copy for the rest.
fn keep_area(state: &State, area: Area, event: &Event, keep: Keep) -> Saved {
    match (keep, area) {
        (Keep::Lazily, Area::Segment(i)) => {
            let spoken_len = state.segments[i].spoken.len();
            back(state, i, event).map_or_else(
                || save(state, area),
                |b| Saved::SegmentBack(i, spoken_len, b),
            )
        }
        _ => save(state, area),
    }
}

fn save(state: &State, area: Area) -> Saved {
    match area {
        Area::Meeting => Saved::Meeting {
            phase: state.phase,
            opened_at: state.opened_at,
            adjourned_at: state.adjourned_at,
            current: state.current,
            suspensions: state.suspensions.clone(),
        },
        Area::Segment(i) => Saved::Segment(i, Box::new(save_segment(&state.segments[i]))),
        Area::Seats => Saved::Seats(state.seats.clone()),
        Area::Note(id) => Saved::Note(id, state.notes.get(&id).cloned()),
        Area::Attendance => Saved::Attendance(state.attendance.clone()),
    }
}

/// Called before another officer changes segment `i`. If the last action on
/// it was kept lazily and its officer can still undo it, that action gets a
/// copy of the segment as it was now: once the segment changes, taking the
/// action back from the segment as it is would no longer give the segment as
/// it was.
fn keep_for_others(state: &mut State, i: usize, by: &str) {
    let history = &mut state.undo;
    let Some((seq, who)) = history.touched.get(&Area::Segment(i)) else {
        return;
    };
    if who.as_str() == by {
        return;
    }
    let Some(record) = history
        .stacks
        .get_mut(who.as_str())
        .and_then(|stack| stack.iter_mut().rev().find(|r| r.seq == *seq))
    else {
        return;
    };
    for saved in &mut record.saved {
        if let Saved::SegmentBack(j, spoken_len, b) = saved
            && *j == i
        {
            let before = taken_back(&state.segments[i], *spoken_len, b);
            *saved = Saved::Segment(i, Box::new(before));
        }
    }
}

/// How to take `event` back from segment `i` once it is applied, for the
/// events that change a segment often; `None` for the rest, which are copied.
fn back(state: &State, i: usize, event: &Event) -> Option<Back> {
    let s = &state.segments[i];
    let timer = |f: &Floor| Timer {
        paused_since: f.paused_since,
        paused_secs: f.paused_secs,
        extended: f.extended,
        last_change: f.last_change,
    };
    Some(match event {
        Event::Inscribed { position, .. } => Back::Inserted(*position),
        Event::Moved { speech, to } | Event::Passed { speech, to } => {
            let from = s.position(*speech)?;
            Back::Relisted {
                from,
                to: *to,
                passed: s.queue[from].passed,
            }
        }
        Event::Swapped { speech, with } => Back::Swapped(s.position(*speech)?, s.position(*with)?),
        Event::Paused { .. } | Event::Resumed { .. } | Event::Extended { .. } => {
            Back::Timer(timer(s.floor.as_ref()?), s.last_timing)
        }
        Event::FloorGiven {
            speech,
            interrupts,
            inscribed,
            ..
        } => {
            let listed = match inscribed {
                Some(_) => None,
                None => {
                    let at = s.position(*speech)?;
                    Some((at, s.queue[at].inscribed_at, s.queue[at].passed))
                }
            };
            let holder = s.floor.as_ref().map(|h| match interrupts {
                Some(_) => Holder::SetAside {
                    paused_since: h.paused_since,
                    last_change: h.last_change,
                },
                None => Holder::Ended(Box::new(h.clone())),
            });
            Back::FloorGiven {
                listed,
                holder,
                last_timing: s.last_timing,
            }
        }
        Event::Ended { .. } => Back::Ended {
            ended: Box::new(s.floor.clone()?),
            back: s.interrupted.last().map(|f| f.last_change),
            last_timing: s.last_timing,
        },
        Event::ListClosed { .. } | Event::ListReopened { .. } => Back::Closed(s.closed),
        _ => return None,
    })
}

/// Segment `s` as it was before the action that `b` takes back. That action
/// must be the last one to have changed the segment, leaving aside this
/// officer's own later actions that have been undone since.
fn taken_back(s: &SegmentState, spoken_len: usize, b: &Back) -> SavedSegment {
    let mut saved = save_segment(s);
    saved.spoken_len = spoken_len;
    match b {
        Back::Inserted(at) => {
            saved.queue.remove(*at);
        }
        Back::Relisted { from, to, passed } => {
            let mut listed = saved.queue.remove(*to);
            listed.passed = *passed;
            saved.queue.insert(*from, listed);
        }
        Back::Swapped(a, b) => saved.queue.swap(*a, *b),
        Back::Timer(t, last_timing) => {
            if let Some(f) = saved.floor.as_mut() {
                f.paused_since = t.paused_since;
                f.paused_secs = t.paused_secs;
                f.extended = t.extended;
                f.last_change = t.last_change;
            }
            saved.last_timing = *last_timing;
        }
        Back::FloorGiven {
            listed,
            holder,
            last_timing,
        } => floor_taken_back(&mut saved, *listed, holder.as_ref(), *last_timing),
        Back::Ended {
            ended,
            back,
            last_timing,
        } => {
            if let Some(last_change) = back {
                let mut f = saved.floor.take().expect("the interrupted came back");
                f.last_change = *last_change;
                saved.interrupted.push(f);
            }
            saved.floor = Some(ended.as_ref().clone());
            saved.last_timing = *last_timing;
        }
        Back::Closed(closed) => saved.closed = *closed,
    }
    saved
}

/// The floor given taken back: the speech goes back on the list where it
/// was, if it came from there, and the one who held the floor holds it again.
fn floor_taken_back(
    saved: &mut SavedSegment,
    listed: Option<(usize, Option<Timestamp>, bool)>,
    holder: Option<&Holder>,
    last_timing: Option<Timestamp>,
) {
    let taken = saved.floor.take().expect("the floor was given");
    if let Some((at, inscribed_at, passed)) = listed {
        saved.queue.insert(
            at,
            Listed {
                speech: taken.speech,
                inscribed_at,
                passed,
            },
        );
    }
    saved.floor = match holder {
        None => None,
        Some(Holder::Ended(ended)) => Some(ended.as_ref().clone()),
        Some(Holder::SetAside {
            paused_since,
            last_change,
        }) => {
            let mut h = saved.interrupted.pop().expect("the holder was set aside");
            h.paused_since = *paused_since;
            h.last_change = *last_change;
            Some(h)
        }
    };
    saved.last_timing = last_timing;
}

fn save_segment(s: &SegmentState) -> SavedSegment {
    SavedSegment {
        queue: s.queue.clone(),
        floor: s.floor.clone(),
        interrupted: s.interrupted.clone(),
        spoken_len: s.spoken.len(),
        closed: s.closed,
        last_timing: s.last_timing,
    }
}

fn restore_segment(s: &mut SegmentState, saved: &SavedSegment) {
    s.queue = saved.queue.clone();
    s.floor = saved.floor.clone();
    s.interrupted = saved.interrupted.clone();
    s.spoken.truncate(saved.spoken_len);
    s.closed = saved.closed;
    s.last_timing = saved.last_timing;
}

fn restore(state: &mut State, saved: &Saved) {
    match saved {
        Saved::Meeting {
            phase,
            opened_at,
            adjourned_at,
            current,
            suspensions,
        } => {
            state.phase = *phase;
            state.opened_at = *opened_at;
            state.adjourned_at = *adjourned_at;
            state.current = *current;
            state.suspensions.clone_from(suspensions);
        }
        Saved::Segment(i, segment) => restore_segment(&mut state.segments[*i], segment),
        Saved::SegmentBack(i, spoken_len, b) => {
            let segment = taken_back(&state.segments[*i], *spoken_len, b);
            restore_segment(&mut state.segments[*i], &segment);
        }
        Saved::Seats(seats) => state.seats = seats.clone(),
        Saved::Attendance(attendance) => state.attendance = attendance.clone(),
        Saved::Note(id, note) => match note {
            Some(note) => {
                state.notes.insert(*id, note.clone());
            }
            None => {
                state.notes.remove(id);
            }
        },
    }
}

/// The `Undone` event: the parts of the state `seq` changed put back as they
/// were, and who had changed them before it.
pub(super) fn take_back(state: &mut State, by: &Clean, seq: u64) -> Result<(), String> {
    let stack = state
        .undo
        .stacks
        .get_mut(by)
        .ok_or("this operator has nothing to undo")?;
    match stack.back() {
        Some(record) if record.seq == seq => {}
        _ => return Err(format!("#{seq} is not this operator's last action")),
    }
    let record = stack.pop_back().expect("checked above");
    for saved in record.saved.iter().rev() {
        restore(state, saved);
    }
    let touched = &mut state.undo.touched;
    for (area, before) in record.areas.iter().zip(record.touched_before) {
        match before {
            Some(last) => touched.insert(*area, last),
            None => touched.remove(area),
        };
    }
    Ok(())
}
