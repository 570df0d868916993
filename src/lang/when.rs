//! Durations (`3m`, `2m30s`) and the `at` of timing commands (`-20s`, `15:42:10`).

use jiff::civil::Time;

use super::ParseError;
use crate::domain::At;
use crate::text::quoted;

/// A speaking limit or an extension longer than this is a slip of the keyboard.
const MAX_LIMIT_SECS: u64 = 3600;

/// `at` this far back is no longer a late key press.
const MAX_AGO_SECS: u64 = 24 * 3600;

const FORMS: &str = "write it like 3m, 90s or 2m30s";
const AT_FORMS: &str = "at -20s or at 15:42:10";

/// Seconds in a compact duration: numbers each followed by `h`, `m` or `s`,
/// largest unit first, no spaces. Long unit words are refused so that a
/// mistyped `3 minutes` is caught here rather than read as a name.
pub(super) fn duration(text: &str) -> Result<u64, ParseError> {
    let bad = || not_a_duration(text);
    let mut total = 0u64;
    let mut number: Option<u64> = None;
    let mut smallest_so_far = u64::MAX;
    for c in text.chars() {
        if let Some(digit) = c.to_digit(10) {
            number = Some(
                number
                    .unwrap_or(0)
                    .saturating_mul(10)
                    .saturating_add(digit.into()),
            );
            continue;
        }
        let unit = unit_secs(c).ok_or_else(bad)?;
        let n = number.take().ok_or_else(bad)?;
        if unit >= smallest_so_far {
            return Err(bad());
        }
        smallest_so_far = unit;
        total = total.saturating_add(n.saturating_mul(unit));
    }
    match number {
        Some(_) if text.len() <= 6 && text.bytes().all(|b| b.is_ascii_digit()) => {
            Err(no_unit(text))
        }
        Some(_) => Err(bad()),
        None if smallest_so_far == u64::MAX => Err(bad()),
        None => Ok(total),
    }
}

fn unit_secs(c: char) -> Option<u64> {
    match c.to_ascii_lowercase() {
        'h' => Some(3600),
        'm' => Some(60),
        's' => Some(1),
        _ => None,
    }
}

fn not_a_duration(text: &str) -> ParseError {
    ParseError::new(format!("{} is not a duration: {FORMS}", quoted(text)))
}

fn no_unit(text: &str) -> ParseError {
    ParseError::new(format!(
        "{} is not a duration: add a unit, like {text}s or {text}m",
        quoted(text)
    ))
}

/// A speaking limit or an extension, in seconds: more than nothing, at most an hour.
pub(super) fn limit(what: &str, text: &str) -> Result<u32, ParseError> {
    let secs = duration(text)?;
    if secs == 0 {
        return Err(ParseError::new(format!(
            "{what} must be longer than 0s: {FORMS}"
        )));
    }
    if secs > MAX_LIMIT_SECS {
        return Err(ParseError::new(format!(
            "{what} {} is too long: at most 1h",
            quoted(text)
        )));
    }
    Ok(secs as u32)
}

/// When a timing command took effect: never in the future, which only a
/// state with a clock can fully check for a time of day.
pub(super) fn at(text: &str) -> Result<At, ParseError> {
    if text.is_empty() {
        return Err(ParseError::new(format!(
            "at needs a time in the past: {AT_FORMS}"
        )));
    }
    if let Some(ago) = text.strip_prefix('-') {
        return ago_secs(text, ago);
    }
    if text.contains(':') {
        return time_of_day(text).map(At::TimeOfDay);
    }
    if text.starts_with('+') || duration(text).is_ok() {
        return Err(ParseError::new(format!(
            "at takes a time in the past: {AT_FORMS} ({} would be in the future or is unclear)",
            quoted(text)
        )));
    }
    Err(ParseError::new(format!(
        "{} is not a time: {AT_FORMS}",
        quoted(text)
    )))
}

fn ago_secs(text: &str, ago: &str) -> Result<At, ParseError> {
    let secs = duration(ago)
        .map_err(|_| ParseError::new(format!("{} is not a time: {AT_FORMS}", quoted(text))))?;
    if secs > MAX_AGO_SECS {
        return Err(ParseError::new(format!(
            "at {} is too far back: at most a day ago",
            quoted(text)
        )));
    }
    Ok(At::Ago(secs as u32))
}

/// `15:42` or `15:42:10`, on a 24-hour clock.
fn time_of_day(text: &str) -> Result<Time, ParseError> {
    let bad = || {
        ParseError::new(format!(
            "{} is not a time of day: write it like 15:42 or 15:42:10",
            quoted(text)
        ))
    };
    let parts: Vec<&str> = text.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return Err(bad());
    }
    let hour = clock_number(parts[0], 1).ok_or_else(bad)?;
    let minute = clock_number(parts[1], 2).ok_or_else(bad)?;
    let second = parts
        .get(2)
        .map_or(Some(0), |s| clock_number(s, 2))
        .ok_or_else(bad)?;
    Time::new(hour, minute, second, 0).map_err(|_| bad())
}

/// One or two digits (exactly two when `min_digits` is 2), as on a clock face.
fn clock_number(text: &str, min_digits: usize) -> Option<i8> {
    let digits_only = text.bytes().all(|b| b.is_ascii_digit());
    if !digits_only || !(min_digits..=2).contains(&text.len()) {
        return None;
    }
    text.parse().ok()
}
