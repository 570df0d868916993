use std::path::Path;

use super::*;
use crate::domain::{Level, Ordering, Role, SeatId};
use crate::text::{Clean, MAX_MARKS_PER_CHAR};

/// A valid file whose line numbers the tests below rely on.
const BASE: &str = r#"[meeting]
id = "m1"
title = "T"
venue = "V"
room = "R"
date = 2017-09-20
start = "15:30"
end = "18:00"
timezone = "America/New_York"

[[roster]]
id = "a"
delegation = "Alpha"
level = "minister"
role = "participant"

[[roster]]
id = "b"
delegation = "Beta"
level = "minister"
role = "co_chair"

[[segment]]
id = "s1"
title = "S"
speaking_limit = "3m"
chairs = ["b"]
speakers = ["a", "b"]

[seating]
rows = 2
seats_per_row = 5
"#;

/// BASE with one piece of text replaced; the piece must occur exactly once.
fn edit(from: &str, to: &str) -> String {
    assert_eq!(
        BASE.matches(from).count(),
        1,
        "{from:?} must occur once in BASE"
    );
    BASE.replacen(from, to, 1)
}

fn errors(text: &str) -> Vec<String> {
    match parse(text, "m.toml", Path::new("/meetings")) {
        Ok(_) => Vec::new(),
        Err(diagnostics) => diagnostics.iter().map(|d| d.to_string()).collect(),
    }
}

/// Exactly one diagnostic, at `line:col`, containing `fragment`; if not, what was found.
fn one_mismatch(text: &str, line: usize, col: usize, fragment: &str) -> Option<String> {
    let found = errors(text);
    let prefix = format!("m.toml:{line}:{col}: ");
    match found.as_slice() {
        [only] if only.starts_with(&prefix) && only.contains(fragment) => None,
        [only] => Some(format!("expected {prefix}…{fragment:?}…, got {only}")),
        _ => Some(format!("expected one diagnostic, got {found:#?}")),
    }
}

fn assert_one(text: &str, line: usize, col: usize, fragment: &str) {
    if let Some(wrong) = one_mismatch(text, line, col, fragment) {
        panic!("{wrong}");
    }
}

