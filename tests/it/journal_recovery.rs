//! Start-up replay: what a crash leaves is cut and kept aside, anything else stops.

use std::convert::Infallible;
use std::fs;

use gavel::journal::{Journal, JournalError, Mode, Opened, Problem, TornKind, verify};
use tempfile::tempdir;

use crate::support::journal_common::*;

fn open(dir: &std::path::Path, mode: Mode) -> Result<Opened<Line>, JournalError> {
    Journal::<Line>::open(dir, mode)
}

fn damaged_line(err: JournalError) -> (u64, Problem) {
    let bad = err
        .bad_line()
        .unwrap_or_else(|| panic!("not a damaged line: {err}"));
    (bad.line, bad.problem.clone())
}

#[test]
fn torn_last_line_is_cut_kept_aside_and_reported() {
    let dir = tempdir().unwrap();
    let good = good_bytes(1, 3);
    let tail = br#"{"v":1,"seq":4,"at":"2017-09-2"#;
    write_journal(dir.path(), &[good.as_slice(), tail].concat());

    let opened = open(dir.path(), Mode::ReadWrite).unwrap();

    assert_eq!(
        opened.lines,
        vec![line(1, "ana"), line(2, "ana"), line(3, "ana")]
    );
    let torn = opened.recovery.torn.expect("torn tail reported");
    assert_eq!((torn.line, torn.offset), (4, good.len() as u64));
    assert_eq!(
        (torn.bytes, torn.kind),
        (tail.len() as u64, TornKind::Unfinished)
    );
    assert_eq!(fs::read(journal_path(dir.path())).unwrap(), good);
    let kept = torn.kept_in.clone().expect("kept aside");
    assert_eq!(torn_files(dir.path()), vec![kept.clone()]);
    assert_eq!(fs::read(&kept).unwrap(), tail);
    assert!(torn.to_string().contains("cut off"), "{torn}");
}

#[test]
fn appending_after_a_cut_continues_the_sequence() {
    let dir = tempdir().unwrap();
    write_journal(
        dir.path(),
        &[good_bytes(1, 2), b"{\"v\":1,\"seq\":3".to_vec()].concat(),
    );
    let mut j = open(dir.path(), Mode::ReadWrite).unwrap().journal;
    j.append(|_| Ok::<_, Infallible>(vec![line(3, "bo")]))
        .unwrap();
    let again = open(dir.path(), Mode::ReadOnly).unwrap();
    assert_eq!(again.lines.last(), Some(&line(3, "bo")));
    assert_eq!(again.recovery.torn, None);
}

/// A complete line was written whole: one that does not read is damage,
/// even the last, and nothing is cut.
#[test]
fn an_unreadable_complete_last_line_is_damage() {
    let bytes = [good_bytes(1, 2), b"{\"v\":1,\"seq\"::\n".to_vec()].concat();
    let problem = assert_stops_unchanged(&bytes, 3);
    assert!(matches!(problem, Problem::NotJson(_)), "{problem:?}");
}

#[test]
fn two_complete_garbage_lines_at_the_end_are_damage() {
    let bytes = [good_bytes(1, 4), b"garbage one\ngarbage two\n".to_vec()].concat();
    assert_stops_unchanged(&bytes, 5);
}

#[test]
fn a_thousand_blank_lines_at_the_end_are_damage() {
    let bytes = [good_bytes(1, 3), vec![b'\n'; 1000]].concat();
    assert_eq!(assert_stops_unchanged(&bytes, 4), Problem::Blank);
}

/// The whole journal re-encoded (as an editor saving it as UTF-16 does) is
/// not one torn line to cut to nothing.
#[test]
fn a_journal_re_encoded_as_utf16_is_damage_not_a_torn_tail() {
    let text = String::from_utf8(good_bytes(1, 107)).unwrap();
    let mut utf16 = vec![0xff, 0xfe];
    for unit in text.encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    assert_eq!(assert_stops_unchanged(&utf16, 1), Problem::NotUtf8);
}

