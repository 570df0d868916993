//! `gavel import`: a list of speakers received, inscribed through the journal
//! as `gavel do add` would inscribe each, all or none.

use std::path::Path;

use super::args::LogDir;
use super::context::{clock, open, operator};
use super::write::carry_out;
use super::{Code, Failure, out};
use crate::domain::{Command, apply_described, decide_entries};
use crate::journal::Mode;

/// Lists larger than this are not lists of speakers.
const MAX_LIST_BYTES: u64 = 4 << 20;

pub(super) fn import(
    meeting: &Path,
    list: &Path,
    log_dir: &LogDir,
    op: Option<String>,
    dry_run: bool,
    wait: std::time::Duration,
) -> Result<(), Failure> {
    let name = list.display().to_string();
    let bytes = crate::files::read_named(list, MAX_LIST_BYTES)
        .map_err(|e| Failure::new(Code::Usage, format!("cannot read {name}: {e}")))?;
    let rows = crate::import::read(&name, &bytes).map_err(|problems| {
        Failure::new(
            Code::Usage,
            format!(
                "nothing was inscribed: {name} has {} to correct:\n{}",
                if problems.len() == 1 {
                    "a mistake".to_string()
                } else {
                    format!("{} mistakes", problems.len())
                },
                problems.join("\n")
            ),
        )
    })?;
    let command = Command::Import(rows);
    if dry_run {
        return rehearse(meeting, log_dir, op, command);
    }
    carry_out(meeting, log_dir, op, wait, command)
}

/// What importing would inscribe, judged on the journal as it stands, and
/// nothing written.
fn rehearse(
    meeting: &Path,
    log_dir: &LogDir,
    op: Option<String>,
    command: Command,
) -> Result<(), Failure> {
    let now = clock()?.now();
    let by = operator(op)?;
    let live = open(meeting, log_dir, Mode::ReadOnly)?;
    let mut state = live.state.clone();
    let entries =
        decide_entries(&state, command, now, &by).map_err(|r| Failure::new(Code::Refused, r.0))?;
    out!(
        "would inscribe {} (nothing is written with --dry-run):",
        entries.len()
    );
    for entry in entries {
        let done = apply_described(&mut state, entry)
            .map_err(|e| Failure::new(Code::Failure, e.to_string()))?;
        out!("{}", done.line);
    }
    Ok(())
}
