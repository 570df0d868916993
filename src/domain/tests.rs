//! decide/apply for every command and each refusal, on a small meeting built here
//! so that these tests depend on nothing but the domain.

use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::{date, time};

use super::command::Inscription;
use super::*;
use crate::text::Clean;

fn participant(id: &str, delegation: &str, representative: &str, level: Level) -> Participant {
    Participant {
        id: id.into(),
        delegation: delegation.into(),
        representative: representative.into(),
        title: Clean::default(),
        level,
        role: Role::Participant,
        category: Category::Member,
        language: None,
        aliases: vec![],
    }
}

fn meeting(ordering: Ordering) -> Meeting {
    Meeting {
        id: "test".into(),
        title: "Test meeting".into(),
        venue: "UNHQ".into(),
        room: "CR4".into(),
        date: date(2017, 9, 20),
        start: time(15, 30, 0, 0),
        end: time(18, 0, 0, 0),
        timezone: "America/New_York".into(),
        tz: jiff::tz::TimeZone::get("America/New_York").unwrap(),
        warn_before: 30,
        bell: false,
        summary_title: None,
        order_limit: 120,
        replies: Replies::default(),
        segments: vec![
            SegmentDef {
                id: "opening".into(),
                title: "Opening session".into(),
                speaking_limit: 180,
                limits: vec![],
                chairs: vec![],
                speakers: vec!["mali-president".into(), "sg".into()],
                ordering,
            },
            SegmentDef {
                id: "debate".into(),
                title: "Debate".into(),
                speaking_limit: 120,
                limits: vec![(Category::Observer, 60), (Category::Group, 300)],
                chairs: vec![],
                speakers: vec![],
                ordering,
            },
        ],
        roster: vec![
            participant(
                "mali-president",
                "Mali",
                "H.E. Mr. Ibrahim Boubacar Keïta",
                Level::HeadOfState,
            ),
            participant(
                "mali-fm",
                "Mali",
                "H.E. Mr. Abdoulaye Diop",
                Level::Minister,
            ),
            participant(
                "sg",
                "United Nations",
                "H.E. Mr. António Guterres",
                Level::HeadOfDelegation,
            ),
            Participant {
                language: Some(crate::domain::Language::parse("fr").unwrap()),
                ..participant(
                    "france",
                    "France",
                    "H.E. Mr. Jean-Yves Le Drian",
                    Level::Minister,
                )
            },
            participant("egypt", "Egypt", "", Level::HeadOfDelegation),
            participant("civ", "Côte d'Ivoire", "", Level::ViceMinister),
            Participant {
                role: Role::Observer,
                category: Category::Observer,
                ..participant("holy-see", "Holy See", "", Level::Observer)
            },
        ],
        seating: Seating {
            rows: 1,
            seats_per_row: 3,
            blocked: vec![SeatId { row: 0, seat: 2 }],
            per_delegation: 1,
        },
        breaks: vec![],
    }
}

/// 15:30 New York time on the meeting's day.
fn t0() -> Timestamp {
    "2017-09-20T19:30:00Z".parse().unwrap()
}

struct Sim {
    state: State,
    now: Timestamp,
    log: Vec<String>,
}

impl Sim {
    fn new() -> Sim {
        Sim::with(Ordering::Inscription)
    }

    fn with(ordering: Ordering) -> Sim {
        Sim {
            state: State::new(Arc::new(meeting(ordering))),
            now: t0(),
            log: vec![],
        }
    }

    fn at(&mut self, secs: i64) -> &mut Sim {
        self.now = t0() + jiff::SignedDuration::from_secs(secs);
        self
    }

    fn run_as(&mut self, by: &str, command: Command) -> Result<(), String> {
        let entries =
            decide_entries(&self.state, command, self.now, &Clean::new(by)).map_err(|r| r.0)?;
        for entry in entries {
            let done = apply_described(&mut self.state, entry).expect("decided events fit");
            self.log.push(done.line);
        }
        Ok(())
    }

    fn run(&mut self, command: Command) -> Result<(), String> {
        self.run_as("ana", command)
    }

    fn ok(&mut self, command: Command) -> &mut Sim {
        if let Err(why) = self.run(command.clone()) {
            panic!("{command:?} refused: {why}");
        }
        self
    }

    fn refused(&mut self, command: Command) -> String {
        let before = self.state.clone();
        let why = self
            .run(command.clone())
            .expect_err(&format!("{command:?} should be refused"));
        assert_eq!(self.state, before, "a refusal changes nothing");
        why
    }

    fn refuses(&mut self, command: Command, because: &str) -> &mut Sim {
        let why = self.refused(command.clone());
        assert!(
            why.contains(because),
            "{command:?} should be refused saying {because:?}, but the reason given is {why:?}"
        );
        self
    }

    fn logged(&mut self, words: &str) -> &mut Sim {
        let last = self.log.last().expect("something was logged");
        assert!(
            last.contains(words),
            "the last line logged should say {words:?}: {last:?}"
        );
        self
    }

    fn queue(&self) -> Vec<String> {
        self.state
            .segment()
            .queue
            .iter()
            .map(|l| l.speech.delegate.delegation.to_string())
            .collect()
    }

    fn holder(&self) -> Option<String> {
        self.state
            .floor()
            .map(|f| f.speech.delegate.delegation.to_string())
    }
}

fn add(who: &str) -> Command {
    Command::add(who.into(), SpeechKind::Statement, None)
}

fn seat(delegation: &str) -> Command {
    Command::Seat {
        delegation: delegation.into(),
        seat: None,
    }
}

fn seat_at(delegation: &str, seat: &str) -> Command {
    Command::Seat {
        delegation: delegation.into(),
        seat: SeatId::parse(seat),
    }
}

fn wait(delegation: &str) -> Command {
    Command::Wait {
        delegation: delegation.into(),
    }
}

fn unwait(delegation: &str) -> Command {
    Command::Unwait {
        delegation: delegation.into(),
    }
}

fn release(delegation: &str) -> Command {
    Command::Release(SeatOrDelegation::Delegation(delegation.into()))
}

fn add_kind(who: &str, kind: SpeechKind) -> Command {
    Command::add(who.into(), kind, None)
}

const OPEN: Command = Command::Open { at: None };
const NEXT: Command = Command::Next { at: None };
const END: Command = Command::End { at: None };
const PAUSE: Command = Command::Pause { at: None };
const RESUME: Command = Command::Resume { at: None };

#[test]
fn pre_inscribed_speakers_are_listed_before_opening() {
    let sim = Sim::new();
    assert_eq!(sim.queue(), ["Mali", "United Nations"]);
    assert_eq!(sim.state.phase, Phase::Scheduled);
}

#[test]
fn opening_twice_or_timing_before_opening_is_refused() {
    let mut sim = Sim::new();
    sim.refuses(NEXT, "not open yet");
    sim.ok(OPEN);
    assert_eq!(sim.state.opened_at, Some(t0()));
    sim.refuses(OPEN, "open already");
    sim.ok(Command::Adjourn { at: None });
    sim.refuses(OPEN, "adjourned");
    sim.refuses(add("France"), "adjourned");
}

