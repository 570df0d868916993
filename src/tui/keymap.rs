//! The key table in force: [`BINDINGS`] as shipped, with the officer's own
//! keys from the settings' `[keys]` tables put in place of the defaults.
//! Dispatch, the footer and the `?` help all read it, so a key moved in the
//! settings moves everywhere at once.

use super::keys::{Action, BINDINGS, Binding, Key, REST, Rest, Scope};
use super::prompt::Edit;
use super::view::Pane;

/// One binding as it stands: the defaults' words, the keys in force.
#[derive(Debug, Clone)]
struct Bound {
    scope: Scope,
    keys: Vec<Key>,
    action: Action,
    short: &'static str,
    help: &'static str,
    footer: bool,
}

impl From<&Binding> for Bound {
    fn from(b: &Binding) -> Bound {
        Bound {
            scope: b.scope,
            keys: b.keys.to_vec(),
            action: b.action,
            short: b.short,
            help: b.help,
            footer: b.footer,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Bound>,
}

impl Default for Keymap {
    fn default() -> Keymap {
        Keymap {
            bindings: BINDINGS.iter().map(Bound::from).collect(),
        }
    }
}

/// Where a settings table rebinds: `[keys]` is wherever the action is bound
/// among the panes; `[keys.speakers]` and the others one scope alone.
pub const SECTIONS: [(&str, Scope); 10] = [
    ("speakers", Scope::Pane(Pane::Speakers)),
    ("seats", Scope::Pane(Pane::Seats)),
    ("notes", Scope::Pane(Pane::Notes)),
    ("prompt", Scope::Prompt),
    ("confirm", Scope::Confirm),
    ("summary", Scope::Summary),
    ("help", Scope::Help),
    ("board", Scope::Board),
    ("small", Scope::TooSmall),
    ("rooms", Scope::Rooms),
];

impl Keymap {
    /// The action a key has in `scope`: an `Always` binding first, then the
    /// scope's own, then for a pane those of every pane, then what the scope
    /// does with the rest.
    pub fn action(&self, scope: Scope, key: Key) -> Option<Action> {
        let bound = |scope: Scope| {
            self.bindings
                .iter()
                .find(|b| b.scope == scope && b.keys.contains(&key))
                .map(|b| b.action)
        };
        let panes = matches!(scope, Scope::Pane(_)).then_some(Scope::Panes);
        bound(Scope::Always)
            .or_else(|| bound(scope))
            .or_else(|| panes.and_then(bound))
            .or_else(|| rest(scope, key))
    }

    /// The first key that does `action` in `scope`, as a hint names it.
    pub fn key_for(&self, scope: Scope, action: Action) -> Option<Key> {
        let panes = matches!(scope, Scope::Pane(_)).then_some(Scope::Panes);
        [Some(Scope::Always), Some(scope), panes]
            .into_iter()
            .flatten()
            .find_map(|s| {
                self.bindings
                    .iter()
                    .find(|b| b.scope == s && b.action == action)
                    .and_then(|b| b.keys.first().copied())
            })
    }

    /// `n next · a add · …` for the footer: a pane's own keys, then those of
    /// every pane; on the board, the board's.
    pub fn footer(&self, scope: Scope) -> Vec<(String, &'static str)> {
        let own = self
            .bindings
            .iter()
            .filter(|b| b.scope == scope && b.footer);
        let global = self
            .bindings
            .iter()
            .filter(|b| matches!(scope, Scope::Pane(_)) && b.scope == Scope::Panes && b.footer);
        own.chain(global)
            .filter_map(|b| b.keys.first().map(|k| (k.label(), b.short)))
            .collect()
    }

    /// The help's sections: the focused pane's keys first, then those that
    /// work everywhere, then the other panes'.
    pub fn help(&self, focus: Pane) -> Vec<(&'static str, Vec<(String, &'static str)>)> {
        let section = |wanted: &dyn Fn(Scope) -> bool| -> Vec<(String, &'static str)> {
            self.bindings
                .iter()
                .filter(|b| in_panes(b.scope) && wanted(b.scope))
                .map(|b| (labels(&b.keys), b.help))
                .collect()
        };
        let pane = |p: Pane| move |s: Scope| s == Scope::Pane(p);
        let mut sections = vec![
            (focus.title(), section(&pane(focus))),
            (
                "Everywhere",
                section(&|s| matches!(s, Scope::Panes | Scope::Always)),
            ),
        ];
        let others = Pane::ALL
            .into_iter()
            .filter(|p| *p != focus)
            .map(|p| (p.title(), section(&pane(p))));
        sections.extend(others);
        sections.retain(|(_, keys)| !keys.is_empty());
        sections
    }

    /// Puts `keys` in place of the keys of `name` in `section` (`None`:
    /// wherever the action is bound among the panes). Refused, in words, for
    /// a name that is no action there, or a key the input line must keep.
    pub fn rebind(
        &mut self,
        section: Option<&str>,
        name: &str,
        keys: &[Key],
    ) -> Result<(), String> {
        let scopes: Vec<Scope> = match section {
            None => Vec::new(),
            Some(s) => match SECTIONS.iter().find(|(n, _)| *n == s) {
                Some((_, scope)) => vec![*scope],
                None => return Err(unknown_section(s)),
            },
        };
        let wanted = |b: &Bound| match section {
            None => matches!(b.scope, Scope::Pane(_) | Scope::Panes),
            Some(_) => scopes.contains(&b.scope),
        };
        let mut found = false;
        for b in self.bindings.iter_mut().filter(|b| wanted(b)) {
            if action_name(b.action) == Some(name) {
                if b.scope == Scope::Prompt
                    && let Some(k) = keys.iter().find(|k| matches!(k, Key::Char(_)))
                {
                    return Err(format!(
                        "{} would no longer be typed into the input line: bind a key that types nothing (Ctrl-…, Enter, an arrow)",
                        k.name()
                    ));
                }
                b.keys = keys.to_vec();
                found = true;
            }
        }
        if found {
            return Ok(());
        }
        Err(unknown_action(section, name, self))
    }

    /// Keys that mean two things where the officer is: within a pane with
    /// the keys of every pane, or within an overlay, each with the keys that
    /// always work. Each as a sentence.
    pub fn clashes(&self) -> Vec<String> {
        let mut clashes = Vec::new();
        let areas: Vec<(String, Vec<Scope>)> = Pane::ALL
            .into_iter()
            .map(|p| (p.title().to_string(), vec![Scope::Pane(p), Scope::Panes]))
            .chain(
                SECTIONS
                    .iter()
                    .filter(|(_, s)| !matches!(s, Scope::Pane(_)))
                    .map(|(n, s)| (format!("the {n}"), vec![*s])),
            )
            .collect();
        for (area, scopes) in areas {
            let mut seen: Vec<(Key, Action)> = Vec::new();
            let here = self
                .bindings
                .iter()
                .filter(|b| b.scope == Scope::Always || scopes.contains(&b.scope));
            for b in here {
                for k in &b.keys {
                    match seen.iter().find(|(key, _)| key == k) {
                        Some((_, other)) if *other != b.action => clashes.push(format!(
                            "{} is bound twice in {area}: to {} and to {}",
                            k.name(),
                            action_name(*other).unwrap_or("quit at once"),
                            action_name(b.action).unwrap_or("quit at once"),
                        )),
                        Some(_) => {}
                        None => seen.push((*k, b.action)),
                    }
                }
            }
        }
        clashes
    }

    /// The bindings that differ from the shipped ones, each as a settings
    /// line under its table: `[keys.speakers] next = ["N", "Enter"]`.
    pub fn changes(&self) -> Vec<String> {
        let shipped = Keymap::default();
        self.bindings
            .iter()
            .zip(&shipped.bindings)
            .filter(|(now, was)| now.keys != was.keys)
            .filter_map(|(b, _)| {
                let table = SECTIONS
                    .iter()
                    .find(|(_, s)| *s == b.scope)
                    .map_or("[keys]".to_string(), |(n, _)| format!("[keys.{n}]"));
                let keys: Vec<String> = b.keys.iter().map(|k| format!("{:?}", k.name())).collect();
                Some(format!(
                    "{table} {} = [{}]",
                    action_name(b.action)?,
                    keys.join(", ")
                ))
            })
            .collect()
    }

    /// The bindings in force in the settings' form, ready to copy: the keys
    /// of every pane under `[keys]`, then each scope's own table.
    pub fn as_settings(&self) -> String {
        let mut out = String::from(
            "# gavel's keys as settings.toml takes them: copy the lines you change into\n\
             # ~/.config/gavel/settings.toml. Keys: a character (n, N, ?), Space, Enter,\n\
             # Esc, Tab, Shift-Tab, Backspace, Del, Left, Right, Up, Down, Home, End,\n\
             # PgUp, PgDn, Ctrl-a. Several keys: [\"p\", \"Space\"]. Ctrl-C always quits.\n\n[keys]\n",
        );
        let line = |b: &Bound| {
            let name = action_name(b.action)?;
            let keys: Vec<String> = b.keys.iter().map(|k| format!("{:?}", k.name())).collect();
            let keys = match keys.as_slice() {
                [one] => one.clone(),
                _ => format!("[{}]", keys.join(", ")),
            };
            Some(format!("{name} = {keys}  # {}\n", b.help))
        };
        for b in self.bindings.iter().filter(|b| b.scope == Scope::Panes) {
            out.extend(line(b));
        }
        for (section, scope) in SECTIONS {
            out.push_str(&format!("\n[keys.{section}]\n"));
            for b in self.bindings.iter().filter(|b| b.scope == scope) {
                out.extend(line(b));
            }
        }
        out
    }
}

fn rest(scope: Scope, key: Key) -> Option<Action> {
    let (_, rest, _) = REST.iter().find(|(s, _, _)| *s == scope)?;
    match (rest, key) {
        (Rest::Typed, Key::Char(c)) => Some(Action::Edit(Edit::Insert(c))),
        (Rest::Typed, _) => None,
        (Rest::Closes, _) => Some(Action::Close),
    }
}

/// Whether a binding is one of the panes' (the footer and the `?` help show
/// those; the README shows them all).
pub(super) fn in_panes(scope: Scope) -> bool {
    matches!(scope, Scope::Pane(_) | Scope::Panes | Scope::Always)
}

fn labels(keys: &[Key]) -> String {
    keys.iter().map(|k| k.label()).collect::<Vec<_>>().join(" ")
}

pub fn unknown_section(section: &str) -> String {
    let names: Vec<&str> = SECTIONS.iter().map(|(n, _)| *n).collect();
    format!(
        "there is no [keys.{section}]: the tables are [keys] (the panes) and [keys.{}]",
        names.join("], [keys.")
    )
}

fn unknown_action(section: Option<&str>, name: &str, map: &Keymap) -> String {
    let here: Vec<&str> = map
        .bindings
        .iter()
        .filter(|b| match section {
            None => matches!(b.scope, Scope::Pane(_) | Scope::Panes),
            Some(s) => SECTIONS
                .iter()
                .any(|(n, scope)| *n == s && *scope == b.scope),
        })
        .filter_map(|b| action_name(b.action))
        .collect();
    let mut here = here;
    here.sort_unstable();
    here.dedup();
    let table = section.map_or("[keys]".to_string(), |s| format!("[keys.{s}]"));
    let guess = crate::text::closest(name, here.iter().copied(), 2)
        .map_or(String::new(), |g| format!(" (did you mean {g}?)"));
    format!(
        "{} is not an action of {table}{guess}; its actions are {} (gavel keys prints them all)",
        crate::text::quoted(name),
        here.join(", ")
    )
}

/// Each action's name in the settings. Ctrl-C's quit at once is bound
/// where no table reaches: it always works.
pub fn action_name(action: Action) -> Option<&'static str> {
    use Action as A;
    Some(match action {
        A::FocusNext => "next-pane",
        A::FocusPrevious => "previous-pane",
        A::Focus(Pane::Speakers) => "pane-speakers",
        A::Focus(Pane::Seats) => "pane-seats",
        A::Focus(Pane::Clock) => "pane-clock",
        A::Focus(Pane::Notes) => "pane-notes",
        A::Prompt => "command",
        A::Help => "show-help",
        A::Quit => "quit",
        A::QuitNow => "quit",
        A::Undo => "undo",
        A::Summary => "preview",
        A::Open => "open",
        A::Adjourn => "adjourn",
        A::SegmentNext => "next-segment",
        A::Suspension => "suspend",
        A::Next => "next",
        A::Add => "add",
        A::Reply => "reply",
        A::Order => "order",
        A::FloorSelected => "floor",
        A::PauseResume => "pause",
        A::End => "end",
        A::Extend => "extend",
        A::Up => "up",
        A::Down => "down",
        A::MoveUp => "move-up",
        A::MoveDown => "move-down",
        A::MoveTop => "move-top",
        A::Remove => "remove",
        A::Pass => "pass",
        A::ToggleList => "close-list",
        A::Present => "present",
        A::Absent => "absent",
        A::ShowAttendance => "attendance",
        A::Left => "left",
        A::Right => "right",
        A::SeatHere => "seat",
        A::Release => "release",
        A::Wait => "wait",
        A::Unwait => "unwait",
        A::Block => "block",
        A::NewNote => "note",
        A::Amend => "amend",
        A::Retract => "retract",
        A::Close => "close",
        A::Submit => "send",
        A::Complete => "complete",
        A::Edit(Edit::Left) => "cursor-left",
        A::Edit(Edit::Right) => "cursor-right",
        A::Edit(Edit::Home) => "line-start",
        A::Edit(Edit::End) => "line-end",
        A::Edit(Edit::Backspace) => "backspace",
        A::Edit(Edit::Delete) => "delete",
        A::Edit(Edit::Clear) => "clear-line",
        A::Edit(_) => return None,
        A::Yes => "yes",
        A::PageUp => "page-up",
        A::PageDown => "page-down",
        A::Top => "top",
        A::View => "view",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shipped table has no clash, and every binding but Ctrl-C's has a
    /// name the settings can use.
    #[test]
    fn the_defaults_are_sound_and_named() {
        let map = Keymap::default();
        assert_eq!(map.clashes(), Vec::<String>::new());
        for b in BINDINGS.iter().filter(|b| b.scope != Scope::Always) {
            assert!(action_name(b.action).is_some(), "{:?}", b.action);
        }
    }

    /// One override moves the key in dispatch, the footer and the help.
    #[test]
    fn a_key_moved_moves_in_dispatch_footer_and_help_at_once() {
        let speakers = Scope::Pane(Pane::Speakers);
        let mut map = Keymap::default();
        map.rebind(Some("speakers"), "next", &[Key::Char('N'), Key::Char('>')])
            .unwrap();
        assert_eq!(map.action(speakers, Key::Char('N')), Some(Action::Next));
        assert_eq!(map.action(speakers, Key::Char('>')), Some(Action::Next));
        assert_eq!(map.action(speakers, Key::Char('n')), None);
        assert!(map.footer(speakers).contains(&("N".to_string(), "next")));
        let help = map.help(Pane::Speakers);
        assert!(
            help[0]
                .1
                .contains(&("N >".to_string(), "floor to the next listed"))
        );
        assert_eq!(map.key_for(speakers, Action::Next), Some(Key::Char('N')));
        // `[keys]`: wherever the action is bound among the panes.
        map.rebind(None, "up", &[Key::Char('w')]).unwrap();
        for pane in [Pane::Speakers, Pane::Seats, Pane::Notes] {
            assert_eq!(
                map.action(Scope::Pane(pane), Key::Char('w')),
                Some(Action::Up)
            );
        }
        assert_eq!(map.action(Scope::Summary, Key::Char('k')), Some(Action::Up));
    }

    #[test]
    fn mistakes_are_said_plainly() {
        let mut map = Keymap::default();
        let e = map
            .rebind(Some("speakers"), "nxt", &[Key::Char('n')])
            .unwrap_err();
        assert!(
            e.contains("\"nxt\" is not an action of [keys.speakers] (did you mean next?)"),
            "{e}"
        );
        let e = map
            .rebind(Some("talks"), "next", &[Key::Char('n')])
            .unwrap_err();
        assert!(e.contains("there is no [keys.talks]"), "{e}");
        let e = map
            .rebind(Some("prompt"), "send", &[Key::Char('x')])
            .unwrap_err();
        assert!(e.contains("x would no longer be typed"), "{e}");
        map.rebind(Some("speakers"), "next", &[Key::Char('a')])
            .unwrap();
        assert_eq!(
            map.clashes(),
            ["a is bound twice in Speakers: to next and to add"]
        );
        let mut map = Keymap::default();
        map.rebind(None, "show-help", &[Key::Ctrl('c')]).unwrap();
        assert!(
            map.clashes()[0].contains("Ctrl-c is bound twice"),
            "{:?}",
            map.clashes()
        );
    }

    #[test]
    fn the_printed_defaults_read_back_as_the_defaults() {
        let text = Keymap::default().as_settings();
        let table: toml::Table = toml::from_str(&text).expect("the printout is TOML");
        let keys = table["keys"].as_table().unwrap();
        assert_eq!(keys["next-pane"].as_str(), Some("Tab"));
        assert_eq!(keys["speakers"]["pause"].as_array().unwrap().len(), 2);
        let mut map = Keymap::default();
        for (name, value) in keys {
            if let Some(t) = value.as_table() {
                for (action, keys) in t {
                    map.rebind(Some(name), action, &keys_of(keys)).unwrap();
                }
            } else {
                map.rebind(None, name, &keys_of(value)).unwrap();
            }
        }
        assert_eq!(map.as_settings(), text);
        assert_eq!(map.clashes(), Vec::<String>::new());
    }

    fn keys_of(value: &toml::Value) -> Vec<Key> {
        let one = |v: &toml::Value| Key::parse(v.as_str().unwrap()).unwrap();
        match value.as_array() {
            Some(all) => all.iter().map(one).collect(),
            None => vec![one(value)],
        }
    }
}
