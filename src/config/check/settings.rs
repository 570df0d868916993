//! The officer's `settings.toml`, read as the meeting file is: every mistake
//! at its line and column, all of them at once, and gavel does not start on
//! a file it cannot take whole.

use toml::de::DeValue;

use super::super::Diagnostic;
use std::ops::Range;

use super::super::settings::{Settings, color_against};
use super::findings::{Findings, Val, kind, string, unknown_fields};
use crate::text::quoted;
use crate::tui::keymap::{SECTIONS, unknown_section};
use crate::tui::keys::Key;
use crate::tui::theme::{Role, Theme, parse_style, unknown_role, unknown_theme};

const FIELDS: &[&str] = &["operator", "color", "theme", "keys"];

pub(in crate::config) fn check(text: &str, file: &str) -> Result<Settings, Vec<Diagnostic>> {
    let mut f = Findings::new(text, file);
    let Some(root) = super::parse(&mut f, text) else {
        return Err(f.finish());
    };
    let root = root.get_ref();
    unknown_fields(&mut f, root, "in the settings", FIELDS);
    let mut settings = Settings::default();
    if let Some(value) = root.get("operator") {
        settings.operator = string(&mut f, "operator", value).map(str::to_string);
    }
    if let Some(value) = root.get("color") {
        match value.get_ref() {
            DeValue::Boolean(b) => settings.color = Some(*b),
            other => f.at(
                &value.span(),
                format!("`color` must be true or false, not {}", kind(other)),
            ),
        }
    }
    if let Some(value) = root.get("theme") {
        let at = theme(&mut f, value, &mut settings);
        match (settings.color, settings.theme.as_deref(), at) {
            (Some(false), Some(name), Some(at)) if name != "plain" => {
                f.at(&at, color_against(name));
            }
            _ => {}
        }
    }
    if let Some(value) = root.get("keys") {
        keys(&mut f, value, &mut settings);
    }
    if f.is_clean() {
        Ok(settings)
    } else {
        Err(f.finish())
    }
}

/// `theme = "high-contrast"`, or a `[theme]` table of styles by role with
/// an optional `name` of the theme they change. Each name and style is
/// checked where it stands; the span of the theme's name is returned, where a
/// `color = false` that disagrees with it is said.
fn theme(f: &mut Findings, value: &Val, settings: &mut Settings) -> Option<Range<usize>> {
    match value.get_ref() {
        DeValue::String(name) => theme_name(f, value, name, settings),
        DeValue::Table(table) => {
            let mut at = None;
            for (key, style) in table.iter() {
                let role: &str = key.get_ref();
                let Some(spec) = string(f, role, style) else {
                    continue;
                };
                if role == "name" {
                    at = theme_name(f, style, spec, settings);
                } else if Role::named(role).is_none() {
                    f.at(&key.span(), unknown_role(role));
                } else if let Err(e) = parse_style(spec) {
                    f.at(&style.span(), format!("`{role}`: {e}"));
                } else {
                    settings.styles.push((role.to_string(), spec.to_string()));
                }
            }
            at
        }
        other => {
            f.at(
                &value.span(),
                format!(
                    "`theme` must be a theme's name or a [theme] table, not {}",
                    kind(other)
                ),
            );
            None
        }
    }
}

fn theme_name(
    f: &mut Findings,
    value: &Val,
    name: &str,
    settings: &mut Settings,
) -> Option<Range<usize>> {
    if Theme::named(name).is_none() {
        f.at(&value.span(), unknown_theme(name));
        return None;
    }
    settings.theme = Some(name.to_string());
    Some(value.span())
}

/// `[keys]`: an action of the panes → its keys; `[keys.speakers]` and the
/// other tables: an action of that scope → its keys. Clashes are looked for
/// once every key is in place, and each is said where it was bound.
fn keys(f: &mut Findings, value: &Val, settings: &mut Settings) {
    let DeValue::Table(table) = value.get_ref() else {
        f.at(
            &value.span(),
            format!("`keys` must be a table, not {}", kind(value.get_ref())),
        );
        return;
    };
    let mut placed: Vec<(std::ops::Range<usize>, Vec<Key>)> = Vec::new();
    for (key, entry) in table.iter() {
        let name: &str = key.get_ref();
        match entry.get_ref() {
            DeValue::Table(own) if SECTIONS.iter().any(|(s, _)| *s == name) => {
                for (action, keys) in own.iter() {
                    rebind(f, settings, Some(name), action, keys, &mut placed);
                }
            }
            DeValue::Table(_) => f.at(&key.span(), unknown_section(name)),
            _ => rebind(f, settings, None, key, entry, &mut placed),
        }
    }
    for clash in settings.keys.clashes() {
        // Said at the binding that brought the key in, else at [keys].
        let at = placed
            .iter()
            .rev()
            .find(|(_, keys)| {
                keys.iter()
                    .any(|k| clash.starts_with(&format!("{} ", k.name())))
            })
            .map_or(value.span(), |(span, _)| span.clone());
        f.at(&at, clash);
    }
}

fn rebind(
    f: &mut Findings,
    settings: &mut Settings,
    section: Option<&str>,
    action: &toml::Spanned<toml::de::DeString<'_>>,
    value: &Val,
    placed: &mut Vec<(std::ops::Range<usize>, Vec<Key>)>,
) {
    let name: &str = action.get_ref();
    let Some(keys) = key_list(f, name, value) else {
        return;
    };
    match settings.keys.rebind(section, name, &keys) {
        Ok(()) => placed.push((value.span(), keys)),
        Err(e) => f.at(&action.span(), e),
    }
}

/// `"n"` or `["n", "Space"]`, each key read or said wrong where it stands.
fn key_list(f: &mut Findings, action: &str, value: &Val) -> Option<Vec<Key>> {
    let items: Vec<&Val> = match value.get_ref() {
        DeValue::String(_) => vec![value],
        DeValue::Array(items) if !items.is_empty() => items.iter().collect(),
        DeValue::Array(_) => {
            f.at(&value.span(), format!("`{action}` needs at least one key"));
            return None;
        }
        other => {
            f.at(
                &value.span(),
                format!(
                    "`{action}` must be a key like \"n\" or a list like [\"n\", \"Space\"], not {}",
                    kind(other)
                ),
            );
            return None;
        }
    };
    let mut keys = Vec::new();
    let mut ok = true;
    for item in items {
        let Some(text) = string(f, action, item) else {
            ok = false;
            continue;
        };
        match Key::parse(text) {
            Ok(key) if keys.contains(&key) => {
                f.at(
                    &item.span(),
                    format!("{} is given twice for `{action}`", quoted(text)),
                );
                ok = false;
            }
            Ok(key) => keys.push(key),
            Err(e) => {
                f.at(&item.span(), e);
                ok = false;
            }
        }
    }
    ok.then_some(keys)
}
