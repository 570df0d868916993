//! The panes and the board drawn from states of the seed meeting, at the sizes
//! the screen gives them at 80×24 and at 160×48, in plain and colour themes.

use std::sync::Arc;

use gavel::domain::event::Speech;
use gavel::domain::state::{Listed, Note, NoteVersion};
use gavel::domain::{State, execute};
use gavel::text::Clean;
use gavel::tui::panes;
use gavel::tui::terminal::wire::Wire;
use gavel::tui::theme::Theme;
use gavel::tui::view::{Pane, Ui, View};
use insta::assert_snapshot;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};

use crate::support::{at_secs, seed};

/// Applies each `(seconds after 15:30, command)` as an officer would type it.
fn run(state: &mut State, script: &[(i64, &str)]) {
    for (secs, line) in script {
        let command =
            gavel::lang::parse(line).unwrap_or_else(|e| panic!("{line}: {}", e.message()));
        execute(state, command, at_secs(*secs), &Clean::new("ana"))
            .unwrap_or_else(|r| panic!("{line}: {}", r.0));
    }
}

/// The opening under way: two have spoken (one over), a right of reply and a
/// pass on the list, Algeria holding the floor since 15:36:40.
fn opening() -> State {
    let mut state = State::new(seed());
    run(
        &mut state,
        &[
            (0, "open"),
            (0, "next"),
            (170, "next"),
            (200, "add egypt reply"),
            (210, "pass european union"),
            (400, "next"),
        ],
    );
    state
}

const WARNING: i64 = 400 + 155;
const OVER: i64 = 400 + 192;

/// France given the floor at 15:39:40, interrupted at 1:12 by Egypt's point of order.
fn point_of_order() -> State {
    let mut state = opening();
    run(&mut state, &[(580, "next"), (652, "add egypt order")]);
    state
}

const ORDER_NOW: i64 = 652 + 25;

/// After the point of order: France has the floor back, still paused.
fn paused() -> State {
    let mut state = point_of_order();
    run(&mut state, &[(700, "end")]);
    state
}

const SEATED: [&str; 38] = [
    "Afghanistan",
    "Albania",
    "Andorra",
    "Angola",
    "Argentina",
    "Armenia",
    "Australia",
    "Austria",
    "Azerbaijan",
    "Bahamas",
    "Bahrain",
    "Barbados",
    "Belarus",
    "Belgium",
    "Belize",
    "Bhutan",
    "Kenya",
    "Botswana",
    "Brunei Darussalam",
    "Bulgaria",
    "Burundi",
    "Cabo Verde",
    "Cameroon",
    "Canada",
    "Central African Republic",
    "Chile",
    "Colombia",
    "Comoros",
    "Congo",
    "Costa Rica",
    "Croatia",
    "Cuba",
    "Cyprus",
    "Czechia",
    "Denmark",
    "Djibouti",
    "Dominica",
    "Ecuador",
];

/// Every seat taken, three waiting, then Argentina leaves A5 and it is offered to Gambia.
fn seats_full() -> State {
    let mut state = opening();
    let mut script: Vec<(i64, String)> =
        SEATED.iter().map(|d| (420, format!("seat {d}"))).collect();
    for d in ["Gambia", "State of Palestine", "Brazil"] {
        script.push((430, format!("wait {d}")));
    }
    script.push((440, "release A5".into()));
    let script: Vec<(i64, &str)> = script.iter().map(|(s, l)| (*s, l.as_str())).collect();
    run(&mut state, &script);
    state
}

/// Notes while France speaks: tags, one amended, one retracted; then a long one
/// during Egypt's point of order.
fn with_notes() -> State {
    let mut state = opening();
    run(
        &mut state,
        &[
            (580, "next"),
            (
                600,
                "note France welcomes the progress on the interim authorities #summary",
            ),
            (
                620,
                "note Co-chairs to circulate the draft declaration by Friday #action",
            ),
            (640, "note Mali requests more MINUSMA patrols in the north"),
            (
                645,
                "amend 2 Co-chairs to circulate the draft declaration by Thursday #action #decision",
            ),
            (650, "retract 3"),
            (652, "add egypt order"),
            (
                660,
                "note Egypt raises a point of order on the speaking time of delegations that were inscribed \
                 late; the co-chairs recall that the limit is three minutes for every speaker #summary",
            ),
        ],
    );
    state
}

