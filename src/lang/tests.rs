use jiff::civil::Time;
use proptest::prelude::*;

use super::*;
use crate::domain::{At, Place, SeatId, SeatOrDelegation, SegmentTarget, SpeechKind};
use crate::text::Clean;

fn ok(input: &str) -> Command {
    parse(input).unwrap_or_else(|e| panic!("{input:?} refused: {e}"))
}

/// Asserts the message holds every fragment, and returns it for more checks.
fn refused(input: &str, fragments: &[&str]) -> String {
    let message = match parse(input) {
        Ok(c) => panic!("{input:?} parsed as {c:?}"),
        Err(e) => e.to_string(),
    };
    for fragment in fragments {
        assert!(
            message.contains(fragment),
            "{input:?}: {message:?} lacks {fragment:?}"
        );
    }
    message
}

fn c(text: &str) -> Clean {
    Clean::new(text)
}

fn seat(text: &str) -> SeatId {
    SeatId::parse(text).unwrap()
}

fn time(h: i8, m: i8, s: i8) -> At {
    At::TimeOfDay(Time::new(h, m, s, 0).unwrap())
}

#[test]
fn timing_commands_with_and_without_at() {
    assert_eq!(ok("open"), Command::Open { at: None });
    assert_eq!(
        ok("adjourn at 18:02"),
        Command::Adjourn {
            at: Some(time(18, 2, 0))
        }
    );
    assert_eq!(ok("next"), Command::Next { at: None });
    assert_eq!(
        ok("next at -20s"),
        Command::Next {
            at: Some(At::Ago(20))
        }
    );
    assert_eq!(
        ok("pause at -1m30s"),
        Command::Pause {
            at: Some(At::Ago(90))
        }
    );
    assert_eq!(
        ok("resume at 15:42:10"),
        Command::Resume {
            at: Some(time(15, 42, 10))
        }
    );
    assert_eq!(
        ok("end at 9:05"),
        Command::End {
            at: Some(time(9, 5, 0))
        }
    );
    assert_eq!(
        ok("open at -1h"),
        Command::Open {
            at: Some(At::Ago(3600))
        }
    );
}

#[test]
fn segments() {
    assert_eq!(ok("segment next"), Command::Segment(SegmentTarget::Next));
    assert_eq!(
        ok("segment high-level"),
        Command::Segment(SegmentTarget::Id(c("high-level")))
    );
    assert_eq!(
        ok("segment \"next\""),
        Command::Segment(SegmentTarget::Id(c("next")))
    );
    refused(
        "segment",
        &[
            "segment needs next or a segment id",
            "segment next | segment <id>",
        ],
    );
    refused(
        "segment opening remarks",
        &["unexpected \"remarks\"", "one word"],
    );
}

#[test]
fn add_with_kinds_and_limits_in_either_order() {
    let add = |who: &str, kind, limit| Command::add(c(who), kind, limit);
    assert_eq!(ok("add France"), add("France", SpeechKind::Statement, None));
    assert_eq!(
        ok("add Mali statement"),
        add("Mali", SpeechKind::Statement, None)
    );
    assert_eq!(
        ok("add Russian Federation reply limit 5m"),
        add("Russian Federation", SpeechKind::Reply, Some(300))
    );
    assert_eq!(
        ok("add Russian Federation limit 5m reply"),
        add("Russian Federation", SpeechKind::Reply, Some(300))
    );
    assert_eq!(
        ok("add Holy See order"),
        add("Holy See", SpeechKind::Order, None)
    );
    assert_eq!(
        ok("add fr limit 2m30s"),
        add("fr", SpeechKind::Statement, Some(150))
    );
    assert_eq!(
        ok("ADD Niger REPLY LIMIT 90S"),
        add("Niger", SpeechKind::Reply, Some(90))
    );
}

