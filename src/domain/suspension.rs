//! Suspension of the meeting: `suspend` and `reconvene`, judged and applied.
//! While suspended the floor's timer and the meeting's time stop; the list,
//! the seats and the notes carry on.

use jiff::Timestamp;

use super::command::At;
use super::event::Event;
use super::format::local_time;
use super::refusal::{Decided, Refusal, refuse};
use super::state::{Floor, Phase, State, Suspension, secs_between};
use crate::text::Clean;

/// A reason longer than this is a note pasted in the wrong place.
pub const MAX_REASON_CHARS: usize = 200;

pub(super) fn suspend(state: &State, reason: Clean, at: Option<At>, now: Timestamp) -> Decided {
    super::decide::must_be_open(state)?;
    if let Some(s) = state.suspended() {
        return refuse(format!(
            "the meeting is suspended already, since {}",
            local_time(&state.meeting, s.from)
        ));
    }
    let chars = reason.as_str().chars().count();
    if chars > MAX_REASON_CHARS {
        return refuse(format!(
            "the reason is too long ({chars} characters; at most {MAX_REASON_CHARS}): write it as a note"
        ));
    }
    let not_before = super::decide::latest_timing(state);
    Ok(vec![Event::Suspended {
        effective: super::decide::effective(state, at, now, not_before)?,
        reason,
    }])
}

pub(super) fn reconvene(state: &State, at: Option<At>, now: Timestamp) -> Decided {
    super::decide::must_be_open(state)?;
    let Some(s) = state.suspended() else {
        return refuse("the meeting is not suspended");
    };
    let not_before = super::decide::latest_timing(state).max(Some(s.from));
    Ok(vec![Event::Reconvened {
        effective: super::decide::effective(state, at, now, not_before)?,
    }])
}

/// Refuses what would give the floor or run a timer while the meeting is
/// suspended, naming since when, for `doing` (`give the floor`).
pub(super) fn not_suspended(state: &State, doing: &str) -> Result<(), Refusal> {
    match state.suspended() {
        Some(s) if state.phase == Phase::Open => refuse(format!(
            "the meeting is suspended since {}: reconvene first to {doing}",
            hh_mm(state, s.from)
        )),
        _ => Ok(()),
    }
}

fn hh_mm(state: &State, at: Timestamp) -> String {
    at.to_zoned_datetime(state.meeting.tz.clone())
        .strftime("%H:%M")
        .to_string()
}

type Fit = Result<(), String>;

/// `suspended`: the holder's timer is held where it stands, unless an
/// officer had paused it already.
pub(super) fn apply_suspended(state: &mut State, effective: Timestamp, reason: &Clean) -> Fit {
    if state.phase != Phase::Open {
        return Err("the meeting is not open".into());
    }
    if state.suspended().is_some() {
        return Err("the meeting is suspended already".into());
    }
    let segment = state.segment_def().id.clone();
    if let Some(floor) = state.segments[state.current].floor.as_mut() {
        hold(floor, effective);
    }
    state.suspensions.push(Suspension {
        from: effective,
        to: None,
        reason: reason.clone(),
        segment,
    });
    Ok(())
}

fn hold(floor: &mut Floor, effective: Timestamp) {
    if floor.paused_since.is_none() {
        floor.paused_since = Some(effective);
        floor.held = true;
    }
    floor.last_change = floor.last_change.max(effective);
}

/// `reconvened`: the timer the suspension held runs again.
pub(super) fn apply_reconvened(state: &mut State, effective: Timestamp) -> Fit {
    if state.phase != Phase::Open {
        return Err("the meeting is not open".into());
    }
    end_suspension(state, effective)?;
    if let Some(floor) = state.segments[state.current].floor.as_mut() {
        if floor.held
            && let Some(since) = floor.paused_since.take()
        {
            floor.paused_secs += secs_between(since, effective).max(0);
        }
        floor.held = false;
        floor.last_change = floor.last_change.max(effective);
    }
    Ok(())
}

/// The suspension under way ends at `effective`: reconvened, or adjourned.
pub(super) fn end_suspension(state: &mut State, effective: Timestamp) -> Fit {
    let open = state
        .suspensions
        .last_mut()
        .filter(|s| s.to.is_none())
        .ok_or("the meeting is not suspended")?;
    if effective < open.from {
        return Err("it ends before it began".into());
    }
    open.to = Some(effective);
    Ok(())
}
