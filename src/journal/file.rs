//! The seam between the journal's logic and the file system. Everything the
//! journal does to the disk goes through [`JournalFile`], so a test can put a
//! file in its place that fails with EIO or ENOSPC, or forgets unsynced writes.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use super::Mode;
use super::lock::{LockWait, Locker};
use super::note::UnsyncedNote;
use crate::files::{self, Access, Folder, Modes, create_new, parent, sync_dir};
/// Far more torn tails in one second than any crash loop produces.
const MAX_ASIDE_SUFFIX: u32 = 1000;
/// Beside the journal while bytes at its end were never synced and could not
/// be cut off: see [`JournalFile::mark_unsynced`].
pub const UNSYNCED_FILE: &str = "journal.unsynced";
/// A note is a few lines; anything longer was not written by gavel.
const NOTE_LIMIT: u64 = 4096;

/// The operations the journal needs from its file. All take `&self` so that a
/// held lock can borrow the file while the journal updates its own position.
pub trait JournalFile {
    /// Whether the file exists; a read-only handle opens it here once it appears.
    fn present(&mut self) -> io::Result<bool>;
    fn lock(&self) -> io::Result<()>;
    /// `Ok(false)` when a writer holds the lock.
    fn try_lock_shared(&self) -> io::Result<bool>;
    fn unlock(&self) -> io::Result<()>;
    fn size(&self) -> io::Result<u64>;
    /// At most `len` bytes from `offset`: fewer only at the end of the file.
    /// The journal is read this way a piece at a time, never whole.
    fn read_range(&self, offset: u64, len: usize) -> io::Result<Vec<u8>>;
    /// Writes `bytes` at the end of the file in one call.
    fn append(&self, bytes: &[u8]) -> io::Result<()>;
    fn sync_data(&self) -> io::Result<()>;
    fn sync_all(&self) -> io::Result<()>;
    fn set_len(&self, len: u64) -> io::Result<()>;
    /// Saves a cut-off tail durably beside the journal, never over an existing
    /// file, and returns where.
    fn keep_aside(&self, bytes: &[u8]) -> io::Result<PathBuf>;

    /// The note [`JournalFile::mark_unsynced`] left, while it exists. One
    /// that does not read as gavel writes it is an `InvalidData` error.
    ///
    /// The three note methods have defaults so that a file which keeps no
    /// notes (a test double) works as before: it never finds one, and writing
    /// one fails, which the journal handles as its last resort.
    fn unsynced_note(&self) -> io::Result<Option<UnsyncedNote>> {
        Ok(None)
    }

    /// Durably notes, beside the journal, that its bytes from `note.offset` on
    /// were never synced and could not be cut off. Reads still show those
    /// bytes, so without the note a restart would take them for saved.
    fn mark_unsynced(&self, note: &UnsyncedNote) -> io::Result<()> {
        let _ = note;
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "this journal file cannot keep a note beside it",
        ))
    }

    /// Whether the journal's path still names the file this handle has open.
    /// A journal moved, replaced or deleted under a running gavel would take
    /// its saves into a file no one reads. A file with no path (a test
    /// double) always is.
    fn still_named(&self) -> io::Result<bool> {
        Ok(true)
    }

    /// Makes a file opened to read ready to be written, creating it (and its
    /// folder) if missing. A file that is always writable (a test double)
    /// has nothing to do.
    fn make_writable(&mut self) -> io::Result<()> {
        Ok(())
    }

    /// How long [`JournalFile::lock`] waits from now on; a file whose lock
    /// never waits (a test double) ignores it.
    fn wait_for_lock(&mut self, wait: LockWait) {
        let _ = wait;
    }

    /// Removes the note durably, once the bytes it names are cut off for good.
    fn clear_unsynced(&self) -> io::Result<()> {
        Ok(())
    }
}

/// The journal file on a real disk.
#[derive(Debug)]
pub struct DiskFile {
    path: PathBuf,
    file: Option<File>,
    writable: bool,
    modes: Modes,
    locker: Locker,
}

impl DiskFile {
    /// Read-write creates the folder and the file; read-only creates nothing and
    /// accepts a file that does not exist yet. Either way the meeting folder
    /// must be one no other user can change (see [`files::check_folder`]).
    pub fn open(path: &Path, mode: Mode) -> io::Result<DiskFile> {
        let dir = parent(path);
        let (file, modes) = match (mode, files::check_folder(dir, access(mode))?) {
            (Mode::ReadWrite, folder) => {
                let (file, modes) = open_to_write(path, folder)?;
                (Some(file), modes)
            }
            (Mode::ReadOnly, Folder::Missing) => (None, Modes::default()),
            (Mode::ReadOnly, Folder::Safe(modes)) => (files::open_existing(path)?, modes),
        };
        Ok(DiskFile {
            path: path.to_owned(),
            file,
            writable: mode == Mode::ReadWrite,
            modes,
            locker: Locker::default(),
        })
    }

    /// How long this handle waits for the exclusive lock, and who is told.
    pub fn waiting(mut self, wait: LockWait) -> DiskFile {
        self.locker.wait = wait;
        self
    }

    fn file(&self) -> io::Result<&File> {
        self.file
            .as_ref()
            .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
    }
}

impl JournalFile for DiskFile {
    fn present(&mut self) -> io::Result<bool> {
        if self.file.is_none()
            && files::check_folder(parent(&self.path), Access::Read)? != Folder::Missing
        {
            self.file = files::open_existing(&self.path)?;
        }
        Ok(self.file.is_some())
    }

    fn lock(&self) -> io::Result<()> {
        self.locker.lock(self.file()?)
    }

