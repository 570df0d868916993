//! The chair's brief: what it lists, in which order and at what times, and
//! that names stay text in both of its formats.

use std::sync::Arc;

use jiff::civil::time;
use jiff::{SignedDuration, Timestamp};

use super::*;
use crate::domain::clock::{Runway, Standing, project, turns};
use crate::domain::command::Inscription;
use crate::domain::{Command, Meeting, SpeechKind, execute};
use crate::text::Clean;

/// The seed meeting opens at 15:30 in New York, 19:30 UTC.
fn t0() -> Timestamp {
    "2017-09-20T19:30:00Z".parse().unwrap()
}

fn at(secs: i64) -> Timestamp {
    t0() + SignedDuration::from_secs(secs)
}

fn seed_meeting() -> Meeting {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config/mali-ministerial-2017.toml");
    crate::config::load(&path)
        .expect("the seed meeting")
        .meeting
}

fn run(state: &mut State, secs: i64, command: Command) {
    execute(state, command, at(secs), &Clean::new("ben")).expect("carried out");
}

fn add(who: &str) -> Inscription {
    Inscription {
        who: Clean::new(who),
        ..Inscription::default()
    }
}

/// Every table of a Markdown text, as a renderer reads it: rows of cells'
/// text. Fails on any HTML, link or emphasis: user text must stay text.
fn tables(md: &str) -> Vec<Vec<Vec<String>>> {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut tables: Vec<Vec<Vec<String>>> = Vec::new();
    for event in Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::Table(_)) => tables.push(Vec::new()),
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                tables.last_mut().unwrap().push(Vec::new());
            }
            Event::Start(Tag::TableCell) => {
                let table = tables.last_mut().unwrap();
                table.last_mut().unwrap().push(String::new());
            }
            Event::Text(text) => {
                if let Some(cell) = tables
                    .last_mut()
                    .and_then(|t| t.last_mut())
                    .and_then(|r| r.last_mut())
                {
                    cell.push_str(&text);
                }
            }
            Event::End(TagEnd::Table) => {}
            Event::Html(_)
            | Event::InlineHtml(_)
            | Event::Start(
                Tag::Link { .. } | Tag::Image { .. } | Tag::Emphasis | Tag::Strikethrough,
            ) => panic!("{event:?} in\n{md}"),
            _ => {}
        }
    }
    tables
}

fn row_of<'a>(table: &'a [Vec<String>], speaker: &str) -> &'a [String] {
    table
        .iter()
        .find(|r| r[1] == speaker)
        .unwrap_or_else(|| panic!("no row for {speaker:?} in {table:#?}"))
}