/// Late in the co-chaired session: ten listed at 3m with 15 minutes to go.
fn late() -> State {
    let mut state = opening();
    let mut script: Vec<(i64, String)> = vec![(4990, "end".into()), (5000, "segment next".into())];
    for d in [
        "Chad", "Niger", "Nigeria", "China", "Japan", "Sweden", "Italy", "Ukraine", "Uruguay",
        "Senegal", "Togo",
    ] {
        script.push((5000, format!("add {d}")));
    }
    script.push((8000, "next".into()));
    let script: Vec<(i64, &str)> = script.iter().map(|(s, l)| (*s, l.as_str())).collect();
    run(&mut state, &script);
    state
}

const LATE_NOW: i64 = 8100;

fn ui(focus: Pane) -> Ui {
    let mut ui = Ui::new(Clean::new("ana"), false);
    ui.focus = focus;
    ui
}

type Draw = fn(&mut ratatui::Frame, Rect, &View);

fn draw_pane(
    draw: Draw,
    state: &State,
    ui: &Ui,
    now: i64,
    theme: Theme,
    (w, h): (u16, u16),
) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    let view = View {
        state,
        keys: &gavel::tui::keymap::Keymap::default(),
        ui,
        now: at_secs(now),
        theme,
    };
    terminal
        .draw(|frame| draw(frame, frame.area(), &view))
        .unwrap();
    terminal.backend().buffer().clone()
}

fn draw_board(state: &State, now: i64, theme: Theme, (w, h): (u16, u16)) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|frame| panes::board::draw(frame, frame.area(), state, at_secs(now), theme))
        .unwrap();
    terminal.backend().buffer().clone()
}

/// The buffer's text, one line a row, with trailing blanks kept visible by a `|`.
fn text(buffer: &Buffer) -> String {
    let w = usize::from(buffer.area.width);
    let mut out = String::new();
    for row in buffer.content.chunks(w) {
        let mut skip = 0;
        for cell in row {
            if skip == 0 {
                out.push_str(cell.symbol());
            }
            skip = skip
                .max(ratatui::text::Span::raw(cell.symbol()).width())
                .saturating_sub(1);
        }
        out.push_str("|\n");
    }
    out
}

/// Where `needle` starts on screen, by the text of each row.
fn find(buffer: &Buffer, needle: &str) -> Option<(u16, u16)> {
    let w = buffer.area.width;
    (0..buffer.area.height).find_map(|y| {
        let row: Vec<&str> = (0..w).map(|x| buffer[(x, y)].symbol()).collect();
        let line = row.concat();
        let byte = line.find(needle)?;
        let x = line[..byte].chars().count() as u16;
        Some((x, y))
    })
}

fn cell_at<'a>(buffer: &'a Buffer, needle: &str) -> &'a ratatui::buffer::Cell {
    let (x, y) = find(buffer, needle)
        .unwrap_or_else(|| panic!("{needle:?} not on screen:\n{}", text(buffer)));
    &buffer[(x, y)]
}

// The sizes each pane gets from the screen at 80×24 and at 160×48.
const SPEAKERS: [(u16, u16); 2] = [(46, 15), (93, 35)];
const CLOCK: [(u16, u16); 2] = [(34, 8), (67, 12)];
const SEATS: [(u16, u16); 2] = [(34, 7), (67, 23)];
const NOTES: [(u16, u16); 2] = [(80, 5), (160, 11)];
const BOARD: [(u16, u16); 2] = [(80, 23), (160, 47)];

const PLAIN: Theme = Theme::PLAIN;

#[test]
fn speakers_before_opening() {
    let state = State::new(seed());
    let ui = ui(Pane::Speakers);
    let small = draw_pane(panes::speakers::draw, &state, &ui, -600, PLAIN, SPEAKERS[0]);
    assert_snapshot!("speakers_before_opening_80x24", text(&small));
}

