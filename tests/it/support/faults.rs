//! A journal file in memory that behaves like a disk under power loss and I/O
//! errors, so the journal's promises can be checked without a real crash.
//!
//! It keeps two views: what reads see (the page cache) and what the last
//! successful sync made durable (what survives a power cut). Two Linux
//! behaviours matter and are modelled:
//! - a crash keeps the durable bytes plus some unsynced tail: garbage, zeros
//!   (the size reached the disk before the data) or part of what was written;
//! - a failed fsync drops the dirty pages (they are marked clean), so a later
//!   successful fsync does not write them: reads still show the bytes, the
//!   disk never gets them.
//!
//! The note a journal leaves beside itself when it cannot cut such bytes off
//! (`journal.unsynced`) is modelled as the real one is written: whole and
//! durable once `mark_unsynced` returns, absent if it failed or the power was
//! cut during it.

use std::io;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use gavel::journal::{JournalFile, UnsyncedNote};

pub const EIO: i32 = 5;
pub const ENOSPC: i32 = 28;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    Append,
    SyncData,
    SyncAll,
    SetLen,
    KeepAside,
    /// Writing the unsaved-bytes note.
    Mark,
    /// Removing it.
    Unmark,
}

/// An error an operation returns, `times` times (`u32::MAX`: until cleared).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fault {
    pub op: Op,
    pub errno: i32,
    pub times: u32,
    /// For an append: bytes that land before the error (modulo the length,
    /// so never all of them), as a short write before ENOSPC leaves them.
    pub lands: usize,
}

impl Fault {
    pub fn once(op: Op, errno: i32) -> Fault {
        Fault {
            op,
            errno,
            times: 1,
            lands: 0,
        }
    }

    pub fn until_cleared(op: Op, errno: i32) -> Fault {
        Fault {
            times: u32::MAX,
            ..Fault::once(op, errno)
        }
    }

    pub fn landing(self, lands: usize) -> Fault {
        Fault { lands, ..self }
    }
}

/// What a power cut leaves after the durable bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tail {
    /// Bytes that were never written there.
    Garbage(Vec<u8>),
    /// The size was saved, the data was not.
    Zeros(usize),
    /// The first `keep` bytes (at most all) of what was written since the
    /// last sync, then `zeros` NUL bytes of a half-saved block.
    Written { keep: usize, zeros: usize },
}

#[derive(Debug, Default)]
pub struct Disk {
    /// What reads see.
    pub data: Vec<u8>,
    /// What survives a power cut.
    pub durable: Vec<u8>,
    /// Bytes a failed sync dropped: never written to the disk by a later sync.
    dropped: Option<Range<usize>>,
    faults: Vec<Fault>,
    /// The mutating operation (counted from 1) during which power fails.
    power_fails_at: Option<u64>,
    /// How much of the append that power cuts short reaches the cache
    /// (modulo its length plus one).
    tear: usize,
    pub dead: bool,
    /// The operation the power cut interrupted.
    pub cut_during: Option<Op>,
    locked: bool,
    /// Mutating operations so far.
    pub ops: u64,
    /// Faults that fired.
    pub faults_hit: u32,
    /// Every buffer handed to `append`, in order, whether it landed or not.
    pub appended: Vec<Vec<u8>>,
    /// Torn tails kept aside.
    pub aside: Vec<Vec<u8>>,
    pub set_lens: u32,
    /// The unsaved-bytes note beside the journal: on the disk, so it survives
    /// restarts and power cuts alike.
    pub unsynced: Option<UnsyncedNote>,
}

/// One handle on a simulated disk; clones share it, so a test keeps one to
/// arm faults and look at the bytes while the journal owns another.
#[derive(Debug, Clone, Default)]
pub struct SimFile(Arc<Mutex<Disk>>);

fn os(errno: i32) -> io::Error {
    io::Error::from_raw_os_error(errno)
}

/// What a dead machine answers: the process would not be running at all.
fn gone() -> io::Error {
    io::Error::other("the power failed")
}

impl SimFile {
    pub fn new() -> SimFile {
        SimFile::default()
    }

    /// A file as found after a reboot: all of it is on the disk.
    pub fn with(bytes: &[u8]) -> SimFile {
        let sim = SimFile::new();
        {
            let mut d = sim.disk();
            d.data = bytes.to_vec();
            d.durable = bytes.to_vec();
        }
        sim
    }

