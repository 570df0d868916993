//! The whole screen as an officer sees it, at 80×24 and 160×48, drawn with an
//! injected clock from a meeting in progress: snapshots of the text.

use gavel::domain::{State, execute};
use gavel::text::Clean;
use gavel::tui::app::App;
use gavel::tui::draw;
use gavel::tui::keys::{Key, Scope};
use gavel::tui::terminal::{Screen, Test};
use gavel::tui::theme::Theme;
use gavel::tui::view::{Overlay, Pane, Ui};
use jiff::{SignedDuration, Timestamp};

use crate::support::{at_clock, seed};

/// The seed meeting at 15:41:20: Le Drian interrupted by Egypt's point of
/// order, seats full with a waitlist, a few notes.
pub(crate) fn meeting_in_progress() -> State {
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
        execute(&mut state, command, at_clock(time), &Clean::new(by)).unwrap();
    }
    state
}

fn screen(app: &App, width: u16, height: u16, now: Timestamp) -> String {
    let mut screen = Test::new(width, height);
    screen
        .frame(&mut |frame| draw::screen(frame, app, now))
        .unwrap();
    format!("{}", screen.terminal.backend())
}

fn app(state: State) -> App {
    App::new(state, Ui::new(Clean::new("ana"), false), Theme::PLAIN)
}

#[test]
fn the_meeting_in_progress_at_80_by_24() {
    let app = app(meeting_in_progress());
    insta::assert_snapshot!(screen(&app, 80, 24, at_clock("15:41:20")));
}

#[test]
fn the_meeting_in_progress_at_160_by_48() {
    let app = app(meeting_in_progress());
    insta::assert_snapshot!(screen(&app, 160, 48, at_clock("15:41:20")));
}

#[test]
fn before_the_opening() {
    let app = app(State::new(seed()));
    insta::assert_snapshot!(screen(&app, 80, 24, at_clock("15:20:00")));
}

#[test]
fn too_small_says_how_large_it_must_be() {
    let app = app(State::new(seed()));
    let text = screen(&app, 60, 20, at_clock("15:20:00"));
    assert!(
        text.contains("at least 80×24") && text.contains("60×20"),
        "{text}"
    );
}

#[test]
fn the_help_lists_every_key_and_the_footer_the_focused_panes() {
    let mut app = app(meeting_in_progress());
    app.key(Key::Char('?'));
    insta::assert_snapshot!("help_160x48", screen(&app, 160, 48, at_clock("15:41:20")));
    let small = screen(&app, 80, 24, at_clock("15:41:20"));
    insta::assert_snapshot!("help_80x24", small);
    assert!(
        small.contains("floor to the next listed"),
        "the pane's keys first:\n{small}"
    );
    // What does not fit at 80×24 is scrolled to, every key of the table.
    let mut seen = small.clone();
    for _ in 0..6 {
        app.key(Key::PageDown);
        seen.push_str(&screen(&app, 80, 24, at_clock("15:41:20")));
    }
    assert!(
        matches!(app.ui.overlay, Some(Overlay::Help { .. })),
        "scrolling keeps the help open"
    );
    for b in gavel::tui::keys::BINDINGS.iter().filter(|b| {
        matches!(b.scope, Scope::Pane(_) | Scope::Panes | Scope::Always) && !b.help.is_empty()
    }) {
        assert!(
            seen.contains(b.help),
            "{} missing at 80×24:\n{seen}",
            b.help
        );
    }
    app.key(Key::Esc);
    app.ui.focus = Pane::Seats;
    let text = screen(&app, 80, 24, at_clock("15:41:20"));
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
    let text = screen(&app, 80, 24, at_clock("15:41:20"));
    insta::assert_snapshot!(text);
    assert!(text.contains("Russian Federation"));
}

#[test]
fn the_clock_ticks_with_the_injected_time() {
    let app = app(meeting_in_progress());
    let one = screen(&app, 80, 24, at_clock("15:41:20"));
    let two = screen(
        &app,
        80,
        24,
        at_clock("15:41:20") + SignedDuration::from_secs(75),
    );
    assert!(one.contains("15:41:20") && two.contains("15:42:35"));
    assert_ne!(one, two);
}

