//! Appending under the lock, catching up with other handles, and following.

use std::convert::Infallible;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::Path;

use gavel::journal::{AppendError, Journal, Mode, Problem};
use tempfile::tempdir;

use crate::support::journal_common::*;

fn rw(dir: &Path) -> Journal<Line> {
    Journal::<Line>::open(dir, Mode::ReadWrite).unwrap().journal
}

fn ro(dir: &Path) -> Journal<Line> {
    Journal::<Line>::open(dir, Mode::ReadOnly).unwrap().journal
}

/// Appends one line after whatever was caught up.
fn add(j: &mut Journal<Line>, by: &str) -> (Vec<Line>, Vec<Line>) {
    let base = j.last_seq();
    let done = j
        .append(|seen| {
            let next = seen.last().map_or(base, |l| l.seq) + 1;
            Ok::<_, Infallible>(vec![line(next, by)])
        })
        .unwrap();
    (done.caught_up, done.written)
}

fn raw_append(dir: &Path, bytes: &[u8]) {
    let mut f = OpenOptions::new()
        .append(true)
        .open(journal_path(dir))
        .unwrap();
    f.write_all(bytes).unwrap();
}

#[test]
fn append_writes_whole_lines_and_reads_back() {
    let dir = tempdir().unwrap();
    let mut j = rw(dir.path());
    let done = j
        .append(|seen| {
            assert!(seen.is_empty());
            Ok::<_, Infallible>(vec![line(1, "ana"), line(2, "ana")])
        })
        .unwrap();
    assert_eq!(done.written, vec![line(1, "ana"), line(2, "ana")]);
    assert_eq!(
        fs::read(journal_path(dir.path())).unwrap(),
        good_bytes(1, 2)
    );
    assert_eq!(j.last_seq(), 2);
}

#[test]
fn append_catches_up_with_another_handle_first() {
    let dir = tempdir().unwrap();
    let mut ana = rw(dir.path());
    let mut bo = rw(dir.path());
    add(&mut ana, "ana");
    add(&mut ana, "ana");

    let (caught_up, written) = add(&mut bo, "bo");

    assert_eq!(caught_up, vec![line(1, "ana"), line(2, "ana")]);
    assert_eq!(written, vec![line(3, "bo")]);
    assert_eq!(ana.poll().unwrap(), vec![line(3, "bo")]);
    assert_eq!(add(&mut ana, "ana"), (vec![], vec![line(4, "ana")]));
}

#[test]
fn refusal_writes_nothing_but_returns_what_was_caught_up() {
    let dir = tempdir().unwrap();
    let mut ana = rw(dir.path());
    let mut bo = rw(dir.path());
    add(&mut ana, "ana");
    let before = fs::read(journal_path(dir.path())).unwrap();

    let err = bo
        .append(|_| Err::<Vec<Line>, _>("France is already listed, 4th"))
        .unwrap_err();

    assert_eq!(err.to_string(), "France is already listed, 4th");
    assert_eq!(err.caught_up(), &[line(1, "ana")]);
    assert!(matches!(err, AppendError::Refused { .. }));
    assert_eq!(fs::read(journal_path(dir.path())).unwrap(), before);
    assert_eq!(add(&mut bo, "bo"), (vec![], vec![line(2, "bo")]));
}

#[test]
fn lines_that_do_not_continue_the_sequence_are_not_written() {
    let dir = tempdir().unwrap();
    let mut j = rw(dir.path());
    add(&mut j, "ana");
    let before = fs::read(journal_path(dir.path())).unwrap();

    let gap = j.append(|_| Ok::<_, Infallible>(vec![line(2, "ana"), line(4, "ana")]));
    let Err(AppendError::Invalid { index, problem, .. }) = gap else {
        panic!("{gap:?}")
    };
    assert_eq!(
        (index, problem),
        (
            1,
            Problem::Seq {
                expected: 3,
                found: 4
            }
        )
    );

    let mut v2 = line(2, "ana");
    v2.v = 2;
    let wrong = j.append(|_| Ok::<_, Infallible>(vec![v2]));
    assert!(matches!(
        wrong,
        Err(AppendError::Invalid {
            problem: Problem::Version { .. },
            ..
        })
    ));

    assert_eq!(fs::read(journal_path(dir.path())).unwrap(), before);
    assert_eq!(add(&mut j, "ana"), (vec![], vec![line(2, "ana")]));
}

