//! The meetings of a conference as meeting services watch them: every
//! meeting in some PostgreSQL stores and log folders, each followed as it
//! changes, for `gavel rooms` (printed once, or live on its own screen).
//!
//! A store is read on one connection of the watch's own, however many
//! meetings it holds: a screen watching rooms must never take the
//! connections officers need to write. A meeting that cannot be read is
//! said on its own line; the others of its place go on.

pub mod table;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use jiff::{SignedDuration, Timestamp};

use crate::domain::{Entry, Meeting, State, apply_described};
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

    fn shown(&self) -> String {
        match self {
            Where::Store(url) => postgres::shown(url),
            Where::Folder(dir) => dir.display().to_string(),
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
    /// A folder's meeting with its file: replayed once, then polled.
    Replayed(Box<Live>),
    /// A store's meeting with its file: its state, fed what the store's one
    /// connection reads after its last seq.
    Fed(Box<State>),
    /// Without a meeting file: only the journal's count and last event.
    Journal {
        mark: Option<u64>,
        events: u64,
        last: Option<Box<Entry>>,
    },
    /// It could not be read; tried again once its journal changes.
    Failed { mark: Option<u64>, why: String },
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
    store_seqs: BTreeMap<usize, BTreeMap<String, u64>>,
    /// The watch's one connection to each store, kept between looks.
    clients: BTreeMap<usize, ::postgres::Client>,
    /// Meeting files found in the stores, for meetings not given one.
    found: BTreeMap<RoomKey, MeetingFile>,
    /// The place being looked at, while a look is under way: what the
    /// screen names when a look takes long.
    looking_at: Arc<Mutex<Option<String>>>,
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
            looking_at: Arc::new(Mutex::new(None)),
        }
    }

    /// Where a look under way is, for another thread to read.
    pub fn looking_at(&self) -> Arc<Mutex<Option<String>>> {
        self.looking_at.clone()
    }

    /// Looks again: new meetings found, known ones brought up to date, and
    /// each shown as it stands at `now`. A place that cannot be read keeps
    /// what was last seen of it, and says so.
    pub fn refresh(&mut self, now: Timestamp) -> Seen {
        for at in 0..self.wheres.len() {
            self.say_looking(Some(self.wheres[at].shown()));
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
        self.say_looking(None);
        self.seen(now)
    }

    fn say_looking(&self, place: Option<String>) {
        *self.looking_at.lock().unwrap_or_else(|e| e.into_inner()) = place;
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

    /// Finds the place's meetings and brings each up to date; an error is
    /// the place's own (it cannot be listed), never one meeting's.
    fn look(&mut self, at: usize) -> Result<(), String> {
        let ids: Vec<String> = match &self.wheres[at] {
            Where::Store(url) => {
                let url = url.clone();
                let seqs = self.store_meetings(at, &url)?;
                let ids = seqs.keys().cloned().collect();
                self.store_seqs.insert(at, seqs);
                ids
            }
            Where::Folder(dir) => folder_meetings(dir)?,
        };
        self.followed
            .retain(|key, _| key.at != at || ids.contains(&key.meeting));
        for id in ids {
            self.follow(at, id);
        }
        Ok(())
    }

    /// Brings one meeting up to date, opening it when it is new or when
    /// what failed to read has changed since.
    fn follow(&mut self, at: usize, meeting: String) {
        let end = self.wheres[at].end(&meeting);
        let key = RoomKey { at, meeting };
        let mut mark = self.mark(&key, &end);
        let outcome = match self.followed.get_mut(&key) {
            Some(Followed::Replayed(live)) => match live.poll() {
                Ok(_) => return,
                // Read again from its start at the next look: a journal
                // replaced whole (restored, copied back) reads then.
                Err(e) => {
                    mark = None;
                    Err(format!("{}: {e}", end.shown()))
                }
            },
            Some(Followed::Fed(state)) => {
                let state = &mut **state;
                let Some(client) = self.clients.get_mut(&at) else {
                    return;
                };
                match feed(client, state) {
                    Ok(()) => return,
                    Err(why) => {
                        mark = None;
                        Err(format!("{}: {why}", end.shown()))
                    }
                }
            }
            Some(Followed::Journal { mark: seen, .. } | Followed::Failed { mark: seen, .. })
                if mark.is_some() && *seen == mark =>
            {
                return;
            }
            _ => self.start(&key, &end, mark),
        };
        let followed = outcome.unwrap_or_else(|why| Followed::Failed { mark, why });
        self.followed.insert(key, followed);
    }

    /// A meeting read from its start.
    fn start(&mut self, key: &RoomKey, end: &End, mark: Option<u64>) -> Result<Followed, String> {
        if self.file_for(key).is_none()
            && let Some(file) = self.find_file(key)
        {
            self.found.insert(key.clone(), file);
        }
        match (self.file_for(key).cloned(), end) {
            (Some(file), End::Folder(_)) => Ok(Followed::Replayed(Box::new(replayed(&file, end)?))),
            (Some(file), End::Postgres(_)) => {
                let mut state = State::new(file.meeting.clone());
                let client = self
                    .clients
                    .get_mut(&key.at)
                    .ok_or("the store is not connected")?;
                feed(client, &mut state).map_err(|why| format!("{}: {why}", end.shown()))?;
                Ok(Followed::Fed(Box::new(state)))
            }
            (None, End::Folder(_)) => {
                let entries = copy::read_all(end, "")?;
                Ok(Followed::Journal {
                    mark,
                    events: entries.len() as u64,
                    last: entries.last().cloned().map(Box::new),
                })
            }
            (None, End::Postgres(_)) => {
                let client = self
                    .clients
                    .get_mut(&key.at)
                    .ok_or("the store is not connected")?;
                let last = postgres::last_event(client, &key.meeting)
                    .map_err(|why| format!("{}: {why}", end.shown()))?;
                Ok(Followed::Journal {
                    mark,
                    events: last.as_ref().map_or(0, |e| e.seq),
                    last: last.map(Box::new),
                })
            }
        }
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

    /// What says a journal changed: for a file its length, inode and time
    /// of change (a journal replaced whole is read again); in a store, its
    /// last seq.
    fn mark(&self, key: &RoomKey, end: &End) -> Option<u64> {
        match end {
            End::Folder(dir) => std::fs::symlink_metadata(dir.join(JOURNAL_FILE))
                .ok()
                .map(|m| file_mark(&m)),
            End::Postgres(_) => self.store_seqs.get(&key.at)?.get(&key.meeting).copied(),
        }
    }

    /// Every meeting with events in the store, with its last seq.
    fn store_meetings(&mut self, at: usize, url: &str) -> Result<BTreeMap<String, u64>, String> {
        let shown = postgres::shown(url);
        let mut client = match self.clients.remove(&at) {
            Some(client) if !client.is_closed() => client,
            _ => connect(url, &shown)?,
        };
        let rows = client
            .query(
                "SELECT meeting_id, max(seq) FROM gavel_events GROUP BY meeting_id",
                &[],
            )
            .map_err(|e| format!("{shown}: {}", postgres::plain(&e)))?;
        self.clients.insert(at, client);
        // Only gavel writes meeting ids; a row that is no meeting id is none of its.
        Ok(rows
            .iter()
            .map(|r| (r.get::<_, String>(0), r.get::<_, i64>(1).max(0) as u64))
            .filter(|(id, _)| crate::config::is_id(id))
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
            Followed::Fed(state) => room::of_state(state, shown, now),
            Followed::Journal { events, last, .. } => {
                room::of_journal(&key.meeting, shown, *events, last.as_deref())
            }
            Followed::Failed { why, .. } => {
                let mut room = room::of_journal(&key.meeting, shown, 0, None);
                room.attention.clear();
                room.unreadable(format!("cannot be read: {why}"));
                room
            }
        };
        room.kind = match self.wheres[key.at] {
            Where::Store(_) => "pg",
            Where::Folder(_) => "files",
        };
        if let Some(t) = self.troubles.get(&key.at) {
            room.unreadable(format!(
                "store unreachable since {}: shown as last seen",
                since(t.since, now)
            ));
        }
        room
    }
}

/// The watch's connection to a store, its schema checked, its statements
/// cut off by the server after a few seconds (a table locked by another
/// session must not hold every look).
fn connect(url: &str, shown: &str) -> Result<::postgres::Client, String> {
    let mut client = postgres::connect(url).map_err(|e| format!("{shown}: {e}"))?;
    let version = crate::store::migrate::version(&mut client)
        .map_err(|e| format!("{shown}: {}", postgres::plain(&e)))?;
    if let Some(why) = crate::store::migrate::unusable(version, shown) {
        return Err(why);
    }
    client
        .batch_execute("SET statement_timeout = '5s'")
        .map_err(|e| format!("{shown}: {}", postgres::plain(&e)))?;
    Ok(client)
}

/// Applies to `state` what the store holds after its last seq.
fn feed(client: &mut ::postgres::Client, state: &mut State) -> Result<(), String> {
    let id = state.meeting.id.as_str().to_string();
    for entry in postgres::events_after(client, &id, state.seq)? {
        apply_described(state, entry).map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn file_mark(m: &std::fs::Metadata) -> u64 {
    use std::hash::{Hash, Hasher};
    use std::os::unix::fs::MetadataExt;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (m.len(), m.ino(), m.ctime(), m.ctime_nsec()).hash(&mut h);
    h.finish()
}

/// `12:03:10 (2m ago)`, in UTC: the places may be in several time zones.
fn since(at: Timestamp, now: Timestamp) -> String {
    let ago = now.duration_since(at).max(SignedDuration::ZERO).as_secs();
    format!(
        "{} UTC, {} ago",
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

/// Every folder of `dir` named as a meeting (gavel names them by the
/// meeting's id) that holds a journal.
fn folder_meetings(dir: &Path) -> Result<Vec<String>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut ids: Vec<String> = entries
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|name| crate::config::is_id(name))
        .filter(|name| std::fs::symlink_metadata(dir.join(name).join(JOURNAL_FILE)).is_ok())
        .collect();
    ids.sort();
    Ok(ids)
}
