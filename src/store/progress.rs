//! An append to PostgreSQL that the server is slow to answer, told from a
//! thread of its own: the append's thread is held in the driver until the
//! server answers, and with a synchronous standby that is down, a `COMMIT`
//! is not answered until the standby is back. Whoever watches is told once
//! the append has waited [`SLOW_AFTER`], then every second; whoever must
//! act on a signal asks where the append stands.

use std::fmt;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// An append that has waited this long is said to be slow: a `COMMIT`
/// with a synchronous standby in another building takes milliseconds.
pub const SLOW_AFTER: Duration = Duration::from_secs(2);

/// What an append under way waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Its reads and inserts: nothing of it counts yet.
    Writing,
    /// `COMMIT` was sent: the server may have written it.
    Committing,
}

/// An append that has waited at least [`SLOW_AFTER`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slow {
    pub waited: Duration,
    pub step: Step,
}

impl fmt::Display for Slow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.waited.as_secs();
        match self.step {
            Step::Committing => write!(
                f,
                "the store has not confirmed for {secs} s (its synchronous standby may be down); \
                 the command is not yet saved"
            ),
            Step::Writing => write!(
                f,
                "the store has not answered for {secs} s (it may be out of reach, or a command \
                 before this one may be waiting for it to confirm); the command is not yet saved"
            ),
        }
    }
}

/// Where the last append stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// None under way; the last, if any, was not committed.
    Idle,
    Under {
        since: Instant,
        step: Step,
    },
    /// The last one's `COMMIT` returned: it is saved.
    Committed,
}

impl Stage {
    /// The append under way, once it has waited at least [`SLOW_AFTER`].
    pub fn slow(self) -> Option<Slow> {
        let Stage::Under { since, step } = self else {
            return None;
        };
        let waited = since.elapsed();
        (waited >= SLOW_AFTER).then_some(Slow { waited, step })
    }
}

/// Told of a slow append, on the watching thread, before the append's
/// answer is given to its caller.
pub type Watch = Arc<dyn Fn(&Slow) + Send + Sync>;

/// One handle's appends, as other threads see them; clones share it.
#[derive(Clone, Default)]
pub struct Progress(Arc<Shared>);

#[derive(Default)]
struct Shared {
    inner: Mutex<Inner>,
    changed: Condvar,
}

#[derive(Default)]
struct Inner {
    stage: Option<Stage>,
    watch: Option<Watch>,
    watching: bool,
    closed: bool,
}

impl Progress {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.0.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn set(&self, stage: Stage) {
        self.lock().stage = Some(stage);
        self.0.changed.notify_all();
    }

    pub fn begin(&self) {
        self.set(Stage::Under {
            since: Instant::now(),
            step: Step::Writing,
        });
    }

    pub fn committing(&self) {
        let mut inner = self.lock();
        if let Some(Stage::Under { step, .. }) = &mut inner.stage {
            *step = Step::Committing;
        }
    }

    pub fn end(&self, committed: bool) {
        self.set(if committed {
            Stage::Committed
        } else {
            Stage::Idle
        });
    }

    pub fn stage(&self) -> Stage {
        self.lock().stage.unwrap_or(Stage::Idle)
    }

    /// `act` on where the append stands, which cannot change meanwhile: an
    /// append whose `COMMIT` returns waits for `act` before it counts.
    pub fn holding<R>(&self, act: impl FnOnce(Stage) -> R) -> R {
        let inner = self.lock();
        act(inner.stage.unwrap_or(Stage::Idle))
    }

    /// `watch` is told of every slow append from now on, once it has
    /// waited [`SLOW_AFTER`] and then every second, from a thread started
    /// the first time.
    pub fn watch(&self, watch: Watch) {
        let mut inner = self.lock();
        inner.watch = Some(watch);
        if !std::mem::replace(&mut inner.watching, true) {
            let shared = Arc::clone(&self.0);
            std::thread::Builder::new()
                .name("store wait".into())
                .spawn(move || watching(&shared))
                .expect("a thread can be started");
        }
    }

    /// The watching thread ends.
    pub fn close(&self) {
        self.lock().closed = true;
        self.0.changed.notify_all();
    }
}

fn watching(shared: &Shared) {
    let mut inner = shared.inner.lock().unwrap_or_else(|e| e.into_inner());
    let mut told: Option<(Instant, u64)> = None;
    while !inner.closed {
        let Some(Stage::Under { since, step }) = inner.stage else {
            inner = shared
                .changed
                .wait(inner)
                .unwrap_or_else(|e| e.into_inner());
            continue;
        };
        let waited = since.elapsed();
        let secs = waited.as_secs();
        if waited >= SLOW_AFTER && told != Some((since, secs)) {
            told = Some((since, secs));
            if let Some(watch) = &inner.watch {
                watch(&Slow { waited, step });
            }
        }
        // The next whole second, and at least SLOW_AFTER.
        let next = Duration::from_secs(secs + 1).max(SLOW_AFTER);
        let pause = next
            .saturating_sub(since.elapsed())
            .max(Duration::from_millis(1));
        inner = shared
            .changed
            .wait_timeout(inner, pause)
            .unwrap_or_else(|e| e.into_inner())
            .0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slow_append_is_told_each_second_and_not_once_it_ended() {
        let progress = Progress::default();
        let told: Arc<Mutex<Vec<Slow>>> = Arc::default();
        let into = Arc::clone(&told);
        progress.watch(Arc::new(move |slow| into.lock().unwrap().push(*slow)));
        progress.begin();
        std::thread::sleep(Duration::from_millis(500));
        assert!(told.lock().unwrap().is_empty(), "told before SLOW_AFTER");
        progress.committing();
        std::thread::sleep(SLOW_AFTER + Duration::from_millis(1_200));
        progress.end(true);
        let seen = told.lock().unwrap().clone();
        assert_eq!(seen.len(), 2, "{seen:?}");
        assert_eq!(seen[0].waited.as_secs(), 2);
        assert_eq!(seen[1].waited.as_secs(), 3);
        assert!(seen.iter().all(|s| s.step == Step::Committing));
        std::thread::sleep(Duration::from_millis(1_100));
        assert_eq!(told.lock().unwrap().len(), 2, "told after it ended");
        assert_eq!(progress.stage(), Stage::Committed);
        progress.close();
    }
}
