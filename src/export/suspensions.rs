//! Suspensions of the meeting in the record: in `export.json`, in their
//! place among a segment's speeches with the notes taken meanwhile, and in a
//! section of their own.

use std::fmt::Write;

use jiff::Timestamp;
use serde::Serialize;

use super::{Export, NoteLine, local, markdown_text, table_cell};
use crate::domain::format::duration;
use crate::domain::state::State;

#[derive(Debug, Clone, Serialize)]
pub struct SuspensionRecord {
    pub segment: String,
    pub from: Timestamp,
    /// Null while the meeting is still suspended.
    pub to: Option<Timestamp>,
    /// How long it lasted, or has lasted so far.
    pub seconds: i64,
    pub reason: String,
}

/// Every suspension, in order; one under way counts to the journal's last entry.
pub(super) fn gather(state: &State) -> Vec<SuspensionRecord> {
    let now = state
        .last_action
        .as_ref()
        .map_or(Timestamp::UNIX_EPOCH, |a| a.at);
    state
        .suspensions
        .iter()
        .map(|s| SuspensionRecord {
            segment: s.segment.to_string(),
            from: s.from,
            to: s.to,
            seconds: s.secs(now.max(s.from)),
            reason: s.reason.to_string(),
        })
        .collect()
}

/// What a segment's account writes before the speech that starts at
/// `until` (to the end, for `None`): the loose notes and the suspensions
/// that come first, in time order, each suspension with the notes taken
/// while it lasted under it.
pub(super) fn before<'x>(
    out: &mut String,
    state: &State,
    loose: &mut std::iter::Peekable<std::vec::IntoIter<&'x NoteLine>>,
    suspensions: &mut std::iter::Peekable<std::vec::IntoIter<&'x SuspensionRecord>>,
    until: Option<Timestamp>,
) {
    let comes = |at: Timestamp| until.is_none_or(|u| at < u);
    loop {
        let note_at = loose.peek().map(|n| n.at).filter(|at| comes(*at));
        let suspension_at = suspensions.peek().map(|s| s.from).filter(|at| comes(*at));
        match (note_at, suspension_at) {
            (Some(n), s) if s.is_none_or(|s| n < s) => {
                let note = loose.next().expect("peeked");
                let _ = writeln!(out, "- {}", markdown_text(&note.text));
            }
            (_, Some(_)) => {
                let s = suspensions.next().expect("peeked");
                let _ = writeln!(out, "- {}", line(state, s));
                while let Some(note) = loose.next_if(|n| s.to.is_none_or(|to| n.at < to)) {
                    let _ = writeln!(out, "   - {}", markdown_text(&note.text));
                }
            }
            _ => return,
        }
    }
}

/// `*Suspended 16:05–16:20 (15m): consultations.*`
fn line(state: &State, s: &SuspensionRecord) -> String {
    let t = |at| local(state, at, "%H:%M");
    let when = match s.to {
        // Within one minute the minutes alone would read 16:39–16:39.
        Some(to) if t(s.from) == t(to) => format!(
            "Suspended {}–{} ({})",
            local(state, s.from, "%H:%M:%S"),
            local(state, to, "%H:%M:%S"),
            duration(s.seconds)
        ),
        Some(to) => format!(
            "Suspended {}–{} ({})",
            t(s.from),
            t(to),
            duration(s.seconds)
        ),
        None => format!("Suspended since {}, not yet reconvened", t(s.from)),
    };
    if s.reason.is_empty() {
        format!("*{when}.*")
    } else {
        format!("*{when}: {}.*", markdown_text(&s.reason))
    }
}

/// The section of its own: one row a suspension, with the total.
pub(super) fn section(out: &mut String, state: &State, x: &Export) {
    if x.suspensions.is_empty() {
        return;
    }
    let t = |at| local(state, at, "%H:%M:%S");
    let _ = writeln!(out, "## Suspensions\n");
    let _ = writeln!(out, "| From | To | Length | Reason |");
    let _ = writeln!(out, "| --- | --- | ---: | --- |");
    for s in &x.suspensions {
        let to = s.to.map_or("not reconvened".to_string(), t);
        let _ = writeln!(
            out,
            "| {} | {to} | {} | {} |",
            t(s.from),
            duration(s.seconds),
            table_cell(&s.reason)
        );
    }
    let _ = writeln!(out, "| **Total** | | **{}** | |\n", duration(total(x)));
}

pub(super) fn total(x: &Export) -> i64 {
    x.suspensions.iter().map(|s| s.seconds).sum()
}

#[cfg(test)]
mod tests {
    use crate::domain::{Command, State, execute};
    use crate::text::Clean;
    use jiff::Timestamp;

    /// The seed meeting, with `(seconds after 15:30, command)` typed in turn.
    fn meeting(script: &[(i64, &str)]) -> State {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("config/mali-ministerial-2017.toml");
        let meeting = crate::config::load(&path).expect("the seed").meeting;
        let mut state = State::new(std::sync::Arc::new(meeting));
        let t0: Timestamp = "2017-09-20T19:30:00Z".parse().unwrap();
        for (secs, line) in script {
            let command: Command = crate::lang::parse(line).expect("parses");
            let now = t0 + jiff::SignedDuration::from_secs(*secs);
            execute(&mut state, command, now, &Clean::new("ana")).expect("carried out");
        }
        state
    }

    #[test]
    fn the_summary_places_a_suspension_and_its_notes_among_the_speeches() {
        let state = meeting(&[
            (0, "open"),
            (0, "next"),
            (60, "note Mali welcomes the delegations #summary"),
            (120, "suspend consultations on the *draft*"),
            (300, "note Informal talks on the declaration #summary"),
            (1020, "reconvene"),
            (1100, "next"),
            (1200, "note After the suspension #summary"),
            (1300, "adjourn"),
        ]);
        let x = super::super::gather(&state);
        assert_eq!(x.suspensions.len(), 1);
        assert_eq!(x.suspensions[0].seconds, 900);
        let md = super::super::markdown(&state, &x);
        let lines: Vec<&str> = md.lines().collect();
        let at = |needle: &str| {
            lines
                .iter()
                .position(|l| l.contains(needle))
                .unwrap_or_else(|| panic!("{needle:?} not in\n{md}"))
        };
        let mali = at("1. Mali");
        let suspended = at("- *Suspended 15:32–15:47 (15m): consultations on the \\*draft\\*.*");
        let talks = at("   - Informal talks on the declaration");
        let un = at("2. United Nations");
        assert!(mali < suspended && suspended < talks && talks < un, "{md}");
        assert!(md.contains("   - Mali welcomes the delegations"), "{md}");
        assert!(
            md.contains("## Suspensions\n\n| From | To | Length | Reason |"),
            "{md}"
        );
        assert!(
            md.contains("| 15:32:00 | 15:47:00 | 15m | consultations on the \\*draft\\* |"),
            "{md}"
        );
        assert!(md.contains("Suspended once, 15m in all."), "{md}");
        let json = super::super::json(&x);
        assert!(
            json.contains("\"suspensions\": [\n    {\n      \"segment\": \"opening\""),
            "{json}"
        );
    }

    #[test]
    fn a_meeting_never_suspended_has_no_section_for_it() {
        let state = meeting(&[(0, "open"), (60, "adjourn")]);
        let x = super::super::gather(&state);
        let md = super::super::markdown(&state, &x);
        assert!(!md.contains("Suspen"), "{md}");
        assert!(super::super::json(&x).contains("\"suspensions\": []"));
    }
}
