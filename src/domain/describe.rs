//! The session log's line for an entry: what a person watching `tail -f` reads.
//! Described against the state before the entry, which knows the names.

use super::apply::change_seats;
use super::command::SpeechKind;
use super::event::{Entry, Event};
use super::format::{duration, local_time, ordinal};
use super::state::{Floor, Seats, State};
use super::undo;

/// `15:42:10 #0042 floor  France — H.E. Mr. Jean-Yves Le Drian takes the floor (limit 3m) · ana`
pub fn describe(state: &State, entry: &Entry) -> String {
    let text = what(state, entry);
    format!(
        "{} #{:04} {:<6} {text} · {}",
        local_time(&state.meeting, entry.at),
        entry.seq,
        entry.event.verb(),
        entry.by
    )
}

/// `France's`, `United Nations'`.
fn possessive(name: &str) -> String {
    if name.ends_with('s') {
        format!("{name}'")
    } else {
        format!("{name}'s")
    }
}

/// `Mali paused at 1m20s`, `Mali resumes at 1m20s`, with a correction if any.
fn timer_line(
    state: &State,
    entry: &Entry,
    speech: u32,
    effective: jiff::Timestamp,
    verb: &str,
) -> String {
    let at = holder(state, speech).map_or(0, |f| f.elapsed(effective));
    let name = delegation_of(state, speech);
    format!(
        "{name} {verb} at {}{}",
        duration(at),
        corrected(state, entry, effective)
    )
}

fn limit_of(limit: u32) -> String {
    format!("limit {}", duration(i64::from(limit)))
}

fn holder(state: &State, id: u32) -> Option<&Floor> {
    let segment = state.segment();
    segment
        .floor
        .iter()
        .chain(&segment.interrupted)
        .find(|f| f.speech.id == id)
}

/// The speech `id`, whether listed or holding the floor.
fn speech(state: &State, id: u32) -> Option<&super::event::Speech> {
    let listed = state
        .segments
        .iter()
        .flat_map(|s| &s.queue)
        .find(|l| l.speech.id == id)
        .map(|l| &l.speech);
    listed.or_else(|| holder(state, id).map(|f| &f.speech))
}

fn speech_name(state: &State, id: u32) -> String {
    speech(state, id).map_or_else(|| format!("speech {id}"), |s| s.display_name())
}

fn delegation_of(state: &State, id: u32) -> String {
    speech(state, id).map_or_else(
        || format!("speech {id}"),
        |s| s.delegate.delegation.to_string(),
    )
}

/// ` in French`, for the interpreters, when the language is known.
fn in_language(speech: &super::event::Speech) -> String {
    speech
        .language
        .as_ref()
        .map_or(String::new(), |l| format!(" in {}", l.name()))
}

/// ` (at 15:41:50)` when a late key press was corrected.
fn corrected(state: &State, entry: &Entry, effective: jiff::Timestamp) -> String {
    if effective.as_second() == entry.at.as_second() {
        String::new()
    } else {
        format!(" (at {})", local_time(&state.meeting, effective))
    }
}

fn spoke(state: &State, id: u32, at: jiff::Timestamp) -> String {
    match holder(state, id) {
        Some(f) => {
            let spoken = f.elapsed(at);
            let over = spoken - i64::from(f.limit());
            let over = if over > 0 {
                format!(", {} over", duration(over))
            } else {
                String::new()
            };
            format!(
                "{} spoke {}{over}",
                f.speech.delegate.delegation,
                duration(spoken)
            )
        }
        None => format!("speech {id} ended"),
    }
}

