//! `gavel settings`: where the officer's settings are, whether they were
//! read, and what is in force; with `--check`, only whether they read.

use super::{Code, Failure, out};
use crate::config::settings::{self, Found};
use crate::tui::theme::Theme;

pub(super) fn show(check_only: bool) -> Result<(), Failure> {
    let Some(path) = settings::path() else {
        return Err(Failure::new(
            Code::Failure,
            "no home folder, so no settings file: the defaults are in force",
        ));
    };
    let (s, found) = settings::load_found(&path).map_err(|e| Failure::new(Code::Usage, e))?;
    let shown = path.display();
    if check_only {
        match found {
            Found::Read => out!(
                "{shown}: ok — {} key binding(s) of your own",
                s.keys.changes().len()
            ),
            Found::Absent => out!("{shown}: no such file; the defaults are in force"),
        }
        return Ok(());
    }
    match found {
        Found::Read => out!("settings file: {shown} (read)"),
        Found::Absent => out!("settings file: {shown} (not there: the defaults are in force)"),
    }
    let user = std::env::var("USER").unwrap_or_default();
    match &s.operator {
        Some(name) => out!("operator = {name:?}  (from the settings)"),
        None => out!("operator = {user:?}  (from $USER; --operator overrides it)"),
    }
    let no_color = super::context::no_color();
    let color = s.color.unwrap_or(true) && !no_color;
    let why = if no_color { "  (NO_COLOR is set)" } else { "" };
    out!("color = {color}{why}");
    let (theme, why) = match (no_color, s.color, s.theme.as_deref()) {
        (true, ..) => ("plain", "  (NO_COLOR is set)".to_string()),
        (_, Some(false), _) => ("plain", "  (color = false)".to_string()),
        (.., name) => (
            name.unwrap_or("default"),
            format!("  (the themes: {})", Theme::NAMES.join(", ")),
        ),
    };
    out!("theme = {theme:?}{why}");
    for (role, spec) in &s.styles {
        out!("[theme] {role} = {spec:?}");
    }
    let changes = s.keys.changes();
    if changes.is_empty() {
        out!("keys: the defaults (gavel keys prints them)");
    } else {
        out!(
            "keys: {} binding(s) of your own; the rest as gavel keys prints them",
            changes.len()
        );
        for change in changes {
            out!("  {change}");
        }
    }
    Ok(())
}
