//! `decide`: a command judged against the state it would change. It either
//! yields the events that record it or refuses, in words an officer understands.

use jiff::{Timestamp, ToSpan};

use super::command::{At, Command, Inscription, Place, SegmentTarget, SpeechKind};
use super::event::{Event, Speech};
use super::format::{local_time, ordinal};
use super::meeting::Category;
use super::refusal::{Decided, Refusal, refuse};
use super::resolve;
use super::state::{Floor, Phase, State};
use super::suspension::not_suspended;
use super::undo;
use crate::text::{Clean, match_key};

/// Notes longer than this are refused rather than cut: nothing typed is lost silently.
pub const MAX_NOTE_CHARS: usize = 16_000;

/// `by` is the operator: `undo` reverts only their own last action.
pub fn decide(state: &State, command: Command, now: Timestamp, by: &str) -> Decided {
    // Timing is kept to the whole second, so every instance shows the same figures.
    let now = Timestamp::from_second(now.as_second()).expect("a whole second of a valid instant");
    match command {
        Command::Open { at } => open(state, at, now),
        Command::Adjourn { at } => adjourn(state, at, now),
        Command::Segment(target) => segment(state, target),
        Command::Add(inscription) => add(state, inscription, now),
        Command::Next { at } => next(state, at, now),
        Command::Floor { who, at } => floor(state, who.as_str(), at, now),
        Command::Pause { at } => pause(state, at, now),
        Command::Resume { at } => resume(state, at, now),
        Command::End { at } => end(state, at, now),
        Command::Extend { by } => extend(state, by),
        Command::Move { who, to } => move_to(state, who.as_str(), to),
        Command::Remove { who } => remove(state, who.as_str()),
        Command::Swap { who, with } => swap(state, who.as_str(), with.as_str()),
        Command::Pass { who } => pass(state, who.as_str()),
        Command::CloseList => close_list(state, true),
        Command::ReopenList => close_list(state, false),
        Command::Seat { delegation, seat } => super::seats::seat(state, &delegation, seat),
        Command::Release(what) => super::seats::release(state, what),
        Command::Wait { delegation } => super::seats::wait(state, &delegation),
        Command::Unwait { delegation } => super::seats::unwait(state, &delegation),
        Command::Block(seat) => super::seats::block(state, seat, true),
        Command::Unblock(seat) => super::seats::block(state, seat, false),
        Command::Note { text } => note(state, text),
        Command::Amend { note, text } => amend(state, note, text),
        Command::Retract { note } => retract(state, note),
        Command::Present { who, by, at } => {
            super::attendance::present(state, who.as_str(), by, at, now)
        }
        Command::Absent { who, at } => super::attendance::absent(state, who.as_str(), at, now),
        Command::Undo => undo(state, by),
        Command::Import(rows) => super::import::import(state, rows, now, by),
        Command::Suspend { reason, at } => super::suspension::suspend(state, reason, at, now),
        Command::Reconvene { at } => super::suspension::reconvene(state, at, now),
    }
}

/// When a timing command took effect: now, or a correction that is neither in
/// the future nor before `not_before` (the previous event of that speech).
pub(super) fn effective(
    state: &State,
    at: Option<At>,
    now: Timestamp,
    not_before: Option<Timestamp>,
) -> Result<Timestamp, Refusal> {
    let when = match at {
        // Stamped a moment before another officer's event was recorded: it took
        // effect no earlier than that event, so the timers keep their order.
        None => return Ok(not_before.map_or(now, |limit| now.max(limit))),
        Some(At::Ago(secs)) => now - i64::from(secs).seconds(),
        Some(At::TimeOfDay(time)) => {
            let today = now.to_zoned_datetime(state.meeting.tz.clone()).date();
            let zoned = today
                .to_datetime(time)
                .to_zoned_datetime(state.meeting.tz.clone());
            match zoned {
                Ok(z) => z.timestamp(),
                Err(_) => {
                    return refuse(format!(
                        "{time} does not exist today in {}",
                        state.meeting.timezone
                    ));
                }
            }
        }
    };
    if when > now {
        return refuse(format!(
            "{} is in the future: at takes a time in the past",
            local_time(&state.meeting, when)
        ));
    }
    if let Some(limit) = not_before.filter(|limit| when < *limit) {
        return refuse(format!(
            "{} is before the previous event of that speech, at {}",
            local_time(&state.meeting, when),
            local_time(&state.meeting, limit)
        ));
    }
    Ok(when)
}

