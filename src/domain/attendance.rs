//! Attendance of delegations: who is in the room, represented by whom and
//! since when, and who left or sent regrets. The observer seats say where
//! observers sit; this says who came, participants above all (Security
//! Council rules 37 and 39 invite them; a ministerial meeting lists them).

use jiff::Timestamp;

use super::command::At;
use super::event::{Delegate, Entry, Event};
use super::format::local_time;
use super::refusal::{Decided, Refusal, refuse};
use super::resolve::{self, Candidate};
use super::state::{Phase, State};
use crate::text::Clean;

/// One delegation's attendance as last recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attended {
    /// As resolved when last recorded: the roster entry named, or a State.
    pub delegate: Delegate,
    /// Who represents it: the one `by` named, else the roster's representative.
    pub representative: Clean,
    pub present: bool,
    /// When it was last recorded present; `None` if it never was.
    pub since: Option<Timestamp>,
    /// When it was recorded absent, after `since`; cleared when it comes back.
    pub left: Option<Timestamp>,
}

impl Attended {
    pub fn delegation(&self) -> &str {
        self.delegate.delegation.as_str()
    }

    /// Absent without ever being present: regrets, or not yet arrived.
    pub fn sent_regrets(&self) -> bool {
        !self.present && self.since.is_none()
    }
}

/// The delegation recorded under `name`, if any.
pub fn of<'a>(state: &'a State, delegation: &str) -> Option<&'a Attended> {
    state
        .attendance
        .iter()
        .find(|a| a.delegation() == delegation)
}

/// Whether `delegation` is recorded present now.
pub fn is_present(state: &State, delegation: &str) -> bool {
    of(state, delegation).is_some_and(|a| a.present)
}

/// The delegation a name means, as `add` resolves it. Two people of one
/// delegation on the roster are still one delegation: a name that fits both
/// (`mali`) means the first, its head, and says so with `false`; one that
/// fits only one (`diop`) singles that one out, who then represents it.
fn delegate(state: &State, typed: &str) -> Result<(Delegate, bool), Refusal> {
    let found = resolve::matches(&state.meeting, typed);
    let first = found.first().map(Candidate::delegation);
    match first {
        Some(name) if found.iter().all(|c| c.delegation() == name) => {
            Ok((found[0].delegate(), found.len() == 1))
        }
        _ => Err(Refusal(resolve::unresolved(typed, &found))),
    }
}

/// When it took effect: now, or an earlier time `at` names, never before
/// what was last recorded of that delegation, so its record keeps its order.
fn when(
    state: &State,
    at: Option<At>,
    now: Timestamp,
    last: Option<&Attended>,
) -> Result<Option<Timestamp>, Refusal> {
    let latest = last.and_then(|a| a.left.max(a.since));
    let when = super::decide::effective(state, at, now, None)?;
    let when = match (at, latest) {
        (None, Some(latest)) => when.max(latest),
        (Some(_), Some(latest)) if when < latest => {
            return refuse(format!(
                "{} is before the last record of {}'s attendance, at {}",
                local_time(&state.meeting, when),
                last.map_or("", Attended::delegation),
                local_time(&state.meeting, latest)
            ));
        }
        _ => when,
    };
    Ok((when != now).then_some(when))
}

fn not_adjourned(state: &State) -> Result<(), Refusal> {
    if state.phase == Phase::Adjourned {
        return refuse("the meeting is adjourned");
    }
    Ok(())
}

pub(super) fn present(
    state: &State,
    who: &str,
    by: Option<Clean>,
    at: Option<At>,
    now: Timestamp,
) -> Decided {
    not_adjourned(state)?;
    let (mut delegate, singled) = delegate(state, who)?;
    let by = by.unwrap_or_default();
    let chars = by.as_str().chars().count();
    if chars > super::decide::MAX_NAME_CHARS {
        return refuse(format!(
            "the representative is {chars} characters long; a name is at most {}",
            super::decide::MAX_NAME_CHARS
        ));
    }
    let last = of(state, delegate.delegation.as_str());
    if let Some(a) = last.filter(|a| a.present) {
        // `present mali` again names the delegation, not another of its people.
        if !singled {
            delegate = a.delegate.clone();
        }
        let representative = match (by.is_empty(), singled) {
            (false, _) => &by,
            (true, true) => &delegate.representative,
            (true, false) => &a.representative,
        };
        if *representative == a.representative {
            let since = a.since.map_or(String::new(), |t| {
                format!(" since {}", local_time(&state.meeting, t))
            });
            let rep = if a.representative.is_empty() {
                String::new()
            } else {
                format!(", represented by {}", a.representative)
            };
            return refuse(format!(
                "{} is already recorded present{since}{rep}",
                a.delegation()
            ));
        }
    }
    let effective = when(state, at, now, last)?;
    Ok(vec![Event::Present {
        delegate,
        by,
        effective,
    }])
}

