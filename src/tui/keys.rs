//! The key table: one list that dispatches keys, draws the footer and the `?`
//! help, so what the screen says a key does is what it does.

use super::view::Pane;

/// A key press, in gavel's own terms: the parser's types stay where input is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Left,
    Right,
    Up,
    Down,
    Home,
    End,
    PageUp,
    PageDown,
}

impl Key {
    pub fn label(self) -> String {
        match self {
            Key::Char(' ') => "Space".into(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl-{}", c.to_ascii_uppercase()),
            Key::Enter => "Enter".into(),
            Key::Esc => "Esc".into(),
            Key::Tab => "Tab".into(),
            Key::BackTab => "Shift-Tab".into(),
            Key::Backspace => "Backspace".into(),
            Key::Delete => "Del".into(),
            Key::Left => "←".into(),
            Key::Right => "→".into(),
            Key::Up => "↑".into(),
            Key::Down => "↓".into(),
            Key::Home => "Home".into(),
            Key::End => "End".into(),
            Key::PageUp => "PgUp".into(),
            Key::PageDown => "PgDn".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    FocusNext,
    FocusPrevious,
    Focus(Pane),
    Prompt,
    Help,
    Quit,
    QuitNow,
    Undo,
    Summary,
    Open,
    Adjourn,
    SegmentNext,
    // Speakers
    Next,
    Add,
    Reply,
    Order,
    FloorSelected,
    PauseResume,
    End,
    Extend,
    Up,
    Down,
    MoveUp,
    MoveDown,
    MoveTop,
    Remove,
    Pass,
    ToggleList,
    // Seats
    Left,
    Right,
    SeatHere,
    Release,
    Wait,
    Unwait,
    Block,
    // Notes
    NewNote,
    Amend,
    Retract,
}

pub struct Binding {
    /// `None`: works in every pane.
    pub pane: Option<Pane>,
    pub keys: &'static [Key],
    pub action: Action,
    /// A word or two for the footer.
    pub short: &'static str,
    /// A sentence for the help.
    pub help: &'static str,
    /// Shown in the footer (the rest only in the help).
    pub footer: bool,
}

const fn bind(
    pane: Option<Pane>,
    keys: &'static [Key],
    action: Action,
    short: &'static str,
    help: &'static str,
    footer: bool,
) -> Binding {
    Binding {
        pane,
        keys,
        action,
        short,
        help,
        footer,
    }
}

use Key::Char as C;
const SPEAKERS: Option<Pane> = Some(Pane::Speakers);
const SEATS: Option<Pane> = Some(Pane::Seats);
const NOTES: Option<Pane> = Some(Pane::Notes);
const ALL: Option<Pane> = None;

#[rustfmt::skip]
pub static BINDINGS: &[Binding] = &[
    bind(SPEAKERS, &[C('n')], Action::Next, "next", "floor to the next listed", true),
    bind(SPEAKERS, &[C('a')], Action::Add, "add", "inscribe (type to search)", true),
    bind(SPEAKERS, &[C('r')], Action::Reply, "reply", "inscribe a right of reply", false),
    bind(SPEAKERS, &[C('o')], Action::Order, "order", "point of order: has floor", true),
    bind(SPEAKERS, &[C(' '), C('p')], Action::PauseResume, "pause", "pause / resume the floor", true),
    bind(SPEAKERS, &[C('e')], Action::End, "end", "end the speech", true),
    bind(SPEAKERS, &[C('x')], Action::Extend, "extend", "extend speaker's limit", false),
    bind(SPEAKERS, &[C('f'), Key::Enter], Action::FloorSelected, "floor", "floor to the selected", false),
    bind(SPEAKERS, &[Key::Up, C('k')], Action::Up, "", "select the one above", false),
    bind(SPEAKERS, &[Key::Down, C('j')], Action::Down, "", "select the one below", false),
    bind(SPEAKERS, &[C('K')], Action::MoveUp, "", "move the selected up", false),
    bind(SPEAKERS, &[C('J')], Action::MoveDown, "", "move the selected down", false),
    bind(SPEAKERS, &[C('t')], Action::MoveTop, "", "move selected to the top", false),
    bind(SPEAKERS, &[C('s')], Action::Pass, "absent", "absent: to the end, once", false),
    bind(SPEAKERS, &[C('d'), Key::Delete], Action::Remove, "remove", "remove selected (asks)", false),
    bind(SPEAKERS, &[C('c')], Action::ToggleList, "", "close/reopen list (asks)", false),
    bind(SEATS, &[Key::Up, C('k')], Action::Up, "", "seat above", false),
    bind(SEATS, &[Key::Down, C('j')], Action::Down, "", "seat below", false),
    bind(SEATS, &[Key::Left, C('h')], Action::Left, "", "seat to the left", false),
    bind(SEATS, &[Key::Right, C('l')], Action::Right, "move", "seat to the right", true),
    bind(SEATS, &[C('s'), Key::Enter], Action::SeatHere, "seat", "seat here or first free", true),
    bind(SEATS, &[C('r'), Key::Delete], Action::Release, "release", "free this seat (asks)", true),
    bind(SEATS, &[C('w')], Action::Wait, "wait", "put on the waitlist", true),
    bind(SEATS, &[C('W')], Action::Unwait, "", "take off the waitlist", false),
    bind(SEATS, &[C('b')], Action::Block, "block", "block/unblock seat (asks)", true),
    bind(NOTES, &[C('i'), C('n'), Key::Enter], Action::NewNote, "note", "write a note (#tags)", true),
    bind(NOTES, &[Key::Up, C('k')], Action::Up, "", "the note above", false),
    bind(NOTES, &[Key::Down, C('j')], Action::Down, "", "the note below", false),
    bind(NOTES, &[C('e')], Action::Amend, "amend", "amend the selected note", true),
    bind(NOTES, &[C('d'), Key::Delete], Action::Retract, "retract", "retract selected (asks)", true),
    bind(ALL, &[Key::Tab], Action::FocusNext, "pane", "next pane", true),
    bind(ALL, &[Key::BackTab], Action::FocusPrevious, "", "previous pane", false),
    bind(ALL, &[C('1')], Action::Focus(Pane::Speakers), "", "pane 1: speakers", false),
    bind(ALL, &[C('2')], Action::Focus(Pane::Seats), "", "pane 2: observer seats", false),
    bind(ALL, &[C('3')], Action::Focus(Pane::Clock), "", "pane 3: clock", false),
    bind(ALL, &[C('4')], Action::Focus(Pane::Notes), "", "pane 4: notes", false),
    bind(ALL, &[C(':')], Action::Prompt, "command", "any command (Tab helps)", true),
    bind(ALL, &[C('u')], Action::Undo, "undo", "undo your last (asks)", true),
    bind(ALL, &[C('P')], Action::Summary, "", "preview the summary", false),
    bind(ALL, &[C('O')], Action::Open, "", "open the meeting (asks)", false),
    bind(ALL, &[C('S')], Action::SegmentNext, "", "next segment (asks)", false),
    bind(ALL, &[C('A')], Action::Adjourn, "", "adjourn meeting (asks)", false),
    bind(ALL, &[C('?')], Action::Help, "help", "this help", true),
    bind(ALL, &[C('q')], Action::Quit, "quit", "quit (asks first)", true),
    bind(ALL, &[Key::Ctrl('c')], Action::QuitNow, "", "quit at once", false),
];

/// The action a key has in `pane`: the pane's own binding first, then a global one.
pub fn action(pane: Pane, key: Key) -> Option<Action> {
    let matches = |b: &&Binding| b.keys.contains(&key);
    let own = BINDINGS
        .iter()
        .filter(|b| b.pane == Some(pane))
        .find(matches);
    own.or_else(|| BINDINGS.iter().filter(|b| b.pane.is_none()).find(matches))
        .map(|b| b.action)
}

/// `n next · a add · …` for the footer of `pane`.
pub fn footer(pane: Pane) -> Vec<(String, &'static str)> {
    let own = BINDINGS.iter().filter(|b| b.pane == Some(pane) && b.footer);
    let global = BINDINGS.iter().filter(|b| b.pane.is_none() && b.footer);
    own.chain(global)
        .map(|b| (b.keys[0].label(), b.short))
        .collect()
}

/// The help's sections: the focused pane's keys first, then those that work
/// everywhere, then the other panes'.
pub fn help(focus: Pane) -> Vec<(&'static str, Vec<(String, &'static str)>)> {
    let section = |pane: Option<Pane>| -> Vec<(String, &'static str)> {
        BINDINGS
            .iter()
            .filter(|b| b.pane == pane)
            .map(|b| {
                (
                    b.keys
                        .iter()
                        .map(|k| k.label())
                        .collect::<Vec<_>>()
                        .join(" "),
                    b.help,
                )
            })
            .collect()
    };
    let mut sections = vec![
        (focus.title(), section(Some(focus))),
        ("Everywhere", section(None)),
    ];
    let others = Pane::ALL
        .into_iter()
        .filter(|p| *p != focus)
        .map(|p| (p.title(), section(Some(p))));
    sections.extend(others);
    sections.retain(|(_, keys)| !keys.is_empty());
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_means_two_things_in_one_pane() {
        for pane in Pane::ALL {
            let mut seen = std::collections::HashSet::new();
            for b in BINDINGS.iter().filter(|b| b.pane == Some(pane)) {
                for k in b.keys {
                    assert!(seen.insert(*k), "{k:?} twice in {pane:?}");
                }
            }
        }
    }

    #[test]
    fn pane_keys_shadow_global_ones_and_the_rest_fall_through() {
        assert_eq!(action(Pane::Speakers, Key::Char('n')), Some(Action::Next));
        assert_eq!(action(Pane::Notes, Key::Char('n')), Some(Action::NewNote));
        assert_eq!(action(Pane::Clock, Key::Char('n')), None);
        assert_eq!(action(Pane::Clock, Key::Char('q')), Some(Action::Quit));
        assert_eq!(action(Pane::Seats, Key::Tab), Some(Action::FocusNext));
    }

    #[test]
    fn the_readme_key_table_says_what_the_keys_do() {
        let readme = include_str!("../../README.md");
        for b in BINDINGS {
            let keys: Vec<String> = b.keys.iter().map(|k| format!("`{}`", k.label())).collect();
            let row = format!("| {} | {} |", keys.join(" "), b.help);
            assert!(readme.contains(&row), "README lacks the key row {row}");
        }
    }

    #[test]
    fn every_binding_is_in_the_help() {
        let help = help(Pane::Notes);
        let lines: usize = help.iter().map(|(_, keys)| keys.len()).sum();
        assert_eq!(lines, BINDINGS.len());
    }
}
