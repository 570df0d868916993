//! The event loop driven without a terminal: keys in, a test screen out, a real
//! journal on disk, checked afterwards.

use std::path::Path;
use std::time::Duration;

use futures_util::Stream;
use gavel::domain::{Event, State};
use gavel::journal::Mode;
use gavel::live::Live;
use gavel::now::WallClock;
use gavel::text::Clean;
use gavel::tui::Setup;
use gavel::tui::input::Input;
use gavel::tui::keys::Key;
use gavel::tui::run::{Exit, Kind};
use gavel::tui::terminal::Test;
use gavel::tui::theme::Theme;

use crate::support::{scheduled_start, seed};

/// Typed keys, a little apart so the journal answers in between, then a pause
/// for the last answer before input ends.
fn typed(keys: Vec<Key>) -> impl Stream<Item = Input> + Unpin {
    let steps: Vec<Option<Key>> = keys.into_iter().map(Some).chain([None]).collect();
    Box::pin(futures_util::stream::unfold(
        steps.into_iter(),
        |mut steps| async move {
            let step = steps.next()?;
            tokio::time::sleep(Duration::from_millis(if step.is_some() { 15 } else { 300 })).await;
            step.map(|k| (Input::Key(k), steps))
        },
    ))
}

/// Keys in bursts: the keys of one burst arrive together, as over a slow
/// link; the bursts a little apart.
fn bursts(bursts: Vec<Vec<Key>>) -> impl Stream<Item = Input> + Unpin {
    let steps: Vec<(bool, Option<Key>)> = bursts
        .into_iter()
        .flat_map(|b| b.into_iter().enumerate().map(|(i, k)| (i == 0, Some(k))))
        .chain([(true, None)])
        .collect();
    Box::pin(futures_util::stream::unfold(
        steps.into_iter(),
        |mut steps| async move {
            let (first, step) = steps.next()?;
            if first {
                let pause = if step.is_some() { 50 } else { 300 };
                tokio::time::sleep(Duration::from_millis(pause)).await;
            }
            step.map(|k| (Input::Key(k), steps))
        },
    ))
}

fn text(s: &str) -> Vec<Key> {
    s.chars()
        .map(|c| match c {
            '\n' => Key::Enter,
            '\t' => Key::Tab,
            '\x1b' => Key::Esc,
            c => Key::Char(c),
        })
        .collect()
}

struct Run {
    screen: String,
    exit: Exit,
    app_state: State,
    journal: State,
    prompt_error: Option<String>,
}

fn run(dir: &Path, keys: Vec<Key>, read_only: bool) -> Run {
    run_on(dir, typed(keys), read_only)
}

fn run_on(dir: &Path, inputs: impl Stream<Item = Input> + Unpin, read_only: bool) -> Run {
    let meeting = seed();
    let mode = if read_only {
        Mode::ReadOnly
    } else {
        Mode::ReadWrite
    };
    let live = Live::open(meeting.clone(), dir, mode).unwrap();
    let setup = Setup {
        operator: Clean::new("ana"),
        read_only,
        theme: Theme::PLAIN,
        keys: Default::default(),
        notice: None,
        clock: WallClock::starting_at("2017-09-20T19:29:00Z".parse().unwrap()),
        kind: Kind::Run,
    };
    let mut session = gavel::tui::start(live, None, setup);
    let mut screen = Test::new(100, 30);
    let exit = session
        .run(&mut screen, inputs, std::future::pending())
        .unwrap();
    let app = session.finish().app;
    let journal = Live::open(meeting, dir, Mode::ReadOnly).unwrap().state;
    let screen = format!("{}", screen.terminal.backend());
    Run {
        screen,
        exit,
        app_state: app.state,
        journal,
        prompt_error: app.ui.prompt().and_then(|p| p.error.clone()),
    }
}

fn events(dir: &Path) -> Vec<Event> {
    let text = std::fs::read_to_string(dir.join("journal.jsonl")).unwrap_or_default();
    text.lines()
        .map(|l| {
            serde_json::from_str::<gavel::domain::Entry>(l)
                .unwrap()
                .event
        })
        .collect()
}

#[test]
fn keys_open_the_meeting_give_the_floor_and_take_a_point_of_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut keys = text(":open\n");
    keys.extend(text("n"));
    keys.extend(text("oegypt\n"));
    let r = run(dir.path(), keys, false);
    assert_eq!(r.exit, Exit::InputEnded(None));
    let events = events(dir.path());
    assert!(matches!(events[0], Event::Opened { .. }), "{events:?}");
    assert!(matches!(events[1], Event::FloorGiven { ends: None, .. }));
    assert!(matches!(
        events[2],
        Event::FloorGiven {
            interrupts: Some(_),
            ..
        }
    ));
    assert_eq!(
        r.app_state, r.journal,
        "the screen's state is the journal's"
    );
    assert!(r.screen.contains("Egypt"), "{}", r.screen);
}

#[test]
fn a_bad_command_keeps_the_prompt_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), text(":nxt\n"), false);
    assert!(
        r.prompt_error
            .as_deref()
            .is_some_and(|e| e.contains("did you mean \"next\"")),
        "{:?}",
        r.prompt_error
    );
    assert!(r.screen.contains(":nxt"), "{}", r.screen);
    assert!(events(dir.path()).is_empty());
}

