//! One journal entry as a row of `gavel_events`, and back, losing nothing:
//! the time to the nanosecond (microseconds in `at`, the rest in `at_ns`),
//! the event as the JSON the file journal holds.

use jiff::{SignedDuration, Timestamp};
use postgres::Row;

use crate::domain::{Entry, Event, VERSION};
use crate::text::Clean;

/// The columns [`from_row`] reads, in its order.
pub const COLUMNS: &str = "seq, v, (extract(epoch FROM at) * 1000000)::bigint, at_ns, by, \
                           event::text, meeting_hash";

/// An insert of one row: the meeting's id, then [`Encoded`]'s fields in
/// order, then the meeting file's hash.
pub const INSERT: &str = "INSERT INTO gavel_events \
     (meeting_id, seq, v, at, at_ns, by, event, meeting_hash) \
     VALUES ($1, $2, $3, 'epoch'::timestamptz + $4 * interval '1 microsecond', $5, $6, \
     $7::text::jsonb, $8)";

/// What goes into the row besides the meeting's id and hash.
pub struct Encoded {
    pub seq: i64,
    pub v: i16,
    pub micros: i64,
    pub at_ns: i16,
    pub by: String,
    pub event: String,
}

pub fn encode(entry: &Entry) -> Result<Encoded, String> {
    let ns = entry.at.as_nanosecond();
    let micros = ns.div_euclid(1000);
    Ok(Encoded {
        seq: i64::try_from(entry.seq).map_err(|e| e.to_string())?,
        v: i16::from(entry.v),
        micros: i64::try_from(micros).map_err(|e| e.to_string())?,
        at_ns: ns.rem_euclid(1000) as i16,
        by: entry.by.as_str().to_string(),
        event: serde_json::to_string(&entry.event).map_err(|e| e.to_string())?,
    })
}

/// A row read back: the entry, and the meeting file's hash it was recorded with.
pub fn from_row(row: &Row) -> Result<(Entry, String), String> {
    let seq: i64 = row.get(0);
    let v: i16 = row.get(1);
    let micros: i64 = row.get(2);
    let at_ns: i16 = row.get(3);
    let by: String = row.get(4);
    let event: String = row.get(5);
    let hash: String = row.get(6);
    if v != i16::from(VERSION) {
        return Err(format!(
            "format version {v}, but this gavel reads version {VERSION}"
        ));
    }
    let at = Timestamp::from_microsecond(micros)
        .and_then(|t| t.checked_add(SignedDuration::from_nanos(i64::from(at_ns))))
        .map_err(|e| format!("a time out of range: {e}"))?;
    let event: Event =
        serde_json::from_str(&event).map_err(|e| format!("not a gavel event: {e}"))?;
    let entry = Entry {
        v: VERSION,
        seq: u64::try_from(seq).map_err(|_| format!("sequence number {seq}"))?,
        at,
        by: Clean::new(&by),
        event,
    };
    Ok((entry, hash))
}
