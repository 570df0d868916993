//! The form of each command, after its first word.

use super::words::{self, Word, join, pop_keyword, split_off_last};
use super::{ParseError, help, when};
use crate::domain::command::Inscription;
use crate::domain::{
    At, Command, Language, Place, SeatId, SeatOrDelegation, SegmentTarget, SpeechKind,
};
use crate::text::{Clean, quoted};

const KINDS: [&str; 3] = ["statement", "reply", "order"];

/// `command` is the command's own spelling, `rest` the sanitised line after it.
pub(super) fn parse(command: &'static str, rest: &str) -> Result<Command, ParseError> {
    match command {
        "note" => note(rest),
        "amend" => amend(rest),
        _ => with_words(command, words::split(rest)?),
    }
}

fn with_words(command: &'static str, words: Vec<Word>) -> Result<Command, ParseError> {
    match command {
        "open" => timed(command, words, |at| Command::Open { at }),
        "adjourn" => timed(command, words, |at| Command::Adjourn { at }),
        "next" => timed(command, words, |at| Command::Next { at }),
        "pause" => timed(command, words, |at| Command::Pause { at }),
        "resume" => timed(command, words, |at| Command::Resume { at }),
        "end" => timed(command, words, |at| Command::End { at }),
        "segment" => segment(words),
        "add" => add(words),
        "floor" => floor(words),
        "extend" => extend(words),
        "move" => move_to(words),
        "remove" => Ok(Command::Remove {
            who: who(command, words)?,
        }),
        "swap" => swap(words),
        "pass" => Ok(Command::Pass {
            who: who(command, words)?,
        }),
        "close" => list_word(command, words, Command::CloseList),
        "reopen" => list_word(command, words, Command::ReopenList),
        "seat" => seat(words),
        "release" => release(words),
        "wait" => Ok(Command::Wait {
            delegation: delegation(command, words)?,
        }),
        "unwait" => Ok(Command::Unwait {
            delegation: delegation(command, words)?,
        }),
        "block" => Ok(Command::Block(one_seat(command, words)?)),
        "unblock" => Ok(Command::Unblock(one_seat(command, words)?)),
        "retract" => retract(words),
        "present" => present(words),
        "absent" => absent(words),
        "suspend" => suspend(words),
        "reconvene" => timed(command, words, |at| Command::Reconvene { at }),
        // undo, the one command left.
        _ => nothing_more(command, &words).map(|()| Command::Undo),
    }
}

fn needs(command: &str, what: &str) -> ParseError {
    ParseError::new(format!("{command} needs {what}: {}", help::usage(command)))
}

fn nothing_more(command: &str, words: &[Word]) -> Result<(), ParseError> {
    nothing_after(command, command, words)
}

/// `after` is what was understood so far, to show where the extra words begin.
fn nothing_after(command: &str, after: &str, words: &[Word]) -> Result<(), ParseError> {
    if words.is_empty() {
        return Ok(());
    }
    Err(ParseError::new(format!(
        "unexpected {} after {after}: {}",
        quoted(&join(words)),
        help::usage(command)
    )))
}

/// The name several words make, refused when there is none.
fn name(command: &str, words: &[Word], what: &str) -> Result<Clean, ParseError> {
    let name = Clean::new(&join(words));
    if name.is_empty() {
        Err(needs(command, what))
    } else {
        Ok(name)
    }
}

fn who(command: &str, words: Vec<Word>) -> Result<Clean, ParseError> {
    name(command, &words, "a name")
}

fn delegation(command: &str, words: Vec<Word>) -> Result<Clean, ParseError> {
    name(command, &words, "a delegation")
}

/// Cuts a trailing `at T` off the words.
fn take_at(words: &mut Vec<Word>) -> Result<Option<At>, ParseError> {
    match split_off_last(words, "at") {
        Some(time) => when::at(&join(&time)).map(Some),
        None => Ok(None),
    }
}

fn timed(
    command: &str,
    mut words: Vec<Word>,
    make: fn(Option<At>) -> Command,
) -> Result<Command, ParseError> {
    let at = take_at(&mut words)?;
    nothing_more(command, &words)?;
    Ok(make(at))
}

fn floor(mut words: Vec<Word>) -> Result<Command, ParseError> {
    let at = take_at(&mut words)?;
    Ok(Command::Floor {
        who: who("floor", words)?,
        at,
    })
}

fn segment(words: Vec<Word>) -> Result<Command, ParseError> {
    let Some((id, extra)) = words.split_first() else {
        return Err(needs("segment", "next or a segment id"));
    };
    if !extra.is_empty() {
        return Err(ParseError::new(format!(
            "unexpected {} after segment {}: a segment id is one word",
            quoted(&join(extra)),
            quoted(&id.text)
        )));
    }
    if id.is("next") {
        return Ok(Command::Segment(SegmentTarget::Next));
    }
    name("segment", std::slice::from_ref(id), "next or a segment id")
        .map(|id| Command::Segment(SegmentTarget::Id(id)))
}

