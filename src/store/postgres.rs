//! A meeting's journal in PostgreSQL: the rows of `gavel_events` with its
//! id, `seq` 1, 2, 3… with no gaps, as the file journal's lines.
//!
//! The file journal's promises, kept another way. An append catches up in a
//! transaction, lets `decide` choose on that state, and inserts from
//! `seq = last + 1` on. No lock is held while deciding: the primary key is the lock.
//! Another officer who appended first makes the insert fail on the key; the
//! transaction is rolled back, what they appended is read, and `decide` is
//! asked again on it. The command is done only once `COMMIT` has returned,
//! which with `synchronous_commit` and `synchronous_standby_names` set means
//! the standby has it too (see the README's "many rooms").
//!
//! Following: each insert notifies `gavel_<16 hex of the meeting id's
//! sha256>` with its seq (a trigger, so copies notify too). A look at the
//! table is made when a notice came, and at least every [`FALLBACK`]
//! without one: a hot standby takes no `LISTEN`, and a notice sent while the
//! connection was down is lost.
//!
//! A lost connection is tried again at most every [`RETRY`]; while it is
//! down every append and every look fails saying since when, so nothing
//! is shown as done that the store does not have.

use std::io;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use postgres::error::SqlState;
use postgres::fallible_iterator::FallibleIterator;
use postgres::{Client, Config, NoTls, Transaction};
use sha2::{Digest, Sha256};

use super::progress::Progress;
use super::{migrate, row, tls};
use crate::domain::Entry;
use crate::journal::{AppendError, Appended, JournalError, Mode, Sink, Stopped};

/// The longest wait for new lines without a notice.
pub const FALLBACK: Duration = Duration::from_secs(1);
/// The shortest pause between two tries at a lost connection.
pub const RETRY: Duration = Duration::from_secs(1);
/// How long a connection may take to be made.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// How long a look waits for a notice already on its way. The driver's
/// nonblocking `iter` reads the socket only if its runtime has already seen
/// it readable, which an idle connection's runtime has not (it runs only
/// inside a call): a notice would then wait for the next query, the look a
/// second later. A wait, however short, lets the runtime look at the socket.
const NOTICE_WAIT: Duration = Duration::from_millis(1);

/// Where a PostgreSQL journal is: the server's URL and the meeting's id.
#[derive(Clone, PartialEq, Eq)]
pub struct Place {
    pub url: String,
    pub meeting: String,
}

/// Debug output ends up in messages too: the password stays hidden there.
impl std::fmt::Debug for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Place")
            .field("url", &self.shown())
            .field("meeting", &self.meeting)
            .finish()
    }
}

impl Place {
    /// The URL without its password, for messages.
    pub fn shown(&self) -> String {
        shown(&self.url)
    }
}

/// `url` with any password replaced by `***`: the one in its user part and
/// a `password=` or `sslpassword=` option. The user part is taken up to the
/// last `@`, the options from the first `?` after it, so that a `?` or an `@`
/// written unencoded in either never lets a password through.
pub fn shown(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return hide_options(url, ' ');
    };
    let rest = match rest.rsplit_once('@') {
        Some((auth, host)) => match auth.split_once(':') {
            Some((user, _)) => format!("{user}:***@{host}"),
            None => format!("{auth}@{host}"),
        },
        None => rest.to_string(),
    };
    match rest.split_once('?') {
        Some((before, options)) => format!("{scheme}://{before}?{}", hide_options(options, '&')),
        None => format!("{scheme}://{rest}"),
    }
}

