//! Walks TOML's spanned document tree by hand. serde would stop at the first
//! mistake; an officer fixing a meeting file the evening before wants them all,
//! each with the place to look.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use std::ops::Range;
use std::path::Path;

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{AmbiguousOffset, TimeZone};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::duration::{DurationError, parse_duration};
use super::{Diagnostic, Loaded};
use crate::domain::format::{duration, ordinal};
use crate::domain::{Level, Meeting, Ordering, Participant, Role, SeatId, Seating, SegmentDef};
use crate::text::{Clean, fold, is_unsafe};

type Val<'i> = Spanned<DeValue<'i>>;

const TOP_FIELDS: &[&str] = &["meeting", "roster", "segment", "seating"];
const MEETING_FIELDS: &[&str] = &[
    "id",
    "title",
    "venue",
    "room",
    "date",
    "start",
    "end",
    "timezone",
    "log_dir",
    "warn_before",
    "bell",
];
const ROSTER_FIELDS: &[&str] = &[
    "id",
    "delegation",
    "representative",
    "title",
    "level",
    "role",
    "aliases",
];
const SEGMENT_FIELDS: &[&str] = &[
    "id",
    "title",
    "speaking_limit",
    "ordering",
    "chairs",
    "speakers",
];
const SEATING_FIELDS: &[&str] = &["rows", "seats_per_row", "blocked", "per_delegation"];

const LEVELS: &[(&str, Level)] = &[
    ("head_of_state", Level::HeadOfState),
    ("vice_president", Level::VicePresident),
    ("minister", Level::Minister),
    ("vice_minister", Level::ViceMinister),
    ("head_of_delegation", Level::HeadOfDelegation),
    ("observer", Level::Observer),
];
const ROLES: &[(&str, Role)] = &[
    ("co_chair", Role::CoChair),
    ("participant", Role::Participant),
    ("observer", Role::Observer),
];
const ORDERINGS: &[(&str, Ordering)] = &[
    ("inscription", Ordering::Inscription),
    ("protocol", Ordering::Protocol),
];

const DEFAULT_WARN_BEFORE: u32 = 30;
const DEFAULT_PER_DELEGATION: u16 = 1;
/// Seat numbers stay at three digits, which the seat map is drawn for.
const MAX_SEATS_PER_ROW: u16 = 999;
/// Ids end up in commands, journal lines and folder names; a runaway one helps nobody.
const MAX_ID_LEN: usize = 64;

pub(super) fn check(text: &str, file: &str, folder: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    let mut r = Report::new(text, file);
    let root = match DeTable::parse(text) {
        Ok(root) => root,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            r.at(&span, format!("invalid TOML: {}", Clean::new(e.message())));
            return Err(r.finish());
        }
    };
    let root_span = root.span();
    let root = root.get_ref();
    report_unknown(&mut r, root, "at the top level", TOP_FIELDS);

    let meeting = match root.get("meeting") {
        Some(v) => Section::open(&mut r, "[meeting]", MEETING_FIELDS, v),
        None => {
            r.at(&root_span, "missing the [meeting] table");
            None
        }
    };
    let warning = meeting.as_ref().and_then(|s| warning(&mut r, s));
    let head = meeting
        .as_ref()
        .and_then(|s| meeting_head(&mut r, s, warning));

    let roster = match root.get("roster") {
        Some(v) => roster(&mut r, v),
        None => Roster::default(),
    };

    let segments = match root.get("segment") {
        Some(v) => segments(&mut r, v, &roster, warning),
        None => {
            r.at(&root_span, "at least one [[segment]] is required");
            Vec::new()
        }
    };

    let seating = match root.get("seating") {
        Some(v) => {
            Section::open(&mut r, "[seating]", SEATING_FIELDS, v).and_then(|s| seating(&mut r, &s))
        }
        None => {
            r.at(
                &root_span,
                "missing the [seating] table (observer seats: rows, seats_per_row)",
            );
            None
        }
    };

    if !r.is_clean() {
        return Err(r.finish());
    }
    match (head, seating) {
        (Some(head), Some(seating)) => Ok(Loaded {
            log_dir: head.log_dir.map(|dir| folder.join(dir)),
            meeting: Meeting {
                id: head.id,
                title: head.title,
                venue: head.venue,
                room: head.room,
                date: head.date,
                start: head.start,
                end: head.end,
                timezone: head.timezone,
                tz: head.tz,
                warn_before: head.warn_before,
                bell: head.bell,
                segments,
                roster: roster.participants,
                seating,
            },
        }),
        // Every path that leaves a part unbuilt reports why, so this is a bug.
        _ => {
            r.at(
                &root_span,
                "the meeting file could not be read for an unknown reason",
            );
            Err(r.finish())
        }
    }
}