/// The latest timing event of the meeting, in any segment, or the opening.
pub(super) fn latest_timing(state: &State) -> Option<Timestamp> {
    state
        .segments
        .iter()
        .filter_map(|s| s.last_timing)
        .max()
        .max(state.opened_at)
}

pub(super) fn must_be_open(state: &State) -> Result<(), Refusal> {
    match state.phase {
        Phase::Open => Ok(()),
        Phase::Scheduled => refuse("the meeting is not open yet: open it first"),
        Phase::Adjourned => refuse("the meeting is adjourned"),
    }
}

fn holder(state: &State) -> Result<&Floor, Refusal> {
    state
        .floor()
        .ok_or_else(|| Refusal("nobody has the floor".into()))
}

fn open(state: &State, at: Option<At>, now: Timestamp) -> Decided {
    match state.phase {
        Phase::Scheduled => Ok(vec![Event::Opened {
            effective: effective(state, at, now, None)?,
        }]),
        Phase::Open => refuse("the meeting is open already"),
        Phase::Adjourned => refuse("the meeting was adjourned; it cannot be opened again"),
    }
}

fn adjourn(state: &State, at: Option<At>, now: Timestamp) -> Decided {
    must_be_open(state)?;
    let not_before = latest_timing(state);
    Ok(vec![Event::Adjourned {
        effective: effective(state, at, now, not_before)?,
    }])
}

fn segment(state: &State, target: SegmentTarget) -> Decided {
    if state.phase == Phase::Adjourned {
        return refuse("the meeting is adjourned");
    }
    let segments = &state.meeting.segments;
    let index = match &target {
        SegmentTarget::Next if state.current + 1 < segments.len() => state.current + 1,
        SegmentTarget::Next => {
            return refuse(format!("{} is the last segment", state.segment_def().title));
        }
        SegmentTarget::Id(id) => match segments
            .iter()
            .position(|s| s.id.as_str().eq_ignore_ascii_case(id.as_str()))
        {
            Some(i) => i,
            None => {
                let ids: Vec<&str> = segments.iter().map(|s| s.id.as_str()).collect();
                return refuse(format!(
                    "there is no segment \"{id}\"; the segments are {}",
                    ids.join(", ")
                ));
            }
        },
    };
    if index == state.current {
        return refuse(format!(
            "{} is the current segment already",
            segments[index].title
        ));
    }
    if let Some(f) = state.floor() {
        return refuse(format!(
            "{} still has the floor: end the speech first",
            f.speech.delegate.delegation
        ));
    }
    Ok(vec![Event::SegmentEntered {
        segment: segments[index].id.clone(),
    }])
}

/// Names longer than this are refused: no delegation, group, person or
/// function is named at such length, and every line that shows one would
/// be lost to it.
pub const MAX_NAME_CHARS: usize = 300;

/// The texts an inscription gives beside whom it names, each within
/// [`MAX_NAME_CHARS`].
fn names_fit(ins: &Inscription) -> Result<(), Refusal> {
    let named = [
        ("the representative", &ins.representative),
        ("the title", &ins.title),
        ("the group", &ins.on_behalf_of),
    ];
    let joint = ins.joint.iter().map(|n| ("a delegation after with", n));
    for (what, text) in named.into_iter().chain(joint) {
        let chars = text.as_str().chars().count();
        if chars > MAX_NAME_CHARS {
            return refuse(format!(
                "{what} is {chars} characters long; a name is at most {MAX_NAME_CHARS}"
            ));
        }
    }
    Ok(())
}

