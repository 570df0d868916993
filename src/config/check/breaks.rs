//! `breaks = [["13:00", "15:00"]]` in `[meeting]`: scheduled breaks, times of
//! day in the meeting's zone. The projected end steps over those still ahead.

use jiff::civil::Time;
use toml::de::DeValue;

use super::findings::{Findings, Section, Val, kind};
use super::meeting::{clock, time_of_day};

const HINT: &str = "a list of [start, end] pairs like [[\"13:00\", \"15:00\"]]";

/// The breaks in order of their start; `None` once one is wrong. Each is
/// returned with its value, for the checks that need the date and the zone.
pub(super) fn breaks<'t, 'i>(
    f: &mut Findings,
    s: &Section<'t, 'i>,
) -> Option<Vec<(Time, Time, &'t Val<'i>)>> {
    let Some(value) = s.get("breaks") else {
        return Some(Vec::new());
    };
    let DeValue::Array(items) = value.get_ref() else {
        f.at(
            &value.span(),
            format!("`breaks` must be {HINT}, not {}", kind(value.get_ref())),
        );
        return None;
    };
    let read: Vec<Option<(Time, Time, &Val)>> = items.iter().map(|item| one(f, item)).collect();
    // The breaks that read are checked against each other all the same, so
    // that every mistake is found in one pass.
    let mut apart = read.iter().all(Option::is_some);
    let mut read: Vec<(Time, Time, &Val)> = read.into_iter().flatten().collect();
    read.sort_by_key(|(start, _, _)| *start);
    for pair in read.windows(2) {
        let ((s1, e1, _), (s2, e2, v2)) = (pair[0], pair[1]);
        if s2 < e1 {
            f.at(
                &v2.span(),
                format!(
                    "the break {}–{} overlaps the break {}–{}: join them or move one",
                    clock(s2),
                    clock(e2),
                    clock(s1),
                    clock(e1)
                ),
            );
            apart = false;
        }
    }
    apart.then_some(read)
}

fn one<'t, 'i>(f: &mut Findings, item: &'t Val<'i>) -> Option<(Time, Time, &'t Val<'i>)> {
    let pair = match item.get_ref() {
        DeValue::Array(pair) if pair.len() == 2 => pair,
        other => {
            f.at(
                &item.span(),
                format!(
                    "each break must be a pair [start, end] like [\"13:00\", \"15:00\"], not {}",
                    kind_of(other)
                ),
            );
            return None;
        }
    };
    let start = time_of_day(f, "breaks", &pair[0]);
    let end = time_of_day(f, "breaks", &pair[1]);
    let (start, end) = (start?, end?);
    if end <= start {
        f.at(
            &pair[1].span(),
            format!(
                "a break must end after it starts: {} is not after {}",
                clock(end),
                clock(start)
            ),
        );
        return None;
    }
    Some((start, end, item))
}

fn kind_of(value: &DeValue) -> String {
    match value {
        DeValue::Array(items) => format!("a list of {}", items.len()),
        other => kind(other).to_string(),
    }
}
