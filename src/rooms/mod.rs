//! The meetings of a conference as meeting services watch them: every
//! meeting in some PostgreSQL stores and log folders, each followed as it
//! changes, for `gavel rooms` (printed once, or live on its own screen).

pub mod table;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};

use crate::domain::{Entry, Meeting};
use crate::journal::{JOURNAL_FILE, Mode};
use crate::live::Live;
use crate::status::room::{self, Room};
use crate::store::copy::{self, End};
use crate::store::{Location, Place, postgres};

/// Where meetings are looked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Where {
    /// A PostgreSQL store's URL: every meeting with events in it.
    Store(String),
    /// A log folder: every folder of it that holds a journal.
    Folder(PathBuf),
}

impl Where {
    /// A PostgreSQL URL is a store; anything else is taken for a folder.
    pub fn parse(text: &str) -> Where {
        match Location::parse(text) {
            Ok(Location::Postgres(url)) => Where::Store(url),
            _ => Where::Folder(PathBuf::from(text)),
        }
    }

    fn end(&self, meeting: &str) -> End {
        match self {
            Where::Store(url) => End::Postgres(Place {
                url: url.clone(),
                meeting: meeting.to_string(),
            }),
            Where::Folder(dir) => End::Folder(dir.join(meeting)),
        }
    }
}

/// A meeting file given to the watch: its meeting is replayed in full.
#[derive(Debug, Clone)]
pub struct MeetingFile {
    pub meeting: Arc<Meeting>,
    /// The file's hash, as a PostgreSQL store keeps it with each row.
    pub hash: String,
}

impl MeetingFile {
    pub fn new(meeting: Meeting, text: &[u8]) -> MeetingFile {
        MeetingFile {
            meeting: Arc::new(meeting),
            hash: postgres::file_hash(text),
        }
    }
}

/// One room, as the watch and the screen name it: where, and which meeting.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RoomKey {
    pub at: usize,
    pub meeting: String,
}

/// How a meeting is followed.
enum Followed {
    /// Replayed with its meeting file, and kept up to date by polling.
    Replayed(Box<Live>),
    /// Without a meeting file: only the journal's count and last event.
    Journal {
        /// What says the journal changed: its length in bytes, or its last seq.
        mark: Option<u64>,
        events: u64,
        last: Option<Box<Entry>>,
    },
}

/// What went wrong with a place, and since when.
#[derive(Debug, Clone)]
struct Trouble {
    since: Timestamp,
    why: String,
}

/// Every meeting in some places, followed.
pub struct Watch {
    wheres: Vec<Where>,
    files: Vec<MeetingFile>,
    followed: BTreeMap<RoomKey, Followed>,
    troubles: BTreeMap<usize, Trouble>,
    /// Each store's meetings and last seq, as last asked.
    store_seqs: BTreeMap<usize, Vec<(String, u64)>>,
    /// One connection per store for finding its meetings, kept between looks.
    clients: BTreeMap<usize, ::postgres::Client>,
    /// Meeting files found in the stores, for meetings not given one.
    found: BTreeMap<RoomKey, MeetingFile>,
}

/// The rooms at one instant, most in need of attention first, with what
/// could not be looked at.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    pub rooms: Vec<(RoomKey, Room)>,
    /// A line for each place that could not be read, with since when.
    pub troubles: Vec<String>,
}

impl Watch {
    pub fn new(wheres: Vec<Where>, files: Vec<MeetingFile>) -> Watch {
        Watch {
            wheres,
            files,
            followed: BTreeMap::new(),
            troubles: BTreeMap::new(),
            store_seqs: BTreeMap::new(),
            clients: BTreeMap::new(),
            found: BTreeMap::new(),
        }
    }

