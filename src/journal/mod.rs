//! The append-only journal on disk and the session log beside it.
//!
//! `<dir>/journal.jsonl` holds one JSON object a line, `seq` 1, 2, 3… with no
//! gaps. It is the single source of truth, so this module is strict: a line
//! that a crash cannot explain stops everything and nothing is rewritten. The
//! line type belongs to the domain; here it is any [`JournalLine`].
//!
//! Several processes share one journal. Writers append under an exclusive
//! `flock` and sync before unlocking; readers take a shared lock when they can
//! get it at once, so they never see a line whose sync has not succeeded (a
//! failed sync is cut off again before the writer unlocks).
//!
//! A failed sync leaves bytes that reads show but the disk may never get, so
//! they must not outlive the writer's lock unmarked. When cutting them off
//! fails, again after a few tries, the writer leaves `journal.unsynced`
//! beside the journal before unlocking, holding the byte offset where they
//! start. While it is there every append refuses, every reader stops at that
//! offset, and the next read-write start-up cuts the bytes off (keeping them
//! aside as it keeps a torn tail), syncs, and only then removes the note.
//!
//! What that leaves unguarded:
//! - If the note cannot be written either, nothing on disk says the bytes are
//!   unsaved. The failing handle refuses to write and its error asks for the
//!   journal to be cut back by hand; until that, or until the page cache is
//!   dropped (an unmount or a reboot, after which the bytes show as a torn
//!   tail), other instances and a restarted gavel read them as saved.
//! - A read-only start-up that waited a second for the lock in vain reads
//!   without it, and may see a line in the moment between its write and the
//!   sync, or between a failed sync and the note.

mod error;
mod file;
mod lock;
mod note;
mod scan;
pub mod session_log;

use std::fmt;
use std::io;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

pub use error::{AppendError, BadLine, JournalError, Problem};
pub use file::{DiskFile, JournalFile, UNSYNCED_FILE};
pub use lock::{Holder, LockWait, Waiting};
pub use note::UnsyncedNote;
pub use session_log::SessionLog;

use scan::End;
pub use scan::Sink;

/// Tries at cutting back a failed write, and the pause before the second
/// (doubled each time): long enough to ride out a passing error, short
/// enough that others waiting on the lock barely notice.
const CUT_TRIES: u32 = 4;
const CUT_PAUSE: Duration = Duration::from_millis(10);

/// How much of the journal is read at once.
const PIECE: u64 = 1 << 20;

pub const JOURNAL_FILE: &str = "journal.jsonl";
/// The most one append writes. It bounds what start-up may take for the
/// unfinished end of an interrupted append and cut off: anything longer is
/// damage, and stops start-up instead.
pub const MAX_APPEND: usize = 256 * 1024;

/// What the journal reads in every line besides what it says: the format
/// version, `v`, which every line must carry, and the line's place in the
/// sequence. The line type owns its format, so it says which version it is;
/// the journal checks each line against that.
pub trait LineFormat {
    const VERSION: u8;
    fn seq(&self) -> u64;
}

/// What the journal can store: any serde type with a `v` and a `seq`, that
/// refuses fields it does not know (`#[serde(deny_unknown_fields)]`).
///
/// Start-up reads a line once, straight into the type, when the line begins
/// as gavel writes it. A line that does not read that way is read again more
/// closely, field by field, to say in plain words what is wrong with it. The
/// quick reading must never take a line that the close one refuses. It does
/// not, because the type reads every field of the line: a field the close
/// reading objects to (a second `v`, say) makes the quick reading fail too,
/// where a type that ignored unknown fields could skip it unread.
pub trait JournalLine: Serialize + DeserializeOwned + LineFormat + Send {}
impl<T: Serialize + DeserializeOwned + LineFormat + Send> JournalLine for T {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    ReadWrite,
    /// Writes nothing, not even a folder, and never holds the lock for long.
    ReadOnly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TornKind {
    /// The last line has no newline: the write was cut short.
    Unfinished,
    /// NUL bytes, as a power loss leaves when the size was saved before the data.
    ZeroFilled,
    /// Bytes past the offset in `journal.unsynced`: a save that failed and
    /// could not be cut off, however well they read.
    Unsaved,
}

impl fmt::Display for TornKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TornKind::Unfinished => "an unfinished line, as a crash while writing leaves",
            TornKind::ZeroFilled => "zero bytes, as a power loss leaves",
            TornKind::Unsaved => "bytes of a save that failed and could not be undone",
        })
    }
}

