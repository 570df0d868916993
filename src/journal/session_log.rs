//! `<dir>/session.log`: one plain line per event for people who `tail -f` it,
//! e.g. `15:42:10 #0042 floor  France — … takes the floor (limit 3m)`.
//!
//! It is derived from the journal and written after it, so a crash can leave
//! it behind the journal but never ahead: [`SessionLog::last_seq`] tells the
//! caller from which seq to write it again. It is not synced for the same
//! reason.

use std::fs::File;
use std::io::{self, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::Duration;

use crate::files::{self, Folder};

pub const SESSION_LOG_FILE: &str = "session.log";

/// How often a follower looks for new lines.
const FOLLOW_EVERY: Duration = Duration::from_millis(150);
/// The most a follower reads at one look.
const FOLLOW_BITE: u64 = 1 << 20;

#[derive(Debug)]
pub struct SessionLog {
    file: File,
    path: PathBuf,
    modes: files::Modes,
    locker: super::lock::Locker,
    last_seq: Option<u64>,
}

/// A session log's lock is held for one write; a holder that keeps it longer
/// is stopped or hung, and the journal, which matters, must not wait on it.
/// What is not written then is written from the journal at the next write.
const LOCK_WAIT: Duration = Duration::from_secs(2);

impl SessionLog {
    /// Opens or creates (0640) `<dir>/session.log`. An unfinished last line, as
    /// a crash leaves, is cut off so the next line does not run into it; it is
    /// written again from the journal.
    pub fn open(dir: &Path) -> io::Result<SessionLog> {
        let path = dir.join(SESSION_LOG_FILE);
        let modes = match files::check_folder(dir, files::Access::Write)? {
            Folder::Safe(modes) => modes,
            Folder::Missing => return Err(io::ErrorKind::NotFound.into()),
        };
        let file = files::open_or_create(&path, modes)?;
        let mut log = SessionLog {
            file,
            path,
            modes,
            locker: super::lock::Locker::new(super::LockWait::at_most(LOCK_WAIT)),
            last_seq: None,
        };
        log.lock()?;
        let last = cut_unfinished(&log.file).and_then(|()| last_line(&log.file));
        let _ = log.file.unlock();
        log.last_seq = last?.as_deref().and_then(seq_of);
        Ok(log)
    }

    /// The file's lock, for [`LOCK_WAIT`] at most. A wait given up leaves a
    /// helper waiting on this descriptor, which would let go of the lock
    /// should it get it later, perhaps while this log holds it again; so the
    /// file is opened anew, and the old descriptor is the helper's alone.
    fn lock(&mut self) -> io::Result<()> {
        // Moved, replaced (an editor saving it) or deleted meanwhile: the log
        // is made from the journal, so a new one at the path is written on.
        if !files::same_file(&self.file, &self.path)? {
            self.file = files::open_or_create(&self.path, self.modes)?;
            self.locker = super::lock::Locker::new(super::LockWait::at_most(LOCK_WAIT));
        }
        match self.locker.lock(&self.file) {
            Ok(()) => Ok(()),
            Err(e) => {
                if let Ok(file) = files::open_or_create(&self.path, self.modes) {
                    self.file = file;
                    self.locker = super::lock::Locker::new(super::LockWait::at_most(LOCK_WAIT));
                }
                Err(io::Error::new(
                    e.kind(),
                    format!("{}: {e}", self.path.display()),
                ))
            }
        }
    }

    /// The `#0042` of the last line, if there is one.
    pub fn last_seq(&self) -> Option<u64> {
        self.last_seq
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `lines` in one write, each ending with a newline. Lines reach
    /// here sanitised; control characters are stripped again, so a slip
    /// elsewhere cannot put an escape sequence on a colleague's terminal.
    pub fn append(&mut self, lines: &[String]) -> io::Result<()> {
        if lines.is_empty() {
            return Ok(());
        }
        let mut buf = String::new();
        for line in lines {
            debug_assert!(
                !line.chars().any(char::is_control),
                "unsanitised session log line: {line:?}"
            );
            push_clean(&mut buf, line);
        }
        // Other instances append too; the lock keeps our line whole between theirs.
        self.lock()?;
        let written = (&self.file).write_all(buf.as_bytes());
        let _ = self.file.unlock();
        written?;
        if let Some(seq) = lines.iter().rev().find_map(|l| seq_of(l)) {
            self.last_seq = Some(seq);
        }
        Ok(())
    }
}

impl SessionLog {
    /// Appends those of `lines` (seq, text) that the file does not have yet,
    /// judged by the file's own last line under its lock, so a line another
    /// instance wrote meanwhile is neither lost nor written twice.
    pub fn write_missing(&mut self, lines: &[(u64, String)]) -> io::Result<()> {
        self.lock()?;
        let written = self.write_missing_locked(lines);
        let _ = self.file.unlock();
        written
    }

    fn write_missing_locked(&mut self, lines: &[(u64, String)]) -> io::Result<()> {
        let have = last_line(&self.file)?
            .as_deref()
            .and_then(seq_of)
            .unwrap_or(0);
        let mut buf = String::new();
        for (_, line) in lines.iter().filter(|(seq, _)| *seq > have) {
            push_clean(&mut buf, line);
        }
        (&self.file).write_all(buf.as_bytes())?;
        if let Some((seq, _)) = lines.last().filter(|(seq, _)| *seq > have) {
            self.last_seq = Some(*seq);
        }
        Ok(())
    }
}

/// The seq of the last finished line of `<dir>/session.log`, read without
/// creating, cutting or locking anything; `None` when there is no log or no
/// finished line in it.
pub fn last_logged(dir: &Path) -> io::Result<Option<u64>> {
    if files::check_folder(dir, files::Access::Read)? == Folder::Missing {
        return Ok(None);
    }
    let Some(file) = files::open_existing(&dir.join(SESSION_LOG_FILE))? else {
        return Ok(None);
    };
    let len = file.metadata()?.len();
    let Some(end) = find_back(&file, len, b'\n')? else {
        return Ok(None);
    };
    let start = find_back(&file, end, b'\n')?.map_or(0, |n| n + 1);
    let mut buf = vec![0u8; (end - start) as usize];
    file.read_exact_at(&mut buf, start)?;
    Ok(seq_of(&String::from_utf8_lossy(&buf)))
}

fn push_clean(buf: &mut String, line: &str) {
    buf.extend(line.chars().filter(|c| !c.is_control()));
    buf.push('\n');
}

fn cut_unfinished(file: &File) -> io::Result<()> {
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(());
    }
    let mut last = [0u8; 1];
    file.read_exact_at(&mut last, len - 1)?;
    if last[0] == b'\n' {
        return Ok(());
    }
    let keep = match find_back(file, len, b'\n')? {
        Some(newline) => newline + 1,
        None => 0,
    };
    file.set_len(keep)
}

/// The last complete line, read backwards from the end a block at a time.
fn last_line(file: &File) -> io::Result<Option<String>> {
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(None);
    }
    let start = find_back(file, len - 1, b'\n')?.map_or(0, |n| n + 1);
    let mut buf = vec![0u8; (len - 1 - start) as usize];
    file.read_exact_at(&mut buf, start)?;
    Ok(Some(String::from_utf8_lossy(&buf).into_owned()))
}