#[test]
fn next_gives_the_floor_in_order_and_times_from_events() {
    let mut sim = Sim::new();
    sim.ok(OPEN).ok(NEXT);
    assert_eq!(sim.holder().as_deref(), Some("Mali"));
    sim.at(100);
    assert_eq!(sim.state.floor().unwrap().elapsed(sim.now), 100);
    sim.ok(NEXT);
    assert_eq!(sim.holder().as_deref(), Some("United Nations"));
    let spoken = &sim.state.segment().spoken[0];
    assert_eq!((spoken.spoken_secs, spoken.limit), (100, 180));
    assert!(sim.log[2].contains("Mali spoke 1m40s"), "{}", sim.log[2]);
    sim.at(150);
    sim.refuses(NEXT, "nobody else is listed");
    sim.ok(END);
    sim.refuses(NEXT, "nobody is listed");
    sim.refuses(END, "nobody has the floor");
}

#[test]
fn pause_and_resume_stop_the_timer() {
    let mut sim = Sim::new();
    sim.ok(OPEN).ok(NEXT);
    sim.at(30).ok(PAUSE);
    sim.refuses(PAUSE, "paused already");
    sim.at(90);
    assert_eq!(sim.state.floor().unwrap().elapsed(sim.now), 30);
    sim.ok(RESUME);
    sim.refuses(RESUME, "not paused");
    sim.at(100);
    let floor = sim.state.floor().unwrap();
    assert_eq!(
        (floor.elapsed(sim.now), floor.paused_total(sim.now)),
        (40, 60)
    );
    sim.ok(END);
    let spoken = &sim.state.segment().spoken[0];
    assert_eq!((spoken.spoken_secs, spoken.paused_secs), (40, 60));
}

#[test]
fn point_of_order_interrupts_and_gives_the_floor_back_paused() {
    let mut sim = Sim::new();
    sim.ok(OPEN).ok(NEXT);
    sim.at(50).ok(add_kind("Egypt", SpeechKind::Order));
    assert_eq!(sim.holder().as_deref(), Some("Egypt"));
    sim.logged("point of order");
    sim.refuses(NEXT, "give the floor back to Mali");
    sim.at(80).ok(END);
    assert_eq!(sim.holder().as_deref(), Some("Mali"));
    let floor = sim.state.floor().unwrap();
    assert!(
        floor.paused_since.is_some(),
        "the interrupted speaker comes back paused"
    );
    sim.at(90).ok(RESUME);
    sim.at(100);
    assert_eq!(sim.state.floor().unwrap().elapsed(sim.now), 60);
}

#[test]
fn point_of_order_needs_an_open_meeting() {
    let mut sim = Sim::new();
    sim.refuses(add_kind("Egypt", SpeechKind::Order), "not open");
}

#[test]
fn rights_of_reply_go_after_statements() {
    let mut sim = Sim::new();
    sim.ok(add_kind("Egypt", SpeechKind::Reply))
        .ok(add("France"));
    assert_eq!(sim.queue(), ["Mali", "United Nations", "France", "Egypt"]);
    sim.refuses(add("France"), "France is already listed, 3rd");
    sim.refuses(
        add_kind("Egypt", SpeechKind::Reply),
        "already listed for a right of reply, 4th",
    );
}

#[test]
fn protocol_order_puts_higher_levels_first_then_inscription() {
    let mut sim = Sim::with(Ordering::Protocol);
    assert_eq!(sim.queue(), ["Mali", "United Nations"]);
    sim.ok(add("Egypt"))
        .ok(add("cote d'ivoire"))
        .ok(add("France"));
    // Head of State, Minister (France), Vice-Minister (Côte d'Ivoire), heads of delegation by inscription.
    assert_eq!(
        sim.queue(),
        ["Mali", "France", "Côte d'Ivoire", "United Nations", "Egypt"]
    );
}

#[test]
fn names_resolve_by_representative_and_ambiguity_is_refused() {
    let mut sim = Sim::new();
    sim.ok(add("le drian"));
    assert_eq!(sim.queue().last().map(String::as_str), Some("France"));
    let why = sim.refused(add("mali"));
    assert!(
        why.contains("could be") && why.contains("Diop") && why.contains("Keïta"),
        "{why}"
    );
    sim.refuses(add("Atlantis"), "no one called \"Atlantis\"");
}

/// Two listed speakers exchange places in one event, said in one line and
/// undone as one.
#[test]
fn two_listed_speakers_exchange_places_and_the_undo_puts_them_back() {
    let mut sim = Sim::new();
    sim.ok(add("France")).ok(add("Egypt"));
    sim.ok(Command::Swap {
        who: "Mali".into(),
        with: "Egypt".into(),
    });
    assert_eq!(sim.queue(), ["Egypt", "United Nations", "France", "Mali"]);
    sim.logged("and Egypt exchanged places: 1st ↔ 4th");
    sim.refuses(
        Command::Swap {
            who: "France".into(),
            with: "France".into(),
        },
        "cannot exchange places with themselves",
    );
    sim.refuses(
        Command::Swap {
            who: "France".into(),
            with: "Algeria".into(),
        },
        "not on the list",
    );
    sim.ok(Command::Undo);
    assert_eq!(sim.queue(), ["Mali", "United Nations", "France", "Egypt"]);
}

/// Rights of reply as the meeting allows: the second gets the second limit
/// by itself, a third is refused saying why.
#[test]
fn a_delegation_has_two_replies_in_a_segment_the_second_shorter() {
    let mut sim = Sim::new();
    sim.ok(OPEN);
    let reply = || add_kind("Egypt", SpeechKind::Reply);
    sim.ok(reply());
    let limits: Vec<u32> = sim
        .state
        .segment()
        .queue
        .iter()
        .map(|l| l.speech.limit)
        .collect();
    assert_eq!(limits.last(), Some(&300), "the first reply: 5m");
    sim.ok(Command::Remove {
        who: "Egypt reply".into(),
    });
    sim.ok(reply());
    let limit = sim.state.segment().queue.last().map(|l| l.speech.limit);
    assert_eq!(limit, Some(300), "a removed reply was not had");
    while sim.state.segment().queue.len() > 1 {
        sim.ok(NEXT);
    }
    sim.ok(NEXT).ok(Command::End { at: None });
    sim.ok(reply());
    let limit = sim.state.segment().queue.last().map(|l| l.speech.limit);
    assert_eq!(limit, Some(180), "the second reply: 3m");
    sim.refuses(reply(), "has had its 2 rights of reply in this segment");
    sim.ok(NEXT).ok(Command::End { at: None });
    sim.refuses(reply(), "has had its 2 rights of reply in this segment");
}

/// In a segment that gives observers their own limit, an observer's
/// statement has it; others have the segment's; `limit` still overrides.
#[test]
fn a_statement_takes_its_categorys_limit_where_the_segment_gives_one() {
    let mut sim = Sim::new();
    sim.ok(OPEN).ok(Command::Segment(SegmentTarget::Next));
    sim.ok(add("Holy See")).ok(add("France"));
    sim.ok(Command::add(
        "Egypt".into(),
        SpeechKind::Statement,
        Some(90),
    ));
    let limits: Vec<u32> = sim
        .state
        .segment()
        .queue
        .iter()
        .map(|l| l.speech.limit)
        .collect();
    assert_eq!(limits, [60, 120, 90]);
}

