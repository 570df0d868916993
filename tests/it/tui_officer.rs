//! What an officer trips over in a long meeting, at the controller: a
//! question asked only about what would be done, and saying what it costs;
//! a cursor that stays on its speaker; hints and a status line that say
//! what is true where the officer is.

use std::sync::Arc;

use gavel::domain::{
    Described, Meeting, Ordering, State, apply_described, decide_entries, execute,
};
use gavel::text::Clean;
use gavel::tui::app::{App, Effect};
use gavel::tui::draw;
use gavel::tui::keys::Key;
use gavel::tui::message::Update;
use gavel::tui::terminal::{Screen, Test};
use gavel::tui::theme::Theme;
use gavel::tui::view::{Overlay, Pane, Tone, Ui};

use crate::support::{at_clock as at, seed as seed_meeting};

fn seed() -> Meeting {
    (*seed_meeting()).clone()
}

/// `meeting` after `script`, each line a command at a time of day by an officer.
fn after(meeting: Meeting, script: &[(&str, &str, &str)]) -> State {
    let mut state = State::new(Arc::new(meeting));
    for (time, by, command) in script {
        let command = gavel::lang::parse(command).unwrap();
        execute(&mut state, command, at(time), &Clean::new(by)).unwrap();
    }
    state
}

/// The controller of officer ana on `state`, its keys handled at `now`.
fn ana(state: State, now: &str) -> App {
    let mut app = App::new(state, Ui::new(Clean::new("ana"), false), Theme::PLAIN);
    app.at(at(now));
    app
}

/// What another officer's command did, as the journal's thread reports it.
fn by_ben(app: &App, command: &str, now: &str) -> Update {
    let mut state = app.state.clone();
    let command = gavel::lang::parse(command).unwrap();
    let entries = decide_entries(&state, command, at(now), &Clean::new("ben")).unwrap();
    let described: Vec<Described> = entries
        .into_iter()
        .map(|e| apply_described(&mut state, e).unwrap())
        .collect();
    Update::Others(described)
}

fn screen(app: &App, width: u16, height: u16, now: &str) -> String {
    let mut screen = Test::new(width, height);
    screen
        .frame(&mut |frame| draw::screen(frame, app, at(now)))
        .unwrap();
    format!("{}", screen.terminal.backend())
}

fn question(app: &App) -> Option<String> {
    match &app.ui.overlay {
        Some(Overlay::Confirm(confirm)) => Some(confirm.question.clone()),
        _ => None,
    }
}

const OPENED: [(&str, &str, &str); 3] = [
    ("15:30:00", "ana", "open"),
    ("15:30:10", "ana", "next"),
    ("15:33:00", "ana", "end"),
];

#[test]
fn moving_on_or_adjourning_with_speakers_listed_says_how_many_first() {
    let mut app = ana(after(seed(), &OPENED), "15:34:00");
    app.key(Key::Char('S'));
    assert_eq!(
        question(&app).as_deref(),
        Some("Move on to Co-chaired session? 6 still listed will not be heard")
    );
    assert_eq!(
        app.key(Key::Char('y')),
        [Effect::Execute(gavel::domain::Command::Segment(
            gavel::domain::SegmentTarget::Next
        ))]
    );
    app.key(Key::Char('A'));
    assert_eq!(
        question(&app).as_deref(),
        Some("Adjourn the meeting? 6 still listed will not be heard")
    );
}

/// `S` while someone holds the floor, `b` on a taken seat, `u` after
/// another officer changed what it would undo: said at once, no question.
#[test]
fn what_would_be_refused_is_said_before_any_question() {
    let mut script = OPENED.to_vec();
    script.push(("15:33:10", "ana", "next"));
    script.push(("15:33:20", "ana", "seat brazil A1"));
    let mut app = ana(after(seed(), &script), "15:34:00");

    app.key(Key::Char('S'));
    assert_eq!(question(&app), None, "nothing to ask about");
    let said = app.ui.notice.as_ref().expect("the refusal is said");
    assert_eq!(said.tone, Tone::Refused);
    assert!(said.text.contains("still has the floor"), "{}", said.text);

    app.ui.focus = Pane::Seats;
    app.key(Key::Char('b'));
    assert_eq!(question(&app), None);
    assert!(app.ui.notice.is_some(), "blocking a taken seat is refused");

    let update = by_ben(&app, "release A1", "15:33:40");
    app.update(update);
    app.key(Key::Char('u'));
    assert_eq!(question(&app), None, "the seat ana took was released since");
    assert_eq!(app.ui.notice.as_ref().map(|n| n.tone), Some(Tone::Refused));
}

