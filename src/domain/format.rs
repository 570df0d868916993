//! How times and places are written for people: `3m`, `2m05s`, `4th`,
//! `15:42:10`, `A1, B7`. Below every part of the domain that writes words.

use jiff::Timestamp;

use super::meeting::{Meeting, SeatId};

/// The time of day at `at` in the venue's time zone: `15:42:10`.
pub fn local_time(meeting: &Meeting, at: Timestamp) -> String {
    at.to_zoned_datetime(meeting.tz.clone())
        .strftime("%H:%M:%S")
        .to_string()
}

/// Seats as a list: `A1, B7`.
pub fn seat_list(seats: impl Iterator<Item = SeatId>) -> String {
    seats.map(|s| s.to_string()).collect::<Vec<_>>().join(", ")
}

/// A duration in seconds as officers write it: `45s`, `3m`, `2m05s`, `1h02m`.
/// Negative durations get a leading minus.
pub fn duration(secs: i64) -> String {
    let sign = if secs < 0 { "-" } else { "" };
    let s = secs.unsigned_abs();
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    match (h, m, s) {
        (0, 0, s) => format!("{sign}{s}s"),
        (0, m, 0) => format!("{sign}{m}m"),
        (0, m, s) => format!("{sign}{m}m{s:02}s"),
        (h, 0, 0) => format!("{sign}{h}h"),
        (h, m, _) => format!("{sign}{h}h{m:02}m"),
    }
}

/// A clock-style duration for timers: `2:05`, `-0:12`, `1:02:09`.
pub fn clock(secs: i64) -> String {
    let sign = if secs < 0 { "-" } else { "" };
    let s = secs.unsigned_abs();
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    if h > 0 {
        format!("{sign}{h}:{m:02}:{s:02}")
    } else {
        format!("{sign}{m}:{s:02}")
    }
}

/// `1st`, `2nd`, `3rd`, `4th`, `11th`, `21st`, for a 1-based position.
pub fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_officers_write_them() {
        assert_eq!(duration(45), "45s");
        assert_eq!(duration(180), "3m");
        assert_eq!(duration(125), "2m05s");
        assert_eq!(duration(3720), "1h02m");
        assert_eq!(duration(-12), "-12s");
        assert_eq!(clock(125), "2:05");
        assert_eq!(clock(-12), "-0:12");
        assert_eq!(clock(3729), "1:02:09");
    }

    #[test]
    fn ordinals() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111]
            .map(ordinal)
            .to_vec();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
                "111th"
            ]
        );
    }
}
