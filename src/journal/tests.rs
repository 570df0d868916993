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

#[test]
fn a_failed_sync_is_cut_back_and_never_reported_as_done() {
    let dir = tempfile::tempdir().unwrap();
    let mut j = journal(dir.path(), false);
    one(&mut j).unwrap();
    let before = std::fs::read(j.path()).unwrap();

    j.file.fail_sync.set(true);
    let err = one(&mut j).unwrap_err();

    assert!(
        matches!(
            err,
            AppendError::Io {
                rolled_back: true,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("not recorded"), "{err}");
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
    assert!(
        matches!(
            err,
            AppendError::Io {
                rolled_back: false,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("restarted"), "{err}");

    let later = one(&mut j).unwrap_err();
    assert!(matches!(later, AppendError::Broken(_)), "{later:?}");
}