/// The values of the password options among `options`, split by `by`, as `***`.
fn hide_options(options: &str, by: char) -> String {
    let secret = |key: &str| {
        let key = tls::decode(key.trim()).to_ascii_lowercase();
        key == "password" || key == "sslpassword"
    };
    options
        .split(by)
        .map(|pair| match pair.split_once('=') {
            Some((key, _)) if secret(key) => format!("{key}=***"),
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join(&by.to_string())
}

/// The driver's configuration for `url` and the TLS it asks for, or why
/// gavel cannot read it.
pub fn config(url: &str) -> Result<(Config, tls::Tls), String> {
    let unreadable =
        |e: String| format!("{} is not a PostgreSQL URL gavel can read: {e}", shown(url));
    let (driver_url, tls) = tls::split(url).map_err(unreadable)?;
    let config = driver_url
        .parse()
        .map_err(|e: postgres::Error| unreadable(e.to_string()))?;
    Ok((config, tls))
}

/// A connection to `url`, never waiting longer than [`CONNECT_TIMEOUT`] to
/// be made, with keepalives so that a silent server is noticed, and TLS as
/// its `sslmode` says.
pub fn connect(url: &str) -> Result<Client, String> {
    let (mut config, tls) = config(url)?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    config
        .keepalives(true)
        .keepalives_idle(Duration::from_secs(5))
        .application_name("gavel");
    let connected = match tls.connector()? {
        Some(connector) => config.connect(connector),
        None => config.connect(NoTls),
    };
    connected.map_err(|e| tls.explain(&e).unwrap_or_else(|| plain(&e)))
}

/// A driver error in one line, with the server's own message when it sent one.
pub fn plain(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => {
            let mut text = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                text = format!("{text}: {s}");
                source = s.source();
            }
            text
        }
    }
}

/// The notice channel of a meeting: a name PostgreSQL takes whatever the id.
pub fn channel(meeting: &str) -> String {
    let digest = Sha256::digest(meeting.as_bytes());
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("gavel_{hex}")
}

/// The meeting file's hash as each row keeps it.
pub fn file_hash(text: &[u8]) -> String {
    Sha256::digest(text)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Keeps a meeting file (hash, meeting, text) once; a file already kept stays.
pub const KEEP_FILE: &str = "INSERT INTO gavel_meeting_files (hash, meeting_id, file) \
     VALUES ($1, $2, $3) ON CONFLICT (hash) DO NOTHING";

/// The meeting file the last event of a meeting was recorded with, if the store keeps it.
pub const LAST_FILE: &str = "SELECT f.file FROM gavel_meeting_files f \
     JOIN (SELECT meeting_hash FROM gavel_events WHERE meeting_id = $1 \
           ORDER BY seq DESC LIMIT 1) e ON f.hash = e.meeting_hash";

/// A meeting's events after `after`, in order, read on `client`: for a
/// reader that follows many meetings on one connection (`gavel rooms`).
/// Each must be the next seq and read as an entry.
pub fn events_after(client: &mut Client, meeting: &str, after: u64) -> Result<Vec<Entry>, String> {
    let rows = client
        .query(&after_sql(), &[&meeting, &(after as i64)])
        .map_err(|e| plain(&e))?;
    let mut events = Vec::with_capacity(rows.len());
    for (r, seq) in rows.iter().zip(after + 1..) {
        let (entry, _) = row::from_row(r).map_err(|why| format!("event #{seq}: {why}"))?;
        if entry.seq != seq {
            return Err(format!(
                "sequence number {} where {seq} was expected",
                entry.seq
            ));
        }
        events.push(entry);
    }
    Ok(events)
}

/// A meeting's last event, read on `client`.
pub fn last_event(client: &mut Client, meeting: &str) -> Result<Option<Entry>, String> {
    let sql = format!(
        "SELECT {} FROM gavel_events WHERE meeting_id = $1 ORDER BY seq DESC LIMIT 1",
        row::COLUMNS
    );
    let row = client.query_opt(&sql, &[&meeting]).map_err(|e| plain(&e))?;
    row.map(|r| row::from_row(&r).map(|(entry, _)| entry))
        .transpose()
}

/// One handle on a meeting's journal in PostgreSQL.
pub struct PgJournal {
    place: Place,
    /// The meeting file's hash, written with each row.
    hash: String,
    mode: Mode,
    client: Option<Client>,
    /// The seq of the last row this handle has read or written.
    last: u64,
    listening: bool,
    last_look: Option<Instant>,
    down_since: Option<Timestamp>,
    last_try: Option<Instant>,
    /// Why the last try at the connection failed.
    last_why: String,
    /// Where "since when" is told in: the venue's, as on the screen's clock.
    pub time_zone: jiff::tz::TimeZone,
    /// Rows recorded with another meeting file than this one, said once.
    pub other_file: Option<String>,
    /// The meeting file's text, kept in the store with the first append of
    /// this handle, so that `gavel rooms` can show the meeting anywhere.
    file: Option<String>,
    /// Where the append under way stands, for other threads to tell.
    progress: Progress,
}

impl Drop for PgJournal {
    fn drop(&mut self) {
        self.progress.close();
    }
}

impl std::fmt::Debug for PgJournal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgJournal")
            .field("store", &self.place.shown())
            .field("meeting", &self.place.meeting)
            .field("last", &self.last)
            .finish()
    }
}

