//! A meeting's journal copied from one store to another, files to
//! PostgreSQL or back, and then read back from the target and compared
//! with the source event by event: a copy is only said done once every
//! event reads back equal.

use std::path::Path;

use super::postgres::{self, PgJournal, Place};
use super::row;
use crate::domain::Entry;
use crate::journal::{Journal, JournalError, MAX_APPEND, Mode, Stopped};

/// One end of a copy.
#[derive(Debug, Clone)]
pub enum End {
    /// The meeting's folder, holding `journal.jsonl`.
    Folder(std::path::PathBuf),
    Postgres(Place),
}

impl End {
    pub fn shown(&self) -> String {
        match self {
            End::Folder(dir) => dir.join(crate::journal::JOURNAL_FILE).display().to_string(),
            End::Postgres(place) => format!("meeting {} in {}", place.meeting, place.shown()),
        }
    }
}

/// Every event of the journal at `from`, in order.
pub fn read_all(from: &End, hash: &str) -> Result<Vec<Entry>, String> {
    match from {
        End::Folder(dir) => {
            if !dir.join(crate::journal::JOURNAL_FILE).exists() {
                return Err(format!("there is no journal at {}", from.shown()));
            }
            Journal::<Entry>::open(dir, Mode::ReadOnly)
                .map(|o| o.lines)
                .map_err(|e| e.to_string())
        }
        End::Postgres(place) => {
            let mut lines = Vec::new();
            PgJournal::open_each(place.clone(), hash.to_string(), Mode::ReadOnly, &mut lines)
                .map_err(|stopped| match stopped {
                    Stopped::Journal(e) => e.to_string(),
                    Stopped::Sink(never) => match never {},
                })?;
            Ok(lines)
        }
    }
}

/// Copies `events` into `to`, which must hold none of this meeting's yet,
/// and reads them back: the number copied once each read back equal.
/// A PostgreSQL target keeps `file`, the meeting file whose hash is `hash`,
/// beside the events (for `gavel rooms`).
pub fn copy(events: &[Entry], to: &End, hash: &str, file: Option<&str>) -> Result<usize, String> {
    if !read_all(to, hash).or_else(|e| absent(to, e))?.is_empty() {
        return Err(format!(
            "{} already holds events of this meeting: nothing was copied, so nothing there \
             is overwritten",
            to.shown()
        ));
    }
    match to {
        End::Folder(dir) => write_folder(dir, events)?,
        End::Postgres(place) => write_postgres(place, hash, file, events)?,
    }
    let back = read_all(to, hash)?;
    compare(events, &back).map_err(|why| {
        format!(
            "{} does not read back as the source ({why}): do not use the copy",
            to.shown()
        )
    })?;
    Ok(events.len())
}

/// A folder target not made yet holds nothing.
fn absent(to: &End, e: String) -> Result<Vec<Entry>, String> {
    match to {
        End::Folder(dir) if !dir.join(crate::journal::JOURNAL_FILE).exists() => Ok(Vec::new()),
        _ => Err(e),
    }
}

/// Where two journals first differ, if they do.
pub fn compare(a: &[Entry], b: &[Entry]) -> Result<(), String> {
    for (x, y) in a.iter().zip(b) {
        let same = x == y
            && serde_json::to_string(x).map_err(|e| e.to_string())?
                == serde_json::to_string(y).map_err(|e| e.to_string())?;
        if !same {
            return Err(format!("event #{} differs", x.seq));
        }
    }
    if a.len() != b.len() {
        return Err(format!(
            "{} events where {} were expected",
            b.len(),
            a.len()
        ));
    }
    Ok(())
}

/// Appended in batches under one append's limit, each synced.
fn write_folder(dir: &Path, events: &[Entry]) -> Result<(), String> {
    let mut journal = Journal::<Entry>::open(dir, Mode::ReadWrite)
        .map_err(|e| e.to_string())?
        .journal;
    let mut rest = events;
    while !rest.is_empty() {
        let mut size = 0;
        let mut take = 0;
        for e in rest {
            let len = serde_json::to_vec(e).map_err(|e| e.to_string())?.len() + 1;
            if take > 0 && size + len > MAX_APPEND / 2 {
                break;
            }
            size += len;
            take += 1;
        }
        let (batch, after) = rest.split_at(take);
        journal
            .append(|_| Ok::<_, std::convert::Infallible>(batch.to_vec()))
            .map_err(|e| e.to_string())?;
        rest = after;
    }
    Ok(())
}

/// Inserted in one transaction: all of them, or none.
fn write_postgres(
    place: &Place,
    hash: &str,
    file: Option<&str>,
    events: &[Entry],
) -> Result<(), String> {
    let mut client = postgres::connect(&place.url)?;
    let failed = |e: ::postgres::Error| {
        JournalError::Store(format!(
            "cannot copy into {}: {}",
            place.shown(),
            postgres::plain(&e)
        ))
        .to_string()
    };
    let mut tx = client.transaction().map_err(failed)?;
    let insert = tx.prepare(row::INSERT).map_err(failed)?;
    for entry in events {
        let e = row::encode(entry)?;
        tx.execute(
            &insert,
            &[
                &place.meeting,
                &e.seq,
                &e.v,
                &(e.micros as f64),
                &e.at_ns,
                &e.by,
                &e.event,
                &hash,
            ],
        )
        .map_err(failed)?;
    }
    if let Some(file) = file {
        tx.execute(postgres::KEEP_FILE, &[&hash, &place.meeting, &file])
            .map_err(failed)?;
    }
    tx.commit().map_err(failed)
}