/// The end of the file that a crash left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TornTail {
    /// 1-based number of the first line cut.
    pub line: u64,
    /// Byte offset where it starts, which is the journal's length after the cut.
    pub offset: u64,
    pub bytes: u64,
    pub kind: TornKind,
    /// Where the cut bytes were saved; `None` when nothing was cut (read-only).
    pub kept_in: Option<PathBuf>,
}

impl fmt::Display for TornTail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (line, bytes, kind) = (self.line, self.bytes, self.kind);
        write!(
            f,
            "the journal ended in {kind} (line {line}, {bytes} bytes); "
        )?;
        match &self.kept_in {
            Some(p) => write!(f, "it was cut off and kept in {}", p.display()),
            None => f.write_str("it was left as it is (read-only)"),
        }
    }
}

/// What start-up had to repair.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recovery {
    pub torn: Option<TornTail>,
}

#[derive(Debug)]
pub struct Opened<T, F = DiskFile> {
    pub journal: Journal<T, F>,
    /// Every line in the file, in order.
    pub lines: Vec<T>,
    pub recovery: Recovery,
}

#[derive(Debug)]
pub struct Appended<T, W = Vec<T>> {
    /// Others' lines, handed to `decide` and to be applied before `written`.
    pub caught_up: Vec<T>,
    /// Our lines, now synced to disk, or what `synced` made of them.
    pub written: W,
    /// A torn tail a crashed writer left, cut off before writing after it.
    pub recovered: Option<TornTail>,
}

/// How far a journal is sound, as `verify` finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Soundness {
    /// Good lines from the start up to the first bad one or the torn tail.
    pub lines: u64,
    /// Every line in the file, counting an unfinished last one; in a file
    /// damaged by a line longer than one append, those before it.
    pub total_lines: u64,
    pub bytes: u64,
    pub last_seq: Option<u64>,
    pub torn: Option<TornTail>,
    pub bad: Option<BadLine>,
}

impl Soundness {
    pub fn is_sound(&self) -> bool {
        self.torn.is_none() && self.bad.is_none()
    }
}

/// Why a replay into a [`Sink`] stopped: the journal, or the sink.
#[derive(Debug)]
pub enum Stopped<E> {
    Journal(JournalError),
    Sink(E),
}

impl<E> From<JournalError> for Stopped<E> {
    fn from(e: JournalError) -> Stopped<E> {
        Stopped::Journal(e)
    }
}

impl Stopped<std::convert::Infallible> {
    fn into_journal(self) -> JournalError {
        match self {
            Stopped::Journal(e) => e,
            Stopped::Sink(never) => match never {},
        }
    }
}

/// A journal replayed into a sink, and what was repaired on the way.
pub type Replayed<T, F, E> = Result<(Journal<T, F>, Recovery), Stopped<E>>;

/// A sink that counts what it is given.
struct Counted<'a, S> {
    sink: &'a mut S,
    lines: u64,
}

impl<T, S: Sink<T>> Sink<T> for Counted<'_, S> {
    type Error = S::Error;

    fn expect(&mut self, last: u64) {
        self.sink.expect(last);
    }

    fn take(&mut self, line: T) -> Result<(), S::Error> {
        self.lines += 1;
        self.sink.take(line)
    }
}

/// One handle on a journal. Each handle has its own file descriptor, so two
/// handles in one process lock against each other like two processes.
#[derive(Debug)]
pub struct Journal<T, F = DiskFile> {
    file: F,
    state: State,
    _lines: PhantomData<fn() -> T>,
}

#[derive(Debug)]
struct State {
    path: PathBuf,
    mode: Mode,
    /// Bytes and lines this handle has read (or written) so far.
    offset: u64,
    lines: u64,
    /// Set when a failed write could not be undone.
    broken: Option<String>,
}

