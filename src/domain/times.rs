//! Whether a journal's times can be believed. gavel writes each line's `at`
//! no earlier than the line before (an append catches up and stamps no
//! earlier than the last line), and a correction's `effective` neither in
//! the future nor before that day; a line that breaks this was written by a
//! clock gone wrong or changed by hand, and `gavel verify` says which.

use jiff::Timestamp;

use super::event::Entry;
use super::format::duration;

/// How far an `at` may fall behind the line before it: the clocks of two
/// hosts, or of one host before and after it set its time, differ by a moment.
pub const BACKWARDS_SECS: i64 = 5;
/// How far past the check's own clock a time may be, for the same reason.
pub const FUTURE_SECS: i64 = 60;
/// A correction (`at 15:42:10`) takes effect earlier the same day at most.
const CORRECTION_SECS: i64 = 24 * 3600;

/// A line whose times cannot be right, and why, in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suspicious {
    /// 1-based, as in the file.
    pub line: u64,
    pub seq: u64,
    pub why: String,
}

/// Checks lines one at a time, in journal order, against `now`.
#[derive(Debug, Clone)]
pub struct TimeCheck {
    now: Timestamp,
    lines: u64,
    /// The `at` of the line before, and its number; a line in the future is
    /// passed over, so that the line after it is not told too.
    previous: Option<(u64, Timestamp)>,
    found: Vec<Suspicious>,
}

impl TimeCheck {
    pub fn new(now: Timestamp) -> TimeCheck {
        TimeCheck {
            // Whole seconds, as the journal writes them.
            now: Timestamp::from_second(now.as_second()).unwrap_or(now),
            lines: 0,
            previous: None,
            found: Vec::new(),
        }
    }

    pub fn take(&mut self, entry: &Entry) {
        self.lines += 1;
        let line = self.lines;
        let mut say = |why: String| {
            self.found.push(Suspicious {
                line,
                seq: entry.seq,
                why,
            })
        };
        let future = secs(self.now, entry.at) > FUTURE_SECS;
        if future {
            say(format!(
                "recorded at {}, {} after now ({})",
                entry.at,
                span(secs(self.now, entry.at)),
                self.now
            ));
        } else if let Some((before, at)) = self.previous
            && secs(entry.at, at) > BACKWARDS_SECS
        {
            say(format!(
                "recorded at {}, {} before line {before} ({at}): the clock went back, or the line was changed",
                entry.at,
                span(secs(entry.at, at))
            ));
        }
        if let Some(effective) = entry.event.takes_effect() {
            if secs(self.now, effective) > FUTURE_SECS {
                say(format!(
                    "takes effect at {effective}, {} after now ({})",
                    span(secs(self.now, effective)),
                    self.now
                ));
            } else if secs(entry.at, effective) > BACKWARDS_SECS {
                say(format!(
                    "takes effect at {effective}, {} after it was recorded ({}): a correction is never in the future",
                    span(secs(entry.at, effective)),
                    entry.at
                ));
            } else if secs(effective, entry.at) > CORRECTION_SECS {
                say(format!(
                    "takes effect at {effective}, {} before it was recorded ({}): a correction reaches back the same day at most",
                    span(secs(effective, entry.at)),
                    entry.at
                ));
            }
        }
        if !future {
            self.previous = Some((line, entry.at));
        }
    }

    /// What was found, in line order.
    pub fn findings(self) -> Vec<Suspicious> {
        self.found
    }
}

/// Seconds from `from` to `to`, saturating: a year 9999 stays a number.
fn secs(from: Timestamp, to: Timestamp) -> i64 {
    to.duration_since(from).as_secs()
}

/// `3m20s`, `2h05m`, `12 days`, `3 years`.
fn span(secs: i64) -> String {
    const DAY: i64 = 24 * 3600;
    match secs / DAY {
        0 => duration(secs),
        1 => "1 day".to_string(),
        days if days < 730 => format!("{days} days"),
        // 146,097 days to 400 Gregorian years, to the nearest year.
        days => format!("{} years", (days * 400 + 73_048) / 146_097),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::{Event, VERSION};
    use crate::text::Clean;

    fn t(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn note(seq: u64, at: &str) -> Entry {
        Entry {
            v: VERSION,
            seq,
            at: t(at),
            by: Clean::new("ana"),
            event: Event::Retracted { note: 1 },
        }
    }

    fn opened(seq: u64, at: &str, effective: &str) -> Entry {
        Entry {
            event: Event::Opened {
                effective: t(effective),
            },
            ..note(seq, at)
        }
    }

    fn check(entries: &[Entry]) -> Vec<(u64, String)> {
        let mut check = TimeCheck::new(t("2017-09-20T20:00:00Z"));
        for e in entries {
            check.take(e);
        }
        check
            .findings()
            .into_iter()
            .map(|s| (s.line, s.why))
            .collect()
    }

    #[test]
    fn times_in_order_and_a_moment_apart_are_fine() {
        let found = check(&[
            opened(1, "2017-09-20T19:30:00Z", "2017-09-20T19:29:40Z"),
            note(2, "2017-09-20T19:31:00Z"),
            // Another host's clock, three seconds behind.
            note(3, "2017-09-20T19:30:57Z"),
            // Within a minute of now.
            note(4, "2017-09-20T20:00:30Z"),
        ]);
        assert_eq!(found, []);
    }

    #[test]
    fn a_jump_back_or_ahead_is_told_once() {
        let found = check(&[
            note(1, "2017-09-20T19:30:00Z"),
            note(2, "2014-09-20T19:31:00Z"),
            note(3, "2014-09-20T19:32:00Z"),
            note(4, "9999-01-01T00:00:00Z"),
            note(5, "2017-09-20T19:33:00Z"),
        ]);
        let lines: Vec<u64> = found.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [2, 4], "{found:?}");
        assert!(found[0].1.contains("3 years before line 1"), "{found:?}");
        assert!(found[1].1.contains("after now"), "{found:?}");
    }

    #[test]
    fn an_effective_in_the_future_or_far_from_its_line_is_told() {
        let found = check(&[
            opened(1, "2017-09-20T19:30:00Z", "9999-01-01T00:00:00Z"),
            opened(2, "2017-09-20T19:31:00Z", "2017-09-20T19:40:00Z"),
            opened(3, "2017-09-20T19:32:00Z", "2017-09-10T19:32:00Z"),
        ]);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(
            found[0]
                .1
                .starts_with("takes effect at 9999-01-01T00:00:00Z")
        );
        assert!(found[1].1.contains("9m after it was recorded"), "{found:?}");
        assert!(found[2].1.contains("10 days before"), "{found:?}");
    }
}