    fn try_lock_shared(&self) -> io::Result<bool> {
        match self.file()?.try_lock_shared() {
            Ok(()) => Ok(true),
            Err(TryLockError::WouldBlock) => Ok(false),
            Err(TryLockError::Error(e)) => Err(e),
        }
    }

    fn unlock(&self) -> io::Result<()> {
        self.file()?.unlock()
    }

    fn size(&self) -> io::Result<u64> {
        Ok(self.file()?.metadata()?.len())
    }

    fn read_range(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        let file = self.file()?;
        let mut out = vec![0u8; len];
        let mut filled = 0;
        while filled < out.len() {
            match file.read_at(&mut out[filled..], offset + filled as u64) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        out.truncate(filled);
        Ok(out)
    }

    fn append(&self, bytes: &[u8]) -> io::Result<()> {
        // Opened with O_APPEND, so this lands at the end even after a cut.
        let mut file = self.file()?;
        file.write_all(bytes)
    }

    fn sync_data(&self) -> io::Result<()> {
        self.file()?.sync_data()
    }

    fn sync_all(&self) -> io::Result<()> {
        self.file()?.sync_all()
    }

    fn set_len(&self, len: u64) -> io::Result<()> {
        self.file()?.set_len(len)
    }

    fn keep_aside(&self, bytes: &[u8]) -> io::Result<PathBuf> {
        keep_aside(&self.path, bytes, self.modes)
    }

    fn make_writable(&mut self) -> io::Result<()> {
        if self.writable {
            return Ok(());
        }
        let folder = files::check_folder(parent(&self.path), Access::Write)?;
        let (file, modes) = open_to_write(&self.path, folder)?;
        self.file = Some(file);
        self.modes = modes;
        self.writable = true;
        Ok(())
    }

    fn wait_for_lock(&mut self, wait: LockWait) {
        self.locker.wait = wait;
    }

    fn still_named(&self) -> io::Result<bool> {
        let Some(file) = &self.file else {
            return Ok(true);
        };
        files::same_file(file, &self.path)
    }

    fn unsynced_note(&self) -> io::Result<Option<UnsyncedNote>> {
        read_note(&parent(&self.path).join(UNSYNCED_FILE))
    }

    fn mark_unsynced(&self, note: &UnsyncedNote) -> io::Result<()> {
        write_note(parent(&self.path), note, self.modes)
    }

    fn clear_unsynced(&self) -> io::Result<()> {
        let dir = parent(&self.path);
        match fs::remove_file(dir.join(UNSYNCED_FILE)) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        // Even when it was already gone: an earlier removal may not have
        // reached the disk, and a note back after a power cut would cut lines
        // saved since.
        sync_dir(dir)
    }
}

fn access(mode: Mode) -> Access {
    match mode {
        Mode::ReadWrite => Access::Write,
        Mode::ReadOnly => Access::Read,
    }
}

/// The journal opened to read and append, in a folder found safe to write in
/// or created now, and created if missing.
fn open_to_write(path: &Path, folder: Folder) -> io::Result<(File, Modes)> {
    let modes = match folder {
        Folder::Safe(modes) => modes,
        Folder::Missing => {
            let dir = parent(path);
            files::create_dirs(dir)?;
            safe_modes(dir)?
        }
    };
    Ok((files::open_or_create(path, modes)?, modes))
}

/// The modes of a folder just created, which must pass the same check as one
/// found (a folder created inside a foreign one, say).
fn safe_modes(dir: &Path) -> io::Result<Modes> {
    match files::check_folder(dir, Access::Write)? {
        Folder::Safe(modes) => Ok(modes),
        Folder::Missing => Err(io::ErrorKind::NotFound.into()),
    }
}

/// `journal.torn-20170920T194210Z`, then `-2`, `-3`… if that name is taken.
fn keep_aside(journal: &Path, bytes: &[u8], modes: Modes) -> io::Result<PathBuf> {
    let dir = parent(journal);
    let stamp = jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    let base = format!("journal.torn-{stamp}");
    let mut options = OpenOptions::new();
    options.write(true);
    for n in 1..=MAX_ASIDE_SUFFIX {
        let name = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        let path = dir.join(name);
        match create_new(&path, &options, modes.file) {
            Ok(mut file) => {
                file.write_all(bytes)?;
                file.sync_all()?;
                sync_dir(dir)?;
                return Ok(path);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("{MAX_ASIDE_SUFFIX} files named {base} already exist"),
    ))
}

fn read_note(path: &Path) -> io::Result<Option<UnsyncedNote>> {
    let Some(file) = files::open_existing(path)? else {
        return Ok(None);
    };
    let mut text = String::new();
    file.take(NOTE_LIMIT).read_to_string(&mut text)?;
    UnsyncedNote::parse(&text)
        .map(Some)
        .map_err(|why| io::Error::new(io::ErrorKind::InvalidData, why))
}

/// Written whole and synced under another name, then renamed, so that a
/// crash cannot leave half a note. The rename cannot replace another note,
/// since only the holder of the journal's lock writes one, and only after
/// finding none.
fn write_note(dir: &Path, note: &UnsyncedNote, modes: Modes) -> io::Result<()> {
    let draft = dir.join(format!("{UNSYNCED_FILE}.new"));
    match fs::remove_file(&draft) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let mut file = create_new(&draft, OpenOptions::new().write(true), modes.file)?;
    file.write_all(note.to_text(super::JOURNAL_FILE).as_bytes())?;
    file.sync_all()?;
    fs::rename(&draft, dir.join(UNSYNCED_FILE))?;
    sync_dir(dir)
}
