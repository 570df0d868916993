//! The whole screen as an officer sees it, at 80×24 and 160×48, drawn with an
//! injected clock from a meeting in progress: snapshots of the text.

use std::path::Path;
use std::sync::Arc;

use gavel::domain::{Meeting, State, execute};
use gavel::text::Clean;
use gavel::tui::app::App;
use gavel::tui::keys::Key;
use gavel::tui::layout;
use gavel::tui::terminal::{Screen, Test};
use gavel::tui::theme::Theme;
use gavel::tui::ui::{Pane, Ui};
use jiff::{SignedDuration, Timestamp};

fn seed() -> Arc<Meeting> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/mali-ministerial-2017.toml");
    Arc::new(gavel::config::load(&path).unwrap().meeting)
}

fn at(clock: &str) -> Timestamp {
    format!("2017-09-20T{clock}-04:00").parse().unwrap()
}

/// The seed meeting at 15:41:20: Le Drian interrupted by Egypt's point of
/// order, seats full with a waitlist, a few notes.
fn meeting_in_progress() -> State {
    let mut state = State::new(seed());
    let script = [
        ("15:10:00", "ben", "seat brazil"),
        ("15:10:10", "ben", "seat chile"),
        ("15:30:05", "ana", "open at 15:30:00"),
        ("15:30:10", "ana", "next"),
        ("15:33:05", "ana", "next"),
        (
            "15:35:00",
            "chloe",
            "note The Secretary-General urges clear timelines for the reforms #summary",
        ),
        ("15:36:10", "ana", "next"),
        ("15:40:00", "ana", "next"),
        (
            "15:40:30",
            "chloe",
            "note Le Drian: France supports the G5 Sahel Joint Force #action",
        ),
        ("15:41:00", "ana", "add egypt order"),
        ("15:41:05", "ana", "add china"),
    ];
    for (time, by, command) in script {
        let command = gavel::lang::parse(command).unwrap();
        execute(&mut state, command, at(time), &Clean::new(by)).unwrap();
    }
    state
}

fn screen(app: &App, width: u16, height: u16, now: Timestamp) -> String {
    let mut screen = Test::new(width, height);
    screen
        .frame(&mut |frame| layout::draw(frame, app, now))
        .unwrap();
    format!("{}", screen.terminal.backend())
}

fn app(state: State) -> App {
    App::new(state, Ui::new(Clean::new("ana"), false), Theme::PLAIN)
}

#[test]
fn the_meeting_in_progress_at_80_by_24() {
    let app = app(meeting_in_progress());
    insta::assert_snapshot!(screen(&app, 80, 24, at("15:41:20")));
}

#[test]
fn the_meeting_in_progress_at_160_by_48() {
    let app = app(meeting_in_progress());
    insta::assert_snapshot!(screen(&app, 160, 48, at("15:41:20")));
}

#[test]
fn before_the_opening() {
    let app = app(State::new(seed()));
    insta::assert_snapshot!(screen(&app, 80, 24, at("15:20:00")));
}

#[test]
fn too_small_says_how_large_it_must_be() {
    let app = app(State::new(seed()));
    let text = screen(&app, 60, 20, at("15:20:00"));
    assert!(
        text.contains("at least 80×24") && text.contains("60×20"),
        "{text}"
    );
}

#[test]
fn the_help_lists_every_key_and_the_footer_the_focused_panes() {
    let mut app = app(meeting_in_progress());
    app.key(Key::Char('?'));
    insta::assert_snapshot!("help_160x48", screen(&app, 160, 48, at("15:41:20")));
    let small = screen(&app, 80, 24, at("15:41:20"));
    insta::assert_snapshot!("help_80x24", small);
    for needed in [
        "floor to the next listed",
        "quit (asks first)",
        "any command",
        "undo your last",
    ] {
        assert!(
            small.contains(needed),
            "{needed} missing at 80×24:\n{small}"
        );
    }
    app.key(Key::Esc);
    app.ui.focus = Pane::Seats;
    let text = screen(&app, 80, 24, at("15:41:20"));
    let footer = text.lines().last().unwrap();
    assert!(
        footer.contains("seat") && footer.contains("release") && footer.contains("? help"),
        "{footer}"
    );
}

#[test]
fn type_to_search_shows_the_candidates() {
    let mut app = app(meeting_in_progress());
    for c in "arus".chars() {
        app.key(Key::Char(c));
    }
    let text = screen(&app, 80, 24, at("15:41:20"));
    insta::assert_snapshot!(text);
    assert!(text.contains("Russian Federation"));
}

#[test]
fn the_clock_ticks_with_the_injected_time() {
    let app = app(meeting_in_progress());
    let one = screen(&app, 80, 24, at("15:41:20"));
    let two = screen(&app, 80, 24, at("15:41:20") + SignedDuration::from_secs(75));
    assert!(one.contains("15:41:20") && two.contains("15:42:35"));
    assert_ne!(one, two);
}