/// Absent for a delegation never recorded present is taken, not refused:
/// "sent regrets" (or "not arrived at the opening") is worth a line in the
/// summary, and a delegation that comes later is simply recorded present.
pub(super) fn absent(state: &State, who: &str, at: Option<At>, now: Timestamp) -> Decided {
    not_adjourned(state)?;
    let (delegate, _) = delegate(state, who)?;
    let last = of(state, delegate.delegation.as_str());
    if let Some(a) = last.filter(|a| !a.present) {
        let since = a.left.map_or(String::new(), |t| {
            format!(" since {}", local_time(&state.meeting, t))
        });
        return refuse(format!(
            "{} is already recorded absent{since}",
            a.delegation()
        ));
    }
    let effective = when(state, at, now, last)?;
    Ok(vec![Event::Absent {
        delegate,
        effective,
    }])
}

/// A `present` or `absent` entry applied; other entries leave attendance alone.
pub(super) fn apply(state: &mut State, entry: &Entry) {
    let (delegate, by, effective) = match &entry.event {
        Event::Present {
            delegate,
            by,
            effective,
        } => (delegate, Some(by), effective),
        Event::Absent {
            delegate,
            effective,
        } => (delegate, None, effective),
        _ => return,
    };
    // Kept to the whole second, as `decide` keeps timing: every view agrees.
    let recorded = Timestamp::from_second(entry.at.as_second()).unwrap_or(entry.at);
    let at = effective.unwrap_or(recorded);
    let name = delegate.delegation.as_str();
    let at_index = state.attendance.iter().position(|a| a.delegation() == name);
    let record = match at_index {
        Some(i) => &mut state.attendance[i],
        None => {
            state.attendance.push(Attended {
                delegate: delegate.clone(),
                representative: delegate.representative.clone(),
                present: false,
                since: None,
                left: None,
            });
            state.attendance.last_mut().expect("just pushed")
        }
    };
    match by {
        Some(by) => {
            if !record.present {
                record.since = Some(at);
                record.left = None;
            }
            record.present = true;
            record.delegate = delegate.clone();
            record.representative = if by.is_empty() {
                delegate.representative.clone()
            } else {
                by.clone()
            };
        }
        None => {
            record.present = false;
            record.left = Some(at);
        }
    }
}

/// The session log's words for a `present` or `absent` entry, described on
/// the state before it.
pub(super) fn describe(state: &State, entry: &Entry) -> Option<String> {
    let (delegate, by, effective) = match &entry.event {
        Event::Present {
            delegate,
            by,
            effective,
        } => (delegate, Some(by), effective),
        Event::Absent {
            delegate,
            effective,
        } => (delegate, None, effective),
        _ => return None,
    };
    let name = delegate.delegation.as_str();
    let last = of(state, name);
    let t = |at: Timestamp| local_time(&state.meeting, at);
    let corrected = effective.map_or(String::new(), |at| format!(" (at {})", t(at)));
    let represented = |rep: &Clean| {
        if rep.is_empty() {
            String::new()
        } else {
            format!(", represented by {rep}")
        }
    };
    Some(match (by, last) {
        (Some(by), Some(a)) if a.present => {
            let rep = if by.is_empty() {
                &delegate.representative
            } else {
                by
            };
            let was = if a.representative.is_empty() {
                String::new()
            } else {
                format!(" (was {})", a.representative)
            };
            let since = a
                .since
                .map_or(String::new(), |at| format!(", present since {}", t(at)));
            format!("{name} is now represented by {rep}{was}{since}{corrected}")
        }
        (Some(by), last) => {
            let rep = if by.is_empty() {
                &delegate.representative
            } else {
                by
            };
            let again = if last.is_some_and(|a| a.since.is_some()) {
                " again"
            } else {
                ""
            };
            format!("{name} is present{again}{corrected}{}", represented(rep))
        }
        (None, Some(a)) if a.present => {
            let since = a
                .since
                .map_or(String::new(), |at| format!(" (present since {})", t(at)));
            format!("{name} has left{corrected}{since}")
        }
        (None, _) => format!("{name} is absent{corrected}: not recorded present"),
    })
}