/// The offset of the last `byte` before `end`.
fn find_back(file: &File, end: u64, byte: u8) -> io::Result<Option<u64>> {
    let mut block = vec![0u8; 8192];
    let mut to = end;
    while to > 0 {
        let from = to.saturating_sub(block.len() as u64);
        let chunk = &mut block[..(to - from) as usize];
        file.read_exact_at(chunk, from)?;
        if let Some(i) = chunk.iter().rposition(|&b| b == byte) {
            return Ok(Some(from + i as u64));
        }
        to = from;
    }
    Ok(None)
}

/// `42` from `15:42:10 #0042 floor  …`.
fn seq_of(line: &str) -> Option<u64> {
    let (_, rest) = line.split_once(" #")?;
    let digits = rest.split(' ').next()?;
    digits.parse().ok()
}

/// Prints the log at `path` as it is now, a bounded piece at a time, and an
/// unfinished last line too.
pub fn print(path: &Path, out: &mut impl Write) -> io::Result<()> {
    let mut follower = Follower::new(path, true);
    loop {
        let before = follower.offset;
        follower.step(out)?;
        if follower.offset == before {
            break;
        }
    }
    if !follower.pending.is_empty() {
        let rest = String::from_utf8_lossy(&follower.pending);
        writeln!(out, "{}", crate::text::printable_line(&rest))?;
    }
    Ok(())
}

