//! The journal's own thread: appends (with their fsync) and following others'
//! events happen here, so the screen is never held up by the disk. The screen
//! keeps its own copy of the state and folds in what this thread reports, in
//! the journal's order.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

use jiff::Timestamp;
use tokio::sync::mpsc::UnboundedSender;

use crate::domain::{Command, Entry, Event};
use crate::journal::JournalFile;
use crate::live::{Live, LiveError};
use crate::text::Clean;

/// How often others' events are looked for: well within the second the
/// product promises, and with the worst case (one period) inside the 200 ms
/// the follow bench holds it to. When nothing came, a look is four system
/// calls (a shared lock, a stat, an empty read, the unlock): ten a second do
/// not show in idle CPU.
pub const FOLLOW_EVERY: Duration = Duration::from_millis(100);

pub enum Request {
    Execute {
        command: Command,
        now: Timestamp,
    },
    /// The draft summary, from the journal as it is on disk.
    Preview,
}

#[derive(Debug)]
pub enum Update {
    /// Events appended by others, to fold in.
    Others(Vec<(Entry, String)>),
    /// Ours, synced to disk.
    Done(Vec<(Entry, String)>),
    /// Ours, refused: nothing was written.
    Refused(String),
    /// Ours, not written: the journal could not be written.
    Failed(String),
    /// The draft co-chairs' summary, for the preview.
    Preview(String),
    /// Done, with something to say (the session log could not be written).
    Warning(String),
    /// Following the journal failed; the screen may be behind.
    FollowFailed(String),
}

pub struct Worker {
    requests: Option<mpsc::Sender<Request>>,
    thread: Option<JoinHandle<()>>,
}

impl Worker {
    pub fn start<F: JournalFile + Send + 'static>(
        live: Live<F>,
        operator: Clean,
        updates: UnboundedSender<Update>,
    ) -> Worker {
        let (requests, inbox) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("journal".into())
            .spawn(move || serve(live, &operator, &inbox, &updates))
            .expect("a thread can be started");
        Worker {
            requests: Some(requests),
            thread: Some(thread),
        }
    }

    /// Queues a command; false if the thread is gone.
    pub fn send(&self, request: Request) -> bool {
        self.requests
            .as_ref()
            .is_some_and(|r| r.send(request).is_ok())
    }
}

impl Drop for Worker {
    /// Lets an append under way finish: what was sent is either on disk or not
    /// begun, never half done.
    fn drop(&mut self) {
        drop(self.requests.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve<F: JournalFile>(
    mut live: Live<F>,
    operator: &Clean,
    inbox: &mpsc::Receiver<Request>,
    updates: &UnboundedSender<Update>,
) {
    let mut follow_failed = false;
    loop {
        let update = match inbox.recv_timeout(FOLLOW_EVERY) {
            Ok(Request::Execute { command, now }) => {
                let executed = live.execute(command, operator, now);
                if !executed.others.is_empty()
                    && updates.send(Update::Others(executed.others)).is_err()
                {
                    return;
                }
                let warning = executed.warning;
                match executed.ours {
                    Ok(ours) => {
                        let adjourned = ours
                            .iter()
                            .any(|(e, _)| matches!(e.event, Event::Adjourned { .. }));
                        if updates.send(Update::Done(ours)).is_err() {
                            return;
                        }
                        // The officer who adjourns leaves the co-chairs' draft beside the journal.
                        let warning = match (adjourned, warning) {
                            (true, None) => {
                                crate::export::write_beside(&live.dir, live.state.meeting.clone())
                                    .err()
                                    .map(|e| {
                                        format!("adjourned, but the export was not written: {e}")
                                    })
                            }
                            (_, warning) => warning,
                        };
                        match warning {
                            Some(warning) => Update::Warning(warning),
                            None => continue,
                        }
                    }
                    Err(LiveError::Refused(why)) => Update::Refused(why.to_string()),
                    Err(other) => Update::Failed(other.to_string()),
                }
            }
            Ok(Request::Preview) => {
                match crate::export::draft(&live.dir, live.state.meeting.clone()) {
                    Ok(text) => Update::Preview(text),
                    Err(e) => Update::Warning(format!("the summary could not be made: {e}")),
                }
            }
            Err(RecvTimeoutError::Timeout) => match live.poll() {
                Ok(seen) if seen.is_empty() => continue,
                Ok(seen) => {
                    follow_failed = false;
                    Update::Others(seen)
                }
                // Said once, not five times a second; it clears when following works again.
                Err(_) if follow_failed => continue,
                Err(e) => {
                    follow_failed = true;
                    Update::FollowFailed(e.to_string())
                }
            },
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if updates.send(update).is_err() {
            return;
        }
    }
}
