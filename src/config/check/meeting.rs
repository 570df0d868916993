//! The `[meeting]` table: what the meeting is, when and where it sits, and how
//! its timer warns.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{AmbiguousOffset, TimeZone};
use toml::de::DeValue;

use super::findings::{Findings, Section, Val, kind, string};
use crate::domain::{Meeting, Participant, Replies, Seating, SegmentDef};
use crate::text::{Clean, quoted};

pub(super) const FIELDS: &[&str] = &[
    "id",
    "title",
    "venue",
    "room",
    "date",
    "start",
    "end",
    "timezone",
    "log_dir",
    "store",
    "warn_before",
    "bell",
    "summary_title",
    "order_limit",
    "replies",
    "breaks",
];

const DEFAULT_WARN_BEFORE: u32 = 30;
/// A point of order is a short intervention on procedure, whatever the
/// segment's limit for statements.
const DEFAULT_ORDER_LIMIT: u32 = 120;

/// The tables read after `[meeting]`, which complete the meeting it heads.
pub(super) struct Parts {
    pub(super) segments: Vec<SegmentDef>,
    pub(super) roster: Vec<Participant>,
    pub(super) seating: Seating,
}

/// Where the meeting's journal is kept, as `[meeting]` says: `log_dir` as
/// written, and `store`.
pub(super) struct Where {
    pub(super) log_dir: Option<String>,
    pub(super) store: Option<crate::store::Location>,
}

/// `[meeting]` read whole: `log_dir` and `store`, and the meeting it heads,
/// built once the other tables are read. Its mistakes are found first, so
/// that they come first among those found at one place (a file that starts
/// with `[meeting]` and lacks a field shares line 1, column 1 with a missing
/// table).
pub(super) fn head(
    f: &mut Findings,
    s: &Section,
    warning: Option<Warning>,
) -> Option<(Where, impl FnOnce(Parts) -> Meeting + use<>)> {
    let id = s.id(f, "id", "mali-ministerial-2017").map(|(id, _)| id);
    let title = s.text(f, "title");
    let venue = s.text(f, "venue");
    let room = s.text(f, "room");
    let date = s.required(f, "date").and_then(|v| date(f, v));
    let start_value = s.required(f, "start");
    let start = start_value.and_then(|v| time_of_day(f, "start", v));
    let end_value = s.required(f, "end");
    let end = end_value.and_then(|v| time_of_day(f, "end", v));
    if let (Some(start), Some(end), Some(value)) = (start, end, end_value)
        && end <= start
    {
        f.at(
            &value.span(),
            format!(
                "`end` {} must be after `start` {}",
                end.strftime("%H:%M"),
                start.strftime("%H:%M")
            ),
        );
    }
    let zone = s.required(f, "timezone").and_then(|v| time_zone(f, v));
    if let (Some(date), Some((name, tz))) = (date, &zone) {
        for (key, time, value) in [("start", start, start_value), ("end", end, end_value)] {
            if let (Some(time), Some(value)) = (time, value) {
                clock_change(f, key, value, date.to_datetime(time), name, tz);
            }
        }
    }
    let breaks = super::breaks::breaks(f, s);
    if let (Some(date), Some((name, tz)), Some(breaks)) = (date, &zone, &breaks) {
        for (start, end, value) in breaks {
            for time in [start, end] {
                clock_change(f, "breaks", value, date.to_datetime(*time), name, tz);
            }
        }
    }
    let breaks: Option<Vec<(Time, Time)>> =
        breaks.map(|b| b.into_iter().map(|(s, e, _)| (s, e)).collect());
    let bell = bell(f, s);
    let summary_title = s.optional_text(f, "summary_title");
    let order_limit = match s.get("order_limit") {
        Some(value) => s.duration(f, "order_limit", value).and_then(|secs| {
            if secs == 0 {
                f.at(&value.span(), "`order_limit` must be longer than zero");
                return None;
            }
            Some(secs)
        }),
        None => Some(DEFAULT_ORDER_LIMIT),
    };
    let replies = replies(f, s);
    let log_dir = match s.get("log_dir") {
        Some(value) => log_dir(f, value).map(Some),
        None => Some(None),
    };
    let store = match s.get("store") {
        Some(value) => store(f, value).map(Some),
        None => Some(None),
    };
    let (id, title, venue, room) = (id?, title?, venue?, room?);
    let (date, start, end, (timezone, tz)) = (date?, start?, end?, zone?);
    let (warn_before, bell) = (warning?.seconds, bell?);
    let summary_title = summary_title.filter(|t| !t.is_empty());
    let order_limit = order_limit?;
    let replies = replies?;
    let breaks = breaks?;
    let meeting = move |parts: Parts| Meeting {
        id,
        title,
        venue,
        room,
        date,
        start,
        end,
        timezone,
        tz,
        warn_before,
        bell,
        summary_title,
        order_limit,
        replies,
        segments: parts.segments,
        roster: parts.roster,
        seating: parts.seating,
        breaks,
    };
    let at = Where {
        log_dir: log_dir?,
        store: store?,
    };
    Some((at, meeting))
}