impl<T: JournalLine> Journal<T> {
    /// Opens `<dir>/journal.jsonl` and replays it: see the module notes.
    pub fn open(dir: &Path, mode: Mode) -> Result<Opened<T>, JournalError> {
        let path = dir.join(JOURNAL_FILE);
        let file = DiskFile::open(&path, mode).map_err(JournalError::io("open", &path))?;
        Journal::attach(file, path, mode)
    }
}

impl<T: JournalLine, F: JournalFile> Journal<T, F> {
    /// Replays `file` from the start. Read-write holds the exclusive lock while
    /// it cuts a torn tail; read-only only reports it.
    pub fn attach(file: F, path: PathBuf, mode: Mode) -> Result<Opened<T, F>, JournalError> {
        let mut lines = Vec::new();
        let (journal, recovery) =
            Journal::attach_each(file, path, mode, &mut lines).map_err(Stopped::into_journal)?;
        Ok(Opened {
            journal,
            lines,
            recovery,
        })
    }

    /// Replays `file` from the start into `sink`, line by line as they are
    /// read, so the lines are never all held at once.
    pub fn attach_each<S: Sink<T, Error: Send> + Send>(
        file: F,
        path: PathBuf,
        mode: Mode,
        sink: &mut S,
    ) -> Replayed<T, F, S::Error> {
        let state = State {
            path,
            mode,
            offset: 0,
            lines: 0,
            broken: None,
        };
        let mut journal = Journal {
            file,
            state,
            _lines: PhantomData,
        };
        let torn = match mode {
            Mode::ReadWrite => journal.replay_exclusive(sink)?,
            Mode::ReadOnly => journal.replay_shared(sink)?,
        };
        Ok((journal, Recovery { torn }))
    }

    fn replay_exclusive<S: Sink<T, Error: Send> + Send>(
        &mut self,
        sink: &mut S,
    ) -> Result<Option<TornTail>, Stopped<S::Error>> {
        let _held = Held::exclusive(&self.file).map_err(self.state.io("lock"))?;
        let unsynced = self.state.unsynced(&self.file)?;
        let torn = self
            .state
            .read_locked(&self.file, true, unsynced.as_ref(), sink)?;
        if unsynced.is_some() {
            // Only now that the cut is synced: without the note the unsaved
            // bytes would read as saved.
            self.file
                .clear_unsynced()
                .map_err(self.state.io("remove the unsaved-bytes note beside"))?;
        }
        Ok(torn)
    }

    fn replay_shared<S: Sink<T, Error: Send> + Send>(
        &mut self,
        sink: &mut S,
    ) -> Result<Option<TornTail>, Stopped<S::Error>> {
        if !self.file.present().map_err(self.state.io("open"))? {
            return Ok(None);
        }
        // Without the lock within a second, read anyway: a line being written
        // then only shows as a torn tail, which read-only leaves alone.
        let _held = Held::patiently_shared(&self.file).map_err(self.state.io("lock"))?;
        let unsynced = self.state.unsynced(&self.file)?;
        self.state
            .read_locked(&self.file, false, unsynced.as_ref(), sink)
    }

    /// Catches up with others under the exclusive lock, lets `decide` choose the
    /// new lines on that state, and writes them in one write followed by a sync.
    ///
    /// If the write or the sync fails, the file is cut back to its length before
    /// the write and that cut is synced before the lock is released. A failed
    /// sync cannot be retried (the kernel may already have dropped the pages and
    /// a later sync would succeed without them), so the bytes are never left in
    /// place; a successful sync of the cut file is what shows the journal holds
    /// exactly what earlier successful syncs made durable, and appends go on. If
    /// the cut or its sync fails every try, this handle refuses every later
    /// append and leaves `journal.unsynced` so that no other handle, and no
    /// restart, takes the bytes for saved (see the module notes).
    pub fn append<R>(
        &mut self,
        decide: impl FnOnce(&[T]) -> Result<Vec<T>, R>,
    ) -> Result<Appended<T>, AppendError<T, R>> {
        self.append_then(decide, |lines| lines)
    }

