//! Colours and emphasis: a table of named styles, one for each role a piece
//! of the screen plays. Every state that a style shows is also written out in
//! words, so the `plain` theme (what `NO_COLOR` gives) and a washed-out
//! projector lose nothing but emphasis.

mod builtin;
mod spec;

use ratatui::style::Style;

pub use spec::{color_name, parse_style};

macro_rules! roles {
    ($($role:ident = $name:literal: $why:literal,)+) => {
        /// What a piece of the screen is, which decides its style.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Role {
            $(#[doc = $why] $role,)+
        }

        impl Role {
            pub const ALL: &[Role] = &[$(Role::$role,)+];

            /// The role's name in the settings' `[theme]` table.
            pub fn name(self) -> &'static str {
                match self {
                    $(Role::$role => $name,)+
                }
            }
        }
    };
}

roles! {
    Floor = "floor": "A speaker within the limit; on time.",
    Warning = "warning": "Within `warn_before` of the limit; anything the officer should notice.",
    Over = "over": "Past the limit.",
    Selection = "selection": "The row under the cursor.",
    Offered = "offered": "A seat offered to the head of the waitlist.",
    Blocked = "blocked": "A seat blocked from use.",
    Free = "free": "A free seat.",
    Taken = "taken": "A seat in use.",
    Focused = "focused": "The border of the pane that has the focus.",
    Unfocused = "unfocused": "The border of the other panes.",
    Dim = "dim": "Secondary text: times, counts, hints.",
    Title = "title": "Pane titles and headings.",
    Key = "key": "A key in the footer and the help.",
    Tag = "tag": "A note's `#tag`.",
    Error = "error": "An error or a refusal.",
}

impl Role {
    pub fn named(name: &str) -> Option<Role> {
        Role::ALL.iter().copied().find(|r| r.name() == name)
    }

    fn index(self) -> usize {
        self as usize
    }
}

const ROLES: usize = Role::Error as usize + 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    styles: [Style; ROLES],
}

impl Theme {
    pub const DEFAULT: Theme = builtin::DEFAULT;
    pub const PLAIN: Theme = builtin::PLAIN;
    pub const HIGH_CONTRAST: Theme = builtin::HIGH_CONTRAST;

    /// The built-in themes' names, as the settings write them.
    pub const NAMES: &[&str] = &["default", "high-contrast", "plain"];

    pub fn named(name: &str) -> Option<Theme> {
        match name {
            "default" => Some(Theme::DEFAULT),
            "high-contrast" => Some(Theme::HIGH_CONTRAST),
            "plain" => Some(Theme::PLAIN),
            _ => None,
        }
    }

    /// A built-in theme (none is `default`) with some roles' styles
    /// replaced, each given as the settings write it: role name → style spec.
    pub fn customised<'a>(
        base: Option<&str>,
        styles: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Theme, String> {
        let name = base.unwrap_or("default");
        let mut theme = Theme::named(name).ok_or_else(|| unknown_theme(name))?;
        for (role_name, spec) in styles {
            let role = Role::named(role_name).ok_or_else(|| unknown_role(role_name))?;
            let style = parse_style(spec).map_err(|e| format!("[theme] {role_name}: {e}"))?;
            theme = theme.with(role, style);
        }
        Ok(theme)
    }

    /// This theme with one role's style replaced.
    pub fn with(mut self, role: Role, style: Style) -> Theme {
        self.styles[role.index()] = style;
        self
    }

    pub fn style(&self, role: Role) -> Style {
        self.styles[role.index()]
    }

    pub fn text(&self) -> Style {
        Style::default()
    }

    pub fn dim(&self) -> Style {
        self.style(Role::Dim)
    }

    pub fn title(&self) -> Style {
        self.style(Role::Title)
    }

    pub fn focused(&self) -> Style {
        self.style(Role::Focused)
    }

    pub fn unfocused(&self) -> Style {
        self.style(Role::Unfocused)
    }

    pub fn selected(&self) -> Style {
        self.style(Role::Selection)
    }

    /// The `floor` role: a speaker within the limit, on time, present.
    pub fn ok(&self) -> Style {
        self.style(Role::Floor)
    }

    pub fn warn(&self) -> Style {
        self.style(Role::Warning)
    }

    pub fn over(&self) -> Style {
        self.style(Role::Over)
    }

    pub fn error(&self) -> Style {
        self.style(Role::Error)
    }

    pub fn key(&self) -> Style {
        self.style(Role::Key)
    }

    pub fn tag(&self) -> Style {
        self.style(Role::Tag)
    }

    pub fn seat_free(&self) -> Style {
        self.style(Role::Free)
    }

    pub fn seat_taken(&self) -> Style {
        self.style(Role::Taken)
    }

    pub fn seat_blocked(&self) -> Style {
        self.style(Role::Blocked)
    }

    pub fn offered(&self) -> Style {
        self.style(Role::Offered)
    }
}

fn guess<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    crate::text::closest(word, known, 2).map_or(String::new(), |g| format!(" (did you mean {g}?)"))
}

pub fn unknown_theme(name: &str) -> String {
    format!(
        "{} is not a built-in theme{}; the themes: {}",
        crate::text::quoted(name),
        guess(name, Theme::NAMES.iter().copied()),
        Theme::NAMES.join(", ")
    )
}

/// `name` is the table's other key, the theme the roles change.
pub fn unknown_role(name: &str) -> String {
    let roles: Vec<&str> = Role::ALL.iter().map(|r| r.name()).collect();
    format!(
        "{} is not a role of [theme]{}; its roles: {}, and name (the theme they change)",
        crate::text::quoted(name),
        guess(name, roles.iter().copied()),
        roles.join(", ")
    )
}

#[cfg(test)]
mod tests;
