//! The key table: one list that dispatches every key, in the panes and over
//! whatever is open above them, and draws the footer and the `?` help, so
//! what the screen says a key does is what it does.

use super::prompt::Edit;
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

/// Keys by the names the settings give them, beside [`Key::label`]'s.
const NAMED: [(&str, Key); 15] = [
    ("Enter", Key::Enter),
    ("Esc", Key::Esc),
    ("Tab", Key::Tab),
    ("Shift-Tab", Key::BackTab),
    ("Backspace", Key::Backspace),
    ("Del", Key::Delete),
    ("Left", Key::Left),
    ("Right", Key::Right),
    ("Up", Key::Up),
    ("Down", Key::Down),
    ("Home", Key::Home),
    ("End", Key::End),
    ("PgUp", Key::PageUp),
    ("PgDn", Key::PageDown),
    ("Space", Key::Char(' ')),
];

impl Key {
    /// The key as the settings write it: `n`, `Space`, `Ctrl-a`, `Left`.
    pub fn name(self) -> String {
        match self {
            Key::Char(c) if c != ' ' => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl-{c}"),
            other => NAMED
                .iter()
                .find(|(_, k)| *k == other)
                .map_or_else(|| other.label(), |(n, _)| (*n).to_string()),
        }
    }

    /// A key named as [`Key::name`] writes it, in any case for the named
    /// keys (`enter`, `PageUp` and `Delete` too), or why not.
    pub fn parse(text: &str) -> Result<Key, String> {
        let mut chars = text.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            if c.is_control() {
                return Err("a control character is no key: write Ctrl-a, Enter or Tab".into());
            }
            return Ok(Key::Char(c));
        }
        let lower = text.to_ascii_lowercase();
        let aliases = [
            ("delete", Key::Delete),
            ("pageup", Key::PageUp),
            ("pagedown", Key::PageDown),
            ("escape", Key::Esc),
            ("backtab", Key::BackTab),
        ];
        if let Some((_, key)) = NAMED
            .iter()
            .copied()
            .chain(aliases)
            .find(|(n, _)| n.to_ascii_lowercase() == lower)
        {
            return Ok(key);
        }
        if let Some(rest) = lower
            .strip_prefix("ctrl-")
            .or_else(|| lower.strip_prefix("ctrl+"))
            && let [c] = rest.chars().collect::<Vec<_>>()[..]
            && c.is_ascii_alphabetic()
        {
            return Ok(Key::Ctrl(c));
        }
        Err(format!(
            "{} is not a key: write one character (n, N, ?), Ctrl-a, or one of {}",
            crate::text::quoted(text),
            NAMED.map(|(n, _)| n).join(", ")
        ))
    }

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
    /// Suspends the meeting, or reconvenes it when suspended.
    Suspension,
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
    // --- attendance ---
    Present,
    Absent,
    ShowAttendance,
    // --- end attendance ---
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
    // Over the panes: the input line, a question, the summary, the help
    /// Closes what is open (a question: cancels it).
    Close,
    Submit,
    Complete,
    Edit(Edit),
    Yes,
    PageUp,
    PageDown,
    Top,
    /// `gavel rooms`: the selected meeting on its own screen, read-only.
    View,
}

/// Where a binding holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Pane(Pane),
    /// Every pane, with nothing open over them; a pane's own binding comes first.
    Panes,
    /// Everywhere, whatever is open, on the board and on a screen too small:
    /// nothing else may bind these keys.
    Always,
    /// The input line: the `:` prompt, the note and amend editors, search.
    Prompt,
    /// A question waiting for `y`.
    Confirm,
    Summary,
    Help,
    /// The chair's board.
    Board,
    /// A terminal too small to show anything.
    TooSmall,
    /// `gavel rooms`, the meetings of a conference.
    Rooms,
}

/// What the keys that a scope does not bind do there, where they do anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rest {
    /// A character is typed into the line.
    Typed,
    /// Any key closes what is open.
    Closes,
}

impl Rest {
    /// Which keys, in the README's words.
    pub fn keys(self) -> &'static str {
        match self {
            Rest::Typed => "any other character",
            Rest::Closes => "any other key",
        }
    }
}

pub struct Binding {
    pub scope: Scope,
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
    scope: Scope,
    keys: &'static [Key],
    action: Action,
    short: &'static str,
    help: &'static str,
    footer: bool,
) -> Binding {
    Binding {
        scope,
        keys,
        action,
        short,
        help,
        footer,
    }
}