    /// As [`Journal::append`], where `decide` answers with its new lines and
    /// whatever else it worked out (`D` holds the lines), and `synced` is given
    /// that answer once the lines are durable, still under the lock: what it
    /// writes elsewhere (the session log) is then in the journal's order
    /// whatever other instances do. What `synced` returns is the `written`
    /// of the result.
    pub fn append_then<D: AsRef<[T]>, R, W>(
        &mut self,
        decide: impl FnOnce(&[T]) -> Result<D, R>,
        synced: impl FnOnce(D) -> W,
    ) -> Result<Appended<T, W>, AppendError<T, R>> {
        if self.state.mode == Mode::ReadOnly {
            return Err(AppendError::ReadOnly);
        }
        if let Some(why) = &self.state.broken {
            return Err(AppendError::Broken(why.clone()));
        }
        let held = Held::exclusive(&self.file).map_err(self.state.io("lock"))?;
        self.state.check_named(&self.file)?;
        if let Some(note) = self.state.unsynced(&self.file)? {
            return Err(AppendError::Broken(format!(
                "a note beside it, {UNSYNCED_FILE}, says its bytes from byte {} on \
                 were never saved",
                note.offset
            )));
        }
        let (caught_up, recovered) = self.state.read_all(&self.file, true, None)?;
        let decided = match decide(&caught_up) {
            Ok(decided) => decided,
            Err(reason) => return Err(AppendError::Refused { caught_up, reason }),
        };
        let lines = decided.as_ref();
        let buf = match encode(lines, self.state.lines + 1) {
            Ok(buf) => buf,
            Err((index, problem)) => {
                return Err(AppendError::Invalid {
                    caught_up,
                    index,
                    problem,
                });
            }
        };
        if let Err((source, rolled_back)) = self.state.write_locked(&self.file, &buf, lines.len()) {
            return Err(AppendError::Io {
                caught_up,
                source,
                rolled_back,
            });
        }
        let written = synced(decided);
        drop(held);
        Ok(Appended {
            caught_up,
            written,
            recovered,
        })
    }

    /// Lines others appended since this handle last read. A line still being
    /// written, or a writer holding the lock, just means "nothing yet": ask
    /// again later.
    pub fn poll(&mut self) -> Result<Vec<T>, JournalError> {
        if !self.file.present().map_err(self.state.io("open"))? {
            return Ok(Vec::new());
        }
        let Some(_held) = Held::try_shared(&self.file).map_err(self.state.io("lock"))? else {
            return Ok(Vec::new());
        };
        self.state.check_named(&self.file)?;
        let unsynced = self.state.unsynced(&self.file)?;
        Ok(self.state.read_all(&self.file, false, unsynced.as_ref())?.0)
    }

    /// A handle that replayed read-only becomes read-write: the folder and
    /// the file are created if missing. Nothing is cut or written yet; see
    /// [`Journal::repair`].
    pub fn make_writable(&mut self) -> Result<(), JournalError> {
        self.file.make_writable().map_err(self.state.io("open"))?;
        self.state.mode = Mode::ReadWrite;
        Ok(())
    }

    /// What a read-write start-up does, from where this read-write handle has
    /// read so far: under the exclusive lock, the unsaved bytes a note names,
    /// or a torn tail, are cut off and kept aside, and the lines appended
    /// since are read and returned.
    pub fn repair(&mut self) -> Result<(Vec<T>, Option<TornTail>), JournalError> {
        debug_assert_eq!(self.state.mode, Mode::ReadWrite, "repair needs to write");
        let mut lines = Vec::new();
        let torn = self
            .replay_exclusive(&mut lines)
            .map_err(Stopped::into_journal)?;
        Ok((lines, torn))
    }

    /// How long appends wait for the lock from now on.
    pub fn wait_for_lock(&mut self, wait: LockWait) {
        self.file.wait_for_lock(wait);
    }

    /// The seq of the last line this handle has read or written; 0 when empty.
    pub fn last_seq(&self) -> u64 {
        self.state.lines
    }

    pub fn path(&self) -> &Path {
        &self.state.path
    }

    pub fn mode(&self) -> Mode {
        self.state.mode
    }
}

impl State {
    fn io(&self, action: &'static str) -> impl FnOnce(io::Error) -> JournalError {
        JournalError::io(action, &self.path)
    }