    pub fn disk(&self) -> MutexGuard<'_, Disk> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn arm(&self, fault: Fault) {
        self.disk().faults.push(fault);
    }

    pub fn clear(&self) {
        self.disk().faults.clear();
    }

    pub fn power_fails_at(&self, op: u64, tear: usize) {
        let mut d = self.disk();
        d.power_fails_at = Some(op);
        d.tear = tear;
    }

    pub fn data(&self) -> Vec<u8> {
        self.disk().data.clone()
    }

    pub fn durable(&self) -> Vec<u8> {
        self.disk().durable.clone()
    }

    pub fn dead(&self) -> bool {
        self.disk().dead
    }

    /// What the disk holds after the power is cut now.
    pub fn crash_image(&self, tail: &Tail) -> Vec<u8> {
        let d = self.disk();
        let mut image = d.durable.clone();
        match tail {
            Tail::Garbage(g) => image.extend_from_slice(g),
            Tail::Zeros(n) => image.resize(image.len() + n, 0),
            Tail::Written { keep, zeros } => {
                let pending = d.pending();
                image.extend_from_slice(&pending[..(*keep).min(pending.len())]);
                image.resize(image.len() + zeros, 0);
            }
        }
        image
    }

    /// A new process on the same machine: the same cache, the same disk, and
    /// no faults or power cut pending.
    pub fn restarted(&self) -> SimFile {
        let d = self.disk();
        SimFile(Arc::new(Mutex::new(Disk {
            data: d.data.clone(),
            durable: d.durable.clone(),
            dropped: d.dropped.clone(),
            unsynced: d.unsynced.clone(),
            ..Disk::default()
        })))
    }

    /// The machine after the power is cut now and it boots again: the crash
    /// image, and the note if one was written.
    pub fn rebooted(&self, tail: &Tail) -> SimFile {
        let sim = SimFile::with(&self.crash_image(tail));
        sim.disk().unsynced = self.disk().unsynced.clone();
        sim
    }

    /// Where the note says the unsaved bytes start, while there is one.
    pub fn unsynced(&self) -> Option<u64> {
        self.disk().unsynced.as_ref().map(|n| n.offset)
    }
}

impl Disk {
    /// What was written since the last sync, as the disk would get it.
    fn pending(&self) -> Vec<u8> {
        if self.data.len() <= self.durable.len() || !self.data.starts_with(&self.durable) {
            return Vec::new();
        }
        let mut pending = self.data.clone();
        self.zero_dropped(&mut pending);
        pending.split_off(self.durable.len())
    }

    fn zero_dropped(&self, bytes: &mut [u8]) {
        if let Some(r) = &self.dropped {
            let end = r.end.min(bytes.len());
            if r.start < end {
                bytes[r.start..end].fill(0);
            }
        }
    }

    /// Counts a mutating operation; the power cut and armed faults fire here.
    fn enter(&mut self, op: Op) -> Result<(), Stop> {
        if self.dead {
            return Err(Stop::Dead);
        }
        self.ops += 1;
        if self.power_fails_at == Some(self.ops) {
            self.dead = true;
            self.cut_during = Some(op);
            return Err(Stop::PowerCut);
        }
        if let Some(i) = self.faults.iter().position(|f| f.op == op && f.times > 0) {
            let fault = self.faults[i];
            self.faults[i].times = fault
                .times
                .saturating_sub(u32::from(fault.times != u32::MAX));
            self.faults_hit += 1;
            return Err(Stop::Fault(fault));
        }
        Ok(())
    }

    fn sync(&mut self) {
        let mut durable = self.data.clone();
        self.zero_dropped(&mut durable);
        self.durable = durable;
    }

    fn sync_failed(&mut self) {
        // Linux marks the dirty pages clean after reporting the error.
        if self.data.len() > self.durable.len() {
            let start = self
                .dropped
                .as_ref()
                .map_or(self.durable.len(), |r| r.start.min(self.durable.len()));
            self.dropped = Some(start..self.data.len());
        }
    }
}

enum Stop {
    Dead,
    PowerCut,
    Fault(Fault),
}

impl JournalFile for SimFile {
    fn present(&mut self) -> io::Result<bool> {
        Ok(true)
    }

    fn lock(&self) -> io::Result<()> {
        let mut d = self.disk();
        if d.dead {
            return Err(gone());
        }
        d.locked = true;
        Ok(())
    }

    fn try_lock_shared(&self) -> io::Result<bool> {
        let d = self.disk();
        if d.dead {
            return Err(gone());
        }
        Ok(!d.locked)
    }

