//! Opening and creating files on a shared host, where another local user may
//! plant a symbolic link, a FIFO or a device where gavel expects its own file.
//!
//! Every file gavel writes is opened without following a symbolic link, must be
//! a regular file with one name, and is created with its documented mode
//! whatever the umask. Files that must be new are created exclusively; files
//! that replace others (the exports) are written under a temporary name and
//! renamed, which replaces a link rather than writing through it. Reading
//! checks the file is regular before it reads, so a FIFO cannot hang gavel and
//! a device cannot fill its memory.

use std::fs::{self, DirBuilder, File, OpenOptions, Permissions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// A folder gavel creates: the owner writes, the group reads.
pub const DIR_MODE: u32 = 0o750;
/// A folder gavel creates inside a shared one: the group writes too, and
/// what is made in it stays the group's.
pub const SHARED_DIR_MODE: u32 = 0o2770;
/// A file gavel creates in a folder of its owner's.
pub const FILE_MODE: u32 = 0o640;
/// A file gavel creates in a shared folder (group-writable, setgid), so that
/// the group's other officers can write it too.
pub const SHARED_FILE_MODE: u32 = 0o660;

/// Opening never waits on a FIFO (`O_NONBLOCK`; a regular file ignores it)
/// and never goes through a link at the last step of the path.
const SAFE_FLAGS: i32 = libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC;

/// The modes gavel gives what it creates in one folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Modes {
    pub file: u32,
}

impl Default for Modes {
    fn default() -> Modes {
        Modes { file: FILE_MODE }
    }
}

/// Opens an existing file to read; `None` when there is none.
pub fn open_existing(path: &Path) -> io::Result<Option<File>> {
    let mut options = OpenOptions::new();
    options.read(true);
    match open_checked(path, &options) {
        Ok(file) => Ok(Some(file)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Opens `path` to read and append, creating it with `modes` if missing; the
/// folder is synced when the file is new, so its name is durable.
pub fn open_or_create(path: &Path, modes: Modes) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).append(true);
    match create_new(path, &options, modes.file) {
        Ok(file) => {
            sync_dir(parent(path))?;
            Ok(file)
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => open_checked(path, &options),
        Err(e) => Err(e),
    }
}

/// Creates `path` with `mode` whatever the umask, failing if anything (a
/// link included) has that name already. The caller syncs the folder once
/// the name should be durable.
pub fn create_new(path: &Path, options: &OpenOptions, mode: u32) -> io::Result<File> {
    let file = options
        .clone()
        .create_new(true)
        .mode(mode)
        .custom_flags(SAFE_FLAGS)
        .open(path)
        .map_err(|e| explained(path, e))?;
    file.set_permissions(Permissions::from_mode(mode))?;
    Ok(file)
}

/// Opens an existing file with `options`, refusing links and anything that
/// is not a regular file with a single name.
fn open_checked(path: &Path, options: &OpenOptions) -> io::Result<File> {
    let file = options
        .clone()
        .custom_flags(SAFE_FLAGS)
        .open(path)
        .map_err(|e| explained(path, e))?;
    check_regular(path, &file.metadata()?)?;
    clear_nonblocking(&file)?;
    Ok(file)
}

fn check_regular(path: &Path, meta: &fs::Metadata) -> io::Result<()> {
    if !meta.is_file() {
        return Err(refused(
            path,
            &format!("is {}, not a regular file", kind_of(meta)),
        ));
    }
    if meta.nlink() > 1 {
        return Err(refused(
            path,
            "has other names (hard links): another user could read or change it through them",
        ));
    }
    Ok(())
}

/// Reads a file named by the officer (the meeting file, the settings), at most
/// `limit` bytes. A link is followed, since officers keep such files where
/// they like, but what it names must be a regular file.
pub fn read_named(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(io::ErrorKind::IsADirectory.into());
    }
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("it is {}, not a regular file", kind_of(&meta)),
        ));
    }
    if meta.len() > limit {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "it holds {} bytes, more than the {limit} gavel reads",
                meta.len()
            ),
        ));
    }
    clear_nonblocking(&file)?;
    let mut bytes = Vec::new();
    file.take(limit).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Writes `bytes` as `dir/name`, replacing what had that name (a link is
/// replaced, never followed): under a temporary name first, synced, then
/// renamed, so a reader sees the old file or the new one, whole.
pub fn write_replacing(dir: &Path, name: &str, bytes: &[u8], mode: u32) -> io::Result<PathBuf> {
    let path = dir.join(name);
    let draft = dir.join(draft_name(name, std::process::id()));
    let _ = fs::remove_file(&draft);
    let mut file = create_new(&draft, OpenOptions::new().write(true), mode)?;
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| fs::rename(&draft, &path));
    if let Err(e) = written {
        let _ = fs::remove_file(&draft);
        return Err(e);
    }
    sync_dir(dir)?;
    Ok(path)
}