fn inscribe(who: &str, how: impl FnOnce(&mut Inscription)) -> Command {
    let mut ins = Inscription {
        who: who.into(),
        ..Inscription::default()
    };
    how(&mut ins);
    Command::Add(ins)
}

fn names(list: &[&str]) -> Vec<Clean> {
    list.iter().map(|n| Clean::new(n)).collect()
}

/// A statement for a group, or a joint one, takes the group's limit and
/// is named so in the list and the log; its delegations are all credited.
#[test]
fn statements_for_a_group_and_joint_statements() {
    let mut sim = Sim::new();
    sim.ok(OPEN).ok(Command::Segment(SegmentTarget::Next));
    sim.ok(inscribe("Egypt", |i| {
        i.on_behalf_of = "the Arab Group".into()
    }))
    .logged("Egypt, on behalf of the Arab Group inscribed 1st (statement, limit 5m)");
    sim.ok(inscribe("Sweden", |i| {
        i.joint = names(&["Denmark", "finland", "Iceland", "Norway"]);
    }))
    .logged(
        "Sweden, with Denmark, Finland, Iceland and Norway inscribed 2nd (statement, limit 5m)",
    );
    sim.ok(inscribe("Holy See", |i| {
        i.on_behalf_of = "the observers".into();
        i.limit = Some(45);
    }));
    let queue = &sim.state.segment().queue;
    let limits: Vec<u32> = queue.iter().map(|l| l.speech.limit).collect();
    assert_eq!(limits, [300, 300, 45]);
    assert!(
        queue
            .iter()
            .all(|l| l.speech.category == Some(Category::Group))
    );
    let credited: Vec<&str> = queue[1].speech.credited().collect();
    assert_eq!(
        credited,
        ["Sweden", "Denmark", "Finland", "Iceland", "Norway"]
    );
    sim.ok(NEXT)
        .logged("Egypt, on behalf of the Arab Group takes the floor (limit 5m)");
}

#[test]
fn groups_and_joint_statements_refused() {
    let mut sim = Sim::new();
    sim.ok(OPEN);
    sim.refuses(
        inscribe("Egypt", |i| {
            i.kind = SpeechKind::Reply;
            i.on_behalf_of = "the Arab Group".into();
        }),
        "a right of reply is made by one delegation alone",
    )
    .refuses(
        inscribe("Sweden", |i| i.joint = names(&["Norway", "Sweden"])),
        "Sweden delivers the statement: name the others after with",
    )
    .refuses(
        inscribe("Sweden", |i| i.joint = names(&["Norway", "norway"])),
        "Norway is named twice after with",
    )
    .refuses(
        inscribe("Sweden", |i| i.joint = names(&["Narnia"])),
        "Narnia",
    )
    .refuses(
        inscribe("Egypt", |i| {
            i.on_behalf_of = "G".repeat(301).as_str().into()
        }),
        "the group is 301 characters long; a name is at most 300",
    )
    .refuses(
        inscribe("Peru", |i| {
            i.representative = "x".repeat(300_000).as_str().into()
        }),
        "the representative is 300000 characters long",
    )
    .refuses(
        inscribe("Organization", |i| {
            i.on_behalf_of = "Security and Co-operation in Europe".into();
        }),
        "a name with \"for\" or \"with\" in it goes in quotes",
    );
}

/// The roster's language unless the inscription says another; said in the log.
#[test]
fn a_statement_has_its_language_from_the_roster_or_the_inscription() {
    let mut sim = Sim::new();
    sim.ok(add("France"))
        .logged("inscribed 3rd (statement in French, limit 3m)");
    sim.ok(inscribe("Egypt", |i| {
        i.language = Some(Language::parse("ar").unwrap())
    }))
    .logged("Egypt inscribed 4th (statement in Arabic, limit 3m)");
    sim.ok(inscribe("mali-fm", |i| {
        i.kind = SpeechKind::Reply;
        i.language = Some(Language::parse("pt").unwrap());
    }))
    .logged("(right of reply in pt, limit 5m)");
    let languages: Vec<Option<&str>> = sim
        .state
        .segment()
        .queue
        .iter()
        .map(|l| l.speech.language.as_ref().map(Language::code))
        .collect();
    assert_eq!(languages, [None, None, Some("fr"), Some("ar"), Some("pt")]);
}

#[test]
fn move_remove_and_pass() {
    let mut sim = Sim::new();
    sim.ok(add("France"))
        .ok(add("Egypt"))
        .ok(add_kind("Côte d'Ivoire", SpeechKind::Reply));
    sim.ok(Command::Move {
        who: "Egypt".into(),
        to: Place::Top,
    });
    assert_eq!(
        sim.queue(),
        ["Egypt", "Mali", "United Nations", "France", "Côte d'Ivoire"]
    );
    sim.refuses(
        Command::Move {
            who: "Egypt".into(),
            to: Place::Up,
        },
        "first already",
    );
    sim.refuses(
        Command::Move {
            who: "Egypt".into(),
            to: Place::Position(9),
        },
        "from 1 to 5",
    );
    sim.ok(Command::Move {
        who: "Egypt".into(),
        to: Place::Position(3),
    });
    assert_eq!(sim.queue()[2], "Egypt");
    sim.ok(Command::Pass { who: "Mali".into() });
    assert_eq!(
        sim.queue(),
        ["United Nations", "Egypt", "France", "Mali", "Côte d'Ivoire"],
        "passed to the end of the statements"
    );
    sim.refuses(Command::Pass { who: "Mali".into() }, "passed once already");
    sim.ok(Command::Remove {
        who: "France".into(),
    });
    sim.refuses(
        Command::Remove {
            who: "France".into(),
        },
        "not on the list",
    );
}

#[test]
fn floor_to_someone_listed_or_not() {
    let mut sim = Sim::new();
    sim.ok(OPEN).ok(Command::Floor {
        who: "sg".into(),
        at: None,
    });
    assert_eq!(sim.holder().as_deref(), Some("United Nations"));
    assert_eq!(sim.queue(), ["Mali"]);
    sim.refuses(
        Command::Floor {
            who: "guterres".into(),
            at: None,
        },
        "has the floor already",
    );
    sim.ok(Command::Floor {
        who: "Brazil".into(),
        at: None,
    });
    assert_eq!(sim.holder().as_deref(), Some("Brazil"));
}

#[test]
fn closed_list_refuses_statements_but_not_replies() {
    let mut sim = Sim::new();
    sim.ok(Command::CloseList);
    sim.refuses(Command::CloseList, "closed already");
    sim.refuses(add("France"), "closed");
    sim.ok(add_kind("France", SpeechKind::Reply));
    sim.ok(Command::ReopenList).ok(add("Egypt"));
    sim.refuses(Command::ReopenList, "open already");
}

