//! The journal's own thread: appends (with their fsync) and following others'
//! events happen here, so the screen is never held up by the disk. The screen
//! keeps its own copy of the state and folds in what this thread reports, in
//! the journal's order.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::sync::mpsc::UnboundedSender;

use crate::journal::{JournalFile, LockWait, Waiting};
use crate::live::{Live, LiveError};
use crate::store::progress::{Progress, Slow};
use crate::text::Clean;

use super::message::{Request, Update};

/// How often others' events are looked for: well within the second the
/// product promises, and with the worst case (one period) inside the 200 ms
/// the follow bench holds it to. When nothing came, a look is four system
/// calls (a shared lock, a stat, an empty read, the unlock): ten a second do
/// not show in idle CPU.
pub const FOLLOW_EVERY: Duration = Duration::from_millis(100);

pub struct Worker {
    requests: Option<mpsc::Sender<Request>>,
    thread: Option<JoinHandle<()>>,
    quit: Arc<AtomicBool>,
    /// Where the store's append under way stands, for a store that has it.
    progress: Option<Progress>,
}

/// Opens the journal for writing, waiting for its lock as it is told.
pub type Opener = Box<dyn FnOnce(LockWait) -> Result<Live, LiveError> + Send>;

impl Worker {
    pub fn start<F: JournalFile + Send + 'static>(
        mut live: Live<F>,
        operator: Clean,
        updates: UnboundedSender<Update>,
    ) -> Worker {
        let quit = Arc::new(AtomicBool::new(false));
        live.wait_for_lock(lock_wait(&updates, &quit));
        let progress = live.save_progress();
        if let Some(progress) = &progress {
            let updates = updates.clone();
            progress.watch(Arc::new(move |slow| {
                let _ = updates.send(Update::Slow(*slow));
            }));
        }
        let mut worker = Worker::spawn(quit, move |inbox| serve(live, &operator, inbox, &updates));
        worker.progress = progress;
        worker
    }

    /// Starts on `viewer`, a read-only journal shown while `open` waits for
    /// the lock another process holds; once it opens, the screen is given its
    /// state and commands go to it. Until then they wait in line.
    pub fn start_opening<F: JournalFile + Send + 'static>(
        viewer: Live<F>,
        open: Opener,
        operator: Clean,
        updates: UnboundedSender<Update>,
    ) -> Worker {
        let quit = Arc::new(AtomicBool::new(false));
        let wait = lock_wait(&updates, &quit);
        let quitting = Arc::clone(&quit);
        Worker::spawn(quit, move |inbox| match open(wait) {
            Ok(live) => {
                let state = Box::new(live.state.clone());
                if updates.send(Update::Reopened(state)).is_ok() {
                    serve(live, &operator, inbox, &updates);
                }
            }
            // The officer quit while it waited: what was typed meanwhile is
            // answered as not saved, for the reason it was not.
            Err(e) if quitting.load(Ordering::Relaxed) => {
                let why = format!("gavel quit while it waited for the journal's lock ({e})");
                for request in inbox.iter() {
                    if let Request::Execute { .. } = request {
                        let _ = updates.send(Update::Failed(why.clone()));
                    }
                }
            }
            Err(e) => {
                let why = format!("the journal could not be opened for writing: {e}");
                if updates.send(Update::CannotWrite(why)).is_ok() {
                    serve(viewer, &operator, inbox, &updates);
                }
            }
        })
    }

    fn spawn(
        quit: Arc<AtomicBool>,
        body: impl FnOnce(&mpsc::Receiver<Request>) + Send + 'static,
    ) -> Worker {
        let (requests, inbox) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("journal".into())
            .spawn(move || body(&inbox))
            .expect("a thread can be started");
        Worker {
            requests: Some(requests),
            thread: Some(thread),
            quit,
            progress: None,
        }
    }

    /// Queues a command; false if the thread is gone.
    pub fn send(&self, request: Request) -> bool {
        self.requests
            .as_ref()
            .is_some_and(|r| r.send(request).is_ok())
    }
}

impl Worker {
    /// Lets an append under way finish: what was sent is either on disk or
    /// not begun, never half done. An append the store has been slow to
    /// answer for [`SLOW_AFTER`](crate::store::progress::SLOW_AFTER) (its
    /// synchronous standby down) may not finish for hours: it is left to the
    /// store, and how it stood is returned.
    pub fn stop(&mut self) -> Option<Slow> {
        // A wait for the lock gives up; an append under way is not stopped.
        self.quit.store(true, Ordering::Relaxed);
        drop(self.requests.take());
        let thread = self.thread.take()?;
        loop {
            if thread.is_finished() {
                let _ = thread.join();
                return None;
            }
            if let Some(slow) = self.progress.as_ref().and_then(|p| p.stage().slow()) {
                // The thread is left blocked in the driver; the process ends.
                return Some(slow);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Waits as long as it takes, telling the screen each second, and gives up
/// once the officer quits.
fn lock_wait(updates: &UnboundedSender<Update>, quit: &Arc<AtomicBool>) -> LockWait {
    let (updates, quit) = (updates.clone(), Arc::clone(quit));
    let told = std::sync::Mutex::new(None);
    LockWait {
        limit: None,
        watch: Some(Arc::new(move |waiting: &Waiting| {
            // A wait under a second is another officer's save; not news.
            let secs = waiting.waited.as_secs();
            let mut told = told.lock().unwrap_or_else(|e| e.into_inner());
            if secs > 0 && *told != Some(secs) {
                *told = Some(secs);
                let holder = waiting.holder.as_ref().map(ToString::to_string);
                let _ = updates.send(Update::Waiting { secs, holder });
            }
            !quit.load(Ordering::Relaxed)
        })),
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
                let export_failed = match executed.exports {
                    Some(Err(e)) => Some(format!("adjourned, but the export was not written: {e}")),
                    _ => None,
                };
                // Both are said when both happen: one must not hide the other.
                let warning = match (executed.warning, export_failed) {
                    (Some(log), Some(export)) => Some(format!("{export}; and {log}")),
                    (log, export) => log.or(export),
                };
                match executed.ours {
                    Ok(ours) => {
                        if updates.send(Update::Done(ours)).is_err() {
                            return;
                        }
                        match warning {
                            Some(warning) => Update::Warning(warning),
                            None => continue,
                        }
                    }
                    Err(LiveError::Refused(why)) => Update::Refused(why.to_string()),
                    Err(e @ LiveError::Unconfirmed(_)) => Update::Unconfirmed(e.to_string()),
                    Err(other) => Update::Failed(other.to_string()),
                }
            }
            Ok(Request::Preview) => Update::Preview(crate::export::summary(&live.state)),
            Err(RecvTimeoutError::Timeout) => match live.poll() {
                // A look that works, with nothing new, is following again.
                Ok(seen) if seen.is_empty() && follow_failed => {
                    follow_failed = false;
                    Update::FollowResumed
                }
                Ok(seen) if seen.is_empty() => continue,
                Ok(seen) => {
                    if std::mem::take(&mut follow_failed)
                        && updates.send(Update::FollowResumed).is_err()
                    {
                        return;
                    }
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
