//! Splitting a sanitised line into words, with double quotes keeping a name
//! whole and out of reach of the keywords.

use super::ParseError;

/// One word of a command line. A quoted word is never read as a keyword.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Word {
    pub text: String,
    pub quoted: bool,
}

impl Word {
    pub fn is(&self, keyword: &str) -> bool {
        !self.quoted && self.text.eq_ignore_ascii_case(keyword)
    }

    pub fn is_any(&self, keywords: &[&str]) -> bool {
        keywords.iter().any(|k| self.is(k))
    }
}

/// The first word and everything after it, untouched: notes keep their text as typed.
pub(super) fn first_word(line: &str) -> (&str, &str) {
    let line = line.trim_start();
    let end = line.find(char::is_whitespace).unwrap_or(line.len());
    line.split_at(end)
}

pub(super) fn split(line: &str) -> Result<Vec<Word>, ParseError> {
    let mut words = Vec::new();
    let mut rest = line.trim_start();
    while !rest.is_empty() {
        let (word, tail) = match rest.strip_prefix('"') {
            Some(inner) => quoted(inner)?,
            None => plain(rest),
        };
        words.push(word);
        rest = tail.trim_start();
    }
    Ok(words)
}

fn quoted(inner: &str) -> Result<(Word, &str), ParseError> {
    let end = inner.find('"').ok_or_else(|| {
        ParseError::new("a quote is not closed: put a \" at the end of the name as well")
    })?;
    let word = Word {
        text: inner[..end].trim().to_string(),
        quoted: true,
    };
    Ok((word, &inner[end + 1..]))
}

fn plain(rest: &str) -> (Word, &str) {
    let (text, tail) = first_word(rest);
    (
        Word {
            text: text.to_string(),
            quoted: false,
        },
        tail,
    )
}

/// The words as one name, the way they were typed apart from the quotes.
pub(super) fn join(words: &[Word]) -> String {
    let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    texts.join(" ")
}

/// Cuts off the last unquoted `keyword` and what follows it, which are returned.
pub(super) fn split_off_last(words: &mut Vec<Word>, keyword: &str) -> Option<Vec<Word>> {
    let at = words.iter().rposition(|w| w.is(keyword))?;
    let mut tail = words.split_off(at);
    tail.remove(0);
    Some(tail)
}

/// Takes the last word if it is one of `keywords`.
pub(super) fn pop_keyword(words: &mut Vec<Word>, keywords: &[&str]) -> Option<Word> {
    if words.last()?.is_any(keywords) {
        words.pop()
    } else {
        None
    }
}
