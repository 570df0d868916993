//! `apply`: one journal entry folded into the state. Replay is this, line after line.

use jiff::Timestamp;

use super::event::{Entry, Event, Speech};
use super::meeting::{SeatId, Seating};
use super::state::{
    Area, Back, Floor, Holder, LastAction, Listed, Note, NoteVersion, Phase, Saved, SavedSegment,
    Seats, SegmentState, Spoken, State, Timer, UNDO_DEPTH, UndoRecord, secs_between,
};

/// An entry that does not fit the state it is applied to: a journal edited by
/// hand, or a meeting file changed under a running meeting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("event #{seq} ({verb}) does not fit the meeting: {reason}")]
pub struct Inconsistent {
    pub seq: u64,
    pub verb: &'static str,
    pub reason: String,
}

type Fit = Result<(), String>;

pub fn apply(state: &mut State, entry: &Entry) -> Result<(), Inconsistent> {
    apply_keeping(state, entry, Keep::Lazily)
}

/// How an action's undo keeps a segment as it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Keep {
    Lazily,
    /// A whole copy at once, as it used to: what the lazy way must equal.
    #[cfg_attr(not(test), allow(dead_code))]
    Copies,
}

pub(super) fn apply_keeping(
    state: &mut State,
    entry: &Entry,
    keep: Keep,
) -> Result<(), Inconsistent> {
    let fail = |reason: String| Inconsistent {
        seq: entry.seq,
        verb: entry.event.verb(),
        reason,
    };
    if entry.seq != state.seq + 1 {
        return Err(fail(format!("expected event #{}", state.seq + 1)));
    }
    let areas = areas(state, entry).map_err(fail)?;
    for area in &areas {
        if let Area::Segment(i) = area {
            keep_for_others(state, *i, entry.by.as_str());
        }
    }
    let undoing = matches!(entry.event, Event::Undone { .. });
    let saved = if undoing {
        Vec::new()
    } else {
        areas
            .iter()
            .map(|a| match (keep, a) {
                (Keep::Lazily, Area::Segment(i)) => {
                    let spoken_len = state.segments[*i].spoken.len();
                    back(state, *i, &entry.event).map_or_else(
                        || save(state, *a),
                        |b| Saved::SegmentBack(*i, spoken_len, b),
                    )
                }
                _ => save(state, *a),
            })
            .collect()
    };
    let touched_before = areas
        .iter()
        .map(|a| state.touched.get(a).cloned())
        .collect();
    change(state, entry).map_err(fail)?;
    if !undoing {
        for area in &areas {
            state.touched.insert(*area, (entry.seq, entry.by.clone()));
        }
        let stack = state.undo.entry(entry.by.clone()).or_default();
        stack.push_back(UndoRecord {
            seq: entry.seq,
            verb: entry.event.action(),
            areas,
            saved,
            touched_before,
        });
        if stack.len() > UNDO_DEPTH {
            stack.pop_front();
        }
    }
    state.seq = entry.seq;
    state.last_action = Some(LastAction {
        seq: entry.seq,
        at: entry.at,
        by: entry.by.clone(),
        verb: entry.event.verb(),
        event: entry.event.name(),
    });
    Ok(())
}

/// The parts of the state an event touches.
pub(super) fn areas(state: &State, entry: &Entry) -> Result<Vec<Area>, String> {
    let current = Area::Segment(state.current);
    Ok(match &entry.event {
        Event::Opened { .. } | Event::Adjourned { .. } => vec![Area::Meeting, current],
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
        Event::Moved { speech, .. } | Event::Removed { speech } | Event::Passed { speech, .. } => {
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
        Event::Undone { seq } => undo_record(state, entry.by.as_str(), *seq)?.areas.clone(),
    })
}

fn segment_index(state: &State, id: &str) -> Result<usize, String> {
    state
        .meeting
        .segment_index(id)
        .ok_or_else(|| format!("the meeting file has no segment {id:?}"))
}

fn listed_in(state: &State, speech: u32) -> Result<usize, String> {
    state
        .segments
        .iter()
        .position(|s| s.position(speech).is_some())
        .ok_or_else(|| format!("speech {speech} is not on any list"))
}

/// Every part of the state is left as it was when an entry does not fit, so each
/// change below checks before it writes.
pub(super) fn undo_record<'a>(
    state: &'a State,
    by: &str,
    seq: u64,
) -> Result<&'a UndoRecord, String> {
    state
        .undo
        .get(by)
        .and_then(|stack| stack.back())
        .filter(|r| r.seq == seq)
        .ok_or_else(|| format!("#{seq} is not the last action of {by} that can be undone"))
}

