//! `gavel store`: a PostgreSQL store made ready (`init`), and a meeting's
//! journal moved between stores (`copy`), verified event by event.

use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::args::LogDir;
use super::context::{load, meeting_dir};
use super::{Code, Failure, out};
use crate::store::copy::{self, End};
use crate::store::{Location, Place, migrate, postgres};

#[derive(Subcommand)]
pub enum StoreAction {
    /// Create or bring up to date gavel's tables in a PostgreSQL database (versioned migrations).
    Init {
        /// postgres://user@host:port/database
        #[arg(value_parser = super::args::Secret(super::args::store_url))]
        store: String,
    },
    /// Copy a meeting's journal from one store to another (`files` or a PostgreSQL URL), then
    /// read it back and compare it event by event.
    Copy {
        meeting: PathBuf,
        /// Where the journal is now: `files` or postgres://…
        #[arg(value_parser = super::args::Secret(super::args::store_location))]
        from: Location,
        /// Where it is copied to, which must hold none of this meeting's events yet.
        #[arg(value_parser = super::args::Secret(super::args::store_location))]
        to: Location,
        #[command(flatten)]
        log_dir: LogDir,
    },
}

pub(super) fn run(action: StoreAction) -> Result<(), Failure> {
    match action {
        StoreAction::Init { store } => init(&store),
        StoreAction::Copy {
            meeting,
            from,
            to,
            log_dir,
        } => copy_meeting(&meeting, &from, &to, &log_dir),
    }
}

fn init(url: &str) -> Result<(), Failure> {
    let shown = postgres::shown(url);
    let failed = |why: String| Failure::new(Code::Failure, format!("{shown}: {why}"));
    let mut client = postgres::connect(url).map_err(failed)?;
    let applied = migrate::init(&mut client).map_err(|e| failed(postgres::plain(&e)))?;
    if applied.is_empty() {
        out!("{shown}: up to date (schema version {})", migrate::LATEST);
    }
    for (version, name) in applied {
        out!("{shown}: applied migration {version}: {name}");
    }
    Ok(())
}

fn copy_meeting(
    path: &Path,
    from: &Location,
    to: &Location,
    log_dir: &LogDir,
) -> Result<(), Failure> {
    let loaded = load(path)?;
    let text = std::fs::read(path)
        .map_err(|e| Failure::new(Code::Usage, format!("cannot read {}: {e}", path.display())))?;
    let hash = postgres::file_hash(&text);
    let dir = meeting_dir(&loaded, log_dir)?;
    let id = loaded.meeting.id.as_str().to_string();
    let end = |at: &Location| match at {
        Location::Files => End::Folder(dir.clone()),
        Location::Postgres(url) => End::Postgres(Place {
            url: url.clone(),
            meeting: id.clone(),
        }),
    };
    let (from, to) = (end(from), end(to));
    if from.shown() == to.shown() {
        return Err(Failure::new(Code::Usage, "FROM and TO are the same store"));
    }
    let failed = |why: String| Failure::new(Code::Failure, why);
    let events = copy::read_all(&from, &hash).map_err(failed)?;
    let file = std::str::from_utf8(&text).ok();
    let copied = copy::copy(&events, &to, &hash, file).map_err(failed)?;
    out!(
        "copied {copied} event{} from {} to {}; each read back equal",
        if copied == 1 { "" } else { "s" },
        from.shown(),
        to.shown()
    );
    Ok(())
}