fn what(state: &State, entry: &Entry) -> String {
    match &entry.event {
        Event::Opened { effective } => {
            format!(
                "The meeting is open: {}{}",
                state.meeting.title,
                corrected(state, entry, *effective)
            )
        }
        Event::Adjourned { effective } => {
            let segment = state.segment();
            let ends: String = segment
                .floor
                .iter()
                .chain(segment.interrupted.iter().rev())
                .map(|f| format!("; {}", spoke(state, f.speech.id, *effective)))
                .collect();
            let left = not_heard(&segment.queue).map_or(String::new(), |left| format!("; {left}"));
            format!(
                "The meeting is adjourned{}{ends}{left}",
                corrected(state, entry, *effective)
            )
        }
        Event::SegmentEntered { segment } => {
            let title = state
                .meeting
                .segment_index(segment.as_str())
                .map(|i| &state.meeting.segments[i].title);
            let title = title.map_or(segment.to_string(), ToString::to_string);
            match not_heard(&state.segment().queue) {
                Some(left) => format!("{title} begins; {left}"),
                None => format!("{title} begins"),
            }
        }
        Event::Inscribed {
            speech, position, ..
        } => format!(
            "{} inscribed {} ({}{}, limit {})",
            speech.display_name(),
            ordinal(position + 1),
            speech.kind.label(),
            in_language(speech),
            duration(i64::from(speech.limit))
        ),
        Event::FloorGiven {
            speech,
            effective,
            ends,
            interrupts,
            inscribed,
        } => {
            let listed = state
                .segment()
                .queue
                .iter()
                .find(|l| l.speech.id == *speech);
            let taken = inscribed.as_ref().or(listed.map(|l| &l.speech));
            let name = taken.map_or_else(|| speech_name(state, *speech), |s| s.display_name());
            let (kind, limit) = taken.map_or(("", 0), |s| match s.kind {
                SpeechKind::Statement => ("", s.limit),
                other => (other.label(), s.limit),
            });
            let limit = if kind.is_empty() {
                limit_of(limit)
            } else {
                format!("{kind}, {}", limit_of(limit))
            };
            let limit = format!(
                "{limit}{}",
                taken
                    .map(in_language)
                    .filter(|l| !l.is_empty())
                    .map(|l| format!(",{l}"))
                    .unwrap_or_default()
            );
            let at = corrected(state, entry, *effective);
            match (ends, interrupts) {
                (_, Some(h)) => {
                    let paused = holder(state, *h).is_some_and(|f| f.paused_since.is_some());
                    let what = if paused { "waits, paused" } else { "pauses" };
                    format!(
                        "{name} raises a point of order{at}; {} {what}",
                        delegation_of(state, *h)
                    )
                }
                (Some(h), None) => format!(
                    "{name} takes the floor{at} ({limit}); {}",
                    spoke(state, *h, *effective)
                ),
                (None, None) => format!("{name} takes the floor{at} ({limit})"),
            }
        }
        Event::Paused { speech, effective } => {
            timer_line(state, entry, *speech, *effective, "paused")
        }
        Event::Resumed { speech, effective } => {
            timer_line(state, entry, *speech, *effective, "resumes")
        }
        Event::Ended { speech, effective } => {
            let segment = state.segment();
            let back = segment.interrupted.last().map(|f| {
                format!(
                    "; {} has the floor again, paused",
                    f.speech.delegate.delegation
                )
            });
            format!(
                "{}{}{}",
                spoke(state, *speech, *effective),
                corrected(state, entry, *effective),
                back.unwrap_or_default()
            )
        }
        Event::Extended { speech, by } => {
            let limit = holder(state, *speech).map_or(0, |f| f.limit().saturating_add(*by));
            format!(
                "{} limit extended by {} to {}",
                possessive(&delegation_of(state, *speech)),
                duration(i64::from(*by)),
                duration(i64::from(limit))
            )
        }
        Event::Moved { speech, to } => format!(
            "{} moved to {}",
            speech_name(state, *speech),
            ordinal(to + 1)
        ),
        Event::Removed { speech } => {
            format!("{} removed from the list", speech_name(state, *speech))
        }
        Event::Swapped { speech, with } => {
            let queue = &state.segment().queue;
            let place = |id: u32| {
                queue
                    .iter()
                    .position(|l| l.speech.id == id)
                    .map_or(0, |p| p + 1)
            };
            // The delegations alone read best, unless they are one delegation
            // with two speakers, whom only their names tell apart.
            let (a, b) = (delegation_of(state, *speech), delegation_of(state, *with));
            let (a, b) = if a == b {
                (speech_name(state, *speech), speech_name(state, *with))
            } else {
                (a, b)
            };
            format!(
                "{a} and {b} exchanged places: {} ↔ {}",
                ordinal(place(*speech)),
                ordinal(place(*with))
            )
        }
        Event::Passed { speech, to } => format!(
            "{} absent: passed to {}",
            speech_name(state, *speech),
            ordinal(to + 1)
        ),
        Event::ListClosed { .. } => format!(
            "The list of speakers is closed ({})",
            state.segment_def().title
        ),
        Event::ListReopened { .. } => format!(
            "The list of speakers is reopened ({})",
            state.segment_def().title
        ),
        Event::Seated { seat, delegation } => {
            let waiting = state.seats.waiting_position(delegation.as_str());
            let from = waiting.map(|_| ", from the waitlist").unwrap_or("");
            let capacity = state
                .meeting
                .seating
                .capacity()
                .saturating_sub(state.seats.blocked.len());
            let seated = state.seats.occupied.len() + 1;
            let still_waiting = state.seats.waitlist.len() - usize::from(waiting.is_some());
            format!(
                "{delegation} seated at {seat}{from} ({seated}/{capacity} seated · {still_waiting} waiting){}",
                offer_news(state, entry)
            )
        }
        Event::Released { seat } => {
            let by = state
                .seats
                .occupied
                .get(seat)
                .map_or(String::new(), |d| format!(" ({d})"));
            format!("Seat {seat} freed{by}{}", offer_news(state, entry))
        }
        Event::Waitlisted { delegation } => {
            format!(
                "{delegation} waits, {} on the waitlist{}",
                ordinal(state.seats.waitlist.len() + 1),
                offer_news(state, entry)
            )
        }
        Event::Unwaitlisted { delegation } => format!(
            "{delegation} leaves the waitlist{}",
            offer_news(state, entry)
        ),
        Event::Blocked { seat } => format!("Seat {seat} blocked{}", offer_news(state, entry)),
        Event::Unblocked { seat } => {
            format!("Seat {seat} unblocked{}", offer_news(state, entry))
        }
        Event::Noted {
            note, text, speech, ..
        } => {
            let during = speech
                .map(|s| format!(" (during {})", delegation_of(state, s)))
                .unwrap_or_default();
            format!("Note {note}{during}: {text}")
        }
        Event::Amended { note, text, .. } => format!("Note {note} amended: {text}"),
        Event::Retracted { note } => format!("Note {note} retracted"),
        Event::Present { .. } | Event::Absent { .. } => {
            super::attendance::describe(state, entry).unwrap_or_default()
        }
        Event::Suspended { effective, reason } => suspended_line(state, entry, *effective, reason),
        Event::Reconvened { effective } => reconvened_line(state, entry, *effective),
        Event::Undone { seq } => {
            let verb = state
                .undoable(entry.by.as_str())
                .filter(|(s, _)| s == seq)
                .map_or("action", |(_, v)| v);
            format!("Undoes #{seq:04} ({verb}){}", offer_news(state, entry))
        }
    }
}

