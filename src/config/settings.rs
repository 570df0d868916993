//! The officer's own settings, optional: `settings.toml` in the user's config
//! folder (`~/.config/gavel/settings.toml` on Linux).
//!
//! ```toml
//! operator = "ana"         # the name the journal records (else --operator, else $USER)
//! theme = "high-contrast"  # or a [theme] table of styles by role
//! # color = false          # plain styles, as NO_COLOR does: theme = "plain"
//! ```

use std::path::{Path, PathBuf};

use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

/// What the settings file says, already checked; the defaults where it is
/// silent.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub operator: Option<String>,
    pub color: Option<bool>,
    /// A built-in theme's name, as written: `theme = "…"`, or `name` in `[theme]`.
    pub theme: Option<String>,
    /// `[theme]`: a role's name → its style spec, as written, in order.
    pub styles: Vec<(String, String)>,
    /// The key table with the file's `[keys]` in place.
    pub keys: Keymap,
}

pub fn path() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "gavel", "gavel")
        .map(|d| d.config_dir().join("settings.toml"))
}

/// Whether the file was there to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    Read,
    Absent,
}

/// No file is no settings; a file that does not read is every mistake in it,
/// each at its line and column, not silently ignored.
pub fn load(path: &Path) -> Result<Settings, String> {
    load_found(path).map(|(settings, _)| settings)
}

pub fn load_found(path: &Path) -> Result<(Settings, Found), String> {
    // A settings file is a few lines; a megabyte is not one.
    let bytes = match crate::files::read_named(path, 1 << 20) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok((Settings::default(), Found::Absent));
        }
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let text =
        String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8 text", path.display()))?;
    super::check::settings::check(&text, &path.display().to_string())
        .map(|settings| (settings, Found::Read))
        .map_err(|found| {
            let lines: Vec<String> = found.iter().map(ToString::to_string).collect();
            format!("{} has errors:\n{}", path.display(), lines.join("\n"))
        })
}

/// The screen's theme. `NO_COLOR` wins, as no-color.org asks, and gives
/// exactly the plain theme; `color = false` is `theme = "plain"`, and saying
/// it with another theme is a contradiction the officer is told of.
pub fn theme_from(settings: &Settings, no_color: bool) -> Result<Theme, String> {
    let base = match (settings.color, settings.theme.as_deref()) {
        (Some(false), Some(name)) if name != "plain" => return Err(color_against(name)),
        (Some(false), _) => Some("plain"),
        (_, base) => base,
    };
    let styles = settings
        .styles
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()));
    // Built even under NO_COLOR, so a mistake is said today, not on the day
    // NO_COLOR is unset.
    let theme = Theme::customised(base, styles)?;
    Ok(if no_color { Theme::PLAIN } else { theme })
}

