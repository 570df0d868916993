//! Offers of free seats to the waitlist, over random sequences of seat
//! commands on a map of six seats: after every step the session log's words,
//! `state --json`'s `seats.offers` and the seats pane say the same offers, and
//! an offer never passes from one delegation to another while it stands.

use std::collections::BTreeMap;
use std::sync::Arc;

use gavel::domain::{
    Command, Event, Meeting, SeatId, SeatOrDelegation, Seating, State, apply_described,
    decide_entries,
};
use gavel::text::Clean;
use gavel::tui::panes;
use gavel::tui::theme::Theme;
use gavel::tui::view::{Pane, Ui, View};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::support::{self, scheduled_start};

/// Seat → delegation, as each view tells it.
type Offers = BTreeMap<String, String>;

const OBSERVERS: &[&str] = &[
    "Brazil", "Chile", "Peru", "Nepal", "Fiji", "Oman", "Cuba", "Ghana", "Kenya", "Malta",
];
const ROWS: u16 = 2;
const PER_ROW: u16 = 3;

/// The seed meeting with a map of two rows of three, nothing blocked.
fn meeting(per_delegation: u16) -> Arc<Meeting> {
    let mut meeting = gavel::config::load(support::seed_path())
        .expect("the seed loads")
        .meeting;
    meeting.seating = Seating {
        rows: ROWS,
        seats_per_row: PER_ROW,
        blocked: vec![],
        per_delegation,
    };
    Arc::new(meeting)
}

fn seat() -> impl Strategy<Value = SeatId> {
    (0..ROWS, 0..PER_ROW).prop_map(|(row, seat)| SeatId { row, seat })
}

fn observer() -> impl Strategy<Value = Clean> {
    prop::sample::select(OBSERVERS).prop_map(Clean::new)
}

fn command() -> impl Strategy<Value = Command> {
    prop_oneof![
        3 => (observer(), prop::option::of(seat()))
            .prop_map(|(delegation, seat)| Command::Seat { delegation, seat }),
        2 => seat().prop_map(|s| Command::Release(SeatOrDelegation::Seat(s))),
        2 => observer().prop_map(|d| Command::Release(SeatOrDelegation::Delegation(d))),
        3 => observer().prop_map(|delegation| Command::Wait { delegation }),
        1 => observer().prop_map(|delegation| Command::Unwait { delegation }),
        1 => seat().prop_map(Command::Block),
        1 => seat().prop_map(Command::Unblock),
        2 => Just(Command::Undo),
    ]
}

fn offers_of(state: &State) -> Offers {
    state
        .offers()
        .into_iter()
        .map(|(s, d)| (s.to_string(), d.to_string()))
        .collect()
}

/// `state --json`'s `seats.offers`.
fn reported(state: &State) -> Offers {
    let json = serde_json::to_value(gavel::status::of(state, scheduled_start())).unwrap();
    json["seats"]["offers"]
        .as_array()
        .expect("offers is a list")
        .iter()
        .map(|o| {
            let field = |k: &str| o[k].as_str().expect("a string").to_string();
            (field("seat"), field("delegation"))
        })
        .collect()
}

/// The pane's rows as text, without the border.
fn pane_rows(state: &State, cursor: SeatId) -> Vec<String> {
    let mut ui = Ui::new(Clean::new("ana"), false);
    ui.focus = Pane::Seats;
    ui.seat_cursor = cursor;
    let view = View {
        state,
        keys: &gavel::tui::keymap::Keymap::default(),
        ui: &ui,
        now: scheduled_start(),
        theme: Theme::PLAIN,
    };
    let mut terminal = Terminal::new(TestBackend::new(40, 14)).unwrap();
    terminal
        .draw(|frame| panes::seats::draw(frame, frame.area(), &view))
        .unwrap();
    let buffer = terminal.backend().buffer();
    let w = usize::from(buffer.area.width);
    buffer
        .content
        .chunks(w)
        .map(|row| {
            let inner = &row[1..w - 1];
            inner.iter().map(|c| c.symbol()).collect::<String>()
        })
        .collect()
}

/// What the seats pane draws: the `○` of each offered seat on the map, and
/// to whom, read from the words under the map with the cursor on that seat.
fn drawn(state: &State) -> Offers {
    let mut offers = Offers::new();
    for id in state.meeting.seating.all() {
        let rows = pane_rows(state, id);
        let letter = &id.to_string()[..1];
        let map_row = rows
            .iter()
            .find(|r| r.starts_with(&format!("{letter} ")))
            .unwrap_or_else(|| panic!("row {letter} not drawn:\n{}", rows.join("\n")));
        // Two columns of label, then three a seat with the glyph in the middle.
        let glyph = map_row
            .chars()
            .nth(2 + 3 * usize::from(id.seat) + 1)
            .expect("a glyph");
        let told = format!("{id} free, offered to ");
        let words = rows
            .iter()
            .find_map(|r| r.strip_prefix(&told).map(|to| to.trim_end().to_string()));
        match (glyph, words) {
            ('○', Some(to)) => {
                offers.insert(id.to_string(), to);
            }
            ('○', None) | (_, Some(_)) => {
                panic!(
                    "{id}: glyph {glyph:?} and words disagree:\n{}",
                    rows.join("\n")
                )
            }
            _ => {}
        }
    }
    offers
}

