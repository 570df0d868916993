//! The built-in themes. Each is a `match` over every role, so a new role
//! cannot be left without a style in one of them.

use ratatui::style::{Color, Modifier, Style};

use super::{ROLES, Role, Theme};

#[derive(Clone, Copy)]
enum Builtin {
    Default,
    Plain,
    HighContrast,
}

impl Builtin {
    const fn style(self, role: Role) -> Style {
        match self {
            Builtin::Default => default(role),
            Builtin::Plain => plain(role),
            Builtin::HighContrast => high_contrast(role),
        }
    }
}

const fn table(theme: Builtin) -> Theme {
    let mut styles = [Style::new(); ROLES];
    let mut i = 0;
    while i < ROLES {
        let role = Role::ALL[i];
        styles[role as usize] = theme.style(role);
        i += 1;
    }
    Theme { styles }
}

pub const DEFAULT: Theme = table(Builtin::Default);
pub const PLAIN: Theme = table(Builtin::Plain);
pub const HIGH_CONTRAST: Theme = table(Builtin::HighContrast);

const NONE: Style = Style::new();
const BOLD: Style = Style::new().add_modifier(Modifier::BOLD);

const fn fg(color: Color) -> Style {
    Style::new().fg(color)
}

const fn bold(color: Color) -> Style {
    fg(color).add_modifier(Modifier::BOLD)
}

const fn bold_on(color: Color, background: Color) -> Style {
    bold(color).bg(background)
}

const fn default(role: Role) -> Style {
    match role {
        Role::Floor | Role::Free => fg(Color::Green),
        Role::Warning => bold(Color::Yellow),
        Role::Over | Role::Error => bold(Color::Red),
        Role::Selection => Style::new().add_modifier(Modifier::REVERSED),
        Role::Offered => fg(Color::Yellow),
        Role::Blocked | Role::Unfocused | Role::Dim => fg(Color::DarkGray),
        Role::Taken => bold(Color::Blue),
        Role::Focused | Role::Key => bold(Color::Cyan),
        Role::Title => BOLD,
        Role::Tag => fg(Color::Magenta),
    }
}

/// Bold, reverse and underline only: what `NO_COLOR` gives.
const fn plain(role: Role) -> Style {
    match role {
        Role::Floor | Role::Free => NONE,
        Role::Warning | Role::Error | Role::Taken | Role::Focused | Role::Key | Role::Title => BOLD,
        Role::Over => BOLD.add_modifier(Modifier::REVERSED),
        Role::Selection => Style::new().add_modifier(Modifier::REVERSED),
        Role::Offered | Role::Tag => Style::new().add_modifier(Modifier::UNDERLINED),
        Role::Blocked | Role::Unfocused | Role::Dim => Style::new().add_modifier(Modifier::DIM),
    }
}

/// For a projector in a bright room: faint grey and `DIM` vanish there, so
/// secondary text is ordinary text, and states sit on strong backgrounds
/// that read from the back of the room whatever the terminal's own colours.
const fn high_contrast(role: Role) -> Style {
    match role {
        Role::Floor => bold_on(Color::Black, Color::Green),
        // The usual state of most seats: a row of green would drown the others.
        Role::Free => BOLD,
        Role::Warning => bold_on(Color::Black, Color::Yellow),
        Role::Over | Role::Error => bold_on(Color::White, Color::Red),
        Role::Selection => BOLD.add_modifier(Modifier::REVERSED),
        Role::Offered => bold_on(Color::Black, Color::Cyan).add_modifier(Modifier::UNDERLINED),
        Role::Blocked => bold_on(Color::White, Color::Black),
        Role::Taken => bold_on(Color::White, Color::Blue),
        Role::Focused => bold_on(Color::Black, Color::Cyan),
        Role::Unfocused | Role::Dim => NONE,
        Role::Title => BOLD,
        Role::Key => BOLD.add_modifier(Modifier::UNDERLINED),
        Role::Tag => bold(Color::Magenta).add_modifier(Modifier::UNDERLINED),
    }
}
