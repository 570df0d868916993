//! A style as the settings write it: `"bold yellow on blue"`, `"reversed"`,
//! `"#ff8800 on black"`, `"none"`. Words in any order; one colour for the
//! text, and `on` before the background's. Case does not matter.

use ratatui::style::{Color, Modifier, Style};

use crate::text::quoted;

const MODIFIERS: &[(&str, Modifier)] = &[
    ("bold", Modifier::BOLD),
    ("dim", Modifier::DIM),
    ("italic", Modifier::ITALIC),
    ("underlined", Modifier::UNDERLINED),
    ("reversed", Modifier::REVERSED),
];

const COLORS: &[(&str, Color)] = &[
    ("black", Color::Black),
    ("red", Color::Red),
    ("green", Color::Green),
    ("yellow", Color::Yellow),
    ("blue", Color::Blue),
    ("magenta", Color::Magenta),
    ("cyan", Color::Cyan),
    ("gray", Color::Gray),
    ("darkgray", Color::DarkGray),
    ("lightred", Color::LightRed),
    ("lightgreen", Color::LightGreen),
    ("lightyellow", Color::LightYellow),
    ("lightblue", Color::LightBlue),
    ("lightmagenta", Color::LightMagenta),
    ("lightcyan", Color::LightCyan),
    ("white", Color::White),
    ("default", Color::Reset),
];

const ALLOWED: &str = "allowed: bold, dim, italic, underlined, reversed; a colour \
    (black, red, green, yellow, blue, magenta, cyan, gray, darkgray, lightred, lightgreen, \
    lightyellow, lightblue, lightmagenta, lightcyan, white, default, or #rrggbb); \
    `on` and a colour for the background; or `none`";

pub fn parse_style(spec: &str) -> Result<Style, String> {
    let lower = spec.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    match words.as_slice() {
        [] => return Err(format!("an empty style; {ALLOWED}")),
        ["none"] => return Ok(Style::new()),
        _ => {}
    }
    let q = quoted(spec);
    let mut style = Style::new();
    let mut words = words.into_iter();
    while let Some(word) = words.next() {
        if word == "on" {
            let Some(next) = words.next() else {
                return Err(format!("`on` with no colour after it in {q}; {ALLOWED}"));
            };
            let color = color(next).ok_or_else(|| unknown(next, spec))?;
            if style.bg.is_some() {
                return Err(format!("two backgrounds in {q}: say `on` once"));
            }
            style = style.bg(color);
        } else if let Some((_, m)) = MODIFIERS.iter().find(|(name, _)| *name == word) {
            style = style.add_modifier(*m);
        } else if let Some(color) = color(word) {
            if style.fg.is_some() {
                return Err(format!(
                    "two colours for the text in {q} ({} is the second): \
                     write `on` before the background's",
                    quoted(word)
                ));
            }
            style = style.fg(color);
        } else {
            return Err(unknown(word, spec));
        }
    }
    Ok(style)
}

fn unknown(word: &str, spec: &str) -> String {
    let q = quoted(spec);
    if word == "none" {
        return format!("`none` in {q} stands alone, for no style at all");
    }
    let known = MODIFIERS
        .iter()
        .map(|(name, _)| *name)
        .chain(COLORS.iter().map(|(name, _)| *name))
        .chain(["on", "none"]);
    let guess = crate::text::closest(word, known, 2)
        .map_or(String::new(), |g| format!(" (did you mean {g}?)"));
    format!(
        "{} in {q} is not a style word{guess}; {ALLOWED}",
        quoted(word)
    )
}

fn color(word: &str) -> Option<Color> {
    if let Some((_, c)) = COLORS.iter().find(|(name, _)| *name == word) {
        return Some(*c);
    }
    let hex = word.strip_prefix('#')?;
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some(Color::Rgb(channel(0)?, channel(2)?, channel(4)?))
}

/// A colour as [`parse_style`] reads it; `-` for none. Snapshots of styled
/// screens write colours this way.
pub fn color_name(color: Option<Color>) -> String {
    match color {
        None => "-".into(),
        Some(Color::Rgb(r, g, b)) => format!("#{r:02x}{g:02x}{b:02x}"),
        Some(Color::Indexed(i)) => format!("indexed({i})"),
        Some(c) => COLORS
            .iter()
            .find(|(_, named)| *named == c)
            .map_or_else(|| format!("{c:?}"), |(name, _)| name.to_string()),
    }
}