/// `for`, `with`, `in` and `limit` after the name, in any order, with the
/// kind before, between or after them.
#[test]
fn add_for_a_group_jointly_and_in_a_language() {
    use crate::domain::Language;
    use crate::domain::command::Inscription;
    let ins = |who: &str| Inscription {
        who: c(who),
        ..Inscription::default()
    };
    let fr = || Some(Language::parse("fr").unwrap());
    let cases = [
        (
            "add Egypt for \"the Arab Group\"",
            Inscription {
                on_behalf_of: c("the Arab Group"),
                ..ins("Egypt")
            },
        ),
        (
            "add Egypt for the Group of 77 and China limit 7m",
            Inscription {
                on_behalf_of: c("the Group of 77 and China"),
                limit: Some(420),
                ..ins("Egypt")
            },
        ),
        (
            "add Sweden with Denmark, Finland, Iceland, Norway",
            Inscription {
                joint: vec![c("Denmark"), c("Finland"), c("Iceland"), c("Norway")],
                ..ins("Sweden")
            },
        ),
        (
            "add Sweden with Trinidad and Tobago,Norway in French",
            Inscription {
                joint: vec![c("Trinidad and Tobago"), c("Norway")],
                language: fr(),
                ..ins("Sweden")
            },
        ),
        (
            "add Mali in FR reply",
            Inscription {
                kind: SpeechKind::Reply,
                language: fr(),
                ..ins("Mali")
            },
        ),
        (
            "add Mali reply in fr limit 2m",
            Inscription {
                kind: SpeechKind::Reply,
                language: fr(),
                limit: Some(120),
                ..ins("Mali")
            },
        ),
        (
            "add \"Organization for Security and Co-operation in Europe\" in en",
            Inscription {
                language: Some(Language::parse("en").unwrap()),
                ..ins("Organization for Security and Co-operation in Europe")
            },
        ),
    ];
    for (line, expected) in cases {
        assert_eq!(ok(line), Command::Add(expected), "{line}");
    }
}

#[test]
fn add_clauses_said_wrong() {
    refused("add Mali in", &["needs a language after in"]);
    refused("add in fr", &["add needs a name"]);
    refused("add Egypt for", &["needs a group after for"]);
    refused("add Egypt for \"\"", &["needs a group after for"]);
    refused(
        "add Sweden with",
        &["needs the other delegations after with"],
    );
    refused(
        "add Sweden with Denmark,, Norway",
        &["a name is missing between the commas of \"Denmark,, Norway\""],
    );
    refused(
        "add Organization for Security and Co-operation in Europe",
        &[
            "\"Europe\" is not a language",
            "a name with \"in\" in it goes in quotes",
        ],
    );
    refused("add Mali in fr in ar", &["in is given twice"]);
    refused("add Mali reply in fr order", &["reply is given twice"]);
    refused("add Mali limit 2m limit 3m", &["limit is given twice"]);
}

#[test]
fn names_that_end_in_a_keyword_are_quoted() {
    let order = |who: &str, kind| Command::add(c(who), kind, None);
    assert_eq!(
        ok("add Sovereign Military Order"),
        order("Sovereign Military", SpeechKind::Order)
    );
    assert_eq!(
        ok("add \"Sovereign Military Order\""),
        order("Sovereign Military Order", SpeechKind::Statement)
    );
    assert_eq!(
        ok("add \"Sovereign Military Order\" order"),
        order("Sovereign Military Order", SpeechKind::Order)
    );
    assert_eq!(
        ok("floor \"Meet at Noon\""),
        Command::Floor {
            who: c("Meet at Noon"),
            at: None
        }
    );
    assert_eq!(
        ok("seat \"B7\" C8"),
        Command::Seat {
            delegation: c("B7"),
            seat: Some(seat("C8"))
        }
    );
    assert_eq!(
        ok("release \"A1\""),
        Command::Release(SeatOrDelegation::Delegation(c("A1")))
    );
    assert_eq!(
        ok("move \"Up\" top"),
        Command::Move {
            who: c("Up"),
            to: Place::Top
        }
    );
}

#[test]
fn add_refusals() {
    let usage = "add needs a name: add <delegation or roster id> [reply|order] [for <group>] \
                 [with <delegation>, …] [in <lang>] [limit <dur>]";
    refused("add", &[usage]);
    refused("add reply", &[usage]);
    refused("add limit 3m", &[usage]);
    refused("add \"\"", &[usage]);
    refused("add France limit", &["needs a duration after limit"]);
    refused(
        "add France limit 3 minutes",
        &["\"3 minutes\" is not a duration: write it like 3m, 90s or 2m30s"],
    );
    refused(
        "add France limit 3minutes",
        &["\"3minutes\" is not a duration"],
    );
    refused(
        "add France limit 180",
        &["\"180\" is not a duration: add a unit, like 180s"],
    );
    refused("add France limit 0s", &["limit must be longer than 0s"]);
    refused(
        "add France limit 2h",
        &["limit \"2h\" is too long: at most 1h"],
    );
    refused("add France limit 61m", &["too long"]);
    assert_eq!(
        ok("add France limit 1h"),
        Command::add(c("France"), SpeechKind::Statement, Some(3600))
    );
}

