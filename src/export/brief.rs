//! The chair's brief: the list of speakers still to be heard, in order, with
//! the time each is projected to take the floor (`gavel export --format
//! list [md|csv]`). The times are the clock's own turns, so the brief and
//! the projected end never disagree.

use std::fmt::Write;

use jiff::Timestamp;

use super::{kind_note, kind_word, local, markdown_text, spreadsheet_text, table_cell};
use crate::domain::clock::{Projection, Runway, Standing, Turn, project, turns};
use crate::domain::format::duration;
use crate::domain::state::{Phase, State};
use crate::domain::{Category, Language};

/// A turn and its place on its segment's list (none for the floor's holder
/// and those set aside: they are not on the list any more).
type Row<'a> = (Option<usize>, Turn<'a>);

fn rows(state: &State, now: Timestamp) -> Vec<Row<'_>> {
    let mut place = 0;
    let mut segment = state.current;
    turns(state, now)
        .into_iter()
        .map(|turn| {
            if turn.segment != segment {
                segment = turn.segment;
                place = 0;
            }
            let position = matches!(turn.standing, Standing::Listed(_)).then(|| {
                place += 1;
                place
            });
            (position, turn)
        })
        .collect()
}

/// The brief in Markdown: a heading with where the meeting stands, then one
/// table for the segment under way and one for each later segment with
/// speakers inscribed.
pub fn markdown(state: &State, now: Timestamp) -> String {
    let now = whole_second(now);
    let mut out = String::new();
    let def = state.segment_def();
    let _ = writeln!(out, "# {}\n", markdown_text(state.meeting.title.as_str()));
    let _ = writeln!(
        out,
        "## List of speakers: {}\n",
        markdown_text(def.title.as_str())
    );
    let p = project(state, now);
    standing_lines(&mut out, state, &p, now);
    let rows = rows(state, now);
    let (here, later): (Vec<&Row>, Vec<&Row>) =
        rows.iter().partition(|(_, t)| t.segment == state.current);
    if state.phase != Phase::Adjourned {
        if state.segment().closed {
            let _ = writeln!(out, "The list is closed.\n");
        }
        table(&mut out, state, now, &here);
    }
    for (i, later_def) in state.meeting.segments.iter().enumerate() {
        let inscribed: Vec<&Row> = later
            .iter()
            .copied()
            .filter(|(_, t)| t.segment == i)
            .collect();
        if inscribed.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "## Inscribed for a later segment: {}\n",
            markdown_text(later_def.title.as_str())
        );
        table(&mut out, state, now, &inscribed);
    }
    out
}

/// When the brief was made, the projected end against the scheduled one,
/// and what the times assume.
fn standing_lines(out: &mut String, state: &State, p: &Projection, now: Timestamp) {
    let t = |at| local(state, at, "%H:%M");
    let rehearsal = if p.schedule.rehearsal {
        " (a rehearsal: the schedule's times apply to today)"
    } else {
        ""
    };
    let _ = write!(out, "As of {}{rehearsal}. ", t(now));
    if let Some(at) = state.adjourned_at {
        let _ = writeln!(
            out,
            "Adjourned at {}: no one is still to be heard.\n",
            t(at)
        );
        return;
    }
    let against = match p.over_by {
        0 => "on time".to_string(),
        over if over > 0 => format!("{} over", duration(over)),
        early => format!("{} early", duration(-early)),
    };
    let _ = write!(
        out,
        "Projected end {}, scheduled end {}: {against}",
        t(p.projected_end),
        t(p.schedule.end)
    );
    match p.limit_to_finish {
        Some(0) => {
            let _ = write!(out, " (no limit would end on time)");
        }
        Some(limit) => {
            let _ = write!(out, " ({} each would end on time)", duration(limit));
        }
        None => {}
    }
    let _ = writeln!(out, ".\n");
    let runway = Runway::new(state, &p.schedule, now);
    assumptions(out, state, &runway, p.projected_end, now);
}

/// Where the times count from, and the breaks they step over.
fn assumptions(out: &mut String, state: &State, runway: &Runway, end: Timestamp, now: Timestamp) {
    let t = |at| local(state, at, "%H:%M");
    if state.phase == Phase::Scheduled {
        let _ = writeln!(
            out,
            "Not opened yet: the times count from {}.\n",
            t(runway.from)
        );
    }
    if let Some(s) = state.suspended() {
        let reason = if s.reason.is_empty() {
            String::new()
        } else {
            format!(" ({})", markdown_text(s.reason.as_str()))
        };
        let from = if runway.from > now {
            format!("from {}, when the scheduled break ends", t(runway.from))
        } else {
            "as if it reconvened now".to_string()
        };
        let _ = writeln!(
            out,
            "> **Suspended** since {}{reason}: the times count {from}.\n",
            t(s.from)
        );
    }
    for (start, stop) in &runway.breaks {
        if *start >= runway.from && *start < end {
            let _ = writeln!(
                out,
                "The times leave out the scheduled break {}–{}.\n",
                t(*start),
                t(*stop)
            );
        }
    }
}