/// Zeros with no line break after them, as a power loss leaves, are cut only
/// up to the size one append writes.
#[test]
fn an_unfinished_tail_longer_than_one_append_is_damage() {
    let longest = gavel::journal::MAX_APPEND;
    let cut = [good_bytes(1, 2), vec![0u8; longest]].concat();
    let dir = tempdir().unwrap();
    write_journal(dir.path(), &cut);
    let torn = open(dir.path(), Mode::ReadWrite).unwrap().recovery.torn;
    assert_eq!(torn.map(|t| t.kind), Some(TornKind::ZeroFilled));

    let too_long = [good_bytes(1, 2), vec![0u8; longest + 1]].concat();
    let problem = assert_stops_unchanged(&too_long, 3);
    assert_eq!(problem, Problem::TooLong(longest + 1));
}

#[test]
fn zero_filled_tail_is_cut_and_kept() {
    let dir = tempdir().unwrap();
    let good = good_bytes(1, 5);
    let zeros = vec![0u8; 4096];
    write_journal(dir.path(), &[good.clone(), zeros.clone()].concat());

    let opened = open(dir.path(), Mode::ReadWrite).unwrap();

    assert_eq!(opened.lines.len(), 5);
    let torn = opened.recovery.torn.unwrap();
    assert_eq!(
        (torn.line, torn.kind, torn.bytes),
        (6, TornKind::ZeroFilled, 4096)
    );
    assert_eq!(fs::read(journal_path(dir.path())).unwrap(), good);
    assert_eq!(fs::read(torn.kept_in.unwrap()).unwrap(), zeros);
}

#[test]
fn a_second_torn_tail_never_overwrites_the_first() {
    let dir = tempdir().unwrap();
    write_journal(
        dir.path(),
        &[good_bytes(1, 1), b"first torn".to_vec()].concat(),
    );
    let first = open(dir.path(), Mode::ReadWrite)
        .unwrap()
        .recovery
        .torn
        .unwrap();
    fs::write(
        journal_path(dir.path()),
        [good_bytes(1, 1), b"second".to_vec()].concat(),
    )
    .unwrap();
    let second = open(dir.path(), Mode::ReadWrite)
        .unwrap()
        .recovery
        .torn
        .unwrap();

    let (first, second) = (first.kept_in.unwrap(), second.kept_in.unwrap());
    assert_ne!(first, second);
    assert_eq!(fs::read(first).unwrap(), b"first torn");
    assert_eq!(fs::read(second).unwrap(), b"second");
    assert_eq!(torn_files(dir.path()).len(), 2);
}

fn assert_stops_unchanged(bytes: &[u8], line: u64) -> Problem {
    let dir = tempdir().unwrap();
    write_journal(dir.path(), bytes);
    let before = snapshot(dir.path());

    let err = open(dir.path(), Mode::ReadWrite).unwrap_err();

    let message = err.to_string();
    assert!(
        message.contains(&format!("journal line {line} is damaged")),
        "{message}"
    );
    assert!(message.contains("nothing is overwritten"), "{message}");
    assert_eq!(
        snapshot(dir.path()),
        before,
        "the folder must be left as it was"
    );
    let (found, problem) = damaged_line(err);
    assert_eq!(found, line);
    problem
}

#[test]
fn bad_middle_line_stops_with_its_number_and_changes_nothing() {
    let bytes = [
        good_bytes(1, 2),
        b"{\"v\":1,\"seq\":3,oops}\n".to_vec(),
        good_bytes(4, 4),
    ]
    .concat();
    let problem = assert_stops_unchanged(&bytes, 3);
    assert!(
        matches!(problem, Problem::NotJson(ref m) if m.contains("column")),
        "{problem:?}"
    );
}

#[test]
fn zeros_in_the_middle_are_a_bad_line() {
    let bytes = [
        good_bytes(1, 2),
        vec![0u8; 100],
        b"\n".to_vec(),
        good_bytes(3, 3),
    ]
    .concat();
    assert_stops_unchanged(&bytes, 3);
}

#[test]
fn seq_gap_stops_even_on_the_last_line() {
    let bytes = [good_bytes(1, 2), good_bytes(4, 4)].concat();
    let problem = assert_stops_unchanged(&bytes, 3);
    assert_eq!(
        problem,
        Problem::Seq {
            expected: 3,
            found: 4
        }
    );
}

#[test]
fn repeated_seq_stops() {
    let bytes = [good_bytes(1, 2), good_bytes(2, 3)].concat();
    assert_eq!(
        assert_stops_unchanged(&bytes, 3),
        Problem::Seq {
            expected: 3,
            found: 2
        }
    );
}