    /// Where the unsaved bytes a note names start, once the journal is seen
    /// to agree with the note; a note it does not agree with stops everything,
    /// since believing it would cut lines whose save succeeded.
    fn unsynced<F: JournalFile>(&self, file: &F) -> Result<Option<UnsyncedNote>, JournalError> {
        let note = match file.unsynced_note() {
            Ok(Some(note)) => note,
            Ok(None) => return Ok(None),
            Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                return Err(self.bad_note(e.to_string()));
            }
            Err(e) => return Err(self.io("read the unsaved-bytes note beside")(e)),
        };
        let size = file.size().map_err(self.io("read"))?;
        let from = note.offset.min(size).saturating_sub(MAX_APPEND as u64 + 1);
        // The note's own check refuses more after it than one failed save
        // and one append; reading no further keeps a huge journal from being
        // read whole here.
        if size.saturating_sub(note.offset) > note.unsaved + MAX_APPEND as u64 {
            let why = format!(
                "{} bytes follow byte {}, far more than the {} the failed save wrote, so lines \
                 were added since",
                size - note.offset,
                note.offset,
                note.unsaved
            );
            return Err(self.bad_note(why));
        }
        let bytes = file
            .read_range(from, usize::try_from(size - from).unwrap_or(usize::MAX))
            .map_err(self.io("read"))?;
        if size < note.offset {
            let why = format!("it names byte {} of a journal of {size} bytes", note.offset);
            return Err(self.bad_note(why));
        }
        let end = usize::try_from(note.offset - from).map_or(bytes.len(), |n| n.min(bytes.len()));
        let (before, after) = bytes.split_at(end);
        note.check(before, after, self.offset)
            .map_err(|why| self.bad_note(why))?;
        // The line it names must also carry its seq, which only the reading
        // can tell: see `read_locked`.
        Ok(Some(note))
    }

    fn check_named<F: JournalFile>(&self, file: &F) -> Result<(), JournalError> {
        match file.still_named().map_err(self.io("look up"))? {
            true => Ok(()),
            false => Err(JournalError::Replaced {
                path: self.path.clone(),
            }),
        }
    }

    fn bad_note(&self, why: String) -> JournalError {
        JournalError::BadNote {
            note: crate::files::parent(&self.path).join(UNSYNCED_FILE),
            why,
        }
    }

    /// Reads what follows this handle's position, trusting nothing from
    /// `unsynced` on. `repair` (only under the exclusive lock) cuts a torn
    /// tail, or the untrusted bytes, after keeping it aside.
    fn read_all<T: JournalLine, F: JournalFile>(
        &mut self,
        file: &F,
        repair: bool,
        unsynced: Option<&UnsyncedNote>,
    ) -> Result<(Vec<T>, Option<TornTail>), JournalError> {
        let mut lines = Vec::new();
        let torn = self
            .read_locked(file, repair, unsynced, &mut lines)
            .map_err(Stopped::into_journal)?;
        Ok((lines, torn))
    }

    fn read_locked<T: JournalLine, F: JournalFile, S: Sink<T, Error: Send> + Send>(
        &mut self,
        file: &F,
        repair: bool,
        note: Option<&UnsyncedNote>,
        sink: &mut S,
    ) -> Result<Option<TornTail>, Stopped<S::Error>> {
        let unsynced = note.map(|n| n.offset);
        let size = file.size().map_err(self.io("read"))?;
        // Bytes before the note's offset had all been synced when it was
        // written, so a journal shorter than that was changed by something else.
        let known = self.offset.max(unsynced.unwrap_or(0));
        if size < known {
            return Err(Stopped::Journal(JournalError::Shrunk {
                path: self.path.clone(),
                read: known,
                found: size,
            }));
        }
        let trusted = unsynced.map_or(size, |at| at.min(size)).max(self.offset);
        let ahead = self.count_lines(file, self.offset, trusted)?;
        let mut counted = Counted { sink, lines: 0 };
        counted.expect(self.lines + ahead);
        let scanned = self.scan_range(file, self.offset, trusted, &mut counted)?;
        let lines = counted.lines;
        if let Some(note) =
            note.filter(|n| scanned.end == End::Clean && n.last_seq != self.lines + lines)
        {
            let why = format!(
                "it says line {} is the last one saved, but that is line {}",
                note.last_seq,
                self.lines + lines
            );
            return Err(Stopped::Journal(self.bad_note(why)));
        }
        let cut = match scanned.end {
            End::Clean if trusted < size => Some((
                self.lines + lines + 1,
                (trusted - self.offset) as usize,
                TornKind::Unsaved,
            )),
            End::Clean => None,
            End::Bad(bad) => {
                let path = self.path.clone();
                return Err(Stopped::Journal(JournalError::Damaged { path, bad }));
            }
            End::Torn { line, offset, kind } => Some((line, offset, kind)),
        };
        let torn = match cut {
            Some((line, offset, kind)) => {
                // To the end of the file, untrusted bytes included: an
                // unfinished line is at most one append, and what follows a
                // note was bounded by its check.
                let at = self.offset + offset as u64;
                let tail = file
                    .read_range(at, usize::try_from(size - at).unwrap_or(usize::MAX))
                    .map_err(self.io("read"))?;
                Some(self.torn_tail(file, &tail, at, line, kind, repair)?)
            }
            None => None,
        };
        self.offset += scanned.good_end as u64;
        self.lines += lines;
        Ok(torn)
    }

    /// Scans bytes `from..to` of the journal a piece at a time, each good
    /// line to `sink`: memory holds a piece and a line, not the journal.
    ///
    /// Past one piece, each piece's lines go to `sink` on a second thread
    /// while the next piece is read and parsed: parsing is about half of a
    /// replay and the sink's work (applying) about 40%, so this is what
    /// brings a replay of 1M events past 1M events/s (see the README's
    /// Performance section). Memory then holds three pieces' lines at most.
    /// A real meeting's journal (1–2 MB) gains a millisecond or two.
    fn scan_range<T: JournalLine, F: JournalFile, S: Sink<T, Error: Send> + Send>(
        &self,
        file: &F,
        from: u64,
        to: u64,
        sink: &mut S,
    ) -> Result<scan::Ended, Stopped<S::Error>> {
        if to - from <= PIECE {
            return self.scan_pieces(file, from, to, |scanner, piece| {
                scanner.feed(piece, sink).map_err(Stopped::Sink)
            });
        }
        thread::scope(|scope| {
            let (batches, inbox) = std::sync::mpsc::sync_channel::<Vec<T>>(1);
            let applier = scope.spawn(move || {
                for line in inbox.into_iter().flatten() {
                    sink.take(line)?;
                }
                Ok(())
            });
            let scanned = self.scan_pieces(file, from, to, |scanner, piece| {
                let mut batch = Vec::new();
                let Ok(bad) = scanner.feed(piece, &mut batch);
                // A send fails only once the sink has stopped on an error,
                // which the join below returns.
                batches.send(batch).map_err(|_| Stopped::Sink(()))?;
                Ok(bad)
            });
            drop(batches);
            match applier.join() {
                Ok(Err(stopped)) => Err(Stopped::Sink(stopped)),
                Ok(Ok(())) => scanned.map_err(|stopped| match stopped {
                    Stopped::Journal(e) => Stopped::Journal(e),
                    Stopped::Sink(()) => unreachable!("the sink took every line without an error"),
                }),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        })
    }

    /// Reads bytes `from..to` a piece at a time into `feed`, which gives
    /// each to a scanner, until the end or a damaged line.
    fn scan_pieces<F: JournalFile, E>(
        &self,
        file: &F,
        from: u64,
        to: u64,
        mut feed: impl FnMut(&mut scan::Scanner, &[u8]) -> Result<Option<scan::Ended>, Stopped<E>>,
    ) -> Result<scan::Ended, Stopped<E>> {
        let mut scanner = scan::Scanner::new(self.lines + 1);
        let mut at = from;
        while at < to {
            let want = usize::try_from((to - at).min(PIECE)).unwrap_or(PIECE as usize);
            let piece = file.read_range(at, want).map_err(self.io("read"))?;
            if piece.is_empty() {
                break;
            }
            at += piece.len() as u64;
            if let Some(bad) = feed(&mut scanner, &piece)? {
                return Ok(bad);
            }
        }
        Ok(scanner.finish())
    }

    /// How many line breaks bytes `from..to` hold, read a piece at a time,
    /// as far as the scan can get: it stops where a line runs on longer than
    /// one append writes, so a huge file of no lines is not read through.
    fn count_lines<F: JournalFile>(
        &self,
        file: &F,
        from: u64,
        to: u64,
    ) -> Result<u64, JournalError> {
        let (mut at, mut lines, mut since) = (from, 0, 0u64);
        while at < to && since <= MAX_APPEND as u64 {
            let want = usize::try_from((to - at).min(PIECE)).unwrap_or(PIECE as usize);
            let piece = file.read_range(at, want).map_err(self.io("read"))?;
            if piece.is_empty() {
                break;
            }
            at += piece.len() as u64;
            let mut last = None;
            for i in memchr::memchr_iter(b'\n', &piece) {
                lines += 1;
                last = Some(i);
            }
            since = match last {
                Some(i) => (piece.len() - i - 1) as u64,
                None => since + piece.len() as u64,
            };
        }
        Ok(lines)
    }

    fn torn_tail<F: JournalFile>(
        &self,
        file: &F,
        tail: &[u8],
        offset: u64,
        line: u64,
        kind: TornKind,
        repair: bool,
    ) -> Result<TornTail, JournalError> {
        let kept_in = if repair {
            let kept = file
                .keep_aside(tail)
                .map_err(self.io("keep the torn end of"))?;
            file.set_len(offset)
                .and_then(|()| file.sync_all())
                .map_err(self.io("cut the torn end of"))?;
            Some(kept)
        } else {
            None
        };
        let bytes = tail.len() as u64;
        Ok(TornTail {
            line,
            offset,
            bytes,
            kind,
            kept_in,
        })
    }

    /// The note for a save of `len` bytes after `before` that failed and
    /// could not be cut off, naming the last line saved.
    fn note_for_failed<F: JournalFile>(&self, file: &F, before: u64, buf: &[u8]) -> UnsyncedNote {
        let from = before.saturating_sub(MAX_APPEND as u64 + 1);
        // Unreadable now, the line cannot be named; the note then names
        // none, and start-up refuses it rather than cut in the wrong place.
        let bytes = file
            .read_range(from, (before - from) as usize)
            .unwrap_or_default();
        let end = usize::try_from(before - from).map_or(0, |n| n.min(bytes.len()));
        UnsyncedNote::after(&bytes[..end], before, self.lines, buf)
    }

    fn write_locked<F: JournalFile>(
        &mut self,
        file: &F,
        buf: &[u8],
        lines: usize,
    ) -> Result<(), (io::Error, bool)> {
        if buf.is_empty() {
            return Ok(());
        }
        let before = self.offset;
        if let Err(e) = file.append(buf).and_then(|()| file.sync_data()) {
            let Err(cut) = cut_back(file, before) else {
                return Err((e, true));
            };
            let note = self.note_for_failed(file, before, buf);
            return Err(match file.mark_unsynced(&note) {
                Ok(()) => {
                    self.broken = Some(format!(
                        "{e}; then, cutting it back: {cut}; {UNSYNCED_FILE} beside it now \
                         says where the unsaved bytes start"
                    ));
                    (e, false)
                }
                Err(note) => {
                    let by_hand = format!(
                        "cut {} back to {before} bytes before gavel is started again, or it \
                         will take the unsaved event for saved",
                        self.path.display()
                    );
                    self.broken = Some(format!(
                        "{e}; then, cutting it back: {cut}; then, noting it in \
                         {UNSYNCED_FILE}: {note}; {by_hand}"
                    ));
                    let told = format!(
                        "{e}; cutting it back failed too ({cut}), and so did noting beside \
                         the journal where the unsaved bytes start ({note}): {by_hand}"
                    );
                    (io::Error::new(e.kind(), told), false)
                }
            });
        }
        self.offset += buf.len() as u64;
        self.lines += lines as u64;
        Ok(())
    }
}

