//! The seam between the journal's logic and the file system. Everything the
//! journal does to the disk goes through [`JournalFile`], so a test can put a
//! file in its place that fails with EIO or ENOSPC, or forgets unsynced writes.

use std::fs::{self, DirBuilder, File, OpenOptions, Permissions, TryLockError};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, FileExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::Mode;

pub const DIR_MODE: u32 = 0o750;
pub const FILE_MODE: u32 = 0o640;
/// Far more torn tails in one second than any crash loop produces.
const MAX_ASIDE_SUFFIX: u32 = 1000;
/// Beside the journal while bytes at its end were never synced and could not
/// be cut off: see [`JournalFile::mark_unsynced`].
pub const UNSYNCED_FILE: &str = "journal.unsynced";

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
    /// Everything from `offset` to the end of the file.
    fn read_from(&self, offset: u64) -> io::Result<Vec<u8>>;
    /// Writes `bytes` at the end of the file in one call.
    fn append(&self, bytes: &[u8]) -> io::Result<()>;
    fn sync_data(&self) -> io::Result<()>;
    fn sync_all(&self) -> io::Result<()>;
    fn set_len(&self, len: u64) -> io::Result<()>;
    /// Saves a cut-off tail durably beside the journal, never over an existing
    /// file, and returns where.
    fn keep_aside(&self, bytes: &[u8]) -> io::Result<PathBuf>;

    /// The offset a [`JournalFile::mark_unsynced`] note holds, while it exists.
    ///
    /// The three note methods have defaults so that a file which keeps no
    /// notes (a test double) works as before: it never finds one, and writing
    /// one fails, which the journal handles as its last resort.
    fn unsynced_from(&self) -> io::Result<Option<u64>> {
        Ok(None)
    }

    /// Durably notes, beside the journal, that its bytes from `offset` on were
    /// never synced and could not be cut off. Reads still show those bytes, so
    /// without the note a restart would take them for saved.
    fn mark_unsynced(&self, offset: u64) -> io::Result<()> {
        let _ = offset;
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "this journal file cannot keep a note beside it",
        ))
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
}

impl DiskFile {
    /// Read-write creates the folder and the file; read-only creates nothing and
    /// accepts a file that does not exist yet.
    pub fn open(path: &Path, mode: Mode) -> io::Result<DiskFile> {
        let file = match mode {
            Mode::ReadWrite => Some(open_or_create(path)?),
            Mode::ReadOnly => open_existing(path)?,
        };
        Ok(DiskFile {
            path: path.to_owned(),
            file,
        })
    }

    fn file(&self) -> io::Result<&File> {
        self.file
            .as_ref()
            .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
    }
}

impl JournalFile for DiskFile {
    fn present(&mut self) -> io::Result<bool> {
        if self.file.is_none() {
            self.file = open_existing(&self.path)?;
        }
        Ok(self.file.is_some())
    }

    fn lock(&self) -> io::Result<()> {
        self.file()?.lock()
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

    fn read_from(&self, offset: u64) -> io::Result<Vec<u8>> {
        const MORE: usize = 64 * 1024;
        let file = self.file()?;
        // Read in place into a buffer the size of the file, and a little more
        // in case another instance appends meanwhile: a start-up reads the
        // whole journal, and copying it again as it grows would double that.
        let expected = file.metadata()?.len().saturating_sub(offset);
        let mut out = vec![0u8; usize::try_from(expected).unwrap_or(0) + MORE];
        let mut filled = 0;
        loop {
            if filled == out.len() {
                out.resize(filled + MORE, 0);
            }
            match file.read_at(&mut out[filled..], offset + filled as u64) {
                Ok(0) => {
                    out.truncate(filled);
                    return Ok(out);
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
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
        keep_aside(&self.path, bytes)
    }

    fn unsynced_from(&self) -> io::Result<Option<u64>> {
        read_note(&parent(&self.path).join(UNSYNCED_FILE))
    }

    fn mark_unsynced(&self, offset: u64) -> io::Result<()> {
        write_note(parent(&self.path), offset)
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

fn open_existing(path: &Path) -> io::Result<Option<File>> {
    match File::open(path) {
        Ok(file) => Ok(Some(file)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Opens `path` to read and append, creating it (0640) and its folder
/// (0750) if missing, durably.
pub(super) fn open_or_create(path: &Path) -> io::Result<File> {
    let dir = parent(path);
    ensure_dir(dir)?;
    let mut options = OpenOptions::new();
    options.read(true).append(true);
    match create_new(path, &mut options) {
        Ok(file) => {
            sync_dir(dir)?;
            Ok(file)
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => options.open(path),
        Err(e) => Err(e),
    }
}

/// Creates `path` with mode 0640 whatever the umask, failing if it exists.
/// The caller syncs the folder once the entry should be durable.
pub fn create_new(path: &Path, options: &mut OpenOptions) -> io::Result<File> {
    let file = options
        .clone()
        .create_new(true)
        .mode(FILE_MODE)
        .open(path)?;
    file.set_permissions(Permissions::from_mode(FILE_MODE))?;
    Ok(file)
}

/// Creates the meeting's folder (0750 whatever the umask) if it is missing,
/// leaving the modes of folders that already exist as their owner set them.
pub fn ensure_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let above = parent(dir);
    fs::create_dir_all(above)?;
    match DirBuilder::new().mode(DIR_MODE).create(dir) {
        Ok(()) => {
            fs::set_permissions(dir, Permissions::from_mode(DIR_MODE))?;
            sync_dir(above)
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// A new directory entry is only durable once its folder is synced.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

pub fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// `journal.torn-20170920T194210Z`, then `-2`, `-3`… if that name is taken.
fn keep_aside(journal: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
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
        match create_new(&path, &mut options) {
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

fn note_text(offset: u64) -> String {
    format!(
        "{offset}\n\
         The bytes of {journal} from byte {offset} on were never saved to the disk and \
         could not be cut off. The next gavel to start on this folder cuts them off, \
         keeps them aside and removes this file; until then nothing is recorded.\n",
        journal = super::JOURNAL_FILE,
    )
}

fn read_note(path: &Path) -> io::Result<Option<u64>> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let first = text.lines().next().unwrap_or_default().trim();
    match first.parse() {
        Ok(offset) => Ok(Some(offset)),
        Err(_) => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{} does not start with a byte offset; gavel cannot tell which bytes were saved",
                path.display()
            ),
        )),
    }
}

/// Written whole and synced under another name, then renamed: a note cut
/// short by a crash could name a smaller offset, and start-up would cut
/// saved lines at it. The rename cannot replace another note, since only
/// the holder of the journal's lock writes one, and only after finding none.
fn write_note(dir: &Path, offset: u64) -> io::Result<()> {
    let draft = dir.join(format!("{UNSYNCED_FILE}.new"));
    match fs::remove_file(&draft) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let mut file = create_new(&draft, OpenOptions::new().write(true))?;
    file.write_all(note_text(offset).as_bytes())?;
    file.sync_all()?;
    fs::rename(&draft, dir.join(UNSYNCED_FILE))?;
    sync_dir(dir)
}
