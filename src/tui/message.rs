//! What the screen's controller and the journal's thread say to each other:
//! requests one way, updates the other. Both ends use these types; neither
//! owns them.

use jiff::Timestamp;

use crate::domain::{Command, Described, State};
use crate::store::progress::Slow;

/// From the controller to the journal's thread.
pub enum Request {
    Execute {
        command: Command,
        now: Timestamp,
    },
    /// The draft summary, from the journal as it is on disk.
    Preview,
}

/// From the journal's thread to the controller, in the journal's order.
#[derive(Debug)]
pub enum Update {
    /// Events appended by others, to fold in.
    Others(Vec<Described>),
    /// Ours, synced to disk.
    Done(Vec<Described>),
    /// Ours, refused: nothing was written.
    Refused(String),
    /// Ours, not written: the journal could not be written.
    Failed(String),
    /// Ours, sent to the store, which did not say whether it saved it: not
    /// shown as done, and never said to be not saved.
    Unconfirmed(String),
    /// Ours is under way and the store is slow to answer (its synchronous
    /// standby may be down). Sent each second while it waits.
    Slow(Slow),
    /// The journal could not be opened for writing after waiting for its
    /// lock: the screen stays a read-only view. Answers no command.
    CannotWrite(String),
    /// The draft co-chairs' summary, for the preview.
    Preview(String),
    /// Done, with something to say (the session log could not be written).
    Warning(String),
    /// Following the journal failed; the screen may be behind.
    FollowFailed(String),
    /// Following works again after it failed: the screen has caught up.
    FollowResumed,
    /// Another process holds the journal's lock: how long this one has
    /// waited, and who holds it where that is known. Sent each second.
    Waiting { secs: u64, holder: Option<String> },
    /// The journal opened for writing at last: the state as it then read,
    /// in place of the read-only one shown meanwhile.
    Reopened(Box<State>),
}