impl PgJournal {
    /// Connects, checks the schema, and replays the meeting's rows into `sink`.
    pub fn open_each<S: Sink<Entry>>(
        place: Place,
        hash: String,
        mode: Mode,
        sink: &mut S,
    ) -> Result<PgJournal, Stopped<S::Error>> {
        let mut client = connect(&place.url).map_err(|why| {
            JournalError::Store(format!("cannot reach the store {}: {why}", place.shown()))
        })?;
        let version = migrate::version(&mut client).map_err(|e| fail(&place, "read", &e))?;
        if let Some(why) = migrate::unusable(version, &place.shown()) {
            return Err(Stopped::Journal(JournalError::Store(why)));
        }
        let mut journal = PgJournal {
            place,
            hash,
            mode,
            client: None,
            last: 0,
            listening: false,
            last_look: None,
            down_since: None,
            last_try: None,
            last_why: String::new(),
            time_zone: jiff::tz::TimeZone::system(),
            other_file: None,
            file: None,
            progress: Progress::default(),
        };
        journal.listen(&mut client);
        let total: i64 = client
            .query_one(
                "SELECT coalesce(max(seq), 0) FROM gavel_events WHERE meeting_id = $1",
                &[&journal.place.meeting],
            )
            .map_err(|e| fail(&journal.place, "read", &e))?
            .get(0);
        sink.expect(total as u64);
        let mut other = OtherFile::default();
        let read = journal.read_into(&mut client, &mut other, sink);
        journal.other_file = other.said(&journal.hash);
        read?;
        journal.client = Some(client);
        journal.last_look = Some(Instant::now());
        Ok(journal)
    }

    /// Keeps `text`, the meeting file whose hash this handle writes, in the
    /// store with this handle's first append (once per file: a file already
    /// there is left as it is).
    pub fn keep_file(&mut self, text: String) {
        self.file = Some(text);
    }

    /// Notices for this meeting from now on; a server that takes none (a
    /// hot standby) is looked at every [`FALLBACK`] instead.
    fn listen(&mut self, client: &mut Client) {
        let sql = format!("LISTEN {}", channel(&self.place.meeting));
        self.listening = client.batch_execute(&sql).is_ok();
    }

    /// The rows after this handle's last, in order, into `sink`: each must be
    /// the next seq and read as an entry, else the journal is damaged.
    fn read_into<S: Sink<Entry>>(
        &mut self,
        client: &mut Client,
        other: &mut OtherFile,
        sink: &mut S,
    ) -> Result<(), Stopped<S::Error>> {
        let place = self.place.clone();
        let rows = client
            .query(&after_sql(), &[&place.meeting, &(self.last as i64)])
            .map_err(|e| self.lost(&e, "read"))?;
        for r in &rows {
            let (entry, hash) =
                row::from_row(r).map_err(|why| damaged(&place, self.last + 1, &why))?;
            if entry.seq != self.last + 1 {
                let why = format!(
                    "sequence number {} where {} was expected",
                    entry.seq,
                    self.last + 1
                );
                return Err(Stopped::Journal(damaged(&place, self.last + 1, &why)));
            }
            other.saw(entry.seq, &hash);
            self.last = entry.seq;
            sink.take(entry).map_err(Stopped::Sink)?;
        }
        Ok(())
    }