/// The screen's text and where the cursor is.
fn screen_and_cursor(
    app: &App,
    width: u16,
    height: u16,
    now: Timestamp,
) -> (String, Vec<String>, (u16, u16)) {
    let mut screen = Test::new(width, height);
    screen
        .frame(&mut |frame| draw::screen(frame, app, now))
        .unwrap();
    let cursor = screen.terminal.get_cursor_position().unwrap();
    let buffer = screen.terminal.backend().buffer().clone();
    let rows = (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect()
        })
        .collect();
    (
        format!("{}", screen.terminal.backend()),
        rows,
        (cursor.x, cursor.y),
    )
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.key(Key::Char(c));
    }
}

/// A note longer than the screen is wide: the line scrolls sideways so the
/// cursor and the end of the text show, and Home brings back its start.
#[test]
fn a_long_note_scrolls_sideways_to_keep_the_cursor_and_its_end_on_screen() {
    let mut app = app(meeting_in_progress());
    app.key(Key::Char('4'));
    app.key(Key::Char('i'));
    let note = "The co-chairs welcome the commitment of the parties and ask for a timeline by the end of the year #summary";
    assert!(note.chars().count() > 80);
    type_text(&mut app, note);
    let (text, rows, (x, y)) = screen_and_cursor(&app, 80, 24, at_clock("15:41:20"));
    let line = &rows[23];
    assert_eq!(y, 23, "{text}");
    assert!(x < 80, "the cursor is on the screen: {x}");
    assert!(
        line.trim_end().ends_with("year #summary"),
        "the end shows: {line:?}"
    );
    let before_cursor: String = line.chars().take(usize::from(x)).collect();
    assert!(
        before_cursor.ends_with("#summary"),
        "the cursor is just after the last letter: {x} in {line:?}"
    );
    assert!(line.starts_with("Note: "), "the label stays: {line:?}");

    app.key(Key::Home);
    let (_, rows, (x, y)) = screen_and_cursor(&app, 80, 24, at_clock("15:41:20"));
    assert_eq!((x, y), (6, 23));
    assert!(
        rows[23].starts_with("Note: The co-chairs welcome"),
        "{:?}",
        rows[23]
    );

    app.key(Key::End);
    let (_, rows, (x, _)) = screen_and_cursor(&app, 80, 24, at_clock("15:41:20"));
    let before_cursor: String = rows[23].chars().take(usize::from(x)).collect();
    assert!(before_cursor.ends_with("year #summary"), "{:?}", rows[23]);
}

/// The summary asked for with `P` comes while the officer has opened the `:`
/// line: it does not cover the line, and the keys typed go on into it.
#[test]
fn a_preview_that_comes_while_the_prompt_is_open_does_not_cover_it() {
    use gavel::tui::message::Update;
    let mut app = app(meeting_in_progress());
    app.key(Key::Char('P'));
    type_text(&mut app, ":note hel");
    app.update(Update::Preview("# Draft co-chairs' summary\n".into()));
    let (text, rows, _) = screen_and_cursor(&app, 80, 24, at_clock("15:41:20"));
    assert!(!text.contains("Draft summary"), "{text}");
    assert_eq!(rows[23].trim_end(), ":note hel", "{text}");
    type_text(&mut app, "lo");
    let (text, rows, _) = screen_and_cursor(&app, 80, 24, at_clock("15:41:20"));
    assert!(!text.contains("Draft summary"), "{text}");
    assert_eq!(rows[23].trim_end(), ":note hello", "{text}");
    assert!(
        rows[22].contains("P shows it"),
        "the status line says it is ready: {text}"
    );
}

