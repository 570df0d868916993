//! The `[seating]` table: the map of observer seats, the seats out of use,
//! and how many one delegation may hold.

use std::collections::HashSet;

use super::findings::{Findings, Section};
use crate::domain::{SeatId, Seating};
use crate::text::quoted;

pub(super) const FIELDS: &[&str] = &["rows", "seats_per_row", "blocked", "per_delegation"];

const DEFAULT_PER_DELEGATION: u16 = 1;
/// Seat numbers stay at three digits, which the seat map is drawn for.
const MAX_SEATS_PER_ROW: u16 = 999;

pub(super) fn seating(f: &mut Findings, s: &Section) -> Option<Seating> {
    let rows = rows(f, s);
    let seats_per_row = seats_per_row(f, s);
    let per_delegation = per_delegation(f, s);
    let blocked = blocked(f, s, rows, seats_per_row);
    Some(Seating {
        rows: rows?,
        seats_per_row: seats_per_row?,
        blocked: blocked?,
        per_delegation: per_delegation?,
    })
}

fn rows(f: &mut Findings, s: &Section) -> Option<u16> {
    let value = s.required(f, "rows")?;
    let n = s.integer(f, "rows", value)?;
    let max = i64::from(SeatId::MAX_ROWS);
    if n < 1 {
        f.at(&value.span(), "`rows` must be at least 1");
        None
    } else if n > max {
        f.at(
            &value.span(),
            format!("`rows` is {n}, but rows are lettered A to Z: at most {max}"),
        );
        None
    } else {
        Some(n as u16)
    }
}

fn seats_per_row(f: &mut Findings, s: &Section) -> Option<u16> {
    let value = s.required(f, "seats_per_row")?;
    let n = s.integer(f, "seats_per_row", value)?;
    if !(1..=i64::from(MAX_SEATS_PER_ROW)).contains(&n) {
        f.at(
            &value.span(),
            format!("`seats_per_row` must be between 1 and {MAX_SEATS_PER_ROW}, not {n}"),
        );
        return None;
    }
    Some(n as u16)
}

fn per_delegation(f: &mut Findings, s: &Section) -> Option<u16> {
    let Some(value) = s.get("per_delegation") else {
        return Some(DEFAULT_PER_DELEGATION);
    };
    let n = s.integer(f, "per_delegation", value)?;
    if !(1..=i64::from(u16::MAX)).contains(&n) {
        f.at(
            &value.span(),
            format!("`per_delegation` must be at least 1, not {n}"),
        );
        return None;
    }
    Some(n as u16)
}

/// The seats out of use. Each is checked against the half of the map that
/// was well given, so a bad `rows` does not hide a bad seat number.
fn blocked(
    f: &mut Findings,
    s: &Section,
    rows: Option<u16>,
    seats_per_row: Option<u16>,
) -> Option<Vec<SeatId>> {
    let (items, mut ok) = s.strings(f, "blocked");
    let mut out: Vec<SeatId> = Vec::new();
    let mut seen: HashSet<SeatId> = HashSet::new();
    for (raw, span) in items {
        let Some(seat) = SeatId::parse(raw).filter(|_| raw.trim() == raw) else {
            f.at(
                &span,
                format!(
                    "{} is not a seat: write a row letter and a seat number, like \"B7\"",
                    quoted(raw)
                ),
            );
            ok = false;
            continue;
        };
        let row_out = rows.is_some_and(|rows| seat.row >= rows);
        let seat_out = seats_per_row.is_some_and(|seats| seat.seat >= seats);
        if row_out || seat_out {
            f.at(&span, outside_the_map(seat, rows, seats_per_row));
            ok = false;
            continue;
        }
        if !seen.insert(seat) {
            f.at(&span, format!("seat {seat} is already blocked"));
            ok = false;
            continue;
        }
        out.push(seat);
    }
    ok.then_some(out)
}

fn outside_the_map(seat: SeatId, rows: Option<u16>, seats_per_row: Option<u16>) -> String {
    let mut map = Vec::new();
    if let Some(rows) = rows {
        map.push(format!("rows A to {}", char::from(b'A' + (rows - 1) as u8)));
    }
    if let Some(seats) = seats_per_row {
        map.push(format!("seats 1 to {seats}"));
    }
    format!("seat {seat} is outside the map ({})", map.join(", "))
}