    /// Catches up in a transaction, lets `decide` choose on what it read, and
    /// inserts the new rows; when another officer's insert came first (the
    /// key is taken), rolls back, reads theirs and asks `decide` again on
    /// them. `synced` is given the decision once `COMMIT` has returned.
    pub fn append_then<D: AsRef<[Entry]>, R, W>(
        &mut self,
        mut decide: impl FnMut(&[Entry]) -> Result<D, R>,
        synced: impl FnOnce(D) -> W,
    ) -> Result<Appended<Entry, W>, AppendError<Entry, R>> {
        if self.mode == Mode::ReadOnly {
            return Err(AppendError::ReadOnly);
        }
        let progress = self.progress.clone();
        progress.begin();
        let appended = self.append_now(&mut decide);
        progress.end(appended.is_ok());
        appended.map(|(caught_up, decided)| Appended {
            caught_up,
            written: synced(decided),
            recovered: None,
        })
    }

    /// [`PgJournal::append_then`] up to `COMMIT`'s answer: what was caught
    /// up and the decision, once committed.
    fn append_now<D: AsRef<[Entry]>, R>(
        &mut self,
        decide: &mut impl FnMut(&[Entry]) -> Result<D, R>,
    ) -> Result<(Vec<Entry>, D), AppendError<Entry, R>> {
        let mut caught_up = Vec::new();
        let mut retried = false;
        loop {
            let mut client = match self.connected() {
                Ok(client) => client,
                Err(e) => return Err(with_caught_up(AppendError::Journal(e), caught_up)),
            };
            let attempt = self.attempt(&mut client, &mut caught_up, decide);
            let done = match attempt {
                Attempt::Inserted(decided, tx_done) => match tx_done {
                    Ok(()) => {
                        self.last += decided.as_ref().len() as u64;
                        Ok(decided)
                    }
                    Err(why) => Err(AppendError::Unconfirmed {
                        caught_up: Vec::new(),
                        why,
                    }),
                },
                Attempt::Taken => {
                    self.client = Some(client);
                    continue;
                }
                // Lost before COMMIT was sent, so nothing of ours is there: a
                // connection killed under an idle gavel is made again at once,
                // and the command decided again on what is there then.
                Attempt::Lost(_) if !retried => {
                    retried = true;
                    self.last_try = None;
                    continue;
                }
                Attempt::Lost(e) => Err(AppendError::Journal(e)),
                Attempt::Failed(e) => Err(e),
            };
            if !client.is_closed() {
                self.client = Some(client);
            }
            return match done {
                Ok(decided) => Ok((caught_up, decided)),
                Err(AppendError::Journal(e)) if !caught_up.is_empty() => Err(AppendError::Io {
                    caught_up,
                    source: io::Error::other(e.to_string()),
                    rolled_back: true,
                }),
                Err(e) => Err(with_caught_up(e, caught_up)),
            };
        }
    }

