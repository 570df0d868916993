//! Each built-in theme on the whole screen at 80×24, the seed meeting in
//! progress: snapshots of the styles, which the text snapshots cannot show.
//! Each row is written as runs of cells of one style, `[fg:red bg:- +BOLD]text`,
//! and ends with `|`.

use gavel::config::settings::{Settings, theme_from};
use gavel::text::Clean;
use gavel::tui::app::App;
use gavel::tui::draw;
use gavel::tui::terminal::{Screen, Test};
use gavel::tui::theme::{Theme, color_name};
use gavel::tui::view::Ui;
use ratatui::buffer::{Buffer, Cell};
use ratatui::style::{Color, Modifier};

use crate::support::at_clock;
use crate::tui_screen::meeting_in_progress;

fn buffer(theme: Theme) -> Buffer {
    let app = App::new(
        meeting_in_progress(),
        Ui::new(Clean::new("ana"), false),
        theme,
    );
    let mut screen = Test::new(80, 24);
    screen
        .frame(&mut |frame| draw::screen(frame, &app, at_clock("15:41:20")))
        .unwrap();
    screen.terminal.backend().buffer().clone()
}

/// The terminal's own colour is `-`.
fn color(c: Color) -> String {
    match c {
        Color::Reset => "-".into(),
        c => color_name(Some(c)),
    }
}

fn style_of(cell: &Cell) -> String {
    let mut out = format!("[fg:{} bg:{}", color(cell.fg), color(cell.bg));
    if !cell.modifier.is_empty() {
        out.push(' ');
        for (name, _) in cell.modifier.iter_names() {
            out.push('+');
            out.push_str(name);
        }
    }
    out.push(']');
    out
}

/// The cells a wide character covers after its first are not written.
fn styled(buffer: &Buffer) -> String {
    let w = usize::from(buffer.area.width);
    let mut out = String::new();
    for row in buffer.content.chunks(w) {
        let mut last = None;
        let mut skip = 0;
        for cell in row {
            if skip == 0 {
                let style = style_of(cell);
                if last.as_ref() != Some(&style) {
                    out.push_str(&style);
                    last = Some(style);
                }
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

fn words(buffer: &Buffer) -> String {
    buffer.content.iter().map(Cell::symbol).collect()
}

#[test]
fn the_default_theme_at_80_by_24() {
    insta::assert_snapshot!(styled(&buffer(Theme::DEFAULT)));
}

#[test]
fn the_high_contrast_theme_at_80_by_24() {
    let buffer = buffer(Theme::HIGH_CONTRAST);
    let dimmed = buffer
        .content
        .iter()
        .filter(|c| c.modifier.contains(Modifier::DIM))
        .count();
    assert_eq!(dimmed, 0, "nothing dimmed on a projector");
    insta::assert_snapshot!(styled(&buffer));
}

#[test]
fn the_plain_theme_at_80_by_24() {
    let buffer = buffer(Theme::PLAIN);
    let coloured = buffer
        .content
        .iter()
        .filter(|c| c.fg != Color::Reset || c.bg != Color::Reset)
        .count();
    assert_eq!(coloured, 0, "no colour in the plain theme");
    insta::assert_snapshot!(styled(&buffer));
}

#[test]
fn every_theme_says_the_same_words() {
    let plain = words(&buffer(Theme::PLAIN));
    for name in Theme::NAMES {
        let theme = Theme::named(name).unwrap();
        assert_eq!(words(&buffer(theme)), plain, "{name} changes the words");
    }
}

#[test]
fn no_color_gives_exactly_the_plain_themes_screen() {
    let settings = Settings {
        theme: Some("high-contrast".into()),
        styles: vec![("over".into(), "bold yellow on blue".into())],
        ..Settings::default()
    };
    let plain = buffer(Theme::PLAIN);
    let asked = buffer(theme_from(&settings, false).unwrap());
    assert_ne!(asked, plain, "the settings' theme shows without NO_COLOR");
    assert_eq!(buffer(theme_from(&settings, true).unwrap()), plain);
}