/// Collects findings by byte offset and turns them into line:col at the end, so
/// they come out in the order of the file whatever order they were found in.
struct Report<'a> {
    text: &'a str,
    file: &'a str,
    line_starts: Vec<usize>,
    found: Vec<(usize, String)>,
}

impl<'a> Report<'a> {
    fn new(text: &'a str, file: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Report {
            text,
            file,
            line_starts,
            found: Vec::new(),
        }
    }

    fn at(&mut self, span: &Range<usize>, message: impl Into<String>) {
        self.found.push((span.start, message.into()));
    }

    fn is_clean(&self) -> bool {
        self.found.is_empty()
    }

    /// 1-based line number.
    fn line(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset)
    }

    fn finish(mut self) -> Vec<Diagnostic> {
        self.found.sort_by_key(|(offset, _)| *offset);
        self.found.dedup();
        let found = std::mem::take(&mut self.found);
        let mut columns = Columns::new(self.text, &self.line_starts);
        found
            .into_iter()
            .map(|(offset, message)| {
                let (line, col) = columns.at(offset);
                Diagnostic {
                    file: self.file.to_string(),
                    line,
                    col,
                    message,
                }
            })
            .collect()
    }
}

/// Columns of offsets taken in increasing order, counting each character of
/// the text once: thousands of findings on one long line (a generated list
/// of seats) would otherwise count the line from its start for each.
struct Columns<'a> {
    text: &'a str,
    line_starts: &'a [usize],
    /// Where the last column was taken, and that column.
    offset: usize,
    col: usize,
}

impl<'a> Columns<'a> {
    fn new(text: &'a str, line_starts: &'a [usize]) -> Self {
        Columns {
            text,
            line_starts,
            offset: 0,
            col: 1,
        }
    }

    /// The 1-based line and column of `offset`, the column in characters
    /// as editors count them.
    fn at(&mut self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = self.line_starts[line - 1];
        if line_start > self.offset {
            self.offset = line_start;
            self.col = 1;
        }
        self.col += self.text[self.offset..offset]
            .chars()
            .filter(|&c| c != '\u{feff}')
            .count();
        self.offset = offset;
        (line, self.col)
    }
}

/// One TOML table being read, with what to call it in messages.
struct Section<'t, 'i> {
    name: &'static str,
    span: Range<usize>,
    table: &'t DeTable<'i>,
}

impl<'t, 'i> Section<'t, 'i> {
    fn open(
        r: &mut Report,
        name: &'static str,
        allowed: &[&str],
        value: &'t Val<'i>,
    ) -> Option<Self> {
        let DeValue::Table(table) = value.get_ref() else {
            r.at(
                &value.span(),
                format!("{name} must be a table, not {}", kind(value.get_ref())),
            );
            return None;
        };
        report_unknown(r, table, &format!("in {name}"), allowed);
        Some(Section {
            name,
            span: value.span(),
            table,
        })
    }

    fn get(&self, key: &str) -> Option<&'t Val<'i>> {
        self.table.get(key)
    }

    fn required(&self, r: &mut Report, key: &str) -> Option<&'t Val<'i>> {
        let value = self.get(key);
        if value.is_none() {
            r.at(&self.span, format!("missing `{key}` in {}", self.name));
        }
        value
    }

    /// A required string that must say something once cleaned.
    fn text(&self, r: &mut Report, key: &str) -> Option<Clean> {
        let value = self.required(r, key)?;
        let raw = string(r, key, value)?;
        let clean = Clean::new(raw);
        if clean.is_empty() {
            let message = match emptied(raw) {
                Some(emptied) => format!("`{key}` {emptied}"),
                None => format!("`{key}` must not be empty"),
            };
            r.at(&value.span(), message);
            return None;
        }
        Some(clean)
    }

    /// An optional string; absent or blank reads as empty, but one that is
    /// only invisible characters is a mistake to show.
    fn optional_text(&self, r: &mut Report, key: &str) -> Option<Clean> {
        let Some(value) = self.get(key) else {
            return Some(Clean::default());
        };
        let raw = string(r, key, value)?;
        let clean = Clean::new(raw);
        if clean.is_empty()
            && let Some(emptied) = emptied(raw)
        {
            r.at(&value.span(), format!("`{key}` {emptied}"));
            return None;
        }
        Some(clean)
    }

