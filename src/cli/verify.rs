//! `gavel verify`: the journal's integrity, its fit with the meeting file and
//! its times checked, changing nothing.

use std::path::Path;
use std::sync::Arc;

use super::args::LogDir;
use super::context::{How, clock, load, location, meeting_dir, open_live};
use super::{Code, Failure, out};
use crate::domain::Entry;
use crate::domain::times::{Suspicious, TimeCheck};
use crate::journal::{self, Mode};
use crate::live::Live;
use crate::store::Location;

pub(super) fn verify(path: &Path, log_dir: &LogDir) -> Result<(), Failure> {
    let loaded = load(path)?;
    if let Location::Postgres(url) = location(&loaded, log_dir) {
        return verify_store(path, loaded, log_dir, &url);
    }
    let dir = meeting_dir(&loaded, log_dir)?;
    let file = dir.join(journal::JOURNAL_FILE);
    let sound =
        journal::verify::<Entry>(&file).map_err(|e| Failure::new(Code::Failure, e.to_string()))?;
    out!(
        "{}: {} line{}, last seq {}, {} bytes",
        file.display(),
        sound.lines,
        if sound.lines == 1 { "" } else { "s" },
        sound.last_seq.unwrap_or(0),
        sound.bytes
    );
    if let Some(torn) = &sound.torn {
        out!("torn tail: {torn}");
    }
    if let Some(bad) = &sound.bad {
        out!("bad line: {bad}");
    }
    if !sound.is_sound() {
        return Err(Failure::new(
            Code::Failure,
            "the journal is damaged (see above)",
        ));
    }
    // Lines that read well must also fit the meeting, event after event.
    let live = Live::open(Arc::new(loaded.meeting), &dir, Mode::ReadOnly).map_err(Failure::from)?;
    out!("replay: ok, {} events fit the meeting file", live.state.seq);
    report_times(&suspicious_times(&file, clock()?.now())?)
}

/// A meeting's journal in PostgreSQL: every row read (each the next seq,
/// each an event this gavel reads), replayed against the meeting file, and
/// its times checked.
fn verify_store(
    path: &Path,
    loaded: crate::config::Loaded,
    log_dir: &LogDir,
    url: &str,
) -> Result<(), Failure> {
    let place = crate::store::Place {
        url: url.to_string(),
        meeting: loaded.meeting.id.as_str().to_string(),
    };
    let end = crate::store::copy::End::Postgres(place);
    let hash = String::new();
    let events = crate::store::copy::read_all(&end, &hash)
        .map_err(|why| Failure::new(Code::Failure, format!("the journal is damaged: {why}")))?;
    out!(
        "{}: {} event{}, last seq {}",
        end.shown(),
        events.len(),
        if events.len() == 1 { "" } else { "s" },
        events.last().map_or(0, |e| e.seq)
    );
    let live = open_live(path, loaded, log_dir, How::Open(Mode::ReadOnly))?;
    out!("replay: ok, {} events fit the meeting file", live.state.seq);
    if let Some(notice) = &live.store_notice {
        out!("meeting file: {notice}");
    }
    let mut check = TimeCheck::new(clock()?.now());
    events.iter().for_each(|e| check.take(e));
    report_times(&check.findings())
}

fn report_times(found: &[Suspicious]) -> Result<(), Failure> {
    for s in found {
        out!("suspicious time: line {} (#{}): {}", s.line, s.seq, s.why);
    }
    if found.is_empty() {
        Ok(())
    } else {
        Err(Failure::new(
            Code::Failure,
            "the journal's times cannot be right (see above)",
        ))
    }
}

/// The journal's lines read once more, each checked against the one before
/// and against `now`: times a start-up accepts, since refusing them would
/// stop a meeting, but that only a clock gone wrong or a hand could write.
fn suspicious_times(file: &Path, now: jiff::Timestamp) -> Result<Vec<Suspicious>, Failure> {
    struct Checked(TimeCheck);
    impl journal::Sink<Entry> for Checked {
        type Error = std::convert::Infallible;
        fn take(&mut self, entry: Entry) -> Result<(), Self::Error> {
            self.0.take(&entry);
            Ok(())
        }
    }
    let failed = |e: journal::JournalError| Failure::new(Code::Failure, e.to_string());
    let disk = journal::DiskFile::open(file, Mode::ReadOnly)
        .map_err(journal::JournalError::io("open", file))
        .map_err(failed)?;
    let mut checked = Checked(TimeCheck::new(now));
    journal::Journal::attach_each(disk, file.to_path_buf(), Mode::ReadOnly, &mut checked).map_err(
        |stopped| match stopped {
            journal::Stopped::Journal(e) => failed(e),
            journal::Stopped::Sink(never) => match never {},
        },
    )?;
    Ok(checked.0.findings())
}
