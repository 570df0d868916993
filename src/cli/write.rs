//! `gavel do`: one command, headlessly, through the journal.

use std::io::Write;
use std::path::Path;

use super::args::LogDir;
use super::context::{How, clock, load, open_live, operator, say_found};
use super::{Code, Failure, out, say};
use crate::journal::LockWait;

pub(super) fn do_command(
    path: &Path,
    log_dir: &LogDir,
    op: Option<String>,
    wait: std::time::Duration,
    words: &[String],
) -> Result<(), Failure> {
    let command = crate::lang::parse(&words.join(" "))
        .map_err(|e| Failure::new(Code::Usage, e.to_string()))?;
    carry_out(path, log_dir, op, wait, command)
}

/// `command` through the journal, its session-log lines printed: what
/// `gavel do` and `gavel import` do once they know the command.
pub(super) fn carry_out(
    path: &Path,
    log_dir: &LogDir,
    op: Option<String>,
    wait: std::time::Duration,
    command: crate::domain::Command,
) -> Result<(), Failure> {
    let now = clock()?.now();
    let by = operator(op)?;
    let loaded = load(path)?;
    // Nothing is written, not even the folder of a meeting not begun, until
    // the command is carried out: a refused command leaves no trace.
    let wait = LockWait::at_most(wait);
    let mut live = open_live(path, loaded, log_dir, How::WriteLater(wait))?;
    let told = live.save_progress().map(|p| super::waiting::tell(&p));
    let began = std::time::Instant::now();
    let executed = live.execute(command, &by, now);
    if told.is_some_and(|t| t.load(std::sync::atomic::Ordering::Relaxed)) {
        let secs = began.elapsed().as_secs();
        match &executed.ours {
            Ok(_) => say!("gavel: the store confirmed after {secs} s: saved"),
            Err(_) => say!("gavel: the store answered after {secs} s"),
        }
    }
    // A torn tail is said once: left as it is when the command was refused,
    // cut off and kept aside when it was carried out.
    say_found(&live);
    if let Some(warning) = &executed.warning {
        say!("gavel: done, but {warning}");
    }
    match &executed.exports {
        Some(Ok(files)) => files
            .iter()
            .for_each(|f| say!("gavel: wrote {}", f.display())),
        Some(Err(e)) => say!("gavel: adjourned, but the export was not written: {e}"),
        None => {}
    }
    for described in &executed.into_ours()? {
        out!("{}", described.line);
    }
    Ok(())
}
