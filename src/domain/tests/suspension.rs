//! `suspend` and `reconvene`: the timers stop and start again, what is refused
//! meanwhile, undo, and the clock's projection with scheduled breaks.

use jiff::ToSpan;

use super::*;

fn suspend(reason: &str) -> Command {
    Command::Suspend {
        reason: reason.into(),
        at: None,
    }
}

const RECONVENE: Command = Command::Reconvene { at: None };

fn elapsed(sim: &Sim) -> i64 {
    sim.state.floor().unwrap().elapsed(sim.now)
}

#[test]
fn a_suspension_stops_the_speakers_timer_until_the_meeting_reconvenes() {
    let mut sim = Sim::new();
    sim.ok(OPEN).ok(NEXT);
    sim.at(60).ok(suspend("consultations"));
    sim.logged("suspend The meeting is suspended (consultations); Mali's timer stops at 1m");
    let s = sim.state.suspended().expect("suspended");
    assert_eq!((s.from, s.reason.as_str()), (sim.now, "consultations"));
    sim.at(960);
    assert_eq!(elapsed(&sim), 60, "the suspension is not speaking time");
    sim.ok(RECONVENE);
    sim.logged("reconvene The meeting reconvenes after 15m; Mali resumes at 1m");
    assert!(sim.state.suspended().is_none());
    sim.at(1020);
    assert_eq!(elapsed(&sim), 120);
    let done = &sim.state.suspensions[0];
    assert_eq!(
        (done.secs(sim.now), done.segment.as_str()),
        (900, "opening")
    );
    sim.ok(END);
    let spoken = &sim.state.segment().spoken[0];
    assert_eq!((spoken.spoken_secs, spoken.paused_secs), (120, 900));
}

#[test]
fn a_speaker_paused_before_the_suspension_stays_paused_after_it() {
    let mut sim = Sim::new();
    sim.ok(OPEN).ok(NEXT);
    sim.at(30).ok(PAUSE);
    sim.at(60).ok(suspend(""));
    sim.logged("The meeting is suspended; Mali's speech stays paused");
    sim.at(120).ok(RECONVENE);
    sim.logged("Mali stays paused at 30s");
    assert!(sim.state.floor().unwrap().paused_since.is_some());
    sim.at(150).ok(RESUME);
    sim.at(160);
    assert_eq!(elapsed(&sim), 40);
}

#[test]
fn giving_the_floor_or_running_a_timer_is_refused_while_suspended() {
    let mut sim = Sim::new();
    sim.ok(OPEN).ok(NEXT);
    sim.at(300).ok(suspend("lunch"));
    let since = "the meeting is suspended since 15:35: reconvene first";
    sim.refuses(NEXT, since);
    sim.refuses(NEXT, "to give the floor");
    sim.refuses(
        Command::Floor {
            who: "France".into(),
            at: None,
        },
        since,
    );
    sim.refuses(add_kind("Egypt", SpeechKind::Order), since);
    sim.refuses(PAUSE, since);
    sim.refuses(RESUME, since);
    // The list, the seats and the notes carry on.
    sim.ok(add("France")).ok(seat("Holy See"));
    sim.ok(Command::Note {
        text: "Consultations on the draft #summary".into(),
    });
    let note = sim.state.notes.values().last().unwrap();
    assert_eq!(
        note.speech, None,
        "a note taken meanwhile is the suspension's"
    );
    sim.ok(Command::Extend { by: 30 });
}

#[test]
fn suspend_and_reconvene_refuse_what_does_not_fit() {
    let mut sim = Sim::new();
    sim.refuses(suspend(""), "not open yet");
    sim.refuses(RECONVENE, "not open yet");
    sim.ok(OPEN);
    sim.refuses(RECONVENE, "the meeting is not suspended");
    sim.at(60).ok(NEXT);
    sim.at(100);
    sim.refuses(
        Command::Suspend {
            reason: "".into(),
            at: Some(At::Ago(50)),
        },
        "is before the previous event",
    );
    sim.refuses(
        Command::Suspend {
            reason: "".into(),
            at: Some(At::TimeOfDay(time(15, 45, 0, 0))),
        },
        "in the future",
    );
    sim.refuses(suspend(&"x".repeat(201)), "the reason is too long");
    sim.ok(Command::Suspend {
        reason: "".into(),
        at: Some(At::Ago(20)),
    });
    assert_eq!(sim.state.suspended().unwrap().from, t0() + 80.seconds());
    sim.refuses(suspend("again"), "suspended already, since 15:31:20");
    sim.at(200);
    sim.refuses(
        Command::Reconvene {
            at: Some(At::Ago(150)),
        },
        "before the previous event",
    );
    sim.ok(Command::Reconvene {
        at: Some(At::Ago(20)),
    });
    sim.logged("reconvenes after 1m40s (at 15:33:00)");
    sim.ok(Command::Adjourn { at: None });
    sim.refuses(suspend(""), "adjourned");
    sim.refuses(RECONVENE, "adjourned");
}