fn new_speech(state: &State, ins: &Inscription) -> Result<Speech, Refusal> {
    names_fit(ins)?;
    let who = candidate(state, ins).map_err(|e| Refusal(with_quoting_hint(e, ins)))?;
    let mut delegate = who.delegate();
    if !ins.representative.is_empty() {
        delegate.representative = ins.representative.clone();
        delegate.title = ins.title.clone();
    } else if !ins.title.is_empty() {
        delegate.title = ins.title.clone();
    }
    delegate.level = ins.level.unwrap_or(delegate.level);
    let joint = joint(state, &delegate, ins)?;
    if ins.kind != SpeechKind::Statement && (!ins.on_behalf_of.is_empty() || !joint.is_empty()) {
        return refuse(format!(
            "a {} is made by one delegation alone: for and with are for statements",
            ins.kind.label()
        ));
    }
    // A statement for a group, or for several delegations at once, speaks
    // for more than one and takes a group's limit.
    let category = match ins.category {
        Some(category) => category,
        None if ins.on_behalf_of.is_empty() && joint.is_empty() => who.category(),
        None => Category::Group,
    };
    let limit = match (ins.limit, ins.kind) {
        (Some(limit), _) => limit,
        (None, SpeechKind::Order) => state.meeting.order_limit,
        (None, SpeechKind::Reply) => state
            .meeting
            .replies
            .limit(replies_had(state, delegate.delegation.as_str())),
        (None, SpeechKind::Statement) => state.segment_def().limit_for(category),
    };
    Ok(Speech {
        category: Some(category),
        on_behalf_of: ins.on_behalf_of.clone(),
        joint,
        language: ins.language.clone().or_else(|| who.language()),
        ..Speech::plain(state.next_speech, delegate, ins.kind, limit)
    })
}

/// Whom an inscription names. A delegation with several people on the
/// roster is told apart by the representative a list received gives.
fn candidate<'a>(state: &'a State, ins: &Inscription) -> Result<resolve::Candidate<'a>, String> {
    let meeting = &state.meeting;
    let refused = match resolve::candidate(meeting, ins.who.as_str()) {
        Ok(found) => return Ok(found),
        Err(refused) if ins.representative.is_empty() => return Err(refused),
        Err(refused) => refused,
    };
    let wanted = match_key(ins.representative.as_str());
    let found = resolve::matches(meeting, ins.who.as_str());
    let chosen: Vec<&resolve::Candidate<'a>> = found
        .iter()
        .filter(|c| {
            matches!(c, resolve::Candidate::Roster(p)
                if match_key(p.representative.as_str()) == wanted)
        })
        .collect();
    match chosen.as_slice() {
        [one] => Ok(**one),
        _ => Err(refused),
    }
}

/// A name with `for` or `with` in it reads as a group or a joint statement
/// unless quoted: say so when the name before them meant no one.
fn with_quoting_hint(refusal: String, ins: &Inscription) -> String {
    if ins.on_behalf_of.is_empty() && ins.joint.is_empty() {
        return refusal;
    }
    format!("{refusal} (a name with \"for\" or \"with\" in it goes in quotes)")
}

/// The other delegations of a joint statement, each resolved as the speaker
/// is, each once, and none of them the speaker.
fn joint(
    state: &State,
    speaker: &super::Delegate,
    ins: &Inscription,
) -> Result<Vec<Clean>, Refusal> {
    let mut joint: Vec<Clean> = Vec::new();
    for typed in &ins.joint {
        let other = resolve::delegation(&state.meeting, typed.as_str()).map_err(Refusal)?;
        if other == speaker.delegation {
            return refuse(format!(
                "{} delivers the statement: name the others after with",
                speaker.delegation
            ));
        }
        if joint.contains(&other) {
            return refuse(format!("{other} is named twice after with"));
        }
        joint.push(other);
    }
    Ok(joint)
}