#[test]
fn nothing_to_write_is_fine() {
    let dir = tempdir().unwrap();
    let mut j = rw(dir.path());
    let done = j.append(|_| Ok::<_, Infallible>(vec![])).unwrap();
    assert!(done.written.is_empty());
    assert_eq!(fs::metadata(journal_path(dir.path())).unwrap().len(), 0);
}

#[test]
fn poll_returns_only_complete_lines() {
    let dir = tempdir().unwrap();
    let mut writer = rw(dir.path());
    add(&mut writer, "ana");
    let mut reader = ro(dir.path());
    assert!(reader.poll().unwrap().is_empty());

    let second = good_bytes(2, 2);
    let third = good_bytes(3, 3);
    let (head, rest) = third.split_at(10);
    raw_append(dir.path(), &[second.as_slice(), head].concat());
    assert_eq!(reader.poll().unwrap(), vec![line(2, "ana")]);
    assert!(
        reader.poll().unwrap().is_empty(),
        "half a line is not a line"
    );

    raw_append(dir.path(), rest);
    assert_eq!(reader.poll().unwrap(), vec![line(3, "ana")]);
    assert_eq!(reader.last_seq(), 3);
}

#[test]
fn poll_reads_nothing_while_a_writer_holds_the_lock() {
    let dir = tempdir().unwrap();
    rw(dir.path());
    let mut reader = ro(dir.path());
    // A writer between its write and the end of its sync (or its cut-back).
    let writer = OpenOptions::new()
        .append(true)
        .open(journal_path(dir.path()))
        .unwrap();
    writer.lock().unwrap();
    (&writer).write_all(&good_bytes(1, 1)).unwrap();

    assert!(
        reader.poll().unwrap().is_empty(),
        "not synced yet, so not seen"
    );
    writer.unlock().unwrap();
    assert_eq!(reader.poll().unwrap(), vec![line(1, "ana")]);
}

#[test]
fn read_only_follows_a_journal_created_later() {
    let base = tempdir().unwrap();
    let dir = base.path().join("m");
    let mut board = ro(&dir);
    assert!(board.poll().unwrap().is_empty());
    let mut writer = rw(&dir);
    add(&mut writer, "ana");
    assert_eq!(board.poll().unwrap(), vec![line(1, "ana")]);
}

#[test]
fn poll_stops_at_a_damaged_line() {
    let dir = tempdir().unwrap();
    let mut writer = rw(dir.path());
    let mut reader = ro(dir.path());
    raw_append(
        dir.path(),
        &[good_bytes(1, 1), b"junk\n".to_vec(), good_bytes(3, 3)].concat(),
    );
    let err = reader.poll().unwrap_err();
    assert_eq!(err.bad_line().unwrap().line, 2);
    let refused = writer.append(|_| Ok::<_, Infallible>(vec![]));
    assert!(
        matches!(refused, Err(AppendError::Journal(_))),
        "{refused:?}"
    );
}

#[test]
fn a_torn_tail_left_by_a_crashed_writer_is_cut_before_appending() {
    let dir = tempdir().unwrap();
    let mut j = rw(dir.path());
    add(&mut j, "ana");
    raw_append(dir.path(), b"{\"v\":1,\"seq\":2,\"at");

    let done = j
        .append(|seen| {
            assert!(seen.is_empty());
            Ok::<_, Infallible>(vec![line(2, "ana")])
        })
        .unwrap();

    let torn = done.recovered.expect("the torn tail is reported");
    assert_eq!(
        fs::read(torn.kept_in.unwrap()).unwrap(),
        b"{\"v\":1,\"seq\":2,\"at"
    );
    assert_eq!(
        fs::read(journal_path(dir.path())).unwrap(),
        good_bytes(1, 2)
    );
}

#[test]
fn a_panic_in_decide_releases_the_lock() {
    let dir = tempdir().unwrap();
    let mut ana = rw(dir.path());
    let mut bo = rw(dir.path());
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = ana.append(|_| -> Result<Vec<Line>, Infallible> { panic!("bug in decide") });
    }));
    assert!(panicked.is_err());
    assert_eq!(add(&mut bo, "bo"), (vec![], vec![line(1, "bo")]));
}

#[test]
fn shrinking_under_a_reader_is_reported() {
    let dir = tempdir().unwrap();
    let mut j = rw(dir.path());
    add(&mut j, "ana");
    add(&mut j, "ana");
    let mut reader = ro(dir.path());
    fs::write(journal_path(dir.path()), good_bytes(1, 1)).unwrap();
    let err = reader.poll().unwrap_err();
    assert!(err.to_string().contains("became shorter"), "{err}");
}
