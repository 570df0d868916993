//! The officer's own settings, optional: `settings.toml` in the user's config
//! folder (`~/.config/gavel/settings.toml` on Linux).
//!
//! ```toml
//! operator = "ana"      # the name the journal records (else --operator, else $USER)
//! color = false         # plain styles, as NO_COLOR does
//! ```

use std::path::{Path, PathBuf};

use crate::tui::keymap::Keymap;

/// What the settings file says, already checked; the defaults where it is
/// silent.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub operator: Option<String>,
    pub color: Option<bool>,
    /// A built-in theme's name, as written.
    pub theme: Option<String>,
    /// `[theme]`: a style's name → its spec, as written, in order.
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
}