/// Words that begin one of `add`'s clauses, each followed by what it says.
const CLAUSES: [&str; 4] = ["limit", "for", "with", "in"];

/// The clauses after the name may come in any order, so they are cut off
/// from the end one at a time: the last clause keyword begins the last clause.
fn add(mut words: Vec<Word>) -> Result<Command, ParseError> {
    let mut ins = Inscription::default();
    let mut kind: Option<Word> = None;
    let mut seen: Vec<String> = Vec::new();
    loop {
        if let Some(word) = pop_keyword(&mut words, &KINDS) {
            if kind.is_some() {
                return Err(twice(&word.text.to_ascii_lowercase()));
            }
            kind = Some(word);
            continue;
        }
        let Some(at) = words.iter().rposition(|w| w.is_any(&CLAUSES)) else {
            break;
        };
        let mut said = words.split_off(at);
        let keyword = said.remove(0).text.to_ascii_lowercase();
        if seen.contains(&keyword) {
            return Err(twice(&keyword));
        }
        add_clause(&mut ins, &keyword, &said)?;
        seen.push(keyword);
    }
    ins.who = who("add", words)?;
    ins.kind = kind.map_or(SpeechKind::Statement, |k| speech_kind(&k));
    Ok(Command::Add(ins))
}

fn twice(keyword: &str) -> ParseError {
    ParseError::new(format!("{keyword} is given twice: {}", help::usage("add")))
}

fn add_clause(ins: &mut Inscription, keyword: &str, said: &[Word]) -> Result<(), ParseError> {
    if Clean::new(&join(said)).is_empty() {
        let what = match keyword {
            "limit" => "a duration after limit",
            "for" => "a group after for, like \"the African Group\"",
            "with" => "the other delegations after with, separated by commas",
            _ => "a language after in, like fr",
        };
        return Err(needs("add", what));
    }
    let text = join(said);
    match keyword {
        "limit" => ins.limit = Some(when::limit("limit", &text)?),
        "for" => ins.on_behalf_of = Clean::new(&text),
        "with" => ins.joint = joint(&text)?,
        _ => {
            ins.language = Some(Language::parse(&text).map_err(|e| {
                ParseError::new(format!("{e} (a name with \"in\" in it goes in quotes)"))
            })?);
        }
    }
    Ok(())
}

/// `Denmark, Finland, Iceland`: names with `and` in them (Trinidad and
/// Tobago) stay whole, so only commas part them.
fn joint(text: &str) -> Result<Vec<Clean>, ParseError> {
    let names: Vec<Clean> = text.split(',').map(Clean::new).collect();
    if names.iter().any(Clean::is_empty) {
        return Err(ParseError::new(format!(
            "a name is missing between the commas of {}",
            quoted(text)
        )));
    }
    Ok(names)
}

fn speech_kind(word: &Word) -> SpeechKind {
    if word.is("reply") {
        SpeechKind::Reply
    } else if word.is("order") {
        SpeechKind::Order
    } else {
        SpeechKind::Statement
    }
}

/// A duration given apart is reported whole, `"30 s"`, rather than as a stray `s`.
fn extend(words: Vec<Word>) -> Result<Command, ParseError> {
    let Some((first, extra)) = words.split_first() else {
        return Err(needs("extend", "a duration"));
    };
    match when::limit("extend", &first.text) {
        Ok(by) => nothing_after("extend", &format!("extend {}", first.text), extra)
            .map(|()| Command::Extend { by }),
        Err(_) if !extra.is_empty() => {
            when::limit("extend", &join(&words)).map(|by| Command::Extend { by })
        }
        Err(e) => Err(e),
    }
}

/// `swap Ghana with Peru`: the names on either side of the last `with`.
fn swap(mut words: Vec<Word>) -> Result<Command, ParseError> {
    let with = split_off_last(&mut words, "with").ok_or_else(|| needs("swap", "two names"))?;
    Ok(Command::Swap {
        who: who("swap", words)?,
        with: who("swap", with)?,
    })
}

fn move_to(mut words: Vec<Word>) -> Result<Command, ParseError> {
    if words.is_empty() {
        return Err(needs("move", "a name"));
    }
    let to = take_place(&mut words)?;
    Ok(Command::Move {
        who: who("move", words)?,
        to,
    })
}

fn take_place(words: &mut Vec<Word>) -> Result<Place, ParseError> {
    let last = words
        .last()
        .filter(|w| !w.quoted)
        .map(|w| w.text.to_ascii_lowercase());
    let place = match last.as_deref() {
        Some("up") => Place::Up,
        Some("down") => Place::Down,
        Some("top") => Place::Top,
        Some("bottom") => Place::Bottom,
        Some(n) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => position(n)?,
        _ => return Err(no_place(words.last())),
    };
    words.pop();
    pop_keyword(words, &["to"]);
    Ok(place)
}

fn position(digits: &str) -> Result<Place, ParseError> {
    match digits.parse::<usize>() {
        Ok(0) => Err(ParseError::new(
            "positions count from 1: move <who> 1 puts them first",
        )),
        Ok(n) => Ok(Place::Position(n)),
        Err(_) => Err(ParseError::new(format!(
            "{} is not a position in the list",
            quoted(digits)
        ))),
    }
}