fn save(state: &State, area: Area) -> Saved {
    match area {
        Area::Meeting => Saved::Meeting {
            phase: state.phase,
            opened_at: state.opened_at,
            adjourned_at: state.adjourned_at,
            current: state.current,
        },
        Area::Segment(i) => Saved::Segment(i, Box::new(save_segment(&state.segments[i]))),
        Area::Seats => Saved::Seats(state.seats.clone()),
        Area::Note(id) => Saved::Note(id, state.notes.get(&id).cloned()),
    }
}

/// Before someone else changes segment `i`, the last action on it, if its
/// officer can still undo it and it was kept lazily, gets its copy: after
/// this change, taking the action back from the segment as it is would no
/// longer give the segment as it was.
fn keep_for_others(state: &mut State, i: usize, by: &str) {
    let Some((seq, who)) = state.touched.get(&Area::Segment(i)) else {
        return;
    };
    if who.as_str() == by {
        return;
    }
    let Some(record) = state
        .undo
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

/// Segment `s` as it was before the action `b` took back, which must be the
/// last to have changed it but for this officer's own actions since undone.
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
        } => {
            let taken = saved.floor.take().expect("the floor was given");
            if let Some((at, inscribed_at, passed)) = listed {
                saved.queue.insert(
                    *at,
                    Listed {
                        speech: taken.speech,
                        inscribed_at: *inscribed_at,
                        passed: *passed,
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
            saved.last_timing = *last_timing;
        }
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
        } => {
            state.phase = *phase;
            state.opened_at = *opened_at;
            state.adjourned_at = *adjourned_at;
            state.current = *current;
        }
        Saved::Segment(i, segment) => restore_segment(&mut state.segments[*i], segment),
        Saved::SegmentBack(i, spoken_len, b) => {
            let segment = taken_back(&state.segments[*i], *spoken_len, b);
            restore_segment(&mut state.segments[*i], &segment);
        }
        Saved::Seats(seats) => state.seats = seats.clone(),
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

fn change(state: &mut State, entry: &Entry) -> Fit {
    change_only(state, entry)?;
    if let Some(effective) = entry.event.effective() {
        state.segments[state.current].last_timing = Some(effective);
    }
    Ok(())
}

fn change_only(state: &mut State, entry: &Entry) -> Fit {
    match &entry.event {
        Event::Opened { effective } => open(state, *effective),
        Event::Adjourned { effective } => adjourn(state, *effective),
        Event::SegmentEntered { segment } => {
            state.current = segment_index(state, segment.as_str())?;
            Ok(())
        }
        Event::Inscribed {
            segment,
            speech,
            position,
        } => {
            let i = segment_index(state, segment.as_str())?;
            inscribe(state, i, speech, *position, entry.at)
        }
        Event::FloorGiven {
            speech,
            effective,
            ends,
            interrupts,
            inscribed,
        } => give_floor(
            state,
            *speech,
            *effective,
            *ends,
            *interrupts,
            inscribed.as_ref(),
        ),
        Event::Paused { speech, effective } => pause(holder(state, *speech)?, *effective),
        Event::Resumed { speech, effective } => resume(holder(state, *speech)?, *effective),
        Event::Ended { speech, effective } => end(state, *speech, *effective),
        Event::Extended { speech, by } => {
            let floor = holder(state, *speech)?;
            let extended = floor
                .extended
                .checked_add(*by)
                .filter(|total| *total <= 24 * 3600)
                .ok_or("an extension of more than a day")?;
            floor.extended = extended;
            // An extension is an event of the speech too: a later correction may not reach before it.
            let at = Timestamp::from_second(entry.at.as_second()).unwrap_or(entry.at);
            floor.last_change = floor.last_change.max(at);
            Ok(())
        }
        Event::Moved { speech, to } => relist(state, *speech, *to, false),
        Event::Passed { speech, to } => relist(state, *speech, *to, true),
        Event::Removed { speech } => {
            let i = listed_in(state, *speech)?;
            let segment = &mut state.segments[i];
            let at = segment.position(*speech).expect("listed_in found it");
            segment.queue.remove(at);
            Ok(())
        }
        Event::ListClosed { segment } => set_closed(state, segment.as_str(), true),
        Event::ListReopened { segment } => set_closed(state, segment.as_str(), false),
        Event::Seated { .. }
        | Event::Released { .. }
        | Event::Waitlisted { .. }
        | Event::Unwaitlisted { .. }
        | Event::Blocked { .. }
        | Event::Unblocked { .. } => {
            let seating = &state.meeting.seating;
            change_seats(&mut state.seats, seating, &entry.event)
        }
        Event::Noted {
            note,
            text,
            tags,
            segment,
            speech,
        } => add_note(state, entry, *note, text, tags, segment, *speech),
        Event::Amended { note, text, tags } => {
            let version = NoteVersion {
                text: text.clone(),
                tags: tags.clone(),
                at: entry.at,
                by: entry.by.clone(),
            };
            live_note(state, *note)?.versions.push(version);
            Ok(())
        }
        Event::Retracted { note } => {
            live_note(state, *note)?.retracted = Some((entry.at, entry.by.clone()));
            Ok(())
        }
        Event::Undone { seq } => undo(state, entry, *seq),
    }
}

/// A change to the observer seats, then the offers settled after it; the
/// session log works out what a change offers with this too. Other events
/// leave the seats alone.
pub(super) fn change_seats(seats: &mut Seats, seating: &Seating, event: &Event) -> Fit {
    let on_the_map = |seat: SeatId| {
        if seating.contains(seat) {
            Ok(())
        } else {
            Err(format!("seat {seat} is not on the seat map"))
        }
    };
    match event {
        Event::Seated { seat, delegation } => {
            if !seating.contains(*seat) || seats.blocked.contains(seat) {
                return Err(format!("seat {seat} cannot be given"));
            }
            if seats.occupied.contains_key(seat) {
                return Err(format!("seat {seat} is already taken"));
            }
            seats.occupied.insert(*seat, delegation.clone());
            if let Some(at) = seats.waiting_position(delegation.as_str()) {
                seats.waitlist.remove(at);
            }
        }
        Event::Released { seat } => {
            seats
                .occupied
                .remove(seat)
                .ok_or_else(|| format!("seat {seat} is not taken"))?;
        }
        Event::Waitlisted { delegation } => seats.waitlist.push(delegation.clone()),
        Event::Unwaitlisted { delegation } => {
            let at = seats
                .waiting_position(delegation.as_str())
                .ok_or_else(|| format!("{delegation} is not waiting"))?;
            seats.waitlist.remove(at);
        }
        Event::Blocked { seat } => {
            on_the_map(*seat)?;
            seats.blocked.insert(*seat);
        }
        Event::Unblocked { seat } => {
            on_the_map(*seat)?;
            seats.blocked.remove(seat);
        }
        _ => return Ok(()),
    }
    seats.settle_offers(seating);
    Ok(())
}

fn open(state: &mut State, effective: Timestamp) -> Fit {
    if state.phase != Phase::Scheduled {
        return Err("the meeting was opened already".into());
    }
    state.phase = Phase::Open;
    state.opened_at = Some(effective);
    Ok(())
}

fn adjourn(state: &mut State, effective: Timestamp) -> Fit {
    if state.phase != Phase::Open {
        return Err("the meeting is not open".into());
    }
    let segment = &mut state.segments[state.current];
    while let Some(floor) = segment.floor.take() {
        segment.spoken.push(spoken(floor, effective));
        segment.floor = segment.interrupted.pop();
    }
    state.phase = Phase::Adjourned;
    state.adjourned_at = Some(effective);
    Ok(())
}

fn inscribe(
    state: &mut State,
    segment: usize,
    speech: &Speech,
    position: usize,
    at: Timestamp,
) -> Fit {
    if position > state.segments[segment].queue.len() {
        return Err(format!(
            "position {} is past the end of the list",
            position + 1
        ));
    }
    take_speech_id(state, speech.id)?;
    state.segments[segment].queue.insert(
        position,
        Listed {
            speech: speech.clone(),
            inscribed_at: Some(at),
            passed: false,
        },
    );
    Ok(())
}

fn take_speech_id(state: &mut State, id: u32) -> Fit {
    if id != state.next_speech {
        return Err(format!(
            "speech {id} should have been numbered {}",
            state.next_speech
        ));
    }
    state.next_speech += 1;
    Ok(())
}

fn give_floor(
    state: &mut State,
    speech: u32,
    effective: Timestamp,
    ends: Option<u32>,
    interrupts: Option<u32>,
    inscribed: Option<&Speech>,
) -> Fit {
    let holder_id = state.segments[state.current]
        .floor
        .as_ref()
        .map(|f| f.speech.id);
    let fits = match (holder_id, ends, interrupts) {
        (None, None, None) => true,
        (Some(h), Some(e), None) | (Some(h), None, Some(e)) => h == e,
        _ => false,
    };
    if !fits {
        return Err("who held the floor does not match".into());
    }
    let taken = match inscribed {
        Some(new) if new.id == speech => {
            take_speech_id(state, new.id)?;
            new.clone()
        }
        Some(_) => return Err("the speech given the floor is not the one inscribed".into()),
        None => {
            let segment = &mut state.segments[state.current];
            let at = segment
                .position(speech)
                .ok_or_else(|| format!("speech {speech} is not on the list"))?;
            segment.queue.remove(at).speech
        }
    };
    let segment = &mut state.segments[state.current];
    if let Some(mut holder) = segment.floor.take() {
        if interrupts.is_some() {
            if holder.paused_since.is_none() {
                holder.paused_since = Some(effective);
            }
            holder.last_change = effective;
            segment.interrupted.push(holder);
        } else {
            segment.spoken.push(spoken(holder, effective));
        }
    }
    segment.floor = Some(Floor {
        speech: taken,
        started: effective,
        paused_since: None,
        paused_secs: 0,
        extended: 0,
        last_change: effective,
    });
    Ok(())
}

fn holder(state: &mut State, speech: u32) -> Result<&mut Floor, String> {
    state.segments[state.current]
        .floor
        .as_mut()
        .filter(|f| f.speech.id == speech)
        .ok_or_else(|| format!("speech {speech} does not hold the floor"))
}

fn pause(floor: &mut Floor, effective: Timestamp) -> Fit {
    if floor.paused_since.is_some() {
        return Err("the speech is paused already".into());
    }
    floor.paused_since = Some(effective);
    floor.last_change = effective;
    Ok(())
}

fn resume(floor: &mut Floor, effective: Timestamp) -> Fit {
    let since = floor
        .paused_since
        .take()
        .ok_or("the speech is not paused")?;
    floor.paused_secs += secs_between(since, effective).max(0);
    floor.last_change = effective;
    Ok(())
}

fn end(state: &mut State, speech: u32, effective: Timestamp) -> Fit {
    holder(state, speech)?;
    let segment = &mut state.segments[state.current];
    let floor = segment.floor.take().expect("holder checked");
    segment.spoken.push(spoken(floor, effective));
    segment.floor = segment.interrupted.pop();
    // Back from a point of order: corrections may not reach into it.
    if let Some(back) = segment.floor.as_mut() {
        back.last_change = effective;
    }
    Ok(())
}

fn spoken(floor: Floor, ended: Timestamp) -> Spoken {
    Spoken {
        spoken_secs: floor.elapsed(ended),
        paused_secs: floor.paused_total(ended),
        limit: floor.limit(),
        started: floor.started,
        ended,
        speech: floor.speech,
    }
}

fn relist(state: &mut State, speech: u32, to: usize, passed: bool) -> Fit {
    let i = listed_in(state, speech)?;
    let queue = &mut state.segments[i].queue;
    let from = queue
        .iter()
        .position(|l| l.speech.id == speech)
        .expect("listed_in found it");
    if to >= queue.len() {
        return Err(format!("position {} is past the end of the list", to + 1));
    }
    let mut listed = queue.remove(from);
    listed.passed |= passed;
    queue.insert(to, listed);
    Ok(())
}

fn set_closed(state: &mut State, segment: &str, closed: bool) -> Fit {
    let i = segment_index(state, segment)?;
    state.segments[i].closed = closed;
    Ok(())
}

fn add_note(
    state: &mut State,
    entry: &Entry,
    id: u32,
    text: &crate::text::Clean,
    tags: &[crate::text::Clean],
    segment: &crate::text::Clean,
    speech: Option<u32>,
) -> Fit {
    if id != state.next_note {
        return Err(format!(
            "note {id} should have been numbered {}",
            state.next_note
        ));
    }
    let speaker = speech.and_then(|id| {
        state.segments.iter().find_map(|s| {
            s.floor
                .iter()
                .chain(&s.interrupted)
                .find(|f| f.speech.id == id)
                .map(|f| f.speech.delegate.clone())
        })
    });
    let version = NoteVersion {
        text: text.clone(),
        tags: tags.to_vec(),
        at: entry.at,
        by: entry.by.clone(),
    };
    let note = Note {
        id,
        segment: segment.clone(),
        speaker,
        speech,
        versions: vec![version],
        retracted: None,
    };
    state.notes.insert(id, note);
    state.next_note += 1;
    Ok(())
}

fn live_note(state: &mut State, id: u32) -> Result<&mut Note, String> {
    match state.notes.get_mut(&id) {
        Some(note) if note.retracted.is_none() => Ok(note),
        Some(_) => Err(format!("note {id} was retracted")),
        None => Err(format!("there is no note {id}")),
    }
}

fn undo(state: &mut State, entry: &Entry, seq: u64) -> Fit {
    let stack = state
        .undo
        .get_mut(&entry.by)
        .ok_or("this operator has nothing to undo")?;
    match stack.back() {
        Some(record) if record.seq == seq => {}
        _ => return Err(format!("#{seq} is not this operator's last action")),
    }
    let record = stack.pop_back().expect("checked above");
    for saved in record.saved.iter().rev() {
        restore(state, saved);
    }
    for (area, before) in record.areas.iter().zip(record.touched_before) {
        match before {
            Some(touched) => state.touched.insert(*area, touched),
            None => state.touched.remove(area),
        };
    }
    Ok(())
}
