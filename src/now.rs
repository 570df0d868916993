//! The process's clock. `GAVEL_NOW` (RFC 3339) sets the instant it starts at, for
//! tests and demos; from there it runs at real speed.

use std::time::Instant;

use jiff::{SignedDuration, Timestamp};

#[derive(Debug, Clone, Copy)]
pub struct WallClock {
    started: Instant,
    origin: Timestamp,
}

impl WallClock {
    pub fn system() -> WallClock {
        WallClock {
            started: Instant::now(),
            origin: Timestamp::now(),
        }
    }

    pub fn starting_at(origin: Timestamp) -> WallClock {
        WallClock {
            started: Instant::now(),
            origin,
        }
    }

    /// From `GAVEL_NOW` if set; an unreadable value is an error, not a silent fallback.
    pub fn from_env() -> Result<WallClock, String> {
        match std::env::var("GAVEL_NOW") {
            Ok(text) => text
                .trim()
                .parse::<Timestamp>()
                .map(WallClock::starting_at)
                .map_err(|e| format!("GAVEL_NOW={text:?} is not an RFC 3339 instant like 2017-09-20T15:30:00-04:00: {e}")),
            Err(_) => Ok(WallClock::system()),
        }
    }

    pub fn now(&self) -> Timestamp {
        let elapsed =
            SignedDuration::try_from(self.started.elapsed()).unwrap_or(SignedDuration::ZERO);
        self.origin.saturating_add(elapsed).unwrap_or(self.origin)
    }
}