#[test]
fn a_refused_command_gives_the_prompt_back_for_correction() {
    let dir = tempfile::tempdir().unwrap();
    // France is pre-inscribed in the opening segment.
    let r = run(dir.path(), text(":add france\n"), false);
    assert!(
        r.prompt_error
            .as_deref()
            .is_some_and(|e| e.contains("already listed")),
        "{:?}",
        r.prompt_error
    );
    assert!(r.screen.contains(":add france"), "{}", r.screen);
    assert!(events(dir.path()).is_empty());
}

/// A second Enter straight after the first, before the refusal is in: it is
/// not a key for the speakers' pane (where Enter gives the floor), and the
/// Enter after the refusal sends the line again.
#[test]
fn enter_again_after_a_refusal_only_sends_the_line_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut enter_twice = text(":add france");
    enter_twice.extend([Key::Enter, Key::Enter]);
    let r = run_on(
        dir.path(),
        bursts(vec![text(":open\n"), enter_twice, vec![Key::Enter]]),
        false,
    );
    let events = events(dir.path());
    assert_eq!(events.len(), 1, "only the open, no floor given: {events:?}");
    assert!(
        r.prompt_error
            .as_deref()
            .is_some_and(|e| e.contains("already listed")),
        "{:?}",
        r.prompt_error
    );
    assert!(r.screen.contains(":add france"), "{}", r.screen);
    assert!(r.app_state.floor().is_none());
}

#[test]
fn destructive_actions_ask_first() {
    let dir = tempfile::tempdir().unwrap();
    // Remove the selected speaker: `d`, then `n` declines; then `d`, `y` confirms.
    let mut keys = text("dn");
    keys.extend(text("dy"));
    keys.extend(text("qn"));
    let r = run(dir.path(), keys, false);
    assert_eq!(r.exit, Exit::InputEnded(None), "q then n does not quit");
    let events = events(dir.path());
    assert_eq!(events.len(), 1, "{events:?}");
    assert!(matches!(events[0], Event::Removed { .. }));
}

#[test]
fn quit_asks_and_ctrl_c_does_not() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run(dir.path(), text("qy"), false).exit, Exit::Quit);
    assert_eq!(
        run(dir.path(), vec![Key::Ctrl('c')], false).exit,
        Exit::Quit
    );
}

#[test]
fn type_to_search_inscribes_and_seats_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut keys = text("arus fed\n");
    keys.extend([Key::Char('2')]);
    keys.extend(text("scote d\n"));
    let r = run(dir.path(), keys, false);
    let events = events(dir.path());
    assert!(
        matches!(&events[0], Event::Inscribed { speech, .. } if speech.delegate.delegation.as_str() == "Russian Federation"),
        "{events:?}"
    );
    assert!(
        matches!(&events[1], Event::Seated { delegation, .. } if delegation.as_str() == "Côte d'Ivoire"),
        "{events:?}"
    );
    assert_eq!(r.app_state, r.journal);
}

#[test]
fn undo_asks_then_reverts_your_own_last_action() {
    let dir = tempfile::tempdir().unwrap();
    let mut keys = text(":open\n");
    keys.extend(text("uy"));
    let r = run(dir.path(), keys, false);
    assert!(matches!(
        events(dir.path()).last(),
        Some(Event::Undone { seq: 1 })
    ));
    assert_eq!(r.journal.phase, gavel::domain::Phase::Scheduled);
}

#[test]
fn read_only_never_writes() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), text(":open\nn"), true);
    assert!(!dir.path().join("journal.jsonl").exists());
    assert!(r.screen.contains("read-only"), "{}", r.screen);
}

/// A key that asks first (`O` open, `A` adjourn) asks nothing read-only:
/// the answer could only be refused.
#[test]
fn read_only_asks_nothing_it_would_refuse() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), vec![Key::Char('O')], true);
    assert!(!r.screen.contains("(y/n)"), "{}", r.screen);
    assert!(
        r.screen.contains("read-only: this screen never writes"),
        "{}",
        r.screen
    );
}

#[test]
fn notes_are_written_from_the_notes_pane() {
    let dir = tempfile::tempdir().unwrap();
    let mut keys = vec![Key::Char('4')];
    keys.extend(text("iThe co-chairs agree on a timeline #decision\n"));
    run(dir.path(), keys, false);
    let events = events(dir.path());
    assert!(
        matches!(&events[0], Event::Noted { tags, .. } if tags[0].as_str() == "decision"),
        "{events:?}"
    );
}

#[test]
fn another_instance_shows_up_within_a_second() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().to_path_buf();
    let writer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(150));
        let mut live = Live::open(seed(), &other, Mode::ReadWrite).unwrap();
        let now = scheduled_start();
        live.execute(
            gavel::lang::parse("add brazil").unwrap(),
            &Clean::new("ben"),
            now,
        )
        .ours
        .unwrap();
    });
    // Nothing typed for a while: only the follower can bring Brazil in.
    let keys = vec![Key::Char('3'); 40];
    let r = run(dir.path(), keys, true);
    writer.join().unwrap();
    assert!(
        r.app_state
            .segment()
            .queue
            .iter()
            .any(|l| l.speech.delegate.delegation.as_str() == "Brazil")
    );
    assert!(
        r.screen.contains("ben"),
        "who did it is shown:\n{}",
        r.screen
    );
}

#[test]
fn the_summary_preview_shows_the_draft_so_far() {
    let dir = tempfile::tempdir().unwrap();
    let mut keys = text(":open\n");
    keys.extend(text("nP"));
    let r = run(dir.path(), keys, false);
    assert!(r.screen.contains("Draft summary"), "{}", r.screen);
    assert!(
        r.screen.contains("Draft of a meeting in progress"),
        "{}",
        r.screen
    );
}