/// Prints the log at `path` (all of it if `from_start`, otherwise from its
/// current end), then each new complete line as it appears, until `stop` says
/// so. The file may not exist yet, and may be cut or replaced: then it is read
/// again from its start. What is printed is stripped of control characters, in
/// case someone edited the file by hand.
pub fn follow(
    path: &Path,
    from_start: bool,
    out: &mut impl Write,
    stop: &dyn Fn() -> bool,
) -> io::Result<()> {
    let mut follower = Follower::new(path, from_start);
    while !stop() {
        follower.step(out)?;
        out.flush()?;
        thread::sleep(FOLLOW_EVERY);
    }
    Ok(())
}

struct Follower<'a> {
    path: &'a Path,
    file: Option<(File, u64)>,
    offset: u64,
    /// Start at the end of the first file found, unless printing from the start.
    skip: bool,
    pending: Vec<u8>,
}

impl<'a> Follower<'a> {
    fn new(path: &'a Path, from_start: bool) -> Self {
        Follower {
            path,
            file: None,
            offset: 0,
            skip: !from_start,
            pending: Vec::new(),
        }
    }

    fn step(&mut self, out: &mut impl Write) -> io::Result<()> {
        if !self.same_file()? {
            return Ok(());
        }
        let Some((file, _)) = &self.file else {
            return Ok(());
        };
        let len = file.metadata()?.len();
        if len < self.offset {
            self.offset = 0;
            self.pending.clear();
        }
        // A bounded bite at a time: a log that grows without end (a hostile
        // writer) is printed as it comes, never held whole.
        let bite = (len - self.offset).min(FOLLOW_BITE);
        let mut buf = vec![0u8; bite as usize];
        file.read_exact_at(&mut buf, self.offset)?;
        self.offset += bite;
        self.pending.extend_from_slice(&buf);
        self.print_complete(out)
    }

    /// Keeps the open file while the path still names it; (re)opens otherwise.
    fn same_file(&mut self) -> io::Result<bool> {
        use std::os::unix::fs::MetadataExt;
        let on_disk = match std::fs::symlink_metadata(self.path) {
            Ok(m) => m.ino(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(self.file.is_some()),
            Err(e) => return Err(e),
        };
        if self.file.as_ref().is_some_and(|(_, ino)| *ino == on_disk) {
            return Ok(true);
        }
        let Some(file) = files::open_existing(self.path)? else {
            return Ok(self.file.is_some());
        };
        let ino = file.metadata()?.ino();
        self.offset = if self.skip { file.metadata()?.len() } else { 0 };
        self.skip = false;
        self.pending.clear();
        self.file = Some((file, ino));
        Ok(true)
    }

    fn print_complete(&mut self, out: &mut impl Write) -> io::Result<()> {
        let Some(end) = self.pending.iter().rposition(|&b| b == b'\n') else {
            // A line that never ends (a hand-made file) is printed in
            // pieces rather than held without bound.
            if self.pending.len() as u64 >= FOLLOW_BITE {
                let piece = String::from_utf8_lossy(&self.pending);
                writeln!(out, "{}", crate::text::printable_line(&piece))?;
                self.pending.clear();
            }
            return Ok(());
        };
        let text = String::from_utf8_lossy(&self.pending[..end]);
        for line in text.split('\n') {
            let clean: String = crate::text::printable_line(line);
            writeln!(out, "{clean}")?;
        }
        self.pending.drain(..=end);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seq_is_the_number_after_the_hash() {
        assert_eq!(
            seq_of("15:42:10 #0042 floor  France takes the floor"),
            Some(42)
        );
        assert_eq!(seq_of("15:42:10 #12345 note   x"), Some(12345));
        assert_eq!(seq_of("no number here"), None);
    }

    #[test]
    fn appended_lines_lose_control_characters() {
        let mut buf = String::new();
        push_clean(&mut buf, "a\x1b]0;t\x07b\u{9b}c\td\r");
        assert_eq!(buf, "a]0;tbcd\n");
    }

    #[test]
    fn follower_strips_escape_sequences_whole() {
        let mut f = Follower::new(Path::new("/nonexistent"), true);
        f.pending = b"a\x1b[31mb\r\nunfinished".to_vec();
        let mut out = Vec::new();
        f.print_complete(&mut out).unwrap();
        assert_eq!(out, b"ab\n", "no `[31m` residue either");
        assert_eq!(f.pending, b"unfinished");
    }
}