#[test]
fn extend_raises_the_limit() {
    let mut sim = Sim::new();
    sim.ok(OPEN).ok(NEXT).ok(Command::Extend { by: 60 });
    assert_eq!(sim.state.floor().unwrap().limit(), 240);
    sim.logged("extended by 1m to 4m");
}

#[test]
fn at_corrections_are_never_in_the_future_nor_before_the_speech() {
    let mut sim = Sim::new();
    sim.at(10).ok(Command::Open {
        at: Some(At::Ago(10)),
    });
    assert_eq!(sim.state.opened_at, Some(t0()));
    sim.at(60).ok(NEXT);
    sim.at(100);
    sim.refuses(
        Command::End {
            at: Some(At::Ago(50)),
        },
        "before the previous event",
    );
    sim.refuses(
        Command::End {
            at: Some(At::TimeOfDay(time(15, 45, 0, 0))),
        },
        "in the future",
    );
    sim.ok(Command::Next {
        at: Some(At::TimeOfDay(time(15, 31, 30, 0))),
    });
    assert_eq!(sim.state.segment().spoken[0].spoken_secs, 30);
    sim.logged("(at 15:31:30)");
}

#[test]
fn segments_move_on_only_when_the_floor_is_free() {
    let mut sim = Sim::new();
    sim.ok(OPEN).ok(NEXT);
    sim.refuses(Command::Segment(SegmentTarget::Next), "still has the floor");
    sim.ok(END).ok(Command::Segment(SegmentTarget::Next));
    assert_eq!(sim.state.segment_def().id.as_str(), "debate");
    sim.refuses(Command::Segment(SegmentTarget::Next), "last segment");
    sim.refuses(
        Command::Segment(SegmentTarget::Id("nope".into())),
        "opening, debate",
    );
    sim.refuses(
        Command::Segment(SegmentTarget::Id("debate".into())),
        "current segment already",
    );
    sim.ok(add("France"));
    assert_eq!(
        sim.state.segment().queue[0].speech.limit,
        120,
        "the segment's own limit"
    );
}

#[test]
fn adjourn_ends_the_speech_holding_the_floor() {
    let mut sim = Sim::new();
    sim.ok(OPEN).ok(NEXT);
    sim.at(42).ok(Command::Adjourn { at: None });
    assert_eq!(sim.state.phase, Phase::Adjourned);
    assert_eq!(sim.state.segment().spoken[0].spoken_secs, 42);
    assert!(sim.state.floor().is_none());
}

#[test]
fn seats_fill_then_the_waitlist_is_served_in_order() {
    let mut sim = Sim::new();
    sim.ok(seat("Brazil"));
    sim.refuses(seat("Brazil"), "Brazil holds A1 already");
    sim.refuses(wait("Chile"), "there are free seats");
    sim.refuses(seat_at("Chile", "A3"), "blocked");
    sim.refuses(seat_at("Chile", "A1"), "taken by Brazil");
    sim.refuses(seat_at("Chile", "B1"), "no seat B1");
    sim.ok(seat("Chile"));
    sim.refuses(
        seat("Peru"),
        "no observer seats free: put Peru on the waitlist",
    );
    sim.ok(wait("Peru")).ok(wait("Holy See"));
    sim.refuses(seat("Holy See"), "Holy See is 2nd on the waitlist");
    sim.refuses(wait("Peru"), "1st on the waitlist already");
    sim.ok(release("Brazil")).logged("offered to Peru");
    sim.refuses(seat("Holy See"), "offered first to the waitlist: Peru");
    sim.ok(seat("Peru"));
    assert_eq!(sim.state.seats.waitlist, vec![Clean::new("Holy See")]);
    sim.ok(unwait("holy see"));
    assert!(sim.state.seats.waitlist.is_empty());
    sim.refuses(unwait("holy see"), "not on the waitlist");
    let a1 = SeatId::parse("A1").unwrap();
    sim.ok(Command::Release(SeatOrDelegation::Seat(a1)));
    sim.refuses(Command::Release(SeatOrDelegation::Seat(a1)), "free already");
}

#[test]
fn blocking_seats() {
    let mut sim = Sim::new();
    let a1 = SeatId::parse("A1").unwrap();
    sim.ok(Command::Block(a1));
    sim.refuses(Command::Block(a1), "blocked already");
    sim.refuses(seat_at("Peru", "A1"), "blocked");
    sim.ok(Command::Unblock(a1)).ok(seat_at("Peru", "A1"));
    sim.refuses(Command::Block(a1), "release it first");
    sim.refuses(
        Command::Unblock(SeatId::parse("A2").unwrap()),
        "not blocked",
    );
}

#[test]
fn notes_link_to_the_floor_and_keep_their_history() {
    let mut sim = Sim::new();
    sim.ok(OPEN).ok(NEXT);
    sim.ok(Command::Note {
        text: "Calls for #Summary of timelines #action".into(),
    });
    let note = &sim.state.notes[&1];
    assert_eq!(note.speaker.as_ref().unwrap().delegation.as_str(), "Mali");
    assert_eq!(
        note.current().tags,
        vec![Clean::new("summary"), Clean::new("action")]
    );
    sim.ok(Command::Amend {
        note: 1,
        text: "Calls for timelines #decision".into(),
    });
    assert_eq!(sim.state.notes[&1].versions.len(), 2);
    sim.refuses(
        Command::Amend {
            note: 1,
            text: "Calls for timelines #decision".into(),
        },
        "already",
    );
    sim.ok(Command::Retract { note: 1 });
    sim.refuses(Command::Retract { note: 1 }, "retracted");
    sim.refuses(
        Command::Amend {
            note: 7,
            text: "x".into(),
        },
        "no note 7",
    );
    sim.refuses(Command::Note { text: "".into() }, "empty");
    let long = "x".repeat(MAX_NOTE_CHARS + 1);
    sim.refuses(
        Command::Note {
            text: long.as_str().into(),
        },
        "too long",
    );
}

/// A journal line with a note longer than gavel lets anyone write was not
/// written by gavel: replay stops on it rather than take it in.
#[test]
fn a_note_longer_than_decide_allows_does_not_fit_on_replay() {
    let mut sim = Sim::new();
    sim.ok(OPEN).ok(Command::Note {
        text: "first".into(),
    });
    let long = Clean::new(&"x".repeat(MAX_NOTE_CHARS + 1));
    let note = Command::Note {
        text: "short".into(),
    };
    let amend = Command::Amend {
        note: 1,
        text: "shorter".into(),
    };
    for command in [note, amend] {
        let by = Clean::new("ana");
        let mut entries = decide_entries(&sim.state, command.clone(), sim.now, &by).unwrap();
        match (&command, &mut entries[0].event) {
            (Command::Note { .. }, Event::Noted { text, .. })
            | (Command::Amend { .. }, Event::Amended { text, .. }) => *text = long.clone(),
            (_, event) => panic!("{command:?} gave {event:?}"),
        }
        let e = apply(&mut sim.state.clone(), &entries[0]).unwrap_err();
        assert!(e.reason.contains("more than the 16000"), "{command:?}: {e}");
    }
}

