//! Durations as officers write them in a meeting file: `3m`, `90s`, `2m30s`.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurationError {
    /// Not in the compact form: white space, unit words, no unit, units out of order.
    Malformed,
    /// More seconds than a `u32` holds.
    TooLong,
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DurationError::Malformed => {
                f.write_str("write durations compactly, like \"3m\", \"90s\" or \"2m30s\"")
            }
            DurationError::TooLong => f.write_str("that duration is far too long"),
        }
    }
}

impl std::error::Error for DurationError {}

/// Whole seconds in `text`, which must be one or more `<number><unit>` parts with the
/// units `h`, `m`, `s`, each at most once and largest first, with nothing in between.
///
/// humantime alone would also take `"3 minutes"`, `"3min 5sec"` or `"1M"` (a month):
/// a meeting file is checked once but read aloud by the timer all afternoon, so only
/// the one unambiguous spelling is let through.
pub fn parse_duration(text: &str) -> Result<u32, DurationError> {
    if !is_compact(text) {
        return Err(DurationError::Malformed);
    }
    let duration = humantime::parse_duration(text).map_err(|_| DurationError::TooLong)?;
    u32::try_from(duration.as_secs()).map_err(|_| DurationError::TooLong)
}

fn is_compact(text: &str) -> bool {
    let mut rest = text.as_bytes();
    // Rank of the last unit seen: each next unit must be smaller.
    let mut last = u8::MAX;
    while !rest.is_empty() {
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            return false;
        }
        let rank = match rest.get(digits) {
            Some(b'h') => 2,
            Some(b'm') => 1,
            Some(b's') => 0,
            _ => return false,
        };
        if rank >= last {
            return false;
        }
        last = rank;
        rest = &rest[digits + 1..];
    }
    last != u8::MAX
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_forms_parse() {
        assert_eq!(parse_duration("3m"), Ok(180));
        assert_eq!(parse_duration("90s"), Ok(90));
        assert_eq!(parse_duration("2m30s"), Ok(150));
        assert_eq!(parse_duration("1h"), Ok(3600));
        assert_eq!(parse_duration("1h0m5s"), Ok(3605));
        assert_eq!(parse_duration("0s"), Ok(0));
    }

    #[test]
    fn loose_forms_are_refused() {
        for text in [
            "3 minutes",
            "3min",
            "3 m",
            " 3m",
            "3m ",
            "180",
            "",
            "m",
            "3M",
            "30s2m",
            "2m2m",
            "1.5m",
            "-3m",
            "3ms",
            "1d",
            "3m\t",
        ] {
            assert_eq!(
                parse_duration(text),
                Err(DurationError::Malformed),
                "{text:?}"
            );
        }
    }

    #[test]
    fn overflow_is_refused() {
        assert_eq!(parse_duration("99999999999h"), Err(DurationError::TooLong));
        assert_eq!(
            parse_duration("99999999999999999999999s"),
            Err(DurationError::TooLong)
        );
    }
}