    /// Looks again: new meetings found, known ones brought up to date, and
    /// each shown as it stands at `now`. A place that cannot be read keeps
    /// what was last seen of it, and says so.
    pub fn refresh(&mut self, now: Timestamp) -> Seen {
        for at in 0..self.wheres.len() {
            match self.look(at) {
                Ok(()) => {
                    self.troubles.remove(&at);
                }
                Err(why) => {
                    self.troubles
                        .entry(at)
                        .and_modify(|t| t.why.clone_from(&why))
                        .or_insert(Trouble { since: now, why });
                }
            }
        }
        self.seen(now)
    }

    /// A fresh read-only view of one meeting, for its own screen; `None`
    /// for a meeting shown without its meeting file.
    pub fn open(&self, key: &RoomKey) -> Option<Result<Live, String>> {
        let file = self.file_for(key)?;
        let end = self.wheres.get(key.at)?.end(&key.meeting);
        Some(replayed(file, &end))
    }

    /// The meeting file given for the meeting, else the one its store keeps.
    fn file_for(&self, key: &RoomKey) -> Option<&MeetingFile> {
        self.files
            .iter()
            .find(|f| f.meeting.id.as_str() == key.meeting)
            .or_else(|| self.found.get(key))
    }

    /// The meeting file a store keeps for the meeting's last event, read as
    /// a meeting file is; `None` when it keeps none, or none that reads.
    fn find_file(&mut self, key: &RoomKey) -> Option<MeetingFile> {
        let client = self.clients.get_mut(&key.at)?;
        let row = client
            .query_opt(postgres::LAST_FILE, &[&key.meeting])
            .ok()??;
        let text: String = row.get(0);
        let name = format!("the meeting file of {} kept in the store", key.meeting);
        let loaded = crate::config::parse(&text, &name, Path::new(".")).ok()?;
        (loaded.meeting.id.as_str() == key.meeting)
            .then(|| MeetingFile::new(loaded.meeting, text.as_bytes()))
    }