/// Cuts `file` back to `len` and syncs that. Unlike a failed sync of new
/// bytes, this may be tried again: once the cut is made no page past `len`
/// is wanted, so a sync that succeeds after one that failed loses nothing.
fn cut_back<F: JournalFile>(file: &F, len: u64) -> io::Result<()> {
    let mut pause = CUT_PAUSE;
    for _ in 1..CUT_TRIES {
        if file.set_len(len).and_then(|()| file.sync_all()).is_ok() {
            return Ok(());
        }
        thread::sleep(pause);
        pause *= 2;
    }
    file.set_len(len).and_then(|()| file.sync_all())
}

/// The new lines, each followed by a newline, checked to read back as the
/// lines that come next.
fn encode<T: JournalLine>(lines: &[T], first: u64) -> Result<Vec<u8>, (usize, Problem)> {
    let mut buf = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let start = buf.len();
        serde_json::to_writer(&mut buf, line)
            .map_err(|e| (index, Problem::NotEvent(e.to_string())))?;
        scan::check_new::<T>(&buf[start..], first + index as u64).map_err(|p| (index, p))?;
        buf.push(b'\n');
    }
    if buf.len() > MAX_APPEND {
        return Err((lines.len() - 1, Problem::AppendTooLarge(buf.len())));
    }
    Ok(buf)
}