#[test]
fn speakers_in_the_warning_zone() {
    let state = opening();
    let mut ui = ui(Pane::Speakers);
    ui.queue_cursor = 1;
    for (size, name) in SPEAKERS.iter().zip(["80x24", "160x48"]) {
        let buffer = draw_pane(panes::speakers::draw, &state, &ui, WARNING, PLAIN, *size);
        assert_snapshot!(format!("speakers_warning_{name}"), text(&buffer));
    }
    let color = draw_pane(
        panes::speakers::draw,
        &state,
        &ui,
        WARNING,
        Theme::DEFAULT,
        SPEAKERS[0],
    );
    assert_eq!(cell_at(&color, "WARNING").fg, Color::Yellow);
    assert_eq!(cell_at(&color, "2:35").fg, Color::Yellow);
    assert!(
        cell_at(&color, "▸").modifier.contains(Modifier::REVERSED),
        "the cursor row is selected"
    );
    assert_eq!(color[(0, 0)].fg, Color::Cyan, "the focused border");
    assert_eq!(
        cell_at(&color, "+0:50").fg,
        Color::Red,
        "the speaker who ran over"
    );
}

#[test]
fn speakers_over_the_limit() {
    let state = opening();
    let ui = ui(Pane::Clock);
    for (size, name) in SPEAKERS.iter().zip(["80x24", "160x48"]) {
        let buffer = draw_pane(panes::speakers::draw, &state, &ui, OVER, PLAIN, *size);
        assert_snapshot!(format!("speakers_over_{name}"), text(&buffer));
    }
    let color = draw_pane(
        panes::speakers::draw,
        &state,
        &ui,
        OVER,
        Theme::DEFAULT,
        SPEAKERS[0],
    );
    assert_eq!(cell_at(&color, "OVER +0:12").fg, Color::Red);
    assert_eq!(color[(0, 0)].fg, Color::DarkGray, "an unfocused border");
    let plain = draw_pane(panes::speakers::draw, &state, &ui, OVER, PLAIN, SPEAKERS[0]);
    assert!(
        cell_at(&plain, "OVER")
            .modifier
            .contains(Modifier::REVERSED)
    );
    assert_eq!(
        cell_at(&plain, "OVER").fg,
        Color::Reset,
        "no colour in the plain theme"
    );
}

#[test]
fn speakers_after_a_point_of_order() {
    let state = point_of_order();
    let ui = ui(Pane::Speakers);
    for (size, name) in SPEAKERS.iter().zip(["80x24", "160x48"]) {
        let buffer = draw_pane(panes::speakers::draw, &state, &ui, ORDER_NOW, PLAIN, *size);
        assert_snapshot!(format!("speakers_point_of_order_{name}"), text(&buffer));
    }
    // What a 250×70 screen gives the pane: the spoken list gets a column of its own.
    let wide = draw_pane(
        panes::speakers::draw,
        &state,
        &ui,
        ORDER_NOW,
        PLAIN,
        (150, 30),
    );
    assert_snapshot!("speakers_point_of_order_150x30", text(&wide));
    let paused = draw_pane(
        panes::speakers::draw,
        &paused(),
        &ui,
        760,
        PLAIN,
        SPEAKERS[0],
    );
    assert_snapshot!("speakers_paused_80x24", text(&paused));
}

#[test]
fn speakers_with_an_empty_list() {
    let mut state = State::new(seed());
    run(
        &mut state,
        &[(0, "open"), (10, "segment next"), (20, "close list")],
    );
    let buffer = draw_pane(
        panes::speakers::draw,
        &state,
        &ui(Pane::Speakers),
        30,
        PLAIN,
        SPEAKERS[0],
    );
    assert_snapshot!("speakers_empty_80x24", text(&buffer));
}

