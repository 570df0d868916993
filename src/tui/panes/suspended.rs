//! `SUSPENDED since 16:05 (consultations)`, as the clock pane, the board and
//! the status line say it: in words, whatever the colours.

use crate::domain::State;

use super::local;

/// The wordings, longest first, while the meeting is suspended.
pub fn wordings(state: &State) -> Option<[String; 2]> {
    let s = state.suspended()?;
    let since = format!("SUSPENDED since {}", local(&state.meeting, s.from, "%H:%M"));
    let long = if s.reason.is_empty() {
        since.clone()
    } else {
        format!("{since} ({})", s.reason)
    };
    Some([long, since])
}
