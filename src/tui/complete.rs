//! What Tab offers at the `:` prompt: the command words, then what the
//! command table says the command takes (a name, a segment, a fixed word).

use crate::domain::Meeting;
use crate::lang::{Argument, commands};

use super::search::search;

/// What Tab offers for the text typed so far at the `:` prompt.
pub fn offers(meeting: &Meeting, text: &str) -> Vec<String> {
    let Some((word, rest)) = text.split_once(' ') else {
        let mut words: Vec<&str> = commands()
            .iter()
            .map(|c| c.word)
            .filter(|w| w.starts_with(text))
            .collect();
        words.sort_unstable();
        words.dedup();
        return words.into_iter().map(|w| format!("{w} ")).collect();
    };
    let word = word.to_lowercase();
    let Some(command) = commands().iter().find(|c| c.word == word) else {
        return Vec::new();
    };
    let fixed = |options: Vec<String>| -> Vec<String> {
        options
            .into_iter()
            .filter(|o| o.starts_with(rest))
            .map(|o| format!("{word} {o}"))
            .collect()
    };
    match command.takes {
        Argument::Speaker | Argument::Delegation | Argument::SeatOrDelegation => {
            search(meeting, rest)
                .into_iter()
                .map(|f| format!("{word} {}", f.name))
                .collect()
        }
        Argument::Segment => fixed(
            std::iter::once("next".to_string())
                .chain(meeting.segments.iter().map(|s| s.id.to_string()))
                .collect(),
        ),
        Argument::Word(only) => fixed(vec![only.to_string()]),
        Argument::Nothing
        | Argument::Seat
        | Argument::Duration
        | Argument::NoteNumber
        | Argument::Text
        | Argument::Reason => Vec::new(),
    }
}