#[test]
fn seats_full_with_a_waitlist_and_an_offer() {
    let state = seeds_with_cursor_at_a5();
    let (state, mut ui) = state;
    for (size, name) in SEATS.iter().zip(["80x24", "160x48"]) {
        let buffer = draw_pane(panes::seats::draw, &state, &ui, 450, PLAIN, *size);
        assert_snapshot!(format!("seats_full_{name}"), text(&buffer));
    }
    ui.seat_cursor = gavel::domain::SeatId::parse("B7").unwrap();
    let kenya = draw_pane(panes::seats::draw, &state, &ui, 450, PLAIN, SEATS[0]);
    assert!(text(&kenya).contains("B7 — Kenya"), "{}", text(&kenya));
    ui.seat_cursor = gavel::domain::SeatId::parse("D9").unwrap();
    let blocked = draw_pane(panes::seats::draw, &state, &ui, 450, PLAIN, SEATS[0]);
    assert!(text(&blocked).contains("D9 blocked"), "{}", text(&blocked));

    let color = draw_pane(
        panes::seats::draw,
        &state,
        &ui,
        450,
        Theme::DEFAULT,
        SEATS[1],
    );
    assert_eq!(cell_at(&color, "■").fg, Color::Blue);
    assert_eq!(cell_at(&color, "○").fg, Color::Yellow);
    let (x, y) = find(&color, "[×]").expect("the cursor seat, bracketed");
    assert!(color[(x + 1, y)].modifier.contains(Modifier::REVERSED));
}

fn seeds_with_cursor_at_a5() -> (State, Ui) {
    let mut ui = ui(Pane::Seats);
    ui.seat_cursor = gavel::domain::SeatId::parse("A5").unwrap();
    (seats_full(), ui)
}

#[test]
fn seats_before_opening() {
    let buffer = draw_pane(
        panes::seats::draw,
        &State::new(seed()),
        &ui(Pane::Speakers),
        -600,
        PLAIN,
        SEATS[0],
    );
    assert_snapshot!("seats_before_opening_80x24", text(&buffer));
}

#[test]
fn clock_before_opening() {
    let state = State::new(seed());
    let ui = ui(Pane::Clock);
    for (size, name) in CLOCK.iter().zip(["80x24", "160x48"]) {
        let buffer = draw_pane(panes::clock::draw, &state, &ui, -600, PLAIN, *size);
        assert_snapshot!(format!("clock_before_opening_{name}"), text(&buffer));
    }
}

#[test]
fn clock_during_the_opening() {
    let state = opening();
    let buffer = draw_pane(
        panes::clock::draw,
        &state,
        &ui(Pane::Speakers),
        WARNING,
        PLAIN,
        CLOCK[0],
    );
    assert_snapshot!("clock_opening_80x24", text(&buffer));
}

#[test]
fn clock_running_over() {
    let state = late();
    let ui = ui(Pane::Speakers);
    for (size, name) in CLOCK.iter().zip(["80x24", "160x48"]) {
        let buffer = draw_pane(panes::clock::draw, &state, &ui, LATE_NOW, PLAIN, *size);
        assert_snapshot!(format!("clock_late_{name}"), text(&buffer));
    }
    let color = draw_pane(
        panes::clock::draw,
        &state,
        &ui,
        LATE_NOW,
        Theme::DEFAULT,
        CLOCK[0],
    );
    assert_eq!(
        cell_at(&color, "+").fg,
        Color::Red,
        "over the scheduled end"
    );
    assert_eq!(
        cell_at(&color, "▒").fg,
        Color::Red,
        "the part of the timeline past the end"
    );
}

#[test]
fn clock_in_a_rehearsal() {
    let state = State::new(seed());
    let day_before = -24 * 3600 - 300;
    let buffer = draw_pane(
        panes::clock::draw,
        &state,
        &ui(Pane::Clock),
        day_before,
        PLAIN,
        CLOCK[0],
    );
    let shown = text(&buffer);
    assert_snapshot!("clock_rehearsal_80x24", shown.clone());
    assert!(shown.contains("REHEARSAL"), "{shown}");
    assert!(shown.contains("15:25:00"), "{shown}");
}