/// `(from, to, line, col, fragment)`: each edit of BASE gives exactly one
/// diagnostic, at `line:col`, containing `fragment`. Every case that fails is
/// named, so that a change of wording shows all it moved in one run.
fn assert_edits(cases: &[(&str, &str, usize, usize, &str)]) {
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|&(from, to, line, col, fragment)| {
            let wrong = one_mismatch(&edit(from, to), line, col, fragment)?;
            Some(format!("editing {from:?} to {to:?}: {wrong}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn assert_all(text: &str, expected: &[(usize, usize, &str)]) {
    let found = errors(text);
    assert_eq!(found.len(), expected.len(), "got {found:#?}");
    for (got, (line, col, fragment)) in found.iter().zip(expected) {
        let prefix = format!("m.toml:{line}:{col}: ");
        assert!(
            got.starts_with(&prefix) && got.contains(fragment),
            "expected {prefix}…{fragment}…, got {got}"
        );
    }
}

#[test]
fn base_parses_with_defaults() {
    let loaded = parse(BASE, "m.toml", Path::new("/meetings")).expect("BASE is valid");
    let m = &loaded.meeting;
    assert_eq!(loaded.log_dir, None);
    assert_eq!(m.id.as_str(), "m1");
    assert_eq!(m.date, jiff::civil::date(2017, 9, 20));
    assert_eq!(m.start, jiff::civil::time(15, 30, 0, 0));
    assert_eq!(m.end, jiff::civil::time(18, 0, 0, 0));
    assert_eq!(m.timezone, "America/New_York");
    assert_eq!(m.warn_before, 30);
    assert!(!m.bell);
    assert_eq!(m.roster.len(), 2);
    assert_eq!(m.roster[1].role, Role::CoChair);
    assert_eq!(m.roster[0].representative.as_str(), "");
    let s = &m.segments[0];
    assert_eq!(s.speaking_limit, 180);
    assert_eq!(s.ordering, Ordering::Inscription);
    assert_eq!(
        s.speakers.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert_eq!(m.seating.capacity(), 10);
    assert_eq!(m.seating.per_delegation, 1);
    assert!(m.seating.blocked.is_empty());
}

#[test]
fn optional_fields_are_read() {
    let text = edit(
        "timezone = \"America/New_York\"\n",
        "timezone = \"America/New_York\"\nlog_dir = \"../logs\"\nwarn_before = \"1m\"\nbell = true\n",
    );
    let text = text.replace(
        "rows = 2\n",
        "rows = 2\nblocked = [\"A1\", \"b5\"]\nper_delegation = 3\n",
    );
    let text = text.replace(
        "speaking_limit = \"3m\"\n",
        "speaking_limit = \"2m30s\"\nordering = \"protocol\"\n",
    );
    let loaded = parse(&text, "m.toml", Path::new("/meetings/x")).expect("valid");
    assert_eq!(
        loaded.log_dir.as_deref(),
        Some(Path::new("/meetings/x/../logs"))
    );
    let m = loaded.meeting;
    assert_eq!((m.warn_before, m.bell), (60, true));
    assert_eq!(m.segments[0].speaking_limit, 150);
    assert_eq!(m.segments[0].ordering, Ordering::Protocol);
    assert_eq!(
        m.seating.blocked,
        vec![SeatId { row: 0, seat: 0 }, SeatId { row: 1, seat: 4 }]
    );
    assert_eq!(m.seating.per_delegation, 3);
}

#[test]
fn string_date_and_toml_times_are_accepted() {
    let text = edit("date = 2017-09-20", "date = \"2017-09-20\"")
        .replace("start = \"15:30\"", "start = 15:30:00")
        .replace("end = \"18:00\"", "end = \"9:05\"")
        .replace("15:30:00", "08:00");
    let m = parse(&text, "m.toml", Path::new(""))
        .expect("valid")
        .meeting;
    assert_eq!(m.date, jiff::civil::date(2017, 9, 20));
    assert_eq!(m.start, jiff::civil::time(8, 0, 0, 0));
    assert_eq!(m.end, jiff::civil::time(9, 5, 0, 0));
}

#[test]
fn absolute_log_dir_stays_absolute() {
    let text = BASE.replace(
        "timezone = \"America/New_York\"\n",
        "timezone = \"UTC\"\nlog_dir = \"/var/gavel\"\n",
    );
    let loaded = parse(&text, "m.toml", Path::new("/meetings")).expect("valid");
    assert_eq!(loaded.log_dir.as_deref(), Some(Path::new("/var/gavel")));
}

/// Swapped neighbours are the commonest slip: each counts as one edit.
#[test]
fn a_field_with_two_pairs_of_letters_swapped_is_still_recognised() {
    let found = errors(&edit("speaking_limit = ", "sepaking_limti = "));
    assert!(
        found.iter().any(|e| e.contains(
            "unknown field `sepaking_limti` in [[segment]] (did you mean `speaking_limit`?)"
        )),
        "{found:?}"
    );
}

#[test]
fn unknown_fields_say_what_is_allowed() {
    assert_all(
        &edit("room = \"R\"", "rooms = \"R\""),
        &[
            (1, 1, "missing `room` in [meeting]"),
            (
                5,
                1,
                "unknown field `rooms` in [meeting] (did you mean `room`?); allowed: id, title, venue, room, date",
            ),
        ],
    );
    #[rustfmt::skip]
    assert_edits(&[
        ("[seating]", "[seatings]\n[seating]", 30, 2, "unknown field `seatings` at the top level (did you mean `seating`?); allowed: meeting, roster, segment, seating"),
        ("role = \"co_chair\"", "role = \"co_chair\"\ncolour = 1", 22, 1, "allowed: id, delegation"),
    ]);
}

#[test]
fn durations_must_be_compact() {
    #[rustfmt::skip]
    assert_edits(&[
        ("\"3m\"", "\"3 minutes\"", 26, 18, "`speaking_limit` \"3 minutes\" is not a duration: write durations compactly, like \"3m\", \"90s\" or \"2m30s\""),
        ("\"3m\"", "180", 26, 18, "`speaking_limit` must be a duration like \"3m\", not a whole number"),
        ("\"3m\"", "\"0s\"", 26, 18, "`speaking_limit` must be longer than zero"),
        ("timezone = \"America/New_York\"", "timezone = \"America/New_York\"\nwarn_before = \"30 sec\"", 10, 15, "`warn_before` \"30 sec\" is not a duration"),
    ]);
}

#[test]
fn bad_dates_and_times() {
    #[rustfmt::skip]
    assert_edits(&[
        ("2017-09-20", "\"20 Sept 2017\"", 6, 8, "`date` must be a date like 2017-09-20"),
        ("2017-09-20", "\"2017-02-30\"", 6, 8, "there is no such date as \"2017-02-30\""),
        ("2017-09-20", "2017-09-20T15:30:00", 6, 8, "without a time of day"),
        ("\"15:30\"", "\"3:30 pm\"", 7, 9, "`start` must be a time of day like \"15:30\" (24-hour clock)"),
        ("\"18:00\"", "\"24:00\"", 8, 7, "`end` must be a time of day"),
        ("\"18:00\"", "2017-09-20T18:00:00", 8, 7, "without a date"),
        // A TOML syntax error is the one case that stops early.
        ("2017-09-20", "2017-13-01", 6, 8, "invalid TOML"),
    ]);
}

#[test]
fn end_must_follow_start() {
    #[rustfmt::skip]
    assert_edits(&[
        ("\"18:00\"", "\"15:00\"", 8, 7, "`end` 15:00 must be after `start` 15:30"),
        ("\"18:00\"", "\"15:30\"", 8, 7, "must be after"),
    ]);
}

#[test]
fn unknown_time_zone() {
    #[rustfmt::skip]
    assert_edits(&[
        ("\"America/New_York\"", "\"America/NewYork\"", 9, 12, "unknown time zone \"America/NewYork\": write an IANA name"),
        ("\"America/New_York\"", "\"New York\"", 9, 12, "unknown time zone"),
    ]);
}

#[test]
fn time_zone_name_is_canonical() {
    let m = parse(
        &edit("America/New_York", "america/new_york"),
        "m.toml",
        Path::new(""),
    )
    .expect("valid")
    .meeting;
    assert_eq!(m.timezone, "America/New_York");
}

#[test]
fn duplicate_roster_ids() {
    assert_all(
        &edit("id = \"b\"", "id = \"a\""),
        &[
            (18, 6, "duplicate roster id \"a\" (first at line 12)"),
            (27, 11, "\"b\" in `chairs` is not a roster id"),
            (28, 18, "\"b\" in `speakers` is not a roster id"),
        ],
    );
}

#[test]
fn duplicate_segment_ids() {
    let text =
        format!("{BASE}\n[[segment]]\nid = \"s1\"\ntitle = \"again\"\nspeaking_limit = \"1m\"\n");
    assert_one(
        &text,
        35,
        6,
        "duplicate segment id \"s1\" (first at line 24)",
    );
}

#[test]
fn segment_next_is_reserved() {
    assert_edits(&[(
        "id = \"s1\"",
        "id = \"next\"",
        24,
        6,
        "cannot be called \"next\"",
    )]);
}

#[test]
fn chairs_and_speakers_must_be_on_the_roster() {
    #[rustfmt::skip]
    assert_edits(&[
        ("chairs = [\"b\"]", "chairs = [\"c\"]", 27, 11, "\"c\" in `chairs` is not a roster id"),
        ("speakers = [\"a\", \"b\"]", "speakers = [\"a\", \"Beta\"]", 28, 18, "\"Beta\" in `speakers` is not a roster id (did you mean \"b\"?)"),
        ("speakers = [\"a\", \"b\"]", "speakers = [\"a\", \"a\"]", 28, 18, "\"a\" is already in `speakers` (1st)"),
        ("chairs = [\"b\"]", "chairs = \"b\"", 27, 10, "`chairs` must be a list of strings, not a string"),
    ]);
}

#[test]
fn blocked_seats_must_be_on_the_map() {
    let text = format!("{BASE}blocked = [\"A1\", \"C1\", \"A6\", \"Z\", \"a1\", \"A0\", 7]\n");
    assert_all(
        &text,
        &[
            (
                33,
                18,
                "seat C1 is outside the map (rows A to B, seats 1 to 5)",
            ),
            (33, 24, "seat A6 is outside the map"),
            (
                33,
                30,
                "\"Z\" is not a seat: write a row letter and a seat number, like \"B7\"",
            ),
            (33, 35, "seat A1 is already blocked"),
            (33, 41, "\"A0\" is not a seat"),
            (
                33,
                47,
                "`blocked` must hold only strings, not a whole number",
            ),
        ],
    );
}

#[test]
fn rows_are_bounded() {
    #[rustfmt::skip]
    assert_edits(&[
        ("rows = 2", "rows = 27", 31, 8, "`rows` is 27, but rows are lettered A to Z: at most 26"),
        ("rows = 2", "rows = 0", 31, 8, "`rows` must be at least 1"),
        ("rows = 2", "rows = \"2\"", 31, 8, "`rows` must be a whole number, not a string"),
        ("seats_per_row = 5", "seats_per_row = 0", 32, 17, "`seats_per_row` must be between 1 and 999, not 0"),
        ("seats_per_row = 5", "seats_per_row = 5\nper_delegation = 0", 33, 18, "`per_delegation` must be at least 1, not 0"),
    ]);
}

#[test]
fn missing_fields_point_at_their_table() {
    #[rustfmt::skip]
    assert_edits(&[
        ("title = \"S\"", "", 23, 1, "missing `title` in [[segment]]"),
        ("rows = 2", "", 30, 1, "missing `rows` in [seating]"),
    ]);
    assert_all(
        &edit("level = \"minister\"\nrole = \"co_chair\"", ""),
        &[
            (17, 1, "missing `level` in [[roster]]"),
            (17, 1, "missing `role` in [[roster]]"),
        ],
    );
}

#[test]
fn missing_tables_point_at_the_start() {
    assert_all(
        "",
        &[
            (1, 1, "missing the [meeting] table"),
            (1, 1, "at least one [[segment]] is required"),
            (1, 1, "missing the [seating] table"),
        ],
    );
    let no_segments = BASE.replace("[[segment]]", "[[xsegment]]");
    assert!(
        errors(&no_segments)
            .iter()
            .any(|e| e == "m.toml:1:1: at least one [[segment]] is required")
    );
    let segment = "[[segment]]\nid = \"s1\"\ntitle = \"S\"\nspeaking_limit = \"3m\"\nchairs = [\"b\"]\nspeakers = [\"a\", \"b\"]\n";
    assert_one(
        &format!("segment = []\n{}", edit(segment, "")),
        1,
        11,
        "at least one [[segment]] is required",
    );
}

#[test]
fn unknown_level_and_role() {
    #[rustfmt::skip]
    assert_edits(&[
        ("level = \"minister\"\nrole = \"participant\"", "level = \"king\"\nrole = \"participant\"", 14, 9, "unknown level \"king\"; allowed: head_of_state, vice_president, minister, vice_minister, head_of_delegation, observer"),
        ("role = \"co_chair\"", "role = \"chair\"", 21, 8, "unknown role \"chair\"; allowed: co_chair, participant, observer"),
        ("speaking_limit = \"3m\"", "speaking_limit = \"3m\"\nordering = \"alpha\"", 27, 12, "unknown ordering \"alpha\""),
    ]);
}

#[test]
fn ids_must_be_plain() {
    #[rustfmt::skip]
    assert_edits(&[
        ("id = \"m1\"", "id = \"Mali 2017\"", 2, 6, "`id` \"Mali 2017\" must be lowercase letters, digits and inner hyphens"),
        ("id = \"m1\"", "id = \"../etc\"", 2, 6, "must be lowercase letters"),
    ]);
}

#[test]
fn one_person_twice_is_refused() {
    assert_all(
        &edit("delegation = \"Beta\"", "delegation = \"ALPHA\""),
        &[(
            17,
            1,
            "\"ALPHA\" is already on the roster with no representative (line 11)",
        )],
    );
}

#[test]
fn every_error_is_reported_in_file_order() {
    let text = edit("\"3m\"", "\"3 min\"")
        .replace("rows = 2", "rows = 40")
        .replace("\"America/New_York\"", "\"Mars/Olympus\"")
        .replace(
            "level = \"minister\"\nrole = \"participant\"",
            "level = \"king\"\nrole = \"participant\"",
        )
        .replace("chairs = [\"b\"]", "chairs = [\"z\"]");
    let lines: Vec<usize> = errors(&text)
        .iter()
        .map(|e| e.split(':').nth(1).unwrap().parse().unwrap())
        .collect();
    assert_eq!(lines, [9, 14, 26, 27, 31]);
}

#[test]
fn untrusted_text_is_cleaned() {
    let text = edit("\"Alpha\"", r#""Al\u001b[31mpha\u202E""#);
    let m = parse(&text, "m.toml", Path::new(""))
        .expect("valid")
        .meeting;
    assert_eq!(m.roster[0].delegation.as_str(), "Alpha");
    let found = errors(&edit(
        "\"minister\"\nrole = \"participant\"",
        "\"k\\u001b]0;x\\u0007\"\nrole = \"participant\"",
    ));
    // Shown written out, so the officer sees what to remove.
    assert!(
        found[0].contains(r#"unknown level "k\u{1b}]0;x\u{7}""#),
        "{found:?}"
    );
    assert_eq!(found.len(), 1);
    assert!(
        !found[0].contains('\u{1b}') && !found[0].contains('\u{7}'),
        "{found:?}"
    );
}

#[test]
fn syntax_errors_stop_at_the_first() {
    #[rustfmt::skip]
    assert_edits(&[
        ("title = \"T\"", "title = \"T", 3, 11, "invalid TOML"),
        ("venue = \"V\"", "venue = \"V\"\nvenue = \"W\"", 5, 1, "invalid TOML: duplicate key"),
    ]);
}

#[test]
fn load_reports_unreadable_files() {
    let missing = load(Path::new("/nonexistent/gavel/meeting.toml")).unwrap_err();
    assert_eq!(
        missing.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
        [
            "/nonexistent/gavel/meeting.toml:1:1: cannot read the meeting file: there is no such file"
        ]
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.toml");
    std::fs::write(&path, b"[meeting]\ntitle = \"Ke\xefta\"\n").unwrap();
    let bad = load(&path).unwrap_err();
    assert_eq!(bad.len(), 1);
    assert_eq!(
        (bad[0].line, bad[0].col),
        (2, 12),
        "the first byte that is not UTF-8"
    );
    assert!(bad[0].message.contains("not UTF-8"));
}

#[test]
fn load_resolves_log_dir_against_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.toml");
    std::fs::write(
        &path,
        BASE.replace("timezone", "log_dir = \"logs\"\ntimezone"),
    )
    .unwrap();
    let loaded = load(&path).expect("valid");
    assert_eq!(loaded.log_dir, Some(dir.path().join("logs")));
}

#[test]
fn diagnostic_display() {
    let d = Diagnostic {
        file: "a.toml".into(),
        line: 3,
        col: 7,
        message: "oops".into(),
    };
    assert_eq!(d.to_string(), "a.toml:3:7: oops");
}

#[test]
fn columns_count_characters() {
    let text = edit("title = \"T\"", "title = \"Keïta\"")
        .replace("venue = \"V\"", "venue = \"Réunion\"; x = 1");
    // `;` is the 18th character but the 19th byte.
    assert_one(&text, 4, 18, "invalid TOML");
    let text = edit("title = \"T\"", "title = \"Keïta\"")
        .replace("room = \"R\"", "room = \"Salle Ö\"\nlevel = 1");
    assert_one(&text, 6, 1, "unknown field `level`");
    let text = edit("chairs = [\"b\"]", "chairs = [\"ï\", \"b\", \"c\"]");
    assert_all(&text, &[(27, 11, "\"ï\""), (27, 21, "\"c\"")]);
}

#[test]
fn template_parses() {
    let loaded =
        parse(template(), "template.toml", Path::new("")).unwrap_or_else(|e| panic!("{e:#?}"));
    assert!(loaded.meeting.segments.len() >= 2);
    assert!(
        template().lines().filter(|l| l.starts_with('#')).count() > 20,
        "the template explains itself"
    );
}

#[test]
fn seed_parses_and_follows_the_note() {
    let seed = include_str!("../../config/mali-ministerial-2017.toml");
    let loaded = parse(
        seed,
        "config/mali-ministerial-2017.toml",
        Path::new("config"),
    )
    .unwrap_or_else(|e| panic!("{e:#?}"));
    assert_eq!(loaded.log_dir.as_deref(), Some(Path::new("config/../logs")));
    let m = loaded.meeting;
    assert_eq!(m.id.as_str(), "mali-ministerial-2017");
    assert_eq!(
        m.title.as_str(),
        "Ministerial Meeting on the Implementation of the Agreement for Peace and Reconciliation in Mali"
    );
    assert_eq!(m.room.as_str(), "Conference Room 4");
    assert_eq!(
        (m.start, m.end),
        (
            jiff::civil::time(15, 30, 0, 0),
            jiff::civil::time(18, 0, 0, 0)
        )
    );
    assert_eq!(m.timezone, "America/New_York");

    let representatives = |ids: &[Clean]| -> Vec<String> {
        ids.iter()
            .map(|id| {
                m.participant(id.as_str())
                    .unwrap()
                    .representative
                    .to_string()
            })
            .collect()
    };
    let opening = &m.segments[m.segment_index("opening").unwrap()];
    assert_eq!(opening.speaking_limit, 180);
    assert_eq!(
        representatives(&opening.speakers),
        [
            "H.E. Mr. Ibrahim Boubacar Keïta",
            "H.E. Mr. António Guterres",
            "H.E. Mr. Abdelkader Messahel",
            "H.E. Mr. Jean-Yves Le Drian",
            "H.E. Mr. Moussa Faki",
            "Ms. Federica Mogherini",
            "H.E. Mr. Alain de Souza",
        ]
    );
    let session = &m.segments[m.segment_index("co-chaired").unwrap()];
    assert_eq!(
        representatives(&session.chairs),
        [
            "H.E. Mr. Abdoulaye Diop",
            "H.E. Mr. Abdelkader Messahel",
            "Mr. Jean-Pierre Lacroix"
        ]
    );
    assert!(session.speakers.is_empty());
    assert_eq!(session.speaking_limit, 180);

    let delegations: Vec<&str> = m.roster.iter().map(|p| p.delegation.as_str()).collect();
    for member in [
        "China",
        "France",
        "Russian Federation",
        "United Kingdom of Great Britain and Northern Ireland",
        "United States of America",
        "Bolivia (Plurinational State of)",
        "Egypt",
        "Ethiopia",
        "Italy",
        "Japan",
        "Kazakhstan",
        "Senegal",
        "Sweden",
        "Ukraine",
        "Uruguay",
    ] {
        assert_eq!(
            delegations.iter().filter(|d| **d == member).count(),
            1,
            "{member}"
        );
    }
    // Only delegations with distinct representatives appear more than once.
    for p in &m.roster {
        let same = m
            .roster
            .iter()
            .filter(|q| q.delegation == p.delegation)
            .count();
        assert!(
            same == 1 || !p.representative.is_empty(),
            "{} appears twice",
            p.delegation
        );
    }
    assert_eq!(
        m.participant("mali-president").unwrap().level,
        Level::HeadOfState
    );
    assert!(m.seating.capacity() >= 20);

    // Struck-through text of the note is deleted text.
    assert!(!seed.contains("AU representative"));
    assert!(!seed.contains("notably"));
}

#[test]
fn a_limit_no_longer_than_the_default_warning_is_refused() {
    assert_edits(&[(
        "\"3m\"",
        "\"30s\"",
        26,
        18,
        "`speaking_limit` 30s is not longer than the warning before the limit (30s unless `warn_before` says otherwise): the warning would show from the first second of every speech",
    )]);
    assert_eq!(errors(&edit("\"3m\"", "\"31s\"")), Vec::<String>::new());
}

#[test]
fn a_clock_change_on_another_day_or_in_another_zone_is_no_matter() {
    // 02:30 is skipped in New York on 2017-03-12, not in Zurich, nor on the 13th.
    let night = edit("start = \"15:30\"", "start = \"02:30\"");
    let night = night.replacen("2017-09-20", "2017-03-12", 1);
    assert_eq!(errors(&night).len(), 1, "{:?}", errors(&night));
    let zurich = night.replacen("America/New_York", "Europe/Zurich", 1);
    assert_eq!(errors(&zurich), Vec::<String>::new());
    let next_day = night.replacen("2017-03-12", "2017-03-13", 1);
    assert_eq!(errors(&next_day), Vec::<String>::new());
}

#[test]
fn a_blank_representative_is_no_representative() {
    let blank = edit(
        "delegation = \"Alpha\"",
        "delegation = \"Alpha\"\nrepresentative = \"  \"",
    );
    assert_eq!(errors(&blank), Vec::<String>::new());
}

#[test]
fn a_name_in_a_diagnostic_shows_what_cleaning_would_remove() {
    let found = errors(&edit("id = \"a\"", "id = \"thai\\u001band\""));
    assert!(found[0].contains(r#"`id` "thai\u{1b}and""#), "{found:?}");
    let zalgo = format!("z{}", "\u{301}".repeat(2 * MAX_MARKS_PER_CHAR));
    let found = errors(&edit(
        "\"minister\"\nrole = \"participant\"",
        &format!("\"{zalgo}\"\nrole = \"participant\""),
    ));
    let kept = "\u{301}".repeat(MAX_MARKS_PER_CHAR);
    let written_out = r"\u{301}".repeat(MAX_MARKS_PER_CHAR);
    assert!(
        found[0].contains(&format!("\"z{kept}{written_out}\"")),
        "{found:?}"
    );
    let found = errors(&edit(
        "\"minister\"\nrole = \"participant\"",
        "\"\u{301}x\"\nrole = \"participant\"",
    ));
    assert!(found[0].contains("\"\\u{301}x\""), "{found:?}");
}
