//! The settings' `theme`: a built-in theme's name, or a table of styles by
//! role with the built-in they change under `base`.
//!
//! ```toml
//! theme = "high-contrast"
//! # or
//! [theme]
//! base = "high-contrast"
//! over = "bold white on red"
//! ```
//!
//! Only read here; the names are checked where the theme is built, which
//! knows the roles and the style words.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThemeSetting {
    /// The built-in theme the styles change; none is `default`.
    pub base: Option<String>,
    /// Role name → style spec, as written.
    pub styles: BTreeMap<String, String>,
}

impl<'de> Deserialize<'de> for ThemeSetting {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Reader)
    }
}

struct Reader;

impl<'de> Visitor<'de> for Reader {
    type Value = ThemeSetting;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a theme's name, or a [theme] table of styles by role")
    }

    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<ThemeSetting, E> {
        Ok(ThemeSetting {
            base: Some(name.to_string()),
            styles: BTreeMap::new(),
        })
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<ThemeSetting, M::Error> {
        let mut theme = ThemeSetting::default();
        while let Some(key) = map.next_key::<String>()? {
            let value: String = map.next_value()?;
            if key == "base" {
                theme.base = Some(value);
            } else {
                theme.styles.insert(key, value);
            }
        }
        Ok(theme)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::settings::Settings;

    fn read(text: &str) -> Result<Option<ThemeSetting>, String> {
        toml::from_str::<Settings>(text)
            .map(|s| s.theme)
            .map_err(|e| e.message().to_string())
    }

    #[test]
    fn a_theme_is_a_name_or_a_table() {
        assert_eq!(
            read("theme = \"plain\"\n"),
            Ok(Some(ThemeSetting {
                base: Some("plain".into()),
                styles: BTreeMap::new()
            }))
        );
        let table = "[theme]\nbase = \"high-contrast\"\nover = \"bold white on red\"\n";
        assert_eq!(
            read(table),
            Ok(Some(ThemeSetting {
                base: Some("high-contrast".into()),
                styles: [("over".to_string(), "bold white on red".to_string())].into()
            }))
        );
        assert_eq!(read(""), Ok(None));
    }

    #[test]
    fn a_theme_of_another_type_is_refused_in_words() {
        let error = read("theme = 3\n").unwrap_err();
        assert!(
            error.contains("a theme's name, or a [theme] table"),
            "{error}"
        );
        let error = read("[theme]\nover = true\n").unwrap_err();
        assert!(error.contains("a string"), "{error}");
    }
}