#[test]
fn undo_takes_back_a_suspension_and_a_reconvening_as_one() {
    let mut sim = Sim::new();
    sim.ok(OPEN).ok(NEXT);
    let before = sim.state.floor().cloned();
    sim.at(60).ok(suspend("consultations"));
    sim.at(70).ok(Command::Undo);
    assert!(sim.state.suspended().is_none() && sim.state.suspensions.is_empty());
    assert_eq!(sim.state.floor().cloned(), before);
    assert_eq!(elapsed(&sim), 70, "the timer ran on");
    sim.ok(suspend("consultations"));
    let held = sim.state.floor().cloned();
    sim.at(100).ok(RECONVENE);
    sim.at(110).ok(Command::Undo);
    assert!(sim.state.suspended().is_some(), "suspended again");
    assert_eq!(sim.state.floor().cloned(), held);
    assert_eq!(elapsed(&sim), 70);
    // Another officer's inscription since stops the undo, saying who.
    sim.ok(RECONVENE);
    sim.run_as("ben", add("France")).unwrap();
    sim.refuses(Command::Undo, "ben changed");
}

#[test]
fn adjourning_while_suspended_ends_the_suspension_and_the_speech() {
    let mut sim = Sim::new();
    sim.ok(OPEN).ok(NEXT);
    sim.at(60).ok(suspend(""));
    sim.at(600).ok(Command::Adjourn { at: None });
    let s = &sim.state.suspensions[0];
    assert_eq!(s.to, Some(sim.now));
    let spoken = &sim.state.segment().spoken[0];
    assert_eq!(spoken.spoken_secs, 60);
    let p = clock::project(&sim.state, sim.now);
    assert_eq!(
        p.since_open,
        Some(60),
        "the meeting's time left the suspension out"
    );
}

#[test]
fn a_speech_ended_while_suspended_leaves_the_suspension_out() {
    let mut sim = Sim::new();
    sim.ok(OPEN).ok(NEXT);
    sim.at(45).ok(suspend(""));
    sim.at(300).ok(END);
    assert_eq!(sim.state.segment().spoken[0].spoken_secs, 45);
    sim.at(400).ok(RECONVENE);
    sim.logged("The meeting reconvenes after 5m55s");
    sim.ok(NEXT);
}

#[test]
fn the_clock_leaves_the_suspension_out_and_moves_the_projected_end_later() {
    let mut sim = Sim::new();
    sim.ok(OPEN).ok(NEXT);
    sim.at(60);
    let before = clock::project(&sim.state, sim.now);
    sim.ok(suspend(""));
    sim.at(960);
    let during = clock::project(&sim.state, sim.now);
    assert_eq!(during.since_open, Some(60));
    assert_eq!(during.suspended_secs, 900);
    assert_eq!(
        during.projected_end,
        before.projected_end + 900.seconds(),
        "later by the suspension so far"
    );
    sim.ok(RECONVENE).at(1020);
    let after = clock::project(&sim.state, sim.now);
    assert_eq!(after.since_open, Some(120));
}

fn with_lunch() -> Sim {
    let meeting = Meeting {
        breaks: vec![(time(16, 0, 0, 0), time(17, 0, 0, 0))],
        ..meeting(Ordering::Inscription)
    };
    Sim {
        state: State::new(Arc::new(meeting)),
        now: t0(),
        log: vec![],
    }
}

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

#[test]
fn a_scheduled_break_ahead_adds_its_length_when_the_list_runs_into_it() {
    let mut sim = with_lunch();
    sim.ok(OPEN);
    // Mali and the Secretary-General, 3m each: over by 15:36, before lunch.
    let p = clock::project(&sim.state, sim.now);
    assert_eq!(p.projected_end, at("2017-09-20T19:36:00Z"));
    sim.ok(Command::add(
        "France".into(),
        SpeechKind::Statement,
        Some(3600),
    ));
    // 66 minutes from 15:30: 30 before lunch, 36 after it.
    let p = clock::project(&sim.state, sim.now);
    assert_eq!(p.projected_end, at("2017-09-20T21:36:00Z"));
    assert_eq!(p.over_by, -24 * 60);
    // Suspended for lunch, the meeting picks up when the break ends.
    sim.at(40 * 60).ok(suspend("lunch"));
    let p = clock::project(&sim.state, sim.now);
    assert_eq!(p.projected_end, at("2017-09-20T22:06:00Z"));
    assert_eq!(
        p.limit_to_finish,
        Some(1200),
        "an hour to 18:00 for three speakers"
    );
}