/// A floor holder part-way through, interrupted by a point of order, the
/// meeting suspended, and a lunch break the list runs into: each speaker's
/// time is where the one before ends, and the last ends at the projected end.
#[test]
fn the_times_run_on_from_the_floor_through_the_break_to_the_projected_end() {
    let meeting = Meeting {
        breaks: vec![(time(16, 0, 0, 0), time(16, 30, 0, 0))],
        ..seed_meeting()
    };
    let mut state = State::new(Arc::new(meeting));
    run(&mut state, 0, Command::Open { at: None });
    run(&mut state, 0, Command::Next { at: None });
    let reply = Inscription {
        kind: SpeechKind::Reply,
        ..add("France")
    };
    run(&mut state, 30, Command::Add(reply));
    let order = Inscription {
        kind: SpeechKind::Order,
        ..add("Algeria")
    };
    run(&mut state, 60, Command::Add(order));
    let suspend = Command::Suspend {
        reason: Clean::new("consultations"),
        at: None,
    };
    run(&mut state, 90, suspend);
    let now = at(600);
    let turns = turns(&state, now);
    let local = |t: &Turn| local(&state, t.at, "%H:%M:%S");
    let times: Vec<(String, String, i64)> = turns
        .iter()
        .map(|t| (t.speech().heading(), local(t), t.secs))
        .collect();
    let expected = [
        // The point of order took the floor at 15:31 and has 1m30s of 2m left.
        ("Algeria", "15:31:00", 90),
        // As if the meeting reconvened now, at 15:40: Mali has 2m left.
        ("Mali", "15:41:30", 120),
        ("United Nations", "15:43:30", 180),
        ("Algeria", "15:46:30", 180),
        ("France", "15:49:30", 180),
        ("African Union Commission", "15:52:30", 180),
        ("European Union", "15:55:30", 180),
        // 1m30s before lunch, 1m30s after it.
        ("ECOWAS Commission", "15:58:30", 180),
        ("France", "16:31:30", 300),
    ];
    let expected: Vec<(String, String, i64)> = expected
        .iter()
        .map(|(who, at, secs)| (who.to_string(), at.to_string(), *secs))
        .collect();
    assert_eq!(times, expected);
    assert!(matches!(turns[0].standing, Standing::Floor(_)));
    assert!(matches!(turns[1].standing, Standing::SetAside(_)));
    let p = project(&state, now);
    let last = turns.last().unwrap();
    assert_eq!(
        last.at + SignedDuration::from_secs(last.secs),
        p.projected_end
    );
    assert_eq!(p.floor_left, 90 + 120);
    assert_eq!(p.listed, turns.len() - 2);

    let md = markdown(&state, now);
    assert!(
        md.contains(
            "As of 15:40. Projected end 16:36, scheduled end 18:00: 1h23m early.\n\n\
             > **Suspended** since 15:31 (consultations): the times count as if it reconvened now.\n\n\
             The times leave out the scheduled break 16:00–16:30.\n"
        ),
        "{md}"
    );
    let table = &tables(&md)[0];
    assert_eq!(
        table[0],
        [
            "#",
            "Speaker",
            "Representative",
            "Category",
            "Language",
            "Limit",
            "Takes the floor"
        ]
    );
    assert_eq!(table[1][0], "now");
    assert_eq!(table[1][1], "Algeria (point of order)");
    assert_eq!(table[1][5], "2m, 1m30s left");
    assert_eq!(table[1][6], "since 15:31");
    assert_eq!(table[2][0], "resumes");
    assert_eq!(table[2][1], "Mali");
    assert_eq!(table[2][4], "French");
    assert_eq!(table[2][6], "15:41");
    assert_eq!(table[3][0], "1");
    assert_eq!(table[9][0], "7");
    assert_eq!(table[9][1], "France (right of reply)");
    assert_eq!(table[9][5], "5m");
    assert_eq!(table[9][6], "16:31");

    let csv = csv(&state, now);
    let mut reader = ::csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, COLUMNS);
    let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let cell = |row: usize, column: &str| {
        let i = COLUMNS.iter().position(|c| *c == column).unwrap();
        rows[row][i].to_string()
    };
    assert_eq!(cell(0, "status"), "speaking");
    assert_eq!(cell(0, "kind"), "order");
    assert_eq!(cell(0, "position"), "");
    assert_eq!(cell(0, "seconds_left"), "90");
    assert_eq!(cell(1, "status"), "set aside");
    assert_eq!(cell(1, "language"), "fr");
    assert_eq!(cell(1, "takes_floor"), "2017-09-20T19:41:30Z");
    assert_eq!(cell(8, "takes_floor"), last.at.to_string());
    assert_eq!(cell(8, "takes_floor_local"), "16:31");
    assert_eq!(cell(8, "kind"), "reply");
    assert_eq!(cell(8, "position"), "7");
    assert_eq!(cell(8, "limit"), "300");
}

/// One due as a break begins takes the floor when it ends; the list's end
/// at that moment is the break's start.
#[test]
fn a_speaker_due_as_a_break_begins_speaks_after_it() {
    let runway = Runway {
        from: at(20 * 60),
        breaks: vec![(at(30 * 60), at(60 * 60))],
    };
    assert_eq!(runway.end_after(600), at(30 * 60));
    assert_eq!(runway.start_after(600), at(60 * 60));
    assert_eq!(runway.start_after(599), at(30 * 60 - 1));
    assert_eq!(runway.start_after(601), at(60 * 60 + 1));
}