#[test]
fn notes_with_tags_amended_and_retracted() {
    let state = with_notes();
    let ui = ui(Pane::Notes);
    for (size, name) in NOTES.iter().zip(["80x24", "160x48"]) {
        let buffer = draw_pane(panes::notes::draw, &state, &ui, 700, PLAIN, *size);
        assert_snapshot!(format!("notes_{name}"), text(&buffer));
    }
    let mut at_two = ui.clone();
    at_two.note_cursor = Some(2);
    let buffer = draw_pane(panes::notes::draw, &state, &at_two, 700, PLAIN, NOTES[0]);
    assert_snapshot!("notes_cursor_on_2_80x24", text(&buffer));

    let color = draw_pane(
        panes::notes::draw,
        &state,
        &ui,
        700,
        Theme::DEFAULT,
        NOTES[1],
    );
    assert_eq!(cell_at(&color, "#summary").fg, Color::Magenta);
    assert!(
        cell_at(&color, "patrols")
            .modifier
            .contains(Modifier::CROSSED_OUT)
    );
    assert!(
        !cell_at(&color, "(retracted)")
            .modifier
            .contains(Modifier::CROSSED_OUT)
    );
    let plain = draw_pane(panes::notes::draw, &state, &ui, 700, PLAIN, NOTES[1]);
    assert!(
        cell_at(&plain, "#action")
            .modifier
            .contains(Modifier::UNDERLINED)
    );
}

#[test]
fn board_over_the_limit() {
    let state = opening();
    for (size, name) in BOARD.iter().zip(["80x24", "160x48"]) {
        let buffer = draw_board(&state, OVER, PLAIN, *size);
        assert_snapshot!(format!("board_over_{name}"), text(&buffer));
    }
    let color = draw_board(&state, OVER, Theme::DEFAULT, BOARD[0]);
    assert_eq!(cell_at(&color, "OVER").fg, Color::Red);
}

#[test]
fn board_falls_back_to_text_when_small() {
    let buffer = draw_board(&paused(), 760, PLAIN, (50, 12));
    assert_snapshot!("board_paused_small", text(&buffer));
    let before = draw_board(&State::new(seed()), -600, PLAIN, BOARD[0]);
    assert_snapshot!("board_before_opening_80x24", text(&before));
}

/// Every fixture at every size from 1×1 to 30×12, and some odd larger ones.
#[test]
fn no_size_breaks_a_pane() {
    let fixtures = [
        (State::new(seed()), -600),
        (opening(), WARNING),
        (opening(), OVER),
        (point_of_order(), ORDER_NOW),
        (seats_full(), 450),
        (with_notes(), 700),
        (late(), LATE_NOW),
    ];
    let draws: [Draw; 4] = [
        panes::speakers::draw,
        panes::seats::draw,
        panes::clock::draw,
        panes::notes::draw,
    ];
    let mut sizes: Vec<(u16, u16)> = (1..=30)
        .flat_map(|w| (1..=12).map(move |h| (w, h)))
        .collect();
    sizes.extend([(250, 70), (200, 3), (3, 60), (45, 30)]);
    for (state, now) in &fixtures {
        for focus in [Pane::Speakers, Pane::Notes] {
            let mut ui = ui(focus);
            ui.queue_cursor = 99;
            ui.note_cursor = Some(2);
            for &size in &sizes {
                for draw in draws {
                    draw_pane(draw, state, &ui, *now, PLAIN, size);
                }
                draw_board(state, *now, PLAIN, size);
            }
        }
    }
}

/// Thousands of rows: the cursor's row is drawn, and the frame stays quick.
#[test]
fn long_lists_scroll_to_the_cursor() {
    let mut state = opening();
    let template = state.segment().queue[0].clone();
    let segment = state.current;
    state.segments[segment].queue = (0..5000u32)
        .map(|i| Listed {
            speech: Speech {
                id: 1000 + i,
                ..template.speech.clone()
            },
            ..template.clone()
        })
        .collect();
    state.segments[segment].queue[4321]
        .speech
        .delegate
        .delegation = Clean::new("Cursor Row");
    let note = |id: u32| Note {
        id,
        segment: Clean::new("opening"),
        speaker: None,
        speech: None,
        versions: vec![NoteVersion {
            text: Clean::new(&format!("note number {id}")),
            tags: vec![],
            at: at_secs(600),
            by: Clean::new("ana"),
        }],
        retracted: None,
    };
    state.notes = (1..=5000).map(|id| (id, note(id))).collect();
    let mut ui = ui(Pane::Speakers);
    ui.queue_cursor = 4321;
    ui.note_cursor = Some(1234);
    let started = std::time::Instant::now();
    let speakers = draw_pane(
        panes::speakers::draw,
        &state,
        &ui,
        WARNING,
        PLAIN,
        (150, 50),
    );
    let notes = draw_pane(panes::notes::draw, &state, &ui, WARNING, PLAIN, (80, 5));
    assert!(started.elapsed() < std::time::Duration::from_millis(500));
    assert!(
        text(&speakers).contains("▸4322 Cursor Row"),
        "{}",
        text(&speakers)
    );
    assert!(text(&speakers).contains("List of speakers: 5000"));
    assert!(
        text(&notes).contains("note number 1234"),
        "{}",
        text(&notes)
    );
    ui.note_cursor = None;
    let newest = draw_pane(panes::notes::draw, &state, &ui, WARNING, PLAIN, (80, 5));
    assert!(
        text(&newest).contains("note number 5000"),
        "{}",
        text(&newest)
    );
}