/// Another officer moves someone above the selected speaker: the cursor
/// moves with its speaker, so Enter gives the floor to whom it showed.
#[test]
fn the_cursor_stays_on_its_speaker_when_the_list_changes() {
    let mut app = ana(after(seed(), &OPENED), "15:34:00");
    app.key(Key::Char('j'));
    app.key(Key::Char('j'));
    let listed = |app: &App| -> Vec<String> {
        let queue = &app.state.segment().queue;
        queue
            .iter()
            .map(|l| l.speech.delegate.delegation.to_string())
            .collect()
    };
    let selected = listed(&app)[app.ui.queue_cursor].clone();
    let last = listed(&app).last().unwrap().clone();
    let update = by_ben(&app, &format!("move \"{last}\" top"), "15:34:10");
    app.update(update);
    assert_eq!(listed(&app)[app.ui.queue_cursor], selected);
    assert_eq!(app.ui.queue_cursor, 3);

    // Once the selected speaker has left the list, the cursor goes back to the top.
    let update = by_ben(&app, &format!("remove \"{selected}\""), "15:34:20");
    app.update(update);
    assert_eq!(app.ui.queue_cursor, 0);
}

#[test]
fn hints_name_the_key_that_works_where_the_officer_is() {
    let mut app = ana(State::new(Arc::new(seed())), "15:20:00");
    assert!(screen(&app, 80, 24, "15:20:00").contains("No notes yet — :note to write one"));
    app.ui.focus = Pane::Notes;
    assert!(screen(&app, 80, 24, "15:20:00").contains("No notes yet — i to write one"));
}

/// The officer's own last action does not repeat the name the status line
/// already shows; another officer's names them.
#[test]
fn the_status_line_names_the_officer_once() {
    let mut app = ana(State::new(Arc::new(seed())), "15:30:00");
    let update = by_ben(&app, "open", "15:30:00");
    app.update(update);
    let status = |app: &App| {
        screen(app, 100, 30, "15:30:05")
            .lines()
            .rev()
            .nth(1)
            .unwrap()
            .to_string()
    };
    assert!(
        status(&app).contains("· ana · ben 15:30:00 #0001"),
        "{}",
        status(&app)
    );
    let mut state = app.state.clone();
    let entries = decide_entries(
        &state,
        gavel::lang::parse("next").unwrap(),
        at("15:30:10"),
        &Clean::new("ana"),
    )
    .unwrap();
    let ours: Vec<Described> = entries
        .into_iter()
        .map(|e| apply_described(&mut state, e).unwrap())
        .collect();
    app.update(Update::Others(ours));
    let line = status(&app);
    assert_eq!(line.matches("ana").count(), 1, "{line}");
}

/// A segment in protocol order shows each speaker's level beside them.
#[test]
fn a_list_in_protocol_order_shows_why_it_is_in_that_order() {
    let mut meeting = seed();
    meeting.segments[0].ordering = Ordering::Protocol;
    let app = ana(State::new(Arc::new(meeting)), "15:20:00");
    let text = screen(&app, 100, 30, "15:20:00");
    assert!(text.contains("HoS"), "{text}");
    assert!(text.contains("Min   3:00"), "{text}");
}

/// After adjournment the list left is what it is: those not heard.
#[test]
fn after_adjournment_the_list_left_is_titled_not_heard() {
    let mut script = OPENED.to_vec();
    script.push(("15:34:00", "ana", "adjourn"));
    let app = ana(after(seed(), &script), "15:35:00");
    let text = screen(&app, 100, 30, "15:35:00");
    assert!(text.contains("Inscribed, not heard: 6"), "{text}");
}

// --- attendance ---

/// `i` searches and records present, `I` absent; `v` shows who is present
/// and a key that acts on the selected speaker brings the list back first.
#[test]
fn attendance_keys_record_by_search_and_show_who_is_present() {
    use gavel::domain::Command;
    let mut app = ana(after(seed(), &OPENED), "15:34:00");
    app.key(Key::Char('i'));
    for c in "le drian".chars() {
        app.key(Key::Char(c));
    }
    assert!(screen(&app, 80, 24, "15:34:00").contains("Record present"));
    assert_eq!(
        app.key(Key::Enter),
        [Effect::Execute(Command::Present {
            who: Clean::new("france"),
            by: None,
            at: None
        })]
    );
    let mut app = ana(after(seed(), &OPENED), "15:34:00");
    app.key(Key::Char('I'));
    for c in "egypt".chars() {
        app.key(Key::Char(c));
    }
    assert_eq!(
        app.key(Key::Enter),
        [Effect::Execute(Command::Absent {
            who: Clean::new("egypt"),
            at: None
        })]
    );
    let mut script = OPENED.to_vec();
    script.push(("15:33:10", "ben", "present france"));
    let mut app = ana(after(seed(), &script), "15:34:00");
    assert!(screen(&app, 80, 24, "15:34:00").contains("away"));
    app.key(Key::Char('v'));
    assert!(app.ui.attendance_view);
    let shown = screen(&app, 80, 24, "15:34:00");
    assert!(shown.contains("Present: 1"), "{shown}");
    assert!(shown.contains("France"), "{shown}");
    assert_eq!(app.key(Key::Char('d')), []);
    assert!(
        !app.ui.attendance_view,
        "the list is back before acting on it"
    );
    app.key(Key::Char('v'));
    app.key(Key::Char('v'));
    assert!(!app.ui.attendance_view);
}
