//! The list of commands, shared by the parser's messages, the prompt's
//! completion and the help overlay, so that all three say the same thing.

use crate::text::closest;

/// One command of the language, as the prompt completes it and the help shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandHelp {
    pub word: &'static str,
    pub usage: &'static str,
    pub summary: &'static str,
    /// What comes after the word: what the prompt's Tab offers there.
    pub takes: Argument,
}

/// The first thing a command takes after its word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Argument {
    /// Nothing, or only `at <time>`.
    Nothing,
    /// Anyone who can speak: a roster id, a delegation, a name, a Member State.
    Speaker,
    Delegation,
    Seat,
    SeatOrDelegation,
    /// `next` or a segment's id.
    Segment,
    /// One word, always the same (`close list`).
    Word(&'static str),
    Duration,
    NoteNumber,
    Text,
    /// Why the meeting is suspended, words to the end (`suspend`).
    Reason,
}

const fn help(
    word: &'static str,
    usage: &'static str,
    summary: &'static str,
    takes: Argument,
) -> CommandHelp {
    CommandHelp {
        word,
        usage,
        summary,
        takes,
    }
}

use Argument::*;

static COMMANDS: [CommandHelp; 30] = [
    help("open", "open [at T]", "open the meeting", Nothing),
    help("adjourn", "adjourn [at T]", "adjourn the meeting", Nothing),
    help(
        "segment",
        "segment next | segment <id>",
        "move to the next segment, or to a named one",
        Segment,
    ),
    help(
        "add",
        "add <who> [reply|order] [for <group>] [with <delegation>, …] [in <lang>] [limit <dur>]",
        "inscribe a speaker: statement (for a group, or joint), right of reply or point of order",
        Speaker,
    ),
    help(
        "next",
        "next [at T]",
        "give the floor to the next speaker listed",
        Nothing,
    ),
    help(
        "floor",
        "floor <who> [at T]",
        "give the floor to someone, listed or not",
        Speaker,
    ),
    help(
        "pause",
        "pause [at T]",
        "pause the timer of the speaker holding the floor",
        Nothing,
    ),
    help(
        "resume",
        "resume [at T]",
        "resume the timer of the speaker holding the floor",
        Nothing,
    ),
    help(
        "end",
        "end [at T]",
        "end the speech of the speaker holding the floor",
        Nothing,
    ),
    help(
        "extend",
        "extend <dur>",
        "give the speaker holding the floor more time",
        Duration,
    ),
    help(
        "move",
        "move <who> up|down|top|bottom|<position>",
        "move a listed speaker",
        Speaker,
    ),
    help(
        "swap",
        "swap <who> with <who>",
        "two listed speakers exchange places",
        Speaker,
    ),
    help(
        "remove",
        "remove <who>",
        "take a speaker off the list",
        Speaker,
    ),
    help(
        "pass",
        "pass <who>",
        "an absent speaker goes to the end of the list, once",
        Speaker,
    ),
    help(
        "close",
        "close list",
        "close the list of speakers",
        Word("list"),
    ),
    help(
        "reopen",
        "reopen list",
        "reopen the list of speakers",
        Word("list"),
    ),
    help(
        "seat",
        "seat <delegation> [<seat>]",
        "seat an observer delegation, in a given seat or the first free one",
        Delegation,
    ),
    help(
        "release",
        "release <seat|delegation>",
        "free a seat, or every seat of a delegation",
        SeatOrDelegation,
    ),
    help(
        "wait",
        "wait <delegation>",
        "put a delegation on the waitlist for a seat",
        Delegation,
    ),
    help(
        "unwait",
        "unwait <delegation>",
        "take a delegation off the waitlist",
        Delegation,
    ),
    help("block", "block <seat>", "take a seat out of use", Seat),
    help(
        "unblock",
        "unblock <seat>",
        "put a blocked seat back in use",
        Seat,
    ),
    help(
        "note",
        "note <text with #tags>",
        "write a note; #summary, #action and #decision tag it",
        Text,
    ),
    help(
        "amend",
        "amend <note#> <text>",
        "rewrite a note, keeping its history",
        NoteNumber,
    ),
    help(
        "retract",
        "retract <note#>",
        "withdraw a note, keeping its history",
        NoteNumber,
    ),
    // --- attendance ---
    help(
        "present",
        "present <delegation> [by <name>] [at T]",
        "record a delegation present, or who represents it now",
        Delegation,
    ),
    help(
        "absent",
        "absent <delegation> [at T]",
        "record a delegation absent: it left, or sent regrets",
        Delegation,
    ),
    // --- end attendance ---
    help("undo", "undo", "revert your last action", Nothing),
    // --- Suspension of the meeting (issue 13, item 6) ---
    help(
        "suspend",
        "suspend [<reason>] [at T]",
        "suspend the meeting: the timers stop until it reconvenes",
        Reason,
    ),
    help(
        "reconvene",
        "reconvene [at T]",
        "reconvene the suspended meeting",
        Nothing,
    ),
    // --- end of suspension ---
];