/// The observer seats as `entry` leaves them, for the entries that change them.
fn seats_after(state: &State, entry: &Entry) -> Option<Seats> {
    if let Event::Undone { seq } = entry.event {
        let record = undo::record(state, entry.by.as_str(), seq).ok()?;
        return record.seats().cloned();
    }
    let changes_seats = matches!(
        entry.event,
        Event::Seated { .. }
            | Event::Released { .. }
            | Event::Waitlisted { .. }
            | Event::Unwaitlisted { .. }
            | Event::Blocked { .. }
            | Event::Unblocked { .. }
    );
    if !changes_seats {
        return None;
    }
    let mut seats = state.seats.clone();
    change_seats(&mut seats, &state.meeting.seating, &entry.event).ok()?;
    Some(seats)
}

/// What `entry` does to the offers of free seats, in the words every other
/// view of an offer agrees with: `; B9 offered to Kazakhstan, 1st on the
/// waitlist` for an offer made (`; offered to …` for the seat just freed),
/// `; the offer of B9 to Kazakhstan is withdrawn` for one that ends other than
/// by its delegation taking the seat now or the seat being offered anew.
fn offer_news(state: &State, entry: &Entry) -> String {
    let Some(after) = seats_after(state, entry) else {
        return String::new();
    };
    let before = &state.seats;
    let freed = match entry.event {
        Event::Released { seat } => Some(seat),
        _ => None,
    };
    let taken = match &entry.event {
        Event::Seated { seat, delegation } => Some((seat, delegation)),
        _ => None,
    };
    let mut news = String::new();
    for (seat, to) in &before.offers {
        let stands = after.offers.contains_key(seat);
        if !stands && taken != Some((seat, to)) {
            news.push_str(&format!("; the offer of {seat} to {to} is withdrawn"));
        }
    }
    for (seat, to) in &after.offers {
        if before.offers.get(seat) == Some(to) {
            continue;
        }
        let place = after
            .waiting_position(to.as_str())
            .map_or(String::new(), |at| {
                format!(", {} on the waitlist", ordinal(at + 1))
            });
        if freed == Some(*seat) {
            news.push_str(&format!("; offered to {to}{place}"));
        } else {
            news.push_str(&format!("; {seat} offered to {to}{place}"));
        }
    }
    news
}