use Key::Char as C;
const SPEAKERS: Scope = Scope::Pane(Pane::Speakers);
const SEATS: Scope = Scope::Pane(Pane::Seats);
const NOTES: Scope = Scope::Pane(Pane::Notes);
const ALL: Scope = Scope::Panes;
const ALWAYS: Scope = Scope::Always;
const PROMPT: Scope = Scope::Prompt;
const CONFIRM: Scope = Scope::Confirm;
const SUMMARY: Scope = Scope::Summary;
const HELP: Scope = Scope::Help;
const BOARD: Scope = Scope::Board;
const TOO_SMALL: Scope = Scope::TooSmall;
const ROOMS: Scope = Scope::Rooms;

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
    bind(SPEAKERS, &[C('i')], Action::Present, "", "record present (search)", false),
    bind(SPEAKERS, &[C('I')], Action::Absent, "", "record absent (search)", false),
    bind(SPEAKERS, &[C('v')], Action::ShowAttendance, "", "who is present: show/hide", false),
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
    bind(ALL, &[C('B')], Action::Suspension, "", "suspend/reconvene (asks)", false),
    bind(ALL, &[C('?')], Action::Help, "help", "this help", true),
    bind(ALL, &[C('q')], Action::Quit, "quit", "quit (asks first)", true),
    bind(ALWAYS, &[Key::Ctrl('c')], Action::QuitNow, "", "quit at once", false),
    bind(PROMPT, &[Key::Enter], Action::Submit, "", "send the line", false),
    bind(PROMPT, &[Key::Esc], Action::Close, "", "close the line", false),
    bind(PROMPT, &[Key::Tab], Action::Complete, "", "complete, or the next choice", false),
    bind(PROMPT, &[Key::Up], Action::Up, "", "the choice above", false),
    bind(PROMPT, &[Key::Down], Action::Down, "", "the choice below", false),
    bind(PROMPT, &[Key::Left], Action::Edit(Edit::Left), "", "cursor left", false),
    bind(PROMPT, &[Key::Right], Action::Edit(Edit::Right), "", "cursor right", false),
    bind(PROMPT, &[Key::Home, Key::Ctrl('a')], Action::Edit(Edit::Home), "", "to the start of the line", false),
    bind(PROMPT, &[Key::End, Key::Ctrl('e')], Action::Edit(Edit::End), "", "to the end of the line", false),
    bind(PROMPT, &[Key::Backspace], Action::Edit(Edit::Backspace), "", "delete before the cursor", false),
    bind(PROMPT, &[Key::Delete], Action::Edit(Edit::Delete), "", "delete at the cursor", false),
    bind(PROMPT, &[Key::Ctrl('u')], Action::Edit(Edit::Clear), "", "clear the line", false),
    bind(CONFIRM, &[C('y'), C('Y')], Action::Yes, "", "yes: do it", false),
    bind(SUMMARY, &[Key::Up, C('k')], Action::Up, "", "scroll up", false),
    bind(SUMMARY, &[Key::Down, C('j')], Action::Down, "", "scroll down", false),
    bind(SUMMARY, &[Key::PageUp], Action::PageUp, "", "a page up", false),
    bind(SUMMARY, &[Key::PageDown, C(' ')], Action::PageDown, "", "a page down", false),
    bind(SUMMARY, &[Key::Home], Action::Top, "", "back to the top", false),
    bind(HELP, &[Key::Up, C('k')], Action::Up, "", "scroll up", false),
    bind(HELP, &[Key::Down, C('j')], Action::Down, "", "scroll down", false),
    bind(HELP, &[Key::PageUp], Action::PageUp, "", "a page up", false),
    bind(HELP, &[Key::PageDown, C(' ')], Action::PageDown, "", "a page down", false),
    bind(HELP, &[Key::Home], Action::Top, "", "back to the top", false),
    bind(BOARD, &[C('q'), Key::Esc], Action::QuitNow, "quit", "quit the board", true),
    bind(TOO_SMALL, &[C('q')], Action::QuitNow, "", "quit, unless a line is open (the screen is too small to ask)", false),
    bind(ROOMS, &[Key::Up, C('k')], Action::Up, "", "the meeting above", false),
    bind(ROOMS, &[Key::Down, C('j')], Action::Down, "", "the meeting below", false),
    bind(ROOMS, &[Key::PageUp], Action::PageUp, "", "a page up", false),
    bind(ROOMS, &[Key::PageDown], Action::PageDown, "", "a page down", false),
    bind(ROOMS, &[Key::Home], Action::Top, "", "the first: most in need of attention", false),
    bind(ROOMS, &[Key::Enter], Action::View, "open", "its own screen, read-only (q there comes back)", true),
    bind(ROOMS, &[C('q'), Key::Esc], Action::QuitNow, "quit", "quit the rooms", true),
];