#[test]
fn undo_reverts_the_operators_own_last_action_only() {
    let mut sim = Sim::new();
    sim.ok(OPEN).ok(NEXT);
    sim.at(20).ok(NEXT);
    assert_eq!(sim.holder().as_deref(), Some("United Nations"));
    sim.at(25).ok(Command::Undo);
    assert_eq!(
        sim.holder().as_deref(),
        Some("Mali"),
        "an accidental next is undone"
    );
    assert_eq!(sim.queue(), ["Mali", "United Nations"][1..]);
    assert_eq!(
        sim.state.floor().unwrap().elapsed(sim.now),
        25,
        "Mali's time ran on"
    );
    assert!(sim.state.segment().spoken.is_empty());
    // Someone else changes the list: ana's earlier action can no longer be undone.
    sim.run_as("ben", add("France")).unwrap();
    sim.refuses(Command::Undo, "ben changed the list of speakers");
    sim.run_as("ben", Command::Undo).unwrap();
    assert_eq!(sim.queue(), ["United Nations"]);
    assert!(
        sim.run_as("ben", Command::Undo)
            .unwrap_err()
            .contains("nothing left to undo")
    );
    sim.ok(Command::Undo);
    assert!(sim.holder().is_none(), "then the first next is undone too");
    sim.ok(Command::Undo);
    assert_eq!(sim.state.phase, Phase::Scheduled);
}

#[test]
fn undo_of_seats_and_notes() {
    let mut sim = Sim::new();
    sim.ok(seat("Peru")).ok(Command::Note {
        text: "hello".into(),
    });
    sim.ok(Command::Undo);
    assert!(sim.state.notes.is_empty());
    sim.ok(Command::Undo);
    assert!(sim.state.seats.occupied.is_empty());
    sim.ok(Command::Note {
        text: "again".into(),
    });
    assert_eq!(
        sim.state.notes.keys().copied().collect::<Vec<_>>(),
        [2],
        "note numbers are never reused"
    );
}

#[test]
fn session_log_lines_read_well() {
    let mut sim = Sim::new();
    sim.ok(OPEN).ok(NEXT);
    assert_eq!(
        sim.log[1],
        "15:30:00 #0002 floor  Mali — H.E. Mr. Ibrahim Boubacar Keïta takes the floor (limit 3m) · ana"
    );
}

#[test]
fn projection_counts_the_floor_and_everyone_listed() {
    let mut sim = Sim::new();
    sim.ok(OPEN).ok(NEXT);
    sim.at(60);
    let p = clock::project(&sim.state, sim.now);
    assert!(!p.schedule.rehearsal);
    assert_eq!((p.floor_left, p.listed, p.listed_secs), (120, 1, 180));
    assert_eq!(p.since_open, Some(60));
    assert_eq!(p.left_to_end, 150 * 60 - 60);
    assert_eq!(
        p.projected_end,
        sim.now + jiff::SignedDuration::from_secs(300)
    );
    assert!(p.over_by < 0 && p.limit_to_finish.is_none());
    // Late in the day the same list overruns, and the clock says what limit would end on time.
    sim.at(150 * 60 - 100);
    let p = clock::project(&sim.state, sim.now);
    assert_eq!(p.floor_left, 0);
    assert_eq!(p.over_by, 80);
    assert_eq!(p.limit_to_finish, Some(100));
}

#[test]
fn rehearsal_applies_the_schedule_to_today() {
    let sim = Sim::new();
    let later: Timestamp = "2026-12-01T15:00:00Z".parse().unwrap();
    let s = clock::schedule(&sim.state.meeting, later);
    assert!(s.rehearsal);
    assert_eq!(
        s.start,
        "2026-12-01T20:30:00Z".parse::<Timestamp>().unwrap()
    );
}

#[test]
fn a_meeting_read_after_its_day_keeps_its_own_days_schedule() {
    let mut sim = Sim::new();
    sim.ok(OPEN);
    let days_later: Timestamp = "2026-12-01T15:00:00Z".parse().unwrap();
    let p = clock::project(&sim.state, days_later);
    assert!(!p.schedule.rehearsal);
    assert_eq!(p.schedule.day, sim.state.meeting.date);
}

#[test]
fn undoing_a_change_of_segment_never_erases_what_others_did_there() {
    let mut sim = Sim::new();
    sim.ok(OPEN).ok(Command::Segment(SegmentTarget::Next));
    sim.run_as("ben", add("France")).unwrap();
    sim.run_as("ben", NEXT).unwrap();
    sim.refuses(
        Command::Undo,
        "ben changed the list of speakers or the floor",
    );
    assert_eq!(sim.holder().as_deref(), Some("France"));
}

#[test]
fn corrections_cannot_reach_into_a_point_of_order_or_before_the_last_speech() {
    let mut sim = Sim::new();
    sim.ok(OPEN).ok(NEXT);
    sim.at(60).ok(add_kind("Egypt", SpeechKind::Order));
    sim.at(180).ok(END);
    sim.at(200);
    sim.refuses(
        Command::Resume {
            at: Some(At::Ago(130)),
        },
        "before the previous event",
    );
    sim.ok(RESUME).at(260).ok(END);
    sim.at(300);
    sim.refuses(
        Command::Next {
            at: Some(At::Ago(100)),
        },
        "before the previous event",
    );
}

#[test]
fn statements_stay_before_a_reply_moved_up_by_hand() {
    let mut sim = Sim::new();
    sim.ok(add("France"))
        .ok(add_kind("Egypt", SpeechKind::Reply));
    sim.ok(Command::Move {
        who: "Egypt".into(),
        to: Place::Top,
    });
    sim.ok(add("cote d'ivoire"));
    assert_eq!(
        sim.queue(),
        ["Egypt", "Mali", "United Nations", "France", "Côte d'Ivoire"]
    );
}

#[test]
fn a_second_listing_is_named_by_its_kind() {
    let mut sim = Sim::new();
    sim.ok(add("France"))
        .ok(add_kind("France", SpeechKind::Reply));
    sim.ok(Command::Remove {
        who: "France reply".into(),
    });
    assert_eq!(sim.queue(), ["Mali", "United Nations", "France"]);
    sim.refuses(
        Command::Remove {
            who: "France reply".into(),
        },
        "not listed for a right of reply",
    );
}

#[test]
fn a_name_means_whoever_is_on_the_list_not_the_floor() {
    let mut sim = Sim::new();
    sim.ok(add("mali-fm")).ok(OPEN).ok(NEXT);
    assert_eq!(
        sim.holder().as_deref(),
        Some("Mali"),
        "the President holds the floor"
    );
    sim.ok(Command::Pass { who: "mali".into() });
    assert_eq!(
        sim.queue().last().map(String::as_str),
        Some("Mali"),
        "Diop, listed, was passed"
    );
}

#[test]
fn list_changes_stop_at_adjournment() {
    let mut sim = Sim::new();
    sim.ok(OPEN).ok(Command::Adjourn { at: None });
    sim.refuses(Command::Remove { who: "sg".into() }, "adjourned");
}