    fn id(&self, r: &mut Report, key: &str, example: &str) -> Option<(Clean, Range<usize>)> {
        let value = self.required(r, key)?;
        let raw = string(r, key, value)?;
        if !is_id(raw) {
            r.at(
                &value.span(),
                format!(
                    "`{key}` {} must be lowercase letters, digits and inner hyphens (at most {MAX_ID_LEN}), like \"{example}\"",
                    shown(raw)
                ),
            );
            return None;
        }
        Some((Clean::new(raw), value.span()))
    }

    fn duration(&self, r: &mut Report, key: &str, value: &Val) -> Option<u32> {
        let DeValue::String(raw) = value.get_ref() else {
            r.at(
                &value.span(),
                format!(
                    "`{key}` must be a duration like \"3m\", not {}",
                    kind(value.get_ref())
                ),
            );
            return None;
        };
        match parse_duration(raw) {
            Ok(seconds) => Some(seconds),
            Err(e @ DurationError::Malformed) => {
                r.at(
                    &value.span(),
                    format!("`{key}` {} is not a duration: {e}", shown(raw)),
                );
                None
            }
            Err(e @ DurationError::TooLong) => {
                r.at(&value.span(), format!("`{key}` {}: {e}", shown(raw)));
                None
            }
        }
    }

    fn integer(&self, r: &mut Report, key: &str, value: &Val) -> Option<i64> {
        match value.get_ref() {
            DeValue::Integer(n) => match i64::from_str_radix(n.as_str(), n.radix()) {
                Ok(n) => Some(n),
                Err(_) => {
                    r.at(&value.span(), format!("`{key}` is far too large"));
                    None
                }
            },
            other => {
                r.at(
                    &value.span(),
                    format!("`{key}` must be a whole number, not {}", kind(other)),
                );
                None
            }
        }
    }

    fn choice<T: Copy>(
        &self,
        r: &mut Report,
        key: &str,
        what: &str,
        choices: &[(&str, T)],
    ) -> Option<T> {
        let value = self.required(r, key)?;
        self.choice_of(r, key, what, value, choices)
    }

    fn choice_of<T: Copy>(
        &self,
        r: &mut Report,
        key: &str,
        what: &str,
        value: &Val,
        choices: &[(&str, T)],
    ) -> Option<T> {
        let raw = string(r, key, value)?;
        match choices.iter().find(|(name, _)| *name == raw) {
            Some((_, choice)) => Some(*choice),
            None => {
                let names: Vec<&str> = choices.iter().map(|(name, _)| *name).collect();
                r.at(
                    &value.span(),
                    format!(
                        "unknown {what} {}; allowed: {}",
                        shown(raw),
                        names.join(", ")
                    ),
                );
                None
            }
        }
    }

    /// A list of strings, each with its place, and whether it held nothing else;
    /// the strings found are still returned so that they can be checked too.
    fn strings(&self, r: &mut Report, key: &str) -> (Vec<(&'t str, Range<usize>)>, bool) {
        let Some(value) = self.get(key) else {
            return (Vec::new(), true);
        };
        let DeValue::Array(items) = value.get_ref() else {
            r.at(
                &value.span(),
                format!(
                    "`{key}` must be a list of strings, not {}",
                    kind(value.get_ref())
                ),
            );
            return (Vec::new(), false);
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push((s.as_ref(), item.span())),
                other => {
                    r.at(
                        &item.span(),
                        format!("`{key}` must hold only strings, not {}", kind(other)),
                    );
                    ok = false;
                }
            }
        }
        (out, ok)
    }
}

fn string<'v>(r: &mut Report, key: &str, value: &'v Val) -> Option<&'v str> {
    match value.get_ref() {
        DeValue::String(s) => Some(s.as_ref()),
        other => {
            r.at(
                &value.span(),
                format!("`{key}` must be a string, not {}", kind(other)),
            );
            None
        }
    }
}

fn report_unknown(r: &mut Report, table: &DeTable, place: &str, allowed: &[&str]) {
    for (key, _) in table.iter() {
        let name: &str = key.get_ref();
        if allowed.contains(&name) {
            continue;
        }
        let hint = match closest(name, allowed) {
            Some(near) => format!(" (did you mean `{near}`?)"),
            None => String::new(),
        };
        r.at(
            &key.span(),
            format!(
                "unknown field `{}` {place}{hint}; allowed: {}",
                escaped(&clip(name)),
                allowed.join(", ")
            ),
        );
    }
}