/// What the other keys do where they do anything, and the README's words for it.
pub static REST: &[(Scope, Rest, &str)] = &[
    (Scope::Prompt, Rest::Typed, "typed into the line"),
    (Scope::Confirm, Rest::Closes, "cancels"),
    (Scope::Summary, Rest::Closes, "closes the preview"),
    (Scope::Help, Rest::Closes, "closes the help"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::Keymap;

    fn action(scope: Scope, key: Key) -> Option<Action> {
        Keymap::default().action(scope, key)
    }

    fn footer(scope: Scope) -> Vec<(String, &'static str)> {
        Keymap::default().footer(scope)
    }

    fn help(focus: Pane) -> Vec<(&'static str, Vec<(String, &'static str)>)> {
        Keymap::default().help(focus)
    }

    fn in_panes(b: &Binding) -> bool {
        crate::tui::keymap::in_panes(b.scope)
    }

    const SCOPES: [Scope; 12] = [
        Scope::Pane(Pane::Speakers),
        Scope::Pane(Pane::Seats),
        Scope::Pane(Pane::Clock),
        Scope::Pane(Pane::Notes),
        Scope::Panes,
        Scope::Always,
        Scope::Prompt,
        Scope::Confirm,
        Scope::Summary,
        Scope::Help,
        Scope::Board,
        Scope::Rooms,
    ];

    #[test]
    fn no_key_means_two_things_in_one_scope() {
        for scope in SCOPES.into_iter().chain([Scope::TooSmall]) {
            let mut seen = std::collections::HashSet::new();
            for b in BINDINGS.iter().filter(|b| b.scope == scope) {
                for k in b.keys {
                    assert!(seen.insert(*k), "{k:?} twice in {scope:?}");
                }
            }
        }
        let always: Vec<Key> = BINDINGS
            .iter()
            .filter(|b| b.scope == Scope::Always)
            .flat_map(|b| b.keys.iter().copied())
            .collect();
        for b in BINDINGS.iter().filter(|b| b.scope != Scope::Always) {
            assert!(
                b.keys.iter().all(|k| !always.contains(k)),
                "{:?} binds a key that always quits",
                b.action
            );
        }
    }

    #[test]
    fn pane_keys_shadow_global_ones_and_the_rest_fall_through() {
        let pane = Scope::Pane;
        assert_eq!(
            action(pane(Pane::Speakers), Key::Char('n')),
            Some(Action::Next)
        );
        assert_eq!(
            action(pane(Pane::Notes), Key::Char('n')),
            Some(Action::NewNote)
        );
        assert_eq!(action(pane(Pane::Clock), Key::Char('n')), None);
        assert_eq!(
            action(pane(Pane::Clock), Key::Char('q')),
            Some(Action::Quit)
        );
        assert_eq!(action(pane(Pane::Seats), Key::Tab), Some(Action::FocusNext));
    }

    #[test]
    fn ctrl_c_quits_at_once_whatever_is_open() {
        for scope in SCOPES.into_iter().chain([Scope::TooSmall]) {
            assert_eq!(
                action(scope, Key::Ctrl('c')),
                Some(Action::QuitNow),
                "{scope:?}"
            );
        }
    }

    /// What the overlays' titles and the board's footer say of their keys.
    #[test]
    fn the_keys_over_the_panes_do_what_their_titles_say() {
        let x = Key::Char('x');
        assert_eq!(action(Scope::Summary, Key::Up), Some(Action::Up));
        assert_eq!(
            action(Scope::Summary, Key::PageDown),
            Some(Action::PageDown)
        );
        assert_eq!(action(Scope::Summary, x), Some(Action::Close));
        assert_eq!(action(Scope::Help, x), Some(Action::Close));
        assert_eq!(action(Scope::Prompt, Key::Tab), Some(Action::Complete));
        assert_eq!(action(Scope::Prompt, Key::Enter), Some(Action::Submit));
        assert_eq!(action(Scope::Prompt, Key::Esc), Some(Action::Close));
        assert_eq!(
            action(Scope::Prompt, x),
            Some(Action::Edit(Edit::Insert('x')))
        );
        assert_eq!(action(Scope::Prompt, Key::PageUp), None);
        assert_eq!(action(Scope::Confirm, Key::Char('y')), Some(Action::Yes));
        assert_eq!(action(Scope::Confirm, Key::Char('n')), Some(Action::Close));
        assert_eq!(action(Scope::Board, Key::Char('q')), Some(Action::QuitNow));
        assert_eq!(action(Scope::Board, Key::Char('n')), None);
        assert_eq!(
            action(Scope::TooSmall, Key::Char('q')),
            Some(Action::QuitNow)
        );
        assert_eq!(footer(Scope::Board), [("q".to_string(), "quit")]);
    }

    #[test]
    fn the_readme_key_table_says_what_the_keys_do() {
        let readme = include_str!("../../README.md");
        for b in BINDINGS {
            let keys: Vec<String> = b.keys.iter().map(|k| format!("`{}`", k.label())).collect();
            let row = format!("| {} | {} |", keys.join(" "), b.help);
            assert!(readme.contains(&row), "README lacks the key row {row}");
        }
        for (_, rest, what) in REST {
            let row = format!("| {} | {what} |", rest.keys());
            assert!(readme.contains(&row), "README lacks the key row {row}");
        }
    }

    #[test]
    fn every_pane_binding_is_in_the_help() {
        let help = help(Pane::Notes);
        let lines: usize = help.iter().map(|(_, keys)| keys.len()).sum();
        assert_eq!(lines, BINDINGS.iter().filter(|b| in_panes(b)).count());
    }
}