/// Every command, in the order the help shows them.
pub fn commands() -> &'static [CommandHelp] {
    &COMMANDS
}

pub(super) fn find(word: &str) -> Option<&'static CommandHelp> {
    COMMANDS.iter().find(|c| c.word.eq_ignore_ascii_case(word))
}

/// The usage as an officer reads it in a message: `<who>` spelled out.
pub(super) fn usage(word: &str) -> String {
    let usage = find(word).map_or(word, |c| c.usage);
    usage.replace("<who>", "<delegation or roster id>")
}

/// Longer words than this are not typos of a command, and comparing them costs time.
const MAX_TYPO_LEN: usize = 12;

/// The command the officer most likely meant: the closest by edit distance,
/// or the only one the word begins.
pub(super) fn suggest(word: &str) -> Option<&'static str> {
    let word = word.to_lowercase();
    let len = word.chars().count();
    if len == 0 || len > MAX_TYPO_LEN {
        return None;
    }
    let allowed = if len < 4 { 1 } else { 2 };
    closest(&word, COMMANDS.iter().map(|c| c.word), allowed).or_else(|| only_prefix(&word))
}

fn only_prefix(word: &str) -> Option<&'static str> {
    let mut matching = COMMANDS
        .iter()
        .filter(|c| word.len() >= 2 && c.word.starts_with(word));
    match (matching.next(), matching.next()) {
        (Some(only), None) => Some(only.word),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_swap_of_two_letters_is_one_slip() {
        assert_eq!(suggest("udno"), Some("undo"));
        assert_eq!(suggest("dad"), Some("add"));
        assert_eq!(suggest("nxet"), Some("next"));
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest("nxt"), Some("next"));
        assert_eq!(suggest("ADJURN"), Some("adjourn"));
        assert_eq!(suggest("retr"), Some("retract"));
        assert_eq!(suggest("xyzzy"), None);
        assert_eq!(suggest(&"a".repeat(1000)), None);
    }

    /// What the table says a command takes is what its usage shows first.
    #[test]
    fn what_a_command_takes_is_what_its_usage_says() {
        for c in commands() {
            let first = c.usage.split_whitespace().nth(1).unwrap_or("");
            let shown = match c.takes {
                Nothing => ["", "[at"].contains(&first),
                Speaker => first == "<who>",
                Delegation => first == "<delegation>",
                Seat => first == "<seat>",
                SeatOrDelegation => first == "<seat|delegation>",
                Segment => first == "next",
                Word(word) => first == word,
                Duration => first == "<dur>",
                NoteNumber => first == "<note#>",
                Text => first == "<text",
                Reason => first == "[<reason>]",
            };
            assert!(shown, "{}: {:?} but {:?}", c.word, c.takes, c.usage);
        }
    }

    #[test]
    fn every_command_is_listed_once() {
        let mut words: Vec<_> = commands().iter().map(|c| c.word).collect();
        words.sort_unstable();
        words.dedup();
        assert_eq!(words.len(), commands().len());
        assert!(commands().iter().all(|c| c.usage.starts_with(c.word)));
    }
}