#[test]
fn speeches_from_the_meeting_file_are_numbered_apart_from_the_journals() {
    let mut sim = Sim::new();
    sim.ok(add("France"));
    let journal_id = sim.state.segment().queue.last().unwrap().speech.id;
    assert_eq!(journal_id, 1, "the journal's own numbering starts at 1");
    let file_ids: Vec<u32> = sim.state.segment().queue[..2]
        .iter()
        .map(|l| l.speech.id)
        .collect();
    assert!(file_ids.iter().all(|id| *id >= 1 << 30));
}

#[test]
fn a_waitlisted_delegation_takes_the_seat_offered_to_it() {
    let mut sim = Sim::new();
    sim.ok(seat("Brazil")).ok(seat("Chile")).ok(wait("Peru"));
    sim.ok(wait("Nepal"));
    sim.ok(release("Chile"));
    sim.ok(release("Brazil"));
    // A2 was offered to Peru first, then A1 to Nepal: Nepal seated first still gets A1.
    sim.ok(seat("Nepal"));
    assert_eq!(
        sim.state
            .seats
            .occupied
            .get(&SeatId::parse("A1").unwrap())
            .map(|d| d.as_str()),
        Some("Nepal")
    );
}

/// Offers as they stand, seat by seat: `A1 Nepal`.
fn offers(sim: &Sim) -> Vec<String> {
    sim.state
        .offers()
        .into_iter()
        .map(|(seat, to)| format!("{seat} {to}"))
        .collect()
}

#[test]
fn an_offer_once_announced_stays_with_its_delegation() {
    let mut sim = Sim::new();
    sim.ok(seat("Brazil")).ok(seat("Chile"));
    sim.ok(wait("Peru")).ok(wait("Nepal"));
    sim.ok(release("Chile"))
        .logged("Seat A2 freed (Chile); offered to Peru");
    assert_eq!(offers(&sim), ["A2 Peru"]);
    sim.ok(Command::Release(SeatOrDelegation::Seat(
        SeatId::parse("A1").unwrap(),
    )))
    .logged("offered to Nepal, 2nd on the waitlist");
    assert_eq!(offers(&sim), ["A1 Nepal", "A2 Peru"], "Peru keeps A2");
    sim.refuses(seat_at("Peru", "A1"), "A1 is offered to Nepal");
    sim.ok(seat("Peru"));
    assert_eq!(
        sim.state.seats.occupied.get(&SeatId::parse("A2").unwrap()),
        Some(&Clean::new("Peru"))
    );
    assert_eq!(offers(&sim), ["A1 Nepal"]);
}

#[test]
fn an_offer_is_withdrawn_when_its_delegation_leaves_or_its_seat_is_blocked() {
    let mut sim = Sim::new();
    let a1 = SeatId::parse("A1").unwrap();
    let a2 = SeatId::parse("A2").unwrap();
    sim.ok(seat("Brazil")).ok(seat("Chile"));
    sim.ok(wait("Peru")).ok(wait("Nepal"));
    sim.ok(Command::Release(SeatOrDelegation::Seat(a1)));
    assert_eq!(offers(&sim), ["A1 Peru"]);
    sim.ok(unwait("Peru"))
        .logged("Peru leaves the waitlist; A1 offered to Nepal, 1st on the waitlist");
    assert_eq!(offers(&sim), ["A1 Nepal"]);
    // Blocking the seat withdraws the offer; Nepal keeps its place and gets the next seat.
    sim.ok(Command::Block(a1))
        .logged("Seat A1 blocked; the offer of A1 to Nepal is withdrawn");
    assert!(offers(&sim).is_empty());
    sim.ok(Command::Release(SeatOrDelegation::Seat(a2)));
    assert_eq!(offers(&sim), ["A2 Nepal"]);
    sim.ok(Command::Unblock(a1));
    assert_eq!(offers(&sim), ["A2 Nepal"], "nobody else waits");
    // Undo puts the seats back as they were, offers included.
    sim.ok(Command::Undo);
    sim.ok(Command::Undo)
        .logged("the offer of A2 to Nepal is withdrawn");
    assert!(offers(&sim).is_empty());
    sim.ok(Command::Undo);
    assert_eq!(offers(&sim), ["A1 Nepal"]);
    sim.logged("A1 offered to Nepal, 1st on the waitlist");
}

#[test]
fn participants_do_not_take_observer_seats() {
    let mut sim = Sim::new();
    sim.refuses(seat("France"), "takes part in the meeting");
    // Nor wait for one: the seat offered would be held for good.
    sim.ok(seat("Brazil")).ok(seat("Chile"));
    sim.refuses(wait("France"), "takes part in the meeting");
}

#[test]
fn extensions_stop_at_an_hour_in_all() {
    let mut sim = Sim::new();
    sim.ok(OPEN).ok(NEXT).ok(Command::Extend { by: 3000 });
    sim.refuses(Command::Extend { by: 900 }, "extensions stop at 1h");
}

#[test]
fn a_command_stamped_before_anothers_event_takes_effect_after_it() {
    let mut sim = Sim::new();
    sim.ok(OPEN).at(5).ok(NEXT).at(70).ok(NEXT);
    // Ben pressed pause at 60 s; his command reached the journal after ana's next.
    sim.at(60);
    sim.run_as("ben", PAUSE).unwrap();
    let floor = sim.state.floor().unwrap();
    assert_eq!(
        floor.paused_since,
        Some(t0() + jiff::SignedDuration::from_secs(70))
    );
    sim.at(90);
    assert_eq!(
        sim.state.floor().unwrap().elapsed(sim.now),
        0,
        "paused the moment it started"
    );
}

