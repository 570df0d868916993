//! The command language of the `:` prompt and `gavel do`, parsed in one place.
//!
//! The whole line is sanitised before anything else, so that every name put in
//! a [`Command`] and every word echoed in a [`ParseError`] is safe to show, and
//! quoted back as it was typed.
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
use crate::text::{quoted, sanitise};

pub use help::{Argument, CommandHelp, commands};

/// A speaking limit as `add … limit` takes it (`3m`, `90s`): more than
/// nothing, at most an hour.
pub fn speaking_limit(text: &str) -> Result<u32, ParseError> {
    when::limit("limit", text)
}

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
            quoted(word)
        )),
        None => {
            let all: Vec<&str> = commands().iter().map(|c| c.word).collect();
            ParseError::new(format!(
                "unknown command {}: the commands are {}",
                quoted(word),
                all.join(", ")
            ))
        }
    }
}
