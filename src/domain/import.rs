//! A list of speakers received from the missions (e-Speakers, e-mail): each
//! row judged as `add` judges it, on the list as the rows before it leave
//! it, so that a row repeating an earlier one is refused like a second `add`.

use jiff::Timestamp;

use super::apply::apply;
use super::command::{Command, ImportRow, SpeechKind};
use super::decide::decide;
use super::event::{Entry, Event, VERSION};
use super::refusal::{Decided, refuse};
use super::state::State;
use crate::text::Clean;

/// Every row's inscription, in the file's order, or a refusal naming each
/// row refused and why: a list is taken whole or not at all, so that
/// correcting the file and importing it again inscribes each once.
pub(super) fn import(state: &State, rows: Vec<ImportRow>, now: Timestamp, by: &str) -> Decided {
    if rows.is_empty() {
        return refuse("the list has no rows: nothing to inscribe");
    }
    let mut scratch = state.clone();
    let mut events = Vec::new();
    let mut refused = Vec::new();
    let by = Clean::new(by);
    for row in rows {
        match inscribe(&mut scratch, row.inscription.clone(), now, &by) {
            Ok(inscribed) => events.push(inscribed),
            Err(why) => refused.push(format!("{}: {why}", row.place)),
        }
    }
    if refused.is_empty() {
        Ok(events)
    } else {
        refuse(format!(
            "nothing was inscribed, as {} of the list's rows {}:\n{}",
            refused.len(),
            if refused.len() == 1 {
                "is refused"
            } else {
                "are refused"
            },
            refused.join("\n")
        ))
    }
}

/// One row's inscription, applied to `scratch` for the rows after it.
fn inscribe(
    scratch: &mut State,
    ins: super::command::Inscription,
    now: Timestamp,
    by: &Clean,
) -> Result<Event, String> {
    if ins.kind == SpeechKind::Order {
        return Err("a point of order is raised in the room, not inscribed from a list".into());
    }
    let mut events = decide(scratch, Command::Add(ins), now, by.as_str()).map_err(|r| r.0)?;
    let event = events.pop().expect("an inscription is one event");
    let entry = Entry {
        v: VERSION,
        seq: scratch.seq + 1,
        at: now,
        by: by.clone(),
        event,
    };
    apply(scratch, &entry).map_err(|e| e.to_string())?;
    Ok(entry.event)
}
