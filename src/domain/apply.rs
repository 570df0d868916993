//! `apply`: one journal entry applied to the state. Replay is this, line
//! after line. Each event changes the state in one place, below; what undo
//! keeps of the state before an event is `undo`'s business.

use jiff::Timestamp;

use super::event::{Entry, Event, Speech};
use super::meeting::{SeatId, Seating};
use super::state::{
    Floor, LastAction, Listed, Note, NoteVersion, Phase, SeatChange, Seats, Spoken, State,
    listed_in, secs_between, segment_index,
};
use super::undo::{self, Keep};

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

/// Every part of the state is left as it was when an entry does not fit, so
/// each change below checks before it writes.
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
    let before = undo::before(state, entry, keep).map_err(fail)?;
    change(state, entry).map_err(fail)?;
    undo::after(state, entry, before);
    state.began = state.began.or(Some(entry.at));
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

/// The event's own change, then, for a timing event, when it took effect in
/// the current segment: a later correction may not reach back before it.
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
        Event::Swapped { speech, with } => swap(state, *speech, *with),
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
            change_seats(&mut state.seats, seating, &entry.event)?;
            note_attendance(state, entry);
            Ok(())
        }
        Event::Noted {
            note,
            text,
            tags,
            segment,
            speech,
        } => {
            note_fits(text)?;
            add_note(state, entry, *note, text, tags, segment, *speech)
        }
        Event::Amended { note, text, tags } => {
            note_fits(text)?;
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
        Event::Present { .. } | Event::Absent { .. } => {
            super::attendance::apply(state, entry);
            Ok(())
        }
        Event::Suspended { effective, reason } => {
            super::suspension::apply_suspended(state, *effective, reason)
        }
        Event::Reconvened { effective } => super::suspension::apply_reconvened(state, *effective),
        Event::Undone { seq } => {
            undo::take_back(state, &entry.by, *seq)?;
            // An action undone did not happen, for the record too.
            if let Ok(at) = state.seat_changes.binary_search_by_key(seq, |(s, _)| *s) {
                state.seat_changes.remove(at);
            }
            Ok(())
        }
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

/// The seat changes the record of attendance counts, kept as they happen.
fn note_attendance(state: &mut State, entry: &Entry) {
    let change = match &entry.event {
        Event::Seated { delegation, .. } => SeatChange::Seated(delegation.clone()),
        Event::Released { .. } => SeatChange::Released,
        Event::Waitlisted { delegation } => SeatChange::Waitlisted(delegation.clone()),
        _ => return,
    };
    state.seat_changes.push((entry.seq, change));
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
    // Adjourned while suspended: the suspension ends with the meeting.
    if state.suspended().is_some() {
        super::suspension::end_suspension(state, effective)?;
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
        held: false,
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

fn swap(state: &mut State, speech: u32, with: u32) -> Fit {
    let i = listed_in(state, speech)?;
    let queue = &mut state.segments[i].queue;
    let at = |id: u32| queue.iter().position(|l| l.speech.id == id);
    let (Some(a), Some(b)) = (at(speech), at(with)) else {
        return Err(format!("speeches {speech} and {with} are not on one list"));
    };
    if a == b {
        return Err(format!(
            "speech {speech} cannot exchange places with itself"
        ));
    }
    queue.swap(a, b);
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

/// A note longer than `decide` lets through was not written by gavel; taken
/// in, it would slow every screen that draws it.
fn note_fits(text: &crate::text::Clean) -> Fit {
    let chars = text.as_str().chars().count();
    if chars > super::MAX_NOTE_CHARS {
        return Err(format!(
            "the note has {chars} characters, more than the {} a note may have",
            super::MAX_NOTE_CHARS
        ));
    }
    Ok(())
}

fn live_note(state: &mut State, id: u32) -> Result<&mut Note, String> {
    match state.notes.get_mut(&id) {
        Some(note) if note.retracted.is_none() => Ok(note),
        Some(_) => Err(format!("note {id} was retracted")),
        None => Err(format!("there is no note {id}")),
    }
}
