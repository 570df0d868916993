//! The failure paths of `append`, through the file seam.

use std::cell::Cell;
use std::convert::Infallible;

use serde::{Deserialize, Serialize};

use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct L {
    v: u64,
    seq: u64,
}

impl LineFormat for L {
    const VERSION: u8 = 1;

    fn seq(&self) -> u64 {
        self.seq
    }
}

fn l(seq: u64) -> L {
    L { v: 1, seq }
}

/// A disk whose next sync fails, and whose cut-back can be made to fail too.
struct FailingSync {
    disk: DiskFile,
    fail_sync: Cell<bool>,
    fail_cut: bool,
}

impl JournalFile for FailingSync {
    fn present(&mut self) -> io::Result<bool> {
        self.disk.present()
    }
    fn lock(&self) -> io::Result<()> {
        self.disk.lock()
    }
    fn try_lock_shared(&self) -> io::Result<bool> {
        self.disk.try_lock_shared()
    }
    fn unlock(&self) -> io::Result<()> {
        self.disk.unlock()
    }
    fn size(&self) -> io::Result<u64> {
        self.disk.size()
    }
    fn read_range(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        self.disk.read_range(offset, len)
    }
    fn append(&self, bytes: &[u8]) -> io::Result<()> {
        self.disk.append(bytes)
    }
    fn sync_data(&self) -> io::Result<()> {
        if self.fail_sync.replace(false) {
            return Err(io::Error::from_raw_os_error(5));
        }
        self.disk.sync_data()
    }
    fn sync_all(&self) -> io::Result<()> {
        self.disk.sync_all()
    }
    fn set_len(&self, len: u64) -> io::Result<()> {
        if self.fail_cut {
            return Err(io::Error::from_raw_os_error(5));
        }
        self.disk.set_len(len)
    }
    fn keep_aside(&self, bytes: &[u8]) -> io::Result<PathBuf> {
        self.disk.keep_aside(bytes)
    }
}

fn journal(dir: &Path, fail_cut: bool) -> Journal<L, FailingSync> {
    let path = dir.join(JOURNAL_FILE);
    let disk = DiskFile::open(&path, Mode::ReadWrite).unwrap();
    let fail_sync = Cell::new(false);
    let file = FailingSync {
        disk,
        fail_sync,
        fail_cut,
    };
    Journal::attach(file, path, Mode::ReadWrite)
        .unwrap()
        .journal
}

fn one(j: &mut Journal<L, FailingSync>) -> Result<Appended<L>, AppendError<L, Infallible>> {
    let next = j.last_seq() + 1;
    j.append(|_| Ok(vec![l(next)]))
}

fn assert_io_error(err: &AppendError<L, Infallible>, rolled_back: bool, says: &str) {
    assert!(
        matches!(err, AppendError::Io { rolled_back: r, .. } if *r == rolled_back),
        "expected an I/O error with rolled_back: {rolled_back}, got {err:?}"
    );
    assert!(err.to_string().contains(says), "expected {says:?} in {err}");
}

#[test]
fn a_failed_sync_is_cut_back_and_never_reported_as_done() {
    let dir = tempfile::tempdir().unwrap();
    let mut j = journal(dir.path(), false);
    one(&mut j).unwrap();
    let before = std::fs::read(j.path()).unwrap();

    j.file.fail_sync.set(true);
    let err = one(&mut j).unwrap_err();

    assert_io_error(&err, true, "not recorded");
    assert_eq!(std::fs::read(j.path()).unwrap(), before);
    assert_eq!(j.last_seq(), 1);
    assert_eq!(one(&mut j).unwrap().written, vec![l(2)]);
}

#[test]
fn a_failed_cut_back_stops_all_later_appends() {
    let dir = tempfile::tempdir().unwrap();
    let mut j = journal(dir.path(), true);
    j.file.fail_sync.set(true);

    let err = one(&mut j).unwrap_err();
    assert_io_error(&err, false, "restarted");

    let later = one(&mut j).unwrap_err();
    assert!(matches!(later, AppendError::Broken(_)), "{later:?}");
}

/// A journal of `lines` short lines on disk, over several pieces, so that a
/// replay hands its lines to the sink on a second thread.
fn long_journal(dir: &Path, lines: u64, end: &[u8]) -> PathBuf {
    let path = dir.join(JOURNAL_FILE);
    let mut bytes: Vec<u8> = (1..=lines)
        .flat_map(|seq| format!("{{\"v\":1,\"seq\":{seq}}}\n").into_bytes())
        .collect();
    assert!(bytes.len() as u64 > 3 * PIECE, "{} bytes", bytes.len());
    bytes.extend_from_slice(end);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn replay_into<S: Sink<L, Error: Send> + Send>(
    path: &Path,
    sink: &mut S,
) -> Replayed<L, DiskFile, S::Error> {
    let disk = DiskFile::open(path, Mode::ReadOnly).unwrap();
    Journal::attach_each(disk, path.to_path_buf(), Mode::ReadOnly, sink)
}

#[derive(Default)]
struct Until {
    wanted: Option<u64>,
    got: Vec<u64>,
}

impl Sink<L> for Until {
    type Error = u64;

    fn take(&mut self, line: L) -> Result<(), u64> {
        if self.wanted == Some(self.got.len() as u64) {
            return Err(line.seq);
        }
        self.got.push(line.seq);
        Ok(())
    }
}

#[test]
fn a_long_journal_reaches_the_sink_whole_and_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = long_journal(dir.path(), 200_000, b"{\"v\":1,\"se");
    let mut sink = Until::default();
    let (journal, recovery) = replay_into(&path, &mut sink)
        .map_err(|_| "replays")
        .unwrap();
    assert_eq!(sink.got, (1..=200_000).collect::<Vec<_>>());
    assert_eq!(journal.last_seq(), 200_000);
    let torn = recovery.torn.expect("the unfinished line is a torn tail");
    assert_eq!(torn.line, 200_001);
}

#[test]
fn a_damaged_line_far_into_a_long_journal_stops_it_after_every_line_before() {
    let dir = tempfile::tempdir().unwrap();
    let path = long_journal(dir.path(), 200_000, b"garbage\n{\"v\":1,\"seq\":200002}\n");
    let mut sink = Until::default();
    let Err(Stopped::Journal(JournalError::Damaged { bad, .. })) = replay_into(&path, &mut sink)
    else {
        panic!("the garbage line is damage");
    };
    assert_eq!(bad.line, 200_001);
    assert_eq!(sink.got.len(), 200_000);
}

/// The sink's refusal stops the replay where it came, as on one thread,
/// even with damage further on, and the lines after it are not given.
#[test]
fn a_sink_that_refuses_a_line_of_a_long_journal_stops_it_there() {
    let dir = tempfile::tempdir().unwrap();
    let path = long_journal(dir.path(), 200_000, b"garbage\n");
    let mut sink = Until {
        wanted: Some(123_456),
        got: Vec::new(),
    };
    let Err(Stopped::Sink(seq)) = replay_into(&path, &mut sink) else {
        panic!("the sink's refusal stops it");
    };
    assert_eq!(seq, 123_457);
    assert_eq!(sink.got, (1..=123_456).collect::<Vec<_>>());
}