#[test]
fn long_names_are_cut_with_an_ellipsis() {
    let mut state = State::new(seed());
    run(
        &mut state,
        &[
            (0, "open"),
            (0, "add united kingdom"),
            (0, "floor united kingdom"),
        ],
    );
    let buffer = draw_pane(
        panes::speakers::draw,
        &state,
        &ui(Pane::Speakers),
        30,
        PLAIN,
        (30, 12),
    );
    let shown = text(&buffer);
    assert!(shown.contains("United Kingdom of Great Bri…"), "{shown}");
}

#[test]
fn a_protocol_list_says_so() {
    let mut meeting = (*State::new(seed()).meeting).clone();
    meeting.segments[0].ordering = gavel::domain::Ordering::Protocol;
    let mut state = State::new(Arc::new(meeting));
    run(&mut state, &[(0, "close list")]);
    let buffer = draw_pane(
        panes::speakers::draw,
        &state,
        &ui(Pane::Speakers),
        0,
        PLAIN,
        SPEAKERS[0],
    );
    let header = text(&buffer).lines().nth(1).unwrap().to_string();
    assert!(
        header.contains("Opening session") && header.contains("by protocol · list closed"),
        "{header}"
    );
}

/// Notes holding flags (two regional indicators each), one a run of flags
/// longer than a line, so that lines break among them.
fn with_flags() -> State {
    let mut state = opening();
    let flags = "🇲🇱🇫🇷🇩🇿🇳🇪🇹🇩".repeat(9);
    let long = format!("note Flags at the table: {flags} and a right of reply 🇲🇱");
    let notes = [
        "note Mali 🇲🇱 thanks France 🇫🇷 and Algeria 🇩🇿 #summary".to_string(),
        long,
        "note x🇲🇱🇫🇷 y🇩🇿🇳🇪🇹🇩 z #action".to_string(),
        // An emoji joined by ZWJ is left out: terminals that give each of its
        // characters its own cells draw it three times as wide as the rest.
        "note the conjunct क्‍ष stays whole".to_string(),
        "note last one".to_string(),
    ];
    let script: Vec<(i64, &str)> = notes.iter().map(|n| (600, n.as_str())).collect();
    run(&mut state, &script);
    state
}

/// Every cell holds whole graphemes: a flag never split over two cells or two
/// lines (a lone regional indicator is the stray half a terminal shows), and
/// a symbol two columns wide leaves the cell after it blank, inside the row.
fn assert_whole_graphemes(buffer: &Buffer, what: &str) {
    let regional = |c: char| ('\u{1F1E6}'..='\u{1F1FF}').contains(&c);
    let w = buffer.area.width;
    for y in 0..buffer.area.height {
        let mut x = 0;
        while x < w {
            let symbol = buffer[(x, y)].symbol();
            let halves = symbol.chars().filter(|c| regional(*c)).count();
            assert!(
                halves % 2 == 0,
                "{what}: half a flag at ({x}, {y}) {symbol:?}:\n{}",
                text(buffer)
            );
            let cells = ratatui::text::Span::raw(symbol).width().max(1) as u16;
            assert!(
                x + cells <= w,
                "{what}: {symbol:?} at ({x}, {y}) runs past the edge:\n{}",
                text(buffer)
            );
            for after in x + 1..x + cells {
                assert!(
                    buffer[(after, y)].symbol().trim().is_empty(),
                    "{what}: the cell under the second half of {symbol:?} at ({x}, {y}) holds {:?}",
                    buffer[(after, y)].symbol()
                );
            }
            x += cells;
        }
    }
}

