//! What can go wrong with the journal, in words an officer can act on.

use std::io;
use std::path::PathBuf;

use thiserror::Error;

/// What is wrong with one journal line.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Problem {
    #[error("not valid UTF-8 text")]
    NotUtf8,
    #[error("expected JSON: {0}")]
    NotJson(String),
    #[error("expected a JSON object")]
    NotObject,
    #[error("format version {found}, but this gavel reads version {reads}")]
    Version { found: String, reads: u8 },
    #[error("not a gavel event: {0}")]
    NotEvent(String),
    #[error("sequence number {found} where {expected} was expected")]
    Seq { expected: u64, found: u64 },
    #[error("an empty line")]
    Blank,
    #[error(
        "{0} bytes or more with no line break, more than one save writes ({max} at most), \
         so not what a crash leaves",
        max = super::MAX_APPEND
    )]
    TooLong(usize),
    #[error(
        "a line of {0} bytes, longer than one save writes ({max} at most)",
        max = super::MAX_APPEND
    )]
    LineTooLong(usize),
    #[error("{0} bytes, more than one save may write ({max} at most)", max = super::MAX_APPEND)]
    AppendTooLarge(usize),
}

/// A damaged line and its 1-based number in the file.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("line {line}: {problem}")]
pub struct BadLine {
    pub line: u64,
    pub problem: Problem,
}

#[derive(Debug, Error)]
pub enum JournalError {
    #[error("cannot {action} the journal {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(
        "journal line {} is damaged ({}); gavel stops so that nothing is overwritten. \
         Move {} aside or repair that line.",
        bad.line, bad.problem, path.display()
    )]
    Damaged { path: PathBuf, bad: BadLine },
    #[error(
        "{} does not match the journal beside it: {why}. It was not left by a failed save \
         of this journal, or lines were saved since, so gavel stops rather than cut them; \
         nothing was changed. If no save failed here, move {} aside.",
        note.display(), note.display()
    )]
    BadNote { note: PathBuf, why: String },
    #[error(
        "the journal {} is no longer the file this gavel opened: it was moved, replaced or \
         deleted since. Nothing more is saved or shown; quit and start gavel again to read the \
         journal now at that place.",
        path.display()
    )]
    Replaced { path: PathBuf },
    #[error(
        "the journal {} became shorter ({found} bytes where {read} were already read): \
         something other than gavel changed it. Restart gavel to read it again.",
        path.display()
    )]
    Shrunk {
        path: PathBuf,
        read: u64,
        found: u64,
    },
    /// A journal kept in a database server: what went wrong, said whole.
    #[error("{0}")]
    Store(String),
}

impl JournalError {
    pub(crate) fn io(
        action: &'static str,
        path: &std::path::Path,
    ) -> impl FnOnce(io::Error) -> Self {
        let path = path.to_owned();
        move |source| JournalError::Io {
            action,
            path,
            source,
        }
    }

    /// The damaged line, when that is what stopped the journal.
    pub fn bad_line(&self) -> Option<&BadLine> {
        match self {
            JournalError::Damaged { bad, .. } => Some(bad),
            _ => None,
        }
    }
}

/// Why an append did not happen. Every variant raised after `decide` ran
/// carries the lines others had appended: the caller must apply them anyway.
#[derive(Debug, Error)]
pub enum AppendError<T, R> {
    /// `decide` refused the command on the caught-up state.
    #[error("{reason}")]
    Refused { caught_up: Vec<T>, reason: R },
    /// Writing or syncing failed: the event is not recorded.
    #[error("the event could not be saved to the journal ({source}), so it was not recorded{}",
        if *rolled_back { "" } else {
            "; the journal could not be put back as it was, so gavel records nothing more \
             until it is restarted"
        })]
    Io {
        caught_up: Vec<T>,
        #[source]
        source: io::Error,
        /// Whether the file was cut back to its length before the write and
        /// that cut was synced.
        rolled_back: bool,
    },
    /// `decide` returned lines the journal would not read back; a bug.
    #[error(
        "gavel produced an event it could not record (new line {index}: {problem}); nothing was written"
    )]
    Invalid {
        caught_up: Vec<T>,
        index: usize,
        problem: Problem,
    },
    /// Reading or locking the journal failed before `decide` ran; nothing was
    /// caught up or written.
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error("this gavel was started read-only; nothing was recorded")]
    ReadOnly,
    /// The database server was sent the event but did not confirm it: it is
    /// not shown as done. If it was recorded all the same, it comes back with
    /// the next look at the store, as another officer's would.
    #[error(
        "the store did not confirm the save ({why}), so the command is not shown as done; it \
         may yet be saved, and if the store recorded it, it appears as soon as the store is \
         reached again: look before typing it again"
    )]
    Unconfirmed { caught_up: Vec<T>, why: String },
    /// An earlier failure left the file in a state this handle cannot vouch for.
    #[error(
        "an earlier save to the journal failed and could not be undone ({0}); restart gavel so it re-checks the journal"
    )]
    Broken(String),
}

impl<T, R> AppendError<T, R> {
    /// Lines others appended, which the caller must apply even though its own
    /// command did not go through.
    pub fn caught_up(&self) -> &[T] {
        match self {
            AppendError::Refused { caught_up, .. }
            | AppendError::Io { caught_up, .. }
            | AppendError::Invalid { caught_up, .. }
            | AppendError::Unconfirmed { caught_up, .. } => caught_up,
            _ => &[],
        }
    }

    pub fn into_caught_up(self) -> Vec<T> {
        match self {
            AppendError::Refused { caught_up, .. }
            | AppendError::Io { caught_up, .. }
            | AppendError::Invalid { caught_up, .. }
            | AppendError::Unconfirmed { caught_up, .. } => caught_up,
            _ => Vec::new(),
        }
    }
}
