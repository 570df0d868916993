//! For random command sequences on the seed meeting (with a small seat map,
//! so the waitlist and its offers come into play), by several operators, the
//! state replayed from the journal equals the state built live, and replaying
//! twice gives the same state.

use std::path::Path;
use std::sync::Arc;

use gavel::domain::{
    At, Command, ImportRow, Inscription, Language, Place, SeatId, SeatOrDelegation, SegmentTarget,
    SpeechKind, State,
};
use gavel::journal::Mode;
use gavel::live::{Live, LiveError};
use gavel::text::Clean;
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;

use crate::support;

const NAMES: &[&str] = &[
    "France", "China", "mali", "Egypt", "Brazil", "le drian", "Holy See", "Sweden", "drc", "Japan",
];

fn name() -> impl Strategy<Value = Clean> {
    prop::sample::select(NAMES).prop_map(Clean::new)
}

/// Delegations that may sit in the observer seats, more than there are seats.
const OBSERVERS: &[&str] = &[
    "Brazil", "Holy See", "Peru", "Nepal", "Fiji", "Oman", "Chile",
];

fn observer() -> impl Strategy<Value = Clean> {
    prop_oneof![
        3 => prop::sample::select(OBSERVERS).prop_map(Clean::new),
        1 => name(),
    ]
}

/// `add` with its clauses: on behalf of a group, jointly, in a language.
fn inscription() -> impl Strategy<Value = Inscription> {
    let group = prop::option::of(prop::sample::select(vec!["the Arab Group", "the EU"]));
    let language = prop::option::of(prop::sample::select(vec!["fr", "ar", "pt"]));
    (name(), group, prop::collection::vec(name(), 0..3), language).prop_map(
        |(who, group, joint, language)| Inscription {
            who,
            on_behalf_of: group.map(Clean::new).unwrap_or_default(),
            joint,
            language: language.and_then(|l| Language::parse(l).ok()),
            ..Inscription::default()
        },
    )
}

/// A list received: a few rows, some of which may be refused, so that the
/// whole list is.
fn import() -> impl Strategy<Value = Command> {
    prop::collection::vec(inscription(), 1..4).prop_map(|rows| {
        Command::Import(
            rows.into_iter()
                .enumerate()
                .map(|(n, inscription)| ImportRow {
                    place: format!("list.csv:{}", n + 2),
                    inscription,
                })
                .collect(),
        )
    })
}

fn seat() -> impl Strategy<Value = SeatId> {
    (0u16..5, 0u16..11).prop_map(|(row, seat)| SeatId { row, seat })
}

fn optional_at() -> impl Strategy<Value = Option<At>> {
    prop_oneof![4 => Just(None), 1 => (0u32..90).prop_map(|s| Some(At::Ago(s)))]
}

fn command() -> impl Strategy<Value = Command> {
    let kind = prop::sample::select(vec![
        SpeechKind::Statement,
        SpeechKind::Reply,
        SpeechKind::Order,
    ]);
    let place = prop_oneof![
        Just(Place::Up),
        Just(Place::Down),
        Just(Place::Top),
        Just(Place::Bottom),
        (0usize..12).prop_map(Place::Position)
    ];
    prop_oneof![
        optional_at().prop_map(|at| Command::Open { at }),
        optional_at().prop_map(|at| Command::Adjourn { at }),
        Just(Command::Segment(SegmentTarget::Next)),
        Just(Command::Segment(SegmentTarget::Id("opening".into()))),
        (name(), kind, prop::option::of(30u32..300))
            .prop_map(|(who, kind, limit)| Command::add(who, kind, limit)),
        inscription().prop_map(Command::Add),
        import(),
        optional_at().prop_map(|at| Command::Next { at }),
        optional_at().prop_map(|at| Command::Next { at }),
        (name(), optional_at()).prop_map(|(who, at)| Command::Floor { who, at }),
        optional_at().prop_map(|at| Command::Pause { at }),
        optional_at().prop_map(|at| Command::Resume { at }),
        optional_at().prop_map(|at| Command::End { at }),
        (1u32..120).prop_map(|by| Command::Extend { by }),
        (name(), place).prop_map(|(who, to)| Command::Move { who, to }),
        name().prop_map(|who| Command::Remove { who }),
        (name(), name()).prop_map(|(who, with)| Command::Swap { who, with }),
        name().prop_map(|who| Command::Pass { who }),
        Just(Command::CloseList),
        Just(Command::ReopenList),
        (observer(), prop::option::of(seat()))
            .prop_map(|(delegation, seat)| Command::Seat { delegation, seat }),
        (observer(), prop::option::of(seat()))
            .prop_map(|(delegation, seat)| Command::Seat { delegation, seat }),
        observer().prop_map(|d| Command::Release(SeatOrDelegation::Delegation(d))),
        seat().prop_map(|s| Command::Release(SeatOrDelegation::Seat(s))),
        observer().prop_map(|delegation| Command::Wait { delegation }),
        observer().prop_map(|delegation| Command::Unwait { delegation }),
        seat().prop_map(Command::Block),
        seat().prop_map(Command::Unblock),
        "[a-z #]{1,30}".prop_map(|t| Command::Note {
            text: Clean::new(&t)
        }),
        (1u32..6, "[a-z #]{1,30}").prop_map(|(note, t)| Command::Amend {
            note,
            text: Clean::new(&t)
        }),
        (1u32..6).prop_map(|note| Command::Retract { note }),
        // --- attendance ---
        (name(), prop::option::of(representative()), optional_at())
            .prop_map(|(who, by, at)| Command::Present { who, by, at }),
        (name(), optional_at()).prop_map(|(who, at)| Command::Absent { who, at }),
        // --- end attendance ---
        Just(Command::Undo),
        Just(Command::Undo),
        // Suspension of the meeting (issue 13, item 6).
        ("[a-z ]{0,12}", optional_at()).prop_map(|(reason, at)| Command::Suspend {
            reason: Clean::new(&reason),
            at
        }),
        optional_at().prop_map(|at| Command::Reconvene { at }),
    ]
}

