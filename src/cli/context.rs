//! What the subcommands share: the meeting file loaded, the meeting's folder,
//! its journal opened, the officer's name and settings, and the clock.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::args::LogDir;
use super::{Code, Failure, say};
use crate::config::{self, Loaded};
use crate::journal::{LockWait, Mode};
use crate::live::Live;
use crate::now::WallClock;
use crate::store::{Location, Place};
use crate::text::Clean;
use std::io::Write;

/// The longest operator name: it goes into every journal and session-log line.
const LONGEST_OPERATOR: usize = 64;

pub(super) fn load(path: &Path) -> Result<Loaded, Failure> {
    config::load(path).map_err(|diagnostics| {
        let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        Failure::new(
            Code::Usage,
            format!("{} has errors:\n{}", path.display(), lines.join("\n")),
        )
    })
}

/// `<log dir>/<meeting id>`: the flag or GAVEL_LOG_DIR, else the meeting file's
/// log_dir, else the user's data folder.
pub(super) fn meeting_dir(loaded: &Loaded, log_dir: &LogDir) -> Result<PathBuf, Failure> {
    let base = match (&log_dir.log_dir, &loaded.log_dir) {
        (Some(dir), _) | (None, Some(dir)) => dir.clone(),
        (None, None) => directories::ProjectDirs::from("org", "gavel", "gavel")
            .map(|d| d.data_dir().to_path_buf())
            .ok_or_else(|| {
                Failure::new(
                    Code::Failure,
                    "no home folder to keep logs in: pass --log-dir or set GAVEL_LOG_DIR",
                )
            })?,
    };
    Ok(base.join(loaded.meeting.id.as_str()))
}

/// Where the journal is kept: `--store` or GAVEL_STORE, else the meeting
/// file's `store`, else files.
pub(super) fn location(loaded: &Loaded, log_dir: &LogDir) -> Location {
    log_dir
        .store
        .clone()
        .or_else(|| loaded.store.clone())
        .unwrap_or_default()
}

/// How a meeting's journal is opened.
pub(super) enum How {
    Open(Mode),
    /// Read as read-only, written from the first command carried out.
    WriteLater(LockWait),
}

/// The meeting's journal opened where it is kept, and replayed.
pub(super) fn open_live(
    path: &Path,
    loaded: Loaded,
    log_dir: &LogDir,
    how: How,
) -> Result<Live, Failure> {
    let dir = meeting_dir(&loaded, log_dir)?;
    let at = location(&loaded, log_dir);
    let meeting = Arc::new(loaded.meeting);
    let live = match at {
        Location::Files => match how {
            How::Open(mode) => Live::open(meeting, &dir, mode),
            How::WriteLater(wait) => Live::open_write_later(meeting, &dir, wait),
        },
        Location::Postgres(url) => {
            let text = std::fs::read(path).map_err(|e| {
                Failure::new(Code::Usage, format!("cannot read {}: {e}", path.display()))
            })?;
            let place = Place {
                url,
                meeting: meeting.id.as_str().to_string(),
            };
            let hash = crate::store::postgres::file_hash(&text);
            let (mode, later) = match how {
                How::Open(mode) => (mode, false),
                How::WriteLater(_) => (Mode::ReadWrite, true),
            };
            Live::open_postgres(meeting, place, hash, &dir, mode, later).map(|mut live| {
                if let Ok(text) = String::from_utf8(text) {
                    live.keep_meeting_file(text);
                }
                live
            })
        }
    };
    Ok(live?)
}

/// Opens the journal and says what was found at its end.
pub(super) fn open(path: &Path, log_dir: &LogDir, mode: Mode) -> Result<Live, Failure> {
    let live = open_quietly(path, log_dir, mode)?;
    say_found(&live);
    Ok(live)
}

/// Opens without saying what was found at the end of the journal.
pub(super) fn open_quietly(path: &Path, log_dir: &LogDir, mode: Mode) -> Result<Live, Failure> {
    let loaded = load(path)?;
    open_live(path, loaded, log_dir, How::Open(mode))
}

/// What was found and mended on opening: a torn tail cut off, a session
/// log that cannot be written, an adjourned meeting's missing exports
/// written again.
pub(super) fn say_found(live: &Live) {
    for found in found(live) {
        say!("gavel: {found}");
    }
}

/// What [`say_found`] says, a sentence each.
pub(super) fn found(live: &Live) -> Vec<String> {
    let torn = live.recovery.torn.as_ref().map(ToString::to_string);
    let log = live.log_trouble.clone();
    let store = live.store_notice.clone();
    torn.into_iter()
        .chain(log)
        .chain(restored(live))
        .chain(store)
        .collect()
}

/// An adjourned meeting's missing exports, in words.
fn restored(live: &Live) -> Option<String> {
    Some(match live.restored.as_ref()? {
        Ok(files) => {
            let names: Vec<_> = files.iter().map(|f| f.display().to_string()).collect();
            format!(
                "the meeting was adjourned but its exports were missing; wrote {}",
                names.join(", ")
            )
        }
        Err(e) => format!("the meeting was adjourned but its exports are missing: {e}"),
    })
}

pub(super) fn clock() -> Result<WallClock, Failure> {
    WallClock::from_env().map_err(|e| Failure::new(Code::Usage, e))
}

/// The officer's settings, if any; a broken file stops with its reason.
pub(super) fn settings() -> Result<config::settings::Settings, Failure> {
    match config::settings::path() {
        Some(path) => config::settings::load(&path).map_err(|e| Failure::new(Code::Usage, e)),
        None => Ok(config::settings::Settings::default()),
    }
}

/// `NO_COLOR` with any non-empty value, as no-color.org asks.
pub(super) fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// `--operator`, else the settings file's, else `$USER`.
pub(super) fn operator(flag: Option<String>) -> Result<Clean, Failure> {
    let from_settings = || settings().map(|s| s.operator);
    let name = match flag {
        Some(name) => Some(name),
        None => from_settings()?,
    };
    let raw = name
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_default();
    let name = Clean::new(&raw);
    // A name that was given but cleans to nothing would record its actions
    // under no one's name: refused, not replaced.
    if name.is_empty() && !raw.trim().is_empty() {
        return Err(Failure::new(
            Code::Usage,
            format!(
                "the operator name {} is empty once invisible characters are removed: give a name that can be read",
                crate::text::quoted(&raw)
            ),
        ));
    }
    if name.as_str().chars().count() > LONGEST_OPERATOR {
        return Err(Failure::new(
            Code::Usage,
            format!("an operator name is at most {LONGEST_OPERATOR} characters"),
        ));
    }
    Ok(if name.is_empty() {
        Clean::new("officer")
    } else {
        name
    })
}