/// Undo keeps a segment lazily, as the way to take the action back, and
/// copies it only once another officer changes it. Whatever the journal
/// holds, even undos that `decide` would refuse (a hand-edited journal),
/// the state must be the one that whole copies give.
#[test]
fn lazy_undo_gives_what_whole_copies_give() {
    use super::apply::apply_keeping;
    use super::command::{Place, SeatOrDelegation};
    use super::undo::Keep;

    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config/mali-ministerial-2017.toml");
    let seed = Arc::new(
        crate::config::load(&path)
            .expect("the seed meeting")
            .meeting,
    );
    let names = [
        "France", "China", "Egypt", "le drian", "ibk", "Sweden", "Japan", "Chad", "Niger",
    ];
    let observers = ["Brazil", "Holy See", "Mexico", "Norway", "Denmark", "Chile"];
    let ops = [Clean::new("ana"), Clean::new("ben"), Clean::new("chloe")];
    let public = |s: &State| {
        format!(
            "{:?}",
            (
                (s.seq, s.phase, s.opened_at, s.adjourned_at, s.current),
                (&s.segments, &s.seats, &s.notes),
                (s.next_speech, s.next_note, &s.last_action),
                &s.suspensions,
                ops.iter()
                    .map(|o| s.undoable(o.as_str()))
                    .collect::<Vec<_>>(),
            )
        )
    };
    let mut rng: u64 = 0x2017_0920;
    let mut roll = |n: u64| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng % n
    };
    let mut forced = 0;
    for _round in 0..24 {
        let mut lazy = State::new(seed.clone());
        let mut copies = State::new(seed.clone());
        let mut now = t0();
        for _ in 0..400 {
            now += jiff::SignedDuration::from_secs(5);
            let by = &ops[roll(3) as usize];
            let who = Clean::new(names[roll(names.len() as u64) as usize]);
            let command = match roll(25) {
                0 => Command::Open { at: None },
                1 | 2 => Command::add(who, SpeechKind::Statement, None),
                3 => Command::add(
                    who,
                    [SpeechKind::Reply, SpeechKind::Order][roll(2) as usize],
                    None,
                ),
                4 | 5 => Command::Next { at: None },
                6 => Command::Floor { who, at: None },
                7 => Command::Pause { at: None },
                8 => Command::Resume { at: None },
                9 => Command::End { at: None },
                10 => Command::Extend { by: 30 },
                11 => Command::Move {
                    who,
                    to: [Place::Up, Place::Down, Place::Top, Place::Bottom][roll(4) as usize],
                },
                12 => Command::Pass { who },
                13 => Command::Remove { who },
                14 => [Command::CloseList, Command::ReopenList][roll(2) as usize].clone(),
                15 => Command::Segment(SegmentTarget::Next),
                16 => Command::Seat {
                    delegation: Clean::new(observers[roll(6) as usize]),
                    seat: None,
                },
                17 => Command::Release(SeatOrDelegation::Delegation(Clean::new(
                    observers[roll(6) as usize],
                ))),
                18 => Command::Note {
                    text: Clean::new("a note #summary"),
                },
                19 => Command::Swap {
                    who,
                    with: Clean::new(names[roll(names.len() as u64) as usize]),
                },
                20 => Command::Suspend {
                    reason: Clean::new("consultations"),
                    at: None,
                },
                21 => Command::Reconvene { at: None },
                _ => Command::Undo,
            };
            let entries = match decide_entries(&lazy, command.clone(), now, by) {
                Ok(entries) => entries,
                // What a hand-edited journal may hold: the undo of an
                // officer's last action although someone changed it since.
                Err(_) if command == Command::Undo => match lazy.undoable(by.as_str()) {
                    Some((seq, _)) => {
                        forced += 1;
                        vec![Entry {
                            v: VERSION,
                            seq: lazy.seq + 1,
                            at: now,
                            by: by.clone(),
                            event: Event::Undone { seq },
                        }]
                    }
                    None => continue,
                },
                Err(_) => continue,
            };
            for entry in entries {
                apply_keeping(&mut lazy, &entry, Keep::Lazily).expect("applies");
                apply_keeping(&mut copies, &entry, Keep::Copies).expect("applies");
                assert_eq!(public(&lazy), public(&copies), "after {entry:?}");
            }
        }
    }
    assert!(forced > 50, "only {forced} undos past others' changes");
}

// --- attendance ---

fn present(who: &str) -> Command {
    Command::Present {
        who: who.into(),
        by: None,
        at: None,
    }
}

fn present_by(who: &str, by: &str) -> Command {
    Command::Present {
        who: who.into(),
        by: Some(by.into()),
        at: None,
    }
}

fn absent(who: &str) -> Command {
    Command::Absent {
        who: who.into(),
        at: None,
    }
}

/// Each delegation recorded, as `delegation representative present since left`
/// with times as seconds after 15:30.
fn attendance(sim: &Sim) -> Vec<String> {
    let secs =
        |t: Option<Timestamp>| t.map_or("-".to_string(), |t| (t - t0()).as_secs().to_string());
    sim.state
        .attendance
        .iter()
        .map(|a| {
            format!(
                "{}|{}|{}|{}|{}",
                a.delegation(),
                a.representative,
                if a.present { "in" } else { "out" },
                secs(a.since),
                secs(a.left)
            )
        })
        .collect()
}

#[test]
fn present_records_the_delegation_its_representative_and_the_time() {
    let mut sim = Sim::new();
    // Before the opening: delegations arrive before the gavel falls.
    sim.at(-300).ok(present("france"));
    sim.logged("15:25:00 #0001 present France is present, represented by H.E. Mr. Jean-Yves Le Drian · ana");
    // A Member State not on the roster, as `add` resolves it.
    sim.at(-200).ok(present("drc"));
    sim.logged("Democratic Republic of the Congo is present ·");
    // `mali` fits two of the roster, one delegation: its head represents it.
    sim.at(-100).ok(present("mali"));
    assert_eq!(
        attendance(&sim),
        [
            "France|H.E. Mr. Jean-Yves Le Drian|in|-300|-",
            "Democratic Republic of the Congo||in|-200|-",
            "Mali|H.E. Mr. Ibrahim Boubacar Keïta|in|-100|-",
        ]
    );
    assert_eq!(
        sim.state.attendance[2].delegate.key.as_str(),
        "mali-president"
    );
}

#[test]
fn present_again_with_another_representative_changes_it_once() {
    let mut sim = Sim::new();
    sim.at(0).ok(present("mali"));
    sim.at(60).ok(present_by("mali", "Mr. Deputy"));
    sim.logged(
        "Mali is now represented by Mr. Deputy (was H.E. Mr. Ibrahim Boubacar Keïta), present since 15:30:00",
    );
    assert_eq!(attendance(&sim), ["Mali|Mr. Deputy|in|0|-"]);
    // A name that singles out one of the roster makes them the representative.
    sim.at(90).ok(present("diop"));
    assert_eq!(attendance(&sim), ["Mali|H.E. Mr. Abdoulaye Diop|in|0|-"]);
    assert_eq!(sim.state.attendance[0].delegate.key.as_str(), "mali-fm");
    assert_eq!(sim.state.seq, 3, "one event each");
}

#[test]
fn attendance_refusals() {
    let mut sim = Sim::new();
    sim.refuses(present("atlantis"), "no one called \"atlantis\"");
    sim.refuses(present("guin"), "could be");
    sim.at(120).ok(present("france"));
    sim.at(200).refuses(
        present("france"),
        "France is already recorded present since 15:32:00, represented by H.E. Mr. Jean-Yves Le Drian",
    );
    sim.refuses(
        present("le drian"),
        "already recorded present since 15:32:00",
    );
    sim.refuses(
        present_by("france", "H.E. Mr. Jean-Yves Le Drian"),
        "already recorded present",
    );
    // Nothing new typed keeps a deputy recorded: it is no change.
    sim.ok(present_by("mali", "Mr. Deputy"));
    sim.refuses(
        present("mali"),
        "Mali is already recorded present since 15:33:20, represented by Mr. Deputy",
    );
    sim.at(300).ok(absent("france"));
    sim.refuses(
        absent("france"),
        "France is already recorded absent since 15:35:00",
    );
    sim.refuses(absent("nowhere land"), "no one called");
    sim.refuses(
        Command::Present {
            who: "france".into(),
            by: None,
            at: Some(At::TimeOfDay(time(15, 34, 0, 0))),
        },
        "15:34:00 is before the last record of France's attendance, at 15:35:00",
    );
    sim.refuses(
        Command::Absent {
            who: "egypt".into(),
            at: Some(At::TimeOfDay(time(17, 0, 0, 0))),
        },
        "17:00:00 is in the future",
    );
    sim.ok(OPEN).ok(Command::Adjourn { at: None });
    sim.refuses(present("egypt"), "the meeting is adjourned");
    sim.refuses(absent("mali"), "the meeting is adjourned");
}