pub(super) fn color_against(theme: &str) -> String {
    format!(
        "`color = false` and theme {theme:?} disagree; keep one (color = false is theme \"plain\")"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keys::{Action, Key, Scope};
    use crate::tui::view::Pane;

    fn with(text: &str) -> Result<Settings, String> {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("settings.toml");
        std::fs::write(&file, text).unwrap();
        load(&file).map_err(|e| e.replace(&file.display().to_string(), "settings.toml"))
    }

    #[test]
    fn settings_read_and_refuse_unknown_fields() {
        let dir = tempfile::tempdir().unwrap();
        let (none, found) = load_found(&dir.path().join("settings.toml")).unwrap();
        assert_eq!((none.operator, found), (None, Found::Absent));
        let s = with("operator = \"ana\"\ncolor = false\n").unwrap();
        assert_eq!((s.operator.as_deref(), s.color), (Some("ana"), Some(false)));
        let e = with("operatr = \"ana\"\n").unwrap_err();
        assert!(
            e.contains("settings.toml:1:1: unknown field `operatr`"),
            "{e}"
        );
    }

    #[test]
    fn keys_of_ones_own_move_the_key_everywhere() {
        let s = with(
            "[keys]\nquit = \"Q\"\n[keys.speakers]\nnext = [\"N\", \"Enter\"]\nfloor = \"f\"\n",
        )
        .unwrap();
        let speakers = Scope::Pane(Pane::Speakers);
        assert_eq!(s.keys.action(speakers, Key::Enter), Some(Action::Next));
        assert_eq!(
            s.keys.action(Scope::Pane(Pane::Seats), Key::Char('Q')),
            Some(Action::Quit)
        );
        assert_eq!(s.keys.action(speakers, Key::Char('q')), None);
    }

    /// Each mistake at its line and column, all of them at once.
    #[test]
    fn each_mistake_in_the_keys_is_said_where_it_stands() {
        let e = with(
            "color = \"no\"\n\
             [keys]\n\
             nxt = \"n\"\n\
             [keys.speakers]\n\
             next = \"Ctrl-Shift-x\"\n\
             add = \"e\"\n\
             pause = []\n\
             [keys.talks]\n\
             next = \"n\"\n",
        )
        .unwrap_err();
        for expected in [
            "settings.toml:1:9: `color` must be true or false, not a string",
            "settings.toml:3:1: \"nxt\" is not an action of [keys] (did you mean next?",
            "settings.toml:5:8: \"Ctrl-Shift-x\" is not a key",
            "settings.toml:6:7: e is bound twice in Speakers: to add and to end",
            "settings.toml:7:9: `pause` needs at least one key",
            "settings.toml:8:7: there is no [keys.talks]",
        ] {
            assert!(e.contains(expected), "{e}\nlacks {expected}");
        }
    }

    #[test]
    fn a_theme_table_reads_role_by_role() {
        let s = with("[theme]\nname = \"plain\"\nover = \"bold on red\"\n").unwrap();
        assert_eq!(s.theme.as_deref(), Some("plain"));
        assert_eq!(s.styles, [("over".to_string(), "bold on red".to_string())]);
        let s = with("theme = \"high-contrast\"\n").unwrap();
        assert_eq!(
            (s.theme.as_deref(), s.styles.len()),
            (Some("high-contrast"), 0)
        );
    }

    /// Every mistake of the theme at once, each where it stands.
    #[test]
    fn each_mistake_in_the_theme_is_said_where_it_stands() {
        let e = with(
            "[theme]\n\
             name = \"neon\"\n\
             flor = \"bold\"\n\
             over = \"bold red blue\"\n\
             tag = 3\n",
        )
        .unwrap_err();
        for expected in [
            "settings.toml:2:8: \"neon\" is not a built-in theme",
            "settings.toml:3:1: \"flor\" is not a role of [theme] (did you mean floor?)",
            "settings.toml:4:8: `over`: two colours for the text in \"bold red blue\"",
            "settings.toml:5:7: `tag` must be a string, not a whole number",
        ] {
            assert!(e.contains(expected), "{e}\nlacks {expected}");
        }
    }

    mod theme {
        use super::super::*;
        use crate::tui::theme::{Role, parse_style};

        fn settings(color: Option<bool>, base: Option<&str>, styles: &[(&str, &str)]) -> Settings {
            Settings {
                color,
                theme: base.map(String::from),
                styles: styles
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                ..Settings::default()
            }
        }

        #[test]
        fn the_theme_comes_from_the_settings() {
            assert_eq!(theme_from(&Settings::default(), false), Ok(Theme::DEFAULT));
            let hc = settings(None, Some("high-contrast"), &[]);
            assert_eq!(theme_from(&hc, false), Ok(Theme::HIGH_CONTRAST));
            let own = settings(None, None, &[("tag", "bold #ff8800")]);
            let want = Theme::DEFAULT.with(Role::Tag, parse_style("bold #ff8800").unwrap());
            assert_eq!(theme_from(&own, false), Ok(want));
        }

        #[test]
        fn no_color_and_color_false_give_plain() {
            let hc = settings(None, Some("high-contrast"), &[("over", "red")]);
            assert_eq!(theme_from(&hc, true), Ok(Theme::PLAIN));
            let off = settings(Some(false), None, &[]);
            assert_eq!(theme_from(&off, false), Ok(Theme::PLAIN));
            let plain_own = settings(Some(false), None, &[("over", "underlined")]);
            let want = Theme::PLAIN.with(Role::Over, parse_style("underlined").unwrap());
            assert_eq!(theme_from(&plain_own, false), Ok(want));
        }

        #[test]
        fn contradictions_and_mistakes_are_said_even_under_no_color() {
            let both = settings(Some(false), Some("high-contrast"), &[]);
            let error = theme_from(&both, false).unwrap_err();
            assert!(
                error.contains("color = false") && error.contains("high-contrast"),
                "{error}"
            );
            let bad = settings(None, None, &[("over", "blinking")]);
            let error = theme_from(&bad, true).unwrap_err();
            assert!(error.contains("\"blinking\""), "{error}");
        }
    }
}