/// The draft [`write_replacing`] writes `name` under, in process `pid`.
fn draft_name(name: &str, pid: u32) -> String {
    format!(".{name}.{pid}.new")
}

/// Removes drafts of `names` left in `dir` by processes that are gone (a
/// stop between writing a draft and renaming it). A running process's draft
/// is its own to finish.
pub fn remove_stale_drafts(dir: &Path, names: &[&str]) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name.to_str().and_then(|f| draft_of(f, names)) else {
            continue;
        };
        if !process_alive(pid) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The process whose draft of one of `names` `file_name` is, if it is one.
fn draft_of(file_name: &str, names: &[&str]) -> Option<u32> {
    names.iter().find_map(|name| {
        let rest = file_name.strip_prefix(&format!(".{name}."))?;
        let pid: u32 = rest.strip_suffix(".new")?.parse().ok()?;
        (draft_name(name, pid) == file_name).then_some(pid)
    })
}

fn process_alive(pid: u32) -> bool {
    let Ok(pid @ 1..) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // Signal 0 only asks whether the process exists; EPERM means it does,
    // under another account.
    // SAFETY: kill with signal 0 sends nothing and touches no memory.
    let sent = unsafe { libc::kill(pid, 0) };
    sent == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Writes a new file at `path`, failing if anything has that name.
pub fn write_new(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    let mut file = create_new(path, OpenOptions::new().write(true), mode)?;
    if let Err(e) = file.write_all(bytes).and_then(|()| file.sync_all()) {
        // Half a file would be taken for the whole one.
        let _ = fs::remove_file(path);
        return Err(e);
    }
    sync_dir(parent(path))
}

/// Whether `path` still names the open `file` (not a link, not another file).
pub fn same_file(file: &File, path: &Path) -> io::Result<bool> {
    let open = file.metadata()?;
    match fs::symlink_metadata(path) {
        Ok(named) => Ok(named.dev() == open.dev() && named.ino() == open.ino()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// A new directory entry is only durable once its folder is synced.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(dir)?
        .sync_all()
}

pub fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Creates `dir` and every missing folder above it with [`DIR_MODE`] whatever
/// the umask, or [`SHARED_DIR_MODE`] inside a shared folder, so that a
/// meeting begun in a group's folder stays the group's; folders that exist
/// keep the modes their owners gave them.
pub fn create_dirs(dir: &Path) -> io::Result<()> {
    match fs::symlink_metadata(dir) {
        Ok(_) => return Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let above = parent(dir);
    if above != dir {
        create_dirs(above)?;
    }
    let mode = match fs::metadata(above) {
        Ok(meta) if is_shared(meta.mode()) => SHARED_DIR_MODE,
        _ => DIR_MODE,
    };
    match DirBuilder::new().mode(mode).create(dir) {
        Ok(()) => {
            fs::set_permissions(dir, Permissions::from_mode(mode))?;
            sync_dir(above)
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Set up for a group to write in: group-writable, with the setgid bit so
/// that what is created in it belongs to the folder's group.
fn is_shared(mode: u32) -> bool {
    mode & 0o020 != 0 && mode & 0o2000 != 0
}

fn clear_nonblocking(file: &File) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: fcntl on a descriptor this function borrows, with no pointers.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: as above.
    if unsafe { libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

pub fn kind_of(meta: &fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        "a folder"
    } else if t.is_symlink() {
        "a symbolic link"
    } else if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else {
        "a regular file"
    }
}

fn refused(path: &Path, why: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("{} {why}; gavel leaves it alone", path.display()),
    )
}

/// `O_NOFOLLOW` answers a link with "too many levels of symbolic links",
/// which says nothing to an officer.
fn explained(path: &Path, e: io::Error) -> io::Error {
    if e.raw_os_error() == Some(libc::ELOOP) {
        return refused(
            path,
            "is a symbolic link; gavel never writes or reads its files through one, since \
             another user could point it at yours. Remove the link",
        );
    }
    e
}

/// What a meeting folder is to the officer, once it has been found safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folder {
    Missing,
    Safe(Modes),
}

/// What the officer will do in a meeting folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Reading someone else's meeting is fine: nothing is written, and all
    /// that is read is checked and sanitised.
    Read,
    /// Writing is only into a folder of the officer's or of a group of theirs.
    Write,
}

/// Checks that `dir`, a meeting's folder, is one that no one but its owner and
/// group can change: a real folder, not a link, never writable by everyone,
/// in a folder where no one else can rename it; and, to write in it, owned by
/// the officer or by one of the officer's groups. Says which modes files
/// created in it get: group-writable in a shared (setgid, group-writable)
/// folder, so the group's officers can all write them.
pub fn check_folder(dir: &Path, access: Access) -> io::Result<Folder> {
    let meta = match fs::symlink_metadata(dir) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            check_above(dir, access)?;
            return Ok(Folder::Missing);
        }
        Err(e) => return Err(e),
    };
    if !meta.is_dir() {
        return Err(unsafe_folder(
            dir,
            &format!("is {}, not a folder", kind_of(&meta)),
            "remove it, or give gavel another --log-dir",
        ));
    }
    let mode = meta.mode();
    if mode & 0o002 != 0 {
        return Err(unsafe_folder(
            dir,
            "can be written by every user of this host",
            &format!("chmod o-w {}", dir.display()),
        ));
    }
    let ours = meta.uid() == effective_uid();
    if access == Access::Write && !ours && !in_group(meta.gid()) {
        return Err(unsafe_folder(
            dir,
            &format!(
                "belongs to user {} and group {}, neither of them yours",
                meta.uid(),
                meta.gid()
            ),
            "use a folder of your own (--log-dir), or ask its owner to share it with a \
             group you are in, as the README's \"Several Unix accounts\" says",
        ));
    }
    check_above(dir, access)?;
    Ok(Folder::Safe(Modes {
        file: if is_shared(mode) {
            SHARED_FILE_MODE
        } else {
            FILE_MODE
        },
    }))
}

/// Every folder above the meeting folder, up to `/`: one that someone else
/// can rename things in lets them move the meeting folder away, or swap
/// another in between gavel's check and its next open. So each must belong
/// to root or the officer (to write), and one that others can write must
/// have the sticky bit, as `/tmp` has, under which only an entry's owner may
/// rename it. A folder writable by the officer's own primary group (a
/// private group, under a umask of 002) counts as the officer's.
pub fn check_above(dir: &Path, access: Access) -> io::Result<()> {
    let mut above = parent(dir).to_path_buf();
    // A folder still to be made: its nearest existing ancestor is checked.
    while !above.exists() {
        match above.parent() {
            Some(p) if !p.as_os_str().is_empty() => above = p.to_path_buf(),
            _ => return Ok(()),
        }
    }
    let real = fs::canonicalize(&above)?;
    for folder in real.ancestors() {
        check_one_above(folder, access)?;
    }
    Ok(())
}

fn check_one_above(folder: &Path, access: Access) -> io::Result<()> {
    let meta = fs::metadata(folder)?;
    let (mode, sticky) = (meta.mode(), meta.mode() & 0o1000 != 0);
    if mode & 0o002 != 0 && !sticky {
        return Err(unsafe_above(
            folder,
            "can be written by every user of this host, who could move or replace the \
             meeting folder in it",
            &format!("chmod o-w {} (or chmod +t)", folder.display()),
        ));
    }
    // SAFETY: getegid cannot fail and touches no memory.
    let own_group = meta.gid() == unsafe { libc::getegid() };
    if mode & 0o020 != 0 && !sticky && !own_group {
        return Err(unsafe_above(
            folder,
            &format!(
                "can be written by every member of group {}, who could move or replace the \
                 meeting folder in it",
                meta.gid()
            ),
            &format!("chmod +t {}", folder.display()),
        ));
    }
    if access == Access::Write && meta.uid() != 0 && meta.uid() != effective_uid() {
        return Err(unsafe_above(
            folder,
            &format!(
                "belongs to user {}, who could move or replace the meeting folder in it",
                meta.uid()
            ),
            "keep meetings in folders of your own or root's (--log-dir)",
        ));
    }
    Ok(())
}

fn unsafe_above(folder: &Path, why: &str, fix: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!(
            "the folder {}, above the meeting folder, {why}; gavel will not keep a meeting \
             under it. To fix it: {fix}",
            folder.display()
        ),
    )
}

fn unsafe_folder(dir: &Path, why: &str, fix: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!(
            "the meeting folder {} {why}, so another user could change what gavel keeps \
             there; gavel will not use it. To fix it: {fix}",
            dir.display()
        ),
    )
}

fn effective_uid() -> u32 {
    // SAFETY: geteuid cannot fail and touches no memory.
    unsafe { libc::geteuid() }
}

fn in_group(gid: u32) -> bool {
    // SAFETY: getegid cannot fail and touches no memory.
    if unsafe { libc::getegid() } == gid {
        return true;
    }
    // SAFETY: a size of 0 asks only for the count and writes nothing.
    let count = unsafe { libc::getgroups(0, std::ptr::null_mut()) };
    let Ok(len) = usize::try_from(count) else {
        return false;
    };
    let mut groups = vec![0 as libc::gid_t; len];
    // SAFETY: the buffer holds `count` entries, which is what is passed.
    let n = unsafe { libc::getgroups(count, groups.as_mut_ptr()) };
    usize::try_from(n).is_ok_and(|n| groups[..n.min(len)].contains(&gid))
}