/// How many rights of reply `delegation` has had in this segment: heard,
/// being heard, or listed.
fn replies_had(state: &State, delegation: &str) -> usize {
    let segment = state.segment();
    let floors = segment
        .floor
        .iter()
        .chain(&segment.interrupted)
        .map(|f| &f.speech);
    let listed = segment.queue.iter().map(|l| &l.speech);
    let spoken = segment.spoken.iter().map(|s| &s.speech);
    floors
        .chain(listed)
        .chain(spoken)
        .filter(|s| s.kind == SpeechKind::Reply && s.delegate.delegation.as_str() == delegation)
        .count()
}

fn add(state: &State, ins: Inscription, now: Timestamp) -> Decided {
    if state.phase == Phase::Adjourned {
        return refuse("the meeting is adjourned");
    }
    let kind = ins.kind;
    let speech = new_speech(state, &ins)?;
    if kind == SpeechKind::Reply {
        let name = speech.delegate.delegation.as_str();
        let had = replies_had(state, name);
        let max = state.meeting.replies.max as usize;
        if had >= max {
            let replies = if max == 1 {
                "right of reply"
            } else {
                "rights of reply"
            };
            return refuse(format!(
                "{name} has had its {max} {replies} in this segment, the most the meeting allows"
            ));
        }
    }
    let name = speech.delegate.delegation.clone();
    let segment = state.segment();
    if kind == SpeechKind::Order {
        must_be_open(state)?;
        not_suspended(state, "give the floor")?;
        let interrupts = segment.floor.as_ref().map(|f| f.speech.id);
        let not_before = segment.floor.as_ref().map(|f| f.last_change);
        let effective = effective(state, None, now, not_before)?;
        return Ok(vec![Event::FloorGiven {
            speech: speech.id,
            effective,
            ends: None,
            interrupts,
            inscribed: Some(speech),
        }]);
    }
    if segment.closed && kind == SpeechKind::Statement {
        return refuse("the list of speakers is closed: reopen it first");
    }
    if let Some(at) = segment
        .queue
        .iter()
        .position(|l| l.speech.delegate.key == speech.delegate.key && l.speech.kind == kind)
    {
        let what = if kind == SpeechKind::Reply {
            " for a right of reply"
        } else {
            ""
        };
        return refuse(format!(
            "{name} is already listed{what}, {}",
            ordinal(at + 1)
        ));
    }
    let position = match kind {
        SpeechKind::Reply => segment.queue.len(),
        _ => segment.statement_slot(state.segment_def().ordering, speech.delegate.level),
    };
    Ok(vec![Event::Inscribed {
        segment: state.segment_def().id.clone(),
        speech,
        position,
    }])
}

fn next(state: &State, at: Option<At>, now: Timestamp) -> Decided {
    must_be_open(state)?;
    not_suspended(state, "give the floor")?;
    let segment = state.segment();
    if let Some(f) = segment
        .floor
        .as_ref()
        .filter(|_| !segment.interrupted.is_empty())
    {
        let back = &segment
            .interrupted
            .last()
            .expect("checked")
            .speech
            .delegate
            .delegation;
        return refuse(format!(
            "{}'s point of order has the floor: end it to give the floor back to {back}",
            f.speech.delegate.delegation
        ));
    }
    let Some(first) = segment.queue.first() else {
        return match &segment.floor {
            Some(f) => refuse(format!(
                "nobody else is listed: end closes {}'s speech",
                f.speech.delegate.delegation
            )),
            None => refuse("nobody is listed"),
        };
    };
    give(state, first.speech.id, None, at, now)
}

