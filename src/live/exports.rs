//! Adjourning leaves the co-chairs' draft summary and the speaking-time
//! record beside the journal, written by whichever instance records it.

use std::path::{Path, PathBuf};

use crate::domain::{Phase, State};
use crate::files::{self, Access, Folder};

/// Writes the exports of `state` in the meeting's folder, each whole under a
/// temporary name and then renamed, with the journal's file mode: a link
/// planted under one of their names is replaced, never written through.
pub(super) fn write_beside(dir: &Path, state: &State) -> Result<Vec<PathBuf>, String> {
    let modes = match files::check_folder(dir, Access::Write) {
        Ok(Folder::Safe(modes)) => modes,
        Ok(Folder::Missing) => return Err(format!("{} is missing", dir.display())),
        Err(e) => return Err(e.to_string()),
    };
    let mut written = Vec::new();
    for (name, text) in crate::export::files(state) {
        let path = files::write_replacing(dir, name, text.as_bytes(), modes.file)
            .map_err(|e| format!("cannot write {}: {e}", dir.join(name).display()))?;
        written.push(path);
    }
    Ok(written)
}

/// An adjourned meeting's exports, written again when one is missing: the
/// instance that adjourned was stopped before it wrote them, and the journal
/// has all they say. Drafts such a stop left are cleared first.
pub(super) fn restore(dir: &Path, state: &State) -> Option<Result<Vec<PathBuf>, String>> {
    if state.phase != Phase::Adjourned {
        return None;
    }
    let names = crate::export::NAMES;
    files::remove_stale_drafts(dir, &names);
    let missing = names.iter().any(|name| {
        std::fs::symlink_metadata(dir.join(name))
            .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
    });
    missing.then(|| write_beside(dir, state))
}