    fn look(&mut self, at: usize) -> Result<(), String> {
        let ids = match &self.wheres[at] {
            Where::Store(url) => {
                let url = url.clone();
                let seqs = self.store_meetings(at, &url)?;
                let ids = seqs.iter().map(|(id, _)| id.clone()).collect();
                self.store_seqs.insert(at, seqs);
                ids
            }
            Where::Folder(dir) => folder_meetings(dir)?,
        };
        let mut first_error = None;
        for id in ids {
            if let Err(why) = self.follow(at, id) {
                first_error.get_or_insert(why);
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    /// Brings one meeting up to date, opening it when it is new.
    fn follow(&mut self, at: usize, meeting: String) -> Result<(), String> {
        let end = self.wheres[at].end(&meeting);
        let key = RoomKey { at, meeting };
        let mark_now = self.mark(&key, &end);
        match self.followed.get_mut(&key) {
            Some(Followed::Replayed(live)) => {
                live.poll().map_err(|e| format!("{}: {e}", end.shown()))?;
            }
            Some(Followed::Journal { mark, .. }) if mark_now.is_some() && *mark == mark_now => {}
            _ => {
                if self.file_for(&key).is_none()
                    && let Some(file) = self.find_file(&key)
                {
                    self.found.insert(key.clone(), file);
                }
                let followed = match self.file_for(&key) {
                    Some(file) => Followed::Replayed(Box::new(replayed(file, &end)?)),
                    None => {
                        let entries = copy::read_all(&end, "")?;
                        Followed::Journal {
                            mark: mark_now,
                            events: entries.len() as u64,
                            last: entries.last().cloned().map(Box::new),
                        }
                    }
                };
                self.followed.insert(key, followed);
            }
        }
        Ok(())
    }

    /// A journal read without its meeting file is read again only when this changes.
    fn mark(&self, key: &RoomKey, end: &End) -> Option<u64> {
        match end {
            End::Folder(dir) => std::fs::metadata(dir.join(JOURNAL_FILE))
                .ok()
                .map(|m| m.len()),
            End::Postgres(_) => self.store_seq(key),
        }
    }

    fn store_seq(&self, key: &RoomKey) -> Option<u64> {
        let seqs = self.store_seqs.get(&key.at)?;
        seqs.iter()
            .find(|(id, _)| *id == key.meeting)
            .map(|(_, seq)| *seq)
    }

    /// Every meeting with events in the store, with its last seq.
    fn store_meetings(&mut self, at: usize, url: &str) -> Result<Vec<(String, u64)>, String> {
        let shown = postgres::shown(url);
        let client = match self.clients.remove(&at) {
            Some(client) if !client.is_closed() => client,
            _ => {
                let mut client = postgres::connect(url).map_err(|e| format!("{shown}: {e}"))?;
                let version = crate::store::migrate::version(&mut client)
                    .map_err(|e| format!("{shown}: {}", postgres::plain(&e)))?;
                if let Some(why) = crate::store::migrate::unusable(version, &shown) {
                    return Err(why);
                }
                client
            }
        };
        let mut client = client;
        let rows = client
            .query(
                "SELECT meeting_id, max(seq) FROM gavel_events GROUP BY meeting_id ORDER BY 1",
                &[],
            )
            .map_err(|e| format!("{shown}: {}", postgres::plain(&e)))?;
        self.clients.insert(at, client);
        Ok(rows
            .iter()
            .map(|r| (r.get(0), r.get::<_, i64>(1).max(0) as u64))
            .collect())
    }

    fn seen(&self, now: Timestamp) -> Seen {
        let mut rooms: Vec<(RoomKey, Room)> = self
            .followed
            .iter()
            .map(|(key, followed)| (key.clone(), self.room(key, followed, now)))
            .collect();
        rooms.sort_by(|(_, a), (_, b)| room::order(a, b));
        let troubles = self
            .troubles
            .values()
            .map(|t| {
                format!(
                    "{} (since {}; its meetings as last seen)",
                    t.why,
                    since(t.since, now)
                )
            })
            .collect();
        Seen { rooms, troubles }
    }

    fn room(&self, key: &RoomKey, followed: &Followed, now: Timestamp) -> Room {
        let shown = self.wheres[key.at].end(&key.meeting).shown();
        let mut room = match followed {
            Followed::Replayed(live) => room::of_state(&live.state, shown, now),
            Followed::Journal { events, last, .. } => {
                room::of_journal(&key.meeting, shown, *events, last.as_deref())
            }
        };
        room.kind = match self.wheres[key.at] {
            Where::Store(_) => "pg",
            Where::Folder(_) => "files",
        };
        let down = match followed {
            Followed::Replayed(live) => live.store_down_since(),
            Followed::Journal { .. } => None,
        };
        let place_down = self.troubles.get(&key.at).map(|t| t.since);
        if let Some(since_when) = down.or(place_down) {
            room.unreachable(format!(
                "store unreachable since {}: shown as last seen",
                since(since_when, now)
            ));
        }
        room
    }
}

/// `12:03:10 (2m ago)`, in UTC: the places may be in several time zones.
fn since(at: Timestamp, now: Timestamp) -> String {
    let ago = now.duration_since(at).max(SignedDuration::ZERO).as_secs();
    format!(
        "{} UTC ({} ago)",
        at.strftime("%H:%M:%S"),
        crate::domain::format::duration(ago)
    )
}

/// A meeting replayed read-only from where its journal is.
fn replayed(file: &MeetingFile, end: &End) -> Result<Live, String> {
    let meeting = file.meeting.clone();
    match end {
        End::Folder(dir) => Live::open(meeting, dir, Mode::ReadOnly),
        // Read-only, the session log of this host is neither read nor written.
        End::Postgres(place) => Live::open_postgres(
            meeting,
            place.clone(),
            file.hash.clone(),
            Path::new(""),
            Mode::ReadOnly,
            false,
        ),
    }
    .map_err(|e| format!("{}: {e}", end.shown()))
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
