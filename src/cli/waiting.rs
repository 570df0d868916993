//! `gavel do` while the store is slow to confirm its command (a synchronous
//! standby that is down holds every `COMMIT` until it is back): a line on
//! stderr once it has waited two seconds and every half minute after, and on
//! Ctrl-C (SIGINT), SIGTERM or SIGHUP meanwhile, what is true of the command
//! at that moment, before gavel exits 1. Once the store confirms, gavel
//! carries on as it always does.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use super::say;
use crate::store::progress::{Progress, Slow, Stage, Step};

/// How often the wait is said again after the first time, in seconds.
const AGAIN_EVERY: u64 = 30;

/// Says how the command stands while the store is slow, and on a signal;
/// what it returns is set once the wait has been said.
pub(super) fn tell(progress: &Progress) -> Arc<AtomicBool> {
    let told = Arc::new(AtomicBool::new(false));
    let said = Arc::clone(&told);
    progress.watch(Arc::new(move |slow: &Slow| {
        if !said.swap(true, Ordering::Relaxed) || slow.waited.as_secs().is_multiple_of(AGAIN_EVERY)
        {
            say!("gavel: saving… {slow}; waiting for it (Ctrl-C stops waiting)");
        }
    }));
    on_signals(progress.clone());
    told
}

/// A signal while the command is under way is answered with what is true
/// of it then; once it is saved, gavel finishes as usual.
fn on_signals(progress: Progress) {
    let Ok(mut signals) = Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    // A thread that cannot be started leaves signals as they were.
    let _ = std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                progress.holding(|stage| {
                    if stage != Stage::Committed {
                        say!("gavel: {}: {}", name(signal), stopped(stage));
                        std::process::exit(1);
                    }
                });
            }
        });
}

fn name(signal: i32) -> &'static str {
    match signal {
        SIGINT => "interrupted",
        SIGTERM => "terminated",
        _ => "hung up",
    }
}

/// The command as it stands when gavel stops: never "not saved" once
/// `COMMIT` was sent, since the server may have written it.
fn stopped(stage: Stage) -> String {
    match stage {
        Stage::Under {
            since,
            step: Step::Committing,
        } => format!(
            "stopped waiting after {} s; the store had not confirmed the command (its synchronous \
             standby may be down), so it is not shown as done, but it may yet be saved: the primary \
             keeps what it has written and counts it once the standby confirms (unless the \
             primary is lost first). Before typing it again, look with `gavel state` once the \
             store answers",
            since.elapsed().as_secs()
        ),
        Stage::Under {
            step: Step::Writing,
            ..
        } => "stopped before the store had the command: it was not saved".into(),
        _ => "stopped; the command was not saved".into(),
    }
}