/// The floor to `speech` (listed, or `inscribed` now); the holder's speech ends.
fn give(
    state: &State,
    speech: u32,
    inscribed: Option<Speech>,
    at: Option<At>,
    now: Timestamp,
) -> Decided {
    let floor = state.floor();
    let not_before = latest_timing(state);
    let effective = effective(state, at, now, not_before)?;
    let ends = floor.map(|f| f.speech.id);
    Ok(vec![Event::FloorGiven {
        speech,
        effective,
        ends,
        interrupts: None,
        inscribed,
    }])
}

fn floor(state: &State, who: &str, at: Option<At>, now: Timestamp) -> Decided {
    must_be_open(state)?;
    not_suspended(state, "give the floor")?;
    let segment = state.segment();
    if !segment.interrupted.is_empty() {
        return refuse("a point of order has the floor: end it first");
    }
    let delegate = listed_speaker(state, who)?;
    if let Some(f) = segment
        .floor
        .as_ref()
        .filter(|f| f.speech.delegate.key == delegate.key)
    {
        return refuse(format!(
            "{} has the floor already",
            f.speech.delegate.delegation
        ));
    }
    match segment
        .queue
        .iter()
        .find(|l| l.speech.delegate.key == delegate.key)
    {
        Some(listed) => give(state, listed.speech.id, None, at, now),
        None if segment.closed => refuse(format!(
            "{} is not listed and the list is closed: reopen it first",
            delegate.delegation
        )),
        None => give(
            state,
            state.next_speech,
            Some(new_speech(
                state,
                &Inscription {
                    who: Clean::new(who),
                    ..Inscription::default()
                },
            )?),
            at,
            now,
        ),
    }
}

fn pause(state: &State, at: Option<At>, now: Timestamp) -> Decided {
    must_be_open(state)?;
    not_suspended(state, "pause the timer (it is stopped)")?;
    let f = holder(state)?;
    if f.paused_since.is_some() {
        return refuse(format!(
            "{}'s speech is paused already",
            f.speech.delegate.delegation
        ));
    }
    Ok(vec![Event::Paused {
        speech: f.speech.id,
        effective: effective(state, at, now, Some(f.last_change))?,
    }])
}

fn resume(state: &State, at: Option<At>, now: Timestamp) -> Decided {
    must_be_open(state)?;
    not_suspended(state, "resume the timer")?;
    let f = holder(state)?;
    let Some(since) = f.paused_since else {
        return refuse(format!(
            "{}'s speech is not paused",
            f.speech.delegate.delegation
        ));
    };
    Ok(vec![Event::Resumed {
        speech: f.speech.id,
        effective: effective(state, at, now, Some(since.max(f.last_change)))?,
    }])
}

fn end(state: &State, at: Option<At>, now: Timestamp) -> Decided {
    must_be_open(state)?;
    let f = holder(state)?;
    Ok(vec![Event::Ended {
        speech: f.speech.id,
        effective: effective(state, at, now, Some(f.last_change))?,
    }])
}

/// No speech is extended past this in all: an hour more is a typing slip.
pub const MAX_EXTENSION: u32 = 3600;

fn extend(state: &State, by: u32) -> Decided {
    must_be_open(state)?;
    let f = holder(state)?;
    if by == 0 {
        return refuse("extend by how long? e.g. extend 30s");
    }
    let total = f.extended.saturating_add(by);
    if total > MAX_EXTENSION {
        return refuse(format!(
            "{} would be extended by {} in all; extensions stop at {} per speech",
            f.speech.delegate.delegation,
            super::format::duration(i64::from(total)),
            super::format::duration(i64::from(MAX_EXTENSION))
        ));
    }
    Ok(vec![Event::Extended {
        speech: f.speech.id,
        by,
    }])
}

/// Whom a name means, preferring those on the current list.
fn listed_speaker(state: &State, who: &str) -> Result<super::event::Delegate, Refusal> {
    let keys: Vec<&str> = state
        .segment()
        .queue
        .iter()
        .map(|l| l.speech.delegate.key.as_str())
        .collect();
    resolve::speaker_preferring(&state.meeting, who, &keys).map_err(Refusal)
}