#[test]
fn durations_are_compact() {
    for bad in [
        "3 m", "m", "3", "3mm", "30s2m", "1.5m", "3min", "-3m", "", "3x", "1h1h",
    ] {
        assert!(when::duration(bad).is_err(), "{bad:?}");
    }
    assert_eq!(when::duration("1h2m3s").unwrap(), 3723);
    assert_eq!(when::duration("90s").unwrap(), 90);
    assert_eq!(
        when::duration("99999999999999999999999h").unwrap(),
        u64::MAX
    );
}

#[test]
fn floor_with_accents_and_at() {
    let floor = |who: &str, at| Command::Floor { who: c(who), at };
    assert_eq!(
        ok("floor Côte d'Ivoire at -20s"),
        floor("Côte d'Ivoire", Some(At::Ago(20)))
    );
    assert_eq!(ok("floor Burkina Faso"), floor("Burkina Faso", None));
    assert_eq!(
        ok("Floor \"São Tomé and Príncipe\" AT 15:42"),
        floor("São Tomé and Príncipe", Some(time(15, 42, 0)))
    );
    refused(
        "floor",
        &["floor needs a name: floor <delegation or roster id> [at T]"],
    );
    refused("floor at -5s", &["floor needs a name"]);
}

#[test]
fn at_refusals() {
    let past = "at takes a time in the past: at -20s or at 15:42:10";
    refused("next at +5s", &[past, "\"+5s\""]);
    refused("next at 5s", &[past]);
    refused(
        "end at",
        &["at needs a time in the past: at -20s or at 15:42:10"],
    );
    refused("next at -5 s", &["\"-5 s\" is not a time"]);
    refused("next at -soon", &["\"-soon\" is not a time"]);
    refused("next at noon", &["\"noon\" is not a time"]);
    refused(
        "next at 25:00",
        &["\"25:00\" is not a time of day: write it like 15:42 or 15:42:10"],
    );
    refused("next at 15:4", &["not a time of day"]);
    refused("next at 15:42:60", &["not a time of day"]);
    refused("next at 1:2:3:4", &["not a time of day"]);
    refused("next at -25h", &["too far back"]);
}

#[test]
fn extra_words_are_named() {
    refused(
        "next France",
        &["unexpected \"France\" after next: next [at T]"],
    );
    refused("undo it all", &["unexpected \"it all\" after undo"]);
    refused("pause now at -3s", &["unexpected \"now\" after pause"]);
    refused(
        "close speakers",
        &["unexpected \"speakers\" after close: close list"],
    );
    refused(
        "extend 30s please",
        &["unexpected \"please\" after extend 30s: extend <dur>"],
    );
    refused(
        "block B7 C8",
        &["unexpected \"C8\" after block B7: block <seat>"],
    );
    refused("retract 12 now", &["unexpected \"now\" after retract #12"]);
}

#[test]
fn extend() {
    assert_eq!(ok("extend 30s"), Command::Extend { by: 30 });
    assert_eq!(ok("extend 1m30s"), Command::Extend { by: 90 });
    refused("extend", &["extend needs a duration: extend <dur>"]);
    refused("extend 30 s", &["\"30 s\" is not a duration"]);
    refused("extend 0m", &["extend must be longer than 0s"]);
    refused("extend 3h", &["extend \"3h\" is too long: at most 1h"]);
}

#[test]
fn moves() {
    let mv = |who: &str, to| Command::Move { who: c(who), to };
    assert_eq!(ok("move France up"), mv("France", Place::Up));
    assert_eq!(
        ok("move United Kingdom down"),
        mv("United Kingdom", Place::Down)
    );
    assert_eq!(ok("move Mali TOP"), mv("Mali", Place::Top));
    assert_eq!(ok("move Chad bottom"), mv("Chad", Place::Bottom));
    assert_eq!(ok("move Chad 3"), mv("Chad", Place::Position(3)));
    assert_eq!(ok("move Chad to 3"), mv("Chad", Place::Position(3)));
    assert_eq!(ok("move Chad to top"), mv("Chad", Place::Top));
    refused("move", &["move needs a name"]);
    refused("move up", &["move needs a name"]);
    refused(
        "move Chad",
        &["move needs where to", "\"Chad\" is none of these"],
    );
    refused(
        "move Chad 2nd",
        &["up, down, top, bottom or a position like 3", "\"2nd\""],
    );
    refused("move Chad 0", &["positions count from 1"]);
    refused("move Chad \"3\"", &["move needs where to"]);
    refused("move Chad 99999999999999999999999", &["is not a position"]);
}

