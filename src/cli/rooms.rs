//! `gavel rooms`: every meeting in a store or a log folder on one screen,
//! for meeting services, sorted by what needs attention.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::args::LogDir;
use super::context::{clock, load, meeting_dir};
use super::{Code, Failure};
use crate::config::Loaded;
use crate::journal::{JOURNAL_FILE, Mode};
use crate::live::Live;
use crate::status::room::{self, Room};
use crate::store::copy::{self, End};
use crate::store::{Location, Place, postgres};

/// Where meetings are looked for: a PostgreSQL URL or a log folder.
#[derive(Debug, Clone)]
enum Where {
    Store(String),
    Folder(PathBuf),
}

pub(super) fn rooms(
    places: &[String],
    meetings: &[PathBuf],
    log_dir: &LogDir,
    json: bool,
) -> Result<(), Failure> {
    let now = clock()?.now();
    let files: Vec<(PathBuf, Loaded)> = meetings
        .iter()
        .map(|p| load(p).map(|l| (p.clone(), l)))
        .collect::<Result<_, _>>()?;
    let wheres = wheres(places, log_dir, &files)?;
    let mut rooms = Vec::new();
    for at in &wheres {
        rooms.extend(in_place(at, &files, now)?);
    }
    room::sort(&mut rooms);
    if json {
        let text = serde_json::to_string_pretty(&rooms)
            .map_err(|e| Failure::new(Code::Failure, e.to_string()))?;
        println!("{text}");
    } else {
        print!("{}", table(&rooms));
    }
    Ok(())
}

/// The places given; none given, the store or log folder in force.
fn wheres(
    places: &[String],
    log_dir: &LogDir,
    files: &[(PathBuf, Loaded)],
) -> Result<Vec<Where>, Failure> {
    if !places.is_empty() {
        return Ok(places
            .iter()
            .map(|p| match Location::parse(p) {
                Ok(Location::Postgres(url)) => Where::Store(url),
                _ => Where::Folder(PathBuf::from(p)),
            })
            .collect());
    }
    if let Some(Location::Postgres(url)) = &log_dir.store {
        return Ok(vec![Where::Store(url.clone())]);
    }
    let folder = match (&log_dir.log_dir, files.first()) {
        (Some(dir), _) => dir.clone(),
        (None, Some((_, loaded))) => {
            crate::files::parent(&meeting_dir(loaded, log_dir)?).to_path_buf()
        }
        (None, None) => {
            return Err(Failure::new(
                Code::Usage,
                "say where the meetings are: a log folder, a PostgreSQL URL, --log-dir or GAVEL_STORE",
            ));
        }
    };
    Ok(vec![Where::Folder(folder)])
}

fn in_place(
    at: &Where,
    files: &[(PathBuf, Loaded)],
    now: jiff::Timestamp,
) -> Result<Vec<Room>, Failure> {
    let failed = |why: String| Failure::new(Code::Failure, why);
    let ids = match at {
        Where::Store(url) => store_meetings(url).map_err(failed)?,
        Where::Folder(dir) => folder_meetings(dir).map_err(failed)?,
    };
    let mut rooms = Vec::new();
    for id in ids {
        let end = match at {
            Where::Store(url) => End::Postgres(Place {
                url: url.clone(),
                meeting: id.clone(),
            }),
            Where::Folder(dir) => End::Folder(dir.join(&id)),
        };
        let file = files.iter().find(|(_, l)| l.meeting.id.as_str() == id);
        rooms.push(one(&id, &end, file, now).map_err(failed)?);
    }
    Ok(rooms)
}

fn one(
    id: &str,
    end: &End,
    file: Option<&(PathBuf, Loaded)>,
    now: jiff::Timestamp,
) -> Result<Room, String> {
    let entries = copy::read_all(end, "")?;
    let last = entries.last();
    let Some((path, loaded)) = file else {
        return Ok(room::of_journal(
            id,
            end.shown(),
            entries.len() as u64,
            last,
        ));
    };
    let meeting = Arc::new(loaded.meeting.clone());
    let live = match end {
        End::Folder(dir) => Live::open(meeting, dir, Mode::ReadOnly),
        End::Postgres(place) => {
            let text =
                std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let hash = postgres::file_hash(&text);
            Live::open_postgres(
                meeting,
                place.clone(),
                hash,
                Path::new(""),
                Mode::ReadOnly,
                false,
            )
        }
    }
    .map_err(|e| format!("{}: {e}", end.shown()))?;
    Ok(room::of_state(&live.state, end.shown(), last, now))
}

/// Every meeting with events in the store.
fn store_meetings(url: &str) -> Result<Vec<String>, String> {
    let mut client = postgres::connect(url)?;
    let shown = postgres::shown(url);
    let version = crate::store::migrate::version(&mut client).map_err(|e| postgres::plain(&e))?;
    if let Some(why) = crate::store::migrate::unusable(version, &shown) {
        return Err(why);
    }
    let rows = client
        .query(
            "SELECT DISTINCT meeting_id FROM gavel_events ORDER BY 1",
            &[],
        )
        .map_err(|e| format!("{shown}: {}", postgres::plain(&e)))?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// Every folder of `dir` that holds a journal.
fn folder_meetings(dir: &Path) -> Result<Vec<String>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut ids: Vec<String> = entries
        .flatten()
        .filter(|e| e.path().join(JOURNAL_FILE).is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    ids.sort();
    Ok(ids)
}

/// The rooms for a person: one line each, what needs attention under it.
fn table(rooms: &[Room]) -> String {
    use crate::domain::format::{clock as timer, duration};
    let mut out = String::new();
    for r in rooms {
        let phase = r.phase.unwrap_or("?");
        let floor = r
            .floor
            .as_ref()
            .map_or("nobody has the floor".to_string(), |f| {
                format!(
                    "{} {}/{}",
                    f.delegation,
                    timer(f.elapsed),
                    timer(i64::from(f.limit))
                )
            });
        let listed = r.listed.map_or(String::new(), |n| format!(" · {n} listed"));
        let schedule = r.over_by.map_or(String::new(), |s| match s {
            s if s > 0 => format!(" · {} over", duration(s)),
            s => format!(" · {} under", duration(-s)),
        });
        let last = r.last_action.as_ref().map_or(String::new(), |a| {
            format!(" · last #{} {} by {}", a.seq, a.event, a.by)
        });
        let segment = r.segment.as_deref().unwrap_or("");
        out.push_str(&format!(
            "{} [{phase}] {segment} · {floor}{listed}{schedule}{last}\n",
            r.meeting
        ));
        for why in &r.attention {
            out.push_str(&format!("  ! {why}\n"));
        }
        out.push_str(&format!("  {}\n", r.store));
    }
    if rooms.is_empty() {
        out.push_str("no meetings there\n");
    }
    out
}
