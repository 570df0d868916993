//! Where a meeting's journal is kept: the file journal beside the session
//! log (the default, embedded), or a PostgreSQL server that many rooms'
//! officers share. [`Store`] is the one seam `Live` uses; both give the same
//! operations with the same promises: replay, append after catching up
//! (deciding again on what others appended first), follow, verify.

pub mod copy;
pub mod migrate;
pub mod postgres;
pub mod progress;
mod row;
pub mod tls;

use std::path::Path;

use crate::domain::Entry;
use crate::journal::{
    AppendError, Appended, DiskFile, Journal, JournalError, JournalFile, LockWait, Mode, TornTail,
};
pub use postgres::{PgJournal, Place};

/// Where the journal is, as the meeting file, `--store` or `GAVEL_STORE` say.
#[derive(Clone, PartialEq, Eq, Default)]
pub enum Location {
    /// `<log dir>/<meeting id>/journal.jsonl`.
    #[default]
    Files,
    /// A PostgreSQL server's URL.
    Postgres(String),
}

/// Debug output ends up in messages too: the password stays hidden there.
impl std::fmt::Debug for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Files => f.write_str("Files"),
            Location::Postgres(url) => write!(f, "Postgres({:?})", postgres::shown(url)),
        }
    }
}

impl Location {
    /// A store as written: a `postgres://` or `postgresql://` URL, or `files`.
    pub fn parse(text: &str) -> Result<Location, String> {
        let text = text.trim();
        if text == "files" {
            return Ok(Location::Files);
        }
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            postgres::config(text)?;
            return Ok(Location::Postgres(text.to_string()));
        }
        Err(format!(
            "a store is `files` or a PostgreSQL URL (postgres://user@host:port/database), not {}",
            crate::text::quoted(&postgres::shown(text))
        ))
    }
}

/// One handle on a meeting's journal, wherever it is kept.
#[derive(Debug)]
pub enum Store<F: JournalFile = DiskFile> {
    File(Journal<Entry, F>),
    Postgres(Box<PgJournal>),
}

impl<F: JournalFile> Store<F> {
    /// Catches up, lets `decide` choose on what others appended, writes the
    /// decision durably and gives it to `synced`. `decide` may be asked again
    /// with what others appended meanwhile, on a store without a lock.
    pub fn append_then<D: AsRef<[Entry]>, R, W>(
        &mut self,
        decide: impl FnMut(&[Entry]) -> Result<D, R>,
        synced: impl FnOnce(D) -> W,
    ) -> Result<Appended<Entry, W>, AppendError<Entry, R>> {
        match self {
            Store::File(j) => j.append_then(decide, synced),
            Store::Postgres(j) => j.append_then(decide, synced),
        }
    }

    pub fn poll(&mut self) -> Result<Vec<Entry>, JournalError> {
        match self {
            Store::File(j) => j.poll(),
            Store::Postgres(j) => j.poll(),
        }
    }

    pub fn mode(&self) -> Mode {
        match self {
            Store::File(j) => j.mode(),
            Store::Postgres(j) => j.mode(),
        }
    }

    pub fn make_writable(&mut self) -> Result<(), JournalError> {
        match self {
            Store::File(j) => j.make_writable(),
            Store::Postgres(j) => {
                j.make_writable();
                Ok(())
            }
        }
    }

    /// What a read-write start-up does: for the file, a torn tail cut;
    /// for both, the lines appended since read.
    pub fn repair(&mut self) -> Result<(Vec<Entry>, Option<TornTail>), JournalError> {
        match self {
            Store::File(j) => j.repair(),
            Store::Postgres(j) => Ok((j.catch_up()?, None)),
        }
    }

    pub fn wait_for_lock(&mut self, wait: LockWait) {
        if let Store::File(j) = self {
            j.wait_for_lock(wait);
        }
    }

    pub fn last_seq(&self) -> u64 {
        match self {
            Store::File(j) => j.last_seq(),
            Store::Postgres(j) => j.last_seq(),
        }
    }

    /// The file's path, for a file journal.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Store::File(j) => Some(j.path()),
            Store::Postgres(_) => None,
        }
    }

    /// Where the appends stand, for another thread to tell: a store whose
    /// `COMMIT` may wait on a standby has one.
    pub fn progress(&self) -> Option<&progress::Progress> {
        match self {
            Store::File(_) => None,
            Store::Postgres(j) => Some(j.progress()),
        }
    }

    /// Where it is, in words: the file, or the server and the meeting.
    pub fn shown(&self) -> String {
        match self {
            Store::File(j) => j.path().display().to_string(),
            Store::Postgres(j) => format!("meeting {} in {}", j.place().meeting, j.place().shown()),
        }
    }
}