/// Suggests an allowed name within two edits, which catches typos and plurals.
fn closest<'a>(name: &str, allowed: &[&'a str]) -> Option<&'a str> {
    allowed
        .iter()
        .map(|candidate| (edit_distance(name, candidate), *candidate))
        .filter(|(distance, _)| *distance <= 2)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

fn kind(value: &DeValue) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "a whole number",
        DeValue::Float(_) => "a decimal number",
        DeValue::Boolean(_) => "true or false",
        DeValue::Datetime(_) => "a date or time",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

/// What to say of text that held something, yet nothing once cleaned: it was
/// only controls and invisible characters, which an officer cannot see.
/// `None` for text that was empty or blank to begin with.
fn emptied(raw: &str) -> Option<String> {
    let blank = raw.chars().all(char::is_whitespace);
    (!blank).then(|| {
        format!(
            "{} is empty once invisible characters are removed",
            shown(raw)
        )
    })
}

/// Untrusted text quoted in a message, clipped so that it stays on one
/// screen line, with every character `Clean` would remove written out.
fn shown(raw: &str) -> String {
    format!("\"{}\"", escaped(&clip(raw)))
}

/// Controls and invisible characters as `\u{1b}`: a diagnostic then carries
/// no escape sequence to the terminal, and the officer can see, and find in
/// the file, the character that made a name wrong. Combining marks past
/// three on one character are written out too, as `Clean` would drop them,
/// so that they do not smear the line.
fn escaped(raw: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    let mut out = String::with_capacity(raw.len());
    let mut marks = usize::MAX;
    for c in raw.chars() {
        if is_combining_mark(c) {
            marks = marks.saturating_add(1);
        } else {
            marks = 0;
        }
        if is_unsafe(c) || marks > 3 {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

fn clip(raw: &str) -> String {
    const MAX: usize = 40;
    if raw.chars().count() > MAX {
        let mut out: String = raw.chars().take(MAX).collect();
        out.push('…');
        out
    } else {
        raw.to_string()
    }
}

fn is_id(raw: &str) -> bool {
    !raw.is_empty()
        && raw.len() <= MAX_ID_LEN
        && raw
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !raw.starts_with('-')
        && !raw.ends_with('-')
}

struct Head {
    id: Clean,
    title: Clean,
    venue: Clean,
    room: Clean,
    date: Date,
    start: Time,
    end: Time,
    timezone: String,
    tz: TimeZone,
    warn_before: u32,
    bell: bool,
    log_dir: Option<String>,
}

fn meeting_head(r: &mut Report, s: &Section, warning: Option<Warning>) -> Option<Head> {
    let id = s.id(r, "id", "mali-ministerial-2017").map(|(id, _)| id);
    let title = s.text(r, "title");
    let venue = s.text(r, "venue");
    let room = s.text(r, "room");
    let date = s.required(r, "date").and_then(|v| date(r, v));
    let start_value = s.required(r, "start");
    let start = start_value.and_then(|v| time_of_day(r, "start", v));
    let end_value = s.required(r, "end");
    let end = end_value.and_then(|v| time_of_day(r, "end", v));
    if let (Some(start), Some(end), Some(value)) = (start, end, end_value)
        && end <= start
    {
        r.at(
            &value.span(),
            format!(
                "`end` {} must be after `start` {}",
                end.strftime("%H:%M"),
                start.strftime("%H:%M")
            ),
        );
    }
    let zone = s.required(r, "timezone").and_then(|v| time_zone(r, v));
    if let (Some(date), Some((name, tz))) = (date, &zone) {
        for (key, time, value) in [("start", start, start_value), ("end", end, end_value)] {
            if let (Some(time), Some(value)) = (time, value) {
                clock_change(r, key, value, date.to_datetime(time), name, tz);
            }
        }
    }
    let bell = match s.get("bell") {
        Some(value) => match value.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                r.at(
                    &value.span(),
                    format!("`bell` must be true or false, not {}", kind(other)),
                );
                None
            }
        },
        None => Some(false),
    };
    let log_dir = match s.get("log_dir") {
        Some(value) => log_dir(r, value).map(Some),
        None => Some(None),
    };
    let (timezone, tz) = zone?;
    Some(Head {
        id: id?,
        title: title?,
        venue: venue?,
        room: room?,
        date: date?,
        start: start?,
        end: end?,
        timezone,
        tz,
        warn_before: warning?.seconds,
        bell: bell?,
        log_dir: log_dir?,
    })
}

/// How long before the limit the timer warns, and whether the file said so.
#[derive(Clone, Copy)]
struct Warning {
    seconds: u32,
    set: bool,
}

fn warning(r: &mut Report, s: &Section) -> Option<Warning> {
    match s.get("warn_before") {
        Some(value) => s
            .duration(r, "warn_before", value)
            .map(|seconds| Warning { seconds, set: true }),
        None => Some(Warning {
            seconds: DEFAULT_WARN_BEFORE,
            set: false,
        }),
    }
}

/// A time of day that the venue's clocks skip, or show twice, on the
/// meeting's date is no single instant: the meeting could not be scheduled
/// by it (it would even last no time at all), so it is refused, naming the
/// change of the clocks.
fn clock_change(r: &mut Report, key: &str, value: &Val, at: DateTime, zone: &str, tz: &TimeZone) {
    let (happens, goes, before, after) = match tz.to_ambiguous_timestamp(at).offset() {
        AmbiguousOffset::Unambiguous { .. } => return,
        AmbiguousOffset::Gap { before, after } => ("does not exist", "forward", before, after),
        AmbiguousOffset::Fold { before, after } => ("happens twice", "back", before, after),
    };
    let change = [before, after]
        .iter()
        .filter_map(|offset| offset.to_timestamp(at).ok())
        .min()
        .and_then(|earliest| tz.following(earliest).next());
    let clocks = match change {
        Some(change) => format!(
            ": clocks go {goes} from {} to {}",
            clock(before.to_datetime(change.timestamp()).time()),
            clock(after.to_datetime(change.timestamp()).time())
        ),
        None => String::new(),
    };
    r.at(
        &value.span(),
        format!(
            "`{key}` {} {happens} on {} in {zone}{clocks}",
            clock(at.time()),
            at.date()
        ),
    );
}

/// `15:30`, or `15:30:20` when there are seconds.
fn clock(time: Time) -> String {
    if time.second() == 0 && time.subsec_nanosecond() == 0 {
        time.strftime("%H:%M").to_string()
    } else {
        time.strftime("%H:%M:%S").to_string()
    }
}

const DATE_HINT: &str = "a date like 2017-09-20";

fn date(r: &mut Report, value: &Val) -> Option<Date> {
    let parsed = match value.get_ref() {
        DeValue::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => Date::new(d.year as i16, d.month as i8, d.day as i8).ok(),
            _ => {
                r.at(
                    &value.span(),
                    format!("`date` must be {DATE_HINT}, without a time of day"),
                );
                return None;
            }
        },
        DeValue::String(s) => match date_parts(s) {
            Some((y, m, d)) => match Date::new(y, m, d) {
                Ok(date) => Some(date),
                Err(_) => {
                    r.at(
                        &value.span(),
                        format!("there is no such date as {}", shown(s)),
                    );
                    return None;
                }
            },
            None => {
                r.at(
                    &value.span(),
                    format!("`date` must be {DATE_HINT}, not {}", shown(s)),
                );
                return None;
            }
        },
        other => {
            r.at(
                &value.span(),
                format!("`date` must be {DATE_HINT}, not {}", kind(other)),
            );
            return None;
        }
    };
    if parsed.is_none() {
        r.at(&value.span(), "there is no such date");
    }
    parsed
}

