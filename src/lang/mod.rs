//! The command language of the `:` prompt and `gavel do`, parsed in one place.
//!
//! The whole line is sanitised before anything else, so that every name put in
//! a [`Command`] and every word echoed in a [`ParseError`] is safe to show.
//! Keywords that end a command (`at`, `limit`, `reply`, `up`, a seat) are
//! looked for from the end, so names of several words need no quotes unless
//! they end in such a keyword.

mod forms;
mod help;
mod when;
mod words;

#[cfg(test)]
mod tests;

use crate::domain::Command;
use crate::text::sanitise;

pub use help::{Argument, CommandHelp, commands};

/// Why a line is not a command, in words an officer understands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    message: String,
}

impl ParseError {
    fn new(message: impl Into<String>) -> ParseError {
        ParseError {
            message: message.into(),
        }
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

/// Parses one command line; `gavel do` joins its words with spaces first.
pub fn parse(input: &str) -> Result<Command, ParseError> {
    let line = sanitise(input);
    let (word, rest) = words::first_word(&line);
    if word.is_empty() {
        return Err(ParseError::new("type a command, like next or add France"));
    }
    let Some(command) = help::find(word) else {
        return Err(unknown(word));
    };
    forms::parse(command.word, rest)
}

fn unknown(word: &str) -> ParseError {
    match help::suggest(word) {
        Some(guess) => ParseError::new(format!(
            "unknown command {}: did you mean \"{guess}\"?",
            shown(word)
        )),
        None => {
            let all: Vec<&str> = commands().iter().map(|c| c.word).collect();
            ParseError::new(format!(
                "unknown command {}: the commands are {}",
                shown(word),
                all.join(", ")
            ))
        }
    }
}

/// Echoed text is cut short so that a pasted paragraph does not fill the status line.
const MAX_SHOWN_CHARS: usize = 40;

/// Text as quoted back in a message. Callers pass sanitised text only.
fn shown(text: &str) -> String {
    if text.chars().count() <= MAX_SHOWN_CHARS {
        return format!("\"{text}\"");
    }
    let cut: String = text.chars().take(MAX_SHOWN_CHARS).collect();
    format!("\"{cut}…\"")
}