fn table(out: &mut String, state: &State, now: Timestamp, rows: &[&Row]) {
    if rows.is_empty() {
        let _ = writeln!(out, "No one is listed.\n");
        return;
    }
    let _ = writeln!(
        out,
        "| # | Speaker | Representative | Category | Language | Limit | Takes the floor |"
    );
    let _ = writeln!(out, "| --- | --- | --- | --- | --- | ---: | ---: |");
    for (position, turn) in rows {
        let _ = writeln!(out, "{}", table_row(state, now, *position, turn));
    }
    out.push('\n');
}

fn table_row(state: &State, now: Timestamp, position: Option<usize>, turn: &Turn) -> String {
    let speech = turn.speech();
    let t = local(state, turn.at, "%H:%M");
    let (place, limit, at) = match turn.standing {
        Standing::Floor(f) => {
            let mut limit = floor_limit(f, now);
            if f.paused_since.is_some() && !f.held {
                limit.push_str(", paused");
            }
            ("now".to_string(), limit, format!("since {t}"))
        }
        Standing::SetAside(f) => ("resumes".to_string(), floor_limit(f, now), t),
        Standing::Listed(_) => (
            position.map_or(String::new(), |p| p.to_string()),
            duration(i64::from(speech.limit)),
            t,
        ),
    };
    let passed = match turn.standing {
        Standing::Listed(l) if l.passed => " (passed once)",
        _ => "",
    };
    let representative = [&speech.delegate.representative, &speech.delegate.title]
        .into_iter()
        .filter(|s| !s.is_empty())
        .map(|s| table_cell(s.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "| {place} | {}{}{passed} | {representative} | {} | {} | {limit} | {at} |",
        table_cell(&speech.heading()),
        kind_note(speech.kind),
        speech.category.map_or("", Category::label),
        speech.language.as_ref().map_or("", Language::name),
    )
}

/// `3m, 1m20s left`, `3m, 30s over`.
fn floor_limit(f: &crate::domain::state::Floor, now: Timestamp) -> String {
    let left = f.remaining(now);
    let mut text = duration(i64::from(f.limit()));
    if left >= 0 {
        let _ = write!(text, ", {} left", duration(left));
    } else {
        let _ = write!(text, ", {} over", duration(-left));
    }
    text
}

/// The brief is as of a second: the times it projects read `19:34:00Z`,
/// not `19:34:00.000001032Z`.
fn whole_second(now: Timestamp) -> Timestamp {
    Timestamp::from_second(now.as_second()).unwrap_or(now)
}

/// The columns of the brief's CSV, in order.
pub const COLUMNS: [&str; 15] = [
    "segment",
    "position",
    "status",
    "delegation",
    "on_behalf_of",
    "joint",
    "representative",
    "title",
    "kind",
    "category",
    "language",
    "limit",
    "seconds_left",
    "takes_floor",
    "takes_floor_local",
];

/// The brief as CSV: one row per speaker still to be heard, the segment
/// under way first. `takes_floor` is UTC (for the floor's holder, when they
/// took it), `takes_floor_local` the meeting's time of day.
pub fn csv(state: &State, now: Timestamp) -> String {
    let now = whole_second(now);
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    out.write_record(COLUMNS)
        .expect("writing to memory cannot fail");
    for (position, turn) in rows(state, now) {
        out.write_record(csv_row(state, now, position, &turn))
            .expect("writing to memory cannot fail");
    }
    let bytes = out.into_inner().expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("the fields are text")
}

fn csv_row(state: &State, now: Timestamp, position: Option<usize>, turn: &Turn) -> [String; 15] {
    let speech = turn.speech();
    let (status, limit, left) = match turn.standing {
        Standing::Floor(f) => ("speaking", f.limit(), Some(f.remaining(now))),
        Standing::SetAside(f) => ("set aside", f.limit(), Some(f.remaining(now))),
        Standing::Listed(l) if l.passed => ("passed", speech.limit, None),
        Standing::Listed(_) => ("listed", speech.limit, None),
    };
    let text = |s: &str| spreadsheet_text(s).into_owned();
    let joint: Vec<&str> = speech.joint.iter().map(|j| j.as_str()).collect();
    [
        text(state.meeting.segments[turn.segment].id.as_str()),
        position.map_or(String::new(), |p| p.to_string()),
        status.to_string(),
        text(speech.delegate.delegation.as_str()),
        text(speech.on_behalf_of.as_str()),
        // `;` parts the names: a delegation's name may hold a comma.
        text(&joint.join("; ")),
        text(speech.delegate.representative.as_str()),
        text(speech.delegate.title.as_str()),
        kind_word(speech.kind).to_string(),
        speech.category.map_or("", Category::label).to_string(),
        speech
            .language
            .as_ref()
            .map_or("", Language::code)
            .to_string(),
        limit.to_string(),
        left.map_or(String::new(), |l| l.to_string()),
        turn.at.to_string(),
        local(state, turn.at, "%H:%M"),
    ]
}

#[cfg(test)]
mod tests;