/// `|` would end a cell, `*` emphasise, `<b>` be HTML; `=`, `+`, `-` and
/// `@` would start a formula in a spreadsheet. Each stays as typed.
#[test]
fn hostile_names_stay_in_their_cells_and_out_of_formulas() {
    let mut meeting = seed_meeting();
    let france = meeting
        .roster
        .iter_mut()
        .find(|p| p.id.as_str() == "france")
        .unwrap();
    france.delegation = Clean::new("=cmd | *France*");
    france.representative = Clean::new("Mr. <b>X</b> | Y");
    france.title = Clean::new("-1+2 _t_");
    meeting.segments[1].speakers = vec![Clean::new("mali-foreign-minister")];
    let mut state = State::new(Arc::new(meeting));
    run(&mut state, 0, Command::Open { at: None });
    let group = Inscription {
        on_behalf_of: Clean::new("=the | Arab *Group*"),
        ..add("Egypt")
    };
    run(&mut state, 10, Command::Add(group));
    let joint = Inscription {
        joint: vec![Clean::new("Denmark"), Clean::new("Norway")],
        ..add("Sweden")
    };
    run(&mut state, 20, Command::Add(joint));
    run(
        &mut state,
        30,
        Command::Pass {
            who: Clean::new("france"),
        },
    );
    let now = at(60);

    let md = markdown(&state, now);
    let tables = tables(&md);
    assert_eq!(tables.len(), 2, "{md}");
    assert!(tables.iter().flatten().all(|row| row.len() == 7), "{md}");
    let france = row_of(&tables[0], "=cmd | *France* (passed once)");
    assert_eq!(france[2], "Mr. <b>X</b> | Y, -1+2 _t_");
    row_of(&tables[0], "Egypt, on behalf of =the | Arab *Group*");
    row_of(&tables[0], "Sweden, with Denmark and Norway");
    assert!(
        md.contains("## Inscribed for a later segment: Co-chaired session\n"),
        "{md}"
    );
    assert_eq!(tables[1][1][0], "1");
    assert_eq!(tables[1][1][1], "Mali");

    let csv = csv(&state, now);
    let mut reader = ::csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let column = |name: &str| COLUMNS.iter().position(|c| *c == name).unwrap();
    let find = |delegation: &str| {
        rows.iter()
            .find(|r| r[column("delegation")] == delegation)
            .unwrap_or_else(|| panic!("no {delegation:?} in {rows:#?}"))
    };
    let france = find("'=cmd | *France*");
    assert_eq!(france[column("status")], "passed");
    assert_eq!(france[column("representative")], "Mr. <b>X</b> | Y");
    assert_eq!(france[column("title")], "'-1+2 _t_");
    let egypt = find("Egypt");
    assert_eq!(egypt[column("on_behalf_of")], "'=the | Arab *Group*");
    assert_eq!(find("Sweden")[column("joint")], "Denmark; Norway");
    let later = rows.last().unwrap();
    assert_eq!(later[column("segment")], "co-chaired");
    assert_eq!(later[column("position")], "1");
}

/// Before the opening the list starts at the scheduled start; once
/// adjourned, no one is still to be heard.
#[test]
fn the_brief_says_when_the_list_starts_and_when_it_is_over() {
    let mut state = State::new(Arc::new(seed_meeting()));
    let early = at(-600);
    let md = markdown(&state, early);
    assert!(md.contains("As of 15:20. Projected end 15:51"), "{md}");
    assert!(
        md.contains("Not opened yet: the times count from 15:30.\n"),
        "{md}"
    );
    assert_eq!(tables(&md)[0][1][6], "15:30");
    run(&mut state, 0, Command::Open { at: None });
    run(&mut state, 0, Command::Next { at: None });
    run(&mut state, 20, Command::Pause { at: None });
    let md = markdown(&state, at(50));
    assert_eq!(tables(&md)[0][1][5], "3m, 2m40s left, paused", "{md}");
    run(&mut state, 60, Command::Adjourn { at: None });
    let md = markdown(&state, at(120));
    assert!(
        md.contains("As of 15:32. Adjourned at 15:31: no one is still to be heard.\n"),
        "{md}"
    );
    assert!(tables(&md).is_empty(), "{md}");
    assert_eq!(csv(&state, at(120)).lines().count(), 1);
}
