//! Start-up cost: a journal of 1k to 1M events read and folded into the state.
//!
//! - `parse`: journal bytes to entries, through the journal's own reader (an
//!   in-memory file stands in for the disk);
//! - `apply`: entries already parsed, folded into a fresh state;
//! - `fold`: both, every line held before the first is applied;
//! - `stream`: each line applied as the journal hands it over (past one
//!   1 MiB piece, on a second thread while the next piece is parsed), which
//!   is what a start-up costs before any I/O;
//! - `open`: `Live::open` on a real file, read-write, with a session log that
//!   already has every line (a restart), and read-only (`gavel state`, the board).
//!
//! The state built is dropped outside the timing, since a start-up keeps it;
//! the parsed lines are dropped inside it, since a start-up drops them.
//!
//! Throughput is in events, so criterion prints events/s for each size: flat
//! figures across sizes mean the cost grows linearly.
//!
//! `cargo bench --bench replay`; `GAVEL_BENCH_SIZES=1000,10000` for fewer sizes,
//! or a criterion filter such as `cargo bench --bench replay -- fold`.

mod common;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use gavel::domain::{Entry, Meeting, State, apply};
use gavel::journal::{Journal, JournalFile, Mode, Sink};
use gavel::live::Live;

/// A journal file held in memory, read-only: replay never writes to it.
struct MemFile(Arc<Vec<u8>>);

fn read_only<T>() -> io::Result<T> {
    Err(io::Error::new(io::ErrorKind::Unsupported, "read-only"))
}

impl JournalFile for MemFile {
    fn present(&mut self) -> io::Result<bool> {
        Ok(true)
    }
    fn lock(&self) -> io::Result<()> {
        Ok(())
    }
    fn try_lock_shared(&self) -> io::Result<bool> {
        Ok(true)
    }
    fn unlock(&self) -> io::Result<()> {
        Ok(())
    }
    fn size(&self) -> io::Result<u64> {
        Ok(self.0.len() as u64)
    }
    fn read_range(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        let from = (offset as usize).min(self.0.len());
        Ok(self.0[from..from.saturating_add(len).min(self.0.len())].to_vec())
    }
    fn append(&self, _: &[u8]) -> io::Result<()> {
        read_only()
    }
    fn sync_data(&self) -> io::Result<()> {
        Ok(())
    }
    fn sync_all(&self) -> io::Result<()> {
        Ok(())
    }
    fn set_len(&self, _: u64) -> io::Result<()> {
        read_only()
    }
    fn keep_aside(&self, _: &[u8]) -> io::Result<PathBuf> {
        read_only()
    }
}

fn parse(bytes: &Arc<Vec<u8>>) -> Vec<Entry> {
    let opened = Journal::<Entry, MemFile>::attach(
        MemFile(bytes.clone()),
        PathBuf::from("journal.jsonl"),
        Mode::ReadOnly,
    )
    .expect("the journal reads");
    assert!(opened.recovery.torn.is_none());
    opened.lines
}

/// Applies each line as the journal hands it over, as a start-up does.
struct Folding(State);

impl Sink<Entry> for Folding {
    type Error = gavel::domain::Inconsistent;

    fn take(&mut self, entry: Entry) -> Result<(), Self::Error> {
        apply(&mut self.0, &entry)
    }
}

fn stream(meeting: &Arc<Meeting>, bytes: &Arc<Vec<u8>>) -> State {
    let mut folding = Folding(State::new(meeting.clone()));
    let (_, recovery) = Journal::<Entry, MemFile>::attach_each(
        MemFile(bytes.clone()),
        PathBuf::from("journal.jsonl"),
        Mode::ReadOnly,
        &mut folding,
    )
    .map_err(|_| "the journal reads and fits the meeting")
    .expect("replayed");
    assert!(recovery.torn.is_none());
    folding.0
}

fn fold(meeting: &Arc<Meeting>, entries: &[Entry]) -> State {
    let mut state = State::new(meeting.clone());
    for entry in entries {
        apply(&mut state, entry).expect("the journal fits the meeting");
    }
    state
}

fn sizes() -> Vec<usize> {
    std::env::var("GAVEL_BENCH_SIZES")
        .ok()
        .map(|s| {
            s.split(',')
                .map(|n| n.trim().parse().expect("a size"))
                .collect()
        })
        .unwrap_or_else(|| vec![1_000, 10_000, 100_000, 1_000_000])
}

/// Larger journals take seconds an iteration: fewer samples, as long as it takes.
fn tune(group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>, n: usize) {
    group.throughput(Throughput::Elements(n as u64));
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(if n >= 1_000_000 { 20 } else { 4 }));
}

fn journal_dir(root: &Path, bytes: &[u8], n: usize, meeting: &Arc<Meeting>) -> PathBuf {
    let dir = root.join(format!("m{n}"));
    std::fs::create_dir_all(&dir).expect("a folder");
    std::fs::write(dir.join("journal.jsonl"), bytes).expect("the journal");
    // The first read-write open writes the whole session log; those measured
    // after it are restarts, which find it complete.
    Live::open(meeting.clone(), &dir, Mode::ReadWrite).expect("first open");
    dir
}

fn replay(c: &mut Criterion) {
    let meeting = common::seed_meeting();
    let mut long = common::Long::new(&meeting);
    let root = tempfile::tempdir().expect("a temporary folder");
    for n in sizes() {
        let entries = long.first(n).to_vec();
        let bytes = Arc::new(common::jsonl(&entries));
        eprintln!(
            "{n} events, {} bytes ({} a line)",
            bytes.len(),
            bytes.len() / n
        );
        eprintln!("mix: {:?}", common::mix(&entries));
        let mut group = c.benchmark_group("replay");
        tune(&mut group, n);
        group.bench_function(BenchmarkId::new("parse", n), |b| b.iter(|| parse(&bytes)));
        // A start-up keeps the state it built: its drop is not timed.
        group.bench_function(BenchmarkId::new("apply", n), |b| {
            b.iter_with_large_drop(|| fold(&meeting, &entries))
        });
        group.bench_function(BenchmarkId::new("fold", n), |b| {
            b.iter_with_large_drop(|| fold(&meeting, &parse(&bytes)))
        });
        group.bench_function(BenchmarkId::new("stream", n), |b| {
            b.iter_with_large_drop(|| stream(&meeting, &bytes))
        });
        group.finish();
        drop(entries);

        let dir = journal_dir(root.path(), &bytes, n, &meeting);
        drop(bytes);
        let mut group = c.benchmark_group("open");
        tune(&mut group, n);
        group.bench_function(BenchmarkId::new("read_write", n), |b| {
            b.iter_with_large_drop(|| {
                Live::open(meeting.clone(), &dir, Mode::ReadWrite).expect("open")
            })
        });
        group.bench_function(BenchmarkId::new("read_only", n), |b| {
            b.iter_with_large_drop(|| {
                Live::open(meeting.clone(), &dir, Mode::ReadOnly).expect("open")
            })
        });
        group.finish();
        std::fs::remove_dir_all(&dir).expect("clean up");
    }
}

criterion_group!(benches, replay);
criterion_main!(benches);
