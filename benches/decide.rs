//! One command, as an officer types it: `decide` on a state in the middle of a
//! long meeting (a few thousand events in, a list of speakers, seats taken,
//! notes), then `apply` of what it decided. Each kind of command is measured
//! on its own, on a fresh copy of the same state, so the figure is µs a command.
//!
//! `cargo bench --bench decide`, or one command: `cargo bench --bench decide -- note`.

mod common;

use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use gavel::domain::{
    Command, Place, SeatOrDelegation, SegmentTarget, SpeechKind, State, decide, execute,
};
use gavel::text::Clean;
use jiff::{SignedDuration, Timestamp};

/// Events played before the measured command.
const MID_MEETING: usize = 3_000;

struct Case {
    name: &'static str,
    by: &'static str,
    /// Commands carried out first, so that the measured one is accepted.
    setup: Vec<Command>,
    command: Command,
}

fn c(s: &str) -> Clean {
    Clean::new(s)
}

/// The state `setup` leads to; every step must be accepted.
fn prepare(base: &State, now: Timestamp, by: &str, setup: &[Command]) -> State {
    let mut state = base.clone();
    let by = c(by);
    for command in setup {
        execute(&mut state, command.clone(), now, &by)
            .unwrap_or_else(|r| panic!("setup {command:?} refused: {r}"));
    }
    state
}

/// A running instance's lists have room to grow; a fresh clone's have none,
/// and the first push would copy the whole list of those who have spoken.
fn roomy(mut state: State) -> State {
    for segment in &mut state.segments {
        segment.spoken.reserve(16);
        segment.queue.reserve(16);
    }
    state.seats.waitlist.reserve(16);
    state
}

fn decide_apply(state: &mut State, command: Command, now: Timestamp, by: &Clean) {
    execute(state, command, now, by).expect("accepted");
}

fn cases(state: &State) -> Vec<Case> {
    let segment = state.segment();
    assert!(segment.queue.len() >= 4, "a list of speakers mid-meeting");
    assert!(
        segment.floor.is_some(),
        "someone holds the floor mid-meeting"
    );
    let third = segment.queue[2].speech.delegate.delegation.clone();
    let unlisted = ["Ghana", "Norway", "Peru", "Chile", "Kenya"]
        .into_iter()
        .find(|n| {
            !segment
                .queue
                .iter()
                .any(|l| l.speech.delegate.delegation.as_str() == *n)
        })
        .expect("someone not listed");
    let free = state.free_seats().next().expect("a free seat");
    let taken = *state.seats.occupied.keys().next().expect("a taken seat");
    let note = state.next_note - 1;
    let observer = [
        "Mexico", "Denmark", "Finland", "Austria", "Ireland", "Chile",
    ]
    .into_iter()
    .find(|d| state.seats.held_by(d).next().is_none() && state.seats.waiting_position(d).is_none())
    .expect("an observer neither seated nor waiting");
    let open_segment = vec![Command::End { at: None }];
    // The waitlist only takes delegations once every seat is given.
    let mut scratch = state.clone();
    let mut full = Vec::new();
    for d in common::OBSERVERS.iter().filter(|d| **d != observer) {
        if scratch.free_seats().next().is_none() {
            break;
        }
        let seat = Command::Seat {
            delegation: c(d),
            seat: None,
        };
        if execute(&mut scratch, seat.clone(), Timestamp::MAX, &c("ben")).is_ok() {
            full.push(seat);
        }
    }
    let full_then_wait: Vec<Command> = full
        .iter()
        .cloned()
        .chain([Command::Wait {
            delegation: c(observer),
        }])
        .collect();
    vec![
        Case {
            name: "add",
            by: "ana",
            setup: vec![],
            command: Command::add(c(unlisted), SpeechKind::Statement, None),
        },
        Case {
            name: "add_reply",
            by: "ana",
            setup: vec![],
            command: Command::add(c(unlisted), SpeechKind::Reply, Some(60)),
        },
        Case {
            name: "order",
            by: "ana",
            setup: vec![],
            command: Command::add(c("Egypt"), SpeechKind::Order, None),
        },
        Case {
            name: "next",
            by: "ana",
            setup: vec![],
            command: Command::Next { at: None },
        },
        Case {
            name: "floor",
            by: "ana",
            setup: vec![],
            command: Command::Floor {
                who: third.clone(),
                at: None,
            },
        },
        Case {
            name: "pause",
            by: "ana",
            setup: vec![],
            command: Command::Pause { at: None },
        },
        Case {
            name: "resume",
            by: "ana",
            setup: vec![Command::Pause { at: None }],
            command: Command::Resume { at: None },
        },
        Case {
            name: "end",
            by: "ana",
            setup: vec![],
            command: Command::End { at: None },
        },
        Case {
            name: "extend",
            by: "ana",
            setup: vec![],
            command: Command::Extend { by: 30 },
        },
        Case {
            name: "move",
            by: "ana",
            setup: vec![],
            command: Command::Move {
                who: third.clone(),
                to: Place::Top,
            },
        },
        Case {
            name: "pass",
            by: "ana",
            setup: vec![],
            command: Command::Pass { who: third.clone() },
        },
        Case {
            name: "remove",
            by: "ana",
            setup: vec![],
            command: Command::Remove { who: third },
        },
        Case {
            name: "close_list",
            by: "ana",
            setup: vec![],
            command: Command::CloseList,
        },
        Case {
            name: "reopen_list",
            by: "ana",
            setup: vec![Command::CloseList],
            command: Command::ReopenList,
        },
        Case {
            name: "segment",
            by: "ana",
            setup: open_segment,
            command: Command::Segment(SegmentTarget::Next),
        },
        Case {
            name: "seat",
            by: "ben",
            setup: vec![Command::Release(SeatOrDelegation::Seat(taken))],
            command: Command::Seat {
                delegation: c(observer),
                seat: None,
            },
        },
        Case {
            name: "release",
            by: "ben",
            setup: vec![],
            command: Command::Release(SeatOrDelegation::Seat(taken)),
        },
        Case {
            name: "wait",
            by: "ben",
            setup: full,
            command: Command::Wait {
                delegation: c(observer),
            },
        },
        Case {
            name: "unwait",
            by: "ben",
            setup: full_then_wait,
            command: Command::Unwait {
                delegation: c(observer),
            },
        },
        Case {
            name: "block",
            by: "ben",
            setup: vec![],
            command: Command::Block(free),
        },
        Case {
            name: "unblock",
            by: "ben",
            setup: vec![Command::Block(free)],
            command: Command::Unblock(free),
        },
        Case {
            name: "note",
            by: "chloe",
            setup: vec![],
            command: Command::Note {
                text: c("Mali asks for the Agreement's timelines to be kept #summary #action"),
            },
        },
        Case {
            name: "amend",
            by: "chloe",
            setup: vec![],
            command: Command::Amend {
                note,
                text: c("Mali asks for the timelines to be kept, corrected #summary"),
            },
        },
        Case {
            name: "retract",
            by: "chloe",
            setup: vec![],
            command: Command::Retract { note },
        },
        Case {
            name: "undo",
            by: "chloe",
            setup: vec![Command::Note {
                text: c("A note written by mistake"),
            }],
            command: Command::Undo,
        },
        Case {
            name: "undo_next",
            by: "ana",
            setup: vec![Command::Next { at: None }],
            command: Command::Undo,
        },
        Case {
            name: "adjourn",
            by: "ana",
            setup: vec![],
            command: Command::Adjourn { at: None },
        },
    ]
}

