use ratatui::style::{Color, Modifier, Style};

use super::*;

fn style(spec: &str) -> Style {
    parse_style(spec).unwrap_or_else(|e| panic!("{spec}: {e}"))
}

#[test]
fn style_specs_read_as_the_settings_write_them() {
    let table = [
        (
            "bold yellow on blue",
            Style::new()
                .fg(Color::Yellow)
                .bg(Color::Blue)
                .add_modifier(Modifier::BOLD),
        ),
        ("reversed", Style::new().add_modifier(Modifier::REVERSED)),
        (
            "#ff8800 on black",
            Style::new().fg(Color::Rgb(255, 136, 0)).bg(Color::Black),
        ),
        (
            "underlined dim",
            Style::new().add_modifier(Modifier::UNDERLINED | Modifier::DIM),
        ),
        ("on lightred", Style::new().bg(Color::LightRed)),
        (
            "  Bold   DarkGray ",
            Style::new()
                .fg(Color::DarkGray)
                .add_modifier(Modifier::BOLD),
        ),
        (
            "italic gray on default",
            Style::new()
                .fg(Color::Gray)
                .bg(Color::Reset)
                .add_modifier(Modifier::ITALIC),
        ),
        ("none", Style::new()),
    ];
    for (spec, want) in table {
        assert_eq!(style(spec), want, "{spec}");
    }
}

#[test]
fn bad_style_specs_name_the_bad_word_and_what_is_allowed() {
    let table = [
        ("bold purple", "\"purple\""),
        ("blink", "\"blink\""),
        ("#ff88", "\"#ff88\""),
        ("#gg8800", "\"#gg8800\""),
        ("red on", "`on` with no colour"),
        ("red blue", "two colours"),
        ("on red on blue", "two backgrounds"),
        ("on bold", "\"bold\""),
        ("", "empty"),
        ("bold none", "`none`"),
    ];
    for (spec, says) in table {
        let error = parse_style(spec).expect_err(spec);
        assert!(error.contains(says), "{spec}: {error}");
    }
    let error = parse_style("underline").unwrap_err();
    assert!(error.contains("(did you mean underlined?)"), "{error}");
    let error = parse_style("bold purple").unwrap_err();
    for allowed in ["bold", "underlined", "lightred", "#rrggbb", "`on`"] {
        assert!(error.contains(allowed), "{error}");
    }
}

#[test]
fn colour_names_read_back() {
    for spec in ["red", "darkgray", "lightmagenta", "#0a0b0c", "default"] {
        assert_eq!(color_name(style(spec).fg), spec);
    }
    assert_eq!(color_name(None), "-");
}

#[test]
fn every_role_and_theme_has_a_name_that_finds_it() {
    for role in Role::ALL {
        assert_eq!(Role::named(role.name()), Some(*role));
    }
    assert_eq!(Role::ALL.len(), ROLES);
    for name in Theme::NAMES {
        assert!(Theme::named(name).is_some(), "{name}");
    }
    assert_eq!(Theme::named("plain"), Some(Theme::PLAIN));
    assert_eq!(Theme::named("Default"), None);
}

#[test]
fn with_replaces_one_role_only() {
    let red = style("bold white on red");
    let theme = Theme::PLAIN.with(Role::Floor, red);
    assert_eq!(theme.ok(), red);
    for role in Role::ALL.iter().filter(|r| **r != Role::Floor) {
        assert_eq!(
            theme.style(*role),
            Theme::PLAIN.style(*role),
            "{}",
            role.name()
        );
    }
}

#[test]
fn the_plain_theme_has_no_colour() {
    for role in Role::ALL {
        let s = Theme::PLAIN.style(*role);
        assert_eq!((s.fg, s.bg), (None, None), "{}", role.name());
    }
}

#[test]
fn the_high_contrast_theme_never_dims_and_backs_every_state() {
    for role in Role::ALL {
        let s = Theme::HIGH_CONTRAST.style(*role);
        assert!(!s.add_modifier.contains(Modifier::DIM), "{}", role.name());
        assert_ne!(s.fg, Some(Color::DarkGray), "{}", role.name());
    }
    let states = [
        Role::Floor,
        Role::Warning,
        Role::Over,
        Role::Taken,
        Role::Offered,
        Role::Blocked,
    ];
    for role in states {
        let s = Theme::HIGH_CONTRAST.style(role);
        assert!(
            s.bg.is_some() && s.add_modifier.contains(Modifier::BOLD),
            "{}",
            role.name()
        );
    }
}

#[test]
fn the_default_theme_keeps_the_colours_it_had() {
    let t = Theme::DEFAULT;
    assert_eq!(t.ok().fg, Some(Color::Green));
    assert_eq!(t.warn(), style("bold yellow"));
    assert_eq!(t.over(), style("bold red"));
    assert_eq!(t.focused(), style("bold cyan"));
    assert_eq!(t.unfocused(), style("darkgray"));
    assert_eq!(t.seat_taken(), style("bold blue"));
    assert_eq!(t.tag(), style("magenta"));
    assert_eq!(t.selected(), style("reversed"));
}

#[test]
fn a_customised_theme_starts_from_its_base() {
    let theme =
        Theme::customised(Some("high-contrast"), [("over", "bold yellow on blue")]).unwrap();
    assert_eq!(theme.over(), style("bold yellow on blue"));
    assert_eq!(theme.warn(), Theme::HIGH_CONTRAST.warn());
    assert_eq!(Theme::customised(None, []), Ok(Theme::DEFAULT));
}

#[test]
fn a_customised_theme_names_what_is_wrong() {
    let error = Theme::customised(Some("solarized"), []).unwrap_err();
    assert!(
        error.contains("\"solarized\"") && error.contains("high-contrast"),
        "{error}"
    );
    let error = Theme::customised(None, [("flor", "bold")]).unwrap_err();
    assert!(
        error.contains("\"flor\"") && error.contains("floor, warning"),
        "{error}"
    );
    let error = Theme::customised(None, [("over", "bold purple")]).unwrap_err();
    assert!(
        error.contains("[theme] over") && error.contains("\"purple\""),
        "{error}"
    );
}