/// Who represents a delegation, when `by` names someone: a few, so that the
/// same one comes again and is refused as no change.
fn representative() -> impl Strategy<Value = Clean> {
    prop::sample::select(vec![
        "Mr. Deputy",
        "Ms. Chargée d'affaires",
        "H.E. Mr. Jean-Yves Le Drian",
    ])
    .prop_map(Clean::new)
}

/// The seed meeting with five observer seats, so that the seats fill, the
/// waitlist forms and its offers come and go within a case.
fn seed_with_five_seats() -> Arc<gavel::domain::Meeting> {
    let mut meeting = gavel::config::load(support::seed_path())
        .expect("the seed meeting loads")
        .meeting;
    meeting.seating = gavel::domain::Seating {
        rows: 2,
        seats_per_row: 3,
        blocked: vec![SeatId { row: 1, seat: 2 }],
        per_delegation: 1,
    };
    Arc::new(meeting)
}

fn replayed(meeting: &Arc<gavel::domain::Meeting>, dir: &Path) -> State {
    Live::open(meeting.clone(), dir, Mode::ReadOnly)
        .expect("replay")
        .state
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn replay_equals_live(steps in prop::collection::vec((command(), 0u8..3, 0i64..200), 1..60)) {
        let meeting = seed_with_five_seats();
        let dir = tempfile::tempdir().unwrap();
        let mut live = Live::open(meeting.clone(), dir.path(), Mode::ReadWrite).unwrap();
        let mut now: Timestamp = "2017-09-20T19:25:00Z".parse().unwrap();
        let operators = [Clean::new("ana"), Clean::new("ben"), Clean::new("chloe")];
        let mut done = 0;
        for (command, who, wait) in steps {
            now += SignedDuration::from_secs(wait);
            match live.execute(command, &operators[usize::from(who)], now).ours {
                Ok(ours) => done += ours.len(),
                Err(LiveError::Refused(_)) => {}
                Err(other) => panic!("{other}"),
            }
        }
        prop_assert_eq!(live.state.seq as usize, done);
        let first = replayed(&meeting, dir.path());
        prop_assert_eq!(&first, &live.state);
        prop_assert_eq!(&replayed(&meeting, dir.path()), &first);
        keys_sorted(dir.path());
        prop_assert_eq!(&replayed(&meeting, dir.path()), &first);
    }
}

/// One database for every case of the PostgreSQL property, a meeting key of
/// its own for each case.
fn pg_place() -> gavel::store::Place {
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU32, Ordering};
    static URL: OnceLock<String> = OnceLock::new();
    static CASE: AtomicU32 = AtomicU32::new(0);
    let url = URL.get_or_init(|| {
        let url = crate::support::pg::database();
        let mut client = gavel::store::postgres::connect(&url).unwrap();
        gavel::store::migrate::init(&mut client).unwrap();
        url
    });
    gavel::store::Place {
        url: url.clone(),
        meeting: format!("case-{}", CASE.fetch_add(1, Ordering::Relaxed)),
    }
}

proptest! {
    // Fewer cases than the file's: each command is a committed transaction.
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// The same property on a journal in PostgreSQL: every event of the
    /// mix goes through `jsonb` and back, and replays to the live state.
    #[test]
    fn replay_equals_live_on_postgresql(steps in prop::collection::vec((command(), 0u8..3, 0i64..200), 1..60)) {
        let meeting = seed_with_five_seats();
        let dir = tempfile::tempdir().unwrap();
        let place = pg_place();
        let open = |mode| Live::open_postgres(meeting.clone(), place.clone(), "h".into(), dir.path(), mode, false).unwrap();
        let mut live = open(Mode::ReadWrite);
        let mut now: Timestamp = "2017-09-20T19:25:00Z".parse().unwrap();
        let operators = [Clean::new("ana"), Clean::new("ben"), Clean::new("chloe")];
        let mut done = 0;
        for (command, who, wait) in steps {
            now += SignedDuration::from_secs(wait);
            match live.execute(command, &operators[usize::from(who)], now).ours {
                Ok(ours) => done += ours.len(),
                Err(LiveError::Refused(_)) => {}
                Err(other) => panic!("{other}"),
            }
        }
        prop_assert_eq!(live.state.seq as usize, done);
        let first = open(Mode::ReadOnly).state;
        prop_assert_eq!(&first, &live.state);
        prop_assert_eq!(&open(Mode::ReadOnly).state, &first);
    }
}

/// Rewrites the journal with every object's keys in alphabetical order, as a
/// hand edit might leave it: `v` is no longer first, nor an event's `type`,
/// so each line is read the slow way, and must read the same.
fn keys_sorted(dir: &Path) {
    let path = dir.join(gavel::journal::JOURNAL_FILE);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return;
    };
    let mut sorted = String::new();
    for line in text.lines() {
        let value: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        sorted.push_str(&serde_json::to_string(&value).expect("JSON"));
        sorted.push('\n');
    }
    assert!(text.is_empty() || !sorted.starts_with("{\"v\""));
    std::fs::write(&path, sorted).expect("the journal rewritten");
}
