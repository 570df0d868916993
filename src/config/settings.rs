//! The officer's own settings, optional: `settings.toml` in the user's config
//! folder (`~/.config/gavel/settings.toml` on Linux).
//!
//! ```toml
//! operator = "ana"         # the name the journal records (else --operator, else $USER)
//! theme = "high-contrast"  # or a [theme] table of styles by role; see theme_setting.rs
//! # color = false          # plain styles, as NO_COLOR does: theme = "plain"
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub operator: Option<String>,
    pub color: Option<bool>,
    pub theme: Option<ThemeSetting>,
}

pub use super::theme_setting::ThemeSetting;

pub fn path() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "gavel", "gavel")
        .map(|d| d.config_dir().join("settings.toml"))
}

/// No file is no settings; a file that does not read is an error in plain
/// words, not silently ignored.
pub fn load(path: &Path) -> Result<Settings, String> {
    // A settings file is a few lines; a megabyte is not one.
    match crate::files::read_named(path, 1 << 20) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes)
                .map_err(|_| format!("{}: not UTF-8 text", path.display()))?;
            toml::from_str(&text).map_err(|e| format!("{}: {}", path.display(), e.message()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Settings::default()),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_read_and_refuse_unknown_fields() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("settings.toml");
        assert_eq!(load(&file), Ok(Settings::default()));
        std::fs::write(&file, "operator = \"ana\"\ncolor = false\n").unwrap();
        assert_eq!(
            load(&file),
            Ok(Settings {
                operator: Some("ana".into()),
                color: Some(false),
                theme: None,
            })
        );
        std::fs::write(&file, "operatr = \"ana\"\n").unwrap();
        assert!(load(&file).unwrap_err().contains("operatr"));
    }
}