/// The screen a terminal emulator shows after the bytes gavel's backend
/// wrote for `frames` frames drawn one after another.
struct Emulated {
    terminal: Terminal<Wire<Vec<u8>>>,
    screen: vt100::Parser,
}

impl Emulated {
    fn new((w, h): (u16, u16)) -> Emulated {
        let wire = Wire::with_size(Vec::new(), ratatui::layout::Size::new(w, h));
        let nz = |n| std::num::NonZeroU16::new(n).expect("above zero");
        Emulated {
            terminal: Terminal::new(wire).unwrap(),
            screen: vt100::Parser::new(nz(h), nz(w), 0),
        }
    }

    fn draw(&mut self, state: &State, ui: &Ui) {
        let view = View {
            state,
            keys: &gavel::tui::keymap::Keymap::default(),
            ui,
            now: at_secs(700),
            theme: PLAIN,
        };
        self.terminal
            .draw(|frame| panes::notes::draw(frame, frame.area(), &view))
            .unwrap();
        let bytes = std::mem::take(self.terminal.backend_mut().writer_mut());
        self.screen.process(&bytes);
    }

    /// Each cell's text, a blank one as a space whether written or not.
    fn cells(&self) -> Vec<Vec<String>> {
        let screen = self.screen.screen();
        let (h, w) = screen.size();
        let cell = |y, x| match screen.cell(y, x).expect("a cell").contents() {
            "" => " ".to_string(),
            text => text.to_string(),
        };
        (0..h.get())
            .map(|y| (0..w.get()).map(|x| cell(y, x)).collect())
            .collect()
    }
}

#[test]
fn flags_in_notes_stay_whole_as_the_pane_scrolls() {
    let state = with_flags();
    let mut checked = 0;
    for w in 20..=64u16 {
        for h in [3u16, 5, 11] {
            // One terminal scrolled from the newest note up to the first and
            // back: what the frames before leave on it must not show.
            let mut scrolled = Emulated::new((w, h));
            let mut ui = ui(Pane::Notes);
            for cursor in [None, Some(4), Some(3), Some(2), Some(1), Some(2), Some(5)] {
                ui.note_cursor = cursor;
                let what = format!("{w}x{h}, cursor {cursor:?}");
                let fresh = draw_pane(panes::notes::draw, &state, &ui, 700, PLAIN, (w, h));
                assert_whole_graphemes(&fresh, &what);
                scrolled.draw(&state, &ui);
                let mut once = Emulated::new((w, h));
                once.draw(&state, &ui);
                assert_eq!(scrolled.cells(), once.cells(), "{what}:\n{}", text(&fresh));
                checked += 1;
            }
        }
    }
    assert_eq!(
        checked,
        45 * 3 * 7,
        "every width, height and scroll position"
    );
}

// --- attendance ---

/// The opening under way, with attendance recorded: Mali and the United
/// Nations came before the opening, France sent a deputy, China left, Egypt
/// sent regrets; the European Union and others listed were not recorded.
fn with_attendance() -> State {
    let mut state = opening();
    run(
        &mut state,
        &[
            (401, "present mali-president at 15:25"),
            (402, "present united nations at 15:26"),
            (
                403,
                "present france by Mr. François Delattre, Permanent Representative",
            ),
            (404, "present china"),
            (450, "absent china"),
            (451, "absent egypt"),
        ],
    );
    state
}

#[test]
fn speakers_marks_those_not_recorded_present() {
    let state = with_attendance();
    let ui = ui(Pane::Speakers);
    for (size, name) in SPEAKERS.iter().zip(["80x24", "160x48"]) {
        let buffer = draw_pane(panes::speakers::draw, &state, &ui, WARNING, PLAIN, *size);
        let shown = text(&buffer);
        assert!(shown.contains("away"), "{shown}");
        assert_snapshot!(format!("speakers_attendance_marks_{name}"), shown);
    }
    // Nothing recorded, nothing marked: a meeting that does not take
    // attendance reads as it always did.
    let buffer = draw_pane(
        panes::speakers::draw,
        &opening(),
        &ui,
        WARNING,
        PLAIN,
        SPEAKERS[0],
    );
    assert!(!text(&buffer).contains("away"));
}

