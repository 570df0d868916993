//! The meeting file: TOML in, a validated `domain::Meeting` out.
//!
//! Every mistake in a file is reported at once, each as `file:line:col: message`
//! pointing at the offending key or value (or at the table that lacks a field), in
//! the order of the file. Only a TOML syntax error stops the reading early, since
//! nothing after it can be trusted to mean what it seems to.
//!
//! The shape, documented field by field in [`template`]:
//!
//! ```toml
//! [meeting]            # id, title, venue, room, date, start, end, timezone; log_dir, warn_before, bell
//! [[roster]]           # id, delegation, level, role; representative, title, aliases
//! [[segment]]          # id, title, speaking_limit; ordering, chairs, speakers  (one or more)
//! [seating]            # rows, seats_per_row; blocked, per_delegation
//! ```

mod check;
pub(crate) use check::is_id;
mod duration;
pub mod settings;

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

pub use duration::{DurationError, parse_duration};

use crate::domain::Meeting;

/// One finding in a meeting file; line and column are 1-based, the column in characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.col, self.message
        )
    }
}

impl std::error::Error for Diagnostic {}

/// A meeting file that passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub meeting: Meeting,
    /// `log_dir` from the file, joined to the meeting file's folder when relative.
    pub log_dir: Option<PathBuf>,
    /// `store` from the file: where the journal is kept, when not in files.
    pub store: Option<crate::store::Location>,
}

/// Checks `text`, the content of the meeting file `file` (the name used in
/// diagnostics) that lives in `folder` (what a relative `log_dir` is resolved against).
pub fn parse(text: &str, file: &str, folder: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    check::check(text, file, folder)
}

/// Far more than any meeting needs (a roster of every delegation and 100,000
/// seats is a few megabytes), and little enough to read at once.
const MAX_MEETING_FILE: u64 = 64 << 20;

/// Reads and checks the meeting file at `path`.
pub fn load(path: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    let file = path.display().to_string();
    let whole_file = |message: String| {
        vec![Diagnostic {
            file: file.clone(),
            line: 1,
            col: 1,
            message,
        }]
    };
    let bytes = crate::files::read_named(path, MAX_MEETING_FILE)
        .map_err(|e| whole_file(read_failure(&e)))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        // Columns count characters, as everywhere else in the file's diagnostics.
        let col = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
        vec![Diagnostic {
            file: file.clone(),
            line,
            col,
            message: "this byte is not UTF-8 text; save the file as UTF-8".to_string(),
        }]
    })?;
    let folder = path.parent().unwrap_or(Path::new(""));
    parse(&text, &file, folder)
}

fn read_failure(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => {
            "cannot read the meeting file: there is no such file".to_string()
        }
        io::ErrorKind::PermissionDenied => {
            "cannot read the meeting file: permission denied".to_string()
        }
        io::ErrorKind::IsADirectory => {
            "cannot read the meeting file: it is a folder, not a file".to_string()
        }
        _ => format!("cannot read the meeting file: {e}"),
    }
}

/// A commented meeting file for `gavel init`: every field explained, with a small
/// fictional meeting filled in so that it runs as it is.
pub fn template() -> &'static str {
    include_str!("template.toml")
}

#[cfg(test)]
mod tests;
