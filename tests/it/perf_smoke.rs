//! Loose performance bounds, in the debug build that `cargo test` makes: each
//! is about ten times the slowest of several runs on a shared 2-core machine,
//! so only a regression of that order fails. The figures themselves come
//! from the benches (`cargo bench --bench replay`, `--bench decide`).

#[path = "../../benches/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use gavel::domain::{Command, SpeechKind, State, execute};
use gavel::journal::Mode;
use gavel::live::Live;
use gavel::text::Clean;
use jiff::SignedDuration;

/// Events in the journal replayed: a long afternoon's worth.
const EVENTS: usize = 20_000;

/// Ten times the slowest of three debug runs on a shared 2-core machine:
/// Live::open of 20k events from the file, read-write with the session log
/// complete, 125–128 ms (410–415 ms before names were shared and events read
/// without buffering); an inscription, which resolves a name against the
/// roster and the Member States, 350–365 µs; a pause, a note, the end of a
/// speech, 3–6.5 µs.
const OPEN_BOUND: Duration = Duration::from_millis(1_300);
const RESOLVING_BOUND: Duration = Duration::from_micros(3_700);
const COMMAND_BOUND: Duration = Duration::from_micros(65);

/// The fastest of `runs`, what `f` returns dropped outside the measurement.
/// The runs are a millisecond apart, so that on a machine busy with the
/// rest of the suite they fall in different time slices, and one preemption
/// cannot slow them all.
fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    (0..runs)
        .map(|_| {
            std::thread::sleep(Duration::from_millis(1));
            let start = Instant::now();
            let out = f();
            let took = start.elapsed();
            drop(out);
            took
        })
        .min()
        .expect("at least one run")
}

#[test]
fn replaying_a_long_journal_stays_fast() {
    let meeting = common::seed_meeting();
    let journal = common::journal(&meeting, EVENTS);
    let dir = tempfile::tempdir().expect("a folder");
    std::fs::write(dir.path().join("journal.jsonl"), common::jsonl(&journal)).expect("written");
    // The first open writes the session log; the measured ones are restarts.
    let first = Live::open(meeting.clone(), dir.path(), Mode::ReadWrite).expect("opens");
    assert_eq!(first.state.seq, EVENTS as u64);
    drop(first);
    let took = best_of(3, || {
        Live::open(meeting.clone(), dir.path(), Mode::ReadWrite).expect("opens")
    });
    eprintln!("open of {EVENTS} events: {took:?}");
    assert!(
        took < OPEN_BOUND,
        "replaying {EVENTS} events took {took:?}, over {OPEN_BOUND:?}"
    );
}

#[test]
fn a_command_mid_meeting_stays_fast() {
    let meeting = common::seed_meeting();
    let mut play = common::Play::new(meeting);
    while play.state.seq < 2_000 || play.state.floor().is_none_or(|f| f.paused_since.is_some()) {
        play.step();
    }
    let base: State = play.state.clone();
    let now = play.now + SignedDuration::from_secs(20);
    let by = Clean::new("ana");
    let unlisted = ["Ghana", "Norway", "Peru", "Chile", "Kenya", "Togo"]
        .into_iter()
        .find(|n| {
            !base
                .segment()
                .queue
                .iter()
                .any(|l| l.speech.delegate.delegation.as_str() == *n)
        })
        .expect("someone not listed");
    let commands = [
        (
            Command::add(Clean::new(unlisted), SpeechKind::Reply, None),
            RESOLVING_BOUND,
        ),
        (Command::Pause { at: None }, COMMAND_BOUND),
        (
            Command::Note {
                text: Clean::new("Mali asks for the timelines to be kept #summary"),
            },
            COMMAND_BOUND,
        ),
        (Command::End { at: None }, COMMAND_BOUND),
    ];
    for (command, bound) in commands {
        let mut states: Vec<State> = (0..25).map(|_| base.clone()).collect();
        let took = best_of(25, || {
            let mut state = states.pop().expect("a fresh state");
            execute(&mut state, command.clone(), now, &by).expect("accepted");
            state
        });
        eprintln!("{command:?}: {took:?}");
        assert!(took < bound, "{command:?} took {took:?}, over {bound:?}");
    }
}