#[test]
fn remove_pass_and_lists() {
    assert_eq!(
        ok("remove Trinidad and Tobago"),
        Command::Remove {
            who: c("Trinidad and Tobago")
        }
    );
    assert_eq!(ok("pass \"Niger\""), Command::Pass { who: c("Niger") });
    refused(
        "remove",
        &["remove needs a name: remove <delegation or roster id>"],
    );
    refused(
        "pass",
        &["pass needs a name: pass <delegation or roster id>"],
    );
    assert_eq!(ok("close list"), Command::CloseList);
    assert_eq!(ok("close"), Command::CloseList);
    assert_eq!(ok("Reopen LIST"), Command::ReopenList);
    assert_eq!(ok("reopen"), Command::ReopenList);
    assert_eq!(ok("undo"), Command::Undo);
}

#[test]
fn seating() {
    assert_eq!(
        ok("seat Trinidad and Tobago B7"),
        Command::Seat {
            delegation: c("Trinidad and Tobago"),
            seat: Some(seat("B7"))
        }
    );
    assert_eq!(
        ok("seat Holy See"),
        Command::Seat {
            delegation: c("Holy See"),
            seat: None
        }
    );
    assert_eq!(
        ok("seat Holy See c12"),
        Command::Seat {
            delegation: c("Holy See"),
            seat: Some(seat("C12"))
        }
    );
    refused(
        "seat",
        &["seat needs a delegation: seat <delegation> [<seat>]"],
    );
    refused("seat B7", &["seat needs a delegation"]);
    assert_eq!(
        ok("release B7"),
        Command::Release(SeatOrDelegation::Seat(seat("B7")))
    );
    assert_eq!(
        ok("release Holy See"),
        Command::Release(SeatOrDelegation::Delegation(c("Holy See")))
    );
    assert_eq!(
        ok("release Chad"),
        Command::Release(SeatOrDelegation::Delegation(c("Chad")))
    );
    refused(
        "release",
        &["release needs a seat or a delegation: release <seat|delegation>"],
    );
    assert_eq!(
        ok("wait European Union"),
        Command::Wait {
            delegation: c("European Union")
        }
    );
    assert_eq!(
        ok("unwait European Union"),
        Command::Unwait {
            delegation: c("European Union")
        }
    );
    refused("wait", &["wait needs a delegation: wait <delegation>"]);
    refused("unwait", &["unwait needs a delegation"]);
    assert_eq!(ok("block a1"), Command::Block(seat("A1")));
    assert_eq!(ok("unblock D10"), Command::Unblock(seat("D10")));
    refused("block", &["block needs a seat: block <seat>"]);
    refused(
        "unblock Mali",
        &["\"Mali\" is not a seat: write it like B7"],
    );
    refused("block B0", &["\"B0\" is not a seat"]);
}

#[test]
fn notes_keep_their_text() {
    let text = "Mali asks for #action on \"MINUSMA\" at 15:40 -- limit 3m";
    assert_eq!(ok(&format!("note {text}")), Command::Note { text: c(text) });
    assert_eq!(
        ok("NOTE  two   spaces"),
        Command::Note {
            text: c("two spaces")
        }
    );
    assert_eq!(
        ok("amend 12 corrected #summary"),
        Command::Amend {
            note: 12,
            text: c("corrected #summary")
        }
    );
    assert_eq!(
        ok("amend #12 \"unclosed quote"),
        Command::Amend {
            note: 12,
            text: c("\"unclosed quote")
        }
    );
    assert_eq!(ok("retract #7"), Command::Retract { note: 7 });
    assert_eq!(ok("retract 7"), Command::Retract { note: 7 });
    refused("note", &["note needs some text: note <text with #tags>"]);
    refused("note \u{1b}[2J \u{200b}", &["note needs some text"]);
    refused(
        "amend",
        &["amend needs a note number and the new text: amend <note#> <text>"],
    );
    refused("amend 12", &["amend needs the new text"]);
    refused(
        "amend twelve fixed",
        &["\"twelve\" is not a note number: write it like 12 or #12"],
    );
    refused("retract", &["retract needs a note number: retract <note#>"]);
    refused("retract #", &["\"#\" is not a note number"]);
    refused("retract 99999999999", &["is not a note number"]);
}

