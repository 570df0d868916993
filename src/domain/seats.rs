//! The observer seats: a seat map, a per-delegation limit and a FIFO waitlist.
//! Free seats are offered to the waitlist in order before anyone else, and an
//! offer stands until it is taken or withdrawn (see `Seats::settle_offers`).

use super::command::SeatOrDelegation;
use super::event::Event;
use super::format::{ordinal, seat_list};
use super::meeting::SeatId;
use super::refusal::{Decided, Refusal, refuse};
use super::resolve;
use super::state::State;
use crate::text::Clean;

fn delegation(state: &State, typed: &Clean) -> Result<Clean, Refusal> {
    resolve::delegation(&state.meeting, typed.as_str()).map_err(Refusal)
}

fn check_seat(state: &State, seat: SeatId) -> Result<(), Refusal> {
    let map = &state.meeting.seating;
    if !map.contains(seat) {
        let last_row = SeatId {
            row: map.rows.saturating_sub(1),
            seat: 0,
        }
        .to_string();
        return refuse(format!(
            "there is no seat {seat}: rows A to {}, seats 1 to {}",
            &last_row[..1],
            map.seats_per_row
        ));
    }
    Ok(())
}

/// Delegations that take part in the meeting sit at the table, not in the
/// observer seats.
pub fn takes_part(meeting: &super::Meeting, name: &str) -> bool {
    use super::meeting::Role;
    let entries = meeting
        .roster
        .iter()
        .filter(|p| p.delegation.as_str() == name);
    let roles: Vec<Role> = entries.map(|p| p.role).collect();
    !roles.is_empty() && !roles.contains(&Role::Observer)
}

fn participates(state: &State, name: &str) -> bool {
    takes_part(&state.meeting, name)
}

/// The delegation typed, if it may have an observer seat.
fn observer(state: &State, typed: &Clean) -> Result<Clean, Refusal> {
    let name = delegation(state, typed)?;
    if participates(state, name.as_str()) {
        return refuse(format!(
            "{name} takes part in the meeting: the observer seats are for observer delegations"
        ));
    }
    Ok(name)
}

pub(super) fn seat(state: &State, typed: &Clean, seat: Option<SeatId>) -> Decided {
    let name = observer(state, typed)?;
    let held: Vec<SeatId> = state.seats.held_by(name.as_str()).collect();
    let limit = usize::from(state.meeting.seating.per_delegation);
    if held.len() >= limit {
        let seats = if limit == 1 { "seat" } else { "seats" };
        return refuse(format!(
            "{name} holds {} already, the {limit} {seats} one delegation may have",
            seat_list(held.into_iter())
        ));
    }
    let waiting = state.seats.waiting_position(name.as_str());
    if state.free_seats().next().is_none() {
        return match waiting {
            Some(at) => refuse(format!(
                "no observer seats free: {name} is {} on the waitlist",
                ordinal(at + 1)
            )),
            None => refuse(format!(
                "no observer seats free: put {name} on the waitlist with: wait {name} ({} waiting)",
                state.seats.waitlist.len()
            )),
        };
    }
    let seat = match seat {
        Some(seat) => named_seat(state, &name, seat)?,
        // The seat offered to them if they hold one; otherwise the first one
        // nobody holds: offers made to others stand.
        None => match state.seats.offered_to(name.as_str()) {
            Some(seat) => seat,
            None => unoffered(state)
                .next()
                .ok_or_else(|| all_offered(state, &name, waiting))?,
        },
    };
    Ok(vec![Event::Seated {
        seat,
        delegation: name,
    }])
}

/// Free seats that no waiting delegation holds, in reading order.
fn unoffered(state: &State) -> impl Iterator<Item = SeatId> + '_ {
    state
        .free_seats()
        .filter(|s| !state.seats.offers.contains_key(s))
}

