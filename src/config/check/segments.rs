//! The `[[segment]]` tables: the parts of the meeting in order, each with its
//! speaking limit and the roster ids of its chairs and speakers.

use std::collections::HashMap;

use super::findings::{Findings, Section, Val, table_list};
use super::meeting::Warning;
use super::roster::Roster;
use crate::domain::format::{duration, ordinal};
use crate::domain::{Category, Ordering, SegmentDef};
use crate::text::{Clean, quoted};

pub(super) const FIELDS: &[&str] = &[
    "id",
    "title",
    "speaking_limit",
    "limits",
    "ordering",
    "chairs",
    "speakers",
];

const ORDERINGS: &[(&str, Ordering)] = &[
    ("inscription", Ordering::Inscription),
    ("protocol", Ordering::Protocol),
];

pub(super) fn segments(
    f: &mut Findings,
    value: &Val,
    roster: &Roster,
    warning: Option<Warning>,
) -> Vec<SegmentDef> {
    let mut out = Vec::new();
    let Some(entries) = table_list(f, "segment", "part of the meeting", value) else {
        return out;
    };
    if entries.is_empty() && value.get_ref().as_array().is_some_and(|a| a.is_empty()) {
        f.at(&value.span(), "at least one [[segment]] is required");
    }
    // Each id → the line it was first given on.
    let mut ids: HashMap<String, usize> = HashMap::new();
    for entry in entries {
        let Some(s) = Section::open(f, "[[segment]]", FIELDS, entry) else {
            continue;
        };
        let id = segment_id(f, &s, &mut ids);
        let title = s.text(f, "title");
        let speaking_limit = speaking_limit(f, &s, warning);
        let limits = category_limits(f, &s);
        let ordering = match s.get("ordering") {
            Some(value) => s.choice_of(f, "ordering", "ordering", value, ORDERINGS),
            None => Some(Ordering::default()),
        };
        let chairs = roster_refs(f, &s, "chairs", roster);
        let speakers = roster_refs(f, &s, "speakers", roster);
        if let (
            Some(id),
            Some(title),
            Some(speaking_limit),
            Some(limits),
            Some(ordering),
            Some(chairs),
            Some(speakers),
        ) = (
            id,
            title,
            speaking_limit,
            limits,
            ordering,
            chairs,
            speakers,
        ) {
            out.push(SegmentDef {
                id,
                title,
                speaking_limit,
                limits,
                chairs,
                speakers,
                ordering,
            });
        }
    }
    out
}

/// `limits = { member = "5m", observer = "4m" }`: each category's limit in
/// the segment, in place of `speaking_limit`.
fn category_limits(f: &mut Findings, s: &Section) -> Option<Vec<(Category, u32)>> {
    let Some(value) = s.get("limits") else {
        return Some(Vec::new());
    };
    let names: Vec<&str> = Category::ALL.iter().map(|(name, _)| *name).collect();
    let limits = Section::open(f, "`limits`", &names, value)?;
    let mut out = Vec::new();
    let mut ok = true;
    for (name, category) in Category::ALL {
        let Some(v) = limits.get(name) else {
            continue;
        };
        match limits.duration(f, name, v) {
            Some(0) => {
                f.at(
                    &v.span(),
                    format!("the limit for `{name}` must be longer than zero"),
                );
                ok = false;
            }
            Some(secs) => out.push((category, secs)),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn segment_id(f: &mut Findings, s: &Section, ids: &mut HashMap<String, usize>) -> Option<Clean> {
    let (id, span) = s.id(f, "id", "opening")?;
    // `segment next` is a command; a segment called `next` could not be named.
    if id.as_str() == "next" {
        f.at(
            &span,
            "a segment cannot be called \"next\": `segment next` means the following segment",
        );
        return None;
    }
    if let Some(&first) = ids.get(id.as_str()) {
        f.at(
            &span,
            format!(
                "duplicate segment id {} (first at line {first})",
                quoted(id.as_str())
            ),
        );
        return None;
    }
    let line = f.line(span.start);
    ids.insert(id.to_string(), line);
    Some(id)
}

fn speaking_limit(f: &mut Findings, s: &Section, warning: Option<Warning>) -> Option<u32> {
    let value = s.required(f, "speaking_limit")?;
    let seconds = s.duration(f, "speaking_limit", value)?;
    if seconds == 0 {
        f.at(&value.span(), "`speaking_limit` must be longer than zero");
        return None;
    }
    if let Some(warning) = warning
        && seconds <= warning.seconds
    {
        f.at(&value.span(), warning_too_long(seconds, warning));
        return None;
    }
    Some(seconds)
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

fn roster_refs(f: &mut Findings, s: &Section, key: &str, roster: &Roster) -> Option<Vec<Clean>> {
    let (items, mut ok) = s.strings(f, key);
    let mut out: Vec<Clean> = Vec::new();
    // Each id listed → its place in the list, from 1.
    let mut places: HashMap<&str, usize> = HashMap::new();
    for (raw, span) in items {
        if !roster.ids.contains_key(raw) {
            let hint = roster.did_you_mean(raw);
            f.at(
                &span,
                format!("{} in `{key}` is not a roster id{hint}", quoted(raw)),
            );
            ok = false;
            continue;
        }
        if let Some(&place) = places.get(raw) {
            f.at(
                &span,
                format!("{} is already in `{key}` ({})", quoted(raw), ordinal(place)),
            );
            ok = false;
            continue;
        }
        out.push(Clean::new(raw));
        places.insert(raw, out.len());
    }
    ok.then_some(out)
}