fn date_parts(s: &str) -> Option<(i16, i8, i8)> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    Some((
        s[0..4].parse().ok()?,
        s[5..7].parse().ok()?,
        s[8..10].parse().ok()?,
    ))
}

fn time_of_day(r: &mut Report, key: &str, value: &Val) -> Option<Time> {
    let hint = "a time of day like \"15:30\"";
    let parsed = match value.get_ref() {
        DeValue::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
            (None, Some(t), None) => Time::new(
                t.hour as i8,
                t.minute as i8,
                t.second.unwrap_or(0) as i8,
                t.nanosecond.unwrap_or(0) as i32,
            )
            .ok(),
            _ => {
                r.at(
                    &value.span(),
                    format!("`{key}` must be {hint}, without a date"),
                );
                return None;
            }
        },
        DeValue::String(s) => time_parts(s).and_then(|(h, m, sec)| Time::new(h, m, sec, 0).ok()),
        other => {
            r.at(
                &value.span(),
                format!("`{key}` must be {hint}, not {}", kind(other)),
            );
            return None;
        }
    };
    if parsed.is_none() {
        let raw = value.get_ref().as_str().unwrap_or_default();
        r.at(
            &value.span(),
            format!("`{key}` must be {hint} (24-hour clock), not {}", shown(raw)),
        );
    }
    parsed
}