fn named_seat(state: &State, name: &Clean, seat: SeatId) -> Result<SeatId, Refusal> {
    check_seat(state, seat)?;
    if state.seats.blocked.contains(&seat) {
        return refuse(format!("seat {seat} is blocked"));
    }
    if let Some(by) = state.seats.occupied.get(&seat) {
        return refuse(format!("seat {seat} is taken by {by}"));
    }
    match state.seats.offers.get(&seat) {
        Some(to) if to != name => {
            let place = state.seats.waiting_position(to.as_str()).unwrap_or(0);
            refuse(format!(
                "seat {seat} is offered to {to}, {} on the waitlist",
                ordinal(place + 1)
            ))
        }
        _ => Ok(seat),
    }
}

/// `the free seats are offered first to the waitlist: Peru is 1st, offered A1 (Holy See is 2nd on the waitlist)`
fn all_offered(state: &State, name: &Clean, waiting: Option<usize>) -> Refusal {
    let seats = &state.seats;
    let mut held: Vec<(usize, SeatId, &Clean)> = seats
        .offers
        .iter()
        .map(|(s, d)| (seats.waiting_position(d.as_str()).unwrap_or(0), *s, d))
        .collect();
    held.sort();
    let held: Vec<String> = held
        .into_iter()
        .map(|(at, seat, to)| format!("{to} is {}, offered {seat}", ordinal(at + 1)))
        .collect();
    let own = waiting.map_or(String::new(), |at| {
        format!(" ({name} is {} on the waitlist)", ordinal(at + 1))
    });
    Refusal(format!(
        "the free seats are offered first to the waitlist: {}{own}",
        held.join("; ")
    ))
}

pub(super) fn release(state: &State, what: SeatOrDelegation) -> Decided {
    let seat = match what {
        SeatOrDelegation::Seat(seat) => {
            check_seat(state, seat)?;
            if !state.seats.occupied.contains_key(&seat) {
                return refuse(format!("seat {seat} is free already"));
            }
            seat
        }
        SeatOrDelegation::Delegation(typed) => {
            let name = delegation(state, &typed)?;
            let held: Vec<SeatId> = state.seats.held_by(name.as_str()).collect();
            match held.as_slice() {
                [] => return refuse(format!("{name} holds no observer seat")),
                [one] => *one,
                many => {
                    return refuse(format!(
                        "{name} holds {} seats ({}): say which, e.g. release {}",
                        many.len(),
                        seat_list(many.iter().copied()),
                        many[0]
                    ));
                }
            }
        }
    };
    Ok(vec![Event::Released { seat }])
}

pub(super) fn wait(state: &State, typed: &Clean) -> Decided {
    // A seat offered to a delegation that may not sit would stay held for good.
    let name = observer(state, typed)?;
    if let Some(at) = state.seats.waiting_position(name.as_str()) {
        return refuse(format!(
            "{name} is {} on the waitlist already",
            ordinal(at + 1)
        ));
    }
    let held = state.seats.held_by(name.as_str()).count();
    if held >= usize::from(state.meeting.seating.per_delegation) {
        return refuse(format!(
            "{name} holds all the seats one delegation may have"
        ));
    }
    if unoffered(state).next().is_some() {
        return refuse(format!("there are free seats: seat {name}"));
    }
    Ok(vec![Event::Waitlisted { delegation: name }])
}

pub(super) fn unwait(state: &State, typed: &Clean) -> Decided {
    let name = delegation(state, typed)?;
    if state.seats.waiting_position(name.as_str()).is_none() {
        return refuse(format!("{name} is not on the waitlist"));
    }
    Ok(vec![Event::Unwaitlisted { delegation: name }])
}

pub(super) fn block(state: &State, seat: SeatId, block: bool) -> Decided {
    check_seat(state, seat)?;
    let blocked = state.seats.blocked.contains(&seat);
    match (block, blocked) {
        (true, true) => refuse(format!("seat {seat} is blocked already")),
        (false, false) => refuse(format!("seat {seat} is not blocked")),
        (true, false) => match state.seats.occupied.get(&seat) {
            Some(by) => refuse(format!("seat {seat} is taken by {by}: release it first")),
            None => Ok(vec![Event::Blocked { seat }]),
        },
        (false, true) => Ok(vec![Event::Unblocked { seat }]),
    }
}