    /// One transaction of an append.
    fn attempt<D: AsRef<[Entry]>, R>(
        &mut self,
        client: &mut Client,
        caught_up: &mut Vec<Entry>,
        decide: &mut impl FnMut(&[Entry]) -> Result<D, R>,
    ) -> Attempt<D, R> {
        let place = self.place.clone();
        let mut tx = match client.transaction() {
            Ok(tx) => tx,
            Err(e) => return self.lost_or_failed(&e, "write"),
        };
        let fresh = match self.read_in(&mut tx) {
            Ok(fresh) => fresh,
            Err(e) if self.down_since.is_some() => return Attempt::Lost(e),
            Err(e) => return Attempt::Failed(e.into()),
        };
        caught_up.extend(fresh.iter().cloned());
        let decided = match decide(&fresh) {
            Ok(decided) => decided,
            Err(reason) => {
                return Attempt::Failed(AppendError::Refused {
                    caught_up: Vec::new(),
                    reason,
                });
            }
        };
        let lines = decided.as_ref();
        for (i, entry) in lines.iter().enumerate() {
            let expected = self.last + 1 + i as u64;
            if entry.seq != expected {
                return Attempt::Failed(AppendError::Invalid {
                    caught_up: Vec::new(),
                    index: i,
                    problem: crate::journal::Problem::Seq {
                        expected,
                        found: entry.seq,
                    },
                });
            }
            match insert(&mut tx, &place.meeting, &self.hash, entry) {
                Ok(()) => {}
                Err(Insert::Taken) => return Attempt::Taken,
                Err(Insert::Bad(why)) => {
                    return Attempt::Failed(AppendError::Invalid {
                        caught_up: Vec::new(),
                        index: i,
                        problem: crate::journal::Problem::NotEvent(why),
                    });
                }
                Err(Insert::Db(e)) => return self.lost_or_failed(&e, "write"),
            }
        }
        if let Some(file) = &self.file
            && let Err(e) = tx.execute(KEEP_FILE, &[&self.hash, &place.meeting, file])
        {
            return self.lost_or_failed(&e, "write");
        }
        self.progress.committing();
        let committed = tx.commit().map_err(|e| {
            let why = plain(&e);
            self.went_down();
            why
        });
        if committed.is_ok() {
            self.file = None;
        }
        Attempt::Inserted(decided, committed)
    }

    fn lost_or_failed<D, R>(&mut self, e: &postgres::Error, action: &str) -> Attempt<D, R> {
        let error = self.lost(e, action);
        match self.down_since {
            Some(_) => Attempt::Lost(error),
            None => Attempt::Failed(error.into()),
        }
    }

    /// The rows after this handle's last, read in `tx`.
    fn read_in(&mut self, tx: &mut Transaction) -> Result<Vec<Entry>, JournalError> {
        let rows = tx
            .query(&after_sql(), &[&self.place.meeting, &(self.last as i64)])
            .map_err(|e| self.lost(&e, "read"))?;
        let mut fresh = Vec::with_capacity(rows.len());
        let mut at = self.last;
        for r in &rows {
            let (entry, _) = row::from_row(r).map_err(|why| damaged(&self.place, at + 1, &why))?;
            if entry.seq != at + 1 {
                let why = format!(
                    "sequence number {} where {} was expected",
                    entry.seq,
                    at + 1
                );
                return Err(damaged(&self.place, at + 1, &why));
            }
            at = entry.seq;
            fresh.push(entry);
        }
        self.last = at;
        Ok(fresh)
    }

    /// Rows others appended since this handle last read: looked for when a
    /// notice came, or [`FALLBACK`] after the last look.
    pub fn poll(&mut self) -> Result<Vec<Entry>, JournalError> {
        let mut client = self.connected()?;
        let noticed = self.listening && {
            let mut notices = client.notifications();
            // An error here is a lost connection, which `is_closed` tells below.
            let any = matches!(notices.timeout_iter(NOTICE_WAIT).next(), Ok(Some(_)));
            // The runtime has read what there was: the rest, without waiting.
            let mut rest = notices.iter();
            while let Ok(Some(_)) = rest.next() {}
            any
        };
        let due = self.last_look.is_none_or(|t| t.elapsed() >= FALLBACK);
        if client.is_closed() {
            self.went_down();
            self.last_why = "the connection was closed".into();
            return Err(self.unreachable(&self.last_why));
        }
        if !noticed && !due {
            self.client = Some(client);
            return Ok(Vec::new());
        }
        let mut fresh = Vec::new();
        let read = self.read_into(&mut client, &mut OtherFile::default(), &mut fresh);
        if !client.is_closed() {
            self.client = Some(client);
            self.last_look = Some(Instant::now());
        }
        read.map_err(IntoJournal::into_journal_only)?;
        Ok(fresh)
    }