/// Those a segment leaves listed, said when the next begins: they were
/// inscribed and are not heard.
fn not_heard(queue: &[super::state::Listed]) -> Option<String> {
    const NAMED: usize = 10;
    let names: Vec<String> = queue
        .iter()
        .take(NAMED)
        .map(|l| l.speech.delegate.delegation.to_string())
        .collect();
    let more = match queue.len().saturating_sub(NAMED) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    let count = match queue.len() {
        0 => return None,
        1 => "1 inscribed speaker".to_string(),
        n => format!("{n} inscribed speakers"),
    };
    Some(format!("{count} not heard: {}{more}", names.join(", ")))
}

// --- Suspension of the meeting (issue 13, item 6) ---

/// `The meeting is suspended (consultations); Mali's timer stops at 1m20s`.
fn suspended_line(
    state: &State,
    entry: &Entry,
    effective: jiff::Timestamp,
    reason: &crate::text::Clean,
) -> String {
    let why = if reason.is_empty() {
        String::new()
    } else {
        format!(" ({reason})")
    };
    let floor = state.floor().map_or(String::new(), |f| {
        let name = possessive(f.speech.delegate.delegation.as_str());
        match f.paused_since {
            Some(_) => format!("; {name} speech stays paused"),
            None => format!("; {name} timer stops at {}", duration(f.elapsed(effective))),
        }
    });
    format!(
        "The meeting is suspended{why}{}{floor}",
        corrected(state, entry, effective)
    )
}

/// `The meeting reconvenes after 15m; Mali resumes at 1m20s`.
fn reconvened_line(state: &State, entry: &Entry, effective: jiff::Timestamp) -> String {
    let length = state.suspended().map_or(String::new(), |s| {
        format!(" after {}", duration(s.secs(effective)))
    });
    let floor = state.floor().map_or(String::new(), |f| {
        let name = f.speech.delegate.delegation.as_str();
        let at = duration(f.elapsed(effective));
        if f.held {
            format!("; {name} resumes at {at}")
        } else {
            format!("; {name} stays paused at {at}")
        }
    });
    format!(
        "The meeting reconvenes{length}{}{floor}",
        corrected(state, entry, effective)
    )
}

// --- end of suspension ---