    fn unlock(&self) -> io::Result<()> {
        self.disk().locked = false;
        Ok(())
    }

    fn size(&self) -> io::Result<u64> {
        let d = self.disk();
        if d.dead {
            return Err(gone());
        }
        Ok(d.data.len() as u64)
    }

    fn read_range(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        let d = self.disk();
        if d.dead {
            return Err(gone());
        }
        let from = (offset as usize).min(d.data.len());
        let to = from.saturating_add(len).min(d.data.len());
        Ok(d.data[from..to].to_vec())
    }

    fn append(&self, bytes: &[u8]) -> io::Result<()> {
        let mut d = self.disk();
        d.appended.push(bytes.to_vec());
        match d.enter(Op::Append) {
            Ok(()) => {
                d.data.extend_from_slice(bytes);
                Ok(())
            }
            Err(Stop::Dead) => Err(gone()),
            Err(Stop::PowerCut) => {
                let landed = d.tear % (bytes.len() + 1);
                d.data.extend_from_slice(&bytes[..landed]);
                Err(gone())
            }
            Err(Stop::Fault(f)) => {
                d.data.extend_from_slice(&bytes[..f.lands % bytes.len()]);
                Err(os(f.errno))
            }
        }
    }

    fn sync_data(&self) -> io::Result<()> {
        let mut d = self.disk();
        match d.enter(Op::SyncData) {
            Ok(()) => {
                d.sync();
                Ok(())
            }
            Err(Stop::Dead | Stop::PowerCut) => Err(gone()),
            Err(Stop::Fault(f)) => {
                d.sync_failed();
                Err(os(f.errno))
            }
        }
    }

    fn sync_all(&self) -> io::Result<()> {
        let mut d = self.disk();
        match d.enter(Op::SyncAll) {
            Ok(()) => {
                d.sync();
                Ok(())
            }
            Err(Stop::Dead | Stop::PowerCut) => Err(gone()),
            Err(Stop::Fault(f)) => {
                d.sync_failed();
                Err(os(f.errno))
            }
        }
    }

    fn set_len(&self, len: u64) -> io::Result<()> {
        let mut d = self.disk();
        match d.enter(Op::SetLen) {
            Ok(()) => {
                let len = len as usize;
                d.set_lens += 1;
                d.data.resize(len, 0);
                d.dropped = match d.dropped.take() {
                    Some(r) if r.start < len => Some(r.start..r.end.min(len)),
                    _ => None,
                };
                Ok(())
            }
            Err(Stop::Dead | Stop::PowerCut) => Err(gone()),
            Err(Stop::Fault(f)) => Err(os(f.errno)),
        }
    }

    fn keep_aside(&self, bytes: &[u8]) -> io::Result<PathBuf> {
        let mut d = self.disk();
        match d.enter(Op::KeepAside) {
            Ok(()) => {
                d.aside.push(bytes.to_vec());
                Ok(PathBuf::from(format!("sim/journal.torn-{}", d.aside.len())))
            }
            Err(Stop::Dead | Stop::PowerCut) => Err(gone()),
            Err(Stop::Fault(f)) => Err(os(f.errno)),
        }
    }

    fn unsynced_note(&self) -> io::Result<Option<UnsyncedNote>> {
        let d = self.disk();
        if d.dead {
            return Err(gone());
        }
        Ok(d.unsynced.clone())
    }

    fn mark_unsynced(&self, note: &UnsyncedNote) -> io::Result<()> {
        let mut d = self.disk();
        match d.enter(Op::Mark) {
            Ok(()) => {
                d.unsynced = Some(note.clone());
                Ok(())
            }
            Err(Stop::Dead | Stop::PowerCut) => Err(gone()),
            Err(Stop::Fault(f)) => Err(os(f.errno)),
        }
    }

    fn clear_unsynced(&self) -> io::Result<()> {
        let mut d = self.disk();
        match d.enter(Op::Unmark) {
            Ok(()) => {
                d.unsynced = None;
                Ok(())
            }
            Err(Stop::Dead | Stop::PowerCut) => Err(gone()),
            Err(Stop::Fault(f)) => Err(os(f.errno)),
        }
    }
}

/// The lines of `bytes` that end with a newline, without it.
pub fn complete_lines(bytes: &[u8]) -> Vec<&[u8]> {
    let end = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    bytes[..end]
        .split(|&b| b == b'\n')
        .take(bytes[..end].iter().filter(|&&b| b == b'\n').count())
        .collect()
}