fn bell(f: &mut Findings, s: &Section) -> Option<bool> {
    let Some(value) = s.get("bell") else {
        return Some(false);
    };
    match value.get_ref() {
        DeValue::Boolean(b) => Some(*b),
        other => {
            f.at(
                &value.span(),
                format!("`bell` must be true or false, not {}", kind(other)),
            );
            None
        }
    }
}

/// `replies = { max = 2, limits = ["5m", "3m"] }`: how many rights of reply
/// a delegation may have in a segment, and the limit of each in turn.
fn replies(f: &mut Findings, s: &Section) -> Option<Replies> {
    let Some(value) = s.get("replies") else {
        return Some(Replies::default());
    };
    let r = Section::open(f, "`replies`", &["max", "limits"], value)?;
    let defaults = Replies::default();
    let max = match r.get("max") {
        None => Some(defaults.max),
        Some(v) => r.integer(f, "max", v).and_then(|n| match u32::try_from(n) {
            Ok(n @ 1..=10) => Some(n),
            _ => {
                f.at(&v.span(), "`max` must be a number of replies from 1 to 10");
                None
            }
        }),
    };
    let limits = match r.get("limits") {
        None => Some(defaults.limits),
        Some(v) => reply_limits(f, &r, v),
    };
    Some(Replies {
        max: max?,
        limits: limits?,
    })
}

fn reply_limits(f: &mut Findings, r: &Section, value: &Val) -> Option<Vec<u32>> {
    let DeValue::Array(items) = value.get_ref() else {
        f.at(
            &value.span(),
            format!(
                "`limits` must be a list of durations like [\"5m\", \"3m\"], not {}",
                kind(value.get_ref())
            ),
        );
        return None;
    };
    if items.is_empty() {
        f.at(&value.span(), "`limits` must give at least one duration");
        return None;
    }
    let limits: Vec<Option<u32>> = items
        .iter()
        .map(|item| match r.duration(f, "limits", item) {
            Some(0) => {
                f.at(&item.span(), "a reply's limit must be longer than zero");
                None
            }
            limit => limit,
        })
        .collect();
    limits.into_iter().collect()
}

/// How long before the limit the timer warns, and whether the file said so.
#[derive(Clone, Copy)]
pub(super) struct Warning {
    pub(super) seconds: u32,
    pub(super) set: bool,
}