    /// Every row others appended since this handle last read, looked for now.
    pub fn catch_up(&mut self) -> Result<Vec<Entry>, JournalError> {
        self.last_look = None;
        self.poll()
    }

    /// The connection, made again if it was lost (at most every [`RETRY`]).
    fn connected(&mut self) -> Result<Client, JournalError> {
        if let Some(client) = self.client.take() {
            if !client.is_closed() {
                return Ok(client);
            }
            self.went_down();
        }
        if self.last_try.is_some_and(|t| t.elapsed() < RETRY) {
            let why = format!("{}; tried again every second", self.last_why);
            return Err(self.unreachable(&why));
        }
        self.last_try = Some(Instant::now());
        match connect(&self.place.url) {
            Ok(mut client) => {
                self.listen(&mut client);
                self.down_since = None;
                // A notice sent while it was down is lost: look now.
                self.last_look = None;
                Ok(client)
            }
            Err(why) => {
                self.went_down();
                self.last_why = why;
                Err(self.unreachable(&self.last_why))
            }
        }
    }

    fn went_down(&mut self) {
        self.client = None;
        self.down_since.get_or_insert_with(Timestamp::now);
    }

    /// A failed query: when it lost the connection, the store is down.
    fn lost(&mut self, e: &postgres::Error, action: &str) -> JournalError {
        // Class 08 is a connection exception; 57 the server shutting down or
        // ending this session (pg_terminate_backend, a failover).
        let ended = e
            .code()
            .is_some_and(|c| c.code().starts_with("08") || c.code().starts_with("57"));
        if ended || e.is_closed() || e.as_db_error().is_none() {
            self.went_down();
            self.last_why = plain(e);
            return self.unreachable(&self.last_why);
        }
        fail(&self.place, action, e)
    }

    fn unreachable(&self, why: &str) -> JournalError {
        let since = self
            .down_since
            .map(|t| {
                t.to_zoned_datetime(self.time_zone.clone())
                    .strftime("%H:%M:%S")
                    .to_string()
            })
            .unwrap_or_else(|| "now".into());
        JournalError::Store(format!(
            "store unreachable since {since} — commands are not saved ({}: {why})",
            self.place.shown()
        ))
    }

    /// Since when the store has been out of reach, while it is.
    pub fn down_since(&self) -> Option<Timestamp> {
        self.down_since
    }