fn no_place(last: Option<&Word>) -> ParseError {
    let seen = last
        .map(|w| format!(" ({} is none of these)", quoted(&w.text)))
        .unwrap_or_default();
    ParseError::new(format!(
        "move needs where to, at the end: up, down, top, bottom or a position like 3{seen}"
    ))
}

fn list_word(command: &str, mut words: Vec<Word>, made: Command) -> Result<Command, ParseError> {
    if words.first().is_some_and(|w| w.is("list")) {
        words.remove(0);
    }
    nothing_more(command, &words).map(|()| made)
}

/// An unquoted seat-like last word is the seat; a delegation named like a seat must be quoted.
fn seat(mut words: Vec<Word>) -> Result<Command, ParseError> {
    let seat = words
        .last()
        .filter(|w| !w.quoted)
        .and_then(|w| SeatId::parse(&w.text));
    if seat.is_some() {
        words.pop();
    }
    Ok(Command::Seat {
        delegation: delegation("seat", words)?,
        seat,
    })
}

fn release(words: Vec<Word>) -> Result<Command, ParseError> {
    if let [word] = words.as_slice()
        && !word.quoted
        && let Some(seat) = SeatId::parse(&word.text)
    {
        return Ok(Command::Release(SeatOrDelegation::Seat(seat)));
    }
    let name = name("release", &words, "a seat or a delegation")?;
    Ok(Command::Release(SeatOrDelegation::Delegation(name)))
}

fn one_seat(command: &str, words: Vec<Word>) -> Result<SeatId, ParseError> {
    let Some((first, extra)) = words.split_first() else {
        return Err(needs(command, "a seat"));
    };
    let seat = SeatId::parse(&first.text).ok_or_else(|| {
        ParseError::new(format!(
            "{} is not a seat: write it like B7",
            quoted(&first.text)
        ))
    })?;
    nothing_after(command, &format!("{command} {seat}"), extra)?;
    Ok(seat)
}

fn note(rest: &str) -> Result<Command, ParseError> {
    let text = Clean::new(rest);
    if text.is_empty() {
        return Err(needs("note", "some text"));
    }
    Ok(Command::Note { text })
}

fn amend(rest: &str) -> Result<Command, ParseError> {
    let (number, text) = words::first_word(rest);
    if number.is_empty() {
        return Err(needs("amend", "a note number and the new text"));
    }
    let note = note_number(number)?;
    let text = Clean::new(text);
    if text.is_empty() {
        return Err(needs("amend", "the new text"));
    }
    Ok(Command::Amend { note, text })
}

fn retract(words: Vec<Word>) -> Result<Command, ParseError> {
    let Some((first, extra)) = words.split_first() else {
        return Err(needs("retract", "a note number"));
    };
    let note = note_number(&first.text)?;
    nothing_after("retract", &format!("retract #{note}"), extra)?;
    Ok(Command::Retract { note })
}

/// `12` or `#12`, as notes are shown.
fn note_number(text: &str) -> Result<u32, ParseError> {
    let digits = text.strip_prefix('#').unwrap_or(text);
    let is_number = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    is_number
        .then(|| digits.parse().ok())
        .flatten()
        .ok_or_else(|| {
            ParseError::new(format!(
                "{} is not a note number: write it like 12 or #12",
                quoted(text)
            ))
        })
}

// --- attendance ---

/// `present Mali by Mr. Ag Attaher at 15:32`: a trailing `at T` first, then
/// everything after the first `by` is the representative, so a name that
/// holds the word `by` needs quotes only in the delegation.
fn present(mut words: Vec<Word>) -> Result<Command, ParseError> {
    let at = take_at(&mut words)?;
    let by = match words.iter().position(|w| w.is("by")) {
        Some(i) => {
            let rep = words.split_off(i + 1);
            words.pop();
            Some(name("present", &rep, "a representative after by")?)
        }
        None => None,
    };
    Ok(Command::Present {
        who: delegation("present", words)?,
        by,
        at,
    })
}

fn absent(mut words: Vec<Word>) -> Result<Command, ParseError> {
    let at = take_at(&mut words)?;
    Ok(Command::Absent {
        who: delegation("absent", words)?,
        at,
    })
}

// --- Suspension of the meeting (issue 13, item 6) ---

/// `suspend consultations at -2m`: the reason is every word before a last
/// `at` that gives a time, so a reason may say `at the request of Mali`.
fn suspend(mut words: Vec<Word>) -> Result<Command, ParseError> {
    let gives_time = |tail: &[Word]| {
        matches!(tail, [one] if !one.quoted
            && one.text.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+'))
    };
    let at = match words.iter().rposition(|w| w.is("at")) {
        Some(i) if gives_time(&words[i + 1..]) => take_at(&mut words)?,
        _ => None,
    };
    Ok(Command::Suspend {
        reason: Clean::new(&join(&words)),
        at,
    })
}

// --- end of suspension ---