#[test]
fn speakers_shows_who_is_present() {
    let state = with_attendance();
    let mut ui = ui(Pane::Speakers);
    ui.attendance_view = true;
    for (size, name) in SPEAKERS.iter().zip(["80x24", "160x48"]) {
        let buffer = draw_pane(panes::speakers::draw, &state, &ui, WARNING, PLAIN, *size);
        assert_snapshot!(format!("speakers_attendance_view_{name}"), text(&buffer));
    }
    let empty = draw_pane(
        panes::speakers::draw,
        &opening(),
        &ui,
        WARNING,
        PLAIN,
        SPEAKERS[0],
    );
    assert!(text(&empty).contains("No attendance recorded — i to record present"));
}
// --- Suspension of the meeting (issue 13, item 6) ---

/// The opening suspended at 15:37:40, Algeria's timer held at 1:00, and ten
/// minutes of the suspension gone.
fn suspended() -> State {
    let mut state = opening();
    run(&mut state, &[(460, "suspend informal consultations")]);
    state
}

const SUSPENDED_NOW: i64 = 460 + 600;

#[test]
fn clock_while_suspended() {
    let state = suspended();
    let ui = ui(Pane::Speakers);
    for (size, name) in CLOCK.iter().zip(["80x24", "160x48"]) {
        let buffer = draw_pane(panes::clock::draw, &state, &ui, SUSPENDED_NOW, PLAIN, *size);
        let shown = text(&buffer);
        assert!(shown.contains("SUSPENDED since 15:37"), "{shown}");
        assert!(
            shown.contains(" 7m40s"),
            "the suspension is not the meeting's time: {shown}"
        );
        assert_snapshot!(format!("clock_suspended_{name}"), shown);
    }
}

#[test]
fn board_while_suspended() {
    let state = suspended();
    for (size, name) in BOARD.iter().zip(["80x24", "160x48"]) {
        let buffer = draw_board(&state, SUSPENDED_NOW, PLAIN, *size);
        let shown = text(&buffer);
        assert!(
            shown.contains("SUSPENDED since 15:37 (informal consultations)"),
            "{shown}"
        );
        assert_snapshot!(format!("board_suspended_{name}"), shown);
    }
}

// --- end of suspension ---

// --- groups, joint statements, languages and categories (issue 13) ---

/// A General Assembly debate: the list shows each speaker's language and,
/// since the segment's limits go by category, its category; a statement for
/// a group and a joint one are named so, on the list and on the floor.
fn general_assembly() -> State {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("config/general-assembly-debate.toml");
    let meeting = gavel::config::load(&path).expect("the example").meeting;
    let mut state = State::new(Arc::new(meeting));
    run(
        &mut state,
        &[
            (0, "open"),
            (0, "next"),
            (10, "add Egypt for \"the Group of Arab States\" in ar"),
            (20, "add Sweden with Denmark, Finland, Iceland, Norway"),
            (30, "add Holy See"),
            (40, "add France in French"),
            (50, "add Pakistan reply"),
            (300, "next"),
        ],
    );
    state
}

#[test]
fn speakers_name_groups_joint_statements_languages_and_categories() {
    let state = general_assembly();
    let ui = ui(Pane::Speakers);
    for (size, name) in SPEAKERS.iter().zip(["80x24", "160x48"]) {
        let buffer = draw_pane(panes::speakers::draw, &state, &ui, 400, PLAIN, *size);
        let shown = text(&buffer);
        assert!(shown.contains("Egypt, on behalf of the"), "{shown}");
        assert!(shown.contains("in Arabic"), "{shown}");
        assert!(shown.contains("Grp"), "{shown}");
        assert_snapshot!(format!("speakers_groups_and_languages_{name}"), shown);
    }
    for (size, name) in BOARD.iter().zip(["80x24", "160x48"]) {
        let shown = text(&draw_board(&state, 400, PLAIN, *size));
        assert!(
            shown.contains("Egypt, on behalf of the Group of Arab States"),
            "{shown}"
        );
        assert!(shown.contains("in Arabic"), "{shown}");
        assert_snapshot!(format!("board_group_in_arabic_{name}"), shown);
    }
}