/// A lock that is released however the holder leaves, a panic in `decide`
/// included. An unlock error is ignored: closing the file releases it anyway.
struct Held<'a, F: JournalFile>(&'a F);

impl<'a, F: JournalFile> Held<'a, F> {
    fn exclusive(file: &'a F) -> io::Result<Self> {
        file.lock()?;
        Ok(Held(file))
    }

    fn try_shared(file: &'a F) -> io::Result<Option<Self>> {
        Ok(file.try_lock_shared()?.then_some(Held(file)))
    }

    fn patiently_shared(file: &'a F) -> io::Result<Option<Self>> {
        for _ in 0..20 {
            if let Some(held) = Held::try_shared(file)? {
                return Ok(Some(held));
            }
            thread::sleep(Duration::from_millis(50));
        }
        Ok(None)
    }
}

impl<F: JournalFile> Drop for Held<'_, F> {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

/// Checks the journal at `path` (the `journal.jsonl` file) without changing
/// anything, and says how far it is sound.
pub fn verify<T: JournalLine>(path: &Path) -> Result<Soundness, JournalError> {
    let io = |action| JournalError::io(action, path);
    let mut file = DiskFile::open(path, Mode::ReadOnly).map_err(io("open"))?;
    if !file.present().map_err(io("open"))? {
        return Err(io("find")(io::ErrorKind::NotFound.into()));
    }
    let held = Held::patiently_shared(&file).map_err(io("lock"))?;
    let mut checker = State {
        path: path.to_owned(),
        mode: Mode::ReadOnly,
        offset: 0,
        lines: 0,
        broken: None,
    };
    let size = file.size().map_err(io("read"))?;
    let total = checker.count_lines(&file, 0, size)?;
    let unfinished = size > 0 && file.read_range(size - 1, 1).map_err(io("read"))? != b"\n";
    let note = checker.unsynced(&file)?;
    let mut last = LastSeq::default();
    let read = checker.read_locked::<T, _, _>(&file, false, note.as_ref(), &mut last);
    drop(held);
    let (torn, bad) = match read.map_err(Stopped::into_journal) {
        Ok(torn) => (torn, None),
        Err(JournalError::Damaged { bad, .. }) => (None, Some(bad)),
        Err(other) => return Err(other),
    };
    Ok(Soundness {
        lines: last.count,
        total_lines: total + u64::from(unfinished),
        bytes: size,
        last_seq: last.seq,
        torn,
        bad,
    })
}

/// Counts the lines it is given and keeps the last one's seq.
#[derive(Default)]
struct LastSeq {
    count: u64,
    seq: Option<u64>,
}

impl<T: LineFormat> Sink<T> for LastSeq {
    type Error = std::convert::Infallible;

    fn take(&mut self, line: T) -> Result<(), Self::Error> {
        self.count += 1;
        self.seq = Some(line.seq());
        Ok(())
    }
}

#[cfg(test)]
mod tests;
