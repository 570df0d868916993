//! The screen's theme: the settings' `theme` and `color`, and `NO_COLOR`.

use crate::config::settings::Settings;
use crate::tui::theme::Theme;

/// `NO_COLOR` (any non-empty value) wins, as no-color.org asks, and gives
/// exactly the plain theme. `color = false` is `theme = "plain"`, and
/// saying both with another theme is a contradiction the officer is told of.
pub fn theme_from(settings: &Settings, no_color: bool) -> Result<Theme, String> {
    let empty = Default::default();
    let (base, styles) = match &settings.theme {
        Some(t) => (t.base.as_deref(), &t.styles),
        None => (None, &empty),
    };
    let base = match (settings.color, base) {
        (Some(false), Some(name)) if name != "plain" => {
            return Err(format!(
                "color = false and theme {name:?} disagree; keep one (color = false is theme \"plain\")"
            ));
        }
        (Some(false), _) => Some("plain"),
        (_, base) => base,
    };
    let styles = styles.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    // Built even under NO_COLOR, so a mistake in the file is said today,
    // not on the day NO_COLOR is unset.
    let theme = Theme::customised(base, styles)?;
    Ok(if no_color { Theme::PLAIN } else { theme })
}

pub fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::settings::ThemeSetting;
    use crate::tui::theme::{Role, parse_style};

    fn settings(color: Option<bool>, base: Option<&str>, styles: &[(&str, &str)]) -> Settings {
        let theme = ThemeSetting {
            base: base.map(String::from),
            styles: styles
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        };
        Settings {
            color,
            theme: Some(theme),
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
        let off = Settings {
            color: Some(false),
            ..Settings::default()
        };
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