fn per_command(c: &mut Criterion) {
    let meeting = common::seed_meeting();
    let mut play = common::Play::new(meeting.clone());
    let mut played = 0;
    // Play on until the moment fits every case: someone speaking, a list, seats.
    loop {
        played += play.step().len();
        let s = &play.state;
        let seg = s.segment();
        if played >= MID_MEETING
            && seg.floor.as_ref().is_some_and(|f| f.paused_since.is_none())
            && seg.interrupted.is_empty()
            && seg.queue.len() >= 6
            && !seg.closed
            && s.current == 0
            && !s.seats.occupied.is_empty()
            && s.free_seats().next().is_some()
            && s.notes
                .get(&(s.next_note - 1))
                .is_some_and(|n| n.retracted.is_none())
        {
            break;
        }
    }
    let base = play.state.clone();
    let now = play.now + SignedDuration::from_secs(20);
    eprintln!(
        "state after {} events: {} listed, {} seated, {} waiting, {} notes",
        base.seq,
        base.segment().queue.len(),
        base.seats.occupied.len(),
        base.seats.waitlist.len(),
        base.notes.len()
    );

    let mut group = c.benchmark_group("command");
    group.sample_size(20);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(2));
    for case in cases(&base) {
        let by = Clean::new(case.by);
        let ready = prepare(&base, now, case.by, &case.setup);
        // Accepted once, outside the measurement, so a refusal is not timed.
        decide_apply(&mut ready.clone(), case.command.clone(), now, &by);
        group.bench_function(BenchmarkId::new("decide", case.name), |b| {
            b.iter(|| decide(&ready, case.command.clone(), now, by.as_str()).expect("accepted"))
        });
        group.bench_function(BenchmarkId::new("decide_apply", case.name), |b| {
            b.iter_batched_ref(
                || roomy(ready.clone()),
                |state| decide_apply(state, case.command.clone(), now, &by),
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, per_command);
criterion_main!(benches);