/// `France reply`: a delegation listed twice is told apart by the kind of its
/// listing, written after the name.
fn split_kind(who: &str) -> (&str, Option<SpeechKind>) {
    let Some((name, last)) = who.rsplit_once(' ') else {
        return (who, None);
    };
    let kind = match last.to_lowercase().as_str() {
        "reply" => SpeechKind::Reply,
        "statement" => SpeechKind::Statement,
        _ => return (who, None),
    };
    (name, Some(kind))
}

/// A listed speech of the current segment, by the name typed.
fn listed(state: &State, who: &str) -> Result<(usize, u32), Refusal> {
    if state.phase == Phase::Adjourned {
        return refuse("the meeting is adjourned");
    }
    let (name, kind) = match split_kind(who) {
        (name, Some(kind)) if resolve::speaker(&state.meeting, who).is_err() => (name, Some(kind)),
        _ => (who, None),
    };
    let delegate = listed_speaker(state, name)?;
    let segment = state.segment();
    let fits = |l: &&super::state::Listed| {
        l.speech.delegate.key == delegate.key && kind.is_none_or(|k| l.speech.kind == k)
    };
    if let Some(at) = segment.queue.iter().position(|l| fits(&l)) {
        return Ok((at, segment.queue[at].speech.id));
    }
    let holds = segment
        .floor
        .as_ref()
        .is_some_and(|f| f.speech.delegate.key == delegate.key);
    match (holds, kind) {
        (true, None) => refuse(format!(
            "{} has the floor and is no longer on the list",
            delegate.delegation
        )),
        (_, Some(kind)) => refuse(format!(
            "{} is not listed for a {}",
            delegate.delegation,
            kind.label()
        )),
        _ => refuse(format!(
            "{} is not on the list of speakers",
            delegate.delegation
        )),
    }
}

fn move_to(state: &State, who: &str, place: Place) -> Decided {
    let (from, speech) = listed(state, who)?;
    let len = state.segment().queue.len();
    let name = &state.segment().queue[from].speech.delegate.delegation;
    let to = match place {
        Place::Up if from == 0 => return refuse(format!("{name} is first already")),
        Place::Up => from - 1,
        Place::Down if from + 1 == len => return refuse(format!("{name} is last already")),
        Place::Down => from + 1,
        Place::Top => 0,
        Place::Bottom => len - 1,
        Place::Position(n) if n == 0 || n > len => {
            return refuse(format!(
                "there are {len} on the list: choose a position from 1 to {len}"
            ));
        }
        Place::Position(n) => n - 1,
    };
    if to == from {
        return refuse(format!("{name} is {} already", ordinal(from + 1)));
    }
    Ok(vec![Event::Moved { speech, to }])
}

fn swap(state: &State, who: &str, with: &str) -> Decided {
    let (first, speech) = listed(state, who)?;
    let (second, other) = listed(state, with)?;
    if first == second {
        let name = &state.segment().queue[first].speech.delegate.delegation;
        return refuse(format!("{name} cannot exchange places with themselves"));
    }
    Ok(vec![Event::Swapped {
        speech,
        with: other,
    }])
}

fn remove(state: &State, who: &str) -> Decided {
    let (_, speech) = listed(state, who)?;
    Ok(vec![Event::Removed { speech }])
}

fn pass(state: &State, who: &str) -> Decided {
    let (from, speech) = listed(state, who)?;
    let queue = &state.segment().queue;
    let listed = &queue[from];
    if listed.passed {
        return refuse(format!(
            "{} was passed once already: remove them if they are still absent",
            listed.speech.delegate.delegation
        ));
    }
    // The end of their own part of the list: statements stay before rights of reply.
    let group_end = match listed.speech.kind {
        SpeechKind::Reply => queue.len() - 1,
        _ => queue
            .iter()
            .rposition(|l| l.speech.kind != SpeechKind::Reply)
            .unwrap_or(from),
    };
    Ok(vec![Event::Passed {
        speech,
        to: group_end,
    }])
}

