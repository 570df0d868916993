//! Reading a meeting, changing nothing: `gavel state` and `gavel tail`.

use std::io::Write;
use std::path::Path;

use super::args::LogDir;
use super::context::{clock, load, location, meeting_dir, open};
use super::{Code, Failure, out};
use crate::domain::Entry;
use crate::domain::{State, apply_described};
use crate::journal::{self, Mode, Stopped};
use crate::store::{Location, PgJournal, Place};
use std::sync::Arc;

pub(super) fn state(path: &Path, log_dir: &LogDir, json: bool) -> Result<(), Failure> {
    let now = clock()?.now();
    let live = open(path, log_dir, Mode::ReadOnly)?;
    let report = crate::status::of(&live.state, now);
    if json {
        let text = serde_json::to_string_pretty(&report)
            .map_err(|e| Failure::new(Code::Failure, e.to_string()))?;
        out!("{text}");
    } else {
        super::print(&crate::status::text(&live.state, now))?;
    }
    Ok(())
}

pub(super) fn tail(path: &Path, log_dir: &LogDir, follow: bool, json: bool) -> Result<(), Failure> {
    let mut out = Reader {
        out: std::io::stdout().lock(),
        gone: false,
    };
    let done = tail_to(path, log_dir, follow, json, &mut out);
    // `| head` had its lines: stopping there is no failure.
    if out.gone { Ok(()) } else { done }
}

fn tail_to(
    path: &Path,
    log_dir: &LogDir,
    follow: bool,
    json: bool,
    out: &mut impl Write,
) -> Result<(), Failure> {
    let loaded = load(path)?;
    let dir = meeting_dir(&loaded, log_dir)?;
    if let Location::Postgres(url) = location(&loaded, log_dir) {
        return tail_store(loaded, url, follow, json, out)
            .map_err(|e| Failure::new(Code::Failure, e));
    }
    let io = |e: std::io::Error| {
        Failure::new(Code::Failure, format!("cannot read {}: {e}", dir.display()))
    };
    if json {
        return tail_journal(&dir, follow, out).map_err(|e| Failure::new(Code::Failure, e));
    }
    crate::files::check_folder(&dir, crate::files::Access::Read).map_err(io)?;
    let path = dir.join(journal::session_log::SESSION_LOG_FILE);
    if !follow {
        return journal::session_log::print(&path, out).map_err(io);
    }
    journal::session_log::follow(&path, true, out, &|| false).map_err(io)
}

/// Standard output, noting when its reader went away (a broken pipe), so
/// that the error that stops the printing is not taken for a failure.
struct Reader<W: Write> {
    out: W,
    gone: bool,
}

impl<W: Write> Write for Reader<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.out.write(buf);
        self.note(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let flushed = self.out.flush();
        self.note(flushed)
    }
}

impl<W: Write> Reader<W> {
    fn note<T>(&mut self, result: std::io::Result<T>) -> std::io::Result<T> {
        if let Err(e) = &result {
            self.gone |= e.kind() == std::io::ErrorKind::BrokenPipe;
        }
        result
    }
}

/// A meeting's journal in PostgreSQL: each event as the session log says
/// it, or as JSON; followed, each one as it is appended.
fn tail_store(
    loaded: crate::config::Loaded,
    url: String,
    follow: bool,
    json: bool,
    out: &mut impl Write,
) -> Result<(), String> {
    let place = Place {
        url,
        meeting: loaded.meeting.id.as_str().to_string(),
    };
    let mut lines = Vec::new();
    let mut journal = PgJournal::open_each(place, String::new(), Mode::ReadOnly, &mut lines)
        .map_err(|stopped| match stopped {
            Stopped::Journal(e) => e.to_string(),
            Stopped::Sink(never) => match never {},
        })?;
    let mut state = State::new(Arc::new(loaded.meeting));
    let mut print = |lines: Vec<Entry>| -> Result<(), String> {
        for entry in lines {
            let text = if json {
                serde_json::to_string(&entry).map_err(|e| e.to_string())?
            } else {
                apply_described(&mut state, entry)
                    .map_err(|e| e.to_string())?
                    .line
            };
            writeln!(out, "{text}").map_err(|e| e.to_string())?;
        }
        out.flush().map_err(|e| e.to_string())
    };
    print(lines)?;
    if !follow {
        return Ok(());
    }
    let mut down = false;
    loop {
        std::thread::sleep(std::time::Duration::from_millis(100));
        // A lost connection is said once, and followed again when it is back.
        match journal.poll() {
            Ok(lines) => {
                down = false;
                print(lines)?;
            }
            Err(e) if !down => {
                down = true;
                eprintln!("gavel: {e}");
            }
            Err(_) => {}
        }
    }
}

/// The journal's lines as they are, each checked and re-encoded, so nothing but
/// well-formed JSON reaches the terminal.
fn tail_journal(dir: &Path, follow: bool, out: &mut impl Write) -> Result<(), String> {
    let opened = journal::Journal::<Entry>::open(dir, Mode::ReadOnly).map_err(|e| e.to_string())?;
    let mut journal = opened.journal;
    let mut print = |lines: &[Entry]| -> Result<(), String> {
        for line in lines {
            let text = serde_json::to_string(line).map_err(|e| e.to_string())?;
            writeln!(out, "{text}").map_err(|e| e.to_string())?;
        }
        out.flush().map_err(|e| e.to_string())
    };
    print(&opened.lines)?;
    if !follow {
        return Ok(());
    }
    loop {
        std::thread::sleep(std::time::Duration::from_millis(150));
        print(&journal.poll().map_err(|e| e.to_string())?)?;
    }
}