/// Absent for one never recorded present is taken: regrets are worth a line.
#[test]
fn absent_records_who_left_and_who_sent_regrets() {
    let mut sim = Sim::new();
    sim.at(0).ok(absent("egypt"));
    sim.logged("Egypt is absent: not recorded present");
    assert!(sim.state.attendance[0].sent_regrets());
    sim.at(60).ok(present("france"));
    sim.at(600).ok(absent("france"));
    sim.logged("France has left (present since 15:31:00)");
    assert_eq!(
        attendance(&sim),
        [
            "Egypt||out|-|0",
            "France|H.E. Mr. Jean-Yves Le Drian|out|60|600"
        ]
    );
    // Back again: present from the new time, no longer marked as having left.
    sim.at(900).ok(present("france"));
    sim.logged("France is present again, represented by");
    assert_eq!(
        attendance(&sim)[1],
        "France|H.E. Mr. Jean-Yves Le Drian|in|900|-"
    );
    assert!(super::attendance::is_present(&sim.state, "France"));
    assert!(!super::attendance::is_present(&sim.state, "Egypt"));
}

#[test]
fn a_late_record_takes_effect_at_the_time_given() {
    let mut sim = Sim::new();
    sim.at(300).ok(Command::Present {
        who: "egypt".into(),
        by: Some("Mr. Sameh Shoukry".into()),
        at: Some(At::TimeOfDay(time(15, 32, 0, 0))),
    });
    sim.logged(
        "15:35:00 #0001 present Egypt is present (at 15:32:00), represented by Mr. Sameh Shoukry",
    );
    assert_eq!(attendance(&sim), ["Egypt|Mr. Sameh Shoukry|in|120|-"]);
    match &sim.state.last_action {
        Some(a) => assert_eq!(a.event, "present"),
        None => panic!("an action"),
    }
}

#[test]
fn undo_takes_an_attendance_record_back_whole() {
    let mut sim = Sim::new();
    sim.at(0).ok(present("france"));
    sim.at(10).ok(present_by("france", "Mr. Deputy"));
    sim.ok(Command::Undo);
    assert_eq!(
        attendance(&sim),
        ["France|H.E. Mr. Jean-Yves Le Drian|in|0|-"]
    );
    sim.at(20).ok(absent("france")).ok(Command::Undo);
    assert_eq!(
        attendance(&sim),
        ["France|H.E. Mr. Jean-Yves Le Drian|in|0|-"]
    );
    // Another officer's record since stops the undo, saying whose.
    sim.run_as("ben", present("egypt")).unwrap();
    sim.refuses(Command::Undo, "ben changed the attendance since");
    sim.run_as("ben", Command::Undo).unwrap();
    sim.ok(Command::Undo);
    assert!(sim.state.attendance.is_empty());
}

#[test]
fn attendance_events_read_back_from_the_journal() {
    let mut sim = Sim::new();
    sim.at(0)
        .ok(present_by("mali", "Mr. Deputy"))
        .ok(absent("egypt"));
    let state = sim.state.clone();
    let lines: Vec<String> = {
        let mut replay = Sim::new();
        let mut out = Vec::new();
        for command in [present_by("mali", "Mr. Deputy"), absent("egypt")] {
            let entries = decide_entries(&replay.state, command, t0(), &Clean::new("ana")).unwrap();
            for e in entries {
                out.push(serde_json::to_string(&e).unwrap());
                apply(&mut replay.state, &e).unwrap();
            }
        }
        out
    };
    assert!(
        lines[0].contains(r#""type":"present","delegate":{"key":"mali-president""#),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains(r#""by":"Mr. Deputy""#));
    assert!(
        !lines[1].contains("effective"),
        "no correction, no field: {}",
        lines[1]
    );
    let mut replayed = State::new(state.meeting.clone());
    for line in &lines {
        let entry: Entry = serde_json::from_str(line).unwrap();
        apply(&mut replayed, &entry).unwrap();
    }
    assert_eq!(replayed.attendance, state.attendance);
}
// Suspension of the meeting (issue 13, item 6).
mod suspension;

// --- inscriptions from a list received ---

fn row(line: u32, who: &str, how: impl FnOnce(&mut Inscription)) -> ImportRow {
    let mut inscription = Inscription {
        who: who.into(),
        ..Inscription::default()
    };
    how(&mut inscription);
    ImportRow {
        place: format!("list.csv:{line}"),
        inscription,
    }
}

/// Each row is one inscription by the importing officer, judged on the list
/// as the rows before it leave it; the representative a list gives picks
/// among a delegation's people on the roster, or names one it does not have.
#[test]
fn a_list_received_is_inscribed_row_by_row() {
    let mut sim = Sim::new();
    sim.ok(Command::Import(vec![
        row(2, "Mali", |i| {
            i.representative = "H.E. Mr. Abdoulaye Diop".into()
        }),
        row(3, "Egypt", |i| {
            i.representative = "Mr. Ahmed Example".into();
            i.title = "Deputy Permanent Representative".into();
            i.on_behalf_of = "the Arab Group".into();
        }),
        row(4, "Peru", |i| i.kind = SpeechKind::Reply),
    ]));
    assert_eq!(sim.log.len(), 3, "one event a row: {:?}", sim.log);
    assert!(sim.log[0].contains("Mali — H.E. Mr. Abdoulaye Diop inscribed 3rd"));
    let queue = &sim.state.segment().queue;
    assert_eq!(queue[2].speech.delegate.key.as_str(), "mali-fm");
    assert_eq!(
        queue[3].speech.delegate.title.as_str(),
        "Deputy Permanent Representative"
    );
    assert_eq!(queue[3].speech.category, Some(Category::Group));
    assert_eq!(queue[4].speech.kind, SpeechKind::Reply);
    // Each is its officer's own action, undone one at a time.
    sim.ok(Command::Undo);
    assert_eq!(sim.queue().len(), 4);
}

/// One bad row and nothing is inscribed; every bad row is named by its line.
#[test]
fn a_list_with_a_bad_row_inscribes_nothing() {
    let mut sim = Sim::new();
    sim.ok(add("France"));
    let why = sim.refused(Command::Import(vec![
        row(2, "Egypt", |_| {}),
        row(3, "Narnia", |_| {}),
        row(4, "France", |_| {}),
        row(5, "egypt", |_| {}),
        row(6, "Peru", |i| i.kind = SpeechKind::Order),
    ]));
    let lines: Vec<&str> = why.lines().collect();
    assert_eq!(
        lines[0],
        "nothing was inscribed, as 4 of the list's rows are refused:"
    );
    assert!(
        lines[1].starts_with("list.csv:3: no one called \"Narnia\""),
        "{why}"
    );
    assert_eq!(lines[2], "list.csv:4: France is already listed, 3rd");
    assert_eq!(lines[3], "list.csv:5: Egypt is already listed, 4th");
    assert!(
        lines[4].starts_with("list.csv:6: a point of order is raised in the room"),
        "{why}"
    );
    sim.refuses(Command::Import(vec![]), "the list has no rows");
}