/// The session-log line's text, between the verb and the operator.
fn text_of(line: &str) -> &str {
    let after_seq = line.splitn(3, ' ').nth(2).expect("time, seq, then verb");
    let text = after_seq.split_once(' ').expect("a verb").1.trim_start();
    text.rsplit_once(" · ").expect("the operator").0
}

/// Folds what one line says about offers into the offers it had said so far.
fn told(offers: &mut Offers, line: &str) {
    let mut parts = text_of(line).split("; ");
    let first = parts.next().expect("a first part");
    let freed = first
        .strip_prefix("Seat ")
        .and_then(|rest| rest.split_once(" freed"))
        .map(|(seat, _)| seat.to_string());
    if let Some((_, rest)) = first.split_once(" seated at ") {
        let seat = rest.split([' ', ',']).next().expect("a seat");
        offers.remove(seat);
    }
    for part in parts {
        if let Some(rest) = part.strip_prefix("the offer of ") {
            let (seat, rest) = rest.split_once(" to ").expect("the offer of S to D");
            let to = rest.strip_suffix(" is withdrawn").expect("is withdrawn");
            assert_eq!(
                offers.remove(seat).as_deref(),
                Some(to),
                "{line}: withdrawn but never offered"
            );
            continue;
        }
        let (seat, rest) = match part.strip_prefix("offered to ") {
            Some(rest) => (freed.clone().expect("offered: the seat freed"), rest),
            None => {
                let (seat, rest) = part
                    .split_once(" offered to ")
                    .unwrap_or_else(|| panic!("{line}: {part:?} says nothing of offers"));
                (seat.to_string(), rest)
            }
        };
        let to = rest.split(", ").next().expect("a delegation");
        offers.insert(seat, to.to_string());
    }
}

/// Whether `seat` can be offered: on the map, neither taken nor blocked.
fn free(state: &State, seat: &str) -> bool {
    let id = SeatId::parse(seat).expect("a seat");
    !state.seats.occupied.contains_key(&id) && !state.seats.blocked.contains(&id)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn every_view_tells_the_same_offers_and_none_changes_hands(
        per_delegation in 1u16..=2,
        steps in prop::collection::vec((command(), prop::bool::weighted(0.2)), 1..50),
    ) {
        let operators = [Clean::new("ana"), Clean::new("ben")];
        // Every seat taken first, so that most steps find a waitlist to offer to.
        let full = OBSERVERS[..6].iter().map(|d| {
            let command = Command::Seat { delegation: Clean::new(d), seat: None };
            (command, false)
        });
        let steps: Vec<(Command, bool)> = full.chain(steps).collect();
        let mut state = State::new(meeting(per_delegation));
        let mut announced = Offers::new();
        // The offers as they stood before each event, for its undo.
        let mut before_seq: BTreeMap<u64, Offers> = BTreeMap::new();
        for (command, ben) in steps {
            let by = &operators[usize::from(ben)];
            let Ok(entries) = decide_entries(&state, command, scheduled_start(), by) else {
                continue;
            };
            for entry in entries {
                let before = offers_of(&state);
                let done = apply_described(&mut state, entry).expect("a decided event applies");
                let (entry, line) = (done.entry, done.line);
                before_seq.insert(entry.seq, before.clone());
                told(&mut announced, &line);
                let now_offered = offers_of(&state);
                prop_assert_eq!(&announced, &now_offered, "the log's words after {}", line);
                prop_assert_eq!(&reported(&state), &now_offered, "state --json after {}", line);
                prop_assert_eq!(&drawn(&state), &now_offered, "the seats pane after {}", line);
                match entry.event {
                    // Undo puts the seats back as they were before the action.
                    Event::Undone { seq } => {
                        prop_assert_eq!(&now_offered, &before_seq[&seq], "{}", line);
                    }
                    _ => {
                        for (seat, to) in &before {
                            let stands = state.seats.waiting_position(to).is_some()
                                && free(&state, seat);
                            if stands {
                                prop_assert_eq!(
                                    now_offered.get(seat),
                                    Some(to),
                                    "{} was offered {} and lost it: {}",
                                    to,
                                    seat,
                                    line
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}