#[test]
fn control_characters_in_notes_are_removed() {
    let command = ok("note ok\u{1b}]0;pwned\u{7} then\u{1b}[31m red\u{0}\nnew line\u{202e}");
    assert_eq!(
        command,
        Command::Note {
            text: c("ok then red new line")
        }
    );
    let Command::Note { text } = command else {
        unreachable!()
    };
    assert!(!text.as_str().chars().any(char::is_control));
    assert_eq!(
        ok("add Fr\u{1b}[2Jance"),
        Command::add(c("France"), SpeechKind::Statement, None)
    );
}

#[test]
fn unknown_commands_suggest_the_closest() {
    refused("nxt", &["unknown command \"nxt\": did you mean \"next\"?"]);
    refused("ad France", &["did you mean \"add\"?"]);
    refused("adjurn", &["did you mean \"adjourn\"?"]);
    refused("udno", &["did you mean \"undo\"?"]);
    let all = refused(
        "frobnicate",
        &["unknown command \"frobnicate\": the commands are"],
    );
    assert!(commands().iter().all(|c| all.contains(c.word)));
    refused("", &["type a command"]);
    refused("   \t ", &["type a command"]);
    refused("add \"Holy See", &["a quote is not closed"]);
}

#[test]
fn echoed_text_is_cut_short_and_clean() {
    let long = format!("{}\u{1b}[31m", "x".repeat(500));
    let message = refused(&long, &["unknown command", "…"]);
    assert!(message.len() < 400);
    assert!(!message.chars().any(char::is_control));
}

#[test]
fn every_listed_command_parses_in_some_form() {
    let samples = [
        "open",
        "adjourn",
        "segment next",
        "add Mali",
        "next",
        "floor Mali",
        "pause",
        "resume",
        "end",
        "extend 30s",
        "move Mali up",
        "remove Mali",
        "swap Mali with Peru",
        "pass Mali",
        "close list",
        "reopen list",
        "seat Mali",
        "release B7",
        "wait Mali",
        "unwait Mali",
        "block B7",
        "unblock B7",
        "note hello",
        "amend 1 hello",
        "retract 1",
        "present Mali",
        "absent Mali",
        "undo",
        "suspend consultations",
        "reconvene",
    ];
    for help in commands() {
        let sample = samples
            .iter()
            .find(|s| s.split(' ').next() == Some(help.word));
        ok(sample.unwrap_or_else(|| panic!("no sample for {}", help.word)));
    }
}

fn words_and_noise() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        proptest::sample::select(vec![
            "add", "at", "limit", "reply", "order", "to", "up", "3", "-20s", "15:42", "\"", "#12",
            "B7", "note", "amend", "move", "seat", "release", "extend", "1h", "floor", "next",
        ])
        .prop_map(str::to_string),
        any::<String>(),
        "[\\x00-\\x1f\\x7f-\\x{9f}\u{202e}\u{200b}]{0,4}",
    ];
    proptest::collection::vec(word, 0..12).prop_map(|w| w.join(" "))
}