fn close_list(state: &State, close: bool) -> Decided {
    if state.phase == Phase::Adjourned {
        return refuse("the meeting is adjourned");
    }
    let segment = state.segment_def().id.clone();
    match (close, state.segment().closed) {
        (true, true) => refuse("the list of speakers is closed already"),
        (false, false) => refuse("the list of speakers is open already"),
        (true, false) => Ok(vec![Event::ListClosed { segment }]),
        (false, true) => Ok(vec![Event::ListReopened { segment }]),
    }
}

/// `#summary`, `#action`, `#decision` and any other `#word` in the text, lower case, once each.
pub fn tags(text: &str) -> Vec<Clean> {
    let mut tags: Vec<Clean> = Vec::new();
    for word in text.split(|c: char| c.is_whitespace() || c == ',' || c == ';') {
        let Some(tag) = word.strip_prefix('#') else {
            continue;
        };
        let tag: String = tag
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        let tag = Clean::new(&tag.to_lowercase());
        if !tag.is_empty() && !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}

/// "two", "three"… parts, as the advice to split a note says it.
fn parts(n: usize) -> String {
    const WORDS: [&str; 9] = [
        "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    match n.checked_sub(2).and_then(|i| WORDS.get(i)) {
        Some(word) => format!("{word} parts"),
        None => format!("{n} parts"),
    }
}

fn note_text(text: &Clean) -> Result<(), Refusal> {
    let chars = text.as_str().chars().count();
    if chars == 0 {
        return refuse("the note is empty");
    }
    if chars > MAX_NOTE_CHARS {
        return refuse(format!(
            "the note is too long ({chars} characters; at most {MAX_NOTE_CHARS}): split it in {}",
            parts(chars.div_ceil(MAX_NOTE_CHARS))
        ));
    }
    Ok(())
}

fn note(state: &State, text: Clean) -> Decided {
    note_text(&text)?;
    let tags = tags(text.as_str());
    // Taken while suspended, a note belongs to the suspension, not to the
    // speaker whose timer it holds.
    let speech = state
        .floor()
        .filter(|_| state.suspended().is_none())
        .map(|f| f.speech.id);
    Ok(vec![Event::Noted {
        note: state.next_note,
        text,
        tags,
        segment: state.segment_def().id.clone(),
        speech,
    }])
}

fn live_note(state: &State, id: u32) -> Result<&super::state::Note, Refusal> {
    match state.notes.get(&id) {
        Some(n) if n.retracted.is_some() => refuse(format!("note {id} was retracted")),
        Some(n) => Ok(n),
        None => refuse(format!("there is no note {id}")),
    }
}

fn amend(state: &State, id: u32, text: Clean) -> Decided {
    note_text(&text)?;
    if live_note(state, id)?.current().text == text {
        return refuse(format!("note {id} says that already"));
    }
    let tags = tags(text.as_str());
    Ok(vec![Event::Amended {
        note: id,
        text,
        tags,
    }])
}

fn retract(state: &State, id: u32) -> Decided {
    live_note(state, id)?;
    Ok(vec![Event::Retracted { note: id }])
}

fn undo(state: &State, by: &str) -> Decided {
    let Some((seq, verb)) = state.undoable(by) else {
        return refuse(format!("{by} has nothing left to undo"));
    };
    let record = undo::record(state, by, seq).map_err(Refusal)?;
    if let Some((area, last, who)) = undo::changed_since(state, record) {
        return refuse(format!(
            "cannot undo #{seq:04} ({verb}): {who} changed {} since, in #{last:04}",
            area.label()
        ));
    }
    Ok(vec![Event::Undone { seq }])
}