/// Whatever is open over the panes when the preview comes stays, alone; a
/// summary already open shows the newer draft; Ctrl-C quits over any of them.
#[test]
fn one_thing_at_a_time_is_open_over_the_panes() {
    use gavel::tui::app::Effect;
    use gavel::tui::message::Update;
    let preview = |app: &mut App, text: &str| app.update(Update::Preview(text.into()));
    let mut app = app(meeting_in_progress());

    app.key(Key::Char('?'));
    preview(&mut app, "draft");
    assert_eq!(app.ui.overlay, Some(Overlay::Help { scroll: 0 }));
    app.key(Key::Esc);

    app.key(Key::Char('q'));
    preview(&mut app, "draft");
    assert!(matches!(app.ui.overlay, Some(Overlay::Confirm(_))));
    assert_eq!(app.key(Key::Char('n')), []);
    assert_eq!(app.ui.overlay, None, "any other key than y cancels");

    preview(&mut app, "first");
    preview(&mut app, "second");
    assert_eq!(
        app.ui.overlay,
        Some(Overlay::Summary {
            text: "second".into(),
            scroll: 0
        })
    );
    for (key, scroll) in [
        (Key::Char('j'), 1),
        (Key::PageDown, 11),
        (Key::Char(' '), 21),
        (Key::Up, 20),
        (Key::PageUp, 10),
        (Key::Home, 0),
    ] {
        app.key(key);
        assert!(
            matches!(app.ui.overlay, Some(Overlay::Summary { scroll: s, .. }) if s == scroll),
            "{key:?}: {:?}",
            app.ui.overlay
        );
    }
    app.key(Key::Char('x'));
    assert_eq!(app.ui.overlay, None);

    for open in [Key::Char('?'), Key::Char(':'), Key::Char('q')] {
        app.key(open);
        assert!(app.ui.overlay.is_some());
        assert_eq!(app.key(Key::Ctrl('c')), [Effect::Quit], "over {open:?}");
        app.ui.overlay = None;
    }
    preview(&mut app, "draft");
    assert_eq!(app.key(Key::Ctrl('c')), [Effect::Quit], "over the summary");
}

/// Tab at the `:` prompt offers what the command table says each command
/// takes: names, a segment, the one word `list`, or nothing.
#[test]
fn tab_completes_what_each_command_takes() {
    let completed = |typed: &str| -> (String, Vec<String>) {
        let mut app = app(meeting_in_progress());
        app.key(Key::Char(':'));
        type_text(&mut app, typed);
        app.key(Key::Tab);
        let prompt = app.ui.prompt().expect("the prompt is open");
        (prompt.text.clone(), prompt.choices.clone())
    };
    assert_eq!(completed("rel").0, "release ");
    let (text, choices) = completed("release bra");
    assert_eq!(text, "release Brazil", "{choices:?}");
    let (text, _) = completed("wait chi");
    assert!(text.starts_with("wait ch") && text != "wait chi", "{text}");
    assert_eq!(completed("close ").0, "close list");
    let (text, choices) = completed("segment ");
    assert_eq!(text, "segment next");
    assert!(choices.len() > 1, "the segments too: {choices:?}");
    assert_eq!(completed("block ").0, "block ");
    assert_eq!(completed("retract ").0, "retract ");
}

/// A store out of reach is said on screen while it lasts, whole, and taken
/// back by itself once following works again; another error is left alone.
#[test]
fn a_store_out_of_reach_is_said_until_following_works_again() {
    use gavel::tui::message::Update;
    let mut app = app(meeting_in_progress());
    let down = "store unreachable since 15:41:10 — commands are not saved (db: refused)";
    app.update(Update::FollowFailed(down.into()));
    let text = screen(&app, 80, 24, at_clock("15:41:20"));
    assert!(text.contains("store unreachable since 15:41:10"), "{text}");
    assert!(text.contains("commands are not"), "{text}");
    app.update(Update::FollowResumed);
    let text = screen(&app, 80, 24, at_clock("15:41:22"));
    assert!(!text.contains("unreachable"), "{text}");

    app.update(Update::Failed("not saved: the disk is full".into()));
    app.update(Update::FollowResumed);
    let text = screen(&app, 80, 24, at_clock("15:41:24"));
    assert!(text.contains("the disk is full"), "{text}");
}