proptest! {
    #[test]
    fn never_panics_and_messages_are_clean(input in words_and_noise()) {
        if let Err(e) = parse(&input) {
            prop_assert!(!e.to_string().chars().any(char::is_control));
            prop_assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn never_panics_on_anything(input in any::<String>()) {
        let _ = parse(&input);
    }

    #[test]
    fn never_panics_on_long_input(chars in proptest::collection::vec(any::<char>(), 0..20_000)) {
        let input: String = chars.into_iter().collect();
        let _ = parse(&input);
        let _ = parse(&format!("add {input} limit 3m"));
    }

    #[test]
    fn notes_round_trip(text in any::<String>()) {
        let expected = Clean::new(&text);
        match parse(&format!("note {text}")) {
            Ok(Command::Note { text: got }) => {
                prop_assert_eq!(&got, &expected);
                prop_assert_eq!(parse(&format!("note {got}")), Ok(Command::Note { text: got.clone() }));
            }
            Ok(other) => prop_assert!(false, "parsed as {:?}", other),
            Err(_) => prop_assert!(expected.is_empty()),
        }
    }

    #[test]
    fn amended_text_round_trips(note in any::<u32>(), text in any::<String>()) {
        let expected = Clean::new(&text);
        match parse(&format!("amend #{note} {text}")) {
            Ok(got) => prop_assert_eq!(got, Command::Amend { note, text: expected }),
            Err(_) => prop_assert!(expected.is_empty()),
        }
    }
}

#[test]
fn swap_takes_the_names_either_side_of_with() {
    assert_eq!(
        parse("swap Ghana with \"Papua New Guinea\"").unwrap(),
        Command::Swap {
            who: c("Ghana"),
            with: c("Papua New Guinea"),
        }
    );
    refused("swap Ghana", &["swap needs two names"]);
    refused("swap Ghana with", &["swap needs a name"]);
}

// --- attendance ---

#[test]
fn present_takes_a_delegation_then_by_whom_then_at() {
    assert_eq!(
        ok("present Mali"),
        Command::Present {
            who: c("Mali"),
            by: None,
            at: None
        }
    );
    assert_eq!(
        ok("present Burkina Faso by H.E. Mr. Alpha Barry at 15:32"),
        Command::Present {
            who: c("Burkina Faso"),
            by: Some(c("H.E. Mr. Alpha Barry")),
            at: Some(time(15, 32, 0))
        }
    );
    // The first `by` ends the delegation: the representative may hold the word.
    assert_eq!(
        ok("PRESENT france BY Mr. Stand by Me at -2m"),
        Command::Present {
            who: c("france"),
            by: Some(c("Mr. Stand by Me")),
            at: Some(At::Ago(120))
        }
    );
    assert_eq!(
        ok("present \"Stand by Me\" by Ms. Doe"),
        Command::Present {
            who: c("Stand by Me"),
            by: Some(c("Ms. Doe")),
            at: None
        }
    );
}

#[test]
fn absent_takes_a_delegation_and_at() {
    assert_eq!(
        ok("absent Egypt at 16:10"),
        Command::Absent {
            who: c("Egypt"),
            at: Some(time(16, 10, 0))
        }
    );
    assert_eq!(
        ok("absent cote d ivoire"),
        Command::Absent {
            who: c("cote d ivoire"),
            at: None
        }
    );
}

#[test]
fn present_and_absent_refusals_say_what_is_missing() {
    refused(
        "present",
        &["present needs a delegation", "present <delegation>"],
    );
    refused("present by Mr. X", &["present needs a delegation"]);
    refused(
        "present Mali by",
        &["present needs a representative after by"],
    );
    refused("present Mali at", &["at"]);
    refused("present Mali at noonish", &["noonish"]);
    refused(
        "absent",
        &["absent needs a delegation", "absent <delegation> [at T]"],
    );
    refused("absent Mali at 99:00", &["99:00"]);
    // The representative's name is sanitised where it enters.
    match ok("present Mali by Mr.\u{1b}[31m X\u{202e}") {
        Command::Present { by: Some(by), .. } => assert_eq!(by.as_str(), "Mr. X"),
        other => panic!("parsed as {other:?}"),
    }
}
// --- Suspension of the meeting (issue 13, item 6) ---

#[test]
fn suspend_takes_a_reason_and_an_at() {
    let suspend = |reason: &str, at| Command::Suspend {
        reason: c(reason),
        at,
    };
    assert_eq!(ok("suspend"), suspend("", None));
    assert_eq!(ok("suspend consultations"), suspend("consultations", None));
    assert_eq!(
        ok("suspend informal consultations at -2m"),
        suspend("informal consultations", Some(At::Ago(120)))
    );
    assert_eq!(ok("SUSPEND at 16:05"), suspend("", Some(time(16, 5, 0))));
    // An `at` that gives no time is part of the reason.
    assert_eq!(
        ok("suspend at the request of Mali"),
        suspend("at the request of Mali", None)
    );
    assert_eq!(ok("suspend \"lunch at 1\""), suspend("lunch at 1", None));
    refused(
        "suspend lunch at 99:00",
        &["\"99:00\" is not a time of day"],
    );
    refused("suspend lunch at +5s", &["at takes a time in the past"]);
}

#[test]
fn reconvene_takes_only_an_at() {
    assert_eq!(ok("reconvene"), Command::Reconvene { at: None });
    assert_eq!(
        ok("reconvene at 16:20:10"),
        Command::Reconvene {
            at: Some(time(16, 20, 10))
        }
    );
    refused(
        "reconvene now",
        &["unexpected \"now\" after reconvene", "reconvene [at T]"],
    );
    refused("reconvne", &["did you mean \"reconvene\""]);
}

// --- end of suspension ---