pub(super) fn warning(f: &mut Findings, s: &Section) -> Option<Warning> {
    match s.get("warn_before") {
        Some(value) => s
            .duration(f, "warn_before", value)
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
fn clock_change(f: &mut Findings, key: &str, value: &Val, at: DateTime, zone: &str, tz: &TimeZone) {
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
    f.at(
        &value.span(),
        format!(
            "`{key}` {} {happens} on {} in {zone}{clocks}",
            clock(at.time()),
            at.date()
        ),
    );
}

/// `15:30`, or `15:30:20` when there are seconds.
pub(super) fn clock(time: Time) -> String {
    if time.second() == 0 && time.subsec_nanosecond() == 0 {
        time.strftime("%H:%M").to_string()
    } else {
        time.strftime("%H:%M:%S").to_string()
    }
}

const DATE_HINT: &str = "a date like 2017-09-20";

fn date(f: &mut Findings, value: &Val) -> Option<Date> {
    let parsed = match value.get_ref() {
        DeValue::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => Date::new(d.year as i16, d.month as i8, d.day as i8).ok(),
            _ => {
                f.at(
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
                    f.at(
                        &value.span(),
                        format!("there is no such date as {}", quoted(s)),
                    );
                    return None;
                }
            },
            None => {
                f.at(
                    &value.span(),
                    format!("`date` must be {DATE_HINT}, not {}", quoted(s)),
                );
                return None;
            }
        },
        other => {
            f.at(
                &value.span(),
                format!("`date` must be {DATE_HINT}, not {}", kind(other)),
            );
            return None;
        }
    };
    if parsed.is_none() {
        f.at(&value.span(), "there is no such date");
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

pub(super) fn time_of_day(f: &mut Findings, key: &str, value: &Val) -> Option<Time> {
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
                f.at(
                    &value.span(),
                    format!("`{key}` must be {hint}, without a date"),
                );
                return None;
            }
        },
        DeValue::String(s) => time_parts(s).and_then(|(h, m, sec)| Time::new(h, m, sec, 0).ok()),
        other => {
            f.at(
                &value.span(),
                format!("`{key}` must be {hint}, not {}", kind(other)),
            );
            return None;
        }
    };
    if parsed.is_none() {
        let raw = value.get_ref().as_str().unwrap_or_default();
        f.at(
            &value.span(),
            format!(
                "`{key}` must be {hint} (24-hour clock), not {}",
                quoted(raw)
            ),
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

fn time_zone(f: &mut Findings, value: &Val) -> Option<(String, TimeZone)> {
    let name = string(f, "timezone", value)?;
    // The database also knows abbreviations and fixed offsets; the schedule wants a
    // place, so that daylight saving follows the venue.
    let looks_like_place = !name.is_empty() && !name.contains(char::is_whitespace);
    match TimeZone::get(name) {
        Ok(tz) if looks_like_place => {
            let canonical = Clean::new(tz.iana_name().unwrap_or(name)).into_string();
            Some((canonical, tz))
        }
        _ => {
            f.at(
                &value.span(),
                format!(
                    "unknown time zone {}: write an IANA name like \"America/New_York\" or \"Europe/Zurich\"",
                    quoted(name)
                ),
            );
            None
        }
    }
}

/// `store = "postgres://…"` (or `"files"`, the default said outright).
fn store(f: &mut Findings, value: &Val) -> Option<crate::store::Location> {
    let raw = string(f, "store", value)?;
    match crate::store::Location::parse(raw) {
        Ok(location) => Some(location),
        Err(why) => {
            f.at(&value.span(), format!("`store`: {why}"));
            None
        }
    }
}

fn log_dir(f: &mut Findings, value: &Val) -> Option<String> {
    let raw = string(f, "log_dir", value)?;
    if raw.is_empty() {
        f.at(
            &value.span(),
            "`log_dir` must not be empty: leave it out to use the default",
        );
        return None;
    }
    // A path is used as written, so it may not be quietly cleaned: refuse instead.
    if Clean::new(raw).as_str() != raw {
        f.at(
            &value.span(),
            "`log_dir` must be a plain path: no control characters, tabs, line breaks, or spaces at the ends or doubled",
        );
        return None;
    }
    Some(raw.to_string())
}