    pub fn last_seq(&self) -> u64 {
        self.last
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Writing needs nothing made first: the table is there since `store init`.
    pub fn make_writable(&mut self) {
        self.mode = Mode::ReadWrite;
    }

    pub fn place(&self) -> &Place {
        &self.place
    }

    /// Where its appends stand, for another thread to watch or act on.
    pub fn progress(&self) -> &Progress {
        &self.progress
    }
}

enum Attempt<D, R> {
    /// Inserted, and what `COMMIT` answered.
    Inserted(D, Result<(), String>),
    /// Another officer's row has the seq: read theirs, decide again.
    Taken,
    /// The connection was lost before `COMMIT`.
    Lost(JournalError),
    Failed(AppendError<Entry, R>),
}

enum Insert {
    Taken,
    Bad(String),
    Db(postgres::Error),
}

fn insert(tx: &mut Transaction, meeting: &str, hash: &str, entry: &Entry) -> Result<(), Insert> {
    let e = row::encode(entry).map_err(Insert::Bad)?;
    let params: [&(dyn postgres::types::ToSql + Sync); 8] = [
        &meeting,
        &e.seq,
        &e.v,
        &(e.micros as f64),
        &e.at_ns,
        &e.by,
        &e.event,
        &hash,
    ];
    match tx.execute(row::INSERT, &params) {
        Ok(_) => Ok(()),
        Err(err) if err.code() == Some(&SqlState::UNIQUE_VIOLATION) => Err(Insert::Taken),
        Err(err) => Err(Insert::Db(err)),
    }
}

fn after_sql() -> String {
    format!(
        "SELECT {} FROM gavel_events WHERE meeting_id = $1 AND seq > $2 ORDER BY seq",
        row::COLUMNS
    )
}

fn damaged(place: &Place, seq: u64, why: &str) -> JournalError {
    JournalError::Store(format!(
        "row {seq} of meeting {} in {} is damaged ({why}); gavel stops so that nothing is \
         overwritten",
        place.meeting,
        place.shown()
    ))
}

fn fail(place: &Place, action: &str, e: &postgres::Error) -> JournalError {
    JournalError::Store(format!(
        "cannot {action} the journal of {} in {}: {}",
        place.meeting,
        place.shown(),
        plain(e)
    ))
}

trait IntoJournal {
    fn into_journal_only(self) -> JournalError;
}

impl<E> IntoJournal for Stopped<E> {
    /// A read into a `Vec` sink stops only on the journal.
    fn into_journal_only(self) -> JournalError {
        match self {
            Stopped::Journal(e) => e,
            Stopped::Sink(_) => unreachable!("a Vec takes every line"),
        }
    }
}

/// An error raised before our decision, given the lines caught up before it.
fn with_caught_up<R>(e: AppendError<Entry, R>, caught_up: Vec<Entry>) -> AppendError<Entry, R> {
    match e {
        AppendError::Refused { reason, .. } => AppendError::Refused { caught_up, reason },
        AppendError::Invalid { index, problem, .. } => AppendError::Invalid {
            caught_up,
            index,
            problem,
        },
        AppendError::Unconfirmed { why, .. } => AppendError::Unconfirmed { caught_up, why },
        other => other,
    }
}

/// The rows recorded with another meeting file than the one now in use.
#[derive(Default)]
struct OtherFile {
    seen: Vec<(u64, String)>,
}

impl OtherFile {
    fn saw(&mut self, seq: u64, hash: &str) {
        if self.seen.last().is_none_or(|(_, h)| h != hash) {
            self.seen.push((seq, hash.to_string()));
        }
    }

    /// In words, when some rows were recorded with a different file.
    fn said(&self, now: &str) -> Option<String> {
        let first = self.seen.iter().find(|(_, h)| h != now)?;
        Some(format!(
            "events from #{} on were recorded with a different meeting file (sha256 {}…, this \
             one is {}…): if it was edited since, that is expected; otherwise check that this \
             is the meeting file the other officers use",
            first.0,
            &first.1[..first.1.len().min(12)],
            &now[..now.len().min(12)]
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn a_password_is_never_shown_wherever_it_is_written() {
        let cases = [
            ("postgres://g:s3cret@h/db", "postgres://g:***@h/db"),
            (
                "postgres://g@h/db?sslmode=verify-full&password=s3cret",
                "postgres://g@h/db?sslmode=verify-full&password=***",
            ),
            (
                "postgresql://g:a@b@h/db?%70assword=s3cret&sslpassword=s3cret",
                "postgresql://g:***@h/db?%70assword=***&sslpassword=***",
            ),
            (
                "host=h password=s3cret dbname=db",
                "host=h password=*** dbname=db",
            ),
            (
                "postgres://db/gavel?PASSWORD=s3cret",
                "postgres://db/gavel?PASSWORD=***",
            ),
            ("postgres://g:pa?s3cret@h/db", "postgres://g:***@h/db"),
            (
                "postgres://h/db?password=s3cret&application_name=a@b",
                "postgres://h/db?password=***&application_name=a@b",
            ),
        ];
        for (url, seen) in cases {
            assert_eq!(shown(url), seen);
            assert!(!shown(url).contains("s3cret"));
        }
    }
}