/// `H:MM`, `HH:MM` or `HH:MM:SS`.
fn time_parts(s: &str) -> Option<(i8, i8, i8)> {
    let parts: Vec<&str> = s.split(':').collect();
    let digits = |p: &str, lengths: &[usize]| {
        lengths.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    match parts.as_slice() {
        [h, m] if digits(h, &[1, 2]) && digits(m, &[2]) => {
            Some((h.parse().ok()?, m.parse().ok()?, 0))
        }
        [h, m, sec] if digits(h, &[1, 2]) && digits(m, &[2]) && digits(sec, &[2]) => {
            Some((h.parse().ok()?, m.parse().ok()?, sec.parse().ok()?))
        }
        _ => None,
    }
}

fn time_zone(r: &mut Report, value: &Val) -> Option<(String, TimeZone)> {
    let name = string(r, "timezone", value)?;
    // The database also knows abbreviations and fixed offsets; the schedule wants a
    // place, so that daylight saving follows the venue.
    let looks_like_place = !name.is_empty() && !name.contains(char::is_whitespace);
    match TimeZone::get(name) {
        Ok(tz) if looks_like_place => {
            let canonical = Clean::new(tz.iana_name().unwrap_or(name)).into_string();
            Some((canonical, tz))
        }
        _ => {
            r.at(
                &value.span(),
                format!(
                    "unknown time zone {}: write an IANA name like \"America/New_York\" or \"Europe/Zurich\"",
                    shown(name)
                ),
            );
            None
        }
    }
}

fn log_dir(r: &mut Report, value: &Val) -> Option<String> {
    let raw = string(r, "log_dir", value)?;
    if raw.is_empty() {
        r.at(
            &value.span(),
            "`log_dir` must not be empty: leave it out to use the default",
        );
        return None;
    }
    // A path is used as written, so it may not be quietly cleaned: refuse instead.
    if Clean::new(raw).as_str() != raw {
        r.at(
            &value.span(),
            "`log_dir` must be a plain path: no control characters, tabs, line breaks, or spaces at the ends or doubled",
        );
        return None;
    }
    Some(raw.to_string())
}

#[derive(Default)]
struct Roster {
    participants: Vec<Participant>,
    /// Every id that was well formed, even on an entry with other mistakes, so one
    /// mistake is not echoed by every segment that names that participant.
    ids: HashMap<String, usize>,
    /// Folded delegation or alias → the ids it names, to say "did you mean"
    /// when a segment names someone the way people do rather than by id. Two
    /// ids are enough to know that a hint would be ambiguous.
    names: HashMap<String, Vec<String>>,
}

/// Tables of an array of tables (`[[name]]`), or `None` after saying what is wrong.
fn table_list<'t, 'i>(
    r: &mut Report,
    name: &str,
    what: &str,
    value: &'t Val<'i>,
) -> Option<Vec<&'t Val<'i>>> {
    let shape = format!("`{name}` must be a list of [[{name}]] tables, one per {what}");
    let DeValue::Array(items) = value.get_ref() else {
        r.at(&value.span(), shape);
        return None;
    };
    let mut out = Vec::new();
    for item in items.iter() {
        if item.get_ref().is_table() {
            out.push(item);
        } else {
            r.at(&item.span(), shape.clone());
        }
    }
    Some(out)
}

fn roster(r: &mut Report, value: &Val) -> Roster {
    let mut roster = Roster::default();
    let Some(entries) = table_list(r, "roster", "participant", value) else {
        return roster;
    };
    // (folded delegation, folded representative) → line, to catch one person twice.
    let mut people: HashMap<(String, String), usize> = HashMap::new();
    for entry in entries {
        let Some(s) = Section::open(r, "[[roster]]", ROSTER_FIELDS, entry) else {
            continue;
        };
        let id = s.id(r, "id", "mali-president");
        if let Some((id, span)) = &id {
            if let Some(&first) = roster.ids.get(id.as_str()) {
                r.at(
                    span,
                    format!(
                        "duplicate roster id {} (first at line {first})",
                        shown(id.as_str())
                    ),
                );
            } else {
                let line = r.line(span.start);
                roster.ids.insert(id.to_string(), line);
            }
        }
        let delegation = s.text(r, "delegation");
        let representative = s.optional_text(r, "representative");
        let title = s.optional_text(r, "title");
        let level = s.choice(r, "level", "level", LEVELS);
        let role = s.choice(r, "role", "role", ROLES);
        let aliases = {
            let (items, mut ok) = s.strings(r, "aliases");
            let mut out = Vec::new();
            for (alias, span) in items {
                let clean = Clean::new(alias);
                if clean.is_empty() {
                    let message = match emptied(alias) {
                        Some(emptied) => format!("the alias {emptied}"),
                        None => "an alias must not be empty".to_string(),
                    };
                    r.at(&span, message);
                    ok = false;
                } else {
                    out.push(clean);
                }
            }
            ok.then_some(out)
        };
        if let (Some(delegation), Some(representative)) = (&delegation, &representative) {
            let key = (fold(delegation.as_str()), fold(representative.as_str()));
            let line = r.line(s.span.start);
            if let Some(&first) = people.get(&key) {
                let whom = if representative.is_empty() {
                    "with no representative"
                } else {
                    "with the same representative"
                };
                r.at(
                    &s.span,
                    format!(
                        "{} is already on the roster {whom} (line {first})",
                        shown(delegation.as_str())
                    ),
                );
            } else {
                people.insert(key, line);
            }
        }
        if let Some((id, _)) = &id {
            let names = delegation.iter().chain(aliases.iter().flatten());
            for name in names {
                let ids = roster.names.entry(fold(name.as_str())).or_default();
                if ids.len() < 2 && !ids.iter().any(|known| known == id.as_str()) {
                    ids.push(id.to_string());
                }
            }
        }
        if let (
            Some((id, _)),
            Some(delegation),
            Some(representative),
            Some(title),
            Some(level),
            Some(role),
            Some(aliases),
        ) = (id, delegation, representative, title, level, role, aliases)
        {
            roster.participants.push(Participant {
                id,
                delegation,
                representative,
                title,
                level,
                role,
                aliases,
            });
        }
    }
    roster
}

fn segments(
    r: &mut Report,
    value: &Val,
    roster: &Roster,
    warning: Option<Warning>,
) -> Vec<SegmentDef> {
    let mut out = Vec::new();
    let Some(entries) = table_list(r, "segment", "part of the meeting", value) else {
        return out;
    };
    if entries.is_empty() && value.get_ref().as_array().is_some_and(|a| a.is_empty()) {
        r.at(&value.span(), "at least one [[segment]] is required");
    }
    let mut ids: HashMap<String, usize> = HashMap::new();
    for entry in entries {
        let Some(s) = Section::open(r, "[[segment]]", SEGMENT_FIELDS, entry) else {
            continue;
        };
        let id = s.id(r, "id", "opening").and_then(|(id, span)| {
            // `segment next` is a command; a segment called `next` could not be named.
            if id.as_str() == "next" {
                r.at(&span, "a segment cannot be called \"next\": `segment next` means the following segment");
                return None;
            }
            if let Some(&first) = ids.get(id.as_str()) {
                r.at(&span, format!("duplicate segment id {} (first at line {first})", shown(id.as_str())));
                return None;
            }
            let line = r.line(span.start);
            ids.insert(id.to_string(), line);
            Some(id)
        });
        let title = s.text(r, "title");
        let speaking_limit = s.required(r, "speaking_limit").and_then(|value| {
            let seconds = s.duration(r, "speaking_limit", value)?;
            if seconds == 0 {
                r.at(&value.span(), "`speaking_limit` must be longer than zero");
                return None;
            }
            if let Some(warning) = warning
                && seconds <= warning.seconds
            {
                r.at(&value.span(), warning_too_long(seconds, warning));
                return None;
            }
            Some(seconds)
        });
        let ordering = match s.get("ordering") {
            Some(value) => s.choice_of(r, "ordering", "ordering", value, ORDERINGS),
            None => Some(Ordering::default()),
        };
        let chairs = roster_refs(r, &s, "chairs", roster);
        let speakers = roster_refs(r, &s, "speakers", roster);
        if let (
            Some(id),
            Some(title),
            Some(speaking_limit),
            Some(ordering),
            Some(chairs),
            Some(speakers),
        ) = (id, title, speaking_limit, ordering, chairs, speakers)
        {
            out.push(SegmentDef {
                id,
                title,
                speaking_limit,
                chairs,
                speakers,
                ordering,
            });
        }
    }
    out
}

/// The timer warns once a speaker has `warn_before` left; with a limit no
/// longer than that, every speech would be warned from its first second.
fn warning_too_long(limit: u32, warning: Warning) -> String {
    let warn = duration(i64::from(warning.seconds));
    let said = if warning.set {
        format!("`warn_before` {warn}")
    } else {
        format!("the warning before the limit ({warn} unless `warn_before` says otherwise)")
    };
    format!(
        "`speaking_limit` {} is not longer than {said}: the warning would show from the first second of every speech",
        duration(i64::from(limit))
    )
}

fn roster_refs(r: &mut Report, s: &Section, key: &str, roster: &Roster) -> Option<Vec<Clean>> {
    let (items, mut ok) = s.strings(r, key);
    let mut out: Vec<Clean> = Vec::new();
    // Each id listed → its place in the list, from 1.
    let mut places: HashMap<&str, usize> = HashMap::new();
    for (raw, span) in items {
        if !roster.ids.contains_key(raw) {
            let folded = fold(raw);
            let mut near: Vec<&str> = roster
                .names
                .get(&folded)
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect();
            // `Burkina Faso` for `burkina-faso`.
            if let Some((id, _)) = roster.ids.get_key_value(folded.replace(' ', "-").as_str()) {
                near.push(id.as_str());
            }
            near.sort_unstable();
            near.dedup();
            let hint = match near.as_slice() {
                [one] => format!(" (did you mean \"{one}\"?)"),
                _ => String::new(),
            };
            r.at(
                &span,
                format!("{} in `{key}` is not a roster id{hint}", shown(raw)),
            );
            ok = false;
            continue;
        }
        if let Some(&place) = places.get(raw) {
            r.at(
                &span,
                format!("{} is already in `{key}` ({})", shown(raw), ordinal(place)),
            );
            ok = false;
            continue;
        }
        out.push(Clean::new(raw));
        places.insert(raw, out.len());
    }
    ok.then_some(out)
}

fn seating(r: &mut Report, s: &Section) -> Option<Seating> {
    let rows = s.required(r, "rows").and_then(|value| {
        let n = s.integer(r, "rows", value)?;
        let max = i64::from(SeatId::MAX_ROWS);
        if n < 1 {
            r.at(&value.span(), "`rows` must be at least 1");
            None
        } else if n > max {
            r.at(
                &value.span(),
                format!("`rows` is {n}, but rows are lettered A to Z: at most {max}"),
            );
            None
        } else {
            Some(n as u16)
        }
    });
    let seats_per_row = s.required(r, "seats_per_row").and_then(|value| {
        let n = s.integer(r, "seats_per_row", value)?;
        if !(1..=i64::from(MAX_SEATS_PER_ROW)).contains(&n) {
            r.at(
                &value.span(),
                format!("`seats_per_row` must be between 1 and {MAX_SEATS_PER_ROW}, not {n}"),
            );
            return None;
        }
        Some(n as u16)
    });
    let per_delegation = match s.get("per_delegation") {
        Some(value) => s.integer(r, "per_delegation", value).and_then(|n| {
            if !(1..=i64::from(u16::MAX)).contains(&n) {
                r.at(
                    &value.span(),
                    format!("`per_delegation` must be at least 1, not {n}"),
                );
                return None;
            }
            Some(n as u16)
        }),
        None => Some(DEFAULT_PER_DELEGATION),
    };
    let blocked = {
        let (items, mut ok) = s.strings(r, "blocked");
        let mut out: Vec<SeatId> = Vec::new();
        let mut seen: HashSet<SeatId> = HashSet::new();
        for (raw, span) in items {
            let Some(seat) = SeatId::parse(raw).filter(|_| raw.trim() == raw) else {
                r.at(
                    &span,
                    format!(
                        "{} is not a seat: write a row letter and a seat number, like \"B7\"",
                        shown(raw)
                    ),
                );
                ok = false;
                continue;
            };
            // Each half is checked on its own, so a bad `rows` does not hide a bad seat number.
            let row_out = rows.is_some_and(|rows| seat.row >= rows);
            let seat_out = seats_per_row.is_some_and(|seats| seat.seat >= seats);
            if row_out || seat_out {
                let mut map = Vec::new();
                if let Some(rows) = rows {
                    map.push(format!("rows A to {}", char::from(b'A' + (rows - 1) as u8)));
                }
                if let Some(seats) = seats_per_row {
                    map.push(format!("seats 1 to {seats}"));
                }
                r.at(
                    &span,
                    format!("seat {seat} is outside the map ({})", map.join(", ")),
                );
                ok = false;
                continue;
            }
            if !seen.insert(seat) {
                r.at(&span, format!("seat {seat} is already blocked"));
                ok = false;
                continue;
            }
            out.push(seat);
        }
        ok.then_some(out)
    };
    Some(Seating {
        rows: rows?,
        seats_per_row: seats_per_row?,
        blocked: blocked?,
        per_delegation: per_delegation?,
    })
}