#[test]
fn wrong_version_stops() {
    let v2 = br#"{"v":2,"seq":2,"at":"x","by":"ana","event":{}}"#;
    let bytes = [good_bytes(1, 1), v2.to_vec(), b"\n".to_vec()].concat();
    let problem = assert_stops_unchanged(&bytes, 2);
    assert_eq!(
        problem,
        Problem::Version {
            found: "2".into(),
            reads: 1
        }
    );
}

#[test]
fn invalid_utf8_is_a_bad_line() {
    let bad = b"{\"v\":1,\"seq\":2,\"at\":\"x\",\"by\":\"\xff\xfe\",\"event\":{}}\n";
    let bytes = [good_bytes(1, 1), bad.to_vec(), good_bytes(3, 3)].concat();
    assert_eq!(assert_stops_unchanged(&bytes, 2), Problem::NotUtf8);
}

#[test]
fn json_that_is_not_a_line_stops() {
    let bytes = [good_bytes(1, 1), b"{\"v\":1,\"seq\":2}\n".to_vec()].concat();
    let problem = assert_stops_unchanged(&bytes, 2);
    assert!(matches!(problem, Problem::NotEvent(_)), "{problem:?}");
}

#[test]
fn read_only_writes_nothing_for_a_missing_journal() {
    let base = tempdir().unwrap();
    let dir = base.path().join("mali-2017");
    let opened = open(&dir, Mode::ReadOnly).unwrap();
    assert!(opened.lines.is_empty());
    assert!(!dir.exists(), "read-only must not create the folder");
}

#[test]
fn read_only_reports_a_torn_tail_and_leaves_it() {
    let dir = tempdir().unwrap();
    write_journal(
        dir.path(),
        &[good_bytes(1, 2), b"{\"v\":1".to_vec()].concat(),
    );
    let before = snapshot(dir.path());

    let mut opened = open(dir.path(), Mode::ReadOnly).unwrap();

    assert_eq!(opened.lines.len(), 2);
    let torn = opened.recovery.torn.unwrap();
    assert_eq!((torn.line, torn.kept_in), (3, None));
    assert!(opened.journal.poll().unwrap().is_empty());
    let refused = opened
        .journal
        .append(|_| Ok::<_, Infallible>(vec![line(3, "x")]));
    assert!(refused.is_err());
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn read_only_stops_at_a_bad_line_too() {
    let dir = tempdir().unwrap();
    write_journal(dir.path(), &[good_bytes(1, 1), good_bytes(3, 3)].concat());
    let err = open(dir.path(), Mode::ReadOnly).unwrap_err();
    assert_eq!(damaged_line(err).0, 2);
}

#[test]
fn verify_reports_without_changing_anything() {
    let dir = tempdir().unwrap();
    let path = journal_path(dir.path());
    write_journal(dir.path(), &good_bytes(1, 4));
    let sound = verify::<Line>(&path).unwrap();
    assert!(sound.is_sound());
    assert_eq!(
        (sound.lines, sound.total_lines, sound.last_seq),
        (4, 4, Some(4))
    );

    write_journal(dir.path(), &[good_bytes(1, 4), b"{\"v\"".to_vec()].concat());
    let before = snapshot(dir.path());
    let torn = verify::<Line>(&path).unwrap();
    assert_eq!(
        (torn.lines, torn.total_lines, torn.last_seq),
        (4, 5, Some(4))
    );
    assert_eq!(torn.torn.unwrap().line, 5);
    assert_eq!(snapshot(dir.path()), before);

    write_journal(
        dir.path(),
        &[good_bytes(1, 2), b"x\n".to_vec(), good_bytes(4, 5)].concat(),
    );
    let bad = verify::<Line>(&path).unwrap();
    assert_eq!((bad.lines, bad.total_lines, bad.last_seq), (2, 5, Some(2)));
    assert_eq!(bad.bad.unwrap().line, 3);
}

#[test]
fn verify_of_a_missing_journal_says_so() {
    let dir = tempdir().unwrap();
    let err = verify::<Line>(&journal_path(dir.path())).unwrap_err();
    assert!(err.to_string().contains("cannot find the journal"), "{err}");
}
